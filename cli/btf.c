// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox btf: bpftool's btf commands with bpftool's output (show is in
 * btf_show.c).
 *
 *   btf { show | list } [id BTF_ID]
 *   btf dump { id BTF_ID | prog PROG | map MAP [{key|value|kv|all}] |
 *              file FILE } [format { raw | c }]
 *
 * `file` takes raw BTF (/sys/kernel/btf/vmlinux) or an ELF object (its
 * .BTF section); module BTF under /sys/kernel/btf/ is split BTF on top
 * of vmlinux, which is then read as its base.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "kbtf.h"
#include "btf_dump.h"
#include "cli.h"
#include "btf_cmd.h"
#include "elf.h"

/* a usage error inside a helper that returns -errno */
#define USAGE_ERR(...)	(cli_usage(__VA_ARGS__), -CLI_EUSAGE)

#define SYSFS_BTF	"/sys/kernel/btf/"
#define VMLINUX_BTF	SYSFS_BTF "vmlinux"

/* a parsed BTF and the base it is split on (NULL for standalone) */
struct src {
	struct bb_btf *btf, *base;
	uint32_t roots[2];	/* map key / value type ids */
	size_t nroots;
};

static void src_free(struct src *s)
{
	bb_btf_free(s->btf);
	bb_btf_free(s->base);
}

/* ------------------------------------------------------------------ */
/* Help                                                                */

int btf_help(struct cli *cli, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (cli->json) {
		printf("null\n");
		return CLI_OK;
	}
	printf("Usage: bpfbox btf { show | list } [id BTF_ID]\n"
	       "       bpfbox btf dump BTF_SRC [format FORMAT]\n"
	       "       bpfbox btf help\n"
	       "\n"
	       "       BTF_SRC := { id BTF_ID | prog PROG | map MAP [{key | value | kv | all}] | file FILE }\n"
	       "       FORMAT  := { raw | c }\n"
	       "       MAP := { id MAP_ID | pinned FILE | name MAP_NAME }\n"
	       "       PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }\n"
	       "       OPTIONS := { {-j|--json} [{-p|--pretty}] }\n"
	       "\n"
	       "       FILE is raw BTF (/sys/kernel/btf/*) or an ELF object with a .BTF section.\n");
	return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Reading BTF                                                         */

/* the whole file, malloc()ed (sysfs sizes are not to be trusted) */
static int read_file(const char *path, void **data, size_t *size)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *p;
	ssize_t r;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		err = -errno;
		free(buf);
		if (fd >= 0)
			close(fd);
		return err ? err : -ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			p = realloc(buf, cap * 2);
			if (!p) {
				err = -ENOMEM;
				goto fail;
			}
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			err = -errno;
			goto fail;
		}
		if (!r)
			break;
		n += r;
	}
	close(fd);
	*data = buf;
	*size = n;
	return 0;
fail:
	close(fd);
	free(buf);
	return err;
}

static int parse_raw(const char *path, void *data, size_t size,
		     const struct bb_btf *base, struct bb_btf **out)
{
	int err = bb_btf_parse_owned(data, size, base, out);

	if (err)
		return cli_fail_err(err, "file %s: %s", path, bpfbox_errmsg());
	return 0;
}

/* the .BTF section of an ELF object */
static int parse_elf(const char *path, void *data, size_t size,
		     struct bb_btf **out)
{
	struct bb_elf *elf;
	int idx, err;

	err = bb_elf_open(data, size, &elf);
	if (err) {
		free(data);
		return cli_fail_err(err, "file %s: %s", path, bpfbox_errmsg());
	}
	idx = bb_elf_find_sec(elf, ".BTF");
	if (idx < 0 || !elf->secs[idx].data) {
		err = cli_fail_err(-ENOENT, "file %s: no .BTF section (was it compiled with -g?)",
				   path);
	} else {
		err = bb_btf_parse(elf->secs[idx].data, elf->secs[idx].size,
				   NULL, out);
		if (err)
			cli_fail_err(err, "file %s: .BTF: %s", path,
				     bpfbox_errmsg());
	}
	bb_elf_free(elf);
	free(data);
	return err;
}

static int load_vmlinux(struct bb_btf **out)
{
	int err = bb_load_vmlinux_btf(out);

	return err ? cli_fail_err(err, "the base of module BTF: %s",
				  bpfbox_errmsg()) : 0;
}

static bool is_module_file(const char *path)
{
	return !strncmp(path, SYSFS_BTF, strlen(SYSFS_BTF)) &&
	       strcmp(path, VMLINUX_BTF);
}

