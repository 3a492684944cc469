// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Extern variables (pure part): `extern int CONFIG_HZ __kconfig;` and
 * `extern const void sym __ksym;`. The compiler leaves them as undefined
 * ELF symbols described by BTF VARs in the DATASECs .kconfig and .ksyms.
 *
 * Like libbpf: .kconfig externs are laid out in one read-only array map
 * (sorted by alignment, then size, then name, to waste little padding);
 * .ksyms externs become 4-byte allocated variables in BTF so the kernel
 * accepts the DATASEC. Their values are found at load (kconfig.c, ksyms.c).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "elf.h"
#include "err.h"
#include "object.h"

static int find_extern_var(const struct bb_btf *btf, const char *name,
			   uint32_t *var_id, uint32_t *sec_id)
{
	uint32_t id, n = bb_btf_type_cnt(btf), i;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = bb_btf_type(btf, id);
		const struct btf_var_secinfo *vi;

		if (!t || bb_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		vi = bb_btf_secinfos(t);
		for (i = 0; i < bb_btf_vlen(t); i++) {
			const struct btf_type *v = bb_btf_type(btf, vi[i].type);

			if (v && !strcmp(bb_btf_type_name(btf, v), name)) {
				*var_id = vi[i].type;
				*sec_id = id;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* what kind of value a kconfig extern takes, from its C type */
static enum bb_kcfg_type kcfg_type(const struct bb_btf *btf, uint32_t id,
				   bool *is_signed)
{
	const struct btf_type *t = bb_btf_type(btf, bb_btf_skip_mods(btf, id));
	const struct btf_type *e;

	if (!t)
		return BB_KCFG_UNKNOWN;
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		*is_signed = bb_btf_int_encoding(t) & BTF_INT_SIGNED;
		if (t->size == 1 && (bb_btf_int_encoding(t) & BTF_INT_CHAR))
			return BB_KCFG_CHAR;
		if (t->size == 1 && (bb_btf_int_encoding(t) & BTF_INT_BOOL))
			return BB_KCFG_BOOL;
		if (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8)
			return BB_KCFG_INT;
		return BB_KCFG_UNKNOWN;
	case BTF_KIND_ENUM:
		if (t->size == 4 &&
		    !strcmp(bb_btf_type_name(btf, t), "libbpf_tristate"))
			return BB_KCFG_TRISTATE;
		return BB_KCFG_UNKNOWN;
	case BTF_KIND_ARRAY:
		e = bb_btf_type(btf, bb_btf_skip_mods(btf, bb_btf_array(t)->type));
		if (e && bb_btf_kind(e) == BTF_KIND_INT && e->size == 1 &&
		    bb_btf_array(t)->nelems)
			return BB_KCFG_CHAR_ARR;
		return BB_KCFG_UNKNOWN;
	default:
		return BB_KCFG_UNKNOWN;
	}
}

static int init_kcfg(struct bpfbox_object *obj, struct bb_extern *ext,
		     const struct btf_type *var)
{
	int64_t sz = bb_btf_resolve_size(obj->btf, var->type);
	int align = bb_btf_align(obj->btf, var->type);

	ext->kind = BB_EXT_KCFG;
	ext->kcfg_type = kcfg_type(obj->btf, var->type, &ext->is_signed);
	if (sz <= 0 || align <= 0 || ext->kcfg_type == BB_KCFG_UNKNOWN)
		return bb_err(ENOTSUP,
			      "%s: extern %s __kconfig: unsupported type (use bool, char, an integer, enum libbpf_tristate or a char array)",
			      obj->path, ext->name);
	ext->sz = sz;
	ext->align = align;
	return 0;
}

static int init_ksym(struct bpfbox_object *obj, struct bb_extern *ext,
		     const struct btf_type *t)
{
	(void)obj;
	ext->kind = BB_EXT_KSYM;
	/* a kfunc: typed by its prototype, resolved in the kernel's BTF */
	ext->is_func = bb_btf_kind(t) == BTF_KIND_FUNC;
	/* `const void` means untyped: resolved through /proc/kallsyms */
	ext->type_id = bb_btf_skip_mods(obj->btf, t->type);
	return 0;
}

static int add_extern(struct bpfbox_object *obj, size_t sym_idx)
{
	const struct bb_elf_sym *sym = &obj->elf->syms[sym_idx];
	const struct btf_type *t, *sec;
	struct bb_extern *ext;
	uint32_t var_id, sec_id;
	const char *sec_name;

	if (!obj->btf || find_extern_var(obj->btf, sym->name, &var_id, &sec_id))
		return bb_err(ENOENT,
			      "%s: extern %s has no BTF description (declare it __kconfig or __ksym and compile with -g)",
			      obj->path, sym->name);
	ext = realloc(obj->externs, (obj->nexterns + 1) * sizeof(*ext));
	if (!ext)
		return bb_err(ENOMEM, "out of memory");
	obj->externs = ext;
	ext = &obj->externs[obj->nexterns++];
	memset(ext, 0, sizeof(*ext));
	ext->name = strdup(sym->name);
	if (!ext->name)
		return bb_err(ENOMEM, "out of memory");
	ext->sym_idx = sym_idx;
	ext->btf_id = var_id;
	ext->is_weak = sym->bind == STB_WEAK;
	t = bb_btf_type(obj->btf, var_id);
	sec = bb_btf_type(obj->btf, sec_id);
	sec_name = bb_btf_type_name(obj->btf, sec);
	if (!strcmp(sec_name, ".kconfig"))
		return init_kcfg(obj, ext, t);
	if (!strcmp(sec_name, ".ksyms"))
		return init_ksym(obj, ext, t);
	return bb_err(ENOTSUP, "%s: extern %s is in section %s; only __kconfig and __ksym externs are supported",
		      obj->path, ext->name, sec_name);
}

static int cmp_externs(const void *pa, const void *pb)
{
	const struct bb_extern *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == BB_EXT_KCFG) {
		if (a->align != b->align)	/* widest alignment first */
			return a->align > b->align ? -1 : 1;
		if (a->sz != b->sz)
			return a->sz < b->sz ? -1 : 1;
	}
	return strcmp(a->name, b->name);
}

static struct bb_extern *find_ext(struct bpfbox_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nexterns; i++)
		if (!strcmp(obj->externs[i].name, name))
			return &obj->externs[i];
	return NULL;
}

/* the first 32-bit integer type, which stands in for .ksyms variables */
static uint32_t find_int32(const struct bb_btf *btf)
{
	uint32_t id, n = bb_btf_type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = bb_btf_type(btf, id);

		if (t && bb_btf_kind(t) == BTF_KIND_INT &&
		    bb_btf_int_bits(t) == 32)
			return id;
	}
	return 0;
}

