// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values through BTF: small BTF blobs built in memory, values decoded to
 * JSON and to bpftool's plain text, compared with what bpftool 7.1 prints
 * for the same types (captured from `bpftool map dump` on this kernel).
 */
#include <stdlib.h>
#include <errno.h>

#include "test.h"
#include "btf.h"
#include "btf_value.h"
#include "bpfbox.h"

/* ------------------------------------------------------------------ */
/* A BTF builder: types and strings appended in order, ids from 1      */

/* the encoders of the kernel's selftests (not in the uapi header) */
#define INFO_ENC(kind, kflag, vlen)					\
	((uint32_t)!!(kflag) << 31 | (uint32_t)(kind) << 24 | ((vlen) & 0xffff))
#define INT_ENC(enc, off, bits)	((uint32_t)((enc) << 24 | (off) << 16 | (bits)))
#define MEMBER_OFFSET(bitsz, off) ((uint32_t)((bitsz) << 24 | (off)))

struct bld {
	uint8_t types[8192];
	size_t tlen;
	char strs[2048];
	size_t slen;
	uint32_t nr;
	struct btf_type *last;	/* composite getting members / values */
};

static void b_init(struct bld *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;		/* offset 0 is "" */
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

static uint32_t b_type(struct bld *b, const char *name, int kind, int vlen,
		       int kflag, uint32_t size_or_type)
{
	struct btf_type t = {
		.name_off = b_str(b, name),
		.info = INFO_ENC(kind, kflag, vlen),
		.size = size_or_type,
	};

	b->last = b_put(b, &t, sizeof(t));
	return ++b->nr;
}

static uint32_t b_int(struct bld *b, const char *name, int size, int enc,
		      int bits)
{
	uint32_t id = b_type(b, name, BTF_KIND_INT, 0, 0, size);
	uint32_t v = INT_ENC(enc, 0, bits);

	b_put(b, &v, sizeof(v));
	return id;
}

static uint32_t b_array(struct bld *b, uint32_t elem, uint32_t idx,
			uint32_t n)
{
	uint32_t id = b_type(b, NULL, BTF_KIND_ARRAY, 0, 0, 0);
	struct btf_array a = { .type = elem, .index_type = idx, .nelems = n };

	b_put(b, &a, sizeof(a));
	return id;
}

/* a member of the last struct/union: bit offset, bitfield size */
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
	t->info++;		/* vlen is the low 16 bits */
}

static void b_enumval(struct bld *b, const char *name, int32_t val)
{
	struct btf_enum e = { .name_off = b_str(b, name), .val = val };

	b_put(b, &e, sizeof(e));
	b->last->info++;
}

static uint32_t b_var(struct bld *b, const char *name, uint32_t type)
{
	uint32_t id = b_type(b, name, BTF_KIND_VAR, 0, 0, type);
	struct btf_var v = { .linkage = BTF_VAR_GLOBAL_ALLOCATED };

	b_put(b, &v, sizeof(v));
	return id;
}

static void b_secinfo(struct bld *b, uint32_t var, uint32_t off, uint32_t n)
{
	struct btf_var_secinfo v = { .type = var, .offset = off, .size = n };

	b_put(b, &v, sizeof(v));
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

/*
 * Format with a heap copy of exactly size bytes, so that ASan catches
 * any read past the end. Returns a static buffer ("ERR <errno>" on error).
 */
static const char *fmt(const struct bb_btf *btf, uint32_t id, const void *data,
		       size_t size, bool plain, bool loose)
{
	static char res[4096];
	struct bb_value_opts o = { .plain = plain, .loose_strings = loose };
	void *copy = malloc(size ? size : 1);
	char *out = NULL;
	int err;

	memcpy(copy, data, size);
	err = bb_btf_value_format(btf, id, copy, size, &o, plain, &out);
	if (err)
		snprintf(res, sizeof(res), "ERR %d", -err);
	else
		snprintf(res, sizeof(res), "%s", out);
	free(out);
	free(copy);
	return res;
}

#define JSON(id, v) fmt(btf, id, &(v), sizeof(v), false, false)
#define PLAIN(id, v) fmt(btf, id, &(v), sizeof(v), true, false)

/* ------------------------------------------------------------------ */

TEST(btf_value_ints)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, u32, u64, s8, bl, u16;
	int32_t vi = -5;
	uint32_t vu = 4294967295u;
	uint64_t vu64 = 18446744073709551615ull;
	int8_t vc = -3;
	uint8_t vb = 2;
	uint16_t vs = 65535;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	u32 = b_int(&b, "unsigned int", 4, 0, 32);
	u64 = b_int(&b, "unsigned long long", 8, 0, 64);
	s8 = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);	/* as clang emits */
	bl = b_int(&b, "_Bool", 1, BTF_INT_BOOL, 8);
	u16 = b_int(&b, "u16", 2, 0, 16);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(i32, vi), "-5");
	CHECK_STR(JSON(u32, vu), "4294967295");
	CHECK_STR(JSON(u64, vu64), "18446744073709551615");
	CHECK_STR(JSON(s8, vc), "-3");
	CHECK_STR(JSON(bl, vb), "true");
	CHECK_STR(JSON(u16, vs), "65535");
	CHECK_STR(PLAIN(i32, vi), "-5");
	vb = 0;
	CHECK_STR(PLAIN(bl, vb), "false");
	bb_btf_free(btf);
}

