// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exitsnoop: trace the end of processes (user side; the kernel side is
 * exitsnoop.bpf.c). Options and columns follow libbpf-tools' exitsnoop,
 * with bcc's --utc, --per-thread and --label; see usage() and
 * docs/tools/exitsnoop.md for what differs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "cli.h"
#include "common.h"
#include "exitsnoop.h"
/* the skeleton's own typedefs would clash with <stdbool.h>'s bool */
#define exitsnoop__SKEL_NO_TYPES
#include "exitsnoop.skel.h"

#define TOOL "exitsnoop"
#define LABEL_MAX	64
/* --min-age: up to a year, in seconds */
#define MIN_AGE_MAX	(365.0 * 24 * 3600)

struct env {
	bool timestamp, utc, threaded, failed, json, verbose;
	int32_t pid;
	uint64_t min_age_ns;
	const char *cgroup, *label;
	uint64_t start_ns;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: exitsnoop [OPTIONS]\n"
"Trace process termination: one line when the last thread of a process\n"
"has ended (also when its main thread ended first), with its age and\n"
"the exit status its parent's wait() gets.\n"
"\n"
"  -t, --timestamp       include a time column (HH:MM:SS, local time)\n"
"      --utc             the time column in UTC (implies -t)\n"
"  -x, --failed          only exits with a non-zero code or by a signal\n"
"  -p, --pid PID         only the process PID\n"
"  -T, --threaded        one line per thread that ends (also --per-thread)\n"
"  -m, --min-age SECS    only processes (with -T: threads) that lived at\n"
"                        least SECS seconds (decimal, e.g. 0.5)\n"
"  -c, --cgroup PATH     only processes in this cgroup v2 (or below it)\n"
"      --label LABEL     a first column holding LABEL on every line\n"
"  -j, --json            one JSON object per event (NDJSON)\n"
"  -v, --verbose         loader details on stderr (programs, maps, links)\n"
"  -h, --help            this text\n"
"\n"
"EXIT_CODE is \"0\", \"code N\" or \"signal N (NAME)\", with \", core dumped\"\n"
"when a core was written. Filters are applied in the kernel; names from\n"
"the traced processes are escaped (control bytes print as \\xNN).\n"
"Examples:\n"
"  exitsnoop -x          failed processes only\n"
"  exitsnoop -t -m 10    processes that lived 10 s or more, with times\n");
}

enum { OPT_UTC = 256, OPT_LABEL, OPT_PER_THREAD };