/*
 * The kernel refuses FUNCs in a DATASEC: as libbpf, .ksyms kfuncs point
 * to a stand-in variable, "dummy_ksym", appended to the BTF when needed.
 */
static int add_dummy_ksym_var(struct bpfbox_object *obj)
{
	int id = bb_btf_find(obj->btf, ".ksyms", BTF_KIND_DATASEC);
	const struct btf_var_secinfo *vi;
	const struct btf_type *sec;
	uint32_t i;

	if (id <= 0)
		return 0;
	sec = bb_btf_type(obj->btf, id);
	vi = bb_btf_secinfos(sec);
	for (i = 0; i < bb_btf_vlen(sec); i++) {
		const struct btf_type *t = bb_btf_type(obj->btf, vi[i].type);

		if (t && bb_btf_kind(t) == BTF_KIND_FUNC)
			return bb_btf_add_var(obj->btf, "dummy_ksym",
					      BTF_VAR_GLOBAL_ALLOCATED,
					      find_int32(obj->btf));
	}
	return 0;
}

/* kfunc: unnamed parameters borrow the dummy's name; the FUNC is global */
static void rewrite_kfunc(struct bpfbox_object *obj, struct btf_type *fn,
			  struct btf_var_secinfo *vi, uint32_t dummy_id)
{
	const struct btf_type *dummy = bb_btf_type(obj->btf, dummy_id);
	struct btf_type *proto = bb_btf_type(obj->btf, fn->type);
	struct btf_param *p;
	uint32_t j;

