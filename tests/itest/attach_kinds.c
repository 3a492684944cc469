// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every attach kind of libbpfbox against the running kernel (root):
 * attach (from SEC() with bpfbox_object_attach/bpfbox_prog_attach, and
 * by hand with bpfbox_prog_attach_to/bpfbox_attach_fd), trigger, check
 * the program's counter, destroy, and check the kernel forgot the link
 * and, after close, the programs.
 *
 *   attach_kinds [PROGS_DIR]      (or $BB_PROGS_DIR; default build/progs)
 *
 * Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" per assertion
 * and "fired KIND" for every kind whose program ran, which the VM matrix
 * collects across kernels. $BB_EXPECT_FIRE (e.g. "fentry,fexit,lsm")
 * names kinds that must fire on this kernel: for them a refusal FAILs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "bpfbox.h"
#include "itest.h"
#include "../progs/attach_kinds.h"

static const char *progs_dir;
static pid_t self;

/* ids of everything this test made, checked gone at the end */
static uint32_t prog_ids[64], link_ids[64];
static size_t nprog_ids, nlink_ids;

static bool expect_fire(const char *kind)
{
	const char *list = getenv("BB_EXPECT_FIRE");
	size_t n = strlen(kind);
	const char *p;

	for (p = list; p && (p = strstr(p, kind)); p += n)
		if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* kernel ids                                                           */

static uint32_t fd_id(int fd, bool is_link)
{
	struct bpf_link_info li;
	struct bpf_prog_info pi;
	uint32_t len;

	if (fd < 0)
		return 0;
	if (is_link) {
		memset(&li, 0, sizeof(li));
		len = sizeof(li);
		return bpfbox_obj_get_info_by_fd(fd, &li, &len) ? 0 : li.id;
	}
	memset(&pi, 0, sizeof(pi));
	len = sizeof(pi);
	return bpfbox_obj_get_info_by_fd(fd, &pi, &len) ? 0 : pi.id;
}

static bool id_exists(uint32_t id, bool is_link)
{
	uint32_t cur = 0, next;

	for (;;) {
		int err = is_link ? bpfbox_link_get_next_id(cur, &next) :
				    bpfbox_prog_get_next_id(cur, &next);
		if (err)
			return false;
		if (next == id)
			return true;
		cur = next;
	}
}

/* the kernel frees links and programs from a work queue: wait a bit */
static bool id_gone(uint32_t id, bool is_link)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (!id_exists(id, is_link))
			return true;
		usleep(10000);
	}
	return false;
}

/* the BPF link id of a bpfbox link (0 when it has none, e.g. ioctl) */
static uint32_t link_id(const struct bpfbox_link *link)
{
	uint32_t id = fd_id(bpfbox_link_fd(link), true);

	if (id && nlink_ids < 64)
		link_ids[nlink_ids++] = id;
	return id;
}

/* destroy and check the kernel forgot the link */
static void destroy_checked(struct bpfbox_link *link, const char *what)
{
	char msg[256];
	uint32_t id = link_id(link);

	bpfbox_link_destroy(link);
	if (!id)
		return;
	snprintf(msg, sizeof(msg), "%s: link gone after destroy", what);
	check(id_gone(id, true), msg, "the kernel still lists the link id");
}

/* ------------------------------------------------------------------ */
/* objects                                                              */

struct obj {
	struct bpfbox_object *obj;
	struct bpfbox_map *bss;
};

static struct bpfbox_map *find_bss(struct bpfbox_object *obj)
{
	size_t i;

	for (i = 0; i < bpfbox_object_map_count(obj); i++) {
		struct bpfbox_map *m = bpfbox_object_map(obj, i);
		const char *sec = bpfbox_map_section(m);

		if (sec && !strcmp(sec, ".bss"))
			return m;
	}
	return NULL;
}

static int counters_get(struct obj *o, struct bb_attach_counters *c)
{
	uint32_t zero = 0;
	char buf[4096];

	if (bpfbox_map_value_size(o->bss) < sizeof(*c) ||
	    bpfbox_map_value_size(o->bss) > sizeof(buf))
		return -EINVAL;
	if (bpfbox_map_lookup_elem(bpfbox_map_fd(o->bss), &zero, buf))
		return -errno;
	memcpy(c, buf, sizeof(*c));
	return 0;
}

static struct bb_attach_counters counters(struct obj *o)
{
	struct bb_attach_counters c;

