/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef BB_UTF8_H
#define BB_UTF8_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), 1 for ASCII,
 * or 0 when the bytes there are not one: overlong forms, surrogates and
 * code points past U+10FFFF are refused, as RFC 3629 says. Used wherever
 * text from BTF or traced processes is escaped for output.
 */
size_t bb_utf8_len(const unsigned char *s, size_t n);

#endif
