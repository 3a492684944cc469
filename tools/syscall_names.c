// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Syscall numbers and names of the running kernel (see syscall_names.h):
 * tracefs gives the names and event ids, the iterator in
 * syscall_names.bpf.c the numbers behind our perf events on those ids.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "err.h"
#include "syscall_names.h"
#define syscall_names__SKEL_NO_TYPES
#include "syscall_names.skel.h"

#define SN_PREFIX	"sys_enter_"

struct sn_entry {
	char name[SN_NAME_LEN];	/* as the ABI calls it (see renames[]) */
	char kname[SN_NAME_LEN];	/* the kernel's, without "sys_" */
	uint32_t id;		/* tracepoint id */
	int nr;			/* -1 until the kernel told it */
};

struct syscall_table {
	struct sn_entry *e;	/* resolved ones, sorted by name */
	size_t n;
	int by_nr[SN_MAX_NR];	/* index into e, or -1 */
};

/* a name as the kernel spells syscalls: [a-z0-9_], bounded */
static bool name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= SN_NAME_LEN - 5 ||
		    !(islower((unsigned char)s[i]) ||
		      isdigit((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return i > 0;
}

static int read_id(const char *dir, const char *ev, uint32_t *id)
{
	char path[640], buf[32], *end;
	unsigned long v;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/id", dir, ev) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = 0;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > UINT32_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

static int add_entry(struct sn_entry **e, size_t *n, size_t *cap,
		     const char *name, uint32_t id)
{
	struct sn_entry *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 512;
		p = realloc(*e, *cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		*e = p;
	}
	p = &(*e)[(*n)++];
	memset(p, 0, sizeof(*p));
	strcpy(p->kname, name);	/* checked by name_ok() */
	p->id = id;
	p->nr = -1;
	return 0;
}

/* the sys_enter_* events of tracefs: names and ids */
static int read_events(struct sn_entry **e, size_t *n)
{
	char tracefs[256], dir[320];
	size_t cap = 0;
	struct dirent *d;
	uint32_t id = 0;
	DIR *dp;
	int err;

	err = bpfbox_tracefs_path(tracefs, sizeof(tracefs));
	if (err)
		return bb_err_wrap(err, "syscall names: no tracefs");
	snprintf(dir, sizeof(dir), "%s/events/syscalls", tracefs);
	dp = opendir(dir);
	if (!dp)
		return bb_err(errno, "syscall names: %s: %s (no syscall trace events: tracefs is not mounted there, or the kernel is built without CONFIG_FTRACE_SYSCALLS)",
			      dir, strerror(errno));
	err = 0;
	while (!err && (d = readdir(dp))) {
		const char *name = d->d_name + strlen(SN_PREFIX);

		if (strncmp(d->d_name, SN_PREFIX, strlen(SN_PREFIX)) ||
		    !name_ok(name) || read_id(dir, d->d_name, &id))
			continue;
		err = add_entry(e, n, &cap, name, id);
	}
	closedir(dp);
	if (err)
		return bb_err(err, "syscall names: out of memory");
	if (!*n)
		return bb_err(ENOENT, "syscall names: %s has no sys_enter_* events",
			      dir);
	return 0;
}

/* one disabled perf event of this process on the tracepoint: no
 * program, no sample buffer; it only has to exist for the iterator */
static int open_event(uint32_t id)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = id,
		.disabled = 1,
	};

	return bpfbox_perf_event_open(&attr, 0, -1, -1,
				      PERF_FLAG_FD_CLOEXEC);
}

struct sn_ctx {
	struct sn_entry *e;
	size_t n;
};

/* take a record when tracefs has its event under the same name */
static int take_record(void *ctx, const void *data, size_t size)
{
	const struct sn_record *r = data;
	struct sn_ctx *c = ctx;
	size_t i;

	if (size < sizeof(*r) || r->nr < 0 || r->nr >= SN_MAX_NR ||
	    !memchr(r->name, 0, sizeof(r->name)) ||
	    strncmp(r->name, "sys_", 4))
		return 0;
	for (i = 0; i < c->n; i++) {
		if (c->e[i].id != r->id)
			continue;
		if (c->e[i].nr < 0 && !strcmp(c->e[i].kname, r->name + 4))
			c->e[i].nr = r->nr;
		break;
	}
	return 0;
}

/* run the iterator once: its records go to the ring, not to the fd */
static int run_iter(struct bpfbox_link *link)
{
	char buf[256];
	ssize_t r;
	int fd;

	fd = bpfbox_iter_create(link);
	if (fd < 0)
		return bb_err_wrap(fd, "syscall names: iterator");
	do
		r = read(fd, buf, sizeof(buf));
	while (r > 0 || (r < 0 && errno == EINTR));
	close(fd);
	if (r < 0)
		return bb_err(errno, "syscall names: running the iterator: %s",
			      strerror(errno));
	return 0;
}

static int collect(struct syscall_names *s, struct sn_entry *e, size_t n)
{
	struct sn_ctx c = { .e = e, .n = n };
	struct bpfbox_ringbuf *rb = NULL;
	int err;

	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = bpfbox_ringbuf_add(rb, bpfbox_map_fd(s->maps.records),
					 take_record, &c);
	if (!err)
		err = bpfbox_ringbuf_consume(rb);
	bpfbox_ringbuf_free(rb);
	if (err < 0)
		return bb_err_wrap(err, "syscall names: reading the records");
	if (s->bss->lost)
		return bb_err(ENOSPC, "syscall names: %llu records did not fit in the ring buffer",
			      (unsigned long long)s->bss->lost);
	return 0;
}

/* the numbers of e[0..n) from the kernel; 0 or -errno with words */
static int resolve(struct sn_entry *e, size_t n)
{
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct bpfbox_link *link = NULL;
	struct syscall_names *s;
	int err, fd = -1;
	size_t i;

	for (i = 0; i < n && fd < 0; i++)
		fd = open_event(e[i].id);
	if (fd < 0)
		return bb_err(fd, "syscall names: perf_event_open of a syscall tracepoint: %s",
			      strerror(-fd));
	s = syscall_names__open();
	if (!s) {
		close(fd);
		return bb_err_wrap(-ENOMEM, "syscall names: open");
	}
	s->rodata->targ_tgid = getpid();
	s->rodata->targ_fd = fd;
	s->rodata->targ_id = e[i - 1].id;
	err = syscall_names__load(s);
	if (err) {
		err = bb_err_wrap(err, "syscall names: load (the kernel needs BPF iterators and bpf_loop, Linux 5.17+)");
		goto out;
	}
	opts.pid = getpid();
	err = bpfbox_prog_attach(s->progs.syscall_names, &opts, &link);
	if (err) {
		err = bb_err_wrap(err, "syscall names: iterator task_file");
		goto out;
	}
	err = run_iter(link);
	if (!err)
		err = collect(s, e, n);
	if (!err && s->bss->walked >= SN_MAX_EVENTS)
		err = bb_err(E2BIG, "syscall names: the list of trace events did not end");
out:
	bpfbox_link_destroy(link);
	syscall_names__destroy(s);
	close(fd);
	return err;
}

/*
 * x86_64 syscalls whose kernel function is named otherwise than the ABI
 * (unistd_64.h, man pages, strace, bcc) names them: SYSCALL_DEFINE2(
 * newfstat, ...) is fstat. Only the spelling: the numbers still come from
 * the kernel, and syscall_nr() takes both names.
 */
static const struct {
	const char *kernel, *abi;
} renames[] = {
	{ "newstat", "stat" },
	{ "newlstat", "lstat" },
	{ "newfstat", "fstat" },
	{ "newuname", "uname" },
	{ "sendfile64", "sendfile" },
	{ "umount", "umount2" },
};

static void abi_name(struct sn_entry *e)
{
	size_t i;

	strcpy(e->name, e->kname);
	for (i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
		if (!strcmp(e->kname, renames[i].kernel))
			strcpy(e->name, renames[i].abi);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct sn_entry *)a)->name,
		      ((const struct sn_entry *)b)->name);
}

