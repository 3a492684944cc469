// SPDX-License-Identifier: GPL-2.0
/*
 * A program calling a static function that lives in the program's own
 * section rather than in .text. clang resolves the call without a
 * relocation; libbpf 1.x refuses the object ("program ... is static and
 * not supported": every function of a program section is a program, and
 * subprograms must be in .text), so a compatible loader refuses it too.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

__u64 acc;

static __noinline __attribute__((section("tp/syscalls/sys_enter_openat")))
int same_section_helper(int x)
{
	return x * 3 + 1;
}

SEC("tp/syscalls/sys_enter_openat")
int calls_neighbour(struct bb_sys_enter_openat *ctx)
{
	acc += same_section_helper(ctx->flags & 0xff);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
