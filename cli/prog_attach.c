// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox prog attach / detach.
 *
 *   prog attach PROG TARGET [--pin LINK] [--cookie N] [--pid N]
 *	TARGET in SEC() syntax; the library (bpfbox_attach_fd) does the
 *	work. With --pin the link is pinned and the command returns;
 *	without, it holds the attachment until SIGINT, SIGTERM or SIGHUP.
 *   prog { attach | detach } PROG ATTACH_TYPE [MAP]
 *	bpftool's form for the attachments that are not links (sockmap
 *	verdicts and parsers, flow dissector): BPF_PROG_ATTACH/DETACH.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "cli.h"
#include "link.h"
#include "prog.h"

struct attach_args {
	const char *target;
	const char *pin;
	uint64_t cookie;
	int pid;
};

/* ------------------------------------------------------------------ */
/* bpftool's PROG ATTACH_TYPE MAP form                                 */

static const struct {
	const char *name;
	enum bpf_attach_type type;
} map_types[] = {
	{ "sk_msg_verdict",		BPF_SK_MSG_VERDICT },
	{ "sk_skb_verdict",		BPF_SK_SKB_VERDICT },
	{ "sk_skb_stream_verdict",	BPF_SK_SKB_STREAM_VERDICT },
	{ "sk_skb_stream_parser",	BPF_SK_SKB_STREAM_PARSER },
	{ "flow_dissector",		BPF_FLOW_DISSECTOR },
	/* the spellings of older bpftool versions */
	{ "msg_verdict",		BPF_SK_MSG_VERDICT },
	{ "skb_verdict",		BPF_SK_SKB_VERDICT },
	{ "stream_verdict",		BPF_SK_SKB_STREAM_VERDICT },
	{ "stream_parser",		BPF_SK_SKB_STREAM_PARSER },
};

static int map_attach_type(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(map_types) / sizeof(map_types[0]); i++)
		if (!strcmp(word, map_types[i].name))
			return map_types[i].type;
	return -1;
}

/* argv: PROG (2 words) ATTACH_TYPE [MAP (2 words)] */
static int attach_map(struct cli *cli, int argc, char **argv, bool detach)
{
	const char *tname = argv[PROG_WORDS];
	int type = map_attach_type(tname), prog_fd, map_fd = 0, err;
	bool needs_map = type != BPF_FLOW_DISSECTOR;
	int want = PROG_WORDS + 1 + (needs_map ? 2 : 0);
	char **mapv = argv + PROG_WORDS + 1;
	int mapc = 2;

	if (argc < want)
		return prog_usage_err(needs_map ? "expected MAP := { id MAP_ID | pinned FILE | name MAP_NAME } after the attach type" :
				      "expected PROG flow_dissector", NULL);
	if (argc > want)
		return prog_usage_err("expected nothing after the map",
				      argv[want]);
	prog_fd = cli_prog_fd(&argc, &argv);
	if (prog_fd < 0)
		return cli_exit_code(prog_fd);
	if (needs_map) {
		map_fd = cli_map_fd(&mapc, &mapv);
		if (map_fd < 0) {
			close(prog_fd);
			return cli_exit_code(map_fd);
		}
	}
	if (detach)
		err = bpfbox_prog_detach_raw(prog_fd, map_fd, type);
	else
		err = bpfbox_prog_attach_raw(prog_fd, map_fd, type, 0);
	close(prog_fd);
	if (needs_map)
		close(map_fd);
	if (err)
		return cli_fail("%s the program %s %s as %s: %s",
				detach ? "detaching" : "attaching",
				detach ? "from" : "to",
				needs_map ? "the map" : "this network namespace",
				tname, strerror(-err));
	prog_print_null(cli);
	return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* TARGET form                                                         */

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* "--opt VALUE" or "--opt=VALUE"; *i is moved past what was used */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
	size_t n = strlen(opt);
	const char *a = argv[*i];

	if (strncmp(a, opt, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct attach_args *a)
{
	const char *v;
	uint64_t n;
	int i;

	a->target = argv[0];
	for (i = 1; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, "--pin"))) {
			a->pin = v;
		} else if ((v = opt_value(argc, argv, &i, "--cookie"))) {
			if (parse_u64(v, &a->cookie))
				return prog_usage_err("expected a number after --cookie", v);
		} else if ((v = opt_value(argc, argv, &i, "--pid"))) {
			if (parse_u64(v, &n) || !n || n > INT_MAX)
				return prog_usage_err("expected a process id after --pid", v);
			a->pid = (int)n;
		} else {
			return prog_usage_err("expected --pin LINK, --cookie N or --pid N (each with its value)",
					      argv[i]);
		}
	}
	return 0;
}

