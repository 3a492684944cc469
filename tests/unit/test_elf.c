// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF reader tests: small images built here byte by byte (so every field
 * is known and can be corrupted on purpose), the system's own binaries,
 * and the compiled test programs when there are any.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>

#include "test.h"
#include "bpfbox.h"
#include "err.h"
#include "elf.h"

/* gABI values (<elf.h> is shadowed by lib/elf.h under -Ilib) */
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define EM_BPF		247
#define SHT_PROGBITS	1
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHT_SYMTAB_SHNDX 18
#define SHN_UNDEF	0
#define SHN_XINDEX	0xffff
#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STT_OBJECT	1
#define STT_FUNC	2
#define STT_GNU_IFUNC	10
#define PT_LOAD		1
#define R_BPF_64_64	1

/* ELF header and section header field offsets, for corrupting images */
#define E_PHOFF		32
#define E_SHOFF		40
#define E_PHNUM		56
#define E_SHNUM		60
#define E_SHSTRNDX	62
#define SH_OFFSET	24
#define SH_SIZE		32
#define SH_LINK		40
#define SH_INFO		44
#define SH_ENTSIZE	56

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/* ---------------------------------------------------------------- */
/* A tiny ELF writer                                                 */

struct tsec {
	const char *name;
	uint32_t type;
	uint64_t flags;
	uint32_t link, info;
	uint64_t entsize;
	const void *data;
	size_t size;
};

struct tphdr {
	uint32_t type;
	uint64_t offset, vaddr, filesz, memsz;
};

struct img {
	uint8_t buf[2048];
	size_t size;
	size_t shoff;
	size_t nsecs;			/* with section 0 and .shstrtab */
	size_t data_off[16];		/* file offset of section i's data */
};

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static void put_shdr(uint8_t *p, uint32_t name, const struct tsec *s,
		     uint64_t off)
{
	put32(p, name);
	put32(p + 4, s->type);
	put64(p + 8, s->flags);
	put64(p + SH_OFFSET, off);
	put64(p + SH_SIZE, s->size);
	put32(p + SH_LINK, s->link);
	put32(p + SH_INFO, s->info);
	put64(p + 48, 8);
	put64(p + SH_ENTSIZE, s->entsize);
}

/*
 * Lay out: ELF header, program headers, section data, .shstrtab, then the
 * section header table last (so any truncation cuts into it). Sections
 * get indexes 1..n; .shstrtab is n + 1.
 */
static void build(struct img *im, uint16_t type, uint16_t machine,
		  const struct tsec *secs, size_t n,
		  const struct tphdr *ph, size_t nph)
{
	char shstr[256] = "";
	size_t shlen = 1, names[16], pos, i;
	struct tsec strsec = { .name = ".shstrtab", .type = SHT_STRTAB };
	uint8_t *b = im->buf;

	memset(im, 0, sizeof(*im));
	memcpy(b, "\177ELF\2\1\1", 7);
	put16(b + 16, type);
	put16(b + 18, machine);
	put32(b + 20, 1);
	put16(b + 52, 64);
	put16(b + 54, 56);
	put16(b + 58, 64);
	pos = 64;
	if (nph) {
		put64(b + E_PHOFF, pos);
		put16(b + E_PHNUM, nph);
	}
	for (i = 0; i < nph; i++, pos += 56) {
		put32(b + pos, ph[i].type);
		put32(b + pos + 4, 5);
		put64(b + pos + 8, ph[i].offset);
		put64(b + pos + 16, ph[i].vaddr);
		put64(b + pos + 24, ph[i].vaddr);
		put64(b + pos + 32, ph[i].filesz);
		put64(b + pos + 40, ph[i].memsz);
		put64(b + pos + 48, 0x1000);
	}
	for (i = 0; i <= n; i++) {
		const char *nm = i < n ? secs[i].name : ".shstrtab";

		names[i] = shlen;
		strcpy(shstr + shlen, nm);
		shlen += strlen(nm) + 1;
	}
	strsec.data = shstr;
	strsec.size = shlen;
	im->nsecs = n + 2;
	for (i = 0; i <= n; i++) {
		const struct tsec *s = i < n ? &secs[i] : &strsec;

		pos = align8(pos);
		im->data_off[i + 1] = pos;
		if (s->type != SHT_NOBITS && s->size) {
			memcpy(b + pos, s->data, s->size);
			pos += s->size;
		}
	}
	im->shoff = pos = align8(pos);
	put64(b + E_SHOFF, pos);
	put16(b + E_SHNUM, n + 2);
	put16(b + E_SHSTRNDX, n + 1);
	for (i = 0; i <= n; i++)
		put_shdr(b + pos + (i + 1) * 64, names[i],
			 i < n ? &secs[i] : &strsec, im->data_off[i + 1]);
	im->size = pos + (n + 2) * 64;
}

