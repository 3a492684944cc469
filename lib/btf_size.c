// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Sizes and alignments of BTF types, with libbpf's rules
 * (btf__resolve_size, btf__align_of). Uses only the accessors of btf.h:
 * types may have been mutated in place since the parse, so nothing here
 * trusts a cached answer across calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "err.h"

/* libbpf's MAX_RESOLVE_DEPTH: typedef/modifier/array steps per lookup */
#define RESOLVE_DEPTH	32
/* struct nesting for alignment; only guards the stack, loops are caught */
#define ALIGN_DEPTH	128
/* the BPF target, and kernel BTF, are 64-bit */
#define PTR_SIZE	8

static bool is_mod(uint32_t kind)
{
	switch (kind) {
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* "[12] STRUCT 'foo'" for messages; "[0] void" for void */
static const char *describe(const struct bb_btf *btf, uint32_t id,
			    char *buf, size_t len)
{
	const struct btf_type *t = bb_btf_type(btf, id);

	if (!id)
		snprintf(buf, len, "[0] void");
	else if (!t)
		snprintf(buf, len, "[%u] (no such type)", id);
	else
		snprintf(buf, len, "[%u] %s '%s'", id,
			 bb_btf_kind_name(bb_btf_kind(t)),
			 bb_btf_type_name(btf, t));
	return buf;
}

uint32_t bb_btf_skip_mods(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	int i;

	/* after RESOLVE_DEPTH steps (a loop) id is still a modifier */
	for (i = 0; i < RESOLVE_DEPTH; i++) {
		t = bb_btf_type(btf, id);
		if (!t || !is_mod(bb_btf_kind(t)))
			break;
		id = t->type;
	}
	return id;
}

int64_t bb_btf_resolve_size(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	uint64_t nelems = 1, size;
	uint32_t cur = id;
	char d1[160], d2[160];
	int i;

	for (i = 0; i < RESOLVE_DEPTH; i++) {
		t = bb_btf_type(btf, cur);
		if (!t)
			goto no_size;
		switch (bb_btf_kind(t)) {
		case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		case BTF_KIND_DATASEC: case BTF_KIND_FLOAT:
			size = t->size;
			goto done;
		case BTF_KIND_PTR:
			size = PTR_SIZE;
			goto done;
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
			cur = t->type;
			break;
		case BTF_KIND_ARRAY:
			/* both factors < 2^32: the product fits in 64 bits */
			nelems *= bb_btf_array(t)->nelems;
			if (nelems > UINT32_MAX)
				goto too_big;
			cur = bb_btf_array(t)->type;
			break;
		default:
			goto no_size;
		}
	}
	return bb_err(ELOOP,
		      "BTF: size of type %s: loop, or a chain of more than %d typedefs/modifiers/arrays",
		      describe(btf, id, d1, sizeof(d1)), RESOLVE_DEPTH);
done:
	size *= nelems;
	if (size > UINT32_MAX)
		goto too_big;
	return size;
too_big:
	return bb_err(E2BIG, "BTF: size of type %s overflows 32 bits",
		      describe(btf, id, d1, sizeof(d1)));
no_size:
	return bb_err(EINVAL, "BTF: size of type %s: %s has no size",
		      describe(btf, id, d1, sizeof(d1)),
		      describe(btf, cur, d2, sizeof(d2)));
}

/*
 * Alignment. Composites are memoised for the duration of one call: a
 * struct embedding N copies of a struct embedding N copies of ... would
 * otherwise take N^depth steps. An entry of 0 means "being computed",
 * which is how a struct that contains itself is caught.
 */
struct align_ctx {
	const struct bb_btf *btf;
	uint32_t root;
	uint32_t cap, cnt;		/* cap: power of two */
	uint32_t *ids;			/* 0: free slot */
	int *vals;
	uint32_t ids0[32];		/* small cases stay off the heap */
	int vals0[32];
};

static uint32_t memo_slot(const struct align_ctx *c, uint32_t id)
{
	uint32_t i = (id * 2654435761u) & (c->cap - 1);

	while (c->ids[i] && c->ids[i] != id)
		i = (i + 1) & (c->cap - 1);
	return i;
}

static int memo_grow(struct align_ctx *c)
{
	struct align_ctx n = *c;
	uint32_t i, s;

	n.cap = c->cap * 2;
	n.ids = calloc(n.cap, sizeof(*n.ids) + sizeof(*n.vals));
	if (!n.ids)
		return bb_err(ENOMEM, "BTF: out of memory computing alignment");
	n.vals = (int *)(n.ids + n.cap);
	for (i = 0; i < c->cap; i++) {
		if (!c->ids[i])
			continue;
		s = memo_slot(&n, c->ids[i]);
		n.ids[s] = c->ids[i];
		n.vals[s] = c->vals[i];
	}
	if (c->ids != c->ids0)
		free(c->ids);
	c->ids = n.ids;
	c->vals = n.vals;
	c->cap = n.cap;
	return 0;
}

static int memo_set(struct align_ctx *c, uint32_t id, int val)
{
	uint32_t s = memo_slot(c, id);
	int err;

	if (!c->ids[s]) {
		if (2 * (c->cnt + 1) > c->cap) {
			err = memo_grow(c);
			if (err)
				return err;
			s = memo_slot(c, id);
		}
		c->ids[s] = id;
		c->cnt++;
	}
	c->vals[s] = val;
	return 0;
}

static int align_of(struct align_ctx *c, uint32_t id, int depth);

static int composite_align(struct align_ctx *c, uint32_t id,
			   const struct btf_type *t, int depth)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, s = memo_slot(c, id), vlen = bb_btf_vlen(t);
	int a, max = 1, err;
	bool packed = false;
	char d[160];

	if (c->ids[s]) {
		if (c->vals[s])
			return c->vals[s];
		return bb_err(ELOOP, "BTF: alignment of type %s: %s contains itself",
			      describe(c->btf, c->root, d, sizeof(d)),
			      bb_btf_kind_name(bb_btf_kind(t)));
	}
	err = memo_set(c, id, 0);
	if (err)
		return err;
	for (i = 0; i < vlen; i++, m++) {
		a = align_of(c, m->type, depth + 1);
		if (a < 0)
			return a;
		if (a > max)
			max = a;
		/* a member off its natural alignment: the struct is packed */
		if (!bb_btf_member_bitfield_size(t, m) &&
		    bb_btf_member_bit_offset(t, m) % (8 * a))
			packed = true;
	}
	/* as is a size that is not a multiple of the alignment */
	if (t->size % max)
		packed = true;
	a = packed ? 1 : max;
	err = memo_set(c, id, a);
	return err ? err : a;
}

static int align_of(struct align_ctx *c, uint32_t id, int depth)
{
	const struct btf_type *t = bb_btf_type(c->btf, id);
	char d1[160], d2[160];

	if (depth > ALIGN_DEPTH)
		return bb_err(ELOOP,
			      "BTF: alignment of type %s: types nested more than %d deep",
			      describe(c->btf, c->root, d1, sizeof(d1)),
			      ALIGN_DEPTH);
	if (!t)
		goto no_align;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		if (!t->size)
			goto no_align;
		return t->size < PTR_SIZE ? (int)t->size : PTR_SIZE;
	case BTF_KIND_PTR:
		return PTR_SIZE;
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return align_of(c, t->type, depth + 1);
	case BTF_KIND_ARRAY:
		return align_of(c, bb_btf_array(t)->type, depth + 1);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return composite_align(c, id, t, depth);
	default:
		goto no_align;
	}
no_align:
	return bb_err(EINVAL, "BTF: alignment of type %s: %s has no alignment",
		      describe(c->btf, c->root, d1, sizeof(d1)),
		      describe(c->btf, id, d2, sizeof(d2)));
}

int bb_btf_align(const struct bb_btf *btf, uint32_t id)
{
	struct align_ctx c;
	int a;

	c.btf = btf;
	c.root = id;
	c.cap = 32;
	c.cnt = 0;
	c.ids = c.ids0;
	c.vals = c.vals0;
	memset(c.ids0, 0, sizeof(c.ids0));
	a = align_of(&c, id, 0);
	if (c.ids != c.ids0)
		free(c.ids);
	return a;
}