TEST(btf_value_char_arrays)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t ch, arr, uarr, u8;
	char s1[8] = "hello";
	char s2[8] = "ab\"\\c";
	char s3[4] = { 'a', '\t', 'b', 0 };
	char s4[4] = { 'a', 'b', 'c', 'd' };	/* no NUL */
	char s5[4] = { 0 };
	char s6[4] = { 'x', 1, (char)0xff, 0 };

	b_init(&b);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	u8 = b_int(&b, "unsigned char", 1, 0, 8);
	arr = b_array(&b, ch, ch, 8);
	b_array(&b, ch, ch, 4);
	uarr = b_array(&b, u8, u8, 4);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(arr, s1), "\"hello\"");
	CHECK_STR(PLAIN(arr, s1), "\"hello\"");
	/* bpftool's writer prints a backslash as \n (a bug): we do not */
	CHECK_STR(JSON(arr, s2), "\"ab\\\"\\\\c\"");
	/* bpftool: a tab is not printable, so no string */
	CHECK_STR(JSON(arr + 1, s3), "[97,9,98,0]");
	CHECK_STR(JSON(arr + 1, s4), "[97,98,99,100]");
	CHECK_STR(JSON(arr + 1, s5), "\"\"");
	CHECK_STR(PLAIN(arr + 1, s4), "[97,98,99,100\n]");
	/* only char counts: unsigned char arrays are bytes */
	CHECK_STR(JSON(uarr, s1), "[104,101,108,108]");
	/* events: any char array is text, escaped */
	CHECK_STR(fmt(btf, arr + 1, s3, 4, false, true), "\"a\\tb\"");
	CHECK_STR(fmt(btf, arr + 1, s6, 4, false, true), "\"x\\u0001\\u00ff\"");
	CHECK_STR(fmt(btf, arr + 1, s4, 4, false, true), "\"abcd\"");
	bb_btf_free(btf);
}

TEST(btf_value_enum)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t e;
	int32_t v = 5;

	b_init(&b);
	e = b_type(&b, "color", BTF_KIND_ENUM, 0, 0, 4);
	b_enumval(&b, "RED", 0);
	b_enumval(&b, "GREEN", 5);
	b_enumval(&b, "BLUE", -1);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(e, v), "\"GREEN\"");
	v = -1;
	CHECK_STR(JSON(e, v), "\"BLUE\"");
	v = 7;
	CHECK_STR(JSON(e, v), "7");
	v = -9;
	CHECK_STR(PLAIN(e, v), "-9");
	bb_btf_free(btf);
}

