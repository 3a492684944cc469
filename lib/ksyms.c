// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values of __ksym externs. Typed ones (`extern const int x __ksym;`)
 * name a variable in the kernel's BTF and become BPF_PSEUDO_BTF_ID loads;
 * untyped ones (`extern const void x __ksym;`) become the address from
 * /proc/kallsyms. A weak extern the kernel lacks reads as 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "core.h"
#include "err.h"
#include "object.h"

/* 0 and the address, -ENOENT, or -EINVAL when two addresses differ */
int bb_kallsyms_lookup(const char *name, uint64_t *addr)
{
	char line[512], sym[256];
	unsigned long long a;
	uint64_t found = 0;
	bool seen = false;
	char type;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) != 3 ||
		    strcmp(sym, name))
			continue;
		if (seen && a != found) {
			fclose(f);
			return -EINVAL;
		}
		seen = true;
		found = a;
	}
	fclose(f);
	if (!seen)
		return -ENOENT;
	if (addr)
		*addr = found;
	return 0;
}

/* does the kernel know bpf_get_attach_cookie()? (libbpf's probe) */
int bb_probe_bpf_cookie(void)
{
	struct bpf_insn insns[] = {
		BPFBOX_CALL(BPF_FUNC_get_attach_cookie),
		BPFBOX_EXIT(),
	};
	int fd = bpfbox_prog_load(BPF_PROG_TYPE_TRACEPOINT, insns, 2, "GPL",
				  &(struct bpfbox_prog_load_opts){ 0 });

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int resolve_untyped(struct bpfbox_object *obj, struct bb_extern *e)
{
	int err = bb_kallsyms_lookup(e->name, &e->addr);

	if (err == -EINVAL)
		return bb_err(EINVAL, "%s: extern %s __ksym: several kernel symbols have this name",
			      obj->path, e->name);
	if (!err && !e->addr)
		return bb_err(EPERM, "%s: extern %s __ksym: /proc/kallsyms hides addresses (needs CAP_SYSLOG or kernel.kptr_restrict=0)",
			      obj->path, e->name);
	if (err && !e->is_weak)
		return bb_err(ESRCH, "%s: extern %s __ksym: no such kernel symbol (declare it __weak to read 0 instead)",
			      obj->path, e->name);
	e->is_set = !err;
	return 0;
}

/*
 * A kfunc declared as name___flavour resolves to the kernel's "name"
 * (libbpf 1.3 does the same), so one object can declare two versions of
 * a kfunc whose signature changed and call the one the kernel has.
 */
static int kernel_ksym_id(const struct bb_btf *vmlinux,
			  const struct bb_extern *e)
{
	size_t len = e->is_func ? bb_core_essential_len(e->name) :
				  strlen(e->name);
	char name[256];

	if (len >= sizeof(name))
		return -ENOENT;
	memcpy(name, e->name, len);
	name[len] = '\0';
	return bb_btf_find(vmlinux, name,
			   e->is_func ? BTF_KIND_FUNC : BTF_KIND_VAR);
}

/*
 * The local declaration must agree with the kernel's: a kfunc's
 * prototype, a variable's type (the rules of CO-RE's type compatibility).
 * 1 compatible, 0 not, -errno on malformed BTF.
 */
static int ksym_compat(struct bpfbox_object *obj, const struct bb_extern *e,
		       const struct bb_btf *vmlinux, uint32_t kid,
		       uint32_t *ktype)
{
	const struct btf_type *kt = bb_btf_type(vmlinux, kid);

	if (!kt)
		return -EINVAL;
	*ktype = bb_btf_skip_mods(vmlinux, kt->type);
	return bb_core_types_compat(obj->btf, e->type_id, vmlinux, *ktype);
}

static int incompatible(struct bpfbox_object *obj, const struct bb_extern *e,
			const struct bb_btf *vmlinux, uint32_t ktype)
{
	const struct btf_type *lt = bb_btf_type(obj->btf, e->type_id);
	const struct btf_type *kt = bb_btf_type(vmlinux, ktype);
	char here[128], there[128];

	if (e->is_func && lt && kt)
		return bb_err(EINVAL, "%s: extern %s __ksym: its prototype does not match the kernel's kfunc (%u parameters here, %u in the kernel, or their types differ); declare the kernel's prototype, or a ___flavour per version declared __weak",
			      obj->path, e->name, bb_btf_vlen(lt),
			      bb_btf_vlen(kt));
	bb_core_type_str(obj->btf, e->type_id, here, sizeof(here));
	bb_core_type_str(vmlinux, ktype, there, sizeof(there));
	return bb_err(EINVAL, "%s: extern %s __ksym: declared as %s, but the kernel's variable is %s",
		      obj->path, e->name, here, there);
}

static int resolve_typed(struct bpfbox_object *obj, struct bb_extern *e)
{
	const struct bb_btf *vmlinux;
	uint32_t ktype;
	int id, err;

	err = bb_object_kernel_btf(obj, &vmlinux);
	if (err)
		return bb_err_wrap(err, "%s: extern %s __ksym needs the kernel's BTF",
				   obj->path, e->name);
	id = kernel_ksym_id(vmlinux, e);
	if (id < 0) {
		if (!e->is_weak)
			return bb_err(ESRCH, "%s: extern %s __ksym: the kernel's BTF has no such %s (declare it __weak to make it optional)",
				      obj->path, e->name,
				      e->is_func ? "function (kfunc)" : "variable");
		return 0;
	}
	err = ksym_compat(obj, e, vmlinux, id, &ktype);
	if (err < 0)
		return bb_err(err, "%s: extern %s __ksym: malformed BTF",
			      obj->path, e->name);
	if (!err) {
		/* a weak kfunc of another signature is simply absent */
		if (e->is_weak && e->is_func)
			return 0;
		return incompatible(obj, e, vmlinux, ktype);
	}
	e->kernel_btf_id = id;
	e->is_set = true;
	return 0;
}

int bb_object_resolve_ksyms(struct bpfbox_object *obj)
{
	size_t i;
	int err = 0;

	for (i = 0; i < obj->nexterns && !err; i++) {
		struct bb_extern *e = &obj->externs[i];

		if (e->kind != BB_EXT_KSYM)
			continue;
		err = e->type_id ? resolve_typed(obj, e) :
				   resolve_untyped(obj, e);
	}
	return err;
}
