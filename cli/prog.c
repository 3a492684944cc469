// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox prog: help, show and the verb table (dump xlated is in
 * prog_dump.c, pin/load/loadall in prog_load.c).
 *
 * Text and JSON follow bpftool's prog.c and xlated_dumper.c closely
 * enough that the output of both can be diffed for the same program:
 * same field names, same order, same spacing.
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

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bpfbox prog { show | list } [PROG]\n"
		"       bpfbox prog dump xlated PROG [{ file FILE | opcodes | linum }]\n"
		"       bpfbox prog pin PROG FILE\n"
		"       bpfbox prog { load | loadall } OBJ PATH [--only PROG_NAME]... \\\n"
		"                         [pinmaps MAP_DIR]\n"
		"       bpfbox prog attach PROG TARGET [--pin LINK] [--cookie N] [--pid N]\n"
		"       bpfbox prog { attach | detach } PROG ATTACH_TYPE [MAP]\n"
		"       bpfbox prog tracelog\n"
		"       bpfbox prog help\n"
		"\n"
		"       PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }\n"
		"       OPTIONS := { {-j|--json} [{-p|--pretty}] | --verifier-log FILE }\n"
		"\n"
		"       load pins the first program at PATH, loadall every program\n"
		"       at PATH/NAME; --only loads just the programs named.\n"
		"       TARGET is written as in SEC(): tp/sched/sched_switch,\n"
		"       raw_tp/sys_enter, uprobe/BINARY:FUNC, perf_event/cpu-clock,\n"
		"       iter/task, ...; with --pin the link is pinned at LINK, else\n"
		"       the program stays attached until Ctrl-C (or SIGTERM/SIGHUP).\n"
		"       ATTACH_TYPE := { sk_msg_verdict | sk_skb_verdict |\n"
		"                        sk_skb_stream_verdict | sk_skb_stream_parser |\n"
		"                        flow_dissector }\n");
}

int prog_help(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	usage(stdout);
	return CLI_OK;
}

int prog_usage_err(const char *what, const char *got)
{
	cli_usage("%s%s%s%s", what, got ? ", got '" : "", got ? got : "",
		  got ? "'" : "");
	fprintf(stderr, "see 'bpfbox prog help'\n");
	return CLI_USAGE;
}

bool prog_wants_help(int argc, char **argv)
{
	return argc && cli_is_help(argv[0]);
}


/* ------------------------------------------------------------------ */
/* show                                                                */

/* load_time is nanoseconds since boot; bpftool shows the wall clock */
static time_t boot_to_wall(uint64_t ns)
{
	struct timespec rt, bt;

	if (clock_gettime(CLOCK_REALTIME, &rt) ||
	    clock_gettime(CLOCK_BOOTTIME, &bt))
		return ns / 1000000000;
	return (rt.tv_sec - bt.tv_sec) +
	       (rt.tv_nsec - bt.tv_nsec + (long long)ns) / 1000000000;
}

static int prog_map_ids(int fd, uint32_t nr, uint32_t **ids)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int err;

	*ids = calloc(nr, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = nr;
	info.map_ids = (uint64_t)(uintptr_t)*ids;
	err = bpfbox_obj_get_info_by_fd(fd, &info, &len);
	if (err) {
		free(*ids);
		*ids = NULL;
		return err;
	}
	return info.nr_map_ids < nr ? (int)info.nr_map_ids : (int)nr;
}

/* the netns of an offloaded program's device is ours: name it */
static bool ifname_here(uint32_t ifindex, uint64_t ns_dev, uint64_t ns_ino,
			char *name)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) || st.st_dev != ns_dev ||
	    st.st_ino != ns_ino)
		return false;
	return if_indextoname(ifindex, name) != NULL;
}

static void tag_str(const uint8_t *tag, char *buf)
{
	int i;

	for (i = 0; i < BPF_TAG_SIZE; i++)
		sprintf(buf + 2 * i, "%02x", tag[i]);
}

