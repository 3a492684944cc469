// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: label decoders (export_decode.h). Everything a decoder
 * needs from the kernel is taken at open, while the process still has
 * its capabilities: /proc/kallsyms (its addresses read as 0 without
 * CAP_SYSLOG), the syscall table (an iterator: CAP_BPF), an fd on the
 * cgroup2 mount (walked again later through that fd). Decoding is then
 * lookups in memory, and for cgroups at most one walk a second.
 *
 * Not thread-safe: the exporter decodes from its one serving thread.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "err.h"
#include "export_decode.h"
#include "../tools/syscall_names.h"

#define DEC_BIT(k)	(1u << (k))
/* the decoders proper: NONE and DROP decode nothing */
#define DEC_REAL	(DEC_BIT(EXPORT_DEC_KSYM) | DEC_BIT(EXPORT_DEC_SYSCALL) | \
			 DEC_BIT(EXPORT_DEC_ERRNO) | DEC_BIT(EXPORT_DEC_CGROUP) | \
			 DEC_BIT(EXPORT_DEC_HEX))
#define DEC_KNOWN	(DEC_REAL | DEC_BIT(EXPORT_DEC_NONE) | \
			 DEC_BIT(EXPORT_DEC_DROP))

#define KALLSYMS	"/proc/kallsyms"
#define MOUNTINFO	"/proc/self/mountinfo"

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

struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset into the arena | rank | KSYM_F_PFX */
} __attribute__((packed));

struct ksym_table {
	struct ksym *s;
	size_t n, cap;
	char *names;
	size_t used, size;
	size_t last;		/* offset of the last name stored */
	bool have_last;
	size_t seen;		/* symbol lines, any type */
	size_t nonzero;		/* of them with an address that is not 0 */
};

/*
 * cgroup: id (the directory's inode number) -> path under the mount,
 * open addressing. Ids are never reused, so entries of removed cgroups
 * are kept (a series of a container that just ended keeps its name)
 * until there are too many, when the next walk starts from empty.
 */
#define CG_MAX_DEPTH	64
#define CG_MAX_DIRS	65536		/* directories one walk visits */
#define CG_PATH_MAX	4096
#define CG_WALK_NS	1000000000ull	/* a miss walks at most once a second */

struct cg_ent {
	uint64_t id;
	char *path;		/* NULL: a free slot */
};

struct cg_dec {
	int root_fd;		/* the cgroup2 mount, -1 when not open */
	char mnt[CG_PATH_MAX];	/* where it is mounted, for messages */
	struct cg_ent *e;
	size_t cap, n;		/* cap: 0 or a power of two */
	uint64_t last_walk;	/* CLOCK_MONOTONIC ns */
};

struct export_decoders {
	unsigned int open;	/* DEC_BIT()s that were prepared */
	struct ksym_table ksym;
	struct syscall_table *sys;
	struct cg_dec cg;
};

static const char *const dec_names[] = {
	[EXPORT_DEC_NONE] = "none",	[EXPORT_DEC_KSYM] = "ksym",
	[EXPORT_DEC_SYSCALL] = "syscall", [EXPORT_DEC_ERRNO] = "errno",
	[EXPORT_DEC_CGROUP] = "cgroup",	[EXPORT_DEC_HEX] = "hex",
	[EXPORT_DEC_DROP] = "drop",
};

/* snprintf into out: 0, or -ENOSPC when it does not fit (still NUL-ended) */
__attribute__((format(printf, 3, 4)))
static int put(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (!len)
		return -ENOSPC;
	va_start(ap, fmt);
	w = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (w < 0) {
		out[0] = '\0';
		return -EINVAL;
	}
	return (size_t)w >= len ? -ENOSPC : 0;
}

/* a value the decoder does not know: the number, and -ENOENT */
static int unknown(char *out, size_t len, int64_t v, bool is_unsigned)
{
	int err = is_unsigned ? put(out, len, "%" PRIu64, (uint64_t)v) :
				put(out, len, "%" PRId64, v);

	return err ? err : -ENOENT;
}

/* ---- errno ---- */

#define E(x) [x] = #x
static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG),
	E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI),
	E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC),
	E(EBADSLT), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR),
	E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
	E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG),
	E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC),
	E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
	E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
	E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED),
	E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL),
	E(EHWPOISON),
};
#undef E

/*
 * The kernel's own codes (include/linux/errno.h, not in the uapi), which
 * a program tracing the kernel sees: a syscall interrupted by a signal
 * returns -ERESTARTSYS to the tracepoint before it is translated.
 */
