// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kprobe/kretprobe, ksyscall/kretsyscall and uprobe/uretprobe against
 * the running kernel (root), through the PMU and through legacy tracefs
 * probes. Usage: attach_probes [PROGS_DIR] (else $BB_PROGS_DIR, else
 * build/progs); it loads probes.bpf.o from there.
 *
 * Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" per check and
 * "fired KIND" for each kind of probe seen firing; exits 1 if a check
 * failed. The VM matrix runs the same program on kernels with kprobes,
 * so nothing here assumes bash, a shared libc or this machine's kernel:
 * what cannot run says skip and why.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpfbox.h"
#include "itest.h"
#include "attach.h"
#include "uprobe_resolve.h"

enum {
	S_KPROBE, S_KRETPROBE, S_KSYSCALL, S_KRETSYSCALL, S_UPROBE,
	S_URETPROBE, S_MAX
};

static int cfg_fd, hits_fd, vals_fd;
static int p_kentry, p_kreturn, p_ksys, p_ksysret, p_uentry, p_ureturn;
static int p_usleep;
static struct bpfbox_prog *prog_uentry, *prog_kentry;
static char exe[PATH_MAX];

/* ------------------------------------------------------------------ */
/* The target functions: kept out of line and visible in .symtab       */

__attribute__((noinline, used)) long bb_probe_target(long a, long b)
{
	asm volatile("" ::: "memory");
	return a + b;
}

/* called through a volatile pointer so no call is folded away */
static long (*volatile target_fn)(long, long) = bb_probe_target;

/* ------------------------------------------------------------------ */

static uint64_t map_get(int fd, uint32_t key)
{
	uint64_t v = 0;

	bpfbox_map_lookup_elem(fd, &key, &v);
	return v;
}

/* zero the counters; count only process pid (0: every process) */
static void reset(int pid)
{
	uint32_t key, zero32 = 0, want = pid;
	uint64_t zero = 0;

	for (key = 0; key < S_MAX; key++) {
		bpfbox_map_update_elem(hits_fd, &key, &zero, BPF_ANY);
		bpfbox_map_update_elem(vals_fd, &key, &zero, BPF_ANY);
	}
	bpfbox_map_update_elem(cfg_fd, &zero32, &want, BPF_ANY);
}

/* what core's attach.c does for these kinds, by hand */
static int attach(int prog_fd, const char *target,
		  const struct bpfbox_attach_opts *opts,
		  struct bpfbox_link **link)
{
	static const struct bpfbox_attach_opts none = { .sz = sizeof(none) };
	const struct bb_secdef *def = bb_secdef_find(target);
	const char *slash = strchr(target, '/');
	struct bb_attach_req req = {
		.prog_fd = prog_fd,
		.prog_type = BPF_PROG_TYPE_KPROBE,
		.def = def,
		.target = target,
		.arg = slash ? slash + 1 : NULL,
		.opts = opts ? opts : &none,
	};

	*link = NULL;
	if (!def) {
		fprintf(stderr, "no secdef for %s\n", target);
		return -EINVAL;
	}
	req.retprobe = !strncmp(target, "kret", 4) ||
		       !strncmp(target, "uret", 4);
	switch (def->attach) {
	case BB_ATTACH_KPROBE:
		return bb_attach_kprobe(&req, link);
	case BB_ATTACH_KSYSCALL:
		return bb_attach_ksyscall(&req, link);
	case BB_ATTACH_UPROBE:
		return bb_attach_uprobe(&req, link);
	default:
		return -EINVAL;
	}
}

/* the whole of tracefs FILE, or "" */
static void read_events(const char *file, char *buf, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = 0;
	int fd;

	buf[0] = '\0';
	if (bpfbox_tracefs_path(dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

static bool have_events_file(const char *file)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];

	if (bpfbox_tracefs_path(dir, sizeof(dir)))
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return !access(path, F_OK);
}

static bool have_pmu(const char *pmu)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type",
		 pmu);
	return !access(path, F_OK);
}

