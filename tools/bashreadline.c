// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bashreadline: print the lines typed into interactive bash shells
 * (user side; the kernel side is bashreadline.bpf.c). Options and
 * columns follow libbpf-tools' bashreadline (-s) and bcc's (-s, and its
 * TIME PID COMMAND columns); see usage() and docs/tools/bashreadline.md
 * for what differs.
 *
 * The probe goes where readline's code is: in bash itself (Debian links
 * it in), or in the libreadline bash was linked with, found from bash's
 * DT_NEEDED entries the way ld.so finds it (lib/elf_needed.c), without
 * running ldd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "cli.h"
#include "common.h"
#include "elf.h"
#include "elf_needed.h"
#include "err.h"
#include "uprobe_resolve.h"
#include "bashreadline.h"
/* the skeleton's own typedefs would clash with <stdbool.h>'s bool */
#define bashreadline__SKEL_NO_TYPES
#include "bashreadline.skel.h"

#define TOOL "bashreadline"
#define LD_CACHE "/etc/ld.so.cache"

struct env {
	const char *shared, *cgroup, *file;
	int32_t pid;
	bool json, verbose, print_uid;
	bool header;		/* -f to a file that has lines: none */
	uint64_t start_ns;
};

/* where the uretprobe goes */
struct target {
	char path[PATH_MAX];	/* bash, or the libreadline it needs */
	const char *func;	/* one of rl_funcs[] */
	bool shared;		/* a library: other programs may use it */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bashreadline [OPTIONS]\n"
"Print the commands typed into interactive bash shells, from a uretprobe\n"
"on readline (on readline_internal_teardown where bash has it, so that a\n"
"shell already waiting at its prompt is seen too).\n"
"\n"
"  -s, --shared PATH     the bash binary or the libreadline.so to probe\n"
"                        (default /bin/bash; when readline is not in it,\n"
"                        the libreadline among its DT_NEEDED libraries)\n"
"  -p, --pid PID         only the shell with this process id\n"
"  -c, --cgroup PATH     only shells in this cgroup v2 (or below it)\n"
"  -U, --print-uid       include a UID column\n"
"  -f, --file FILE       append the output to FILE (the header only when\n"
"                        FILE is empty), as bcc's -f\n"
"  -j, --json            one JSON object per line typed (NDJSON)\n"
"  -v, --verbose         say which file and function are probed\n"
"  -h, --help            this text\n"
"\n"
"Lines of up to %d bytes come whole. On a shared libreadline only\n"
"processes named bash are shown, unless -p names one. Filters are\n"
"applied in the kernel. Typed text is escaped: control characters and\n"
"invalid UTF-8 print as \\xNN.\n"
"Examples:\n"
"  bashreadline                        every bash on this machine\n"
"  bashreadline -p 1234 -j             one shell, as JSON\n"
"  bashreadline -s /usr/lib/libreadline.so.8\n", BR_LINE_MAX - 1);
}

