// SPDX-License-Identifier: GPL-2.0
/*
 * Event type inference: bpf_perf_event_output(ctx, &opens,
 * BPF_F_CURRENT_CPU, &e, sizeof(e)) into a perf event array whose
 * declared value type is the CPU buffers' fd (__u32), which says nothing
 * about the records. Two structs of 68 bytes are in the BTF: the one
 * named like an event wins over struct counters.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

struct open_event {
	__u32 pid;
	char filename[64];
};

struct counters {
	__u32 c[17];
};

struct open_event *unused_open __attribute__((unused));
struct counters *unused_counters __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, int);
	__type(value, __u32);
} opens SEC(".maps");

SEC("tp/syscalls/sys_enter_openat")
int on_openat(struct bb_sys_enter_openat *ctx)
{
	struct open_event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_probe_read_user_str(e.filename, sizeof(e.filename), ctx->filename);
	bpf_perf_event_output(ctx, &opens, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
