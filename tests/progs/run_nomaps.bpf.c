// SPDX-License-Identifier: GPL-2.0
/* A program with no maps, no globals and no bpf_printk: `bpfbox run`
 * attaches it and says there is nothing to show. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_getpgid")
int nomaps_getpgid(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
