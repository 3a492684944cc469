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

#define EXPORT_DEFAULT_LISTEN	"127.0.0.1:9435"
#define EXPORT_MAX_SERIES	10000	/* keys per map, --max-series */

/* what the exposition needs to know of the export */
struct export_ctx {
	const struct bpfbox_object *obj;
	struct export_chans *chans;	/* NULL: none */
	char prefix[128];		/* "bpfbox_<object>_" */
	uint32_t max_series;
	/* counters across scrapes, exported as self-metrics */
	uint64_t scrapes;
	uint64_t decode_errors;
	uint64_t http_errors;
	double last_scrape_secs;
};

/* one map being exposed (export_prom.c, export_hist.c) */
struct bpfbox_map;
struct bb_hist_spec;
struct export_map {
	struct bpfbox_map *m;
	const struct bb_btf *btf;
	int ncpus;		/* 1, or the possible CPUs of a per-CPU map */
	size_t stride;		/* bytes per CPU in a value read */
	size_t vsize;		/* bytes a lookup writes */
	char family[256];	/* bpfbox_<object>_<map> */
	uint32_t nseries;	/* label sets written this scrape */
	bool truncated;		/* the cardinality cap was hit */
	uint32_t errors;	/* keys that did not decode */
};
/* fn(key, value) on each entry, at most x->max_series of them */
typedef int (*export_entry_fn)(struct export_map *em, const void *key,
			       const void *val, void *arg);
int export_map_walk(struct export_ctx *x, struct export_map *em,
		    export_entry_fn fn, void *arg);
/* the labels of a key (hex when it has no BTF), skip as export_labels */
int export_key_labels(struct export_map *em, const void *key,
		      const char *skip, char *buf, size_t len);
/* export_hist.c: a histogram map as one histogram family; 0 or -errno */
int export_hist_write(struct export_ctx *x, struct export_map *em,
		      const struct bb_hist_spec *spec, FILE *f);

/* export_prom.c: the whole /metrics body into f; 0 or -errno */
int export_prom_write(struct export_ctx *x, FILE *f);
/* the maps the exposition skips, and why (printed once at start) */
void export_prom_note(const struct export_ctx *x, FILE *f);

/*
 * export_labels.c: the key of type id as label pairs `a="x",b="1"`
 * (no braces) into buf; a plain integer key is `key="N"`. Members
 * named skip (the bucket index of a histogram key) are left out.
 * 0, or -ENOSPC (buf too small) / -errno (the key does not decode).
 */
int export_labels(const struct bb_btf *btf, uint32_t id, const void *key,
		  size_t size, const char *skip, char *buf, size_t len);
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
/* bpfbox_export_events_total, bpfbox_export_events_lost_total */
void export_chans_write(const struct export_chans *cs, FILE *f);
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
