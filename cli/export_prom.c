// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the object's maps in the Prometheus text exposition
 * format (version 0.0.4), read afresh at every scrape.
 *
 * Each hash, array, LRU or LPM map of SEC(".maps") (event channels are
 * only counted: export_chan.c; other kinds are left out) becomes metric
 * families named
 * bpfbox_<object>_<map>:
 *   - a histogram (lib/hist.h detects it): one histogram family
 *     (export_hist.c);
 *   - an integer value: one family, the key's fields as labels;
 *   - a struct value: one family per integer member,
 *     bpfbox_<object>_<map>_<member>; other members are left out.
 * A family is a counter (named ..._total) when its map's or member's
 * name says it counts (count, calls, total, hits, events, drops,
 * errors), a gauge otherwise: BPF maps hold counts as often as current
 * values (timestamps, sizes), and only the name tells them apart.
 * Per-CPU values are summed; all-zero array entries are left out.
 * At most max_series keys of a map are read per scrape.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfbox.h"
#include "btf.h"
#include "export.h"
#include "hist.h"
#include "map.h"
#include "object.h"

#define LABELS_MAX 2048

static bool is_exported_type(const struct bpfbox_map *m)
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

static bool is_array(const struct bpfbox_map *m)
{
	return m->type == BPF_MAP_TYPE_ARRAY ||
	       m->type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

static bool is_channel(const struct bpfbox_map *m)
{
	return m->type == BPF_MAP_TYPE_RINGBUF ||
	       m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

/* an integer of 1..8 bytes, no bitfield; its size (0: not one) */
static uint32_t int_type(const struct bb_btf *btf, uint32_t id, bool *sign)
{
	const struct btf_type *t;

	if (!btf || !id)
		return 0;
	t = bb_btf_type(btf, bb_btf_skip_mods(btf, id));
	if (!t || bb_btf_kind(t) != BTF_KIND_INT || t->size > 8 || !t->size ||
	    bb_btf_int_bits(t) != t->size * 8 || bb_btf_int_offset(t))
		return 0;
	*sign = bb_btf_int_encoding(t) & BTF_INT_SIGNED;
	return t->size;
}

static bool says_counter(const char *name)
{
	static const char *const words[] = {
		"count", "calls", "total", "hits", "events", "drops", "errors",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(name, words[i]))
			return true;
	return false;
}

/* one integer column of the value: the value itself or a member */
struct column {
	char name[256];		/* the family */
	char member[128];	/* of a struct value, or "" */
	bool counter;
	bool sign;
	uint32_t off, size;
};

struct table {
	struct column *c;
	size_t nc;
	/* rows are gathered in one memstream per column */
	char **text;
	size_t *textlen;
	FILE **out;
};

static int add_column(struct table *t, const char *family, const char *name,
		      const char *member, uint32_t off, uint32_t size, bool sign)
{
	struct column *c = realloc(t->c, (t->nc + 1) * sizeof(*c));
	size_t n;

	if (!c)
		return -ENOMEM;
	t->c = c;
	c += t->nc++;
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", family);
	snprintf(c->member, sizeof(c->member), "%s", member);
	c->counter = says_counter(name);
	n = strlen(c->name);
	if (c->counter && (n < 6 || strcmp(c->name + n - 6, "_total")))
		snprintf(c->name + n, sizeof(c->name) - n, "_total");
	c->sign = sign;
	c->off = off;
	c->size = size;
	return 0;
}

/* the value's integer columns; 0 with none when it has no such shape */
static int columns_of(struct export_map *em, struct table *t)
{
	const struct bb_btf *btf = em->btf;
	uint32_t id = em->m->btf_value_type_id, i, sz;
	const struct btf_type *st;
	const struct btf_member *mb;
	char fam[256], mname[128];
	bool sign;
	int err;

	sz = int_type(btf, id, &sign);
	if (sz)
		return add_column(t, em->family, em->m->name, "", 0, sz, sign);
	if (!btf || !id)
		return 0;
	st = bb_btf_type(btf, bb_btf_skip_mods(btf, id));
	if (!st || bb_btf_kind(st) != BTF_KIND_STRUCT)
		return 0;
	mb = bb_btf_members(st);
	for (i = 0; i < bb_btf_vlen(st); i++) {
		uint32_t bit = bb_btf_member_bit_offset(st, mb + i);

		if (bb_btf_member_bitfield_size(st, mb + i) || bit % 8)
			continue;
		sz = int_type(btf, mb[i].type, &sign);
		if (!sz || bit / 8 + sz > em->m->value_size)
			continue;
		export_prom_name(mname, sizeof(mname), bb_btf_str(btf, mb[i].name_off));
		if (snprintf(fam, sizeof(fam), "%s_%s", em->family, mname) >=
		    (int)sizeof(fam))
			continue;	/* a name that long is not a metric */
		err = add_column(t, fam, mname, mname, bit / 8, sz, sign);
		if (err)
			return err;
	}
	return 0;
}

static int64_t read_int(const uint8_t *p, uint32_t size, bool sign)
{
	uint64_t v = bb_hist_read(p, size);

	if (sign && size < 8 && (v >> (size * 8 - 1)) & 1)
		v |= ~0ULL << (size * 8);
	return (int64_t)v;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

int export_key_labels(struct export_map *em, const void *key,
		      const char *skip, char *buf, size_t len)
{
	char hex[3 * 64 + 8];
	int err;

	/* a one-entry array: its only key says nothing */
	if (is_array(em->m) && em->m->max_entries == 1) {
		buf[0] = '\0';
		return 0;
	}
	err = export_labels(em->btf, em->m->btf_key_type_id, key,
			    em->m->key_size, skip, buf, len);
	if (err != -ENOENT)
		return err;
	map_hex_str(key, em->m->key_size, hex, sizeof(hex));
	return snprintf(buf, len, "key=\"%s\"", hex) < (int)len ? 0 : -ENOSPC;
}

int export_map_walk(struct export_ctx *x, struct export_map *em,
		    export_entry_fn fn, void *arg)
{
	uint32_t ksz = em->m->key_size ? em->m->key_size : 1;
	uint8_t *key = calloc(2, ksz), *next = key ? key + ksz : NULL;
	uint8_t *val = calloc(1, em->vsize ? em->vsize : 1);
	bool first = true;
	int err = 0;

	if (!key || !val) {
		err = -ENOMEM;
		goto out;
	}
	while (!bpfbox_map_get_next_key(em->m->fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, ksz);
		/* deleted meanwhile by the programs: skipped */
		if (bpfbox_map_lookup_elem(em->m->fd, key, val))
			continue;
		if (is_array(em->m) && all_zero(val, em->vsize))
			continue;
		if (em->nseries >= x->max_series) {
			em->truncated = true;
			break;
		}
		err = fn(em, key, val, arg);
		if (err)
			break;
	}
out:
	free(key);
	free(val);
	return err;
}

/* ------------------------------------------------------------------ */
/* Integer values                                                      */

static int put_row(struct export_map *em, const void *key, const void *val,
		   void *arg)
{
	struct table *t = arg;
	char labels[LABELS_MAX];
	const uint8_t *v = val;
	size_t i;
	int cpu;

	if (export_key_labels(em, key, NULL, labels, sizeof(labels))) {
		em->errors++;
		return 0;
	}
	em->nseries++;
	for (i = 0; i < t->nc; i++) {
		const struct column *c = &t->c[i];
		int64_t sum = 0;

		for (cpu = 0; cpu < em->ncpus; cpu++)
			sum += read_int(v + cpu * em->stride + c->off, c->size,
					c->sign);
		fprintf(t->out[i], "%s%s%s%s ", c->name, labels[0] ? "{" : "",
			labels, labels[0] ? "}" : "");
		if (c->sign)
			fprintf(t->out[i], "%" PRId64 "\n", sum);
		else
			fprintf(t->out[i], "%" PRIu64 "\n", (uint64_t)sum);
	}
	return 0;
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nc; i++) {
		if (t->out && t->out[i])
			fclose(t->out[i]);
		if (t->text)
			free(t->text[i]);
	}
	free(t->out);
	free(t->text);
	free(t->textlen);
	free(t->c);
}

/* each column is one family: rows gathered apart, then written whole */
static int write_ints(struct export_ctx *x, struct export_map *em,
		      struct table *t, FILE *f)
{
	size_t i;
	int err;

	t->out = calloc(t->nc, sizeof(*t->out));
	t->text = calloc(t->nc, sizeof(*t->text));
	t->textlen = calloc(t->nc, sizeof(*t->textlen));
	if (!t->out || !t->text || !t->textlen)
		return -ENOMEM;
	for (i = 0; i < t->nc; i++) {
		t->out[i] = open_memstream(&t->text[i], &t->textlen[i]);
		if (!t->out[i])
			return -errno;
	}
	err = export_map_walk(x, em, put_row, t);
	for (i = 0; i < t->nc; i++) {
		fclose(t->out[i]);
		t->out[i] = NULL;
		fprintf(f, "# HELP %s BPF map %s%s%s.\n", t->c[i].name,
			em->m->name, t->c[i].member[0] ? ", member " : "",
			t->c[i].member);
		fprintf(f, "# TYPE %s %s\n", t->c[i].name,
			t->c[i].counter ? "counter" : "gauge");
		fwrite(t->text[i], 1, t->textlen[i], f);
	}
	return err;
}

/* ------------------------------------------------------------------ */

static bool exported(const struct bpfbox_map *m)
{
	return m->kind == BB_MAP_USER && is_exported_type(m) && m->fd >= 0;
}

static int map_init(const struct export_ctx *x, struct export_map *em,
		    struct bpfbox_map *m)
{
	char name[192];
	int n = 1;

	memset(em, 0, sizeof(*em));
	em->m = m;
	em->btf = x->obj->btf;
	if (map_is_per_cpu(m->type)) {
		n = map_possible_cpus();
		if (n <= 0)
			return n ? n : -EINVAL;
		em->stride = (m->value_size + 7) & ~7u;
	} else {
		em->stride = m->value_size;
	}
	em->ncpus = n;
	em->vsize = em->stride * n;
	export_prom_name(name, sizeof(name), m->name);
	if (snprintf(em->family, sizeof(em->family), "%s%s", x->prefix,
		     name) >= (int)sizeof(em->family))
		return -ENAMETOOLONG;
	return 0;
}

static int write_map(struct export_ctx *x, struct export_map *em, FILE *f)
{
	struct bb_hist_spec spec;
	struct table t = { 0 };
	int err;

	if (bb_hist_detect(em->btf, em->m->name, em->m->btf_key_type_id,
			   em->m->btf_value_type_id, &spec) == 1)
		return export_hist_write(x, em, &spec, f);
	err = columns_of(em, &t);
	if (!err && t.nc)
		err = write_ints(x, em, &t, f);
	table_free(&t);
	return err;
}

void export_prom_note(const struct export_ctx *x, FILE *f)
{
	const struct bpfbox_map *m;
	struct export_map em;
	struct bb_hist_spec spec;
	struct table t = { 0 };
	size_t i;

	for (i = 0; i < x->obj->nmaps; i++) {
		m = &x->obj->maps[i];
		if (m->kind != BB_MAP_USER)
			continue;
		if (is_channel(m)) {
			fprintf(f, "bpfbox export: note: map %s (%s) is an event channel: its records are read and counted (bpfbox_export_events_total), not exported\n",
				m->name, bpfbox_map_type_name(m->type));
			continue;
		}
		if (!exported(m)) {
			fprintf(f, "bpfbox export: note: map %s is not exported: export reads hash, array and LPM trie maps\n",
				m->name);
			continue;
		}
		if (map_init(x, &em, (struct bpfbox_map *)m) ||
		    bb_hist_detect(em.btf, m->name, m->btf_key_type_id,
				   m->btf_value_type_id, &spec) == 1)
			continue;
		if (!columns_of(&em, &t) && !t.nc)
			fprintf(f, "bpfbox export: note: map %s is not exported: its value is neither an integer, a struct with integer members nor a histogram\n",
				m->name);
		table_free(&t);
		memset(&t, 0, sizeof(t));
	}
}

/* ------------------------------------------------------------------ */
/* Self-metrics                                                        */

struct map_stat {
	char name[128];
	uint32_t nseries;
	bool truncated;
	int err;
};

static void write_self(struct export_ctx *x, const struct map_stat *st,
		       size_t n, FILE *f)
{
	size_t i;

	fprintf(f, "# HELP bpfbox_export_map_series Label sets a map gave in this scrape (capped at %u).\n"
		"# TYPE bpfbox_export_map_series gauge\n", x->max_series);
	for (i = 0; i < n; i++)
		fprintf(f, "bpfbox_export_map_series{map=\"%s\"} %u\n",
			st[i].name, st[i].nseries);
	fprintf(f, "# HELP bpfbox_export_map_truncated 1 when a map had more keys than --max-series and was cut short.\n"
		"# TYPE bpfbox_export_map_truncated gauge\n");
	for (i = 0; i < n; i++)
		fprintf(f, "bpfbox_export_map_truncated{map=\"%s\"} %d\n",
			st[i].name, st[i].truncated);
	fprintf(f, "# HELP bpfbox_export_map_read_ok 0 when reading a map failed in this scrape.\n"
		"# TYPE bpfbox_export_map_read_ok gauge\n");
	for (i = 0; i < n; i++)
		fprintf(f, "bpfbox_export_map_read_ok{map=\"%s\"} %d\n",
			st[i].name, !st[i].err);
	fprintf(f, "# HELP bpfbox_export_decode_errors_total Keys that could not be turned into labels.\n"
		"# TYPE bpfbox_export_decode_errors_total counter\n"
		"bpfbox_export_decode_errors_total %" PRIu64 "\n"
		"# HELP bpfbox_export_http_errors_total Requests answered with an error status.\n"
		"# TYPE bpfbox_export_http_errors_total counter\n"
		"bpfbox_export_http_errors_total %" PRIu64 "\n"
		"# HELP bpfbox_export_scrapes_total Scrapes of /metrics served.\n"
		"# TYPE bpfbox_export_scrapes_total counter\n"
		"bpfbox_export_scrapes_total %" PRIu64 "\n"
		"# HELP bpfbox_export_scrape_duration_seconds Time this scrape took to read the maps.\n"
		"# TYPE bpfbox_export_scrape_duration_seconds gauge\n"
		"bpfbox_export_scrape_duration_seconds %.9f\n",
		x->decode_errors, x->http_errors, x->scrapes,
		x->last_scrape_secs);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int export_prom_write(struct export_ctx *x, FILE *f)
{
	struct map_stat *st = calloc(x->obj->nmaps + 1, sizeof(*st));
	struct export_map em;
	double t0 = now();
	size_t i, n = 0;

	if (!st)
		return -ENOMEM;
	x->scrapes++;
	/* the channel counts as of now */
	export_chans_consume(x->chans);
	for (i = 0; i < x->obj->nmaps; i++) {
		struct bpfbox_map *m = &x->obj->maps[i];

		if (!exported(m))
			continue;
		st[n].err = map_init(x, &em, m);
		if (!st[n].err)
			st[n].err = write_map(x, &em, f);
		export_prom_name(st[n].name, sizeof(st[n].name), m->name);
		st[n].nseries = em.nseries;
		st[n].truncated = em.truncated;
		x->decode_errors += em.errors;
		n++;
	}
	/* the time the maps took to read: the self-metrics are not in it */
	x->last_scrape_secs = now() - t0;
	write_self(x, st, n, f);
	export_chans_write(x->chans, f);
	free(st);
	return ferror(f) ? -EIO : 0;
}
