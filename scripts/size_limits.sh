#!/usr/bin/env bash
# The size limits of the product code: no file over 700 lines, no function
# over 80 (clang-tidy's readability-function-size, lambdas counted in the
# function that holds them). Prints each offender; exit 1 if there is one.
# Usage: scripts/size_limits.sh [build-dir with compile_commands.json] [files...]
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; shift || true
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(git ls-files 'model/*.cpp' 'checker/*.cpp' 'runtime/*.cpp' 'compare/*.cpp' 'grading/*.cpp' 'cli/*.cpp')
status=0
for f in $(git ls-files 'model/*' 'checker/*' 'runtime/*' 'compare/*' 'grading/*' 'cli/*' | grep -E '\.(cpp|hpp)$'); do
  n=$(wc -l < "$f")
  if [ "$n" -gt 700 ]; then echo "$f: $n lines (limit 700)"; status=1; fi
done
config='{CheckOptions: [{key: readability-function-size.LineThreshold, value: 80}]}'
out=$(printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet \
        -checks='-*,readability-function-size' --header-filter='/(model|checker|runtime|compare|grading|cli)/' -config="$config" 2>/dev/null |
      awk '/warning: function/ {loc=$1; match($0, /function .[^ ]*. /); name=substr($0, RSTART+9, RLENGTH-10)}
           /note: [0-9]+ lines/ {print loc " " name ": " $3 " lines (limit 80)"}' | sort -u)
if [ -n "$out" ]; then echo "$out"; status=1; fi
exit $status
