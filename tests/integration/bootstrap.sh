#!/bin/bash
# bootstrap (issue #5): libbpf-bootstrap's exec + exit stream. Processes
# with chosen names run from this shell and must give their EXEC line
# (comm, pid, ppid, filename) and EXIT line ([code] or [signal ...], the
# duration since the exec); -d drops short processes in the kernel (the
# -v summary shows the kernel's count of dropped exits and that every
# record received was printed); the exits of non-leader threads are not
# process exits; -c, JSON, escaped names; clean ends on SIGINT, SIGTERM
# and SIGPIPE, no program left loaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

BS=("$BPFBOX" bootstrap)

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${BS[@]}" --help
expect_match "--help prints the usage" "$OUT" "^Usage: bootstrap"
expect_match "--help documents -d" "$OUT" "-d, --duration MS"
expect_rc "unknown option exits 2" 2 "${BS[@]}" --frobnicate
expect_match "unknown option is named" "$ERR" "^bootstrap: unknown option"
expect_rc "-d 0 exits 2" 2 "${BS[@]}" -d 0
expect_rc "-d abc exits 2" 2 "${BS[@]}" -d abc
expect_rc "-d -5 exits 2" 2 "${BS[@]}" --duration -5
expect_rc "missing -d argument exits 2" 2 "${BS[@]}" -d
expect_rc "stray argument exits 2" 2 "${BS[@]}" extra
ln -s "$(readlink -f "$BPFBOX")" "$BB_TMP/bootstrap"
expect_rc "a link named bootstrap runs the tool" 0 "$BB_TMP/bootstrap" --help
expect_match "the link prints bootstrap's usage" "$OUT" "^Usage: bootstrap"

if ! is_root; then
	skip "tracing needs root"
	exit 0
fi
run setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all "${BS[@]}"
[ "$RC" = 1 ] && pass "unprivileged: exit 1" || fail "unprivileged: exit $RC ($ERR)"
expect_match "unprivileged: says what it needs" "$ERR" "^bootstrap: needs root: CAP_BPF"
expect_rc "missing cgroup exits 1" 1 "${BS[@]}" -c "$BB_TMP/nocg"
expect_match "missing cgroup is named" "$ERR" "nocg"

# ---- workload programs with names of our own (the comm) ----
SH=$BB_TMP/bbc$$
SIG=$BB_TMP/bbk$$
SLP=$BB_TMP/bbs$$
SHORT=$BB_TMP/bbq$$
cp /bin/sh "$SH"
cp /bin/sh "$SIG"
cp /bin/sh "$SHORT"
cp "$(command -v sleep)" "$SLP"
SH_C=$(basename "$SH") SIG_C=$(basename "$SIG") SLP_C=$(basename "$SLP")
SHORT_C=$(basename "$SHORT")

# a process whose main thread ends first and a thread that ends it
cat >"$BB_TMP/mt.c" <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

static void *worker(void *arg)
{
	(void)arg;
	dprintf(1, "tid %ld\n", (long)syscall(SYS_gettid));
	usleep(300000);
	exit(5);
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, worker, NULL))
		return 99;
	pthread_exit(NULL);
}
EOF
MT=$BB_TMP/bbm$$
MT_C=$(basename "$MT")
HAVE_MT=1
if ! cc -O2 -pthread -o "$MT" "$BB_TMP/mt.c" 2>"$BB_TMP/cc.err"; then
	HAVE_MT=
	skip "thread cases: cannot build the helper with cc: $(head -c 300 "$BB_TMP/cc.err")"
fi

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

# start bootstrap ARGS... with output in $BB_TMP/$TAG.out; PID in $BPID
start() {
	TAG=$1
	shift
	"${BS[@]}" "$@" >"$BB_TMP/$TAG.out" 2>"$BB_TMP/$TAG.err" &
	BPID=$!
}

# ready when it printed its header (text) or showed a probe exec (-j)
wait_ready() {
	for _ in $(seq 100); do
		if [ "$1" = json ]; then
			"$SH" -c 'exit 0'
			grep -q "\"comm\":\"$SH_C\"" "$BB_TMP/$TAG.out" && return 0
		else
			grep -q '^TIME ' "$BB_TMP/$TAG.out" && return 0
		fi
		kill -0 "$BPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$TAG: bootstrap did not start: $(cat "$BB_TMP/$TAG.err")"
	return 1
}

# end it with SIGNAL after its events are out; sets STOPRC
stop() {
	sleep 0.4
	kill "-$1" "$BPID"
	wait "$BPID"
	STOPRC=$?
}

# lines of EVENT (EXEC, EXIT) for pid $2 in $TAG's text output
lines() {
	awk -v e="$1" -v p="$2" '$2 == e && $4 == p' "$BB_TMP/$TAG.out"
}

# expect_one DESC EVENT PID REGEX: exactly one such line, matching REGEX
expect_one() {
	local l n
	l=$(lines "$2" "$3")
	n=$(printf '%s' "$l" | grep -c .)
	if [ "$n" != 1 ]; then
		fail "$1: $n $2 lines for pid $3: $l"
		return
	fi
	expect_match "$1" "$l" "$4"
}

