// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event records through BTF (lib/event_*.c): BTF built in memory for
 * every kind of field BTF can describe, records decoded to aligned text
 * rows and to NDJSON, compared as exact strings. Records are heap copies
 * of exactly their size, so ASan catches any read past the end.
 */
#include <stdlib.h>
#include <errno.h>
#include <time.h>

#include "test.h"
#include "btf.h"
#include "event_fmt.h"
#include "bpfbox.h"

/* ------------------------------------------------------------------ */
/* A BTF builder: types and strings appended in order, ids from 1      */

#define INFO_ENC(kind, kflag, vlen)					\
	((uint32_t)!!(kflag) << 31 | (uint32_t)(kind) << 24 | ((vlen) & 0xffff))
#define INT_ENC(enc, off, bits)	((uint32_t)((enc) << 24 | (off) << 16 | (bits)))
#define MEMBER_OFFSET(bitsz, off) ((uint32_t)((bitsz) << 24 | (off)))

struct bld {
	uint8_t types[16384];
	size_t tlen;
	char strs[4096];
	size_t slen;
	uint32_t nr;
	struct btf_type *last;
};

static void b_init(struct bld *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;
}

static uint32_t b_str(struct bld *b, const char *s)
{
	uint32_t off = b->slen;

	if (!s || !*s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return off;
}

static void *b_put(struct bld *b, const void *p, size_t n)
{
	void *at = b->types + b->tlen;

	memcpy(at, p, n);
	b->tlen += n;
	return at;
}

static uint32_t b_type(struct bld *b, const char *name, int kind, int kflag,
		       uint32_t size_or_type)
{
	struct btf_type t = {
		.name_off = b_str(b, name),
		.info = INFO_ENC(kind, kflag, 0),
		.size = size_or_type,
	};

	b->last = b_put(b, &t, sizeof(t));
	return ++b->nr;
}

static uint32_t b_int(struct bld *b, const char *name, int size, int enc,
		      int bits)
{
	uint32_t id = b_type(b, name, BTF_KIND_INT, 0, size);
	uint32_t v = INT_ENC(enc, 0, bits);

	b_put(b, &v, sizeof(v));
	return id;
}

static uint32_t b_array(struct bld *b, uint32_t elem, uint32_t idx, uint32_t n)
{
	uint32_t id = b_type(b, NULL, BTF_KIND_ARRAY, 0, 0);
	struct btf_array a = { .type = elem, .index_type = idx, .nelems = n };

	b_put(b, &a, sizeof(a));
	return id;
}

static void b_member(struct bld *b, const char *name, uint32_t type,
		     uint32_t bit_off, uint32_t bitsz)
{
	struct btf_type *t = b->last;
	struct btf_member m = {
		.name_off = b_str(b, name),
		.type = type,
		.offset = BTF_INFO_KFLAG(t->info) ?
			  MEMBER_OFFSET(bitsz, bit_off) : bit_off,
	};

	b_put(b, &m, sizeof(m));
	t->info++;
}

static void b_enumval(struct bld *b, const char *name, int32_t val)
{
	struct btf_enum e = { .name_off = b_str(b, name), .val = val };

	b_put(b, &e, sizeof(e));
	b->last->info++;
}

static void b_enum64val(struct bld *b, const char *name, uint64_t val)
{
	struct btf_enum64 e = {
		.name_off = b_str(b, name),
		.val_lo32 = (uint32_t)val, .val_hi32 = val >> 32,
	};

	b_put(b, &e, sizeof(e));
	b->last->info++;
}

static struct bb_btf *b_finish(struct bld *b)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_off = 0, .type_len = b->tlen,
		.str_off = b->tlen, .str_len = b->slen,
	};
	size_t n = sizeof(h) + b->tlen + b->slen;
	uint8_t *blob = malloc(n);
	struct bb_btf *btf = NULL;
	int err;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), b->types, b->tlen);
	memcpy(blob + sizeof(h) + b->tlen, b->strs, b->slen);
	err = bb_btf_parse(blob, n, NULL, &btf);
	if (err)
		fprintf(stderr, "  builder BTF rejected: %s\n", bpfbox_errmsg());
	CHECK_INT(err, ==, 0);
	free(blob);
	return btf;
}

/* ------------------------------------------------------------------ */
/* Formatting into a string                                            */

struct out {
	char *text;
	size_t len;
};

/*
 * With BB_EVENT_SEED_DIR set, every record formatted here is also saved
 * as an input of tests/fuzz/fuzz_event.c (flags, type, BTF, record):
 *   BB_EVENT_SEED_DIR=tests/fuzz/corpus/fuzz_event build/unit_tests 'evfmt_*'
 */
