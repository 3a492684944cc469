// SPDX-License-Identifier: GPL-2.0
/*
 * BAD INPUT: a program in a section name no loader knows ("foo/bar"), so
 * it has no program type. libbpf opens the object but refuses to load it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 runs;

SEC("foo/bar")
int unknown_section(void *ctx)
{
	runs++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
