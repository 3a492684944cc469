// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export --config FILE: the YAML configuration (export_conf.h).
 * libyaml builds the document (yaml_parser_load); this file walks its
 * fixed shape (a mapping, a list of entry mappings, each with a list
 * of label mappings) and never recurses on the document, so anchors,
 * aliases and nesting cannot make the walk deep or long. Every error
 * is "SOURCE:LINE: what is wrong (what is expected)".
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "err.h"
#include "export_conf.h"

#define CONF_MAX_FILE		(1u << 20)	/* export_conf_load */
/* the exporter's family buffer is 256 bytes with _bucket etc. after */
#define CONF_MAX_METRIC		200
#define CONF_MAX_IDENT		127	/* object, map, member, labels */
#define CONF_MAX_HELP		255	/* the exporter's help buffer is 256 */
#define CONF_MAX_DEPTH		16	/* a config is 5 levels deep */
#define CONF_MAX_ANCHORS	256

struct conf_parse {
	yaml_document_t *doc;
	const char *src;
};

/* user text in a message: printable ASCII, cut at 64 bytes */
struct shown {
	char s[72];
};

static const char *show(struct shown *b, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n < 64; i++)
		b->s[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len) {
		memcpy(b->s + n, "...", 3);
		n += 3;
	}
	b->s[n] = '\0';
	return b->s;
}

static int line_of(const yaml_node_t *n)
{
	return n->start_mark.line < INT32_MAX ? (int)n->start_mark.line + 1 :
						INT32_MAX;
}

static yaml_node_t *node_at(struct conf_parse *p, int index)
{
	return yaml_document_get_node(p->doc, index);
}

/* "" ~ null: a key given without a value */
static bool is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* a scalar as a C string (borrowed); no NUL inside, not empty */
static int scalar(struct conf_parse *p, yaml_node_t *n, const char *key,
		  const char **out)
{
	if (n->type != YAML_SCALAR_NODE)
		return bb_err(EINVAL, "%s:%d: %s: expected a single value, not a %s",
			      p->src, line_of(n), key,
			      n->type == YAML_MAPPING_NODE ? "mapping" : "list");
	if (is_null(n) || !n->data.scalar.length)
		return bb_err(EINVAL, "%s:%d: %s: no value (give one or leave the key out)",
			      p->src, line_of(n), key);
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return bb_err(EINVAL, "%s:%d: %s: the value holds a NUL byte",
			      p->src, line_of(n), key);
	*out = (const char *)n->data.scalar.value;
	return 0;
}

static int dup_str(const char *s, char **out)
{
	char *d = strdup(s);

	if (!d)
		return bb_err(ENOMEM, "export config: out of memory");
	free(*out);
	*out = d;
	return 0;
}

/*
 * A name: first character from first, the rest from first or digits,
 * at most max bytes. The message says which rule it broke.
 */
static bool name_char(char ch, const char *extra)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || (ch && strchr(extra, ch));
}

static int check_name(struct conf_parse *p, yaml_node_t *n, const char *key,
		      const char *s, const char *extra, size_t max)
{
	struct shown b;
	size_t i, len = strlen(s);

	if (len > max)
		return bb_err(EINVAL, "%s:%d: %s \"%s\": longer than %zu characters",
			      p->src, line_of(n), key, show(&b, s, len), max);
	for (i = 0; i < len; i++) {
		if (name_char(s[i], extra) ||
		    (i && s[i] >= '0' && s[i] <= '9'))
			continue;
		return bb_err(EINVAL, "%s:%d: %s \"%s\": not a valid name (want [a-zA-Z_%s][a-zA-Z0-9_%s]*)",
			      p->src, line_of(n), key, show(&b, s, len),
			      extra, extra);
	}
	return 0;
}

static int get_ident(struct conf_parse *p, yaml_node_t *n, const char *key,
		     char **out)
{
	const char *s;
	int err = scalar(p, n, key, &s);

	if (!err)
		err = check_name(p, n, key, s, "", CONF_MAX_IDENT);
	return err ?: dup_str(s, out);
}

