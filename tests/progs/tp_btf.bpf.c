// SPDX-License-Identifier: GPL-2.0
/*
 * BTF-enabled tracepoints: the loader resolves "btf_trace_<name>" in the
 * kernel's BTF and passes its id as attach_btf_id. Arguments are read from
 * the u64 context array with BPF_PROG; pointers are only passed on to
 * helpers, so no CO-RE relocation is involved.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <stdbool.h>

struct task_struct;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} switch_ts SEC(".maps");

__u64 preemptions;
__u64 execs;

/* sched_switch(bool preempt, struct task_struct *prev,
 *              struct task_struct *next, unsigned int prev_state) */
SEC("tp_btf/sched_switch")
int BPF_PROG(btf_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 now = bpf_ktime_get_ns();

	if (preempt)
		preemptions++;
	bpf_map_update_elem(&switch_ts, &cpu, &now, BPF_ANY);
	return 0;
}

/* sched_process_exec(struct task_struct *p, pid_t old_pid,
 *                    struct linux_binprm *bprm) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(btf_exec, struct task_struct *p, int old_pid)
{
	execs++;
	if (old_pid == 1)
		bpf_printk("exec from pid 1");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