/* does FILE still hold a probe of this process? */
static bool own_probes_left(const char *file)
{
	char buf[65536], mine[64];

	read_events(file, buf, sizeof(buf));
	snprintf(mine, sizeof(mine), "/bpfbox_%d_", (int)getpid());
	return strstr(buf, mine) != NULL;
}

/* a failed attach whose message must hold want, on one line */
static void expect_error(const char *what, int prog_fd, const char *target,
			 const struct bpfbox_attach_opts *opts, int want_err,
			 const char *want)
{
	struct bpfbox_link *link;
	int err = attach(prog_fd, target, opts, &link);
	const char *msg = bpfbox_errmsg();

	if (!err) {
		fail(what, "%s attached, expected an error", target);
		bpfbox_link_destroy(link);
		return;
	}
	checkf(err == want_err && strstr(msg, want) && !strchr(msg, '\n'),
	      what, "got %d (%s), want %d and one line with \"%s\"", err,
	      msg, want_err, want);
}

/* ------------------------------------------------------------------ */
/* Kernel probes                                                       */

static bool kernel_has_kprobes(void)
{
	return have_pmu("kprobe") || have_events_file("kprobe_events");
}

static void test_no_kprobes(void)
{
	struct bpfbox_attach_opts legacy = {
		.sz = sizeof(legacy), .force_legacy = true,
	};

	expect_error("kprobe without kprobes: one-line error", p_kentry,
		     "kprobe/do_unlinkat", NULL, -EOPNOTSUPP,
		     "kprobe/do_unlinkat: this kernel has no kprobes (CONFIG_KPROBES is off");
	expect_error("kretprobe without kprobes: one-line error", p_kreturn,
		     "kretprobe/do_unlinkat", NULL, -EOPNOTSUPP,
		     "kretprobe/do_unlinkat: this kernel has no kprobes");
	expect_error("legacy kprobe without kprobes: one-line error",
		     p_kentry, "kprobe/do_unlinkat", &legacy, -EOPNOTSUPP,
		     "use a tracepoint (tp/...) or fentry instead");
	expect_error("ksyscall without kprobes: one-line error", p_ksys,
		     "ksyscall/getpgid", NULL, -EOPNOTSUPP,
		     "ksyscall/getpgid: this kernel has no kprobes");
	expect_error("kretsyscall without kprobes: names the tracepoint",
		     p_ksysret, "kretsyscall/getpgid", NULL, -EOPNOTSUPP,
		     "tp/syscalls/sys_exit_getpgid");
	skip("kprobe/kretprobe/ksyscall firing",
	     "this kernel has no kprobes (CONFIG_KPROBES off); the VM matrix runs them");
}

static void unlink_missing(int n)
{
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/tmp/bpfbox-probes-none-%d",
		 (int)getpid());
	for (i = 0; i < n; i++)
		unlink(path);
}

