// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf_core OBJ TARGET [PROG]: the libbpf side of the CO-RE diff.
 * libbpf opens OBJ with TARGET as its kernel BTF (btf_custom_path),
 * loads it (which applies the CO-RE relocations; whether the verifier
 * then accepts the programs does not matter here) and prints every
 * program's instructions as core_dump does. With PROG, only that program
 * is loaded. libbpf is the oracle: bpfbox never links it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

static int relo_err;

static int print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "failed to relocate") ||
	    strstr(buf, "failed to patch insn"))
		relo_err = 1;
	if (getenv("V") || (level == LIBBPF_WARN && strstr(buf, "relo #")))
		fputs(buf, stderr);
	return 0;
}

static void dump(const struct bpf_program *p)
{
	const struct bpf_insn *in = bpf_program__insns(p);
	size_t i, n = bpf_program__insn_cnt(p);

	printf("prog %s\n", bpf_program__name(p));
	for (i = 0; i < n; i++)
		printf("%3zu: %02x %x %x %d %d\n", i, in[i].code,
		       in[i].dst_reg, in[i].src_reg, in[i].off, in[i].imm);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;

	if (argc < 3) {
		fprintf(stderr, "usage: libbpf_core OBJ TARGET [PROG]\n");
		return 2;
	}
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = argv[2]);
	libbpf_set_print(print);
	obj = bpf_object__open_file(argv[1], &opts);
	if (!obj)
		return 1;
	bpf_object__for_each_program(p, obj)
		if (argc > 3)
			bpf_program__set_autoload(p, !strcmp(bpf_program__name(p),
							     argv[3]));
	bpf_object__load(obj);
	printf("relo: %s\n", relo_err ? "error" : "ok");
	bpf_object__for_each_program(p, obj)
		if (argc <= 3 || !strcmp(bpf_program__name(p), argv[3]))
			dump(p);
	bpf_object__close(obj);
	return 0;
}
