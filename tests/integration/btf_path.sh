# --btf FILE: CO-RE against a BTF other than the running kernel's (e.g. a
# BTFHub file), given raw or inside a vmlinux-like ELF image (issue #3).
. tests/lib.sh

obj=$(dirname "$PROGS")/core-progs/core_task.bpf.o
if ! is_root; then
	skip "needs root to load programs"
	exit 0
fi
if [ ! -e "$obj" ] || [ ! -r /sys/kernel/btf/vmlinux ]; then
	fail "needs $obj (make core-progs) and /sys/kernel/btf/vmlinux"
	exit 0
fi
bb_bpffs
pin=/sys/fs/bpf/bbtest_btf_path_$$
cp /sys/kernel/btf/vmlinux "$BB_TMP/vmlinux.btf"

loadall() {		# loadall DESC EXPECTED_RC --btf FILE
	desc=$1 want=$2
	shift 2
	run "$BPFBOX" prog loadall "$obj" "$pin" "$@"
	rm -rf "$pin"
	[ "$RC" = "$want" ] && pass "$desc (exit $want)" ||
		fail "$desc: exit $RC, expected $want; $ERR"
}

loadall "--btf with this kernel's BTF as a raw file" 0 --btf "$BB_TMP/vmlinux.btf"
loadall "--btf=FILE spelling" 0 --btf="$BB_TMP/vmlinux.btf"
if command -v objcopy >/dev/null; then
	objcopy --add-section .BTF="$BB_TMP/vmlinux.btf" /bin/true \
		"$BB_TMP/vmlinux.elf"
	loadall "--btf with a vmlinux-like ELF image" 0 --btf "$BB_TMP/vmlinux.elf"
else
	skip "no objcopy to build an ELF image with .BTF"
fi
# a BTF without the kernel's types: CO-RE really uses the given file
loadall "--btf with a BTF lacking task_struct" 1 --btf "$PROGS/demo.bpf.o"
expect_match "the failure names the access and the BTF file" "$ERR" \
	"task_struct->tgid.*BTF of $PROGS/demo.bpf.o"
loadall "--btf with a missing file" 1 --btf "$BB_TMP/nonexistent"
expect_match "the error names the missing file" "$ERR" "$BB_TMP/nonexistent"
expect_rc "--btf without FILE is a usage error" 2 "$BPFBOX" prog loadall "$obj" "$pin" --btf
