/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef BB_MAP_INFO_H
#define BB_MAP_INFO_H

#include <linux/bpf.h>

/*
 * The kernel's info of map_fd, which must be a map of type want: for
 * consumers handed a bare fd (ring and perf buffers). who prefixes the
 * message ("ringbuf: map fd 5 (perf_map) is a perf_event_array map ...").
 */
int bb_map_info_expect(int map_fd, enum bpf_map_type want, const char *who,
		       struct bpf_map_info *info);

#endif
