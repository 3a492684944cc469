// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE candidates in module BTF, end to end without a kernel: a base
 * ("vmlinux") BTF and a module BTF split on it are written as files of a
 * directory laid out as /sys/kernel/btf, read by the module loader
 * (lib/kbtf_modules.c) and searched by the CO-RE engine for a local
 * struct only the module has. All BTF is built by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "kbtf.h"
#include "test.h"

struct mb {
	uint32_t w[64];
	size_t nw;
	char s[256];
	size_t ns;
	uint32_t str_base;	/* split BTF: strings continue the base's */
};

static uint32_t mstr(struct mb *b, const char *s)
{
	uint32_t off = b->str_base + b->ns;

	strcpy(b->s + b->ns, s);
	b->ns += strlen(s) + 1;
	return off;
}

static void mw(struct mb *b, uint32_t w)
{
	b->w[b->nw++] = w;
}

/* header | types | strings into buf; returns the size */
static size_t mraw(const struct mb *b, uint8_t *buf)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_len = b->nw * 4,
		.str_off = b->nw * 4, .str_len = b->ns,
	};

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), b->w, b->nw * 4);
	memcpy(buf + sizeof(h) + b->nw * 4, b->s, b->ns);
	return sizeof(h) + b->nw * 4 + b->ns;
}

static struct bb_btf *mparse(const struct mb *b, const struct bb_btf *base)
{
	uint8_t buf[sizeof(struct btf_header) + sizeof(b->w) + sizeof(b->s)];
	struct bb_btf *btf = NULL;

	if (bb_btf_parse(buf, mraw(b, buf), base, &btf)) {
		fprintf(stderr, "  hand-built BTF: %s\n", bpfbox_errmsg());
		bb_test_failed++;
	}
	return btf;
}

/* struct NAME { int a; int b; ... } with the fields at the offsets given */
static void mstruct(struct mb *b, const char *name, uint32_t int_id,
		    const char *const *fields, const uint32_t *offs, int n)
{
	int i;

	mw(b, mstr(b, name));
	mw(b, BTF_KIND_STRUCT << 24 | n);
	mw(b, offs[n - 1] + 4);
	for (i = 0; i < n; i++) {
		mw(b, mstr(b, fields[i]));
		mw(b, int_id);
		mw(b, offs[i] * 8);
	}
}

static void mint(struct mb *b)
{
	mw(b, mstr(b, "int"));
	mw(b, BTF_KIND_INT << 24);
	mw(b, 4);
	mw(b, BTF_INT_SIGNED << 24 | 32);
}

/* vmlinux: int [1], struct both { int x; int f; } [2] */
static struct bb_btf *base_btf(void)
{
	static const char *const f[] = { "x", "f" };
	static const uint32_t o[] = { 0, 4 };
	struct mb b = { .ns = 1 };

	mint(&b);
	mstruct(&b, "both", 1, f, o, 2);
	return mparse(&b, NULL);
}

/* the module: struct modonly { int a; int b; int f; } and its own
 * struct both { int f; } (vmlinux's must win) */
static size_t module_raw(const struct bb_btf *base, uint8_t *buf)
{
	static const char *const f3[] = { "a", "b", "f" };
	static const uint32_t o3[] = { 0, 4, 8 };
	static const char *const f1[] = { "f" };
	static const uint32_t o1[] = { 0 };
	const struct btf_header *h = bb_btf_raw(base, NULL);
	struct mb b = { .str_base = h->str_len };

	mstruct(&b, "modonly", 1, f3, o3, 3);
	mstruct(&b, "both", 1, f1, o1, 1);
	return mraw(&b, buf);
}

/* local: int [1], struct modonly { int f; } [2], struct both { int f; } [3] */
static struct bb_btf *local_btf(uint32_t *f_off)
{
	static const char *const f[] = { "f" };
	static const uint32_t o[] = { 0 };
	struct mb b = { .ns = 1 };

	mint(&b);
	mstruct(&b, "modonly", 1, f, o, 1);
	mstruct(&b, "both", 1, f, o, 1);
	*f_off = mstr(&b, "0:0");
	return mparse(&b, NULL);
}

static int write_file(const char *dir, const char *name, const void *d,
		      size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(d, 1, n, f);
	return fclose(f);
}

struct counted {
	struct bb_kmods m;
	int calls;
};

static int counted_load(void *arg, const struct bb_core_target **mods,
			size_t *n)
{
	struct counted *c = arg;

	c->calls++;
	return bb_kmods_load(&c->m, mods, n);
}

/* relocate r1 = *(u32 *)(r2 + 0) for local type id; the new offset, or
 * -2 when poisoned, -1 on error */
