// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox prog: show, dump xlated, pin, load/loadall.
 *
 * Text and JSON follow bpftool's prog.c and xlated_dumper.c closely
 * enough that the output of both can be diffed for the same program:
 * same field names, same order, same spacing.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "disasm.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfbox prog { show | list } [PROG]\n"
		"       bpfbox prog dump xlated PROG [{ file FILE | opcodes | linum }]\n"
		"       bpfbox prog pin PROG FILE\n"
		"       bpfbox prog { load | loadall } OBJ PATH [--only PROG_NAME]... \\\n"
		"                         [pinmaps MAP_DIR]\n"
		"       bpfbox prog help\n"
		"\n"
		"       PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }\n"
		"       OPTIONS := { {-j|--json} [{-p|--pretty}] | --verifier-log FILE }\n"
		"\n"
		"       load pins the first program at PATH, loadall every program\n"
		"       at PATH/NAME; --only loads just the programs named.\n");
}

static int do_help(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	usage(stdout);
	return CLI_OK;
}

static int usage_err(const char *what, const char *got)
{
	cli_usage("%s%s%s%s", what, got ? ", got '" : "", got ? got : "",
		  got ? "'" : "");
	fprintf(stderr, "see 'bpfbox prog help'\n");
	return CLI_USAGE;
}

static bool wants_help(int argc, char **argv)
{
	return argc && cli_is_help(argv[0]);
}

/*
 * PROG is always two words ("id 3", "name foo"), so what follows it can
 * be checked before any program is opened: a typo is a usage error
 * whether or not the program exists.
 */
#define PROG_WORDS 2

/* ------------------------------------------------------------------ */
/* Processes holding programs (the "pids" of bpftool's show)           */

struct pid_ref {
	uint32_t id;
	int pid;
	char comm[17];
};

struct refs {
	struct pid_ref *v;
	size_t n;
};

static void refs_add(struct refs *r, uint32_t id, int pid, const char *comm)
{
	struct pid_ref *p;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == id && r->v[i].pid == pid)
			return;
	p = realloc(r->v, (r->n + 1) * sizeof(*p));
	if (!p)
		return;		/* best effort: pids are decoration */
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

/* "key:\tVALUE" line of an fdinfo file; false when absent */
static bool fdinfo_field(const char *path, const char *key, char *val,
			 size_t len)
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

static void refs_scan_pid(struct refs *r, int pid)
{
	char path[300], link[64], comm[32] = "", val[32];
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
		if (strcmp(link, "anon_inode:bpf-prog"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid,
			 e->d_name);
		if (!fdinfo_field(path, "prog_id", val, sizeof(val)) ||
		    cli_parse_u32(val, &id))
			continue;
		if (!comm[0]) {
			snprintf(path, sizeof(path), "/proc/%d/comm", pid);
			if (read_small(path, comm, sizeof(comm)))
				comm[strcspn(comm, "\n")] = '\0';
		}
		refs_add(r, id, pid, comm);
	}
	closedir(d);
}

/*
 * bpftool asks a BPF iterator which processes hold which programs; the
 * same answer is in /proc/PID/fd and fdinfo, without loading anything.
 * Our own fds are left out: we only hold them to look.
 */
static void refs_build(struct refs *r)
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
			refs_scan_pid(r, pid);
	}
	closedir(d);
}

static void refs_plain(const struct refs *r, uint32_t id)
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

static void refs_json(struct jw *jw, const struct refs *r, uint32_t id)
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

/* ------------------------------------------------------------------ */
/* show                                                                */

/* load_time is nanoseconds since boot; bpftool shows the wall clock */
static time_t boot_to_wall(uint64_t ns)
{
	struct timespec rt, bt;

	if (clock_gettime(CLOCK_REALTIME, &rt) ||
	    clock_gettime(CLOCK_BOOTTIME, &bt))
		return ns / 1000000000;
	return (rt.tv_sec - bt.tv_sec) +
	       (rt.tv_nsec - bt.tv_nsec + (long long)ns) / 1000000000;
}

static bool self_fdinfo(int fd, const char *key, char *val, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return fdinfo_field(path, key, val, len);
}

static int prog_map_ids(int fd, uint32_t nr, uint32_t **ids)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int err;

	*ids = calloc(nr, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = nr;
	info.map_ids = (uint64_t)(uintptr_t)*ids;
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err) {
		free(*ids);
		*ids = NULL;
		return err;
	}
	return info.nr_map_ids < nr ? (int)info.nr_map_ids : (int)nr;
}

/* the netns of an offloaded program's device is ours: name it */
static bool ifname_here(uint32_t ifindex, uint64_t ns_dev, uint64_t ns_ino,
			char *name)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) || st.st_dev != ns_dev ||
	    st.st_ino != ns_ino)
		return false;
	return if_indextoname(ifindex, name) != NULL;
}

static void tag_str(const uint8_t *tag, char *buf)
{
	int i;

	for (i = 0; i < BPF_TAG_SIZE; i++)
		sprintf(buf + 2 * i, "%02x", tag[i]);
}

