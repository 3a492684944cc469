// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the objects' maps in the Prometheus text exposition
 * format (version 0.0.4), read afresh at every scrape.
 *
 * Each hash, array, LRU or LPM map of SEC(".maps") (event channels are
 * only counted: export_chan.c; other kinds are left out) becomes metric
 * families named bpfbox_<object>_<map>:
 *   - a histogram (lib/hist.h detects it): one histogram family
 *     (export_hist.c);
 *   - an integer value: one family, the key's fields as labels;
 *   - a struct value: one family per integer member,
 *     bpfbox_<object>_<map>_<member>; other members are left out.
 * A family is a counter (named ..._total) when its map's or member's
 * name says it counts (count, calls, total, hits, events, drops,
 * errors), a gauge otherwise: BPF maps hold counts as often as current
 * values (timestamps, sizes), and only the name tells them apart. The
 * config (export_conf.h) may say otherwise, rename, scale, and decode
 * or drop labels. Per-CPU values are summed; keys whose labels come out
 * equal are summed (export_rows.c). At most max_series keys of a map
 * are read per scrape.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfbox.h"
#include "btf.h"
#include "err.h"
#include "export.h"
#include "export_conf.h"
#include "hist.h"
#include "map.h"
#include "object.h"

#define LABELS_MAX 2048

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

/* ------------------------------------------------------------------ */
/* The config's say                                                    */

static struct export_metric_conf *entry_of(const struct export_ctx *x,
					   const struct export_obj *o,
					   const char *map, const char *member)
{
	return x->conf ? export_conf_find(x->conf, o->name, map, member) :
			 NULL;
}

/* every entry about this map: its label rules */
static void rules_of(const struct export_ctx *x, const struct export_obj *o,
		     const char *map, struct export_label_rules *r)
{
	struct export_metric_conf *mc;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->dec = x->dec;
	for (i = 0; x->conf && i < x->conf->n; i++) {
		mc = &x->conf->m[i];
		if (strcmp(mc->map, map) || (mc->object &&
					     strcmp(mc->object, o->name)))
			continue;
		if (r->n < EXPORT_MAX_ENTRIES)
			r->mc[r->n++] = mc;
	}
}

/* is a family of this entry (NULL: none) left out? */
static bool left_out(const struct export_ctx *x,
		     const struct export_metric_conf *mc)
{
	if (mc)
		return mc->skip;
	return x->conf && !x->conf->export_unlisted;
}

/* # HELP text: the format escapes \ and newline only */
void export_put_help(FILE *f, const char *family, const char *help)
{
	fprintf(f, "# HELP %s ", family);
	for (; *help; help++) {
		if (*help == '\\')
			fputs("\\\\", f);
		else if (*help == '\n')
			fputs("\\n", f);
		else
			fputc(*help, f);
	}
	fputc('\n', f);
}

/* ------------------------------------------------------------------ */
/* Integer values                                                      */

/* one integer column of the value: the value itself or a member */
struct column {
	char name[256];		/* the family */
	char help[256];
	bool counter;
	bool sign;
	double scale;
	uint32_t off, size;
};

struct table {
	struct column *c;
	size_t nc;
	struct export_rows *rows;
};

/* the family: the entry's name, else bpfbox_<object>_<map>[_<member>] */
static int column_name(struct export_map *em,
		       const struct export_metric_conf *mc,
		       const char *member, struct column *c)
{
	size_t n;
	int w;

	if (mc && mc->name && (mc->member || !member[0]))
		w = snprintf(c->name, sizeof(c->name), "%s", mc->name);
	else if (mc && mc->name)
		w = snprintf(c->name, sizeof(c->name), "%s_%s", mc->name,
			     member);
	else
		w = snprintf(c->name, sizeof(c->name), "%s%s%s", em->family,
			     member[0] ? "_" : "", member);
	if (w < 0 || (size_t)w >= sizeof(c->name))
		return -ENAMETOOLONG;
	n = strlen(c->name);
	if (c->counter && (n < 6 || strcmp(c->name + n - 6, "_total")))
		snprintf(c->name + n, sizeof(c->name) - n, "_total");
	return 0;
}