/* a Prometheus label name, not reserved (__*) and not "le" */
static int get_label_name(struct conf_parse *p, yaml_node_t *n, char **out)
{
	const char *s;
	int err = scalar(p, n, "name", &s);

	if (!err)
		err = check_name(p, n, "label name", s, "", CONF_MAX_IDENT);
	if (err)
		return err;
	if (!strncmp(s, "__", 2))
		return bb_err(EINVAL, "%s:%d: label name \"%s\": names starting with \"__\" are reserved by Prometheus",
			      p->src, line_of(n), s);
	if (!strcmp(s, "le"))
		return bb_err(EINVAL, "%s:%d: label name \"le\": reserved for histogram buckets",
			      p->src, line_of(n));
	return dup_str(s, out);
}

static int get_metric_name(struct conf_parse *p, yaml_node_t *n, char **out)
{
	const char *s;
	int err = scalar(p, n, "name", &s);

	if (!err)
		err = check_name(p, n, "metric name", s, ":", CONF_MAX_METRIC);
	return err ?: dup_str(s, out);
}

/* help: free text, one line of the exposition after escaping */
static int get_help(struct conf_parse *p, yaml_node_t *n, char **out)
{
	const char *s;
	size_t i, len;
	int err = scalar(p, n, "help", &s);

	if (err)
		return err;
	len = strlen(s);
	if (len > CONF_MAX_HELP)
		return bb_err(EINVAL, "%s:%d: help: longer than %d bytes",
			      p->src, line_of(n), CONF_MAX_HELP);
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n' &&
		     s[i] != '\t') || s[i] == 0x7f)
			return bb_err(EINVAL, "%s:%d: help: a control character (byte %zu); only text, tabs and newlines",
				      p->src, line_of(n), i);
	return dup_str(s, out);
}

/*
 * "OBJECT:MAP" or "MAP". The object is the name in the metric names
 * (the file stem, sanitized); a map's name may hold dots (.bss).
 */
static int get_map(struct conf_parse *p, yaml_node_t *n,
		   struct export_metric_conf *m)
{
	struct shown b;
	const char *s, *name, *colon;
	char *obj;
	int err = scalar(p, n, "map", &s);

	if (err)
		return err;
	name = s;
	colon = strchr(s, ':');
	if (colon) {
		if (colon == s || !colon[1] || strchr(colon + 1, ':'))
			return bb_err(EINVAL, "%s:%d: map \"%s\": expected NAME or OBJECT:NAME",
				      p->src, line_of(n),
				      show(&b, s, strlen(s)));
		obj = strndup(s, colon - s);
		if (!obj)
			return bb_err(ENOMEM, "export config: out of memory");
		free(m->object);
		m->object = obj;
		err = check_name(p, n, "object", obj, "", CONF_MAX_IDENT);
		if (err)
			return err;
		name = colon + 1;
	}
	err = check_name(p, n, "map", name, ".", CONF_MAX_IDENT);
	return err ?: dup_str(name, &m->map);
}

static int get_bool(struct conf_parse *p, yaml_node_t *n, const char *key,
		    bool *out)
{
	struct shown b;
	const char *s;
	int err = scalar(p, n, key, &s);

	if (err)
		return err;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
		*out = false;
		return 0;
	}
	return bb_err(EINVAL, "%s:%d: %s: \"%s\" is not true or false (or yes, no)",
		      p->src, line_of(n), key, show(&b, s, strlen(s)));
}

/* one of names[1..n) (names[0] is the default, not written) */
static int get_enum(struct conf_parse *p, yaml_node_t *n, const char *key,
		    const char *const *names, int count, int *out)
{
	struct shown b;
	char choices[128] = "";
	const char *s;
	int i, err = scalar(p, n, key, &s);

	if (err)
		return err;
	for (i = 1; i < count; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
		snprintf(choices + strlen(choices),
			 sizeof(choices) - strlen(choices), "%s%s",
			 i > 1 ? (i + 1 < count ? ", " : " or ") : "", names[i]);
	}
	return bb_err(EINVAL, "%s:%d: %s: \"%s\" is not one of %s",
		      p->src, line_of(n), key, show(&b, s, strlen(s)), choices);
}

static int get_scale(struct conf_parse *p, yaml_node_t *n, double *out)
{
	struct shown b;
	const char *s;
	char *end;
	double d;
	int err = scalar(p, n, "scale", &s);

	if (err)
		return err;
	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(d) || !(d > 0))
		return bb_err(EINVAL, "%s:%d: scale: \"%s\" is not a finite number greater than 0 (e.g. 1e-9, 0.001)",
			      p->src, line_of(n), show(&b, s, strlen(s)));
	*out = d;
	return 0;
}

