// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the object's event channels (ring buffers, perf event
 * arrays). Their records are not metrics, but left alone a channel
 * fills up and the programs' output fails; so each is consumed, its
 * records counted and dropped, and the counts exported:
 *   bpfbox_export_events_total{object,map}       records read
 *   bpfbox_export_events_lost_total{object,map}  records the kernel
 *                                         dropped (perf buffers only: a
 *                                         full ring buffer fails the
 *                                         reserve in the program, unseen
 *                                         here)
 * (the samples only: export_self.c writes each family's HELP and TYPE
 * once for all the objects).
 * Channels are read when their fds are readable and before every
 * scrape, at most BATCH records at a time so that a busy channel does
 * not starve the HTTP side.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "err.h"
#include "export.h"
#include "object.h"

#define BATCH 65536

struct export_chan {
	const struct bpfbox_map *m;
	struct bpfbox_perfbuf *pb;	/* NULL: a ring of the shared rb */
	uint64_t events;
	uint32_t batch;
};

struct export_chans {
	struct bpfbox_ringbuf *rb;
	struct export_chan *c;
	size_t n;
};

static int on_ring(void *ctx, const void *data, size_t size)
{
	struct export_chan *c = ctx;

	(void)data, (void)size;
	c->events++;
	/* a stop value: bpfbox_ringbuf_poll returns it, the loop goes on */
	return ++c->batch >= BATCH ? -EAGAIN : 0;
}

static int on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	(void)cpu;
	return on_ring(ctx, data, size);
}

static int open_one(struct export_chans *cs, struct export_chan *c)
{
	if (c->m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return bpfbox_perfbuf_new(c->m->fd, on_sample, NULL, c, NULL,
					  &c->pb);
	if (!cs->rb && bpfbox_ringbuf_new(&cs->rb))
		return -ENOMEM;
	return bpfbox_ringbuf_add(cs->rb, c->m->fd, on_ring, c);
}

int export_chans_open(const struct bpfbox_object *obj,
		      struct export_chans **out)
{
	struct export_chans *cs = calloc(1, sizeof(*cs));
	const struct bpfbox_map *m;
	size_t i;
	int err;

	if (!cs)
		return -ENOMEM;
	cs->c = calloc(obj->nmaps + 1, sizeof(*cs->c));
	if (!cs->c) {
		free(cs);
		return -ENOMEM;
	}
	for (i = 0; i < obj->nmaps; i++) {
		m = &obj->maps[i];
		if (m->kind != BB_MAP_USER || m->fd < 0 ||
		    (m->type != BPF_MAP_TYPE_RINGBUF &&
		     m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY))
			continue;
		cs->c[cs->n].m = m;
		err = open_one(cs, &cs->c[cs->n]);
		if (err) {
			err = bb_err_wrap(err, "map %s (event channel)", m->name);
			export_chans_close(cs);
			return err;
		}
		cs->n++;
	}
	*out = cs;
	return 0;
}

size_t export_chans_fds(const struct export_chans *cs, int *fds, size_t max)
{
	size_t i, n = 0;

	if (!cs)
		return 0;
	if (cs->rb && n < max)
		fds[n++] = bpfbox_ringbuf_epoll_fd(cs->rb);
	for (i = 0; i < cs->n && n < max; i++)
		if (cs->c[i].pb)
			fds[n++] = bpfbox_perfbuf_epoll_fd(cs->c[i].pb);
	return n;
}

void export_chans_consume(struct export_chans *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n; i++)
		cs->c[i].batch = 0;
	if (cs->rb)
		bpfbox_ringbuf_poll(cs->rb, 0);
	for (i = 0; i < cs->n; i++)
		if (cs->c[i].pb)
			bpfbox_perfbuf_consume(cs->c[i].pb);
}

/* a name as a label value; NULL when out of memory */
static char *label(const char *s)
{
	size_t n = strlen(s), len = 2 * n + 1;
	char *v = malloc(len);

	if (v && export_label_value(v, len, s, n)) {
		free(v);
		v = NULL;
	}
	return v;
}

void export_chans_samples(const struct export_chans *cs, const char *object,
			  bool lost, FILE *f)
{
	const char *fam = lost ? "bpfbox_export_events_lost_total" :
				 "bpfbox_export_events_total";
	char *o, *m;
	size_t i;

	if (!cs || !cs->n)
		return;
	o = label(object);
	for (i = 0; o && i < cs->n; i++) {
		/* a ring buffer's losses are the programs' failed reserves */
		if (lost && !cs->c[i].pb)
			continue;
		m = label(cs->c[i].m->name);
		if (!m)
			break;
		fprintf(f, "%s{object=\"%s\",map=\"%s\"} %" PRIu64 "\n", fam,
			o, m, lost ? bpfbox_perfbuf_lost(cs->c[i].pb) :
				     cs->c[i].events);
		free(m);
	}
	free(o);
}

void export_chans_close(struct export_chans *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n; i++)
		bpfbox_perfbuf_free(cs->c[i].pb);
	bpfbox_ringbuf_free(cs->rb);
	free(cs->c);
	free(cs);
}