/* the first line of show: "ID: TYPE  name NAME  tag TAG  gpl" */
void prog_header_plain(const struct bpf_prog_info *info, int fd)
{
	const char *type = bpfbox_prog_type_name(info->type);
	char name[256], tag[2 * BPF_TAG_SIZE + 1], ifname[IF_NAMESIZE];

	printf("%u: ", info->id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", info->type);
	if (info->name[0]) {
		cli_prog_full_name(info, fd, name, sizeof(name));
		fputs("name ", stdout);
		cli_fputs_safe(stdout, name);
		fputs("  ", stdout);
	}
	tag_str(info->tag, tag);
	printf("tag %s", tag);
	if (info->ifindex) {
		if (ifname_here(info->ifindex, info->netns_dev,
				info->netns_ino, ifname))
			printf("  offloaded_to %s", ifname);
		else
			printf("  offloaded_to ifindex %u ns_dev %llu "
			       "ns_ino %llu", info->ifindex,
			       (unsigned long long)info->netns_dev,
			       (unsigned long long)info->netns_ino);
	}
	printf("%s", info->gpl_compatible ? "  gpl" : "");
	if (info->run_time_ns)
		printf(" run_time_ns %llu run_cnt %llu",
		       (unsigned long long)info->run_time_ns,
		       (unsigned long long)info->run_cnt);
	if (info->recursion_misses)
		printf(" recursion_misses %llu",
		       (unsigned long long)info->recursion_misses);
	printf("\n");
}

static void show_plain(const struct bpf_prog_info *info, int fd,
		       const struct cli_pids *refs)
{
	char buf[64];
	uint32_t *ids;
	struct tm tm;
	time_t t;
	int i, n;

	prog_header_plain(info, fd);
	if (info->load_time) {
		t = boot_to_wall(info->load_time);
		if (localtime_r(&t, &tm))
			strftime(buf, sizeof(buf), "%FT%T%z", &tm);
		else
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)
				 info->load_time / 1000000000);
		printf("\tloaded_at %s  uid %u\n", buf, info->created_by_uid);
	}

	printf("\txlated %uB", info->xlated_prog_len);
	if (info->jited_prog_len)
		printf("  jited %uB", info->jited_prog_len);
	else
		printf("  not jited");
	if (cli_self_fdinfo(fd, "memlock", buf, sizeof(buf)))
		printf("  memlock %sB", buf);
	if (info->nr_map_ids) {
		n = prog_map_ids(fd, info->nr_map_ids, &ids);
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : "  map_ids ", ids[i]);
		free(ids);
	}
	if (info->btf_id)
		printf("\n\tbtf_id %u", info->btf_id);
	cli_pids_plain(refs, info->id);
	printf("\n");
}

void prog_header_json(struct jw *jw, const struct bpf_prog_info *info,
			int fd)
{
	const char *type = bpfbox_prog_type_name(info->type);
	char name[256], tag[2 * BPF_TAG_SIZE + 1];

	jw_kv_uint(jw, "id", info->id);
	if (type)
		jw_kv_string(jw, "type", type);
	else
		jw_kv_uint(jw, "type", info->type);
	if (info->name[0]) {
		cli_prog_full_name(info, fd, name, sizeof(name));
		jw_kv_string(jw, "name", name);
	}
	tag_str(info->tag, tag);
	jw_kv_string(jw, "tag", tag);
	jw_kv_bool(jw, "gpl_compatible", info->gpl_compatible);
	if (info->run_time_ns) {
		jw_kv_uint(jw, "run_time_ns", info->run_time_ns);
		jw_kv_uint(jw, "run_cnt", info->run_cnt);
	}
	if (info->recursion_misses)
		jw_kv_uint(jw, "recursion_misses", info->recursion_misses);
}

static void dev_json(struct jw *jw, const struct bpf_prog_info *info)
{
	char ifname[IF_NAMESIZE];

	if (!info->ifindex)
		return;
	jw_name(jw, "dev");
	jw_start_object(jw);
	jw_kv_uint(jw, "ifindex", info->ifindex);
	jw_kv_uint(jw, "ns_dev", info->netns_dev);
	jw_kv_uint(jw, "ns_inode", info->netns_ino);
	if (ifname_here(info->ifindex, info->netns_dev, info->netns_ino,
			ifname))
		jw_kv_string(jw, "ifname", ifname);
	jw_end_object(jw);
}