static uint8_t *shdr(struct img *im, size_t idx)
{
	return im->buf + im->shoff + idx * 64;
}

static void put_sym(uint8_t *p, uint32_t name, uint8_t bind, uint8_t type,
		    uint16_t shndx, uint64_t value, uint64_t size)
{
	put32(p, name);
	p[4] = bind << 4 | type;
	p[5] = 0;
	put16(p + 6, shndx);
	put64(p + 8, value);
	put64(p + 16, size);
}

/* The standard object: what clang -target bpf makes, in miniature. */
enum { S_TEXT = 1, S_REL, S_BSS, S_SYMTAB, S_STRTAB, S_EXTRA };
#define OBJ_RELA	1	/* .rela.text instead of .rel.text */
#define OBJ_XINDEX	2	/* "counter" has SHN_XINDEX ... */
#define OBJ_SHNDX_SEC	4	/* ... resolved by a .symtab_shndx */

static const char obj_strtab[] = "\0prog\0counter\0ext";

static void build_obj(struct img *im, int flags)
{
	static const uint8_t text[32] = {
		0x18, 0x01, 0, 0, 0, 0, 0, 0,	/* r1 = map ll */
		0, 0, 0, 0, 0, 0, 0, 0,
		0xb7, 0, 0, 0, 0, 0, 0, 0,	/* r0 = 0 */
		0x95, 0, 0, 0, 0, 0, 0, 0,	/* exit */
	};
	uint8_t syms[4 * 24] = { 0 }, rel[24] = { 0 }, shndx[16] = { 0 };
	bool rela = flags & OBJ_RELA;
	struct tsec secs[] = {
		{ ".text", SHT_PROGBITS, 6, 0, 0, 0, text, sizeof(text) },
		{ rela ? ".rela.text" : ".rel.text", rela ? SHT_RELA : SHT_REL,
		  0, S_SYMTAB, S_TEXT, rela ? 24 : 16, rel, rela ? 24 : 16 },
		{ ".bss", SHT_NOBITS, 3, 0, 0, 0, NULL, 8 },
		{ ".symtab", SHT_SYMTAB, 0, S_STRTAB, 1, 24, syms, sizeof(syms) },
		{ ".strtab", SHT_STRTAB, 0, 0, 0, 0, obj_strtab,
		  sizeof(obj_strtab) },
		{ ".symtab_shndx", SHT_SYMTAB_SHNDX, 0, S_SYMTAB, 0, 4, shndx,
		  sizeof(shndx) },
	};

	put_sym(syms + 24, 1, STB_GLOBAL, STT_FUNC, S_TEXT, 0, 32);
	put_sym(syms + 48, 6, STB_GLOBAL, STT_OBJECT,
		flags & OBJ_XINDEX ? SHN_XINDEX : S_BSS, 0, 8);
	put_sym(syms + 72, 14, STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0, 0);
	put32(shndx + 8, S_BSS);
	put64(rel, 0);
	put64(rel + 8, (uint64_t)2 << 32 | R_BPF_64_64);
	put64(rel + 16, (uint64_t)-8);
	build(im, ET_REL, EM_BPF, secs, flags & OBJ_SHNDX_SEC ? 6 : 5,
	      NULL, 0);
}

/* Open a copy in a buffer of exactly size bytes, so ASan sees overreads. */
static int open_copy(const void *buf, size_t size, struct bb_elf **out,
		     void **copy)
{
	*copy = malloc(size ? size : 1);
	memcpy(*copy, buf, size);
	return bb_elf_open(*copy, size, out);
}

static int open_img(struct img *im, struct bb_elf **out)
{
	return bb_elf_open(im->buf, im->size, out);
}