static void test_kprobe(bool legacy)
{
	struct bpfbox_attach_opts opts = {
		.sz = sizeof(opts), .force_legacy = legacy,
	};
	struct bpfbox_link *entry = NULL, *ret = NULL;
	const char *mode = legacy ? "legacy" : "PMU";
	char what[128];
	uint64_t n, r;
	int err;

	if (!legacy && !have_pmu("kprobe")) {
		skip("kprobe via PMU", "no kprobe PMU (kernel before 4.17)");
		return;
	}
	if (legacy && !have_events_file("kprobe_events")) {
		skip("kprobe legacy", "no kprobe_events in tracefs");
		return;
	}
	reset(getpid());
	snprintf(what, sizeof(what), "kprobe/do_unlinkat attaches (%s)", mode);
	err = attach(p_kentry, "kprobe/do_unlinkat", &opts, &entry);
	if (!checkf(!err, what, "%s", bpfbox_errmsg()))
		goto out;
	snprintf(what, sizeof(what), "kretprobe/do_unlinkat attaches (%s)",
		 mode);
	err = attach(p_kreturn, "kretprobe/do_unlinkat", &opts, &ret);
	if (!checkf(!err, what, "%s", bpfbox_errmsg()))
		goto out;
	unlink_missing(3);
	n = map_get(hits_fd, S_KPROBE);
	snprintf(what, sizeof(what), "kprobe fired 3 times (%s)", mode);
	if (checkf(n == 3, what, "%llu hits", (unsigned long long)n))
		fired(legacy ? "kprobe-legacy" : "kprobe");
	snprintf(what, sizeof(what), "kprobe saw dfd AT_FDCWD (%s)", mode);
	checkf((int)map_get(vals_fd, S_KPROBE) == -100, what, "dfd %d",
	      (int)map_get(vals_fd, S_KPROBE));
	n = map_get(hits_fd, S_KRETPROBE);
	r = map_get(vals_fd, S_KRETPROBE);
	snprintf(what, sizeof(what), "kretprobe fired 3 times returning -ENOENT (%s)",
		 mode);
	/* an int return: the upper half of rax is not defined */
	if (checkf(n == 3 && (int)r == -ENOENT, what, "%llu hits, ret %d",
		  (unsigned long long)n, (int)r) && !legacy)
		fired("kretprobe");
	if (legacy) {
		snprintf(what, sizeof(what), "legacy kprobe is in kprobe_events while attached");
		checkf(own_probes_left("kprobe_events"), what,
		      "no bpfbox_%d_ entry", (int)getpid());
	}
out:
	bpfbox_link_destroy(entry);
	bpfbox_link_destroy(ret);
	reset(getpid());
	unlink_missing(2);
	snprintf(what, sizeof(what), "kprobe silent after destroy (%s)", mode);
	checkf(map_get(hits_fd, S_KPROBE) == 0 &&
	      map_get(hits_fd, S_KRETPROBE) == 0, what, "still fired");
	if (legacy)
		checkf(!own_probes_left("kprobe_events"),
		      "destroy removes the legacy kprobe_events entries",
		      "a bpfbox_%d_ entry is left", (int)getpid());
}

static void test_ksyscall(void)
{
	struct bpfbox_link *entry = NULL, *ret = NULL;
	pid_t pgid = getpgid(0);
	uint64_t n;
	int err, i;

	reset(getpid());
	err = attach(p_ksys, "ksyscall/getpgid", NULL, &entry);
	if (!checkf(!err, "ksyscall/getpgid attaches", "%s", bpfbox_errmsg()))
		goto out;
	ok(bpfbox_link_describe(entry));
	err = attach(p_ksysret, "kretsyscall/getpgid", NULL, &ret);
	if (!checkf(!err, "kretsyscall/getpgid attaches", "%s",
		   bpfbox_errmsg()))
		goto out;
	for (i = 0; i < 3; i++)
		syscall(SYS_getpgid, getpid());
	n = map_get(hits_fd, S_KSYSCALL);
	if (checkf(n == 3 && map_get(vals_fd, S_KSYSCALL) == (uint64_t)getpid(),
		  "ksyscall fired 3 times with the pid argument",
		  "%llu hits, arg %llu", (unsigned long long)n,
		  (unsigned long long)map_get(vals_fd, S_KSYSCALL)))
		fired("ksyscall");
	n = map_get(hits_fd, S_KRETSYSCALL);
	if (checkf(n == 3 && map_get(vals_fd, S_KRETSYSCALL) == (uint64_t)pgid,
		  "kretsyscall fired 3 times returning the pgid",
		  "%llu hits, ret %lld", (unsigned long long)n,
		  (long long)map_get(vals_fd, S_KRETSYSCALL)))
		fired("kretsyscall");
out:
	bpfbox_link_destroy(entry);
	bpfbox_link_destroy(ret);
	expect_error("ksyscall of no syscall: names it", p_ksys,
		     "ksyscall/bpfbox_nosuch", NULL, -ENOENT,
		     "no system call bpfbox_nosuch");
}

