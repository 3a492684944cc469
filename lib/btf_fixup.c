// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Completing an object's BTF before it goes to the kernel (pure).
 *
 * The compiler cannot know where the linker-less object's variables end
 * up, so it emits DATASECs of size 0 with zero offsets; the ELF symbol
 * table knows. The kernel rejects such DATASECs, so fill them in, as
 * libbpf does. Hidden global functions and variables are made static in
 * BTF, matching their ELF visibility.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "elf.h"
#include "err.h"
#include "object.h"

/* the global (or weak) object symbol of a BTF variable */
static const struct bb_elf_sym *find_sym(const struct bb_elf *elf,
					 const char *name)
{
	size_t i;

	for (i = 1; i < elf->nsyms; i++) {
		const struct bb_elf_sym *s = &elf->syms[i];

		if (s->type == STT_OBJECT &&
		    (s->bind == STB_GLOBAL || s->bind == STB_WEAK) &&
		    !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

static int cmp_secinfo(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static bool sym_is_hidden(const struct bb_elf_sym *sym)
{
	return sym->bind != STB_LOCAL &&
	       (sym->visibility == STV_HIDDEN ||
		sym->visibility == STV_INTERNAL);
}

/*
 * As libbpf: size from the ELF section when the compiler left 0 (and only
 * then the offsets); static and extern variables keep theirs; externs'
 * sections (.kconfig, .ksyms) are laid out by their own pass.
 */
static int fixup_datasec(struct bpfbox_object *obj, struct btf_type *t)
{
	const char *name = bb_btf_type_name(obj->btf, t);
	struct btf_var_secinfo *vi = bb_btf_secinfos(t);
	bool fix_offsets = false;
	uint32_t i;
	int idx;

	if (!strcmp(name, ".kconfig") || !strcmp(name, ".ksyms"))
		goto sort;
	if (!t->size) {
		idx = bb_elf_find_sec(obj->elf, name);
		if (idx < 0 || !obj->elf->secs[idx].size ||
		    obj->elf->secs[idx].size > UINT32_MAX)
			return bb_err(ENOENT,
				      "%s: BTF describes section %s, which the ELF file lacks or has empty",
				      obj->path, name);
		t->size = obj->elf->secs[idx].size;
		fix_offsets = true;
	}
	for (i = 0; i < bb_btf_vlen(t); i++) {
		struct btf_type *var = bb_btf_type(obj->btf, vi[i].type);
		const struct bb_elf_sym *sym;
		const char *vname;

		if (!var || bb_btf_kind(var) != BTF_KIND_VAR)
			return bb_err(EINVAL, "%s: BTF section %s: entry %u is not a variable",
				      obj->path, name, i);
		if (bb_btf_var(var)->linkage == BTF_VAR_STATIC ||
		    bb_btf_var(var)->linkage == BTF_VAR_GLOBAL_EXTERN)
			continue;
		vname = bb_btf_type_name(obj->btf, var);
		sym = find_sym(obj->elf, vname);
		if (!sym)
			return bb_err(ENOENT,
				      "%s: BTF variable %s of section %s has no ELF symbol",
				      obj->path, vname, name);
		if (fix_offsets)
			vi[i].offset = sym->value;
		if (sym_is_hidden(sym))
			bb_btf_var(var)->linkage = BTF_VAR_STATIC;
	}
sort:
	qsort(vi, bb_btf_vlen(t), sizeof(*vi), cmp_secinfo);
	return 0;
}

static void mark_static_funcs(struct bpfbox_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];
		struct btf_type *t;
		int id;

		if (!p->mark_btf_static)
			continue;
		id = bb_btf_find(obj->btf, p->name, BTF_KIND_FUNC);
		t = id > 0 ? bb_btf_type(obj->btf, id) : NULL;
		if (t)	/* for FUNC, vlen holds the linkage */
			t->info = (BTF_KIND_FUNC << 24) | BTF_FUNC_STATIC;
	}
}

int bb_object_fixup_btf(struct bpfbox_object *obj)
{
	uint32_t id, n;
	int err;

	if (!obj->btf)
		return 0;
	n = bb_btf_type_cnt(obj->btf);
	for (id = bb_btf_start_id(obj->btf); id < n; id++) {
		struct btf_type *t = bb_btf_type(obj->btf, id);

		if (!t || bb_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		err = fixup_datasec(obj, t);
		if (err)
			return err;
	}
	mark_static_funcs(obj);
	return 0;
}
