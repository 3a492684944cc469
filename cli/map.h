/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the map command files: map.c (verbs, show, create), map_elem.c
 * (update/push/delete/getnext), map_dump.c (dump/lookup/pop), map_util.c
 * (opening, fdinfo, hex, the DATA/VALUE grammar). */
#ifndef BB_CLI_MAP_H
#define BB_CLI_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

struct cli;
struct bb_vw;

int map_open(int *argc, char ***argv, struct bpf_map_info *info);
char *map_fdinfo(int fd, const char *field);
bool map_is_frozen(int fd);
struct bb_vw *map_vw_new(bool pretty);
void map_vw_flush(struct bb_vw *w);
void map_vw_done(struct bb_vw *w);
int map_json_null(struct cli *cli);
const char *map_type_str(uint32_t type, char *buf, size_t len);
void map_header_json(struct bb_vw *w, const struct bpf_map_info *info);
int map_cmd_update(struct cli *cli, int argc, char **argv);
int map_cmd_push(struct cli *cli, int argc, char **argv);
int map_cmd_enqueue(struct cli *cli, int argc, char **argv);
int map_cmd_delete(struct cli *cli, int argc, char **argv);
int map_cmd_getnext(struct cli *cli, int argc, char **argv);
int map_cmd_dump(struct cli *cli, int argc, char **argv);
int map_cmd_lookup(struct cli *cli, int argc, char **argv);
int map_cmd_peek(struct cli *cli, int argc, char **argv);
int map_cmd_pop(struct cli *cli, int argc, char **argv);
int map_cmd_dequeue(struct cli *cli, int argc, char **argv);
int map_verb_help(const char *verb);
bool map_is_per_cpu(uint32_t type);
size_t map_value_room(const struct bpf_map_info *info);
int map_possible_cpus(void);
void map_print_hex(const void *p, size_t n);
void map_vw_hex(struct bb_vw *w, const void *p, size_t n);
const char *map_hex_str(const void *p, size_t n, char *buf, size_t len);
int map_parse_elem(int argc, char **argv, const struct bpf_map_info *info,
		   void *key, void *value, uint64_t *flags, int *value_fd);

#endif
