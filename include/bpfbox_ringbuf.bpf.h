/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF side of the ring buffer: adaptive wakeups for producers.
 *
 * By default every bpf_ringbuf_submit() whose record is the first the
 * consumer has not seen wakes the consumer up (an irq_work, then an
 * epoll wakeup and a context switch): under load that is one wakeup per
 * handful of records. The helpers here submit with BPF_RB_NO_WAKEUP and
 * force a wakeup only once the unconsumed data (BPF_RB_AVAIL_DATA, this
 * record included) has reached a threshold, so a busy producer wakes the
 * consumer once per threshold bytes.
 *
 * The price: below the threshold nobody is woken, so the last records
 * of a burst sit in the ring until the consumer looks on its own. The
 * consumer MUST poll with a timeout (bpfbox_ringbuf_poll(rb, 100), not
 * -1): the timeout bounds how late the tail of a burst arrives.
 *
 * Include after <bpf/bpf_helpers.h>:
 *
 *	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
 *	if (!e)
 *		return 0;
 *	...
 *	bpfbox_ringbuf_submit_adaptive(&events, e, 64 * 1024);
 *
 * A threshold of a quarter to a half of the ring's size is a good start:
 * high enough to batch, low enough that the ring does not fill up while
 * the consumer is still waking.
 */
#ifndef BPFBOX_RINGBUF_BPF_H
#define BPFBOX_RINGBUF_BPF_H

/* the wakeup flag for a record submitted now into ring */
static __always_inline __u64 bpfbox_ringbuf_wakeup_flag(void *ring,
							__u64 threshold)
{
	if (bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) >= threshold)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/* submit a record from bpf_ringbuf_reserve(ring, ...) */
static __always_inline void bpfbox_ringbuf_submit_adaptive(void *ring,
							   void *rec,
							   __u64 threshold)
{
	bpf_ringbuf_submit(rec, bpfbox_ringbuf_wakeup_flag(ring, threshold));
}

/*
 * bpf_ringbuf_output() with the same policy. The record is not in the
 * ring yet when the flag is chosen, so its own size (with the 8-byte
 * header) is added to the data already waiting. Returns what
 * bpf_ringbuf_output() does (0 or -EAGAIN when the ring is full).
 */
static __always_inline long bpfbox_ringbuf_output_adaptive(void *ring,
							   void *data,
							   __u64 size,
							   __u64 threshold)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) + size + 8 >= threshold)
		flags = BPF_RB_FORCE_WAKEUP;
	return bpf_ringbuf_output(ring, data, size, flags);
}

#endif
