// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE golden tests: the programs of tests/core/core_fields.bpf.c are
 * relocated against the "kernels" of tests/core/targets (their .BTF),
 * and every instruction is checked: the relocated ones against the
 * values below (which libbpf 1.1 produces too, see
 * tests/core/diff_libbpf.sh), all the others unchanged. Enum64 and
 * module (split) BTF are built by hand, since clang 14 emits neither.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "elf.h"
#include "object.h"
#include "test.h"

#define POISON_CODE (BPF_JMP | BPF_CALL)
#define LDIMM64 (BPF_LD | BPF_IMM | BPF_DW)

static const char *core_dir(void)
{
	const char *d = getenv("BB_CORE_DIR");

	return d ? d : "build/core";
}

static struct bpfbox_object *open_local(void)
{
	struct bpfbox_object *obj = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/core_fields.bpf.o", core_dir());
	if (bpfbox_object_open_file(path, NULL, &obj)) {
		fprintf(stderr, "  %s: %s (make core-objs builds it)\n", path,
			bpfbox_errmsg());
		bb_test_failed++;
		return NULL;
	}
	return obj;
}

/* the .BTF of a compiled target file: the "kernel" */
static struct bb_btf *open_target(const char *name)
{
	struct bb_btf *btf = NULL;
	struct bb_elf *elf = NULL;
	char path[512];
	size_t size;
	void *buf;
	int idx;

	snprintf(path, sizeof(path), "%s/targets/%s.o", core_dir(), name);
	buf = bb_test_read_file(path, &size);
	if (buf && !bb_elf_open(buf, size, &elf)) {
		idx = bb_elf_find_sec(elf, ".BTF");
		if (idx >= 0)
			bb_btf_parse(elf->secs[idx].data, elf->secs[idx].size,
				     NULL, &btf);
		bb_elf_free(elf);
	}
	free(buf);
	if (!btf) {
		fprintf(stderr, "  cannot read BTF of %s\n", path);
		bb_test_failed++;
	}
	return btf;
}

static const struct bb_btf_ext_sec *prog_recs(const struct bpfbox_prog *p)
{
	const struct bpfbox_object *obj = p->obj;

	return bb_btf_ext_find(&obj->btf_ext->core_relo,
			       obj->elf->secs[p->sec_idx].name);
}

/* Relocate one program with a fresh context; returns bb_core_relocate's. */
static int relocate(struct bpfbox_prog *p, const struct bb_btf_ext_sec *recs,
		    const struct bb_core_target *tg, size_t ntg,
		    struct bb_core_failures *f)
{
	struct bb_core_ctx ctx;
	int err;

	err = bb_core_ctx_init(&ctx, p->obj->btf, tg, ntg);
	if (err)
		return err;
	err = bb_core_relocate(&ctx, p->name, p->insns, p->insns_cnt,
			       p->sec_insn_off, recs ? recs : prog_recs(p), f);
	bb_core_ctx_free(&ctx);
	return err;
}

struct change {
	int idx;
	uint8_t code;
	int16_t off;
	int32_t imm;
};

#define END { -1 }
#define POISONED(I) { I, POISON_CODE, 0, BB_CORE_POISON_IMM }

/* every instruction as in orig, except the changes (poisons clear regs) */
static void expect_insns(const struct bpfbox_prog *p, const struct bpf_insn *orig,
			 const struct change *ch)
{
	size_t i;

	for (i = 0; i < p->insns_cnt; i++) {
		struct bpf_insn want = orig[i];
		const struct bpf_insn *got = &p->insns[i];
		const struct change *c;

		for (c = ch; c->idx >= 0; c++) {
			if ((size_t)c->idx != i)
				continue;
			want.code = c->code;
			want.off = c->off;
			want.imm = c->imm;
			if (c->code == POISON_CODE)
				want.dst_reg = want.src_reg = 0;
		}
		if (memcmp(&want, got, sizeof(want))) {
			fprintf(stderr, "  %s insn %zu: got %02x %u %u %d %d, want %02x %u %u %d %d\n",
				p->name, i, got->code, got->dst_reg, got->src_reg,
				got->off, got->imm, want.code, want.dst_reg,
				want.src_reg, want.off, want.imm);
			bb_test_failed++;
		}
	}
}

struct golden {
	const char *prog;
	struct change ch[12];
};