static void save_seed(const struct bb_btf *btf, uint32_t id, bool json,
		      int64_t m2w, const void *data, size_t size)
{
	const char *dir = getenv("BB_EVENT_SEED_DIR");
	static unsigned int n;
	uint8_t flags = json | (m2w ? 2 : 0);
	const void *raw = NULL;
	uint32_t blen;
	size_t rsize = 0;
	char path[512];
	FILE *f;

	if (!dir)
		return;
	if (btf)
		raw = bb_btf_raw(btf, &rsize);
	blen = rsize;
	snprintf(path, sizeof(path), "%s/unit-%03u", dir, n++);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(&flags, 1, 1, f);
	fwrite(&id, 4, 1, f);
	fwrite(&blen, 4, 1, f);
	if (rsize)
		fwrite(raw, 1, rsize, f);
	fwrite(data, 1, size > 4096 ? 4096 : size, f);
	fclose(f);
}

/*
 * header (text mode) plus one record, from a heap copy of exactly size
 * bytes. Returns a static buffer: the text, or "ERR <errno>: message".
 */
static const char *fmt_rec(const struct bb_btf *btf, uint32_t id, bool json,
			   int64_t m2w, bool header, const void *data,
			   size_t size)
{
	static char res[1 << 18];
	struct bb_evfmt_opts o = { .json = json, .mono_to_wall_ns = m2w };
	struct bb_evfmt *f;
	void *copy = malloc(size ? size : 1);
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	memcpy(copy, data, size);
	save_seed(btf, id, json, m2w, data, size);
	err = bb_evfmt_new(btf, id, &o, &f);
	if (err) {
		snprintf(res, sizeof(res), "ERR %d: %s", -err, bpfbox_errmsg());
		free(copy);
		return res;
	}
	mem = open_memstream(&text, &len);
	if (header)
		err = bb_evfmt_header(f, mem);
	if (!err)
		err = bb_evfmt_record(f, copy, size, mem);
	fclose(mem);
	if (err)
		snprintf(res, sizeof(res), "ERR %d: %s", -err, bpfbox_errmsg());
	else
		snprintf(res, sizeof(res), "%s", text);
	free(text);
	free(copy);
	bb_evfmt_free(f);
	return res;
}

#define TEXT(id, v) fmt_rec(btf, id, false, 0, true, &(v), sizeof(v))
#define ROW(id, v) fmt_rec(btf, id, false, 0, false, &(v), sizeof(v))
#define JSON(id, v) fmt_rec(btf, id, true, 0, false, &(v), sizeof(v))

/* ------------------------------------------------------------------ */

/* every integer size and sign, and bool, at their extremes */
TEST(evfmt_ints)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t s8, u8, s16, u16, s32, u32, s64, u64, bl, st;
	struct __attribute__((packed)) {
		int8_t a; uint8_t b; int16_t c; uint16_t d;
		int32_t e; uint32_t f; int64_t g; uint64_t h; uint8_t i;
	} v = { -128, 255, -32768, 65535, INT32_MIN, UINT32_MAX, INT64_MIN,
		UINT64_MAX, 1 };

	b_init(&b);
	s8 = b_int(&b, "signed char", 1, BTF_INT_SIGNED, 8);
	u8 = b_int(&b, "unsigned char", 1, 0, 8);
	s16 = b_int(&b, "short", 2, BTF_INT_SIGNED, 16);
	u16 = b_int(&b, "unsigned short", 2, 0, 16);
	s32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	u32 = b_int(&b, "unsigned int", 4, 0, 32);
	s64 = b_int(&b, "long", 8, BTF_INT_SIGNED, 64);
	u64 = b_int(&b, "unsigned long", 8, 0, 64);
	bl = b_int(&b, "_Bool", 1, BTF_INT_BOOL, 8);
	st = b_type(&b, "ints", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "a", s8, 0, 0);
	b_member(&b, "b", u8, 8, 0);
	b_member(&b, "c", s16, 16, 0);
	b_member(&b, "d", u16, 32, 0);
	b_member(&b, "e", s32, 48, 0);
	b_member(&b, "f", u32, 80, 0);
	b_member(&b, "g", s64, 112, 0);
	b_member(&b, "h", u64, 176, 0);
	b_member(&b, "i", bl, 240, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	/* widths: s8 4, u8 3, s16 6, u16 5, s32 11, u32 10, 64-bit 20, bool 5 */
	CHECK_STR(TEXT(st, v),
		  "a    b   c      d     e           f          g                    h                    i\n"
		  "-128 255 -32768 65535 -2147483648 4294967295 -9223372036854775808 18446744073709551615 true\n");
	CHECK_STR(JSON(st, v),
		  "{\"a\":-128,\"b\":255,\"c\":-32768,\"d\":65535,\"e\":-2147483648,"
		  "\"f\":4294967295,\"g\":-9223372036854775808,"
		  "\"h\":18446744073709551615,\"i\":true}\n");
	v.a = 1, v.b = 0, v.c = 2, v.d = 3, v.e = 4, v.f = 5, v.g = -1, v.h = 6;
	v.i = 0;
	CHECK_STR(ROW(st, v),
		  "1    0   2      3     4           5          -1                   6                    false\n");
	bb_btf_free(btf);
}