/*
 * The keys of mapping n, each checked against keys[] (unknown ones
 * named with the valid ones listed) and given once, each value
 * handed to fn with its key's index.
 */
typedef int (*key_fn)(struct conf_parse *p, int key, yaml_node_t *v,
		      void *arg);

static int walk_mapping(struct conf_parse *p, yaml_node_t *n,
			const char *const *keys, const char *where,
			key_fn fn, void *arg)
{
	int first[16] = { 0 }, nkeys, k, err;
	yaml_node_pair_t *pr;
	struct shown b;
	char valid[160] = "";

	for (nkeys = 0; keys[nkeys]; nkeys++)
		snprintf(valid + strlen(valid), sizeof(valid) - strlen(valid),
			 "%s%s", nkeys ? ", " : "", keys[nkeys]);
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *kn = node_at(p, pr->key), *vn = node_at(p, pr->value);
		const char *ks;

		if (!kn || !vn)
			return bb_err(EINVAL, "%s:%d: a broken YAML mapping",
				      p->src, line_of(n));
		if (kn->type != YAML_SCALAR_NODE)
			return bb_err(EINVAL, "%s:%d: %s: a key must be a name, not a %s (valid: %s)",
				      p->src, line_of(kn), where,
				      kn->type == YAML_MAPPING_NODE ? "mapping" : "list",
				      valid);
		ks = (const char *)kn->data.scalar.value;
		for (k = 0; k < nkeys; k++)
			if (strlen(ks) == kn->data.scalar.length &&
			    !strcmp(ks, keys[k]))
				break;
		if (k == nkeys)
			return bb_err(EINVAL, "%s:%d: unknown key \"%s\" %s (valid: %s)",
				      p->src, line_of(kn),
				      show(&b, ks, kn->data.scalar.length),
				      where, valid);
		if (first[k])
			return bb_err(EINVAL, "%s:%d: key \"%s\" given twice %s (first at line %d)",
				      p->src, line_of(kn), keys[k], where,
				      first[k]);
		first[k] = line_of(kn);
		err = fn(p, k, vn, arg);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Duplicates among n items, found by sorting (a config of 1 MiB may
 * hold 100,000 entries): the pair whose second item comes first.
 * 1 and *a < *b, 0 for none, or -ENOMEM.
 */
typedef int (*item_cmp)(const void *base, size_t a, size_t b);
struct dup_ctx {
	const void *base;
	item_cmp cmp;
};

static int dup_sort_cmp(const void *x, const void *y, void *arg)
{
	const struct dup_ctx *d = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int r = d->cmp(d->base, a, b);

	return r ?: (a > b) - (a < b);
}

static int find_dup(const void *base, size_t n, item_cmp cmp, size_t *a,
		    size_t *b)
{
	struct dup_ctx d = { base, cmp };
	size_t *idx, i;
	int found = 0;

	if (n < 2)
		return 0;
	idx = malloc(n * sizeof(*idx));
	if (!idx)
		return bb_err(ENOMEM, "export config: out of memory");
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), dup_sort_cmp, &d);
	for (i = 1; i < n; i++) {
		/* only the first pair of each run of equal items */
		if (cmp(base, idx[i - 1], idx[i]) ||
		    (i > 1 && !cmp(base, idx[i - 2], idx[i - 1])))
			continue;
		if (!found || idx[i] < *b) {
			*a = idx[i - 1];
			*b = idx[i];
		}
		found = 1;
	}
	free(idx);
	return found;
}

static int null_first_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

/* labels: the entry's rules, one per field */

enum { LK_FIELD, LK_NAME, LK_DECODER };
static const char *const label_keys[] = { "field", "name", "decoder", NULL };
static const char *const decoder_names[] = {
	[EXPORT_DEC_NONE] = "none",
	[EXPORT_DEC_KSYM] = "ksym",
	[EXPORT_DEC_SYSCALL] = "syscall",
	[EXPORT_DEC_ERRNO] = "errno",
	[EXPORT_DEC_CGROUP] = "cgroup",
	[EXPORT_DEC_HEX] = "hex",
	[EXPORT_DEC_DROP] = "drop",
};
#define NDECODERS ((int)(sizeof(decoder_names) / sizeof(decoder_names[0])))