static int src_file(const char *path, struct src *s)
{
	static const unsigned char elfmag[4] = { 0x7f, 'E', 'L', 'F' };
	size_t size = 0;
	void *data = NULL;
	int err;

	err = read_file(path, &data, &size);
	if (err)
		return cli_fail_err(err, "cannot read BTF from file %s: %s", path,
				    strerror(-err));
	if (size >= 4 && !memcmp(data, elfmag, 4))
		return parse_elf(path, data, size, &s->btf);
	if (is_module_file(path)) {
		err = load_vmlinux(&s->base);
		if (err) {
			free(data);
			return err;
		}
	}
	return parse_raw(path, data, size, s->base, &s->btf);
}

/* BTF object id of the kernel, vmlinux's or a module's on top of it */
static int src_btf_id(uint32_t id, struct src *s)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	uint32_t size, kernel;
	char name[64] = "";
	void *data = NULL;
	int fd, err;

	fd = bpfbox_btf_get_fd_by_id(id);
	if (fd < 0)
		return cli_fail_err(fd, "can't get BTF object by id (%u): %s", id,
				    strerror(-fd));
	memset(&info, 0, sizeof(info));
	info.name = (uint64_t)(uintptr_t)name;
	info.name_len = sizeof(name);
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		goto fail;
	size = info.btf_size;
	kernel = info.kernel_btf;
	data = malloc(size ? size : 1);
	if (!data) {
		err = -ENOMEM;
		goto fail;
	}
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	info.btf = (uint64_t)(uintptr_t)data;
	info.btf_size = size;
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		goto fail;
	close(fd);
	/* the object cannot change, but do not trust it to stay small */
	if (info.btf_size < size)
		size = info.btf_size;
	if (kernel && strcmp(name, "vmlinux")) {
		err = load_vmlinux(&s->base);
		if (err) {
			free(data);
			return err;
		}
	}
	err = bb_btf_parse_owned(data, size, s->base, &s->btf);
	if (err)
		return cli_fail_err(err, "BTF object %u: %s", id, bpfbox_errmsg());
	return 0;
fail:
	close(fd);
	free(data);
	return cli_fail_err(err, "can't get BTF object %u: %s", id, strerror(-err));
}

/* map MAP [{key | value | kv | all}]: its BTF, rooted at key and value */
static int src_map(int *argc, char ***argv, struct src *s)
{
	struct bpf_map_info info;
	int fd, err;

	fd = cli_map_fd(argc, argv);
	if (fd < 0)
		return fd;
	err = cli_map_info(fd, &info);
	close(fd);
	if (err)
		return cli_fail_err(err, "can't get map info: %s", strerror(-err));
	if (!info.btf_id)
		return cli_fail_err(-ENOENT, "map %u has no BTF", info.id);
	s->roots[0] = info.btf_key_type_id;
	s->roots[1] = info.btf_value_type_id;
	s->nroots = 2;
	/* a word that is none of these is left for "format" (bpftool) */
	if (*argc) {
		const char *w = (*argv)[0];

		if (cli_is_prefix(w, "key"))
			s->nroots = 1;
		else if (cli_is_prefix(w, "value"))
			s->roots[0] = s->roots[1], s->nroots = 1;
		else if (cli_is_prefix(w, "all"))
			s->nroots = 0;
		else if (!cli_is_prefix(w, "kv"))
			w = NULL;
		if (w)
			(*argc)--, (*argv)++;
	}
	return src_btf_id(info.btf_id, s);
}

static int src_prog(int *argc, char ***argv, struct src *s)
{
	struct bpf_prog_info info;
	int fd, err;

	fd = cli_prog_fd(argc, argv);
	if (fd < 0)
		return fd;
	err = cli_prog_info(fd, &info);
	close(fd);
	if (err)
		return cli_fail_err(err, "can't get prog info: %s", strerror(-err));
	if (!info.btf_id)
		return cli_fail_err(-ENOENT, "program %u has no BTF", info.id);
	return src_btf_id(info.btf_id, s);
}

static int src_open(int *argc, char ***argv, struct src *s)
{
	const char *what = (*argv)[0];
	uint32_t id;

	if (cli_is_prefix(what, "map")) {
		(*argc)--, (*argv)++;
		return src_map(argc, argv, s);
	}
	if (cli_is_prefix(what, "prog")) {
		(*argc)--, (*argv)++;
		return src_prog(argc, argv, s);
	}
	if (*argc < 2)
		return USAGE_ERR("btf dump %s: missing %s", what,
				 cli_is_prefix(what, "file") ? "FILE" : "BTF_ID");
	if (cli_is_prefix(what, "file")) {
		*argc -= 2, *argv += 2;
		return src_file((*argv)[-1], s);
	}
	if (cli_is_prefix(what, "id")) {
		if (cli_parse_u32((*argv)[1], &id))
			return USAGE_ERR("can't parse BTF ID '%s'", (*argv)[1]);
		*argc -= 2, *argv += 2;
		return src_btf_id(id, s);
	}
	return USAGE_ERR("unrecognized BTF source '%s': expected id, prog, map or file",
			 what);
}

