// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CPU lists of /sys/devices/system/cpu (see cpus.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpus.h"
#include "err.h"

int bb_cpu_list_parse(const char *s, uint8_t *set)
{
	unsigned long a, b;
	char *end;
	int n = 0;

	while (*s && *s != '\n') {
		a = strtoul(s, &end, 10);
		if (end == s)
			return -EINVAL;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s)
				return -EINVAL;
		}
		if (a > b || b >= BB_MAX_CPUS)
			return -EINVAL;
		for (; a <= b; a++) {
			n += !bb_cpu_isset(set, a);
			set[a / 8] |= 1 << (a % 8);
		}
		s = end;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	return n;
}

int bb_cpus_read(const char *which, uint8_t *set)
{
	char path[64], buf[4096];
	ssize_t len;
	int fd, err, n;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", which);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno, "cannot open %s: %s", path,
			      strerror(errno));
	len = read(fd, buf, sizeof(buf) - 1);
	err = errno;
	close(fd);
	if (len < 0)
		return bb_err(err, "cannot read %s: %s", path, strerror(err));
	buf[len] = '\0';
	n = bb_cpu_list_parse(buf, set);
	if (n <= 0)
		return bb_err(EINVAL, "%s: cannot parse \"%.64s\"", path, buf);
	return n;
}
