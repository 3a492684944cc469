// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `bpfbox export`'s label decoders (cli/export_decode.c, export_ksym.c
 * and export_cgroup.c, compiled in here as they are; no other unit test
 * may include them, or the link sees their functions twice): errno and
 * hex names, the kallsyms parse and lookup on crafted text, mountinfo
 * lines, and what needs the machine: the real kallsyms and the syscall
 * table (root), the cgroup2 tree (a child cgroup made only as root on a
 * writable mount). What cannot run says "skip" and why.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "../../cli/export_decode.c"
#include "../../cli/export_ksym.c"
#include "../../cli/export_cgroup.c"
#include "object.h"

static struct export_decoders *open_or_null(unsigned int need)
{
	struct export_decoders *d = NULL;
	int err = export_decoders_open(need, &d);

	if (err) {
		fprintf(stderr, "  export_decoders_open(0x%x): %d %s\n", need,
			err, bpfbox_errmsg());
		return NULL;
	}
	return d;
}

/* decode v with k, expect rc and text */
#define DEC(D, K, V, RC, TEXT) do {					\
	char b_[128];							\
	CHECK_INT(export_decode(D, K, V, b_, sizeof(b_)), ==, RC);	\
	CHECK_STR(b_, TEXT);						\
} while (0)

TEST(export_decode_errno)
{
	struct export_decoders *d = open_or_null(DEC_BIT(EXPORT_DEC_ERRNO));
	char b[8];

	CHECK(d);
	if (!d)
		return;
	DEC(d, EXPORT_DEC_ERRNO, 5, 0, "EIO");
	DEC(d, EXPORT_DEC_ERRNO, -5, 0, "EIO");
	DEC(d, EXPORT_DEC_ERRNO, 2, 0, "ENOENT");
	DEC(d, EXPORT_DEC_ERRNO, 1, 0, "EPERM");
	DEC(d, EXPORT_DEC_ERRNO, 133, 0, "EHWPOISON");
	DEC(d, EXPORT_DEC_ERRNO, -512, 0, "ERESTARTSYS");
	DEC(d, EXPORT_DEC_ERRNO, -531, 0, "ENOGRACE");
	/* not errnos: the number, and -ENOENT */
	DEC(d, EXPORT_DEC_ERRNO, 0, -ENOENT, "0");
	DEC(d, EXPORT_DEC_ERRNO, 41, -ENOENT, "41");
	DEC(d, EXPORT_DEC_ERRNO, 134, -ENOENT, "134");
	DEC(d, EXPORT_DEC_ERRNO, -520, -ENOENT, "-520");
	DEC(d, EXPORT_DEC_ERRNO, 4095, -ENOENT, "4095");
	DEC(d, EXPORT_DEC_ERRNO, -4096, -ENOENT, "-4096");
	DEC(d, EXPORT_DEC_ERRNO, INT64_MIN, -ENOENT, "-9223372036854775808");
	DEC(d, EXPORT_DEC_ERRNO, INT64_MAX, -ENOENT, "9223372036854775807");
	/* bounded: "EIO" needs 4 bytes */
	CHECK_INT(export_decode(d, EXPORT_DEC_ERRNO, 5, b, 4), ==, 0);
	CHECK_INT(export_decode(d, EXPORT_DEC_ERRNO, 5, b, 3), ==, -ENOSPC);
	CHECK_INT(strlen(b), <, 3);
	CHECK_INT(export_decode(d, EXPORT_DEC_ERRNO, 5, b, 0), ==, -ENOSPC);
	CHECK_INT(export_decode(d, EXPORT_DEC_ERRNO, 12345, b, 3), ==, -ENOSPC);
	export_decoders_close(d);
}

