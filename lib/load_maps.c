// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Creating an object's maps in the kernel: BTF-described maps, map-in-map
 * templates, global data (filled in, .rodata frozen), maps pinned by name.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "caps.h"
#include "cpus.h"
#include "err.h"
#include "object.h"

#define LIBBPF_PIN_BY_NAME_ 1
#define DEFAULT_PIN_ROOT "/sys/fs/bpf"

/* Kinds whose key/value BTF the kernel refuses (libbpf drops it too). */
static bool map_takes_btf(enum bpf_map_type t)
{
	switch (t) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return false;
	default:
		return true;
	}
}

static const char *create_hint(const struct bpfbox_map *map, int err)
{
	if (err == -E2BIG || err == -ENOMEM)
		return "; the map is too large (lower max_entries or value size)";
	if (err == -EPERM)
		return "; creating maps needs CAP_BPF (or CAP_SYS_ADMIN)";
	if (err == -EINVAL && map->type == BPF_MAP_TYPE_RINGBUF)
		return "; ring buffer max_entries must be a power of 2 and a multiple of the page size";
	return "";
}

/*
 * The kernel wants a ring buffer's size to be a power-of-2 multiple of
 * the page size; like libbpf, round a size that is not up to the next
 * one, so objects written for libbpf load the same.
 */
static uint32_t ringbuf_size(uint32_t sz)
{
	uint64_t page = sysconf(_SC_PAGE_SIZE), mul;

	if (!sz || (sz % page == 0 && !((sz / page) & (sz / page - 1))))
		return sz;
	for (mul = 1; mul * page <= UINT32_MAX; mul <<= 1)
		if (mul * page > sz)
			return mul * page;
	return sz;
}

/*
 * The max_entries the kernel gets: ring buffers rounded up, a perf event
 * array of 0 entries given one per possible CPU. 0 or -errno.
 */
static int kernel_max_entries(const struct bpfbox_map *map, uint32_t *max)
{
	uint8_t possible[BB_CPU_SET_BYTES] = { 0 };
	int n;

	*max = map->max_entries;
	if (map->type == BPF_MAP_TYPE_RINGBUF ||
	    map->type == BPF_MAP_TYPE_USER_RINGBUF)
		*max = ringbuf_size(*max);
	if (map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !*max) {
		n = bb_cpus_read("possible", possible);
		if (n < 0)
			return bb_err_wrap(n, "map %s: counting the possible CPUs",
					   map->name);
		*max = n;
	}
	return 0;
}

static int create_one(struct bpfbox_map *map, int btf_fd, int inner_fd)
{
	struct bpfbox_map_create_opts o = {
		.name = map->name,
		.map_flags = map->map_flags,
		.numa_node = map->numa_node,
		.map_extra = map->map_extra,
		.inner_map_fd = inner_fd > 0 ? inner_fd : 0,
	};
	uint32_t max;
	int fd, n;

	n = kernel_max_entries(map, &max);
	if (n)
		return n;
	if (btf_fd >= 0 && map_takes_btf(map->type)) {
		o.btf_fd = btf_fd;
		o.btf_key_type_id = map->btf_key_type_id;
		o.btf_value_type_id = map->btf_value_type_id;
	}
	fd = bpfbox_map_create(map->type, map->key_size, map->value_size, max, &o);
	if (fd < 0 && o.btf_fd) {
		/* as libbpf: a kernel that dislikes the BTF still gets the map */
		o.btf_fd = o.btf_key_type_id = o.btf_value_type_id = 0;
		fd = bpfbox_map_create(map->type, map->key_size,
				       map->value_size, max, &o);
	}
	if (fd == -EPERM) {
		n = bb_memlock_raise_after_eperm(fd);
		if (n < 0)
			return bb_err_wrap(n, "map %s", map->name);
		if (n)
			fd = bpfbox_map_create(map->type, map->key_size,
					       map->value_size, max, &o);
	}
	if (fd < 0)
		return bb_err(fd,
			      "map %s (%s, key %u B, value %u B, max_entries %u, flags 0x%x): create failed: %s%s",
			      map->name, bpfbox_map_type_name(map->type) ?
			      bpfbox_map_type_name(map->type) : "unknown type",
			      map->key_size, map->value_size, max,
			      map->map_flags, strerror(-fd), create_hint(map, fd));
	map->fd = fd;
	map->max_entries = max;		/* what the kernel has, as libbpf */
	return 0;
}

static int fill_global_data(struct bpfbox_map *map)
{
	uint32_t zero = 0;
	int err;

	if (map->kind == BB_MAP_USER || map->kind == BB_MAP_BSS)
		return 0;	/* the kernel zero-fills */
	err = bpfbox_map_update_elem(map->fd, &zero, map->init_data, 0);
	if (err)
		return bb_err(err, "map %s: cannot set initial contents of %s: %s",
			      map->name, map->sec_name, strerror(-err));
	if (map->kind == BB_MAP_RODATA || map->kind == BB_MAP_KCONFIG) {
		err = bpfbox_map_freeze(map->fd);
		if (err)
			return bb_err(err, "map %s: cannot freeze %s: %s",
				      map->name, map->sec_name, strerror(-err));
	}
	return 0;
}

/* LIBBPF_PIN_BY_NAME: reuse the pinned map if there is one, else pin */
static int pin_path(const struct bpfbox_map *map, char *buf, size_t len)
{
	char root[256];
	int err = bpfbox_bpffs_path(root, sizeof(root));

	if (err)
		return err;
	if ((size_t)snprintf(buf, len, "%s/%s", root, map->name) >= len)
		return bb_err(ENAMETOOLONG, "map %s: pin path too long", map->name);
	return 0;
}

static int reuse_pinned(struct bpfbox_map *map, const char *path)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info), max;
	int fd, err;

	fd = bpfbox_obj_get(path);
	if (fd < 0)
		return fd == -ENOENT ? 0 : bb_err(fd, "map %s: cannot open pinned %s: %s",
						   map->name, path, strerror(-fd));
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (!err)
		err = kernel_max_entries(map, &max);
	if (err || info.type != map->type || info.key_size != map->key_size ||
	    info.value_size != map->value_size || info.max_entries != max) {
		close(fd);
		return bb_err(EINVAL,
			      "map %s: the map pinned at %s has a different definition; remove it or rename the map",
			      map->name, path);
	}
	map->fd = fd;
	return 1;
}

static int create_map(struct bpfbox_object *obj, struct bpfbox_map *map)
{
	char path[512];
	int err, reused = 0;

	if (map->pinning == LIBBPF_PIN_BY_NAME_) {
		err = pin_path(map, path, sizeof(path));
		if (err)
			return err;
		reused = reuse_pinned(map, path);
		if (reused < 0)
			return reused;
	}
	if (!reused) {
		int inner_fd = -1;

		if (map->inner) {
			err = create_one(map->inner, obj->btf_fd, -1);
			if (err)
				return bb_err_wrap(err, "map %s: inner map", map->name);
			inner_fd = map->inner->fd;
		}
		err = create_one(map, obj->btf_fd, inner_fd);
		if (map->inner) {
			close(map->inner->fd);
			map->inner->fd = -1;
		}
		if (!err)
			err = fill_global_data(map);
		if (!err && map->pinning == LIBBPF_PIN_BY_NAME_)
			err = bpfbox_map_pin(map, path);
		if (err)
			return err;
	}
	return 0;
}

int bb_object_create_maps(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nmaps; i++) {
		err = create_map(obj, &obj->maps[i]);
		if (err)
			return bb_err_wrap(err, "%s", obj->path);
	}
	return 0;
}
