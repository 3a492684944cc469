// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF and BTF.ext reader tests. Blobs are built in memory by a tiny
 * builder below; the kernel's own BTF in /sys/kernel/btf is used when
 * readable. BB_BTF_SEED_DIR=dir makes btf_fuzz_seeds write the blobs
 * as seeds for tests/fuzz/fuzz_btf*.c.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <errno.h>
#include <time.h>
#include <dirent.h>
#include <pthread.h>
#include <linux/btf.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_ext.h"
#include "test.h"

/* ------------------------------------------------------------------ */
/* Builder                                                             */

/* the kernel's own encoders (tools/testing/selftests/bpf/test_btf.h) */
#define BTF_INFO_ENC(kind, kflag, vlen)					\
	(((uint32_t)!!(kflag) << 31) | ((uint32_t)(kind) << 24) | ((vlen) & BTF_MAX_VLEN))
#define BTF_INT_ENC(encoding, bits_offset, nr_bits)			\
	((encoding) << 24 | (bits_offset) << 16 | (nr_bits))

struct bld {
	uint8_t types[8192];
	uint32_t tlen;
	char strs[2048];
	uint32_t slen;
	uint32_t last_id;
	uint32_t str_base;		/* split BTF: base's string bytes */
};

static void bld_init(struct bld *b, uint32_t first_id, uint32_t str_base)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;			/* "" at offset 0 */
	b->last_id = first_id - 1;
	b->str_base = str_base;
}

static uint32_t bs(struct bld *b, const char *s)
{
	uint32_t off = b->slen;

	if (!*s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return b->str_base + off;
}

static void put32(struct bld *b, uint32_t v)
{
	memcpy(b->types + b->tlen, &v, 4);
	b->tlen += 4;
}

static uint32_t bt(struct bld *b, const char *name, uint32_t kind,
		   uint32_t vlen, bool kflag, uint32_t size_type)
{
	put32(b, bs(b, name));
	put32(b, BTF_INFO_ENC(kind, kflag, vlen));
	put32(b, size_type);
	return ++b->last_id;
}

static uint32_t b_int(struct bld *b, const char *name, uint32_t size,
		      uint32_t enc, uint32_t bits)
{
	uint32_t id = bt(b, name, BTF_KIND_INT, 0, 0, size);

	put32(b, BTF_INT_ENC(enc, 0, bits));
	return id;
}

static uint32_t b_array(struct bld *b, uint32_t elem, uint32_t idx,
			uint32_t n)
{
	uint32_t id = bt(b, "", BTF_KIND_ARRAY, 0, 0, 0);

	put32(b, elem);
	put32(b, idx);
	put32(b, n);
	return id;
}

/* name_off + two words: members, enum64 values, secinfos */
static void b_rec3(struct bld *b, const char *name, uint32_t x, uint32_t y)
{
	put32(b, bs(b, name));
	put32(b, x);
	put32(b, y);
}

/* name_off + one word: enum values, params */
static void b_rec2(struct bld *b, const char *name, uint32_t x)
{
	put32(b, bs(b, name));
	put32(b, x);
}

static void b_member(struct bld *b, const char *name, uint32_t type,
		     uint32_t bit_off, uint32_t bitfield)
{
	b_rec3(b, name, type, bitfield << 24 | bit_off);
}

static size_t bld_blob(const struct bld *b, uint8_t *out)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_off = 0, .type_len = b->tlen,
		.str_off = b->tlen, .str_len = b->slen,
	};

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), b->types, b->tlen);
	memcpy(out + sizeof(h) + b->tlen, b->strs, b->slen);
	return sizeof(h) + b->tlen + b->slen;
}

/* Ids of the sample blob, in order. */
enum {
	S_INT = 1, S_PTR, S_POINT, S_ARR, S_POINT_T, S_CONST, S_CPOINT_T,
	S_ENUM, S_ENUM64, S_PROTO, S_FUNC, S_VAR, S_DATASEC, S_FLOAT,
	S_DECL_TAG, S_TYPE_TAG, S_PTR_TAGGED, S_CHAR, S_PACKED, S_UNION,
	S_FWD, S_TD_COLOR, S_VOLATILE, S_RESTRICT, S_ARR2, S_CNT
};

/* Strings the BTF.ext sample refers to. */
static uint32_t str_prog, str_file, str_line, str_access;

static size_t build_sample(uint8_t *out)
{
	struct bld *b = calloc(1, sizeof(*b));
	size_t n;

	bld_init(b, 1, 0);
	b_int(b, "int", 4, BTF_INT_SIGNED, 32);
	bt(b, "", BTF_KIND_PTR, 0, 0, S_INT);
	/* struct point { int x; int a:3; int b:5; } */
	bt(b, "point", BTF_KIND_STRUCT, 3, true, 8);
	b_member(b, "x", S_INT, 0, 0);
	b_member(b, "a", S_INT, 32, 3);
	b_member(b, "b", S_INT, 35, 5);
	b_array(b, S_POINT, S_INT, 4);
	bt(b, "point_t", BTF_KIND_TYPEDEF, 0, 0, S_POINT);
	bt(b, "", BTF_KIND_CONST, 0, 0, S_POINT_T);
	bt(b, "cpoint_t", BTF_KIND_TYPEDEF, 0, 0, S_CONST);
	bt(b, "color", BTF_KIND_ENUM, 2, 0, 4);
	b_rec2(b, "RED", 0);
	b_rec2(b, "GREEN", (uint32_t)-1);
	bt(b, "big", BTF_KIND_ENUM64, 1, 0, 8);
	b_rec3(b, "HUGE", 0, 1u << 8);		/* 1 << 40 */
	bt(b, "", BTF_KIND_FUNC_PROTO, 2, 0, S_INT);
	b_rec2(b, "a", S_INT);
	b_rec2(b, "p", S_PTR);
	bt(b, "sum", BTF_KIND_FUNC, BTF_FUNC_GLOBAL, 0, S_PROTO);
	bt(b, "counter", BTF_KIND_VAR, 0, 0, S_INT);
	put32(b, BTF_VAR_GLOBAL_ALLOCATED);
	bt(b, ".data", BTF_KIND_DATASEC, 1, 0, 4);
	put32(b, S_VAR);
	put32(b, 0);
	put32(b, 4);
	bt(b, "double", BTF_KIND_FLOAT, 0, 0, 8);
	bt(b, "tag1", BTF_KIND_DECL_TAG, 0, 0, S_FUNC);
	put32(b, (uint32_t)-1);
	bt(b, "user", BTF_KIND_TYPE_TAG, 0, 0, S_INT);
	bt(b, "", BTF_KIND_PTR, 0, 0, S_TYPE_TAG);
	b_int(b, "char", 1, BTF_INT_SIGNED, 8);
	/* struct packed_s { char c; int i; } __attribute__((packed)) */
	bt(b, "packed_s", BTF_KIND_STRUCT, 2, 0, 5);
	b_member(b, "c", S_CHAR, 0, 0);
	b_member(b, "i", S_INT, 8, 0);
	bt(b, "u", BTF_KIND_UNION, 2, 0, 8);
	b_member(b, "i", S_INT, 0, 0);
	b_member(b, "p", S_PTR, 0, 0);
	bt(b, "fwd_s", BTF_KIND_FWD, 0, 0, 0);
	bt(b, "color", BTF_KIND_TYPEDEF, 0, 0, S_ENUM);
	bt(b, "", BTF_KIND_VOLATILE, 0, 0, S_INT);
	bt(b, "", BTF_KIND_RESTRICT, 0, 0, S_PTR);
	b_array(b, S_ARR, S_INT, 2);
	str_prog = bs(b, "tracepoint/syscalls/sys_enter_openat");
	str_file = bs(b, "/src/prog.bpf.c");
	str_line = bs(b, "\treturn 0;");
	str_access = bs(b, "0:1");
	n = bld_blob(b, out);
	free(b);
	return n;
}

static struct bb_btf *parse_ok(const void *d, size_t n,
			       const struct bb_btf *base)
{
	struct bb_btf *btf = NULL;
	int err = bb_btf_parse(d, n, base, &btf);

	if (err)
		fprintf(stderr, "  parse: %d %s\n", err, bpfbox_errmsg());
	CHECK_INT(err, ==, 0);
	return btf;
}

