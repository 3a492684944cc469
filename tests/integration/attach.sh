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
n=0
while IFS= read -r line; do
	case $line in
	"ok "*)		pass "${line#ok }"; n=$((n + 1)) ;;
	"FAIL "*)	fail "${line#FAIL }"; n=$((n + 1)) ;;
	"skip "*)	skip "${line#skip }"; n=$((n + 1)) ;;
	esac
done <<<"$OUT"
fired=$(sed -n 's/^fired //p' <<<"$OUT" | sort -u | tr '\n' ' ')
echo "     $T: fired on $(uname -r): ${fired:-nothing}"

# a crash or an early exit must not pass silently
if [ "$n" = 0 ]; then
	fail "$BIN printed no results (exit $RC): $ERR"
elif [ "$RC" != 0 ] && ! grep -q '^FAIL ' <<<"$OUT"; then
	fail "$BIN exited $RC without a FAIL line: $ERR"
fi

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
