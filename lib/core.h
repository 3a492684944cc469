/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CO-RE relocation engine (pure: no syscalls).
 *
 * Given the object's BTF (local), the kernel's BTF (targets) and the
 * .BTF.ext core_relo records of a program, rewrite the program's
 * instructions so that field offsets, sizes, type ids, enum values and
 * existence checks match the running kernel. The rules are libbpf's
 * (relo_core.c, libbpf 1.1), so that both loaders hand the kernel the same
 * instructions; where libbpf would read out of bounds or loop forever on
 * malformed BTF, bpfbox stops with an error instead.
 *
 * Relocations that cannot be satisfied are not errors by themselves: the
 * instruction is "poisoned" (replaced by a call to helper 0xbad2310) and
 * the verifier rejects the program only if that instruction is reachable.
 * Each poisoned instruction is recorded in a struct bb_core_failures so
 * that the loader can explain the verifier's "invalid func
 * unknown#195896080" in words.
 */
#ifndef BB_CORE_H
#define BB_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

struct bb_btf;
struct bb_btf_ext_sec;

/* linux/bpf.h of 6.1 may lack it (libbpf 1.0 and clang 15 know it) */
#define BB_CORE_TYPE_MATCHES	12
#define BB_CORE_KIND_CNT	13

/* imm of a poisoned instruction: "bad relo" */
#define BB_CORE_POISON_IMM	195896080

/* A BTF to relocate against: "vmlinux", or a module (split on vmlinux). */
struct bb_core_target {
	const struct bb_btf *btf;
	const char *name;
};

struct bb_core_cands;

/*
 * Optional: module targets, asked for only when a type is not found in
 * vmlinux (as libbpf loads module BTF only then). Called at most once;
 * the array must outlive the context.
 */
typedef int (*bb_core_modules_fn)(void *arg,
				  const struct bb_core_target **mods,
				  size_t *nmods);

struct bb_core_ctx {
	const struct bb_btf *local;
	/* targets[0] is vmlinux, the others modules */
	const struct bb_core_target *targets;
	size_t ntargets;
	bb_core_modules_fn load_modules;	/* may be NULL */
	void *load_modules_arg;
	/* private */
	const struct bb_core_target *mods;	/* from load_modules */
	size_t nmods;
	bool mods_loaded;
	struct bb_core_cands **cands;	/* candidate cache by local type id */
	uint32_t ncands;
};

/*
 * targets[0] must be vmlinux; targets[1..n-1] are searched only when a
 * type has no candidate in vmlinux, like libbpf does with module BTF.
 * Nothing is copied: local and the targets must outlive the context.
 */
int bb_core_ctx_init(struct bb_core_ctx *ctx, const struct bb_btf *local,
		     const struct bb_core_target *targets, size_t ntargets);
void bb_core_ctx_free(struct bb_core_ctx *ctx);

/* One poisoned instruction and why. */
struct bb_core_failure {
	size_t insn_idx;	/* program-relative */
	bool ld_imm64;		/* insn_idx + 1 was poisoned too */
	const char *kind;	/* "field offset", "enum value", ... */
	char *access;		/* "task_struct->real_parent", "enum foo::BAR" */
	char *local_type;	/* "struct task_struct" */
	char *targets;		/* "vmlinux", "vmlinux, nf_conntrack" */
	char *text;		/* the whole sentence */
};

struct bb_core_failures {
	struct bb_core_failure *v;
	size_t n, cap;
};

void bb_core_failures_free(struct bb_core_failures *f);
/* The sentence for a poisoned instruction (either slot of an ld_imm64),
 * or NULL when insn_idx was not poisoned. */
const char *bb_core_failure_text(const struct bb_core_failures *f,
				 size_t insn_idx);

/*
 * Apply the CO-RE records of one program. recs are the records of the
 * program's ELF section (may be NULL); only those whose instruction
 * (insn_off / 8) lies in [sec_insn_off, sec_insn_off + insn_cnt) are
 * applied, to insns[insn_off / 8 - sec_insn_off]. Poisoned instructions
 * are appended to fails (may be NULL). The candidate cache of ctx is
 * shared by the calls, and a relocation prunes the candidates of its
 * type, so relocate the programs in the order libbpf does: sections in
 * .BTF.ext order, programs by offset in their section.
 * Returns 0 or a negative errno with a message (bb_err) naming the
 * program, the instruction, the access and the target.
 */
