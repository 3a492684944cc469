// SPDX-License-Identifier: GPL-2.0
/*
 * BAD INPUT: a program the verifier rejects (it dereferences a hash map value
 * without checking it for NULL). The error may quote the verifier log.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");

SEC("socket")
int missing_null_check(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *cnt = bpf_map_lookup_elem(&counter, &zero);

	*cnt += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
