#!/bin/bash
# opensnoop (issue #5): a tracer started in the background, a small C
# workload (built here with cc) whose opens are known in advance -
# marker files by relative and absolute paths, through dirfds, a
# symlink, "..", across a tmpfs mount point, failed opens, creat and
# openat2, a name with a newline and an escape sequence - and the exact
# lines they must produce in text (with -e -U, with -F) and JSON; the
# kernel filters -x -f -n -p -t -u -c --cgroupmap --mntnsmap -d; bad
# input; clean ends on SIGINT, SIGTERM and SIGPIPE, nothing left loaded.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

OS=("$BPFBOX" opensnoop)

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${OS[@]}" --help
expect_match "--help starts with Usage: opensnoop" "$OUT" "^Usage: opensnoop"
expect_match "--help lists -F" "$OUT" "--full-path"
expect_rc "unknown option exits 2" 2 "${OS[@]}" --frobnicate
expect_match "unknown option: one line naming the tool" "$ERR" "^opensnoop: unknown option"
expect_rc "bad pid exits 2" 2 "${OS[@]}" -p 12x
expect_rc "negative tid exits 2" 2 "${OS[@]}" -t -4
expect_rc "bad uid exits 2" 2 "${OS[@]}" -u no-such-user-bb
expect_rc "zero duration exits 2" 2 "${OS[@]}" -d 0
expect_rc "unknown flag exits 2" 2 "${OS[@]}" -f O_BOGUS
expect_match "unknown flag is named" "$ERR" "O_BOGUS"
expect_rc "-n longer than a comm exits 2" 2 "${OS[@]}" -n 0123456789abcdef
expect_rc "-b not a power of 2 exits 2" 2 "${OS[@]}" -b 3
expect_rc "stray argument exits 2" 2 "${OS[@]}" extra
ln -s "$(readlink -f "$BPFBOX")" "$BB_TMP/opensnoop"
expect_rc "a link named opensnoop runs the tool" 0 "$BB_TMP/opensnoop" -h
expect_match "the link prints opensnoop's usage" "$OUT" "^Usage: opensnoop"

if ! is_root; then
	skip "tracing needs root"
	exit 0
fi
if command -v setpriv >/dev/null; then
	# nobody must reach the binary and, for -u below, the workload
	chmod o+rx "$BB_TMP"
	cp "$BPFBOX" "$BB_TMP/bpfbox"
	expect_rc "not root exits 1" 1 setpriv --reuid 65534 --regid 65534 \
		--clear-groups --inh-caps=-all "$BB_TMP/bpfbox" opensnoop
	expect_match "not root: says what it needs" "$ERR" \
		"^opensnoop: needs root: CAP_BPF and CAP_PERFMON"
fi
expect_rc "missing cgroup exits 1" 1 "${OS[@]}" -c "$BB_TMP/nocg"
expect_match "missing cgroup is named" "$ERR" "nocg"
expect_rc "missing --cgroupmap exits 1" 1 "${OS[@]}" --cgroupmap "$BB_TMP/nomap"
expect_match "missing --cgroupmap is named" "$ERR" "nomap"

# ---- the workload: oshelper COMM OP ARGS... ("OP RET" per op) ----
HELPER=$BB_TMP/oshelper
cat >"$BB_TMP/oshelper.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

static long num(const char *s) { return strtol(s, NULL, 0); }