TEST(export_decode_hex_and_not_open)
{
	struct export_decoders *d = open_or_null(DEC_BIT(EXPORT_DEC_HEX) |
						 DEC_BIT(EXPORT_DEC_DROP));
	char b[8];

	CHECK(d);
	if (!d)
		return;
	DEC(d, EXPORT_DEC_HEX, 42, 0, "0x2a");
	DEC(d, EXPORT_DEC_HEX, 0, 0, "0x0");
	DEC(d, EXPORT_DEC_HEX, -42, 0, "0xffffffffffffffd6");
	DEC(d, EXPORT_DEC_HEX, INT64_MIN, 0, "0x8000000000000000");
	CHECK_INT(export_decode(d, EXPORT_DEC_HEX, 0x12345678, b, sizeof(b)),
		  ==, -ENOSPC);
	/* decoders that were not opened, and what is not a decoder */
	DEC(d, EXPORT_DEC_ERRNO, 5, -EINVAL, "5");
	CHECK_CONTAINS(bpfbox_errmsg(), "errno was not prepared");
	DEC(d, EXPORT_DEC_KSYM, 5, -EINVAL, "5");
	DEC(d, EXPORT_DEC_NONE, 5, -EINVAL, "5");
	DEC(d, EXPORT_DEC_DROP, 5, -EINVAL, "5");
	CHECK_CONTAINS(bpfbox_errmsg(), "drop: not a decoder");
	DEC(d, (enum export_decoder)99, 5, -EINVAL, "5");
	DEC(NULL, EXPORT_DEC_HEX, 5, -EINVAL, "5");
	export_decoders_close(d);
	export_decoders_close(NULL);

	d = (struct export_decoders *)1;
	CHECK_INT(export_decoders_open(1u << 20, &d), ==, -EINVAL);
	CHECK(!d);
	CHECK_CONTAINS(bpfbox_errmsg(), "unknown decoder bits");
}

