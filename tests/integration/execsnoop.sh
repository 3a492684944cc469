#!/bin/bash
# execsnoop (issue #5): a tracer started in the background, known execs
# run from this shell, and the lines they must produce: comm, pid, ppid
# and arguments; failed execs (-x); an exec from a non-leader thread (the
# tgid shown, the old tid in JSON); the -n/-l/-u/-P/-c filters (applied
# in the kernel); -v; hostile input (newline and terminal escape
# sequences in an argument and in the comm, a literal "\x1b" typed as
# text) escaped in text and exact in JSON; and clean ends on SIGPIPE,
# SIGINT and SIGTERM with no program left loaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

ES=("$BPFBOX" execsnoop)

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${ES[@]}" --help
expect_match "--help lists --max-args" "$OUT" "--max-args"
expect_match "--help lists -v" "$OUT" "--verbose"
expect_rc "unknown option exits 2" 2 "${ES[@]}" --frobnicate
expect_rc "bad uid exits 2" 2 "${ES[@]}" -u no-such-user-bb
expect_rc "bad ppid exits 2" 2 "${ES[@]}" -P -3
expect_rc "stray argument exits 2" 2 "${ES[@]}" extra
expect_rc "-n longer than a comm exits 2" 2 "${ES[@]}" -n 0123456789abcdef
ln -s "$(readlink -f "$BPFBOX")" "$BB_TMP/execsnoop"
expect_rc "a link named execsnoop runs the tool" 0 "$BB_TMP/execsnoop" --help
expect_match "the link prints execsnoop's usage" "$OUT" "^Usage: execsnoop"

if ! is_root; then
	skip "tracing needs root"
	exit 0
fi
expect_rc "missing cgroup exits 1" 1 "${ES[@]}" -c "$BB_TMP/nocg"
expect_match "missing cgroup is named" "$ERR" "nocg"

# ids of execsnoop's programs loaded now; another execsnoop on this
# machine may come and go, so only ids that are new count as ours
progs_loaded() {
	"$BPFBOX" prog show 2>/dev/null |
		grep -E 'name (handle_exec|enter_execve|exit_execve)' |
		cut -d: -f1 | sort
}
BEFORE=$(progs_loaded)
new_progs() {
	comm -13 <(printf '%s\n' "$BEFORE") <(progs_loaded) | grep -c .
}

# start execsnoop ARGS... with output in $BB_TMP/$TAG.out; PID in $ESPID
start() {
	TAG=$1
	shift
	"${ES[@]}" "$@" >"$BB_TMP/$TAG.out" 2>"$BB_TMP/$TAG.err" &
	ESPID=$!
}

# ready when it printed its header (text) or showed a probe exec (-j)
wait_ready() {
	local i
	for i in $(seq 200); do
		if [ "$1" = json ]; then
			/bin/true "bb-ready-$$"
			grep -q "bb-ready-$$" "$BB_TMP/$TAG.out" && return 0
		else
			grep -q '^PCOMM\|PCOMM ' "$BB_TMP/$TAG.out" && return 0
		fi
		kill -0 "$ESPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$TAG: execsnoop did not start: $(cat "$BB_TMP/$TAG.err")"
	return 1
}

# end it with SIGNAL after its events are out; sets STOPRC
stop() {
	sleep 0.5
	kill "-$1" "$ESPID"
	wait "$ESPID"
	STOPRC=$?
}

