// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The disassembler against the text of the kernel's print_bpf_insn()
 * (verifier log, bpftool prog dump xlated), one instruction per row.
 */
#include <errno.h>
#include "test.h"
#include "bpfbox.h"
#include "disasm.h"

#define INSN(CODE, DST, SRC, OFF, IMM)					\
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST),		\
			    .src_reg = (SRC), .off = (OFF), .imm = (IMM) })

/* BPF_MEMSX is newer than the 6.1 header the tests build against */
#ifndef BPF_MEMSX
#define BPF_MEMSX_ 0x80
#else
#define BPF_MEMSX_ BPF_MEMSX
#endif

struct row {
	struct bpf_insn insn[2];
	const char *text;
};

/* single-slot instructions; insn[1] is unused */
static const struct row rows[] = {
	/* ALU64 / ALU32 */
	{ { BPFBOX_MOV64_IMM(BPF_REG_0, 2) }, "(b7) r0 = 2" },
	{ { BPFBOX_MOV64_REG(BPF_REG_6, BPF_REG_1) }, "(bf) r6 = r1" },
	{ { BPFBOX_ALU64_IMM(BPF_ADD, BPF_REG_1, -8) }, "(07) r1 += -8" },
	{ { BPFBOX_ALU64_REG(BPF_SUB, BPF_REG_1, BPF_REG_2) },
	  "(1f) r1 -= r2" },
	{ { BPFBOX_ALU64_IMM(BPF_ARSH, BPF_REG_1, 3) }, "(c7) r1 s>>= 3" },
	{ { BPFBOX_ALU64_IMM(BPF_LSH, BPF_REG_9, 32) }, "(67) r9 <<= 32" },
	{ { INSN(BPF_ALU | BPF_MOV | BPF_X, 0, 1, 0, 0) }, "(bc) w0 = w1" },
	{ { BPFBOX_ALU32_IMM(BPF_ADD, BPF_REG_1, 5) }, "(04) w1 += 5" },
	{ { BPFBOX_MOV32_IMM(BPF_REG_0, -1) }, "(b4) w0 = -1" },
	{ { INSN(BPF_ALU | BPF_XOR | BPF_X, 3, 4, 0, 0) }, "(ac) w3 ^= w4" },
	{ { INSN(BPF_ALU64 | BPF_NEG, 3, 0, 0, 0) }, "(87) r3 = -r3" },
	{ { INSN(BPF_ALU | BPF_NEG, 3, 0, 0, 0) }, "(84) w3 = -w3" },
	{ { INSN(BPF_ALU | BPF_END | BPF_TO_BE, 2, 0, 0, 16) },
	  "(dc) r2 = be16 r2" },
	{ { INSN(BPF_ALU | BPF_END | BPF_TO_LE, 2, 0, 0, 32) },
	  "(d4) r2 = le32 r2" },
	{ { INSN(BPF_ALU64 | BPF_END, 2, 0, 0, 64) }, "(d7) r2 = bswap64 r2" },
	/* cpu v4: sign-extending mov, signed div/mod */
	{ { INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 8, 0) },
	  "(bf) r1 = (s8)r2" },
	{ { INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 32, 0) },
	  "(bf) r1 = (s32)r2" },
	{ { INSN(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 16, 0) },
	  "(bc) w1 = (s16)w2" },
	{ { INSN(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 1, 0) },
	  "(3f) r1 s/= r2" },
	{ { INSN(BPF_ALU | BPF_MOD | BPF_K, 1, 0, 1, 3) }, "(94) w1 s%= 3" },
	{ { INSN(BPF_ALU64 | BPF_DIV | BPF_K, 1, 0, 0, 3) }, "(37) r1 /= 3" },
	/* arena and per-cpu movs */
	{ { INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 1, 1 << 16) },
	  "(bf) r1 = addr_space_cast(r2, 1, 0)" },
	{ { INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, 0, -1, 0) },
	  "(bf) r0 = &(void __percpu *)(r0)" },
	/* no such ALU op: the kernel prints what printf makes of NULL */
	{ { INSN(BPF_ALU64 | 0xe0 | BPF_K, 1, 0, 0, 1) }, "(e7) r1 (null) 1" },

	/* loads and stores */
	{ { BPFBOX_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 4) },
	  "(61) r0 = *(u32 *)(r1 +4)" },
	{ { BPFBOX_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8) },
	  "(79) r1 = *(u64 *)(r10 -8)" },
	{ { INSN(BPF_LDX | BPF_MEMSX_ | BPF_B, 1, 2, 0, 0) },
	  "(91) r1 = *(s8 *)(r2 +0)" },
	{ { INSN(BPF_LDX | BPF_MEMSX_ | BPF_W, 1, 2, 6, 0) },
	  "(81) r1 = *(s32 *)(r2 +6)" },
	{ { INSN(BPF_LDX | BPF_IMM | BPF_W, 1, 2, 0, 0) }, "BUG_ldx_01" },
	{ { BPFBOX_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -4) },
	  "(63) *(u32 *)(r10 -4) = r1" },
	{ { BPFBOX_STX_MEM(BPF_H, BPF_REG_2, BPF_REG_3, 2) },
	  "(6b) *(u16 *)(r2 +2) = r3" },
	{ { BPFBOX_ST_MEM(BPF_DW, BPF_REG_10, -8, 0) },
	  "(7a) *(u64 *)(r10 -8) = 0" },
	{ { BPFBOX_ST_MEM(BPF_B, BPF_REG_1, 2, -1) },
	  "(72) *(u8 *)(r1 +2) = -1" },
	{ { INSN(BPF_ST | 0xc0, 0, 0, 0, 0) }, "(c2) nospec" },
	{ { INSN(BPF_ST | BPF_ABS | BPF_W, 0, 0, 0, 0) }, "BUG_st_22" },
	{ { BPFBOX_LD_ABS(BPF_H, 12) }, "(28) r0 = *(u16 *)skb[12]" },
	{ { INSN(BPF_LD | BPF_IND | BPF_B, 0, 3, 0, 1) },
	  "(50) r0 = *(u8 *)skb[r3 + 1]" },
	{ { INSN(BPF_LD | BPF_IMM | BPF_W, 1, 0, 0, 0) }, "BUG_ld_00" },

	/* atomics */
	{ { BPFBOX_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_1, BPF_REG_2, 0) },
	  "(db) lock *(u64 *)(r1 +0) += r2" },
	{ { BPFBOX_ATOMIC_OP(BPF_W, BPF_AND, BPF_REG_1, BPF_REG_3, 8) },
	  "(c3) lock *(u32 *)(r1 +8) &= r3" },
	{ { BPFBOX_ATOMIC_OP(BPF_DW, BPF_XOR, BPF_REG_1, BPF_REG_3, -8) },
	  "(db) lock *(u64 *)(r1 -8) ^= r3" },
	{ { BPFBOX_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_1,
			     BPF_REG_2, 0) },
	  "(db) r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)" },
	{ { BPFBOX_ATOMIC_OP(BPF_W, BPF_OR | BPF_FETCH, BPF_REG_1,
			     BPF_REG_2, 4) },
	  "(c3) r2 = atomic_fetch_or((u32 *)(r1 +4), r2)" },
	{ { BPFBOX_ATOMIC_OP(BPF_DW, BPF_XCHG, BPF_REG_1, BPF_REG_2, 0) },
	  "(db) r2 = atomic64_xchg((u64 *)(r1 +0), r2)" },
	{ { BPFBOX_ATOMIC_OP(BPF_W, BPF_CMPXCHG, BPF_REG_1, BPF_REG_2, 0) },
	  "(c3) r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r2)" },
	{ { BPFBOX_ATOMIC_OP(BPF_W, 0x100, BPF_REG_0, BPF_REG_1, 0) },
	  "(c3) r0 = load_acquire((u32 *)(r1 +0))" },
	{ { BPFBOX_ATOMIC_OP(BPF_DW, 0x110, BPF_REG_1, BPF_REG_2, 8) },
	  "(db) store_release((u64 *)(r1 +8), r2)" },
	{ { BPFBOX_ATOMIC_OP(BPF_DW, 0x33, BPF_REG_1, BPF_REG_2, 0) },
	  "BUG_db" },
	{ { INSN(BPF_STX | BPF_ABS | BPF_W, 1, 2, 0, 0) }, "BUG_23" },

	/* jumps */
	{ { BPFBOX_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 3) },
	  "(15) if r0 == 0x0 goto pc+3" },
	{ { BPFBOX_JMP_REG(BPF_JNE, BPF_REG_1, BPF_REG_2, -5) },
	  "(5d) if r1 != r2 goto pc-5" },
	{ { BPFBOX_JMP_IMM(BPF_JSET, BPF_REG_1, 0x80, 0) },
	  "(45) if r1 & 0x80 goto pc+0" },
	{ { INSN(BPF_JMP32 | BPF_JSGT | BPF_K, 1, 0, 1, -1) },
	  "(66) if w1 s> 0xffffffff goto pc+1" },
	{ { INSN(BPF_JMP32 | BPF_JLT | BPF_X, 1, 2, 2, 0) },
	  "(ae) if w1 < w2 goto pc+2" },
	{ { INSN(BPF_JMP | BPF_JSLE | BPF_X, 3, 4, 7, 0) },
	  "(dd) if r3 s<= r4 goto pc+7" },
	{ { BPFBOX_JMP_A(4) }, "(05) goto pc+4" },
	{ { BPFBOX_JMP_A(-1) }, "(05) goto pc-1" },
	{ { INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, 100000) },
	  "(06) gotol pc+100000" },
	{ { INSN(BPF_JMP | 0xe0, 0, 0, 2, 0) }, "(e5) may_goto pc+2" },
	{ { INSN(BPF_JMP | BPF_JA | BPF_X, 3, 0, 0, 0) }, "(0d) gotox r3" },
	{ { BPFBOX_EXIT() }, "(95) exit" },

	/* calls */
	{ { BPFBOX_CALL(BPF_FUNC_map_lookup_elem) },
	  "(85) call bpf_map_lookup_elem#1" },
	{ { BPFBOX_CALL(BPF_FUNC_trace_printk) },
	  "(85) call bpf_trace_printk#6" },
	{ { BPFBOX_CALL(0) }, "(85) call bpf_unspec#0" },
	{ { BPFBOX_CALL(209) }, "(85) call bpf_user_ringbuf_drain#209" },
	{ { BPFBOX_CALL(211) }, "(85) call bpf_cgrp_storage_delete#211" },
	{ { BPFBOX_CALL(999) }, "(85) call unknown#999" },
	{ { BPFBOX_CALL(-7) }, "(85) call unknown#-7" },
	{ { INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 4) },
	  "(85) call pc+4" },
	{ { INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, -12) },
	  "(85) call pc-12" },
	{ { INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1234) },
	  "(85) call kernel-function#1234" },
};