int bb_core_relocate(struct bb_core_ctx *ctx, const char *prog_name,
		     struct bpf_insn *insns, size_t insn_cnt,
		     size_t sec_insn_off, const struct bb_btf_ext_sec *recs,
		     struct bb_core_failures *fails);

/* "field offset", ..., or "unknown" */
const char *bb_core_kind_name(uint32_t kind);

/* ------------------------------------------------------------------ */
/* Internals shared by lib/core*.c                                     */

#define BB_CORE_SPEC_MAX_LEN 64

struct btf_type;

/* One step of an access: a named field (name != NULL) or an index. */
struct bb_core_acc {
	uint32_t type_id;
	uint32_t idx;
	const char *name;
};

/* An access string resolved against one BTF (libbpf's bpf_core_spec). */
struct bb_core_spec {
	const struct bb_btf *btf;
	uint32_t root_type_id;
	uint32_t kind;
	/* high level: named fields and array indexes */
	struct bb_core_acc spec[BB_CORE_SPEC_MAX_LEN];
	int len;
	/* low level: every step, anonymous members included */
	uint32_t raw_spec[BB_CORE_SPEC_MAX_LEN];
	int raw_len;
	uint32_t bit_offset;
};

struct bb_core_cand {
	const struct bb_btf *btf;
	uint32_t id;
	const char *target;	/* bb_core_target name */
};

struct bb_core_cands {
	struct bb_core_cand *v;
	size_t len;
	char *searched;		/* target names, for messages */
};

/* Result of one relocation (libbpf's bpf_core_relo_res). */
struct bb_core_res {
	uint64_t orig_val;
	uint64_t new_val;
	bool poison;
	bool validate;
	bool fail_memsz_adjust;
	uint32_t orig_sz, new_sz;
	uint32_t orig_type_id, new_type_id;
	/* for messages: the target type chosen, or NULL */
	const struct bb_core_cand *cand;
};

/* The raw record (UAPI struct bpf_core_relo). */
struct bb_core_relo {
	uint32_t insn_off;
	uint32_t type_id;
	uint32_t access_str_off;
	uint32_t kind;
};

enum bb_core_class { BB_CORE_FIELD, BB_CORE_TYPE, BB_CORE_ENUMVAL, BB_CORE_BAD };

/* core_spec.c */
enum bb_core_class bb_core_kind_class(uint32_t kind);
size_t bb_core_essential_len(const char *name);
bool bb_core_kind_compat(const struct btf_type *a, const struct btf_type *b);
const struct btf_type *bb_core_skip(const struct bb_btf *btf, uint32_t id,
				    uint32_t *res_id);
const struct btf_type *bb_core_type(const struct bb_btf *btf, uint32_t id);
int bb_core_parse_spec(const struct bb_btf *btf, const struct bb_core_relo *r,
		       const char *access, struct bb_core_spec *spec);
int bb_core_spec_match(const struct bb_core_spec *local,
		       const struct bb_btf *targ_btf, uint32_t targ_id,
		       struct bb_core_spec *targ);

/* core_types.c: whole-type relations of TYPE_* relocations */
int bb_core_types_compat(const struct bb_btf *lb, uint32_t lid,
			 const struct bb_btf *tb, uint32_t tid);
int bb_core_types_match(const struct bb_btf *lb, uint32_t lid,
			const struct bb_btf *tb, uint32_t tid);
int bb_core_fields_compat(const struct bb_btf *lb, uint32_t lid,
			  const struct bb_btf *tb, uint32_t tid);

/* core_calc.c */
int bb_core_calc_relo(const struct bb_core_relo *r,
		      const struct bb_core_spec *local,
		      const struct bb_core_spec *targ, struct bb_core_res *res);
int bb_core_patch_insn(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
		       const struct bb_core_res *res, char *why, size_t why_len);

/* core_fail.c */
int bb_core_format_access(const struct bb_core_spec *spec, char *buf,
			  size_t len);
int bb_core_type_str(const struct bb_btf *btf, uint32_t id, char *buf,
		     size_t len);
int bb_core_add_failure(struct bb_core_failures *f, size_t insn_idx,
			bool ld_imm64, const struct bb_core_relo *r,
			const struct bb_core_spec *local,
			const struct bb_core_res *res, const char *searched);

#endif