	memset(&c, 0, sizeof(c));
	if (counters_get(o, &c))
		fail("read counters", "%s", strerror(errno));
	return c;
}

/* open FILE from the progs dir; load it unless load is false */
static int obj_open(const char *file, struct obj *o, bool load)
{
	char path[1024];
	int err;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/%s", progs_dir, file);
	err = bpfbox_object_open_file(path, NULL, &o->obj);
	if (err)
		return err;
	if (!load)
		return 0;
	return bpfbox_object_load(o->obj, NULL);
}

/* after load: count this process, remember the programs' ids */
static int obj_ready(struct obj *o)
{
	char buf[4096] = { 0 };
	struct bb_attach_counters *c = (void *)buf;
	uint32_t zero = 0;
	size_t i;

	o->bss = find_bss(o->obj);
	if (!o->bss || bpfbox_map_value_size(o->bss) < sizeof(*c) ||
	    bpfbox_map_value_size(o->bss) > sizeof(buf))
		return -EINVAL;
	c->target_tgid = self;
	if (bpfbox_map_update_elem(bpfbox_map_fd(o->bss), &zero, buf, 0))
		return -errno;
	for (i = 0; i < bpfbox_object_prog_count(o->obj); i++) {
		uint32_t id = fd_id(bpfbox_prog_fd(bpfbox_object_prog(o->obj, i)),
				    false);

		if (id && nprog_ids < 64)
			prog_ids[nprog_ids++] = id;
	}
	return 0;
}

static struct bpfbox_prog *prog(struct obj *o, const char *name)
{
	struct bpfbox_prog *p = bpfbox_object_find_prog(o->obj, name);

