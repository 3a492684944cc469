// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values through BTF: a walker from (type, bytes) to a tree of nodes
 * handed to a sink, and a small writer that lays the tree out as
 * bpftool's json_writer does. See btf_value.h for what is emitted.
 *
 * The walker trusts neither the bytes nor the BTF: every read is checked
 * against the bytes left, nesting and the number of nodes are bounded
 * (a malformed BTF can describe loops or arrays of a billion empty
 * structs), and an error closes what was opened so output stays valid.
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_value.h"
#include "utf8.h"
#include "err.h"

#define DEF_MAX_DEPTH	32
#define DEF_MAX_NODES	(1u << 20)

struct walk {
	const struct bb_btf *btf;
	const struct bb_vsink *sink;
	const uint8_t *base;		/* start of the value, for messages */
	bool plain, loose;
	unsigned int depth, max_depth;
	unsigned int nodes, max_nodes;
};

static int walk_type(struct walk *w, uint32_t id, uint32_t bit_off,
		     const uint8_t *p, size_t avail);

/* ------------------------------------------------------------------ */
/* Emitting: every node is counted, so a runaway type is cut short     */

#define EMIT(w, op, ...)						\
	do {								\
		(w)->nodes++;						\
		(w)->sink->ops->op((w)->sink->ctx, ##__VA_ARGS__);	\
	} while (0)

static void e_string(struct walk *w, const char *s, size_t n)
{
	EMIT(w, string, s, n);
}

static void e_raw_or_string(struct walk *w, const char *tok)
{
	/* plain text shows hex and specials bare, JSON needs them quoted */
	if (w->plain)
		EMIT(w, raw, tok);
	else
		EMIT(w, string, tok, strlen(tok));
}

static void e_null(struct walk *w)
{
	EMIT(w, null);
}

/* "[12] STRUCT 'val'" for messages */
static const char *describe(const struct walk *w, uint32_t id, char *buf,
			    size_t len)
{
	const struct btf_type *t = bb_btf_type(w->btf, id);

	if (!t)
		snprintf(buf, len, "[%u] %s", id, id ? "(no such type)" : "void");
	else
		snprintf(buf, len, "[%u] %s '%s'", id,
			 bb_btf_kind_name(bb_btf_kind(t)),
			 bb_btf_type_name(w->btf, t));
	return buf;
}

/* n bytes at p must lie within the avail bytes left */
static int need(const struct walk *w, uint32_t id, const uint8_t *p,
		size_t avail, size_t n)
{
	char d[160];

	if (n <= avail)
		return 0;
	return bb_err(EINVAL,
		      "value of type %s is cut short: it needs %zu bytes at offset %zu, only %zu are there",
		      describe(w, id, d, sizeof(d)), n, (size_t)(p - w->base),
		      avail);
}

static const char *name_at(const struct walk *w, uint32_t off)
{
	const char *s = bb_btf_str(w->btf, off);

	return s ? s : "";
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */

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

static int64_t sign_extend(uint64_t v, unsigned int bytes)
{
	unsigned int shift = 64 - 8 * bytes;

	return (int64_t)(v << shift) >> shift;
}

/* hex as bpftool prints bitfields and __int128: no leading zeros */
static void hex128(char *buf, size_t len, unsigned __int128 v)
{
	uint64_t hi = v >> 64, lo = (uint64_t)v;

	if (hi)
		snprintf(buf, len, "0x%" PRIx64 "%016" PRIx64, hi, lo);
	else
		snprintf(buf, len, "0x%" PRIx64, lo);
}

/*
 * nr_bits starting bit_off bits into p, in the bit order of the host
 * (BTF describes the target's layout, and maps hold host-endian bytes).
 * Never sign-extended, as bpftool shows them.
 */
static int walk_bits(struct walk *w, uint32_t id, uint32_t nr_bits,
		     uint32_t bit_off, const uint8_t *p, size_t avail)
{
	unsigned __int128 v = 0;
	char tok[48];
	uint32_t k, pos;
	int err;

	if (!nr_bits || nr_bits > 128)
		return bb_err(EINVAL, "bitfield of %u bits: at most 128 are supported",
			      nr_bits);
	err = need(w, id, p, avail, ((size_t)bit_off + nr_bits + 7) / 8);
	if (err)
		return err;
	for (k = 0; k < nr_bits; k++) {
		unsigned int bit;

		pos = bit_off + k;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		bit = (p[pos / 8] >> (7 - pos % 8)) & 1;
		v = (v << 1) | bit;
#else
		bit = (p[pos / 8] >> (pos % 8)) & 1;
		v |= (unsigned __int128)bit << k;
#endif
	}
	hex128(tok, sizeof(tok), v);
	e_raw_or_string(w, tok);
	return 0;
}

static bool is_print(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

static int walk_char(struct walk *w, uint32_t id, const uint8_t *p,
		     size_t avail)
{
	char tok[8];
	int err = need(w, id, p, avail, 1);

	if (err)
		return err;
	if (is_print(p[0]) || !w->plain) {
		/* JSON: the writer escapes it (\u00XX as bpftool) */
		e_string(w, (const char *)p, 1);
	} else {
		snprintf(tok, sizeof(tok), "0x%x", p[0]);
		EMIT(w, raw, tok);
	}
	return 0;
}

static int walk_int(struct walk *w, uint32_t id, const struct btf_type *t,
		    uint32_t bit_off, const uint8_t *p, size_t avail)
{
	uint32_t enc = bb_btf_int_encoding(t), bits = bb_btf_int_bits(t);
	unsigned int n = bits / 8;
	uint64_t v;
	int err;

	/* bitfields, odd widths and __int128 print as hex */
	if (bit_off || bb_btf_int_offset(t) || bits % 8 || bits > 64)
		return walk_bits(w, id, bits, bit_off + bb_btf_int_offset(t),
				 p, avail);
	if (enc == BTF_INT_CHAR)
		return walk_char(w, id, p, avail);
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return walk_bits(w, id, bits, 0, p, avail);
	err = need(w, id, p, avail, n);
	if (err)
		return err;
	v = load_u(p, n);
	switch (enc) {
	case 0:
		EMIT(w, uint64, v);
		return 0;
	case BTF_INT_SIGNED:
		EMIT(w, int64, sign_extend(v, n));
		return 0;
	case BTF_INT_BOOL:
		EMIT(w, boolean, v != 0);
		return 0;
	default:
		return bb_err(EINVAL, "int type [%u] has encoding 0x%x, which is none of signed, char, bool",
			      id, enc);
	}
}

static int walk_enum(struct walk *w, uint32_t id, const struct btf_type *t,
		     const uint8_t *p, size_t avail)
{
	const struct btf_enum *e = bb_btf_enums(t);
	uint32_t i, n = t->size;
	int64_t v;
	int err;

	if (n != 1 && n != 2 && n != 4 && n != 8)
		return bb_err(EINVAL, "enum type [%u] has size %u: only 1, 2, 4 or 8 can be read",
			      id, n);
	err = need(w, id, p, avail, n);
	if (err)
		return err;
	/* read signed, as bpftool does: enumerators are stored as s32 */
	v = sign_extend(load_u(p, n), n);
	for (i = 0; i < bb_btf_vlen(t); i++) {
		if (v == e[i].val) {
			const char *s = name_at(w, e[i].name_off);

			e_string(w, s, strlen(s));
			return 0;
		}
	}
	EMIT(w, int64, v);
	return 0;
}

static int walk_enum64(struct walk *w, uint32_t id, const struct btf_type *t,
		       const uint8_t *p, size_t avail)
{
	const struct btf_enum64 *e = bb_btf_enums64(t);
	uint32_t i, n = t->size;
	uint64_t v;
	int err;

	if (n != 1 && n != 2 && n != 4 && n != 8)
		return bb_err(EINVAL, "enum64 type [%u] has size %u: only 1, 2, 4 or 8 can be read",
			      id, n);
	err = need(w, id, p, avail, n);
	if (err)
		return err;
	v = load_u(p, n);
	if (bb_btf_kflag(t))
		v = (uint64_t)sign_extend(v, n);
	for (i = 0; i < bb_btf_vlen(t); i++) {
		if (v == ((uint64_t)e[i].val_hi32 << 32 | e[i].val_lo32)) {
			const char *s = name_at(w, e[i].name_off);

			e_string(w, s, strlen(s));
			return 0;
		}
	}
	/* kflag says signed; bpftool prints all as signed, wrong past 2^63 */
	if (bb_btf_kflag(t))
		EMIT(w, int64, (int64_t)v);
	else
		EMIT(w, uint64, v);
	return 0;
}

static int walk_ptr(struct walk *w, uint32_t id, const uint8_t *p,
		    size_t avail)
{
	char tok[24];
	uint64_t v;
	int err = need(w, id, p, avail, 8);	/* BPF pointers are 64-bit */

	if (err)
		return err;
	v = load_u(p, 8);
	if (!w->plain) {
		EMIT(w, uint64, v);
		return 0;
	}
	/* glibc's %p, which bpftool uses */
	if (v)
		snprintf(tok, sizeof(tok), "0x%" PRIx64, v);
	else
		snprintf(tok, sizeof(tok), "(nil)");
	EMIT(w, raw, tok);
	return 0;
}

/* The fewest digits that read back as the same number. */
static void fmt_float(char *buf, size_t len, const uint8_t *p, uint32_t n)
{
	int prec;

	if (n == 4) {
		float f;

		memcpy(&f, p, 4);
		for (prec = 1; prec < 9; prec++) {
			snprintf(buf, len, "%.*g", prec, f);
			if (strtof(buf, NULL) == f)
				return;
		}
		snprintf(buf, len, "%.9g", f);
	} else if (n == 8) {
		double d;

		memcpy(&d, p, 8);
		for (prec = 1; prec < 17; prec++) {
			snprintf(buf, len, "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				return;
		}
		snprintf(buf, len, "%.17g", d);
	} else {
		long double ld;

		memcpy(&ld, p, sizeof(ld));
		snprintf(buf, len, "%.21Lg", ld);
	}
}

static int walk_float(struct walk *w, uint32_t id, const struct btf_type *t,
		      const uint8_t *p, size_t avail)
{
	char tok[64];
	uint32_t n = t->size;
	int err;

	if (n != 4 && n != 8 && !(n == 16 && sizeof(long double) == 16 &&
				  LDBL_MANT_DIG == 64))
		return bb_err(EINVAL, "float type [%u] has size %u, which this host cannot read",
			      id, n);
	err = need(w, id, p, avail, n);
	if (err)
		return err;
	fmt_float(tok, sizeof(tok), p, n);
	/* nan and inf are no JSON numbers */
	if (!w->plain && (strstr(tok, "nan") || strstr(tok, "inf")))
		e_string(w, tok, strlen(tok));
	else
		EMIT(w, raw, tok);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Composites                                                          */

/*
 * bpftool's rule for char arrays as strings: the element is a 1-byte int
 * named "char" (or char-encoded), through const/volatile but not through
 * typedefs, and the bytes are printable ASCII up to a NUL.
 */
static bool is_char_elem(const struct walk *w, uint32_t id)
{
	const struct btf_type *t;
	int i;

	for (i = 0; i < DEF_MAX_DEPTH; i++) {
		t = bb_btf_type(w->btf, id);
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
				!strcmp(bb_btf_type_name(w->btf, t), "char"));
		default:
			return false;
		}
	}
	return false;
}

/* the string's length when the array is one, else -1 */
static ssize_t str_array_len(const struct walk *w, const struct btf_array *a,
			     const uint8_t *p, size_t avail)
{
	size_t i;

	if (!a->nelems || a->nelems > avail || !is_char_elem(w, a->type))
		return -1;
	for (i = 0; i < a->nelems; i++) {
		if (!p[i])
			return i;
		if (!w->loose && !is_print(p[i]))
			return -1;
	}
	return w->loose ? (ssize_t)i : -1;	/* strict: needs its NUL */
}

/*
 * Walk a child node; when it failed before emitting anything, a null
 * keeps the parent's name/value pairs well formed.
 */
static int walk_child(struct walk *w, uint32_t id, uint32_t bit_off,
		      const uint8_t *p, size_t avail)
{
	unsigned int before = w->nodes;
	int err = walk_type(w, id, bit_off, p, avail);

	if (err && w->nodes == before)
		e_null(w);
	return err;
}

static int walk_array(struct walk *w, uint32_t id, const struct btf_type *t,
		      const uint8_t *p, size_t avail)
{
	const struct btf_array *a = bb_btf_array(t);
	ssize_t slen = str_array_len(w, a, p, avail);
	int64_t esz;
	uint32_t i;
	int err = 0;

	if (slen >= 0) {
		e_string(w, (const char *)p, slen);
		return 0;
	}
	esz = bb_btf_resolve_size(w->btf, a->type);
	if (esz < 0)
		return esz;
	if (esz && a->nelems > avail / esz)
		return need(w, id, p, avail, (size_t)esz * a->nelems);
	EMIT(w, start_array);
	for (i = 0; i < a->nelems && !err; i++)
		err = walk_child(w, a->type, 0, p + i * esz, avail - i * esz);
	EMIT(w, end_array);
	return err;
}

static int walk_struct(struct walk *w, uint32_t id, const struct btf_type *t,
		       const uint8_t *p, size_t avail)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, off, bits, bsz;
	int err;

	/* members past the struct's own size are as bad as past the data */
	err = need(w, id, p, avail, t->size);
	if (err)
		return err;
	avail = t->size;
	EMIT(w, start_object);
	for (i = 0; i < bb_btf_vlen(t) && !err; i++) {
		unsigned int before;

		bits = bb_btf_member_bit_offset(t, &m[i]);
		bsz = bb_btf_member_bitfield_size(t, &m[i]);
		off = bits / 8;
		EMIT(w, name, name_at(w, m[i].name_off));
		before = w->nodes;
		if (off > avail)
			err = need(w, id, p, avail, (size_t)off + 1);
		else if (bsz)
			err = walk_bits(w, id, bsz, bits % 8, p + off,
					avail - off);
		else
			err = walk_type(w, m[i].type, bits % 8, p + off,
					avail - off);
		if (err && w->nodes == before)
			e_null(w);
	}
	EMIT(w, end_object);
	return err;
}

static int walk_var(struct walk *w, const struct btf_type *t,
		    uint32_t bit_off, const uint8_t *p, size_t avail)
{
	int err;

	EMIT(w, start_object);
	EMIT(w, name, bb_btf_type_name(w->btf, t));
	err = walk_child(w, t->type, bit_off, p, avail);
	EMIT(w, end_object);
	return err;
}

static int walk_datasec(struct walk *w, uint32_t id, const struct btf_type *t,
			const uint8_t *p, size_t avail)
{
	const struct btf_var_secinfo *v = bb_btf_secinfos(t);
	uint32_t i;
	int err = 0;

	EMIT(w, start_object);
	EMIT(w, name, bb_btf_type_name(w->btf, t));
	EMIT(w, start_array);
	for (i = 0; i < bb_btf_vlen(t) && !err; i++) {
		if (v[i].offset > avail || v[i].size > avail - v[i].offset) {
			err = need(w, id, p, avail,
				   (size_t)v[i].offset + v[i].size);
			break;
		}
		/* a variable is bounded by its slot in the section */
		err = walk_child(w, v[i].type, 0, p + v[i].offset, v[i].size);
	}
	EMIT(w, end_array);
	EMIT(w, end_object);
	return err;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

static int walk_kind(struct walk *w, uint32_t id, const struct btf_type *t,
		     uint32_t bit_off, const uint8_t *p, size_t avail)
{
	char d[160];
	uint32_t to;

	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		return walk_int(w, id, t, bit_off, p, avail);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return walk_struct(w, id, t, p, avail);
	case BTF_KIND_ARRAY:
		return walk_array(w, id, t, p, avail);
	case BTF_KIND_ENUM:
		return walk_enum(w, id, t, p, avail);
	case BTF_KIND_ENUM64:
		return walk_enum64(w, id, t, p, avail);
	case BTF_KIND_PTR:
		return walk_ptr(w, id, p, avail);
	case BTF_KIND_FLOAT:
		return walk_float(w, id, t, p, avail);
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		to = bb_btf_skip_mods(w->btf, id);
		t = bb_btf_type(w->btf, to);
		if (!t || to == id)
			break;
		return walk_type(w, to, bit_off, p, avail);
	case BTF_KIND_VAR:
		return walk_var(w, t, bit_off, p, avail);
	case BTF_KIND_DATASEC:
		return walk_datasec(w, id, t, p, avail);
	case BTF_KIND_FWD:
		if (w->plain)
			EMIT(w, raw, "(fwd-kind-invalid)");
		return bb_err(EINVAL, "type %s is only declared: a value cannot be shown",
			      describe(w, id, d, sizeof(d)));
	default:
		break;
	}
	return bb_err(EINVAL, "type %s has no value to show",
		      describe(w, id, d, sizeof(d)));
}

static int walk_type(struct walk *w, uint32_t id, uint32_t bit_off,
		     const uint8_t *p, size_t avail)
{
	const struct btf_type *t = bb_btf_type(w->btf, id);
	char d[160];
	int err;

	if (!t)
		return bb_err(EINVAL, "type %s has no value to show",
			      describe(w, id, d, sizeof(d)));
	if (w->depth >= w->max_depth)
		return bb_err(ELOOP, "type %s is nested more than %u deep",
			      describe(w, id, d, sizeof(d)), w->max_depth);
	if (w->nodes >= w->max_nodes)
		return bb_err(E2BIG, "value has more than %u nodes; output stops there",
			      w->max_nodes);
	w->depth++;
	err = walk_kind(w, id, t, bit_off, p, avail);
	w->depth--;
	return err;
}

int bb_btf_value_walk(const struct bb_btf *btf, uint32_t type_id,
		      const void *data, size_t size,
		      const struct bb_value_opts *opts,
		      const struct bb_vsink *sink)
{
	static const struct bb_value_opts none;
	struct walk w = {
		.btf = btf,
		.sink = sink,
		.base = data,
	};
	int64_t tsz;

	if (!opts)
		opts = &none;
	w.plain = opts->plain;
	w.loose = opts->loose_strings;
	w.max_depth = opts->max_depth ? opts->max_depth : DEF_MAX_DEPTH;
	w.max_nodes = opts->max_nodes ? opts->max_nodes : DEF_MAX_NODES;
	if (!btf || !sink || !sink->ops || (!data && size))
		return bb_err(EINVAL, "value walk: no BTF, sink or data given");
	/* a short buffer is refused before anything is emitted */
	tsz = bb_btf_resolve_size(btf, type_id);
	if (tsz > 0 && (uint64_t)tsz > size)
		return need(&w, type_id, w.base, size, tsz);
	return walk_type(&w, type_id, 0, w.base, size);
}

/* ------------------------------------------------------------------ */
/* The writer: bpftool's json_writer layout into a growable buffer     */

struct bb_vw {
	char *buf;
	size_t len, cap;
	unsigned int depth;
	char sep;		/* ',' once a value was written at this level */
	bool pretty;
	int err;
};

struct bb_vw *bb_vw_new(bool pretty)
{
	struct bb_vw *w = calloc(1, sizeof(*w));

	if (w)
		w->pretty = pretty;
	return w;
}

void bb_vw_free(struct bb_vw *w)
{
	if (w)
		free(w->buf);
	free(w);
}

static void put_n(struct bb_vw *w, const char *s, size_t n)
{
	size_t cap = w->cap ? w->cap : 256;
	char *p;

	if (w->err)
		return;
	while (cap - w->len <= n)
		cap *= 2;
	if (cap != w->cap) {
		p = realloc(w->buf, cap);
		if (!p) {
			w->err = -ENOMEM;
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void put(struct bb_vw *w, const char *s)
{
	put_n(w, s, strlen(s));
}

/* new line and indent, pretty only */
static void eol(struct bb_vw *w)
{
	unsigned int i;

	if (!w->pretty)
		return;
	put(w, "\n");
	for (i = 0; i < w->depth; i++)
		put(w, "    ");
}

/* the comma ending the previous value at this level */
static void eor(struct bb_vw *w)
{
	if (w->sep)
		put_n(w, &w->sep, 1);
	w->sep = ',';
}

static void begin(struct bb_vw *w, const char *c)
{
	eor(w);
	put(w, c);
	w->depth++;
	w->sep = '\0';
}

static void end(struct bb_vw *w, const char *c)
{
	if (w->depth)
		w->depth--;
	if (w->sep)
		eol(w);
	put(w, c);
	w->sep = ',';
}

void bb_vw_start_object(struct bb_vw *w) { begin(w, "{"); }
void bb_vw_end_object(struct bb_vw *w) { end(w, "}"); }
void bb_vw_start_array(struct bb_vw *w) { begin(w, "["); }
void bb_vw_end_array(struct bb_vw *w) { end(w, "]"); }

static void put_quoted(struct bb_vw *w, const char *str, size_t n)
{
	static const char esc[] = "\"\"\\\\\bb\ff\nn\rr\tt";
	const uint8_t *s = (const uint8_t *)str;
	const char *e;
	char u[8];
	size_t i = 0, len;

	put(w, "\"");
	while (i < n) {
		len = 1;
		e = s[i] ? strchr(esc, s[i]) : NULL;
		if (e && (e - esc) % 2 == 0) {
			u[0] = '\\', u[1] = e[1], u[2] = '\0';
			put(w, u);
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			put_n(w, (const char *)s + i, 1);
		} else if (s[i] >= 0x80 && (len = bb_utf8_len(s + i, n - i))) {
			if (bb_utf8_unsafe(s + i, len)) {
				/* valid, but would drive a terminal */
				snprintf(u, sizeof(u), "\\u%04x",
					 bb_utf8_cp(s + i, len));
				put(w, u);
			} else {
				put_n(w, (const char *)s + i, len);
			}
		} else {
			/* control byte, DEL, or not UTF-8: keep its value */
			len = 1;
			snprintf(u, sizeof(u), "\\u%04x", s[i]);
			put(w, u);
		}
		i += len;
	}
	put(w, "\"");
}

void bb_vw_name(struct bb_vw *w, const char *name)
{
	eor(w);
	eol(w);
	w->sep = '\0';
	put_quoted(w, name ? name : "", name ? strlen(name) : 0);
	put(w, w->pretty ? ": " : ":");
}

void bb_vw_string_n(struct bb_vw *w, const char *s, size_t n)
{
	eor(w);
	put_quoted(w, s ? s : "", s ? n : 0);
}

void bb_vw_string(struct bb_vw *w, const char *s)
{
	bb_vw_string_n(w, s, s ? strlen(s) : 0);
}

void bb_vw_raw(struct bb_vw *w, const char *token)
{
	eor(w);
	put(w, token);
}

void bb_vw_int(struct bb_vw *w, int64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%" PRId64, v);
	bb_vw_raw(w, b);
}

void bb_vw_uint(struct bb_vw *w, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%" PRIu64, v);
	bb_vw_raw(w, b);
}

void bb_vw_bool(struct bb_vw *w, bool v) { bb_vw_raw(w, v ? "true" : "false"); }
void bb_vw_null(struct bb_vw *w) { bb_vw_raw(w, "null"); }
void bb_vw_text(struct bb_vw *w, const char *s) { put(w, s); }

const char *bb_vw_buf(const struct bb_vw *w, size_t *len)
{
	if (len)
		*len = w->len;
	return w->buf ? w->buf : "";
}

void bb_vw_clear(struct bb_vw *w)
{
	w->len = 0;
	if (w->buf)
		w->buf[0] = '\0';
}

void bb_vw_reset(struct bb_vw *w)
{
	bb_vw_clear(w);
	w->depth = 0;
	w->sep = '\0';
	w->err = 0;
}

int bb_vw_error(const struct bb_vw *w)
{
	return w->err;
}

/* the sink side: ctx is the writer */
static void s_sobj(void *c) { bb_vw_start_object(c); }
static void s_eobj(void *c) { bb_vw_end_object(c); }
static void s_sarr(void *c) { bb_vw_start_array(c); }
static void s_earr(void *c) { bb_vw_end_array(c); }
static void s_name(void *c, const char *n) { bb_vw_name(c, n); }
static void s_str(void *c, const char *s, size_t n) { bb_vw_string_n(c, s, n); }
static void s_int(void *c, int64_t v) { bb_vw_int(c, v); }
static void s_uint(void *c, uint64_t v) { bb_vw_uint(c, v); }
static void s_bool(void *c, bool v) { bb_vw_bool(c, v); }
static void s_null(void *c) { bb_vw_null(c); }
static void s_raw(void *c, const char *t) { bb_vw_raw(c, t); }

static const struct bb_vsink_ops vw_ops = {
	.start_object = s_sobj, .end_object = s_eobj,
	.start_array = s_sarr, .end_array = s_earr,
	.name = s_name, .string = s_str, .int64 = s_int, .uint64 = s_uint,
	.boolean = s_bool, .null = s_null, .raw = s_raw,
};

struct bb_vsink bb_vw_sink(struct bb_vw *w)
{
	return (struct bb_vsink){ .ops = &vw_ops, .ctx = w };
}

int bb_btf_value_format(const struct bb_btf *btf, uint32_t type_id,
			const void *data, size_t size,
			const struct bb_value_opts *opts, bool pretty,
			char **out)
{
	struct bb_vw *w = bb_vw_new(pretty);
	struct bb_vsink sink;
	int err;

	*out = NULL;
	if (!w)
		return bb_err(ENOMEM, "value format: out of memory");
	sink = bb_vw_sink(w);
	err = bb_btf_value_walk(btf, type_id, data, size, opts, &sink);
	if (!err && w->err)
		err = bb_err(ENOMEM, "value format: out of memory");
	if (!err) {
		*out = w->buf ? w->buf : strdup("");
		w->buf = NULL;
		if (!*out)
			err = bb_err(ENOMEM, "value format: out of memory");
	}
	bb_vw_free(w);
	return err;
}
