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

# kfunc flavours: name___suffix resolves to the kernel's kfunc "name"; of
# two weak versions the one with the kernel's prototype is called, the
# other reads as absent and its call is dropped by the verifier
obj=$(dirname "$PROGS")/core-progs/bb_only_kfunc_flavors.bpf.o
pin=/sys/fs/bpf/bbtest_kflav_$$
run "$BPFBOX" prog loadall "$obj" "$pin"
if [ "$RC" = 0 ]; then
	pass "flavoured kfuncs load"
	run "$BPFBOX" prog dump xlated pinned "$pin/newtask"
	n=$(grep -c 'call bpf_task_acquire#' <<<"$OUT")
	[ "$n" = 1 ] && pass "only the matching flavour is called" ||
		fail "bpf_task_acquire called $n times, expected 1: $OUT"
	expect_match "the non-weak flavour resolved" "$OUT" \
		'call bpf_task_release#'
else
	fail "flavoured kfuncs: exit $RC: $ERR"
fi
rm -rf "$pin"

# a kfunc prototype that is not the kernel's fails before the verifier
obj=$(dirname "$PROGS")/core-progs/bad_kfunc_proto.bpf.o
run "$BPFBOX" prog loadall "$obj" "$pin"
rm -rf "$pin"
[ "$RC" = 1 ] && pass "kfunc with a wrong prototype: exit 1" ||
	fail "kfunc with a wrong prototype: exit $RC, expected 1"
expect_match "the error names the kfunc and the mismatch" "$ERR" \
	'extern bpf_task_acquire __ksym: its prototype does not match.*2 parameters here, 1 in the kernel'
