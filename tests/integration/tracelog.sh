# bpfbox tracelog: bpf_printk lines reach stdout, and the command ends
# when its reader goes away (| head -1), on SIGINT and on SIGTERM.
. tests/lib.sh

PIN=/sys/fs/bpf/bbtest_tracelog_$$
trap 'rm -rf "$BB_TMP" "$PIN"' EXIT

expect_rc "tracelog help exits 0" 0 "$BPFBOX" tracelog help
expect_match "tracelog help prints usage" "$OUT" "^Usage: bpfbox tracelog"
expect_rc "prog tracelog help exits 0" 0 "$BPFBOX" prog tracelog help
expect_rc "tracelog with an argument is a usage error" 2 "$BPFBOX" tracelog x
expect_rc "tracelog -j is a usage error" 2 "$BPFBOX" -j tracelog

if ! is_root; then
	skip "tracelog: needs root for tracefs and bpf(2)"
	exit 0
fi

# the trace_pipe is shared: another reader may take a line, so each
# check triggers several times while tracelog runs. Prints how long
# "timeout 8 tracelog | CMD" took and tracelog's exit code.
# tl_pipe TRIGGER CMD...
tl_pipe() {
	local trig=$1
	shift
	( for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.3; $trig; done ) &
	local tp=$! t0 t1
	t0=$(date +%s%N)
	timeout 8 "$BPFBOX" tracelog 2>"$BB_TMP/tl.err" | "$@" >"$BB_TMP/tl.out"
	TL_RC=${PIPESTATUS[0]}
	t1=$(date +%s%N)
	TL_MS=$(( (t1 - t0) / 1000000 ))
	kill "$tp" 2>/dev/null
	wait "$tp" 2>/dev/null
}

TRACEFS=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
if [ -z "$TRACEFS" ]; then
	# bpfbox mounts it; ask it to, then look again
	timeout 1 "$BPFBOX" tracelog >/dev/null 2>&1
	TRACEFS=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
fi

# ---- without BPF: trace_marker lines -------------------------------------

if [ -n "$TRACEFS" ] && [ -w "$TRACEFS/trace_marker" ]; then
	marker() { echo "bbtest-marker-$$" >"$TRACEFS/trace_marker"; }
	tl_pipe marker grep -m1 -- "bbtest-marker-$$"
	expect_match "tracelog shows a trace_marker line" "$(cat "$BB_TMP/tl.out")" \
		"tracing_mark_write: bbtest-marker-$$"
	[ "$TL_RC" = 0 ] && pass "tracelog ends with exit 0 when grep -m1 exits" ||
		fail "tracelog | grep -m1: tracelog exit $TL_RC ($(cat "$BB_TMP/tl.err"))"
	tl_pipe marker head -1
	if [ "$TL_RC" != 124 ] && [ "$TL_MS" -lt 7000 ]; then
		pass "tracelog | head -1 ends when head exits (${TL_MS} ms, exit $TL_RC)"
	else
		fail "tracelog | head -1 hung until timeout (exit $TL_RC)"
	fi
else
	skip "trace_marker checks: no writable trace_marker in tracefs ('$TRACEFS')"
fi

# ---- signals -------------------------------------------------------------

for sig in INT TERM; do
	"$BPFBOX" tracelog >/dev/null 2>"$BB_TMP/tl.err" &
	p=$!
	sleep 0.5
	kill -"$sig" "$p"
	wait "$p"
	rc=$?
	[ "$rc" = 0 ] && pass "tracelog: SIG$sig ends it with exit 0" ||
		fail "tracelog: SIG$sig: exit $rc ($(cat "$BB_TMP/tl.err"))"
done

# ---- bpf_printk from an attached program ---------------------------------

if [ ! -f "$PROGS/printk.bpf.o" ]; then
	skip "bpf_printk: $PROGS/printk.bpf.o not built (make progs)"
	exit 0
fi
bb_bpffs
mkdir -p "$PIN"
expect_rc "load the printk program" 0 \
	"$BPFBOX" prog load "$PROGS/printk.bpf.o" "$PIN/prog"
expect_rc "attach it to sys_enter_getpgid --pin" 0 \
	"$BPFBOX" prog attach pinned "$PIN/prog" tp/syscalls/sys_enter_getpgid \
	--pin "$PIN/link"
getpgid() { perl -e getpgrp; }
tl_pipe getpgid grep -m1 -- "bpfbox-printk-marker"
expect_match "tracelog shows the bpf_printk line" "$(cat "$BB_TMP/tl.out")" \
	"bpf_trace_printk: bpfbox-printk-marker pid [0-9]+"
[ "$TL_RC" = 0 ] && pass "tracelog | grep -m1 ends with exit 0" ||
	fail "tracelog | grep -m1 <marker>: exit $TL_RC"
tl_pipe getpgid head -1
if [ "$TL_RC" != 124 ] && [ "$TL_MS" -lt 7000 ]; then
	pass "tracelog | head -1 ends when head exits (${TL_MS} ms)"
else
	fail "tracelog | head -1 hung until timeout (exit $TL_RC)"
fi
rm -rf "$PIN"
