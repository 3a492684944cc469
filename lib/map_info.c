// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A map fd of the expected type (see map_info.h). */
#include <errno.h>
#include <string.h>

#include "bpfbox.h"
#include "err.h"
#include "map_info.h"

int bb_map_info_expect(int map_fd, enum bpf_map_type want, const char *who,
		       struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);
	const char *tname;
	int err;

	memset(info, 0, sizeof(*info));
	err = bpfbox_obj_get_info_by_fd(map_fd, info, &len);
	if (err)
		return bb_err(err, "%s: map fd %d: cannot get its info: %s (is it a BPF map fd?)",
			      who, map_fd, strerror(-err));
	if (info->type != want) {
		tname = bpfbox_map_type_name(info->type);
		return bb_err(EINVAL, "%s: map fd %d (%s) is a %s map (type %u), not a %s",
			      who, map_fd, info->name,
			      tname ? tname : "unknown", info->type,
			      bpfbox_map_type_name(want));
	}
	return 0;
}
