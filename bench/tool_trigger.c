// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tool_trigger: the events bench/tools.sh waits for when it measures a
 * tool's time from launch to its first event. Runs until killed, making
 * one marked event every PERIOD (1 ms; 5 ms for bash), so a tool sees
 * the first one at most a period after it is attached.
 *
 *   tool_trigger exec LINK       fork + exec of LINK, a link to this
 *                                program named bbexecmark ("noop")
 *   tool_trigger exit            fork, the child named bbexitmark exits
 *   tool_trigger open PATH       open() + close() of PATH
 *   tool_trigger sys             100 getppid() calls
 *   tool_trigger bash            an interactive bash on a pseudo-terminal,
 *                                typed "echo bbreadmark" lines
 *   tool_trigger noop ...        exit 0 (what exec runs)
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int fail(const char *what)
{
	fprintf(stderr, "tool_trigger: %s: %s\n", what, strerror(errno));
	return 1;
}

/* path is a link to this program named bbexecmark: the comm of the new
 * process, which both execsnoops show whatever they make of argv */
static int do_exec(const char *path)
{
	char *argv[] = { "bbexecmark", "noop", NULL };
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid < 0)
			return fail("fork");
		if (pid == 0) {
			execv(path, argv);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
		sleep_ms(1);
	}
}

static int do_exit(void)
{
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid < 0)
			return fail("fork");
		if (pid == 0) {
			prctl(PR_SET_NAME, "bbexitmark", 0, 0, 0);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		sleep_ms(1);
	}
}

static int do_open(const char *path)
{
	int fd;

	for (;;) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail(path);
		close(fd);
		sleep_ms(1);
	}
}

static int __attribute__((noreturn)) do_sys(void)
{
	int i;

	for (;;) {
		for (i = 0; i < 100; i++)
			syscall(SYS_getppid);
		sleep_ms(1);
	}
}

/* read and drop what bash writes, so that it never blocks on the pty */
static void drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int do_bash(void)
{
	static const char cmd[] = "echo bbreadmark\n";
	int master;
	pid_t pid;

	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0)
		return fail("forkpty");
	if (pid == 0) {
		/* leave the user's history alone */
		setenv("HISTFILE", "/dev/null", 1);
		execlp("bash", "bash", "--norc", "--noprofile", "-i", NULL);
		_exit(127);
	}
	fcntl(master, F_SETFL, O_NONBLOCK);
	for (;;) {
		drain(master);
		if (write(master, cmd, sizeof(cmd) - 1) < 0 &&
		    errno != EAGAIN)
			return fail("writing to bash");
		sleep_ms(5);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "noop"))
		return 0;
	if (!strcmp(mode, "exec") && argc == 3)
		return do_exec(argv[2]);
	if (!strcmp(mode, "exit"))
		return do_exit();
	if (!strcmp(mode, "open") && argc == 3)
		return do_open(argv[2]);
	if (!strcmp(mode, "sys"))
		return do_sys();
	if (!strcmp(mode, "bash"))
		return do_bash();
	fprintf(stderr, "usage: tool_trigger {exec LINK|exit|open PATH|sys|bash}\n");
	return 2;
}
