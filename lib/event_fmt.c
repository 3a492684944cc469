// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event records through BTF: columns, rows and NDJSON for `bpfbox run`.
 * See event_fmt.h for what is printed, event_fmt_int.h for the files
 * that do it. This one is the API: a formatter made once per channel,
 * then each record driven through the decoder into one line, a text
 * row cell by cell or one JSON object, or a hex dump without a type.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "event_fmt_int.h"

/* ------------------------------------------------------------------ */
/* API                                                                 */

static int check_type(const struct bb_btf *btf, uint32_t type_id,
		      int64_t *size)
{
	const struct btf_type *t;
	uint32_t id = type_id;

	t = bb_ev_resolve(btf, &id);
	if (!t)
		return bb_err(EINVAL, "event type [%u] %s", type_id,
			      bb_btf_type(btf, type_id) ?
			      "is a loop of typedefs or modifiers" :
			      "does not exist in the BTF");
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_PTR: case BTF_KIND_FLOAT: case BTF_KIND_ARRAY:
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		break;
	default:
		return bb_err(EINVAL, "event type [%u] '%s' is a %s, which records cannot hold",
			      type_id, bb_btf_type_name(btf, t),
			      bb_btf_kind_name(bb_btf_kind(t)));
	}
	*size = bb_btf_resolve_size(btf, type_id);
	if (*size < 0)
		return bb_err(EINVAL, "event type [%u] '%s' has no size (%s)",
			      type_id, bb_btf_type_name(btf, t),
			      *size == -ELOOP ? "it contains itself" :
			      "malformed BTF");
	return 0;
}

