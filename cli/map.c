// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox map: bpftool's map commands with bpftool's output.
 *
 *   map.c       verbs table, help, show, create, pin, freeze
 *   map_elem.c  update/push/enqueue, delete, getnext
 *   map_dump.c  dump, lookup/peek, pop/dequeue (values, decoded by BTF)
 *   map_util.c  opening maps, DATA parsing, hex and JSON helpers
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf_value.h"
#include "cli.h"
#include "map.h"
#include "names.h"

/* ------------------------------------------------------------------ */
/* Help                                                                */

static const struct {
	const char *verb, *args;
} usages[] = {
	{ "{ show | list }", "   [MAP]" },
	{ "create", "     FILE type TYPE key KEY_SIZE value VALUE_SIZE \\\n"
		    "                                  entries MAX_ENTRIES name NAME [flags FLAGS] \\\n"
		    "                                  [inner_map MAP] [dev NAME]" },
	{ "dump", "       MAP" },
	{ "update", "     MAP [key DATA] [value VALUE] [UPDATE_FLAGS]" },
	{ "lookup", "     MAP [key DATA]" },
	{ "getnext", "    MAP [key DATA]" },
	{ "delete", "     MAP  key DATA" },
	{ "pin", "        MAP  FILE" },
	{ "peek", "       MAP" },
	{ "push", "       MAP value VALUE" },
	{ "pop", "        MAP" },
	{ "enqueue", "    MAP value VALUE" },
	{ "dequeue", "    MAP" },
	{ "freeze", "     MAP" },
	{ "help", "" },
};

static const char defs[] =
	"       MAP := { id MAP_ID | pinned FILE | name MAP_NAME }\n"
	"       DATA := { [hex] BYTES }\n"
	"       PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }\n"
	"       VALUE := { DATA | MAP | PROG }\n"
	"       UPDATE_FLAGS := { any | exist | noexist }\n";

static const char types[] =
	"       TYPE := { hash | array | prog_array | perf_event_array | percpu_hash |\n"
	"                 percpu_array | stack_trace | cgroup_array | lru_hash |\n"
	"                 lru_percpu_hash | lpm_trie | array_of_maps | hash_of_maps |\n"
	"                 devmap | devmap_hash | sockmap | cpumap | xskmap | sockhash |\n"
	"                 cgroup_storage | reuseport_sockarray | percpu_cgroup_storage |\n"
	"                 queue | stack | sk_storage | struct_ops | ringbuf | inode_storage |\n"
	"                 task_storage | bloom_filter | user_ringbuf }\n";

static void usage_line(FILE *f, bool first, const char *verb, const char *args)
{
	fprintf(f, "%s bpfbox map %s%s\n", first ? "Usage:" : "      ", verb,
		args);
}

static int do_help(struct cli *cli, int argc, char **argv)
{
	size_t i;

	(void)argc, (void)argv;
	if (cli->json)
		return map_json_null(cli);
	for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		usage_line(stdout, !i, usages[i].verb, usages[i].args);
	printf("\n%s%s", defs, types);
	printf("       OPTIONS := { {-j|--json} [{-p|--pretty}] }\n"
	       "\n"
	       "       create pins the new map at FILE, on a bpffs (mounted at "
	       "/sys/fs/bpf when none is).\n"
	       "       'offload_dev NAME' is accepted for 'dev NAME'.\n");
	return CLI_OK;
}

/* "map VERB help": that verb's line and the definitions it uses */
int map_verb_help(const char *verb)
{
	size_t i;

	for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++) {
		if (strstr(usages[i].verb, verb)) {
			usage_line(stdout, true, verb, usages[i].args);
			break;
		}
	}
	printf("\n%s", defs);
	if (!strcmp(verb, "create"))
		printf("%s", types);
	return CLI_OK;
}

static bool wants_help(int argc, char **argv)
{
	return argc == 1 && cli_is_help(argv[0]);
}

/* ------------------------------------------------------------------ */
/* show                                                                */

