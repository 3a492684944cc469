// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF64 little-endian reader. Pure: bytes in, tables out, no syscalls.
 *
 * The input is untrusted (fuzzed, and opened for uprobes on arbitrary
 * binaries), so every offset, size and count from the file is checked
 * with overflow-safe arithmetic before anything is read through it.
 * Fields are decoded byte by byte: the buffer may be unaligned and the
 * host need not be little-endian. Names point into the buffer, and only
 * after their terminating NUL has been found inside their string table.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "elf.h"

/*
 * The ELF constants used here, spelled out: with -Ilib, <elf.h> would
 * find this directory's elf.h, and <linux/elf.h> lacks SHN_XINDEX and
 * friends. Values from the System V gABI.
 */
#define EI_NIDENT	16
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFMAG		"\177ELF"
#define SELFMAG		4
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2
#define EV_CURRENT	1
#define ET_NONE		0
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define ET_CORE		4
#define SHT_NULL	0
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHT_DYNSYM	11
#define SHT_SYMTAB_SHNDX 18
#define SHT_GNU_versym	0x6fffffff
#define VERSYM_HIDDEN	0x8000
#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_XINDEX	0xffff
#define PN_XNUM		0xffff
#define PT_LOAD		1
#define STT_FUNC	2
#define STT_GNU_IFUNC	10

#define EHDR_SIZE	64	/* sizeof(Elf64_Ehdr) */
#define SHDR_SIZE	64	/* sizeof(Elf64_Shdr) */
#define PHDR_SIZE	56	/* sizeof(Elf64_Phdr) */
#define SYM_SIZE	24	/* sizeof(Elf64_Sym) */
#define REL_SIZE	16	/* sizeof(Elf64_Rel) */
#define RELA_SIZE	24	/* sizeof(Elf64_Rela) */
#define SHNDX_SIZE	4	/* one Elf32_Word per symbol */

typedef unsigned long long ull;	/* for printf of uint64_t */

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Does [off, off + len) lie inside a buffer of size bytes? */
static bool range_ok(size_t size, uint64_t off, uint64_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, len, &end) && end <= size;
}

/* Does the table of n entries of entsz bytes at off fit in size bytes? */
static bool table_ok(size_t size, uint64_t off, uint64_t n, uint64_t entsz)
{
	uint64_t len;

	return !__builtin_mul_overflow(n, entsz, &len) &&
	       range_ok(size, off, len);
}

/* What the ELF header says, plus section 0 for extended numbering. */
struct hdr {
	uint16_t type, machine;
	uint64_t phoff, shoff;
	uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
	uint64_t sh0_size;		/* section count when e_shnum == 0 */
	uint32_t sh0_link;		/* shstrndx when SHN_XINDEX */
	uint32_t sh0_info;		/* phnum when PN_XNUM */
};

static int check_ident(const uint8_t *b, size_t size)
{
	if (size < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG))
		return bb_err(ENOEXEC, "ELF: not an ELF file (no \\x7fELF magic in the first 4 of %zu bytes)",
			      size);
	if (b[EI_CLASS] == ELFCLASS32)
		return bb_err(ENOEXEC, "ELF: 32-bit ELF (ELFCLASS32) is not supported, only ELF64");
	if (b[EI_CLASS] != ELFCLASS64)
		return bb_err(ENOEXEC, "ELF: bad class %u in e_ident[EI_CLASS] (expected ELFCLASS64)",
			      b[EI_CLASS]);
	if (b[EI_DATA] == ELFDATA2MSB)
		return bb_err(ENOEXEC, "ELF: big-endian ELF (ELFDATA2MSB) is not supported, only little-endian");
	if (b[EI_DATA] != ELFDATA2LSB)
		return bb_err(ENOEXEC, "ELF: bad data encoding %u in e_ident[EI_DATA] (expected ELFDATA2LSB)",
			      b[EI_DATA]);
	if (b[EI_VERSION] != EV_CURRENT)
		return bb_err(ENOEXEC, "ELF: bad version %u in e_ident[EI_VERSION] (expected %u)",
			      b[EI_VERSION], EV_CURRENT);
	if (size < EHDR_SIZE)
		return bb_err(ENOEXEC, "ELF: file too small for an ELF64 header (%zu bytes < %d)",
			      size, EHDR_SIZE);
	return 0;
}

