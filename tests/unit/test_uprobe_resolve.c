// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Uprobe targets: parsing, search paths, and symbol -> file offset,
 * checked against a hand-built ET_EXEC image (whose segments do not map
 * vaddr to the same file offset) and against /bin/bash and libc, where
 * the expected offset comes from a separate minimal parse here
 * (st_value - p_vaddr + p_offset of the PT_LOAD holding it).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "err.h"
#include "bpfbox.h"
#include "uprobe_resolve.h"

TEST(uprobe_parse_forms)
{
	struct bb_uprobe_target t;

	CHECK_INT(bb_uprobe_parse("uprobe", "/bin/bash:readline", &t), ==, 0);
	CHECK_STR(t.path, "/bin/bash");
	CHECK_STR(t.func, "readline");
	CHECK_INT(t.off, ==, 0);

	CHECK_INT(bb_uprobe_parse("uprobe", "libc.so.6:malloc+0x10", &t), ==, 0);
	CHECK_STR(t.path, "libc.so.6");
	CHECK_STR(t.func, "malloc");
	CHECK_INT(t.off, ==, 16);

	CHECK_INT(bb_uprobe_parse("uprobe", "/bin/bash:0x1000", &t), ==, 0);
	CHECK_STR(t.path, "/bin/bash");
	CHECK_STR(t.func, "");
	CHECK_INT(t.off, ==, 0x1000);

	CHECK_INT(bb_uprobe_parse("uprobe", "/bin/bash:4096", &t), ==, 0);
	CHECK_INT(t.off, ==, 4096);

	/* the last ':' splits: a path may hold one */
	CHECK_INT(bb_uprobe_parse("uprobe", "/opt/a:b/x:f", &t), ==, 0);
	CHECK_STR(t.path, "/opt/a:b/x");
	CHECK_STR(t.func, "f");
}

TEST(uprobe_parse_errors)
{
	struct bb_uprobe_target t;

	CHECK_INT(bb_uprobe_parse("uprobe", "", &t), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "uprobe: no target");
	CHECK_INT(bb_uprobe_parse("uprobe", "/bin/bash", &t), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "uprobe /bin/bash: want PATH:FUNCTION");
	CHECK_INT(bb_uprobe_parse("uretprobe", "/bin/bash:", &t), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "uretprobe /bin/bash:: no function or offset");
	CHECK_INT(bb_uprobe_parse("uprobe", ":main", &t), ==, -EINVAL);
	CHECK_INT(bb_uprobe_parse("uprobe", "/x:f+zz", &t), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "bad offset 'zz'");
	CHECK_INT(bb_uprobe_parse("uprobe", "/x:f+", &t), ==, -EINVAL);
	CHECK_INT(bb_uprobe_parse("uprobe", "/x:+4", &t), ==, -EINVAL);
	CHECK_INT(bb_uprobe_parse("uprobe", "/x:0x12q", &t), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "bad offset '0x12q'");
	CHECK(!strchr(bpfbox_errmsg(), '\n'));
}

/* the candidates as one string, separated by '|' */
static const char *cands(const char *name, const char *path,
			 const char *ldp)
{
	static char buf[4096], out[4096];
	char *p;
	size_t n = 0;

	if (bb_uprobe_candidates(name, path, ldp, buf, sizeof(buf)))
		return "(error)";
	out[0] = '\0';
	for (p = buf; *p; p += strlen(p) + 1)
		n += snprintf(out + n, sizeof(out) - n, "%s%s", n ? "|" : "", p);
	return out;
}

TEST(uprobe_candidates)
{
	char tiny[8];
	const char *c;

	CHECK_STR(cands("bash", "/a:/b::/c", NULL),
		  "/a/bash|/b/bash|./bash|/c/bash");
	CHECK_STR(cands("/usr/bin/bash", "/a", "/l"), "/usr/bin/bash");
	CHECK_STR(cands("./x", "/a", NULL), "./x");
	CHECK_STR(cands("bash", "", NULL), "");
	c = cands("libc.so.6", "/a", "/l1:/l2");
	CHECK(!strncmp(c, "/l1/libc.so.6|/l2/libc.so.6|", 28));
	CHECK_CONTAINS(c, "|/lib64/libc.so.6|/usr/lib64/libc.so.6|/lib/libc.so.6|/usr/lib/libc.so.6");
#ifdef __x86_64__
	CHECK_CONTAINS(c, "|/lib/x86_64-linux-gnu/libc.so.6|/usr/lib/x86_64-linux-gnu/libc.so.6|");
#endif
	CHECK_INT(bb_uprobe_candidates("bash", "/usr/local/bin", NULL, tiny,
				       sizeof(tiny)), ==, -ENAMETOOLONG);
	CHECK_INT(bb_uprobe_candidates("bash", "/a", NULL, tiny, 0), ==,
		  -ENAMETOOLONG);
}

