// SPDX-License-Identifier: GPL-2.0
/*
 * Global variables in every section libbpf turns into an internal array
 * map: .data, .rodata (const volatile knobs), .bss, custom .data.<name> and
 * .rodata.<name> sections, string literals (.rodata.str1.1), static and
 * global variables, arrays and structs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

/* .rodata: read-only knobs, set from user space before load */
const volatile __u32 target_pid = 0;
const volatile __u64 min_flags = 0x8000;
const volatile char prefix[8] = "/etc/";
static const volatile int verbose = 1;

/* .data: initialised, writable */
__u64 events_seen = 42;
static __u32 last_cpu = 0xffffffff;
int weights[4] = { 1, 2, 3, 5 };

/* .bss: zero-initialised */
__u64 total_flags;
static __u32 hist[16];
struct {
	__u64 opens;
	__u64 errors;
	char last_comm[BB_COMM_LEN];
} stats;

/* custom sections: one map each */
__u64 custom_counter SEC(".data.custom") = 7;
__u32 custom_table[8] SEC(".data.custom") = { 8, 7, 6, 5, 4, 3, 2, 1 };
const volatile __u32 tunable SEC(".rodata.tunables") = 100;
const volatile __u64 another_tunable SEC(".rodata.tunables") = 200;

SEC("tp/syscalls/sys_enter_openat")
int globals_enter(struct bb_sys_enter_openat *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u32 cpu = bpf_get_smp_processor_id();
	char fname[8] = {};
	int i;

	if (target_pid && pid != target_pid)
		return 0;
	events_seen++;
	last_cpu = cpu;
	total_flags |= ctx->flags;
	hist[ctx->flags & 15]++;
	stats.opens++;
	bpf_get_current_comm(stats.last_comm, sizeof(stats.last_comm));

	bpf_probe_read_user_str(fname, sizeof(fname), ctx->filename);
	for (i = 0; i < 5; i++)
		if (fname[i] != prefix[i])
			break;
	if (i == 5)
		custom_counter += weights[cpu & 3];

	if (ctx->flags & min_flags)
		custom_table[cpu & 7] += tunable + another_tunable;
	if (verbose)
		bpf_printk("openat by %u flags %lx", pid, ctx->flags);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int globals_exit(struct bb_sys_exit *ctx)
{
	if (ctx->ret < 0) {
		stats.errors++;
		if (verbose > 1)
			bpf_printk("openat failed: %ld", ctx->ret);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
