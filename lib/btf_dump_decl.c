// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF to C, part two: the C syntax of one definition or declaration
 * (libbpf's btf_dump.c is the reference). Struct layout is reproduced
 * from the BTF offsets alone: explicit padding (`long: 64;`) where the
 * compiler's natural alignment would not land a member where BTF says,
 * __attribute__((packed)) when no natural layout fits, and the enum
 * size attributes that keep 1- and 8-byte enums at their size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define BB_BTF_DUMP_INTERNAL
#include "btf.h"
#include "btf_dump.h"
#include "err.h"

#define PTR_BITS	64
/* 1 MiB of padding: far beyond any kernel struct */
#define MAX_PAD_BITS	(8 << 20)

static void pfx(struct bb_btf_dump *d, int lvl)
{
	/* libbpf stops indenting at 13 levels */
	for (lvl = lvl > 13 ? 13 : lvl; lvl > 0; lvl--)
		fputc('\t', d->f);
}

static const char *member_name(struct bb_btf_dump *d, uint32_t off)
{
	const char *s = bb_btf_str(d->btf, off);

	return s ? s : "";
}

/* ------------------------------------------------------------------ */
/* struct / union                                                      */

/*
 * Would the compiler reproduce this layout without `packed`? Not when
 * a non-bitfield member sits off its natural alignment, or the size is
 * not a multiple of the largest member alignment.
 */
static bool is_struct_packed(struct bb_btf_dump *d, const struct btf_type *t)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, vlen = bb_btf_vlen(t);
	int align, max_align = 1;

	for (i = 0; i < vlen; i++, m++) {
		align = bb_btf_dump_align(d, m->type);
		if (align && !bb_btf_member_bitfield_size(t, m) &&
		    bb_btf_member_bit_offset(t, m) % (8 * align))
			return true;
		if (align > max_align)
			max_align = align;
	}
	return t->size % max_align != 0;
}

static const struct {
	const char *name;
	int bits;
} pads[] = {
	{ "long", PTR_BITS }, { "int", 32 }, { "short", 16 }, { "char", 8 },
};
#define NR_PADS	((int)(sizeof(pads) / sizeof(pads[0])))

static void emit_pad(struct bb_btf_dump *d, const char *type, int bits,
		     int lvl)
{
	fputc('\n', d->f);
	pfx(d, lvl);
	fprintf(d->f, "%s: %d;", type, bits);
}

static int64_t roundup_bits(int64_t off, int64_t to)
{
	return (off + to - 1) / to * to;
}

/*
 * Fill the gap from cur_off to next_off (bits) with anonymous bitfields
 * where the compiler would not leave it by itself. The largest of long,
 * int, short, char that reaches a boundary not past next_off is used;
 * `TYPE: 0` forces that boundary when the next member's own alignment
 * would not get there, or inside a run of bitfields.
 */
static void emit_bit_padding(struct bb_btf_dump *d, int64_t cur_off,
			     int64_t next_off, int next_align, bool in_bitfield,
			     int lvl)
{
	int64_t new_off = 0, bits;
	int pad_bits = 0, i;
	const char *pad_type = NULL;

	if (cur_off >= next_off)
		return;
	/* BTF sizes go to 4 GiB: no header should spell that out */
	if (next_off - cur_off > MAX_PAD_BITS) {
		bb_btf_dump_error(d, E2BIG, 0, "padding gap too large to write out");
		return;
	}
	for (i = 0; i < NR_PADS; i++) {
		pad_bits = pads[i].bits;
		pad_type = pads[i].name;
		new_off = roundup_bits(cur_off, pad_bits);
		if (new_off <= next_off)
			break;
	}
	if (new_off > cur_off && new_off <= next_off) {
		if (in_bitfield ||
		    (new_off == next_off &&
		     roundup_bits(cur_off, next_align * 8) != new_off) ||
		    (new_off != next_off && next_off - new_off <= new_off - cur_off))
			emit_pad(d, pad_type,
				 in_bitfield ? (int)(new_off - cur_off) : 0, lvl);
		cur_off = new_off;
	}
	/* now aligned for pad_type: whole ones, then the smallest that fits */
	while (cur_off != next_off) {
		bits = next_off - cur_off < pad_bits ? next_off - cur_off : pad_bits;
		if (bits == pad_bits) {
			emit_pad(d, pad_type, pad_bits, lvl);
			cur_off += bits;
			continue;
		}
		for (i = NR_PADS - 1; i >= 0; i--) {
			if (pads[i].bits < bits)
				continue;
			emit_pad(d, pads[i].name, (int)bits, lvl);
			cur_off += bits;
			break;
		}
	}
}

