// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox gen skeleton: a C header that embeds a BPF object and gives
 * user programs typed handles on it, as bpftool's skeletons do for
 * libbpf:
 *
 *   struct NAME { obj; maps.X; progs.Y; struct NAME__rodata {...} *rodata; }
 *   NAME__open(), NAME__load(), NAME__open_and_load(), NAME__attach(),
 *   NAME__detach(), NAME__destroy()
 *
 * The global data structs are written with the C dumper from each
 * section's DATASEC, padded so that every member sits at the DATASEC
 * offset (and static-asserted there). Static variables are left out, as
 * bpftool does: their names are not unique and user space has no claim
 * on them. The types the variables need are defined before the skeleton,
 * unless the user has them already (vmlinux.h, or NAME__SKEL_NO_TYPES).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BB_BTF_DUMP_INTERNAL
#include "btf.h"
#include "btf_dump.h"
#include "err.h"
#include "gen_skel.h"
#include "object.h"

#define MAX_IDENT	256
/* anonymous structs inside anonymous structs: deeper is a loop */
#define MAX_ANON_DEPTH	32

struct gen {
	FILE *f;
	const char *name;		/* sanitized object name */
	struct bpfbox_object *obj;
	struct bb_btf_dump *d;
};

/* a C identifier: anything else becomes '_', a leading digit gets one */
static void sanitize(char *buf, size_t len, const char *s)
{
	size_t i = 0;

	if (isdigit((unsigned char)*s) && i + 1 < len)
		buf[i++] = '_';
	for (; *s && i + 1 < len; s++)
		buf[i++] = isalnum((unsigned char)*s) ? *s : '_';
	buf[i] = '\0';
}

/* a C string literal; octal escapes cannot swallow the next character */
static void put_cstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || strchr("_.-/ ", *s))
			fputc(*s, f);
		else
			fprintf(f, "\\%03o", (unsigned char)*s);
	}
	fputc('"', f);
}

static bool is_main_prog(const struct bpfbox_prog *p)
{
	return !p->is_subprog;
}

/* the name a map goes by in the skeleton: "rodata_foo" for .rodata.foo */
static void map_ident(char *buf, size_t len, const struct bpfbox_map *m)
{
	const char *s = m->kind == BB_MAP_USER ? m->name : m->sec_name;

	sanitize(buf, len, *s == '.' ? s + 1 : s);
}

/* the string bpfbox_object_find_map() finds it by */
static const char *map_lookup_name(const struct bpfbox_map *m)
{
	return m->kind == BB_MAP_USER ? m->name : m->sec_name;
}

/* global data user space sees: mmapable sections with a DATASEC */
static const struct btf_type *map_datasec(const struct gen *g,
					  const struct bpfbox_map *m)
{
	const struct btf_type *t;

	if (m->kind == BB_MAP_USER || !g->obj->btf || !m->btf_value_type_id ||
	    !(m->map_flags & BPF_F_MMAPABLE))
		return NULL;
	t = bb_btf_type(g->obj->btf, m->btf_value_type_id);
	return t && bb_btf_kind(t) == BTF_KIND_DATASEC ? t : NULL;
}

/* the VAR of secinfo vi if user space sees it (not static), else NULL */
static const struct btf_type *exposed_var(const struct gen *g,
					  const struct btf_var_secinfo *vi)
{
	const struct btf_type *v = bb_btf_type(g->obj->btf, vi->type);

	if (!v || bb_btf_kind(v) != BTF_KIND_VAR ||
	    bb_btf_var(v)->linkage == BTF_VAR_STATIC)
		return NULL;
	return v;
}

/* top-level const/volatile go: the skeleton writes .rodata before load */
static uint32_t strip_mods(const struct bb_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	int i;

	for (i = 0; i < 32; i++) {
		t = bb_btf_type(btf, id);
		if (!t || (bb_btf_kind(t) != BTF_KIND_CONST &&
			   bb_btf_kind(t) != BTF_KIND_VOLATILE &&
			   bb_btf_kind(t) != BTF_KIND_RESTRICT))
			break;
		id = t->type;
	}
	return id;
}

