// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tracepoint-like attachments: tracepoints (a perf event on the tracefs
 * event id), raw tracepoints, the BTF kinds whose target the kernel
 * fixed at load (tp_btf, fentry, fexit, fmod_ret, freplace, lsm), and
 * iterators.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "attach.h"
#include "err.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's own "not supported" */
#endif

static const char *errno_name(int err)
{
	switch (err) {
	case EPERM:	return "EPERM";
	case EACCES:	return "EACCES";
	case EINVAL:	return "EINVAL";
	case ENOENT:	return "ENOENT";
	case ESRCH:	return "ESRCH";
	case EBUSY:	return "EBUSY";
	case EEXIST:	return "EEXIST";
	case E2BIG:	return "E2BIG";
	case ENOTSUPP:	return "ENOTSUPP";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV:	return "ENODEV";
	default:	return "error";
	}
}

/* "CATEGORY/NAME": one slash, no path tricks */
static bool tp_name_ok(const char *arg)
{
	const char *slash = strchr(arg, '/');

	return slash && slash != arg && slash[1] && !strchr(slash + 1, '/') &&
	       !strstr(arg, "..") && strlen(arg) < 200;
}

/* the tracefs event id of CATEGORY/NAME, or -errno with words */
static int tp_event_id(const char *arg, const char *target)
{
	char dir[256], path[512], buf[32], *end;
	ssize_t n;
	long id;
	int fd, err;

	err = bpfbox_tracefs_path(dir, sizeof(dir));
	if (err)
		return bb_err_wrap(err, "%s: tracefs is needed for tracepoint ids",
				   target);
	snprintf(path, sizeof(path), "%s/events/%s/id", dir, arg);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT || err == ENOTDIR)
			return bb_err(ENOENT, "tracepoint %s: no such tracepoint in %s/events (see %s/available_events)",
				      arg, dir, dir);
		return bb_err(err, "tracepoint %s: reading %s: %s", arg, path,
			      strerror(err));
	}
	n = read(fd, buf, sizeof(buf) - 1);
	err = errno;
	close(fd);
	if (n <= 0)
		return bb_err(n < 0 ? err : EINVAL, "tracepoint %s: reading %s: %s",
			      arg, path, n < 0 ? strerror(err) : "empty file");
	buf[n] = '\0';
	errno = 0;
	id = strtol(buf, &end, 10);
	if (errno || end == buf || id <= 0 || id > INT32_MAX)
		return bb_err(EINVAL, "tracepoint %s: %s holds no event id", arg,
			      path);
	return (int)id;
}

int bb_attach_tracepoint(const struct bb_attach_req *req,
			 struct bpfbox_link **out)
{
	struct perf_event_attr attr;
	struct bpfbox_link *link;
	int id, pfd, err;

	if (!tp_name_ok(req->arg))
		return bb_err(EINVAL, "%s: a tracepoint is written CATEGORY/NAME, e.g. tp/sched/sched_switch",
			      req->target);
	id = tp_event_id(req->arg, req->target);
	if (id < 0)
		return id;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	/* one event carries the program for every CPU and process */
	pfd = bpfbox_perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return bb_err(pfd, "tracepoint %s: perf_event_open failed (%s): %s",
			      req->arg, errno_name(-pfd), strerror(-pfd));
	link = bb_link_new("tracepoint %s", req->arg);
	if (!link) {
		close(pfd);
		return bb_err(ENOMEM, "%s: out of memory", req->target);
	}
	err = bb_attach_perf_fd(req, pfd, link);
	if (err) {
		bpfbox_link_destroy(link);
		return err;
	}
	*out = link;
	return 0;
}

/* wrap a ready fd into a one-part link */
static int link_from_fd(int fd, struct bpfbox_link **out, const char *kind,
			const char *arg)
{
	struct bpfbox_link *link = bb_link_new("%s %s", kind, arg);
	int err;

	if (!link) {
		close(fd);
		return bb_err(ENOMEM, "%s %s: out of memory", kind, arg);
	}
	err = bb_link_add_part(link, fd, -1);
	if (err) {
		bpfbox_link_destroy(link);
		return err;
	}
	*out = link;
	return 0;
}

