// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON writer for -j / -p output.
 *
 * The layout follows bpftool's json_writer byte for byte (compact with
 * -j; with -p each object member on its own line, indented four spaces
 * per level, scalars in arrays kept on one line), so that scripts and
 * eyes used to bpftool see the same thing. Commas are placed by the
 * writer: callers only say what comes next.
 *
 * Unlike bpftool's writer, strings are always emitted as valid JSON:
 * every control character is escaped and bytes that are not valid UTF-8
 * become U+FFFD, because names and source lines come from the kernel and
 * from object files we do not trust.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

struct jw {
	FILE *f;
	bool pretty;
	unsigned int depth;
	char sep;		/* ',' once a value was written at this level */
};

struct jw *jw_new(FILE *f, bool pretty)
{
	struct jw *jw = calloc(1, sizeof(*jw));

	if (!jw)
		return NULL;
	jw->f = f;
	jw->pretty = pretty;
	return jw;
}

void jw_free(struct jw *jw)
{
	if (!jw)
		return;
	fputc('\n', jw->f);
	fflush(jw->f);
	free(jw);
}

static void jw_indent(struct jw *jw)
{
	unsigned int i;

	for (i = 0; i < jw->depth; i++)
		fputs("    ", jw->f);
}

/* new line + indent, in pretty mode only */
static void jw_eol(struct jw *jw)
{
	if (!jw->pretty)
		return;
	fputc('\n', jw->f);
	jw_indent(jw);
}

/* end of the previous record: a comma when one was written here */
static void jw_eor(struct jw *jw)
{
	if (jw->sep)
		fputc(jw->sep, jw->f);
	jw->sep = ',';
}

static void jw_begin(struct jw *jw, int c)
{
	jw_eor(jw);
	fputc(c, jw->f);
	jw->depth++;
	jw->sep = '\0';
}

static void jw_end(struct jw *jw, int c)
{
	if (jw->depth)
		jw->depth--;
	if (jw->sep)
		jw_eol(jw);
	fputc(c, jw->f);
	jw->sep = ',';
}

void jw_start_object(struct jw *jw)
{
	jw_begin(jw, '{');
}

void jw_end_object(struct jw *jw)
{
	jw_end(jw, '}');
}

void jw_start_array(struct jw *jw)
{
	jw_begin(jw, '[');
}

void jw_end_array(struct jw *jw)
{
	jw_end(jw, ']');
}

static void jw_puts_n(struct jw *jw, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	fputc('"', jw->f);
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':  fputs("\\\"", jw->f); break;
		case '\\': fputs("\\\\", jw->f); break;
		case '\b': fputs("\\b", jw->f); break;
		case '\f': fputs("\\f", jw->f); break;
		case '\n': fputs("\\n", jw->f); break;
		case '\r': fputs("\\r", jw->f); break;
		case '\t': fputs("\\t", jw->f); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(jw->f, "\\u%04x", c);
				break;
			}
			len = bb_utf8_len(s + i, n - i);
			if (!len) {
				fputs("\\ufffd", jw->f);
				break;
			}
			if (bb_utf8_unsafe(s + i, len)) {
				/* valid, but would drive a terminal */
				fprintf(jw->f, "\\u%04x", bb_utf8_cp(s + i, len));
				i += len;
				continue;
			}
			fwrite(s + i, 1, len, jw->f);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', jw->f);
}

void jw_name(struct jw *jw, const char *name)
{
	jw_eor(jw);
	jw_eol(jw);
	jw->sep = '\0';
	jw_puts_n(jw, name, strlen(name));
	fputc(':', jw->f);
	if (jw->pretty)
		fputc(' ', jw->f);
}

void jw_string_n(struct jw *jw, const char *s, size_t n)
{
	jw_eor(jw);
	jw_puts_n(jw, s ? s : "", s ? n : 0);
}

void jw_string(struct jw *jw, const char *s)
{
	jw_string_n(jw, s, s ? strlen(s) : 0);
}

void jw_int(struct jw *jw, long long v)
{
	jw_eor(jw);
	fprintf(jw->f, "%lld", v);
}

void jw_uint(struct jw *jw, unsigned long long v)
{
	jw_eor(jw);
	fprintf(jw->f, "%llu", v);
}

void jw_bool(struct jw *jw, bool v)
{
	jw_eor(jw);
	fputs(v ? "true" : "false", jw->f);
}

void jw_null(struct jw *jw)
{
	jw_eor(jw);
	fputs("null", jw->f);
}

void jw_kv_string(struct jw *jw, const char *name, const char *s)
{
	jw_name(jw, name);
	jw_string(jw, s);
}

void jw_kv_uint(struct jw *jw, const char *name, unsigned long long v)
{
	jw_name(jw, name);
	jw_uint(jw, v);
}

void jw_kv_int(struct jw *jw, const char *name, long long v)
{
	jw_name(jw, name);
	jw_int(jw, v);
}

void jw_kv_bool(struct jw *jw, const char *name, bool v)
{
	jw_name(jw, name);
	jw_bool(jw, v);
}
