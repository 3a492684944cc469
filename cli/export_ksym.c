// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the ksym label decoder's table (export_decode_int.h):
 * /proc/kallsyms parsed once at open, while the process still has
 * CAP_SYSLOG (without it every address reads as 0), sorted by address
 * with one symbol kept per address; a lookup is then a binary search.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "err.h"
#include "export_decode_int.h"

/*
 * ksym: the symbols sorted by address, 12 bytes each, their names in
 * one arena. A function's "__pfx_" padding symbol (there are as many as
 * functions on kernels built with call padding) shares the name of its
 * function, stored once without the prefix.
 */
#define KSYM_NAME_MAX	512		/* the kernel's KSYM_NAME_LEN */
#define KSYM_MAX	(1u << 24)	/* bounds what a file makes us hold */
#define KSYM_OFF_BITS	29		/* the name's offset; above: flags */
#define KSYM_OFF_MASK	((1u << KSYM_OFF_BITS) - 1)
#define KSYM_PFX	"__pfx_"
#define KSYM_F_PFX	(1u << 31)	/* stored without KSYM_PFX */
#define KSYM_RANK_SHIFT	KSYM_OFF_BITS	/* 2 bits: rank among equal addresses */
#define KSYM_RANK(s)	((s)->name >> KSYM_RANK_SHIFT & 3u)
#define KSYM_OFF(s)	((s)->name & KSYM_OFF_MASK)

struct export_ksym {
	uint64_t addr;
	uint32_t name;		/* offset into the arena | rank | KSYM_F_PFX */
} __attribute__((packed));

/* which symbols are kept (0..3), and which wins among equal addresses */
static int ksym_rank(char type)
{
	switch (type) {
	case 'T':
		return 0;
	case 't':
		return 1;
	case 'W': case 'w':
		return 2;
	case 'D': case 'd': case 'R': case 'r': case 'B': case 'b':
	case 'V': case 'v':
		return 3;
	default:
		/* absolute (a, A), undefined, debugging: not an address
		 * a kernel pointer would hold */
		return -1;
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int ksym_store_name(struct export_ksym_table *t, const char *name,
			   size_t n, uint32_t *off)
{
	size_t size;
	char *p;

	/* "__pfx_foo" then "foo": the second one shares the first's name */
	if (t->have_last && t->used - t->last == n + 1 &&
	    !memcmp(t->names + t->last, name, n)) {
		*off = (uint32_t)t->last;
		return 0;
	}
	if (t->used + n + 1 > t->size) {
		size = t->size ? t->size * 2 : 1 << 16;
		while (size < t->used + n + 1)
			size *= 2;
		if (size > KSYM_OFF_MASK + 1ul)
			return -E2BIG;
		p = realloc(t->names, size);
		if (!p)
			return -ENOMEM;
		t->names = p;
		t->size = size;
	}
	memcpy(t->names + t->used, name, n);
	t->names[t->used + n] = '\0';
	*off = (uint32_t)t->used;
	t->last = t->used;
	t->have_last = true;
	t->used += n + 1;
	return 0;
}

static int ksym_push(struct export_ksym_table *t, uint64_t addr,
		     const char *name, size_t n, uint32_t flags)
{
	struct export_ksym *s;
	uint32_t off;
	size_t cap;
	int err;

	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 4096;
		if (cap > KSYM_MAX)
			return -E2BIG;
		s = realloc(t->s, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		t->s = s;
		t->cap = cap;
	}
	err = ksym_store_name(t, name, n, &off);
	if (err)
		return err;
	t->s[t->n].addr = addr;
	t->s[t->n].name = off | flags;
	t->n++;
	return 0;
}

/*
 * One line of /proc/kallsyms: "ffffffff81000000 T _text", or with
 * "\t[module]" after the name (dropped). Lines of another shape are
 * ignored. 0, or -ENOMEM / -E2BIG.
 */
static int ksym_add_line(struct export_ksym_table *t, const char *line,
			 size_t len)
{
	const char *p = line, *end = line + len, *name;
	size_t digits = 0, n, pfx = strlen(KSYM_PFX);
	uint64_t addr = 0;
	uint32_t flags;
	int rank, h;

	for (; p < end && (h = hexval(*p)) >= 0; p++) {
		if (++digits > 16)
			return 0;
		addr = addr << 4 | (uint64_t)h;
	}
	if (!digits || end - p < 4 || p[0] != ' ' || p[2] != ' ')
		return 0;
	rank = ksym_rank(p[1]);
	name = p + 3;
	for (n = 0; name + n < end && name[n] != '\t' && name[n] != ' ' &&
		    name[n] != '\0'; n++)
		;
	if (!n || n >= KSYM_NAME_MAX)
		return 0;
	t->seen++;
	if (addr)
		t->nonzero++;
	if (rank < 0 || !addr)
		return 0;
	flags = (uint32_t)rank << KSYM_RANK_SHIFT;
	if (n > pfx && !memcmp(name, KSYM_PFX, pfx)) {
		name += pfx;
		n -= pfx;
		flags |= KSYM_F_PFX;
	}
	return ksym_push(t, addr, name, n, flags);
}

/*
 * The whole lines of text[0..len) in the format of /proc/kallsyms, and
 * when final the last one without its '\n' (pure: unit tested). The
 * bytes taken, or -ENOMEM / -E2BIG.
 */
static long ksym_parse(struct export_ksym_table *t, const char *text,
		       size_t len, bool final)
{
	const char *p = text, *end = text + len, *nl;
	int err;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !final)
			break;
		if (!nl)
			nl = end;
		err = ksym_add_line(t, p, (size_t)(nl - p));
		if (err)
			return err;
		p = nl < end ? nl + 1 : end;
	}
	return p - text;
}

