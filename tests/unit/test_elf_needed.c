// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Library dependencies without ld.so: the dynamic segment of a
 * hand-made ELF (good and broken), hand-made ld.so.cache files of both
 * formats (good and broken), the search order of bb_lib_candidates, and
 * /bin/bash and /etc/ld.so.cache of this machine.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "bpfbox.h"
#include "elf_needed.h"


/* ------------------------------------------------------------------ */
/* A hand-made shared object: no section headers, only segments        */

#define IMG_SIZE	0x1000
#define IMG_ADDR	0x10000
#define DYN_OFF		0x200
#define STR_OFF		0x400

/* offsets in the string table below */
static const char dynstr[] =
	"\0libreadline.so.8"		/* 1 */
	"\0libc.so.6"			/* 18 */
	"\0$ORIGIN/../lib:/opt/rl"	/* 28 */
	"\0/run/path"			/* 51 */
	"\0libme.so.1";			/* 61 */

struct img {
	uint8_t *buf;
	Elf64_Phdr *ph;
	Elf64_Dyn *dyn;
};

static void img_hdr(struct img *m, int phnum)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)m->buf;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = phnum;
}

static void make_img(struct img *m)
{
	Elf64_Dyn *d;

	m->buf = calloc(1, IMG_SIZE);
	m->ph = (Elf64_Phdr *)(m->buf + sizeof(Elf64_Ehdr));
	m->dyn = d = (Elf64_Dyn *)(m->buf + DYN_OFF);
	img_hdr(m, 2);
	m->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 0,
		.p_vaddr = IMG_ADDR, .p_filesz = IMG_SIZE,
		.p_memsz = IMG_SIZE };
	m->ph[1] = (Elf64_Phdr){ .p_type = PT_DYNAMIC, .p_offset = DYN_OFF,
		.p_vaddr = IMG_ADDR + DYN_OFF, .p_filesz = 10 * sizeof(*d),
		.p_memsz = 10 * sizeof(*d) };
	d[0] = (Elf64_Dyn){ DT_NEEDED, { 1 } };
	d[1] = (Elf64_Dyn){ DT_NEEDED, { 18 } };
	d[2] = (Elf64_Dyn){ DT_RPATH, { 28 } };
	d[3] = (Elf64_Dyn){ DT_RUNPATH, { 51 } };
	d[4] = (Elf64_Dyn){ DT_SONAME, { 61 } };
	d[5] = (Elf64_Dyn){ DT_STRTAB, { IMG_ADDR + STR_OFF } };
	d[6] = (Elf64_Dyn){ DT_STRSZ, { sizeof(dynstr) } };
	d[7] = (Elf64_Dyn){ DT_NULL, { 0 } };
	/* after DT_NULL: not read */
	d[8] = (Elf64_Dyn){ DT_NEEDED, { 5000 } };
	memcpy(m->buf + STR_OFF, dynstr, sizeof(dynstr));
}

/* bb_elf_dyn_read on the image as it is now: 0 or -errno */
static int dyn_of(struct img *m, struct bb_elf_dyn *dyn)
{
	struct bb_elf *elf = NULL;
	int err;

	err = bb_elf_open(m->buf, IMG_SIZE, &elf);
	if (err) {
		fprintf(stderr, "  open: %s\n", bpfbox_errmsg());
		return err;
	}
	err = bb_elf_dyn_read(elf, dyn);
	bb_elf_free(elf);
	return err;
}

TEST(elf_dyn_read_entries)
{
	struct bb_elf_dyn dyn;
	struct img m;

	make_img(&m);
	CHECK_INT(dyn_of(&m, &dyn), ==, 0);
	CHECK_INT(dyn.nneeded, ==, 2);
	CHECK_STR(dyn.needed[0], "libreadline.so.8");
	CHECK_STR(dyn.needed[1], "libc.so.6");
	CHECK_STR(dyn.rpath, "$ORIGIN/../lib:/opt/rl");
	CHECK_STR(dyn.runpath, "/run/path");
	CHECK_STR(dyn.soname, "libme.so.1");

	/* no PT_DYNAMIC: a static binary needs nothing */
	img_hdr(&m, 1);
	CHECK_INT(dyn_of(&m, &dyn), ==, 0);
	CHECK_INT(dyn.nneeded, ==, 0);
	CHECK(!dyn.rpath && !dyn.runpath && !dyn.soname);
	free(m.buf);
}