/* struct inner { short a; unsigned char b[3]; }; struct outer { int i; struct inner in; } */
TEST(btf_value_nested_struct)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t sh, uc, arr, in, out, i32;
	struct { int32_t i; int16_t a; uint8_t b[3]; uint8_t pad; } v = {
		-1, -2, { 1, 2, 3 }, 0 };

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	sh = b_int(&b, "short", 2, BTF_INT_SIGNED, 16);
	uc = b_int(&b, "unsigned char", 1, 0, 8);
	arr = b_array(&b, uc, i32, 3);
	in = b_type(&b, "inner", BTF_KIND_STRUCT, 0, 0, 6);
	b_member(&b, "a", sh, 0, 0);
	b_member(&b, "b", arr, 16, 0);
	out = b_type(&b, "outer", BTF_KIND_STRUCT, 0, 0, 12);
	b_member(&b, "i", i32, 0, 0);
	b_member(&b, "in", in, 32, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(out, v), "{\"i\":-1,\"in\":{\"a\":-2,\"b\":[1,2,3]}}");
	/* bpftool's layout, as `map lookup` prints a BTF value */
	CHECK_STR(PLAIN(out, v),
		  "{\n"
		  "    \"i\": -1,\n"
		  "    \"in\": {\n"
		  "        \"a\": -2,\n"
		  "        \"b\": [1,2,3\n"
		  "        ]\n"
		  "    }\n"
		  "}");
	bb_btf_free(btf);
}

/* struct bits { unsigned x:3, y:5, z:20; int s:4; unsigned long long big:40; } */
TEST(btf_value_bitfields)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t u32, s32, u64, st, old, u5;
	uint8_t v[16] = { 0 };
	uint32_t w0 = 5 | (17 << 3) | (0xe9790u << 8) | (9u << 28);
	uint64_t w1 = 0xddd6cfc8c1ull;

	memcpy(v, &w0, 4);
	memcpy(v + 8, &w1, 8);
	b_init(&b);
	u32 = b_int(&b, "unsigned int", 4, 0, 32);
	s32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	u64 = b_int(&b, "unsigned long long", 8, 0, 64);
	st = b_type(&b, "bits", BTF_KIND_STRUCT, 0, 1, 16);
	b_member(&b, "x", u32, 0, 3);
	b_member(&b, "y", u32, 3, 5);
	b_member(&b, "z", u32, 8, 20);
	b_member(&b, "s", s32, 28, 4);
	b_member(&b, "big", u64, 64, 40);
	/* old style: no kflag, the int type carries the width */
	u5 = b_int(&b, "u5", 4, 0, 5);
	old = b_type(&b, "old", BTF_KIND_STRUCT, 0, 0, 4);
	b_member(&b, "y", u5, 3, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	/* bpftool 7.1 output for the same bytes */
	CHECK_STR(JSON(st, v),
		  "{\"x\":\"0x5\",\"y\":\"0x11\",\"z\":\"0xe9790\",\"s\":\"0x9\",\"big\":\"0xddd6cfc8c1\"}");
	CHECK_STR(PLAIN(st, v),
		  "{\n    \"x\": 0x5,\n    \"y\": 0x11,\n    \"z\": 0xe9790,\n"
		  "    \"s\": 0x9,\n    \"big\": 0xddd6cfc8c1\n}");
	CHECK_STR(fmt(btf, old, v, 4, false, false), "{\"y\":\"0x11\"}");
	bb_btf_free(btf);
}

TEST(btf_value_array_of_structs_union)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, ch, carr, st, arr, un;
	struct { int32_t a; } v[2] = { { 249 }, { 10787 } };
	union { int32_t i; char c[4]; } u = { .c = "ab" };

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	carr = b_array(&b, ch, i32, 4);
	st = b_type(&b, "s", BTF_KIND_STRUCT, 0, 0, 4);
	b_member(&b, "a", i32, 0, 0);
	arr = b_array(&b, st, i32, 2);
	un = b_type(&b, "u", BTF_KIND_UNION, 0, 0, 4);
	b_member(&b, "i", i32, 0, 0);
	b_member(&b, "c", carr, 0, 0);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(arr, v), "[{\"a\":249},{\"a\":10787}]");
	CHECK_STR(PLAIN(arr, v),
		  "[{\n        \"a\": 249\n    },{\n        \"a\": 10787\n    }\n]");
	CHECK_STR(JSON(un, u), "{\"i\":25185,\"c\":\"ab\"}");
	bb_btf_free(btf);
}

