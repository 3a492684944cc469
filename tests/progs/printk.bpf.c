// SPDX-License-Identifier: GPL-2.0
/*
 * One tracepoint program for the attach, link and tracelog tests: it
 * counts getpgid() calls in a one-slot array (read back with
 * `map dump`) and prints a marker line with bpf_printk (read back with
 * `tracelog`). `perl -e getpgrp` makes exactly one such call.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} getpgid_calls SEC(".maps");

SEC("tp/syscalls/sys_enter_getpgid")
int count_getpgid(void *ctx)
{
	__u32 key = 0;
	__u64 *cnt = bpf_map_lookup_elem(&getpgid_calls, &key);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	bpf_printk("bpfbox-printk-marker pid %d",
		   (int)(bpf_get_current_pid_tgid() >> 32));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
