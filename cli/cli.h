/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The bpfbox command line: bpftool's OBJECT VERB grammar. main.c holds
 * only the command table and dispatch; each command object has its file.
 */
#ifndef BB_CLI_H
#define BB_CLI_H

#include <stdbool.h>
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
	const char *prog;	/* argv[0] basename, for messages */
};

/* a command object: "prog", "map", ... */
struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *summary;	/* one line for `bpfbox help` */
};

int cmd_object(struct cli *cli, int argc, char **argv);
int cmd_prog(struct cli *cli, int argc, char **argv);
int cmd_map(struct cli *cli, int argc, char **argv);

/* messages: "bpfbox: <msg>" on stderr; return the exit code to use */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool cli_is_help(const char *arg);	/* "help", "-h", "--help" */

/*
 * Object selection as bpftool spells it: "id N" | "pinned PATH" |
 * "name NAME" (prog also "tag TAG"). Consumes the words from *argc/*argv,
 * returns an fd or a negative errno after printing why.
 */
int cli_prog_fd(int *argc, char ***argv);
int cli_map_fd(int *argc, char ***argv);

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
