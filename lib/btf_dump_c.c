// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF to C, part one: which definitions go out, and in which order.
 * This follows libbpf's btf_dump.c (the output of bpftool's `format c`
 * is the compatibility target), in two passes per root type:
 *
 *   1. order: a depth-first walk that queues named definitions after
 *      everything they embed. A link through a pointer to a named type is
 *      "weak" (a forward declaration will do); any other link is
 *      "strong" (the full definition has to come first).
 *   2. emit: definitions in queue order, each preceded by the forward
 *      declarations and typedefs its members need.
 *
 * The C syntax of each definition lives in btf_dump_decl.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BB_BTF_DUMP_INTERNAL
#include "btf.h"
#include "btf_dump.h"
#include "err.h"

enum { NOT_ORDERED, ORDERING, ORDERED };
enum { NOT_EMITTED, EMITTING, EMITTED };

/* ------------------------------------------------------------------ */
/* Names                                                               */

static size_t str_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int names_grow(struct bb_btf_dump_names *m)
{
	size_t i, j, cap = m->cap ? m->cap * 2 : 1024;
	const char **keys = calloc(cap, sizeof(*keys));
	size_t *cnts = calloc(cap, sizeof(*cnts));

	if (!keys || !cnts) {
		free(keys);
		free(cnts);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		for (j = str_hash(m->keys[i]) & (cap - 1); keys[j];
		     j = (j + 1) & (cap - 1))
			;
		keys[j] = m->keys[i];
		cnts[j] = m->cnts[i];
	}
	free(m->keys);
	free(m->cnts);
	m->keys = keys;
	m->cnts = cnts;
	m->cap = cap;
	return 0;
}

/*
 * Count one more use of name; returns how many uses there are now. The
 * keys point into the BTF's strings, which outlive the dumper. Out of
 * memory, a name counts as unique: the output may then have clashes.
 */
size_t bb_btf_dump_name_dups(struct bb_btf_dump_names *m, const char *name)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap && names_grow(m))
		return 1;
	for (i = str_hash(name) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], name))
			return ++m->cnts[i];
	m->keys[i] = name;
	m->cnts[i] = 1;
	m->n++;
	return 1;
}

/*
 * The name a type is emitted under: its own, or NAME___N for the Nth
 * definition of a name in the same namespace (as libbpf; forward
 * declarations and empty enums keep theirs, they define nothing).
 */
static const char *resolve_name(struct bb_btf_dump *d, uint32_t id,
				struct bb_btf_dump_names *map)
{
	struct bb_btf_dump_tstate *s = &d->st[id];
	const struct btf_type *t = bb_btf_type(d->btf, id);
	const char *name;
	size_t dups, len;

	if (!t || !t->name_off)
		return "";
	name = bb_btf_type_name(d->btf, t);
	if (s->name_resolved)
		return d->names[id] ? d->names[id] : name;
	s->name_resolved = 1;
	if (bb_btf_kind(t) == BTF_KIND_FWD ||
	    (bb_btf_kind(t) == BTF_KIND_ENUM && !bb_btf_vlen(t)))
		return name;
	dups = bb_btf_dump_name_dups(map, name);
	if (dups > 1) {
		len = strlen(name) + 24;
		d->names[id] = malloc(len);
		if (d->names[id])
			snprintf(d->names[id], len, "%s___%zu", name, dups);
	}
	return d->names[id] ? d->names[id] : name;
}

const char *bb_btf_dump_type_name(struct bb_btf_dump *d, uint32_t id)
{
	return resolve_name(d, id, &d->type_names);
}

const char *bb_btf_dump_ident_name(struct bb_btf_dump *d, uint32_t id)
{
	return resolve_name(d, id, &d->ident_names);
}

void bb_btf_dump_ident(struct bb_btf_dump *d, const char *name)
{
	const char *p;

	for (p = name; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  *p == '_' || (p != name && *p >= '0' && *p <= '9');

		fputc(ok ? *p : '_', d->f);
	}
}

int bb_btf_dump_error(struct bb_btf_dump *d, int err, uint32_t id,
		      const char *what)
{
	if (!d->err)
		d->err = bb_err(err, "BTF to C: type [%u]: %s", id, what);
	return -err;
}

