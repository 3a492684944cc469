// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `bpfbox export`'s pure parts: the HTTP request judge (cli/export_req.c),
 * Prometheus names and label values (cli/export_labels.c) and the rows
 * of samples by label set (cli/export_rows.c), compiled in here as they
 * are (the CLI is not in the library).
 */
#include <errno.h>

#include "test.h"
#include "../../cli/export_req.c"
#include "../../cli/export_labels.c"
#include "../../cli/export_rows.c"

static int judge(const char *s, struct export_req *rq)
{
	return export_req_judge(s, strlen(s), 8192, rq);
}

TEST(export_req_routes)
{
	struct export_req rq;

	CHECK_INT(judge("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n", &rq), ==, 200);
	CHECK_INT(rq.route, ==, EXPORT_ROUTE_METRICS);
	CHECK_INT(judge("GET /metrics?x=1 HTTP/1.0\n\n", &rq), ==, 200);
	CHECK_INT(rq.route, ==, EXPORT_ROUTE_METRICS);
	CHECK_INT(judge("GET / HTTP/1.1\r\n\r\n", &rq), ==, 200);
	CHECK_INT(rq.route, ==, EXPORT_ROUTE_INDEX);
	/* not whole yet: read on */
	CHECK_INT(judge("GET /metrics HTTP/1.1\r\nHost: a\r\n", &rq), ==, 0);
	CHECK_INT(judge("", &rq), ==, 0);
}

TEST(export_req_errors)
{
	struct export_req rq;
	static char big[9000];

	CHECK_INT(judge("POST /metrics HTTP/1.1\r\n\r\n", &rq), ==, 405);
	CHECK(rq.why && *rq.why);
	CHECK_INT(judge("GET /metricsx HTTP/1.1\r\n\r\n", &rq), ==, 404);
	CHECK_INT(judge("GET /nope HTTP/1.1\r\n\r\n", &rq), ==, 404);
	CHECK_INT(judge("GET metrics HTTP/1.1\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("GET /metrics HTTP/2.0\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("GET /metrics\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("GET  /metrics HTTP/1.1\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("GET /metrics HTTP/1.1 x\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("get /metrics HTTP/1.1\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("\r\n\r\n", &rq), ==, 400);
	CHECK_INT(judge("GET /metrics HTTP/1.1\r\nX: \x01\r\n\r\n", &rq), ==, 400);
	CHECK_INT(export_req_judge("GET / HTTP/1.1\r\n\0\r\n\r\n", 21, 8192, &rq),
		  ==, 400);
	memset(big, 'a', sizeof(big));
	CHECK_INT(export_req_judge(big, sizeof(big), 8192, &rq), ==, 413);
	CHECK_INT(export_req_judge(big, 8192, 8192, &rq), ==, 0);
}

TEST(export_names_and_values)
{
	char b[64];

	export_prom_name(b, sizeof(b), "getppid_calls");
	CHECK_STR(b, "getppid_calls");
	export_prom_name(b, sizeof(b), "run-sleep.lat");
	CHECK_STR(b, "run_sleep_lat");
	export_prom_name(b, sizeof(b), "9lives");
	CHECK_STR(b, "_9lives");
	export_prom_name(b, 4, "abcdef");
	CHECK_STR(b, "abc");
	CHECK_INT(export_label_value(b, sizeof(b), "a\"b\\c\nd", 7), ==, 0);
	CHECK_STR(b, "a\\\"b\\\\c\\nd");
	/* a string ends at its NUL, as a comm does */
	CHECK_INT(export_label_value(b, sizeof(b), "ab\0cd", 5), ==, 0);
	CHECK_STR(b, "ab");
	CHECK_INT(export_label_value(b, 3, "abc", 3), ==, -ENOSPC);
	CHECK_INT(export_labels(NULL, 1, "x", 1, NULL, NULL, b, sizeof(b)), ==, -ENOENT);
}

/* rows by label set: equal labels summed, first-seen order, growth */
TEST(export_rows_merge_and_order)
{
	struct export_rows *rs = export_rows_new(2);
	char labels[32];
	int64_t *row;
	bool fresh;
	size_t i;

	CHECK(rs != NULL);
	if (!rs)
		return;
	for (i = 0; i < 1000; i++) {
		snprintf(labels, sizeof(labels), "k=\"%zu\"", i % 300);
		row = export_rows_get(rs, labels, &fresh);
		CHECK(row != NULL);
		if (!row)
			break;
		CHECK_INT(fresh, ==, i < 300);
		row[0] += 1;
		row[1] += (int64_t)i;
	}
	CHECK_INT(export_rows_count(rs), ==, 300);
	/* k="7" was seen at i = 7, 307, 607, 907 */
	CHECK_STR(export_rows_at(rs, 7, &row), "k=\"7\"");
	CHECK_INT(row[0], ==, 4);
	CHECK_INT(row[1], ==, 7 + 307 + 607 + 907);
	CHECK_STR(export_rows_at(rs, 299, &row), "k=\"299\"");
	CHECK_INT(row[0], ==, 3);
	row = export_rows_get(rs, "", &fresh);
	CHECK(row && fresh);
	CHECK_INT(export_rows_count(rs), ==, 301);
	export_rows_free(rs);
}
