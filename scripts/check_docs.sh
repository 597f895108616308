#!/usr/bin/env bash
# Runs every example of docs/language.md against a critsec binary, with the
# checker the document holds itself (its section "Checking this document").
# Usage: scripts/check_docs.sh BINARY [DOCUMENT]; ctest runs it as docs_language_examples.
set -euo pipefail
binary=$(realpath "$1")
doc=$(realpath "${2:-$(dirname "$0")/../docs/language.md}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$doc" "$tmp/check_language_md.py" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("```py\n#!/usr/bin/env python3") + len("```py\n")
open(sys.argv[2], "w", encoding="utf-8").write(text[start:text.index("```", start)])
PY
CRITSEC="$binary" python3 "$tmp/check_language_md.py" "$doc"
