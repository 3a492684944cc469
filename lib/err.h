/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per-thread error messages: errors are values with words. */
#ifndef BB_ERR_H
#define BB_ERR_H

#include <errno.h>

/*
 * Record the message for this thread and return -abs(err), so that a
 * failure path reads:  return bb_err(EINVAL, "object %s: ...", name);
 */
int bb_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message: "ctx: <old message>"; returns -abs(err). */
int bb_err_wrap(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clear this thread's message. */
void bb_err_clear(void);

#endif
