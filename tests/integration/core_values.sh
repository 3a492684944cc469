#!/bin/bash
# CO-RE values on the running kernel: build/itest/core_values runs a raw_tp
# program (built against build/vmlinux.h) in its own task and compares the
# task fields it read through CO-RE with getpid(), uname(), ... Each of its
# "ok" / "FAIL" / "skip" lines becomes one result. The VM matrix
# (vm_matrix.sh) runs the same binary on 6.1 and 6.12.
. tests/lib.sh

D=$(dirname "$PROGS")
BIN=$(itest_bin core_values)

if ! is_root; then
	skip "needs root (bpf(2))"
	exit 0
fi
if [ ! -x "$BIN" ] || [ ! -e "$D/core-progs/core_values.bpf.o" ]; then
	fail "$BIN or $D/core-progs/core_values.bpf.o is missing: make itests san core-progs"
	exit 0
fi

run "$BIN" "$D/core-progs"
itest_results
