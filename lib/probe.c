// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kprobe/kretprobe, ksyscall/kretsyscall and uprobe/uretprobe.
 *
 * A probe is a perf event the program is attached to. Since 4.17 the
 * kernel makes one directly from perf_event_open(2) with the "kprobe" or
 * "uprobe" PMU (function or path in config1, offset in config2), and it
 * goes away with the fd. Older kernels (and opts->force_legacy) need the
 * legacy way: write a probe definition into tracefs kprobe_events or
 * uprobe_events, open its tracepoint id, and remove the definition when
 * done. Legacy probes are named bpfbox_<pid>_<n> so that those left by a
 * killed run can be recognised and removed (bb_probe_clean_stale).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "attach.h"
#include "err.h"
#include "uprobe_resolve.h"

typedef unsigned long long ull;

#define PMU_DIR		"/sys/bus/event_source/devices"

/* one probe to create, kernel or user */
struct probe {
	const char *pmu;		/* "kprobe", "uprobe" */
	const char *events_file;	/* "kprobe_events", "uprobe_events" */
	const char *group;		/* "kprobes", "uprobes" */
	const char *name;		/* function, or path of the binary */
	uint64_t off;
	bool retprobe;
	int pid, cpu;
};

/* "uretprobe" of "uretprobe//bin/bash:readline": for messages */
static void kind_of(const struct bb_attach_req *req, char *buf, size_t len)
{
	const char *t = req->target ? req->target : req->def->sec;
	size_t n = strcspn(t, "/+");

	snprintf(buf, len, "%.*s", (int)n, t);
}

/* ------------------------------------------------------------------ */
/* tracefs and sysfs                                                   */

