/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * syscount: the counters shared by the kernel side (syscount.bpf.c) and
 * the user side (syscount.c). Types are the __u32 family, which both
 * vmlinux.h and <linux/types.h> define.
 */
#ifndef BB_TOOLS_SYSCOUNT_H
#define BB_TOOLS_SYSCOUNT_H

#define SC_COMM_LEN	16
/* keys per counter map: syscalls, or processes with -P */
#define SC_MAX_ENTRIES	10240
/* -n/--comm names held in the kernel */
#define SC_MAX_COMMS	256
/* key bit of a syscall made through the ia32 (compat) entry: its
 * number is one of the ia32 table, not of the x86_64 one */
#define SC_KEY_IA32	0x80000000u

/*
 * The counters of one key (a syscall number, or a process id with -P),
 * per CPU. uid, gid and comm (-P) are those of the key's last syscall.
 */
struct sc_value {
	__u64 count;
	__u64 total_ns;		/* -L: summed syscall latency */
	__u32 uid;
	__u32 gid;
	char comm[SC_COMM_LEN];
};

/*
 * The latency histogram (filled when the knob measure_hist is set, for
 * bpfbox export --tool syscount): one counter per key (as data0's) and
 * log2 bucket of the latency in ns, bucket 0 holding 0 and 1, bucket i
 * [2^i, 2^(i+1)), as libbpf-tools' log2l(). The member name `slot`
 * is what makes lib/hist.h take the map for a histogram keyed by index.
 */
struct sc_hist_key {
	__u32 key;		/* a syscall number, or a pid with -P */
	__u32 slot;		/* log2 of the latency in ns */
};

/* -L: when the current syscall of a thread began (task storage) */
struct sc_start {
	__u64 ts;		/* 0: none in flight that we measure */
};

#ifndef __bpf__
#include <stddef.h>
/* the embedded BPF object (tools/syscount.c, one copy in the binary),
 * for bpfbox export --tool syscount (cli/export_tool.c) */
const void *syscount_bpf_object(size_t *len);
#endif

#endif