/* what bpftool shows for a .data map: int gcount = 3; char gstr[16] = "hello" */
TEST(btf_value_datasec)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, ch, arr, v1, v2, sec;
	uint8_t data[20] = { 3, 0, 0, 0, 'h', 'e', 'l', 'l', 'o' };

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	arr = b_array(&b, ch, i32, 16);
	v1 = b_var(&b, "gcount", i32);
	v2 = b_var(&b, "gstr", arr);
	sec = b_type(&b, ".data", BTF_KIND_DATASEC, 0, 0, 20);
	b_secinfo(&b, v1, 0, 4);
	b_secinfo(&b, v2, 4, 16);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(JSON(sec, data), "{\".data\":[{\"gcount\":3},{\"gstr\":\"hello\"}]}");
	CHECK_STR(PLAIN(sec, data),
		  "{\n"
		  "    \".data\": [{\n"
		  "            \"gcount\": 3\n"
		  "        },{\n"
		  "            \"gstr\": \"hello\"\n"
		  "        }\n"
		  "    ]\n"
		  "}");
	bb_btf_free(btf);
}

TEST(btf_value_scalars_misc)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, ptr, dbl, flt, i128, td, cst, e64;
	uint64_t p = 0;
	double d = 0.1;
	float f = 1.5f;
	uint64_t big[2] = { 5, 0 };
	int32_t i = 42;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	ptr = b_type(&b, NULL, BTF_KIND_PTR, 0, 0, i32);
	dbl = b_type(&b, "double", BTF_KIND_FLOAT, 0, 0, 8);
	flt = b_type(&b, "float", BTF_KIND_FLOAT, 0, 0, 4);
	i128 = b_int(&b, "unsigned __int128", 16, 0, 128);
	td = b_type(&b, "myint", BTF_KIND_TYPEDEF, 0, 0, i32);
	cst = b_type(&b, NULL, BTF_KIND_CONST, 0, 0, td);
	e64 = b_type(&b, "e64", BTF_KIND_ENUM64, 0, 0, 8);
	btf = b_finish(&b);
	if (!btf)
		return;
	CHECK_STR(PLAIN(ptr, p), "(nil)");
	p = 0x9a938c857e777069ull;
	CHECK_STR(PLAIN(ptr, p), "0x9a938c857e777069");
	CHECK_STR(JSON(ptr, p), "11138400808397664361");
	CHECK_STR(JSON(dbl, d), "0.1");
	CHECK_STR(JSON(flt, f), "1.5");
	CHECK_STR(JSON(i128, big), "\"0x5\"");
	CHECK_STR(PLAIN(i128, big), "0x5");
	big[1] = 0x7a736c655e575049ull;
	big[0] = 0x423b342d261f1811ull;
	CHECK_STR(PLAIN(i128, big), "0x7a736c655e575049423b342d261f1811");
	CHECK_STR(JSON(cst, i), "42");
	p = 1ull << 63;
	CHECK_STR(JSON(e64, p), "9223372036854775808");
	bb_btf_free(btf);
}

TEST(btf_value_truncated)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, st, arr, v1, sec, ch, carr;
	uint8_t data[64] = { 1 };
	char *out = (char *)1;
	int err;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	st = b_type(&b, "val", BTF_KIND_STRUCT, 0, 0, 8);
	b_member(&b, "a", i32, 0, 0);
	b_member(&b, "b", i32, 32, 0);
	arr = b_array(&b, i32, i32, 10);
	v1 = b_var(&b, "x", i32);
	/* a section whose variable lies past the bytes we hold */
	sec = b_type(&b, ".bss", BTF_KIND_DATASEC, 0, 0, 4);
	b_secinfo(&b, v1, 8, 4);
	ch = b_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	carr = b_array(&b, ch, i32, 16);
	btf = b_finish(&b);
	if (!btf)
		return;
	/* each size below the type's: an error, never a read past size */
	CHECK_STR(fmt(btf, st, data, 7, false, false), "ERR 22");
	CHECK_STR(fmt(btf, st, data, 0, false, false), "ERR 22");
	CHECK_STR(fmt(btf, arr, data, 39, true, false), "ERR 22");
	CHECK_STR(fmt(btf, i32, data, 3, false, false), "ERR 22");
	CHECK_STR(fmt(btf, carr, data, 15, false, true), "ERR 22");
	CHECK_STR(fmt(btf, sec, data, 4, false, false), "ERR 22");
	err = bb_btf_value_format(btf, st, data, 7, NULL, false, &out);
	CHECK_INT(err, ==, -EINVAL);
	CHECK(out == NULL);
	CHECK_CONTAINS(bpfbox_errmsg(), "cut short");
	CHECK_CONTAINS(bpfbox_errmsg(), "STRUCT 'val'");
	/* bigger buffers are fine: per-CPU slots are rounded up to 8 */
	CHECK_STR(fmt(btf, i32, data, 8, false, false), "1");
	CHECK_STR(fmt(btf, 0, data, 8, false, false), "ERR 22");
	CHECK_STR(fmt(btf, 999, data, 8, false, false), "ERR 22");
	bb_btf_free(btf);
}