	if (!p) {
		fprintf(stderr, "no program %s in the object\n", name);
		exit(2);
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* triggers                                                             */

static void getppid_n(int n)
{
	while (n--)
		syscall(SYS_getppid);
}

/* written so the busy loop is not optimised away */
static volatile unsigned long sink;

static void busy_ms(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		for (int i = 0; i < 100000; i++)
			sink += i;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 +
		 (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static bool oneliner(const char *msg)
{
	return !strchr(msg, '\n');
}

/* ------------------------------------------------------------------ */
/* SEC()-driven attach of a whole object                                */

static void test_iter_read(struct obj *o, struct bpfbox_link *link)
{
	char comm[32] = "", want[96], *buf;
	size_t len = 0, cap = 1 << 20;
	ssize_t n;
	int fd, cfd;

	buf = malloc(cap);
	if (!buf)
		return;
	cfd = open("/proc/self/comm", O_RDONLY);
	if (cfd >= 0) {
		n = read(cfd, comm, sizeof(comm) - 1);
		comm[n > 0 ? n : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		close(cfd);
	}
	fd = bpfbox_iter_create(link);
	if (fd < 0) {
		fail("iter/task: iterator created", "%s", bpfbox_errmsg());
		free(buf);
		return;
	}
	while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
	snprintf(want, sizeof(want), "%d %d %s\n", self, self, comm);
	if (check(strstr(buf, want), "iter/task: this process listed as pid tgid comm",
		  "its line is missing from the iterator output"))
		fired("iter");
	check(counters(o).iter_tasks > 1, "iter/task: counted more than one task",
	      "iter_tasks <= 1");
	free(buf);
}

static void test_object_attach(void)
{
	static const char *const autos[] = {
		"tp_getppid", "raw_enter", "btf_enter", "iter_tasks_print",
	};
	static const char *const manuals[] = {
		"tp_manual", "sample", "sock_count",
	};
	struct bb_attach_counters c0, c1, c2;
	uint32_t ids[4] = { 0 };
	struct obj o;
	size_t i;
	int err;

	err = obj_open("attach_kinds.bpf.o", &o, true);
	if (!err)
		err = obj_ready(&o);
	if (err) {
		fail("attach_kinds.bpf.o loads", "%s", bpfbox_errmsg());
		bpfbox_object_close(o.obj);
		return;
	}
	err = bpfbox_object_attach(o.obj);
	if (!check(!err, "object attach: every program with a target",
		   bpfbox_errmsg()))
		goto out;
	for (i = 0; i < 4; i++) {
		struct bpfbox_link *l = bpfbox_prog_link(prog(&o, autos[i]));
		char what[128];

		snprintf(what, sizeof(what), "object attach: %s has a link (%s)",
			 autos[i], l ? bpfbox_link_describe(l) : "none");
		check(l, what, "bpfbox_prog_link() is NULL");
		ids[i] = l ? link_id(l) : 0;
	}
	for (i = 0; i < 3; i++) {
		char what[128];

		snprintf(what, sizeof(what), "object attach: %s (no target) left alone",
			 manuals[i]);
		check(!bpfbox_prog_link(prog(&o, manuals[i])), what,
		      "it was attached");
	}
	c0 = counters(&o);
	getppid_n(5);
	c1 = counters(&o);
	if (check(c1.tp_hits - c0.tp_hits >= 5, "tp/syscalls/sys_enter_getppid fires",
		  "fewer than 5 hits for 5 getppid calls"))
		fired("tp");
	if (check(c1.raw_tp_hits - c0.raw_tp_hits >= 5, "raw_tp/sys_enter fires",
		  "fewer than 5 hits for 5 getppid calls"))
		fired("raw_tp");
	if (check(c1.tp_btf_hits - c0.tp_btf_hits >= 5, "tp_btf/sys_enter fires",
		  "fewer than 5 hits for 5 getppid calls"))
		fired("tp_btf");
	check(c1.tp_any_hits == 0, "unattached tracepoint program stays silent",
	      "tp_any_hits moved");
	test_iter_read(&o, bpfbox_prog_link(prog(&o, "iter_tasks_print")));

	bpfbox_object_detach(o.obj);
	for (i = 0; i < 4; i++) {
		char what[128];

		snprintf(what, sizeof(what), "object detach: %s link gone", autos[i]);
		if (ids[i])
			check(id_gone(ids[i], true), what, "the kernel still lists it");
		check(!bpfbox_prog_link(prog(&o, autos[i])),
		      "object detach: bpfbox_prog_link() is NULL after", autos[i]);
	}
	getppid_n(5);
	c2 = counters(&o);
	check(c2.tp_hits == c1.tp_hits && c2.raw_tp_hits == c1.raw_tp_hits &&
	      c2.tp_btf_hits == c1.tp_btf_hits,
	      "object detach: counters stop", "a detached program still ran");

	/* close with links alive must detach too */
	err = bpfbox_object_attach(o.obj);
	check(!err, "object attach again after detach", bpfbox_errmsg());
	for (i = 0; i < 4; i++)
		ids[i] = link_id(bpfbox_prog_link(prog(&o, autos[i])));
out:
	bpfbox_object_close(o.obj);
	for (i = 0; i < 4; i++)
		if (ids[i] && !id_gone(ids[i], true))
			fail("object close: links gone", "link id %u still listed",
			     ids[i]);
}

/* ------------------------------------------------------------------ */
/* by hand: bpfbox_prog_attach_to, bpfbox_attach_fd, options, errors     */

static void test_tp_by_hand(struct obj *o)
{
	static const char *const targets[] = {
		"tp/syscalls/sys_enter_getppid",
		"tracepoint/syscalls/sys_enter_getppid",
	};
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct bpfbox_prog *p = prog(o, "tp_manual");
	struct bb_attach_counters c0, c1;
	struct bpfbox_link *link;
	char what[160];
	size_t i;
	int err;

	for (i = 0; i < 3; i++) {
		const char *t = targets[i % 2];

		opts.force_ioctl = i == 2;
		snprintf(what, sizeof(what), "attach_to %s%s", t,
			 opts.force_ioctl ? " (ioctl path)" : "");
		err = bpfbox_prog_attach_to(p, t, &opts, &link);
		if (!check(!err, what, bpfbox_errmsg()))
			continue;
		c0 = counters(o);
		getppid_n(3);
		c1 = counters(o);
		snprintf(what, sizeof(what), "attach_to %s%s fires", t,
			 opts.force_ioctl ? " (ioctl path)" : "");
		check(c1.tp_any_hits - c0.tp_any_hits >= 3, what,
		      "fewer than 3 hits for 3 getppid calls");
		destroy_checked(link, what);
		getppid_n(3);
		snprintf(what, sizeof(what), "%s%s: silent after destroy", t,
			 opts.force_ioctl ? " (ioctl path)" : "");
		check(counters(o).tp_any_hits == c1.tp_any_hits, what,
		      "it still ran");
	}
	err = bpfbox_prog_attach(p, NULL, &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "names no target") &&
	      strstr(bpfbox_errmsg(), "bpfbox_prog_attach_to"),
	      "SEC(\"tracepoint\") alone: attach says it names no target",
	      bpfbox_errmsg());
}

static void test_attach_fd(struct obj *o)
{
	static const struct { const char *prog, *target; } cases[] = {
		{ "raw_enter", "raw_tp/sys_enter" },
		{ "raw_enter", "raw_tracepoint/sys_enter" },
		{ "btf_enter", "tp_btf/sys_enter" },
		{ "tp_manual", "tp/syscalls/sys_enter_getppid" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bb_attach_counters c0, c1;
		struct bpfbox_link *link;
		uint32_t id;
		char what[160];
		int fd, err;
		uint64_t d;

		/* an fd of the program as another process would get it */
		id = fd_id(bpfbox_prog_fd(prog(o, cases[i].prog)), false);
		fd = bpfbox_prog_get_fd_by_id(id);
		snprintf(what, sizeof(what), "attach_fd %s (prog id %u) to %s",
			 cases[i].prog, id, cases[i].target);
		if (fd < 0) {
			fail(what, "prog_get_fd_by_id: %s", strerror(-fd));
			continue;
		}
		err = bpfbox_attach_fd(fd, cases[i].target, NULL, &link);
		if (!check(!err, what, bpfbox_errmsg())) {
			close(fd);
			continue;
		}
		c0 = counters(o);
		getppid_n(3);
		c1 = counters(o);
		d = c1.raw_tp_hits - c0.raw_tp_hits + c1.tp_btf_hits -
		    c0.tp_btf_hits + c1.tp_any_hits - c0.tp_any_hits;
		snprintf(what, sizeof(what), "attach_fd %s fires", cases[i].target);
		check(d >= 3, what, "fewer than 3 hits for 3 getppid calls");
		destroy_checked(link, what);
		close(fd);
	}
}

/* one-line errors that name the target, the reason and what to try */
static void test_errors(struct obj *o)
{
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct bpfbox_link *link = (void *)1;
	const char *m;
	int err;

	err = bpfbox_prog_attach_to(prog(o, "sample"), "tp/sched/sched_switch",
				    NULL, &link);
	m = bpfbox_errmsg();
	check(err == -EINVAL && !link &&
	      strstr(m, "program sample (perf_event) cannot attach to tp/sched/sched_switch: a tracepoint target needs a tracepoint program"),
	      "wrong kind: perf_event program to a tracepoint refused", m);

	err = bpfbox_prog_attach_to(prog(o, "tp_manual"), "tp/sched/nope", NULL,
				    &link);
	m = bpfbox_errmsg();
	check(err == -ENOENT && oneliner(m) &&
	      strstr(m, "tracepoint sched/nope: no such tracepoint in ") &&
	      strstr(m, "/events (see ") && strstr(m, "available_events"),
	      "unknown tracepoint: one-line error naming it", m);

	err = bpfbox_prog_attach_to(prog(o, "tp_manual"), "tp/sched", NULL,
				    &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "CATEGORY/NAME"),
	      "tp/sched (no event): error says CATEGORY/NAME", bpfbox_errmsg());

	err = bpfbox_prog_attach_to(prog(o, "raw_enter"), "raw_tp/no_such_tp_x",
				    NULL, &link);
	m = bpfbox_errmsg();
	check(err == -ENOENT && oneliner(m) && strstr(m, "raw_tp no_such_tp_x"),
	      "unknown raw tracepoint: one-line error naming it", m);

	err = bpfbox_prog_attach_to(prog(o, "btf_enter"), "tp_btf/sys_exit",
				    NULL, &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "fixed when it was loaded"),
	      "tp_btf: another target than the loaded one refused",
	      bpfbox_errmsg());

	err = bpfbox_prog_attach_to(prog(o, "btf_enter"), "fentry/sys_enter",
				    NULL, &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "cannot attach to fentry/sys_enter"),
	      "tp_btf program to an fentry target refused", bpfbox_errmsg());

	err = bpfbox_prog_attach_to(prog(o, "tp_manual"), "bogus/x", NULL,
				    &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "bogus/x: unknown attach target"),
	      "unknown target kind refused", bpfbox_errmsg());

	err = bpfbox_prog_attach(prog(o, "sock_count"), NULL, &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "needs a socket"),
	      "socket filter without a socket refused", bpfbox_errmsg());

