// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Capabilities: what this process may do, and giving it all up. A tool
 * needs CAP_BPF/CAP_PERFMON (or CAP_SYS_ADMIN) to load and attach; once
 * attached, reading ring buffers and maps through the fds it holds needs
 * nothing, so a long-running command drops everything and a bug in its
 * event loop cannot be used to do more.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "bpfbox.h"
#include "caps.h"
#include "err.h"

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	memset(d, 0, 2 * sizeof(*d));
	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

bool bpfbox_cap_effective(int cap)
{
	struct __user_cap_data_struct d[2];

	if (cap < 0 || cap >= 64 || caps_get(d))
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

bool bpfbox_may_use_bpf(void)
{
	return bpfbox_cap_effective(CAP_SYS_ADMIN) ||
	       bpfbox_cap_effective(BPFBOX_CAP_BPF);
}

int bpfbox_drop_caps(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = {};
	int cap;

	/* the bounding set first: dropping it needs CAP_SETPCAP, which
	 * goes with the rest below; EINVAL ends the kernel's known caps */
	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno == EINVAL)
			break;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capset, &h, d))
		return bb_err(errno, "dropping capabilities: %s",
			      strerror(errno));
	/* a later execve() must not win them back through setuid root */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}

/*
 * Before Linux 5.11, BPF maps and programs were charged to
 * RLIMIT_MEMLOCK, whose default (64 KiB, 8 MiB on newer distributions) a
 * single map can exceed: the kernel then says EPERM even to root. Newer
 * kernels charge the memory cgroup and never fail this way, so the limit
 * is raised only after such an EPERM, never up front. Returns 1 when it
 * was raised (retry), 0 when raising cannot help, -errno when it failed.
 */
int bb_memlock_raise_after_eperm(int err)
{
	struct rlimit rl;

	if (err != -EPERM || !bpfbox_may_use_bpf())
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY)
		return 0;
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return bb_err(errno, "RLIMIT_MEMLOCK is %llu KiB and cannot be raised (%s); kernels before 5.11 count BPF memory against it: raise it (ulimit -l unlimited) or run as root",
			      (unsigned long long)rl.rlim_cur / 1024,
			      strerror(errno));
	return 1;
}
