// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup programs. The section picks both the program type and the
 * expected attach type, which the verifier uses to decide what the
 * program may read and return: cgroup_skb/ingress and /egress,
 * cgroup/sock_create, cgroup/connect4 and cgroup/sysctl.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} skb_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);		/* destination port, host order */
	__type(value, __u64);
} connects SEC(".maps");

__u64 raw_sockets;
__u64 sysctl_writes;

static __always_inline void add_bytes(__u32 dir, __u32 len)
{
	__u64 *b = bpf_map_lookup_elem(&skb_bytes, &dir);

	if (b)
		__sync_fetch_and_add(b, len);
}

SEC("cgroup_skb/ingress")
int skb_ingress(struct __sk_buff *skb)
{
	add_bytes(0, skb->len);
	return 1;		/* allow */
}

SEC("cgroup_skb/egress")
int skb_egress(struct __sk_buff *skb)
{
	add_bytes(1, skb->len);
	return 1;
}

SEC("cgroup/sock_create")
int sock_create(struct bpf_sock *sk)
{
	if (sk->type == 3 /* SOCK_RAW */)
		raw_sockets++;
	return 1;
}

SEC("cgroup/connect4")
int connect4(struct bpf_sock_addr *ctx)
{
	__u16 port = bpf_ntohs(ctx->user_port);
	__u64 one = 1, *cnt;

	if (ctx->protocol != IPPROTO_TCP)
		return 1;
	cnt = bpf_map_lookup_elem(&connects, &port);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&connects, &port, &one, BPF_NOEXIST);
	return 1;
}

SEC("cgroup/sysctl")
int sysctl_watch(struct bpf_sysctl *ctx)
{
	char name[32];

	if (!ctx->write)
		return 1;
	sysctl_writes++;
	bpf_sysctl_get_name(ctx, name, sizeof(name), 0);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