static int tracefs_file(const char *name, char *path, size_t len)
{
	char dir[PATH_MAX];
	int err = bpfbox_tracefs_path(dir, sizeof(dir));

	if (err)
		return err;
	if (snprintf(path, len, "%s/%s", dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static bool tracefs_has(const char *name)
{
	char path[PATH_MAX];

	return !tracefs_file(name, path, sizeof(path)) && !access(path, F_OK);
}

/* first line of a small file, newline cut; -errno */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		err = -EIO;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return err;
}

static int read_int(const char *path, long *val)
{
	char buf[64], *end;
	int err = read_line(path, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*val = strtol(buf, &end, 10);
	if (errno || end == buf || *val < 0 || *val > INT32_MAX)
		return -EINVAL;
	return 0;
}

/* the PMU's perf type, or -ENOENT when the kernel has none */
static int pmu_type(const char *pmu)
{
	char path[PATH_MAX];
	long type;
	int err;

	snprintf(path, sizeof(path), PMU_DIR "/%s/type", pmu);
	err = read_int(path, &type);
	return err ? err : (int)type;
}

/* the config bit that makes a return probe: format/retprobe "config:0" */
static int pmu_retprobe_bit(const char *pmu)
{
	char path[PATH_MAX], buf[64];
	int bit;

	snprintf(path, sizeof(path), PMU_DIR "/%s/format/retprobe", pmu);
	if (read_line(path, buf, sizeof(buf)) ||
	    sscanf(buf, "config:%d", &bit) != 1 || bit < 0 || bit > 63)
		return 0;	/* the bit every kernel has used */
	return bit;
}

/* write one line to kprobe_events/uprobe_events; -errno */
static int events_write(const char *events_file, const char *line)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	err = tracefs_file(events_file, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* ------------------------------------------------------------------ */
/* Stale legacy probes                                                 */

/*
 * "p:kprobes/bpfbox_123_0 do_unlinkat+0" or "r10:uprobes/bpfbox_..."
 * -> "kprobes/bpfbox_123_0" and 123; false for anything else.
 */
static bool stale_event(char *line, char *event, size_t len)
{
	char *colon = strchr(line, ':'), *slash, *end;
	size_t n;
	long pid;

	if (!colon)
		return false;
	n = strcspn(colon + 1, " \n");
	if (!n || n >= len)
		return false;
	memcpy(event, colon + 1, n);
	event[n] = '\0';
	slash = strchr(event, '/');
	if (!slash || strncmp(slash + 1, "bpfbox_", 7))
		return false;
	errno = 0;
	pid = strtol(slash + 8, &end, 10);
	if (errno || end == slash + 8 || *end != '_' || pid <= 0 ||
	    pid > INT32_MAX)
		return false;
	return kill((pid_t)pid, 0) && errno == ESRCH;
}

static int clean_file(const char *events_file)
{
	char path[PATH_MAX], event[256], cmd[300], *line = NULL;
	size_t cap = 0;
	int removed = 0;
	FILE *f;

	if (tracefs_file(events_file, path, sizeof(path)))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		if (!stale_event(line, event, sizeof(event)))
			continue;
		snprintf(cmd, sizeof(cmd), "-:%s\n", event);
		if (!events_write(events_file, cmd))
			removed++;
	}
	free(line);
	fclose(f);
	return removed;
}

int bb_probe_clean_stale(void)
{
	return clean_file("kprobe_events") + clean_file("uprobe_events");
}

/* ------------------------------------------------------------------ */
/* Opening the perf event                                              */

static int open_pmu(const struct probe *p, int type)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = type,
		.config1 = (uint64_t)(uintptr_t)p->name,
		.config2 = p->off,
	};

	if (p->retprobe)
		attr.config |= 1ULL << pmu_retprobe_bit(p->pmu);
	return bpfbox_perf_event_open(&attr, p->pid, p->cpu, -1,
				      PERF_FLAG_FD_CLOEXEC);
}

static int legacy_define(const struct probe *p, const char *event)
{
	char line[PATH_MAX + 128];

	if (!strcmp(p->pmu, "kprobe"))
		snprintf(line, sizeof(line), "%c:%s/%s %s+%llu\n",
			 p->retprobe ? 'r' : 'p', p->group, event, p->name,
			 (ull)p->off);
	else
		snprintf(line, sizeof(line), "%c:%s/%s %s:0x%llx\n",
			 p->retprobe ? 'r' : 'p', p->group, event, p->name,
			 (ull)p->off);
	return events_write(p->events_file, line);
}

static int legacy_open(const struct probe *p, const char *event)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_TRACEPOINT,
	};
	char rel[300], path[PATH_MAX];
	long id;
	int err;

	snprintf(rel, sizeof(rel), "events/%s/%s/id", p->group, event);
	err = tracefs_file(rel, path, sizeof(path));
	if (!err)
		err = read_int(path, &id);
	if (err)
		return err;
	attr.config = id;
	return bpfbox_perf_event_open(&attr, p->pid, p->cpu, -1,
				      PERF_FLAG_FD_CLOEXEC);
}

/*
 * The legacy way. The names must differ across threads and calls, and
 * the pid in them is what tells a stale probe from a live one, so a
 * counter is kept: the one piece of process-wide state here, harmless
 * since only its uniqueness matters.
 */