static struct bb_btf *sample(uint8_t *buf, size_t *n)
{
	*n = build_sample(buf);
	return parse_ok(buf, *n, NULL);
}

/* Expect the parse of d to fail with err and a message containing word. */
#define CHECK_PARSE_ERR(D, N, ERR, WORD) do {				\
	struct bb_btf *b_ = NULL;					\
	int e_ = bb_btf_parse(D, N, NULL, &b_);				\
	CHECK_INT(e_, ==, ERR);						\
	CHECK(!b_);							\
	CHECK_CONTAINS(bpfbox_errmsg(), WORD);				\
	bb_btf_free(b_);						\
} while (0)

/* Offset of type id's record in a blob laid out like ours. */
static size_t type_off(const struct bb_btf *btf, uint32_t id)
{
	return (const uint8_t *)bb_btf_type(btf, id) -
	       (const uint8_t *)bb_btf_raw(btf, NULL);
}

/* Ask every question of every type: what fuzzing and flips exercise. */
static void walk_all(const struct bb_btf *btf)
{
	uint32_t id, cnt = bb_btf_type_cnt(btf);
	const struct btf_type *t;
	const char *name;
	int found;

	for (id = 0; id < cnt; id++) {
		t = bb_btf_type(btf, id);
		name = bb_btf_type_name(btf, t);
		bb_btf_resolve_size(btf, id);
		bb_btf_align(btf, id);
		bb_btf_skip_mods(btf, id);
		if (t && *name) {
			found = bb_btf_find(btf, name, bb_btf_kind(t));
			CHECK(found > 0 && (uint32_t)found <= id);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Parsing and lookups                                                 */

TEST(btf_parse_sample)
{
	static uint8_t buf[16384];
	const struct btf_member *m;
	const struct btf_type *t;
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	if (!btf)
		return;
	CHECK_INT(bb_btf_type_cnt(btf), ==, S_CNT);
	CHECK_INT(bb_btf_start_id(btf), ==, 1);
	CHECK(!bb_btf_base(btf));
	CHECK(!bb_btf_type(btf, 0));
	CHECK(!bb_btf_type(btf, S_CNT));
	CHECK(!bb_btf_type(btf, UINT32_MAX));
	CHECK_STR(bb_btf_str(btf, 0), "");
	CHECK(!bb_btf_str(btf, 100000));
	CHECK_STR(bb_btf_type_name(btf, NULL), "");

	t = bb_btf_type(btf, S_INT);
	CHECK_INT(bb_btf_kind(t), ==, BTF_KIND_INT);
	CHECK_STR(bb_btf_type_name(btf, t), "int");
	CHECK_INT(bb_btf_int_bits(t), ==, 32);
	CHECK_INT(bb_btf_int_encoding(t), ==, BTF_INT_SIGNED);
	CHECK_INT(bb_btf_int_offset(t), ==, 0);

	t = bb_btf_type(btf, S_POINT);
	CHECK_INT(bb_btf_kind(t), ==, BTF_KIND_STRUCT);
	CHECK(bb_btf_kflag(t));
	CHECK_INT(bb_btf_vlen(t), ==, 3);
	m = bb_btf_members(t);
	CHECK_STR(bb_btf_str(btf, m[1].name_off), "a");
	CHECK_INT(bb_btf_member_bit_offset(t, &m[1]), ==, 32);
	CHECK_INT(bb_btf_member_bitfield_size(t, &m[1]), ==, 3);
	CHECK_INT(bb_btf_member_bit_offset(t, &m[2]), ==, 35);
	CHECK_INT(bb_btf_member_bitfield_size(t, &m[2]), ==, 5);
	t = bb_btf_type(btf, S_PACKED);
	CHECK_INT(bb_btf_member_bit_offset(t, &bb_btf_members(t)[1]), ==, 8);
	CHECK_INT(bb_btf_member_bitfield_size(t, &bb_btf_members(t)[1]), ==, 0);

	t = bb_btf_type(btf, S_ARR);
	CHECK_INT(bb_btf_array(t)->nelems, ==, 4);
	CHECK_INT(bb_btf_array(t)->type, ==, S_POINT);
	t = bb_btf_type(btf, S_ENUM);
	CHECK_STR(bb_btf_str(btf, bb_btf_enums(t)[1].name_off), "GREEN");
	CHECK_INT(bb_btf_enums(t)[1].val, ==, -1);
	t = bb_btf_type(btf, S_ENUM64);
	CHECK_INT(bb_btf_enums64(t)[0].val_hi32, ==, 1 << 8);
	t = bb_btf_type(btf, S_PROTO);
	CHECK_STR(bb_btf_str(btf, bb_btf_params(t)[1].name_off), "p");
	CHECK_INT(bb_btf_params(t)[1].type, ==, S_PTR);
	t = bb_btf_type(btf, S_FUNC);
	CHECK_STR(bb_btf_type_name(btf, t), "sum");
	CHECK_INT(bb_btf_vlen(t), ==, BTF_FUNC_GLOBAL);
	t = bb_btf_type(btf, S_VAR);
	CHECK_INT(bb_btf_var(t)->linkage, ==, BTF_VAR_GLOBAL_ALLOCATED);
	t = bb_btf_type(btf, S_DATASEC);
	CHECK_STR(bb_btf_type_name(btf, t), ".data");
	CHECK_INT(bb_btf_secinfos(t)[0].type, ==, S_VAR);
	t = bb_btf_type(btf, S_DECL_TAG);
	CHECK_INT(((const struct btf_decl_tag *)(t + 1))->component_idx, ==, -1);
	CHECK_INT(bb_btf_kind(bb_btf_type(btf, S_TYPE_TAG)), ==,
		  BTF_KIND_TYPE_TAG);
	CHECK_INT(bb_btf_kind(bb_btf_type(btf, S_FLOAT)), ==, BTF_KIND_FLOAT);
	CHECK_INT(bb_btf_kind(bb_btf_type(btf, S_ARR2)), ==, BTF_KIND_ARRAY);
	bb_btf_free(btf);
}

TEST(btf_kind_names)
{
	static const char *const want[] = {
		"UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD",
		"TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "FUNC",
		"FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG",
		"TYPE_TAG", "ENUM64",
	};
	uint32_t k;

	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		CHECK_STR(bb_btf_kind_name(k), want[k]);
	CHECK_STR(bb_btf_kind_name(20), "UNKN");
	CHECK_STR(bb_btf_kind_name(UINT32_MAX), "UNKN");
}

TEST(btf_find)
{
	static uint8_t buf[16384];
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	if (!btf)
		return;
	CHECK_INT(bb_btf_find(btf, "point", BTF_KIND_STRUCT), ==, S_POINT);
	CHECK_INT(bb_btf_find(btf, "point", -1), ==, S_POINT);
	CHECK_INT(bb_btf_find(btf, "int", BTF_KIND_INT), ==, S_INT);
	/* same name, two kinds: any kind gives the lowest id */
	CHECK_INT(bb_btf_find(btf, "color", -1), ==, S_ENUM);
	CHECK_INT(bb_btf_find(btf, "color", BTF_KIND_ENUM), ==, S_ENUM);
	CHECK_INT(bb_btf_find(btf, "color", BTF_KIND_TYPEDEF), ==, S_TD_COLOR);
	CHECK_INT(bb_btf_find(btf, "sum", BTF_KIND_FUNC), ==, S_FUNC);
	CHECK_INT(bb_btf_find(btf, ".data", BTF_KIND_DATASEC), ==, S_DATASEC);
	CHECK_INT(bb_btf_find(btf, "fwd_s", BTF_KIND_FWD), ==, S_FWD);
	CHECK_INT(bb_btf_find(btf, "void", -1), ==, 0);
	CHECK_INT(bb_btf_find(btf, "point", BTF_KIND_UNION), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "no UNION named 'point'");
	CHECK_INT(bb_btf_find(btf, "nosuch", -1), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "nosuch");
	/* member and enumerator names are not type names */
	CHECK_INT(bb_btf_find(btf, "RED", -1), ==, -ENOENT);
	CHECK_INT(bb_btf_find(btf, "", -1), ==, -EINVAL);
	bb_btf_free(btf);
}

TEST(btf_find_lowest_of_many)
{
	static uint8_t buf[65536];
	struct bld *b = calloc(1, sizeof(*b));
	struct bb_btf *btf;
	char name[16];
	int i;

	bld_init(b, 1, 0);
	b_int(b, "int", 4, BTF_INT_SIGNED, 32);
	/* 300 distinct names (chains collide), then three of one name */
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		bt(b, name, BTF_KIND_TYPEDEF, 0, 0, 1);
	}
	bt(b, "dup", BTF_KIND_TYPEDEF, 0, 0, 1);
	bt(b, "dup", BTF_KIND_STRUCT, 0, 0, 0);
	bt(b, "dup", BTF_KIND_STRUCT, 0, 0, 0);
	btf = parse_ok(buf, bld_blob(b, buf), NULL);
	free(b);
	if (!btf)
		return;
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		CHECK_INT(bb_btf_find(btf, name, BTF_KIND_TYPEDEF), ==, i + 2);
	}
	CHECK_INT(bb_btf_find(btf, "dup", -1), ==, 302);
	CHECK_INT(bb_btf_find(btf, "dup", BTF_KIND_STRUCT), ==, 303);
	bb_btf_free(btf);
}

TEST(btf_resolve_size)
{
	static uint8_t buf[16384];
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	if (!btf)
		return;
	CHECK_INT(bb_btf_resolve_size(btf, S_INT), ==, 4);
	CHECK_INT(bb_btf_resolve_size(btf, S_PTR), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, S_POINT), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, S_ARR), ==, 32);
	CHECK_INT(bb_btf_resolve_size(btf, S_ARR2), ==, 64);
	CHECK_INT(bb_btf_resolve_size(btf, S_CPOINT_T), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, S_ENUM), ==, 4);
	CHECK_INT(bb_btf_resolve_size(btf, S_ENUM64), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, S_VAR), ==, 4);
	CHECK_INT(bb_btf_resolve_size(btf, S_DATASEC), ==, 4);
	CHECK_INT(bb_btf_resolve_size(btf, S_FLOAT), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, S_TYPE_TAG), ==, 4);
	CHECK_INT(bb_btf_resolve_size(btf, S_PACKED), ==, 5);
	CHECK_INT(bb_btf_resolve_size(btf, S_UNION), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, S_VOLATILE), ==, 4);
	CHECK_INT(bb_btf_resolve_size(btf, S_RESTRICT), ==, 8);
	CHECK_INT(bb_btf_resolve_size(btf, 0), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "void");
	CHECK_INT(bb_btf_resolve_size(btf, S_FUNC), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "FUNC 'sum' has no size");
	CHECK_INT(bb_btf_resolve_size(btf, S_PROTO), ==, -EINVAL);
	CHECK_INT(bb_btf_resolve_size(btf, S_FWD), ==, -EINVAL);
	CHECK_INT(bb_btf_resolve_size(btf, S_CNT), ==, -EINVAL);
	bb_btf_free(btf);
}