/* ------------------------------------------------------------------ */
/* A hand-made ET_EXEC: segment 1 maps vaddr 0x402000 to offset 0x1000 */

#define IMG_SIZE	0x2000
#define TEXT_OFF	0x1000
#define TEXT_ADDR	0x402000

static void add_sym(Elf64_Sym *s, uint32_t name, uint64_t value,
		    uint64_t size, uint16_t shndx, int type)
{
	s->st_name = name;
	s->st_info = ELF64_ST_INFO(STB_GLOBAL, type);
	s->st_shndx = shndx;
	s->st_value = value;
	s->st_size = size;
}

static uint8_t *make_exec(size_t *size)
{
	static const char strtab[] = "\0foo\0bar@@V1\0und\0data\0";
	static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab\0";
	uint8_t *img = calloc(1, IMG_SIZE);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	Elf64_Sym *sym = (Elf64_Sym *)(img + 0x1100);
	Elf64_Shdr *sh = (Elf64_Shdr *)(img + 0x1400);

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_shoff = 0x1400;
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	eh->e_shentsize = sizeof(*sh);
	eh->e_shnum = 5;
	eh->e_shstrndx = 4;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 0,
		.p_vaddr = 0x400000, .p_filesz = 0x1000, .p_memsz = 0x1000 };
	/* memsz past filesz: the tail is bss, with no file offset */
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = TEXT_OFF,
		.p_vaddr = TEXT_ADDR, .p_filesz = 0x100, .p_memsz = 0x200 };
	add_sym(&sym[1], 1, TEXT_ADDR + 0x10, 0x20, 1, STT_FUNC);	/* foo */
	add_sym(&sym[2], 5, TEXT_ADDR + 0x40, 0x10, 1, STT_FUNC);	/* bar@@V1 */
	add_sym(&sym[3], 13, 0, 0, SHN_UNDEF, STT_FUNC);		/* und */
	add_sym(&sym[4], 17, TEXT_ADDR + 0x180, 0x10, 1, STT_FUNC);	/* data */
	memcpy(img + 0x1200, strtab, sizeof(strtab));
	memcpy(img + 0x1300, shstr, sizeof(shstr));
	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_addr = TEXT_ADDR,
		.sh_offset = TEXT_OFF, .sh_size = 0x100, .sh_addralign = 16 };
	sh[2] = (Elf64_Shdr){ .sh_name = 7, .sh_type = SHT_SYMTAB,
		.sh_offset = 0x1100, .sh_size = 5 * sizeof(Elf64_Sym),
		.sh_link = 3, .sh_info = 1, .sh_addralign = 8,
		.sh_entsize = sizeof(Elf64_Sym) };
	sh[3] = (Elf64_Shdr){ .sh_name = 15, .sh_type = SHT_STRTAB,
		.sh_offset = 0x1200, .sh_size = sizeof(strtab),
		.sh_addralign = 1 };
	sh[4] = (Elf64_Shdr){ .sh_name = 23, .sh_type = SHT_STRTAB,
		.sh_offset = 0x1300, .sh_size = sizeof(shstr),
		.sh_addralign = 1 };
	*size = IMG_SIZE;
	return img;
}

TEST(uprobe_offset_et_exec)
{
	struct bb_elf *elf = NULL;
	uint64_t off = 0;
	size_t size;
	uint8_t *img = make_exec(&size);

	CHECK_INT(bb_elf_open(img, size, &elf), ==, 0);
	if (!elf) {
		fprintf(stderr, "  %s\n", bpfbox_errmsg());
		free(img);
		return;
	}
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "foo", 0, &off), ==, 0);
	CHECK_INT(off, ==, TEXT_OFF + 0x10);
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "foo", 8, &off), ==, 0);
	CHECK_INT(off, ==, TEXT_OFF + 0x18);
	/* "bar@@V1" is bar */
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "bar", 0, &off), ==, 0);
	CHECK_INT(off, ==, TEXT_OFF + 0x40);
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "foo", 0x20, &off), ==,
		  -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "past the end of foo");
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "und", 0, &off), ==,
		  -ENOENT);
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "nosuch", 0, &off), ==,
		  -ENOENT);
	CHECK_STR(bpfbox_errmsg(), "no function nosuch in img (.symtab, .dynsym)");
	CHECK_INT(bb_uprobe_func_offset(elf, "img", "data", 0, &off), ==,
		  -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "no file offset");
	bb_elf_free(elf);
	free(img);
}

