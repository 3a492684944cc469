#!/bin/bash
# bashreadline (issue #5): real interactive bash shells in ptys (script
# with a fifo as the keyboard), already waiting at their prompt when the
# tracer starts, type known lines; the exact lines must come out in text
# and JSON: the very first line typed (a uretprobe on readline's return
# would miss it), a line of 300+ bytes, a line with an ESC and a TAB
# (escaped in text, exact in JSON); -p shows one shell and not the other;
# a program linked with a shared libreadline found through its DT_NEEDED
# entries; bad input; clean ends on SIGINT, SIGTERM and SIGPIPE with no
# program or uprobe left.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

BR=("$BPFBOX" bashreadline)

# ---- usage (no kernel) ----
expect_rc "--help exits 0" 0 "${BR[@]}" --help
expect_match "--help names -s" "$OUT" "^Usage: bashreadline"
expect_match "--help lists -s" "$OUT" "-s, --shared PATH"
expect_match "--help lists -p" "$OUT" "-p, --pid PID"
expect_rc "unknown option exits 2" 2 "${BR[@]}" --frobnicate
expect_rc "-p abc exits 2" 2 "${BR[@]}" -p abc
expect_match "-p abc: the value is named" "$ERR" "invalid PID 'abc'"
expect_rc "-p 0 exits 2" 2 "${BR[@]}" -p 0
expect_rc "-p -3 exits 2" 2 "${BR[@]}" -p -3
expect_rc "stray argument exits 2" 2 "${BR[@]}" extra
ln -s "$(readlink -f "$BPFBOX")" "$BB_TMP/bashreadline"
expect_rc "a link named bashreadline runs the tool" 0 "$BB_TMP/bashreadline" -h
expect_match "the link prints bashreadline's usage" "$OUT" "^Usage: bashreadline"

if ! is_root; then
	skip "tracing needs root"
	exit 0
fi

if command -v setpriv >/dev/null; then
	expect_rc "as nobody: exits 1" 1 setpriv --reuid 65534 --regid 65534 \
		--clear-groups --inh-caps=-all "${BR[@]}"
	expect_match "as nobody: says it needs root" "$ERR" \
		"^bashreadline: needs root: CAP_BPF and CAP_PERFMON"
fi

# ---- bad targets: exit 1, the path named ----
expect_rc "-s missing file exits 1" 1 "${BR[@]}" -s "$BB_TMP/nosuch"
expect_match "-s missing file: named" "$ERR" "$BB_TMP/nosuch: no such file"
expect_rc "-s binary without readline exits 1" 1 "${BR[@]}" -s /bin/true
expect_match "-s /bin/true: path and the libraries searched named" "$ERR" \
	"no readline in /.*true: .*libc\.so\.6 at /.*libc\.so\.6"
expect_rc "-s a file that is not ELF exits 1" 1 "${BR[@]}" -s /etc/passwd
expect_match "-s /etc/passwd: why" "$ERR" "/etc/passwd: .*not an ELF file"
expect_rc "missing cgroup exits 1" 1 "${BR[@]}" -c "$BB_TMP/nocg"
expect_match "missing cgroup is named" "$ERR" "nocg"

for t in script python3; do
	if ! command -v $t >/dev/null; then
		skip "needs $t (util-linux script for the ptys, python3 for JSON)"
		exit 0
	fi
done

# ids of the programs that process PID holds (other bashreadline runs on
# this machine come and go: only the ids of our runs count)
progs_of() {
	"$BPFBOX" prog show 2>/dev/null |
		awk -v p="($1)" '/^[0-9]+:/ { id = $1 } index($0, p) && /pids / { print id }' |
		tr -d :
}
OURS=()
# the ids still loaded among those of our runs (after a grace period:
# the kernel frees a program after its last fd is closed, not at once)
ours_left() {
	local _ id left
	for _ in $(seq 20); do
		left=
		for id in "${OURS[@]}"; do
			"$BPFBOX" prog show id "$id" >/dev/null 2>&1 && left+=" $id"
		done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	echo "$left"
}

