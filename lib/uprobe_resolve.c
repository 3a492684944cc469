// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Uprobe targets -> (full path of the binary, file offset). The kernel
 * places a uprobe at an offset in a file, not at an address, so a symbol
 * is turned into its file offset through the program headers: the
 * st_value of a symbol is a virtual address, and vaddr - p_vaddr +
 * p_offset of its PT_LOAD segment is right for ET_EXEC (p_vaddr
 * 0x400000 and up), PIE and shared libraries (p_vaddr near 0) alike.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "uprobe_resolve.h"

typedef unsigned long long ull;

/* ------------------------------------------------------------------ */
/* Pure: parsing and symbols                                           */

/* a whole unsigned number: 0x1130, 4400, 0777 */
static int parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int parse_func(const char *kind, const char *arg, const char *sym,
		      struct bb_uprobe_target *t)
{
	const char *plus = strchr(sym, '+');
	size_t flen = plus ? (size_t)(plus - sym) : strlen(sym);

	if (!flen)
		return bb_err(EINVAL, "%s %s: no function name before '+' (want PATH:FUNCTION+OFFSET)",
			      kind, arg);
	if (flen >= sizeof(t->func))
		return bb_err(ENAMETOOLONG, "%s %s: function name longer than %zu bytes",
			      kind, arg, sizeof(t->func) - 1);
	memcpy(t->func, sym, flen);
	t->func[flen] = '\0';
	if (plus && parse_num(plus + 1, &t->off))
		return bb_err(EINVAL, "%s %s: bad offset '%s' after the function (want a number like +0x10)",
			      kind, arg, plus + 1);
	return 0;
}

int bb_uprobe_parse(const char *kind, const char *arg,
		    struct bb_uprobe_target *t)
{
	const char *colon, *sym;
	size_t plen;

	memset(t, 0, sizeof(*t));
	if (!arg || !*arg)
		return bb_err(EINVAL, "%s: no target: want %s/PATH:FUNCTION[+OFFSET] or %s/PATH:0xOFFSET",
			      kind, kind, kind);
	colon = strrchr(arg, ':');
	if (!colon || colon == arg)
		return bb_err(EINVAL, "%s %s: want PATH:FUNCTION[+OFFSET] or PATH:0xOFFSET",
			      kind, arg);
	plen = colon - arg;
	if (plen >= sizeof(t->path))
		return bb_err(ENAMETOOLONG, "%s %s: path longer than %zu bytes",
			      kind, arg, sizeof(t->path) - 1);
	memcpy(t->path, arg, plen);
	t->path[plen] = '\0';
	sym = colon + 1;
	if (!*sym)
		return bb_err(EINVAL, "%s %s: no function or offset after ':' (want PATH:FUNCTION[+OFFSET] or PATH:0xOFFSET)",
			      kind, arg);
	/* no symbol starts with a digit: this is a raw file offset */
	if (isdigit((unsigned char)*sym)) {
		if (parse_num(sym, &t->off))
			return bb_err(EINVAL, "%s %s: bad offset '%s' (want a number like 0x1130)",
				      kind, arg, sym);
		return 0;
	}
	return parse_func(kind, arg, sym, t);
}

/* "malloc@@GLIBC_2.2.5" or "malloc@GLIBC_2.2.5" is malloc */
static bool is_versioned_func(const struct bb_elf_sym *s, const char *func)
{
	size_t n = strlen(func);

	return (s->type == STT_FUNC || s->type == STT_GNU_IFUNC) &&
	       s->shndx != SHN_UNDEF && !strncmp(s->name, func, n) &&
	       s->name[n] == '@';
}

static const struct bb_elf_sym *find_versioned(const struct bb_elf_sym *syms,
					       size_t n, const char *func)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_versioned_func(&syms[i], func))
			return &syms[i];
	return NULL;
}

