#!/bin/bash
# bpfbox export --tool syscount (issue #8): syscount's counters as
# Prometheus metrics. One workload process, a copy of python3 under a
# known comm in a cgroup of its own, waits on a fifo while five
# exporters attach (by syscall with -p, by process with -P, -e ENOENT,
# -c CGROUP, -n COMM); then it makes exactly N getppid() and M failing
# openat() calls and blocks again. Each exporter must show exactly
# those calls: counters, the latency counter and the log2 latency
# histogram (its _count and +Inf bucket), only the three families of
# the built-in config, and an exposition promtool accepts. Bad options
# are refused; SIGTERM ends each exporter with 0 and nothing is left
# loaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

EX=("$BPFBOX" export --listen 127.0.0.1:0)
N=500 M=30
P=bpfbox_syscount

# ---- without root: options ------------------------------------------------

expect_rc "--tool syscount --help exits 0" 0 "${EX[@]}" --tool syscount --help
expect_match "--help prints the exported tool's usage" "$OUT" \
	"^Usage: bpfbox export .*--tool syscount"
expect_match "--help names the metrics" "$OUT" "${P}_calls_total"
expect_rc "an unknown tool is a usage error" 2 "${EX[@]}" --tool nosuchtool
expect_match "the unknown tool is named, with the tools there are" "$ERR" \
	"nosuchtool.*syscount"
expect_rc "--tool without a name is a usage error" 2 "${EX[@]}" --tool
expect_rc "an unknown tool option is a usage error" 2 \
	"${EX[@]}" --tool syscount --frobnicate
# -p is the tool's (PID), not bpfbox's global -p (pretty JSON)
expect_rc "a bad PID is a usage error" 2 "${EX[@]}" --tool syscount -p 12x
expect_match "-p takes the PID after --tool" "$ERR" "-p: invalid PID '12x'"
expect_rc "-p with -t is a usage error" 2 "${EX[@]}" --tool syscount -p 1 -t 2
expect_match "-p with -t: the message says why" "$ERR" "exclude each other"
expect_rc "an unknown errno name is a usage error" 2 \
	"${EX[@]}" --tool syscount -e ENOSUCHERR
expect_match "the unknown errno is named" "$ERR" "ENOSUCHERR"
expect_rc "a 16-byte comm is a usage error" 2 \
	"${EX[@]}" --tool syscount -n 0123456789abcdef
expect_rc "a stray word is a usage error" 2 "${EX[@]}" --tool syscount extra
expect_rc "a missing cgroup fails" 1 "${EX[@]}" --tool syscount -c "$BB_TMP/nocg"
expect_match "the missing cgroup is named" "$ERR" "nocg"

if ! is_root; then
	skip "export --tool syscount: loading and attaching need root"
	exit 0
fi
expect_rc "--syscall with an unknown name is a usage error" 2 \
	"${EX[@]}" --tool syscount --syscall no_such_call
expect_match "the unknown syscall is named" "$ERR" "no_such_call"

# the interpreter itself, not a wrapper (pyenv's shim is a bash script)
PY=$(bb_python)
if [ -z "$PY" ] || [ ! -x "$PY" ]; then
	skip "export --tool syscount: the workload is python3, which is missing"
	exit 0
fi

progs_loaded() {
	"$BPFBOX" prog show 2>/dev/null |
		grep -E 'name (syscount_enter|syscount_exit)( |$)' |
		cut -d: -f1 | sort
}
BEFORE=$(progs_loaded)
new_progs() {
	comm -13 <(printf '%s\n' "$BEFORE") <(progs_loaded) | grep -c .
}

