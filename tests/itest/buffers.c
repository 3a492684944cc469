// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event channels against the running kernel (root): the ring buffer and
 * perf buffer consumers of libbpfbox, fed by tests/progs/buffers_prod.bpf.c
 * run with BPF_PROG_TEST_RUN from a producer thread while the main thread
 * consumes, both at full speed. Every record carries a sequence number
 * and a byte pattern; every number produced must be either received
 * intact exactly once or marked dropped by the producer, exactly.
 *
 *   buffers [PROGS_DIR]     (default $BB_PROGS_DIR, then build/progs)
 *
 * Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" per check and
 * exits 1 if any failed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bpfbox.h"
#include "itest.h"

#define MODE_DEFAULT	0
#define MODE_FORCE	1
#define MODE_ADAPTIVE	2
#define DROP_WORDS	(1 << 14)
#define MAX_SEQ		((uint64_t)DROP_WORDS * 64)

/* tests/progs/buffers_prod.bpf.c */
struct rec {
	uint64_t seq;
	uint32_t len;
	uint32_t check;
};

struct stats {
	uint64_t dropped;
	uint64_t produced;
	int64_t last_perf_err;
	uint64_t drop_bits[DROP_WORDS];
};

static struct bpfbox_object *obj;
static struct stats *st;

static int prog_fd(const char *name)
{
	struct bpfbox_prog *p = bpfbox_object_find_prog(obj, name);

	return p ? bpfbox_prog_fd(p) : -1;
}

static int map_fd(const char *name)
{
	struct bpfbox_map *m = bpfbox_object_find_map(obj, name);

	return m ? bpfbox_map_fd(m) : -1;
}

static void reset_stats(void)
{
	memset(st, 0, sizeof(*st));
}

static bool drop_bit(uint64_t seq)
{
	return st->drop_bits[(seq >> 6) % DROP_WORDS] >> (seq & 63) & 1;
}

/* ------------------------------------------------------------------ */
/* Checking records                                                     */

struct checker {
	const char *what;
	uint64_t base, n;
	uint8_t *seen;			/* n bits */
	uint64_t received;
	uint64_t bad;
	char first_bad[256];
	/* stop test: return this after the stop_at'th record */
	uint64_t stop_at;
	int stop_ret;
	/* ring position of the next record, to count the wrapped ones */
	uint64_t pos, ring_size, wrapped;
	uint64_t last_seq;
};

static void checker_init(struct checker *c, const char *what, uint64_t base,
			 uint64_t n)
{
	memset(c, 0, sizeof(*c));
	c->what = what;
	c->base = base;
	c->n = n;
	c->seen = calloc((n + 7) / 8, 1);
	if (!c->seen) {
		perror("calloc");
		exit(2);
	}
}

static void checker_free(struct checker *c)
{
	free(c->seen);
	c->seen = NULL;
}

static __attribute__((format(printf, 2, 3)))
void bad(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->bad++) {
		va_start(ap, fmt);
		vsnprintf(c->first_bad, sizeof(c->first_bad), fmt, ap);
		va_end(ap);
	}
}

/* header, sequence number and every payload byte; size >= rec len */
static void check_record(struct checker *c, const void *data, size_t size)
{
	const uint8_t *p = data;
	struct rec r;
	uint64_t idx;
	size_t i;

	if (size < sizeof(r)) {
		bad(c, "record of %zu bytes, shorter than its header", size);
		return;
	}
	memcpy(&r, data, sizeof(r));
	if (r.len < sizeof(r) || r.len > size) {
		bad(c, "seq %llu: len %u but %zu bytes delivered",
		    (unsigned long long)r.seq, r.len, size);
		return;
	}
	if (r.check != ((uint32_t)(r.seq * 2654435761ULL) ^ r.len)) {
		bad(c, "seq %llu: header check mismatch", (unsigned long long)r.seq);
		return;
	}
	if (r.seq < c->base || r.seq - c->base >= c->n) {
		bad(c, "seq %llu outside [%llu, %llu)", (unsigned long long)r.seq,
		    (unsigned long long)c->base,
		    (unsigned long long)(c->base + c->n));
		return;
	}
	for (i = sizeof(r); i < r.len; i++)
		if (p[i] != (uint8_t)(r.seq * 13 + (i - sizeof(r)))) {
			bad(c, "seq %llu: payload byte %zu is %#x",
			    (unsigned long long)r.seq, i, p[i]);
			return;
		}
	idx = r.seq - c->base;
	if (c->seen[idx / 8] & (1 << (idx % 8))) {
		bad(c, "seq %llu received twice", (unsigned long long)r.seq);
		return;
	}
	c->seen[idx / 8] |= 1 << (idx % 8);
	c->last_seq = r.seq;
	c->received++;
}

