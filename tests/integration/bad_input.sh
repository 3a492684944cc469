#!/bin/bash
# Bad input (issue #2): truncated, corrupted or non-BPF ELF files, bad BTF,
# unknown section names, a missing license, an oversized map. Each must
# give one clear error and exit 1: never a crash, a hang, a sanitizer
# report or a usage error (exit 2). The runner runs this script with the
# static bpfbox and with the ASan+UBSan build.
#
# The broken files come from tests/make-bad-objects.sh (corruptions of
# demo.bpf.o) and from tests/progs/bad_*.bpf.c (well-formed objects the
# kernel refuses). For every corrupted file both `prog loadall` and
# `object show` must exit 1 with a message of at most 3 lines; a broken
# .BTF or .BTF.ext is refused (not dropped, as libbpf sometimes does) with
# a message that says BTF. The bad_* objects are well-formed: `object show`
# may describe them (exit 0 or 1), `prog loadall` must refuse them; where
# the kernel's verifier refuses, the message may quote the verifier log.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

GEN=$BB_TMP/bad
PINDIR=/sys/fs/bpf/bbtest_bad_$$
TIMEOUT=60

# check_run DESC ALLOWED_RCS MAX_LINES MUST_MATCH CMD...
#   ALLOWED_RCS: e.g. "1" or "0 1"; MAX_LINES 0 = any; MUST_MATCH a regex
#   the error must contain ("" for none)
check_run() {
	local desc=$1 rcs=$2 max=$3 must=$4 nlines
	shift 4
	run timeout "$TIMEOUT" "$@"
	nlines=$(printf '%s' "$ERR" | grep -c .)
	if printf '%s' "$ERR" | grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:'; then
		fail "$desc: sanitizer report: $(printf '%s' "$ERR" | head -c 1500)"
	elif [ "$RC" = 124 ]; then
		fail "$desc: no answer in ${TIMEOUT}s (hang?)"
	elif [ "$RC" -gt 128 ]; then
		fail "$desc: killed by signal $((RC - 128)); stderr: $(printf '%s' "$ERR" | head -c 1500)"
	elif [[ " $rcs " != *" $RC "* ]]; then
		fail "$desc: exit $RC, expected $rcs; stderr: $(printf '%s' "$ERR" | head -c 1500)"
	elif [ "$RC" != 0 ] && [ "$nlines" = 0 ]; then
		fail "$desc: exit $RC without a message on stderr"
	elif [ "$RC" != 0 ] && [ "$max" != 0 ] && [ "$nlines" -gt "$max" ]; then
		fail "$desc: $nlines lines of error, expected one short message: $(printf '%s' "$ERR" | head -c 1500)"
	elif [ "$RC" != 0 ] && [ -n "$must" ] && ! printf '%s' "$ERR" | grep -Eq -- "$must"; then
		fail "$desc: error does not say /$must/: $ERR"
	else
		pass "$desc (exit $RC)"
	fi
}

# loadall must also leave no pins behind when it fails
check_loadall() {	# DESC FILE RCS MAX MUST
	rm -rf "$PINDIR"
	check_run "$1" "$3" "$4" "$5" "$BPFBOX" prog loadall "$2" "$PINDIR"
	if [ "$RC" != 0 ] && [ -n "$(ls -A "$PINDIR" 2>/dev/null)" ]; then
		fail "$1: failed but left pins in $PINDIR: $(ls "$PINDIR" | tr '\n' ' ')"
	fi
	rm -rf "$PINDIR"
}

check_show() {		# DESC FILE RCS MAX MUST
	check_run "$1" "$3" "$4" "$5" "$BPFBOX" object show "$2"
}

if [ ! -f "$PROGS/demo.bpf.o" ]; then
	fail "$PROGS/demo.bpf.o missing (make progs)"
	exit 0
fi
if ! "$(dirname "$0")/../make-bad-objects.sh" "$GEN" "$PROGS/demo.bpf.o" >"$BB_TMP/made" 2>&1; then
	fail "make-bad-objects.sh: $(head -c 1500 "$BB_TMP/made")"
	exit 0
fi
if is_root; then
	bb_bpffs || fail "cannot mount bpffs"
fi

# corrupted files, a directory, a missing file: both commands exit 1
mkdir -p "$BB_TMP/a_directory.bpf.o"
for f in "$GEN"/*.bpf.o "$BB_TMP/a_directory.bpf.o" "$BB_TMP/does_not_exist.bpf.o"; do
	name=$(basename "$f" .bpf.o)
	must=""
	case $name in btf_*) must="BTF" ;; esac
	check_show "object show $name" "$f" 1 3 "$must"
	if is_root; then
		check_loadall "prog loadall $name" "$f" 1 3 "$must"
	fi
done

# well-formed objects that must not load
for f in "$PROGS"/bad_*.bpf.o; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .bpf.o)
	max=3
	case $name in
	bad_verifier|bad_license) max=0 ;;	# may quote the verifier log
	esac
	check_show "object show $name" "$f" "0 1" 3 ""
	if is_root; then
		check_loadall "prog loadall $name" "$f" 1 "$max" ""
	fi
done

is_root || skip "prog loadall on bad input: needs root (bpf(2) and bpffs)"
