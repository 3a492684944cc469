# bpfbox link show/pin/detach, checked against bpftool's view of the same
# links, and bpfbox iter pin.
. tests/lib.sh

PIN=/sys/fs/bpf/bbtest_cli_link_$$
trap 'rm -rf "$BB_TMP" "$PIN"' EXIT
have_bpftool=
command -v bpftool >/dev/null 2>&1 && have_bpftool=1

# ---- usage: no kernel needed -------------------------------------------

for h in help --help -h; do
	expect_rc "link $h exits 0" 0 "$BPFBOX" link $h
	expect_match "link $h prints link usage" "$OUT" "bpfbox link detach LINK"
done
expect_rc "iter help exits 0" 0 "$BPFBOX" iter help
while read -r desc args; do
	expect_rc "usage error: $desc" 2 "$BPFBOX" $args
	expect_match "usage error says what was expected: $desc" "$ERR" \
		"^bpfbox: .*(expected|unknown)"
done <<'EOF2'
unknown verb          link frobnicate
id not a number       link show id abc
bad selector          link show name foo
extra word            link show id 1 extra
pin without FILE      link pin id 1
detach without LINK   link detach
iter pin without PATH iter pin x.o
EOF2

if ! is_root; then
	skip "link show/pin/detach: need root for bpf(2)"
	exit 0
fi
if [ ! -f "$PROGS/printk.bpf.o" ] || [ ! -f "$PROGS/iter.bpf.o" ]; then
	skip "link: $PROGS/printk.bpf.o or iter.bpf.o not built (make progs)"
	exit 0
fi
bb_bpffs
mkdir -p "$PIN"

json_id() {	# json_id ARGS...: the "id" of bpfbox -j ARGS
	"$BPFBOX" -j "$@" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null
}
counter() {
	"$BPFBOX" -j map dump pinned "$PIN/maps/getpgid_calls" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["formatted"]["value"])' 2>/dev/null
}

expect_rc "show of a missing id exits 1" 1 "$BPFBOX" link show id 4294967295
expect_match "missing id is named" "$ERR" "no link with id 4294967295"
expect_rc "link show (all) exits 0" 0 "$BPFBOX" link show
expect_rc "link show -j (all) exits 0" 0 "$BPFBOX" -j link show
printf '%s' "$OUT" | python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin), list)' 2>/dev/null &&
	pass "link show -j is a JSON array" || fail "link show -j is not a JSON array: $OUT"

"$BPFBOX" prog load "$PROGS/printk.bpf.o" "$PIN/prog" pinmaps "$PIN/maps"
PROG_ID=$(json_id prog show pinned "$PIN/prog")
expect_rc "attach --pin a link to show" 0 \
	"$BPFBOX" prog attach pinned "$PIN/prog" tp/syscalls/sys_enter_getpgid \
	--pin "$PIN/link"
LINK_ID=$(json_id link show pinned "$PIN/link")
if [ -z "$PROG_ID" ] || [ -z "$LINK_ID" ]; then
	fail "no program or link to show (prog '$PROG_ID', link '$LINK_ID'); stopping"
	exit 0
fi

expect_rc "link show pinned of a program pin exits 1" 1 \
	"$BPFBOX" link show pinned "$PIN/prog"
expect_match "a program pin is not a link" "$ERR" "is not a link"

# ---- show: plain and JSON, and bpftool's view ---------------------------

run "$BPFBOX" link show id "$LINK_ID"
expect_match "plain: header line" "$OUT" "^$LINK_ID: perf_event  prog $PROG_ID  "
expect_match "plain: the tracepoint" "$OUT" "	tracepoint sys_enter_getpgid  "
run "$BPFBOX" link show
expect_match "plain list has the link" "$OUT" "^$LINK_ID: perf_event  prog $PROG_ID  "

run "$BPFBOX" -j link show pinned "$PIN/link"
if printf '%s' "$OUT" | python3 -c '
import json, sys
l = json.load(sys.stdin)
assert l == {"id": int(sys.argv[1]), "type": "perf_event",
	     "prog_id": int(sys.argv[2]), "tracepoint": "sys_enter_getpgid"}, l
' "$LINK_ID" "$PROG_ID"; then
	pass "JSON: id, type, prog_id, tracepoint"
else
	fail "JSON of link $LINK_ID: $OUT"
fi
run "$BPFBOX" -j link show
printf '%s' "$OUT" | python3 -c '
import json, sys
assert any(l["id"] == int(sys.argv[1]) for l in json.load(sys.stdin))
' "$LINK_ID" && pass "JSON list has the link" || fail "JSON list lacks link $LINK_ID"

if [ -n "$have_bpftool" ]; then
	"$BPFBOX" -j link show >"$BB_TMP/ours" 2>&1
	bpftool -j link show >"$BB_TMP/theirs" 2>&1
	if python3 - "$BB_TMP/ours" "$BB_TMP/theirs" "$LINK_ID" <<'PY'
