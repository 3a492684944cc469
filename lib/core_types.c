// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Relations between a local and a target type, as libbpf defines them:
 *  - fields_compat: may a field of one type be relocated to the other
 *    (any two structs/unions, pointers, floats; enums and forward
 *    declarations by name; ints unless old-style bitfield ints; arrays
 *    by element type);
 *  - types_compat: TYPE_EXISTS / TYPE_SIZE / TYPE_ID_TARGET candidates
 *    (same kinds, pointers and arrays followed, function prototypes
 *    argument by argument);
 *  - types_match: TYPE_MATCHES, the stricter "same shape" relation.
 * Recursion is bounded as in libbpf (depth 32 per chain, 32 levels), and
 * a step budget stops malformed BTF from taking exponential time.
 */
#include <errno.h>
#include <string.h>

#include "btf.h"
#include "core.h"

#define CHAIN_DEPTH	32
#define LEVELS		32
#define BUDGET		(1L << 20)

/* both names anonymous, or the same once flavours are dropped */
static bool essential_names_eq(const char *a, const char *b)
{
	size_t la = bb_core_essential_len(a), lb = bb_core_essential_len(b);

	return la == lb && !strncmp(a, b, la);
}

static const char *name_of(const struct bb_btf *btf, uint32_t off)
{
	const char *s = bb_btf_str(btf, off);

	return s ? s : "";
}

