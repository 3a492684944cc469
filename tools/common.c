// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Shared parts of the tracing tools (see common.h). */
#include <ctype.h>
#include <errno.h>
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

#include "bpfbox.h"
#include "common.h"
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

void tool_put_esc(FILE *f, const char *s, size_t n, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(f, "\\x%02x", p[i++]);
			continue;
		}
		if (quote && p[i] == '"') {
			fputs("\\\"", f);
			i++;
			continue;
		}
		l = bb_utf8_len(p + i, n - i);
		if (!l) {
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

int tool_run(const char *tool, struct bpfbox_ringbuf *rb,
	     const volatile uint64_t *lost)
{
	uint64_t seen = 0;
	int n, ret = TOOL_OK;

	/* attached: reading the ring and the map through the fds held
	 * needs no privilege, and detaching at exit only closes them */
	if (bpfbox_drop_caps())
		fprintf(stderr, "%s: warning: %s\n", tool, bpfbox_errmsg());
	while (!exiting) {
		n = bpfbox_ringbuf_poll(rb, 100);
		if (n < 0 && n != -EINTR) {
			ret = tool_fail(tool, "reading events: %s",
					bpfbox_errmsg());
			break;
		}
		if (fflush(stdout) || ferror(stdout) || stdout_gone())
			break;	/* EPIPE: nobody reads any more */
		report_lost(tool, lost, &seen);
	}
	report_lost(tool, lost, &seen);
	if (seen)
		fprintf(stderr, "%s: %llu events lost in all\n", tool,
			(unsigned long long)seen);
	return ret;
}
