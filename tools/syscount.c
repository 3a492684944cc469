// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * syscount: count syscalls by syscall or by process, with latency (user
 * side; the kernel side is syscount.bpf.c). Options and columns follow
 * libbpf-tools' and bcc's syscount; names come from this kernel
 * (syscall_names.c). Counters are read every interval from the map the
 * kernel is not filling (see syscount.bpf.c), so none is lost between
 * two intervals.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "cli.h"
#include "common.h"
#include "cpus.h"
#include "syscall_names.h"
#include "syscount.h"
#define syscount__SKEL_NO_TYPES
#include "syscount.skel.h"

#define TOOL "syscount"
#define NS_PER_MS	1000000ull
#define DRAIN_CHUNK	1024	/* keys per lookup-and-delete batch */

struct env {
	int32_t pid, tid;
	bool failures, latency, ms, process, ids, list, json, verbose;
	int filter_errno;
	long interval, duration, top;
	const char *syscall, *cgroup, *comm_file;
	const char *comms[SC_MAX_COMMS];
	int ncomms;
	int64_t key;			/* --syscall resolved, or -1 */
	struct syscall_table *names;	/* NULL: numbers only */
	uint64_t start_ns, last_ns;
};

struct row {
	uint32_t key;
	uint32_t uid, gid;
	uint64_t count, total_ns;
	char comm[SC_COMM_LEN];
};

static volatile sig_atomic_t reload;

static void on_usr1(int sig)
{
	(void)sig;
	reload = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: syscount [OPTIONS]\n"
"Summarize syscall counts and latencies, by syscall or by process.\n"
"\n"
"  -p, --pid PID         trace this process only\n"
"  -t, --tid TID         trace this thread only\n"
"  -i, --interval SEC    print a summary every SEC seconds (default: once,\n"
"                        at the end)\n"
"  -d, --duration SEC    total tracing duration\n"
"  -T, --top N           print only the top N rows (default 10)\n"
"  -x, --failures        count only failed syscalls (return < 0)\n"
"  -e, --errno ERRNO     count only syscalls failing with ERRNO (a number\n"
"                        or a name: ENOENT)\n"
"  -L, --latency         measure latency; sort by total time\n"
"  -m, --milliseconds    show latency in ms (default: us)\n"
"  -P, --process         count by process (PID, COMM), not by syscall\n"
"  -U, --ids             with -P: add the UID and GID columns\n"
"      --syscall NAME    count this syscall only (a name or a number)\n"
"  -n, --comm NAME       count processes whose comm is NAME only (exact,\n"
"                        up to 15 bytes); repeatable\n"
"      --comm-file FILE  the same, one comm per line of FILE; FILE is read\n"
"                        again on SIGUSR1, which replaces the names in\n"
"                        the kernel's filter while syscount runs\n"
"  -c, --cgroup PATH     trace processes in this cgroup v2 only\n"
"  -l, --list            list this kernel's syscalls (name, number), exit\n"
"  -j, --json            one JSON object per summary (NDJSON)\n"
"  -v, --verbose         say where the names come from, what is loaded\n"
"  -h, --help            this text\n"
"\n"
"Syscall names come from this kernel (tracefs syscall events and the\n"
"numbers behind them), x86_64 only: ia32 syscalls show as [ia32: N].\n"
"Filters are applied in the kernel.\n"
"Examples:\n"
"  syscount -p $(pidof dd)    syscalls of dd until Ctrl-C\n"
"  syscount -L -i 5           top syscalls by time, every 5 s\n"
"  syscount -P -U             by process, with uid and gid\n"
"  syscount -e ENOENT -i 5    syscalls failing with ENOENT\n");
}

enum { OPT_SYSCALL = 256, OPT_COMM_FILE };

static const struct option longopts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "interval", required_argument, NULL, 'i' },
	{ "duration", required_argument, NULL, 'd' },
	{ "top", required_argument, NULL, 'T' },
	{ "failures", no_argument, NULL, 'x' },
	{ "errno", required_argument, NULL, 'e' },
	{ "latency", no_argument, NULL, 'L' },
	{ "milliseconds", no_argument, NULL, 'm' },
	{ "process", no_argument, NULL, 'P' },
	{ "ids", no_argument, NULL, 'U' },
	{ "syscall", required_argument, NULL, OPT_SYSCALL },
	{ "comm", required_argument, NULL, 'n' },
	{ "comm-file", required_argument, NULL, OPT_COMM_FILE },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "list", no_argument, NULL, 'l' },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

