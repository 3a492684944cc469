#!/bin/sh
# CO-RE candidates from module BTF: load tcp_htcp (its struct htcp is in
# no vmlinux), then load bb_only_modbtf.bpf.o, whose local struct htcp
# puts lasttime at byte 12, and check that the loaded program uses the
# offset /sys/kernel/btf/tcp_htcp gives. The module comes from the VM
# matrix's kernel cache (/lib/modules/REL/tcp_htcp.ko in the guest); a
# kernel without it (the host) prints a skip.
#   guest-modbtf.sh CORE_PROGS_DIR
# Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" lines.
CORE=${1:-build/core-progs}
BPFBOX=${BPFBOX:-bpfbox}
MOD=tcp_htcp
OBJ=$CORE/bb_only_modbtf.bpf.o
KO=/lib/modules/$(uname -r)/$MOD.ko
T=${TMPDIR:-/tmp}/bbmodbtf.$$
PIN=/sys/fs/bpf/bbvm_modbtf_$$
W="CO-RE on module BTF"
mkdir -p "$T"
trap 'rm -rf "$T" "$PIN"' EXIT

why() { tail -n 3 "$T/err" | tr '\n' ' '; }

if [ ! -e "/sys/kernel/btf/$MOD" ]; then
	if [ ! -e "$KO" ]; then
		echo "skip $W: no /sys/kernel/btf/$MOD and no $KO to load (only the VM matrix's guests get the module)"
		exit 0
	fi
	if ! insmod "$KO" 2>"$T/err"; then
		echo "FAIL $W: insmod $KO: $(why)"
		exit 0
	fi
	if [ ! -e "/sys/kernel/btf/$MOD" ]; then
		echo "FAIL $W: $MOD is loaded but /sys/kernel/btf/$MOD is missing"
		exit 0
	fi
	echo "ok insmod $MOD: /sys/kernel/btf/$MOD appeared"
fi
[ -e "$OBJ" ] || { echo "skip $W: $OBJ is not built"; exit 0; }

# the module's own layout, read back through bpfbox's split BTF dump
if ! "$BPFBOX" btf dump file "/sys/kernel/btf/$MOD" >"$T/mod" 2>"$T/err"; then
	echo "FAIL btf dump of module BTF $MOD: $(why)"
	exit 0
fi
bits=$(awk '/STRUCT .htcp. /{s=1; next} s && /^\[/{s=0}
	    s && /.lasttime. /{sub(/.*bits_offset=/, ""); print $1; exit}' "$T/mod")
if [ -z "$bits" ]; then
	echo "FAIL btf dump of module BTF $MOD: no struct htcp with lasttime: $(head -c 300 "$T/mod" | tr '\n' ' ')"
	exit 0
fi
off=$((bits / 8))
echo "ok btf dump of module BTF $MOD: htcp.lasttime at byte $off"
if "$BPFBOX" btf dump file /sys/kernel/btf/vmlinux 2>/dev/null |
   grep -q "STRUCT 'htcp' "; then
	echo "skip $W: vmlinux has a struct htcp too, so modules are not searched"
	exit 0
fi

if ! "$BPFBOX" prog loadall "$OBJ" "$PIN" >"$T/out" 2>"$T/err"; then
	echo "FAIL $W: prog loadall $OBJ: $(why)"
	exit 0
fi
if ! "$BPFBOX" prog dump xlated pinned "$PIN/modbtf" >"$T/x" 2>"$T/err"; then
	echo "FAIL $W: prog dump xlated: $(why)"
	exit 0
fi
# bpf_core_field_offset (r1) and the read's address (r3): both relocated
n=$(grep -cE "\) r[13] = $off\$" "$T/x")
if [ "$n" -ge 2 ] && ! grep -qE '\) r[13] = 12$' "$T/x"; then
	echo "ok $W: htcp.lasttime relocated from byte 12 to $MOD's $off"
else
	echo "FAIL $W: expected r1 = $off and r3 = $off (module $MOD) in: $(tr '\n' ' ' <"$T/x" | head -c 400)"
fi
