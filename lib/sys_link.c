// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpf(2) commands that change attachments in place: BPF_LINK_DETACH
 * and the link-less BPF_PROG_ATTACH / BPF_PROG_DETACH. Like sys.c, each
 * zeroes the attr, fills what it uses, passes the size up to the last
 * field, and returns 0 or -errno without touching the error message.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bpfbox.h"

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

static int sys_bpf(int cmd, union bpf_attr *attr, size_t size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

int bpfbox_link_detach(int link_fd)
{
	const size_t sz = offsetofend(union bpf_attr, link_detach.link_fd);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_detach.link_fd = link_fd;
	return sys_bpf(BPF_LINK_DETACH, &attr, sz);
}

int bpfbox_prog_attach_raw(int prog_fd, int target_fd,
			   enum bpf_attach_type type, uint32_t flags)
{
	const size_t sz = offsetofend(union bpf_attr, replace_bpf_fd);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = target_fd;
	attr.attach_bpf_fd = prog_fd;
	attr.attach_type = type;
	attr.attach_flags = flags;
	return sys_bpf(BPF_PROG_ATTACH, &attr, sz);
}

int bpfbox_prog_detach_raw(int prog_fd, int target_fd,
			   enum bpf_attach_type type)
{
	const size_t sz = offsetofend(union bpf_attr, replace_bpf_fd);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = target_fd;
	attr.attach_bpf_fd = prog_fd;
	attr.attach_type = type;
	return sys_bpf(BPF_PROG_DETACH, &attr, sz);
}
