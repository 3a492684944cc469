// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Perf buffer consumer (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one
 * PERF_COUNT_SW_BPF_OUTPUT event per online CPU, its fd stored in the map
 * at key = cpu, its ring mmap()ed (one metadata page, then a power-of-2
 * number of data pages) and watched by one epoll set.
 *
 * A ring is read from data_tail to data_head: head read with acquire,
 * tail written with release once per batch. Records are 8-byte aligned
 * and at most 64 KiB (the header's size is a u16); one that wraps the
 * end of the ring is copied into a scratch buffer so the callback sees it
 * in one piece.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "bpfbox.h"
#include "cpus.h"
#include "err.h"
#include "map_info.h"


struct bb_cpu_buf {
	int cpu;
	int fd;
	void *base;			/* struct perf_event_mmap_page */
};

struct bpfbox_perfbuf {
	bpfbox_perfbuf_sample_cb sample_cb;
	bpfbox_perfbuf_lost_cb lost_cb;
	void *ctx;
	int map_fd;
	int epoll_fd;
	size_t page;
	size_t data_size;		/* pages_per_cpu * page */
	struct bb_cpu_buf *bufs;
	size_t cnt;
	struct epoll_event *events;
	uint8_t *scratch;		/* for records that wrap */
	size_t scratch_size;
	uint64_t lost;
};

static int check_map(int map_fd, uint32_t *max_entries)
{
	struct bpf_map_info info;
	int err;

	err = bb_map_info_expect(map_fd, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
				 "perfbuf", &info);
	if (err)
		return err;
	*max_entries = info.max_entries;
	return 0;
}

/* open, map and register the event of one CPU; 1 = skipped (offline) */
static int open_cpu_buf(struct bpfbox_perfbuf *pb, int cpu,
			uint32_t wakeup_events, struct bb_cpu_buf *b)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct perf_event_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	attr.wakeup_events = wakeup_events ? wakeup_events : 1;
	fd = bpfbox_perf_event_open(&attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd == -ENODEV)
		return 1;	/* went offline since we read the list */
	if (fd < 0)
		return bb_err(fd, "perfbuf: CPU %d: perf_event_open(BPF_OUTPUT): %s",
			      cpu, strerror(-fd));
	b->cpu = cpu;
	b->fd = fd;
	b->base = mmap(NULL, pb->page + pb->data_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);
	if (b->base == MAP_FAILED) {
		err = errno;
		b->base = NULL;
		return bb_err(err, "perfbuf: CPU %d: mmap of %zu bytes: %s%s",
			      cpu, pb->page + pb->data_size, strerror(err),
			      err == EPERM ? " (over perf_event_mlock_kb? use fewer pages_per_cpu)" : "");
	}
	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = errno;
		return bb_err(err, "perfbuf: CPU %d: enabling the event: %s",
			      cpu, strerror(err));
	}
	err = bpfbox_map_update_elem(pb->map_fd, &cpu, &fd, BPF_ANY);
	if (err)
		return bb_err(err, "perfbuf: map fd %d: storing CPU %d's event at key %d: %s",
			      pb->map_fd, cpu, cpu, strerror(-err));
	ev.data.u32 = pb->cnt;
	if (epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = errno;
		return bb_err(err, "perfbuf: CPU %d: epoll_ctl: %s", cpu,
			      strerror(err));
	}
	return 0;
}

static void close_cpu_buf(struct bpfbox_perfbuf *pb, struct bb_cpu_buf *b)
{
	if (b->base)
		munmap(b->base, pb->page + pb->data_size);
	if (b->fd >= 0) {
		/*
		 * The map holds its own reference to the event: closing our
		 * fd alone would leave the entry (and the event's buffer)
		 * alive as long as the map, so take the entry out first.
		 */
		bpfbox_map_delete_elem(pb->map_fd, &b->cpu);
		close(b->fd);
	}
	b->base = NULL;
	b->fd = -1;
}

