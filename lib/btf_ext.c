// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * .BTF.ext reader. Layout (all offsets relative to the end of the
 * header):
 *
 *   header { magic, version, flags, hdr_len,
 *            func_info_off, func_info_len, line_info_off, line_info_len,
 *            [core_relo_off, core_relo_len] }
 *   each info: u32 rec_size, then per ELF section
 *            { u32 sec_name_off; u32 num_info; num_info * rec_size bytes }
 *
 * Every info kind is copied into one block of its own:
 * [secs array][records][section names], so a bb_btf_ext outlives both
 * the input bytes and later bb_btf_add_str() calls on the .BTF.
 */
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_ext.h"
#include "err.h"

struct ext_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;	/* if hdr_len has room */
};

#define EXT_HDR_MIN	offsetof(struct ext_hdr, core_relo_off)

struct info_kind {
	const char *name;		/* "func_info", ... */
	uint32_t min_rec;		/* size of the UAPI record */
	/* check one record; i is its index within section sec */
	int (*check)(const struct bb_btf *btf, const struct info_kind *k,
		     const char *sec, uint32_t i, const uint8_t *rec);
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* records may be unaligned in the input */
	return v;
}

static int check_type_id(const struct bb_btf *btf, const struct info_kind *k,
			 const char *sec, uint32_t i, uint32_t id)
{
	if (id >= bb_btf_type_cnt(btf))
		return bb_err(EINVAL,
			      "BTF.ext: %s of section '%s' record %u: type id %u is out of range (last type is [%u])",
			      k->name, sec, i, id, bb_btf_type_cnt(btf) - 1);
	return 0;
}

static int check_str(const struct bb_btf *btf, const struct info_kind *k,
		     const char *sec, uint32_t i, const char *what,
		     uint32_t off)
{
	if (!bb_btf_str(btf, off))
		return bb_err(EINVAL,
			      "BTF.ext: %s of section '%s' record %u: %s offset %u is not a string in .BTF",
			      k->name, sec, i, what, off);
	return 0;
}

/* struct bpf_func_info { insn_off, type_id } */
static int check_func_info(const struct bb_btf *btf, const struct info_kind *k,
			   const char *sec, uint32_t i, const uint8_t *rec)
{
	return check_type_id(btf, k, sec, i, rd32(rec + 4));
}

/* struct bpf_line_info { insn_off, file_name_off, line_off, line_col } */
static int check_line_info(const struct bb_btf *btf, const struct info_kind *k,
			   const char *sec, uint32_t i, const uint8_t *rec)
{
	int err = check_str(btf, k, sec, i, "file name", rd32(rec + 4));

	return err ? err : check_str(btf, k, sec, i, "line", rd32(rec + 8));
}

/* struct bpf_core_relo { insn_off, type_id, access_str_off, kind } */
static int check_core_relo(const struct bb_btf *btf, const struct info_kind *k,
			   const char *sec, uint32_t i, const uint8_t *rec)
{
	int err = check_type_id(btf, k, sec, i, rd32(rec + 4));

	return err ? err : check_str(btf, k, sec, i, "access string",
				     rd32(rec + 8));
}

static const struct info_kind kind_func = { "func_info", 8, check_func_info };
static const struct info_kind kind_line = { "line_info", 16, check_line_info };
static const struct info_kind kind_core = { "core_relo", 16, check_core_relo };

/* Totals of one info kind, from the validating walk. */
struct info_tally {
	size_t nsecs;
	size_t rec_bytes;
	size_t name_bytes;
};

/*
 * Walk one info section of len bytes at p. Validates everything and
 * counts into tally; when info->secs is set (second walk), also copies.
 */
static int walk_info(const struct bb_btf *btf, const struct info_kind *k,
		     const uint8_t *p, uint32_t len, struct info_tally *tally,
		     struct bb_btf_ext_info *info)
{
	uint32_t rec_size, pos, num, i, name_off;
	uint8_t *recs = NULL;
	char *names = NULL;
	const char *name;
	uint64_t bytes;
	size_t n;
	int err;

	if (len < sizeof(uint32_t))
		return bb_err(EINVAL,
			      "BTF.ext: %s is %u bytes, too short for its record size",
			      k->name, len);
	rec_size = rd32(p);
	if (rec_size < k->min_rec || rec_size % 4)
		return bb_err(EINVAL,
			      "BTF.ext: %s record size %u is invalid (at least %u, a multiple of 4)",
			      k->name, rec_size, k->min_rec);
	if (info->secs) {
		recs = (uint8_t *)(info->secs + tally->nsecs);
		names = (char *)recs + tally->rec_bytes;
	}
	for (pos = sizeof(uint32_t); pos < len; pos += 8 + bytes) {
		if (len - pos < 8)
			return bb_err(EINVAL,
				      "BTF.ext: %s: section header at offset %u is truncated (%u bytes left)",
				      k->name, pos, len - pos);
		name_off = rd32(p + pos);
		num = rd32(p + pos + 4);
		name = bb_btf_str(btf, name_off);
		if (!name || !*name)
			return bb_err(EINVAL,
				      "BTF.ext: %s: section name offset %u at offset %u is not %s",
				      k->name, name_off, pos,
				      name ? "a name (empty)" : "a string in .BTF");
		if (!num)
			return bb_err(EINVAL,
				      "BTF.ext: %s of section '%s' has no records",
				      k->name, name);
		bytes = (uint64_t)num * rec_size;
		if (bytes > len - pos - 8)
			return bb_err(EINVAL,
				      "BTF.ext: %s of section '%s': %u records of %u bytes run past the end (%u bytes left)",
				      k->name, name, num, rec_size, len - pos - 8);
		for (i = 0; i < num; i++) {
			err = k->check(btf, k, name, i,
				       p + pos + 8 + (size_t)i * rec_size);
			if (err)
				return err;
		}
		n = strlen(name) + 1;
		if (info->secs) {
			struct bb_btf_ext_sec *s = &info->secs[info->nsecs++];

			memcpy(recs, p + pos + 8, bytes);
			memcpy(names, name, n);
			s->sec_name = names;
			s->nrec = num;
			s->rec_size = rec_size;
			s->recs = recs;
			recs += bytes;
			names += n;
		} else {
			tally->nsecs++;
			tally->rec_bytes += bytes;
			tally->name_bytes += n;
		}
	}
	return 0;
}

