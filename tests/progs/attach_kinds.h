/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .bss of the attach_*.bpf.c test programs, shared with
 * tests/itest/attach_kinds.c: the process to count (set by the test
 * after load) and one counter per attach kind. It is the only .bss
 * variable, so it sits at offset 0 of the .bss map's value.
 */
#ifndef BB_ATTACH_KINDS_H
#define BB_ATTACH_KINDS_H

#include <linux/types.h>

struct bb_attach_counters {
	__u32 target_tgid;
	__u32 pad;
	__u64 tp_hits;		/* tp/syscalls/sys_enter_getppid */
	__u64 tp_any_hits;	/* SEC("tracepoint"), attached by hand */
	__u64 raw_tp_hits;	/* raw_tp/sys_enter, getppid only */
	__u64 tp_btf_hits;	/* tp_btf/sys_enter, getppid only */
	__u64 perf_hits;	/* perf_event samples of target_tgid */
	__u64 sock_hits;	/* packets seen by the socket filter */
	__u64 iter_tasks;	/* tasks the iterator walked */
	__u64 fentry_hits;	/* fentry/do_unlinkat */
	__u64 fexit_hits;	/* fexit/do_unlinkat */
	__s64 fexit_ret;
	__u64 lsm_hits;		/* lsm/file_open */
};

#endif
