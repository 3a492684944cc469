// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE as tracing tools use it, built against a vmlinux.h: task_struct
 * walks with BPF_CORE_READ, a bitfield, field existence and size checks,
 * a flavour (struct task_struct___old) with a field this kernel lacks,
 * guarded and therefore harmless, type and enum value checks, and kconfig
 * externs. Each relocation must give the same instruction as libbpf's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct task_struct___old {
	long state;		/* renamed __state in 5.14 */
	int no_such_field;
} __attribute__((preserve_access_index));

struct event {
	u32 pid, ppid, uid, flags;
	u64 start_time, state, size, exists;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

extern u32 LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;

static __always_inline u64 task_state(struct task_struct *t)
{
	struct task_struct___old *old = (void *)t;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ(old, state);
}

SEC("tp/sched/sched_process_exec")
int core_exec(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___old *old = (void *)task;
	struct event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = BPF_CORE_READ(task, tgid);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = BPF_CORE_READ(task, real_cred, uid.val);
	e->flags = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	e->start_time = BPF_CORE_READ(task, start_time);
	e->state = task_state(task);
	e->size = bpf_core_field_size(task->comm) + bpf_core_type_size(struct mm_struct);
	e->exists = bpf_core_field_exists(old->no_such_field) * 100 +
		    bpf_core_type_exists(struct bpf_ringbuf) * 10 +
		    bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ringbuf_output) +
		    LINUX_KERNEL_VERSION + CONFIG_HZ;
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ringbuf_output))
		e->exists += bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output);
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(core_fork, struct task_struct *parent, struct task_struct *child)
{
	/* BTF pointers: direct loads, relocated by CO-RE too */
	u32 key = child->pid;
	u64 *cnt, one = 1;

	if (parent->mm && parent->mm->map_count > 1000)
		return 0;
	bpf_printk("fork %d -> %d (%s)", parent->pid, key, child->comm);
	(void)cnt, (void)one;
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(core_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct mm_struct *mm = BPF_CORE_READ(next, mm);

	if (!mm)
		return 0;
	return BPF_CORE_READ(mm, total_vm) > 1 && bpf_core_type_id_kernel(struct task_struct) > 0;
}

char LICENSE[] SEC("license") = "GPL";
