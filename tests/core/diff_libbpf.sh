#!/bin/bash
# CO-RE, bpfbox against libbpf: every program of every tests/core object,
# relocated against every target of tests/core/targets and, for
# core_kernel, against this kernel's /sys/kernel/btf/vmlinux, must give
# the same instructions (poisoned ones included) and the same verdict.
# Each program is relocated alone, as libbpf loads it with only that
# program autoloaded. Needs build/core (make core-objs). libbpf loads the
# programs, so run it as root: as another user libbpf may stop earlier.
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
tmp=$(mktemp -d /tmp/bbcore.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {		# check OBJ TARGET PROG
	"$B"/core/libbpf_core "$1" "$2" "$3" >"$tmp/libbpf" 2>/dev/null
	"$B"/core/core_dump "$1" "$2" "$3" >"$tmp/bpfbox" 2>/dev/null
	if cmp -s "$tmp/libbpf" "$tmp/bpfbox"; then
		pass=$((pass + 1))
	else
		echo "FAIL core diff: $(basename "$1") $3 against $2"
		diff "$tmp/libbpf" "$tmp/bpfbox" | head -10
		fail=$((fail + 1))
	fi
}

progs() {		# the programs of OBJ
	"$B"/core/core_dump "$1" "$2" 2>/dev/null | sed -n 's/^prog //p'
}

for obj in "$B"/core/*.bpf.o; do
	targets=$(ls "$B"/core/targets/*.o)
	case $obj in
	*core_kernel*) targets=/sys/kernel/btf/vmlinux ;;
	esac
	for t in $targets; do
		[ -r "$t" ] || continue
		for p in $(progs "$obj" "$t"); do
			check "$obj" "$t" "$p"
		done
	done
done
echo "core diff: $pass same, $fail different"
[ "$fail" = 0 ]
