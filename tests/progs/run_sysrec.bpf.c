// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox run` tutorial program 4: a raw_syscalls/sys_enter recorder.
 * Every system call of a process whose comm is the one stored in the
 * comm_filter map records the caller's pid, gid and comm (and counts its
 * calls) in the records map, keyed by pid. While comm_filter is empty,
 * nothing is recorded: fill it while `bpfbox run` runs, e.g.
 *
 *   bpfbox map update name comm_filter key 0 0 0 0 value 0x63 0x61 0x74 \
 *       0 0 0 0 0 0 0 0 0 0 0 0 0
 *
 * (16 bytes: the comm, here "cat", NUL-padded; docs/run.md has a
 * one-liner for any comm). `bpfbox run` prints records at exit.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct comm {
	char name[BB_COMM_LEN];
};

struct record {
	__u32 pid;
	__u32 gid;
	char comm[BB_COMM_LEN];
	__u64 calls;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct comm);
} comm_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct record);
} records SEC(".maps");

static __always_inline bool same_comm(const char *a, const char *b)
{
	for (int i = 0; i < BB_COMM_LEN; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			break;
	}
	return true;
}

SEC("tp/raw_syscalls/sys_enter")
int record_sys_enter(struct bb_raw_sys_enter *ctx)
{
	struct record *r, new = {};
	struct comm *filter;
	char comm[BB_COMM_LEN];
	__u32 zero = 0, pid;

	filter = bpf_map_lookup_elem(&comm_filter, &zero);
	if (!filter || !filter->name[0])
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (!same_comm(comm, filter->name))
		return 0;
	pid = bpf_get_current_pid_tgid() >> 32;
	r = bpf_map_lookup_elem(&records, &pid);
	if (r) {
		__sync_fetch_and_add(&r->calls, 1);
		return 0;
	}
	new.pid = pid;
	new.gid = bpf_get_current_uid_gid() >> 32;
	__builtin_memcpy(new.comm, comm, sizeof(comm));
	new.calls = 1;
	bpf_map_update_elem(&records, &pid, &new, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
