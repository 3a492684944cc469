#!/bin/bash
# syscount (issue #5): a tiny C workload built here makes a known burst
# of syscalls (N getppid, M openat failing with ENOENT, K close failing
# with EBADF) once syscount is attached; the exact counts must come out
# in text and JSON, by syscall and by process, with -x, -e, --syscall,
# -L, -c; the -n/--comm-file filter changes while syscount runs; -l is
# this kernel's list (tracefs, numbers checked against the headers);
# bad input; clean ends on SIGINT, SIGTERM, SIGPIPE; nothing left loaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

SC=("$BPFBOX" syscount)
N=1000 M=300 K=200

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${SC[@]}" --help
expect_match "--help starts with Usage: syscount" "$OUT" "^Usage: syscount"
expect_match "--help lists --comm-file" "$OUT" "--comm-file"
expect_rc "unknown option exits 2" 2 "${SC[@]}" --frobnicate
expect_rc "bad pid exits 2" 2 "${SC[@]}" -p 12x
expect_rc "-T 0 exits 2" 2 "${SC[@]}" -T 0
expect_rc "bad interval exits 2" 2 "${SC[@]}" -i -1
expect_rc "unknown errno name exits 2" 2 "${SC[@]}" -e ENOSUCHERR
expect_match "unknown errno is named" "$ERR" "ENOSUCHERR"
expect_rc "a 16-byte comm exits 2" 2 "${SC[@]}" -n 0123456789abcdef
expect_rc "-U without -P exits 2" 2 "${SC[@]}" -U
expect_rc "stray argument exits 2" 2 "${SC[@]}" extra
ln -s "$(readlink -f "$BPFBOX")" "$BB_TMP/syscount"
expect_rc "a link named syscount runs the tool" 0 "$BB_TMP/syscount" -h
expect_match "the link prints syscount's usage" "$OUT" "^Usage: syscount"

if ! is_root; then
	skip "tracing needs root"
	exit 0
fi
expect_rc "missing cgroup exits 1" 1 "${SC[@]}" -c "$BB_TMP/nocg"
expect_match "missing cgroup is named" "$ERR" "nocg"
expect_rc "missing --comm-file exits 1" 1 "${SC[@]}" --comm-file "$BB_TMP/nofile"
expect_match "missing --comm-file is named" "$ERR" "nofile"
expect_rc "--syscall with an unknown name exits 2" 2 "${SC[@]}" --syscall no_such_call
expect_match "the unknown syscall is named" "$ERR" "no_such_call"

# ---- -l: this kernel's syscalls ----
HDR=/usr/include/x86_64-linux-gnu/asm/unistd_64.h
TRACEFS=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
run "${SC[@]}" -l -j
if [ "$RC" != 0 ]; then
	fail "-l -j: exit $RC: $ERR"
elif [ -z "$TRACEFS" ] || [ ! -d "$TRACEFS/events/syscalls" ]; then
	skip "-l: no tracefs syscall events to compare with"
else
	python3 - "$BB_TMP/out" "$TRACEFS/events/syscalls" "$HDR" <<'PY' >"$BB_TMP/l.check" 2>&1
import json, os, re, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
kern = {r["kernel_name"]: r for r in rows}
events = {d[len("sys_enter_"):] for d in os.listdir(sys.argv[2])
          if d.startswith("sys_enter_")}
assert set(kern) == events, ("differ from tracefs",
    sorted(set(kern) ^ events))
by = {r["syscall"]: r["nr"] for r in rows}
assert by.get("openat") == 257 and by.get("getppid") == 110, by
hdr = {}
if os.path.exists(sys.argv[3]):
    for m in re.finditer(r"#define __NR_(\w+) (\d+)", open(sys.argv[3]).read()):
        hdr[m.group(1)] = int(m.group(2))
bad = [(n, by[n], hdr[n]) for n in by if n in hdr and by[n] != hdr[n]]
assert not bad, ("numbers differ from the headers", bad)
newer = sorted(n for n in by if hdr and n not in hdr)
print("newer", " ".join(newer))
print("ok")
PY
	if tail -1 "$BB_TMP/l.check" | grep -qx ok; then
		pass "-l: exactly tracefs' syscalls, numbers as in unistd_64.h"
		NEWER=$(grep '^newer' "$BB_TMP/l.check" | cut -d' ' -f2-)
		if [ -n "$NEWER" ]; then
			pass "-l names syscalls newer than the build headers: $NEWER"
		else
			skip "-l: this kernel has no syscall newer than $HDR"
		fi
	else
		fail "-l: $(cat "$BB_TMP/l.check")"
	fi