static int attach_legacy(const struct bb_attach_req *req,
			 const struct probe *p, struct bpfbox_link *link,
			 bool *worded)
{
	static unsigned int seq;
	char event[64];
	int fd, err;

	bb_probe_clean_stale();
	snprintf(event, sizeof(event), "bpfbox_%d_%u", (int)getpid(),
		 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	err = legacy_define(p, event);
	if (err)
		return err;
	link->legacy_events_file = strdup(p->events_file);
	if (asprintf(&link->legacy_event, "%s/%s", p->group, event) < 0)
		link->legacy_event = NULL;
	if (!link->legacy_events_file || !link->legacy_event) {
		char cmd[128];

		/* removed here: the link must not try it half-recorded */
		free(link->legacy_events_file);
		free(link->legacy_event);
		link->legacy_events_file = link->legacy_event = NULL;
		snprintf(cmd, sizeof(cmd), "-:%s/%s\n", p->group, event);
		events_write(p->events_file, cmd);
		*worded = true;
		return bb_err(ENOMEM, "%s: out of memory", link->desc);
	}
	fd = legacy_open(p, event);
	if (fd < 0)
		return fd;
	*worded = true;
	return bb_attach_perf_fd(req, fd, link);
}

/*
 * Create the probe and attach the program. On failure *worded tells
 * whether the message is written already (bb_attach_perf_fd failed) or
 * the -errno is the kernel's refusal of the probe, for the caller to
 * explain.
 */
static int attach_probe(const struct bb_attach_req *req,
			const struct probe *p, struct bpfbox_link *link,
			bool *worded)
{
	int type = pmu_type(p->pmu), fd;

	*worded = false;
	if (req->opts->force_legacy || type < 0)
		return attach_legacy(req, p, link, worded);
	fd = open_pmu(p, type);
	if (fd < 0)
		return fd;
	*worded = true;
	return bb_attach_perf_fd(req, fd, link);
}

/* ------------------------------------------------------------------ */
/* Kernel functions                                                    */

/* is name (a function) in available_filter_functions ("name [mod]")? */
static bool in_filter_functions(const char *name)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0, n = strlen(name);
	bool found = false;
	FILE *f;

	if (tracefs_file("available_filter_functions", path, sizeof(path)))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0)
		found = !strncmp(line, name, n) &&
			(line[n] == '\n' || line[n] == ' ' || !line[n]);
	free(line);
	fclose(f);
	return found;
}

/* which of names[] /proc/kallsyms lists; -errno when it is unreadable */
static int kallsyms_has(const char *const *names, bool *found, int n)
{
	char line[512], sym[256];
	FILE *f = fopen("/proc/kallsyms", "re");
	int i;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*c %255s", sym) != 1)
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(sym, names[i]))
				found[i] = true;
	}
	fclose(f);
	return 0;
}

static bool kernel_has_kprobes(void)
{
	return pmu_type("kprobe") >= 0 || tracefs_has("kprobe_events");
}

static int no_kprobes(const struct bb_attach_req *req, const char *instead)
{
	return bb_err(EOPNOTSUPP, "%s: this kernel has no kprobes (CONFIG_KPROBES is off: no kprobe PMU in " PMU_DIR " and no kprobe_events in tracefs); use %s instead",
		      req->target, instead);
}

/* words for a kprobe the kernel refused */
static int kprobe_failed(const struct bb_attach_req *req, const char *func,
			 int err)
{
	const char *names[] = { func };
	bool in_kallsyms = false;

	if (!in_filter_functions(func) &&
	    !kallsyms_has(names, &in_kallsyms, 1) && !in_kallsyms)
		return bb_err(ENOENT, "%s: no kernel function %s (it is not in available_filter_functions or /proc/kallsyms)",
			      req->target, func);
	return bb_err(err, "%s: the kernel refused a kprobe on %s: %s (the function may be inlined, notrace or on the kprobes blacklist: see %s in tracefs)",
		      req->target, func, strerror(-err),
		      in_filter_functions(func) ? "kprobes/blacklist" :
		      "available_filter_functions and kprobes/blacklist");
}

/* FUNC or FUNC+OFF */
static int parse_kfunc(const struct bb_attach_req *req, char *func,
		       size_t len, uint64_t *off)
{
	const char *arg = req->arg, *plus;
	size_t n;
	char *end;

	if (!arg || !*arg)
		return bb_err(EINVAL, "%s: no kernel function named: want kprobe/FUNCTION[+OFFSET]",
			      req->target);
	plus = strchr(arg, '+');
	n = plus ? (size_t)(plus - arg) : strlen(arg);
	if (!n || n >= len)
		return bb_err(EINVAL, "%s: bad function name", req->target);
	memcpy(func, arg, n);
	func[n] = '\0';
	*off = 0;
	if (!plus)
		return 0;
	errno = 0;
	*off = strtoull(plus + 1, &end, 0);
	if (errno || end == plus + 1 || *end)
		return bb_err(EINVAL, "%s: bad offset '%s' (want FUNCTION+0x10)",
			      req->target, plus + 1);
	if (req->retprobe && *off)
		return bb_err(EINVAL, "%s: a return probe takes no offset: it fires when the function returns",
			      req->target);
	return 0;
}

