/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SEC() name conventions: section name -> program type, expected attach
 * type and flags, following the names libbpf documents
 * (Documentation/bpf/libbpf/program_types.rst) so objects written for
 * libbpf load unchanged.
 */
#ifndef BB_SECDEF_H
#define BB_SECDEF_H

#include <stdbool.h>
#include <linux/bpf.h>

enum bb_sec_flags {
	BB_SEC_NONE		= 0,
	BB_SEC_ATTACH_BTF	= 1 << 0,	/* needs an attach_btf_id */
	BB_SEC_SLEEPABLE	= 1 << 1,	/* BPF_F_SLEEPABLE */
	BB_SEC_XDP_FRAGS	= 1 << 2,	/* BPF_F_XDP_HAS_FRAGS */
};

/* what auto-attach does with the target part of the name */
enum bb_attach_kind {
	BB_ATTACH_NONE,
	BB_ATTACH_TP,		/* tp/CATEGORY/NAME */
	BB_ATTACH_RAW_TP,	/* raw_tp/NAME */
	BB_ATTACH_TRACE,	/* tp_btf, fentry, fexit, fmod_ret, freplace */
	BB_ATTACH_LSM,
	BB_ATTACH_ITER,
	BB_ATTACH_KPROBE,
	BB_ATTACH_KSYSCALL,
	BB_ATTACH_UPROBE,
	BB_ATTACH_USDT,
	BB_ATTACH_PERF_EVENT,
	BB_ATTACH_SOCKET,
	BB_ATTACH_CGROUP,
	BB_ATTACH_XDP,
	BB_ATTACH_TC,
};

struct bb_secdef {
	const char *sec;	/* "tp+" : "tp" or "tp/..."; else exact */
	enum bpf_prog_type prog_type;
	enum bpf_attach_type expected_attach_type;
	unsigned int flags;
	enum bb_attach_kind attach;
};

/*
 * Find the definition for a section name (without a leading '?').
 * NULL when no convention matches.
 */
const struct bb_secdef *bb_secdef_find(const char *sec_name);

/* The part after "prefix/", or NULL ("tp/a/b" -> "a/b"). */
const char *bb_secdef_target(const struct bb_secdef *def, const char *sec_name);

#endif
