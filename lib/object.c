// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Opening an object: ELF sections -> programs, license, kernel version,
 * BTF. Pure: no syscalls besides reading the file in
 * bpfbox_object_open_file().
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "elf.h"
#include "err.h"
#include "object.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* Object name as libbpf derives it: file name up to its first '.' */
static char *object_name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	return strndup(base, len ? len : strlen(base));
}

static int read_license(struct bpfbox_object *obj, const struct bb_elf_sec *s)
{
	size_t n = s->size < sizeof(obj->license) - 1 ?
		   s->size : sizeof(obj->license) - 1;

	if (!s->data)
		return bb_err(EINVAL, "%s: section license is empty", obj->path);
	memcpy(obj->license, s->data, n);
	obj->license[n] = '\0';
	obj->has_license = true;
	return 0;
}

static int read_version(struct bpfbox_object *obj, const struct bb_elf_sec *s)
{
	if (s->size != sizeof(uint32_t) || !s->data)
		return bb_err(EINVAL,
			      "%s: section version has size %llu, expected 4",
			      obj->path, (unsigned long long)s->size);
	memcpy(&obj->kversion, s->data, sizeof(uint32_t));
	return 0;
}

static int read_btf(struct bpfbox_object *obj)
{
	int idx = bb_elf_find_sec(obj->elf, ".BTF");
	const struct bb_elf_sec *s;
	int err;

	if (idx < 0)
		return 0;	/* objects without BTF still load */
	s = &obj->elf->secs[idx];
	if (!s->data)
		return bb_err(EINVAL, "%s: section .BTF is empty", obj->path);
	err = bb_btf_parse(s->data, s->size, NULL, &obj->btf);
	if (err)
		return bb_err_wrap(err, "%s: section .BTF", obj->path);

	idx = bb_elf_find_sec(obj->elf, ".BTF.ext");
	if (idx < 0)
		return 0;
	s = &obj->elf->secs[idx];
	if (!s->data)
		return 0;
	err = bb_btf_ext_parse(s->data, s->size, obj->btf, &obj->btf_ext);
	if (err)
		return bb_err_wrap(err, "%s: section .BTF.ext", obj->path);
	return 0;
}

/* Look at the sections that are not programs or data. */
static int scan_special_sections(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	obj->text_shndx = -1;
	obj->maps_shndx = -1;
	for (i = 1; i < obj->elf->nsecs; i++) {
		const struct bb_elf_sec *s = &obj->elf->secs[i];

		if (!strcmp(s->name, "license"))
			err = read_license(obj, s);
		else if (!strcmp(s->name, "version"))
			err = read_version(obj, s);
		else if (!strcmp(s->name, ".text"))
			obj->text_shndx = i, err = 0;
		else if (!strcmp(s->name, ".maps"))
			obj->maps_shndx = i, err = 0;
		else if (!strcmp(s->name, "maps"))
			err = bb_err(ENOTSUP,
				     "%s: legacy section \"maps\" (struct bpf_map_def) is not supported; declare maps in SEC(\".maps\") with __uint()/__type()",
				     obj->path);
		else
			err = 0;
		if (err)
			return err;
	}
	return 0;
}

static bool is_prog_section(const struct bb_elf_sec *s)
{
	return s->type == SHT_PROGBITS && (s->flags & SHF_EXECINSTR) &&
	       s->size > 0;
}

static int cmp_progs(const void *a, const void *b)
{
	const struct bpfbox_prog *pa = a, *pb = b;

	if (pa->sec_idx != pb->sec_idx)
		return pa->sec_idx < pb->sec_idx ? -1 : 1;
	return pa->sec_insn_off < pb->sec_insn_off ? -1 :
	       pa->sec_insn_off > pb->sec_insn_off;
}

/* SEC() name -> type, attach type, flags, target */
static void prog_apply_secdef(struct bpfbox_prog *prog)
{
	const struct bb_secdef *def = bb_secdef_find(prog->sec_name);

	prog->def = def;
	if (!def) {
		prog->type = BPF_PROG_TYPE_UNSPEC;
		return;
	}
	prog->type = def->prog_type;
	prog->expected_attach_type = def->expected_attach_type;
	if (def->flags & BB_SEC_SLEEPABLE)
		prog->prog_flags |= BPF_F_SLEEPABLE;
	if (def->flags & BB_SEC_XDP_FRAGS)
		prog->prog_flags |= BPF_F_XDP_HAS_FRAGS;
	prog->attach_target = bb_secdef_target(def, prog->sec_name);
}

