// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * From matched specs to values, and from values to instructions: the
 * arithmetic of libbpf's bpf_core_calc_relo and bpf_core_patch_insn.
 *
 * A relocation yields the value the compiler assumed (orig, from the
 * local spec) and the kernel's value (new, from the target spec). The
 * instruction must hold orig, or the object and its BTF disagree and
 * relocating would corrupt it; bitfield offsets are the exception,
 * since clang and libbpf may pick different load sizes.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "core.h"

/* internal: "poison the instruction" (libbpf uses -EUCLEAN too) */
#define POISON	(-EUCLEAN)

static bool is_int(const struct btf_type *t)
{
	return t && bb_btf_kind(t) == BTF_KIND_INT;
}

static bool is_ptr(const struct btf_type *t)
{
	return t && bb_btf_kind(t) == BTF_KIND_PTR;
}

struct field_val {
	uint64_t val;
	uint32_t sz;		/* memory access size for BYTE_OFFSET */
	uint32_t type_id;	/* the field's type for BYTE_OFFSET */
	bool validate;
};

/* the accessed element of an array (last accessor unnamed) */
static int calc_array_elem(uint32_t kind, const struct bb_core_spec *spec,
			   const struct bb_core_acc *acc, struct field_val *v)
{
	int64_t sz;

	if (kind != BPF_CORE_FIELD_BYTE_OFFSET &&
	    kind != BPF_CORE_FIELD_BYTE_SIZE)
		return -EINVAL;	/* libbpf: "can't be applied to array access" */
	sz = bb_btf_resolve_size(spec->btf, acc->type_id);
	if (sz < 0)
		return -EINVAL;
	if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
		v->val = spec->bit_offset / 8;
		v->sz = sz;
		v->type_id = acc->type_id;
	} else {
		v->val = sz;
	}
	v->validate = true;
	return 0;
}

/*
 * Smallest naturally aligned load, starting at the field type's size,
 * that covers the bitfield.
 */
static int bitfield_load(uint32_t bit_off, uint32_t bit_sz, uint32_t type_sz,
			 uint32_t *byte_off, uint32_t *byte_sz)
{
	uint32_t sz = type_sz, off;

	if (!sz)	/* libbpf would divide by zero */
		return -EINVAL;
	off = bit_off / 8 / sz * sz;
	while ((uint64_t)bit_off + bit_sz - (uint64_t)off * 8 > (uint64_t)sz * 8) {
		if (sz >= 8)
			return -E2BIG;	/* no 64-bit load covers it */
		sz *= 2;
		off = bit_off / 8 / sz * sz;
	}
	*byte_off = off;
	*byte_sz = sz;
	return 0;
}

/* libbpf's bpf_core_calc_field_relo; spec NULL: nothing matched */
static int calc_field(uint32_t kind, const struct bb_core_spec *spec,
		      struct field_val *v)
{
	uint32_t byte_off, byte_sz, bit_off, bit_sz, ftype_id;
	const struct bb_core_acc *acc;
	const struct btf_member *m;
	const struct btf_type *t, *mt;
	bool bitfield;
	int64_t sz;
	int err;

	v->sz = 0;
	if (kind == BPF_CORE_FIELD_EXISTS) {
		v->val = spec != NULL;
		return 0;
	}
	if (!spec)
		return POISON;
	acc = &spec->spec[spec->len - 1];
	if (!acc->name)
		return calc_array_elem(kind, spec, acc, v);