/* t1: fields moved and resized, opt present, renamed, enum renumbered */
static const struct golden golden_t1[] = {
	{ "fields", { { 0, 0x61, 16, 0 }, { 3, 0x71, 40, 0 }, { 7, 0x61, 52, 0 },
		      { 9, 0x61, 64, 0 }, { 11, 0x61, 112, 0 }, END } },
	/* u: unsigned, W load grows to DW; sgn: signed, poisoned */
	{ "memsz", { { 0, 0x79, 24, 0 }, POISONED(1), END } },
	{ "chain", { { 1, 0xb7, 0, 96 }, { 7, 0xb7, 0, 8 }, END } },
	/* bitfields: clang loads 8 bytes, libbpf's rule says 4 */
	{ "bitfields", { { 3, 0xb7, 0, 92 }, { 8, 0xb7, 0, 4 }, { 11, 0x67, 0, 49 },
			 { 19, 0xb7, 0, 92 }, { 23, 0xb7, 0, 4 }, { 27, 0x67, 0, 43 },
			 { 30, 0xc7, 0, 58 }, { 32, 0x77, 0, 58 }, END } },
	{ "exists", { { 0, 0xb7, 0, 32 }, { 5, 0x61, 88, 0 }, { 8, 0xb7, 0, 0 },
		      POISONED(10), END } },
	{ "missing", { POISONED(0), END } },
	{ "types", { { 0, 0xb7, 0, 128 }, { 1, 0xb7, 0, 0 }, { 6, LDIMM64, 0, 2 },
		     END } },
	{ "enums", { { 4, LDIMM64, 0, 100 }, { 8, LDIMM64, 0, 7 }, END } },
	{ "flavors", { { 0, 0xb7, 0, 0 }, POISONED(2), { 4, 0xb7, 0, 120 }, END } },
	/* two candidates (same, same___2) that agree */
	{ "same", { END } },
};

/* t2: opt gone, old name back, arr flexible, enum shrunk, gone exists */
static const struct golden golden_t2[] = {
	{ "fields", { { 9, 0x61, 72, 0 }, { 11, 0x61, 56, 0 }, END } },
	{ "memsz", { END } },
	{ "chain", { { 1, 0xb7, 0, 48 }, END } },
	{ "bitfields", { { 3, 0xb7, 0, 40 }, { 8, 0xb7, 0, 4 }, { 11, 0x67, 0, 56 },
			 { 19, 0xb7, 0, 40 }, { 23, 0xb7, 0, 4 }, { 27, 0x67, 0, 52 },
			 END } },
	{ "exists", { { 0, 0xb7, 0, 0 }, { 3, 0xb7, 0, 0 }, POISONED(5),
		      { 8, 0xb7, 0, 0 }, POISONED(10), END } },
	{ "missing", { POISONED(0), END } },
	{ "types", { { 0, 0xb7, 0, 64 }, { 6, LDIMM64, 0, 2 }, END } },
	{ "enums", { { 1, LDIMM64, 0, 0 }, POISONED(4), POISONED(5),
		     { 8, LDIMM64, 0, 1 }, END } },
	{ "flavors", { { 2, 0xb7, 0, 36 }, POISONED(4), END } },
	{ "same", { POISONED(0), END } },
	{ "ambiguous", { END } },
};

static void run_golden(const char *target, const struct golden *g, size_t n)
{
	struct bpfbox_object *obj = open_local();
	struct bb_core_target tg = { .name = "vmlinux" };
	size_t i;

	tg.btf = open_target(target);
	if (!obj || !tg.btf)
		goto out;
	for (i = 0; i < n; i++) {
		struct bpfbox_prog *p = bpfbox_object_find_prog(obj, g[i].prog);
		struct bb_core_failures f = { 0 };
		struct bpf_insn *orig;
		int err;

		CHECK(p != NULL);
		if (!p)
			continue;
		orig = malloc(p->insns_cnt * sizeof(*orig));
		memcpy(orig, p->insns, p->insns_cnt * sizeof(*orig));
		err = relocate(p, NULL, &tg, 1, &f);
		if (err)
			fprintf(stderr, "  %s: %s\n", g[i].prog, bpfbox_errmsg());
		CHECK_INT(err, ==, 0);
		expect_insns(p, orig, g[i].ch);
		bb_core_failures_free(&f);
		free(orig);
	}
out:
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
}

TEST(core_golden_t1)
{
	run_golden("t1", golden_t1, sizeof(golden_t1) / sizeof(golden_t1[0]));
}

TEST(core_golden_t2)
{
	run_golden("t2", golden_t2, sizeof(golden_t2) / sizeof(golden_t2[0]));
}

/*
 * Relocating against the program's own BTF changes nothing (but for
 * bitfield sizes, and for struct s, whose flavours s___old and s___new
 * are then candidates too: whole-type relocations of it are ambiguous).
 */
