// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox: the command table and dispatch, nothing else. Each command
 * object lives in its own file (object.c, prog.c, map.c, ...).
 *
 *   bpfbox [OPTIONS] OBJECT { COMMAND | help }
 *
 * Invoked through a link named after a tool (execsnoop -> bpfbox), the
 * binary runs that tool instead.
 */
#include <string.h>

#include "bpfbox.h"
#include "cli.h"

#ifndef BPFBOX_VERSION
#define BPFBOX_VERSION "0.1.0"
#endif

static int do_help(struct cli *cli, int argc, char **argv);
static int do_version(struct cli *cli, int argc, char **argv);

static const struct cli_cmd cmds[] = {
	{ "object",	cmd_object,	"inspect a BPF object file (no kernel needed)", false },
	{ "prog",	cmd_prog,	"show, dump, load, pin and attach programs", true },
	{ "map",	cmd_map,	"show, dump and change maps", true },
	{ "link",	cmd_link,	"show, pin and detach links", true },
	{ "btf",	cmd_btf,	"show BTF objects, dump BTF (raw or as C)", true },
	{ "gen",	cmd_gen,	"generate a C skeleton of an object for user programs", false },
	{ "iter",	cmd_iter,	"pin an iterator: `cat` of the pin runs it", true },
	{ "tracelog",	cmd_tracelog,	"print bpf_printk output (the trace_pipe)", true },
	/* not marked privileged: `run OBJ --help` needs no root (run checks) */
	{ "run",	cmd_run,	"run a BPF object: attach, print its events and maps", false },
	{ "export",	cmd_export,	"serve a BPF object's maps as Prometheus metrics", false },
	/*
	 * Order matters for abbreviations: the first entry a prefix
	 * matches wins, as in bpftool ("p" is prog).
	 */
	{ "help",	do_help,	"this text" },
	{ "version",	do_version,	"print the version" },
	{ NULL },
};

/* multi-call tools, run when argv[0] is their name or by `bpfbox TOOL` */
static const struct cli_tool tools[] = {
	{ "bashreadline", bashreadline_main, "print commands typed into interactive bash shells" },
	{ "bootstrap",	bootstrap_main,	"trace process execs and exits, with durations" },
	{ "execsnoop",	execsnoop_main,	"trace exec() of every process" },
	{ "exitsnoop",	exitsnoop_main,	"trace process exits: age and exit status" },
	{ "opensnoop",	opensnoop_main,	"trace open() family syscalls, with full paths" },
	{ "syscount",	syscount_main,	"count syscalls by syscall or process, with latency" },
	{ NULL },
};

static void usage(FILE *f)
{
	const struct cli_tool *t;
	const struct cli_cmd *c;

	fprintf(f,
		"Usage: bpfbox [OPTIONS] OBJECT { COMMAND | help }\n"
		"       bpfbox help\n"
		"       bpfbox version\n"
		"\n"
		"       OBJECT := { object | prog | map | link | btf | gen | iter |\n"
		"                  tracelog | run }\n"
		"       OPTIONS := { {-j|--json} [{-p|--pretty}] | --verifier-log FILE |\n"
		"                    --btf FILE |\n"
		"                    {-V|--version} | {-h|--help} }\n"
		"\n");
	for (c = cmds; c->name; c++)
		fprintf(f, "       %-8s %s\n", c->name, c->summary);
	fprintf(f, "\n       bpfbox TOOL [ARGS] (or a link named TOOL) runs a tool:\n");
	for (t = tools; t->name; t++)
		fprintf(f, "       %-9s %s\n", t->name, t->summary);
}

static int do_help(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	usage(stdout);
	return CLI_OK;
}

static int do_version(struct cli *cli, int argc, char **argv)
{
	struct jw *jw;

	(void)argc, (void)argv;
	if (!cli->json) {
		printf("bpfbox v%s\n", BPFBOX_VERSION);
		return CLI_OK;
	}
	jw = jw_new(stdout, cli->pretty);
	if (!jw)
		return cli_fail("out of memory");
	jw_start_object(jw);
	jw_kv_string(jw, "version", BPFBOX_VERSION);
	jw_end_object(jw);
	jw_free(jw);
	return CLI_OK;
}

enum opt { OPT_NONE, OPT_ARG_USED, OPT_HELP, OPT_VERSION, OPT_BAD };

/* "--name FILE" or "--name=FILE" */
static bool is_file_opt(const char *a, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(a, name, n) && (a[n] == '\0' || a[n] == '=');
}

static enum opt file_opt(int argc, char **argv, const char *name,
			 const char **val, int *used)
{
	const char *a = argv[0] + strlen(name);

	if (*a == '=') {
		*val = a + 1;
		return OPT_ARG_USED;
	}
	if (argc < 2) {
		cli_usage("%s needs a FILE", name);
		return OPT_BAD;
	}
	*val = argv[1];
	*used = 2;
	return OPT_ARG_USED;
}

/*
 * One global option at argv[0]; *used says how many words it took.
 * Short options may be grouped ("-jp") as getopt allows.
 */
static enum opt parse_opt(struct cli *cli, int argc, char **argv, int *used)
{
	const char *a = argv[0];

