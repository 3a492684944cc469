// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox link: show, pin and detach BPF links, in bpftool's words and
 * layout (link.c there), so that `bpfbox link` and `bpftool link` can
 * be read and parsed alike.
 *
 * struct bpf_link_info grew after the 6.1 UAPI header we build against
 * (perf_event in 6.6, tcx, netkit, sockmap): the later members are laid
 * out here from the kernel's UAPI, and the whole union is passed, zero
 * filled, so that older kernels accept it too.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bpfbox.h"
#include "cli.h"
#include "link.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* enum bpf_perf_event_type (6.6) */
enum { PE_UNSPEC, PE_UPROBE, PE_URETPROBE, PE_KPROBE, PE_KRETPROBE,
       PE_TRACEPOINT, PE_EVENT };

/* link types after BPF_LINK_TYPE_STRUCT_OPS (9) */
#define LT_NETFILTER	10
#define LT_TCX		11
#define LT_UPROBE_MULTI	12
#define LT_NETKIT	13
#define LT_SOCKMAP	14

struct perf_ev_info {
	uint32_t type;
	uint32_t pad;
	union {
		struct {
			uint64_t file_name;
			uint32_t name_len;
			uint32_t offset;
		} uprobe;
		struct {
			uint64_t func_name;
			uint32_t name_len;
			uint32_t offset;
			uint64_t addr;
			uint64_t missed;
		} kprobe;
		struct {
			uint64_t tp_name;
			uint32_t name_len;
		} tracepoint;
		struct {
			uint64_t config;
			uint32_t type;
		} event;
	};
};

/* the header of struct bpf_link_info, then its union at offset 16 */
union link_info {
	struct bpf_link_info b;
	struct {
		uint32_t type, id, prog_id, pad;
		union {
			struct perf_ev_info perf_event;
			struct {
				uint32_t ifindex, attach_type;
			} tcx;	/* and netkit */
			struct {
				uint32_t map_id, attach_type;
			} sockmap;
			struct {
				uint32_t map_id;
			} struct_ops;
			struct {
				uint32_t pf, hooknum;
				int32_t priority;
				uint32_t flags;
			} netfilter;
			struct {
				uint64_t addrs;
				uint32_t count, flags;
			} kprobe_multi;
		};
	} x;
	uint8_t room[256];
};
_Static_assert(offsetof(union link_info, x.perf_event) ==
	       offsetof(struct bpf_link_info, raw_tracepoint),
	       "bpf_link_info union offset");

static const char *const link_type_names[] = {
	[BPF_LINK_TYPE_UNSPEC]		= "unspec",
	[BPF_LINK_TYPE_RAW_TRACEPOINT]	= "raw_tracepoint",
	[BPF_LINK_TYPE_TRACING]		= "tracing",
	[BPF_LINK_TYPE_CGROUP]		= "cgroup",
	[BPF_LINK_TYPE_ITER]		= "iter",
	[BPF_LINK_TYPE_NETNS]		= "netns",
	[BPF_LINK_TYPE_XDP]		= "xdp",
	[BPF_LINK_TYPE_PERF_EVENT]	= "perf_event",
	[BPF_LINK_TYPE_KPROBE_MULTI]	= "kprobe_multi",
	[BPF_LINK_TYPE_STRUCT_OPS]	= "struct_ops",
	[LT_NETFILTER]			= "netfilter",
	[LT_TCX]			= "tcx",
	[LT_UPROBE_MULTI]		= "uprobe_multi",
	[LT_NETKIT]			= "netkit",
	[LT_SOCKMAP]			= "sockmap",
};

static const char *link_type_name(uint32_t type)
{
	return type < ARRAY_SIZE(link_type_names) ? link_type_names[type] :
						    NULL;
}

static const char *const perf_type_names[] = {
	[PERF_TYPE_HARDWARE]	= "hardware",
	[PERF_TYPE_SOFTWARE]	= "software",
	[PERF_TYPE_TRACEPOINT]	= "tracepoint",
	[PERF_TYPE_HW_CACHE]	= "hw-cache",
	[PERF_TYPE_RAW]		= "raw",
	[PERF_TYPE_BREAKPOINT]	= "breakpoint",
};

