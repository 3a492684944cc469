// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <fnmatch.h>
#include "test.h"

static struct bb_test *tests, **tail = &tests;
int bb_test_failed;

void bb_test_register(struct bb_test *t)
{
	*tail = t;
	tail = &t->next;
}

void *bb_test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*size = n;
out:
	fclose(f);
	return buf;
}

const char *bb_test_progs_dir(void)
{
	const char *d = getenv("BB_PROGS_DIR");

	return d ? d : "build/progs";
}

/* usage: unit_tests [GLOB] -- runs the tests whose name matches GLOB */
int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	struct bb_test *t;

	for (t = tests; t; t = t->next) {
		if (argc > 1 && fnmatch(argv[1], t->name, 0))
			continue;
		bb_test_failed = 0;
		t->fn();
		if (bb_test_failed) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			printf("ok   %s\n", t->name);
			passed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
