// SPDX-License-Identifier: GPL-2.0
/*
 * opensnoop, kernel side. One program per syscall, at its exit
 * tracepoint (sys_exit_open, _openat, _openat2, _creat): the arguments
 * are read from the caller's saved user registers (bpf_task_pt_regs),
 * which the syscall leaves as they were, so no entry program and no
 * per-thread map is needed, and the path string is read after the
 * kernel itself copied it (its page is present).
 *
 * Every filter is applied here (rodata knobs set by the user side, the
 * -d deadline in .bss); records that do not fit in the ring are counted
 * in `lost`.
 *
 * -F resolves the path in the kernel: a successful open's fd leads to
 * its struct file, whose f_path is walked up dentry by dentry and
 * across mounts to the process's root (what d_path() prints); a failed
 * relative open shows its directory (dirfd or cwd, walked the same way)
 * then "/" and the argument as given.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "opensnoop.h"

#define INVALID_UID	((__u32)-1)
/* asm-generic/fcntl.h (x86, arm64 and riscv share these) */
#define O_WRONLY	00000001
#define O_CREAT		00000100
#define O_TRUNC		00001000
#define __O_TMPFILE	020000000
#define S_IALLUGO	07777

const volatile __u32 targ_tgid = 0;
const volatile __u32 targ_tid = 0;
const volatile __u32 targ_uid = INVALID_UID;
const volatile bool targ_failed = false;
const volatile bool full_path = false;
const volatile bool filter_cg = false;
const volatile bool filter_cgmap = false;
const volatile bool filter_mntns = false;
/* -n: comm contains targ_name (name_len bytes) */
const volatile __u32 name_len = 0;
const volatile char targ_name[OS_COMM_LEN] = {};
/* -f: an open passes when (flags & flag_mask[i]) == flag_val[i] for
 * one i < nr_flags */
const volatile __u32 nr_flags = 0;
const volatile __u32 flag_mask[OS_FLAGS_MAX] = {};
const volatile __u32 flag_val[OS_FLAGS_MAX] = {};
/*
 * 0: the ring's own wakeups (one per record when the reader keeps up,
 * which costs the traced process an irq_work each). Else one wakeup
 * each time the data waiting crosses a multiple of 1 << wake_shift
 * bytes; the reader drains what is left on its poll timeout.
 */
const volatile __u32 wake_shift = 0;

__u64 lost = 0;		/* ring buffer reservations that failed */
__u64 deadline_ns = 0;	/* -d: no events after this CLOCK_MONOTONIC time */

/*
 * The events: the user side sets the ring's size for -b before load
 * (bpfbox_map_set_max_entries); this one is only the default.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);	/* a multiple of any page size */
} events SEC(".maps");

/*
 * -F: w[] is where paths are built. A walk prepends components so that
 * the path ends at W_END; a failed relative open's argument follows at
 * W_END + 1 (after a '/'). The room past those bounds keeps every
 * masked offset plus length inside the buffer for the verifier.
 */
#define W_END		OS_PATH_MAX
#define W_MASK		(OS_PATH_MAX - 1)
#define W_SIZE		(5 * OS_PATH_MAX)
#define W_START_MASK	(4 * OS_PATH_MAX - 1)

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

/* --cgroupmap / --mntnsmap: bcc's pinned sets (see opensnoop.c) */
struct cgset {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u64);
};

struct mntset {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u32);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct cgset);
} cgroupset SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct mntset);
} mount_ns_set SEC(".maps");

/*
 * -n: targ_name anywhere in the comm (which bpf_get_current_comm() pads
 * with NULs, which the name has none of). Not inlined, and without
 * early exits from the inner loop: the verifier then follows a few
 * states through it instead of one per way out.
 */
static __noinline bool comm_contains(const char *comm)
{
	bool m;
	int i, j;

	for (i = 0; i < OS_COMM_LEN; i++) {
		m = true;
		for (j = 0; j < OS_COMM_LEN - 1; j++) {
			if (j >= name_len)
				break;
			if (i + j >= OS_COMM_LEN || comm[i + j] != targ_name[j])
				m = false;
		}
		if (m)
			return true;
	}
	return false;
}

