// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF dumper tests: small BTF built in memory, dumped raw (bpftool's
 * text) and as C (libbpf's btf_dump), compared with the expected text.
 * The C expectations were checked to compile with clang -target bpf and
 * to reproduce the BTF offsets.
 */
#include <stdlib.h>
#include <errno.h>
#include <linux/btf.h>

#include "btf.h"
#include "btf_dump.h"
#include "test.h"

/* ------------------------------------------------------------------ */
/* Builder                                                             */

struct dbld {
	uint8_t types[8192];
	uint32_t tlen;
	char strs[2048];
	uint32_t slen;
	uint32_t nr;			/* last type id */
};

static void db_init(struct dbld *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;
}

static uint32_t db_str(struct dbld *b, const char *s)
{
	uint32_t off = b->slen;

	if (!s || !*s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return off;
}

static void db_u32(struct dbld *b, uint32_t v)
{
	memcpy(b->types + b->tlen, &v, 4);
	b->tlen += 4;
}

/* a type record; returns its id. size_type: size or referenced type */
static uint32_t db_type(struct dbld *b, uint32_t kind, const char *name,
			uint32_t vlen, bool kflag, uint32_t size_type)
{
	db_u32(b, db_str(b, name));
	db_u32(b, (uint32_t)kflag << 31 | kind << 24 | vlen);
	db_u32(b, size_type);
	return ++b->nr;
}

static uint32_t db_int(struct dbld *b, const char *name, uint32_t size,
		       uint32_t enc)
{
	uint32_t id = db_type(b, BTF_KIND_INT, name, 0, false, size);

	db_u32(b, enc << 24 | size * 8);
	return id;
}

/* member, enumerator, param: name + two words */
static void db_pair(struct dbld *b, const char *name, uint32_t a)
{
	db_u32(b, db_str(b, name));
	db_u32(b, a);
}

static void db_member(struct dbld *b, const char *name, uint32_t type,
		      uint32_t off)
{
	db_pair(b, name, type);
	db_u32(b, off);
}

static uint32_t db_array(struct dbld *b, uint32_t elem, uint32_t idx,
			 uint32_t n)
{
	uint32_t id = db_type(b, BTF_KIND_ARRAY, NULL, 0, false, 0);

	db_u32(b, elem);
	db_u32(b, idx);
	db_u32(b, n);
	return id;
}

static struct bb_btf *db_parse(struct dbld *b)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_off = 0, .type_len = b->tlen,
		.str_off = b->tlen, .str_len = b->slen,
	};
	size_t size = sizeof(h) + b->tlen + b->slen;
	uint8_t *blob = malloc(size);
	struct bb_btf *btf = NULL;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), b->types, b->tlen);
	memcpy(blob + sizeof(h) + b->tlen, b->strs, b->slen);
	if (bb_btf_parse(blob, size, NULL, &btf))
		btf = NULL;
	free(blob);
	return btf;
}

/* ------------------------------------------------------------------ */
/* Output capture                                                      */

struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static const char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

static char *dump_raw(const struct bb_btf *btf)
{
	struct cap c;

	bb_btf_dump_raw(btf, NULL, 0, cap_open(&c));
	return (char *)cap_close(&c);
}

/* the C types alone (no header), all types in id order; *err the result */
static char *dump_c(const struct bb_btf *btf, int *err)
{
	struct bb_btf_dump *d;
	struct cap c;
	uint32_t id;

	*err = bb_btf_dump_new(btf, cap_open(&c), &d);
	for (id = 1; !*err && id < bb_btf_type_cnt(btf); id++)
		*err = bb_btf_dump_type(d, id);
	bb_btf_dump_free(d);
	return (char *)cap_close(&c);
}

/* ------------------------------------------------------------------ */
/* raw                                                                 */

