#!/bin/bash
# Runs every suite of make test and prints one closing line:
#   "N passed, N failed, N skipped"
# Suites: unit tests (normal and ASan+UBSan), integration tests against
# the running kernel (root; normal and sanitized bpfbox).
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
export BB_RESULTS=$(mktemp /tmp/bbresults.XXXXXX)
export PROGS=$B/progs
export BB_PROGS_DIR=$B/progs
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FILTER=${1:-}

unit() {		# unit NAME BINARY
	local out
	echo "== unit tests ($1)"
	out=$("$2" 2>&1)
	echo "$out" | grep -v '^ok ' 
	local p f
	p=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		echo "FAIL unit ($1): runner did not finish"
		echo fail >>"$BB_RESULTS"
		return
	fi
	for _ in $(seq 1 "$p"); do echo pass >>"$BB_RESULTS"; done
	for _ in $(seq 1 "$f"); do echo fail >>"$BB_RESULTS"; done
}

integration() {		# integration NAME BPFBOX
	local t
	echo "== integration tests ($1)"
	for t in tests/integration/*.sh; do
		[ -n "$FILTER" ] && [[ "$t" != *$FILTER* ]] && continue
		local start=$SECONDS
		BPFBOX=$2 T="$(basename "$t" .sh)[$1]" timeout 600 bash "$t" ||
			{ echo "FAIL $t exited $?"; echo fail >>"$BB_RESULTS"; }
		# where make test's minutes go (no assertion: shared machine)
		echo "time $(basename "$t" .sh)[$1]: $((SECONDS - start)) s"
	done
}

if [ -z "$FILTER" ]; then
	unit normal $B/unit_tests
	unit asan+ubsan $B/san/unit_tests
fi
if [ -z "$FILTER" ]; then
	echo "== fuzz smoke"
	./tests/fuzz-smoke.sh
fi
if [ "$(id -u)" = 0 ]; then
	integration normal $B/bpfbox
	integration asan+ubsan $B/san/bpfbox
else
	echo "skip integration: needs root (bpf(2) and bpffs)"
	echo skip >>"$BB_RESULTS"
fi

pass=$(grep -c '^pass$' "$BB_RESULTS")
fail=$(grep -c '^fail$' "$BB_RESULTS")
skip=$(grep -c '^skip$' "$BB_RESULTS")
rm -f "$BB_RESULTS"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