/* ------------------------------------------------------------------ */
/* dump                                                                */

static void json_members(struct jw *jw, const struct bb_btf *btf,
			 const struct btf_type *t)
{
	const struct btf_member *m = bb_btf_members(t);
	uint32_t i, bsz;

	jw_name(jw, "members");
	jw_start_array(jw);
	for (i = 0; i < bb_btf_vlen(t); i++, m++) {
		jw_start_object(jw);
		jw_kv_string(jw, "name", bb_btf_dump_name(btf, m->name_off));
		jw_kv_uint(jw, "type_id", m->type);
		jw_kv_uint(jw, "bits_offset", bb_btf_member_bit_offset(t, m));
		bsz = bb_btf_member_bitfield_size(t, m);
		if (bsz)
			jw_kv_uint(jw, "bitfield_size", bsz);
		jw_end_object(jw);
	}
	jw_end_array(jw);
}

static void json_enum(struct jw *jw, const struct bb_btf *btf,
		      const struct btf_type *t)
{
	bool sign = bb_btf_kflag(t), e64 = bb_btf_kind(t) == BTF_KIND_ENUM64;
	uint64_t v;
	uint32_t i;

	jw_kv_string(jw, "encoding", sign ? "SIGNED" : "UNSIGNED");
	jw_kv_uint(jw, "size", t->size);
	jw_kv_uint(jw, "vlen", bb_btf_vlen(t));
	jw_name(jw, "values");
	jw_start_array(jw);
	for (i = 0; i < bb_btf_vlen(t); i++) {
		jw_start_object(jw);
		if (e64) {
			const struct btf_enum64 *e = &bb_btf_enums64(t)[i];

			v = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
			jw_kv_string(jw, "name", bb_btf_dump_name(btf, e->name_off));
		} else {
			const struct btf_enum *e = &bb_btf_enums(t)[i];

			/*
			 * bpftool widens the s32 in the record, so an unsigned
			 * value >= 2^31 prints as 2^64 - x: kept for byte
			 * equality (the text dump prints it right)
			 */
			v = (uint64_t)(int64_t)e->val;
			jw_kv_string(jw, "name", bb_btf_dump_name(btf, e->name_off));
		}
		if (sign)
			jw_kv_int(jw, "val", (int64_t)v);
		else
			jw_kv_uint(jw, "val", v);
		jw_end_object(jw);
	}
	jw_end_array(jw);
}

static void json_proto(struct jw *jw, const struct bb_btf *btf,
		       const struct btf_type *t)
{
	const struct btf_param *p = bb_btf_params(t);
	uint32_t i;

	jw_kv_uint(jw, "ret_type_id", t->type);
	jw_kv_uint(jw, "vlen", bb_btf_vlen(t));
	jw_name(jw, "params");
	jw_start_array(jw);
	for (i = 0; i < bb_btf_vlen(t); i++, p++) {
		jw_start_object(jw);
		jw_kv_string(jw, "name", bb_btf_dump_name(btf, p->name_off));
		jw_kv_uint(jw, "type_id", p->type);
		jw_end_object(jw);
	}
	jw_end_array(jw);
}

static void json_datasec(struct jw *jw, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = bb_btf_secinfos(t);
	uint32_t i;

	jw_kv_uint(jw, "size", t->size);
	jw_kv_uint(jw, "vlen", bb_btf_vlen(t));
	jw_name(jw, "vars");
	jw_start_array(jw);
	for (i = 0; i < bb_btf_vlen(t); i++, v++) {
		jw_start_object(jw);
		jw_kv_uint(jw, "type_id", v->type);
		jw_kv_uint(jw, "offset", v->offset);
		jw_kv_uint(jw, "size", v->size);
		jw_end_object(jw);
	}
	jw_end_array(jw);
}

