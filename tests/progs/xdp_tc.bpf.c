// SPDX-License-Identifier: GPL-2.0
/*
 * Networking programs: XDP (xdp, and xdp.frags which loads with
 * BPF_F_XDP_HAS_FRAGS) and traffic control classifiers under both section
 * names (tc, classifier). Packets are parsed with direct packet access and
 * bounds checks; byte order with bpf_endian.h.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} l4_packets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);		/* IPv4 source, network order */
	__type(value, __u8);
} blocked SEC(".maps");

__u64 tc_bytes;
__u32 tc_marks;

static __always_inline int parse_l4(void *data, void *data_end, __u32 *saddr)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end)
			return -1;
		*saddr = ip->saddr;
		return ip->protocol;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > data_end)
			return -1;
		*saddr = 0;
		return ip6->nexthdr;
	}
	return -1;
}

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 saddr = 0, key;
	__u64 *cnt;
	int proto;

	proto = parse_l4(data, data_end, &saddr);
	if (proto < 0)
		return XDP_PASS;
	key = proto;
	cnt = bpf_map_lookup_elem(&l4_packets, &key);
	if (cnt)
		(*cnt)++;
	if (saddr && bpf_map_lookup_elem(&blocked, &saddr))
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp.frags")
int xdp_frags_len(struct xdp_md *ctx)
{
	__u32 key = 255;
	__u64 *cnt = bpf_map_lookup_elem(&l4_packets, &key);

	if (cnt)
		*cnt += bpf_xdp_get_buff_len(ctx);
	return XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 saddr = 0;

	__sync_fetch_and_add(&tc_bytes, skb->len);
	if (parse_l4(data, data_end, &saddr) == IPPROTO_UDP) {
		skb->mark = 0x42;
		tc_marks++;
	}
	return TC_ACT_OK;
}

SEC("classifier")
int tc_drop_blocked(struct __sk_buff *skb)
{
	struct iphdr ip;
	__u32 saddr;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
		return TC_ACT_OK;
	saddr = ip.saddr;
	return bpf_map_lookup_elem(&blocked, &saddr) ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
