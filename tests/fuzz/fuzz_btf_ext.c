// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the input is a .BTF and a .BTF.ext. The first two
 * bytes (little endian) give the length of the .BTF part, which follows;
 * the rest is the .BTF.ext. Every record that parses is read back.
 * When the .BTF part does not parse (most mutations of it), a small
 * fixed .BTF stands in, so that the .BTF.ext parser still gets the input.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *         -fno-sanitize-recover=all -Iinclude -Ilib -D_GNU_SOURCE \
 *         tests/fuzz/fuzz_btf_ext.c lib/btf.c lib/btf_size.c \
 *         lib/btf_ext.c lib/err.c -o fuzz_btf_ext
 *   BB_BTF_SEED_DIR=seeds build/unit_tests btf_fuzz_seeds  (ext_* files)
 */
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_ext.h"

/* [1] INT int, [2] FUNC_PROTO int(void), [3] FUNC main */
static const struct {
	uint32_t w[16];
	char strs[22];
} fallback = {
	{ BTF_MAGIC | 1 << 16, 24, 0, 40, 40, 22,
	  1, BTF_KIND_INT << 24, 4, BTF_INT_SIGNED << 24 | 32,
	  0, BTF_KIND_FUNC_PROTO << 24, 1,
	  17, BTF_KIND_FUNC << 24, 2 },
	"\0int\0.text\0f.c\0l\0main",
};

static uint32_t sum_info(const struct bb_btf_ext_info *info)
{
	const struct bb_btf_ext_sec *s;
	uint32_t sum = 0, i;
	size_t j;

	for (j = 0; j < info->nsecs; j++) {
		s = &info->secs[j];
		if (!s->sec_name || !*s->sec_name || !s->nrec ||
		    bb_btf_ext_find(info, s->sec_name) > s)
			__builtin_trap();
		/* touch every byte of every record */
		for (i = 0; i < s->nrec * s->rec_size; i++)
			sum += s->recs[i];
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ext_data = data;
	size_t blen, ext_size = size;
	struct bb_btf_ext *ext;
	struct bb_btf *btf = NULL;
	volatile uint32_t sink;

	if (size >= 2) {
		blen = data[0] | (size_t)data[1] << 8;
		if (blen <= size - 2) {
			if (bb_btf_parse(data + 2, blen, NULL, &btf))
				btf = NULL;
			ext_data = data + 2 + blen;
			ext_size = size - 2 - blen;
		}
	}
	if (!btf && bb_btf_parse(&fallback, sizeof(fallback.w) + 22, NULL,
				 &btf))
		__builtin_trap();
	if (!bb_btf_ext_parse(ext_data, ext_size, btf, &ext)) {
		sink = sum_info(&ext->func_info) + sum_info(&ext->line_info) +
		       sum_info(&ext->core_relo);
		(void)sink;
		bb_btf_ext_free(ext);
	}
	bb_btf_free(btf);
	return 0;
}
