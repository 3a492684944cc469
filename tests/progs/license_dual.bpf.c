// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * A GPL-compatible license spelled "Dual BSD/GPL": GPL-only helpers
 * (bpf_probe_read_kernel, bpf_trace_printk) are allowed.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

char first_byte;

SEC("tp/syscalls/sys_enter_openat")
int dual_licensed(struct bb_sys_enter_openat *ctx)
{
	const char *name = ctx->filename;

	bpf_probe_read_kernel(&first_byte, 1, &name);
	bpf_printk("dual licensed program ran");
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
