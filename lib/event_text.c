// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event records as text for a terminal: the line buffer, escaping that
 * keeps a traced process's bytes from breaking the line or driving the
 * terminal, the text sink that lays nested values out as {a=1 b=[1,2]},
 * padded cells and hex. See event_fmt.h for the rules.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "event_fmt_int.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* A growable string                                                   */

void bb_sb_put(struct bb_sbuf *b, const char *s, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom)
		return;
	while (cap - b->len <= n)
		cap *= 2;
	if (cap != b->cap) {
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void bb_sb_str(struct bb_sbuf *b, const char *s)
{
	bb_sb_put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
void bb_sb_printf(struct bb_sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		bb_sb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
			  sizeof(tmp) - 1);
}

void bb_sb_reset(struct bb_sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}
/* ------------------------------------------------------------------ */
/* Escaping for a terminal                                             */

static bool needs_quotes(const uint8_t *s, size_t n)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (s[i] && strchr(" \"{}[],=", s[i]))
			return true;
	return false;
}

void bb_sb_escape(struct bb_sbuf *b, const char *str, size_t n, bool quote)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t i = 0, len, k;

	quote = quote && needs_quotes(s, n);
	if (quote)
		bb_sb_put(b, "\"", 1);
	while (i < n) {
		len = 1;
		if (s[i] == '\\') {
			bb_sb_put(b, "\\\\", 2);
		} else if (s[i] == '"' && quote) {
			bb_sb_put(b, "\\\"", 2);
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			bb_sb_put(b, str + i, 1);
		} else if (s[i] >= 0x80 && (len = bb_utf8_len(s + i, n - i)) &&
			   !bb_utf8_unsafe(s + i, len)) {
			bb_sb_put(b, str + i, len);
		} else {
			/* control, DEL, unsafe or invalid: every byte as \xNN */
			if (!len)
				len = 1;
			for (k = 0; k < len; k++)
				bb_sb_printf(b, "\\x%02x", s[i + k]);
		}
		i += len;
	}
	if (quote)
		bb_sb_put(b, "\"", 1);
}

size_t bb_evfmt_escape(char *buf, size_t len, const char *s, size_t n,
		       bool quote)
{
	struct bb_sbuf b = { 0 };
	size_t need;

	bb_sb_escape(&b, s, n, quote);
	need = b.len;
	if (len) {
		size_t k = need < len - 1 ? need : len - 1;

		if (b.p)
			memcpy(buf, b.p, k);
		buf[k] = '\0';
	}
	free(b.p);
	return need;
}

/* ------------------------------------------------------------------ */
/* The text sink: {a=1 b=[1,2]} with escaped strings                   */

static void t_sep(struct bb_ev_tsink *t)
{
	if (t->named) {
		t->named = false;
		return;
	}
	if (t->depth && !t->first[t->depth])
		bb_sb_put(t->b, ",", 1);
	t->first[t->depth] = false;
}

static void t_open(struct bb_ev_tsink *t, const char *c)
{
	t_sep(t);
	bb_sb_str(t->b, c);
	if (t->depth + 1 < sizeof(t->first))
		t->depth++;
	t->first[t->depth] = true;
}

static void t_close(struct bb_ev_tsink *t, const char *c)
{
	if (t->depth)
		t->depth--;
	bb_sb_str(t->b, c);
}

static void t_sobj(void *c) { t_open(c, "{"); }
static void t_eobj(void *c) { t_close(c, "}"); }
static void t_sarr(void *c) { t_open(c, "["); }
static void t_earr(void *c) { t_close(c, "]"); }

static void t_name(void *c, const char *name)
{
	struct bb_ev_tsink *t = c;

	if (!t->first[t->depth])
		bb_sb_put(t->b, " ", 1);
	t->first[t->depth] = false;
	bb_sb_escape(t->b, name, strlen(name), false);
	bb_sb_put(t->b, "=", 1);
	t->named = true;
}

static void t_string(void *c, const char *s, size_t n)
{
	struct bb_ev_tsink *t = c;

	t_sep(t);
	bb_sb_escape(t->b, s, n, true);
}

static void t_int(void *c, int64_t v)
{
	struct bb_ev_tsink *t = c;

	t_sep(t);
	bb_sb_printf(t->b, "%" PRId64, v);
}

static void t_uint(void *c, uint64_t v)
{
	struct bb_ev_tsink *t = c;

	t_sep(t);
	bb_sb_printf(t->b, "%" PRIu64, v);
}

static void t_bool(void *c, bool v)
{
	struct bb_ev_tsink *t = c;

	t_sep(t);
	bb_sb_str(t->b, v ? "true" : "false");
}

static void t_null(void *c)
{
	struct bb_ev_tsink *t = c;

	t_sep(t);
	bb_sb_put(t->b, "-", 1);
}

static void t_raw(void *c, const char *tok)
{
	struct bb_ev_tsink *t = c;

	t_sep(t);
	bb_sb_str(t->b, tok);
}

static const struct bb_vsink_ops text_ops = {
	.start_object = t_sobj, .end_object = t_eobj,
	.start_array = t_sarr, .end_array = t_earr,
	.name = t_name, .string = t_string, .int64 = t_int, .uint64 = t_uint,
	.boolean = t_bool, .null = t_null, .raw = t_raw,
};

struct bb_vsink bb_ev_tsink_init(struct bb_ev_tsink *t, struct bb_sbuf *b)
{
	memset(t, 0, sizeof(*t));
	t->b = b;
	return (struct bb_vsink){ .ops = &text_ops, .ctx = t };
}

void bb_ev_tsink_rewind(struct bb_ev_tsink *t)
{
	t->depth = 0;
	t->named = false;
}

/* ------------------------------------------------------------------ */
/* Cells and hex                                                       */

/* display columns of escaped text: UTF-8 sequences count once */
static size_t text_cols(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((uint8_t)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* cell, padded to width unless it ends the line */
void bb_sb_cell(struct bb_sbuf *line, const char *s, size_t n, int width,
		bool last)
{
	size_t w = text_cols(s, n);

	bb_sb_put(line, s, n);
	if (last)
		return;
	for (; (int)w < width; w++)
		bb_sb_put(line, " ", 1);
	bb_sb_put(line, " ", 1);
}

void bb_sb_hex(struct bb_sbuf *b, const uint8_t *p, size_t n, bool groups)
{
	static const char hx[] = "0123456789abcdef";
	char two[2];
	size_t i;

	for (i = 0; i < n; i++) {
		if (groups && i && i % 4 == 0)
			bb_sb_put(b, " ", 1);
		two[0] = hx[p[i] >> 4];
		two[1] = hx[p[i] & 15];
		bb_sb_put(b, two, 2);
	}
}
