// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Maps of an object: BTF-defined maps in SEC(".maps") and the array
 * maps that back global data (.data*, .rodata*, .bss*). Pure.
 *
 * A BTF map definition is a struct whose members encode attributes:
 *   __uint(name, N)   -> int (*name)[N]      (the value is the array size)
 *   __type(name, T)   -> T *name             (key, value)
 *   __array(values, struct inner) -> struct inner *values[]
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "elf.h"
#include "err.h"
#include "object.h"

#define BPF_OBJ_NAME_LEN_ 16

static struct bpfbox_map *add_map(struct bpfbox_object *obj)
{
	struct bpfbox_map *maps, *map;

	maps = realloc(obj->maps, (obj->nmaps + 1) * sizeof(*maps));
	if (!maps)
		return NULL;
	obj->maps = maps;
	map = &maps[obj->nmaps++];
	memset(map, 0, sizeof(*map));
	map->obj = obj;
	map->fd = -1;
	return map;
}

/* __uint(name, N): member type is PTR -> ARRAY[N] */
static int member_uint(const struct bb_btf *btf, const struct btf_member *m,
		       uint32_t *val)
{
	const struct btf_type *t = bb_btf_type(btf, bb_btf_skip_mods(btf, m->type));
	const struct btf_type *arr;

	if (!t || bb_btf_kind(t) != BTF_KIND_PTR)
		return -EINVAL;
	arr = bb_btf_type(btf, bb_btf_skip_mods(btf, t->type));
	if (!arr || bb_btf_kind(arr) != BTF_KIND_ARRAY)
		return -EINVAL;
	*val = bb_btf_array(arr)->nelems;
	return 0;
}

/* __type(name, T): member type is PTR -> T; returns T's id */
static int member_type(const struct bb_btf *btf, const struct btf_member *m,
		       uint32_t *id)
{
	const struct btf_type *t = bb_btf_type(btf, bb_btf_skip_mods(btf, m->type));

	if (!t || bb_btf_kind(t) != BTF_KIND_PTR)
		return -EINVAL;
	*id = t->type;
	return 0;
}

static int parse_map_def(struct bpfbox_object *obj, struct bpfbox_map *map,
			 uint32_t def_id, bool is_inner);

/* __array(values, struct inner): ARRAY of PTR to the inner definition */
static int parse_inner(struct bpfbox_object *obj, struct bpfbox_map *map,
		       const struct btf_member *m)
{
	const struct bb_btf *btf = obj->btf;
	const struct btf_type *arr = bb_btf_type(btf, bb_btf_skip_mods(btf, m->type));
	const struct btf_type *ptr;

	if (arr && bb_btf_kind(arr) == BTF_KIND_ARRAY)
		ptr = bb_btf_type(btf, bb_btf_skip_mods(btf, bb_btf_array(arr)->type));
	else
		ptr = NULL;
	if (!ptr || bb_btf_kind(ptr) != BTF_KIND_PTR)
		return bb_err(EINVAL,
			      "%s: map %s: 'values' is not declared with __array()",
			      obj->path, map->name);
	if (map->type != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
	    map->type != BPF_MAP_TYPE_HASH_OF_MAPS &&
	    map->type != BPF_MAP_TYPE_PROG_ARRAY)
		return bb_err(EINVAL,
			      "%s: map %s: 'values' is only for map-in-map and prog_array maps (declare 'type' before 'values')",
			      obj->path, map->name);
	if (map->value_size && map->value_size != 4)
		return bb_err(EINVAL, "%s: map %s: value size must be 4 with 'values'",
			      obj->path, map->name);
	map->value_size = 4;	/* slots hold fds */
	if (map->type == BPF_MAP_TYPE_PROG_ARRAY)
		return 0;
	map->inner = calloc(1, sizeof(*map->inner));
	if (!map->inner)
		return bb_err(ENOMEM, "out of memory");
	map->inner->obj = obj;
	map->inner->fd = -1;
	if (asprintf(&map->inner->name, "%s.inner", map->name) < 0) {
		map->inner->name = NULL;
		return bb_err(ENOMEM, "out of memory");
	}
	return parse_map_def(obj, map->inner, ptr->type, true);
}

