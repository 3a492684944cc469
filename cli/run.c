// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run OBJ: run a compiled BPF object with no user-space code of
 * its own. Everything it needs comes from the object: programs attach
 * where their SEC() names point, global variables become options, ring
 * buffers and perf event arrays are decoded through BTF, the other maps
 * are printed at exit (histograms as histograms), and bpf_printk lines
 * are shown as they come. This file holds the options and the object's
 * life; the rest is in run_*.c (see run.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bpfbox.h"
#include "attach.h"
#include "cli.h"
#include "object.h"
#include "run.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bpfbox run OBJ [OPTIONS] [--VAR VALUE]...\n"
"       bpfbox run OBJ --help     the knobs (global variables) of OBJ\n"
"\n"
"Load OBJ, attach every program where its SEC() name points, and show\n"
"what it produces until interrupted (Ctrl-C, SIGTERM) or -d SECS:\n"
"ring buffer and perf buffer records decoded through BTF, bpf_printk\n"
"lines, and the other maps at exit (histograms as histograms).\n"
"\n"
"  -j, --json              NDJSON: one object per event, map, printk line\n"
"  -i, --interval SECS     print the maps every SECS too\n"
"      --clear             reset the maps after each print\n"
"  -d, --duration SECS     stop after SECS\n"
"      --attach PROG=TARGET  attach PROG to TARGET (SEC() syntax, e.g.\n"
"                          uprobe//bin/bash:readline, tp/sched/sched_switch)\n"
"      --event-type [MAP=]TYPE  decode MAP's records (every channel's\n"
"                          without MAP=) as the BTF type TYPE\n"
"      --no-maps           do not print the maps\n"
"      --all-printk        every bpf_printk line, not only the lines\n"
"                          that match OBJ's format strings\n"
"      --no-printk         do not read the trace_pipe\n"
"      --btf FILE          kernel BTF for objects that need it (CO-RE,\n"
"                          tp_btf) on a kernel without /sys/kernel/btf\n"
"      --verifier-log FILE the whole verifier log of a failed program\n"
"  --VAR VALUE, --VAR=VALUE, --set VAR=VALUE\n"
"                          set the global variable VAR (.rodata, .data,\n"
"                          .bss) before the programs run; a bool alone\n"
"                          is true\n");
}