static int parse_info(const struct bb_btf *btf, const struct info_kind *k,
		      const uint8_t *data, size_t avail, uint32_t off,
		      uint32_t len, struct bb_btf_ext_info *info)
{
	struct info_tally tally = { 0 };
	int err;

	/* absent or empty: nothing to do, wherever it claims to be */
	if (!len)
		return 0;
	if ((uint64_t)off + len > avail)
		return bb_err(EINVAL,
			      "BTF.ext: %s (offset %u, length %u) runs past the end of the data (%zu bytes after the header)",
			      k->name, off, len, avail);
	if (off % 4)
		return bb_err(EINVAL, "BTF.ext: %s offset %u is not 4-byte aligned",
			      k->name, off);
	err = walk_info(btf, k, data + off, len, &tally, info);
	if (err || !tally.nsecs)
		return err;
	/* secs first: records start 8-aligned, names last */
	info->secs = malloc(tally.nsecs * sizeof(*info->secs) +
			    tally.rec_bytes + tally.name_bytes);
	if (!info->secs)
		return bb_err(ENOMEM, "BTF.ext: out of memory copying %s", k->name);
	return walk_info(btf, k, data + off, len, &tally, info);
}

static int parse_hdr(const uint8_t *data, size_t size, struct ext_hdr *h)
{
	memset(h, 0, sizeof(*h));
	if (!data || size < EXT_HDR_MIN)
		return bb_err(EINVAL,
			      "BTF.ext: blob of %zu bytes is smaller than the %zu-byte header",
			      size, EXT_HDR_MIN);
	memcpy(h, data, EXT_HDR_MIN);
	if (h->magic != BTF_MAGIC)
		return bb_err(EINVAL, "BTF.ext: bad magic 0x%04x (expected 0x%04x)",
			      h->magic, BTF_MAGIC);
	if (h->version != 1)
		return bb_err(ENOTSUP, "BTF.ext: unsupported version %u",
			      h->version);
	if (h->flags)
		return bb_err(ENOTSUP, "BTF.ext: unsupported flags 0x%x",
			      h->flags);
	if (h->hdr_len < EXT_HDR_MIN || h->hdr_len > size)
		return bb_err(EINVAL,
			      "BTF.ext: header length %u is invalid (at least %zu, at most the %zu-byte blob)",
			      h->hdr_len, EXT_HDR_MIN, size);
	/* core_relo_off/len only if the header is long enough for both */
	if (h->hdr_len >= sizeof(*h))
		memcpy(h, data, sizeof(*h));
	return 0;
}

int bb_btf_ext_parse(const void *data, size_t size, const struct bb_btf *btf,
		     struct bb_btf_ext **out)
{
	const uint8_t *d = data;
	struct bb_btf_ext *ext;
	struct ext_hdr h;
	size_t avail;
	int err;

	*out = NULL;
	if (!btf)
		return bb_err(EINVAL, "BTF.ext: needs the .BTF its strings are in");
	err = parse_hdr(d, size, &h);
	if (err)
		return err;
	ext = calloc(1, sizeof(*ext));
	if (!ext)
		return bb_err(ENOMEM, "BTF.ext: out of memory");
	d += h.hdr_len;
	avail = size - h.hdr_len;
	err = parse_info(btf, &kind_func, d, avail, h.func_info_off,
			 h.func_info_len, &ext->func_info);
	if (!err)
		err = parse_info(btf, &kind_line, d, avail, h.line_info_off,
				 h.line_info_len, &ext->line_info);
	if (!err)
		err = parse_info(btf, &kind_core, d, avail, h.core_relo_off,
				 h.core_relo_len, &ext->core_relo);
	if (err) {
		bb_btf_ext_free(ext);
		return err;
	}
	*out = ext;
	return 0;
}

void bb_btf_ext_free(struct bb_btf_ext *ext)
{
	if (!ext)
		return;
	free(ext->func_info.secs);
	free(ext->line_info.secs);
	free(ext->core_relo.secs);
	free(ext);
}

const struct bb_btf_ext_sec *bb_btf_ext_find(const struct bb_btf_ext_info *info,
					     const char *sec_name)
{
	size_t i;

	for (i = 0; i < info->nsecs; i++)
		if (!strcmp(info->secs[i].sec_name, sec_name))
			return &info->secs[i];
	return NULL;
}
