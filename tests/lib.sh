# Assertion helpers for the integration tests (sourced by each script).
# A script sets T (its name), calls pass/fail/skip per assertion; the
# runner sums the lines in $BB_RESULTS. A skip always says why.
: "${BPFBOX:=build/bpfbox}"
: "${PROGS:=build/progs}"
: "${BB_RESULTS:=/dev/null}"
: "${T:=$(basename "$0" .sh)}"
BB_TMP=$(mktemp -d /tmp/bbtest.XXXXXX)
trap 'rm -rf "$BB_TMP"' EXIT

pass() { echo "ok   $T: $*"; echo pass >>"$BB_RESULTS"; }
fail() { echo "FAIL $T: $*"; echo fail >>"$BB_RESULTS"; }
skip() { echo "skip $T: $*"; echo skip >>"$BB_RESULTS"; }

# run CMD..., keep stdout/stderr/exit code in $OUT $ERR $RC
run() {
	"$@" >"$BB_TMP/out" 2>"$BB_TMP/err"
	RC=$?
	OUT=$(cat "$BB_TMP/out")
	ERR=$(cat "$BB_TMP/err")
}

# expect_rc DESC CODE CMD...
expect_rc() {
	desc=$1 code=$2
	shift 2
	run "$@"
	if [ "$RC" = "$code" ]; then
		pass "$desc"
	else
		fail "$desc: exit $RC, expected $code; stderr: $ERR"
	fi
}

# expect_match DESC TEXT REGEX
expect_match() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1: /$3/ not in: $(printf '%s' "$2" | head -c 2000)"
	fi
}

is_root() { [ "$(id -u)" = 0 ]; }

# bpffs for pinning; mounted by bpfbox itself when absent, but tests that
# pin through other tools need it too
bb_bpffs() {
	grep -q ' /sys/fs/bpf bpf ' /proc/mounts ||
		mount -t bpf bpf /sys/fs/bpf
}

# the C test program NAME built like $BPFBOX: build/itest/NAME next to
# build/bpfbox, build/san/itest/NAME (ASan+UBSan) next to build/san/bpfbox
itest_bin() {
	echo "$(dirname "$BPFBOX")/itest/$1"
}

# The result lines of a C test program just run with `run` ($OUT, $RC,
# $ERR): "ok/FAIL/skip WHAT" become results here, SUFFIX appended when
# given; a crash or an early exit must not pass silently.
itest_results() {	# itest_results [SUFFIX]
	local n=0 line sfx=${1:+ $1} who=${BIN:-the test program}${1:+ $1}
	while IFS= read -r line; do
		case $line in
		"ok "*)		pass "${line#ok }$sfx"; n=$((n + 1)) ;;
		"FAIL "*)	fail "${line#FAIL }$sfx"; n=$((n + 1)) ;;
		"skip "*)	skip "${line#skip }$sfx"; n=$((n + 1)) ;;
		esac
	done <<<"$OUT"
	if [ "$n" = 0 ]; then
		fail "$who printed no results (exit $RC): $ERR"
	elif [ "$RC" != 0 ] && ! grep -q '^FAIL ' <<<"$OUT"; then
		fail "$who exited $RC without a FAIL line: $ERR"
	fi
}

# expect_head_ends EVENT_FN CMD...: `CMD | head -3` ends promptly (the
# reader went away: SIGPIPE or EPIPE) while EVENT_FN, a shell function
# making one event, runs every 50 ms; head gets 3 lines
expect_head_ends() {
	local event=$1 loop prc elapsed
	shift
	(for _ in $(seq 300); do "$event"; sleep 0.05; done) &
	loop=$!
	SECONDS=0
	timeout 30 "$@" 2>"$BB_TMP/pipe.err" | head -3 >"$BB_TMP/pipe.out"
	prc=${PIPESTATUS[0]}
	elapsed=$SECONDS
	kill "$loop" 2>/dev/null
	wait "$loop" 2>/dev/null
	if [ "$prc" != 124 ] && [ "$elapsed" -lt 20 ]; then
		pass "| head -3 ends promptly (exit $prc, ${elapsed}s)"
	else
		fail "| head -3: exit $prc after ${elapsed}s: $(cat "$BB_TMP/pipe.err")"
	fi
	[ "$(wc -l <"$BB_TMP/pipe.out")" = 3 ] && pass "head got 3 lines" ||
		fail "head got: $(cat "$BB_TMP/pipe.out")"
}

# the python3 interpreter itself, not a wrapper (pyenv's shim is a bash
# script: its comm and pid are not the workload's); nothing without one
bb_python() {
	local py
	py=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)
	[ -n "$py" ] && [ -x "$py" ] && echo "$py"
}

# export_wait_port ERR PID: the port `bpfbox export` (PID) serves on,
# once its stderr (the file ERR) says so; nothing when it did not start
export_wait_port() {
	local i port
	for i in $(seq 1 300); do
		port=$(grep -o 'serving http://127\.0\.0\.1:[0-9]*' "$1" |
		       sed 's/.*://')
		[ -n "$port" ] && { echo "$port"; return 0; }
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# `bpfbox export ARGS...` in the background on a free loopback port:
# EXP_PID and EXP_PORT are set (EXP_PORT empty: it did not start, and
# the file ERR says why). export_start ERR ARGS...
export_start() {
	local err=$1
	shift
	"$BPFBOX" export --listen 127.0.0.1:0 "$@" >"$err.out" 2>"$err" &
	EXP_PID=$!
	EXP_PORT=$(export_wait_port "$err" "$EXP_PID")
	[ -n "$EXP_PORT" ]
}
# export_scrape [PORT]: the body of GET /metrics (default: EXP_PORT)
export_scrape() {
	timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 1
		printf "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" >&3; cat <&3' \
		_ "${1:-$EXP_PORT}" | tr -d '\r' | sed '1,/^$/d'
}
# stop it: SIGTERM, and its exit status in EXP_RC
export_stop() {
	[ -n "$EXP_PID" ] || return 0
	kill "$EXP_PID" 2>/dev/null
	wait "$EXP_PID"
	EXP_RC=$?
	EXP_PID=
}