/* libbpf's btf__align_of: 0 when unknown */
int bb_btf_dump_align(struct bb_btf_dump *d, uint32_t id)
{
	int a = bb_btf_align(d->btf, id);

	return a < 0 ? 0 : a;
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */

/* Which types something refers to: the rest of the anonymous enums are
 * top-level constants and get their own definition. */
static void mark_referenced(struct bb_btf_dump *d, const struct btf_type *t)
{
	uint32_t i, vlen = bb_btf_vlen(t);

	switch (bb_btf_kind(t)) {
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		d->st[t->type].referenced = 1;
		break;
	case BTF_KIND_ARRAY:
		d->st[bb_btf_array(t)->index_type].referenced = 1;
		d->st[bb_btf_array(t)->type].referenced = 1;
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++)
			d->st[bb_btf_members(t)[i].type].referenced = 1;
		break;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < vlen; i++)
			d->st[bb_btf_params(t)[i].type].referenced = 1;
		break;
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen; i++)
			d->st[bb_btf_secinfos(t)[i].type].referenced = 1;
		break;
	default:
		break;
	}
}

int bb_btf_dump_new(const struct bb_btf *btf, FILE *f,
		    struct bb_btf_dump **out)
{
	struct bb_btf_dump *d;
	uint32_t id;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		goto nomem;
	d->btf = btf;
	d->f = f;
	d->cnt = bb_btf_type_cnt(btf);
	d->st = calloc(d->cnt, sizeof(*d->st));
	d->names = calloc(d->cnt, sizeof(*d->names));
	if (!d->st || !d->names)
		goto nomem;
	/* void is always there */
	d->st[0].order = ORDERED;
	d->st[0].emit = EMITTED;
	for (id = 1; id < d->cnt; id++)
		mark_referenced(d, bb_btf_type(btf, id));
	*out = d;
	return 0;
nomem:
	bb_btf_dump_free(d);
	return bb_err(ENOMEM, "BTF to C: out of memory");
}

void bb_btf_dump_free(struct bb_btf_dump *d)
{
	uint32_t i;

	if (!d)
		return;
	for (i = 0; d->names && i < d->cnt; i++)
		free(d->names[i]);
	free(d->names);
	free(d->st);
	free(d->queue);
	free(d->decls);
	free(d->type_names.keys);
	free(d->type_names.cnts);
	free(d->ident_names.keys);
	free(d->ident_names.cnts);
	free(d);
}

/* ------------------------------------------------------------------ */
/* Pass 1: order                                                       */

static int queue_add(struct bb_btf_dump *d, uint32_t id)
{
	uint32_t *q;
	size_t cap;

	if (d->qcnt == d->qcap) {
		cap = d->qcap ? d->qcap * 2 : 64;
		q = realloc(d->queue, cap * sizeof(*q));
		if (!q)
			return bb_err(ENOMEM, "BTF to C: out of memory");
		d->queue = q;
		d->qcap = cap;
	}
	d->queue[d->qcnt++] = id;
	return 0;
}

static int order_type(struct bb_btf_dump *d, uint32_t id, bool through_ptr,
		      int depth);

static int order_composite(struct bb_btf_dump *d, uint32_t id,
			   const struct btf_type *t, bool through_ptr,
			   int depth)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, vlen = bb_btf_vlen(t);
	int err;

	/* strong only when embedded, or anonymous (defined inline even
	 * when pointed to) */
	if (through_ptr && t->name_off)
		return 0;
	d->st[id].order = ORDERING;
	for (i = 0; i < vlen; i++, m++) {
		err = order_type(d, m->type, false, depth + 1);
		if (err < 0)
			return err;
	}
	if (t->name_off) {
		err = queue_add(d, id);
		if (err)
			return err;
	}
	d->st[id].order = ORDERED;
	return 1;
}

static int order_proto(struct bb_btf_dump *d, const struct btf_type *t,
		       bool through_ptr, int depth)
{
	const struct btf_param *p = bb_btf_params(t);
	uint32_t i, vlen = bb_btf_vlen(t);
	bool strong;
	int err;

	err = order_type(d, t->type, through_ptr, depth + 1);
	if (err < 0)
		return err;
	strong = err > 0;
	for (i = 0; i < vlen; i++, p++) {
		err = order_type(d, p->type, through_ptr, depth + 1);
		if (err < 0)
			return err;
		strong |= err > 0;
	}
	return strong;
}

/*
 * 1: id is part of a strong link (needs its full definition first);
 * 0: weak (a forward declaration does); <0: error, e.g. a loop of
 * embedded types that no C program could declare.
 */