TEST(btf_dump_raw_every_kind)
{
	struct dbld b;
	struct bb_btf *btf;
	uint32_t u32, s, p, e, fp;
	char *out;

	db_init(&b);
	u32 = db_int(&b, "unsigned int", 4, 0);			/* 1 */
	db_int(&b, "char", 1, BTF_INT_SIGNED);			/* 2 */
	p = db_type(&b, BTF_KIND_PTR, NULL, 0, false, 3);	/* 3: void * loop-free */
	(void)p;
	s = db_type(&b, BTF_KIND_STRUCT, "foo", 3, true, 8);	/* 4 */
	db_member(&b, "a", u32, 0);
	db_member(&b, "b", u32, 3u << 24 | 32);
	db_member(&b, "c", 2, 40);
	e = db_type(&b, BTF_KIND_ENUM, "e", 2, true, 4);	/* 5 */
	db_pair(&b, "NEG", (uint32_t)-1);
	db_pair(&b, "POS", 7);
	db_type(&b, BTF_KIND_ENUM64, "big", 1, false, 8);	/* 6 */
	db_pair(&b, "HUGE", 0);
	db_u32(&b, 1);
	db_type(&b, BTF_KIND_FWD, "un", 0, true, 0);		/* 7 */
	fp = db_type(&b, BTF_KIND_FUNC_PROTO, NULL, 2, false, u32);	/* 8 */
	db_pair(&b, "x", s);
	db_pair(&b, NULL, 0);
	db_type(&b, BTF_KIND_FUNC, "fn", BTF_FUNC_GLOBAL, false, fp);	/* 9 */
	db_type(&b, BTF_KIND_VAR, "v", 0, false, u32);		/* 10 */
	db_u32(&b, BTF_VAR_GLOBAL_ALLOCATED);
	db_type(&b, BTF_KIND_DATASEC, ".data", 1, false, 4);	/* 11 */
	db_u32(&b, 10);
	db_u32(&b, 0);
	db_u32(&b, 4);
	db_type(&b, BTF_KIND_FLOAT, "double", 0, false, 8);	/* 12 */
	db_type(&b, BTF_KIND_DECL_TAG, "tag", 0, false, s);	/* 13 */
	db_u32(&b, (uint32_t)-1);
	db_type(&b, BTF_KIND_TYPE_TAG, "user", 0, false, u32);	/* 14 */
	db_array(&b, 2, u32, 16);				/* 15 */
	db_type(&b, BTF_KIND_TYPEDEF, "e_t", 0, false, e);	/* 16 */
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	out = dump_raw(btf);
	CHECK_STR(out,
		"[1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
		"[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=SIGNED\n"
		"[3] PTR '(anon)' type_id=3\n"
		"[4] STRUCT 'foo' size=8 vlen=3\n"
		"\t'a' type_id=1 bits_offset=0\n"
		"\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"
		"\t'c' type_id=2 bits_offset=40\n"
		"[5] ENUM 'e' encoding=SIGNED size=4 vlen=2\n"
		"\t'NEG' val=-1\n"
		"\t'POS' val=7\n"
		"[6] ENUM64 'big' encoding=UNSIGNED size=8 vlen=1\n"
		"\t'HUGE' val=4294967296ULL\n"
		"[7] FWD 'un' fwd_kind=union\n"
		"[8] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2\n"
		"\t'x' type_id=4\n"
		"\t'(anon)' type_id=0\n"
		"[9] FUNC 'fn' type_id=8 linkage=global\n"
		"[10] VAR 'v' type_id=1, linkage=global\n"
		"[11] DATASEC '.data' size=4 vlen=1\n"
		"\ttype_id=10 offset=0 size=4 (VAR 'v')\n"
		"[12] FLOAT 'double' size=8\n"
		"[13] DECL_TAG 'tag' type_id=4 component_idx=-1\n"
		"[14] TYPE_TAG 'user' type_id=1\n"
		"[15] ARRAY '(anon)' type_id=2 index_type_id=1 nr_elems=16\n"
		"[16] TYPEDEF 'e_t' type_id=5\n");
	free(out);
	bb_btf_free(btf);
}

TEST(btf_dump_raw_escapes_names)
{
	struct dbld b;
	struct bb_btf *btf;
	char *out;

	db_init(&b);
	db_int(&b, "in\x1b[2Jt", 4, 0);
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	out = dump_raw(btf);
	CHECK_STR(out, "[1] INT 'in\\x1b[2Jt' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n");
	free(out);
	bb_btf_free(btf);
}

/* ------------------------------------------------------------------ */
/* C                                                                   */

