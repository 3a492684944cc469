// SPDX-License-Identifier: GPL-2.0
/*
 * BPF-to-BPF calls. libbpf appends every subprogram a program reaches to
 * that program's instructions, so the same subprogram is copied into each
 * caller:
 *  - static __noinline functions in .text (nested: a calls b calls c);
 *  - global (non-static) functions, verified on their own by the kernel,
 *    which needs func_info for them;
 *  - subprograms shared by programs in different sections.
 * (A static function in a program's own section is refused by libbpf:
 * see static_in_prog_section.bpf.c.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

__u64 depth_sum;

static __noinline __u64 leaf_mix(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static __noinline __u64 middle(__u64 a, __u64 b)
{
	depth_sum += 2;
	return leaf_mix(a) + leaf_mix(b);
}

static __noinline int count_call(__u32 key)
{
	__u64 one = 1, *val;

	val = bpf_map_lookup_elem(&calls, &key);
	if (val) {
		__sync_fetch_and_add(val, 1);
		return 1;
	}
	bpf_map_update_elem(&calls, &key, &one, BPF_NOEXIST);
	return 0;
}

/* global function: verified independently, arguments are not trusted */
__noinline int global_clamp(int v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

struct pair {
	__u32 pid;
	__u32 flags;
};

/* global function taking a pointer: the kernel sees memory of the
 * pointee's size that may be NULL */
__noinline int global_score(struct pair *p)
{
	if (!p)
		return 0;
	return (p->flags & 0xff) + (p->pid & 1);
}

SEC("tp/syscalls/sys_enter_openat")
int sub_enter(struct bb_sys_enter_openat *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct pair p = { .pid = pid, .flags = ctx->flags };
	int f = global_score(&p);

	f = global_clamp(f, 0, 64);
	depth_sum += middle(pid, f) & 1;
	return count_call(pid);
}

SEC("tp/syscalls/sys_exit_openat")
int sub_exit(struct bb_sys_exit *ctx)
{
	__u32 key = (__u32)ctx->ret;

	/* calls the shared helpers in a different order than sub_enter */
	count_call(key);
	return global_clamp(leaf_mix(key) & 0xffff, 0, 100) > 50;
}

SEC("raw_tp/sys_enter")
int sub_raw(void *ctx)
{
	return count_call(0xffffffff);
}

char LICENSE[] SEC("license") = "GPL";
