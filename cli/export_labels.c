// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: a map key as Prometheus labels. The key is walked
 * through BTF (lib/btf_value.h) and flattened: each scalar becomes one
 * label, named after its member path joined with '_' (struct members by
 * name, array elements by index), `key` for a key that is a bare scalar.
 * Strings (char arrays) stay strings, enums come by enumerator name,
 * integers in decimal.
 *
 *   struct { __u32 pid; char comm[16]; }  ->  pid="42",comm="bash"
 *   __u32                                 ->  key="7"
 *
 * Also here: names made valid for Prometheus (metrics and labels).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_value.h"
#include "export.h"
#include "export_conf.h"
#include "export_decode.h"

#define MAX_DEPTH 8

struct frame {
	bool array;
	unsigned int idx;	/* array: the element being walked */
	char name[64];		/* object: the member being walked */
};

struct lab {
	struct frame f[MAX_DEPTH];
	int depth;
	const char *skip;
	const struct export_label_rules *rules;
	bool names_only;	/* export_label_names: "a,b,c" */
	char *buf;
	size_t len, pos;
	int err;
};

void export_prom_name(char *dst, size_t len, const char *name)
{
	size_t o = 0;

	if (!len)
		return;
	if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
	      *name == '_') && o + 1 < len)
		dst[o++] = '_';
	for (; *name && o + 1 < len; name++) {
		char c = *name;

		dst[o++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' ? c : '_';
	}
	dst[o] = '\0';
}

int export_label_value(char *dst, size_t len, const char *s, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && s[i]; i++) {
		const char *e = NULL;

		if (s[i] == '\\')
			e = "\\\\";
		else if (s[i] == '"')
			e = "\\\"";
		else if (s[i] == '\n')
			e = "\\n";
		if (o + (e ? 2 : 1) >= len)
			return -ENOSPC;
		if (e) {
			memcpy(dst + o, e, 2);
			o += 2;
		} else {
			dst[o++] = s[i];
		}
	}
	if (!len)
		return -ENOSPC;
	dst[o] = '\0';
	return 0;
}

