# bpfbox prog attach: pinned links (the program runs, counts, and is
# gone with its pins), the held mode ended by SIGINT/SIGTERM/SIGHUP, and
# one-line errors that name the target.
. tests/lib.sh

PIN=/sys/fs/bpf/bbtest_cli_attach_$$
HELD=
cleanup() {
	[ -n "$HELD" ] && kill -TERM "$HELD" 2>/dev/null
	rm -rf "$BB_TMP" "$PIN"
}
trap cleanup EXIT

# ---- usage: no kernel needed -------------------------------------------

expect_rc "prog attach help exits 0" 0 "$BPFBOX" prog attach help
expect_match "prog help shows attach" "$OUT" "bpfbox prog attach PROG TARGET"
while read -r desc args; do
	expect_rc "usage error: $desc" 2 "$BPFBOX" $args
	expect_match "usage error says what was expected: $desc" "$ERR" \
		"^bpfbox: .*expected"
done <<'EOF2'
attach without PROG         prog attach
attach without TARGET       prog attach id 1
--pin without a path        prog attach id 1 tp/a/b --pin
--cookie not a number       prog attach id 1 tp/a/b --cookie abc
--pid not a number          prog attach id 1 tp/a/b --pid -3
unknown option              prog attach id 1 tp/a/b --bogus
detach of a non-map type    prog detach id 1 tp/a/b
map form without the map    prog attach id 1 sk_skb_stream_verdict
EOF2

if ! is_root; then
	skip "prog attach: needs root for bpf(2)"
	exit 0
fi
if [ ! -f "$PROGS/printk.bpf.o" ] || [ ! -f "$PROGS/uprobe.bpf.o" ]; then
	skip "prog attach: $PROGS/printk.bpf.o or uprobe.bpf.o not built (make progs)"
	exit 0
fi
bb_bpffs
mkdir -p "$PIN"

# perl's getpgrp is exactly one getpgid(2): the event the program counts
trigger() {
	local i
	for i in $(seq 1 "${1:-1}"); do perl -e getpgrp; done
}
counter() {
	"$BPFBOX" -j map dump pinned "$PIN/maps/getpgid_calls" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["formatted"]["value"])' 2>/dev/null
}
json_id() {	# json_id ARGS...: the "id" of bpfbox -j ARGS
	"$BPFBOX" -j "$@" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null
}
# gone KIND ID: poll up to 3 s (a pin's last reference is dropped after
# an RCU grace period, not at unlink)
gone() {
	local i
	for i in $(seq 1 30); do
		"$BPFBOX" "$1" show id "$2" >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	return 1
}

expect_rc "prog load printk.bpf.o with pinmaps" 0 \
	"$BPFBOX" prog load "$PROGS/printk.bpf.o" "$PIN/prog" pinmaps "$PIN/maps"
PROG_ID=$(json_id prog show pinned "$PIN/prog")
if [ -z "$PROG_ID" ]; then
	fail "loaded program has no id; stopping"
	exit 0
fi

# ---- --pin: attach, pin, return ----------------------------------------

expect_rc "attach tp/syscalls/sys_enter_getpgid --pin exits 0" 0 \
	"$BPFBOX" prog attach pinned "$PIN/prog" tp/syscalls/sys_enter_getpgid \
	--pin "$PIN/link"
[ -z "$OUT$ERR" ] && pass "attach --pin prints nothing" ||
	fail "attach --pin printed: $OUT $ERR"
LINK_ID=$(json_id link show pinned "$PIN/link")
[ -n "$LINK_ID" ] && pass "the pinned link has an id ($LINK_ID)" ||
	fail "no link at $PIN/link"

before=$(counter)
trigger 5
after=$(counter)
if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -ge 5 ]; then
	pass "the attached program counted the getpgid calls ($before -> $after)"
else
	fail "counter did not rise by 5: '$before' -> '$after'"
fi

# -j prints the link id (another tracepoint: the kernel refuses one
# program twice on one event)
run "$BPFBOX" -j prog attach id "$PROG_ID" tp/syscalls/sys_exit_getpgid \
	--pin "$PIN/link2"
ID2=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["link_id"])' 2>/dev/null)
if [ "$RC" = 0 ] && [ -n "$ID2" ] && [ "$ID2" = "$(json_id link show pinned "$PIN/link2")" ]; then
	pass "attach -j --pin prints the id of the pinned link"
else
	fail "attach -j --pin: rc $RC, out '$OUT', err '$ERR'"
fi

# removing the pins removes the links, then the program
rm -f "$PIN/link" "$PIN/link2"
gone link "$LINK_ID" && gone link "$ID2" && pass "links are gone with their pins" ||
	fail "link $LINK_ID or $ID2 still there after unpinning"
if command -v bpftool >/dev/null; then
	bpftool link show id "$LINK_ID" >/dev/null 2>&1 &&
		fail "bpftool still sees link $LINK_ID" ||
		pass "bpftool agrees link $LINK_ID is gone"
fi

# ---- held: until SIGINT / SIGTERM / SIGHUP -----------------------------

