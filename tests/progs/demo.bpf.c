// SPDX-License-Identifier: GPL-2.0
/*
 * demo: count program executions per command name.
 *
 * On every exec (tracepoint sched/sched_process_exec) the program
 *  - adds one to exec_counts[comm], a hash map user space can read, and
 *  - sends an event with the pid and the command name through a ring
 *    buffer, unless the pid is below min_pid.
 *
 * min_pid is a read-only knob (.rodata): user space may set it before the
 * object is loaded; the verifier then treats it as a constant.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define COMM_LEN 16

/* the tracepoint's record, from
 * /sys/kernel/tracing/events/sched/sched_process_exec/format */
struct exec_record {
	__u64 common;			/* type, flags, preempt count, pid */
	__u32 filename_loc;		/* __data_loc char[] */
	__s32 pid;
	__s32 old_pid;
};

struct event {
	__u32 pid;
	char comm[COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[COMM_LEN]);
	__type(value, __u64);
} exec_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

const volatile __u32 min_pid = 0;

SEC("tp/sched/sched_process_exec")
int count_execs(struct exec_record *ctx)
{
	char comm[COMM_LEN] = {};
	__u64 one = 1, *count;
	struct event *e;

	bpf_get_current_comm(comm, sizeof(comm));
	count = bpf_map_lookup_elem(&exec_counts, comm);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&exec_counts, comm, &one, BPF_NOEXIST);

	if ((__u32)ctx->pid < min_pid)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;	/* buffer full: the count above still holds */
	e->pid = ctx->pid;
	__builtin_memcpy(e->comm, comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
