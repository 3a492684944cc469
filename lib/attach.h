/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Attaching, inside the library. attach.c turns a target written in
 * SEC() syntax into a request and hands it to the function of its kind:
 *
 *   attach_tp.c     tracepoint, raw_tp, tp_btf/fentry/fexit/fmod_ret/lsm,
 *                   iter
 *   attach_perf.c   perf_event sampling, socket filters
 *   probe.c         kprobe/kretprobe, ksyscall/kretsyscall,
 *                   uprobe/uretprobe (PMU, legacy tracefs fallback)
 *   uprobe_resolve.c  binary path and symbol -> file offset
 *
 * Every one of them fills a struct bpfbox_link (link.c owns its life).
 */
#ifndef BB_ATTACH_H
#define BB_ATTACH_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "bpfbox.h"
#include "secdef.h"

/* one part of an attachment: whatever must be closed or undone */
struct bb_link_part {
	int link_fd;		/* BPF link, or -1 */
	int perf_fd;		/* perf event, or -1 */
};

struct bpfbox_link {
	char *desc;		/* "tracepoint sched/sched_process_exec" */
	struct bb_link_part *parts;	/* one per CPU for perf_event */
	size_t nparts;
	int sock_fd;		/* socket filter: detach from it, else -1 */
	/* legacy probe created by bpfbox in tracefs, removed on destroy:
	 * events_file is "kprobe_events" or "uprobe_events" */
	char *legacy_events_file;
	/* "GROUP/EVENT" as written after "-:" to remove it; the event is
	 * named bpfbox_<pid>_<n> so stale ones can be told apart */
	char *legacy_event;
	bool disconnected;
	bool iter;		/* iterator link: bpfbox_iter_create() */
};

/* What to attach, parsed from a target in SEC() syntax. */
struct bb_attach_req {
	int prog_fd;
	enum bpf_prog_type prog_type;
	enum bpf_attach_type attach_type;	/* expected_attach_type */
	const struct bb_secdef *def;	/* of the target, never NULL */
	const char *target;	/* the full target, for messages */
	const char *arg;	/* after "kind/": "sched/sched_switch", may be NULL */
	bool retprobe;		/* kretprobe, uretprobe, kretsyscall */
	const struct bpfbox_attach_opts *opts;	/* never NULL */
};

/* link.c */
struct bpfbox_link *bb_link_new(const char *desc_fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* add one part; takes ownership of the fds (closed on failure too) */
int bb_link_add_part(struct bpfbox_link *link, int link_fd, int perf_fd);

/*
 * Attach the program to a perf event fd: BPF_LINK_CREATE with
 * BPF_PERF_EVENT (cookie supported), or ioctl(PERF_EVENT_IOC_SET_BPF)
 * when the kernel has no perf links or opts->force_ioctl is set. Adds
 * the part to link (the perf fd is owned by the link from here on).
 */
int bb_attach_perf_fd(const struct bb_attach_req *req, int perf_fd,
		      struct bpfbox_link *link);

/* sys.c: BPF_ITER_CREATE */
int bb_sys_iter_create(int link_fd);

/* Per kind: 0 and *out set, or a negative errno with words. */
int bb_attach_tracepoint(const struct bb_attach_req *req,
			 struct bpfbox_link **out);
int bb_attach_raw_tp(const struct bb_attach_req *req,
		     struct bpfbox_link **out);
int bb_attach_trace(const struct bb_attach_req *req,
		    struct bpfbox_link **out);	/* tp_btf fentry fexit lsm */
int bb_attach_iter(const struct bb_attach_req *req, struct bpfbox_link **out);
int bb_attach_perf_event(const struct bb_attach_req *req,
			 struct bpfbox_link **out);
int bb_attach_socket(const struct bb_attach_req *req,
		     struct bpfbox_link **out);
int bb_attach_kprobe(const struct bb_attach_req *req,
		     struct bpfbox_link **out);
int bb_attach_ksyscall(const struct bb_attach_req *req,
		       struct bpfbox_link **out);
int bb_attach_uprobe(const struct bb_attach_req *req,
		     struct bpfbox_link **out);

/*
 * probe.c: remove legacy kprobe/uprobe events named bpfbox_<pid>_* whose
 * process is gone (left by a run killed with SIGKILL). Called before
 * creating a legacy probe; returns how many were removed.
 */
int bb_probe_clean_stale(void);

#endif
