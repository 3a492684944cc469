// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export --tool NAME: a built-in tool's BPF object with knobs
 * from the tool's own options and a built-in configuration, so that its
 * aggregates are metrics without the tool's user side.
 *
 * syscount: the kernel side counts into data0 or data1 as `which` says
 * (the tool flips it to drain one undisturbed). Export never flips, so
 * data0 holds every count since the start, as a counter should, and
 * data1 stays empty. Latency is always measured (measure_latency) and
 * also kept as a log2 histogram per key (measure_hist: latency_hist).
 *
 * The configuration names syscount's maps with the object ("syscount:")
 * and leaves out what is not wanted one by one, rather than with
 * export_unlisted: false, so that the maps of other objects exported
 * alongside (OBJ ... --tool syscount) still come out as with no config.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "cli.h"
#include "err.h"
#include "export_tool.h"
#include "../tools/common.h"
#include "../tools/syscall_names.h"
#include "../tools/syscount.h"

#define SC_TOOL "bpfbox export --tool syscount"

/* the options as given */
struct sc_opts {
	bool process, failures;
	int32_t pid, tid;
	int err_no;
	const char *syscall;
	struct export_tool_spec *spec;
};

static void sc_usage(FILE *f)
{
	fprintf(f,
"Usage: bpfbox export [OPTIONS] --tool syscount [TOOL-OPTIONS]\n"
"Serve syscount's counters as Prometheus metrics: syscalls completed,\n"
"the time spent in them and its distribution, by syscall or by process.\n"
"\n"
"  -P, --process         by process (label pid), not by syscall\n"
"  -p, --pid PID         count this process only\n"
"  -t, --tid TID         count this thread only\n"
"  -x, --failures        count only failed syscalls (return < 0)\n"
"  -e, --errno ERRNO     count only syscalls failing with ERRNO (a number\n"
"                        or a name: ENOENT)\n"
"      --syscall NAME    count this syscall only (a name or a number)\n"
"  -n, --comm NAME       count processes whose comm is NAME only (exact,\n"
"                        up to 15 bytes); at most %d\n"
"  -c, --cgroup PATH     count processes in this cgroup v2 only\n"
"  -h, --help            this text\n"
"\n"
"Metrics (syscall: this kernel's name; with -P, pid instead):\n"
"  bpfbox_syscount_calls_total{syscall}            counter\n"
"  bpfbox_syscount_time_seconds_total{syscall}     counter\n"
"  bpfbox_syscount_latency_seconds{syscall}        histogram, log2 buckets\n"
"Counts start when the programs are attached; filters are applied in\n"
"the kernel. Entries of a --config FILE come before the built-in ones\n"
"(about syscount:MAP, they win).\n",
		EXPORT_TOOL_MAX_COMMS);
}

enum { OPT_SYSCALL = 256 };

static const struct option sc_longopts[] = {
	{ "process", no_argument, NULL, 'P' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "failures", no_argument, NULL, 'x' },
	{ "errno", required_argument, NULL, 'e' },
	{ "syscall", required_argument, NULL, OPT_SYSCALL },
	{ "comm", required_argument, NULL, 'n' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL },
};

static int add_comm(struct export_tool_spec *t, const char *name)
{
	if (!*name || strlen(name) >= SC_COMM_LEN)
		return tool_usage(SC_TOOL, "-n: NAME must be 1 to %d bytes (a comm)",
				  SC_COMM_LEN - 1);
	if (t->ncomms == EXPORT_TOOL_MAX_COMMS)
		return tool_usage(SC_TOOL, "-n: at most %d names",
				  EXPORT_TOOL_MAX_COMMS);
	t->comms[t->ncomms++] = name;
	return 0;
}

static int sc_opt(void *ctx, int c, const char *arg)
{
	struct sc_opts *o = ctx;

	switch (c) {
	case 'P': o->process = true; break;
	case 'x': o->failures = true; break;
	case 'c': o->spec->cgroup = arg; break;
	case 'n': return add_comm(o->spec, arg);
	case OPT_SYSCALL: o->syscall = arg; break;
	case 'p':
		if (tool_parse_pid(arg, &o->pid))
			return tool_usage(SC_TOOL, "-p: invalid PID '%s'", arg);
		break;
	case 't':
		if (tool_parse_pid(arg, &o->tid))
			return tool_usage(SC_TOOL, "-t: invalid TID '%s'", arg);
		break;
	case 'e':
		o->err_no = tool_parse_errno(arg);
		if (o->err_no < 0)
			return tool_usage(SC_TOOL, "-e: '%s' is neither an errno number nor a name like ENOENT",
					  arg);
		break;
	case 'h':
		sc_usage(stdout);
		return -1;
	default:
		return tool_usage(SC_TOOL, "unknown option");
	}
	return 0;
}

