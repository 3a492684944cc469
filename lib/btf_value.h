/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Values through BTF (pure: no syscalls). A value is bytes plus the BTF
 * type id that describes them; the walker turns it into a tree (objects,
 * arrays, scalars) and hands each node to a sink. `map dump/lookup` use
 * it for bpftool's "formatted" output, the event decoder for ring-buffer
 * records.
 *
 * What the walker emits follows bpftool's btf_dumper:
 *   int            number (signed or unsigned as encoded); bool as bool
 *   char[N]        a string when it holds printable ASCII up to a NUL,
 *                  else an array of numbers
 *   enum           the enumerator's name, the number when none matches
 *   struct, union  object of members; bitfields as hex ("0x5" in JSON)
 *   array          array; pointer: number (plain text: 0x.. or (nil))
 *   typedef, const, volatile, restrict, type_tag: followed
 *   DATASEC        {"<section>": [{"<var>": value}, ...]}
 *   float, double  number (bpftool 7.1 stops at them: "unsupported-kind")
 *   __int128       hex string ("0x..."), bare in plain text
 *
 * Every read is checked against the size given: a value shorter than
 * its type is an error, never an over-read.
 */
#ifndef BB_BTF_VALUE_H
#define BB_BTF_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bb_btf;

/*
 * Where the tree goes: one call per node, in document order, mirroring
 * a JSON writer (the CLI's jw_* or bb_vw below). A name precedes each
 * member of an object. string() gets raw bytes (not NUL-terminated, may
 * hold anything): escaping them is the sink's job. raw() is a bare
 * token: a float's digits, or the plain-text forms "0x1f" and "(nil)".
 */
struct bb_vsink_ops {
	void (*start_object)(void *ctx);
	void (*end_object)(void *ctx);
	void (*start_array)(void *ctx);
	void (*end_array)(void *ctx);
	void (*name)(void *ctx, const char *name);
	void (*string)(void *ctx, const char *s, size_t len);
	void (*int64)(void *ctx, int64_t v);
	void (*uint64)(void *ctx, uint64_t v);
	void (*boolean)(void *ctx, bool v);
	void (*null)(void *ctx);
	void (*raw)(void *ctx, const char *token);
};

struct bb_vsink {
	const struct bb_vsink_ops *ops;
	void *ctx;
};

struct bb_value_opts {
	/*
	 * bpftool's plain-text forms (map dump without -j): pointers as
	 * %p, bitfields and __int128 as bare hex, unprintable chars as
	 * 0x... Off: everything is valid JSON.
	 */
	bool plain;
	/*
	 * Every char array is a string (up to its first NUL), whatever it
	 * holds; for events, where a comm or a path is always meant as
	 * text. Off: bpftool's rule (printable ASCII, NUL-terminated).
	 */
	bool loose_strings;
	unsigned int max_depth;		/* nesting; 0: 32 */
	unsigned int max_nodes;		/* nodes emitted; 0: 1 << 20 */
};

/*
 * Emit the value of type_id held in data[0..size) into sink. Returns 0
 * or a negative errno with the message set (bpfbox_errmsg()); on error
 * the containers already opened are closed, so the sink's output stays
 * balanced. Type id 0 (void) is an error.
 */
int bb_btf_value_walk(const struct bb_btf *btf, uint32_t type_id,
		      const void *data, size_t size,
		      const struct bb_value_opts *opts,
		      const struct bb_vsink *sink);

/* ------------------------------------------------------------------ */
/* A JSON / plain-text writer into a growable buffer                   */

/*
 * Lays text out as bpftool's json_writer does, byte for byte: compact,
 * or pretty (members one per line, indented four spaces a level, array
 * scalars on one line). Pretty plus raw tokens is bpftool's plain-text
 * BTF dump. Strings are escaped: " \ and control characters, and bytes
 * that are not valid UTF-8 as \u00XX (the byte value, as bpftool prints
 * unprintable chars); valid UTF-8 passes through.
 *
 * Text accumulates in the buffer; take it with bb_vw_buf() and drop it
 * with bb_vw_clear() (the layout state is kept, so a long document can
 * be written out piece by piece).
 */
struct bb_vw;

struct bb_vw *bb_vw_new(bool pretty);
void bb_vw_free(struct bb_vw *w);

void bb_vw_start_object(struct bb_vw *w);
void bb_vw_end_object(struct bb_vw *w);
void bb_vw_start_array(struct bb_vw *w);
void bb_vw_end_array(struct bb_vw *w);
void bb_vw_name(struct bb_vw *w, const char *name);
void bb_vw_string(struct bb_vw *w, const char *s);
void bb_vw_string_n(struct bb_vw *w, const char *s, size_t n);
void bb_vw_int(struct bb_vw *w, int64_t v);
void bb_vw_uint(struct bb_vw *w, uint64_t v);
void bb_vw_bool(struct bb_vw *w, bool v);
void bb_vw_null(struct bb_vw *w);
void bb_vw_raw(struct bb_vw *w, const char *token);
/* text outside the layout (a newline between documents) */
void bb_vw_text(struct bb_vw *w, const char *s);

/* The text written since the last clear (NUL-terminated). */
const char *bb_vw_buf(const struct bb_vw *w, size_t *len);
void bb_vw_clear(struct bb_vw *w);
/* Start a new document: clear the buffer and the layout state. */
void bb_vw_reset(struct bb_vw *w);
/* -ENOMEM once an allocation failed (the text is then incomplete). */
int bb_vw_error(const struct bb_vw *w);

/* A sink that writes into w. */
struct bb_vsink bb_vw_sink(struct bb_vw *w);

/*
 * One value as a string: JSON (pretty or compact) or, with opts->plain
 * and pretty, bpftool's plain text. *out is malloc'd; 0 or -errno.
 */
int bb_btf_value_format(const struct bb_btf *btf, uint32_t type_id,
			const void *data, size_t size,
			const struct bb_value_opts *opts, bool pretty,
			char **out);

#endif