fi
run "${SC[@]}" -l
expect_match "-l text: openat and its number" "$OUT" "^openat +257$"

# ---- the workload ----
if ! cc -O2 -o "$BB_TMP/burst" -x c - <<'C' 2>"$BB_TMP/cc.err"; then
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
/* burst N M K: say ready, wait for a line on stdin, then exactly N
 * getppid, M openat (ENOENT), K close (EBADF), and exit_group */
int main(int argc, char **argv)
{
	long i, n, m, k;
	char buf[64];

	if (argc != 4)
		return 2;
	n = atol(argv[1]), m = atol(argv[2]), k = atol(argv[3]);
	syscall(SYS_write, 1, "ready\n", 6);
	syscall(SYS_read, 0, buf, sizeof(buf));
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	for (i = 0; i < m; i++)
		syscall(SYS_openat, AT_FDCWD, "/nonexistent-bb-syscount",
			O_RDONLY);
	for (i = 0; i < k; i++)
		syscall(SYS_close, -1);
	syscall(SYS_exit_group, 0);
	return 0;
}
C
	skip "no C compiler for the workload: $(cat "$BB_TMP/cc.err")"
	exit 0
fi
chmod 755 "$BB_TMP"	# the workload also runs as nobody

# ids of syscount's programs loaded now; only new ones count as ours
progs_loaded() {
	"$BPFBOX" prog show 2>/dev/null |
		grep -E 'name (syscount_enter|syscount_exit|syscall_names)( |$)' |
		cut -d: -f1 | sort
}
BEFORE=$(progs_loaded)
new_progs() {
	comm -13 <(printf '%s\n' "$BEFORE") <(progs_loaded) | grep -c .
}

# start_burst NAME [PREFIX...]: the workload as $BB_TMP/NAME, blocked on
# its stdin (a fifo held open here on fd 7) until go_burst; pid in $HP
start_burst() {
	local name=$1
	shift
	[ -x "$BB_TMP/$name" ] || cp "$BB_TMP/burst" "$BB_TMP/$name"
	rm -f "$BB_TMP/fifo"
	mkfifo "$BB_TMP/fifo"
	exec 7<>"$BB_TMP/fifo"
	"$@" "$BB_TMP/$name" "$N" "$M" "$K" <&7 >"$BB_TMP/$name.ready" &
	HP=$!
	for _ in $(seq 100); do
		grep -q ready "$BB_TMP/$name.ready" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "the workload $name did not start"
	return 1
}
go_burst() {
	echo go >&7
	wait "$HP"
	exec 7>&-
}

# start syscount ARGS... (output in $BB_TMP/$TAG.out, pid $SP), run
# through the command in PRE when set; ready once it printed its header
# line (stdout, or stderr with -j)
PRE=()
start() {
	TAG=$1
	shift
	"${PRE[@]}" "${SC[@]}" "$@" >"$BB_TMP/$TAG.out" 2>"$BB_TMP/$TAG.err" &
	SP=$!
	for _ in $(seq 200); do
		grep -q '^Tracing' "$BB_TMP/$TAG.out" "$BB_TMP/$TAG.err" && return 0
		kill -0 "$SP" 2>/dev/null || break
		sleep 0.05
	done
	fail "$TAG: syscount did not start: $(cat "$BB_TMP/$TAG.err")"
	kill "$SP" 2>/dev/null
	return 1
}
stop() {
	kill "-${1:-INT}" "$SP"
	wait "$SP"
	STOPRC=$?
	S_OUT=$(cat "$BB_TMP/$TAG.out")
}

# the summary's rows (the lines after the column header, up to the
# blank line), spaces squeezed
rows() {
	awk '/^(SYSCALL|PID) / { on = 1; next } on && /^$/ { exit } on' \
		"$BB_TMP/$TAG.out" | tr -s ' '
}

# burst_case TAG WANT-ROWS SYSCOUNT-ARGS...: the workload traced by pid
burst_case() {
	local tag=$1 want=$2
	shift 2
	start_burst burst || return
	if start "$tag" -p "$HP" -T 50 "$@"; then
		go_burst
		stop INT
		GOT=$(rows)
		if [ "$GOT" = "$(printf %b "$want")" ]; then
			pass "$tag: exact rows"
		else
			fail "$tag: rows '$GOT', expected '$(printf %b "$want")'"
		fi
	else
		go_burst
	fi
}

