// SPDX-License-Identifier: GPL-2.0
/*
 * Loops: bounded loops the verifier walks (unrolling disabled), loops the
 * compiler unrolls, a while loop with a data-dependent bound, and a loop
 * whose body is a bpf_loop callback.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

#define NBUCKETS 32

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[NBUCKETS]);
} log2_hist SEC(".maps");

__u64 checksum;
__u32 steps;

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	/* bounded, not unrolled: the verifier checks every iteration */
#pragma clang loop unroll(disable)
	for (int i = 0; i < 64 && v > 1; i++) {
		v >>= 1;
		r++;
	}
	return r;
}

static int collatz_step(__u32 i, void *data)
{
	__u64 *n = data;

	if (*n <= 1)
		return 1;	/* stop */
	*n = (*n & 1) ? 3 * *n + 1 : *n / 2;
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int loop_hist(struct bb_sys_enter_openat *ctx)
{
	__u32 zero = 0, slot;
	__u64 *hist, n;
	char name[16];
	int i;

	hist = bpf_map_lookup_elem(&log2_hist, &zero);
	if (!hist)
		return 0;
	slot = log2_u64(bpf_ktime_get_ns() & 0xffffffff);
	if (slot < NBUCKETS)
		hist[slot]++;

	/* unrolled by the compiler */
	if (bpf_probe_read_user_str(name, sizeof(name), ctx->filename) > 0) {
#pragma unroll
		for (i = 0; i < 8; i++)
			checksum = checksum * 31 + name[i];
	}

	/* while with a bound the verifier can see */
	n = ctx->flags | 0x100;
	i = 0;
	while (!(n & 1) && i < 16) {
		n >>= 1;
		i++;
	}
	steps += i;

	/* the same walk as a bpf_loop callback: no verifier-visible bound */
	n = ctx->mode + 7;
	steps += bpf_loop(1000, collatz_step, &n, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