static int label_key(struct conf_parse *p, int k, yaml_node_t *v, void *arg)
{
	struct export_label_conf *l = arg;
	int d, err;

	switch (k) {
	case LK_FIELD:
		return get_ident(p, v, "field", &l->field);
	case LK_NAME:
		return get_label_name(p, v, &l->name);
	default:
		if (v->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)v->data.scalar.value, "none")) {
			l->decoder = EXPORT_DEC_NONE;
			return 0;
		}
		err = get_enum(p, v, "decoder", decoder_names, NDECODERS, &d);
		if (!err)
			l->decoder = d;
		return err;
	}
}

static int label_field_cmp(const void *base, size_t a, size_t b)
{
	const struct export_label_conf *l = base;

	return strcmp(l[a].field, l[b].field);
}

/* the label as exported; dropped ones sort last, all alike */
static const char *label_out(const struct export_label_conf *l)
{
	if (l->decoder == EXPORT_DEC_DROP)
		return NULL;
	return l->name ?: l->field;
}

static int label_out_cmp(const void *base, size_t a, size_t b)
{
	const struct export_label_conf *l = base;
	const char *x = label_out(&l[a]), *y = label_out(&l[b]);

	if (!x || !y)
		return !x && !y ? (a > b) - (a < b) : !x - !y;
	return strcmp(x, y);
}

static int labels_unique(struct conf_parse *p, yaml_node_t *seq,
			 const struct export_metric_conf *m)
{
	yaml_node_item_t *items = seq->data.sequence.items.start;
	size_t a, b;
	int r;

	r = find_dup(m->labels, m->nlabels, label_field_cmp, &a, &b);
	if (r < 0)
		return r;
	if (r)
		return bb_err(EINVAL, "%s:%d: label field \"%s\" given twice in this entry (first at line %d)",
			      p->src, line_of(node_at(p, items[b])),
			      m->labels[b].field,
			      line_of(node_at(p, items[a])));
	r = find_dup(m->labels, m->nlabels, label_out_cmp, &a, &b);
	if (r < 0)
		return r;
	if (r)
		return bb_err(EINVAL, "%s:%d: fields \"%s\" and \"%s\" would both be exported as label \"%s\"",
			      p->src, line_of(node_at(p, items[b])),
			      m->labels[a].field, m->labels[b].field,
			      label_out(&m->labels[b]));
	return 0;
}

static int get_labels(struct conf_parse *p, yaml_node_t *n,
		      struct export_metric_conf *m)
{
	yaml_node_item_t *it;
	size_t i = 0;
	int err;

	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return bb_err(EINVAL, "%s:%d: labels: expected a list of labels (- field: NAME ...)",
			      p->src, line_of(n));
	m->nlabels = n->data.sequence.items.top - n->data.sequence.items.start;
	m->labels = calloc(m->nlabels ?: 1, sizeof(*m->labels));
	if (!m->labels) {
		m->nlabels = 0;
		return bb_err(ENOMEM, "export config: out of memory");
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		struct export_label_conf *l = &m->labels[i];
		yaml_node_t *ln = node_at(p, *it);

		if (!ln || ln->type != YAML_MAPPING_NODE)
			return bb_err(EINVAL, "%s:%d: labels: expected a mapping (field, name, decoder) for each label",
				      p->src, line_of(ln ?: n));
		err = walk_mapping(p, ln, label_keys, "in a label", label_key,
				   l);
		if (err)
			return err;
		if (!l->field)
			return bb_err(EINVAL, "%s:%d: a label without field (the label as bpfbox names it: pid, comm, key, ...)",
				      p->src, line_of(ln));
	}
	return labels_unique(p, n, m);
}

/* metrics: one entry per map (or map member) */

enum { EK_MAP, EK_MEMBER, EK_NAME, EK_HELP, EK_TYPE, EK_SCALE, EK_BUCKETS,
       EK_SKIP, EK_LABELS };
static const char *const entry_keys[] = {
	"map", "member", "name", "help", "type", "scale", "buckets", "skip",
	"labels", NULL
};
static const char *const type_names[] = {
	[EXPORT_TYPE_AUTO] = "auto",
	[EXPORT_TYPE_COUNTER] = "counter",
	[EXPORT_TYPE_GAUGE] = "gauge",
};
static const char *const bucket_names[] = {
	[EXPORT_BUCKETS_AUTO] = "auto",
	[EXPORT_BUCKETS_LOG2] = "log2",
	[EXPORT_BUCKETS_LINEAR] = "linear",
};

