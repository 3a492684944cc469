// SPDX-License-Identifier: GPL-2.0
/*
 * BAD INPUT: an array map of 2^28 values of 64 KiB each (16 TiB). The
 * kernel refuses to create it (ENOMEM); the object must fail cleanly,
 * without exhausting memory. (max_entries 0xffffffff would also make the
 * BTF of the map definition invalid, since int[0xffffffff] overflows
 * 32 bits: libbpf then drops the object's BTF and goes on.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct big {
	char bytes[65536];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 0x10000000);
	__type(key, __u32);
	__type(value, struct big);
} huge SEC(".maps");

SEC("socket")
int use_huge(struct __sk_buff *skb)
{
	__u32 key = skb->len;
	struct big *b = bpf_map_lookup_elem(&huge, &key);

	return b ? b->bytes[0] : 0;
}

char LICENSE[] SEC("license") = "GPL";