/* enums: signed/unsigned 32-bit, 64-bit, 1-byte; unknown values by number */
TEST(evfmt_enums)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t eu, es, e64u, e64s, e8, st;
	struct __attribute__((packed)) {
		uint32_t u; int32_t s; uint64_t w; int64_t x; uint8_t y;
	} v = { 0xffffffffu, -1, 1ull << 40, -5, 0xff };

	b_init(&b);
	eu = b_type(&b, "state", BTF_KIND_ENUM, 0, 4);
	b_enumval(&b, "IDLE", 0);
	b_enumval(&b, "RUNNING", 1);
	b_enumval(&b, "ALL", -1);		/* 0xffffffff, unsigned */
	es = b_type(&b, "sign", BTF_KIND_ENUM, 1, 4);
	b_enumval(&b, "NEG", -1);
	b_enumval(&b, "POS", 1);
	e64u = b_type(&b, "big", BTF_KIND_ENUM64, 0, 8);
	b_enum64val(&b, "SMALL", 1);
	b_enum64val(&b, "HUGE", 1ull << 40);
	e64s = b_type(&b, "sbig", BTF_KIND_ENUM64, 1, 8);
	b_enum64val(&b, "MINUS_FIVE", (uint64_t)-5);
	e8 = b_type(&b, "tiny", BTF_KIND_ENUM, 0, 1);
	b_enumval(&b, "T_MAX", -1);
	st = b_type(&b, "enums", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "u", eu, 0, 0);
	b_member(&b, "s", es, 32, 0);
	b_member(&b, "w", e64u, 64, 0);
	b_member(&b, "x", e64s, 128, 0);
	b_member(&b, "y", e8, 192, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v),
		  "u       s   w     x          y\n"
		  "ALL     NEG HUGE  MINUS_FIVE T_MAX\n");
	CHECK_STR(JSON(st, v),
		  "{\"u\":\"ALL\",\"s\":\"NEG\",\"w\":\"HUGE\",\"x\":\"MINUS_FIVE\",\"y\":\"T_MAX\"}\n");
	/* no enumerator: the number, signed as the enum says */
	v.u = 0x80000000u, v.s = -7, v.w = 3, v.x = -6, v.y = 3;
	CHECK_STR(JSON(st, v),
		  "{\"u\":2147483648,\"s\":-7,\"w\":3,\"x\":-6,\"y\":3}\n");
	v.u = 1, v.s = 1, v.w = 1;
	CHECK_STR(ROW(st, v), "RUNNING POS SMALL -6         3\n");
	bb_btf_free(btf);
}

/* char arrays as strings, escaped against terminal injection */
TEST(evfmt_strings)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t ch, i32, arr, st;
	struct { int32_t pid; char comm[16]; } v = { 42, "bash" };

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	arr = b_array(&b, ch, i32, 16);
	st = b_type(&b, "event", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "pid", i32, 0, 0);
	b_member(&b, "comm", arr, 32, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v),
		  "pid         comm\n"
		  "42          bash\n");
	CHECK_STR(JSON(st, v), "{\"pid\":42,\"comm\":\"bash\"}\n");
	/* ESC [ 31m, a newline, a backslash: all made harmless */
	memcpy(v.comm, "\x1b[31mred\n\\", 11);
	CHECK_STR(ROW(st, v), "42          \"\\x1b[31mred\\x0a\\\\\"\n");
	CHECK_STR(JSON(st, v), "{\"pid\":42,\"comm\":\"\\u001b[31mred\\n\\\\\"}\n");
	/* invalid UTF-8 byte, valid UTF-8, the 8-bit CSI (U+009B), bidi */
	memcpy(v.comm, "\xff" "caf\xc3\xa9" "\xc2\x9b" "\xe2\x80\xae", 12);
	CHECK_STR(ROW(st, v),
		  "42          \\xffcaf\xc3\xa9\\xc2\\x9b\\xe2\\x80\\xae\n");
	/* no NUL: the whole array; spaces and quotes: quoted */
	memcpy(v.comm, "0123456789 \"cdef", 16);
	CHECK_STR(ROW(st, v), "42          \"0123456789 \\\"cdef\"\n");
	memset(v.comm, 0, 16);
	CHECK_STR(ROW(st, v), "42          \"\"\n");
	CHECK_STR(JSON(st, v), "{\"pid\":42,\"comm\":\"\"}\n");
	bb_btf_free(btf);
}

