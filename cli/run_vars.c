// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run: the object's global variables as command-line knobs.
 *
 * Every non-static variable of .rodata, .data and .bss (and their .N
 * sub-sections) is a knob, typed from its BTF: integers (range-checked
 * for their size and sign; decimal, 0x hex or 0 octal), bools
 * (true/false/1/0/yes/no/on/off), enums (by enumerator name or number),
 * floats, and char arrays (strings that must fit with their NUL).
 * .rodata and .data knobs are written into the initial contents before
 * load, so the verifier sees .rodata's as constants, as libbpf's
 * skeletons do; .bss has no initial contents and is written right after
 * load, before anything is attached.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bpfbox.h"
#include "btf.h"
#include "btf_value.h"
#include "cli.h"
#include "object.h"
#include "run.h"

struct var_ref {
	struct bpfbox_map *map;
	const char *name;
	uint32_t type_id;	/* the variable's type */
	uint32_t off, size;	/* in the map's value */
};

typedef int (*var_fn)(const struct var_ref *v, void *arg);

static bool is_knob_map(const struct bpfbox_map *m)
{
	return (m->kind == BB_MAP_RODATA || m->kind == BB_MAP_DATA ||
		m->kind == BB_MAP_BSS) && m->btf_value_type_id;
}

static int each_var_of(const struct bpfbox_object *obj,
		       struct bpfbox_map *m, var_fn fn, void *arg)
{
	const struct btf_type *sec = bb_btf_type(obj->btf, m->btf_value_type_id);
	const struct btf_var_secinfo *si;
	const struct btf_type *var;
	struct var_ref v = { .map = m };
	uint32_t i;
	int ret;

