// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox run: bpf_printk output, read from the trace_pipe while the
 * object runs (only when one of its programs calls bpf_trace_printk or
 * bpf_trace_vprintk).
 *
 * The trace_pipe is one for the whole system and its lines do not say
 * which program wrote them, so lines cannot be told apart by program.
 * What can be done: keep the bpf_trace_printk lines whose message fits
 * one of the object's own format strings (the strings of its .rodata
 * sections, each %-conversion matching any text), and drop the rest
 * (other objects' printk, trace_marker writes, other events). A program
 * elsewhere printing with the same format still gets through; with
 * --all-printk every bpf_trace_printk line is shown.
 *
 * Reading the pipe consumes its lines: another reader at the same time
 * (bpftool prog tracelog, a second run) sees only the rest.
 *
 * Text: the kernel's line as it is (control characters escaped).
 * JSON: {"printk":MSG,"comm":C,"pid":N,"cpu":N,"time":SECS}.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf_value.h"
#include "cli.h"
#include "elf.h"
#include "object.h"
#include "run.h"

#define PRINTK_TAG ": bpf_trace_printk: "
#define LINE_MAX_LEN 8192

struct run_printk {
	int fd;
	const char **fmts;	/* in the object's ELF image */
	size_t *fmt_len;
	size_t nfmts;
	char buf[LINE_MAX_LEN];
	size_t len;		/* of a line not yet complete */
};

static bool is_printk_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
	       (insn->imm == BPF_FUNC_trace_printk ||
		insn->imm == BPF_FUNC_trace_vprintk);
}

