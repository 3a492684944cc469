#!/bin/bash
# bpfbox btf: dump (raw, -j, -p, format c) of the kernel's BTF and of the
# test objects compared byte for byte with bpftool's; the generated
# vmlinux.h compiled into a CO-RE program and its struct layouts checked
# against the kernel's BTF; show/list and dump id/map/prog (root);
# usage errors, missing and corrupted files.
. "$(dirname "$0")/../lib.sh"

VMLINUX=/sys/kernel/btf/vmlinux
LAYOUT_AWK=$(dirname "$0")/../btf/layout.awk
OBJS="maps_basic demo global_data"
HAVE_BPFTOOL=
command -v bpftool >/dev/null && HAVE_BPFTOOL=1

# same DESC ARGS...: bpfbox and bpftool print the same bytes on stdout
same() {
	local desc=$1
	shift
	if [ -z "$HAVE_BPFTOOL" ]; then
		skip "$desc: bpftool is not installed, nothing to compare with"
		return
	fi
	"$BPFBOX" "$@" >"$BB_TMP/a" 2>"$BB_TMP/err_a"
	bpftool "$@" >"$BB_TMP/b" 2>/dev/null
	if cmp -s "$BB_TMP/a" "$BB_TMP/b"; then
		pass "$desc"
	else
		fail "$desc: output differs from bpftool's: $(diff "$BB_TMP/a" "$BB_TMP/b" | head -10) stderr: $(head -c 500 "$BB_TMP/err_a")"
	fi
}

# ------------------------------------------------------------------
# raw and JSON dumps, byte for byte

if [ -r "$VMLINUX" ]; then
	same "raw dump of vmlinux BTF" btf dump file "$VMLINUX"
	same "raw dump of vmlinux BTF, format raw" btf dump file "$VMLINUX" format raw
	same "JSON dump of vmlinux BTF" -j btf dump file "$VMLINUX"
else
	skip "no $VMLINUX: kernel built without CONFIG_DEBUG_INFO_BTF"
fi
for o in $OBJS; do
	f=$PROGS/$o.bpf.o
	if [ ! -f "$f" ]; then
		skip "$o: $f not built (make progs)"
		continue
	fi
	same "raw dump of $o.bpf.o" btf dump file "$f"
	same "JSON dump of $o.bpf.o" -j btf dump file "$f"
	same "pretty JSON dump of $o.bpf.o" -p btf dump file "$f"
	same "C dump of $o.bpf.o" btf dump file "$f" format c
done

# ------------------------------------------------------------------
# format c of vmlinux: bpftool's text but for the enum size attributes

if [ -r "$VMLINUX" ]; then
	H=$BB_TMP/vmlinux.h
	expect_rc "format c of vmlinux" 0 "$BPFBOX" btf dump file "$VMLINUX" format c
	cp "$BB_TMP/out" "$H"
	if [ -n "$HAVE_BPFTOOL" ]; then
		bpftool btf dump file "$VMLINUX" format c >"$BB_TMP/ref.h"
		n=$(diff "$H" "$BB_TMP/ref.h" | grep -c '^[<>]')
		echo "     format c differs from bpftool 7.1's in $n lines (mode(byte)/mode(word) of 1- and 8-byte enums)"
		# bpftool 7.1 (libbpf 1.1) leaves out the enum size attributes,
		# which puts every struct holding a 1-byte enum off its layout
		n=$(sed -e 's/ __attribute__((mode(byte)))//' \
			-e 's/ __attribute__((mode(word)))//' "$H" |
			diff - "$BB_TMP/ref.h" | grep -c '^[<>]')
		if [ "$n" = 0 ]; then
			pass "format c equals bpftool's but for enum size attributes"
		else
			fail "format c: $n lines differ from bpftool's beyond enum sizes: $(sed 's/ __attribute__((mode([a-z]*)))//' "$H" | diff - "$BB_TMP/ref.h" | head -10)"
		fi
	else
		skip "format c vs bpftool: bpftool is not installed"
	fi
fi

