/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The program's view of the "kernel" types of the CO-RE golden tests.
 * Every target in targets/ changes these in some way: fields moved,
 * renamed, missing, resized, bitfields shifted, enum values changed.
 */
#ifndef CORE_LOCAL_H
#define CORE_LOCAL_H

#define __pai __attribute__((preserve_access_index))

struct inner {
	int x;
	int y;
} __pai;

struct t {
	int id;
} __pai;

struct s {
	int a;
	long b;
	char c;
	unsigned int u;		/* unsigned long in t1: the load grows */
	int sgn;		/* long in t1: signed, cannot grow */
	struct inner in;
	int arr[4];
	int missing_field;	/* in no target */
	int opt;		/* only in t1 */
	unsigned int bf1:3;
	unsigned int bf2:5;
	int sbf:4;
	struct t *ptr;
	union {
		int ua;
		long ub;
	};
} __pai;

/* flavours: the same kernel struct under two layouts */
struct s___old {
	int renamed_old;
} __pai;

struct s___new {
	int renamed_new;
} __pai;

enum color { RED, GREEN, BLUE, PURPLE };

struct gone { int z; } __pai;		/* only in t2 */
struct amb { int f; } __pai;		/* two candidates that disagree */
struct same { int f; } __pai;		/* two candidates that agree */

#endif