static void test_kernel_probes(void)
{
	if (!kernel_has_kprobes()) {
		test_no_kprobes();
		return;
	}
	test_kprobe(false);
	test_kprobe(true);
	test_ksyscall();
	expect_error("kprobe of an unknown function: names it", p_kentry,
		     "kprobe/bpfbox_no_such_function", NULL, -ENOENT,
		     "no kernel function bpfbox_no_such_function (it is not in available_filter_functions or /proc/kallsyms)");
	expect_error("kretprobe with an offset refused", p_kreturn,
		     "kretprobe/do_unlinkat+4", NULL, -EINVAL,
		     "a return probe takes no offset");
}

/* ------------------------------------------------------------------ */
/* User probes                                                         */

static void test_uprobe_self(bool legacy, bool ioctl_path)
{
	struct bpfbox_attach_opts opts = {
		.sz = sizeof(opts), .force_legacy = legacy,
		.force_ioctl = ioctl_path,
	};
	struct bpfbox_link *entry = NULL, *ret = NULL;
	char target[PATH_MAX + 64], what[256];
	const char *mode = legacy ? "legacy" : ioctl_path ? "PMU, ioctl" :
			   "PMU";
	uint64_t n;
	int err, i;

	if (!legacy && !have_pmu("uprobe")) {
		skip("uprobe via PMU", "no uprobe PMU (kernel before 4.17)");
		return;
	}
	if (legacy && !have_events_file("uprobe_events")) {
		skip("uprobe legacy", "no uprobe_events in tracefs");
		return;
	}
	reset(getpid());
	snprintf(target, sizeof(target), "uprobe/%s:bb_probe_target", exe);
	snprintf(what, sizeof(what), "uprobe on this program attaches (%s)",
		 mode);
	err = attach(p_uentry, target, &opts, &entry);
	if (!checkf(!err, what, "%s", bpfbox_errmsg()))
		goto out;
	snprintf(target, sizeof(target), "uretprobe/%s:bb_probe_target", exe);
	snprintf(what, sizeof(what), "uretprobe on this program attaches (%s)",
		 mode);
	err = attach(p_ureturn, target, &opts, &ret);
	if (!checkf(!err, what, "%s", bpfbox_errmsg()))
		goto out;
	for (i = 1; i <= 3; i++)
		target_fn(i, 100);
	n = map_get(hits_fd, S_UPROBE);
	snprintf(what, sizeof(what), "uprobe fired 3 times, last argument 3 (%s)",
		 mode);
	if (checkf(n == 3 && map_get(vals_fd, S_UPROBE) == 3, what,
		  "%llu hits, arg %llu", (unsigned long long)n,
		  (unsigned long long)map_get(vals_fd, S_UPROBE)))
		if (!ioctl_path)
			fired(legacy ? "uprobe-legacy" : "uprobe");
	n = map_get(hits_fd, S_URETPROBE);
	snprintf(what, sizeof(what), "uretprobe fired 3 times, last return 103 (%s)",
		 mode);
	if (checkf(n == 3 && map_get(vals_fd, S_URETPROBE) == 103, what,
		  "%llu hits, ret %llu", (unsigned long long)n,
		  (unsigned long long)map_get(vals_fd, S_URETPROBE)) &&
	    !legacy && !ioctl_path)
		fired("uretprobe");
	if (legacy)
		checkf(own_probes_left("uprobe_events"),
		      "legacy uprobe is in uprobe_events while attached",
		      "no bpfbox_%d_ entry", (int)getpid());
out:
	bpfbox_link_destroy(entry);
	bpfbox_link_destroy(ret);
	reset(getpid());
	target_fn(1, 2);
	snprintf(what, sizeof(what), "uprobe silent after destroy (%s)", mode);
	checkf(map_get(hits_fd, S_UPROBE) == 0 &&
	      map_get(hits_fd, S_URETPROBE) == 0, what, "still fired");
	if (legacy)
		checkf(!own_probes_left("uprobe_events"),
		      "destroy removes the legacy uprobe_events entries",
		      "a bpfbox_%d_ entry is left", (int)getpid());
}