TEST(evfmt_escape)
{
	char buf[64];

	CHECK_INT(bb_evfmt_escape(buf, sizeof(buf), "a\tb", 3, false), ==, 6);
	CHECK_STR(buf, "a\\x09b");
	bb_evfmt_escape(buf, sizeof(buf), "a b", 3, true);
	CHECK_STR(buf, "\"a b\"");
	bb_evfmt_escape(buf, sizeof(buf), "a b", 3, false);
	CHECK_STR(buf, "a b");
	bb_evfmt_escape(buf, sizeof(buf), "x\x7f\r", 3, true);
	CHECK_STR(buf, "x\\x7f\\x0d");
	/* cut like snprintf, the full length returned */
	CHECK_INT(bb_evfmt_escape(buf, 4, "\x01\x02", 2, false), ==, 8);
	CHECK_STR(buf, "\\x0");
	/* a truncated UTF-8 sequence is invalid: byte by byte */
	bb_evfmt_escape(buf, sizeof(buf), "\xe2\x82", 2, false);
	CHECK_STR(buf, "\\xe2\\x82");
}

/* arrays, multi-dimensional arrays, arrays of strings and of structs */
TEST(evfmt_arrays)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, u16, ch, a3, a23i, a23, names, pt, apt, st;
	struct {
		int32_t a[3];
		uint16_t m[2][3];
		char names[2][4];
		struct { int32_t x, y; } pts[2];
	} v = { { 1, -2, 3 }, { { 1, 2, 3 }, { 4, 5, 6 } }, { "ab", "cd" },
		{ { 1, 2 }, { 3, 4 } } };

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	u16 = b_int(&b, "u16", 2, 0, 16);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	a3 = b_array(&b, i32, i32, 3);
	a23i = b_array(&b, u16, i32, 3);
	a23 = b_array(&b, a23i, i32, 2);
	names = b_array(&b, b_array(&b, ch, i32, 4), i32, 2);
	pt = b_type(&b, "pt", BTF_KIND_STRUCT, 0, 8);
	b_member(&b, "x", i32, 0, 0);
	b_member(&b, "y", i32, 32, 0);
	apt = b_array(&b, pt, i32, 2);
	st = b_type(&b, "arrs", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "a", a3, 0, 0);
	b_member(&b, "m", a23, 96, 0);
	b_member(&b, "names", names, 192, 0);
	b_member(&b, "pts", apt, 256, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v),
		  "a                                m                                names        pts\n"
		  "[1,-2,3]                         [[1,2,3],[4,5,6]]                [ab,cd]      [{x=1 y=2},{x=3 y=4}]\n");
	CHECK_STR(JSON(st, v),
		  "{\"a\":[1,-2,3],\"m\":[[1,2,3],[4,5,6]],\"names\":[\"ab\",\"cd\"],"
		  "\"pts\":[{\"x\":1,\"y\":2},{\"x\":3,\"y\":4}]}\n");
	bb_btf_free(btf);
}

/* nested structs become a.b columns; anonymous unions inline; unions */
TEST(evfmt_nested_unions)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u32, u8, i32, a4, in, au, nu, st;
	struct {
		uint32_t pid;
		struct { int32_t x, y; } pos;
		union { uint32_t word; uint8_t bytes[4]; };
		union { int32_t i; uint32_t u; } val;
	} v = { 7, { -1, 2 }, { .word = 0x04030201 }, { .i = -1 } };

	b_init(&b);
	u32 = b_int(&b, "u32", 4, 0, 32);
	u8 = b_int(&b, "u8", 1, 0, 8);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	a4 = b_array(&b, u8, u32, 4);
	in = b_type(&b, "point", BTF_KIND_STRUCT, 0, 8);
	b_member(&b, "x", i32, 0, 0);
	b_member(&b, "y", i32, 32, 0);
	au = b_type(&b, NULL, BTF_KIND_UNION, 0, 4);
	b_member(&b, "word", u32, 0, 0);
	b_member(&b, "bytes", a4, 0, 0);
	nu = b_type(&b, NULL, BTF_KIND_UNION, 0, 4);
	b_member(&b, "i", i32, 0, 0);
	b_member(&b, "u", u32, 0, 0);
	st = b_type(&b, "ev", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "pid", u32, 0, 0);
	b_member(&b, "pos", in, 32, 0);
	b_member(&b, NULL, au, 96, 0);
	b_member(&b, "val", nu, 128, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v),
		  "pid        pos.x       pos.y       word       bytes              val\n"
		  "7          -1          2           67305985   [1,2,3,4]          {i=-1 u=4294967295}\n");
	CHECK_STR(JSON(st, v),
		  "{\"pid\":7,\"pos\":{\"x\":-1,\"y\":2},\"word\":67305985,"
		  "\"bytes\":[1,2,3,4],\"val\":{\"i\":-1,\"u\":4294967295}}\n");
	bb_btf_free(btf);
}