burst_case count "getppid $N\nopenat $M\nclose $K\nread 1"
[ "$STOPRC" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $STOPRC"
expect_match "header line" "$S_OUT" "^Tracing syscalls, printing top 50\.\.\. Ctrl\+C to quit\.$"
expect_match "a [HH:MM:SS] line before the table" "$S_OUT" $'^\\[[0-9]{2}:[0-9]{2}:[0-9]{2}\\]\nSYSCALL +COUNT$'
burst_case failures "openat $M\nclose $K" -x
burst_case errno-name "openat $M" -e ENOENT
burst_case errno-number "close $K" -e 9
burst_case one-syscall "getppid $N" --syscall getppid

# no syscall names: counts by number, with a warning that says why. A
# mount namespace hides tracefs (a read-only tmpfs on /sys/kernel, the
# BTF bound back for CO-RE)
mkdir "$BB_TMP/btf"
PRE=(unshare -m sh -c 'mount --bind /sys/kernel/btf "$1" &&
	mount -t tmpfs -o size=1m none /sys/kernel &&
	mkdir /sys/kernel/btf && mount --bind "$1" /sys/kernel/btf &&
	mount -o remount,ro /sys/kernel || { echo bb-nomount >&2; exit 3; }
	shift; exec "$@"' sh "$BB_TMP/btf")
if ! command -v unshare >/dev/null; then
	skip "no names: unshare(1) is missing"
elif ! "${PRE[@]}" true 2>/dev/null; then
	skip "no names: cannot hide tracefs in a mount namespace here"
elif start_burst burst; then
	if start nonames -p "$HP" -T 50; then
		go_burst
		stop INT
		GOT=$(rows)
		want=$(printf '[unknown: 110] %s\n[unknown: 257] %s\n[unknown: 3] %s\n[unknown: 0] 1' $N $M $K)
		[ "$GOT" = "$want" ] && pass "no names: exact rows by number" ||
			fail "no names: rows '$GOT', expected '$want'"
		expect_match "no names: a warning saying why" \
			"$(cat "$BB_TMP/nonames.err")" \
			"warning: syscalls are shown by number: .*events/syscalls"
	else
		go_burst
	fi
fi
PRE=()

# -L: the read began before syscount did, so only the burst is timed
start_burst burst
if start latency -p "$HP" -L -m; then
	go_burst
	stop INT
	expect_match "-L -m: TIME (ms) column" "$S_OUT" "^SYSCALL +COUNT +TIME \(ms\)$"
	expect_match "-L: getppid counted and timed" "$S_OUT" \
		"^getppid +$N +[0-9]+\.[0-9]{3}$"
	if rows | grep -q '^read '; then
		fail "-L: the untimed read was counted"
	else
		pass "-L: a syscall begun before the start is not counted"
	fi
else
	go_burst
fi

# ---- JSON ----
start_burst burst
if start json -p "$HP" -j -L; then
	go_burst
	stop INT
	python3 - "$BB_TMP/json.out" "$N" "$M" "$K" <<'PY' >"$BB_TMP/json.check" 2>&1
import json, sys
path, n, m, k = sys.argv[1], *map(int, sys.argv[2:])
objs = [json.loads(l) for l in open(path)]
assert len(objs) == 1, objs
o = objs[0]
assert o["by"] == "syscall" and isinstance(o["ts_ns"], int), o
rows = {r["syscall"]: r for r in o["rows"]}
assert {s: r["count"] for s, r in rows.items()} == \
    {"getppid": n, "openat": m, "close": k}, rows
assert rows["openat"]["nr"] == 257 and rows["openat"]["abi"] == "x86_64"
assert all(isinstance(r["total_ns"], int) and r["total_ns"] > 0
           for r in rows.values()), rows
assert o["rows_total"] == 3, o
print("ok")
PY
	if tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j -L: one object, exact counts, typed fields"
	else
		fail "-j: $(cat "$BB_TMP/json.check")"
	fi
else
	go_burst
fi

# ---- by process, as another user ----
start_burst burst setpriv --reuid 65534 --regid 65534 --clear-groups
if start process -p "$HP" -P -U; then
	go_burst
	stop TERM
	[ "$STOPRC" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $STOPRC"
	expect_match "-P -U: header" "$S_OUT" "^PID +UID +GID +COMM +COUNT$"
	expect_match "-P -U: the process, its ids and every syscall" "$S_OUT" \
		"^$HP +65534 +65534 +burst +$((N + M + K + 1))$"
else
	go_burst
fi
start_burst burst
if start pjson -p "$HP" -P -j; then
	go_burst
	stop INT
	expect_match "-P -j: the process as a typed row" "$S_OUT" \
		"\"rows\":\[\{\"pid\":$HP,\"comm\":\"burst\",\"uid\":0,\"gid\":0,\"count\":$((N + M + K + 1))\}\]"
else
	go_burst
fi

# ---- cgroup v2 ----
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=$CG2/bb-syscount-$$
if [ -n "$CG2" ] && mkdir "$CG"; then
	# the workload moves itself into the cgroup before it runs burst
	start_burst burst sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG"
	if start cgroup -c "$CG" -T 50; then
		go_burst
		stop INT
		GOT=$(rows)
		want=$(printf "getppid $N\nopenat $M\nclose $K\nread 1")
		[ "$GOT" = "$want" ] && pass "-c: exactly the cgroup's syscalls" ||
			fail "-c: rows '$GOT', expected '$want'"
	else
		go_burst
	fi
	rmdir "$CG"
else
	skip "-c: no cgroup v2 mounted to make a test cgroup in"
fi

# ---- -n/--comm-file, changed while syscount runs ----
# bbsc_a and bbsc_b run together twice; the filter names bbsc_a, then
# (file rewritten, SIGUSR1) bbsc_b: only the first a and second b count
pair() {
	local a b
	start_burst bbsc_a && a=$HP
	exec 8<&7
	start_burst bbsc_b && b=$HP
	echo go >&8
	echo go >&7
	wait "$a" "$b"
	exec 7>&- 8>&-
	PAIR="$a $b"
}
echo bbsc_a >"$BB_TMP/comms"
if start comm -P -T 50 -n bbsc_none --comm-file "$BB_TMP/comms"; then
	if [ "$(new_progs)" -gt 0 ]; then
		pass "its programs show in prog show while it runs"
	else
		fail "prog show does not list its programs while it runs"
	fi
	pair
	read -r A1 B1 <<<"$PAIR"
	echo bbsc_b >"$BB_TMP/comms"
	kill -USR1 "$SP"
	for _ in $(seq 100); do
		grep -q 'comm filter: 2 names' "$BB_TMP/comm.err" && break
		sleep 0.05
	done
	pair
	read -r A2 B2 <<<"$PAIR"
	stop INT
	expect_match "-n: SIGUSR1 read the file again" "$(cat "$BB_TMP/comm.err")" \
		"comm filter: 2 names"
	expect_match "--comm-file: bbsc_a counted before the change" "$S_OUT" "^$A1 +bbsc_a +[0-9]+$"
	expect_match "--comm-file: bbsc_b counted after the change" "$S_OUT" "^$B2 +bbsc_b +[0-9]+$"
	if rows | grep -Eq "^($B1|$A2) "; then
		fail "--comm-file: a process outside the filter was counted: $(rows)"
	else
		pass "--comm-file: the others were not counted"
	fi
fi

# ---- -i and -d: two summaries, then the end ----
SECONDS=0
run timeout 20 "${SC[@]}" -i 1 -d 2 -p $$
if [ "$RC" = 0 ] && [ "$(grep -c '^\[' <<<"$OUT")" = 2 ] && [ "$SECONDS" -lt 8 ]; then
	pass "-i 1 -d 2: two summaries, exit 0 (${SECONDS}s)"
else
	fail "-i 1 -d 2: exit $RC after ${SECONDS}s: $OUT $ERR"
fi

# ---- SIGPIPE: `syscount -i 1 | head -3` ends ----
SECONDS=0
timeout 30 "${SC[@]}" -i 1 2>"$BB_TMP/pipe.err" | head -3 >"$BB_TMP/pipe.out"
PRC=${PIPESTATUS[0]}
if [ "$PRC" != 124 ] && [ "$SECONDS" -lt 20 ]; then
	pass "| head -3 ends promptly (exit $PRC, ${SECONDS}s)"
else
	fail "| head -3: exit $PRC after ${SECONDS}s: $(cat "$BB_TMP/pipe.err")"
fi

# the kernel frees a program shortly after its last fd is closed
for _ in $(seq 40); do
	LEFT=$(new_progs)
	[ "$LEFT" = 0 ] && break
	sleep 0.1
done
if [ "$LEFT" = 0 ]; then
	pass "no syscount program left loaded"
else
	fail "$LEFT syscount programs left loaded: $(progs_loaded | tr '\n' ' ')"
fi
