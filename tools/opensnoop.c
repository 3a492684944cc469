// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * opensnoop: trace open(), openat(), openat2() and creat() (user side;
 * the kernel side is opensnoop.bpf.c). Options and columns follow
 * libbpf-tools' opensnoop 0.26, with bcc's -f, -F, --cgroupmap and
 * --mntnsmap; see usage() and docs/tools/opensnoop.md for what differs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "cli.h"
#include "common.h"
#include "opensnoop.h"
/* the skeleton's own typedefs would clash with <stdbool.h>'s bool */
#define opensnoop__SKEL_NO_TYPES
#include "opensnoop.skel.h"

#define TOOL "opensnoop"

/* glibc's O_LARGEFILE is 0 on 64-bit; the kernel's flag is not */
#if defined(__aarch64__)
#define KO_LARGEFILE	0400000
#else
#define KO_LARGEFILE	0100000
#endif

struct env {
	bool timestamp, print_uid, failed, extended, full_path, json, verbose;
	int32_t pid, tid;
	uint32_t uid;
	bool has_uid;
	long duration;
	long pages;		/* -b: ring size in pages */
	const char *name, *cgroup, *cgroupmap, *mntnsmap;
	uint32_t flag_mask[OS_FLAGS_MAX], flag_val[OS_FLAGS_MAX];
	uint32_t nr_flags;
	uint64_t start_ns;
	int64_t wall_off_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
};

/* -b: the ring's size in pages; at least two, so that the longest
 * record (a 4 KiB path) fits */
#define PAGES_DEFAULT	1024
#define PAGES_MIN	2
#define PAGES_MAX	(1 << 18)
/* records one drain on a tick handles before the loop looks at signals
 * and stdout again (tool_run_opts) */
#define DRAIN_BUDGET	8192
/* the shortest record in the ring: its header and an empty path */
#define RECORD_MIN	(8 + offsetof(struct os_event, path))

static const char *const sys_names[OS_SYS_NR] = {
	[OS_SYS_OPEN] = "open",
	[OS_SYS_OPENAT] = "openat",
	[OS_SYS_OPENAT2] = "openat2",
	[OS_SYS_CREAT] = "creat",
};

static const char *const from_names[] = {
	[OS_FROM_ARG] = "arg",
	[OS_FROM_FD] = "fd",
	[OS_FROM_DIRFD] = "dirfd",
	[OS_FROM_CWD] = "cwd",
};

/* ---- open flags: -f names and JSON flag_names ---- */

struct oflag {
	const char *name;
	uint32_t mask, val;	/* set when (flags & mask) == val */
};

/* access modes first, then by value; aliases after the names shown */
static const struct oflag oflags[] = {
	{ "O_RDONLY", O_ACCMODE, O_RDONLY },
	{ "O_WRONLY", O_ACCMODE, O_WRONLY },
	{ "O_RDWR", O_ACCMODE, O_RDWR },
	{ "O_CREAT", O_CREAT, O_CREAT },
	{ "O_EXCL", O_EXCL, O_EXCL },
	{ "O_NOCTTY", O_NOCTTY, O_NOCTTY },
	{ "O_TRUNC", O_TRUNC, O_TRUNC },
	{ "O_APPEND", O_APPEND, O_APPEND },
	{ "O_NONBLOCK", O_NONBLOCK, O_NONBLOCK },
	{ "O_SYNC", O_SYNC, O_SYNC },		/* before O_DSYNC, a part */
	{ "O_DSYNC", O_DSYNC, O_DSYNC },
	{ "O_ASYNC", O_ASYNC, O_ASYNC },
	{ "O_DIRECT", O_DIRECT, O_DIRECT },
	{ "O_LARGEFILE", KO_LARGEFILE, KO_LARGEFILE },
	{ "O_TMPFILE", O_TMPFILE, O_TMPFILE },	/* before O_DIRECTORY */
	{ "O_DIRECTORY", O_DIRECTORY, O_DIRECTORY },
	{ "O_NOFOLLOW", O_NOFOLLOW, O_NOFOLLOW },
	{ "O_NOATIME", O_NOATIME, O_NOATIME },
	{ "O_CLOEXEC", O_CLOEXEC, O_CLOEXEC },
	{ "O_PATH", O_PATH, O_PATH },
	/* aliases: accepted by -f, never printed */
	{ "O_NDELAY", O_NONBLOCK, O_NONBLOCK },
	{ "O_RSYNC", O_SYNC, O_SYNC },
	{ "O_FSYNC", O_SYNC, O_SYNC },
	{ "FASYNC", O_ASYNC, O_ASYNC },
};
#define OFLAGS_SHOWN	20