static int read_hdr(const uint8_t *b, size_t size, struct hdr *h)
{
	int err = check_ident(b, size);

	if (err)
		return err;
	memset(h, 0, sizeof(*h));
	h->type = le16(b + 16);
	h->machine = le16(b + 18);
	h->phoff = le64(b + 32);
	h->shoff = le64(b + 40);
	h->phentsize = le16(b + 54);
	h->phnum = le16(b + 56);
	h->shentsize = le16(b + 58);
	h->shnum = le16(b + 60);
	h->shstrndx = le16(b + 62);
	if (h->type != ET_REL && h->type != ET_EXEC && h->type != ET_DYN)
		return bb_err(ENOEXEC, "ELF: unsupported file type e_type %u (%s); only ET_REL, ET_EXEC and ET_DYN are read",
			      h->type, h->type == ET_CORE ? "ET_CORE, a core dump" :
			      h->type == ET_NONE ? "ET_NONE" : "unknown");
	if (!h->shoff)
		return 0;
	if (h->shentsize != SHDR_SIZE)
		return bb_err(EINVAL, "ELF: section header size e_shentsize is %u, expected %d",
			      h->shentsize, SHDR_SIZE);
	if (!range_ok(size, h->shoff, SHDR_SIZE))
		return bb_err(EINVAL, "ELF: section header table at offset %llu is past end of file (size %zu)",
			      (ull)h->shoff, size);
	/* Section 0 carries the counts that overflow the 16-bit fields. */
	h->sh0_size = le64(b + h->shoff + 32);
	h->sh0_link = le32(b + h->shoff + 40);
	h->sh0_info = le32(b + h->shoff + 44);
	return 0;
}

/*
 * A string table checked once: offsets below lim have a NUL at or after
 * them inside the table. Finding the last NUL up front makes each name
 * lookup O(1); a memchr per name would make crafted files quadratic.
 */
struct strtab {
	const uint8_t *data;
	uint64_t size, lim;
};

static void strtab_init(const struct bb_elf_sec *s, struct strtab *st)
{
	st->data = s->data;
	st->size = s->size;
	st->lim = s->size;
	while (st->lim && st->data[st->lim - 1])
		st->lim--;
}

/* The string at off, or NULL if it is not NUL-terminated in the table. */
static const char *strtab_get(const struct strtab *st, uint32_t off)
{
	/* an empty table still names everything "" by offset 0 */
	if (!off && !st->size)
		return "";
	return off < st->lim ? (const char *)st->data + off : NULL;
}

static void read_shdr(const uint8_t *p, struct bb_elf_sec *s)
{
	s->name = "";
	s->type = le32(p + 4);
	s->flags = le64(p + 8);
	s->addr = le64(p + 16);
	s->offset = le64(p + 24);
	s->size = le64(p + 32);
	s->link = le32(p + 40);
	s->info = le32(p + 44);
	s->align = le64(p + 48);
	s->entsize = le64(p + 56);
}

/* Point data at the section's bytes, checking they are in the file. */
static int map_sec_data(struct bb_elf *elf, size_t i)
{
	struct bb_elf_sec *s = &elf->secs[i];

	/* SHT_NULL fields are reused by extended numbering: not a range */
	if (s->type == SHT_NOBITS || s->type == SHT_NULL || !s->size)
		return 0;
	if (!range_ok(elf->size, s->offset, s->size))
		return bb_err(EINVAL, "ELF: section %zu (%s) extends past end of file (offset %llu + size %llu > %zu)",
			      i, *s->name ? s->name : "unnamed", (ull)s->offset,
			      (ull)s->size, elf->size);
	s->data = elf->buf + s->offset;
	return 0;
}