static int map_member(struct bpfbox_object *obj, struct bpfbox_map *map,
		      const struct btf_type *def, const struct btf_member *m)
{
	const struct bb_btf *btf = obj->btf;
	const char *name = bb_btf_str(btf, m->name_off);
	uint32_t v = 0, id;
	int64_t sz;

	if (!name)
		return bb_err(EINVAL, "%s: map %s: attribute with a bad name",
			      obj->path, map->name);
	if (!strcmp(name, "key") || !strcmp(name, "value")) {
		if (member_type(btf, m, &id))
			return bb_err(EINVAL,
				      "%s: map %s: '%s' is not declared with __type()",
				      obj->path, map->name, name);
		sz = bb_btf_resolve_size(btf, id);
		if (sz < 0 || sz > UINT32_MAX)
			return bb_err(EINVAL, "%s: map %s: cannot size its %s type",
				      obj->path, map->name, name);
		if (name[0] == 'k')
			map->key_size = sz, map->btf_key_type_id = id;
		else
			map->value_size = sz, map->btf_value_type_id = id;
		return 0;
	}
	if (!strcmp(name, "values")) {
		map->values_off = bb_btf_member_bit_offset(def, m) / 8;
		return parse_inner(obj, map, m);
	}
	if (member_uint(btf, m, &v))
		return bb_err(EINVAL,
			      "%s: map %s: attribute '%s' is not declared with __uint()",
			      obj->path, map->name, name);
	if (!strcmp(name, "type"))
		map->type = v;
	else if (!strcmp(name, "key_size"))
		map->key_size = v;
	else if (!strcmp(name, "value_size"))
		map->value_size = v;
	else if (!strcmp(name, "max_entries"))
		map->max_entries = v;
	else if (!strcmp(name, "map_flags"))
		map->map_flags = v;
	else if (!strcmp(name, "numa_node"))
		map->numa_node = v;
	else if (!strcmp(name, "map_extra"))
		map->map_extra = v;
	else if (!strcmp(name, "pinning"))
		map->pinning = v;
	else
		return bb_err(ENOTSUP, "%s: map %s: unknown attribute '%s'",
			      obj->path, map->name, name);
	return 0;
}

static int parse_map_def(struct bpfbox_object *obj, struct bpfbox_map *map,
			 uint32_t def_id, bool is_inner)
{
	const struct btf_type *def;
	const struct btf_member *m;
	uint32_t i;
	int err;

	def = bb_btf_type(obj->btf, bb_btf_skip_mods(obj->btf, def_id));
	if (!def || bb_btf_kind(def) != BTF_KIND_STRUCT)
		return bb_err(EINVAL, "%s: map %s: definition is not a struct",
			      obj->path, map->name);
	m = bb_btf_members(def);
	for (i = 0; i < bb_btf_vlen(def); i++) {
		err = map_member(obj, map, def, &m[i]);
		if (err)
			return err;
	}
	map->def_size = def->size;
	if (!map->type)
		return bb_err(EINVAL, "%s: %smap %s: no 'type' given (__uint(type, BPF_MAP_TYPE_...))",
			      obj->path, is_inner ? "inner " : "", map->name);
	if (map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		/* key and value are u32 fds; types are optional */
		if (!map->key_size)
			map->key_size = 4;
		if (!map->value_size)
			map->value_size = 4;
	}
	return 0;
}

static int find_maps_datasec(const struct bpfbox_object *obj)
{
	int id = bb_btf_find(obj->btf, ".maps", BTF_KIND_DATASEC);

	if (id < 0)
		return bb_err(EINVAL,
			      "%s: section .maps has no BTF description (DATASEC .maps); compile with -g",
			      obj->path);
	return id;
}

