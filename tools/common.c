// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Shared parts of the tracing tools (see common.h). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "attach.h"
#include "bpfbox.h"
#include "common.h"
#include "err.h"
#include "utf8.h"

static void vmsg(const char *tool, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", tool);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int tool_fail(const char *tool, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(tool, fmt, ap);
	va_end(ap);
	return TOOL_FAIL;
}

int tool_usage(const char *tool, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(tool, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", tool);
	return TOOL_USAGE;
}

int tool_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int tool_parse_errno(const char *s)
{
	const char *name;
	long v;
	int i;

	if (!tool_parse_long(s, -4095, 4095, &v))
		return v ? labs(v) : -1;
	for (i = 1; i < 4096; i++) {
		name = strerrorname_np(i);
		if (name && !strcasecmp(name, s))
			return i;
	}
	return -1;
}

int tool_parse_pid(const char *s, int32_t *pid)
{
	long v;

	if (tool_parse_long(s, 1, INT32_MAX, &v))
		return -EINVAL;
	*pid = v;
	return 0;
}

/* /etc/passwd itself: NSS does not work in a static binary */
static int uid_of_name(const char *name, uint32_t *uid)
{
	size_t len = strlen(name);
	char line[1024], *p;
	FILE *f;
	long v;
	int err = -ENOENT;

	f = fopen("/etc/passwd", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, len) || line[len] != ':')
			continue;
		p = strchr(line + len + 1, ':');	/* past the password */
		if (!p)
			break;
		p = strtok(p + 1, ":");
		if (p && !tool_parse_long(p, 0, UINT32_MAX - 1, &v)) {
			*uid = v;
			err = 0;
		}
		break;
	}
	fclose(f);
	return err;
}

int tool_parse_uid(const char *s, uint32_t *uid)
{
	long v;

	if (!s || !*s)
		return -EINVAL;
	if (isdigit((unsigned char)*s)) {
		if (tool_parse_long(s, 0, UINT32_MAX - 1, &v))
			return -EINVAL;
		*uid = v;
		return 0;
	}
	return uid_of_name(s, uid);
}

int tool_parse_args(const char *tool, int argc, char **argv,
		    const char *optstring, const struct option *longopts,
		    int (*parse_opt)(void *ctx, int c, const char *arg),
		    void *ctx)
{
	int c, err;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (c == '?') {
			if (optopt && optopt < 256)
				return tool_usage(tool, "unknown option '-%c' or missing argument",
						  optopt);
			return tool_usage(tool, "unknown option '%s' or missing argument",
					  argv[optind - 1]);
		}
		err = parse_opt(ctx, c, optarg);
		if (err)
			return err;
	}
	if (optind < argc)
		return tool_usage(tool, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int tool_open_cgroup(const char *tool, const char *path)
{
	struct statfs sfs;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		tool_fail(tool, "cgroup %s: %s (give the directory of a cgroup v2, e.g. /sys/fs/cgroup/system.slice)",
			  path, strerror(errno));
		return -1;
	}
	if (fstatfs(fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		tool_fail(tool, "cgroup %s: not a cgroup v2 directory (the filter needs the unified hierarchy)",
			  path);
		close(fd);
		return -1;
	}
	return fd;
}

int tool_set_cgroup(const char *tool, const char *path,
		    const struct bpfbox_map *cgroup_map)
{
	uint32_t zero = 0;
	int fd, err;

	if (!path)
		return 0;
	fd = tool_open_cgroup(tool, path);
	if (fd < 0)
		return -1;
	err = bpfbox_map_update_elem(bpfbox_map_fd(cgroup_map), &zero, &fd,
				     BPF_ANY);
	close(fd);
	if (err)
		tool_fail(tool, "cgroup %s: cannot set the filter: %s", path,
			  bpfbox_errmsg());
	return err ? -1 : 0;
}

/* bytes from p on that print as they are: printable ASCII, but for a
 * backslash and, when quoting, '"' */
static size_t plain_run(const unsigned char *p, size_t n, bool quote)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\\' ||
		    (quote && p[i] == '"'))
			break;
	return i;
}

void tool_put_esc(FILE *f, const char *s, size_t n, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	while (i < n) {
		/* the common case, paths and names in ASCII: one write */
		l = plain_run(p + i, n - i, quote);
		if (l) {
			fwrite(p + i, 1, l, f);
			i += l;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(f, "\\x%02x", p[i++]);
			continue;
		}
		/* a backslash doubles: the text "\x1b" typed by a user
		 * must not pass for an escaped ESC byte */
		if (p[i] == '\\' || (quote && p[i] == '"')) {
			fputc('\\', f);
			fputc(p[i++], f);
			continue;
		}
		/* invalid, or valid but able to drive a terminal (8-bit
		 * CSI, bidi overrides): every byte as \xNN */
		l = bb_utf8_len(p + i, n - i);
		if (!l || bb_utf8_unsafe(p + i, l)) {
			for (l = l ? l : 1; l--; )
				fprintf(f, "\\x%02x", p[i++]);
			continue;
		}
		fwrite(p + i, 1, l, f);
		i += l;
	}
}

