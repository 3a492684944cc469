// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export OBJ...: serve BPF objects' maps as Prometheus metrics.
 * Each object is loaded and attached as `bpfbox run` does it (run.c's
 * functions: knobs, load, attach), or is a built-in tool (--tool,
 * export_tool.c); then every capability is dropped and the maps are
 * read through the fds already held, at each scrape of /metrics. This
 * file holds the options, the objects' life and the serving loop; the
 * exposition is export_prom.c, the server export_http.c.
 *
 * The grammar keeps each knob with its object:
 *   export [OPTIONS] OBJ [--VAR VALUE]... [OBJ [--VAR VALUE]...]...
 *          [--tool NAME [TOOL-OPTIONS]]
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "cli.h"
#include "export.h"
#include "export_conf.h"
#include "export_decode.h"
#include "export_tool.h"
#include "object.h"
#include "run.h"

#define MAX_OBJS 16

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bpfbox export [OPTIONS] OBJ [--VAR VALUE]... [OBJ [--VAR VALUE]...]...\n"
"       bpfbox export [OPTIONS] [OBJ...] --tool NAME [TOOL-OPTIONS]\n"
"       bpfbox export OBJ --help   the knobs (global variables) of OBJ\n"
"\n"
"Load each OBJ, attach its programs (as 'bpfbox run' does), and serve the\n"
"maps as Prometheus metrics on http://ADDR:PORT/metrics until SIGINT or\n"
"SIGTERM. Capabilities are dropped once the programs are attached.\n"
"Knobs (--VAR VALUE, --set VAR=VALUE) belong to the OBJ before them.\n"
"\n"
"  --listen ADDR:PORT      where to listen (default " EXPORT_DEFAULT_LISTEN ");\n"
"                          port 0 picks a free one (printed on stderr)\n"
"  --config FILE           YAML: rename, counter/gauge, scale, buckets,\n"
"                          label decoders (see docs/export.md)\n"
"  --read MODE             auto (batch lookups where the kernel has them,\n"
"                          else key by key; default), batch, per-key\n"
"  --bpf-stats             turn the kernel's BPF run-time stats on while\n"
"                          running (per-program run count and time)\n"
"  --max-series N          keys read per map and scrape (default %d)\n"
"  --request-timeout SECS  a client's time to send its request (default 5)\n"
"  --tool NAME [OPTS]      export a built-in tool (%s); the rest of the\n"
"                          command line are its options\n"
"  --btf FILE, --verifier-log FILE   as for 'bpfbox run'\n",
		EXPORT_MAX_SERIES, export_tool_names());
}

struct export {
	struct cli *cli;
	struct export_obj objs[MAX_OBJS];
	size_t nobjs;
	const char *listen;
	const char *config;
	enum export_read read;
	bool bpf_stats;
	uint32_t max_series;
	int timeout_ms;
	struct export_tool_spec tool;
	bool has_tool;
	struct export_obj *help;	/* OBJ --help */
	bool usage_shown;		/* export --help among the options */
	bool tool_help;			/* --tool NAME --help printed */
};

/* argv[*i] is NAME or NAME=VALUE: the value (after '=' or the next word) */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) || (a[n] && a[n] != '='))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

static bool is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(a, name, n) && (!a[n] || a[n] == '=');
}

static int parse_max_series(struct export *e, const char *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || !n || n > 10000000)
		return cli_usage("--max-series: expected 1..10000000, got '%s'", v);
	e->max_series = (uint32_t)n;
	return 0;
}

static int parse_timeout(struct export *e, const char *v)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(v, &end);
	if (errno || end == v || *end || !(s >= 0.01 && s <= 3600))
		return cli_usage("--request-timeout: expected 0.01..3600 seconds, got '%s'", v);
	e->timeout_ms = (int)(s * 1000);
	return 0;
}

static int parse_read(struct export *e, const char *v)
{
	if (!strcmp(v, "auto"))
		e->read = EXPORT_READ_AUTO;
	else if (!strcmp(v, "batch"))
		e->read = EXPORT_READ_BATCH;
	else if (!strcmp(v, "per-key"))
		e->read = EXPORT_READ_PER_KEY;
	else
		return cli_usage("--read: expected auto, batch or per-key, got '%s'", v);
	return 0;
}