int bb_attach_raw_tp(const struct bb_attach_req *req,
		     struct bpfbox_link **out)
{
	int fd;

	if (req->opts->cookie)
		return bb_err(EOPNOTSUPP, "%s: bpfbox cannot pass a cookie to raw tracepoints (it attaches with BPF_RAW_TRACEPOINT_OPEN, which has none)",
			      req->target);
	fd = bpfbox_raw_tracepoint_open(req->arg, req->prog_fd);
	if (fd == -ENOENT)
		return bb_err(ENOENT, "raw_tp %s: no such tracepoint in the kernel (raw names are the event names, e.g. sched_switch or sys_enter; see available_events in tracefs)",
			      req->arg);
	if (fd < 0)
		return bb_err(fd, "raw_tp %s: the kernel refused to attach (%s): %s",
			      req->arg, errno_name(-fd), strerror(-fd));
	return link_from_fd(fd, out, "raw_tp", req->arg);
}

/* why the kernel may refuse a trampoline-based program, and what to try */
static const char *trace_hint(const struct bb_attach_req *req, int err)
{
	bool lsm = req->def->attach == BB_ATTACH_LSM;

	if (err == EPERM && lsm)
		return "this kernel does not allow BPF LSM programs (trampolines disabled, lockdown, or bpf missing from the lsm= boot list, see /sys/kernel/security/lsm)";
	if (err == EPERM && req->attach_type == BPF_TRACE_RAW_TP)
		return "this kernel does not allow tp_btf programs (trampolines disabled or lockdown); try raw_tp/ or tp/ instead";
	if (err == EPERM)
		return "this kernel does not allow fentry/fexit (trampolines disabled or lockdown); try a kprobe instead";
	if (err == ENOTSUPP || err == EOPNOTSUPP)
		return "this kernel or architecture has no BPF trampoline for this target; try a kprobe or tracepoint instead";
	if (err == EBUSY || err == EEXIST)
		return "the target is already attached to in a way that excludes this program";
	return strerror(err);
}

int bb_attach_trace(const struct bb_attach_req *req,
		    struct bpfbox_link **out)
{
	char kind[32];
	int fd;

	snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(req->def->sec, "+"),
		 req->def->sec);
	if (req->opts->cookie)
		return bb_err(EOPNOTSUPP, "%s: bpfbox cannot pass a cookie to %s programs yet",
			      req->target, kind);
	/* the target was fixed at load (attach_btf_id): no name here */
	fd = bpfbox_raw_tracepoint_open(NULL, req->prog_fd);
	if (fd < 0)
		return bb_err(fd, "%s: the kernel refused to attach (%s): %s",
			      req->target, errno_name(-fd),
			      trace_hint(req, -fd));
	return link_from_fd(fd, out, kind, req->arg);
}

/* task iterators can be limited to one process (Linux 6.1+) */
static bool iter_is_task(const char *arg)
{
	return !strcmp(arg, "task") || !strcmp(arg, "task_file") ||
	       !strcmp(arg, "task_vma");
}

int bb_attach_iter(const struct bb_attach_req *req, struct bpfbox_link **out)
{
	struct bpfbox_link_create_opts lopts = { 0 };
	union bpf_iter_link_info info;
	int fd, err;

	if (req->opts->pid) {
		if (!iter_is_task(req->arg))
			return bb_err(EINVAL, "%s: only task, task_file and task_vma iterators can be limited to a pid",
				      req->target);
		memset(&info, 0, sizeof(info));
		info.task.pid = req->opts->pid;
		lopts.iter_info = &info;
		lopts.iter_info_len = sizeof(info);
	}
	fd = bpfbox_link_create(req->prog_fd, 0, BPF_TRACE_ITER, &lopts);
	if (fd < 0)
		return bb_err(fd, "%s: the kernel refused to create the iterator link (%s): %s",
			      req->target, errno_name(-fd), strerror(-fd));
	err = link_from_fd(fd, out, "iter", req->arg);
	if (!err)
		(*out)->iter = true;
	return err;
}