static int order_type(struct bb_btf_dump *d, uint32_t id, bool through_ptr,
		      int depth)
{
	struct bb_btf_dump_tstate *s = &d->st[id];
	const struct btf_type *t;
	int err;

	if (s->order == ORDERED)
		return 1;
	t = bb_btf_type(d->btf, id);
	if (depth > BB_BTF_DUMP_MAX_DEPTH)
		return bb_err(ELOOP, "BTF to C: type [%u]: types nested more than %d deep (a loop?)",
			      id, BB_BTF_DUMP_MAX_DEPTH);
	if (s->order == ORDERING) {
		/* a loop, but a forward declaration breaks it */
		if ((bb_btf_kind(t) == BTF_KIND_STRUCT ||
		     bb_btf_kind(t) == BTF_KIND_UNION) &&
		    through_ptr && t->name_off)
			return 0;
		return bb_err(ELOOP, "BTF to C: type [%u] '%s' contains itself (unsatisfiable type loop)",
			      id, bb_btf_type_name(d->btf, t));
	}
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		s->order = ORDERED;
		return 0;
	case BTF_KIND_PTR:
		err = order_type(d, t->type, true, depth + 1);
		d->st[id].order = ORDERED;
		return err;
	case BTF_KIND_ARRAY:
		return order_type(d, bb_btf_array(t)->type, false, depth + 1);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return order_composite(d, id, t, through_ptr, depth);
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FWD:
		/* named or unreferenced ones are top-level declarations */
		if (t->name_off || !s->referenced) {
			err = queue_add(d, id);
			if (err)
				return err;
		}
		s->order = ORDERED;
		return 1;
	case BTF_KIND_TYPEDEF:
		err = order_type(d, t->type, through_ptr, depth + 1);
		if (err < 0)
			return err;
		/* like a struct as to forward declarations */
		if (through_ptr && !err)
			return 0;
		err = queue_add(d, id);
		if (err)
			return err;
		d->st[id].order = ORDERED;
		return 1;
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return order_type(d, t->type, through_ptr, depth + 1);
	case BTF_KIND_FUNC_PROTO:
		return order_proto(d, t, through_ptr, depth);
	default:	/* func, var, datasec, decl_tag: no C type */
		s->order = ORDERED;
		return 0;
	}
}

/* ------------------------------------------------------------------ */
/* Pass 2: emit                                                        */

/* __builtin_va_list is the compiler's own: redefining it breaks */
static bool is_blacklisted(struct bb_btf_dump *d, const struct btf_type *t)
{
	return t->name_off &&
	       !strcmp(bb_btf_type_name(d->btf, t), "__builtin_va_list");
}

/* GCC's Arm SIMD typedefs name types of its own: alias them */
static void emit_missing_alias(struct bb_btf_dump *d, uint32_t id)
{
	static const char *const aliases[][2] = {
		{ "__Poly8_t", "unsigned char" },
		{ "__Poly16_t", "unsigned short" },
		{ "__Poly64_t", "unsigned long long" },
		{ "__Poly128_t", "unsigned __int128" },
	};
	const char *name = bb_btf_dump_type_name(d, id);
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (!strcmp(name, aliases[i][0])) {
			fprintf(d->f, "typedef %s %s;\n\n", aliases[i][1], name);
			break;
		}
	}
}

static void emit_type(struct bb_btf_dump *d, uint32_t id, uint32_t cont_id,
		      int depth);

/* a type met again while its definition is under way */
static void emit_while_emitting(struct bb_btf_dump *d, uint32_t id,
				const struct btf_type *t, uint32_t cont_id)
{
	struct bb_btf_dump_tstate *s = &d->st[id];

	if (s->fwd_emitted)
		return;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		/* inside its own definition: no declaration needed */
		if (id == cont_id)
			return;
		if (!t->name_off) {
			bb_btf_dump_error(d, ELOOP, id,
					  "anonymous struct/union loop");
			return;
		}
		bb_btf_dump_struct_fwd(d, id, t);
		fputs(";\n\n", d->f);
		s->fwd_emitted = 1;
		break;
	case BTF_KIND_TYPEDEF:
		/* the typedef serves pointers now, the definition later */
		if (!is_blacklisted(d, t)) {
			bb_btf_dump_typedef_def(d, id, t, 0);
			fputs(";\n\n", d->f);
		}
		s->fwd_emitted = 1;
		break;
	default:
		break;
	}
}