static const char *const export_opts[] = {
	"--listen", "--config", "--read", "--max-series", "--request-timeout",
};

/* export's own options (before the first OBJ); 1: not one of them */
static int parse_opt(struct export *e, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;
	size_t k;

	if (!strcmp(a, "--bpf-stats")) {
		e->bpf_stats = true;
		return 0;
	}
	for (k = 0; k < sizeof(export_opts) / sizeof(export_opts[0]); k++)
		if (is_opt(a, export_opts[k]))
			break;
	if (k == sizeof(export_opts) / sizeof(export_opts[0]))
		return 1;
	v = opt_value(argc, argv, i, export_opts[k]);
	if (!v || !*v)
		return cli_usage("%s needs a value (see 'bpfbox export help')",
				 export_opts[k]);
	switch (k) {
	case 0: e->listen = v; return 0;
	case 1: e->config = v; return 0;
	case 2: return parse_read(e, v);
	case 3: return parse_max_series(e, v);
	default: return parse_timeout(e, v);
	}
}

/* <object>: the file name without .bpf.o (or its last extension) */
static void obj_name(struct export_obj *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	char base[96], *dot;

	snprintf(base, sizeof(base), "%s", slash ? slash + 1 : path);
	dot = strstr(base, ".bpf.o");
	if (!dot)
		dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	export_prom_name(o->name, sizeof(o->name), base);
}

static int add_obj(struct export *e, const char *path, const void *mem,
		   size_t len)
{
	struct bpfbox_open_opts oo = { .sz = sizeof(oo) };
	struct export_obj *o;
	size_t i;
	int err;

	if (e->nobjs == MAX_OBJS)
		return cli_usage("at most %d objects per export", MAX_OBJS);
	o = &e->objs[e->nobjs];
	memset(o, 0, sizeof(*o));
	o->r.cli = e->cli;
	o->r.cmd = "export";
	o->r.no_printk = true;
	o->r.path = path;
	obj_name(o, path);
	for (i = 0; i < e->nobjs; i++)
		if (!strcmp(e->objs[i].name, o->name))
			return cli_usage("two objects named '%s' (%s, %s): their metrics would collide; rename one file",
					 o->name, e->objs[i].r.path, path);
	/* name is at most 95 bytes: the prefix always fits */
	strcpy(o->prefix, "bpfbox_");
	strcat(o->prefix, o->name);
	strcat(o->prefix, "_");
	oo.name = o->name;
	err = mem ? bpfbox_object_open_mem(mem, len, &oo, &o->r.obj) :
		    bpfbox_object_open_file(path, NULL, &o->r.obj);
	if (err)
		return cli_fail("%s", bpfbox_errmsg());
	e->nobjs++;
	return 0;
}

/* argv[*i] after an OBJ: one of its knobs, or its --help */
static int parse_knob(struct export *e, struct export_obj *o, int argc,
		      char **argv, int *i)
{
	const char *a = argv[*i];
	char *kv, *eq;
	size_t k;

	if (cli_is_help(a)) {
		e->help = o;
		return 0;
	}
	if (is_opt(a, "--set")) {
		kv = (char *)opt_value(argc, argv, i, "--set");
		eq = kv ? strchr(kv, '=') : NULL;
		if (!eq || eq == kv)
			return cli_usage("--set: expected VAR=VALUE");
		*eq = '\0';
		return run_kvs_add(&o->r.knobs, kv, eq + 1) ?
		       cli_fail("out of memory") : 0;
	}
	for (k = 0; k < sizeof(export_opts) / sizeof(export_opts[0]); k++)
		if (is_opt(a, export_opts[k]) &&
		    !run_var_exists(o->r.obj, a + 2, NULL))
			return cli_usage("%s is an option of export: give it before the first OBJ (after %s come its knobs)",
					 export_opts[k], o->r.path);
	return run_parse_knob(&o->r, argc, argv, i);
}