/* every number received or dropped, never both, never neither */
static bool account(struct checker *c, const char *what)
{
	uint64_t i, seq, both = 0, neither = 0, dropped = 0;
	bool seen;

	for (i = 0; i < c->n; i++) {
		seq = c->base + i;
		seen = c->seen[i / 8] & (1 << (i % 8));
		if (drop_bit(seq))
			dropped++;
		if (seen && drop_bit(seq))
			both++;
		if (!seen && !drop_bit(seq))
			neither++;
	}
	if (c->bad) {
		fail(what, "%llu bad records, first: %s",
		     (unsigned long long)c->bad, c->first_bad);
		return false;
	}
	if (both || neither || c->received + dropped != c->n) {
		fail(what, "received %llu + dropped %llu != produced %llu (%llu both, %llu neither)",
		     (unsigned long long)c->received,
		     (unsigned long long)dropped, (unsigned long long)c->n,
		     (unsigned long long)both, (unsigned long long)neither);
		return false;
	}
	return true;
}

static int ring_cb(void *ctx, const void *data, size_t size)
{
	struct checker *c = ctx;
	size_t slot = (size + 8 + 7) & ~(size_t)7;

	/* a ring record is exactly as long as reserved */
	if (size >= sizeof(struct rec) &&
	    ((const struct rec *)data)->len != size)
		bad(c, "ring record of %zu bytes says len %u", size,
		    ((const struct rec *)data)->len);
	check_record(c, data, size);
	if (c->ring_size) {
		if ((c->pos % c->ring_size) + slot > c->ring_size)
			c->wrapped++;
		c->pos += slot;
	}
	if (c->stop_at && c->received == c->stop_at)
		return c->stop_ret;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The producer thread                                                  */

struct producer {
	int fd[2];			/* programs, used in turn per chunk */
	uint64_t start[2];
	uint64_t n;			/* records per program */
	uint64_t chunk;
	uint64_t mode, thresh;
	bool per_run;			/* one record per run, CPUs in turn */
	int ncpus;
	int err;
	char errmsg[256];
	atomic_bool done;
};

static int run_prog(int fd, uint64_t seq, uint64_t cnt, uint64_t mode,
		    uint64_t thresh, int cpu)
{
	uint64_t args[4] = { seq, cnt, mode, thresh };
	struct bpfbox_test_run_opts o = {
		.sz = sizeof(o),
		.ctx_in = args,
		.ctx_size_in = sizeof(args),
	};

	if (cpu >= 0) {
		o.flags = BPF_F_TEST_RUN_ON_CPU;
		o.cpu = cpu;
	}
	return bpfbox_prog_test_run(fd, &o);
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	uint64_t done = 0, cnt;
	int i, err = 0;

	while (done < p->n && !err) {
		cnt = p->per_run ? 1 : p->n - done < p->chunk ? p->n - done :
								p->chunk;
		for (i = 0; i < 2 && !err; i++) {
			if (p->fd[i] < 0)
				continue;
			err = run_prog(p->fd[i], p->start[i] + done, cnt,
				       p->mode, p->thresh,
				       p->per_run ? (int)(done % p->ncpus) : -1);
		}
		done += cnt;
	}
	if (err) {
		p->err = err;
		snprintf(p->errmsg, sizeof(p->errmsg), "test run: %s",
			 strerror(-err));
	}
	atomic_store(&p->done, true);
	return NULL;
}

static void producer_init(struct producer *p, int fd0, uint64_t start0,
			  uint64_t n)
{
	memset(p, 0, sizeof(*p));
	p->fd[0] = fd0;
	p->fd[1] = -1;
	p->start[0] = start0;
	p->n = n;
	p->chunk = 10000;
}

/* consume with `poll` until the producer is done and the rings empty */
struct drain_stats {
	uint64_t polls, nonempty;
	long csw;			/* voluntary context switches */
	int err;
};

static long thread_csw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_nvcsw;
}