	if (!sec || bb_btf_kind(sec) != BTF_KIND_DATASEC)
		return 0;
	si = bb_btf_secinfos(sec);
	for (i = 0; i < bb_btf_vlen(sec); i++) {
		var = bb_btf_type(obj->btf, si[i].type);
		if (!var || bb_btf_kind(var) != BTF_KIND_VAR ||
		    bb_btf_var(var)->linkage != BTF_VAR_GLOBAL_ALLOCATED)
			continue;
		if ((uint64_t)si[i].offset + si[i].size > m->value_size)
			continue;	/* malformed: never write outside */
		v.name = bb_btf_type_name(obj->btf, var);
		v.type_id = var->type;
		v.off = si[i].offset;
		v.size = si[i].size;
		ret = fn(&v, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* fn on every knob in section order; stops at the first nonzero return */
static int each_var(const struct bpfbox_object *obj, var_fn fn, void *arg)
{
	size_t i;
	int ret;

	if (!obj->btf)
		return 0;
	for (i = 0; i < obj->nmaps; i++) {
		if (!is_knob_map(&obj->maps[i]))
			continue;
		ret = each_var_of(obj, &obj->maps[i], fn, arg);
		if (ret)
			return ret;
	}
	return 0;
}

struct find_arg {
	const char *name;
	struct var_ref found;
};

static int find_cb(const struct var_ref *v, void *arg)
{
	struct find_arg *a = arg;

	if (strcmp(v->name, a->name))
		return 0;
	a->found = *v;
	return 1;
}

static bool find_var(const struct bpfbox_object *obj, const char *name,
		     struct var_ref *out)
{
	struct find_arg a = { .name = name };

	if (each_var(obj, find_cb, &a) != 1)
		return false;
	*out = a.found;
	return true;
}

static const struct btf_type *resolved(const struct bb_btf *btf, uint32_t id)
{
	return bb_btf_type(btf, bb_btf_skip_mods(btf, id));
}

static bool is_bool_type(const struct btf_type *t)
{
	return t && bb_btf_kind(t) == BTF_KIND_INT &&
	       (bb_btf_int_encoding(t) & BTF_INT_BOOL);
}

/* char[N]: a string knob */
static bool is_char_array(const struct bb_btf *btf, const struct btf_type *t)
{
	const struct btf_type *e;

	if (!t || bb_btf_kind(t) != BTF_KIND_ARRAY)
		return false;
	e = resolved(btf, bb_btf_array(t)->type);
	return e && bb_btf_kind(e) == BTF_KIND_INT && e->size == 1;
}

bool run_var_exists(const struct bpfbox_object *obj, const char *name,
		    bool *is_bool)
{
	struct var_ref v;

	if (!find_var(obj, name, &v))
		return false;
	*is_bool = is_bool_type(resolved(obj->btf, v.type_id));
	return true;
}

/* ------------------------------------------------------------------ */
/* Parsing a value                                                     */

static int parse_bool(const char *s, uint8_t *out, uint32_t size)
{
	static const char *const yes[] = { "true", "1", "yes", "on" };
	static const char *const no[] = { "false", "0", "no", "off" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
			memset(out, 0, size);
			out[0] = !strcasecmp(s, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

/* an integer of size bytes, signed or not, little-endian into out */
static int parse_int(const char *s, bool is_signed, uint32_t size,
		     uint8_t *out, char *why, size_t len)
{
	int bits = size * 8;
	unsigned long long u;
	long long v;
	char *end;

	errno = 0;
	if (is_signed) {
		v = strtoll(s, &end, 0);
		if (errno || end == s || *end)
			goto bad;
		if (bits < 64 && (v < -(1LL << (bits - 1)) ||
				  v > (1LL << (bits - 1)) - 1)) {
			snprintf(why, len, "out of range for a signed %d-bit integer (%lld to %lld)",
				 bits, -(1LL << (bits - 1)), (1LL << (bits - 1)) - 1);
			return -ERANGE;
		}
		u = v;
	} else {
		while (*s == ' ')
			s++;
		if (*s == '-')
			goto bad;
		u = strtoull(s, &end, 0);
		if (errno || end == s || *end)
			goto bad;
		if (bits < 64 && u >> bits) {
			snprintf(why, len, "out of range for an unsigned %d-bit integer (0 to %llu)",
				 bits, (1ULL << bits) - 1);
			return -ERANGE;
		}
	}
	memcpy(out, &u, size);	/* little-endian: the low bytes */
	return 0;
bad:
	snprintf(why, len, "not %s integer", is_signed ? "an" : "an unsigned");
	return -EINVAL;
}

static int parse_enum(const struct bb_btf *btf, const struct btf_type *t,
		      const char *s, uint8_t *out, char *why, size_t len)
{
	bool is_signed = bb_btf_kflag(t);
	uint32_t i, n = bb_btf_vlen(t);
	uint64_t val;
	int off;

	for (i = 0; i < n; i++) {
		if (bb_btf_kind(t) == BTF_KIND_ENUM) {
			const struct btf_enum *e = bb_btf_enums(t) + i;

			if (strcmp(bb_btf_str(btf, e->name_off), s))
				continue;
			val = is_signed ? (uint64_t)(int64_t)e->val : (uint32_t)e->val;
		} else {
			const struct btf_enum64 *e = bb_btf_enums64(t) + i;

			if (strcmp(bb_btf_str(btf, e->name_off), s))
				continue;
			val = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
		}
		memcpy(out, &val, t->size);
		return 0;
	}
	if (parse_int(s, is_signed, t->size, out, why, len) == 0)
		return 0;
	off = snprintf(why, len, "not one of");
	for (i = 0; i < n && off > 0 && (size_t)off < len; i++) {
		uint32_t name = bb_btf_kind(t) == BTF_KIND_ENUM ?
				bb_btf_enums(t)[i].name_off :
				bb_btf_enums64(t)[i].name_off;

		off += snprintf(why + off, len - off, "%s %s", i ? "," : "",
				bb_btf_str(btf, name));
	}
	return -EINVAL;
}

static int parse_float(const char *s, uint32_t size, uint8_t *out,
		       char *why, size_t len)
{
	char *end;
	double d;
	float f;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end) {
		snprintf(why, len, "not a number");
		return -EINVAL;
	}
	if (size == 4) {
		if (d > FLT_MAX || d < -FLT_MAX) {
			snprintf(why, len, "out of range for a float");
			return -ERANGE;
		}
		f = d;
		memcpy(out, &f, 4);
		return 0;
	}
	if (size != 8) {
		snprintf(why, len, "a %u-byte float is not supported", size);
		return -EOPNOTSUPP;
	}
	memcpy(out, &d, 8);
	return 0;
}

/* the value s for type_id into out[0..size); why says what is wrong */
static int parse_value(const struct bb_btf *btf, uint32_t type_id,
		       uint32_t size, const char *s, uint8_t *out, char *why,
		       size_t len)
{
	const struct btf_type *t = resolved(btf, type_id);
	size_t n;

	if (!t || bb_btf_resolve_size(btf, type_id) != (int64_t)size) {
		snprintf(why, len, "its BTF type does not match its size");
		return -EINVAL;
	}
	memset(out, 0, size);
	if (is_bool_type(t)) {
		if (parse_bool(s, out, size) == 0)
			return 0;
		snprintf(why, len, "not a bool (true, false, 1, 0, yes, no, on, off)");
		return -EINVAL;
	}
	if (is_char_array(btf, t)) {
		n = strlen(s);
		if (n >= size) {
			snprintf(why, len, "too long: it holds up to %u bytes",
				 size - 1);
			return -E2BIG;
		}
		memcpy(out, s, n);
		return 0;
	}
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
		if (t->size > 8 || bb_btf_int_bits(t) != t->size * 8)
			break;
		return parse_int(s, bb_btf_int_encoding(t) & BTF_INT_SIGNED,
				 t->size, out, why, len);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (t->size > 8)
			break;
		return parse_enum(btf, t, s, out, why, len);
	case BTF_KIND_FLOAT:
		return parse_float(s, t->size, out, why, len);
	}
	snprintf(why, len, "a %s cannot be set from the command line",
		 bb_btf_kind_name(bb_btf_kind(t)));
	return -EOPNOTSUPP;
}

/* ------------------------------------------------------------------ */
/* Applying                                                            */

/* the bytes of value s for v, in a malloc'd buffer; exit code on error */
static int var_bytes(const struct bpfbox_object *obj, const struct var_ref *v,
		     const char *s, uint8_t **out)
{
	char why[256] = "";

	*out = calloc(1, v->size ? v->size : 1);
	if (!*out)
		return cli_fail("out of memory");
	if (parse_value(obj->btf, v->type_id, v->size, s, *out, why,
			sizeof(why)) == 0)
		return 0;
	free(*out);
	*out = NULL;
	return cli_usage("--%s %s: %s", v->name, s, why);
}

static int write_before_load(struct bpfbox_map *m, const struct var_ref *v,
			     const uint8_t *bytes)
{
	size_t size = 0;
	uint8_t *data = bpfbox_map_initial_value(m, &size);

	if (!data || (uint64_t)v->off + v->size > size)
		return cli_fail("--%s: cannot write the initial value of %s: %s",
				v->name, m->name, bpfbox_errmsg());
	memcpy(data + v->off, bytes, v->size);
	return 0;
}

/* .bss: read the whole value, change the variable, write it back */
static int write_after_load(struct bpfbox_map *m, const struct var_ref *v,
			    const uint8_t *bytes)
{
	uint8_t *val = calloc(1, m->value_size);
	uint32_t key = 0;
	int err = 0;

	if (!val)
		return cli_fail("out of memory");
	if (bpfbox_map_lookup_elem(m->fd, &key, val) ||
	    (memcpy(val + v->off, bytes, v->size),
	     bpfbox_map_update_elem(m->fd, &key, val, 0)))
		err = cli_fail("--%s: writing %s: %s", v->name, m->name,
			       bpfbox_errmsg());
	free(val);
	return err;
}

int run_vars_apply(struct run *r, bool loaded)
{
	struct var_ref v;
	uint8_t *bytes;
	size_t i;
	int err;

	for (i = 0; i < r->knobs.n; i++) {
		if (!find_var(r->obj, r->knobs.v[i].key, &v))
			continue;	/* run_vars_check said so */
		if ((v.map->kind == BB_MAP_BSS) != loaded)
			continue;
		err = var_bytes(r->obj, &v, r->knobs.v[i].val, &bytes);
		if (err)
			return err;
		err = loaded ? write_after_load(v.map, &v, bytes) :
			       write_before_load(v.map, &v, bytes);
		free(bytes);
		if (err)
			return err;
	}
	return 0;
}

/* before anything needs root: every knob exists and its value parses */
int run_vars_check(struct run *r)
{
	struct var_ref v;
	uint8_t *bytes;
	size_t i;
	int err;

	for (i = 0; i < r->knobs.n; i++) {
		if (!find_var(r->obj, r->knobs.v[i].key, &v))
			return cli_usage("--set %s: %s has no global variable named '%s' (see 'bpfbox run %s --help')",
					 r->knobs.v[i].key, r->path,
					 r->knobs.v[i].key, r->path);
		err = var_bytes(r->obj, &v, r->knobs.v[i].val, &bytes);
		free(bytes);
		if (err)
			return err;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* --help                                                              */

static void type_str(const struct bb_btf *btf, uint32_t id, char *buf,
		     size_t len)
{
	const struct btf_type *t = resolved(btf, id);
	const char *name = t ? bb_btf_type_name(btf, t) : "";

	if (!t) {
		snprintf(buf, len, "?");
	} else if (is_bool_type(t)) {
		snprintf(buf, len, "BOOL");
	} else if (is_char_array(btf, t)) {
		snprintf(buf, len, "STRING (up to %u bytes)",
			 bb_btf_array(t)->nelems ? bb_btf_array(t)->nelems - 1 : 0);
	} else if (bb_btf_kind(t) == BTF_KIND_INT) {
		snprintf(buf, len, "%c%u",
			 bb_btf_int_encoding(t) & BTF_INT_SIGNED ? 'S' : 'U',
			 t->size * 8);
	} else if (bb_btf_is_any_enum(t)) {
		snprintf(buf, len, "enum %s", *name ? name : "(anon)");
	} else if (bb_btf_kind(t) == BTF_KIND_FLOAT) {
		snprintf(buf, len, "FLOAT%u", t->size * 8);
	} else {
		snprintf(buf, len, "(not settable: %s)",
			 bb_btf_kind_name(bb_btf_kind(t)));
	}
}

/* the enumerators of an enum knob: "A|B|C" */
static void enum_names(const struct bb_btf *btf, const struct btf_type *t,
		       FILE *out)
{
	uint32_t i;

	for (i = 0; i < bb_btf_vlen(t); i++) {
		uint32_t name = bb_btf_kind(t) == BTF_KIND_ENUM ?
				bb_btf_enums(t)[i].name_off :
				bb_btf_enums64(t)[i].name_off;

		fprintf(out, "%s%s", i ? "|" : "", bb_btf_str(btf, name));
	}
}

static void put_default(const struct bb_btf *btf, const struct var_ref *v,
			const uint8_t *data, FILE *out)
{
	struct bb_value_opts o = { .loose_strings = true };
	char *s = NULL;

	if (!data) {
		fputs("0", out);
		return;
	}
	if (bb_btf_value_format(btf, v->type_id, data + v->off, v->size, &o,
				false, &s)) {
		fputs("?", out);
		return;
	}
	/* JSON quotes strings and enum names: a bare name reads as typed */
	if (s[0] == '"' && !is_char_array(btf, resolved(btf, v->type_id))) {
		s[strlen(s) - 1] = '\0';
		fputs(s + 1, out);
	} else {
		fputs(s, out);
	}
	free(s);
}

struct help_arg {
	const struct bpfbox_object *obj;
	FILE *out;
	int n;
};

static int help_cb(const struct var_ref *v, void *arg)
{
	struct help_arg *a = arg;
	const struct bb_btf *btf = a->obj->btf;
	const struct btf_type *t = resolved(btf, v->type_id);
	const uint8_t *data = NULL;
	size_t size = 0;
	char type[64];

	/* `struct event *unused_event;` only brings a type into BTF */
	if (t && bb_btf_kind(t) == BTF_KIND_PTR)
		return 0;
	if (v->map->kind != BB_MAP_BSS)
		data = bpfbox_map_initial_value(v->map, &size);
	if (data && (uint64_t)v->off + v->size > size)
		data = NULL;
	if (!a->n++)
		fprintf(a->out, "Knobs (global variables; --NAME VALUE sets one):\n");
	type_str(btf, v->type_id, type, sizeof(type));
	fprintf(a->out, "  --%-24s %-22s default ", v->name, type);
	put_default(btf, v, data, a->out);
	fprintf(a->out, "  (%s", v->map->sec_name);
	if (t && bb_btf_is_any_enum(t)) {
		fputs("; ", a->out);
		enum_names(btf, t, a->out);
	}
	fputs(")\n", a->out);
	return 0;
}

void run_vars_help(const struct run *r, FILE *out)
{
	struct help_arg a = { .obj = r->obj, .out = out };

	each_var(r->obj, help_cb, &a);
	if (!a.n)
		fprintf(out, "%s has no knobs (no global variables in .rodata, .data or .bss%s).\n",
			r->path, r->obj->btf ? "" : ", or no BTF to describe them");
}
