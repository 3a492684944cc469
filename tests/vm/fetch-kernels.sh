#!/bin/sh
# Fetch and unpack Debian's cloud kernels for the VM matrix, newest of
# each series (6.1 and 6.12), into a cache outside the repository so a
# second run downloads nothing:
#
#   $BB_VM_CACHE/<series>/boot/vmlinuz-*   (default /var/cache/bpfbox-vm)
#   $BB_VM_CACHE/<series>/boot/config-*
#   $BB_VM_CACHE/<series>/version          the package's kernel release
#   $BB_VM_CACHE/<series>/lib/modules/<release>/tcp_htcp.ko
#                                          one module with BTF, uncompressed
#                                          (busybox insmod), for CO-RE on
#                                          module BTF (guest-modbtf.sh)
#
# Usage: fetch-kernels.sh [SERIES...]   (default: 6.1 6.12)
# Exit 0 when every series is in the cache; 1 with a reason on stderr.
CACHE=${BB_VM_CACHE:-/var/cache/bpfbox-vm}
# no dependencies, and a struct (htcp) of its own that vmlinux lacks
MODULE=tcp_htcp
[ $# -gt 0 ] || set -- 6.1 6.12

# newest linux-image-<series>.*-cloud-amd64-unsigned that apt knows
newest_pkg() {
	apt-cache pkgnames "linux-image-$1" 2>/dev/null |
		grep -E "^linux-image-$(echo "$1" | sed 's/\./\\./g')[.-].*-cloud-amd64-unsigned\$" |
		sort -V | tail -n1
}

fetch() {		# fetch SERIES
	series=$1 dir=$CACHE/$1
	pkg=$(newest_pkg "$series")
	if [ -z "$pkg" ]; then
		# offline, or apt lists not updated: a cached kernel still serves
		if [ -s "$dir/version" ]; then
			echo "fetch-kernels: no $series cloud kernel in apt; using cached $(cat "$dir/version")" >&2
			return 0
		fi
		echo "fetch-kernels: no linux-image-$series*-cloud-amd64-unsigned in apt-cache (run apt-get update?)" >&2
		return 1
	fi
	rel=${pkg#linux-image-}
	rel=${rel%-unsigned}
	if [ -s "$dir/version" ] && [ "$(cat "$dir/version")" = "$rel" ] &&
	   [ -e "$dir/boot/vmlinuz-$rel" ] &&
	   [ -e "$dir/lib/modules/$rel/$MODULE.ko" ]; then
		return 0
	fi
	tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX") || return 1
	# apt downloads as the _apt user when it can write there
	chmod 755 "$tmp"
	echo "fetch-kernels: downloading $pkg" >&2
	if ! (cd "$tmp" && apt-get download -q "$pkg" >&2); then
		rm -rf "$tmp"
		# stale apt lists name a newer kernel than the network gives
		if [ -s "$dir/version" ]; then
			echo "fetch-kernels: apt-get download $pkg failed; using cached $(cat "$dir/version")" >&2
			return 0
		fi
		echo "fetch-kernels: apt-get download $pkg failed (no network?)" >&2
		return 1
	fi
	mkdir -p "$tmp/root"
	if ! dpkg -x "$tmp"/*.deb "$tmp/root" ||
	   [ ! -e "$tmp/root/boot/vmlinuz-$rel" ]; then
		echo "fetch-kernels: $pkg has no boot/vmlinuz-$rel" >&2
		rm -rf "$tmp"
		return 1
	fi
	# the image, its config and one module are all the VM needs
	rm -rf "$dir"
	mkdir -p "$dir/boot" "$dir/lib/modules/$rel"
	mv "$tmp/root/boot/vmlinuz-$rel" "$tmp/root/boot/config-$rel" \
	   "$tmp/root/boot/System.map-$rel" "$dir/boot/" 2>/dev/null
	ko=$(find "$tmp/root/lib/modules/$rel" -name "$MODULE.ko*" | head -n1)
	case $ko in
	*.xz)	xz -dc "$ko" >"$dir/lib/modules/$rel/$MODULE.ko" ||
			rm -f "$dir/lib/modules/$rel/$MODULE.ko" ;;
	?*)	cp "$ko" "$dir/lib/modules/$rel/$MODULE.ko" ;;
	esac
	[ -s "$dir/lib/modules/$rel/$MODULE.ko" ] ||
		echo "fetch-kernels: $pkg has no usable $MODULE module; module BTF tests will skip" >&2
	echo "$rel" >"$dir/version"
	rm -rf "$tmp"
}

mkdir -p "$CACHE" || { echo "fetch-kernels: cannot create $CACHE" >&2; exit 1; }
rc=0
for s in "$@"; do
	fetch "$s" || rc=1
done
exit $rc
