// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * oracle: the libbpf side of the differential tests. libbpf is the
 * reference loader here and is never linked into bpfbox itself.
 *
 *   oracle load OBJ OUTDIR          libbpf opens and loads OBJ, then dumps
 *                                   every loaded program into OUTDIR
 *   oracle dump-pinned PINDIR OUTDIR
 *                                   dumps every program pinned in PINDIR
 *                                   (one pin per program, named by its
 *                                   full name, as `prog loadall` pins)
 *   oracle loadall OBJ PINDIR       libbpf loads OBJ and pins each loaded
 *                                   program at PINDIR/<full name>: the
 *                                   `bpfbox prog loadall` contract, to
 *                                   check the pipeline libbpf vs libbpf
 *
 * A dump is a directory:
 *   programs        full program names, one a line, sorted
 *   NAME.xlated     one program: what the kernel reports about it
 *                   (type, tag, BTF, func_info, line_info, maps) and its
 *                   verified (xlated) instructions, one line per slot
 *   maps            every map the programs use: attributes, and the
 *                   contents that a loader sets (global data, maps of maps)
 *
 * Everything that differs between two loads of the same object by nature
 * is normalized: map ids become map names, BTF object ids become a
 * summary of the BTF. Helper call immediates are offsets within this
 * kernel and stay raw. Both modes share one dump function, so two dumps
 * of identically loaded programs are byte-identical.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_MAPS 256
#define MAX_PROGS 256
#define MAX_BTFS 64
#define MAX_SLOTS 1024

struct map_ref {
	__u32 id;
	char name[BPF_OBJ_NAME_LEN];
};

struct dump {
	const char *outdir;
	struct map_ref maps[MAX_MAPS];	/* maps seen, to describe at the end */
	int nr_maps;
	char *progs[MAX_PROGS];
	int nr_progs;
	struct {
		__u32 id;
		struct btf *btf;
	} btfs[MAX_BTFS];		/* kernel BTF objects, by id */
	int nr_btfs;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("oracle: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int print_warnings(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static FILE *out_open(struct dump *d, const char *name, const char *sfx)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", d->outdir, name, sfx);
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	return f;
}

static struct btf *kernel_btf(struct dump *d, __u32 id)
{
	struct btf *btf;
	int i;

	for (i = 0; i < d->nr_btfs; i++)
		if (d->btfs[i].id == id)
			return d->btfs[i].btf;
	btf = btf__load_from_kernel_by_id(id);
	if (!btf)
		die("BTF id %u: %s", id, strerror(errno));
	if (d->nr_btfs < MAX_BTFS) {
		d->btfs[d->nr_btfs].id = id;
		d->btfs[d->nr_btfs].btf = btf;
		d->nr_btfs++;
	}
	return btf;
}

static const char *kind_name(__u16 kind)
{
	static const char *const names[] = {
		[BTF_KIND_UNKN] = "void", [BTF_KIND_INT] = "int",
		[BTF_KIND_PTR] = "ptr", [BTF_KIND_ARRAY] = "array",
		[BTF_KIND_STRUCT] = "struct", [BTF_KIND_UNION] = "union",
		[BTF_KIND_ENUM] = "enum", [BTF_KIND_FWD] = "fwd",
		[BTF_KIND_TYPEDEF] = "typedef", [BTF_KIND_VOLATILE] = "volatile",
		[BTF_KIND_CONST] = "const", [BTF_KIND_RESTRICT] = "restrict",
		[BTF_KIND_FUNC] = "func", [BTF_KIND_FUNC_PROTO] = "func_proto",
		[BTF_KIND_VAR] = "var", [BTF_KIND_DATASEC] = "datasec",
		[BTF_KIND_FLOAT] = "float", [BTF_KIND_DECL_TAG] = "decl_tag",
		[BTF_KIND_TYPE_TAG] = "type_tag", [BTF_KIND_ENUM64] = "enum64",
	};

	if (kind < sizeof(names) / sizeof(names[0]) && names[kind])
		return names[kind];
	return "?";
}

