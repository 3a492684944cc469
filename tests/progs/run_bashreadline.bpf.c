// SPDX-License-Identifier: GPL-2.0
/*
 * `bpfbox run` tutorial program 1, after the classic "bashreadline"
 * lesson: a uretprobe on bash's readline() prints every line typed at an
 * interactive bash with bpf_printk. No maps, no user-space code: the
 * lines are read back from the trace_pipe by `bpfbox run`.
 */
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define TASK_COMM_LEN 16
#define MAX_LINE_SIZE 80

/* char *readline(const char *prompt): the line, once it returns */
SEC("uretprobe//bin/bash:readline")
int BPF_KRETPROBE(printret, const void *ret)
{
	char str[MAX_LINE_SIZE];
	char comm[TASK_COMM_LEN];
	__u32 pid;

	if (!ret)
		return 0;
	bpf_get_current_comm(&comm, sizeof(comm));
	pid = bpf_get_current_pid_tgid() >> 32;
	bpf_probe_read_user_str(str, sizeof(str), ret);
	bpf_printk("PID %d (%s) read: %s ", pid, comm, str);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