static int attach_kfunc(const struct bb_attach_req *req, const char *func,
			uint64_t off, const char *desc,
			struct bpfbox_link **out)
{
	struct probe p = {
		.pmu = "kprobe", .events_file = "kprobe_events",
		.group = "kprobes", .name = func, .off = off,
		.retprobe = req->retprobe, .pid = -1, .cpu = 0,
	};
	struct bpfbox_link *link;
	bool worded;
	int err;

	if (req->opts->force_legacy && !tracefs_has("kprobe_events"))
		return bb_err(EOPNOTSUPP, "%s: no kprobe_events in tracefs for a legacy kprobe",
			      req->target);
	link = bb_link_new("%s", desc);
	if (!link)
		return bb_err(ENOMEM, "%s: out of memory", req->target);
	err = attach_probe(req, &p, link, &worded);
	if (err) {
		if (!worded)
			err = kprobe_failed(req, func, err);
		bpfbox_link_destroy(link);
		return err;
	}
	*out = link;
	return 0;
}

int bb_attach_kprobe(const struct bb_attach_req *req,
		     struct bpfbox_link **out)
{
	char func[256], kind[32], desc[320];
	uint64_t off = 0;
	int err;

	if (!kernel_has_kprobes())
		return no_kprobes(req, "a tracepoint (tp/...) or fentry");
	if (req->def->expected_attach_type == BPF_TRACE_KPROBE_MULTI)
		return bb_err(EOPNOTSUPP, "%s: kprobe.multi attachment is not supported by bpfbox yet; use one kprobe/FUNCTION per function",
			      req->target);
	err = parse_kfunc(req, func, sizeof(func), &off);
	if (err)
		return err;
	kind_of(req, kind, sizeof(kind));
	snprintf(desc, sizeof(desc), "%s %s", kind, req->arg);
	return attach_kfunc(req, func, off, desc, out);
}

/*
 * With CONFIG_ARCH_HAS_SYSCALL_WRAPPER (x86_64 since 4.17, arm64 since
 * 4.19, ...) sys_NAME is __<arch>_sys_NAME, taking the user's pt_regs;
 * before that, or elsewhere, it is sys_NAME. libbpf decides the same way.
 */
#if defined(__x86_64__)
#define SYS_PREFIX	"__x64_sys_"
#elif defined(__aarch64__)
#define SYS_PREFIX	"__arm64_sys_"
#elif defined(__s390x__)
#define SYS_PREFIX	"__s390x_sys_"
#elif defined(__riscv)
#define SYS_PREFIX	"__riscv_sys_"
#elif defined(__powerpc64__)
#define SYS_PREFIX	"sys_"	/* wrapper and plain share the name */
#else
#define SYS_PREFIX	"sys_"
#endif

static int syscall_func(const struct bb_attach_req *req, char *func,
			size_t len)
{
	char wrapped[256], plain[256];
	const char *names[] = { wrapped, plain };
	bool found[2] = { false, false };
	int err;

	if (!req->arg || !*req->arg || strchr(req->arg, '/'))
		return bb_err(EINVAL, "%s: want ksyscall/NAME (a system call, e.g. ksyscall/openat)",
			      req->target);
	if (snprintf(wrapped, sizeof(wrapped), SYS_PREFIX "%s", req->arg) >=
	    (int)sizeof(wrapped))
		return bb_err(ENAMETOOLONG, "%s: name too long", req->target);
	snprintf(plain, sizeof(plain), "sys_%s", req->arg);
	err = kallsyms_has(names, found, 2);
	if (err) {
		/* no kallsyms: assume the wrapper every kernel since
		 * 4.17 has on this architecture */
		snprintf(func, len, "%s", wrapped);
		return 0;
	}
	if (!found[0] && !found[1])
		return bb_err(ENOENT, "%s: no system call %s in this kernel (neither %s nor %s in /proc/kallsyms)",
			      req->target, req->arg, wrapped, plain);
	snprintf(func, len, "%s", found[0] ? wrapped : plain);
	return 0;
}

