# bpfbox export --config: a YAML file renames families and labels, picks
# counter or gauge, scales, switches a histogram's bucket kind, and
# decodes labels (syscall, errno, cgroup, ksym), summing keys whose
# labels come out equal. The workload is one python process in a cgroup
# of its own, making a known number of failing open()s and getppid()s.
. tests/lib.sh

OBJ=$PROGS/export_conf.bpf.o
CONF=$BB_TMP/conf.yaml

# ---- config errors, caught before anything is loaded ------------------------
printf 'metrics:\n  - map: sys_results\n    type: sometimes\n' >"$CONF"
expect_rc "a bad type is refused" 1 "$BPFBOX" export --config "$CONF" "$OBJ"
expect_match "... naming the file, the line and the choices" "$ERR" \
	"conf.yaml:3:.*counter.*gauge"
printf 'metrics:\n  - map: [unclosed\n' >"$CONF"
expect_rc "a YAML syntax error is refused" 1 "$BPFBOX" export --config "$CONF" "$OBJ"
expect_match "... with its line" "$ERR" "conf.yaml:[0-9]+:"

if ! is_root; then
	skip "export_conf: loading and attaching need root"
	exit 0
fi
PY=$(bb_python)
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$PY" ] || [ -z "$CG2" ] || [ ! -w "$CG2" ]; then
	skip "export_conf: needs python3 and a writable cgroup2 mount (have: '${PY}' '${CG2}')"
	exit 0
fi

printf 'metrics:\n  - map: nosuch\n' >"$CONF"
expect_rc "a config naming no map of the object fails" 1 \
	timeout 60 "$BPFBOX" export --listen 127.0.0.1:0 --config "$CONF" "$OBJ"
expect_match "... naming the map and the line" "$ERR" \
	"conf.yaml:2: no exported map 'nosuch'"
printf 'metrics:\n  - map: sys_results\n    labels:\n      - {field: errno, decoder: errno}\n' >"$CONF"
expect_rc "a label field the key does not make fails" 1 \
	timeout 60 "$BPFBOX" export --listen 127.0.0.1:0 --config "$CONF" "$OBJ"
expect_match "... listing the labels the key makes" "$ERR" \
	"conf.yaml:2: map sys_results has no label 'errno' \(its key makes: nr,err,cgroup,fn\)"

