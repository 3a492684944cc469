/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a map's entries (rmap.c), shared by bpfbox run (run_maps.c:
 * plain entries, globals, --clear; run_hists.c: histograms) and bpfbox
 * export. */
#ifndef BB_CLI_RUN_MAPS_H
#define BB_CLI_RUN_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpfbox_map;
struct bb_btf;
struct bb_vw;
struct bb_hist_spec;

/* the kinds of map rmap reads: hash, array, LRU, per-CPU, LPM trie */
bool rmap_readable(const struct bpfbox_map *m);
bool rmap_is_array(const struct bpfbox_map *m);
/* a ring buffer or perf event array */
bool rmap_is_channel(const struct bpfbox_map *m);

/* one map as read from the kernel */
struct rmap {
	struct bpfbox_map *m;
	const struct bb_btf *btf;	/* the object's (may be NULL) */
	int ncpus;			/* 1, or possible CPUs (per-CPU maps) */
	size_t stride;			/* bytes per CPU in a value read */
	size_t vsize;			/* bytes a lookup writes */
};

/* m's value layout; btf: the object's (may be NULL). 0 or -errno */
int rmap_init(struct rmap *v, const struct bb_btf *btf, struct bpfbox_map *m);

enum rmap_read {
	RMAP_READ_AUTO = 0,	/* batch, else key by key */
	RMAP_READ_BATCH,	/* batch only: -EOPNOTSUPP without it */
	RMAP_READ_PER_KEY,	/* get_next_key + lookup */
};

/*
 * fn(key, value) on every entry (value: vsize bytes); fn returns 0 to
 * go on, > 0 to stop there, < 0 an error. 0 or -errno. rmap_walk reads
 * key by key; rmap_walk_read as told, *batched (if given) saying
 * whether the batch command did it.
 */
typedef int (*rmap_fn)(const struct rmap *v, const void *key,
		       const void *val, void *arg);
int rmap_walk(const struct rmap *v, rmap_fn fn, void *arg);
int rmap_walk_read(const struct rmap *v, enum rmap_read how, bool *batched,
		   rmap_fn fn, void *arg);
/* an array entry never written (all zeros): left out by both commands */
bool rmap_unused(const struct rmap *v, const void *val);

/*
 * Histogram counters of one entry (lib/hist.h shapes), summed over the
 * CPUs: the value's slots into vals[0..s->nslots), or the key's bucket
 * index and the value's count. -EINVAL when the BTF spec does not fit
 * the map's sizes.
 */
int rmap_hist_slots(const struct rmap *v, const struct bb_hist_spec *s,
		    const void *val, uint64_t *vals);
int rmap_hist_entry(const struct rmap *v, const struct bb_hist_spec *s,
		    const void *key, const void *val, uint64_t *idx,
		    uint64_t *cnt);

/* a value of type id (or hex without one) as compact JSON, malloc'd */
char *rmap_fmt(const struct bb_btf *btf, uint32_t id, const void *p,
	       size_t n);
/* the same into a JSON writer */
void rmap_json(struct bb_vw *w, const struct bb_btf *btf, uint32_t id,
	       const void *p, size_t n);
/* the label printed for a key: "name[KEY]" ("name" for a one-entry array) */
void rmap_label(const struct rmap *v, const void *key, char *buf, size_t len);

/* run_hists.c: the map's histograms; 0 or -errno */
int run_hists_print(const struct rmap *v, const struct bb_hist_spec *spec,
		    bool json);

#endif