/* Expect opening im to fail with a message containing what. */
static void expect_open_err(struct img *im, const char *what)
{
	struct bb_elf *e = (struct bb_elf *)1;
	void *copy;
	int err = open_copy(im->buf, im->size, &e, &copy);

	CHECK_INT(err, <, 0);
	CHECK(e == NULL);
	CHECK_CONTAINS(bpfbox_errmsg(), what);
	if (!err)
		bb_elf_free(e);
	free(copy);
}

/* Touch everything a parsed ELF exposes, as a consumer would. */
static size_t walk(const struct bb_elf *e)
{
	size_t i, j, cnt, sum = 0;
	struct bb_elf_rel r;
	struct bb_elf_sym s;
	uint64_t off;

	for (i = 0; i < e->nsecs; i++) {
		const struct bb_elf_sec *sec = &e->secs[i];

		sum += strlen(sec->name);
		if (sec->data && sec->size)
			sum += sec->data[0] + sec->data[sec->size - 1];
		if (bb_elf_rel_count(e, i, &cnt))
			continue;
		for (j = 0; j < cnt; j++)
			if (!bb_elf_rel_get(e, i, j, &r))
				sum += r.sym;
	}
	for (i = 0; i < e->nsyms; i++)
		sum += strlen(e->syms[i].name);
	for (i = 0; i < e->ndynsyms; i++)
		sum += strlen(e->dynsyms[i].name);
	for (i = 0; i < e->nphdrs; i++)
		if (!bb_elf_vaddr_to_offset(e, e->phdrs[i].vaddr, &off))
			sum += off;
	if (!bb_elf_find_func(e, "prog", &s))
		sum += strlen(s.name);
	return sum;
}

/* ---------------------------------------------------------------- */

TEST(elf_rel_object)
{
	struct bb_elf *e = NULL;
	struct bb_elf_rel r;
	struct bb_elf_sym s;
	struct img im;
	size_t cnt = 0;

	build_obj(&im, 0);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(e->type, ==, ET_REL);
	CHECK_INT(e->machine, ==, EM_BPF);
	CHECK_INT(e->nsecs, ==, 7);
	CHECK_STR(e->secs[0].name, "");
	CHECK_STR(e->secs[S_TEXT].name, ".text");
	CHECK_STR(e->secs[S_REL].name, ".rel.text");
	CHECK_STR(e->secs[6].name, ".shstrtab");
	CHECK_INT(e->secs[S_TEXT].size, ==, 32);
	CHECK(e->secs[S_TEXT].data == im.buf + im.data_off[S_TEXT]);
	CHECK_INT(e->secs[S_TEXT].data[0], ==, 0x18);
	CHECK_INT(e->secs[S_TEXT].flags, ==, 6);
	CHECK_INT(e->secs[S_REL].link, ==, S_SYMTAB);
	CHECK_INT(e->secs[S_REL].info, ==, S_TEXT);
	CHECK(e->secs[S_BSS].data == NULL);
	CHECK_INT(e->secs[S_BSS].size, ==, 8);
	CHECK(e->secs[0].data == NULL);
	CHECK_INT(e->symtab_idx, ==, S_SYMTAB);
	CHECK_INT(e->dynsym_idx, ==, -1);
	CHECK_INT(e->nsyms, ==, 4);
	CHECK(e->dynsyms == NULL);
	CHECK_INT(e->nphdrs, ==, 0);
	CHECK_STR(e->syms[0].name, "");
	CHECK_STR(e->syms[1].name, "prog");
	CHECK_INT(e->syms[1].type, ==, STT_FUNC);
	CHECK_INT(e->syms[1].bind, ==, STB_GLOBAL);
	CHECK_INT(e->syms[1].shndx, ==, S_TEXT);
	CHECK_INT(e->syms[1].size, ==, 32);
	CHECK_STR(e->syms[2].name, "counter");
	CHECK_INT(e->syms[2].shndx, ==, S_BSS);
	CHECK_INT(e->syms[3].shndx, ==, SHN_UNDEF);

	CHECK_INT(bb_elf_find_sec(e, ".rel.text"), ==, S_REL);
	CHECK_INT(bb_elf_find_sec(e, ".data"), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), ".data");

	CHECK_INT(bb_elf_rel_count(e, S_REL, &cnt), ==, 0);
	CHECK_INT(cnt, ==, 1);
	CHECK_INT(bb_elf_rel_get(e, S_REL, 0, &r), ==, 0);
	CHECK_INT(r.offset, ==, 0);
	CHECK_INT(r.sym, ==, 2);
	CHECK_INT(r.type, ==, R_BPF_64_64);
	CHECK_INT(r.addend, ==, 0);

	CHECK_INT(bb_elf_find_func(e, "prog", &s), ==, 0);
	CHECK_STR(s.name, "prog");
	/* undefined (imported) and non-function symbols are not found */
	CHECK_INT(bb_elf_find_func(e, "ext", &s), ==, -ENOENT);
	CHECK_INT(bb_elf_find_func(e, "counter", &s), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "counter");
	bb_elf_free(e);
}

