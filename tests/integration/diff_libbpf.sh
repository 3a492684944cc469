#!/bin/bash
# Differential test against libbpf (issue #2): `bpfbox prog loadall` loads
# exactly the programs libbpf loads, and the kernel reports the same
# verified instructions for them (map ids normalized to map names), the
# same func_info/line_info, BTF and map attributes (see tests/oracle).
#
# For each build/progs/*.bpf.o except bad_* (tests/integration/bad_input.sh
# covers those), one pass/fail:
#   - libbpf (build/oracle load) loads it: bpfbox must exit 0, and the dump
#     of its pinned programs must equal libbpf's dump, file for file;
#   - libbpf refuses it: bpfbox must exit 1 with a message, and pin nothing.
# Maps pinned by name (LIBBPF_PIN_BY_NAME, named bbpin_* in the corpus)
# must be pinned by both loaders alike under /sys/fs/bpf.
#
# Checking the pipeline itself (libbpf against libbpf, which must give no
# difference at all):
#   BPFBOX_LOADALL_CMD="build/oracle loadall" bash tests/integration/diff_libbpf.sh
# bpftool works as a stand-in too (BPFBOX_LOADALL_CMD="bpftool prog loadall"
# BB_LOADALL_FAIL_RC=255) but is no reference: Debian's bpftool 7.1 carries
# an older libbpf that makes every .rodata map BPF_F_MMAPABLE, and it cannot
# pin an object that has non-autoloaded programs (autoload.bpf.o).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

ORACLE=${ORACLE:-build/oracle}
LOADALL=${BPFBOX_LOADALL_CMD:-"$BPFBOX prog loadall"}
FAIL_RC=${BB_LOADALL_FAIL_RC:-1}
BPFFS=/sys/fs/bpf

if ! is_root; then
	skip "needs root (bpf(2) and bpffs)"
	exit 0
fi
if [ ! -x "$ORACLE" ]; then
	fail "$ORACLE missing: make oracle"
	exit 0
fi
bb_bpffs || { fail "cannot mount bpffs at $BPFFS"; exit 0; }

# Maps pinned by name (LIBBPF_PIN_BY_NAME) land in the bpffs root: the
# corpus names them bbpin_*, xdp-tools' objects use plain names. Whatever
# a load adds there is compared between the loaders, then removed, so that
# neither loader reuses the other's maps and nothing is left behind.
BASELINE=$(ls "$BPFFS")
by_name_pins() {
	local p
	for p in "$BPFFS"/*; do
		[ -e "$p" ] || continue
		# other tests' pins (bbtest_*) are not the loaders' doing
		case ${p##*/} in bbtest_*) continue ;; esac
		printf '%s\n' "$BASELINE" | grep -qxF "${p##*/}" ||
			printf '%s ' "${p##*/}"
	done
}
drop_by_name_pins() {
	local p
	for p in $(by_name_pins); do
		rm -f "$BPFFS/$p"
	done
}

