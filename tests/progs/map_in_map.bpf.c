// SPDX-License-Identifier: GPL-2.0
/*
 * Maps of maps. The inner map's shape is given with __array(values, ...);
 * the outer maps are statically initialised with .values = { ... }, which
 * libbpf fills in after creating the maps (slot 0 and 2 of the array, key
 * 3 of the hash). A second inner definition shows an inner map that is not
 * itself a map of the object.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct inner_hash {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner_hash per_user SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_hash);
} outer_hash SEC(".maps") = {
	.values = { [3] = &per_user },
};

/* an outer map with an inner definition only: no slot filled at load */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 8);
		__type(key, __u64);
		__type(value, __u64);
	});
} outer_empty SEC(".maps");

SEC("tp/syscalls/sys_enter_openat")
int use_inner(struct bb_sys_enter_openat *ctx)
{
	__u32 slot = ctx->flags & 3, idx = 1, uid_key = 3, uid;
	__u64 *cnt, k = 7;
	void *inner;

	inner = bpf_map_lookup_elem(&outer_array, &slot);
	if (inner) {
		cnt = bpf_map_lookup_elem(inner, &idx);
		if (cnt)
			__sync_fetch_and_add(cnt, 1);
	}

	uid = bpf_get_current_uid_gid();
	inner = bpf_map_lookup_elem(&outer_hash, &uid_key);
	if (inner) {
		__u32 one = 1;
		bpf_map_update_elem(inner, &uid, &one, BPF_ANY);
	}

	inner = bpf_map_lookup_elem(&outer_empty, &idx);
	if (inner) {
		cnt = bpf_map_lookup_elem(inner, &k);
		if (cnt)
			(*cnt)++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
