// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Relocation records of program sections (.rel<section>): which
 * instruction refers to which map, global variable or function. Pure;
 * the records are applied by relocate.c.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "err.h"
#include "object.h"

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL;
}

/* a function in .text: a section symbol (static) or a global function */
static bool sym_is_subprog(const struct bb_elf_sym *sym, int text_shndx)
{
	if (text_shndx < 0 || sym->shndx != text_shndx)
		return false;
	if (sym->bind == STB_LOCAL && sym->type == STT_SECTION)
		return true;
	return sym->bind == STB_GLOBAL && sym->type == STT_FUNC;
}

static struct bpfbox_prog *find_prog(struct bpfbox_object *obj, int sec_idx,
				     size_t insn_idx)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->sec_idx == sec_idx && insn_idx >= p->sec_insn_off &&
		    insn_idx < p->sec_insn_off + p->sec_insn_cnt)
			return p;
	}
	return NULL;
}

static int push_relo(struct bpfbox_prog *prog, const struct bb_relo *r)
{
	struct bb_relo *relos;

	relos = realloc(prog->relos, (prog->nrelos + 1) * sizeof(*relos));
	if (!relos)
		return bb_err(ENOMEM, "out of memory");
	prog->relos = relos;
	relos[prog->nrelos++] = *r;
	return 0;
}

static int record_map_relo(struct bpfbox_object *obj, struct bpfbox_prog *prog,
			   const struct bb_elf_sym *sym, struct bb_relo *r)
{
	const struct bb_elf_sec *s = &obj->elf->secs[sym->shndx];
	int idx;

	if (sym->shndx == obj->maps_shndx) {
		idx = bb_object_find_map_by_sec_off(obj, sym->shndx, sym->value);
		if (idx < 0)
			return bb_err(EINVAL,
				      "%s: program %s: instruction %u refers to .maps offset %llu (%s), where no map is defined",
				      obj->path, prog->name, r->insn_idx,
				      (unsigned long long)sym->value, sym->name);
		r->type = BB_RELO_MAP;
	} else {
		idx = bb_object_find_data_map(obj, sym->shndx);
		if (idx < 0)
			return bb_err(EINVAL,
				      "%s: program %s: instruction %u refers to %s in section %s, which is neither a map nor global data",
				      obj->path, prog->name, r->insn_idx,
				      sym->name[0] ? sym->name : "a symbol", s->name);
		r->type = BB_RELO_DATA;
	}
	r->map_idx = idx;
	r->sym_off = sym->value;
	return 0;
}

static int record_relo(struct bpfbox_object *obj, struct bpfbox_prog *prog,
		       const struct bb_elf_rel *rel, size_t insn_idx)
{
	const struct bb_elf_sym *sym = &obj->elf->syms[rel->sym];
	const struct bpf_insn *insn;
	struct bb_relo r = { .insn_idx = insn_idx - prog->sec_insn_off };

	insn = &prog->insns[r.insn_idx];
	if (sym->shndx == SHN_UNDEF) {
		r.map_idx = bb_object_find_extern(obj, rel->sym);
		if (r.map_idx >= 0 && insn->code == (BPF_JMP | BPF_CALL) &&
		    obj->externs[r.map_idx].is_func) {
			r.type = BB_RELO_EXTERN_CALL;
			return push_relo(prog, &r);
		}
		if (r.map_idx < 0 || !is_ldimm64(insn) ||
		    r.insn_idx + 1 >= prog->insns_cnt)
			return bb_err(ENOTSUP,
				      "%s: program %s: instruction %u refers to %s, which is not a __kconfig or __ksym extern",
				      obj->path, prog->name, r.insn_idx, sym->name);
		r.type = BB_RELO_EXTERN;
		return push_relo(prog, &r);
	}
	if (sym->shndx >= obj->elf->nsecs)
		return bb_err(EINVAL, "%s: program %s: relocation symbol %s has bad section %u",
			      obj->path, prog->name, sym->name, sym->shndx);
	if (is_pseudo_call(insn)) {
		if ((int)sym->shndx != obj->text_shndx || sym->value % BB_INSN_SZ)
			return bb_err(EINVAL,
				      "%s: program %s: call at instruction %u targets %s outside .text",
				      obj->path, prog->name, r.insn_idx, sym->name);
		r.type = BB_RELO_CALL;
		r.sym_off = sym->value;
		return push_relo(prog, &r);
	}
	if (!is_ldimm64(insn) || r.insn_idx + 1 >= prog->insns_cnt)
		return bb_err(EINVAL,
			      "%s: program %s: relocation at instruction %u (opcode 0x%02x) is not a 64-bit load or a call",
			      obj->path, prog->name, r.insn_idx, insn->code);
	if (sym_is_subprog(sym, obj->text_shndx)) {
		if (sym->value % BB_INSN_SZ || insn->imm % BB_INSN_SZ)
			return bb_err(EINVAL,
				      "%s: program %s: function address at instruction %u is misaligned",
				      obj->path, prog->name, r.insn_idx);
		r.type = BB_RELO_SUBPROG_ADDR;
		r.sym_off = sym->value;
		return push_relo(prog, &r);
	}
	if (record_map_relo(obj, prog, sym, &r))
		return -EINVAL;
	return push_relo(prog, &r);
}

static int collect_section(struct bpfbox_object *obj, int rel_idx)
{
	const struct bb_elf_sec *rs = &obj->elf->secs[rel_idx];
	int target = rs->info;
	struct bb_elf_rel rel;
	size_t i, n;
	int err;

	if (target <= 0 || (size_t)target >= obj->elf->nsecs)
		return bb_err(EINVAL, "%s: relocation section %s applies to section %d, which does not exist",
			      obj->path, rs->name, target);
	if (rs->link != (uint32_t)obj->elf->symtab_idx)
		return bb_err(EINVAL, "%s: section %s does not use the symbol table",
			      obj->path, rs->name);
	err = bb_elf_rel_count(obj->elf, rel_idx, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		struct bpfbox_prog *prog;
		size_t insn_idx;

		err = bb_elf_rel_get(obj->elf, rel_idx, i, &rel);
		if (err)
			return err;
		if (rel.offset % BB_INSN_SZ ||
		    rel.offset >= obj->elf->secs[target].size)
			return bb_err(EINVAL, "%s: %s: relocation %zu at offset %llu is not on an instruction of %s (size %llu)",
				      obj->path, rs->name, i,
				      (unsigned long long)rel.offset,
				      obj->elf->secs[target].name,
				      (unsigned long long)obj->elf->secs[target].size);
		insn_idx = rel.offset / BB_INSN_SZ;
		prog = find_prog(obj, target, insn_idx);
		if (!prog)
			continue;	/* code outside any function: ignored */
		err = record_relo(obj, prog, &rel, insn_idx);
		if (err)
			return err;
	}
	return 0;
}

int bb_object_collect_relos(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	for (i = 1; i < obj->elf->nsecs; i++) {
		const struct bb_elf_sec *s = &obj->elf->secs[i];

		if (s->type != SHT_REL)
			continue;
		if (s->info < obj->elf->nsecs &&
		    !(obj->elf->secs[s->info].flags & SHF_EXECINSTR))
			continue;	/* .rel.BTF, .rel.maps, ... */
		err = collect_section(obj, i);
		if (err)
			return err;
	}
	return 0;
}
