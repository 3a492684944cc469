// SPDX-License-Identifier: GPL-2.0
/*
 * fentry/fexit: tracing programs whose attach_btf_id the loader resolves
 * from the kernel's BTF (the function's BTF_KIND_FUNC). Kernels that
 * refuse tracing programs fail the load itself (EPERM on the development
 * kernel, for libbpf as well), so this object is kept apart from the rest.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 entries;
__s64 last_ret;

/* long do_sys_openat2(int dfd, const char *filename, struct open_how *how) */
SEC("fentry/do_sys_openat2")
int BPF_PROG(fentry_openat2, int dfd, const char *filename)
{
	entries++;
	return 0;
}

SEC("fexit/do_sys_openat2")
int BPF_PROG(fexit_openat2, int dfd, const char *filename, void *how, long ret)
{
	last_ret = ret;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