void bb_btf_dump_struct_fwd(struct bb_btf_dump *d, uint32_t id,
			    const struct btf_type *t)
{
	fputs(bb_btf_kind(t) == BTF_KIND_STRUCT ? "struct" : "union", d->f);
	if (t->name_off)
		fputc(' ', d->f);
	bb_btf_dump_ident(d, bb_btf_dump_type_name(d, id));
}

void bb_btf_dump_struct_def(struct bb_btf_dump *d, uint32_t id,
			    const struct btf_type *t, int lvl)
{
	const struct btf_member *m = bb_btf_members(t);
	bool is_struct = bb_btf_kind(t) == BTF_KIND_STRUCT;
	uint32_t i, vlen = bb_btf_vlen(t);
	int align, m_sz, m_align;
	int64_t m_off, off = 0;
	bool packed, prev_bitfield = false, in_bitfield;
	int64_t sz;

	align = bb_btf_dump_align(d, id);
	packed = is_struct && is_struct_packed(d, t);
	bb_btf_dump_struct_fwd(d, id, t);
	fputs(" {", d->f);
	for (i = 0; i < vlen; i++, m++) {
		m_sz = bb_btf_member_bitfield_size(t, m);
		m_off = bb_btf_member_bit_offset(t, m);
		m_align = packed ? 1 : bb_btf_dump_align(d, m->type);
		in_bitfield = prev_bitfield && m_sz;
		emit_bit_padding(d, off, m_off, m_align, in_bitfield, lvl + 1);
		fputc('\n', d->f);
		pfx(d, lvl + 1);
		bb_btf_dump_type_decl(d, m->type, member_name(d, m->name_off),
				      lvl + 1);
		if (m_sz) {
			fprintf(d->f, ": %d", m_sz);
			off = m_off + m_sz;
			prev_bitfield = true;
		} else {
			sz = bb_btf_resolve_size(d->btf, m->type);
			off = m_off + (sz > 0 ? sz : 0) * 8;
			prev_bitfield = false;
		}
		fputc(';', d->f);
	}
	/* tail padding */
	if (is_struct)
		emit_bit_padding(d, off, (int64_t)t->size * 8, align, false,
				 lvl + 1);
	/* `struct empty {}` stays on one line */
	if (vlen || t->size) {
		fputc('\n', d->f);
		pfx(d, lvl);
	}
	fputc('}', d->f);
	if (packed)
		fputs(" __attribute__((packed))", d->f);
}

/* ------------------------------------------------------------------ */
/* enum, fwd, typedef                                                  */

static void emit_enumerator(struct bb_btf_dump *d, uint32_t name_off,
			    int lvl)
{
	const char *name = member_name(d, name_off);
	size_t dups;

	/* enumerators share the namespace of typedefs */
	dups = bb_btf_dump_name_dups(&d->ident_names, name);
	fputc('\n', d->f);
	pfx(d, lvl + 1);
	bb_btf_dump_ident(d, name);
	if (dups > 1)
		fprintf(d->f, "___%zu", dups);
	fputs(" = ", d->f);
}

/*
 * The compiler sizes an enum from its values (4 bytes, 8 if a value
 * needs it): other sizes need mode(). bpftool 7.1 (libbpf 1.1) does not
 * print these, and its structs holding 1-byte enums come out too big.
 */