	*used = 1;
	if (!strcmp(a, "--json") || !strcmp(a, "--pretty")) {
		cli->json = true;
		cli->pretty |= a[2] == 'p';
		return OPT_ARG_USED;
	}
	if (!strcmp(a, "--help"))
		return OPT_HELP;
	if (!strcmp(a, "--version"))
		return OPT_VERSION;
	if (is_file_opt(a, "--verifier-log"))
		return file_opt(argc, argv, "--verifier-log", &cli->verifier_log,
				used);
	if (is_file_opt(a, "--btf"))
		return file_opt(argc, argv, "--btf", &cli->btf_path, used);
	if (a[0] != '-' || a[1] == '-' || !a[1]) {
		cli_usage("unknown option '%s'", a);
		return OPT_BAD;
	}
	for (a++; *a; a++) {
		switch (*a) {
		case 'j':
			cli->json = true;
			break;
		case 'p':	/* pretty is JSON */
			cli->json = true;
			cli->pretty = true;
			break;
		case 'h':
			return OPT_HELP;
		case 'V':
			return OPT_VERSION;
		default:
			cli_usage("unknown option '-%c'", *a);
			return OPT_BAD;
		}
	}
	return OPT_ARG_USED;
}

/*
 * After the object word, take out -j/-p/--verifier-log wherever they
 * are ("bpfbox prog show -j", "prog loadall O D --verifier-log F"), as
 * bpftool's getopt does; "--" ends this and is dropped. Other words,
 * "-h" included, are the command's. Returns the new argc.
 */
static int strip_opts(struct cli *cli, int argc, char **argv)
{
	int i, out = 0, used;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		/* export --tool NAME: the rest are the tool's own options
		 * (syscount's -p is a pid, not --pretty) */
		if (!strcmp(a, "--") || !strcmp(a, "--tool")) {
			if (a[2])
				argv[out++] = argv[i];
			while (++i < argc)
				argv[out++] = argv[i];
			break;
		}
		if (!strcmp(a, "-j") || !strcmp(a, "--json") ||
		    !strcmp(a, "-p") || !strcmp(a, "--pretty") ||
		    !strcmp(a, "-jp") || !strcmp(a, "-pj") ||
		    is_file_opt(a, "--verifier-log") || is_file_opt(a, "--btf")) {
			if (parse_opt(cli, argc - i, argv + i, &used) == OPT_BAD)
				return -1;
			i += used - 1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

static const struct cli_cmd *find_cmd(const char *word)
{
	const struct cli_cmd *c;

	for (c = cmds; c->name; c++)
		if (cli_is_prefix(word, c->name))
			return c;
	return NULL;
}

/*
 * Without CAP_BPF or CAP_SYS_ADMIN the kernel answers EPERM to nearly
 * every command; say which capabilities are missing before the first
 * system call instead. Help, and the commands that only read files
 * (object, gen, btf dump), need none.
 */
static int check_privileges(const struct cli_cmd *cmd, int argc, char **argv)
{
	if (!cmd->privileged || bpfbox_may_use_bpf())
		return 0;
	if (argc && (cli_is_help(argv[0]) ||
		     (!strcmp(cmd->name, "btf") && cli_is_prefix(argv[0], "dump"))))
		return 0;
	return cli_fail("'%s%s%s' needs root: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON to load and attach tracing programs (and CAP_NET_ADMIN for network ones), and this process has none of them: run it as root (e.g. with sudo)",
			cmd->name, argc ? " " : "", argc ? argv[0] : "");
}

static const struct cli_tool *find_tool(const char *name)
{
	const struct cli_tool *t;

	for (t = tools; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static int run_tool(const char *name, int argc, char **argv)
{
	const struct cli_tool *t = find_tool(name);

	if (t)
		return t->main(argc, argv);
	return cli_usage("no tool named '%s' in this binary (it was invoked "
			 "as '%s'); run it as 'bpfbox' for the commands",
			 name, name);
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct cli_cmd *cmd;
	const char *name = argc ? argv[0] : "bpfbox";
	int i = 1, used, nargs;

	if (strrchr(name, '/'))
		name = strrchr(name, '/') + 1;
	if (strncmp(name, "bpfbox", 6))
		return run_tool(name, argc, argv);
	cli.prog = name;

	while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--")) {
		switch (parse_opt(&cli, argc - i, argv + i, &used)) {
		case OPT_HELP:
			return do_help(&cli, 0, NULL);
		case OPT_VERSION:
			return do_version(&cli, 0, NULL);
		case OPT_BAD:
			return CLI_USAGE;
		default:
			i += used;
		}
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	/* a tool by its full name: `bpfbox execsnoop -x` */
	if (find_tool(argv[i]))
		return run_tool(argv[i], argc - i, argv + i);
	cmd = cli_is_help(argv[i]) ? find_cmd("help") : find_cmd(argv[i]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown object '%s'; expected one of:",
			name, argv[i]);
		for (cmd = cmds; cmd->name; cmd++)
			fprintf(stderr, " %s", cmd->name);
		fprintf(stderr, " (see 'bpfbox help')\n");
		return CLI_USAGE;
	}
	nargs = strip_opts(&cli, argc - i - 1, argv + i + 1);
	if (nargs < 0)
		return CLI_USAGE;
	if (check_privileges(cmd, nargs, argv + i + 1))
		return 1;
	return cmd->fn(&cli, nargs, argv + i + 1);
}