/* "struct key_t", "typedef __u32", "array[16] of int char", ... */
static void type_desc(const struct btf *btf, __u32 id, char *buf, size_t len,
		      int depth)
{
	const struct btf_type *t;
	const char *name;
	char inner[256];

	if (id == 0) {
		snprintf(buf, len, "void");
		return;
	}
	t = btf__type_by_id(btf, id);
	if (!t) {
		snprintf(buf, len, "bad type id %u", id);
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	if (name && *name) {
		snprintf(buf, len, "%s %s", kind_name(btf_kind(t)), name);
		return;
	}
	if (depth > 4) {
		snprintf(buf, len, "%s ...", kind_name(btf_kind(t)));
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_ARRAY:
		type_desc(btf, btf_array(t)->type, inner, sizeof(inner),
			  depth + 1);
		snprintf(buf, len, "array[%u] of %s", btf_array(t)->nelems,
			 inner);
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		type_desc(btf, t->type, inner, sizeof(inner), depth + 1);
		snprintf(buf, len, "%s %s", kind_name(btf_kind(t)), inner);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		snprintf(buf, len, "anonymous %s of %u bytes, %u members",
			 kind_name(btf_kind(t)), t->size, btf_vlen(t));
		break;
	default:
		snprintf(buf, len, "anonymous %s", kind_name(btf_kind(t)));
	}
}

static __u64 fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	__u64 h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/* a BTF object as content: size, number of types and a hash of its bytes */
static void btf_summary(struct dump *d, __u32 id, char *buf, size_t len)
{
	const void *raw;
	struct btf *btf;
	__u32 size;

	if (!id) {
		snprintf(buf, len, "none");
		return;
	}
	btf = kernel_btf(d, id);
	raw = btf__raw_data(btf, &size);
	snprintf(buf, len, "%u types, %u bytes, fnv1a %016llx",
		 btf__type_cnt(btf) - 1, size,
		 (unsigned long long)fnv1a(raw, size));
}

static int fdinfo_int(int fd, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			val = atoi(line + klen + 1);
	fclose(f);
	return val;
}

static int map_info(__u32 id, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0)
		die("map id %u: %s", id, strerror(errno));
	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		die("map id %u: get info: %s", id, strerror(errno));
	return fd;
}

static void remember_map(struct dump *d, __u32 id, const char *name)
{
	int i;

	for (i = 0; i < d->nr_maps; i++)
		if (d->maps[i].id == id)
			return;
	if (d->nr_maps == MAX_MAPS)
		die("more than %d maps", MAX_MAPS);
	d->maps[d->nr_maps].id = id;
	snprintf(d->maps[d->nr_maps].name, BPF_OBJ_NAME_LEN, "%s", name);
	d->nr_maps++;
}

/* the name a map id stands for, in instructions and lists */
static const char *map_name(struct dump *d, __u32 id, char *buf, size_t len)
{
	struct bpf_map_info info;
	int fd = map_info(id, &info);

	close(fd);
	remember_map(d, id, info.name);
	snprintf(buf, len, "map:%s", info.name);
	return buf;
}

static void describe_map_attrs(struct dump *d, FILE *f, int fd,
			       const struct bpf_map_info *info)
{
	const char *type = libbpf_bpf_map_type_str(info->type);
	char key[256] = "-", value[256] = "-";

	if (info->btf_id) {
		struct btf *btf = kernel_btf(d, info->btf_id);

		if (info->btf_key_type_id)
			type_desc(btf, info->btf_key_type_id, key,
				  sizeof(key), 0);
		if (info->btf_value_type_id)
			type_desc(btf, info->btf_value_type_id, value,
				  sizeof(value), 0);
	}
	fprintf(f, "type=%s(%u) key_size=%u value_size=%u max_entries=%u "
		"flags=0x%x extra=0x%llx frozen=%d btf=%s btf_key=%s "
		"btf_value=%s",
		type ? type : "?", info->type, info->key_size,
		info->value_size, info->max_entries, info->map_flags,
		(unsigned long long)info->map_extra, fdinfo_int(fd, "frozen"),
		info->btf_id ? "yes" : "no", key, value);
	if (info->btf_vmlinux_value_type_id)
		fprintf(f, " btf_vmlinux_value=%u",
			info->btf_vmlinux_value_type_id);
}

