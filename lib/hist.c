// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Histograms in maps: recognising them from BTF, and laying them out as
 * libbpf-tools' print_log2_hist / print_linear_hist do (see hist.h).
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "btf.h"
#include "btf_value.h"
#include "hist.h"

/* a name holds word (any case): "read_lat_hist" holds "hist" */
static bool name_has(const char *name, const char *word)
{
	return name && strcasestr(name, word);
}

static bool is_counter_int(const struct btf_type *t)
{
	uint32_t enc;

	if (!t || bb_btf_kind(t) != BTF_KIND_INT)
		return false;
	enc = bb_btf_int_encoding(t);
	if (enc & (BTF_INT_CHAR | BTF_INT_BOOL))
		return false;
	return (t->size == 4 || t->size == 8) &&
	       bb_btf_int_bits(t) == t->size * 8 && !bb_btf_int_offset(t);
}

/* an integer usable as a bucket index: 1 to 8 bytes */
static bool is_index_int(const struct btf_type *t)
{
	if (!t || bb_btf_kind(t) != BTF_KIND_INT)
		return false;
	if (bb_btf_int_encoding(t) & BTF_INT_BOOL)
		return false;
	return t->size >= 1 && t->size <= 8 &&
	       bb_btf_int_bits(t) == t->size * 8 && !bb_btf_int_offset(t);
}

static const struct btf_type *resolved(const struct bb_btf *btf, uint32_t id)
{
	return id ? bb_btf_type(btf, bb_btf_skip_mods(btf, id)) : NULL;
}

/*
 * The column title from a name's '_'-separated words: "lat_us" and
 * "usecs_hist" are in usecs. Without a unit word: "value", as in bcc.
 */
static void unit_from(const char *name, char *unit, size_t len)
{
	static const char *const map[][2] = {
		{ "ns", "nsecs" }, { "nsec", "nsecs" }, { "nsecs", "nsecs" },
		{ "us", "usecs" }, { "usec", "usecs" }, { "usecs", "usecs" },
		{ "ms", "msecs" }, { "msec", "msecs" }, { "msecs", "msecs" },
		{ "bytes", "bytes" }, { "kbytes", "kbytes" },
	};
	const char *p = name, *end;
	size_t i, n;

	while (p && *p) {
		end = strchr(p, '_');
		n = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			if (strlen(map[i][0]) == n && !strncasecmp(p, map[i][0], n)) {
				snprintf(unit, len, "%s", map[i][1]);
				return;
			}
		}
		p = end ? end + 1 : NULL;
	}
}

static void finish(struct bb_hist_spec *s, const char *map_name,
		   const char *member)
{
	if (name_has(map_name, "linear") || name_has(member, "linear"))
		s->kind = BB_HIST_LINEAR;
	else
		s->kind = BB_HIST_LOG2;
	snprintf(s->member, sizeof(s->member), "%s", member ? member : "");
	snprintf(s->unit, sizeof(s->unit), "value");
	unit_from(member, s->unit, sizeof(s->unit));
	unit_from(map_name, s->unit, sizeof(s->unit));
}

/* T[N] of counters, N >= 2: fills nslots and slot_size */
static bool counter_array(const struct bb_btf *btf, const struct btf_type *t,
			  struct bb_hist_spec *s)
{
	const struct btf_array *a;

	if (!t || bb_btf_kind(t) != BTF_KIND_ARRAY)
		return false;
	a = bb_btf_array(t);
	if (a->nelems < 2 || !is_counter_int(resolved(btf, a->type)))
		return false;
	s->nslots = a->nelems;
	s->slot_size = resolved(btf, a->type)->size;
	return true;
}

