// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox map update/push/enqueue, delete, getnext: the verbs that change
 * or walk keys. Output and flags as bpftool's; failures say what about
 * the map made the kernel refuse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf_value.h"
#include "cli.h"
#include "map.h"

static bool is_array(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_PROG_ARRAY ||
	       type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
	       type == BPF_MAP_TYPE_CGROUP_ARRAY;
}

/* key and value buffers sized for this map (NULL when the size is 0) */
static int alloc_kv(const struct bpf_map_info *info, void **key, void **value)
{
	*key = info->key_size ? calloc(1, info->key_size) : NULL;
	*value = info->value_size ? calloc(1, map_value_room(info)) : NULL;
	if ((info->key_size && !*key) || (info->value_size && !*value)) {
		free(*key), free(*value);
		return cli_fail("out of memory");
	}
	return CLI_OK;
}

/* per-CPU maps take a value for every CPU: the same one on each */
static void fill_per_cpu(const struct bpf_map_info *info, void *value)
{
	size_t step = (info->value_size + 7) & ~7u;
	int i, n = map_possible_cpus();

	if (!map_is_per_cpu(info->type))
		return;
	for (i = 1; i < n; i++)
		memcpy((char *)value + i * step, value, info->value_size);
}

static int update_error(int fd, const struct bpf_map_info *info, int err,
			uint64_t flags)
{
	const char *why = "";

	if (err == -EPERM && map_is_frozen(fd))
		why = ": the map is frozen ('map freeze'), user space can no "
		      "longer change it";
	else if (err == -E2BIG && is_array(info->type))
		why = ": the index is not below max_entries";
	else if (err == -E2BIG)
		why = ": the map is full (max_entries reached)";
	else if (err == -EEXIST && flags == BPF_NOEXIST)
		why = ": the key exists already and 'noexist' was given";
	else if (err == -ENOENT && flags == BPF_EXIST)
		why = ": no element with this key and 'exist' was given";
	else if (err == -EEXIST && is_array(info->type))
		why = ": every index of an array exists, 'noexist' cannot "
		      "succeed";
	return cli_fail("update failed: %s (map %u '%s')%s", strerror(-err),
			info->id, info->name, why);
}

static int update(struct cli *cli, int argc, char **argv, const char *verb)
{
	struct bpf_map_info info;
	uint64_t flags = BPF_ANY;
	void *key = NULL, *value = NULL;
	int fd, err, ret, value_fd = -1;

	if (argc == 1 && cli_is_help(argv[0]))
		return map_verb_help(verb);
	fd = map_open(&argc, &argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	ret = alloc_kv(&info, &key, &value);
	if (ret)
		goto out;
	err = map_parse_elem(argc, argv, &info, key, value, &flags, &value_fd);
	if (err) {
		ret = cli_exit_code(err);
		goto out;
	}
	fill_per_cpu(&info, value);
	err = bpfbox_map_update_elem(fd, key, value, flags);
	ret = err ? update_error(fd, &info, err, flags) : map_json_null(cli);
out:
	if (value_fd >= 0)
		close(value_fd);
	free(key), free(value);
	close(fd);
	return ret;
}

int map_cmd_update(struct cli *cli, int argc, char **argv)
{
	return update(cli, argc, argv, "update");
}

/* push/enqueue: update with a value only (queues and stacks have no key) */
int map_cmd_push(struct cli *cli, int argc, char **argv)
{
	return update(cli, argc, argv, "push");
}

int map_cmd_enqueue(struct cli *cli, int argc, char **argv)
{
	return update(cli, argc, argv, "enqueue");
}

int map_cmd_delete(struct cli *cli, int argc, char **argv)
{
	struct bpf_map_info info;
	void *key = NULL, *value = NULL;
	char hex[64];
	int fd, err, ret;

	if (argc == 1 && cli_is_help(argv[0]))
		return map_verb_help("delete");
	fd = map_open(&argc, &argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	ret = alloc_kv(&info, &key, &value);
	if (ret)
		goto out;
	err = map_parse_elem(argc, argv, &info, key, NULL, NULL, NULL);
	if (err) {
		ret = cli_exit_code(err);
		goto out;
	}
	err = bpfbox_map_delete_elem(fd, key);
	if (err == -ENOENT)
		ret = cli_fail("delete failed: %s (map %u '%s' has no element "
			       "with key %s)", strerror(-err), info.id,
			       info.name, map_hex_str(key, info.key_size, hex,
						      sizeof(hex)));
	else if (err == -EINVAL && is_array(info.type))
		ret = cli_fail("delete failed: %s (elements of an array map "
			       "cannot be deleted; update them instead)",
			       strerror(-err));
	else if (err)
		ret = cli_fail("delete failed: %s (map %u '%s')", strerror(-err),
			       info.id, info.name);
	else
		ret = map_json_null(cli);
out:
	free(key), free(value);
	close(fd);
	return ret;
}

static void getnext_print(struct cli *cli, const struct bpf_map_info *info,
			  const void *key, const void *next)
{
	struct bb_vw *w;

	if (!cli->json) {
		if (key) {
			printf("key:\n");
			map_print_hex(key, info->key_size);
			printf("\n");
		} else {
			printf("key: None\n");
		}
		printf("next key:\n");
		map_print_hex(next, info->key_size);
		printf("\n");
		return;
	}
	w = map_vw_new(cli->pretty);
	if (!w)
		return;
	bb_vw_start_object(w);
	bb_vw_name(w, "key");
	if (key)
		map_vw_hex(w, key, info->key_size);
	else
		bb_vw_null(w);
	bb_vw_name(w, "next_key");
	map_vw_hex(w, next, info->key_size);
	bb_vw_end_object(w);
	map_vw_done(w);
}

static int getnext_error(const struct bpf_map_info *info, const void *key,
			 int err)
{
	char hex[64];

	if (err == -ENOENT && key)
		return cli_fail("can't get next key: %s (key %s is the last "
				"of map %u '%s')", strerror(-err),
				map_hex_str(key, info->key_size, hex,
					    sizeof(hex)), info->id, info->name);
	if (err == -ENOENT)
		return cli_fail("can't get next key: %s (map %u '%s' is empty)",
				strerror(-err), info->id, info->name);
	if (err == -EINVAL && !info->key_size)
		return cli_fail("can't get next key: %s (map %u '%s' has no "
				"keys: use peek or pop)", strerror(-err),
				info->id, info->name);
	return cli_fail("can't get next key: %s (map %u '%s')",
			strerror(-err), info->id, info->name);
}

int map_cmd_getnext(struct cli *cli, int argc, char **argv)
{
	struct bpf_map_info info;
	void *key = NULL, *next = NULL;
	bool has_key;
	int fd, err, ret;

	if (argc == 1 && cli_is_help(argv[0]))
		return map_verb_help("getnext");
	fd = map_open(&argc, &argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	has_key = argc > 0;
	key = calloc(1, info.key_size + 1);
	next = calloc(1, info.key_size + 1);
	if (!key || !next) {
		ret = cli_fail("out of memory");
		goto out;
	}
	if (has_key) {
		err = map_parse_elem(argc, argv, &info, key, NULL, NULL, NULL);
		if (err) {
			ret = cli_exit_code(err);
			goto out;
		}
	}
	err = bpfbox_map_get_next_key(fd, has_key ? key : NULL, next);
	if (err) {
		ret = getnext_error(&info, has_key ? key : NULL, err);
		goto out;
	}
	getnext_print(cli, &info, has_key ? key : NULL, next);
	ret = CLI_OK;
out:
	free(key), free(next);
	close(fd);
	return ret;
}
