/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A very small test framework: TEST() registers a function, CHECK*()
 * record failures with file:line and keep going. The runner prints
 * "N passed, N failed" as its last line.
 */
#ifndef BB_TEST_H
#define BB_TEST_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>

struct bb_test {
	const char *name;
	void (*fn)(void);
	struct bb_test *next;
};

void bb_test_register(struct bb_test *t);
extern int bb_test_failed;		/* failures in the current test */

#define TEST(NAME)							\
	static void test_##NAME(void);					\
	static struct bb_test bb_test_##NAME = { #NAME, test_##NAME, 0 }; \
	__attribute__((constructor)) static void reg_##NAME(void)	\
	{ bb_test_register(&bb_test_##NAME); }				\
	static void test_##NAME(void)

#define CHECK(COND) do {						\
	if (!(COND)) {							\
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #COND);			\
		bb_test_failed++;					\
	}								\
} while (0)

#define CHECK_INT(A, OP, B) do {					\
	long long a_ = (long long)(A), b_ = (long long)(B);		\
	if (!(a_ OP b_)) {						\
		fprintf(stderr, "  %s:%d: %s %s %s failed: %lld vs %lld\n", \
			__FILE__, __LINE__, #A, #OP, #B, a_, b_);	\
		bb_test_failed++;					\
	}								\
} while (0)

#define CHECK_STR(A, B) do {						\
	const char *a_ = (A), *b_ = (B);				\
	if (!a_ || !b_ || strcmp(a_, b_)) {				\
		fprintf(stderr, "  %s:%d: %s == %s failed: \"%s\" vs \"%s\"\n", \
			__FILE__, __LINE__, #A, #B, a_ ? a_ : "(null)",	\
			b_ ? b_ : "(null)");				\
		bb_test_failed++;					\
	}								\
} while (0)

/* Substring check, for error messages. */
#define CHECK_CONTAINS(HAY, NEEDLE) do {				\
	const char *h_ = (HAY), *n_ = (NEEDLE);				\
	if (!h_ || !strstr(h_, n_)) {					\
		fprintf(stderr, "  %s:%d: \"%s\" does not contain \"%s\"\n", \
			__FILE__, __LINE__, h_ ? h_ : "(null)", n_);	\
		bb_test_failed++;					\
	}								\
} while (0)

/* Read a whole file (test data); NULL on error. Caller frees. */
void *bb_test_read_file(const char *path, size_t *size);
/* Directory of compiled test objects (build/progs) */
const char *bb_test_progs_dir(void);

#endif
