// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * execsnoop: trace exec() of every process (user side; the kernel side
 * is execsnoop.bpf.c). Options and columns follow libbpf-tools'
 * execsnoop, with bcc's -P; docs/tools/execsnoop.md says what differs.
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
#include "execsnoop.h"
/* the skeleton's own typedefs would clash with <stdbool.h>'s bool */
#define execsnoop__SKEL_NO_TYPES
#include "execsnoop.skel.h"

#define TOOL "execsnoop"

struct env {
	bool time, timestamp, fails, quote, print_uid, parent, json, verbose;
	uint32_t uid;
	bool has_uid;
	int32_t ppid;
	const char *name, *line, *cgroup;
	long max_args;
	uint64_t start_ns;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: execsnoop [OPTIONS]\n"
"Trace exec() syscalls: successful ones (tracepoint sched_process_exec,\n"
"with the full argument list of the new program) and, with -x, failed ones.\n"
"\n"
"  -T, --time            include a time column (HH:MM:SS)\n"
"  -t, --timestamp       include a timestamp column (seconds since start)\n"
"  -x, --fails           include failed exec()s (execve and execveat)\n"
"  -u, --uid UID         trace this UID only (number or user name)\n"
"  -U, --print-uid       include a UID column\n"
"  -q, --quote           add quotemarks (\") around arguments\n"
"  -n, --name NAME       only commands whose comm contains NAME (after\n"
"                        the exec; up to 15 bytes)\n"
"  -l, --line LINE       only commands whose arguments, joined by spaces,\n"
"                        contain LINE (bcc's meaning; libbpf-tools 0.26\n"
"                        matches the comm instead); up to %d bytes\n"
"  -P, --ppid PPID       only processes whose parent is PPID\n"
"  -c, --cgroup PATH     only processes in this cgroup v2 (or below it)\n"
"  -p, --parent          include the parent's comm (PARENT column)\n"
"      --max-args N      arguments shown per exec (default 20)\n"
"  -j, --json            one JSON object per event (NDJSON)\n"
"  -v, --verbose         what is loaded and attached, on stderr\n"
"  -h, --help            this text\n"
"\n"
"Filters are applied in the kernel. Text from the traced processes is\n"
"escaped: control characters and invalid UTF-8 print as \\xNN, and a\n"
"backslash as \\\\.\n"
"Examples:\n"
"  execsnoop -x -T       with failed execs and times\n"
"  execsnoop -u root -l python   root's execs with python in the arguments\n", ES_LINE_MAX);
}

enum { OPT_MAX_ARGS = 256 };

