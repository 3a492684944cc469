# bpfbox run: the classic tutorial programs (tests/progs/run_*.bpf.c),
# run with `bpfbox run` and no other code, their output asserted; knobs,
# JSON, unusual objects, signals and what is left behind.
. tests/lib.sh

RB=$PROGS/run_bootstrap.bpf.o

# ---- without root: help and knob checks ----------------------------------

expect_rc "run help exits 0" 0 "$BPFBOX" run help
expect_match "run help prints usage" "$OUT" "^Usage: bpfbox run OBJ"
expect_rc "run without OBJ is a usage error" 2 "$BPFBOX" run
expect_rc "run OBJ --help exits 0" 0 "$BPFBOX" run "$RB" --help
expect_match "run OBJ --help lists the rodata knob with its default" "$OUT" \
	"--min_duration_ns +U64 +default 0 +\(\.rodata\)"
run "$BPFBOX" run "$PROGS/run_sleeplat.bpf.o" --help
expect_match "run OBJ --help lists a string knob" "$OUT" \
	'--targ_comm +STRING \(up to 15 bytes\) default ""'
expect_rc "a negative value for an unsigned knob is a usage error" 2 \
	"$BPFBOX" run "$RB" --min_duration_ns -1
expect_match "the knob error says why" "$ERR" "min_duration_ns -1: not an unsigned integer"
expect_rc "an unknown knob is a usage error" 2 "$BPFBOX" run "$RB" --no_such_knob 1
expect_match "the unknown knob error names the object's knobs help" "$ERR" \
	"has no global variable named 'no_such_knob'"
expect_rc "a string knob too long is a usage error" 2 \
	"$BPFBOX" run "$PROGS/run_sleeplat.bpf.o" --targ_comm 0123456789abcdefXYZ
expect_match "the string knob error gives its room" "$ERR" "holds up to 15 bytes"
expect_rc "--attach of a program the object lacks is a usage error" 2 \
	"$BPFBOX" run "$RB" --attach nope=tp/sched/sched_switch

if ! is_root; then
	skip "run: loading and attaching need root"
	exit 0
fi

# start_run OUT ARGS...: bpfbox run in the background ($RUN_PID), back
# once its programs are attached (its "attached" line on stderr) or it
# ended; stdout in OUT, stderr in OUT.err
start_run() {
	local out=$1 i
	shift
	"$BPFBOX" run "$@" >"$out" 2>"$out.err" &
	RUN_PID=$!
	for i in $(seq 1 150); do
		grep -q " attached; " "$out.err" 2>/dev/null && return 0
		kill -0 "$RUN_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# finish_run OUT: wait for it; $OUT $ERR $RC as run() sets them
finish_run() {
	wait "$RUN_PID"
	RC=$?
	OUT=$(cat "$1")
	ERR=$(cat "$1.err")
}

# ---- 1. bashreadline: uretprobe + bpf_printk ------------------------------

if ! command -v script >/dev/null; then
	skip "bashreadline: no script(1) to drive an interactive bash"
else
	MARK="bbtest-readline-$$"
	for mode in text json all; do
		case $mode in
		text) J= ;;
		json) J=-j ;;
		all) J=--all-printk ;;
		esac
		# another object printing meanwhile (printk.bpf.o: getpgid),
		# not reading the trace_pipe itself
		start_run "$BB_TMP/other" "$PROGS/printk.bpf.o" --no-printk --no-maps -d 8
		OTHER=$RUN_PID
		start_run "$BB_TMP/rl" "$PROGS/run_bashreadline.bpf.o" $J -d 3
		# the trace_pipe is shared: type the line a few times
		( for i in 1 2 3; do sleep 0.3; echo "echo $MARK"; done
		  sleep 0.3; echo exit ) |
			script -qfc "bash --norc --noprofile -i" /dev/null >/dev/null 2>&1
		for i in 1 2 3; do perl -e getpgrp; done
		finish_run "$BB_TMP/rl"
		kill -INT "$OTHER"
		wait "$OTHER"
		case $mode in
		text)
			expect_match "bashreadline: the typed line is printed by bpf_printk" \
				"$OUT" "bash-[0-9]+ +\[[0-9]+\] .*bpf_trace_printk: PID [0-9]+ \(bash\) read: echo $MARK"
			if grep -q "bpfbox-printk-marker" <<<"$OUT"; then
				fail "bashreadline: another object's printk lines were shown"
			else
				pass "bashreadline: only lines of the object's printk formats"
			fi ;;
		json)
			expect_match "bashreadline -j: printk lines as JSON" "$OUT" \
				"\{\"printk\":\"PID [0-9]+ \(bash\) read: echo $MARK \",\"comm\":\"bash\",\"pid\":[0-9]+,\"cpu\":[0-9]+,\"time\":[0-9]+\.[0-9]+\}" ;;
		all)
			expect_match "bashreadline --all-printk: other objects' lines too" \
				"$OUT" "bpf_trace_printk: bpfbox-printk-marker pid" ;;
		esac
		[ "$RC" = 0 ] && pass "bashreadline ($mode): exit 0 after -d" ||
			fail "bashreadline ($mode): exit $RC: $ERR"
	done
