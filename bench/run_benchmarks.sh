#!/usr/bin/env bash
# The runtime benchmarks: `critsec run` against plain C fork loops, measured in
# the same run, one after the other, on the same machine. Prints every figure of
# bench/RESULTS.md. Usage: bench/run_benchmarks.sh [build-dir] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-3}
out="$build/bench"
mkdir -p "$out"

cc -O2 -o "$out/c_fork_loop" bench/c_fork_loop.c
cc -O2 -o "$out/c_barrier_loop" bench/c_barrier_loop.c
critsec="$build/critsec"
if ! "$critsec" run --help >/dev/null 2>&1; then
  # The full binary without `run` wired in yet: the run command alone.
  c++ -std=c++20 -O2 -I. bench/run_driver.cpp cli/run_command.cpp cli/load_spec.cpp \
    "$build/libcritsec_runtime.a" "$build/libcritsec_model.a" -lfmt -lpthread -lrt -o "$out/critsec-run"
  critsec="$out/critsec-run"
fi

# critsec exits 1 when a run breaks an assert (07 does, by design): not a failure here.
crit() { "$critsec" "$@" || true; }
rate() { sed -n 's/.*(\([0-9]*\) runs\/s).*/\1/p'; }
failed() { sed -n 's/.*failed in \([0-9]*\) of \([0-9]*\) runs.*/\1 \2/p' | head -1; }
states() { sed -n 's/^Histogram (\([0-9]*\) state.*/\1/p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
spec07=specs/tutorial/07_value_race.crit

echo "machine: $(nproc) cores, $(uname -srm); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "critsec: $critsec"
echo
echo "== 1. fresh processes every run: critsec run 07 (5 children) vs C fork loop (5 children)"
for r in $(seq "$rounds"); do
  c=$("$out/c_fork_loop" 2000 5 | sed -n 's/.*runs_per_s=\([0-9]*\).*/\1/p')
  s=$(crit run "$spec07" -n 2000 --seed "$r" | rate)
  echo "round $r: C $c runs/s, critsec $s runs/s, ratio $(ratio "$s" "$c")"
done
echo
echo "== 2. litmus mode: critsec run --reuse 07 vs C barrier loop (5 children forked once)"
for r in $(seq "$rounds"); do
  cline=$("$out/c_barrier_loop" 100000 5)
  c=$(echo "$cline" | sed -n 's/.*iterations_per_s=\([0-9]*\).*/\1/p')
  s=$(crit run "$spec07" --reuse -n 20000 --seed "$r" | rate)
  echo "round $r: C $c iterations/s, critsec $s runs/s, ratio $(ratio "$s" "$c")"
done
echo "C barrier loop, last round: $cline"
echo
echo "== 3. race exposure: share of 07 runs with a lost update (the assert fails)"
for mode in none yield random; do
  read -r f n < <(crit run "$spec07" -n 2000 --perturb "$mode" | failed)
  read -r lf ln < <(crit run "$spec07" --reuse -n 20000 --perturb "$mode" | failed)
  echo "perturb $mode: fork per run $f/$n ($(awk -v a="$f" -v b="$n" 'BEGIN{printf "%.1f", 100*a/b}')%), litmus $lf/$ln ($(awk -v a="$lf" -v b="$ln" 'BEGIN{printf "%.1f", 100*a/b}')%)"
done
echo
echo "== 4. coverage: distinct totals of 5 adders adding 1, 2, 4, 8, 16 (31 reachable)"
for mode in none yield random; do
  echo "perturb $mode: litmus 100000 runs: $(crit run bench/adders_31.crit --reuse -n 100000 --perturb "$mode" | states) totals; fork per run 20000 runs: $(crit run bench/adders_31.crit -n 20000 --perturb "$mode" | states) totals"
done
echo "C barrier loop 100000 iterations: $("$out/c_barrier_loop" 100000 5 | sed -n 's/.*distinct_totals=\([0-9]*\).*/\1/p') totals"
echo
echo "== 5. throughput against the number of processes (N adders, fixed inputs)"
for n in 5 10 20 50; do
  spec="$out/adders_$n.crit"
  {
    echo 'total = Value("i", 0)'
    echo 'process Adder(k):'
    echo '    total.value += k'
    echo 'main:'
    echo "    procs = [Adder(i) for i in range($n)]"
    echo '    for p in procs:'
    echo '        p.start()'
    echo '    for p in procs:'
    echo '        p.join()'
  } >"$spec"
  c=$("$out/c_fork_loop" 500 "$n" | sed -n 's/.*runs_per_s=\([0-9]*\).*/\1/p')
  s=$(crit run "$spec" -n 500 --max-procs 65 | rate)
  cb=$("$out/c_barrier_loop" 20000 "$n" | sed -n 's/.*iterations_per_s=\([0-9]*\).*/\1/p')
  l=$(crit run "$spec" --reuse -n 5000 --max-procs 65 | rate)
  echo "N=$n: fork per run: C $c, critsec $s runs/s (ratio $(ratio "$s" "$c")); reused: C $cb, critsec $l runs/s (ratio $(ratio "$l" "$cb"))"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