static int ring_drain(struct bpfbox_ringbuf *rb, struct producer *p,
		      struct drain_stats *ds)
{
	pthread_t t;
	long csw0;
	int n;

	memset(ds, 0, sizeof(*ds));
	csw0 = thread_csw();
	if (pthread_create(&t, NULL, produce, p))
		return -EAGAIN;
	for (;;) {
		bool done = atomic_load(&p->done);

		n = bpfbox_ringbuf_poll(rb, 10);
		ds->polls++;
		if (n < 0)
			break;
		if (n > 0)
			ds->nonempty++;
		/* done was read before this poll: it saw everything */
		if (done && n == 0) {
			n = bpfbox_ringbuf_consume(rb);
			if (n <= 0)
				break;
		}
	}
	pthread_join(t, NULL);
	ds->csw = thread_csw() - csw0;
	ds->err = n < 0 ? n : 0;
	return ds->err;
}

/* ------------------------------------------------------------------ */
/* Ring buffer tests                                                    */

static void test_million(void)
{
	const char *what = "ringbuf: 1000000 records at full speed into 16 KiB: received + dropped == produced, payloads intact";
	struct bpfbox_ringbuf *rb = NULL;
	struct drain_stats ds;
	struct producer p;
	struct checker c;
	int err;

	reset_stats();
	checker_init(&c, what, 0, 1000000);
	producer_init(&p, prog_fd("prod_a"), 0, c.n);
	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = bpfbox_ringbuf_add(rb, map_fd("rb_a"), ring_cb, &c);
	if (err) {
		fail(what, "setup: %s", bpfbox_errmsg());
		goto out;
	}
	err = ring_drain(rb, &p, &ds);
	if (err || p.err) {
		fail(what, "%s", err ? bpfbox_errmsg() : p.errmsg);
		goto out;
	}
	if (st->produced + st->dropped != c.n) {
		fail(what, "producer: written %llu + dropped %llu != %llu",
		     (unsigned long long)st->produced,
		     (unsigned long long)st->dropped,
		     (unsigned long long)c.n);
		goto out;
	}
	if (account(&c, what))
		okf("%s (received %llu, dropped %llu, %llu polls)", what,
		   (unsigned long long)c.received,
		   (unsigned long long)st->dropped,
		   (unsigned long long)ds.polls);
	if (c.received && st->dropped)
		okf("ringbuf: the 1000000-record run both delivered and dropped (the ring was really full at times)");
	else
		printf("skip ringbuf: the 1000000-record run %s (the consumer %s)\n",
		       c.received ? "never filled the ring" : "received nothing",
		       c.received ? "kept up" : "failed");
out:
	bpfbox_ringbuf_free(rb);
	checker_free(&c);
}

/*
 * Deterministic: 50 records (2800 bytes) then a drain, 200 times, so the
 * write position walks round the 4096-byte ring and records straddle
 * its end at known places; nothing may be dropped.
 */