static const struct option longopts[] = {
	{ "shared", required_argument, NULL, 's' },
	{ "pid", required_argument, NULL, 'p' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "file", required_argument, NULL, 'f' },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

static int parse_opt(void *ctx, int c, const char *arg)
{
	struct env *env = ctx;
	switch (c) {
	case 'j': env->json = true; break;
	case 'v': env->verbose = true; break;
	case 'c': env->cgroup = arg; break;
	case 'U': env->print_uid = true; break;
	case 'f':
		if (!*arg)
			return tool_usage(TOOL, "-f: empty file name");
		env->file = arg;
		break;
	case 's':
		if (!*arg)
			return tool_usage(TOOL, "-s: empty path");
		env->shared = arg;
		break;
	case 'p':
		if (tool_parse_pid(arg, &env->pid))
			return tool_usage(TOOL, "-p: invalid PID '%s'", arg);
		break;
	case 'h':
		usage(stdout);
		return -1;
	default:
		return tool_usage(TOOL, "unknown option");
	}
	return 0;
}

/* 0: go on; -1: --help done (exit 0); else the exit code */
static int parse_args(struct env *env, int argc, char **argv)
{
	return tool_parse_args(TOOL, argc, argv, "s:p:c:Uf:jvh",
			       longopts, parse_opt, env);
}

/* ---- finding readline ---- */

/* the functions that return the line typed, best first */
static const char *const rl_funcs[] = {
	"readline_internal_teardown", "readline",
};

/* an ELF file mapped whole, and its parse */
struct elf_file {
	void *map;
	size_t size;
	struct bb_elf *elf;
};

static void elf_file_close(struct elf_file *f)
{
	bb_elf_free(f->elf);
	if (f->map)
		munmap(f->map, f->size);
	memset(f, 0, sizeof(*f));
}

/* a whole file mapped read-only; NULL (errno set) if it cannot be */
static void *map_file(const char *path, size_t *size)
{
	struct stat st;
	void *map;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		errno = ENOEXEC;
		return NULL;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = errno;
	close(fd);
	errno = err;
	if (map == MAP_FAILED)
		return NULL;
	*size = st.st_size;
	return map;
}

static int elf_file_open(const char *path, struct elf_file *f)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->map = map_file(path, &f->size);
	if (!f->map)
		return bb_err(errno, "%s: %s", path, errno == ENOEXEC ?
			      "not a regular, non-empty file" : strerror(errno));
	err = bb_elf_open(f->map, f->size, &f->elf);
	if (err) {
		elf_file_close(f);
		return bb_err_wrap(err, "%s", path);
	}
	return 0;
}

/* the first of rl_funcs with code in f, or NULL */
static const char *rl_func_in(const struct elf_file *f, const char *path)
{
	uint64_t off;
	size_t i;

	for (i = 0; i < sizeof(rl_funcs) / sizeof(*rl_funcs); i++)
		if (!bb_uprobe_func_offset(f->elf, path, rl_funcs[i], 0, &off))
			return rl_funcs[i];
	return NULL;
}

/* what the library search saw, for the message when it fails */
struct seen {
	char text[2048];
	size_t len;
};

static void note_seen(struct seen *s, const char *name, const char *path)
{
	int n;

	if (s->len >= sizeof(s->text))
		return;
	n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s%s %s%s",
		     s->len ? ", " : "", name, path ? "at " : "",
		     path ? path : "not found");
	if (n > 0)
		s->len += n;
}

/*
 * The library ld.so would load for name: the first candidate that is
 * an ELF for the same machine as the binary. Opened in lib, its path
 * in path; -ENOENT when there is none.
 */
static int open_lib(const struct bb_lib_search *s, const char *name,
		    uint16_t machine, struct elf_file *lib, char *path)
{
	const size_t len = 16384;
	char *cands = malloc(len);
	const char *c;
	int err = -ENOENT;

	if (!cands)
		return -ENOMEM;
	if (bb_lib_candidates(s, name, cands, len))
		cands[0] = '\0';	/* too many places: none tried */
	for (c = cands; *c; c += strlen(c) + 1) {
		if (elf_file_open(c, lib))
			continue;
		if (lib->elf->machine == machine && realpath(c, path)) {
			err = 0;
			break;
		}
		elf_file_close(lib);
	}
	free(cands);
	return err;
}

/* readline in one of the libraries bin needs (DT_NEEDED, in order) */
static int search_needed(const struct elf_file *bin, const char *bin_path,
			 const struct bb_elf_dyn *dyn, struct target *t,
			 struct seen *seen)
{
	struct bb_lib_search s = {
		.rpath = dyn->rpath, .runpath = dyn->runpath,
		.ld_library_path = getenv("LD_LIBRARY_PATH"),
	};
	char origin[PATH_MAX], path[PATH_MAX];
	struct elf_file lib;
	size_t i;
	int err = -ENOENT;

