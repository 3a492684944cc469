/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ELF64 reader (pure: no syscalls). Reads relocatable BPF objects and,
 * for uprobes, executables and shared libraries. Every offset and size
 * taken from the file is checked against the buffer before use; a
 * bb_elf never points outside the buffer it was opened on.
 */
#ifndef BB_ELF_H
#define BB_ELF_H

#include <stddef.h>
#include <stdint.h>

struct bb_elf_sec {
	const char *name;		/* "" when unnamed, never NULL */
	uint32_t type;			/* SHT_* */
	uint64_t flags;			/* SHF_* */
	uint64_t addr;
	uint64_t offset;		/* file offset */
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t align;
	uint64_t entsize;
	/* size bytes inside the buffer; NULL for SHT_NOBITS and empty */
	const uint8_t *data;
};

struct bb_elf_sym {
	const char *name;		/* "" when unnamed, never NULL */
	uint64_t value;
	uint64_t size;
	uint16_t shndx;
	uint8_t bind;			/* STB_* */
	uint8_t type;			/* STT_* */
	uint8_t visibility;		/* STV_* */
};

struct bb_elf_rel {
	uint64_t offset;
	uint32_t sym;			/* index into the linked symbol table */
	uint32_t type;
	int64_t addend;			/* 0 for SHT_REL */
};

struct bb_elf_phdr {
	uint32_t type;			/* PT_* */
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

struct bb_elf {
	const uint8_t *buf;
	size_t size;
	uint16_t type;			/* ET_REL, ET_EXEC, ET_DYN */
	uint16_t machine;		/* EM_BPF, EM_X86_64, ... */
	struct bb_elf_sec *secs;	/* index = section index */
	size_t nsecs;
	struct bb_elf_sym *syms;	/* .symtab, index = symbol index */
	size_t nsyms;
	int symtab_idx;			/* section index of .symtab or -1 */
	struct bb_elf_sym *dynsyms;	/* .dynsym */
	size_t ndynsyms;
	int dynsym_idx;			/* section index of .dynsym or -1 */
	struct bb_elf_phdr *phdrs;
	size_t nphdrs;
};

/*
 * Parse an ELF64 little-endian image in buf (not copied: it must outlive
 * the bb_elf). Returns 0 or a negative errno with a message saying what
 * is wrong and where (bb_err).
 */
int bb_elf_open(const void *buf, size_t size, struct bb_elf **out);
void bb_elf_free(struct bb_elf *elf);

/* Section index by name, or -ENOENT. */
int bb_elf_find_sec(const struct bb_elf *elf, const char *name);

/*
 * Relocation section (SHT_REL or SHT_RELA) entries: count and entry i.
 * The symbol index of each entry is checked against its symbol table.
 */
int bb_elf_rel_count(const struct bb_elf *elf, int relsec_idx, size_t *cnt);
int bb_elf_rel_get(const struct bb_elf *elf, int relsec_idx, size_t i,
		   struct bb_elf_rel *out);

/*
 * For uprobes: file offset of the code at virtual address vaddr, using
 * the PT_LOAD segments (works for ET_EXEC, PIE and shared libraries).
 */
int bb_elf_vaddr_to_offset(const struct bb_elf *elf, uint64_t vaddr,
			   uint64_t *offset);
/* Find a function symbol (.symtab first, then .dynsym); -ENOENT if none. */
int bb_elf_find_func(const struct bb_elf *elf, const char *name,
		     struct bb_elf_sym *out);

#endif
