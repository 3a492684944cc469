// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The attach dispatcher: a target written in SEC() syntax becomes a
 * struct bb_attach_req, is checked against the program's type, and goes
 * to the function of its kind (attach_tp.c, attach_perf.c, probe.c).
 * Object-wide attach/detach keeps one link per program in the object.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "err.h"
#include "object.h"

/* "kretprobe+" -> "kretprobe", for messages */
static void def_kind(const struct bb_secdef *def, char *buf, size_t len)
{
	size_t n = strcspn(def->sec, "+");

	snprintf(buf, len, "%.*s", (int)n, def->sec);
}

static const char *type_name(enum bpf_prog_type type)
{
	const char *name = bpfbox_prog_type_name(type);

	return name ? name : "unknown type";
}

static bool is_retprobe(const char *target)
{
	return !strncmp(target, "kretprobe", 9) ||
	       !strncmp(target, "uretprobe", 9) ||
	       !strncmp(target, "kretsyscall", 11);
}

static int parse_target(const char *target, struct bb_attach_req *req)
{
	const struct bb_secdef *def = bb_secdef_find(target);

	/* SEC("perf_event") is exact, as in libbpf; a target may name the
	 * event: perf_event/cpu-clock */
	if (!def && !strncmp(target, "perf_event/", 11)) {
		req->def = bb_secdef_find("perf_event");
		req->target = target;
		req->arg = target[11] ? target + 11 : NULL;
		return req->def ? 0 : bb_err(EINVAL, "%s: no perf_event section definition",
					     target);
	}

	if (!def)
		return bb_err(EINVAL, "%s: unknown attach target: write it as a SEC() name, e.g. tp/CATEGORY/NAME, raw_tp/NAME, kprobe/FUNC, uprobe/BINARY:SYMBOL, perf_event/cpu-clock, iter/task, socket",
			      target);
	req->def = def;
	req->target = target;
	req->arg = bb_secdef_target(def, target);
	req->retprobe = is_retprobe(target);
	return 0;
}

/* raw_tp.w programs attach like raw_tp ones */
static enum bpf_prog_type base_type(enum bpf_prog_type type)
{
	return type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE ?
	       BPF_PROG_TYPE_RAW_TRACEPOINT : type;
}

/*
 * The target's kind must suit the program type. For the BTF kinds
 * (tp_btf, fentry, iter, ...) the expected attach type matters too,
 * when it is known (objects; not fds, whose info does not carry it).
 */
static int check_kind(const char *prog, const struct bb_attach_req *req,
		      bool know_attach_type)
{
	const struct bb_secdef *def = req->def;
	char kind[32];

	def_kind(def, kind, sizeof(kind));
	if (base_type(def->prog_type) != base_type(req->prog_type))
		return bb_err(EINVAL, "program %s (%s) cannot attach to %s: a %s target needs a %s program",
			      prog, type_name(req->prog_type), req->target,
			      type_name(def->prog_type),
			      type_name(def->prog_type));
	if (know_attach_type && (def->flags & BB_SEC_ATTACH_BTF) &&
	    def->expected_attach_type != req->attach_type)
		return bb_err(EINVAL, "program %s (%s) cannot attach to %s: a %s target needs a %s program loaded from SEC(\"%s/...\")",
			      prog, type_name(req->prog_type), req->target,
			      kind, type_name(def->prog_type), kind);
	return 0;
}

static bool needs_arg(enum bb_attach_kind kind)
{
	switch (kind) {
	case BB_ATTACH_TP:
	case BB_ATTACH_RAW_TP:
	case BB_ATTACH_TRACE:
	case BB_ATTACH_LSM:
	case BB_ATTACH_ITER:
	case BB_ATTACH_KPROBE:
	case BB_ATTACH_KSYSCALL:
	case BB_ATTACH_UPROBE:
	case BB_ATTACH_USDT:
		return true;
	default:
		return false;
	}
}

