// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Linking a program's final instructions (pure; needs the maps' fds).
 *
 * Subprograms live in .text. Each main program gets its own copy of every
 * subprogram it reaches, appended depth first in the order the calls are
 * met, exactly as libbpf does it, so the kernel verifies the same
 * instruction stream whichever loader made it. Then map and global data
 * references become BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE loads.
 * func_info and line_info follow their instructions.
 */
#include <linux/btf.h>
#include <stdlib.h>
#include <string.h>

#include "btf_ext.h"
#include "elf.h"
#include "err.h"
#include "object.h"

bool bb_prog_is_subprog(const struct bpfbox_prog *prog)
{
	return prog->is_subprog;
}

static bool insn_is_subprog_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL && insn->dst_reg == 0 &&
	       insn->off == 0;
}

static bool insn_is_pseudo_func(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       insn->src_reg == BPF_PSEUDO_FUNC;
}

static const struct bb_relo *find_relo(const struct bpfbox_prog *prog,
				       size_t insn_idx)
{
	size_t i;

	for (i = 0; i < prog->nrelos; i++)
		if (prog->relos[i].insn_idx == insn_idx)
			return &prog->relos[i];
	return NULL;
}

static struct bpfbox_prog *find_subprog(struct bpfbox_object *obj,
					int64_t sec_insn)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->sec_idx == obj->text_shndx && sec_insn >= 0 &&
		    (size_t)sec_insn >= p->sec_insn_off &&
		    (size_t)sec_insn < p->sec_insn_off + p->sec_insn_cnt)
			return p;
	}
	return NULL;
}

/* ---- func_info / line_info ---- */

static const char *elf_sec_name(const struct bpfbox_prog *prog)
{
	return prog->obj->elf->secs[prog->sec_idx].name;
}

/*
 * Append the records of prog's instruction range to main's array,
 * converting byte offsets in the section to instruction indexes in
 * main's stream.
 */
static int append_ext_info(struct bpfbox_prog *main,
			   const struct bpfbox_prog *prog,
			   const struct bb_btf_ext_info *info, void **arr,
			   uint32_t *cnt, uint32_t *rec_size)
{
	const struct bb_btf_ext_sec *sec;
	uint32_t i;
	uint8_t *p;

	sec = bb_btf_ext_find(info, elf_sec_name(prog));
	if (!sec || !sec->nrec)
		return 0;
	if (*cnt && *rec_size != sec->rec_size)
		return bb_err(EINVAL, "%s: .BTF.ext record sizes differ between sections",
			      main->obj->path);
	*rec_size = sec->rec_size;
	for (i = 0; i < sec->nrec; i++) {
		const uint8_t *rec = sec->recs + (size_t)i * sec->rec_size;
		uint32_t off = *(const uint32_t *)rec / BB_INSN_SZ;

		if (off < prog->sec_insn_off ||
		    off >= prog->sec_insn_off + prog->sec_insn_cnt)
			continue;
		p = realloc(*arr, (size_t)(*cnt + 1) * sec->rec_size);
		if (!p)
			return bb_err(ENOMEM, "out of memory");
		*arr = p;
		p += (size_t)*cnt * sec->rec_size;
		memcpy(p, rec, sec->rec_size);
		off = off - prog->sec_insn_off + prog->sub_insn_off;
		memcpy(p, &off, sizeof(off));
		(*cnt)++;
	}
	return 0;
}

static int reloc_ext_info(struct bpfbox_prog *main, const struct bpfbox_prog *prog)
{
	const struct bb_btf_ext *ext = main->obj->btf_ext;
	int err;

	if (!ext)
		return 0;
	err = append_ext_info(main, prog, &ext->func_info, &main->func_info,
			      &main->func_info_cnt, &main->func_info_rec_size);
	if (err)
		return err;
	return append_ext_info(main, prog, &ext->line_info, &main->line_info,
			       &main->line_info_cnt, &main->line_info_rec_size);
}

/* ---- calls ---- */

static int append_subprog(struct bpfbox_prog *main, struct bpfbox_prog *sub)
{
	size_t n = main->insns_cnt + sub->sec_insn_cnt;
	struct bpf_insn *insns;

	insns = realloc(main->insns, n * sizeof(*insns));
	if (!insns)
		return bb_err(ENOMEM, "out of memory");
	sub->sub_insn_off = main->insns_cnt;
	memcpy(insns + main->insns_cnt, sub->insns,
	       sub->sec_insn_cnt * sizeof(*insns));
	main->insns = insns;
	main->insns_cnt = n;
	return 0;
}

static int64_t call_target(const struct bpfbox_prog *prog, size_t insn_idx,
			   const struct bpf_insn *insn, const struct bb_relo *relo)
{
	if (!relo)	/* static call inside .text: relative to itself */
		return (int64_t)prog->sec_insn_off + insn_idx + insn->imm + 1;
	if (relo->type == BB_RELO_CALL)
		return (int64_t)(relo->sym_off / BB_INSN_SZ) + insn->imm + 1;
	return ((int64_t)relo->sym_off + insn->imm) / BB_INSN_SZ;
}

