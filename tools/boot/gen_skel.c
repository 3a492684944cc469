// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The build-time helper of the tools (tools/tools.mk): the tools are
 * linked into bpfbox, and their skeletons and the vmlinux.h they are
 * compiled against come from bpfbox's own library. This small host
 * program, linked only with libbpfbox.a, breaks that cycle:
 *
 *   gen-skel vmlinux            this kernel's BTF as a C header
 *   gen-skel skeleton OBJ NAME  the skeleton of OBJ (bpfbox gen skeleton)
 *
 * Output goes to stdout, and only when complete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_dump.h"
#include "gen_skel.h"
#include "kbtf.h"

static int read_all(const char *path, uint8_t **data, size_t *size)
{
	size_t cap = 1 << 16, n = 0, r;
	uint8_t *buf = NULL, *p;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -errno;
	for (;;) {
		if (!buf || n == cap) {
			cap = buf ? cap * 2 : cap;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = p;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (!r)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*data = buf;
	*size = n;
	return 0;
}

/* build in memory, write only a complete text */
static int emit(char *text, size_t len, int err)
{
	if (!err && (fwrite(text, 1, len, stdout) != len || fflush(stdout)))
		err = -EIO;
	free(text);
	return err;
}

static int gen_vmlinux(void)
{
	struct bb_btf *btf;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	err = bb_load_kernel_btf(NULL, &btf);
	if (err)
		return err;
	mem = open_memstream(&text, &len);
	if (!mem) {
		bb_btf_free(btf);
		return -ENOMEM;
	}
	err = bb_btf_dump_c(btf, NULL, 0, mem);
	fclose(mem);
	bb_btf_free(btf);
	return emit(text, len, err);
}

static int gen_skeleton(const char *path, const char *name)
{
	uint8_t *data = NULL;
	char *text = NULL;
	size_t size = 0, len = 0;
	FILE *mem;
	int err;

	err = read_all(path, &data, &size);
	if (err)
		return err;
	mem = open_memstream(&text, &len);
	if (!mem) {
		free(data);
		return -ENOMEM;
	}
	err = bb_gen_skeleton(mem, name, data, size);
	fclose(mem);
	free(data);
	return emit(text, len, err);
}

int main(int argc, char **argv)
{
	int err;

	if (argc == 2 && !strcmp(argv[1], "vmlinux"))
		err = gen_vmlinux();
	else if (argc == 4 && !strcmp(argv[1], "skeleton"))
		err = gen_skeleton(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: gen-skel vmlinux | gen-skel skeleton OBJ NAME\n");
		return 2;
	}
	if (err) {
		fprintf(stderr, "gen-skel %s: %s (%s)\n", argv[1],
			bpfbox_errmsg(), strerror(-err));
		return 1;
	}
	return 0;
}
