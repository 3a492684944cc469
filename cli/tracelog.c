// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox tracelog (also `bpfbox prog tracelog`, as in bpftool): copy the
 * kernel's trace_pipe, where bpf_printk() writes, to stdout.
 *
 * The text is the kernel's own formatting and is passed through as is
 * (NUL bytes excepted). Each read is written out at once. It ends on
 * SIGINT or SIGTERM (exit 0), and when the reader of stdout goes away:
 * `bpfbox tracelog | head -1` must end even if no further line comes,
 * so stdout is polled for POLLERR next to the pipe, and SIGPIPE keeps
 * (or gets back) its default action for the write that finds it closed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "cli.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfbox tracelog\n"
		"       bpfbox prog tracelog\n"
		"\n"
		"       Print the kernel's trace_pipe (bpf_printk output) until\n"
		"       interrupted. Reading it consumes the lines: another reader\n"
		"       at the same time sees only the rest.\n");
}

/* write all of buf, dropping NUL bytes; false when stdout is gone */
static bool write_out(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nul;
	ssize_t n;

	while (p < end) {
		nul = memchr(p, '\0', end - p);
		if (nul == p) {
			p++;
			continue;
		}
		n = write(STDOUT_FILENO, p, (nul ? nul : end) - p);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
	}
	return true;
}

static int setup_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake ppoll */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	/* a write to a closed stdout ends us the way it ends cat (if
	 * SIGPIPE was left blocked or ignored, EPIPE ends the loop) */
	signal(SIGPIPE, SIG_DFL);
	/* SIGINT and SIGTERM arrive only inside ppoll: no lost wakeup */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, waitmask))
		return -errno;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	return 0;
}

static int pump(int fd, const sigset_t *waitmask)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = STDOUT_FILENO, .events = 0 },	/* POLLERR: reader gone */
	};
	char buf[65536];
	ssize_t n;

	while (!stop) {
		if (ppoll(p, 2, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return cli_fail("waiting for the trace pipe: %s",
					strerror(errno));
		}
		if (p[1].revents & (POLLERR | POLLHUP | POLLNVAL))
			return CLI_OK;
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return cli_fail("reading the trace pipe: %s",
					strerror(errno));
		if (n == 0)
			return CLI_OK;
		if (!write_out(buf, n))
			return CLI_OK;
	}
	return CLI_OK;
}

int cmd_tracelog(struct cli *cli, int argc, char **argv)
{
	sigset_t waitmask;
	int fd, rc, err;

	if (argc && cli_is_help(argv[0])) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc) {
		cli_usage("tracelog takes no arguments, got '%s'", argv[0]);
		usage(stderr);
		return CLI_USAGE;
	}
	if (cli->json)
		return cli_usage("tracelog has no JSON output: the lines are the kernel's text");
	fd = bpfbox_trace_pipe_open(true);
	if (fd < 0)
		return cli_fail("%s", bpfbox_errmsg());
	/* reading the open pipe needs no privilege */
	if (bpfbox_drop_caps())
		fprintf(stderr, "bpfbox: warning: %s\n", bpfbox_errmsg());
	err = setup_signals(&waitmask);
	if (err) {
		close(fd);
		return cli_fail("setting up signals: %s", strerror(-err));
	}
	rc = pump(fd, &waitmask);
	close(fd);
	return rc;
}