static int parse_tool(struct export *e, int argc, char **argv, int i)
{
	int err;

	if (e->has_tool)
		return cli_usage("one --tool per export");
	if (i + 1 >= argc)
		return cli_usage("--tool needs a NAME (%s)", export_tool_names());
	err = export_tool_parse(argv[i + 1], argc - i - 2, argv + i + 2,
				&e->tool);
	if (err == -1) {	/* the tool's --help was printed */
		e->tool_help = true;
		return 0;
	}
	if (err)
		return err;
	e->has_tool = true;
	err = add_obj(e, e->tool.name, e->tool.obj, e->tool.obj_len);
	for (size_t k = 0; !err && k < e->tool.nknobs; k++)
		if (run_kvs_add(&e->objs[e->nobjs - 1].r.knobs,
				e->tool.knobs[k].var, e->tool.knobs[k].val))
			err = cli_fail("out of memory");
	return err;
}

static int parse_args(struct export *e, int argc, char **argv)
{
	struct export_obj *cur = NULL;
	int i, err;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--tool"))
			return parse_tool(e, argc, argv, i);
		if (a[0] != '-') {
			err = add_obj(e, a, NULL, 0);
			cur = err ? NULL : &e->objs[e->nobjs - 1];
		} else if (cur) {
			err = parse_knob(e, cur, argc, argv, &i);
		} else if (cli_is_help(a)) {
			e->usage_shown = true;
			return 0;
		} else {
			err = parse_opt(e, argc, argv, &i);
			if (err == 1)
				err = cli_usage("unknown option '%s' (see 'bpfbox export help')", a);
		}
		if (err)
			return err;
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int setup_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake ppoll */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	/* a client gone mid-answer: send() says EPIPE, no signal */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, waitmask))
		return -errno;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	return 0;
}

/* the decoders the config's labels ask for */
static unsigned int decoders_needed(const struct export_conf *c)
{
	unsigned int need = 0;
	size_t i, j;

	for (i = 0; c && i < c->n; i++)
		for (j = 0; j < c->m[i].nlabels; j++)
			if (c->m[i].labels[j].decoder != EXPORT_DEC_DROP)
				need |= 1u << c->m[i].labels[j].decoder;
	return need & ~1u;	/* EXPORT_DEC_NONE needs nothing */
}

/* --config, the tool's built-in config, or both (--config's entries win) */
static int load_conf(struct export *e, struct export_ctx *x)
{
	struct export_conf *tool = NULL;
	int err = 0;

	if (e->config)
		err = export_conf_load(e->config, &x->conf);
	if (!err && e->has_tool)
		err = export_conf_parse(e->tool.conf, strlen(e->tool.conf),
					e->tool.name, &tool);
	if (!err && tool && x->conf)
		err = export_conf_merge(x->conf, tool);
	else if (!err && tool)
		x->conf = tool;
	if (err)
		return cli_fail("%s", bpfbox_errmsg());
	return 0;
}

static int serve(struct export *e, struct export_ctx *x,
		 struct export_http *h)
{
	char addr[96];
	sigset_t waitmask;
	int err;

	if (setup_signals(&waitmask))
		return cli_fail("signals: %s", strerror(errno));
	export_http_addr(h, addr, sizeof(addr));
	/* scripts wait for this line before they scrape */
	for (size_t i = 0; i < e->nobjs; i++)
		fprintf(stderr, "bpfbox export: %zu program%s of %s attached\n",
			e->objs[i].r.nlinks, e->objs[i].r.nlinks == 1 ? "" : "s",
			e->objs[i].r.path);
	fprintf(stderr, "bpfbox export: serving http://%s/metrics\n", addr);
	while (!stop) {
		err = export_http_step(h, x, &waitmask);
		if (err && err != -EINTR)
			return cli_fail("serving: %s", strerror(-err));
	}
	return CLI_OK;
}

