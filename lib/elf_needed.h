/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared-library dependencies of an ELF, found the way ld.so finds them,
 * without running ld.so (or ldd, which runs the binary's interpreter):
 * the DT_NEEDED, DT_RPATH and DT_RUNPATH entries of the dynamic segment,
 * the entries of /etc/ld.so.cache, and the list of places to look for a
 * library in ld.so's order. Pure: the caller reads the files.
 */
#ifndef BB_ELF_NEEDED_H
#define BB_ELF_NEEDED_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"

/* more DT_NEEDED entries than this is not a real program */
#define BB_ELF_MAX_NEEDED	256

struct bb_elf_dyn {
	/* names point into the ELF's buffer, NUL-terminated inside it */
	const char *needed[BB_ELF_MAX_NEEDED];	/* DT_NEEDED, in order */
	size_t nneeded;
	const char *rpath;	/* DT_RPATH or NULL */
	const char *runpath;	/* DT_RUNPATH or NULL */
	const char *soname;	/* DT_SONAME or NULL */
};

/*
 * The dynamic entries of elf, from its PT_DYNAMIC segment (present also
 * when the section headers are gone) and the string table DT_STRTAB
 * points to. A file without PT_DYNAMIC (linked statically) gives an
 * empty result. -ENOEXEC with words for a malformed dynamic segment.
 */
int bb_elf_dyn_read(const struct bb_elf *elf, struct bb_elf_dyn *out);

/*
 * Full paths that /etc/ld.so.cache (its bytes in buf) gives for the
 * library name (a DT_NEEDED name, "libreadline.so.8"), in the cache's
 * order, appended to out as NUL-terminated strings. Both formats: the
 * "glibc-ld.so.cache1.1" one, alone or after an old "ld.so-1.7.0"
 * table (which is skipped). Returns how many were added, -ENOEXEC for
 * a file that is not a cache or is cut short, -ENAMETOOLONG when out is
 * full.
 */
int bb_ld_cache_find(const void *buf, size_t size, const char *name,
		     char **out, size_t *left);

struct bb_lib_search {
	const char *origin;	/* directory of the object that needs it */
	const char *rpath;	/* its DT_RPATH, DT_RUNPATH, or NULL */
	const char *runpath;
	const char *ld_library_path;	/* the environment's, or NULL */
	const void *cache;	/* /etc/ld.so.cache contents, or NULL */
	size_t cache_size;
};

/*
 * Places to look for library name, in ld.so's order, written one after
 * the other as NUL-terminated strings into buf, ending with an empty
 * one: a name with a '/' is itself; else DT_RPATH (only when there is no
 * DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, ld.so.cache, then the
 * standard library directories. "$ORIGIN" and "${ORIGIN}" in RPATH and
 * RUNPATH are the directory of the needing object; an entry holding
 * another $TOKEN ($LIB, $PLATFORM) is skipped. A cache that does not
 * parse is skipped too (ld.so then falls back the same way).
 * Returns 0 or -ENAMETOOLONG when buf is too small.
 */
int bb_lib_candidates(const struct bb_lib_search *s, const char *name,
		      char *buf, size_t len);

#endif