static void show_json(struct jw *jw, const struct bpf_prog_info *info,
		      int fd, const struct cli_pids *refs)
{
	char buf[64];
	uint32_t *ids;
	int i, n;

	jw_start_object(jw);
	prog_header_json(jw, info, fd);
	dev_json(jw, info);
	if (info->load_time) {
		jw_kv_int(jw, "loaded_at", boot_to_wall(info->load_time));
		jw_kv_uint(jw, "uid", info->created_by_uid);
	}
	jw_kv_uint(jw, "bytes_xlated", info->xlated_prog_len);
	jw_kv_bool(jw, "jited", info->jited_prog_len);
	if (info->jited_prog_len)
		jw_kv_uint(jw, "bytes_jited", info->jited_prog_len);
	if (cli_self_fdinfo(fd, "memlock", buf, sizeof(buf)))
		jw_kv_int(jw, "bytes_memlock", atoll(buf));
	if (info->nr_map_ids) {
		n = prog_map_ids(fd, info->nr_map_ids, &ids);
		jw_name(jw, "map_ids");
		jw_start_array(jw);
		for (i = 0; i < n; i++)
			jw_uint(jw, ids[i]);
		jw_end_array(jw);
		free(ids);
	}
	if (info->btf_id)
		jw_kv_int(jw, "btf_id", info->btf_id);
	cli_pids_json(jw, refs, info->id);
	jw_end_object(jw);
}

static int show_fd(struct jw *jw, int fd, const struct cli_pids *refs)
{
	struct bpf_prog_info info;
	int err;

	err = cli_prog_info(fd, &info);
	if (err) {
		cli_fail("cannot get program info: %s", strerror(-err));
		return err;
	}
	if (jw)
		show_json(jw, &info, fd, refs);
	else
		show_plain(&info, fd, refs);
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

	return cli_walk_ids("program", bpfbox_prog_get_next_id,
			    bpfbox_prog_get_fd_by_id, show_each, &a);
}

static int do_show(struct cli *cli, int argc, char **argv)
{
	struct cli_pids refs = { 0 };
	struct jw *jw = NULL;
	int *fds = NULL, n = 0, i, err = 0;

	if (prog_wants_help(argc, argv))
		return prog_help(cli, argc, argv);
	if (argc > PROG_WORDS)
		return prog_usage_err("expected nothing after PROG",
				 argv[PROG_WORDS]);
	if (argc) {
		n = cli_prog_fds(&argc, &argv, &fds);
		if (n < 0)
			return cli_exit_code(n);
	}
	cli_pids_build(&refs, "bpf-prog", "prog_id");
	if (cli->json) {
		jw = jw_new(stdout, cli->pretty);
		if (!jw) {
			err = cli_fail("out of memory");
			goto out;
		}
	}
	/* bpftool: one object for one program, an array otherwise */
	if (jw && n != 1)
		jw_start_array(jw);
	if (!n)
		err = show_all(jw, &refs);
	for (i = 0; i < n && !err; i++)
		err = show_fd(jw, fds[i], &refs);
	if (jw && n != 1)
		jw_end_array(jw);
	jw_free(jw);
	err = err ? CLI_FAIL : CLI_OK;
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	cli_pids_free(&refs);
	return err;
}

/* bpftool spells it `prog tracelog` */
static int prog_tracelog(struct cli *cli, int argc, char **argv)
{
	return cmd_tracelog(cli, argc, argv);
}

static const struct cli_cmd verbs[] = {
	{ "show",	do_show,	"list loaded programs" },
	{ "list",	do_show,	"same as show" },
	{ "help",	prog_help,	"this text" },
	{ "dump",	prog_dump,	"disassemble a loaded program" },
	{ "pin",	prog_pin,		"pin a program on bpffs" },
	{ "load",	prog_load,	"load an object, pin its first program" },
	{ "loadall",	prog_loadall,	"load an object, pin every program" },
	{ "attach",	prog_attach,	"attach a program (a link, or to a map)" },
	{ "detach",	prog_detach,	"detach a program from a map" },
	{ "tracelog",	prog_tracelog,	"print bpf_printk output" },
	{ NULL },
};

int cmd_prog(struct cli *cli, int argc, char **argv)
{
	return cli_select(cli, "prog", verbs, argc, argv);
}