TEST(btf_skip_mods)
{
	static uint8_t buf[16384];
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	if (!btf)
		return;
	CHECK_INT(bb_btf_skip_mods(btf, S_CPOINT_T), ==, S_POINT);
	CHECK_INT(bb_btf_skip_mods(btf, S_TYPE_TAG), ==, S_INT);
	CHECK_INT(bb_btf_skip_mods(btf, S_VOLATILE), ==, S_INT);
	CHECK_INT(bb_btf_skip_mods(btf, S_PTR), ==, S_PTR);
	CHECK_INT(bb_btf_skip_mods(btf, S_TD_COLOR), ==, S_ENUM);
	CHECK_INT(bb_btf_skip_mods(btf, 0), ==, 0);
	bb_btf_free(btf);
}

TEST(btf_align)
{
	static uint8_t buf[16384];
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	if (!btf)
		return;
	CHECK_INT(bb_btf_align(btf, S_INT), ==, 4);
	CHECK_INT(bb_btf_align(btf, S_CHAR), ==, 1);
	CHECK_INT(bb_btf_align(btf, S_PTR), ==, 8);
	CHECK_INT(bb_btf_align(btf, S_POINT), ==, 4);
	CHECK_INT(bb_btf_align(btf, S_ARR), ==, 4);
	CHECK_INT(bb_btf_align(btf, S_ARR2), ==, 4);
	CHECK_INT(bb_btf_align(btf, S_CPOINT_T), ==, 4);
	CHECK_INT(bb_btf_align(btf, S_PACKED), ==, 1);
	CHECK_INT(bb_btf_align(btf, S_UNION), ==, 8);
	CHECK_INT(bb_btf_align(btf, S_ENUM64), ==, 8);
	CHECK_INT(bb_btf_align(btf, S_FLOAT), ==, 8);
	CHECK_INT(bb_btf_align(btf, S_TYPE_TAG), ==, 4);
	CHECK_INT(bb_btf_align(btf, 0), ==, -EINVAL);
	CHECK_INT(bb_btf_align(btf, S_FUNC), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "has no alignment");
	CHECK_INT(bb_btf_align(btf, S_FWD), ==, -EINVAL);
	bb_btf_free(btf);
}

/* struct outer { char c; struct { int a; } in; } but 'in' at byte 1 */
TEST(btf_align_packed_by_size_and_offset)
{
	static uint8_t buf[4096];
	struct bld b;
	struct bb_btf *btf;

	bld_init(&b, 1, 0);
	b_int(&b, "int", 4, BTF_INT_SIGNED, 32);		/* 1 */
	b_int(&b, "char", 1, BTF_INT_SIGNED, 8);		/* 2 */
	bt(&b, "in", BTF_KIND_STRUCT, 1, 0, 4);			/* 3 */
	b_member(&b, "a", 1, 0, 0);
	bt(&b, "outer", BTF_KIND_STRUCT, 2, 0, 5);		/* 4 */
	b_member(&b, "c", 2, 0, 0);
	b_member(&b, "in", 3, 8, 0);
	bt(&b, "odd", BTF_KIND_STRUCT, 1, 0, 6);		/* 5 */
	b_member(&b, "a", 1, 0, 0);
	/* bitfields never make a struct packed */
	bt(&b, "bits", BTF_KIND_STRUCT, 2, true, 4);		/* 6 */
	b_member(&b, "x", 1, 0, 3);
	b_member(&b, "y", 1, 3, 7);
	btf = parse_ok(buf, bld_blob(&b, buf), NULL);
	if (!btf)
		return;
	CHECK_INT(bb_btf_align(btf, 3), ==, 4);
	CHECK_INT(bb_btf_align(btf, 4), ==, 1);
	CHECK_INT(bb_btf_align(btf, 5), ==, 1);
	CHECK_INT(bb_btf_align(btf, 6), ==, 4);
	bb_btf_free(btf);
}

TEST(btf_add_str_roundtrip)
{
	static uint8_t buf[16384];
	struct bb_btf *btf, *again;
	const void *raw;
	size_t n, rn;
	uint32_t id;
	int off, off2, i;
	char s[32];

	btf = sample(buf, &n);
	if (!btf)
		return;
	raw = bb_btf_raw(btf, &rn);
	CHECK_INT(rn, ==, n);
	CHECK(!memcmp(raw, buf, n));

	off = bb_btf_add_str(btf, "fixed_up_name");
	CHECK_INT(off, >, 0);
	CHECK_STR(bb_btf_str(btf, off), "fixed_up_name");
	/* existing strings, and tails of them, are reused */
	CHECK_INT(bb_btf_add_str(btf, "fixed_up_name"), ==, off);
	CHECK_INT(bb_btf_add_str(btf, "up_name"), ==, off + 6);
	CHECK_INT(bb_btf_add_str(btf, "point"), ==,
		  bb_btf_type(btf, S_POINT)->name_off);
	CHECK_INT(bb_btf_add_str(btf, ""), ==, 0);
	/* enough strings to force the blob to move; the index follows */
	for (i = 0; i < 500; i++) {
		snprintf(s, sizeof(s), "grow_%d", i);
		off2 = bb_btf_add_str(btf, s);
		CHECK_INT(off2, >, off);
		CHECK_STR(bb_btf_str(btf, off2), s);
	}
	/* rename a type in place, as a fix-up would */
	bb_btf_type(btf, S_POINT)->name_off = off;
	CHECK_STR(bb_btf_type_name(btf, bb_btf_type(btf, S_POINT)),
		  "fixed_up_name");
	CHECK_STR(bb_btf_type_name(btf, bb_btf_type(btf, S_CHAR)), "char");

	raw = bb_btf_raw(btf, &rn);
	/* "fixed_up_name", then grow_0..9, grow_10..99, grow_100..499 */
	CHECK_INT(rn, ==, n + 14 + 10 * 7 + 90 * 8 + 400 * 9);
	again = parse_ok(raw, rn, NULL);
	if (again) {
		CHECK_INT(bb_btf_type_cnt(again), ==, bb_btf_type_cnt(btf));
		CHECK(!memcmp(bb_btf_raw(again, NULL), raw, rn));
		for (id = 1; id < S_CNT; id++) {
			CHECK_INT(type_off(again, id), ==, type_off(btf, id));
			CHECK_STR(bb_btf_type_name(again, bb_btf_type(again, id)),
				  bb_btf_type_name(btf, bb_btf_type(btf, id)));
		}
		CHECK_INT(bb_btf_find(again, "fixed_up_name", BTF_KIND_STRUCT),
			  ==, S_POINT);
		CHECK_STR(bb_btf_str(again, off2), "grow_499");
		bb_btf_free(again);
	}
	bb_btf_free(btf);
}

