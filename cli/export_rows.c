// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the rows of a map's families, one per label set. Two
 * keys can make the same labels (a label dropped or decoded by the
 * config, two addresses inside one function, strings equal up to their
 * NUL): the text format forbids a repeated series, so their values are
 * summed into one row. Rows keep their first-seen order, so a scrape
 * lists series in the map's iteration order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

struct row {
	char *labels;
	int64_t *vals;
};

struct export_rows {
	size_t ncols;
	struct row *rows;	/* in insertion order */
	size_t n, cap;
	uint32_t *slots;	/* open addressing: row index + 1, 0 empty */
	size_t nslots;		/* a power of two, kept above 2n */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
	return h;
}

struct export_rows *export_rows_new(size_t ncols)
{
	struct export_rows *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	rs->ncols = ncols ? ncols : 1;
	rs->nslots = 64;
	rs->slots = calloc(rs->nslots, sizeof(*rs->slots));
	if (!rs->slots) {
		free(rs);
		return NULL;
	}
	return rs;
}

static size_t find(const struct export_rows *rs, const char *labels,
		   bool *found)
{
	size_t mask = rs->nslots - 1, i = hash(labels) & mask;

	for (; rs->slots[i]; i = (i + 1) & mask) {
		if (!strcmp(rs->rows[rs->slots[i] - 1].labels, labels)) {
			*found = true;
			return i;
		}
	}
	*found = false;
	return i;
}

static int rehash(struct export_rows *rs)
{
	size_t n = rs->nslots * 2, i, j;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	free(rs->slots);
	rs->slots = s;
	rs->nslots = n;
	for (i = 0; i < rs->n; i++) {
		for (j = hash(rs->rows[i].labels) & (n - 1); s[j];
		     j = (j + 1) & (n - 1))
			;
		s[j] = (uint32_t)(i + 1);
	}
	return 0;
}

static int64_t *add(struct export_rows *rs, const char *labels, size_t slot)
{
	struct row *r;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;

		r = realloc(rs->rows, cap * sizeof(*r));
		if (!r)
			return NULL;
		rs->rows = r;
		rs->cap = cap;
	}
	r = &rs->rows[rs->n];
	r->labels = strdup(labels);
	r->vals = calloc(rs->ncols, sizeof(*r->vals));
	if (!r->labels || !r->vals) {
		free(r->labels);
		free(r->vals);
		return NULL;
	}
	rs->slots[slot] = (uint32_t)++rs->n;
	return r->vals;
}

int64_t *export_rows_get(struct export_rows *rs, const char *labels,
			 bool *fresh)
{
	bool found;
	size_t slot;

	if (2 * (rs->n + 1) > rs->nslots && rehash(rs))
		return NULL;
	slot = find(rs, labels, &found);
	*fresh = !found;
	if (found)
		return rs->rows[rs->slots[slot] - 1].vals;
	return add(rs, labels, slot);
}

size_t export_rows_count(const struct export_rows *rs)
{
	return rs->n;
}

const char *export_rows_at(const struct export_rows *rs, size_t i,
			   int64_t **vals)
{
	*vals = rs->rows[i].vals;
	return rs->rows[i].labels;
}

void export_rows_free(struct export_rows *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++) {
		free(rs->rows[i].labels);
		free(rs->rows[i].vals);
	}
	free(rs->rows);
	free(rs->slots);
	free(rs);
}