/* library messages name the target; make sure, and keep them one line */
static int attach_fail(const char *target, int err)
{
	char *msg = strdup(bpfbox_errmsg()), *p;
	const char *arg = strchr(target, '/');
	int rc;

	if (arg)	/* "tp/a/b" is "tracepoint a/b" in the library's words */
		arg++;

	if (!msg)
		return cli_fail("attaching to %s: out of memory", target);
	for (p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (!*msg)
		rc = cli_fail("attaching to %s: %s", target, strerror(-err));
	else if (strstr(msg, target) || (arg && *arg && strstr(msg, arg)))
		rc = cli_fail("%s", msg);
	else
		rc = cli_fail("attaching to %s: %s", target, msg);
	free(msg);
	return rc;
}

static void print_link_json(const struct cli *cli, uint32_t id,
			    const char *desc)
{
	struct jw *jw = jw_new(stdout, cli->pretty);

	if (!jw)
		return;
	jw_start_object(jw);
	if (id)
		jw_kv_uint(jw, "link_id", id);
	else {
		jw_name(jw, "link_id");
		jw_null(jw);
	}
	jw_kv_string(jw, "attached", desc);
	jw_end_object(jw);
	jw_free(jw);
}

static int pin_and_leave(const struct cli *cli, struct bpfbox_link *link,
			 const char *path)
{
	uint32_t id = link_id_of_fd(bpfbox_link_fd(link));
	int err;

	err = bpfbox_link_pin(link, path);
	if (err) {
		cli_fail("%s", bpfbox_errmsg());
		bpfbox_link_destroy(link);
		return CLI_FAIL;
	}
	if (cli->json)
		print_link_json(cli, id, bpfbox_link_describe(link));
	bpfbox_link_disconnect(link);
	bpfbox_link_destroy(link);
	return CLI_OK;
}

/*
 * Hold the link until told to stop. The signals are blocked from before
 * the attach (so one sent early waits for us instead of killing us with
 * the link half made) and taken with sigwait: nothing runs in a handler.
 */
static int stay_attached(const struct cli *cli, struct bpfbox_link *link,
			 const sigset_t *set)
{
	uint32_t id = link_id_of_fd(bpfbox_link_fd(link));
	int sig;

	if (id)
		fprintf(stderr, "attached %s (link id %u); Ctrl-C to detach\n",
			bpfbox_link_describe(link), id);
	else
		fprintf(stderr, "attached %s (perf event, no BPF link); Ctrl-C to detach\n",
			bpfbox_link_describe(link));
	if (cli->json)
		print_link_json(cli, id, bpfbox_link_describe(link));
	fflush(stdout);
	/* what is left (waiting, closing fds) needs no privilege */
	if (bpfbox_drop_caps())
		fprintf(stderr, "bpfbox: warning: %s\n", bpfbox_errmsg());
	while (sigwait(set, &sig))
		;
	bpfbox_link_destroy(link);
	return CLI_OK;
}

/*
 * SIGINT and SIGTERM always end the wait (a shell starts background
 * jobs with SIGINT ignored, yet `kill -INT` should still detach); SIGHUP
 * only when it is not ignored, so nohup keeps the attachment.
 */
static void wait_set(sigset_t *set)
{
	struct sigaction sa;

	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	if (!sigaction(SIGHUP, NULL, &sa) && sa.sa_handler != SIG_IGN)
		sigaddset(set, SIGHUP);
}

static int attach_target(struct cli *cli, int argc, char **argv)
{
	struct bpfbox_attach_opts opts = { .sz = sizeof(opts) };
	struct attach_args a = { 0 };
	struct bpfbox_link *link = NULL;
	sigset_t set, old;
	int fd, err, rc;

	rc = parse_args(argc - PROG_WORDS, argv + PROG_WORDS, &a);
	if (rc)
		return rc;
	opts.cookie = a.cookie;
	opts.pid = a.pid;
	fd = cli_prog_fd(&argc, &argv);
	if (fd < 0)
		return cli_exit_code(fd);
	if (a.pin && link_check_pin_path(a.pin)) {
		close(fd);
		return CLI_FAIL;
	}
	wait_set(&set);
	if (!a.pin)
		sigprocmask(SIG_BLOCK, &set, &old);
	err = bpfbox_attach_fd(fd, a.target, &opts, &link);
	close(fd);	/* the link holds the program */
	if (err)
		rc = attach_fail(a.target, err);
	else if (a.pin)
		rc = pin_and_leave(cli, link, a.pin);
	else
		rc = stay_attached(cli, link, &set);
	if (!a.pin)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int prog_attach(struct cli *cli, int argc, char **argv)
{
	if (prog_wants_help(argc, argv))
		return prog_help(cli, argc, argv);
	if (argc < PROG_WORDS + 1)
		return prog_usage_err("expected PROG TARGET (e.g. 'pinned /sys/fs/bpf/p tp/sched/sched_switch')",
				      NULL);
	if (map_attach_type(argv[PROG_WORDS]) >= 0)
		return attach_map(cli, argc, argv, false);
	return attach_target(cli, argc, argv);
}

int prog_detach(struct cli *cli, int argc, char **argv)
{
	if (prog_wants_help(argc, argv))
		return prog_help(cli, argc, argv);
	if (argc < PROG_WORDS + 1 || map_attach_type(argv[PROG_WORDS]) < 0)
		return prog_usage_err("expected PROG ATTACH_TYPE [MAP], ATTACH_TYPE := { sk_msg_verdict | sk_skb_verdict | sk_skb_stream_verdict | sk_skb_stream_parser | flow_dissector } (links are detached with 'bpfbox link detach' or by removing their pins)",
				      argc > PROG_WORDS ? argv[PROG_WORDS] : NULL);
	return attach_map(cli, argc, argv, true);
}
