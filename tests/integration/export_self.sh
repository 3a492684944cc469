# bpfbox export: the exporter's self-metrics (cli/export_self.c) with two
# objects, export_counts (a ring buffer) and perfbuf (perf event
# arrays): each family's HELP and TYPE once and its samples together
# (promtool, and a check of our own), {object,map} labels on per-map
# ones, the event channels of both objects in one family, and the
# kernel's per-program stats: with --bpf-stats, getppid() made N times
# shows in the run count of the program on its tracepoint; without,
# the run count stays 0 while the sysctl kernel.bpf_stats_enabled is 0.
. tests/lib.sh

OBJ=$PROGS/export_counts.bpf.o
OBJ2=$PROGS/perfbuf.bpf.o
N=40

if ! is_root; then
	skip "export self-metrics: loading and attaching need root"
	exit 0
fi
PY=$(bb_python)
if [ -z "$PY" ] || [ ! -x "$PY" ]; then
	skip "export self-metrics: the workload is a python3 script, and python3 is missing"
	exit 0
fi

EXP_PID= WATCH=
stop_exp() {
	[ -n "$EXP_PID" ] && kill "$EXP_PID" 2>/dev/null && wait "$EXP_PID" 2>/dev/null
	EXP_PID=
}
cleanup() {
	stop_exp
	[ -n "$WATCH" ] && kill "$WATCH" 2>/dev/null && wait "$WATCH" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT

# the workload's comm is the name of its binary: a copy of python3
COMM=bbself$$
COMM=${COMM:0:15}
cp "$PY" "$BB_TMP/$COMM"
getppid_n() {
	"$BB_TMP/$COMM" -c "
import os
for i in range($N):
    os.getppid()
"
}

# start_exp NAME [PREFIX...] -- ARGS...: `PREFIX bpfbox export --listen
# 127.0.0.1:0 ARGS` in the background (EXP_PID); PORT once it serves,
# 1 when it did not start (its stderr in $BB_TMP/NAME.err)
start_exp() {
	local name=$1 pre=()
	shift
	while [ "$1" != -- ]; do pre+=("$1"); shift; done
	shift
	"${pre[@]}" "$BPFBOX" export --listen 127.0.0.1:0 "$@" \
		>"$BB_TMP/$name.out" 2>"$BB_TMP/$name.err" &
	EXP_PID=$!
	PORT=$(export_wait_port "$BB_TMP/$name.err" "$EXP_PID")
	[ -n "$PORT" ]
}

scrape() { export_scrape "$PORT"; }

# val SERIES: the value of the sample SERIES (name{labels}) in $M
val() { printf '%s\n' "$M" | awk -v k="$1" '$1 == k { print $2; exit }'; }

# expect_cmp DESC SERIES OP NUMBER (awk comparison of the sample's value)
expect_cmp() {
	local v
	v=$(val "$2")
	if [ -n "$v" ] && awk -v a="$v" -v b="$4" "BEGIN { exit !(a $3 b) }"; then
		pass "$1 ($2 = $v)"
	else
		fail "$1: $2 is '${v:-missing}', expected $3 $4"
	fi
}

# does process PID hold a BPF_ENABLE_STATS fd
holds_stats() {
	find "/proc/$1/fd" -maxdepth 1 -lname 'anon_inode:bpf-stats' 2>/dev/null |
		grep -q .
}

RC_=bpfbox_export_prog_run_count_total
RS_=bpfbox_export_prog_run_seconds_total
GP='{object="export_counts",program="count_getppid"}'

run "$BPFBOX" export help
if ! grep -q -- '--bpf-stats' <<<"$OUT$ERR"; then
	HAVE_STATS=
	skip "--bpf-stats: 'bpfbox export help' does not list the option"
else
	HAVE_STATS=1
fi

# ---- two objects, --bpf-stats ----------------------------------------------

STATS_OPT=()
[ -n "$HAVE_STATS" ] && STATS_OPT=(--bpf-stats)
if ! start_exp stats -- "${STATS_OPT[@]}" "$OBJ" --targ_comm "$COMM" "$OBJ2"; then
	fail "export of two objects did not start: $(cat "$BB_TMP/stats.err")"
	exit 0
fi
pass "export of two objects serves (port $PORT)"
getppid_n
M=$(scrape)
printf '%s\n' "$M" >"$BB_TMP/metrics.txt"

# the text format: a family's HELP and TYPE once, its samples together
dups=$(printf '%s\n' "$M" | awk '/^# (HELP|TYPE) / { print $2, $3 }' | sort | uniq -d)
if [ -z "$dups" ]; then
	pass "every family has one HELP and one TYPE line"
else
	fail "families with repeated HELP/TYPE: $dups"
fi
apart=$(printf '%s\n' "$M" | awk '
	/^# TYPE / { fam = $3; next }
	/^#/ || /^$/ { next }
	{ n = $1; sub(/\{.*/, "", n)
	  if (fam == "" || index(n, fam) != 1) print n }' | sort -u | head -5)
if [ -z "$apart" ]; then
	pass "every sample follows its own family's TYPE line"
else
	fail "samples outside their family: $apart"
fi
if command -v promtool >/dev/null; then
	if out=$(promtool check metrics <"$BB_TMP/metrics.txt" 2>&1); then
		pass "promtool check metrics accepts the exposition of two objects"
	else
		fail "promtool check metrics: $out"
	fi
else
	skip "promtool check metrics: promtool is not installed (Debian package prometheus)"
fi

# per-map self-metrics carry {object,map}
for f in series truncated read_ok merged batch_read; do
	expect_match "bpfbox_export_map_$f has {object,map}" "$M" \
		"^bpfbox_export_map_$f\{object=\"export_counts\",map=\"getppid_calls\"\} [0-9]+$"
done
expect_cmp "a map read whole is not truncated" \
	'bpfbox_export_map_truncated{object="export_counts",map="getppid_calls"}' == 0
expect_cmp "a map read whole read ok" \
	'bpfbox_export_map_read_ok{object="export_counts",map="getppid_calls"}' == 1
expect_cmp "keys of distinct comms are not merged" \
	'bpfbox_export_map_merged{object="export_counts",map="getppid_calls"}' == 0
expect_cmp "a hash map is read with the batch command (--read auto)" \
	'bpfbox_export_map_batch_read{object="export_counts",map="getppid_calls"}' == 1
expect_cmp "scrapes are counted" bpfbox_export_scrapes_total ">=" 1

# both objects' event channels, in one family each
expect_cmp "each getppid() of the workload is one ring buffer record" \
	'bpfbox_export_events_total{object="export_counts",map="events"}' == "$N"
expect_match "the second object's perf buffers are in the same family" "$M" \
	'^bpfbox_export_events_total\{object="perfbuf",map="exec_events"\} [0-9]+$'
expect_match "a perf buffer's losses are counted" "$M" \
	'^bpfbox_export_events_lost_total\{object="perfbuf",map="exec_events"\} [0-9]+$'
if printf '%s\n' "$M" | grep -q '^bpfbox_export_events_lost_total{object="export_counts"'; then
	fail "a ring buffer has an events_lost sample (its losses are not seen)"
else
	pass "a ring buffer has no events_lost sample"
fi

# the programs of both objects
expect_match "a program of the second object has its run count" "$M" \
	"^$RC_\{object=\"perfbuf\",program=\"perf_exec\"\} [0-9]+$"
expect_cmp "the verifier's instruction count of a program" \
	"bpfbox_export_prog_verified_insns$GP" ">" 0
if [ -n "$HAVE_STATS" ]; then
	if holds_stats "$EXP_PID"; then
		pass "--bpf-stats: the exporter holds a BPF_ENABLE_STATS fd"
	else
		fail "--bpf-stats: the exporter holds no BPF_ENABLE_STATS fd"
	fi
	expect_cmp "--bpf-stats: the stats are on" bpfbox_export_bpf_stats_enabled == 1
	expect_cmp "--bpf-stats: getppid()'s program ran at least $N times" \
		"$RC_$GP" ">=" "$N"
	expect_cmp "--bpf-stats: getppid()'s program took time" "$RS_$GP" ">" 0
fi
stop_exp

# ---- without --bpf-stats ---------------------------------------------------

# Who else has the kernel's BPF stats on: the sysctl, or a process
# holding a BPF_ENABLE_STATS fd (anon_inode:bpf-stats). The sysctl reads
# back only its own setting, so the fds are looked for too.
stats_on_elsewhere() {
	local fd pid
	if [ "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)" != 0 ]; then
		echo "sysctl kernel.bpf_stats_enabled is not 0"
		return
	fi
	fd=$(find /proc/[0-9]*/fd -maxdepth 1 -lname 'anon_inode:bpf-stats' \
		2>/dev/null | head -1)
	[ -z "$fd" ] && return
	pid=${fd#/proc/}
	pid=${pid%%/*}
	echo "process $pid holds BPF_ENABLE_STATS: $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | head -c 150)"
}

# the stats are system-wide: others turning them on while the programs
# run (other tests may, e.g. with --bpf-stats) are watched for from
# before the load to the scrape
: >"$BB_TMP/stats_elsewhere"
(while :; do
	w=$(stats_on_elsewhere)
	[ -n "$w" ] && echo "$w" >>"$BB_TMP/stats_elsewhere"
	sleep 0.02
done) &
WATCH=$!
if ! start_exp nostats -- "$OBJ" --targ_comm "$COMM"; then
	fail "export without --bpf-stats did not start: $(cat "$BB_TMP/nostats.err")"
else
	if holds_stats "$EXP_PID"; then
		fail "without --bpf-stats the exporter holds a BPF_ENABLE_STATS fd"
	else
		pass "without --bpf-stats the exporter holds no BPF_ENABLE_STATS fd"
	fi
	getppid_n
	M=$(scrape)
	stop_exp
	kill "$WATCH" 2>/dev/null
	wait "$WATCH" 2>/dev/null
	WATCH=
	expect_cmp "without --bpf-stats the exporter says the stats are off" \
		bpfbox_export_bpf_stats_enabled == 0
	if [ -s "$BB_TMP/stats_elsewhere" ]; then
		skip "stats off: the run count cannot be judged: while the programs ran, $(head -1 "$BB_TMP/stats_elsewhere")"
	else
		expect_cmp "stats off: the run count stays 0" "$RC_$GP" == 0
		expect_cmp "stats off: the run time stays 0" "$RS_$GP" == 0
	fi
	expect_cmp "stats off: the ring buffer still counts the workload" \
		'bpfbox_export_events_total{object="export_counts",map="events"}' == "$N"
fi
[ -n "$WATCH" ] && kill "$WATCH" 2>/dev/null && wait "$WATCH" 2>/dev/null

# ---- --bpf-stats without CAP_SYS_ADMIN -------------------------------------

if [ -z "$HAVE_STATS" ]; then
	skip "--bpf-stats without CAP_SYS_ADMIN: the option is missing"
elif ! command -v setpriv >/dev/null; then
	skip "--bpf-stats without CAP_SYS_ADMIN: setpriv (util-linux) is missing"
else
	start_exp noadmin setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
		-- --bpf-stats "$OBJ"
	stop_exp
	expect_match "--bpf-stats without CAP_SYS_ADMIN says what it needs" \
		"$(cat "$BB_TMP/noadmin.err")" \
		"BPF_ENABLE_STATS.*CAP_SYS_ADMIN.*kernel\.bpf_stats_enabled=1"
fi
