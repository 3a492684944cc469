// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox run` tutorial program 5: a latency histogram, as bcc's and
 * libbpf-tools' *lat tools keep one. clock_nanosleep() calls are timed
 * from enter to exit (start times in a hash map by thread) and counted
 * in log2 buckets of microseconds: slots[log2(usecs)] in a one-entry
 * array, which `bpfbox run` prints as a histogram in bcc's layout.
 * targ_comm (empty: every process) narrows it to one command.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

#define MAX_SLOTS 27

struct hist {
	__u32 slots[MAX_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} sleep_usecs SEC(".maps");

const volatile char targ_comm[BB_COMM_LEN] = "";

/* floor(log2(v)), 0 for 0 and 1: libbpf-tools' bits.bpf.h */
static __always_inline __u64 log2l(__u64 v)
{
	__u64 r = 0;

	for (int i = 32; i > 0; i >>= 1) {
		if (v >> i) {
			v >>= i;
			r += i;
		}
	}
	return r;
}

static __always_inline bool comm_allowed(void)
{
	char comm[BB_COMM_LEN];

	if (!targ_comm[0])
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < BB_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

SEC("tp/syscalls/sys_enter_clock_nanosleep")
int sleep_enter(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 ts = bpf_ktime_get_ns();

	if (!comm_allowed())
		return 0;
	bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("tp/syscalls/sys_exit_clock_nanosleep")
int sleep_exit(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	__u64 *tsp, slot;
	struct hist *h;
	__s64 delta;

	tsp = bpf_map_lookup_elem(&start, &tid);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&start, &tid);
	if (delta < 0)
		return 0;
	h = bpf_map_lookup_elem(&sleep_usecs, &zero);
	if (!h)
		return 0;
	slot = log2l(delta);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
