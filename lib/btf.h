/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BTF reader (pure: no syscalls). Parses a .BTF blob (own, mutable copy,
 * so the loader can fix it up before BTF_LOAD), validates every type
 * record and string offset, indexes types by id, and answers the
 * questions the loader asks: type by id, by name, sizes, members.
 * Split BTF (module BTF on top of vmlinux) is supported through base.
 */
#ifndef BB_BTF_H
#define BB_BTF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <linux/btf.h>

struct bb_btf;

/*
 * Parse data (copied). base may be NULL; otherwise type ids continue
 * after base's and string offsets after base's string section.
 */
int bb_btf_parse(const void *data, size_t size, const struct bb_btf *base,
		 struct bb_btf **out);
/*
 * The same, taking ownership of data, a malloc()ed buffer (freed on
 * failure too). A blob already laid out header | types | strings, as
 * /sys/kernel/btf/vmlinux is, is used in place instead of copied.
 */
/*
 * Parse a read-only mapping (mmap of /sys/kernel/btf/vmlinux, which Linux
 * 6.16+ allows) in place; it is unmapped by bb_btf_free(), or at once on
 * error. Types must not be modified, and bb_btf_add_str() fails (EROFS).
 */
int bb_btf_parse_mapped(void *map, size_t size, const struct bb_btf *base,
			struct bb_btf **out);
int bb_btf_parse_owned(void *data, size_t size, const struct bb_btf *base,
		       struct bb_btf **out);
void bb_btf_free(struct bb_btf *btf);

/* Number of types including base's, plus one (id 0 is void). */
uint32_t bb_btf_type_cnt(const struct bb_btf *btf);
/* First type id owned by this BTF (1, or base's type_cnt for split). */
uint32_t bb_btf_start_id(const struct bb_btf *btf);
const struct bb_btf *bb_btf_base(const struct bb_btf *btf);

/* NULL for id 0 (void) and ids out of range. Pointer is mutable. */
struct btf_type *bb_btf_type(const struct bb_btf *btf, uint32_t id);
/* String at offset, or NULL if out of range. Offset 0 is "". */
const char *bb_btf_str(const struct bb_btf *btf, uint32_t off);
/* Name of a type ("" if anonymous, never NULL for a valid type). */
const char *bb_btf_type_name(const struct bb_btf *btf, const struct btf_type *t);

/*
 * First (lowest) type id with this name and kind (kind -1: any), base
 * included, or -ENOENT. "void" with kind -1 or 0 is type 0, as in
 * libbpf. The name index is built on the first call (thread-safe); a
 * type renamed in place after that is not found under its new name.
 */
int bb_btf_find(const struct bb_btf *btf, const char *name, int kind);

/* Follow typedef/const/volatile/restrict/type_tag; returns the id
 * (after 32 steps, i.e. in a loop, the id returned is still a modifier). */
uint32_t bb_btf_skip_mods(const struct bb_btf *btf, uint32_t id);
/* Byte size of a type (arrays multiplied out, typedefs, modifiers, vars
 * and decl tags followed; pointers are 8), or a negative errno: -EINVAL
 * for void, functions and forward declarations, -ELOOP for loops or
 * chains deeper than 32, -E2BIG beyond 32 bits. */
int64_t bb_btf_resolve_size(const struct bb_btf *btf, uint32_t id);
/* Alignment of a type in bytes, as libbpf's btf__align_of (1 for packed
 * structs), or a negative errno (-ELOOP: a struct containing itself). */
int bb_btf_align(const struct bb_btf *btf, uint32_t id);

/* The raw blob (header + types + strings) of this BTF (not base's). */
const void *bb_btf_raw(const struct bb_btf *btf, size_t *size);

/* Append a VAR named name; returns its id. Not for mapped BTF. */
int bb_btf_add_var(struct bb_btf *btf, const char *name, uint32_t linkage,
		   uint32_t type);

/* Add a string to the string section (used by fix-ups); returns its
 * offset (an existing one if the string is already there, base
 * included) or a negative errno. Invalidates previous bb_btf_str
 * pointers. Do not add strings to a BTF that split BTF is built on:
 * the split's string offsets start where the base's ended at parse. */
int bb_btf_add_str(struct bb_btf *btf, const char *s);

/* ---- inline accessors on struct btf_type ---- */
static inline uint32_t bb_btf_kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}
static inline uint32_t bb_btf_vlen(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}
static inline bool bb_btf_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info);
}
static inline struct btf_member *bb_btf_members(const struct btf_type *t)
{
	return (struct btf_member *)(t + 1);
}
static inline struct btf_param *bb_btf_params(const struct btf_type *t)
{
	return (struct btf_param *)(t + 1);
}
static inline struct btf_enum *bb_btf_enums(const struct btf_type *t)
{
	return (struct btf_enum *)(t + 1);
}
static inline struct btf_enum64 *bb_btf_enums64(const struct btf_type *t)
{
	return (struct btf_enum64 *)(t + 1);
}
static inline struct btf_array *bb_btf_array(const struct btf_type *t)
{
	return (struct btf_array *)(t + 1);
}
static inline struct btf_var *bb_btf_var(const struct btf_type *t)
{
	return (struct btf_var *)(t + 1);
}
static inline struct btf_var_secinfo *bb_btf_secinfos(const struct btf_type *t)
{
	return (struct btf_var_secinfo *)(t + 1);
}
static inline uint32_t bb_btf_int_encoding(const struct btf_type *t)
{
	return BTF_INT_ENCODING(*(const uint32_t *)(t + 1));
}
static inline uint32_t bb_btf_int_offset(const struct btf_type *t)
{
	return BTF_INT_OFFSET(*(const uint32_t *)(t + 1));
}
static inline uint32_t bb_btf_int_bits(const struct btf_type *t)
{
	return BTF_INT_BITS(*(const uint32_t *)(t + 1));
}
static inline bool bb_btf_is_composite(const struct btf_type *t)
{
	return bb_btf_kind(t) == BTF_KIND_STRUCT ||
	       bb_btf_kind(t) == BTF_KIND_UNION;
}
static inline bool bb_btf_is_any_enum(const struct btf_type *t)
{
	return bb_btf_kind(t) == BTF_KIND_ENUM ||
	       bb_btf_kind(t) == BTF_KIND_ENUM64;
}
/* bit offset / bitfield size of member m of composite t */
static inline uint32_t bb_btf_member_bit_offset(const struct btf_type *t,
						const struct btf_member *m)
{
	return bb_btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}
static inline uint32_t bb_btf_member_bitfield_size(const struct btf_type *t,
						   const struct btf_member *m)
{
	return bb_btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

/* Kind name as bpftool prints it ("INT", "STRUCT", ...). */
const char *bb_btf_kind_name(uint32_t kind);

#endif
