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
struct bpfbox_map;

/* exit codes, as the CLI's */
#define TOOL_OK		0
#define TOOL_FAIL	1
#define TOOL_USAGE	2

/* "TOOL: msg" on stderr; returns TOOL_FAIL / TOOL_USAGE */
int tool_fail(const char *tool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tool_usage(const char *tool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct option;
/*
 * getopt_long over argv: each option goes to parse_opt(ctx, c, arg); an
 * unknown option, a missing argument or a stray word is a usage error.
 * 0: go on; -1: parse_opt printed --help (exit 0); else the exit code.
 */
int tool_parse_args(const char *tool, int argc, char **argv,
		    const char *optstring, const struct option *longopts,
		    int (*parse_opt)(void *ctx, int c, const char *arg),
		    void *ctx);

/* a uid as a number or a user name from /etc/passwd; 0 or -errno */
int tool_parse_uid(const char *s, uint32_t *uid);
/* a positive pid (1..INT32_MAX); 0 or -EINVAL */
int tool_parse_pid(const char *s, int32_t *pid);
/* a number in [min, max]; 0 or -EINVAL */
int tool_parse_long(const char *s, long min, long max, long *out);
/* an errno as a number (bcc takes -2 too) or a name (ENOENT); 1..4095,
 * or -1 when it is neither */
int tool_parse_errno(const char *s);
/* an fd of a cgroup v2 directory, or -1 after printing why */
int tool_open_cgroup(const char *tool, const char *path);
/*
 * -c PATH: put the cgroup v2 directory into slot 0 of the tool's
 * BPF_MAP_TYPE_CGROUP_ARRAY (the kernel side tests
 * bpf_current_task_under_cgroup). 0 (also with no path), or -1 after
 * printing why.
 */
int tool_set_cgroup(const char *tool, const char *path,
		    const struct bpfbox_map *cgroup_map);

/*
 * Text output of n bytes from the traced system: control characters,
 * DEL and bytes that are not valid UTF-8 as \xNN, so that they can
 * neither move the terminal nor split the line; a backslash as \\, so
 * that \xNN in the output always stands for one such byte. quote: also
 * '"' as \".
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
 * First removes legacy tracefs probes left by a killed bpfbox run (see
 * bb_probe_clean_stale), then drops every capability.
 * Polls rb until a signal or a closed stdout; after each batch of events
 * stdout is flushed and the kernel's lost counter (*lost, read through
 * the .bss mapping) reported on stderr when it grew. Returns the exit
 * code: 0 on a signal or when the reader of stdout went away.
 */
int tool_run(const char *tool, struct bpfbox_ringbuf *rb,
	     const volatile uint64_t *lost);

/*
 * tool_run() for event storms (opensnoop). The kernel side asks for a
 * wakeup only when the data waiting crosses a multiple of
 * 1 << tool_wake_shift(ring size) bytes (bpf_ringbuf_output with
 * BPF_RB_FORCE_WAKEUP then, else BPF_RB_NO_WAKEUP: opensnoop.bpf.c's
 * send(); include/bpfbox_ringbuf.bpf.h's bpfbox_ringbuf_output_adaptive
 * is the same policy for any threshold), which spares the traced
 * processes an irq_work per record;
 * the reader drains what waits below that on each tick, at the
 * deadline and at the end, in batches of a bounded number of records,
 * so that a producer that never pauses cannot keep it from signals and
 * from stdout's reader going away.
 *
 * Budgets count the records of rings added with tool_run_ring_add();
 * set the fields, add the ring(s), then call tool_run_opts().
 */
struct tool_run_opts {
	uint64_t deadline_ns;	/* CLOCK_MONOTONIC: the loop ends then (-d);
				 * 0: only on a signal or a closed stdout */
	int tick_ms;		/* poll timeout and drain period; 0: 100 */
	long drain_budget;	/* records per drain on a tick; 0: no drains
				 * (the kernel wakes the reader per record) */
	long final_budget;	/* records drained at the end (deadline or
				 * signal): what a full ring holds; 0: none */
	/* set by tool_run_ring_add() */
	int (*cb)(void *ctx, const void *data, size_t size);
	void *ctx;
	long left;		/* records left in this drain; 0: no limit */
};

/* bpfbox_ringbuf_add() of map_fd with cb, counted against o's budgets
 * (one callback per opts: every ring added shares it); 0 or -errno */
int tool_run_ring_add(struct tool_run_opts *o, struct bpfbox_ringbuf *rb,
		      int map_fd,
		      int (*cb)(void *ctx, const void *data, size_t size),
		      void *ctx);
/* tool_run() with o's deadline, ticks and drains; o NULL: tool_run() */
int tool_run_opts(const char *tool, struct bpfbox_ringbuf *rb,
		  const volatile uint64_t *lost, struct tool_run_opts *o);
/* the wakeup granularity for a ring of ring_bytes: 64 KiB (shift 16),
 * less for a ring smaller than 256 KiB so that at least four wakeup
 * points fit in it */
uint32_t tool_wake_shift(size_t ring_bytes);

/* ---- exit statuses, event times, -v (exitsnoop, bootstrap) ---- */
struct bpfbox_object;

/* a signal's name without "SIG" ("TERM"; "RTMIN+3"), "SIGnn" if none */
const char *tool_signal_name(int sig, char *buf, size_t len);
/*
 * A wait() status as text: "0", "code N", "signal N (NAME)" followed by
 * ", core dumped" when the core bit is set (libbpf-tools' EXIT_CODE).
 */
void tool_put_exit_status(FILE *f, uint32_t status);
/* the wall clock at CLOCK_MONOTONIC mono_ns: "HH:MM:SS" (.mmm if ms),
 * local time or UTC */
void tool_put_mono_time(FILE *f, uint64_t mono_ns, bool utc, bool ms);
/* -v: on stderr, "TOOL: ..." lines about each program and map loaded
 * (type, instructions, kernel id) and each attachment made */
void tool_verbose_loaded(const char *tool, struct bpfbox_object *obj);
void tool_verbose_attached(const char *tool, struct bpfbox_object *obj);

/* ---- loops of their own (syscount: counters in maps, no ring) ---- */
/* a signal of tool_signals_init() has asked the tool to end */
bool tool_exiting(void);
/* the reader of stdout is gone (a pipe's reader closed it) */
bool tool_stdout_gone(void);
/* what tool_run() does once attached: remove stale tracefs probes,
 * then drop every capability (a warning on stderr if it cannot) */
void tool_attached(const char *tool);

#endif
