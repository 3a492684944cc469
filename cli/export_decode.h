/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfbox export: label decoders, an integer key field turned into a
 * name an operator reads (ebpf_exporter's decoders, the useful ones):
 *
 *   ksym     kernel address -> "vfs_read" ("vfs_read+0x1a" inside it),
 *            from /proc/kallsyms read once at open (the addresses are
 *            hidden once capabilities are dropped)
 *   syscall  number -> "openat", this kernel's table
 *            (tools/syscall_names.h; needs CAP_BPF: built at open)
 *   errno    5 or -5 -> "EIO"
 *   cgroup   cgroup v2 id -> "/system.slice/ssh.service", by walking
 *            the cgroup2 mount (the id is the directory's inode number);
 *            looked up again on a miss, at most once per second
 *   hex      42 -> "0x2a"
 *
 * A value a decoder does not know is printed as the number, so a
 * series is never lost; export_decode says so by returning -ENOENT.
 */
#ifndef BB_CLI_EXPORT_DECODE_H
#define BB_CLI_EXPORT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "export_conf.h"

struct export_decoders;

/*
 * Prepare the decoders in need (a bit mask: 1u << EXPORT_DEC_*), while
 * the process still has its capabilities. 0 and *out, or -errno with
 * words in bpfbox_errmsg() (e.g. "syscall decoder: ...").
 */
int export_decoders_open(unsigned int need, struct export_decoders **out);
void export_decoders_close(struct export_decoders *d);

/*
 * v (sign-extended when the field is signed) as text into out (NUL-
 * terminated, never longer than len - 1). 0; -ENOENT when the decoder
 * does not know v (out then holds v in decimal); -ENOSPC; -EINVAL for
 * a decoder that was not opened.
 */
int export_decode(struct export_decoders *d, enum export_decoder k,
		  int64_t v, char *out, size_t len);

#endif