static int entry_key(struct conf_parse *p, int k, yaml_node_t *v, void *arg)
{
	struct export_metric_conf *m = arg;
	int e, err;

	switch (k) {
	case EK_MAP:
		return get_map(p, v, m);
	case EK_MEMBER:
		return get_ident(p, v, "member", &m->member);
	case EK_NAME:
		return get_metric_name(p, v, &m->name);
	case EK_HELP:
		return get_help(p, v, &m->help);
	case EK_TYPE:
		err = get_enum(p, v, "type", type_names, 3, &e);
		if (!err)
			m->type = e;
		return err;
	case EK_SCALE:
		return get_scale(p, v, &m->scale);
	case EK_BUCKETS:
		err = get_enum(p, v, "buckets", bucket_names, 3, &e);
		if (!err)
			m->buckets = e;
		return err;
	case EK_SKIP:
		return get_bool(p, v, "skip", &m->skip);
	default:
		return get_labels(p, v, m);
	}
}

static int entry_cmp(const void *base, size_t a, size_t b)
{
	const struct export_metric_conf *m = base;

	return null_first_cmp(m[a].object, m[b].object) ?:
	       strcmp(m[a].map, m[b].map) ?:
	       null_first_cmp(m[a].member, m[b].member);
}

static int entries_unique(struct conf_parse *p, const struct export_conf *c)
{
	const struct export_metric_conf *m;
	size_t a, b;
	int r;

	r = find_dup(c->m, c->n, entry_cmp, &a, &b);
	if (r <= 0)
		return r;
	m = &c->m[b];
	return bb_err(EINVAL, "%s:%d: a second entry for map %s%s%s%s%s (the first is at line %d): merge them",
		      p->src, m->line, m->object ?: "", m->object ? ":" : "",
		      m->map, m->member ? " member " : "", m->member ?: "",
		      c->m[a].line);
}

static int get_metrics(struct conf_parse *p, yaml_node_t *n,
		       struct export_conf *c)
{
	yaml_node_item_t *it;
	size_t i = 0;
	int err;

	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return bb_err(EINVAL, "%s:%d: metrics: expected a list of metrics (- map: NAME ...)",
			      p->src, line_of(n));
	c->n = n->data.sequence.items.top - n->data.sequence.items.start;
	c->m = calloc(c->n ?: 1, sizeof(*c->m));
	if (!c->m) {
		c->n = 0;
		return bb_err(ENOMEM, "export config: out of memory");
	}
	for (i = 0; i < c->n; i++)
		c->m[i].scale = 1.0;
	for (it = n->data.sequence.items.start, i = 0;
	     it < n->data.sequence.items.top; it++, i++) {
		struct export_metric_conf *m = &c->m[i];
		yaml_node_t *en = node_at(p, *it);

		if (!en || en->type != YAML_MAPPING_NODE)
			return bb_err(EINVAL, "%s:%d: metrics: expected a mapping (map, member, name, ...) for each metric",
				      p->src, line_of(en ?: n));
		m->line = line_of(en);
		err = walk_mapping(p, en, entry_keys, "in a metric entry",
				   entry_key, m);
		if (err)
			return err;
		if (!m->map)
			return bb_err(EINVAL, "%s:%d: a metric entry without map (map: NAME, or OBJECT:NAME)",
				      p->src, m->line);
	}
	return entries_unique(p, c);
}

enum { TK_UNLISTED, TK_METRICS };
static const char *const top_keys[] = { "export_unlisted", "metrics", NULL };

static int top_key(struct conf_parse *p, int k, yaml_node_t *v, void *arg)
{
	struct export_conf *c = arg;

	if (k == TK_UNLISTED)
		return get_bool(p, v, "export_unlisted", &c->export_unlisted);
	return get_metrics(p, v, c);
}

/* libyaml's complaint, with the line it is about */
static int syntax_error(const yaml_parser_t *ps, const char *text, size_t len,
			const char *src)
{
	size_t line = ps->problem_mark.line, i;

	if (ps->error == YAML_MEMORY_ERROR)
		return bb_err(ENOMEM, "%s: out of memory parsing the YAML", src);
	if (ps->error == YAML_READER_ERROR) {
		/* the reader gives a byte offset, not a mark */
		line = 0;
		for (i = 0; i < ps->problem_offset && i < len; i++)
			line += text[i] == '\n';
	}
	if (ps->context)
		return bb_err(EINVAL, "%s:%zu: YAML: %s (%s at line %zu)", src,
			      line + 1, ps->problem ?: "syntax error",
			      ps->context, ps->context_mark.line + 1);
	return bb_err(EINVAL, "%s:%zu: YAML: %s", src, line + 1,
		      ps->problem ?: "syntax error");
}