static int open_all_cpus(struct bpfbox_perfbuf *pb, uint32_t max_entries,
			 uint32_t wakeup_events)
{
	uint8_t online[BB_CPU_SET_BYTES] = { 0 };
	struct bb_cpu_buf *b;
	int cpu, ret;

	ret = bb_cpus_read("online", online);
	if (ret < 0)
		return bb_err_wrap(ret, "perfbuf");
	pb->bufs = calloc(BB_MAX_CPUS, sizeof(*pb->bufs));
	pb->events = calloc(BB_MAX_CPUS, sizeof(*pb->events));
	if (!pb->bufs || !pb->events)
		return bb_err(ENOMEM, "perfbuf: out of memory");
	for (cpu = 0; cpu < BB_MAX_CPUS; cpu++) {
		/* CPUs past the map's size cannot be written by BPF */
		if (!bb_cpu_isset(online, cpu) ||
		    (uint32_t)cpu >= max_entries)
			continue;
		b = &pb->bufs[pb->cnt];
		b->fd = -1;
		ret = open_cpu_buf(pb, cpu, wakeup_events, b);
		if (ret < 0) {
			close_cpu_buf(pb, b);
			return ret;
		}
		if (ret == 0)
			pb->cnt++;
	}
	if (!pb->cnt)
		return bb_err(ENODEV, "perfbuf: map fd %d: no online CPU below its %u entries",
			      pb->map_fd, max_entries);
	return 0;
}

int bpfbox_perfbuf_new(int map_fd, bpfbox_perfbuf_sample_cb sample_cb,
		       bpfbox_perfbuf_lost_cb lost_cb, void *ctx,
		       const struct bpfbox_perfbuf_opts *opts,
		       struct bpfbox_perfbuf **out)
{
	size_t pages = opts && opts->pages_per_cpu ? opts->pages_per_cpu : 64;
	uint32_t wakeup = opts ? opts->wakeup_events : 0;
	struct bpfbox_perfbuf *pb;
	uint32_t max_entries = 0;
	int err;

	if (!out || !sample_cb)
		return bb_err(EINVAL, "perfbuf: map fd %d: no %s", map_fd,
			      out ? "sample callback" : "place for the handle");
	if (pages & (pages - 1) || pages > (1U << 20))
		return bb_err(EINVAL, "perfbuf: map fd %d: pages_per_cpu %zu is not a power of 2 up to 2^20",
			      map_fd, pages);
	err = check_map(map_fd, &max_entries);
	if (err)
		return err;
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return bb_err(ENOMEM, "perfbuf: out of memory");
	pb->sample_cb = sample_cb;
	pb->lost_cb = lost_cb;
	pb->ctx = ctx;
	pb->map_fd = map_fd;
	pb->page = sysconf(_SC_PAGESIZE);
	pb->data_size = pages * pb->page;
	pb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (pb->epoll_fd < 0) {
		err = bb_err(errno, "perfbuf: epoll_create1: %s",
			     strerror(errno));
		goto fail;
	}
	err = open_all_cpus(pb, max_entries, wakeup);
	if (err)
		goto fail;
	*out = pb;
	return 0;
fail:
	bpfbox_perfbuf_free(pb);
	return err;
}

static int bad_record(const struct bpfbox_perfbuf *pb, const struct bb_cpu_buf *b,
		      uint64_t pos, uint32_t size, uint64_t avail)
{
	return bb_err(EBADMSG, "perfbuf: CPU %d: record at position %llu claims %u bytes with %llu available: corrupt ring, skipped to its head (map fd %d)",
		      b->cpu, (unsigned long long)pos, size,
		      (unsigned long long)avail, pb->map_fd);
}

/* copy a record that wraps the end of the ring into the scratch buffer */
static const void *unwrap(struct bpfbox_perfbuf *pb, const uint8_t *data,
			  size_t off, size_t size)
{
	size_t first = pb->data_size - off;

	if (pb->scratch_size < size) {
		uint8_t *s = realloc(pb->scratch, size);

		if (!s)
			return NULL;
		pb->scratch = s;
		pb->scratch_size = size;
	}
	memcpy(pb->scratch, data + off, first);
	memcpy(pb->scratch + first, data, size - first);
	return pb->scratch;
}