/* ---- options ---- */

static bool comm_ok(const char *s)
{
	return *s && strlen(s) < SC_COMM_LEN;
}

static int parse_num(const char *opt, const char *arg, long min, long *out)
{
	if (tool_parse_long(arg, min, INT_MAX, out))
		return tool_usage(TOOL, "%s: expected a number from %ld, got '%s'",
				  opt, min, arg);
	return 0;
}

static int parse_opt(void *ctx, int c, const char *arg)
{
	struct env *env = ctx;
	switch (c) {
	case 'x': env->failures = true; break;
	case 'L': env->latency = true; break;
	case 'm': env->ms = true; break;
	case 'P': env->process = true; break;
	case 'U': env->ids = true; break;
	case 'l': env->list = true; break;
	case 'j': env->json = true; break;
	case 'v': env->verbose = true; break;
	case 'c': env->cgroup = arg; break;
	case OPT_SYSCALL: env->syscall = arg; break;
	case OPT_COMM_FILE: env->comm_file = arg; break;
	case 'p':
		if (tool_parse_pid(arg, &env->pid))
			return tool_usage(TOOL, "-p: invalid PID '%s'", arg);
		break;
	case 't':
		if (tool_parse_pid(arg, &env->tid))
			return tool_usage(TOOL, "-t: invalid TID '%s'", arg);
		break;
	case 'i': return parse_num("-i", arg, 0, &env->interval);
	case 'd': return parse_num("-d", arg, 1, &env->duration);
	case 'T': return parse_num("-T", arg, 1, &env->top);
	case 'e':
		env->filter_errno = tool_parse_errno(arg);
		if (env->filter_errno < 0)
			return tool_usage(TOOL, "-e: '%s' is neither an errno number nor a name like ENOENT",
					  arg);
		break;
	case 'n':
		if (!comm_ok(arg))
			return tool_usage(TOOL, "-n: NAME must be 1 to %d bytes (a comm)",
					  SC_COMM_LEN - 1);
		if (env->ncomms == SC_MAX_COMMS)
			return tool_usage(TOOL, "-n: at most %d names",
					  SC_MAX_COMMS);
		env->comms[env->ncomms++] = arg;
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
	int err = tool_parse_args(TOOL, argc, argv, "p:t:i:d:T:xe:LmPUn:c:ljvh",
				  longopts, parse_opt, env);

	if (err)
		return err;
	if (env->pid && env->tid)
		return tool_usage(TOOL, "-p and -t exclude each other");
	if (env->ids && !env->process)
		return tool_usage(TOOL, "-U adds columns of -P: give -P too");
	return 0;
}

/* ---- the comm filter (-n, --comm-file) ---- */

struct comm_set {
	char name[SC_MAX_COMMS][SC_COMM_LEN];	/* zero-padded keys */
	int n;
};

static bool set_has(const struct comm_set *s, const char *key)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!memcmp(s->name[i], key, SC_COMM_LEN))
			return true;
	return false;
}

static int set_add(struct comm_set *s, const char *name)
{
	char key[SC_COMM_LEN] = {};

	if (!comm_ok(name))
		return -EINVAL;
	memcpy(key, name, strlen(name));
	if (set_has(s, key))
		return 0;
	if (s->n == SC_MAX_COMMS)
		return -E2BIG;
	memcpy(s->name[s->n++], key, SC_COMM_LEN);
	return 0;
}

/* -n names and the lines of the file (blank ones and #comments
 * skipped); 0, or the exit code after saying what is wrong */