# ---- interactive shells in ptys ----
# shell TAG [CMD [PROMPT [PRE]]]: CMD (an interactive bash by default)
# in a pty whose keyboard is fd ${KB[TAG]}, after the shell command PRE;
# its pid in ${SH[TAG]}, once PROMPT shows
declare -A KB SH
SHPIDS=()
shell() {
	local tag=$1 cmd=${2:-bash --norc --noprofile -i} fd _
	mkfifo "$BB_TMP/$tag.kbd"
	HISTFILE='' PS1="bbp-$tag\$ " SHELL=/bin/sh script -qfc \
		"${4:-:}; echo \$\$ >'$BB_TMP/$tag.pid'; exec $cmd" /dev/null \
		<"$BB_TMP/$tag.kbd" >"$BB_TMP/$tag.tty" 2>&1 &
	SHPIDS+=($!)
	exec {fd}>"$BB_TMP/$tag.kbd"
	KB[$tag]=$fd
	for _ in $(seq 100); do
		if [ -s "$BB_TMP/$tag.pid" ] &&
			grep -q "${3:-bbp-$tag}" "$BB_TMP/$tag.tty"; then
			SH[$tag]=$(cat "$BB_TMP/$tag.pid")
			return 0
		fi
		sleep 0.1
	done
	fail "shell $tag did not start: $(cat -v "$BB_TMP/$tag.tty")"
	return 1
}
# type TAG BYTES: keys (printf format) on that pty's keyboard
type_in() {
	# shellcheck disable=SC2059
	printf "$2" >&"${KB[$1]}"
}
end_shells() {
	local tag fd
	for tag in "${!KB[@]}"; do
		fd=${KB[$tag]}
		exec {fd}>&-
	done
	kill "${SHPIDS[@]}" 2>/dev/null
	wait "${SHPIDS[@]}" 2>/dev/null
}
# the shells' ends; a cgroup made for the test, once empty
cleanup() {
	end_shells
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		xargs -r kill -9 <"$CG/cgroup.procs" 2>/dev/null
		for _ in $(seq 20); do
			rmdir "$CG" 2>/dev/null && break
			sleep 0.1
		done
	fi
	rm -rf "$BB_TMP"
}
CG=
trap cleanup EXIT

# start bashreadline ARGS... -v with output in $BB_TMP/$TAG.out; pid in
# $BRPID. -v says on stderr what it attached to: the ready signal for
# -j, which prints no header
start() {
	TAG=$1
	shift
	"${BR[@]}" -v "$@" >"$BB_TMP/$TAG.out" 2>"$BB_TMP/$TAG.err" &
	BRPID=$!
	local _
	for _ in $(seq 200); do
		grep -q '^bashreadline: uretprobe ' "$BB_TMP/$TAG.err" && return 0
		kill -0 "$BRPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$TAG: bashreadline did not start: $(cat "$BB_TMP/$TAG.err")"
	return 1
}
# wait_for REGEX [FILE]: until it shows in this run's output (or FILE),
# 5 s at most
wait_for() {
	local _
	for _ in $(seq 50); do
		grep -Eq -- "$1" "${2:-$BB_TMP/$TAG.out}" && return 0
		sleep 0.1
	done
	return 1
}
# end it with SIGNAL; sets STOPRC
stop() {
	kill "-$1" "$BRPID"
	wait "$BRPID"
	STOPRC=$?
}

shell a || exit 0
shell b || exit 0
A=${SH[a]} B=${SH[b]}
LONG=": bb-long-$$ $(printf 'x%.0s' $(seq 320)) end"
HUGE=": bb-huge-$$ $(printf 'y%.0s' $(seq 5000))"

