// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE relocation: candidates, decisions and the per-program loop
 * (libbpf's bpf_core_find_cands, bpf_core_calc_relo_insn and
 * bpf_object__relocate_core).
 *
 * Candidates of a local type are the target types of a compatible kind
 * whose names match once flavours ("___suffix") are dropped: vmlinux
 * first, and the modules only when vmlinux has none. They are cached per
 * local type for the whole object, and a relocation drops the candidates
 * that do not match it, so the next relocation of that type chooses among
 * the survivors, as in libbpf. Several surviving candidates must agree on
 * the result, or the relocation is ambiguous and an error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_ext.h"
#include "core.h"
#include "err.h"

int bb_core_ctx_init(struct bb_core_ctx *ctx, const struct bb_btf *local,
		     const struct bb_core_target *targets, size_t ntargets)
{
	memset(ctx, 0, sizeof(*ctx));
	if (!local)
		return bb_err(EINVAL, "CO-RE: the object has no BTF");
	ctx->local = local;
	ctx->targets = targets;
	ctx->ntargets = targets ? ntargets : 0;
	ctx->ncands = bb_btf_type_cnt(local);
	ctx->cands = calloc(ctx->ncands, sizeof(*ctx->cands));
	if (!ctx->cands)
		return bb_err(ENOMEM, "out of memory");
	return 0;
}

static void cands_free(struct bb_core_cands *c)
{
	if (!c)
		return;
	free(c->v);
	free(c->searched);
	free(c);
}

void bb_core_ctx_free(struct bb_core_ctx *ctx)
{
	uint32_t i;

	if (!ctx->cands)
		return;
	for (i = 0; i < ctx->ncands; i++)
		cands_free(ctx->cands[i]);
	free(ctx->cands);
	ctx->cands = NULL;
}

/* ---- candidates ---- */

