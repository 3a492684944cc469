#!/bin/bash
# Privileges (issue #7): run as an unprivileged user, every command that
# needs the kernel says in one line which capabilities it lacks, instead
# of a bare EPERM; the commands that only read files still work. The
# long-running commands (prog attach without --pin, tracelog, the tools) give up
# every capability once attached: /proc/PID/status shows CapEff, CapPrm
# and CapBnd empty and NoNewPrivs set, and detaching on SIGINT still works.
. tests/lib.sh

if ! is_root; then
	skip "needs root (to become an unprivileged user, and to attach)"
	exit 0
fi
if ! command -v setpriv >/dev/null; then
	fail "setpriv is missing (util-linux)"
	exit 0
fi
# nobody, without supplementary groups or capabilities
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$@"
}
# the binary must be reachable for nobody (build dirs under /root are not)
BIN=$BB_TMP/bpfbox
cp "$BPFBOX" "$BIN"
chmod 755 "$BB_TMP" "$BIN"

for cmd in "prog show" "prog load $PROGS/demo.bpf.o /sys/fs/bpf/bbtest_np" \
	   "map show" "link show" "btf show" "tracelog" \
	   "prog attach id 1 tp/syscalls/sys_enter_getpgid"; do
	# shellcheck disable=SC2086 # cmd is a list of words
	run as_nobody "$BIN" $cmd
	lines=$(printf '%s\n' "$ERR" | wc -l)
	want=$(awk '{ print $1 ($2 ? " " $2 : "") }' <<<"$cmd")
	if [ "$RC" = 1 ] && [ "$lines" = 1 ] &&
	   grep -q "needs root: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON" <<<"$ERR" &&
	   grep -q "'$want'" <<<"$ERR"; then
		pass "unprivileged '$want': exit 1, one line naming the capabilities"
	else
		fail "unprivileged '$cmd': rc $RC, stderr: $ERR"
	fi
done

# the tools say the same in their own words
run as_nobody "$BIN" execsnoop
[ "$RC" = 1 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] &&
	grep -q 'execsnoop: needs root: CAP_BPF and CAP_PERFMON' <<<"$ERR" &&
	pass "unprivileged execsnoop: exit 1, one line naming the capabilities" ||
	fail "unprivileged execsnoop: rc $RC, stderr: $ERR"

cp "$PROGS/demo.bpf.o" "$BB_TMP/demo.bpf.o"
chmod 644 "$BB_TMP/demo.bpf.o"
expect_rc "unprivileged object show works" 0 as_nobody "$BIN" object show "$BB_TMP/demo.bpf.o"
run as_nobody "$BIN" btf dump file /sys/kernel/btf/vmlinux format c
[ "$RC" = 0 ] && grep -q '^struct task_struct {' <<<"$OUT" &&
	pass "unprivileged btf dump file works" ||
	fail "unprivileged btf dump file: rc $RC: $(head -c 300 <<<"$ERR")"
expect_rc "unprivileged prog help works" 0 as_nobody "$BIN" prog help

# ---- dropping capabilities once attached ----
bb_bpffs
PIN=/sys/fs/bpf/bbtest_priv_$$
trap 'rm -rf "$PIN" "$BB_TMP"' EXIT
expect_rc "load a tracepoint program" 0 \
	"$BPFBOX" prog load "$PROGS/tracepoints.bpf.o" "$PIN"
caps_of() {	# caps_of PID: "CapEff CapPrm CapBnd NoNewPrivs"
	awk '/^CapEff|^CapPrm|^CapBnd|^NoNewPrivs/ { printf "%s ", $2 }' \
		"/proc/$1/status"
}
wait_for() {	# wait_for FILE REGEX
	local i
	for i in $(seq 1 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

"$BPFBOX" prog attach pinned "$PIN" tp/syscalls/sys_enter_getpgid \
	2>"$BB_TMP/attach.err" &
pid=$!
if wait_for "$BB_TMP/attach.err" '^attached'; then
	caps=$(caps_of "$pid")
	[ "$caps" = "0000000000000000 0000000000000000 0000000000000000 1 " ] &&
		pass "prog attach: no capabilities left once attached" ||
		fail "prog attach: CapEff CapPrm CapBnd NoNewPrivs = $caps"
else
	fail "prog attach did not attach: $(cat "$BB_TMP/attach.err")"
fi
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] && pass "prog attach without capabilities still detaches on SIGINT" ||
	fail "prog attach exit $rc after SIGINT: $(cat "$BB_TMP/attach.err")"
rm -rf "$PIN"

"$BPFBOX" tracelog >/dev/null 2>"$BB_TMP/tl.err" &
pid=$!
sleep 0.5
caps=$(caps_of "$pid")
[ "$caps" = "0000000000000000 0000000000000000 0000000000000000 1 " ] &&
	pass "tracelog: no capabilities left once the pipe is open" ||
	fail "tracelog: CapEff CapPrm CapBnd NoNewPrivs = $caps ($(cat "$BB_TMP/tl.err"))"
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] && pass "tracelog ends with exit 0 on SIGTERM" ||
	fail "tracelog exit $rc after SIGTERM"

"$BPFBOX" execsnoop >"$BB_TMP/es.out" 2>"$BB_TMP/es.err" &
pid=$!
if wait_for "$BB_TMP/es.out" '^PCOMM'; then
	caps=$(caps_of "$pid")
	[ "$caps" = "0000000000000000 0000000000000000 0000000000000000 1 " ] &&
		pass "execsnoop: no capabilities left once attached" ||
		fail "execsnoop: CapEff CapPrm CapBnd NoNewPrivs = $caps"
else
	fail "execsnoop did not start: $(cat "$BB_TMP/es.err")"
fi
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] && pass "execsnoop without capabilities ends with exit 0 on SIGINT" ||
	fail "execsnoop exit $rc after SIGINT: $(cat "$BB_TMP/es.err")"
