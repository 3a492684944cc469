// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The text columns of an event record type: the record struct's members,
 * nested structs flattened into a.b columns (anonymous ones into their
 * members' own names), bounded in depth, count and work; and each
 * column's width, from its name and its type. See event_fmt.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_fmt_int.h"

#define FLAT_DEPTH	8		/* a.b.c columns */
#define MAX_COLS	128
#define FLAT_WORK	4096		/* members visited while flattening */
#define NEST_WIDTH	32		/* widest column for {..} / [..] */
#define STR_WIDTH	16		/* widest column for a char array */
#define WALL_WIDTH	15		/* HH:MM:SS.ffffff */

static int digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int width_of(const struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		    unsigned int depth);

static int int_width(const struct btf_type *t, uint32_t bitsz)
{
	uint32_t enc = bb_btf_int_encoding(t);
	uint32_t bits = bitsz ? bitsz : bb_btf_int_bits(t);

	if (enc & BTF_INT_BOOL)
		return 5;
	if (!bits)		/* malformed, printed as "-" */
		return 1;
	if (bits > 64)
		return 2 + (bits + 3) / 4;
	if (enc & BTF_INT_SIGNED)
		return bits >= 64 ? 20 : 1 + digits(1ull << (bits - 1));
	return digits(bits >= 64 ? ~0ull : (1ull << bits) - 1);
}

static int enum_width(const struct bb_evfmt *f, const struct btf_type *t)
{
	bool is64 = bb_btf_kind(t) == BTF_KIND_ENUM64;
	uint32_t i, off;
	int w = 1, n;

	for (i = 0; i < bb_btf_vlen(t) && w < NEST_WIDTH; i++) {
		off = is64 ? bb_btf_enums64(t)[i].name_off :
			     bb_btf_enums(t)[i].name_off;
		n = strlen(bb_ev_str(f->btf, off));
		if (n > w)
			w = n;
	}
	return w;
}

/* {a=1 b=2}: members' names and widths, until it is wide enough */
static int composite_width(const struct bb_evfmt *f, const struct btf_type *t,
			   unsigned int depth)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i;
	int w = 2;

	for (i = 0; i < bb_btf_vlen(t) && w < NEST_WIDTH; i++)
		w += 2 + strlen(bb_ev_str(f->btf, m[i].name_off)) +
		     width_of(f, m[i].type, bb_btf_member_bitfield_size(t, &m[i]),
			      depth + 1);
	return w;
}

static int array_width(const struct bb_evfmt *f, const struct btf_type *t,
		       unsigned int depth)
{
	const struct btf_array *a = bb_btf_array(t);
	uint64_t w;

	if (bb_ev_is_char_elem(f->btf, a->type))
		return a->nelems < STR_WIDTH ? (a->nelems ? a->nelems : 1) :
		       STR_WIDTH;
	w = 2 + (uint64_t)a->nelems * (width_of(f, a->type, 0, depth + 1) + 1);
	return w < NEST_WIDTH ? (int)w : NEST_WIDTH;
}

/* the width a value of this type needs, at most NEST_WIDTH for nested */
static int width_of(const struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		    unsigned int depth)
{
	const struct btf_type *t = bb_ev_resolve(f->btf, &id);
	int w;

	/* an estimate: a few levels are enough to reach NEST_WIDTH */
	if (!t || depth > 2)
		return 1;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		return int_width(t, bitsz);
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return enum_width(f, t);
	case BTF_KIND_PTR:
		return 18;
	case BTF_KIND_FLOAT:
		return 12;
	case BTF_KIND_ARRAY:
		return array_width(f, t, depth);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		w = composite_width(f, t, depth);
		return w < NEST_WIDTH ? w : NEST_WIDTH;
	default:
		return 1;
	}
}

