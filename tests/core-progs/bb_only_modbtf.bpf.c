// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE against module BTF: struct htcp is tcp_htcp's private state, in
 * no vmlinux, so its candidates come from /sys/kernel/btf/tcp_htcp once
 * the module is loaded (tests/vm/guest-modbtf.sh). The local layout puts
 * lasttime at byte 12, the module's at 52 (Debian 6.1 and 6.12), so the
 * relocation shows in the xlated program. Where the module is absent
 * the guarded code is dead and the program still loads.
 *
 * bb_only_: libbpf 1.1 searches module BTF too, but the diff test runs
 * on a host without it, where both loaders can only poison the access;
 * the VM matrix is where this is tested.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* the ___bb flavour keeps clear of a struct htcp in vmlinux.h */
struct htcp___bb {
	u32 pad[3];
	u32 lasttime;
} __attribute__((preserve_access_index));

u32 htcp_lasttime_off;
u32 htcp_lasttime;

SEC("raw_tp/sys_enter")
int modbtf(void *ctx)
{
	struct htcp___bb *h = 0;

	if (!bpf_core_type_exists(struct htcp___bb))
		return 0;
	htcp_lasttime_off = bpf_core_field_offset(struct htcp___bb, lasttime);
	/* a read through the relocated offset (of no real object) */
	bpf_core_read(&htcp_lasttime, sizeof(htcp_lasttime), &h->lasttime);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
