// SPDX-License-Identifier: GPL-2.0
/*
 * Classic tracepoints under both section spellings, tp/ and tracepoint/,
 * reading the record through hand-written structs (including a
 * __data_loc string) and the raw_syscalls group.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, __u32);		/* syscall number */
	__type(value, __u64);
} syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);		/* pid */
	__type(value, char[64]);	/* file executed */
} execs SEC(".maps");

__u64 switches;

SEC("tp/raw_syscalls/sys_enter")
int tp_sys_enter(struct bb_raw_sys_enter *ctx)
{
	__u32 nr = ctx->id;
	__u64 one = 1, *cnt;

	cnt = bpf_map_lookup_elem(&syscalls, &nr);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&syscalls, &nr, &one, BPF_NOEXIST);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int tp_exec(struct bb_sched_process_exec *ctx)
{
	char path[64] = {};
	__u32 off = ctx->filename_loc & 0xffff;
	__u32 pid = ctx->pid;

	bpf_probe_read_kernel_str(path, sizeof(path), (void *)ctx + off);
	bpf_map_update_elem(&execs, &pid, path, BPF_ANY);
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int tp_switch(struct bb_sched_switch *ctx)
{
	if (ctx->prev_pid != ctx->next_pid)
		switches++;
	if (ctx->next_comm[0] == 's' && ctx->next_comm[1] == 'h')
		bpf_printk("switch to sh, prio %d", ctx->next_prio);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int tp_exit_openat(struct bb_sys_exit *ctx)
{
	__u32 nr = ctx->__syscall_nr | 0x10000;
	__u64 one = 1;

	if (ctx->ret < 0)
		bpf_map_update_elem(&syscalls, &nr, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