static __noinline bool flags_match(__u32 flags)
{
	bool m = false;
	int i;

	for (i = 0; i < OS_FLAGS_MAX; i++) {
		if (i >= nr_flags)
			break;
		if ((flags & flag_mask[i]) == flag_val[i])
			m = true;
	}
	return m || !nr_flags;
}

/* bcc's container sets: the current cgroup id / mount namespace */
static __always_inline bool in_sets(struct task_struct *task)
{
	__u32 zero = 0;
	__u64 key;
	void *set;

	if (filter_cgmap) {
		set = bpf_map_lookup_elem(&cgroupset, &zero);
		key = bpf_get_current_cgroup_id();
		if (!set || !bpf_map_lookup_elem(set, &key))
			return false;
	}
	if (filter_mntns) {
		set = bpf_map_lookup_elem(&mount_ns_set, &zero);
		key = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
		if (!set || !bpf_map_lookup_elem(set, &key))
			return false;
	}
	return true;
}

static __always_inline void path_as_given(struct os_event *e,
					  const char *fname)
{
	long n = bpf_probe_read_user_str(e->path, OS_PATH_MAX, fname);

	if (n <= 0) {
		e->pflags |= OS_P_NOREAD;
		n = 1;
	}
	e->path_len = n - 1;
}

/* ---- -F: paths from dentries ---- */

/*
 * The walk's state lives in the per-CPU map, not in the loop's context
 * on the stack: loaded from a map, its values are unknown to the
 * verifier, so it checks one iteration of the callback instead of
 * following every value the position takes.
 */
struct walk {
	struct dentry *d;
	struct vfsmount *vm;
	struct dentry *root_d;
	struct vfsmount *root_vm;
	__u32 pos;		/* start of the path in w[]; ends at W_END */
	__u32 trunc;
	__u32 lost_root;	/* stopped at a dentry that has no place in
				 * the mount tree (pipes, sockets, ...) */
};

