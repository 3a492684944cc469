#!/bin/bash
# bpfbox map: create, update/lookup/getnext/delete/dump round trips,
# queues, freeze, usage errors, and the output compared byte for byte
# with bpftool's (map show, map dump: plain, -j, -p; BTF-decoded dumps of
# maps an object created). Needs root; pins under /sys/fs/bpf.
. "$(dirname "$0")/../lib.sh"

if ! is_root; then
	skip "needs root (bpf(2) and bpffs)"
	exit 0
fi

D=/sys/fs/bpf/bbtest_map_$$
OBJ_PROGS=/sys/fs/bpf/bbtest_mapobj_$$
OBJ_MAPS=/sys/fs/bpf/bbtest_mapobjm_$$
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	rm -rf "$D" "$OBJ_PROGS" "$OBJ_MAPS" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT

HAVE_BPFTOOL=
command -v bpftool >/dev/null && HAVE_BPFTOOL=1

# same DESC ARGS...: bpfbox and bpftool print the same stdout
same() {
	local desc=$1 a b
	shift
	if [ -z "$HAVE_BPFTOOL" ]; then
		skip "$desc: bpftool is not installed, nothing to compare with"
		return
	fi
	a=$("$BPFBOX" "$@" 2>"$BB_TMP/err_a")
	b=$(bpftool "$@" 2>/dev/null)
	if [ "$a" == "$b" ]; then
		pass "$desc"
	else
		fail "$desc: output differs from bpftool's: $(diff <(echo "$a") <(echo "$b") | head -20) stderr: $(cat "$BB_TMP/err_a")"
	fi
}

# ------------------------------------------------------------------
# create (bpfbox mounts bpffs itself when none is mounted)

bb_bpffs
expect_rc "create in a missing directory fails" 1 "$BPFBOX" map create \
	"$D/hash" type hash key 4 value 8 entries 16 name bb_hash
mkdir -p "$D"
expect_rc "create hash" 0 "$BPFBOX" map create "$D/hash" type hash key 4 value 8 \
	entries 16 name bb_hash
expect_rc "create array" 0 "$BPFBOX" map create "$D/array" type array key 4 \
	value 4 entries 4 name bb_array
expect_rc "create queue" 0 "$BPFBOX" map create "$D/queue" type queue key 0 \
	value 4 entries 2 name bb_queue
expect_rc "create percpu_hash" 0 "$BPFBOX" map create "$D/pcpu" type percpu_hash \
	key 4 value 4 entries 4 name bb_pcpu
expect_rc "create with JSON prints null" 0 "$BPFBOX" -j map create "$D/hash2" \
	type hash key 4 value 20 entries 4 name bb_hash2
expect_match "create -j output" "$OUT" '^null$'
expect_rc "create over an existing pin fails" 1 "$BPFBOX" map create "$D/hash" \
	type hash key 4 value 8 entries 16 name bb_hash
expect_match "... and says so" "$ERR" 'a file exists there'
expect_rc "create off bpffs fails" 1 "$BPFBOX" map create "$BB_TMP/x" type hash \
	key 4 value 8 entries 16 name bb_x
expect_match "... and says where to pin" "$ERR" 'not on a bpffs'
expect_rc "create: unknown type is a usage error" 2 "$BPFBOX" map create \
	"$D/bad" type nosuch key 4 value 4 entries 1 name bad
expect_rc "create: missing name is a usage error" 2 "$BPFBOX" map create \
	"$D/bad" type hash key 4 value 4 entries 1
expect_match "... naming what is missing" "$ERR" 'name NAME is missing'

# ------------------------------------------------------------------
# update / lookup / getnext / delete / dump

expect_rc "update" 0 "$BPFBOX" map update pinned "$D/hash" key 1 0 0 0 \
	value 1 2 3 4 5 6 7 8
expect_rc "update, hex bytes" 0 "$BPFBOX" map update pinned "$D/hash" \
	key hex 02 00 00 00 value hex 0a 0b 0c 0d 0e 0f 10 11 noexist
expect_rc "update noexist on an existing key fails" 1 "$BPFBOX" map update \
	pinned "$D/hash" key 1 0 0 0 value 0 0 0 0 0 0 0 0 noexist
expect_match "... saying why" "$ERR" "exists already and 'noexist'"
expect_rc "lookup" 0 "$BPFBOX" map lookup pinned "$D/hash" key 2 0 0 0
expect_match "lookup output" "$OUT" '^key: 02 00 00 00  value: 0a 0b 0c 0d 0e 0f 10 11$'
expect_rc "lookup -j" 0 "$BPFBOX" -j map lookup pinned "$D/hash" key 0x1 0 0 0
expect_match "lookup -j output" "$OUT" \
	'^\{"key":\["0x01","0x00","0x00","0x00"\],"value":\["0x01","0x02","0x03","0x04","0x05","0x06","0x07","0x08"\]\}$'
