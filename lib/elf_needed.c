// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Shared-library dependencies, the way ld.so resolves them (see
 * elf_needed.h). Pure: bytes in, names out. Every offset read from the
 * ELF or the cache is checked against its buffer, and a string is used
 * only after its NUL was found inside the table it belongs to.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "elf_needed.h"
#include "uprobe_resolve.h"

/* gABI values (lib/elf.c spells out its own too) */
#define PT_DYNAMIC	2
#define DT_NULL		0
#define DT_NEEDED	1
#define DT_STRTAB	5
#define DT_STRSZ	10
#define DT_SONAME	14
#define DT_RPATH	15
#define DT_RUNPATH	29
#define DYN_SIZE	16	/* sizeof(Elf64_Dyn) */

typedef unsigned long long ull;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* [off, off + len) inside size bytes, without overflow */
static bool in_buf(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* ------------------------------------------------------------------ */
/* The dynamic segment                                                  */

struct dyn_scan {
	const uint8_t *dyn;	/* the entries */
	size_t n;		/* how many fit in the segment */
	const char *str;	/* DT_STRTAB in the buffer */
	uint64_t strsz;
	/* offsets below this have a NUL at or after them in the table:
	 * found once, so that crafted entries cannot make it quadratic */
	uint64_t str_lim;
};

static const struct bb_elf_phdr *find_dynamic(const struct bb_elf *elf)
{
	size_t i;

	for (i = 0; i < elf->nphdrs; i++)
		if (elf->phdrs[i].type == PT_DYNAMIC)
			return &elf->phdrs[i];
	return NULL;
}

/* DT_STRTAB (an address) and DT_STRSZ -> the string table's bytes */
static int find_strtab(const struct bb_elf *elf, struct dyn_scan *d)
{
	uint64_t addr = 0, off, tag;
	bool has_addr = false, has_size = false;
	size_t i;

	for (i = 0; i < d->n; i++) {
		tag = le64(d->dyn + i * DYN_SIZE);
		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB) {
			addr = le64(d->dyn + i * DYN_SIZE + 8);
			has_addr = true;
		} else if (tag == DT_STRSZ) {
			d->strsz = le64(d->dyn + i * DYN_SIZE + 8);
			has_size = true;
		}
	}
	if (!has_addr)
		return 0;	/* no names to read: checked by the caller */
	if (!has_size)
		return bb_err(ENOEXEC, "ELF: dynamic segment has DT_STRTAB but no DT_STRSZ");
	if (bb_elf_vaddr_to_offset(elf, addr, &off))
		return bb_err_wrap(ENOEXEC, "ELF: DT_STRTAB 0x%llx", (ull)addr);
	if (!in_buf(elf->size, off, d->strsz))
		return bb_err(ENOEXEC, "ELF: dynamic string table at offset %llu (%llu bytes) is past the end of the file (%zu bytes)",
			      (ull)off, (ull)d->strsz, elf->size);
	d->str = (const char *)elf->buf + off;
	d->str_lim = d->strsz;
	while (d->str_lim && d->str[d->str_lim - 1])
		d->str_lim--;
	return 0;
}

static int dyn_string(const struct dyn_scan *d, uint64_t tag, uint64_t off,
		      const char **out)
{
	if (!d->str)
		return bb_err(ENOEXEC, "ELF: dynamic entry %llu names a string but there is no DT_STRTAB",
			      (ull)tag);
	if (off >= d->str_lim)
		return bb_err(ENOEXEC, "ELF: dynamic entry %llu: string offset %llu is outside the string table (%llu bytes) or not NUL-terminated in it",
			      (ull)tag, (ull)off, (ull)d->strsz);
	*out = d->str + off;
	return 0;
}

static int add_entry(const struct dyn_scan *d, uint64_t tag, uint64_t val,
		     struct bb_elf_dyn *out)
{
	const char *s = NULL;
	int err;

	if (tag != DT_NEEDED && tag != DT_RPATH && tag != DT_RUNPATH &&
	    tag != DT_SONAME)
		return 0;
	err = dyn_string(d, tag, val, &s);
	if (err)
		return err;
	if (tag == DT_RPATH)
		out->rpath = s;
	else if (tag == DT_RUNPATH)
		out->runpath = s;
	else if (tag == DT_SONAME)
		out->soname = s;
	else if (out->nneeded == BB_ELF_MAX_NEEDED)
		return bb_err(ENOEXEC, "ELF: more than %d DT_NEEDED entries",
			      BB_ELF_MAX_NEEDED);
	else
		out->needed[out->nneeded++] = s;
	return 0;
}

