/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfbox export: what the label decoders' files share (internal to
 * export_decode.c, export_ksym.c and export_cgroup.c; the contract with
 * the rest of export is export_decode.h). The tables are embedded in
 * struct export_decoders, so their layout is here; their workings are
 * in their files.
 */
#ifndef BB_CLI_EXPORT_DECODE_INT_H
#define BB_CLI_EXPORT_DECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- export_decode.c: the text a decoder produces ---- */

/* snprintf into out: 0, or -ENOSPC when it does not fit (still NUL-ended) */
__attribute__((format(printf, 3, 4)))
int export_decode_put(char *out, size_t len, const char *fmt, ...);
/* a value the decoder does not know: the number, and -ENOENT */
int export_decode_unknown(char *out, size_t len, int64_t v, bool is_unsigned);

/* ---- export_ksym.c: /proc/kallsyms, sorted by address ---- */

struct export_ksym;

struct export_ksym_table {
	struct export_ksym *s;
	size_t n, cap;
	char *names;
	size_t used, size;
	size_t last;		/* offset of the last name stored */
	bool have_last;
	size_t seen;		/* symbol lines, any type */
	size_t nonzero;		/* of them with an address that is not 0 */
};

/* path (a kallsyms file) into t (zeroed); 0 or -errno with words */
int export_ksym_load(struct export_ksym_table *t, const char *path);
void export_ksym_free(struct export_ksym_table *t);
/* "name" or "name+0x1a"; -ENOENT (the number in out), -ENOSPC */
int export_ksym_lookup(const struct export_ksym_table *t, uint64_t addr,
		       char *out, size_t len);

/* ---- export_cgroup.c: cgroup v2 id -> path under the mount ---- */

#define CG_PATH_MAX	4096

struct export_cgroup_ent;

struct export_cgroup {
	int root_fd;		/* the cgroup2 mount, -1 when not open */
	char mnt[CG_PATH_MAX];	/* where it is mounted, for messages */
	struct export_cgroup_ent *e;
	size_t cap, n;		/* cap: 0 or a power of two */
	uint64_t last_walk;	/* CLOCK_MONOTONIC ns */
};

/* cg: root_fd -1, the rest zero. 0 or -errno with words */
int export_cgroup_open(struct export_cgroup *cg);
/* also on a cg that was never opened (root_fd -1) */
void export_cgroup_close(struct export_cgroup *cg);
/* the path of id; -ENOENT (the number in out), -ENOSPC */
int export_cgroup_decode(struct export_cgroup *cg, uint64_t id, char *out,
			 size_t len);

#endif