# ---- text: the first line, a long one, ESC and TAB, both shells ----
if start text; then
	expect_match "-v: the probe on bash's readline_internal_teardown" \
		"$(cat "$BB_TMP/text.err")" \
		"uretprobe /.*bash:readline_internal_teardown$"
	MINE=$(progs_of "$BRPID")
	if [ -n "$MINE" ]; then
		pass "its program shows in prog show while it runs"
		mapfile -t -O "${#OURS[@]}" OURS <<<"$MINE"
	else
		fail "prog show does not list its program while it runs"
	fi
	# shell a has been waiting in readline() since before the attach
	type_in a ": bb-first-$$\r"
	type_in a "$LONG\r"
	# ^V quotes the next key: a raw ESC and a raw TAB in the line
	type_in a ": bb-esc-$$ \026\033[31mred\026\tend\r"
	type_in b ": bb-other-$$\r"
	wait_for "bb-other-$$" && wait_for "bb-esc-$$"
	stop INT
	[ "$STOPRC" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $STOPRC"
	T_OUT=$(cat "$BB_TMP/text.out")
	expect_match "header" "$T_OUT" "^TIME +PID +COMMAND$"
	expect_match "the first line typed after the start is there" "$T_OUT" \
		"^[0-9]{2}:[0-9]{2}:[0-9]{2}  $A +: bb-first-$$$"
	expect_match "a line of ${#LONG} bytes, whole" "$T_OUT" \
		"^[0-9:]{8}  $A +$LONG$"
	expect_match "ESC and TAB escaped" "$T_OUT" \
		"^[0-9:]{8}  $A +: bb-esc-$$ \\\\x1b\[31mred\\\\x09end$"
	if grep -q $'\033' "$BB_TMP/text.out"; then
		fail "a raw ESC byte reached the text output"
	else
		pass "no raw ESC byte in the text output"
	fi
	expect_match "the other shell's line" "$T_OUT" \
		"^[0-9:]{8}  $B +: bb-other-$$$"
	# other shells on this machine may be typing: count only ours
	N=$(grep -Ec "^[0-9:]{8}  ($A|$B) " "$BB_TMP/text.out")
	[ "$N" = 4 ] && pass "4 lines from our shells, no more" ||
		fail "$N lines: $T_OUT"
fi

# ---- JSON, and -p: only shell a ----
if start json -j -p "$A"; then
	mapfile -t -O "${#OURS[@]}" OURS < <(progs_of "$BRPID")
	type_in b ": bb-json-other-$$\r"
	# longer than the 4095 bytes read: cut, and said so. Typed while
	# readline holds the tty in raw mode (a canonical-mode tty would
	# keep only 4095 bytes of it)
	type_in a "$HUGE\r"
	type_in a ": bb-json-first-$$\r"
	type_in a "$LONG\r"
	type_in a ": bb-json-esc-$$ \026\033]0;t\026\007\026\tend\r"
	wait_for "bb-json-esc-$$"
	# shell b's line was typed first: had it passed the filter, it
	# would be out by now
	stop TERM
	[ "$STOPRC" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $STOPRC"
	python3 - "$BB_TMP/json.out" "$A" "$$" "$LONG" "$HUGE" <<'PY' >"$BB_TMP/json.check" 2>&1
import json, sys
path, a, me, long_line, huge = sys.argv[1:]
evs = [json.loads(l) for l in open(path, encoding="utf-8")]
got = [e["command"] for e in evs]
want = [huge[:4095], ": bb-json-first-" + me, long_line,
        ": bb-json-esc-%s \x1b]0;t\x07\tend" % me]
assert got == want, got
assert [e["truncated"] for e in evs] == [True, False, False, False], evs
for e in evs:
    assert e["pid"] == int(a) and e["comm"] == "bash", e
    assert isinstance(e["uid"], int) and isinstance(e["ts_ns"], int), e
print("ok")
PY
	if tail -1 "$BB_TMP/json.check" | grep -qx ok; then
		pass "-j -p: exactly shell a's 4 lines (${#HUGE} bytes cut to 4095 and flagged, ${#LONG} bytes, ESC/BEL/TAB), typed fields"
	else
		fail "-j -p: $(cat "$BB_TMP/json.check")"
	fi
fi

# ---- -f FILE (bcc's): appended, no header on a file with lines; -U ----
echo "an earlier line" >"$BB_TMP/file.txt"
if start file -U -p "$A" -f "$BB_TMP/file.txt"; then
	type_in a ": bb-file-$$\r"
	wait_for "bb-file-$$" "$BB_TMP/file.txt"
	stop INT
	F_OUT=$(cat "$BB_TMP/file.txt")
	expect_match "-f -U: appended after the earlier line, with a UID" \
		"$F_OUT" "^an earlier line
[0-9:]{8}  $A +0 +: bb-file-$$$"
	[ -s "$BB_TMP/file.out" ] && fail "-f: stdout got: $(cat "$BB_TMP/file.out")" ||
		pass "-f: nothing on stdout"
fi
rm -f "$BB_TMP/file.txt"
if start file2 -U -p "$A" -f "$BB_TMP/file.txt"; then
	type_in a ": bb-file2-$$\r"
	wait_for "bb-file2-$$" "$BB_TMP/file.txt"
	stop INT
	expect_match "-f -U: a new file gets the header" \
		"$(cat "$BB_TMP/file.txt")" "^TIME +PID +UID +COMMAND
[0-9:]{8}  $A +0 +: bb-file2-$$$"
fi
expect_rc "-f in a missing directory exits 1" 1 "${BR[@]}" -f "$BB_TMP/no/dir"
expect_match "-f: the file is named" "$ERR" "$BB_TMP/no/dir: No such file"

# ---- -c: only the shell started in a cgroup made for it ----
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=$CG2/bb-bashreadline-$$
if [ -n "$CG2" ] && mkdir "$CG"; then
	if shell cg "" "" "echo \$\$ >'$CG/cgroup.procs'" &&
		start cgroup -c "$CG"; then
		type_in a ": bb-cg-outside-$$\r"
		type_in cg ": bb-cg-inside-$$\r"
		wait_for "bb-cg-inside-$$"
		sleep 0.2
		stop INT
		C_OUT=$(cat "$BB_TMP/cgroup.out")
		expect_match "-c: the line of the shell in the cgroup" "$C_OUT" \
			"^[0-9:]{8}  ${SH[cg]} +: bb-cg-inside-$$$"
		if grep -q "bb-cg-outside-$$" "$BB_TMP/cgroup.out"; then
			fail "-c: a shell outside the cgroup was shown"
		else
			pass "-c: shells outside the cgroup filtered out"
		fi
	fi
else
	skip "-c: no cgroup v2 mounted to make a test cgroup in"
fi

# ---- a shared libreadline found through DT_NEEDED ----
# a program linked with libreadline.so, copied under the name bash: on a
# shared library only processes named bash are shown (the real program,
# under its own name, is not)
RL=
for p in sqlite3 bc; do
	p=$(command -v $p) || continue
	readelf -d "$p" 2>/dev/null | grep -q 'NEEDED.*libreadline' && RL=$p && break
done
if [ -z "$RL" ]; then
	skip "shared libreadline: no sqlite3 or bc linked with libreadline.so here"
else
	mkdir "$BB_TMP/rl"
	cp "$RL" "$BB_TMP/rl/bash"
	RLNAME=$(basename "$RL")
	prompt() { case $1 in *sqlite3) echo 'sqlite>' ;; *) echo '' ;; esac; }
	if shell rlbash "$BB_TMP/rl/bash" "$(prompt "$RL")" &&
		shell rlreal "$RL" "$(prompt "$RL")" &&
		start lib -s "$BB_TMP/rl/bash"; then
		expect_match "-s: the libreadline it needs, through DT_NEEDED" \
			"$(cat "$BB_TMP/lib.err")" \
			"uretprobe /.*libreadline\.so[.0-9]*:readline_internal_teardown \(processes named bash only\)$"
		type_in rlreal "1+1 -- bb-real-$$\r"
		type_in rlbash "1+2 -- bb-lib-$$\r"
		wait_for "bb-lib-$$"
		stop INT
		L_OUT=$(cat "$BB_TMP/lib.out")
		expect_match "a line typed into the program named bash" "$L_OUT" \
			"^[0-9:]{8}  ${SH[rlbash]} +1\+2 -- bb-lib-$$$"
		if grep -q "bb-real-$$" "$BB_TMP/lib.out"; then
			fail "$RLNAME under its own name was shown"
		else
			pass "$RLNAME under its own name filtered out (comm bash only)"
		fi
	fi
