// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox gen: code generation, as bpftool's gen.
 *
 *   bpfbox gen skeleton FILE [name NAME]
 *
 * writes a C header for user programs on libbpfbox (lib/gen_skel.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "cli.h"
#include "gen_skel.h"

static int do_help(struct cli *cli, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (cli->json) {
		printf("null\n");
		return CLI_OK;
	}
	printf("Usage: bpfbox gen skeleton FILE [name OBJECT_NAME]\n"
	       "       bpfbox gen help\n"
	       "\n"
	       "       FILE is a BPF object (clang -target bpf); the header goes to stdout.\n"
	       "       OBJECT_NAME defaults to FILE's base name up to its first '.'.\n");
	return CLI_OK;
}

/* the whole file, malloc()ed */
static int read_file(const char *path, uint8_t **data, size_t *size)
{
	size_t cap = 1 << 16, n = 0, r;
	uint8_t *buf = NULL, *p;
	FILE *f;
	int err = 0;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	for (;;) {
		if (!buf || n == cap) {
			cap = buf ? cap * 2 : cap;
			p = realloc(buf, cap);
			if (!p) {
				err = -ENOMEM;
				break;
			}
			buf = p;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f))
				err = -EIO;
			break;
		}
	}
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*size = n;
	return 0;
}

/* bpftool's default: "dir/minimal.bpf.o" -> "minimal" */
static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strndup(base, strcspn(base, "."));
}

/*
 * The header is built in memory and written only when complete: a
 * failure leaves stdout empty rather than half a header.
 */
static int gen_to_stdout(const char *path, const char *name,
			 const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	mem = open_memstream(&text, &len);
	if (!mem)
		return cli_fail("out of memory");
	err = bb_gen_skeleton(mem, name, data, size);
	fclose(mem);
	if (err) {
		free(text);
		return cli_fail("gen skeleton %s: %s", path, bpfbox_errmsg());
	}
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
		free(text);
		return cli_fail("gen skeleton %s: cannot write the header: %s",
				path, strerror(errno));
	}
	free(text);
	return CLI_OK;
}

static int do_skeleton(struct cli *cli, int argc, char **argv)
{
	const char *path, *name = NULL;
	char *def_name = NULL;
	uint8_t *data = NULL;
	size_t size = 0;
	int err, ret;

	if (argc < 1 || cli_is_help(argv[0]))
		return argc < 1 ? cli_usage("gen skeleton: FILE expected") :
				  do_help(cli, 0, NULL);
	path = argv[0];
	if (argc == 3 && cli_is_prefix(argv[1], "name"))
		name = argv[2];
	else if (argc != 1)
		return cli_usage("gen skeleton: expected FILE [name NAME], got '%s'",
				 argv[1]);
	if (name && !*name)
		return cli_usage("gen skeleton: empty name");
	err = read_file(path, &data, &size);
	if (err)
		return cli_fail("gen skeleton: cannot read %s: %s", path,
				strerror(-err));
	if (!name) {
		def_name = default_name(path);
		if (!def_name || !*def_name) {
			free(data);
			free(def_name);
			return cli_fail("gen skeleton %s: no name in the file name: give one with 'name NAME'",
					path);
		}
		name = def_name;
	}
	ret = gen_to_stdout(path, name, data, size);
	free(def_name);
	free(data);
	return ret;
}

int cmd_gen(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd verbs[] = {
		{ "skeleton", do_skeleton, NULL },
		{ "help", do_help, NULL },
		{ NULL },
	};

	/* no verb is not "skeleton of nothing": show the usage */
	if (argc < 1)
		return do_help(cli, 0, NULL);
	return cli_select(cli, "gen", verbs, argc, argv);
}
