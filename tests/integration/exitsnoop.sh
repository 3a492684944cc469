#!/bin/bash
# exitsnoop (issue #5): a tracer started in the background, processes
# with chosen names run from this shell, and the lines they must give:
# exit codes ("code 7"), signals ("signal 15 (TERM)"), a core dump, the
# age of a process that slept 1 s, a process whose main thread ends
# first (one line, at the end of its last thread; -T: one per thread),
# each checked against the status its parent's wait() got; the -x, -p,
# -m, -c filters (in the kernel), -t/--utc, --label, JSON, escaped
# names; clean ends on SIGINT, SIGTERM and SIGPIPE, no program left.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

EX=("$BPFBOX" exitsnoop)

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${EX[@]}" --help
expect_match "--help prints the usage" "$OUT" "^Usage: exitsnoop"
expect_match "--help documents --min-age" "$OUT" "--min-age SECS"
expect_rc "unknown option exits 2" 2 "${EX[@]}" --frobnicate
expect_match "unknown option is named" "$ERR" "^exitsnoop: unknown option"
expect_rc "bad pid exits 2" 2 "${EX[@]}" -p 0
expect_rc "non-numeric pid exits 2" 2 "${EX[@]}" -p 12x
expect_rc "negative min age exits 2" 2 "${EX[@]}" -m -1
expect_rc "min age with junk exits 2" 2 "${EX[@]}" --min-age 1s
expect_rc "min age 'nan' exits 2" 2 "${EX[@]}" -m nan
expect_rc "missing -p argument exits 2" 2 "${EX[@]}" -p
expect_rc "stray argument exits 2" 2 "${EX[@]}" extra
ln -s "$(readlink -f "$BPFBOX")" "$BB_TMP/exitsnoop"
expect_rc "a link named exitsnoop runs the tool" 0 "$BB_TMP/exitsnoop" --help
expect_match "the link prints exitsnoop's usage" "$OUT" "^Usage: exitsnoop"

if ! is_root; then
	run setpriv --reuid 65534 --regid 65534 --clear-groups "${EX[@]}"
	[ "$RC" = 1 ] && pass "not root: exit 1" || fail "not root: exit $RC"
	expect_match "not root: says what it needs" "$ERR" "needs root: CAP_BPF"
	skip "tracing needs root"
	exit 0
fi
run setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all "${EX[@]}"
[ "$RC" = 1 ] && pass "unprivileged: exit 1" || fail "unprivileged: exit $RC ($ERR)"
expect_match "unprivileged: says what it needs" "$ERR" "^exitsnoop: needs root: CAP_BPF"
expect_rc "missing cgroup exits 1" 1 "${EX[@]}" -c "$BB_TMP/nocg"
expect_match "missing cgroup is named" "$ERR" "nocg"

# ---- workload programs, with names of our own (the comm) ----
SH=$BB_TMP/bbc$$		# a copy of sh: exits with chosen codes
SIG=$BB_TMP/bbk$$		# sh again, for signals
SLP=$BB_TMP/bbs$$		# sleep
cp /bin/sh "$SH"
cp /bin/sh "$SIG"
cp "$(command -v sleep)" "$SLP"
SH_C=$(basename "$SH") SIG_C=$(basename "$SIG") SLP_C=$(basename "$SLP")

# the multi-threaded process and a waiter that prints wait()'s status
cat >"$BB_TMP/helper.c" <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int code, raw;

/* ends the process (exit_group) or, raw, only itself (exit) */
static void *worker(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "bb-worker");
	dprintf(1, "tid %ld\n", (long)syscall(SYS_gettid));
	usleep(300000);
	if (raw)
		syscall(SYS_exit, code);
	exit(code);
}

int main(int argc, char **argv)
{
	pthread_t t;
	int status;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "wait")) {
		pid = fork();
		if (pid == 0) {
			execv(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return 1;
		printf("pid %d status %d\n", pid, status);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "mt"))
		return 2;
	code = atoi(argv[2]);
	raw = argc > 3 && !strcmp(argv[3], "raw");
	if (pthread_create(&t, NULL, worker, NULL))
		return 99;
	pthread_exit(NULL);	/* the leader ends first */
}
EOF
MT=$BB_TMP/bbm$$
MT_C=$(basename "$MT")
HAVE_MT=1
if ! cc -O2 -pthread -o "$MT" "$BB_TMP/helper.c" 2>"$BB_TMP/cc.err"; then
	HAVE_MT=
	skip "multi-threaded cases: cannot build the helper with cc: $(head -c 300 "$BB_TMP/cc.err")"