TEST(elf_rela_addend)
{
	struct bb_elf *e = NULL;
	struct bb_elf_rel r;
	struct img im;
	size_t cnt;

	build_obj(&im, OBJ_RELA);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(bb_elf_rel_count(e, S_REL, &cnt), ==, 0);
	CHECK_INT(cnt, ==, 1);
	CHECK_INT(bb_elf_rel_get(e, S_REL, 0, &r), ==, 0);
	CHECK_INT(r.sym, ==, 2);
	CHECK_INT(r.type, ==, R_BPF_64_64);
	CHECK_INT(r.addend, ==, -8);
	bb_elf_free(e);
}

TEST(elf_rel_misuse)
{
	struct bb_elf *e = NULL;
	struct bb_elf_rel r;
	struct img im;
	size_t cnt;

	build_obj(&im, 0);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(bb_elf_rel_count(e, S_TEXT, &cnt), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "not a relocation section");
	CHECK_INT(bb_elf_rel_count(e, -1, &cnt), ==, -EINVAL);
	CHECK_INT(bb_elf_rel_count(e, 7, &cnt), ==, -EINVAL);
	CHECK_INT(bb_elf_rel_get(e, S_REL, 1, &r), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "relocation 1 out of range");
	CHECK_INT(bb_elf_rel_get(e, S_REL, 0, NULL), ==, -EINVAL);
	CHECK_INT(bb_elf_rel_count(e, S_REL, NULL), ==, -EINVAL);
	CHECK_INT(bb_elf_rel_count(NULL, S_REL, &cnt), ==, -EINVAL);
	bb_elf_free(e);
}

TEST(elf_ifunc_found)
{
	struct bb_elf *e = NULL;
	struct bb_elf_sym s;
	struct img im;

	build_obj(&im, 0);
	im.buf[im.data_off[S_SYMTAB] + 24 + 4] = STB_GLOBAL << 4 | STT_GNU_IFUNC;
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(bb_elf_find_func(e, "prog", &s), ==, 0);
	CHECK_INT(s.type, ==, STT_GNU_IFUNC);
	bb_elf_free(e);
}

TEST(elf_bad_ident)
{
	struct img im;

	build_obj(&im, 0);
	im.buf[4] = 1;
	expect_open_err(&im, "32-bit");
	im.buf[4] = 7;
	expect_open_err(&im, "EI_CLASS");
	im.buf[4] = 2;
	im.buf[5] = 2;
	expect_open_err(&im, "big-endian");
	im.buf[5] = 0;
	expect_open_err(&im, "EI_DATA");
	im.buf[5] = 1;
	im.buf[6] = 2;
	expect_open_err(&im, "EI_VERSION");
	im.buf[6] = 1;
	im.buf[1] = 'X';
	expect_open_err(&im, "magic");
	im.buf[1] = 'E';
	put16(im.buf + 16, 4);
	expect_open_err(&im, "ET_CORE");
	put16(im.buf + 16, ET_REL);
	im.size = 40;
	expect_open_err(&im, "too small");
}

TEST(elf_bad_args)
{
	struct bb_elf *e = NULL;
	struct bb_elf_sym s;
	uint64_t off;
	struct img im;

	CHECK_INT(bb_elf_open(NULL, 10, &e), ==, -EINVAL);
	CHECK_INT(bb_elf_open(NULL, 0, &e), ==, -ENOEXEC);
	build_obj(&im, 0);
	CHECK_INT(bb_elf_open(im.buf, im.size, NULL), ==, -EINVAL);
	CHECK_INT(bb_elf_find_sec(NULL, ".text"), ==, -EINVAL);
	CHECK_INT(bb_elf_find_func(NULL, "x", &s), ==, -EINVAL);
	CHECK_INT(bb_elf_vaddr_to_offset(NULL, 0, &off), ==, -EINVAL);
	bb_elf_free(NULL);
}

