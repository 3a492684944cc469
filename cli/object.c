// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox object show OBJ: what an object file holds, read without the
 * kernel (bpfbox_object_open_file is pure), so it needs no root: its
 * programs with the type and target their SEC() names give, and its
 * maps, global data included.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfbox object show OBJ\n"
		"       bpfbox object help\n"
		"\n"
		"       OBJ := a BPF object file (clang -target bpf)\n"
		"       OPTIONS := { {-j|--json} [{-p|--pretty}] }\n");
}

static int do_help(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	usage(stdout);
	return CLI_OK;
}

/* Programs in .text are subprograms: called, never loaded on their own. */
static bool is_subprog(const struct bpfbox_prog *prog)
{
	const char *sec = bpfbox_prog_section(prog);

	return sec && !strcmp(sec, ".text");
}

/*
 * expected_attach_type 0 is BPF_CGROUP_INET_INGRESS, but for most
 * program types it only means "none": name it where it means something.
 */
static const char *attach_name(const struct bpfbox_prog *prog)
{
	enum bpf_attach_type at = bpfbox_prog_expected_attach_type(prog);

	if (!at && bpfbox_prog_type(prog) != BPF_PROG_TYPE_CGROUP_SKB)
		return NULL;
	return bpfbox_attach_type_name(at);
}

static char *kversion_str(uint32_t v, char *buf, size_t len)
{
	if (!v)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%u.%u.%u", v >> 16, (v >> 8) & 0xff,
			 v & 0xff);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Aligned text tables                                                 */

#define MAX_COLS 8

struct table {
	size_t ncols;
	const char *hdr[MAX_COLS];
	bool right[MAX_COLS];	/* numbers align right */
	char **cells;		/* nrows * ncols, escaped copies */
	size_t nrows;
	bool oom;
};

/* a copy of s with control characters shown as \xNN (names are data) */
static char *esc_dup(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	cli_fputs_safe(f, s ? s : "-");
	if (fclose(f))
		return NULL;
	return buf;
}

static void table_row(struct table *t, ...)
{
	char **cells;
	va_list ap;
	size_t i;

	cells = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*cells));
	if (!cells) {
		t->oom = true;
		return;
	}
	t->cells = cells;
	cells += t->nrows * t->ncols;
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		cells[i] = esc_dup(va_arg(ap, const char *));
		if (!cells[i])
			t->oom = true;
	}
	va_end(ap);
	t->nrows++;
}

