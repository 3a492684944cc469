// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event type inference: the record type of a ring buffer or perf event
 * array, from the map's declared value type or from the size the
 * programs write into it. See event_type.h for the rules.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "btf.h"
#include "err.h"
#include "event_type.h"
#include "object.h"

#define MOV_DEPTH	8	/* register-to-register moves followed */
#define MAX_CANDS	8	/* candidates named in messages */

/* ------------------------------------------------------------------ */
/* Messages                                                            */

struct why {
	char *buf;
	size_t len, used;
};

__attribute__((format(printf, 2, 3)))
static void say(struct why *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!w->len || w->used >= w->len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->used, w->len - w->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->used += (size_t)n < w->len - w->used ? (size_t)n :
			   w->len - w->used - 1;
}

/* ------------------------------------------------------------------ */
/* Finding the writes: helper calls and their constant arguments       */

struct helper {
	int id;
	const char *name;
	int map_reg, size_reg;
};

static const struct helper ringbuf_helpers[] = {
	{ BPF_FUNC_ringbuf_reserve, "bpf_ringbuf_reserve", 1, 2 },
	{ BPF_FUNC_ringbuf_output, "bpf_ringbuf_output", 1, 3 },
	{ BPF_FUNC_ringbuf_reserve_dynptr, "bpf_ringbuf_reserve_dynptr", 1, 2 },
	{ 0 },
};

static const struct helper perf_helpers[] = {
	{ BPF_FUNC_perf_event_output, "bpf_perf_event_output", 2, 5 },
	{ BPF_FUNC_skb_output, "bpf_skb_output", 2, 5 },
	{ BPF_FUNC_xdp_output, "bpf_xdp_output", 2, 5 },
	{ 0 },
};

/* per program: which insns start a block, which are ld_imm64 tails */
struct flow {
	const struct bpfbox_prog *prog;
	const struct bpfbox_object *obj;
	uint8_t *target;	/* a jump lands here */
	uint8_t *tail;		/* second half of an ld_imm64 */
};

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_helper_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0;
}

static int flow_init(struct flow *fl, const struct bpfbox_object *obj,
		     const struct bpfbox_prog *prog)
{
	size_t i, n = prog->insns_cnt;
	const struct bpf_insn *in = prog->insns;
	int64_t to;
	uint8_t cls, op;

	fl->prog = prog;
	fl->obj = obj;
	fl->target = calloc(n + 1, 1);
	fl->tail = calloc(n + 1, 1);
	if (!fl->target || !fl->tail)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (is_ldimm64(&in[i]) && i + 1 < n) {
			fl->tail[++i] = 1;
			continue;
		}
		cls = BPF_CLASS(in[i].code);
		op = BPF_OP(in[i].code);
		if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
		    op == BPF_EXIT)
			continue;
		/* gotol (JMP32 | JA) keeps its offset in imm */
		to = (int64_t)i + 1 + (cls == BPF_JMP32 && op == BPF_JA ?
				       in[i].imm : in[i].off);
		if (to >= 0 && (size_t)to < n)
			fl->target[to] = 1;
	}
	return 0;
}

static void flow_free(struct flow *fl)
{
	free(fl->target);
	free(fl->tail);
}

/* the map an ld_imm64 at insn idx loads, or -1 */
static int ldimm_map(const struct flow *fl, size_t idx)
{
	const struct bpfbox_prog *p = fl->prog;
	const struct bpf_insn *in = &p->insns[idx];
	size_t i;

	for (i = 0; i < p->nrelos; i++)
		if (p->relos[i].insn_idx == idx &&
		    p->relos[i].type == BB_RELO_MAP)
			return p->relos[i].map_idx;
	/* a loaded object: relocated to the map's fd */
	if (in->src_reg == BPF_PSEUDO_MAP_FD)
		for (i = 0; i < fl->obj->nmaps; i++)
			if (fl->obj->maps[i].fd > 0 &&
			    fl->obj->maps[i].fd == in->imm)
				return i;
	return -1;
}

enum rv_kind { RV_UNKNOWN, RV_CONST, RV_MAP };

struct regval {
	enum rv_kind kind;
	int64_t val;		/* constant, or map index */
};

