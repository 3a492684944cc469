/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The object model: what an ELF BPF object is made of once parsed.
 *
 * Opening (object.c, object_maps.c, object_relo.c) is pure: bytes in,
 * programs, maps and relocation records out. Linking (relocate.c) is
 * pure too: it turns section-relative instructions into final ones, given
 * map fds. Only load.c talks to the kernel.
 */
#ifndef BB_OBJECT_H
#define BB_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "bpfbox.h"
#include "kbtf.h"
#include "secdef.h"

struct bb_elf;
struct bb_btf;
struct bb_btf_ext;
struct bb_core_failures;

#define BB_INSN_SZ 8

enum bb_relo_type {
	BB_RELO_MAP,		/* ld_imm64 of a map in .maps */
	BB_RELO_DATA,		/* ld_imm64 of a global variable */
	BB_RELO_CALL,		/* bpf-to-bpf call into .text */
	BB_RELO_SUBPROG_ADDR,	/* ld_imm64 of a function's address */
	BB_RELO_EXTERN,		/* ld_imm64 of a __kconfig / __ksym extern */
	BB_RELO_EXTERN_CALL,	/* call of a kfunc (__ksym function) */
};

struct bb_relo {
	enum bb_relo_type type;
	uint32_t insn_idx;	/* relative to the program's first insn */
	int map_idx;		/* BB_RELO_MAP / BB_RELO_DATA; extern index
				 * for BB_RELO_EXTERN */
	uint64_t sym_off;	/* symbol value in its section (bytes) */
};

enum bb_map_kind {
	BB_MAP_USER,		/* declared in SEC(".maps") */
	BB_MAP_DATA,		/* .data, .data.* */
	BB_MAP_RODATA,		/* .rodata, .rodata.* (frozen after load) */
	BB_MAP_BSS,		/* .bss, .bss.* */
	BB_MAP_KCONFIG,		/* the values of __kconfig externs */
};

enum bb_ext_kind { BB_EXT_KCFG = 1, BB_EXT_KSYM };
enum bb_kcfg_type {
	BB_KCFG_UNKNOWN, BB_KCFG_CHAR, BB_KCFG_BOOL, BB_KCFG_INT,
	BB_KCFG_TRISTATE, BB_KCFG_CHAR_ARR,
};

struct bb_extern {
	char *name;
	enum bb_ext_kind kind;
	size_t sym_idx;
	uint32_t btf_id;	/* its VAR in the object's BTF */
	bool is_weak;
	bool is_set;		/* a value was found */
	/* __kconfig: type, place in the .kconfig map */
	enum bb_kcfg_type kcfg_type;
	bool is_signed;
	uint32_t sz, align, data_off;
	/* __ksym: local type (0: untyped, resolved via kallsyms); a kfunc's
	 * is its prototype */
	uint32_t type_id;
	bool is_func;
	uint64_t addr;		/* untyped: kernel address */
	uint32_t kernel_btf_id;	/* typed: VAR id in vmlinux BTF */
};

struct bpfbox_map {
	struct bpfbox_object *obj;
	char *name;
	enum bb_map_kind kind;
	int sec_idx;		/* ELF section backing it */
	uint64_t sec_off;	/* offset of its definition in .maps */
	char *sec_name;		/* global data: the section name */
	enum bpf_map_type type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t numa_node;
	uint64_t map_extra;
	uint32_t pinning;	/* LIBBPF_PIN_* value */
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	/* map-in-map: template of the inner map (owned), or NULL */
	struct bpfbox_map *inner;
	/* size of the definition in .maps and where 'values' starts in it */
	uint64_t def_size;
	uint64_t values_off;
	/* initial slots of map-in-map / prog_array maps (SEC(".maps") = {...}):
	 * index of the target map or program per slot, -1 when empty */
	int *init_slots;
	size_t nslots;
	/* initial contents of global data (NULL for .bss) */
	const uint8_t *init_data;
	size_t init_size;
	/* global data mapped into this process after load (map_mmap.c) */
	void *mmaped;
	size_t mmaped_size;
	int fd;
};

struct bpfbox_prog {
	struct bpfbox_object *obj;
	char *name;
	char *sec_name;		/* without the '?' prefix */
	int sec_idx;
	size_t sec_insn_off;	/* first insn in its section */
	size_t sec_insn_cnt;
	bool is_subprog;	/* lives in .text: appended to callers */
	bool mark_btf_static;	/* hidden global: make its BTF FUNC static */
	bool autoload;
	const struct bb_secdef *def;
	const char *attach_target;	/* SEC("tp/a/b") -> "a/b", or NULL */
	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	uint32_t prog_flags;

