/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The btf command's files: btf.c (help, dump, the verb table), btf_show.c. */
#ifndef BB_CLI_BTF_CMD_H
#define BB_CLI_BTF_CMD_H

struct cli;

int btf_help(struct cli *cli, int argc, char **argv);
int btf_show(struct cli *cli, int argc, char **argv);

#endif