/* one record; returns 1 for a sample, 0 for others, <0 to stop */
static int handle_record(struct bpfbox_perfbuf *pb, struct bb_cpu_buf *b,
			 const struct perf_event_header *eh)
{
	const struct { struct perf_event_header h; uint64_t id, lost; } *lr;
	uint32_t raw_size;
	int ret;

	switch (eh->type) {
	case PERF_RECORD_SAMPLE:
		if (eh->size < sizeof(*eh) + sizeof(uint32_t))
			return 0;
		memcpy(&raw_size, eh + 1, sizeof(raw_size));
		if (raw_size > eh->size - sizeof(*eh) - sizeof(uint32_t))
			return 0;	/* bogus: never read past the record */
		ret = pb->sample_cb(pb->ctx, b->cpu,
				    (const uint8_t *)(eh + 1) + sizeof(uint32_t),
				    raw_size);
		return ret < 0 ? ret : 1;
	case PERF_RECORD_LOST:
		if (eh->size < sizeof(*lr))
			return 0;
		lr = (const void *)eh;
		pb->lost += lr->lost;
		if (pb->lost_cb)
			pb->lost_cb(pb->ctx, b->cpu, lr->lost);
		return 0;
	default:
		return 0;
	}
}

static int consume_buf(struct bpfbox_perfbuf *pb, struct bb_cpu_buf *b,
		       int64_t *cnt)
{
	struct perf_event_mmap_page *mp = b->base;
	const uint8_t *data = (const uint8_t *)b->base + pb->page;
	const struct perf_event_header *eh;
	struct perf_event_header h;
	uint64_t head, tail;
	size_t off;
	int ret = 0;

	head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	tail = mp->data_tail;		/* only we write it */
	if (tail == head)
		return 0;
	while (tail != head) {
		off = tail & (pb->data_size - 1);
		/* records are 8-byte aligned: a header never wraps */
		memcpy(&h, data + off, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail ||
		    off + sizeof(h) > pb->data_size) {
			ret = bad_record(pb, b, tail, h.size, head - tail);
			tail = head;
			break;
		}
		eh = (const void *)(data + off);
		if (off + h.size > pb->data_size) {
			eh = unwrap(pb, data, off, h.size);
			if (!eh) {
				ret = bb_err(ENOMEM, "perfbuf: CPU %d: out of memory for a %u-byte record",
					     b->cpu, h.size);
				break;
			}
		}
		ret = handle_record(pb, b, eh);
		tail += h.size;
		if (ret < 0)
			break;
		*cnt += ret;
		ret = 0;
	}
	__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
	return ret;
}

static int clamp_count(int64_t cnt)
{
	return cnt > INT_MAX ? INT_MAX : (int)cnt;
}

int bpfbox_perfbuf_consume(struct bpfbox_perfbuf *pb)
{
	int64_t cnt = 0;
	size_t i;
	int err;

	if (!pb)
		return bb_err(EINVAL, "perfbuf: no handle");
	for (i = 0; i < pb->cnt; i++) {
		err = consume_buf(pb, &pb->bufs[i], &cnt);
		if (err)
			return err;
	}
	return clamp_count(cnt);
}

int bpfbox_perfbuf_poll(struct bpfbox_perfbuf *pb, int timeout_ms)
{
	int n, err;

	if (!pb)
		return bb_err(EINVAL, "perfbuf: no handle");
	n = epoll_wait(pb->epoll_fd, pb->events, (int)pb->cnt, timeout_ms);
	if (n < 0) {
		err = errno;
		return bb_err(err, "perfbuf: epoll_wait: %s", strerror(err));
	}
	/*
	 * Not only the buffers epoll reported: a perf event's readiness is
	 * cleared by whoever polls it first, so a caller that waited on
	 * epoll_fd in its own loop (ppoll, another epoll) has taken it and
	 * our epoll_wait reports nothing though the data is there. Reading
	 * every buffer costs one load per CPU when it is empty.
	 */
	return bpfbox_perfbuf_consume(pb);
}

int bpfbox_perfbuf_epoll_fd(const struct bpfbox_perfbuf *pb)
{
	return pb ? pb->epoll_fd : -EINVAL;
}

uint64_t bpfbox_perfbuf_lost(const struct bpfbox_perfbuf *pb)
{
	return pb ? pb->lost : 0;
}

void bpfbox_perfbuf_free(struct bpfbox_perfbuf *pb)
{
	size_t i;

	if (!pb)
		return;
	for (i = 0; i < pb->cnt; i++)
		close_cpu_buf(pb, &pb->bufs[i]);
	if (pb->epoll_fd >= 0)
		close(pb->epoll_fd);
	free(pb->bufs);
	free(pb->events);
	free(pb->scratch);
	free(pb);
}