	err = bpfbox_prog_attach_to(prog(o, "sample"), "perf_event/bogus",
				    NULL, &link);
	check(err == -EINVAL && strstr(bpfbox_errmsg(), "cpu-clock"),
	      "unknown perf event refused with the list", bpfbox_errmsg());

	opts.pid = 0x7ffffff0;
	err = bpfbox_prog_attach_to(prog(o, "sample"), "perf_event/cpu-clock",
				    &opts, &link);
	check(err == -ESRCH && strstr(bpfbox_errmsg(), "no process"),
	      "perf_event for a missing pid refused", bpfbox_errmsg());

	err = bpfbox_attach_fd(bpfbox_map_fd(o->bss), "raw_tp/sys_enter", NULL,
			       &link);
	check(err < 0 && strstr(bpfbox_errmsg(), "not a BPF program"),
	      "attach_fd of a map fd refused", bpfbox_errmsg());
}

/* ------------------------------------------------------------------ */
/* perf_event                                                           */

static void test_perf(struct obj *o)
{
	static const char *const events[] = {
		NULL, "perf_event/task-clock", "perf_event/cycles",
	};
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct bb_attach_counters c0, c1;
		struct bpfbox_link *link;
		char what[160];
		int err;

		opts.pid = i == 1 ? self : 0;
		opts.sample_freq = i == 0 ? 0 : 499;
		snprintf(what, sizeof(what), "perf_event %s%s", events[i] ?
			 events[i] : "from SEC (cpu-clock 99 Hz, every CPU)",
			 opts.pid ? " of this pid" : "");
		if (events[i])
			err = bpfbox_prog_attach_to(prog(o, "sample"), events[i],
						    &opts, &link);
		else
			err = bpfbox_prog_attach(prog(o, "sample"), &opts, &link);
		if (err && i == 2 && strstr(bpfbox_errmsg(), "no hardware counter")) {
			skip(what, "%s", bpfbox_errmsg());
			continue;
		}
		if (!check(!err, what, bpfbox_errmsg()))
			continue;
		c0 = counters(o);
		busy_ms(i == 0 ? 300 : 150);
		c1 = counters(o);
		strcat(what, " fires");
		if (check(c1.perf_hits > c0.perf_hits, what, "no sample of this process"))
			fired("perf_event");
		destroy_checked(link, what);
	}
}

