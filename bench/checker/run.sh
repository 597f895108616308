#!/usr/bin/env bash
# critsec vs SPIN on the N-adders scenarios, both measured in the same run, row by row.
# usage: bench/checker/run.sh [critsec-binary] [timeout-seconds] [N...]
#   critsec-binary: default build/critsec (build it first); N: default 2 4 8 16 32 64 250.
# critsec: the whole `critsec check` (every property, default engine: induction,
# explorer, then Z3), wall time. SPIN: spin -a, gcc -O2 -DSAFETY, ./pan (gcc included),
# checking the assertion only. Outcomes: `critsec outcomes` (every final total, each with a
# replayed witness) vs SPIN exploring the whole state space of the model without its assert.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
critsec=$(realpath "${1:-build/critsec}"); shift || true
limit=${1:-10}; shift || true
sizes=${*:-2 4 8 16 32 64 250}
work=$(mktemp -d)
now() { date +%s.%N; }

spin_run() {  # model.pml -> "VERDICT seconds"
  ( cd "$work" && cp "$1" m.pml && t2=$(now) && spin -a m.pml >/dev/null && gcc -O2 -DSAFETY -DMEMLIM=4096 -o pan pan.c 2>/dev/null &&
    sp=$(timeout "$limit" ./pan -m1000000 2>&1 || echo "TIMEOUT") && t3=$(now) &&
    v=$(echo "$sp" | grep -q "assertion violated" && echo VIOLATED || (echo "$sp" | grep -q "errors: 0" && echo PROVED || echo "OUT")) &&
    echo "$v $(echo "$t3 - $t2" | bc)" ) || echo "ERROR 0"
}

row() {  # scenario n critsec-verdict critsec-seconds spin-verdict spin-seconds
  ratio=$(echo "$4 / $6" | bc -l 2>/dev/null || echo 0)
  printf "%-26s %4s | %-30s %7.2fs | %-9s %7.2fs | %6.3f\n" "$1" "$2" "$3" "$4" "$5" "$6" "$ratio"
}

printf "%-26s %4s | %-39s | %-18s | %s\n" scenario N "critsec (verdicts: assert/lost update)" "spin (incl. gcc)" "critsec/spin"
for scen in "unlocked fixed" "unlocked rand" "locked fixed" "locked rand"; do
  set -- $scen
  for n in $sizes; do
    python3 "$here/gen_adders.py" "$n" "$1" "$2" > "$work/a.crit"
    python3 "$here/gen_adders.py" "$n" "$1" "$2" --pml > "$work/a.pml"
    t0=$(now)
    out=$(timeout $((limit + 5)) "$critsec" check --timeout "$limit" "$work/a.crit" 2>&1)
    t1=$(now)
    asrt=$(echo "$out" | grep -m1 '  assert at' | awk '{print $1}')
    lost=$(echo "$out" | grep -m1 '  lost update' | awk '{print $1}')
    # The engines from the header's "decided by induction (4), ...", without their counts.
    engine=$(echo "$out" | head -1 | grep -o 'decided by .*' | sed -E 's/^decided by //; s/ \([^)]*\)//g; s/; [0-9.]+ s$//; s/, /+/g')
    if [ -z "$asrt" ]; then asrt=$(echo "$out" | grep -m1 -o 'more than the cap of [0-9]*' | sed 's/more than the /spec error: /'); [ -z "$asrt" ] && asrt=TIMEOUT; fi
    read sv st <<< "$(spin_run "$work/a.pml")"
    row "$1-$2" "$n" "$asrt/${lost:--} ($engine)" "$(echo "$t1 - $t0" | bc)" "$sv" "$st"
  done
done
for n in 2 3 4 5 6 7 8; do
  python3 "$here/gen_adders.py" "$n" unlocked fixed > "$work/a.crit"
  python3 "$here/gen_adders.py" "$n" unlocked fixed --pml --outcomes > "$work/a.pml"
  t0=$(now)
  out=$(timeout $((limit + 5)) "$critsec" outcomes "$work/a.crit" 2>&1)
  t1=$(now)
  count=$(echo "$out" | head -1 | grep -o '[0-9]* reachable outcomes' | cut -d' ' -f1)
  echo "$out" | head -3 | grep -q 'incomplete\|stopped' && count="INCOMPLETE"
  read sv st <<< "$(spin_run "$work/a.pml")"
  [ "$sv" = PROVED ] && sv=DONE
  row "outcomes unlocked-fixed" "$n" "${count:-TIMEOUT} outcomes" "$(echo "$t1 - $t0" | bc)" "$sv" "$st"
done
rm -rf "$work"
