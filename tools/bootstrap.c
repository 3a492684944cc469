// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bootstrap: libbpf-bootstrap's example tool, the stream of execs and
 * process exits (user side; the kernel side is bootstrap.bpf.c). Same
 * columns and options (-d, -v) as the original, with the tools' -j and
 * -c; see usage() and docs/tools/bootstrap.md for what differs.
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
#include "bootstrap.h"
/* the skeleton's own typedefs would clash with <stdbool.h>'s bool */
#define bootstrap__SKEL_NO_TYPES
#include "bootstrap.skel.h"

#define TOOL "bootstrap"
/* -d: up to a day */
#define DURATION_MAX_MS	(24L * 3600 * 1000)

struct env {
	bool verbose, json;
	long min_duration_ms;
	const char *cgroup;
	uint64_t start_ns;
	uint64_t received;	/* records read from the ring */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bootstrap [OPTIONS]\n"
"BPF bootstrap demo application: trace process start (exec) and exit,\n"
"with how long each process ran since its exec.\n"
"\n"
"  -d, --duration MS     only exits of processes that ran at least MS\n"
"                        milliseconds since their exec (dropped in the\n"
"                        kernel); no exec events then, as in the original\n"
"  -v, --verbose         loader details on stderr (programs, maps, links)\n"
"                        and, at the end, what the kernel sent and dropped\n"
"  -c, --cgroup PATH     only processes in this cgroup v2 (or below it)\n"
"  -j, --json            one JSON object per event (NDJSON)\n"
"  -h, --help            this text\n"
"\n"
"An exit shows [N] for exit code N, [signal N (NAME)] for a process\n"
"killed by a signal, and the duration in ms when its exec was seen.\n"
"Names from the traced processes are escaped (control bytes as \\xNN).\n");
}

static const struct option longopts[] = {
	{ "duration", required_argument, NULL, 'd' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

static int parse_opt(void *ctx, int c, const char *arg)
{
	struct env *env = ctx;
	switch (c) {
	case 'v': env->verbose = true; break;
	case 'j': env->json = true; break;
	case 'c': env->cgroup = arg; break;
	case 'd':
		if (tool_parse_long(arg, 1, DURATION_MAX_MS,
				    &env->min_duration_ms))
			return tool_usage(TOOL, "-d: expected milliseconds from 1 to %ld, got '%s'",
					  DURATION_MAX_MS, arg);
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
	return tool_parse_args(TOOL, argc, argv, "d:vc:jh",
			       longopts, parse_opt, env);
}

/* ---- output ---- */

static void print_header(const struct env *env)
{
	if (env->json)
		return;
	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID",
	       "PPID", "FILENAME/EXIT CODE");
	fflush(stdout);
}

static void print_text(const struct bs_event *e, size_t fname_len)
{
	size_t n = strnlen(e->comm, sizeof(e->comm));

	tool_put_mono_time(stdout, e->ts, false, false);
	printf(" %-5s ", e->type == BS_EXIT ? "EXIT" : "EXEC");
	tool_put_esc(stdout, e->comm, n, false);
	printf("%*s %-7d %-7d ", (int)(16 - n), "", e->pid, e->ppid);
	if (e->type == BS_EXEC) {
		tool_put_esc(stdout, e->filename, fname_len, false);
		putchar('\n');
		return;
	}
	if (e->status & 0x7f) {
		putchar('[');
		tool_put_exit_status(stdout, e->status);
		putchar(']');
	} else {
		printf("[%u]", (e->status >> 8) & 0xff);
	}
	if (e->duration_ns)
		printf(" (%llums)", (unsigned long long)e->duration_ns / 1000000);
	putchar('\n');
}

static void json_exit(struct jw *jw, const struct bs_event *e)
{
	int sig = e->status & 0x7f;
	char buf[16];

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
	jw_name(jw, "duration_ns");
	if (e->duration_ns)
		jw_uint(jw, e->duration_ns);
	else
		jw_null(jw);
}

static void print_json(const struct env *env, const struct bs_event *e,
		       size_t fname_len)
{
	struct jw *jw = jw_new(stdout, false);

	if (!jw)
		return;
	jw_start_object(jw);
	jw_kv_string(jw, "event", e->type == BS_EXIT ? "exit" : "exec");
	jw_kv_uint(jw, "ts_ns", e->ts > env->start_ns ? e->ts - env->start_ns : 0);
	jw_name(jw, "comm");
	jw_string_n(jw, e->comm, strnlen(e->comm, sizeof(e->comm)));
	jw_kv_int(jw, "pid", e->pid);
	jw_kv_int(jw, "ppid", e->ppid);
	if (e->type == BS_EXEC) {
		jw_name(jw, "filename");
		jw_string_n(jw, e->filename, fname_len);
	} else {
		json_exit(jw, e);
	}
	jw_end_object(jw);
	jw_free(jw);
}

static int on_event(void *ctx, const void *data, size_t size)
{
	struct env *env = ctx;
	const struct bs_event *e = data;
	size_t fname = 0;

	if (size < offsetof(struct bs_event, filename))
		return 0;	/* not ours: cannot happen with our program */
	env->received++;
	if (e->type == BS_EXEC) {
		fname = size - offsetof(struct bs_event, filename);
		if (fname > e->filename_size)
			fname = e->filename_size;
		fname = strnlen(e->filename, fname);
	}
	if (env->json)
		print_json(env, e, fname);
	else
		print_text(e, fname);
	return 0;
}

/* ---- setup ---- */

/* -v at the end: what went through the ring and what the kernel kept back */
static void verbose_summary(const struct env *env, const struct bootstrap *s)
{
	fprintf(stderr, "%s: %llu events received from the kernel\n", TOOL,
		(unsigned long long)env->received);
	if (env->min_duration_ms)
		fprintf(stderr, "%s: %llu exits shorter than %ld ms dropped in the kernel\n",
			TOOL, (unsigned long long)s->bss->short_exits,
			env->min_duration_ms);
}

static int attach_and_run(struct env *env, struct bootstrap *s,
			  struct bpfbox_ringbuf *rb)
{
	int err, ret;

	err = bootstrap__attach(s);
	if (err)
		return tool_fail(TOOL, "attach: %s", bpfbox_errmsg());
	if (env->verbose)
		tool_verbose_attached(TOOL, s->obj);
	env->start_ns = tool_mono_ns();
	print_header(env);
	ret = tool_run(TOOL, rb, (const volatile uint64_t *)&s->bss->lost);
	if (env->verbose)
		verbose_summary(env, s);
	return ret;
}

static int run(struct env *env)
{
	struct bpfbox_ringbuf *rb = NULL;
	struct bootstrap *s;
	int err, ret = TOOL_FAIL;

	s = bootstrap__open();
	if (!s)
		return tool_fail(TOOL, "open: %s", bpfbox_errmsg());
	s->rodata->min_duration_ns = (uint64_t)env->min_duration_ms * 1000000;
	s->rodata->filter_cg = env->cgroup != NULL;
	err = bootstrap__load(s);
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
	ret = attach_and_run(env, s, rb);
out:
	bpfbox_ringbuf_free(rb);
	bootstrap__destroy(s);
	return ret;
}

int bootstrap_main(int argc, char **argv)
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
