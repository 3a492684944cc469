#!/bin/bash
# Clean exits of every tracing tool (issue #7): each tool this bpfbox has
# (the list in `bpfbox help`) is started against a workload that gives
# it events, and ended by SIGKILL, then SIGINT, SIGTERM and a closed
# stdout (SIGPIPE: `| head -1`). After each end: exit status 0 (137
# after SIGKILL), none of the programs and links the process held fds
# of (its /proc/PID/fdinfo) left in `bpfbox prog/link show`,
# and no kprobe_events/uprobe_events entry named after it. After the
# SIGKILL, a legacy uprobe entry such as a killed run leaves
# (bpfbox_<its pid>_0) is put in uprobe_events, and the next start of
# the tool (the SIGINT run) must remove it.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

WANTED=${BB_TOOLS:-"execsnoop exitsnoop bootstrap opensnoop bashreadline syscount"}
READY_SECS=20		# the ASan build loads slower
END_SECS=10		# from the signal to the exit: a hang beyond that

if ! is_root; then
	skip "the tools need root (bpf(2), perf_event_open, tracefs)"
	exit 0
fi

# the tools of this binary: the lines after "runs a tool:" in its help
HAVE=$("$BPFBOX" help 2>&1 | sed -n '/runs a tool:/,$p' | awk 'NR > 1 && NF { print $1 }')

TRACEFS=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -e "$d/uprobe_events" ] && TRACEFS=$d && break
done

# a workload that gives every tool events, in its own process group:
# execs, opens and exits (cat), syscalls, and lines typed into an
# interactive bash in a pty for bashreadline (when script(1) is there)
WL_TYPED=$BB_TMP/typed
setsid bash -c '
	if command -v script >/dev/null; then
		(while :; do echo "true bb-typed"; sleep 0.2; done) |
			script -qfec "bash --norc --noprofile -i" /dev/null \
			>"$1" 2>&1 &
	fi
	while :; do /bin/cat /etc/hostname >/dev/null; sleep 0.05; done
' wl "$WL_TYPED" </dev/null >/dev/null 2>&1 &
WL=$!
trap 'kill -- -$WL 2>/dev/null; rm -rf "$BB_TMP"' EXIT

# "prog 12" "link 7" for each program and link PID holds an fd of
# (its /proc fdinfo: quick, no listing of every process's fds)
objs_of() {		# objs_of PID
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '$1 == "prog_id:" { print "prog", $2 }
		     $1 == "link_id:" { print "link", $2 }' | sort -u
}

# the programs and links the kernel has now ("prog 12" lines); the two
# listings at once: each start of the ASan build is slow
kernel_objs() {
	local kind pids=
	for kind in prog link; do
		"$BPFBOX" "$kind" show 2>/dev/null |
			awk -v k="$kind" '/^[0-9]+:/ { print k, $1 + 0 }' \
			>"$BB_TMP/now.$kind" &
		pids="$pids $!"
	done
	wait $pids
	sort -u "$BB_TMP/now.prog" "$BB_TMP/now.link"
}

# after the runs of a tool (tags in RUNS): none of the objects any run
# held may be left; freeing follows the close of the last fd, maybe a
# little later, so look again for up to 3 s. One listing serves all
# runs, as listing is slow.
objects_gone() {
	local i tag left all
	for i in $(seq 30); do
		kernel_objs >"$BB_TMP/now"
		all=$(for tag in $RUNS; do
			comm -12 "$BB_TMP/now" "$BB_TMP/$tag.objs"
		done)
		[ -z "$all" ] && break
		sleep 0.1
	done
	for tag in $RUNS; do
		left=$(comm -12 "$BB_TMP/now" "$BB_TMP/$tag.objs")
		if [ -z "$left" ]; then
			pass "$tag: none of its $(grep -c . "$BB_TMP/$tag.objs") programs and links left"
		else
			fail "$tag: left in the kernel: $(echo $left)"
		fi
	done
	RUNS=
}

# tracefs entries named after PID (bpfbox_<pid>_<n>)
probes_of() {		# probes_of PID
	[ -n "$TRACEFS" ] || return 0
	cat "$TRACEFS/kprobe_events" "$TRACEFS/uprobe_events" 2>/dev/null |
		grep "bpfbox_$1_"
}

