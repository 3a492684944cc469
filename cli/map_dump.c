// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox map dump, lookup/peek, pop/dequeue: values as bpftool prints
 * them. Without BTF: hex ("key: 00 00 00 00  value: 01 ..."). With BTF
 * (plain text): bpftool's pretty JSON-like layout of the decoded key and
 * value, from lib/btf_value.c. With -j: key and value as hex-string
 * arrays, plus "formatted" decoded through BTF when the map has it.
 *
 * The walk uses get_next_key then lookup, one key at a time, as bpftool
 * does: batch lookup would save syscalls on big maps, but is refused by
 * several map types and would make a dump differ from bpftool's when
 * the map changes under it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "kbtf.h"
#include "btf_value.h"
#include "cli.h"
#include "map.h"

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* the kernel's, not in libc's errno.h */
#endif


/* ------------------------------------------------------------------ */
/* The BTF of a map's key and value                                    */

struct kv_btf {
	struct bb_btf *map;		/* the map's BTF object */
	struct bb_btf *vmlinux;		/* base of split BTF; struct_ops */
	const struct bb_btf *key_btf, *value_btf;	/* NULL: none */
	uint32_t key_id, value_id;
};

static int load_vmlinux(struct kv_btf *kb)
{
	if (kb->vmlinux)
		return 0;
	if (bb_load_vmlinux_btf(&kb->vmlinux))
		return cli_fail("%s", bpfbox_errmsg());
	return 0;
}

/* fetch BTF object id into *data (malloc'd); name gets its name */
static int fetch_btf(int fd, struct bpf_btf_info *info, char *name,
		     size_t name_len, void **data)
{
	uint32_t len = sizeof(*info), size;
	int err;

	/* first the size, then the blob and the name */
	memset(info, 0, sizeof(*info));
	err = bpfbox_obj_get_info_by_fd(fd, info, &len);
	if (err)
		return err;
	size = info->btf_size;
	*data = malloc(size ? size : 1);
	if (!*data)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	info->btf = (uintptr_t)*data;
	info->btf_size = size;
	info->name = (uintptr_t)name;
	info->name_len = name_len;
	len = sizeof(*info);
	err = bpfbox_obj_get_info_by_fd(fd, info, &len);
	name[name_len - 1] = '\0';
	return err;
}

/* BTF object id, parsed; module BTF is split on vmlinux's */
static int load_btf_id(uint32_t id, struct kv_btf *kb)
{
	struct bpf_btf_info info;
	char name[64] = "";
	void *data = NULL;
	bool split;
	int fd, err;

	fd = bpfbox_btf_get_fd_by_id(id);
	if (fd < 0)
		return cli_fail("cannot open BTF id %u: %s", id, strerror(-fd));
	err = fetch_btf(fd, &info, name, sizeof(name), &data);
	close(fd);
	if (err) {
		free(data);
		return cli_fail("cannot read BTF id %u: %s", id,
				strerror(-err));
	}
	split = info.kernel_btf && strcmp(name, "vmlinux");
	err = split ? load_vmlinux(kb) : 0;
	if (!err && bb_btf_parse(data, info.btf_size,
				 split ? kb->vmlinux : NULL, &kb->map))
		err = cli_fail("BTF id %u: %s", id, bpfbox_errmsg());
	free(data);
	return err;
}

static void kv_btf_free(struct kv_btf *kb)
{
	bb_btf_free(kb->map);
	bb_btf_free(kb->vmlinux);
	memset(kb, 0, sizeof(*kb));
}

/*
 * As bpftool: struct_ops values are vmlinux types; other maps' key and
 * value types are in the map's BTF. No value type: no BTF decoding.
 */
