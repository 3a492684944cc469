/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Uprobe targets: "PATH:SYMBOL[+OFF]" or "PATH:0xOFFSET" -> the binary's
 * full path and the file offset the kernel wants. The parsing and the
 * symbol -> offset step are pure (unit-tested); finding the binary
 * through $PATH or the library directories and reading it touch the
 * file system and are kept apart at the end of uprobe_resolve.c.
 */
#ifndef BB_UPROBE_RESOLVE_H
#define BB_UPROBE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>

#include "elf.h"

struct bb_uprobe_target {
	char path[PATH_MAX];		/* as written: "/bin/bash", "libc.so.6" */
	char func[256];			/* "" for a raw offset */
	uint64_t off;			/* +OFF after func, or the raw offset */
};

/*
 * Parse ARG ("PATH:SYMBOL", "PATH:SYMBOL+OFF", "PATH:0xOFFSET"); the
 * last ':' separates path and symbol (a path may hold a ':', a symbol
 * name as the ELF spells it, mangled, does not).
 * kind ("uprobe", "uretprobe") is for messages. Pure.
 */
int bb_uprobe_parse(const char *kind, const char *arg,
		    struct bb_uprobe_target *t);

/*
 * File offset of function func (+ add) in the ELF: the symbol from
 * .symtab, then .dynsym (a "name@VERSION" or "name@@VERSION" entry
 * counts as name), mapped through the PT_LOAD segments, which is right
 * for ET_EXEC, PIE and shared libraries alike. path is for messages.
 * Pure.
 */
int bb_uprobe_func_offset(const struct bb_elf *elf, const char *path,
			  const char *func, uint64_t add, uint64_t *off);

/*
 * Candidate full paths for name, in search order, written one after
 * the other as NUL-terminated strings into buf (ending with an empty
 * one). A name with a '/' is itself; a name containing ".so" is looked
 * up in ld_library_path, then the standard library directories; any
 * other name in path_env. Pure (the caller passes the environment).
 */
int bb_uprobe_candidates(const char *name, const char *path_env,
			 const char *ld_library_path, char *buf, size_t len);

/*
 * The full path of name (see bb_uprobe_candidates; executables must be
 * executable), or -ENOENT with the words "KIND ARG: no such file
 * (searched ...)".
 */
int bb_uprobe_find_binary(const char *kind, const char *arg,
			  const char *name, char *out, size_t len);

/*
 * Everything for an attach: the full path of the binary into path and
 * the file offset into *off. kind and arg are for messages.
 */
int bb_uprobe_resolve(const char *kind, const char *arg, char *path,
		      size_t len, uint64_t *off);

#endif
