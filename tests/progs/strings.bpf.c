// SPDX-License-Identifier: GPL-2.0
/*
 * Strings: string literals that clang merges into .rodata.str1.1,
 * bpf_printk with and without arguments, bpf_snprintf with a format in
 * .rodata, bpf_strncmp against a literal, reading user and kernel
 * strings.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct event {
	char line[64];
	char comm[BB_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct event);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, char[32]);
	__type(value, __u64);
} by_name SEC(".maps");

char last_path[32];
/*
 * Pointers in .data: clang emits relocations against .rodata.str1.1 in
 * .rel.data, which libbpf skips; the map keeps the bytes the compiler
 * wrote (offsets, not addresses), so the program only compares them.
 */
const char *kinds[] = { "none", "etc", "proc", "other" };
__u64 kind_tag;
const volatile char watched_comm[BB_COMM_LEN] = "bash";
__u32 matched;

static __noinline int classify(const char *path)
{
	if (bpf_strncmp(path, 5, "/etc/") == 0)
		return 1;
	if (bpf_strncmp(path, 6, "/proc/") == 0)
		return 2;
	return 3;
}

SEC("tp/syscalls/sys_enter_openat")
int open_names(struct bb_sys_enter_openat *ctx)
{
	char path[32] = {};
	__u64 one = 1, *cnt;
	__u32 zero = 0;
	struct event *e;
	int kind, i;

	if (bpf_probe_read_user_str(path, sizeof(path), ctx->filename) <= 0)
		return 0;
	kind = classify(path);
	bpf_probe_read_kernel_str(last_path, sizeof(last_path), path);

	cnt = bpf_map_lookup_elem(&by_name, path);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&by_name, path, &one, BPF_NOEXIST);

	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	for (i = 0; i < BB_COMM_LEN; i++) {
		if (e->comm[i] != watched_comm[i])
			break;
		if (!e->comm[i]) {
			matched++;
			break;
		}
	}

	{
		__u64 args[] = { (__u64)e->comm, (__u64)kind, ctx->flags };

		bpf_snprintf(e->line, sizeof(e->line), "%s opened kind %d flags %lx",
			     args, sizeof(args));
	}
	kind_tag = (__u64)kinds[kind & 3];
	bpf_printk("open by %s: kind %d", e->comm, kind);
	bpf_printk("plain message, no arguments");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