/*
 * libyaml spends the square of some counts: its scanner looks at every
 * open flow level at every token ("[[[[..." 500,000 deep, 1 MiB, takes
 * hours) and its loader finds each anchor and alias by walking the
 * anchors before. A first pass over the events stops at bounds far
 * above any config, before that cost.
 */
static int event_bound(const yaml_event_t *ev, int *depth, int *anchors,
		       const char *src)
{
	const yaml_char_t *anchor = NULL;

	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		++*depth;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		++*depth;
		break;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		--*depth;
		break;
	default:
		break;
	}
	if (*depth > CONF_MAX_DEPTH)
		return bb_err(EINVAL, "%s:%zu: nested deeper than %d levels (a config is a mapping with a list of mappings)",
			      src, ev->start_mark.line + 1, CONF_MAX_DEPTH);
	if (anchor && ++*anchors > CONF_MAX_ANCHORS)
		return bb_err(EINVAL, "%s:%zu: more than %d anchors (&NAME)",
			      src, ev->start_mark.line + 1, CONF_MAX_ANCHORS);
	return 0;
}

static int check_bounds(const char *text, size_t len, const char *src)
{
	int depth = 0, anchors = 0, err = 0;
	yaml_parser_t ps;
	yaml_event_t ev;
	bool end = false;

	if (!yaml_parser_initialize(&ps))
		return bb_err(ENOMEM, "%s: out of memory", src);
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	while (!end && !err) {
		if (!yaml_parser_parse(&ps, &ev)) {
			err = syntax_error(&ps, text, len, src);
			break;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		err = event_bound(&ev, &depth, &anchors, src);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	return err;
}

/* a second document after the first: not one config */
static int one_document(yaml_parser_t *ps, const char *text, size_t len,
			const char *src)
{
	yaml_document_t doc;
	yaml_node_t *root;
	int err = 0;

	if (!yaml_parser_load(ps, &doc))
		return syntax_error(ps, text, len, src);
	root = yaml_document_get_root_node(&doc);
	if (root)
		err = bb_err(EINVAL, "%s:%d: a second YAML document: a config is one document",
			     src, line_of(root));
	yaml_document_delete(&doc);
	return err;
}

static int parse_doc(struct conf_parse *p, struct export_conf *c)
{
	yaml_node_t *root = yaml_document_get_root_node(p->doc);

	if (!root || is_null(root))
		return 0;	/* an empty file: the defaults */
	if (root->type != YAML_MAPPING_NODE)
		return bb_err(EINVAL, "%s:%d: expected a mapping at the top (export_unlisted: ..., metrics: ...)",
			      p->src, line_of(root));
	return walk_mapping(p, root, top_keys, "at the top level", top_key, c);
}

int export_conf_parse(const char *text, size_t len, const char *source,
		      struct export_conf **out)
{
	struct conf_parse p = { .src = source ?: "config" };
	struct export_conf *c;
	yaml_parser_t ps;
	yaml_document_t doc;
	int err;

	*out = NULL;
	if (!text) {	/* libyaml asserts a non-NULL string */
		text = "";
		len = 0;
	}
	err = check_bounds(text, len, p.src);
	if (err)
		return err;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->source = strdup(p.src))) {
		free(c);
		return bb_err(ENOMEM, "%s: out of memory", p.src);
	}
	c->export_unlisted = true;
	if (!yaml_parser_initialize(&ps)) {
		export_conf_free(c);
		return bb_err(ENOMEM, "%s: out of memory", p.src);
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	if (!yaml_parser_load(&ps, &doc)) {
		err = syntax_error(&ps, text, len, p.src);
		goto out_parser;
	}
	p.doc = &doc;
	err = parse_doc(&p, c);
	if (!err)
		err = one_document(&ps, text, len, p.src);
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&ps);
	if (err) {
		export_conf_free(c);
		return err;
	}
	*out = c;
	return 0;
}

