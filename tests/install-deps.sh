#!/bin/sh
# Install every build and test dependency from Debian's repositories.
set -e
if [ "$(id -u)" != 0 ]; then
	echo "make deps: run as root (it uses apt-get)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
	make gcc libc6-dev clang llvm libclang-rt-dev \
	libbpf-dev libelf-dev zlib1g-dev libyaml-dev linux-libc-dev bpftool \
	file valgrind python3 xdp-tools libxdp1 libbpf-tools \
	qemu-system-x86 busybox-static cpio prometheus \
	curl strace systemd python3-yaml util-linux
# the VM matrix's kernels (tests/vm): cached outside the tree; without
# network the matrix reports a skip, so this is not fatal here
"$(dirname "$0")/vm/fetch-kernels.sh" ||
	echo "make deps: the VM matrix kernels could not be fetched (tests/vm/fetch-kernels.sh)" >&2
