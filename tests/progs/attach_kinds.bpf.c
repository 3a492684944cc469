// SPDX-License-Identifier: GPL-2.0
/*
 * One program per attach kind that works without trampolines, for
 * tests/itest/attach_kinds.c: each counts the events of one process
 * (c.target_tgid, set by the test after load) so background noise does
 * not count. The task iterator prints "pid tgid comm" per task.
 */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <stdbool.h>
#include "attach_kinds.h"

struct bb_attach_counters c;

/* x86-64 and arm64 number getppid differently */
#if defined(__TARGET_ARCH_x86)
#define NR_getppid 110
#elif defined(__TARGET_ARCH_arm64)
#define NR_getppid 173
#else
#error "set NR_getppid for this architecture"
#endif

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == c.target_tgid;
}

SEC("tp/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&c.tp_hits, 1);
	return 0;
}

/* no target: attached by the test with bpfbox_prog_attach_to() */
SEC("tracepoint")
int tp_manual(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&c.tp_any_hits, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(raw_enter, void *regs, long id)
{
	if (mine() && id == NR_getppid)
		__sync_fetch_and_add(&c.raw_tp_hits, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_enter, void *regs, long id)
{
	if (mine() && id == NR_getppid)
		__sync_fetch_and_add(&c.tp_btf_hits, 1);
	return 0;
}

SEC("perf_event")
int sample(struct bpf_perf_event_data *ctx)
{
	if (mine())
		__sync_fetch_and_add(&c.perf_hits, 1);
	return 0;
}

SEC("socket")
int sock_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&c.sock_hits, 1);
	return skb->len;
}

struct seq_file;
struct task_struct {
	int pid;
	int tgid;
	char comm[16];
} __attribute__((preserve_access_index));

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

SEC("iter/task")
int iter_tasks_print(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;

	if (!t)
		return 0;
	c.iter_tasks++;
	BPF_SEQ_PRINTF(seq, "%d %d %s\n", t->pid, t->tgid, t->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