/*
 * What register reg holds just before insn at, looking back through the
 * basic block: constants, map loads and moves from other registers.
 */
static struct regval reg_before(const struct flow *fl, size_t at, int reg,
				int depth)
{
	const struct bpf_insn *in = fl->prog->insns;
	struct regval none = { RV_UNKNOWN, 0 };
	uint8_t cls, op;
	size_t i;

	for (i = at; i-- > 0;) {
		if (fl->target[i + 1])
			return none;	/* another path joins here */
		if (fl->tail[i])
			continue;
		cls = BPF_CLASS(in[i].code);
		op = BPF_OP(in[i].code);
		if (cls == BPF_JMP && op == BPF_CALL) {
			if (reg <= BPF_REG_5)
				return none;	/* clobbered by the call */
			continue;
		}
		/* legacy packet loads write r0 and clobber r1-r5 */
		if (cls == BPF_LD && !is_ldimm64(&in[i]) && reg <= BPF_REG_5)
			return none;
		/* atomics with BPF_FETCH write the old value to src_reg */
		if (cls == BPF_STX && BPF_MODE(in[i].code) == BPF_ATOMIC &&
		    (in[i].imm & BPF_FETCH) && in[i].src_reg == reg)
			return none;
		if (in[i].dst_reg != reg)
			continue;
		if (is_ldimm64(&in[i])) {
			int map = ldimm_map(fl, i);

			if (map >= 0)
				return (struct regval){ RV_MAP, map };
			if (in[i].src_reg || i + 1 >= fl->prog->insns_cnt)
				return none;
			return (struct regval){ RV_CONST,
				(int64_t)((uint64_t)(uint32_t)in[i + 1].imm << 32 |
					  (uint32_t)in[i].imm) };
		}
		if ((cls == BPF_ALU64 || cls == BPF_ALU) && op == BPF_MOV &&
		    !in[i].off) {
			if (BPF_SRC(in[i].code) == BPF_K)
				return (struct regval){ RV_CONST,
					cls == BPF_ALU64 ? (int64_t)in[i].imm :
					(int64_t)(uint32_t)in[i].imm };
			if (cls == BPF_ALU64 && depth < MOV_DEPTH)
				return reg_before(fl, i, in[i].src_reg,
						  depth + 1);
			return none;
		}
		/* stores write memory, not dst_reg; anything else does */
		if (cls != BPF_ST && cls != BPF_STX && cls != BPF_JMP &&
		    cls != BPF_JMP32)
			return none;
	}
	return none;
}

/* sizes written into the map: one entry per call found */
struct write {
	const char *prog;
	const char *helper;
	int64_t size;		/* -1: not a constant */
};

struct writes {
	struct write *w;
	size_t n;
};

static int add_write(struct writes *ws, const char *prog, const char *helper,
		     int64_t size)
{
	struct write *w = realloc(ws->w, (ws->n + 1) * sizeof(*w));

	if (!w)
		return -ENOMEM;
	ws->w = w;
	w[ws->n++] = (struct write){ prog, helper, size };
	return 0;
}

static int scan_prog(const struct bpfbox_object *obj,
		     const struct bpfbox_prog *prog, int map_idx,
		     const struct helper *hs, struct writes *ws)
{
	const struct bpf_insn *in = prog->insns;
	const struct helper *h;
	struct regval m, s;
	struct flow fl;
	size_t i;
	int err = 0;

	if (!in || !prog->insns_cnt)
		return 0;
	if (flow_init(&fl, obj, prog)) {
		flow_free(&fl);
		return -ENOMEM;
	}
	for (i = 0; i < prog->insns_cnt && !err; i++) {
		if (fl.tail[i] || !is_helper_call(&in[i]))
			continue;
		for (h = hs; h->id && h->id != in[i].imm; h++)
			;
		if (!h->id)
			continue;
		m = reg_before(&fl, i, h->map_reg, 0);
		if (m.kind != RV_MAP || m.val != map_idx)
			continue;
		s = reg_before(&fl, i, h->size_reg, 0);
		err = add_write(ws, prog->name, h->name,
				s.kind == RV_CONST && s.val > 0 &&
				s.val <= UINT32_MAX ? s.val : -1);
	}
	flow_free(&fl);
	return err;
}

