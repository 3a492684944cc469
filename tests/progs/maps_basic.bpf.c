// SPDX-License-Identifier: GPL-2.0
/*
 * BTF-defined maps of the plain kinds: hash, array, their per-CPU and LRU
 * variants. Keys and values are given both as types (__type) and as sizes
 * (__uint(key_size, ...)); map_flags and numa_node are set on some.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct key_t {
	__u32 pid;
	__u32 cpu;
};

struct val_t {
	__u64 count;
	__u64 last_flags;
	char comm[BB_COMM_LEN];
};

/* key and value as types */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct key_t);
	__type(value, struct val_t);
} by_task SEC(".maps");

/* key and value as sizes: no BTF types for key and value */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sized_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* an array with value given as a size and an explicit NUMA node */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, 4);
	__uint(value_size, 24);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
} numa_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct val_t);
} percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 512);
	__type(key, __u64);
	__type(value, __u32);
} lru_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
} lru_percpu_hash SEC(".maps");

/* a map name longer than the kernel's 15 characters */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u32);
	__uint(map_flags, BPF_F_ZERO_SEED);
} a_map_with_a_rather_long_name SEC(".maps");

SEC("tp/syscalls/sys_enter_openat")
int count_openat(struct bb_sys_enter_openat *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct key_t key = {
		.pid = pid_tgid >> 32,
		.cpu = bpf_get_smp_processor_id(),
	};
	struct val_t zero = {}, *val;
	__u32 idx = key.cpu & 15, tid = (__u32)pid_tgid, one = 1;
	__u64 *cnt, init = 1;

	val = bpf_map_lookup_elem(&by_task, &key);
	if (!val) {
		bpf_get_current_comm(zero.comm, sizeof(zero.comm));
		bpf_map_update_elem(&by_task, &key, &zero, BPF_NOEXIST);
		val = bpf_map_lookup_elem(&by_task, &key);
		if (!val)
			return 0;
	}
	__sync_fetch_and_add(&val->count, 1);
	val->last_flags = ctx->flags;

	cnt = bpf_map_lookup_elem(&counters, &idx);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);

	cnt = bpf_map_lookup_elem(&sized_hash, &tid);
	if (cnt)
		(*cnt)++;
	else
		bpf_map_update_elem(&sized_hash, &tid, &init, BPF_ANY);

	cnt = bpf_map_lookup_elem(&percpu_hash, &key.pid);
	if (cnt)
		(*cnt)++;
	else
		bpf_map_update_elem(&percpu_hash, &key.pid, &init, BPF_NOEXIST);

	val = bpf_map_lookup_elem(&percpu_array, &idx);
	if (val && idx < 8) {
		val->count++;
		val->last_flags = ctx->mode;
	}

	bpf_map_update_elem(&lru_hash, &pid_tgid, &one, BPF_ANY);
	cnt = bpf_map_lookup_elem(&lru_percpu_hash, &key.pid);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&lru_percpu_hash, &key.pid, &init, BPF_ANY);

	__u8 *slot = bpf_map_lookup_elem(&numa_array, &idx);
	if (slot)
		slot[0] = (__u8)ctx->dfd;

	bpf_map_update_elem(&a_map_with_a_rather_long_name, &tid, &one, BPF_ANY);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int forget_openat(struct bb_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (ctx->ret < 0)
		bpf_map_delete_elem(&sized_hash, &tid);
	bpf_map_delete_elem(&a_map_with_a_rather_long_name, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
