// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox run` tutorial program 3, after the classic "opensnoop"
 * lessons: every openat() sends the caller's pid, comm and the file
 * name through a perf event array (bpf_perf_event_output). The knob
 * pid_target (0: every process) narrows it to one process.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

#define NAME_MAX 255

struct event {
	int pid;
	char comm[BB_COMM_LEN];
	char filename[NAME_MAX];
};

/* puts struct event into BTF (see run_bootstrap.bpf.c) */
struct event *unused_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

const volatile int pid_target = 0;

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(struct bb_sys_enter_openat *ctx)
{
	struct event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	if (pid_target && e.pid != pid_target)
		return 0;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(e.filename, sizeof(e.filename), ctx->filename);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
