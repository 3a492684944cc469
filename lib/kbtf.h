/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The running kernel's BTF (kbtf.c). */
#ifndef BB_KBTF_H
#define BB_KBTF_H

struct bb_btf;

/*
 * Parse /sys/kernel/btf/vmlinux: mapped read-only where the kernel allows
 * it (Linux 6.16+), else read into one buffer; parsed in place either way.
 * The error message says what is missing and why.
 */
int bb_load_vmlinux_btf(struct bb_btf **out);

/* The BTF in path (raw, or an ELF file's .BTF), or if path is NULL the
 * running kernel's, as bb_load_vmlinux_btf(). */
int bb_load_kernel_btf(const char *path, struct bb_btf **out);

#endif
