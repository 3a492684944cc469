/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The bpfbox command line: bpftool's OBJECT VERB grammar. main.c holds
 * only the command table and dispatch; each command object has its file.
 */
#ifndef BB_CLI_H
#define BB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* exit codes */
#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

struct cli {
	bool json;		/* -j / --json */
	bool pretty;		/* -p / --pretty (implies json) */
	const char *verifier_log;	/* --verifier-log FILE */
	const char *btf_path;		/* --btf FILE: kernel BTF for CO-RE */
	const char *prog;	/* argv[0] basename, for messages */
};

/* a command object: "prog", "map", ... */
struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *summary;	/* one line for `bpfbox help` */
	bool privileged;	/* talks to bpf(2) or tracefs (see main.c) */
};

int cmd_object(struct cli *cli, int argc, char **argv);
int cmd_prog(struct cli *cli, int argc, char **argv);
int cmd_map(struct cli *cli, int argc, char **argv);
int cmd_btf(struct cli *cli, int argc, char **argv);
int cmd_gen(struct cli *cli, int argc, char **argv);
int cmd_link(struct cli *cli, int argc, char **argv);
int cmd_tracelog(struct cli *cli, int argc, char **argv);
int cmd_iter(struct cli *cli, int argc, char **argv);
int cmd_run(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);

/*
 * Calling convention: main() calls cmds[i].fn with the words after the
 * object ("prog show id 3" -> argv = { "show", "id", "3" }); an object's
 * verbs, run through cli_select(), get the words after the verb
 * (argv = { "id", "3" }), as in bpftool.
 *
 * cli_select() runs verb argv[0] of cmds: no verb runs cmds[0] (bpftool
 * shows by default), "help"/"-h"/"--help" the entry named "help", and a
 * prefix the first entry it matches; an unknown verb is a usage error
 * listing the verbs. object is "prog", "map", ... for messages.
 */
int cli_select(struct cli *cli, const char *object,
	       const struct cli_cmd *cmds, int argc, char **argv);

/* messages: "bpfbox: <msg>" on stderr; return the exit code to use */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool cli_is_help(const char *arg);	/* "help", "-h", "--help" */
/* the same message as cli_fail, but returns err (for -errno paths) */
int cli_fail_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Object selection as bpftool spells it: "id N" | "pinned PATH" |
 * "name NAME" (prog also "tag TAG"). Consumes the words from argc/argv,
 * returns an fd or a negative errno after printing why.
 */
int cli_prog_fd(int *argc, char ***argv);
int cli_map_fd(int *argc, char ***argv);

/*
 * Same selection, but every match: "name NAME" and "tag TAG" may select
 * several objects (as bpftool's show does). *fds is malloc'd; returns
 * how many (>= 1) or a negative errno after printing why.
 */
int cli_prog_fds(int *argc, char ***argv, int **fds);
int cli_map_fds(int *argc, char ***argv, int **fds);

/*
 * The selectors above return -CLI_EUSAGE when the words themselves were
 * wrong (already reported as a usage error); cli_exit_code() turns any
 * such result into the exit code: 0, CLI_USAGE or CLI_FAIL.
 */
#define CLI_EUSAGE	4095
int cli_exit_code(int err);
/*
 * Every kernel object of one kind, by id (bpfbox_prog_get_next_id and
 * bpfbox_prog_get_fd_by_id, ...): fn(fd, arg) on each, the fd closed
 * after it; objects freed while we walk are skipped. 0, the first
 * nonzero return of fn, or a negative errno (its message printed).
 */
int cli_walk_ids(const char *what, int (*next_id)(uint32_t, uint32_t *),
		 int (*fd_by_id)(uint32_t), int (*fn)(int fd, void *arg),
		 void *arg);

/* messages are prefixed with this name ("bpfbox" unless a tool says) */
void cli_set_name(const char *name);
/* pfx is a non-empty prefix of word: bpftool lets keywords be shortened */
bool cli_is_prefix(const char *pfx, const char *word);
/* decimal (or 0x hex) number that fits 32 bits; -EINVAL otherwise */
int cli_parse_u32(const char *s, uint32_t *out);
/* text output of untrusted strings: control characters (but tab) as \xNN */
void cli_fputs_safe(FILE *f, const char *s);

/* info of a prog / map fd (zeroed first); 0 or -errno */
struct bpf_prog_info;
struct bpf_map_info;
struct bb_btf;
int cli_prog_info(int fd, struct bpf_prog_info *info);
int cli_map_info(int fd, struct bpf_map_info *info);
/* full program name: the kernel keeps 15 chars, its BTF the rest */
void cli_prog_full_name(const struct bpf_prog_info *info, int fd,
			char *buf, size_t len);
/* parsed copy of a kernel BTF object (standalone BTF only); 0 or -errno */
int cli_btf_get(uint32_t id, struct bb_btf **out);

/*
 * Multi-call: a link to the binary named after a tool ("execsnoop")
 * runs that tool. The table lives in main.c.
 */
struct cli_tool {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};
int execsnoop_main(int argc, char **argv);	/* tools/execsnoop.c */
int exitsnoop_main(int argc, char **argv);	/* tools/exitsnoop.c */
int opensnoop_main(int argc, char **argv);	/* tools/opensnoop.c */
int bootstrap_main(int argc, char **argv);	/* tools/bootstrap.c */
int syscount_main(int argc, char **argv);	/* tools/syscount.c */
int bashreadline_main(int argc, char **argv);	/* tools/bashreadline.c */

/* ---- fdinfo and processes holding BPF objects (cli/pids.c) ---- */
/* the value of "key:" in an fdinfo file (or of our own fd); false if absent */
bool cli_fdinfo(const char *path, const char *key, char *val, size_t len);
bool cli_self_fdinfo(int fd, const char *key, char *val, size_t len);
struct cli_pid {
	uint32_t id;
	int pid;
	char comm[17];
};
struct cli_pids {
	struct cli_pid *v;
	size_t n;
};
struct jw;
/* inode: "bpf-prog", "bpf-map", "btf"; key: "prog_id", "map_id", "btf_id" */
void cli_pids_build(struct cli_pids *r, const char *inode, const char *key);
void cli_pids_free(struct cli_pids *r);
void cli_pids_plain(const struct cli_pids *r, uint32_t id);	/* "\n\tpids ..." */
void cli_pids_json(struct jw *jw, const struct cli_pids *r, uint32_t id);

/* ---- JSON writer (cli/json.c) ---- */
struct jw;
struct jw *jw_new(FILE *f, bool pretty);
void jw_free(struct jw *jw);		/* also ends the output line */
void jw_start_object(struct jw *jw);
void jw_end_object(struct jw *jw);
void jw_start_array(struct jw *jw);
void jw_end_array(struct jw *jw);
void jw_name(struct jw *jw, const char *name);	/* next key in an object */
void jw_string(struct jw *jw, const char *s);	/* escaped, valid UTF-8 out */
void jw_string_n(struct jw *jw, const char *s, size_t n);
void jw_int(struct jw *jw, long long v);
void jw_uint(struct jw *jw, unsigned long long v);
void jw_bool(struct jw *jw, bool v);
void jw_null(struct jw *jw);
/* shortcuts: name + value */
void jw_kv_string(struct jw *jw, const char *name, const char *s);
void jw_kv_uint(struct jw *jw, const char *name, unsigned long long v);
void jw_kv_int(struct jw *jw, const char *name, long long v);
void jw_kv_bool(struct jw *jw, const char *name, bool v);

#endif
