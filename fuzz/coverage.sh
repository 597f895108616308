#!/usr/bin/env bash
# Line coverage of model/ and checker/ by the fuzz corpora: the three targets
# built for llvm-cov (no sanitizers), each run once over its corpus, the
# profiles merged, the report restricted to the two folders.
# Usage: fuzz/coverage.sh [BUILD_DIR] [CORPUS_ROOT]
#   BUILD_DIR (default build-cov) is configured here; CORPUS_ROOT (default fuzz)
#   holds corpus/ (front end), corpus-check/ and corpus-differential/.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=$(realpath -m "${1:-build-cov}")
corpora=$(realpath "${2:-fuzz}")
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCRITSEC_FUZZ=ON \
  -DCRITSEC_FUZZ_COVERAGE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 5 ninja -j1 -C "$build" fuzz_frontend fuzz_check fuzz_differential >/dev/null
rm -f "$build"/*.profraw
for t in frontend check differential; do
  case $t in frontend) c=$corpora/corpus ;; *) c=$corpora/corpus-$t ;; esac
  LLVM_PROFILE_FILE="$build/$t.profraw" nice -n 10 "$build/fuzz_$t" -runs=0 -rss_limit_mb=4096 -timeout=60 "$c" >"$build/$t-cov.log" 2>&1
done
llvm-profdata-14 merge -sparse "$build"/*.profraw -o "$build/all.profdata"
report() {  # $1: title, then the profiles' binaries
  local title=$1; shift
  local objects=(); for b in "$@"; do objects+=(-object "$b"); done
  echo "## $title"
  llvm-cov-14 report "${objects[@]:1}" -instr-profile="$build/all.profdata" "$src/model" "$src/checker" |
    awk -v src="$src/" '{sub(src, "")} /^(model|checker)\// {split($1, p, "/"); d = p[1] (p[2] ~ /\.(cpp|hpp)$/ ? "" : "/" p[2]);
         lines[d] += $8; missed[d] += $9; lines[p[1] "/ (all)"] += $8; missed[p[1] "/ (all)"] += $9}
         END {for (d in lines) printf "%-22s %6d lines %6d missed %6.2f%%\n", d, lines[d], missed[d], 100 * (lines[d] - missed[d]) / lines[d]}' | sort
}
report "all three targets" "$build/fuzz_frontend" "$build/fuzz_check" "$build/fuzz_differential"
