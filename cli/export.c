// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export OBJ: serve a BPF object's maps as Prometheus metrics.
 * The object is loaded and attached as `bpfbox run` does it (run.c's
 * functions: knobs, load, attach), then every capability is dropped and
 * the maps are read through the fds already held, at each scrape of
 * /metrics. This file holds the options, the object's life and the
 * serving loop; the exposition is export_prom.c, the server
 * export_http.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "cli.h"
#include "export.h"
#include "object.h"
#include "run.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bpfbox export [--listen ADDR:PORT] OBJ [OPTIONS] [--VAR VALUE]...\n"
"       bpfbox export OBJ --help   the knobs (global variables) of OBJ\n"
"\n"
"Load OBJ, attach its programs (as 'bpfbox run' does), and serve its\n"
"maps as Prometheus metrics on http://ADDR:PORT/metrics until SIGINT or\n"
"SIGTERM. Capabilities are dropped once the programs are attached.\n"
"\n"
"  --listen ADDR:PORT      where to listen (default " EXPORT_DEFAULT_LISTEN ");\n"
"                          port 0 picks a free one (printed on stderr)\n"
"  --max-series N          label sets read per map and scrape (default %d)\n"
"  --request-timeout SECS  a client's time to send its request (default 5)\n"
"  --btf FILE, --verifier-log FILE   as for 'bpfbox run'\n"
"  --VAR VALUE, --VAR=VALUE, --set VAR=VALUE\n"
"                          set a global variable of OBJ, as 'bpfbox run'\n",
		EXPORT_MAX_SERIES);
}

struct export {
	struct run r;
	const char *listen;
	uint32_t max_series;
	int timeout_ms;
};