static int find_sym(const struct bb_elf *elf, const char *path,
		    const char *func, struct bb_elf_sym *sym)
{
	const struct bb_elf_sym *v;
	int err;

	err = bb_elf_find_func(elf, func, sym);
	if (err != -ENOENT)
		return err;
	v = find_versioned(elf->syms, elf->nsyms, func);
	if (!v)
		v = find_versioned(elf->dynsyms, elf->ndynsyms, func);
	if (v) {
		*sym = *v;
		return 0;
	}
	if (elf->symtab_idx < 0)
		return bb_err(ENOENT, "no function %s in %s (.dynsym; it has no .symtab: stripped)",
			      func, path);
	return bb_err(ENOENT, "no function %s in %s (.symtab, .dynsym)", func,
		      path);
}

int bb_uprobe_func_offset(const struct bb_elf *elf, const char *path,
			  const char *func, uint64_t add, uint64_t *off)
{
	struct bb_elf_sym sym;
	int err;

	err = find_sym(elf, path, func, &sym);
	if (err)
		return err;
	/* a function's size is known: an offset past it is a typo */
	if (add && sym.size && add >= sym.size)
		return bb_err(EINVAL, "offset +%llu is past the end of %s in %s (%llu bytes long)",
			      (ull)add, func, path, (ull)sym.size);
	if (sym.value + add < sym.value)
		return bb_err(EINVAL, "offset +%llu overflows the address of %s in %s",
			      (ull)add, func, path);
	err = bb_elf_vaddr_to_offset(elf, sym.value + add, off);
	if (err)
		return bb_err_wrap(err, "%s in %s", func, path);
	return 0;
}

#if defined(__x86_64__)
#define MULTIARCH	"x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH	"aarch64-linux-gnu"
#elif defined(__s390x__)
#define MULTIARCH	"s390x-linux-gnu"
#elif defined(__powerpc64__)
#define MULTIARCH	"powerpc64le-linux-gnu"
#elif defined(__riscv)
#define MULTIARCH	"riscv64-linux-gnu"
#endif

/*
 * Where ld.so looks when ld.so.cache does not say (parsing the cache is
 * not worth it: distributions keep their libraries in these).
 */
static const char *const lib_dirs[] = {
#ifdef MULTIARCH
	"/lib/" MULTIARCH, "/usr/lib/" MULTIARCH,
#endif
	"/lib64", "/usr/lib64", "/lib", "/usr/lib",
	"/usr/local/lib",
};

/*
 * append "dir/name\0": dir NULL means name alone, an empty dir (from
 * "::" in PATH) the current directory
 */
static int add_cand(char **p, size_t *left, const char *dir, size_t dlen,
		    const char *name)
{
	int n;

	if (!dir)
		n = snprintf(*p, *left, "%s", name);
	else if (!dlen)
		n = snprintf(*p, *left, "./%s", name);
	else
		n = snprintf(*p, *left, "%.*s/%s", (int)dlen, dir, name);
	if (n < 0 || (size_t)n + 1 >= *left)
		return -ENAMETOOLONG;
	*p += n + 1;
	*left -= n + 1;
	return 0;
}

/* every entry of a ':'-separated list */
static int add_list(char **p, size_t *left, const char *list,
		    const char *name)
{
	const char *s = list, *e;
	int err;

	if (!list || !*list)
		return 0;
	for (;;) {
		e = strchrnul(s, ':');
		err = add_cand(p, left, s, e - s, name);
		if (err || !*e)
			return err;
		s = e + 1;
	}
}

int bb_uprobe_candidates(const char *name, const char *path_env,
			 const char *ld_library_path, char *buf, size_t len)
{
	size_t left = len, i;
	char *p = buf;
	int err = 0;

	if (!len)
		return -ENAMETOOLONG;
	if (strchr(name, '/')) {
		err = add_cand(&p, &left, NULL, 0, name);
	} else if (strstr(name, ".so")) {
		err = add_list(&p, &left, ld_library_path, name);
		for (i = 0; !err && i < sizeof(lib_dirs) / sizeof(*lib_dirs);
		     i++)
			err = add_cand(&p, &left, lib_dirs[i],
				       strlen(lib_dirs[i]), name);
	} else {
		err = add_list(&p, &left, path_env, name);
	}
	if (err)
		return err;
	*p = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* The file system: finding and reading the binary                     */

#define DEFAULT_PATH	"/usr/local/bin:/usr/bin:/bin"

static bool usable(const char *path, bool exe)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) &&
	       !access(path, exe ? X_OK : R_OK);
}