static int comms_read(const struct env *env, struct comm_set *s)
{
	char line[256];
	int i, err, lineno = 0;
	size_t len;
	FILE *f;

	s->n = 0;
	for (i = 0; i < env->ncomms; i++)
		set_add(s, env->comms[i]);	/* checked by parse_opt */
	if (!env->comm_file)
		return 0;
	f = fopen(env->comm_file, "re");
	if (!f)
		return tool_fail(TOOL, "--comm-file %s: %s", env->comm_file,
				 strerror(errno));
	err = 0;
	while (!err && fgets(line, sizeof(line), f)) {
		lineno++;
		len = strcspn(line, "\r\n");
		line[len] = 0;
		if (!len || line[0] == '#')
			continue;
		err = set_add(s, line);
	}
	fclose(f);
	if (err == -EINVAL)
		return tool_fail(TOOL, "--comm-file %s:%d: a comm is 1 to %d bytes",
				 env->comm_file, lineno, SC_COMM_LEN - 1);
	if (err)
		return tool_fail(TOOL, "--comm-file %s: more than %d names",
				 env->comm_file, SC_MAX_COMMS);
	return 0;
}

/*
 * Make the kernel's set equal to s: the new names are added before the
 * old ones go, so a name in both is never missing for a moment.
 */
static int comms_apply(int fd, const struct comm_set *s)
{
	char key[SC_COMM_LEN], next[SC_COMM_LEN];
	char old[SC_MAX_COMMS][SC_COMM_LEN];
	int i, n = 0, err;
	uint8_t one = 1;

	for (i = 0; i < s->n; i++) {
		err = bpfbox_map_update_elem(fd, s->name[i], &one, BPF_ANY);
		if (err)
			return err;
	}
	err = bpfbox_map_get_next_key(fd, NULL, next);
	while (!err && n < SC_MAX_COMMS) {
		memcpy(key, next, sizeof(key));
		if (!set_has(s, key))
			memcpy(old[n++], key, sizeof(key));
		err = bpfbox_map_get_next_key(fd, key, next);
	}
	for (i = 0; i < n; i++)
		bpfbox_map_delete_elem(fd, old[i]);
	return 0;
}

static int comms_load(const struct env *env, int fd, bool again)
{
	struct comm_set *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return tool_fail(TOOL, "out of memory");
	err = comms_read(env, s);
	if (!err && comms_apply(fd, s))
		err = tool_fail(TOOL, "comm filter: %s", bpfbox_errmsg());
	if (!err && (again || env->verbose || !s->n))
		fprintf(stderr, "%s: comm filter: %d name%s%s\n", TOOL, s->n,
			s->n == 1 ? "" : "s",
			s->n ? "" : ": nothing is counted until one is given");
	free(s);
	return err;
}

/* SIGUSR1: read --comm-file again; a bad file keeps the old names */
static void comms_reload(const struct env *env, int fd)
{
	reload = 0;
	if (!env->comm_file) {
		fprintf(stderr, "%s: SIGUSR1: no --comm-file to read again\n",
			TOOL);
		return;
	}
	if (comms_load(env, fd, true))
		fprintf(stderr, "%s: comm filter unchanged\n", TOOL);
}

/* ---- reading the counters ---- */

static int ncpus(void)
{
	static uint8_t set[BB_CPU_SET_BYTES];
	static int n;

	if (!n)
		n = bb_cpus_read("possible", set);
	return n;
}

/* wait until no program still writes to the map just left: each runs
 * inside an RCU read-side section, which a grace period outlasts */
static void grace_period(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		nanosleep(&ts, NULL);	/* nohz_full: a pause instead */
}

static void add_row(struct row *r, uint32_t key, const struct sc_value *v,
		    int cpus)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->key = key;
	for (i = 0; i < cpus; i++) {
		if (!v[i].count)
			continue;
		if (!r->count) {	/* of one CPU that saw the key */
			r->uid = v[i].uid;
			r->gid = v[i].gid;
			memcpy(r->comm, v[i].comm, SC_COMM_LEN);
		}
		r->count += v[i].count;
		r->total_ns += v[i].total_ns;
	}
}

/* empty map fd into rows (room for SC_MAX_ENTRIES); their number or
 * -errno */