/* one type as bpftool's JSON raw dump has it */
static void json_type(struct jw *jw, const struct bb_btf *btf, uint32_t id)
{
	static const struct btf_type void_type;
	const struct btf_type *t = bb_btf_type(btf, id);
	uint32_t kind;

	t = t ? t : &void_type;
	kind = bb_btf_kind(t);
	jw_start_object(jw);
	jw_kv_uint(jw, "id", id);
	jw_kv_string(jw, "kind", bb_btf_kind_name(kind));
	jw_kv_string(jw, "name", bb_btf_dump_name(btf, t->name_off));
	switch (kind) {
	case BTF_KIND_INT:
		jw_kv_uint(jw, "size", t->size);
		jw_kv_uint(jw, "bits_offset", bb_btf_int_offset(t));
		jw_kv_uint(jw, "nr_bits", bb_btf_int_bits(t));
		jw_kv_string(jw, "encoding",
			     bb_btf_int_enc_str(bb_btf_int_encoding(t)));
		break;
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
		jw_kv_uint(jw, "type_id", t->type);
		break;
	case BTF_KIND_ARRAY:
		jw_kv_uint(jw, "type_id", bb_btf_array(t)->type);
		jw_kv_uint(jw, "index_type_id", bb_btf_array(t)->index_type);
		jw_kv_uint(jw, "nr_elems", bb_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		jw_kv_uint(jw, "size", t->size);
		jw_kv_uint(jw, "vlen", bb_btf_vlen(t));
		json_members(jw, btf, t);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		json_enum(jw, btf, t);
		break;
	case BTF_KIND_FWD:
		jw_kv_string(jw, "fwd_kind", bb_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		jw_kv_uint(jw, "type_id", t->type);
		jw_kv_string(jw, "linkage", bb_btf_func_linkage_str(t));
		break;
	case BTF_KIND_FUNC_PROTO:
		json_proto(jw, btf, t);
		break;
	case BTF_KIND_VAR:
		jw_kv_uint(jw, "type_id", t->type);
		jw_kv_string(jw, "linkage",
			     bb_btf_var_linkage_str(bb_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		json_datasec(jw, t);
		break;
	case BTF_KIND_FLOAT:
		jw_kv_uint(jw, "size", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		jw_kv_uint(jw, "type_id", t->type);
		jw_kv_int(jw, "component_idx",
			  ((const struct btf_decl_tag *)(t + 1))->component_idx);
		break;
	}
	jw_end_object(jw);
}

static int dump_json(struct cli *cli, const struct src *s)
{
	uint32_t id, cnt = bb_btf_type_cnt(s->btf);
	struct jw *jw = jw_new(stdout, cli->pretty);
	size_t i;

	if (!jw)
		return cli_fail("out of memory");
	jw_start_object(jw);
	jw_name(jw, "types");
	jw_start_array(jw);
	for (i = 0; i < s->nroots; i++)
		if (s->roots[i] < cnt)
			json_type(jw, s->btf, s->roots[i]);
	for (id = bb_btf_start_id(s->btf); !s->nroots && id < cnt; id++)
		json_type(jw, s->btf, id);
	jw_end_array(jw);
	jw_end_object(jw);
	jw_free(jw);
	return CLI_OK;
}

static int do_dump(struct cli *cli, int argc, char **argv)
{
	struct src s = { 0 };
	bool c = false;
	int err;

	if (argc < 1)
		return cli_usage("btf dump: missing BTF_SRC (id BTF_ID | prog PROG | map MAP | file FILE)");
	if (argc == 1 && cli_is_help(argv[0]))
		return btf_help(cli, 0, NULL);
	err = src_open(&argc, &argv, &s);
	if (err)
		goto out;
	while (argc) {
		if (!cli_is_prefix(argv[0], "format")) {
			err = cli_usage("btf dump: unrecognized argument '%s'", argv[0]);
			goto out_usage;
		}
		if (argc < 2) {
			err = cli_usage("btf dump: format needs raw or c");
			goto out_usage;
		}
		if (!strcmp(argv[1], "c")) {
			c = true;
		} else if (!strcmp(argv[1], "raw")) {
			c = false;
		} else {
			err = cli_usage("btf dump: unknown format '%s': expected raw or c",
					argv[1]);
			goto out_usage;
		}
		argc -= 2, argv += 2;
	}
	if (c && cli->json) {
		err = cli_fail("JSON output for C-syntax dump is not supported");
		goto out_usage;
	}
	if (cli->json)
		err = dump_json(cli, &s);
	else if (c)
		err = bb_btf_dump_c(s.btf, s.roots, s.nroots, stdout);
	else
		err = bb_btf_dump_raw(s.btf, s.roots, s.nroots, stdout);
	if (fflush(stdout))
		err = cli_fail_err(-EIO, "writing the dump: %s", strerror(errno));
	else if (err < 0)
		err = cli_fail_err(err, "dumping BTF: %s", bpfbox_errmsg());
	src_free(&s);
	return err < 0 ? CLI_FAIL : err;
out:
	src_free(&s);
	return cli_exit_code(err);
out_usage:
	src_free(&s);
	return err;
}

int cmd_btf(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd verbs[] = {
		{ "show", btf_show, NULL },
		{ "list", btf_show, NULL },
		{ "dump", do_dump, NULL },
		{ "help", btf_help, NULL },
		{ NULL },
	};

	return cli_select(cli, "btf", verbs, argc, argv);
}
