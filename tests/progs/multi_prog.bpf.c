// SPDX-License-Identifier: GPL-2.0
/*
 * Several programs in one ELF section, programs of different types in one
 * object, and program names longer than the kernel's 15 characters (the
 * kernel keeps a truncated name; pins use the full name).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(__u32 which)
{
	__u64 *cnt = bpf_map_lookup_elem(&hits, &which);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
}

/* three programs in the same section */
SEC("tp/syscalls/sys_enter_openat")
int first_in_section(struct bb_sys_enter_openat *ctx)
{
	hit(0);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int second_in_section(struct bb_sys_enter_openat *ctx)
{
	if (ctx->flags & 0x40 /* O_CREAT */)
		hit(1);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int a_program_name_well_over_fifteen_characters(struct bb_sys_enter_openat *ctx)
{
	hit(2);
	return 0;
}

SEC("socket")
int another_type_in_the_same_object(struct __sk_buff *skb)
{
	hit(3);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
