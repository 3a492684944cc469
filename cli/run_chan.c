// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run: event channels. Every ring buffer and perf event array of
 * the object is consumed, and each record printed through the event
 * decoder (lib/event_fmt.h) as a row of columns or a JSON line.
 *
 * A channel's record type, first found wins:
 *   --event-type MAP=TYPE (or --event-type TYPE for every channel);
 *   what the object says (lib/event_type.h: the map's declared value
 *   type, else the type its programs write into the map);
 *   none: hex dump rows, and a note saying how to name the type.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfbox.h"
#include "btf.h"
#include "cli.h"
#include "event_fmt.h"
#include "event_type.h"
#include "object.h"
#include "run.h"

struct chan {
	struct run *r;
	struct bpfbox_map *map;
	struct bb_evfmt *fmt;
	struct bpfbox_perfbuf *pb;	/* perf event arrays */
};

struct run_chans {
	struct chan *v;
	size_t n;
	struct bpfbox_ringbuf *rb;	/* every ring buffer, one epoll set */
	const struct chan *last;	/* of the last row (text: headers) */
	int err;			/* the first write error */
};

static bool is_chan(const struct bpfbox_map *m)
{
	return m->kind == BB_MAP_USER &&
	       (m->type == BPF_MAP_TYPE_RINGBUF ||
		m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY);
}

bool run_chans_any(const struct run *r)
{
	return r->chans && r->chans->n;
}

static const char *evtype_for(const struct run *r, const char *map)
{
	const char *all = NULL;
	size_t i;

	for (i = 0; i < r->evtype.n; i++) {
		if (!r->evtype.v[i].key)
			all = r->evtype.v[i].val;
		else if (!strcmp(r->evtype.v[i].key, map))
			return r->evtype.v[i].val;
	}
	return all;
}

/* before load: every --event-type names a channel and a type */
int run_chans_check(struct run *r)
{
	struct bpfbox_map *m;
	uint32_t id;
	size_t i;

	for (i = 0; i < r->evtype.n; i++) {
		const struct run_kv *kv = &r->evtype.v[i];

		m = kv->key ? bpfbox_object_find_map(r->obj, kv->key) : NULL;
		if (kv->key && (!m || !is_chan(m)))
			return cli_usage("--event-type %s=%s: %s has no ring buffer or perf event array named '%s'",
					 kv->key, kv->val, r->path, kv->key);
		if (!r->obj->btf)
			return cli_usage("--event-type %s: %s has no BTF (compile it with -g)",
					 kv->val, r->path);
		if (bb_event_type_find(r->obj->btf, kv->val, &id))
			return cli_usage("--event-type %s: %s", kv->val,
					 bpfbox_errmsg());
	}
	return 0;
}

/* the record type of channel m: 0 with *id (0: hex), or an exit code */
static int chan_type(struct run *r, struct bpfbox_map *m, uint32_t *id)
{
	const char *name = evtype_for(r, m->name);
	char why[512] = "";

	*id = 0;
	if (name) {
		/* run_chans_check() found it before load */
		if (bb_event_type_find(r->obj->btf, name, id))
			return cli_fail("--event-type %s: %s", name,
					bpfbox_errmsg());
		return 0;
	}
	if (bb_event_type_guess(r->obj, m->name, id, why, sizeof(why)) == 0 &&
	    *id)
		return 0;
	*id = 0;
	if (*why)
		fprintf(stderr, "bpfbox run: %s; its records are shown as hex\n",
			why);
	else
		fprintf(stderr, "bpfbox run: map %s: no record type found; its records are shown as hex (name the type with --event-type %s=TYPE)\n",
			m->name, m->name);
	return 0;
}

static int put_row(struct chan *c, const void *data, size_t size)
{
	struct run_chans *cs = c->r->chans;

	if (cs->err)
		return cs->err;
	if (!c->r->json && cs->last != c && cs->n > 1) {
		printf("%s[%s]\n", cs->last ? "\n" : "", c->map->name);
		bb_evfmt_header(c->fmt, stdout);
	}
	cs->last = c;
	if (bb_evfmt_record(c->fmt, data, size, stdout))
		cs->err = -EPIPE;
	return cs->err;
}

static int on_ring(void *ctx, const void *data, size_t size)
{
	return put_row(ctx, data, size);
}

