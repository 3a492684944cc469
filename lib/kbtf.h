/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The running kernel's BTF (kbtf.c). */
#ifndef BB_KBTF_H
#define BB_KBTF_H

#include <stddef.h>

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

/*
 * Module BTF (kbtf_modules.c): every file of dir (NULL: /sys/kernel/btf)
 * but vmlinux, parsed as split BTF on vmlinux and named by its module.
 * bb_kmods_load is a bb_core_modules_fn (arg: a struct bb_kmods); a
 * directory that does not exist gives no modules, an unreadable or
 * malformed module an error naming its file. bb_kmods_free releases
 * what was loaded (the targets must outlive the CO-RE context).
 */
struct bb_core_target;

struct bb_kmods {
	const char *dir;
	const struct bb_btf *vmlinux;
	/* private */
	struct bb_core_target *v;
	size_t n;
};

int bb_kmods_load(void *arg, const struct bb_core_target **mods,
		  size_t *nmods);
void bb_kmods_free(struct bb_kmods *m);

#endif
