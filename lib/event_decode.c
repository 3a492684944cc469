// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event record decoder: one value of a record into f->sink, the JSON
 * writer (bb_vw) for -j or the text sink (event_text.c). Plain integers
 * and floats are handed to bb_btf_value_walk; structs, arrays, enums and
 * bitfields are walked here, because records need what map values do
 * not: decoding a short record as far as it goes, flexible array
 * members, bitfields as signed decimals, ktimes as wall-clock time.
 *
 * Neither the BTF nor the bytes are trusted: every read is checked
 * against the bytes left, nesting and the number of values are bounded.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event_fmt_int.h"

/* ---- emitting, counted ---- */

#define EMIT(f, op, ...)						\
	do {								\
		(f)->nodes++;						\
		(f)->sink.ops->op((f)->sink.ctx, ##__VA_ARGS__);	\
	} while (0)

static bool over_budget(struct bb_evfmt *f)
{
	if (f->nodes < BB_EV_MAX_NODES)
		return false;
	f->cut = true;
	return true;
}

static uint64_t load_u(const uint8_t *p, unsigned int n)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64 = 0;

	switch (n) {
	case 1: memcpy(&u8, p, 1); return u8;
	case 2: memcpy(&u16, p, 2); return u16;
	case 4: memcpy(&u32, p, 4); return u32;
	default: memcpy(&u64, p, 8); return u64;
	}
}

static int64_t sext(uint64_t v, unsigned int bits)
{
	unsigned int shift = 64 - bits;

	if (!bits || bits >= 64)
		return (int64_t)v;
	return (int64_t)(v << shift) >> shift;
}

/*
 * nbits (1..64) starting boff bits into p, in the host's bit order (BTF
 * describes the target's layout; ring buffers hold host-endian bytes).
 */
static uint64_t load_bits(const uint8_t *p, uint32_t boff, uint32_t nbits)
{
	uint64_t v = 0;
	uint32_t k, pos;

	for (k = 0; k < nbits; k++) {
		pos = boff + k;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = (v << 1) | ((p[pos / 8] >> (7 - pos % 8)) & 1);
#else
		v |= (uint64_t)((p[pos / 8] >> (pos % 8)) & 1) << k;
#endif
	}
	return v;
}

/* hand a plain integer or a float to the map-value walker */
static void dec_walker(struct bb_evfmt *f, uint32_t id, const uint8_t *p,
		       size_t avail)
{
	struct bb_value_opts o = { .plain = !f->json, .loose_strings = true };

	f->nodes++;
	if (bb_btf_value_walk(f->btf, id, p, avail, &o, &f->sink))
		f->sink.ops->null(f->sink.ctx);
}

static void dec_int(struct bb_evfmt *f, uint32_t id, const struct btf_type *t,
		    uint32_t bitsz, uint32_t boff, const uint8_t *p,
		    size_t avail)
{
	uint32_t enc = bb_btf_int_encoding(t), bits = bb_btf_int_bits(t);
	uint64_t v;

	if (!bitsz && !boff && !bb_btf_int_offset(t) &&
	    (bits == 8 || bits == 16 || bits == 32 || bits == 64 ||
	     bits == 128) && bits / 8 == t->size) {
		dec_walker(f, id, p, avail);
		return;
	}
	/* a bitfield, or an int of odd width */
	if (!bitsz) {
		bitsz = bits;
		boff += bb_btf_int_offset(t);
	}
	if (!bitsz || bitsz > 64 || ((size_t)boff + bitsz + 7) / 8 > avail) {
		EMIT(f, null);
		return;
	}
	v = load_bits(p, boff, bitsz);
	if (enc & BTF_INT_BOOL)
		EMIT(f, boolean, v != 0);
	else if (enc & BTF_INT_SIGNED)
		EMIT(f, int64, sext(v, bitsz));
	else
		EMIT(f, uint64, v);
}

static void dec_enum(struct bb_evfmt *f, const struct btf_type *t,
		     uint32_t bitsz, uint32_t boff, const uint8_t *p,
		     size_t avail)
{
	bool is64 = bb_btf_kind(t) == BTF_KIND_ENUM64;
	bool sign = bb_btf_kflag(t);
	uint32_t i, n = t->size, bits = bitsz ? bitsz : n * 8;
	uint64_t v, ev, mask;

	if (bitsz) {
		if (bitsz > 64 || ((size_t)boff + bitsz + 7) / 8 > avail)
			goto bad;
		v = load_bits(p, boff, bitsz);
	} else {
		if ((n != 1 && n != 2 && n != 4 && n != 8) || n > avail)
			goto bad;
		v = load_u(p, n);
	}
	mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
	/* a long list of enumerators is work too */
	f->nodes += bb_btf_vlen(t) / 64;
	for (i = 0; i < bb_btf_vlen(t); i++) {
		if (is64) {
			const struct btf_enum64 *e = &bb_btf_enums64(t)[i];

			ev = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
		} else {
			const struct btf_enum *e = &bb_btf_enums(t)[i];

			/* sign-extend signed ones, so masks compare alike */
			ev = sign ? (uint64_t)(int64_t)e->val :
				    (uint64_t)(uint32_t)e->val;
		}
		if ((ev & mask) == (v & mask)) {
			const char *s = bb_ev_str(f->btf, is64 ?
				bb_btf_enums64(t)[i].name_off :
				bb_btf_enums(t)[i].name_off);

			EMIT(f, string, s, strlen(s));
			return;
		}
	}
	if (sign)
		EMIT(f, int64, sext(v, bits));
	else
		EMIT(f, uint64, v & mask);
	return;
bad:
	EMIT(f, null);
}