/* symbol of variable `name` in section sec_idx, for its offset */
static const struct bb_elf_sym *find_var_sym(const struct bpfbox_object *obj,
					     int sec_idx, const char *name)
{
	size_t i;

	for (i = 1; i < obj->elf->nsyms; i++) {
		const struct bb_elf_sym *s = &obj->elf->syms[i];

		if (s->shndx == sec_idx && !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

static int init_btf_maps(struct bpfbox_object *obj)
{
	const struct btf_type *sec;
	const struct btf_var_secinfo *vi;
	uint32_t i;
	int id, err;

	if (obj->maps_shndx < 0)
		return 0;
	if (!obj->btf)
		return bb_err(EINVAL,
			      "%s: maps in section .maps need BTF; compile with clang -g",
			      obj->path);
	id = find_maps_datasec(obj);
	if (id < 0)
		return id;
	sec = bb_btf_type(obj->btf, id);
	vi = bb_btf_secinfos(sec);
	for (i = 0; i < bb_btf_vlen(sec); i++) {
		const struct btf_type *var = bb_btf_type(obj->btf, vi[i].type);
		const struct bb_elf_sym *sym;
		struct bpfbox_map *map;
		const char *name;

		if (!var || bb_btf_kind(var) != BTF_KIND_VAR)
			return bb_err(EINVAL, "%s: .maps entry %u is not a variable",
				      obj->path, i);
		name = bb_btf_type_name(obj->btf, var);
		sym = find_var_sym(obj, obj->maps_shndx, name);
		if (!sym)
			return bb_err(EINVAL, "%s: map %s has no ELF symbol in .maps",
				      obj->path, name);
		map = add_map(obj);
		if (!map || !(map->name = strdup(name)))
			return bb_err(ENOMEM, "out of memory");
		map->kind = BB_MAP_USER;
		map->sec_idx = obj->maps_shndx;
		map->sec_off = sym->value;
		err = parse_map_def(obj, map, var->type, false);
		if (err)
			return err;
		/* initialised slots ('values' = {...}) extend past the type */
		if (sym->size > map->def_size)
			map->def_size = sym->size;
	}
	return 0;
}

static bool has_prefix_sec(const char *name, const char *pfx)
{
	size_t n = strlen(pfx);

	return !strncmp(name, pfx, n) && (name[n] == '\0' || name[n] == '.');
}

/*
 * libbpf's naming, so maps look the same in `map show` whichever loader
 * made them: ".data" gets up to 8 characters of the object name as a
 * prefix ("myobj.data"); custom sections (".data.foo") keep their name.
 */
static char *data_map_name(const struct bpfbox_object *obj, const char *sec)
{
	char name[BPF_OBJ_NAME_LEN_], *p;
	size_t sfx_len = strlen(sec) > 7 ? strlen(sec) : 7;
	size_t pfx_len = 0;

	if (!strchr(sec + 1, '.')) {
		pfx_len = BPF_OBJ_NAME_LEN_ - sfx_len - 1;
		if (pfx_len > strlen(obj->name))
			pfx_len = strlen(obj->name);
		if (sfx_len >= BPF_OBJ_NAME_LEN_ - 1)
			pfx_len = 0;
	}
	snprintf(name, sizeof(name), "%.*s%.*s", (int)pfx_len, obj->name,
		 (int)sfx_len, sec);
	for (p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '.')
			*p = '_';
	return strdup(name);
}

/*
 * libbpf maps global data into user space (BPF_F_MMAPABLE) only when the
 * section holds a non-static variable: string literals alone stay private.
 */
static bool datasec_has_global(const struct bb_btf *btf, int id)
{
	const struct btf_type *sec = bb_btf_type(btf, id);
	const struct btf_var_secinfo *vi = bb_btf_secinfos(sec);
	uint32_t i;

	for (i = 0; i < bb_btf_vlen(sec); i++) {
		const struct btf_type *v = bb_btf_type(btf, vi[i].type);

		if (v && bb_btf_kind(v) == BTF_KIND_VAR &&
		    bb_btf_var(v)->linkage != BTF_VAR_STATIC)
			return true;
	}
	return false;
}

static int add_data_map(struct bpfbox_object *obj, int idx,
			enum bb_map_kind kind)
{
	const struct bb_elf_sec *s = &obj->elf->secs[idx];
	struct bpfbox_map *map;
	int id;

	if (s->size > UINT32_MAX)
		return bb_err(E2BIG, "%s: section %s is too large (%llu bytes)",
			      obj->path, s->name, (unsigned long long)s->size);
	map = add_map(obj);
	if (!map)
		return bb_err(ENOMEM, "out of memory");
	map->kind = kind;
	map->sec_idx = idx;
	map->name = data_map_name(obj, s->name);
	map->sec_name = strdup(s->name);
	if (!map->name || !map->sec_name)
		return bb_err(ENOMEM, "out of memory");
	map->type = BPF_MAP_TYPE_ARRAY;
	map->key_size = 4;
	map->value_size = s->size;
	map->max_entries = 1;
	if (kind == BB_MAP_RODATA)
		map->map_flags |= BPF_F_RDONLY_PROG;
	if (kind != BB_MAP_BSS) {
		map->init_data = s->data;
		map->init_size = s->size;
	}
	if (obj->btf) {
		id = bb_btf_find(obj->btf, s->name, BTF_KIND_DATASEC);
		if (id > 0)
			map->btf_value_type_id = id;
		if (id > 0 && datasec_has_global(obj->btf, id))
			map->map_flags |= BPF_F_MMAPABLE;
	}
	return 0;
}

static int init_data_maps(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	for (i = 1; i < obj->elf->nsecs; i++) {
		const struct bb_elf_sec *s = &obj->elf->secs[i];
		enum bb_map_kind kind;

		if (!s->size || (s->flags & SHF_EXECINSTR))
			continue;
		if (s->type == SHT_PROGBITS && has_prefix_sec(s->name, ".data"))
			kind = BB_MAP_DATA;
		else if (s->type == SHT_PROGBITS &&
			 has_prefix_sec(s->name, ".rodata"))
			kind = BB_MAP_RODATA;
		else if (s->type == SHT_NOBITS && has_prefix_sec(s->name, ".bss"))
			kind = BB_MAP_BSS;
		else
			continue;
		err = add_data_map(obj, i, kind);
		if (err)
			return err;
	}
	return 0;
}

/* one read-only array holds every __kconfig value, as in libbpf */
static int init_kconfig_map(struct bpfbox_object *obj)
{
	struct bpfbox_map *map;
	int id;

	if (!obj->kconfig_size)
		return 0;
	map = add_map(obj);
	if (!map)
		return bb_err(ENOMEM, "out of memory");
	map->kind = BB_MAP_KCONFIG;
	map->sec_idx = -1;
	map->name = data_map_name(obj, ".kconfig");
	map->sec_name = strdup(".kconfig");
	if (!map->name || !map->sec_name)
		return bb_err(ENOMEM, "out of memory");
	map->type = BPF_MAP_TYPE_ARRAY;
	map->key_size = 4;
	map->value_size = obj->kconfig_size;
	map->max_entries = 1;
	map->map_flags = BPF_F_RDONLY_PROG;
	id = bb_btf_find(obj->btf, ".kconfig", BTF_KIND_DATASEC);
	if (id > 0) {
		map->btf_value_type_id = id;
		if (datasec_has_global(obj->btf, id))
			map->map_flags |= BPF_F_MMAPABLE;
	}
	obj->kconfig_data = calloc(1, obj->kconfig_size);
	if (!obj->kconfig_data)
		return bb_err(ENOMEM, "out of memory");
	map->init_data = obj->kconfig_data;
	map->init_size = obj->kconfig_size;
	return 0;
}

int bb_object_init_maps(struct bpfbox_object *obj)
{
	int err = init_btf_maps(obj);

	if (!err)
		err = init_data_maps(obj);
	return err ? err : init_kconfig_map(obj);
}

int bb_object_find_map_by_sec_off(const struct bpfbox_object *obj,
				  int sec_idx, uint64_t off)
{
	size_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (obj->maps[i].kind == BB_MAP_USER &&
		    obj->maps[i].sec_idx == sec_idx &&
		    obj->maps[i].sec_off == off)
			return i;
	return -ENOENT;
}

int bb_object_find_data_map(const struct bpfbox_object *obj, int sec_idx)
{
	size_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (obj->maps[i].kind != BB_MAP_USER &&
		    obj->maps[i].kind != BB_MAP_KCONFIG &&
		    obj->maps[i].sec_idx == sec_idx)
			return i;
	return -ENOENT;
}