/* --syscall NAME or NR as the key of data0; 0 or the exit code */
static int resolve_syscall(const char *s, long *key)
{
	struct syscall_table *names;
	int nr, err;

	if (!tool_parse_long(s, 0, SN_MAX_NR - 1, key))
		return 0;
	err = syscall_names_load(&names);
	if (err)
		return tool_fail(SC_TOOL, "--syscall %s: no syscall names (%s); give its number",
				 s, bpfbox_errmsg());
	nr = syscall_nr(names, s);
	syscall_names_free(names);
	if (nr < 0)
		return tool_usage(SC_TOOL, "--syscall: this kernel has no syscall '%s' (see bpfbox syscount -l)",
				  s);
	*key = nr;
	return 0;
}

/* a knob as its command line value: a number (bools take 1) */
static void knob(struct export_tool_spec *t, const char *var, long v)
{
	if (t->nknobs == EXPORT_TOOL_MAX_KNOBS)
		return;		/* cannot happen: syscount sets at most 10 */
	t->knobs[t->nknobs].var = var;
	snprintf(t->knobs[t->nknobs].val, sizeof(t->knobs[0].val), "%ld", v);
	t->nknobs++;
}

static void sc_knobs(const struct sc_opts *o, long key)
{
	struct export_tool_spec *t = o->spec;

	knob(t, "measure_latency", 1);
	knob(t, "measure_hist", 1);
	if (o->process)
		knob(t, "by_process", 1);
	if (o->pid)
		knob(t, "targ_tgid", o->pid);
	if (o->tid)
		knob(t, "targ_tid", o->tid);
	if (key >= 0)
		knob(t, "targ_key", key);
	if (o->failures)
		knob(t, "filter_failed", 1);
	if (o->err_no)
		knob(t, "filter_errno", o->err_no);
	if (t->cgroup)
		knob(t, "filter_cg", 1);
	if (t->ncomms)
		knob(t, "filter_comm", 1);
}

/*
 * The configuration (export_conf.h). LABEL is the rule for the key's
 * label, the same in each of data0's and latency_hist's entries.
 */
#define SC_LABEL_SYSCALL \
"    labels:\n" \
"      - field: key\n" \
"        name: syscall\n" \
"        decoder: syscall\n"
#define SC_LABEL_PID \
"    labels:\n" \
"      - field: key\n" \
"        name: pid\n"
#define SC_CONF(BY, LABEL) \
"export_unlisted: true\n" \
"metrics:\n" \
"  - map: syscount:data0\n" \
"    member: count\n" \
"    name: bpfbox_syscount_calls_total\n" \
"    help: Syscalls completed, by " BY " (raw_syscalls sys_exit).\n" \
"    type: counter\n" \
LABEL \
"  - map: syscount:data0\n" \
"    member: total_ns\n" \
"    name: bpfbox_syscount_time_seconds_total\n" \
"    help: Time spent in syscalls from entry to exit, by " BY ".\n" \
"    type: counter\n" \
"    scale: 1e-9\n" \
LABEL \
"  - map: syscount:latency_hist\n" \
"    name: bpfbox_syscount_latency_seconds\n" \
"    help: Syscall latency from entry to exit, by " BY ".\n" \
"    buckets: log2\n" \
"    # the same le set on every host: up to 2^34-1 ns (17 s)\n" \
"    bucket_max: 33\n" \
"    scale: 1e-9\n" \
LABEL \
"  # uid and gid of the last syscall (-P): not metrics\n" \
"  - map: syscount:data0\n" \
"    member: uid\n" \
"    skip: true\n" \
"  - map: syscount:data0\n" \
"    member: gid\n" \
"    skip: true\n" \
"  # the tool's second half, never filled: export does not flip which\n" \
"  - map: syscount:data1\n" \
"    skip: true\n" \
"  # the -n filter's names\n" \
"  - map: syscount:comms\n" \
"    skip: true\n"