static int detect_in_value(const struct bb_btf *btf, const char *map_name,
			   uint32_t value_type, struct bb_hist_spec *s)
{
	const struct btf_type *t = resolved(btf, value_type);
	const struct btf_member *m;
	const char *mname;
	uint32_t i, bits;

	if (!t)
		return 0;
	if (bb_btf_kind(t) == BTF_KIND_ARRAY) {
		if (!name_has(map_name, "hist") && !name_has(map_name, "dist"))
			return 0;
		if (!counter_array(btf, t, s))
			return 0;
		s->where = BB_HIST_IN_VALUE;
		finish(s, map_name, NULL);
		return 1;
	}
	if (bb_btf_kind(t) != BTF_KIND_STRUCT)
		return 0;
	m = bb_btf_members(t);
	for (i = 0; i < bb_btf_vlen(t); i++, m++) {
		mname = bb_btf_str(btf, m->name_off);
		if (!name_has(mname, "slot") && !name_has(mname, "bucket"))
			continue;
		bits = bb_btf_member_bit_offset(t, m);
		if (bits % 8 || bb_btf_member_bitfield_size(t, m) ||
		    !counter_array(btf, resolved(btf, m->type), s))
			continue;
		s->slots_off = bits / 8;
		if ((uint64_t)s->slots_off + (uint64_t)s->nslots * s->slot_size >
		    t->size)
			return -EINVAL;
		s->where = BB_HIST_IN_VALUE;
		finish(s, map_name, mname);
		return 1;
	}
	return 0;
}

/* the index member of a struct key: named *slot* or *bucket* */
static bool key_index_member(const struct bb_btf *btf,
			     const struct btf_type *t, struct bb_hist_spec *s,
			     const char **name)
{
	const struct btf_member *m = bb_btf_members(t);
	const struct btf_type *mt;
	uint32_t i, bits;

	for (i = 0; i < bb_btf_vlen(t); i++, m++) {
		*name = bb_btf_str(btf, m->name_off);
		if (!name_has(*name, "slot") && !name_has(*name, "bucket"))
			continue;
		mt = resolved(btf, m->type);
		bits = bb_btf_member_bit_offset(t, m);
		if (!is_index_int(mt) || bits % 8 ||
		    bb_btf_member_bitfield_size(t, m) ||
		    bits / 8 + mt->size > t->size)
			continue;
		s->idx_off = bits / 8;
		s->idx_size = mt->size;
		s->grouped = bb_btf_vlen(t) > 1;
		return true;
	}
	return false;
}

static int detect_in_key(const struct bb_btf *btf, const char *map_name,
			 uint32_t key_type, uint32_t value_type,
			 struct bb_hist_spec *s)
{
	const struct btf_type *k = resolved(btf, key_type);
	const struct btf_type *v = resolved(btf, value_type);
	const char *member = NULL;

	if (!k || !is_counter_int(v))
		return 0;
	if (is_index_int(k)) {
		if (!name_has(map_name, "hist") && !name_has(map_name, "dist") &&
		    !name_has(map_name, "slot"))
			return 0;
		s->idx_off = 0;
		s->idx_size = k->size;
	} else if (bb_btf_kind(k) != BTF_KIND_STRUCT ||
		   !key_index_member(btf, k, s, &member)) {
		return 0;
	}
	s->where = BB_HIST_IN_KEY;
	s->cnt_off = 0;
	s->cnt_size = v->size;
	finish(s, map_name, member);
	return 1;
}

int bb_hist_detect(const struct bb_btf *btf, const char *map_name,
		   uint32_t key_type, uint32_t value_type,
		   struct bb_hist_spec *spec)
{
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (!btf || !value_type)
		return 0;
	ret = detect_in_value(btf, map_name, value_type, spec);
	if (ret)
		return ret;
	memset(spec, 0, sizeof(*spec));
	ret = detect_in_key(btf, map_name, key_type, value_type, spec);
	if (ret <= 0)
		memset(spec, 0, sizeof(*spec));
	return ret;
}