TEST(elf_extended_numbering)
{
	struct bb_elf *e = NULL;
	struct img im;

	/* e_shnum 0: count in section 0's sh_size; likewise shstrndx */
	build_obj(&im, 0);
	put16(im.buf + E_SHNUM, 0);
	put64(shdr(&im, 0) + SH_SIZE, 7);
	put16(im.buf + E_SHSTRNDX, SHN_XINDEX);
	put32(shdr(&im, 0) + SH_LINK, 6);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(e->nsecs, ==, 7);
	CHECK_STR(e->secs[S_STRTAB].name, ".strtab");
	CHECK(e->secs[0].data == NULL);
	bb_elf_free(e);

	put32(shdr(&im, 0) + SH_LINK, 99);
	expect_open_err(&im, "e_shstrndx 99 out of range");
	put32(shdr(&im, 0) + SH_LINK, 6);
	put64(shdr(&im, 0) + SH_SIZE, 1000);
	expect_open_err(&im, "1000 entries");
}

TEST(elf_symtab_shndx)
{
	struct bb_elf *e = NULL;
	struct img im;

	build_obj(&im, OBJ_XINDEX | OBJ_SHNDX_SEC);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(e->syms[2].shndx, ==, S_BSS);
	CHECK_INT(e->syms[1].shndx, ==, S_TEXT);
	bb_elf_free(e);

	/* the extended index itself must name a section */
	put32(im.buf + im.data_off[S_EXTRA] + 8, 500);
	expect_open_err(&im, "extended section index 500");

	build_obj(&im, OBJ_XINDEX);
	expect_open_err(&im, "no SHT_SYMTAB_SHNDX");
}

TEST(elf_phdrs_and_vaddr)
{
	static const uint8_t code[16] = { 0x90 };
	const struct tsec secs[] = {
		{ ".text", SHT_PROGBITS, 6, 0, 0, 0, code, sizeof(code) },
	};
	const struct tphdr ph[] = {
		{ PT_LOAD, 0, 0x400000, 0x40, 0x1000 },
		{ 6 /* PT_PHDR: not loadable */, 0, 0x500000, 0x40, 0x40 },
		{ PT_LOAD, 0x40, 0x601000, 0x10, 0x10 },
	};
	struct bb_elf *e = NULL;
	struct img im;
	uint64_t off = 0;

	build(&im, ET_EXEC, EM_X86_64, secs, 1, ph, 3);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(e->type, ==, ET_EXEC);
	CHECK_INT(e->nphdrs, ==, 3);
	CHECK_INT(e->phdrs[2].type, ==, PT_LOAD);
	CHECK_INT(e->phdrs[2].vaddr, ==, 0x601000);
	CHECK_INT(e->phdrs[2].offset, ==, 0x40);
	CHECK_INT(e->phdrs[2].filesz, ==, 0x10);
	CHECK_INT(e->phdrs[0].memsz, ==, 0x1000);
	CHECK_INT(e->phdrs[0].align, ==, 0x1000);
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x400010, &off), ==, 0);
	CHECK_INT(off, ==, 0x10);
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x60100f, &off), ==, 0);
	CHECK_INT(off, ==, 0x4f);
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x400100, &off), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "past its file contents");
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x500000, &off), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "not in any PT_LOAD");
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x3fffff, &off), ==, -ENOENT);
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x601010, &off), ==, -ENOENT);
	bb_elf_free(e);

	/* PN_XNUM: the count lives in section 0's sh_info */
	put16(im.buf + E_PHNUM, 0xffff);
	put32(shdr(&im, 0) + SH_INFO, 2);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (e)
		CHECK_INT(e->nphdrs, ==, 2);
	bb_elf_free(e);

	put16(im.buf + E_PHNUM, 3);
	put64(im.buf + E_PHOFF, im.size - 100);
	expect_open_err(&im, "program header table");
	put64(im.buf + E_PHOFF, UINT64_MAX - 8);
	expect_open_err(&im, "program header table");
}

