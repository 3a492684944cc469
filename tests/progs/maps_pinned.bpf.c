// SPDX-License-Identifier: GPL-2.0
/*
 * Maps pinned by name (LIBBPF_PIN_BY_NAME): the loader pins them at
 * <bpffs>/<map name> (libbpf's default pin root /sys/fs/bpf), and reuses
 * an existing pin of a compatible map instead of creating a new one.
 * Pinned maps in the test corpus are named bbpin_* so that the tests can
 * find and remove them.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} bbpin_opens SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_NONE);
} not_pinned SEC(".maps");

SEC("tp/syscalls/sys_enter_openat")
int pinned_counter(struct bb_sys_enter_openat *ctx)
{
	__u32 uid = bpf_get_current_uid_gid(), zero = 0;
	__u64 one = 1, *cnt;

	cnt = bpf_map_lookup_elem(&bbpin_opens, &uid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&bbpin_opens, &uid, &one, BPF_NOEXIST);
	cnt = bpf_map_lookup_elem(&not_pinned, &zero);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