# a CO-RE program on our vmlinux.h, and every named struct's layout
core_checks() {
	local d=$BB_TMP/core inc
	inc=/usr/include/$(uname -m)-linux-gnu
	mkdir -p "$d"
	cp "$H" "$d/vmlinux.h"
	cat >"$d/core.bpf.c" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";
int ppid;

SEC("tp/syscalls/sys_enter_getpid")
int probe(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	ppid = BPF_CORE_READ(task, real_parent, tgid);
	return 0;
}
EOF
	expect_rc "vmlinux.h compiles into a CO-RE program (clang -target bpf)" 0 \
		clang -target bpf -O2 -g -Wall -Werror -D__TARGET_ARCH_x86 -I"$inc" \
		-c "$d/core.bpf.c" -o "$d/core.bpf.o"
	expect_rc "the CO-RE program's BTF reads" 0 "$BPFBOX" btf dump file "$d/core.bpf.o"
	expect_match "the CO-RE program has a task_struct relocation" \
		"$(cat "$BB_TMP/out")" "STRUCT 'task_struct'"

	# every named struct and union, by value, through clang's BTF
	{
		echo '#include "vmlinux.h"'
		grep -E '^(struct|union) [A-Za-z0-9_]+ \{' "$d/vmlinux.h" |
			awk '{ printf "%s %s v_%d;\n", $1, $2, NR }'
	} >"$d/all.c"
	if ! clang -target bpf -O0 -g -c "$d/all.c" -o "$d/all.o" 2>"$BB_TMP/err"; then
		fail "every struct of vmlinux.h compiles: $(head -c 1000 "$BB_TMP/err")"
		return
	fi
	"$BPFBOX" btf dump file "$VMLINUX" | awk -f "$LAYOUT_AWK" | sort -u >"$d/kern"
	"$BPFBOX" btf dump file "$d/all.o" | awk -f "$LAYOUT_AWK" | sort -u >"$d/prog"
	# warn_args holds a va_list: __builtin_va_list is 8 bytes on the BPF
	# target, 24 on x86 (bpftool's header has the same difference)
	bad=$(comm -13 "$d/kern" "$d/prog" | grep -v "^STRUCT 'warn_args' ")
	total=$(wc -l <"$d/prog")
	if [ -z "$bad" ] && [ "$total" -gt 1000 ]; then
		pass "all $total named struct/union layouts compiled from vmlinux.h match the kernel's BTF"
	else
		fail "struct layouts differ from the kernel's ($total compared): $(echo "$bad" | head -5 | cut -c1-300)"
	fi
}
if [ -r "$VMLINUX" ] && command -v clang >/dev/null &&
   [ -f /usr/include/bpf/bpf_core_read.h ]; then
	core_checks
else
	skip "CO-RE compile of vmlinux.h: needs $VMLINUX, clang and libbpf's headers"
fi

# ------------------------------------------------------------------
# usage errors (2), failures (1)

expect_rc "btf without a verb shows (or fails without root)" \
	"$(is_root && echo 0 || echo 1)" "$BPFBOX" btf
expect_rc "btf help" 0 "$BPFBOX" btf help
expect_match "btf help shows the grammar" "$OUT" "btf dump BTF_SRC"
expect_rc "btf --help" 0 "$BPFBOX" btf --help
expect_rc "unknown verb" 2 "$BPFBOX" btf frob
expect_rc "dump without a source" 2 "$BPFBOX" btf dump
expect_rc "dump file without FILE" 2 "$BPFBOX" btf dump file
expect_rc "dump from an unknown source" 2 "$BPFBOX" btf dump disk 3
expect_rc "dump id that is not a number" 2 "$BPFBOX" btf dump id abc
expect_rc "show id without a number" 2 "$BPFBOX" btf show id
if [ -f "$PROGS/demo.bpf.o" ]; then
	expect_rc "unknown format" 2 "$BPFBOX" btf dump file "$PROGS/demo.bpf.o" format xml
	expect_rc "format without a value" 2 "$BPFBOX" btf dump file "$PROGS/demo.bpf.o" format
	expect_rc "format c with -j" 1 "$BPFBOX" -j btf dump file "$PROGS/demo.bpf.o" format c
fi
expect_rc "nonexistent file" 1 "$BPFBOX" btf dump file "$BB_TMP/no/such.btf"
expect_match "the message names the file" "$ERR" "no/such.btf"

