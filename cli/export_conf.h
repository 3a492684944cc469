/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfbox export --config FILE: an optional YAML file that renames
 * metrics, picks counter or gauge, scales values, chooses a histogram's
 * bucket kind and decodes labels. It never states sizes, offsets or
 * padding: those come from the object's BTF. Parsing is pure (no
 * syscalls beyond reading the file in export_conf_load) and fuzzed.
 *
 *   export_unlisted: true          # maps without an entry: as with no
 *                                  # config (default true)
 *   metrics:
 *     - map: NAME                  # OBJECT:NAME with several objects
 *       member: NAME               # one integer member of a struct value
 *       name: METRIC               # the whole family name
 *       help: TEXT
 *       type: counter | gauge
 *       scale: 1e-9                # values (histogram bounds, _sum) times this
 *       buckets: log2 | linear     # a histogram's bucket kind
 *       bucket_max: 35             # buckets 0..35 always written, the
 *                                  # counts past them in +Inf only
 *       skip: true                 # not exported
 *       labels:
 *         - field: LABEL           # a key label as exported (pid, comm, addr_0, key)
 *           name: NAME             # renamed
 *           decoder: ksym | syscall | errno | cgroup | hex | drop
 */
#ifndef BB_CLI_EXPORT_CONF_H
#define BB_CLI_EXPORT_CONF_H

#include <stdbool.h>
#include <stddef.h>

enum export_decoder {
	EXPORT_DEC_NONE = 0,
	EXPORT_DEC_KSYM,	/* kernel address -> symbol name (+off) */
	EXPORT_DEC_SYSCALL,	/* syscall number -> name (this kernel's) */
	EXPORT_DEC_ERRNO,	/* errno, either sign -> "ENOENT" */
	EXPORT_DEC_CGROUP,	/* cgroup v2 id -> path under the cgroupfs */
	EXPORT_DEC_HEX,		/* integer -> 0x... */
	EXPORT_DEC_DROP,	/* the label is left out (series summed) */
};

enum export_type {
	EXPORT_TYPE_AUTO = 0,	/* the name rule (export_prom.c) */
	EXPORT_TYPE_COUNTER,
	EXPORT_TYPE_GAUGE,
};

/* most buckets a config may ask for (linear: 0..4095) */
#define EXPORT_BUCKET_MAX_MAX 4095

enum export_buckets {
	EXPORT_BUCKETS_AUTO = 0,	/* as lib/hist.h detects */
	EXPORT_BUCKETS_LOG2,
	EXPORT_BUCKETS_LINEAR,
};

struct export_label_conf {
	char *field;		/* the label as bpfbox names it */
	char *name;		/* NULL: field */
	enum export_decoder decoder;
};

struct export_metric_conf {
	char *object;		/* NULL: any object (the part before ':') */
	char *map;
	char *member;		/* NULL: the whole value / every member */
	char *name;		/* NULL: bpfbox_<object>_<map>[_<member>] */
	char *help;		/* NULL: generated */
	enum export_type type;
	double scale;		/* 1.0 when not given */
	enum export_buckets buckets;
	int bucket_max;		/* the last bucket written, or -1: as seen */
	bool skip;
	struct export_label_conf *labels;
	size_t nlabels;
	int line;		/* of the entry in the file, for messages */
	bool used;		/* set by the exporter when an entry matched */
};

struct export_conf {
	char *source;		/* the file name, for messages */
	bool export_unlisted;
	struct export_metric_conf *m;
	size_t n;
};

/*
 * Parse text[0..len) (YAML). 0 and *out, or -EINVAL with bb_err()
 * saying "SOURCE:LINE: what is wrong, and what is expected" (unknown
 * key, bad value, a metric name that is not [a-zA-Z_:][a-zA-Z0-9_:]*,
 * a member without a map, two entries for the same map+member, ...).
 */
int export_conf_parse(const char *text, size_t len, const char *source,
		      struct export_conf **out);
/*
 * more's entries after c's, except those about the same object, map
 * and member as one of c's (c's win); more is freed either way. c's
 * export_unlisted stays. 0 or -ENOMEM.
 */
int export_conf_merge(struct export_conf *c, struct export_conf *more);
/* read PATH (at most 1 MiB) and parse it */
int export_conf_load(const char *path, struct export_conf **out);
void export_conf_free(struct export_conf *c);

/*
 * The entry for this object's map (and member: NULL for the map as a
 * whole), or NULL. An entry with an object matches only that object;
 * one without matches every object. member NULL in the entry matches
 * every member of the map.
 */
struct export_metric_conf *export_conf_find(const struct export_conf *c,
					    const char *object,
					    const char *map,
					    const char *member);
/* the entry's rule for label field, or NULL */
const struct export_label_conf *
export_conf_label(const struct export_metric_conf *mc, const char *field);

/* "ksym" -> EXPORT_DEC_KSYM...; -EINVAL for an unknown name */
int export_decoder_parse(const char *name, enum export_decoder *out);
const char *export_decoder_name(enum export_decoder d);

#endif