static const char *const hw_names[] = {
	[PERF_COUNT_HW_CPU_CYCLES]		= "cpu-cycles",
	[PERF_COUNT_HW_INSTRUCTIONS]		= "instructions",
	[PERF_COUNT_HW_CACHE_REFERENCES]	= "cache-references",
	[PERF_COUNT_HW_CACHE_MISSES]		= "cache-misses",
	[PERF_COUNT_HW_BRANCH_INSTRUCTIONS]	= "branch-instructions",
	[PERF_COUNT_HW_BRANCH_MISSES]		= "branch-misses",
	[PERF_COUNT_HW_BUS_CYCLES]		= "bus-cycles",
	[PERF_COUNT_HW_STALLED_CYCLES_FRONTEND]	= "stalled-cycles-frontend",
	[PERF_COUNT_HW_STALLED_CYCLES_BACKEND]	= "stalled-cycles-backend",
	[PERF_COUNT_HW_REF_CPU_CYCLES]		= "ref-cycles",
};

static const char *const sw_names[] = {
	[PERF_COUNT_SW_CPU_CLOCK]		= "cpu-clock",
	[PERF_COUNT_SW_TASK_CLOCK]		= "task-clock",
	[PERF_COUNT_SW_PAGE_FAULTS]		= "page-faults",
	[PERF_COUNT_SW_CONTEXT_SWITCHES]	= "context-switches",
	[PERF_COUNT_SW_CPU_MIGRATIONS]		= "cpu-migrations",
	[PERF_COUNT_SW_PAGE_FAULTS_MIN]		= "minor-faults",
	[PERF_COUNT_SW_PAGE_FAULTS_MAJ]		= "major-faults",
	[PERF_COUNT_SW_ALIGNMENT_FAULTS]	= "alignment-faults",
	[PERF_COUNT_SW_EMULATION_FAULTS]	= "emulation-faults",
	[PERF_COUNT_SW_DUMMY]			= "dummy",
	[PERF_COUNT_SW_BPF_OUTPUT]		= "bpf-output",
	[11]					= "cgroup-switches",
};

#define NAME_OF(tab, i) ((uint64_t)(i) < ARRAY_SIZE(tab) ? (tab)[i] : NULL)

static const char *perf_config_name(uint32_t type, uint64_t config)
{
	if (type == PERF_TYPE_HARDWARE)
		return NAME_OF(hw_names, config);
	if (type == PERF_TYPE_SOFTWARE)
		return NAME_OF(sw_names, config);
	return NULL;
}

static const char *str_of(uint64_t p)
{
	return p ? (const char *)(uintptr_t)p : "";
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfbox link { show | list } [LINK]\n"
		"       bpfbox link pin LINK FILE\n"
		"       bpfbox link detach LINK\n"
		"       bpfbox link help\n"
		"\n"
		"       LINK := { id LINK_ID | pinned FILE }\n"
		"       OPTIONS := { {-j|--json} [{-p|--pretty}] }\n"
		"\n"
		"       Links are made by 'bpfbox prog attach PROG TARGET --pin FILE'\n"
		"       and 'bpfbox iter pin OBJ FILE'.\n");
}

static int do_help(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	usage(stdout);
	return CLI_OK;
}

static int usage_err(const char *what, const char *got)
{
	cli_usage("%s%s%s%s", what, got ? ", got '" : "", got ? got : "",
		  got ? "'" : "");
	fprintf(stderr, "see 'bpfbox link help'\n");
	return CLI_USAGE;
}

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */

int link_check_pin_path(const char *path)
{
	char mnt[PATH_MAX];
	int r;

	if (bpfbox_bpffs_path(mnt, sizeof(mnt)))
		return cli_fail_err(-EPERM, "%s", bpfbox_errmsg());
	r = bpfbox_path_is_bpffs(path);
	if (r < 0)
		return cli_fail_err(r, "%s", bpfbox_errmsg());
	if (!r)
		return cli_fail_err(-EINVAL, "%s is not on a bpf filesystem: links can only be pinned under one (bpffs is mounted at %s)",
				    path, mnt);
	return 0;
}

uint32_t link_id_of_fd(int fd)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpfbox_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

