// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "bpfbox.h"
#include "err.h"

#define BB_ERRMSG_LEN 2048

/* Thread-local, so two threads or objects never overwrite each other's. */
static __thread char errmsg[BB_ERRMSG_LEN];

const char *bpfbox_errmsg(void)
{
	return errmsg;
}

void bb_err_clear(void)
{
	errmsg[0] = '\0';
}

int bb_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return err > 0 ? -err : (err ? err : -EINVAL);
}

int bb_err_wrap(int err, const char *fmt, ...)
{
	char old[BB_ERRMSG_LEN];
	size_t n;
	va_list ap;

	memcpy(old, errmsg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	if (n + 2 < sizeof(errmsg) && old[0]) {
		size_t room = sizeof(errmsg) - n - 3;
		size_t len = strnlen(old, room);

		memcpy(errmsg + n, ": ", 2);
		memcpy(errmsg + n + 2, old, len);
		errmsg[n + 2 + len] = '\0';
	}
	return err > 0 ? -err : (err ? err : -EINVAL);
}
