// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Histograms: which map shapes are recognised from BTF, and the text
 * layout, compared with what libbpf-tools' print_log2_hist and
 * print_linear_hist print for the same counts.
 */
#include <stdlib.h>

#include "test.h"
#include "btf.h"
#include "btf_value.h"
#include "hist.h"
#include "bpfbox.h"

/* a tiny BTF builder: ints, arrays, structs, in order from id 1 */
struct hb {
	uint8_t types[2048];
	size_t tlen;
	char strs[512];
	size_t slen;
	uint32_t nr;
	struct btf_type *last;
};

static uint32_t hb_str(struct hb *b, const char *s)
{
	uint32_t off = b->slen;

	if (!s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return off;
}

static void *hb_put(struct hb *b, const void *p, size_t n)
{
	void *at = b->types + b->tlen;

	memcpy(at, p, n);
	b->tlen += n;
	return at;
}

static uint32_t hb_type(struct hb *b, const char *name, int kind,
			uint32_t size_or_type)
{
	struct btf_type t = {
		.name_off = hb_str(b, name),
		.info = (uint32_t)kind << 24,
		.size = size_or_type,
	};

	b->last = hb_put(b, &t, sizeof(t));
	return ++b->nr;
}

static uint32_t hb_int(struct hb *b, const char *name, int size, int enc)
{
	uint32_t id = hb_type(b, name, BTF_KIND_INT, size);
	uint32_t v = (uint32_t)enc << 24 | size * 8;

	hb_put(b, &v, sizeof(v));
	return id;
}

static uint32_t hb_array(struct hb *b, uint32_t elem, uint32_t idx, uint32_t n)
{
	uint32_t id = hb_type(b, NULL, BTF_KIND_ARRAY, 0);
	struct btf_array a = { .type = elem, .index_type = idx, .nelems = n };

	hb_put(b, &a, sizeof(a));
	return id;
}

static void hb_member(struct hb *b, const char *name, uint32_t type,
		      uint32_t bit_off)
{
	struct btf_type *t = b->last;
	struct btf_member m = {
		.name_off = hb_str(b, name), .type = type, .offset = bit_off,
	};

	hb_put(b, &m, sizeof(m));
	t->info++;
}

static struct bb_btf *hb_finish(struct hb *b)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_len = b->tlen,
		.str_off = b->tlen, .str_len = b->slen,
	};
	size_t n = sizeof(h) + b->tlen + b->slen;
	uint8_t *blob = malloc(n);
	struct bb_btf *btf = NULL;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), b->types, b->tlen);
	memcpy(blob + sizeof(h) + b->tlen, b->strs, b->slen);
	CHECK_INT(bb_btf_parse(blob, n, NULL, &btf), ==, 0);
	free(blob);
	return btf;
}

/* ids of the shapes below */
struct shapes {
	uint32_t u32, u64, s32, chr, slots27, comm16, hist, hist_key;
	uint32_t args6, event, u32x27, dev_key;
};

static struct bb_btf *build(struct shapes *s)
{
	static struct hb b;

	memset(&b, 0, sizeof(b));
	b.slen = 1;
	s->u32 = hb_int(&b, "unsigned int", 4, 0);
	s->u64 = hb_int(&b, "long long unsigned int", 8, 0);
	s->s32 = hb_int(&b, "int", 4, BTF_INT_SIGNED);
	s->chr = hb_int(&b, "char", 1, BTF_INT_SIGNED);
	s->slots27 = hb_array(&b, s->u32, s->s32, 27);
	s->comm16 = hb_array(&b, s->chr, s->s32, 16);
	/* libbpf-tools' runqlat: struct hist { __u32 slots[27]; char comm[16]; } */
	s->hist = hb_type(&b, "hist", BTF_KIND_STRUCT, 27 * 4 + 16);
	hb_member(&b, "slots", s->slots27, 0);
	hb_member(&b, "comm", s->comm16, 27 * 32);
	/* biolatency's key: struct { __u32 dev; __u64 slot; } */
	s->dev_key = hb_type(&b, "hist_key", BTF_KIND_STRUCT, 16);
	hb_member(&b, "dev", s->u32, 0);
	hb_member(&b, "slot", s->u64, 64);
	s->hist_key = s->dev_key;
	/* an event with an array that is no histogram */
	s->args6 = hb_array(&b, s->u64, s->s32, 6);
	s->event = hb_type(&b, "event", BTF_KIND_STRUCT, 48 + 4);
	hb_member(&b, "args", s->args6, 0);
	hb_member(&b, "pid", s->u32, 48 * 8);
	s->u32x27 = s->slots27;
	return hb_finish(&b);
}

