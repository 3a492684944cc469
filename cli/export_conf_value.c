// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export --config: one value of the YAML configuration checked
 * and turned into C (export_conf_int.h): a scalar, a name, a metric or
 * label name, help text, a map, a bool, one of a few words, a scale.
 * Each refusal is "SOURCE:LINE: key: what is wrong (what is expected)",
 * with the user's text shown printable and cut short (conf_show).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "export_conf_int.h"

/* the exporter's family buffer is 256 bytes with _bucket etc. after */
#define CONF_MAX_METRIC		200
#define CONF_MAX_IDENT		127	/* object, map, member, labels */
#define CONF_MAX_HELP		255	/* the exporter's help buffer is 256 */

const char *conf_show(struct shown *b, const char *s, size_t len)
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
			      p->src, line_of(n), key, conf_show(&b, s, len), max);
	for (i = 0; i < len; i++) {
		if (name_char(s[i], extra) ||
		    (i && s[i] >= '0' && s[i] <= '9'))
			continue;
		return bb_err(EINVAL, "%s:%d: %s \"%s\": not a valid name (want [a-zA-Z_%s][a-zA-Z0-9_%s]*)",
			      p->src, line_of(n), key, conf_show(&b, s, len),
			      extra, extra);
	}
	return 0;
}

int conf_get_ident(struct conf_parse *p, yaml_node_t *n, const char *key,
		   char **out)
{
	const char *s;
	int err = scalar(p, n, key, &s);

	if (!err)
		err = check_name(p, n, key, s, "", CONF_MAX_IDENT);
	return err ?: dup_str(s, out);
}

/* a Prometheus label name, not reserved (__*) and not "le" */
int conf_get_label_name(struct conf_parse *p, yaml_node_t *n, char **out)
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

int conf_get_metric_name(struct conf_parse *p, yaml_node_t *n, char **out)
{
	const char *s;
	int err = scalar(p, n, "name", &s);

	if (!err)
		err = check_name(p, n, "metric name", s, ":", CONF_MAX_METRIC);
	return err ?: dup_str(s, out);
}

/* help: free text, one line of the exposition after escaping */
int conf_get_help(struct conf_parse *p, yaml_node_t *n, char **out)
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
int conf_get_map(struct conf_parse *p, yaml_node_t *n,
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
				      conf_show(&b, s, strlen(s)));
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

int conf_get_bool(struct conf_parse *p, yaml_node_t *n, const char *key,
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
		      p->src, line_of(n), key, conf_show(&b, s, strlen(s)));
}

/* one of names[1..n) (names[0] is the default, not written) */
int conf_get_enum(struct conf_parse *p, yaml_node_t *n, const char *key,
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
		      p->src, line_of(n), key, conf_show(&b, s, strlen(s)), choices);
}

int conf_get_scale(struct conf_parse *p, yaml_node_t *n, double *out)
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
			      p->src, line_of(n), conf_show(&b, s, strlen(s)));
	*out = d;
	return 0;
}

int conf_get_bucket_max(struct conf_parse *p, yaml_node_t *n, int *out)
{
	struct shown b;
	const char *s;
	char *end;
	long v;
	int err = scalar(p, n, "bucket_max", &s);

	if (err)
		return err;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 0 || v > EXPORT_BUCKET_MAX_MAX)
		return bb_err(EINVAL, "%s:%d: bucket_max: \"%s\" is not a bucket index from 0 to %d",
			      p->src, line_of(n), conf_show(&b, s, strlen(s)),
			      EXPORT_BUCKET_MAX_MAX);
	*out = (int)v;
	return 0;
}