	t = bb_core_type(spec->btf, acc->type_id);
	m = bb_btf_members(t) + acc->idx;
	mt = bb_core_skip(spec->btf, m->type, &ftype_id);
	if (!mt)
		return -EINVAL;
	bit_off = spec->bit_offset;
	bit_sz = bb_btf_member_bitfield_size(t, m);
	bitfield = bit_sz > 0;
	if (bitfield) {
		err = bitfield_load(bit_off, bit_sz, mt->size, &byte_off,
				    &byte_sz);
		if (err)
			return err;
	} else {
		sz = bb_btf_resolve_size(spec->btf, ftype_id);
		if (sz < 0)
			return -EINVAL;
		byte_sz = sz;
		byte_off = bit_off / 8;
		bit_sz = byte_sz * 8;
	}
	/* bitfield loads are ambiguous: clang may have chosen otherwise */
	v->validate = !bitfield;

	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		v->val = byte_off;
		if (!bitfield) {
			v->sz = byte_sz;
			v->type_id = ftype_id;
		}
		break;
	case BPF_CORE_FIELD_BYTE_SIZE:
		v->val = byte_sz;
		break;
	case BPF_CORE_FIELD_SIGNED:
		v->val = (bb_btf_is_any_enum(mt) && bb_btf_kflag(mt)) ||
			 (is_int(mt) && (bb_btf_int_encoding(mt) & BTF_INT_SIGNED));
		v->validate = true;
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:
		/* little endian: BPF on x86 and arm64 */
		v->val = 64 - (bit_off + bit_sz - byte_off * 8);
		break;
	case BPF_CORE_FIELD_RSHIFT_U64:
		v->val = 64 - bit_sz;
		v->validate = true;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int calc_type(uint32_t kind, const struct bb_core_spec *spec,
		     uint64_t *val, bool *validate)
{
	int64_t sz;

	*validate = true;
	if (!spec) {	/* no such type: 0, never a poison */
		*val = 0;
		return 0;
	}
	switch (kind) {
	case BPF_CORE_TYPE_ID_TARGET:
		/* ids change when objects are linked: do not check */
		*val = spec->root_type_id;
		*validate = false;
		return 0;
	case BPF_CORE_TYPE_EXISTS:
	case BB_CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case BPF_CORE_TYPE_SIZE:
		sz = bb_btf_resolve_size(spec->btf, spec->root_type_id);
		if (sz < 0)
			return -EINVAL;
		*val = sz;
		return 0;
	default:	/* TYPE_ID_LOCAL never gets here */
		return -EOPNOTSUPP;
	}
}

static int calc_enumval(uint32_t kind, const struct bb_core_spec *spec,
			uint64_t *val)
{
	const struct btf_type *t;
	uint32_t idx;

	switch (kind) {
	case BPF_CORE_ENUMVAL_EXISTS:
		*val = spec != NULL;
		return 0;
	case BPF_CORE_ENUMVAL_VALUE:
		if (!spec)
			return POISON;
		t = bb_core_type(spec->btf, spec->spec[0].type_id);
		idx = spec->spec[0].idx;
		if (!t || !bb_btf_is_any_enum(t) || idx >= bb_btf_vlen(t))
			return -EINVAL;
		if (bb_btf_kind(t) == BTF_KIND_ENUM) {
			/* btf_enum.val is __s32: libbpf sign-extends it */
			*val = (uint64_t)(int64_t)bb_btf_enums(t)[idx].val;
		} else {
			const struct btf_enum64 *e = bb_btf_enums64(t) + idx;

			*val = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
		}
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * May a load/store of a field change size? Only for pointers (a 32-bit
 * kernel pointer read into a 64-bit register) and unsigned integers,
 * which zero extension keeps intact.
 */
static bool memsz_adjust_ok(const struct bb_core_spec *local,
			    const struct bb_core_spec *targ,
			    const struct bb_core_res *res)
{
	const struct btf_type *o = bb_core_type(local->btf, res->orig_type_id);
	const struct btf_type *n = bb_core_type(targ->btf, res->new_type_id);

	if (is_ptr(o) && is_ptr(n))
		return true;
	return is_int(o) && is_int(n) &&
	       bb_btf_int_encoding(o) != BTF_INT_SIGNED &&
	       bb_btf_int_encoding(n) != BTF_INT_SIGNED;
}

static int calc_field_relo(const struct bb_core_relo *r,
			   const struct bb_core_spec *local,
			   const struct bb_core_spec *targ,
			   struct bb_core_res *res)
{
	struct field_val lv = { .validate = true }, tv = { 0 };
	int err;

	err = calc_field(r->kind, local, &lv);
	if (!err)
		err = calc_field(r->kind, targ, &tv);
	if (err)
		return err;
	res->orig_val = lv.val;
	res->orig_sz = lv.sz;
	res->orig_type_id = lv.type_id;
	res->validate = lv.validate;
	res->new_val = tv.val;
	res->new_sz = tv.sz;
	res->new_type_id = tv.type_id;
	if (res->orig_sz != res->new_sz &&
	    !memsz_adjust_ok(local, targ, res))
		res->fail_memsz_adjust = true;	/* only LDX/ST/STX care */
	return 0;
}

/*
 * libbpf's bpf_core_calc_relo: orig and new values for one candidate
 * (targ) or for none (targ NULL).
 */
int bb_core_calc_relo(const struct bb_core_relo *r,
		      const struct bb_core_spec *local,
		      const struct bb_core_spec *targ, struct bb_core_res *res)
{
	bool ignored;
	int err;

	memset(res, 0, sizeof(*res));
	res->validate = true;
	switch (bb_core_kind_class(r->kind)) {
	case BB_CORE_FIELD:
		err = calc_field_relo(r, local, targ, res);
		break;
	case BB_CORE_TYPE:
		err = calc_type(r->kind, local, &res->orig_val, &res->validate);
		if (!err)
			err = calc_type(r->kind, targ, &res->new_val, &ignored);
		break;
	case BB_CORE_ENUMVAL:
		err = calc_enumval(r->kind, local, &res->orig_val);
		if (!err)
			err = calc_enumval(r->kind, targ, &res->new_val);
		break;
	default:
		err = -EOPNOTSUPP;
	}
	if (err == POISON) {
		res->poison = true;
		err = 0;
	}
	return err;
}

/* ---- patching ---- */

static void poison_insn(struct bpf_insn *insn)
{
	insn->code = BPF_JMP | BPF_CALL;
	insn->dst_reg = 0;
	insn->src_reg = 0;
	insn->off = 0;
	/* the verifier says "invalid func unknown#195896080" if reachable */
	insn->imm = BB_CORE_POISON_IMM;
}

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static int poison(struct bpf_insn *insns, size_t cnt, size_t idx)
{
	/* both halves of an ld_imm64, or the verifier complains about
	 * "unknown opcode 00" instead */
	if (is_ldimm64(&insns[idx]) && idx + 1 < cnt)
		poison_insn(&insns[idx + 1]);
	poison_insn(&insns[idx]);
	return 0;
}

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_DW: return 8;
	case BPF_W: return 4;
	case BPF_H: return 2;
	default: return 1;	/* BPF_B */
	}
}

static int bytes_size(uint32_t sz)
{
	switch (sz) {
	case 8: return BPF_DW;
	case 4: return BPF_W;
	case 2: return BPF_H;
	case 1: return BPF_B;
	default: return -1;
	}
}

#define WHY(...) (snprintf(why, why_len, __VA_ARGS__), -EINVAL)

static int patch_mem(struct bpf_insn *insns, size_t cnt, size_t idx,
		     const struct bb_core_res *res, char *why, size_t why_len)
{
	struct bpf_insn *insn = &insns[idx];
	int bsz;

	/* off is s16: compared sign-extended, as libbpf does */
	if (res->validate && (uint64_t)(int64_t)insn->off != res->orig_val)
		return WHY("the instruction's offset is %d, but the program's BTF says %llu",
			   insn->off, (unsigned long long)res->orig_val);
	if (res->new_val > SHRT_MAX) {
		snprintf(why, why_len, "the offset %llu does not fit in an instruction",
			 (unsigned long long)res->new_val);
		return -ERANGE;
	}
	if (res->fail_memsz_adjust)
		return poison(insns, cnt, idx);
	insn->off = res->new_val;
	if (res->new_sz == res->orig_sz)
		return 0;
	if (size_bytes(insn->code) != (int)res->orig_sz)
		return WHY("the instruction accesses %d bytes, but the field has %u",
			   size_bytes(insn->code), res->orig_sz);
	bsz = bytes_size(res->new_sz);
	if (bsz < 0)
		return WHY("the field's size in the kernel, %u bytes, is no load size",
			   res->new_sz);
	insn->code = BPF_MODE(insn->code) | bsz | BPF_CLASS(insn->code);
	return 0;
}

static int patch_ldimm64(struct bpf_insn *insns, size_t cnt, size_t idx,
			 const struct bb_core_res *res, char *why, size_t why_len)
{
	struct bpf_insn *insn = &insns[idx];
	uint64_t imm;

	if (!is_ldimm64(insn) || idx + 1 >= cnt || insn[0].src_reg ||
	    insn[0].off || insn[1].code || insn[1].dst_reg ||
	    insn[1].src_reg || insn[1].off)
		return WHY("not a plain 64-bit immediate load");
	imm = (uint32_t)insn[0].imm | (uint64_t)(uint32_t)insn[1].imm << 32;
	if (res->validate && imm != res->orig_val)
		return WHY("the instruction loads %llu, but the program's BTF says %llu",
			   (unsigned long long)imm,
			   (unsigned long long)res->orig_val);
	insn[0].imm = (uint32_t)res->new_val;
	insn[1].imm = (uint32_t)(res->new_val >> 32);
	return 0;
}

/*
 * libbpf's bpf_core_patch_insn. Patchable: rX = imm and rX op= imm
 * (ALU/ALU64 with BPF_K), ld_imm64, and the offset of LDX/ST/STX (whose
 * access size follows the field's size when that changed safely). On
 * error, why says what is wrong with the instruction.
 */
int bb_core_patch_insn(struct bpf_insn *insns, size_t cnt, size_t idx,
		       const struct bb_core_res *res, char *why, size_t why_len)
{
	struct bpf_insn *insn = &insns[idx];

	why[0] = '\0';
	if (res->poison)
		return poison(insns, cnt, idx);
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K)
			return WHY("an ALU instruction with a register operand cannot be relocated");
		/* imm is s32: compared sign-extended, as libbpf does */
		if (res->validate && (uint64_t)(int64_t)insn->imm != res->orig_val)
			return WHY("the instruction's immediate is %d, but the program's BTF says %llu",
				   insn->imm, (unsigned long long)res->orig_val);
		insn->imm = (int32_t)(uint32_t)res->new_val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return patch_mem(insns, cnt, idx, res, why, why_len);
	case BPF_LD:
		return patch_ldimm64(insns, cnt, idx, res, why, why_len);
	default:
		return WHY("instruction code 0x%02x cannot be relocated",
			   insn->code);
	}
}