static int kv_btf_get(const struct bpf_map_info *info, struct kv_btf *kb)
{
	int err = 0;

	memset(kb, 0, sizeof(*kb));
	if (!info->btf_vmlinux_value_type_id && !info->btf_value_type_id)
		return 0;
	if (info->btf_id && (info->btf_key_type_id || info->btf_value_type_id))
		err = load_btf_id(info->btf_id, kb);
	if (!err && info->btf_vmlinux_value_type_id)
		err = load_vmlinux(kb);
	if (err) {
		kv_btf_free(kb);
		return err;
	}
	kb->key_btf = info->btf_key_type_id ? kb->map : NULL;
	kb->key_id = info->btf_key_type_id;
	kb->value_btf = info->btf_vmlinux_value_type_id ? kb->vmlinux : kb->map;
	kb->value_id = info->btf_vmlinux_value_type_id ?:
		       info->btf_value_type_id;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Printing one element                                                */

struct dumper {
	struct cli *cli;
	struct bb_vw *w;	/* JSON, or BTF plain text; NULL: hex text */
	const struct bpf_map_info *info;
	struct kv_btf kb;
	int decode_err;		/* the first value BTF could not decode */
};

static size_t step(const struct bpf_map_info *info)
{
	return (info->value_size + 7) & ~7u;
}

static int ncpus(void)
{
	int n = map_possible_cpus();

	return n > 0 ? n : 1;
}

/* one key or value through BTF; a failure leaves null and is reported */
static void put_btf(struct dumper *d, const struct bb_btf *btf, uint32_t id,
		    const void *p, size_t n, const void *key)
{
	struct bb_value_opts o = { .plain = !d->cli->json };
	struct bb_vsink sink = bb_vw_sink(d->w);
	size_t before, after;
	char hex[64];
	int err;

	bb_vw_buf(d->w, &before);
	err = bb_btf_value_walk(btf, id, p, n, &o, &sink);
	bb_vw_buf(d->w, &after);
	if (err && before == after)
		bb_vw_null(d->w);
	if (err && !d->decode_err) {
		d->decode_err = err;
		fprintf(stderr, "Warning: map %u, key %s: cannot decode through "
			"BTF: %s\n", d->info->id,
			map_hex_str(key, d->info->key_size, hex, sizeof(hex)),
			bpfbox_errmsg());
	}
}

/* bpftool's "formatted" object, also the whole entry in BTF plain text */
static void put_formatted(struct dumper *d, const void *key, const void *val)
{
	const struct bpf_map_info *info = d->info;
	int i, n;

	bb_vw_start_object(d->w);
	if (d->kb.key_btf) {
		bb_vw_name(d->w, "key");
		put_btf(d, d->kb.key_btf, d->kb.key_id, key, info->key_size,
			key);
	}
	if (!map_is_per_cpu(info->type)) {
		bb_vw_name(d->w, "value");
		put_btf(d, d->kb.value_btf, d->kb.value_id, val,
			info->value_size, key);
		bb_vw_end_object(d->w);
		return;
	}
	bb_vw_name(d->w, "values");
	bb_vw_start_array(d->w);
	for (i = 0, n = ncpus(); i < n; i++) {
		bb_vw_start_object(d->w);
		bb_vw_name(d->w, "cpu");
		bb_vw_int(d->w, i);
		bb_vw_name(d->w, "value");
		put_btf(d, d->kb.value_btf, d->kb.value_id,
			(const char *)val + i * step(info), info->value_size,
			key);
		bb_vw_end_object(d->w);
	}
	bb_vw_end_array(d->w);
	bb_vw_end_object(d->w);
}

static void put_json(struct dumper *d, const void *key, const void *val)
{
	const struct bpf_map_info *info = d->info;
	int i, n;

	bb_vw_start_object(d->w);
	bb_vw_name(d->w, "key");
	map_vw_hex(d->w, key, info->key_size);
	if (!map_is_per_cpu(info->type)) {
		bb_vw_name(d->w, "value");
		map_vw_hex(d->w, val, info->value_size);
	} else {
		bb_vw_name(d->w, "values");
		bb_vw_start_array(d->w);
		for (i = 0, n = ncpus(); i < n; i++) {
			bb_vw_start_object(d->w);
			bb_vw_name(d->w, "cpu");
			bb_vw_int(d->w, i);
			bb_vw_name(d->w, "value");
			map_vw_hex(d->w, (const char *)val + i * step(info),
				   info->value_size);
			bb_vw_end_object(d->w);
		}
		bb_vw_end_array(d->w);
	}
	if (d->kb.value_btf) {
		bb_vw_name(d->w, "formatted");
		put_formatted(d, key, val);
	}
	bb_vw_end_object(d->w);
}

/* bpftool's layout: one line when key and value fit, else a line each */
static void put_plain(const struct bpf_map_info *info, const void *key,
		      const void *val)
{
	bool brk = info->key_size > 16 || info->value_size > 16;
	bool one = info->key_size + info->value_size <= 24 && !brk;
	int i, n;

	if (map_is_per_cpu(info->type)) {
		if (info->key_size) {
			printf("key:\n");
			map_print_hex(key, info->key_size);
			printf("\n");
		}
		for (i = 0, n = ncpus(); info->value_size && i < n; i++) {
			printf("value (CPU %02d):%c", i,
			       info->value_size > 16 ? '\n' : ' ');
			map_print_hex((const char *)val + i * step(info),
				      info->value_size);
			printf("\n");
		}
		return;
	}
	if (info->key_size) {
		printf("key:%c", brk ? '\n' : ' ');
		map_print_hex(key, info->key_size);
		printf(one ? "  " : "\n");
	}
	if (info->value_size) {
		printf("value:%c", brk ? '\n' : ' ');
		map_print_hex(val, info->value_size);
	}
	printf("\n");
}

static void put_entry(struct dumper *d, const void *key, const void *val)
{
	if (d->cli->json) {
		put_json(d, key, val);
	} else if (d->w && d->kb.value_btf) {
		put_formatted(d, key, val);
	} else {
		if (d->w)
			map_vw_flush(d->w);
		put_plain(d->info, key, val);
	}
}

/* a key whose lookup failed while dumping */
static void put_entry_error(struct dumper *d, const void *key, int err)
{
	const struct bpf_map_info *info = d->info;
	const char *msg = strerror(-err);
	bool brk, one;

	/* no entry at that index of a prog array or map-in-map: a hole */
	if (err == -ENOENT && (info->type == BPF_MAP_TYPE_PROG_ARRAY ||
			       info->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
			       info->type == BPF_MAP_TYPE_HASH_OF_MAPS))
		return;
	if (d->cli->json) {
		bb_vw_start_object(d->w);
		bb_vw_name(d->w, "key");
		map_vw_hex(d->w, key, info->key_size);
		bb_vw_name(d->w, "value");
		bb_vw_start_object(d->w);
		bb_vw_name(d->w, "error");
		bb_vw_string(d->w, msg);
		bb_vw_end_object(d->w);
		bb_vw_end_object(d->w);
		return;
	}
	if (err == -ENOENT)
		msg = "<no entry>";
	else if (err == -ENOSPC &&
		 info->type == BPF_MAP_TYPE_REUSEPORT_SOCKARRAY)
		msg = "<cannot read>";
	if (d->w)
		map_vw_flush(d->w);
	brk = info->key_size > 16 || strlen(msg) > 16;
	one = info->key_size + strlen(msg) <= 24 && !brk;
	printf("key:%c", brk ? '\n' : ' ');
	map_print_hex(key, info->key_size);
	printf(one ? "  " : "\n");
	printf("value:%c%s\n", brk ? '\n' : ' ', msg);
}

/* ------------------------------------------------------------------ */
/* dump                                                                */

static int alloc_kv(const struct bpf_map_info *info, void **key, void **val)
{
	*key = calloc(1, info->key_size + 1);
	*val = calloc(1, map_value_room(info));
	if (*key && *val)
		return 0;
	free(*key), free(*val);
	return cli_fail("out of memory");
}

/* walk the keys; returns elements shown, or a negative errno */
static int walk(struct dumper *d, int fd, void *key, void *val)
{
	bool first = true;
	int err, n = 0;

	for (;;) {
		err = bpfbox_map_get_next_key(fd, first ? NULL : key, key);
		if (err == -ENOENT)
			return n;
		if (err)
			return err;
		first = false;
		err = bpfbox_map_lookup_elem(fd, key, val);
		if (err) {
			put_entry_error(d, key, err);
		} else {
			put_entry(d, key, val);
			n++;
		}
		if (d->w)	/* big maps stream out */
			map_vw_flush(d->w);
	}
}

static int dump_one(struct dumper *d, int fd, bool header)
{
	const struct bpf_map_info *info = d->info;
	void *key = NULL, *val = NULL;
	char tb[32];
	int n, ret;

	ret = alloc_kv(info, &key, &val);
	if (ret)
		return ret;
	if (d->w && kv_btf_get(info, &d->kb)) {
		ret = CLI_FAIL;
		goto out;
	}
	if (d->w && header) {
		bb_vw_start_object(d->w);
		map_header_json(d->w, info);
		bb_vw_name(d->w, "elements");
	} else if (header) {
		printf("%u: %s  ", info->id, map_type_str(info->type, tb,
							  sizeof(tb)));
		if (info->name[0])
			printf("name %s  ", info->name);
		printf("flags 0x%x\n", info->map_flags);
	}
	if (d->w)
		bb_vw_start_array(d->w);
	n = walk(d, fd, key, val);
	if (d->w) {
		bb_vw_end_array(d->w);
		if (header)
			bb_vw_end_object(d->w);
	} else if (n >= 0) {
		printf("Found %u element%s\n", n, n != 1 ? "s" : "");
	}
	if (n == -ENOTSUPP || n == -EOPNOTSUPP)
		ret = cli_fail("dump of map %u '%s': a %s map cannot be walked "
			       "from user space (the kernel says ENOTSUPP)",
			       info->id, info->name,
			       map_type_str(info->type, tb, sizeof(tb)));
	else if (n < 0)
		ret = cli_fail("dump of map %u '%s' stopped: cannot get the "
			       "next key: %s", info->id, info->name,
			       strerror(-n));
out:
	kv_btf_free(&d->kb);
	free(key), free(val);
	return ret;
}

/*
 * Queues, stacks, ring buffers and bloom filters have no keys: bpftool
 * prints "Found 0 elements" and fails; we say why before any output.
 */
static int check_keyed(int *fds, int n)
{
	struct bpf_map_info info;
	char tb[32];
	bool qs;
	int i;

	for (i = 0; i < n; i++) {
		if (cli_map_info(fds[i], &info) || info.key_size)
			continue;
		qs = info.type == BPF_MAP_TYPE_QUEUE ||
		     info.type == BPF_MAP_TYPE_STACK;
		return cli_fail("map %u '%s' is a %s: it has no keys to walk%s",
				info.id, info.name,
				map_type_str(info.type, tb, sizeof(tb)),
				qs ? "; use 'map peek' or 'map pop'" :
				", its contents cannot be listed");
	}
	return CLI_OK;
}

/* bpftool decodes through BTF only when every map dumped has it */
static bool all_have_btf(int *fds, int n)
{
	struct bpf_map_info info;
	int i;

	for (i = 0; i < n; i++)
		if (cli_map_info(fds[i], &info) || !info.btf_id)
			return false;
	return true;
}

int map_cmd_dump(struct cli *cli, int argc, char **argv)
{
	struct bpf_map_info info;
	struct dumper d = { .cli = cli, .info = &info };
	int *fds = NULL, n, i, err, ret = CLI_OK;

	if (argc == 1 && cli_is_help(argv[0]))
		return map_verb_help("dump");
	if (argc != 2)
		return cli_usage("map dump: expected MAP := { id MAP_ID | "
				 "pinned FILE | name MAP_NAME }, got %d word%s",
				 argc, argc == 1 ? "" : "s");
	n = cli_map_fds(&argc, &argv, &fds);
	if (n < 0)
		return cli_exit_code(n);
	ret = check_keyed(fds, n);
	if (!ret && (cli->json || all_have_btf(fds, n))) {
		d.w = map_vw_new(cli->json ? cli->pretty : true);
		if (!d.w)
			ret = CLI_FAIL;
	}
	if (d.w && n > 1)
		bb_vw_start_array(d.w);
	for (i = 0; i < n && !ret; i++) {
		err = cli_map_info(fds[i], &info);
		if (err) {
			ret = cli_fail("cannot get map info: %s", strerror(-err));
			break;
		}
		ret = dump_one(&d, fds[i], n > 1);
		if (!d.w && i != n - 1)
			printf("\n");
	}
	if (d.w && n > 1)
		bb_vw_end_array(d.w);
	map_vw_done(d.w);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	if (!ret && d.decode_err)
		ret = CLI_FAIL;
	return ret;
}

/* ------------------------------------------------------------------ */
/* lookup, peek, pop                                                   */

/* one element, as `map lookup` prints it */
static int print_element(struct cli *cli, const struct bpf_map_info *info,
			 const void *key, const void *val)
{
	struct dumper d = { .cli = cli, .info = info };

	if (kv_btf_get(info, &d.kb))
		return CLI_FAIL;
	if (!cli->json && !d.kb.value_btf) {
		put_plain(info, key, val);
		return CLI_OK;
	}
	d.w = map_vw_new(cli->json ? cli->pretty : true);
	if (!d.w) {
		kv_btf_free(&d.kb);
		return CLI_FAIL;
	}
	put_entry(&d, key, val);
	map_vw_done(d.w);
	kv_btf_free(&d.kb);
	return d.decode_err ? CLI_FAIL : CLI_OK;
}

static int not_found(struct cli *cli, const struct bpf_map_info *info,
		     const void *key, const char *verb)
{
	char hex[64];

	if (cli->json) {
		printf("null\n");
		return CLI_FAIL;
	}
	if (!info->key_size)
		return cli_fail("%s: map %u '%s' is empty", verb, info->id,
				info->name);
	/* bpftool's words on stdout, ours on stderr */
	printf("key:\n");
	map_print_hex(key, info->key_size);
	printf("\n\nNot found\n");
	return cli_fail("lookup: key not found: map %u '%s' has no element "
			"with key %s", info->id, info->name,
			map_hex_str(key, info->key_size, hex, sizeof(hex)));
}

/* lookup (pop: lookup and delete) of the element the words name */
static int get_elem(struct cli *cli, int argc, char **argv, const char *verb,
		    bool pop)
{
	struct bpf_map_info info;
	void *key = NULL, *val = NULL;
	int fd, err, ret;

	if (argc == 1 && cli_is_help(argv[0]))
		return map_verb_help(verb);
	fd = map_open(&argc, &argv, &info);
	if (fd < 0)
		return cli_exit_code(fd);
	ret = alloc_kv(&info, &key, &val);
	if (ret)
		goto out;
	err = map_parse_elem(argc, argv, &info, info.key_size ? key : NULL,
			     NULL, NULL, NULL);
	if (err) {
		ret = cli_exit_code(err);
		goto out;
	}
	if (pop)
		err = bpfbox_map_lookup_and_delete_elem(fd, info.key_size ?
							key : NULL, val);
	else
		err = bpfbox_map_lookup_elem(fd, info.key_size ? key : NULL,
					     val);
	if (err == -ENOENT)
		ret = not_found(cli, &info, key, verb);
	else if (err)
		ret = cli_fail("%s failed: %s (map %u '%s')", verb,
			       strerror(-err), info.id, info.name);
	else
		ret = print_element(cli, &info, key, val);
out:
	free(key), free(val);
	close(fd);
	return ret;
}

int map_cmd_lookup(struct cli *cli, int argc, char **argv)
{
	return get_elem(cli, argc, argv, "lookup", false);
}

int map_cmd_peek(struct cli *cli, int argc, char **argv)
{
	return get_elem(cli, argc, argv, "peek", false);
}

int map_cmd_pop(struct cli *cli, int argc, char **argv)
{
	return get_elem(cli, argc, argv, "pop", true);
}

int map_cmd_dequeue(struct cli *cli, int argc, char **argv)
{
	return get_elem(cli, argc, argv, "dequeue", true);
}
