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
 * the last bucket the histogram can have are in +Inf only. A config
 * scale (1e-9: nanoseconds to seconds) multiplies the bounds and _sum;
 * its bucket_max fixes the layout (buckets 0..bucket_max, always), so
 * that hosts and scrapes agree on the `le` set a fleet query sums.
 * Entries whose labels come out equal are one histogram (summed).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "export.h"
#include "export_conf.h"
#include "hist.h"
#include "object.h"

#define LABELS_MAX 2048

struct hw {
	const struct bb_hist_spec *spec;
	size_t nbuckets;	/* the most a histogram has */
	size_t used;		/* index in the key: highest seen + 1 */
	struct export_rows *rows;	/* nbuckets counts, then beyond */
	double scale;
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

static void put_le(FILE *f, uint64_t hi, double scale)
{
	if (scale == 1.0)
		fprintf(f, "%" PRIu64, hi);
	else
		fprintf(f, "%.15g", (double)hi * scale);
}

static void put_hist(const struct hw *h, FILE *f, const char *family,
		     const char *labels, const int64_t *vals, size_t n,
		     uint64_t beyond)
{
	const char *sep = labels[0] ? "," : "";
	uint64_t cum = 0, lo, hi;
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		bounds(h->spec->kind, i, &lo, &hi);
		cum += (uint64_t)vals[i];
		sum += (double)(uint64_t)vals[i] * ((double)lo + (double)hi) / 2;
		fprintf(f, "%s_bucket{%s%sle=\"", family, labels, sep);
		put_le(f, hi, h->scale);
		fprintf(f, "\"} %" PRIu64 "\n", cum);
	}
	cum += beyond;
	fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %" PRIu64 "\n",
		family, labels, sep, cum);
	fprintf(f, "%s_sum%s%s%s %.17g\n", family, labels[0] ? "{" : "",
		labels, labels[0] ? "}" : "", sum * h->scale);
	fprintf(f, "%s_count%s%s%s %" PRIu64 "\n", family,
		labels[0] ? "{" : "", labels, labels[0] ? "}" : "", cum);
}

static int64_t *row_of(struct export_map *em, struct hw *h,
		       const char *labels)
{
	int64_t *row;
	bool fresh;

	row = export_rows_get(h->rows, labels, &fresh);
	if (row && !fresh)
		em->st->merged++;
	return row;
}

/* counters in the value: one histogram per entry */
static int in_value(struct export_map *em, const void *key, const void *val,
		    void *arg)
{
	struct hw *h = arg;
	const struct bb_hist_spec *s = h->spec;
	char labels[LABELS_MAX];
	uint64_t *vals;
	int64_t *row;
	size_t i;
	int err;

	if (export_key_labels(em, key, NULL, labels, sizeof(labels))) {
		em->errors++;
		return 0;
	}
	vals = calloc(s->nslots ? s->nslots : 1, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	err = rmap_hist_slots(&em->v, s, val, vals);
	row = err ? NULL : row_of(em, h, labels);
	if (!err && !row)
		err = -ENOMEM;
	/* past a config's bucket_max: +Inf only */
	for (i = 0; !err && i < s->nslots; i++)
		row[i < h->nbuckets ? i : h->nbuckets] += (int64_t)vals[i];
	free(vals);
	return err;
}

/* index in the key: this entry's count into its group's bucket */
static int in_key(struct export_map *em, const void *key, const void *val,
		  void *arg)
{
	struct hw *h = arg;
	const struct bb_hist_spec *s = h->spec;
	char labels[LABELS_MAX] = "";
	uint64_t idx, cnt;
	int64_t *row;
	int err;

	err = rmap_hist_entry(&em->v, s, key, val, &idx, &cnt);
	if (err || !cnt)
		return err;
	if (s->grouped &&
	    export_key_labels(em, key, s->member, labels, sizeof(labels))) {
		em->errors++;
		return 0;
	}
	row = row_of(em, h, labels);
	if (!row)
		return -ENOMEM;
	if (idx >= h->nbuckets) {
		row[h->nbuckets] += (int64_t)cnt;
		return 0;
	}
	row[idx] += (int64_t)cnt;
	if (idx + 1 > h->used)
		h->used = idx + 1;
	return 0;
}

static void put_header(const struct export_map *em,
		       const struct bb_hist_spec *spec, FILE *f)
{
	char help[256];

	if (em->conf && em->conf->help)
		snprintf(help, sizeof(help), "%s", em->conf->help);
	else
		snprintf(help, sizeof(help), "BPF map %s, a %s histogram%s%s.",
			 em->v.m->name,
			 spec->kind == BB_HIST_LINEAR ? "linear" : "log2",
			 spec->unit[0] ? " of " : "", spec->unit);
	export_put_help(f, em->family, help);
	fprintf(f, "# TYPE %s histogram\n", em->family);
}

int export_hist_write(struct export_ctx *x, struct export_map *em,
		      const struct bb_hist_spec *spec, FILE *f)
{
	struct hw h = { .spec = spec };
	const char *labels;
	int64_t *row;
	size_t i, n;
	int err;

	h.scale = em->conf && em->conf->scale > 0 ? em->conf->scale : 1.0;
	if (spec->where == BB_HIST_IN_VALUE)
		h.nbuckets = spec->nslots;
	else
		h.nbuckets = spec->kind == BB_HIST_LINEAR ?
			     BB_HIST_MAX_BUCKETS : 64;
	/* a fixed layout: the same buckets on every host, every scrape */
	if (em->conf && em->conf->bucket_max >= 0 &&
	    (size_t)em->conf->bucket_max + 1 < h.nbuckets)
		h.nbuckets = (size_t)em->conf->bucket_max + 1;
	h.rows = export_rows_new(h.nbuckets + 1);
	if (!h.rows)
		return -ENOMEM;
	err = export_map_walk(x, em, spec->where == BB_HIST_IN_VALUE ?
			      in_value : in_key, &h);
	if (em->conf && em->conf->bucket_max >= 0)
		n = h.nbuckets;
	else
		n = spec->where == BB_HIST_IN_VALUE ? spec->nslots : h.used;
	em->st->nseries = (uint32_t)export_rows_count(h.rows);
	put_header(em, spec, f);
	for (i = 0; i < export_rows_count(h.rows); i++) {
		labels = export_rows_at(h.rows, i, &row);
		put_hist(&h, f, em->family, labels, row, n,
			 (uint64_t)row[h.nbuckets]);
	}
	export_rows_free(h.rows);
	return err;
}