/* ------------------------------------------------------------------ */
/* socket filter                                                        */

static int udp_pair(int *rx, int *tx, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);

	*rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (*rx < 0 || *tx < 0 ||
	    bind(*rx, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(*rx, (struct sockaddr *)addr, &len))
		return -errno;
	return 0;
}

static int udp_exchange(int rx, int tx, const struct sockaddr_in *addr, int n)
{
	char buf[64];
	int got = 0;

	while (n--) {
		if (sendto(tx, "bpfbox", 6, 0, (const struct sockaddr *)addr,
			   sizeof(*addr)) != 6)
			return -errno;
		if (recv(rx, buf, sizeof(buf), MSG_DONTWAIT) == 6)
			got++;
	}
	return got;
}

static void test_socket(struct obj *o)
{
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct bb_attach_counters c0, c1, c2;
	struct bpfbox_link *link;
	struct sockaddr_in addr;
	int rx = -1, tx = -1, err, got;

	err = udp_pair(&rx, &tx, &addr);
	if (err) {
		skip("socket filter", "no UDP on loopback: %s", strerror(-err));
		goto out;
	}
	opts.sock_fd = rx;
	err = bpfbox_prog_attach(prog(o, "sock_count"), &opts, &link);
	if (!check(!err, "socket filter attached (SO_ATTACH_BPF)", bpfbox_errmsg()))
		goto out;
	c0 = counters(o);
	got = udp_exchange(rx, tx, &addr, 3);
	c1 = counters(o);
	check(got == 3, "socket filter keeps the packets", "fewer than 3 received");
	if (check(c1.sock_hits - c0.sock_hits >= 3, "socket filter fires",
		  "fewer than 3 packets counted"))
		fired("socket");
	bpfbox_link_destroy(link);
	udp_exchange(rx, tx, &addr, 3);
	c2 = counters(o);
	check(c2.sock_hits == c1.sock_hits, "socket filter detached on destroy",
	      "it still counted packets");
out:
	if (rx >= 0)
		close(rx);
	if (tx >= 0)
		close(tx);
}

