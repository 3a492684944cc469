// SPDX-License-Identifier: GPL-2.0
/*
 * BAD INPUT: no "license" section, while the program calls GPL-only
 * helpers (bpf_probe_read_kernel, bpf_trace_printk). The kernel refuses
 * the program: "cannot call GPL-restricted function from non-GPL
 * compatible program".
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sys_enter_openat {
	__u64 common;
	__s64 nr_and_pad;
	__s64 dfd;
	const char *filename;
};

char buf[16];

SEC("tp/syscalls/sys_enter_openat")
int no_license(struct sys_enter_openat *ctx)
{
	bpf_probe_read_kernel(buf, sizeof(buf), ctx->filename);
	bpf_printk("opened %s", buf);
	return 0;
}