static bool is_link_fd(int fd)
{
	char path[64], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	/* older kernels name the inode "bpf_link", newer ones (6.18) "bpf-link" */
	return !strcmp(buf, "anon_inode:bpf_link") ||
	       !strcmp(buf, "anon_inode:bpf-link");
}

/* LINK := id N | pinned FILE; consumes two words; fd or -errno */
static int link_fd(int *argc, char ***argv)
{
	const char *kw, *arg;
	uint32_t id;
	int fd;

	if (*argc < 2) {
		cli_usage("expected LINK := { id LINK_ID | pinned FILE }%s%s%s",
			  *argc ? ", got '" : "", *argc ? (*argv)[0] : "",
			  *argc ? "'" : "");
		return -CLI_EUSAGE;
	}
	kw = (*argv)[0];
	arg = (*argv)[1];
	if (cli_is_prefix(kw, "id")) {
		if (cli_parse_u32(arg, &id)) {
			cli_usage("expected a link id after 'id', got '%s'", arg);
			return -CLI_EUSAGE;
		}
		fd = bpfbox_link_get_fd_by_id(id);
		if (fd == -ENOENT)
			cli_fail("no link with id %u", id);
		else if (fd < 0)
			cli_fail("cannot open link id %u: %s", id,
				 strerror(-fd));
	} else if (cli_is_prefix(kw, "pinned")) {
		fd = bpfbox_obj_get(arg);
		if (fd < 0) {
			cli_fail("cannot open pinned object %s: %s", arg,
				 strerror(-fd));
		} else if (!is_link_fd(fd)) {
			cli_fail("%s is not a link", arg);
			close(fd);
			fd = -EINVAL;
		}
	} else {
		cli_usage("expected 'id' or 'pinned' to select a link, got '%s'",
			  kw);
		return -CLI_EUSAGE;
	}
	if (fd >= 0) {
		*argc -= 2;
		*argv += 2;
	}
	return fd;
}

/* ------------------------------------------------------------------ */
/* Info                                                                */

/* the buffer the kernel copies a name into, for this link's type */
static void set_name_buf(union link_info *li, char *buf, uint32_t len)
{
	uint64_t p = (uint64_t)(uintptr_t)buf;

	switch (li->b.type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		li->b.raw_tracepoint.tp_name = p;
		li->b.raw_tracepoint.tp_name_len = len;
		break;
	case BPF_LINK_TYPE_ITER:
		li->b.iter.target_name = p;
		li->b.iter.target_name_len = len;
		break;
	case BPF_LINK_TYPE_PERF_EVENT:
		switch (li->x.perf_event.type) {
		case PE_UPROBE:
		case PE_URETPROBE:
			li->x.perf_event.uprobe.file_name = p;
			li->x.perf_event.uprobe.name_len = len;
			break;
		case PE_KPROBE:
		case PE_KRETPROBE:
			li->x.perf_event.kprobe.func_name = p;
			li->x.perf_event.kprobe.name_len = len;
			break;
		case PE_TRACEPOINT:
			li->x.perf_event.tracepoint.tp_name = p;
			li->x.perf_event.tracepoint.name_len = len;
			break;
		}
		break;
	}
}

/*
 * Two calls: the first says the type, the second fills the name. The
 * kernel's names end in NUL, but the buffer is terminated anyway.
 */
static int get_link_info(int fd, union link_info *li, char *buf, size_t len)
{
	uint32_t n = sizeof(*li);
	int err;

	memset(li, 0, sizeof(*li));
	err = bpfbox_obj_get_info_by_fd(fd, li, &n);
	if (err)
		return err;
	memset(buf, 0, len);
	set_name_buf(li, buf, len - 1);
	n = sizeof(*li);
	err = bpfbox_obj_get_info_by_fd(fd, li, &n);
	buf[len - 1] = '\0';
	return err;
}

static uint32_t prog_type_of(uint32_t prog_id)
{
	struct bpf_prog_info info;
	int fd = bpfbox_prog_get_fd_by_id(prog_id);
	uint32_t type = 0;

	if (fd < 0)
		return 0;
	if (!cli_prog_info(fd, &info))
		type = info.type;
	close(fd);
	return type;
}