/* bitfields: unsigned, signed (sign-extended), bool, enum, 40-bit */
TEST(evfmt_bitfields)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u32, s32, bl, en, u64, st;
	uint8_t v[16] = { 0 };
	/* a:3 = 5, s:5 = -3 (0x1d), f:1 = 1, e:2 = 2, big:40 at bit 16 */
	uint64_t w = 5 | (0x1dull << 3) | (1ull << 8) | (2ull << 9) |
		     (0xddd6cfc8c1ull << 16);

	memcpy(v, &w, 8);
	b_init(&b);
	u32 = b_int(&b, "unsigned int", 4, 0, 32);
	s32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	bl = b_int(&b, "_Bool", 1, BTF_INT_BOOL, 8);
	en = b_type(&b, "mode", BTF_KIND_ENUM, 0, 4);
	b_enumval(&b, "M_A", 1);
	b_enumval(&b, "M_B", 2);
	u64 = b_int(&b, "unsigned long long", 8, 0, 64);
	st = b_type(&b, "bits", BTF_KIND_STRUCT, 1, 16);
	b_member(&b, "a", u32, 0, 3);
	b_member(&b, "s", s32, 3, 5);
	b_member(&b, "f", bl, 8, 1);
	b_member(&b, "e", en, 9, 2);
	b_member(&b, "big", u64, 16, 40);
	b_member(&b, "after", u32, 64, 0);
	v[8] = 9;
	btf = b_finish(&b);
	if (!btf)
		return;
	/* widths: 3 bits 1, signed 5 bits 3, bool 5, enum 3, 40 bits 13 */
	CHECK_STR(TEXT(st, v),
		  "a s   f     e   big           after\n"
		  "5 -3  true  M_B 952791713985  9\n");
	CHECK_STR(JSON(st, v),
		  "{\"a\":5,\"s\":-3,\"f\":true,\"e\":\"M_B\",\"big\":952791713985,\"after\":9}\n");
	bb_btf_free(btf);
}

/* pointers, floats, __int128, and typedef/const/volatile chains */
TEST(evfmt_scalars_and_modifiers)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u32, td, cst, vol, td2, ptr, flt, dbl, i128, st, ch, c;
	struct {
		uint32_t n;
		uint32_t pad;
		uint64_t p;
		float f;
		uint32_t pad2;
		double d;
		unsigned __int128 big;
		char c;
		char pad3[15];
	} v = { 42, 0, 0xffff8880deadbeefull, 1.5f, 0, 0.1, 0, 'x', "" };

	v.big = (unsigned __int128)1 << 64 | 2;
	b_init(&b);
	u32 = b_int(&b, "unsigned int", 4, 0, 32);
	td = b_type(&b, "__u32", BTF_KIND_TYPEDEF, 0, u32);
	vol = b_type(&b, NULL, BTF_KIND_VOLATILE, 0, td);
	cst = b_type(&b, NULL, BTF_KIND_CONST, 0, vol);
	td2 = b_type(&b, "counter_t", BTF_KIND_TYPEDEF, 0, cst);
	ptr = b_type(&b, NULL, BTF_KIND_PTR, 0, td);
	flt = b_type(&b, "float", BTF_KIND_FLOAT, 0, 4);
	dbl = b_type(&b, "double", BTF_KIND_FLOAT, 0, 8);
	i128 = b_int(&b, "unsigned __int128", 16, 0, 128);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	c = b_type(&b, NULL, BTF_KIND_CONST, 0, ch);
	st = b_type(&b, "misc", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "n", td2, 0, 0);
	b_member(&b, "p", ptr, 64, 0);
	b_member(&b, "f", flt, 128, 0);
	b_member(&b, "d", dbl, 192, 0);
	b_member(&b, "big", i128, 256, 0);
	b_member(&b, "c", c, 384, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v),
		  "n          p                  f            d            big                                c\n"
		  "42         0xffff8880deadbeef 1.5          0.1          0x10000000000000002                120\n");
	CHECK_STR(JSON(st, v),
		  "{\"n\":42,\"p\":18446612685805960943,\"f\":1.5,\"d\":0.1,"
		  "\"big\":\"0x10000000000000002\",\"c\":120}\n");
	bb_btf_free(btf);
}