static int add_prog(struct bpfbox_object *obj, int sec_idx,
		    const struct bb_elf_sym *sym, size_t *cap)
{
	const struct bb_elf_sec *s = &obj->elf->secs[sec_idx];
	const char *sec_name = s->name;
	struct bpfbox_prog *prog;
	bool hidden_prefix = sec_name[0] == '?';

	if (sym->value % BB_INSN_SZ || sym->size % BB_INSN_SZ ||
	    sym->value > s->size || sym->size > s->size - sym->value || !sym->size)
		return bb_err(EINVAL,
			      "%s: section %s: function %s at offset %llu size %llu is not whole instructions inside the section (size %llu)",
			      obj->path, sec_name, sym->name,
			      (unsigned long long)sym->value,
			      (unsigned long long)sym->size,
			      (unsigned long long)s->size);
	if (sec_idx != obj->text_shndx && sym->bind == STB_LOCAL)
		return bb_err(ENOTSUP,
			      "%s: section %s: program %s is static; BPF programs must be global functions (drop 'static')",
			      obj->path, sec_name, sym->name);
	if (obj->nprogs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *p = realloc(obj->progs, ncap * sizeof(*obj->progs));

		if (!p)
			return bb_err(ENOMEM, "out of memory");
		obj->progs = p;
		*cap = ncap;
	}
	prog = &obj->progs[obj->nprogs];
	memset(prog, 0, sizeof(*prog));
	prog->fd = -1;
	prog->obj = obj;
	prog->sec_idx = sec_idx;
	prog->sec_insn_off = sym->value / BB_INSN_SZ;
	prog->sec_insn_cnt = sym->size / BB_INSN_SZ;
	prog->name = strdup(sym->name);
	prog->sec_name = strdup(sec_name + hidden_prefix);
	if (!prog->name || !prog->sec_name) {
		free(prog->name);
		free(prog->sec_name);
		return bb_err(ENOMEM, "out of memory");
	}
	obj->nprogs++;
	prog->is_subprog = sec_idx == obj->text_shndx;
	prog->autoload = !hidden_prefix && !prog->is_subprog;
	if (prog->is_subprog && sym->bind != STB_LOCAL &&
	    (sym->visibility == STV_HIDDEN || sym->visibility == STV_INTERNAL))
		prog->mark_btf_static = true;
	prog_apply_secdef(prog);
	prog->insns_cnt = prog->sec_insn_cnt;
	prog->insns = malloc(sym->size);
	if (!prog->insns)
		return bb_err(ENOMEM, "out of memory");
	memcpy(prog->insns, s->data + sym->value, sym->size);
	return 0;
}

static int collect_progs(struct bpfbox_object *obj)
{
	const struct bb_elf *elf = obj->elf;
	size_t i, cap = 0;
	int err;

	for (i = 1; i < elf->nsyms; i++) {
		const struct bb_elf_sym *sym = &elf->syms[i];

		if (sym->type != STT_FUNC || sym->shndx == SHN_UNDEF ||
		    sym->shndx >= elf->nsecs ||
		    !is_prog_section(&elf->secs[sym->shndx]))
			continue;
		err = add_prog(obj, sym->shndx, sym, &cap);
		if (err)
			return err;
	}
	if (obj->nprogs)
		qsort(obj->progs, obj->nprogs, sizeof(*obj->progs), cmp_progs);
	for (i = 0; i < obj->nprogs; i++)
		obj->progs[i].obj = obj;
	return 0;
}

static int check_elf(struct bpfbox_object *obj)
{
	if (obj->elf->machine != EM_BPF)
		return bb_err(ENOEXEC,
			      "%s: not a BPF object (ELF machine %u, expected %u: compile with clang -target bpf)",
			      obj->path, obj->elf->machine, EM_BPF);
	if (obj->elf->type != ET_REL)
		return bb_err(ENOEXEC,
			      "%s: not a relocatable object (ELF type %u): pass the .o that clang -c produced",
			      obj->path, obj->elf->type);
	if (obj->elf->symtab_idx < 0)
		return bb_err(ENOEXEC, "%s: object has no symbol table (was it stripped?)",
			      obj->path);
	return 0;
}

