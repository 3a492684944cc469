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
itest_results