static int add_col(struct bb_evfmt *f, const char *prefix, const char *name,
		   uint32_t type, uint32_t bit_off, uint32_t bitsz)
{
	struct bb_evcol *c, *cols;
	int n, w;

	cols = realloc(f->cols, (f->ncols + 1) * sizeof(*cols));
	if (!cols)
		return -ENOMEM;
	f->cols = cols;
	c = &cols[f->ncols];
	memset(c, 0, sizeof(*c));
	if (asprintf(&c->name, "%s%s", prefix, *name ? name : "(anon)") < 0) {
		c->name = NULL;
		return -ENOMEM;
	}
	f->ncols++;
	c->type = type;
	c->bit_off = bit_off;
	c->bitsz = bitsz;
	c->ktime = bb_ev_ktime_member(f, name, type, bitsz);
	w = c->ktime ? WALL_WIDTH : width_of(f, type, bitsz, 0);
	n = strlen(c->name);
	c->width = n > w ? n : w;
	return 0;
}

/*
 * Columns of a struct or union at bit_off: nested struct members become
 * prefix.name columns, anonymous struct/union members inline (flat).
 */
static int add_members(struct bb_evfmt *f, const struct btf_type *t,
		       const char *prefix, uint32_t bit_off,
		       unsigned int depth, bool flat)
{
	const struct btf_member *m = bb_btf_members(t);
	const struct btf_type *mt;
	uint32_t i, mid, boff, bsz;
	const char *name;
	char *sub;
	int err = 0;

	for (i = 0; i < bb_btf_vlen(t) && !err; i++) {
		if (flat && (f->ncols > MAX_COLS ||
			     ++f->flat_work > FLAT_WORK)) {
			f->too_many = true;
			return 0;
		}
		name = bb_ev_str(f->btf, m[i].name_off);
		boff = bit_off + bb_btf_member_bit_offset(t, &m[i]);
		bsz = bb_btf_member_bitfield_size(t, &m[i]);
		mid = m[i].type;
		mt = bb_ev_resolve(f->btf, &mid);
		if (flat && !bsz && mt && depth < FLAT_DEPTH &&
		    ((!*name && bb_btf_is_composite(mt)) ||
		     bb_btf_kind(mt) == BTF_KIND_STRUCT)) {
			if (asprintf(&sub, "%s%s%s", prefix, name,
				     *name ? "." : "") < 0)
				return -ENOMEM;
			err = add_members(f, mt, sub, boff, depth + 1, flat);
			free(sub);
			continue;
		}
		err = add_col(f, prefix, name, m[i].type, boff, bsz);
	}
	return err;
}

void bb_ev_free_cols(struct bb_evfmt *f)
{
	size_t i;

	for (i = 0; i < f->ncols; i++)
		free(f->cols[i].name);
	free(f->cols);
	f->cols = NULL;
	f->ncols = 0;
}

/* the last column is a flexible array at the struct's end */
static void mark_flex(struct bb_evfmt *f)
{
	struct bb_evcol *c;
	uint32_t id;
	const struct btf_type *t;

	if (!f->is_struct || !f->ncols)
		return;
	c = &f->cols[f->ncols - 1];
	id = c->type;
	t = bb_ev_resolve(f->btf, &id);
	c->flex = t && bb_btf_kind(t) == BTF_KIND_ARRAY &&
		  !bb_btf_array(t)->nelems && !c->bitsz &&
		  c->bit_off == f->size * 8;
}

int bb_ev_make_cols(struct bb_evfmt *f)
{
	uint32_t id = f->type_id;
	const struct btf_type *t = bb_ev_resolve(f->btf, &id);
	int err;

	if (t && bb_btf_is_composite(t) && bb_btf_vlen(t)) {
		f->is_struct = true;
		err = add_members(f, t, "", 0, 0, true);
		if (!err && f->too_many) {
			/* too wide to flatten: one column per member */
			bb_ev_free_cols(f);
			err = add_members(f, t, "", 0, 0, false);
		}
	} else {
		t = bb_btf_type(f->btf, f->type_id);
		err = add_col(f, "", *bb_btf_type_name(f->btf, t) ?
			      bb_btf_type_name(f->btf, t) : "value",
			      f->type_id, 0, 0);
	}
	if (!err)
		mark_flex(f);
	return err;
}
