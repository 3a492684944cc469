// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Applying CO-RE relocations to an object's programs at load time: the
 * kernel's BTF is read only when the object carries CO-RE records, each
 * program that will be loaded (and every subprogram) is relocated in its
 * own copy of the instructions, and relocations that cannot be satisfied
 * are remembered, so that if the verifier reaches a poisoned instruction
 * the error says which access failed instead of "unknown#195896080".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "elf.h"
#include "err.h"
#include "kbtf.h"
#include "object.h"

static bool has_core_relos(const struct bpfbox_object *obj)
{
	size_t i;

	if (!obj->btf_ext)
		return false;
	for (i = 0; i < obj->btf_ext->core_relo.nsecs; i++)
		if (obj->btf_ext->core_relo.secs[i].nrec)
			return true;
	return false;
}

static int relocate_prog(struct bb_core_ctx *ctx, struct bpfbox_prog *prog)
{
	const char *sec = prog->obj->elf->secs[prog->sec_idx].name;
	const struct bb_btf_ext_sec *recs;

	recs = bb_btf_ext_find(&prog->obj->btf_ext->core_relo, sec);
	if (!recs || !recs->nrec)
		return 0;
	if (!prog->core_fails) {
		prog->core_fails = calloc(1, sizeof(*prog->core_fails));
		if (!prog->core_fails)
			return bb_err(ENOMEM, "out of memory");
	}
	return bb_core_relocate(ctx, prog->name, prog->insns,
				prog->sec_insn_cnt, prog->sec_insn_off, recs,
				prog->core_fails);
}

int bb_object_relocate_core(struct bpfbox_object *obj)
{
	struct bb_core_target target = { .name = "vmlinux" };
	const struct bb_btf *vmlinux = NULL;
	struct bb_btf *custom = NULL;
	struct bb_kmods kmods = { 0 };
	struct bb_core_ctx ctx;
	size_t i, s;
	int err;

	if (!has_core_relos(obj))
		return 0;
	/* --btf FILE stands in for the running kernel's BTF, for CO-RE */
	if (obj->core_btf_path)
		err = bb_load_kernel_btf(obj->core_btf_path, &custom);
	else
		err = bb_object_kernel_btf(obj, &vmlinux);
	if (err)
		return bb_err_wrap(err, "%s: CO-RE relocations need the kernel's BTF",
				   obj->path);
	target.btf = custom ? custom : vmlinux;
	if (custom)
		target.name = obj->core_btf_path;
	err = bb_core_ctx_init(&ctx, obj->btf, &target, 1);
	if (err) {
		bb_btf_free(custom);
		return err;
	}
	/* module BTF is split on the running kernel's vmlinux: as libbpf,
	 * none when --btf FILE replaces the kernel's BTF */
	if (!custom) {
		kmods.vmlinux = vmlinux;
		ctx.load_modules = bb_kmods_load;
		ctx.load_modules_arg = &kmods;
	}
	/* libbpf's order (sections as .BTF.ext lists them, programs by
	 * offset): the candidate cache is pruned as relocations go, so the
	 * order can decide whether a multi-flavour type is ambiguous */
	for (s = 0; s < obj->btf_ext->core_relo.nsecs && !err; s++) {
		const char *name = obj->btf_ext->core_relo.secs[s].sec_name;

		for (i = 0; i < obj->nprogs && !err; i++) {
			struct bpfbox_prog *p = &obj->progs[i];

			if (strcmp(obj->elf->secs[p->sec_idx].name, name))
				continue;
			/* as libbpf: programs not to be loaded are left alone */
			if (p->autoload || p->is_subprog)
				err = relocate_prog(&ctx, p);
		}
	}
	bb_core_ctx_free(&ctx);
	/* the failures keep copies of the target names */
	bb_kmods_free(&kmods);
	bb_btf_free(custom);
	return err ? bb_err_wrap(err, "%s", obj->path) : 0;
}

/*
 * When the verifier rejected a poisoned instruction, say which CO-RE
 * relocations of this program (and of the subprograms it reached) could
 * not be satisfied, and against which kernel.
 */
void bb_core_explain(const struct bpfbox_prog *prog, char *buf, size_t len)
{
	const struct bpfbox_object *obj = prog->obj;
	struct utsname u;
	size_t i, j, off = 0;

	buf[0] = '\0';
	uname(&u);
	for (i = 0; i < obj->nprogs; i++) {
		const struct bpfbox_prog *p = &obj->progs[i];

		if (!p->core_fails || (p != prog && !p->is_subprog))
			continue;
		for (j = 0; j < p->core_fails->n && off < len; j++)
			off += snprintf(buf + off, len - off, "\n%s (%s %s)",
					p->core_fails->v[j].text,
					obj->core_btf_path ? "BTF of" : "kernel",
					obj->core_btf_path ? obj->core_btf_path :
					u.release);
	}
}