# ---- text: a known exec and a failed one ----
start text -x -U
if wait_ready text; then
	if [ "$(new_progs)" -gt 0 ]; then
		pass "its programs show in prog show while it runs"
	else
		fail "prog show does not list its programs while it runs"
	fi
	(exec /bin/echo "bb-marker-$$" 'arg two' >/dev/null) &
	EPID=$!
	wait $EPID
	(exec "/nonexistent-bb-$$" x y) 2>/dev/null &
	FPID=$!
	wait $FPID
	stop INT
	[ "$STOPRC" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $STOPRC"
	T_OUT=$(cat "$BB_TMP/text.out")
	expect_match "header" "$T_OUT" "^UID +PCOMM +PID +PPID +RET ARGS"
	expect_match "exec line: uid comm pid ppid ret args" "$T_OUT" \
		"^0 +echo +$EPID +$$ +0 /bin/echo bb-marker-$$ arg two$"
	expect_match "failed exec (-x) with a negative RET" "$T_OUT" \
		" $FPID +$$ +-2 /nonexistent-bb-$$ x y$"
fi

# ---- hostile input: newline, ESC in args and in the comm ----
# and the 4 characters \x1b typed as text, which must not print as the
# escape of a real ESC byte: a backslash prints as \\
HOST="$BB_TMP/$(printf 'bb\033[31mx')"
cp /bin/true "$HOST"
hostile() {
	/bin/echo "bb-host-$$" "$(printf 'line1\nline2 \033]0;x\007end')" >/dev/null
	"$HOST" "bb-comm-$$"
	/bin/echo "bb-bs-$$" 'lit\x1b' 'a\\b' >/dev/null
	# valid UTF-8 that drives terminals: 8-bit CSI U+009B, RLO U+202E
	/bin/echo "bb-c1-$$" "$(printf 'a\302\23331mb')" "$(printf 'c\342\200\256d')" >/dev/null
}
start hostile -q
if wait_ready text; then
	hostile
	stop TERM
	[ "$STOPRC" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $STOPRC"
	H_OUT=$(cat "$BB_TMP/hostile.out")
	if grep -q $'\033' "$BB_TMP/hostile.out"; then
		fail "a raw ESC byte reached the output"
	else
		pass "no raw ESC byte in the text output"
	fi
	expect_match "newline and OSC escaped, one line" "$H_OUT" \
		'"bb-host-[0-9]+" "line1\\x0aline2 \\x1b\]0;x\\x07end"$'
	expect_match "comm escaped" "$H_OUT" '^bb\\x1b\[31mx .*"bb-comm-'
	expect_match "a backslash from the traced system prints as \\\\" \
		"$H_OUT" '"bb-bs-[0-9]+" "lit\\\\x1b" "a\\\\\\\\b"$'
	expect_match "8-bit CSI and a bidi override print as bytes" "$H_OUT" \
		'"bb-c1-[0-9]+" "a\\xc2\\x9b31mb" "c\\xe2\\x80\\xaed"$'
fi

# ---- JSON ----
start json -j -x
if wait_ready json; then
	(exec /bin/echo "bb-json-$$" 'arg two' >/dev/null) &
	JPID=$!
	wait $JPID
	hostile
	stop INT
	python3 - "$BB_TMP/json.out" "$JPID" "$$" <<'PY' >"$BB_TMP/json.check" 2>&1
import json, sys
path, jpid, ppid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
evs = [json.loads(l) for l in open(path, encoding="utf-8")]
print("parsed", len(evs))
mine = [e for e in evs if e["pid"] == jpid]
assert mine, "no event for pid %d" % jpid
e = mine[0]
assert e["event"] == "exec" and e["comm"] == "echo", e
assert e["ppid"] == ppid and e["ret"] == 0, e
assert e["args"] == ["/bin/echo", "bb-json-%d" % ppid, "arg two"], e
assert isinstance(e["uid"], int) and isinstance(e["ts_ns"], int), e
h = [e for e in evs if len(e["args"]) > 1 and e["args"][1] == "bb-host-%d" % ppid]
assert h and h[0]["args"][2] == "line1\nline2 \x1b]0;x\x07end", h
c = [e for e in evs if e["args"][1:] == ["bb-comm-%d" % ppid]]
assert c and c[0]["comm"] == "bb\x1b[31mx", c
b = [e for e in evs if e["args"][1:2] == ["bb-bs-%d" % ppid]]
assert b and b[0]["args"][2:] == ["lit\\x1b", "a\\\\b"], b
c1 = [e for e in evs if e["args"][1:2] == ["bb-c1-%d" % ppid]]
assert c1 and c1[0]["args"][2:] == ["a\u009b31mb", "c\u202ed"], c1
raw = open(path, "rb").read()
assert b"\xc2\x9b" not in raw and b"\xe2\x80\xae" not in raw, "raw C1/bidi in JSON"
print("ok")
PY
	if tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j: every line parses; exec, escapes and comm decode exactly"
	else
		fail "-j: $(cat "$BB_TMP/json.check")"
	fi
fi

# ---- kernel filters ----
# -n as libbpf-tools: the comm contains NAME (here in its middle); -v
# says on stderr what was loaded and attached
NAMED="$BB_TMP/zz-bbn$$-q"
cp /bin/true "$NAMED"
start name -v -n "bbn$$"
if wait_ready text; then
	/bin/echo "bb-other-$$" >/dev/null
	"$NAMED" "bb-named-$$"
	stop INT
	N_OUT=$(cat "$BB_TMP/name.out")
	expect_match "-n: a comm containing NAME is shown" "$N_OUT" \
		"^zz-bbn$$-q .*bb-named-$$"
	if grep -q "bb-other-$$" "$BB_TMP/name.out"; then
		fail "-n: another comm was shown"
	else
		pass "-n: other comms filtered out"
	fi
	V_ERR=$(cat "$BB_TMP/name.err")
	expect_match "-v: the program loaded, with its kernel id" "$V_ERR" \
		"^execsnoop: program handle_exec \(section tp/sched/sched_process_exec\): tracepoint, .*kernel id [1-9]"
	expect_match "-v: the filter set in the kernel" "$V_ERR" \
		"^execsnoop: filters in the kernel: comm contains 'bbn$$';"
	expect_match "-v: the attachment" "$V_ERR" \
		"^execsnoop: program handle_exec attached: tracepoint sched/sched_process_exec"
fi

# exec from a thread that is not the leader: the kernel gives the
# exec'ing thread the leader's pid, so PID is the tgid from before, and
# JSON's tid the thread that called execve (tests a C helper built here)
cat >"$BB_TMP/thread_exec.c" <<'EOF_C'
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static char **args;

static void *run(void *unused)
{
	(void)unused;
	fprintf(stderr, "%d %ld\n", getpid(), (long)syscall(SYS_gettid));
	execv(args[0], args);
	perror("execv");
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2)
		return 2;
	args = argv + 1;
	if (pthread_create(&t, NULL, run, NULL))
		return 1;
	for (;;)
		pause();	/* the exec ends this thread */
}
EOF_C
if ! ${CC:-cc} -O1 -pthread -o "$BB_TMP/thread_exec" "$BB_TMP/thread_exec.c" \
	2>"$BB_TMP/thread_cc.err"; then
	skip "exec from a thread: no C compiler to build the helper: $(head -c 300 "$BB_TMP/thread_cc.err")"
else
	start thread -j -P $$
	if wait_ready json; then
		"$BB_TMP/thread_exec" /bin/echo "bb-thread-$$" >/dev/null \
			2>"$BB_TMP/thread.ids"
		read -r TGID TTID <"$BB_TMP/thread.ids"
		stop INT
		if [ -n "$TTID" ] && [ "$TGID" != "$TTID" ]; then
			pass "the helper exec'd from thread $TTID, not its leader $TGID"
		else
			fail "exec from a thread: helper said '$(cat "$BB_TMP/thread.ids")'"
		fi
		python3 - "$BB_TMP/thread.out" "$TGID" "$TTID" "$$" <<'PY' \
			>"$BB_TMP/thread.check" 2>&1
import json, sys
path, tgid, tid, ppid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
evs = [json.loads(l) for l in open(path, encoding="utf-8")]
m = [e for e in evs if e["args"] == ["/bin/echo", "bb-thread-%d" % ppid]]
assert len(m) == 1, m
e = m[0]
assert (e["pid"], e["tid"], e["ppid"], e["comm"]) == (tgid, tid, ppid, "echo"), e
print("ok")
PY
		if tail -1 "$BB_TMP/thread.check" | grep -qx ok; then
			pass "-j: exec from a thread: pid is the tgid, tid the old thread"
		else
			fail "-j: exec from a thread: $(cat "$BB_TMP/thread.check")"
		fi
	fi
	start thread_text -P $$
	if wait_ready text; then
		"$BB_TMP/thread_exec" /bin/echo "bb-thread2-$$" >/dev/null \
			2>"$BB_TMP/thread.ids"
		read -r TGID TTID <"$BB_TMP/thread.ids"
		stop INT
		expect_match "text: exec from a thread shows the tgid as PID" \
			"$(cat "$BB_TMP/thread_text.out")" \
			"^echo +$TGID +$$ +0 /bin/echo bb-thread2-$$$"
	fi
fi

start line -l "needle two-$$"
if wait_ready text; then
	/bin/echo "bb-noline-$$" >/dev/null
	/bin/echo a "needle" "two-$$" b >/dev/null
	stop INT
	L_OUT=$(cat "$BB_TMP/line.out")
	expect_match "-l matches across arguments" "$L_OUT" \
		"^echo .* /bin/echo a needle two-$$ b$"
	if grep -q "bb-noline-$$" "$BB_TMP/line.out"; then
		fail "-l: a non-matching exec was shown"
	else
		pass "-l: non-matching execs filtered out"
	fi
fi

start uid -u nobody -U
if wait_ready text; then
	/bin/echo "bb-root-$$" >/dev/null
	setpriv --reuid 65534 --regid 65534 --clear-groups \
		/bin/echo "bb-nobody-$$" >/dev/null
	stop INT
	U_OUT=$(cat "$BB_TMP/uid.out")
	expect_match "-u NAME: that user's exec" "$U_OUT" \
		"^65534 +echo .*bb-nobody-$$"
	if grep -q "bb-root-$$" "$BB_TMP/uid.out"; then
		fail "-u: root's exec was shown"
	else
		pass "-u: other users filtered out"
	fi
fi

start ppid -P $$ --max-args 2
if wait_ready text; then
	/bin/echo "bb-child-$$" a b c >/dev/null
	# the marker is built inside sh: its own argv does not hold it
	/bin/sh -c '/bin/echo "bb-grandchild-$0"; true' "$$" >/dev/null
	stop INT
	P_OUT=$(cat "$BB_TMP/ppid.out")
	expect_match "-P: a child of this shell, --max-args 2 cut" "$P_OUT" \
		"^echo +[0-9]+ +$$ +0 /bin/echo bb-child-$$ \.\.\.$"
	if grep -q "bb-grandchild-$$" "$BB_TMP/ppid.out"; then
		fail "-P: a grandchild was shown"
	else
		pass "-P: other parents filtered out"
	fi
fi

# cgroup v2: only the exec from the cgroup made for it
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=$CG2/bb-execsnoop-$$
if [ -n "$CG2" ] && mkdir "$CG"; then
	start cgroup -c "$CG"
	if wait_ready text; then
		/bin/echo "bb-outside-$$" >/dev/null
		(echo "$BASHPID" >"$CG/cgroup.procs" &&
			exec /bin/echo "bb-inside-$$" >/dev/null)
		stop INT
		C_OUT=$(cat "$BB_TMP/cgroup.out")
		expect_match "-c: the exec in the cgroup" "$C_OUT" "bb-inside-$$"
		if grep -q "bb-outside-$$" "$BB_TMP/cgroup.out"; then
			fail "-c: an exec outside the cgroup was shown"
		else
			pass "-c: execs outside the cgroup filtered out"
		fi
	fi
	rmdir "$CG"
else
	skip "-c: no cgroup v2 mounted to make a test cgroup in"
fi

# ---- SIGPIPE: `execsnoop | head -3` ends while execs go on ----
pipe_event() { /bin/true; }
expect_head_ends pipe_event "${ES[@]}"

LEFT=$(new_progs)
if [ "$LEFT" = 0 ]; then
	pass "no execsnoop program left loaded"
else
	fail "$LEFT execsnoop programs left loaded: $(progs_loaded | tr '\n' ' ')"
fi
