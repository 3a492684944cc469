// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE access specs: an access string ("0:1:2") resolved against the
 * program's BTF, and the same access found again, by field names, in a
 * candidate type of the kernel's BTF. The rules are libbpf's
 * (bpf_core_parse_spec, bpf_core_spec_match, bpf_core_match_member):
 * a field matches by name, anonymous structs and unions are searched
 * through, array indexes must be within bounds (flexible arrays excepted)
 * and the field types must be compatible.
 */
#include <string.h>
#include <sys/types.h>

#include "btf.h"
#include "core.h"
#include "err.h"

/* libbpf's btf__type_by_id(btf, 0) is a real (void) type, not NULL */
static const struct btf_type void_type;

/* steps of typedef/modifier chains before calling it a loop */
#define SKIP_DEPTH 32

const struct btf_type *bb_core_type(const struct bb_btf *btf, uint32_t id)
{
	return id ? bb_btf_type(btf, id) : &void_type;
}

static bool is_mod_or_typedef(const struct btf_type *t)
{
	switch (bb_btf_kind(t)) {
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_TYPEDEF:
		return true;
	default:
		return false;
	}
}

/* libbpf's skip_mods_and_typedefs; NULL for bad ids and loops */
const struct btf_type *bb_core_skip(const struct bb_btf *btf, uint32_t id,
				    uint32_t *res_id)
{
	const struct btf_type *t = bb_core_type(btf, id);
	int i;

	for (i = 0; t && is_mod_or_typedef(t); i++) {
		if (i == SKIP_DEPTH)
			return NULL;
		id = t->type;
		t = bb_core_type(btf, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

enum bb_core_class bb_core_kind_class(uint32_t kind)
{
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
	case BPF_CORE_FIELD_BYTE_SIZE:
	case BPF_CORE_FIELD_EXISTS:
	case BPF_CORE_FIELD_SIGNED:
	case BPF_CORE_FIELD_LSHIFT_U64:
	case BPF_CORE_FIELD_RSHIFT_U64:
		return BB_CORE_FIELD;
	case BPF_CORE_TYPE_ID_LOCAL:
	case BPF_CORE_TYPE_ID_TARGET:
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_SIZE:
	case BB_CORE_TYPE_MATCHES:
		return BB_CORE_TYPE;
	case BPF_CORE_ENUMVAL_EXISTS:
	case BPF_CORE_ENUMVAL_VALUE:
		return BB_CORE_ENUMVAL;
	default:
		return BB_CORE_BAD;
	}
}

/* X___Y, where X and Y are not underscores */
static bool is_flavor_sep(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' &&
	       s[4] != '_';
}

/* "task_struct___v2" -> length of "task_struct": flavours match */
size_t bb_core_essential_len(const char *name)
{
	size_t n = strlen(name);
	ssize_t i;

	for (i = (ssize_t)n - 5; i >= 0; i--)
		if (is_flavor_sep(name + i))
			return i + 1;
	return n;
}

/* libbpf's btf_kind_core_compat: same kind, or enum vs enum64 */
bool bb_core_kind_compat(const struct btf_type *a, const struct btf_type *b)
{
	return bb_btf_kind(a) == bb_btf_kind(b) ||
	       (bb_btf_is_any_enum(a) && bb_btf_is_any_enum(b));
}

static uint32_t enum_name_off(const struct btf_type *t, uint32_t i)
{
	return bb_btf_kind(t) == BTF_KIND_ENUM ? bb_btf_enums(t)[i].name_off :
						 bb_btf_enums64(t)[i].name_off;
}

/* a zero-length array as the last member of a struct */
static bool is_flex_arr(const struct bb_btf *btf,
			const struct bb_core_acc *acc,
			const struct btf_array *arr)
{
	const struct btf_type *t;

	if (!acc->name || arr->nelems > 0)
		return false;
	t = bb_core_type(btf, acc->type_id);
	return t && acc->idx + 1 == bb_btf_vlen(t);
}

/*
 * "0:12:3" -> [0, 12, 3]. libbpf uses sscanf("%d"), which would also take
 * signs and spaces; a negative index would then index members before
 * the array, so only plain decimal numbers are accepted here.
 */
static int parse_raw(const char *s, struct bb_core_spec *spec)
{
	if (!*s || *s == ':')
		return -EINVAL;
	while (*s) {
		uint64_t v = 0;

		if (*s == ':')
			s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		for (; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (*s - '0');
			if (v > INT32_MAX)
				return -EINVAL;
		}
		if (*s && *s != ':')
			return -EINVAL;
		if (spec->raw_len == BB_CORE_SPEC_MAX_LEN)
			return -E2BIG;
		spec->raw_spec[spec->raw_len++] = v;
	}
	return spec->raw_len ? 0 : -EINVAL;
}

static int parse_enumval(const struct bb_btf *btf, const struct btf_type *t,
			 struct bb_core_spec *spec)
{
	uint32_t idx = spec->raw_spec[0];

	if (!bb_btf_is_any_enum(t) || spec->raw_len > 1 || idx >= bb_btf_vlen(t))
		return -EINVAL;
	spec->spec[0].name = bb_btf_str(btf, enum_name_off(t, idx));
	return spec->spec[0].name ? 0 : -EINVAL;
}

/* one step of a field access below the root */
static int parse_step(const struct bb_btf *btf, struct bb_core_spec *spec,
		      uint32_t *id, uint32_t idx)
{
	struct bb_core_acc *acc = &spec->spec[spec->len];
	const struct btf_type *t;
	int64_t sz;

	t = bb_core_skip(btf, *id, id);
	if (!t)
		return -EINVAL;
	if (bb_btf_is_composite(t)) {
		const struct btf_member *m;

		if (idx >= bb_btf_vlen(t))
			return -EINVAL;
		m = bb_btf_members(t) + idx;
		spec->bit_offset += bb_btf_member_bit_offset(t, m);
		if (m->name_off) {
			const char *name = bb_btf_str(btf, m->name_off);

			if (!name || !*name)
				return -EINVAL;
			acc->type_id = *id;
			acc->idx = idx;
			acc->name = name;
			spec->len++;
		}
		*id = m->type;
		return 0;
	}
	if (bb_btf_kind(t) == BTF_KIND_ARRAY) {
		const struct btf_array *a = bb_btf_array(t);

		if (!bb_core_skip(btf, a->type, id))
			return -EINVAL;
		if (!is_flex_arr(btf, acc - 1, a) && idx >= a->nelems)
			return -EINVAL;
		acc->type_id = *id;
		acc->idx = idx;
		acc->name = NULL;
		spec->len++;
		sz = bb_btf_resolve_size(btf, *id);
		if (sz < 0)
			return sz;
		spec->bit_offset += (uint32_t)(idx * (uint64_t)sz * 8);
		return 0;
	}
	/* libbpf: "captures type of unexpected kind" */
	return -EINVAL;
}

/*
 * libbpf's bpf_core_parse_spec: the access string against the local
 * type, giving the high-level accessors and the bit offset.
 */
int bb_core_parse_spec(const struct bb_btf *btf, const struct bb_core_relo *r,
		       const char *access, struct bb_core_spec *spec)
{
	const struct btf_type *t;
	uint32_t id;
	int64_t sz;
	int i, err;

	if (!access || !*access || *access == ':')
		return -EINVAL;
	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_type_id = r->type_id;
	spec->kind = r->kind;

	if (bb_core_kind_class(r->kind) == BB_CORE_TYPE)
		return strcmp(access, "0") ? -EINVAL : 0;

	err = parse_raw(access, spec);
	if (err)
		return err;
	t = bb_core_skip(btf, r->type_id, &id);
	if (!t)
		return -EINVAL;
	spec->spec[0].type_id = id;
	spec->spec[0].idx = spec->raw_spec[0];
	spec->len = 1;

	if (bb_core_kind_class(r->kind) == BB_CORE_ENUMVAL)
		return parse_enumval(btf, t, spec);
	if (bb_core_kind_class(r->kind) != BB_CORE_FIELD)
		return -EINVAL;

	sz = bb_btf_resolve_size(btf, id);
	if (sz < 0)
		return sz;
	spec->bit_offset = (uint32_t)(spec->raw_spec[0] * (uint64_t)sz * 8);
	for (i = 1; i < spec->raw_len; i++) {
		err = parse_step(btf, spec, &id, spec->raw_spec[i]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Find the local named field in target composite targ_id (anonymous
 * members searched depth first), extending the target spec. 1 found,
 * 0 not found, < 0 error. *budget bounds the walk: nested anonymous
 * members in malformed BTF could otherwise take exponential time.
 */
static int match_member(const struct bb_btf *lb, const struct bb_core_acc *lacc,
			const struct bb_btf *tb, uint32_t targ_id,
			struct bb_core_spec *spec, uint32_t *next_id,
			long *budget)
{
	const struct btf_member *lm, *m;
	const struct btf_type *lt, *tt;
	const char *lname, *tname;
	uint32_t i, n, bit_off;
	int found;

	tt = bb_core_skip(tb, targ_id, &targ_id);
	if (!tt)
		return -EINVAL;
	if (!bb_btf_is_composite(tt))
		return 0;
	lt = bb_core_type(lb, lacc->type_id);
	lm = bb_btf_members(lt) + lacc->idx;
	lname = lacc->name;

	n = bb_btf_vlen(tt);
	m = bb_btf_members(tt);
	for (i = 0; i < n; i++, m++) {
		if (--*budget < 0)
			return -ELOOP;
		if (spec->raw_len == BB_CORE_SPEC_MAX_LEN)
			return -E2BIG;
		/* speculate this member will be the good one */
		bit_off = bb_btf_member_bit_offset(tt, m);
		spec->bit_offset += bit_off;
		spec->raw_spec[spec->raw_len++] = i;

		tname = bb_btf_str(tb, m->name_off);
		if (!tname || !*tname) {
			found = match_member(lb, lacc, tb, m->type, spec,
					     next_id, budget);
			if (found)
				return found;
		} else if (!strcmp(lname, tname)) {
			struct bb_core_acc *tacc = &spec->spec[spec->len++];

			tacc->type_id = targ_id;
			tacc->idx = i;
			tacc->name = tname;
			*next_id = m->type;
			found = bb_core_fields_compat(lb, lm->type, tb, m->type);
			if (!found)
				spec->len--;
			return found;
		}
		spec->bit_offset -= bit_off;
		spec->raw_len--;
	}
	return 0;
}

static int match_enumval(const struct bb_core_spec *local,
			 uint32_t targ_id, struct bb_core_spec *targ)
{
	const char *lname = local->spec[0].name;
	size_t llen = bb_core_essential_len(lname);
	const struct btf_type *t;
	uint32_t i;

	t = bb_core_skip(targ->btf, targ_id, &targ_id);
	if (!t || !bb_btf_is_any_enum(t))
		return 0;
	for (i = 0; i < bb_btf_vlen(t); i++) {
		const char *tname = bb_btf_str(targ->btf, enum_name_off(t, i));

		if (!tname || bb_core_essential_len(tname) != llen ||
		    strncmp(lname, tname, llen))
			continue;
		targ->spec[0].type_id = targ_id;
		targ->spec[0].idx = i;
		targ->spec[0].name = tname;
		targ->len = 1;
		targ->raw_spec[0] = i;
		targ->raw_len = 1;
		return 1;
	}
	return 0;
}

/* an index step i of the local spec, in the target */
static int match_index(const struct bb_btf *tb, int i,
		       const struct bb_core_acc *lacc, const struct btf_type *tt,
		       uint32_t *targ_id, struct bb_core_spec *targ)
{
	struct bb_core_acc *tacc = &targ->spec[targ->len];
	int64_t sz;

	/* the root (i == 0) is already the element type */
	if (i > 0) {
		const struct btf_array *a;

		if (bb_btf_kind(tt) != BTF_KIND_ARRAY)
			return 0;
		a = bb_btf_array(tt);
		if (!is_flex_arr(tb, tacc - 1, a) && lacc->idx >= a->nelems)
			return 0;
		if (!bb_core_skip(tb, a->type, targ_id))
			return -EINVAL;
	}
	if (targ->raw_len == BB_CORE_SPEC_MAX_LEN)
		return -E2BIG;
	tacc->type_id = *targ_id;
	tacc->idx = lacc->idx;
	tacc->name = NULL;
	targ->len++;
	targ->raw_spec[targ->raw_len++] = lacc->idx;
	sz = bb_btf_resolve_size(tb, *targ_id);
	if (sz < 0)
		return sz;
	targ->bit_offset += (uint32_t)(lacc->idx * (uint64_t)sz * 8);
	return 1;
}

/*
 * libbpf's bpf_core_spec_match: 1 if the local spec matches candidate
 * targ_id (filling targ), 0 if not, < 0 on malformed BTF.
 */
int bb_core_spec_match(const struct bb_core_spec *local,
		       const struct bb_btf *tb, uint32_t targ_id,
		       struct bb_core_spec *targ)
{
	const struct btf_type *tt;
	long budget = 1 << 20;
	int i, ret;

	memset(targ, 0, sizeof(*targ));
	targ->btf = tb;
	targ->root_type_id = targ_id;
	targ->kind = local->kind;

	switch (bb_core_kind_class(local->kind)) {
	case BB_CORE_TYPE:
		if (local->kind == BB_CORE_TYPE_MATCHES)
			return bb_core_types_match(local->btf,
						   local->root_type_id, tb,
						   targ_id);
		return bb_core_types_compat(local->btf, local->root_type_id,
					    tb, targ_id);
	case BB_CORE_ENUMVAL:
		return match_enumval(local, targ_id, targ);
	case BB_CORE_FIELD:
		break;
	default:
		return -EINVAL;
	}

	for (i = 0; i < local->len; i++) {
		const struct bb_core_acc *lacc = &local->spec[i];

		tt = bb_core_skip(tb, targ_id, &targ_id);
		if (!tt)
			return -EINVAL;
		if (lacc->name)
			ret = match_member(local->btf, lacc, tb, targ_id, targ,
					   &targ_id, &budget);
		else
			ret = match_index(tb, i, lacc, tt, &targ_id, targ);
		if (ret <= 0)
			return ret;
	}
	return 1;
}