static void test_wrap(void)
{
	const char *what = "ringbuf: 45-byte records through a 4 KiB ring: every wrapped record intact";
	struct bpfbox_ringbuf *rb = NULL;
	struct checker c;
	int i, n, err, fd = prog_fd("prod_odd");

	reset_stats();
	checker_init(&c, what, 0, 10000);
	c.ring_size = 4096;
	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = bpfbox_ringbuf_add(rb, map_fd("rb_odd"), ring_cb, &c);
	if (err) {
		fail(what, "setup: %s", bpfbox_errmsg());
		goto out;
	}
	for (i = 0; i < 200; i++) {
		err = run_prog(fd, i * 50, 50, MODE_DEFAULT, 0, -1);
		n = err ? 0 : bpfbox_ringbuf_poll(rb, 1000);
		if (err || n != 50) {
			fail(what, "round %d: test run %s, poll returned %d (%s)",
			     i, strerror(-err), n, n < 0 ? bpfbox_errmsg() : "");
			goto out;
		}
	}
	if (!account(&c, what))
		goto out;
	if (st->dropped || !c.wrapped)
		fail(what, "%llu dropped, %llu of %llu records wrapped",
		     (unsigned long long)st->dropped,
		     (unsigned long long)c.wrapped,
		     (unsigned long long)c.received);
	else
		okf("%s (%llu of %llu records wrapped)", what,
		   (unsigned long long)c.wrapped,
		   (unsigned long long)c.received);
out:
	bpfbox_ringbuf_free(rb);
	checker_free(&c);
}

static void test_two_rings(void)
{
	const char *what = "ringbuf: two rings in one poll loop both delivered";
	struct bpfbox_ringbuf *rb = NULL;
	struct checker ca, cb;
	struct drain_stats ds;
	struct producer p;
	int err;

	reset_stats();
	checker_init(&ca, "ring a", 0, 200000);
	checker_init(&cb, "ring b", 500000, 200000);
	producer_init(&p, prog_fd("prod_a"), 0, 200000);
	p.fd[1] = prog_fd("prod_b");
	p.start[1] = 500000;
	p.chunk = 2000;
	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = bpfbox_ringbuf_add(rb, map_fd("rb_a"), ring_cb, &ca);
	if (!err)
		err = bpfbox_ringbuf_add(rb, map_fd("rb_b"), ring_cb, &cb);
	if (err) {
		fail(what, "setup: %s", bpfbox_errmsg());
		goto out;
	}
	err = ring_drain(rb, &p, &ds);
	if (err || p.err) {
		fail(what, "%s", err ? bpfbox_errmsg() : p.errmsg);
		goto out;
	}
	if (!account(&ca, "ringbuf: two rings, ring a: received + dropped == produced") ||
	    !account(&cb, "ringbuf: two rings, ring b: received + dropped == produced"))
		goto out;
	if (!ca.received || !cb.received)
		fail(what, "ring a received %llu, ring b %llu",
		     (unsigned long long)ca.received,
		     (unsigned long long)cb.received);
	else
		okf("%s (a: %llu, b: %llu received)", what,
		   (unsigned long long)ca.received,
		   (unsigned long long)cb.received);
out:
	bpfbox_ringbuf_free(rb);
	checker_free(&ca);
	checker_free(&cb);
}

static void test_stop(void)
{
	const char *what = "ringbuf: callback returning -42 stops, the rest comes with the next consume";
	struct bpfbox_ringbuf *rb = NULL;
	struct checker c;
	int err, n1, n2, n3;

	reset_stats();
	checker_init(&c, what, 1000, 100);
	err = bpfbox_ringbuf_new(&rb);
	if (!err)
		err = bpfbox_ringbuf_add(rb, map_fd("rb_a"), ring_cb, &c);
	if (err) {
		fail(what, "setup: %s", bpfbox_errmsg());
		goto out;
	}
	/* whatever earlier tests left is gone: the producer was done */
	err = run_prog(prog_fd("prod_a"), 1000, 100, MODE_DEFAULT, 0, -1);
	if (err || st->dropped) {
		fail(what, "producing 100 records: %s, %llu dropped",
		     strerror(-err), (unsigned long long)st->dropped);
		goto out;
	}
	c.stop_at = 10;
	c.stop_ret = -42;
	n1 = bpfbox_ringbuf_poll(rb, 1000);
	if (n1 != -42 || c.received != 10 || c.last_seq != 1009) {
		fail(what, "first poll returned %d after %llu records (last seq %llu), expected -42 after 10",
		     n1, (unsigned long long)c.received,
		     (unsigned long long)c.last_seq);
		goto out;
	}
	c.stop_at = 0;
	n2 = bpfbox_ringbuf_consume(rb);
	n3 = bpfbox_ringbuf_consume(rb);
	if (n2 != 90 || n3 != 0 || !account(&c, what)) {
		fail(what, "next consume returned %d (expected 90) then %d (expected 0)",
		     n2, n3);
		goto out;
	}
	okf("%s (10, then 90, then 0)", what);
out:
	bpfbox_ringbuf_free(rb);
	checker_free(&c);
}