static void emit_composite(struct bb_btf_dump *d, uint32_t id,
			   const struct btf_type *t, uint32_t cont_id,
			   int depth)
{
	struct bb_btf_dump_tstate *s = &d->st[id];
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, vlen = bb_btf_vlen(t), new_cont;
	bool top = !cont_id;

	s->emit = EMITTING;
	/*
	 * A top-level definition or an anonymous (inline) one spells out
	 * every member: what they refer to needs declaring first.
	 */
	if (top || !t->name_off) {
		new_cont = t->name_off ? id : cont_id;
		for (i = 0; i < vlen; i++, m++)
			emit_type(d, m->type, new_cont, depth + 1);
	} else if (!s->fwd_emitted && id != cont_id) {
		bb_btf_dump_struct_fwd(d, id, t);
		fputs(";\n\n", d->f);
		s->fwd_emitted = 1;
	}
	if (top) {
		bb_btf_dump_struct_def(d, id, t, 0);
		fputs(";\n\n", d->f);
		s->emit = EMITTED;
	} else {
		s->emit = NOT_EMITTED;
	}
}

static void emit_type(struct bb_btf_dump *d, uint32_t id, uint32_t cont_id,
		      int depth)
{
	struct bb_btf_dump_tstate *s = &d->st[id];
	const struct btf_type *t;
	uint32_t i;

	if (s->emit == EMITTED)
		return;
	if (depth > BB_BTF_DUMP_MAX_DEPTH) {
		bb_btf_dump_error(d, ELOOP, id, "types nested too deep (a loop?)");
		return;
	}
	t = bb_btf_type(d->btf, id);
	if (s->emit == EMITTING) {
		emit_while_emitting(d, id, t, cont_id);
		return;
	}
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		emit_missing_alias(d, id);
		s->emit = EMITTED;
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		if (!cont_id) {
			bb_btf_dump_enum_def(d, id, t, 0);
			fputs(";\n\n", d->f);
		}
		s->emit = EMITTED;
		break;
	case BTF_KIND_PTR: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		emit_type(d, t->type, cont_id, depth + 1);
		break;
	case BTF_KIND_ARRAY:
		emit_type(d, bb_btf_array(t)->type, cont_id, depth + 1);
		break;
	case BTF_KIND_FWD:
		bb_btf_dump_fwd_def(d, id, t);
		fputs(";\n\n", d->f);
		s->emit = EMITTED;
		break;
	case BTF_KIND_TYPEDEF:
		s->emit = EMITTING;
		emit_type(d, t->type, id, depth + 1);
		/* unless it went out as a forward declaration already */
		if (!s->fwd_emitted && !is_blacklisted(d, t)) {
			bb_btf_dump_typedef_def(d, id, t, 0);
			fputs(";\n\n", d->f);
		}
		s->emit = EMITTED;
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		emit_composite(d, id, t, cont_id, depth);
		break;
	case BTF_KIND_FUNC_PROTO:
		emit_type(d, t->type, cont_id, depth + 1);
		for (i = 0; i < bb_btf_vlen(t); i++)
			emit_type(d, bb_btf_params(t)[i].type, cont_id,
				  depth + 1);
		break;
	default:
		break;
	}
}

int bb_btf_dump_type(struct bb_btf_dump *d, uint32_t id)
{
	size_t i;
	int err;

	if (id >= d->cnt)
		return bb_err(EINVAL, "BTF to C: no type [%u] (the last is [%u])",
			      id, d->cnt - 1);
	d->qcnt = 0;
	err = order_type(d, id, false, 0);
	if (err < 0)
		return err;
	for (i = 0; i < d->qcnt; i++)
		emit_type(d, d->queue[i], 0, 0);
	return d->err;
}

int bb_btf_dump_c(const struct bb_btf *btf, const uint32_t *ids, size_t n,
		  FILE *f)
{
	struct bb_btf_dump *d;
	uint32_t id;
	size_t i;
	int err;

	err = bb_btf_dump_new(btf, f, &d);
	if (err)
		return err;
	fputs("#ifndef __VMLINUX_H__\n"
	      "#define __VMLINUX_H__\n"
	      "\n"
	      "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	      "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	      "#endif\n\n", f);
	for (i = 0; !err && i < n; i++)
		err = bb_btf_dump_type(d, ids[i]);
	for (id = 1; !err && !n && id < d->cnt; id++)
		err = bb_btf_dump_type(d, id);
	fputs("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	      "#pragma clang attribute pop\n"
	      "#endif\n"
	      "\n"
	      "#endif /* __VMLINUX_H__ */\n", f);
	bb_btf_dump_free(d);
	return err;
}