TM='[0-2][0-9]:[0-5][0-9]:[0-6][0-9]'

# ---- text: execs and exits with codes, a signal, durations ----
start text
if wait_ready text; then
	if note_prog_ids "$BPID"; then
		pass "its programs show in prog show while they run"
	else
		fail "prog show does not list a program of pid $BPID"
	fi
	"$SH" -c 'exit 4' &
	P_CODE=$!
	"$SLP" 1 &
	P_SLEEP=$!
	"$SIG" -c 'kill -TERM $$' &
	P_TERM=$!
	wait $P_CODE $P_TERM
	P_MT=
	if [ -n "$HAVE_MT" ]; then
		"$MT" >"$BB_TMP/mt.out" &
		P_MT=$!
	fi
	wait $P_MT $P_SLEEP
	stop INT
	[ "$STOPRC" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $STOPRC"
	expect_match "header" "$(head -1 "$BB_TMP/text.out")" \
		"^TIME +EVENT COMM +PID +PPID +FILENAME/EXIT CODE$"
	expect_one "EXEC: time comm pid ppid filename" EXEC "$P_CODE" \
		"^$TM EXEC +$SH_C +$P_CODE +$$ +$SH$"
	expect_one "EXIT: [4] and the duration in ms" EXIT "$P_CODE" \
		"^$TM EXIT +$SH_C +$P_CODE +$$ +\[4\] \([0-9]+ms\)$"
	expect_one "killed: [signal 15 (TERM)]" EXIT "$P_TERM" \
		"^$TM EXIT +$SIG_C +$P_TERM +$$ +\[signal 15 \(TERM\)\] \([0-9]+ms\)$"
	expect_one "sleep 1: EXEC" EXEC "$P_SLEEP" " $SLP$"
	expect_one "sleep 1: EXIT [0]" EXIT "$P_SLEEP" " \[0\] \([0-9]+ms\)$"
	MS=$(lines EXIT "$P_SLEEP" | sed -E 's/.*\(([0-9]+)ms\)$/\1/')
	if [ -n "$MS" ] && [ "$MS" -ge 1000 ] && [ "$MS" -lt 5000 ]; then
		pass "sleep 1: duration ${MS} ms is at least 1000"
	else
		fail "sleep 1: duration '$MS'"
	fi
	if [ -n "$HAVE_MT" ]; then
		M_TID=$(awk '$1 == "tid" { print $2 }' "$BB_TMP/mt.out")
		# as the original: the leader's exit is the process's (its own
		# code, 0 from pthread_exit); the worker's is no process exit
		expect_one "leader-first process: the leader's exit" EXIT "$P_MT" \
			"^$TM EXIT +$MT_C +$P_MT +$$ +\[0\] \([0-9]+ms\)$"
		if [ -n "$M_TID" ] && [ -z "$(awk -v t="$M_TID" '$4 == t' "$BB_TMP/text.out")" ]; then
			pass "a non-leader thread's exit is not shown (tid $M_TID)"
		else
			fail "thread $M_TID: $(awk -v t="$M_TID" '$4 == t' "$BB_TMP/text.out")"
		fi
	fi
fi

# ---- -d: short processes dropped in the kernel ----
start duration -d 600 -v
if wait_ready text; then
	SHORTS=()
	for _ in 1 2 3 4 5; do
		"$SHORT" -c 'exit 0' &
		SHORTS+=($!)
	done
	"$SLP" 0.8 &
	D_LONG=$!
	wait "${SHORTS[@]}" $D_LONG
	stop TERM
	[ "$STOPRC" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $STOPRC"
	expect_one "-d 600: the 0.8 s process's exit" EXIT "$D_LONG" \
		"^$TM EXIT +$SLP_C +$D_LONG +$$ +\[0\] \([0-9]+ms\)$"
	MS=$(lines EXIT "$D_LONG" | sed -E 's/.*\(([0-9]+)ms\)$/\1/')
	[ -n "$MS" ] && [ "$MS" -ge 600 ] && pass "-d 600: its duration $MS ms" ||
		fail "-d 600: duration '$MS'"
	if grep -q " $SHORT_C " "$BB_TMP/duration.out"; then
		fail "-d: a short process was shown"
	else
		pass "-d: the 5 short processes are not shown"
	fi
	grep -q ' EXEC ' "$BB_TMP/duration.out" && fail "-d: EXEC lines shown" ||
		pass "-d: no EXEC lines (as the original)"
	# every exit shown lasted -d or more
	if awk 'NR > 1 { if (!match($0, /\([0-9]+ms\)$/) ||
			substr($0, RSTART + 1, RLENGTH - 4) + 0 < 600) bad = 1 }
		END { exit bad }' "$BB_TMP/duration.out"; then
		pass "-d 600: every exit shown lasted 600 ms or more"
	else
		fail "-d 600: $(head -c 1000 "$BB_TMP/duration.out")"
	fi
	# the kernel sent only what was printed, and counted what it dropped
	D_ERR=$(cat "$BB_TMP/duration.err")
	expect_match "-v: loader details (programs, maps, links)" "$D_ERR" \
		"program handle_exit \(section tp/sched/sched_process_exit\): tracepoint, [0-9]+ instructions.*kernel id [0-9]+"
	expect_match "-v: the attachments" "$D_ERR" \
		"program handle_exit attached: tracepoint sched/sched_process_exit"
	RECV=$(sed -nE 's/^bootstrap: ([0-9]+) events received from the kernel$/\1/p' <<<"$D_ERR")
	SHOWN=$(($(wc -l <"$BB_TMP/duration.out") - 1))
	[ -n "$RECV" ] && [ "$RECV" = "$SHOWN" ] &&
		pass "-d: records from the kernel ($RECV) = lines shown: nothing dropped in user space" ||
		fail "-d: received '$RECV', shown $SHOWN: $D_ERR"
	DROPPED=$(sed -nE 's/^bootstrap: ([0-9]+) exits shorter than 600 ms dropped in the kernel$/\1/p' <<<"$D_ERR")
	[ -n "$DROPPED" ] && [ "$DROPPED" -ge 5 ] &&
		pass "-d: the kernel counted $DROPPED short exits it did not send (5 ours)" ||
		fail "-d: dropped count '$DROPPED': $D_ERR"
