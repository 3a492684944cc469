// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the exporter's own metrics, written after the maps':
 *   per map (x->mstat)    bpfbox_export_map_{series,truncated,read_ok,
 *                         merged,batch_read}{object,map}
 *   the export's counters bpfbox_export_{decode_errors,http_errors,
 *                         scrapes}_total, ..._scrape_duration_seconds
 *   per event channel     bpfbox_export_events{,_lost}_total{object,map}
 *   per loaded program    bpfbox_export_prog_run_count_total,
 *                         ..._prog_run_seconds_total,
 *                         ..._prog_verified_insns {object,program}
 *   the kernel's stats    bpfbox_export_bpf_stats_enabled
 *
 * The text format wants a family's lines together, under one HELP and
 * one TYPE, however many objects feed it; and a family with nothing in
 * it is left out rather than written as a bare header. So the samples
 * of a family are gathered in a memory stream and written whole at its
 * end (struct fam).
 *
 * run_cnt and run_time_ns are counted by the kernel only while its BPF
 * stats are on: the sysctl kernel.bpf_stats_enabled, or a
 * BPF_ENABLE_STATS fd held open (--bpf-stats: export_stats_enable).
 * The sysctl reads back its own setting, not whether some process holds
 * such an fd: bpfbox_export_bpf_stats_enabled can say 0 while another
 * process has the stats on, and the run counts grow.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "bpfbox.h"
#include "err.h"
#include "export.h"
#include "object.h"

#define STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

/*
 * One family being written: its samples into out, then the whole of it.
 * out is NULL when the memory stream could not be made: the family is
 * left out, with a comment saying so (writing its samples straight into
 * f could interleave them with another family's).
 */
struct fam {
	const char *name, *type, *help;
	FILE *out;
	char *buf;
	size_t len;
};

static void fam_open(struct fam *m, const char *name, const char *type,
		     const char *help)
{
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->type = type;
	m->help = help;
	m->out = open_memstream(&m->buf, &m->len);
}

static void fam_close(struct fam *m, FILE *f)
{
	if (!m->out) {
		fprintf(f, "# bpfbox export: %s left out: out of memory\n",
			m->name);
		return;
	}
	fclose(m->out);
	if (m->len)
		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%.*s", m->name, m->help,
			m->name, m->type, (int)m->len, m->buf);
	free(m->buf);
}

/* a sample of family m: its name, then fmt */
static void sample(struct fam *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sample(struct fam *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->out)
		return;
	fputs(m->name, m->out);
	va_start(ap, fmt);
	vfprintf(m->out, fmt, ap);
	va_end(ap);
}

