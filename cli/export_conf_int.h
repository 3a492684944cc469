/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Inside the export config (export_conf.h), what its files share:
 * export_conf.c (the model: load, find, label, merge, free, decoder
 * names), export_conf_yaml.c (the YAML document: bounds, walk, keys,
 * uniqueness) and export_conf_value.c (one value checked into C).
 */
#ifndef BB_CLI_EXPORT_CONF_INT_H
#define BB_CLI_EXPORT_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "export_conf.h"

/* one document being walked: its nodes, and the file name for messages */
struct conf_parse {
	yaml_document_t *doc;
	const char *src;
};

/* user text in a message: printable ASCII, cut at 64 bytes */
struct shown {
	char s[72];
};

const char *conf_show(struct shown *b, const char *s, size_t len);

static inline int line_of(const yaml_node_t *n)
{
	return n->start_mark.line < INT32_MAX ? (int)n->start_mark.line + 1 :
						INT32_MAX;
}

/* "" ~ null: a key given without a value */
static inline bool is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/*
 * The decoders' names by enum export_decoder (export_conf.c), for the
 * config's decoder: key. EXPORT_DEC_DROP is the last decoder.
 */
#define CONF_NDECODERS	(EXPORT_DEC_DROP + 1)
extern const char *const conf_decoder_names[CONF_NDECODERS];

/*
 * export_conf_value.c: node n as the value of key, checked and stored
 * in *out (strings are copies, replacing *out). 0, or -EINVAL with
 * bb_err() saying "SOURCE:LINE: key: what is wrong (what is expected)",
 * or -ENOMEM.
 */
/* a name [a-zA-Z_][a-zA-Z0-9_]* (member, label field) */
int conf_get_ident(struct conf_parse *p, yaml_node_t *n, const char *key,
		   char **out);
/* a Prometheus label name */
int conf_get_label_name(struct conf_parse *p, yaml_node_t *n, char **out);
/* a Prometheus metric name */
int conf_get_metric_name(struct conf_parse *p, yaml_node_t *n, char **out);
int conf_get_help(struct conf_parse *p, yaml_node_t *n, char **out);
/* "MAP" or "OBJECT:MAP" into m->map and m->object */
int conf_get_map(struct conf_parse *p, yaml_node_t *n,
		 struct export_metric_conf *m);
int conf_get_bool(struct conf_parse *p, yaml_node_t *n, const char *key,
		  bool *out);
/* the index in names[1..count) (names[0], the default, is not accepted) */
int conf_get_enum(struct conf_parse *p, yaml_node_t *n, const char *key,
		  const char *const *names, int count, int *out);
/* a finite number above 0 */
int conf_get_scale(struct conf_parse *p, yaml_node_t *n, double *out);
int conf_get_bucket_max(struct conf_parse *p, yaml_node_t *n, int *out);

#endif
