// SPDX-License-Identifier: GPL-2.0
/*
 * Event type inference where no single answer exists:
 *  - amb: 16-byte records, and two 16-byte structs in the BTF, neither
 *    named like an event: a tie, both named;
 *  - mixed: records of 8 and of 16 bytes;
 *  - dyn: a size computed at run time.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct alpha {
	__u64 a, b;
};

struct beta {
	__u32 x[4];
};

struct alpha *unused_alpha __attribute__((unused));
struct beta *unused_beta __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} amb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} mixed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} dyn SEC(".maps");

SEC("tp/sched/sched_process_exec")
int many_writers(void *ctx)
{
	struct alpha al = { .a = 1 };
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	char buf[16] = {};
	struct alpha *p;
	__u32 n;

	p = bpf_ringbuf_reserve(&amb, sizeof(*p), 0);
	if (p) {
		p->a = pid_tgid;
		p->b = 0;
		bpf_ringbuf_submit(p, 0);
	}
	bpf_ringbuf_output(&mixed, &pid_tgid, sizeof(pid_tgid), 0);
	bpf_ringbuf_output(&mixed, &al, sizeof(al), 0);
	n = bpf_get_prandom_u32() & 15;
	bpf_ringbuf_output(&dyn, buf, n, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
