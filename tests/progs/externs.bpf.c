// SPDX-License-Identifier: GPL-2.0
/*
 * Externs: __kconfig values (the running kernel's version, CONFIG_*
 * options of every type: bool, tristate, integer, string, and weak
 * options the kernel lacks) and __ksym symbols (untyped, through
 * kallsyms; typed and weak, missing). A typed __ksym that exists (e.g. the
 * per-CPU bpf_prog_active) cannot be tested here: this kernel is built
 * without CONFIG_KALLSYMS_ALL, so the verifier cannot find the address of
 * kernel data for either loader.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>


extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig __weak;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern int CONFIG_HZ __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern unsigned long CONFIG_BB_NO_SUCH_OPTION __kconfig __weak;
extern const void do_sys_openat2 __ksym;		/* untyped */
extern const int bb_no_such_symbol __ksym __weak;	/* typed, missing */
extern const void bb_no_such_function __ksym __weak;	/* untyped, missing */

__u64 out[8];

SEC("tp/syscalls/sys_enter_openat")
int read_externs(void *ctx)
{
	out[0] = LINUX_KERNEL_VERSION;
	out[1] = LINUX_HAS_BPF_COOKIE + CONFIG_BPF_SYSCALL;
	out[2] = CONFIG_BPF_JIT + CONFIG_HZ;
	out[3] = CONFIG_DEFAULT_HOSTNAME[0];
	out[4] = CONFIG_BB_NO_SUCH_OPTION;
	out[5] = (__u64)&do_sys_openat2;
	out[6] = (__u64)&bb_no_such_symbol;
	out[7] = (__u64)&bb_no_such_function;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
