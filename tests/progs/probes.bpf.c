// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/itest/attach_probes.c: one program per probe kind, each
 * counting its hits and keeping the last argument or return value it
 * saw, for one process only (cfg[0], a tgid; 0 = every process). The
 * sections name targets for reading; the test attaches each program
 * where it wants (PMU and legacy, several binaries).
 */
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

enum {
	S_KPROBE, S_KRETPROBE, S_KSYSCALL, S_KRETSYSCALL, S_UPROBE,
	S_URETPROBE, S_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, S_MAX);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, S_MAX);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

static __always_inline int hit(__u32 slot, __u64 val)
{
	__u32 zero = 0, *want = bpf_map_lookup_elem(&cfg, &zero);
	__u64 *cnt, *v;

	if (!want || (*want && *want != bpf_get_current_pid_tgid() >> 32))
		return 0;
	cnt = bpf_map_lookup_elem(&hits, &slot);
	v = bpf_map_lookup_elem(&vals, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	if (v)
		*v = val;
	return 0;
}

SEC("kprobe/do_unlinkat")
int k_entry(struct pt_regs *ctx)
{
	return hit(S_KPROBE, PT_REGS_PARM1(ctx));
}

SEC("kretprobe/do_unlinkat")
int k_return(struct pt_regs *ctx)
{
	return hit(S_KRETPROBE, PT_REGS_RC(ctx));
}

/*
 * getpgid(pid). With syscall wrappers (__x64_sys_getpgid) the one
 * argument is the user's pt_regs, and pid is in its rdi; without, pid
 * is the first argument itself (and reading it as a pointer fails).
 */
SEC("ksyscall/getpgid")
int ksys_entry(struct pt_regs *ctx)
{
	struct pt_regs *uregs = (struct pt_regs *)PT_REGS_PARM1(ctx);
	__u64 pid = 0;

	if (bpf_probe_read_kernel(&pid, sizeof(pid), &uregs->rdi))
		pid = PT_REGS_PARM1(ctx);
	return hit(S_KSYSCALL, pid);
}

SEC("kretsyscall/getpgid")
int ksys_return(struct pt_regs *ctx)
{
	return hit(S_KRETSYSCALL, PT_REGS_RC(ctx));
}

SEC("uprobe")
int u_entry(struct pt_regs *ctx)
{
	return hit(S_UPROBE, PT_REGS_PARM1(ctx));
}

SEC("uretprobe")
int u_return(struct pt_regs *ctx)
{
	return hit(S_URETPROBE, PT_REGS_RC(ctx));
}

/* sleepable (loaded with BPF_F_SLEEPABLE): may fault user memory in */
SEC("uprobe.s")
int u_sleepable(struct pt_regs *ctx)
{
	long first = 0;

	bpf_copy_from_user(&first, sizeof(first), (void *)PT_REGS_SP(ctx));
	return hit(S_UPROBE, PT_REGS_PARM1(ctx));
}

char LICENSE[] SEC("license") = "GPL";
