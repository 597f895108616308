#!/usr/bin/env bash
# One fuzzing run of one target, as issue 12's campaign ran them: one process
# (-jobs=1 -workers=1), niced, a time limit, crashers kept apart.
# Usage: fuzz/run_campaign.sh TARGET SECONDS [BUILD_DIR]
#   TARGET: frontend, check or differential (fuzz_TARGET in BUILD_DIR)
# The working corpus lives in BUILD_DIR/work/TARGET (seeded from fuzz/corpus*/
# (and, for check, specs/tutorial/) on the first run); crashers go to BUILD_DIR/work/artifacts/TARGET/, the log to
# BUILD_DIR/logs/TARGET-<time>.log, and the load average before and after to the log.
# The build: cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang
#   -DCMAKE_CXX_COMPILER=clang++ -DCRITSEC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
#   && ninja -C build-fuzz fuzz_frontend fuzz_check fuzz_differential
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
target=$1; seconds=$2; build=$(realpath "${3:-build-fuzz}")
bin=$build/fuzz_$target
work=$build/work/$target
artifacts=$build/work/artifacts/$target
mkdir -p "$work" "$artifacts" "$build/logs"
case $target in
  frontend) seeds=fuzz/corpus ;;
  *) seeds=fuzz/corpus-$target ;;
esac
if [ -z "$(ls -A "$work")" ]; then
  [ -d "$seeds" ] && cp "$seeds"/* "$work"/ 2>/dev/null || true
  [ "$target" = check ] && cp specs/tutorial/*.crit "$work"/  # text seeds: check mutates them as specs
fi
stamp=$(date -u +%Y%m%dT%H%M%S)
log=$build/logs/$target-$stamp.log
run=$build/logs/$target-$stamp.d  # -jobs=1 writes the worker's output to fuzz-0.log here
mkdir -p "$run"
echo "# $(date -u) load: $(cat /proc/loadavg)" > "$log"
# A sampler of the load average every minute while the run lasts.
( while sleep 60; do echo "# load $(date -u +%T) $(cat /proc/loadavg)"; done ) >> "$log" &
sampler=$!
# UBSan is built recoverable (-fsanitize=undefined): halt_on_error makes its reports findings, not log lines.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# libFuzzer 14's controller started a second job after the first had run its time
# (frontend, run 2): `timeout` ends the run once its time (and a minute) is over.
(cd "$run" && timeout $((seconds + 60)) nice -n 10 "$bin" -jobs=1 -workers=1 -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -dict="$src/fuzz/critsec.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 "$work") >> "$log" 2>&1 || true
kill "$sampler"
cat "$run"/fuzz-*.log >> "$log" 2>/dev/null || true
echo "# $(date -u) load: $(cat /proc/loadavg)" >> "$log"
grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb|#[0-9]+ +DONE" "$log" || tail -5 "$log"
