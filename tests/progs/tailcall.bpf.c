// SPDX-License-Identifier: GPL-2.0
/*
 * Tail calls through a BPF_MAP_TYPE_PROG_ARRAY that is initialised in the
 * object (.values = { [n] = &prog }): libbpf fills the slots after loading
 * the programs. The targets live in the same section type as the caller.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

int tail_even(struct bb_sys_enter_openat *ctx);
int tail_odd(struct bb_sys_enter_openat *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	/* a key type here would make the kernel refuse the map's BTF */
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = (void *)&tail_even,
		[1] = (void *)&tail_odd,
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} parity SEC(".maps");

static __always_inline void bump(__u32 which)
{
	__u64 *cnt = bpf_map_lookup_elem(&parity, &which);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
}

SEC("tp/syscalls/sys_enter_openat")
int tail_even(struct bb_sys_enter_openat *ctx)
{
	bump(0);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int tail_odd(struct bb_sys_enter_openat *ctx)
{
	bump(1);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int dispatch(struct bb_sys_enter_openat *ctx)
{
	bpf_tail_call(ctx, &jump_table, ctx->flags & 1);
	/* slot empty or tail call limit reached */
	bpf_tail_call(ctx, &jump_table, 3);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
