/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfbox run: shared by its files, one concern each:
 *   run.c          options, the object's life (open, load, attach, close)
 *   run_loop.c     the event loop: signals, intervals, stdout going away
 *   run_vars.c     global variables as command-line knobs
 *   run_chan.c     ring buffers and perf event arrays, decoded via BTF
 *   run_maps.c     the other maps and the globals, printed
 *   run_hists.c    maps holding histograms (lib/hist.h), bcc's layout
 *   run_printk.c   bpf_printk output from the trace_pipe
 */
#ifndef BB_CLI_RUN_H
#define BB_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cli;
struct bpfbox_object;
struct bpfbox_link;
struct run_chans;
struct run_printk;

/* NAME=VALUE pairs of the command line: --attach, --event-type, knobs */
struct run_kv {
	const char *key;
	const char *val;
};

struct run_kvs {
	struct run_kv *v;
	size_t n;
};

struct run {
	struct cli *cli;
	const char *cmd;	/* messages say "bpfbox CMD:" (NULL: run) */
	const char *path;
	struct bpfbox_object *obj;
	bool json;
	double interval;	/* -i SECS: print the maps every SECS (0: at exit) */
	double duration;	/* -d SECS: stop after SECS (0: never) */
	bool clear;		/* --clear: reset the maps after each print */
	bool no_maps;		/* --no-maps */
	bool all_printk;	/* --all-printk: every bpf_printk line */
	bool no_printk;		/* --no-printk */
	bool help;		/* OBJ --help: list the knobs */
	struct run_kvs attach;	/* --attach PROG=TARGET */
	struct run_kvs evtype;	/* --event-type [MAP=]TYPE (key NULL: all) */
	struct run_kvs knobs;	/* --VAR VALUE, --set VAR=VALUE */

	struct bpfbox_link **links;
	size_t nlinks;
	struct run_chans *chans;
	struct run_printk *printk;
	bool stdout_gone;	/* the reader of stdout went away */
};

int run_kvs_add(struct run_kvs *kvs, const char *key, const char *val);

/*
 * run.c, shared with `bpfbox export`: argv[*i] "--VAR [VALUE]" as a knob
 * of r->obj into r->knobs; load with the knobs applied; attach every
 * program (r->links); undo that; does detaching need root (tracefs).
 * Each returns 0 or an exit code after printing why.
 */
int run_parse_knob(struct run *r, int argc, char **argv, int *i);
int run_load(struct run *r);
int run_attach_all(struct run *r);
void run_detach_all(struct run *r);
bool run_links_need_privileges(const struct run *r);
void run_kvs_free(struct run_kvs *kvs);

/* run_vars.c: knobs. Before load: .rodata/.data; after load: .bss */
void run_vars_help(const struct run *r, FILE *out);
/* is NAME a knob of the object, and does it take no value (a bool)? */
bool run_var_exists(const struct bpfbox_object *obj, const char *name,
		    bool *is_bool);
int run_vars_apply(struct run *r, bool loaded);
int run_vars_check(struct run *r);

/* run_chan.c: 0 or an exit code after printing why */
int run_chans_check(struct run *r);
int run_chans_open(struct run *r);
void run_chans_close(struct run *r);
/* the fds to poll: up to max, returns how many */
size_t run_chans_fds(const struct run *r, int *fds, size_t max);
/* consume whatever is ready; 0 or -errno */
int run_chans_consume(struct run *r);
bool run_chans_any(const struct run *r);

/* run_maps.c */
/* say which maps cannot be printed, once */
void run_maps_note(const struct run *r);
int run_maps_print(struct run *r, bool final);
bool run_maps_any(const struct run *r);

/* run_printk.c */
bool run_printk_used(const struct bpfbox_object *obj);
int run_printk_open(struct run *r);
void run_printk_close(struct run *r);
int run_printk_fd(const struct run *r);
int run_printk_read(struct run *r);
/* exposed for the unit of it: does a trace_pipe message fit a format */
bool run_printk_match(const char *fmt, const char *msg, size_t len);

/* run_loop.c: until a signal, -d, or stdout going away; exit code */
int run_loop(struct run *r);
/* stdout after a batch of output: flush, notice a closed pipe */
void run_flush(struct run *r);

#endif