/* PATH:0xOFFSET, the offset found from the symbol */
static void test_uprobe_raw_offset(void)
{
	char path[PATH_MAX], arg[PATH_MAX + 64], target[PATH_MAX + 80];
	struct bpfbox_link *link = NULL;
	uint64_t off;
	int err;

	snprintf(arg, sizeof(arg), "%s:bb_probe_target", exe);
	err = bb_uprobe_resolve("uprobe", arg, path, sizeof(path), &off);
	if (!checkf(!err, "bb_probe_target resolves to a file offset", "%s",
		   bpfbox_errmsg()))
		return;
	snprintf(target, sizeof(target), "uprobe/%s:0x%llx", exe,
		 (unsigned long long)off);
	reset(getpid());
	err = attach(p_uentry, target, NULL, &link);
	if (!checkf(!err, "uprobe PATH:0xOFFSET attaches", "%s: %s", target,
		   bpfbox_errmsg()))
		return;
	target_fn(7, 1);
	checkf(map_get(hits_fd, S_UPROBE) == 1 &&
	      map_get(vals_fd, S_UPROBE) == 7,
	      "uprobe PATH:0xOFFSET fires", "%llu hits",
	      (unsigned long long)map_get(hits_fd, S_UPROBE));
	bpfbox_link_destroy(link);
}

/* the public way in: bpfbox_prog_attach_to() through attach.c */
static void test_public_api(void)
{
	char target[PATH_MAX + 64];
	struct bpfbox_link *link = NULL;
	int err;

	snprintf(target, sizeof(target), "uprobe/%s:bb_probe_target", exe);
	reset(getpid());
	err = bpfbox_prog_attach_to(prog_uentry, target, NULL, &link);
	if (checkf(!err, "bpfbox_prog_attach_to uprobe", "%s",
		  bpfbox_errmsg())) {
		target_fn(9, 0);
		checkf(map_get(hits_fd, S_UPROBE) == 1,
		      "bpfbox_prog_attach_to uprobe fires", "%llu hits",
		      (unsigned long long)map_get(hits_fd, S_UPROBE));
		bpfbox_link_destroy(link);
	}
	if (kernel_has_kprobes())
		return;
	link = NULL;
	err = bpfbox_prog_attach_to(prog_kentry, "kprobe/do_unlinkat", NULL,
				    &link);
	checkf(err == -EOPNOTSUPP &&
	      strstr(bpfbox_errmsg(), "kprobe/do_unlinkat: this kernel has no kprobes") &&
	      !strchr(bpfbox_errmsg(), '\n'),
	      "bpfbox_prog_attach_to kprobe without kprobes: one-line error",
	      "%d: %s", err, bpfbox_errmsg());
	if (!err)
		bpfbox_link_destroy(link);
}

/* uprobe.s: a sleepable program on a uprobe */
static void test_uprobe_sleepable(void)
{
	char target[PATH_MAX + 64];
	struct bpfbox_link *link = NULL;
	int err;

	snprintf(target, sizeof(target), "uprobe.s/%s:bb_probe_target", exe);
	reset(getpid());
	err = attach(p_usleep, target, NULL, &link);
	if (!checkf(!err, "sleepable uprobe.s attaches", "%s",
		   bpfbox_errmsg()))
		return;
	checkf(!strncmp(bpfbox_link_describe(link), "uprobe.s /", 10),
	      "uprobe.s link is described as such", "link is \"%s\"",
	      bpfbox_link_describe(link));
	target_fn(5, 5);
	checkf(map_get(hits_fd, S_UPROBE) == 1 && map_get(vals_fd, S_UPROBE) == 5,
	      "sleepable uprobe.s fires", "%llu hits",
	      (unsigned long long)map_get(hits_fd, S_UPROBE));
	bpfbox_link_destroy(link);
}

