#!/bin/sh
# The man page as a reader gets it: rendered by groff (and man, where installed)
# without a warning, with a section for every subcommand `critsec --help` lists,
# every exit code of cli/exit_codes.hpp, and the version `critsec -V` prints.
# usage: man_test.sh build/critsec.1 build/critsec SOURCE_DIR
set -u
page=$1 critsec=$2 src=$3
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

warnings=$(LC_ALL=C.UTF-8 groff -k -man -Tutf8 -ww -z "$page" 2>&1) || fail "groff exited $?"
[ -z "$warnings" ] || fail "groff warns: $warnings"
if command -v man >/dev/null 2>&1; then
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l exited $?"
  [ -z "$warnings" ] || fail "man warns: $warnings"
fi

commands=$("$critsec" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$commands" ] || fail "no subcommand in critsec --help"
for cmd in $commands; do
  grep -q "^\.SS \"$cmd\"\$" "$page" || fail "no section for the subcommand $cmd"
done
codes=$(sed -n 's/^ *inline constexpr int [a-z_]* = \([0-9]*\);.*/\1/p' "$src/cli/exit_codes.hpp")
[ -n "$codes" ] || fail "no exit code in cli/exit_codes.hpp"
exit_status=$(sed -n '/^\.SH "EXIT STATUS"/,/^\.SH /p' "$page")
for code in $codes; do
  printf '%s\n' "$exit_status" | grep -q "^\\\\fB$code\\\\fR\$" || fail "exit code $code not under EXIT STATUS"
done
version=$("$critsec" -V | sed -n '1s/^critsec //p')
grep -q "^\.TH CRITSEC \"1\" \"[^\"]*\" \"critsec $version\"" "$page" || fail "the page's header does not say critsec $version"

echo "man page: $(echo $commands | wc -w) subcommands, $(echo $codes | wc -w) exit codes, version $version; $fails failures"
[ "$fails" -eq 0 ]
