#!/bin/sh
# Fetch and unpack Debian's cloud kernels for the VM matrix, newest of
# each series (6.1 and 6.12), into a cache outside the repository so a
# second run downloads nothing:
#
#   $BB_VM_CACHE/<series>/boot/vmlinuz-*   (default /var/cache/bpfbox-vm)
#   $BB_VM_CACHE/<series>/boot/config-*
#   $BB_VM_CACHE/<series>/version          the package's kernel release
#
# Usage: fetch-kernels.sh [SERIES...]   (default: 6.1 6.12)
# Exit 0 when every series is in the cache; 1 with a reason on stderr.
CACHE=${BB_VM_CACHE:-/var/cache/bpfbox-vm}
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
	   [ -e "$dir/boot/vmlinuz-$rel" ]; then
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
	# the image and its config are all the VM needs: modules stay out
	rm -rf "$dir"
	mkdir -p "$dir/boot"
	mv "$tmp/root/boot/vmlinuz-$rel" "$tmp/root/boot/config-$rel" \
	   "$tmp/root/boot/System.map-$rel" "$dir/boot/" 2>/dev/null
	echo "$rel" >"$dir/version"
	rm -rf "$tmp"
}

mkdir -p "$CACHE" || { echo "fetch-kernels: cannot create $CACHE" >&2; exit 1; }
rc=0
for s in "$@"; do
	fetch "$s" || rc=1
done
exit $rc
