#!/bin/bash
# Run every fuzzer for FUZZ_SECS seconds (default 10: the smoke in make
# test), seeded from the project's compiled BPF objects and the saved
# corpus in tests/fuzz/corpus/NAME. A crash fails the run and leaves the
# reproducer in build/fuzz/NAME.crash-*; each one found becomes a
# regression test.
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
SECS=${FUZZ_SECS:-10}
status=0
for f in "$B"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	work=$(mktemp -d /tmp/bbfuzz.XXXXXX)
	cp "$B"/progs/*.bpf.o "$B"/core-progs/*.bpf.o "$B"/core/*.bpf.o \
		"$work"/ 2>/dev/null
	[ -d tests/fuzz/corpus/$name ] && cp tests/fuzz/corpus/$name/* "$work"/ 2>/dev/null
	out=$("$f" -max_total_time="$SECS" -max_len=65536 -timeout=10 \
		-artifact_prefix="$B/fuzz/$name." "$work" 2>&1)
	rc=$?
	execs=$(printf '%s\n' "$out" | sed -n 's/^Done \([0-9]*\) runs.*/\1/p' | tail -1)
	if [ $rc = 0 ]; then
		echo "ok   fuzz $name: ${execs:-?} runs in ${SECS}s, no crash"
		echo pass >>"${BB_RESULTS:-/dev/null}"
	else
		echo "FAIL fuzz $name (exit $rc):"
		printf '%s\n' "$out" | grep -A15 -E 'ERROR|runtime error|crash' | head -30
		echo fail >>"${BB_RESULTS:-/dev/null}"
		status=1
	fi
	rm -rf "$work"
done
exit $status
