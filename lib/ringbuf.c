// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Ring buffer consumer (BPF_MAP_TYPE_RINGBUF), any number of rings on one
 * epoll set.
 *
 * Layout of the map's mmap()able area (kernel/bpf/ringbuf.c):
 *   offset 0          consumer page: consumer_pos, written by us
 *   offset page       producer page: producer_pos, read-only
 *   offset 2 * page   data area of max_entries bytes, which the kernel
 *                     maps twice in a row, so a record that wraps the end
 *                     of the ring reads as one piece in the second copy.
 * Each record is an 8-byte header (u32 len with the BUSY and DISCARD bits
 * on top, u32 page offset for the kernel) then the sample, the whole
 * rounded up to 8 bytes.
 *
 * A batch reads producer_pos once, walks every committed record up to it
 * and publishes consumer_pos once at the end: the producer sees the space
 * come back one batch at a time rather than one record at a time, which
 * saves a store and a cache line bounce per record.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>

#include "bpfbox.h"
#include "err.h"
#include "map_info.h"

#ifndef BPF_RINGBUF_BUSY_BIT
#define BPF_RINGBUF_BUSY_BIT	(1U << 31)
#define BPF_RINGBUF_DISCARD_BIT	(1U << 30)
#define BPF_RINGBUF_HDR_SZ	8
#endif

struct bb_ring {
	bpfbox_ringbuf_cb cb;
	void *ctx;
	int map_fd;
	size_t size;			/* data area, a power of 2 */
	unsigned long *consumer_pos;	/* rw page */
	const unsigned long *producer_pos;	/* ro: page + 2 * size */
	const uint8_t *data;		/* producer page + page */
	size_t page;
};

struct bpfbox_ringbuf {
	struct bb_ring *rings;
	size_t cnt;
	int epoll_fd;
	struct epoll_event *events;	/* room for one per ring */
};

int bpfbox_ringbuf_new(struct bpfbox_ringbuf **out)
{
	struct bpfbox_ringbuf *rb;

	if (!out)
		return bb_err(EINVAL, "ringbuf: no place for the handle");
	rb = calloc(1, sizeof(*rb));
	if (!rb)
		return bb_err(ENOMEM, "ringbuf: out of memory");
	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0) {
		int err = errno;

		free(rb);
		return bb_err(err, "ringbuf: epoll_create1: %s", strerror(err));
	}
	*out = rb;
	return 0;
}

/* the map must be a ring buffer whose size the kernel could have made */
static int ring_check_map(int map_fd, size_t page, uint32_t *max_entries)
{
	struct bpf_map_info info;
	int err;

	err = bb_map_info_expect(map_fd, BPF_MAP_TYPE_RINGBUF, "ringbuf",
				 &info);
	if (err)
		return err;
	if (!info.max_entries || info.max_entries & (info.max_entries - 1) ||
	    info.max_entries % page)
		return bb_err(EINVAL, "ringbuf: map fd %d (%s): size %u is not a power-of-2 multiple of the page size",
			      map_fd, info.name, info.max_entries);
	if (info.max_entries > (SIZE_MAX - page) / 2)
		return bb_err(E2BIG, "ringbuf: map fd %d (%s): size %u too large to map twice",
			      map_fd, info.name, info.max_entries);
	*max_entries = info.max_entries;
	return 0;
}

static int ring_map(struct bb_ring *r, int map_fd, uint32_t size)
{
	void *p;
	int err;

	r->page = sysconf(_SC_PAGESIZE);
	r->size = size;
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED) {
		err = errno;
		return bb_err(err, "ringbuf: map fd %d: mmap of the consumer page: %s",
			      map_fd, strerror(err));
	}
	r->consumer_pos = p;
	/* producer page and the data area twice, as one read-only piece */
	p = mmap(NULL, r->page + 2 * r->size, PROT_READ, MAP_SHARED, map_fd,
		 r->page);
	if (p == MAP_FAILED) {
		err = errno;
		munmap(r->consumer_pos, r->page);
		r->consumer_pos = NULL;
		return bb_err(err, "ringbuf: map fd %d: mmap of the producer page and %zu data bytes: %s",
			      map_fd, 2 * r->size, strerror(err));
	}
	r->producer_pos = p;
	r->data = (const uint8_t *)p + r->page;
	return 0;
}

static void ring_unmap(struct bb_ring *r)
{
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page);
	if (r->producer_pos)
		munmap((void *)r->producer_pos, r->page + 2 * r->size);
}

int bpfbox_ringbuf_add(struct bpfbox_ringbuf *rb, int map_fd,
		       bpfbox_ringbuf_cb cb, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct epoll_event *evs;
	struct bb_ring *rings, *r;
	uint32_t size = 0;
	int err;

	if (!rb || !cb)
		return bb_err(EINVAL, "ringbuf: map fd %d: no %s", map_fd,
			      rb ? "callback" : "ringbuf handle");
	err = ring_check_map(map_fd, sysconf(_SC_PAGESIZE), &size);
	if (err)
		return err;
	if (rb->cnt >= UINT32_MAX)
		return bb_err(E2BIG, "ringbuf: too many rings");
	rings = realloc(rb->rings, (rb->cnt + 1) * sizeof(*rings));
	if (!rings)
		return bb_err(ENOMEM, "ringbuf: out of memory");
	rb->rings = rings;
	evs = realloc(rb->events, (rb->cnt + 1) * sizeof(*evs));
	if (!evs)
		return bb_err(ENOMEM, "ringbuf: out of memory");
	rb->events = evs;

	r = &rb->rings[rb->cnt];
	memset(r, 0, sizeof(*r));
	r->cb = cb;
	r->ctx = ctx;
	r->map_fd = map_fd;
	err = ring_map(r, map_fd, size);
	if (err)
		return err;
	ev.data.u32 = rb->cnt;
	if (epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		err = errno;
		ring_unmap(r);
		return bb_err(err, "ringbuf: map fd %d: epoll_ctl: %s", map_fd,
			      strerror(err));
	}
	rb->cnt++;
	return 0;
}

