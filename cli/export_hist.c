// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: histogram maps (shapes: lib/hist.h) as Prometheus
 * histograms: cumulative buckets with an inclusive upper bound `le`,
 * then +Inf, _sum and _count.
 *
 * Buckets hold integers, so their bounds are exact: log2 slot 0 holds 0
 * and 1 (le="1"), slot i holds [2^i, 2^(i+1)) (le="2^(i+1)-1"); linear
 * slot i holds i (le="i"). The kernel keeps counts only, so _sum is an
 * estimate: each count at the middle of its bucket ((low + high) / 2;
 * exact for linear buckets). Counters in the value: every slot of the
 * array is a bucket. Index in the key: buckets up to the highest index
 * seen in this scrape (log2: at most 64); counts with an index past
 * the last bucket the histogram can have are in +Inf only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "export.h"
#include "hist.h"
#include "object.h"

#define LABELS_MAX 2048

struct group {
	char *labels;		/* the key's labels without the index */
	uint64_t *vals;
	uint64_t beyond;	/* counts past the last bucket */
};

struct hw {
	const struct bb_hist_spec *spec;
	FILE *f;
	size_t nbuckets;	/* index in the key: the most there can be */
	size_t used;		/* index in the key: highest seen + 1 */
	struct group *g;
	size_t ng;
};

static void bounds(enum bb_hist_kind kind, size_t i, uint64_t *lo,
		   uint64_t *hi)
{
	if (kind == BB_HIST_LINEAR) {
		*lo = *hi = i;
		return;
	}
	*lo = i ? 1ULL << i : 0;
	*hi = i >= 63 ? UINT64_MAX : (1ULL << (i + 1)) - 1;
}

static void put_hist(struct hw *h, const char *family, const char *labels,
		     const uint64_t *vals, size_t n, uint64_t beyond)
{
	const char *sep = labels[0] ? "," : "";
	uint64_t cum = 0, lo, hi;
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		bounds(h->spec->kind, i, &lo, &hi);
		cum += vals[i];
		sum += (double)vals[i] * ((double)lo + (double)hi) / 2;
		fprintf(h->f, "%s_bucket{%s%sle=\"%" PRIu64 "\"} %" PRIu64 "\n",
			family, labels, sep, hi, cum);
	}
	cum += beyond;
	fprintf(h->f, "%s_bucket{%s%sle=\"+Inf\"} %" PRIu64 "\n",
		family, labels, sep, cum);
	fprintf(h->f, "%s_sum%s%s%s %.17g\n", family, labels[0] ? "{" : "",
		labels, labels[0] ? "}" : "", sum);
	fprintf(h->f, "%s_count%s%s%s %" PRIu64 "\n", family,
		labels[0] ? "{" : "", labels, labels[0] ? "}" : "", cum);
}

/* counters in the value: one histogram per entry */
static int in_value(struct export_map *em, const void *key, const void *val,
		    void *arg)
{
	struct hw *h = arg;
	const struct bb_hist_spec *s = h->spec;
	char labels[LABELS_MAX];
	uint64_t *vals;
	const uint8_t *p;
	size_t i;
	int cpu;

	if ((uint64_t)s->slots_off + (uint64_t)s->nslots * s->slot_size >
	    em->m->value_size)
		return -EINVAL;	/* BTF bigger than the map's value */
	if (export_key_labels(em, key, NULL, labels, sizeof(labels))) {
		em->errors++;
		return 0;
	}
	vals = calloc(s->nslots ? s->nslots : 1, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (cpu = 0; cpu < em->ncpus; cpu++) {
		p = (const uint8_t *)val + cpu * em->stride + s->slots_off;
		for (i = 0; i < s->nslots; i++)
			vals[i] += bb_hist_read(p + i * s->slot_size,
						s->slot_size);
	}
	em->nseries++;
	put_hist(h, em->family, labels, vals, s->nslots, 0);
	free(vals);
	return 0;
}

static struct group *group_of(struct export_map *em, struct hw *h,
			      const char *labels)
{
	struct group *g;
	size_t i;

	for (i = 0; i < h->ng; i++)
		if (!strcmp(h->g[i].labels, labels))
			return &h->g[i];
	g = realloc(h->g, (h->ng + 1) * sizeof(*g));
	if (!g)
		return NULL;
	h->g = g;
	g = &h->g[h->ng];
	memset(g, 0, sizeof(*g));
	g->labels = strdup(labels);
	g->vals = calloc(h->nbuckets, sizeof(*g->vals));
	if (!g->labels || !g->vals) {
		free(g->labels);
		free(g->vals);
		return NULL;
	}
	h->ng++;
	em->nseries++;
	return g;
}

/* index in the key: this entry's count into its group's bucket */
static int in_key(struct export_map *em, const void *key, const void *val,
		  void *arg)
{
	struct hw *h = arg;
	const struct bb_hist_spec *s = h->spec;
	char labels[LABELS_MAX] = "";
	uint64_t idx, cnt = 0;
	struct group *g;
	int cpu;

	if ((uint64_t)s->idx_off + s->idx_size > em->m->key_size ||
	    (uint64_t)s->cnt_off + s->cnt_size > em->m->value_size)
		return -EINVAL;
	for (cpu = 0; cpu < em->ncpus; cpu++)
		cnt += bb_hist_read((const uint8_t *)val + cpu * em->stride +
				    s->cnt_off, s->cnt_size);
	if (!cnt)
		return 0;
	if (s->grouped &&
	    export_key_labels(em, key, s->member, labels, sizeof(labels))) {
		em->errors++;
		return 0;
	}
	g = group_of(em, h, labels);
	if (!g)
		return -ENOMEM;
	idx = bb_hist_read((const uint8_t *)key + s->idx_off, s->idx_size);
	if (idx >= h->nbuckets) {
		g->beyond += cnt;
		return 0;
	}
	g->vals[idx] += cnt;
	if (idx + 1 > h->used)
		h->used = idx + 1;
	return 0;
}

int export_hist_write(struct export_ctx *x, struct export_map *em,
		      const struct bb_hist_spec *spec, FILE *f)
{
	struct hw h = { .spec = spec };
	char *text = NULL;
	size_t len = 0, i;
	int err;

	/* gathered apart: a failed read must not leave half a family */
	h.f = open_memstream(&text, &len);
	if (!h.f)
		return -errno;
	if (spec->where == BB_HIST_IN_VALUE) {
		err = export_map_walk(x, em, in_value, &h);
	} else {
		h.nbuckets = spec->kind == BB_HIST_LINEAR ?
			     BB_HIST_MAX_BUCKETS : 64;
		err = export_map_walk(x, em, in_key, &h);
		for (i = 0; i < h.ng; i++) {
			put_hist(&h, em->family, h.g[i].labels, h.g[i].vals,
				 h.used, h.g[i].beyond);
			free(h.g[i].labels);
			free(h.g[i].vals);
		}
		free(h.g);
	}
	fclose(h.f);
	fprintf(f, "# HELP %s BPF map %s, a %s histogram%s%s.\n", em->family,
		em->m->name, spec->kind == BB_HIST_LINEAR ? "linear" : "log2",
		spec->unit[0] ? " of " : "", spec->unit);
	fprintf(f, "# TYPE %s histogram\n", em->family);
	if (text)
		fwrite(text, 1, len, f);
	free(text);
	return err;
}