static char *dis(const struct bpf_insn *insns, size_t n, size_t i,
		 const struct bb_disasm_ctx *ctx, int *slots)
{
	static char buf[256];

	*slots = bb_disasm_insn(insns, n, i, ctx, buf, sizeof(buf));
	return buf;
}

TEST(disasm_table)
{
	size_t i;
	int slots;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK_STR(dis(rows[i].insn, 1, 0, NULL, &slots),
			  rows[i].text);
		CHECK_INT(slots, ==, 1);
	}
}

static const struct {
	struct bpf_insn insn[2];
	const char *text;
} imm64_rows[] = {
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_1, 0, 0x100000002ULL) },
	  "(18) r1 = 0x100000002" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_3, 0, -1LL) },
	  "(18) r3 = 0xffffffffffffffff" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_0, 0, 0) }, "(18) r0 = 0x0" },
	{ { BPFBOX_LD_MAP_FD(BPF_REG_1, 5) }, "(18) r1 = map[id:5]" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_1, BPF_PSEUDO_MAP_VALUE,
				16ULL << 32 | 5) },
	  "(18) r1 = map[id:5][0]+16" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_2, BPF_PSEUDO_MAP_IDX, 3) },
	  "(18) r2 = map[idx:3]" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_2, BPF_PSEUDO_MAP_IDX_VALUE,
				8ULL << 32 | 3) },
	  "(18) r2 = map[idx:3]+8" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_2, BPF_PSEUDO_FUNC, 7) },
	  "(18) r2 = subprog[+7]" },
	{ { BPFBOX_LD_IMM64_RAW(BPF_REG_4, BPF_PSEUDO_BTF_ID, 0x1234) },
	  "(18) r4 = 0x1234" },
};