TEST(btf_parse_owned)
{
	static uint8_t buf[16384];
	struct btf_header h;
	struct bb_btf *btf;
	uint8_t *d;
	size_t n, rn;
	int off;

	n = build_sample(buf);
	/* already header | types | strings: adopted in place */
	d = malloc(n);
	memcpy(d, buf, n);
	CHECK_INT(bb_btf_parse_owned(d, n, NULL, &btf), ==, 0);
	if (btf) {
		CHECK(bb_btf_raw(btf, &rn) == d);
		CHECK_INT(bb_btf_find(btf, "point", BTF_KIND_STRUCT), ==, S_POINT);
		/* the adopted buffer has no spare room: add_str moves it */
		off = bb_btf_add_str(btf, "added_to_adopted");
		CHECK_STR(bb_btf_str(btf, off), "added_to_adopted");
		CHECK_STR(bb_btf_type_name(btf, bb_btf_type(btf, S_CHAR)), "char");
		bb_btf_free(btf);
	}
	/* another layout: copied, and the buffer freed (ASan: no leak) */
	d = malloc(n + 8);
	memcpy(&h, buf, sizeof(h));
	h.hdr_len += 8;
	memcpy(d, &h, sizeof(h));
	memset(d + sizeof(h), 0, 8);
	memcpy(d + h.hdr_len, buf + sizeof(h), n - sizeof(h));
	CHECK_INT(bb_btf_parse_owned(d, n + 8, NULL, &btf), ==, 0);
	if (btf) {
		CHECK(bb_btf_raw(btf, &rn) != d);
		CHECK(rn == n && !memcmp(bb_btf_raw(btf, NULL), buf, n));
		bb_btf_free(btf);
	}
	/* failures free the buffer too */
	d = malloc(n);
	memcpy(d, buf, n);
	d[n - 1] = 'x';
	btf = NULL;
	CHECK_INT(bb_btf_parse_owned(d, n, NULL, &btf), ==, -EINVAL);
	CHECK(!btf);
	d = malloc(4);
	CHECK_INT(bb_btf_parse_owned(d, 4, NULL, &btf), ==, -EINVAL);
}

struct find_job {
	const struct bb_btf *btf;
	int found[S_CNT];
};

static void *find_thread(void *arg)
{
	struct find_job *j = arg;
	uint32_t id;

	for (id = 1; id < S_CNT; id++) {
		const struct btf_type *t = bb_btf_type(j->btf, id);

		j->found[id] = bb_btf_find(j->btf, bb_btf_type_name(j->btf, t),
					   bb_btf_kind(t));
	}
	return NULL;
}

/* The lazy name index is built under a const pointer: race for it. */
TEST(btf_find_threads)
{
	static uint8_t buf[16384];
	struct find_job jobs[4];
	pthread_t th[4];
	struct bb_btf *btf;
	uint32_t id;
	size_t n;
	int i, round;

	for (round = 0; round < 20; round++) {
		btf = sample(buf, &n);
		if (!btf)
			return;
		for (i = 0; i < 4; i++) {
			jobs[i].btf = btf;
			CHECK_INT(pthread_create(&th[i], NULL, find_thread,
						 &jobs[i]), ==, 0);
		}
		for (i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < 4; i++)
			for (id = 1; id < S_CNT; id++) {
				const char *nm = bb_btf_type_name(btf,
						bb_btf_type(btf, id));

				if (*nm)
					CHECK(jobs[i].found[id] > 0 &&
					      jobs[i].found[id] <= (int)id);
			}
		bb_btf_free(btf);
	}
}

TEST(btf_layout_variants)
{
	static uint8_t buf[16384], alt[16384];
	struct btf_header h;
	struct bb_btf *btf, *b2;
	size_t n, rn;
	const void *raw;

	btf = sample(buf, &n);
	if (!btf)
		return;
	memcpy(&h, buf, sizeof(h));

	/* strings before types, 8 spare bytes of header (zero) */
	memset(alt, 0, sizeof(alt));
	h.hdr_len = sizeof(h) + 8;
	h.str_off = 0;
	h.type_off = (h.str_len + 3) & ~3u;
	memcpy(alt, &h, sizeof(h));
	memcpy(alt + h.hdr_len, buf + 24 + h.type_len, h.str_len);
	memcpy(alt + h.hdr_len + h.type_off, buf + 24, h.type_len);
	b2 = parse_ok(alt, h.hdr_len + h.type_off + h.type_len, NULL);
	if (b2) {
		/* normalised back to our layout: the same bytes as buf */
		raw = bb_btf_raw(b2, &rn);
		CHECK_INT(rn, ==, n);
		CHECK(!memcmp(raw, buf, n));
		bb_btf_free(b2);
	}

	/* a longer header from a newer kernel: unknown fields ignored */
	alt[sizeof(h) + 3] = 7;
	b2 = parse_ok(alt, h.hdr_len + h.type_off + h.type_len, NULL);
	CHECK(b2 && bb_btf_type_cnt(b2) == S_CNT);
	bb_btf_free(b2);

	/* no types at all is fine (a .BTF of only strings) */
	memcpy(&h, buf, sizeof(h));
	h.type_len = 0;
	h.str_off = 0;
	memcpy(alt, &h, sizeof(h));
	memcpy(alt + sizeof(h), buf + 24 + ((struct btf_header *)buf)->type_len,
	       h.str_len);
	b2 = parse_ok(alt, sizeof(h) + h.str_len, NULL);
	CHECK(b2 && bb_btf_type_cnt(b2) == 1);
	if (b2)
		CHECK_INT(bb_btf_find(b2, "point", -1), ==, -ENOENT);
	bb_btf_free(b2);
	bb_btf_free(btf);
}

