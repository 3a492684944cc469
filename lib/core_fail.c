// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Words for CO-RE relocations: the access as the programmer wrote it
 * ("task_struct->real_parent", "enum pid_type::PIDTYPE_TGID",
 * "bpf_core_type_exists(struct foo)"), and the list of poisoned
 * instructions with the sentence the loader prints when the verifier
 * trips over one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "core.h"
#include "err.h"

static const char *const kind_names[BB_CORE_KIND_CNT] = {
	[BPF_CORE_FIELD_BYTE_OFFSET] = "field offset",
	[BPF_CORE_FIELD_BYTE_SIZE] = "field size",
	[BPF_CORE_FIELD_EXISTS] = "field existence",
	[BPF_CORE_FIELD_SIGNED] = "field signedness",
	[BPF_CORE_FIELD_LSHIFT_U64] = "bitfield left shift",
	[BPF_CORE_FIELD_RSHIFT_U64] = "bitfield right shift",
	[BPF_CORE_TYPE_ID_LOCAL] = "local type id",
	[BPF_CORE_TYPE_ID_TARGET] = "kernel type id",
	[BPF_CORE_TYPE_EXISTS] = "type existence",
	[BPF_CORE_TYPE_SIZE] = "type size",
	[BPF_CORE_ENUMVAL_EXISTS] = "enum value existence",
	[BPF_CORE_ENUMVAL_VALUE] = "enum value",
	[BB_CORE_TYPE_MATCHES] = "type match",
};

/* the bpf_core_read.h macro that produces a type-based relocation */
static const char *const type_macros[BB_CORE_KIND_CNT] = {
	[BPF_CORE_TYPE_ID_LOCAL] = "bpf_core_type_id_local",
	[BPF_CORE_TYPE_ID_TARGET] = "bpf_core_type_id_kernel",
	[BPF_CORE_TYPE_EXISTS] = "bpf_core_type_exists",
	[BPF_CORE_TYPE_SIZE] = "bpf_core_type_size",
	[BB_CORE_TYPE_MATCHES] = "bpf_core_type_matches",
};

const char *bb_core_kind_name(uint32_t kind)
{
	return kind < BB_CORE_KIND_CNT ? kind_names[kind] : "unknown";
}