fi

# the EXIT_CODE text of a wait() status, as exitsnoop must print it
status_text() {
	local s=$1 sig=$(($1 & 127)) txt
	if [ "$sig" = 0 ]; then
		[ $((s >> 8)) = 0 ] && echo 0 || echo "code $((s >> 8))"
		return
	fi
	txt="signal $sig ($(kill -l "$sig"))"
	[ $((s & 128)) = 0 ] || txt="$txt, core dumped"
	echo "$txt"
}

# ids of the programs process $1 holds (from its fds' fdinfo), listed
# by prog show while it runs; they must be gone at the end
OUR_IDS=()
note_prog_ids() {
	local ids id
	ids=$(cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' |
		sort -un)
	[ -n "$ids" ] || return 1
	for id in $ids; do
		"$BPFBOX" prog show id "$id" >/dev/null 2>&1 || return 1
	done
	mapfile -t -O "${#OUR_IDS[@]}" OUR_IDS <<<"$ids"
}

# start exitsnoop ARGS... with output in $BB_TMP/$TAG.out; PID in $XPID
start() {
	TAG=$1
	shift
	"${EX[@]}" "$@" >"$BB_TMP/$TAG.out" 2>"$BB_TMP/$TAG.err" &
	XPID=$!
}

# ready when it printed its header (text) or showed a probe exit (-j)
wait_ready() {
	for _ in $(seq 100); do
		if [ "$1" = json ]; then
			"$SH" -c 'exit 0'
			grep -q "\"comm\":\"$SH_C\"" "$BB_TMP/$TAG.out" && return 0
		else
			grep -q 'PCOMM ' "$BB_TMP/$TAG.out" && return 0
		fi
		kill -0 "$XPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$TAG: exitsnoop did not start: $(cat "$BB_TMP/$TAG.err")"
	return 1
}

# end it with SIGNAL after its events are out; sets STOPRC
stop() {
	sleep 0.4
	kill "-$1" "$XPID"
	wait "$XPID"
	STOPRC=$?
}

# the lines of process $1 in $TAG's text output (PID in column $PIDCOL)
PIDCOL=2
line_of() {
	awk -v p="$1" -v c="$PIDCOL" '$c == p' "$BB_TMP/$TAG.out"
}

# what the waiter (helper "wait") wrote: W_PID, W_ST (wait status) and,
# from a multi-threaded child, W_TID (its worker thread)
waited() {
	W_PID=$(awk '$1 == "pid" { print $2 }' "$1")
	W_ST=$(awk '$1 == "pid" { print $4 }' "$1")
	W_TID=$(awk '$1 == "tid" { print $2 }' "$1")
}

# expect_line DESC PID REGEX: exactly one line for PID, matching REGEX
expect_line() {
	local l n
	l=$(line_of "$2")
	n=$(printf '%s' "$l" | grep -c .)
	if [ "$n" != 1 ]; then
		fail "$1: $n lines for pid $2: $l"
		return
	fi
	expect_match "$1" "$l" "$3"
}

