#!/usr/bin/env bash
# Z3 engine vs SPIN on the N-adders scenarios, measured in the same run.
# usage: bench/checker/run.sh [timeout-seconds] [N...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
limit=${1:-10}; shift || true
sizes=${*:-2 4 8 16 32}
build=$(mktemp -d); work=$(mktemp -d)
cmake -S "$here" -B "$build" -G Ninja >/dev/null && cmake --build "$build" >/dev/null
now() { date +%s.%N; }
printf "%-22s %4s  %-34s %-30s %s\n" scenario N "critsec (Z3)" "spin (incl. gcc)" "critsec/spin"
for scen in "unlocked fixed" "locked fixed" "unlocked rand" "locked rand"; do
  set -- $scen
  for n in $sizes; do
    python3 "$here/gen_adders.py" "$n" "$1" "$2" > "$work/a.crit"
    python3 "$here/gen_adders.py" "$n" "$1" "$2" --pml > "$work/a.pml"
    t0=$(now)
    out=$(timeout $((limit + 5)) "$build/z3_bench" "$work/a.crit" check "$limit" 2>&1 || true)
    t1=$(now)
    lost=$(echo "$out" | grep -m1 '^lost update:' | cut -d' ' -f3)
    asrt=$(echo "$out" | grep -m1 '^assert' | cut -d' ' -f5)
    lt=$(echo "$out" | grep -m1 '  lost update:' | awk '{print $3}' | tr -d s)
    at=$(echo "$out" | grep -m1 '  assert' | awk '{print $5}' | tr -d s)
    z=$(echo "$t1 - $t0" | bc)
    ( cd "$work" && t2=$(now) && spin -a a.pml >/dev/null && gcc -O2 -DSAFETY -DMEMLIM=4096 -o pan pan.c 2>/dev/null &&
      sp=$(timeout "$limit" ./pan -m1000000 2>&1 || echo "TIMEOUT") && t3=$(now) &&
      verdict=$(echo "$sp" | grep -q "assertion violated" && echo VIOLATED || (echo "$sp" | grep -q "errors: 0" && echo PROVED || echo "OUT(time/mem)")) &&
      echo "$verdict $(echo "$t3 - $t2" | bc)" ) > "$work/spin.txt" || echo "ERROR 0" > "$work/spin.txt"
    read sv st < "$work/spin.txt"
    printf "%-22s %4s  lost %-8s %6ss assert %-8s %6ss %-8s %7.2fs   total %.2fs  %.2f\n" "$1-$2" "$n" "$lost" "$lt" "$asrt" "$at" "$sv" "$st" "$z" "$(echo "$z / $st" | bc -l)"
  done
done
rm -rf "$build" "$work"
