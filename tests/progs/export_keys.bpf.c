// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox export` benchmark program (bench/export.sh, issue #8): maps
 * of many keys, to time scrapes that read them key by key against the
 * batch lookup command. Three shapes, same keys 0..nkeys-1:
 *   keys_count   hash u32 -> u64: the plain case, label key="N"
 *   keys_pcpu    per-CPU hash u32 -> u64: a value per possible CPU
 *                to copy and sum
 *   keys_struct  hash { pid, comm[16] } -> u64: two labels, one a
 *                string
 * All are filled at once, with bpf_loop, by the first getppid() of
 * process targ_tgid (0: of any process) after the load; later calls do
 * nothing, so the key count stays exactly nkeys.
 * `fill` picks the map(s) filled: 0 all, 1 keys_count, 2 keys_pcpu,
 * 3 keys_struct. The bench fills one map per run, so that each run
 * measures one shape (the two left empty cost one failed
 * get_next_key or batch call per scrape).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bb_tp.h"

/* room above the default nkeys, so that more can be asked for */
#define MAX_KEYS 65536

struct task_key {
	__u32 pid;
	char comm[BB_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} keys_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, MAX_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} keys_pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_KEYS);
	__type(key, struct task_key);
	__type(value, __u64);
} keys_struct SEC(".maps");

const volatile __u32 targ_tgid = 0;
const volatile __u32 nkeys = 10000;
const volatile __u32 fill = 0;

/* set by the first call that fills: the maps are filled once */
__u32 filled = 0;
/* keys that could not be inserted (a full map): should stay 0 */
__u64 insert_errors = 0;

struct fill_ctx {
	char comm[BB_COMM_LEN];
};

static void put(void *map, const void *key, __u64 val)
{
	if (bpf_map_update_elem(map, key, &val, BPF_ANY))
		__sync_fetch_and_add(&insert_errors, 1);
}

static int fill_one(__u32 i, void *data)
{
	struct fill_ctx *fc = data;
	struct task_key tk = {};

	if (fill == 0 || fill == 1)
		put(&keys_count, &i, i + 1);
	if (fill == 0 || fill == 2)
		put(&keys_pcpu, &i, i + 1);
	if (fill == 0 || fill == 3) {
		tk.pid = i;
		__builtin_memcpy(tk.comm, fc->comm, sizeof(tk.comm));
		put(&keys_struct, &tk, i + 1);
	}
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int fill_keys(void *ctx)
{
	struct fill_ctx fc = {};
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (targ_tgid && tgid != targ_tgid)
		return 0;
	/* two CPUs racing here both write the same keys: harmless */
	if (filled)
		return 0;
	filled = 1;
	bpf_get_current_comm(fc.comm, sizeof(fc.comm));
	bpf_loop(nkeys < MAX_KEYS ? nkeys : MAX_KEYS, fill_one, &fc, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