# start TOOL, stdout to $BB_TMP/TAG.out or, when given, through the
# command READER... (its stdin): sets TPID
start() {		# start TAG TOOL [READER...]
	local tag=$1 tool=$2
	shift 2
	if [ $# = 0 ]; then
		"$BPFBOX" "$tool" >"$BB_TMP/$tag.out" 2>"$BB_TMP/$tag.err" &
	else
		"$BPFBOX" "$tool" 2>"$BB_TMP/$tag.err" > >("$@") &
	fi
	TPID=$!
}

# ready: its first line (the header) is out; then its objects noted
ready() {		# ready TAG OUTFILE
	local i
	for i in $(seq $((READY_SECS * 10))); do
		[ -s "$2" ] && break
		if ! kill -0 "$TPID" 2>/dev/null; then
			fail "$1: ended before its first line: $(head -c 500 "$BB_TMP/$1.err")"
			return 1
		fi
		sleep 0.1
	done
	if [ ! -s "$2" ]; then
		fail "$1: no first line after ${READY_SECS}s"
		kill -KILL "$TPID" 2>/dev/null
		wait "$TPID" 2>/dev/null
		return 1
	fi
	objs_of "$TPID" >"$BB_TMP/$1.objs"
	if grep -q '^prog ' "$BB_TMP/$1.objs"; then
		return 0
	fi
	fail "$1: pid $TPID holds no program fd: $(tr '\n' ' ' <"$BB_TMP/$1.objs")"
	return 1
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# the checks after an end: exit status, objects, tracefs entries
after_end() {		# after_end TAG RC WANT_RC [MS_TO_END]
	local left
	if [ -n "$4" ] && [ "$4" -gt $((END_SECS * 1000)) ]; then
		fail "$1: took $4 ms to end"
	fi
	if [ "$2" = "$3" ]; then
		pass "$1: exit status $2${4:+, $4 ms after the signal}"
	else
		fail "$1: exit status $2, expected $3: $(head -c 500 "$BB_TMP/$1.err")"
	fi
	RUNS="$RUNS $1"		# objects: objects_gone, after the tool's runs
	left=$(probes_of "$TPID")
	if [ -z "$left" ]; then
		pass "$1: no kprobe/uprobe tracefs entry of it left"
	else
		fail "$1: tracefs entries left: $left"
	fi
}

# end by signal SIG: stdout to a file
by_signal() {		# by_signal TOOL SIG WANT_RC
	local tag=$1-$2 rc t0
	start "$tag" "$1"
	ready "$tag" "$BB_TMP/$tag.out" || return 1
	sleep 0.2	# let events flow
	t0=$(now_ms)
	kill "-$2" "$TPID"
	wait "$TPID"
	rc=$?
	after_end "$tag" "$rc" "$3" $(($(now_ms) - t0))
}

# `TOOL | head -1`: the reader takes the first line, then (once the
# tool's objects are noted) goes away while events keep coming
by_pipe() {		# by_pipe TOOL
	local tag=$1-PIPE rc i t0
	rm -f "$BB_TMP/go"
	start "$tag" "$1" bash -c '
		head -1 >"$1"
		while [ ! -e "$2" ]; do sleep 0.05; done' rd \
		"$BB_TMP/$tag.out" "$BB_TMP/go"
	ready "$tag" "$BB_TMP/$tag.out" || return 1
	t0=$(now_ms)
	touch "$BB_TMP/go"
	for i in $(seq $((END_SECS * 10))); do
		kill -0 "$TPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$TPID" 2>/dev/null; then
		fail "$tag: still running ${END_SECS}s after its reader went away"
		kill -KILL "$TPID"
	fi
	wait "$TPID"
	rc=$?
	after_end "$tag" "$rc" 0 $(($(now_ms) - t0))
}

# SIGKILL: nothing can run at exit; the kernel must free the objects
# (fds closed by exit), and the next start must clean what a legacy
# probe of the killed run would have left in tracefs
by_kill_then_next_start() {	# by_kill_then_next_start TOOL
	local tag=$1-KILL stale rc try
	start "$tag" "$1"
	ready "$tag" "$BB_TMP/$tag.out" || return 1
	kill -KILL "$TPID"
	wait "$TPID" 2>/dev/null	# (no "Killed" line from bash)
	rc=$?
	after_end "$tag" "$rc" 137
	if [ -z "$TRACEFS" ]; then
		skip "$1: stale legacy probe cleaning: no uprobe_events in tracefs"
		by_signal "$1" INT 0
		return
	fi
	stale="uprobes/bpfbox_${TPID}_0"
	# any bpfbox starting elsewhere on this machine cleans such entries
	# too: when one did it first, plant it again (3 tries)
	for try in 1 2 3; do
		if ! echo "p:$stale /bin/true:0x0" >>"$TRACEFS/uprobe_events"; then
			skip "$1: stale legacy probe cleaning: cannot write uprobe_events"
			by_signal "$1" INT 0
			return
		fi
		by_signal "$1" INT 0
		if grep -q "${stale#uprobes/} " "$TRACEFS/uprobe_events"; then
			fail "$1: its next start left the stale $stale of the killed run"
			echo "-:$stale" >>"$TRACEFS/uprobe_events"
			return
		fi
		if grep -Eq "removed [0-9]+ stale probes? left in tracefs" \
			"$BB_TMP/$1-INT.err"; then
			pass "$1: its next start removed the stale $stale of the killed run, and said so"
			return
		fi
	done
	fail "$1: the stale $stale went, but its next start never said it removed it"
}

for tool in $WANTED; do
	if ! grep -qx "$tool" <<<"$HAVE"; then
		skip "$tool: not in this bpfbox (bpfbox help lists: $(echo $HAVE))"
		continue
	fi
	by_kill_then_next_start "$tool"
	by_signal "$tool" TERM 0
	by_pipe "$tool"
	objects_gone
done

# the literal pipeline, once: it must end by itself
SECONDS=0
timeout 20 "$BPFBOX" execsnoop 2>"$BB_TMP/lit.err" | head -1 >"$BB_TMP/lit.out"
RC=${PIPESTATUS[0]}
if [ "$RC" = 0 ] && [ -s "$BB_TMP/lit.out" ]; then
	pass "execsnoop | head -1 ends by itself with status 0 (${SECONDS}s)"
else
	fail "execsnoop | head -1: status $RC after ${SECONDS}s: $(cat "$BB_TMP/lit.err")"
fi