#define KERRNO_BASE	512
static const char *const kerrno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT", "ENOGRACE",
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static const char *errno_name(int64_t v)
{
	uint64_t e;

	/* -v would overflow for INT64_MIN: compare before negating */
	if (v < -4095 || v > 4095)
		return NULL;
	e = (uint64_t)(v < 0 ? -v : v);
	if (e < ARRAY_LEN(errno_names))
		return errno_names[e];
	if (e >= KERRNO_BASE && e - KERRNO_BASE < ARRAY_LEN(kerrno_names))
		return kerrno_names[e - KERRNO_BASE];
	return NULL;
}

/* ---- ksym ---- */

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

static int ksym_store_name(struct ksym_table *t, const char *name,
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

static int ksym_push(struct ksym_table *t, uint64_t addr, const char *name,
		     size_t n, uint32_t flags)
{
	struct ksym *s;
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
static int ksym_add_line(struct ksym_table *t, const char *line, size_t len)
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
static long ksym_parse(struct ksym_table *t, const char *text, size_t len,
		       bool final)
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
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (KSYM_RANK(x) != KSYM_RANK(y))
		return KSYM_RANK(x) < KSYM_RANK(y) ? -1 : 1;
	/* names are stored in the file's order: the first listed wins */
	return KSYM_OFF(x) < KSYM_OFF(y) ? -1 : KSYM_OFF(x) > KSYM_OFF(y);
}

static void ksym_free(struct ksym_table *t)
{
	free(t->s);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

/* sort, keep one symbol per address, give back the spare room */
static int ksym_finish(struct ksym_table *t, const char *src)
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
static int ksym_read(struct ksym_table *t, int fd, const char *path)
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

static int ksym_load(struct ksym_table *t, const char *path)
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

static int ksym_lookup(const struct ksym_table *t, uint64_t addr, char *out,
		       size_t len)
{
	size_t lo = 0, hi = t->n, mid;
	const struct ksym *s;
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
		return unknown(out, len, (int64_t)addr, true);
	s = &t->s[lo - 1];
	pfx = s->name & KSYM_F_PFX ? KSYM_PFX : "";
	name = t->names + KSYM_OFF(s);
	if (s->addr == addr)
		return put(out, len, "%s%s", pfx, name);
	/* past the last symbol there is no telling where it ends */
	if (lo == t->n)
		return unknown(out, len, (int64_t)addr, true);
	return put(out, len, "%s%s+0x%" PRIx64, pfx, name, addr - s->addr);
}

/* ---- cgroup ---- */

/*
 * Field i (0-based, space-separated) of a mountinfo line, its length
 * in *n; NULL when the line has fewer.
 */
static const char *mi_field(const char *s, int i, size_t *n)
{
	while (*s == ' ')
		s++;
	for (; i > 0; i--) {
		s = strchr(s, ' ');
		if (!s)
			return NULL;
		while (*s == ' ')
			s++;
	}
	if (!*s || *s == '\n')
		return NULL;
	*n = strcspn(s, " \n");
	return s;
}

/* mountinfo's octal escapes ("\040" a space) undone, bounded */
static int mi_unescape(const char *s, size_t n, char *out, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (k + 1 >= len)
			return -ENAMETOOLONG;
		if (s[i] == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[k++] = (char)((s[i + 1] - '0') << 6 |
					  (s[i + 2] - '0') << 3 |
					  (s[i + 3] - '0'));
			i += 3;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	return 0;
}

/*
 * A line of /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTIONS [TAGS...] - FSTYPE SOURCE SUPEROPTIONS". 1 and the mount point
 * in out when the file system is cgroup2, else 0.
 */
static int cg_mountinfo_line(const char *line, char *out, size_t len)
{
	const char *f, *mp;
	size_t n, mpn;
	int i;

	mp = mi_field(line, 4, &mpn);
	if (!mp)
		return 0;
	for (i = 6; (f = mi_field(line, i, &n)); i++)
		if (n == 1 && *f == '-')
			break;
	if (!f)
		return 0;
	f = mi_field(line, i + 1, &n);
	if (!f || n != strlen("cgroup2") || memcmp(f, "cgroup2", n))
		return 0;
	return mi_unescape(mp, mpn, out, len) ? 0 : 1;
}

/* the cgroup2 mount: /sys/fs/cgroup if it is one, else the first */
static int cg_find_mount(char *out, size_t len)
{
	char line[4096], mp[CG_PATH_MAX];
	bool found = false;
	FILE *f;
	int err;

	f = fopen(MOUNTINFO, "re");
	if (!f) {
		err = errno;
		return bb_err(err, "cgroup decoder: cannot read %s: %s",
			      MOUNTINFO, strerror(err));
	}
	while (fgets(line, sizeof(line), f)) {
		if (!cg_mountinfo_line(line, mp, sizeof(mp)))
			continue;
		if (!found || !strcmp(mp, "/sys/fs/cgroup")) {
			snprintf(out, len, "%s", mp);
			found = true;
		}
	}
	fclose(f);
	if (!found)
		return bb_err(ENOENT, "cgroup decoder: no cgroup2 file system is mounted (%s lists none); mount one: mount -t cgroup2 none /sys/fs/cgroup",
			      MOUNTINFO);
	return 0;
}

static size_t cg_slot(const struct cg_dec *cg, uint64_t id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ull;

	return (size_t)(h ^ h >> 29) & (cg->cap - 1);
}

static const char *cg_get(const struct cg_dec *cg, uint64_t id)
{
	size_t i;

	if (!cg->cap)
		return NULL;
	for (i = cg_slot(cg, id); cg->e[i].path; i = (i + 1) & (cg->cap - 1))
		if (cg->e[i].id == id)
			return cg->e[i].path;
	return NULL;
}

static void cg_clear(struct cg_dec *cg)
{
	size_t i;

	for (i = 0; i < cg->cap; i++)
		free(cg->e[i].path);
	free(cg->e);
	cg->e = NULL;
	cg->cap = cg->n = 0;
}

/* the slot of id: its entry, or the free one where it goes */
static struct cg_ent *cg_find(struct cg_dec *cg, uint64_t id)
{
	size_t i;

	for (i = cg_slot(cg, id); cg->e[i].path; i = (i + 1) & (cg->cap - 1))
		if (cg->e[i].id == id)
			break;
	return &cg->e[i];
}

static int cg_grow(struct cg_dec *cg)
{
	struct cg_ent *old = cg->e, *e;
	size_t i, ocap = cg->cap, cap = ocap ? ocap * 2 : 256;

	e = calloc(cap, sizeof(*e));
	if (!e)
		return -ENOMEM;
	cg->e = e;
	cg->cap = cap;
	for (i = 0; i < ocap; i++)
		if (old[i].path)
			*cg_find(cg, old[i].id) = old[i];
	free(old);
	return 0;
}

/* id -> path[0..n), replacing the path the id had */
static int cg_put(struct cg_dec *cg, uint64_t id, const char *path, size_t n)
{
	struct cg_ent *e;
	char *p;

	if ((cg->n + 1) * 2 > cg->cap && cg_grow(cg))
		return -ENOMEM;
	e = cg_find(cg, id);
	if (e->path && strlen(e->path) == n && !memcmp(e->path, path, n))
		return 0;
	p = strndup(path, n);
	if (!p)
		return -ENOMEM;
	if (!e->path)
		cg->n++;
	free(e->path);
	e->id = id;
	e->path = p;
	return 0;
}

/*
 * The directories under dfd (which this takes), path[0..plen) naming
 * it. A directory that goes away meanwhile is simply not there.
 */
static int cg_walk_dir(struct cg_dec *cg, int dfd, char *path, size_t plen,
		       int depth, size_t *budget)
{
	struct dirent *de;
	struct stat st;
	size_t n;
	DIR *dir;
	int err = 0, fd;

	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return 0;
	}
	while (!err && (de = readdir(dir))) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* a tree this big: the rest stays numbers */
		if (!*budget)
			break;
		(*budget)--;
		n = strlen(de->d_name);
		if (plen + 1 + n >= CG_PATH_MAX)
			continue;
		fd = openat(dirfd(dir), de->d_name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st)) {
			close(fd);
			continue;
		}
		path[plen] = '/';
		memcpy(path + plen + 1, de->d_name, n + 1);
		err = cg_put(cg, (uint64_t)st.st_ino, path, plen + 1 + n);
		if (!err && depth + 1 < CG_MAX_DEPTH)
			err = cg_walk_dir(cg, fd, path, plen + 1 + n,
					  depth + 1, budget);
		else
			close(fd);
		path[plen] = '\0';
	}
	closedir(dir);
	return err;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* the whole tree into the map; 0 or -errno */
static int cg_walk(struct cg_dec *cg)
{
	char path[CG_PATH_MAX] = "";
	size_t budget = CG_MAX_DIRS;
	struct stat st;
	int fd, err;

	cg->last_walk = now_ns();
	if (cg->n > 2 * CG_MAX_DIRS)
		cg_clear(cg);
	fd = openat(cg->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	err = cg_put(cg, (uint64_t)st.st_ino, "/", 1);
	if (err) {
		close(fd);
		return err;
	}
	return cg_walk_dir(cg, fd, path, 0, 0, &budget);
}

static int cg_open(struct cg_dec *cg)
{
	int err;

	err = cg_find_mount(cg->mnt, sizeof(cg->mnt));
	if (err)
		return err;
	cg->root_fd = open(cg->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->root_fd < 0) {
		err = errno;
		return bb_err(err, "cgroup decoder: cannot open the cgroup2 mount %s: %s",
			      cg->mnt, strerror(err));
	}
	err = cg_walk(cg);
	if (err)
		return bb_err(err, "cgroup decoder: cannot walk the cgroup2 mount %s: %s",
			      cg->mnt, strerror(-err));
	return 0;
}

static void cg_close(struct cg_dec *cg)
{
	cg_clear(cg);
	if (cg->root_fd >= 0)
		close(cg->root_fd);
	cg->root_fd = -1;
}

static int cg_decode(struct cg_dec *cg, uint64_t id, char *out, size_t len)
{
	const char *p = cg_get(cg, id);

	/* a cgroup made since the last walk; a failed walk leaves the
	 * number, which is all a decoder owes */
	if (!p && now_ns() - cg->last_walk >= CG_WALK_NS &&
	    !cg_walk(cg))
		p = cg_get(cg, id);
	if (!p)
		return unknown(out, len, (int64_t)id, true);
	return put(out, len, "%s", p);
}

/* ---- the interface ---- */

void export_decoders_close(struct export_decoders *d)
{
	if (!d)
		return;
	ksym_free(&d->ksym);
	syscall_names_free(d->sys);
	cg_close(&d->cg);
	free(d);
}

int export_decoders_open(unsigned int need, struct export_decoders **out)
{
	struct export_decoders *d;
	int err = 0;

	*out = NULL;
	if (need & ~DEC_KNOWN)
		return bb_err(EINVAL, "label decoders: unknown decoder bits 0x%x",
			      need & ~DEC_KNOWN);
	d = calloc(1, sizeof(*d));
	if (!d)
		return bb_err(ENOMEM, "label decoders: out of memory");
	d->cg.root_fd = -1;
	if (need & DEC_BIT(EXPORT_DEC_KSYM))
		err = ksym_load(&d->ksym, KALLSYMS);
	if (!err && need & DEC_BIT(EXPORT_DEC_SYSCALL)) {
		err = syscall_names_load(&d->sys);
		if (err)
			err = bb_err_wrap(err, "syscall decoder");
	}
	if (!err && need & DEC_BIT(EXPORT_DEC_CGROUP))
		err = cg_open(&d->cg);
	if (err) {
		export_decoders_close(d);
		return err;
	}
	d->open = need & DEC_REAL;
	*out = d;
	return 0;
}

static int not_open(enum export_decoder k, int64_t v, char *out, size_t len)
{
	unsigned int i = (unsigned int)k;

	if (len)
		put(out, len, "%" PRId64, v);
	if (i < ARRAY_LEN(dec_names) && k != EXPORT_DEC_NONE &&
	    k != EXPORT_DEC_DROP)
		return bb_err(EINVAL, "label decoder %s was not prepared (export_decoders_open without it)",
			      dec_names[i]);
	return bb_err(EINVAL, "label decoder %s: not a decoder",
		      i < ARRAY_LEN(dec_names) ? dec_names[i] : "(unknown)");
}

int export_decode(struct export_decoders *d, enum export_decoder k,
		  int64_t v, char *out, size_t len)
{
	const char *name;

	if (!d || (unsigned int)k >= 32 || !(d->open & DEC_BIT(k)))
		return not_open(k, v, out, len);
	switch (k) {
	case EXPORT_DEC_KSYM:
		return ksym_lookup(&d->ksym, (uint64_t)v, out, len);
	case EXPORT_DEC_SYSCALL:
		name = v >= 0 && v < SN_MAX_NR ?
		       syscall_name(d->sys, (int)v) : NULL;
		return name ? put(out, len, "%s", name) :
			      unknown(out, len, v, false);
	case EXPORT_DEC_ERRNO:
		name = errno_name(v);
		return name ? put(out, len, "%s", name) :
			      unknown(out, len, v, false);
	case EXPORT_DEC_CGROUP:
		return cg_decode(&d->cg, (uint64_t)v, out, len);
	case EXPORT_DEC_HEX:
		return put(out, len, "0x%" PRIx64, (uint64_t)v);
	default:
		return not_open(k, v, out, len);
	}
}
