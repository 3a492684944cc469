// SPDX-License-Identifier: GPL-2.0
/*
 * exitsnoop, kernel side: the tracepoint sched/sched_process_exit runs
 * in every exiting thread. By default only the end of a whole process
 * is sent: the exit of its last thread, which is not the leader when
 * the leader ended first (pthread_exit() in main). The status sent is
 * the one wait() gives the parent: the group's exit code when the
 * process ended through exit_group() or a fatal signal, otherwise the
 * leader's own code. With -T every thread's own exit is sent.
 *
 * Every filter is applied here (rodata knobs set by the user side);
 * records that do not fit in the ring are counted in `lost`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "exitsnoop.h"

/* include/linux/sched/signal.h (a macro, so not in BTF); 4 since 2.6 */
#define SIGNAL_GROUP_EXIT	0x00000004

const volatile __s32 targ_pid = 0;
const volatile bool per_thread = false;
const volatile bool failed_only = false;
const volatile bool filter_cg = false;
const volatile __u64 min_age_ns = 0;

__u64 lost = 0;		/* ring buffer reservations that failed */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

/* the tracepoint's record on recent kernels (group_dead came in 2025);
 * CO-RE finds out whether this kernel has the field */
struct trace_event_raw_sched_process_exit___gd {
	bool group_dead;
} __attribute__((preserve_access_index));

/*
 * Is the exiting thread the last one of its process? do_exit()
 * decrements signal->live before the tracepoint; the tracepoint says
 * whether this thread took it to 0. Without the field the counter is
 * read instead: exact unless two threads of one process exit at the same
 * instant (both may then read 0).
 */
static bool group_dead(void *ctx, struct task_struct *task)
{
	struct trace_event_raw_sched_process_exit___gd *tp = ctx;

	if (bpf_core_field_exists(tp->group_dead))
		return BPF_CORE_READ(tp, group_dead);
	return BPF_CORE_READ(task, signal, live.counter) == 0;
}

/*
 * What wait() on the process reports (kernel/exit.c wait_task_zombie):
 * the group's code once SIGNAL_GROUP_EXIT is set (exit_group(), a fatal
 * signal, and since 5.19 also the last thread's own exit(), through
 * synchronize_group_exit()), else the leader's code.
 */
static __u32 process_status(struct task_struct *task)
{
	struct signal_struct *sig = BPF_CORE_READ(task, signal);

	if (BPF_CORE_READ(sig, flags) & SIGNAL_GROUP_EXIT)
		return BPF_CORE_READ(sig, group_exit_code);
	return BPF_CORE_READ(task, group_leader, exit_code);
}

static void send(const struct ex_event *e)
{
	if (bpf_ringbuf_output(&events, (void *)e, sizeof(*e), 0))
		__sync_fetch_and_add(&lost, 1);
}

SEC("tp/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *who;
	struct ex_event e = {};

	e.pid = id >> 32;
	e.tid = (__u32)id;
	if (targ_pid && e.pid != targ_pid)
		return 0;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return 0;
	if (per_thread) {
		e.scope = EX_THREAD;
		e.status = BPF_CORE_READ(task, exit_code);
		who = task;
	} else {
		if (!group_dead(ctx, task))
			return 0;
		e.scope = EX_PROCESS;
		e.status = process_status(task);
		who = BPF_CORE_READ(task, group_leader);
	}
	if (failed_only && !e.status)
		return 0;
	e.ts = bpf_ktime_get_ns();
	e.start = BPF_CORE_READ(who, start_time);
	if (min_age_ns && e.ts - e.start < min_age_ns)
		return 0;
	e.ppid = BPF_CORE_READ(who, real_parent, tgid);
	bpf_probe_read_kernel_str(e.comm, sizeof(e.comm), who->comm);
	send(&e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
