// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks passed by address: bpf_loop, bpf_for_each_map_elem and
 * bpf_timer_set_callback. Taking a function's address compiles to a
 * 64-bit immediate load with a relocation against .text, which the loader
 * turns into BPF_PSEUDO_FUNC pointing at the appended subprogram.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} by_pid SEC(".maps");

struct timer_elem {
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct timer_elem);
} timers SEC(".maps");

struct loop_ctx {
	__u64 flags;
	__u64 bits;
};

static int count_bit(__u32 i, void *data)
{
	struct loop_ctx *lc = data;

	if (lc->flags & (1ULL << (i & 63)))
		lc->bits++;
	return 0;
}

static __u64 sum_bucket(void *map, __u32 *key, __u64 *val,
			void *data)
{
	__u64 *total = data;

	*total += *val;
	return *total > 1000000;	/* stop early on big totals */
}

static __u64 drop_small(void *map, __u32 *key, __u64 *val,
			void *data)
{
	if (*val < 2)
		bpf_map_delete_elem(map, key);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int loop_bits(struct bb_sys_enter_openat *ctx)
{
	struct loop_ctx lc = { .flags = ctx->flags };
	__u32 key;
	__u64 *slot;

	bpf_loop(64, count_bit, &lc, 0);
	key = lc.bits & 15;
	slot = bpf_map_lookup_elem(&buckets, &key);
	if (slot)
		__sync_fetch_and_add(slot, 1);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int walk_maps(struct bb_sys_exit *ctx)
{
	__u64 total = 0;
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	bpf_for_each_map_elem(&buckets, sum_bucket, &total, 0);
	bpf_map_update_elem(&by_pid, &pid, &total, BPF_ANY);
	if (ctx->ret < 0)
		bpf_for_each_map_elem(&by_pid, drop_small, NULL, 0);
	return 0;
}

static int timer_fired(void *map, __u32 *key, struct timer_elem *val)
{
	val->fired++;
	return 0;
}

SEC("tc")
int arm_timer(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct timer_elem *t = bpf_map_lookup_elem(&timers, &zero);

	if (!t)
		return 0;	/* TC_ACT_OK */
	bpf_timer_init(&t->timer, &timers, 1 /* CLOCK_MONOTONIC */);
	bpf_timer_set_callback(&t->timer, timer_fired);
	bpf_timer_start(&t->timer, 1000000, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
