// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * core_dump OBJ TARGET [PROG]: apply bpfbox's CO-RE relocations to the
 * programs of OBJ against the .BTF of the ELF file TARGET (or a raw BTF
 * file such as /sys/kernel/btf/vmlinux) and print the instructions, one
 * per line, in the format of libbpf_core (tests/core/libbpf_core.c), so
 * that diff_libbpf.sh can compare the two loaders instruction by
 * instruction. With PROG, only that program is relocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "elf.h"
#include "object.h"

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n ? n : 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = n;
	}
	fclose(f);
	return buf;
}

static struct bb_btf *load_target(const char *path)
{
	struct bb_btf *btf = NULL;
	struct bb_elf *elf;
	size_t size;
	void *buf = read_file(path, &size);
	int idx;

	if (!buf)
		return NULL;
	if (bb_elf_open(buf, size, &elf)) {
		bb_btf_parse(buf, size, NULL, &btf);	/* raw BTF */
	} else {
		idx = bb_elf_find_sec(elf, ".BTF");
		if (idx >= 0)
			bb_btf_parse(elf->secs[idx].data, elf->secs[idx].size,
				     NULL, &btf);
		bb_elf_free(elf);
	}
	free(buf);
	return btf;
}

static void dump(const struct bpfbox_prog *p)
{
	size_t i;

	printf("prog %s\n", p->name);
	for (i = 0; i < p->insns_cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];

		printf("%3zu: %02x %x %x %d %d\n", i, in->code, in->dst_reg,
		       in->src_reg, in->off, in->imm);
	}
}

int main(int argc, char **argv)
{
	struct bb_core_target tg = { .name = "vmlinux" };
	struct bpfbox_object *obj;
	struct bb_core_ctx ctx;
	size_t i;
	int err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: core_dump OBJ TARGET [PROG]\n");
		return 2;
	}
	tg.btf = load_target(argv[2]);
	if (!tg.btf || bpfbox_object_open_file(argv[1], NULL, &obj)) {
		fprintf(stderr, "core_dump: %s\n", bpfbox_errmsg());
		return 1;
	}
	if (bb_core_ctx_init(&ctx, obj->btf, &tg, 1))
		return 1;
	for (i = 0; i < obj->nprogs && !err; i++) {
		struct bpfbox_prog *p = &obj->progs[i];
		const struct bb_btf_ext_sec *sec = NULL;
		struct bb_core_failures f = { 0 };

		if (argc > 3 && strcmp(p->name, argv[3]))
			continue;
		if (obj->btf_ext)
			sec = bb_btf_ext_find(&obj->btf_ext->core_relo,
					      obj->elf->secs[p->sec_idx].name);
		err = bb_core_relocate(&ctx, p->name, p->insns, p->insns_cnt,
				       p->sec_insn_off, sec, &f);
		if (err)
			fprintf(stderr, "core_dump: %s\n", bpfbox_errmsg());
		for (size_t k = 0; k < f.n; k++)
			fprintf(stderr, "poisoned: %s\n", f.v[k].text);
		bb_core_failures_free(&f);
	}
	printf("relo: %s\n", err ? "error" : "ok");
	for (i = 0; i < obj->nprogs; i++)
		if (argc <= 3 || !strcmp(obj->progs[i].name, argv[3]))
			dump(&obj->progs[i]);
	bb_core_ctx_free(&ctx);
	bpfbox_object_close(obj);
	bb_btf_free((struct bb_btf *)tg.btf);
	return err ? 1 : 0;
}