static const struct option longopts[] = {
	{ "timestamp", no_argument, NULL, 't' },
	{ "utc", no_argument, NULL, OPT_UTC },
	{ "failed", no_argument, NULL, 'x' },
	{ "pid", required_argument, NULL, 'p' },
	{ "threaded", no_argument, NULL, 'T' },
	{ "per-thread", no_argument, NULL, OPT_PER_THREAD },
	{ "min-age", required_argument, NULL, 'm' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

/* decimal seconds ("2", "0.25") to ns; 0 or -EINVAL */
static int parse_secs(const char *s, uint64_t *ns)
{
	char *end;
	double v;

	if (!*s || (*s != '.' && (*s < '0' || *s > '9')))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	/* the first byte was checked: no "inf", "nan" or sign */
	if (errno || *end || v < 0 || v > MIN_AGE_MAX)
		return -EINVAL;
	*ns = (uint64_t)(v * 1e9 + 0.5);
	return 0;
}

static int parse_opt(void *ctx, int c, const char *arg)
{
	struct env *env = ctx;
	switch (c) {
	case 't': env->timestamp = true; break;
	case OPT_UTC: env->utc = env->timestamp = true; break;
	case 'x': env->failed = true; break;
	case 'T':
	case OPT_PER_THREAD: env->threaded = true; break;
	case 'j': env->json = true; break;
	case 'v': env->verbose = true; break;
	case 'c': env->cgroup = arg; break;
	case 'p':
		if (tool_parse_pid(arg, &env->pid))
			return tool_usage(TOOL, "-p: invalid PID '%s'", arg);
		break;
	case 'm':
		if (parse_secs(arg, &env->min_age_ns))
			return tool_usage(TOOL, "-m: expected seconds from 0 to %.0f (e.g. 1.5), got '%s'",
					  MIN_AGE_MAX, arg);
		break;
	case OPT_LABEL:
		if (strlen(arg) > LABEL_MAX)
			return tool_usage(TOOL, "--label: at most %d bytes",
					  LABEL_MAX);
		env->label = arg;
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
	return tool_parse_args(TOOL, argc, argv, "txp:Tm:c:jvh",
			       longopts, parse_opt, env);
}

/* ---- output ---- */

static void print_header(const struct env *env)
{
	if (env->json)
		return;
	if (env->label)
		printf("%-10s ", "LABEL");
	if (env->timestamp)
		printf("%-8s ", env->utc ? "TIME-UTC" : "TIME");
	printf("%-16s %-7s %-7s %-7s %-7s %s\n", "PCOMM", "PID", "PPID", "TID",
	       "AGE(s)", "EXIT_CODE");
	fflush(stdout);
}

static uint64_t age_ns(const struct ex_event *e)
{
	return e->ts > e->start ? e->ts - e->start : 0;
}

static void print_text(const struct env *env, const struct ex_event *e)
{
	size_t n = strnlen(e->comm, sizeof(e->comm));

	if (env->label) {
		tool_put_esc_str(stdout, env->label, LABEL_MAX);
		printf("%*s ", (int)(10 - strnlen(env->label, 10)), "");
	}
	if (env->timestamp) {
		tool_put_mono_time(stdout, e->ts, env->utc, false);
		putchar(' ');
	}
	tool_put_esc(stdout, e->comm, n, false);
	printf("%*s %-7d %-7d %-7d %-7.2f ", (int)(16 - n), "", e->pid,
	       e->ppid, e->tid, age_ns(e) / 1e9);
	tool_put_exit_status(stdout, e->status);
	putchar('\n');
}

static void print_json(const struct env *env, const struct ex_event *e)
{
	struct jw *jw = jw_new(stdout, false);
	int sig = e->status & 0x7f;
	char buf[16];

	if (!jw)
		return;
	jw_start_object(jw);
	jw_kv_string(jw, "event", e->scope == EX_THREAD ? "thread_exit" : "exit");
	if (env->label)
		jw_kv_string(jw, "label", env->label);
	jw_kv_uint(jw, "ts_ns", e->ts > env->start_ns ? e->ts - env->start_ns : 0);
	jw_name(jw, "comm");
	jw_string_n(jw, e->comm, strnlen(e->comm, sizeof(e->comm)));
	jw_kv_int(jw, "pid", e->pid);
	jw_kv_int(jw, "ppid", e->ppid);
	jw_kv_int(jw, "tid", e->tid);
	jw_kv_uint(jw, "age_ns", age_ns(e));
	jw_kv_uint(jw, "status", e->status);
	jw_name(jw, "exit_code");
	if (sig)
		jw_null(jw);
	else
		jw_uint(jw, (e->status >> 8) & 0xff);
	jw_name(jw, "signal");
	if (sig)
		jw_int(jw, sig);
	else
		jw_null(jw);
	jw_name(jw, "signal_name");
	if (sig)
		jw_string(jw, tool_signal_name(sig, buf, sizeof(buf)));
	else
		jw_null(jw);
	jw_kv_bool(jw, "core_dumped", e->status & 0x80);
	jw_end_object(jw);
	jw_free(jw);
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct env *env = ctx;
	struct ex_event e;

	if (size < sizeof(e))
		return 0;	/* not ours: cannot happen with our program */
	memcpy(&e, data, sizeof(e));
	if (env->json)
		print_json(env, &e);
	else
		print_text(env, &e);
	return 0;
}

/* ---- setup ---- */

static void set_knobs(struct exitsnoop *s, const struct env *env)
{
	s->rodata->targ_pid = env->pid;
	s->rodata->per_thread = env->threaded;
	s->rodata->failed_only = env->failed;
	s->rodata->filter_cg = env->cgroup != NULL;
	s->rodata->min_age_ns = env->min_age_ns;
}

static int run(struct env *env)
{
	struct bpfbox_ringbuf *rb = NULL;
	struct exitsnoop *s;
	int err, ret = TOOL_FAIL;

	s = exitsnoop__open();
	if (!s)
		return tool_fail(TOOL, "open: %s", bpfbox_errmsg());
	set_knobs(s, env);
	err = exitsnoop__load(s);
	if (err) {
		tool_fail(TOOL, "load: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose)
		tool_verbose_loaded(TOOL, s->obj);
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
	err = exitsnoop__attach(s);
	if (err) {
		tool_fail(TOOL, "attach: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose)
		tool_verbose_attached(TOOL, s->obj);
	env->start_ns = tool_mono_ns();
	print_header(env);
	ret = tool_run(TOOL, rb, (const volatile uint64_t *)&s->bss->lost);
out:
	bpfbox_ringbuf_free(rb);
	exitsnoop__destroy(s);
	return ret;
}

int exitsnoop_main(int argc, char **argv)
{
	struct env env = {};
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