for sig in INT TERM HUP; do
	"$BPFBOX" prog attach pinned "$PIN/prog" tp/syscalls/sys_enter_getpgid \
		2>"$BB_TMP/held.err" &
	HELD=$!
	for i in $(seq 1 50); do
		grep -q "^attached" "$BB_TMP/held.err" && break
		sleep 0.1
	done
	line=$(cat "$BB_TMP/held.err")
	expect_match "held ($sig): says attached, with the link id" "$line" \
		"^attached .*sys_enter_getpgid.* \(link id [0-9]+\); Ctrl-C to detach$"
	id=$(printf '%s' "$line" | sed -n 's/.*(link id \([0-9]*\)).*/\1/p')
	run "$BPFBOX" -j link show id "$id"
	if [ "$RC" = 0 ] && printf '%s' "$OUT" | python3 -c '
import json, sys
l = json.load(sys.stdin)
assert l["type"] == "perf_event" and l["prog_id"] == int(sys.argv[1])
assert any(p["pid"] == int(sys.argv[2]) for p in l.get("pids", []))
' "$PROG_ID" "$HELD" 2>/dev/null; then
		pass "held ($sig): link $id is there, on prog $PROG_ID, held by pid $HELD"
	else
		fail "held ($sig): link '$id' not shown right: rc $RC $OUT $ERR"
	fi
	before=$(counter)
	trigger 2
	after=$(counter)
	[ $((after - before)) -ge 2 ] && pass "held ($sig): program runs" ||
		fail "held ($sig): counter '$before' -> '$after'"
	kill -"$sig" "$HELD"
	wait "$HELD"
	rc=$?
	HELD=
	[ "$rc" = 0 ] && pass "held: SIG$sig ends it with exit 0" ||
		fail "held: SIG$sig: exit $rc ($(cat "$BB_TMP/held.err"))"
	[ -n "$id" ] && gone link "$id" && pass "held: SIG$sig detached link $id" ||
		fail "held: link '$id' still there after SIG$sig"
done

# ---- errors: exit 1, one line, the target named ------------------------

# one_line_error DESC NEEDLE ARGS...
one_line_error() {
	local desc=$1 needle=$2
	shift 2
	run "$BPFBOX" "$@"
	if [ "$RC" = 1 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] &&
	   printf '%s' "$ERR" | grep -qi -- "$needle"; then
		pass "$desc: exit 1, one line naming '$needle'"
	else
		fail "$desc: rc $RC, stderr: $ERR"
	fi
}

one_line_error "unknown tracepoint" sys_enter_no_such_call_bb \
	prog attach pinned "$PIN/prog" tp/syscalls/sys_enter_no_such_call_bb \
	--pin "$PIN/x"
one_line_error "tracepoint program to a raw_tp target" raw_tp/sys_enter \
	prog attach pinned "$PIN/prog" raw_tp/sys_enter --pin "$PIN/x"
one_line_error "--pin outside bpffs" "bpf filesystem" \
	prog attach pinned "$PIN/prog" tp/syscalls/sys_enter_getpgid \
	--pin "$BB_TMP/link"
one_line_error "missing program" "no program with id" \
	prog attach id 4294967295 tp/syscalls/sys_enter_getpgid
one_line_error "map form, wrong program type" sk_skb_stream_verdict \
	prog attach pinned "$PIN/prog" sk_skb_stream_verdict \
	pinned "$PIN/maps/getpgid_calls"
[ -e "$PIN/x" ] && fail "a failed attach left a pin at $PIN/x" ||
	pass "failed attaches pin nothing"

expect_rc "prog load uprobe.bpf.o" 0 \
	"$BPFBOX" prog load "$PROGS/uprobe.bpf.o" "$PIN/uprog"
one_line_error "missing uprobe binary" /no/such/binary_bb \
	prog attach pinned "$PIN/uprog" uprobe//no/such/binary_bb:main
one_line_error "missing uprobe function" no_such_function_bb \
	prog attach pinned "$PIN/uprog" uprobe//bin/sh:no_such_function_bb
if [ -e /sys/bus/event_source/devices/kprobe ] ||
   grep -q kprobe_events /sys/kernel/tracing/README 2>/dev/null; then
	skip "kprobe error: this kernel has kprobes (the error is for kernels without)"
else
	one_line_error "kprobe on a kernel without kprobes" kprobe \
		prog attach pinned "$PIN/uprog" kprobe/do_sys_openat2
	expect_match "the kprobe error names the function" "$ERR" do_sys_openat2
fi

# fentry: this kernel refuses trampolines when the program is loaded, so
# the refusal comes from prog load; on kernels that allow it,
# attach_kinds (and the VM matrix) assert that it fires instead
run "$BPFBOX" prog load "$PROGS/fentry.bpf.o" "$PIN/fprog"
if [ "$RC" = 0 ]; then
	skip "fentry refusal: this kernel accepts fentry programs"
	rm -f "$PIN/fprog"
elif [ "$RC" = 1 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] &&
     grep -q 'fentry/do_sys_openat2' <<<"$ERR" &&
     grep -q 'try a kprobe or a tracepoint' <<<"$ERR"; then
	pass "fentry refused by the kernel: exit 1, one line naming the target and what to try"
else
	fail "fentry refused: rc $RC, stderr: $ERR"
fi

# ---- nothing left behind -----------------------------------------------

rm -rf "$PIN"
gone prog "$PROG_ID" && pass "program $PROG_ID is gone with its pins" ||
	fail "program $PROG_ID still loaded after unpinning"