static bool is_iter_map_target(const char *t)
{
	return !strcmp(t, "bpf_map_elem") || !strcmp(t, "bpf_sk_storage_map");
}

static bool is_iter_task_target(const char *t)
{
	return !strcmp(t, "task") || !strcmp(t, "task_file") ||
	       !strcmp(t, "task_vma");
}

/* ------------------------------------------------------------------ */
/* show, plain                                                         */

static void attach_type_plain(uint32_t type)
{
	const char *s = bpfbox_attach_type_name(type);

	if (s)
		printf("attach_type %s  ", s);
	else
		printf("attach_type %u  ", type);
}

static void ifindex_plain(uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	if (!ifindex)
		printf("ifindex (detached)  ");
	else if (if_indextoname(ifindex, name))
		printf("ifindex %s(%u)  ", name, ifindex);
	else
		printf("ifindex (unknown)  ");
}

static void perf_event_plain(const union link_info *li)
{
	const struct perf_ev_info *pe = &li->x.perf_event;
	const char *s;

	switch (pe->type) {
	case PE_TRACEPOINT:
		s = str_of(pe->tracepoint.tp_name);
		if (*s) {
			fputs("\n\ttracepoint ", stdout);
			cli_fputs_safe(stdout, s);
			fputs("  ", stdout);
		}
		break;
	case PE_UPROBE:
	case PE_URETPROBE:
		s = str_of(pe->uprobe.file_name);
		if (*s) {
			printf("\n\t%s ", pe->type == PE_URETPROBE ?
			       "uretprobe" : "uprobe");
			cli_fputs_safe(stdout, s);
			printf("+%#x  ", pe->uprobe.offset);
		}
		break;
	case PE_KPROBE:
	case PE_KRETPROBE:
		s = str_of(pe->kprobe.func_name);
		if (!*s && !pe->kprobe.addr)
			break;
		printf("\n\t%s ", pe->type == PE_KRETPROBE ?
		       "kretprobe" : "kprobe");
		if (pe->kprobe.addr)
			printf("%llx ", (unsigned long long)pe->kprobe.addr);
		cli_fputs_safe(stdout, s);
		if (pe->kprobe.offset)
			printf("+%#x", pe->kprobe.offset);
		printf("  ");
		break;
	case PE_EVENT:
		s = NAME_OF(perf_type_names, pe->event.type);
		fputs("\n\tevent ", stdout);
		if (s)
			printf("%s:", s);
		else
			printf("%u :", pe->event.type);
		s = perf_config_name(pe->event.type, pe->event.config);
		if (s)
			printf("%s  ", s);
		else
			printf("%llu  ", (unsigned long long)pe->event.config);
		break;
	}
}

static void iter_plain(const union link_info *li)
{
	const char *t = str_of(li->b.iter.target_name);

	fputs("target_name ", stdout);
	cli_fputs_safe(stdout, t);
	fputs("  ", stdout);
	if (is_iter_map_target(t))
		printf("map_id %u  ", li->b.iter.map.map_id);
	else if (is_iter_task_target(t) && li->b.iter.task.tid)
		printf("tid %u ", li->b.iter.task.tid);
	else if (is_iter_task_target(t) && li->b.iter.task.pid)
		printf("pid %u ", li->b.iter.task.pid);
}