/* the first line of show: "ID: TYPE  name NAME  tag TAG  gpl" */
static void header_plain(const struct bpf_prog_info *info, int fd)
{
	const char *type = bpfbox_prog_type_name(info->type);
	char name[256], tag[2 * BPF_TAG_SIZE + 1], ifname[IF_NAMESIZE];

	printf("%u: ", info->id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", info->type);
	if (info->name[0]) {
		cli_prog_full_name(info, fd, name, sizeof(name));
		fputs("name ", stdout);
		cli_fputs_safe(stdout, name);
		fputs("  ", stdout);
	}
	tag_str(info->tag, tag);
	printf("tag %s", tag);
	if (info->ifindex) {
		if (ifname_here(info->ifindex, info->netns_dev,
				info->netns_ino, ifname))
			printf("  offloaded_to %s", ifname);
		else
			printf("  offloaded_to ifindex %u ns_dev %llu "
			       "ns_ino %llu", info->ifindex,
			       (unsigned long long)info->netns_dev,
			       (unsigned long long)info->netns_ino);
	}
	printf("%s", info->gpl_compatible ? "  gpl" : "");
	if (info->run_time_ns)
		printf(" run_time_ns %llu run_cnt %llu",
		       (unsigned long long)info->run_time_ns,
		       (unsigned long long)info->run_cnt);
	if (info->recursion_misses)
		printf(" recursion_misses %llu",
		       (unsigned long long)info->recursion_misses);
	printf("\n");
}

static void show_plain(const struct bpf_prog_info *info, int fd,
		       const struct refs *refs)
{
	char buf[64];
	uint32_t *ids;
	struct tm tm;
	time_t t;
	int i, n;

	header_plain(info, fd);
	if (info->load_time) {
		t = boot_to_wall(info->load_time);
		if (localtime_r(&t, &tm))
			strftime(buf, sizeof(buf), "%FT%T%z", &tm);
		else
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)
				 info->load_time / 1000000000);
		printf("\tloaded_at %s  uid %u\n", buf, info->created_by_uid);
	}

	printf("\txlated %uB", info->xlated_prog_len);
	if (info->jited_prog_len)
		printf("  jited %uB", info->jited_prog_len);
	else
		printf("  not jited");
	if (self_fdinfo(fd, "memlock", buf, sizeof(buf)))
		printf("  memlock %sB", buf);
	if (info->nr_map_ids) {
		n = prog_map_ids(fd, info->nr_map_ids, &ids);
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : "  map_ids ", ids[i]);
		free(ids);
	}
	if (info->btf_id)
		printf("\n\tbtf_id %u", info->btf_id);
	refs_plain(refs, info->id);
	printf("\n");
}

static void header_json(struct jw *jw, const struct bpf_prog_info *info,
			int fd)
{
	const char *type = bpfbox_prog_type_name(info->type);
	char name[256], tag[2 * BPF_TAG_SIZE + 1];

	jw_kv_uint(jw, "id", info->id);
	if (type)
		jw_kv_string(jw, "type", type);
	else
		jw_kv_uint(jw, "type", info->type);
	if (info->name[0]) {
		cli_prog_full_name(info, fd, name, sizeof(name));
		jw_kv_string(jw, "name", name);
	}
	tag_str(info->tag, tag);
	jw_kv_string(jw, "tag", tag);
	jw_kv_bool(jw, "gpl_compatible", info->gpl_compatible);
	if (info->run_time_ns) {
		jw_kv_uint(jw, "run_time_ns", info->run_time_ns);
		jw_kv_uint(jw, "run_cnt", info->run_cnt);
	}
	if (info->recursion_misses)
		jw_kv_uint(jw, "recursion_misses", info->recursion_misses);
}

static void dev_json(struct jw *jw, const struct bpf_prog_info *info)
{
	char ifname[IF_NAMESIZE];

	if (!info->ifindex)
		return;
	jw_name(jw, "dev");
	jw_start_object(jw);
	jw_kv_uint(jw, "ifindex", info->ifindex);
	jw_kv_uint(jw, "ns_dev", info->netns_dev);
	jw_kv_uint(jw, "ns_inode", info->netns_ino);
	if (ifname_here(info->ifindex, info->netns_dev, info->netns_ino,
			ifname))
		jw_kv_string(jw, "ifname", ifname);
	jw_end_object(jw);
}

static void show_json(struct jw *jw, const struct bpf_prog_info *info,
		      int fd, const struct refs *refs)
{
	char buf[64];
	uint32_t *ids;
	int i, n;

	jw_start_object(jw);
	header_json(jw, info, fd);
	dev_json(jw, info);
	if (info->load_time) {
		jw_kv_int(jw, "loaded_at", boot_to_wall(info->load_time));
		jw_kv_uint(jw, "uid", info->created_by_uid);
	}
	jw_kv_uint(jw, "bytes_xlated", info->xlated_prog_len);
	jw_kv_bool(jw, "jited", info->jited_prog_len);
	if (info->jited_prog_len)
		jw_kv_uint(jw, "bytes_jited", info->jited_prog_len);
	if (self_fdinfo(fd, "memlock", buf, sizeof(buf)))
		jw_kv_int(jw, "bytes_memlock", atoll(buf));
	if (info->nr_map_ids) {
		n = prog_map_ids(fd, info->nr_map_ids, &ids);
		jw_name(jw, "map_ids");
		jw_start_array(jw);
		for (i = 0; i < n; i++)
			jw_uint(jw, ids[i]);
		jw_end_array(jw);
		free(ids);
	}
	if (info->btf_id)
		jw_kv_int(jw, "btf_id", info->btf_id);
	refs_json(jw, refs, info->id);
	jw_end_object(jw);
}

static int show_fd(struct jw *jw, int fd, const struct refs *refs)
{
	struct bpf_prog_info info;
	int err;

	err = cli_prog_info(fd, &info);
	if (err) {
		cli_fail("cannot get program info: %s", strerror(-err));
		return err;
	}
	if (jw)
		show_json(jw, &info, fd, refs);
	else
		show_plain(&info, fd, refs);
	return 0;
}

static int show_all(struct jw *jw, const struct refs *refs)
{
	uint32_t id = 0;
	int err, fd;

	for (;;) {
		err = bpfbox_prog_get_next_id(id, &id);
		if (err == -ENOENT)
			return 0;
		if (err) {
			cli_fail("cannot get next program id: %s",
				 strerror(-err));
			return err;
		}
		fd = bpfbox_prog_get_fd_by_id(id);
		if (fd == -ENOENT)	/* unloaded while we walked */
			continue;
		if (fd < 0) {
			cli_fail("cannot open program id %u: %s", id,
				 strerror(-fd));
			return fd;
		}
		err = show_fd(jw, fd, refs);
		close(fd);
		if (err)
			return err;
	}
}

