/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * opensnoop: the event record shared by the kernel side (opensnoop.bpf.c)
 * and the user side (opensnoop.c). Types are the __u32 family, which
 * both vmlinux.h and <linux/types.h> define.
 *
 * A record is the fixed header and path_len bytes of path (no NUL): the
 * ring carries only the bytes used, so a typical open costs ~100 bytes.
 */
#ifndef BB_TOOLS_OPENSNOOP_H
#define BB_TOOLS_OPENSNOOP_H

#define OS_COMM_LEN	16
/* path bytes sent at most (the kernel's PATH_MAX, NUL included) */
#define OS_PATH_MAX	4096
/* a path component (NAME_MAX) */
#define OS_NAME_MAX	255
/* -F: dentries and mounts walked at most per path (a path of 4096
 * bytes has at most 2048 components; each mount crossing is a step) */
#define OS_WALK_MAX	2100
/* -f FLAG: how many flag tests */
#define OS_FLAGS_MAX	16
/* the AT_FDCWD of the *at() calls */
#define OS_AT_FDCWD	(-100)

enum os_syscall {
	OS_SYS_OPEN = 0,
	OS_SYS_OPENAT = 1,
	OS_SYS_OPENAT2 = 2,
	OS_SYS_CREAT = 3,
	OS_SYS_NR
};

/* where the printed path comes from (enum os_from) */
enum os_from {
	OS_FROM_ARG = 0,	/* the path argument as the caller gave it */
	OS_FROM_FD = 1,		/* -F: the opened file, resolved from its fd */
	OS_FROM_DIRFD = 2,	/* -F, failed relative open: dirfd's path +
				 * "/" + the argument */
	OS_FROM_CWD = 3,	/* -F, failed relative open: the cwd + "/" +
				 * the argument */
};

/* bits of os_event.pflags */
#define OS_P_TRUNC	1	/* the path was longer than OS_PATH_MAX or
				 * deeper than OS_WALK_MAX: its start is cut */
#define OS_P_NOREAD	2	/* the path argument could not be read */

struct os_event {
	__u64 ts;		/* CLOCK_MONOTONIC, ns, at syscall exit */
	__u32 pid;		/* thread group id */
	__u32 tid;
	__u32 uid;
	__s32 ret;		/* the fd, or -errno */
	__u32 flags;		/* open flags as passed (creat: the implied
				 * O_CREAT|O_WRONLY|O_TRUNC) */
	__u32 mode;
	__s32 dirfd;		/* openat/openat2; OS_AT_FDCWD for the others */
	__u16 path_len;		/* bytes in path[] */
	__u8 sys;		/* enum os_syscall */
	__u8 from;		/* enum os_from */
	__u8 pflags;		/* OS_P_* */
	__u8 pad[7];
	char comm[OS_COMM_LEN];
	char path[OS_PATH_MAX];
};

#endif
