// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox prog pin, load and loadall: loading an object with libbpfbox and
 * pinning its programs (and maps) on bpffs, undoing everything on failure.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "disasm.h"
#include "cli.h"
#include "prog.h"

/* ------------------------------------------------------------------ */
/* pin, load, loadall                                                  */

/*
 * Pinning works only on a bpffs: mount the standard one if nothing is
 * mounted, then check that path (or the directory that will hold it)
 * is on one, so the user hears why instead of a bare EPERM.
 */
/* bpffs keeps '.' for itself: names with one get EPERM, say why */
static const char *dot_hint(int err, const char *path)
{
	if (err == -EPERM && strchr(path, '.'))
		return " (bpffs refuses '.' in names)";
	return "";
}

static int check_bpffs(const char *path, const char *shown)
{
	char mnt[PATH_MAX];
	int r;

	if (bpfbox_bpffs_path(mnt, sizeof(mnt)))
		return cli_fail_err(-EPERM, "%s", bpfbox_errmsg());
	r = bpfbox_path_is_bpffs(path);
	if (r < 0)
		return cli_fail_err(r, "%s%s", bpfbox_errmsg(),
				    dot_hint(r, shown));
	if (!r)
		return cli_fail_err(-EINVAL, "%s is not on a bpf filesystem: "
				    "objects can only be pinned under one "
				    "(bpffs is mounted at %s)", shown, mnt);
	return 0;
}

static int pin_fd(int fd, const char *path)
{
	int err = bpfbox_obj_pin(fd, path);

	if (err == -EEXIST)
		cli_fail("cannot pin at %s: something is already pinned "
			 "there", path);
	else if (err)
		cli_fail("cannot pin at %s: %s%s", path, strerror(-err),
			 dot_hint(err, path));
	return err;
}

void prog_print_null(const struct cli *cli)
{
	if (cli->json)
		printf("null\n");
}

int prog_pin(struct cli *cli, int argc, char **argv)
{
	int fd, err;

	if (prog_wants_help(argc, argv))
		return prog_help(cli, argc, argv);
	if (argc != PROG_WORDS + 1)
		return prog_usage_err("expected PROG FILE after 'pin'",
				 argc > PROG_WORDS + 1 ?
				 argv[PROG_WORDS + 1] : NULL);
	fd = cli_prog_fd(&argc, &argv);
	if (fd < 0)
		return cli_exit_code(fd);
	err = check_bpffs(argv[0], argv[0]);
	if (!err)
		err = pin_fd(fd, argv[0]);
	close(fd);
	if (err)
		return CLI_FAIL;
	prog_print_null(cli);
	return CLI_OK;
}

struct load_args {
	const char *obj;
	const char *path;
	const char *pinmaps;
	char **only;
	int nonly;
	bool all;		/* loadall: pin every program under path */
};

/* what was made on disk, undone in reverse when a later step fails */
struct undo {
	char **paths;
	bool *is_dir;
	size_t n;
};