/* the raw syscalls: glibc's open() is openat() */
int main(int argc, char **argv)
{
	struct open_how how;
	int i = 2, dfd;
	long r;

	if (argc < 2)
		return 2;
	prctl(PR_SET_NAME, argv[1]);
	printf("pid %d\n", getpid());
	while (i < argc) {
		const char *op = argv[i++];

		if (!strcmp(op, "open") && i + 3 <= argc) {
			r = syscall(SYS_open, argv[i], num(argv[i + 1]),
				    num(argv[i + 2]));
			i += 3;
		} else if (!strcmp(op, "creat") && i + 2 <= argc) {
			r = syscall(SYS_creat, argv[i], num(argv[i + 1]));
			i += 2;
		} else if (!strncmp(op, "openat", 6) && i + 4 <= argc) {
			dfd = syscall(SYS_openat, AT_FDCWD, argv[i],
				      O_RDONLY | O_DIRECTORY, 0);
			printf("dirfd %d\n", dfd);
			if (!strcmp(op, "openat")) {
				r = syscall(SYS_openat, dfd, argv[i + 1],
					    num(argv[i + 2]), num(argv[i + 3]));
			} else {
				memset(&how, 0, sizeof(how));
				how.flags = num(argv[i + 2]);
				how.mode = num(argv[i + 3]);
				r = syscall(SYS_openat2, dfd, argv[i + 1], &how,
					    sizeof(how));
			}
			i += 4;
		} else if (!strcmp(op, "storm") && i + 2 <= argc) {
			long k, n = num(argv[i]);

			for (k = 0; k < n; k++) {
				r = syscall(SYS_open, argv[i + 1], O_RDONLY, 0);
				if (r >= 0)
					close(r);
			}
			r = n;
			i += 2;
		} else if (!strcmp(op, "chdir") && i + 1 <= argc) {
			r = chdir(argv[i++]);
		} else {
			fprintf(stderr, "bad op %s\n", op);
			return 2;
		}
		printf("%s %ld\n", op, r < 0 ? -(long)errno : r);
	}
	return 0;
}
EOF
if ! cc -O1 -o "$HELPER" "$BB_TMP/oshelper.c" 2>"$BB_TMP/cc.err"; then
	skip "tracing tests: cannot build the workload with cc: $(head -3 "$BB_TMP/cc.err")"
	exit 0
fi

W=$BB_TMP/work O=$BB_TMP/other MNT=$BB_TMP/mnt
mkdir -p "$W" "$O" "$MNT"
touch "$W/m1" "$O/m3"
ln -s ../other/m3 "$W/lnk"
if mount -t tmpfs bbtmpfs "$MNT"; then
	trap 'umount "$MNT" 2>/dev/null; rm -rf "$BB_TMP"' EXIT
	HAVE_MNT=1
else
	skip "-F across a mount point: cannot mount a tmpfs on $MNT"
	HAVE_MNT=0
fi
mkdir -p "$MNT/sub"
touch "$MNT/sub/m6"
COMM=bbos$$
# a file name with an escape sequence and a newline: @H@ in SPEC
HOSTILE=$(printf 'h\033[31m\nx')
HOSTILE_TXT='h\x1b[31m\x0ax'
# op (arguments) | path as given | -F path | path_from | syscall, flags, mode
# one row per open the workload makes, in order; RET comes from the run
SPEC=(
	"open m1 0 0|m1|$W/m1|fd|open|0|"
	"open $W/m1 0 0|$W/m1|$W/m1|fd|open|0|"
	"open ../work/./m1 0 0|../work/./m1|$W/m1|fd|open|0|"
	"open lnk 0 0|lnk|$O/m3|fd|open|0|"
	"open m1 01 0|m1|$W/m1|fd|open|01|"
	"openat $O m3 0 0|$O|$O|fd|openat|0200000|;m3|$O/m3|fd|openat|0|"
	"openat $O nope 0 0|$O|$O|fd|openat|0200000|;nope|$O/nope|dirfd|openat|0|"
	"open nope2 0 0|nope2|$W/nope2|cwd|open|0|"
	"creat newc 0640|newc|$W/newc|fd|creat|01101|0640"
	"open $BB_TMP/nodir/x 0101 0644|$BB_TMP/nodir/x|$BB_TMP/nodir/x|arg|open|0101|0644"
	"open @H@ 0 0|@H@|$W/@H@|cwd|open|0|"
	"openat2 $MNT sub/m6 0 0|$MNT|$MNT|fd|openat|0200000|;sub/m6|$MNT/sub/m6|fd|openat2|0|"
	"chdir $MNT/sub"
	"open m6 0 0|m6|$MNT/sub/m6|fd|open|0|"
	"open ../sub/nope5 0 0|../sub/nope5|$MNT/sub/../sub/nope5|cwd|open|0|"
)

