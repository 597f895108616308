#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs critsec on the
# tutorial specs (verdicts, predicted outcomes, real runs), one table.
# Usage: scripts/tutorial.sh [extra `critsec suite` options, e.g. -n 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exec build/critsec suite specs/tutorial "$@"