TEST(hist_detect_slots_in_value)
{
	struct bb_hist_spec sp;
	struct shapes s;
	struct bb_btf *btf = build(&s);

	CHECK_INT(bb_hist_detect(btf, "hists", s.u32, s.hist, &sp), ==, 1);
	CHECK_INT(sp.where, ==, BB_HIST_IN_VALUE);
	CHECK_INT(sp.kind, ==, BB_HIST_LOG2);
	CHECK_INT(sp.slots_off, ==, 0);
	CHECK_INT(sp.nslots, ==, 27);
	CHECK_INT(sp.slot_size, ==, 4);
	CHECK_STR(sp.member, "slots");
	CHECK_STR(sp.unit, "value");
	/* the unit from a word of the map's name */
	CHECK_INT(bb_hist_detect(btf, "lat_us", s.u32, s.hist, &sp), ==, 1);
	CHECK_STR(sp.unit, "usecs");
	CHECK_INT(bb_hist_detect(btf, "nsecs_linear", s.u32, s.hist, &sp), ==, 1);
	CHECK_STR(sp.unit, "nsecs");
	CHECK_INT(sp.kind, ==, BB_HIST_LINEAR);
	/* a bare array value counts only in a map named like a histogram */
	CHECK_INT(bb_hist_detect(btf, "dist", s.u32, s.u32x27, &sp), ==, 1);
	CHECK_INT(sp.nslots, ==, 27);
	CHECK_INT(bb_hist_detect(btf, "stuff", s.u32, s.u32x27, &sp), ==, 0);
	bb_btf_free(btf);
}

TEST(hist_detect_index_in_key)
{
	struct bb_hist_spec sp;
	struct shapes s;
	struct bb_btf *btf = build(&s);

	/* bcc's BPF_HISTOGRAM(dist): u32 bucket -> u64 count */
	CHECK_INT(bb_hist_detect(btf, "dist", s.u32, s.u64, &sp), ==, 1);
	CHECK_INT(sp.where, ==, BB_HIST_IN_KEY);
	CHECK_INT(sp.idx_off, ==, 0);
	CHECK_INT(sp.idx_size, ==, 4);
	CHECK_INT(sp.cnt_size, ==, 8);
	CHECK(!sp.grouped);
	/* the same shape under another name is a plain counter map */
	CHECK_INT(bb_hist_detect(btf, "counts", s.u32, s.u64, &sp), ==, 0);
	/* a struct key with a slot member: one histogram per dev */
	CHECK_INT(bb_hist_detect(btf, "whatever", s.dev_key, s.u64, &sp), ==, 1);
	CHECK_INT(sp.idx_off, ==, 8);
	CHECK_INT(sp.idx_size, ==, 8);
	CHECK(sp.grouped);
	CHECK_STR(sp.member, "slot");
	bb_btf_free(btf);
}

TEST(hist_detect_rejects)
{
	struct bb_hist_spec sp;
	struct shapes s;
	struct bb_btf *btf = build(&s);

	/* an event struct with an array not named like counters */
	CHECK_INT(bb_hist_detect(btf, "hist", s.u32, s.event, &sp), ==, 0);
	/* a char array is a string, not counters */
	CHECK_INT(bb_hist_detect(btf, "hist", s.u32, s.comm16, &sp), ==, 0);
	/* no BTF, no value type */
	CHECK_INT(bb_hist_detect(NULL, "hist", 0, 0, &sp), ==, 0);
	CHECK_INT(bb_hist_detect(btf, "hist", s.u32, 0, &sp), ==, 0);
	/* a type id out of range */
	CHECK_INT(bb_hist_detect(btf, "hist", 999, 998, &sp), ==, 0);
	bb_btf_free(btf);
}

