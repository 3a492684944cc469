// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Module BTF for CO-RE: /sys/kernel/btf/<module> is split BTF on top of
 * vmlinux. As libbpf, the modules are read only when a relocation finds
 * no candidate in vmlinux, all of them at once, and never when the
 * caller gave its own BTF in place of the kernel's (--btf FILE).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf.h"
#include "core.h"
#include "err.h"
#include "kbtf.h"

#define SYSFS_BTF "/sys/kernel/btf"
/* the largest module BTF seen is a few MiB: a file beyond is not BTF */
#define MOD_BTF_MAX (64u << 20)

/* all of a file whose size the kernel may not report (sysfs) */
static int read_all(const char *path, uint8_t **out, size_t *size)
{
	size_t cap = 64 << 10, len = 0;
	uint8_t *buf = NULL, *nb;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!buf || len == cap) {
			if (buf)
				cap *= 2;
			if (cap > MOD_BTF_MAX) {
				err = -EFBIG;
				break;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (!err && !len)
		err = -ENODATA;
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*size = len;
	return 0;
}

static int load_one(struct bb_kmods *m, const char *name)
{
	struct bb_core_target *t = &m->v[m->n];
	struct bb_btf *btf = NULL;
	char path[4096];
	uint8_t *buf = NULL;
	size_t size = 0;
	int err;

	snprintf(path, sizeof(path), "%s/%s", m->dir ? m->dir : SYSFS_BTF,
		 name);
	err = read_all(path, &buf, &size);
	/* unloaded since the directory was listed: nothing to search */
	if (err == -ENOENT)
		return 0;
	if (err)
		return bb_err(err, "module BTF %s: cannot read: %s", path,
			      err == -EFBIG ? "larger than 64 MiB" :
			      err == -ENODATA ? "empty" : strerror(-err));
	/* hands buf over, freed on failure too */
	err = bb_btf_parse_owned(buf, size, m->vmlinux, &btf);
	if (err)
		return bb_err_wrap(err, "module BTF %s (split BTF on vmlinux; a module built for another kernel?)",
				   path);
	t->name = strdup(name);
	if (!t->name) {
		bb_btf_free(btf);
		return bb_err(ENOMEM, "out of memory");
	}
	t->btf = btf;
	m->n++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the module names of the directory, sorted so that runs agree */
static int list_modules(const char *dir, char ***out, size_t *n)
{
	char **v = NULL, **nv;
	struct dirent *de;
	size_t cnt = 0, cap = 0;
	DIR *d;
	int err = 0;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[cnt] = strdup(de->d_name);
		if (!v[cnt]) {
			err = -ENOMEM;
			break;
		}
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*out = v;
	*n = cnt;
	return err;
}

static void free_names(char **v, size_t n)
{
	while (n--)
		free(v[n]);
	free(v);
}

int bb_kmods_load(void *arg, const struct bb_core_target **mods, size_t *nmods)
{
	struct bb_kmods *m = arg;
	const char *dir = m->dir ? m->dir : SYSFS_BTF;
	char **names = NULL;
	size_t i, n = 0;
	int err;

	*mods = NULL;
	*nmods = 0;
	if (!m->vmlinux)
		return bb_err(EINVAL, "module BTF: no vmlinux BTF to split it on");
	err = list_modules(dir, &names, &n);
	/* no such directory: a kernel without sysfs BTF; vmlinux only */
	if (err == -ENOENT)
		return 0;
	if (err) {
		free_names(names, n);
		return bb_err(err, "module BTF: cannot list %s: %s", dir,
			      strerror(-err));
	}
	m->v = calloc(n ? n : 1, sizeof(*m->v));
	if (!m->v) {
		free_names(names, n);
		return bb_err(ENOMEM, "out of memory");
	}
	for (i = 0, err = 0; i < n && !err; i++)
		err = load_one(m, names[i]);
	free_names(names, n);
	if (err)
		return err;
	*mods = m->v;
	*nmods = m->n;
	return 0;
}

void bb_kmods_free(struct bb_kmods *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		bb_btf_free((struct bb_btf *)m->v[i].btf);
		free((char *)m->v[i].name);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}