static int undo_push(struct undo *u, const char *path, bool is_dir)
{
	char **p = realloc(u->paths, (u->n + 1) * sizeof(*p));
	bool *d;

	if (!p)
		return -ENOMEM;
	u->paths = p;
	d = realloc(u->is_dir, (u->n + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	u->is_dir = d;
	u->paths[u->n] = strdup(path);
	if (!u->paths[u->n])
		return -ENOMEM;
	u->is_dir[u->n++] = is_dir;
	return 0;
}

static void undo_run(struct undo *u)
{
	while (u->n--) {
		if (u->is_dir[u->n])
			rmdir(u->paths[u->n]);
		else
			unlink(u->paths[u->n]);
	}
	u->n = 0;
}

static void undo_free(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->paths[i]);
	free(u->paths);
	free(u->is_dir);
}

/* mkdir -p, remembering each directory made */
static int mkdir_p(const char *dir, struct undo *u)
{
	char buf[PATH_MAX], *p, c;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return cli_fail_err(-ENAMETOOLONG, "path too long: %s", dir);
	for (p = buf + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (!mkdir(buf, 0700)) {
			if (undo_push(u, buf, true))
				return cli_fail_err(-ENOMEM, "out of memory");
		} else if (errno != EEXIST) {
			return cli_fail_err(-errno, "cannot create directory "
					    "%s: %s%s", buf, strerror(errno),
					    dot_hint(-errno, buf));
		}
		*p = c;
		if (!c)
			return 0;
	}
}

/* the deepest part of path that exists, to ask what filesystem it is on */
static void existing_ancestor(const char *path, char *buf, size_t len)
{
	struct stat st;
	char *slash;

	snprintf(buf, len, "%s", path);
	while (stat(buf, &st)) {
		slash = strrchr(buf, '/');
		if (!slash) {
			snprintf(buf, len, ".");
			return;
		}
		if (slash == buf) {
			buf[1] = '\0';
			return;
		}
		*slash = '\0';
	}
}

/* bpffs refuses '.' in names (reserved); libbpf turns it into '_' too */
static int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	char *p;
	int n = snprintf(buf, len, "%s/", dir);

	if (n < 0 || snprintf(buf + n, len - n, "%s", name) >= (int)(len - n))
		return cli_fail_err(-ENAMETOOLONG, "path too long: %s/%s",
				    dir, name);
	for (p = buf + n; *p; p++)
		if (*p == '.' || *p == '/')
			*p = '_';
	return 0;
}

/* Programs in .text are subprograms: called, never loaded on their own. */
static bool is_subprog(const struct bpfbox_prog *prog)
{
	const char *sec = bpfbox_prog_section(prog);

	return sec && !strcmp(sec, ".text");
}

static int apply_only(struct bpfbox_object *obj, const struct load_args *a)
{
	struct bpfbox_prog *prog;
	size_t i, n = bpfbox_object_prog_count(obj);
	int k;

	for (k = 0; k < a->nonly; k++) {
		prog = bpfbox_object_find_prog(obj, a->only[k]);
		if (prog && !is_subprog(prog))
			continue;
		fprintf(stderr, "bpfbox: no program '%s' in %s; its programs "
			"are:", a->only[k], a->obj);
		for (i = 0, k = 0; i < n; i++) {
			prog = bpfbox_object_prog(obj, i);
			if (!is_subprog(prog))
				fprintf(stderr, "%s %s", k++ ? "," : "",
					bpfbox_prog_name(prog));
		}
		fputc('\n', stderr);
		return -ENOENT;
	}
	if (!a->nonly)
		return 0;
	for (i = 0; i < n; i++) {
		prog = bpfbox_object_prog(obj, i);
		if (is_subprog(prog))
			continue;
		for (k = 0; k < a->nonly; k++)
			if (!strcmp(bpfbox_prog_name(prog), a->only[k]))
				break;
		if (k == a->nonly)
			bpfbox_prog_set_autoload(prog, false);
		else
			bpfbox_prog_set_autoload(prog, true);
	}
	return 0;
}

static int pin_progs(struct bpfbox_object *obj, const struct load_args *a,
		     struct undo *u)
{
	struct bpfbox_prog *prog;
	size_t i, n = bpfbox_object_prog_count(obj);
	char path[PATH_MAX];
	int err, pinned = 0;

	for (i = 0; i < n; i++) {
		prog = bpfbox_object_prog(obj, i);
		if (is_subprog(prog) || !bpfbox_prog_autoload(prog) ||
		    bpfbox_prog_fd(prog) < 0)
			continue;
		if (a->all) {
			err = pin_path(path, sizeof(path), a->path,
				       bpfbox_prog_name(prog));
			if (err)
				return err;
		} else {
			snprintf(path, sizeof(path), "%s", a->path);
		}
		err = pin_fd(bpfbox_prog_fd(prog), path);
		if (err)
			return err;
		if (undo_push(u, path, false))
			return cli_fail_err(-ENOMEM, "out of memory");
		pinned++;
		if (!a->all)
			break;
	}
	if (!pinned)
		return cli_fail_err(-ENOENT, "%s: no program was loaded, "
				    "nothing to pin", a->obj);
	return 0;
}

