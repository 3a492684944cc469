// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Links: the life of one attachment. A link owns every fd its attach
 * function made (BPF links, perf events) and the legacy tracefs probe it
 * may have created; destroying it undoes all of that, so a tool that
 * exits through its normal path leaves nothing behind in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "attach.h"
#include "err.h"

#ifndef SO_DETACH_BPF
#define SO_DETACH_BPF	SO_DETACH_FILTER
#endif

struct bpfbox_link *bb_link_new(const char *desc_fmt, ...)
{
	struct bpfbox_link *link = calloc(1, sizeof(*link));
	va_list ap;

	if (!link)
		return NULL;
	link->sock_fd = -1;
	va_start(ap, desc_fmt);
	if (vasprintf(&link->desc, desc_fmt, ap) < 0)
		link->desc = NULL;
	va_end(ap);
	if (!link->desc) {
		free(link);
		return NULL;
	}
	return link;
}

int bb_link_add_part(struct bpfbox_link *link, int link_fd, int perf_fd)
{
	struct bb_link_part *parts;

	parts = realloc(link->parts, (link->nparts + 1) * sizeof(*parts));
	if (!parts) {
		if (link_fd >= 0)
			close(link_fd);
		if (perf_fd >= 0)
			close(perf_fd);
		return bb_err(ENOMEM, "%s: out of memory", link->desc);
	}
	link->parts = parts;
	parts[link->nparts].link_fd = link_fd;
	parts[link->nparts].perf_fd = perf_fd;
	link->nparts++;
	return 0;
}

/*
 * A perf event carries the program either through a BPF link (5.15+,
 * with a cookie) or through the older ioctl. EINVAL from LINK_CREATE on
 * an older kernel means "no perf links": fall back, but not when a
 * cookie was asked for, which only the link can carry.
 */
int bb_attach_perf_fd(const struct bb_attach_req *req, int perf_fd,
		      struct bpfbox_link *link)
{
	struct bpfbox_link_create_opts lopts = {
		.bpf_cookie = req->opts->cookie,
	};
	int lfd = -EOPNOTSUPP;

	if (!req->opts->force_ioctl)
		lfd = bpfbox_link_create(req->prog_fd, perf_fd, BPF_PERF_EVENT,
					 &lopts);
	if (lfd >= 0)
		return bb_link_add_part(link, lfd, perf_fd);
	/* kernels before perf links reject BPF_PERF_EVENT with EINVAL;
	 * anything else is a real answer about this attachment */
	if (lfd != -EINVAL && lfd != -EOPNOTSUPP) {
		close(perf_fd);
		return bb_err(lfd, "%s: %s", link->desc, lfd == -EEXIST ?
			      "the program is already attached there" :
			      strerror(-lfd));
	}
	if (req->opts->cookie && !req->opts->force_ioctl) {
		close(perf_fd);
		return bb_err(lfd, "%s: %s: this kernel has no perf_event BPF links, so it cannot pass a cookie (needs Linux 5.15)",
			      req->target, link->desc);
	}
	if (ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, req->prog_fd) < 0 ||
	    ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = errno;

		close(perf_fd);
		return bb_err(err, "%s: attaching the program to the perf event failed: %s",
			      link->desc, strerror(err));
	}
	return bb_link_add_part(link, -1, perf_fd);
}

int bpfbox_link_fd(const struct bpfbox_link *link)
{
	if (!link || !link->nparts)
		return -1;
	if (link->parts[0].link_fd >= 0)
		return link->parts[0].link_fd;
	return link->parts[0].perf_fd;
}

const char *bpfbox_link_describe(const struct bpfbox_link *link)
{
	return link ? link->desc : "";
}

int bpfbox_link_pin(struct bpfbox_link *link, const char *path)
{
	int err;

	if (!link || !path)
		return bb_err(EINVAL, "link pin: no link or no path");
	if (link->nparts != 1 || link->parts[0].link_fd < 0)
		return bb_err(EOPNOTSUPP, "%s: only a single BPF link can be pinned (this attachment is %s)",
			      link->desc, link->nparts > 1 ?
			      "one perf event per CPU" : link->sock_fd >= 0 ?
			      "a socket filter, which lives on its socket" :
			      "not a BPF link on this kernel");
	if (link->legacy_event)
		return bb_err(EOPNOTSUPP, "%s: rests on the tracefs probe %s that bpfbox removes at exit; a pinned link would lose its probe",
			      link->desc, link->legacy_event);
	err = bpfbox_obj_pin(link->parts[0].link_fd, path);
	if (err)
		return bb_err(err, "%s: pinning the link at %s: %s", link->desc,
			      path, strerror(-err));
	return 0;
}

void bpfbox_link_disconnect(struct bpfbox_link *link)
{
	if (link)
		link->disconnected = true;
}

int bpfbox_iter_create(const struct bpfbox_link *link)
{
	int fd;

	if (!link || !link->iter || link->nparts != 1)
		return bb_err(EINVAL, "%s: not an iterator link",
			      link ? link->desc : "(null)");
	fd = bb_sys_iter_create(link->parts[0].link_fd);
	if (fd < 0)
		return bb_err(fd, "%s: creating the iterator: %s", link->desc,
			      strerror(-fd));
	return fd;
}

/* remove "-:group/event" (legacy probes) from kprobe_events/uprobe_events */
static void legacy_probe_remove(const char *events_file, const char *event)
{
	char dir[256], path[512], cmd[320];
	int fd;

	if (bpfbox_tracefs_path(dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, events_file);
	snprintf(cmd, sizeof(cmd), "-:%s\n", event);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, cmd, strlen(cmd)) < 0) {
		/* best effort: bb_probe_clean_stale() retries next run */
	}
	close(fd);
}

void bpfbox_link_destroy(struct bpfbox_link *link)
{
	size_t i;

	if (!link)
		return;
	for (i = 0; i < link->nparts; i++) {
		struct bb_link_part *p = &link->parts[i];

		/* a disconnected (pinned) link stays: closing our fd of it
		 * only drops a reference */
		if (p->perf_fd >= 0 && p->link_fd < 0 && !link->disconnected)
			ioctl(p->perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		if (p->link_fd >= 0)
			close(p->link_fd);
		if (p->perf_fd >= 0)
			close(p->perf_fd);
	}
	if (link->sock_fd >= 0 && !link->disconnected) {
		int dummy = 0;

		setsockopt(link->sock_fd, SOL_SOCKET, SO_DETACH_BPF, &dummy,
			   sizeof(dummy));
	}
	/* the perf events are closed first: tracefs refuses to remove a
	 * probe that is still in use */
	if (link->legacy_event && !link->disconnected)
		legacy_probe_remove(link->legacy_events_file,
				    link->legacy_event);
	free(link->legacy_events_file);
	free(link->legacy_event);
	free(link->parts);
	free(link->desc);
	free(link);
}