static const struct option longopts[] = {
	{ "time", no_argument, NULL, 'T' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "fails", no_argument, NULL, 'x' },
	{ "uid", required_argument, NULL, 'u' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "quote", no_argument, NULL, 'q' },
	{ "name", required_argument, NULL, 'n' },
	{ "line", required_argument, NULL, 'l' },
	{ "ppid", required_argument, NULL, 'P' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "parent", no_argument, NULL, 'p' },
	{ "max-args", required_argument, NULL, OPT_MAX_ARGS },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

static int parse_opt(void *ctx, int c, const char *arg)
{
	struct env *env = ctx;
	switch (c) {
	case 'T': env->time = true; break;
	case 't': env->timestamp = true; break;
	case 'x': env->fails = true; break;
	case 'U': env->print_uid = true; break;
	case 'q': env->quote = true; break;
	case 'p': env->parent = true; break;
	case 'j': env->json = true; break;
	case 'v': env->verbose = true; break;
	case 'u':
		if (tool_parse_uid(arg, &env->uid))
			return tool_usage(TOOL, "-u: '%s' is neither a uid nor a user in /etc/passwd",
					  arg);
		env->has_uid = true;
		break;
	case 'P':
		if (tool_parse_pid(arg, &env->ppid))
			return tool_usage(TOOL, "-P: invalid PPID '%s'", arg);
		break;
	case 'n':
		if (!*arg || strlen(arg) >= ES_COMM_LEN)
			return tool_usage(TOOL, "-n: NAME must be 1 to %d bytes (a comm)",
					  ES_COMM_LEN - 1);
		env->name = arg;
		break;
	case 'l':
		if (!*arg || strlen(arg) > ES_LINE_MAX)
			return tool_usage(TOOL, "-l: LINE must be 1 to %d bytes",
					  ES_LINE_MAX);
		env->line = arg;
		break;
	case 'c': env->cgroup = arg; break;
	case OPT_MAX_ARGS:
		if (tool_parse_long(arg, 1, ES_ARGS_MAX, &env->max_args))
			return tool_usage(TOOL, "--max-args: expected 1 to %d, got '%s'",
					  ES_ARGS_MAX, arg);
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
	return tool_parse_args(TOOL, argc, argv, "TtxUu:qn:l:P:c:pjvh",
			       longopts, parse_opt, env);
}

/* ---- output ---- */

static void print_header(const struct env *env)
{
	if (env->json)
		return;
	if (env->time)
		printf("%-9s", "TIME");
	if (env->timestamp)
		printf("%-8s ", "TIME(s)");
	if (env->print_uid)
		printf("%-6s ", "UID");
	printf("%-16s %-6s %-6s ", "PCOMM", "PID", "PPID");
	if (env->parent)
		printf("%-16s ", "PARENT");
	printf("%3s %s\n", "RET", "ARGS");
	fflush(stdout);
}

/* the next argument in e->args after *off, or NULL at the end */
static const char *next_arg(const struct es_event *e, size_t size,
			    size_t *off, size_t *len)
{
	const char *a;

	if (*off >= size)
		return NULL;
	a = e->args + *off;
	*len = strnlen(a, size - *off);
	*off += *len + 1;
	return a;
}

static void print_text(const struct env *env, const struct es_event *e,
		       size_t size)
{
	size_t off = 0, len;
	const char *a;
	long n = 0;

	if (env->time) {
		tool_put_hms(stdout);
		putchar(' ');
	}
	if (env->timestamp)
		printf("%-8.3f ", (e->ts - env->start_ns) / 1e9);
	if (env->print_uid)
		printf("%-6u ", e->uid);
	tool_put_esc_str(stdout, e->comm, sizeof(e->comm));
	printf("%*s %-6d %-6d ",
	       (int)(16 - strnlen(e->comm, sizeof(e->comm))), "",
	       e->pid, e->ppid);
	if (env->parent) {
		tool_put_esc_str(stdout, e->pcomm, sizeof(e->pcomm));
		printf("%*s ", (int)(16 - strnlen(e->pcomm, sizeof(e->pcomm))), "");
	}
	printf("%3d", e->ret);
	while ((a = next_arg(e, size, &off, &len))) {
		if (n++ == env->max_args)
			break;
		fputs(env->quote ? " \"" : " ", stdout);
		tool_put_esc(stdout, a, len, env->quote);
		if (env->quote)
			putchar('"');
	}
	if (a || e->args_trunc)
		fputs(" ...", stdout);
	putchar('\n');
}

static void print_json(const struct env *env, const struct es_event *e,
		       size_t size)
{
	struct jw *jw = jw_new(stdout, false);
	size_t off = 0, len;
	const char *a;
	long n = 0;

	if (!jw)
		return;
	jw_start_object(jw);
	jw_kv_string(jw, "event", e->type == ES_FAIL ? "exec_failed" : "exec");
	jw_kv_uint(jw, "ts_ns", e->ts - env->start_ns);
	jw_name(jw, "comm");
	jw_string_n(jw, e->comm, strnlen(e->comm, sizeof(e->comm)));
	jw_kv_int(jw, "pid", e->pid);
	jw_kv_int(jw, "tid", e->old_tid);
	jw_kv_int(jw, "ppid", e->ppid);
	jw_name(jw, "pcomm");
	jw_string_n(jw, e->pcomm, strnlen(e->pcomm, sizeof(e->pcomm)));
	jw_kv_uint(jw, "uid", e->uid);
	jw_kv_int(jw, "ret", e->ret);
	jw_name(jw, "args");
	jw_start_array(jw);
	while ((a = next_arg(e, size, &off, &len))) {
		if (n++ == env->max_args)
			break;
		jw_string_n(jw, a, len);
	}
	jw_end_array(jw);
	jw_kv_bool(jw, "args_truncated", a || e->args_trunc);
	jw_end_object(jw);
	jw_free(jw);
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct env *env = ctx;
	const struct es_event *e = data;
	size_t args;

	if (size < offsetof(struct es_event, args))
		return 0;	/* not ours: cannot happen with our program */
	args = size - offsetof(struct es_event, args);
	if (args > e->args_size)
		args = e->args_size;
	if (env->json)
		print_json(env, e, args);
	else
		print_text(env, e, args);
	return 0;
}

/* ---- setup ---- */

static void set_knobs(struct execsnoop *s, const struct env *env)
{
	if (env->has_uid)
		s->rodata->targ_uid = env->uid;
	s->rodata->targ_ppid = env->ppid;
	s->rodata->filter_cg = env->cgroup != NULL;
	if (env->name) {
		s->rodata->name_len = strlen(env->name);
		memcpy((char *)s->rodata->targ_comm, env->name,
		       strlen(env->name));
	}
	if (env->line) {
		s->rodata->line_len = strlen(env->line);
		memcpy((char *)s->rodata->targ_line, env->line,
		       strlen(env->line));
	}
	if (!env->fails) {
		bpfbox_prog_set_autoload(s->progs.enter_execve, false);
		bpfbox_prog_set_autoload(s->progs.enter_execveat, false);
		bpfbox_prog_set_autoload(s->progs.exit_execve, false);
		bpfbox_prog_set_autoload(s->progs.exit_execveat, false);
	}
}

/* -v: the filters the kernel side applies, as set in its .rodata */
static void verbose_filters(const struct env *env)
{
	fprintf(stderr, "%s: filters in the kernel:", TOOL);
	if (env->has_uid)
		fprintf(stderr, " uid %u;", env->uid);
	if (env->ppid)
		fprintf(stderr, " parent pid %d;", env->ppid);
	if (env->name)
		fprintf(stderr, " comm contains '%s';", env->name);
	if (env->line)
		fprintf(stderr, " arguments contain '%s';", env->line);
	if (env->cgroup)
		fprintf(stderr, " cgroup %s;", env->cgroup);
	fprintf(stderr, " %s\n", env->fails ? "failed execs too" :
		"successful execs only");
}

static int run(struct env *env)
{
	struct bpfbox_ringbuf *rb = NULL;
	struct execsnoop *s;
	int err, ret = TOOL_FAIL;

	s = execsnoop__open();
	if (!s)
		return tool_fail(TOOL, "open: %s", bpfbox_errmsg());
	set_knobs(s, env);
	err = execsnoop__load(s);
	if (err) {
		tool_fail(TOOL, "load: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose) {
		tool_verbose_loaded(TOOL, s->obj);
		verbose_filters(env);
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
	err = execsnoop__attach(s);
	if (err) {
		tool_fail(TOOL, "attach: %s", bpfbox_errmsg());
		goto out;
	}
	if (env->verbose)
		tool_verbose_attached(TOOL, s->obj);
	env->start_ns = tool_mono_ns();
	print_header(env);
	ret = tool_run(TOOL, rb,
		       (const volatile uint64_t *)&s->bss->lost);
out:
	bpfbox_ringbuf_free(rb);
	execsnoop__destroy(s);
	return ret;
}

int execsnoop_main(int argc, char **argv)
{
	struct env env = { .max_args = 20 };
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
