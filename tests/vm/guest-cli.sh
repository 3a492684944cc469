#!/bin/sh
# The bpfbox command on the kernel it runs on (a guest of the VM matrix,
# or the host): dump the kernel's BTF as C, load the CO-RE objects that
# were built against the build machine's vmlinux.h, and the test objects
# whose program types need kernel support the build machine may lack.
#   guest-cli.sh CORE_PROGS_DIR PROGS_DIR
# Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" lines.
CORE=${1:-build/core-progs}
PROGS=${2:-build/progs}
BPFBOX=${BPFBOX:-bpfbox}
T=${TMPDIR:-/tmp}/bbcli.$$
PIN=/sys/fs/bpf/bbvm_cli_$$
mkdir -p "$T"

# first lines of a command's output, on one line
why() { tail -n 3 "$T/err" | tr '\n' ' '; }

btf_dump() {
	if ! "$BPFBOX" btf dump file /sys/kernel/btf/vmlinux format c \
			>"$T/vmlinux.h" 2>"$T/err"; then
		echo "FAIL btf dump format c: $(why)"
		return
	fi
	if head -n 5 "$T/vmlinux.h" | grep -q '__VMLINUX_H__' &&
	   grep -q '^struct task_struct {' "$T/vmlinux.h"; then
		echo "ok btf dump format c: $(wc -l <"$T/vmlinux.h") lines with struct task_struct"
	else
		echo "FAIL btf dump format c: no include guard or no struct task_struct: $(head -n 3 "$T/vmlinux.h" | tr '\n' ' ')"
	fi
	"$BPFBOX" btf dump file /sys/kernel/btf/vmlinux >"$T/raw" 2>"$T/err" ||
		echo "FAIL btf dump raw: $(why)"
}

has_func() { grep -q "FUNC '$1'" "$T/raw"; }

# load OBJ: loadall, pinned under bpffs, then check prog show lists it
load() {
	obj=$1 what="prog loadall $(basename "$1")"
	if [ ! -e "$obj" ]; then
		echo "skip $what: $obj is not built"
		return
	fi
	rm -rf "$PIN"
	if ! "$BPFBOX" prog loadall "$obj" "$PIN" >"$T/out" 2>"$T/err"; then
		if grep -q 'EPERM\|Operation not permitted' "$T/err" &&
		   [ -n "$2" ]; then
			echo "skip $what: this kernel refuses $2 programs: $(why)"
		else
			echo "FAIL $what: $(why)"
		fi
		rm -rf "$PIN"
		return
	fi
	n=$(ls "$PIN" | wc -l)
	first=$(ls "$PIN" | head -n 1)
	if [ "$n" -gt 0 ] && "$BPFBOX" prog show >"$T/out" 2>"$T/err" &&
	   grep -q "$first" "$T/out"; then
		echo "ok $what: $n programs pinned and shown"
	else
		echo "FAIL $what: $n programs pinned; prog show: $(why) $(head -c 300 "$T/out")"
	fi
	rm -rf "$PIN"
}

# a CO-RE read of a missing field must be refused, with words
load_bad() {
	obj=$CORE/bad_core_unguarded.bpf.o what="prog loadall refuses bad_core_unguarded.bpf.o"
	[ -e "$obj" ] || { echo "skip $what: not built"; return; }
	rm -rf "$PIN"
	if "$BPFBOX" prog loadall "$obj" "$PIN" >"$T/out" 2>"$T/err"; then
		echo "FAIL $what: it loaded"
	elif grep -q 'bb_no_such_field' "$T/err"; then
		echo "ok $what"
	else
		echo "FAIL $what: the error does not name the field: $(why)"
	fi
	rm -rf "$PIN"
}

btf_dump
load "$CORE/core_task.bpf.o"
load "$CORE/core_values.bpf.o"
if has_func bpf_task_acquire; then
	load "$CORE/kfuncs.bpf.o"
else
	echo "skip prog loadall kfuncs.bpf.o: the kernel has no kfunc bpf_task_acquire (6.2+)"
fi
load_bad
for p in tracepoints raw_tp tp_btf iter perf_event socket uprobe; do
	load "$PROGS/$p.bpf.o"
done
load "$PROGS/kprobe.bpf.o" kprobe
load "$PROGS/fentry.bpf.o" fentry/fexit
rm -rf "$T"
