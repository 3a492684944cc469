#!/bin/sh
# /init of the VM matrix's initramfs (busybox sh, PID 1): mount the
# filesystems BPF tests use, run the tests of /etc/guest-tests with
# run-tests.sh (results go to the serial console as "BBVM: " lines), print
# the end marker and power off. The host (tests/vm/run-vm.sh) treats a
# log without "BBVM: done" as a failed boot or a hung guest.
export PATH=/bin
export HOME=/ TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ip link set lo up 2>/dev/null
hostname bbvm

# kernel messages interleave with ours on the console: keep only errors
echo 3 >/proc/sys/kernel/printk
# the firmware leaves escape sequences without a newline: start a line
echo
echo "BBVM: kernel $(uname -r)"
echo "BBVM: cmdline $(cat /proc/cmdline)"
echo "BBVM: lsm $(cat /sys/kernel/security/lsm 2>/dev/null ||
	{ mount -t securityfs securityfs /sys/kernel/security &&
	  cat /sys/kernel/security/lsm; })"

export BPFBOX=/bin/bpfbox PROGS=/progs CORE_PROGS=/core-progs BB_PATH=/bin
/bin/run-tests.sh /etc/guest-tests
echo "BBVM: done"
sync
poweroff -f
# should poweroff return, reboot ends qemu too (-no-reboot)
reboot -f
