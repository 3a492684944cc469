// SPDX-License-Identifier: GPL-2.0
/*
 * An object `bpfbox run` can only partly show, for its tests: a ring
 * buffer whose records have no type in BTF (hex dump, and a note), a
 * stack trace map (not printed, and a note), a socket filter and a
 * uprobe without a target (not attached, and a note), next to a
 * tracepoint program that works: it sends getpgid() callers' pids.
 */
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} raw SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 8 * sizeof(__u64));
} stacks SEC(".maps");

SEC("tp/syscalls/sys_enter_getpgid")
int odd_getpgid(void *ctx)
{
	/* 12 bytes: no struct of the object has that size */
	__u32 rec[3] = { bpf_get_current_pid_tgid() >> 32, 0xb0b0, 0xcafe };

	bpf_ringbuf_output(&raw, rec, sizeof(rec), 0);
	bpf_get_stackid(ctx, &stacks, 0);
	return 0;
}

SEC("socket")
int odd_socket(struct __sk_buff *skb)
{
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(odd_uprobe)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
