/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reverse lookups of the kernel's enum names, spelled as bpftool does. */
#ifndef BB_NAMES_H
#define BB_NAMES_H

/* "hash" -> BPF_MAP_TYPE_HASH; -ENOENT (and a message) if unknown */
int bb_map_type_by_name(const char *name);
/* "kprobe" -> BPF_PROG_TYPE_KPROBE; -ENOENT (and a message) if unknown */
int bb_prog_type_by_name(const char *name);

#endif