/* snprintf that appends and never overruns; returns the new length */
static size_t append(char *buf, size_t len, size_t pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (pos >= len)
		return pos;
	va_start(ap, fmt);
	n = vsnprintf(buf + pos, len - pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return pos;
	return pos + n < len ? pos + n : len - 1;
}

/* "struct foo", "union bar", "enum baz", "foo_t", "int", "void" */
int bb_core_type_str(const struct bb_btf *btf, uint32_t id, char *buf,
		     size_t len)
{
	const struct btf_type *t = bb_core_type(btf, id);
	const char *name, *pfx = "";

	if (!t)
		return snprintf(buf, len, "type [%u]", id);
	if (!id)
		return snprintf(buf, len, "void");
	name = bb_btf_type_name(btf, t);
	switch (bb_btf_kind(t)) {
	case BTF_KIND_STRUCT: pfx = "struct "; break;
	case BTF_KIND_UNION: pfx = "union "; break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: pfx = "enum "; break;
	case BTF_KIND_FWD: pfx = bb_btf_kflag(t) ? "union " : "struct "; break;
	case BTF_KIND_PTR: return snprintf(buf, len, "pointer");
	case BTF_KIND_ARRAY: return snprintf(buf, len, "array");
	default: break;
	}
	if (!*name)
		return snprintf(buf, len, "%sanonymous %s [%u]", pfx,
				bb_btf_kind_name(bb_btf_kind(t)), id);
	return snprintf(buf, len, "%s%s", pfx, name);
}

static size_t format_field(const struct bb_core_spec *spec, char *buf,
			   size_t len)
{
	const struct btf_type *t = bb_core_type(spec->btf, spec->root_type_id);
	const char *root = t ? bb_btf_type_name(spec->btf, t) : "";
	size_t pos;
	int i;

	pos = append(buf, len, 0, "%s", *root ? root : "(anonymous)");
	if (spec->spec[0].idx)
		pos = append(buf, len, pos, "[%u]", spec->spec[0].idx);
	for (i = 1; i < spec->len; i++) {
		const struct bb_core_acc *a = &spec->spec[i];

		if (!a->name)
			pos = append(buf, len, pos, "[%u]", a->idx);
		else if (i == 1 && !spec->spec[0].idx)
			pos = append(buf, len, pos, "->%s", a->name);
		else
			pos = append(buf, len, pos, ".%s", a->name);
	}
	return pos;
}

/* The access of a parsed local spec, as C. */
int bb_core_format_access(const struct bb_core_spec *spec, char *buf,
			  size_t len)
{
	char type[160];

	if (!len)
		return 0;
	buf[0] = '\0';
	switch (bb_core_kind_class(spec->kind)) {
	case BB_CORE_FIELD:
		return format_field(spec, buf, len);
	case BB_CORE_ENUMVAL:
		bb_core_type_str(spec->btf, spec->root_type_id, type,
				 sizeof(type));
		return snprintf(buf, len, "%s::%s", type,
				spec->spec[0].name ? spec->spec[0].name : "?");
	case BB_CORE_TYPE:
		bb_core_type_str(spec->btf, spec->root_type_id, type,
				 sizeof(type));
		return snprintf(buf, len, "%s(%s)", type_macros[spec->kind],
				type);
	default:
		return snprintf(buf, len, "relocation kind %u", spec->kind);
	}
}

static const char *advice(uint32_t kind)
{
	switch (bb_core_kind_class(kind)) {
	case BB_CORE_FIELD:
		return "; if the field is optional, guard the access with bpf_core_field_exists()";
	case BB_CORE_ENUMVAL:
		return "; if it is optional, guard it with bpf_core_enum_value_exists()";
	default:
		return "";
	}
}

static int failure_sentence(struct bb_core_failure *f, uint32_t kind,
			    const struct bb_core_res *res)
{
	bool enumval = bb_core_kind_class(kind) == BB_CORE_ENUMVAL;
	int n;

	if (res->fail_memsz_adjust)
		n = asprintf(&f->text,
			     "CO-RE relocation (%s) of instruction %zu failed: %s (%s) has a different size in %s (%u bytes, the program reads %u), and only pointers and unsigned integers may change size; declare the field with the kernel's type, or read it with bpf_core_read() into a variable of its size",
			     f->kind, f->insn_idx, f->access, f->local_type,
			     f->targets, res->new_sz, res->orig_sz);
	else if (enumval)
		n = asprintf(&f->text,
			     "CO-RE relocation (%s) of instruction %zu failed: %s does not exist in %s%s",
			     f->kind, f->insn_idx, f->access, f->targets,
			     advice(kind));
	else
		n = asprintf(&f->text,
			     "CO-RE relocation (%s) of instruction %zu failed: field %s (%s) does not exist in %s%s",
			     f->kind, f->insn_idx, f->access, f->local_type,
			     f->targets, advice(kind));
	if (n < 0) {
		f->text = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void failure_free(struct bb_core_failure *f)
{
	free(f->access);
	free(f->local_type);
	free(f->targets);
	free(f->text);
}

int bb_core_add_failure(struct bb_core_failures *fl, size_t insn_idx,
			bool ld_imm64, const struct bb_core_relo *r,
			const struct bb_core_spec *local,
			const struct bb_core_res *res, const char *searched)
{
	struct bb_core_failure f = { .insn_idx = insn_idx, .ld_imm64 = ld_imm64 };
	char buf[512];

	if (!fl || bb_core_failure_text(fl, insn_idx))
		return 0;	/* two records on one instruction: one failure */
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 8;
		void *v = realloc(fl->v, cap * sizeof(*fl->v));

		if (!v)
			return bb_err(ENOMEM, "out of memory");
		fl->v = v;
		fl->cap = cap;
	}
	f.kind = bb_core_kind_name(r->kind);
	bb_core_format_access(local, buf, sizeof(buf));
	f.access = strdup(buf);
	bb_core_type_str(local->btf, r->type_id, buf, sizeof(buf));
	f.local_type = strdup(buf);
	f.targets = strdup(searched ? searched : "the kernel");
	if (!f.access || !f.local_type || !f.targets ||
	    failure_sentence(&f, r->kind, res)) {
		failure_free(&f);
		return bb_err(ENOMEM, "out of memory");
	}
	fl->v[fl->n++] = f;
	return 0;
}

void bb_core_failures_free(struct bb_core_failures *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		failure_free(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

const char *bb_core_failure_text(const struct bb_core_failures *f,
				 size_t insn_idx)
{
	size_t i;

	if (!f)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (f->v[i].insn_idx == insn_idx ||
		    (f->v[i].ld_imm64 && f->v[i].insn_idx + 1 == insn_idx))
			return f->v[i].text;
	return NULL;
}
