// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: an HTTP request judged (pure: no I/O, so that it can
 * be fuzzed alone: tests/fuzz/fuzz_export_req.c). What is accepted is
 * deliberately narrow:
 *
 *   METHOD SP /TARGET SP HTTP/1.0|HTTP/1.1 CRLF (LF alone too)
 *   headers, ignored, up to the blank line
 *
 * METHOD is capital letters and must be GET (405 otherwise); TARGET
 * /metrics (a query string ignored) or / (404 otherwise); no byte below
 * 0x20 but tab, CR and LF, no DEL (400); all of it within max bytes
 * (413).
 */
#include <string.h>

#include "export.h"

/* the end of the headers (just past the blank line), or 0 */
static size_t headers_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool clean(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') ||
		    ch == 0x7f)
			return false;
	}
	return true;
}

static bool is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(p, word, n);
}

static int judge_line(const char *l, size_t n, struct export_req *rq)
{
	const char *sp1 = memchr(l, ' ', n), *sp2, *t, *v;
	size_t i, tn, vn;

	if (n && l[n - 1] == '\r')
		n--;
	if (!sp1 || sp1 == l)
		return rq->why = "expected METHOD /PATH HTTP/1.x", 400;
	t = sp1 + 1;
	sp2 = memchr(t, ' ', n - (size_t)(t - l));
	if (!sp2)
		return rq->why = "expected METHOD /PATH HTTP/1.x", 400;
	tn = (size_t)(sp2 - t);
	v = sp2 + 1;
	vn = n - (size_t)(v - l);
	if (memchr(v, ' ', vn))
		return rq->why = "expected METHOD /PATH HTTP/1.x", 400;
	if (!is(v, vn, "HTTP/1.1") && !is(v, vn, "HTTP/1.0"))
		return rq->why = "HTTP/1.0 or HTTP/1.1 only", 400;
	for (i = 0; l + i < sp1; i++)
		if (l[i] < 'A' || l[i] > 'Z')
			return rq->why = "malformed method", 400;
	if (!tn || t[0] != '/')
		return rq->why = "the target must be a path", 400;
	if (!is(l, (size_t)(sp1 - l), "GET"))
		return rq->why = "only GET is served", 405;
	if (is(t, tn, "/metrics") || (tn > 8 && !memcmp(t, "/metrics?", 9))) {
		rq->route = EXPORT_ROUTE_METRICS;
		return 200;
	}
	if (is(t, tn, "/")) {
		rq->route = EXPORT_ROUTE_INDEX;
		return 200;
	}
	return rq->why = "this exporter serves /metrics and /", 404;
}

int export_req_judge(const char *buf, size_t len, size_t max,
		     struct export_req *rq)
{
	size_t end = headers_end(buf, len);
	const char *eol;

	rq->route = EXPORT_ROUTE_NONE;
	rq->why = NULL;
	if (!end || end > max) {
		if (len <= max)
			return 0;
		return rq->why = "request headers too large", 413;
	}
	if (!clean(buf, end))
		return rq->why = "control bytes in the request", 400;
	eol = memchr(buf, '\n', end);	/* there is one: end says so */
	return judge_line(buf, (size_t)(eol - buf), rq);
}