static int dispatch(const struct bb_attach_req *req, struct bpfbox_link **out)
{
	char kind[32];

	def_kind(req->def, kind, sizeof(kind));
	if (needs_arg(req->def->attach) && !req->arg)
		return bb_err(EINVAL, "%s names no target: write it as %s/TARGET",
			      req->target, kind);
	switch (req->def->attach) {
	case BB_ATTACH_TP:
		return bb_attach_tracepoint(req, out);
	case BB_ATTACH_RAW_TP:
		return bb_attach_raw_tp(req, out);
	case BB_ATTACH_TRACE:
	case BB_ATTACH_LSM:
		return bb_attach_trace(req, out);
	case BB_ATTACH_ITER:
		return bb_attach_iter(req, out);
	case BB_ATTACH_PERF_EVENT:
		return bb_attach_perf_event(req, out);
	case BB_ATTACH_SOCKET:
		return bb_attach_socket(req, out);
	case BB_ATTACH_KPROBE:
		return bb_attach_kprobe(req, out);
	case BB_ATTACH_KSYSCALL:
		return bb_attach_ksyscall(req, out);
	case BB_ATTACH_UPROBE:
		return bb_attach_uprobe(req, out);
	case BB_ATTACH_NONE:
		return bb_err(EINVAL, "%s: programs of this kind are not attached to a target (they are run or used by other means)",
			      req->target);
	default:
		return bb_err(EOPNOTSUPP, "%s: bpfbox cannot attach %s programs yet",
			      req->target, kind);
	}
}

/* a copy of the caller's options, as much of them as it knows about */
static void copy_opts(const struct bpfbox_attach_opts *in,
		      struct bpfbox_attach_opts *out)
{
	size_t sz;

	memset(out, 0, sizeof(*out));
	if (!in)
		return;
	sz = in->sz && in->sz < sizeof(*out) ? in->sz : sizeof(*out);
	memcpy(out, in, sz);
	out->sz = sizeof(*out);
}

/*
 * tp_btf, fentry, lsm, iter...: the kernel fixed the target when the
 * program was loaded (attach_btf_id), so another one cannot be asked.
 */
static int check_fixed_target(const struct bpfbox_prog *prog,
			      const struct bb_attach_req *req)
{
	if (!(req->def->flags & BB_SEC_ATTACH_BTF))
		return 0;
	if (prog->attach_target && req->arg &&
	    !strcmp(prog->attach_target, req->arg))
		return 0;
	return bb_err(EINVAL, "program %s cannot attach to %s: its target was fixed when it was loaded (SEC(\"%s\")); load it from SEC(\"%s\") instead",
		      prog->name, req->target, prog->sec_name, req->target);
}

static int prog_attach(struct bpfbox_prog *prog, const char *target,
		       const struct bpfbox_attach_opts *opts,
		       struct bpfbox_link **link)
{
	struct bpfbox_attach_opts o;
	struct bb_attach_req req = { 0 };
	int err;

	*link = NULL;
	if (prog->fd < 0)
		return bb_err(EINVAL, "program %s is not loaded (load the object first%s)",
			      prog->name, prog->autoload ? "" :
			      "; its autoload is off");
	copy_opts(opts, &o);
	req.prog_fd = prog->fd;
	req.prog_type = prog->type;
	req.attach_type = prog->expected_attach_type;
	req.opts = &o;
	err = parse_target(target, &req);
	if (!err)
		err = check_kind(prog->name, &req, true);
	if (!err)
		err = check_fixed_target(prog, &req);
	if (!err) {
		err = dispatch(&req, link);
		if (err)
			bb_err_wrap(err, "program %s", prog->name);
	}
	return err;
}

int bpfbox_prog_attach(struct bpfbox_prog *prog,
		       const struct bpfbox_attach_opts *opts,
		       struct bpfbox_link **link)
{
	if (!prog || !link)
		return bb_err(EINVAL, "attach: no program or no link pointer");
	if (prog->def && needs_arg(prog->def->attach) && !prog->attach_target) {
		*link = NULL;
		return bb_err(EINVAL, "program %s: SEC(\"%s\") names no target: attach it with bpfbox_prog_attach_to(), e.g. to \"%s/TARGET\"",
			      prog->name, prog->sec_name, prog->sec_name);
	}
	return prog_attach(prog, prog->sec_name, opts, link);
}

