// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace_pipe of tracefs, where bpf_printk() writes. Reading it
 * consumes what it returns (one reader sees each line), so it is opened
 * only on demand. tracefs is found or mounted by fs.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "err.h"

int bpfbox_trace_pipe_open(bool nonblock)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int fd, err;

	err = bpfbox_tracefs_path(dir, sizeof(dir));
	if (err)
		return bb_err_wrap(err, "trace_pipe");
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
	if (fd < 0) {
		err = errno;
		return bb_err(err, "opening %s: %s%s", path, strerror(err),
			      err == EACCES || err == EPERM ?
			      " (reading the trace pipe needs root)" : "");
	}
	return fd;
}