/* The section name table: index checked, data mapped, before any name. */
static int map_shstrtab(struct bb_elf *elf, const struct hdr *h,
			uint64_t *idx)
{
	*idx = h->shstrndx;
	if (h->shstrndx == SHN_XINDEX)
		*idx = h->sh0_link;
	else if (h->shstrndx >= SHN_LORESERVE)
		return bb_err(EINVAL, "ELF: section name table index e_shstrndx %u is a reserved value",
			      h->shstrndx);
	if (*idx == SHN_UNDEF)
		return 0;		/* no section names: all are "" */
	if (*idx >= elf->nsecs)
		return bb_err(EINVAL, "ELF: section name table index e_shstrndx %llu out of range (%zu sections)",
			      (ull)*idx, elf->nsecs);
	if (elf->secs[*idx].type != SHT_STRTAB)
		return bb_err(EINVAL, "ELF: section name table (section %llu) has type %u, not SHT_STRTAB",
			      (ull)*idx, elf->secs[*idx].type);
	return map_sec_data(elf, *idx);
}

static int name_secs(struct bb_elf *elf, const struct hdr *h,
		     uint64_t shstrndx)
{
	struct strtab st;
	size_t i;

	if (!shstrndx)
		return 0;
	strtab_init(&elf->secs[shstrndx], &st);
	for (i = 0; i < elf->nsecs; i++) {
		uint32_t off = le32(elf->buf + h->shoff + i * SHDR_SIZE);
		const char *name = strtab_get(&st, off);

		if (!name)
			return bb_err(EINVAL, "ELF: section %zu: name at offset %u is not a NUL-terminated string inside the section name table (section %llu, size %llu)",
				      i, off, (ull)shstrndx,
				      (ull)elf->secs[shstrndx].size);
		elf->secs[i].name = name;
	}
	return 0;
}

/* Entry size the ELF spec fixes for a table section type, or 0. */
static uint64_t table_entsize(uint32_t type)
{
	switch (type) {
	case SHT_SYMTAB:
	case SHT_DYNSYM:
		return SYM_SIZE;
	case SHT_REL:
		return REL_SIZE;
	case SHT_RELA:
		return RELA_SIZE;
	case SHT_SYMTAB_SHNDX:
		return SHNDX_SIZE;
	}
	return 0;
}

/* Record where the (single) symbol table of a kind is. */
static int note_symtab(struct bb_elf *elf, size_t i, int *slot,
		       const char *kind)
{
	const struct bb_elf_sec *s = &elf->secs[i];

	if (*slot >= 0)
		return bb_err(EINVAL, "ELF: more than one %s section (sections %d and %zu); the ELF spec allows one",
			      kind, *slot, i);
	if (s->link >= elf->nsecs || elf->secs[s->link].type != SHT_STRTAB)
		return bb_err(EINVAL, "ELF: symbol table section %zu (%s) links to section %u, which is not a string table",
			      i, s->name, s->link);
	*slot = (int)i;
	return 0;
}

/*
 * Table sections are read by entry later (symbols now, relocations on
 * demand), so their geometry is checked once here, where the error can
 * name the section.
 */
static int check_table(struct bb_elf *elf, size_t i)
{
	const struct bb_elf_sec *s = &elf->secs[i];
	uint64_t ent = table_entsize(s->type);

	if (!ent)
		return 0;
	if (s->entsize != ent)
		return bb_err(EINVAL, "ELF: section %zu (%s) of type %u has entry size sh_entsize %llu, expected %llu",
			      i, s->name, s->type, (ull)s->entsize, (ull)ent);
	if (s->size % ent)
		return bb_err(EINVAL, "ELF: section %zu (%s) size %llu is not a multiple of its entry size %llu",
			      i, s->name, (ull)s->size, (ull)ent);
	if (s->type == SHT_SYMTAB)
		return note_symtab(elf, i, &elf->symtab_idx, "SHT_SYMTAB");
	if (s->type == SHT_DYNSYM)
		return note_symtab(elf, i, &elf->dynsym_idx, "SHT_DYNSYM");
	return 0;
}

