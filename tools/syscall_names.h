/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Syscall numbers and names of the running kernel, not of a table frozen
 * at build time (syscount, the Prometheus exporter).
 *
 * How: tracefs lists one event syscalls/sys_enter_NAME per syscall the
 * kernel traces, with its event id but not its number. The number is in
 * the kernel, in each event's struct syscall_metadata. syscall_names.c
 * opens one (disabled, own-process) perf event on a sys_enter_* id; the
 * iterator syscall_names.bpf.c finds it among this process's files,
 * walks from its trace event through the kernel's list of trace events
 * and sends (syscall_nr, event id, name) of every syscall entry event.
 * Names and ids are checked against tracefs before they are taken.
 *
 * x86_64 (native) syscalls only: the kernel keeps no metadata for the
 * ia32 and x32 tables.
 */
#ifndef BB_TOOLS_SYSCALL_NAMES_H
#define BB_TOOLS_SYSCALL_NAMES_H

#define SN_NAME_LEN	64	/* "sys_" + the name, NUL-terminated */
#define SN_MAX_NR	4096	/* numbers at or above are refused */
#define SN_MAX_EVENTS	65536	/* bound on the walk of the trace events */

/* one record of the iterator per syscall entry event */
struct sn_record {
	__s32 nr;		/* syscall_metadata.syscall_nr */
	__u32 id;		/* the trace event's id (tracefs .../id) */
	char name[SN_NAME_LEN];	/* syscall_metadata.name: "sys_openat" */
};

#ifndef __bpf__
#include <stddef.h>

struct syscall_table;

/*
 * Build the table of this kernel. 0, or -errno with words in
 * bpfbox_errmsg() saying why it cannot (no tracefs syscall events, no
 * iterators, ...). Needs CAP_BPF and CAP_PERFMON.
 */
int syscall_names_load(struct syscall_table **out);
void syscall_names_free(struct syscall_table *t);

/* the name of nr ("openat"), or NULL when this kernel has none */
const char *syscall_name(const struct syscall_table *t, int nr);
/* the number of name, or -ENOENT */
int syscall_nr(const struct syscall_table *t, const char *name);
/* the syscalls, sorted by name: i in [0, syscall_names_count()); the
 * name as the ABI spells it, *kname (if given) as the kernel does
 * (fstat: "newfstat", the event sys_enter_newfstat) */
size_t syscall_names_count(const struct syscall_table *t);
const char *syscall_names_at(const struct syscall_table *t, size_t i,
			     int *nr, const char **kname);
#endif

#endif