TEST(btf_split)
{
	static uint8_t buf[16384], sbuf[4096];
	struct bb_btf *base, *split, *again;
	const struct btf_type *t;
	struct bld b;
	size_t n, sn, rn;
	uint32_t base_str;
	const void *raw;
	int off;

	base = sample(buf, &n);
	if (!base)
		return;
	base_str = ((struct btf_header *)buf)->str_len;
	bld_init(&b, S_CNT, base_str);
	/* [S_CNT] struct mod_s { int a; struct point *p; } */
	bt(&b, "mod_s", BTF_KIND_STRUCT, 2, 0, 16);
	b_member(&b, "a", S_INT, 0, 0);
	b_member(&b, "p", S_CNT + 1, 64, 0);
	bt(&b, "", BTF_KIND_PTR, 0, 0, S_POINT);
	/* a name the base has too: the base's (lower) id wins */
	bt(&b, "point", BTF_KIND_STRUCT, 0, 0, 0);
	/* a name from the base's strings */
	put32(&b, 1);	/* "int" is at offset 1 of the base */
	put32(&b, BTF_INFO_ENC(BTF_KIND_TYPEDEF, 0, 0));
	put32(&b, S_INT);
	b.last_id++;
	sn = bld_blob(&b, sbuf);
	split = parse_ok(sbuf, sn, base);
	if (!split)
		goto out;
	CHECK(bb_btf_base(split) == base);
	CHECK_INT(bb_btf_start_id(split), ==, S_CNT);
	CHECK_INT(bb_btf_type_cnt(split), ==, S_CNT + 4);
	CHECK(bb_btf_type(split, S_INT) == bb_btf_type(base, S_INT));
	CHECK(!bb_btf_type(split, 0));
	CHECK(!bb_btf_type(split, S_CNT + 4));
	t = bb_btf_type(split, S_CNT);
	CHECK_STR(bb_btf_type_name(split, t), "mod_s");
	CHECK_STR(bb_btf_str(split, bb_btf_members(t)[1].name_off), "p");
	CHECK_STR(bb_btf_str(split, 1), "int");
	CHECK_STR(bb_btf_str(split, 0), "");
	CHECK_STR(bb_btf_type_name(split, bb_btf_type(split, S_CNT + 3)), "int");
	CHECK_INT(bb_btf_find(split, "mod_s", BTF_KIND_STRUCT), ==, S_CNT);
	CHECK_INT(bb_btf_find(split, "point", BTF_KIND_STRUCT), ==, S_POINT);
	CHECK_INT(bb_btf_find(split, "int", -1), ==, S_INT);
	CHECK_INT(bb_btf_find(split, "int", BTF_KIND_TYPEDEF), ==, S_CNT + 3);
	CHECK_INT(bb_btf_find(base, "mod_s", -1), ==, -ENOENT);
	CHECK_INT(bb_btf_resolve_size(split, S_CNT), ==, 16);
	CHECK_INT(bb_btf_resolve_size(split, S_CNT + 3), ==, 4);
	CHECK_INT(bb_btf_align(split, S_CNT), ==, 8);
	CHECK_INT(bb_btf_resolve_size(split, S_ARR), ==, 32);

	/* strings added to split BTF land after the base's */
	off = bb_btf_add_str(split, "only_in_module");
	CHECK_INT(off, >=, (int)base_str);
	CHECK_STR(bb_btf_str(split, off), "only_in_module");
	CHECK_INT(bb_btf_add_str(split, "point"),
		  ==, bb_btf_type(base, S_POINT)->name_off);
	raw = bb_btf_raw(split, &rn);
	again = parse_ok(raw, rn, base);
	if (again)
		CHECK_STR(bb_btf_str(again, off), "only_in_module");
	bb_btf_free(again);

	/* a split BTF's own string section may be empty ... */
	{
		struct btf_header h = { .magic = BTF_MAGIC, .version = 1,
					.hdr_len = 24 };
		struct bb_btf *e = parse_ok(&h, sizeof(h), base);

		CHECK(e && bb_btf_type_cnt(e) == S_CNT);
		bb_btf_free(e);
		/* ... but not a base's */
		CHECK_PARSE_ERR(&h, sizeof(h), -EINVAL, "string section is empty");
	}
	/* references into the base are fine, beyond the split are not */
	memcpy(sbuf + 24 + 12 + 12 + 4, &(uint32_t){ S_CNT + 4 }, 4);
	{
		struct bb_btf *e = NULL;

		CHECK_INT(bb_btf_parse(sbuf, sn, base, &e), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "member 1 refers to type");
	}
out:
	bb_btf_free(split);
	bb_btf_free(base);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

TEST(btf_err_header)
{
	static uint8_t buf[16384], bad[16384];
	struct btf_header *h = (struct btf_header *)bad;
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	bb_btf_free(btf);
#define RESET() memcpy(bad, buf, n)
	CHECK_PARSE_ERR(NULL, 0, -EINVAL, "smaller than the 24-byte header");
	CHECK_PARSE_ERR(buf, 23, -EINVAL, "smaller than the 24-byte header");
	RESET(); h->magic = 0x1234;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "bad magic 0x1234");
	RESET(); h->magic = 0x9feb;
	CHECK_PARSE_ERR(bad, n, -ENOTSUP, "byte-swapped");
	RESET(); h->version = 2;
	CHECK_PARSE_ERR(bad, n, -ENOTSUP, "unsupported version 2");
	RESET(); h->flags = 1;
	CHECK_PARSE_ERR(bad, n, -ENOTSUP, "flags");
	RESET(); h->hdr_len = 16;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "header length 16");
	RESET(); h->hdr_len = n + 1;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "beyond the");
	RESET(); h->str_len += 1;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "string section (offset");
	RESET(); h->type_off = 0xfffffff0; h->type_len = 0x20;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "type section (offset 4294967280");
	RESET(); h->str_off = 0xffffffff;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "runs past the end");
	RESET(); h->type_off = 2; h->type_len = 4;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "not 4-byte aligned");
	RESET(); h->str_off = 8;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "overlap");
#undef RESET
}

TEST(btf_err_strings)
{
	static uint8_t buf[16384], bad[16384];
	struct btf_header *h = (struct btf_header *)bad;
	struct bb_btf *btf;
	size_t n;

	btf = sample(buf, &n);
	bb_btf_free(btf);
	memcpy(bad, buf, n);
	bad[n - 1] = 'x';
	CHECK_PARSE_ERR(bad, n, -EINVAL, "string section is not NUL-terminated");
	memcpy(bad, buf, n);
	bad[24 + h->type_len] = 'x';
	CHECK_PARSE_ERR(bad, n, -EINVAL, "does not start with");
	memcpy(bad, buf, n);
	h->str_len = 0;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "string section is empty");
}

TEST(btf_err_types)
{
	static uint8_t buf[16384], bad[16384];
	struct btf_header *h = (struct btf_header *)bad;
	struct btf_type *t;
	struct bb_btf *btf;
	struct bld b;
	size_t n, o;

	btf = sample(buf, &n);
	if (!btf)
		return;
#define RESET() memcpy(bad, buf, n)
#define AT(id) (t = (struct btf_type *)(bad + type_off(btf, id)))
	RESET(); AT(S_CHAR)->info = BTF_INFO_ENC(25, 0, 0);
	CHECK_PARSE_ERR(bad, n, -EINVAL, "BTF: type [18] has unknown kind 25");
	RESET(); AT(S_INT)->info = BTF_INFO_ENC(0, 0, 0);
	CHECK_PARSE_ERR(bad, n, -EINVAL, "type [1] has unknown kind 0");
	RESET(); AT(S_PTR)->type = S_CNT;
	CHECK_PARSE_ERR(bad, n, -EINVAL,
			"type [2] PTR '': type refers to type [26], out of range");
	RESET(); AT(S_POINT); bb_btf_members(t)[2].type = 1000;
	CHECK_PARSE_ERR(bad, n, -EINVAL,
			"type [3] STRUCT 'point': member 2 refers to type [1000]");
	RESET(); AT(S_ARR); bb_btf_array(t)->index_type = 77;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "index type refers to type [77]");
	RESET(); AT(S_PROTO); bb_btf_params(t)[0].type = 99;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "param 0 refers to type [99]");
	RESET(); AT(S_PROTO)->type = 98;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "return type refers to type [98]");
	RESET(); AT(S_DATASEC); bb_btf_secinfos(t)[0].type = 97;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "variable 0 refers to type [97]");
	RESET(); AT(S_DECL_TAG)->type = 96;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "DECL_TAG 'tag1': type refers");
	RESET(); AT(S_FWD)->name_off = h->str_len;
	CHECK_PARSE_ERR(bad, n, -EINVAL,
			"type [21] FWD: name offset");
	CHECK_CONTAINS(bpfbox_errmsg(), "out of range");
	RESET(); AT(S_UNION); bb_btf_members(t)[1].name_off = 0x7fffffff;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "UNION: member 1 name offset 2147483647");
	RESET(); AT(S_ENUM64); bb_btf_enums64(t)[0].name_off = h->str_len + 5;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "ENUM64: enumerator 0 name offset");
	RESET(); AT(S_PROTO); bb_btf_params(t)[1].name_off = -1;
	CHECK_PARSE_ERR(bad, n, -EINVAL, "FUNC_PROTO: param 1 name offset");
	/* a vlen larger than what is left in the section */
	RESET(); AT(S_ARR2 - 1)->info = BTF_INFO_ENC(BTF_KIND_ENUM, 0, 4);
	CHECK_PARSE_ERR(bad, n, -EINVAL, "truncated");
	RESET(); AT(S_ARR2)->info = BTF_INFO_ENC(BTF_KIND_STRUCT, 0, 9);
	CHECK_PARSE_ERR(bad, n, -EINVAL, "type [25] STRUCT at offset");
	/* a type section that ends inside a record header */
	RESET(); h->type_len -= 16; h->str_off -= 16;
	o = 24 + h->type_len;
	memmove(bad + o, bad + o + 16, h->str_len);
	CHECK_PARSE_ERR(bad, n - 16, -EINVAL,
			"truncated (8 bytes left, a type needs 12)");