static int do_show(struct cli *cli, int argc, char **argv)
{
	struct refs refs = { 0 };
	struct jw *jw = NULL;
	int *fds = NULL, n = 0, i, err = 0;

	if (wants_help(argc, argv))
		return do_help(cli, argc, argv);
	if (argc > PROG_WORDS)
		return usage_err("expected nothing after PROG",
				 argv[PROG_WORDS]);
	if (argc) {
		n = cli_prog_fds(&argc, &argv, &fds);
		if (n < 0)
			return cli_exit_code(n);
	}
	refs_build(&refs);
	if (cli->json) {
		jw = jw_new(stdout, cli->pretty);
		if (!jw) {
			err = cli_fail("out of memory");
			goto out;
		}
	}
	/* bpftool: one object for one program, an array otherwise */
	if (jw && n != 1)
		jw_start_array(jw);
	if (!n)
		err = show_all(jw, &refs);
	for (i = 0; i < n && !err; i++)
		err = show_fd(jw, fds[i], &refs);
	if (jw && n != 1)
		jw_end_array(jw);
	jw_free(jw);
	err = err ? CLI_FAIL : CLI_OK;
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	free(refs.v);
	return err;
}

/* ------------------------------------------------------------------ */
/* kallsyms, to name call targets in xlated code                       */

struct ksym {
	unsigned long long addr;
	size_t idx;		/* file order: the first of aliases wins */
	char *name;
};

