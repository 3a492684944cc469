// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a map's entries from the kernel, shared by `bpfbox run`
 * (printing) and `bpfbox export` (Prometheus): which maps can be read,
 * the per-CPU value layout, the walk (key by key, or with the batch
 * lookup command), and the histogram counters of an entry.
 *
 * Batch lookups (BPF_MAP_LOOKUP_BATCH, 5.6+) copy up to a chunk of
 * entries per syscall instead of two syscalls per key. A hash map's
 * batch holds its bucket's lock only while copying that bucket, so the
 * programs are not held up longer than by single lookups. Kernels or
 * map kinds without the command (kernels before 5.6, a kind whose ops
 * have no batch lookup) say EINVAL or ENOTSUPP on the first
 * call, and auto mode then walks key by key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "hist.h"
#include "map.h"
#include "object.h"
#include "run_maps.h"

#define BATCH_CHUNK	1024	/* entries asked per batch call */
#define BATCH_MAX_CHUNK	(1u << 20)
#define ENOTSUPP	524	/* the kernel's, not in userspace errno.h */

bool rmap_readable(const struct bpfbox_map *m)
{
	switch (m->type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		return true;
	default:
		return false;
	}
}

bool rmap_is_array(const struct bpfbox_map *m)
{
	return m->type == BPF_MAP_TYPE_ARRAY ||
	       m->type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

bool rmap_is_channel(const struct bpfbox_map *m)
{
	return m->type == BPF_MAP_TYPE_RINGBUF ||
	       m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* an array always has every index: the entries never written say nothing */
bool rmap_unused(const struct rmap *v, const void *val)
{
	return rmap_is_array(v->m) && all_zero(val, v->vsize);
}

int rmap_init(struct rmap *v, const struct bb_btf *btf, struct bpfbox_map *m)
{
	int n = 1;

	memset(v, 0, sizeof(*v));
	v->m = m;
	v->btf = btf;
	if (map_is_per_cpu(m->type)) {
		n = map_possible_cpus();
		if (n <= 0)
			return n ? n : -EINVAL;
		/* the kernel lays out each CPU's copy 8-byte aligned */
		v->stride = (m->value_size + 7) & ~7u;
	} else {
		v->stride = m->value_size;
	}
	v->ncpus = n;
	v->vsize = v->stride * n;
	return 0;
}

/* fn's result: < 0 an error, > 0 stop here (not an error) */
static int walk_per_key(const struct rmap *v, rmap_fn fn, void *arg)
{
	uint32_t ksz = v->m->key_size ? v->m->key_size : 1;
	uint8_t *key = calloc(2, ksz), *next = key ? key + ksz : NULL;
	uint8_t *val = calloc(1, v->vsize ? v->vsize : 1);
	bool first = true;
	int err = 0;

	if (!key || !val) {
		err = -ENOMEM;
		goto out;
	}
	while (!bpfbox_map_get_next_key(v->m->fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, ksz);
		/* an entry deleted meanwhile (by the programs) is skipped */
		if (bpfbox_map_lookup_elem(v->m->fd, key, val))
			continue;
		err = fn(v, key, val, arg);
		if (err)
			break;
	}
out:
	free(key);
	free(val);
	return err < 0 ? err : 0;
}

struct batch {
	uint8_t *keys, *vals;
	uint32_t chunk;
	uint64_t cursor[8];	/* the kernel's position: a u32 or a key */
};

static int batch_grow(struct batch *b, const struct rmap *v, uint32_t chunk)
{
	uint32_t ksz = v->m->key_size;
	uint8_t *k, *val;

	if (chunk > BATCH_MAX_CHUNK)
		return -E2BIG;
	k = realloc(b->keys, (size_t)chunk * ksz);
	if (!k)
		return -ENOMEM;
	b->keys = k;
	val = realloc(b->vals, (size_t)chunk * v->vsize);
	if (!val)
		return -ENOMEM;
	b->vals = val;
	b->chunk = chunk;
	return 0;
}

static bool batch_unsupported(int err)
{
	return err == -EINVAL || err == -ENOTSUPP || err == -EOPNOTSUPP ||
	       err == -ENOSYS;
}

/* entries delivered so far: *done; -EOPNOTSUPP when the map has no batch */
static int walk_batch(const struct rmap *v, rmap_fn fn, void *arg)
{
	uint32_t chunk = v->m->max_entries < BATCH_CHUNK ?
			 v->m->max_entries : BATCH_CHUNK, n, i;
	struct batch b = { 0 };
	bool first = true, end = false;
	int err;

	/* the cursor is a key (arrays) or a bucket index (hash maps) */
	if (!v->m->key_size || v->m->key_size > sizeof(b.cursor) || !v->vsize)
		return -EOPNOTSUPP;
	err = batch_grow(&b, v, chunk ? chunk : 1);
	while (!err && !end) {
		n = b.chunk;
		err = bpfbox_map_lookup_batch(v->m->fd, first ? NULL : b.cursor,
					      b.cursor, b.keys, b.vals, &n, 0);
		if (err == -ENOSPC && !n) {
			/* one bucket holds more than a chunk: a bigger one */
			err = batch_grow(&b, v, b.chunk * 2);
			continue;
		}
		if (err == -ENOENT) {
			end = true;
			err = 0;
		} else if (err) {
			if (first && batch_unsupported(err))
				err = -EOPNOTSUPP;
			break;
		}
		first = false;
		for (i = 0; i < n && !err; i++)
			err = fn(v, b.keys + (size_t)i * v->m->key_size,
				 b.vals + (size_t)i * v->vsize, arg);
	}
	free(b.keys);
	free(b.vals);
	return err < 0 ? err : 0;
}

int rmap_walk_read(const struct rmap *v, enum rmap_read how, bool *batched,
		   rmap_fn fn, void *arg)
{
	int err;

	if (batched)
		*batched = false;
	if (how == RMAP_READ_PER_KEY)
		return walk_per_key(v, fn, arg);
	err = walk_batch(v, fn, arg);
	if (!err && batched)
		*batched = true;
	if (err == -EOPNOTSUPP && how == RMAP_READ_AUTO)
		return walk_per_key(v, fn, arg);
	return err;
}

int rmap_walk(const struct rmap *v, rmap_fn fn, void *arg)
{
	return rmap_walk_read(v, RMAP_READ_PER_KEY, NULL, fn, arg);
}

int rmap_hist_slots(const struct rmap *v, const struct bb_hist_spec *s,
		    const void *val, uint64_t *vals)
{
	const uint8_t *p;
	size_t i;
	int cpu;

	if ((uint64_t)s->slots_off + (uint64_t)s->nslots * s->slot_size >
	    v->m->value_size)
		return -EINVAL;	/* BTF bigger than the map's value */
	memset(vals, 0, s->nslots * sizeof(*vals));
	for (cpu = 0; cpu < v->ncpus; cpu++) {
		p = (const uint8_t *)val + cpu * v->stride + s->slots_off;
		for (i = 0; i < s->nslots; i++)
			vals[i] += bb_hist_read(p + i * s->slot_size,
						s->slot_size);
	}
	return 0;
}

int rmap_hist_entry(const struct rmap *v, const struct bb_hist_spec *s,
		    const void *key, const void *val, uint64_t *idx,
		    uint64_t *cnt)
{
	int cpu;

	if ((uint64_t)s->idx_off + s->idx_size > v->m->key_size ||
	    (uint64_t)s->cnt_off + s->cnt_size > v->m->value_size)
		return -EINVAL;
	*cnt = 0;
	for (cpu = 0; cpu < v->ncpus; cpu++)
		*cnt += bb_hist_read((const uint8_t *)val + cpu * v->stride +
				     s->cnt_off, s->cnt_size);
	*idx = bb_hist_read((const uint8_t *)key + s->idx_off, s->idx_size);
	return 0;
}
