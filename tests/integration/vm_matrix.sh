#!/bin/bash
# The kernel matrix: boot Debian's 6.1 and 6.12 cloud kernels in qemu
# (TCG, no KVM) on the initramfs of tests/vm (make vm-initramfs), run the
# tests of tests/vm/guest-tests in each, and turn every guest result line
# into a result here, prefixed with the kernel release. Then run the same
# list natively on this kernel and check that every attach kind fired
# ("fired KIND" lines) on at least one of the three kernels.
#
# Serial logs stay in build/vm/logs/ for debugging. Environment:
#   BB_VM_CACHE    kernel cache (default /var/cache/bpfbox-vm)
#   BB_VM_KERNELS  series to boot (default "6.1 6.12")
#   BB_VM_TIMEOUT  seconds per guest (default 300: TCG is slow)
. tests/lib.sh

D=$(dirname "$PROGS")
INITRD=$D/vm/initramfs.cpio.gz
LOGS=$D/vm/logs
CACHE=${BB_VM_CACHE:-/var/cache/bpfbox-vm}
SERIES=${BB_VM_KERNELS:-6.1 6.12}
TMO=${BB_VM_TIMEOUT:-300}
KINDS="tracepoint raw_tp tp_btf fentry fexit lsm iter kprobe kretprobe
       ksyscall uprobe uretprobe perf_event socket"

case $BPFBOX in
*/san/*)
	skip "runs once, in the normal pass (the guests run build/bpfbox, not the sanitized build)"
	exit 0 ;;
esac
if ! is_root; then
	skip "needs root (the kernel cache, and bpf(2) for the native run)"
	exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
	skip "the matrix boots x86-64 kernels; this is $(uname -m)"
	exit 0
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	fail "qemu-system-x86_64 is missing: make deps"
	exit 0
fi
if [ ! -e "$INITRD" ]; then
	fail "$INITRD is missing: make vm-initramfs"
	exit 0
fi
mkdir -p "$LOGS"
export BB_VM_CACHE=$CACHE

# fired[KIND] = the kernels it fired on
declare -A fired
record_fired() {	# record_fired LABEL LOG
	local kind
	while read -r _ _ kind _; do
		# SEC("tp/...") is the short spelling of a tracepoint
		[ "$kind" = tp ] && kind=tracepoint
		case " ${fired[$kind]} " in
		*" $1 "*) ;;
		*) fired[$kind]="${fired[$kind]:+${fired[$kind]} }$1" ;;
		esac
	done < <(tr -d '\r' <"$2" | grep '^BBVM: fired ')
}

# guest result lines -> results, prefixed with the release
report() {		# report RELEASE LOG
	local line
	while IFS= read -r line; do
		case $line in
		"BBVM: ok "*)	pass "$1: ${line#BBVM: ok }" ;;
		"BBVM: FAIL "*)	fail "$1: ${line#BBVM: FAIL }" ;;
		"BBVM: skip "*)	skip "$1: ${line#BBVM: skip }" ;;
		esac
	done < <(tr -d '\r' <"$2")
}

# the native run first, while both CPUs are free for the guests later
BB_PATH="$D/itest:tests/vm" CORE_PROGS="$D/core-progs" PROGS=$PROGS \
	BPFBOX=$BPFBOX TMPDIR=$BB_TMP \
	tests/vm/run-tests.sh tests/vm/guest-tests >"$LOGS/host.log" 2>&1
record_fired "host-$(uname -r)" "$LOGS/host.log"
# the host's own results are counted by the integration tests of each
# program; here they only feed the fired kinds
echo "note $T: native run on $(uname -r): $(grep -c '^BBVM: ok ' "$LOGS/host.log") ok, $(grep -c '^BBVM: FAIL ' "$LOGS/host.log") FAIL (log: $LOGS/host.log)"

# fetch (or find in the cache) and boot every kernel, in parallel: one
# TCG guest per CPU
booted=() missing=() rels=()
for s in $SERIES; do
	if ! tests/vm/fetch-kernels.sh "$s" 2>"$BB_TMP/fetch-$s"; then
		skip "$s: cannot get the kernel: $(tail -n 2 "$BB_TMP/fetch-$s" | tr '\n' ' ')"
		missing+=("$s")
		continue
	fi
	tests/vm/run-vm.sh "$CACHE/$s" "$INITRD" "$LOGS/$s.log" "$TMO" \
		2>"$BB_TMP/vm-$s" &
	pids[${#booted[@]}]=$!
	booted+=("$s")
	rels+=("$(cat "$CACHE/$s/version")")
done
for i in "${!booted[@]}"; do
	s=${booted[$i]}
	wait "${pids[$i]}"
	rc=$?
	rel=$(cat "$CACHE/$s/version")
	report "$rel" "$LOGS/$s.log"
	record_fired "$rel" "$LOGS/$s.log"
	if [ "$rc" != 0 ]; then
		fail "$rel: the guest did not reach its end marker: $(tr '\n' ' ' <"$BB_TMP/vm-$s")"
	elif ! grep -q '^BBVM: begin ' "$LOGS/$s.log"; then
		fail "$rel: the guest ran no tests; log: $LOGS/$s.log"
	fi
done

# the listed programs that were not built, named when a kind is missing
unbuilt=$(sed -n 's/^BBVM: skip \([^:]*\): not built .*/\1/p' "$LOGS/host.log" |
	  tr '\n' ' ')
unbuilt=${unbuilt% }

# every attach kind must fire somewhere: what this kernel cannot do
# (kprobes, fentry here), an older one must
for k in $KINDS; do
	if [ -n "${fired[$k]}" ]; then
		pass "attach kind $k fired on: ${fired[$k]}"
	elif [ ${#missing[@]} -gt 0 ]; then
		skip "attach kind $k fired on no kernel tried; kernels ${missing[*]} were unavailable"
	else
		fail "attach kind $k fired on no kernel (host $(uname -r), ${rels[*]})${unbuilt:+; not built: $unbuilt}; logs in $LOGS"
	fi
done
