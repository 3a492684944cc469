// SPDX-License-Identifier: GPL-2.0
/*
 * execsnoop, kernel side. Successful execs come from the tracepoint
 * sched/sched_process_exec: it runs in the new program with its new mm,
 * so the full argument list is read from mm->arg_start..arg_end (no
 * empty or half-read arguments, as readers at syscall entry see them).
 * Failed execs (-x) come from the syscall tracepoints of execve and
 * execveat: entry keeps the arguments per thread, exit sends them when
 * the return value is an error.
 *
 * Every filter is applied here (rodata knobs set by the user side);
 * records that do not fit in the ring are counted in `lost`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "execsnoop.h"

#define INVALID_UID ((__u32)-1)

const volatile __u32 targ_uid = INVALID_UID;
const volatile __s32 targ_ppid = 0;
const volatile bool filter_cg = false;
const volatile __u32 name_len = 0;	/* -n: 0 = no filter */
const volatile char targ_comm[ES_COMM_LEN] = {};
const volatile __u32 line_len = 0;	/* -l: 0 = no filter */
const volatile char targ_line[ES_LINE_MAX] = {};

__u64 lost = 0;		/* ring buffer reservations that failed */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* the record is built here: too big for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct es_event);
} heap SEC(".maps");

/* failed execs (-x): the arguments seen at entry, by thread id */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct es_event);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

/*
 * -n: does the comm contain targ_comm (name_len bytes, no NUL)? As
 * libbpf-tools' strstr() on the comm, but here, before the record is
 * sent. A match cannot run past the comm's NUL: targ_comm has none.
 */
static bool comm_matches(const char *comm)
{
	__u32 i, j;

	if (!name_len)
		return true;
	for (i = 0; i + name_len < ES_COMM_LEN; i++) {
		for (j = 0; j < name_len && j < ES_COMM_LEN; j++)
			if (comm[(i + j) & (ES_COMM_LEN - 1)] != targ_comm[j])
				break;
		if (j == name_len)
			return true;
		if (!comm[i])
			break;	/* the comm ends: no later start fits */
	}
	return false;
}

/* uid, cgroup and parent filters, and the fields they read */
static bool fill_task(struct es_event *e)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	e->uid = (__u32)bpf_get_current_uid_gid();
	if (targ_uid != INVALID_UID && e->uid != targ_uid)
		return false;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return false;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (targ_ppid && e->ppid != targ_ppid)
		return false;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (!comm_matches(e->comm))
		return false;
	bpf_probe_read_kernel_str(e->pcomm, sizeof(e->pcomm),
				  BPF_CORE_READ(task, real_parent, comm));
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ts = bpf_ktime_get_ns();
	return true;
}

struct line_ctx {
	__u32 len;
	bool found;
};

/*
 * -l: is targ_line at args[i]? The arguments compare as the text line
 * they print as: the NUL between two arguments matches a space.
 */
static long line_at(__u32 i, struct line_ctx *c)
{
	__u32 zero = 0, j, pos;
	struct es_event *e;
	char ch;

	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		return 1;
	for (j = 0; j < ES_LINE_MAX && j < line_len; j++) {
		pos = i + j;
		if (pos >= c->len)
			return 0;
		ch = e->args[pos & (ES_ARGS_MAX - 1)];
		if (!ch && pos + 1 < c->len)
			ch = ' ';
		if (ch != targ_line[j])
			return 0;
	}
	c->found = true;
	return 1;
}

static bool line_matches(__u32 len)
{
	struct line_ctx c = { .len = len };

	if (!line_len)
		return true;
	bpf_loop(len, line_at, &c, 0);
	return c.found;
}

static void send(struct es_event *e)
{
	__u64 size = offsetof(struct es_event, args) + e->args_size;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_ringbuf_output(&events, e, size, 0))
		__sync_fetch_and_add(&lost, 1);
}

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	unsigned long start, end;
	__u32 zero = 0, tid;
	struct es_event *e;
	__u64 len;

	/* an exec from another thread: its entry (-x) is left behind */
	tid = ctx->old_pid;
	bpf_map_delete_elem(&pending, &tid);
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e || !fill_task(e))
		return 0;
	e->type = ES_EXEC;
	e->ret = 0;
	e->old_tid = ctx->old_pid;
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	len = end > start ? end - start : 0;
	e->args_trunc = len > ES_ARGS_MAX;
	if (len > ES_ARGS_MAX)
		len = ES_ARGS_MAX;
	if (bpf_probe_read_user(e->args, len, (void *)start))
		len = 0;
	e->args_size = len;
	if (!line_matches(len))
		return 0;
	send(e);
	return 0;
}

/* failed execs: filename first, then argv[1..] (as libbpf-tools) */
static int enter_exec(const char *filename, const char *const *argv)
{
	__u32 zero = 0, tid = (__u32)bpf_get_current_pid_tgid();
	struct es_event *e;
	const char *arg;
	__u32 off = 0;
	long n;
	int i;

	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e || !fill_task(e))
		return 0;
	e->type = ES_FAIL;
	e->old_tid = tid;
	e->args_trunc = 0;
	n = bpf_probe_read_user_str(e->args, ES_FAIL_ARGLEN, filename);
	if (n > 0)
		off = n;
	for (i = 1; i < ES_FAIL_ARGS; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		if (off > ES_ARGS_MAX - ES_FAIL_ARGLEN) {
			e->args_trunc = 1;
			break;
		}
		n = bpf_probe_read_user_str(&e->args[off], ES_FAIL_ARGLEN, arg);
		if (n <= 0)
			break;
		off += n;
	}
	e->args_size = off;
	if (!line_matches(off))
		return 0;
	bpf_map_update_elem(&pending, &tid, e, BPF_ANY);
	return 0;
}

static int exit_exec(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct es_event *e;

	e = bpf_map_lookup_elem(&pending, &tid);
	if (!e)
		return 0;
	if (ret < 0) {
		e->ret = ret;
		send(e);
	}
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int enter_execve(struct syscall_trace_enter *ctx)
{
	return enter_exec((const char *)ctx->args[0],
			  (const char *const *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_execveat")
int enter_execveat(struct syscall_trace_enter *ctx)
{
	return enter_exec((const char *)ctx->args[1],
			  (const char *const *)ctx->args[2]);
}

SEC("tp/syscalls/sys_exit_execve")
int exit_execve(struct syscall_trace_exit *ctx)
{
	return exit_exec(ctx->ret);
}

SEC("tp/syscalls/sys_exit_execveat")
int exit_execveat(struct syscall_trace_exit *ctx)
{
	return exit_exec(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