/* ------------------------------------------------------------------ */
/* Which types the object itself uses                                  */

enum { R_USER = 1, R_CTX = 2, R_MAPDEF = 4 };

struct reach {
	const struct bb_btf *btf;
	uint8_t *mark;
	uint32_t cnt;
	uint32_t *stack;
	size_t sp, cap;
};

static void push(struct reach *r, uint32_t id)
{
	uint32_t *s;

	if (!id || id >= r->cnt)
		return;
	if (r->sp == r->cap) {
		s = realloc(r->stack, (r->cap ? r->cap * 2 : 64) * sizeof(*s));
		if (!s)
			return;		/* a partial answer: only ranking */
		r->stack = s;
		r->cap = r->cap ? r->cap * 2 : 64;
	}
	r->stack[r->sp++] = id;
}

/* mark everything reachable from id with bit (each type once per bit) */
static void walk(struct reach *r, uint32_t id, uint8_t bit)
{
	const struct btf_type *t;
	uint32_t i;

	push(r, id);
	while (r->sp) {
		id = r->stack[--r->sp];
		if (r->mark[id] & bit)
			continue;
		r->mark[id] |= bit;
		t = bb_btf_type(r->btf, id);
		if (!t)
			continue;
		switch (bb_btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR: case BTF_KIND_FUNC:
			push(r, t->type);
			break;
		case BTF_KIND_ARRAY:
			push(r, bb_btf_array(t)->type);
			break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			for (i = 0; i < bb_btf_vlen(t); i++)
				push(r, bb_btf_members(t)[i].type);
			break;
		case BTF_KIND_FUNC_PROTO:
			push(r, t->type);
			for (i = 0; i < bb_btf_vlen(t); i++)
				push(r, bb_btf_params(t)[i].type);
			break;
		}
	}
}