int bb_core_fields_compat(const struct bb_btf *lb, uint32_t lid,
			  const struct bb_btf *tb, uint32_t tid)
{
	const struct btf_type *lt, *tt;
	const char *ln, *tn;
	int depth;

	for (depth = 0; depth < CHAIN_DEPTH; depth++) {
		lt = bb_core_skip(lb, lid, &lid);
		tt = bb_core_skip(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		if (bb_btf_is_composite(lt) && bb_btf_is_composite(tt))
			return 1;
		if (!bb_core_kind_compat(lt, tt))
			return 0;
		switch (bb_btf_kind(lt)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			ln = name_of(lb, lt->name_off);
			tn = name_of(tb, tt->name_off);
			return !bb_core_essential_len(ln) ||
			       !bb_core_essential_len(tn) ||
			       essential_names_eq(ln, tn);
		case BTF_KIND_INT:
			/* only deprecated bitfield-like ints are refused */
			return !bb_btf_int_offset(lt) && !bb_btf_int_offset(tt);
		case BTF_KIND_ARRAY:
			lid = bb_btf_array(lt)->type;
			tid = bb_btf_array(tt)->type;
			continue;
		default:
			return 0;
		}
	}
	return -ELOOP;	/* an array of itself; libbpf would spin */
}

static int types_compat(const struct bb_btf *lb, uint32_t lid,
			const struct bb_btf *tb, uint32_t tid, int level,
			long *budget)
{
	const struct btf_type *lt, *tt;
	int depth, err;
	uint32_t i, n;

	lt = bb_core_type(lb, lid);
	tt = bb_core_type(tb, tid);
	if (!lt || !tt)
		return -EINVAL;
	if (!bb_core_kind_compat(lt, tt))
		return 0;
	for (depth = 0; depth < CHAIN_DEPTH; depth++) {
		if (--*budget < 0)
			return -ELOOP;
		lt = bb_core_skip(lb, lid, &lid);
		tt = bb_core_skip(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		if (!bb_core_kind_compat(lt, tt))
			return 0;
		switch (bb_btf_kind(lt)) {
		case BTF_KIND_UNKN:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM64:
			return 1;
		case BTF_KIND_INT:
			return !bb_btf_int_offset(lt) && !bb_btf_int_offset(tt);
		case BTF_KIND_PTR:
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = bb_btf_array(lt)->type;
			tid = bb_btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			n = bb_btf_vlen(lt);
			if (n != bb_btf_vlen(tt))
				return 0;
			for (i = 0; i < n; i++) {
				uint32_t l, t;

				if (level <= 0)
					return -EINVAL;
				if (!bb_core_skip(lb, bb_btf_params(lt)[i].type, &l) ||
				    !bb_core_skip(tb, bb_btf_params(tt)[i].type, &t))
					return -EINVAL;
				err = types_compat(lb, l, tb, t, level - 1, budget);
				if (err <= 0)
					return err;
			}
			/* the return type, as a tail call */
			if (!bb_core_skip(lb, lt->type, &lid) ||
			    !bb_core_skip(tb, tt->type, &tid))
				return -EINVAL;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int bb_core_types_compat(const struct bb_btf *lb, uint32_t lid,
			 const struct bb_btf *tb, uint32_t tid)
{
	long budget = BUDGET;

	return types_compat(lb, lid, tb, tid, LEVELS, &budget);
}

/* ---- TYPE_MATCHES ---- */

static bool names_match(const struct bb_btf *lb, uint32_t loff,
			const struct bb_btf *tb, uint32_t toff)
{
	const char *ln = name_of(lb, loff), *tn = name_of(tb, toff);

	if (!*tn)
		return !*ln;
	return essential_names_eq(ln, tn);
}

static uint32_t enum_name_off(const struct btf_type *t, uint32_t i)
{
	return bb_btf_kind(t) == BTF_KIND_ENUM ? bb_btf_enums(t)[i].name_off :
						 bb_btf_enums64(t)[i].name_off;
}

/* every local enumerator has a namesake in the target; sizes equal */
static int enums_match(const struct bb_btf *lb, const struct btf_type *lt,
		       const struct bb_btf *tb, const struct btf_type *tt,
		       long *budget)
{
	uint32_t ln = bb_btf_vlen(lt), tn = bb_btf_vlen(tt), i, j;

	if (lt->size != tt->size || ln > tn)
		return 0;
	for (i = 0; i < ln; i++) {
		for (j = 0; j < tn; j++) {
			if (--*budget < 0)
				return -ELOOP;
			if (names_match(lb, enum_name_off(lt, i), tb,
					enum_name_off(tt, j)))
				break;
		}
		if (j == tn)
			return 0;
	}
	return 1;
}

static int types_match(const struct bb_btf *lb, uint32_t lid,
		       const struct bb_btf *tb, uint32_t tid, bool behind_ptr,
		       int level, long *budget);

/* every local member has a matching namesake in the target */
static int composites_match(const struct bb_btf *lb, const struct btf_type *lt,
			    const struct bb_btf *tb, const struct btf_type *tt,
			    bool behind_ptr, int level, long *budget)
{
	const struct btf_member *lm = bb_btf_members(lt), *tm;
	uint32_t ln = bb_btf_vlen(lt), tn = bb_btf_vlen(tt), i, j;
	int err;

	if (ln > tn)
		return 0;
	for (i = 0; i < ln; i++, lm++) {
		tm = bb_btf_members(tt);
		for (j = 0; j < tn; j++, tm++) {
			if (!names_match(lb, lm->name_off, tb, tm->name_off))
				continue;
			err = types_match(lb, lm->type, tb, tm->type,
					  behind_ptr, level - 1, budget);
			if (err < 0)
				return err;
			if (err > 0)
				break;
		}
		if (j == tn)
			return 0;
	}
	return 1;
}

static int fwd_match(const struct btf_type *lt, const struct btf_type *tt,
		     bool behind_ptr)
{
	bool lf = bb_btf_kflag(lt);
	uint32_t tk = bb_btf_kind(tt);

	if (tk == BTF_KIND_FWD)
		return lf == bb_btf_kflag(tt);
	/* behind a pointer, a declaration matches its definition; kflag
	 * says whether it declares a union */
	return behind_ptr && ((tk == BTF_KIND_STRUCT && !lf) ||
			      (tk == BTF_KIND_UNION && lf));
}

static int composite_match(const struct bb_btf *lb, const struct btf_type *lt,
			   const struct bb_btf *tb, const struct btf_type *tt,
			   bool behind_ptr, int level, long *budget)
{
	uint32_t lk = bb_btf_kind(lt), tk = bb_btf_kind(tt);

	if (behind_ptr) {
		if (lk == tk)
			return 1;
		return tk == BTF_KIND_FWD &&
		       (lk == BTF_KIND_UNION) == bb_btf_kflag(tt);
	}
	if (lk != tk)
		return 0;
	return composites_match(lb, lt, tb, tt, behind_ptr, level, budget);
}

static int types_match(const struct bb_btf *lb, uint32_t lid,
		       const struct bb_btf *tb, uint32_t tid, bool behind_ptr,
		       int level, long *budget)
{
	const struct btf_type *lt, *tt;
	uint32_t lk, tk, i, n;
	int depth, err;

	if (level <= 0)
		return -EINVAL;
	for (depth = 0; depth < CHAIN_DEPTH; depth++) {
		if (--*budget < 0)
			return -ELOOP;
		lt = bb_core_skip(lb, lid, &lid);
		tt = bb_core_skip(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		/* names are checked after typedefs are skipped; the root's
		 * name was checked by the candidate search */
		if (!names_match(lb, lt->name_off, tb, tt->name_off))
			return 0;
		lk = bb_btf_kind(lt);
		tk = bb_btf_kind(tt);
		switch (lk) {
		case BTF_KIND_UNKN:
			return lk == tk;
		case BTF_KIND_FWD:
			return fwd_match(lt, tt, behind_ptr);
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (!bb_btf_is_any_enum(tt))
				return 0;
			return enums_match(lb, lt, tb, tt, budget);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			return composite_match(lb, lt, tb, tt, behind_ptr,
					       level, budget);
		case BTF_KIND_INT:
			if (lk != tk)
				return 0;
			return lt->size == tt->size &&
			       (bb_btf_int_encoding(lt) & BTF_INT_SIGNED) ==
			       (bb_btf_int_encoding(tt) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = true;
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			if (lk != tk || bb_btf_array(lt)->nelems !=
					bb_btf_array(tt)->nelems)
				return 0;
			lid = bb_btf_array(lt)->type;
			tid = bb_btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			n = bb_btf_vlen(lt);
			if (lk != tk || n != bb_btf_vlen(tt))
				return 0;
			for (i = 0; i < n; i++) {
				err = types_match(lb, bb_btf_params(lt)[i].type,
						  tb, bb_btf_params(tt)[i].type,
						  behind_ptr, level - 1, budget);
				if (err <= 0)
					return err;
			}
			lid = lt->type;
			tid = tt->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int bb_core_types_match(const struct bb_btf *lb, uint32_t lid,
			const struct bb_btf *tb, uint32_t tid)
{
	long budget = BUDGET;

	return types_match(lb, lid, tb, tid, false, LEVELS, &budget);
}
