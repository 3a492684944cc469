// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox btf { show | list } [id BTF_ID]: the kernel's BTF objects, with
 * the programs and maps that use each and the processes holding them, in
 * bpftool's text and JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "cli.h"
#include "btf_cmd.h"

/* ------------------------------------------------------------------ */
/* show                                                                */

/*
 * (btf id, prog or map id) pairs, listed in the order bpftool's hashmap
 * gives them: it prepends each entry to its bucket and, when it grows
 * (to 4, 8, ... buckets, before an insert that would pass 3/4 full),
 * re-prepends every entry, which reverses the order of a key's entries.
 */
struct ref_table {
	uint32_t (*v)[2];
	size_t n, cap;		/* cap: the simulated hashmap's */
};

static void table_reverse(struct ref_table *t)
{
	uint32_t tmp[2];
	size_t i;

	for (i = 0; i < t->n / 2; i++) {
		memcpy(tmp, t->v[i], sizeof(tmp));
		memcpy(t->v[i], t->v[t->n - 1 - i], sizeof(tmp));
		memcpy(t->v[t->n - 1 - i], tmp, sizeof(tmp));
	}
}

static void table_add(struct ref_table *t, uint32_t btf_id, uint32_t id)
{
	uint32_t (*v)[2] = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return;		/* best effort: the ids are decoration */
	t->v = v;
	if (!t->cap || (t->n + 1) * 4 / 3 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		table_reverse(t);
	}
	memmove(&t->v[1], &t->v[0], t->n * sizeof(*v));
	t->v[0][0] = btf_id;
	t->v[0][1] = id;
	t->n++;
}

/* every prog (or map) that has BTF, by its BTF id */
static void table_build(struct ref_table *t, bool maps)
{
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	uint32_t id = 0, btf_id;
	int fd, err;

	for (;;) {
		err = maps ? bpfbox_map_get_next_id(id, &id) :
			     bpfbox_prog_get_next_id(id, &id);
		if (err)
			break;
		fd = maps ? bpfbox_map_get_fd_by_id(id) :
			    bpfbox_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* gone meanwhile */
		err = maps ? cli_map_info(fd, &minfo) : cli_prog_info(fd, &pinfo);
		close(fd);
		btf_id = maps ? minfo.btf_id : pinfo.btf_id;
		if (!err && btf_id)
			table_add(t, btf_id, id);
	}
}

struct show_ctx {
	struct cli *cli;
	struct jw *jw;
	struct ref_table progs, maps;
	struct cli_pids pids;
};

static void show_plain(struct show_ctx *c, const struct bpf_btf_info *info,
		       const char *name)
{
	bool first;
	size_t i;

	printf("%u: ", info->id);
	if (info->kernel_btf) {
		printf("name [");
		cli_fputs_safe(stdout, name);
		printf("]  ");
	} else if (name[0]) {
		printf("name ");
		cli_fputs_safe(stdout, name);
		printf("  ");
	} else {
		printf("name <anon>  ");
	}
	printf("size %uB", info->btf_size);
	for (i = 0, first = true; i < c->progs.n; i++) {
		if (c->progs.v[i][0] != info->id)
			continue;
		printf("%s%u", first ? "  prog_ids " : ",", c->progs.v[i][1]);
		first = false;
	}
	for (i = 0, first = true; i < c->maps.n; i++) {
		if (c->maps.v[i][0] != info->id)
			continue;
		printf("%s%u", first ? "  map_ids " : ",", c->maps.v[i][1]);
		first = false;
	}
	cli_pids_plain(&c->pids, info->id);
	printf("\n");
}

static void json_ids(struct jw *jw, const char *key, const struct ref_table *t,
		     uint32_t id)
{
	size_t i;

	jw_name(jw, key);
	jw_start_array(jw);
	for (i = 0; i < t->n; i++)
		if (t->v[i][0] == id)
			jw_uint(jw, t->v[i][1]);
	jw_end_array(jw);
}

static void show_json(struct show_ctx *c, const struct bpf_btf_info *info,
		      const char *name)
{
	struct jw *jw = c->jw;

	jw_start_object(jw);
	jw_kv_uint(jw, "id", info->id);
	jw_kv_uint(jw, "size", info->btf_size);
	json_ids(jw, "prog_ids", &c->progs, info->id);
	json_ids(jw, "map_ids", &c->maps, info->id);
	cli_pids_json(jw, &c->pids, info->id);
	jw_kv_bool(jw, "kernel", info->kernel_btf);
	if (name[0])
		jw_kv_string(jw, "name", name);
	jw_end_object(jw);
}

/* 0, or -errno when the object is gone or unreadable */
static int show_one(struct show_ctx *c, uint32_t id)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	char name[128] = "";
	int fd, err;

	fd = bpfbox_btf_get_fd_by_id(id);
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	info.name = (uint64_t)(uintptr_t)name;
	info.name_len = sizeof(name);
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return err;
	name[sizeof(name) - 1] = '\0';
	if (c->jw)
		show_json(c, &info, name);
	else
		show_plain(c, &info, name);
	return 0;
}

static int show_all(struct show_ctx *c)
{
	uint32_t id = 0;
	int err;

	if (c->jw)
		jw_start_array(c->jw);
	while (!bpfbox_btf_get_next_id(id, &id)) {
		err = show_one(c, id);
		if (err && err != -ENOENT) {
			cli_fail("can't get BTF object %u: %s", id, strerror(-err));
			return CLI_FAIL;
		}
	}
	if (c->jw)
		jw_end_array(c->jw);
	return CLI_OK;
}

int btf_show(struct cli *cli, int argc, char **argv)
{
	struct show_ctx c = { .cli = cli };
	uint32_t id = 0;
	int err, ret;

	if (argc == 1 && cli_is_help(argv[0]))
		return btf_help(cli, 0, NULL);
	if (argc && (argc != 2 || !cli_is_prefix(argv[0], "id")))
		return cli_usage("btf show: expected 'id BTF_ID', got '%s'", argv[0]);
	if (argc && cli_parse_u32(argv[1], &id))
		return cli_usage("can't parse BTF ID '%s'", argv[1]);
	table_build(&c.progs, false);
	table_build(&c.maps, true);
	cli_pids_build(&c.pids, "btf", "btf_id");
	if (cli->json) {
		c.jw = jw_new(stdout, cli->pretty);
		if (!c.jw)
			return cli_fail("out of memory");
	}
	if (argc) {
		err = show_one(&c, id);
		ret = err ? cli_fail("can't get BTF object by id (%u): %s", id,
				     strerror(-err)) : CLI_OK;
	} else {
		ret = show_all(&c);
	}
	if (c.jw)
		jw_free(c.jw);
	free(c.progs.v);
	free(c.maps.v);
	cli_pids_free(&c.pids);
	return ret;
}