static int ring_bad_record(const struct bb_ring *r, unsigned long pos,
			   uint32_t len, unsigned long avail)
{
	return bb_err(EBADMSG, "ringbuf: map fd %d: record at position %lu claims %u bytes, but the ring holds %zu and %lu are committed: corrupt ring, stopped there",
		      r->map_fd, pos, len, r->size, avail);
}

/*
 * One batch: every committed record up to the producer position read at
 * the start. Adds the records handed to the callback to *cnt; returns 0,
 * the callback's negative value, or -EBADMSG for a record whose length
 * cannot be right. consumer_pos always ends right after the last record
 * dealt with.
 */
static int ring_batch(struct bb_ring *r, int64_t *cnt)
{
	unsigned long cons, prod, rec_sz;
	const uint32_t *hdr;
	uint32_t raw, len;
	int err = 0;

	cons = *r->consumer_pos;	/* only we write it */
	prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
	while (cons != prod) {
		hdr = (const uint32_t *)(r->data + (cons & (r->size - 1)));
		raw = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		if (raw & BPF_RINGBUF_BUSY_BIT)
			break;		/* reserved, not yet committed */
		len = raw & ~BPF_RINGBUF_DISCARD_BIT;
		/* round_up(len + 8, 8) without overflow: len < 2^30 */
		rec_sz = ((unsigned long)len + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
		if (rec_sz > r->size || rec_sz > prod - cons) {
			err = ring_bad_record(r, cons, len, prod - cons);
			break;
		}
		if (!(raw & BPF_RINGBUF_DISCARD_BIT)) {
			/* the data area is mapped twice: no wrap to handle */
			err = r->cb(r->ctx, (const uint8_t *)hdr +
				    BPF_RINGBUF_HDR_SZ, len);
			if (err < 0) {
				cons += rec_sz;
				break;
			}
			err = 0;
			(*cnt)++;
		}
		cons += rec_sz;
	}
	__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
	return err;
}

/*
 * The kernel wakes the consumer only for a record committed while
 * consumer_pos equals its position, so records committed during a batch
 * (consumer_pos still stale) bring no wakeup. After storing consumer_pos,
 * a full fence (the producer's side has one: the header xchg) and a
 * fresh look at producer_pos tell whether such records wait: then go on.
 * max_batches bounds the work against a producer that never stops; the
 * poll path uses 1, since its level-triggered epoll reports a ring that
 * still has data at the next epoll_wait.
 */
static int ring_consume(struct bb_ring *r, int64_t *cnt, int max_batches)
{
	unsigned long prod;
	int err, n = 0;

	for (;;) {
		err = ring_batch(r, cnt);
		if (err || ++n >= max_batches)
			return err;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		if (prod == *r->consumer_pos)
			return 0;
		if (__atomic_load_n((const uint32_t *)(r->data +
			(*r->consumer_pos & (r->size - 1))), __ATOMIC_ACQUIRE) &
		    BPF_RINGBUF_BUSY_BIT)
			return 0;	/* its commit will see us caught up */
	}
}

static int clamp_count(int64_t cnt)
{
	return cnt > INT_MAX ? INT_MAX : (int)cnt;
}

int bpfbox_ringbuf_consume(struct bpfbox_ringbuf *rb)
{
	int64_t cnt = 0;
	size_t i;
	int err;

	if (!rb)
		return bb_err(EINVAL, "ringbuf: no handle");
	for (i = 0; i < rb->cnt; i++) {
		err = ring_consume(&rb->rings[i], &cnt, INT_MAX);
		if (err)
			return err;
	}
	return clamp_count(cnt);
}

int bpfbox_ringbuf_poll(struct bpfbox_ringbuf *rb, int timeout_ms)
{
	int64_t cnt = 0;
	uint32_t idx;
	int n, i, err;

	if (!rb)
		return bb_err(EINVAL, "ringbuf: no handle");
	if (!rb->cnt)
		return bb_err(EINVAL, "ringbuf: no ring added to poll");
	n = epoll_wait(rb->epoll_fd, rb->events,
		       rb->cnt > INT_MAX ? INT_MAX : (int)rb->cnt, timeout_ms);
	if (n < 0) {
		err = errno;
		return bb_err(err, "ringbuf: epoll_wait: %s", strerror(err));
	}
	for (i = 0; i < n; i++) {
		idx = rb->events[i].data.u32;
		if (idx >= rb->cnt)
			continue;	/* not ours: someone else's epoll_ctl */
		err = ring_consume(&rb->rings[idx], &cnt, 1);
		if (err)
			return err;
	}
	return clamp_count(cnt);
}

int bpfbox_ringbuf_epoll_fd(const struct bpfbox_ringbuf *rb)
{
	return rb ? rb->epoll_fd : -EINVAL;
}

void bpfbox_ringbuf_free(struct bpfbox_ringbuf *rb)
{
	size_t i;

	if (!rb)
		return;
	for (i = 0; i < rb->cnt; i++)
		ring_unmap(&rb->rings[i]);
	if (rb->epoll_fd >= 0)
		close(rb->epoll_fd);
	free(rb->rings);
	free(rb->events);
	free(rb);
}