/* opts->pid: a child's calls count, ours do not */
static void test_uprobe_pid(void)
{
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct bpfbox_link *link = NULL;
	char target[PATH_MAX + 64], c = 0;
	int go[2], err, i, status;
	pid_t child;

	if (pipe(go)) {
		fail("uprobe pid filter", "pipe: %s", strerror(errno));
		return;
	}
	child = fork();
	if (child == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			for (i = 0; i < 2; i++)
				target_fn(40, 2);
		_exit(0);
	}
	close(go[0]);
	reset(0);
	opts.pid = child;
	snprintf(target, sizeof(target), "uprobe/%s:bb_probe_target", exe);
	err = attach(p_uentry, target, &opts, &link);
	checkf(!err, "uprobe with opts.pid attaches", "%s", bpfbox_errmsg());
	for (i = 0; i < 5; i++)
		target_fn(1, 1);
	if (write(go[1], &c, 1) != 1)
		fail("uprobe pid filter", "write: %s", strerror(errno));
	close(go[1]);
	waitpid(child, &status, 0);
	if (!err)
		checkf(map_get(hits_fd, S_UPROBE) == 2 &&
		      map_get(vals_fd, S_UPROBE) == 40,
		      "opts.pid counts the child's 2 calls, not our 5",
		      "%llu hits", (unsigned long long)map_get(hits_fd, S_UPROBE));
	bpfbox_link_destroy(link);
	reset(getpid());
}

/* is a shared libc mapped into this process? */
static bool libc_mapped(void)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "/libc.so.6") != NULL;
	fclose(f);
	return found;
}

static void test_uprobe_libc(bool legacy)
{
	struct bpfbox_attach_opts opts = {
		.sz = sizeof(opts), .force_legacy = legacy,
	};
	struct bpfbox_link *entry = NULL, *ret = NULL;
	const char *mode = legacy ? "legacy" : "PMU";
	char what[160];
	uint64_t n;
	pid_t me;
	int err, i;

	reset(getpid());
	snprintf(what, sizeof(what), "uprobe libc.so.6:getpid attaches (%s)",
		 mode);
	err = attach(p_uentry, "uprobe/libc.so.6:getpid", &opts, &entry);
	if (!checkf(!err, what, "%s", bpfbox_errmsg()))
		goto out;
	snprintf(what, sizeof(what), "libc.so.6 found in the library directories (%s)",
		 mode);
	checkf(strstr(bpfbox_link_describe(entry), "/libc.so.6:getpid") &&
	      bpfbox_link_describe(entry)[7] == '/', what,
	      "link is \"%s\"", bpfbox_link_describe(entry));
	snprintf(what, sizeof(what), "uretprobe libc.so.6:getpid attaches (%s)",
		 mode);
	err = attach(p_ureturn, "uretprobe/libc.so.6:getpid", &opts, &ret);
	if (!checkf(!err, what, "%s", bpfbox_errmsg()))
		goto out;
	for (i = 0; i < 3; i++)
		me = getpid();
	n = map_get(hits_fd, S_UPROBE);
	snprintf(what, sizeof(what), "uprobe on libc getpid fired (%s)", mode);
	checkf(n >= 3, what, "%llu hits", (unsigned long long)n);
	snprintf(what, sizeof(what), "uretprobe on libc getpid returned our pid (%s)",
		 mode);
	checkf(map_get(hits_fd, S_URETPROBE) >= 3 &&
	      (pid_t)map_get(vals_fd, S_URETPROBE) == me, what,
	      "%llu hits, ret %llu",
	      (unsigned long long)map_get(hits_fd, S_URETPROBE),
	      (unsigned long long)map_get(vals_fd, S_URETPROBE));
out:
	bpfbox_link_destroy(entry);
	bpfbox_link_destroy(ret);
}

