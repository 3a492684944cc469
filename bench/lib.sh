# Shared by the bench scripts (bash): sourced at the top.

die() { echo "${0##*/}: $*" >&2; exit 1; }

# everything this starts inherits a higher priority than the other work
# on a shared machine (both sides alike), so that less of it is
# measured; NICE is 0 when renice is not allowed
bench_prio() {
	NICE=-10
	renice -n "$NICE" -p $$ >/dev/null 2>&1 || NICE=0
}

# bench_scratch NAME: W, a scratch directory on tmpfs when there is one
# (writes cost page-cache only, not disk writeback), removed on the way
# out with whatever this script started and is still running (the
# shell's own job table: no pid that may since have been reused)
bench_cleanup() {
	local p
	for p in $(jobs -p); do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$W"
}
bench_scratch() {
	W=$(mktemp -d "/dev/shm/$1.XXXXXX" 2>/dev/null || mktemp -d) ||
		die "no scratch directory"
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}