#undef AT
#undef RESET
	bb_btf_free(btf);

	/* a lone record with an unknown kind */
	bld_init(&b, 1, 0);
	bt(&b, "x", 31, 0, 0, 0);
	CHECK_PARSE_ERR(buf, bld_blob(&b, buf), -EINVAL, "unknown kind 31");
}

TEST(btf_err_resolve)
{
	static uint8_t buf[4096];
	struct bb_btf *btf;
	struct bld b;

	bld_init(&b, 1, 0);
	b_int(&b, "int", 4, BTF_INT_SIGNED, 32);		/* 1 */
	bt(&b, "a_t", BTF_KIND_TYPEDEF, 0, 0, 3);		/* 2 -> 3 */
	bt(&b, "b_t", BTF_KIND_TYPEDEF, 0, 0, 4);		/* 3 -> 4 */
	bt(&b, "", BTF_KIND_CONST, 0, 0, 2);			/* 4 -> 2 */
	b_array(&b, 1, 1, 0x10000);				/* 5 */
	b_array(&b, 5, 1, 0x10000);				/* 6: 2^34 B */
	b_array(&b, 5, 1, 0);					/* 7: 0 B */
	b_array(&b, 7, 1, 0xffffffff);				/* 8: 0 B */
	/* struct self { struct self_t s; } via a typedef */
	bt(&b, "self", BTF_KIND_STRUCT, 1, 0, 4);		/* 9 */
	b_member(&b, "s", 10, 0, 0);
	bt(&b, "self_t", BTF_KIND_TYPEDEF, 0, 0, 9);		/* 10 */
	bt(&b, "", BTF_KIND_ARRAY, 0, 0, 0);			/* 11: self */
	put32(&b, 11);
	put32(&b, 1);
	put32(&b, 1);
	bt(&b, "zero", BTF_KIND_INT, 0, 0, 0);			/* 12 */
	put32(&b, 0);
	btf = parse_ok(buf, bld_blob(&b, buf), NULL);
	if (!btf)
		return;
	CHECK_INT(bb_btf_resolve_size(btf, 2), ==, -ELOOP);
	CHECK_CONTAINS(bpfbox_errmsg(), "loop");
	CHECK_CONTAINS(bpfbox_errmsg(), "[2] TYPEDEF 'a_t'");
	CHECK_INT(bb_btf_align(btf, 3), ==, -ELOOP);
	CHECK_INT(bb_btf_skip_mods(btf, 2) != 1, ==, 1);
	CHECK_INT(bb_btf_resolve_size(btf, 5), ==, 0x40000);
	CHECK_INT(bb_btf_resolve_size(btf, 6), ==, -E2BIG);
	CHECK_CONTAINS(bpfbox_errmsg(), "overflows");
	CHECK_INT(bb_btf_resolve_size(btf, 7), ==, 0);
	CHECK_INT(bb_btf_resolve_size(btf, 8), ==, 0);
	CHECK_INT(bb_btf_resolve_size(btf, 9), ==, 4);
	CHECK_INT(bb_btf_align(btf, 9), ==, -ELOOP);
	CHECK_CONTAINS(bpfbox_errmsg(), "contains itself");
	CHECK_INT(bb_btf_align(btf, 10), ==, -ELOOP);
	CHECK_INT(bb_btf_resolve_size(btf, 11), ==, -ELOOP);
	CHECK_INT(bb_btf_align(btf, 11), ==, -ELOOP);
	CHECK_INT(bb_btf_align(btf, 12), ==, -EINVAL);
	bb_btf_free(btf);
}

/*
 * 40 levels of structs, each holding 8 of the next: the naive
 * recursion takes 8^40 steps; alignment must still answer at once.
 */
TEST(btf_align_fanout)
{
	static uint8_t buf[16384];
	struct bb_btf *btf;
	struct bld *b = calloc(1, sizeof(*b));
	struct timespec t0, t1;
	int lvl, i;

	bld_init(b, 1, 0);
	b_int(b, "long", 8, BTF_INT_SIGNED, 64);
	for (lvl = 0; lvl < 40; lvl++) {
		bt(b, "", BTF_KIND_STRUCT, 8, 0, 8u << (lvl > 20 ? 20 : lvl));
		for (i = 0; i < 8; i++)
			b_member(b, "", b->last_id - 1, 0, 0);
	}
	btf = parse_ok(buf, bld_blob(b, buf), NULL);
	free(b);
	if (!btf)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(bb_btf_align(btf, 41), ==, 8);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_INT((t1.tv_sec - t0.tv_sec) * 1000 +
		  (t1.tv_nsec - t0.tv_nsec) / 1000000, <, 100);
	bb_btf_free(btf);
}

/* ------------------------------------------------------------------ */
/* Robustness                                                          */

TEST(btf_every_truncation)
{
	static uint8_t buf[16384];
	struct bb_btf *btf;
	size_t n, len;
	uint8_t *copy;

	btf = sample(buf, &n);
	bb_btf_free(btf);
	for (len = 0; len < n; len++) {
		/* an exact-size heap copy, so ASan sees any overread */
		copy = malloc(len ? len : 1);
		memcpy(copy, buf, len);
		btf = NULL;
		CHECK_INT(bb_btf_parse(copy, len, NULL, &btf), <, 0);
		CHECK(!btf);
		free(copy);
	}
}

/* Cut the type section at every length, header kept consistent. */
TEST(btf_every_type_section_cut)
{
	static uint8_t buf[16384];
	struct btf_header h;
	struct bb_btf *btf;
	uint32_t cut, tl;
	uint8_t *copy;
	size_t n;

	btf = sample(buf, &n);
	bb_btf_free(btf);
	memcpy(&h, buf, sizeof(h));
	tl = h.type_len;
	for (cut = 0; cut <= tl; cut++) {
		copy = malloc(24 + cut + h.str_len);
		h.type_len = cut;
		h.str_off = cut;
		memcpy(copy, &h, sizeof(h));
		memcpy(copy + 24, buf + 24, cut);
		memcpy(copy + 24 + cut, buf + 24 + tl, h.str_len);
		btf = NULL;
		if (!bb_btf_parse(copy, 24 + cut + h.str_len, NULL, &btf))
			walk_all(btf);
		bb_btf_free(btf);
		free(copy);
	}
}

TEST(btf_byte_flips)
{
	static const uint8_t xors[] = { 0x01, 0x02, 0x10, 0x80, 0xff };
	static uint8_t buf[16384];
	struct bb_btf *btf;
	size_t n, i, x, ok = 0;
	uint8_t *copy;

	btf = sample(buf, &n);
	bb_btf_free(btf);
	copy = malloc(n);
	for (i = 0; i < n; i++) {
		for (x = 0; x < sizeof(xors); x++) {
			memcpy(copy, buf, n);
			copy[i] ^= xors[x];
			btf = NULL;
			if (bb_btf_parse(copy, n, NULL, &btf))
				continue;
			ok++;
			walk_all(btf);
			bb_btf_free(btf);
		}
	}
	free(copy);
	/* most flips land in names or sizes and still parse */
	CHECK_INT(ok, >, n);
}

/* ------------------------------------------------------------------ */
/* The kernel's BTF                                                    */

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void *read_vmlinux(size_t *n)
{
	void *d = bb_test_read_file("/sys/kernel/btf/vmlinux", n);

	if (!d)
		printf("  skip: cannot read /sys/kernel/btf/vmlinux: %s "
		       "(kernel built without CONFIG_DEBUG_INFO_BTF?)\n",
		       strerror(errno));
	return d;
}

