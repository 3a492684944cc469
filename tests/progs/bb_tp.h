/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint record layouts for the test programs, written by hand from
 * /sys/kernel/tracing/events/<group>/<event>/format so that the corpus
 * needs no vmlinux.h and no CO-RE relocations.
 */
#ifndef BB_TP_H
#define BB_TP_H

struct bb_trace_entry {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
};

/* syscalls/sys_enter_openat */
struct bb_sys_enter_openat {
	struct bb_trace_entry ent;
	int __syscall_nr;
	long dfd;			/* offset 16 */
	const char *filename;		/* offset 24 */
	long flags;			/* offset 32 */
	long mode;			/* offset 40 */
};

/* syscalls/sys_exit_openat (and every sys_exit_*) */
struct bb_sys_exit {
	struct bb_trace_entry ent;
	int __syscall_nr;
	long ret;			/* offset 16 */
};

/* sched/sched_process_exec */
struct bb_sched_process_exec {
	struct bb_trace_entry ent;
	unsigned int filename_loc;	/* __data_loc char[]: len << 16 | off */
	int pid;
	int old_pid;
};

#define BB_COMM_LEN 16

/* sched/sched_switch */
struct bb_sched_switch {
	struct bb_trace_entry ent;
	char prev_comm[BB_COMM_LEN];
	int prev_pid;
	int prev_prio;
	long prev_state;
	char next_comm[BB_COMM_LEN];
	int next_pid;
	int next_prio;
};

/* raw_syscalls/sys_enter */
struct bb_raw_sys_enter {
	struct bb_trace_entry ent;
	long id;
	unsigned long args[6];
};

#endif
