#!/usr/bin/env bash
# How many real runs until every outcome the model predicts has been observed:
# three adders without a lock, main's inputs fixed (sums 2, 3 and 6, so every
# subset of surviving stores gives a different total), perturbed litmus runs.
# Runs `critsec compare` with growing -n until coverage is complete; the runs
# needed are the largest first_run + 1 over the predicted outcomes.
#
#   bench/coverage.sh [critsec binary] [perturb: random|yield|none] [seed]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
critsec="${1:-$here/../build/critsec}"
perturb="${2:-random}"
seed="${3:-1}"
spec="$(mktemp --suffix=.crit)"
trap 'rm -f "$spec"' EXIT
cat > "$spec" <<'SPEC'
total = Value("i", 0)

process Adder(n1, n2):
    total.value += n1 + n2

main:
    processes = [Adder(randint(1, 10), randint(1, 10)) for _ in range(3)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print(f"total {total.value}")
SPEC
inputs="1 1 1 2 3 3"
for n in 1000 10000 100000; do
  start=$(date +%s.%N)
  "$critsec" compare "$spec" -n "$n" --seed "$seed" --reuse --perturb "$perturb" --time-scale 0.0001 \
      --inputs "$inputs" --format json > "$spec.json" || true
  end=$(date +%s.%N)
  status=0
  python3 - "$spec.json" "$n" "$perturb" "$start" "$end" <<'PY' || status=$?
import json, sys
r = json.load(open(sys.argv[1]))
n, perturb, secs = sys.argv[2], sys.argv[3], float(sys.argv[5]) - float(sys.argv[4])
rows = [o for o in r["outcomes"] if o["predicted"]]
seen = [o for o in rows if o["observed"] > 0]
tv = r["trace_validation"]
print(f"-n {n} --perturb {perturb}: {len(seen)}/{len(rows)} predicted outcomes observed, "
      f"unpredicted runs {r['unpredicted_runs']}, traces replayed {tv['replayed']}/{r['runs']}, {secs:.1f} s")
for o in sorted(rows, key=lambda o: -o["observed"]):
    total = o["outcome"].splitlines()[0]
    print(f"    {total:<20} observed {o['observed']:>6}  first at run {o['first_run'] if o['observed'] else '-'}")
if len(seen) == len(rows):
    print(f"every predicted outcome observed within {max(o['first_run'] for o in rows) + 1} runs")
    sys.exit(3)
PY
  rm -f "$spec.json"
  [ "$status" = 3 ] && exit 0
done
echo "coverage incomplete after 100000 runs"
exit 1