TEST(elf_dyn_read_broken)
{
	struct bb_elf_dyn dyn;
	struct img m;

	/* a name past DT_STRSZ */
	make_img(&m);
	m.dyn[1].d_un.d_val = sizeof(dynstr);
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "outside the string table");
	CHECK_INT(dyn.nneeded, ==, 0);
	free(m.buf);

	/* the string table cut before the NUL of the last name */
	make_img(&m);
	m.dyn[6].d_un.d_val = sizeof(dynstr) - 2;
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "not NUL-terminated");
	free(m.buf);

	/* the string table past the end of the file */
	make_img(&m);
	m.dyn[6].d_un.d_val = IMG_SIZE;
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "past the end of the file");
	free(m.buf);

	/* DT_STRTAB at an address no segment maps */
	make_img(&m);
	m.dyn[5].d_un.d_ptr = 0x900000;
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "DT_STRTAB 0x900000");
	free(m.buf);

	/* no DT_STRSZ */
	make_img(&m);
	m.dyn[6].d_tag = DT_DEBUG;
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "no DT_STRSZ");
	free(m.buf);

	/* names but no DT_STRTAB */
	make_img(&m);
	m.dyn[5].d_tag = DT_DEBUG;
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "no DT_STRTAB");
	free(m.buf);

	/* PT_DYNAMIC past the end of the file */
	make_img(&m);
	m.ph[1].p_filesz = IMG_SIZE;
	CHECK_INT(dyn_of(&m, &dyn), ==, -ENOEXEC);
	CHECK_CONTAINS(bpfbox_errmsg(), "PT_DYNAMIC at offset");
	free(m.buf);
}

/* ------------------------------------------------------------------ */
/* ld.so.cache                                                          */

#define NEW_MAGIC	"glibc-ld.so.cache1.1"

/*
 * A cache with the entries (key, value) of kv[] (NULL-terminated pairs)
 * at offset base of buf, strings after the entries (offsets are from
 * base, as glibc writes them). Returns the end.
 */
static size_t put_cache(uint8_t *buf, size_t base, const char *const *kv)
{
	uint8_t *h = buf + base;
	size_t n = 0, i, str;
	uint32_t v;

	while (kv[2 * n])
		n++;
	memcpy(h, NEW_MAGIC, strlen(NEW_MAGIC));
	v = n;
	memcpy(h + 20, &v, 4);
	h[28] = 2;		/* little-endian */
	str = 48 + n * 24;
	for (i = 0; i < n; i++) {
		uint8_t *e = h + 48 + i * 24;

		v = 0x303;
		memcpy(e, &v, 4);
		v = str;
		memcpy(e + 4, &v, 4);
		strcpy((char *)h + str, kv[2 * i]);
		str += strlen(kv[2 * i]) + 1;
		v = str;
		memcpy(e + 8, &v, 4);
		strcpy((char *)h + str, kv[2 * i + 1]);
		str += strlen(kv[2 * i + 1]) + 1;
	}
	return base + str;
}

static const char *const cache_kv[] = {
	"libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6",
	"libreadline.so.8", "/usr/lib/x86_64-linux-gnu/libreadline.so.8",
	"libreadline.so.8", "/opt/other/libreadline.so.8",
	NULL,
};

