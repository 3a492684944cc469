// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Helpers shared by the map commands (map.c, map_elem.c, map_dump.c):
 * opening the map a command names, /proc fdinfo fields, per-CPU value
 * layout, hex output, the JSON writer glue, and the DATA / VALUE
 * grammar of bpftool ("key [hex] BYTES value ... [any|exist|noexist]").
 *
 * There is no cli/map.h (the map files may only be cli/map*.c): each
 * user includes map.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "btf_value.h"
#include "cli.h"
#include "map.h"

/* One map, with its info; fd or a negative errno (already reported). */
int map_open(int *argc, char ***argv, struct bpf_map_info *info)
{
	int fd, err;

	fd = cli_map_fd(argc, argv);
	if (fd < 0)
		return fd;
	err = cli_map_info(fd, info);
	if (err) {
		close(fd);
		cli_fail("cannot get info of the map: %s", strerror(-err));
		return err;
	}
	return fd;
}

/* A field of /proc/self/fdinfo/FD ("memlock", "frozen"); malloc'd or NULL */
char *map_fdinfo(int fd, const char *field)
{
	char val[256];

	return cli_self_fdinfo(fd, field, val, sizeof(val)) ? strdup(val) : NULL;
}

bool map_is_frozen(int fd)
{
	char *s = map_fdinfo(fd, "frozen");
	bool frozen = s && atoi(s);

	free(s);
	return frozen;
}

bool map_is_per_cpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/*
 * The kernel copies per-CPU values for every possible CPU, each in a slot
 * of the value size rounded up to 8. "0-3,8-11": the count, not the
 * highest number, as libbpf counts them.
 */
int map_possible_cpus(void)
{
	static int cached;
	unsigned int a, b;
	int n = 0, k;
	char buf[4096], *p;
	FILE *f;

	if (cached)
		return cached;
	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (!f)
		return -errno;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	while (p && *p && *p != '\n') {
		k = sscanf(p, "%u-%u", &a, &b);
		if (k < 1)
			return -EINVAL;
		n += k == 2 && b >= a ? b - a + 1 : 1;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	if (n <= 0)
		return -EINVAL;
	return cached = n;
}

/* bytes a lookup writes: one value, or one 8-aligned slot per CPU */
size_t map_value_room(const struct bpf_map_info *info)
{
	int n;

	if (!map_is_per_cpu(info->type))
		return info->value_size ? info->value_size : 1;
	n = map_possible_cpus();
	return (size_t)((info->value_size + 7) & ~7u) * (n > 0 ? n : 1);
}

/* bpftool's fprint_hex: "01 02 ..", two spaces after 8, a line per 16 */
void map_print_hex(const void *p, size_t n)
{
	const unsigned char *d = p;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *pfx = " ";

		if (!i)
			pfx = "";
		else if (!(i % 16))
			pfx = "\n";
		else if (!(i % 8))
			pfx = "  ";
		printf("%s%02x", pfx, d[i]);
	}
}

/* "01 00 00 00" for messages, cut with "..." when long */
const char *map_hex_str(const void *p, size_t n, char *buf, size_t len)
{
	const unsigned char *d = p;
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o + 8 < len; i++)
		o += snprintf(buf + o, len - o, "%s%02x", i ? " " : "", d[i]);
	if (i < n)
		snprintf(buf + o, len - o, " ...");
	return buf;
}

struct bb_vw *map_vw_new(bool pretty)
{
	struct bb_vw *w = bb_vw_new(pretty);

	if (!w)
		cli_fail("out of memory");
	return w;
}

void map_vw_flush(struct bb_vw *w)
{
	size_t len;
	const char *s = bb_vw_buf(w, &len);

	fwrite(s, 1, len, stdout);
	bb_vw_clear(w);
}

/* the end of a JSON document: bpftool ends it with a newline */
void map_vw_done(struct bb_vw *w)
{
	if (!w)
		return;
	bb_vw_text(w, "\n");
	map_vw_flush(w);
	if (bb_vw_error(w))
		cli_fail("out of memory: the JSON output is incomplete");
	bb_vw_free(w);
	fflush(stdout);
}

