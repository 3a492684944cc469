// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE values: load core_values.bpf.o (built against this machine's
 * vmlinux.h), run its raw_tp program once in this task with
 * BPF_PROG_TEST_RUN, and compare what it read from the current task
 * through CO-RE relocations with what user space knows: getpid(),
 * getppid(), prctl(PR_GET_NAME), uname(), /proc/self/stat, ... A wrong
 * offset on a kernel whose layout differs (6.1, 6.12 in tests/vm) shows
 * up as a wrong value here.
 *
 *   core_values [DIR]     DIR holds core_values.bpf.o (build/core-progs)
 *
 * Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" per check.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "bpfbox.h"
#include "itest.h"
#include "../core-progs/core_values.h"

#define COMM "bb-core-vals"


static void num(const char *what, unsigned long long got,
		unsigned long long want)
{
	if (got == want)
		printf("ok %s = %llu\n", what, got);
	else
		fail(what, "BPF read %llu (0x%llx), user space says %llu (0x%llx)",
		     got, got, want, want);
}

static void str(const char *what, const char *got, const char *want)
{
	if (!strcmp(got, want))
		printf("ok %s = \"%s\"\n", what, got);
	else
		fail(what, "BPF read \"%.64s\", user space says \"%.64s\"", got,
		     want);
}

/* /proc/self/stat fields 22 (starttime) and 28 (startstack); 0 when
 * /proc cannot be read */
static int proc_stat(unsigned long long *start, unsigned long long *stack)
{
	char buf[2048], *p;
	unsigned long long v;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;
	int field;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* comm may hold spaces and parentheses: fields start after the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	p++;
	for (field = 3; *p; field++) {
		v = strtoull(p + 1, &p, 10);
		if (field == 22)
			*start = v;
		if (field == 28) {
			*stack = v;
			return 0;
		}
		/* state (field 3) is a letter: skip to the next space */
		if (field == 3)
			p = strchr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	return -EINVAL;
}

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

/* what user space knows, taken just before the program runs */
struct truth {
	struct utsname u;
	char comm[16];
	int nice;
	unsigned long long brk;
	cpu_set_t cpus;
};

static int check_values(const struct core_values *v, const struct truth *t,
			char **argv)
{
	unsigned long long st = 0, stack = 0, hz = sysconf(_SC_CLK_TCK);
	unsigned int a = 0, b = 0, c = 0;

	num("program runs", v->runs, 1);
	num("task->pid (tid)", v->pid, gettid());
	num("task->tgid", v->tgid, getpid());
	num("task->real_parent->tgid", v->ppid, getppid());
	num("task->thread_pid->numbers[0].nr", v->tid_via_pid, gettid());
	num("btf task->pid (direct load)", v->btf_pid, gettid());
	num("btf task->tgid (direct load)", v->btf_tgid, getpid());
	num("task->real_cred->uid", v->uid, getuid());
	num("task->cred->euid", v->euid, geteuid());
	num("task->real_cred->gid", v->gid, getgid());
	num("task->flags & PF_KTHREAD", v->kthread, 0);
	num("task->__state (running)", v->state, 0);
	num("task->in_execve bitfield", v->in_execve, 0);
	num("task->static_prio (120 + nice)", v->static_prio, 120 + t->nice);
	num("task->nr_cpus_allowed", v->nr_cpus_allowed,
	    CPU_COUNT(&t->cpus));
	num("task->mm->arg_start (argv[0])", v->arg_start,
	    (unsigned long)argv[0]);
	if (environ && environ[0])
		num("task->mm->env_start (environ[0])", v->env_start,
		    (unsigned long)environ[0]);
	else
		printf("skip task->mm->env_start: empty environment\n");
	num("task->mm->brk (sbrk(0))", v->brk, t->brk);
	if (proc_stat(&st, &stack) == 0 && hz > 0) {
		num("task->start_boottime (stat starttime)",
		    v->start_boottime / (1000000000ULL / hz), st);
		num("task->mm->start_stack (stat startstack)", v->start_stack,
		    stack);
	} else {
		printf("skip start_boottime, start_stack: /proc/self/stat unreadable\n");
	}
	str("task->comm", v->comm, t->comm);
	str("uts_ns->name.sysname", v->sysname, t->u.sysname);
	str("uts_ns->name.nodename", v->nodename, t->u.nodename);
	str("uts_ns->name.release", v->release, t->u.release);
	sscanf(t->u.release, "%u.%u.%u", &a, &b, &c);
	num("LINUX_KERNEL_VERSION", v->kversion,
	    (a << 16) + (b << 8) + (c > 255 ? 255 : c));
	return failures ? 1 : 0;
}

static int run(struct bpfbox_object *obj, char **argv)
{
	struct bpfbox_test_run_opts ro = { .sz = sizeof(ro) };
	struct bpfbox_prog *prog = bpfbox_object_find_prog(obj, "core_values");
	struct bpfbox_map *bss = find_bss(obj);
	struct core_values v;
	struct truth t;
	int zero = 0, err;

	if (!prog || !bss) {
		fail("object", "no program core_values or no .bss map");
		return 1;
	}
	if (bpfbox_map_value_size(bss) != sizeof(v)) {
		fail("object", ".bss is %u bytes, struct core_values %zu",
		     bpfbox_map_value_size(bss), sizeof(v));
		return 1;
	}
	memset(&t, 0, sizeof(t));
	uname(&t.u);
	prctl(PR_GET_NAME, t.comm);
	errno = 0;
	t.nice = getpriority(PRIO_PROCESS, 0);
	sched_getaffinity(0, sizeof(t.cpus), &t.cpus);
	/* nothing between here and the run may allocate (brk) */
	t.brk = (unsigned long)sbrk(0);
	err = bpfbox_prog_test_run(bpfbox_prog_fd(prog), &ro);
	if (err) {
		fail("test run", "%s", bpfbox_errmsg());
		return 1;
	}
	err = bpfbox_map_lookup_elem(bpfbox_map_fd(bss), &zero, &v);
	if (err) {
		fail("read .bss", "%s", bpfbox_errmsg());
		return 1;
	}
	v.comm[sizeof(v.comm) - 1] = 0;
	v.sysname[sizeof(v.sysname) - 1] = 0;
	v.nodename[sizeof(v.nodename) - 1] = 0;
	v.release[sizeof(v.release) - 1] = 0;
	return check_values(&v, &t, argv);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build/core-progs";
	struct bpfbox_object *obj = NULL;
	char path[4096];
	int err, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(path, sizeof(path), "%s/core_values.bpf.o", dir);
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		printf("skip no /sys/kernel/btf/vmlinux: CO-RE needs kernel BTF\n");
		return 0;
	}
	/* a distinctive comm, and a nice value that is not the default */
	prctl(PR_SET_NAME, COMM);
	setpriority(PRIO_PROCESS, 0, 5);
	err = bpfbox_object_open_file(path, NULL, &obj);
	if (!err)
		err = bpfbox_object_load(obj, NULL);
	if (err) {
		fail("load", "%s", bpfbox_errmsg());
		bpfbox_object_close(obj);
		return 1;
	}
	printf("ok loaded %s\n", path);
	rc = run(obj, argv);
	bpfbox_object_close(obj);
	return rc;
}
