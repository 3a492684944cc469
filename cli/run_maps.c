// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run: the maps that are not event channels, printed at exit and
 * every -i SECS, keys and values decoded through the object's BTF.
 *
 * Text: one line per entry, NAME[KEY]: VALUE (bpftrace's layout; keys
 * and values that are not plain numbers as compact JSON), all-zero
 * entries of arrays left out; histograms (lib/hist.h) in bcc's layout.
 * Per-CPU values are summed when they are integers or histograms, else
 * shown as a list, one per CPU. The variables of .bss and .data come
 * after the maps, NAME = VALUE.
 * JSON: one line per map: {"map":NAME,"entries":[{"key":K,"value":V}]},
 * {"map":NAME,"histograms":[...]} or {"globals":SECTION,"values":{..}}.
 *
 * Printed: hash, array, LRU and per-CPU variants, LPM tries; other
 * kinds (stacks, queues, program arrays, maps of maps, ...) are named
 * once at the start as not printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_value.h"
#include "cli.h"
#include "hist.h"
#include "map.h"
#include "object.h"
#include "run.h"
#include "run_maps.h"

/* the maps of SEC(".maps") that are neither channels nor printed */
void run_maps_note(const struct run *r)
{
	const struct bpfbox_map *m;
	size_t i;

	for (i = 0; i < r->obj->nmaps; i++) {
		m = &r->obj->maps[i];
		if (m->kind != BB_MAP_USER || rmap_readable(m) ||
		    m->type == BPF_MAP_TYPE_RINGBUF ||
		    m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		fprintf(stderr, "bpfbox run: note: map %s (%s) is not printed: run prints hash, array and LPM trie maps (read it with 'bpfbox map dump name %.15s' while this runs)\n",
			m->name, bpfbox_map_type_name(m->type) ?
			bpfbox_map_type_name(m->type) : "unknown type", m->name);
	}
}

static bool is_ptr(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t = bb_btf_type(btf, bb_btf_skip_mods(btf, id));

	return t && bb_btf_kind(t) == BTF_KIND_PTR;
}

/* the variable of secinfo si that print_globals() shows, or NULL */
static const struct btf_type *shown_var(const struct bb_btf *btf,
					const struct bpfbox_map *m,
					const struct btf_var_secinfo *si)
{
	const struct btf_type *var = bb_btf_type(btf, si->type);

	if (!var || bb_btf_kind(var) != BTF_KIND_VAR ||
	    bb_btf_var(var)->linkage != BTF_VAR_GLOBAL_ALLOCATED ||
	    (uint64_t)si->offset + si->size > m->value_size)
		return NULL;
	/* `struct event *unused_event;` only brings a type into BTF */
	return is_ptr(btf, var->type) ? NULL : var;
}

static bool has_globals(const struct run *r, const struct bpfbox_map *m)
{
	const struct btf_type *sec;
	uint32_t i;

	if ((m->kind != BB_MAP_BSS && m->kind != BB_MAP_DATA) ||
	    !m->btf_value_type_id || !r->obj->btf)
		return false;
	sec = bb_btf_type(r->obj->btf, m->btf_value_type_id);
	if (!sec || bb_btf_kind(sec) != BTF_KIND_DATASEC)
		return false;
	for (i = 0; i < bb_btf_vlen(sec); i++)
		if (shown_var(r->obj->btf, m, bb_btf_secinfos(sec) + i))
			return true;
	return false;
}

bool run_maps_any(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->obj->nmaps; i++)
		if ((r->obj->maps[i].kind == BB_MAP_USER &&
		     rmap_readable(&r->obj->maps[i])) ||
		    has_globals(r, &r->obj->maps[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

char *rmap_fmt(const struct bb_btf *btf, uint32_t id, const void *p, size_t n)
{
	struct bb_value_opts o = { .loose_strings = true };
	char hex[3 * 64 + 8], *s = NULL;

	if (btf && id && !bb_btf_value_format(btf, id, p, n, &o, false, &s))
		return s;
	return strdup(map_hex_str(p, n, hex, sizeof(hex)));
}

void rmap_json(struct bb_vw *w, const struct bb_btf *btf, uint32_t id,
	       const void *p, size_t n)
{
	struct bb_value_opts o = { .loose_strings = true };
	struct bb_vsink sink = bb_vw_sink(w);

	if (btf && id && !bb_btf_value_walk(btf, id, p, n, &o, &sink))
		return;
	map_vw_hex(w, p, n);
}

void rmap_label(const struct rmap *v, const void *key, char *buf, size_t len)
{
	char *k;

	if (rmap_is_array(v->m) && v->m->max_entries == 1) {
		snprintf(buf, len, "%s", v->m->name);
		return;
	}
	k = rmap_fmt(v->btf, v->m->btf_key_type_id, key, v->m->key_size);
	snprintf(buf, len, "%s[%s]", v->m->name, k ? k : "?");
	free(k);
}

/* ------------------------------------------------------------------ */
/* Plain entries                                                       */

/* an integer value type (summed over CPUs), else 0 */
static uint32_t int_size(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t;

	if (!btf || !id)
		return 0;
	t = bb_btf_type(btf, bb_btf_skip_mods(btf, id));
	if (!t || bb_btf_kind(t) != BTF_KIND_INT || t->size > 8 ||
	    bb_btf_int_bits(t) != t->size * 8)
		return 0;
	return t->size;
}

/* a per-CPU value: integers summed, else [cpu0, cpu1, ...] */
static char *percpu_text(const struct rmap *v, const uint8_t *val)
{
	uint32_t id = v->m->btf_value_type_id, isz = int_size(v->btf, id);
	size_t len = 2, i;
	uint64_t sum = 0;
	char *out, *s;
	FILE *f;

	if (isz) {
		for (i = 0; i < (size_t)v->ncpus; i++)
			sum += bb_hist_read(val + i * v->stride, isz);
		if (asprintf(&out, "%llu", (unsigned long long)sum) < 0)
			return NULL;
		return out;
	}
	out = NULL;
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (i = 0; i < (size_t)v->ncpus; i++) {
		s = rmap_fmt(v->btf, id, val + i * v->stride, v->m->value_size);
		fprintf(f, "%s%s", i ? ", " : "[", s ? s : "?");
		free(s);
	}
	fputc(']', f);
	fclose(f);
	return out;
}

struct plain_arg {
	bool json;
	struct bb_vw *w;
};

static int put_entry(const struct rmap *v, const void *key, const void *val,
		     void *arg)
{
	struct plain_arg *a = arg;
	char label[512], *s;

	if (rmap_unused(v, val))
		return 0;
	if (a->json) {
		bb_vw_start_object(a->w);
		bb_vw_name(a->w, "key");
		rmap_json(a->w, v->btf, v->m->btf_key_type_id, key, v->m->key_size);
		bb_vw_name(a->w, "value");
		if (v->ncpus > 1 && int_size(v->btf, v->m->btf_value_type_id)) {
			s = percpu_text(v, val);
			bb_vw_raw(a->w, s ? s : "null");
			free(s);
		} else if (v->ncpus > 1) {
			size_t i;

			bb_vw_start_array(a->w);
			for (i = 0; i < (size_t)v->ncpus; i++)
				rmap_json(a->w, v->btf, v->m->btf_value_type_id,
					  (const uint8_t *)val + i * v->stride,
					  v->m->value_size);
			bb_vw_end_array(a->w);
		} else {
			rmap_json(a->w, v->btf, v->m->btf_value_type_id, val,
				  v->m->value_size);
		}
		bb_vw_end_object(a->w);
		return 0;
	}
	rmap_label(v, key, label, sizeof(label));
	s = v->ncpus > 1 ? percpu_text(v, val) :
	    rmap_fmt(v->btf, v->m->btf_value_type_id, val, v->m->value_size);
	printf("%s: %s\n", label, s ? s : "?");
	free(s);
	return 0;
}

static int print_entries(const struct rmap *v, bool json)
{
	struct plain_arg a = { .json = json };
	int err;

	if (!json)
		return rmap_walk(v, put_entry, &a);
	a.w = bb_vw_new(false);
	if (!a.w)
		return -ENOMEM;
	bb_vw_start_object(a.w);
	bb_vw_name(a.w, "map");
	bb_vw_string(a.w, v->m->name);
	bb_vw_name(a.w, "entries");
	bb_vw_start_array(a.w);
	err = rmap_walk(v, put_entry, &a);
	bb_vw_end_array(a.w);
	bb_vw_end_object(a.w);
	printf("%s\n", bb_vw_buf(a.w, NULL));
	bb_vw_free(a.w);
	return err;
}

/* ------------------------------------------------------------------ */
/* --clear                                                             */

static int clear_map(const struct rmap *v)
{
	uint32_t ksz = v->m->key_size ? v->m->key_size : 1;
	uint8_t *key = calloc(2, ksz), *next = key + ksz;
	uint8_t *zero = calloc(1, v->vsize ? v->vsize : 1);
	int err = 0;

	if (!key || !zero) {
		err = -ENOMEM;
		goto out;
	}
	if (rmap_is_array(v->m)) {
		for (uint32_t i = 0; i < v->m->max_entries && !err; i++)
			err = bpfbox_map_update_elem(v->m->fd, &i, zero, 0);
		goto out;
	}
	/* always from the start: the key just deleted leads nowhere; at
	 * most twice the map's size, as programs may add keys meanwhile */
	for (uint64_t n = 0; n < 2ULL * v->m->max_entries + 1 &&
	     !bpfbox_map_get_next_key(v->m->fd, NULL, next); n++) {
		memcpy(key, next, ksz);
		if (bpfbox_map_delete_elem(v->m->fd, key) && errno != ENOENT) {
			err = -errno;
			break;
		}
	}
out:
	free(key);
	free(zero);
	return err;
}

/* ------------------------------------------------------------------ */
/* Globals: .bss and .data                                             */

static void print_globals(const struct run *r, struct bpfbox_map *m)
{
	const struct btf_type *sec = bb_btf_type(r->obj->btf, m->btf_value_type_id);
	const struct btf_var_secinfo *si;
	struct bb_vw *w = NULL;
	uint8_t *val = calloc(1, m->value_size ? m->value_size : 1);
	uint32_t key = 0, i;
	char *s;

	if (!val || !sec || bb_btf_kind(sec) != BTF_KIND_DATASEC ||
	    bpfbox_map_lookup_elem(m->fd, &key, val))
		goto out;
	if (r->json && !(w = bb_vw_new(false)))
		goto out;
	if (w) {
		bb_vw_start_object(w);
		bb_vw_name(w, "globals");
		bb_vw_string(w, m->sec_name);
		bb_vw_name(w, "values");
		bb_vw_start_object(w);
	}
	si = bb_btf_secinfos(sec);
	for (i = 0; i < bb_btf_vlen(sec); i++) {
		const struct btf_type *var = shown_var(r->obj->btf, m, si + i);

		if (!var)
			continue;
		if (w) {
			bb_vw_name(w, bb_btf_type_name(r->obj->btf, var));
			rmap_json(w, r->obj->btf, var->type, val + si[i].offset,
				  si[i].size);
			continue;
		}
		s = rmap_fmt(r->obj->btf, var->type, val + si[i].offset,
			     si[i].size);
		printf("%s = %s\n", bb_btf_type_name(r->obj->btf, var),
		       s ? s : "?");
		free(s);
	}
	if (w) {
		bb_vw_end_object(w);
		bb_vw_end_object(w);
		printf("%s\n", bb_vw_buf(w, NULL));
	}
out:
	bb_vw_free(w);
	free(val);
}

/* ------------------------------------------------------------------ */

static int print_map(struct run *r, struct bpfbox_map *m)
{
	struct bb_hist_spec spec;
	struct rmap v;
	int err;

	err = rmap_init(&v, r->obj->btf, m);
	if (err)
		return err;
	if (bb_hist_detect(r->obj->btf, m->name, m->btf_key_type_id,
			   m->btf_value_type_id, &spec) == 1)
		err = run_hists_print(&v, &spec, r->json);
	else
		err = print_entries(&v, r->json);
	if (err)
		fprintf(stderr, "bpfbox run: map %s: %s\n", m->name,
			strerror(-err));
	if (r->clear && !err) {
		err = clear_map(&v);
		if (err)
			fprintf(stderr, "bpfbox run: --clear: map %s: %s\n",
				m->name, strerror(-err));
	}
	return 0;
}

static void put_time(const struct run *r)
{
	char buf[16];
	time_t t = time(NULL);
	struct tm tm;

	if (r->json)
		return;
	strftime(buf, sizeof(buf), "%H:%M:%S", localtime_r(&t, &tm));
	printf("\n%s\n", buf);
}

int run_maps_print(struct run *r, bool final)
{
	struct bpfbox_map *m;
	size_t i;

	if (r->no_maps || !run_maps_any(r))
		return 0;
	if (!final)
		put_time(r);
	else if (!r->json)
		putchar('\n');
	for (i = 0; i < r->obj->nmaps; i++) {
		m = &r->obj->maps[i];
		if (m->kind == BB_MAP_USER && rmap_readable(m))
			print_map(r, m);
	}
	for (i = 0; i < r->obj->nmaps; i++) {
		m = &r->obj->maps[i];
		if (has_globals(r, m) && m->fd >= 0)
			print_globals(r, m);
	}
	run_flush(r);
	return 0;
}