TEST(btf_dump_c_struct_union_enum_bitfields)
{
	struct dbld b;
	struct bb_btf *btf;
	uint32_t u32, c, e, anon, arr, un;
	char *out;
	int err;

	db_init(&b);
	u32 = db_int(&b, "unsigned int", 4, 0);			/* 1 */
	c = db_int(&b, "char", 1, BTF_INT_SIGNED);		/* 2 */
	e = db_type(&b, BTF_KIND_ENUM, "color", 2, false, 4);	/* 3 */
	db_pair(&b, "RED", 0);
	db_pair(&b, "BLUE", 3000000000u);
	anon = db_type(&b, BTF_KIND_STRUCT, NULL, 2, false, 8);	/* 4 */
	db_member(&b, "x", u32, 0);
	db_member(&b, "y", u32, 32);
	arr = db_array(&b, c, u32, 8);				/* 5 */
	un = db_type(&b, BTF_KIND_UNION, "u", 2, false, 8);	/* 6 */
	db_member(&b, "raw", arr, 0);
	db_member(&b, NULL, anon, 0);
	db_type(&b, BTF_KIND_STRUCT, "s", 5, true, 24);		/* 7 */
	db_member(&b, "flags", u32, 3u << 24 | 0);
	db_member(&b, "mode", u32, 5u << 24 | 3);
	db_member(&b, "c", e, 32);
	db_member(&b, "u", un, 64);
	db_member(&b, "last", c, 128);
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	out = dump_c(btf, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(out,
		"enum color {\n"
		"\tRED = 0,\n"
		"\tBLUE = 3000000000,\n"
		"};\n\n"
		"union u {\n"
		"\tchar raw[8];\n"
		"\tstruct {\n"
		"\t\tunsigned int x;\n"
		"\t\tunsigned int y;\n"
		"\t};\n"
		"};\n\n"
		"struct s {\n"
		"\tunsigned int flags: 3;\n"
		"\tunsigned int mode: 5;\n"
		"\tenum color c;\n"
		"\tunion u u;\n"
		"\tchar last;\n"
		"\tlong: 0;\n"
		"};\n\n");
	free(out);
	bb_btf_free(btf);
}

TEST(btf_dump_c_packed_padding_enum_sizes)
{
	struct dbld b;
	struct bb_btf *btf;
	uint32_t u32, c, u64, small;
	char *out;
	int err;

	db_init(&b);
	u32 = db_int(&b, "unsigned int", 4, 0);			/* 1 */
	c = db_int(&b, "char", 1, BTF_INT_SIGNED);		/* 2 */
	u64 = db_int(&b, "long long unsigned int", 8, 0);	/* 3 */
	small = db_type(&b, BTF_KIND_ENUM, "small", 1, false, 1);	/* 4 */
	db_pair(&b, "ONE", 1);
	db_type(&b, BTF_KIND_STRUCT, "pk", 2, false, 5);	/* 5 */
	db_member(&b, "c", c, 0);
	db_member(&b, "v", u32, 8);
	db_type(&b, BTF_KIND_STRUCT, "gap", 3, false, 24);	/* 6 */
	db_member(&b, "a", c, 0);
	db_member(&b, "s", small, 8);
	db_member(&b, "b", u64, 128);
	db_type(&b, BTF_KIND_STRUCT, "empty", 0, false, 0);	/* 7 */
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	out = dump_c(btf, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(out,
		"enum small {\n"
		"\tONE = 1,\n"
		"} __attribute__((mode(byte)));\n\n"
		"struct pk {\n"
		"\tchar c;\n"
		"\tunsigned int v;\n"
		"} __attribute__((packed));\n\n"
		"struct gap {\n"
		"\tchar a;\n"
		"\tenum small s;\n"
		"\tlong: 64;\n"
		"\tlong long unsigned int b;\n"
		"};\n\n"
		"struct empty {};\n\n");
	free(out);
	bb_btf_free(btf);
}

/* struct a { struct b *b; }; struct b { struct a a; int (*cb)(struct a *); } */
TEST(btf_dump_c_cycle_fwd_and_func_ptr)
{
	struct dbld b;
	struct bb_btf *btf;
	uint32_t i32, sa, sb, pa, pb, fp, pfp;
	char *out;
	int err;

	db_init(&b);
	i32 = db_int(&b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	sa = 2, sb = 3, pb = 4, pa = 5, fp = 6, pfp = 7;
	db_type(&b, BTF_KIND_STRUCT, "a", 1, false, 8);		/* 2 */
	db_member(&b, "b", pb, 0);
	db_type(&b, BTF_KIND_STRUCT, "b", 2, false, 16);	/* 3 */
	db_member(&b, "a", sa, 0);
	db_member(&b, "cb", pfp, 64);
	db_type(&b, BTF_KIND_PTR, NULL, 0, false, sb);		/* 4 */
	db_type(&b, BTF_KIND_PTR, NULL, 0, false, sa);		/* 5 */
	db_type(&b, BTF_KIND_FUNC_PROTO, NULL, 1, false, i32);	/* 6 */
	db_pair(&b, NULL, pa);
	db_type(&b, BTF_KIND_PTR, NULL, 0, false, fp);		/* 7 */
	/* a typedef sharing the struct's name lives in another namespace */
	db_type(&b, BTF_KIND_TYPEDEF, "a", 0, false, sa);	/* 8 */
	/* an enum sharing it does not: it becomes a___2 */
	db_type(&b, BTF_KIND_ENUM, "a", 1, false, 4);		/* 9 */
	db_pair(&b, "A_ONE", 1);
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	out = dump_c(btf, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(out,
		"struct b;\n\n"
		"struct a {\n"
		"\tstruct b *b;\n"
		"};\n\n"
		"struct b {\n"
		"\tstruct a a;\n"
		"\tint (*cb)(struct a *);\n"
		"};\n\n"
		"typedef struct a a;\n\n"
		"enum a___2 {\n"
		"\tA_ONE = 1,\n"
		"};\n\n");
	free(out);
	bb_btf_free(btf);
}

/* whole header: guard and pragma as bpftool writes them */
TEST(btf_dump_c_header)
{
	struct dbld b;
	struct bb_btf *btf;
	struct cap c;
	const char *out;

	db_init(&b);
	db_int(&b, "int", 4, BTF_INT_SIGNED);
	db_type(&b, BTF_KIND_TYPEDEF, "s32", 0, false, 1);
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	CHECK_INT(bb_btf_dump_c(btf, NULL, 0, cap_open(&c)), ==, 0);
	out = cap_close(&c);
	CHECK_STR(out,
		"#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
		"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
		"#endif\n\n"
		"typedef int s32;\n\n"
		"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
		"#endif /* __VMLINUX_H__ */\n");
	free((void *)out);
	bb_btf_free(btf);
}

/* Looping BTF a compiler could never produce: an error, not a crash. */
TEST(btf_dump_c_loops_fail_cleanly)
{
	struct dbld b;
	struct bb_btf *btf;
	char *out;
	int err;

	/* a struct that embeds itself */
	db_init(&b);
	db_type(&b, BTF_KIND_STRUCT, "self", 1, false, 4);
	db_member(&b, "me", 1, 0);
	btf = db_parse(&b);
	CHECK(btf);
	if (btf) {
		out = dump_c(btf, &err);
		CHECK_INT(err, ==, -ELOOP);
		free(out);
		bb_btf_free(btf);
	}

	/* a pointer to itself, a typedef loop, an anonymous struct loop */
	db_init(&b);
	db_type(&b, BTF_KIND_PTR, NULL, 0, false, 1);		/* 1 */
	db_type(&b, BTF_KIND_STRUCT, "s", 1, false, 8);		/* 2 */
	db_member(&b, "p", 1, 0);
	db_type(&b, BTF_KIND_TYPEDEF, "t1", 0, false, 4);	/* 3 */
	db_type(&b, BTF_KIND_TYPEDEF, "t2", 0, false, 3);	/* 4 */
	db_type(&b, BTF_KIND_STRUCT, NULL, 1, false, 8);	/* 5 */
	db_member(&b, "x", 6, 0);
	db_type(&b, BTF_KIND_PTR, NULL, 0, false, 5);		/* 6 */
	btf = db_parse(&b);
	CHECK(btf);
	if (btf) {
		uint32_t id;
		struct cap c;
		struct bb_btf_dump *d;

		CHECK_INT(bb_btf_dump_new(btf, cap_open(&c), &d), ==, 0);
		for (id = 1; id < bb_btf_type_cnt(btf); id++)
			CHECK_INT(bb_btf_dump_type(d, id), ==, -ELOOP);
		bb_btf_dump_free(d);
		free((void *)cap_close(&c));
		bb_btf_free(btf);
	}
}

/* names that are not C identifiers cannot inject text into the header */
TEST(btf_dump_c_garbage_names)
{
	struct dbld b;
	struct bb_btf *btf;
	char *out;
	int err;

	db_init(&b);
	db_int(&b, "int", 4, BTF_INT_SIGNED);
	db_type(&b, BTF_KIND_STRUCT, "x; } evil; struct y", 1, false, 4);
	db_member(&b, "m\n#include", 1, 0);
	btf = db_parse(&b);
	CHECK(btf);
	if (!btf)
		return;
	out = dump_c(btf, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(out,
		"struct x____evil__struct_y {\n"
		"\tint m__include;\n"
		"};\n\n");
	free(out);
	bb_btf_free(btf);
}
