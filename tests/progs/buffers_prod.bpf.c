// SPDX-License-Identifier: GPL-2.0
/*
 * Producers for the event channel tests and the ring buffer bench
 * (tests/itest/buffers.c, bench/ringbuf.c). Each program is run with
 * BPF_PROG_TEST_RUN; the raw_tp context carries the arguments:
 *   args[0]  first sequence number
 *   args[1]  number of records (bpf_loop iterations)
 *   args[2]  wakeup mode: 0 kernel default, 1 always force, 2 adaptive
 *   args[3]  adaptive threshold in bytes
 * Every record starts with struct rec; the payload after it is the byte
 * pattern (seq * 13 + i), so the consumer can check every byte. A record
 * that cannot be written (ring full) is counted in `dropped` and its
 * sequence number set in drop_bits, so the consumer can account for
 * every number exactly.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfbox_ringbuf.bpf.h"

struct rec {
	__u64 seq;
	__u32 len;			/* whole record, this header included */
	__u32 check;			/* (u32)(seq * 2654435761) ^ len */
};

#define MODE_DEFAULT	0
#define MODE_FORCE	1
#define MODE_ADAPTIVE	2
#define DROP_WORDS	(1 << 14)	/* 2^20 sequence numbers */
#define SCRATCH		256

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} rb_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} rb_b SEC(".maps");

/* one page: 45-byte records (56 with header and padding) wrap its end */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb_odd SEC(".maps");

/* the bench fills it while nobody consumes, then times the drain */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 * 1024 * 1024);
} rb_bench SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} perf_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[SCRATCH]);
} scratch SEC(".maps");

/* one struct, so user space finds it at offset 0 of .bss */
struct {
	__u64 dropped;
	__u64 produced;		/* records written */
	__s64 last_perf_err;	/* last bpf_perf_event_output error */
	__u64 drop_bits[DROP_WORDS];
} st;

struct loop_ctx {
	__u64 start;
	__u64 mode;
	__u64 thresh;
	void *raw_ctx;
};

static __always_inline void drop(__u64 seq)
{
	/* one producer at a time (test_run from one thread): no atomics */
	st.drop_bits[(seq >> 6) & (DROP_WORDS - 1)] |= 1ULL << (seq & 63);
	st.dropped++;
}

static __always_inline void fill(__u8 *p, __u32 n, __u64 seq)
{
	__u32 i;

#pragma clang loop unroll(disable)
	for (i = 0; i < n; i++)
		p[i] = seq * 13 + i;
}

static __always_inline void set_hdr(struct rec *r, __u64 seq, __u32 len)
{
	r->seq = seq;
	r->len = len;
	r->check = (__u32)(seq * 2654435761ULL) ^ len;
}

static __always_inline __u64 submit_flags(void *ring, struct loop_ctx *c)
{
	if (c->mode == MODE_FORCE)
		return BPF_RB_FORCE_WAKEUP;
	if (c->mode == MODE_ADAPTIVE)
		return bpfbox_ringbuf_wakeup_flag(ring, c->thresh);
	return 0;
}

/* a reserved record of constant SIZE (the verifier wants a constant) */
static __always_inline void emit_fixed(void *ring, __u64 seq, __u32 size,
				       struct loop_ctx *c)
{
	struct rec *r = bpf_ringbuf_reserve(ring, size, 0);

	if (!r) {
		drop(seq);
		return;
	}
	set_hdr(r, seq, size);
	fill((__u8 *)(r + 1), size - sizeof(*r), seq);
	bpf_ringbuf_submit(r, submit_flags(ring, c));
	st.produced++;
}

/* a copied record of variable size, through bpf_ringbuf_output */
static __always_inline void emit_output(void *ring, __u64 seq,
					struct loop_ctx *c)
{
	__u32 zero = 0, len = sizeof(struct rec) + seq % 200, i;
	__u8 *buf = bpf_map_lookup_elem(&scratch, &zero);
	__u64 flags = 0;

