// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * open_storm: the workload of the opensnoop storm in bench/tools.sh.
 * open() and close() one file as fast as one thread can for SECS
 * seconds, then print how many opens that was and the rate.
 *
 *   open_storm [-w FILE -q PROBE] [-d SECS] PATH
 *
 * -w FILE -q PROBE: before the storm, open PROBE once a millisecond
 * until FILE (the tracer's output) is not empty. The tracer is started
 * after this process, with this pid as its filter, and whether it is
 * attached can only be told from its output: a libbpf-tools tool
 * writing to a file buffers its header, so its first bytes reach the
 * file once it has delivered a few probe events. PROBE is another path
 * than PATH, so the probe events are not counted as storm events.
 *
 * Prints: "opens N secs S rate R cpu C cpurate CR": R opens per second
 * of wall time, CR per second of this process's CPU time (user and
 * system, so what tracing adds to each open() in the kernel counts; the
 * time other processes of a loaded machine take from it does not).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define PROBE_LIMIT_MS	60000
#define CLOCK_EVERY	256	/* opens between two reads of the clock */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time (user + system) this process has used */
static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int open_close(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "open_storm: open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* wait for the tracer's first output bytes, opening probe meanwhile */
static int wait_tracer(const char *file, const char *probe)
{
	struct timespec ms = { 0, 1000000 };
	struct stat st;
	int i;

	for (i = 0; i < PROBE_LIMIT_MS; i++) {
		if (stat(file, &st) == 0 && st.st_size > 0)
			return 0;
		if (open_close(probe))
			return -1;
		nanosleep(&ms, NULL);
	}
	fprintf(stderr, "open_storm: %s still empty after %d s: the tracer "
		"did not start or did not see %s\n", file,
		PROBE_LIMIT_MS / 1000, probe);
	return -1;
}

static int storm(const char *path, double secs)
{
	double start, end, t, cpu0, cpu;
	unsigned long long n = 0;
	int i;

	cpu0 = cpu_s();
	start = now_s();
	end = start + secs;
	do {
		for (i = 0; i < CLOCK_EVERY; i++) {
			if (open_close(path))
				return -1;
		}
		n += CLOCK_EVERY;
		t = now_s();
	} while (t < end);
	cpu = cpu_s() - cpu0;
	printf("opens %llu secs %.6f rate %.0f cpu %.3f cpurate %.0f\n", n,
	       t - start, n / (t - start), cpu, cpu > 0 ? n / cpu : 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *probe = NULL;
	double secs = 2;
	int c;

	while ((c = getopt(argc, argv, "w:q:d:")) != -1) {
		switch (c) {
		case 'w':
			file = optarg;
			break;
		case 'q':
			probe = optarg;
			break;
		case 'd':
			secs = atof(optarg);
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1 || secs <= 0 || !file != !probe) {
		fprintf(stderr, "usage: open_storm [-w FILE -q PROBE] "
			"[-d SECS] PATH\n");
		return 2;
	}
	if (file && wait_tracer(file, probe))
		return 1;
	return storm(argv[optind], secs) ? 1 : 0;
}