TEST(core_self_is_identity)
{
	static const char *const progs[] = { "fields", "memsz", "chain",
		"exists", "missing", "enums", "same", "ambiguous" };
	struct bpfbox_object *obj = open_local();
	struct bb_core_target tg = { .name = "self" };
	size_t i;

	if (!obj)
		return;
	tg.btf = obj->btf;
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpfbox_prog *p = bpfbox_object_find_prog(obj, progs[i]);
		struct bpf_insn *orig = malloc(p->insns_cnt * sizeof(*orig));

		memcpy(orig, p->insns, p->insns_cnt * sizeof(*orig));
		CHECK_INT(relocate(p, NULL, &tg, 1, NULL), ==, 0);
		CHECK(!memcmp(orig, p->insns, p->insns_cnt * sizeof(*orig)));
		free(orig);
	}
	bpfbox_object_close(obj);
}

static struct bpfbox_prog *fresh_prog(struct bpfbox_object **obj,
				      const char *name)
{
	*obj = open_local();
	return *obj ? bpfbox_object_find_prog(*obj, name) : NULL;
}

TEST(core_failure_text)
{
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bb_core_failures f = { 0 };
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "missing");

	tg.btf = open_target("t1");
	if (!p || !tg.btf)
		goto out;
	CHECK_INT(relocate(p, NULL, &tg, 1, &f), ==, 0);
	CHECK_INT(f.n, ==, 1);
	if (f.n == 1) {
		CHECK_INT(f.v[0].insn_idx, ==, 0);
		CHECK_STR(f.v[0].kind, "field offset");
		CHECK_STR(f.v[0].access, "s->missing_field");
		CHECK_STR(f.v[0].local_type, "struct s");
		CHECK_STR(f.v[0].targets, "vmlinux");
	}
	CHECK_CONTAINS(bb_core_failure_text(&f, 0), "s->missing_field");
	CHECK_CONTAINS(bb_core_failure_text(&f, 0), "bpf_core_field_exists");
	CHECK(bb_core_failure_text(&f, 1) == NULL);
out:
	bb_core_failures_free(&f);
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
}

TEST(core_failure_enum_and_memsz)
{
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bb_core_failures f = { 0 };
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "enums");

	tg.btf = open_target("t2");
	if (!p || !tg.btf)
		goto out;
	CHECK_INT(relocate(p, NULL, &tg, 1, &f), ==, 0);
	CHECK_INT(f.n, ==, 1);
	/* an ld_imm64: both slots poisoned, both explained */
	CHECK_CONTAINS(bb_core_failure_text(&f, 4), "enum color::PURPLE");
	CHECK_CONTAINS(bb_core_failure_text(&f, 5), "bpf_core_enum_value_exists");
	bb_core_failures_free(&f);
	bpfbox_object_close(obj);
	bb_btf_free((struct bb_btf *)tg.btf);

	/* a signed field that grew: poisoned, with the sizes */
	tg.btf = open_target("t1");
	p = fresh_prog(&obj, "memsz");
	if (!p || !tg.btf)
		goto out;
	CHECK_INT(relocate(p, NULL, &tg, 1, &f), ==, 0);
	CHECK_INT(f.n, ==, 1);
	CHECK_CONTAINS(bb_core_failure_text(&f, 1), "s->sgn");
	CHECK_CONTAINS(bb_core_failure_text(&f, 1), "8 bytes, the program reads 4");
out:
	bb_core_failures_free(&f);
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
}

TEST(core_ambiguous_candidates)
{
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "ambiguous");

	tg.btf = open_target("t1");
	if (p && tg.btf) {
		/* struct amb has f at 0, struct amb___2 at 4 */
		CHECK_INT(relocate(p, NULL, &tg, 1, NULL), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "program ambiguous: instruction 0");
		CHECK_CONTAINS(bpfbox_errmsg(), "amb->f");
		CHECK_CONTAINS(bpfbox_errmsg(), "ambiguous");
		CHECK_CONTAINS(bpfbox_errmsg(), "amb___2");
	}
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
}

/* The instruction must hold the program's own value, or BTF and code disagree. */
TEST(core_unexpected_insn_value)
{
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "fields");

	tg.btf = open_target("t1");
	if (p && tg.btf) {
		p->insns[1].off = 12;	/* s->b is at 8 in the program */
		CHECK_INT(relocate(p, NULL, &tg, 1, NULL), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "instruction 1");
		CHECK_CONTAINS(bpfbox_errmsg(), "s->b");
		CHECK_CONTAINS(bpfbox_errmsg(), "offset is 12");
	}
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
}