/* the netdev of an offloaded map, when it lives in our namespace */
static bool ifname_in_our_ns(const struct bpf_map_info *info, char *name)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return false;
	if (st.st_dev != info->netns_dev || st.st_ino != info->netns_ino)
		return false;
	return if_indextoname(info->ifindex, name) != NULL;
}

static void show_dev_plain(const struct bpf_map_info *info)
{
	char name[IF_NAMESIZE];

	if (!info->ifindex)
		return;
	printf("  offloaded_to ");
	if (ifname_in_our_ns(info, name))
		printf("%s", name);
	else
		printf("ifindex %u ns_dev %llu ns_ino %llu", info->ifindex,
		       (unsigned long long)info->netns_dev,
		       (unsigned long long)info->netns_ino);
}

static void show_dev_json(struct bb_vw *w, const struct bpf_map_info *info)
{
	char name[IF_NAMESIZE];

	if (!info->ifindex)
		return;
	bb_vw_name(w, "dev");
	bb_vw_start_object(w);
	bb_vw_name(w, "ifindex");
	bb_vw_uint(w, info->ifindex);
	bb_vw_name(w, "ns_dev");
	bb_vw_uint(w, info->netns_dev);
	bb_vw_name(w, "ns_inode");
	bb_vw_uint(w, info->netns_ino);
	if (ifname_in_our_ns(info, name)) {
		bb_vw_name(w, "ifname");
		bb_vw_string(w, name);
	}
	bb_vw_end_object(w);
}

static void show_plain(int fd, const struct bpf_map_info *info)
{
	char *memlock = map_fdinfo(fd, "memlock");
	char *frozen = map_fdinfo(fd, "frozen");
	char *owner = NULL, *jited = NULL, tb[32];
	bool is_frozen = frozen && atoi(frozen);

	printf("%u: %s  ", info->id, map_type_str(info->type, tb, sizeof(tb)));
	if (info->name[0]) {
		printf("name ");
		cli_fputs_safe(stdout, info->name);
		printf("  ");
	}
	printf("flags 0x%x", info->map_flags);
	show_dev_plain(info);
	printf("\n\tkey %uB  value %uB  max_entries %u", info->key_size,
	       info->value_size, info->max_entries);
	if (memlock)
		printf("  memlock %sB", memlock);
	if (info->type == BPF_MAP_TYPE_PROG_ARRAY) {
		owner = map_fdinfo(fd, "owner_prog_type");
		jited = map_fdinfo(fd, "owner_jited");
		if (owner || jited)
			printf("\n\t");
		if (owner) {
			const char *s = bpfbox_prog_type_name(atoi(owner));

			if (s)
				printf("owner_prog_type %s  ", s);
			else
				printf("owner_prog_type %d  ", atoi(owner));
		}
		if (jited)
			printf("owner%s jited", atoi(jited) ? "" : " not");
	}
	if (info->btf_id || is_frozen)
		printf("\n\t");
	if (info->btf_id)
		printf("btf_id %u", info->btf_id);
	if (is_frozen)
		printf("%sfrozen", info->btf_id ? "  " : "");
	printf("\n");
	free(memlock), free(frozen), free(owner), free(jited);
}

static void show_json(struct bb_vw *w, int fd, const struct bpf_map_info *info)
{
	char *memlock = map_fdinfo(fd, "memlock");
	char *frozen = map_fdinfo(fd, "frozen");
	char *owner, *jited;
	const char *s;

	bb_vw_start_object(w);
	map_header_json(w, info);
	show_dev_json(w, info);
	bb_vw_name(w, "bytes_key");
	bb_vw_uint(w, info->key_size);
	bb_vw_name(w, "bytes_value");
	bb_vw_uint(w, info->value_size);
	bb_vw_name(w, "max_entries");
	bb_vw_uint(w, info->max_entries);
	if (memlock) {
		bb_vw_name(w, "bytes_memlock");
		bb_vw_int(w, atoll(memlock));
	}
	if (info->type == BPF_MAP_TYPE_PROG_ARRAY) {
		owner = map_fdinfo(fd, "owner_prog_type");
		jited = map_fdinfo(fd, "owner_jited");
		if (owner) {
			bb_vw_name(w, "owner_prog_type");
			s = bpfbox_prog_type_name(atoi(owner));
			if (s)
				bb_vw_string(w, s);
			else
				bb_vw_uint(w, atoi(owner));
		}
		if (jited) {
			bb_vw_name(w, "owner_jited");
			bb_vw_bool(w, atoi(jited));
		}
		free(owner), free(jited);
	}
	bb_vw_name(w, "frozen");
	bb_vw_int(w, frozen ? atoi(frozen) : 0);
	if (info->btf_id) {
		bb_vw_name(w, "btf_id");
		bb_vw_int(w, info->btf_id);
	}
	bb_vw_end_object(w);
	free(memlock), free(frozen);
}

