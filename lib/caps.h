/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Capabilities and limits, inside the library (the rest: bpfbox.h). */
#ifndef BB_CAPS_H
#define BB_CAPS_H

/*
 * Raise RLIMIT_MEMLOCK after an EPERM it may explain (kernels before
 * 5.11 charge BPF memory to it): 1 raised (retry), 0 cannot help,
 * -errno with words when raising failed.
 */
int bb_memlock_raise_after_eperm(int err);

#endif
