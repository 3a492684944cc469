#!/bin/sh
# Exit 0 when everything make test needs is installed.
for cmd in gcc clang llvm-objdump bpftool file valgrind python3; do
	command -v "$cmd" >/dev/null 2>&1 || { echo "missing: $cmd"; exit 1; }
done
for f in /usr/include/bpf/bpf_helpers.h /usr/include/linux/bpf.h \
	 /usr/include/libelf.h /usr/include/zlib.h \
	 /usr/lib/$(uname -m)-linux-gnu/bpf/xdp-dispatcher.o; do
	[ -e "$f" ] || { echo "missing: $f"; exit 1; }
done
exit 0