TEST(disasm_ld_imm64)
{
	size_t i;
	int slots;

	for (i = 0; i < sizeof(imm64_rows) / sizeof(imm64_rows[0]); i++) {
		CHECK_STR(dis(imm64_rows[i].insn, 2, 0, NULL, &slots),
			  imm64_rows[i].text);
		CHECK_INT(slots, ==, 2);
	}
}

static void my_map_ref(void *priv, int src_reg, int imm, int off,
		       char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d:%d:%d", (const char *)priv, src_reg, imm,
		 off);
}

static unsigned long long seen_addr;

static const char *my_addr_name(void *priv, unsigned long long addr)
{
	(void)priv;
	seen_addr = addr;
	if (addr == 298768)
		return "htab_map_lookup_elem";
	if (addr == 1234)
		return "bpf_foo";
	if (addr == (unsigned long long)-4096)
		return "below_call_base";
	return NULL;
}

TEST(disasm_ctx)
{
	struct bb_disasm_ctx ctx = {
		.map_ref = my_map_ref, .addr_name = my_addr_name,
		.priv = "maps",
	};
	struct bpf_insn p[] = {
		BPFBOX_LD_MAP_FD(BPF_REG_1, 5),
		BPFBOX_LD_IMM64_RAW(BPF_REG_1, BPF_PSEUDO_MAP_VALUE,
				    16ULL << 32 | 5),
		BPFBOX_LD_IMM64_RAW(BPF_REG_1, 0, 42),
		BPFBOX_LD_IMM64_RAW(BPF_REG_1, BPF_PSEUDO_FUNC, 3),
		BPFBOX_CALL(298768),
		BPFBOX_CALL(-4096),
		BPFBOX_CALL(5555),
		BPFBOX_CALL(BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1234),
		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1234),
	};
	size_t n = sizeof(p) / sizeof(p[0]);
	int slots;

	CHECK_STR(dis(p, n, 0, &ctx, &slots), "(18) r1 = maps:1:5:0");
	CHECK_STR(dis(p, n, 2, &ctx, &slots), "(18) r1 = maps:2:5:16");
	/* plain constants and subprogs are not map references */
	CHECK_STR(dis(p, n, 4, &ctx, &slots), "(18) r1 = 0x2a");
	CHECK_STR(dis(p, n, 6, &ctx, &slots), "(18) r1 = subprog[+3]");
	CHECK_INT(slots, ==, 2);
	/* xlated helper calls: imm is the offset from __bpf_call_base */
	CHECK_STR(dis(p, n, 8, &ctx, &slots),
		  "(85) call htab_map_lookup_elem#298768");
	CHECK_INT(slots, ==, 1);
	CHECK_STR(dis(p, n, 9, &ctx, &slots),
		  "(85) call below_call_base#-4096");
	CHECK_INT(seen_addr, ==, (unsigned long long)-4096);
	CHECK_STR(dis(p, n, 10, &ctx, &slots), "(85) call unknown#5555");
	/* helper ids are named from the table, as the kernel does */
	seen_addr = 0;
	CHECK_STR(dis(p, n, 11, &ctx, &slots),
		  "(85) call bpf_map_lookup_elem#1");
	CHECK_INT(seen_addr, ==, 0);
	CHECK_STR(dis(p, n, 12, &ctx, &slots), "(85) call bpf_foo#1234");
	/* subprogram calls are pc-relative, never kernel addresses */
	CHECK_STR(dis(p, n, 13, &ctx, &slots), "(85) call pc+1234");
}