static int add_column(struct export_ctx *x, struct export_map *em,
		      struct table *t, const char *member, uint32_t off,
		      uint32_t size, bool sign)
{
	struct export_metric_conf *mc =
		entry_of(x, em->o, em->v.m->name, member[0] ? member : NULL);
	struct column c = { .sign = sign, .off = off, .size = size };
	struct column *nc;

	if (mc)
		mc->used = true;
	if (left_out(x, mc))
		return 0;
	c.counter = mc && mc->type != EXPORT_TYPE_AUTO ?
		    mc->type == EXPORT_TYPE_COUNTER :
		    says_counter(member[0] ? member : em->v.m->name);
	c.scale = mc && mc->scale > 0 ? mc->scale : 1.0;
	if (column_name(em, mc, member, &c))
		return 0;	/* a name that long is not a metric */
	if (mc && mc->help)
		snprintf(c.help, sizeof(c.help), "%s", mc->help);
	else
		snprintf(c.help, sizeof(c.help), "BPF map %s%s%s.",
			 em->v.m->name, member[0] ? ", member " : "", member);
	nc = realloc(t->c, (t->nc + 1) * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	t->c = nc;
	t->c[t->nc++] = c;
	return 0;
}

/* the value's integer columns; 0 with none when it has no such shape */
static int columns_of(struct export_ctx *x, struct export_map *em,
		      struct table *t)
{
	const struct bb_btf *btf = em->v.btf;
	uint32_t id = em->v.m->btf_value_type_id, i, sz, bit;
	const struct btf_type *st;
	const struct btf_member *mb;
	char mname[128];
	bool sign;
	int err;

	sz = int_type(btf, id, &sign);
	if (sz)
		return add_column(x, em, t, "", 0, sz, sign);
	if (!btf || !id)
		return 0;
	st = bb_btf_type(btf, bb_btf_skip_mods(btf, id));
	if (!st || bb_btf_kind(st) != BTF_KIND_STRUCT)
		return 0;
	mb = bb_btf_members(st);
	for (i = 0; i < bb_btf_vlen(st); i++) {
		bit = bb_btf_member_bit_offset(st, mb + i);
		if (bb_btf_member_bitfield_size(st, mb + i) || bit % 8)
			continue;
		sz = int_type(btf, mb[i].type, &sign);
		if (!sz || bit / 8 + sz > em->v.m->value_size)
			continue;
		export_prom_name(mname, sizeof(mname),
				 bb_btf_str(btf, mb[i].name_off));
		err = add_column(x, em, t, mname, bit / 8, sz, sign);
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

static int put_row(struct export_map *em, const void *key, const void *val,
		   void *arg)
{
	struct table *t = arg;
	char labels[LABELS_MAX];
	const uint8_t *v = val;
	int64_t *row;
	bool fresh;
	size_t i;
	int cpu;

	if (export_key_labels(em, key, NULL, labels, sizeof(labels))) {
		em->errors++;
		return 0;
	}
	row = export_rows_get(t->rows, labels, &fresh);
	if (!row)
		return -ENOMEM;
	if (!fresh)
		em->st->merged++;
	for (i = 0; i < t->nc; i++)
		for (cpu = 0; cpu < em->v.ncpus; cpu++)
			row[i] += read_int(v + cpu * em->v.stride + t->c[i].off,
					   t->c[i].size, t->c[i].sign);
	return 0;
}

static void put_value(FILE *f, const struct column *c, int64_t v)
{
	if (c->scale != 1.0)
		fprintf(f, "%.17g\n", (c->sign ? (double)v : (double)(uint64_t)v) *
			c->scale);
	else if (c->sign)
		fprintf(f, "%" PRId64 "\n", v);
	else
		fprintf(f, "%" PRIu64 "\n", (uint64_t)v);
}

/* each column is one family, written whole once the map is read */
static int write_ints(struct export_ctx *x, struct export_map *em,
		      struct table *t, FILE *f)
{
	const char *labels;
	int64_t *row;
	size_t i, r;
	int err;

	t->rows = export_rows_new(t->nc);
	if (!t->rows)
		return -ENOMEM;
	err = export_map_walk(x, em, put_row, t);
	em->st->nseries = (uint32_t)export_rows_count(t->rows);
	for (i = 0; i < t->nc; i++) {
		export_put_help(f, t->c[i].name, t->c[i].help);
		fprintf(f, "# TYPE %s %s\n", t->c[i].name,
			t->c[i].counter ? "counter" : "gauge");
		for (r = 0; r < export_rows_count(t->rows); r++) {
			labels = export_rows_at(t->rows, r, &row);
			fprintf(f, "%s%s%s%s ", t->c[i].name,
				labels[0] ? "{" : "", labels,
				labels[0] ? "}" : "");
			put_value(f, &t->c[i], row[i]);
		}
	}
	return err;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

int export_key_labels(struct export_map *em, const void *key,
		      const char *skip, char *buf, size_t len)
{
	char hex[3 * 64 + 8];
	int err;

	/* a one-entry array: its only key says nothing */
	if (rmap_is_array(em->v.m) && em->v.m->max_entries == 1) {
		buf[0] = '\0';
		return 0;
	}
	err = export_labels(em->v.btf, em->v.m->btf_key_type_id, key,
			    em->v.m->key_size, skip, &em->rules, buf, len);
	if (err != -ENOENT)
		return err;
	map_hex_str(key, em->v.m->key_size, hex, sizeof(hex));
	return snprintf(buf, len, "key=\"%s\"", hex) < (int)len ? 0 : -ENOSPC;
}

struct walk {
	struct export_ctx *x;
	struct export_map *em;
	export_entry_fn fn;
	void *arg;
};

static int walk_one(const struct rmap *v, const void *key, const void *val,
		    void *arg)
{
	struct walk *w = arg;

	if (rmap_unused(v, val))
		return 0;
	if (w->em->keys >= w->x->max_series) {
		w->em->st->truncated = true;
		return 1;	/* the cap: stop reading */
	}
	w->em->keys++;
	return w->fn(w->em, key, val, w->arg);
}

int export_map_walk(struct export_ctx *x, struct export_map *em,
		    export_entry_fn fn, void *arg)
{
	static const enum rmap_read how[] = {
		[EXPORT_READ_AUTO] = RMAP_READ_AUTO,
		[EXPORT_READ_BATCH] = RMAP_READ_BATCH,
		[EXPORT_READ_PER_KEY] = RMAP_READ_PER_KEY,
	};
	struct walk w = { .x = x, .em = em, .fn = fn, .arg = arg };

	return rmap_walk_read(&em->v, how[x->read], &em->st->batch, walk_one,
			      &w);
}

/* ------------------------------------------------------------------ */

static bool exported(const struct bpfbox_map *m)
{
	return m->kind == BB_MAP_USER && rmap_readable(m) && m->fd >= 0;
}

static int map_init(struct export_ctx *x, const struct export_obj *o,
		    struct export_map *em, struct bpfbox_map *m,
		    struct export_map_stat *st)
{
	struct export_metric_conf *mc;
	char name[192];
	int err;

	memset(em, 0, sizeof(*em));
	err = rmap_init(&em->v, o->r.obj->btf, m);
	if (err)
		return err;
	em->o = o;
	em->st = st;
	mc = entry_of(x, o, m->name, NULL);
	if (mc)
		mc->used = true;
	em->conf = mc;
	rules_of(x, o, m->name, &em->rules);
	export_prom_name(name, sizeof(name), m->name);
	if (snprintf(em->family, sizeof(em->family), "%s%s", o->prefix,
		     name) >= (int)sizeof(em->family))
		return -ENAMETOOLONG;
	if (em->conf && em->conf->name)
		snprintf(em->family, sizeof(em->family), "%s", em->conf->name);
	return 0;
}

/* the map's histogram shape, with the config's bucket kind; 1 if one */
static int hist_of(const struct export_map *em, struct bb_hist_spec *spec)
{
	const struct bpfbox_map *m = em->v.m;

	if (bb_hist_detect(em->v.btf, m->name, m->btf_key_type_id,
			   m->btf_value_type_id, spec) != 1)
		return 0;
	if (em->conf && em->conf->buckets == EXPORT_BUCKETS_LOG2)
		spec->kind = BB_HIST_LOG2;
	else if (em->conf && em->conf->buckets == EXPORT_BUCKETS_LINEAR)
		spec->kind = BB_HIST_LINEAR;
	return 1;
}

static int write_map(struct export_ctx *x, struct export_map *em, FILE *f)
{
	struct bb_hist_spec spec;
	struct table t = { 0 };
	int err;

	if (hist_of(em, &spec))
		return export_hist_write(x, em, &spec, f);
	err = columns_of(x, em, &t);
	if (!err && t.nc)
		err = write_ints(x, em, &t, f);
	export_rows_free(t.rows);
	free(t.c);
	return err;
}

/* is the map left out by the config as a whole? */
static bool map_left_out(const struct export_ctx *x,
			 const struct export_map *em)
{
	if (em->conf && em->conf->skip)
		return true;
	return x->conf && !x->conf->export_unlisted && !em->rules.n;
}

static void note_obj(struct export_ctx *x, const struct export_obj *o,
		     FILE *f)
{
	struct export_map_stat st;
	const struct bpfbox_map *m;
	struct export_map em;
	struct bb_hist_spec spec;
	struct table t = { 0 };
	size_t i;

	for (i = 0; i < o->r.obj->nmaps; i++) {
		m = &o->r.obj->maps[i];
		if (m->kind != BB_MAP_USER)
			continue;
		if (rmap_is_channel(m)) {
			fprintf(f, "bpfbox export: note: %s: map %s (%s) is an event channel: its records are read and counted (bpfbox_export_events_total), not exported\n",
				o->name, m->name, bpfbox_map_type_name(m->type));
			continue;
		}
		if (!exported(m)) {
			fprintf(f, "bpfbox export: note: %s: map %s is not exported: export reads hash, array and LPM trie maps\n",
				o->name, m->name);
			continue;
		}
		if (map_init(x, o, &em, (struct bpfbox_map *)m, &st) ||
		    map_left_out(x, &em) || hist_of(&em, &spec))
			continue;
		if (!columns_of(x, &em, &t) && !t.nc)
			fprintf(f, "bpfbox export: note: %s: map %s is not exported: %s\n",
				o->name, m->name, x->conf ?
				"the config leaves out every member, or its value is neither an integer, a struct with integer members nor a histogram" :
				"its value is neither an integer, a struct with integer members nor a histogram");
		free(t.c);
		memset(&t, 0, sizeof(t));
	}
}

void export_prom_note(struct export_ctx *x, FILE *f)
{
	size_t i;

	for (i = 0; i < x->nobjs; i++)
		note_obj(x, &x->objs[i], f);
}

static int unused_entry(const struct export_conf *c,
			const struct export_metric_conf *mc)
{
	if (mc->member)
		return bb_err(-EINVAL, "%s:%d: map %s%s%s has no integer member '%s' to export (or it is a histogram, or its map is not exported)",
			      c->source, mc->line, mc->object ? mc->object : "",
			      mc->object ? ":" : "", mc->map, mc->member);
	return bb_err(-EINVAL, "%s:%d: no exported map '%s'%s%s (the notes above name the maps that are not exported; give OBJECT:MAP with several objects)",
		      c->source, mc->line, mc->map,
		      mc->object ? " in object " : "",
		      mc->object ? mc->object : "");
}

/* is field one of the comma-separated names? */
static bool has_name(const char *names, const char *field)
{
	size_t n = strlen(field);
	const char *p = names;

	while ((p = strstr(p, field))) {
		if ((p == names || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

/* every label field the entries of this map name is a label of its key */
static int check_fields(const struct export_ctx *x, const struct export_obj *o,
			const struct bpfbox_map *m)
{
	const struct export_metric_conf *mc;
	struct export_label_rules r;
	char names[1024];
	size_t i, j;

	rules_of(x, o, m->name, &r);
	if (!r.n)
		return 0;
	if (rmap_is_array(m) && m->max_entries == 1)
		names[0] = '\0';	/* a one-entry array has no labels */
	else if (export_label_names(o->r.obj->btf, m->btf_key_type_id,
				    m->key_size, names, sizeof(names)) == -ENOENT)
		snprintf(names, sizeof(names), "key");
	for (i = 0; i < r.n; i++) {
		mc = r.mc[i];
		for (j = 0; j < mc->nlabels; j++)
			if (!has_name(names, mc->labels[j].field))
				return bb_err(-EINVAL, "%s:%d: map %s has no label '%s' (its key makes: %s)",
					      x->conf->source, mc->line,
					      m->name, mc->labels[j].field,
					      names[0] ? names : "no labels");
	}
	return 0;
}

/*
 * After export_prom_note: a config entry that matched no map or member,
 * or a label field no key makes, is a typo that would otherwise change
 * nothing, silently.
 */
int export_prom_check(const struct export_ctx *x)
{
	const struct export_obj *o;
	size_t i, k;
	int err;

	for (i = 0; x->conf && i < x->conf->n; i++)
		if (!x->conf->m[i].used)
			return unused_entry(x->conf, &x->conf->m[i]);
	for (k = 0; x->conf && k < x->nobjs; k++) {
		o = &x->objs[k];
		for (i = 0; i < o->r.obj->nmaps; i++) {
			if (!exported(&o->r.obj->maps[i]))
				continue;
			err = check_fields(x, o, &o->r.obj->maps[i]);
			if (err)
				return err;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t count_maps(const struct export_ctx *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->nobjs; i++)
		n += x->objs[i].r.obj->nmaps;
	return n;
}

static void write_obj(struct export_ctx *x, const struct export_obj *o,
		      FILE *f)
{
	struct export_map_stat *st;
	struct export_map em;
	size_t i;

	export_chans_consume(o->chans);
	for (i = 0; i < o->r.obj->nmaps; i++) {
		struct bpfbox_map *m = &o->r.obj->maps[i];

		if (!exported(m))
			continue;
		st = &x->mstat[x->nmstat];
		memset(st, 0, sizeof(*st));
		st->object = o->name;
		export_prom_name(st->map, sizeof(st->map), m->name);
		st->err = map_init(x, o, &em, m, st);
		if (!st->err && map_left_out(x, &em))
			continue;	/* no self-metrics either */
		if (!st->err)
			st->err = write_map(x, &em, f);
		x->decode_errors += em.errors;
		x->nmstat++;
	}
}

int export_prom_write(struct export_ctx *x, FILE *f)
{
	size_t n = count_maps(x), i;
	double t0 = now();

	if (!x->mstat) {
		x->mstat = calloc(n + 1, sizeof(*x->mstat));
		if (!x->mstat)
			return -ENOMEM;
	}
	x->nmstat = 0;
	x->scrapes++;
	for (i = 0; i < x->nobjs; i++)
		write_obj(x, &x->objs[i], f);
	/* the time the maps took to read: the self-metrics are not in it */
	x->last_scrape_secs = now() - t0;
	export_self_write(x, f);
	return ferror(f) ? -EIO : 0;
}
