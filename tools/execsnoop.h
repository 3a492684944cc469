/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * execsnoop: the event record shared by the kernel side (execsnoop.bpf.c)
 * and the user side (execsnoop.c). Types are the __u32 family, which
 * both vmlinux.h and <linux/types.h> define.
 */
#ifndef BB_TOOLS_EXECSNOOP_H
#define BB_TOOLS_EXECSNOOP_H

#define ES_COMM_LEN	16
/* the argument bytes sent per exec (arg_start..arg_end of the new mm) */
#define ES_ARGS_MAX	4096
/* a failed exec's arguments are read one by one from the caller's
 * memory at syscall entry, each up to this many bytes */
#define ES_FAIL_ARGLEN	256
#define ES_FAIL_ARGS	32
/* -l PATTERN: bytes compared in the kernel */
#define ES_LINE_MAX	64

enum es_type {
	ES_EXEC = 0,		/* sched_process_exec: a successful exec */
	ES_FAIL = 1,		/* execve/execveat returned an error (-x) */
};

struct es_event {
	__u64 ts;		/* CLOCK_MONOTONIC, ns */
	__s32 pid;		/* thread group id after the exec */
	__s32 old_tid;		/* the thread that called exec */
	__s32 ppid;
	__u32 uid;
	__s32 ret;		/* 0, or the -errno of a failed exec */
	__u32 type;		/* enum es_type */
	__u32 args_size;	/* bytes used in args[] (NUL-separated) */
	__u32 args_trunc;	/* 1: the arguments were longer */
	char comm[ES_COMM_LEN];
	char pcomm[ES_COMM_LEN];	/* the parent's comm */
	char args[ES_ARGS_MAX];
};

#endif