declare -A XPID XPORT
WPID='' CG=''
cleanup() {
	local k
	for k in "${!XPID[@]}"; do
		kill "${XPID[$k]}" 2>/dev/null && wait "${XPID[$k]}" 2>/dev/null
	done
	[ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null
	exec 7>&- 2>/dev/null
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT

# ---- the workload: waits for a line, makes the calls, waits again -----

COMM=bbxsc$$
COMM=${COMM:0:15}
cp "$PY" "$BB_TMP/$COMM"
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$CG2" ] && mkdir "$CG2/bb-export-sc-$$" 2>/dev/null; then
	CG=$CG2/bb-export-sc-$$
fi
mkfifo "$BB_TMP/go"
# the shell moves itself into the cgroup, then becomes the workload
sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' \
	_ "$CG" "$BB_TMP/$COMM" -c '
import os, sys
sys.stdin.readline()
for i in range('$N'):
    os.getppid()
for i in range('$M'):
    try:
        os.open("/nonexistent/bb-export-syscount", os.O_RDONLY)
    except FileNotFoundError:
        pass
print("finished", flush=True)
sys.stdin.readline()
' <"$BB_TMP/go" >"$BB_TMP/w.out" 2>"$BB_TMP/w.err" &
WPID=$!
exec 7>"$BB_TMP/go"	# opens once the workload has the fifo open too

# blocked_in_read: the workload (python by now) waits in read(2)
blocked_in_read() {
	[ "$(cat "/proc/$WPID/comm" 2>/dev/null)" = "$COMM" ] &&
		[ "$(cut -d' ' -f1 "/proc/$WPID/syscall" 2>/dev/null)" = 0 ]
}
# its start-up is over before any exporter attaches, so that they all
# see the same calls
for _ in $(seq 1 100); do
	blocked_in_read && break
	sleep 0.1
done
blocked_in_read || { fail "the workload did not start: $(cat "$BB_TMP/w.err")"; exit 0; }

# start_exp NAME [OBJ [KNOBS...] ::] TOOL-OPTIONS...: an exporter, its
# pid and port by NAME (OBJ...: exported before the tool)
start_exp() {
	local name=$1 port objs=()
	shift
	if [[ " $* " == *" :: "* ]]; then
		while [ "$1" != :: ]; do
			objs+=("$1")
			shift
		done
		shift
	fi
	"${EX[@]}" "${objs[@]}" --tool syscount "$@" >"$BB_TMP/$name.out" 2>"$BB_TMP/$name.err" &
	XPID[$name]=$!
	port=$(export_wait_port "$BB_TMP/$name.err" "${XPID[$name]}")
	if [ -z "$port" ]; then
		fail "export ${objs[*]} --tool syscount $* did not start: $(head -c 2000 "$BB_TMP/$name.err")"
		unset "XPID[$name]"
		return 1
	fi
	XPORT[$name]=$port
	pass "export ${objs[*]}${objs[*]:+ }--tool syscount $* attached, serving on port $port"
}

scrape() { export_scrape "${XPORT[$1]}"; }	# scrape NAME

# val METRICS SERIES: the value of the sample SERIES (name{labels}), or ""
val() {
	printf '%s\n' "$1" | awk -v s="$2" 'index($0, s " ") == 1 { print $2; exit }'
}

start_exp bysc --pid "$WPID" || exit 0
start_exp byproc -P --pid "$WPID"
start_exp enoent --pid "$WPID" -e ENOENT
start_exp comm -n "$COMM"
if [ -n "$CG" ]; then
	start_exp cgroup -c "$CG"
else
	skip "-c: no cgroup v2 mounted to make a test cgroup in"
fi
# with another object: its maps come out as with no config
MIXOBJ=$PROGS/export_counts.bpf.o
if [ -f "$MIXOBJ" ]; then
	start_exp mixed "$MIXOBJ" --targ_comm "$COMM" :: --pid "$WPID"
else
	skip "OBJ --tool syscount: no $MIXOBJ (make progs)"
fi

caps=$(awk '/^CapEff:/ { print $2 }' "/proc/${XPID[bysc]}/status")
if [ "$caps" = 0000000000000000 ]; then
	pass "the exporter dropped every capability once attached"
else
	fail "the exporter still has capabilities: CapEff $caps"
fi

# go, then wait until the workload said finished and is blocked in read(2)
# again: every call it made has then passed sys_exit
echo go >&7
for _ in $(seq 1 100); do
	grep -q finished "$BB_TMP/w.out" 2>/dev/null && blocked_in_read && break
	sleep 0.1
done
if ! grep -q finished "$BB_TMP/w.out"; then
	fail "the workload did not run: $(cat "$BB_TMP/w.err")"
	exit 0
fi

# ---- by syscall, -p PID ----------------------------------------------------

MS=$(scrape bysc)
printf '%s\n' "$MS" >"$BB_TMP/bysc.txt"
v=$(val "$MS" "${P}_calls_total{syscall=\"getppid\"}")
[ "$v" = "$N" ] && pass "calls_total{syscall=\"getppid\"} is exactly $N" ||
	fail "calls_total{syscall=\"getppid\"} is '$v', expected $N"
v=$(val "$MS" "${P}_calls_total{syscall=\"openat\"}")
[ "$v" = "$M" ] && pass "calls_total{syscall=\"openat\"} is exactly $M" ||
	fail "calls_total{syscall=\"openat\"} is '$v', expected $M"
v=$(val "$MS" "${P}_latency_seconds_count{syscall=\"getppid\"}")
[ "$v" = "$N" ] && pass "the latency histogram's _count for getppid is $N" ||
	fail "latency_seconds_count{syscall=\"getppid\"} is '$v', expected $N"
v=$(val "$MS" "${P}_latency_seconds_bucket{syscall=\"getppid\",le=\"+Inf\"}")
[ "$v" = "$N" ] && pass "the latency histogram's +Inf bucket for getppid is $N" ||
	fail "latency_seconds_bucket{syscall=\"getppid\",le=\"+Inf\"} is '$v', expected $N"
v=$(val "$MS" "${P}_time_seconds_total{syscall=\"getppid\"}")
if awk -v v="$v" 'BEGIN { exit !(v + 0 > 0 && v + 0 < 10) }'; then
	pass "time_seconds_total{syscall=\"getppid\"} is a time in seconds ($v)"
else
	fail "time_seconds_total{syscall=\"getppid\"} is '$v', expected 0 < s < 10"
fi
v=$(val "$MS" "${P}_latency_seconds_sum{syscall=\"getppid\"}")
if awk -v v="$v" 'BEGIN { exit !(v + 0 > 0 && v + 0 < 10) }'; then
	pass "the latency histogram's _sum is in seconds ($v)"
else
	fail "latency_seconds_sum{syscall=\"getppid\"} is '$v', expected 0 < s < 10"
fi
# buckets cumulative, their bounds in seconds (2^k - 1 ns)
if printf '%s\n' "$MS" | awk -v f="${P}_latency_seconds_bucket{syscall=\"getppid\"," '
	index($0, f) == 1 { n++; if ($2 < last) bad = 1; last = $2 }
	END { exit bad || n < 2 }'; then
	pass "getppid's latency buckets never decrease"
else
	fail "getppid's latency buckets: $(grep -F "${P}_latency_seconds_bucket{syscall=\"getppid\"" "$BB_TMP/bysc.txt")"
fi
expect_match "bucket bounds are seconds (the first: le=\"1e-09\", 1 ns)" "$MS" \
	"^${P}_latency_seconds_bucket\{syscall=\"getppid\",le=\"1e-09\"\} [0-9]+$"
# a fixed layout (bucket_max: 33), the same on every host: 34 + +Inf
n=$(printf '%s\n' "$MS" | grep -c "^${P}_latency_seconds_bucket{syscall=\"getppid\",")
[ "$n" = 35 ] && pass "the latency histogram has its fixed 34 buckets and +Inf" ||
	fail "the latency histogram has $n buckets for getppid, expected 35"
expect_match "... the last up to 2^34-1 ns" "$MS" \
	"^${P}_latency_seconds_bucket\{syscall=\"getppid\",le=\"17.179869183\"\} [0-9]+$"
FAM=$(printf '%s\n' "$MS" | grep "^# TYPE ${P}_" | sort | tr '\n' ';')
want="# TYPE ${P}_calls_total counter;# TYPE ${P}_latency_seconds histogram;# TYPE ${P}_time_seconds_total counter;"
[ "$FAM" = "$want" ] &&
	pass "exactly the three families of the built-in config (no uid, gid, data1, comms)" ||
	fail "the syscount families are: $FAM"
# every syscall the workload made is a series, each with its histogram
TOTAL=$(printf '%s\n' "$MS" | awk -v f="${P}_calls_total{" 'index($0, f) == 1 { s += $2 } END { print s + 0 }')
HTOTAL=$(printf '%s\n' "$MS" | awk -v f="${P}_latency_seconds_count{" 'index($0, f) == 1 { s += $2 } END { print s + 0 }')
[ "$TOTAL" = "$HTOTAL" ] && [ "$TOTAL" -ge $((N + M)) ] &&
	pass "the histograms count every call ($TOTAL in all)" ||
	fail "calls_total sums to $TOTAL, the histograms' _count to $HTOTAL (at least $((N + M)) expected)"
if out=$(promtool check metrics <"$BB_TMP/bysc.txt" 2>&1); then
	pass "promtool check metrics accepts the exposition"
elif ! command -v promtool >/dev/null; then
	skip "promtool check metrics: promtool is not installed (Debian package prometheus)"
else
	fail "promtool check metrics: $out"
fi

# ---- -P: by process ----------------------------------------------------------

if [ -n "${XPORT[byproc]}" ]; then
	MP=$(scrape byproc)
	v=$(val "$MP" "${P}_calls_total{pid=\"$WPID\"}")
	[ "$v" = "$TOTAL" ] &&
		pass "-P: calls_total{pid=\"$WPID\"} is every call the process made ($v)" ||
		fail "-P: calls_total{pid=\"$WPID\"} is '$v', expected $TOTAL"
	v=$(val "$MP" "${P}_latency_seconds_count{pid=\"$WPID\"}")
	[ "$v" = "$TOTAL" ] && pass "-P: the latency histogram is by pid too" ||
		fail "-P: latency_seconds_count{pid=\"$WPID\"} is '$v', expected $TOTAL"
	n=$(printf '%s\n' "$MP" | grep -c "^${P}_calls_total{")
	[ "$n" = 1 ] && pass "-P -p: one series" || fail "-P -p: $n series of calls_total"
	printf '%s\n' "$MP" >"$BB_TMP/byproc.txt"
	if command -v promtool >/dev/null; then
		out=$(promtool check metrics <"$BB_TMP/byproc.txt" 2>&1) &&
			pass "-P: promtool check metrics accepts it" ||
			fail "-P: promtool check metrics: $out"
	fi
fi

# ---- -e ENOENT, -n COMM, -c CGROUP: the same calls, filtered in the kernel --

if [ -n "${XPORT[enoent]}" ]; then
	ME=$(scrape enoent)
	v=$(val "$ME" "${P}_calls_total{syscall=\"openat\"}")
	n=$(printf '%s\n' "$ME" | grep -c "^${P}_calls_total{")
	[ "$v" = "$M" ] && [ "$n" = 1 ] &&
		pass "-e ENOENT: only the $M failed openat calls" ||
		fail "-e ENOENT: openat '$v' (expected $M), $n series: $(printf '%s\n' "$ME" | grep "^${P}_calls_total{")"
fi
declare -A OPT=([comm]="-n $COMM" [cgroup]="-c $CG")
for name in comm cgroup; do
	[ -n "${XPORT[$name]}" ] || continue
	MF=$(scrape "$name")
	got=$(printf '%s\n' "$MF" | grep "^${P}_calls_total{" | sort)
	want=$(printf '%s\n' "$MS" | grep "^${P}_calls_total{" | sort)
	[ "$got" = "$want" ] &&
		pass "${OPT[$name]}: exactly the workload's calls, as with -p" ||
		fail "${OPT[$name]}: $(diff <(echo "$want") <(echo "$got") | head -20 | tr '\n' ' ')"
done

if [ -n "${XPORT[mixed]}" ]; then
	MX=$(scrape mixed)
	v=$(val "$MX" "bpfbox_export_counts_getppid_calls_total{comm=\"$COMM\"}")
	w=$(val "$MX" "${P}_calls_total{syscall=\"getppid\"}")
	[ "$v" = "$N" ] && [ "$w" = "$N" ] &&
		pass "OBJ --tool syscount: the other object's maps are exported too ($v and $w)" ||
		fail "OBJ --tool syscount: export_counts' getppid counter '$v', syscount's '$w', expected $N both"
fi

# ---- the end: SIGTERM, nothing left ---------------------------------------------

if [ "$(new_progs)" -gt 0 ]; then
	pass "the exporters' programs show in prog show while they run"
else
	fail "prog show does not list syscount_enter/syscount_exit while exporting"
fi
for name in "${!XPID[@]}"; do
	kill "${XPID[$name]}"
	wait "${XPID[$name]}"
	rc=$?
	unset "XPID[$name]"
	[ "$rc" = 0 ] && pass "SIGTERM ends the $name exporter with 0" ||
		fail "the $name exporter exited $rc on SIGTERM: $(tail -3 "$BB_TMP/$name.err")"
done
for _ in $(seq 40); do
	LEFT=$(new_progs)
	[ "$LEFT" = 0 ] && break
	sleep 0.1
done
[ "$LEFT" = 0 ] && pass "no syscount program left loaded" ||
	fail "$LEFT syscount programs left loaded"