void tool_put_esc_str(FILE *f, const char *s, size_t n)
{
	tool_put_esc(f, s, strnlen(s, n), false);
}

void tool_put_hms(FILE *f)
{
	char buf[16];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fputs(buf, f);
}

uint64_t tool_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

void tool_signals_init(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: the poll wakes up with EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* the reader of stdout is gone (a pipe's reader closed it) */
static bool stdout_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

static void report_lost(const char *tool, const volatile uint64_t *lost,
			uint64_t *seen)
{
	uint64_t now = lost ? *lost : 0;

	if (now == *seen)
		return;
	fprintf(stderr, "%s: %llu events lost (ring buffer full; %llu in all)\n",
		tool, (unsigned long long)(now - *seen),
		(unsigned long long)now);
	*seen = now;
}

/*
 * Legacy kprobe_events/uprobe_events entries named bpfbox_<pid>_<n>
 * whose process is gone: a run killed by SIGKILL could not remove them.
 * Done by every tool as it starts (while it may still write tracefs),
 * not only when it makes a legacy probe itself.
 */
static void clean_stale(const char *tool)
{
	int n = bb_probe_clean_stale();

	if (n > 0)
		fprintf(stderr, "%s: removed %d stale probe%s left in tracefs by a killed bpfbox run\n",
			tool, n, n == 1 ? "" : "s");
}

int tool_run(const char *tool, struct bpfbox_ringbuf *rb,
	     const volatile uint64_t *lost)
{
	return tool_run_opts(tool, rb, lost, NULL);
}

#define TICK_MS_DEFAULT	100

/* the tool's callback, and the end of a drain when its budget is spent
 * (the record counts as consumed: the library moves past it) */
static int budget_cb(void *ctx, const void *data, size_t size)
{
	struct tool_run_opts *o = ctx;
	int err = o->cb(o->ctx, data, size);

	if (err)
		return err;
	if (o->left && --o->left == 0)
		return -EAGAIN;
	return 0;
}

int tool_run_ring_add(struct tool_run_opts *o, struct bpfbox_ringbuf *rb,
		      int map_fd,
		      int (*cb)(void *ctx, const void *data, size_t size),
		      void *ctx)
{
	if (o->cb && (o->cb != cb || o->ctx != ctx))
		return bb_err(EINVAL, "tool_run_ring_add: one callback per tool_run_opts");
	o->cb = cb;
	o->ctx = ctx;
	o->left = 0;
	return bpfbox_ringbuf_add(rb, map_fd, budget_cb, o);
}

/* what waits in the rings without a wakeup, at most budget records: the
 * number handled or -errno */
static int drain(struct bpfbox_ringbuf *rb, struct tool_run_opts *o,
		 long budget)
{
	int n;

	o->left = budget;
	n = bpfbox_ringbuf_consume(rb);
	o->left = 0;
	return n == -EAGAIN ? (int)(budget < INT_MAX ? budget : INT_MAX) : n;
}

/* the poll timeout: a tick, or less to wake at the deadline */
static int poll_wait(const struct tool_run_opts *o, int tick, uint64_t now)
{
	uint64_t ms;

	if (!o || !o->deadline_ns)
		return tick;
	ms = (o->deadline_ns - now) / 1000000 + 1;
	return ms < (uint64_t)tick ? (int)ms : tick;
}

/* nothing to show any more: an output error or stdout's reader gone */
static bool output_done(void)
{
	return fflush(stdout) || ferror(stdout) || stdout_gone();
}

int tool_run_opts(const char *tool, struct bpfbox_ringbuf *rb,
		  const volatile uint64_t *lost, struct tool_run_opts *o)
{
	int tick = o && o->tick_ms > 0 ? o->tick_ms : TICK_MS_DEFAULT;
	bool drains = o && o->drain_budget > 0;
	uint64_t seen = 0, now = 0, last_drain;
	int n, ret = TOOL_OK;

	tool_attached(tool);
	last_drain = tool_mono_ns();
	while (!exiting) {
		if (o && o->deadline_ns) {
			now = tool_mono_ns();
			if (now >= o->deadline_ns)
				break;
		}
		n = bpfbox_ringbuf_poll(rb, poll_wait(o, tick, now));
		/* on a timeout, and on a tick's time in a busy loop: the
		 * records below the next wakeup point wait for us */
		if (drains && n >= 0 && (n == 0 ||
		    tool_mono_ns() - last_drain >= (uint64_t)tick * 1000000)) {
			n = drain(rb, o, o->drain_budget);
			last_drain = tool_mono_ns();
		}
		if (n < 0 && n != -EINTR) {
			ret = tool_fail(tool, "reading events: %s",
					bpfbox_errmsg());
			break;
		}
		if (output_done())
			break;	/* EPIPE: nobody reads any more */
		report_lost(tool, lost, &seen);
	}
	/* at the deadline or a signal: what the kernel sent before it */
	if (!ret && o && o->final_budget > 0 && !ferror(stdout) &&
	    !stdout_gone() && drain(rb, o, o->final_budget) > 0)
		fflush(stdout);
	report_lost(tool, lost, &seen);
	if (seen)
		fprintf(stderr, "%s: %llu events lost in all\n", tool,
			(unsigned long long)seen);
	return ret;
}

uint32_t tool_wake_shift(size_t ring_bytes)
{
	uint32_t shift = 16;

	while (shift > 1 && ((size_t)4 << shift) > ring_bytes)
		shift--;
	return shift;
}

/* ---- exit statuses, event times, -v (exitsnoop, bootstrap) ---- */
#include "cli.h"	/* cli_prog_info, cli_map_info */

const char *tool_signal_name(int sig, char *buf, size_t len)
{
	const char *name = sigabbrev_np(sig);

	if (name)
		return name;
	/* real-time signals as bash's kill -l numbers them */
	if (sig == SIGRTMIN)
		return "RTMIN";
	if (sig == SIGRTMAX)
		return "RTMAX";
	if (sig > SIGRTMIN && sig - SIGRTMIN <= (SIGRTMAX - SIGRTMIN) / 2)
		snprintf(buf, len, "RTMIN+%d", sig - SIGRTMIN);
	else if (sig > SIGRTMIN && sig < SIGRTMAX)
		snprintf(buf, len, "RTMAX-%d", SIGRTMAX - sig);
	else
		snprintf(buf, len, "SIG%d", sig);
	return buf;
}

void tool_put_exit_status(FILE *f, uint32_t status)
{
	int sig = status & 0x7f;
	char buf[16];

	if (!(status & 0xff)) {
		if (status >> 8)
			fprintf(f, "code %u", (status >> 8) & 0xff);
		else
			fputc('0', f);
		return;
	}
	if (sig)
		fprintf(f, "signal %d (%s)", sig,
			tool_signal_name(sig, buf, sizeof(buf)));
	if (status & 0x80)
		fputs(sig ? ", core dumped" : "core dumped", f);
}

void tool_put_mono_time(FILE *f, uint64_t mono_ns, bool utc, bool ms)
{
	struct timespec rt, mono;
	int64_t wall_ns;
	char buf[16];
	struct tm tm;
	time_t t;

	/* the event's wall time: now minus how long ago it happened */
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	wall_ns = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec -
		  ((int64_t)mono.tv_sec * 1000000000 + mono.tv_nsec -
		   (int64_t)mono_ns);
	t = wall_ns / 1000000000;
	if (utc)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fputs(buf, f);
	if (ms)
		fprintf(f, ".%03d", (int)(wall_ns % 1000000000 / 1000000));
}

void tool_verbose_loaded(const char *tool, struct bpfbox_object *obj)
{
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	struct bpfbox_prog *p;
	struct bpfbox_map *m;
	const char *type;
	size_t i, n;

	for (i = 0; i < bpfbox_object_prog_count(obj); i++) {
		p = bpfbox_object_prog(obj, i);
		if (bpfbox_prog_fd(p) < 0) {
			fprintf(stderr, "%s: program %s (section %s): not loaded (not needed with these options)\n",
				tool, bpfbox_prog_name(p), bpfbox_prog_section(p));
			continue;
		}
		bpfbox_prog_insns(p, &n);
		type = bpfbox_prog_type_name(bpfbox_prog_type(p));
		if (cli_prog_info(bpfbox_prog_fd(p), &pi))
			memset(&pi, 0, sizeof(pi));
		fprintf(stderr, "%s: program %s (section %s): %s, %zu instructions, %u verified, kernel id %u\n",
			tool, bpfbox_prog_name(p), bpfbox_prog_section(p),
			type ? type : "?", n, pi.verified_insns, pi.id);
	}
	for (i = 0; i < bpfbox_object_map_count(obj); i++) {
		m = bpfbox_object_map(obj, i);
		type = bpfbox_map_type_name(bpfbox_map_type(m));
		if (bpfbox_map_fd(m) < 0 || cli_map_info(bpfbox_map_fd(m), &mi))
			memset(&mi, 0, sizeof(mi));
		fprintf(stderr, "%s: map %s: %s, key %u value %u bytes, %u entries, kernel id %u\n",
			tool, bpfbox_map_name(m), type ? type : "?",
			bpfbox_map_key_size(m), bpfbox_map_value_size(m),
			bpfbox_map_max_entries(m), mi.id);
	}
}

void tool_verbose_attached(const char *tool, struct bpfbox_object *obj)
{
	struct bpfbox_link *l;
	struct bpfbox_prog *p;
	size_t i;

	for (i = 0; i < bpfbox_object_prog_count(obj); i++) {
		p = bpfbox_object_prog(obj, i);
		l = bpfbox_prog_link(p);
		if (l)
			fprintf(stderr, "%s: program %s attached: %s\n", tool,
				bpfbox_prog_name(p), bpfbox_link_describe(l));
	}
}

/* ---- loops of their own (syscount) ---- */

bool tool_exiting(void)
{
	return exiting;
}

bool tool_stdout_gone(void)
{
	return stdout_gone();
}

void tool_attached(const char *tool)
{
	clean_stale(tool);
	if (bpfbox_drop_caps())
		fprintf(stderr, "%s: warning: %s\n", tool, bpfbox_errmsg());
}
