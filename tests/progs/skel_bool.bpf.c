// SPDX-License-Identifier: GPL-2.0
/*
 * A global typed with vmlinux.h's "typedef _Bool bool;": the skeleton of
 * this object must compile in a user program, where <stdbool.h> has made
 * bool a macro (tests/integration/gen_skeleton.sh).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef _Bool bool;

const volatile bool trace_all = 1;
struct {
	bool seen;
	int count;
} tally;

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	if (!trace_all)
		return 0;
	tally.seen = 1;
	__sync_fetch_and_add(&tally.count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
