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
#include <unistd.h>

#include "btf.h"
#include "err.h"
#include "object.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

int bb_load_vmlinux_btf(struct bb_btf **out)
{
	struct stat st;
	size_t off;
	ssize_t n;
	void *p;
	int fd, err;

	fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno,
			      "kernel BTF %s is not readable (%s): this kernel was built without CONFIG_DEBUG_INFO_BTF",
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
