/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals of the event record formatter (the API is event_fmt.h),
 * shared by its files, one concern each:
 *
 *   event_fmt.c     the API: formatters, the header line, records as
 *                   text rows, NDJSON objects or hex dumps
 *   event_cols.c    the text columns: a record struct flattened into
 *                   a.b columns, each column's width
 *   event_decode.c  one value of a record into a bb_vsink, as far as
 *                   the record's bytes go
 *   event_types.c   what a BTF type means to a record: modifiers
 *                   followed, char arrays, the bytes a member needs to
 *                   show, flexible array members
 *   event_ktime.c   which members are timestamps, their wall-clock text
 *   event_text.c    text for a terminal: a growable buffer, escaping,
 *                   the {a=1 b=[1,2]} sink, padded cells, hex
 */
#ifndef BB_EVENT_FMT_INT_H
#define BB_EVENT_FMT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf.h"
#include "btf_value.h"
#include "event_fmt.h"

#define BB_EV_MAX_DEPTH	32		/* nesting of values */
#define BB_EV_MAX_NODES	(1u << 16)	/* values and members per record */

/* ------------------------------------------------------------------ */
/* event_text.c                                                        */

/* A growable string; after a failed allocation only oom is set. */
struct bb_sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

void bb_sb_put(struct bb_sbuf *b, const char *s, size_t n);
void bb_sb_str(struct bb_sbuf *b, const char *s);
__attribute__((format(printf, 2, 3)))
void bb_sb_printf(struct bb_sbuf *b, const char *fmt, ...);
void bb_sb_reset(struct bb_sbuf *b);
/* n bytes of str escaped for a terminal (see event_fmt.h) */
void bb_sb_escape(struct bb_sbuf *b, const char *str, size_t n, bool quote);
/* a cell of text, padded to width columns and a space unless last */
void bb_sb_cell(struct bb_sbuf *line, const char *s, size_t n, int width,
		bool last);
/* n bytes as hex; groups: a space every 4 bytes */
void bb_sb_hex(struct bb_sbuf *b, const uint8_t *p, size_t n, bool groups);

/* The text sink: nested values as {a=1 b=[1,2]}, strings escaped. */
struct bb_ev_tsink {
	struct bb_sbuf *b;
	unsigned int depth;
	bool named;			/* a name was written: no separator */
	bool first[BB_EV_MAX_DEPTH * 2 + 4];
};

/* start a record: a sink writing into b */
struct bb_vsink bb_ev_tsink_init(struct bb_ev_tsink *t, struct bb_sbuf *b);
/* start a cell: back at the top level */
void bb_ev_tsink_rewind(struct bb_ev_tsink *t);

/* ------------------------------------------------------------------ */
/* The formatter                                                       */

struct bb_evcol {
	char *name;		/* "a.b" */
	uint32_t type;		/* the member's type as declared */
	uint32_t bit_off;	/* from the record's start */
	uint32_t bitsz;		/* bitfield size, 0: none */
	bool ktime;
	bool flex;		/* a flexible array: the record's rest */
	int width;
};

struct bb_evfmt {
	const struct bb_btf *btf;
	uint32_t type_id;
	size_t size;
	bool json;
	int64_t m2w;
	bool is_struct;		/* columns are the members */
	struct bb_evcol *cols;
	size_t ncols;
	bool too_many;		/* flattening gave up */
	unsigned int flat_work;
	struct bb_sbuf cell, line;
	struct bb_vw *vw;
	/* while decoding one record */
	struct bb_vsink sink;
	struct bb_ev_tsink ts;
	unsigned int nodes, depth;
	bool cut;
};

/* ------------------------------------------------------------------ */
/* event_types.c                                                       */

/* follow typedefs and modifiers; NULL for void, loops, bad ids */
const struct btf_type *bb_ev_resolve(const struct bb_btf *btf, uint32_t *id);
/* the string at off, "" when there is none */
const char *bb_ev_str(const struct bb_btf *btf, uint32_t off);
/* a char array's element: 1-byte int named char, or char-encoded */
bool bb_ev_is_char_elem(const struct bb_btf *btf, uint32_t id);
/* does a value starting here get shown: scalars need all their bytes */
bool bb_ev_reaches(const struct bb_btf *btf, uint32_t id, uint32_t bitsz,
		   uint32_t boff, size_t avail);
/* the element count of a flexible array member at the record's end */
int64_t bb_ev_flex_count(const struct bb_evfmt *f, uint32_t type,
			 size_t avail);

/* ------------------------------------------------------------------ */
/* event_ktime.c                                                       */

/* an 8-byte integer member named like a point in time, with m2w set */
bool bb_ev_ktime_member(const struct bb_evfmt *f, const char *name,
			uint32_t type, uint32_t bitsz);
/* wall-clock text of a ktime; false when out of range */
bool bb_ev_wall_time(const struct bb_evfmt *f, uint64_t v, bool rfc3339,
		     char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* event_decode.c: values into f->sink, counted in f->nodes            */

void bb_ev_dec_value(struct bb_evfmt *f, uint32_t id, uint32_t bitsz,
		     uint32_t boff, const uint8_t *p, size_t avail,
		     int64_t flex_n);
void bb_ev_dec_members(struct bb_evfmt *f, const struct btf_type *t,
		       const uint8_t *p, size_t avail, bool top);
/* the ktime member name at p (8 bytes there) */
void bb_ev_dec_ktime(struct bb_evfmt *f, const char *name,
		     const uint8_t *p);

/* ------------------------------------------------------------------ */
/* event_cols.c                                                        */

int bb_ev_make_cols(struct bb_evfmt *f);
void bb_ev_free_cols(struct bb_evfmt *f);

#endif