static const char *opt_value(int argc, char **argv, int *i, const char *a,
			     const char *name)
{
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
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

static int parse_one(struct export *e, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;

	if (cli_is_help(a)) {
		e->r.help = true;
		return 0;
	}
	if (!strncmp(a, "--listen", 8) && (a[8] == '=' || !a[8])) {
		v = opt_value(argc, argv, i, a, "--listen");
		if (!v)
			return cli_usage("--listen needs ADDR:PORT");
		e->listen = v;
		return 0;
	}
	if (!strncmp(a, "--max-series", 12) && (a[12] == '=' || !a[12])) {
		v = opt_value(argc, argv, i, a, "--max-series");
		if (!v)
			return cli_usage("--max-series needs N");
		return parse_max_series(e, v);
	}
	if (!strncmp(a, "--request-timeout", 17) && (a[17] == '=' || !a[17])) {
		v = opt_value(argc, argv, i, a, "--request-timeout");
		if (!v)
			return cli_usage("--request-timeout needs SECS");
		return parse_timeout(e, v);
	}
	if (!strncmp(a, "--set", 5) && (a[5] == '=' || !a[5])) {
		char *kv = (char *)opt_value(argc, argv, i, a, "--set");
		char *eq = kv ? strchr(kv, '=') : NULL;

		if (!eq || eq == kv)
			return cli_usage("--set: expected VAR=VALUE");
		*eq = '\0';
		if (run_kvs_add(&e->r.knobs, kv, eq + 1))
			return cli_fail("out of memory");
		return 0;
	}
	if (!strncmp(a, "--", 2) && a[2])
		return run_parse_knob(&e->r, argc, argv, i);
	return cli_usage("unexpected argument '%s' (see 'bpfbox export help')", a);
}

/* --listen may come before OBJ: the first other word is the object */
static int parse_args(struct export *e, int argc, char **argv)
{
	int i, err;

	for (i = 0; i < argc; i++) {
		err = parse_one(e, argc, argv, &i);
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

static int serve(struct export *e, struct export_http *h,
		 struct export_chans *chans)
{
	struct export_ctx x = {
		.obj = e->r.obj, .chans = chans, .max_series = e->max_series,
	};
	char name[96], base[96], addr[96], *dot;
	const char *slash = strrchr(e->r.path, '/');
	sigset_t waitmask;
	int err;

	/* bpfbox_<object>_: the file name without .bpf.o / .o */
	snprintf(base, sizeof(base), "%s", slash ? slash + 1 : e->r.path);
	dot = strstr(base, ".bpf.o");
	if (!dot)
		dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	export_prom_name(name, sizeof(name), base);
	snprintf(x.prefix, sizeof(x.prefix), "bpfbox_%s_", name);
	if (setup_signals(&waitmask))
		return cli_fail("signals: %s", strerror(errno));
	export_prom_note(&x, stderr);
	export_http_addr(h, addr, sizeof(addr));
	/* scripts wait for this line before they scrape */
	fprintf(stderr, "bpfbox export: %zu program%s of %s attached; serving http://%s/metrics\n",
		e->r.nlinks, e->r.nlinks == 1 ? "" : "s", e->r.path, addr);
	while (!stop) {
		err = export_http_step(h, &x, &waitmask);
		if (err && err != -EINTR)
			return cli_fail("serving: %s", strerror(-err));
	}
	return CLI_OK;
}

static int export_object(struct export *e)
{
	struct export_http_opts o = {
		.max_request = 8192, .timeout_ms = e->timeout_ms,
		.max_conns = 32,
	};
	struct export_chans *chans = NULL;
	struct export_http *h = NULL;
	int err;

	err = run_vars_check(&e->r);
	if (err)
		return err;
	if (!bpfbox_may_use_bpf())
		return cli_fail("'export' needs root: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON, to load and attach programs, and this process has none of them: run it as root (e.g. with sudo)");
	/* the port first: a busy one fails before anything is loaded */
	if (export_http_listen(e->listen, &o, &h))
		return cli_fail("%s", bpfbox_errmsg());
	if (!export_http_is_loopback(h))
		fprintf(stderr, "bpfbox export: warning: listening on %s, not loopback: anyone who reaches it reads the maps (no TLS, no authentication)\n",
			e->listen);
	err = run_load(&e->r);
	if (!err)
		err = run_attach_all(&e->r);
	/* perf buffers need perf_event_open: before the capabilities go */
	if (!err && export_chans_open(e->r.obj, &chans))
		err = cli_fail("%s", bpfbox_errmsg());
	if (!err && !run_links_need_privileges(&e->r) && bpfbox_drop_caps())
		fprintf(stderr, "bpfbox export: warning: %s\n", bpfbox_errmsg());
	if (!err)
		err = serve(e, h, chans);
	run_detach_all(&e->r);
	export_chans_close(chans);
	export_http_close(h);
	return err;
}

static int object_help(struct export *e)
{
	printf("Usage: bpfbox export [--listen ADDR:PORT] %s [--VAR VALUE]...\n\n",
	       e->r.path);
	run_vars_help(&e->r, stdout);
	return CLI_OK;
}

/* OBJ is the first word that is not an option (or --listen's value) */
static int find_obj(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "--listen") ||
		     !strcmp(argv[i], "--max-series") ||
		     !strcmp(argv[i], "--request-timeout")) && i + 1 < argc) {
			i++;
			continue;
		}
		if (argv[i][0] != '-')
			return i;
	}
	return -1;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	struct export e = {
		.r = { .cli = cli, .no_printk = true },
		.listen = EXPORT_DEFAULT_LISTEN,
		.max_series = EXPORT_MAX_SERIES,
		.timeout_ms = 5000,
	};
	int o = find_obj(argc, argv), err;

	if (!argc || cli_is_help(argv[0]) || o < 0) {
		usage(argc && cli_is_help(argv[0]) ? stdout : stderr);
		return argc && cli_is_help(argv[0]) ? CLI_OK : CLI_USAGE;
	}
	e.r.path = argv[o];
	if (bpfbox_object_open_file(e.r.path, NULL, &e.r.obj))
		return cli_fail("%s", bpfbox_errmsg());
	/* the words before OBJ (export's own options), then after */
	err = parse_args(&e, o, argv);
	if (!err)
		err = parse_args(&e, argc - o - 1, argv + o + 1);
	if (!err)
		err = e.r.help ? object_help(&e) : export_object(&e);
	bpfbox_object_close(e.r.obj);
	run_kvs_free(&e.r.knobs);
	return err;
}