# ---- text: codes, signals, a core dump, age, the leader that ends first ----
start text
if wait_ready text; then
	if note_prog_ids "$XPID"; then
		pass "its program shows in prog show while it runs"
	else
		fail "prog show does not list a program of pid $XPID"
	fi
	"$SH" -c 'exit 7' &
	P_CODE=$!
	"$SLP" 1 &
	P_SLEEP=$!
	"$SIG" -c 'kill -TERM $$' &
	P_TERM=$!
	"$SH" -c 'exit 0' &
	P_ZERO=$!
	wait $P_CODE $P_TERM $P_ZERO
	if [ -n "$HAVE_MT" ]; then
		# SIGQUIT dumps a core into the current directory (core_pattern
		# "core..."), or to a helper when core_pattern is a pipe
		(cd "$BB_TMP" && ulimit -c unlimited &&
			exec "$MT" wait "$SIG" -c 'kill -QUIT $$') >"$BB_TMP/quit.wait"
		"$MT" wait "$MT" mt 5 >"$BB_TMP/mt.wait"
		"$MT" wait "$MT" mt 6 raw >"$BB_TMP/raw.wait"
	fi
	wait $P_SLEEP
	stop INT
	[ "$STOPRC" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $STOPRC"
	expect_match "header" "$(head -1 "$BB_TMP/text.out")" \
		"^PCOMM +PID +PPID +TID +AGE\(s\) +EXIT_CODE$"
	expect_line "exit 7: comm pid ppid tid age 'code 7'" "$P_CODE" \
		"^$SH_C +$P_CODE +$$ +$P_CODE +[0-9]+\.[0-9]{2} +code 7$"
	expect_line "exit 0 prints 0" "$P_ZERO" "^$SH_C +$P_ZERO +$$ +$P_ZERO .* 0$"
	expect_line "SIGTERM: 'signal 15 (TERM)'" "$P_TERM" \
		"^$SIG_C +$P_TERM +$$ +$P_TERM +[0-9.]+ +signal 15 \(TERM\)$"
	expect_line "sleep 1: exit 0" "$P_SLEEP" "^$SLP_C +$P_SLEEP .* 0$"
	AGE=$(line_of "$P_SLEEP" | awk '{ print $5 }')
	if awk -v a="$AGE" 'BEGIN { exit !(a >= 1.0 && a < 5) }'; then
		pass "sleep 1: AGE $AGE is at least 1 s"
	else
		fail "sleep 1: AGE '$AGE'"
	fi

	waited "$BB_TMP/quit.wait"
	Q_PID=$W_PID Q_ST=$W_ST
	CORE=$(cat /proc/sys/kernel/core_pattern)
	if [ -z "$HAVE_MT" ]; then
		skip "SIGQUIT and core dumps: no helper to get wait()'s status"
	elif [ -z "$Q_PID" ]; then
		fail "SIGQUIT: the waiter printed nothing"
	elif [ $((Q_ST & 128)) != 0 ]; then
		expect_line "SIGQUIT with ulimit -c: 'signal 3 (QUIT), core dumped'" \
			"$Q_PID" " $Q_PID +[0-9.]+ +signal 3 \(QUIT\), core dumped$"
	else
		# no core: exitsnoop must say so too, as wait() did
		expect_line "SIGQUIT, no core written (core_pattern '$CORE'): as wait() saw it" \
			"$Q_PID" " $Q_PID +[0-9.]+ +signal 3 \(QUIT\)$"
		case $CORE in
		core*) fail "SIGQUIT: core_pattern '$CORE' and ulimit -c unlimited in $BB_TMP, yet no core" ;;
		*) skip "'core dumped': core_pattern is '$CORE', so the kernel wrote no core in $BB_TMP" ;;
		esac
	fi
	rm -f "$BB_TMP"/core*

	if [ -n "$HAVE_MT" ]; then
		waited "$BB_TMP/mt.wait"
		M_PID=$W_PID M_ST=$W_ST M_TID=$W_TID
		[ "$M_ST" = $((5 << 8)) ] && pass "leader-first process: wait() got code 5" ||
			fail "leader-first process: wait() status '$M_ST'"
		expect_line "leader ends first: one line, at the last thread's end, code 5" \
			"$M_PID" "^$MT_C +$M_PID +[0-9]+ +$M_TID +(0\.[3-9]|[1-9][0-9]*\.)[0-9]+ +code 5$"
		waited "$BB_TMP/raw.wait"
		R_PID=$W_PID R_ST=$W_ST
		R_TXT=$(status_text "$R_ST")
		expect_line "leader, then the last thread with exit(6): as wait() saw it ($R_TXT)" \
			"$R_PID" "^$MT_C +$R_PID +[0-9]+ +[0-9]+ +[0-9.]+ +$R_TXT$"
	fi
fi