/* the directories searched, for the message */
static void searched(const char *name, char *out, size_t len)
{
	size_t i, n;

	if (!strstr(name, ".so")) {
		snprintf(out, len, "PATH %s",
			 getenv("PATH") ? getenv("PATH") : DEFAULT_PATH);
		return;
	}
	n = snprintf(out, len, "LD_LIBRARY_PATH %s",
		     getenv("LD_LIBRARY_PATH") ? getenv("LD_LIBRARY_PATH") :
		     "(unset)");
	for (i = 0; i < sizeof(lib_dirs) / sizeof(*lib_dirs) && n < len; i++)
		n += snprintf(out + n, len - n, ", %s", lib_dirs[i]);
}

static int not_found(const char *kind, const char *arg, const char *name)
{
	char where[1024];
	int err = errno;

	if (strchr(name, '/')) {
		if (err != EACCES && err != EISDIR)
			err = ENOENT;
		return bb_err(err, "%s %s: %s (%s)", kind, arg,
			      err == ENOENT ? "no such file" :
			      err == EACCES ? "permission denied" :
			      "not a regular file", name);
	}
	searched(name, where, sizeof(where));
	return bb_err(ENOENT, "%s %s: no such file (searched %s)", kind, arg,
		      where);
}

int bb_uprobe_find_binary(const char *kind, const char *arg,
			  const char *name, char *out, size_t len)
{
	bool exe = !strchr(name, '/') && !strstr(name, ".so");
	const char *path = getenv("PATH");
	char cands[16384], real[PATH_MAX];
	const char *c;
	struct stat st;
	int err;

	err = bb_uprobe_candidates(name, path ? path : DEFAULT_PATH,
				   getenv("LD_LIBRARY_PATH"), cands,
				   sizeof(cands));
	if (err)
		return bb_err(err, "%s %s: too many places to look for %s (PATH or LD_LIBRARY_PATH too long)",
			      kind, arg, name);
	for (c = cands; *c; c += strlen(c) + 1) {
		if (!usable(c, exe) || !realpath(c, real))
			continue;
		if (strlen(real) >= len)
			return bb_err(ENAMETOOLONG, "%s %s: path %s too long",
				      kind, arg, real);
		strcpy(out, real);
		return 0;
	}
	/* for the words of the error: why the one given path failed */
	errno = ENOENT;
	if (strchr(name, '/') && !stat(name, &st))
		errno = S_ISREG(st.st_mode) ? EACCES : EISDIR;
	return not_found(kind, arg, name);
}

static int func_offset_in_file(const char *path, const char *func,
			       uint64_t add, uint64_t *off)
{
	struct bb_elf *elf = NULL;
	struct stat st;
	void *map;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno, "cannot open %s: %s", path,
			      strerror(errno));
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return bb_err(ENOEXEC, "%s is empty or unreadable", path);
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = errno;
	close(fd);
	if (map == MAP_FAILED)
		return bb_err(err, "cannot map %s: %s", path, strerror(err));
	err = bb_elf_open(map, st.st_size, &elf);
	if (err)
		err = bb_err_wrap(err, "%s", path);
	else
		err = bb_uprobe_func_offset(elf, path, func, add, off);
	bb_elf_free(elf);
	munmap(map, st.st_size);
	return err;
}

int bb_uprobe_resolve(const char *kind, const char *arg, char *path,
		      size_t len, uint64_t *off)
{
	struct bb_uprobe_target *t;
	int err;

	t = malloc(sizeof(*t));
	if (!t)
		return bb_err(ENOMEM, "%s %s: out of memory", kind, arg);
	err = bb_uprobe_parse(kind, arg, t);
	if (!err)
		err = bb_uprobe_find_binary(kind, arg, t->path, path, len);
	if (err)
		goto out;
	if (!t->func[0]) {
		*off = t->off;
		goto out;
	}
	err = func_offset_in_file(path, t->func, t->off, off);
	if (err)
		err = bb_err_wrap(err, "%s %s", kind, arg);
out:
	free(t);
	return err;
}
