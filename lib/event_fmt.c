// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event records through BTF: columns, rows and NDJSON for `bpfbox run`.
 * See event_fmt.h for what is printed.
 *
 * One decoder walks a record into a bb_vsink: the JSON writer (bb_vw) for
 * -j, or the text sink below, which lays nested values out as {a=1 b=2}
 * and [1,2,3] and escapes strings for a terminal. Plain integers and
 * floats are handed to bb_btf_value_walk; structs, arrays, enums and
 * bitfields are walked here, because records need what map values do
 * not: decoding a short record as far as it goes, flexible array
 * members, bitfields as signed decimals, ktimes as wall-clock time.
 *
 * Neither the BTF nor the bytes are trusted: every read is checked
 * against the bytes left, nesting and the number of values are bounded.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "btf.h"
#include "btf_value.h"
#include "err.h"
#include "event_fmt.h"
#include "utf8.h"

#define MAX_DEPTH	32		/* nesting of values */
#define MAX_NODES	(1u << 16)	/* values and members per record */
#define FLAT_DEPTH	8		/* a.b.c columns */
#define MAX_COLS	128
#define FLAT_WORK	4096		/* members visited while flattening */
#define NEST_WIDTH	32		/* widest column for {..} / [..] */
#define STR_WIDTH	16		/* widest column for a char array */
#define WALL_WIDTH	15		/* HH:MM:SS.ffffff */

/* ------------------------------------------------------------------ */
/* A growable string                                                   */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom)
		return;
	while (cap - b->len <= n)
		cap *= 2;
	if (cap != b->cap) {
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* Escaping for a terminal                                             */

static bool needs_quotes(const uint8_t *s, size_t n)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (s[i] && strchr(" \"{}[],=", s[i]))
			return true;
	return false;
}

/*
 * Valid UTF-8 that still must not reach a terminal raw: C1 controls
 * (8-bit CSI is U+009B), line/paragraph separators, bidi overrides.
 */
static bool unsafe_utf8(const uint8_t *s, size_t len)
{
	if (len == 2)
		return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f;
	if (len != 3 || s[0] != 0xe2)
		return false;
	if (s[1] == 0x80)
		return (s[2] >= 0xa8 && s[2] <= 0xae) || s[2] == 0x8e ||
		       s[2] == 0x8f;
	return s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9;
}

static void sb_escape(struct sbuf *b, const char *str, size_t n, bool quote)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t i = 0, len, k;

	quote = quote && needs_quotes(s, n);
	if (quote)
		sb_put(b, "\"", 1);
	while (i < n) {
		len = 1;
		if (s[i] == '\\') {
			sb_put(b, "\\\\", 2);
		} else if (s[i] == '"' && quote) {
			sb_put(b, "\\\"", 2);
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			sb_put(b, str + i, 1);
		} else if (s[i] >= 0x80 && (len = bb_utf8_len(s + i, n - i)) &&
			   !unsafe_utf8(s + i, len)) {
			sb_put(b, str + i, len);
		} else {
			/* control, DEL, unsafe or invalid: every byte as \xNN */
			if (!len)
				len = 1;
			for (k = 0; k < len; k++)
				sb_printf(b, "\\x%02x", s[i + k]);
		}
		i += len;
	}
	if (quote)
		sb_put(b, "\"", 1);
}

size_t bb_evfmt_escape(char *buf, size_t len, const char *s, size_t n,
		       bool quote)
{
	struct sbuf b = { 0 };
	size_t need;

	sb_escape(&b, s, n, quote);
	need = b.len;
	if (len) {
		size_t k = need < len - 1 ? need : len - 1;

		if (b.p)
			memcpy(buf, b.p, k);
		buf[k] = '\0';
	}
	free(b.p);
	return need;
}

/* ------------------------------------------------------------------ */
/* The text sink: {a=1 b=[1,2]} with escaped strings                   */

struct tsink {
	struct sbuf *b;
	unsigned int depth;
	bool named;			/* a name was written: no separator */
	bool first[MAX_DEPTH * 2 + 4];
};

static void t_sep(struct tsink *t)
{
	if (t->named) {
		t->named = false;
		return;
	}
	if (t->depth && !t->first[t->depth])
		sb_put(t->b, ",", 1);
	t->first[t->depth] = false;
}

static void t_open(struct tsink *t, const char *c)
{
	t_sep(t);
	sb_str(t->b, c);
	if (t->depth + 1 < sizeof(t->first))
		t->depth++;
	t->first[t->depth] = true;
}

