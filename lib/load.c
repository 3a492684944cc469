// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading an object into the kernel: BTF, maps, then each program.
 *
 * A program is first loaded without a verifier log (fast, and what
 * succeeds needs none); on failure it is loaded again with a log, grown
 * on ENOSPC, so the error can quote the verifier's last words.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf.h"
#include "err.h"
#include "object.h"

#define LOG_START_SIZE	(1u << 20)
#define LOG_MAX_SIZE	(256u << 20)
#define LOG_TAIL_LINES	8

static uint32_t running_kernel_version(void)
{
	struct utsname u;
	unsigned int a = 0, b = 0, c = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

static int load_btf(struct bpfbox_object *obj)
{
	char *log;
	const void *raw;
	size_t size;
	int fd;

	if (!obj->btf)
		return 0;
	raw = bb_btf_raw(obj->btf, &size);
	fd = bpfbox_btf_load(raw, size, NULL, 0, 0);
	if (fd >= 0) {
		obj->btf_fd = fd;
		return 0;
	}
	log = calloc(1, 64 * 1024);
	if (log)
		bpfbox_btf_load(raw, size, log, 64 * 1024, 1);
	fd = bb_err(fd, "%s: the kernel rejected the object's BTF: %s%s%.400s",
		    obj->path, strerror(-fd), log && *log ? "; kernel says: " : "",
		    log ? log : "");
	free(log);
	return fd;
}

/* the last n non-empty lines of the log, for the error message */
static const char *log_tail(const char *log, int n)
{
	const char *p = log + strlen(log);

	while (p > log && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	while (p > log && n > 0) {
		p--;
		if (*p == '\n')
			n--;
	}
	return *p == '\n' ? p + 1 : p;
}

static void save_log(const char *path, const char *log)
{
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(log, f);
	fclose(f);
}

static const char *load_hint(const struct bpfbox_prog *prog, int err,
			     const char *log)
{
	if (!prog->obj->has_license && log && strstr(log, "GPL"))
		return "the object has no license; add: char LICENSE[] SEC(\"license\") = \"GPL\";";
	if (err != -EPERM || (log && *log))
		return "";
	if (!bpfbox_may_use_bpf())
		return "loading programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN): run as root";
	if (prog->type == BPF_PROG_TYPE_TRACING || prog->type == BPF_PROG_TYPE_LSM)
		return "the kernel refuses this program type although bpfbox runs with privileges (fentry/fexit/lsm need BPF trampolines, which may be disabled, e.g. by lockdown); try a kprobe or a tracepoint instead";
	return "";
}

static void fill_load_opts(const struct bpfbox_prog *prog,
			   struct bpfbox_prog_load_opts *o)
{
	const struct bpfbox_object *obj = prog->obj;

	memset(o, 0, sizeof(*o));
	o->name = prog->name;
	o->expected_attach_type = prog->expected_attach_type;
	o->prog_flags = prog->prog_flags;
	o->attach_btf_id = prog->attach_btf_id;
	if (prog->type == BPF_PROG_TYPE_KPROBE)
		o->kern_version = obj->kversion ? obj->kversion :
				  running_kernel_version();
	if (obj->btf_fd >= 0 && prog->func_info_cnt) {
		o->prog_btf_fd = obj->btf_fd;
		o->func_info = prog->func_info;
		o->func_info_cnt = prog->func_info_cnt;
		o->func_info_rec_size = prog->func_info_rec_size;
		if (prog->line_info_cnt) {
			o->line_info = prog->line_info;
			o->line_info_cnt = prog->line_info_cnt;
			o->line_info_rec_size = prog->line_info_rec_size;
		}
	}
}

static int prog_fail(struct bpfbox_prog *prog, int err, const char *log,
		     const struct bpfbox_load_opts *opts)
{
	const char *path = opts ? opts->verifier_log_path : NULL;
	char core[1024] = "";
	const char *hint;

	/* the verifier reached an instruction CO-RE had to poison */
	if (log && strstr(log, "195896080"))
		bb_core_explain(prog, core, sizeof(core));

	if (log && *log)
		save_log(path, log);
	hint = load_hint(prog, err, log);
	return bb_err(err,
		      "%s: program %s (section %s): load failed: %s%s%s%s%s%s%s%s",
		      prog->obj->path, prog->name, prog->sec_name,
		      strerror(-err), core,
		      log && *log ? "\nverifier log (last lines):\n" : "",
		      log && *log ? log_tail(log, LOG_TAIL_LINES) : "",
		      log && *log && path ? "\nwhole log written to " : "",
		      log && *log && path ? path : "",
		      !*hint ? "" : log && *log ? "\nhint: " : "; ", hint);
}

/* retry with a verifier log, growing it while the kernel says ENOSPC */
static int load_with_log(struct bpfbox_prog *prog,
			 struct bpfbox_prog_load_opts *o, uint32_t level,
			 char **logp)
{
	uint32_t size = LOG_START_SIZE;
	char *log = NULL, *p;
	int fd;

	for (;;) {
		p = realloc(log, size);
		if (!p) {
			fd = -ENOMEM;
			break;
		}
		log = p;
		log[0] = '\0';
		o->log_buf = log;
		o->log_size = size;
		o->log_level = level;
		fd = bpfbox_prog_load(prog->type, prog->insns, prog->insns_cnt,
				      prog->obj->license, o);
		if (fd != -ENOSPC || size >= LOG_MAX_SIZE)
			break;
		size *= 2;
	}
	*logp = log;
	return fd;
}

static int load_prog(struct bpfbox_prog *prog,
		     const struct bpfbox_load_opts *opts)
{
	struct bpfbox_prog_load_opts o;
	uint32_t level = opts ? opts->log_level : 0;
	char *log = NULL;
	int fd, err;

	if (prog->type == BPF_PROG_TYPE_UNSPEC)
		return bb_err(EINVAL,
			      "%s: program %s: section name \"%s\" does not say what kind of program it is (e.g. SEC(\"tp/sched/sched_process_exec\"), SEC(\"kprobe/do_exit\"), SEC(\"xdp\"))",
			      prog->obj->path, prog->name, prog->sec_name);
	fill_load_opts(prog, &o);
	fd = level ? -EINVAL : bpfbox_prog_load(prog->type, prog->insns,
					       prog->insns_cnt,
					       prog->obj->license, &o);
	if (fd < 0) {
		fd = load_with_log(prog, &o, level ? level : 1, &log);
		if (fd >= 0 && level)
			save_log(opts->verifier_log_path, log);
	}
	if (fd < 0) {
		err = prog_fail(prog, fd, log, opts);
		free(log);
		return err;
	}
	free(log);
	prog->fd = fd;
	return 0;
}

/*
 * As libbpf: a read-only data map is bound to every program, so it lives
 * as long as any of them and tools find its metadata (bpftool prog show
 * prints bpf_metadata_* variables) from the program alone. libbpf binds
 * the last .rodata* section it met; so do we, for the same result. Best
 * effort: kernels before 5.10 lack the command.
 */
static void bind_rodata(struct bpfbox_object *obj, struct bpfbox_prog *prog)
{
	const struct bpfbox_map *ro = NULL;
	size_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (obj->maps[i].kind == BB_MAP_RODATA && obj->maps[i].fd >= 0)
			ro = &obj->maps[i];
	if (ro)
		bpfbox_prog_bind_map(prog->fd, ro->fd);
}

static int load_progs(struct bpfbox_object *obj,
		      const struct bpfbox_load_opts *opts)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->is_subprog || !p->autoload)
			continue;
		err = load_prog(p, opts);
		if (err)
			return err;
		bind_rodata(obj, p);
	}
	return 0;
}