/* A copy of a program's records with record i changed. */
static struct bb_btf_ext_sec *recs_with(const struct bpfbox_prog *p, uint32_t i,
					int32_t type_id, uint32_t kind)
{
	const struct bb_btf_ext_sec *s = prog_recs(p);
	struct bb_btf_ext_sec *c = calloc(1, sizeof(*c));
	uint8_t *recs = malloc((size_t)s->nrec * s->rec_size);
	struct bb_core_relo r;

	*c = *s;
	memcpy(recs, s->recs, (size_t)s->nrec * s->rec_size);
	memcpy(&r, recs + (size_t)i * s->rec_size, sizeof(r));
	if (type_id >= 0)
		r.type_id = type_id;
	r.kind = kind;
	memcpy(recs + (size_t)i * s->rec_size, &r, sizeof(r));
	c->recs = recs;
	return c;
}

static void recs_free(struct bb_btf_ext_sec *c)
{
	free((void *)c->recs);
	free(c);
}

/* index of the record on instruction insn, or -1 */
static int rec_at(const struct bpfbox_prog *p, uint32_t insn)
{
	const struct bb_btf_ext_sec *s = prog_recs(p);
	struct bb_core_relo r;
	uint32_t i;

	for (i = 0; i < s->nrec; i++) {
		memcpy(&r, s->recs + (size_t)i * s->rec_size, sizeof(r));
		if (r.insn_off / 8 == insn)
			return i;
	}
	return -1;
}

/* clang 14 cannot emit bpf_core_type_matches(): turn type_exists into it */
static int32_t type_matches(const char *target, const char *local_name)
{
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bb_btf_ext_sec *recs = NULL;
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "types");
	int32_t ret = -1000;
	int i;

	tg.btf = open_target(target);
	if (!p || !tg.btf)
		goto out;
	i = rec_at(p, 1);	/* r2 = bpf_core_type_exists(struct gone) */
	CHECK(i >= 0);
	if (i < 0)
		goto out;
	recs = recs_with(p, i, bb_btf_find(obj->btf, local_name, BTF_KIND_STRUCT),
			 BB_CORE_TYPE_MATCHES);
	if (!relocate(p, recs, &tg, 1, NULL))
		ret = p->insns[1].imm;
	else
		fprintf(stderr, "  %s\n", bpfbox_errmsg());
	recs_free(recs);
out:
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
	return ret;
}

TEST(core_type_matches)
{
	CHECK_INT(type_matches("t2", "gone"), ==, 1);	/* struct gone { int z; } */
	CHECK_INT(type_matches("t1", "gone"), ==, 0);	/* no struct gone */
	/* struct s: t2 lacks missing_field and opt */
	CHECK_INT(type_matches("t2", "s"), ==, 0);
	/* every local member has a namesake of the same shape */
	CHECK_INT(type_matches("t1", "inner"), ==, 1);
	CHECK_INT(type_matches("t1", "t"), ==, 1);
}

/* ---- hand-built BTF: enum64 and module (split) BTF ---- */

struct btfb {
	uint32_t w[64];
	size_t nw;
	char s[128];
	size_t ns;
	uint32_t str_base;	/* split BTF: strings continue the base's */
};

static uint32_t bstr(struct btfb *b, const char *s)
{
	uint32_t off = b->str_base + b->ns;

	strcpy(b->s + b->ns, s);
	b->ns += strlen(s) + 1;
	return off;
}

static void bword(struct btfb *b, uint32_t w)
{
	b->w[b->nw++] = w;
}

static struct bb_btf *bdone(struct btfb *b, const struct bb_btf *base)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_len = b->nw * 4,
		.str_off = b->nw * 4, .str_len = b->ns,
	};
	uint8_t buf[sizeof(h) + sizeof(b->w) + sizeof(b->s)];
	struct bb_btf *btf = NULL;

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), b->w, b->nw * 4);
	memcpy(buf + sizeof(h) + b->nw * 4, b->s, b->ns);
	if (bb_btf_parse(buf, sizeof(h) + b->nw * 4 + b->ns, base, &btf)) {
		fprintf(stderr, "  hand-built BTF: %s\n", bpfbox_errmsg());
		bb_test_failed++;
	}
	return btf;
}