/* load, set up and attach one object; its channels opened */
static int start_obj(struct export *e, struct export_obj *o)
{
	int err;

	err = run_load(&o->r);
	if (!err && e->has_tool && o == &e->objs[e->nobjs - 1] &&
	    export_tool_setup(&e->tool, o->r.obj))
		err = cli_fail("%s", bpfbox_errmsg());
	if (!err)
		err = run_attach_all(&o->r);
	/* perf buffers need perf_event_open: before the capabilities go */
	if (!err && export_chans_open(o->r.obj, &o->chans))
		err = cli_fail("%s", bpfbox_errmsg());
	return err;
}

/* everything that needs privileges, before they are dropped */
static int start_all(struct export *e, struct export_ctx *x)
{
	unsigned int need = decoders_needed(x->conf);
	bool keep_caps = false;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < e->nobjs; i++)
		err = start_obj(e, &e->objs[i]);
	if (err)
		return err;
	export_prom_note(x, stderr);
	if (export_prom_check(x))
		return cli_fail("%s", bpfbox_errmsg());
	if (need && export_decoders_open(need, &x->dec))
		return cli_fail("%s", bpfbox_errmsg());
	if (e->bpf_stats && export_stats_enable(x))
		return cli_fail("--bpf-stats: %s", bpfbox_errmsg());
	for (i = 0; i < e->nobjs; i++)
		keep_caps |= run_links_need_privileges(&e->objs[i].r);
	if (!keep_caps && bpfbox_drop_caps())
		fprintf(stderr, "bpfbox export: warning: %s\n", bpfbox_errmsg());
	return 0;
}

static int export_objects(struct export *e)
{
	struct export_http_opts o = {
		.max_request = 8192, .timeout_ms = e->timeout_ms,
		.max_conns = 32,
	};
	struct export_ctx x = {
		.objs = e->objs, .nobjs = e->nobjs,
		.max_series = e->max_series, .read = e->read, .stats_fd = -1,
	};
	struct export_http *h = NULL;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < e->nobjs; i++)
		err = run_vars_check(&e->objs[i].r);
	if (!err)
		err = load_conf(e, &x);
	if (err)
		goto out;
	if (!bpfbox_may_use_bpf()) {
		err = cli_fail("'export' needs root: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON, to load and attach programs, and this process has none of them: run it as root (e.g. with sudo)");
		goto out;
	}
	/* the port first: a busy one fails before anything is loaded */
	if (export_http_listen(e->listen, &o, &h)) {
		err = cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	if (!export_http_is_loopback(h))
		fprintf(stderr, "bpfbox export: warning: listening on %s, not loopback: anyone who reaches it reads the maps (no TLS, no authentication)\n",
			e->listen);
	err = start_all(e, &x);
	if (!err)
		err = serve(e, &x, h);
out:
	for (i = 0; i < e->nobjs; i++) {
		run_detach_all(&e->objs[i].r);
		export_chans_close(e->objs[i].chans);
	}
	export_stats_close(&x);
	export_decoders_close(x.dec);
	export_conf_free(x.conf);
	free(x.mstat);
	export_http_close(h);
	return err;
}

static int object_help(struct export_obj *o)
{
	printf("Usage: bpfbox export [OPTIONS] %s [--VAR VALUE]...\n\n",
	       o->r.path);
	run_vars_help(&o->r, stdout);
	return CLI_OK;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	struct export e = {
		.cli = cli,
		.listen = EXPORT_DEFAULT_LISTEN,
		.max_series = EXPORT_MAX_SERIES,
		.timeout_ms = 5000,
	};
	size_t i;
	int err;

	if (!argc || (argc == 1 && cli_is_help(argv[0]))) {
		usage(argc ? stdout : stderr);
		return argc ? CLI_OK : CLI_USAGE;
	}
	err = parse_args(&e, argc, argv);
	if (!err && e.tool_help)
		err = CLI_OK;
	else if (!err && e.usage_shown)
		usage(stdout);
	else if (!err && e.help)
		err = object_help(e.help);
	else if (!err && !e.nobjs)
		err = cli_usage("no OBJ and no --tool to export (see 'bpfbox export help')");
	else if (!err)
		err = export_objects(&e);
	for (i = 0; i < e.nobjs; i++) {
		bpfbox_object_close(e.objs[i].r.obj);
		run_kvs_free(&e.objs[i].r.knobs);
	}
	return err;
}
