// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run: the event loop. One ppoll over the event channels' epoll
 * fds, the trace_pipe and stdout (POLLERR: its reader went away), woken
 * by SIGINT/SIGTERM (which arrive only inside ppoll, so none is lost)
 * and by the -i / -d timers. SIGPIPE is ignored: a write to a closed
 * stdout fails with EPIPE and ends the loop, so the programs are still
 * detached and whatever bpfbox made in tracefs is removed on the way out.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

#define MAX_FDS 64
#define NEVER 1e300		/* a time that never comes */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

void run_flush(struct run *r)
{
	if (fflush(stdout) || ferror(stdout))
		r->stdout_gone = true;
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
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, waitmask))
		return -errno;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the fds to wait on; *nchan of them are event channels */
static nfds_t fill_fds(const struct run *r, struct pollfd *p, size_t *nchan)
{
	int fds[MAX_FDS];
	size_t i, n = run_chans_fds(r, fds, MAX_FDS - 2);

	for (i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	*nchan = n;
	if (run_printk_fd(r) >= 0)
		p[n++] = (struct pollfd){ .fd = run_printk_fd(r), .events = POLLIN };
	p[n++] = (struct pollfd){ .fd = STDOUT_FILENO, .events = 0 };
	return n;
}

static struct timespec *wait_for(double until, double t, struct timespec *ts)
{
	double d;

	if (until >= NEVER)
		return NULL;
	d = until > t ? until - t : 0;
	ts->tv_sec = (time_t)d;
	ts->tv_nsec = (long)((d - ts->tv_sec) * 1e9);
	return ts;
}

/* one wakeup's work: 0, or a negative errno to stop */
static int serve(struct run *r, const struct pollfd *p, nfds_t n, size_t nchan)
{
	bool chans = false;
	size_t i;
	int err;

	if (p[n - 1].revents & (POLLERR | POLLHUP | POLLNVAL)) {
		r->stdout_gone = true;
		return 0;
	}
	for (i = 0; i < nchan; i++)
		chans |= p[i].revents != 0;
	if (chans) {
		err = run_chans_consume(r);
		if (err == -EPIPE || r->stdout_gone) {
			r->stdout_gone = true;
			return 0;
		}
		if (err)
			return err;
	}
	run_flush(r);
	if (nchan + 1 < n && p[nchan].revents)
		return run_printk_read(r);
	return 0;
}

int run_loop(struct run *r)
{
	double t = now(), end = NEVER, next = NEVER;
	struct pollfd p[MAX_FDS];
	struct timespec ts;
	sigset_t waitmask;
	size_t nchan;
	nfds_t n;
	int err;

	err = setup_signals(&waitmask);
	if (err)
		return cli_fail("setting up signals: %s", strerror(-err));
	if (r->duration)
		end = t + r->duration;
	if (r->interval)
		next = t + r->interval;
	n = fill_fds(r, p, &nchan);
	while (!stop && !r->stdout_gone) {
		for (size_t i = 0; i < n; i++)
			p[i].revents = 0;
		if (ppoll(p, n, wait_for(end < next ? end : next, t, &ts), &waitmask) < 0 &&
		    errno != EINTR)
			return cli_fail("waiting for events: %s", strerror(errno));
		err = serve(r, p, n, nchan);
		if (err)
			return CLI_FAIL;
		t = now();
		if (t >= end)
			break;
		if (t >= next) {
			run_maps_print(r, false);
			while (next <= t)
				next += r->interval;
		}
	}
	/* what the programs sent before the end is shown too */
	if (!r->stdout_gone && !run_chans_consume(r))
		run_flush(r);
	return CLI_OK;
}
