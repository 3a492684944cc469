// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF reader: parse and validate a .BTF blob, index its types by id and
 * (lazily) by name. Sizes and alignments live in btf_size.c.
 *
 * The blob is copied into one buffer laid out header | types | strings
 * with a normalised header, so that bb_btf_raw() always hands back
 * something BTF_LOAD accepts, even after fix-ups mutated types in place
 * or bb_btf_add_str() appended strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <byteswap.h>

#include <sys/mman.h>

#include "btf.h"
#include "err.h"

struct bb_btf_names;

struct bb_btf {
	uint8_t *raw;			/* header | types | strings | spare */
	size_t raw_size;		/* bytes in use */
	size_t raw_cap;			/* bytes allocated */
	struct btf_type **types;	/* types[i] is id start_id + i */
	uint32_t nr_types;
	uint32_t start_id;		/* 1, or base's type count */
	uint32_t start_str_off;		/* 0, or base's total string bytes */
	const struct bb_btf *base;
	/* built on the first bb_btf_find(), see names_get() */
	struct bb_btf_names *names;
	/* raw is a read-only mapping of the file (bb_btf_parse_mapped) */
	bool mapped;
};

static const char *const kind_names[NR_BTF_KINDS] = {
	[BTF_KIND_UNKN] = "UNKN",	[BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",		[BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",	[BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",	[BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",	[BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",	[BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",		[BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",	[BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG", [BTF_KIND_ENUM64] = "ENUM64",
};

const char *bb_btf_kind_name(uint32_t kind)
{
	return kind < NR_BTF_KINDS ? kind_names[kind] : "UNKN";
}

static struct btf_header *hdr_of(const struct bb_btf *btf)
{
	return (struct btf_header *)btf->raw;
}

static char *strs_of(const struct bb_btf *btf)
{
	return (char *)btf->raw + sizeof(struct btf_header) +
	       hdr_of(btf)->type_len;
}

/* One past the last valid string offset, base's strings included. */
static uint32_t str_end(const struct bb_btf *btf)
{
	return btf->start_str_off + hdr_of(btf)->str_len;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

uint32_t bb_btf_type_cnt(const struct bb_btf *btf)
{
	return btf->start_id + btf->nr_types;
}

uint32_t bb_btf_start_id(const struct bb_btf *btf)
{
	return btf->start_id;
}

const struct bb_btf *bb_btf_base(const struct bb_btf *btf)
{
	return btf->base;
}

struct btf_type *bb_btf_type(const struct bb_btf *btf, uint32_t id)
{
	if (id < btf->start_id)
		return btf->base ? bb_btf_type(btf->base, id) : NULL;
	if (id - btf->start_id >= btf->nr_types)
		return NULL;
	return btf->types[id - btf->start_id];
}

const char *bb_btf_str(const struct bb_btf *btf, uint32_t off)
{
	if (off < btf->start_str_off)
		return bb_btf_str(btf->base, off);
	if (off >= str_end(btf))
		return NULL;
	return strs_of(btf) + (off - btf->start_str_off);
}

const char *bb_btf_type_name(const struct bb_btf *btf,
			     const struct btf_type *t)
{
	const char *s = t ? bb_btf_str(btf, t->name_off) : NULL;

	return s ? s : "";
}

const void *bb_btf_raw(const struct bb_btf *btf, size_t *size)
{
	if (size)
		*size = btf->raw_size;
	return btf->raw;
}

/* ------------------------------------------------------------------ */
/* Header and sections                                                 */

static int check_sec(const char *what, uint32_t off, uint32_t len,
		     size_t avail)
{
	if ((uint64_t)off + len > avail)
		return bb_err(EINVAL,
			      "BTF: %s section (offset %u, length %u) runs past the end of the data (%zu bytes after the header)",
			      what, off, len, avail);
	return 0;
}

static int parse_hdr(const void *data, size_t size, struct btf_header *h)
{
	size_t avail;
	int err;

	if (!data || size < sizeof(*h))
		return bb_err(EINVAL,
			      "BTF: blob of %zu bytes is smaller than the %zu-byte header",
			      size, sizeof(*h));
	memcpy(h, data, sizeof(*h));
	if (h->magic == bswap_16(BTF_MAGIC))
		return bb_err(ENOTSUP,
			      "BTF: bad magic 0x%04x: byte-swapped (other-endian) BTF is not supported",
			      h->magic);
	if (h->magic != BTF_MAGIC)
		return bb_err(EINVAL, "BTF: bad magic 0x%04x (expected 0x%04x)",
			      h->magic, BTF_MAGIC);
	if (h->version != BTF_VERSION)
		return bb_err(ENOTSUP, "BTF: unsupported version %u (expected %u)",
			      h->version, BTF_VERSION);
	/* a flag could change what the sections mean: refuse, as the kernel */
	if (h->flags)
		return bb_err(ENOTSUP, "BTF: unsupported header flags 0x%x",
			      h->flags);
	if (h->hdr_len < sizeof(*h))
		return bb_err(EINVAL, "BTF: header length %u is smaller than %zu",
			      h->hdr_len, sizeof(*h));
	/*
	 * A longer header describes sections added by newer kernels; they
	 * are only ever additive, so read what we know and drop the rest
	 * (our copy gets a header of the size we know).
	 */
	if (h->hdr_len > size)
		return bb_err(EINVAL,
			      "BTF: header length %u is beyond the %zu-byte blob",
			      h->hdr_len, size);
	avail = size - h->hdr_len;
	err = check_sec("type", h->type_off, h->type_len, avail);
	if (!err)
		err = check_sec("string", h->str_off, h->str_len, avail);
	if (err)
		return err;
	if (h->type_off & 3)
		return bb_err(EINVAL,
			      "BTF: type section offset %u is not 4-byte aligned",
			      h->type_off);
	if (h->type_len && h->str_len &&
	    h->type_off < (uint64_t)h->str_off + h->str_len &&
	    h->str_off < (uint64_t)h->type_off + h->type_len)
		return bb_err(EINVAL,
			      "BTF: type section (%u+%u) and string section (%u+%u) overlap",
			      h->type_off, h->type_len, h->str_off, h->str_len);
	return 0;
}

/* Copy the two sections behind a normalised header. */
static int copy_blob(struct bb_btf *btf, const uint8_t *data,
		     const struct btf_header *h)
{
	const uint8_t *sec = data + h->hdr_len;
	struct btf_header *nh;

	btf->raw_cap = sizeof(*nh) + (size_t)h->type_len + h->str_len;
	btf->raw_size = btf->raw_cap;
	btf->raw = malloc(btf->raw_cap);
	if (!btf->raw)
		return bb_err(ENOMEM, "BTF: out of memory copying %zu bytes",
			      btf->raw_cap);
	nh = hdr_of(btf);
	*nh = *h;
	nh->hdr_len = sizeof(*nh);
	nh->type_off = 0;
	nh->str_off = h->type_len;
	memcpy(btf->raw + sizeof(*nh), sec + h->type_off, h->type_len);
	memcpy(strs_of(btf), sec + h->str_off, h->str_len);
	return 0;
}

static int check_strs(const struct bb_btf *btf)
{
	uint32_t len = hdr_of(btf)->str_len;
	const char *s = strs_of(btf);

	/* split BTF may have no strings of its own */
	if (!len && btf->base)
		return 0;
	if (!len)
		return bb_err(EINVAL,
			      "BTF: string section is empty (it must hold at least \"\")");
	if (len - 1 > BTF_MAX_NAME_OFFSET ||
	    (uint64_t)btf->start_str_off + len > BTF_MAX_NAME_OFFSET + 1ULL)
		return bb_err(E2BIG,
			      "BTF: string section of %u bytes exceeds the %u-byte limit",
			      len, BTF_MAX_NAME_OFFSET + 1);
	if (!btf->base && s[0])
		return bb_err(EINVAL,
			      "BTF: string section does not start with '\\0'");
	if (s[len - 1])
		return bb_err(EINVAL,
			      "BTF: string section is not NUL-terminated (last byte 0x%02x)",
			      (unsigned char)s[len - 1]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Type records                                                        */

/* Bytes following struct btf_type for t's kind, or -1 for unknown kinds. */
static int64_t type_extra(const struct btf_type *t)
{
	uint32_t vlen = bb_btf_vlen(t);

	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		return sizeof(uint32_t);
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return (int64_t)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (int64_t)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (int64_t)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (int64_t)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64:
		return (int64_t)vlen * sizeof(struct btf_enum64);
	default:
		return -1;
	}
}

/* Where a type reference sits, for error messages. */
struct ref_loc {
	const char *what;		/* "member", "param", ... */
	int idx;			/* index of the member, or -1 */
};

static void max_ref(uint32_t *max, struct ref_loc *loc, uint32_t id,
		    const char *what, int idx)
{
	if (id > *max) {
		*max = id;
		loc->what = what;
		loc->idx = idx;
	}
}

/*
 * The largest type id t refers to (0 if none) and where. Taking the
 * maximum lets the parse check every reference in its single walk:
 * the type count is only known at the end, when one comparison says
 * whether any reference was out of range.
 */
static uint32_t type_max_ref(const struct btf_type *t, struct ref_loc *loc)
{
	uint32_t i, vlen = bb_btf_vlen(t), max = 0;

	switch (bb_btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		max_ref(&max, loc, t->type, "type", -1);
		break;
	case BTF_KIND_ARRAY:
		max_ref(&max, loc, bb_btf_array(t)->type, "element type", -1);
		max_ref(&max, loc, bb_btf_array(t)->index_type, "index type",
			-1);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++)
			max_ref(&max, loc, bb_btf_members(t)[i].type, "member",
				i);
		break;
	case BTF_KIND_FUNC_PROTO:
		max_ref(&max, loc, t->type, "return type", -1);
		for (i = 0; i < vlen; i++)
			max_ref(&max, loc, bb_btf_params(t)[i].type, "param", i);
		break;
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen; i++)
			max_ref(&max, loc, bb_btf_secinfos(t)[i].type,
				"variable", i);
		break;
	}
	return max;
}

static int bad_name(const struct bb_btf *btf, uint32_t id,
		    const struct btf_type *t, const char *what, uint32_t idx,
		    uint32_t off)
{
	return bb_err(EINVAL,
		      "BTF: type [%u] %s: %s %u name offset %u is out of range (string section ends at %u)",
		      id, bb_btf_kind_name(bb_btf_kind(t)), what, idx, off,
		      str_end(btf));
}

/* Check the string offsets of t and of its members, enumerators, params. */
static int check_names(const struct bb_btf *btf, uint32_t id,
		       const struct btf_type *t)
{
	uint32_t i, vlen = bb_btf_vlen(t), end = str_end(btf);
	const uint32_t *off = (const uint32_t *)(t + 1);
	const char *what = "member";
	size_t step;

	if (t->name_off >= end)
		return bb_err(EINVAL,
			      "BTF: type [%u] %s: name offset %u is out of range (string section ends at %u)",
			      id, bb_btf_kind_name(bb_btf_kind(t)), t->name_off,
			      end);
	switch (bb_btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		step = sizeof(struct btf_member);
		break;
	case BTF_KIND_ENUM:
		step = sizeof(struct btf_enum);
		what = "enumerator";
		break;
	case BTF_KIND_ENUM64:
		step = sizeof(struct btf_enum64);
		what = "enumerator";
		break;
	case BTF_KIND_FUNC_PROTO:
		step = sizeof(struct btf_param);
		what = "param";
		break;
	default:
		return 0;
	}
	/* name_off is the first field of every one of these records */
	for (i = 0; i < vlen; i++, off += step / sizeof(*off))
		if (*off >= end)
			return bad_name(btf, id, t, what, i, *off);
	return 0;
}

static int push_type(struct bb_btf *btf, struct btf_type *t, size_t *cap)
{
	struct btf_type **n;
	size_t ncap;

	if (btf->nr_types == *cap) {
		ncap = *cap * 2;
		n = realloc(btf->types, ncap * sizeof(*n));
		if (!n)
			return bb_err(ENOMEM, "BTF: out of memory indexing %u types",
				      btf->nr_types);
		btf->types = n;
		*cap = ncap;
	}
	btf->types[btf->nr_types++] = t;
	return 0;
}

/* Slow path, taken only when some reference was out of range. */
static int report_bad_ref(const struct bb_btf *btf)
{
	uint32_t i, id, ref, cnt = bb_btf_type_cnt(btf);
	struct ref_loc loc = { "type", -1 };
	const struct btf_type *t;
	char idx[16] = "";

	for (i = 0; i < btf->nr_types; i++) {
		t = btf->types[i];
		ref = type_max_ref(t, &loc);
		if (ref < cnt)
			continue;
		id = btf->start_id + i;
		if (loc.idx >= 0)
			snprintf(idx, sizeof(idx), " %d", loc.idx);
		return bb_err(EINVAL,
			      "BTF: type [%u] %s '%s': %s%s refers to type [%u], out of range (last type is [%u])",
			      id, bb_btf_kind_name(bb_btf_kind(t)),
			      bb_btf_type_name(btf, t), loc.what, idx, ref,
			      cnt - 1);
	}
	return bb_err(EINVAL, "BTF: type reference out of range");
}

/*
 * One walk over the type section: record sizes, kinds, string offsets
 * and (through the running maximum) type references.
 */
static int index_types(struct bb_btf *btf)
{
	uint8_t *p = btf->raw + sizeof(struct btf_header);
	uint8_t *end = p + hdr_of(btf)->type_len;
	struct ref_loc loc;
	uint32_t id, ref = 0, r;
	struct btf_type *t;
	/* vmlinux averages ~20 bytes a type: start near the final count */
	size_t cap = hdr_of(btf)->type_len / 16 + 1;
	int64_t extra;
	int err;

	btf->types = malloc(cap * sizeof(*btf->types));
	if (!btf->types)
		return bb_err(ENOMEM, "BTF: out of memory indexing types");
	for (id = btf->start_id; p < end; id++) {
		if ((size_t)(end - p) < sizeof(*t))
			return bb_err(EINVAL,
				      "BTF: type [%u] at offset %zu: truncated (%zu bytes left, a type needs %zu)",
				      id, (size_t)(p - btf->raw) - sizeof(struct btf_header),
				      (size_t)(end - p), sizeof(*t));
		t = (struct btf_type *)p;
		extra = type_extra(t);
		if (extra < 0)
			return bb_err(EINVAL, "BTF: type [%u] has unknown kind %u",
				      id, bb_btf_kind(t));
		if ((size_t)(end - p) - sizeof(*t) < (uint64_t)extra)
			return bb_err(EINVAL,
				      "BTF: type [%u] %s at offset %zu: truncated (needs %lld bytes after the type, %zu left)",
				      id, bb_btf_kind_name(bb_btf_kind(t)),
				      (size_t)(p - btf->raw) - sizeof(struct btf_header),
				      (long long)extra, (size_t)(end - p) - sizeof(*t));
		if (id > BTF_MAX_TYPE)
			return bb_err(E2BIG, "BTF: more than %u types",
				      BTF_MAX_TYPE);
		err = check_names(btf, id, t);
		if (err)
			return err;
		err = push_type(btf, t, &cap);
		if (err)
			return err;
		r = type_max_ref(t, &loc);
		if (r > ref)
			ref = r;
		p += sizeof(*t) + extra;
	}
	if (ref >= bb_btf_type_cnt(btf))
		return report_bad_ref(btf);
	return 0;
}

/* Is the blob already header | types | strings with our header size? */
static bool is_normal(const struct btf_header *h, size_t size)
{
	return h->hdr_len == sizeof(*h) && h->type_off == 0 &&
	       h->str_off == h->type_len &&
	       size == sizeof(*h) + (size_t)h->type_len + h->str_len;
}

/*
 * owned: data is a malloc()ed buffer that becomes ours (freed on error);
 * mapped: data is a read-only mapping used in place (unmapped by free)
 */
static int parse(const void *data, size_t size, const struct bb_btf *base,
		 void *owned, bool mapped, struct bb_btf **out)
{
	struct bb_btf *btf = NULL;
	struct btf_header h;
	int err;

	*out = NULL;
	err = parse_hdr(data, size, &h);
	if (err)
		goto err;
	btf = calloc(1, sizeof(*btf));
	if (!btf) {
		err = bb_err(ENOMEM, "BTF: out of memory");
		goto err;
	}
	btf->base = base;
	btf->start_id = base ? bb_btf_type_cnt(base) : 1;
	btf->start_str_off = base ? str_end(base) : 0;
	if (mapped && is_normal(&h, size)) {
		/* the kernel's own pages: no copy, no memory of ours */
		btf->raw = (uint8_t *)data;
		btf->raw_size = btf->raw_cap = size;
		btf->mapped = true;
	} else if (owned && is_normal(&h, size)) {
		/* adopting saves copying (and page-faulting) megabytes */
		btf->raw = owned;
		btf->raw_size = btf->raw_cap = size;
		owned = NULL;
	} else {
		err = copy_blob(btf, data, &h);
		if (err)
			goto err;
	}
	err = check_strs(btf);
	if (!err)
		err = index_types(btf);
	if (err)
		goto err;
	free(owned);
	*out = btf;
	return 0;
err:
	if (btf && btf->mapped) {	/* the caller unmaps it */
		btf->raw = NULL;
		btf->mapped = false;
	}
	bb_btf_free(btf);
	free(owned);
	return err;
}

int bb_btf_parse(const void *data, size_t size, const struct bb_btf *base,
		 struct bb_btf **out)
{
	return parse(data, size, base, NULL, false, out);
}

int bb_btf_parse_owned(void *data, size_t size, const struct bb_btf *base,
		       struct bb_btf **out)
{
	return parse(data, size, base, data, false, out);
}

int bb_btf_parse_mapped(void *map, size_t size, const struct bb_btf *base,
			struct bb_btf **out)
{
	int err = parse(map, size, base, NULL, true, out);

	/* a blob in an unusual layout was copied: the mapping can go */
	if (err || !(*out)->mapped)
		munmap(map, size);
	return err;
}

void bb_btf_free(struct bb_btf *btf)
{
	if (!btf)
		return;
	free(btf->names);
	free(btf->types);
	if (btf->mapped)
		munmap(btf->raw, btf->raw_cap);
	else
		free(btf->raw);
	free(btf);
}

/* ------------------------------------------------------------------ */
/* Strings                                                             */

/* Offset of s in this BTF's own strings (or base's), or -1. */
static int64_t find_str(const struct bb_btf *btf, const char *s, size_t len)
{
	const char *strs = strs_of(btf), *hit;
	int64_t off;

	if (btf->base) {
		off = find_str(btf->base, s, len);
		if (off >= 0)
			return off;
	}
	/* s with its NUL: any hit ends where a string ends, so it is one */
	hit = memmem(strs, hdr_of(btf)->str_len, s, len + 1);
	return hit ? btf->start_str_off + (hit - strs) : -1;
}

/* Grow raw to at least need bytes, moving the type index with it. */
static int grow_raw(struct bb_btf *btf, size_t need)
{
	size_t cap = btf->raw_cap * 2 > need ? btf->raw_cap * 2 : need;
	uint8_t *n = malloc(cap);
	uint32_t i;

	if (!n)
		return bb_err(ENOMEM, "BTF: out of memory growing strings to %zu bytes",
			      cap);
	memcpy(n, btf->raw, btf->raw_size);
	/* the old buffer is still live, so these differences are defined */
	for (i = 0; i < btf->nr_types; i++)
		btf->types[i] = (struct btf_type *)
			(n + ((uint8_t *)btf->types[i] - btf->raw));
	free(btf->raw);
	btf->raw = n;
	btf->raw_cap = cap;
	return 0;
}

int bb_btf_add_str(struct bb_btf *btf, const char *s)
{
	size_t len = strlen(s);
	uint32_t old = hdr_of(btf)->str_len;
	int64_t off;
	int err;

	off = find_str(btf, s, len);
	if (off >= 0)
		return off;
	if (btf->mapped)
		return bb_err(EROFS, "BTF: cannot add \"%.32s\" to a read-only mapped BTF",
			      s);
	if ((uint64_t)str_end(btf) + len + 1 > BTF_MAX_NAME_OFFSET + 1ULL)
		return bb_err(E2BIG,
			      "BTF: adding \"%.32s\" would take strings past the %u-byte limit",
			      s, BTF_MAX_NAME_OFFSET + 1);
	if (btf->raw_size + len + 1 > btf->raw_cap) {
		err = grow_raw(btf, btf->raw_size + len + 1);
		if (err)
			return err;
	}
	memcpy(btf->raw + btf->raw_size, s, len + 1);
	btf->raw_size += len + 1;
	hdr_of(btf)->str_len = old + len + 1;
	return btf->start_str_off + old;
}

/*
 * Append a VAR type (used by the loader's fix-ups, as libbpf appends its
 * "dummy_ksym"). Types come before strings in the blob, so the strings
 * move up to make room. Returns the new type's id or a negative errno.
 */
int bb_btf_add_var(struct bb_btf *btf, const char *name, uint32_t linkage,
		   uint32_t type)
{
	const size_t sz = sizeof(struct btf_type) + sizeof(struct btf_var);
	struct btf_type *t;
	struct btf_type **types;
	uint8_t *at;
	int name_off, err;

	if (btf->mapped)
		return bb_err(EROFS, "BTF: cannot add a type to a read-only mapped BTF");
	name_off = bb_btf_add_str(btf, name);
	if (name_off < 0)
		return name_off;
	if (btf->raw_size + sz > btf->raw_cap) {
		err = grow_raw(btf, btf->raw_size + sz);
		if (err)
			return err;
	}
	types = realloc(btf->types, (btf->nr_types + 1) * sizeof(*types));
	if (!types)
		return bb_err(ENOMEM, "BTF: out of memory adding a type");
	btf->types = types;
	at = (uint8_t *)strs_of(btf);
	memmove(at + sz, at, hdr_of(btf)->str_len);
	t = (struct btf_type *)at;
	memset(t, 0, sz);
	t->name_off = name_off;
	t->info = (uint32_t)BTF_KIND_VAR << 24;
	t->type = type;
	((struct btf_var *)(t + 1))->linkage = linkage;
	hdr_of(btf)->type_len += sz;
	hdr_of(btf)->str_off += sz;
	btf->raw_size += sz;
	btf->types[btf->nr_types++] = t;
	/* the name index, if built, no longer covers every type */
	free(btf->names);
	btf->names = NULL;
	return btf->start_id + btf->nr_types - 1;
}

/* ------------------------------------------------------------------ */
/* Lookup by name                                                      */

/*
 * Chained hash of this BTF's own named types. Built on first use: a
 * loader that only wants a few ids from vmlinux should not pay for it
 * at parse time. Chains are in ascending id order, so the first match
 * is the lowest id. The index holds ids, not names: a type renamed in
 * place after it is built is no longer found under either name.
 */
struct bb_btf_names {
	uint32_t mask;			/* number of buckets - 1 */
	uint32_t *buckets;		/* first id of the chain, 0: empty */
	uint32_t *next;			/* next id in the chain, by own index */
};

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static struct bb_btf_names *names_build(const struct bb_btf *btf)
{
	uint32_t nb = 16, i, h;
	struct bb_btf_names *ix;
	const char *name;

	/* chained, so a load factor up to 1 is fine and saves memory */
	while (nb < btf->nr_types)
		nb *= 2;
	ix = calloc(1, sizeof(*ix) + ((size_t)nb + btf->nr_types) * 4);
	if (!ix)
		return NULL;
	ix->mask = nb - 1;
	ix->buckets = (uint32_t *)(ix + 1);
	ix->next = ix->buckets + nb;
	/* push from the highest id down so that chains ascend */
	for (i = btf->nr_types; i-- > 0;) {
		name = bb_btf_type_name(btf, btf->types[i]);
		if (!*name)
			continue;
		h = str_hash(name) & ix->mask;
		ix->next[i] = ix->buckets[h];
		ix->buckets[h] = btf->start_id + i;
	}
	return ix;
}

/*
 * The index is logically part of a const bb_btf; publish it with a
 * compare-and-swap so that two threads finding at once are safe.
 */
static struct bb_btf_names *names_get(const struct bb_btf *btf)
{
	struct bb_btf_names **slot = &((struct bb_btf *)btf)->names;
	struct bb_btf_names *ix, *cur;

	cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (cur)
		return cur;
	ix = names_build(btf);
	if (!ix)
		return NULL;
	cur = NULL;
	if (__atomic_compare_exchange_n(slot, &cur, ix, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return ix;
	free(ix);
	return cur;
}

static bool type_is(const struct bb_btf *btf, uint32_t id, const char *name,
		    int kind)
{
	const struct btf_type *t = bb_btf_type(btf, id);

	return (kind < 0 || bb_btf_kind(t) == (uint32_t)kind) &&
	       !strcmp(bb_btf_type_name(btf, t), name);
}

/* Own types only. */
static int find_own(const struct bb_btf *btf, const char *name, int kind)
{
	struct bb_btf_names *ix = names_get(btf);
	uint32_t id, i;

	if (!ix) {
		/* out of memory for the index: still answer, slowly */
		for (i = 0; i < btf->nr_types; i++)
			if (type_is(btf, btf->start_id + i, name, kind))
				return btf->start_id + i;
		return -ENOENT;
	}
	for (id = ix->buckets[str_hash(name) & ix->mask]; id;
	     id = ix->next[id - btf->start_id])
		if (type_is(btf, id, name, kind))
			return id;
	return -ENOENT;
}

/* Base types have the lower ids: look there first. */
static int find_layers(const struct bb_btf *btf, const char *name, int kind)
{
	int id;

	if (btf->base) {
		id = find_layers(btf->base, name, kind);
		if (id >= 0)
			return id;
	}
	return find_own(btf, name, kind);
}

int bb_btf_find(const struct bb_btf *btf, const char *name, int kind)
{
	int id;

	if (!name || !*name)
		return bb_err(EINVAL, "BTF: cannot look up a type without a name");
	/* as libbpf: "void" is type 0, which no record describes */
	if ((kind < 0 || kind == BTF_KIND_UNKN) && !strcmp(name, "void"))
		return 0;
	id = find_layers(btf, name, kind);
	if (id >= 0)
		return id;
	if (kind < 0)
		return bb_err(ENOENT, "BTF: no type named '%s'", name);
	return bb_err(ENOENT, "BTF: no %s named '%s'",
		      bb_btf_kind_name(kind), name);
}
