/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the commands that pin links (link.c, prog_attach.c, iter.c). */
#ifndef BB_CLI_LINK_H
#define BB_CLI_LINK_H

#include <stdint.h>

/*
 * Can an object be pinned at path? Mounts bpffs when none is, then
 * checks that path's directory is on one; prints why not and returns
 * -errno, or 0.
 */
int link_check_pin_path(const char *path);
/* the id of the BPF link behind fd, 0 when it is not a link */
uint32_t link_id_of_fd(int fd);

#endif
