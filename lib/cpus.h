/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CPU lists of /sys/devices/system/cpu ("0-3,6,8-9"): which CPUs are
 * online (one perf event each) or possible (per-CPU map sizes).
 */
#ifndef BB_CPUS_H
#define BB_CPUS_H

#include <stdbool.h>
#include <stdint.h>

#define BB_MAX_CPUS	8192	/* bound on what the files may list */
#define BB_CPU_SET_BYTES	(BB_MAX_CPUS / 8)

/* Pure: a list into set (BB_CPU_SET_BYTES), bounds-checked; the number
 * of CPUs in it, or -EINVAL when malformed. */
int bb_cpu_list_parse(const char *s, uint8_t *set);
/* /sys/devices/system/cpu/<which> ("online", "possible") into set; the
 * number of CPUs (at least one), or -errno with words */
int bb_cpus_read(const char *which, uint8_t *set);

static inline bool bb_cpu_isset(const uint8_t *set, unsigned int cpu)
{
	return cpu < BB_MAX_CPUS && (set[cpu / 8] >> (cpu % 8) & 1);
}

#endif
