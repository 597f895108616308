#!/usr/bin/env bash
# Grades a class of N submissions (default 300) of exercise 01: the synthetic
# submissions of tests/grading/submissions/ cycled into one folder per
# student, then `critsec grade` over the folder. Prints the wall time, the
# submissions per second, the slowest submission and the load average.
# usage: bench/grading/run.sh [build/critsec] [N] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/../.."
critsec=${1:-build/critsec}
n=${2:-300}
jobs=${3:-$(nproc)}
class=$(mktemp -d)
trap 'rm -rf "$class"' EXIT
mapfile -t sources < <(find tests/grading/submissions -name '*.crit' -o -name '*.py' | sort)
for ((i = 0; i < n; i++)); do
  src=${sources[$((i % ${#sources[@]}))]}
  mkdir -p "$class/student$i"
  cp "$src" "$class/student$i/$(basename "$src")"
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
"$critsec" grade exercises/01_lost_update_lock/ "$class" --format json -j "$jobs" 2>/dev/null > "$class/report.json" || true
end=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$class/report.json" "$start" "$end" "$jobs" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
results = report["results"]
slowest = max(results, key=lambda r: r["seconds"])
statuses = {}
for r in results:
    statuses[r["status"]] = statuses.get(r["status"], 0) + 1
print(f"{len(results)} submissions in {wall:.1f} s wall ({len(results) / wall:.2f} per second), -j {sys.argv[4]}")
print(f"full marks: {report['full_marks']}; statuses: {statuses}")
print(f"slowest: {slowest['submission']} {slowest['seconds']:.1f} s ({slowest['status']})")
killed = sum(1 for r in results if r["message"].startswith("UNKNOWN: still running after"))
print(f"killed at the wall-clock limit: {killed}")
for r in results:
    if r["status"] == "out-of-budget":
        statuses.setdefault("why", set()).add(r["message"][:60])
print(sorted(statuses.get("why", [])))
PY