static int reloc_code(struct bpfbox_prog *main, struct bpfbox_prog *prog)
{
	struct bpfbox_object *obj = main->obj;
	size_t i;
	int err;

	err = reloc_ext_info(main, prog);
	if (err)
		return err;
	for (i = 0; i < prog->sec_insn_cnt; i++) {
		struct bpf_insn *insn = &main->insns[prog->sub_insn_off + i];
		const struct bb_relo *relo;
		struct bpfbox_prog *sub;
		int64_t target;

		if (!insn_is_subprog_call(insn) && !insn_is_pseudo_func(insn))
			continue;
		relo = find_relo(prog, i);
		if (relo && relo->type != BB_RELO_CALL &&
		    relo->type != BB_RELO_SUBPROG_ADDR)
			return bb_err(EINVAL, "%s: program %s: instruction %zu: call with a data relocation",
				      obj->path, prog->name, i);
		if (!relo && insn_is_pseudo_func(insn))
			return bb_err(EINVAL, "%s: program %s: instruction %zu: function address without relocation",
				      obj->path, prog->name, i);
		target = call_target(prog, i, insn, relo);
		sub = find_subprog(obj, target);
		if (!sub)
			return bb_err(EINVAL,
				      "%s: program %s: instruction %zu calls .text instruction %lld, which is in no function",
				      obj->path, prog->name, i, (long long)target);
		if (sub->sub_insn_off == 0) {
			err = append_subprog(main, sub);
			if (!err)
				err = reloc_code(main, sub);
			if (err)
				return err;
		}
		insn = &main->insns[prog->sub_insn_off + i];
		insn->imm = sub->sub_insn_off - (prog->sub_insn_off + i) - 1;
	}
	return 0;
}

/* ---- maps and global data ---- */

static int kconfig_map_fd(const struct bpfbox_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (obj->maps[i].kind == BB_MAP_KCONFIG)
			return obj->maps[i].fd;
	return -1;
}

/*
 * __kconfig: a value in the .kconfig map; typed __ksym: the kernel's BTF
 * id of the variable (vmlinux: object fd 0); untyped __ksym or a weak one
 * not found: its address (0).
 */
static int reloc_extern(const struct bpfbox_object *obj, struct bpf_insn *insn,
			const struct bb_extern *ext)
{
	if (ext->kind == BB_EXT_KCFG) {
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = kconfig_map_fd(obj);
		insn[1].imm = ext->data_off;
		return 0;
	}
	if (ext->type_id && ext->is_set) {
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = ext->kernel_btf_id;
		insn[1].imm = 0;
		return 0;
	}
	insn[0].imm = (uint32_t)ext->addr;
	insn[1].imm = ext->addr >> 32;
	return 0;
}

static int reloc_data(struct bpfbox_prog *prog)
{
	struct bpfbox_object *obj = prog->obj;
	size_t i;
	int err;

	for (i = 0; i < prog->nrelos; i++) {
		const struct bb_relo *r = &prog->relos[i];
		struct bpf_insn *insn = &prog->insns[r->insn_idx];
		const struct bpfbox_map *map;

		if (r->type == BB_RELO_EXTERN_CALL) {
			const struct bb_extern *e = &obj->externs[r->map_idx];

			/* a weak kfunc the kernel lacks stays a call to 0,
			 * which the verifier drops as dead code */
			insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
			insn->imm = e->is_set ? (int)e->kernel_btf_id : 0;
			insn->off = 0;
			continue;
		}
		if (r->type == BB_RELO_EXTERN) {
			err = reloc_extern(obj, insn, &obj->externs[r->map_idx]);
			if (err)
				return err;
			continue;
		}
		if (r->type != BB_RELO_MAP && r->type != BB_RELO_DATA)
			continue;
		map = &obj->maps[r->map_idx];
		if (map->fd < 0)
			return bb_err(EINVAL, "%s: program %s uses map %s, which was not created",
				      obj->path, prog->name, map->name);
		if (r->type == BB_RELO_MAP) {
			insn[0].src_reg = BPF_PSEUDO_MAP_FD;
		} else {
			insn[1].imm = insn[0].imm + r->sym_off;
			insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		}
		insn[0].imm = map->fd;
	}
	return 0;
}

static void mark_pseudo_funcs(struct bpfbox_prog *prog)
{
	size_t i;

	for (i = 0; i < prog->nrelos; i++)
		if (prog->relos[i].type == BB_RELO_SUBPROG_ADDR)
			prog->insns[prog->relos[i].insn_idx].src_reg =
				BPF_PSEUDO_FUNC;
}

static int link_main(struct bpfbox_object *obj, struct bpfbox_prog *main)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++)
		obj->progs[i].sub_insn_off = 0;
	free(main->func_info);
	free(main->line_info);
	main->func_info = main->line_info = NULL;
	main->func_info_cnt = main->line_info_cnt = 0;
	return reloc_code(main, main);
}

int bb_object_relocate(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	/* data first, on every program's own copy: subprogram copies
	 * appended later carry their relocated loads along (CO-RE was
	 * applied before, by the loader, which has the kernel's BTF) */
	for (i = 0; i < obj->nprogs; i++) {
		mark_pseudo_funcs(&obj->progs[i]);
		err = reloc_data(&obj->progs[i]);
		if (err)
			return err;
	}
	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->is_subprog || !p->autoload)
			continue;
		err = link_main(obj, p);
		if (err)
			return err;
	}
	return 0;
}
