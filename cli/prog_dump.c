// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox prog dump xlated: the verified instructions of a loaded program,
 * disassembled as bpftool's xlated_dumper.c prints them, with function
 * signatures and source lines from the program's BTF.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "disasm.h"
#include "cli.h"
#include "prog.h"

/* ------------------------------------------------------------------ */
/* kallsyms, to name call targets in xlated code                       */

struct ksym {
	unsigned long long addr;
	size_t idx;		/* file order: the first of aliases wins */
	char *name;
};

struct kallsyms {
	struct ksym *v;
	size_t n;
	unsigned long long call_base;
	bool loaded;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void kallsyms_free(struct kallsyms *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		free(ks->v[i].name);
	free(ks->v);
	memset(ks, 0, sizeof(*ks));
}

static int kallsyms_push(struct kallsyms *ks, size_t *cap,
			 unsigned long long addr, const char *name)
{
	struct ksym *v;

	if (ks->n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		v = realloc(ks->v, *cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ks->v = v;
	}
	ks->v[ks->n].name = strdup(name);
	if (!ks->v[ks->n].name)
		return -ENOMEM;
	ks->v[ks->n].addr = addr;
	ks->v[ks->n].idx = ks->n;
	ks->n++;
	return 0;
}

/* Without kallsyms (or without the addresses) calls show as numbers. */
static void kallsyms_load(struct kallsyms *ks)
{
	unsigned long long addr;
	char line[512], name[256];
	size_t cap = 0;
	FILE *f;

	ks->loaded = true;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %*c %255s", &addr, name) != 2)
			break;
		if (!addr)
			continue;
		if (!strcmp(name, "__bpf_call_base"))
			ks->call_base = addr;
		if (kallsyms_push(ks, &cap, addr, name)) {
			kallsyms_free(ks);
			ks->loaded = true;
			break;
		}
	}
	fclose(f);
	if (ks->n)
		qsort(ks->v, ks->n, sizeof(*ks->v), ksym_cmp);
}

static const char *kallsyms_find(const struct kallsyms *ks,
				 unsigned long long addr)
{
	size_t lo = 0, hi = ks->n, mid;

	/* lower bound: the first symbol at addr, in file order */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ks->v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ks->n && ks->v[lo].addr == addr ? ks->v[lo].name : NULL;
}

/* ------------------------------------------------------------------ */
/* dump xlated                                                         */

struct xdump {
	struct bpf_prog_info info;
	struct bpf_insn *insns;
	size_t ninsns;
	uint64_t *ksyms;		/* jited address of each subprogram */
	uint32_t nksyms;
	struct bpf_func_info *finfo;
	uint32_t nfinfo;
	struct bpf_line_info *linfo;
	uint32_t nlinfo;
	struct bb_btf *btf;
	struct kallsyms ks;
	char scratch[320];
	bool opcodes, linum;
	const char *file;
};

static void xdump_free(struct xdump *d)
{
	free(d->insns);
	free(d->ksyms);
	free(d->finfo);
	free(d->linfo);
	bb_btf_free(d->btf);
	kallsyms_free(&d->ks);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Two rounds, as bpftool: the counts first, then the arrays. */
static int xdump_fetch(int fd, struct xdump *d)
{
	struct bpf_prog_info cnt, info;
	uint32_t len = sizeof(info);
	int err;

	err = cli_prog_info(fd, &cnt);
	if (err)
		return cli_fail_err(err, "cannot get program info: %s",
				    strerror(-err));
	if (!cnt.xlated_prog_len)
		return cli_fail_err(-EPERM, "program %u: the kernel returned "
				    "no instructions (kernel.kptr_restrict, "
				    "or not root?)", cnt.id);
	d->insns = calloc(1, cnt.xlated_prog_len);
	d->ksyms = calloc(cnt.nr_jited_ksyms + 1, sizeof(*d->ksyms));
	d->finfo = calloc(cnt.nr_func_info + 1, sizeof(*d->finfo));
	d->linfo = calloc(cnt.nr_line_info + 1, sizeof(*d->linfo));
	if (!d->insns || !d->ksyms || !d->finfo || !d->linfo)
		return cli_fail_err(-ENOMEM, "out of memory");

	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = cnt.xlated_prog_len;
	info.xlated_prog_insns = (uint64_t)(uintptr_t)d->insns;
	info.nr_jited_ksyms = cnt.nr_jited_ksyms;
	info.jited_ksyms = (uint64_t)(uintptr_t)d->ksyms;
	info.nr_func_info = cnt.nr_func_info;
	info.func_info_rec_size = sizeof(*d->finfo);
	info.func_info = (uint64_t)(uintptr_t)d->finfo;
	info.nr_line_info = cnt.nr_line_info;
	info.line_info_rec_size = sizeof(*d->linfo);
	info.line_info = (uint64_t)(uintptr_t)d->linfo;
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err)
		return cli_fail_err(err, "cannot get program %u "
				    "instructions: %s", cnt.id, strerror(-err));

	d->info = info;
	d->ninsns = min_u32(info.xlated_prog_len, cnt.xlated_prog_len) /
		    sizeof(struct bpf_insn);
	d->nksyms = min_u32(info.nr_jited_ksyms, cnt.nr_jited_ksyms);
	d->nfinfo = min_u32(info.nr_func_info, cnt.nr_func_info);
	d->nlinfo = min_u32(info.nr_line_info, cnt.nr_line_info);
	/* without its BTF the dump just lacks prototypes and source */
	if (info.btf_id && cli_btf_get(info.btf_id, &d->btf))
		d->btf = NULL;
	if (!d->btf)
		d->nfinfo = d->nlinfo = 0;
	return 0;
}

static void xdump_need_kallsyms(struct xdump *d)
{
	if (!d->ks.loaded)
		kallsyms_load(&d->ks);
}

/* helper and kfunc calls: imm is the target's offset from __bpf_call_base */
static const char *xdump_addr_name(void *priv, unsigned long long imm)
{
	struct xdump *d = priv;
	unsigned long long addr;
	const char *name;

	xdump_need_kallsyms(d);
	addr = d->ks.call_base + imm;
	name = kallsyms_find(&d->ks, addr);
	if (name)
		return name;
	snprintf(d->scratch, sizeof(d->scratch), "%#llx", addr);
	return d->scratch;
}

/*
 * bpf-to-bpf calls in xlated code: off is the pc-relative offset, imm the
 * index of the callee in jited_ksyms (bpftool's print_call_pcrel()).
 */
static void xdump_pcrel(struct xdump *d, const struct bpf_insn *in,
			char *buf, size_t len)
{
	unsigned long long addr;
	const char *name;

	if (!d->nksyms) {
		snprintf(buf, len, "(%02x) call pc%+d", in->code, in->off);
		return;
	}
	xdump_need_kallsyms(d);
	if ((uint32_t)in->imm < d->nksyms)
		addr = d->ksyms[in->imm];
	else
		addr = d->ks.call_base + (unsigned long long)(long long)in->imm;
	name = kallsyms_find(&d->ks, addr);
	if (name)
		snprintf(buf, len, "(%02x) call pc%+d#%s", in->code, in->off,
			 name);
	else
		snprintf(buf, len, "(%02x) call pc%+d#0x%llx", in->code,
			 in->off, addr);
}

static int xdump_insn(struct xdump *d, size_t i, char *buf, size_t len)
{
	const struct bb_disasm_ctx ctx = {
		.addr_name = xdump_addr_name,
		.priv = d,
	};
	const struct bpf_insn *in = &d->insns[i];
	int slots;

	slots = bb_disasm_insn(d->insns, d->ninsns, i, &ctx, buf, len);
	if (slots > 0 && in->code == (BPF_JMP | BPF_CALL) &&
	    in->src_reg == BPF_PSEUDO_CALL)
		xdump_pcrel(d, in, buf, len);
	if (slots < 0) {
		/* a ld_imm64 cut in half: say so and go on, as bpftool */
		snprintf(buf, len, "(%02x) BUG_truncated_ld_imm64", in->code);
		slots = 1;
	}
	return slots;
}

/* ---- function prototypes from BTF (bpftool's btf_dumper_type_only) ---- */

#define SIG_MAX_DEPTH	32

static int sig_type(const struct bb_btf *btf, uint32_t id, char *s, int pos,
		    int size, int depth);

#define SIG_ARG(...)							\
	do {								\
		pos += snprintf(s + pos, size - pos, __VA_ARGS__);	\
		if (pos >= size)					\
			return -1;					\
	} while (0)
#define SIG_TYPE(id)							\
	do {								\
		pos = sig_type(btf, id, s, pos, size, depth + 1);	\
		if (pos < 0)						\
			return -1;					\
	} while (0)

static int sig_func(const struct bb_btf *btf, const struct btf_type *proto,
		    const struct btf_type *func, char *s, int pos, int size,
		    int depth)
{
	const struct btf_param *p;
	uint32_t i, vlen;

	if (!proto || bb_btf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return -1;
	SIG_TYPE(proto->type);
	if (func)
		SIG_ARG("%s(", bb_btf_type_name(btf, func));
	else
		SIG_ARG("(");
	vlen = bb_btf_vlen(proto);
	p = bb_btf_params(proto);
	for (i = 0; i < vlen; i++) {
		if (i)
			SIG_ARG(", ");
		if (!p[i].type) {
			SIG_ARG("...");
			continue;
		}
		SIG_TYPE(p[i].type);
		if (p[i].name_off && bb_btf_str(btf, p[i].name_off))
			SIG_ARG("%s", bb_btf_str(btf, p[i].name_off));
		else if (pos && s[pos - 1] == ' ')
			s[--pos] = '\0';	/* no name: no space either */
	}
	SIG_ARG(")");
	return pos;
}

static int sig_type(const struct bb_btf *btf, uint32_t id, char *s, int pos,
		    int size, int depth)
{
	const struct btf_type *t;
	const char *name;

	if (depth > SIG_MAX_DEPTH)
		return -1;
	if (!id) {
		SIG_ARG("void ");
		return pos;
	}
	t = bb_btf_type(btf, id);
	if (!t)
		return -1;
	name = bb_btf_type_name(btf, t);
	switch (bb_btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		SIG_ARG("%s ", name);
		break;
	case BTF_KIND_STRUCT:
		SIG_ARG("struct %s ", name);
		break;
	case BTF_KIND_UNION:
		SIG_ARG("union %s ", name);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		SIG_ARG("enum %s ", name);
		break;
	case BTF_KIND_ARRAY:
		SIG_TYPE(bb_btf_array(t)->type);
		SIG_ARG("[%d]", (int)bb_btf_array(t)->nelems);
		break;
	case BTF_KIND_PTR:
		SIG_TYPE(t->type);
		SIG_ARG("* ");
		break;
	case BTF_KIND_FWD:
		SIG_ARG("%s %s ", bb_btf_kflag(t) ? "union" : "struct", name);
		break;
	case BTF_KIND_VOLATILE:
		SIG_ARG("volatile ");
		SIG_TYPE(t->type);
		break;
	case BTF_KIND_CONST:
		SIG_ARG("const ");
		SIG_TYPE(t->type);
		break;
	case BTF_KIND_RESTRICT:
		SIG_ARG("restrict ");
		SIG_TYPE(t->type);
		break;
	case BTF_KIND_FUNC_PROTO:
		pos = sig_func(btf, t, NULL, s, pos, size, depth);
		break;
	case BTF_KIND_FUNC:
		pos = sig_func(btf, bb_btf_type(btf, t->type), t, s, pos,
			       size, depth);
		break;
	case BTF_KIND_VAR:
		if (bb_btf_var(t)->linkage == BTF_VAR_STATIC)
			SIG_ARG("static ");
		SIG_TYPE(t->type);
		SIG_ARG(" %s", name);
		break;
	case BTF_KIND_DATASEC:
		SIG_ARG("section (\"%s\") ", name);
		break;
	default:
		return -1;
	}
	return pos;
}

static void func_sig(const struct bb_btf *btf, uint32_t id, char *buf,
		     int size)
{
	buf[0] = '\0';
	if (sig_type(btf, id, buf, 0, size, 0) < 0)
		buf[0] = '\0';
}

/* libbpf's bpf_prog_linfo__lfind(): the last record at insn i, from skip */
static const struct bpf_line_info *linfo_find(const struct xdump *d,
					      uint32_t i, uint32_t skip)
{
	const struct bpf_line_info *l;
	uint32_t k;

	if (skip >= d->nlinfo || i < d->linfo[skip].insn_off)
		return NULL;
	for (k = skip; k + 1 < d->nlinfo && d->linfo[k + 1].insn_off <= i; k++)
		;
	l = &d->linfo[k];
	return l->insn_off == i ? l : NULL;
}

static const char *ltrim(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * Walk the instructions, with the prototype and source line that start
 * at each; the printer is called once per instruction (ld_imm64: once).
 */
struct xline {
	size_t pc;
	const char *proto;		/* NULL when none starts here */
	const struct bpf_line_info *line;
	const char *disasm;
	int slots;
};

typedef void (*xline_fn)(struct xdump *d, const struct xline *l, void *arg);

static void xdump_walk(struct xdump *d, xline_fn fn, void *arg)
{
	char sig[1024], text[512];
	uint32_t fi = 0, skip = 0;
	struct xline l;
	size_t i = 0;

	while (i < d->ninsns) {
		memset(&l, 0, sizeof(l));
		l.pc = i;
		if (fi < d->nfinfo && d->finfo[fi].insn_off == i) {
			func_sig(d->btf, d->finfo[fi].type_id, sig,
				 sizeof(sig));
			if (sig[0])
				l.proto = sig;
			fi++;
		}
		l.line = linfo_find(d, i, skip);
		if (l.line)
			skip++;
		l.slots = xdump_insn(d, i, text, sizeof(text));
		l.disasm = text;
		fn(d, &l, arg);
		i += l.slots;
	}
}

static void print_hex(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}

static void xline_plain(struct xdump *d, const struct xline *l, void *arg)
{
	const char *src, *file;

	(void)arg;
	if (l->proto) {
		cli_fputs_safe(stdout, l->proto);
		fputs(":\n", stdout);
	}
	src = l->line ? bb_btf_str(d->btf, l->line->line_off) : NULL;
	if (src) {
		fputs("; ", stdout);
		cli_fputs_safe(stdout, ltrim(src));
		if (d->linum) {
			file = bb_btf_str(d->btf, l->line->file_name_off);
			fputs(" [file:", stdout);
			cli_fputs_safe(stdout, file ? file : "");
			printf(" line_num:%u line_col:%u]",
			       BPF_LINE_INFO_LINE_NUM(l->line->line_col),
			       BPF_LINE_INFO_LINE_COL(l->line->line_col));
		}
		fputc('\n', stdout);
	}
	/* bpftool's "% 4d": a space, then at least three digits */
	printf(" %3zu: ", l->pc);
	cli_fputs_safe(stdout, l->disasm);
	fputc('\n', stdout);
	if (d->opcodes) {
		printf("       ");
		print_hex(&d->insns[l->pc], sizeof(struct bpf_insn));
		if (l->slots == 2) {
			printf(" ");
			print_hex(&d->insns[l->pc + 1],
				  sizeof(struct bpf_insn));
		}
		printf("\n");
	}
}

static void hex_array_json(struct jw *jw, const void *p, size_t n)
{
	const uint8_t *b = p;
	char buf[8];
	size_t i;

	jw_start_array(jw);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "0x%02x", b[i]);
		jw_string(jw, buf);
	}
	jw_end_array(jw);
}

static void opcodes_json(struct jw *jw, const struct bpf_insn *in, int slots)
{
	char buf[8];

	jw_name(jw, "opcodes");
	jw_start_object(jw);
	snprintf(buf, sizeof(buf), "0x%02x", in->code);
	jw_kv_string(jw, "code", buf);
	snprintf(buf, sizeof(buf), "0x%x", in->src_reg);
	jw_kv_string(jw, "src_reg", buf);
	snprintf(buf, sizeof(buf), "0x%x", in->dst_reg);
	jw_kv_string(jw, "dst_reg", buf);
	jw_name(jw, "off");
	hex_array_json(jw, &in->off, sizeof(in->off));
	/* ld_imm64: the imm of the first half and all of the second */
	jw_name(jw, "imm");
	hex_array_json(jw, &in->imm, slots == 2 ? 4 + sizeof(*in) : 4);
	jw_end_object(jw);
}

static void xline_json(struct xdump *d, const struct xline *l, void *arg)
{
	struct jw *jw = arg;
	const char *src, *file;
	uint32_t num, col;

	jw_start_object(jw);
	jw_kv_uint(jw, "pc", l->pc);
	if (l->proto)
		jw_kv_string(jw, "proto", l->proto);
	if (l->line) {
		src = bb_btf_str(d->btf, l->line->line_off);
		if (src)
			jw_kv_string(jw, "src", ltrim(src));
		if (d->linum) {
			file = bb_btf_str(d->btf, l->line->file_name_off);
			num = BPF_LINE_INFO_LINE_NUM(l->line->line_col);
			col = BPF_LINE_INFO_LINE_COL(l->line->line_col);
			if (file)
				jw_kv_string(jw, "file", file);
			if (num)
				jw_kv_int(jw, "line_num", num);
			if (col)
				jw_kv_int(jw, "line_col", col);
		}
	}
	jw_kv_string(jw, "disasm", l->disasm);
	if (d->opcodes)
		opcodes_json(jw, &d->insns[l->pc], l->slots);
	jw_end_object(jw);
}

/* "file FILE": the raw instructions, as bpftool writes them */
static int xdump_to_file(struct xdump *d)
{
	size_t len = d->ninsns * sizeof(struct bpf_insn);
	FILE *f = fopen(d->file, "w");
	bool ok;

	if (!f)
		return cli_fail_err(-errno, "cannot open %s: %s", d->file,
				    strerror(errno));
	ok = fwrite(d->insns, 1, len, f) == len;
	if (fclose(f) || !ok)
		return cli_fail_err(-EIO, "cannot write %s", d->file);
	return 0;
}

struct dump_opts {
	bool opcodes, linum;
	const char *file;
};

static int dump_one(struct jw *jw, int fd, const struct dump_opts *opts,
		    bool many, bool last)
{
	struct xdump d = { 0 };
	int err;

	d.opcodes = opts->opcodes;
	d.linum = opts->linum;
	d.file = opts->file;
	err = xdump_fetch(fd, &d);
	if (err)
		goto out;
	if (d.file) {
		err = xdump_to_file(&d);
		goto out;
	}
	if (jw && many) {
		jw_start_object(jw);
		prog_header_json(jw, &d.info, fd);
		jw_name(jw, "insns");
	} else if (many) {
		/* bpftool prints the show header line above each dump */
		prog_header_plain(&d.info, fd);
	}
	if (jw) {
		jw_start_array(jw);
		xdump_walk(&d, xline_json, jw);
		jw_end_array(jw);
	} else {
		xdump_walk(&d, xline_plain, NULL);
	}
	if (jw && many)
		jw_end_object(jw);
	else if (many && !last)
		printf("\n");
out:
	xdump_free(&d);
	return err;
}

static int parse_dump_opts(int argc, char **argv, struct dump_opts *opts)
{
	for (; argc; argc--, argv++) {
		if (cli_is_prefix(argv[0], "opcodes")) {
			opts->opcodes = true;
		} else if (cli_is_prefix(argv[0], "linum")) {
			opts->linum = true;
		} else if (cli_is_prefix(argv[0], "file") && argc > 1) {
			opts->file = argv[1];
			argc--, argv++;
		} else {
			return prog_usage_err("expected 'opcodes', 'linum' or "
					 "'file FILE' after PROG", argv[0]);
		}
	}
	return 0;
}

int prog_dump(struct cli *cli, int argc, char **argv)
{
	struct dump_opts opts = { 0 };
	struct jw *jw = NULL;
	int *fds = NULL, n, i, err = 0;

	if (prog_wants_help(argc, argv))
		return prog_help(cli, argc, argv);
	if (!argc)
		return prog_usage_err("expected 'xlated' after 'dump'", NULL);
	if (cli_is_prefix(argv[0], "jited"))
		return cli_fail("dump jited is not supported: bpfbox has no "
				"disassembler for native code; use 'dump "
				"xlated'");
	if (!cli_is_prefix(argv[0], "xlated"))
		return prog_usage_err("expected 'xlated' after 'dump'", argv[0]);
	argc--, argv++;
	if (argc > PROG_WORDS &&
	    parse_dump_opts(argc - PROG_WORDS, argv + PROG_WORDS, &opts))
		return CLI_USAGE;
	n = cli_prog_fds(&argc, &argv, &fds);
	if (n < 0)
		return cli_exit_code(n);
	if (opts.file && n > 1) {
		err = cli_fail("%d programs match; 'file' takes one", n);
		goto out;
	}
	if (cli->json && !opts.file) {
		jw = jw_new(stdout, cli->pretty);
		if (!jw) {
			err = cli_fail("out of memory");
			goto out;
		}
	}
	if (jw && n > 1)
		jw_start_array(jw);
	for (i = 0; i < n; i++) {
		if (dump_one(jw, fds[i], &opts, n > 1, i == n - 1))
			err = CLI_FAIL;
	}
	if (jw && n > 1)
		jw_end_array(jw);
	jw_free(jw);
	if (!err && cli->json && opts.file)
		printf("null\n");
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return err;
}