static int parse_secs(struct bb_elf *elf, const struct hdr *h)
{
	uint64_t n = h->shnum, shstrndx;
	size_t i;
	int err;

	if (!h->shoff) {
		if (h->shnum)
			return bb_err(EINVAL, "ELF: e_shnum is %u but there is no section header table (e_shoff is 0)",
				      h->shnum);
		return 0;
	}
	if (!n)
		n = h->sh0_size;	/* extended numbering */
	if (!table_ok(elf->size, h->shoff, n, SHDR_SIZE))
		return bb_err(EINVAL, "ELF: section header table (offset %llu, %llu entries of %d bytes) extends past end of file (size %zu)",
			      (ull)h->shoff, (ull)n, SHDR_SIZE, elf->size);
	if (n > INT32_MAX)
		return bb_err(EINVAL, "ELF: too many sections (%llu)", (ull)n);
	if (!n)
		return 0;
	elf->secs = calloc(n, sizeof(*elf->secs));
	if (!elf->secs)
		return bb_err(ENOMEM, "ELF: out of memory for %llu sections",
			      (ull)n);
	elf->nsecs = n;
	for (i = 0; i < n; i++)
		read_shdr(elf->buf + h->shoff + i * SHDR_SIZE, &elf->secs[i]);

	err = map_shstrtab(elf, h, &shstrndx);
	if (!err)
		err = name_secs(elf, h, shstrndx);
	for (i = 0; !err && i < n; i++) {
		err = map_sec_data(elf, i);
		if (!err)
			err = check_table(elf, i);
	}
	return err;
}

/* The SHT_SYMTAB_SHNDX section that extends symbol table symsec, or -1. */
static int find_shndx_sec(const struct bb_elf *elf, int symsec)
{
	size_t i;

	for (i = 0; i < elf->nsecs; i++)
		if (elf->secs[i].type == SHT_SYMTAB_SHNDX &&
		    elf->secs[i].link == (uint32_t)symsec)
			return (int)i;
	return -1;
}

/*
 * Resolve a symbol's section index. SHN_XINDEX means the real index is
 * entry i of the SHT_SYMTAB_SHNDX section; it is kept only if it fits
 * bb_elf_sym.shndx without colliding with the reserved SHN_* values.
 */
static int sym_shndx(const struct bb_elf *elf, int xsec, size_t i,
		     struct bb_elf_sym *sym)
{
	const struct bb_elf_sec *xs;
	uint32_t x;

	if (sym->shndx != SHN_XINDEX) {
		if (sym->shndx != SHN_UNDEF && sym->shndx < SHN_LORESERVE &&
		    sym->shndx >= elf->nsecs)
			return bb_err(EINVAL, "ELF: symbol %zu (%s) refers to section %u, but there are only %zu sections",
				      i, sym->name, sym->shndx, elf->nsecs);
		return 0;
	}
	if (xsec < 0)
		return bb_err(EINVAL, "ELF: symbol %zu (%s) has an extended section index (SHN_XINDEX) but there is no SHT_SYMTAB_SHNDX section for its symbol table",
			      i, sym->name);
	xs = &elf->secs[xsec];
	if (i >= xs->size / SHNDX_SIZE)
		return bb_err(EINVAL, "ELF: symbol %zu (%s) has no entry in SHT_SYMTAB_SHNDX section %d (%s), which has %llu",
			      i, sym->name, xsec, xs->name,
			      (ull)(xs->size / SHNDX_SIZE));
	x = le32(xs->data + i * SHNDX_SIZE);
	if (x >= elf->nsecs)
		return bb_err(EINVAL, "ELF: symbol %zu (%s) has extended section index %u, but there are only %zu sections",
			      i, sym->name, x, elf->nsecs);
	if (x >= SHN_LORESERVE)
		return bb_err(EINVAL, "ELF: symbol %zu (%s) is in section %u; section indexes from %u up are not supported",
			      i, sym->name, x, SHN_LORESERVE);
	sym->shndx = (uint16_t)x;
	return 0;
}

