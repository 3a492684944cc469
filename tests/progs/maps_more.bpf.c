// SPDX-License-Identifier: GPL-2.0
/*
 * The less common map kinds: LPM trie (needs BPF_F_NO_PREALLOC), queue
 * and stack (no key), bloom filter (map_extra = number of hashes), stack
 * trace, and task-local storage.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct lpm_v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__type(key, struct lpm_v4_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 64);
	__type(value, __u64);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 32);
	__uint(value_size, sizeof(__u32));
} lifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1000);
	__type(value, __u32);
	__uint(map_extra, 5);
} seen_pids SEC(".maps");

#define MAX_DEPTH 32
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 128);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct task_stat {
	__u64 opens;
	__s64 last_stack;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_stat);
} task_stats SEC(".maps");

SEC("tp/syscalls/sys_enter_openat")
int more_maps(struct bb_sys_enter_openat *ctx)
{
	struct lpm_v4_key key = { .prefixlen = 32 };
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 stamp = bpf_ktime_get_ns();
	struct task_stat *ts;
	__u32 *hit, top;

	__builtin_memcpy(key.addr, &pid, sizeof(key.addr));
	hit = bpf_map_lookup_elem(&prefixes, &key);
	if (hit)
		__sync_fetch_and_add(hit, 1);

	if (bpf_map_peek_elem(&seen_pids, &pid) != 0)
		bpf_map_push_elem(&seen_pids, &pid, BPF_ANY);

	bpf_map_push_elem(&fifo, &stamp, BPF_EXIST);
	bpf_map_push_elem(&lifo, &pid, BPF_ANY);
	if (ctx->flags & 1)
		bpf_map_pop_elem(&lifo, &top);

	ts = bpf_task_storage_get(&task_stats, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return 0;
	ts->opens++;
	ts->last_stack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int drain(struct bb_sys_exit *ctx)
{
	__u64 stamp;

	if (bpf_map_pop_elem(&fifo, &stamp) == 0 && ctx->ret >= 0)
		bpf_task_storage_delete(&task_stats, bpf_get_current_task_btf());
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
