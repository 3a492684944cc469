#!/bin/bash
# Leaks and memory errors on the CLI's main paths, under valgrind:
# object show, prog loadall/show/dump xlated, map show/dump, map
# create/update/lookup/delete, a load the verifier refuses and object
# show of corrupted files (the error paths must free what they took).
# One pass/fail per path; a failure quotes valgrind's report.
#
# The runner gives $BPFBOX as the static binary or as the ASan build.
# ASan and valgrind do not mix: that run is skipped. Valgrind cannot
# follow a static binary either: with no dynamic loader it cannot put its
# malloc in place, so it sees "0 allocs" and finds no leak whatever the
# code does. For a static $BPFBOX this script links a dynamic twin from
# the same objects ($B/cli/*.o and $B/libbpfbox.a, next to the binary)
# and checks that one.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

PIN=/sys/fs/bpf/bbtest_valgrind_$$
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	rm -rf "$PIN" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT

if ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
if [ ! -x "$BPFBOX" ]; then
	skip "$BPFBOX is not built (make)"
	exit 0
fi
if grep -qa -e __asan_init -e __ubsan_handle "$BPFBOX"; then
	skip "$BPFBOX is a sanitizer build: valgrind and ASan do not mix (the static binary's run covers this)"
	exit 0
fi

VG_BPFBOX=$BPFBOX
if ! readelf -l "$BPFBOX" 2>/dev/null | grep -q INTERP; then
	# static: link a dynamic twin from the objects it was made of
	B=$(dirname "$BPFBOX")
	objs=()
	for o in "$B"/cli/*.o "$B"/tools/*.o; do
		[ -f "$o" ] && objs+=("$o")
	done
	if [ ${#objs[@]} = 0 ] || [ ! -f "$B/libbpfbox.a" ]; then
		skip "$BPFBOX is static, which valgrind cannot check, and $B/cli/*.o or $B/libbpfbox.a to link a dynamic copy are missing (make)"
		exit 0
	fi
	VG_BPFBOX=$BB_TMP/bpfbox
	# the libraries the Makefile links bpfbox with (LDLIBS)
	libs=$(make -pq --no-print-directory 2>/dev/null |
		sed -n 's/^LDLIBS :\{0,1\}= //p' | head -1)
	# shellcheck disable=SC2086 # LDLIBS is a list of words
	if ! ${CC:-cc} -o "$VG_BPFBOX" "${objs[@]}" "$B/libbpfbox.a" $libs \
			2>"$BB_TMP/link"; then
		fail "linking a dynamic copy of $BPFBOX for valgrind: $(head -c 1500 "$BB_TMP/link")"
		exit 0
	fi
fi

# Valgrind 3.19 models bpf(2) only in part, which gives false reports:
#  - a NULL key to BPF_MAP_GET_NEXT_KEY (the kernel's "from the start")
#    is "unaddressable": suppressed below;
#  - what the kernel writes through pointers nested in bpf_*_info
#    (BTF, xlated instructions, func info) or into the verifier log of a
#    load that fails is "uninitialised": the commands that read from the
#    kernel run with --undef-value-errors=no (leaks, bad reads and
#    writes, bad frees are still errors); the pure paths keep the check;
#  - commands it does not know (BPF_PROG_BIND_MAP) give a warning line,
#    ignored.
cat >"$BB_TMP/bpf.supp" <<'EOF'
{
   bpf-map-get-next-key-null-key-starts-the-walk
   Memcheck:Param
   bpf(attr->key)
   ...
   fun:bpfbox_map_get_next_key
}
EOF
# shellcheck disable=SC2054 # the commas are the option's
VG=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect
    --error-exitcode=99 -q --suppressions="$BB_TMP/bpf.supp")
VG_TIMEOUT=300

# vg DESC EXPECTED_RC ARGS...: bpfbox ARGS under valgrind exits
# EXPECTED_RC, and valgrind has nothing to say
vg() {
	local desc=$1 want=$2 log=$BB_TMP/vg.log
	shift 2
	rm -f "$log"
	timeout "$VG_TIMEOUT" "${VG[@]}" --log-file="$log" "$VG_BPFBOX" "$@" \
		>"$BB_TMP/out" 2>"$BB_TMP/err"
	RC=$?
	if [ "$RC" = 99 ]; then
		fail "$desc: valgrind found errors or leaks: $(vg_summary "$log")"
	elif [ "$RC" = 124 ]; then
		fail "$desc: no answer in ${VG_TIMEOUT}s under valgrind"
	elif [ "$RC" != "$want" ]; then
		fail "$desc: exit $RC, expected $want; stderr: $(head -c 800 "$BB_TMP/err"); valgrind: $(vg_summary "$log")"
	elif grep -qv 'WARNING: unhandled eBPF command' "$log" 2>/dev/null; then
		fail "$desc: valgrind reported: $(vg_summary "$log")"
	else
		pass "$desc"
	fi
}

# the report without the pid prefixes, loss records first, kept short
vg_summary() {
	[ -s "$1" ] || { echo "(no report)"; return; }
	sed 's/^==[0-9]*== \{0,1\}//' "$1" | grep -v '^$' | head -60
}

# ---- the checker must see the heap, or every pass below is empty -----

obj=$PROGS/demo.bpf.o
if [ ! -f "$obj" ]; then
	skip "$obj is not built (make progs): nothing to check"
	exit 0
fi
valgrind --leak-check=full "$VG_BPFBOX" object show "$obj" \
	>/dev/null 2>"$BB_TMP/sanity"
allocs=$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' \
	"$BB_TMP/sanity" | tr -d ,)
if [ -n "$allocs" ] && [ "$allocs" -gt 0 ]; then
	pass "valgrind sees bpfbox's heap ($allocs allocations in object show)"
else
	fail "valgrind sees no allocations in $VG_BPFBOX, so it could find no leak: $(tail -5 "$BB_TMP/sanity")"
	exit 0
fi

# ---- pure paths: no kernel ---------------------------------------------

vg "object show" 0 object show "$obj"
vg "object show -j -p" 0 -j -p object show "$obj"
for o in global_data maps_more multi_prog tp_btf; do
	[ -f "$PROGS/$o.bpf.o" ] && vg "object show $o" 0 object show "$PROGS/$o.bpf.o"
done

# corrupted files: the error paths of the parsers must free what they
# took. Every one of them runs under ASan+LSan in bad_input.sh already;
# here every 8th, on the uninstrumented build, at about 2 s each
if "$(dirname "$0")/../make-bad-objects.sh" "$BB_TMP/bad" "$obj" >"$BB_TMP/badlist" 2>&1; then
	n=0
	while read -r f; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		[ $((n % 8)) = 1 ] || continue
		vg "object show of corrupted $(basename "$f")" 1 object show "$f"
	done <"$BB_TMP/badlist"
	[ "$n" -gt 0 ] || fail "make-bad-objects.sh made no files"
else
	fail "make-bad-objects.sh failed: $(head -c 800 "$BB_TMP/badlist")"
fi
vg "object show of a missing file" 1 object show "$BB_TMP/nosuch.bpf.o"
vg "usage error" 2 prog show id

# ---- kernel paths: root and bpffs --------------------------------------

if ! is_root; then
	skip "prog/map paths: need root for bpf(2) and bpffs"
	exit 0
fi
bb_bpffs
mkdir -p "$PIN"
VG+=(--undef-value-errors=no)

loaded=()
for o in demo maps_basic global_data multi_prog tracepoints; do
	[ -f "$PROGS/$o.bpf.o" ] || { skip "loadall $o: $PROGS/$o.bpf.o is not built (make progs)"; continue; }
	vg "prog loadall $o (pinmaps)" 0 prog loadall "$PROGS/$o.bpf.o" \
		"$PIN/$o" pinmaps "$PIN/${o}_maps"
	[ "$RC" = 0 ] && loaded+=("$o")
done
vg "prog load (first program only)" 0 prog load "$obj" "$PIN/one"
first=
for p in "$PIN/demo"/*; do
	[ -e "$p" ] && first=$(basename "$p") && break
done
[ -n "$first" ] && vg "prog loadall --only $first" 0 prog loadall "$obj" \
	"$PIN/only" --only "$first"

vg "prog show (all)" 0 prog show
vg "prog show -j (all)" 0 -j prog show
vg "map show (all)" 0 map show
vg "map show -j -p (all)" 0 -j -p map show

# each object's first program (show, xlated, -j xlated: the same code
# for every program) and every map it made (the dump differs by map
# type and BTF; show and JSON for the first only)
for o in "${loaded[@]}"; do
	for p in "$PIN/$o"/*; do
		[ -e "$p" ] || continue
		vg "prog show pinned $o/$(basename "$p")" 0 prog show pinned "$p"
		vg "prog dump xlated $o/$(basename "$p")" 0 prog dump xlated pinned "$p"
		vg "prog dump xlated -j $o/$(basename "$p")" 0 \
			-j prog dump xlated pinned "$p"
		break
	done
	j=-j
	for m in "$PIN/${o}_maps"/*; do
		[ -e "$m" ] || continue
		[ -n "$j" ] && vg "map show pinned ${o}/$(basename "$m")" 0 \
			map show pinned "$m"
		# ring buffers, queues and stacks have no keys to dump
		case $("$BPFBOX" map show pinned "$m" 2>/dev/null | head -1) in
		*ringbuf*|*queue*|*stack*) continue ;;
		esac
		vg "map dump pinned ${o}/$(basename "$m") (BTF)" 0 map dump pinned "$m"
		[ -n "$j" ] && vg "map dump -j pinned ${o}/$(basename "$m")" 0 \
			-j map dump pinned "$m"
		j=
	done
done

# a map of our own: create, update, lookup, getnext, dump, delete
M=$PIN/hash
vg "map create" 0 map create "$M" type hash key 4 value 8 entries 16 name bb_vg_hash
vg "map update" 0 map update pinned "$M" key 1 0 0 0 value 1 2 3 4 5 6 7 8
vg "map update (hex)" 0 map update pinned "$M" key hex 02 00 00 00 value hex 0a 0b 0c 0d 0e 0f 10 11
vg "map lookup" 0 map lookup pinned "$M" key 1 0 0 0
vg "map lookup -j" 0 -j map lookup pinned "$M" key 2 0 0 0
vg "map lookup of a missing key" 1 map lookup pinned "$M" key 9 0 0 0
vg "map getnext (from the start)" 0 map getnext pinned "$M"
vg "map dump" 0 map dump pinned "$M"
vg "map dump -j" 0 -j map dump pinned "$M"
vg "map delete" 0 map delete pinned "$M" key 1 0 0 0
vg "map delete of a missing key" 1 map delete pinned "$M" key 1 0 0 0
vg "map update, bad value (usage error)" 2 map update pinned "$M" key 1 0 0 0 value 1 x
vg "map create array" 0 map create "$PIN/array" type array key 4 value 4 entries 4 name bb_vg_array
vg "map dump array" 0 map dump pinned "$PIN/array"
vg "map create over an existing pin" 1 map create "$M" type hash key 4 value 8 entries 16 name bb_vg_hash
vg "map show of a missing pin" 1 map show pinned "$PIN/nosuch"

# a load the verifier refuses: exit 1, no pins left, still no leaks
bad=$PROGS/bad_verifier.bpf.o
if [ -f "$bad" ]; then
	vg "prog loadall bad_verifier (refused)" 1 prog loadall "$bad" "$PIN/bad"
	if [ -n "$(ls -A "$PIN/bad" 2>/dev/null)" ]; then
		fail "prog loadall bad_verifier: left pins in $PIN/bad"
	fi
	vg "prog loadall bad_verifier --verifier-log (refused)" 1 \
		--verifier-log "$BB_TMP/vlog" prog loadall "$bad" "$PIN/bad2"
else
	skip "bad_verifier: $bad is not built (make progs)"
fi
# and a corrupted object through the loader
for f in $(head -3 "$BB_TMP/badlist" 2>/dev/null); do
	[ -f "$f" ] && vg "prog loadall corrupted $(basename "$f")" 1 \
		prog loadall "$f" "$PIN/corrupt"
done
exit 0
