// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a BTF type means to an event record: typedefs and modifiers
 * followed (a loop is no type), char arrays, how many bytes a member
 * needs before it is shown, and flexible array members, which take the
 * record's remaining bytes. The BTF is not trusted.
 */
#include <string.h>

#include "event_fmt_int.h"

/* follow typedefs and modifiers; NULL for void, loops, bad ids */
const struct btf_type *bb_ev_resolve(const struct bb_btf *btf,
				     uint32_t *id)
{
	const struct btf_type *t;

	*id = bb_btf_skip_mods(btf, *id);
	t = bb_btf_type(btf, *id);
	if (!t)
		return NULL;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return NULL;		/* a loop */
	}
	return t;
}

const char *bb_ev_str(const struct bb_btf *btf, uint32_t off)
{
	const char *s = bb_btf_str(btf, off);

	return s ? s : "";
}

/* a char array's element: 1-byte int named char, or char-encoded */
bool bb_ev_is_char_elem(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	int i;

	for (i = 0; i < BB_EV_MAX_DEPTH; i++) {
		t = bb_btf_type(btf, id);
		if (!t)
			return false;
		switch (bb_btf_kind(t)) {
		case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_INT:
			return t->size == 1 &&
			       (bb_btf_int_encoding(t) == BTF_INT_CHAR ||
				!strcmp(bb_btf_type_name(btf, t), "char"));
		default:
			return false;
		}
	}
	return false;
}

/* bytes a scalar needs; 0 for composites and arrays (decoded in part) */
static size_t scalar_bytes(const struct bb_btf *btf, uint32_t id,
			   uint32_t bitsz, uint32_t boff)
{
	const struct btf_type *t = bb_ev_resolve(btf, &id);

	if (bitsz)
		return ((size_t)boff + bitsz + 7) / 8;
	if (!t)
		return 1;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ARRAY:
		return 0;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_INT:
		return ((size_t)boff + bb_btf_int_offset(t) +
			bb_btf_int_bits(t) + 7) / 8;
	default:
		return t->size ? t->size : 1;
	}
}

/* does a value starting here get shown: scalars need all their bytes */
bool bb_ev_reaches(const struct bb_btf *btf, uint32_t id, uint32_t bitsz,
		   uint32_t boff, size_t avail)
{
	size_t n = scalar_bytes(btf, id, bitsz, boff);

	return n ? n <= avail : avail > 0 || bb_btf_resolve_size(btf, id) == 0;
}

/* the element count of a flexible array member at the record's end */
int64_t bb_ev_flex_count(const struct bb_evfmt *f, uint32_t type,
			 size_t avail)
{
	const struct btf_type *t = bb_ev_resolve(f->btf, &type);
	int64_t esz;

	if (!t || bb_btf_kind(t) != BTF_KIND_ARRAY || bb_btf_array(t)->nelems)
		return -1;
	esz = bb_btf_resolve_size(f->btf, bb_btf_array(t)->type);
	if (esz <= 0)
		return -1;
	return avail / esz;
}
