#!/bin/bash
# Every attach kind against the running kernel, run by the C program
# itest/attach_kinds (made by `make itests`, next to $PROGS): each of its
# "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" lines becomes one
# result here; "fired KIND" lines are for the VM matrix and only shown.
. tests/lib.sh

BIN=${ATTACH_KINDS:-$(itest_bin attach_kinds)}

if ! is_root; then
	skip "needs root (bpf(2), perf_event_open, bpffs)"
	exit 0
fi
if [ ! -x "$BIN" ]; then
	fail "$BIN is missing: build it with make itests san"
	exit 0
fi

run timeout 300 "$BIN" "$PROGS"
itest_results
fired=$(sed -n 's/^fired //p' <<<"$OUT" | sort -u | tr '\n' ' ')
echo "     $T: fired on $(uname -r): ${fired:-nothing}"

# nothing of the test's stays in the kernel (bpftool, when installed)
if command -v bpftool >/dev/null; then
	left=$(bpftool prog list 2>/dev/null |
		grep -E 'name (tp_getppid|tp_manual|raw_enter|btf_enter|sample|sock_count|iter_tasks_prin|unlink_entry|unlink_exit|lsm_open) ')
	if [ -z "$left" ]; then
		pass "no attach_kinds program left in the kernel (bpftool prog list)"
	else
		fail "programs left in the kernel: $left"
	fi
fi
