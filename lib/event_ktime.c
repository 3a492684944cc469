// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Timestamps in event records: which members hold a point in time (the
 * name rule of event_fmt.h; durations and knobs stay numbers) and their
 * wall-clock text, local HH:MM:SS.ffffff or RFC 3339 UTC.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "event_fmt_int.h"

static bool word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncasecmp(w, *list, n))
			return true;
	return false;
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

static bool has_suffix(const char *s, const char *p)
{
	size_t n = strlen(s), k = strlen(p);

	return n >= k && !strcasecmp(s + n - k, p);
}

/* the name rule of event_fmt.h */
static bool ktime_name(const char *name)
{
	static const char *const dur[] = {
		"dur", "duration", "delta", "lat", "latency", "elapsed", "diff",
		"total", "sum", "avg", "min", "max", "run", "runtime", "wait",
		"sleep", "period", "interval", "timeout", "cnt", "count", "len",
		NULL,
	};
	static const char *const exact[] = {
		"ts", "time", "timestamp", "tstamp", "ktime", NULL,
	};
	static const char *const pre[] = {
		"ktime", "start", "ts_", "timestamp_", NULL,
	};
	static const char *const suf[] = {
		"_ts", "_ns", "_time", "_timestamp", "_tstamp", "_ktime", NULL,
	};
	const char *s = name, *e;
	int i;

	while (*s) {
		e = strchr(s, '_');
		if (!e)
			e = s + strlen(s);
		if (word_in(s, e - s, dur))
			return false;
		s = *e ? e + 1 : e;
	}
	if (word_in(name, strlen(name), exact))
		return true;
	for (i = 0; pre[i]; i++)
		if (has_prefix(name, pre[i]))
			return true;
	for (i = 0; suf[i]; i++)
		if (has_suffix(name, suf[i]))
			return true;
	return false;
}

bool bb_ev_ktime_member(const struct bb_evfmt *f, const char *name,
			uint32_t type, uint32_t bitsz)
{
	const struct btf_type *t = bb_ev_resolve(f->btf, &type);

	if (!f->m2w || bitsz || !t || bb_btf_kind(t) != BTF_KIND_INT ||
	    t->size != 8 || bb_btf_int_bits(t) != 64 ||
	    bb_btf_int_offset(t) || bb_btf_int_encoding(t) == BTF_INT_BOOL)
		return false;
	return ktime_name(name);
}

/* wall-clock text of a ktime; false when out of range */
bool bb_ev_wall_time(const struct bb_evfmt *f, uint64_t v, bool rfc3339,
		     char *buf, size_t len)
{
	__int128 ns = (__int128)v + f->m2w;
	time_t secs;
	struct tm tm;

	/* up to the year 9999 */
	if (ns < 0 || ns > (__int128)253402300799LL * 1000000000)
		return false;
	secs = (time_t)(ns / 1000000000);
	if (rfc3339) {
		if (!gmtime_r(&secs, &tm))
			return false;
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (int)(ns % 1000000000));
	} else {
		if (!localtime_r(&secs, &tm))
			return false;
		snprintf(buf, len, "%02d:%02d:%02d.%06d", tm.tm_hour,
			 tm.tm_min, tm.tm_sec, (int)(ns % 1000000000 / 1000));
	}
	return true;
}
