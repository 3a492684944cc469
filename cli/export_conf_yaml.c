// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export --config FILE: the YAML document (export_conf.h).
 * A first pass over libyaml's events bounds depth and anchors; then
 * libyaml builds the document (yaml_parser_load) and this file walks
 * its fixed shape (a mapping, a list of entry mappings, each with a
 * list of label mappings), checks keys and uniqueness and hands each
 * value to export_conf_value.c. It never recurses on the document, so
 * anchors, aliases and nesting cannot make the walk deep or long.
 * Every error is "SOURCE:LINE: what is wrong (what is expected)".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "export_conf_int.h"

#define CONF_MAX_DEPTH		16	/* a config is 5 levels deep */
#define CONF_MAX_ANCHORS	256

static yaml_node_t *node_at(struct conf_parse *p, int index)
{
	return yaml_document_get_node(p->doc, index);
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
				      conf_show(&b, ks, kn->data.scalar.length),
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

static int label_key(struct conf_parse *p, int k, yaml_node_t *v, void *arg)
{
	struct export_label_conf *l = arg;
	int d, err;

	switch (k) {
	case LK_FIELD:
		return conf_get_ident(p, v, "field", &l->field);
	case LK_NAME:
		return conf_get_label_name(p, v, &l->name);
	default:
		if (v->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)v->data.scalar.value, "none")) {
			l->decoder = EXPORT_DEC_NONE;
			return 0;
		}
		err = conf_get_enum(p, v, "decoder", conf_decoder_names,
				    CONF_NDECODERS, &d);
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

/* a sequence node's items as a zeroed array of elem-sized entries */
static int seq_alloc(struct conf_parse *p, yaml_node_t *n, const char *what,
		     size_t elem, void **out, size_t *count)
{
	size_t k;

	if (n->type != YAML_SEQUENCE_NODE)
		return bb_err(EINVAL, "%s:%d: %s", p->src, line_of(n), what);
	k = n->data.sequence.items.top - n->data.sequence.items.start;
	*out = calloc(k ?: 1, elem);
	if (!*out)
		return bb_err(ENOMEM, "export config: out of memory");
	*count = k;
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
	err = seq_alloc(p, n, "labels: expected a list of labels (- field: NAME ...)",
			sizeof(*m->labels), (void **)&m->labels, &m->nlabels);
	if (err)
		return err;
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
       EK_BUCKET_MAX, EK_SKIP, EK_LABELS };
static const char *const entry_keys[] = {
	"map", "member", "name", "help", "type", "scale", "buckets",
	"bucket_max", "skip", "labels", NULL
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
		return conf_get_map(p, v, m);
	case EK_MEMBER:
		return conf_get_ident(p, v, "member", &m->member);
	case EK_NAME:
		return conf_get_metric_name(p, v, &m->name);
	case EK_HELP:
		return conf_get_help(p, v, &m->help);
	case EK_TYPE:
		err = conf_get_enum(p, v, "type", type_names, 3, &e);
		if (!err)
			m->type = e;
		return err;
	case EK_SCALE:
		return conf_get_scale(p, v, &m->scale);
	case EK_BUCKETS:
		err = conf_get_enum(p, v, "buckets", bucket_names, 3, &e);
		if (!err)
			m->buckets = e;
		return err;
	case EK_BUCKET_MAX:
		return conf_get_bucket_max(p, v, &m->bucket_max);
	case EK_SKIP:
		return conf_get_bool(p, v, "skip", &m->skip);
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
	err = seq_alloc(p, n, "metrics: expected a list of metrics (- map: NAME ...)",
			sizeof(*c->m), (void **)&c->m, &c->n);
	if (err)
		return err;
	for (i = 0; i < c->n; i++) {
		c->m[i].scale = 1.0;
		c->m[i].bucket_max = -1;
	}
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
		return conf_get_bool(p, v, "export_unlisted",
				     &c->export_unlisted);
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
