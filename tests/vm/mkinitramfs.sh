#!/bin/sh
# Build the VM matrix's initramfs (gzip'd newc cpio): busybox-static and
# the applet links the guest uses, build/bpfbox, the test programs of
# build/itest, bash, the BPF objects of build/progs and
# build/core-progs, and /init (guest-init.sh) with the test list.
# Dynamically linked programs come with their shared libraries.
#   mkinitramfs.sh BUILD_DIR OUTPUT
set -e
B=$1 OUT=$2
HERE=$(dirname "$0")
BUSYBOX=${BUSYBOX:-/bin/busybox}

die() { echo "mkinitramfs: $*" >&2; exit 1; }
[ -n "$B" ] && [ -n "$OUT" ] || die "usage: mkinitramfs.sh BUILD_DIR OUTPUT"
[ -x "$BUSYBOX" ] || die "no $BUSYBOX: install busybox-static (make deps)"
file -L "$BUSYBOX" | grep -Eq 'statically linked|static-pie' ||
	die "$BUSYBOX is not statically linked: install busybox-static"
[ -x "$B/bpfbox" ] || die "no $B/bpfbox: build it first"

root=$(mktemp -d "${TMPDIR:-/tmp}/bbvm-root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" \
	 "$root/tmp" "$root/progs" "$root/core-progs"

# add_bin FILE: into /bin, with the shared libraries and the loader of a
# dynamically linked program at the paths it asks for (the host's glibc
# runs on any of the guest kernels)
add_bin() {
	cp "$1" "$root/bin/"
	file -L "$1" | grep -q 'dynamically linked' || return 0
	ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib" || die "cannot copy $lib (for $1)"
	done
}

cp "$BUSYBOX" "$root/bin/busybox"
for a in sh mount umount poweroff reboot sync cat echo ls rm mkdir grep \
	 head tail wc tr sed cut sleep timeout uname hostname ip basename \
	 dirname true false env mknod dmesg sort find xargs id stat awk date \
	 insmod; do
	ln -s busybox "$root/bin/$a"
done
add_bin "$B/bpfbox"
for t in "$B"/itest/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	add_bin "$t"
done
# a real bash (a PIE on a shared libc): uprobe tests attach to it
if [ -x /bin/bash ]; then
	add_bin /bin/bash
fi
cp "$HERE/run-tests.sh" "$HERE/guest-cli.sh" "$HERE/guest-modbtf.sh" \
	"$root/bin/"
cp "$HERE/guest-init.sh" "$root/init"
cp "$HERE/guest-tests" "$root/etc/guest-tests"
chmod 755 "$root/init" "$root/bin/run-tests.sh" "$root/bin/guest-cli.sh" \
	"$root/bin/guest-modbtf.sh"
for o in "$B"/progs/*.bpf.o; do
	[ -e "$o" ] && cp "$o" "$root/progs/"
done
for o in "$B"/core-progs/*.bpf.o; do
	[ -e "$o" ] && cp "$o" "$root/core-progs/"
done
mkdir -p "$(dirname "$OUT")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