static void hexdump(FILE *f, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(f, "    %04zx:", i);
		fprintf(f, " %02x", p[i]);
		if (i % 16 == 15 || i + 1 == len)
			fputc('\n', f);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* contents a loader sets up: global data, and the slots of maps of maps */
static void describe_map_contents(struct dump *d, FILE *f, int fd,
				  const struct bpf_map_info *info)
{
	unsigned char *key, *next, *val;
	char *slots[MAX_SLOTS];
	int n = 0, i, err;

	switch (info->type) {
	case BPF_MAP_TYPE_ARRAY:
		/* global data: libbpf names these "<obj>.<section>" or
		 * ".<section>", a '.' no user map name can contain */
		if (!strchr(info->name, '.') || info->max_entries != 1)
			return;
		val = calloc(1, info->value_size);
		key = calloc(1, 4);
		if (!val || !key)
			die("out of memory");
		if (bpf_map_lookup_elem(fd, key, val))
			die("map %s: lookup: %s", info->name, strerror(errno));
		fprintf(f, "  value:\n");
		hexdump(f, val, info->value_size);
		free(val);
		free(key);
		return;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		break;
	case BPF_MAP_TYPE_PROG_ARRAY:
		/* emptied when the loader's last map fd closes: a pinned
		 * dump cannot see what the loader put in */
		fprintf(f, "  slots: not compared (cleared when the loader exits)\n");
		return;
	default:
		return;
	}

	key = calloc(1, info->key_size);
	next = calloc(1, info->key_size);
	if (!key || !next)
		die("out of memory");
	/* a hash walks in an order of its own: sort the lines */
	err = bpf_map_get_next_key(fd, NULL, next);
	while (!err && n < MAX_SLOTS) {
		char line[512], name[64];
		__u32 inner_id, i;
		int len;

		memcpy(key, next, info->key_size);
		if (bpf_map_lookup_elem(fd, key, &inner_id) == 0) {
			len = snprintf(line, sizeof(line), "    key");
			for (i = 0; i < info->key_size && len < 400; i++)
				len += snprintf(line + len, sizeof(line) - len,
						" %02x", key[i]);
			snprintf(line + len, sizeof(line) - len, " -> %s",
				 map_name(d, inner_id, name, sizeof(name)));
			slots[n++] = strdup(line);
		}
		err = bpf_map_get_next_key(fd, key, next);
	}
	qsort(slots, n, sizeof(slots[0]), cmp_str);
	fprintf(f, "  slots:\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n", slots[i]);
		free(slots[i]);
	}
	if (!n)
		fprintf(f, "    (none)\n");
	free(key);
	free(next);
}

static int cmp_map_ref(const void *a, const void *b)
{
	const struct map_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void write_maps(struct dump *d)
{
	FILE *f = out_open(d, "maps", "");
	int i;

	/* describing maps of maps may discover more maps: walk until done */
	for (i = 0; i < d->nr_maps; i++) {
		struct bpf_map_info info;
		int fd = map_info(d->maps[i].id, &info);
		FILE *sink = fopen("/dev/null", "w");

		describe_map_contents(d, sink, fd, &info);
		fclose(sink);
		close(fd);
	}
	qsort(d->maps, d->nr_maps, sizeof(d->maps[0]), cmp_map_ref);
	for (i = 0; i < d->nr_maps; i++) {
		struct bpf_map_info info;
		int fd = map_info(d->maps[i].id, &info);

		fprintf(f, "map:%s\n  ", info.name);
		describe_map_attrs(d, f, fd, &info);
		fputc('\n', f);
		describe_map_contents(d, f, fd, &info);
		close(fd);
	}
	fclose(f);
}

static bool is_map_ld(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD ||
		insn->src_reg == BPF_PSEUDO_MAP_VALUE ||
		insn->src_reg == BPF_PSEUDO_MAP_IDX ||
		insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE);
}

/*
 * A 64-bit immediate the verifier itself wrote with a kernel address in it,
 * such as the prog->aux pointer it passes to bpf_timer_set_callback: new at
 * every load. clang never emits such a value (it fits no object file), so
 * the range of kernel pointers is masked; smaller or sign-extendable
 * constants stay raw.
 */
static bool is_kernel_address_ld(const struct bpf_insn *insn)
{
	__u64 v;

	if (insn->code != (BPF_LD | BPF_IMM | BPF_DW) || insn->src_reg != 0)
		return false;
	v = ((__u64)(__u32)insn[1].imm << 32) | (__u32)insn[0].imm;
	return v >= 0xffff800000000000ULL && v < 0xffffffff80000000ULL;
}

static const char *insn_note(const struct bpf_insn *insn)
{
	if (insn->code == (BPF_JMP | BPF_CALL)) {
		switch (insn->src_reg) {
		case 0: return "  ; call helper";
		case BPF_PSEUDO_CALL: return "  ; call subprogram";
		case BPF_PSEUDO_KFUNC_CALL: return "  ; call kfunc";
		}
	}
	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
		switch (insn->src_reg) {
		case BPF_PSEUDO_MAP_FD:
		case BPF_PSEUDO_MAP_IDX: return "  ; map";
		case BPF_PSEUDO_MAP_VALUE:
		case BPF_PSEUDO_MAP_IDX_VALUE: return "  ; map value";
		case BPF_PSEUDO_FUNC: return "  ; function address";
		case BPF_PSEUDO_BTF_ID: return "  ; kernel symbol";
		}
	}
	if (insn->code == (BPF_JMP | BPF_EXIT))
		return "  ; exit";
	return "";
}

