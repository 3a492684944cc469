/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The result lines of the C test programs, one per check:
 *   "ok WHAT", "FAIL WHAT: WHY", "skip WHAT: WHY"
 * read line by line by the integration scripts and the VM matrix, so a
 * reason never spans lines. Each program is one translation unit: the
 * static state here is its own.
 */
#ifndef BB_ITEST_H
#define BB_ITEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/utsname.h>

static int failures;

static inline void itest_oneline(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = ' ';
}

static inline void ok(const char *what)
{
	printf("ok %s\n", what);
}

static inline __attribute__((format(printf, 1, 2)))
void okf(const char *fmt, ...)
{
	char what[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	itest_oneline(what);
	ok(what);
}

static inline void itest_line(const char *tag, const char *what,
			      const char *fmt, va_list ap)
{
	char why[2048];

	vsnprintf(why, sizeof(why), fmt, ap);
	itest_oneline(why);
	printf("%s %s: %s\n", tag, what, why);
}

static inline __attribute__((format(printf, 2, 3)))
void fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	itest_line("FAIL", what, fmt, ap);
	va_end(ap);
	failures++;
}

static inline __attribute__((format(printf, 2, 3)))
void skip(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	itest_line("skip", what, fmt, ap);
	va_end(ap);
}

/* ok/FAIL on a condition; returns the condition */
static inline bool check(bool cond, const char *what, const char *why)
{
	if (cond)
		ok(what);
	else
		fail(what, "%s", why);
	return cond;
}

static inline __attribute__((format(printf, 3, 4)))
bool checkf(bool cond, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		ok(what);
		return true;
	}
	va_start(ap, fmt);
	itest_line("FAIL", what, fmt, ap);
	va_end(ap);
	failures++;
	return false;
}

/* an attach kind seen firing: the VM matrix collects these */
static inline void fired(const char *kind)
{
	printf("fired %s\n", kind);
}

static inline const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		return "?";
	return u.release;
}

static inline bool kernel_older_than(int major, int minor)
{
	int ma = 0, mi = 0;

	if (sscanf(kernel_release(), "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

#endif
