// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_names, kernel side: a task_file iterator run on our own
 * process only. Our one perf event on a syscalls:sys_enter_* tracepoint
 * (fd targ_fd, tracepoint id targ_id) leads into the kernel's list of
 * trace events:
 *
 *   file->private_data        struct perf_event (a perf event's file)
 *     ->tp_event              struct trace_event_call of that tracepoint
 *       ->list                the list of every trace event, walked here
 *
 * Every event of that list whose class is the one of our sys_enter event
 * is a syscall entry event; its ->data is the struct syscall_metadata
 * holding ->syscall_nr and ->name, sent with the event id to the ring
 * buffer. Each step is checked before the next is trusted: the fd and
 * the task must be ours, the perf event a tracepoint event with the id
 * we opened, and each metadata must point back at its event as its
 * enter event. One perf event is enough: closing a tracepoint perf event
 * waits for an RCU grace period, one per syscall would take seconds.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "syscall_names.h"

#define SN_PERF_TYPE_TRACEPOINT	2

const volatile __s32 targ_tgid = 0;
const volatile __u32 targ_fd = 0;
const volatile __u32 targ_id = 0;

__u64 lost = 0;		/* records the ring had no room for */
__u32 walked = 0;	/* events looked at; SN_MAX_EVENTS: cut short */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} records SEC(".maps");

struct walk {
	struct list_head *head;	/* our event's node: the walk's end */
	struct list_head *pos;
	struct trace_event_class *class;
};

static void send(struct trace_event_call *call)
{
	struct syscall_metadata *meta;
	struct sn_record r = {};
	const char *name;

	meta = BPF_CORE_READ(call, data);
	if (!meta || BPF_CORE_READ(meta, enter_event) != call)
		return;
	name = BPF_CORE_READ(meta, name);
	if (!name || bpf_probe_read_kernel_str(r.name, sizeof(r.name), name) <= 0)
		return;
	r.nr = BPF_CORE_READ(meta, syscall_nr);
	r.id = BPF_CORE_READ(call, event.type);
	if (bpf_ringbuf_output(&records, &r, sizeof(r), 0))
		__sync_fetch_and_add(&lost, 1);
}

static long walk_one(__u32 i, struct walk *w)
{
	struct list_head *pos = w->pos, *next;
	struct trace_event_call *call;

	walked = i + 1;
	/* (w->pos inside BPF_CORE_READ would be relocated as a kernel
	 * field: struct walk is ours) */
	next = BPF_CORE_READ(pos, next);
	if (!next || next == w->head)
		return 1;
	w->pos = next;
	call = (void *)next - bpf_core_field_offset(struct trace_event_call, list);
	if (BPF_CORE_READ(call, class) == w->class)
		send(call);
	return 0;
}

SEC("iter/task_file")
int syscall_names(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct trace_event_call *call;
	struct perf_event *ev;
	struct walk w = {};

	if (!task || !file || task->tgid != targ_tgid || ctx->fd != targ_fd)
		return 0;
	ev = BPF_CORE_READ(file, private_data);
	if (!ev || BPF_CORE_READ(ev, attr.type) != SN_PERF_TYPE_TRACEPOINT ||
	    BPF_CORE_READ(ev, attr.config) != targ_id)
		return 0;
	call = BPF_CORE_READ(ev, tp_event);
	if (!call || BPF_CORE_READ(call, event.type) != targ_id)
		return 0;
	w.class = BPF_CORE_READ(call, class);
	w.head = (void *)call + bpf_core_field_offset(struct trace_event_call, list);
	w.pos = w.head;
	send(call);
	bpf_loop(SN_MAX_EVENTS, walk_one, &w, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