static void t_close(struct tsink *t, const char *c)
{
	if (t->depth)
		t->depth--;
	sb_str(t->b, c);
}

static void t_sobj(void *c) { t_open(c, "{"); }
static void t_eobj(void *c) { t_close(c, "}"); }
static void t_sarr(void *c) { t_open(c, "["); }
static void t_earr(void *c) { t_close(c, "]"); }

static void t_name(void *c, const char *name)
{
	struct tsink *t = c;

	if (!t->first[t->depth])
		sb_put(t->b, " ", 1);
	t->first[t->depth] = false;
	sb_escape(t->b, name, strlen(name), false);
	sb_put(t->b, "=", 1);
	t->named = true;
}

static void t_string(void *c, const char *s, size_t n)
{
	struct tsink *t = c;

	t_sep(t);
	sb_escape(t->b, s, n, true);
}

static void t_int(void *c, int64_t v)
{
	struct tsink *t = c;

	t_sep(t);
	sb_printf(t->b, "%" PRId64, v);
}

static void t_uint(void *c, uint64_t v)
{
	struct tsink *t = c;

	t_sep(t);
	sb_printf(t->b, "%" PRIu64, v);
}

static void t_bool(void *c, bool v)
{
	struct tsink *t = c;

	t_sep(t);
	sb_str(t->b, v ? "true" : "false");
}

static void t_null(void *c)
{
	struct tsink *t = c;

	t_sep(t);
	sb_put(t->b, "-", 1);
}

static void t_raw(void *c, const char *tok)
{
	struct tsink *t = c;

	t_sep(t);
	sb_str(t->b, tok);
}

static const struct bb_vsink_ops text_ops = {
	.start_object = t_sobj, .end_object = t_eobj,
	.start_array = t_sarr, .end_array = t_earr,
	.name = t_name, .string = t_string, .int64 = t_int, .uint64 = t_uint,
	.boolean = t_bool, .null = t_null, .raw = t_raw,
};

/* ------------------------------------------------------------------ */
/* The formatter                                                       */

struct col {
	char *name;		/* "a.b" */
	uint32_t type;		/* the member's type as declared */
	uint32_t bit_off;	/* from the record's start */
	uint32_t bitsz;		/* bitfield size, 0: none */
	bool ktime;
	bool flex;		/* a flexible array: the record's rest */
	int width;
};

struct bb_evfmt {
	const struct bb_btf *btf;
	uint32_t type_id;
	size_t size;
	bool json;
	int64_t m2w;
	bool is_struct;		/* columns are the members */
	struct col *cols;
	size_t ncols;
	bool too_many;		/* flattening gave up */
	unsigned int flat_work;
	struct sbuf cell, line;
	struct bb_vw *vw;
	/* while decoding one record */
	struct bb_vsink sink;
	struct tsink ts;
	unsigned int nodes, depth;
	bool cut;
};

/* ---- emitting, counted ---- */