expect_rc "lookup of a missing key exits 1" 1 "$BPFBOX" map lookup \
	pinned "$D/hash" key 9 0 0 0
expect_match "... with bpftool's words" "$OUT" 'Not found'
expect_match "... and ours" "$ERR" 'key not found.*09 00 00 00'
expect_rc "getnext from the start" 0 "$BPFBOX" map getnext pinned "$D/hash"
expect_match "getnext output" "$OUT" 'next key:'
first=$(printf '%s\n' "$OUT" | tail -1)
# shellcheck disable=SC2086 # the key is four words
expect_rc "getnext after the first key" 0 "$BPFBOX" map getnext pinned \
	"$D/hash" key $first
expect_rc "dump" 0 "$BPFBOX" map dump pinned "$D/hash"
expect_match "dump finds both" "$OUT" 'Found 2 elements'
expect_rc "delete" 0 "$BPFBOX" map delete pinned "$D/hash" key 2 0 0 0
expect_rc "delete again fails" 1 "$BPFBOX" map delete pinned "$D/hash" key 2 0 0 0
expect_match "... naming the key" "$ERR" 'no element with key 02 00 00 00'
expect_rc "dump after delete" 0 "$BPFBOX" map dump pinned "$D/hash"
expect_match "dump finds one" "$OUT" 'Found 1 element$'
expect_rc "array index past max_entries" 1 "$BPFBOX" map update pinned \
	"$D/array" key 9 0 0 0 value 1 0 0 0
expect_match "... says so" "$ERR" 'not below max_entries'
expect_rc "per-CPU update" 0 "$BPFBOX" map update pinned "$D/pcpu" \
	key 1 0 0 0 value 7 0 0 0
expect_rc "per-CPU lookup" 0 "$BPFBOX" map lookup pinned "$D/pcpu" key 1 0 0 0
expect_match "a value per CPU" "$OUT" 'value \(CPU 00\): 07 00 00 00'

# ------------------------------------------------------------------
# queue

expect_rc "push" 0 "$BPFBOX" map push pinned "$D/queue" value 1 0 0 0
expect_rc "enqueue" 0 "$BPFBOX" map enqueue pinned "$D/queue" value 2 0 0 0
expect_rc "push on a full queue fails" 1 "$BPFBOX" map push pinned "$D/queue" \
	value 3 0 0 0
expect_match "... saying it is full" "$ERR" 'full'
expect_rc "peek" 0 "$BPFBOX" map peek pinned "$D/queue"
expect_match "peek shows the head" "$OUT" '^value: 01 00 00 00$'
expect_rc "pop" 0 "$BPFBOX" map pop pinned "$D/queue"
expect_match "pop takes the head" "$OUT" '^value: 01 00 00 00$'
expect_rc "dequeue" 0 "$BPFBOX" -j map dequeue pinned "$D/queue"
expect_match "dequeue -j" "$OUT" '^\{"key":\[\],"value":\["0x02","0x00","0x00","0x00"\]\}$'
expect_rc "pop on an empty queue fails" 1 "$BPFBOX" map pop pinned "$D/queue"
expect_match "... saying it is empty" "$ERR" 'empty'
expect_rc "dump of a queue fails" 1 "$BPFBOX" map dump pinned "$D/queue"
expect_match "... pointing at peek/pop" "$ERR" 'no keys'

# ------------------------------------------------------------------
# freeze

expect_rc "freeze" 0 "$BPFBOX" map freeze pinned "$D/array"
expect_rc "update of a frozen map fails" 1 "$BPFBOX" map update pinned \
	"$D/array" key 0 0 0 0 value 1 0 0 0
expect_match "... saying it is frozen" "$ERR" 'frozen'
expect_rc "show says frozen" 0 "$BPFBOX" map show pinned "$D/array"
expect_match "... on its own line" "$OUT" $'\tfrozen$'

# ------------------------------------------------------------------
# map-in-map: VALUE is a MAP

expect_rc "create inner" 0 "$BPFBOX" map create "$D/inner" type array key 4 \
	value 4 entries 1 name bb_inner
expect_rc "create outer with inner_map" 0 "$BPFBOX" map create "$D/outer" \
	type array_of_maps key 4 value 4 entries 2 name bb_outer \
	inner_map pinned "$D/inner"
expect_rc "update outer with a map" 0 "$BPFBOX" map update pinned "$D/outer" \
	key 1 0 0 0 value pinned "$D/inner"
inner_id=$("$BPFBOX" -j map show pinned "$D/inner" | sed 's/^{"id":\([0-9]*\),.*/\1/')
expect_rc "dump outer" 0 "$BPFBOX" map dump pinned "$D/outer"
expect_match "... holds the inner map's id" "$OUT" \
	"key: 01 00 00 00  value: $(printf '%02x %02x %02x %02x' \
	$((inner_id & 255)) $((inner_id >> 8 & 255)) $((inner_id >> 16 & 255)) \
	$((inner_id >> 24)))"