static const char sc_conf_syscall[] = SC_CONF("syscall", SC_LABEL_SYSCALL);
static const char sc_conf_process[] = SC_CONF("process", SC_LABEL_PID);

static int syscount_parse(int argc, char **argv, struct export_tool_spec *t)
{
	struct sc_opts o = { .spec = t };
	char **av;
	long key = -1;
	int err, fd;

	/* getopt wants a program name first, and may reorder: a copy */
	av = calloc((size_t)argc + 2, sizeof(*av));
	if (!av)
		return cli_fail("out of memory");
	av[0] = (char *)"syscount";
	memcpy(av + 1, argv, (size_t)argc * sizeof(*av));
	err = tool_parse_args(SC_TOOL, argc + 1, av, "Pp:t:xe:n:c:h",
			      sc_longopts, sc_opt, &o);
	free(av);
	if (err)
		return err;
	if (o.pid && o.tid)
		return tool_usage(SC_TOOL, "-p and -t exclude each other");
	if (o.syscall) {
		err = resolve_syscall(o.syscall, &key);
		if (err)
			return err;
	}
	/* a missing cgroup fails now, before anything is loaded */
	if (t->cgroup) {
		fd = tool_open_cgroup(SC_TOOL, t->cgroup);
		if (fd < 0)
			return CLI_FAIL;
		close(fd);
	}
	t->name = "syscount";
	t->obj = syscount_bpf_object(&t->obj_len);
	t->conf = o.process ? sc_conf_process : sc_conf_syscall;
	sc_knobs(&o, key);
	return 0;
}

static int syscount_setup(const struct export_tool_spec *t,
			  struct bpfbox_object *obj)
{
	struct bpfbox_map *cg = bpfbox_object_find_map(obj, "cgroup_map");
	struct bpfbox_map *cm = bpfbox_object_find_map(obj, "comms");
	char key[SC_COMM_LEN];
	uint32_t zero = 0;
	uint8_t one = 1;
	size_t i;
	int fd, err;

	if (!cg || !cm)
		return bb_err(ENOENT, "syscount: the object has no map cgroup_map or comms (a build mismatch)");
	for (i = 0; i < t->ncomms; i++) {
		memset(key, 0, sizeof(key));
		memcpy(key, t->comms[i], strnlen(t->comms[i], SC_COMM_LEN - 1));
		err = bpfbox_map_update_elem(bpfbox_map_fd(cm), key, &one,
					     BPF_ANY);
		if (err)
			return bb_err_wrap(err, "syscount: -n %s", t->comms[i]);
	}
	if (!t->cgroup)
		return 0;
	fd = open(t->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno, "syscount: cgroup %s: %s", t->cgroup,
			      strerror(errno));
	err = bpfbox_map_update_elem(bpfbox_map_fd(cg), &zero, &fd, BPF_ANY);
	close(fd);
	if (err)
		return bb_err_wrap(err, "syscount: cgroup %s: cannot set the filter",
				   t->cgroup);
	return 0;
}

/* ---- the tools that can be exported ---- */

struct export_tool {
	const char *name;
	int (*parse)(int argc, char **argv, struct export_tool_spec *t);
	int (*setup)(const struct export_tool_spec *t,
		     struct bpfbox_object *obj);
};

static const struct export_tool tools[] = {
	{ "syscount", syscount_parse, syscount_setup },
};

#define NTOOLS (sizeof(tools) / sizeof(tools[0]))

static const struct export_tool *tool_of(const char *name)
{
	size_t i;

	for (i = 0; i < NTOOLS; i++)
		if (!strcmp(tools[i].name, name))
			return &tools[i];
	return NULL;
}

int export_tool_parse(const char *name, int argc, char **argv,
		      struct export_tool_spec *out)
{
	const struct export_tool *e = tool_of(name);

	memset(out, 0, sizeof(*out));
	if (!e)
		return cli_usage("--tool %s: no such tool to export (there is: %s)",
				 name, export_tool_names());
	return e->parse(argc, argv, out);
}

int export_tool_setup(const struct export_tool_spec *t,
		      struct bpfbox_object *obj)
{
	const struct export_tool *e = tool_of(t->name ? t->name : "");

	if (!e)
		return bb_err(EINVAL, "export --tool: no tool was parsed");
	return e->setup(t, obj);
}

const char *export_tool_names(void)
{
	return "syscount";
}
