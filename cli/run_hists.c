// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run: maps holding histograms (shapes: lib/hist.h), printed as
 * bcc and libbpf-tools print them. Counters in the value make one
 * histogram per key; an index in the key makes one histogram, or one per
 * distinct rest of the key. Per-CPU counters are summed.
 *
 *   NAME[KEY]:
 *        usecs               : count    distribution
 *            0 -> 1          : 3        |****                    |
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "btf_value.h"
#include "hist.h"
#include "object.h"
#include "run_maps.h"

struct group {
	uint8_t *key;		/* the key with its index zeroed */
	uint64_t *vals;
};

struct hists {
	const struct bb_hist_spec *spec;
	bool json;
	struct bb_vw *w;
	/* index in the key: the histograms, built before printing */
	struct group *g;
	size_t ng;
	size_t nbuckets;
	uint64_t beyond;	/* counts in buckets past nbuckets */
};

static void put_one(struct hists *h, const struct rmap *v, const void *key,
		    const uint64_t *vals, size_t n)
{
	char label[512];

	if (h->json) {
		bb_vw_start_object(h->w);
		if (key) {
			bb_vw_name(h->w, "key");
			rmap_json(h->w, v->btf, v->m->btf_key_type_id, key,
				  v->m->key_size);
		}
		bb_vw_name(h->w, "hist");
		bb_hist_json(h->w, h->spec->kind, vals, n, h->spec->unit);
		bb_vw_end_object(h->w);
		return;
	}
	if (key)
		rmap_label(v, key, label, sizeof(label));
	else
		snprintf(label, sizeof(label), "%s", v->m->name);
	printf("%s:\n", label);
	bb_hist_print(stdout, h->spec->kind, vals, n, h->spec->unit);
	putchar('\n');
}

/* counters in the value: one histogram per entry that counted something */
static int in_value(const struct rmap *v, const void *key, const void *val,
		    void *arg)
{
	struct hists *h = arg;
	const struct bb_hist_spec *s = h->spec;
	uint64_t *vals = calloc(s->nslots ? s->nslots : 1, sizeof(*vals));
	bool any = false;
	size_t i;
	int err;

	if (!vals)
		return -ENOMEM;
	err = rmap_hist_slots(v, s, val, vals);
	if (err) {
		free(vals);
		return err;
	}
	for (i = 0; i < s->nslots; i++)
		any |= vals[i] != 0;
	if (any)
		put_one(h, v, key, vals, s->nslots);
	free(vals);
	return 0;
}

static struct group *group_of(struct hists *h, const uint8_t *gkey,
			      size_t ksz)
{
	struct group *g;
	size_t i;

	for (i = 0; i < h->ng; i++)
		if (!memcmp(h->g[i].key, gkey, ksz))
			return &h->g[i];
	g = realloc(h->g, (h->ng + 1) * sizeof(*g));
	if (!g)
		return NULL;
	h->g = g;
	g = &h->g[h->ng];
	g->key = malloc(ksz);
	g->vals = calloc(h->nbuckets, sizeof(*g->vals));
	if (!g->key || !g->vals) {
		free(g->key);
		free(g->vals);
		return NULL;
	}
	memcpy(g->key, gkey, ksz);
	h->ng++;
	return g;
}

/* index in the key: add this entry's count to its group's bucket */
static int in_key(const struct rmap *v, const void *key, const void *val,
		  void *arg)
{
	struct hists *h = arg;
	const struct bb_hist_spec *s = h->spec;
	uint32_t ksz = v->m->key_size;
	uint8_t gkey[256];
	uint64_t idx, cnt;
	struct group *g;
	int err;

	if (ksz > sizeof(gkey))
		return -EINVAL;
	err = rmap_hist_entry(v, s, key, val, &idx, &cnt);
	if (err || !cnt)
		return err;
	memcpy(gkey, key, ksz);
	memset(gkey + s->idx_off, 0, s->idx_size);
	g = group_of(h, gkey, ksz);
	if (!g)
		return -ENOMEM;
	if (idx >= h->nbuckets)
		h->beyond += cnt;
	else
		g->vals[idx] += cnt;
	return 0;
}

static void free_groups(struct hists *h)
{
	size_t i;

	for (i = 0; i < h->ng; i++) {
		free(h->g[i].key);
		free(h->g[i].vals);
	}
	free(h->g);
}

static int walk(const struct rmap *v, struct hists *h)
{
	size_t i;
	int err;

	if (h->spec->where == BB_HIST_IN_VALUE) {
		/* a one-entry array needs no key in its label */
		return rmap_walk(v, in_value, h);
	}
	h->nbuckets = h->spec->kind == BB_HIST_LINEAR ? BB_HIST_MAX_BUCKETS : 64;
	err = rmap_walk(v, in_key, h);
	for (i = 0; !err && i < h->ng; i++)
		put_one(h, v, h->spec->grouped ? h->g[i].key : NULL,
			h->g[i].vals, h->nbuckets);
	if (h->beyond)
		fprintf(stderr, "bpfbox run: map %s: %llu counts in buckets past %zu not shown\n",
			v->m->name, (unsigned long long)h->beyond, h->nbuckets);
	free_groups(h);
	return err;
}

int run_hists_print(const struct rmap *v, const struct bb_hist_spec *spec,
		    bool json)
{
	struct hists h = { .spec = spec, .json = json };
	int err;

	if (!json)
		return walk(v, &h);
	h.w = bb_vw_new(false);
	if (!h.w)
		return -ENOMEM;
	bb_vw_start_object(h.w);
	bb_vw_name(h.w, "map");
	bb_vw_string(h.w, v->m->name);
	bb_vw_name(h.w, "histograms");
	bb_vw_start_array(h.w);
	err = walk(v, &h);
	bb_vw_end_array(h.w);
	bb_vw_end_object(h.w);
	printf("%s\n", bb_vw_buf(h.w, NULL));
	bb_vw_free(h.w);
	return err;
}