int bb_attach_ksyscall(const struct bb_attach_req *req,
		       struct bpfbox_link **out)
{
	char func[256], kind[32], desc[600], instead[300];
	int err;

	if (!kernel_has_kprobes()) {
		snprintf(instead, sizeof(instead),
			 "a tracepoint (tp/syscalls/sys_%s_%s)",
			 req->retprobe ? "exit" : "enter",
			 req->arg && *req->arg ? req->arg : "NAME");
		return no_kprobes(req, instead);
	}
	err = syscall_func(req, func, sizeof(func));
	if (err)
		return err;
	kind_of(req, kind, sizeof(kind));
	snprintf(desc, sizeof(desc), "%s %s (%s)", kind, req->arg, func);
	return attach_kfunc(req, func, 0, desc, out);
}

/* ------------------------------------------------------------------ */
/* User functions                                                      */

static int uprobe_failed(const char *kind, const struct bb_attach_req *req,
			 const char *path, uint64_t off, int err)
{
	if (err == -EINVAL && strchr(path, ' ') && req->opts->force_legacy)
		return bb_err(err, "%s %s: uprobe_events cannot name a path with a space (%s)",
			      kind, req->arg, path);
	return bb_err(err, "%s %s: the kernel refused a uprobe on %s at offset 0x%llx: %s%s",
		      kind, req->arg, path, (ull)off, strerror(-err),
		      err == -EINVAL ? " (is the offset inside the file, on an instruction?)" :
		      err == -ESRCH ? " (no such process for the pid filter)" : "");
}

int bb_attach_uprobe(const struct bb_attach_req *req,
		     struct bpfbox_link **out)
{
	struct probe p = {
		.pmu = "uprobe", .events_file = "uprobe_events",
		.group = "uprobes", .retprobe = req->retprobe,
	};
	char kind[32], path[PATH_MAX];
	const char *colon;
	struct bpfbox_link *link;
	bool worded;
	uint64_t off;
	int err;

	kind_of(req, kind, sizeof(kind));
	err = bb_uprobe_resolve(kind, req->arg, path, sizeof(path), &off);
	if (err)
		return err;
	if (pmu_type("uprobe") < 0 && !tracefs_has("uprobe_events"))
		return bb_err(EOPNOTSUPP, "%s %s: this kernel has no uprobes (CONFIG_UPROBE_EVENTS is off: no uprobe PMU in " PMU_DIR " and no uprobe_events in tracefs)",
			      kind, req->arg);
	if (req->opts->force_legacy && !tracefs_has("uprobe_events"))
		return bb_err(EOPNOTSUPP, "%s %s: no uprobe_events in tracefs for a legacy uprobe",
			      kind, req->arg);
	p.name = path;
	p.off = off;
	p.pid = req->opts->pid > 0 ? req->opts->pid : -1;
	/* a process-wide event follows the process on every CPU; an
	 * every-process one is opened once, on CPU 0, and still fires on all */
	p.cpu = p.pid == -1 ? 0 : -1;
	colon = strrchr(req->arg, ':');
	link = bb_link_new("%s %s%s", kind, path, colon ? colon : "");
	if (!link)
		return bb_err(ENOMEM, "%s %s: out of memory", kind, req->arg);
	err = attach_probe(req, &p, link, &worded);
	if (err) {
		if (!worded)
			err = uprobe_failed(kind, req, path, off, err);
		bpfbox_link_destroy(link);
		return err;
	}
	*out = link;
	return 0;
}
