// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for the ELF reader: open, then use everything the
 * reader hands out the way the object loader and uprobe attach do.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilib \
 *	-D_GNU_SOURCE tests/fuzz/fuzz_elf.c lib/elf.c lib/err.c -o fuzz_elf
 *   ./fuzz_elf -max_total_time=60 SEED_DIR   (seeds: any ELF files)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "elf.h"

/* Keep the reads from being optimized away. */
static volatile size_t sink;

static void walk_rels(const struct bb_elf *e, size_t i)
{
	struct bb_elf_rel r;
	size_t j, cnt;

	if (bb_elf_rel_count(e, (int)i, &cnt))
		return;
	for (j = 0; j < cnt; j++)
		if (!bb_elf_rel_get(e, (int)i, j, &r))
			sink += r.sym + r.type + r.offset;
}

static void walk_syms(const struct bb_elf *e, const struct bb_elf_sym *syms,
		      size_t n)
{
	struct bb_elf_sym s;
	uint64_t off;
	size_t i;

	for (i = 0; i < n; i++) {
		sink += strlen(syms[i].name);
		if (syms[i].shndx && syms[i].shndx < e->nsecs)
			sink += e->secs[syms[i].shndx].size;
	}
	/* look a few names up, and map what is found as uprobes would */
	for (i = 0; i < n && i < 8; i++) {
		if (bb_elf_find_func(e, syms[i].name, &s))
			continue;
		if (!bb_elf_vaddr_to_offset(e, s.value, &off))
			sink += off;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct bb_elf *e;
	struct bb_elf_sym s;
	uint64_t off;
	size_t i;

	if (bb_elf_open(d, n, &e))
		return 0;
	for (i = 0; i < e->nsecs; i++) {
		const struct bb_elf_sec *sec = &e->secs[i];

		sink += strlen(sec->name);
		if (sec->data && sec->size)
			sink += sec->data[0] + sec->data[sec->size - 1];
		if (bb_elf_find_sec(e, sec->name) < 0)
			abort();	/* every name must be found again */
		walk_rels(e, i);
	}
	walk_syms(e, e->syms, e->nsyms);
	walk_syms(e, e->dynsyms, e->ndynsyms);
	for (i = 0; i < e->nphdrs; i++)
		if (!bb_elf_vaddr_to_offset(e, e->phdrs[i].vaddr, &off))
			sink += off;
	bb_elf_find_func(e, "main", &s);
	bb_elf_free(e);
	return 0;
}
