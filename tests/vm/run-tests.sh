#!/bin/sh
# Run the tests of a list (tests/vm/guest-tests) and print every result
# line with the prefix "BBVM: ", which the host side (tests/integration/
# vm_matrix.sh) reads from the serial console among the kernel's own
# messages:
#
#   BBVM: begin NAME
#   BBVM: ok NAME: WHAT | BBVM: FAIL NAME: WHAT: WHY | BBVM: skip NAME: ...
#   BBVM: fired KIND
#   BBVM: | other output of NAME (for the log)
#   BBVM: end NAME rc=N secs=S
#
# Runs in the guest under busybox sh, and on the host under bash.
#   run-tests.sh LIST
# Environment: BB_PATH (colon-separated directories holding the
# programs), PROGS, CORE_PROGS, BB_TEST_TIMEOUT (seconds per program).
LIST=$1
: "${BB_PATH:=/bin}" "${BB_TEST_TIMEOUT:=150}" "${TMPDIR:=/tmp}"
OUT=$TMPDIR/bbvm-test.$$

find_prog() {		# find_prog NAME: print its path
	_ifs=$IFS
	IFS=:
	for d in $BB_PATH; do
		if [ -x "$d/$1" ]; then
			IFS=$_ifs
			echo "$d/$1"
			return 0
		fi
	done
	IFS=$_ifs
	return 1
}

report() {		# report NAME: turn $OUT into prefixed lines
	n=0 nfail=0
	while IFS= read -r line; do
		case $line in
		"ok "*)	   echo "BBVM: ok $1: ${line#ok }"; n=$((n + 1)) ;;
		"FAIL "*)  echo "BBVM: FAIL $1: ${line#FAIL }"; n=$((n + 1))
			   nfail=$((nfail + 1)) ;;
		"skip "*)  echo "BBVM: skip $1: ${line#skip }"; n=$((n + 1)) ;;
		"fired "*) echo "BBVM: $line" ;;
		*)	   echo "BBVM: | $line" ;;
		esac
	done <"$OUT"
}

run_one() {		# run_one NAME ARGS...
	name=$1
	shift
	echo "BBVM: begin $name"
	if ! bin=$(find_prog "$name"); then
		echo "BBVM: skip $name: not built ($name is in no directory of $BB_PATH)"
		echo "BBVM: end $name rc=-"
		return
	fi
	t0=$(date +%s)
	timeout "$BB_TEST_TIMEOUT" "$bin" "$@" >"$OUT" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - t0))
	report "$name"
	# a crash, a hang or an early exit must not pass silently
	if [ "$n" = 0 ]; then
		echo "BBVM: FAIL $name: printed no results (exit $rc)"
	elif [ "$rc" != 0 ] && [ "$nfail" = 0 ]; then
		echo "BBVM: FAIL $name: exited $rc without a FAIL line$([ "$rc" -ge 124 ] && echo " (killed after ${BB_TEST_TIMEOUT}s?)")"
	fi
	echo "BBVM: end $name rc=$rc secs=$secs"
}

while read -r line; do
	case $line in
	""|"#"*) continue ;;
	esac
	# expand $PROGS and $CORE_PROGS; the list is ours, not user input
	eval "set -- $line"
	run_one "$@"
done <"$LIST"
rm -f "$OUT"