bool run_printk_used(const struct bpfbox_object *obj)
{
	size_t i, j;

	for (i = 0; i < obj->nprogs; i++)
		for (j = 0; j < obj->progs[i].insns_cnt; j++)
			if (is_printk_call(&obj->progs[i].insns[j]))
				return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Formats                                                             */

static bool fmt_byte(uint8_t c)
{
	return c >= 0x20 || c == '\t' || c == '\n';
}

static int add_fmt(struct run_printk *p, const char *s, size_t len)
{
	const char **f;
	size_t *l;

	while (len && s[len - 1] == '\n')	/* the pipe's line has none */
		len--;
	f = realloc(p->fmts, (p->nfmts + 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	p->fmts = f;
	l = realloc(p->fmt_len, (p->nfmts + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	p->fmt_len = l;
	p->fmts[p->nfmts] = s;
	p->fmt_len[p->nfmts++] = len;
	return 0;
}

/* every NUL-terminated run of text in the .rodata sections */
static int collect_fmts(struct run_printk *p, const struct bpfbox_object *obj)
{
	const struct bb_elf *elf = obj->elf;
	size_t i, start, j;
	int err;

	for (i = 1; i < elf->nsecs; i++) {
		const struct bb_elf_sec *s = &elf->secs[i];

		if (strncmp(s->name, ".rodata", 7) || !s->data)
			continue;
		for (start = 0, j = 0; j < s->size; j++) {
			if (s->data[j] && fmt_byte(s->data[j]))
				continue;
			if (!s->data[j] && j > start) {
				err = add_fmt(p, (const char *)s->data + start,
					      j - start);
				if (err)
					return err;
			}
			start = j + 1;
		}
	}
	return 0;
}

/*
 * At '%' in a format: the length of the conversion and what it matches:
 * '%' a percent sign, 'c' one character, '*' any text (numbers, strings,
 * pointers with the kernel's %pK %pI4 %pks ... suffixes).
 */
static size_t conv_len(const char *f, size_t n, char *kind)
{
	static const char *const psfx[] = {
		"ks", "us", "i4", "i6", "I4", "I6", "K", "x", "B", "s",
	};
	size_t i = 1, k;

	*kind = '*';
	if (n > 1 && f[1] == '%') {
		*kind = '%';
		return 2;
	}
	while (i < n && strchr("-+ #0", f[i]))
		i++;
	while (i < n && ((f[i] >= '0' && f[i] <= '9') || f[i] == '.'))
		i++;
	while (i < n && strchr("hlLqjzt", f[i]))
		i++;
	if (i >= n)
		return n;
	if (f[i] == 'c')
		*kind = 'c';
	if (f[i++] != 'p')
		return i;
	for (k = 0; k < sizeof(psfx) / sizeof(psfx[0]); k++) {
		size_t l = strlen(psfx[k]);

		if (i + l <= n && !strncmp(f + i, psfx[k], l))
			return i + l;
	}
	return i;
}

/*
 * Glob matching with conversions as wildcards; one backtrack point (the
 * last '*' seen) makes it linear in practice, as wildcard matchers do.
 */
static bool match(const char *f, size_t fn, const char *m, size_t mn)
{
	size_t fi = 0, mi = 0, star_f = 0, star_m = 0, l;
	bool star = false;
	char kind;

	while (mi < mn) {
		if (fi < fn && f[fi] == '%') {
			l = conv_len(f + fi, fn - fi, &kind);
			if (kind == '*') {
				star = true;
				star_f = fi + l;
				star_m = mi;
				fi += l;
				continue;
			}
			if (kind == 'c' || m[mi] == '%') {
				fi += l;
				mi++;
				continue;
			}
		} else if (fi < fn && f[fi] == m[mi]) {
			fi++;
			mi++;
			continue;
		}
		if (!star)
			return false;
		fi = star_f;
		mi = ++star_m;
	}
	while (fi < fn && f[fi] == '%') {
		l = conv_len(f + fi, fn - fi, &kind);
		if (kind != '*')
			break;
		fi += l;
	}
	return fi == fn;
}

bool run_printk_match(const char *fmt, const char *msg, size_t len)
{
	return match(fmt, strlen(fmt), msg, len);
}

static bool ours(const struct run_printk *p, const char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < p->nfmts; i++)
		if (match(p->fmts[i], p->fmt_len[i], msg, len))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

struct tline {
	char comm[64];
	long pid, cpu;
	double ts;
};

/* "   <comm>-<pid> [(tgid)] [cpu] flags ts" before the tag */
static void parse_head(const char *line, size_t n, struct tline *t)
{
	const char *lb = memchr(line, '[', n), *p, *dash = NULL, *sp;

	memset(t, 0, sizeof(*t));
	t->pid = t->cpu = -1;
	sp = line + n;
	while (sp > line && sp[-1] != ' ')
		sp--;
	t->ts = strtod(sp, NULL);
	if (!lb)
		return;
	t->cpu = strtol(lb + 1, NULL, 10);
	p = lb;
	while (p > line && p[-1] == ' ')
		p--;
	if (p > line && p[-1] == ')') {		/* (tgid) */
		while (p > line && p[-1] != '(')
			p--;
		p = p > line ? p - 1 : p;
		while (p > line && p[-1] == ' ')
			p--;
	}
	for (sp = line; sp < p; sp++)
		if (*sp == '-')
			dash = sp;
	if (!dash)
		return;
	t->pid = strtol(dash + 1, NULL, 10);
	for (sp = line; sp < dash && *sp == ' '; sp++)
		;
	snprintf(t->comm, sizeof(t->comm), "%.*s", (int)(dash - sp), sp);
}

static void put_json(const char *line, size_t head, const char *msg,
		     size_t len)
{
	struct bb_vw *w = bb_vw_new(false);
	struct tline t;
	char ts[32];

	if (!w)
		return;
	parse_head(line, head, &t);
	snprintf(ts, sizeof(ts), "%.6f", t.ts);
	bb_vw_start_object(w);
	bb_vw_name(w, "printk");
	bb_vw_string_n(w, msg, len);
	bb_vw_name(w, "comm");
	bb_vw_string(w, t.comm);
	bb_vw_name(w, "pid");
	bb_vw_int(w, t.pid);
	bb_vw_name(w, "cpu");
	bb_vw_int(w, t.cpu);
	bb_vw_name(w, "time");
	bb_vw_raw(w, ts);
	bb_vw_end_object(w);
	printf("%s\n", bb_vw_buf(w, NULL));
	bb_vw_free(w);
}

static void put_line(struct run *r, char *line, size_t n)
{
	struct run_printk *p = r->printk;
	const char *tag = memmem(line, n, PRINTK_TAG, strlen(PRINTK_TAG));
	const char *msg;
	size_t len;

	if (!tag)
		return;		/* another event, or trace_marker */
	msg = tag + strlen(PRINTK_TAG);
	len = line + n - msg;
	if (!r->all_printk && p->nfmts && !ours(p, msg, len))
		return;
	if (r->json) {
		put_json(line, tag - line, msg, len);
		return;
	}
	line[n] = '\0';
	cli_fputs_safe(stdout, line);
	putchar('\n');
}

/* split what was read into lines; a line longer than the buffer is cut */
static void take_lines(struct run *r)
{
	struct run_printk *p = r->printk;
	char *nl, *start = p->buf;
	size_t left = p->len;

	while ((nl = memchr(start, '\n', left))) {
		put_line(r, start, nl - start);
		left -= nl + 1 - start;
		start = nl + 1;
	}
	if (left == sizeof(p->buf) - 1) {
		put_line(r, start, left);
		left = 0;
	}
	memmove(p->buf, start, left);
	p->len = left;
}

int run_printk_read(struct run *r)
{
	struct run_printk *p = r->printk;
	ssize_t n;

	if (!p)
		return 0;
	for (;;) {
		n = read(p->fd, p->buf + p->len, sizeof(p->buf) - 1 - p->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			fprintf(stderr, "bpfbox run: reading the trace pipe: %s\n",
				strerror(errno));
			return -errno;
		}
		if (n == 0)
			break;
		/* NUL bytes would end lines early: the kernel's text has none */
		for (ssize_t i = 0; i < n; i++)
			if (!p->buf[p->len + i])
				p->buf[p->len + i] = ' ';
		p->len += n;
		take_lines(r);
	}
	run_flush(r);
	return 0;
}

int run_printk_open(struct run *r)
{
	struct run_printk *p = calloc(1, sizeof(*p));

	if (!p)
		return cli_fail("out of memory");
	p->fd = -1;
	r->printk = p;
	if (collect_fmts(p, r->obj))
		return cli_fail("out of memory");
	p->fd = bpfbox_trace_pipe_open(true);
	if (p->fd < 0)
		return cli_fail("bpf_printk output: %s (or give --no-printk)",
				bpfbox_errmsg());
	return 0;
}

void run_printk_close(struct run *r)
{
	struct run_printk *p = r->printk;

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->fmts);
	free(p->fmt_len);
	free(p);
	r->printk = NULL;
}

int run_printk_fd(const struct run *r)
{
	return r->printk ? r->printk->fd : -1;
}
