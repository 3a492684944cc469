// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpftool's raw BTF text, byte for byte: `[ID] KIND 'NAME' fields`, then
 * one tab-indented line per member, enumerator, parameter or variable.
 * Names go out as they are, except control and non-ASCII bytes, which
 * are escaped so that a hostile string cannot drive the terminal.
 */
#include <errno.h>
#include <inttypes.h>

#include "btf.h"
#include "btf_dump.h"
#include "err.h"

void bb_btf_dump_fputs(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

const char *bb_btf_dump_name(const struct bb_btf *btf, uint32_t name_off)
{
	const char *s;

	if (!name_off)
		return "(anon)";
	s = bb_btf_str(btf, name_off);
	return s ? s : "(invalid)";
}

const char *bb_btf_int_enc_str(uint32_t encoding)
{
	switch (encoding) {
	case 0:
		return "(none)";
	case BTF_INT_SIGNED:
		return "SIGNED";
	case BTF_INT_CHAR:
		return "CHAR";
	case BTF_INT_BOOL:
		return "BOOL";
	default:
		return "UNKN";
	}
}

const char *bb_btf_func_linkage_str(const struct btf_type *t)
{
	switch (bb_btf_vlen(t)) {
	case BTF_FUNC_STATIC:
		return "static";
	case BTF_FUNC_GLOBAL:
		return "global";
	case BTF_FUNC_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

const char *bb_btf_var_linkage_str(uint32_t linkage)
{
	switch (linkage) {
	case BTF_VAR_STATIC:
		return "static";
	case BTF_VAR_GLOBAL_ALLOCATED:
		return "global";
	case BTF_VAR_GLOBAL_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

/* '%s' of a name, escaped */
static void put_name(FILE *f, const struct bb_btf *btf, uint32_t off)
{
	fputc('\'', f);
	bb_btf_dump_fputs(f, bb_btf_dump_name(btf, off));
	fputc('\'', f);
}

static void dump_int(FILE *f, const struct btf_type *t)
{
	fprintf(f, " size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size,
		bb_btf_int_offset(t), bb_btf_int_bits(t),
		bb_btf_int_enc_str(bb_btf_int_encoding(t)));
}

static void dump_members(FILE *f, const struct bb_btf *btf,
			 const struct btf_type *t)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, vlen = bb_btf_vlen(t), bsz;

	fprintf(f, " size=%u vlen=%u", t->size, vlen);
	for (i = 0; i < vlen; i++, m++) {
		fputs("\n\t", f);
		put_name(f, btf, m->name_off);
		fprintf(f, " type_id=%u bits_offset=%u", m->type,
			bb_btf_member_bit_offset(t, m));
		bsz = bb_btf_member_bitfield_size(t, m);
		if (bsz)
			fprintf(f, " bitfield_size=%u", bsz);
	}
}

static void dump_enum(FILE *f, const struct bb_btf *btf,
		      const struct btf_type *t)
{
	const struct btf_enum *v = bb_btf_enums(t);
	uint32_t i, vlen = bb_btf_vlen(t);
	bool sign = bb_btf_kflag(t);

	fprintf(f, " encoding=%s size=%u vlen=%u", sign ? "SIGNED" : "UNSIGNED",
		t->size, vlen);
	for (i = 0; i < vlen; i++, v++) {
		fputs("\n\t", f);
		put_name(f, btf, v->name_off);
		if (sign)
			fprintf(f, " val=%d", (int32_t)v->val);
		else
			fprintf(f, " val=%u", (uint32_t)v->val);
	}
}

static void dump_enum64(FILE *f, const struct bb_btf *btf,
			const struct btf_type *t)
{
	const struct btf_enum64 *v = bb_btf_enums64(t);
	uint32_t i, vlen = bb_btf_vlen(t);
	bool sign = bb_btf_kflag(t);
	uint64_t val;

	fprintf(f, " encoding=%s size=%u vlen=%u", sign ? "SIGNED" : "UNSIGNED",
		t->size, vlen);
	for (i = 0; i < vlen; i++, v++) {
		val = (uint64_t)v->val_hi32 << 32 | v->val_lo32;
		fputs("\n\t", f);
		put_name(f, btf, v->name_off);
		if (sign)
			fprintf(f, " val=%" PRId64 "LL", (int64_t)val);
		else
			fprintf(f, " val=%" PRIu64 "ULL", val);
	}
}

static void dump_proto(FILE *f, const struct bb_btf *btf,
		       const struct btf_type *t)
{
	const struct btf_param *p = bb_btf_params(t);
	uint32_t i, vlen = bb_btf_vlen(t);

	fprintf(f, " ret_type_id=%u vlen=%u", t->type, vlen);
	for (i = 0; i < vlen; i++, p++) {
		fputs("\n\t", f);
		put_name(f, btf, p->name_off);
		fprintf(f, " type_id=%u", p->type);
	}
}

static void dump_datasec(FILE *f, const struct bb_btf *btf,
			 const struct btf_type *t)
{
	const struct btf_var_secinfo *v = bb_btf_secinfos(t);
	uint32_t i, vlen = bb_btf_vlen(t);
	const struct btf_type *vt;

	fprintf(f, " size=%u vlen=%u", t->size, vlen);
	for (i = 0; i < vlen; i++, v++) {
		fprintf(f, "\n\ttype_id=%u offset=%u size=%u", v->type,
			v->offset, v->size);
		/* void (0) has no record: bpftool prints nothing for it */
		vt = bb_btf_type(btf, v->type);
		if (!vt)
			continue;
		fprintf(f, " (%s ", bb_btf_kind_name(bb_btf_kind(vt)));
		put_name(f, btf, vt->name_off);
		fputc(')', f);
	}
}

void bb_btf_dump_raw_type(const struct bb_btf *btf, uint32_t id, FILE *f)
{
	const struct btf_type *t = bb_btf_type(btf, id);
	uint32_t kind;

	if (!t) {
		/* bpftool's void record, for a map without a key type */
		if (!id)
			fputs("[0] UNKN '(anon)'\n", f);
		return;
	}
	kind = bb_btf_kind(t);
	fprintf(f, "[%u] %s ", id, bb_btf_kind_name(kind));
	put_name(f, btf, t->name_off);
	switch (kind) {
	case BTF_KIND_INT:
		dump_int(f, t);
		break;
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
		fprintf(f, " type_id=%u", t->type);
		break;
	case BTF_KIND_ARRAY:
		fprintf(f, " type_id=%u index_type_id=%u nr_elems=%u",
			bb_btf_array(t)->type, bb_btf_array(t)->index_type,
			bb_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		dump_members(f, btf, t);
		break;
	case BTF_KIND_ENUM:
		dump_enum(f, btf, t);
		break;
	case BTF_KIND_ENUM64:
		dump_enum64(f, btf, t);
		break;
	case BTF_KIND_FWD:
		fprintf(f, " fwd_kind=%s", bb_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		fprintf(f, " type_id=%u linkage=%s", t->type,
			bb_btf_func_linkage_str(t));
		break;
	case BTF_KIND_FUNC_PROTO:
		dump_proto(f, btf, t);
		break;
	case BTF_KIND_VAR:
		/* the comma is bpftool's */
		fprintf(f, " type_id=%u, linkage=%s", t->type,
			bb_btf_var_linkage_str(bb_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		dump_datasec(f, btf, t);
		break;
	case BTF_KIND_FLOAT:
		fprintf(f, " size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		fprintf(f, " type_id=%u component_idx=%d", t->type,
			((const struct btf_decl_tag *)(t + 1))->component_idx);
		break;
	default:
		break;
	}
	fputc('\n', f);
}

int bb_btf_dump_raw(const struct bb_btf *btf, const uint32_t *ids, size_t n,
		    FILE *f)
{
	uint32_t id, cnt = bb_btf_type_cnt(btf);
	size_t i;

	if (!n) {
		for (id = bb_btf_start_id(btf); id < cnt; id++)
			bb_btf_dump_raw_type(btf, id, f);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (ids[i] >= cnt)
			return bb_err(EINVAL, "BTF: no type [%u] (the last is [%u])",
				      ids[i], cnt - 1);
		bb_btf_dump_raw_type(btf, ids[i], f);
	}
	return 0;
}
