/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef BB_UTF8_H
#define BB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), 1 for ASCII,
 * or 0 when the bytes there are not one: overlong forms, surrogates and
 * code points past U+10FFFF are refused, as RFC 3629 says. Used wherever
 * text from BTF or traced processes is escaped for output.
 */
size_t bb_utf8_len(const unsigned char *s, size_t n);

/*
 * A valid sequence of len bytes (from bb_utf8_len) that still must not
 * reach a terminal raw: C1 controls (8-bit CSI is U+009B), the line and
 * paragraph separators, bidi marks, embeddings, overrides and isolates.
 */
bool bb_utf8_unsafe(const unsigned char *s, size_t len);

/* the code point of a valid sequence of len (1 to 4) bytes */
unsigned int bb_utf8_cp(const unsigned char *s, size_t len);

#endif
