// SPDX-License-Identifier: GPL-2.0
/* CO-RE golden tests: every relocation kind clang 14 emits. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "core_local.h"

SEC("tp/core/fields")
int fields(void *ctx)
{
	struct s *s = ctx;

	return s->a + s->b + s->c + s->in.y + s->arr[2] + s->ua;
}

SEC("tp/core/memsz")
int memsz(void *ctx)
{
	struct s *s = ctx;

	return s->u + s->sgn;
}

SEC("tp/core/chain")
int chain(void *ctx)
{
	struct s *s = ctx;

	return BPF_CORE_READ(s, ptr, id);
}

SEC("tp/core/bitfields")
int bitfields(void *ctx)
{
	struct s *s = ctx;

	return BPF_CORE_READ_BITFIELD_PROBED(s, bf2) +
	       BPF_CORE_READ_BITFIELD_PROBED(s, sbf);
}

SEC("tp/core/exists")
int exists(void *ctx)
{
	struct s *s = ctx;
	int r = bpf_core_field_size(s->arr) + bpf_core_field_size(s->arr[1]);

	if (bpf_core_field_exists(s->opt))
		r += s->opt;
	if (bpf_core_field_exists(s->missing_field))
		r += s->missing_field;
	return r;
}

SEC("tp/core/missing")
int missing(void *ctx)
{
	struct s *s = ctx;

	return s->missing_field;
}

SEC("tp/core/types")
int types(void *ctx)
{
	return bpf_core_type_exists(struct gone) * 1000 +
	       bpf_core_type_size(struct s) +
	       bpf_core_type_id_kernel(struct s) +
	       bpf_core_type_id_local(struct t);
}

SEC("tp/core/enums")
int enums(void *ctx)
{
	int r = 0;

	if (bpf_core_enum_value_exists(enum color, PURPLE))
		r += bpf_core_enum_value(enum color, PURPLE);
	return r + bpf_core_enum_value(enum color, BLUE);
}

SEC("tp/core/flavors")
int flavors(void *ctx)
{
	if (bpf_core_field_exists(((struct s___old *)ctx)->renamed_old))
		return ((struct s___old *)ctx)->renamed_old;
	return ((struct s___new *)ctx)->renamed_new;
}

SEC("tp/core/same")
int same(void *ctx)
{
	return ((struct same *)ctx)->f;
}

SEC("tp/core/ambiguous")
int ambiguous(void *ctx)
{
	return ((struct amb *)ctx)->f;
}

char LICENSE[] SEC("license") = "GPL";