# ---- -T: one line per thread ----
if [ -n "$HAVE_MT" ]; then
	start threads -T
	if wait_ready text; then
		"$MT" wait "$MT" mt 5 >"$BB_TMP/t.wait"
		stop TERM
		[ "$STOPRC" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $STOPRC"
		waited "$BB_TMP/t.wait"
		T_PID=$W_PID T_TID=$W_TID
		T_OUT=$(line_of "$T_PID")
		expect_match "-T: the leader's own exit, first, code 0" \
			"$(printf '%s\n' "$T_OUT" | head -1)" \
			"^$MT_C +$T_PID +[0-9]+ +$T_PID +[0-9.]+ +0$"
		expect_match "-T: the worker thread (its comm, its tid), code 5" \
			"$(printf '%s\n' "$T_OUT" | tail -1)" \
			"^bb-worker +$T_PID +[0-9]+ +$T_TID +(0\.[3-9]|[1-9][0-9]*\.)[0-9]+ +code 5$"
		[ "$(printf '%s\n' "$T_OUT" | grep -c .)" = 2 ] &&
			pass "-T: two lines for a two-thread process" ||
			fail "-T: lines for pid $T_PID: $T_OUT"
	fi
fi

# ---- -x, -m, -p: in the kernel ----
start failed -x -v
if wait_ready text; then
	"$SH" -c 'exit 0' &
	F_OK=$!
	"$SH" -c 'exit 3' &
	F_BAD=$!
	wait $F_OK $F_BAD
	stop INT
	expect_match "-v: the program loaded, with its kernel id" "$(cat "$BB_TMP/failed.err")" \
		"^exitsnoop: program handle_exit \(section tp/sched/sched_process_exit\): tracepoint, [0-9]+ instructions, [0-9]+ verified, kernel id [1-9]"
	expect_match "-v: the attachment" "$(cat "$BB_TMP/failed.err")" \
		"^exitsnoop: program handle_exit attached: tracepoint sched/sched_process_exit$"
	expect_line "-x: a failed exit shown" "$F_BAD" " code 3$"
	[ -z "$(line_of "$F_OK")" ] && pass "-x: a successful exit filtered out" ||
		fail "-x: exit 0 shown: $(line_of "$F_OK")"
fi

start minage -m 0.5 -t
if wait_ready text; then
	"$SH" -c 'exit 0' &
	A_SHORT=$!
	"$SLP" 0.7 &
	A_LONG=$!
	wait $A_SHORT $A_LONG
	stop INT
	PIDCOL=3
	expect_match "-t: a TIME column" "$(head -1 "$BB_TMP/minage.out")" "^TIME +PCOMM"
	expect_line "-m 0.5: a process of 0.7 s shown, with its time" "$A_LONG" \
		"^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] $SLP_C +$A_LONG .* (0\.[7-9]|[1-9][0-9]*\.)[0-9]+ +0$"
	[ -z "$(line_of "$A_SHORT")" ] &&
		pass "-m 0.5: a short process filtered out" ||
		fail "-m: short process shown"
	PIDCOL=2
	# AGE is the number before EXIT_CODE, whatever spaces a comm holds
	if awk 'NR > 1 && match($0, / [0-9]+\.[0-9][0-9] +(0|code [0-9]+|signal .*)$/) {
			split(substr($0, RSTART + 1), f, " ")
			if (f[1] + 0 < 0.5) bad = 1
		} END { exit bad }' "$BB_TMP/minage.out"; then
		pass "-m 0.5: no line younger than 0.5 s"
	else
		fail "-m 0.5: younger lines: $(head -c 1000 "$BB_TMP/minage.out")"
	fi
fi

mkfifo "$BB_TMP/fifo"
"$SH" -c 'read x <"$0"; exit 9' "$BB_TMP/fifo" &
P_TARGET=$!
start pid -p "$P_TARGET" --utc --label lbl
if wait_ready text; then
	"$SH" -c 'exit 8' &
	P_OTHER=$!
	wait $P_OTHER
	echo go >"$BB_TMP/fifo"
	wait $P_TARGET
	stop INT
	HOUR=$(date -u +%H)
	expect_match "--utc --label: LABEL and TIME-UTC columns" \
		"$(head -1 "$BB_TMP/pid.out")" "^LABEL +TIME-UTC PCOMM"
	L=$(awk -v p="$P_TARGET" '$4 == p' "$BB_TMP/pid.out")
	expect_match "-p: the process, label first, UTC time" "$L" \
		"^lbl +$HOUR:[0-5][0-9]:[0-6][0-9] $SH_C +$P_TARGET .* code 9$"
	[ "$(grep -c . "$BB_TMP/pid.out")" = 2 ] && pass "-p: no other process shown" ||
		fail "-p: $(cat "$BB_TMP/pid.out")"
