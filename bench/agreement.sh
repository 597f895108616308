#!/usr/bin/env bash
# The model against the machine at scale: `critsec compare` over N perturbed litmus
# runs of every spec in specs/ (main's inputs as the spec fixes them, else drawn by
# each run), one row per spec: unpredicted outcomes (goal 0), event logs that do
# not replay in the model exactly as logged (goal 0; nothing is reordered), and the
# share of the predicted outcomes seen (for a spec whose runs all had one input
# vector; the sum over vectors otherwise). A run stopped as a livelock or a deadlock
# has a log cut by the kill: it is counted apart (not checked), not as a divergence.
#
#   bench/agreement.sh [critsec binary] [runs per spec, 100000] [perturb: random|yield|none] [seconds per spec] [spec...]
#
# Each spec gets at most `seconds per spec` (compare's --timeout; default a day):
# the row then says how many runs it made. Prints the load average before and
# after, and each spec's wall time. The livelock window is 0.01 s (a proven spin
# is a livelock however long it lasts): at the default 1 s, a spec whose every
# run livelocks would make a run a second.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
critsec="${1:-$here/../build/critsec}"
runs="${2:-100000}"
perturb="${3:-random}"
cap="${4:-86400}"
shift $(( $# < 4 ? $# : 4 ))
if [ $# -gt 0 ]; then specs=("$@"); else mapfile -t specs < <(cd "$here/.." && find specs -name '*.crit' | sort); fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "critsec compare SPEC -n $runs --reuse --perturb $perturb --time-scale 0.0001 --livelock-after 0.01 --timeout $cap --format json"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-42s | %8s | %16s | %18s | %11s | %19s | %7s | %7s |\n' spec runs unpredicted "logs not replaying" "not checked" "predicted seen" share "wall s"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..44})" ---------- ------------------ -------------------- ------------- --------------------- --------- ---------
for spec in "${specs[@]}"; do
  path="$spec"; [ -f "$path" ] || path="$here/../$spec"
  json="$out/$(basename "$spec").json"
  start=$(date +%s.%N)
  "$critsec" compare "$path" -n "$runs" --reuse --perturb "$perturb" --time-scale 0.0001 --livelock-after 0.01 --timeout "$cap" --format json > "$json" 2> "$out/err" || true
  end=$(date +%s.%N)
  python3 - "$json" "$spec" "$start" "$end" "$out/err" <<'PY'
import json, sys
path, spec, start, end, err = sys.argv[1:6]
secs = float(end) - float(start)
try:
    r = json.load(open(path))
except ValueError:
    msg = open(err).read().strip().splitlines()
    print(f"| {spec:<42} | no report: {msg[-1] if msg else '?'} |")
    sys.exit(0)
tv = r["trace_validation"]
cov = r["coverage"]
share = f"{100.0 * cov['observed'] / cov['predicted']:.1f}%" if cov["predicted"] else "-"
seen = f"{cov['observed']}/{cov['predicted']}" + ("" if cov["single_input_vector"] else " (vectors)")
# A run whose inputs' prediction did not finish (the time cap hit the checker) is inconclusive, not unpredicted.
unpredicted = f"{r['unpredicted_runs']}" + (f" ({r['inconclusive_runs']} inconclusive)" if r["inconclusive_runs"] else "")
print(f"| {spec:<42} | {r['runs']:>8} | {unpredicted:>16} | {tv['diverged']:>18} | {tv['not_checked']:>11} | {seen:>19} | {share:>7} | {secs:>7.1f} |")
for d in tv.get("divergences", [])[:2]:
    print(f"|   diverged: {json.dumps({k: v for k, v in d.items() if k != 'chart'})[:400]}")
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