/* bytes as bpftool's JSON shows them: ["0x01","0x02"] */
void map_vw_hex(struct bb_vw *w, const void *p, size_t n)
{
	const unsigned char *d = p;
	char b[8];
	size_t i;

	bb_vw_start_array(w);
	for (i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "0x%02x", d[i]);
		bb_vw_string(w, b);
	}
	bb_vw_end_array(w);
}

/* commands that change something print null with -j, as bpftool does */
int map_json_null(struct cli *cli)
{
	struct bb_vw *w;

	if (!cli->json)
		return CLI_OK;
	w = map_vw_new(cli->pretty);
	if (!w)
		return CLI_FAIL;
	bb_vw_null(w);
	map_vw_done(w);
	return CLI_OK;
}

const char *map_type_str(uint32_t type, char *buf, size_t len)
{
	const char *s = bpfbox_map_type_name(type);

	if (s)
		return s;
	snprintf(buf, len, "type %u", type);
	return buf;
}

/* the name/value pairs `map show -j` and `map dump` (several maps) share */
void map_header_json(struct bb_vw *w, const struct bpf_map_info *info)
{
	const char *type = bpfbox_map_type_name(info->type);

	bb_vw_name(w, "id");
	bb_vw_uint(w, info->id);
	bb_vw_name(w, "type");
	if (type)
		bb_vw_string(w, type);
	else
		bb_vw_uint(w, info->type);
	if (info->name[0]) {
		bb_vw_name(w, "name");
		bb_vw_string(w, info->name);
	}
	bb_vw_name(w, "flags");
	bb_vw_int(w, (int)info->map_flags);
}

/* ------------------------------------------------------------------ */
/* DATA := { [hex] BYTES }                                             */

/* one byte in C notation (12, 0x0c, 014), or bare hex after "hex" */
static int parse_byte(const char *s, int base, unsigned char *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || *end || v > 0xff)
		return -EINVAL;
	*out = v;
	return 0;
}

/* n bytes of what ("key", "value") into buf; words consumed or -usage */
static int parse_bytes(int argc, char **argv, const char *what, void *buf,
		       uint32_t n)
{
	int i = 0, base = 0;
	uint32_t got = 0;

	if (argc && cli_is_prefix(argv[0], "hex")) {
		base = 16;
		i++;
	}
	for (; got < n && i < argc; i++, got++) {
		if (parse_byte(argv[i], base, (unsigned char *)buf + got))
			break;
	}
	if (got == n)
		return i;
	if (i < argc)
		cli_usage("%s: expected %u byte%s, got %u: '%s' is not a byte "
			  "(0-255 as 12, 0x0c or 014; or 'hex' then bare hex "
			  "bytes)", what, n, n == 1 ? "" : "s", got, argv[i]);
	else
		cli_usage("%s: expected %u byte%s, got %u", what, n,
			  n == 1 ? "" : "s", got);
	return -CLI_EUSAGE;
}

/* VALUE := MAP for map-in-map, PROG for prog arrays: the fd goes in */
static int parse_fd_value(int argc, char **argv,
			  const struct bpf_map_info *info, void *value,
			  int *value_fd)
{
	bool progs = info->type == BPF_MAP_TYPE_PROG_ARRAY;
	int fd, n = 2;
	uint32_t v;

	if (info->value_size != 4)
		return cli_usage("value: a %s value must be 4 bytes (an fd), "
				 "this map has %u", progs ? "program array" :
				 "map-in-map", info->value_size), -CLI_EUSAGE;
	if (argc < 2)
		return cli_usage("value: expected %s", progs ?
				 "PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }" :
				 "MAP := { id MAP_ID | pinned FILE | name MAP_NAME }"),
		       -CLI_EUSAGE;
	if (progs && cli_is_prefix(argv[0], "id"))
		fprintf(stderr, "Warning: updating program array via MAP_ID, "
			"make sure this map is kept open\n         by some "
			"process or pinned otherwise update will be lost\n");
	fd = progs ? cli_prog_fd(&n, &argv) : cli_map_fd(&n, &argv);
	if (fd < 0)
		return fd;
	v = fd;
	memcpy(value, &v, 4);
	*value_fd = fd;
	return 2;
}