TEST(btf_vmlinux)
{
	uint32_t id, cnt, nstruct = 0, nfind = 0;
	double read_ms, parse_ms, copy_ms, find_ms, walk_ms;
	const struct btf_type *t;
	struct bb_btf *btf, *copy;
	struct timespec t0;
	const void *raw;
	size_t n, n2, rn;
	void *d, *d2;
	int tid, a;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	d = read_vmlinux(&n);
	read_ms = ms_since(&t0);
	if (!d)
		return;
	/* the loader's way: adopt the buffer the file was read into */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(bb_btf_parse_owned(d, n, NULL, &btf), ==, 0);
	parse_ms = ms_since(&t0);
	if (!btf)
		return;
	/* the copying way gives the same bytes */
	d2 = read_vmlinux(&n2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	copy = d2 ? parse_ok(d2, n2, NULL) : NULL;
	copy_ms = ms_since(&t0);
	raw = bb_btf_raw(btf, &rn);
	CHECK_INT(rn, ==, n2);
	CHECK(d2 && !memcmp(raw, d2, n2));
	CHECK(copy && bb_btf_type_cnt(copy) == bb_btf_type_cnt(btf));
	bb_btf_free(copy);
	free(d2);

	cnt = bb_btf_type_cnt(btf);
	CHECK_INT(cnt, >, 10000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tid = bb_btf_find(btf, "task_struct", BTF_KIND_STRUCT);
	find_ms = ms_since(&t0);
	CHECK_INT(tid, >, 0);
	t = bb_btf_type(btf, tid);
	CHECK(t && bb_btf_kind(t) == BTF_KIND_STRUCT);
	CHECK_INT(t ? t->size : 0, >, 1000);
	CHECK_INT(bb_btf_resolve_size(btf, tid), ==, t ? t->size : 0);
	CHECK_INT(bb_btf_align(btf, tid), >=, 8);
	tid = bb_btf_find(btf, "pid_t", BTF_KIND_TYPEDEF);
	CHECK_INT(tid, >, 0);
	CHECK_INT(bb_btf_resolve_size(btf, tid), ==, 4);
	CHECK_INT(bb_btf_align(btf, tid), ==, 4);

	/* every struct and union has a size and an alignment; names find */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (id = 1; id < cnt; id++) {
		const char *name;

		t = bb_btf_type(btf, id);
		name = bb_btf_type_name(btf, t);
		if (bb_btf_kind(t) == BTF_KIND_STRUCT ||
		    bb_btf_kind(t) == BTF_KIND_UNION) {
			nstruct++;
			CHECK_INT(bb_btf_resolve_size(btf, id), ==, t->size);
			a = bb_btf_align(btf, id);
			if (a <= 0)
				fprintf(stderr, "  [%u] %s: %s\n", id, name,
					bpfbox_errmsg());
			CHECK_INT(a, >, 0);
		}
		if (*name && id % 7 == 0) {
			int f = bb_btf_find(btf, name, bb_btf_kind(t));

			nfind++;
			CHECK(f > 0 && (uint32_t)f <= id);
		}
	}
	walk_ms = ms_since(&t0);
	printf("  vmlinux: %u types, %zu bytes: read %.1f ms, parse (owned) "
	       "%.1f ms, parse (copy) %.1f ms, first find (builds the name "
	       "index) %.1f ms, %u structs sized and aligned + %u finds "
	       "%.1f ms\n", cnt, n, read_ms, parse_ms, copy_ms, find_ms,
	       nstruct, nfind, walk_ms);
	bb_btf_free(btf);
}

TEST(btf_module_split)
{
	struct bb_btf *vml = NULL, *mod;
	char found[512] = "";
	uint32_t id, own = 0;
	struct dirent *de;
	size_t n, mn;
	void *d, *md;
	DIR *dir;
	int f;

	dir = opendir("/sys/kernel/btf");
	if (dir) {
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.' ||
			    !strcmp(de->d_name, "vmlinux"))
				continue;
			snprintf(found, sizeof(found), "/sys/kernel/btf/%s",
				 de->d_name);
			break;
		}
		closedir(dir);
	}
	if (!found[0]) {
		printf("  skip: no module BTF in /sys/kernel/btf (no modules "
		       "loaded, or all drivers built in); split BTF is "
		       "covered by btf_split\n");
		return;
	}
	d = read_vmlinux(&n);
	if (!d)
		return;
	vml = parse_ok(d, n, NULL);
	md = bb_test_read_file(found, &mn);
	CHECK(md != NULL);
	if (!vml || !md)
		goto out;
	mod = parse_ok(md, mn, vml);
	if (mod) {
		CHECK_INT(bb_btf_start_id(mod), ==, bb_btf_type_cnt(vml));
		/* the first named type of the module's own is found in it */
		for (id = bb_btf_start_id(mod); id < bb_btf_type_cnt(mod); id++)
			if (*bb_btf_type_name(mod, bb_btf_type(mod, id))) {
				own = id;
				break;
			}
		if (own) {
			const struct btf_type *t = bb_btf_type(mod, own);

			f = bb_btf_find(mod, bb_btf_type_name(mod, t),
					bb_btf_kind(t));
			CHECK(f > 0 && (uint32_t)f <= own);
		}
		/* and vmlinux types through it */
		CHECK_INT(bb_btf_find(mod, "task_struct", BTF_KIND_STRUCT), ==,
			  bb_btf_find(vml, "task_struct", BTF_KIND_STRUCT));
		walk_all(mod);
		printf("  %s: %u own types on vmlinux\n", found,
		       bb_btf_type_cnt(mod) - bb_btf_start_id(mod));
		bb_btf_free(mod);
	}
out:
	bb_btf_free(vml);
	free(md);
	free(d);
}

/* ------------------------------------------------------------------ */
/* BTF.ext                                                             */

struct ext_layout {
	size_t func, line, core;	/* offsets of each rec_size word */
};

static void put_at(uint8_t *p, size_t *len, uint32_t v)
{
	memcpy(p + *len, &v, 4);
	*len += 4;
}

/* func_info: 2 records, line_info: 1, core_relo: 1, in one section. */
static size_t build_ext(uint8_t *out, bool with_core, struct ext_layout *l)
{
	size_t len = with_core ? 32 : 24, start = len;

	l->func = len;
	put_at(out, &len, 8);
	put_at(out, &len, str_prog);
	put_at(out, &len, 2);
	put_at(out, &len, 0);	put_at(out, &len, S_FUNC);
	put_at(out, &len, 64);	put_at(out, &len, S_PROTO);
	l->line = len;
	put_at(out, &len, 16);
	put_at(out, &len, str_prog);
	put_at(out, &len, 1);
	put_at(out, &len, 0);
	put_at(out, &len, str_file);
	put_at(out, &len, str_line);
	put_at(out, &len, 3 << 10 | 5);
	l->core = len;
	if (with_core) {
		put_at(out, &len, 16);
		put_at(out, &len, str_prog);
		put_at(out, &len, 1);
		put_at(out, &len, 8);
		put_at(out, &len, S_POINT);
		put_at(out, &len, str_access);
		put_at(out, &len, 0);	/* BPF_CORE_FIELD_BYTE_OFFSET */
	}
	{
		uint32_t h[8] = {
			BTF_MAGIC | 1 << 16, (uint32_t)start,
			l->func - start, l->line - l->func,
			l->line - start, l->core - l->line,
			l->core - start, len - l->core,
		};

		memcpy(out, h, start);
	}
	return len;
}