/* a type that is no struct: one column named after it */
TEST(evfmt_scalar_record)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u64, td;
	uint64_t v = 12345;

	b_init(&b);
	u64 = b_int(&b, "unsigned long long", 8, 0, 64);
	td = b_type(&b, "__u64", BTF_KIND_TYPEDEF, 0, u64);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(td, v), "__u64\n12345\n");
	CHECK_STR(JSON(td, v), "{\"__u64\":12345}\n");
	bb_btf_free(btf);
}

/* ktimes as wall-clock time; durations and zero stay numbers */
TEST(evfmt_ktime)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u64, st;
	struct { uint64_t ts, start_ns, min_duration_ns, lat_ns, count; } v = {
		1000, 2000, 3000, 4000, 5000 };
	/* 2024-01-02T03:04:05.123456789Z, minus the ktime of 1000 ns */
	int64_t m2w = 1704164645123456789LL - 1000;
	const char *tz = getenv("TZ");
	char *saved = tz ? strdup(tz) : NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	b_init(&b);
	u64 = b_int(&b, "u64", 8, 0, 64);
	st = b_type(&b, "t", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "ts", u64, 0, 0);
	b_member(&b, "start_ns", u64, 64, 0);
	b_member(&b, "min_duration_ns", u64, 128, 0);
	b_member(&b, "lat_ns", u64, 192, 0);
	b_member(&b, "count", u64, 256, 0);
	btf = b_finish(&b);
	if (!btf)
		goto out;
	CHECK_STR(fmt_rec(btf, st, false, m2w, true, &v, sizeof(v)),
		  "ts              start_ns        min_duration_ns      lat_ns               count\n"
		  "03:04:05.123456 03:04:05.123457 3000                 4000                 5000\n");
	CHECK_STR(fmt_rec(btf, st, true, m2w, false, &v, sizeof(v)),
		  "{\"ts\":1000,\"ts_wall\":\"2024-01-02T03:04:05.123456789Z\","
		  "\"start_ns\":2000,\"start_ns_wall\":\"2024-01-02T03:04:05.123457789Z\","
		  "\"min_duration_ns\":3000,\"lat_ns\":4000,\"count\":5000}\n");
	/* off: raw numbers; a ktime of 0 was never set */
	CHECK_STR(ROW(st, v),
		  "1000                 2000                 3000                 4000                 5000\n");
	v.ts = 0;
	CHECK_STR(fmt_rec(btf, st, true, m2w, false, &v, 16),
		  "{\"ts\":0,\"start_ns\":2000,\"start_ns_wall\":\"2024-01-02T03:04:05.123457789Z\","
		  "\"_truncated\":{\"size\":16,\"type_size\":40}}\n");
	bb_btf_free(btf);
out:
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

/* short records decode as far as they go; longer ones note the rest */
TEST(evfmt_short_and_long_records)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, ch, arr, u64, st;
	struct { int32_t pid; char comm[8]; uint32_t pad; uint64_t n; } v = {
		1, "abcdefg", 0, 99 };
	uint8_t big[sizeof(v) + 12] = { 0 };

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	u64 = b_int(&b, "u64", 8, 0, 64);
	arr = b_array(&b, ch, i32, 8);
	st = b_type(&b, "r", BTF_KIND_STRUCT, 0, sizeof(v));
	b_member(&b, "pid", i32, 0, 0);
	b_member(&b, "comm", arr, 32, 0);
	b_member(&b, "n", u64, 128, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	/* 7 bytes: comm gets 3 of its bytes, n none */
	CHECK_STR(fmt_rec(btf, st, false, 0, false, &v, 7),
		  "1           abc      - (truncated: 7 of 24 bytes)\n");
	CHECK_STR(fmt_rec(btf, st, true, 0, false, &v, 7),
		  "{\"pid\":1,\"comm\":\"abc\",\"_truncated\":{\"size\":7,\"type_size\":24}}\n");
	/* 2 bytes: not even pid */
	CHECK_STR(fmt_rec(btf, st, false, 0, false, &v, 2),
		  "-           -        - (truncated: 2 of 24 bytes)\n");
	CHECK_STR(fmt_rec(btf, st, true, 0, false, &v, 0),
		  "{\"_truncated\":{\"size\":0,\"type_size\":24}}\n");
	/* perf buffers pad to 8 bytes: 4 extra are not worth a note */
	memcpy(big, &v, sizeof(v));
	CHECK_STR(fmt_rec(btf, st, false, 0, false, big, sizeof(v) + 4),
		  "1           abcdefg  99\n");
	CHECK_STR(fmt_rec(btf, st, false, 0, false, big, sizeof(big)),
		  "1           abcdefg  99 (+12 bytes)\n");
	CHECK_STR(fmt_rec(btf, st, true, 0, false, big, sizeof(big)),
		  "{\"pid\":1,\"comm\":\"abcdefg\",\"n\":99,\"_extra_bytes\":12}\n");
	bb_btf_free(btf);
}