/* the variables of data sections; .maps ones are map definitions */
static void walk_datasecs(struct reach *r)
{
	const struct btf_type *t, *v;
	uint32_t id, i, def;
	bool maps;

	for (id = 1; id < r->cnt; id++) {
		t = bb_btf_type(r->btf, id);
		if (!t || bb_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		maps = !strcmp(bb_btf_type_name(r->btf, t), ".maps");
		for (i = 0; i < bb_btf_vlen(t); i++) {
			uint32_t var = bb_btf_secinfos(t)[i].type;

			v = bb_btf_type(r->btf, var);
			if (!v || bb_btf_kind(v) != BTF_KIND_VAR)
				continue;
			if (!maps) {
				walk(r, var, R_USER);
				continue;
			}
			def = bb_btf_skip_mods(r->btf, v->type);
			if (def < r->cnt)
				r->mark[def] |= R_MAPDEF;
		}
	}
}

/* program and subprogram signatures: a main program's first arg is ctx */
static void walk_funcs(struct reach *r, const struct bpfbox_object *obj)
{
	const struct btf_type *f, *proto;
	uint32_t i;
	size_t k;
	int id;

	for (k = 0; k < obj->nprogs; k++) {
		const struct bpfbox_prog *p = &obj->progs[k];

		id = bb_btf_find(r->btf, p->name, BTF_KIND_FUNC);
		f = id > 0 ? bb_btf_type(r->btf, id) : NULL;
		proto = f ? bb_btf_type(r->btf, f->type) : NULL;
		if (!proto || bb_btf_kind(proto) != BTF_KIND_FUNC_PROTO)
			continue;
		walk(r, proto->type, R_USER);
		for (i = 0; i < bb_btf_vlen(proto); i++)
			walk(r, bb_btf_params(proto)[i].type,
			     !p->is_subprog && i == 0 ? R_CTX : R_USER);
	}
}

static void walk_maps(struct reach *r, const struct bpfbox_object *obj)
{
	size_t k;

	for (k = 0; k < obj->nmaps; k++) {
		if (obj->maps[k].kind != BB_MAP_USER)
			continue;
		walk(r, obj->maps[k].btf_key_type_id, R_USER);
		walk(r, obj->maps[k].btf_value_type_id, R_USER);
	}
}

static int reach_init(struct reach *r, const struct bpfbox_object *obj)
{
	memset(r, 0, sizeof(*r));
	r->btf = obj->btf;
	r->cnt = bb_btf_type_cnt(obj->btf);
	r->mark = calloc(r->cnt, 1);
	if (!r->mark)
		return -ENOMEM;
	walk_datasecs(r);
	walk_funcs(r, obj);
	walk_maps(r, obj);
	return 0;
}

static void reach_free(struct reach *r)
{
	free(r->mark);
	free(r->stack);
}

/* ------------------------------------------------------------------ */
/* Candidates of a size                                                */

struct cand {
	uint32_t id;
	int score;
};

static bool eventish(const char *name)
{
	static const char *const words[] = {
		"event", "evt", "data", "record", "sample", "msg", NULL,
	};
	int i;

	for (i = 0; words[i]; i++)
		if (strcasestr(name, words[i]))
			return true;
	return false;
}

/* "struct event", "typedef event_t" for messages */
static const char *type_desc(const struct bb_btf *btf, uint32_t id, char *buf,
			     size_t len)
{
	const struct btf_type *t = bb_btf_type(btf, id);
	const char *kw;

	switch (t ? bb_btf_kind(t) : 0) {
	case BTF_KIND_STRUCT: kw = "struct "; break;
	case BTF_KIND_UNION: kw = "union "; break;
	default: kw = ""; break;
	}
	snprintf(buf, len, "%s%s", kw, t ? bb_btf_type_name(btf, t) : "?");
	return buf;
}

/*
 * A candidate of this size: a named struct/union, or a typedef naming an
 * anonymous one. 0: not one; else the id to use.
 */
static uint32_t candidate(const struct bb_btf *btf, uint32_t id, uint32_t size)
{
	const struct btf_type *t = bb_btf_type(btf, id), *u;
	uint32_t to;

	if (!t)
		return 0;
	if (bb_btf_is_composite(t))
		return t->size == size && *bb_btf_type_name(btf, t) ? id : 0;
	if (bb_btf_kind(t) != BTF_KIND_TYPEDEF || !*bb_btf_type_name(btf, t))
		return 0;
	to = bb_btf_skip_mods(btf, id);
	u = bb_btf_type(btf, to);
	if (!u || !bb_btf_is_composite(u) || u->size != size ||
	    *bb_btf_type_name(btf, u))
		return 0;
	return id;
}

static int collect(const struct reach *r, uint32_t size, struct cand **out,
		   size_t *n, struct why *ctx_only)
{
	struct cand *c = NULL, *nc;
	uint32_t id, use;
	uint8_t m;
	char d[128];
	size_t k = 0, skipped = 0;

	for (id = 1; id < r->cnt; id++) {
		use = candidate(r->btf, id, size);
		if (!use)
			continue;
		m = r->mark[bb_btf_skip_mods(r->btf, id)] | r->mark[id];
		if (m & R_MAPDEF)
			continue;
		if ((m & R_CTX) && !(m & R_USER)) {
			say(ctx_only, "%s%s", skipped++ ? ", " : "",
			    type_desc(r->btf, use, d, sizeof(d)));
			continue;
		}
		nc = realloc(c, (k + 1) * sizeof(*c));
		if (!nc) {
			free(c);
			return -ENOMEM;
		}
		c = nc;
		c[k].id = use;
		c[k].score = (m & R_USER ? 2 : 0) +
			     eventish(bb_btf_type_name(r->btf,
						bb_btf_type(r->btf, use)));
		k++;
	}
	*out = c;
	*n = k;
	return 0;
}

static void list_cands(const struct bb_btf *btf, struct why *w,
		       const struct cand *c, size_t n, int score, bool equal,
		       uint32_t skip)
{
	char d[128];
	size_t i, shown = 0;

	for (i = 0; i < n; i++) {
		if (c[i].id == skip || (equal != (c[i].score == score)))
			continue;
		if (shown++ == MAX_CANDS) {
			say(w, ", ...");
			return;
		}
		say(w, "%s%s", shown > 1 ? ", " : "",
		    type_desc(btf, c[i].id, d, sizeof(d)));
	}
}

static void pick(const struct bpfbox_object *obj, const char *map,
		 uint32_t size, const struct write *how, uint32_t *type_id,
		 struct why *w)
{
	struct cand *c = NULL;
	struct reach r;
	char ctxbuf[512] = "", d[128];
	struct why ctx_only = { ctxbuf, sizeof(ctxbuf), 0 };
	size_t n = 0, i, best = 0, ties = 0;

	if (reach_init(&r, obj) || collect(&r, size, &c, &n, &ctx_only)) {
		say(w, "out of memory while looking for the record type of map %s",
		    map);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (c[i].score > c[best].score)
			best = i;
	for (i = 0; i < n; i++)
		ties += c[i].score == c[best].score;
	if (n && !c[best].score) {
		/* used by nothing the object declares, named like nothing */
		say(w, "map %s: %s(%s, %u bytes) in program %s, but the struct%s of %u bytes in the object's BTF (",
		    map, how->helper, map, size, how->prog, n > 1 ? "s" : "",
		    size);
		list_cands(obj->btf, w, c, n, 0, true, 0);
		say(w, ") %s used by no global, map or function of the object; pass --event-type NAME if %s the record",
		    n > 1 ? "are" : "is", n > 1 ? "one is" : "it is");
	} else if (n && ties == 1) {
		*type_id = c[best].id;
		say(w, "map %s: %s(%s, %u bytes) in program %s: %s",
		    map, how->helper, map, size, how->prog,
		    type_desc(obj->btf, c[best].id, d, sizeof(d)));
		if (n > 1) {
			say(w, " (preferred to ");
			list_cands(obj->btf, w, c, n, c[best].score, false, 0);
			say(w, ", also %u bytes)", size);
		}
	} else if (n) {
		say(w, "map %s: %s(%s, %u bytes) in program %s, but several types of %u bytes fit equally: ",
		    map, how->helper, map, size, how->prog, size);
		list_cands(obj->btf, w, c, n, c[best].score, true, 0);
		say(w, "; pass --event-type NAME");
	} else {
		say(w, "map %s: %s(%s, %u bytes) in program %s, but no struct of %u bytes is in the object's BTF (clang puts a struct there only when a global, a map or a function signature uses it: declare `struct NAME *unused_event __attribute__((unused));` in the program, or pass --event-type NAME for a type that is there)",
		    map, how->helper, map, size, how->prog, size);
	}
	if (ctx_only.used)
		say(w, "; not taken, being a program's context: %s", ctxbuf);
out:
	free(c);
	reach_free(&r);
}

/* ------------------------------------------------------------------ */
/* API                                                                 */

static bool declared(const struct bpfbox_object *obj,
		     const struct bpfbox_map *m, uint32_t *type_id,
		     struct why *w)
{
	uint32_t id = m->btf_value_type_id;
	const struct btf_type *t;
	char d[128];

	if (!id || !obj->btf)
		return false;
	t = bb_btf_type(obj->btf, bb_btf_skip_mods(obj->btf, id));
	if (!t || !bb_btf_is_composite(t))
		return false;
	*type_id = id;
	say(w, "map %s: its declared value type, %s", m->name,
	    type_desc(obj->btf, id, d, sizeof(d)));
	return true;
}

static int find_map(const struct bpfbox_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (!strcmp(obj->maps[i].name, name))
			return i;
	return bb_err(ENOENT, "%s: no map named %s", obj->path, name);
}

static void from_writes(const struct bpfbox_object *obj, const char *map,
			const struct writes *ws, uint32_t *type_id,
			struct why *w)
{
	const struct write *first = NULL;
	size_t i, unknown = 0;

	for (i = 0; i < ws->n; i++) {
		if (ws->w[i].size < 0) {
			unknown++;
			continue;
		}
		if (!first) {
			first = &ws->w[i];
		} else if (ws->w[i].size != first->size) {
			say(w, "map %s: programs write records of different sizes (%s in %s: %lld bytes, %s in %s: %lld bytes); pass --event-type NAME",
			    map, first->helper, first->prog,
			    (long long)first->size, ws->w[i].helper,
			    ws->w[i].prog, (long long)ws->w[i].size);
			return;
		}
	}
	if (!first) {
		if (ws->n)
			say(w, "map %s: %s in program %s writes records of a size computed at run time; pass --event-type NAME",
			    map, ws->w[0].helper, ws->w[0].prog);
		else
			say(w, "map %s: no program writes to it in a way bpfbox can follow (a ring buffer or perf buffer helper called with the map itself); pass --event-type NAME",
			    map);
		return;
	}
	if (!obj->btf) {
		say(w, "map %s: records are %lld bytes, but the object has no BTF to decode them with",
		    map, (long long)first->size);
		return;
	}
	pick(obj, map, first->size, first, type_id, w);
	if (unknown)
		say(w, " (%zu more call%s with a size known only at run time)",
		    unknown, unknown > 1 ? "s" : "");
}

int bb_event_type_guess(const struct bpfbox_object *obj, const char *map_name,
			uint32_t *type_id, char *why, size_t why_len)
{
	struct why w = { why, why_len, 0 };
	struct writes ws = { 0 };
	const struct helper *hs;
	const struct bpfbox_map *m;
	size_t i;
	int idx, err = 0;

	*type_id = 0;
	if (why_len)
		why[0] = '\0';
	idx = find_map(obj, map_name);
	if (idx < 0)
		return idx;
	m = &obj->maps[idx];
	if (m->type == BPF_MAP_TYPE_RINGBUF)
		hs = ringbuf_helpers;
	else if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		hs = perf_helpers;
	else
		return bb_err(EINVAL, "%s: map %s is no ring buffer or perf event array: it carries no events",
			      obj->path, map_name);
	if (declared(obj, m, type_id, &w))
		return 0;
	for (i = 0; i < obj->nprogs && !err; i++)
		err = scan_prog(obj, &obj->progs[i], idx, hs, &ws);
	if (err) {
		free(ws.w);
		return bb_err(ENOMEM, "map %s: out of memory", map_name);
	}
	from_writes(obj, map_name, &ws, type_id, &w);
	free(ws.w);
	return 0;
}

/* ------------------------------------------------------------------ */
/* --event-type NAME                                                   */

static int find_kind(const struct bb_btf *btf, const char *name,
		     const int *kinds)
{
	int id = -ENOENT;

	for (; *kinds >= 0 && id < 0; kinds++)
		id = bb_btf_find(btf, name, *kinds);
	return id;
}

int bb_event_type_find(const struct bb_btf *btf, const char *name,
		       uint32_t *type_id)
{
	static const int k_struct[] = { BTF_KIND_STRUCT, -1 };
	static const int k_union[] = { BTF_KIND_UNION, -1 };
	static const int k_enum[] = { BTF_KIND_ENUM, BTF_KIND_ENUM64, -1 };
	static const int k_bare[] = {
		BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF, -1, -1,
	};
	const int *kinds = k_bare;
	const char *n = name;
	char list[256] = "", d[128];
	struct why w = { list, sizeof(list), 0 };
	uint32_t id, cnt;
	int found;

	*type_id = 0;
	if (!btf)
		return bb_err(ENOENT, "event type %s: the object has no BTF", name);
	if (!strncmp(n, "struct ", 7))
		n += 7, kinds = k_struct;
	else if (!strncmp(n, "union ", 6))
		n += 6, kinds = k_union;
	else if (!strncmp(n, "enum ", 5))
		n += 5, kinds = k_enum;
	while (*n == ' ')
		n++;
	found = find_kind(btf, n, kinds);
	if (found < 0 && kinds == k_bare)
		found = bb_btf_find(btf, n, -1);
	if (found > 0) {
		*type_id = found;
		return 0;
	}
	cnt = bb_btf_type_cnt(btf);
	for (id = 1; id < cnt; id++) {
		const struct btf_type *t = bb_btf_type(btf, id);

		if (t && bb_btf_kind(t) == BTF_KIND_STRUCT &&
		    eventish(bb_btf_type_name(btf, t)))
			say(&w, "%s%s", w.used ? ", " : "",
			    type_desc(btf, id, d, sizeof(d)));
	}
	return bb_err(ENOENT, "event type '%s' is not in the object's BTF%s%s%s",
		      name, w.used ? " (types that look like events: " : "",
		      list, w.used ? ")" : "");
}
