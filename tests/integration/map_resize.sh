#!/bin/bash
# bpfbox_map_set_max_entries: the C program build/itest/map_resize (a ring
# buffer resized before load is created in the new size; resizing after
# load is refused; pinned maps are reused only at the size set), then
# through a skeleton: opensnoop -b N sizes its ring buffer map with it,
# which `bpfbox map show` of the map opensnoop holds must show.
. "$(dirname "$0")/../lib.sh"

BIN=$(itest_bin map_resize)

if ! is_root; then
	skip "needs root (bpf(2), bpffs)"
	exit 0
fi
if [ ! -x "$BIN" ]; then
	fail "$BIN is missing: build it with make itests san"
else
	run "$BIN" "$PROGS"
	itest_results
fi

if ! "$BPFBOX" opensnoop --help 2>/dev/null | grep -q -- --buffer-pages; then
	skip "opensnoop -b: not in this bpfbox"
	exit 0
fi

# the ring buffer maps (type 27) a process holds: "id max_entries" lines
ring_maps() {		# ring_maps PID
	local f type id max
	for f in /proc/"$1"/fdinfo/*; do
		type=$(awk '$1 == "map_type:" { print $2 }' "$f" 2>/dev/null)
		[ "$type" = 27 ] || continue
		id=$(awk '$1 == "map_id:" { print $2 }' "$f")
		max=$(awk '$1 == "max_entries:" { print $2 }' "$f")
		echo "$id $max"
	done
}

PAGE=$(getconf PAGESIZE)
for pages in 4 64; do
	"$BPFBOX" opensnoop -b "$pages" -p $$ >"$BB_TMP/os.out" 2>"$BB_TMP/os.err" &
	pid=$!
	for _ in $(seq 100); do
		[ -s "$BB_TMP/os.out" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -s "$BB_TMP/os.out" ]; then
		fail "opensnoop -b $pages: did not start: $(head -c 500 "$BB_TMP/os.err")"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		continue
	fi
	rings=$(ring_maps "$pid")
	want=$((pages * PAGE))
	if [ "$(wc -l <<<"$rings")" = 1 ] && [ "${rings#* }" = "$want" ]; then
		pass "opensnoop -b $pages: its one ring buffer has max_entries $want (fdinfo)"
	else
		fail "opensnoop -b $pages: ring buffers held (id max_entries): ${rings:-none}, want one of $want"
	fi
	run "$BPFBOX" map show id "${rings%% *}"
	expect_match "opensnoop -b $pages: bpfbox map show id ${rings%% *}: ring buffer events" \
		"$OUT" "^${rings%% *}: ringbuf +name events "
	expect_match "opensnoop -b $pages: bpfbox map show: max_entries $want" \
		"$OUT" "max_entries $want( |\$)"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] && pass "opensnoop -b $pages: SIGINT: exit 0" ||
		fail "opensnoop -b $pages: exit $rc: $(head -c 500 "$BB_TMP/os.err")"
done
