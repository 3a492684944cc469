// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox iter pin OBJ PATH: load an object, attach its iterator program
 * and pin the link, as bpftool does. Each read of PATH (`cat PATH`)
 * then runs the iterator once; removing PATH ends it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "cli.h"
#include "link.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfbox iter pin OBJ PATH\n"
		"       bpfbox iter help\n"
		"\n"
		"       OBJ holds one iterator program (SEC(\"iter/...\")); its link\n"
		"       is pinned at PATH on bpffs, and `cat PATH` runs it.\n");
}

static int do_help(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	usage(stdout);
	return CLI_OK;
}

/* the first iterator program of the object (bpftool takes the first) */
static struct bpfbox_prog *find_iter(const struct bpfbox_object *obj)
{
	struct bpfbox_prog *prog;
	size_t i;

	for (i = 0; i < bpfbox_object_prog_count(obj); i++) {
		prog = bpfbox_object_prog(obj, i);
		if (bpfbox_prog_expected_attach_type(prog) == BPF_TRACE_ITER)
			return prog;
	}
	return NULL;
}

static int attach_pin(struct bpfbox_prog *prog, const char *path)
{
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct bpfbox_link *link = NULL;

	if (bpfbox_prog_attach(prog, &opts, &link))
		return cli_fail("%s", bpfbox_errmsg());
	if (bpfbox_link_pin(link, path)) {
		cli_fail("%s", bpfbox_errmsg());
		bpfbox_link_destroy(link);
		return CLI_FAIL;
	}
	bpfbox_link_disconnect(link);
	bpfbox_link_destroy(link);
	return CLI_OK;
}

static int do_pin(struct cli *cli, int argc, char **argv)
{
	struct bpfbox_open_opts oopts = { .sz = sizeof(oopts) };
	struct bpfbox_load_opts lopts = { .sz = sizeof(lopts) };
	struct bpfbox_object *obj = NULL;
	struct bpfbox_prog *prog;
	int rc = CLI_FAIL;

	if (argc && cli_is_help(argv[0]))
		return do_help(cli, argc, argv);
	if (argc == 4 && !strcmp(argv[2], "map"))
		return cli_fail("iter pin ... map MAP (map element iterators) is not supported yet");
	if (argc != 2) {
		cli_usage("expected OBJ PATH%s%s%s", argc > 2 ? ", got '" : "",
			  argc > 2 ? argv[2] : "", argc > 2 ? "'" : "");
		fprintf(stderr, "see 'bpfbox iter help'\n");
		return CLI_USAGE;
	}
	if (link_check_pin_path(argv[1]))
		return CLI_FAIL;
	if (bpfbox_object_open_file(argv[0], &oopts, &obj)) {
		cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	prog = find_iter(obj);
	if (!prog) {
		cli_fail("%s has no iterator program (SEC(\"iter/...\"))",
			 argv[0]);
		goto out;
	}
	lopts.verifier_log_path = cli->verifier_log;
	lopts.btf_path = cli->btf_path;
	if (bpfbox_object_load(obj, &lopts)) {
		cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	rc = attach_pin(prog, argv[1]);
	if (!rc && cli->json)
		printf("null\n");
out:
	bpfbox_object_close(obj);
	return rc;
}

static const struct cli_cmd verbs[] = {
	{ "help",	do_help,	"this text" },
	{ "pin",	do_pin,		"load an iterator, pin its link" },
	{ NULL },
};

int cmd_iter(struct cli *cli, int argc, char **argv)
{
	return cli_select(cli, "iter", verbs, argc, argv);
}
