// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "utf8.h"

size_t bb_utf8_len(const unsigned char *s, size_t n)
{
	unsigned int cp, min;
	size_t len, i;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool bb_utf8_unsafe(const unsigned char *s, size_t len)
{
	if (len == 2)
		return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f;
	if (len != 3 || s[0] != 0xe2)
		return false;
	/* U+200E U+200F, U+2028..U+202E */
	if (s[1] == 0x80)
		return (s[2] >= 0xa8 && s[2] <= 0xae) || s[2] == 0x8e ||
		       s[2] == 0x8f;
	/* U+2066..U+2069 */
	return s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9;
}

unsigned int bb_utf8_cp(const unsigned char *s, size_t len)
{
	switch (len) {
	case 1:
		return s[0];
	case 2:
		return (s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	case 3:
		return (s[0] & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	default:
		return (s[0] & 0x07) << 18 | (s[1] & 0x3f) << 12 |
		       (s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	}
}