/* "uprobe/bash:main": bash through $PATH, a PIE run in a child */
static void test_uprobe_bash(void)
{
	struct bpfbox_link *link = NULL;
	int go[2], err, status;
	pid_t child;
	char c = 0;

	err = attach(p_uentry, "uprobe/bash:main", NULL, &link);
	if (err == -ENOENT && strstr(bpfbox_errmsg(), "no such file")) {
		skip("uprobe bash:main", "no bash in PATH");
		return;
	}
	if (!checkf(!err, "uprobe bash:main attaches (bash found in PATH)",
		   "%s", bpfbox_errmsg()))
		return;
	checkf(bpfbox_link_describe(link)[7] == '/' &&
	      strstr(bpfbox_link_describe(link), "bash:main"),
	      "bash resolved to a full path", "link is \"%s\"",
	      bpfbox_link_describe(link));
	if (pipe(go)) {
		fail("uprobe bash:main", "pipe: %s", strerror(errno));
		goto out;
	}
	child = fork();
	if (child == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			execlp("bash", "bash", "-c", "true", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	reset(child);
	if (write(go[1], &c, 1) != 1)
		fail("uprobe bash:main", "write: %s", strerror(errno));
	close(go[1]);
	waitpid(child, &status, 0);
	checkf(map_get(hits_fd, S_UPROBE) == 1,
	      "uprobe bash:main fired once in bash -c true", "%llu hits",
	      (unsigned long long)map_get(hits_fd, S_UPROBE));
out:
	bpfbox_link_destroy(link);
	reset(getpid());
}

static void test_uprobe_errors(void)
{
	char target[PATH_MAX + 64], want[2 * PATH_MAX + 64], real[PATH_MAX];

	expect_error("missing binary in PATH: one-line error", p_uentry,
		     "uprobe/bpfbox-no-such-binary:main", NULL, -ENOENT,
		     "uprobe bpfbox-no-such-binary:main: no such file (searched PATH ");
	expect_error("missing absolute binary: one-line error", p_uentry,
		     "uprobe//bin/nope:main", NULL, -ENOENT,
		     "uprobe /bin/nope:main: no such file");
	expect_error("missing library: one-line error", p_uentry,
		     "uprobe/libbpfbox-nope.so:f", NULL, -ENOENT,
		     "no such file (searched LD_LIBRARY_PATH");
	snprintf(target, sizeof(target), "uretprobe/%s:nosuch", exe);
	if (!realpath(exe, real))
		snprintf(real, sizeof(real), "%s", exe);
	snprintf(want, sizeof(want), "uretprobe %s:nosuch: no function nosuch in %s (",
		 exe, real);
	expect_error("missing symbol: one-line error", p_ureturn, target,
		     NULL, -ENOENT, want);
	expect_error("uprobe without a function: one-line error", p_uentry,
		     "uprobe//bin/sh", NULL, -EINVAL,
		     "want PATH:FUNCTION[+OFFSET] or PATH:0xOFFSET");
}

/* a probe left by a dead bpfbox is removed by the next legacy attach */
static void test_stale_cleanup(void)
{
	struct bpfbox_attach_opts legacy = {
		.sz = sizeof(legacy), .force_legacy = true,
	};
	char dir[PATH_MAX], path[PATH_MAX + 32], def[PATH_MAX + 128];
	char arg[PATH_MAX + 32], bin[PATH_MAX], buf[65536], name[64];
	struct bpfbox_link *link = NULL;
	uint64_t off;
	pid_t dead;
	int fd, err, n;

	if (!have_events_file("uprobe_events") ||
	    bpfbox_tracefs_path(dir, sizeof(dir))) {
		skip("stale legacy probe cleanup", "no uprobe_events in tracefs");
		return;
	}
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(arg, sizeof(arg), "%s:bb_probe_target", exe);
	if (bb_uprobe_resolve("uprobe", arg, bin, sizeof(bin), &off)) {
		fail("stale legacy probe cleanup", "%s", bpfbox_errmsg());
		return;
	}
	snprintf(name, sizeof(name), "bpfbox_%d_0", (int)dead);
	snprintf(def, sizeof(def), "p:uprobes/%s %s:0x%llx\n", name, bin,
		 (unsigned long long)off);
	snprintf(path, sizeof(path), "%s/uprobe_events", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, def, strlen(def)) < 0) {
		fail("stale legacy probe cleanup", "writing %s: %s", path,
		     strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	read_events("uprobe_events", buf, sizeof(buf));
	checkf(strstr(buf, name), "stale entry made by hand",
	      "%s not in uprobe_events", name);
	snprintf(arg, sizeof(arg), "uprobe/%s:bb_probe_target", exe);
	err = attach(p_uentry, arg, &legacy, &link);
	checkf(!err, "legacy attach with a stale entry around", "%s",
	      bpfbox_errmsg());
	read_events("uprobe_events", buf, sizeof(buf));
	checkf(!strstr(buf, name), "legacy attach removed the stale entry",
	      "%s still in uprobe_events", name);
	bpfbox_link_destroy(link);
	/* and bb_probe_clean_stale() alone, with a live one of ours */
	err = attach(p_uentry, arg, &legacy, &link);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd >= 0) {
		if (write(fd, def, strlen(def)) < 0)
			fail("stale legacy probe cleanup", "rewrite: %s",
			     strerror(errno));
		close(fd);
	}
	n = bb_probe_clean_stale();
	read_events("uprobe_events", buf, sizeof(buf));
	checkf(n == 1 && !strstr(buf, name) && !err &&
	      own_probes_left("uprobe_events"),
	      "bb_probe_clean_stale removes the dead one, keeps ours",
	      "removed %d, attach %d (%s)", n, err, buf);
	bpfbox_link_destroy(link);
}

static void test_user_probes(void)
{
	if (!checkf(readlink("/proc/self/exe", exe, sizeof(exe) - 1) > 0,
		   "find this program", "readlink /proc/self/exe: %s",
		   strerror(errno)))
		return;
	test_uprobe_self(false, false);
	test_uprobe_self(false, true);
	test_uprobe_self(true, false);
	test_uprobe_raw_offset();
	test_uprobe_sleepable();
	test_public_api();
	test_uprobe_pid();
	if (libc_mapped()) {
		test_uprobe_libc(false);
		test_uprobe_libc(true);
	} else {
		skip("uprobe libc.so.6:getpid", "this program is statically linked: no shared libc mapped");
	}
	test_uprobe_bash();
	test_uprobe_errors();
	test_stale_cleanup();
}

/* ------------------------------------------------------------------ */

static int prog_fd(struct bpfbox_object *obj, const char *name)
{
	struct bpfbox_prog *p = bpfbox_object_find_prog(obj, name);

	return p ? bpfbox_prog_fd(p) : -1;
}

static int map_fd(struct bpfbox_object *obj, const char *name)
{
	struct bpfbox_map *m = bpfbox_object_find_map(obj, name);

	return m ? bpfbox_map_fd(m) : -1;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("BB_PROGS_DIR");
	struct bpfbox_object *obj = NULL;
	char path[PATH_MAX];
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(path, sizeof(path), "%s/probes.bpf.o",
		 dir ? dir : "build/progs");
	err = bpfbox_object_open_file(path, NULL, &obj);
	if (!err)
		err = bpfbox_object_load(obj, NULL);
	if (err) {
		fail("load probes.bpf.o", "%s: %s", path, bpfbox_errmsg());
		bpfbox_object_close(obj);
		return 1;
	}
	ok("load probes.bpf.o");
	cfg_fd = map_fd(obj, "cfg");
	hits_fd = map_fd(obj, "hits");
	vals_fd = map_fd(obj, "vals");
	p_kentry = prog_fd(obj, "k_entry");
	p_kreturn = prog_fd(obj, "k_return");
	p_ksys = prog_fd(obj, "ksys_entry");
	p_ksysret = prog_fd(obj, "ksys_return");
	p_uentry = prog_fd(obj, "u_entry");
	p_ureturn = prog_fd(obj, "u_return");
	p_usleep = prog_fd(obj, "u_sleepable");
	prog_uentry = bpfbox_object_find_prog(obj, "u_entry");
	prog_kentry = bpfbox_object_find_prog(obj, "k_entry");
	test_kernel_probes();
	test_user_probes();
	bpfbox_object_close(obj);
	return failures ? 1 : 0;
}
