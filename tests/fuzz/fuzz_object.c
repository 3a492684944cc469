// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Whole-object open (pure: ELF, BTF, BTF.ext, maps, programs, relocation
 * records) and linking with made-up map fds: no kernel involved.
 */
#include <stdint.h>
#include <stddef.h>

#include "bpfbox.h"
#include "object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfbox_object *obj;
	size_t i, n;

	if (bpfbox_object_open_mem(data, size, NULL, &obj))
		return 0;
	for (i = 0; i < bpfbox_object_prog_count(obj); i++) {
		struct bpfbox_prog *p = bpfbox_object_prog(obj, i);

		bpfbox_prog_insns(p, &n);
		(void)bpfbox_prog_attach_target(p);
	}
	for (i = 0; i < obj->nmaps; i++)
		obj->maps[i].fd = 100 + i;
	bb_object_relocate(obj);	/* BTF was completed by open */
	for (i = 0; i < obj->nmaps; i++)
		obj->maps[i].fd = -1;
	bpfbox_object_close(obj);
	return 0;
}
