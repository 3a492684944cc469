#!/bin/bash
# kprobe/kretprobe, ksyscall/kretsyscall, uprobe/uretprobe: the C program
# $B/itest/attach_probes (make itests; statically linked, an ET_EXEC)
# does the work and prints ok/FAIL/skip lines, which become results here,
# plus "fired KIND" lines, checked against what this kernel can do. A
# dynamically linked (PIE) copy is built and run too: it probes itself
# as a PIE and probes libc.so.6, which the static one has not mapped.
. tests/lib.sh

B=${B:-build}
BIN=$B/itest/attach_probes
LIB=$B/libbpfbox.a
PDIR=${PROGS:-$B/progs}

if ! is_root; then
	skip "needs root (bpf(2), perf_event_open, tracefs)"
	exit 0
fi
if [ ! -x "$BIN" ] || [ ! -f "$PDIR/probes.bpf.o" ]; then
	fail "$BIN or $PDIR/probes.bpf.o is missing: build them with make itests progs"
	exit 0
fi

# results of one run of the C program, named with a suffix
results() {		# results SUFFIX
	local n=0 line
	while IFS= read -r line; do
		case $line in
		"ok "*)		pass "${line#ok } $1"; n=$((n + 1)) ;;
		"FAIL "*)	fail "${line#FAIL } $1"; n=$((n + 1)) ;;
		"skip "*)	skip "${line#skip } $1"; n=$((n + 1)) ;;
		esac
	done <<<"$OUT"
	if [ "$n" = 0 ]; then
		fail "$1: printed no results (exit $RC): $ERR"
	elif [ "$RC" != 0 ] && ! grep -q '^FAIL ' <<<"$OUT"; then
		fail "$1: exited $RC without a FAIL line: $ERR"
	fi
}

expect_fired() {	# expect_fired SUFFIX KIND...
	local sfx=$1 k
	shift
	for k in "$@"; do
		if grep -qx "fired $k" <<<"$OUT"; then
			pass "$k fired $sfx"
		else
			fail "$k did not fire $sfx"
		fi
	done
}

has_kprobes() {
	[ -e /sys/bus/event_source/devices/kprobe ] ||
		[ -e /sys/kernel/tracing/kprobe_events ] ||
		[ -e /sys/kernel/debug/tracing/kprobe_events ]
}

# no bpfbox_<pid>_ probe of a dead process may stay behind
no_leftovers() {	# no_leftovers SUFFIX
	local f ev pid left=
	for f in /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/uprobe_events; do
		[ -r "$f" ] || continue
		for ev in $(grep -o 'bpfbox_[0-9]*_[0-9]*' "$f"); do
			pid=${ev#bpfbox_}
			pid=${pid%%_*}
			kill -0 "$pid" 2>/dev/null || left="$left $ev"
		done
	done
	if [ -z "$left" ]; then
		pass "no legacy probes left behind $1"
	else
		fail "legacy probes left behind $1:$left"
	fi
}

run "$BIN" "$PDIR"
results "(static)"
expect_fired "(static)" uprobe uretprobe uprobe-legacy
if has_kprobes; then
	expect_fired "(static)" kprobe kretprobe kprobe-legacy ksyscall kretsyscall
else
	expect_match "no-kprobes error asserted (static)" "$OUT" \
		'^ok kprobe without kprobes: one-line error'
fi
no_leftovers "(static)"

# the PIE copy, linked against the shared libc; in the sanitizer round
# of make test, built under ASan + UBSan from the sanitized library
DYN=$BB_TMP/attach_probes_pie
PIE_CC=(${CC:-cc} -O2)
PIE_LIB=("$LIB")
if [[ $BPFBOX == */san/* ]] && ls "$B"/san/lib/*.o >/dev/null 2>&1; then
	PIE_CC=(clang -O1 -g -fsanitize=address,undefined
		-fno-sanitize-recover=all -fno-omit-frame-pointer)
	PIE_LIB=("$B"/san/lib/*.o)
fi
if ! command -v "${PIE_CC[0]}" >/dev/null; then
	skip "PIE copy: no C compiler ${PIE_CC[0]}"
	exit 0
fi
if ! "${PIE_CC[@]}" -std=gnu11 -D_GNU_SOURCE -Iinclude -iquote lib \
	-o "$DYN" tests/itest/attach_probes.c "${PIE_LIB[@]}" -lz \
	2>"$BB_TMP/cc.err"; then
	fail "PIE copy does not build: $(head -c 500 "$BB_TMP/cc.err")"
	exit 0
fi
run "$DYN" "$PDIR"
results "(PIE)"
expect_fired "(PIE)" uprobe uretprobe uprobe-legacy
expect_match "uprobe on libc.so.6:getpid asserted (PIE)" "$OUT" \
	'^ok uprobe on libc getpid fired \(PMU\)'
no_leftovers "(PIE)"