static void test_adaptive(void)
{
	const char *modes[] = { "always-wakeup", "adaptive wakeup" };
	uint64_t mode[] = { MODE_FORCE, MODE_ADAPTIVE };
	struct drain_stats ds[2];
	struct bpfbox_ringbuf *rb;
	struct producer p;
	struct checker c;
	char what[160];
	int i, err;

	for (i = 0; i < 2; i++) {
		snprintf(what, sizeof(what), "ringbuf: %s: 300000 records all accounted for",
			 modes[i]);
		rb = NULL;
		reset_stats();
		checker_init(&c, what, 0, 300000);
		producer_init(&p, prog_fd("prod_a"), 0, c.n);
		p.chunk = 1000;
		p.mode = mode[i];
		p.thresh = 4096;
		err = bpfbox_ringbuf_new(&rb);
		if (!err)
			err = bpfbox_ringbuf_add(rb, map_fd("rb_a"), ring_cb, &c);
		if (err)
			fail(what, "setup: %s", bpfbox_errmsg());
		else if ((err = ring_drain(rb, &p, &ds[i])) || p.err)
			fail(what, "%s", err ? bpfbox_errmsg() : p.errmsg);
		else if (account(&c, what))
			okf("%s (received %llu, dropped %llu; consumer: %ld context switches, %llu polls with data)",
			   what, (unsigned long long)c.received,
			   (unsigned long long)st->dropped, ds[i].csw,
			   (unsigned long long)ds[i].nonempty);
		bpfbox_ringbuf_free(rb);
		checker_free(&c);
	}
}

static void test_wrong_map(void)
{
	const char *what = "ringbuf: add on a perf_event_array map fails naming the map fd and type";
	struct bpfbox_ringbuf *rb = NULL;
	char want[64];
	int fd = map_fd("perf_map"), err;

	if (bpfbox_ringbuf_new(&rb)) {
		fail(what, "ringbuf_new: %s", bpfbox_errmsg());
		return;
	}
	err = bpfbox_ringbuf_add(rb, fd, ring_cb, NULL);
	snprintf(want, sizeof(want), "map fd %d", fd);
	if (err != -EINVAL || !strstr(bpfbox_errmsg(), want) ||
	    !strstr(bpfbox_errmsg(), "perf_event_array"))
		fail(what, "returned %d: \"%s\"", err, bpfbox_errmsg());
	else
		okf("%s (\"%s\")", what, bpfbox_errmsg());
	/* and the handle is still good: a real ring can be added */
	err = bpfbox_ringbuf_add(rb, map_fd("rb_b"), ring_cb, NULL);
	if (err)
		fail("ringbuf: a failed add leaves the handle usable", "%s",
		     bpfbox_errmsg());
	else
		okf("ringbuf: a failed add leaves the handle usable");
	bpfbox_ringbuf_free(rb);
}

/* ------------------------------------------------------------------ */
/* Perf buffer                                                          */

#define PERF_PAGES 2
#define PERF_BURST 500		/* ~60 fit into 8 KiB */

#define FLUSH_SEQ 900000		/* records sent after the run */

struct perf_checker {
	struct checker c;
	uint64_t flushed;
	uint64_t lost_cb_total;
	uint64_t pos[64];		/* per CPU ring position */
	uint64_t wrapped;
	uint64_t ring_bytes;
};