int export_conf_load(const char *path, struct export_conf **out)
{
	size_t len = 0;
	ssize_t r;
	char *buf;
	int fd, err;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno, "%s: cannot open: %s", path,
			      strerror(errno));
	/* read to one byte past the limit: a pipe has no size to ask */
	buf = malloc(CONF_MAX_FILE + 1);
	if (!buf) {
		close(fd);
		return bb_err(ENOMEM, "%s: out of memory", path);
	}
	while (len <= CONF_MAX_FILE) {
		r = read(fd, buf + len, CONF_MAX_FILE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = bb_err(errno, "%s: cannot read: %s", path,
				     strerror(errno));
			goto out;
		}
		if (!r)
			break;
		len += r;
	}
	if (len > CONF_MAX_FILE)
		err = bb_err(EFBIG, "%s: larger than 1 MiB, the most a config may be",
			     path);
	else
		err = export_conf_parse(buf, len, path, out);
out:
	free(buf);
	close(fd);
	return err;
}

void export_conf_free(struct export_conf *c)
{
	size_t i, j;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		struct export_metric_conf *m = &c->m[i];

		for (j = 0; j < m->nlabels; j++) {
			free(m->labels[j].field);
			free(m->labels[j].name);
		}
		free(m->labels);
		free(m->object);
		free(m->map);
		free(m->member);
		free(m->name);
		free(m->help);
	}
	free(c->m);
	free(c->source);
	free(c);
}

/*
 * The most specific entry: one naming the member beats one for the
 * whole map, then one naming the object beats one for every object.
 * Entries are unique per object+map+member, so there is no tie.
 */
struct export_metric_conf *export_conf_find(const struct export_conf *c,
					    const char *object,
					    const char *map,
					    const char *member)
{
	struct export_metric_conf *best = NULL;
	int best_score = -1, score;
	size_t i;

	if (!c || !map)
		return NULL;
	for (i = 0; i < c->n; i++) {
		struct export_metric_conf *m = &c->m[i];

		if (strcmp(m->map, map))
			continue;
		if (m->object && (!object || strcmp(m->object, object)))
			continue;
		if (m->member && (!member || strcmp(m->member, member)))
			continue;
		score = (m->member ? 2 : 0) + (m->object ? 1 : 0);
		if (score > best_score) {
			best = m;
			best_score = score;
		}
	}
	return best;
}

const struct export_label_conf *
export_conf_label(const struct export_metric_conf *mc, const char *field)
{
	size_t i;

	if (!mc || !field)
		return NULL;
	for (i = 0; i < mc->nlabels; i++)
		if (!strcmp(mc->labels[i].field, field))
			return &mc->labels[i];
	return NULL;
}

int export_decoder_parse(const char *name, enum export_decoder *out)
{
	struct shown b;
	int i;

	for (i = 0; name && i < NDECODERS; i++) {
		if (!strcmp(name, decoder_names[i])) {
			*out = i;
			return 0;
		}
	}
	return bb_err(EINVAL, "unknown decoder \"%s\" (ksym, syscall, errno, cgroup, hex, drop or none)",
		      name ? show(&b, name, strlen(name)) : "");
}

const char *export_decoder_name(enum export_decoder d)
{
	if ((int)d < 0 || (int)d >= NDECODERS)
		return "?";
	return decoder_names[d];
}

/* same object (NULL matches only NULL), map and member */
static bool same_target(const struct export_metric_conf *a,
			const struct export_metric_conf *b)
{
	return !strcmp(a->map, b->map) &&
	       !a->object == !b->object &&
	       (!a->object || !strcmp(a->object, b->object)) &&
	       !a->member == !b->member &&
	       (!a->member || !strcmp(a->member, b->member));
}

static bool replaced(const struct export_conf *c,
		     const struct export_metric_conf *m)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (same_target(&c->m[i], m))
			return true;
	return false;
}

int export_conf_merge(struct export_conf *c, struct export_conf *more)
{
	struct export_metric_conf *m;
	size_t i, n = c->n;

	m = realloc(c->m, (c->n + more->n + 1) * sizeof(*m));
	if (!m) {
		export_conf_free(more);
		return bb_err(-ENOMEM, "%s: out of memory", c->source);
	}
	c->m = m;
	for (i = 0; i < more->n; i++) {
		if (replaced(c, &more->m[i]))
			continue;
		c->m[n++] = more->m[i];
		/* moved: export_conf_free(more) must not free it */
		memset(&more->m[i], 0, sizeof(more->m[i]));
	}
	c->n = n;
	export_conf_free(more);
	return 0;
}