	if (proto && bb_btf_kind(proto) == BTF_KIND_FUNC_PROTO && dummy) {
		p = bb_btf_params(proto);
		for (j = 0; j < bb_btf_vlen(proto); j++)
			if (p[j].type && !p[j].name_off)
				p[j].name_off = dummy->name_off;
	}
	vi->type = dummy_id;
	fn->info = (fn->info & ~0xffffu) | BTF_FUNC_GLOBAL;
}

static int rewrite_sec(struct bpfbox_object *obj, const char *name, bool kcfg,
		       uint32_t dummy_id)
{
	int id = bb_btf_find(obj->btf, name, BTF_KIND_DATASEC);
	uint32_t i, off = 0, int_id = kcfg ? 0 : find_int32(obj->btf);
	struct btf_var_secinfo *vi;
	struct btf_type *sec;

	if (id <= 0)
		return 0;
	sec = bb_btf_type(obj->btf, id);
	vi = bb_btf_secinfos(sec);
	for (i = 0; i < bb_btf_vlen(sec); i++) {
		struct btf_type *v = bb_btf_type(obj->btf, vi[i].type);
		struct bb_extern *ext = v ?
			find_ext(obj, bb_btf_type_name(obj->btf, v)) : NULL;

		if (!ext)
			return bb_err(ESRCH, "%s: BTF %s entry %u has no matching extern symbol",
				      obj->path, name, i);
		if (bb_btf_kind(v) == BTF_KIND_FUNC && !kcfg) {
			rewrite_kfunc(obj, v, &vi[i], dummy_id);
		} else if (bb_btf_kind(v) == BTF_KIND_VAR) {
			bb_btf_var(v)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			if (kcfg) {
				vi[i].offset = ext->data_off;
				continue;
			}
			v->type = int_id;	/* the kernel wants sized variables */
		} else {
			return bb_err(ENOTSUP, "%s: BTF %s entry %u (%s) is neither a variable nor a function",
				      obj->path, name, i, ext->name);
		}
		vi[i].offset = off;
		vi[i].size = sizeof(int);
		off += sizeof(int);
	}
	sec->size = kcfg ? obj->kconfig_size : off;
	return 0;
}

static void layout_kconfig(struct bpfbox_object *obj)
{
	uint32_t off = 0;
	size_t i;

	for (i = 0; i < obj->nexterns; i++) {
		struct bb_extern *e = &obj->externs[i];

		if (e->kind != BB_EXT_KCFG)
			continue;
		e->data_off = (off + e->align - 1) / e->align * e->align;
		off = e->data_off + e->sz;
	}
	obj->kconfig_size = off;
}

int bb_object_collect_externs(struct bpfbox_object *obj)
{
	int dummy_id = 0;
	size_t i;
	int err;

	if (obj->btf) {
		dummy_id = add_dummy_ksym_var(obj);
		if (dummy_id < 0)
			return bb_err_wrap(dummy_id, "%s", obj->path);
	}

	for (i = 1; i < obj->elf->nsyms; i++) {
		const struct bb_elf_sym *s = &obj->elf->syms[i];

		if (s->shndx != SHN_UNDEF || !s->name[0] ||
		    (s->bind != STB_GLOBAL && s->bind != STB_WEAK))
			continue;
		err = add_extern(obj, i);
		if (err)
			return err;
	}
	if (!obj->nexterns)
		return 0;
	qsort(obj->externs, obj->nexterns, sizeof(*obj->externs), cmp_externs);
	layout_kconfig(obj);
	err = rewrite_sec(obj, ".ksyms", false, dummy_id);
	return err ? err : rewrite_sec(obj, ".kconfig", true, 0);
}

int bb_object_find_extern(const struct bpfbox_object *obj, size_t sym_idx)
{
	size_t i;

	for (i = 0; i < obj->nexterns; i++)
		if (obj->externs[i].sym_idx == sym_idx)
			return i;
	return -ENOENT;
}