static void emit_enum_size(struct bb_btf_dump *d, const struct btf_type *t)
{
	uint32_t i, vlen = bb_btf_vlen(t);
	bool word = true;

	if (t->size == 1) {
		fputs(" __attribute__((mode(byte)))", d->f);
		return;
	}
	if (t->size != 8)
		return;
	/* an enum64 with a value beyond 32 bits is 8 bytes by itself */
	for (i = 0; bb_btf_kind(t) == BTF_KIND_ENUM64 && i < vlen; i++)
		if (bb_btf_enums64(t)[i].val_hi32)
			word = false;
	if (word)
		fputs(" __attribute__((mode(word)))", d->f);
}

void bb_btf_dump_enum_def(struct bb_btf_dump *d, uint32_t id,
			  const struct btf_type *t, int lvl)
{
	uint32_t i, vlen = bb_btf_vlen(t);
	bool sign = bb_btf_kflag(t);
	uint64_t v;

	fputs(t->name_off ? "enum " : "enum", d->f);
	bb_btf_dump_ident(d, bb_btf_dump_type_name(d, id));
	if (!vlen)
		return;
	fputs(" {", d->f);
	for (i = 0; i < vlen; i++) {
		if (bb_btf_kind(t) == BTF_KIND_ENUM) {
			emit_enumerator(d, bb_btf_enums(t)[i].name_off, lvl);
			if (sign)
				fprintf(d->f, "%d,", bb_btf_enums(t)[i].val);
			else
				fprintf(d->f, "%u,", (uint32_t)bb_btf_enums(t)[i].val);
			continue;
		}
		emit_enumerator(d, bb_btf_enums64(t)[i].name_off, lvl);
		v = (uint64_t)bb_btf_enums64(t)[i].val_hi32 << 32 |
		    bb_btf_enums64(t)[i].val_lo32;
		if (sign)
			fprintf(d->f, "%" PRId64 "LL,", (int64_t)v);
		else
			fprintf(d->f, "%" PRIu64 "ULL,", v);
	}
	fputc('\n', d->f);
	pfx(d, lvl);
	fputc('}', d->f);
	emit_enum_size(d, t);
}

void bb_btf_dump_fwd_def(struct bb_btf_dump *d, uint32_t id,
			 const struct btf_type *t)
{
	fputs(bb_btf_kflag(t) ? "union " : "struct ", d->f);
	bb_btf_dump_ident(d, bb_btf_dump_type_name(d, id));
}

void bb_btf_dump_typedef_def(struct bb_btf_dump *d, uint32_t id,
			     const struct btf_type *t, int lvl)
{
	const char *name = bb_btf_dump_ident_name(d, id);

	/* old GCCs typedef __gnuc_va_list to void: use the builtin */
	if (!t->type && !strcmp(name, "__gnuc_va_list")) {
		fputs("typedef __builtin_va_list __gnuc_va_list", d->f);
		return;
	}
	fputs("typedef ", d->f);
	bb_btf_dump_type_decl(d, t->type, name, lvl);
}

/* ------------------------------------------------------------------ */
/* Declarations: a chain of modifiers, pointers, arrays, prototypes    */

/*
 * A view of this declaration's frame of the shared stack: an index, not
 * a pointer, since nested declarations (parameters, inline structs)
 * push above it and may move the stack.
 */
struct id_stack {
	struct bb_btf_dump *d;
	size_t base, cnt;
};

static uint32_t stack_top(const struct id_stack *s)
{
	return s->d->decls[s->base + s->cnt - 1];
}