TEST(elf_segment_past_eof)
{
	const struct tphdr ph[] = { { PT_LOAD, 0x10000, 0x1000, 0x100, 0x100 } };
	struct bb_elf *e = NULL;
	uint64_t off;
	struct img im;

	/* debuginfo files look like this: still opens, but no offset */
	build(&im, ET_DYN, EM_X86_64, NULL, 0, ph, 1);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(bb_elf_vaddr_to_offset(e, 0x1010, &off), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "segment 0");
	bb_elf_free(e);
}

TEST(elf_no_sections)
{
	struct bb_elf *e = NULL;
	struct img im;

	build_obj(&im, 0);
	put64(im.buf + E_SHOFF, 0);
	expect_open_err(&im, "e_shoff is 0");
	put16(im.buf + E_SHNUM, 0);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (!e)
		return;
	CHECK_INT(e->nsecs, ==, 0);
	CHECK_INT(e->symtab_idx, ==, -1);
	CHECK_INT(bb_elf_find_sec(e, ".text"), ==, -ENOENT);
	bb_elf_free(e);
}

/* The corruptions named in the design, each with its words. */
TEST(elf_corruptions)
{
	struct bb_elf *e = NULL;
	struct bb_elf_rel r;
	struct img im;

	build_obj(&im, 0);
	put64(shdr(&im, S_REL) + SH_OFFSET, im.size - 8);
	expect_open_err(&im, "section 2 (.rel.text) extends past end of file");

	build_obj(&im, 0);
	put64(shdr(&im, S_TEXT) + SH_OFFSET, UINT64_MAX - 4);
	expect_open_err(&im, "section 1 (.text) extends past end of file");

	build_obj(&im, 0);
	put16(im.buf + E_SHSTRNDX, 50);
	expect_open_err(&im, "e_shstrndx 50 out of range (7 sections)");
	put16(im.buf + E_SHSTRNDX, S_TEXT);
	expect_open_err(&im, "not SHT_STRTAB");
	put16(im.buf + E_SHSTRNDX, 0xff05);
	expect_open_err(&im, "reserved");

	build_obj(&im, 0);
	put64(shdr(&im, S_SYMTAB) + SH_ENTSIZE, 16);
	expect_open_err(&im, "section 4 (.symtab) of type 2 has entry size sh_entsize 16, expected 24");

	build_obj(&im, 0);
	put64(shdr(&im, S_SYMTAB) + SH_SIZE, 50);
	expect_open_err(&im, "not a multiple of its entry size");

	build_obj(&im, 0);
	put64(shdr(&im, S_REL) + SH_ENTSIZE, 24);
	expect_open_err(&im, "(.rel.text) of type 9 has entry size");

	/* "ext" is the last string: drop its NUL */
	build_obj(&im, 0);
	im.buf[im.data_off[S_STRTAB] + sizeof(obj_strtab) - 1] = 'x';
	expect_open_err(&im, "symbol 3 in section 4 (.symtab): name at offset 14 is not a NUL-terminated string");

	build_obj(&im, 0);
	put32(im.buf + im.data_off[S_SYMTAB] + 24, 1000);
	expect_open_err(&im, "name at offset 1000");

	/* the last section name is the last string of .shstrtab */
	build_obj(&im, 0);
	im.buf[im.data_off[6] + shdr(&im, 6)[SH_SIZE] - 1] = 'x';
	expect_open_err(&im, "section name table");

	build_obj(&im, 0);
	put32(shdr(&im, S_SYMTAB) + SH_LINK, S_TEXT);
	expect_open_err(&im, "not a string table");

	build_obj(&im, 0);
	put16(im.buf + im.data_off[S_SYMTAB] + 24 + 6, 300);
	expect_open_err(&im, "symbol 1 (prog) refers to section 300");

	build_obj(&im, 0);
	put64(im.buf + E_SHOFF, UINT64_MAX - 8);
	expect_open_err(&im, "section header table at offset");

	build_obj(&im, 0);
	put64(im.buf + E_SHOFF, (UINT64_MAX & ~(uint64_t)7) - 64 * 5);
	expect_open_err(&im, "section header table");

	build_obj(&im, 0);
	put16(im.buf + E_SHNUM, 0xfff0);
	expect_open_err(&im, "65520 entries of 64 bytes) extends past end of file");

	build_obj(&im, 0);
	put16(im.buf + 58, 40);
	expect_open_err(&im, "e_shentsize is 40");

	/* two SHT_SYMTAB: .strtab relabelled as a second symbol table */
	build_obj(&im, 0);
	put32(shdr(&im, S_REL) + 4, SHT_SYMTAB);
	put64(shdr(&im, S_REL) + SH_ENTSIZE, 24);
	put64(shdr(&im, S_REL) + SH_SIZE, 0);
	put32(shdr(&im, S_REL) + SH_LINK, S_STRTAB);
	expect_open_err(&im, "more than one SHT_SYMTAB");

	/* opens (relocations are read on demand), but the entry is bad */
	build_obj(&im, 0);
	put64(im.buf + im.data_off[S_REL] + 8, (uint64_t)9 << 32 | 1);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (e) {
		CHECK_INT(bb_elf_rel_get(e, S_REL, 0, &r), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "refers to symbol 9, but its symbol table (section 4) has only 4 symbols");
		bb_elf_free(e);
	}

	/* a relocation section not linked to a symbol table */
	build_obj(&im, 0);
	put32(shdr(&im, S_REL) + SH_LINK, S_TEXT);
	CHECK_INT(open_img(&im, &e), ==, 0);
	if (e) {
		CHECK_INT(bb_elf_rel_get(e, S_REL, 0, &r), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "has only 0 symbols");
		bb_elf_free(e);
	}
}

