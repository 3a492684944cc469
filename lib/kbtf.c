// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attach targets that the kernel names by BTF id: tp_btf, fentry/fexit,
 * lsm and iter programs need the id of their target in vmlinux BTF at
 * load time. The kernel's BTF is read only when an object needs it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "btf.h"
#include "elf.h"
#include "err.h"
#include "object.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* a whole file, for BTF files and vmlinux images */
static int read_file(const char *path, uint8_t **buf, size_t *size)
{
	struct stat st;
	size_t off;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		err = -EINVAL;
		goto out;
	}
	*size = st.st_size;
	*buf = malloc(*size);
	if (!*buf) {
		err = -ENOMEM;
		goto out;
	}
	for (off = 0; off < *size; off += n) {
		n = read(fd, *buf + off, *size - off);
		if (n <= 0) {
			err = n ? -errno : -EIO;
			free(*buf);
			goto out;
		}
	}
out:
	close(fd);
	return err;
}

/* raw BTF, or an ELF file (a vmlinux image) with a .BTF section */
static int load_btf_file(const char *path, struct bb_btf **out)
{
	static const uint8_t elfmag[4] = { 0x7f, 'E', 'L', 'F' };
	struct bb_elf *elf = NULL;
	uint8_t *buf = NULL;
	size_t size = 0;
	int err, idx;

	err = read_file(path, &buf, &size);
	if (err)
		return bb_err(err, "kernel BTF %s: cannot read: %s", path,
			      strerror(-err));
	if (size < 4 || memcmp(buf, elfmag, 4)) {
		err = bb_btf_parse_owned(buf, size, NULL, out);
		return err ? bb_err_wrap(err, "kernel BTF %s", path) : 0;
	}
	err = bb_elf_open(buf, size, &elf);
	if (err) {
		bb_err_wrap(err, "kernel BTF %s", path);
		goto out;
	}
	idx = bb_elf_find_sec(elf, ".BTF");
	if (idx < 0 || !elf->secs[idx].data) {
		err = bb_err(ENOENT, "kernel BTF %s: an ELF file without a .BTF section",
			     path);
		goto out;
	}
	err = bb_btf_parse(elf->secs[idx].data, elf->secs[idx].size, NULL, out);
	if (err)
		bb_err_wrap(err, "kernel BTF %s (section .BTF)", path);
out:
	bb_elf_free(elf);
	free(buf);
	return err;
}

int bb_load_kernel_btf(const char *path, struct bb_btf **out)
{
	return path ? load_btf_file(path, out) : bb_load_vmlinux_btf(out);
}

/*
 * Kernels built without sysfs BTF may still have it in a vmlinux image
 * that distributions install for debuggers (the places libbpf looks).
 */
static int load_fallback_btf(struct bb_btf **out)
{
	static const char *const paths[] = {
		"/boot/vmlinux-%1$s",
		"/lib/modules/%1$s/vmlinux-%1$s",
		"/lib/modules/%1$s/build/vmlinux",
		"/usr/lib/modules/%1$s/kernel/vmlinux",
		"/usr/lib/debug/boot/vmlinux-%1$s",
		"/usr/lib/debug/boot/vmlinux-%1$s.debug",
		"/usr/lib/debug/lib/modules/%1$s/vmlinux",
	};
	char path[512];
	struct utsname u;
	size_t i;

	uname(&u);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(path, sizeof(path), paths[i], u.release);
		if (access(path, R_OK))
			continue;
		if (!load_btf_file(path, out))
			return 0;
	}
	return bb_err(ENOENT,
		      "kernel BTF: %s is missing (a kernel built without CONFIG_DEBUG_INFO_BTF) and no vmlinux image with BTF was found in /boot, /lib/modules/%s or /usr/lib/debug; give one with --btf FILE (e.g. from BTFHub)",
		      VMLINUX_BTF, u.release);
}

