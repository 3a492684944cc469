// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE read of a field this kernel lacks, without a
 * bpf_core_field_exists() guard: the relocation is poisoned, the verifier
 * reaches it, and the load must fail with a message naming the access.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___bb {
	int bb_no_such_field;
} __attribute__((preserve_access_index));

u64 seen;

SEC("tp/sched/sched_process_exec")
int unguarded(void *ctx)
{
	struct task_struct___bb *t = (void *)bpf_get_current_task();

	seen = BPF_CORE_READ(t, bb_no_such_field);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