/* struct { u32 len; char data[]; }: the flexible array takes the rest */
TEST(evfmt_flexible_array)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u32, ch, arr, st;
	uint8_t v[4 + 6] = { 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0 };

	b_init(&b);
	u32 = b_int(&b, "u32", 4, 0, 32);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	arr = b_array(&b, ch, u32, 0);
	st = b_type(&b, "msg", BTF_KIND_STRUCT, 0, 4);
	b_member(&b, "len", u32, 0, 0);
	b_member(&b, "data", arr, 32, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v), "len        data\n5          hello\n");
	CHECK_STR(JSON(st, v), "{\"len\":5,\"data\":\"hello\"}\n");
	CHECK_STR(fmt_rec(btf, st, true, 0, false, v, 4),
		  "{\"len\":5,\"data\":\"\"}\n");
	CHECK_STR(fmt_rec(btf, st, false, 0, false, v, 4), "5          \"\"\n");
	bb_btf_free(btf);
}

/* no type: hex dump rows */
TEST(evfmt_hex)
{
	uint8_t v[6] = { 1, 2, 3, 0xab, 0xcd, 0xef };
	const struct bb_btf *btf = NULL;

	CHECK_STR(TEXT(0, v), "SIZE DATA\n6    010203ab cdef\n");
	CHECK_STR(JSON(0, v), "{\"size\":6,\"data\":\"010203abcdef\"}\n");
	CHECK_STR(fmt_rec(btf, 0, false, 0, false, v, 0), "0    \n");
}

/* {"me":{"me":...null}}: the record and 32 levels of nesting */
static const char *deep_me(void)
{
	static char buf[512];
	size_t n = 0;
	int i;

	for (i = 0; i < 33; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "{\"me\":");
	n += snprintf(buf + n, sizeof(buf) - n, "null");
	for (i = 0; i < 33; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "}");
	snprintf(buf + n, sizeof(buf) - n, "\n");
	return buf;
}

/* malformed BTF: loops, self-containing structs, functions, bad ids */
TEST(evfmt_bad_types)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, t1, t2, self, fn, proto;
	int v = 0;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	t1 = b_type(&b, "a_t", BTF_KIND_TYPEDEF, 0, i32 + 2);
	t2 = b_type(&b, "b_t", BTF_KIND_TYPEDEF, 0, t1);
	self = b_type(&b, "self", BTF_KIND_STRUCT, 0, 4);
	b_member(&b, "me", self, 0, 0);
	proto = b_type(&b, NULL, BTF_KIND_FUNC_PROTO, 0, i32);
	fn = b_type(&b, "f", BTF_KIND_FUNC, 0, proto);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_CONTAINS(TEXT(t2, v), "ERR 22: event type [3] is a loop");
	CHECK_CONTAINS(TEXT(fn, v), "is a FUNC, which records cannot hold");
	CHECK_CONTAINS(TEXT(999, v), "does not exist");
	/* struct self { struct self me; }: sized 4 by BTF, decoded bounded */
	CHECK_STR(JSON(self, v), deep_me());
	bb_btf_free(btf);
}