/* the strings found for name, '|'-separated, or "(err N)" */
static const char *cache_lookup(const uint8_t *buf, size_t size,
				const char *name)
{
	static char out[1024], list[1024];
	char *p = list;
	size_t left = sizeof(list), n = 0;
	const char *s;
	int found;

	found = bb_ld_cache_find(buf, size, name, &p, &left);
	if (found < 0) {
		snprintf(out, sizeof(out), "(err %d)", found);
		return out;
	}
	out[0] = '\0';
	for (s = list; found-- > 0; s += strlen(s) + 1)
		n += snprintf(out + n, sizeof(out) - n, "%s%s", n ? "|" : "", s);
	return out;
}

TEST(ld_cache_new_format)
{
	uint8_t *buf = calloc(1, 4096);
	size_t size = put_cache(buf, 0, cache_kv);

	CHECK_STR(cache_lookup(buf, size, "libreadline.so.8"),
		  "/usr/lib/x86_64-linux-gnu/libreadline.so.8|/opt/other/libreadline.so.8");
	CHECK_STR(cache_lookup(buf, size, "libc.so.6"),
		  "/lib/x86_64-linux-gnu/libc.so.6");
	CHECK_STR(cache_lookup(buf, size, "libnone.so"), "");
	/* the entries cut short */
	CHECK_STR(cache_lookup(buf, 48 + 24, "libc.so.6"), "(err -8)");
	CHECK_CONTAINS(bpfbox_errmsg(), "past the end");
	/* the last string cut */
	CHECK_STR(cache_lookup(buf, size - 1, "libc.so.6"), "(err -8)");
	CHECK_CONTAINS(bpfbox_errmsg(), "outside the file");
	/* big-endian */
	buf[28] = 3;
	CHECK_STR(cache_lookup(buf, size, "libc.so.6"), "(err -8)");
	buf[28] = 2;
	/* not a cache */
	buf[0] = 'x';
	CHECK_STR(cache_lookup(buf, size, "libc.so.6"), "(err -8)");
	CHECK_CONTAINS(bpfbox_errmsg(), "ld.so.cache: neither");
	CHECK_STR(cache_lookup(buf, 10, "libc.so.6"), "(err -8)");
	free(buf);
}

TEST(ld_cache_old_then_new)
{
	uint8_t *buf = calloc(1, 4096);
	uint32_t nold = 3;
	size_t size, base;

	/* 16 + 3 * 12 = 52, aligned to 56 */
	memcpy(buf, "ld.so-1.7.0", 11);
	memcpy(buf + 12, &nold, 4);
	base = 56;
	size = put_cache(buf, base, cache_kv);
	CHECK_STR(cache_lookup(buf, size, "libc.so.6"),
		  "/lib/x86_64-linux-gnu/libc.so.6");
	/* the old table alone */
	CHECK_STR(cache_lookup(buf, base + 20, "libc.so.6"), "(err -8)");
	CHECK_CONTAINS(bpfbox_errmsg(), "old format only");
	/* an old count that points past the end */
	nold = 0xffffffff;
	memcpy(buf + 12, &nold, 4);
	CHECK_STR(cache_lookup(buf, size, "libc.so.6"), "(err -8)");
	free(buf);
}

/* ------------------------------------------------------------------ */
/* Search order                                                         */

static const char *cands(const struct bb_lib_search *s, const char *name)
{
	static char buf[8192], out[8192];
	size_t n = 0;
	char *p;

	if (bb_lib_candidates(s, name, buf, sizeof(buf)))
		return "(error)";
	out[0] = '\0';
	for (p = buf; *p; p += strlen(p) + 1)
		n += snprintf(out + n, sizeof(out) - n, "%s%s", n ? "|" : "", p);
	return out;
}