/* "O_CREAT", "creat", "o_creat", or a number (0100): 0 or -EINVAL */
static int parse_flag(const char *s, uint32_t *mask, uint32_t *val)
{
	const char *n = strncasecmp(s, "O_", 2) ? s : s + 2;
	size_t i;
	char *end;
	unsigned long v;

	for (i = 0; i < sizeof(oflags) / sizeof(oflags[0]); i++) {
		const char *o = oflags[i].name;

		if (!strcasecmp(s, o) ||
		    (!strncmp(o, "O_", 2) && !strcasecmp(n, o + 2))) {
			*mask = oflags[i].mask;
			*val = oflags[i].val;
			return 0;
		}
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !v || v > UINT32_MAX)
		return -EINVAL;
	*mask = *val = v;
	return 0;
}

/* ---- arguments ---- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: opensnoop [OPTIONS]\n"
"Trace open family syscalls: open, openat, openat2 and creat (those this\n"
"kernel has), one line per call as it returns.\n"
"\n"
"  -T, --timestamp       include a time column (HH:MM:SS)\n"
"  -U, --print-uid       include a UID column\n"
"  -x, --failed          only failed opens\n"
"  -p, --pid PID         only this process\n"
"  -t, --tid TID         only this thread (the PID column shows TIDs)\n"
"  -u, --uid UID         only this user (number or user name)\n"
"  -d, --duration SECS   trace for SECS seconds, then exit\n"
"  -n, --name NAME       only processes whose comm contains NAME\n"
"  -e, --extended-fields include the FLAGS (octal) and MODE columns\n"
"  -f, --flag-filter FLAG  only opens with FLAG (O_WRONLY, O_CREAT, ...,\n"
"                        or a number); repeat it: any of them matches\n"
"  -F, --full-path       the full path: of the opened file (resolved from\n"
"                        its fd), or for a failed relative open, of its\n"
"                        directory (dirfd or cwd) and the path as given\n"
"  -c, --cgroup PATH     only processes in this cgroup v2 (or below it)\n"
"      --cgroupmap PATH  only cgroups whose id is a key of this pinned\n"
"                        hash map (bcc's; key u64, value u64)\n"
"      --mntnsmap PATH   only mount namespaces whose inode number is a\n"
"                        key of this pinned hash map (key u64, value u32)\n"
"  -b, --buffer-pages N  the ring buffer's size in pages, a power of 2\n"
"                        (default %d: %d MiB)\n"
"  -j, --json            one JSON object per event (NDJSON)\n"
"  -v, --verbose         say which syscalls are traced on stderr\n"
"  -h, --help            this text\n"
"\n"
"Columns: PID COMM FD ERR PATH (FD is -1 and ERR the errno of a failed\n"
"open). Filters are applied in the kernel. Text from the traced\n"
"processes is escaped: control characters and invalid UTF-8 print as\n"
"\\xNN. A path cut at its start (longer than %d bytes) begins with \"...\".\n"
"Examples:\n"
"  opensnoop -x -T             failed opens, with times\n"
"  opensnoop -f O_WRONLY -f O_RDWR   opens for writing\n"
"  opensnoop -F -n nginx       full paths of what nginx opens\n",
		PAGES_DEFAULT,
		(int)(PAGES_DEFAULT * sysconf(_SC_PAGESIZE) >> 20), OS_PATH_MAX);
}

enum { OPT_CGROUPMAP = 256, OPT_MNTNSMAP };

static const struct option longopts[] = {
	{ "timestamp", no_argument, NULL, 'T' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "failed", no_argument, NULL, 'x' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "uid", required_argument, NULL, 'u' },
	{ "duration", required_argument, NULL, 'd' },
	{ "name", required_argument, NULL, 'n' },
	{ "extended-fields", no_argument, NULL, 'e' },
	{ "extended_fields", no_argument, NULL, 'e' },	/* bcc's spelling */
	{ "flag-filter", required_argument, NULL, 'f' },
	{ "flag_filter", required_argument, NULL, 'f' },	/* bcc's */
	{ "full-path", no_argument, NULL, 'F' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "cgroupmap", required_argument, NULL, OPT_CGROUPMAP },
	{ "mntnsmap", required_argument, NULL, OPT_MNTNSMAP },
	{ "buffer-pages", required_argument, NULL, 'b' },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