int bb_elf_dyn_read(const struct bb_elf *elf, struct bb_elf_dyn *out)
{
	const struct bb_elf_phdr *ph;
	struct dyn_scan d = { 0 };
	uint64_t tag;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	ph = find_dynamic(elf);
	if (!ph)
		return 0;	/* static: needs nothing */
	if (!in_buf(elf->size, ph->offset, ph->filesz))
		return bb_err(ENOEXEC, "ELF: PT_DYNAMIC at offset %llu (%llu bytes) is past the end of the file (%zu bytes)",
			      (ull)ph->offset, (ull)ph->filesz, elf->size);
	d.dyn = elf->buf + ph->offset;
	d.n = ph->filesz / DYN_SIZE;
	err = find_strtab(elf, &d);
	for (i = 0; !err && i < d.n; i++) {
		tag = le64(d.dyn + i * DYN_SIZE);
		if (tag == DT_NULL)
			break;
		err = add_entry(&d, tag, le64(d.dyn + i * DYN_SIZE + 8), out);
	}
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

/* ------------------------------------------------------------------ */
/* /etc/ld.so.cache                                                     */

#define OLD_MAGIC	"ld.so-1.7.0"
#define OLD_HDR		16	/* magic (11, padded to 12) + nlibs */
#define OLD_ENTRY	12	/* flags, key, value */
#define NEW_MAGIC	"glibc-ld.so.cache1.1"
#define NEW_HDR		48
#define NEW_ENTRY	24	/* flags, key, value, osversion, hwcap */
#define NEW_FLAGS_OFF	28	/* endianness in bits 0-1 */
#define CACHE_BIG	3

static int bad_cache(const char *why)
{
	return bb_err(ENOEXEC, "ld.so.cache: %s", why);
}

/* offset of the new-format table: at 0, or after the old one */
static int find_new(const uint8_t *b, size_t size, uint64_t *base)
{
	uint64_t off;

	if (size >= NEW_HDR && !memcmp(b, NEW_MAGIC, strlen(NEW_MAGIC))) {
		*base = 0;
		return 0;
	}
	if (size < OLD_HDR || memcmp(b, OLD_MAGIC, strlen(OLD_MAGIC)))
		return bad_cache("neither glibc-ld.so.cache1.1 nor ld.so-1.7.0 at its start");
	off = OLD_HDR + (uint64_t)le32(b + 12) * OLD_ENTRY;
	off = (off + 7) & ~7ull;	/* aligned for its uint64_t hwcap */
	if (!in_buf(size, off, NEW_HDR) ||
	    memcmp(b + off, NEW_MAGIC, strlen(NEW_MAGIC)))
		return bad_cache("old format only (ld.so-1.7.0 without a glibc-ld.so.cache1.1 table)");
	*base = off;
	return 0;
}

/*
 * a string at offset off of the table at base, or NULL; lim: offsets
 * in the file below it have a NUL at or after them
 */
static const char *cache_str(const uint8_t *b, uint64_t lim, uint64_t base,
			     uint32_t off)
{
	uint64_t at = base + off;

	if (at >= lim)
		return NULL;
	return (const char *)b + at;
}

static int put_str(char **out, size_t *left, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n >= *left)		/* keep room for the list's final "" */
		return -ENAMETOOLONG;
	memcpy(*out, s, n);
	*out += n;
	*left -= n;
	return 0;
}

