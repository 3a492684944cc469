// SPDX-License-Identifier: GPL-2.0
/*
 * User-space probes: uprobe/uretprobe with no target (attached later by
 * the user), with a binary:function target, with an offset, and a
 * sleepable uprobe (uprobe.s, loaded with BPF_F_SLEEPABLE) that may fault
 * user memory in with bpf_copy_from_user. All are kprobe-type programs.
 */
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

struct line {
	__u32 pid;
	char text[60];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} lines SEC(".maps");

static __always_inline void count(__u32 pid)
{
	__u64 one = 1, *cnt = bpf_map_lookup_elem(&calls, &pid);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&calls, &pid, &one, BPF_NOEXIST);
}

SEC("uprobe")
int BPF_KPROBE(any_uprobe, long arg0, long arg1)
{
	count(arg0 ^ arg1);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(any_uretprobe, long ret)
{
	count(ret);
	return 0;
}

/* char *readline(const char *prompt): the line typed, on return */
SEC("uretprobe//bin/bash:readline")
int BPF_KRETPROBE(bash_readline, const void *ret)
{
	struct line *l;

	if (!ret)
		return 0;
	l = bpf_ringbuf_reserve(&lines, sizeof(*l), 0);
	if (!l)
		return 0;
	l->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_probe_read_user_str(l->text, sizeof(l->text), ret);
	bpf_ringbuf_submit(l, 0);
	return 0;
}

SEC("uprobe//bin/bash:0x1000")
int BPF_KPROBE(bash_offset)
{
	count(bpf_get_current_pid_tgid() >> 32);
	return 0;
}

SEC("uprobe.s//bin/bash:readline")
int BPF_KPROBE(bash_readline_prompt, const void *prompt)
{
	char buf[16];

	if (prompt && bpf_copy_from_user(buf, sizeof(buf), prompt) == 0)
		count(buf[0]);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