/* ------------------------------------------------------------------ */
/* pin + disconnect                                                     */

static void test_pin(struct obj *o)
{
	struct bb_attach_counters c0, c1, c2;
	struct bpfbox_link *link;
	char root[256], path[512];
	uint32_t id;
	int err;

	if (bpfbox_bpffs_path(root, sizeof(root))) {
		skip("link pin", "no bpffs: %s", bpfbox_errmsg());
		return;
	}
	snprintf(path, sizeof(path), "%s/bpfbox_attach_kinds_%d", root, self);
	err = bpfbox_prog_attach_to(prog(o, "raw_enter"), "raw_tp/sys_enter",
				    NULL, &link);
	if (!check(!err, "pin: raw_tp attached", bpfbox_errmsg()))
		return;
	id = link_id(link);
	err = bpfbox_link_pin(link, path);
	if (!check(!err, "pin: link pinned on bpffs", bpfbox_errmsg())) {
		bpfbox_link_destroy(link);
		return;
	}
	bpfbox_link_disconnect(link);
	bpfbox_link_destroy(link);
	c0 = counters(o);
	getppid_n(3);
	c1 = counters(o);
	check(id && id_exists(id, true), "pin: link outlives its destroyed handle",
	      "the link id is gone");
	check(c1.raw_tp_hits - c0.raw_tp_hits >= 3,
	      "pin: program still fires after disconnect+destroy",
	      "no hits");
	unlink(path);
	check(id_gone(id, true), "pin: link gone once the pin is removed",
	      "the link id is still listed");
	getppid_n(3);
	c2 = counters(o);
	check(c2.raw_tp_hits == c1.raw_tp_hits, "pin: program silent after unpin",
	      "it still ran");
}

static void test_by_hand(void)
{
	struct obj o;
	int err;

	err = obj_open("attach_kinds.bpf.o", &o, true);
	if (!err)
		err = obj_ready(&o);
	if (err) {
		fail("attach_kinds.bpf.o loads (by hand)", "%s", bpfbox_errmsg());
		bpfbox_object_close(o.obj);
		return;
	}
	test_tp_by_hand(&o);
	test_attach_fd(&o);
	test_errors(&o);
	test_perf(&o);
	test_socket(&o);
	test_pin(&o);
	bpfbox_object_close(o.obj);
}

/* ------------------------------------------------------------------ */
/* trampolines: fentry/fexit, lsm                                       */

/* is bpf among the active LSMs? 1 yes, 0 no, -1 unknown */
static int bpf_lsm_active(void)
{
	char dir[] = "/tmp/bbsecfs.XXXXXX", path[64], buf[512];
	const char *file = "/sys/kernel/security/lsm";
	bool mounted = false;
	int fd, ret = -1;
	ssize_t n;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && mkdtemp(dir)) {
		/* securityfs not mounted: look through a private mount */
		if (!mount("securityfs", dir, "securityfs", 0, NULL)) {
			mounted = true;
			snprintf(path, sizeof(path), "%s/lsm", dir);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			ret = strstr(buf, "bpf") != NULL;
		}
	}
	if (mounted)
		umount(dir);
	rmdir(dir);
	return ret;
}

/*
 * A refusal must name the target and the reason; it is only "ok" when
 * this kernel is not expected to run the kind. Refused at attach (by
 * bpfbox's attach code), it must be one line with the errno's name;
 * refused at load, the loader's message names the section and says
 * why (trampolines).
 */
static void refused(const char *kind, const char *target, bool at_load,
		    const char *msg)
{
	char what[128], copy[2048];

	snprintf(what, sizeof(what), "%s refused with a clear error (at %s)",
		 kind, at_load ? "load" : "attach");
	snprintf(copy, sizeof(copy), "%s", msg);
	itest_oneline(copy);
	if (expect_fire(kind)) {
		fail(what, "this kernel must run %s programs: %s", kind, copy);
		return;
	}
	if (at_load)
		check(strstr(msg, target) && strstr(msg, "not permitted") &&
		      strstr(msg, "trampolines"), what, copy);
	else
		check(oneliner(msg) && strstr(msg, target) &&
		      strstr(msg, "EPERM") && strstr(msg, "try "), what, copy);
	printf("# %s\n", copy);
}

