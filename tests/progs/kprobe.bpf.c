// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel probes: kprobe/, kretprobe/, ksyscall/, kretsyscall/ and
 * kprobe.multi/ (all kprobe-type programs; kprobe.multi is loaded with
 * expected_attach_type BPF_TRACE_KPROBE_MULTI). They load on a kernel
 * built without CONFIG_KPROBES; attaching needs kprobes. Syscall arguments are read
 * through the inner pt_regs by hand, since BPF_KSYSCALL needs CO-RE and a
 * __kconfig extern.
 */
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);		/* pid_tgid */
	__type(value, __u64);		/* entry time */
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} latency_log2 SEC(".maps");

__u64 failures;

SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(openat2_entry, int dfd, const char *filename)
{
	__u64 id = bpf_get_current_pid_tgid(), ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &id, &ts, BPF_ANY);
	return 0;
}

SEC("kretprobe/do_sys_openat2")
int BPF_KRETPROBE(openat2_exit, long ret)
{
	__u64 id = bpf_get_current_pid_tgid(), *tsp, delta, *slot;
	__u32 bucket = 0;

	tsp = bpf_map_lookup_elem(&start, &id);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&start, &id);
	while (delta > 1 && bucket < 31) {
		delta >>= 1;
		bucket++;
	}
	slot = bpf_map_lookup_elem(&latency_log2, &bucket);
	if (slot)
		__sync_fetch_and_add(slot, 1);
	if (ret < 0)
		failures++;
	return 0;
}

/* with syscall wrappers, the only argument is the user's pt_regs */
SEC("ksyscall/openat")
int ksys_openat(struct pt_regs *ctx)
{
	struct pt_regs *uregs = (struct pt_regs *)PT_REGS_PARM1(ctx);
	const char *filename = NULL;
	char first = 0;

	bpf_probe_read_kernel(&filename, sizeof(filename), &uregs->rsi);
	bpf_probe_read_user(&first, 1, filename);
	if (first == '/')
		bpf_printk("absolute openat");
	return 0;
}

SEC("kretsyscall/openat")
int BPF_KRETPROBE(kretsys_openat, long ret)
{
	if (ret < 0)
		failures++;
	return 0;
}

SEC("kprobe.multi/do_sys_open*")
int BPF_KPROBE(multi_open_entry)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ip = bpf_get_func_ip(ctx);

	bpf_map_update_elem(&start, &id, &ip, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