import json, sys
key = lambda l: (l["id"], l["type"], l["prog_id"])
ours = {key(l) for l in json.load(open(sys.argv[1]))}
theirs = {key(l) for l in json.load(open(sys.argv[2]))}
# links may come and go between the two runs (other tests): compare ours
assert any(k[0] == int(sys.argv[3]) for k in theirs & ours)
assert not {k for k in ours if k[0] == int(sys.argv[3])} - theirs
PY
	then
		pass "bpftool sees link $LINK_ID with the same id, type, prog_id"
	else
		fail "bpftool's view differs: ours $(cat "$BB_TMP/ours") theirs $(cat "$BB_TMP/theirs")"
	fi
else
	skip "bpftool comparison: bpftool not installed"
fi

# ---- pin -----------------------------------------------------------------

expect_rc "link pin id N FILE exits 0" 0 "$BPFBOX" link pin id "$LINK_ID" "$PIN/link2"
[ "$(json_id link show pinned "$PIN/link2")" = "$LINK_ID" ] &&
	pass "the second pin is the same link" || fail "link2 is not link $LINK_ID"
expect_rc "link pin on an existing pin exits 1" 1 \
	"$BPFBOX" link pin id "$LINK_ID" "$PIN/link2"
expect_rc "link pin outside bpffs exits 1" 1 \
	"$BPFBOX" link pin id "$LINK_ID" "$BB_TMP/l"
expect_match "link pin outside bpffs says why" "$ERR" "not on a bpf filesystem"

# ---- detach --------------------------------------------------------------

before=$(counter)
perl -e getpgrp
after=$(counter)
[ $((after - before)) -ge 1 ] && pass "link fires before detach" ||
	fail "link does not fire: '$before' -> '$after'"
run "$BPFBOX" link detach id "$LINK_ID"
if [ "$RC" = 0 ]; then
	pass "link detach exits 0"
	before=$(counter)
	perl -e getpgrp
	perl -e getpgrp
	after=$(counter)
	[ "$before" = "$after" ] && pass "a detached link no longer fires" ||
		fail "detached link still fires: '$before' -> '$after'"
else
	# perf_event links have no detach in the kernel (no .detach op)
	if [ "$RC" = 1 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] &&
	   printf '%s' "$ERR" | grep -q "link $LINK_ID (perf_event): the kernel cannot detach"; then
		pass "detach of a perf_event link: one line saying the kernel cannot"
	else
		fail "link detach: rc $RC, $ERR"
	fi
	skip "detach stops firing: this kernel cannot detach perf_event links, the only kind the test programs make here"
fi
rm -f "$PIN/link" "$PIN/link2"

# ---- iter pin ------------------------------------------------------------

expect_rc "iter pin exits 0" 0 "$BPFBOX" iter pin "$PROGS/iter.bpf.o" "$PIN/iter"
out=$(cat "$PIN/iter" 2>&1)
expect_match "cat of the iterator pin runs it" "$out" "^tasks:"
expect_match "the iterator counted tasks" "$out" "[1-9][0-9]* tasks"
ITER_ID=$(json_id link show pinned "$PIN/iter")
run "$BPFBOX" link show id "$ITER_ID"
expect_match "iter link shows its target" "$OUT" "^$ITER_ID: iter  prog [0-9]+  target_name task  "
if [ -n "$have_bpftool" ] && [ -n "$ITER_ID" ]; then
	"$BPFBOX" link show id "$ITER_ID" 2>&1 | sed '/^	pids /d' >"$BB_TMP/ours"
	bpftool link show id "$ITER_ID" 2>&1 | sed '/^	pids /d' >"$BB_TMP/theirs"
	cmp -s "$BB_TMP/ours" "$BB_TMP/theirs" &&
		pass "iter link: plain show is bpftool's, byte for byte" ||
		fail "iter link differs from bpftool: $(diff "$BB_TMP/ours" "$BB_TMP/theirs")"
	"$BPFBOX" -j link show id "$ITER_ID" >"$BB_TMP/ours" 2>&1
	bpftool -j link show id "$ITER_ID" >"$BB_TMP/theirs" 2>&1
	cmp -s "$BB_TMP/ours" "$BB_TMP/theirs" &&
		pass "iter link: JSON is bpftool's" ||
		fail "iter link JSON differs: $(cat "$BB_TMP/ours") vs $(cat "$BB_TMP/theirs")"
fi
expect_rc "iter pin of an object without iterator exits 1" 1 \
	"$BPFBOX" iter pin "$PROGS/printk.bpf.o" "$PIN/iter2"
expect_match "no iterator is said" "$ERR" "no iterator program"