static int object_parse(struct bpfbox_object *obj)
{
	int err;

	err = bb_elf_open(obj->buf, obj->size, &obj->elf);
	if (err)
		return bb_err_wrap(err, "%s", obj->path);
	err = check_elf(obj);
	if (!err)
		err = scan_special_sections(obj);
	if (!err)
		err = read_btf(obj);
	if (!err)
		err = collect_progs(obj);
	if (!err)
		err = bb_object_collect_externs(obj);
	/* before maps: whether a global data map is mmapable depends on
	 * the variables' final linkage, as in libbpf */
	if (!err)
		err = bb_object_fixup_btf(obj);
	if (!err)
		err = bb_object_init_maps(obj);
	if (!err)
		err = bb_object_collect_relos(obj);
	if (!err)
		err = bb_object_collect_slots(obj);
	return err;
}

/* path names the object in messages: the file, or the name for memory */
static int object_open(const void *buf, size_t size, const char *name,
		       const char *path, struct bpfbox_object **out)
{
	struct bpfbox_object *obj;
	int err;

	*out = NULL;
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return bb_err(ENOMEM, "out of memory");
	obj->btf_fd = -1;
	obj->name = strdup(name);
	obj->path = strdup(path);
	obj->buf = malloc(size ? size : 1);
	if (!obj->name || !obj->path || !obj->buf) {
		err = bb_err(ENOMEM, "out of memory");
		goto fail;
	}
	memcpy(obj->buf, buf, size);
	obj->size = size;
	err = object_parse(obj);
	if (err)
		goto fail;
	*out = obj;
	return 0;
fail:
	bpfbox_object_close(obj);
	return err;
}

int bpfbox_object_open_mem(const void *buf, size_t size,
			   const struct bpfbox_open_opts *opts,
			   struct bpfbox_object **out)
{
	const char *name = opts && opts->name ? opts->name : "object";

	return object_open(buf, size, name, name, out);
}

static int read_whole_file(const char *path, uint8_t **buf, size_t *size)
{
	struct stat st;
	ssize_t n;
	size_t off = 0;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		err = bb_err(errno, "%s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = bb_err(EINVAL, "%s: not a regular file", path);
		goto out;
	}
	*size = st.st_size;
	*buf = malloc(*size ? *size : 1);
	if (!*buf) {
		err = bb_err(ENOMEM, "%s: out of memory (%zu bytes)", path, *size);
		goto out;
	}
	while (off < *size) {
		n = read(fd, *buf + off, *size - off);
		if (n <= 0) {
			err = bb_err(n ? errno : EIO, "%s: read failed", path);
			free(*buf);
			*buf = NULL;
			goto out;
		}
		off += n;
	}
out:
	close(fd);
	return err;
}

int bpfbox_object_open_file(const char *path,
			    const struct bpfbox_open_opts *opts,
			    struct bpfbox_object **out)
{
	char *name = NULL;
	uint8_t *buf = NULL;
	size_t size = 0;
	int err;

	*out = NULL;
	err = read_whole_file(path, &buf, &size);
	if (err)
		return err;
	if (!opts || !opts->name) {
		name = object_name_from_path(path);
		if (!name) {
			free(buf);
			return bb_err(ENOMEM, "out of memory");
		}
	}
	err = object_open(buf, size, name ? name : opts->name, path, out);
	free(buf);
	free(name);
	return err;
}

static void map_free(struct bpfbox_map *map)
{
	if (map->mmaped)
		munmap(map->mmaped, map->mmaped_size);
	if (map->fd >= 0)
		close(map->fd);
	if (map->inner) {
		map_free(map->inner);
		free(map->inner);
	}
	free(map->name);
	free(map->sec_name);
	free(map->init_slots);
}

void bpfbox_object_close(struct bpfbox_object *obj)
{
	size_t i;

	if (!obj)
		return;
	/* links first: they hold the programs */
	bpfbox_object_detach(obj);
	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->fd >= 0)
			close(p->fd);
		free(p->name);
		free(p->sec_name);
		free(p->insns);
		free(p->relos);
		free(p->func_info);
		free(p->line_info);
		if (p->core_fails) {
			bb_core_failures_free(p->core_fails);
			free(p->core_fails);
		}
	}
	free(obj->progs);
	for (i = 0; i < obj->nmaps; i++)
		map_free(&obj->maps[i]);
	free(obj->maps);
	for (i = 0; i < obj->nexterns; i++)
		free(obj->externs[i].name);
	free(obj->externs);
	free(obj->kconfig_data);
	if (obj->btf_fd >= 0)
		close(obj->btf_fd);
	bb_btf_free(obj->kernel_btf);
	bb_btf_ext_free(obj->btf_ext);
	bb_btf_free(obj->btf);
	bb_elf_free(obj->elf);
	free(obj->buf);
	free(obj->name);
	free(obj->path);
	free(obj);
}
