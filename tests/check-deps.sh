#!/bin/sh
# Exit 0 when everything make test needs is installed.
for cmd in gcc clang llvm-objdump llvm-strip bpftool file valgrind python3 \
	   qemu-system-x86_64 cpio gzip promtool prometheus; do
	command -v "$cmd" >/dev/null 2>&1 || { echo "missing: $cmd"; exit 1; }
done
for f in /usr/include/bpf/bpf_helpers.h /usr/include/linux/bpf.h \
	 /usr/include/libelf.h /usr/include/zlib.h /usr/include/yaml.h \
	 /usr/lib/$(uname -m)-linux-gnu/libyaml.a \
	 /usr/lib/$(uname -m)-linux-gnu/bpf/xdp-dispatcher.o; do
	[ -e "$f" ] || { echo "missing: $f"; exit 1; }
done
# the VM matrix's initramfs needs a busybox that runs without a libc
file -L /bin/busybox 2>/dev/null | grep -Eq 'statically linked|static-pie' ||
	{ echo "missing: busybox-static (/bin/busybox)"; exit 1; }
exit 0