# corrupted input: a message, exit 1, no crash (also under ASan)
bad_file() {	# bad_file DESC FILE
	local fmt
	for fmt in raw c; do
		run "$BPFBOX" btf dump file "$2" format $fmt
		if [ "$RC" = 1 ] && [ -n "$ERR" ] && ! grep -q Sanitizer "$BB_TMP/err"; then
			pass "$1 ($fmt): exit 1 with a message"
		else
			fail "$1 ($fmt): exit $RC, stderr: $(head -c 500 "$BB_TMP/err")"
		fi
	done
}
: >"$BB_TMP/empty.btf"
bad_file "empty file" "$BB_TMP/empty.btf"
printf 'not BTF at all, not ELF either' >"$BB_TMP/junk.btf"
bad_file "garbage" "$BB_TMP/junk.btf"
if [ -r "$VMLINUX" ]; then
	head -c 4096 "$VMLINUX" >"$BB_TMP/trunc.btf"
	bad_file "truncated vmlinux BTF" "$BB_TMP/trunc.btf"
	# string offsets of the first types pointed far out of range
	cp "$VMLINUX" "$BB_TMP/corrupt.btf"
	printf '\xff\xff\xff\x7f' | dd of="$BB_TMP/corrupt.btf" bs=1 seek=24 \
		conv=notrunc status=none
	bad_file "corrupted vmlinux BTF" "$BB_TMP/corrupt.btf"
fi
if [ -f "$PROGS/demo.bpf.o" ]; then
	head -c 2000 "$PROGS/demo.bpf.o" >"$BB_TMP/trunc.o"
	bad_file "truncated object" "$BB_TMP/trunc.o"
fi
bad_file "ELF without .BTF" /bin/true

# without the "pids" decoration: bpftool 7.1 here prints none
no_pids() {
	sed -E -e '/^\tpids /d' -e 's/,"pids":\[[^]]*\]//g' "$1"
}

# same_sys DESC ARGS...: `same` for a listing of every BTF object in the
# system, where other processes' objects may come and go between the two
# runs (tried three times) and hold fds (pids left out of the comparison)
same_sys() {
	local desc=$1 try
	shift
	if [ -z "$HAVE_BPFTOOL" ]; then
		skip "$desc: bpftool is not installed, nothing to compare with"
		return
	fi
	for try in 1 2 3; do
		"$BPFBOX" "$@" >"$BB_TMP/a" 2>"$BB_TMP/err_a"
		bpftool "$@" >"$BB_TMP/b" 2>/dev/null
		if cmp -s <(no_pids "$BB_TMP/a") <(no_pids "$BB_TMP/b"); then
			pass "$desc"
			return
		fi
	done
	fail "$desc: output differs from bpftool's (3 tries): $(diff <(no_pids "$BB_TMP/a") <(no_pids "$BB_TMP/b") | head -10) stderr: $(head -c 500 "$BB_TMP/err_a")"
}

# ------------------------------------------------------------------
# kernel objects: show, dump id / map / prog (root)

if ! is_root; then
	skip "btf show, dump id/map/prog: need root (bpf(2))"
	exit 0
fi
same_sys "btf show" btf show
same_sys "btf list -j" -j btf list
same "btf dump id 1" btf dump id 1
expect_rc "dump of an id that does not exist" 1 "$BPFBOX" btf dump id 4000000000

bb_bpffs
D=/sys/fs/bpf/bbtest_btf_$$
trap 'rm -rf "$D" "$BB_TMP"' EXIT
if ! "$BPFBOX" prog loadall "$PROGS/maps_basic.bpf.o" "$D" pinmaps "$D/maps" \
	>/dev/null 2>"$BB_TMP/err"; then
	fail "load maps_basic for btf dump map/prog: $(head -c 500 "$BB_TMP/err")"
	exit 0
fi
same_sys "btf show with an object loaded (prog_ids, map_ids)" btf show
same_sys "btf show -j with an object loaded" -j btf show
M=$D/maps/by_task
for sel in "" key value kv all "format c" "value format c" "all format raw"; do
	# shellcheck disable=SC2086 # sel is words
	same "btf dump map ${sel:-(kv)}" btf dump map pinned "$M" $sel
done
same "btf dump map -j" -j btf dump map pinned "$M"
P=$(find "$D" -maxdepth 1 -type f | head -1)
same "btf dump prog" btf dump prog pinned "$P"
same "btf dump prog format c" btf dump prog pinned "$P" format c
exit 0
