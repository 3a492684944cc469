// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CPU lists of /sys/devices/system/cpu: parsed and bounds-checked */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "cpus.h"

TEST(cpu_list_forms)
{
	uint8_t set[BB_CPU_SET_BYTES];

	memset(set, 0, sizeof(set));
	CHECK_INT(bb_cpu_list_parse("0-3,6,8-9\n", set), ==, 7);
	CHECK(bb_cpu_isset(set, 0) && bb_cpu_isset(set, 3));
	CHECK(!bb_cpu_isset(set, 4) && !bb_cpu_isset(set, 5));
	CHECK(bb_cpu_isset(set, 6) && bb_cpu_isset(set, 9));
	CHECK(!bb_cpu_isset(set, 10) && !bb_cpu_isset(set, BB_MAX_CPUS));

	memset(set, 0, sizeof(set));
	CHECK_INT(bb_cpu_list_parse("0", set), ==, 1);
	/* overlapping ranges count each CPU once */
	memset(set, 0, sizeof(set));
	CHECK_INT(bb_cpu_list_parse("0-2,1-3", set), ==, 4);
	memset(set, 0, sizeof(set));
	CHECK_INT(bb_cpu_list_parse("\n", set), ==, 0);
}

TEST(cpu_list_malformed)
{
	uint8_t set[BB_CPU_SET_BYTES];

	memset(set, 0, sizeof(set));
	CHECK_INT(bb_cpu_list_parse("3-1", set), ==, -EINVAL);
	CHECK_INT(bb_cpu_list_parse("0-", set), ==, -EINVAL);
	CHECK_INT(bb_cpu_list_parse("a", set), ==, -EINVAL);
	CHECK_INT(bb_cpu_list_parse("0;1", set), ==, -EINVAL);
	CHECK_INT(bb_cpu_list_parse("8192", set), ==, -EINVAL);
	CHECK_INT(bb_cpu_list_parse("0-99999999999999999999", set), ==,
		  -EINVAL);
}
