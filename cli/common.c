// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Helpers shared by the command objects: messages, exit codes, keyword
 * matching, escaping, and the "id N | pinned PATH | name NAME | tag TAG"
 * selection of programs and maps.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "cli.h"

static const char *cli_name = "bpfbox";

void cli_set_name(const char *name)
{
	cli_name = name;
}

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return CLI_FAIL;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

int cli_fail_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return err;
}

int cli_exit_code(int err)
{
	if (err >= 0)
		return CLI_OK;
	return err == -CLI_EUSAGE ? CLI_USAGE : CLI_FAIL;
}

bool cli_is_help(const char *arg)
{
	return arg && (!strcmp(arg, "help") || !strcmp(arg, "-h") ||
		       !strcmp(arg, "--help"));
}

/* bpftool lets every keyword be shortened: "p s" is "prog show" */
bool cli_is_prefix(const char *pfx, const char *word)
{
	size_t n = pfx ? strlen(pfx) : 0;

	return n && !strncmp(pfx, word, n);
}

/*
 * Control characters in names from the kernel or from BTF could move the
 * cursor or rewrite the terminal; they are shown as \xNN. Tabs stay, as
 * bpftool prints source lines with their tabs.
 */
void cli_fputs_safe(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

int cli_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* What kind of bpf object an fd is                                    */

enum cli_obj_kind { CLI_OBJ_UNKNOWN, CLI_OBJ_PROG, CLI_OBJ_MAP, CLI_OBJ_LINK,
		    CLI_OBJ_BTF };

static const char *const obj_kind_names[] = {
	[CLI_OBJ_UNKNOWN] = "unknown object",
	[CLI_OBJ_PROG] = "program",
	[CLI_OBJ_MAP] = "map",
	[CLI_OBJ_LINK] = "link",
	[CLI_OBJ_BTF] = "BTF object",
};

/* the anon inode name says it, as bpftool's get_fd_type() reads it */
static enum cli_obj_kind fd_kind(int fd)
{
	char path[64], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return CLI_OBJ_UNKNOWN;
	buf[n] = '\0';
	if (!strcmp(buf, "anon_inode:bpf-prog"))
		return CLI_OBJ_PROG;
	if (!strcmp(buf, "anon_inode:bpf-map"))
		return CLI_OBJ_MAP;
	/* older kernels name the inode "bpf_link", newer ones (6.18) "bpf-link" */
	if (!strcmp(buf, "anon_inode:bpf-link") ||
	    !strcmp(buf, "anon_inode:bpf_link"))
		return CLI_OBJ_LINK;
	if (!strcmp(buf, "anon_inode:btf"))
		return CLI_OBJ_BTF;
	return CLI_OBJ_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Info and BTF of kernel objects                                      */

int cli_prog_info(int fd, struct bpf_prog_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpfbox_obj_get_info_by_fd(fd, info, &len);
}

int cli_map_info(int fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpfbox_obj_get_info_by_fd(fd, info, &len);
}

/*
 * The BTF object id as the kernel holds it, parsed. Only standalone BTF
 * (what programs and maps of an object carry) is handled; split module
 * BTF would need vmlinux's as base.
 */
int cli_btf_get(uint32_t id, struct bb_btf **out)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	void *data = NULL;
	int fd, err;

	fd = bpfbox_btf_get_fd_by_id(id);
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		goto out;
	data = malloc(info.btf_size ? info.btf_size : 1);
	if (!data) {
		err = -ENOMEM;
		goto out;
	}
	len = sizeof(info);
	memset(&info.id, 0, sizeof(info) - offsetof(struct bpf_btf_info, id));
	info.btf = (uint64_t)(uintptr_t)data;
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		goto out;
	if (info.kernel_btf) {
		err = -EOPNOTSUPP;
		goto out;
	}
	err = bb_btf_parse(data, info.btf_size, NULL, out);
out:
	free(data);
	close(fd);
	return err;
}

/*
 * Full name of a program: the kernel keeps 15 characters, BTF keeps the
 * rest (bpftool's get_prog_full_name()).
 */
void cli_prog_full_name(const struct bpf_prog_info *pinfo, int fd,
			char *buf, size_t len)
{
	struct bpf_prog_info info;
	struct bpf_func_info finfo = {};
	uint32_t info_len = sizeof(info);
	struct bb_btf *btf = NULL;
	const struct btf_type *t;
	const char *name = pinfo->name;

	if (strlen(pinfo->name) < BPF_OBJ_NAME_LEN - 1 || !pinfo->btf_id ||
	    !pinfo->nr_func_info)
		goto copy;
	memset(&info, 0, sizeof(info));
	info.nr_func_info = 1;
	info.func_info_rec_size = sizeof(finfo);
	info.func_info = (uint64_t)(uintptr_t)&finfo;
	if (bpfbox_obj_get_info_by_fd(fd, &info, &info_len))
		goto copy;
	if (cli_btf_get(info.btf_id, &btf))
		goto copy;
	t = bb_btf_type(btf, finfo.type_id);
	if (t && bb_btf_kind(t) == BTF_KIND_FUNC)
		name = bb_btf_type_name(btf, t);
copy:
	snprintf(buf, len, "%s", name);
	bb_btf_free(btf);
}

/* ------------------------------------------------------------------ */
/* Every object of one kind, by id                                     */

int cli_walk_ids(const char *what, int (*next_id)(uint32_t, uint32_t *),
		 int (*fd_by_id)(uint32_t), int (*fn)(int fd, void *arg),
		 void *arg)
{
	uint32_t id = 0;
	int err, fd;

	for (;;) {
		err = next_id(id, &id);
		if (err == -ENOENT)
			return 0;
		if (err) {
			cli_fail("cannot get the next %s id after %u: %s%s",
				 what, id, strerror(-err), err == -EINVAL ?
				 " (the kernel cannot list them: too old?)" :
				 "");
			return err;
		}
		fd = fd_by_id(id);
		if (fd == -ENOENT)	/* freed while we walked */
			continue;
		if (fd < 0) {
			cli_fail("cannot open %s id %u: %s", what, id,
				 strerror(-fd));
			return fd;
		}
		err = fn(fd, arg);
		close(fd);
		if (err)
			return err;
	}
}

/* ------------------------------------------------------------------ */
/* Selection: id N | pinned PATH | name NAME | tag TAG                 */

struct sel {
	enum cli_obj_kind kind;
	const char *what;	/* "program" / "map" */
	int (*next_id)(uint32_t, uint32_t *);
	int (*fd_by_id)(uint32_t);
};

static const struct sel prog_sel = {
	CLI_OBJ_PROG, "program", bpfbox_prog_get_next_id,
	bpfbox_prog_get_fd_by_id,
};
static const struct sel map_sel = {
	CLI_OBJ_MAP, "map", bpfbox_map_get_next_id, bpfbox_map_get_fd_by_id,
};

static int fds_push(int **fds, int *n, int fd)
{
	int *p = realloc(*fds, (*n + 1) * sizeof(**fds));

	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	p[(*n)++] = fd;
	*fds = p;
	return 0;
}

static void fds_close(int *fds, int n)
{
	while (n--)
		close(fds[n]);
	free(fds);
}

/* does the object behind fd match name (or tag when tag != NULL)? */
static bool matches(const struct sel *sel, int fd, const char *name,
		    const uint8_t *tag)
{
	char full[256];

	if (sel->kind == CLI_OBJ_MAP) {
		struct bpf_map_info info;

		return !cli_map_info(fd, &info) &&
		       !strncmp(info.name, name, BPF_OBJ_NAME_LEN);
	} else {
		struct bpf_prog_info info;

		if (cli_prog_info(fd, &info))
			return false;
		if (tag)
			return !memcmp(info.tag, tag, BPF_TAG_SIZE);
		if (!strncmp(info.name, name, BPF_OBJ_NAME_LEN))
			return true;
		cli_prog_full_name(&info, fd, full, sizeof(full));
		return !strcmp(full, name);
	}
}

static int walk_ids(const struct sel *sel, const char *name,
		    const uint8_t *tag, int **fds)
{
	uint32_t id = 0;
	int n = 0, fd, err;

	for (;;) {
		err = sel->next_id(id, &id);
		if (err == -ENOENT)
			break;
		if (err) {
			cli_fail("cannot walk %s ids: %s", sel->what,
				 strerror(-err));
			goto fail;
		}
		fd = sel->fd_by_id(id);
		if (fd == -ENOENT)	/* gone while we walked */
			continue;
		if (fd < 0) {
			err = fd;
			cli_fail("cannot open %s id %u: %s", sel->what, id,
				 strerror(-err));
			goto fail;
		}
		if (!matches(sel, fd, name, tag)) {
			close(fd);
			continue;
		}
		err = fds_push(fds, &n, fd);
		if (err)
			goto fail;
	}
	if (!n) {
		cli_fail("no %s with %s %s", sel->what, tag ? "tag" : "name",
			 name);
		return -ENOENT;
	}
	return n;
fail:
	fds_close(*fds, n);
	*fds = NULL;
	return err;
}

static int parse_tag(const char *s, uint8_t tag[BPF_TAG_SIZE])
{
	unsigned int i;

	if (strlen(s) != 2 * BPF_TAG_SIZE)
		return -EINVAL;
	for (i = 0; i < BPF_TAG_SIZE; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]))
			return -EINVAL;
		sscanf(s + 2 * i, "%2hhx", &tag[i]);
	}
	return 0;
}

