// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox run` tutorial program 2, after libbpf-bootstrap's "bootstrap":
 * process exec and exit. sched_process_exec keeps the exec time of each
 * pid in a hash map and sends an exec record through a ring buffer;
 * sched_process_exit sends an exit record with the process's duration
 * and exit code, unless it ran shorter than the min_duration_ns knob
 * (a .rodata constant: `bpfbox run run_bootstrap.bpf.o --min_duration_ns
 * 1000000`). With a minimum set, exec records are not sent, as in the
 * original.
 *
 * The parent's pid and the exit code come from task_struct through
 * CO-RE (a local, partial task_struct: no vmlinux.h), so this object
 * needs the kernel's BTF; the tracepoint records need none.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "bb_tp.h"

#define TASK_COMM_LEN 16
#define MAX_FILENAME_LEN 127

typedef int pid_t;

struct task_struct {
	int exit_code;
	int tgid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct event {
	int pid;
	int ppid;
	unsigned int exit_code;
	unsigned long long duration_ns;
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	bool exit_event;
};

/*
 * clang puts a struct into BTF only when a global, a map or a function
 * signature uses it; this unused pointer makes `struct event` part of
 * the object's description, so the ring buffer's records decode by name
 * (the eunomia-bpf tutorials carry the same line for the same reason).
 */
struct event *unused_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, pid_t);
	__type(value, __u64);
} exec_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

const volatile unsigned long long min_duration_ns = 0;

SEC("tp/sched/sched_process_exec")
int handle_exec(struct bb_sched_process_exec *ctx)
{
	struct task_struct *task;
	unsigned int fname_off;
	struct event *e;
	pid_t pid;
	__u64 ts;

	/* remember the time the process exec()ed */
	pid = bpf_get_current_pid_tgid() >> 32;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&exec_start, &pid, &ts, BPF_ANY);

	/* with a minimum duration, only exits are reported */
	if (min_duration_ns)
		return 0;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	e->exit_event = false;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	e->duration_ns = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	fname_off = ctx->filename_loc & 0xFFFF;
	bpf_probe_read_str(&e->filename, sizeof(e->filename),
			   (void *)ctx + fname_off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	struct task_struct *task;
	__u64 id, *start_ts, duration_ns = 0;
	struct event *e;
	pid_t pid, tid;

	/* only the exit of a whole process, not of one of its threads */
	id = bpf_get_current_pid_tgid();
	pid = id >> 32;
	tid = (__u32)id;
	if (pid != tid)
		return 0;

	start_ts = bpf_map_lookup_elem(&exec_start, &pid);
	if (start_ts)
		duration_ns = bpf_ktime_get_ns() - *start_ts;
	else if (min_duration_ns)
		return 0;
	bpf_map_delete_elem(&exec_start, &pid);
	if (min_duration_ns && duration_ns < min_duration_ns)
		return 0;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	e->exit_event = true;
	e->duration_ns = duration_ns;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	e->filename[0] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