static int parse_filter(struct env *env, const char *arg)
{
	if (env->nr_flags == OS_FLAGS_MAX)
		return tool_usage(TOOL, "-f: at most %d flags", OS_FLAGS_MAX);
	if (parse_flag(arg, &env->flag_mask[env->nr_flags],
		       &env->flag_val[env->nr_flags]))
		return tool_usage(TOOL, "-f: unknown open flag '%s' (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, ... or a number)",
				  arg);
	env->nr_flags++;
	return 0;
}

static int parse_opt(void *ctx, int c, const char *arg)
{
	struct env *env = ctx;
	switch (c) {
	case 'T': env->timestamp = true; break;
	case 'U': env->print_uid = true; break;
	case 'x': env->failed = true; break;
	case 'e': env->extended = true; break;
	case 'F': env->full_path = true; break;
	case 'j': env->json = true; break;
	case 'v': env->verbose = true; break;
	case 'p':
		if (tool_parse_pid(arg, &env->pid))
			return tool_usage(TOOL, "-p: invalid PID '%s'", arg);
		break;
	case 't':
		if (tool_parse_pid(arg, &env->tid))
			return tool_usage(TOOL, "-t: invalid TID '%s'", arg);
		break;
	case 'u':
		if (tool_parse_uid(arg, &env->uid))
			return tool_usage(TOOL, "-u: '%s' is neither a uid nor a user in /etc/passwd",
					  arg);
		env->has_uid = true;
		break;
	case 'd':
		if (tool_parse_long(arg, 1, INT_MAX, &env->duration))
			return tool_usage(TOOL, "-d: invalid duration '%s' (seconds, at least 1)",
					  arg);
		break;
	case 'n':
		if (!*arg || strlen(arg) >= OS_COMM_LEN)
			return tool_usage(TOOL, "-n: NAME must be 1 to %d bytes (part of a comm)",
					  OS_COMM_LEN - 1);
		env->name = arg;
		break;
	case 'f':
		return parse_filter(env, arg);
	case 'b':
		if (tool_parse_long(arg, PAGES_MIN, PAGES_MAX, &env->pages) ||
		    (env->pages & (env->pages - 1)))
			return tool_usage(TOOL, "-b: '%s' is not a power of 2 from %d to %d (pages)",
					  arg, PAGES_MIN, PAGES_MAX);
		break;
	case 'c': env->cgroup = arg; break;
	case OPT_CGROUPMAP: env->cgroupmap = arg; break;
	case OPT_MNTNSMAP: env->mntnsmap = arg; break;
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
	return tool_parse_args(TOOL, argc, argv, "TUxp:t:u:d:n:ef:Fc:b:jvh",
			       longopts, parse_opt, env);
}

/* ---- output ---- */

static void print_header(const struct env *env)
{
	if (env->json)
		return;
	if (env->timestamp)
		printf("%-8s ", "TIME");
	if (env->print_uid)
		printf("%-7s ", "UID");
	printf("%-6s %-16s %3s %3s ", env->tid ? "TID" : "PID", "COMM", "FD",
	       "ERR");
	if (env->extended)
		printf("%-8s %-5s ", "FLAGS", "MODE");
	printf("PATH\n");
	fflush(stdout);
}

/* HH:MM:SS of the event's own time (not of its printing, which the
 * ring's batching delays); localtime_r once per second */
static void put_time(const struct env *env, uint64_t ts)
{
	static time_t last = -1;
	static char buf[16];
	time_t t = (time_t)(((int64_t)ts + env->wall_off_ns) / 1000000000);
	struct tm tm;

	if (t != last) {
		localtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
		last = t;
	}
	printf("%-8s ", buf);
}

static void put_path(const struct os_event *e, size_t len)
{
	if (e->pflags & OS_P_TRUNC)
		fputs("...", stdout);
	tool_put_esc(stdout, e->path, len, false);
}

static void put_comm(const char *comm)
{
	size_t n = strnlen(comm, OS_COMM_LEN);

	tool_put_esc(stdout, comm, n, false);
	printf("%*s ", (int)(16 - n), "");
}

static bool has_mode(const struct os_event *e)
{
	return e->mode || e->flags & O_CREAT ||
	       (e->flags & O_TMPFILE) == O_TMPFILE;
}

static void print_text(const struct env *env, const struct os_event *e,
		       size_t len)
{
	if (env->timestamp)
		put_time(env, e->ts);
	if (env->print_uid)
		printf("%-7u ", e->uid);
	printf("%-6u ", env->tid ? e->tid : e->pid);
	put_comm(e->comm);
	printf("%3d %3d ", e->ret >= 0 ? e->ret : -1,
	       e->ret >= 0 ? 0 : -e->ret);
	if (env->extended) {
		if (has_mode(e))
			printf("%08o %04o  ", e->flags, e->mode);
		else
			printf("%08o n/a   ", e->flags);
	}
	put_path(e, len);
	putchar('\n');
}

static void json_flag_names(struct jw *jw, uint32_t flags)
{
	uint32_t left = flags;
	char other[16];
	size_t i;

	jw_name(jw, "flag_names");
	jw_start_array(jw);
	for (i = 0; i < OFLAGS_SHOWN; i++) {
		const struct oflag *o = &oflags[i];

		if ((flags & o->mask) != o->val || (o->val && !(left & o->val)))
			continue;
		jw_string(jw, o->name);
		left &= ~o->val;
	}
	if (left) {
		snprintf(other, sizeof(other), "0%o", left);
		jw_string(jw, other);
	}
	jw_end_array(jw);
}

static void print_json(const struct env *env, const struct os_event *e,
		       size_t len)
{
	struct jw *jw = jw_new(stdout, false);

	if (!jw)
		return;
	jw_start_object(jw);
	jw_kv_uint(jw, "ts_ns", e->ts - env->start_ns);
	jw_kv_uint(jw, "pid", e->pid);
	jw_kv_uint(jw, "tid", e->tid);
	jw_kv_uint(jw, "uid", e->uid);
	jw_name(jw, "comm");
	jw_string_n(jw, e->comm, strnlen(e->comm, sizeof(e->comm)));
	jw_kv_string(jw, "syscall", e->sys < OS_SYS_NR ? sys_names[e->sys] : "?");
	if (e->sys == OS_SYS_OPENAT || e->sys == OS_SYS_OPENAT2)
		jw_kv_int(jw, "dirfd", e->dirfd);
	jw_kv_int(jw, "ret", e->ret);
	jw_kv_int(jw, "fd", e->ret >= 0 ? e->ret : -1);
	jw_kv_int(jw, "errno", e->ret >= 0 ? 0 : -e->ret);
	jw_kv_uint(jw, "flags", e->flags);
	json_flag_names(jw, e->flags);
	jw_name(jw, "mode");
	if (has_mode(e))
		jw_uint(jw, e->mode);
	else
		jw_null(jw);
	jw_name(jw, "path");
	jw_string_n(jw, e->path, len);
	jw_kv_string(jw, "path_from", e->from <= OS_FROM_CWD ?
					from_names[e->from] : "?");
	jw_kv_bool(jw, "path_truncated", e->pflags & OS_P_TRUNC);
	if (e->pflags & OS_P_NOREAD)
		jw_kv_bool(jw, "path_unreadable", true);
	jw_end_object(jw);
	jw_free(jw);
}

static int on_event(void *ctx, const void *data, size_t size)
{
	struct env *env = ctx;
	const struct os_event *e = data;
	size_t len;

	if (size < offsetof(struct os_event, path))
		return 0;	/* not ours: cannot happen with our program */
	len = size - offsetof(struct os_event, path);
	if (len > e->path_len)
		len = e->path_len;
	if (env->json)
		print_json(env, e, len);
	else
		print_text(env, e, len);
	return 0;
}

/* ---- setup ---- */

/* does this kernel have the syscall's exit tracepoint? */
static bool have_syscall(const char *tracefs, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/events/syscalls/sys_exit_%s",
		     tracefs, name) >= (int)sizeof(path))
		return false;
	return access(path, F_OK) == 0;
}

