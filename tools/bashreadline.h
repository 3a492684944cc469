/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bashreadline: the event record shared by the kernel side
 * (bashreadline.bpf.c) and the user side (bashreadline.c). Types are
 * the __u32 family, which both vmlinux.h and <linux/types.h> define.
 */
#ifndef BB_TOOLS_BASHREADLINE_H
#define BB_TOOLS_BASHREADLINE_H

#define BR_COMM_LEN	16
/* bytes of a line read, its NUL included (a power of two: the BPF side
 * masks with it); libbpf-tools reads 80 */
#define BR_LINE_MAX	4096

enum br_flags {
	BR_TRUNCATED = 1,	/* the line was longer than BR_LINE_MAX - 1 */
	BR_UNREADABLE = 2,	/* its memory could not be read: no text */
};

struct br_event {
	__u64 ts;		/* CLOCK_MONOTONIC, ns */
	__s32 pid;		/* thread group id */
	__u32 uid;
	__u32 len;		/* bytes in line[], without the NUL */
	__u32 flags;		/* enum br_flags */
	char comm[BR_COMM_LEN];
	char line[BR_LINE_MAX];
};

#endif