	if (!buf)
		return;
	set_hdr((struct rec *)buf, seq, len);
#pragma clang loop unroll(disable)
	for (i = sizeof(struct rec); i < SCRATCH; i++) {
		if (i >= len)
			break;
		buf[i] = seq * 13 + (i - sizeof(struct rec));
	}
	if (c->mode == MODE_FORCE)
		flags = BPF_RB_FORCE_WAKEUP;
	if (c->mode == MODE_ADAPTIVE) {
		if (bpfbox_ringbuf_output_adaptive(ring, buf, len & (SCRATCH - 1),
						   c->thresh))
			drop(seq);
		else
			st.produced++;
		return;
	}
	if (bpf_ringbuf_output(ring, buf, len & (SCRATCH - 1), flags))
		drop(seq);
	else
		st.produced++;
}

/* sizes 16, 37, 64, 203 reserved, and 16..215 copied */
static __always_inline void emit_var(void *ring, __u64 seq, struct loop_ctx *c)
{
	switch (seq & 3) {
	case 0:
		emit_fixed(ring, seq, 16, c);
		break;
	case 1:
		emit_fixed(ring, seq, 37, c);
		break;
	case 2:
		emit_fixed(ring, seq, 64, c);
		break;
	default:
		if (seq & 4)
			emit_fixed(ring, seq, 203, c);
		else
			emit_output(ring, seq, c);
		break;
	}
}

static long loop_a(__u64 i, void *ctx)
{
	struct loop_ctx *c = ctx;

	emit_var(&rb_a, c->start + i, c);
	return 0;
}

static long loop_b(__u64 i, void *ctx)
{
	struct loop_ctx *c = ctx;

	emit_var(&rb_b, c->start + i, c);
	return 0;
}

static long loop_odd(__u64 i, void *ctx)
{
	struct loop_ctx *c = ctx;

	emit_fixed(&rb_odd, c->start + i, 45, c);
	return 0;
}

static long loop_bench(__u64 i, void *ctx)
{
	struct loop_ctx *c = ctx;
	struct rec *r = bpf_ringbuf_reserve(&rb_bench, 64, 0);

	if (!r) {
		st.dropped++;
		return 0;
	}
	set_hdr(r, c->start + i, 64);
	bpf_ringbuf_submit(r, submit_flags(&rb_bench, c));
	st.produced++;
	return 0;
}

static __always_inline int run(struct bpf_raw_tracepoint_args *ctx,
			       void *fn)
{
	struct loop_ctx c = {
		.start = ctx->args[0],
		.mode = ctx->args[2],
		.thresh = ctx->args[3],
	};

	return bpf_loop(ctx->args[1], fn, &c, 0);
}

SEC("raw_tp")
int prod_a(struct bpf_raw_tracepoint_args *ctx)
{
	return run(ctx, loop_a);
}

SEC("raw_tp")
int prod_b(struct bpf_raw_tracepoint_args *ctx)
{
	return run(ctx, loop_b);
}

SEC("raw_tp")
int prod_odd(struct bpf_raw_tracepoint_args *ctx)
{
	return run(ctx, loop_odd);
}

SEC("raw_tp")
int prod_bench(struct bpf_raw_tracepoint_args *ctx)
{
	return run(ctx, loop_bench);
}

/*
 * The perf buffer producer: one record per run (bpf_perf_event_output
 * needs the context, which a bpf_loop callback does not have), size
 * 16 + seq % 200 bytes, on the CPU the test run was pinned to.
 */
SEC("raw_tp")
int prod_perf(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 seq = ctx->args[0];
	__u32 zero = 0, len = sizeof(struct rec) + seq % 200, i;
	__u8 *buf = bpf_map_lookup_elem(&scratch, &zero);
	long err;

	if (!buf)
		return 0;
	set_hdr((struct rec *)buf, seq, len);
#pragma clang loop unroll(disable)
	for (i = sizeof(struct rec); i < SCRATCH; i++) {
		if (i >= len)
			break;
		buf[i] = seq * 13 + (i - sizeof(struct rec));
	}
	err = bpf_perf_event_output(ctx, &perf_map, BPF_F_CURRENT_CPU, buf,
				    len & (SCRATCH - 1));
	if (err) {
		st.last_perf_err = err;
		drop(seq);
	} else {
		st.produced++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
