// SPDX-License-Identifier: GPL-2.0
/*
 * A kfunc declared with a prototype the kernel's does not match: the
 * load must fail before the verifier, naming the extern and saying what
 * differs (libbpf refuses it too: "func_proto incompatible").
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p,
					    u64 bogus) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("tp_btf/task_newtask")
int BPF_PROG(newtask, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task, 1);

	if (t)
		bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