TEST(btf_ext_parse)
{
	static uint8_t buf[16384], ebuf[512];
	const struct bb_btf_ext_sec *s;
	const struct bpf_core_relo *cr;
	const struct bpf_line_info *li;
	const struct bpf_func_info *fi;
	struct ext_layout l;
	struct bb_btf_ext *ext = NULL;
	struct bb_btf *btf;
	size_t n, en;
	const char *sec = "tracepoint/syscalls/sys_enter_openat";

	btf = sample(buf, &n);
	if (!btf)
		return;
	en = build_ext(ebuf, true, &l);
	CHECK_INT(bb_btf_ext_parse(ebuf, en, btf, &ext), ==, 0);
	if (!ext)
		goto out;
	CHECK_INT(ext->func_info.nsecs, ==, 1);
	s = bb_btf_ext_find(&ext->func_info, sec);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->nrec, ==, 2);
		CHECK_INT(s->rec_size, ==, 8);
		fi = (const struct bpf_func_info *)s->recs;
		CHECK_INT(fi[1].insn_off, ==, 64);
		CHECK_INT(fi[1].type_id, ==, S_PROTO);
	}
	s = bb_btf_ext_find(&ext->line_info, sec);
	CHECK(s && s->nrec == 1 && s->rec_size == 16);
	if (s) {
		li = (const struct bpf_line_info *)s->recs;
		CHECK_STR(bb_btf_str(btf, li->file_name_off), "/src/prog.bpf.c");
		CHECK_STR(bb_btf_str(btf, li->line_off), "\treturn 0;");
		CHECK_INT(BPF_LINE_INFO_LINE_NUM(li->line_col), ==, 3);
	}
	s = bb_btf_ext_find(&ext->core_relo, sec);
	CHECK(s && s->nrec == 1);
	if (s) {
		cr = (const struct bpf_core_relo *)s->recs;
		CHECK_INT(cr->insn_off, ==, 8);
		CHECK_INT(cr->type_id, ==, S_POINT);
		CHECK_STR(bb_btf_str(btf, cr->access_str_off), "0:1");
	}
	CHECK(!bb_btf_ext_find(&ext->func_info, "xdp"));
	/* the copy outlives the input and string-section growth */
	memset(ebuf, 0xaa, en);
	bb_btf_add_str(btf, "a string that makes the blob move, maybe");
	CHECK_STR(ext->func_info.secs[0].sec_name, sec);
	bb_btf_ext_free(ext);

	/* a header without the core_relo fields */
	en = build_ext(ebuf, false, &l);
	ext = NULL;
	CHECK_INT(bb_btf_ext_parse(ebuf, en, btf, &ext), ==, 0);
	CHECK(ext && ext->core_relo.nsecs == 0 && ext->line_info.nsecs == 1);
	bb_btf_ext_free(ext);
out:
	bb_btf_free(btf);
}

/* Expect the .BTF.ext parse to fail with err and a message with word. */
#define CHECK_EXT_ERR(D, N, BTF, ERR, WORD) do {			\
	struct bb_btf_ext *x_ = NULL;					\
	CHECK_INT(bb_btf_ext_parse(D, N, BTF, &x_), ==, ERR);		\
	CHECK(!x_);							\
	CHECK_CONTAINS(bpfbox_errmsg(), WORD);				\
} while (0)

TEST(btf_ext_errors)
{
	static uint8_t buf[16384], good[512], bad[512];
	struct ext_layout l;
	struct bb_btf *btf;
	struct bb_btf_ext *ext;
	uint32_t v;
	size_t n, en;

	btf = sample(buf, &n);
	if (!btf)
		return;
	en = build_ext(good, true, &l);
#define RESET() memcpy(bad, good, en)
#define SET(OFF, V) (v = (V), memcpy(bad + (OFF), &v, 4))
	RESET(); SET(l.func, 4);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "func_info record size 4 is invalid");
	RESET(); SET(l.line, 12);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "line_info record size 12");
	RESET(); SET(l.core, 18);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "core_relo record size 18");
	/* 2^29 * 8 overflows 32 bits to 0: must still be caught */
	RESET(); SET(l.func + 8, 1u << 29);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "run past the end");
	RESET(); SET(l.func + 8, 3);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "3 records of 8 bytes");
	RESET(); SET(l.func + 8, 0);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "has no records");
	RESET(); SET(l.func + 4, 1u << 30);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "section name offset 1073741824");
	RESET(); SET(l.line + 4, 0);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "empty");
	RESET(); SET(l.func + 16, S_CNT);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "func_info of section 'tracepoint/syscalls/sys_enter_openat' record 0: type id 26");
	RESET(); SET(l.line + 16, 99999);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "file name offset 99999");
	RESET(); SET(l.line + 20, 99998);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "line offset 99998");
	RESET(); SET(l.core + 16, 1000);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "core_relo of section");
	CHECK_CONTAINS(bpfbox_errmsg(), "type id 1000");
	RESET(); SET(l.core + 20, 77777);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "access string offset 77777");
	/* header fields */
	RESET(); bad[0] = 0;
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "bad magic");
	RESET(); bad[2] = 2;
	CHECK_EXT_ERR(bad, en, btf, -ENOTSUP, "version 2");
	RESET(); bad[3] = 1;
	CHECK_EXT_ERR(bad, en, btf, -ENOTSUP, "flags");
	RESET(); SET(4, 20);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "header length 20");
	RESET(); SET(4, en + 4);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "header length");
	RESET(); SET(8, 2);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "func_info offset 2 is not 4-byte aligned");
	RESET(); SET(12, 0xfffffffc);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "func_info (offset 0, length 4294967292)");
	RESET(); SET(16, 0xfffffff0);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "line_info (offset 4294967280");
	/* a section length that cuts a section header */
	RESET(); SET(12, 4 + 4);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "truncated");
	RESET(); SET(12, 2);
	CHECK_EXT_ERR(bad, en, btf, -EINVAL, "too short");
	CHECK_EXT_ERR(good, 10, btf, -EINVAL, "smaller than");
	CHECK_EXT_ERR(good, en, NULL, -EINVAL, "needs the .BTF");
	/* empty sub-sections are fine wherever they claim to be */
	RESET(); SET(8, 0xffffffff); SET(12, 0);
	ext = NULL;
	CHECK_INT(bb_btf_ext_parse(bad, en, btf, &ext), ==, 0);
	CHECK(ext && !ext->func_info.nsecs && ext->line_info.nsecs == 1);
	bb_btf_ext_free(ext);
	/* a section of only a record size */
	RESET(); SET(12, 4);
	ext = NULL;
	CHECK_INT(bb_btf_ext_parse(bad, en, btf, &ext), ==, 0);
	CHECK(ext && !ext->func_info.nsecs);
	bb_btf_ext_free(ext);
#undef SET
#undef RESET
	bb_btf_free(btf);
}

TEST(btf_ext_truncations_and_flips)
{
	static const uint8_t xors[] = { 0x01, 0x04, 0x80, 0xff };
	static uint8_t buf[16384], good[512];
	struct bb_btf_ext *ext;
	struct ext_layout l;
	struct bb_btf *btf;
	size_t n, en, len, i, x, j;
	uint8_t *copy;

	btf = sample(buf, &n);
	if (!btf)
		return;
	en = build_ext(good, true, &l);
	for (len = 0; len < en; len++) {
		copy = malloc(len ? len : 1);
		memcpy(copy, good, len);
		ext = NULL;
		/* cutting the end off leaves core_relo past the end */
		CHECK_INT(bb_btf_ext_parse(copy, len, btf, &ext), <, 0);
		free(copy);
	}
	copy = malloc(en);
	for (i = 0; i < en; i++) {
		for (x = 0; x < sizeof(xors); x++) {
			memcpy(copy, good, en);
			copy[i] ^= xors[x];
			ext = NULL;
			if (bb_btf_ext_parse(copy, en, btf, &ext))
				continue;
			for (j = 0; j < ext->func_info.nsecs; j++)
				CHECK(bb_btf_ext_find(&ext->func_info,
					ext->func_info.secs[j].sec_name));
			bb_btf_ext_free(ext);
		}
	}
	free(copy);
	bb_btf_free(btf);
}

/* ------------------------------------------------------------------ */
/* Fuzzing seeds                                                       */

static void write_seed(const char *dir, const char *name, const void *d,
		       size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(fwrite(d, 1, n, f), ==, n);
	fclose(f);
}

/* BB_BTF_SEED_DIR=dir: seeds for fuzz_btf (btf_*) and fuzz_btf_ext (ext_*) */
TEST(btf_fuzz_seeds)
{
	static uint8_t buf[16384], ebuf[512], both[20000];
	const char *dir = getenv("BB_BTF_SEED_DIR");
	struct ext_layout l;
	size_t n, en;
	uint16_t n16;

	if (!dir)
		return;
	n = build_sample(buf);
	write_seed(dir, "btf_sample", buf, n);
	en = build_ext(ebuf, true, &l);
	n16 = n;
	memcpy(both, &n16, 2);
	memcpy(both + 2, buf, n);
	memcpy(both + 2 + n, ebuf, en);
	write_seed(dir, "ext_sample", both, 2 + n + en);
	en = build_ext(ebuf, false, &l);
	memcpy(both + 2 + n, ebuf, en);
	write_seed(dir, "ext_nocore", both, 2 + n + en);
	printf("  seeds written to %s\n", dir);
}