/* Every prefix of a valid image is an error (the header table is last). */
TEST(elf_truncations)
{
	struct bb_elf *e;
	struct img im;
	size_t len;
	void *copy;
	int i;

	for (i = 0; i < 2; i++) {
		build_obj(&im, i ? OBJ_XINDEX | OBJ_SHNDX_SEC | OBJ_RELA : 0);
		for (len = 0; len < im.size; len++) {
			int err = open_copy(im.buf, len, &e, &copy);

			CHECK_INT(err, <, 0);
			if (!err)
				bb_elf_free(e);
			free(copy);
		}
		CHECK_INT(open_copy(im.buf, im.size, &e, &copy), ==, 0);
		bb_elf_free(e);
		free(copy);
	}
}

static void flip_all(struct img *im)
{
	size_t i, v, sum = 0;
	struct bb_elf *e;
	void *copy;

	for (i = 0; i < im->size; i++) {
		uint8_t orig = im->buf[i];
		const uint8_t vals[] = {
			0, 0xff, 0x7f, 0x80, 1, orig ^ 1, orig ^ 0x10,
			orig + 1, orig - 1, orig ^ 0x80,
		};

		for (v = 0; v < sizeof(vals); v++) {
			im->buf[i] = vals[v];
			if (!open_copy(im->buf, im->size, &e, &copy)) {
				sum += walk(e);
				bb_elf_free(e);
			} else {
				CHECK(bpfbox_errmsg()[0] != '\0');
			}
			free(copy);
		}
		im->buf[i] = orig;
	}
	CHECK(sum > 0);
}

TEST(elf_byte_flips)
{
	const struct tphdr ph[] = {
		{ PT_LOAD, 0, 0x1000, 0x100, 0x200 },
		{ PT_LOAD, 0x100, 0x3000, 0x80, 0x80 },
	};
	static const uint8_t code[8] = { 0xc3 };
	const struct tsec secs[] = {
		{ ".text", SHT_PROGBITS, 6, 0, 0, 0, code, sizeof(code) },
	};
	struct img im;

	build_obj(&im, 0);
	flip_all(&im);
	build_obj(&im, OBJ_RELA | OBJ_XINDEX | OBJ_SHNDX_SEC);
	flip_all(&im);
	/* an executable-like image with program headers too */
	build(&im, ET_DYN, EM_X86_64, secs, 1, ph, 2);
	flip_all(&im);
}

/* ---------------------------------------------------------------- */
/* Real files                                                        */

static struct bb_elf *open_file(const char *path, void **buf)
{
	struct bb_elf *e = NULL;
	size_t size;

	*buf = bb_test_read_file(path, &size);
	if (!*buf) {
		printf("  note: %s not readable, skipped\n", path);
		return NULL;
	}
	if (bb_elf_open(*buf, size, &e)) {
		fprintf(stderr, "  %s: %s\n", path, bpfbox_errmsg());
		bb_test_failed++;
	}
	return e;
}

