// SPDX-License-Identifier: GPL-2.0
/*
 * Raw tracepoints under both spellings, raw_tp/ and raw_tracepoint/. The
 * context is an array of u64 arguments; BPF_PROG names them. No BTF is
 * needed to load (unlike tp_btf/).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u64);
} syscall_counts SEC(".maps");

__u64 last_ret;
__u64 wakeups;

/* raw_syscalls/sys_enter: (struct pt_regs *regs, long id) */
SEC("raw_tp/sys_enter")
int BPF_PROG(raw_sys_enter, void *regs, long id)
{
	__u32 key = id;
	__u64 *cnt = bpf_map_lookup_elem(&syscall_counts, &key);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return 0;
}

/* raw_syscalls/sys_exit: (struct pt_regs *regs, long ret) */
SEC("raw_tracepoint/sys_exit")
int BPF_PROG(raw_sys_exit, void *regs, long ret)
{
	last_ret = ret;
	return 0;
}

/* sched_wakeup: (struct task_struct *p), read through the raw context */
SEC("raw_tp/sched_wakeup")
int raw_wakeup(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[0])
		wakeups++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
