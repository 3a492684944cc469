// SPDX-License-Identifier: GPL-2.0
/*
 * "Kernel B" for the CO-RE golden tests: the program's layout except
 * that opt is gone, the old field name is back, arr is a flexible array
 * at the end, enum color lost GREEN and PURPLE, and struct gone exists.
 */
struct inner { int x; int y; };
struct t { int id; };

struct s {
	int a;
	long b;
	char c;
	unsigned int u;
	int sgn;
	struct inner in;
	int renamed_old;
	unsigned int bf1:3;
	unsigned int bf2:5;
	int sbf:4;
	struct t *ptr;
	union {
		int ua;
		long ub;
	};
	int arr[];
};

enum color { RED, BLUE };
struct gone { int z; };
struct amb { int f; };

struct s *v_s;
struct t v_t;			/* a full definition, not a FWD */
struct gone *v_gone;
struct amb *v_amb;
enum color v_color;