/* autoload off for the syscalls this kernel lacks; how many are left */
static int pick_syscalls(struct opensnoop *s, const struct env *env)
{
	struct bpfbox_prog *progs[OS_SYS_NR] = {
		[OS_SYS_OPEN] = s->progs.exit_open,
		[OS_SYS_OPENAT] = s->progs.exit_openat,
		[OS_SYS_OPENAT2] = s->progs.exit_openat2,
		[OS_SYS_CREAT] = s->progs.exit_creat,
	};
	char tracefs[PATH_MAX];
	int i, n = 0, err;

	err = bpfbox_tracefs_path(tracefs, sizeof(tracefs));
	if (err) {
		tool_fail(TOOL, "tracefs: %s", bpfbox_errmsg());
		return -1;
	}
	for (i = 0; i < OS_SYS_NR; i++) {
		if (have_syscall(tracefs, sys_names[i])) {
			n++;
			continue;
		}
		bpfbox_prog_set_autoload(progs[i], false);
		if (env->verbose)
			fprintf(stderr, "%s: this kernel has no %s() (no %s/events/syscalls/sys_exit_%s): not traced\n",
				TOOL, sys_names[i], tracefs, sys_names[i]);
	}
	if (!n)
		tool_fail(TOOL, "none of open, openat, openat2, creat has a syscall tracepoint in %s/events/syscalls (CONFIG_FTRACE_SYSCALLS off?)",
			  tracefs);
	return n ? 0 : -1;
}