int bb_evfmt_new(const struct bb_btf *btf, uint32_t type_id,
		 const struct bb_evfmt_opts *opts, struct bb_evfmt **out)
{
	struct bb_evfmt *f;
	int64_t size = 0;
	int err;

	*out = NULL;
	if (type_id) {
		if (!btf)
			return bb_err(EINVAL, "event type [%u] given without BTF",
				      type_id);
		err = check_type(btf, type_id, &size);
		if (err)
			return err;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return bb_err(ENOMEM, "event format: out of memory");
	f->btf = btf;
	f->type_id = type_id;
	f->size = size;
	f->json = opts && opts->json;
	f->m2w = opts ? opts->mono_to_wall_ns : 0;
	err = 0;
	if (f->json)
		f->vw = bb_vw_new(false);
	if (f->json && !f->vw)
		err = -ENOMEM;
	if (!err && type_id)
		err = bb_ev_make_cols(f);
	if (err) {
		bb_evfmt_free(f);
		return bb_err(-err, "event format: out of memory");
	}
	*out = f;
	return 0;
}

void bb_evfmt_free(struct bb_evfmt *f)
{
	if (!f)
		return;
	bb_ev_free_cols(f);
	free(f->cell.p);
	free(f->line.p);
	bb_vw_free(f->vw);
	free(f);
}

size_t bb_evfmt_type_size(const struct bb_evfmt *f)
{
	return f->size;
}

static int write_line(struct bb_sbuf *b, FILE *out)
{
	if (b->oom)
		return bb_err(ENOMEM, "event format: out of memory");
	bb_sb_put(b, "\n", 1);
	if (b->oom)
		return bb_err(ENOMEM, "event format: out of memory");
	if (fwrite(b->p, 1, b->len, out) != b->len || ferror(out))
		return bb_err(EIO, "writing an event: %s", strerror(errno));
	return 0;
}

int bb_evfmt_header(struct bb_evfmt *f, FILE *out)
{
	struct bb_sbuf *b = &f->line;
	size_t i, mark;

	if (f->json)
		return 0;
	bb_sb_reset(b);
	if (!f->type_id) {
		bb_sb_str(b, "SIZE DATA");
		return write_line(b, out);
	}
	for (i = 0; i < f->ncols; i++) {
		bb_sb_reset(&f->cell);
		bb_sb_escape(&f->cell, f->cols[i].name,
			     strlen(f->cols[i].name), false);
		mark = f->cell.len;
		bb_sb_cell(b, f->cell.p ? f->cell.p : "", mark,
			   f->cols[i].width, i + 1 == f->ncols);
	}
	return write_line(b, out);
}

static int hex_record(struct bb_evfmt *f, const uint8_t *p, size_t size,
		      FILE *out)
{
	struct bb_sbuf *b = &f->line;

	bb_sb_reset(b);
	if (f->json) {
		bb_sb_printf(b, "{\"size\":%zu,\"data\":\"", size);
		bb_sb_hex(b, p, size, false);
		bb_sb_str(b, "\"}");
	} else {
		bb_sb_printf(b, "%-4zu ", size);
		bb_sb_hex(b, p, size, true);
	}
	return write_line(b, out);
}

static void begin_record(struct bb_evfmt *f)
{
	f->nodes = 0;
	f->depth = 0;
	f->cut = false;
	if (f->json) {
		bb_vw_reset(f->vw);
		f->sink = bb_vw_sink(f->vw);
	} else {
		f->sink = bb_ev_tsink_init(&f->ts, &f->cell);
	}
}

/* one column's cell into f->cell */
static void text_cell(struct bb_evfmt *f, const struct bb_evcol *c,
		      const uint8_t *p, size_t size)
{
	size_t start = c->bit_off / 8, avail;
	int64_t flex = -1;

	bb_sb_reset(&f->cell);
	bb_ev_tsink_rewind(&f->ts);
	if (start > size || (start == size && size && !c->flex)) {
		bb_sb_put(&f->cell, "-", 1);
		return;
	}
	avail = size - start;
	if (c->flex)
		flex = bb_ev_flex_count(f, c->type, avail);
	if (!bb_ev_reaches(f->btf, c->type, c->bitsz, c->bit_off % 8, avail)) {
		bb_sb_put(&f->cell, "-", 1);
		return;
	}
	if (c->ktime)
		bb_ev_dec_ktime(f, c->name, p + start);
	else
		bb_ev_dec_value(f, c->type, c->bitsz, c->bit_off % 8,
				p + start, avail, flex);
}

/* does the type end in a flexible array that took the extra bytes */
static bool has_flex(const struct bb_evfmt *f)
{
	return f->ncols && f->cols[f->ncols - 1].flex;
}

static void text_notes(struct bb_evfmt *f, struct bb_sbuf *b, size_t size)
{
	if (size < f->size)
		bb_sb_printf(b, " (truncated: %zu of %zu bytes)", size,
			     f->size);
	else if (size - f->size >= 8 && !has_flex(f))
		bb_sb_printf(b, " (+%zu bytes)", size - f->size);
	if (f->cut)
		bb_sb_printf(b, " (cut: more than %u steps)", BB_EV_MAX_NODES);
}

static int text_record(struct bb_evfmt *f, const uint8_t *p, size_t size,
		       FILE *out)
{
	struct bb_sbuf *b = &f->line;
	size_t i;

	bb_sb_reset(b);
	begin_record(f);
	for (i = 0; i < f->ncols; i++) {
		text_cell(f, &f->cols[i], p, size);
		bb_sb_cell(b, f->cell.p ? f->cell.p : "", f->cell.len,
			   f->cols[i].width, i + 1 == f->ncols);
	}
	if (f->cell.oom)
		b->oom = true;
	text_notes(f, b, size);
	return write_line(b, out);
}

static int json_record(struct bb_evfmt *f, const uint8_t *p, size_t size,
		       FILE *out)
{
	uint32_t id = f->type_id;
	const struct btf_type *t = bb_ev_resolve(f->btf, &id);
	struct bb_sbuf *b = &f->line;
	const char *text;
	size_t len;

	begin_record(f);
	bb_vw_start_object(f->vw);
	if (f->is_struct) {
		bb_ev_dec_members(f, t, p, size, true);
	} else if (bb_ev_reaches(f->btf, f->type_id, 0, 0, size)) {
		f->nodes++;	/* a node, as the decoder counts them */
		f->sink.ops->name(f->sink.ctx, f->cols[0].name);
		bb_ev_dec_value(f, f->type_id, 0, 0, p, size, -1);
	}
	if (size < f->size) {
		bb_vw_name(f->vw, "_truncated");
		bb_vw_start_object(f->vw);
		bb_vw_name(f->vw, "size");
		bb_vw_uint(f->vw, size);
		bb_vw_name(f->vw, "type_size");
		bb_vw_uint(f->vw, f->size);
		bb_vw_end_object(f->vw);
	} else if (size - f->size >= 8 && !has_flex(f)) {
		bb_vw_name(f->vw, "_extra_bytes");
		bb_vw_uint(f->vw, size - f->size);
	}
	if (f->cut) {
		bb_vw_name(f->vw, "_cut");
		bb_vw_bool(f->vw, true);
	}
	bb_vw_end_object(f->vw);
	if (bb_vw_error(f->vw))
		return bb_err(ENOMEM, "event format: out of memory");
	text = bb_vw_buf(f->vw, &len);
	bb_sb_reset(b);
	bb_sb_put(b, text, len);
	return write_line(b, out);
}

int bb_evfmt_record(struct bb_evfmt *f, const void *data, size_t size,
		    FILE *out)
{
	if (!data && size)
		return bb_err(EINVAL, "event record: no data");
	if (!f->type_id)
		return hex_record(f, data, size, out);
	if (f->json)
		return json_record(f, data, size, out);
	return text_record(f, data, size, out);
}
