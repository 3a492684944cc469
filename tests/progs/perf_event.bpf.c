// SPDX-License-Identifier: GPL-2.0
/*
 * A perf_event program (run on each sample of a perf event, e.g. a CPU
 * clock for profiling): reads the sample period from the context and
 * counts user+kernel stacks.
 */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

struct stack_key {
	__u32 pid;
	__s32 kstack;
	__s32 ustack;
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 64 * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct stack_key);
	__type(value, __u64);
} samples SEC(".maps");

__u64 total_period;

SEC("perf_event")
int profile(struct bpf_perf_event_data *ctx)
{
	struct stack_key key = {
		.pid = bpf_get_current_pid_tgid() >> 32,
	};
	struct bpf_perf_event_value v;
	__u64 one = 1, *cnt;

	total_period += ctx->sample_period;
	if (bpf_perf_prog_read_value(ctx, &v, sizeof(v)) == 0 && v.running == 0)
		return 0;
	key.kstack = bpf_get_stackid(ctx, &stacks, 0);
	key.ustack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	cnt = bpf_map_lookup_elem(&samples, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&samples, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
