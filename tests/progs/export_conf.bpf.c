// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox export --config` test program (tests/integration/export_conf.sh):
 * keys holding what the label decoders turn into names.
 *   sys_results  hash { nr, err, cgroup, fn } -> count, at every syscall
 *                exit of targ_tgid: the syscall number (decoder syscall),
 *                the errno of a failed call (errno), the cgroup v2 id
 *                (cgroup), and a kernel address: do_sys_openat2 for
 *                open calls, 0x10 into it for the others (ksym)
 *   ret_hist     hash { nr, slot } -> count: one bucket per syscall (3
 *                for getppid, 5 for others), to check the config's
 *                bucket kind (log2 by default, linear when told)
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

#define NR_GETPPID	110
#define NR_OPENAT	257

extern const void do_sys_openat2 __ksym;

struct sys_key {
	__u32 nr;
	__s32 err;
	__u64 cgroup;
	__u64 fn;
};

struct hist_key {
	__u32 nr;
	__u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct sys_key);
	__type(value, __u64);
} sys_results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hist_key);
	__type(value, __u64);
} ret_hist SEC(".maps");

const volatile __u32 targ_tgid = 0;

/* raw_syscalls/sys_exit */
struct raw_sys_exit {
	struct bb_trace_entry ent;
	long id;
	long ret;
};

static __always_inline void bump(void *map, const void *key)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(map, key);

	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
}

SEC("tp/raw_syscalls/sys_exit")
int count_exit(struct raw_sys_exit *ctx)
{
	struct sys_key k = {};
	struct hist_key hk = {};

	if (!targ_tgid || bpf_get_current_pid_tgid() >> 32 != targ_tgid)
		return 0;
	k.nr = ctx->id;
	k.err = ctx->ret < 0 && ctx->ret >= -4095 ? -ctx->ret : 0;
	k.cgroup = bpf_get_current_cgroup_id();
	k.fn = (__u64)&do_sys_openat2 + (k.nr == NR_OPENAT ? 0 : 0x10);
	bump(&sys_results, &k);
	hk.nr = k.nr;
	hk.slot = k.nr == NR_GETPPID ? 3 : 5;
	bump(&ret_hist, &hk);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
