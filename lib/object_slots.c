// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Initial slots of map-in-map and prog_array maps:
 *
 *   struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); ...
 *            __array(values, struct inner); } outer SEC(".maps") = {
 *           .values = { &inner_a, [3] = &inner_b } };
 *
 * The compiler leaves one relocation in .rel.maps per filled slot. The
 * slots are written once the targets exist: maps right after creation,
 * programs after loading.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "elf.h"
#include "err.h"
#include "object.h"

static struct bpfbox_map *map_at(struct bpfbox_object *obj, uint64_t off)
{
	size_t i;

	for (i = 0; i < obj->nmaps; i++) {
		struct bpfbox_map *m = &obj->maps[i];

		if (m->kind == BB_MAP_USER && off >= m->sec_off &&
		    off < m->sec_off + m->def_size)
			return m;
	}
	return NULL;
}

static int prog_at(const struct bpfbox_object *obj, const struct bb_elf_sym *sym)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].sec_idx == sym->shndx &&
		    obj->progs[i].sec_insn_off * BB_INSN_SZ == sym->value &&
		    !obj->progs[i].is_subprog)
			return i;
	return -ENOENT;
}

static int set_slot(struct bpfbox_map *map, size_t slot, int target)
{
	if (slot >= map->nslots) {
		int *p = realloc(map->init_slots, (slot + 1) * sizeof(*p));
		size_t i;

		if (!p)
			return bb_err(ENOMEM, "out of memory");
		for (i = map->nslots; i <= slot; i++)
			p[i] = -1;
		map->init_slots = p;
		map->nslots = slot + 1;
	}
	map->init_slots[slot] = target;
	return 0;
}

static int slot_relo(struct bpfbox_object *obj, const struct bb_elf_rel *rel)
{
	const struct bb_elf_sym *sym = &obj->elf->syms[rel->sym];
	struct bpfbox_map *map = map_at(obj, rel->offset);
	uint64_t off;
	int target;

	if (!map || !map->values_off || rel->offset < map->sec_off + map->values_off)
		return bb_err(EINVAL,
			      "%s: .rel.maps: relocation at offset %llu (%s) is not inside a map's 'values'",
			      obj->path, (unsigned long long)rel->offset, sym->name);
	off = rel->offset - map->sec_off - map->values_off;
	if (off % 8 || off / 8 >= map->max_entries)
		return bb_err(EINVAL, "%s: map %s: initial slot at byte %llu is outside max_entries %u",
			      obj->path, map->name, (unsigned long long)off,
			      map->max_entries);
	if (map->type == BPF_MAP_TYPE_PROG_ARRAY)
		target = prog_at(obj, sym);
	else
		target = sym->shndx == obj->maps_shndx ?
			 bb_object_find_map_by_sec_off(obj, sym->shndx, sym->value) :
			 -ENOENT;
	if (target < 0)
		return bb_err(EINVAL, "%s: map %s: slot %llu refers to %s, which is not a %s",
			      obj->path, map->name, (unsigned long long)off / 8,
			      sym->name, map->type == BPF_MAP_TYPE_PROG_ARRAY ?
			      "program" : "map");
	return set_slot(map, off / 8, target);
}

int bb_object_collect_slots(struct bpfbox_object *obj)
{
	struct bb_elf_rel rel;
	size_t i, n;
	int idx, err;

	if (obj->maps_shndx < 0)
		return 0;
	idx = bb_elf_find_sec(obj->elf, ".rel.maps");
	if (idx < 0)
		return 0;
	err = bb_elf_rel_count(obj->elf, idx, &n);
	for (i = 0; !err && i < n; i++) {
		err = bb_elf_rel_get(obj->elf, idx, i, &rel);
		if (!err)
			err = slot_relo(obj, &rel);
	}
	return err;
}

static int fill(struct bpfbox_map *map, bool progs)
{
	struct bpfbox_object *obj = map->obj;
	size_t i;
	int err, fd;

	for (i = 0; i < map->nslots; i++) {
		uint32_t key = i, val;

		if (map->init_slots[i] < 0)
			continue;
		fd = progs ? obj->progs[map->init_slots[i]].fd :
			     obj->maps[map->init_slots[i]].fd;
		if (fd < 0)
			continue;	/* a program not loaded (autoload off) */
		val = fd;
		err = bpfbox_map_update_elem(map->fd, &key, &val, 0);
		if (err)
			return bb_err(err, "%s: map %s: cannot fill slot %zu: %s",
				      obj->path, map->name, i, strerror(-err));
	}
	return 0;
}

int bb_object_fill_map_slots(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nmaps; i++) {
		if (!obj->maps[i].nslots ||
		    obj->maps[i].type == BPF_MAP_TYPE_PROG_ARRAY)
			continue;
		err = fill(&obj->maps[i], false);
		if (err)
			return err;
	}
	return 0;
}

int bb_object_fill_prog_slots(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nmaps; i++) {
		if (!obj->maps[i].nslots ||
		    obj->maps[i].type != BPF_MAP_TYPE_PROG_ARRAY)
			continue;
		err = fill(&obj->maps[i], true);
		if (err)
			return err;
	}
	return 0;
}