fi

# ---- SIGPIPE: `bashreadline | head -2` ends after its second line ----
SECONDS=0
( timeout 20 "${BR[@]}" -v -p "$A" 2>"$BB_TMP/pipe.err"; echo $? >"$BB_TMP/pipe.rc" ) |
	head -2 >"$BB_TMP/pipe.out" &
HEADPID=$!
for _ in $(seq 100); do
	grep -q '^bashreadline: uretprobe' "$BB_TMP/pipe.err" 2>/dev/null && break
	sleep 0.1
done
type_in a ": bb-pipe-$$\r"
wait $HEADPID
for _ in $(seq 100); do
	[ -s "$BB_TMP/pipe.rc" ] && break
	sleep 0.1
done
PRC=$(cat "$BB_TMP/pipe.rc" 2>/dev/null)
if [ "$PRC" = 0 ] && [ "$SECONDS" -lt 15 ]; then
	pass "| head -2 ends promptly (exit 0, ${SECONDS}s)"
else
	fail "| head -2: exit '$PRC' after ${SECONDS}s: $(cat "$BB_TMP/pipe.err")"
fi
expect_match "head got the header and the line" "$(cat "$BB_TMP/pipe.out")" \
	"^TIME .*
[0-9:]{8}  $A +: bb-pipe-$$$"

# ---- nothing left behind ----
LEFT=$(ours_left)
if [ "${#OURS[@]}" -gt 0 ] && [ -z "$LEFT" ]; then
	pass "none of the ${#OURS[@]} programs of our runs left loaded"
else
	fail "programs of our runs left loaded: '$LEFT' (of ${OURS[*]})"
fi
TRACEFS=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
if [ -n "$TRACEFS" ] && [ -r "$TRACEFS/uprobe_events" ]; then
	if grep -Eq 'bash|readline' "$TRACEFS/uprobe_events"; then
		fail "uprobe_events still holds: $(grep -E 'bash|readline' "$TRACEFS/uprobe_events")"
	else
		pass "no uprobe_events entry for bash or readline left"
	fi
else
	skip "uprobe_events: tracefs not mounted (the PMU uprobes used make no entries)"
fi
