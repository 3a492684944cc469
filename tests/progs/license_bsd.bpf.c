// SPDX-License-Identifier: BSD-2-Clause
/*
 * A program under a license that is not GPL-compatible ("BSD"): it loads
 * as long as it calls no GPL-only helper; the kernel records
 * gpl_compatible = 0.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} packets SEC(".maps");

SEC("socket")
int bsd_counter(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *cnt = bpf_map_lookup_elem(&packets, &zero);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return skb->len;
}

char LICENSE[] SEC("license") = "BSD";
