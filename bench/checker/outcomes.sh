#!/usr/bin/env bash
# `critsec outcomes` on N unlocked adders (every final total, each with a replayed
# witness): the compiled search (the default) against the explorer's own search
# (`--search explorer`) and against SPIN exploring the whole state space of the same
# model without its assert, all measured in the same run, row by row.
# usage: bench/checker/outcomes.sh [critsec-binary] [timeout-seconds]
# Rows: constants 1..N ("fixed"), and N constants drawn from 1..10 with Python's
# random.seed(N) ("drawn"), the `--inputs` of the randint spec. Times are wall
# clock (user CPU in the raw lines below the table); ratios are of wall times.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
critsec=$(realpath "${1:-build/critsec}")
limit=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }

critsec_run() {  # search spec -> "count states wall user"
  local out
  out=$( { /usr/bin/time -f "TIME %e %U" timeout "$limit" "$critsec" outcomes --search "$1" "$2" | head -3; } 2>&1)
  local count states
  count=$(echo "$out" | grep -m1 -o '[0-9]* reachable outcomes\?' | cut -d' ' -f1)
  echo "$out" | grep -q 'not all enumerated' && count="INCOMPLETE"
  states=$(echo "$out" | grep -m1 -o '[0-9]* states' | cut -d' ' -f1)
  read -r _ wall user <<< "$(echo "$out" | grep TIME)"
  echo "${count:-TIMEOUT} ${states:--} $wall $user"
}

spin_run() {  # model.pml -> "verdict seconds" (gcc included)
  ( cd "$work" && cp "$1" m.pml && t0=$(now) && spin -a m.pml >/dev/null && gcc -O2 -DSAFETY -DMEMLIM=4096 -o pan pan.c 2>/dev/null &&
    sp=$(timeout "$limit" ./pan -m1000000 2>&1 || echo "TIMEOUT") && t1=$(now) &&
    v=$(echo "$sp" | grep -q "errors: 0" && echo DONE || echo OUT) && echo "$v $(echo "$t1 - $t0" | bc)" ) || echo "ERROR 0"
}

printf "%-6s %2s | %-8s %-10s %7s | %-10s %7s | %9s | %-5s %7s | %s\n" row N outcomes "states" "s" "explorer" "s" "expl/comp" spin "s" "comp/spin"
for kind in fixed drawn; do
  for n in 2 3 4 5 6 7 8; do
    if [ "$kind" = fixed ]; then values=$(seq -s, 1 "$n"); else
      values=$(python3 -c "import random; random.seed($n); print(','.join(str(random.randint(1, 10)) for _ in range($n)))"); fi
    python3 "$here/gen_adders.py" "$n" unlocked fixed --values "$values" > "$work/a.crit"
    python3 "$here/gen_adders.py" "$n" unlocked fixed --pml --outcomes --values "$values" > "$work/a.pml"
    read -r cc cs cw cu <<< "$(critsec_run auto "$work/a.crit")"
    read -r ec es ew eu <<< "$(critsec_run explorer "$work/a.crit")"
    read -r sv st <<< "$(spin_run "$work/a.pml")"
    printf "%-6s %2s | %-8s %-10s %7.2f | %-10s %7.2f | %9.2f | %-5s %7.2f | %.3f\n" "$kind" "$n" "$cc" "$cs" "${cw:-0}" "$ec" "${ew:-0}" \
      "$(echo "${ew:-0} / ${cw:-1}" | bc -l)" "$sv" "$st" "$(echo "${cw:-0} / $st" | bc -l)"
    echo "       values $values; user s: compiled ${cu:--}, explorer ${eu:--}" >&2
  done
done