/* ------------------------------------------------------------------ */
/* Types the variables need                                            */

/*
 * Anonymous structs are written inline in the declaration; what their
 * members need is defined beforehand (dumping the anonymous struct
 * itself would leave a useless `struct {...};` at file scope).
 */
static int emit_needed(struct gen *g, uint32_t id, int depth)
{
	const struct bb_btf *btf = g->obj->btf;
	const struct btf_type *t = bb_btf_type(btf, id);
	const struct btf_member *m;
	uint32_t i;
	int err;

	if (!t)
		return 0;	/* void */
	if (depth > MAX_ANON_DEPTH)
		return bb_err(ELOOP, "%s: types nested too deep (a loop?)",
			      g->obj->path);
	switch (bb_btf_kind(t)) {
	case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return emit_needed(g, t->type, depth + 1);
	case BTF_KIND_ARRAY:
		return emit_needed(g, bb_btf_array(t)->type, depth + 1);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (t->name_off)
			break;
		m = bb_btf_members(t);
		for (i = 0; i < bb_btf_vlen(t); i++, m++) {
			err = emit_needed(g, m->type, depth + 1);
			if (err)
				return err;
		}
		return 0;
	default:
		break;
	}
	return bb_btf_dump_type(g->d, id);
}

static int emit_types(struct gen *g)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *sec, *v;
	size_t i;
	uint32_t j;
	int err;

	fprintf(g->f, "#if !defined(__VMLINUX_H__) && !defined(%s__SKEL_NO_TYPES)\n",
		g->name);
	/*
	 * vmlinux.h-based objects carry "typedef _Bool bool;" in their BTF;
	 * <stdbool.h> (which bpfbox.h includes) makes that read "typedef
	 * _Bool _Bool;". C11 7.18 lets a program undefine bool: do so around
	 * the types and define it back after them.
	 */
	fprintf(g->f, "#ifdef bool\n#undef bool\n#define %s__SKEL_BOOL_MACRO\n#endif\n",
		g->name);
	for (i = 0; i < g->obj->nmaps; i++) {
		sec = map_datasec(g, &g->obj->maps[i]);
		if (!sec)
			continue;
		vi = bb_btf_secinfos(sec);
		for (j = 0; j < bb_btf_vlen(sec); j++, vi++) {
			v = exposed_var(g, vi);
			if (!v)
				continue;
			err = emit_needed(g, v->type, 0);
			if (err)
				return err;
		}
	}
	fprintf(g->f, "#ifdef %s__SKEL_BOOL_MACRO\n#undef %s__SKEL_BOOL_MACRO\n"
		"#define bool _Bool\n#endif\n", g->name, g->name);
	fprintf(g->f, "#endif\n\n");
	return 0;
}

/* ------------------------------------------------------------------ */
/* struct NAME                                                         */

static int emit_datasec(struct gen *g, const struct bpfbox_map *m,
			const struct btf_type *sec)
{
	const struct bb_btf *btf = g->obj->btf;
	const struct btf_var_secinfo *vi = bb_btf_secinfos(sec);
	char ident[MAX_IDENT], var[MAX_IDENT];
	uint32_t j, off = 0, aligned, type;
	const struct btf_type *v;
	int align, pads = 0;

	map_ident(ident, sizeof(ident), m);
	fprintf(g->f, "\tstruct %s__%s {\n", g->name, ident);
	for (j = 0; j < bb_btf_vlen(sec); j++, vi++) {
		v = exposed_var(g, vi);
		if (!v)
			continue;
		type = strip_mods(btf, v->type);
		align = bb_btf_align(btf, type);
		if (align <= 0)
			align = 1;
		/* pad where the compiler's own alignment would not get there */
		aligned = (off + align - 1) / align * align;
		if (vi->offset > off && aligned != vi->offset)
			fprintf(g->f, "\t\tchar __pad%d[%u];\n", pads++,
				vi->offset - off);
		sanitize(var, sizeof(var), bb_btf_type_name(btf, v));
		fputs("\t\t", g->f);
		bb_btf_dump_type_decl(g->d, type, var, 2);
		fputs(";\n", g->f);
		off = vi->offset + vi->size;
	}
	fprintf(g->f, "\t} *%s;\n", ident);
	return g->d->err;
}