fi

# ---- JSON, and a hostile comm ----
HOST="$BB_TMP/$(printf 'bb\033[31mx')"
cp /bin/sh "$HOST"
start json -j
if wait_ready json; then
	"$SH" -c 'exit 4' &
	J_CODE=$!
	"$SIG" -c 'kill -TERM $$' &
	J_TERM=$!
	"$HOST" -c 'exit 2' &
	J_HOST=$!
	wait $J_CODE $J_TERM $J_HOST
	stop INT
	python3 - "$BB_TMP/json.out" "$J_CODE" "$J_TERM" "$J_HOST" "$$" "$SH" \
		"$HOST" <<'PY' >"$BB_TMP/json.check" 2>&1
import json, os, sys
path = sys.argv[1]
code, term, host, ppid = map(int, sys.argv[2:6])
sh, hostile = sys.argv[6], sys.argv[7]
evs = [json.loads(l) for l in open(path, encoding="utf-8")]
by = {}
for e in evs:
    by.setdefault((e["pid"], e["event"]), []).append(e)
e, = by[(code, "exec")]
assert e["comm"] == os.path.basename(sh) and e["ppid"] == ppid, e
assert e["filename"] == sh and isinstance(e["ts_ns"], int), e
x, = by[(code, "exit")]
assert x["exit_code"] == 4 and x["signal"] is None and x["status"] == 4 << 8, x
assert isinstance(x["duration_ns"], int) and x["duration_ns"] > 0, x
assert x["ts_ns"] >= e["ts_ns"], (e, x)
x, = by[(term, "exit")]
assert x["signal"] == 15 and x["signal_name"] == "TERM", x
assert x["exit_code"] is None and x["core_dumped"] is False, x
e, = by[(host, "exec")]
assert e["comm"] == "bb\x1b[31mx" and e["filename"] == hostile, e
x, = by[(host, "exit")]
assert x["comm"] == "bb\x1b[31mx" and x["exit_code"] == 2, x
print("ok")
PY
	if tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j: every line parses; exec, exit codes, signal, names decode exactly"
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
	expect_one "comm and filename escaped" EXEC "$H_PID" \
		'^'"$TM"' EXEC +bb\\x1b\[31mx +'"$H_PID"' .*/bb\\x1b\[31mx$'
fi

# cgroup v2: only the processes of the cgroup made for it
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=$CG2/bb-bootstrap-$$
if [ -n "$CG2" ] && mkdir "$CG"; then
	start cgroup -c "$CG"
	if wait_ready text; then
		"$SH" -c 'exit 11' &
		C_OUT=$!
		(echo "$BASHPID" >"$CG/cgroup.procs" && exec "$SH" -c 'exit 12') &
		C_IN=$!
		wait $C_OUT $C_IN
		stop INT
		expect_one "-c: the exec in the cgroup" EXEC "$C_IN" " $SH$"
		expect_one "-c: the exit in the cgroup" EXIT "$C_IN" " \[12\] "
		[ -z "$(lines EXIT "$C_OUT")$(lines EXEC "$C_OUT")" ] &&
			pass "-c: processes outside the cgroup filtered out" ||
			fail "-c: a process outside the cgroup was shown"
	fi
	rmdir "$CG"
else
	skip "-c: no cgroup v2 mounted to make a test cgroup in"
fi

# ---- SIGPIPE: `bootstrap | head -3` ends while processes go on ----
pipe_event() { "$SH" -c 'exit 0'; }
expect_head_ends pipe_event "${BS[@]}"

LEFT=
for id in "${OUR_IDS[@]}"; do
	"$BPFBOX" prog show id "$id" >/dev/null 2>&1 && LEFT="$LEFT $id"
done
if [ ${#OUR_IDS[@]} -gt 0 ] && [ -z "$LEFT" ]; then
	pass "no bootstrap program left loaded (ids ${OUR_IDS[*]})"
else
	fail "bootstrap programs left loaded:${LEFT:- (none seen running)}"
fi