static const char kallsyms_text[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 t a_local_alias\n"	/* same address: T wins */
	"ffffffff81000000 T _stext\n"		/* same rank: first wins */
	"ffffffff81001000 t __pfx_vfs_read\n"
	"ffffffff81001010 T vfs_read\n"
	"ffffffff81001100 W weak_fn\n"
	"0000000000000000 A fixed_percpu_data\n"	/* absolute: not kept */
	"ffffffff81002000 A abs_sym\n"
	"ffffffff81003000 D some_data\n"
	"ffffffff81004000 U undefined_sym\n"
	"not a symbol line\n"
	"ffffffff81005000 T\n"
	"ffffffff8100600 x\n"
	"ffffffffc0001080 T mod_last\t[mymod]\n"	/* out of order */
	"ffffffffc0001000 t mod_fn\t[mymod]\n"
	"ffffffffc0001000 t mod_fn_alias\t[other]\n";

/* text as the whole of a kallsyms file */
static int parse_all(struct export_ksym_table *t, const char *text,
		     size_t len, const char *src)
{
	long took = ksym_parse(t, text, len, true);

	if (took < 0)
		return (int)took;
	CHECK_INT(took, ==, len);
	return ksym_finish(t, src);
}

static void lookup(const struct export_ksym_table *t, uint64_t a, int rc,
		   const char *text, int line)
{
	char b[128];
	int got = export_ksym_lookup(t, a, b, sizeof(b));

	if (got != rc || strcmp(b, text)) {
		fprintf(stderr, "  %s:%d: ksym 0x%llx: %d \"%s\", expected %d \"%s\"\n",
			__FILE__, line, (unsigned long long)a, got, b, rc,
			text);
		bb_test_failed++;
	}
}
#define LOOKUP(T, A, RC, TEXT) lookup(T, A, RC, TEXT, __LINE__)

TEST(export_decode_ksym_parse)
{
	struct export_ksym_table t = { 0 };
	char b[8];
	size_t i;

	CHECK_INT(parse_all(&t, kallsyms_text, strlen(kallsyms_text), "test"),
		  ==, 0);
	/* one per address: _text, __pfx_vfs_read, vfs_read, weak_fn,
	 * some_data, mod_fn, mod_last */
	CHECK_INT(t.n, ==, 7);
	for (i = 1; i < t.n; i++)
		CHECK(t.s[i - 1].addr < t.s[i].addr);
	LOOKUP(&t, 0xffffffff81000000, 0, "_text");
	LOOKUP(&t, 0xffffffff81000010, 0, "_text+0x10");
	LOOKUP(&t, 0xffffffff81001000, 0, "__pfx_vfs_read");
	LOOKUP(&t, 0xffffffff81001008, 0, "__pfx_vfs_read+0x8");
	LOOKUP(&t, 0xffffffff81001010, 0, "vfs_read");
	LOOKUP(&t, 0xffffffff8100102a, 0, "vfs_read+0x1a");
	LOOKUP(&t, 0xffffffff81001100, 0, "weak_fn");
	/* the absolute symbol is not a boundary: still weak_fn */
	LOOKUP(&t, 0xffffffff81002000, 0, "weak_fn+0xf00");
	LOOKUP(&t, 0xffffffff81003004, 0, "some_data+0x4");
	LOOKUP(&t, 0xffffffffc0001000, 0, "mod_fn");
	LOOKUP(&t, 0xffffffffc0001001, 0, "mod_fn+0x1");
	LOOKUP(&t, 0xffffffffc0001080, 0, "mod_last");
	/* below the first, beyond the last: the number */
	LOOKUP(&t, 0xffffffff80ffffff, -ENOENT, "18446744071578845183");
	LOOKUP(&t, 0, -ENOENT, "0");
	LOOKUP(&t, 0xffffffffc0001081, -ENOENT, "18446744072635814017");
	LOOKUP(&t, UINT64_MAX, -ENOENT, "18446744073709551615");
	/* the padding symbol and its function share one stored name */
	CHECK_INT(KSYM_OFF(&t.s[1]), ==, KSYM_OFF(&t.s[2]));
	CHECK_INT(t.s[1].name & KSYM_F_PFX, !=, 0);
	CHECK_INT(t.s[2].name & KSYM_F_PFX, ==, 0);
	CHECK_INT(sizeof(struct export_ksym), ==, 12);
	CHECK_INT(export_ksym_lookup(&t, 0xffffffff8100102a, b, sizeof(b)), ==,
		  -ENOSPC);
	CHECK_INT(strlen(b), ==, sizeof(b) - 1);
	export_ksym_free(&t);
}

TEST(export_decode_ksym_hidden)
{
	static const char hidden[] =
		"0000000000000000 T _text\n0000000000000000 t foo\n";
	struct export_ksym_table t = { 0 };

	CHECK_INT(parse_all(&t, hidden, strlen(hidden), "/proc/kallsyms"),
		  ==, -EPERM);
	CHECK_STR(bpfbox_errmsg(),
		  "ksym decoder: /proc/kallsyms shows no addresses (kptr_restrict; run as root with CAP_SYSLOG)");
	export_ksym_free(&t);
	CHECK_INT(parse_all(&t, "", 0, "empty"), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "empty lists no kernel symbols");
	export_ksym_free(&t);
	/* a name longer than the kernel's limit is not a symbol */
	{
		char big[700];

		memset(big, 'a', sizeof(big));
		memcpy(big, "ffffffff81000000 T ", 19);
		CHECK_INT(parse_all(&t, big, sizeof(big), "long"), ==,
			  -ENOENT);
		export_ksym_free(&t);
	}
}

/* whole lines only until the last chunk */
TEST(export_decode_ksym_chunks)
{
	static const char part[] = "ffffffff81000000 T _text\nffffffff8100";
	struct export_ksym_table t = { 0 };

	CHECK_INT(ksym_parse(&t, part, strlen(part), false), ==, 25);
	CHECK_INT(t.n, ==, 1);
	CHECK_INT(ksym_parse(&t, part + 25, strlen(part) - 25, true), ==,
		  strlen(part) - 25);
	CHECK_INT(t.n, ==, 1);
	export_ksym_free(&t);
}

/*
 * The file reader on the crafted text, then a 100 kB line: the reader
 * fills its 64 kB buffer with the line's start and must skip to its
 * end, not take its middle (a symbol's shape, at offset 65536) as a
 * line. Last, a line without its '\n'.
 */
TEST(export_decode_ksym_file)
{
	char path[] = "/tmp/bb_decode_kallsyms.XXXXXX", b[64];
	static const char fake[] = "ffffffff81000100 T tail_sym\t";
	static char junk[100000];
	struct export_ksym_table t = { 0 };
	FILE *f;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	memset(junk, 'a', sizeof(junk));
	memcpy(junk, "ffffffff81000000 T ", 19);
	memcpy(junk + 65536, fake, strlen(fake));
	junk[sizeof(junk) - 1] = '\n';
	fputs(kallsyms_text, f);
	fwrite(junk, 1, sizeof(junk), f);
	fputs("ffffffff81000020 T after_junk", f);
	fclose(f);
	CHECK_INT(export_ksym_load(&t, path), ==, 0);
	unlink(path);
	CHECK_INT(t.n, ==, 8);
	CHECK_INT(export_ksym_lookup(&t, 0xffffffff81000010, b, sizeof(b)),
		  ==, 0);
	CHECK_STR(b, "_text+0x10");
	CHECK_INT(export_ksym_lookup(&t, 0xffffffff81000120, b, sizeof(b)),
		  ==, 0);
	CHECK_STR(b, "after_junk+0x100");
	CHECK_INT(export_ksym_lookup(&t, 0xffffffffc0001000, b, sizeof(b)),
		  ==, 0);
	CHECK_STR(b, "mod_fn");
	export_ksym_free(&t);
	CHECK_INT(export_ksym_load(&t, "/nonexistent/kallsyms"), ==, -ENOENT);
	CHECK_CONTAINS(bpfbox_errmsg(), "cannot read /nonexistent/kallsyms");
}

/* the machine's own kallsyms, through the decoder (root) */
TEST(export_decode_ksym_live)
{
	struct export_decoders *d = NULL;
	uint64_t addr = 0;
	int err;

	if (geteuid() != 0) {
		printf("  skip: ksym decoder on /proc/kallsyms: not root (addresses are hidden)\n");
		return;
	}
	if (bb_kallsyms_lookup("vfs_read", &addr) || !addr) {
		printf("  skip: ksym decoder: /proc/kallsyms has no vfs_read address here\n");
		return;
	}
	err = export_decoders_open(DEC_BIT(EXPORT_DEC_KSYM), &d);
	CHECK_INT(err, ==, 0);
	if (err) {
		fprintf(stderr, "  %s\n", bpfbox_errmsg());
		return;
	}
	CHECK_INT(d->ksym.n, >, 1000);
	DEC(d, EXPORT_DEC_KSYM, (int64_t)addr, 0, "vfs_read");
	DEC(d, EXPORT_DEC_KSYM, (int64_t)(addr + 0x1a), 0, "vfs_read+0x1a");
	DEC(d, EXPORT_DEC_KSYM, 42, -ENOENT, "42");
	export_decoders_close(d);
}

TEST(export_decode_mountinfo)
{
	char mp[64];

	CHECK_INT(cg_mountinfo_line("40 30 0:37 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n",
				    mp, sizeof(mp)), ==, 1);
	CHECK_STR(mp, "/sys/fs/cgroup/unified");
	CHECK_INT(cg_mountinfo_line("29 22 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate",
				    mp, sizeof(mp)), ==, 1);
	CHECK_STR(mp, "/sys/fs/cgroup");
	CHECK_INT(cg_mountinfo_line("50 1 0:40 / /mnt/my\\040cg\\134 rw - cgroup2 none rw\n",
				    mp, sizeof(mp)), ==, 1);
	CHECK_STR(mp, "/mnt/my cg\\");
	/* v1 hierarchies, other file systems, broken lines */
	CHECK_INT(cg_mountinfo_line("31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n",
				    mp, sizeof(mp)), ==, 0);
	CHECK_INT(cg_mountinfo_line("30 22 0:27 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n",
				    mp, sizeof(mp)), ==, 0);
	CHECK_INT(cg_mountinfo_line("40 30 0:37 / /x rw - cgroup2x c rw\n",
				    mp, sizeof(mp)), ==, 0);
	CHECK_INT(cg_mountinfo_line("40 30 0:37 / /x rw cgroup2 cgroup2 rw\n",
				    mp, sizeof(mp)), ==, 0);
	CHECK_INT(cg_mountinfo_line("40 30 0:37 / /x rw -\n", mp, sizeof(mp)),
		  ==, 0);
	CHECK_INT(cg_mountinfo_line("1 2 3\n", mp, sizeof(mp)), ==, 0);
	CHECK_INT(cg_mountinfo_line("", mp, sizeof(mp)), ==, 0);
	/* a mount point longer than out: not taken */
	CHECK_INT(cg_mountinfo_line("1 2 0:1 / /a/very/long/mount/point/that/does/not/fit/in/sixty/four/bytes/at/all rw - cgroup2 c rw",
				    mp, sizeof(mp)), ==, 0);
}

static uint64_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

/* cgroups made and removed under the mount (root, writable mount) */
static void cgroup_children(struct export_decoders *d)
{
	char a[CG_PATH_MAX + 64], sub[sizeof(a) + 8], b[sizeof(a)];
	char want[128], got[128];
	uint64_t ia, isub, ib;

	snprintf(a, sizeof(a), "%s/bb_decode_a.%d", d->cg.mnt, (int)getpid());
	snprintf(sub, sizeof(sub), "%s/sub", a);
	snprintf(b, sizeof(b), "%s/bb_decode_b.%d", d->cg.mnt, (int)getpid());
	if (mkdir(a, 0755) || mkdir(sub, 0755)) {
		printf("  skip: cgroup decoder, child cgroups: mkdir %s: %s\n",
		       a, strerror(errno));
		rmdir(a);
		return;
	}
	ia = ino_of(a);
	isub = ino_of(sub);
	/* a miss within the second of the last walk: the number */
	d->cg.last_walk = now_ns();
	snprintf(want, sizeof(want), "%llu", (unsigned long long)ia);
	CHECK_INT(export_decode(d, EXPORT_DEC_CGROUP, (int64_t)ia, got,
				sizeof(got)), ==, -ENOENT);
	CHECK_STR(got, want);
	/* a second later it walks again */
	d->cg.last_walk -= CG_WALK_NS;
	snprintf(want, sizeof(want), "/bb_decode_a.%d", (int)getpid());
	DEC(d, EXPORT_DEC_CGROUP, (int64_t)ia, 0, want);
	snprintf(want, sizeof(want), "/bb_decode_a.%d/sub", (int)getpid());
	DEC(d, EXPORT_DEC_CGROUP, (int64_t)isub, 0, want);
	/* one made after that walk, found by the next */
	if (!mkdir(b, 0755)) {
		ib = ino_of(b);
		d->cg.last_walk -= CG_WALK_NS;
		snprintf(want, sizeof(want), "/bb_decode_b.%d", (int)getpid());
		DEC(d, EXPORT_DEC_CGROUP, (int64_t)ib, 0, want);
		rmdir(b);
		/* removed: its series keeps its name */
		d->cg.last_walk -= CG_WALK_NS;
		DEC(d, EXPORT_DEC_CGROUP, (int64_t)ib, 0, want);
	} else {
		CHECK(!"mkdir of a second child cgroup failed");
	}
	CHECK_INT(rmdir(sub), ==, 0);
	CHECK_INT(rmdir(a), ==, 0);
}

TEST(export_decode_cgroup)
{
	struct export_decoders *d = NULL;
	char want[64];
	int err;

	err = export_decoders_open(DEC_BIT(EXPORT_DEC_CGROUP), &d);
	if (err == -ENOENT) {
		printf("  skip: cgroup decoder: %s\n", bpfbox_errmsg());
		return;
	}
	CHECK_INT(err, ==, 0);
	if (err) {
		fprintf(stderr, "  %s\n", bpfbox_errmsg());
		return;
	}
	DEC(d, EXPORT_DEC_CGROUP, (int64_t)ino_of(d->cg.mnt), 0, "/");
	/* an id no cgroup has, even after a walk */
	d->cg.last_walk -= CG_WALK_NS;
	DEC(d, EXPORT_DEC_CGROUP, -1, -ENOENT, "18446744073709551615");
	CHECK_INT(now_ns() - d->cg.last_walk, <, CG_WALK_NS);
	snprintf(want, sizeof(want), "%s", "/");
	CHECK_INT(export_decode(d, EXPORT_DEC_CGROUP,
				(int64_t)ino_of(d->cg.mnt), want, 1), ==,
		  -ENOSPC);
	if (geteuid() != 0)
		printf("  skip: cgroup decoder, child cgroups: not root\n");
	else if (access(d->cg.mnt, W_OK))
		printf("  skip: cgroup decoder, child cgroups: %s is not writable: %s\n",
		       d->cg.mnt, strerror(errno));
	else
		cgroup_children(d);
	export_decoders_close(d);
}

TEST(export_decode_syscall)
{
	struct export_decoders *d = NULL;
	int err;

	if (geteuid() != 0) {
		printf("  skip: syscall decoder: not root (the table is read with a BPF iterator)\n");
		return;
	}
	err = export_decoders_open(DEC_BIT(EXPORT_DEC_SYSCALL) |
				   DEC_BIT(EXPORT_DEC_ERRNO), &d);
	CHECK_INT(err, ==, 0);
	if (err) {
		fprintf(stderr, "  %s\n", bpfbox_errmsg());
		return;
	}
#if defined(__x86_64__)
	DEC(d, EXPORT_DEC_SYSCALL, 0, 0, "read");
	DEC(d, EXPORT_DEC_SYSCALL, 257, 0, "openat");
	DEC(d, EXPORT_DEC_SYSCALL, 59, 0, "execve");
#endif
	DEC(d, EXPORT_DEC_SYSCALL, -1, -ENOENT, "-1");
	DEC(d, EXPORT_DEC_SYSCALL, 4096, -ENOENT, "4096");
	DEC(d, EXPORT_DEC_SYSCALL, INT64_MIN, -ENOENT, "-9223372036854775808");
	DEC(d, EXPORT_DEC_SYSCALL, (int64_t)1 << 32, -ENOENT, "4294967296");
	DEC(d, EXPORT_DEC_ERRNO, -2, 0, "ENOENT");
	export_decoders_close(d);
}
