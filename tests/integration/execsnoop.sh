#!/bin/bash
# execsnoop (issue #5): a tracer started in the background, known execs
# run from this shell, and the lines they must produce: comm, pid, ppid
# and arguments; failed execs (-x); the -n/-l/-u/-P filters (applied in
# the kernel); hostile input (newline and terminal escape sequences in an
# argument and in the comm) escaped in text and valid in JSON; and clean
# ends on SIGPIPE, SIGINT and SIGTERM with no program left loaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

ES=("$BPFBOX" execsnoop)

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${ES[@]}" --help
expect_match "--help lists --max-args" "$OUT" "--max-args"
expect_rc "unknown option exits 2" 2 "${ES[@]}" --frobnicate
expect_rc "bad uid exits 2" 2 "${ES[@]}" -u no-such-user-bb
expect_rc "bad ppid exits 2" 2 "${ES[@]}" -P -3
expect_rc "stray argument exits 2" 2 "${ES[@]}" extra
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
HOST="$BB_TMP/$(printf 'bb\033[31mx')"
cp /bin/true "$HOST"
hostile() {
	/bin/echo "bb-host-$$" "$(printf 'line1\nline2 \033]0;x\007end')" >/dev/null
	"$HOST" "bb-comm-$$"
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
print("ok")
PY
	if tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j: every line parses; exec, escapes and comm decode exactly"
	else
		fail "-j: $(cat "$BB_TMP/json.check")"
	fi
fi

# ---- kernel filters ----
NAMED="$BB_TMP/bbn$$"
cp /bin/true "$NAMED"
start name -n "bbn$$"
if wait_ready text; then
	/bin/echo "bb-other-$$" >/dev/null
	"$NAMED" "bb-named-$$"
	stop INT
	N_OUT=$(cat "$BB_TMP/name.out")
	expect_match "-n: the named comm is shown" "$N_OUT" "^bbn$$ .*bb-named-$$"
	if grep -q "bb-other-$$" "$BB_TMP/name.out"; then
		fail "-n: another comm was shown"
	else
		pass "-n: other comms filtered out"
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
(for i in $(seq 300); do /bin/true; sleep 0.05; done) &
LOOP=$!
SECONDS=0
timeout 30 "${ES[@]}" 2>"$BB_TMP/pipe.err" | head -3 >"$BB_TMP/pipe.out"
PRC=${PIPESTATUS[0]}
ELAPSED=$SECONDS
kill $LOOP 2>/dev/null
wait $LOOP 2>/dev/null
if [ "$PRC" != 124 ] && [ "$ELAPSED" -lt 20 ]; then
	pass "| head -3 ends promptly (exit $PRC, ${ELAPSED}s)"
else
	fail "| head -3: exit $PRC after ${ELAPSED}s: $(cat "$BB_TMP/pipe.err")"
fi
[ "$(wc -l <"$BB_TMP/pipe.out")" = 3 ] && pass "head got 3 lines" ||
	fail "head got: $(cat "$BB_TMP/pipe.out")"

LEFT=$(new_progs)
if [ "$LEFT" = 0 ]; then
	pass "no execsnoop program left loaded"
else
	fail "$LEFT execsnoop programs left loaded: $(progs_loaded | tr '\n' ' ')"
fi