static int read_sym(const struct bb_elf *elf, int symsec, int xsec,
		    const struct strtab *st, size_t i, struct bb_elf_sym *sym)
{
	const struct bb_elf_sec *s = &elf->secs[symsec];
	const uint8_t *p = s->data + i * SYM_SIZE;
	uint32_t name = le32(p);

	sym->name = strtab_get(st, name);
	if (!sym->name)
		return bb_err(EINVAL, "ELF: symbol %zu in section %d (%s): name at offset %u is not a NUL-terminated string inside string table section %u",
			      i, symsec, s->name, name, s->link);
	sym->bind = p[4] >> 4;		/* ELF64_ST_BIND */
	sym->type = p[4] & 0xf;		/* ELF64_ST_TYPE */
	sym->visibility = p[5] & 0x3;	/* ELF64_ST_VISIBILITY */
	sym->shndx = le16(p + 6);
	sym->value = le64(p + 8);
	sym->size = le64(p + 16);
	return sym_shndx(elf, xsec, i, sym);
}

static int parse_syms(const struct bb_elf *elf, int symsec,
		      struct bb_elf_sym **out, size_t *nout)
{
	size_t i, n = elf->secs[symsec].size / SYM_SIZE;
	int xsec = find_shndx_sec(elf, symsec), err = 0;
	struct bb_elf_sym *syms;
	struct strtab st;

	if (!n)
		return 0;
	/* the link was checked to be a string table at open */
	strtab_init(&elf->secs[elf->secs[symsec].link], &st);
	syms = calloc(n, sizeof(*syms));
	if (!syms)
		return bb_err(ENOMEM, "ELF: out of memory for %zu symbols", n);
	for (i = 0; i < n; i++) {
		err = read_sym(elf, symsec, xsec, &st, i, &syms[i]);
		if (err)
			goto err_free;
	}
	*out = syms;
	*nout = n;
	return 0;
err_free:
	free(syms);
	return err;
}

static int parse_phdrs(struct bb_elf *elf, const struct hdr *h)
{
	uint64_t n = h->phnum;
	size_t i;

	if (h->phnum == PN_XNUM) {
		if (!h->shoff)
			return bb_err(EINVAL, "ELF: e_phnum is PN_XNUM but there is no section 0 holding the real count");
		n = h->sh0_info;
	}
	if (!n)
		return 0;
	if (h->phentsize != PHDR_SIZE)
		return bb_err(EINVAL, "ELF: program header size e_phentsize is %u, expected %d",
			      h->phentsize, PHDR_SIZE);
	if (!table_ok(elf->size, h->phoff, n, PHDR_SIZE))
		return bb_err(EINVAL, "ELF: program header table (offset %llu, %llu entries of %d bytes) extends past end of file (size %zu)",
			      (ull)h->phoff, (ull)n, PHDR_SIZE, elf->size);
	elf->phdrs = calloc(n, sizeof(*elf->phdrs));
	if (!elf->phdrs)
		return bb_err(ENOMEM, "ELF: out of memory for %llu program headers",
			      (ull)n);
	elf->nphdrs = n;
	for (i = 0; i < n; i++) {
		const uint8_t *p = elf->buf + h->phoff + i * PHDR_SIZE;
		struct bb_elf_phdr *ph = &elf->phdrs[i];

		ph->type = le32(p);
		ph->flags = le32(p + 4);
		ph->offset = le64(p + 8);
		ph->vaddr = le64(p + 16);
		ph->filesz = le64(p + 32);
		ph->memsz = le64(p + 40);
		ph->align = le64(p + 48);
	}
	return 0;
}

int bb_elf_open(const void *buf, size_t size, struct bb_elf **out)
{
	struct bb_elf *elf;
	struct hdr h;
	int err;

	if (!out)
		return bb_err(EINVAL, "ELF: bb_elf_open needs somewhere to return the handle");
	*out = NULL;
	if (!buf && size)
		return bb_err(EINVAL, "ELF: NULL buffer of %zu bytes", size);
	err = read_hdr(buf, buf ? size : 0, &h);
	if (err)
		return err;
	elf = calloc(1, sizeof(*elf));
	if (!elf)
		return bb_err(ENOMEM, "ELF: out of memory");
	elf->buf = buf;
	elf->size = size;
	elf->type = h.type;
	elf->machine = h.machine;
	elf->symtab_idx = -1;
	elf->dynsym_idx = -1;

	err = parse_secs(elf, &h);
	if (err)
		goto err_free;
	err = parse_phdrs(elf, &h);
	if (err)
		goto err_free;
	if (elf->symtab_idx >= 0) {
		err = parse_syms(elf, elf->symtab_idx, &elf->syms, &elf->nsyms);
		if (err)
			goto err_free;
	}
	if (elf->dynsym_idx >= 0) {
		err = parse_syms(elf, elf->dynsym_idx, &elf->dynsyms,
				 &elf->ndynsyms);
		if (err)
			goto err_free;
	}
	*out = elf;
	return 0;
err_free:
	bb_elf_free(elf);
	return err;
}