static void dec_ptr(struct bb_evfmt *f, const uint8_t *p, size_t avail)
{
	char tok[24];
	uint64_t v;

	if (avail < 8) {	/* BPF pointers are 64-bit */
		EMIT(f, null);
		return;
	}
	v = load_u(p, 8);
	if (f->json) {
		EMIT(f, uint64, v);
		return;
	}
	snprintf(tok, sizeof(tok), "0x%" PRIx64, v);
	EMIT(f, raw, tok);
}

static void dec_array(struct bb_evfmt *f, const struct btf_type *t,
		      const uint8_t *p, size_t avail, int64_t flex_n)
{
	const struct btf_array *a = bb_btf_array(t);
	uint64_t i, n = flex_n >= 0 ? (uint64_t)flex_n : a->nelems;
	int64_t esz;
	size_t k, left;

	if (bb_ev_is_char_elem(f->btf, a->type)) {
		/* loose: whatever it holds, up to its NUL, within the data */
		left = n < avail ? n : avail;
		for (k = 0; k < left && p[k]; k++)
			;
		EMIT(f, string, (const char *)p, k);
		return;
	}
	esz = bb_btf_resolve_size(f->btf, a->type);
	if (esz < 0) {
		EMIT(f, null);
		return;
	}
	EMIT(f, start_array);
	/* elements of size 0 hold nothing: show none (a billion of them) */
	for (i = 0; esz && i < n && i * esz < avail; i++) {
		left = avail - i * esz;
		if (left > (uint64_t)esz)
			left = esz;
		if (over_budget(f) ||
		    !bb_ev_reaches(f->btf, a->type, 0, 0, left))
			break;
		bb_ev_dec_value(f, a->type, 0, 0, p + i * esz, left, -1);
	}
	EMIT(f, end_array);
}

void bb_ev_dec_ktime(struct bb_evfmt *f, const char *name,
		     const uint8_t *p)
{
	uint64_t v = load_u(p, 8);
	char wall[64], key[256];

	if (f->json) {
		EMIT(f, uint64, v);
		if (!v || !bb_ev_wall_time(f, v, true, wall, sizeof(wall)))
			return;
		snprintf(key, sizeof(key), "%s_wall", name);
		EMIT(f, name, key);
		EMIT(f, string, wall, strlen(wall));
		return;
	}
	if (!v || !bb_ev_wall_time(f, v, false, wall, sizeof(wall)))
		EMIT(f, uint64, v);
	else
		EMIT(f, raw, wall);
}

/*
 * The members of a struct or union at p (size bytes, avail of them
 * there), into an open object; an anonymous struct/union member's
 * members are inlined, as C names them. top: the record itself, whose
 * last member may be a flexible array taking the rest of the record.
 */
void bb_ev_dec_members(struct bb_evfmt *f, const struct btf_type *t,
		       const uint8_t *p, size_t avail, bool top)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, vlen = bb_btf_vlen(t), bits, bsz, off, mid;
	const struct btf_type *mt;
	size_t lim = avail, left;
	int64_t flex;
	const char *name;

	if (!top && lim > t->size)
		lim = t->size;
	for (i = 0; i < vlen && !over_budget(f); i++) {
		/*
		 * every member visited counts: anonymous members emit
		 * nothing, and nested ones multiply (a struct of 1000
		 * anonymous structs of 1000 anonymous structs ...)
		 */
		f->nodes++;
		bits = bb_btf_member_bit_offset(t, &m[i]);
		bsz = bb_btf_member_bitfield_size(t, &m[i]);
		off = bits / 8;
		name = bb_ev_str(f->btf, m[i].name_off);
		if (off > lim)
			continue;	/* a short record: not reached */
		left = lim - off;
		if (!top || off < t->size || i + 1 < vlen)
			flex = -1;
		else
			flex = bb_ev_flex_count(f, m[i].type, left);
		if (!bb_ev_reaches(f->btf, m[i].type, bsz, bits % 8, left))
			continue;
		mid = m[i].type;
		mt = bb_ev_resolve(f->btf, &mid);
		if (!*name) {
			/* anonymous struct/union: its members are ours */
			if (!bsz && mt && bb_btf_is_composite(mt) &&
			    f->depth < BB_EV_MAX_DEPTH) {
				f->depth++;
				bb_ev_dec_members(f, mt, p + off, left, false);
				f->depth--;
			}
			continue;
		}
		EMIT(f, name, name);
		if (bb_ev_ktime_member(f, name, m[i].type, bsz))
			bb_ev_dec_ktime(f, name, p + off);
		else
			bb_ev_dec_value(f, m[i].type, bsz, bits % 8, p + off,
					left, flex);
	}
}

void bb_ev_dec_value(struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		     uint32_t boff, const uint8_t *p, size_t avail,
		     int64_t flex_n)
{
	const struct btf_type *t = bb_ev_resolve(f->btf, &id);

	if (!t || f->depth >= BB_EV_MAX_DEPTH) {
		EMIT(f, null);
		return;
	}
	f->depth++;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		dec_int(f, id, t, bitsz, boff, p, avail);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		dec_enum(f, t, bitsz, boff, p, avail);
		break;
	case BTF_KIND_PTR:
		dec_ptr(f, p, avail);
		break;
	case BTF_KIND_FLOAT:
		dec_walker(f, id, p, avail);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		EMIT(f, start_object);
		bb_ev_dec_members(f, t, p, avail, false);
		EMIT(f, end_object);
		break;
	case BTF_KIND_ARRAY:
		dec_array(f, t, p, avail, flex_n);
		break;
	default:
		EMIT(f, null);
		break;
	}
	f->depth--;
}