static void print_insn(FILE *f, __u32 i, const struct bpf_insn *in,
		       const char *imm, const char *note)
{
	fprintf(f, "%5u: code 0x%02x dst 0x%x src 0x%x off 0x%04x imm %s%s\n",
		i, in->code, in->dst_reg, in->src_reg, (__u16)in->off, imm,
		note);
}

static void dump_insns(struct dump *d, FILE *f, const struct bpf_insn *insns,
		       __u32 cnt)
{
	__u32 i;

	fprintf(f, "xlated: %u instruction slots\n", cnt);
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];
		char imm[64];

		if (i + 1 < cnt && is_kernel_address_ld(in)) {
			print_insn(f, i, in, "kernel-address",
				   "  ; set by the verifier");
			i++;
			print_insn(f, i, &insns[i], "kernel-address", "");
			continue;
		}
		if (is_map_ld(in))
			map_name(d, (__u32)in->imm, imm, sizeof(imm));
		else
			snprintf(imm, sizeof(imm), "0x%08x", (__u32)in->imm);
		print_insn(f, i, in, imm, insn_note(in));
	}
}

static void dump_prog(struct dump *d, const char *full_name, int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), i;
	struct bpf_func_info *finfo = NULL;
	struct bpf_line_info *linfo = NULL;
	struct bpf_insn *insns = NULL;
	__u32 *map_ids = NULL;
	struct btf *btf = NULL;
	const char *type;
	char buf[512];
	FILE *f;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		die("program %s: get info: %s", full_name, strerror(errno));

	/* second call: the arrays, sized by the first */
	{
		struct bpf_prog_info more = {};
		__u32 nr_insns = info.xlated_prog_len / sizeof(struct bpf_insn);

		insns = calloc(nr_insns + 1, sizeof(*insns));
		map_ids = calloc(info.nr_map_ids + 1, sizeof(*map_ids));
		finfo = calloc(info.nr_func_info + 1, sizeof(*finfo));
		linfo = calloc(info.nr_line_info + 1, sizeof(*linfo));
		if (!insns || !map_ids || !finfo || !linfo)
			die("out of memory");
		more.xlated_prog_len = info.xlated_prog_len;
		more.xlated_prog_insns = (__u64)(unsigned long)insns;
		more.nr_map_ids = info.nr_map_ids;
		more.map_ids = (__u64)(unsigned long)map_ids;
		more.nr_func_info = info.nr_func_info;
		more.func_info_rec_size = sizeof(*finfo);
		more.func_info = (__u64)(unsigned long)finfo;
		more.nr_line_info = info.nr_line_info;
		more.line_info_rec_size = sizeof(*linfo);
		more.line_info = (__u64)(unsigned long)linfo;
		len = sizeof(more);
		if (bpf_obj_get_info_by_fd(fd, &more, &len))
			die("program %s: get instructions: %s", full_name,
			    strerror(errno));
		if (more.xlated_prog_len != info.xlated_prog_len ||
		    more.nr_map_ids != info.nr_map_ids)
			die("program %s: changed between two calls", full_name);
	}

	if (d->nr_progs == MAX_PROGS)
		die("more than %d programs", MAX_PROGS);
	d->progs[d->nr_progs++] = strdup(full_name);

	f = out_open(d, full_name, ".xlated");
	type = libbpf_bpf_prog_type_str(info.type);
	fprintf(f, "program: %s\n", full_name);
	fprintf(f, "kernel name: %s\n", info.name);
	fprintf(f, "type: %s (%u)\n", type ? type : "?", info.type);
	fprintf(f, "tag: %02x%02x%02x%02x%02x%02x%02x%02x\n", info.tag[0],
		info.tag[1], info.tag[2], info.tag[3], info.tag[4], info.tag[5],
		info.tag[6], info.tag[7]);
	fprintf(f, "gpl_compatible: %u\n", info.gpl_compatible);
	fprintf(f, "verified_insns: %u\n", info.verified_insns);
	btf_summary(d, info.btf_id, buf, sizeof(buf));
	fprintf(f, "btf: %s\n", buf);
	if (info.attach_btf_id) {
		struct btf *target = kernel_btf(d, info.attach_btf_obj_id ?
						   info.attach_btf_obj_id : 1);

		type_desc(target, info.attach_btf_id, buf, sizeof(buf), 0);
		fprintf(f, "attach_btf: %s\n", buf);
	} else {
		fprintf(f, "attach_btf: none\n");
	}

	if (info.btf_id)
		btf = kernel_btf(d, info.btf_id);
	fprintf(f, "func_info: %u\n", info.nr_func_info);
	for (i = 0; i < info.nr_func_info; i++) {
		if (btf)
			type_desc(btf, finfo[i].type_id, buf, sizeof(buf), 0);
		else
			snprintf(buf, sizeof(buf), "type %u", finfo[i].type_id);
		fprintf(f, "  insn %u: %s\n", finfo[i].insn_off, buf);
	}
	fprintf(f, "line_info: %u\n", info.nr_line_info);
	for (i = 0; i < info.nr_line_info; i++) {
		const char *file = btf ? btf__name_by_offset(btf,
					linfo[i].file_name_off) : NULL;
		const char *base = file ? strrchr(file, '/') : NULL;

		fprintf(f, "  insn %u: %s:%u:%u\n", linfo[i].insn_off,
			base ? base + 1 : file ? file : "?",
			BPF_LINE_INFO_LINE_NUM(linfo[i].line_col),
			BPF_LINE_INFO_LINE_COL(linfo[i].line_col));
	}
	fprintf(f, "maps: %u\n", info.nr_map_ids);
	for (i = 0; i < info.nr_map_ids; i++) {
		struct bpf_map_info minfo;
		int mfd = map_info(map_ids[i], &minfo);

		remember_map(d, map_ids[i], minfo.name);
		fprintf(f, "  map:%s ", minfo.name);
		describe_map_attrs(d, f, mfd, &minfo);
		fputc('\n', f);
		close(mfd);
	}
	dump_insns(d, f, insns, info.xlated_prog_len / sizeof(*insns));
	fclose(f);
	free(insns);
	free(map_ids);
	free(finfo);
	free(linfo);
}

