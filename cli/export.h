/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfbox export: an object's maps as Prometheus metrics over HTTP.
 * Shared by its files, one concern each:
 *   export.c        options, the object's life (run.c's load and attach),
 *                   the serving loop and signals
 *   export_http.c   the minimal HTTP/1.x server: bounded size and time,
 *                   one request per connection
 *   export_req.c    a request judged: GET /metrics or /, or which error
 *   export_prom.c   the maps in the Prometheus text exposition format
 *   export_hist.c   histogram maps (lib/hist.h) as Prometheus histograms
 *   export_labels.c a key decoded through BTF into label pairs
 *   export_rows.c   rows of samples by label set (equal ones summed)
 *   export_self.c   the exporter's own metrics, per-program BPF stats
 *   export_conf.c   the YAML configuration (export_conf.h)
 *   export_decode.c label decoders (export_decode.h): errno, hex, syscall;
 *                   export_ksym.c kernel symbols, export_cgroup.c cgroup paths
 *   export_tool.c   built-in tools exported (export_tool.h)
 *   export_chan.c   event channels consumed and counted
 */
#ifndef BB_CLI_EXPORT_H
#define BB_CLI_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bpfbox_object;
struct bb_btf;
struct export_chans;
struct export_conf;
struct export_metric_conf;
struct export_decoders;

#include "run.h"
#include "run_maps.h"

#define EXPORT_DEFAULT_LISTEN	"127.0.0.1:9435"
#define EXPORT_MAX_SERIES	10000	/* keys per map, --max-series */

/* how maps are read (--read) */
enum export_read {
	EXPORT_READ_AUTO = 0,	/* batch where the kernel and map have it */
	EXPORT_READ_BATCH,	/* batch only: a map without it fails */
	EXPORT_READ_PER_KEY,	/* get_next_key + lookup */
};

/* one exported object: a file, or a built-in tool (--tool) */
struct export_obj {
	struct run r;			/* path, obj, knobs, links */
	char name[96];			/* <object>: the file stem, sanitized */
	char prefix[128];		/* "bpfbox_<object>_" */
	struct export_chans *chans;	/* NULL: none */
};

/* what one map gave in the last scrape (self-metrics) */
struct export_map_stat {
	const char *object;		/* export_obj.name */
	char map[128];			/* sanitized map name */
	uint32_t nseries;		/* label sets written */
	uint32_t merged;		/* keys summed into another's labels */
	bool truncated;			/* the --max-series cap was hit */
	bool batch;			/* read with the batch command */
	int err;			/* 0, or why reading it failed */
};

/* what the exposition needs to know of the export */
struct export_ctx {
	struct export_obj *objs;
	size_t nobjs;
	struct export_conf *conf;	/* --config, or NULL */
	struct export_decoders *dec;	/* the decoders conf needs, or NULL */
	uint32_t max_series;
	enum export_read read;
	int stats_fd;			/* BPF_ENABLE_STATS held, or -1 */
	/* the maps of the last scrape */
	struct export_map_stat *mstat;
	size_t nmstat;
	/* counters across scrapes, exported as self-metrics */
	uint64_t scrapes;
	uint64_t decode_errors;
	uint64_t http_errors;
	double last_scrape_secs;
};

/* the label rules of a map: its config entries, and the decoders */
#define EXPORT_MAX_ENTRIES 16
struct export_label_rules {
	const struct export_metric_conf *mc[EXPORT_MAX_ENTRIES];
	size_t n;
	struct export_decoders *dec;
};

/* one map being exposed (export_prom.c, export_hist.c) */
struct bb_hist_spec;
struct export_map {
	struct rmap v;			/* the map as read (run_maps.h) */
	const struct export_obj *o;
	char family[256];		/* bpfbox_<object>_<map>, or conf's */
	const struct export_metric_conf *conf;	/* the map's entry, or NULL */
	struct export_label_rules rules;	/* every entry of the map */
	struct export_map_stat *st;
	uint32_t keys;			/* entries read this scrape */
	uint32_t errors;		/* keys that did not decode */
};
/*
 * fn(key, value) on each entry, at most x->max_series of them (then
 * st->truncated), array entries never written left out; read as x->read
 * says (st->batch set when the batch command did it).
 */
typedef int (*export_entry_fn)(struct export_map *em, const void *key,
			       const void *val, void *arg);
int export_map_walk(struct export_ctx *x, struct export_map *em,
		    export_entry_fn fn, void *arg);
/* the labels of a key (hex when it has no BTF), skip as export_labels */
int export_key_labels(struct export_map *em, const void *key,
		      const char *skip, char *buf, size_t len);

/*
 * Rows of one or more families sharing the map's labels: a label set
 * seen again (keys that differ only in what the labels leave out: a
 * dropped field, two addresses in one function) is summed into the
 * first (st->merged counts them), so no sample is ever duplicated.
 */
struct export_rows;
struct export_rows *export_rows_new(size_t ncols);
/* the row of labels (created with zeros); NULL on ENOMEM */
int64_t *export_rows_get(struct export_rows *rs, const char *labels,
			bool *fresh);