static char *print(enum bb_hist_kind kind, const uint64_t *v, size_t n,
		   const char *unit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_INT(bb_hist_print(f, kind, v, n, unit), ==, 0);
	fclose(f);
	return buf;
}

TEST(hist_log2_layout)
{
	uint64_t v[27] = { 0, 0, 12, 3 };
	uint64_t zero[4] = { 0 };
	char *out;

	/* print_log2_hist(v, 27, "usecs") of libbpf-tools */
	out = print(BB_HIST_LOG2, v, 27, "usecs");
	CHECK_STR(out,
		  "     usecs               : count    distribution\n"
		  "         0 -> 1          : 0        |                                        |\n"
		  "         2 -> 3          : 0        |                                        |\n"
		  "         4 -> 7          : 12       |****************************************|\n"
		  "         8 -> 15         : 3        |**********                              |\n");
	free(out);
	/* nothing at all when every count is 0 */
	out = print(BB_HIST_LOG2, zero, 4, "usecs");
	CHECK_STR(out, "");
	free(out);
}

TEST(hist_log2_wide)
{
	uint64_t v[64] = { 0 };
	char *out, *line;

	/* past bucket 32 the columns widen and the bar halves */
	v[40] = 1;
	v[63] = 2;
	out = print(BB_HIST_LOG2, v, 64, NULL);
	CHECK(!strncmp(out, "               value                         : count    distribution\n",
		       strlen("               value                         : count    distribution\n")));
	line = strstr(out, "9223372036854775808 -> 18446744073709551615 : 2        |********************|\n");
	CHECK(line != NULL);
	line = strstr(out, "      1099511627776 -> 2199023255551        : 1        |**********          |\n");
	CHECK(line != NULL);
	free(out);
}

TEST(hist_linear_layout)
{
	uint64_t v[8] = { 0, 0, 5, 0, 10, 0, 0, 0 };
	char *out;

	/* print_linear_hist(v, 8, 0, 1, "value"): only the non-zero rows */
	out = print(BB_HIST_LINEAR, v, 8, "value");
	CHECK_STR(out,
		  "     value         : count     distribution\n"
		  "        2          : 5        |********************                    |\n"
		  "        4          : 10       |****************************************|\n");
	free(out);
}

TEST(hist_json)
{
	uint64_t v[4] = { 1, 0, 2, 0 };
	struct bb_vw *w = bb_vw_new(false);

	bb_hist_json(w, BB_HIST_LOG2, v, 4, "usecs");
	CHECK_STR(bb_vw_buf(w, NULL),
		  "{\"type\":\"log2\",\"unit\":\"usecs\",\"buckets\":["
		  "{\"low\":0,\"high\":1,\"count\":1},"
		  "{\"low\":2,\"high\":3,\"count\":0},"
		  "{\"low\":4,\"high\":7,\"count\":2}]}");
	bb_vw_reset(w);
	bb_hist_json(w, BB_HIST_LINEAR, v, 4, NULL);
	CHECK_STR(bb_vw_buf(w, NULL),
		  "{\"type\":\"linear\",\"unit\":\"value\",\"buckets\":["
		  "{\"value\":0,\"count\":1},{\"value\":2,\"count\":2}]}");
	bb_vw_free(w);
}

TEST(hist_read_sizes)
{
	uint64_t v = 0x1122334455667788ULL;

	CHECK(bb_hist_read(&v, 8) == 0x1122334455667788ULL);
	CHECK_INT(bb_hist_read(&v, 4), ==, 0x55667788);
	CHECK_INT(bb_hist_read(&v, 2), ==, 0x7788);
	CHECK_INT(bb_hist_read(&v, 1), ==, 0x88);
	CHECK_INT(bb_hist_read(&v, 3), ==, 0);
}
