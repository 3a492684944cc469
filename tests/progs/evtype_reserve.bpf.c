// SPDX-License-Identifier: GPL-2.0
/*
 * Event type inference (lib/event_type.c): records reserved in a ring
 * buffer with bpf_ringbuf_reserve(&events, sizeof(*e), 0). clang puts a
 * struct used only through a local variable into no BTF at all, so the
 * unused global pointer below brings struct event in. Also: a ring
 * buffer nothing writes to, and a hash map, which carries no events.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct event {
	__u32 pid;
	__u32 old_pid;
	__u64 ts;
	char comm[BB_COMM_LEN];
};

/* for the BTF only: clang leaves out types used by locals alone */
struct event *unused_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} quiet SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(struct bb_sched_process_exec *ctx)
{
	struct event *e;
	__u32 key = 0;
	__u64 one = 1;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
		return 0;
	}
	e->pid = ctx->pid;
	e->old_pid = ctx->old_pid;
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
