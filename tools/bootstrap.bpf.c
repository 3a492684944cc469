// SPDX-License-Identifier: GPL-2.0
/*
 * bootstrap, kernel side: libbpf-bootstrap's example. sched_process_exec
 * records when each process started its program (exec_start, by pid)
 * and sends the exec; sched_process_exit of a thread-group leader sends
 * the exit with the time since that exec.
 *
 * -d: exits of processes that ran shorter (or whose exec was not seen)
 * are dropped here and counted in `short_exits`, and no exec is sent,
 * as in the original. Records that do not fit in the ring are counted
 * in `lost`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "bootstrap.h"

const volatile __u64 min_duration_ns = 0;
const volatile bool filter_cg = false;

__u64 lost = 0;		/* ring buffer reservations that failed */
__u64 short_exits = 0;	/* -d: exits not sent */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* LRU: a process whose exit was never seen cannot fill it for good */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __s32);
	__type(value, __u64);
} exec_start SEC(".maps");

/* the record is built here: too big for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bs_event);
} heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

static void send(struct bs_event *e, __u64 size)
{
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_ringbuf_output(&events, e, size, 0))
		__sync_fetch_and_add(&lost, 1);
}

static struct bs_event *new_event(struct task_struct *task, __s32 pid,
				  __u64 now)
{
	__u32 zero = 0;
	struct bs_event *e;

	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		return NULL;
	e->ts = now;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->duration_ns = 0;
	e->status = 0;
	e->filename_size = 0;
	return e;
}

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__s32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 now = bpf_ktime_get_ns();
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	struct bs_event *e;
	long n;

	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return 0;
	bpf_map_update_elem(&exec_start, &pid, &now, BPF_ANY);
	if (min_duration_ns)
		return 0;
	e = new_event(task, pid, now);
	if (!e)
		return 0;
	e->type = BS_EXEC;
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
				      (void *)ctx + off);
	if (n < 0)
		n = 0;
	e->filename_size = n;
	send(e, offsetof(struct bs_event, filename) + (__u32)n);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid(), now, dur = 0, *start;
	__s32 pid = id >> 32;
	struct bs_event *e;

	/* threads other than the leader: not a process exit */
	if (pid != (__s32)id)
		return 0;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return 0;
	now = bpf_ktime_get_ns();
	start = bpf_map_lookup_elem(&exec_start, &pid);
	if (start)
		dur = now - *start;
	bpf_map_delete_elem(&exec_start, &pid);
	if (min_duration_ns && (!start || dur < min_duration_ns)) {
		__sync_fetch_and_add(&short_exits, 1);
		return 0;
	}
	e = new_event(task, pid, now);
	if (!e)
		return 0;
	e->type = BS_EXIT;
	e->duration_ns = dur;
	e->status = BPF_CORE_READ(task, exit_code);
	send(e, offsetof(struct bs_event, filename));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
