// SPDX-License-Identifier: GPL-2.0
/*
 * Socket filters: legacy packet loads (BPF_LD_ABS through
 * __builtin_bpf_load_byte/half), bpf_skb_load_bytes and __sk_buff fields.
 * The return value is the number of bytes to keep (0 drops).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

unsigned long long load_byte(void *skb, unsigned long long off)
	asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off)
	asm("llvm.bpf.load.half");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_bytes SEC(".maps");

SEC("socket")
int count_protocols(struct __sk_buff *skb)
{
	__u32 proto;
	__u64 *bytes;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	proto = load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol));
	bytes = bpf_map_lookup_elem(&proto_bytes, &proto);
	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return skb->len;
}

/* keep only TCP packets, at most their first 128 bytes */
SEC("socket")
int tcp_only(struct __sk_buff *skb)
{
	struct iphdr ip;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
		return 0;
	if (ip.protocol != IPPROTO_TCP)
		return 0;
	return skb->len < 128 ? skb->len : 128;
}

char LICENSE[] SEC("license") = "GPL";