fi

# ---- 2. bootstrap: ring buffer, hash map, rodata knob ---------------------

cp /bin/sleep "$BB_TMP/bbboot_long"
cp /bin/sleep "$BB_TMP/bbboot_short"
trigger_boot() {
	for i in 1 2 3; do
		"$BB_TMP/bbboot_long" 0.3
		"$BB_TMP/bbboot_short" 0.01
	done
}

start_run "$BB_TMP/boot" "$RB" -j -d 2.5 --no-maps
trigger_boot
finish_run "$BB_TMP/boot"
expect_match "bootstrap -j: exec records with the file name" "$OUT" \
	"\{\"pid\":[0-9]+,\"ppid\":[0-9]+,\"exit_code\":0,\"duration_ns\":0,\"comm\":\"bbboot_short\",\"filename\":\"$BB_TMP/bbboot_short\",\"exit_event\":false\}"
expect_match "bootstrap -j: exit records with a duration" "$OUT" \
	"\"duration_ns\":[1-9][0-9]*,\"comm\":\"bbboot_long\",\"filename\":\"\",\"exit_event\":true"
[ "$RC" = 0 ] && pass "bootstrap: exit 0" || fail "bootstrap: exit $RC: $ERR"

start_run "$BB_TMP/boot" "$RB" --min_duration_ns 100000000 -d 2.5
# one process exec'd while it runs and still alive when it ends: its
# start time must be in the map printed at exit
"$BB_TMP/bbboot_long" 30 &
ALIVE=$!
trigger_boot
finish_run "$BB_TMP/boot"
kill "$ALIVE" 2>/dev/null
wait "$ALIVE" 2>/dev/null
expect_match "bootstrap: a text header of the record's fields" "$OUT" \
	"^pid +ppid +exit_code +duration_ns +comm +filename +exit_event$"
expect_match "bootstrap --min_duration_ns: long runs are reported" "$OUT" \
	"[0-9]+ +[0-9]+ +0 +[1-9][0-9]{8,} +bbboot_long +\"\" +true"
if grep -q "bbboot_short" <<<"$OUT"; then
	fail "bootstrap --min_duration_ns: a run shorter than the minimum was reported"
else
	pass "bootstrap --min_duration_ns: short runs are not reported"
fi
if grep -qE " false$" <<<"$OUT"; then
	fail "bootstrap --min_duration_ns: exec records were sent"
else
	pass "bootstrap --min_duration_ns: no exec records (as in the original)"
fi
expect_match "bootstrap: the hash map of start times is printed at exit" "$OUT" \
	"^exec_start\[$ALIVE\]: [0-9]+$"

# ---- 3. opensnoop: perf event array ---------------------------------------

OPENED="$BB_TMP/bbtest-open-marker"
touch "$OPENED"
# every open of the marker, on each CPU in turn, must come through: the
# perf events' readiness is taken by run's own wait (nested epoll), and
# reading only the CPUs epoll reported lost most records here once
start_run "$BB_TMP/open" "$PROGS/run_opensnoop.bpf.o" -d 2
NCPU=$(nproc)
for i in 1 2 3 4 5 6; do taskset -c $((i % NCPU)) cat "$OPENED"; sleep 0.05; done
finish_run "$BB_TMP/open"
expect_match "opensnoop: header" "$OUT" "^pid +comm +filename$"
expect_match "opensnoop: pid, comm and file name through the perf buffer" "$OUT" \
	"^[0-9]+ +cat +$OPENED$"
N=$(grep -c " cat  *$OPENED$" <<<"$OUT")
[ "$N" = 6 ] && pass "opensnoop: all 6 opens on alternating CPUs shown" ||
	fail "opensnoop: $N of 6 opens shown"
[ "$RC" = 0 ] && pass "opensnoop: exit 0" || fail "opensnoop: exit $RC: $ERR"

# ---- 4. raw_syscalls/sys_enter recorder, filtered by a comm in a map -----