size_t export_rows_count(const struct export_rows *rs);
/* the i-th row in insertion order */
const char *export_rows_at(const struct export_rows *rs, size_t i,
			   int64_t **vals);
void export_rows_free(struct export_rows *rs);

/* export_hist.c: a histogram map as one histogram family; 0 or -errno */
int export_hist_write(struct export_ctx *x, struct export_map *em,
		      const struct bb_hist_spec *spec, FILE *f);

/* a family's # HELP line, help escaped as the format wants */
void export_put_help(FILE *f, const char *family, const char *help);
/* export_prom.c: the whole /metrics body into f; 0 or -errno */
int export_prom_write(struct export_ctx *x, FILE *f);
/* the maps the exposition skips, and why (printed once at start) */
void export_prom_note(struct export_ctx *x, FILE *f);
/* after the note: a config entry that matched no map or member is an
 * error (-EINVAL, bb_err naming the file and line) */
int export_prom_check(const struct export_ctx *x);

/*
 * export_self.c: the exporter's own metrics after the maps': x->mstat,
 * the counters of x, per-program run count and run time (kernel BPF
 * stats), each object's channel counts. Turning the kernel's BPF stats
 * on (BPF_ENABLE_STATS, held in x->stats_fd until close) needs
 * CAP_SYS_ADMIN: before the capabilities are dropped. 0 or -errno.
 */
void export_self_write(struct export_ctx *x, FILE *f);
int export_stats_enable(struct export_ctx *x);
void export_stats_close(struct export_ctx *x);

/*
 * export_labels.c: the key of type id as label pairs `a="x",b="1"`
 * (no braces) into buf; a plain integer key is `key="N"`. Members
 * named skip (the bucket index of a histogram key) are left out. rules
 * (may be NULL) rename, decode or drop labels (export_conf.h).
 * 0, or -ENOSPC (buf too small) / -errno (the key does not decode).
 */
int export_labels(const struct bb_btf *btf, uint32_t id, const void *key,
		  size_t size, const char *skip,
		  const struct export_label_rules *rules, char *buf, size_t len);
/* the label names a key of type id makes, "a,b,c"; 0 or -errno
 * (-ENOENT: no BTF, the key is one hex label) */
int export_label_names(const struct bb_btf *btf, uint32_t id, size_t size,
		       char *buf, size_t len);
/* NAME sanitized into a metric or label name: [a-zA-Z_][a-zA-Z0-9_]* */
void export_prom_name(char *dst, size_t len, const char *name);
/* a label value escaped as the text format wants: \\ \" \n */
int export_label_value(char *dst, size_t len, const char *s, size_t n);

/* export_chan.c: the ring buffers and perf buffers of obj, counted */
int export_chans_open(const struct bpfbox_object *obj,
		      struct export_chans **out);
/* their epoll fds, to poll: up to max, returns how many */
size_t export_chans_fds(const struct export_chans *cs, int *fds, size_t max);
/* read what is ready (bounded), counting the records */
void export_chans_consume(struct export_chans *cs);
/*
 * The samples (no HELP/TYPE: export_self.c writes those once for all
 * objects) of bpfbox_export_events_total{object,map} (lost false) or
 * bpfbox_export_events_lost_total{object,map} (lost true)
 */
void export_chans_samples(const struct export_chans *cs, const char *object,
			  bool lost, FILE *f);
void export_chans_close(struct export_chans *cs);

/* export_req.c: is buf[0..len) a whole request, and which (pure) */
enum export_route {
	EXPORT_ROUTE_NONE,
	EXPORT_ROUTE_METRICS,
	EXPORT_ROUTE_INDEX,
};
struct export_req {
	enum export_route route;	/* when 200 */
	const char *why;		/* when an error status */
};
/*
 * 0: not whole yet (read on); 200 with rq->route; or the error status
 * (400, 405, 404, 413) with rq->why. max: the most bytes of request
 * line and headers; len may exceed it by what one read brought.
 */
int export_req_judge(const char *buf, size_t len, size_t max,
		     struct export_req *rq);

/* export_http.c */
struct export_http;
struct export_http_opts {
	size_t max_request;	/* bytes of request line and headers */
	int timeout_ms;		/* to receive them, from the accept */
	size_t max_conns;	/* open at a time; more get a 503 */
};
/* listen on ADDR:PORT ("[::1]:9435" for IPv6); *out owns the socket */
int export_http_listen(const char *addr, const struct export_http_opts *o,
		       struct export_http **out);
/* the bound address as text (port 0 resolved) */
void export_http_addr(const struct export_http *h, char *buf, size_t len);
bool export_http_is_loopback(const struct export_http *h);
/*
 * Wait (ppoll with waitmask: the signals that may interrupt) for what
 * comes next and handle it: accept, read, answer, time out slow
 * clients with a 408. 0, or -EINTR when a signal came.
 */
int export_http_step(struct export_http *h, struct export_ctx *x,
		     const void *waitmask);
void export_http_close(struct export_http *h);

#endif