/* huge arrays and floods of values stay bounded */
TEST(evfmt_huge)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u8, i32, empty, ae, a1g, abytes, st1, st2, st3;
	size_t n = 70000;
	uint8_t *big = calloc(1, n);
	int32_t v[4] = { 1, 2, 3, 4 };
	const char *s;

	b_init(&b);
	u8 = b_int(&b, "u8", 1, 0, 8);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	empty = b_type(&b, "empty", BTF_KIND_STRUCT, 0, 0);
	ae = b_array(&b, empty, i32, 1000000000);
	a1g = b_array(&b, i32, i32, 0x10000000);
	abytes = b_array(&b, u8, i32, n);
	/* a billion empty structs, then an int */
	st1 = b_type(&b, "s1", BTF_KIND_STRUCT, 0, 4);
	b_member(&b, "e", ae, 0, 0);
	b_member(&b, "x", i32, 0, 0);
	/* a gigabyte of ints, of which the record holds four */
	st2 = b_type(&b, "s2", BTF_KIND_STRUCT, 0, 0x40000000);
	b_member(&b, "a", a1g, 0, 0);
	st3 = b_type(&b, "s3", BTF_KIND_STRUCT, 0, n);
	b_member(&b, "bytes", abytes, 0, 0);
	btf = b_finish(&b);
	if (!btf)
		goto out;
	CHECK_STR(fmt_rec(btf, st1, true, 0, false, v, 4), "{\"e\":[],\"x\":1}\n");
	CHECK_STR(JSON(st2, v),
		  "{\"a\":[1,2,3,4],\"_truncated\":{\"size\":16,\"type_size\":1073741824}}\n");
	s = fmt_rec(btf, st3, true, 0, false, big, n);
	CHECK_CONTAINS(s, ",0],\"_cut\":true}\n");
	CHECK_INT(strlen(s), <, 2 * 65536 + 64);
	s = fmt_rec(btf, st3, false, 0, false, big, n);
	CHECK_CONTAINS(s, ",0] (cut: more than 65536 steps)\n");
	bb_btf_free(btf);
out:
	free(big);
}

/* a JSON header is nothing; the type size is known */
TEST(evfmt_api)
{
	struct bld b;
	struct bb_btf *btf;
	struct bb_evfmt_opts o = { .json = true };
	struct bb_evfmt *f;
	uint32_t i32;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_INT(bb_evfmt_new(btf, i32, &o, &f), ==, 0);
	CHECK_INT(bb_evfmt_type_size(f), ==, 4);
	mem = open_memstream(&text, &len);
	CHECK_INT(bb_evfmt_header(f, mem), ==, 0);
	fclose(mem);
	CHECK_INT(len, ==, 0);
	free(text);
	bb_evfmt_free(f);
	CHECK_INT(bb_evfmt_new(NULL, 1, NULL, &f), ==, -EINVAL);
	bb_btf_free(btf);
}

/*
 * Found by fuzz_event: an int of 0 bits (valid BTF to the parser) made
 * the column width a shift by -1 (tests/fuzz/corpus/fuzz_event/
 * regress-zero-bit-int).
 */
TEST(evfmt_zero_bit_int)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t z, u0, st;
	uint32_t v = 7;

	b_init(&b);
	z = b_int(&b, "zero", 4, BTF_INT_SIGNED, 0);
	u0 = b_int(&b, "uzero", 4, 0, 0);
	st = b_type(&b, "z", BTF_KIND_STRUCT, 0, 4);
	b_member(&b, "a", z, 0, 0);
	b_member(&b, "b", u0, 0, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(TEXT(st, v), "a b\n- -\n");
	CHECK_STR(JSON(st, v), "{\"a\":null,\"b\":null}\n");
	bb_btf_free(btf);
}

/*
 * Found by fuzz_event (a timeout): anonymous struct members inline their
 * members and emit nothing themselves, so 300 anonymous members of 300
 * anonymous members of 300 empty structs were 27 million steps, per
 * record and again when making columns (tests/fuzz/corpus/fuzz_event/
 * regress-anon-member-bomb). Both are bounded now.
 */
TEST(evfmt_anonymous_member_bomb)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t empty, l3, l2, l1, i32;
	int32_t v = 5;
	const char *s;
	int i;
	clock_t t0 = clock();

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	empty = b_type(&b, "e", BTF_KIND_STRUCT, 0, 0);
	l3 = b_type(&b, NULL, BTF_KIND_STRUCT, 0, 0);
	for (i = 0; i < 300; i++)
		b_member(&b, NULL, empty, 0, 0);
	l2 = b_type(&b, NULL, BTF_KIND_STRUCT, 0, 0);
	for (i = 0; i < 300; i++)
		b_member(&b, NULL, l3, 0, 0);
	l1 = b_type(&b, "bomb", BTF_KIND_STRUCT, 0, 4);
	for (i = 0; i < 300; i++)
		b_member(&b, NULL, l2, 0, 0);
	b_member(&b, "x", i32, 0, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(l1, v), "{\"_cut\":true}\n");
	/* flattening gave up: one column per top-level member */
	s = TEXT(l1, v);
	CHECK(!strncmp(s, "(anon) ", 7));
	CHECK_CONTAINS(s, " x\n{} ");
	CHECK_CONTAINS(s, "{}                               5 (cut: more than 65536 steps)\n");
	CHECK_INT((clock() - t0) / (CLOCKS_PER_SEC / 1000), <, 2000);
	bb_btf_free(btf);
}
