// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Global data seen from user space, the way skeletons use it: the
 * initial contents of .data/.rodata/.kconfig are writable before load
 * (so .rodata knobs can be set), and after load the map's value is
 * mmap()ed (BPF_F_MMAPABLE) so .bss and .data are read and written while
 * the programs run.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "object.h"

void *bpfbox_map_initial_value(struct bpfbox_map *map, size_t *size)
{
	/* .bss has no initial contents: the kernel zero-fills it */
	if (map->kind == BB_MAP_USER || map->kind == BB_MAP_BSS ||
	    !map->init_data) {
		bb_err(ENOENT, "map %s: no initial value (only .data, .rodata and .kconfig have one)",
		       map->name);
		return NULL;
	}
	if (map->obj->loaded) {
		bb_err(EBUSY, "map %s: already loaded, its initial value is gone (use bpfbox_map_mmap)",
		       map->name);
		return NULL;
	}
	if (size)
		*size = map->kind == BB_MAP_KCONFIG ? map->value_size :
						      map->init_size;
	/*
	 * init_data points into the object's own malloc()ed copy of the
	 * ELF (or its kconfig buffer), so writing it changes what load
	 * puts into the map, and nothing else.
	 */
	return (void *)map->init_data;
}

void *bpfbox_map_mmap(struct bpfbox_map *map)
{
	long page = sysconf(_SC_PAGESIZE);
	int prot = PROT_READ;
	size_t size;
	void *p;

	if (map->mmaped)
		return map->mmaped;
	if (map->fd < 0 || !map->obj->loaded) {
		bb_err(EINVAL, "map %s: not loaded yet (load the object first)",
		       map->name);
		errno = EINVAL;
		return NULL;
	}
	if (!(map->map_flags & BPF_F_MMAPABLE)) {
		bb_err(EINVAL, "map %s: not mmapable (only global data with a non-static variable is)",
		       map->name);
		errno = EINVAL;
		return NULL;
	}
	/* frozen maps refuse writable mappings */
	if (map->kind != BB_MAP_RODATA && map->kind != BB_MAP_KCONFIG)
		prot |= PROT_WRITE;
	size = ((size_t)map->value_size * map->max_entries + page - 1) /
	       page * page;
	if (!size)
		size = page;
	p = mmap(NULL, size, prot, MAP_SHARED, map->fd, 0);
	if (p == MAP_FAILED) {
		int err = errno;

		bb_err(err, "map %s: cannot mmap %zu bytes: %s", map->name,
		       size, strerror(err));
		errno = err;	/* for callers that return -errno */
		return NULL;
	}
	map->mmaped = p;
	map->mmaped_size = size;
	return p;
}