static int show_one(struct bb_vw *w, int fd)
{
	struct bpf_map_info info;
	int err = cli_map_info(fd, &info);

	if (err)
		return cli_fail("cannot get info of map fd %d: %s", fd,
				strerror(-err));
	if (w) {
		show_json(w, fd, &info);
		map_vw_flush(w);
	} else {
		show_plain(fd, &info);
	}
	return CLI_OK;
}

/* every map the kernel has, by id */
static int show_each(int fd, void *w)
{
	return show_one(w, fd);
}

static int show_all(struct bb_vw *w)
{
	int ret;

	if (w)
		bb_vw_start_array(w);
	ret = cli_walk_ids("map", bpfbox_map_get_next_id,
			   bpfbox_map_get_fd_by_id, show_each, w);
	if (w)
		bb_vw_end_array(w);
	return ret < 0 ? CLI_FAIL : ret;
}

static int do_show(struct cli *cli, int argc, char **argv)
{
	struct bb_vw *w = NULL;
	int *fds = NULL, n = 0, i, ret = CLI_OK;

	if (wants_help(argc, argv))
		return map_verb_help("show");
	if (argc && argc != 2)
		return cli_usage("map show: expected nothing or MAP := { id "
				 "MAP_ID | pinned FILE | name MAP_NAME }, got "
				 "%d word%s", argc, argc == 1 ? "" : "s");
	if (argc) {
		n = cli_map_fds(&argc, &argv, &fds);
		if (n < 0)
			return cli_exit_code(n);
	}
	if (cli->json) {
		w = map_vw_new(cli->pretty);
		if (!w)
			ret = CLI_FAIL;
	}
	if (ret)
		goto out;
	if (!n) {
		ret = show_all(w);
	} else {
		if (w && n > 1)
			bb_vw_start_array(w);
		for (i = 0; i < n && !ret; i++)
			ret = show_one(w, fds[i]);
		if (w && n > 1)
			bb_vw_end_array(w);
	}
	map_vw_done(w);
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return ret;
}

/* ------------------------------------------------------------------ */
/* create, pin                                                         */

/*
 * FILE must be on a bpffs. bpftool would mount a new bpffs on FILE's
 * directory when it is not one; we mount the standard one when none is
 * mounted, and otherwise say where pins can go.
 */
static int pin_fd(int fd, const char *file)
{
	char mnt[PATH_MAX];
	int err;

	err = bpfbox_bpffs_path(mnt, sizeof(mnt));
	if (err)
		return cli_fail("cannot pin at %s: %s", file, bpfbox_errmsg());
	err = bpfbox_path_is_bpffs(file);
	if (err == -ENOENT)
		return cli_fail("cannot pin at %s: its directory does not exist "
				"(create it on the bpffs first: mkdir)", file);
	if (err < 0)
		return cli_fail("cannot pin at %s: %s", file, bpfbox_errmsg());
	if (!err)
		return cli_fail("cannot pin at %s: it is not on a bpffs; pin "
				"under %s (a bpffs) instead", file, mnt);
	err = bpfbox_obj_pin(fd, file);
	if (err == -EEXIST)
		return cli_fail("cannot pin at %s: a file exists there already "
				"(remove it first)", file);
	if (err)
		return cli_fail("cannot pin at %s: %s", file, strerror(-err));
	return CLI_OK;
}