struct kallsyms {
	struct ksym *v;
	size_t n;
	unsigned long long call_base;
	bool loaded;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void kallsyms_free(struct kallsyms *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		free(ks->v[i].name);
	free(ks->v);
	memset(ks, 0, sizeof(*ks));
}

static int kallsyms_push(struct kallsyms *ks, size_t *cap,
			 unsigned long long addr, const char *name)
{
	struct ksym *v;

	if (ks->n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		v = realloc(ks->v, *cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ks->v = v;
	}
	ks->v[ks->n].name = strdup(name);
	if (!ks->v[ks->n].name)
		return -ENOMEM;
	ks->v[ks->n].addr = addr;
	ks->v[ks->n].idx = ks->n;
	ks->n++;
	return 0;
}

/* Without kallsyms (or without the addresses) calls show as numbers. */
static void kallsyms_load(struct kallsyms *ks)
{
	unsigned long long addr;
	char line[512], name[256];
	size_t cap = 0;
	FILE *f;

	ks->loaded = true;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %*c %255s", &addr, name) != 2)
			break;
		if (!addr)
			continue;
		if (!strcmp(name, "__bpf_call_base"))
			ks->call_base = addr;
		if (kallsyms_push(ks, &cap, addr, name)) {
			kallsyms_free(ks);
			ks->loaded = true;
			break;
		}
	}
	fclose(f);
	if (ks->n)
		qsort(ks->v, ks->n, sizeof(*ks->v), ksym_cmp);
}

static const char *kallsyms_find(const struct kallsyms *ks,
				 unsigned long long addr)
{
	size_t lo = 0, hi = ks->n, mid;

	/* lower bound: the first symbol at addr, in file order */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ks->v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ks->n && ks->v[lo].addr == addr ? ks->v[lo].name : NULL;
}

/* ------------------------------------------------------------------ */
/* dump xlated                                                         */

struct xdump {
	struct bpf_prog_info info;
	struct bpf_insn *insns;
	size_t ninsns;
	uint64_t *ksyms;		/* jited address of each subprogram */
	uint32_t nksyms;
	struct bpf_func_info *finfo;
	uint32_t nfinfo;
	struct bpf_line_info *linfo;
	uint32_t nlinfo;
	struct bb_btf *btf;
	struct kallsyms ks;
	char scratch[320];
	bool opcodes, linum;
	const char *file;
};

static void xdump_free(struct xdump *d)
{
	free(d->insns);
	free(d->ksyms);
	free(d->finfo);
	free(d->linfo);
	bb_btf_free(d->btf);
	kallsyms_free(&d->ks);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Two rounds, as bpftool: the counts first, then the arrays. */
static int xdump_fetch(int fd, struct xdump *d)
{
	struct bpf_prog_info cnt, info;
	uint32_t len = sizeof(info);
	int err;

	err = cli_prog_info(fd, &cnt);
	if (err)
		return cli_fail_err(err, "cannot get program info: %s",
				    strerror(-err));
	if (!cnt.xlated_prog_len)
		return cli_fail_err(-EPERM, "program %u: the kernel returned "
				    "no instructions (kernel.kptr_restrict, "
				    "or not root?)", cnt.id);
	d->insns = calloc(1, cnt.xlated_prog_len);
	d->ksyms = calloc(cnt.nr_jited_ksyms + 1, sizeof(*d->ksyms));
	d->finfo = calloc(cnt.nr_func_info + 1, sizeof(*d->finfo));
	d->linfo = calloc(cnt.nr_line_info + 1, sizeof(*d->linfo));
	if (!d->insns || !d->ksyms || !d->finfo || !d->linfo)
		return cli_fail_err(-ENOMEM, "out of memory");

	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = cnt.xlated_prog_len;
	info.xlated_prog_insns = (uint64_t)(uintptr_t)d->insns;
	info.nr_jited_ksyms = cnt.nr_jited_ksyms;
	info.jited_ksyms = (uint64_t)(uintptr_t)d->ksyms;
	info.nr_func_info = cnt.nr_func_info;
	info.func_info_rec_size = sizeof(*d->finfo);
	info.func_info = (uint64_t)(uintptr_t)d->finfo;
	info.nr_line_info = cnt.nr_line_info;
	info.line_info_rec_size = sizeof(*d->linfo);
	info.line_info = (uint64_t)(uintptr_t)d->linfo;
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		return cli_fail_err(err, "cannot get program %u "
				    "instructions: %s", cnt.id, strerror(-err));

	d->info = info;
	d->ninsns = min_u32(info.xlated_prog_len, cnt.xlated_prog_len) /
		    sizeof(struct bpf_insn);
	d->nksyms = min_u32(info.nr_jited_ksyms, cnt.nr_jited_ksyms);
	d->nfinfo = min_u32(info.nr_func_info, cnt.nr_func_info);
	d->nlinfo = min_u32(info.nr_line_info, cnt.nr_line_info);
	/* without its BTF the dump just lacks prototypes and source */
	if (info.btf_id && cli_btf_get(info.btf_id, &d->btf))
		d->btf = NULL;
	if (!d->btf)
		d->nfinfo = d->nlinfo = 0;
	return 0;
}

static void xdump_need_kallsyms(struct xdump *d)
{
	if (!d->ks.loaded)
		kallsyms_load(&d->ks);
}

/* helper and kfunc calls: imm is the target's offset from __bpf_call_base */
static const char *xdump_addr_name(void *priv, unsigned long long imm)
{
	struct xdump *d = priv;
	unsigned long long addr;
	const char *name;

	xdump_need_kallsyms(d);
	addr = d->ks.call_base + imm;
	name = kallsyms_find(&d->ks, addr);
	if (name)
		return name;
	snprintf(d->scratch, sizeof(d->scratch), "%#llx", addr);
	return d->scratch;
}

/*
 * bpf-to-bpf calls in xlated code: off is the pc-relative offset, imm the
 * index of the callee in jited_ksyms (bpftool's print_call_pcrel()).
 */
static void xdump_pcrel(struct xdump *d, const struct bpf_insn *in,
			char *buf, size_t len)
{
	unsigned long long addr;
	const char *name;

	if (!d->nksyms) {
		snprintf(buf, len, "(%02x) call pc%+d", in->code, in->off);
		return;
	}
	xdump_need_kallsyms(d);
	if ((uint32_t)in->imm < d->nksyms)
		addr = d->ksyms[in->imm];
	else
		addr = d->ks.call_base + (unsigned long long)(long long)in->imm;
	name = kallsyms_find(&d->ks, addr);
	if (name)
		snprintf(buf, len, "(%02x) call pc%+d#%s", in->code, in->off,
			 name);
	else
		snprintf(buf, len, "(%02x) call pc%+d#0x%llx", in->code,
			 in->off, addr);
}

static int xdump_insn(struct xdump *d, size_t i, char *buf, size_t len)
{
	const struct bb_disasm_ctx ctx = {
		.addr_name = xdump_addr_name,
		.priv = d,
	};
	const struct bpf_insn *in = &d->insns[i];
	int slots;

	slots = bb_disasm_insn(d->insns, d->ninsns, i, &ctx, buf, len);
	if (slots > 0 && in->code == (BPF_JMP | BPF_CALL) &&
	    in->src_reg == BPF_PSEUDO_CALL)
		xdump_pcrel(d, in, buf, len);
	if (slots < 0) {
		/* a ld_imm64 cut in half: say so and go on, as bpftool */
		snprintf(buf, len, "(%02x) BUG_truncated_ld_imm64", in->code);
		slots = 1;
	}
	return slots;
}

/* ---- function prototypes from BTF (bpftool's btf_dumper_type_only) ---- */

#define SIG_MAX_DEPTH	32

static int sig_type(const struct bb_btf *btf, uint32_t id, char *s, int pos,
		    int size, int depth);

#define SIG_ARG(...)							\
	do {								\
		pos += snprintf(s + pos, size - pos, __VA_ARGS__);	\
		if (pos >= size)					\
			return -1;					\
	} while (0)
#define SIG_TYPE(id)							\
	do {								\
		pos = sig_type(btf, id, s, pos, size, depth + 1);	\
		if (pos < 0)						\
			return -1;					\
	} while (0)

static int sig_func(const struct bb_btf *btf, const struct btf_type *proto,
		    const struct btf_type *func, char *s, int pos, int size,
		    int depth)
{
	const struct btf_param *p;
	uint32_t i, vlen;

	if (!proto || bb_btf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return -1;
	SIG_TYPE(proto->type);
	if (func)
		SIG_ARG("%s(", bb_btf_type_name(btf, func));
	else
		SIG_ARG("(");
	vlen = bb_btf_vlen(proto);
	p = bb_btf_params(proto);
	for (i = 0; i < vlen; i++) {
		if (i)
			SIG_ARG(", ");
		if (!p[i].type) {
			SIG_ARG("...");
			continue;
		}
		SIG_TYPE(p[i].type);
		if (p[i].name_off && bb_btf_str(btf, p[i].name_off))
			SIG_ARG("%s", bb_btf_str(btf, p[i].name_off));
		else if (pos && s[pos - 1] == ' ')
			s[--pos] = '\0';	/* no name: no space either */
	}
	SIG_ARG(")");
	return pos;
}

static int sig_type(const struct bb_btf *btf, uint32_t id, char *s, int pos,
		    int size, int depth)
{
	const struct btf_type *t;
	const char *name;

	if (depth > SIG_MAX_DEPTH)
		return -1;
	if (!id) {
		SIG_ARG("void ");
		return pos;
	}
	t = bb_btf_type(btf, id);
	if (!t)
		return -1;
	name = bb_btf_type_name(btf, t);
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		SIG_ARG("%s ", name);
		break;
	case BTF_KIND_STRUCT:
		SIG_ARG("struct %s ", name);
		break;
	case BTF_KIND_UNION:
		SIG_ARG("union %s ", name);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		SIG_ARG("enum %s ", name);
		break;
	case BTF_KIND_ARRAY:
		SIG_TYPE(bb_btf_array(t)->type);
		SIG_ARG("[%d]", (int)bb_btf_array(t)->nelems);
		break;
	case BTF_KIND_PTR:
		SIG_TYPE(t->type);
		SIG_ARG("* ");
		break;
	case BTF_KIND_FWD:
		SIG_ARG("%s %s ", bb_btf_kflag(t) ? "union" : "struct", name);
		break;
	case BTF_KIND_VOLATILE:
		SIG_ARG("volatile ");
		SIG_TYPE(t->type);
		break;
	case BTF_KIND_CONST:
		SIG_ARG("const ");
		SIG_TYPE(t->type);
		break;
	case BTF_KIND_RESTRICT:
		SIG_ARG("restrict ");
		SIG_TYPE(t->type);
		break;
	case BTF_KIND_FUNC_PROTO:
		pos = sig_func(btf, t, NULL, s, pos, size, depth);
		break;
	case BTF_KIND_FUNC:
		pos = sig_func(btf, bb_btf_type(btf, t->type), t, s, pos,
			       size, depth);
		break;
	case BTF_KIND_VAR:
		if (bb_btf_var(t)->linkage == BTF_VAR_STATIC)
			SIG_ARG("static ");
		SIG_TYPE(t->type);
		SIG_ARG(" %s", name);
		break;
	case BTF_KIND_DATASEC:
		SIG_ARG("section (\"%s\") ", name);
		break;
	default:
		return -1;
	}
	return pos;
}

static void func_sig(const struct bb_btf *btf, uint32_t id, char *buf,
		     int size)
{
	buf[0] = '\0';
	if (sig_type(btf, id, buf, 0, size, 0) < 0)
		buf[0] = '\0';
}

/* libbpf's bpf_prog_linfo__lfind(): the last record at insn i, from skip */
static const struct bpf_line_info *linfo_find(const struct xdump *d,
					      uint32_t i, uint32_t skip)
{
	const struct bpf_line_info *l;
	uint32_t k;

	if (skip >= d->nlinfo || i < d->linfo[skip].insn_off)
		return NULL;
	for (k = skip; k + 1 < d->nlinfo && d->linfo[k + 1].insn_off <= i; k++)
		;
	l = &d->linfo[k];
	return l->insn_off == i ? l : NULL;
}

static const char *ltrim(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * Walk the instructions, with the prototype and source line that start
 * at each; the printer is called once per instruction (ld_imm64: once).
 */
struct xline {
	size_t pc;
	const char *proto;		/* NULL when none starts here */
	const struct bpf_line_info *line;
	const char *disasm;
	int slots;
};

typedef void (*xline_fn)(struct xdump *d, const struct xline *l, void *arg);

static void xdump_walk(struct xdump *d, xline_fn fn, void *arg)
{
	char sig[1024], text[512];
	uint32_t fi = 0, skip = 0;
	struct xline l;
	size_t i = 0;

	while (i < d->ninsns) {
		memset(&l, 0, sizeof(l));
		l.pc = i;
		if (fi < d->nfinfo && d->finfo[fi].insn_off == i) {
			func_sig(d->btf, d->finfo[fi].type_id, sig,
				 sizeof(sig));
			if (sig[0])
				l.proto = sig;
			fi++;
		}
		l.line = linfo_find(d, i, skip);
		if (l.line)
			skip++;
		l.slots = xdump_insn(d, i, text, sizeof(text));
		l.disasm = text;
		fn(d, &l, arg);
		i += l.slots;
	}
}

static void print_hex(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}

static void xline_plain(struct xdump *d, const struct xline *l, void *arg)
{
	const char *src, *file;

	(void)arg;
	if (l->proto) {
		cli_fputs_safe(stdout, l->proto);
		fputs(":\n", stdout);
	}
	src = l->line ? bb_btf_str(d->btf, l->line->line_off) : NULL;
	if (src) {
		fputs("; ", stdout);
		cli_fputs_safe(stdout, ltrim(src));
		if (d->linum) {
			file = bb_btf_str(d->btf, l->line->file_name_off);
			fputs(" [file:", stdout);
			cli_fputs_safe(stdout, file ? file : "");
			printf(" line_num:%u line_col:%u]",
			       BPF_LINE_INFO_LINE_NUM(l->line->line_col),
			       BPF_LINE_INFO_LINE_COL(l->line->line_col));
		}
		fputc('\n', stdout);
	}
	/* bpftool's "% 4d": a space, then at least three digits */
	printf(" %3zu: ", l->pc);
	cli_fputs_safe(stdout, l->disasm);
	fputc('\n', stdout);
	if (d->opcodes) {
		printf("       ");
		print_hex(&d->insns[l->pc], sizeof(struct bpf_insn));
		if (l->slots == 2) {
			printf(" ");
			print_hex(&d->insns[l->pc + 1],
				  sizeof(struct bpf_insn));
		}
		printf("\n");
	}
}

static void hex_array_json(struct jw *jw, const void *p, size_t n)
{
	const uint8_t *b = p;
	char buf[8];
	size_t i;

	jw_start_array(jw);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "0x%02x", b[i]);
		jw_string(jw, buf);
	}
	jw_end_array(jw);
}

static void opcodes_json(struct jw *jw, const struct bpf_insn *in, int slots)
{
	char buf[8];

	jw_name(jw, "opcodes");
	jw_start_object(jw);
	snprintf(buf, sizeof(buf), "0x%02x", in->code);
	jw_kv_string(jw, "code", buf);
	snprintf(buf, sizeof(buf), "0x%x", in->src_reg);
	jw_kv_string(jw, "src_reg", buf);
	snprintf(buf, sizeof(buf), "0x%x", in->dst_reg);
	jw_kv_string(jw, "dst_reg", buf);
	jw_name(jw, "off");
	hex_array_json(jw, &in->off, sizeof(in->off));
	/* ld_imm64: the imm of the first half and all of the second */
	jw_name(jw, "imm");
	hex_array_json(jw, &in->imm, slots == 2 ? 4 + sizeof(*in) : 4);
	jw_end_object(jw);
}

static void xline_json(struct xdump *d, const struct xline *l, void *arg)
{
	struct jw *jw = arg;
	const char *src, *file;
	uint32_t num, col;

	jw_start_object(jw);
	jw_kv_uint(jw, "pc", l->pc);
	if (l->proto)
		jw_kv_string(jw, "proto", l->proto);
	if (l->line) {
		src = bb_btf_str(d->btf, l->line->line_off);
		if (src)
			jw_kv_string(jw, "src", ltrim(src));
		if (d->linum) {
			file = bb_btf_str(d->btf, l->line->file_name_off);
			num = BPF_LINE_INFO_LINE_NUM(l->line->line_col);
			col = BPF_LINE_INFO_LINE_COL(l->line->line_col);
			if (file)
				jw_kv_string(jw, "file", file);
			if (num)
				jw_kv_int(jw, "line_num", num);
			if (col)
				jw_kv_int(jw, "line_col", col);
		}
	}
	jw_kv_string(jw, "disasm", l->disasm);
	if (d->opcodes)
		opcodes_json(jw, &d->insns[l->pc], l->slots);
	jw_end_object(jw);
}

/* "file FILE": the raw instructions, as bpftool writes them */
static int xdump_to_file(struct xdump *d)
{
	size_t len = d->ninsns * sizeof(struct bpf_insn);
	FILE *f = fopen(d->file, "w");
	bool ok;

	if (!f)
		return cli_fail_err(-errno, "cannot open %s: %s", d->file,
				    strerror(errno));
	ok = fwrite(d->insns, 1, len, f) == len;
	if (fclose(f) || !ok)
		return cli_fail_err(-EIO, "cannot write %s", d->file);
	return 0;
}

struct dump_opts {
	bool opcodes, linum;
	const char *file;
};

static int dump_one(struct jw *jw, int fd, const struct dump_opts *opts,
		    bool many, bool last)
{
	struct xdump d = { 0 };
	int err;

	d.opcodes = opts->opcodes;
	d.linum = opts->linum;
	d.file = opts->file;
	err = xdump_fetch(fd, &d);
	if (err)
		goto out;
	if (d.file) {
		err = xdump_to_file(&d);
		goto out;
	}
	if (jw && many) {
		jw_start_object(jw);
		header_json(jw, &d.info, fd);
		jw_name(jw, "insns");
	} else if (many) {
		/* bpftool prints the show header line above each dump */
		header_plain(&d.info, fd);
	}
	if (jw) {
		jw_start_array(jw);
		xdump_walk(&d, xline_json, jw);
		jw_end_array(jw);
	} else {
		xdump_walk(&d, xline_plain, NULL);
	}
	if (jw && many)
		jw_end_object(jw);
	else if (many && !last)
		printf("\n");
out:
	xdump_free(&d);
	return err;
}

static int parse_dump_opts(int argc, char **argv, struct dump_opts *opts)
{
	for (; argc; argc--, argv++) {
		if (cli_is_prefix(argv[0], "opcodes")) {
			opts->opcodes = true;
		} else if (cli_is_prefix(argv[0], "linum")) {
			opts->linum = true;
		} else if (cli_is_prefix(argv[0], "file") && argc > 1) {
			opts->file = argv[1];
			argc--, argv++;
		} else {
			return usage_err("expected 'opcodes', 'linum' or "
					 "'file FILE' after PROG", argv[0]);
		}
	}
	return 0;
}

static int do_dump(struct cli *cli, int argc, char **argv)
{
	struct dump_opts opts = { 0 };
	struct jw *jw = NULL;
	int *fds = NULL, n, i, err = 0;

	if (wants_help(argc, argv))
		return do_help(cli, argc, argv);
	if (!argc)
		return usage_err("expected 'xlated' after 'dump'", NULL);
	if (cli_is_prefix(argv[0], "jited"))
		return cli_fail("dump jited is not supported: bpfbox has no "
				"disassembler for native code; use 'dump "
				"xlated'");
	if (!cli_is_prefix(argv[0], "xlated"))
		return usage_err("expected 'xlated' after 'dump'", argv[0]);
	argc--, argv++;
	if (argc > PROG_WORDS &&
	    parse_dump_opts(argc - PROG_WORDS, argv + PROG_WORDS, &opts))
		return CLI_USAGE;
	n = cli_prog_fds(&argc, &argv, &fds);
	if (n < 0)
		return cli_exit_code(n);
	if (opts.file && n > 1) {
		err = cli_fail("%d programs match; 'file' takes one", n);
		goto out;
	}
	if (cli->json && !opts.file) {
		jw = jw_new(stdout, cli->pretty);
		if (!jw) {
			err = cli_fail("out of memory");
			goto out;
		}
	}
	if (jw && n > 1)
		jw_start_array(jw);
	for (i = 0; i < n; i++) {
		if (dump_one(jw, fds[i], &opts, n > 1, i == n - 1))
			err = CLI_FAIL;
	}
	if (jw && n > 1)
		jw_end_array(jw);
	jw_free(jw);
	if (!err && cli->json && opts.file)
		printf("null\n");
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return err;
}

/* ------------------------------------------------------------------ */
/* pin, load, loadall                                                  */

/*
 * Pinning works only on a bpffs: mount the standard one if nothing is
 * mounted, then check that path (or the directory that will hold it)
 * is on one, so the user hears why instead of a bare EPERM.
 */
/* bpffs keeps '.' for itself: names with one get EPERM, say why */
static const char *dot_hint(int err, const char *path)
{
	if (err == -EPERM && strchr(path, '.'))
		return " (bpffs refuses '.' in names)";
	return "";
}

static int check_bpffs(const char *path, const char *shown)
{
	char mnt[PATH_MAX];
	int r;

	if (bpfbox_bpffs_path(mnt, sizeof(mnt)))
		return cli_fail_err(-EPERM, "%s", bpfbox_errmsg());
	r = bpfbox_path_is_bpffs(path);
	if (r < 0)
		return cli_fail_err(r, "%s%s", bpfbox_errmsg(),
				    dot_hint(r, shown));
	if (!r)
		return cli_fail_err(-EINVAL, "%s is not on a bpf filesystem: "
				    "objects can only be pinned under one "
				    "(bpffs is mounted at %s)", shown, mnt);
	return 0;
}

static int pin_fd(int fd, const char *path)
{
	int err = bpfbox_obj_pin(fd, path);

	if (err == -EEXIST)
		cli_fail("cannot pin at %s: something is already pinned "
			 "there", path);
	else if (err)
		cli_fail("cannot pin at %s: %s%s", path, strerror(-err),
			 dot_hint(err, path));
	return err;
}

static void print_null(const struct cli *cli)
{
	if (cli->json)
		printf("null\n");
}

static int do_pin(struct cli *cli, int argc, char **argv)
{
	int fd, err;

	if (wants_help(argc, argv))
		return do_help(cli, argc, argv);
	if (argc != PROG_WORDS + 1)
		return usage_err("expected PROG FILE after 'pin'",
				 argc > PROG_WORDS + 1 ?
				 argv[PROG_WORDS + 1] : NULL);
	fd = cli_prog_fd(&argc, &argv);
	if (fd < 0)
		return cli_exit_code(fd);
	err = check_bpffs(argv[0], argv[0]);
	if (!err)
		err = pin_fd(fd, argv[0]);
	close(fd);
	if (err)
		return CLI_FAIL;
	print_null(cli);
	return CLI_OK;
}

struct load_args {
	const char *obj;
	const char *path;
	const char *pinmaps;
	char **only;
	int nonly;
	bool all;		/* loadall: pin every program under path */
};

/* what was made on disk, undone in reverse when a later step fails */
struct undo {
	char **paths;
	bool *is_dir;
	size_t n;
};

static int undo_push(struct undo *u, const char *path, bool is_dir)
{
	char **p = realloc(u->paths, (u->n + 1) * sizeof(*p));
	bool *d;

	if (!p)
		return -ENOMEM;
	u->paths = p;
	d = realloc(u->is_dir, (u->n + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	u->is_dir = d;
	u->paths[u->n] = strdup(path);
	if (!u->paths[u->n])
		return -ENOMEM;
	u->is_dir[u->n++] = is_dir;
	return 0;
}

static void undo_run(struct undo *u)
{
	while (u->n--) {
		if (u->is_dir[u->n])
			rmdir(u->paths[u->n]);
		else
			unlink(u->paths[u->n]);
	}
	u->n = 0;
}

static void undo_free(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->paths[i]);
	free(u->paths);
	free(u->is_dir);
}

/* mkdir -p, remembering each directory made */
static int mkdir_p(const char *dir, struct undo *u)
{
	char buf[PATH_MAX], *p, c;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return cli_fail_err(-ENAMETOOLONG, "path too long: %s", dir);
	for (p = buf + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (!mkdir(buf, 0700)) {
			if (undo_push(u, buf, true))
				return cli_fail_err(-ENOMEM, "out of memory");
		} else if (errno != EEXIST) {
			return cli_fail_err(-errno, "cannot create directory "
					    "%s: %s%s", buf, strerror(errno),
					    dot_hint(-errno, buf));
		}
		*p = c;
		if (!c)
			return 0;
	}
}

/* the deepest part of path that exists, to ask what filesystem it is on */
static void existing_ancestor(const char *path, char *buf, size_t len)
{
	struct stat st;
	char *slash;

	snprintf(buf, len, "%s", path);
	while (stat(buf, &st)) {
		slash = strrchr(buf, '/');
		if (!slash) {
			snprintf(buf, len, ".");
			return;
		}
		if (slash == buf) {
			buf[1] = '\0';
			return;
		}
		*slash = '\0';
	}
}

/* bpffs refuses '.' in names (reserved); libbpf turns it into '_' too */
static int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	char *p;
	int n = snprintf(buf, len, "%s/", dir);

	if (n < 0 || snprintf(buf + n, len - n, "%s", name) >= (int)(len - n))
		return cli_fail_err(-ENAMETOOLONG, "path too long: %s/%s",
				    dir, name);
	for (p = buf + n; *p; p++)
		if (*p == '.' || *p == '/')
			*p = '_';
	return 0;
}

/* Programs in .text are subprograms: called, never loaded on their own. */
static bool is_subprog(const struct bpfbox_prog *prog)
{
	const char *sec = bpfbox_prog_section(prog);

	return sec && !strcmp(sec, ".text");
}

static int apply_only(struct bpfbox_object *obj, const struct load_args *a)
{
	struct bpfbox_prog *prog;
	size_t i, n = bpfbox_object_prog_count(obj);
	int k;

	for (k = 0; k < a->nonly; k++) {
		prog = bpfbox_object_find_prog(obj, a->only[k]);
		if (prog && !is_subprog(prog))
			continue;
		fprintf(stderr, "bpfbox: no program '%s' in %s; its programs "
			"are:", a->only[k], a->obj);
		for (i = 0, k = 0; i < n; i++) {
			prog = bpfbox_object_prog(obj, i);
			if (!is_subprog(prog))
				fprintf(stderr, "%s %s", k++ ? "," : "",
					bpfbox_prog_name(prog));
		}
		fputc('\n', stderr);
		return -ENOENT;
	}
	if (!a->nonly)
		return 0;
	for (i = 0; i < n; i++) {
		prog = bpfbox_object_prog(obj, i);
		if (is_subprog(prog))
			continue;
		for (k = 0; k < a->nonly; k++)
			if (!strcmp(bpfbox_prog_name(prog), a->only[k]))
				break;
		if (k == a->nonly)
			bpfbox_prog_set_autoload(prog, false);
		else
			bpfbox_prog_set_autoload(prog, true);
	}
	return 0;
}

static int pin_progs(struct bpfbox_object *obj, const struct load_args *a,
		     struct undo *u)
{
	struct bpfbox_prog *prog;
	size_t i, n = bpfbox_object_prog_count(obj);
	char path[PATH_MAX];
	int err, pinned = 0;

