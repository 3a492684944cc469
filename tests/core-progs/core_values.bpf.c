// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE values: one raw_tp program, run with BPF_PROG_TEST_RUN in the
 * calling task, copies fields of the current task into .bss through
 * CO-RE relocations computed against the running kernel's BTF. The
 * object is built against this machine's vmlinux.h (6.18) and run on 6.1
 * and 6.12 as well (tests/vm), whose task_struct, mm_struct and cred
 * layouts differ: user space (tests/itest/core_values.c) checks each
 * value against getpid(), getppid(), prctl(PR_GET_NAME), uname(), ...
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "core_values.h"

#define PF_KTHREAD 0x00200000

/* before 5.14 the state field was "long state" */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct core_values values;

extern u32 LINUX_KERNEL_VERSION __kconfig;

static __always_inline u64 task_state(struct task_struct *t)
{
	struct task_struct___old *old = (void *)t;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ(old, state);
}

static __always_inline void read_mm(struct core_values *v, struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	if (!mm)
		return;
	v->arg_start = BPF_CORE_READ(mm, arg_start);
	v->env_start = BPF_CORE_READ(mm, env_start);
	v->start_stack = BPF_CORE_READ(mm, start_stack);
	v->brk = BPF_CORE_READ(mm, brk);
}

static __always_inline void read_uts(struct core_values *v, struct task_struct *t)
{
	struct uts_namespace *uts = BPF_CORE_READ(t, nsproxy, uts_ns);

	bpf_core_read_str(v->sysname, sizeof(v->sysname), &uts->name.sysname);
	bpf_core_read_str(v->nodename, sizeof(v->nodename), &uts->name.nodename);
	bpf_core_read_str(v->release, sizeof(v->release), &uts->name.release);
}

SEC("raw_tp")
int core_values(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct *bt = bpf_get_current_task_btf();
	struct core_values *v = &values;

	v->runs++;
	v->pid = BPF_CORE_READ(t, pid);
	v->tgid = BPF_CORE_READ(t, tgid);
	v->ppid = BPF_CORE_READ(t, real_parent, tgid);
	v->tid_via_pid = BPF_CORE_READ(t, thread_pid, numbers[0].nr);
	v->btf_pid = bt->pid;
	v->btf_tgid = bt->tgid;
	v->uid = BPF_CORE_READ(t, real_cred, uid.val);
	v->euid = BPF_CORE_READ(t, cred, euid.val);
	v->gid = BPF_CORE_READ(t, real_cred, gid.val);
	v->kthread = BPF_CORE_READ(t, flags) & PF_KTHREAD;
	v->state = task_state(t);
	v->in_execve = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	v->static_prio = BPF_CORE_READ(t, static_prio);
	v->nr_cpus_allowed = BPF_CORE_READ(t, nr_cpus_allowed);
	v->start_boottime = BPF_CORE_READ(t, start_boottime);
	v->kversion = LINUX_KERNEL_VERSION;
	BPF_CORE_READ_STR_INTO(&v->comm, t, comm);
	read_mm(v, t);
	read_uts(v, t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
