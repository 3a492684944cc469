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

static const struct bb_elf_sym *find_sym(const struct bb_elf *elf, int sec_idx,
					 const char *name)
{
	size_t i;

	for (i = 1; i < elf->nsyms; i++) {
		const struct bb_elf_sym *s = &elf->syms[i];

		if (s->type == STT_OBJECT && s->shndx == sec_idx &&
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

static int fixup_datasec(struct bpfbox_object *obj, struct btf_type *t)
{
	const char *name = bb_btf_type_name(obj->btf, t);
	struct btf_var_secinfo *vi = bb_btf_secinfos(t);
	const struct bb_elf_sec *sec;
	uint32_t i;
	int idx;

	idx = bb_elf_find_sec(obj->elf, name);
	if (idx < 0)
		return 0;	/* externs' sections: filled by their own pass */
	sec = &obj->elf->secs[idx];
	if (sec->size > UINT32_MAX)
		return bb_err(E2BIG, "%s: section %s is too large", obj->path, name);
	t->size = sec->size;
	for (i = 0; i < bb_btf_vlen(t); i++) {
		struct btf_type *var = bb_btf_type(obj->btf, vi[i].type);
		const struct bb_elf_sym *sym;
		const char *vname;

		if (!var || bb_btf_kind(var) != BTF_KIND_VAR)
			continue;
		vname = bb_btf_type_name(obj->btf, var);
		sym = find_sym(obj->elf, idx, vname);
		if (!sym)
			return bb_err(ENOENT,
				      "%s: BTF variable %s of section %s has no ELF symbol",
				      obj->path, vname, name);
		vi[i].offset = sym->value;
		if (sym_is_hidden(sym))
			bb_btf_var(var)->linkage = BTF_VAR_STATIC;
	}
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
