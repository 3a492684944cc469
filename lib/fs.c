// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpffs and tracefs: found wherever they are mounted (/proc/self/mountinfo),
 * mounted at the standard place when they are not. A fresh machine often
 * has neither mounted, and "pin failed: ENOENT" helps nobody.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "bpfbox.h"
#include "err.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC	0xcafe4a11
#endif
#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC	0x74726163
#endif

#define BPFFS_DIR	"/sys/fs/bpf"
#define TRACEFS_DIR	"/sys/kernel/tracing"
#define DEBUGFS_DIR	"/sys/kernel/debug"

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape_octal(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/*
 * Parse one mountinfo line:
 *   36 35 98:0 /root /mnt/point rw,noatime master:1 - fstype source opts
 * and return the mount point if the fs type is fstype, else NULL.
 */
static char *mountinfo_match(char *line, const char *fstype)
{
	char *save = NULL, *tok, *mnt = NULL;
	int field = 0;
	bool after_sep = false;

	for (tok = strtok_r(line, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save), field++) {
		if (field == 4)
			mnt = tok;
		else if (field > 5 && !after_sep && !strcmp(tok, "-"))
			after_sep = true;
		else if (after_sep)
			return strcmp(tok, fstype) ? NULL : mnt;
	}
	return NULL;
}

static int copy_path(char *path, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return bb_err(ENAMETOOLONG, "mount point %s does not fit in "
			      "%zu bytes", src, len);
	strcpy(path, src);
	return 0;
}

/*
 * Find a mount of fstype, preferring one at the standard place.
 * Returns 1 (found, written to path), 0 (none), or -errno.
 */
static int find_mount(const char *fstype, const char *prefer, char *path,
		      size_t len)
{
	char *line = NULL, first[PATH_MAX] = "";
	size_t cap = 0;
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return bb_err(errno, "cannot read /proc/self/mountinfo: %s",
			      strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *mnt = mountinfo_match(line, fstype);

		if (!mnt)
			continue;
		unescape_octal(mnt);
		if (!strcmp(mnt, prefer)) {
			snprintf(first, sizeof(first), "%s", mnt);
			found = true;
			break;
		}
		if (!found)
			snprintf(first, sizeof(first), "%s", mnt);
		found = true;
	}
	free(line);
	fclose(f);
	if (!found)
		return 0;
	return copy_path(path, len, first) ?: 1;
}

/* mkdir -p: tracefs/bpffs mount points may be missing in a container */
static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *p, c;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		if (!c)
			return 0;
		*p = c;
	}
}

static int mount_fs(const char *fstype, const char *dir, const char *data)
{
	int err = mkdir_p(dir);

	if (err)
		return err;
	if (mount(fstype, dir, fstype, 0, data))
		return -errno;
	return 0;
}

static bool is_fs(const char *path, long magic)
{
	struct statfs st;

	return !statfs(path, &st) && (unsigned long)st.f_type ==
					 (unsigned long)magic;
}

int bpfbox_bpffs_path(char *path, size_t len)
{
	int err;

	err = find_mount("bpf", BPFFS_DIR, path, len);
	if (err > 0)
		return 0;
	if (err < 0 && !is_fs(BPFFS_DIR, BPF_FS_MAGIC))
		return err;
	if (err < 0)		/* no /proc, but bpffs is where it should be */
		return copy_path(path, len, BPFFS_DIR);
	/* bpftool mounts it 0700 too: pinned objects are root's business */
	err = mount_fs("bpf", BPFFS_DIR, "mode=0700");
	if (err)
		return bb_err(err, "cannot mount bpffs at " BPFFS_DIR ": %s; "
			      "bpfbox needs CAP_SYS_ADMIN to mount it, or "
			      "mount it yourself: mount -t bpf bpf " BPFFS_DIR,
			      strerror(-err));
	return copy_path(path, len, BPFFS_DIR);
}

/*
 * Since 4.1 the kernel automounts tracefs at <debugfs>/tracing on first
 * access, so a mounted debugfs is as good as tracefs when we may not
 * mount anything ourselves.
 */
static int tracefs_via_debugfs(char *path, size_t len)
{
	char dbg[PATH_MAX], dir[PATH_MAX + 16];

	if (find_mount("debugfs", DEBUGFS_DIR, dbg, sizeof(dbg)) <= 0)
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%s/tracing", dbg);
	if (!is_fs(dir, TRACEFS_MAGIC))
		return -ENOENT;
	return copy_path(path, len, dir);
}

int bpfbox_tracefs_path(char *path, size_t len)
{
	int err;

	err = find_mount("tracefs", TRACEFS_DIR, path, len);
	if (err > 0)
		return 0;
	if (err < 0 && !is_fs(TRACEFS_DIR, TRACEFS_MAGIC))
		return err;
	if (err < 0)
		return copy_path(path, len, TRACEFS_DIR);
	err = mount_fs("tracefs", TRACEFS_DIR, NULL);
	if (!err)
		return copy_path(path, len, TRACEFS_DIR);
	if (!tracefs_via_debugfs(path, len))
		return 0;
	return bb_err(err, "cannot mount tracefs at " TRACEFS_DIR ": %s; "
		      "bpfbox needs CAP_SYS_ADMIN to mount it, or mount it "
		      "yourself: mount -t tracefs tracefs " TRACEFS_DIR,
		      strerror(-err));
}

/*
 * A pin path usually does not exist yet, so when it is missing the
 * directory that would hold it is asked instead.
 */
int bpfbox_path_is_bpffs(const char *path)
{
	char dir[PATH_MAX], *slash;
	struct statfs st;

	if (!statfs(path, &st))
		return (unsigned long)st.f_type == BPF_FS_MAGIC;
	if (errno != ENOENT)
		return bb_err(errno, "cannot statfs %s: %s", path,
			      strerror(errno));
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return bb_err(ENAMETOOLONG, "path too long: %s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (statfs(dir, &st))
		return bb_err(errno, "cannot statfs %s (for %s): %s", dir,
			      path, strerror(errno));
	return (unsigned long)st.f_type == BPF_FS_MAGIC;
}