	snprintf(origin, sizeof(origin), "%s", bin_path);
	s.origin = dirname(origin);
	s.cache = map_file(LD_CACHE, &s.cache_size);
	for (i = 0; i < dyn->nneeded && err; i++) {
		if (open_lib(&s, dyn->needed[i], bin->elf->machine, &lib,
			     path)) {
			note_seen(seen, dyn->needed[i], NULL);
			continue;
		}
		note_seen(seen, dyn->needed[i], path);
		t->func = rl_func_in(&lib, path);
		elf_file_close(&lib);
		if (t->func) {
			strcpy(t->path, path);
			t->shared = true;
			err = 0;
		}
	}
	if (s.cache)
		munmap((void *)s.cache, s.cache_size);
	return err;
}

/* the binary to start from: -s PATH, else /bin/bash, else bash in PATH */
static int find_start(const struct env *env, char *path)
{
	if (env->shared)
		return bb_uprobe_find_binary("-s", env->shared, env->shared,
					     path, PATH_MAX);
	if (!bb_uprobe_find_binary("bash", "/bin/bash", "/bin/bash", path,
				   PATH_MAX))
		return 0;
	return bb_uprobe_find_binary("bash", "bash", "bash", path, PATH_MAX);
}

static int no_readline(const char *path, const struct seen *seen)
{
	return tool_fail(TOOL, "no readline in %s: it defines neither readline_internal_teardown nor readline, nor does a library it needs (%s); give bash or its libreadline.so with -s PATH",
			 path, seen->len ? seen->text : "it needs none");
}

/* 0, or the exit code after saying why */
static int find_target(const struct env *env, struct target *t)
{
	struct seen seen = { .len = 0 };
	struct bb_elf_dyn *dyn;
	char start[PATH_MAX];
	struct elf_file bin;
	int err, ret = TOOL_OK;

	if (find_start(env, start) || elf_file_open(start, &bin))
		return tool_fail(TOOL, "%s; give bash or its libreadline.so with -s PATH",
				 bpfbox_errmsg());
	dyn = malloc(sizeof(*dyn));
	if (!dyn) {
		elf_file_close(&bin);
		return tool_fail(TOOL, "out of memory");
	}
	err = bb_elf_dyn_read(bin.elf, dyn);
	t->func = rl_func_in(&bin, start);
	if (t->func) {
		strcpy(t->path, start);
		t->shared = !err && dyn->soname;
	} else if (err) {
		ret = tool_fail(TOOL, "no readline in %s, and its libraries cannot be listed: %s",
				start, bpfbox_errmsg());
	} else if (search_needed(&bin, start, dyn, t, &seen)) {
		ret = no_readline(start, &seen);
	}
	free(dyn);
	elf_file_close(&bin);
	return ret;
}

/* ---- output ---- */

static void print_header(const struct env *env)
{
	if (env->json || !env->header)
		return;
	printf("%-9s %-7s ", "TIME", "PID");
	if (env->print_uid)
		printf("%-6s ", "UID");
	printf("%s\n", "COMMAND");
	fflush(stdout);
}

static void print_text(const struct env *env, const struct br_event *e,
		       size_t len)
{
	tool_put_hms(stdout);
	printf("  %-7d ", e->pid);
	if (env->print_uid)
		printf("%-6u ", e->uid);
	if (e->flags & BR_UNREADABLE)
		fputs("[line not readable]", stdout);
	tool_put_esc(stdout, e->line, len, false);
	if (e->flags & BR_TRUNCATED)
		fputs(" ...", stdout);
	putchar('\n');
}

static void print_json(const struct env *env, const struct br_event *e,
		       size_t len)
{
	struct jw *jw = jw_new(stdout, false);

	if (!jw)
		return;
	jw_start_object(jw);
	jw_kv_uint(jw, "ts_ns", e->ts - env->start_ns);
	jw_kv_int(jw, "pid", e->pid);
	jw_kv_uint(jw, "uid", e->uid);
	jw_name(jw, "comm");
	jw_string_n(jw, e->comm, strnlen(e->comm, sizeof(e->comm)));
	jw_name(jw, "command");
	if (e->flags & BR_UNREADABLE)
		jw_null(jw);
	else
		jw_string_n(jw, e->line, len);
	jw_kv_bool(jw, "truncated", e->flags & BR_TRUNCATED);
	jw_end_object(jw);
	jw_free(jw);
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct env *env = ctx;
	const struct br_event *e = data;
	size_t len;

	if (size < offsetof(struct br_event, line))
		return 0;	/* not ours: cannot happen with our program */
	len = size - offsetof(struct br_event, line);
	if (len > e->len)
		len = e->len;
	if (env->json)
		print_json(env, e, len);
	else
		print_text(env, e, len);
	return 0;
}