/* keep the resolved entries, sorted, and index them by number */
static int build(struct syscall_table *t, struct sn_entry *e, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (e[i].nr < 0)
			continue;
		e[k] = e[i];
		abi_name(&e[k++]);
	}
	if (!k)
		return bb_err(ENOENT, "syscall names: the kernel named none of the %zu syscall tracepoints' numbers",
			      n);
	qsort(e, k, sizeof(*e), cmp_name);
	for (i = 0; i < SN_MAX_NR; i++)
		t->by_nr[i] = -1;
	for (i = 0; i < k; i++)
		if (t->by_nr[e[i].nr] < 0)
			t->by_nr[e[i].nr] = i;
	t->e = e;
	t->n = k;
	return 0;
}

int syscall_names_load(struct syscall_table **out)
{
	struct syscall_table *t;
	struct sn_entry *e = NULL;
	size_t n = 0;
	int err;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return bb_err(ENOMEM, "syscall names: out of memory");
	err = read_events(&e, &n);
	if (!err)
		err = resolve(e, n);
	if (!err)
		err = build(t, e, n);
	if (err) {
		free(e);
		free(t);
		return err;
	}
	*out = t;
	return 0;
}

void syscall_names_free(struct syscall_table *t)
{
	if (!t)
		return;
	free(t->e);
	free(t);
}

const char *syscall_name(const struct syscall_table *t, int nr)
{
	if (!t || nr < 0 || nr >= SN_MAX_NR || t->by_nr[nr] < 0)
		return NULL;
	return t->e[t->by_nr[nr]].name;
}

int syscall_nr(const struct syscall_table *t, const char *name)
{
	struct sn_entry key, *hit;
	size_t i;

	if (!t || strlen(name) >= sizeof(key.name))
		return -ENOENT;
	strcpy(key.name, name);
	hit = bsearch(&key, t->e, t->n, sizeof(key), cmp_name);
	if (hit)
		return hit->nr;
	for (i = 0; i < t->n; i++)	/* the kernel's name: newfstat */
		if (!strcmp(t->e[i].kname, name))
			return t->e[i].nr;
	return -ENOENT;
}

size_t syscall_names_count(const struct syscall_table *t)
{
	return t ? t->n : 0;
}

const char *syscall_names_at(const struct syscall_table *t, size_t i,
			     int *nr, const char **kname)
{
	if (!t || i >= t->n)
		return NULL;
	if (nr)
		*nr = t->e[i].nr;
	if (kname)
		*kname = t->e[i].kname;
	return t->e[i].name;
}