TEST(lib_candidates_order)
{
	uint8_t *cache = calloc(1, 4096);
	struct bb_lib_search s = {
		.origin = "/usr/bin",
		.rpath = "$ORIGIN/../lib:/opt/rl",
		.ld_library_path = "/ll1::/ll2",
	};
	const char *c;
	char tiny[16];

	s.cache_size = put_cache(cache, 0, cache_kv);
	s.cache = cache;
	/* RPATH first, then LD_LIBRARY_PATH ("" is the current dir) */
	c = cands(&s, "libreadline.so.8");
	CHECK(!strncmp(c, "/usr/bin/../lib/libreadline.so.8|/opt/rl/libreadline.so.8|/ll1/libreadline.so.8|./libreadline.so.8|/ll2/libreadline.so.8|/usr/lib/x86_64-linux-gnu/libreadline.so.8|/opt/other/libreadline.so.8|",
		       strlen("/usr/bin/../lib/libreadline.so.8|/opt/rl/libreadline.so.8|/ll1/libreadline.so.8|./libreadline.so.8|/ll2/libreadline.so.8|/usr/lib/x86_64-linux-gnu/libreadline.so.8|/opt/other/libreadline.so.8|")));
	/* then the standard directories */
	CHECK_CONTAINS(c, "|/lib/libreadline.so.8|/usr/lib/libreadline.so.8");

	/* a RUNPATH hides the RPATH, and comes after LD_LIBRARY_PATH */
	s.runpath = "${ORIGIN}/rl:/x/$LIB:/y/$ORIGINAL:$ORIGIN";
	s.ld_library_path = NULL;
	c = cands(&s, "libc.so.6");
	CHECK(!strncmp(c, "/usr/bin/rl/libc.so.6|/usr/bin/libc.so.6|/lib/x86_64-linux-gnu/libc.so.6|",
		       strlen("/usr/bin/rl/libc.so.6|/usr/bin/libc.so.6|/lib/x86_64-linux-gnu/libc.so.6|")));
	CHECK(!strstr(c, "$"));
	CHECK(!strstr(c, "/opt/rl"));

	/* without an origin, $ORIGIN entries are skipped */
	s.origin = NULL;
	c = cands(&s, "libc.so.6");
	CHECK(!strncmp(c, "/lib/x86_64-linux-gnu/libc.so.6|", 32));

	/* a broken cache is skipped, as ld.so does */
	s.cache_size = 30;
	s.runpath = NULL;
	s.rpath = NULL;
	c = cands(&s, "libreadline.so.8");
	CHECK(!strstr(c, "/opt/other"));
	CHECK_CONTAINS(c, "/usr/lib/libreadline.so.8");

	/* a path is itself */
	CHECK_STR(cands(&s, "./lib/x.so"), "./lib/x.so");
	CHECK_INT(bb_lib_candidates(&s, "libreadline.so.8", tiny,
				    sizeof(tiny)), ==, -ENAMETOOLONG);
	CHECK_INT(bb_lib_candidates(&s, "x.so", tiny, 0), ==, -ENAMETOOLONG);
	free(cache);
}

/* ------------------------------------------------------------------ */
/* This machine                                                         */

TEST(elf_dyn_read_bash_and_cache)
{
	struct bb_elf *elf = NULL;
	struct bb_elf_dyn dyn;
	size_t size, i;
	bool libc = false;
	char list[4096], *p = list;
	size_t left = sizeof(list);
	void *buf;

	buf = bb_test_read_file("/bin/bash", &size);
	if (!buf) {
		fprintf(stderr, "  skip: no /bin/bash\n");
		return;
	}
	CHECK_INT(bb_elf_open(buf, size, &elf), ==, 0);
	if (elf) {
		CHECK_INT(bb_elf_dyn_read(elf, &dyn), ==, 0);
		for (i = 0; i < dyn.nneeded; i++)
			libc |= !strcmp(dyn.needed[i], "libc.so.6");
		CHECK(libc);
	}
	bb_elf_free(elf);
	free(buf);

	buf = bb_test_read_file("/etc/ld.so.cache", &size);
	if (!buf)
		return;
	CHECK_INT(bb_ld_cache_find(buf, size, "libc.so.6", &p, &left), >=, 1);
	CHECK_CONTAINS(list, "/libc.so.6");
	free(buf);
}
