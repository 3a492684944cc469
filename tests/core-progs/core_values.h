/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What core_values.bpf.c reads from the current task, as user space sees
 * it (tests/itest/core_values.c). Only fixed-size fields, so the BPF side
 * (vmlinux.h types) and user space (stdint) agree on the layout.
 */
#ifndef CORE_VALUES_H
#define CORE_VALUES_H

struct core_values {
	unsigned long long runs;	/* times the program ran */
	unsigned long long pid, tgid, ppid, tid_via_pid;	/* thread_pid->numbers[0].nr */
	unsigned long long btf_pid, btf_tgid;	/* direct loads on a BTF pointer */
	unsigned long long uid, euid, gid;
	unsigned long long kthread;		/* flags & PF_KTHREAD */
	unsigned long long state;		/* __state, or state before 5.14 */
	unsigned long long in_execve;		/* a bitfield */
	unsigned long long static_prio, nr_cpus_allowed;
	unsigned long long start_boottime;	/* ns, /proc/self/stat field 22 */
	unsigned long long arg_start, env_start, start_stack, brk;
	unsigned long long kversion;		/* LINUX_KERNEL_VERSION */
	char comm[16];
	char sysname[65], nodename[65], release[65];
	char pad[3];
};

#endif