static int on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	(void)cpu;
	return put_row(ctx, data, size);
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	struct chan *c = ctx;

	fprintf(stderr, "bpfbox run: map %s: %llu records lost on CPU %d (the perf buffer was full)\n",
		c->map->name, (unsigned long long)lost, cpu);
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC: bpf_ktime_get_ns() to wall time */
static int64_t mono_to_wall(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return (rt.tv_sec - mono.tv_sec) * 1000000000LL +
	       (rt.tv_nsec - mono.tv_nsec);
}

static int chan_open(struct run *r, struct chan *c, int64_t wall)
{
	struct bb_evfmt_opts o = { .json = r->json, .mono_to_wall_ns = wall };
	struct run_chans *cs = r->chans;
	uint32_t id;
	int err;

	err = chan_type(r, c->map, &id);
	if (err)
		return err;
	if (bb_evfmt_new(r->obj->btf, id, &o, &c->fmt))
		return cli_fail("map %s: %s", c->map->name, bpfbox_errmsg());
	if (c->map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		err = bpfbox_perfbuf_new(c->map->fd, on_sample, on_lost, c,
					 NULL, &c->pb);
	else
		err = bpfbox_ringbuf_add(cs->rb, c->map->fd, on_ring, c);
	if (err)
		return cli_fail("map %s: %s", c->map->name, bpfbox_errmsg());
	return 0;
}

int run_chans_open(struct run *r)
{
	struct run_chans *cs = calloc(1, sizeof(*cs));
	int64_t wall = mono_to_wall();
	size_t i;
	int err;

	if (!cs)
		return cli_fail("out of memory");
	r->chans = cs;
	for (i = 0; i < r->obj->nmaps; i++)
		cs->n += is_chan(&r->obj->maps[i]);
	cs->v = calloc(cs->n ? cs->n : 1, sizeof(*cs->v));
	if (!cs->v || bpfbox_ringbuf_new(&cs->rb))
		return cli_fail("out of memory");
	cs->n = 0;
	for (i = 0; i < r->obj->nmaps; i++) {
		if (!is_chan(&r->obj->maps[i]))
			continue;
		cs->v[cs->n] = (struct chan){ .r = r, .map = &r->obj->maps[i] };
		err = chan_open(r, &cs->v[cs->n++], wall);
		if (err)
			return err;
	}
	/* one channel: its header once, at the top, as tracing tools do */
	if (cs->n == 1 && !r->json) {
		cs->last = &cs->v[0];
		bb_evfmt_header(cs->v[0].fmt, stdout);
		run_flush(r);
	}
	return 0;
}

void run_chans_close(struct run *r)
{
	struct run_chans *cs = r->chans;
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n; i++) {
		bpfbox_perfbuf_free(cs->v[i].pb);
		bb_evfmt_free(cs->v[i].fmt);
	}
	bpfbox_ringbuf_free(cs->rb);
	free(cs->v);
	free(cs);
	r->chans = NULL;
}

size_t run_chans_fds(const struct run *r, int *fds, size_t max)
{
	const struct run_chans *cs = r->chans;
	size_t i, n = 0;
	bool rings = false;

	if (!cs)
		return 0;
	for (i = 0; i < cs->n && n < max; i++) {
		if (cs->v[i].pb)
			fds[n++] = bpfbox_perfbuf_epoll_fd(cs->v[i].pb);
		else
			rings = true;
	}
	if (rings && n < max)
		fds[n++] = bpfbox_ringbuf_epoll_fd(cs->rb);
	return n;
}

/*
 * What is ready, without waiting: a bounded batch per buffer (the
 * epoll sets are level-triggered: more is reported at the next wait),
 * so a producer that never pauses cannot keep the loop from signals.
 */
int run_chans_consume(struct run *r)
{
	struct run_chans *cs = r->chans;
	bool rings = false;
	size_t i;
	int err;

	if (!cs)
		return 0;
	for (i = 0; i < cs->n; i++) {
		if (!cs->v[i].pb) {
			rings = true;
			continue;
		}
		err = bpfbox_perfbuf_poll(cs->v[i].pb, 0);
		if (err < 0)
			goto fail;
	}
	if (rings) {
		err = bpfbox_ringbuf_poll(cs->rb, 0);
		if (err < 0)
			goto fail;
	}
	return 0;
fail:
	if (cs->err)
		return cs->err;	/* stdout went away */
	fprintf(stderr, "bpfbox run: %s\n", bpfbox_errmsg());
	return err;
}
