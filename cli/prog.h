/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The prog command's files: prog.c (help, show, the verb table),
 * prog_dump.c (dump xlated), prog_load.c (pin, load, loadall). */
#ifndef BB_CLI_PROG_H
#define BB_CLI_PROG_H

#include <stdbool.h>

struct cli;
struct jw;
struct bpf_prog_info;

/*
 * PROG is always two words ("id 3", "name foo"), so what follows it can
 * be checked before any program is opened: a typo is a usage error
 * whether or not the program exists.
 */
#define PROG_WORDS 2

int prog_help(struct cli *cli, int argc, char **argv);
int prog_usage_err(const char *what, const char *got);
bool prog_wants_help(int argc, char **argv);
void prog_print_null(const struct cli *cli);
/* the first lines of show, also printed by dump for several matches */
void prog_header_plain(const struct bpf_prog_info *info, int fd);
void prog_header_json(struct jw *jw, const struct bpf_prog_info *info, int fd);

int prog_dump(struct cli *cli, int argc, char **argv);
int prog_pin(struct cli *cli, int argc, char **argv);
int prog_load(struct cli *cli, int argc, char **argv);
int prog_loadall(struct cli *cli, int argc, char **argv);
/* prog_attach.c */
int prog_attach(struct cli *cli, int argc, char **argv);
int prog_detach(struct cli *cli, int argc, char **argv);

#endif