static void unload(struct bpfbox_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nprogs; i++) {
		if (obj->progs[i].fd >= 0)
			close(obj->progs[i].fd);
		obj->progs[i].fd = -1;
	}
	for (i = 0; i < obj->nmaps; i++) {
		if (obj->maps[i].fd >= 0)
			close(obj->maps[i].fd);
		obj->maps[i].fd = -1;
	}
	if (obj->btf_fd >= 0)
		close(obj->btf_fd);
	obj->btf_fd = -1;
}

int bpfbox_object_load(struct bpfbox_object *obj,
		       const struct bpfbox_load_opts *opts)
{
	int err;

	if (obj->loaded)
		return bb_err(EBUSY, "%s: object was loaded already (open it again to reload)",
			      obj->path);
	/* relocation rewrites instructions: one attempt per open */
	obj->loaded = true;
	if (opts && opts->sz > offsetof(struct bpfbox_load_opts, btf_path))
		obj->core_btf_path = opts->btf_path;
	err = bb_object_resolve_attach_btf(obj);
	if (!err)
		err = bb_object_resolve_kconfig(obj);
	if (!err)
		err = bb_object_resolve_ksyms(obj);
	if (!err)
		err = load_btf(obj);
	if (!err)
		err = bb_object_create_maps(obj);
	if (!err)
		err = bb_object_fill_map_slots(obj);
	if (!err)
		err = bb_object_relocate_core(obj);
	if (!err)
		err = bb_object_relocate(obj);
	if (!err)
		err = load_progs(obj, opts);
	if (!err)
		err = bb_object_fill_prog_slots(obj);
	if (err)
		unload(obj);
	/* the kernel's BTF is needed only while loading */
	bb_btf_free(obj->kernel_btf);
	obj->kernel_btf = NULL;
	obj->core_btf_path = NULL;
	return err;
}