int run_kvs_add(struct run_kvs *kvs, const char *key, const char *val)
{
	struct run_kv *v = realloc(kvs->v, (kvs->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	kvs->v = v;
	v[kvs->n++] = (struct run_kv){ .key = key, .val = val };
	return 0;
}

void run_kvs_free(struct run_kvs *kvs)
{
	free(kvs->v);
	kvs->v = NULL;
	kvs->n = 0;
}

/* "A=B" split in place into *key and *val; NULL key when no '=' */
static void split_eq(char *s, const char **key, const char **val)
{
	char *eq = strchr(s, '=');

	if (!eq) {
		*key = NULL;
		*val = s;
		return;
	}
	*eq = '\0';
	*key = s;
	*val = eq + 1;
}

static int parse_secs(const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out <= 0 || *out > 1e7)
		return cli_usage("%s: expected a number of seconds > 0, got '%s'",
				 opt, s);
	return 0;
}

/* the value of option argv[*i]: after '=' or the next word */
static const char *opt_value(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool is_opt(const char *a, const char *name, const char **eq)
{
	size_t n = strlen(name);

	if (strncmp(a, name, n) || (a[n] != '\0' && a[n] != '='))
		return false;
	*eq = a[n] == '=' ? a + n : NULL;
	return true;
}

static int add_pair(struct run_kvs *kvs, const char *opt, char *s,
		    bool key_needed)
{
	const char *k, *v;

	split_eq(s, &k, &v);
	if ((key_needed && (!k || !*k)) || !*v)
		return cli_usage("%s: expected %s, got '%s'", opt,
				 key_needed ? "NAME=VALUE" : "[MAP=]TYPE", s);
	if (run_kvs_add(kvs, k, v))
		return cli_fail("out of memory");
	return 0;
}

static bool is_bool_word(const char *s)
{
	static const char *const words[] = {
		"true", "false", "1", "0", "yes", "no", "on", "off",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return false;
}

/* --VAR [VALUE] | --VAR=VALUE: a knob of the object (a bool alone: true) */
int run_parse_knob(struct run *r, int argc, char **argv, int *i)
{
	char *a = argv[*i] + 2;
	const char *name, *val;
	bool is_bool;

	split_eq(a, &name, &val);
	if (!name) {
		name = a;
		val = NULL;
	}
	if (!run_var_exists(r->obj, name, &is_bool))
		return cli_usage("unknown option '--%s': %s has no global variable named '%s' (see 'bpfbox run %s --help' for its knobs)",
				 name, r->path, name, r->path);
	if (!val && is_bool && (*i + 1 >= argc || !is_bool_word(argv[*i + 1])))
		val = "true";
	if (!val && *i + 1 < argc)
		val = argv[++*i];
	if (!val)
		return cli_usage("--%s needs a VALUE", name);
	if (run_kvs_add(&r->knobs, name, val))
		return cli_fail("out of memory");
	return 0;
}

static int parse_one(struct run *r, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *eq, *v;

	if (cli_is_help(a)) {
		r->help = true;
		return 0;
	}
	if (!strcmp(a, "--clear") || !strcmp(a, "--no-maps") ||
	    !strcmp(a, "--all-printk") || !strcmp(a, "--no-printk")) {
		r->clear |= !strcmp(a, "--clear");
		r->no_maps |= !strcmp(a, "--no-maps");
		r->all_printk |= !strcmp(a, "--all-printk");
		r->no_printk |= !strcmp(a, "--no-printk");
		return 0;
	}
	if (is_opt(a, "-i", &eq) || is_opt(a, "--interval", &eq) ||
	    is_opt(a, "-d", &eq) || is_opt(a, "--duration", &eq)) {
		v = opt_value(argc, argv, i, eq);
		if (!v)
			return cli_usage("%s needs SECS", a);
		return parse_secs(a, v, a[1] == 'i' || a[2] == 'i' ?
				  &r->interval : &r->duration);
	}
	if (is_opt(a, "--attach", &eq) || is_opt(a, "--event-type", &eq) ||
	    is_opt(a, "--set", &eq)) {
		char *opt = argv[*i];

		v = opt_value(argc, argv, i, eq);
		if (!v)
			return cli_usage("%s needs a value", opt);
		if (opt[2] == 'a')
			return add_pair(&r->attach, "--attach", (char *)v, true);
		if (opt[2] == 'e')
			return add_pair(&r->evtype, "--event-type", (char *)v, false);
		return add_pair(&r->knobs, "--set", (char *)v, true);
	}
	if (!strncmp(a, "--", 2) && a[2])
		return run_parse_knob(r, argc, argv, i);
	return cli_usage("unexpected argument '%s' (see 'bpfbox run help')", a);
}

static int parse_args(struct run *r, int argc, char **argv)
{
	int i, err;

	for (i = 0; i < argc; i++) {
		err = parse_one(r, argc, argv, &i);
		if (err)
			return err;
	}
	return 0;
}

/* --attach names programs: each must exist */
static int check_attach_names(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->attach.n; i++)
		if (!bpfbox_object_find_prog(r->obj, r->attach.v[i].key))
			return cli_usage("--attach %s=...: %s has no program named '%s' (see 'bpfbox object show %s')",
					 r->attach.v[i].key, r->path,
					 r->attach.v[i].key, r->path);
	return 0;
}

static const char *attach_target_of(const struct run *r, const char *prog)
{
	size_t i;

	for (i = r->attach.n; i-- > 0;)
		if (!strcmp(r->attach.v[i].key, prog))
			return r->attach.v[i].val;
	return NULL;
}

/* programs whose kind `run` does not attach by itself (no target) */
static bool attachable(const struct bpfbox_prog *p)
{
	switch (p->def ? p->def->attach : BB_ATTACH_NONE) {
	case BB_ATTACH_NONE:
	case BB_ATTACH_SOCKET:
	case BB_ATTACH_CGROUP:
	case BB_ATTACH_XDP:
	case BB_ATTACH_TC:
		return false;
	default:
		return true;
	}
}

/* SEC("uprobe"), SEC("kprobe"), ...: a probe with nowhere to go */
static bool needs_target(const struct bpfbox_prog *p)
{
	if (!p->def || bpfbox_prog_attach_target(p))
		return false;
	switch (p->def->attach) {
	case BB_ATTACH_KPROBE:
	case BB_ATTACH_KSYSCALL:
	case BB_ATTACH_UPROBE:
	case BB_ATTACH_USDT:
	case BB_ATTACH_TP:
	case BB_ATTACH_RAW_TP:
		return true;
	default:
		return false;
	}
}

static int keep_link(struct run *r, struct bpfbox_link *link)
{
	struct bpfbox_link **v = realloc(r->links, (r->nlinks + 1) * sizeof(*v));

	if (!v) {
		bpfbox_link_destroy(link);
		return cli_fail("out of memory");
	}
	r->links = v;
	r->links[r->nlinks++] = link;
	return 0;
}

/* the command whose messages these are: run, or export */
static const char *run_cmd(const struct run *r)
{
	return r->cmd ? r->cmd : "run";
}

/*
 * One program: to its --attach target, else where its SEC() points.
 * 1 attached, 0 skipped (said why), or an exit code for a failed
 * --attach (the user asked for that one: it is an error).
 */
static int attach_prog(struct run *r, struct bpfbox_prog *p, int *failed)
{
	const char *target = attach_target_of(r, p->name);
	struct bpfbox_link *link = NULL;
	int err;

	if (!p->autoload)
		return 0;
	if (!target && !attachable(p)) {
		fprintf(stderr, "bpfbox %s: program %s (SEC(\"%s\")) is not attached: %s attaches tracing programs; attach it with 'bpfbox prog attach' or give --attach %s=TARGET\n",
			run_cmd(r), p->name, p->sec_name, run_cmd(r), p->name);
		return 0;
	}
	if (!target && needs_target(p)) {
		fprintf(stderr, "bpfbox %s: program %s (SEC(\"%s\")) is not attached: its section names no target; give one with --attach %s=%s/TARGET\n",
			run_cmd(r), p->name, p->sec_name, p->name, p->sec_name);
		return 0;
	}
	err = target ? bpfbox_prog_attach_to(p, target, NULL, &link) :
		       bpfbox_prog_attach(p, NULL, &link);
	if (err && target)
		return -cli_fail("--attach %s=%s: %s", p->name, target,
				 bpfbox_errmsg());
	if (err) {
		fprintf(stderr, "bpfbox %s: program %s not attached: %s%s\n",
			run_cmd(r), p->name, bpfbox_errmsg(),
			bpfbox_prog_attach_target(p) ? "" :
			" (give a target with --attach PROG=TARGET)");
		(*failed)++;
		return 0;
	}
	return keep_link(r, link) ? -CLI_FAIL : 1;
}

int run_attach_all(struct run *r)
{
	size_t i, n = bpfbox_object_prog_count(r->obj);
	int ret, attached = 0, failed = 0;

	for (i = 0; i < n; i++) {
		ret = attach_prog(r, bpfbox_object_prog(r->obj, i), &failed);
		if (ret < 0)
			return -ret;
		attached += ret;
	}
	if (!attached && failed)
		return cli_fail("%s: no program could be attached", r->path);
	if (!attached)
		fprintf(stderr, "bpfbox %s: note: %s has no program to attach; its maps are shown as they are\n",
			run_cmd(r), r->path);
	return 0;
}

void run_detach_all(struct run *r)
{
	while (r->nlinks)
		bpfbox_link_destroy(r->links[--r->nlinks]);
	free(r->links);
	r->links = NULL;
}

/* a link bpfbox must undo in tracefs (legacy k/uprobe) needs root then */
bool run_links_need_privileges(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->nlinks; i++)
		if (r->links[i]->legacy_events_file)
			return true;
	return false;
}

int run_load(struct run *r)
{
	struct bpfbox_load_opts o = {
		.sz = sizeof(o),
		.btf_path = r->cli->btf_path,
		.verifier_log_path = r->cli->verifier_log,
	};
	int err;

	err = run_vars_apply(r, false);
	if (err)
		return err;
	if (bpfbox_object_load(r->obj, &o))
		return cli_fail("%s", bpfbox_errmsg());
	return run_vars_apply(r, true);
}

static int start(struct run *r)
{
	int err;

	err = run_attach_all(r);
	if (!err)
		err = run_chans_open(r);
	if (!err && !r->no_printk && run_printk_used(r->obj))
		err = run_printk_open(r);
	if (err)
		return err;
	/* from here on, only fds already held are used: give up the
	 * capabilities, unless detaching must write to tracefs */
	if (!run_links_need_privileges(r) && bpfbox_drop_caps())
		fprintf(stderr, "bpfbox run: warning: %s\n", bpfbox_errmsg());
	if (!r->no_maps)
		run_maps_note(r);
	/* on stderr, as bpftrace's "Attaching N probes...": scripts wait
	 * for it before they make the events */
	fprintf(stderr, "bpfbox run: %zu program%s of %s attached; Ctrl-C stops%s\n",
		r->nlinks, r->nlinks == 1 ? "" : "s", r->path,
		r->duration ? " (or -d)" : "");
	if (!run_chans_any(r) && !run_maps_any(r) && !r->printk)
		fprintf(stderr, "bpfbox run: note: %s has no ring buffer, perf buffer, map or bpf_printk to show: its programs run until interrupted\n",
			r->path);
	return 0;
}

static int run_object(struct run *r)
{
	int err;

	err = check_attach_names(r);
	if (!err)
		err = run_vars_check(r);
	if (!err)
		err = run_chans_check(r);
	if (err)
		return err;
	if (!bpfbox_may_use_bpf())
		return cli_fail("'run' needs root: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON, to load and attach programs, and this process has none of them: run it as root (e.g. with sudo)");
	err = run_load(r);
	if (!err)
		err = start(r);
	if (!err)
		err = run_loop(r);
	/* programs first, so that nothing comes after the last look */
	run_detach_all(r);
	if (!err && !r->stdout_gone) {
		run_chans_consume(r);
		run_printk_read(r);
		if (!r->stdout_gone)
			run_maps_print(r, true);
	}
	run_printk_close(r);
	run_chans_close(r);
	return err;
}

static int object_help(struct run *r)
{
	printf("Usage: bpfbox run %s [OPTIONS] [--VAR VALUE]...\n\n", r->path);
	run_vars_help(r, stdout);
	printf("\nOPTIONS: see 'bpfbox run help'\n");
	return CLI_OK;
}

int cmd_run(struct cli *cli, int argc, char **argv)
{
	struct run r = { .cli = cli, .json = cli->json };
	int err;

	if (!argc || cli_is_help(argv[0])) {
		usage(argc ? stdout : stderr);
		return argc ? CLI_OK : CLI_USAGE;
	}
	r.path = argv[0];
	/* a row reaches a pipe as soon as it is printed */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bpfbox_object_open_file(r.path, NULL, &r.obj))
		return cli_fail("%s", bpfbox_errmsg());
	err = parse_args(&r, argc - 1, argv + 1);
	if (!err)
		err = r.help ? object_help(&r) : run_object(&r);
	bpfbox_object_close(r.obj);
	run_kvs_free(&r.attach);
	run_kvs_free(&r.evtype);
	run_kvs_free(&r.knobs);
	return err;
}
