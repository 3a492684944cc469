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
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "bpfbox.h"
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