static int emit_struct(struct gen *g)
{
	const struct bpfbox_object *obj = g->obj;
	char ident[MAX_IDENT];
	const struct btf_type *sec;
	size_t i;
	int err;

	fprintf(g->f, "struct %s {\n\tstruct bpfbox_object *obj;\n", g->name);
	fputs("\tstruct {\n", g->f);
	for (i = 0; i < obj->nmaps; i++) {
		map_ident(ident, sizeof(ident), &obj->maps[i]);
		fprintf(g->f, "\t\tstruct bpfbox_map *%s;\n", ident);
	}
	fputs("\t} maps;\n\tstruct {\n", g->f);
	for (i = 0; i < obj->nprogs; i++) {
		if (!is_main_prog(&obj->progs[i]))
			continue;
		sanitize(ident, sizeof(ident), obj->progs[i].name);
		fprintf(g->f, "\t\tstruct bpfbox_prog *%s;\n", ident);
	}
	fputs("\t} progs;\n\tstruct {\n", g->f);
	for (i = 0; i < obj->nprogs; i++) {
		if (!is_main_prog(&obj->progs[i]))
			continue;
		sanitize(ident, sizeof(ident), obj->progs[i].name);
		fprintf(g->f, "\t\tstruct bpfbox_link *%s;\n", ident);
	}
	fputs("\t} links;\n", g->f);
	for (i = 0; i < obj->nmaps; i++) {
		sec = map_datasec(g, &obj->maps[i]);
		if (!sec)
			continue;
		err = emit_datasec(g, &obj->maps[i], sec);
		if (err)
			return err;
	}
	fputs("};\n\n", g->f);
	return 0;
}

/* the layout promise: each member where the BPF side put it */
static void emit_asserts(struct gen *g)
{
	const struct btf_var_secinfo *vi;
	char ident[MAX_IDENT], var[MAX_IDENT];
	const struct btf_type *sec, *v;
	size_t i;
	uint32_t j;

	for (i = 0; i < g->obj->nmaps; i++) {
		sec = map_datasec(g, &g->obj->maps[i]);
		if (!sec)
			continue;
		map_ident(ident, sizeof(ident), &g->obj->maps[i]);
		vi = bb_btf_secinfos(sec);
		for (j = 0; j < bb_btf_vlen(sec); j++, vi++) {
			v = exposed_var(g, vi);
			if (!v)
				continue;
			sanitize(var, sizeof(var), bb_btf_type_name(g->obj->btf, v));
			fprintf(g->f, "_Static_assert(offsetof(struct %s__%s, %s) == %u, \"%s: %s is not at offset %u as in the BPF object\");\n",
				g->name, ident, var, vi->offset, ident, var,
				vi->offset);
		}
	}
	fputc('\n', g->f);
}

