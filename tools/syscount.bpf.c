// SPDX-License-Identifier: GPL-2.0
/*
 * syscount, kernel side: counts (and with -L sums the latency of)
 * syscalls at raw_syscalls:sys_exit, keyed by syscall number or, with
 * -P, by process. Nothing is sent per event: the counters live in two
 * per-CPU hash maps, data0 and data1, of which `which` names the one
 * being filled. The user side flips `which`, waits for an RCU grace
 * period (every program that saw the old value has then finished) and
 * drains the other map undisturbed, so no count falls between two
 * intervals.
 *
 * Every filter is applied here (rodata knobs and the comms map, which
 * the user side may change while the programs run). Syscalls that find
 * no room in a full map are counted in `dropped`.
 *
 * With measure_hist (and measure_latency) the latencies also go into a
 * log2 histogram, latency_hist, for bpfbox export --tool syscount,
 * which reads data0 and latency_hist as they grow and never flips
 * `which`. The tool leaves it off and pays nothing for it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "syscount.h"

#define TS_COMPAT	0x0002	/* x86: in an ia32 syscall */

const volatile __s32 targ_tgid = 0;
const volatile __s32 targ_tid = 0;
const volatile __s64 targ_key = -1;	/* --syscall: only this key */
const volatile bool filter_failed = false;
const volatile __s32 filter_errno = 0;
const volatile bool measure_latency = false;
const volatile bool measure_hist = false;	/* fill latency_hist */
const volatile bool by_process = false;
const volatile bool filter_cg = false;
const volatile bool filter_comm = false;

__u32 which = 0;	/* 0: data0 counts now, 1: data1 */
__u64 dropped = 0;	/* syscalls not counted: map full */
__u64 hist_dropped = 0;	/* latencies not in latency_hist: map full */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SC_MAX_ENTRIES);
	__type(key, __u32);
	__type(value, struct sc_value);
} data0 SEC(".maps"), data1 SEC(".maps");

/*
 * measure_hist: syscalls per key and log2(latency in ns). Not
 * preallocated: the tool, which leaves it empty, allocates nothing.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SC_MAX_ENTRIES);
	__type(key, struct sc_hist_key);
	__type(value, __u64);
} latency_hist SEC(".maps");

/* -L: start of the current syscall, per thread; freed with the task */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sc_start);
} start SEC(".maps");

/* -n/--comm: the comms to count (zero-padded, as the kernel keeps them) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_MAX_COMMS);
	__type(key, char[SC_COMM_LEN]);
	__type(value, __u8);
} comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

/* the syscall number, marked when it came through the ia32 entry */
static __u32 syscall_key(struct task_struct *task, long id)
{
	__u32 key = id;

	if (bpf_core_field_exists(task->thread_info.status) &&
	    (task->thread_info.status & TS_COMPAT))
		key |= SC_KEY_IA32;
	return key;
}

static bool task_passes(__u64 pid_tgid)
{
	char comm[SC_COMM_LEN] = {};

	if (targ_tgid && (__s32)(pid_tgid >> 32) != targ_tgid)
		return false;
	if (targ_tid && (__s32)pid_tgid != targ_tid)
		return false;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return false;
	if (filter_comm) {
		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&comms, comm))
			return false;
	}
	return true;
}

static bool key_passes(__u32 key)
{
	return targ_key < 0 || key == targ_key;
}

SEC("raw_tp/sys_enter")
int syscount_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long id = ctx->args[1];
	struct sc_start *s;
	bool pass;

	pass = id >= 0 && key_passes(syscall_key(task, id)) &&
	       task_passes(bpf_get_current_pid_tgid());
	/* a start left by a syscall not measured must not be taken for
	 * this one's: set it, or clear it if there is one */
	s = bpf_task_storage_get(&start, task, 0,
				 pass ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (s)
		s->ts = pass ? bpf_ktime_get_ns() : 0;
	return 0;
}

static struct sc_value *slot(void *map, __u32 key)
{
	struct sc_value zero = {}, *v;

	v = bpf_map_lookup_elem(map, &key);
	if (v)
		return v;
	bpf_map_update_elem(map, &key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, &key);
}

static void count(__u32 key, __u64 delta)
{
	struct sc_value *v;
	__u64 ugid;

	if (*(volatile __u32 *)&which)
		v = slot(&data1, key);
	else
		v = slot(&data0, key);
	if (!v) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	__sync_fetch_and_add(&v->count, 1);
	if (delta)
		__sync_fetch_and_add(&v->total_ns, delta);
	if (by_process) {
		ugid = bpf_get_current_uid_gid();
		v->uid = (__u32)ugid;
		v->gid = ugid >> 32;
		bpf_get_current_comm(v->comm, sizeof(v->comm));
	}
}

/* floor(log2(v)), 0 for 0 (libbpf-tools' bits.bpf.h, branch-free) */
static __u32 log2_32(__u32 v)
{
	__u32 shift, r;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static __u32 log2l(__u64 v)
{
	__u32 hi = v >> 32;

	return hi ? log2_32(hi) + 32 : log2_32(v);
}

/* one more syscall of key in the bucket of its latency */
static void hist_add(__u32 key, __u64 delta)
{
	struct sc_hist_key hk = { .key = key, .slot = log2l(delta) };
	__u64 zero = 0, *c;

	c = bpf_map_lookup_elem(&latency_hist, &hk);
	if (!c) {
		/* per CPU: another CPU may create it first, then this
		 * update fails and the lookup finds this CPU's counter */
		bpf_map_update_elem(&latency_hist, &hk, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&latency_hist, &hk);
	}
	if (c)
		__sync_fetch_and_add(c, 1);
	else
		__sync_fetch_and_add(&hist_dropped, 1);
}

/* -L: the time since this thread's syscall began; 0 when not measured */
static __u64 take_latency(struct task_struct *task, bool *measured)
{
	struct sc_start *s;
	__u64 ts;

	s = bpf_task_storage_get(&start, task, 0, 0);
	if (!s || !s->ts) {
		*measured = false;
		return 0;
	}
	ts = s->ts;
	s->ts = 0;
	*measured = true;
	return bpf_ktime_get_ns() - ts;
}

SEC("raw_tp/sys_exit")
int syscount_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	long ret = ctx->args[1], id;
	bool measured = true;
	__u64 delta = 0;
	__u32 key;

	if (measure_latency)
		delta = take_latency(task, &measured);
	id = BPF_CORE_READ(regs, orig_ax);
	if (id < 0 || !measured)
		return 0;
	key = syscall_key(task, id);
	if (!key_passes(key))
		return 0;
	if (filter_failed && ret >= 0)
		return 0;
	if (filter_errno && ret != -filter_errno)
		return 0;
	if (!task_passes(pid_tgid))
		return 0;
	key = by_process ? (__u32)(pid_tgid >> 32) : key;
	count(key, delta);
	if (measure_latency && measure_hist)
		hist_add(key, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