uint64_t bb_hist_read(const void *p, uint32_t size)
{
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	case 8:
		memcpy(&v64, p, 8);
		return v64;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */

static void put_stars(FILE *out, uint64_t val, uint64_t val_max, int width)
{
	int stars, i;

	stars = (int)((unsigned __int128)(val < val_max ? val : val_max) *
		      width / val_max);
	for (i = 0; i < stars; i++)
		fputc('*', out);
	for (; i < width; i++)
		fputc(' ', out);
	if (val > val_max)
		fputc('+', out);
}

/* log2 bucket i: [low, high] (bucket 0 holds 0 and 1) */
static void log2_bounds(size_t i, uint64_t *low, uint64_t *high)
{
	*low = i ? 1ULL << i : 0;
	*high = i >= 63 ? UINT64_MAX : (1ULL << (i + 1)) - 1;
}

static int print_log2(FILE *out, const uint64_t *vals, size_t n,
		      const char *unit)
{
	uint64_t val_max = 0, low, high;
	int idx_max = -1, stars, width;
	size_t i;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		if (vals[i])
			idx_max = i;
		if (vals[i] > val_max)
			val_max = vals[i];
	}
	if (idx_max < 0)
		return 0;
	fprintf(out, "%*s%-*s : count    distribution\n",
		idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, unit);
	stars = idx_max <= 32 ? 40 : 20;
	width = idx_max <= 32 ? 10 : 20;
	for (i = 0; i <= (size_t)idx_max; i++) {
		log2_bounds(i, &low, &high);
		fprintf(out, "%*llu -> %-*llu : %-8llu |", width,
			(unsigned long long)low, width,
			(unsigned long long)high, (unsigned long long)vals[i]);
		put_stars(out, vals[i], val_max, stars);
		fputs("|\n", out);
	}
	return 0;
}

static int print_linear(FILE *out, const uint64_t *vals, size_t n,
			const char *unit)
{
	uint64_t val_max = 0;
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		any |= vals[i] != 0;
		if (vals[i] > val_max)
			val_max = vals[i];
	}
	if (!any)
		return 0;
	fprintf(out, "     %-13s : count     distribution\n", unit);
	for (i = 0; i < n; i++) {
		if (!vals[i])
			continue;
		fprintf(out, "        %-10zu : %-8llu |", i,
			(unsigned long long)vals[i]);
		put_stars(out, vals[i], val_max, 40);
		fputs("|\n", out);
	}
	return 0;
}

int bb_hist_print(FILE *out, enum bb_hist_kind kind, const uint64_t *vals,
		  size_t n, const char *unit)
{
	if (!unit || !*unit)
		unit = "value";
	if (kind == BB_HIST_LINEAR)
		print_linear(out, vals, n, unit);
	else
		print_log2(out, vals, n, unit);
	return ferror(out) ? -EIO : 0;
}

void bb_hist_json(struct bb_vw *w, enum bb_hist_kind kind,
		  const uint64_t *vals, size_t n, const char *unit)
{
	uint64_t low, high;
	size_t i, last = 0;
	bool any = false;

	if (kind != BB_HIST_LINEAR && n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		if (vals[i])
			last = i, any = true;
	bb_vw_start_object(w);
	bb_vw_name(w, "type");
	bb_vw_string(w, kind == BB_HIST_LINEAR ? "linear" : "log2");
	bb_vw_name(w, "unit");
	bb_vw_string(w, unit && *unit ? unit : "value");
	bb_vw_name(w, "buckets");
	bb_vw_start_array(w);
	for (i = 0; any && i <= last; i++) {
		if (kind == BB_HIST_LINEAR && !vals[i])
			continue;
		bb_vw_start_object(w);
		if (kind == BB_HIST_LINEAR) {
			bb_vw_name(w, "value");
			bb_vw_uint(w, i);
		} else {
			log2_bounds(i, &low, &high);
			bb_vw_name(w, "low");
			bb_vw_uint(w, low);
			bb_vw_name(w, "high");
			bb_vw_uint(w, high);
		}
		bb_vw_name(w, "count");
		bb_vw_uint(w, vals[i]);
		bb_vw_end_object(w);
	}
	bb_vw_end_array(w);
	bb_vw_end_object(w);
}
