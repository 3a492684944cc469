/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF disassembler (pure), printing in the style of bpftool's
 * `prog dump xlated`:   "   0: (b7) r0 = 2"
 */
#ifndef BB_DISASM_H
#define BB_DISASM_H

#include <stddef.h>
#include <linux/bpf.h>

struct bb_disasm_ctx {
	/* optional: name of a call target in xlated code. It receives the
	 * call's imm, the target's offset from __bpf_call_base; the caller
	 * adds __bpf_call_base (from /proc/kallsyms) and names the address,
	 * as bpftool does */
	const char *(*addr_name)(void *priv, unsigned long long imm);
	/* optional: text for a map reference (ld_imm64 with a pseudo src):
	 * write into buf, e.g. "map[id:12]" */
	void (*map_ref)(void *priv, int src_reg, int imm, int off,
			char *buf, size_t len);
	void *priv;
};

/* Name of helper function id ("map_lookup_elem"), or NULL if unknown. */
const char *bb_helper_name(int id);

/*
 * Disassemble instruction i of insns[0..n): writes one line (no index,
 * no newline) into buf, e.g. "(b7) r0 = 2". Returns the number of slots
 * consumed (1, or 2 for ld_imm64) or a negative errno if i is out of
 * range or the second half of a ld_imm64 is missing.
 */
int bb_disasm_insn(const struct bpf_insn *insns, size_t n, size_t i,
		   const struct bb_disasm_ctx *ctx, char *buf, size_t len);

#endif