fi

# ---- JSON, and a hostile comm ----
HOST="$BB_TMP/$(printf 'bb\033[31mx')"
cp /bin/sh "$HOST"
start json -j
if wait_ready json; then
	"$SH" -c 'exit 7' &
	J_CODE=$!
	"$SIG" -c 'kill -TERM $$' &
	J_TERM=$!
	"$HOST" -c 'exit 2' &
	J_HOST=$!
	wait $J_CODE $J_TERM $J_HOST
	J_MT=
	if [ -n "$HAVE_MT" ]; then
		"$MT" wait "$MT" mt 5 >"$BB_TMP/j.wait"
		waited "$BB_TMP/j.wait"
		J_MT=$W_PID
	fi
	stop INT
	python3 - "$BB_TMP/json.out" "$J_CODE" "$J_TERM" "$J_HOST" "${J_MT:-0}" \
		"$$" "$SH_C" <<'PY' >"$BB_TMP/json.check" 2>&1
import json, sys
path = sys.argv[1]
code, term, host, mt, ppid = map(int, sys.argv[2:7])
sh_c = sys.argv[7]
evs = [json.loads(l) for l in open(path, encoding="utf-8")]
by = {}
for e in evs:
    by.setdefault(e["pid"], []).append(e)
e, = by[code]
assert e["event"] == "exit" and e["comm"] == sh_c, e
assert e["ppid"] == ppid and e["tid"] == code, e
assert e["exit_code"] == 7 and e["signal"] is None and e["status"] == 7 << 8, e
assert isinstance(e["age_ns"], int) and isinstance(e["ts_ns"], int), e
assert e["core_dumped"] is False, e
e, = by[term]
assert e["exit_code"] is None and e["signal"] == 15, e
assert e["signal_name"] == "TERM" and e["status"] == 15, e
e, = by[host]
assert e["comm"] == "bb\x1b[31mx" and e["exit_code"] == 2, e
if mt:
    e, = by[mt]
    assert e["tid"] != mt and e["exit_code"] == 5, e
    assert e["age_ns"] >= 300000000, e
print("ok")
PY
	if tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j: every line parses; codes, signal, comm, leader-first decode exactly"
	else
		fail "-j: $(cat "$BB_TMP/json.check")"
	fi
fi

start hostile
if wait_ready text; then
	"$HOST" -c 'exit 2' &
	H_PID=$!
	wait $H_PID
	stop INT
	if grep -q $'\033' "$BB_TMP/hostile.out"; then
		fail "a raw ESC byte reached the output"
	else
		pass "no raw ESC byte in the text output"
	fi
	expect_line "comm escaped" "$H_PID" '^bb\\x1b\[31mx +'"$H_PID"' .* code 2$'
fi

# cgroup v2: only the exit from the cgroup made for it
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=$CG2/bb-exitsnoop-$$
if [ -n "$CG2" ] && mkdir "$CG"; then
	start cgroup -c "$CG"
	if wait_ready text; then
		"$SH" -c 'exit 11' &
		C_OUT=$!
		(echo "$BASHPID" >"$CG/cgroup.procs" && exec "$SH" -c 'exit 12') &
		C_IN=$!
		wait $C_OUT $C_IN
		stop INT
		expect_line "-c: the exit in the cgroup" "$C_IN" " code 12$"
		[ -z "$(line_of "$C_OUT")" ] && pass "-c: exits outside the cgroup filtered out" ||
			fail "-c: an exit outside the cgroup was shown"
	fi
	rmdir "$CG"
else
	skip "-c: no cgroup v2 mounted to make a test cgroup in"
fi

# ---- SIGPIPE: `exitsnoop | head -3` ends while processes go on ----
pipe_event() { "$SH" -c 'exit 0'; }
expect_head_ends pipe_event "${EX[@]}"

LEFT=
for id in "${OUR_IDS[@]}"; do
	"$BPFBOX" prog show id "$id" >/dev/null 2>&1 && LEFT="$LEFT $id"
done
if [ ${#OUR_IDS[@]} -gt 0 ] && [ -z "$LEFT" ]; then
	pass "no exitsnoop program left loaded (ids ${OUR_IDS[*]})"
else
	fail "exitsnoop programs left loaded:${LEFT:- (none seen running)}"
fi