static int drain(int fd, struct row *rows)
{
	uint32_t in, out, cnt, i, keys[DRAIN_CHUNK];
	int cpus = ncpus(), n = 0, err;
	struct sc_value *vals;
	void *cursor = NULL;

	if (cpus < 0)
		return cpus;
	vals = calloc((size_t)DRAIN_CHUNK * cpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	do {
		cnt = DRAIN_CHUNK;
		err = bpfbox_map_lookup_and_delete_batch(fd, cursor, &out,
							 keys, vals, &cnt, 0);
		if (err && err != -ENOENT)
			break;
		for (i = 0; i < cnt && n < SC_MAX_ENTRIES; i++) {
			add_row(&rows[n], keys[i], &vals[(size_t)i * cpus],
				cpus);
			n += rows[n].count != 0;
		}
		in = out;
		cursor = &in;
	} while (!err);
	free(vals);
	return err == -ENOENT ? n : err;
}

static bool by_time;

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	uint64_t vx = by_time ? x->total_ns : x->count;
	uint64_t vy = by_time ? y->total_ns : y->count;

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* ---- output ---- */

static void syscall_label(const struct env *env, uint32_t key, char *buf,
			  size_t len)
{
	const char *name = NULL;

	if (!(key & SC_KEY_IA32) && key < SN_MAX_NR)
		name = syscall_name(env->names, key);
	if (name)
		snprintf(buf, len, "%s", name);
	else if (key & SC_KEY_IA32)
		snprintf(buf, len, "[ia32: %u]", key & ~SC_KEY_IA32);
	else
		snprintf(buf, len, "[unknown: %u]", key);
}

static void print_text_header(const struct env *env)
{
	if (!env->process)
		printf("%-22s", "SYSCALL");
	else if (env->ids)
		printf("%-6s %-6s %-6s %-15s", "PID", "UID", "GID", "COMM");
	else
		printf("%-22s", "PID    COMM");
	printf(" %8s", "COUNT");
	if (env->latency)
		printf(" %16s", env->ms ? "TIME (ms)" : "TIME (us)");
	putchar('\n');
}

static void print_text_row(const struct env *env, const struct row *r)
{
	size_t len = strnlen(r->comm, SC_COMM_LEN);
	char buf[64];

	if (!env->process) {
		syscall_label(env, r->key, buf, sizeof(buf));
		printf("%-22s", buf);
	} else {
		printf("%-6u ", r->key);
		if (env->ids)
			printf("%-6u %-6u ", r->uid, r->gid);
		tool_put_esc(stdout, r->comm, len, false);
		printf("%*s", len < 15 ? (int)(15 - len) : 0, "");
	}
	printf(" %8llu", (unsigned long long)r->count);
	if (env->latency)
		printf(" %16.3f", r->total_ns / (env->ms ? 1e6 : 1e3));
	putchar('\n');
}

static void print_text(const struct env *env, const struct row *rows,
		       int n)
{
	int i;

	putchar('[');
	tool_put_hms(stdout);
	puts("]");
	print_text_header(env);
	for (i = 0; i < n && i < env->top; i++)
		print_text_row(env, &rows[i]);
	putchar('\n');
}

static void json_row(const struct env *env, struct jw *jw,
		     const struct row *r)
{
	const char *name;

	jw_start_object(jw);
	if (env->process) {
		jw_kv_uint(jw, "pid", r->key);
		jw_name(jw, "comm");
		jw_string_n(jw, r->comm, strnlen(r->comm, SC_COMM_LEN));
		jw_kv_uint(jw, "uid", r->uid);
		jw_kv_uint(jw, "gid", r->gid);
	} else {
		name = r->key & SC_KEY_IA32 ? NULL :
		       syscall_name(env->names, r->key);
		jw_name(jw, "syscall");
		if (name)
			jw_string(jw, name);
		else
			jw_null(jw);
		jw_kv_uint(jw, "nr", r->key & ~SC_KEY_IA32);
		jw_kv_string(jw, "abi", r->key & SC_KEY_IA32 ? "ia32" : "x86_64");
	}
	jw_kv_uint(jw, "count", r->count);
	if (env->latency)
		jw_kv_uint(jw, "total_ns", r->total_ns);
	jw_end_object(jw);
}

static void print_json(const struct env *env, const struct row *rows,
		       int n, uint64_t now)
{
	struct jw *jw = jw_new(stdout, false);
	char hms[16];
	time_t t = time(NULL);
	struct tm tm;
	int i;

	if (!jw)
		return;
	localtime_r(&t, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	jw_start_object(jw);
	jw_kv_string(jw, "time", hms);
	jw_kv_uint(jw, "ts_ns", now - env->start_ns);
	jw_kv_uint(jw, "interval_ns", now - env->last_ns);
	jw_kv_string(jw, "by", env->process ? "process" : "syscall");
	jw_kv_uint(jw, "rows_total", n);
	jw_name(jw, "rows");
	jw_start_array(jw);
	for (i = 0; i < n && i < env->top; i++)
		json_row(env, jw, &rows[i]);
	jw_end_array(jw);
	jw_end_object(jw);
	jw_free(jw);
}

/* flip the maps, drain the one left and print it */
static int summary(struct env *env, struct syscount *s, struct row *rows)
{
	uint32_t was = s->bss->which;
	uint64_t now;
	int n;

	s->bss->which = !was;
	grace_period();
	n = drain(bpfbox_map_fd(was ? s->maps.data1 : s->maps.data0), rows);
	if (n < 0)
		return tool_fail(TOOL, "reading the counters: %s",
				 bpfbox_errmsg());
	by_time = env->latency;
	qsort(rows, n, sizeof(*rows), cmp_rows);
	now = tool_mono_ns();
	if (env->json)
		print_json(env, rows, n, now);
	else
		print_text(env, rows, n);
	env->last_ns = now;
	return 0;
}

static void report_dropped(const volatile __u64 *dropped, uint64_t *seen)
{
	uint64_t now = *dropped;

	if (now == *seen)
		return;
	fprintf(stderr, "%s: %llu syscalls not counted (counter map full: %d keys; %llu in all)\n",
		TOOL, (unsigned long long)(now - *seen), SC_MAX_ENTRIES,
		(unsigned long long)now);
	*seen = now;
}

/* sleep until the next tick (100 ms at most, less when a deadline
 * comes first); signals cut it short */
static void nap(uint64_t now, uint64_t next, uint64_t end)
{
	uint64_t d = 100 * NS_PER_MS;
	struct timespec ts;

	if (next && next > now && next - now < d)
		d = next - now;
	if (end && end > now && end - now < d)
		d = end - now;
	ts.tv_sec = d / 1000000000ull;
	ts.tv_nsec = d % 1000000000ull;
	nanosleep(&ts, NULL);
}

static int loop(struct env *env, struct syscount *s)
{
	uint64_t now, next = 0, end = 0, seen = 0, sec = 1000000000ull;
	int comm_fd = bpfbox_map_fd(s->maps.comms), ret = TOOL_OK;
	struct row *rows;
	bool last;

	rows = calloc(SC_MAX_ENTRIES, sizeof(*rows));
	if (!rows)
		return tool_fail(TOOL, "out of memory");
	if (env->interval)
		next = env->start_ns + env->interval * sec;
	if (env->duration)
		end = env->start_ns + env->duration * sec;
	for (;;) {
		now = tool_mono_ns();
		nap(now, next, end);
		if (reload)
			comms_reload(env, comm_fd);
		if (fflush(stdout) || ferror(stdout) || tool_stdout_gone())
			break;	/* EPIPE: nobody reads any more */
		report_dropped(&s->bss->dropped, &seen);
		now = tool_mono_ns();
		last = tool_exiting() || (end && now >= end);
		if (!last && (!next || now < next))
			continue;
		ret = summary(env, s, rows);
		if (ret || last)
			break;
		while (next <= now)
			next += env->interval * sec;
	}
	fflush(stdout);
	report_dropped(&s->bss->dropped, &seen);
	free(rows);
	return ret;
}

/* ---- setup ---- */

static void set_knobs(struct syscount *s, const struct env *env)
{
	s->rodata->targ_tgid = env->pid;
	s->rodata->targ_tid = env->tid;
	s->rodata->targ_key = env->key;
	s->rodata->filter_failed = env->failures;
	s->rodata->filter_errno = env->filter_errno;
	s->rodata->measure_latency = env->latency;
	s->rodata->by_process = env->process;
	s->rodata->filter_cg = env->cgroup != NULL;
	s->rodata->filter_comm = env->ncomms || env->comm_file;
	if (!env->latency)
		bpfbox_prog_set_autoload(s->progs.syscount_enter, false);
}

static void print_header(const struct env *env)
{
	FILE *f = env->json ? stderr : stdout;	/* stdout: NDJSON only */
	const char *failed = env->failures || env->filter_errno ?
			     "failed " : "";

	if (env->syscall)
		fprintf(f, "Tracing %ssyscall '%s'... Ctrl+C to quit.\n",
			failed, env->syscall);
	else
		fprintf(f, "Tracing %ssyscalls, printing top %ld... Ctrl+C to quit.\n",
			failed, env->top);
	fflush(f);
}

static int run(struct env *env)
{
	struct syscount *s;
	int err, ret = TOOL_FAIL;

	s = syscount__open();
	if (!s)
		return tool_fail(TOOL, "open: %s", bpfbox_errmsg());
	set_knobs(s, env);
	err = syscount__load(s);
	if (err) {
		tool_fail(TOOL, "load: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose)
		tool_verbose_loaded(TOOL, s->obj);
	if (tool_set_cgroup(TOOL, env->cgroup, s->maps.cgroup_map))
		goto out;
	if ((env->ncomms || env->comm_file) &&
	    comms_load(env, bpfbox_map_fd(s->maps.comms), false))
		goto out;
	err = syscount__attach(s);
	if (err) {
		tool_fail(TOOL, "attach: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose)
		tool_verbose_attached(TOOL, s->obj);
	env->start_ns = env->last_ns = tool_mono_ns();
	print_header(env);
	tool_attached(TOOL);
	ret = loop(env, s);
out:
	syscount__destroy(s);
	return ret;
}

/* ---- syscall names: -l, --syscall ---- */

static int list_syscalls(const struct env *env)
{
	size_t i, n = syscall_names_count(env->names);
	const char *name, *kname;
	struct jw *jw;
	int nr;

	for (i = 0; i < n; i++) {
		name = syscall_names_at(env->names, i, &nr, &kname);
		if (!env->json) {
			printf("%-22s %d\n", name, nr);
			continue;
		}
		jw = jw_new(stdout, false);
		if (!jw)
			return tool_fail(TOOL, "out of memory");
		jw_start_object(jw);
		jw_kv_string(jw, "syscall", name);
		jw_kv_uint(jw, "nr", nr);
		jw_kv_string(jw, "kernel_name", kname);
		jw_end_object(jw);
		jw_free(jw);
	}
	return TOOL_OK;
}

/* --syscall NAME or NR into env->key; 0 or the exit code */
static int resolve_syscall(struct env *env, const char *why)
{
	long v;
	int nr;

	env->key = -1;
	if (!env->syscall)
		return 0;
	if (!tool_parse_long(env->syscall, 0, SN_MAX_NR - 1, &v)) {
		env->key = v;
		return 0;
	}
	if (!env->names)
		return tool_fail(TOOL, "--syscall %s: no syscall names (%s); give its number",
				 env->syscall, why);
	nr = syscall_nr(env->names, env->syscall);
	if (nr < 0)
		return tool_usage(TOOL, "--syscall: this kernel has no syscall '%s' (see syscount -l)",
				  env->syscall);
	env->key = nr;
	return 0;
}

static int load_names(struct env *env)
{
	char why[512];
	int err;

	err = syscall_names_load(&env->names);
	if (!err) {
		if (env->verbose)
			fprintf(stderr, "%s: %zu syscall names from this kernel\n",
				TOOL, syscall_names_count(env->names));
		return resolve_syscall(env, NULL);
	}
	snprintf(why, sizeof(why), "%s", bpfbox_errmsg());
	if (env->list)
		return tool_fail(TOOL, "-l: %s", why);
	fprintf(stderr, "%s: warning: syscalls are shown by number: %s\n",
		TOOL, why);
	return resolve_syscall(env, why);
}

int syscount_main(int argc, char **argv)
{
	struct env env = { .top = 10, .key = -1 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	int ret;

	cli_set_name(TOOL);
	ret = parse_args(&env, argc, argv);
	if (ret)
		return ret < 0 ? TOOL_OK : ret;
	if (!bpfbox_may_use_bpf())
		return tool_fail(TOOL, "needs root: CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load and attach its programs; run it as root (e.g. with sudo)");
	tool_signals_init();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	ret = load_names(&env);
	if (!ret)
		ret = env.list ? list_syscalls(&env) : run(&env);
	syscall_names_free(env.names);
	return ret;
}

const void *syscount_bpf_object(size_t *len)
{
	*len = sizeof(syscount__bytes) - 1;
	return syscount__bytes;
}