static int push_decl(struct bb_btf_dump *d, uint32_t id)
{
	uint32_t *s;
	size_t cap;

	if (d->dcnt == d->dcap) {
		cap = d->dcap ? d->dcap * 2 : 64;
		s = realloc(d->decls, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		d->decls = s;
		d->dcap = cap;
	}
	d->decls[d->dcnt++] = id;
	return 0;
}

static bool is_mod(const struct btf_type *t)
{
	switch (bb_btf_kind(t)) {
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* const/volatile/restrict written before the base type */
static void emit_mods(struct bb_btf_dump *d, struct id_stack *s)
{
	const struct btf_type *t;

	while (s->cnt) {
		t = bb_btf_type(d->btf, stack_top(s));
		if (!t)
			return;
		switch (bb_btf_kind(t)) {
		case BTF_KIND_VOLATILE:
			fputs("volatile ", d->f);
			break;
		case BTF_KIND_CONST:
			fputs("const ", d->f);
			break;
		case BTF_KIND_RESTRICT:
			fputs("restrict ", d->f);
			break;
		default:
			return;
		}
		s->cnt--;
	}
}

static void drop_mods(struct bb_btf_dump *d, struct id_stack *s)
{
	const struct btf_type *t;

	while (s->cnt) {
		t = bb_btf_type(d->btf, stack_top(s));
		if (!t || !is_mod(t))
			return;
		s->cnt--;
	}
}

static void emit_name(struct bb_btf_dump *d, const char *name,
		      bool last_was_ptr)
{
	if (name[0] && !last_was_ptr)
		fputc(' ', d->f);
	bb_btf_dump_ident(d, name);
}

/* the type tag's text goes in a C string: keep it one */
static void emit_type_tag(struct bb_btf_dump *d, const struct btf_type *t)
{
	const unsigned char *p;

	fputs(" __attribute__((btf_type_tag(\"", d->f);
	for (p = (const unsigned char *)bb_btf_type_name(d->btf, t); *p; p++) {
		if (*p == '"' || *p == '\\' || *p < 0x20 || *p >= 0x7f)
			fprintf(d->f, "\\%03o", *p);
		else
			fputc(*p, d->f);
	}
	fputs("\")))", d->f);
}

static void emit_chain(struct bb_btf_dump *d, struct id_stack *s,
		       const char *fname, int lvl);

static void emit_array(struct bb_btf_dump *d, struct id_stack *s,
		       const struct btf_type *t, const char *fname,
		       bool last_was_ptr, int lvl)
{
	const struct btf_type *next;
	bool multidim;

	/* GCC repeats the element's qualifiers on the array: drop them */
	drop_mods(d, s);
	if (!s->cnt) {
		emit_name(d, fname, last_was_ptr);
		fprintf(d->f, "[%u]", bb_btf_array(t)->nelems);
		return;
	}
	next = bb_btf_type(d->btf, stack_top(s));
	multidim = next && bb_btf_kind(next) == BTF_KIND_ARRAY;
	if (fname[0] && !last_was_ptr)
		fputc(' ', d->f);
	if (!multidim)
		fputc('(', d->f);
	emit_chain(d, s, fname, lvl);
	if (!multidim)
		fputc(')', d->f);
	fprintf(d->f, "[%u]", bb_btf_array(t)->nelems);
}

static void emit_proto(struct bb_btf_dump *d, struct id_stack *s,
		       const struct btf_type *t, const char *fname,
		       bool last_was_ptr, int lvl)
{
	const struct btf_param *p = bb_btf_params(t);
	uint32_t i, vlen = bb_btf_vlen(t);

	/* GCC marks noreturn function pointers volatile: drop that */
	drop_mods(d, s);
	if (s->cnt) {
		fputs(" (", d->f);
		emit_chain(d, s, fname, lvl);
		fputc(')', d->f);
	} else {
		emit_name(d, fname, last_was_ptr);
	}
	/* clang's BPF target writes "no arguments" as one void argument */
	if (!vlen || (vlen == 1 && !p->type)) {
		fputs("(void)", d->f);
		return;
	}
	fputc('(', d->f);
	for (i = 0; i < vlen; i++, p++) {
		if (i)
			fputs(", ", d->f);
		/* a trailing void argument is "..." */
		if (i == vlen - 1 && !p->type) {
			fputs("...", d->f);
			break;
		}
		bb_btf_dump_type_decl(d, p->type, member_name(d, p->name_off),
				      lvl);
	}
	fputc(')', d->f);
}

/* The base type of the chain, with the modifiers written before it. */
static void emit_base(struct bb_btf_dump *d, struct id_stack *s,
		      uint32_t id, const struct btf_type *t, int lvl)
{
	emit_mods(d, s);
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		bb_btf_dump_fputs(d->f, bb_btf_type_name(d->btf, t));
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (!t->name_off)	/* anonymous: defined inline */
			bb_btf_dump_struct_def(d, id, t, lvl);
		else
			bb_btf_dump_struct_fwd(d, id, t);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		if (!t->name_off) {
			bb_btf_dump_enum_def(d, id, t, lvl);
			break;
		}
		fputs("enum ", d->f);
		bb_btf_dump_ident(d, bb_btf_dump_type_name(d, id));
		break;
	case BTF_KIND_FWD:
		bb_btf_dump_fwd_def(d, id, t);
		break;
	case BTF_KIND_TYPEDEF:
		bb_btf_dump_ident(d, bb_btf_dump_ident_name(d, id));
		break;
	case BTF_KIND_TYPE_TAG:
		emit_type_tag(d, t);
		break;
	}
}

/*
 * Pop the chain from the base type outwards: `const int * const *p`
 * is ptr -> const -> ptr -> const -> int in BTF, read backwards.
 */
static void emit_chain(struct bb_btf_dump *d, struct id_stack *s,
		       const char *fname, int lvl)
{
	bool last_was_ptr = true;	/* (*f) of a lone pointer: no space */
	const struct btf_type *t;
	uint32_t id, kind;

	while (s->cnt) {
		id = stack_top(s);
		s->cnt--;
		t = bb_btf_type(d->btf, id);
		if (!t) {		/* void */
			emit_mods(d, s);
			fputs("void", d->f);
			last_was_ptr = false;
			continue;
		}
		kind = bb_btf_kind(t);
		switch (kind) {
		case BTF_KIND_PTR:
			fputs(last_was_ptr ? "*" : " *", d->f);
			break;
		case BTF_KIND_VOLATILE:
			fputs(" volatile", d->f);
			break;
		case BTF_KIND_CONST:
			fputs(" const", d->f);
			break;
		case BTF_KIND_RESTRICT:
			fputs(" restrict", d->f);
			break;
		case BTF_KIND_ARRAY:
			emit_array(d, s, t, fname, last_was_ptr, lvl);
			return;
		case BTF_KIND_FUNC_PROTO:
			emit_proto(d, s, t, fname, last_was_ptr, lvl);
			return;
		case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_STRUCT:
		case BTF_KIND_UNION: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
			emit_base(d, s, id, t, lvl);
			break;
		default:
			bb_btf_dump_error(d, EINVAL, id,
					  "unexpected kind in a declaration");
			return;
		}
		last_was_ptr = kind == BTF_KIND_PTR;
	}
	emit_name(d, fname, last_was_ptr);
}

/*
 * Declare fname of type id (a member, a parameter, a typedef's target):
 * push the chain down to its base type, then write it out in C order.
 */
void bb_btf_dump_type_decl(struct bb_btf_dump *d, uint32_t id,
			   const char *fname, int lvl)
{
	size_t start = d->dcnt, n;
	const struct btf_type *t;
	struct id_stack s;

	if (++d->depth > BB_BTF_DUMP_MAX_DEPTH) {
		bb_btf_dump_error(d, ELOOP, id, "declaration nested too deep (a loop?)");
		fputs("void", d->f);
		goto out;
	}
	for (n = 0; ; n++) {
		if (n > BB_BTF_DUMP_MAX_DEPTH) {
			bb_btf_dump_error(d, ELOOP, id, "declaration chain loops");
			d->dcnt = start;
			fputs("void", d->f);
			goto out;
		}
		if (push_decl(d, id)) {
			bb_btf_dump_error(d, ENOMEM, id, "out of memory");
			d->dcnt = start;
			goto out;
		}
		t = bb_btf_type(d->btf, id);
		if (!t)
			break;
		switch (bb_btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_FUNC_PROTO:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			id = bb_btf_array(t)->type;
			continue;
		case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		case BTF_KIND_FWD: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		case BTF_KIND_TYPEDEF: case BTF_KIND_FLOAT:
			break;
		default:
			bb_btf_dump_error(d, EINVAL, id,
					  "unexpected kind in a declaration");
			break;
		}
		break;
	}
	s.d = d;
	s.base = start;
	s.cnt = d->dcnt - start;
	emit_chain(d, &s, fname, lvl);
	/* the frame was only viewed: pop it here */
	d->dcnt = start;
out:
	d->depth--;
}