int bb_load_vmlinux_btf(struct bb_btf **out)
{
	struct stat st;
	size_t off;
	ssize_t n;
	void *p;
	int fd, err;

	fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return load_fallback_btf(out);
	if (fd < 0)
		return bb_err(errno, "kernel BTF %s is not readable: %s",
			      VMLINUX_BTF, strerror(errno));
	if (fstat(fd, &st) || st.st_size <= 0) {
		err = bb_err(EINVAL, "kernel BTF %s: cannot get its size", VMLINUX_BTF);
		close(fd);
		return err;
	}
	/* Linux 6.16+ lets sysfs BTF be mapped: the kernel's own pages,
	 * used in place, cost neither copying nor memory; older kernels
	 * refuse and the file is read */
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		close(fd);
		err = bb_btf_parse_mapped(p, st.st_size, NULL, out);
		if (err)
			bb_err_wrap(err, "kernel BTF %s", VMLINUX_BTF);
		return err;
	}
	p = malloc(st.st_size);
	if (!p) {
		close(fd);
		return bb_err(ENOMEM, "out of memory for kernel BTF");
	}
	for (off = 0; off < (size_t)st.st_size; off += n) {
		n = read(fd, (char *)p + off, st.st_size - off);
		if (n <= 0) {
			err = bb_err(n ? errno : EIO, "kernel BTF %s: read failed",
				     VMLINUX_BTF);
			goto out;
		}
	}
	close(fd);
	/* hands the buffer over: vmlinux BTF is parsed in place, no copy */
	err = bb_btf_parse_owned(p, st.st_size, NULL, out);
	if (err)
		bb_err_wrap(err, "kernel BTF %s", VMLINUX_BTF);
	return err;
out:
	free(p);
	close(fd);
	return err;
}

/* the BTF name a program's target is found under, and its kind */
static int target_btf_name(const struct bpfbox_prog *prog, char *buf,
			   size_t len, int *kind)
{
	const char *fmt;

	*kind = BTF_KIND_FUNC;
	switch (prog->expected_attach_type) {
	case BPF_TRACE_RAW_TP:
		fmt = "btf_trace_%s";
		*kind = BTF_KIND_TYPEDEF;
		break;
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		fmt = "bpf_lsm_%s";
		break;
	case BPF_TRACE_ITER:
		fmt = "bpf_iter_%s";
		break;
	default:
		fmt = "%s";
		break;
	}
	if ((size_t)snprintf(buf, len, fmt, prog->attach_target) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int resolve_one(struct bpfbox_prog *prog, const struct bb_btf *vmlinux)
{
	char name[256];
	int kind, id;

	if (prog->type == BPF_PROG_TYPE_EXT)
		return bb_err(ENOTSUP, "%s: program %s: freplace programs are not supported yet",
			      prog->obj->path, prog->name);
	if (!prog->attach_target)
		return bb_err(EINVAL,
			      "%s: program %s: section %s names no attach target (e.g. SEC(\"%s/<target>\"))",
			      prog->obj->path, prog->name, prog->sec_name,
			      prog->sec_name);
	if (strchr(prog->attach_target, ':'))
		return bb_err(ENOTSUP, "%s: program %s: module targets (%s) are not supported yet",
			      prog->obj->path, prog->name, prog->attach_target);
	if (target_btf_name(prog, name, sizeof(name), &kind))
		return bb_err(ENAMETOOLONG, "%s: program %s: target name too long",
			      prog->obj->path, prog->name);
	id = bb_btf_find(vmlinux, name, kind);
	if (id < 0)
		return bb_err(ESRCH,
			      "%s: program %s: attach target %s (%s %s) not found in the kernel's BTF",
			      prog->obj->path, prog->name, prog->attach_target,
			      bb_btf_kind_name(kind), name);
	prog->attach_btf_id = id;
	return 0;
}

int bb_object_kernel_btf(struct bpfbox_object *obj, const struct bb_btf **out)
{
	int err = 0;

	if (!obj->kernel_btf)
		err = bb_load_vmlinux_btf(&obj->kernel_btf);
	*out = obj->kernel_btf;
	return err;
}

int bb_object_resolve_attach_btf(struct bpfbox_object *obj)
{
	const struct bb_btf *vmlinux = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i < obj->nprogs && !err; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (!p->autoload || p->is_subprog || !p->def ||
		    !(p->def->flags & BB_SEC_ATTACH_BTF))
			continue;
		if (!vmlinux) {
			err = bb_object_kernel_btf(obj, &vmlinux);
			if (err) {
				bb_err_wrap(err, "%s: program %s needs kernel BTF",
					    obj->path, p->name);
				break;
			}
		}
		err = resolve_one(p, vmlinux);
	}
	return err;
}