int bpfbox_prog_attach_to(struct bpfbox_prog *prog, const char *target,
			  const struct bpfbox_attach_opts *opts,
			  struct bpfbox_link **link)
{
	if (!prog || !target || !link)
		return bb_err(EINVAL, "attach: no program, target or link pointer");
	return prog_attach(prog, target, opts, link);
}

/*
 * OBJ_GET_INFO_BY_FD answers for maps, links and BTF too, with another
 * struct: make sure the fd is a program ("anon_inode:bpf-prog"). Without
 * /proc, trust the caller.
 */
static bool is_prog_fd(int fd)
{
	char path[64], target[64];
	ssize_t n;

	if (fd < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return errno != EBADF;
	target[n] = '\0';
	return !strcmp(target, "anon_inode:bpf-prog");
}

int bpfbox_attach_fd(int prog_fd, const char *target,
		     const struct bpfbox_attach_opts *opts,
		     struct bpfbox_link **link)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	struct bpfbox_attach_opts o;
	struct bb_attach_req req = { 0 };
	char name[BPF_OBJ_NAME_LEN + 32];
	int err;

	if (!target || !link)
		return bb_err(EINVAL, "attach: no target or no link pointer");
	*link = NULL;
	if (!is_prog_fd(prog_fd))
		return bb_err(EBADF, "attach to %s: fd %d is not a BPF program",
			      target, prog_fd);
	memset(&info, 0, sizeof(info));
	err = bpfbox_obj_get_info_by_fd(prog_fd, &info, &len);
	if (err)
		return bb_err(err, "attach to %s: fd %d is not a BPF program: %s",
			      target, prog_fd, strerror(-err));
	/* the kernel's name may lack its NUL at the full 16 bytes */
	snprintf(name, sizeof(name), "%.*s (id %u)", BPF_OBJ_NAME_LEN - 1,
		 info.name[0] ? (const char *)info.name : "(unnamed)", info.id);
	copy_opts(opts, &o);
	req.prog_fd = prog_fd;
	req.prog_type = info.type;
	req.opts = &o;
	err = parse_target(target, &req);
	if (err)
		return err;
	/* the info has no expected attach type: take the target's and let
	 * the kernel refuse a program loaded for another one */
	req.attach_type = req.def->expected_attach_type;
	err = check_kind(name, &req, false);
	if (err)
		return err;
	err = dispatch(&req, link);
	if (err)
		bb_err_wrap(err, "program %s", name);
	return err;
}

/*
 * Which programs object_attach attaches: loaded ones whose section
 * names a target. perf_event and socket programs need a choice of
 * event or socket from the caller, like SEC("kprobe") a function.
 */
static bool auto_attachable(const struct bpfbox_prog *p)
{
	if (p->is_subprog || !p->autoload || p->fd < 0 || !p->def)
		return false;
	if (!needs_arg(p->def->attach) || p->def->attach == BB_ATTACH_USDT)
		return false;
	return p->attach_target != NULL;
}

int bpfbox_object_attach(struct bpfbox_object *obj)
{
	size_t i;
	int err;

	if (!obj)
		return bb_err(EINVAL, "attach: no object");
	if (!obj->loaded)
		return bb_err(EINVAL, "%s: attach: the object is not loaded",
			      obj->path);
	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->link || !auto_attachable(p))
			continue;
		err = prog_attach(p, p->sec_name, NULL, &p->link);
		if (err) {
			bpfbox_object_detach(obj);
			return bb_err_wrap(err, "%s", obj->path);
		}
	}
	return 0;
}

void bpfbox_object_detach(struct bpfbox_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nprogs; i++) {
		bpfbox_link_destroy(obj->progs[i].link);
		obj->progs[i].link = NULL;
	}
}

struct bpfbox_link *bpfbox_prog_link(const struct bpfbox_prog *prog)
{
	return prog ? prog->link : NULL;
}
