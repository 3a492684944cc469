// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE relocation of fuzzed objects (pure: no kernel involved). Each
 * program is relocated twice: against the object's own BTF, where every
 * local type finds candidates, so matching, the value computations and
 * instruction patching all run on fuzzed types; and against this
 * machine's /sys/kernel/btf/vmlinux when it is readable (parsed once),
 * the real kernel's shapes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "elf.h"
#include "object.h"

static struct bb_btf *vmlinux;

static void load_vmlinux(void)
{
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "rb");
	size_t cap = 1 << 20, n = 0, r;
	char *buf = malloc(cap);

	if (!f || !buf)
		goto out;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				goto out;
			buf = nb;
			cap *= 2;
		}
	}
	bb_btf_parse_owned(buf, n, NULL, &vmlinux);
	buf = NULL;
out:
	free(buf);
	if (f)
		fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load_vmlinux();
	return 0;
}

static void relocate_all(struct bpfbox_object *obj,
			 const struct bb_core_target *tg)
{
	struct bb_core_ctx ctx;
	size_t i, k;

	if (bb_core_ctx_init(&ctx, obj->btf, tg, 1))
		return;
	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];
		const struct bb_btf_ext_sec *sec;
		struct bb_core_failures f = { 0 };

		sec = bb_btf_ext_find(&obj->btf_ext->core_relo,
				      obj->elf->secs[p->sec_idx].name);
		bb_core_relocate(&ctx, p->name, p->insns, p->insns_cnt,
				 p->sec_insn_off, sec, &f);
		for (k = 0; k < p->insns_cnt + 1; k++)
			(void)bb_core_failure_text(&f, k);
		bb_core_failures_free(&f);
	}
	bb_core_ctx_free(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bb_core_target self = { .name = "self" };
	struct bb_core_target kern = { .name = "vmlinux" };
	struct bpfbox_object *obj;

	if (bpfbox_object_open_mem(data, size, NULL, &obj))
		return 0;
	if (obj->btf && obj->btf_ext) {
		self.btf = obj->btf;
		relocate_all(obj, &self);
		if (vmlinux) {
			kern.btf = vmlinux;
			relocate_all(obj, &kern);
		}
	}
	bpfbox_object_close(obj);
	return 0;
}
