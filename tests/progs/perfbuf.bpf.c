// SPDX-License-Identifier: GPL-2.0
/*
 * Perf buffers: a BPF_MAP_TYPE_PERF_EVENT_ARRAY without max_entries (libbpf
 * sizes it to the number of possible CPUs) and one with an explicit size,
 * written with bpf_perf_event_output from a tracepoint and from a
 * raw tracepoint.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct exec_event {
	__u32 pid;
	__u32 old_pid;
	char comm[BB_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} exec_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, int);
	__type(value, __u32);
	__uint(max_entries, 64);
} sized_events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int perf_exec(struct bb_sched_process_exec *ctx)
{
	struct exec_event e = {
		.pid = ctx->pid,
		.old_pid = ctx->old_pid,
	};

	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_perf_event_output(ctx, &exec_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

SEC("raw_tp/sched_process_fork")
int perf_fork(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	bpf_perf_event_output(ctx, &sized_events, BPF_F_CURRENT_CPU,
			      &pid_tgid, sizeof(pid_tgid));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
