// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * first_line: launch a tracing tool on a pseudo-terminal, as a user at a
 * terminal runs it (stdio line-buffered on both implementations), and
 * measure the time from launch to the first line of output containing
 * PATTERN, i.e. the first event of the workload bench/tools.sh runs
 * meanwhile. Then let the tool run STAY_MS more under that workload and
 * read its peak resident set (VmHWM), end it with SIGINT as Ctrl-C does.
 *
 *   first_line [-t TIMEOUT_MS] [-s STAY_MS] [-l LOG] PATTERN CMD [ARG...]
 *
 * Prints "first_ms F hwm_kb H" on stdout; exit 0, or 1 when PATTERN did
 * not show up in time or the tool ended first (the last output is on
 * stderr then, and all of it in LOG if given).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#define LINE_MAX_LEN	4096

struct run {
	const char *pattern;
	int master;
	pid_t pid;
	FILE *log;
	char line[LINE_MAX_LEN + 1];
	size_t len;
	bool matched, eof;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* one more byte of output; a line ends at '\n' (the pty sends "\r\n") */
static void take_byte(struct run *r, char c)
{
	if (c != '\n') {
		if (r->len < LINE_MAX_LEN)
			r->line[r->len++] = c;
		return;
	}
	r->line[r->len] = '\0';
	if (strstr(r->line, r->pattern))
		r->matched = true;
	r->len = 0;
}

/* read what the tool wrote within wait_ms; sets eof when it is gone */
static void pump(struct run *r, int wait_ms)
{
	struct pollfd p = { .fd = r->master, .events = POLLIN };
	char buf[8192];
	ssize_t n, i;

	if (poll(&p, 1, wait_ms < 0 ? 0 : wait_ms) <= 0)
		return;
	n = read(r->master, buf, sizeof(buf));
	if (n <= 0) {
		/* EIO: every slave fd is closed, the tool has ended */
		if (n == 0 || errno != EINTR)
			r->eof = true;
		return;
	}
	if (r->log)
		fwrite(buf, 1, n, r->log);
	for (i = 0; i < n && !r->matched; i++)
		take_byte(r, buf[i]);
}

static long vm_hwm_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* SIGINT, as Ctrl-C; SIGKILL if the tool is still there after 5 s */
static void stop(struct run *r)
{
	double end = now_ms() + 5000;
	int status;

	kill(r->pid, SIGINT);
	while (!r->eof && now_ms() < end)
		pump(r, 100);
	while (waitpid(r->pid, &status, WNOHANG) == 0) {
		if (now_ms() > end) {
			fprintf(stderr, "first_line: the tool ignored SIGINT "
				"for 5 s, killed\n");
			kill(r->pid, SIGKILL);
			waitpid(r->pid, &status, 0);
			break;
		}
		usleep(10000);
	}
}

static int launch(struct run *r, char **argv)
{
	r->pid = forkpty(&r->master, NULL, NULL, NULL);
	if (r->pid < 0) {
		perror("first_line: forkpty");
		return -1;
	}
	if (r->pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "first_line: exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct run r = { .master = -1 };
	long timeout_ms = 20000, stay_ms = 1000;
	double t0, first = -1, end;
	long hwm = -1;
	int c;

	while ((c = getopt(argc, argv, "+t:s:l:")) != -1) {
		switch (c) {
		case 't':
			timeout_ms = atol(optarg);
			break;
		case 's':
			stay_ms = atol(optarg);
			break;
		case 'l':
			r.log = fopen(optarg, "w");
			if (!r.log) {
				perror(optarg);
				return 1;
			}
			break;
		default:
			return 2;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: first_line [-t TIMEOUT_MS] [-s STAY_MS] "
			"[-l LOG] PATTERN CMD [ARG...]\n");
		return 2;
	}
	r.pattern = argv[optind];
	t0 = now_ms();
	if (launch(&r, argv + optind + 1))
		return 1;
	end = t0 + timeout_ms;
	while (!r.matched && !r.eof && now_ms() < end)
		pump(&r, end - now_ms());
	if (r.matched) {
		first = now_ms() - t0;
		end = now_ms() + stay_ms;
		while (!r.eof && now_ms() < end)
			pump(&r, end - now_ms());
		hwm = vm_hwm_kb(r.pid);
	} else {
		r.line[r.len] = '\0';
		fprintf(stderr, "first_line: '%s' not seen from %s (%s); last "
			"output: %s\n", r.pattern, argv[optind + 1],
			r.eof ? "it ended" : "timeout", r.line);
	}
	stop(&r);
	if (r.log)
		fclose(r.log);
	if (first < 0 || hwm < 0)
		return 1;
	printf("first_ms %.1f hwm_kb %ld\n", first, hwm);
	return 0;
}