void bb_elf_free(struct bb_elf *elf)
{
	if (!elf)
		return;
	free(elf->secs);
	free(elf->syms);
	free(elf->dynsyms);
	free(elf->phdrs);
	free(elf);
}

int bb_elf_find_sec(const struct bb_elf *elf, const char *name)
{
	size_t i;

	if (!elf || !name)
		return bb_err(EINVAL, "ELF: bb_elf_find_sec needs an ELF and a name");
	for (i = 0; i < elf->nsecs; i++)
		if (!strcmp(elf->secs[i].name, name))
			return (int)i;
	return bb_err(ENOENT, "ELF: no section named %s", name);
}

/* The relocation section idx and its entry size; res is the caller's. */
static int rel_sec(const struct bb_elf *elf, int idx, const void *res,
		   const struct bb_elf_sec **out, size_t *entsz)
{
	const struct bb_elf_sec *s;

	if (!res)
		return bb_err(EINVAL, "ELF: no place for the relocation result");
	if (!elf || idx < 0 || (size_t)idx >= elf->nsecs)
		return bb_err(EINVAL, "ELF: relocation section index %d out of range (%zu sections)",
			      idx, elf ? elf->nsecs : 0);
	s = &elf->secs[idx];
	if (s->type != SHT_REL && s->type != SHT_RELA)
		return bb_err(EINVAL, "ELF: section %d (%s) is not a relocation section (type %u, not SHT_REL or SHT_RELA)",
			      idx, s->name, s->type);
	*out = s;
	*entsz = s->type == SHT_REL ? REL_SIZE : RELA_SIZE;
	return 0;
}

int bb_elf_rel_count(const struct bb_elf *elf, int relsec_idx, size_t *cnt)
{
	const struct bb_elf_sec *s;
	size_t entsz;
	int err = rel_sec(elf, relsec_idx, cnt, &s, &entsz);

	if (err)
		return err;
	/* size is a multiple of the entry size: checked at open */
	*cnt = s->size / entsz;
	return 0;
}

/* Number of symbols in the table a relocation section links to. */
static size_t rel_nsyms(const struct bb_elf *elf, const struct bb_elf_sec *s)
{
	const struct bb_elf_sec *st;

	if (s->link >= elf->nsecs)
		return 0;
	st = &elf->secs[s->link];
	if (st->type != SHT_SYMTAB && st->type != SHT_DYNSYM)
		return 0;
	return st->size / SYM_SIZE;
}

int bb_elf_rel_get(const struct bb_elf *elf, int relsec_idx, size_t i,
		   struct bb_elf_rel *out)
{
	const struct bb_elf_sec *s;
	const uint8_t *p;
	size_t entsz, nsyms;
	uint64_t info;
	int err = rel_sec(elf, relsec_idx, out, &s, &entsz);

	if (err)
		return err;
	if (i >= s->size / entsz)
		return bb_err(EINVAL, "ELF: relocation %zu out of range in section %d (%s), which has %llu",
			      i, relsec_idx, s->name, (ull)(s->size / entsz));
	p = s->data + i * entsz;
	info = le64(p + 8);
	/* ELF64_R_SYM / ELF64_R_TYPE: the layout of x86_64 and BPF alike */
	out->offset = le64(p);
	out->sym = info >> 32;
	out->type = (uint32_t)info;
	out->addend = s->type == SHT_RELA ? (int64_t)le64(p + 16) : 0;