	/* instructions: a copy of the ELF's, relocated in place; main
	 * programs grow when subprograms are appended */
	struct bpf_insn *insns;
	size_t insns_cnt;
	struct bb_relo *relos;
	size_t nrelos;

	/* set while linking one main program: where this subprogram's
	 * copy starts in it (0 = not appended yet) */
	size_t sub_insn_off;

	/* final func_info / line_info for the kernel (insn_off in insns) */
	void *func_info;
	uint32_t func_info_cnt;
	uint32_t func_info_rec_size;
	void *line_info;
	uint32_t line_info_cnt;
	uint32_t line_info_rec_size;

	uint32_t attach_btf_id;
	/* CO-RE relocations that could not be satisfied (core_apply.c) */
	struct bb_core_failures *core_fails;
	int fd;
	/* made by bpfbox_object_attach(), destroyed by detach/close */
	struct bpfbox_link *link;
};

struct bpfbox_object {
	char *name;
	char *path;		/* for messages: file path or name */
	uint8_t *buf;		/* owned copy of the ELF image */
	size_t size;
	struct bb_elf *elf;
	struct bb_btf *btf;	/* NULL when the object has no .BTF */
	struct bb_btf_ext *btf_ext;
	char license[128];
	bool has_license;
	uint32_t kversion;
	int text_shndx;		/* -1 when absent */
	int maps_shndx;		/* -1 when absent */

	struct bpfbox_prog *progs;
	size_t nprogs;
	struct bpfbox_map *maps;
	size_t nmaps;

	struct bb_extern *externs;	/* sorted: kconfig first */
	size_t nexterns;
	uint32_t kconfig_size;
	uint8_t *kconfig_data;		/* values, filled at load */

	int btf_fd;
	bool loaded;
	/* the kernel's BTF while loading, when the object needs it */
	struct bb_btf *kernel_btf;
	const char *core_btf_path;	/* while loading: --btf FILE */
};

/* externs.c (pure) */
int bb_object_collect_externs(struct bpfbox_object *obj);
int bb_object_find_extern(const struct bpfbox_object *obj, size_t sym_idx);
/* kconfig.c, ksyms.c: values at load time */
int bb_object_resolve_kconfig(struct bpfbox_object *obj);
int bb_object_resolve_ksyms(struct bpfbox_object *obj);
/* the running kernel (kbtf.c, ksyms.c) */
/* kernel BTF for this load: parsed on first use, freed when load ends */
int bb_object_kernel_btf(struct bpfbox_object *obj, const struct bb_btf **out);
int bb_kallsyms_lookup(const char *name, uint64_t *addr);
int bb_probe_bpf_cookie(void);
/* apply one kconfig line "CONFIG_X=value" (exposed for unit tests) */
int bb_kconfig_apply_line(struct bpfbox_object *obj, const char *line);

/* object_maps.c */
int bb_object_init_maps(struct bpfbox_object *obj);
int bb_object_find_map_by_sec_off(const struct bpfbox_object *obj,
				  int sec_idx, uint64_t off);
int bb_object_find_data_map(const struct bpfbox_object *obj, int sec_idx);

/* object_relo.c */
int bb_object_collect_relos(struct bpfbox_object *obj);
/* object_slots.c: .rel.maps, and filling the slots once fds exist */
int bb_object_collect_slots(struct bpfbox_object *obj);
int bb_object_fill_map_slots(struct bpfbox_object *obj);
int bb_object_fill_prog_slots(struct bpfbox_object *obj);

/* relocate.c: final instructions of every autoloaded main program */
int bb_object_relocate(struct bpfbox_object *obj);
bool bb_prog_is_subprog(const struct bpfbox_prog *prog);

/* btf_fixup.c: complete the object's BTF before it goes to the kernel */
int bb_object_fixup_btf(struct bpfbox_object *obj);

/* load_maps.c */
int bb_object_create_maps(struct bpfbox_object *obj);

/* core_apply.c: CO-RE against the running kernel's BTF */
int bb_object_relocate_core(struct bpfbox_object *obj);
void bb_core_explain(const struct bpfbox_prog *prog, char *buf, size_t len);

/* kernel BTF, for attach targets (kbtf.c) */
int bb_object_resolve_attach_btf(struct bpfbox_object *obj);

#endif
