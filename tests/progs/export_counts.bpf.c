// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox export` test program (tests/integration/export.sh): maps of
 * every shape the exporter turns into metrics, fed by syscalls the test
 * makes a known number of times.
 *   getppid_calls  hash comm -> count: a counter labelled by comm
 *   write_bytes    one-entry array, struct hist { __u64 slots[32]; }:
 *                  log2 histogram of write() sizes of targ_comm
 *   write_hist     hash { comm, slot } -> count (bcc's BPF_HISTOGRAM
 *                  with a rest of the key): one histogram per comm
 *   last_write     hash comm -> struct { size, fd }: gauges per member
 *   events         ring buffer: one record per getppid() of targ_comm,
 *                  counted by the exporter (bpfbox_export_events_total)
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

#define MAX_SLOTS 32

struct comm_key {
	char comm[BB_COMM_LEN];
};

struct hist {
	__u64 slots[MAX_SLOTS];
};

struct hist_key {
	char comm[BB_COMM_LEN];
	__u32 slot;
};

struct last {
	__u64 size;
	__s32 fd;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct comm_key);
	__type(value, __u64);
} getppid_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} write_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct hist_key);
	__type(value, __u64);
} write_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct comm_key);
	__type(value, struct last);
} last_write SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

const volatile char targ_comm[BB_COMM_LEN] = "";

/* syscalls/sys_enter_write */
struct sys_enter_write {
	struct bb_trace_entry ent;
	int __syscall_nr;
	long fd;
	const char *buf;
	long count;
};

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

static __always_inline bool is_targ(const char *comm)
{
	if (!targ_comm[0])
		return false;
	for (int i = 0; i < BB_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

SEC("tp/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	struct comm_key k = {};
	__u64 one = 1, *n;

	bpf_get_current_comm(k.comm, sizeof(k.comm));
	n = bpf_map_lookup_elem(&getppid_calls, &k);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&getppid_calls, &k, &one, BPF_NOEXIST);
	if (is_targ(k.comm))
		bpf_ringbuf_output(&events, &one, sizeof(one), 0);
	return 0;
}

SEC("tp/syscalls/sys_enter_write")
int size_write(struct sys_enter_write *ctx)
{
	struct hist_key hk = {};
	struct last l = {};
	__u32 zero = 0;
	__u64 slot, one = 1, *n;
	struct hist *h;

	bpf_get_current_comm(hk.comm, sizeof(hk.comm));
	if (!is_targ(hk.comm))
		return 0;
	slot = log2l(ctx->count);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	h = bpf_map_lookup_elem(&write_bytes, &zero);
	if (h)
		__sync_fetch_and_add(&h->slots[slot], 1);
	hk.slot = slot;
	n = bpf_map_lookup_elem(&write_hist, &hk);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&write_hist, &hk, &one, BPF_NOEXIST);
	l.size = ctx->count;
	l.fd = ctx->fd;
	bpf_map_update_elem(&last_write, hk.comm, &l, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
