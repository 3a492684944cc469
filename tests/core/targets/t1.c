// SPDX-License-Identifier: GPL-2.0
/*
 * "Kernel A" for the CO-RE golden tests (its .BTF is the target):
 * fields of struct s moved and resized, a field renamed, bitfields
 * shifted, enum values changed, two disagreeing candidates for struct
 * amb and two agreeing ones for struct same. Not a BPF program: compiled
 * with clang -g -target bpf -c only for its BTF.
 */
struct inner { int pad; int x; int y; };
struct t { long pad; int id; };

struct s {
	long pad0;
	long b;			/* 8 */
	int a;			/* 16 */
	unsigned long u;	/* 24: was unsigned int */
	long sgn;		/* 32: was int */
	char c;			/* 40 */
	struct inner in;	/* 44 */
	int arr[8];		/* 56 */
	int opt;		/* 88 */
	unsigned int pad1:7, bf1:3, bf2:5;
	int sbf:6;
	struct t *ptr;		/* 96 */
	struct {
		int before;
		union {
			int ua;
			long ub;
		};
	};			/* 104, ua at 112 */
	int renamed_new;	/* 120 */
};

enum color { BLUE = 7, RED, GREEN, PURPLE = 100 };

struct amb { int f; };
struct amb___2 { int pad; int f; };
struct same { int f; };
struct same___2 { int f; };

struct s *v_s;
struct t v_t;			/* a full definition, not a FWD */
struct amb *v_amb;
struct amb___2 *v_amb2;
struct same *v_same;
struct same___2 *v_same2;
enum color v_color;
