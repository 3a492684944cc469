// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fdinfo fields, and which processes hold BPF objects: the "pids" lines
 * of bpftool's show
 * commands. bpftool asks a BPF iterator; the same answer is in
 * /proc/PID/fd (the anon inode's name says the kind) and fdinfo (its id),
 * without loading anything. Our own fds are left out: we only hold them
 * to look. Best effort: pids are decoration, a failure drops one.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void pids_add(struct cli_pids *r, uint32_t id, int pid, const char *comm)
{
	struct cli_pid *p;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == id && r->v[i].pid == pid)
			return;
	p = realloc(r->v, (r->n + 1) * sizeof(*p));
	if (!p)
		return;
	r->v = p;
	p = &r->v[r->n++];
	p->id = id;
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
}

static bool read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return true;
}

bool cli_fdinfo(const char *path, const char *key, char *val, size_t len)
{
	char buf[4096], *p, *eol;
	size_t klen = strlen(key);

	if (!read_small(path, buf, sizeof(buf)))
		return false;
	for (p = buf; *p; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		if (strncmp(p, key, klen) || p[klen] != ':')
			continue;
		p += klen + 1;
		p += strspn(p, " \t");
		snprintf(val, len, "%.*s", (int)(eol - p), p);
		return true;
	}
	return false;
}

bool cli_self_fdinfo(int fd, const char *key, char *val, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return cli_fdinfo(path, key, val, len);
}

/* the number after "key:" in an fdinfo file */
static bool fdinfo_id(const char *path, const char *key, uint32_t *id)
{
	char val[32];

	return cli_fdinfo(path, key, val, sizeof(val)) &&
	       !cli_parse_u32(val, id);
}

static void scan_pid(struct cli_pids *r, int pid, const char *inode,
		     const char *key)
{
	char path[300], link[64], comm[32] = "";
	struct dirent *e;
	uint32_t id;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "anon_inode:", 11) || strcmp(link + 11, inode))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid,
			 e->d_name);
		if (!fdinfo_id(path, key, &id))
			continue;
		if (!comm[0]) {
			snprintf(path, sizeof(path), "/proc/%d/comm", pid);
			if (read_small(path, comm, sizeof(comm)))
				comm[strcspn(comm, "\n")] = '\0';
		}
		pids_add(r, id, pid, comm);
	}
	closedir(d);
}

void cli_pids_build(struct cli_pids *r, const char *inode, const char *key)
{
	struct dirent *e;
	DIR *d = opendir("/proc");
	int pid, self = getpid();

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = atoi(e->d_name);
		if (pid != self)
			scan_pid(r, pid, inode, key);
	}
	closedir(d);
}

void cli_pids_free(struct cli_pids *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

void cli_pids_plain(const struct cli_pids *r, uint32_t id)
{
	bool first = true;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->v[i].id != id)
			continue;
		fputs(first ? "\n\tpids " : ", ", stdout);
		cli_fputs_safe(stdout, r->v[i].comm);
		printf("(%d)", r->v[i].pid);
		first = false;
	}
}

void cli_pids_json(struct jw *jw, const struct cli_pids *r, uint32_t id)
{
	bool first = true;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->v[i].id != id)
			continue;
		if (first) {
			jw_name(jw, "pids");
			jw_start_array(jw);
			first = false;
		}
		jw_start_object(jw);
		jw_kv_int(jw, "pid", r->v[i].pid);
		jw_kv_string(jw, "comm", r->v[i].comm);
		jw_end_object(jw);
	}
	if (!first)
		jw_end_array(jw);
}
