// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * perf_event sampling programs (one sampling event per online CPU, all
 * in one link) and socket filters (SO_ATTACH_BPF on the caller's
 * socket).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "attach.h"
#include "cpus.h"
#include "err.h"

#define DEFAULT_FREQ	99

struct perf_kind {
	const char *name;
	uint32_t type;
	uint64_t config;
};

static const struct perf_kind perf_kinds[] = {
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
};

static const struct perf_kind *perf_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(perf_kinds) / sizeof(perf_kinds[0]); i++)
		if (!strcmp(perf_kinds[i].name, name))
			return &perf_kinds[i];
	return NULL;
}

static int perf_open_err(const struct bb_attach_req *req,
			 const struct perf_kind *k, int err)
{
	if (k->type == PERF_TYPE_HARDWARE &&
	    (err == ENOENT || err == EOPNOTSUPP || err == ENODEV))
		return bb_err(err, "perf_event/%s: this machine has no hardware counter for %s (common in virtual machines); use perf_event/cpu-clock",
			      k->name, k->name);
	if (err == ESRCH)
		return bb_err(err, "perf_event/%s: no process %d", k->name,
			      req->opts->pid);
	if (err == EACCES || err == EPERM)
		return bb_err(err, "perf_event/%s: perf_event_open refused (%s): see /proc/sys/kernel/perf_event_paranoid, or run as root",
			      k->name, strerror(err));
	return bb_err(err, "perf_event/%s: perf_event_open failed: %s", k->name,
		      strerror(err));
}

/* one sampling event on cpu; 1 when the CPU went away (skipped) */
static int perf_attach_cpu(const struct bb_attach_req *req,
			   const struct perf_kind *k, uint64_t freq, int cpu,
			   struct bpfbox_link *link)
{
	struct perf_event_attr attr;
	int pid = req->opts->pid ? req->opts->pid : -1;
	int pfd;

	memset(&attr, 0, sizeof(attr));
	attr.type = k->type;
	attr.size = sizeof(attr);
	attr.config = k->config;
	attr.freq = 1;
	attr.sample_freq = freq;
	pfd = bpfbox_perf_event_open(&attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd == -ENODEV && k->type != PERF_TYPE_HARDWARE)
		return 1;
	if (pfd < 0)
		return perf_open_err(req, k, -pfd);
	return bb_attach_perf_fd(req, pfd, link);
}

int bb_attach_perf_event(const struct bb_attach_req *req,
			 struct bpfbox_link **out)
{
	const char *name = req->arg ? req->arg : "cpu-clock";
	const struct perf_kind *k = perf_kind_find(name);
	uint64_t freq = req->opts->sample_freq ? req->opts->sample_freq :
			DEFAULT_FREQ;
	struct bpfbox_link *link;
	uint8_t *cpus;
	int cpu, n, err = 0;

	if (!k)
		return bb_err(EINVAL, "%s: unknown perf event %s: use one of cpu-clock (default), task-clock, cycles, instructions, cache-misses, branch-misses",
			      req->target, name);
	cpus = calloc(1, BB_CPU_SET_BYTES);
	if (!cpus)
		return bb_err(ENOMEM, "%s: out of memory", req->target);
	n = bb_cpus_read("online", cpus);
	if (n < 0) {
		free(cpus);
		return bb_err_wrap(n, "%s", req->target);
	}
	if (req->opts->pid)
		link = bb_link_new("perf_event %s %llu Hz pid %d", name,
				   (unsigned long long)freq, req->opts->pid);
	else
		link = bb_link_new("perf_event %s %llu Hz", name,
				   (unsigned long long)freq);
	if (!link) {
		free(cpus);
		return bb_err(ENOMEM, "%s: out of memory", req->target);
	}
	for (cpu = 0; cpu < BB_MAX_CPUS && err >= 0; cpu++)
		if (bb_cpu_isset(cpus, cpu))
			err = perf_attach_cpu(req, k, freq, cpu, link);
	free(cpus);
	if (err >= 0 && !link->nparts)
		err = bb_err(ENODEV, "%s: every CPU refused the event (offline?)",
			     req->target);
	if (err < 0) {
		bpfbox_link_destroy(link);
		return err;
	}
	*out = link;
	return 0;
}

int bb_attach_socket(const struct bb_attach_req *req,
		     struct bpfbox_link **out)
{
	int fd = req->opts->sock_fd, type;
	socklen_t len = sizeof(type);
	struct bpfbox_link *link;

	/* 0 is what a zeroed opts holds: no socket given */
	if (fd <= 0)
		return bb_err(EINVAL, "%s: a socket filter needs a socket: set sock_fd in struct bpfbox_attach_opts",
			      req->target);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return bb_err(errno, "%s: fd %d is not a socket: %s", req->target,
			      fd, strerror(errno));
	link = bb_link_new("socket filter on fd %d", fd);
	if (!link)
		return bb_err(ENOMEM, "%s: out of memory", req->target);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &req->prog_fd,
		       sizeof(req->prog_fd)) < 0) {
		int err = errno;

		bpfbox_link_destroy(link);
		return bb_err(err, "%s: SO_ATTACH_BPF on fd %d failed: %s",
			      req->target, fd, strerror(err));
	}
	/* the socket stays the caller's: the link only detaches from it */
	link->sock_fd = fd;
	*out = link;
	return 0;
}