#define EMIT(f, op, ...)						\
	do {								\
		(f)->nodes++;						\
		(f)->sink.ops->op((f)->sink.ctx, ##__VA_ARGS__);	\
	} while (0)

static bool over_budget(struct bb_evfmt *f)
{
	if (f->nodes < MAX_NODES)
		return false;
	f->cut = true;
	return true;
}

/* ---- types ---- */

/* follow typedefs and modifiers; NULL for void, loops, bad ids */
static const struct btf_type *resolve(const struct bb_btf *btf, uint32_t *id)
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

static const char *str_at(const struct bb_btf *btf, uint32_t off)
{
	const char *s = bb_btf_str(btf, off);

	return s ? s : "";
}

/* a char array's element: 1-byte int named char, or char-encoded */
static bool is_char_elem(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	int i;

	for (i = 0; i < MAX_DEPTH; i++) {
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
	const struct btf_type *t = resolve(btf, &id);

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
static bool reaches(const struct bb_btf *btf, uint32_t id, uint32_t bitsz,
		    uint32_t boff, size_t avail)
{
	size_t n = scalar_bytes(btf, id, bitsz, boff);

	return n ? n <= avail : avail > 0 || bb_btf_resolve_size(btf, id) == 0;
}

/* ---- ktimes ---- */

static bool word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncasecmp(w, *list, n))
			return true;
	return false;
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

static bool has_suffix(const char *s, const char *p)
{
	size_t n = strlen(s), k = strlen(p);

	return n >= k && !strcasecmp(s + n - k, p);
}

/* the name rule of event_fmt.h */
static bool ktime_name(const char *name)
{
	static const char *const dur[] = {
		"dur", "duration", "delta", "lat", "latency", "elapsed", "diff",
		"total", "sum", "avg", "min", "max", "run", "runtime", "wait",
		"sleep", "period", "interval", "timeout", "cnt", "count", "len",
		NULL,
	};
	static const char *const exact[] = {
		"ts", "time", "timestamp", "tstamp", "ktime", NULL,
	};
	static const char *const pre[] = {
		"ktime", "start", "ts_", "timestamp_", NULL,
	};
	static const char *const suf[] = {
		"_ts", "_ns", "_time", "_timestamp", "_tstamp", "_ktime", NULL,
	};
	const char *s = name, *e;
	int i;

	while (*s) {
		e = strchr(s, '_');
		if (!e)
			e = s + strlen(s);
		if (word_in(s, e - s, dur))
			return false;
		s = *e ? e + 1 : e;
	}
	if (word_in(name, strlen(name), exact))
		return true;
	for (i = 0; pre[i]; i++)
		if (has_prefix(name, pre[i]))
			return true;
	for (i = 0; suf[i]; i++)
		if (has_suffix(name, suf[i]))
			return true;
	return false;
}

static bool ktime_member(const struct bb_evfmt *f, const char *name,
			 uint32_t type, uint32_t bitsz)
{
	const struct btf_type *t = resolve(f->btf, &type);

	if (!f->m2w || bitsz || !t || bb_btf_kind(t) != BTF_KIND_INT ||
	    t->size != 8 || bb_btf_int_bits(t) != 64 ||
	    bb_btf_int_offset(t) || bb_btf_int_encoding(t) == BTF_INT_BOOL)
		return false;
	return ktime_name(name);
}

/* wall-clock text of a ktime; false when out of range */
static bool wall_time(const struct bb_evfmt *f, uint64_t v, bool rfc3339,
		      char *buf, size_t len)
{
	__int128 ns = (__int128)v + f->m2w;
	time_t secs;
	struct tm tm;

	/* up to the year 9999 */
	if (ns < 0 || ns > (__int128)253402300799LL * 1000000000)
		return false;
	secs = (time_t)(ns / 1000000000);
	if (rfc3339) {
		if (!gmtime_r(&secs, &tm))
			return false;
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (int)(ns % 1000000000));
	} else {
		if (!localtime_r(&secs, &tm))
			return false;
		snprintf(buf, len, "%02d:%02d:%02d.%06d", tm.tm_hour,
			 tm.tm_min, tm.tm_sec, (int)(ns % 1000000000 / 1000));
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* The decoder                                                         */

static void dec_value(struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		      uint32_t boff, const uint8_t *p, size_t avail,
		      int64_t flex_n);

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
			const char *s = str_at(f->btf, is64 ?
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

	if (is_char_elem(f->btf, a->type)) {
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
		if (over_budget(f) || !reaches(f->btf, a->type, 0, 0, left))
			break;
		dec_value(f, a->type, 0, 0, p + i * esz, left, -1);
	}
	EMIT(f, end_array);
}

static void emit_ktime(struct bb_evfmt *f, const char *name, uint64_t v)
{
	char wall[64], key[256];

	if (f->json) {
		EMIT(f, uint64, v);
		if (!v || !wall_time(f, v, true, wall, sizeof(wall)))
			return;
		snprintf(key, sizeof(key), "%s_wall", name);
		EMIT(f, name, key);
		EMIT(f, string, wall, strlen(wall));
		return;
	}
	if (!v || !wall_time(f, v, false, wall, sizeof(wall)))
		EMIT(f, uint64, v);
	else
		EMIT(f, raw, wall);
}

/* the element count of a flexible array member at the record's end */
static int64_t flex_count(const struct bb_evfmt *f, uint32_t type,
			  size_t avail)
{
	const struct btf_type *t = resolve(f->btf, &type);
	int64_t esz;

	if (!t || bb_btf_kind(t) != BTF_KIND_ARRAY || bb_btf_array(t)->nelems)
		return -1;
	esz = bb_btf_resolve_size(f->btf, bb_btf_array(t)->type);
	if (esz <= 0)
		return -1;
	return avail / esz;
}

/*
 * The members of a struct or union at p (size bytes, avail of them
 * there), into an open object; an anonymous struct/union member's
 * members are inlined, as C names them. top: the record itself, whose
 * last member may be a flexible array taking the rest of the record.
 */
static void dec_members(struct bb_evfmt *f, const struct btf_type *t,
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
		name = str_at(f->btf, m[i].name_off);
		if (off > lim)
			continue;	/* a short record: not reached */
		left = lim - off;
		if (!top || off < t->size || i + 1 < vlen)
			flex = -1;
		else
			flex = flex_count(f, m[i].type, left);
		if (!reaches(f->btf, m[i].type, bsz, bits % 8, left))
			continue;
		mid = m[i].type;
		mt = resolve(f->btf, &mid);
		if (!*name) {
			/* anonymous struct/union: its members are ours */
			if (!bsz && mt && bb_btf_is_composite(mt) &&
			    f->depth < MAX_DEPTH) {
				f->depth++;
				dec_members(f, mt, p + off, left, false);
				f->depth--;
			}
			continue;
		}
		EMIT(f, name, name);
		if (ktime_member(f, name, m[i].type, bsz))
			emit_ktime(f, name, load_u(p + off, 8));
		else
			dec_value(f, m[i].type, bsz, bits % 8, p + off, left,
				  flex);
	}
}

static void dec_value(struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		      uint32_t boff, const uint8_t *p, size_t avail,
		      int64_t flex_n)
{
	const struct btf_type *t = resolve(f->btf, &id);

	if (!t || f->depth >= MAX_DEPTH) {
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
		dec_members(f, t, p, avail, false);
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

/* ------------------------------------------------------------------ */
/* Columns                                                             */

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
		n = strlen(str_at(f->btf, off));
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
		w += 2 + strlen(str_at(f->btf, m[i].name_off)) +
		     width_of(f, m[i].type, bb_btf_member_bitfield_size(t, &m[i]),
			      depth + 1);
	return w;
}

static int array_width(const struct bb_evfmt *f, const struct btf_type *t,
		       unsigned int depth)
{
	const struct btf_array *a = bb_btf_array(t);
	uint64_t w;

	if (is_char_elem(f->btf, a->type))
		return a->nelems < STR_WIDTH ? (a->nelems ? a->nelems : 1) :
		       STR_WIDTH;
	w = 2 + (uint64_t)a->nelems * (width_of(f, a->type, 0, depth + 1) + 1);
	return w < NEST_WIDTH ? (int)w : NEST_WIDTH;
}

/* the width a value of this type needs, at most NEST_WIDTH for nested */
static int width_of(const struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		    unsigned int depth)
{
	const struct btf_type *t = resolve(f->btf, &id);
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
	struct col *c, *cols;
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
	c->ktime = ktime_member(f, name, type, bitsz);
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
		name = str_at(f->btf, m[i].name_off);
		boff = bit_off + bb_btf_member_bit_offset(t, &m[i]);
		bsz = bb_btf_member_bitfield_size(t, &m[i]);
		mid = m[i].type;
		mt = resolve(f->btf, &mid);
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

static void free_cols(struct bb_evfmt *f)
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
	struct col *c;
	uint32_t id;
	const struct btf_type *t;

	if (!f->is_struct || !f->ncols)
		return;
	c = &f->cols[f->ncols - 1];
	id = c->type;
	t = resolve(f->btf, &id);
	c->flex = t && bb_btf_kind(t) == BTF_KIND_ARRAY &&
		  !bb_btf_array(t)->nelems && !c->bitsz &&
		  c->bit_off == f->size * 8;
}

static int make_cols(struct bb_evfmt *f)
{
	uint32_t id = f->type_id;
	const struct btf_type *t = resolve(f->btf, &id);
	int err;

	if (t && bb_btf_is_composite(t) && bb_btf_vlen(t)) {
		f->is_struct = true;
		err = add_members(f, t, "", 0, 0, true);
		if (!err && f->too_many) {
			/* too wide to flatten: one column per member */
			free_cols(f);
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

/* ------------------------------------------------------------------ */
/* API                                                                 */

static int check_type(const struct bb_btf *btf, uint32_t type_id,
		      int64_t *size)
{
	const struct btf_type *t;
	uint32_t id = type_id;

	t = resolve(btf, &id);
	if (!t)
		return bb_err(EINVAL, "event type [%u] %s", type_id,
			      bb_btf_type(btf, type_id) ?
			      "is a loop of typedefs or modifiers" :
			      "does not exist in the BTF");
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_PTR: case BTF_KIND_FLOAT: case BTF_KIND_ARRAY:
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		break;
	default:
		return bb_err(EINVAL, "event type [%u] '%s' is a %s, which records cannot hold",
			      type_id, bb_btf_type_name(btf, t),
			      bb_btf_kind_name(bb_btf_kind(t)));
	}
	*size = bb_btf_resolve_size(btf, type_id);
	if (*size < 0)
		return bb_err(EINVAL, "event type [%u] '%s' has no size (%s)",
			      type_id, bb_btf_type_name(btf, t),
			      *size == -ELOOP ? "it contains itself" :
			      "malformed BTF");
	return 0;
}

int bb_evfmt_new(const struct bb_btf *btf, uint32_t type_id,
		 const struct bb_evfmt_opts *opts, struct bb_evfmt **out)
{
	struct bb_evfmt *f;
	int64_t size = 0;
	int err;

	*out = NULL;
	if (type_id) {
		if (!btf)
			return bb_err(EINVAL, "event type [%u] given without BTF",
				      type_id);
		err = check_type(btf, type_id, &size);
		if (err)
			return err;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return bb_err(ENOMEM, "event format: out of memory");
	f->btf = btf;
	f->type_id = type_id;
	f->size = size;
	f->json = opts && opts->json;
	f->m2w = opts ? opts->mono_to_wall_ns : 0;
	err = 0;
	if (f->json)
		f->vw = bb_vw_new(false);
	if (f->json && !f->vw)
		err = -ENOMEM;
	if (!err && type_id)
		err = make_cols(f);
	if (err) {
		bb_evfmt_free(f);
		return bb_err(-err, "event format: out of memory");
	}
	*out = f;
	return 0;
}

void bb_evfmt_free(struct bb_evfmt *f)
{
	if (!f)
		return;
	free_cols(f);
	free(f->cell.p);
	free(f->line.p);
	bb_vw_free(f->vw);
	free(f);
}

size_t bb_evfmt_type_size(const struct bb_evfmt *f)
{
	return f->size;
}

static int write_line(struct sbuf *b, FILE *out)
{
	if (b->oom)
		return bb_err(ENOMEM, "event format: out of memory");
	sb_put(b, "\n", 1);
	if (b->oom)
		return bb_err(ENOMEM, "event format: out of memory");
	if (fwrite(b->p, 1, b->len, out) != b->len || ferror(out))
		return bb_err(EIO, "writing an event: %s", strerror(errno));
	return 0;
}

/* display columns of escaped text: UTF-8 sequences count once */
static size_t text_cols(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((uint8_t)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* cell, padded to width unless it ends the line */
static void put_cell(struct sbuf *line, const char *s, size_t n, int width,
		     bool last)
{
	size_t w = text_cols(s, n);

	sb_put(line, s, n);
	if (last)
		return;
	for (; (int)w < width; w++)
		sb_put(line, " ", 1);
	sb_put(line, " ", 1);
}

int bb_evfmt_header(struct bb_evfmt *f, FILE *out)
{
	struct sbuf *b = &f->line;
	size_t i, mark;

	if (f->json)
		return 0;
	sb_reset(b);
	if (!f->type_id) {
		sb_str(b, "SIZE DATA");
		return write_line(b, out);
	}
	for (i = 0; i < f->ncols; i++) {
		sb_reset(&f->cell);
		sb_escape(&f->cell, f->cols[i].name, strlen(f->cols[i].name),
			  false);
		mark = f->cell.len;
		put_cell(b, f->cell.p ? f->cell.p : "", mark, f->cols[i].width,
			 i + 1 == f->ncols);
	}
	return write_line(b, out);
}

static void hex_bytes(struct sbuf *b, const uint8_t *p, size_t n, bool groups)
{
	static const char hx[] = "0123456789abcdef";
	char two[2];
	size_t i;

	for (i = 0; i < n; i++) {
		if (groups && i && i % 4 == 0)
			sb_put(b, " ", 1);
		two[0] = hx[p[i] >> 4];
		two[1] = hx[p[i] & 15];
		sb_put(b, two, 2);
	}
}

static int hex_record(struct bb_evfmt *f, const uint8_t *p, size_t size,
		      FILE *out)
{
	struct sbuf *b = &f->line;

	sb_reset(b);
	if (f->json) {
		sb_printf(b, "{\"size\":%zu,\"data\":\"", size);
		hex_bytes(b, p, size, false);
		sb_str(b, "\"}");
	} else {
		sb_printf(b, "%-4zu ", size);
		hex_bytes(b, p, size, true);
	}
	return write_line(b, out);
}

static void begin_record(struct bb_evfmt *f)
{
	f->nodes = 0;
	f->depth = 0;
	f->cut = false;
	if (f->json) {
		bb_vw_reset(f->vw);
		f->sink = bb_vw_sink(f->vw);
	} else {
		memset(&f->ts, 0, sizeof(f->ts));
		f->ts.b = &f->cell;
		f->sink = (struct bb_vsink){ .ops = &text_ops, .ctx = &f->ts };
	}
}

/* one column's cell into f->cell */
static void text_cell(struct bb_evfmt *f, const struct col *c,
		      const uint8_t *p, size_t size)
{
	size_t start = c->bit_off / 8, avail;
	int64_t flex = -1;

	sb_reset(&f->cell);
	f->ts.depth = 0;
	f->ts.named = false;
	if (start > size || (start == size && size && !c->flex)) {
		sb_put(&f->cell, "-", 1);
		return;
	}
	avail = size - start;
	if (c->flex)
		flex = flex_count(f, c->type, avail);
	if (!reaches(f->btf, c->type, c->bitsz, c->bit_off % 8, avail)) {
		sb_put(&f->cell, "-", 1);
		return;
	}
	if (c->ktime)
		emit_ktime(f, c->name, load_u(p + start, 8));
	else
		dec_value(f, c->type, c->bitsz, c->bit_off % 8, p + start,
			  avail, flex);
}

/* does the type end in a flexible array that took the extra bytes */
static bool has_flex(const struct bb_evfmt *f)
{
	return f->ncols && f->cols[f->ncols - 1].flex;
}

static void text_notes(struct bb_evfmt *f, struct sbuf *b, size_t size)
{
	if (size < f->size)
		sb_printf(b, " (truncated: %zu of %zu bytes)", size, f->size);
	else if (size - f->size >= 8 && !has_flex(f))
		sb_printf(b, " (+%zu bytes)", size - f->size);
	if (f->cut)
		sb_printf(b, " (cut: more than %u steps)", MAX_NODES);
}

static int text_record(struct bb_evfmt *f, const uint8_t *p, size_t size,
		       FILE *out)
{
	struct sbuf *b = &f->line;
	size_t i;

	sb_reset(b);
	begin_record(f);
	for (i = 0; i < f->ncols; i++) {
		text_cell(f, &f->cols[i], p, size);
		put_cell(b, f->cell.p ? f->cell.p : "", f->cell.len,
			 f->cols[i].width, i + 1 == f->ncols);
	}
	if (f->cell.oom)
		b->oom = true;
	text_notes(f, b, size);
	return write_line(b, out);
}

static int json_record(struct bb_evfmt *f, const uint8_t *p, size_t size,
		       FILE *out)
{
	uint32_t id = f->type_id;
	const struct btf_type *t = resolve(f->btf, &id);
	struct sbuf *b = &f->line;
	const char *text;
	size_t len;

	begin_record(f);
	bb_vw_start_object(f->vw);
	if (f->is_struct) {
		dec_members(f, t, p, size, true);
	} else if (reaches(f->btf, f->type_id, 0, 0, size)) {
		EMIT(f, name, f->cols[0].name);
		dec_value(f, f->type_id, 0, 0, p, size, -1);
	}
	if (size < f->size) {
		bb_vw_name(f->vw, "_truncated");
		bb_vw_start_object(f->vw);
		bb_vw_name(f->vw, "size");
		bb_vw_uint(f->vw, size);
		bb_vw_name(f->vw, "type_size");
		bb_vw_uint(f->vw, f->size);
		bb_vw_end_object(f->vw);
	} else if (size - f->size >= 8 && !has_flex(f)) {
		bb_vw_name(f->vw, "_extra_bytes");
		bb_vw_uint(f->vw, size - f->size);
	}
	if (f->cut) {
		bb_vw_name(f->vw, "_cut");
		bb_vw_bool(f->vw, true);
	}
	bb_vw_end_object(f->vw);
	if (bb_vw_error(f->vw))
		return bb_err(ENOMEM, "event format: out of memory");
	text = bb_vw_buf(f->vw, &len);
	sb_reset(b);
	sb_put(b, text, len);
	return write_line(b, out);
}

int bb_evfmt_record(struct bb_evfmt *f, const void *data, size_t size,
		    FILE *out)
{
	if (!data && size)
		return bb_err(EINVAL, "event record: no data");
	if (!f->type_id)
		return hex_record(f, data, size, out);
	if (f->json)
		return json_record(f, data, size, out);
	return text_record(f, data, size, out);
}