static size_t ring_bytes(const struct env *env)
{
	return (size_t)env->pages * sysconf(_SC_PAGESIZE);
}

static void set_knobs(struct opensnoop *s, const struct env *env)
{
	uint32_t i;

	s->rodata->targ_tgid = env->pid;
	s->rodata->targ_tid = env->tid;
	if (env->has_uid)
		s->rodata->targ_uid = env->uid;
	s->rodata->targ_failed = env->failed;
	s->rodata->full_path = env->full_path;
	s->rodata->filter_cg = env->cgroup != NULL;
	s->rodata->filter_cgmap = env->cgroupmap != NULL;
	s->rodata->filter_mntns = env->mntnsmap != NULL;
	if (env->name) {
		s->rodata->name_len = strlen(env->name);
		memcpy((char *)s->rodata->targ_name, env->name,
		       strlen(env->name));
	}
	s->rodata->wake_shift = tool_wake_shift(ring_bytes(env));
	s->rodata->nr_flags = env->nr_flags;
	for (i = 0; i < env->nr_flags; i++) {
		((uint32_t *)s->rodata->flag_mask)[i] = env->flag_mask[i];
		((uint32_t *)s->rodata->flag_val)[i] = env->flag_val[i];
	}
}

/*
 * bcc's container filters: a pinned hash map (made by the user, e.g.
 * with `bpfbox map create`), put in our one-slot map of maps, so that
 * its keys can change while we trace.
 */
static int set_pinned_set(struct bpfbox_map *outer, const char *opt,
			  const char *path, uint32_t value_size)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info), zero = 0;
	int fd, err;

	if (!path)
		return 0;
	fd = bpfbox_obj_get(path);
	if (fd < 0) {
		tool_fail(TOOL, "%s %s: %s", opt, path, bpfbox_errmsg());
		return -1;
	}
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err || info.type != BPF_MAP_TYPE_HASH || info.key_size != 8 ||
	    info.value_size != value_size || info.map_flags) {
		tool_fail(TOOL, "%s %s: not a hash map with 8-byte keys, %u-byte values and no flags (create it with: bpfbox map create %s type hash key 8 value %u entries 1024 name NAME)",
			  opt, path, value_size, path, value_size);
		close(fd);
		return -1;
	}
	err = bpfbox_map_update_elem(bpfbox_map_fd(outer), &zero, &fd, BPF_ANY);
	close(fd);
	if (err)
		tool_fail(TOOL, "%s %s: cannot set the filter: %s", opt, path,
			  bpfbox_errmsg());
	return err ? -1 : 0;
}