static void finish(struct dump *d)
{
	FILE *f = out_open(d, "programs", "");
	int i;

	qsort(d->progs, d->nr_progs, sizeof(d->progs[0]), cmp_str);
	for (i = 0; i < d->nr_progs; i++)
		fprintf(f, "%s\n", d->progs[i]);
	fclose(f);
	write_maps(d);
}

/* mkdir -p */
static void make_dir(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			die("%s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		die("%s: %s", buf, strerror(errno));
}

static struct bpf_object *load(const char *path)
{
	struct bpf_object *obj;
	char msg[256];
	int err;

	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		libbpf_strerror(errno, msg, sizeof(msg));
		die("open %s: %s", path, msg);
	}
	err = bpf_object__load(obj);
	if (err) {
		libbpf_strerror(err, msg, sizeof(msg));
		die("load %s: %s", path, msg);
	}
	return obj;
}

static int cmd_load(const char *path, const char *outdir)
{
	struct dump d = { .outdir = outdir };
	struct bpf_object *obj = load(path);
	struct bpf_program *prog;

	make_dir(outdir);
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__fd(prog) < 0)
			continue;
		dump_prog(&d, bpf_program__name(prog), bpf_program__fd(prog));
	}
	finish(&d);
	bpf_object__close(obj);
	return 0;
}

static int cmd_loadall(const char *path, const char *pindir)
{
	struct bpf_object *obj = load(path);
	struct bpf_program *prog;
	char pin[4096];

	make_dir(pindir);
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__fd(prog) < 0)
			continue;
		snprintf(pin, sizeof(pin), "%s/%s", pindir,
			 bpf_program__name(prog));
		if (bpf_obj_pin(bpf_program__fd(prog), pin))
			die("pin %s: %s", pin, strerror(errno));
	}
	bpf_object__close(obj);
	return 0;
}

static int cmd_dump_pinned(const char *pindir, const char *outdir)
{
	struct dump d = { .outdir = outdir };
	struct dirent *ent;
	DIR *dir;

	dir = opendir(pindir);
	if (!dir)
		die("%s: %s", pindir, strerror(errno));
	make_dir(outdir);
	while ((ent = readdir(dir))) {
		char path[4096];
		int fd;

		if (ent->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", pindir, ent->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0)
			die("%s: %s", path, strerror(errno));
		if (fdinfo_int(fd, "prog_type") < 0)
			die("%s: not a program", path);
		dump_prog(&d, ent->d_name, fd);
		close(fd);
	}
	closedir(dir);
	finish(&d);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(print_warnings);

	if (argc == 4 && !strcmp(argv[1], "load"))
		return cmd_load(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "dump-pinned"))
		return cmd_dump_pinned(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "loadall"))
		return cmd_loadall(argv[2], argv[3]);
	fprintf(stderr,
		"usage: oracle load OBJ OUTDIR\n"
		"       oracle dump-pinned PINDIR OUTDIR\n"
		"       oracle loadall OBJ PINDIR\n");
	return 2;
}
