// SPDX-License-Identifier: GPL-2.0
/*
 * Ring buffers: reserve/submit, reserve/discard, bpf_ringbuf_output with
 * wakeup flags, and a query. The second ring buffer's size is not a
 * multiple of the page size: libbpf rounds a ring buffer's max_entries up
 * to a power-of-two multiple of the page size before creating it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct open_event {
	__u32 pid;
	__u32 flags;
	__u64 ts;
	char comm[BB_COMM_LEN];
	char path[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 10000);	/* becomes 16384 (4 KiB pages) */
} odd_size SEC(".maps");

__u64 dropped;

SEC("tp/syscalls/sys_enter_openat")
int rb_reserve(struct bb_sys_enter_openat *ctx)
{
	struct open_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->flags = ctx->flags;
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user_str(e->path, sizeof(e->path), ctx->filename) < 0) {
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
		return 0;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int rb_output(struct bb_sys_exit *ctx)
{
	struct {
		__u32 pid;
		__s32 ret;
	} rec = {
		.pid = bpf_get_current_pid_tgid() >> 32,
		.ret = ctx->ret,
	};
	__u64 flags = 0;

	/* force a wakeup only when more than half the buffer is pending */
	if (bpf_ringbuf_query(&odd_size, BPF_RB_AVAIL_DATA) > 8192)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_output(&odd_size, &rec, sizeof(rec), flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
