#!/bin/bash
# kprobe/kretprobe, ksyscall/kretsyscall, uprobe/uretprobe: the C program
# build/itest/attach_probes (make itests) does the work and prints
# ok/FAIL/skip lines, which become results here, plus "fired KIND" lines,
# checked against what this kernel can do. It is a PIE linked against
# the shared libc, so it probes itself as a PIE and probes libc.so.6; the
# sanitizer round of make test runs its ASan+UBSan build.
. tests/lib.sh

BIN=$(itest_bin attach_probes)
PDIR=$PROGS

if ! is_root; then
	skip "needs root (bpf(2), perf_event_open, tracefs)"
	exit 0
fi
if [ ! -x "$BIN" ] || [ ! -f "$PDIR/probes.bpf.o" ]; then
	fail "$BIN or $PDIR/probes.bpf.o is missing: build them with make itests san progs"
	exit 0
fi

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
itest_results "(itest)"
expect_fired "(itest)" uprobe uretprobe uprobe-legacy
if has_kprobes; then
	expect_fired "(itest)" kprobe kretprobe kprobe-legacy ksyscall kretsyscall
else
	expect_match "no-kprobes error asserted (itest)" "$OUT" \
		'^ok kprobe without kprobes: one-line error'
fi
expect_match "uprobe on libc.so.6:getpid asserted (itest)" "$OUT" \
	'^ok uprobe on libc getpid fired \(PMU\)'
no_leftovers "(itest)"