CG=bbexpconf$$
WL=
cleanup() {
	export_stop
	[ -n "$WL" ] && kill "$WL" 2>/dev/null
	rmdir "$CG2/$CG" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT
mkdir "$CG2/$CG"

# the workload: waits for a line, then 5 EISDIR and 2 ENOENT open()s and
# 7 getppid()s, then waits again (so that its pid stays the target)
workload() {
	mkfifo "$BB_TMP/go.$1"
	"$PY" -c '
import os, sys
f = open(sys.argv[1])
f.readline()
for i in range(5):
    try: os.open("/", os.O_WRONLY)
    except OSError: pass
for i in range(2):
    try: os.open("/nonexistent-bbexpconf", os.O_RDONLY)
    except OSError: pass
for i in range(7): os.getppid()
f.readline()' "$BB_TMP/go.$1" &
	WL=$!
	echo "$WL" >"$CG2/$CG/cgroup.procs"
	exec 7>"$BB_TMP/go.$1"
}
workload_go() { echo >&7; sleep 0.5; }
workload_end() { echo >&7; exec 7>&-; wait "$WL"; WL=; }

# ---- every decoder -----------------------------------------------------------
cat >"$CONF" <<'YAML'
metrics:
  - map: sys_results
    name: bbtest_syscalls_total
    help: "Syscalls of the workload by result."
    type: counter
    labels:
      - {field: nr, name: syscall, decoder: syscall}
      - {field: err, name: errno, decoder: errno}
      - {field: cgroup, decoder: cgroup}
      - {field: fn, name: function, decoder: ksym}
  - map: ret_hist
    name: bbtest_ret_slots
    buckets: linear
    bucket_max: 4
    labels:
      - {field: nr, name: syscall, decoder: syscall}
YAML
workload 1
if ! export_start "$BB_TMP/e1.err" --config "$CONF" "$OBJ" --targ_tgid "$WL"; then
	fail "export --config did not start: $(cat "$BB_TMP/e1.err")"
	exit 0
fi
workload_go
M=$(export_scrape)
L="cgroup=\"/$CG\""
expect_match "the renamed family has the config's help" "$M" \
	"^# HELP bbtest_syscalls_total Syscalls of the workload by result\.$"
expect_match "syscall, errno, cgroup and ksym decoded: 5 EISDIR opens" "$M" \
	"^bbtest_syscalls_total\{syscall=\"openat\",errno=\"EISDIR\",$L,function=\"do_sys_openat2\"\} 5$"
expect_match "... 2 ENOENT opens" "$M" \
	"^bbtest_syscalls_total\{syscall=\"openat\",errno=\"ENOENT\",$L,function=\"do_sys_openat2\"\} 2$"
expect_match "... 7 getppid, an address inside a function as name+0x10" "$M" \
	"^bbtest_syscalls_total\{syscall=\"getppid\",errno=\"0\",$L,function=\"do_sys_openat2\+0x10\"\} 7$"
expect_match "buckets: linear makes slot 3 le=\"3\"" "$M" \
	"^bbtest_ret_slots_bucket\{syscall=\"getppid\",le=\"3\"\} 7$"
expect_match "... and its count" "$M" \
	"^bbtest_ret_slots_count\{syscall=\"getppid\"\} 7$"
expect_match "bucket_max: 4 writes buckets 0..4 even where none counted" "$M" \
	"^bbtest_ret_slots_bucket\{syscall=\"getppid\",le=\"0\"\} 0$"
expect_match "... and a count past bucket 4 is in +Inf only (openat, slot 5)" "$M" \
	"^bbtest_ret_slots_bucket\{syscall=\"openat\",le=\"4\"\} 0$"
expect_match "... +Inf holds them (7 opens)" "$M" \
	"^bbtest_ret_slots_bucket\{syscall=\"openat\",le=\"\+Inf\"\} 7$"
n=$(printf '%s\n' "$M" | grep -c '^bbtest_ret_slots_bucket{syscall="getppid"')
[ "$n" = 6 ] && pass "... 5 finite buckets and +Inf per histogram" ||
	fail "bucket_max: 4 gave $n buckets for getppid, expected 6"
echo "$M" >"$BB_TMP/m1.txt"
if command -v promtool >/dev/null; then
	expect_rc "promtool accepts the exposition" 0 \
		sh -c "promtool check metrics <'$BB_TMP/m1.txt'"
fi
workload_end
export_stop
[ "$EXP_RC" = 0 ] && pass "export --config ends with 0 on SIGTERM" ||
	fail "export --config exited $EXP_RC"

# ---- drop, merge, gauge, scale, export_unlisted: false -----------------------
cat >"$CONF" <<'YAML'
export_unlisted: false
metrics:
  - map: sys_results
    name: bbtest_by_syscall
    type: gauge
    scale: 0.5
    labels:
      - {field: nr, name: syscall, decoder: syscall}
      - {field: err, decoder: drop}
      - {field: cgroup, decoder: drop}
      - {field: fn, decoder: drop}
YAML
workload 2
if ! export_start "$BB_TMP/e2.err" --config "$CONF" "$OBJ" --targ_tgid "$WL"; then
	fail "export --config (2) did not start: $(cat "$BB_TMP/e2.err")"
	exit 0
fi
workload_go
M=$(export_scrape)
expect_match "a gauge by choice" "$M" "^# TYPE bbtest_by_syscall gauge$"
expect_match "dropped labels: EISDIR and ENOENT opens summed, scaled by 0.5" \
	"$M" "^bbtest_by_syscall\{syscall=\"openat\"\} 3\.5$"
expect_match "... getppid 7 * 0.5" "$M" "^bbtest_by_syscall\{syscall=\"getppid\"\} 3\.5$"
expect_match "the merged keys are counted" "$M" \
	"^bpfbox_export_map_merged\{object=\"export_conf\",map=\"sys_results\"\} [1-9][0-9]*$"
if printf '%s\n' "$M" | grep -q "ret_hist"; then
	fail "export_unlisted: false still exports ret_hist"
else
	pass "export_unlisted: false leaves the unlisted map out"
fi
workload_end
export_stop
