// SPDX-License-Identifier: GPL-2.0
/*
 * Programs in SEC("?...") sections are not loaded unless the user turns
 * autoload on. One of them would not even pass the verifier (it reads
 * past the end of its context), so loading it by mistake fails the load.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

__u64 loaded_runs;
__u64 optional_runs;

SEC("tp/syscalls/sys_enter_openat")
int always_loaded(struct bb_sys_enter_openat *ctx)
{
	loaded_runs++;
	return 0;
}

SEC("?tp/syscalls/sys_exit_openat")
int optional_exit(struct bb_sys_exit *ctx)
{
	optional_runs++;
	return 0;
}

SEC("?tp/syscalls/sys_enter_openat")
int optional_broken(struct bb_sys_enter_openat *ctx)
{
	/* out of bounds for this tracepoint record: the verifier says no */
	volatile long *past_end = (void *)ctx + 4096;

	return *past_end;
}

SEC("?socket")
int optional_socket(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
