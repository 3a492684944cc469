/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * .BTF.ext reader (pure): func_info, line_info and CO-RE relocation
 * records, grouped by ELF section name. Offsets in the records are
 * byte offsets into the section, as the compiler wrote them; the loader
 * converts them to instruction indexes per program.
 */
#ifndef BB_BTF_EXT_H
#define BB_BTF_EXT_H

#include <stddef.h>
#include <stdint.h>

struct bb_btf;

/* UAPI struct bpf_core_relo is { insn_off, type_id, access_str_off, kind } */
struct bb_btf_ext_sec {
	const char *sec_name;		/* resolved through the .BTF strings */
	uint32_t nrec;
	uint32_t rec_size;		/* >= the minimal record size */
	const uint8_t *recs;		/* nrec * rec_size bytes (owned copy) */
};

struct bb_btf_ext_info {
	struct bb_btf_ext_sec *secs;
	size_t nsecs;
};

struct bb_btf_ext {
	struct bb_btf_ext_info func_info;	/* struct bpf_func_info */
	struct bb_btf_ext_info line_info;	/* struct bpf_line_info */
	struct bb_btf_ext_info core_relo;	/* struct bpf_core_relo */
};

/*
 * Parse a .BTF.ext blob (copied). Strings (section names, file names,
 * access strings) are checked against btf. Returns 0 or -errno (bb_err).
 */
int bb_btf_ext_parse(const void *data, size_t size, const struct bb_btf *btf,
		     struct bb_btf_ext **out);
void bb_btf_ext_free(struct bb_btf_ext *ext);

/* Records of one kind for a section name, or NULL. */
const struct bb_btf_ext_sec *bb_btf_ext_find(const struct bb_btf_ext_info *info,
					     const char *sec_name);

#endif
