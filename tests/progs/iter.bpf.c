// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF iterator over tasks. The loader resolves the attach target
 * "bpf_iter_task" (a BTF_KIND_FUNC in the kernel's BTF) and loads the
 * program as BPF_PROG_TYPE_TRACING with expected_attach_type
 * BPF_TRACE_ITER. The context layout below matches the kernel's
 * struct bpf_iter__task; only the meta pointer and the seq_num are read.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct seq_file;
struct task_struct;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
};

__u64 tasks_seen;

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	__u64 n = ctx->meta->seq_num;

	if (!ctx->task) {
		BPF_SEQ_PRINTF(seq, "%llu tasks\n", tasks_seen);
		return 0;
	}
	tasks_seen++;
	if (n == 0)
		BPF_SEQ_PRINTF(seq, "tasks:\n");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