cp /bin/true "$BB_TMP/bbsysrec"
start_run "$BB_TMP/sysrec" "$PROGS/run_sysrec.bpf.o" -d 2
HEX=$(printf 'bbsysrec' | od -An -tx1 | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1 /g')
# the map is found by name while run runs: the filter, 16 bytes
run "$BPFBOX" map update name comm_filter key 0 0 0 0 value $HEX 0 0 0 0 0 0 0 0
[ "$RC" = 0 ] && pass "sysrec: comm_filter filled with map update while run runs" ||
	fail "sysrec: map update: $ERR"
for i in 1 2 3; do "$BB_TMP/bbsysrec"; done
finish_run "$BB_TMP/sysrec"
expect_match "sysrec: the filter map is printed" "$OUT" \
	'^comm_filter: \{"name":"bbsysrec"\}$'
expect_match "sysrec: pid, gid and comm recorded" "$OUT" \
	'^records\[[0-9]+\]: \{"pid":[0-9]+,"gid":0,"comm":"bbsysrec","calls":[1-9][0-9]*\}$'
if grep '^records\[' <<<"$OUT" | grep -vq '"comm":"bbsysrec"'; then
	fail "sysrec: processes of another comm were recorded"
else
	pass "sysrec: only the comm in the filter map is recorded"
fi
[ "$(grep -c '^records\[' <<<"$OUT")" -ge 3 ] &&
	pass "sysrec: one record per process" ||
	fail "sysrec: fewer than 3 records: $OUT"

# ---- 5. a latency histogram, log2, bcc's layout ----------------------------

cp /bin/sleep "$BB_TMP/bbsleeper"
start_run "$BB_TMP/lat" "$PROGS/run_sleeplat.bpf.o" --targ_comm bbsleeper -d 1.5
for i in 1 2 3; do "$BB_TMP/bbsleeper" 0.1; done
"$BB_TMP/bbsleeper" 0.001
finish_run "$BB_TMP/lat"
expect_match "sleeplat: the histogram's label and bcc's header" "$OUT" \
	"sleep_usecs:
     usecs               : count    distribution
         0 -> 1          : 0        \|                                        \|"
expect_match "sleeplat: three 100 ms sleeps in the 65536-131071 us bucket" "$OUT" \
	"     65536 -> 131071     : 3        \|\*{40}\|"
# 1 ms, give or take what a loaded machine adds
expect_match "sleeplat: one short sleep, its bar scaled to 1/3" "$OUT" \
	" -> [0-9]+ +: 1        \|\*{13} {27}\|"
start_run "$BB_TMP/lat" "$PROGS/run_sleeplat.bpf.o" --targ_comm bbsleeper -d 1 -j
"$BB_TMP/bbsleeper" 0.1
finish_run "$BB_TMP/lat"
expect_match "sleeplat -j: the histogram as JSON" "$OUT" \
	'\{"map":"sleep_usecs","histograms":\[\{"key":0,"hist":\{"type":"log2","unit":"usecs","buckets":\[\{"low":0,"high":1,"count":0\},.*\{"low":65536,"high":131071,"count":1\}\]\}\}\]\}'
# -i 1: printed every second; --clear: emptied after each print, so the
# three sleeps of the first second are in the first histogram only
for clear in --clear ""; do
	start_run "$BB_TMP/lat" "$PROGS/run_sleeplat.bpf.o" --targ_comm bbsleeper \
		-i 1 $clear -d 2.6
	for i in 1 2 3; do "$BB_TMP/bbsleeper" 0.05; done
	finish_run "$BB_TMP/lat"
	prints=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' <<<"$OUT")
	threes=$(grep -cE '32768 -> 65535 +: 3 ' <<<"$OUT")
	if [ -n "$clear" ]; then
		[ "$prints" -ge 2 ] && [ "$threes" = 1 ] &&
			pass "sleeplat -i 1 --clear: $prints prints, the sleeps in the first only" ||
			fail "sleeplat -i 1 --clear: $prints prints, $threes with the sleeps: $OUT"
	else
		[ "$prints" -ge 2 ] && [ "$threes" -ge 2 ] &&
			pass "sleeplat -i 1: the counts stay without --clear ($threes prints)" ||
			fail "sleeplat -i 1: $prints prints, $threes with the sleeps: $OUT"
	fi
done

# ---- unusual objects -------------------------------------------------------

start_run "$BB_TMP/odd" "$PROGS/run_odd.bpf.o" -d 1
for i in 1 2 3; do perl -e getpgrp; done
finish_run "$BB_TMP/odd"
[ "$RC" = 0 ] && pass "odd object: runs what it can (exit 0)" || fail "odd object: exit $RC: $ERR"
expect_match "odd object: records of no known type as hex" "$OUT" \
	"^12 +[0-9a-f]{8} b0b00000 feca0000$"
expect_match "odd object: says why the records are hex" "$ERR" \
	"map raw: .*no struct of 12 bytes.*shown as hex"
expect_match "odd object: names the map it cannot print" "$ERR" \
	"map stacks \(stack_trace\) is not printed"
expect_match "odd object: a socket filter is not attached, and why" "$ERR" \
	"program odd_socket \(SEC\(\"socket\"\)\) is not attached"
expect_match "odd object: a uprobe without target is not attached, and how to" "$ERR" \
	"program odd_uprobe .* --attach odd_uprobe=uprobe/TARGET"
run "$BPFBOX" run "$PROGS/run_odd.bpf.o" -d 0.5 --attach odd_uprobe=uprobe//bin/bash:readline
if [ "$RC" = 0 ] && ! grep -q odd_uprobe <<<"$ERR"; then
	pass "--attach gives a target to a uprobe without one"
else
	fail "--attach odd_uprobe=uprobe//bin/bash:readline: exit $RC: $ERR"
fi
expect_rc "--attach to a missing function fails" 1 \
	"$BPFBOX" run "$PROGS/run_odd.bpf.o" -d 0.5 --attach odd_uprobe=uprobe//bin/bash:bb_no_such_fn
expect_match "--attach failure names the target" "$ERR" "bb_no_such_fn"
expect_rc "--event-type of an unknown type is a usage error" 2 \
	"$BPFBOX" run "$PROGS/run_odd.bpf.o" -d 0.5 --event-type no_such_type
expect_match "--event-type error names the type" "$ERR" "--event-type no_such_type"

run "$BPFBOX" run "$PROGS/run_nomaps.bpf.o" -d 0.5
[ "$RC" = 0 ] && pass "no maps: runs (exit 0)" || fail "no maps: exit $RC: $ERR"
expect_match "no maps: says there is nothing to show" "$ERR" \
	"has no ring buffer, perf buffer, map or bpf_printk to show"

# ---- kernel BTF only when needed --------------------------------------------

run "$BPFBOX" run "$PROGS/run_opensnoop.bpf.o" -d 0.3 --btf /nonexistent/vmlinux
[ "$RC" = 0 ] && pass "an object without CO-RE never reads the kernel BTF" ||
	fail "opensnoop with --btf /nonexistent: exit $RC: $ERR"
expect_rc "an object with CO-RE needs the kernel BTF" 1 \
	"$BPFBOX" run "$RB" -d 0.3 --btf /nonexistent/vmlinux
expect_match "the error names the BTF file" "$ERR" "CO-RE.*/nonexistent/vmlinux"

# ---- signals, SIGPIPE, capabilities, nothing left behind -------------------

progs_left() { "$BPFBOX" prog show | grep -c "record_sys_ente"; }
for sig in INT TERM; do
	start_run "$BB_TMP/sig" "$PROGS/run_sysrec.bpf.o"
	caps=$(awk '/^CapEff/ { print $2 }' "/proc/$RUN_PID/status" 2>/dev/null)
	[ "$sig" = INT ] && { [ "$caps" = 0000000000000000 ] &&
		pass "run drops its capabilities once attached" ||
		fail "run's CapEff while running: '$caps'"; }
	kill -$sig "$RUN_PID"
	wait "$RUN_PID"
	RC=$?
	[ "$RC" = 0 ] && pass "SIG$sig: exit 0" || fail "SIG$sig: exit $RC: $(cat "$BB_TMP/sig.err")"
	[ "$(progs_left)" = 0 ] && pass "SIG$sig: the programs are gone" ||
		fail "SIG$sig: programs left: $("$BPFBOX" prog show | grep record_sys)"
done

( sleep 2; for i in $(seq 1 20); do cat "$OPENED"; sleep 0.3; done ) &
TRIG=$!
t0=$(date +%s)
timeout 10 "$BPFBOX" run "$PROGS/run_opensnoop.bpf.o" 2>/dev/null | head -2 >/dev/null
RC=${PIPESTATUS[0]}
t1=$(date +%s)
kill "$TRIG" 2>/dev/null
wait
if [ "$RC" != 124 ] && [ $((t1 - t0)) -lt 9 ]; then
	pass "run | head ends when its reader goes away (exit $RC, $((t1 - t0)) s)"
else
	fail "run | head hung until the timeout"
fi
[ "$("$BPFBOX" prog show | grep -c trace_openat)" = 0 ] &&
	pass "SIGPIPE: the programs are gone" ||
	fail "SIGPIPE: programs left: $("$BPFBOX" prog show | grep trace_openat)"