/* the label name of the scalar at the current position */
static void label_name(const struct lab *l, char *out, size_t len)
{
	char raw[256] = "";
	size_t o = 0;
	int i, n;

	for (i = 0; i < l->depth && o < sizeof(raw); i++) {
		if (l->f[i].array)
			n = snprintf(raw + o, sizeof(raw) - o, "%s%u",
				     o ? "_" : "", l->f[i].idx);
		else
			n = snprintf(raw + o, sizeof(raw) - o, "%s%s",
				     o ? "_" : "", l->f[i].name);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	export_prom_name(out, len, o ? raw : "key");
	/* reserved: __* (Prometheus' own) and le (histogram buckets) */
	if (!strncmp(out, "__", 2) || !strcmp(out, "le")) {
		snprintf(raw, sizeof(raw), "key_%s", out);
		export_prom_name(out, len, raw);
	}
}

static bool skipped(const struct lab *l)
{
	return l->skip && l->skip[0] && l->depth == 1 && !l->f[0].array &&
	       !strcmp(l->f[0].name, l->skip);
}

/* after a value inside an array: on to the next element */
static void next_elem(struct lab *l)
{
	if (l->depth && l->f[l->depth - 1].array)
		l->f[l->depth - 1].idx++;
}

/* the config's rule for the label bpfbox names name, or NULL */
static const struct export_label_conf *rule_of(const struct lab *l,
					       const char *name)
{
	const struct export_label_conf *lc;
	size_t i;

	for (i = 0; l->rules && i < l->rules->n; i++) {
		lc = export_conf_label(l->rules->mc[i], name);
		if (lc)
			return lc;
	}
	return NULL;
}

/*
 * One label: name=val, or as the config says: renamed, dropped, or an
 * integer decoded (a number the decoder does not know stays a number).
 */
static void put_int(struct lab *l, const char *val, size_t n, bool is_int,
		    int64_t iv)
{
	char name[128], esc[512], dec[256];
	const struct export_label_conf *lc;
	int w;

	if (l->err || skipped(l))
		goto out;
	label_name(l, name, sizeof(name));
	if (l->names_only) {
		w = snprintf(l->buf + l->pos, l->len - l->pos, "%s%s",
			     l->pos ? "," : "", name);
		if (w < 0 || (size_t)w >= l->len - l->pos)
			l->err = -ENOSPC;
		else
			l->pos += (size_t)w;
		goto out;
	}
	lc = rule_of(l, name);
	if (lc && lc->decoder == EXPORT_DEC_DROP)
		goto out;
	if (lc && lc->decoder != EXPORT_DEC_NONE && is_int) {
		w = export_decode(l->rules->dec, lc->decoder, iv, dec,
				  sizeof(dec));
		if (w && w != -ENOENT) {
			l->err = w;
			goto out;
		}
		val = dec;
		n = strlen(dec);
	}
	if (export_label_value(esc, sizeof(esc), val, n)) {
		l->err = -ENOSPC;
		goto out;
	}
	w = snprintf(l->buf + l->pos, l->len - l->pos, "%s%s=\"%s\"",
		     l->pos ? "," : "", lc && lc->name ? lc->name : name, esc);
	if (w < 0 || (size_t)w >= l->len - l->pos)
		l->err = -ENOSPC;
	else
		l->pos += (size_t)w;
out:
	next_elem(l);
}

static void put(struct lab *l, const char *val, size_t n)
{
	put_int(l, val, n, false, 0);
}

static void push(struct lab *l, bool array)
{
	if (l->depth >= MAX_DEPTH) {
		l->err = -E2BIG;
		l->depth++;
		return;
	}
	l->f[l->depth].array = array;
	l->f[l->depth].idx = 0;
	l->f[l->depth].name[0] = '\0';
	l->depth++;
}

static void pop(void *ctx)
{
	struct lab *l = ctx;

	if (l->depth > 0)
		l->depth--;
	next_elem(l);
}

static void s_start_object(void *ctx) { push(ctx, false); }
static void s_start_array(void *ctx) { push(ctx, true); }

static void s_name(void *ctx, const char *name)
{
	struct lab *l = ctx;

	if (l->depth > 0 && l->depth <= MAX_DEPTH)
		snprintf(l->f[l->depth - 1].name,
			 sizeof(l->f[0].name), "%s", name);
}

static void s_string(void *ctx, const char *s, size_t n)
{
	put(ctx, s, n);
}

static void s_int64(void *ctx, int64_t v)
{
	char b[32];

	put_int(ctx, b, (size_t)snprintf(b, sizeof(b), "%" PRId64, v), true, v);
}

/* decoders take the bits: an address above 2^63 stays the same bits */
static void s_uint64(void *ctx, uint64_t v)
{
	char b[32];

	put_int(ctx, b, (size_t)snprintf(b, sizeof(b), "%" PRIu64, v), true,
		(int64_t)v);
}

static void s_bool(void *ctx, bool v)
{
	put(ctx, v ? "true" : "false", v ? 4 : 5);
}

static void s_null(void *ctx)
{
	put(ctx, "", 0);
}

static void s_raw(void *ctx, const char *token)
{
	put(ctx, token, strlen(token));
}

static const struct bb_vsink_ops ops = {
	.start_object = s_start_object,
	.end_object = pop,
	.start_array = s_start_array,
	.end_array = pop,
	.name = s_name,
	.string = s_string,
	.int64 = s_int64,
	.uint64 = s_uint64,
	.boolean = s_bool,
	.null = s_null,
	.raw = s_raw,
};

/* walk the key of type id with l's sink: labels (or names) into l->buf */
static int walk_key(struct lab *l, const struct bb_btf *btf, uint32_t id,
		    const void *key, size_t size)
{
	struct bb_value_opts o = { .loose_strings = true, .max_nodes = 256 };
	struct bb_vsink sink = { .ops = &ops, .ctx = l };
	int err;

	if (!l->len)
		return -ENOSPC;
	l->buf[0] = '\0';
	if (!btf || !id)
		return -ENOENT;
	err = bb_btf_value_walk(btf, id, key, size, &o, &sink);
	return err ? err : l->err;
}

int export_labels(const struct bb_btf *btf, uint32_t id, const void *key,
		  size_t size, const char *skip,
		  const struct export_label_rules *rules, char *buf, size_t len)
{
	struct lab l = { .skip = skip, .rules = rules, .buf = buf, .len = len };

	return walk_key(&l, btf, id, key, size);
}

int export_label_names(const struct bb_btf *btf, uint32_t id, size_t size,
		       char *buf, size_t len)
{
	struct lab l = { .names_only = true, .buf = buf, .len = len };
	void *zero = calloc(1, size ? size : 1);
	int err;

	if (!zero)
		return -ENOMEM;
	err = walk_key(&l, btf, id, zero, size);
	free(zero);
	return err;
}