static int perf_sample(void *ctx, int cpu, const void *data, size_t size)
{
	struct perf_checker *pc = ctx;
	/* header, u32 size, raw data (size already padded to 8) */
	uint64_t rec = 8 + 4 + size;

	uint64_t seq = 0;

	/* perf raw data sits 4 bytes past an 8-byte boundary: memcpy */
	if (size >= sizeof(seq))
		memcpy(&seq, data, sizeof(seq));
	if (seq >= FLUSH_SEQ)
		pc->flushed++;
	else
		check_record(&pc->c, data, size);
	if (cpu >= 0 && cpu < 64) {
		if (pc->pos[cpu] % pc->ring_bytes + rec > pc->ring_bytes)
			pc->wrapped++;
		pc->pos[cpu] += rec;
	}
	if (size >= sizeof(struct rec) &&
	    (size + 4) % 8)
		bad(&pc->c, "raw size %zu + 4 is not 8-aligned: padding not passed on", size);
	return 0;
}

static void perf_lost(void *ctx, int cpu, uint64_t lost)
{
	struct perf_checker *pc = ctx;

	pc->lost_cb_total += lost;
	if (cpu >= 0 && cpu < 64)
		pc->pos[cpu] += 24;	/* header, id, lost */
}

static void test_perf(void)
{
	const char *what = "perfbuf: 40000 samples on every CPU into 8 KiB rings: received + lost == produced";
	struct bpfbox_perfbuf_opts o = { .sz = sizeof(o),
					 .pages_per_cpu = PERF_PAGES,
					 .wakeup_events = 4 };
	struct bpfbox_perfbuf *pb = NULL;
	struct perf_checker pc;
	struct producer p;
	pthread_t t;
	bool made;
	int i, n = 0, err, fd = map_fd("perf_map");
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);

	reset_stats();
	memset(&pc, 0, sizeof(pc));
	checker_init(&pc.c, what, 0, 40000);
	pc.ring_bytes = PERF_PAGES * sysconf(_SC_PAGESIZE);
	producer_init(&p, prog_fd("prod_perf"), PERF_BURST,
		      pc.c.n - PERF_BURST);
	p.per_run = true;
	p.ncpus = ncpus > 0 && ncpus < 64 ? ncpus : 1;
	err = bpfbox_perfbuf_new(fd, perf_sample, perf_lost, &pc, &o, &pb);
	if (err) {
		fail(what, "setup: %s", bpfbox_errmsg());
		goto out;
	}
	/* a burst nobody reads first, so that some samples surely get lost */
	for (i = 0; i < PERF_BURST; i++)
		run_prog(p.fd[0], i, 1, 0, 0, 0);
	if (pthread_create(&t, NULL, produce, &p)) {
		fail(what, "pthread_create failed");
		goto out;
	}
	for (;;) {
		bool done = atomic_load(&p.done);

		n = bpfbox_perfbuf_poll(pb, 10);
		if (n < 0 || (done && n == 0 &&
			      (n = bpfbox_perfbuf_consume(pb)) <= 0))
			break;
	}
	pthread_join(t, NULL);
	if (n < 0 || p.err) {
		fail(what, "%s", n < 0 ? bpfbox_errmsg() : p.errmsg);
		goto out;
	}
	/*
	 * The kernel writes a PERF_RECORD_LOST only before the next sample
	 * that fits: losses at the very end show up once one more sample
	 * goes to that CPU's (now empty) ring.
	 */
	for (i = 0; i < p.ncpus; i++)
		run_prog(p.fd[0], FLUSH_SEQ + i, 1, 0, 0, i);
	n = bpfbox_perfbuf_consume(pb);
	if (n < 0 || pc.flushed != (uint64_t)p.ncpus) {
		fail(what, "flush: consume returned %d, %llu of %d flush samples",
		     n, (unsigned long long)pc.flushed, p.ncpus);
		goto out;
	}
	if (!account(&pc.c, what))
		goto out;
	if (pc.c.received + bpfbox_perfbuf_lost(pb) != pc.c.n) {
		fail(what, "received %llu + lost %llu != %llu",
		     (unsigned long long)pc.c.received,
		     (unsigned long long)bpfbox_perfbuf_lost(pb),
		     (unsigned long long)pc.c.n);
		goto out;
	}
	if (!pc.lost_cb_total)
		fail("perfbuf: losses reported", "none after a burst of %d samples into %llu bytes",
		     PERF_BURST, (unsigned long long)pc.ring_bytes);
	if (pc.lost_cb_total != bpfbox_perfbuf_lost(pb) ||
	    pc.lost_cb_total != st->dropped)
		fail("perfbuf: lost counts agree", "lost_cb total %llu, bpfbox_perfbuf_lost %llu, producer's failed outputs %llu",
		     (unsigned long long)pc.lost_cb_total,
		     (unsigned long long)bpfbox_perfbuf_lost(pb),
		     (unsigned long long)st->dropped);
	else
		okf("perfbuf: lost counts agree: lost_cb, bpfbox_perfbuf_lost and the producer's failed outputs all %llu",
		   (unsigned long long)pc.lost_cb_total);
	okf("%s (received %llu, lost %llu)", what,
	   (unsigned long long)pc.c.received,
	   (unsigned long long)bpfbox_perfbuf_lost(pb));
	if (pc.wrapped)
		okf("perfbuf: %llu records wrapped the end of a ring, all intact",
		   (unsigned long long)pc.wrapped);
	else
		fail("perfbuf: records wrapped the end of a ring",
		     "none did in %llu samples", (unsigned long long)pc.c.received);