static int push_cand(struct bb_core_cands *c, const struct bb_core_target *tg,
		     uint32_t id)
{
	struct bb_core_cand *v;

	/* grow by powers of two: vmlinux can hold many flavours */
	if (!(c->len & (c->len - 1)) || !c->len) {
		v = realloc(c->v, (c->len ? c->len * 2 : 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
	}
	c->v[c->len].btf = tg->btf;
	c->v[c->len].id = id;
	c->v[c->len].target = tg->name;
	c->len++;
	return 0;
}

/* libbpf's bpf_core_add_cands: a linear scan of the target's own types */
static int add_cands(const struct btf_type *lt, const char *lname,
		     const struct bb_core_target *tg, struct bb_core_cands *c)
{
	size_t llen = bb_core_essential_len(lname);
	uint32_t i, n;

	if (!tg->btf)
		return 0;
	n = bb_btf_type_cnt(tg->btf);
	for (i = bb_btf_start_id(tg->btf); i < n; i++) {
		const struct btf_type *t = bb_btf_type(tg->btf, i);
		const char *name;

		if (!t || !bb_core_kind_compat(t, lt))
			continue;
		name = bb_btf_type_name(tg->btf, t);
		if (!*name || bb_core_essential_len(name) != llen ||
		    strncmp(lname, name, llen))
			continue;
		if (push_cand(c, tg, i))
			return bb_err(ENOMEM, "out of memory");
	}
	return 0;
}

static const char *target_name(const struct bb_core_target *tg)
{
	return tg->name ? tg->name : "kernel";
}

/* "vmlinux", "vmlinux and module a", "vmlinux and modules a, b", or
 * "vmlinux and 42 modules" */
static char *searched_str(const struct bb_core_target *first,
			  const struct bb_core_target *mods, size_t nmods)
{
	char buf[256];
	size_t i, pos;

	pos = snprintf(buf, sizeof(buf), "%s", first ? target_name(first) :
					       "no kernel BTF");
	if (nmods > 3) {
		snprintf(buf + pos, sizeof(buf) - pos, " and %zu modules", nmods);
		return strdup(buf);
	}
	for (i = 0; i < nmods && pos < sizeof(buf); i++)
		pos += snprintf(buf + pos, sizeof(buf) - pos, "%s%s",
				i ? ", " : nmods > 1 ? " and modules " :
				" and module ", target_name(&mods[i]));
	return strdup(buf);
}

static int load_modules(struct bb_core_ctx *ctx)
{
	int err;

	if (ctx->mods_loaded)
		return 0;
	ctx->mods_loaded = true;
	if (ctx->ntargets > 1) {
		ctx->mods = ctx->targets + 1;
		ctx->nmods = ctx->ntargets - 1;
	}
	if (!ctx->load_modules || ctx->nmods)
		return 0;
	err = ctx->load_modules(ctx->load_modules_arg, &ctx->mods,
				&ctx->nmods);
	if (err) {
		ctx->mods = NULL;
		ctx->nmods = 0;
		return bb_err_wrap(err, "CO-RE: loading module BTF");
	}
	return 0;
}

static int find_cands(struct bb_core_ctx *ctx, const struct btf_type *lt,
		      const char *lname, struct bb_core_cands *c)
{
	const struct bb_core_target *vmlinux = ctx->ntargets ? ctx->targets : NULL;
	size_t i;
	int err;

	if (vmlinux) {
		err = add_cands(lt, lname, vmlinux, c);
		if (err)
			return err;
	}
	/* modules only when vmlinux has nothing, as in libbpf */
	if (!c->len) {
		err = load_modules(ctx);
		if (err)
			return err;
		for (i = 0; i < ctx->nmods; i++) {
			err = add_cands(lt, lname, &ctx->mods[i], c);
			if (err)
				return err;
		}
		c->searched = searched_str(vmlinux, ctx->mods, ctx->nmods);
	} else {
		c->searched = searched_str(vmlinux, NULL, 0);
	}
	return c->searched ? 0 : bb_err(ENOMEM, "out of memory");
}

/* The cached candidates of local type id, searched on first use. */
static int get_cands(struct bb_core_ctx *ctx, uint32_t id,
		     struct bb_core_cands **out)
{
	const struct btf_type *lt = bb_core_type(ctx->local, id);
	struct bb_core_cands *c;
	const char *lname;
	int err;

	if (id < ctx->ncands && ctx->cands[id]) {
		*out = ctx->cands[id];
		return 0;
	}
	lname = bb_btf_type_name(ctx->local, lt);
	if (!*lname || id >= ctx->ncands)
		return -ESRCH;	/* anonymous: libbpf cannot search either */
	c = calloc(1, sizeof(*c));
	if (!c)
		return bb_err(ENOMEM, "out of memory");
	err = find_cands(ctx, lt, lname, c);
	if (err) {
		cands_free(c);
		return err;
	}
	ctx->cands[id] = c;
	*out = c;
	return 0;
}

/* ---- one relocation ---- */

struct relo_job {
	struct bb_core_ctx *ctx;
	const char *prog;
	size_t insn_idx;		/* program-relative */
	const struct bb_core_relo *r;
	const char *access_str;
	struct bb_core_spec local;
	struct bb_core_spec cand;
	struct bb_core_spec targ;
	struct bb_core_cands *cands;
	char access[256];		/* local access as C, once parsed */
};

/* "program P: instruction N: CO-RE relocation (kind) of ACCESS: " */
static int job_err(const struct relo_job *j, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int job_err(const struct relo_job *j, int err, const char *fmt, ...)
{
	char why[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return bb_err(err, "program %s: instruction %zu: CO-RE relocation (%s) of %s: %s",
		      j->prog, j->insn_idx, bb_core_kind_name(j->r->kind),
		      j->access[0] ? j->access : j->access_str, why);
}

static const char *cand_str(const struct bb_core_cand *c, char *buf,
			    size_t len)
{
	char type[160];

	bb_core_type_str(c->btf, c->id, type, sizeof(type));
	snprintf(buf, len, "%s [%u] in %s", type, c->id, c->target ? c->target : "kernel");
	return buf;
}

static int ambiguous(const struct relo_job *j, const struct bb_core_cand *a,
		     const struct bb_core_res *ra, const struct bb_core_cand *b,
		     const struct bb_core_res *rb, bool offsets)
{
	char sa[256], sb[256];

	if (offsets)
		return job_err(j, EINVAL,
			       "ambiguous: %s puts it at bit %u, %s at bit %u; rename the local type with a ___flavour suffix that matches only one of them",
			       cand_str(a, sa, sizeof(sa)), j->targ.bit_offset,
			       cand_str(b, sb, sizeof(sb)), j->cand.bit_offset);
	return job_err(j, EINVAL,
		       "ambiguous: %s gives %s %llu, %s gives %s %llu",
		       cand_str(a, sa, sizeof(sa)),
		       ra->poison ? "failure" : "value",
		       (unsigned long long)ra->new_val,
		       cand_str(b, sb, sizeof(sb)),
		       rb->poison ? "failure" : "value",
		       (unsigned long long)rb->new_val);
}

/*
 * libbpf's bpf_core_calc_relo_insn over the cached candidates: keep the
 * ones that match (pruning the cache), check they agree, and fall back
 * to "nothing found" (0 or poison) when none matches.
 */
static int decide(struct relo_job *j, struct bb_core_res *res)
{
	struct bb_core_cands *c = j->cands;
	struct bb_core_res cres;
	size_t i, n = 0;
	int err;

	for (i = 0; i < c->len; i++) {
		char s[256];

		err = bb_core_spec_match(&j->local, c->v[i].btf, c->v[i].id,
					 &j->cand);
		if (err < 0)
			return job_err(j, err, "malformed BTF while matching %s",
				       cand_str(&c->v[i], s, sizeof(s)));
		if (!err)
			continue;
		err = bb_core_calc_relo(j->r, &j->local, &j->cand, &cres);
		if (err)
			return job_err(j, err, "cannot compute it for %s",
				       cand_str(&c->v[i], s, sizeof(s)));
		if (n == 0) {
			*res = cres;
			j->targ = j->cand;
		} else if (j->cand.bit_offset != j->targ.bit_offset) {
			return ambiguous(j, &c->v[0], res, &c->v[i], &cres, true);
		} else if (cres.poison != res->poison ||
			   cres.new_val != res->new_val) {
			return ambiguous(j, &c->v[0], res, &c->v[i], &cres, false);
		}
		c->v[n++] = c->v[i];
	}
	if (n) {
		c->len = n;
		res->cand = &c->v[0];
		return 0;
	}
	err = bb_core_calc_relo(j->r, &j->local, NULL, res);
	if (err)
		return job_err(j, err, "cannot compute the program's own value");
	return 0;
}

static int resolve(struct relo_job *j, struct bb_core_res *res)
{
	const struct bb_btf *lb = j->ctx->local;
	char type[160];
	int err;

	if (!bb_core_type(lb, j->r->type_id))
		return job_err(j, EINVAL, "type id %u is not in the program's BTF",
			       j->r->type_id);
	bb_core_type_str(lb, j->r->type_id, type, sizeof(type));
	if (j->r->kind != BPF_CORE_TYPE_ID_LOCAL) {
		err = get_cands(j->ctx, j->r->type_id, &j->cands);
		if (err == -ESRCH)
			return job_err(j, EOPNOTSUPP,
				       "%s is anonymous, and types without a name cannot be found in the kernel",
				       type);
		if (err)
			return err;
	}
	if (bb_core_kind_class(j->r->kind) == BB_CORE_BAD)
		return job_err(j, EOPNOTSUPP, "unknown relocation kind %u",
			       j->r->kind);
	err = bb_core_parse_spec(lb, j->r, j->access_str, &j->local);
	if (err)
		return job_err(j, EINVAL, "access string \"%s\" does not fit %s",
			       j->access_str ? j->access_str : "(none)", type);
	bb_core_format_access(&j->local, j->access, sizeof(j->access));

	if (j->r->kind == BPF_CORE_TYPE_ID_LOCAL) {
		/* the id may change when objects are linked: no check */
		memset(res, 0, sizeof(*res));
		res->orig_val = res->new_val = j->local.root_type_id;
		return 0;
	}
	return decide(j, res);
}

static bool is_mem_class(const struct bpf_insn *insn)
{
	uint8_t c = BPF_CLASS(insn->code);

	return c == BPF_LDX || c == BPF_ST || c == BPF_STX;
}

static int apply_one(struct bb_core_ctx *ctx, const char *prog,
		     struct bpf_insn *insns, size_t cnt, size_t idx,
		     const struct bb_core_relo *r, struct bb_core_failures *fails)
{
	struct relo_job *j;
	struct bb_core_res res;
	bool ldimm64, mem, poisoned;
	const char *where;
	char why[256];
	int err;

	j = calloc(1, sizeof(*j));	/* three specs: ~6 KiB */
	if (!j)
		return bb_err(ENOMEM, "out of memory");
	j->ctx = ctx;
	j->prog = prog;
	j->insn_idx = idx;
	j->r = r;
	j->access_str = bb_btf_str(ctx->local, r->access_str_off);
	err = resolve(j, &res);
	if (err)
		goto out;

	ldimm64 = insns[idx].code == (BPF_LD | BPF_IMM | BPF_DW);
	mem = is_mem_class(&insns[idx]);
	err = bb_core_patch_insn(insns, cnt, idx, &res, why, sizeof(why));
	where = res.cand ? res.cand->target : j->cands ? j->cands->searched : "";
	if (err) {
		err = job_err(j, err, "%s (target: %s)", why, where);
		goto out;
	}
	poisoned = res.poison || (res.fail_memsz_adjust && mem);
	if (poisoned)
		err = bb_core_add_failure(fails, idx, ldimm64, r, &j->local,
					  &res, where);
out:
	free(j);
	return err;
}

int bb_core_relocate(struct bb_core_ctx *ctx, const char *prog_name,
		     struct bpf_insn *insns, size_t insn_cnt,
		     size_t sec_insn_off, const struct bb_btf_ext_sec *recs,
		     struct bb_core_failures *fails)
{
	struct bb_core_relo r;
	uint32_t i;
	size_t idx;
	int err;

	if (!recs || !recs->nrec)
		return 0;
	if (recs->rec_size < sizeof(r))
		return bb_err(EINVAL, "program %s: CO-RE records of %u bytes are too short",
			      prog_name, recs->rec_size);
	for (i = 0; i < recs->nrec; i++) {
		memcpy(&r, recs->recs + (size_t)i * recs->rec_size, sizeof(r));
		if (r.insn_off % sizeof(struct bpf_insn))
			return bb_err(EINVAL, "program %s: CO-RE record %u points into the middle of an instruction (byte %u of section %s)",
				      prog_name, i, r.insn_off,
				      recs->sec_name ? recs->sec_name : "?");
		idx = r.insn_off / sizeof(struct bpf_insn);
		if (idx < sec_insn_off || idx - sec_insn_off >= insn_cnt)
			continue;
		err = apply_one(ctx, prog_name, insns, insn_cnt,
				idx - sec_insn_off, &r, fails);
		if (err)
			return err;
	}
	return 0;
}