static int pin_maps(struct bpfbox_object *obj, const char *dir,
		    struct undo *u)
{
	struct bpfbox_map *map;
	size_t i, n = bpfbox_object_map_count(obj);
	char path[PATH_MAX];
	int err;

	err = mkdir_p(dir, u);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		map = bpfbox_object_map(obj, i);
		if (bpfbox_map_fd(map) < 0)
			continue;
		err = pin_path(path, sizeof(path), dir, bpfbox_map_name(map));
		if (err)
			return err;
		err = pin_fd(bpfbox_map_fd(map), path);
		if (err)
			return err;
		if (undo_push(u, path, false))
			return cli_fail_err(-ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_load_args(int argc, char **argv, struct load_args *a)
{
	if (argc < 2)
		return prog_usage_err(a->all ? "expected OBJ and DIR after 'loadall'"
				 : "expected OBJ and FILE after 'load'",
				 argc ? argv[0] : NULL);
	a->obj = argv[0];
	a->path = argv[1];
	a->only = calloc(argc, sizeof(*a->only));
	if (!a->only)
		return cli_fail("out of memory");
	for (argc -= 2, argv += 2; argc; argc--, argv++) {
		if (!strcmp(argv[0], "--only") && argc > 1) {
			a->only[a->nonly++] = argv[1];
		} else if (!strncmp(argv[0], "--only=", 7) && argv[0][7]) {
			a->only[a->nonly++] = argv[0] + 7;
			continue;
		} else if (cli_is_prefix(argv[0], "pinmaps") && argc > 1) {
			a->pinmaps = argv[1];
		} else {
			return prog_usage_err("expected '--only PROG_NAME' or "
					 "'pinmaps MAP_DIR'", argv[0]);
		}
		argc--, argv++;
	}
	return CLI_OK;
}

/* The pin places exist on a bpffs, or can be made on one. */
static int check_pin_places(const struct load_args *a)
{
	char anc[PATH_MAX];
	int err;

	existing_ancestor(a->path, anc, sizeof(anc));
	err = check_bpffs(a->all ? anc : a->path, a->path);
	if (!err && a->pinmaps) {
		existing_ancestor(a->pinmaps, anc, sizeof(anc));
		err = check_bpffs(anc, a->pinmaps);
	}
	return err;
}

static int load_common(struct cli *cli, int argc, char **argv, bool all)
{
	struct bpfbox_open_opts oopts = { .sz = sizeof(oopts) };
	struct bpfbox_load_opts lopts = { .sz = sizeof(lopts) };
	struct load_args a = { .all = all };
	struct bpfbox_object *obj = NULL;
	struct undo u = { 0 };
	int err;

	if (prog_wants_help(argc, argv))
		return prog_help(cli, argc, argv);
	err = parse_load_args(argc, argv, &a);
	if (err)
		goto out;
	err = CLI_FAIL;
	if (bpfbox_object_open_file(a.obj, &oopts, &obj)) {
		cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	if (apply_only(obj, &a) || check_pin_places(&a))
		goto out;
	lopts.verifier_log_path = cli->verifier_log;
	lopts.btf_path = cli->btf_path;
	if (bpfbox_object_load(obj, &lopts)) {
		cli_fail("%s", bpfbox_errmsg());
		goto out;
	}
	if ((all && mkdir_p(a.path, &u)) || pin_progs(obj, &a, &u) ||
	    (a.pinmaps && pin_maps(obj, a.pinmaps, &u))) {
		undo_run(&u);
		goto out;
	}
	prog_print_null(cli);
	err = CLI_OK;
out:
	bpfbox_object_close(obj);
	undo_free(&u);
	free(a.only);
	return err;
}

int prog_load(struct cli *cli, int argc, char **argv)
{
	return load_common(cli, argc, argv, false);
}

int prog_loadall(struct cli *cli, int argc, char **argv)
{
	return load_common(cli, argc, argv, true);
}