	for (i = 0; i < n; i++) {
		prog = bpfbox_object_prog(obj, i);
		if (is_subprog(prog) || !bpfbox_prog_autoload(prog) ||
		    bpfbox_prog_fd(prog) < 0)
			continue;
		if (a->all) {
			err = pin_path(path, sizeof(path), a->path,
				       bpfbox_prog_name(prog));
			if (err)
				return err;
		} else {
			snprintf(path, sizeof(path), "%s", a->path);
		}
		err = pin_fd(bpfbox_prog_fd(prog), path);
		if (err)
			return err;
		if (undo_push(u, path, false))
			return cli_fail_err(-ENOMEM, "out of memory");
		pinned++;
		if (!a->all)
			break;
	}
	if (!pinned)
		return cli_fail_err(-ENOENT, "%s: no program was loaded, "
				    "nothing to pin", a->obj);
	return 0;
}

static int pin_maps(struct bpfbox_object *obj, const char *dir,
		    struct undo *u)
{
	struct bpfbox_map *map;
	size_t i, n = bpfbox_object_map_count(obj);
	char path[PATH_MAX];
	int err;

	err = mkdir_p(dir, u);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		map = bpfbox_object_map(obj, i);
		if (bpfbox_map_fd(map) < 0)
			continue;
		err = pin_path(path, sizeof(path), dir, bpfbox_map_name(map));
		if (err)
			return err;
		err = pin_fd(bpfbox_map_fd(map), path);
		if (err)
			return err;
		if (undo_push(u, path, false))
			return cli_fail_err(-ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_load_args(int argc, char **argv, struct load_args *a)
{
	if (argc < 2)
		return usage_err(a->all ? "expected OBJ and DIR after 'loadall'"
				 : "expected OBJ and FILE after 'load'",
				 argc ? argv[0] : NULL);
	a->obj = argv[0];
	a->path = argv[1];
	a->only = calloc(argc, sizeof(*a->only));
	if (!a->only)
		return cli_fail("out of memory");
	for (argc -= 2, argv += 2; argc; argc--, argv++) {
		if (!strcmp(argv[0], "--only") && argc > 1) {
			a->only[a->nonly++] = argv[1];
		} else if (!strncmp(argv[0], "--only=", 7) && argv[0][7]) {
			a->only[a->nonly++] = argv[0] + 7;
			continue;
		} else if (cli_is_prefix(argv[0], "pinmaps") && argc > 1) {
			a->pinmaps = argv[1];
		} else {
			return usage_err("expected '--only PROG_NAME' or "
					 "'pinmaps MAP_DIR'", argv[0]);
		}
		argc--, argv++;
	}
	return CLI_OK;
}

/* The pin places exist on a bpffs, or can be made on one. */
static int check_pin_places(const struct load_args *a)
{
	char anc[PATH_MAX];
	int err;

	existing_ancestor(a->path, anc, sizeof(anc));
	err = check_bpffs(a->all ? anc : a->path, a->path);
	if (!err && a->pinmaps) {
		existing_ancestor(a->pinmaps, anc, sizeof(anc));
		err = check_bpffs(anc, a->pinmaps);
	}
	return err;
}

static int load_common(struct cli *cli, int argc, char **argv, bool all)
{
	struct bpfbox_open_opts oopts = { .sz = sizeof(oopts) };
	struct bpfbox_load_opts lopts = { .sz = sizeof(lopts) };
	struct load_args a = { .all = all };
	struct bpfbox_object *obj = NULL;
	struct undo u = { 0 };
	int err;

	if (wants_help(argc, argv))
		return do_help(cli, argc, argv);
	err = parse_load_args(argc, argv, &a);
	if (err)
		goto out;
	err = CLI_FAIL;
	if (bpfbox_object_open_file(a.obj, &oopts, &obj)) {
		cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	if (apply_only(obj, &a) || check_pin_places(&a))
		goto out;
	lopts.verifier_log_path = cli->verifier_log;
	if (bpfbox_object_load(obj, &lopts)) {
		cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	if ((all && mkdir_p(a.path, &u)) || pin_progs(obj, &a, &u) ||
	    (a.pinmaps && pin_maps(obj, a.pinmaps, &u))) {
		undo_run(&u);
		goto out;
	}
	print_null(cli);
	err = CLI_OK;
out:
	bpfbox_object_close(obj);
	undo_free(&u);
	free(a.only);
	return err;
}

static int do_load(struct cli *cli, int argc, char **argv)
{
	return load_common(cli, argc, argv, false);
}

static int do_loadall(struct cli *cli, int argc, char **argv)
{
	return load_common(cli, argc, argv, true);
}

static const struct cli_cmd verbs[] = {
	{ "show",	do_show,	"list loaded programs" },
	{ "list",	do_show,	"same as show" },
	{ "help",	do_help,	"this text" },
	{ "dump",	do_dump,	"disassemble a loaded program" },
	{ "pin",	do_pin,		"pin a program on bpffs" },
	{ "load",	do_load,	"load an object, pin its first program" },
	{ "loadall",	do_loadall,	"load an object, pin every program" },
	{ NULL },
};

int cmd_prog(struct cli *cli, int argc, char **argv)
{
	return cli_select(cli, "prog", verbs, argc, argv);
}
