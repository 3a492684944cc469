#!/bin/bash
# Event channels: the ring buffer and perf buffer consumers, fed by
# tests/progs/buffers_prod.bpf.c through BPF_PROG_TEST_RUN. The C program
# build/itest/buffers (made by `make itests`) prints one "ok WHAT" /
# "FAIL WHAT: WHY" / "skip WHAT: WHY" line per check; each becomes one
# result here. The sanitizer round runs the ASan+UBSan build of it.
. tests/lib.sh

BIN=$(itest_bin buffers)
if ! is_root; then
	skip "needs root (bpf(2), perf_event_open(2))"
	exit 0
fi
if [ ! -x "$BIN" ]; then
	fail "$BIN is missing: build it with make itests san"
	exit 0
fi
if [ ! -f "$PROGS/buffers_prod.bpf.o" ]; then
	fail "$PROGS/buffers_prod.bpf.o is missing: build it with make progs"
	exit 0
fi

run "$BIN" "$PROGS"
itest_results