static int open_id(const struct sel *sel, const char *arg)
{
	uint32_t id;
	int fd;

	if (cli_parse_u32(arg, &id)) {
		cli_usage("expected a %s id after 'id', got '%s'", sel->what,
			  arg);
		return -CLI_EUSAGE;
	}
	fd = sel->fd_by_id(id);
	if (fd == -ENOENT)
		cli_fail("no %s with id %u", sel->what, id);
	else if (fd < 0)
		cli_fail("cannot open %s id %u: %s", sel->what, id,
			 strerror(-fd));
	return fd;
}

static int open_pinned(const struct sel *sel, const char *path)
{
	enum cli_obj_kind kind;
	int fd;

	fd = bpfbox_obj_get(path);
	if (fd < 0) {
		cli_fail("cannot open pinned object %s: %s", path,
			 strerror(-fd));
		return fd;
	}
	kind = fd_kind(fd);
	if (kind != sel->kind) {
		cli_fail("%s is a %s, not a %s", path, obj_kind_names[kind],
			 sel->what);
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static int select_fds(const struct sel *sel, int *argc, char ***argv,
		      int **fds)
{
	const char *kw, *arg;
	uint8_t tag[BPF_TAG_SIZE];
	bool is_prog = sel->kind == CLI_OBJ_PROG;
	int fd, n = 0;

	*fds = NULL;
	if (*argc < 1) {
		cli_usage("expected %s", is_prog ?
			  "PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }" :
			  "MAP := { id MAP_ID | pinned FILE | name MAP_NAME }");
		return -CLI_EUSAGE;
	}
	if (*argc < 2) {
		cli_usage("expected a value after '%s' (%s)", (*argv)[0],
			  is_prog ? "id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME" :
			  "id MAP_ID | pinned FILE | name MAP_NAME");
		return -CLI_EUSAGE;
	}
	kw = (*argv)[0];
	arg = (*argv)[1];
	if (cli_is_prefix(kw, "id")) {
		fd = open_id(sel, arg);
	} else if (cli_is_prefix(kw, "pinned")) {
		fd = open_pinned(sel, arg);
	} else if (cli_is_prefix(kw, "name")) {
		n = walk_ids(sel, arg, NULL, fds);
		fd = n < 0 ? n : 0;
	} else if (is_prog && cli_is_prefix(kw, "tag")) {
		if (parse_tag(arg, tag)) {
			cli_usage("expected a tag of %d hex digits after "
				  "'tag', got '%s'", 2 * BPF_TAG_SIZE, arg);
			return -CLI_EUSAGE;
		}
		n = walk_ids(sel, arg, tag, fds);
		fd = n < 0 ? n : 0;
	} else {
		cli_usage("expected 'id', 'pinned'%s or 'name' to select a "
			  "%s, got '%s'", is_prog ? ", 'tag'" : "",
			  sel->what, kw);
		return -CLI_EUSAGE;
	}
	if (fd < 0)
		return fd;
	if (!n) {
		if (fds_push(fds, &n, fd))
			return -ENOMEM;
	}
	*argc -= 2;
	*argv += 2;
	return n;
}

int cli_prog_fds(int *argc, char ***argv, int **fds)
{
	return select_fds(&prog_sel, argc, argv, fds);
}

int cli_map_fds(int *argc, char ***argv, int **fds)
{
	return select_fds(&map_sel, argc, argv, fds);
}

/* one object only: a name shared by several is an error naming their ids */
static int select_one(const struct sel *sel, int *argc, char ***argv)
{
	const char *name = *argc > 1 ? (*argv)[1] : "";
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	int *fds, n, fd, i;

	n = select_fds(sel, argc, argv, &fds);
	if (n < 0)
		return n;
	if (n == 1) {
		fd = fds[0];
		free(fds);
		return fd;
	}
	fprintf(stderr, "%s: %d %ss match '%s', select one by id:", cli_name,
		n, sel->what, name);
	for (i = 0; i < n; i++) {
		if (sel->kind == CLI_OBJ_PROG && !cli_prog_info(fds[i], &pinfo))
			fprintf(stderr, " %u", pinfo.id);
		else if (sel->kind == CLI_OBJ_MAP &&
			 !cli_map_info(fds[i], &minfo))
			fprintf(stderr, " %u", minfo.id);
	}
	fputc('\n', stderr);
	fds_close(fds, n);
	return -EEXIST;
}

int cli_prog_fd(int *argc, char ***argv)
{
	return select_one(&prog_sel, argc, argv);
}

int cli_map_fd(int *argc, char ***argv)
{
	return select_one(&map_sel, argc, argv);
}

/* ------------------------------------------------------------------ */
/* Verb dispatch                                                       */

static const struct cli_cmd *find_verb(const struct cli_cmd *cmds,
				       const char *word)
{
	const struct cli_cmd *c;

	for (c = cmds; c->name; c++)
		if (cli_is_prefix(word, c->name))
			return c;
	return NULL;
}

int cli_select(struct cli *cli, const char *object,
	       const struct cli_cmd *cmds, int argc, char **argv)
{
	const struct cli_cmd *c;

	/* bpftool runs the first verb (show) when none is given */
	if (argc < 1)
		return cmds[0].fn(cli, 0, argv);
	c = cli_is_help(argv[0]) ? find_verb(cmds, "help") :
				   find_verb(cmds, argv[0]);
	if (c)
		return c->fn(cli, argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown %s command '%s'; expected one of:",
		cli_name, object, argv[0]);
	for (c = cmds; c->name; c++)
		fprintf(stderr, " %s", c->name);
	fprintf(stderr, " (see 'bpfbox %s help')\n", object);
	return CLI_USAGE;
}
