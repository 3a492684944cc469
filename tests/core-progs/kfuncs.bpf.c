// SPDX-License-Identifier: GPL-2.0
/*
 * kfunc calls (__ksym functions): bpf_task_acquire/bpf_task_release
 * resolved in the kernel's BTF, and a weak kfunc the kernel lacks, whose
 * guarded call the verifier drops. libbpf appends a "dummy_ksym" VAR to
 * the object's BTF for them; bpfbox must hand the kernel the same BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bb_no_such_kfunc(int) __ksym __weak;

u32 last_pid;

SEC("tp_btf/task_newtask")
int BPF_PROG(newtask, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task);

	if (!t)
		return 0;
	last_pid = t->pid;
	if (bb_no_such_kfunc)
		bb_no_such_kfunc(1);
	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
