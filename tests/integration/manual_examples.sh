#!/bin/bash
# The bpf(2) manual's examples and the other raw commands, run by the C
# program build/itest/manual_examples (made by `make itests`): each of its
# "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" lines becomes one result.
. tests/lib.sh

BIN=$(itest_bin manual_examples)

if ! is_root; then
	skip "needs root (bpf(2), bpffs)"
	exit 0
fi
if [ ! -x "$BIN" ]; then
	fail "$BIN is missing: build it with make itests san"
	exit 0
fi

run "$BIN" "$PROGS"
n=0
while IFS= read -r line; do
	case $line in
	"ok "*)		pass "${line#ok }"; n=$((n + 1)) ;;
	"FAIL "*)	fail "${line#FAIL }"; n=$((n + 1)) ;;
	"skip "*)	skip "${line#skip }"; n=$((n + 1)) ;;
	esac
done <<<"$OUT"

# a crash or an early exit must not pass silently
if [ "$n" = 0 ]; then
	fail "$BIN printed no results (exit $RC): $ERR"
elif [ "$RC" != 0 ] && ! grep -q '^FAIL ' <<<"$OUT"; then
	fail "$BIN exited $RC without a FAIL line: $ERR"
fi
