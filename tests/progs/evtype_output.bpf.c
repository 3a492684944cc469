// SPDX-License-Identifier: GPL-2.0
/*
 * Event type inference: a record built on the stack and copied with
 * bpf_ringbuf_output(&exits, &r, sizeof(r), 0). struct exit_rec reaches
 * the BTF through the signature of a subprogram; the program's context,
 * struct bb_sys_exit, has the same size (24 bytes) and must not be
 * taken for the record.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct exit_rec {
	__u32 pid;
	__s32 ret;
	__u64 ts;
	__u64 dur_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} exits SEC(".maps");

static __attribute__((noinline)) int fill(struct exit_rec *r, long ret)
{
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->ret = ret;
	r->ts = bpf_ktime_get_ns();
	r->dur_ns = 0;
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int on_exit_openat(struct bb_sys_exit *ctx)
{
	struct exit_rec r = {};

	fill(&r, ctx->ret);
	bpf_ringbuf_output(&exits, &r, sizeof(r), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
