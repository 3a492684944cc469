// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE against the running kernel's BTF (/sys/kernel/btf/vmlinux): the
 * program declares the few kernel types it needs, as a vmlinux.h would,
 * and diff_libbpf.sh checks that bpfbox and libbpf relocate it alike.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __pai __attribute__((preserve_access_index))

struct task_struct {
	int pid;
	int tgid;
	unsigned int flags;
	struct task_struct *real_parent;
	char comm[16];
	struct mm_struct *mm;
} __pai;

struct mm_struct {
	unsigned long start_code;
} __pai;

/* the state field was renamed in 5.14 */
struct task_struct___old {
	long state;
} __pai;

struct task_struct___new {
	unsigned int __state;
} __pai;

struct sk_buff {
	unsigned char pkt_type:3;
	unsigned int len;
} __pai;

enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_SID };
/* an ENUM64 in the kernel, a 32-bit enum here */
enum net_iov_type { NET_IOV_DMABUF, NET_IOV_IOURING, NET_IOV_MAX };

struct bb_not_in_any_kernel { int x; } __pai;

SEC("tp/core/kernel")
int kernel(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	long r;

	r = BPF_CORE_READ(t, real_parent, tgid) + BPF_CORE_READ(t, mm, start_code);
	r += BPF_CORE_READ(t, flags) + bpf_core_field_size(t->comm);
	if (bpf_core_field_exists(((struct task_struct___new *)t)->__state))
		r += BPF_CORE_READ((struct task_struct___new *)t, __state);
	else
		r += BPF_CORE_READ((struct task_struct___old *)t, state);
	r += bpf_core_type_id_kernel(struct task_struct);
	r += bpf_core_type_size(struct task_struct);
	r += bpf_core_type_exists(struct bb_not_in_any_kernel);
	r += bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	r += bpf_core_enum_value(enum net_iov_type, NET_IOV_MAX);
	return r;
}

SEC("tp/core/skb")
int skb(void *ctx)
{
	struct sk_buff *skb = ctx;

	return BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type) + BPF_CORE_READ(skb, len);
}

char LICENSE[] SEC("license") = "GPL";
