/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfbox export --tool NAME [OPTIONS]: a built-in tool's BPF object
 * exported with a built-in configuration (export_conf.h), so that its
 * aggregates become metrics without the tool's own user space:
 *
 *   bpfbox export --tool syscount [-P] [-p PID] [-c CG] [-x] ...
 *     bpfbox_syscount_calls_total{syscall="openat"}
 *     bpfbox_syscount_latency_seconds_bucket{syscall="openat",le=...}
 *     (-P: per process, {pid="42"} instead of {syscall=...})
 */
#ifndef BB_CLI_EXPORT_TOOL_H
#define BB_CLI_EXPORT_TOOL_H

#include <stddef.h>

struct bpfbox_object;

#define EXPORT_TOOL_MAX_KNOBS 16
#define EXPORT_TOOL_MAX_COMMS 16	/* syscount -n NAME */

struct export_tool_spec {
	const char *name;		/* "syscount": the <object> of the names */
	const void *obj;		/* the embedded BPF object */
	size_t obj_len;
	const char *conf;		/* built-in YAML (export_conf.h) */
	struct {
		const char *var;	/* a global of the object */
		char val[64];		/* as a knob's value on the command line */
	} knobs[EXPORT_TOOL_MAX_KNOBS];
	size_t nknobs;
	const char *cgroup;		/* -c PATH, set after load, or NULL */
	const char *comms[EXPORT_TOOL_MAX_COMMS];	/* -n, set after load */
	size_t ncomms;
};

/*
 * The tool NAME with its options argv[0..argc) (argv[0] is the first
 * option, not a program name): 0 and *out; -1 when -h/--help printed
 * the tool's usage on stdout (exit 0, export nothing); or a CLI exit
 * code after printing why (unknown tool, bad option, a missing cgroup).
 * Strings in *out point into argv.
 */
int export_tool_parse(const char *name, int argc, char **argv,
		      struct export_tool_spec *out);
/* after load, before attach: what cannot be a knob (the -c cgroup map,
 * the -n comms); 0 or -errno with words in bpfbox_errmsg() */
int export_tool_setup(const struct export_tool_spec *t,
		      struct bpfbox_object *obj);
/* the tools that can be exported, for the usage: "syscount" */
const char *export_tool_names(void);

#endif
