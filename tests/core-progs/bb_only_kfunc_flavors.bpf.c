// SPDX-License-Identifier: GPL-2.0
/*
 * kfunc flavours: name___suffix resolves to the kernel's "name" (libbpf
 * 1.3+; the libbpf 1.1 oracle predates them, so the diff test leaves
 * bb_only_* objects out). Two versions of a kfunc are declared weak; the
 * one whose prototype matches the kernel's resolves, the other reads as
 * absent and its guarded call is dropped by the verifier. A non-weak
 * flavoured kfunc must resolve too.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern struct task_struct *bpf_task_acquire___cur(struct task_struct *p) __ksym __weak;
extern struct task_struct *bpf_task_acquire___two(struct task_struct *p,
						  u64 flags) __ksym __weak;
extern void bpf_task_release___any(struct task_struct *p) __ksym;

u32 used_cur, used_two;

SEC("tp_btf/task_newtask")
int BPF_PROG(newtask, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = NULL;

	if (bpf_task_acquire___cur) {
		t = bpf_task_acquire___cur(task);
		used_cur = 1;
	} else if (bpf_task_acquire___two) {
		t = bpf_task_acquire___two(task, 0);
		used_two = 1;
	}
	if (t)
		bpf_task_release___any(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
