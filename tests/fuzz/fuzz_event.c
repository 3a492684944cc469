// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the BTF-driven event decoder (lib/event_*.c), as
 * `bpfbox run` feeds it ring buffer records. The input is
 *
 *   u8 flags | u32 type selector | u32 BTF length | BTF blob | record
 *
 * flags bit 0: JSON, bit 1: ktimes as wall-clock time. The type is the
 * selector modulo the BTF's type count (0: hex dump). Every type that
 * makes a formatter decodes the record whole and cut short, and each
 * output must be exactly one line per call holding no control byte
 * (no terminal escape, no line break inside a row).
 *
 *   make B=build build/fuzz/fuzz_event
 *   build/fuzz/fuzz_event -max_len=65536 -max_total_time=60 \
 *         corpus tests/fuzz/corpus/fuzz_event
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "event_fmt.h"

#define HDR 9

/*
 * n lines, each ending in '\n', and no other byte below 0x20 or DEL;
 * text rows not even a C1 control (U+0080-U+009F, 8-bit CSI among them)
 */
static void check_lines(const char *text, size_t len, size_t lines,
			bool json)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			n++;
		else if (s[i] < 0x20 || s[i] == 0x7f)
			__builtin_trap();
		else if (!json && s[i] == 0xc2 && i + 1 < len &&
			 s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			__builtin_trap();
	}
	if (n != lines || (len && text[len - 1] != '\n'))
		__builtin_trap();
}

static void run(const struct bb_btf *btf, uint32_t id, bool json,
		int64_t m2w, const uint8_t *rec, size_t size)
{
	struct bb_evfmt_opts o = { .json = json, .mono_to_wall_ns = m2w };
	struct bb_evfmt *f;
	char *text = NULL;
	size_t len = 0, lines = 0;
	uint8_t *copy;
	FILE *mem;

	if (bb_evfmt_new(btf, id, &o, &f))
		return;
	/* exactly size bytes on the heap: ASan sees any over-read */
	copy = malloc(size ? size : 1);
	mem = open_memstream(&text, &len);
	if (!copy || !mem)
		goto out;
	memcpy(copy, rec, size);
	if (!bb_evfmt_header(f, mem))
		lines += !json;
	if (!bb_evfmt_record(f, copy, size, mem))
		lines++;
	if (!bb_evfmt_record(f, copy, size / 2, mem))
		lines++;
	fclose(mem);
	mem = NULL;
	check_lines(text, len, lines, json);
out:
	if (mem)
		fclose(mem);
	free(text);
	free(copy);
	bb_evfmt_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bb_btf *btf;
	uint32_t sel, blen, id;
	uint8_t flags;

	if (size < HDR)
		return 0;
	flags = data[0];
	memcpy(&sel, data + 1, 4);
	memcpy(&blen, data + 5, 4);
	data += HDR;
	size -= HDR;
	if (blen > size)
		blen = size;
	if (bb_btf_parse(data, blen, NULL, &btf))
		return 0;
	id = sel % bb_btf_type_cnt(btf);
	run(btf, id, flags & 1, flags & 2 ? 1700000000000000000LL : 0,
	    data + blen, size - blen);
	bb_btf_free(btf);
	return 0;
}
