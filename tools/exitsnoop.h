/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * exitsnoop: the event record shared by the kernel side (exitsnoop.bpf.c)
 * and the user side (exitsnoop.c). Types are the __u32 family, which
 * both vmlinux.h and <linux/types.h> define.
 */
#ifndef BB_TOOLS_EXITSNOOP_H
#define BB_TOOLS_EXITSNOOP_H

#define EX_COMM_LEN	16

enum ex_scope {
	EX_PROCESS = 0,		/* the last thread of a process ended */
	EX_THREAD = 1,		/* -T: one thread ended */
};

struct ex_event {
	__u64 ts;		/* exit, CLOCK_MONOTONIC ns */
	__u64 start;		/* start of the process (-T: of the thread) */
	__s32 pid;		/* thread group id */
	__s32 tid;		/* the thread that exited (the last one) */
	__s32 ppid;
	/*
	 * The status wait() reports: signal number in bits 0-6, 0x80 when
	 * a core was dumped, the exit code in bits 8-15.
	 */
	__u32 status;
	__u32 scope;		/* enum ex_scope */
	__u32 pad;
	char comm[EX_COMM_LEN];	/* the leader's (-T: the thread's) */
};

#endif
