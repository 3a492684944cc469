/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Skeleton generator (pure: opens the object from memory, writes text):
 * the C header `bpfbox gen skeleton` prints, as bpftool's does for libbpf.
 */
#ifndef BB_GEN_SKEL_H
#define BB_GEN_SKEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Write the skeleton of the object obj_bytes[0..size) named name (not
 * C identifier characters become '_') to out. Returns 0 or a negative
 * errno with bpfbox_errmsg() set; on error the output is incomplete.
 */
int bb_gen_skeleton(FILE *out, const char *name, const uint8_t *obj_bytes,
		    size_t size);

#endif
