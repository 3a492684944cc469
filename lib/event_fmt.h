/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Event records through BTF (pure: no syscalls): what `bpfbox run` prints
 * for each ring buffer / perf buffer record. A formatter is made once per
 * event channel from the record's BTF type and then turns each record
 * into one line of text (a header of column names, then one aligned row
 * per event) or one compact JSON object (NDJSON).
 *
 * Text layout
 *   Columns are the members of the record struct. A nested struct member
 *   is flattened into "outer.inner" columns (an anonymous struct or union
 *   member into its members' own names, as C spells them: e->x), up to 8
 *   levels and 128 columns; past that, and for named unions and arrays,
 *   a column holds the nested value as {a=1 b=2} / [1,2,3]. A record
 *   type that is not a struct is one column named after the type.
 *   Column width: max(name length, width of the type): integers their
 *   most digits (u8 3 ... s32 11, u64 20), bitfields the digits of their
 *   widest value, bool 5, enums their longest enumerator, pointers 18,
 *   floats 12, char arrays min(N, 16), ktimes 15, nested values at most
 *   32. Columns are separated by one space and left-aligned; a longer
 *   value pushes the rest of its row right; the last column is not
 *   padded.
 *   Values: integers in decimal; bitfields in decimal, sign-extended when
 *   the int is signed, by name when the bitfield is an enum; bool
 *   true/false; enums by enumerator name (by number when none matches;
 *   signed or unsigned as the enum's kflag says); pointers 0x...; floats
 *   with the fewest digits that read back exactly; __int128 in hex.
 *   A char array (elements a 1-byte int named "char", or char-encoded,
 *   through const/volatile but not typedefs: __u8 arrays stay numbers)
 *   is a string up to its first NUL or its end. Strings are escaped so
 *   they cannot break the line or drive the terminal: control bytes,
 *   DEL, C1 controls (U+0080-U+009F), the bidi overrides and invalid
 *   UTF-8 bytes as \xNN (each byte), backslash as \\; a string that is
 *   empty or holds a space, a quote or one of {}[],= is quoted ("a b",
 *   quote as \"). Valid UTF-8 text passes through.
 *   Short record: members it does not reach print as "-", a member it
 *   reaches part-way is decoded as far as it goes (a string's first
 *   bytes, an array's first elements; a scalar needs all its bytes),
 *   and the row ends with "(truncated: N of M bytes)". A flexible array
 *   as last member (char data[]) takes the record's remaining bytes.
 *   Other extra bytes are ignored (perf buffers pad records to 8 bytes);
 *   8 or more end the row with "(+N bytes)".
 *
 * JSON: one object per record, nested structs and unions as objects,
 *   arrays as arrays, char arrays as strings (escaped by bb_vw, JSON
 *   style), enums by name, bitfields as numbers, pointers as numbers. A
 *   record type that is not a struct is {"<type name>": value}. Short
 *   records lose the members they do not reach and get
 *   "_truncated":{"size":N,"type_size":M}; extra bytes (8 or more) add
 *   "_extra_bytes":N.
 *
 * Timestamps: with opts.mono_to_wall_ns != 0, an 8-byte integer member
 *   whose name says it holds a point in time prints as wall-clock time
 *   (value + mono_to_wall_ns): text HH:MM:SS.ffffff in local time; JSON
 *   keeps the number and adds "<name>_wall":"YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"
 *   (RFC 3339, UTC) after it. The name rule, on the member's own name,
 *   case-insensitive: ts, time, timestamp, tstamp, ktime; or starting
 *   with ktime, start, ts_, timestamp_; or ending with _ts, _ns, _time,
 *   _timestamp, _tstamp, _ktime; but never a name with one of these
 *   words between its underscores: dur, duration, delta, lat, latency,
 *   elapsed, diff, total, sum, avg, min, max, run, runtime, wait,
 *   sleep, period, interval, timeout, cnt, count, len (durations and
 *   knobs: min_duration_ns, lat_ns, runtime_ns stay numbers). A value
 *   of 0 (never set) stays 0.
 *
 * Type id 0 (no type known): each record is a hex dump row, text
 *   "SIZE DATA" (bytes in groups of 4), JSON {"size":N,"data":"hex"}.
 *
 * Malformed BTF and hostile bytes are bounded: nesting at 32 levels,
 * 65536 steps per record (a value shown or a member visited; then the
 * row ends with "(cut: ...)" / JSON "_cut":true), flattening at 4096
 * members visited (then one column per top-level member), and every
 * read is checked against the record's size.
 */
#ifndef BB_EVENT_FMT_H
#define BB_EVENT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bb_btf;

struct bb_evfmt_opts {
	bool json;			/* NDJSON: one compact object per record */
	/*
	 * != 0: 8-byte integers named like a ktime (see above) print as
	 * wall-clock time, value + mono_to_wall_ns; 0: raw numbers
	 */
	int64_t mono_to_wall_ns;
};

struct bb_evfmt;

/*
 * A formatter for records of type_id in btf (which must outlive it);
 * type_id 0: hex dump rows. 0 or -errno with the message set (the type
 * does not exist, has no size, or is a function/declaration).
 */
int bb_evfmt_new(const struct bb_btf *btf, uint32_t type_id,
		 const struct bb_evfmt_opts *opts, struct bb_evfmt **out);
void bb_evfmt_free(struct bb_evfmt *f);

/* The header line of column names (text mode; nothing in JSON mode). */
int bb_evfmt_header(struct bb_evfmt *f, FILE *out);

/*
 * One record as one line ending in '\n'. Never reads past data[size).
 * 0, or -EIO when out cannot be written, -ENOMEM when memory ran out
 * (with the message set). Malformed BTF is no error: what cannot be
 * decoded prints as "-" (JSON null).
 */
int bb_evfmt_record(struct bb_evfmt *f, const void *data, size_t size,
		    FILE *out);

/* The record type's size in bytes (0 for hex dumps). */
size_t bb_evfmt_type_size(const struct bb_evfmt *f);

/*
 * Text escaping as the rows use it (see above), of n bytes of s, into
 * buf (always NUL-terminated, cut at a whole escape when too small).
 * quote: add quotes when the string needs them. Returns the length the
 * whole escaped string needs (as snprintf does).
 */
size_t bb_evfmt_escape(char *buf, size_t len, const char *s, size_t n,
		       bool quote);

#endif