/* a name as a label value; NULL when out of memory */
static char *label(const char *s)
{
	size_t n, len;
	char *v;

	s = s ? s : "";
	n = strlen(s);
	len = 2 * n + 1;
	v = malloc(len);
	if (v && export_label_value(v, len, s, n)) {
		free(v);
		v = NULL;
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* Maps and counters                                                   */

enum map_col { SERIES, TRUNCATED, READ_OK, MERGED, BATCH, NCOLS };

static uint32_t map_col(const struct export_map_stat *st, enum map_col c)
{
	switch (c) {
	case SERIES:	return st->nseries;
	case TRUNCATED:	return st->truncated;
	case READ_OK:	return !st->err;
	case MERGED:	return st->merged;
	case BATCH:	return st->batch;
	default:	return 0;
	}
}

static void write_maps(const struct export_ctx *x, FILE *f)
{
	static const char *const names[NCOLS] = {
		"bpfbox_export_map_series",
		"bpfbox_export_map_truncated",
		"bpfbox_export_map_read_ok",
		"bpfbox_export_map_merged",
		"bpfbox_export_map_batch_read",
	};
	char series_help[128];
	const char *help[NCOLS] = {
		series_help,
		"1 when a map had more keys than --max-series and was cut short.",
		"0 when reading a map failed in this scrape.",
		"Keys whose labels equalled another key's, summed into it, in this scrape.",
		"1 when a map was read with the batch command (BPF_MAP_LOOKUP_BATCH) in this scrape.",
	};
	struct fam fm[NCOLS];
	char *o, *m;
	size_t i;
	int c;

	snprintf(series_help, sizeof(series_help),
		 "Label sets a map gave in this scrape (capped at %u).",
		 x->max_series);
	for (c = 0; c < NCOLS; c++)
		fam_open(&fm[c], names[c], "gauge", help[c]);
	for (i = 0; i < x->nmstat; i++) {
		const struct export_map_stat *st = &x->mstat[i];

		o = label(st->object);
		m = label(st->map);
		for (c = 0; o && m && c < NCOLS; c++)
			sample(&fm[c], "{object=\"%s\",map=\"%s\"} %u\n", o, m,
			       map_col(st, c));
		free(o);
		free(m);
	}
	for (c = 0; c < NCOLS; c++)
		fam_close(&fm[c], f);
}

static void write_counters(const struct export_ctx *x, FILE *f)
{
	fprintf(f, "# HELP bpfbox_export_decode_errors_total Keys that could not be turned into labels.\n"
		"# TYPE bpfbox_export_decode_errors_total counter\n"
		"bpfbox_export_decode_errors_total %" PRIu64 "\n"
		"# HELP bpfbox_export_http_errors_total Requests answered with an error status.\n"
		"# TYPE bpfbox_export_http_errors_total counter\n"
		"bpfbox_export_http_errors_total %" PRIu64 "\n"
		"# HELP bpfbox_export_scrapes_total Scrapes of /metrics served.\n"
		"# TYPE bpfbox_export_scrapes_total counter\n"
		"bpfbox_export_scrapes_total %" PRIu64 "\n"
		"# HELP bpfbox_export_scrape_duration_seconds Time this scrape took to read the maps.\n"
		"# TYPE bpfbox_export_scrape_duration_seconds gauge\n"
		"bpfbox_export_scrape_duration_seconds %.9f\n",
		x->decode_errors, x->http_errors, x->scrapes,
		x->last_scrape_secs);
}

static void write_chans(const struct export_ctx *x, FILE *f)
{
	struct fam ev, lost;
	size_t i;

	fam_open(&ev, "bpfbox_export_events_total", "counter",
		 "Records read from an event channel (counted, not exported).");
	fam_open(&lost, "bpfbox_export_events_lost_total", "counter",
		 "Records a perf buffer lost (the kernel's count).");
	for (i = 0; i < x->nobjs; i++) {
		if (ev.out)
			export_chans_samples(x->objs[i].chans, x->objs[i].name,
					     false, ev.out);
		if (lost.out)
			export_chans_samples(x->objs[i].chans, x->objs[i].name,
					     true, lost.out);
	}
	fam_close(&ev, f);
	fam_close(&lost, f);
}

/* ------------------------------------------------------------------ */
/* Programs                                                            */

enum { RUN_COUNT, RUN_SECS, VERIFIED, NPROG };

static bool sysctl_stats_on(void)
{
	char buf[16];
	ssize_t n;
	int fd = open(STATS_SYSCTL, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && buf[0] == '1';
}

static void write_prog(const struct export_obj *o, const struct bpfbox_prog *p,
		       struct fam *fm)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	char *on, *pn;

	memset(&info, 0, sizeof(info));
	/* unloaded meanwhile, or not ours to ask: no samples */
	if (bpfbox_obj_get_info_by_fd(p->fd, &info, &len))
		return;
	on = label(o->name);
	pn = label(p->name);
	if (!on || !pn)
		goto out;
	sample(&fm[RUN_COUNT], "{object=\"%s\",program=\"%s\"} %" PRIu64 "\n",
	       on, pn, (uint64_t)info.run_cnt);
	sample(&fm[RUN_SECS], "{object=\"%s\",program=\"%s\"} %.9f\n", on, pn,
	       info.run_time_ns / 1e9);
	/* 0: a kernel before 5.16, which does not say */
	if (len >= offsetof(struct bpf_prog_info, verified_insns) +
		   sizeof(info.verified_insns) && info.verified_insns)
		sample(&fm[VERIFIED], "{object=\"%s\",program=\"%s\"} %u\n", on,
		       pn, info.verified_insns);
out:
	free(on);
	free(pn);
}

static void write_progs(const struct export_ctx *x, FILE *f)
{
	struct fam fm[NPROG];
	const struct bpfbox_object *obj;
	size_t i, j;

	fam_open(&fm[RUN_COUNT], "bpfbox_export_prog_run_count_total",
		 "counter",
		 "Times the program ran, as the kernel counts it: stays 0 unless the kernel's BPF stats are on (bpfbox_export_bpf_stats_enabled; --bpf-stats).");
	fam_open(&fm[RUN_SECS], "bpfbox_export_prog_run_seconds_total",
		 "counter",
		 "Time the program ran, as the kernel counts it: stays 0 unless the kernel's BPF stats are on (bpfbox_export_bpf_stats_enabled; --bpf-stats).");
	fam_open(&fm[VERIFIED], "bpfbox_export_prog_verified_insns",
		 "gauge", "Instructions the verifier processed to load the program.");
	for (i = 0; i < x->nobjs; i++) {
		obj = x->objs[i].r.obj;
		if (!obj || !obj->loaded)
			continue;
		for (j = 0; j < obj->nprogs; j++)
			if (obj->progs[j].fd >= 0 && !obj->progs[j].is_subprog)
				write_prog(&x->objs[i], &obj->progs[j], fm);
	}
	for (j = 0; j < NPROG; j++)
		fam_close(&fm[j], f);
	fprintf(f, "# HELP bpfbox_export_bpf_stats_enabled 1 when the kernel counts the programs' run count and run time because of this exporter (--bpf-stats) or sysctl kernel.bpf_stats_enabled=1; another process holding BPF_ENABLE_STATS turns them on unseen here.\n"
		"# TYPE bpfbox_export_bpf_stats_enabled gauge\n"
		"bpfbox_export_bpf_stats_enabled %d\n",
		x->stats_fd >= 0 || sysctl_stats_on());
}

void export_self_write(struct export_ctx *x, FILE *f)
{
	write_maps(x, f);
	write_counters(x, f);
	write_chans(x, f);
	write_progs(x, f);
}

/* ------------------------------------------------------------------ */
/* BPF_ENABLE_STATS                                                    */

int export_stats_enable(struct export_ctx *x)
{
	int fd = bpfbox_enable_stats(BPF_STATS_RUN_TIME);

	if (fd >= 0) {
		x->stats_fd = fd;
		return 0;
	}
	if (fd == -EPERM || fd == -EACCES)
		return bb_err(fd, "BPF_ENABLE_STATS: %s: turning on the kernel's BPF stats needs CAP_SYS_ADMIN; or set sysctl kernel.bpf_stats_enabled=1",
			      strerror(-fd));
	if (fd == -EINVAL)
		return bb_err(fd, "BPF_ENABLE_STATS: %s: this kernel lacks the command (5.8 and later have it); set sysctl kernel.bpf_stats_enabled=1 instead",
			      strerror(-fd));
	return bb_err(fd, "BPF_ENABLE_STATS: %s: the kernel's BPF stats stay off; or set sysctl kernel.bpf_stats_enabled=1",
		      strerror(-fd));
}

void export_stats_close(struct export_ctx *x)
{
	if (x->stats_fd >= 0)
		close(x->stats_fd);
	x->stats_fd = -1;
}
