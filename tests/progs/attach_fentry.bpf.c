// SPDX-License-Identifier: GPL-2.0
/*
 * fentry/fexit on do_unlinkat (unlink(2), unlinkat(2)) for
 * tests/itest/attach_kinds.c, counting one process (c.target_tgid). Kept
 * apart: kernels without BPF trampolines refuse these programs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <stdbool.h>

#include "attach_kinds.h"

struct bb_attach_counters c;

struct filename;

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == c.target_tgid;
}

/* int do_unlinkat(int dfd, struct filename *name) */
SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_entry, int dfd, struct filename *name)
{
	if (mine())
		__sync_fetch_and_add(&c.fentry_hits, 1);
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_exit, int dfd, struct filename *name, int ret)
{
	if (mine()) {
		c.fexit_ret = ret;
		__sync_fetch_and_add(&c.fexit_hits, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