expect_match "... and skips the empty slot" "$OUT" 'Found 1 element$'

# ------------------------------------------------------------------
# pin

expect_rc "pin" 0 "$BPFBOX" map pin pinned "$D/hash" "$D/hash_again"
expect_rc "the new pin is the same map" 0 "$BPFBOX" map show pinned "$D/hash_again"
expect_match "... same name" "$OUT" 'name bb_hash '

# ------------------------------------------------------------------
# usage errors exit 2, failures exit 1

expect_rc "lookup: too few key bytes" 2 "$BPFBOX" map lookup pinned "$D/hash" key 1 0 0
expect_match "... says the expected size" "$ERR" 'expected 4 bytes, got 3'
expect_rc "update: value not a byte" 2 "$BPFBOX" map update pinned "$D/hash" \
	key 1 0 0 0 value 1 2 3 4 5 6 7 x
expect_match "... names the word" "$ERR" "'x' is not a byte"
expect_rc "update: too many key bytes" 2 "$BPFBOX" map update pinned "$D/hash" \
	key 1 0 0 0 0 value 1 2 3 4 5 6 7 8
expect_rc "unknown verb" 2 "$BPFBOX" map frobnicate
expect_rc "dump without MAP" 2 "$BPFBOX" map dump
expect_rc "bad selector" 2 "$BPFBOX" map show idd 1 2
expect_rc "nonexistent map id" 1 "$BPFBOX" map show id 4000000000
expect_rc "nonexistent map id (dump)" 1 "$BPFBOX" map dump id 4000000000
expect_rc "nonexistent pin" 1 "$BPFBOX" map dump pinned "$D/nosuch"
for verb in show dump lookup update delete getnext pin create peek push pop \
	    enqueue dequeue freeze; do
	expect_rc "map $verb help" 0 "$BPFBOX" map $verb help
done
expect_rc "map help" 0 "$BPFBOX" map help
expect_match "map help lists the verbs" "$OUT" 'map create'

# ------------------------------------------------------------------
# the same output as bpftool

"$BPFBOX" map update pinned "$D/hash2" key 1 0 0 0 value $(seq 1 20) >/dev/null
"$BPFBOX" map update pinned "$D/hash2" key 2 0 0 0 value $(seq 21 40) >/dev/null
for m in hash hash2 array pcpu queue outer; do
	for o in "" -j -p; do
		same "show $m $o" $o map show pinned "$D/$m"
	done
done
for m in hash hash2 array pcpu outer; do
	for o in "" -j -p; do
		same "dump $m $o" $o map dump pinned "$D/$m"
	done
done
same "lookup hash2" map lookup pinned "$D/hash2" key 1 0 0 0
same "lookup -j pcpu" -j map lookup pinned "$D/pcpu" key 1 0 0 0
same "getnext -j" -j map getnext pinned "$D/hash2" key 9 0 0 0
same "show by name" map show name bb_hash2

# ------------------------------------------------------------------
# BTF-decoded dumps of the maps an object made (bpftool loads it)

obj=$PROGS/global_data.bpf.o
if [ -z "$HAVE_BPFTOOL" ]; then
	skip "BTF dumps: bpftool is not installed (it loads the object)"
elif [ ! -f "$obj" ]; then
	skip "BTF dumps: $obj is missing (make progs builds it)"
elif ! bpftool prog loadall "$obj" "$OBJ_PROGS" pinmaps "$OBJ_MAPS" \
		>"$BB_TMP/load" 2>&1; then
	fail "BTF dumps: bpftool could not load $obj: $(head -5 "$BB_TMP/load")"
else
	n=0
	for m in "$OBJ_MAPS"/*; do
		n=$((n + 1))
		for o in "" -j -p; do
			same "BTF dump $(basename "$m") $o" $o map dump pinned "$m"
		done
		same "show $(basename "$m")" map show pinned "$m"
	done
	[ "$n" -gt 0 ] || fail "BTF dumps: $obj pinned no maps"
	# .data holds: __u64 events_seen = 42; int weights[4] = {1,2,3,5}
	# bpftool pins it as <object name, cut>_data ("global_d_data")
	m=
	for f in "$OBJ_MAPS"/*_data; do
		case $f in *rodata*|*custom*) ;; *) [ -e "$f" ] && m=$f ;; esac
	done
	if [ -n "$m" ]; then
		expect_rc "BTF dump of .data" 0 "$BPFBOX" map dump pinned "$m"
		expect_match "... shows variables by name" "$OUT" '"events_seen": 42'
		expect_match "... arrays as arrays" "$OUT" '"weights": \[1,2,3,5'
		expect_rc "BTF lookup -j of .data" 0 "$BPFBOX" -j map lookup \
			pinned "$m" key 0 0 0 0
		expect_match "... has formatted" "$OUT" '"formatted":\{"value":\{"\.data":\['
	else
		fail "BTF dumps: no .data map pinned from $obj"
	fi
fi
exit 0