int bb_ld_cache_find(const void *buf, size_t size, const char *name,
		     char **out, size_t *left)
{
	const uint8_t *b = buf, *e;
	const char *key, *val;
	uint64_t base = 0, lim;
	uint32_t i, n;
	int err, found = 0;

	if (!buf)
		return bad_cache("no contents");
	err = find_new(b, size, &base);
	if (err)
		return err;
	if ((b[base + NEW_FLAGS_OFF] & 3) == CACHE_BIG)
		return bad_cache("big-endian cache");
	n = le32(b + base + 20);
	if (!in_buf(size, base + NEW_HDR, (uint64_t)n * NEW_ENTRY))
		return bad_cache("its entries go past the end of the file");
	lim = size;
	while (lim && b[lim - 1])
		lim--;
	for (i = 0; i < n; i++) {
		e = b + base + NEW_HDR + (uint64_t)i * NEW_ENTRY;
		key = cache_str(b, lim, base, le32(e + 4));
		val = cache_str(b, lim, base, le32(e + 8));
		if (!key || !val)
			return bad_cache("an entry's name is outside the file");
		if (strcmp(key, name))
			continue;
		err = put_str(out, left, val);
		if (err)
			return err;
		found++;
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* Where to look                                                        */

static int put_dir_name(char **p, size_t *left, const char *dir,
			size_t dlen, const char *name)
{
	int n;

	if (!dlen)	/* "::" or a leading ':' is the current directory */
		n = snprintf(*p, *left, "./%s", name);
	else
		n = snprintf(*p, *left, "%.*s/%s", (int)dlen, dir, name);
	if (n < 0 || (size_t)n + 1 >= *left)
		return -ENAMETOOLONG;
	*p += n + 1;
	*left -= n + 1;
	return 0;
}

/*
 * one RPATH/RUNPATH entry with $ORIGIN replaced, into dir; false when
 * it holds a token that cannot be expanded here
 */
static bool expand_origin(const char *s, size_t len, const char *origin,
			  char *dir, size_t dsize)
{
	size_t i = 0, n = 0, tl;

	while (i < len) {
		if (s[i] != '$') {
			if (n + 1 >= dsize)
				return false;
			dir[n++] = s[i++];
			continue;
		}
		if (len - i >= 7 && !memcmp(s + i, "$ORIGIN", 7))
			tl = 7;
		else if (len - i >= 9 && !memcmp(s + i, "${ORIGIN}", 9))
			tl = 9;
		else
			return false;	/* $LIB, $PLATFORM */
		/* "$ORIGIN_X" would be another token */
		if (tl == 7 && i + 7 < len &&
		    (isalnum((unsigned char)s[i + 7]) || s[i + 7] == '_'))
			return false;
		if (!origin || n + strlen(origin) >= dsize)
			return false;
		memcpy(dir + n, origin, strlen(origin));
		n += strlen(origin);
		i += tl;
	}
	dir[n] = '\0';
	return true;
}

static int add_path_list(char **p, size_t *left, const char *list,
			 const char *origin, const char *name)
{
	char dir[4096];
	const char *s = list, *e;
	int err;

	if (!list || !*list)
		return 0;
	for (;;) {
		e = strchrnul(s, ':');
		if (expand_origin(s, e - s, origin, dir, sizeof(dir))) {
			err = put_dir_name(p, left, dir, strlen(dir), name);
			if (err)
				return err;
		}
		if (!*e)
			return 0;
		s = e + 1;
	}
}

static int add_cache(char **p, size_t *left, const struct bb_lib_search *s,
		     const char *name)
{
	char *save_p = *p;
	size_t save_left = *left;
	int n;

	if (!s->cache)
		return 0;
	n = bb_ld_cache_find(s->cache, s->cache_size, name, p, left);
	if (n == -ENAMETOOLONG)
		return n;
	if (n < 0) {		/* unreadable cache: ld.so skips it too */
		*p = save_p;
		*left = save_left;
	}
	return 0;
}

int bb_lib_candidates(const struct bb_lib_search *s, const char *name,
		      char *buf, size_t len)
{
	size_t left = len;
	char *p = buf;
	int err = 0;

	if (!len)
		return -ENAMETOOLONG;
	if (strchr(name, '/')) {
		err = put_str(&p, &left, name);
		goto out;
	}
	if (!s->runpath)
		err = add_path_list(&p, &left, s->rpath, s->origin, name);
	if (!err)
		err = add_path_list(&p, &left, s->ld_library_path, NULL, name);
	if (!err)
		err = add_path_list(&p, &left, s->runpath, s->origin, name);
	if (!err)
		err = add_cache(&p, &left, s, name);
	if (!err)	/* the standard directories, which end the list */
		return bb_uprobe_candidates(name, NULL, NULL, p, left);
out:
	if (err)
		return err;
	*p = '\0';
	return 0;
}