static int do_pin(struct cli *cli, int argc, char **argv)
{
	struct bpf_map_info info;
	int fd, ret;

	if (wants_help(argc, argv))
		return map_verb_help("pin");
	if (argc != 3)
		return cli_usage("map pin: expected MAP FILE, got %d word%s",
				 argc, argc == 1 ? "" : "s");
	fd = map_open(&argc, &argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	ret = pin_fd(fd, argv[0]);
	close(fd);
	return ret ? ret : map_json_null(cli);
}

struct create_args {
	const char *file, *name;
	int type;
	uint32_t key, value, entries;
	bool has_key, has_value, has_entries;
	struct bpfbox_map_create_opts opts;
	int inner_fd;
};

/* "key 4": a u32 after a keyword, given once */
static int create_u32(const char *what, const char *arg, uint32_t *v,
		      bool *seen)
{
	if (seen && *seen)
		return cli_usage("map create: %s given twice", what);
	if (cli_parse_u32(arg, v))
		return cli_usage("map create: %s: '%s' is not a number of 32 "
				 "bits", what, arg);
	if (seen)
		*seen = true;
	return CLI_OK;
}

static int create_dev(struct create_args *a, const char *ifname)
{
	if (a->opts.map_ifindex)
		return cli_usage("map create: offload device given twice");
	a->opts.map_ifindex = if_nametoindex(ifname);
	if (!a->opts.map_ifindex)
		return cli_fail("map create: no network device '%s': %s",
				ifname, strerror(errno));
	return CLI_OK;
}

static int create_inner(struct create_args *a, int *argc, char ***argv)
{
	struct bpf_map_info info;
	int fd;

	if (a->inner_fd >= 0)
		return cli_usage("map create: inner_map given twice");
	fd = map_open(argc, argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	a->inner_fd = fd;
	a->opts.inner_map_fd = fd;
	return CLI_OK;
}

/* one "keyword argument" pair of map create; words consumed via argc/argv */
static int create_arg(struct create_args *a, int *argc, char ***argv)
{
	const char *kw = (*argv)[0], *arg = (*argv)[1];

	*argc -= 2, *argv += 2;
	if (cli_is_prefix(kw, "type")) {
		if (a->type >= 0)
			return cli_usage("map create: type given twice");
		a->type = bb_map_type_by_name(arg);
		if (a->type < 0)
			return cli_usage("map create: %s", bpfbox_errmsg());
		return CLI_OK;
	}
	if (cli_is_prefix(kw, "name")) {
		a->name = arg;
		return CLI_OK;
	}
	if (cli_is_prefix(kw, "key"))
		return create_u32("key size", arg, &a->key, &a->has_key);
	if (cli_is_prefix(kw, "value"))
		return create_u32("value size", arg, &a->value, &a->has_value);
	if (cli_is_prefix(kw, "entries"))
		return create_u32("max entries", arg, &a->entries,
				  &a->has_entries);
	if (cli_is_prefix(kw, "flags"))
		return create_u32("flags", arg, &a->opts.map_flags, NULL);
	if (cli_is_prefix(kw, "dev") || !strcmp(kw, "offload_dev"))
		return create_dev(a, arg);
	if (cli_is_prefix(kw, "inner_map")) {
		*argc += 1, *argv -= 1;		/* MAP is two words */
		return create_inner(a, argc, argv);
	}
	return cli_usage("map create: unknown argument '%s' (see 'bpfbox map "
			 "create help')", kw);
}

static int create_check(const struct create_args *a)
{
	const char *missing = a->type < 0 ? "type TYPE" :
			      !a->has_key ? "key KEY_SIZE" :
			      !a->has_value ? "value VALUE_SIZE" :
			      !a->has_entries ? "entries MAX_ENTRIES" :
			      !a->name ? "name NAME" : NULL;

	if (missing)
		return cli_usage("map create: %s is missing", missing);
	if (strlen(a->name) >= BPF_OBJ_NAME_LEN)
		fprintf(stderr, "Warning: map name '%s' is kept as its first "
			"%d characters\n", a->name, BPF_OBJ_NAME_LEN - 1);
	return CLI_OK;
}

static int create_map(const struct create_args *a)
{
	int fd, ret;

	fd = bpfbox_map_create(a->type, a->key, a->value, a->entries,
			       &a->opts);
	if (fd < 0) {
		const char *hint = fd == -EINVAL ?
			" (the kernel refused these sizes, flags or type: a "
			"queue or stack needs key 0, an array key 4)" :
			fd == -EPERM ? " (needs CAP_BPF or root)" : "";

		return cli_fail("map create failed: %s%s", strerror(-fd), hint);
	}
	ret = pin_fd(fd, a->file);
	close(fd);
	return ret;
}

static int do_create(struct cli *cli, int argc, char **argv)
{
	struct create_args a = { .type = -1, .inner_fd = -1 };
	int ret = CLI_OK;

	if (wants_help(argc, argv))
		return map_verb_help("create");
	if (argc < 7)
		return cli_usage("map create: expected FILE type TYPE key "
				 "KEY_SIZE value VALUE_SIZE entries MAX_ENTRIES "
				 "name NAME (see 'bpfbox map create help')");
	a.file = argv[0];
	argc--, argv++;
	while (argc && !ret) {
		if (argc < 2)
			ret = cli_usage("map create: '%s' needs an argument",
					argv[0]);
		else
			ret = create_arg(&a, &argc, &argv);
	}
	if (!ret)
		ret = create_check(&a);
	a.opts.name = a.name;
	if (!ret)
		ret = create_map(&a);
	if (a.inner_fd >= 0)
		close(a.inner_fd);
	return ret ? ret : map_json_null(cli);
}

/* ------------------------------------------------------------------ */
/* freeze                                                              */

static int do_freeze(struct cli *cli, int argc, char **argv)
{
	struct bpf_map_info info;
	int fd, err;

	if (wants_help(argc, argv))
		return map_verb_help("freeze");
	if (argc != 2)
		return cli_usage("map freeze: expected MAP, got %d word%s", argc,
				 argc == 1 ? "" : "s");
	fd = map_open(&argc, &argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	err = bpfbox_map_freeze(fd);
	if (err == -EPERM && map_is_frozen(fd)) {
		close(fd);
		return cli_fail("failed to freeze map %u: it is frozen already",
				info.id);
	}
	close(fd);
	if (err == -EBUSY)
		return cli_fail("failed to freeze map %u: %s (frozen already, "
				"or mapped writable by some process)", info.id,
				strerror(-err));
	if (err)
		return cli_fail("failed to freeze map %u: %s", info.id,
				strerror(-err));
	return map_json_null(cli);
}

/* ------------------------------------------------------------------ */

static const struct cli_cmd cmds[] = {
	{ "show",	do_show,	"list maps" },
	{ "list",	do_show,	"list maps" },
	{ "help",	do_help,	"this text" },
	{ "dump",	map_cmd_dump,	"every element of a map" },
	{ "update",	map_cmd_update,	"set an element" },
	{ "lookup",	map_cmd_lookup,	"one element" },
	{ "getnext",	map_cmd_getnext, "the key after a key" },
	{ "delete",	map_cmd_delete,	"remove an element" },
	{ "pin",	do_pin,		"pin a map on bpffs" },
	{ "create",	do_create,	"create and pin a map" },
	{ "peek",	map_cmd_peek,	"head of a queue or stack" },
	{ "push",	map_cmd_push,	"add to a queue or stack" },
	{ "enqueue",	map_cmd_enqueue, "add to a queue" },
	{ "pop",	map_cmd_pop,	"take from a queue or stack" },
	{ "dequeue",	map_cmd_dequeue, "take from a queue" },
	{ "freeze",	do_freeze,	"make a map read-only for user space" },
	{ NULL },
};

int cmd_map(struct cli *cli, int argc, char **argv)
{
	return cli_select(cli, "map", cmds, argc, argv);
}