/* the object, every byte as \xNN (two digits each: nothing merges) */
static void emit_bytes(struct gen *g, const uint8_t *buf, size_t size)
{
	size_t i;

	fprintf(g->f, "static const char %s__bytes[] =", g->name);
	for (i = 0; i < size; i++) {
		if (i % 16 == 0)
			fputs(i ? "\"\n\t\"" : "\n\t\"", g->f);
		fprintf(g->f, "\\x%02x", buf[i]);
	}
	fputs(size ? "\";\n" : "\n\t\"\";\n", g->f);
	fprintf(g->f, "_Static_assert(sizeof(%s__bytes) == %zu + 1, \"%s: embedded object size\");\n\n",
		g->name, size, g->name);
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */

static void emit_destroy(struct gen *g)
{
	fprintf(g->f,
		"static inline void %1$s__destroy(struct %1$s *s)\n"
		"{\n"
		"\tif (!s)\n"
		"\t\treturn;\n"
		"\tbpfbox_object_close(s->obj);\n"
		"\tfree(s);\n"
		"}\n\n", g->name);
}

static void emit_find(struct gen *g)
{
	const struct bpfbox_object *obj = g->obj;
	char ident[MAX_IDENT];
	size_t i;

	if (obj->nmaps || obj->nprogs)
		fputs("\t/* cannot fail: the names come from these very bytes */\n"
		      "\terr = -ENOENT;\n", g->f);
	for (i = 0; i < obj->nmaps; i++) {
		map_ident(ident, sizeof(ident), &obj->maps[i]);
		fprintf(g->f, "\ts->maps.%s = bpfbox_object_find_map(s->obj, ",
			ident);
		put_cstr(g->f, map_lookup_name(&obj->maps[i]));
		fprintf(g->f, ");\n\tif (!s->maps.%s)\n\t\tgoto fail;\n", ident);
	}
	for (i = 0; i < obj->nprogs; i++) {
		if (!is_main_prog(&obj->progs[i]))
			continue;
		sanitize(ident, sizeof(ident), obj->progs[i].name);
		fprintf(g->f, "\ts->progs.%s = bpfbox_object_find_prog(s->obj, ",
			ident);
		put_cstr(g->f, obj->progs[i].name);
		fprintf(g->f, ");\n\tif (!s->progs.%s)\n\t\tgoto fail;\n", ident);
	}
}

/*
 * Before load the data pointers are the initial values (.bss has none:
 * NULL); after load, the mmapped maps.
 */
static void emit_data_ptrs(struct gen *g, bool loaded)
{
	char ident[MAX_IDENT];
	size_t i;

	for (i = 0; i < g->obj->nmaps; i++) {
		const struct bpfbox_map *m = &g->obj->maps[i];

		if (!map_datasec(g, m) || (!loaded && m->kind == BB_MAP_BSS))
			continue;
		map_ident(ident, sizeof(ident), m);
		if (loaded)
			fprintf(g->f,
				"\ts->%2$s = (struct %1$s__%2$s *)bpfbox_map_mmap(s->maps.%2$s);\n"
				"\tif (!s->%2$s)\n"
				"\t\treturn -errno;\n", g->name, ident);
		else
			fprintf(g->f,
				"\ts->%2$s = (struct %1$s__%2$s *)bpfbox_map_initial_value(s->maps.%2$s, NULL);\n",
				g->name, ident);
	}
}

static void emit_open(struct gen *g)
{
	fprintf(g->f,
		"/* NULL with errno and bpfbox_errmsg() set on failure */\n"
		"static inline struct %1$s *%1$s__open(void)\n"
		"{\n"
		"\tstruct bpfbox_open_opts opts = { .sz = sizeof(opts), .name = \"%1$s\" };\n"
		"\tstruct %1$s *s;\n"
		"\tint err;\n"
		"\n"
		"\ts = (struct %1$s *)calloc(1, sizeof(*s));\n"
		"\tif (!s) {\n"
		"\t\terrno = ENOMEM;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\terr = bpfbox_object_open_mem(%1$s__bytes, sizeof(%1$s__bytes) - 1,\n"
		"\t\t\t\t     &opts, &s->obj);\n"
		"\tif (err)\n"
		"\t\tgoto fail;\n", g->name);
	emit_find(g);
	emit_data_ptrs(g, false);
	fprintf(g->f,
		"\treturn s;\n"
		"fail:\n"
		"\t%1$s__destroy(s);\n"
		"\terrno = -err;\n"
		"\treturn NULL;\n"
		"}\n\n", g->name);
}

static void emit_load(struct gen *g)
{
	fprintf(g->f,
		"/* 0 or a negative errno with bpfbox_errmsg() set */\n"
		"static inline int %1$s__load(struct %1$s *s)\n"
		"{\n"
		"\tint err;\n"
		"\n"
		"\terr = bpfbox_object_load(s->obj, NULL);\n"
		"\tif (err)\n"
		"\t\treturn err;\n", g->name);
	emit_data_ptrs(g, true);
	fprintf(g->f,
		"\treturn 0;\n"
		"}\n\n"
		"static inline struct %1$s *%1$s__open_and_load(void)\n"
		"{\n"
		"\tstruct %1$s *s = %1$s__open();\n"
		"\tint err;\n"
		"\n"
		"\tif (!s)\n"
		"\t\treturn NULL;\n"
		"\terr = %1$s__load(s);\n"
		"\tif (err) {\n"
		"\t\t%1$s__destroy(s);\n"
		"\t\terrno = -err;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\treturn s;\n"
		"}\n\n", g->name);
}

/*
 * attach: every program whose SEC() names a target; links[] shows which
 * (NULL for the others). The links belong to the object: detach or
 * destroy ends them.
 */
static void emit_attach(struct gen *g)
{
	char ident[MAX_IDENT];
	size_t i;

	fprintf(g->f,
		"/* 0 or a negative errno with bpfbox_errmsg() set */\n"
		"static inline int %1$s__attach(struct %1$s *s)\n"
		"{\n"
		"\tint err = bpfbox_object_attach(s->obj);\n"
		"\n"
		"\tif (err)\n"
		"\t\treturn err;\n", g->name);
	for (i = 0; i < g->obj->nprogs; i++) {
		if (!is_main_prog(&g->obj->progs[i]))
			continue;
		sanitize(ident, sizeof(ident), g->obj->progs[i].name);
		fprintf(g->f, "\ts->links.%1$s = bpfbox_prog_link(s->progs.%1$s);\n",
			ident);
	}
	fprintf(g->f,
		"\treturn 0;\n"
		"}\n\n"
		"static inline void %1$s__detach(struct %1$s *s)\n"
		"{\n"
		"\tbpfbox_object_detach(s->obj);\n"
		"\tmemset(&s->links, 0, sizeof(s->links));\n"
		"}\n\n", g->name);
}

static void emit_head(struct gen *g)
{
	fprintf(g->f,
		"/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */\n"
		"/* THIS FILE IS AUTOGENERATED BY bpfbox gen skeleton! */\n"
		"#ifndef __%1$s_SKEL_H__\n"
		"#define __%1$s_SKEL_H__\n"
		"\n"
		"#include <errno.h>\n"
		"#include <stddef.h>\n"
		"#include <stdlib.h>\n"
		"#include <string.h>\n"
		"#include <bpfbox.h>\n"
		"\n", g->name);
}

int bb_gen_skeleton(FILE *out, const char *name, const uint8_t *obj_bytes,
		    size_t size)
{
	struct bpfbox_open_opts opts = { .sz = sizeof(opts) };
	char ident[MAX_IDENT];
	struct gen g = { .f = out, .name = ident };
	int err;

	if (!*name)
		return bb_err(EINVAL, "gen skeleton: empty name");
	sanitize(ident, sizeof(ident), name);
	opts.name = ident;
	err = bpfbox_object_open_mem(obj_bytes, size, &opts, &g.obj);
	if (err)
		return err;
	if (g.obj->btf) {
		err = bb_btf_dump_new(g.obj->btf, out, &g.d);
		if (err)
			goto out;
	}
	emit_head(&g);
	if (g.d) {
		err = emit_types(&g);
		if (err)
			goto out;
	}
	err = emit_struct(&g);
	if (err)
		goto out;
	emit_asserts(&g);
	emit_bytes(&g, obj_bytes, size);
	emit_destroy(&g);
	emit_open(&g);
	emit_load(&g);
	emit_attach(&g);
	fprintf(out, "#endif /* __%s_SKEL_H__ */\n", ident);
	if (ferror(out))
		err = bb_err(EIO, "gen skeleton: write error");
out:
	bb_btf_dump_free(g.d);
	bpfbox_object_close(g.obj);
	return err;
}