static void show_plain(const union link_info *li, const struct cli_pids *refs)
{
	const char *type = link_type_name(li->b.type);
	const char *s;

	printf("%u: ", li->b.id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", li->b.type);
	if (li->b.type == BPF_LINK_TYPE_STRUCT_OPS)
		printf("map %u  ", li->x.struct_ops.map_id);
	else
		printf("prog %u  ", li->b.prog_id);

	switch (li->b.type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		fputs("\n\ttp '", stdout);
		cli_fputs_safe(stdout, str_of(li->b.raw_tracepoint.tp_name));
		fputs("'  ", stdout);
		break;
	case BPF_LINK_TYPE_TRACING:
		s = bpfbox_prog_type_name(prog_type_of(li->b.prog_id));
		printf("\n\tprog_type %s  ", s ? s : "unknown");
		attach_type_plain(li->b.tracing.attach_type);
		if (li->b.tracing.target_obj_id || li->b.tracing.target_btf_id)
			printf("\n\ttarget_obj_id %u  target_btf_id %u  ",
			       li->b.tracing.target_obj_id,
			       li->b.tracing.target_btf_id);
		break;
	case BPF_LINK_TYPE_CGROUP:
		printf("\n\tcgroup_id %llu  ",
		       (unsigned long long)li->b.cgroup.cgroup_id);
		attach_type_plain(li->b.cgroup.attach_type);
		break;
	case BPF_LINK_TYPE_ITER:
		iter_plain(li);
		break;
	case BPF_LINK_TYPE_NETNS:
		printf("\n\tnetns_ino %u  ", li->b.netns.netns_ino);
		attach_type_plain(li->b.netns.attach_type);
		break;
	case BPF_LINK_TYPE_XDP:
		fputs("\n\t", stdout);
		ifindex_plain(li->b.xdp.ifindex);
		break;
	case LT_TCX:
	case LT_NETKIT:
		fputs("\n\t", stdout);
		ifindex_plain(li->x.tcx.ifindex);
		attach_type_plain(li->x.tcx.attach_type);
		break;
	case LT_SOCKMAP:
		printf("\n\tmap_id %u  ", li->x.sockmap.map_id);
		attach_type_plain(li->x.sockmap.attach_type);
		break;
	case BPF_LINK_TYPE_KPROBE_MULTI:
		if (li->x.kprobe_multi.count)
			printf("\n\t%s  func_cnt %u  ",
			       li->x.kprobe_multi.flags & 1 ?
			       "kretprobe.multi" : "kprobe.multi",
			       li->x.kprobe_multi.count);
		break;
	case BPF_LINK_TYPE_PERF_EVENT:
		perf_event_plain(li);
		break;
	}
	cli_pids_plain(refs, li->b.id);
	printf("\n");
}

/* ------------------------------------------------------------------ */
/* show, JSON                                                          */

static void attach_type_json(struct jw *jw, uint32_t type)
{
	const char *s = bpfbox_attach_type_name(type);

	if (s)
		jw_kv_string(jw, "attach_type", s);
	else
		jw_kv_uint(jw, "attach_type", type);
}

static void ifindex_json(struct jw *jw, uint32_t ifindex)
{
	char name[IF_NAMESIZE] = "(unknown)";

	if (!ifindex)
		snprintf(name, sizeof(name), "(detached)");
	else if (!if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "(unknown)");
	jw_kv_string(jw, "devname", name);
	jw_kv_uint(jw, "ifindex", ifindex);
}

static void perf_event_json(struct jw *jw, const union link_info *li)
{
	const struct perf_ev_info *pe = &li->x.perf_event;
	const char *s;

	switch (pe->type) {
	case PE_TRACEPOINT:
		jw_kv_string(jw, "tracepoint", str_of(pe->tracepoint.tp_name));
		break;
	case PE_UPROBE:
	case PE_URETPROBE:
		jw_kv_bool(jw, "retprobe", pe->type == PE_URETPROBE);
		jw_kv_string(jw, "file", str_of(pe->uprobe.file_name));
		jw_kv_uint(jw, "offset", pe->uprobe.offset);
		break;
	case PE_KPROBE:
	case PE_KRETPROBE:
		jw_kv_bool(jw, "retprobe", pe->type == PE_KRETPROBE);
		jw_kv_uint(jw, "addr", pe->kprobe.addr);
		jw_kv_string(jw, "func", str_of(pe->kprobe.func_name));
		jw_kv_uint(jw, "offset", pe->kprobe.offset);
		break;
	case PE_EVENT:
		s = NAME_OF(perf_type_names, pe->event.type);
		if (s)
			jw_kv_string(jw, "event_type", s);
		else
			jw_kv_uint(jw, "event_type", pe->event.type);
		s = perf_config_name(pe->event.type, pe->event.config);
		if (s)
			jw_kv_string(jw, "event_config", s);
		else
			jw_kv_uint(jw, "event_config", pe->event.config);
		break;
	}
}

static void iter_json(struct jw *jw, const union link_info *li)
{
	const char *t = str_of(li->b.iter.target_name);

	jw_kv_string(jw, "target_name", t);
	if (is_iter_map_target(t))
		jw_kv_uint(jw, "map_id", li->b.iter.map.map_id);
	else if (is_iter_task_target(t) && li->b.iter.task.tid)
		jw_kv_uint(jw, "tid", li->b.iter.task.tid);
	else if (is_iter_task_target(t) && li->b.iter.task.pid)
		jw_kv_uint(jw, "pid", li->b.iter.task.pid);
}

static void show_json(struct jw *jw, const union link_info *li,
		      const struct cli_pids *refs)
{
	const char *type = link_type_name(li->b.type);
	const char *s;
	uint32_t ptype;

	jw_start_object(jw);
	jw_kv_uint(jw, "id", li->b.id);
	if (type)
		jw_kv_string(jw, "type", type);
	else
		jw_kv_uint(jw, "type", li->b.type);
	jw_kv_uint(jw, "prog_id", li->b.prog_id);
	switch (li->b.type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		jw_kv_string(jw, "tp_name",
			     str_of(li->b.raw_tracepoint.tp_name));
		break;
	case BPF_LINK_TYPE_TRACING:
		ptype = prog_type_of(li->b.prog_id);
		s = bpfbox_prog_type_name(ptype);
		if (s)
			jw_kv_string(jw, "prog_type", s);
		else
			jw_kv_uint(jw, "prog_type", ptype);
		attach_type_json(jw, li->b.tracing.attach_type);
		jw_kv_uint(jw, "target_obj_id", li->b.tracing.target_obj_id);
		jw_kv_uint(jw, "target_btf_id", li->b.tracing.target_btf_id);
		break;
	case BPF_LINK_TYPE_CGROUP:
		jw_kv_uint(jw, "cgroup_id", li->b.cgroup.cgroup_id);
		attach_type_json(jw, li->b.cgroup.attach_type);
		break;
	case BPF_LINK_TYPE_ITER:
		iter_json(jw, li);
		break;
	case BPF_LINK_TYPE_NETNS:
		jw_kv_uint(jw, "netns_ino", li->b.netns.netns_ino);
		attach_type_json(jw, li->b.netns.attach_type);
		break;
	case BPF_LINK_TYPE_XDP:
		ifindex_json(jw, li->b.xdp.ifindex);
		break;
	case LT_TCX:
	case LT_NETKIT:
		ifindex_json(jw, li->x.tcx.ifindex);
		attach_type_json(jw, li->x.tcx.attach_type);
		break;
	case LT_SOCKMAP:
		jw_kv_uint(jw, "map_id", li->x.sockmap.map_id);
		attach_type_json(jw, li->x.sockmap.attach_type);
		break;
	case BPF_LINK_TYPE_STRUCT_OPS:
		jw_kv_uint(jw, "map_id", li->x.struct_ops.map_id);
		break;
	case BPF_LINK_TYPE_KPROBE_MULTI:
		jw_kv_bool(jw, "retprobe", li->x.kprobe_multi.flags & 1);
		jw_kv_uint(jw, "func_cnt", li->x.kprobe_multi.count);
		break;
	case BPF_LINK_TYPE_PERF_EVENT:
		perf_event_json(jw, li);
		break;
	}
	cli_pids_json(jw, refs, li->b.id);
	jw_end_object(jw);
}

static int show_fd(struct jw *jw, int fd, const struct cli_pids *refs)
{
	union link_info li;
	char name[PATH_MAX];
	int err;

	err = get_link_info(fd, &li, name, sizeof(name));
	if (err) {
		cli_fail("cannot get link info: %s", strerror(-err));
		return err;
	}
	if (jw)
		show_json(jw, &li, refs);
	else
		show_plain(&li, refs);
	return 0;
}

struct show_arg {
	struct jw *jw;
	const struct cli_pids *refs;
};

static int show_each(int fd, void *arg)
{
	const struct show_arg *a = arg;

	return show_fd(a->jw, fd, a->refs);
}

static int show_all(struct jw *jw, const struct cli_pids *refs)
{
	struct show_arg a = { jw, refs };

	return cli_walk_ids("link", bpfbox_link_get_next_id,
			    bpfbox_link_get_fd_by_id, show_each, &a);
}

static int do_show(struct cli *cli, int argc, char **argv)
{
	struct cli_pids refs = { 0 };
	struct jw *jw = NULL;
	int fd = -1, err;

	if (argc && cli_is_help(argv[0]))
		return do_help(cli, argc, argv);
	if (argc > 2)
		return usage_err("expected nothing after LINK", argv[2]);
	if (argc) {
		fd = link_fd(&argc, &argv);
		if (fd < 0)
			return cli_exit_code(fd);
	}
	cli_pids_build(&refs, "bpf_link", "link_id");	/* before 6.x */
	cli_pids_build(&refs, "bpf-link", "link_id");
	if (cli->json) {
		jw = jw_new(stdout, cli->pretty);
		if (!jw) {
			err = -ENOMEM;
			cli_fail("out of memory");
			goto out;
		}
	}
	/* as bpftool: one object for one link, an array for all */
	if (fd >= 0) {
		err = show_fd(jw, fd, &refs);
	} else {
		if (jw)
			jw_start_array(jw);
		err = show_all(jw, &refs);
		if (jw)
			jw_end_array(jw);
	}
	jw_free(jw);
out:
	if (fd >= 0)
		close(fd);
	cli_pids_free(&refs);
	return err ? CLI_FAIL : CLI_OK;
}

/* ------------------------------------------------------------------ */
/* pin, detach                                                         */

static void print_null(const struct cli *cli)
{
	if (cli->json)
		printf("null\n");
}

static int do_pin(struct cli *cli, int argc, char **argv)
{
	const char *path;
	int fd, err;

	if (argc && cli_is_help(argv[0]))
		return do_help(cli, argc, argv);
	if (argc != 3)
		return usage_err("expected LINK FILE", argc > 3 ? argv[3] : NULL);
	path = argv[2];
	fd = link_fd(&argc, &argv);
	if (fd < 0)
		return cli_exit_code(fd);
	err = link_check_pin_path(path);
	if (!err) {
		err = bpfbox_obj_pin(fd, path);
		if (err == -EEXIST)
			cli_fail("cannot pin at %s: something is already pinned there",
				 path);
		else if (err)
			cli_fail("cannot pin at %s: %s", path, strerror(-err));
	}
	close(fd);
	if (err)
		return CLI_FAIL;
	print_null(cli);
	return CLI_OK;
}

static int do_detach(struct cli *cli, int argc, char **argv)
{
	union link_info li;
	char name[256];
	const char *type;
	int fd, err;

	if (argc && cli_is_help(argv[0]))
		return do_help(cli, argc, argv);
	if (argc != 2)
		return usage_err("expected LINK := { id LINK_ID | pinned FILE }",
				 argc > 2 ? argv[2] : NULL);
	fd = link_fd(&argc, &argv);
	if (fd < 0)
		return cli_exit_code(fd);
	err = bpfbox_link_detach(fd);
	if (err) {
		if (get_link_info(fd, &li, name, sizeof(name)))
			memset(&li, 0, sizeof(li));
		type = link_type_name(li.b.type);
		if (err == -EOPNOTSUPP)
			cli_fail("link %u (%s): the kernel cannot detach links of this type; remove its pins and end the processes holding it ('bpfbox link show' lists their pids)",
				 li.b.id, type ? type : "unknown type");
		else
			cli_fail("detaching link %u (%s): %s", li.b.id,
				 type ? type : "unknown type", strerror(-err));
	}
	close(fd);
	if (err)
		return CLI_FAIL;
	print_null(cli);
	return CLI_OK;
}

static const struct cli_cmd verbs[] = {
	{ "show",	do_show,	"list links" },
	{ "list",	do_show,	"same as show" },
	{ "help",	do_help,	"this text" },
	{ "pin",	do_pin,		"pin a link on bpffs" },
	{ "detach",	do_detach,	"detach a link (its pins stay, defunct)" },
	{ NULL },
};

int cmd_link(struct cli *cli, int argc, char **argv)
{
	return cli_select(cli, "link", verbs, argc, argv);
}
