// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF disassembler, pure. The text is the kernel's (kernel/bpf/disasm.c,
 * print_bpf_insn(), which both the verifier log and `bpftool prog dump
 * xlated` use), with bpftool's callbacks for immediates and calls, so
 * that a dump from bpfbox and one from bpftool can be diffed.
 *
 * Calls and ctx->addr_name: in the xlated code of a loaded program the
 * kernel has rewritten helper (and kfunc) calls so that imm is the offset
 * of the target from __bpf_call_base. addr_name() receives that imm,
 * sign-extended to 64 bits; the caller adds the address of
 * __bpf_call_base (from /proc/kallsyms) and names the result from
 * kallsyms, as bpftool does, e.g. "call htab_map_lookup_elem#298768".
 * Returning NULL leaves the kernel's "unknown#IMM". For a kfunc call
 * before load (src_reg BPF_PSEUDO_KFUNC_CALL) the imm is a BTF id.
 * Small imms that are helper ids are named from the helper table first,
 * as the kernel does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "disasm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Encodings newer than the 6.1 UAPI header */
#ifndef BPF_JCOND
#define BPF_JCOND		0xe0	/* conditional pseudo jumps */
#endif
#ifndef BPF_MAY_GOTO
#define BPF_MAY_GOTO		0
#endif
#ifndef BPF_MEMSX
#define BPF_MEMSX		0x80	/* sign-extending load */
#endif
#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ		0x100
#endif
#ifndef BPF_STORE_REL
#define BPF_STORE_REL		0x110
#endif
#ifndef BPF_ADDR_SPACE_CAST
#define BPF_ADDR_SPACE_CAST	1
#endif
#define BB_ADDR_PERCPU		(-1)	/* kernel-internal mov off */
#define BB_NOSPEC		0xc0	/* kernel-internal BPF_ST mode */

/* ------------------------------------------------------------------ */
/* Helper names                                                        */

#define BB_HELPER_NAME(x) [BPF_FUNC_##x] = #x
static const char *const helper_names[] = {
	/*
	 * 6.2 added the last two helpers (the list is frozen since: new
	 * kernel functions are kfuncs), so naming them when the header is
	 * older makes the table complete for every kernel. 6.2 also brought
	 * ___BPF_FUNC_MAPPER, which tells the headers apart. They come
	 * first because only 6.2+ mappers end with a comma.
	 */
#ifndef ___BPF_FUNC_MAPPER
	[210] = "cgrp_storage_get",
	[211] = "cgrp_storage_delete",
#endif
	__BPF_FUNC_MAPPER(BB_HELPER_NAME)
};
#undef BB_HELPER_NAME

const char *bb_helper_name(int id)
{
	if (id < 0 || (size_t)id >= ARRAY_SIZE(helper_names))
		return NULL;
	return helper_names[id];
}

/* ------------------------------------------------------------------ */
/* Operator spellings, as in the kernel                                */

static const char *const class_str[8] = {
	[BPF_LD] = "ld", [BPF_LDX] = "ldx", [BPF_ST] = "st",
	[BPF_STX] = "stx", [BPF_ALU] = "alu", [BPF_JMP] = "jmp",
	[BPF_JMP32] = "jmp32", [BPF_ALU64] = "alu64",
};

