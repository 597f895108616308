#!/usr/bin/env bash
# Installs what critsec needs (Debian packages only) and builds it.
# Usage: scripts/setup.sh [build-dir] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; shift || true

need=()
# help2man, groff-base: the man page and its test; zsh and vim: the zsh completion's and the vim syntax's tests.
for pkg in g++ cmake ninja-build pkg-config python3 libz3-dev libcli11-dev catch2 libfmt-dev nlohmann-json3-dev libjemalloc-dev \
           help2man groff-base zsh vim libxml2-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
# The browser test's Chromium; node and npm for it and the VS Code grammar's test, asked by
# command, not by package: a node from another source (NodeSource's brings its own npm) serves as well.
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "ok installed" || need+=(chromium)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The grammar test's two npm packages (editors/test/package-lock.json), when the lock changed.
if [ ! -f editors/test/node_modules/.package-lock.json ] || [ editors/test/package-lock.json -nt editors/test/node_modules/.package-lock.json ]; then
  echo "setup: npm ci in editors/test" >&2
  (cd editors/test && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# The explore page's browser test (tests/browser/): puppeteer-core, at the
# versions package-lock.json pins, drives the chromium installed above.
if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  echo "setup: npm ci in tests/browser (puppeteer-core)" >&2
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch tests/browser/node_modules
fi

# Apache Ant's JUnit schema, which the grade test validates `--format junit` against (tests/junit/).
if [ ! -d tests/junit/node_modules ] || [ tests/junit/package-lock.json -nt tests/junit/node_modules ]; then
  echo "setup: npm ci in tests/junit (the JUnit schema)" >&2
  (cd tests/junit && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch tests/junit/node_modules
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