static int set_maps(struct opensnoop *s, const struct env *env)
{
	if (tool_set_cgroup(TOOL, env->cgroup, s->maps.cgroup_map))
		return -1;
	if (set_pinned_set(s->maps.cgroupset, "--cgroupmap", env->cgroupmap, 8))
		return -1;
	return set_pinned_set(s->maps.mount_ns_set, "--mntnsmap", env->mntnsmap,
			      4);
}

/* the clocks, and -d's deadline for the kernel */
static void set_start(struct opensnoop *s, struct env *env)
{
	struct timespec rt;

	env->start_ns = tool_mono_ns();
	clock_gettime(CLOCK_REALTIME, &rt);
	env->wall_off_ns = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec -
			   (int64_t)env->start_ns;
	if (env->duration)
		s->bss->deadline_ns = env->start_ns +
				      (uint64_t)env->duration * 1000000000;
}

/* -b: the ring map in that size, before load */
static int set_ring_size(struct opensnoop *s, const struct env *env)
{
	if (!bpfbox_map_set_max_entries(s->maps.events, ring_bytes(env)))
		return 0;
	tool_fail(TOOL, "-b %ld: %s", env->pages, bpfbox_errmsg());
	return -1;
}

static int run(struct env *env)
{
	struct tool_run_opts ro = {
		.drain_budget = DRAIN_BUDGET,
		/* what a full ring holds */
		.final_budget = ring_bytes(env) / RECORD_MIN + 1,
	};
	struct bpfbox_ringbuf *rb = NULL;
	struct opensnoop *s;
	int err, ret = TOOL_FAIL;

	s = opensnoop__open();
	if (!s)
		return tool_fail(TOOL, "open: %s", bpfbox_errmsg());
	if (pick_syscalls(s, env))
		goto out;
	set_knobs(s, env);
	if (set_ring_size(s, env))
		goto out;
	err = opensnoop__load(s);
	if (err) {
		/* the ring is made here now: its size may be what failed */
		tool_fail(TOOL, "load: %s%s", bpfbox_errmsg(),
			  (err == -ENOMEM || err == -E2BIG) &&
			  env->pages > PAGES_DEFAULT ? " (try a smaller -b)" : "");
		goto out;
	}
	if (env->verbose)
		tool_verbose_loaded(TOOL, s->obj);
	if (set_maps(s, env))
		goto out;
	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = tool_run_ring_add(&ro, rb, bpfbox_map_fd(s->maps.events),
					on_event, env);
	if (err) {
		tool_fail(TOOL, "ring buffer: %s", bpfbox_errmsg());
		goto out;
	}
	/* before attach: no event may predate start_ns (ts_ns >= 0) */
	set_start(s, env);
	err = opensnoop__attach(s);
	if (err) {
		tool_fail(TOOL, "attach: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose)
		tool_verbose_attached(TOOL, s->obj);
	print_header(env);
	/* -d: the kernel side stops at the same time (set_start) */
	ro.deadline_ns = s->bss->deadline_ns;
	ret = tool_run_opts(TOOL, rb, (const volatile uint64_t *)&s->bss->lost,
			    &ro);
out:
	bpfbox_ringbuf_free(rb);
	opensnoop__destroy(s);
	return ret;
}

int opensnoop_main(int argc, char **argv)
{
	struct env env = { .pages = PAGES_DEFAULT };
	int ret;

	cli_set_name(TOOL);
	ret = parse_args(&env, argc, argv);
	if (ret)
		return ret < 0 ? TOOL_OK : ret;
	if (!bpfbox_may_use_bpf())
		return tool_fail(TOOL, "needs root: CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load and attach its programs; run it as root (e.g. with sudo)");
	tool_signals_init();
	return run(&env);
}