static bool is_fd_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS ||
	       type == BPF_MAP_TYPE_PROG_ARRAY;
}

/* the words after "value": words used, or a negative errno */
static int parse_value(int argc, char **argv, const struct bpf_map_info *info,
		       void *value, int *value_fd)
{
	if (is_fd_map(info->type))
		return parse_fd_value(argc, argv, info, value, value_fd);
	return parse_bytes(argc, argv, "value", value, info->value_size);
}

static int parse_flag(const char *w, uint64_t *flags)
{
	if (cli_is_prefix(w, "any"))
		*flags = BPF_ANY;
	else if (cli_is_prefix(w, "noexist"))
		*flags = BPF_NOEXIST;
	else if (cli_is_prefix(w, "exist"))
		*flags = BPF_EXIST;
	else
		return -1;
	return 0;
}

/* "key" or "value" where it cannot be */
static int elem_twice(const char *w, const struct bpf_map_info *info,
		      bool seen)
{
	bool k = cli_is_prefix(w, "key");
	uint32_t size = k ? info->key_size : info->value_size;
	const char *what = k ? "key" : "value";

	if (seen)
		cli_usage("%s given twice", what);
	else if (!size)
		cli_usage("this map has no %ss (%s size 0): drop '%s'", what,
			  what, w);
	else
		cli_usage("no %s is wanted here", what);
	return -CLI_EUSAGE;
}

/*
 * "key DATA", "value VALUE" and an update flag, in any order. key/value
 * NULL: not wanted here; flags NULL: no flag allowed. 0, or a negative
 * errno already reported (-CLI_EUSAGE for the words themselves).
 */
/* a byte after the last one of key or value */
static int one_too_many(const char *last, const struct bpf_map_info *info,
			const char *w)
{
	uint32_t n = strcmp(last, "key") ? info->value_size : info->key_size;

	cli_usage("%s: expected %u byte%s, got more: '%s' is one too many",
		  last, n, n == 1 ? "" : "s", w);
	return -CLI_EUSAGE;
}

int map_parse_elem(int argc, char **argv, const struct bpf_map_info *info,
		   void *key, void *value, uint64_t *flags, int *value_fd)
{
	bool seen_key = false, seen_val = false, seen_flag = false;
	const char *last = NULL;	/* "key"/"value" just read as bytes */
	unsigned char byte;
	int used;

	while (argc) {
		const char *w = argv[0];

		if (cli_is_prefix(w, "key") && key && !seen_key) {
			used = parse_bytes(argc - 1, argv + 1, "key", key,
					   info->key_size);
			seen_key = true;
			last = "key";
		} else if (cli_is_prefix(w, "value") && value && !seen_val) {
			used = parse_value(argc - 1, argv + 1, info, value,
					   value_fd);
			seen_val = true;
			last = is_fd_map(info->type) ? NULL : "value";
		} else if (flags && !seen_flag && !parse_flag(w, flags)) {
			used = 0;
			seen_flag = true;
			last = NULL;
		} else if (last && !parse_byte(w, 0, &byte)) {
			return one_too_many(last, info, w);
		} else if (cli_is_prefix(w, "key") || cli_is_prefix(w, "value")) {
			return elem_twice(w, info, cli_is_prefix(w, "key") ?
					  seen_key : seen_val);
		} else {
			return cli_usage("expected %s, got '%s'", flags ?
					 "'key', 'value' or one of any, exist, noexist" :
					 "'key'", w), -CLI_EUSAGE;
		}
		if (used < 0)
			return used;
		argc -= used + 1;
		argv += used + 1;
	}
	if (key && !seen_key)
		return cli_usage("expected 'key' and %u bytes (key size of this "
				 "map)", info->key_size), -CLI_EUSAGE;
	if (value && !seen_val)
		return cli_usage("expected 'value' and %u bytes (value size of "
				 "this map)", info->value_size), -CLI_EUSAGE;
	return 0;
}
