# CO-RE failures are explained: a poisoned relocation the verifier
# reaches names the access, the local type and the kernel (issue #3),
# where libbpf prints "invalid func unknown#195896080".
. tests/lib.sh

obj=$(dirname "$PROGS")/core-progs/bad_core_unguarded.bpf.o
if ! is_root; then
	skip "needs root to load programs"
	exit 0
fi
if [ ! -e "$obj" ]; then
	fail "$obj missing (make core-progs)"
	exit 0
fi
bb_bpffs
pin=/sys/fs/bpf/bbtest_core_err_$$
run "$BPFBOX" prog loadall "$obj" "$pin"
rm -rf "$pin"
[ "$RC" = 1 ] && pass "unguarded missing field: load fails (exit 1)" ||
	fail "unguarded missing field: exit $RC, expected 1"
expect_match "the error names the access" "$ERR" \
	'task_struct___bb->bb_no_such_field'
expect_match "the error says how to guard it" "$ERR" 'bpf_core_field_exists'
expect_match "the error names the kernel" "$ERR" "kernel $(uname -r)"