/* ---- setup ---- */

/* -f FILE: stdout appends to it; the header only goes to an empty one */
static int open_file(struct env *env)
{
	struct stat st;
	int fd;

	if (!env->file)
		return 0;
	fd = open(env->file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return tool_fail(TOOL, "-f %s: %s", env->file, strerror(errno));
	if (fstat(fd, &st) || dup2(fd, STDOUT_FILENO) < 0) {
		close(fd);
		return tool_fail(TOOL, "-f %s: %s", env->file, strerror(errno));
	}
	close(fd);
	env->header = st.st_size == 0;
	return 0;
}

static int attach(struct bashreadline *s, const struct env *env,
		  const struct target *t, struct bpfbox_link **link)
{
	char where[PATH_MAX + 300];

	snprintf(where, sizeof(where), "uretprobe/%s:%s", t->path, t->func);
	if (bpfbox_prog_attach_to(s->progs.line_done, where, NULL, link))
		return tool_fail(TOOL, "attach: %s", bpfbox_errmsg());
	if (env->verbose)
		fprintf(stderr, "%s: %s%s\n", TOOL, bpfbox_link_describe(*link),
			s->rodata->filter_bash ? " (processes named bash only)" :
			"");
	if (strcmp(t->func, rl_funcs[0]))
		fprintf(stderr, "%s: note: %s has no %s: a shell already waiting at its prompt is seen from its second line on\n",
			TOOL, t->path, rl_funcs[0]);
	return 0;
}

static int run(struct env *env, const struct target *t)
{
	struct bpfbox_ringbuf *rb = NULL;
	struct bpfbox_link *link = NULL;
	struct bashreadline *s;
	int err, ret = TOOL_FAIL;

	s = bashreadline__open();
	if (!s)
		return tool_fail(TOOL, "open: %s", bpfbox_errmsg());
	s->rodata->targ_pid = env->pid;
	s->rodata->filter_cg = env->cgroup != NULL;
	s->rodata->filter_bash = t->shared && !env->pid;
	err = bashreadline__load(s);
	if (err) {
		tool_fail(TOOL, "load: %s", bpfbox_errmsg());
		goto out;
	}
	if (tool_set_cgroup(TOOL, env->cgroup, s->maps.cgroup_map))
		goto out;
	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = bpfbox_ringbuf_add(rb, bpfbox_map_fd(s->maps.events),
					 on_event, env);
	if (err) {
		tool_fail(TOOL, "ring buffer: %s", bpfbox_errmsg());
		goto out;
	}
	if (attach(s, env, t, &link))
		goto out;
	env->start_ns = tool_mono_ns();
	print_header(env);
	ret = tool_run(TOOL, rb, (const volatile uint64_t *)&s->bss->lost);
out:
	bpfbox_link_destroy(link);
	bpfbox_ringbuf_free(rb);
	bashreadline__destroy(s);
	return ret;
}

int bashreadline_main(int argc, char **argv)
{
	struct env env = { .pid = 0 };
	struct target *t;
	int ret;

	cli_set_name(TOOL);
	ret = parse_args(&env, argc, argv);
	if (ret)
		return ret < 0 ? TOOL_OK : ret;
	if (!bpfbox_may_use_bpf())
		return tool_fail(TOOL, "needs root: CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load and attach its programs; run it as root (e.g. with sudo)");
	t = calloc(1, sizeof(*t));
	if (!t)
		return tool_fail(TOOL, "out of memory");
	env.header = true;
	ret = find_target(&env, t);
	if (!ret)
		ret = open_file(&env);
	if (!ret) {
		tool_signals_init();
		ret = run(&env, t);
	}
	free(t);
	return ret;
}
