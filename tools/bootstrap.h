/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bootstrap: the event record shared by the kernel side (bootstrap.bpf.c)
 * and the user side (bootstrap.c). Types are the __u32 family, which
 * both vmlinux.h and <linux/types.h> define.
 */
#ifndef BB_TOOLS_BOOTSTRAP_H
#define BB_TOOLS_BOOTSTRAP_H

#define BS_COMM_LEN	16
/* the exec's file name as the kernel saw it (bprm->filename) */
#define BS_FILENAME_MAX	4096

enum bs_type {
	BS_EXEC = 0,		/* sched_process_exec */
	BS_EXIT = 1,		/* sched_process_exit of a leader thread */
};

struct bs_event {
	__u64 ts;		/* CLOCK_MONOTONIC, ns */
	__u64 duration_ns;	/* exit: since the exec, 0 when unknown */
	__s32 pid;
	__s32 ppid;
	/* exit: the wait() status of the leader (code << 8 | signal) */
	__u32 status;
	__u32 type;		/* enum bs_type */
	__u32 filename_size;	/* exec: bytes in filename[] with the NUL */
	__u32 pad;
	char comm[BS_COMM_LEN];
	char filename[BS_FILENAME_MAX];
};

#endif
