// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: `bpfbox export`'s HTTP request judge
 * (cli/export_req.c), fed what a client may send. The input is cut
 * where the server's reads could cut it (at every length up to 8 KiB +
 * 1, the most one connection holds): each cut must be judged without a
 * read past it, and the verdict must be one the server knows, with a
 * reason for every error and a route for every 200.
 *
 *   make B=build build/fuzz/fuzz_export_req
 *   build/fuzz/fuzz_export_req -max_total_time=60 corpus
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/export_req.c"

#define MAX_REQ 8192

static void check(const char *buf, size_t len)
{
	struct export_req rq;
	int code = export_req_judge(buf, len, MAX_REQ, &rq);

	switch (code) {
	case 0:
		if (len > MAX_REQ)
			abort();	/* more than it may hold, not judged */
		break;
	case 200:
		if (rq.route != EXPORT_ROUTE_METRICS &&
		    rq.route != EXPORT_ROUTE_INDEX)
			abort();
		break;
	case 400: case 404: case 405: case 413:
		if (!rq.why || !*rq.why)
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size > MAX_REQ + 1 ? MAX_REQ + 1 : size, cut;
	char *buf;

	/* the last 64 cuts, each an exact-size copy: ASan catches any
	 * read past it */
	for (cut = n; cut + 64 > n && cut > 0; cut--) {
		buf = malloc(cut);
		if (!buf)
			return 0;
		memcpy(buf, data, cut);
		check(buf, cut);
		free(buf);
	}
	return 0;
}