static int ksym_cmp(const void *a, const void *b)
{
	const struct export_ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (KSYM_RANK(x) != KSYM_RANK(y))
		return KSYM_RANK(x) < KSYM_RANK(y) ? -1 : 1;
	/* names are stored in the file's order: the first listed wins */
	return KSYM_OFF(x) < KSYM_OFF(y) ? -1 : KSYM_OFF(x) > KSYM_OFF(y);
}

void export_ksym_free(struct export_ksym_table *t)
{
	free(t->s);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

/* sort, keep one symbol per address, give back the spare room */
static int ksym_finish(struct export_ksym_table *t, const char *src)
{
	size_t i, k;
	void *p;

	if (t->seen && !t->nonzero)
		return bb_err(EPERM, "ksym decoder: %s shows no addresses (kptr_restrict; run as root with CAP_SYSLOG)",
			      src);
	if (!t->n)
		return bb_err(ENOENT, "ksym decoder: %s lists no kernel symbols",
			      src);
	qsort(t->s, t->n, sizeof(*t->s), ksym_cmp);
	for (i = 1, k = 1; i < t->n; i++)
		if (t->s[i].addr != t->s[k - 1].addr)
			t->s[k++] = t->s[i];
	t->n = k;
	p = realloc(t->s, t->n * sizeof(*t->s));
	if (p) {
		t->s = p;
		t->cap = t->n;
	}
	p = realloc(t->names, t->used);
	if (p) {
		t->names = p;
		t->size = t->used;
	}
	return 0;
}

static int ksym_grow_err(int err, const char *src)
{
	return bb_err(-err, "ksym decoder: %s: %s", src,
		      err == -E2BIG ? "too many symbols" : "out of memory");
}

/* drop what is left of a line too long for buf: true at its end */
static bool skip_line(char *buf, size_t *have)
{
	char *nl = memchr(buf, '\n', *have);

	if (!nl) {
		*have = 0;
		return false;
	}
	*have -= (size_t)(nl + 1 - buf);
	memmove(buf, nl + 1, *have);
	return true;
}

/* path in chunks through ksym_parse */
static int ksym_read(struct export_ksym_table *t, int fd, const char *path)
{
	char buf[65536];
	size_t have = 0;
	bool skipping = false;
	ssize_t n;
	long took;

	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = errno;
			return bb_err((int)n, "ksym decoder: reading %s: %s",
				      path, strerror((int)n));
		}
		have += (size_t)n;
		if (skipping) {
			skipping = !skip_line(buf, &have);
			if (skipping && n)
				continue;
		}
		took = ksym_parse(t, buf, have, n == 0);
		if (took < 0)
			return ksym_grow_err((int)took, path);
		have -= (size_t)took;
		memmove(buf, buf + took, have);
		if (n == 0)
			return 0;
		/* a line longer than buf: no symbol, skip to its end */
		if (have == sizeof(buf))
			skipping = !skip_line(buf, &have);
	}
}

int export_ksym_load(struct export_ksym_table *t, const char *path)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		return bb_err(err, "ksym decoder: cannot read %s: %s", path,
			      strerror(err));
	}
	err = ksym_read(t, fd, path);
	close(fd);
	return err ? err : ksym_finish(t, path);
}

int export_ksym_lookup(const struct export_ksym_table *t, uint64_t addr,
		       char *out, size_t len)
{
	size_t lo = 0, hi = t->n, mid;
	const struct export_ksym *s;
	const char *pfx, *name;

	/* lo: the first symbol above addr */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->s[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return export_decode_unknown(out, len, (int64_t)addr, true);
	s = &t->s[lo - 1];
	pfx = s->name & KSYM_F_PFX ? KSYM_PFX : "";
	name = t->names + KSYM_OFF(s);
	if (s->addr == addr)
		return export_decode_put(out, len, "%s%s", pfx, name);
	/* past the last symbol there is no telling where it ends */
	if (lo == t->n)
		return export_decode_unknown(out, len, (int64_t)addr, true);
	return export_decode_put(out, len, "%s%s+0x%" PRIx64, pfx, name,
				 addr - s->addr);
}
