#!/bin/sh
# Boot one kernel of the cache (fetch-kernels.sh) in qemu under TCG with
# the VM matrix's initramfs, and keep the serial console in LOG.
#   run-vm.sh KERNEL_DIR INITRAMFS LOG [TIMEOUT_SECS]
# Exit 0 when the guest printed its end marker ("BBVM: done"), 1 when it
# did not (boot failure, panic, hang: the log says which), 2 on misuse.
# KVM is deliberately not used: the point is stock kernels, and TCG runs
# them anywhere.
DIR=$1 INITRD=$2 LOG=$3 TMO=${4:-300}
[ -n "$LOG" ] || { echo "usage: run-vm.sh KERNEL_DIR INITRAMFS LOG [TIMEOUT]" >&2; exit 2; }
rel=$(cat "$DIR/version" 2>/dev/null)
kernel=$DIR/boot/vmlinuz-$rel
config=$DIR/boot/config-$rel
[ -n "$rel" ] && [ -e "$kernel" ] ||
	{ echo "run-vm.sh: no kernel in $DIR (run tests/vm/fetch-kernels.sh)" >&2; exit 2; }
[ -e "$INITRD" ] || { echo "run-vm.sh: no initramfs $INITRD" >&2; exit 2; }

# panic=-1 and -no-reboot: a guest that panics ends qemu at once
append="console=ttyS0 panic=-1 quiet loglevel=3"
# lsm programs attach only when "bpf" is among the active LSMs
if grep -q '^CONFIG_BPF_LSM=y' "$config" 2>/dev/null; then
	lsm=$(sed -n 's/^CONFIG_LSM="\(.*\)"$/\1/p' "$config")
	case ",$lsm," in
	*,bpf,*) ;;
	*) lsm=${lsm:+$lsm,}bpf ;;
	esac
	append="$append lsm=$lsm"
fi

# the kernel's own config at /boot/config-$rel, for objects with
# __kconfig externs: a second cpio archive after the common one (the
# kernel unpacks concatenated archives in turn)
work=$(mktemp -d "${TMPDIR:-/tmp}/bbvm-initrd.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/boot"
[ -e "$config" ] && cp "$config" "$work/root/boot/"
# and the module of the cache (guest-modbtf.sh loads it)
if [ -d "$DIR/lib/modules/$rel" ]; then
	mkdir -p "$work/root/lib/modules"
	cp -r "$DIR/lib/modules/$rel" "$work/root/lib/modules/"
fi
(cd "$work/root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
	>"$work/kernel.cpio.gz" &&
	cat "$INITRD" "$work/kernel.cpio.gz" >"$work/initramfs" ||
	{ echo "run-vm.sh: cannot write the initramfs in $work" >&2; exit 2; }

# -M pc rather than microvm: microvm has no HPET nor ACPI PM timer, so
# when the host is busy (two guests on two CPUs) the PIT calibration of
# the TSC fails and the guest hangs early in boot; pc falls back to the
# HPET and costs about a second more
timeout "$TMO" qemu-system-x86_64 -accel tcg -M "${BB_VM_MACHINE:-pc}" \
	-m 1G -smp 1 -nic none -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initramfs" \
	-append "$append" </dev/null >"$LOG" 2>&1
rc=$?
if grep -q '^BBVM: done' "$LOG"; then
	exit 0
fi
if [ "$rc" = 124 ]; then
	echo "run-vm.sh: $rel: no end marker after ${TMO}s (guest hung or too slow); log: $LOG" >&2
else
	echo "run-vm.sh: $rel: qemu exited $rc before the end marker; last lines of $LOG:" >&2
	tail -n 5 "$LOG" | tr -d '\r' >&2
fi
exit 1