struct scratch {
	struct os_event e;
	struct walk walk;
	char w[W_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} heap SEC(".maps");

static __always_inline struct mount *real_mount(struct vfsmount *vm)
{
	return (void *)vm - bpf_core_field_offset(struct mount, mnt);
}

/* one step up, as prepend_path() in fs/d_path.c; 1 ends the loop */
static long walk_step(__u32 i, void *unused)
{
	struct dentry *d, *parent, *mroot;
	const unsigned char *name;
	struct mount *m, *mp;
	struct vfsmount *vm;
	struct scratch *s;
	struct walk *c;
	__u32 zero = 0, len, pos;

	s = bpf_map_lookup_elem(&heap, &zero);
	if (!s)
		return 1;
	c = &s->walk;
	d = c->d;
	vm = c->vm;
	if (d == c->root_d && vm == c->root_vm)
		return 1;
	mroot = BPF_CORE_READ(vm, mnt_root);
	parent = BPF_CORE_READ(d, d_parent);
	if (d == mroot) {
		m = real_mount(vm);
		mp = BPF_CORE_READ(m, mnt_parent);
		if (mp == m)
			return 1;	/* the root of the mount tree */
		c->d = BPF_CORE_READ(m, mnt_mountpoint);
		c->vm = (void *)mp + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	if (d == parent || !d) {
		c->lost_root = 1;
		return 1;
	}
	len = BPF_CORE_READ(d, d_name.len);
	name = BPF_CORE_READ(d, d_name.name);
	if (len > OS_NAME_MAX)
		len = OS_NAME_MAX;
	pos = c->pos;
	if (pos < len + 1 || pos > W_END) {
		c->trunc = 1;
		return 1;
	}
	pos -= len;
	bpf_probe_read_kernel(&s->w[pos & W_MASK], len, name);
	pos--;
	s->w[pos & W_MASK] = '/';
	c->pos = pos;
	c->d = parent;
	return 0;
}

static __always_inline struct file *fd_file(struct task_struct *task, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **arr, *f = NULL;

	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	arr = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

/*
 * -F. The path is built in w[]: the walk of a dentry ends at W_END; a
 * failed open's argument is read at W_END + 1, after a '/' when it is
 * relative and its directory (dirfd or cwd) was walked. Then the bytes
 * from the start to the end go to e->path. One walk at most, so the
 * verifier sees one loop.
 */
static __always_inline void full_path_of(struct task_struct *task,
					 struct scratch *s, long ret,
					 const char *fname)
{
	struct os_event *e = &s->e;
	struct dentry *d = NULL;
	struct vfsmount *vm = NULL;
	struct file *f = NULL;
	__u32 start, end, len;
	long n;

	if (ret >= 0)
		f = fd_file(task, ret);
	if (f) {
		d = BPF_CORE_READ(f, f_path.dentry);
		vm = BPF_CORE_READ(f, f_path.mnt);
		e->from = OS_FROM_FD;
		end = W_END;
	} else {
		n = bpf_probe_read_user_str(&s->w[W_END + 1], OS_PATH_MAX,
					    fname);
		if (n <= 0) {
			e->pflags |= OS_P_NOREAD;
			n = 1;
		}
		end = W_END + n;	/* n counts the NUL */
		if (n > 1 && s->w[W_END + 1] != '/') {
			if (e->dirfd == OS_AT_FDCWD) {
				d = BPF_CORE_READ(task, fs, pwd.dentry);
				vm = BPF_CORE_READ(task, fs, pwd.mnt);
				e->from = OS_FROM_CWD;
			} else if ((f = fd_file(task, e->dirfd))) {
				d = BPF_CORE_READ(f, f_path.dentry);
				vm = BPF_CORE_READ(f, f_path.mnt);
				e->from = OS_FROM_DIRFD;
			}
		}
	}
	start = W_END + 1;
	if (d && vm) {
		s->walk.d = d;
		s->walk.vm = vm;
		s->walk.root_d = BPF_CORE_READ(task, fs, root.dentry);
		s->walk.root_vm = BPF_CORE_READ(task, fs, root.mnt);
		s->walk.pos = W_END;
		s->walk.trunc = 0;
		s->walk.lost_root = 0;
		bpf_loop(OS_WALK_MAX, walk_step, NULL, 0);
		start = s->walk.pos;
		if (s->walk.trunc)
			e->pflags |= OS_P_TRUNC;
		if (s->walk.lost_root) {
			/* no path: the argument as given, when there is one */
			e->from = OS_FROM_ARG;
			start = W_END + 1;
			if (end == W_END) {
				path_as_given(e, fname);
				return;
			}
		} else if (start == W_END && end == W_END) {
			s->w[--start] = '/';	/* the root itself */
		} else {
			s->w[W_END] = '/';
		}
	} else {
		e->from = OS_FROM_ARG;
	}
	if (start > end)
		start = end;
	len = end - start;
	if (len > OS_PATH_MAX) {
		start = end - OS_PATH_MAX;
		len = OS_PATH_MAX;
		e->pflags |= OS_P_TRUNC;
	}
	/* the mask tells the verifier what the test above proved (the
	 * barrier keeps clang from dropping it as redundant) */
	barrier_var(len);
	bpf_probe_read_kernel(e->path, len & (2 * OS_PATH_MAX - 1),
			      &s->w[start & W_START_MASK]);
	e->path_len = len;
}

static __always_inline void send(struct os_event *e)
{
	__u64 size = offsetof(struct os_event, path) + e->path_len;
	__u64 flags = 0, avail;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (wake_shift) {
		avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
		flags = avail >> wake_shift != (avail + size + 8) >> wake_shift ?
			BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	}
	if (bpf_ringbuf_output(&events, e, size, flags))
		__sync_fetch_and_add(&lost, 1);
}

/* the arguments from the user registers saved at syscall entry */
struct args {
	const char *fname;
	__u32 flags;
	__u32 mode;
	__s32 dirfd;
};

static __always_inline void read_args(struct pt_regs *regs, int sys,
				      struct args *a)
{
	struct open_how how = {};

	a->dirfd = OS_AT_FDCWD;
	switch (sys) {
	case OS_SYS_OPEN:
		a->fname = (const char *)PT_REGS_PARM1_SYSCALL(regs);
		a->flags = PT_REGS_PARM2_SYSCALL(regs);
		a->mode = PT_REGS_PARM3_SYSCALL(regs);
		break;
	case OS_SYS_OPENAT:
		a->dirfd = PT_REGS_PARM1_SYSCALL(regs);
		a->fname = (const char *)PT_REGS_PARM2_SYSCALL(regs);
		a->flags = PT_REGS_PARM3_SYSCALL(regs);
		a->mode = PT_REGS_PARM4_SYSCALL(regs);
		break;
	case OS_SYS_OPENAT2:
		a->dirfd = PT_REGS_PARM1_SYSCALL(regs);
		a->fname = (const char *)PT_REGS_PARM2_SYSCALL(regs);
		bpf_probe_read_user(&how, sizeof(how),
				    (void *)PT_REGS_PARM3_SYSCALL(regs));
		a->flags = how.flags;
		a->mode = how.mode;
		return;		/* the kernel refuses a mode without create */
	default:
		a->fname = (const char *)PT_REGS_PARM1_SYSCALL(regs);
		a->mode = PT_REGS_PARM2_SYSCALL(regs);
		a->flags = O_CREAT | O_WRONLY | O_TRUNC;
		break;
	}
	/* as build_open_how(): the mode counts only when creating */
	a->mode = a->flags & (O_CREAT | __O_TMPFILE) ? a->mode & S_IALLUGO : 0;
}

static __always_inline int handle(long ret, int sys)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *task;
	struct scratch *s;
	struct args a;
	__u32 zero = 0, uid;
	__u64 ts;

	if (targ_tgid && (id >> 32) != targ_tgid)
		return 0;
	if (targ_tid && (__u32)id != targ_tid)
		return 0;
	uid = (__u32)bpf_get_current_uid_gid();
	if (targ_uid != INVALID_UID && uid != targ_uid)
		return 0;
	if (targ_failed && ret >= 0)
		return 0;
	ts = bpf_ktime_get_ns();
	if (deadline_ns && ts > deadline_ns)
		return 0;
	task = bpf_get_current_task_btf();
	read_args((struct pt_regs *)bpf_task_pt_regs(task), sys, &a);
	if (!flags_match(a.flags))
		return 0;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return 0;
	if (!in_sets(task))
		return 0;
	s = bpf_map_lookup_elem(&heap, &zero);
	if (!s)
		return 0;
	bpf_get_current_comm(s->e.comm, sizeof(s->e.comm));
	if (name_len && !comm_contains(s->e.comm))
		return 0;
	s->e.ts = ts;
	s->e.pid = id >> 32;
	s->e.tid = (__u32)id;
	s->e.uid = uid;
	s->e.ret = ret;
	s->e.flags = a.flags;
	s->e.mode = a.mode;
	s->e.dirfd = a.dirfd;
	s->e.sys = sys;
	s->e.from = OS_FROM_ARG;
	s->e.pflags = 0;
	if (full_path)
		full_path_of(task, s, ret, a.fname);
	else
		path_as_given(&s->e, a.fname);
	send(&s->e);
	return 0;
}

SEC("tp/syscalls/sys_exit_open")
int exit_open(struct syscall_trace_exit *ctx)
{
	return handle(ctx->ret, OS_SYS_OPEN);
}

SEC("tp/syscalls/sys_exit_openat")
int exit_openat(struct syscall_trace_exit *ctx)
{
	return handle(ctx->ret, OS_SYS_OPENAT);
}

SEC("tp/syscalls/sys_exit_openat2")
int exit_openat2(struct syscall_trace_exit *ctx)
{
	return handle(ctx->ret, OS_SYS_OPENAT2);
}

SEC("tp/syscalls/sys_exit_creat")
int exit_creat(struct syscall_trace_exit *ctx)
{
	return handle(ctx->ret, OS_SYS_CREAT);
}

char LICENSE[] SEC("license") = "GPL";
