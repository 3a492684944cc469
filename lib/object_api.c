// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Accessors of the public object API. */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bpfbox.h"
#include "err.h"
#include "object.h"

const char *bpfbox_object_name(const struct bpfbox_object *obj)
{
	return obj->name;
}

const char *bpfbox_object_license(const struct bpfbox_object *obj)
{
	return obj->has_license ? obj->license : NULL;
}

uint32_t bpfbox_object_kversion(const struct bpfbox_object *obj)
{
	return obj->kversion;
}

int bpfbox_object_btf_fd(const struct bpfbox_object *obj)
{
	return obj->btf_fd;
}

/* the public program list hides .text subprograms */
size_t bpfbox_object_prog_count(const struct bpfbox_object *obj)
{
	size_t i, n = 0;

	for (i = 0; i < obj->nprogs; i++)
		n += !obj->progs[i].is_subprog;
	return n;
}

struct bpfbox_prog *bpfbox_object_prog(const struct bpfbox_object *obj,
				       size_t idx)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++) {
		if (obj->progs[i].is_subprog)
			continue;
		if (!idx--)
			return &obj->progs[i];
	}
	return NULL;
}

struct bpfbox_prog *bpfbox_object_find_prog(const struct bpfbox_object *obj,
					    const char *name)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++)
		if (!obj->progs[i].is_subprog && !strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return NULL;
}

size_t bpfbox_object_map_count(const struct bpfbox_object *obj)
{
	return obj->nmaps;
}

struct bpfbox_map *bpfbox_object_map(const struct bpfbox_object *obj,
				     size_t idx)
{
	return idx < obj->nmaps ? &obj->maps[idx] : NULL;
}

struct bpfbox_map *bpfbox_object_find_map(const struct bpfbox_object *obj,
					  const char *name)
{
	size_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (!strcmp(obj->maps[i].name, name))
			return &obj->maps[i];
	/* ".rodata" finds "myobj.rodata", as in skeletons */
	for (i = 0; i < obj->nmaps; i++)
		if (obj->maps[i].sec_name && !strcmp(obj->maps[i].sec_name, name))
			return &obj->maps[i];
	return NULL;
}

const char *bpfbox_prog_name(const struct bpfbox_prog *prog)
{
	return prog->name;
}

const char *bpfbox_prog_section(const struct bpfbox_prog *prog)
{
	return prog->sec_name;
}

enum bpf_prog_type bpfbox_prog_type(const struct bpfbox_prog *prog)
{
	return prog->type;
}

enum bpf_attach_type
bpfbox_prog_expected_attach_type(const struct bpfbox_prog *prog)
{
	return prog->expected_attach_type;
}

const char *bpfbox_prog_attach_target(const struct bpfbox_prog *prog)
{
	return prog->attach_target;
}

bool bpfbox_prog_autoload(const struct bpfbox_prog *prog)
{
	return prog->autoload;
}

int bpfbox_prog_set_autoload(struct bpfbox_prog *prog, bool autoload)
{
	if (prog->obj->loaded)
		return bb_err(EBUSY, "program %s: object already loaded", prog->name);
	prog->autoload = autoload;
	return 0;
}

const struct bpf_insn *bpfbox_prog_insns(const struct bpfbox_prog *prog,
					 size_t *cnt)
{
	*cnt = prog->insns_cnt;
	return prog->insns;
}

int bpfbox_prog_fd(const struct bpfbox_prog *prog)
{
	return prog->fd;
}

/* pinning needs a bpffs under the path: make sure one is mounted */
static int pin_fd(int fd, const char *what, const char *name, const char *path)
{
	char root[256];
	int err;

	if (fd < 0)
		return bb_err(EINVAL, "%s %s is not loaded; nothing to pin", what, name);
	err = bpfbox_bpffs_path(root, sizeof(root));
	if (err)
		return err;
	err = bpfbox_obj_pin(fd, path);
	if (err == -EPERM && bpfbox_path_is_bpffs(path) == 0)
		return bb_err(err, "%s %s: cannot pin at %s: not on a BPF filesystem (bpffs is mounted at %s)",
			      what, name, path, root);
	if (err)
		return bb_err(err, "%s %s: cannot pin at %s: %s", what, name, path,
			      strerror(-err));
	return 0;
}

int bpfbox_prog_pin(struct bpfbox_prog *prog, const char *path)
{
	return pin_fd(prog->fd, "program", prog->name, path);
}

