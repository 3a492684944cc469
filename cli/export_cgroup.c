// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the cgroup label decoder (export_decode_int.h). At
 * open: the cgroup2 mount, found in /proc/self/mountinfo, an fd on it
 * and a walk of its tree into an id (the directory's inode number) ->
 * path cache. Later misses walk again through that fd, at most once a
 * second.
 *
 * Not thread-safe: a miss may walk and grow the cache (the exporter
 * decodes from its one serving thread).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bpfbox.h"
#include "err.h"
#include "export_decode_int.h"

#define MOUNTINFO	"/proc/self/mountinfo"

/*
 * cgroup: id (the directory's inode number) -> path under the mount,
 * open addressing. Ids are never reused, so entries of removed cgroups
 * are kept (a series of a container that just ended keeps its name)
 * until there are too many, when the next walk starts from empty.
 */
#define CG_MAX_DEPTH	64
#define CG_MAX_DIRS	65536		/* directories one walk visits */
#define CG_WALK_NS	1000000000ull	/* a miss walks at most once a second */

struct export_cgroup_ent {
	uint64_t id;
	char *path;		/* NULL: a free slot */
};

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

static size_t cg_slot(const struct export_cgroup *cg, uint64_t id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ull;

	return (size_t)(h ^ h >> 29) & (cg->cap - 1);
}

static const char *cg_get(const struct export_cgroup *cg, uint64_t id)
{
	size_t i;

	if (!cg->cap)
		return NULL;
	for (i = cg_slot(cg, id); cg->e[i].path; i = (i + 1) & (cg->cap - 1))
		if (cg->e[i].id == id)
			return cg->e[i].path;
	return NULL;
}

static void cg_clear(struct export_cgroup *cg)
{
	size_t i;

	for (i = 0; i < cg->cap; i++)
		free(cg->e[i].path);
	free(cg->e);
	cg->e = NULL;
	cg->cap = cg->n = 0;
}

/* the slot of id: its entry, or the free one where it goes */
static struct export_cgroup_ent *cg_find(struct export_cgroup *cg, uint64_t id)
{
	size_t i;

	for (i = cg_slot(cg, id); cg->e[i].path; i = (i + 1) & (cg->cap - 1))
		if (cg->e[i].id == id)
			break;
	return &cg->e[i];
}

static int cg_grow(struct export_cgroup *cg)
{
	struct export_cgroup_ent *old = cg->e, *e;
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
static int cg_put(struct export_cgroup *cg, uint64_t id, const char *path,
		  size_t n)
{
	struct export_cgroup_ent *e;
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
static int cg_walk_dir(struct export_cgroup *cg, int dfd, char *path,
		       size_t plen, int depth, size_t *budget)
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
static int cg_walk(struct export_cgroup *cg)
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

int export_cgroup_open(struct export_cgroup *cg)
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

void export_cgroup_close(struct export_cgroup *cg)
{
	cg_clear(cg);
	if (cg->root_fd >= 0)
		close(cg->root_fd);
	cg->root_fd = -1;
}

int export_cgroup_decode(struct export_cgroup *cg, uint64_t id, char *out,
			 size_t len)
{
	const char *p = cg_get(cg, id);

	/* a cgroup made since the last walk; a failed walk leaves the
	 * number, which is all a decoder owes */
	if (!p && now_ns() - cg->last_walk >= CG_WALK_NS &&
	    !cg_walk(cg))
		p = cg_get(cg, id);
	if (!p)
		return export_decode_unknown(out, len, (int64_t)id, true);
	return export_decode_put(out, len, "%s", p);
}
