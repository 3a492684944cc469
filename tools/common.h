/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the tracing tools share: argument parsing helpers, escaping of
 * text from the traced system, the event loop with its signal handling,
 * flushing and lost-event reports.
 */
#ifndef BB_TOOLS_COMMON_H
#define BB_TOOLS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bpfbox_ringbuf;

/* exit codes, as the CLI's */
#define TOOL_OK		0
#define TOOL_FAIL	1
#define TOOL_USAGE	2

/* "TOOL: msg" on stderr; returns TOOL_FAIL / TOOL_USAGE */
int tool_fail(const char *tool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tool_usage(const char *tool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* a uid as a number or a user name from /etc/passwd; 0 or -errno */
int tool_parse_uid(const char *s, uint32_t *uid);
/* a positive pid (1..INT32_MAX); 0 or -EINVAL */
int tool_parse_pid(const char *s, int32_t *pid);
/* a number in [min, max]; 0 or -EINVAL */
int tool_parse_long(const char *s, long min, long max, long *out);
/* an fd of a cgroup v2 directory, or -1 after printing why */
int tool_open_cgroup(const char *tool, const char *path);

/*
 * Text output of n bytes from the traced system: control characters,
 * DEL and bytes that are not valid UTF-8 as \xNN, so that they can
 * neither move the terminal nor split the line. quote: also '"' as \".
 */
void tool_put_esc(FILE *f, const char *s, size_t n, bool quote);
/* the same for a NUL-terminated string of at most n bytes */
void tool_put_esc_str(FILE *f, const char *s, size_t n);

/* "HH:MM:SS" of the wall clock now */
void tool_put_hms(FILE *f);
/* CLOCK_MONOTONIC in ns (the clock of bpf_ktime_get_ns) */
uint64_t tool_mono_ns(void);

/* SIGINT, SIGTERM, SIGHUP end the loop; SIGPIPE is seen as EPIPE */
void tool_signals_init(void);

/*
 * Poll rb until a signal or a closed stdout; after each batch of events
 * stdout is flushed and the kernel's lost counter (*lost, read through
 * the .bss mapping) reported on stderr when it grew. Returns the exit
 * code: 0 on a signal or when the reader of stdout went away.
 */
int tool_run(const char *tool, struct bpfbox_ringbuf *rb,
	     const volatile uint64_t *lost);

#endif