/* ------------------------------------------------------------------ */
/* Real binaries, against a separate parse                             */

/*
 * the first defined function named name (or name@...) in a table; in
 * .dynsym the default version (versym without the hidden bit 0x8000):
 * memcpy@@GLIBC_2.14, not memcpy@GLIBC_2.2.5
 */
static const Elf64_Sym *raw_find(const uint8_t *img, size_t size,
				 const Elf64_Shdr *sh, const uint16_t *versym,
				 size_t nversym, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Shdr *str;
	size_t i, n = strlen(name);

	if (sh->sh_link >= eh->e_shnum)
		return NULL;
	str = (const Elf64_Shdr *)(img + eh->e_shoff) + sh->sh_link;
	if (sh->sh_offset + sh->sh_size > size ||
	    str->sh_offset + str->sh_size > size)
		return NULL;
	for (i = 0; i < sh->sh_size / sizeof(Elf64_Sym); i++) {
		const Elf64_Sym *s = (const Elf64_Sym *)(img + sh->sh_offset) + i;
		const char *nm = (const char *)img + str->sh_offset + s->st_name;

		if (s->st_name >= str->sh_size || s->st_shndx == SHN_UNDEF ||
		    (ELF64_ST_TYPE(s->st_info) != STT_FUNC &&
		     ELF64_ST_TYPE(s->st_info) != STT_GNU_IFUNC))
			continue;
		if (versym && i < nversym && (versym[i] & 0x8000))
			continue;
		if (!strncmp(nm, name, n) && (!nm[n] || nm[n] == '@'))
			return s;
	}
	return NULL;
}

/* expected file offset of name, or -1 */
static int64_t raw_offset(const uint8_t *img, size_t size, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);
	const uint16_t *versym = NULL;
	size_t nversym = 0;
	const Elf64_Sym *s = NULL;
	int pass, i;

	if (eh->e_shoff + eh->e_shnum * sizeof(*sh) > size ||
	    eh->e_phoff + eh->e_phnum * sizeof(*ph) > size)
		return -1;
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_GNU_versym &&
		    sh[i].sh_offset + sh[i].sh_size <= size) {
			versym = (const uint16_t *)(img + sh[i].sh_offset);
			nversym = sh[i].sh_size / 2;
		}
	/* .symtab first, as the library does */
	for (pass = 0; pass < 2 && !s; pass++)
		for (i = 0; i < eh->e_shnum && !s; i++)
			if (sh[i].sh_type == (pass ? SHT_DYNSYM : SHT_SYMTAB))
				s = raw_find(img, size, &sh[i],
					     pass ? versym : NULL, nversym, name);
	if (!s)
		return -1;
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && s->st_value >= ph[i].p_vaddr &&
		    s->st_value < ph[i].p_vaddr + ph[i].p_filesz)
			return s->st_value - ph[i].p_vaddr + ph[i].p_offset;
	return -1;
}

static void check_binary(const char *path, const char *const *funcs,
			 size_t nfuncs)
{
	struct bb_elf *elf = NULL;
	uint64_t off;
	int64_t want;
	size_t size, i;
	uint8_t *img = bb_test_read_file(path, &size);

	if (!img) {
		fprintf(stderr, "  (no %s here: not checked)\n", path);
		return;
	}
	CHECK_INT(bb_elf_open(img, size, &elf), ==, 0);
	for (i = 0; elf && i < nfuncs; i++) {
		want = raw_offset(img, size, funcs[i]);
		CHECK_INT(want, >, 0);
		off = 0;
		CHECK_INT(bb_uprobe_func_offset(elf, path, funcs[i], 0, &off),
			  ==, 0);
		CHECK_INT(off, ==, want);
	}
	bb_elf_free(elf);
	free(img);
}

TEST(uprobe_offset_bash)
{
	static const char *const funcs[] = { "main", "readline", "xmalloc" };

	check_binary("/bin/bash", funcs, 3);
}

TEST(uprobe_offset_libc)
{
	static const char *const funcs[] = { "getpid", "malloc", "free",
					     "memcpy" };
#ifdef __x86_64__
	check_binary("/lib/x86_64-linux-gnu/libc.so.6", funcs, 4);
#else
	(void)funcs;
#endif
}

TEST(uprobe_offset_self)
{
	static const char *const funcs[] = { "main", "bb_uprobe_func_offset" };

	check_binary("/proc/self/exe", funcs, 2);
}