const char *bpfbox_map_name(const struct bpfbox_map *map)
{
	return map->name;
}

enum bpf_map_type bpfbox_map_type(const struct bpfbox_map *map)
{
	return map->type;
}

uint32_t bpfbox_map_key_size(const struct bpfbox_map *map)
{
	return map->key_size;
}

uint32_t bpfbox_map_value_size(const struct bpfbox_map *map)
{
	return map->value_size;
}

uint32_t bpfbox_map_max_entries(const struct bpfbox_map *map)
{
	return map->max_entries;
}

/* not in older UAPI headers (lib/names.c has the same) */
#define BB_MAP_TYPE_CGRP_STORAGE_ 32

/* the smallest valid ring buffer size that holds n bytes */
static uint64_t ringbuf_fit(uint64_t n, uint64_t page)
{
	uint64_t sz = page;

	while (sz < n)
		sz <<= 1;
	return sz;
}

static int check_ringbuf(const struct bpfbox_map *map, uint32_t n)
{
	long page = sysconf(_SC_PAGE_SIZE);

	if (page <= 0)
		page = 4096;
	/* the page size is a power of 2, so this is both rules */
	if (n >= (uint64_t)page && !(n & (n - 1)))
		return 0;
	return bb_err(EINVAL,
		      "map %s: ring buffer size %u is not a power of 2 and a multiple of the page size (%ld bytes), which the kernel requires (e.g. %llu)",
		      map->name, n, page,
		      (unsigned long long)ringbuf_fit(n, page));
}

/*
 * What the kernel accepts as max_entries for the map's type, checked
 * here so that the caller hears of a bad size where it set it, not as
 * an EINVAL from map creation in the middle of the load. 0 or -errno.
 */
static int check_max_entries(const struct bpfbox_map *map, uint32_t n)
{
	const char *type = bpfbox_map_type_name(map->type);

	switch ((unsigned int)map->type) {
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return check_ringbuf(map, n);
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return 0;	/* 0: one slot per possible CPU, at create */
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BB_MAP_TYPE_CGRP_STORAGE_:
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		if (n)
			return bb_err(EINVAL,
				      "map %s: a %s map holds one value per object it is attached to; its max_entries must be 0, not %u",
				      map->name, type, n);
		return 0;
	case BPF_MAP_TYPE_STRUCT_OPS:
		if (n != 1)
			return bb_err(EINVAL,
				      "map %s: a struct_ops map has exactly 1 entry, not %u",
				      map->name, n);
		return 0;
	default:
		if (!n)
			return bb_err(EINVAL,
				      "map %s: max_entries must be at least 1 for a %s map",
				      map->name, type ? type : "map of this type");
		return 0;
	}
}

/* initial slots (SEC(".maps") = { [i] = &x }) must stay inside the map */
static int check_slots(const struct bpfbox_map *map, uint32_t n)
{
	size_t i;

	for (i = n; i < map->nslots; i++)
		if (map->init_slots[i] >= 0)
			return bb_err(EINVAL,
				      "map %s: its initial contents set slot %zu, which %u entries do not have",
				      map->name, i, n);
	return 0;
}

int bpfbox_map_set_max_entries(struct bpfbox_map *map, uint32_t max_entries)
{
	int err;

	if (map->obj->loaded)
		return bb_err(EBUSY,
			      "map %s: cannot resize it, the object is already loaded (set max_entries between open and load)",
			      map->name);
	if (map->kind != BB_MAP_USER)
		return bb_err(EINVAL,
			      "map %s: global data (%s) is one entry, its section; its size cannot be set",
			      map->name, map->sec_name ? map->sec_name : "?");
	err = check_max_entries(map, max_entries);
	if (!err)
		err = check_slots(map, max_entries);
	if (err)
		return err;
	/* a map reused from a pin is compared against this new size */
	map->max_entries = max_entries;
	return 0;
}

uint32_t bpfbox_map_flags(const struct bpfbox_map *map)
{
	return map->map_flags;
}

const char *bpfbox_map_section(const struct bpfbox_map *map)
{
	return map->sec_name;
}

int bpfbox_map_fd(const struct bpfbox_map *map)
{
	return map->fd;
}

int bpfbox_map_pin(struct bpfbox_map *map, const char *path)
{
	return pin_fd(map->fd, "map", map->name, path);
}