/* a sink that records the text, to see the output stays balanced */
TEST(btf_value_error_keeps_output_balanced)
{
	struct bld b;
	struct bb_btf *btf;
	struct bb_vw *w = bb_vw_new(false);
	struct bb_vsink sink = bb_vw_sink(w);
	uint32_t i32, fwd, st;
	uint8_t data[8] = { 7 };
	int err;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	fwd = b_type(&b, "opaque", BTF_KIND_FWD, 0, 0, 0);
	st = b_type(&b, "s", BTF_KIND_STRUCT, 0, 0, 8);
	b_member(&b, "a", i32, 0, 0);
	b_member(&b, "f", fwd, 32, 0);
	btf = b_finish(&b);
	if (!btf)
		goto out;
	err = bb_btf_value_walk(btf, st, data, sizeof(data), NULL, &sink);
	CHECK_INT(err, ==, -EINVAL);
	CHECK_STR(bb_vw_buf(w, NULL), "{\"a\":7,\"f\":null}");
	bb_btf_free(btf);
out:
	bb_vw_free(w);
}

TEST(btf_value_depth_and_node_limits)
{
	struct bld b;
	struct bb_btf *btf;
	uint32_t i32, id, zst, big;
	struct bb_value_opts o = { .max_depth = 4 };
	uint8_t data[64] = { 0 };
	char *out = NULL;
	int i, err;

	b_init(&b);
	i32 = b_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	id = i32;
	for (i = 0; i < 6; i++)
		id = b_array(&b, id, i32, 1);
	zst = b_type(&b, "empty", BTF_KIND_STRUCT, 0, 0, 0);
	big = b_array(&b, zst, i32, 4000000);
	btf = b_finish(&b);
	if (!btf)
		return;
	err = bb_btf_value_format(btf, id, data, sizeof(data), &o, false, &out);
	CHECK_INT(err, ==, -ELOOP);
	o.max_depth = 0;
	err = bb_btf_value_format(btf, id, data, sizeof(data), &o, false, &out);
	CHECK_INT(err, ==, 0);
	CHECK_STR(out, "[[[[[[0]]]]]]");
	free(out);
	/* four million empty structs in zero bytes: stopped by the budget */
	err = bb_btf_value_format(btf, big, data, 0, NULL, false, &out);
	CHECK_INT(err, ==, -E2BIG);
	bb_btf_free(btf);
}

TEST(btf_value_writer_escaping)
{
	struct bb_vw *w = bb_vw_new(true);
	const char s[] = "a\"\\\n\x01\x7f\xc3\xa9\xff\xe2\x82";

	bb_vw_start_object(w);
	bb_vw_name(w, "k\n");
	bb_vw_string_n(w, s, sizeof(s) - 1);
	bb_vw_name(w, "e");
	bb_vw_start_array(w);
	bb_vw_end_array(w);
	bb_vw_end_object(w);
	CHECK_STR(bb_vw_buf(w, NULL),
		  "{\n    \"k\\n\": \"a\\\"\\\\\\n\\u0001\\u007f\xc3\xa9\\u00ff\\u00e2\\u0082\",\n"
		  "    \"e\": []\n}");
	CHECK_INT(bb_vw_error(w), ==, 0);
	bb_vw_reset(w);
	bb_vw_int(w, -1);
	CHECK_STR(bb_vw_buf(w, NULL), "-1");
	bb_vw_free(w);
}