sanitizer_report() { grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$1"; }

check_object() {
	local obj=$1 name A B pindir rc_a rc_b pins_a pins_b nprog diffs
	name=$(basename "$obj" .o)
	name=${name%.bpf}
	name=${name//./_}	# bpffs refuses '.' in names
	A=$BB_TMP/$name/libbpf
	B=$BB_TMP/$name/bpfbox
	pindir=$BPFFS/bbtest_diff_$$_$name
	mkdir -p "$BB_TMP/$name"
	rm -rf "$pindir"
	drop_by_name_pins

	# the reference
	timeout 120 "$ORACLE" load "$obj" "$A" >/dev/null 2>"$BB_TMP/$name/libbpf.err"
	rc_a=$?
	pins_a=$(by_name_pins)
	drop_by_name_pins

	# the loader under test
	# shellcheck disable=SC2086 # LOADALL is a command line
	timeout 120 $LOADALL "$obj" "$pindir" >"$BB_TMP/$name/out" 2>"$BB_TMP/$name/err"
	rc_b=$?
	pins_b=$(by_name_pins)
	drop_by_name_pins
	ERR=$(head -c 3000 "$BB_TMP/$name/err")

	if [ "$rc_b" = 124 ]; then
		fail "$name: loadall did not finish in 120s"
	elif [ "$rc_b" -gt 128 ]; then
		fail "$name: loadall killed by signal $((rc_b - 128)); stderr: $ERR"
	elif [ "$rc_b" -ge 125 ]; then
		fail "$name: cannot run '$LOADALL' (exit $rc_b): $ERR"
	elif sanitizer_report "$BB_TMP/$name/err"; then
		fail "$name: sanitizer report: $ERR"
	elif [ "$rc_a" != 0 ]; then
		local why
		why=$(grep -v '^$' "$BB_TMP/$name/libbpf.err" | tail -1)
		if [ "$rc_b" != "$FAIL_RC" ]; then
			fail "$name: libbpf refuses it ($why), loadall exit $rc_b, expected $FAIL_RC; stderr: $ERR"
		elif [ -z "$ERR" ]; then
			fail "$name: refused without a message on stderr"
		elif [ -n "$(ls -A "$pindir" 2>/dev/null)" ]; then
			fail "$name: refused but left pins: $(ls "$pindir" | tr '\n' ' ')"
		else
			pass "$name: refused, like libbpf ($why)"
		fi
	elif [ "$rc_b" != 0 ]; then
		fail "$name: libbpf loads it, loadall exit $rc_b; stderr: $ERR"
	elif ! timeout 120 "$ORACLE" dump-pinned "$pindir" "$B" >/dev/null 2>"$BB_TMP/$name/dump.err"; then
		fail "$name: cannot dump the pinned programs: $(head -c 2000 "$BB_TMP/$name/dump.err")"
	elif ! diffs=$(diff -r "$A" "$B" 2>&1); then
		fail "$name: differs from libbpf (< libbpf, > loadall):
$(printf '%s\n' "$diffs" | head -40)"
	elif [ "$pins_a" != "$pins_b" ]; then
		fail "$name: maps pinned by name: libbpf [$pins_a], loadall [$pins_b]"
	else
		nprog=$(wc -l <"$A/programs")
		pass "$name: $nprog programs identical to libbpf's"
	fi
	rm -rf "$pindir"
}

n=0
for obj in "$PROGS"/*.bpf.o; do
	[ -e "$obj" ] || continue
	case $(basename "$obj") in bad_*) continue ;; esac
	check_object "$obj"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no objects in $PROGS (make progs)"

# CO-RE objects, built against bpfbox's own vmlinux.h
CORE_PROGS=${CORE_PROGS:-$(dirname "$PROGS")/core-progs}
c=0
for obj in "$CORE_PROGS"/*.bpf.o; do
	[ -e "$obj" ] || continue
	# features newer than the libbpf 1.1 oracle (kfunc flavours: 1.3)
	case $(basename "$obj") in bb_only_*) continue ;; esac
	check_object "$obj"
	c=$((c + 1))
done
[ "$c" -gt 0 ] || fail "no CO-RE objects in $CORE_PROGS (make core-progs)"

# Objects compiled by others: xdp-tools' programs as Debian ships them
# (installed by make deps). Any directory of objects can be given instead:
#   BB_OTHERS_DIR=/path/to/objects tests/run.sh diff_libbpf
OTHERS=${BB_OTHERS_DIR:-/usr/lib/$(uname -m)-linux-gnu/bpf}
m=0
for obj in "$OTHERS"/*.o; do
	[ -e "$obj" ] || continue
	check_object "$obj"
	m=$((m + 1))
done
[ "$m" -gt 0 ] || fail "no objects compiled by others in $OTHERS (make deps installs xdp-tools)"