# run the workload; the expected events, one per line, in $BB_TMP/expect:
# pid|ret|path|fullpath|from|syscall|flags|mode
workload() {
	local args=() row ops w i=0 ev rest rets=()
	for row in "${SPEC[@]}"; do
		read -ra ops <<<"${row%%|*}"
		for w in "${ops[@]}"; do
			[ "$w" = @H@ ] && w=$HOSTILE
			args+=("$w")
		done
	done
	"$HELPER" "$COMM" "${args[@]}" >"$BB_TMP/helper.out" 2>&1
	HPID=$(sed -n 's/^pid //p' "$BB_TMP/helper.out")
	mapfile -t rets < <(sed -n '2,$s/^[a-z0-9]* //p' "$BB_TMP/helper.out")
	: >"$BB_TMP/expect"
	for row in "${SPEC[@]}"; do
		if [[ $row != *"|"* ]]; then	# chdir: no event
			i=$((i + 1))
			continue
		fi
		rest=${row#*|}
		while IFS= read -r -d ';' ev; do
			printf '%s|%s|%s\n' "$HPID" "${rets[$i]}" "$ev" >>"$BB_TMP/expect"
			i=$((i + 1))
		done <<<"$rest;"
	done
}

# ids of opensnoop's programs loaded now; another opensnoop on this
# machine (a benchmark) may come and go, so only new ids count, and
# with "orphans" only those no process holds (ours have all exited)
progs_loaded() {
	"$BPFBOX" prog show 2>/dev/null | awk -v want="$1" '
		function flush() { if (id != "" && (want != "orphans" || !held)) print id }
		/^[0-9]+:/ {
			flush(); id = ""; held = 0
			if ($0 ~ /name (exit_open|exit_openat|exit_openat2|exit_creat) /)
				id = $1
		}
		/^[ \t]+pids / { held = 1 }
		END { flush() }' | tr -d : | sort
}
BEFORE=$(progs_loaded)
new_progs() {
	comm -13 <(printf '%s\n' "$BEFORE") <(progs_loaded "$1") | grep -c .
}

# start opensnoop ARGS... with output in $BB_TMP/$TAG.out; PID in $OSPID
start() {
	TAG=$1
	shift
	"${OS[@]}" "$@" >"$BB_TMP/$TAG.out" 2>"$BB_TMP/$TAG.err" &
	OSPID=$!
}

# ready when it printed its header (text) or showed a probe open (json)
wait_ready() {
	local i
	for i in $(seq 100); do
		if [ "$1" = json ]; then
			"$HELPER" "$COMM" open "/bb-ready-$$" 0 0 >/dev/null
			grep -q "bb-ready-$$" "$BB_TMP/$TAG.out" && return 0
		else
			grep -q '^\(TIME \+\)\?\(UID \+\)\?[PT]ID \+COMM' "$BB_TMP/$TAG.out" && return 0
		fi
		kill -0 "$OSPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$TAG: opensnoop did not start: $(cat "$BB_TMP/$TAG.err")"
	kill "$OSPID" 2>/dev/null
	return 1
}

# end it with SIGNAL once its events are out (it drains every 100 ms
# and at exit); sets STOPRC
stop() {
	sleep 0.3
	kill "-$1" "$OSPID"
	wait "$OSPID"
	STOPRC=$?
}

# the text lines expected from $BB_TMP/expect: with full (F) or given
# paths, the -U -e columns (E); escaped as the tool escapes them. With
# a FILTER, only the rows for which `FILTER RET FLAGS` succeeds.
expect_text() {	# expect_text MODE [FILTER]
	local mode=$1 pid ret path full from sys flags fmode fd err p
	while IFS='|' read -r pid ret path full from sys flags fmode; do
		[ -n "$2" ] && ! "$2" "$ret" "$flags" && continue
		fd=$ret err=0
		[ "$ret" -lt 0 ] && fd=-1 err=$((-ret))
		p=$path
		[ "$mode" = F ] && p=$full
		p=${p//@H@/$HOSTILE_TXT}
		[ "$mode" = E ] && printf '%-7s ' 0
		printf '%-6s %-16s %3d %3d ' "$pid" "$COMM" "$fd" "$err"
		if [ "$mode" = E ] && [ -n "$fmode" ]; then
			printf '%08o %04o  ' "$flags" "$fmode"
		elif [ "$mode" = E ]; then
			printf '%08o n/a   ' "$flags"
		fi
		printf '%s\n' "$p"
	done <"$BB_TMP/expect"
}
is_failed() { [ "$1" -lt 0 ]; }
is_creat() { (($2 & 0100)); }
is_rdonly_or_append() { ! (($2 & 3)) || (($2 & 02000)); }

# every expected line is in FILE, in order, and nothing else of COMM
same_lines() {	# same_lines DESC FILE EXPECTED_FILE
	if diff <(grep -F " $COMM " "$2" | grep -v "bb-ready-$$") "$3" >"$BB_TMP/diff"; then
		pass "$1"
	else
		fail "$1: $(head -c 1500 "$BB_TMP/diff")"
	fi
}

# ---- text: -U -e, the name filter by a part of the comm, -v ----
start text -U -e -n "os$$" -v
if wait_ready text; then
	if [ "$(new_progs)" -gt 0 ]; then
		pass "its programs show in prog show while it runs"
	else
		fail "prog show does not list its programs while it runs"
	fi
	(cd "$W" && workload)
	stop INT
	[ "$STOPRC" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $STOPRC"
	expect_match "header" "$(head -1 "$BB_TMP/text.out")" \
		"^UID +PID +COMM +FD +ERR +FLAGS +MODE +PATH$"
	expect_text E >"$BB_TMP/text.want"
	same_lines "-U -e: every open exactly (uid, pid, comm, fd, errno, flags, mode, path as given)" \
		"$BB_TMP/text.out" "$BB_TMP/text.want"
	if grep -q $'\033' "$BB_TMP/text.out"; then
		fail "a raw ESC byte reached the output"
	else
		pass "no raw ESC byte in the text output"
	fi
	expect_match "-v: the syscalls attached" "$(cat "$BB_TMP/text.err")" \
		"attached: tracepoint syscalls/sys_exit_openat2"
fi

# ---- text: -F ----
start full -F -n "$COMM"
if wait_ready text; then
	(cd "$W" && workload)
	stop TERM
	[ "$STOPRC" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $STOPRC"
	expect_text F >"$BB_TMP/full.want"
	if [ "$HAVE_MNT" = 1 ]; then
		same_lines "-F: opened files by fd (symlink, .., across the tmpfs mount), failed ones by dirfd/cwd" \
			"$BB_TMP/full.out" "$BB_TMP/full.want"
	fi
fi

# ---- JSON, with -F ----
start json -j -F -n "$COMM"
if wait_ready json; then
	(cd "$W" && workload)
	stop INT
	python3 - "$BB_TMP/json.out" "$BB_TMP/expect" "$COMM" <<'PY' >"$BB_TMP/json.check" 2>&1
import json, sys
out, expect, comm = sys.argv[1:4]
hostile = "h\x1b[31m\nx"
evs = [json.loads(l) for l in open(out, encoding="utf-8")]
evs = [e for e in evs if e["comm"] == comm and "bb-ready" not in e["path"]]
rows = [l.rstrip("\n").replace("@H@", hostile).split("|")
        for l in open(expect, encoding="utf-8")]
assert len(evs) == len(rows), (len(evs), len(rows), [e["path"] for e in evs])
for e, (pid, ret, path, full, frm, sysc, flags, mode) in zip(evs, rows):
    ret, flags = int(ret), int(flags, 8)
    assert e["pid"] == int(pid) and e["tid"] == int(pid), e
    assert e["ret"] == ret and e["uid"] == 0, e
    assert e["fd"] == (ret if ret >= 0 else -1), e
    assert e["errno"] == (0 if ret >= 0 else -ret), e
    assert e["syscall"] == sysc, (e, sysc)
    assert e["path"] == full and e["path_from"] == frm, (e, full, frm)
    assert e["flags"] == flags, e
    assert e["mode"] == (int(mode, 8) if mode else None), e
    assert e["path_truncated"] is False, e
    assert ("dirfd" in e) == (sysc in ("openat", "openat2")), e
    assert isinstance(e["ts_ns"], int), e
c = [e for e in evs if e["syscall"] == "creat"][0]
assert c["flag_names"] == ["O_WRONLY", "O_CREAT", "O_TRUNC"], c
d = [e for e in evs if e["flags"] == 0o200000][0]
assert d["flag_names"] == ["O_RDONLY", "O_DIRECTORY"], d
print("ok")
PY
	if [ "$HAVE_MNT" = 0 ]; then
		skip "-j -F: no tmpfs for the mount case"
	elif tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j -F: every line parses; each open's fields exact, hostile path decoded"
	else
		fail "-j -F: $(tail -5 "$BB_TMP/json.check")"
	fi
fi

# ---- kernel filters ----
start failed -x -n "$COMM"
if wait_ready text; then
	(cd "$W" && workload)
	stop INT
	expect_text G is_failed >"$BB_TMP/failed.want"
	same_lines "-x: exactly the failed opens, with their errno" \
		"$BB_TMP/failed.out" "$BB_TMP/failed.want"
fi

start creat -f O_CREAT -n "$COMM"
if wait_ready text; then
	(cd "$W" && workload)
	stop INT
	expect_text G is_creat >"$BB_TMP/creat.want"
	same_lines "-f O_CREAT: exactly the creating opens (creat, a failed O_CREAT)" \
		"$BB_TMP/creat.out" "$BB_TMP/creat.want"
fi

start rdonly -f O_RDONLY -f o_append -n "$COMM"
if wait_ready text; then
	(cd "$W" && workload)
	stop INT
	expect_text G is_rdonly_or_append >"$BB_TMP/rdonly.want"
	same_lines "-f O_RDONLY (access mode 0) -f o_append: exactly the read-only opens" \
		"$BB_TMP/rdonly.out" "$BB_TMP/rdonly.want"
fi

# -p / -t: this shell's own open (bash opens with openat)
start pid -p $$ -T
if wait_ready text; then
	: <"$W/m1"
	"$HELPER" "$COMM" open "$W/m1" 0 0 >/dev/null
	stop INT
	P_OUT=$(cat "$BB_TMP/pid.out")
	expect_match "-p -T: this shell's open, with a time" "$P_OUT" \
		"^[0-9]{2}:[0-9]{2}:[0-9]{2} +$$ +[^ ]+ +[0-9]+ +0 $W/m1$"
	if grep -qF " $COMM " "$BB_TMP/pid.out"; then
		fail "-p: another process was shown"
	else
		pass "-p: other processes filtered out"
	fi
fi

start tid -t $$
if wait_ready text; then
	: <"$W/m1"
	"$HELPER" "$COMM" open "$W/m1" 0 0 >/dev/null
	stop INT
	T_OUT=$(cat "$BB_TMP/tid.out")
	expect_match "-t: TID column header" "$T_OUT" "^TID +COMM"
	expect_match "-t: this thread's open" "$T_OUT" "^$$ +[^ ]+ +[0-9]+ +0 $W/m1$"
	[ "$(grep -c . "$BB_TMP/tid.out")" -le 3 ] && pass "-t: other threads filtered out" ||
		fail "-t: other lines: $T_OUT"
fi

if command -v setpriv >/dev/null; then
	start uid -u nobody -U -n "$COMM"
	if wait_ready text; then
		"$HELPER" "$COMM" open /etc/hostname 0 0 >/dev/null
		setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$HELPER" "$COMM" open /etc/passwd 0 0 >"$BB_TMP/nobody.out"
		NPID=$(sed -n 's/^pid //p' "$BB_TMP/nobody.out")
		stop INT
		U_OUT=$(cat "$BB_TMP/uid.out")
		expect_match "-u NAME: that user's open" "$U_OUT" \
			"^65534 +$NPID +$COMM +[0-9]+ +0 /etc/passwd$"
		if grep -q /etc/hostname "$BB_TMP/uid.out"; then
			fail "-u: root's open was shown"
		else
			pass "-u: other users filtered out"
		fi
	fi
fi

# cgroup v2: -c and --cgroupmap (bcc's pinned set of cgroup ids)
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=$CG2/bb-opensnoop-$$
if [ -n "$CG2" ] && mkdir "$CG"; then
	in_cg() {
		(echo "$BASHPID" >"$CG/cgroup.procs" &&
			exec "$HELPER" "$COMM" open "/bb-inside-$$" 0 0 >/dev/null)
		"$HELPER" "$COMM" open "/bb-outside-$$" 0 0 >/dev/null
	}
	check_cg() {	# check_cg TAG DESC
		stop INT
		expect_match "$2: the open in the cgroup" "$(cat "$BB_TMP/$1.out")" "bb-inside-$$"
		if grep -q "bb-outside-$$" "$BB_TMP/$1.out"; then
			fail "$2: an open outside the cgroup was shown"
		else
			pass "$2: opens outside the cgroup filtered out"
		fi
	}
	start cgroup -c "$CG"
	wait_ready text && in_cg && check_cg cgroup "-c"

	bb_bpffs
	PIN=/sys/fs/bpf/bb_os_cg_$$
	CGID=$(stat -c %i "$CG")
	KEY=$(printf '%016x' "$CGID" | sed 's/../& /g' | tr ' ' '\n' | tac | tr '\n' ' ')
	if "$BPFBOX" map create "$PIN" type hash key 8 value 8 entries 16 name bbcgset &&
		"$BPFBOX" map update pinned "$PIN" key hex $KEY value hex 1 0 0 0 0 0 0 0; then
		start cgmap --cgroupmap "$PIN"
		wait_ready text && in_cg && check_cg cgmap "--cgroupmap"
		rm -f "$PIN"
	else
		fail "--cgroupmap: cannot make the pinned map with bpfbox map create"
	fi
	rmdir "$CG"
else
	skip "-c, --cgroupmap: no cgroup v2 mounted to make a test cgroup in"
fi

# --mntnsmap: this mount namespace's inode in a pinned set; a helper in
# a new mount namespace (unshare -m) is not shown
if command -v unshare >/dev/null; then
	bb_bpffs
	PIN=/sys/fs/bpf/bb_os_mnt_$$
	rm -f "$PIN"
	"$BPFBOX" map create "$PIN" type hash key 4 value 4 entries 4 name bbbad >/dev/null
	expect_rc "--mntnsmap: a map of the wrong shape exits 1" 1 "${OS[@]}" --mntnsmap "$PIN"
	expect_match "--mntnsmap: says the shape it needs" "$ERR" "8-byte keys, 4-byte values"
	rm -f "$PIN"
	NS=$(stat -L -c %i /proc/self/ns/mnt)
	KEY=$(printf '%016x' "$NS" | sed 's/../& /g' | tr ' ' '\n' | tac | tr '\n' ' ')
	if "$BPFBOX" map create "$PIN" type hash key 8 value 4 entries 16 name bbmntns &&
		"$BPFBOX" map update pinned "$PIN" key hex $KEY value hex 1 0 0 0; then
		start mntns --mntnsmap "$PIN"
		if wait_ready text; then
			"$HELPER" "$COMM" open "/bb-samens-$$" 0 0 >/dev/null
			unshare -m "$HELPER" "$COMM" open "/bb-otherns-$$" 0 0 >/dev/null
			stop INT
			expect_match "--mntnsmap: the open in the mount namespace" \
				"$(cat "$BB_TMP/mntns.out")" "bb-samens-$$"
			if grep -q "bb-otherns-$$" "$BB_TMP/mntns.out"; then
				fail "--mntnsmap: an open in another mount namespace was shown"
			else
				pass "--mntnsmap: other mount namespaces filtered out"
			fi
		fi
		rm -f "$PIN"
	else
		fail "--mntnsmap: cannot make the pinned map with bpfbox map create"
	fi
else
	skip "--mntnsmap: no unshare to make another mount namespace"
fi

# ---- a storm into a small ring (-b 2: 8 KiB): every open is either
# shown or counted in the lost report, never dropped silently ----
start lost -b 2 -n "$COMM"
if wait_ready text; then
	"$HELPER" "$COMM" storm 20000 "$W/m1" >/dev/null
	stop INT
	GOT=$(grep -cF " $COMM " "$BB_TMP/lost.out")
	LOST=$(sed -n 's/^opensnoop: \([0-9]*\) events lost in all$/\1/p' "$BB_TMP/lost.err")
	if [ "$((GOT + ${LOST:-0}))" = 20000 ]; then
		pass "-b 2, 20000 opens: $GOT shown + ${LOST:-0} reported lost = 20000"
	else
		fail "-b 2, 20000 opens: $GOT shown, lost report: $(cat "$BB_TMP/lost.err")"
	fi
fi

# ---- -d: ends by itself ----
SECONDS=0
timeout 15 "${OS[@]}" -d 1 -n "$COMM" >"$BB_TMP/dur.out" 2>"$BB_TMP/dur.err"
DRC=$?
if [ "$DRC" = 0 ] && [ "$SECONDS" -le 5 ]; then
	pass "-d 1 ends by itself, exit 0 (${SECONDS}s)"
else
	fail "-d 1: exit $DRC after ${SECONDS}s: $(cat "$BB_TMP/dur.err")"
fi

# ---- SIGPIPE: `opensnoop | head -3` ends while opens go on ----
pipe_event() { : <"$W/m1"; }
expect_head_ends pipe_event "${OS[@]}"

for i in 1 2 3 4 5; do	# programs are freed a moment after the close
	LEFT=$(new_progs orphans)
	[ "$LEFT" = 0 ] && break
	sleep 0.5
done
if [ "$LEFT" = 0 ]; then
	pass "no opensnoop program left loaded"
else
	fail "$LEFT opensnoop programs left loaded, held by no process: $(progs_loaded orphans | tr '\n' ' ')"
fi