static int reloc_off(const struct bb_btf *local, uint32_t type_id,
		     uint32_t access_off, struct counted *c)
{
	struct bb_core_target vmlinux = { c->m.vmlinux, "vmlinux" };
	struct bpf_insn insn = {
		.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 2,
	};
	struct bb_core_relo r = { 0, type_id, access_off, BPF_CORE_FIELD_BYTE_OFFSET };
	struct bb_btf_ext_sec sec = {
		.sec_name = "test", .nrec = 1, .rec_size = sizeof(r),
		.recs = (const uint8_t *)&r,
	};
	struct bb_core_ctx ctx;
	int ret = -1;

	if (bb_core_ctx_init(&ctx, local, &vmlinux, 1))
		return -1;
	ctx.load_modules = counted_load;
	ctx.load_modules_arg = c;
	if (!bb_core_relocate(&ctx, "prog", &insn, 1, 0, &sec, NULL))
		ret = insn.code == (BPF_JMP | BPF_CALL) ? -2 : insn.off;
	bb_core_ctx_free(&ctx);
	return ret;
}

TEST(core_module_btf_dir)
{
	char dir[] = "/tmp/bb_modbtf.XXXXXX";
	uint8_t raw[2048];
	struct bb_btf *base = base_btf(), *local = NULL;
	struct counted c = { { 0 }, 0 };
	uint32_t acc;
	size_t n;

	if (!base || !mkdtemp(dir)) {
		CHECK(!"setup");
		goto out;
	}
	local = local_btf(&acc);
	n = module_raw(base, raw);
	/* vmlinux itself is never read as a module: garbage here */
	CHECK_INT(write_file(dir, "vmlinux", "junk", 4), ==, 0);
	CHECK_INT(write_file(dir, "mymod", raw, n), ==, 0);
	c.m.dir = dir;
	c.m.vmlinux = base;

	/* in vmlinux: vmlinux's offset, the modules never read */
	CHECK_INT(reloc_off(local, 3, acc, &c), ==, 4);
	CHECK_INT(c.calls, ==, 0);
	/* only in the module: the module's offset, read once */
	CHECK_INT(reloc_off(local, 2, acc, &c), ==, 8);
	CHECK_INT(c.calls, ==, 1);
	bb_kmods_free(&c.m);

	/* a malformed module: an error naming its file */
	CHECK_INT(write_file(dir, "badmod", raw, n - 30), ==, 0);
	c.calls = 0;
	CHECK_INT(reloc_off(local, 2, acc, &c), ==, -1);
	CHECK_CONTAINS(bpfbox_errmsg(), "badmod");
	CHECK_CONTAINS(bpfbox_errmsg(), "module BTF");
	bb_kmods_free(&c.m);
	{
		char p[600];

		snprintf(p, sizeof(p), "%s/badmod", dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/mymod", dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/vmlinux", dir);
		unlink(p);
		rmdir(dir);
	}
	/* no such directory (no sysfs BTF): vmlinux only, poisoned */
	c.calls = 0;
	CHECK_INT(reloc_off(local, 2, acc, &c), ==, -2);
	CHECK_INT(c.calls, ==, 1);
	bb_kmods_free(&c.m);
out:
	bb_btf_free(local);
	bb_btf_free(base);
}

/* where a failed relocation looked, in the words of the failure */
TEST(core_module_failure_words)
{
	struct bb_btf *base = base_btf(), *local = NULL;
	struct bb_core_target tg[5] = { { base, "vmlinux" } };
	struct bb_core_failures f = { 0 };
	struct bb_core_relo r = { 0, 0, 0, BPF_CORE_FIELD_BYTE_OFFSET };
	struct bb_btf_ext_sec sec = {
		.sec_name = "test", .nrec = 1, .rec_size = sizeof(r),
		.recs = (const uint8_t *)&r,
	};
	static const char *const want[] = {
		"does not exist in vmlinux",
		"does not exist in vmlinux and module m1",
		"does not exist in vmlinux and modules m1, m2",
		"does not exist in vmlinux and modules m1, m2, m3",
		"does not exist in vmlinux and 4 modules",
	};
	static const char *const names[] = { "m1", "m2", "m3", "m4" };
	size_t n;

	if (!base)
		return;
	local = local_btf(&r.access_str_off);
	r.type_id = 2;		/* struct modonly: in none of them */
	for (n = 1; n <= 4; n++) {
		tg[n].btf = base;
		tg[n].name = names[n - 1];
	}
	for (n = 0; local && n < 5; n++) {
		struct bpf_insn insn = {
			.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1,
			.src_reg = 2,
		};
		struct bb_core_ctx ctx;

		if (bb_core_ctx_init(&ctx, local, tg, n + 1))
			break;
		CHECK_INT(bb_core_relocate(&ctx, "prog", &insn, 1, 0, &sec, &f),
			  ==, 0);
		CHECK_CONTAINS(bb_core_failure_text(&f, 0), want[n]);
		bb_core_failures_free(&f);
		bb_core_ctx_free(&ctx);
	}
	bb_btf_free(local);
	bb_btf_free(base);
}
