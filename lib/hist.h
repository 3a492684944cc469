/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Histograms in maps (pure: no syscalls). Tracing programs keep a
 * distribution in one of two shapes, and `bpfbox run` recognises both
 * from the map's BTF:
 *
 *   counters in the value   struct hist { __u32 slots[N]; char comm[16]; }
 *                           (libbpf-tools: one histogram per key); the
 *                           counter array is a member whose name holds
 *                           "slot" or "bucket", or the whole value is an
 *                           integer array of a map named *hist*|*dist*;
 *   bucket index in the key key u32 (or a struct with a member named
 *                           *slot*|*bucket*), value an integer counter,
 *                           map named *hist*|*dist*|*slot* (bcc's
 *                           BPF_HISTOGRAM); other key members make one
 *                           histogram per distinct value of them.
 *
 * Buckets are log2 as libbpf-tools' log2l() fills them (slot 0 holds 0
 * and 1, slot i >= 1 holds [2^i, 2^(i+1))), or linear when the map or
 * the member name holds "linear" (slot i is the value i). The text
 * layout is libbpf-tools' print_log2_hist / print_linear_hist, byte for
 * byte; JSON has the same buckets as objects.
 */
#ifndef BB_HIST_H
#define BB_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bb_btf;
struct bb_vw;

enum bb_hist_kind {
	BB_HIST_LOG2 = 1,
	BB_HIST_LINEAR,
};

enum bb_hist_where {
	BB_HIST_IN_VALUE = 1,	/* an array of counters in the value */
	BB_HIST_IN_KEY,		/* a bucket index in the key */
};

/* most buckets a histogram keyed by index is laid out with */
#define BB_HIST_MAX_BUCKETS 4096

struct bb_hist_spec {
	enum bb_hist_kind kind;
	enum bb_hist_where where;
	/* BB_HIST_IN_VALUE: the counters, at slots_off in the value */
	uint32_t slots_off, nslots, slot_size;
	/* BB_HIST_IN_KEY: the index in the key, the counter in the value */
	uint32_t idx_off, idx_size;
	uint32_t cnt_off, cnt_size;
	bool grouped;		/* the key has more than the index */
	char member[64];	/* the counters' or the index's member, or "" */
	char unit[16];		/* the column title: "usecs", "value", ... */
};

/*
 * Is a map with these key and value types (ids in btf; 0: none) a
 * histogram? 1 and *spec filled, 0 not, or a negative errno.
 */
int bb_hist_detect(const struct bb_btf *btf, const char *map_name,
		   uint32_t key_type, uint32_t value_type,
		   struct bb_hist_spec *spec);

/* little-endian-agnostic read of an unsigned counter of 1, 2, 4 or 8 bytes */
uint64_t bb_hist_read(const void *p, uint32_t size);

/*
 * vals[0..n) as a histogram in libbpf-tools' text layout; nothing when
 * every count is 0 (as print_log2_hist). Returns 0 or -EIO.
 */
int bb_hist_print(FILE *out, enum bb_hist_kind kind, const uint64_t *vals,
		  size_t n, const char *unit);
/*
 * The same buckets as JSON:
 *   {"type":"log2","unit":U,"buckets":[{"low":L,"high":H,"count":C},..]}
 *   {"type":"linear","unit":U,"buckets":[{"value":V,"count":C},..]}
 * (log2: every bucket up to the last non-zero; linear: the non-zero ones)
 */
void bb_hist_json(struct bb_vw *w, enum bb_hist_kind kind,
		  const uint64_t *vals, size_t n, const char *unit);

#endif