/* load one program of an object (the others' autoload off) */
static int obj_open_only(const char *file, const char *name, struct obj *o)
{
	size_t i;
	int err;

	err = obj_open(file, o, false);
	for (i = 0; !err && i < bpfbox_object_prog_count(o->obj); i++) {
		struct bpfbox_prog *p = bpfbox_object_prog(o->obj, i);

		if (strcmp(bpfbox_prog_name(p), name))
			err = bpfbox_prog_set_autoload(p, false);
	}
	if (!err)
		err = bpfbox_object_load(o->obj, NULL);
	return err;
}

/*
 * One trampoline program: load it alone, attach from its SEC(), run
 * trigger, expect its counter to move. A refusal at load or attach is
 * checked for a clear message instead.
 */
static void test_trampoline(const char *file, const char *kind,
			    const char *name, const char *sec,
			    void (*trigger)(void), size_t counter_off)
{
	struct bb_attach_counters c0, c1;
	char what[128];
	uint64_t a, b;
	struct obj o;
	int err;

	err = obj_open_only(file, name, &o);
	if (err == -EPERM) {
		/* kernels that refuse trampolines refuse the load already */
		refused(kind, sec, true, bpfbox_errmsg());
		goto out;
	}
	if (!err)
		err = obj_ready(&o);
	snprintf(what, sizeof(what), "%s loads", sec);
	if (!check(!err, what, bpfbox_errmsg()))
		goto out;
	err = bpfbox_object_attach(o.obj);
	if (err == -EPERM) {
		refused(kind, sec, false, bpfbox_errmsg());
		goto out;
	}
	snprintf(what, sizeof(what), "%s attached", sec);
	if (!check(!err, what, bpfbox_errmsg()))
		goto out;
	c0 = counters(&o);
	trigger();
	c1 = counters(&o);
	memcpy(&a, (char *)&c0 + counter_off, sizeof(a));
	memcpy(&b, (char *)&c1 + counter_off, sizeof(b));
	snprintf(what, sizeof(what), "%s fires", sec);
	if (check(b - a >= 2, what, "fewer than 2 hits for 2 events"))
		fired(kind);
	if (!strcmp(kind, "fexit"))
		check(c1.fexit_ret == -ENOENT, "fexit sees the return value -ENOENT",
		      "another value");
out:
	bpfbox_object_close(o.obj);
}

static void unlink_twice(void)
{
	unlink("/nonexistent/bpfbox-attach-kinds");
	unlink("/nonexistent/bpfbox-attach-kinds");
}

static void open_twice(void)
{
	int i, fd;

	for (i = 0; i < 2; i++) {
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
}

static void test_trampolines(void)
{
	int lsm = bpf_lsm_active();

	test_trampoline("attach_fentry.bpf.o", "fentry", "unlink_entry",
			"fentry/do_unlinkat", unlink_twice,
			offsetof(struct bb_attach_counters, fentry_hits));
	test_trampoline("attach_fentry.bpf.o", "fexit", "unlink_exit",
			"fexit/do_unlinkat", unlink_twice,
			offsetof(struct bb_attach_counters, fexit_hits));
	if (lsm == 0) {
		skip("lsm/file_open", "bpf is not in this kernel's LSM list (/sys/kernel/security/lsm): its LSM programs cannot run");
		if (expect_fire("lsm"))
			fail("lsm fires", "expected, but bpf is not an active LSM");
		return;
	}
	if (lsm < 0)
		printf("# cannot read the LSM list (securityfs)\n");
	test_trampoline("attach_lsm.bpf.o", "lsm", "lsm_open",
			"lsm/file_open", open_twice,
			offsetof(struct bb_attach_counters, lsm_hits));
}

/* ------------------------------------------------------------------ */

static void test_all_gone(void)
{
	size_t i, left = 0;

	for (i = 0; i < nprog_ids; i++)
		left += !id_gone(prog_ids[i], false);
	check(nprog_ids && !left, "cleanup: every program id gone after close",
	      "programs still loaded");
	for (i = 0, left = 0; i < nlink_ids; i++)
		left += !id_gone(link_ids[i], true);
	check(!left, "cleanup: every link id gone", "links still listed");
}

int main(int argc, char **argv)
{
	progs_dir = argc > 1 ? argv[1] : getenv("BB_PROGS_DIR");
	if (!progs_dir)
		progs_dir = "build/progs";
	self = getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);

	test_object_attach();
	test_by_hand();
	test_trampolines();
	test_all_gone();
	return failures ? 1 : 0;
}
