// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the input is a .BTF blob. Every type that parses is
 * asked every question (size, alignment, name, lookup by name), and the
 * invariants that must hold for any input that parses are checked:
 * find returns the lowest id, add_str + raw reparses to the same types,
 * parse_owned gives what parse gives, and the blob also parses as split
 * BTF on top of itself.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *         -fno-sanitize-recover=all -Iinclude -Ilib -D_GNU_SOURCE \
 *         tests/fuzz/fuzz_btf.c lib/btf.c lib/btf_size.c lib/err.c \
 *         -o fuzz_btf
 *   BB_BTF_SEED_DIR=seeds build/unit_tests btf_fuzz_seeds
 *   ./fuzz_btf -max_len=65536 -max_total_time=60 corpus seeds
 */
#include <stdlib.h>
#include <string.h>

#include "btf.h"

static const char *const probes[] = {
	"int", "task_struct", "point", "void", ".data", "color",
};

static void ask_everything(const struct bb_btf *btf)
{
	uint32_t id, cnt = bb_btf_type_cnt(btf);
	const struct btf_type *t;
	const char *name;
	size_t i;
	int found;

	for (id = 0; id < cnt; id++) {
		t = bb_btf_type(btf, id);
		name = bb_btf_type_name(btf, t);
		if (!name)
			__builtin_trap();
		bb_btf_resolve_size(btf, id);
		bb_btf_align(btf, id);
		bb_btf_skip_mods(btf, id);
		bb_btf_kind_name(t ? bb_btf_kind(t) : 0);
		if (!t || !*name)
			continue;
		/* the type itself matches, so the answer is it or lower */
		found = bb_btf_find(btf, name, bb_btf_kind(t));
		if (found <= 0 || (uint32_t)found > id)
			__builtin_trap();
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		bb_btf_find(btf, probes[i], -1);
		bb_btf_find(btf, probes[i], BTF_KIND_STRUCT);
	}
}

/* add_str, then the raw blob must reparse to identical types */
static void check_roundtrip(struct bb_btf *btf)
{
	struct bb_btf *again;
	const void *raw;
	size_t size;
	int off;

	off = bb_btf_add_str(btf, "bpfbox_fuzz_added");
	if (off < 0)
		return;
	raw = bb_btf_raw(btf, &size);
	if (bb_btf_parse(raw, size, bb_btf_base(btf), &again))
		__builtin_trap();
	if (bb_btf_type_cnt(again) != bb_btf_type_cnt(btf) ||
	    strcmp(bb_btf_str(again, off), "bpfbox_fuzz_added") ||
	    memcmp(bb_btf_raw(again, NULL), raw, size))
		__builtin_trap();
	bb_btf_free(again);
}

/* parse_owned agrees with parse, adopting or copying the buffer */
static void check_owned(const uint8_t *data, size_t size,
			const struct bb_btf *btf)
{
	struct bb_btf *owned;
	uint8_t *copy = malloc(size ? size : 1);
	size_t rn;

	if (!copy)
		return;
	memcpy(copy, data, size);
	if (bb_btf_parse_owned(copy, size, NULL, &owned))
		__builtin_trap();
	bb_btf_raw(btf, &rn);
	if (bb_btf_type_cnt(owned) != bb_btf_type_cnt(btf) ||
	    memcmp(bb_btf_raw(owned, NULL), bb_btf_raw(btf, NULL), rn))
		__builtin_trap();
	bb_btf_free(owned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bb_btf *btf, *split;

	if (bb_btf_parse(data, size, NULL, &btf))
		return 0;
	check_owned(data, size, btf);
	ask_everything(btf);
	if (!bb_btf_parse(data, size, btf, &split)) {
		ask_everything(split);
		check_roundtrip(split);
		bb_btf_free(split);
	}
	check_roundtrip(btf);
	bb_btf_free(btf);
	return 0;
}
