/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* bpfbox run: reading a map's entries, shared by run_maps.c (plain
 * entries, globals, --clear) and run_hists.c (histograms). */
#ifndef BB_CLI_RUN_MAPS_H
#define BB_CLI_RUN_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpfbox_map;
struct bb_btf;
struct bb_vw;
struct bb_hist_spec;

/* one map as read from the kernel */
struct rmap {
	struct bpfbox_map *m;
	const struct bb_btf *btf;	/* the object's (may be NULL) */
	int ncpus;			/* 1, or possible CPUs (per-CPU maps) */
	size_t stride;			/* bytes per CPU in a value read */
	size_t vsize;			/* bytes a lookup writes */
};

/* fn(key, value) on every entry (value: vsize bytes); 0 or -errno */
typedef int (*rmap_fn)(const struct rmap *v, const void *key,
		       const void *val, void *arg);
int rmap_walk(const struct rmap *v, rmap_fn fn, void *arg);

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