TEST(disasm_bounds)
{
	struct bpf_insn p[] = {
		BPFBOX_MOV64_IMM(BPF_REG_0, 0),
		BPFBOX_LD_IMM64_RAW(BPF_REG_1, 0, 7),
	};
	char small[8];
	int slots;

	CHECK_STR(dis(p, 3, 0, NULL, &slots), "(b7) r0 = 0");
	CHECK_INT(slots, ==, 1);
	CHECK_STR(dis(p, 3, 1, NULL, &slots), "(18) r1 = 0x7");
	CHECK_INT(slots, ==, 2);
	/* out of range */
	CHECK_STR(dis(p, 3, 3, NULL, &slots), "");
	CHECK_INT(slots, ==, -ERANGE);
	CHECK_INT(bb_disasm_insn(NULL, 0, 0, NULL, small, sizeof(small)), ==,
		  -ERANGE);
	/* ld_imm64 whose second half is cut off */
	CHECK_STR(dis(p, 2, 1, NULL, &slots), "");
	CHECK_INT(slots, ==, -EINVAL);
	/* a short buffer truncates but still counts slots */
	CHECK_INT(bb_disasm_insn(p, 3, 1, NULL, small, sizeof(small)), ==, 2);
	CHECK_STR(small, "(18) r1");
	CHECK_INT(bb_disasm_insn(p, 3, 1, NULL, NULL, 0), ==, 2);
}

TEST(disasm_helper_names)
{
	CHECK_STR(bb_helper_name(0), "unspec");
	CHECK_STR(bb_helper_name(1), "map_lookup_elem");
	CHECK_STR(bb_helper_name(BPF_FUNC_ringbuf_output), "ringbuf_output");
	CHECK_STR(bb_helper_name(209), "user_ringbuf_drain");
	CHECK_STR(bb_helper_name(210), "cgrp_storage_get");
	CHECK(bb_helper_name(212) == NULL);
	CHECK(bb_helper_name(-1) == NULL);
}