static size_t width(const char *s)
{
	size_t w = 0;

	/* UTF-8 continuation bytes take no column */
	for (; s && *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void table_cell(const char *s, size_t w, bool right, bool last)
{
	size_t pad = w - width(s);

	if (right)
		printf("%*s%s", (int)pad, "", s);
	else if (last)
		fputs(s, stdout);
	else
		printf("%s%*s", s, (int)pad, "");
}

static void table_print(const struct table *t)
{
	size_t w[MAX_COLS], r, c;
	const char *s;

	for (c = 0; c < t->ncols; c++)
		w[c] = width(t->hdr[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (t->cells[r * t->ncols + c] &&
			    width(t->cells[r * t->ncols + c]) > w[c])
				w[c] = width(t->cells[r * t->ncols + c]);
	for (r = 0; r <= t->nrows; r++) {
		fputs("  ", stdout);
		for (c = 0; c < t->ncols; c++) {
			s = r ? t->cells[(r - 1) * t->ncols + c] : t->hdr[c];
			table_cell(s ? s : "?", w[c], t->right[c],
				   c + 1 == t->ncols);
			if (c + 1 < t->ncols)
				fputs("  ", stdout);
		}
		fputc('\n', stdout);
	}
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* print a titled table ("  (none)" when empty) and free it */
static int table_done(struct table *t, const char *title, size_t n)
{
	int err = t->oom ? -ENOMEM : 0;

	if (!err) {
		printf("%s:\n", title);
		if (n)
			table_print(t);
		else
			printf("  (none)\n");
	}
	table_free(t);
	return err;
}

/* ------------------------------------------------------------------ */
/* show                                                                */

static const char *prog_type_str(const struct bpfbox_prog *prog, char *buf,
				 size_t len)
{
	const char *name = bpfbox_prog_type_name(bpfbox_prog_type(prog));

	if (is_subprog(prog))
		return "(subprog)";
	if (name)
		return name;
	snprintf(buf, len, "type %u", bpfbox_prog_type(prog));
	return buf;
}

static int progs_plain(const struct bpfbox_object *obj)
{
	struct table t = {
		.ncols = 7,
		.hdr = { "NAME", "SECTION", "TYPE", "ATTACH", "TARGET",
			 "INSNS", "AUTOLOAD" },
		.right = { [5] = true },
	};
	size_t i, n = bpfbox_object_prog_count(obj), cnt;
	const struct bpfbox_prog *prog;
	char type[32], insns[32];
	const char *at;

	for (i = 0; i < n; i++) {
		prog = bpfbox_object_prog(obj, i);
		cnt = 0;
		bpfbox_prog_insns(prog, &cnt);
		snprintf(insns, sizeof(insns), "%zu", cnt);
		at = attach_name(prog);
		table_row(&t, bpfbox_prog_name(prog),
			  bpfbox_prog_section(prog),
			  prog_type_str(prog, type, sizeof(type)),
			  at ? at : "-", bpfbox_prog_attach_target(prog),
			  insns, bpfbox_prog_autoload(prog) ? "yes" : "no");
	}
	return table_done(&t, "programs", n);
}

static int maps_plain(const struct bpfbox_object *obj)
{
	struct table t = {
		.ncols = 7,
		.hdr = { "NAME", "TYPE", "KEY", "VALUE", "MAX_ENTRIES",
			 "FLAGS", "SECTION" },
		.right = { [2] = true, [3] = true, [4] = true },
	};
	size_t i, n = bpfbox_object_map_count(obj);
	const struct bpfbox_map *map;
	char type[32], key[16], val[16], max[16], flags[16];
	const char *tn, *sec;

	for (i = 0; i < n; i++) {
		map = bpfbox_object_map(obj, i);
		tn = bpfbox_map_type_name(bpfbox_map_type(map));
		if (!tn) {
			snprintf(type, sizeof(type), "type %u",
				 bpfbox_map_type(map));
			tn = type;
		}
		snprintf(key, sizeof(key), "%u", bpfbox_map_key_size(map));
		snprintf(val, sizeof(val), "%u", bpfbox_map_value_size(map));
		snprintf(max, sizeof(max), "%u", bpfbox_map_max_entries(map));
		snprintf(flags, sizeof(flags), "0x%x", bpfbox_map_flags(map));
		sec = bpfbox_map_section(map);
		table_row(&t, bpfbox_map_name(map), tn, key, val, max, flags,
			  sec ? sec : ".maps");
	}
	return table_done(&t, "maps", n);
}

static int show_plain(const struct bpfbox_object *obj, const char *path)
{
	char kv[32];

	fputs("object ", stdout);
	cli_fputs_safe(stdout, bpfbox_object_name(obj));
	fputs("  file ", stdout);
	cli_fputs_safe(stdout, path);
	fputs("\nlicense ", stdout);
	cli_fputs_safe(stdout, bpfbox_object_license(obj) ?
			       bpfbox_object_license(obj) : "none");
	printf("  kernel_version %s\n",
	       kversion_str(bpfbox_object_kversion(obj), kv, sizeof(kv)));
	if (progs_plain(obj) || maps_plain(obj))
		return cli_fail("out of memory");
	return CLI_OK;
}

static void kv_str_or_null(struct jw *jw, const char *name, const char *s)
{
	jw_name(jw, name);
	if (s)
		jw_string(jw, s);
	else
		jw_null(jw);
}

static void prog_json(struct jw *jw, const struct bpfbox_prog *prog)
{
	const char *type = bpfbox_prog_type_name(bpfbox_prog_type(prog));
	size_t cnt = 0;

	bpfbox_prog_insns(prog, &cnt);
	jw_start_object(jw);
	jw_kv_string(jw, "name", bpfbox_prog_name(prog));
	jw_kv_string(jw, "section", bpfbox_prog_section(prog));
	if (is_subprog(prog))
		jw_kv_string(jw, "type", "subprog");
	else if (type)
		jw_kv_string(jw, "type", type);
	else
		jw_kv_uint(jw, "type", bpfbox_prog_type(prog));
	kv_str_or_null(jw, "attach_type", attach_name(prog));
	kv_str_or_null(jw, "target", bpfbox_prog_attach_target(prog));
	jw_kv_uint(jw, "insns", cnt);
	jw_kv_bool(jw, "autoload", bpfbox_prog_autoload(prog));
	jw_end_object(jw);
}

static void map_json(struct jw *jw, const struct bpfbox_map *map)
{
	const char *type = bpfbox_map_type_name(bpfbox_map_type(map));

	jw_start_object(jw);
	jw_kv_string(jw, "name", bpfbox_map_name(map));
	if (type)
		jw_kv_string(jw, "type", type);
	else
		jw_kv_uint(jw, "type", bpfbox_map_type(map));
	jw_kv_uint(jw, "bytes_key", bpfbox_map_key_size(map));
	jw_kv_uint(jw, "bytes_value", bpfbox_map_value_size(map));
	jw_kv_uint(jw, "max_entries", bpfbox_map_max_entries(map));
	jw_kv_uint(jw, "flags", bpfbox_map_flags(map));
	kv_str_or_null(jw, "section", bpfbox_map_section(map));
	jw_end_object(jw);
}

static int show_json(const struct cli *cli, const struct bpfbox_object *obj,
		     const char *path)
{
	struct jw *jw = jw_new(stdout, cli->pretty);
	size_t i;

	if (!jw)
		return cli_fail("out of memory");
	jw_start_object(jw);
	jw_kv_string(jw, "name", bpfbox_object_name(obj));
	jw_kv_string(jw, "file", path);
	if (bpfbox_object_license(obj))
		jw_kv_string(jw, "license", bpfbox_object_license(obj));
	else
		jw_name(jw, "license"), jw_null(jw);
	jw_kv_uint(jw, "kern_version", bpfbox_object_kversion(obj));
	jw_name(jw, "programs");
	jw_start_array(jw);
	for (i = 0; i < bpfbox_object_prog_count(obj); i++)
		prog_json(jw, bpfbox_object_prog(obj, i));
	jw_end_array(jw);
	jw_name(jw, "maps");
	jw_start_array(jw);
	for (i = 0; i < bpfbox_object_map_count(obj); i++)
		map_json(jw, bpfbox_object_map(obj, i));
	jw_end_array(jw);
	jw_end_object(jw);
	jw_free(jw);
	return CLI_OK;
}

static int do_show(struct cli *cli, int argc, char **argv)
{
	struct bpfbox_open_opts opts = { .sz = sizeof(opts) };
	struct bpfbox_object *obj = NULL;
	int err;

	if (argc && cli_is_help(argv[0]))
		return do_help(cli, argc, argv);
	if (argc != 1) {
		cli_usage("expected one OBJ file after 'show'%s%s%s",
			  argc ? ", got '" : "", argc ? argv[1] : "",
			  argc ? "'" : "");
		fprintf(stderr, "see 'bpfbox object help'\n");
		return CLI_USAGE;
	}
	if (bpfbox_object_open_file(argv[0], &opts, &obj)) {
		const char *msg = bpfbox_errmsg();

		if (msg[0])
			return cli_fail("%s", msg);
		return cli_fail("cannot open %s", argv[0]);
	}
	if (cli->json)
		err = show_json(cli, obj, argv[0]);
	else
		err = show_plain(obj, argv[0]);
	bpfbox_object_close(obj);
	return err;
}

static const struct cli_cmd verbs[] = {
	{ "show",	do_show,	"programs and maps of an object file" },
	{ "help",	do_help,	"this text" },
	{ NULL },
};

int cmd_object(struct cli *cli, int argc, char **argv)
{
	/* "bpfbox object" alone: there is no object to show by default */
	if (!argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	return cli_select(cli, "object", verbs, argc, argv);
}
