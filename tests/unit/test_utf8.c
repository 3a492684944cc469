// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* UTF-8 checks used by every escaper of traced text */
#include "test.h"
#include "utf8.h"

#define U(s) ((const unsigned char *)(s))

TEST(utf8_len_valid_and_not)
{
	CHECK_INT(bb_utf8_len(U("a"), 1), ==, 1);
	CHECK_INT(bb_utf8_len(U("\xc3\xa9"), 2), ==, 2);
	CHECK_INT(bb_utf8_len(U("\xe2\x82\xac"), 3), ==, 3);
	CHECK_INT(bb_utf8_len(U("\xf0\x9f\x98\x80"), 4), ==, 4);
	CHECK_INT(bb_utf8_len(U("\xc3"), 1), ==, 0);		/* cut */
	CHECK_INT(bb_utf8_len(U("\xc0\xaf"), 2), ==, 0);	/* overlong */
	CHECK_INT(bb_utf8_len(U("\xed\xa0\x80"), 3), ==, 0);	/* surrogate */
	CHECK_INT(bb_utf8_len(U("\xf4\x90\x80\x80"), 4), ==, 0); /* > U+10FFFF */
}

TEST(utf8_unsafe_terminal_controls)
{
	/* C1: U+0080, U+009B (8-bit CSI), U+009F */
	CHECK(bb_utf8_unsafe(U("\xc2\x80"), 2));
	CHECK(bb_utf8_unsafe(U("\xc2\x9b"), 2));
	CHECK(bb_utf8_unsafe(U("\xc2\x9f"), 2));
	CHECK(!bb_utf8_unsafe(U("\xc2\xa0"), 2));		/* NBSP */
	CHECK(!bb_utf8_unsafe(U("\xc3\xa9"), 2));		/* é */
	/* LRM/RLM, line/paragraph separators, embeddings, overrides */
	CHECK(bb_utf8_unsafe(U("\xe2\x80\x8e"), 3));
	CHECK(bb_utf8_unsafe(U("\xe2\x80\x8f"), 3));
	CHECK(bb_utf8_unsafe(U("\xe2\x80\xa8"), 3));
	CHECK(bb_utf8_unsafe(U("\xe2\x80\xae"), 3));
	CHECK(!bb_utf8_unsafe(U("\xe2\x80\xaf"), 3));		/* NNBSP */
	CHECK(!bb_utf8_unsafe(U("\xe2\x80\x94"), 3));		/* em dash */
	/* isolates U+2066..U+2069 */
	CHECK(bb_utf8_unsafe(U("\xe2\x81\xa6"), 3));
	CHECK(bb_utf8_unsafe(U("\xe2\x81\xa9"), 3));
	CHECK(!bb_utf8_unsafe(U("\xe2\x81\xaa"), 3));
	CHECK(!bb_utf8_unsafe(U("a"), 1));
}

TEST(utf8_code_points)
{
	CHECK_INT(bb_utf8_cp(U("a"), 1), ==, 0x61);
	CHECK_INT(bb_utf8_cp(U("\xc2\x9b"), 2), ==, 0x9b);
	CHECK_INT(bb_utf8_cp(U("\xe2\x80\xae"), 3), ==, 0x202e);
	CHECK_INT(bb_utf8_cp(U("\xf0\x9f\x98\x80"), 4), ==, 0x1f600);
}
