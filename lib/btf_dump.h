/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BTF as text (pure: no syscalls, only writes to the FILE given):
 *
 *   raw  bpftool's `btf dump ... format raw`, one record a type
 *   c    a compilable C header, libbpf's btf_dump ordering
 *        (`bpftool btf dump file /sys/kernel/btf/vmlinux format c`)
 *
 * Both read a parsed bb_btf, whose type records, string offsets and type
 * references the parser has already checked; they still bound every walk
 * (chains, recursion) so that looping BTF ends with -ELOOP, not a crash.
 */
#ifndef BB_BTF_DUMP_H
#define BB_BTF_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bb_btf;
struct btf_type;

/* ---- raw ---- */

/*
 * One type as bpftool prints it, "\n" included:
 *   [1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)
 */
void bb_btf_dump_raw_type(const struct bb_btf *btf, uint32_t id, FILE *f);
/*
 * ids[0..n) or, when n is 0, every type this BTF owns (not its base's,
 * as bpftool does for split BTF). Returns 0 or -EINVAL for an id out of
 * range (the types before it are printed).
 */
int bb_btf_dump_raw(const struct bb_btf *btf, const uint32_t *ids, size_t n,
		    FILE *f);

/* The words bpftool uses, for JSON writers built on the same records. */
const char *bb_btf_dump_name(const struct bb_btf *btf, uint32_t name_off);
const char *bb_btf_int_enc_str(uint32_t encoding);
const char *bb_btf_func_linkage_str(const struct btf_type *t);
const char *bb_btf_var_linkage_str(uint32_t linkage);
/* control characters and bytes >= 0x7f as \xNN, the rest as is */
void bb_btf_dump_fputs(FILE *f, const char *s);

/* ---- C ---- */

/*
 * The header bpftool writes: include guard, preserve_access_index
 * pragma, then ids[0..n) with everything they need (n == 0: every
 * type, base included). Returns 0 or a negative errno with a message
 * (-ELOOP for unsatisfiable type loops; the output is then incomplete).
 */
int bb_btf_dump_c(const struct bb_btf *btf, const uint32_t *ids, size_t n,
		  FILE *f);

/*
 * The type definitions alone: a dumper keeps what it has emitted, so
 * dumping several roots emits each dependency once.
 */
struct bb_btf_dump;
int bb_btf_dump_new(const struct bb_btf *btf, FILE *f,
		    struct bb_btf_dump **out);
int bb_btf_dump_type(struct bb_btf_dump *d, uint32_t id);
void bb_btf_dump_free(struct bb_btf_dump *d);

#ifdef BB_BTF_DUMP_INTERNAL
/* ---- shared by btf_dump_c.c (ordering) and btf_dump_decl.c (syntax) ---- */

/* per-type state, as libbpf's btf_dump keeps it */
struct bb_btf_dump_tstate {
	uint8_t order:2;	/* NOT_ORDERED, ORDERING, ORDERED */
	uint8_t emit:2;		/* NOT_EMITTED, EMITTING, EMITTED */
	uint8_t fwd_emitted:1;	/* forward declaration (or typedef) out */
	uint8_t name_resolved:1;	/* names[id] decided */
	uint8_t referenced:1;	/* some other type refers to this one */
};

/* name -> number of times it was taken (for the ___N suffixes) */
struct bb_btf_dump_names {
	const char **keys;
	size_t *cnts;
	size_t cap, n;
};

struct bb_btf_dump {
	const struct bb_btf *btf;
	FILE *f;
	uint32_t cnt;			/* type count, void included */
	struct bb_btf_dump_tstate *st;
	char **names;			/* unique names, NULL: the BTF's own */
	uint32_t *queue;		/* ordered definitions to emit */
	size_t qcnt, qcap;
	uint32_t *decls;		/* shared declaration stack */
	size_t dcnt, dcap;
	struct bb_btf_dump_names type_names;	/* struct/union/enum tags */
	struct bb_btf_dump_names ident_names;	/* typedefs, enumerators */
	int depth;			/* nesting of declarations */
	int err;			/* first error met while emitting */
};

/* limits that turn looping BTF into -ELOOP instead of a stack overflow */
#define BB_BTF_DUMP_MAX_DEPTH	512

const char *bb_btf_dump_type_name(struct bb_btf_dump *d, uint32_t id);
const char *bb_btf_dump_ident_name(struct bb_btf_dump *d, uint32_t id);
size_t bb_btf_dump_name_dups(struct bb_btf_dump_names *map, const char *name);
/* a C identifier from BTF: anything else becomes '_' */
void bb_btf_dump_ident(struct bb_btf_dump *d, const char *name);
int bb_btf_dump_error(struct bb_btf_dump *d, int err, uint32_t id,
		      const char *what);
int bb_btf_dump_align(struct bb_btf_dump *d, uint32_t id);

void bb_btf_dump_struct_fwd(struct bb_btf_dump *d, uint32_t id,
			    const struct btf_type *t);
void bb_btf_dump_struct_def(struct bb_btf_dump *d, uint32_t id,
			    const struct btf_type *t, int lvl);
void bb_btf_dump_enum_def(struct bb_btf_dump *d, uint32_t id,
			  const struct btf_type *t, int lvl);
void bb_btf_dump_fwd_def(struct bb_btf_dump *d, uint32_t id,
			 const struct btf_type *t);
void bb_btf_dump_typedef_def(struct bb_btf_dump *d, uint32_t id,
			     const struct btf_type *t, int lvl);
void bb_btf_dump_type_decl(struct bb_btf_dump *d, uint32_t id,
			   const char *fname, int lvl);
#endif /* BB_BTF_DUMP_INTERNAL */

#endif