/* enum color as an ENUM64 of 8 bytes: BLUE = 0x100000005, PURPLE = 3 */
TEST(core_enum64_target)
{
	struct btfb b = { .ns = 1 };
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "enums");
	struct bpf_insn *orig;
	const struct change ch[] = { { 8, LDIMM64, 0, 5 }, { 9, 0, 0, 1 }, END };

	bword(&b, bstr(&b, "color"));
	bword(&b, BTF_KIND_ENUM64 << 24 | 2);
	bword(&b, 8);
	bword(&b, bstr(&b, "BLUE")); bword(&b, 5); bword(&b, 1);
	bword(&b, bstr(&b, "PURPLE")); bword(&b, 3); bword(&b, 0);
	tg.btf = bdone(&b, NULL);
	if (p && tg.btf) {
		orig = malloc(p->insns_cnt * sizeof(*orig));
		memcpy(orig, p->insns, p->insns_cnt * sizeof(*orig));
		CHECK_INT(relocate(p, NULL, &tg, 1, NULL), ==, 0);
		expect_insns(p, orig, ch);	/* PURPLE stays 3 */
		free(orig);
	}
	bb_btf_free((struct bb_btf *)tg.btf);
	bpfbox_object_close(obj);
}

static uint32_t raw_str_len(const struct bb_btf *btf)
{
	const struct btf_header *h = bb_btf_raw(btf, NULL);

	return h->str_len;
}

/* a module BTF on base: struct same { int pad; int f; } */
static struct bb_btf *module_btf(const struct bb_btf *base)
{
	struct btfb b = { .str_base = raw_str_len(base) };
	uint32_t int_id = bb_btf_find(base, "int", BTF_KIND_INT);

	bword(&b, bstr(&b, "same"));
	bword(&b, BTF_KIND_STRUCT << 24 | 2);
	bword(&b, 8);
	bword(&b, bstr(&b, "pad")); bword(&b, int_id); bword(&b, 0);
	bword(&b, bstr(&b, "f")); bword(&b, int_id); bword(&b, 32);
	return bdone(&b, base);
}

static struct bb_core_target mod_target;
static int modules_asked;

static int give_module(void *arg, const struct bb_core_target **mods,
		       size_t *n)
{
	(void)arg;
	modules_asked++;
	*mods = &mod_target;
	*n = 1;
	return 0;
}

static int16_t same_off(const struct bb_core_target *tg, size_t n,
			bool lazy, struct bb_core_failures *f)
{
	struct bpfbox_object *obj;
	struct bpfbox_prog *p = fresh_prog(&obj, "same");
	struct bb_core_ctx ctx;
	int16_t off = -1;

	if (!p || bb_core_ctx_init(&ctx, obj->btf, tg, n))
		goto out;
	if (lazy)
		ctx.load_modules = give_module;
	if (!bb_core_relocate(&ctx, p->name, p->insns, p->insns_cnt,
			      p->sec_insn_off, prog_recs(p), f))
		off = p->insns[0].code == POISON_CODE ? -2 : p->insns[0].off;
	bb_core_ctx_free(&ctx);
out:
	bpfbox_object_close(obj);
	return off;
}

TEST(core_module_targets)
{
	struct bb_core_target tg[2] = { { .name = "vmlinux" }, { .name = "mymod" } };
	struct bb_core_failures f = { 0 };

	tg[0].btf = open_target("t2");		/* no struct same */
	if (!tg[0].btf)
		return;
	tg[1].btf = module_btf(tg[0].btf);
	if (!tg[1].btf)
		goto out;
	/* not in vmlinux: found in the module, with its layout */
	CHECK_INT(same_off(tg, 2, false, NULL), ==, 4);
	/* modules asked for only then, once */
	mod_target = tg[1];
	modules_asked = 0;
	CHECK_INT(same_off(tg, 1, true, NULL), ==, 4);
	CHECK_INT(modules_asked, ==, 1);
	/* without the module: poisoned, and the words say where we looked */
	CHECK_INT(same_off(tg, 1, false, &f), ==, -2);
	CHECK_CONTAINS(bb_core_failure_text(&f, 0), "same->f");
	CHECK_CONTAINS(bb_core_failure_text(&f, 0), "vmlinux");
	bb_core_failures_free(&f);
	bb_btf_free((struct bb_btf *)tg[1].btf);
	/* vmlinux has it: modules are not searched */
	bb_btf_free((struct bb_btf *)tg[0].btf);
	tg[0].btf = open_target("t1");
	tg[1].btf = tg[0].btf ? module_btf(tg[0].btf) : NULL;
	if (tg[1].btf) {
		mod_target = tg[1];
		modules_asked = 0;
		CHECK_INT(same_off(tg, 2, false, NULL), ==, 0);
		CHECK_INT(same_off(tg, 1, true, NULL), ==, 0);
		CHECK_INT(modules_asked, ==, 0);
	}
	bb_btf_free((struct bb_btf *)tg[1].btf);
out:
	bb_btf_free((struct bb_btf *)tg[0].btf);
}