	/*
	 * Symbol 0 means "no symbol" and is allowed even without a table:
	 * dynamic R_X86_64_RELATIVE entries of static PIEs look like that.
	 */
	nsyms = rel_nsyms(elf, s);
	if (out->sym && out->sym >= nsyms)
		return bb_err(EINVAL, "ELF: relocation %zu in section %d (%s) refers to symbol %u, but its symbol table (section %u) has only %zu symbols",
			      i, relsec_idx, s->name, out->sym, s->link, nsyms);
	return 0;
}

int bb_elf_vaddr_to_offset(const struct bb_elf *elf, uint64_t vaddr,
			   uint64_t *offset)
{
	size_t i;

	if (!elf || !offset)
		return bb_err(EINVAL, "ELF: bb_elf_vaddr_to_offset needs an ELF and an output");
	for (i = 0; i < elf->nphdrs; i++) {
		const struct bb_elf_phdr *ph = &elf->phdrs[i];
		uint64_t delta = vaddr - ph->vaddr;

		if (ph->type != PT_LOAD || vaddr < ph->vaddr ||
		    delta >= ph->memsz)
			continue;
		/* bss: in memory, but nothing in the file to probe */
		if (delta >= ph->filesz)
			return bb_err(ENOENT, "ELF: address 0x%llx is in segment %zu past its file contents (p_filesz %llu), so it has no file offset",
				      (ull)vaddr, i, (ull)ph->filesz);
		if (!range_ok(elf->size, ph->offset, ph->filesz))
			return bb_err(EINVAL, "ELF: segment %zu holding address 0x%llx extends past end of file (offset %llu + size %llu > %zu)",
				      i, (ull)vaddr, (ull)ph->offset,
				      (ull)ph->filesz, elf->size);
		*offset = ph->offset + delta;
		return 0;
	}
	return bb_err(ENOENT, "ELF: address 0x%llx is not in any PT_LOAD segment",
		      (ull)vaddr);
}

/*
 * The .gnu.version entries of .dynsym (one u16 per symbol), or NULL.
 * libc exports memcpy@GLIBC_2.2.5 and memcpy@@GLIBC_2.14 under the same
 * plain name; a probe should land on the default one programs bind to,
 * not on a version marked hidden.
 */
static const uint8_t *find_versym(const struct bb_elf *elf, size_t *n)
{
	size_t i;

	for (i = 0; i < elf->nsecs; i++) {
		const struct bb_elf_sec *s = &elf->secs[i];

		if (s->type == SHT_GNU_versym && s->data &&
		    s->link == (uint32_t)elf->dynsym_idx) {
			*n = s->size / 2;
			return s->data;
		}
	}
	*n = 0;
	return NULL;
}

static bool is_func(const struct bb_elf_sym *s, const char *name)
{
	/* undefined entries are imports, defined elsewhere */
	return (s->type == STT_FUNC || s->type == STT_GNU_IFUNC) &&
	       s->shndx != SHN_UNDEF && !strcmp(s->name, name);
}

int bb_elf_find_func(const struct bb_elf *elf, const char *name,
		     struct bb_elf_sym *out)
{
	const struct bb_elf_sym *found = NULL;
	const uint8_t *versym;
	size_t i, nversym;

	if (!elf || !name || !out)
		return bb_err(EINVAL, "ELF: bb_elf_find_func needs an ELF, a name and an output");
	for (i = 0; i < elf->nsyms; i++) {
		if (is_func(&elf->syms[i], name)) {
			*out = elf->syms[i];
			return 0;
		}
	}
	versym = find_versym(elf, &nversym);
	for (i = 0; i < elf->ndynsyms; i++) {
		if (!is_func(&elf->dynsyms[i], name))
			continue;
		if (!found)
			found = &elf->dynsyms[i];
		if (i >= nversym || !(le16(versym + i * 2) & VERSYM_HIDDEN)) {
			found = &elf->dynsyms[i];
			break;
		}
	}
	if (!found)
		return bb_err(ENOENT, "ELF: no function named %s in .symtab or .dynsym",
			      name);
	*out = *found;
	return 0;
}
