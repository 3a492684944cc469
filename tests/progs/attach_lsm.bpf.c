// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF LSM program on file_open for tests/itest/attach_kinds.c: counts
 * the opens of one process (c.target_tgid) and allows every one. Kept
 * apart: kernels without bpf in lsm= or without trampolines refuse it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "attach_kinds.h"

struct bb_attach_counters c;

struct file;

/* int file_open(struct file *file), ret: the verdict so far */
SEC("lsm/file_open")
int BPF_PROG(lsm_open, struct file *file, int ret)
{
	if ((bpf_get_current_pid_tgid() >> 32) == c.target_tgid)
		__sync_fetch_and_add(&c.lsm_hits, 1);
	return ret;
}

char LICENSE[] SEC("license") = "GPL";