out:
	made = pb != NULL;
	bpfbox_perfbuf_free(pb);
	checker_free(&pc.c);
	if (!made)
		return;
	/* after free, the map must no longer point at our events */
	st->last_perf_err = 0;
	err = run_prog(prog_fd("prod_perf"), 0, 1, 0, 0, 0);
	if (err || st->last_perf_err != -ENOENT)
		fail("perfbuf: free takes the events out of the map",
		     "a write after free returned %lld, expected -ENOENT",
		     (long long)st->last_perf_err);
	else
		okf("perfbuf: free takes the events out of the map (a write after it gets -ENOENT)");
}

static void test_perf_wrong_map(void)
{
	const char *what = "perfbuf: new on a ringbuf map fails naming the map fd and type";
	struct bpfbox_perfbuf *pb = NULL;
	int err, fd = map_fd("rb_b");
	char want[64];

	err = bpfbox_perfbuf_new(fd, perf_sample, NULL, NULL, NULL, &pb);
	snprintf(want, sizeof(want), "map fd %d", fd);
	if (err != -EINVAL || pb || !strstr(bpfbox_errmsg(), want) ||
	    !strstr(bpfbox_errmsg(), "ringbuf"))
		fail(what, "returned %d: \"%s\"", err, bpfbox_errmsg());
	else
		okf("%s (\"%s\")", what, bpfbox_errmsg());
	bpfbox_perfbuf_free(pb);
}

/* ------------------------------------------------------------------ */

static int setup(const char *dir)
{
	struct bpfbox_map *bss;
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/buffers_prod.bpf.o", dir);
	err = bpfbox_object_open_file(path, NULL, &obj);
	if (!err)
		err = bpfbox_object_load(obj, NULL);
	if (err) {
		fail("buffers: load buffers_prod.bpf.o", "%s: %s", path,
		     bpfbox_errmsg());
		return err;
	}
	bss = bpfbox_object_find_map(obj, ".bss");
	st = bss ? bpfbox_map_mmap(bss) : NULL;
	if (!st) {
		fail("buffers: map .bss", "%s", bpfbox_errmsg());
		return -ENOENT;
	}
	okf("buffers: load buffers_prod.bpf.o");
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("BB_PROGS_DIR");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!dir)
		dir = "build/progs";
	if (geteuid() != 0) {
		printf("skip buffers: needs root (bpf(2))\n");
		return 0;
	}
	if (setup(dir))
		return 1;
	test_wrong_map();
	test_perf_wrong_map();
	test_stop();
	test_wrap();
	test_two_rings();
	test_adaptive();
	test_million();
	test_perf();
	bpfbox_object_close(obj);
	return failures ? 1 : 0;
}