/* Every relocation of every relocation section reads back. */
static void check_all_rels(const struct bb_elf *e)
{
	size_t i, j, cnt;
	struct bb_elf_rel r;

	for (i = 0; i < e->nsecs; i++) {
		if (e->secs[i].type != SHT_REL && e->secs[i].type != SHT_RELA)
			continue;
		CHECK_INT(bb_elf_rel_count(e, i, &cnt), ==, 0);
		for (j = 0; j < cnt; j++)
			CHECK_INT(bb_elf_rel_get(e, i, j, &r), ==, 0);
	}
}

TEST(elf_bin_true)
{
	const struct bb_elf_sym *imp = NULL;
	struct bb_elf *e;
	struct bb_elf_sym s;
	uint64_t off = 0;
	void *buf;
	size_t i;
	int t;

	e = open_file("/bin/true", &buf);
	if (!e)
		goto out;
	CHECK(e->type == ET_DYN || e->type == ET_EXEC);
	CHECK_INT(e->machine, ==, EM_X86_64);
	CHECK_INT(e->nphdrs, >, 0);
	CHECK_INT(e->dynsym_idx, >, 0);
	CHECK_INT(e->ndynsyms, >, 1);
	t = bb_elf_find_sec(e, ".text");
	CHECK_INT(t, >, 0);
	if (t > 0) {
		CHECK_INT(bb_elf_vaddr_to_offset(e, e->secs[t].addr, &off), ==, 0);
		CHECK_INT(off, ==, e->secs[t].offset);
	}
	check_all_rels(e);
	/* an imported function is in .dynsym, undefined: not found */
	for (i = 0; i < e->ndynsyms && !imp; i++)
		if (e->dynsyms[i].type == STT_FUNC &&
		    e->dynsyms[i].shndx == SHN_UNDEF && e->dynsyms[i].name[0])
			imp = &e->dynsyms[i];
	CHECK(imp != NULL);
	if (imp)
		CHECK_INT(bb_elf_find_func(e, imp->name, &s), ==, -ENOENT);
out:
	bb_elf_free(e);
	free(buf);
}

static void check_func_offset(const struct bb_elf *e, const char *name,
			      int type)
{
	const struct bb_elf_sec *sec;
	struct bb_elf_sym s;
	uint64_t off = 0;

	CHECK_INT(bb_elf_find_func(e, name, &s), ==, 0);
	CHECK_STR(s.name, name);
	CHECK_INT(s.type, ==, type);
	CHECK_INT(s.value, !=, 0);
	if (s.shndx == SHN_UNDEF || s.shndx >= e->nsecs)
		return;
	/* the segment view and the section view must agree */
	sec = &e->secs[s.shndx];
	CHECK_INT(bb_elf_vaddr_to_offset(e, s.value, &off), ==, 0);
	CHECK_INT(off, ==, s.value - sec->addr + sec->offset);
}

TEST(elf_libc)
{
	const char *path = "/lib/x86_64-linux-gnu/libc.so.6";
	struct bb_elf *e;
	void *buf;

	e = open_file(path, &buf);
	if (!e)
		goto out;
	CHECK_INT(e->type, ==, ET_DYN);
	CHECK_INT(e->ndynsyms, >, 100);
	check_func_offset(e, "malloc", STT_FUNC);
	/* two versions of memcpy: the default (@@GLIBC_2.14) is an IFUNC */
	check_func_offset(e, "memcpy", STT_GNU_IFUNC);
	check_all_rels(e);
out:
	bb_elf_free(e);
	free(buf);
}

TEST(elf_bpf_objects)
{
	const char *dir = bb_test_progs_dir();
	struct dirent *de;
	char path[4096];
	int seen = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		printf("  note: no %s (BB_PROGS_DIR); BPF objects not checked\n",
		       dir);
		return;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct bb_elf *e;
		void *buf;

		if (n < 6 || strcmp(de->d_name + n - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		e = open_file(path, &buf);
		if (e) {
			CHECK_INT(e->machine, ==, EM_BPF);
			CHECK_INT(e->type, ==, ET_REL);
			CHECK_INT(e->symtab_idx, >, 0);
			check_all_rels(e);
			walk(e);
			seen++;
		}
		bb_elf_free(e);
		free(buf);
	}
	closedir(d);
	if (!seen)
		printf("  note: no *.bpf.o in %s; BPF objects not checked\n",
		       dir);
}