static const char *const alu_str[16] = {
	[BPF_ADD >> 4] = "+=", [BPF_SUB >> 4] = "-=", [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=", [BPF_OR >> 4] = "|=", [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=",
	[BPF_NEG >> 4] = "neg", [BPF_MOD >> 4] = "%=", [BPF_XOR >> 4] = "^=",
	[BPF_MOV >> 4] = "=", [BPF_ARSH >> 4] = "s>>=",
	[BPF_END >> 4] = "endian",
};

static const char *const alu_sign_str[16] = {
	[BPF_DIV >> 4] = "s/=", [BPF_MOD >> 4] = "s%=",
};

static const char *const movsx_str[4] = {
	[0] = "(s8)", [1] = "(s16)", [3] = "(s32)",
};

static const char *const atomic_str[16] = {
	[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
	[BPF_OR >> 4] = "or", [BPF_XOR >> 4] = "xor",
};

static const char *const ldst_str[4] = {
	[BPF_W >> 3] = "u32", [BPF_H >> 3] = "u16", [BPF_B >> 3] = "u8",
	[BPF_DW >> 3] = "u64",
};

static const char *const ldsx_str[4] = {
	[BPF_W >> 3] = "s32", [BPF_H >> 3] = "s16", [BPF_B >> 3] = "s8",
};

static const char *const jmp_str[16] = {
	[BPF_JA >> 4] = "jmp", [BPF_JEQ >> 4] = "==", [BPF_JGT >> 4] = ">",
	[BPF_JLT >> 4] = "<", [BPF_JGE >> 4] = ">=", [BPF_JLE >> 4] = "<=",
	[BPF_JSET >> 4] = "&", [BPF_JNE >> 4] = "!=", [BPF_JSGT >> 4] = "s>",
	[BPF_JSLT >> 4] = "s<", [BPF_JSGE >> 4] = "s>=",
	[BPF_JSLE >> 4] = "s<=", [BPF_CALL >> 4] = "call",
	[BPF_EXIT >> 4] = "exit",
};

/* An invalid opcode has no spelling; the kernel's printf says "(null)". */
static const char *S(const char *s)
{
	return s ? s : "(null)";
}

static const char *sz_str(uint8_t code)
{
	return ldst_str[BPF_SIZE(code) >> 3];
}

/* ------------------------------------------------------------------ */
/* Classes                                                             */

static bool is_sdiv_smod(const struct bpf_insn *in)
{
	return (BPF_OP(in->code) == BPF_DIV || BPF_OP(in->code) == BPF_MOD) &&
	       in->off == 1;
}

static bool is_movsx(const struct bpf_insn *in)
{
	return BPF_OP(in->code) == BPF_MOV &&
	       (in->off == 8 || in->off == 16 || in->off == 32);
}

static void print_alu(const struct bpf_insn *in, char *buf, size_t len)
{
	uint8_t code = in->code, op = BPF_OP(code) >> 4;
	char r = BPF_CLASS(code) == BPF_ALU ? 'w' : 'r';
	const char *ops = is_sdiv_smod(in) ? alu_sign_str[op] : alu_str[op];

	if (BPF_OP(code) == BPF_END && BPF_CLASS(code) == BPF_ALU64)
		snprintf(buf, len, "(%02x) r%d = bswap%d r%d", code,
			 in->dst_reg, in->imm, in->dst_reg);
	else if (BPF_OP(code) == BPF_END)
		snprintf(buf, len, "(%02x) r%d = %s%d r%d", code, in->dst_reg,
			 BPF_SRC(code) == BPF_TO_BE ? "be" : "le", in->imm,
			 in->dst_reg);
	else if (BPF_OP(code) == BPF_NEG)
		snprintf(buf, len, "(%02x) %c%d = -%c%d", code, r, in->dst_reg,
			 r, in->dst_reg);
	else if (code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
		 in->off == BPF_ADDR_SPACE_CAST)
		snprintf(buf, len, "(%02x) r%d = addr_space_cast(r%d, %u, %u)",
			 code, in->dst_reg, in->src_reg,
			 (uint32_t)in->imm >> 16, (uint16_t)in->imm);
	else if (code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
		 in->off == BB_ADDR_PERCPU)
		snprintf(buf, len, "(%02x) r%d = &(void __percpu *)(r%d)",
			 code, in->dst_reg, in->src_reg);
	else if (BPF_SRC(code) == BPF_X)
		snprintf(buf, len, "(%02x) %c%d %s %s%c%d", code, r,
			 in->dst_reg, S(ops),
			 is_movsx(in) ? S(movsx_str[(in->off >> 3) - 1]) : "",
			 r, in->src_reg);
	else
		snprintf(buf, len, "(%02x) %c%d %s %d", code, r, in->dst_reg,
			 S(ops), in->imm);
}

static bool is_atomic_alu(int32_t imm)
{
	return imm == BPF_ADD || imm == BPF_AND || imm == BPF_OR ||
	       imm == BPF_XOR;
}

static void print_atomic(const struct bpf_insn *in, char *buf, size_t len)
{
	uint8_t code = in->code;
	const char *w = BPF_SIZE(code) == BPF_DW ? "64" : "";

	if (is_atomic_alu(in->imm))
		snprintf(buf, len, "(%02x) lock *(%s *)(r%d %+d) %s r%d", code,
			 sz_str(code), in->dst_reg, in->off,
			 S(alu_str[BPF_OP(in->imm) >> 4]), in->src_reg);
	else if ((in->imm & BPF_FETCH) && is_atomic_alu(in->imm & ~BPF_FETCH))
		snprintf(buf, len,
			 "(%02x) r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
			 code, in->src_reg, w,
			 S(atomic_str[BPF_OP(in->imm) >> 4]), sz_str(code),
			 in->dst_reg, in->off, in->src_reg);
	else if (in->imm == BPF_CMPXCHG)
		snprintf(buf, len,
			 "(%02x) r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
			 code, w, sz_str(code), in->dst_reg, in->off,
			 in->src_reg);
	else if (in->imm == BPF_XCHG)
		snprintf(buf, len,
			 "(%02x) r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)",
			 code, in->src_reg, w, sz_str(code), in->dst_reg,
			 in->off, in->src_reg);
	else if (in->imm == BPF_LOAD_ACQ)
		snprintf(buf, len, "(%02x) r%d = load_acquire((%s *)(r%d %+d))",
			 code, in->dst_reg, sz_str(code), in->src_reg, in->off);
	else if (in->imm == BPF_STORE_REL)
		snprintf(buf, len,
			 "(%02x) store_release((%s *)(r%d %+d), r%d)", code,
			 sz_str(code), in->dst_reg, in->off, in->src_reg);
	else
		snprintf(buf, len, "BUG_%02x", code);
}

static void print_stx(const struct bpf_insn *in, char *buf, size_t len)
{
	if (BPF_MODE(in->code) == BPF_MEM)
		snprintf(buf, len, "(%02x) *(%s *)(r%d %+d) = r%d", in->code,
			 sz_str(in->code), in->dst_reg, in->off, in->src_reg);
	else if (BPF_MODE(in->code) == BPF_ATOMIC)
		print_atomic(in, buf, len);
	else
		snprintf(buf, len, "BUG_%02x", in->code);
}

static void print_st(const struct bpf_insn *in, char *buf, size_t len)
{
	if (BPF_MODE(in->code) == BPF_MEM)
		snprintf(buf, len, "(%02x) *(%s *)(r%d %+d) = %d", in->code,
			 sz_str(in->code), in->dst_reg, in->off, in->imm);
	else if (BPF_MODE(in->code) == BB_NOSPEC)
		snprintf(buf, len, "(%02x) nospec", in->code);
	else
		snprintf(buf, len, "BUG_st_%02x", in->code);
}

static void print_ldx(const struct bpf_insn *in, char *buf, size_t len)
{
	uint8_t mode = BPF_MODE(in->code);

	if (mode != BPF_MEM && mode != BPF_MEMSX) {
		snprintf(buf, len, "BUG_ldx_%02x", in->code);
		return;
	}
	snprintf(buf, len, "(%02x) r%d = *(%s *)(r%d %+d)", in->code,
		 in->dst_reg, mode == BPF_MEM ? sz_str(in->code) :
		 S(ldsx_str[BPF_SIZE(in->code) >> 3]), in->src_reg, in->off);
}

static bool is_map_ref(int src)
{
	return src == BPF_PSEUDO_MAP_FD || src == BPF_PSEUDO_MAP_VALUE ||
	       src == BPF_PSEUDO_MAP_IDX || src == BPF_PSEUDO_MAP_IDX_VALUE;
}

/* The 64-bit immediate, as bpftool's print_imm() spells it. */
static void imm64_text(const struct bpf_insn *in,
		       const struct bb_disasm_ctx *ctx, char *buf, size_t len)
{
	uint32_t lo = (uint32_t)in[0].imm, hi = (uint32_t)in[1].imm;
	int src = in->src_reg;

	if (is_map_ref(src) && ctx && ctx->map_ref) {
		buf[0] = '\0';
		ctx->map_ref(ctx->priv, src, in[0].imm, in[1].imm, buf, len);
	} else if (src == BPF_PSEUDO_MAP_FD) {
		snprintf(buf, len, "map[id:%u]", lo);
	} else if (src == BPF_PSEUDO_MAP_VALUE) {
		snprintf(buf, len, "map[id:%u][0]+%u", lo, hi);
	} else if (src == BPF_PSEUDO_MAP_IDX) {
		snprintf(buf, len, "map[idx:%u]", lo);
	} else if (src == BPF_PSEUDO_MAP_IDX_VALUE) {
		snprintf(buf, len, "map[idx:%u]+%u", lo, hi);
	} else if (src == BPF_PSEUDO_FUNC) {
		snprintf(buf, len, "subprog[%+d]", in[0].imm);
	} else {
		snprintf(buf, len, "0x%llx",
			 (unsigned long long)hi << 32 | lo);
	}
}

static void print_ld(const struct bpf_insn *in,
		     const struct bb_disasm_ctx *ctx, char *buf, size_t len)
{
	uint8_t code = in->code;
	char imm[128];

	if (BPF_MODE(code) == BPF_ABS) {
		snprintf(buf, len, "(%02x) r0 = *(%s *)skb[%d]", code,
			 sz_str(code), in->imm);
	} else if (BPF_MODE(code) == BPF_IND) {
		snprintf(buf, len, "(%02x) r0 = *(%s *)skb[r%d + %d]", code,
			 sz_str(code), in->src_reg, in->imm);
	} else if (BPF_MODE(code) == BPF_IMM && BPF_SIZE(code) == BPF_DW) {
		imm64_text(in, ctx, imm, sizeof(imm));
		snprintf(buf, len, "(%02x) r%d = %s", code, in->dst_reg, imm);
	} else {
		snprintf(buf, len, "BUG_ld_%02x", code);
	}
}

static const char *call_name(const struct bpf_insn *in,
			     const struct bb_disasm_ctx *ctx, char *tmp,
			     size_t len)
{
	const char *name = NULL;

	if (!in->src_reg && (name = bb_helper_name(in->imm))) {
		snprintf(tmp, len, "bpf_%s", name);
		return tmp;
	}
	if (ctx && ctx->addr_name &&
	    (!in->src_reg || in->src_reg == BPF_PSEUDO_KFUNC_CALL))
		name = ctx->addr_name(ctx->priv,
				      (unsigned long long)(long long)in->imm);
	if (name)
		return name;
	return in->src_reg == BPF_PSEUDO_KFUNC_CALL ? "kernel-function" :
						       "unknown";
}

static void print_jmp(const struct bpf_insn *in,
		      const struct bb_disasm_ctx *ctx, char *buf, size_t len)
{
	uint8_t code = in->code;
	char r = BPF_CLASS(code) == BPF_JMP32 ? 'w' : 'r', tmp[64];

	if (BPF_OP(code) == BPF_CALL && in->src_reg == BPF_PSEUDO_CALL)
		snprintf(buf, len, "(%02x) call pc%+d", code, in->imm);
	else if (BPF_OP(code) == BPF_CALL)
		snprintf(buf, len, "(%02x) call %s#%d", code,
			 call_name(in, ctx, tmp, sizeof(tmp)), in->imm);
	else if (code == (BPF_JMP | BPF_JA))
		snprintf(buf, len, "(%02x) goto pc%+d", code, in->off);
	else if (code == (BPF_JMP | BPF_JA | BPF_X))
		snprintf(buf, len, "(%02x) gotox r%d", code, in->dst_reg);
	else if (code == (BPF_JMP | BPF_JCOND) &&
		 in->src_reg == BPF_MAY_GOTO)
		snprintf(buf, len, "(%02x) may_goto pc%+d", code, in->off);
	else if (code == (BPF_JMP32 | BPF_JA))
		snprintf(buf, len, "(%02x) gotol pc%+d", code, in->imm);
	else if (code == (BPF_JMP | BPF_EXIT))
		snprintf(buf, len, "(%02x) exit", code);
	else if (BPF_SRC(code) == BPF_X)
		snprintf(buf, len, "(%02x) if %c%d %s %c%d goto pc%+d", code,
			 r, in->dst_reg, S(jmp_str[BPF_OP(code) >> 4]), r,
			 in->src_reg, in->off);
	else
		snprintf(buf, len, "(%02x) if %c%d %s 0x%x goto pc%+d", code,
			 r, in->dst_reg, S(jmp_str[BPF_OP(code) >> 4]),
			 (uint32_t)in->imm, in->off);
}

int bb_disasm_insn(const struct bpf_insn *insns, size_t n, size_t i,
		   const struct bb_disasm_ctx *ctx, char *buf, size_t len)
{
	const struct bpf_insn *in;
	char dummy[1];

	if (!buf || !len) {	/* still report the slot count */
		buf = dummy;
		len = sizeof(dummy);
	}
	buf[0] = '\0';
	if (!insns || i >= n)
		return -ERANGE;
	in = &insns[i];
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		print_alu(in, buf, len);
		return 1;
	case BPF_STX:
		print_stx(in, buf, len);
		return 1;
	case BPF_ST:
		print_st(in, buf, len);
		return 1;
	case BPF_LDX:
		print_ldx(in, buf, len);
		return 1;
	case BPF_LD:
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW)) {
			print_ld(in, ctx, buf, len);
			return 1;
		}
		/* the second half must be there before we read it */
		if (i + 1 >= n)
			return -EINVAL;
		print_ld(in, ctx, buf, len);
		return 2;
	case BPF_JMP:
	case BPF_JMP32:
		print_jmp(in, ctx, buf, len);
		return 1;
	}
	snprintf(buf, len, "(%02x) %s", in->code,
		 S(class_str[BPF_CLASS(in->code)]));
	return 1;
}
