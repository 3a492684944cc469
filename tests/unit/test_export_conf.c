// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `bpfbox export --config`: the YAML configuration (cli/export_conf.c,
 * export_conf_value.c, export_conf_yaml.c), compiled in here as they are
 * (the CLI is not in the library).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "bpfbox.h"
#include "../../cli/export_conf.c"
#include "../../cli/export_conf_value.c"
#include "../../cli/export_conf_yaml.c"

static struct export_conf *parse_ok(const char *text)
{
	struct export_conf *c = NULL;
	int err = export_conf_parse(text, strlen(text), "t.yaml", &c);

	if (err || !c) {
		fprintf(stderr, "  parse failed (%d): %s\n  in: %s\n", err,
			bpfbox_errmsg(), text);
		bb_test_failed++;
	}
	return c;
}

/*
 * text must be refused with a message "t.yaml:LINE: ...WHY..."; a
 * failure prints the text it was about.
 */
static void expect_err(const char *text, int line, const char *why)
{
	struct export_conf *c = (void *)1;
	char at[32];
	int err = export_conf_parse(text, strlen(text), "t.yaml", &c);
	const char *msg = bpfbox_errmsg();

	snprintf(at, sizeof(at), "t.yaml:%d: ", line);
	if (err != -EINVAL || c || strncmp(msg, at, strlen(at)) ||
	    !strstr(msg, why)) {
		fprintf(stderr, "  want -EINVAL \"%s...%s\", got %d \"%s\"\n  in: %s\n",
			at, why, err, msg, text);
		bb_test_failed++;
		if (!err)
			export_conf_free(c);
	}
}

static const char full[] =
	"# every key\n"					/* 1 */
	"export_unlisted: false\n"			/* 2 */
	"metrics:\n"					/* 3 */
	"  - map: syscount:latency\n"			/* 4 */
	"    member: total_ns\n"			/* 5 */
	"    name: syscall_latency_seconds\n"		/* 6 */
	"    help: \"Time in system calls\\nby name\"\n"	/* 7 */
	"    type: gauge\n"				/* 8 */
	"    scale: 1e-9\n"				/* 9 */
	"    buckets: log2\n"				/* 10 */
	"    skip: no\n"				/* 11 */
	"    labels:\n"					/* 12 */
	"      - field: id\n"				/* 13 */
	"        name: syscall\n"			/* 14 */
	"        decoder: syscall\n"			/* 15 */
	"      - field: addr_0\n"			/* 16 */
	"        decoder: ksym\n"			/* 17 */
	"      - {field: err, decoder: errno}\n"	/* 18 */
	"      - {field: cg, name: cgroup, decoder: cgroup}\n" /* 19 */
	"      - {field: flags, decoder: hex}\n"	/* 20 */
	"      - {field: cpu, decoder: drop}\n"		/* 21 */
	"      - {field: pid, name: process, decoder: none}\n" /* 22 */
	"  - map: counts\n"				/* 23 */
	"    type: counter\n"				/* 24 */
	"    scale: 0.001\n"				/* 25 */
	"    buckets: linear\n"				/* 26 */
	"    skip: yes\n"				/* 27 */
	"    name: 'ns:counts_total'\n"			/* 28 */
	"  - map: .bss\n"				/* 29 */
	"    labels: []\n";				/* 30 */

TEST(export_conf_full)
{
	struct export_conf *c = parse_ok(full);
	const struct export_metric_conf *m;
	const struct export_label_conf *l;

	if (!c)
		return;
	CHECK_STR(c->source, "t.yaml");
	CHECK(!c->export_unlisted);
	CHECK_INT(c->n, ==, 3);
	m = &c->m[0];
	CHECK_STR(m->object, "syscount");
	CHECK_STR(m->map, "latency");
	CHECK_STR(m->member, "total_ns");
	CHECK_STR(m->name, "syscall_latency_seconds");
	CHECK_STR(m->help, "Time in system calls\nby name");
	CHECK_INT(m->type, ==, EXPORT_TYPE_GAUGE);
	CHECK(m->scale == 1e-9);
	CHECK_INT(m->buckets, ==, EXPORT_BUCKETS_LOG2);
	CHECK(!m->skip);
	CHECK_INT(m->line, ==, 4);
	CHECK(!m->used);
	CHECK_INT(m->nlabels, ==, 7);
	if (m->nlabels == 7) {
		l = m->labels;
		CHECK_STR(l[0].field, "id");
		CHECK_STR(l[0].name, "syscall");
		CHECK_INT(l[0].decoder, ==, EXPORT_DEC_SYSCALL);
		CHECK_STR(l[1].field, "addr_0");
		CHECK(!l[1].name);
		CHECK_INT(l[1].decoder, ==, EXPORT_DEC_KSYM);
		CHECK_STR(l[2].field, "err");
		CHECK_INT(l[2].decoder, ==, EXPORT_DEC_ERRNO);
		CHECK_STR(l[3].name, "cgroup");
		CHECK_INT(l[3].decoder, ==, EXPORT_DEC_CGROUP);
		CHECK_INT(l[4].decoder, ==, EXPORT_DEC_HEX);
		CHECK_STR(l[5].field, "cpu");
		CHECK_INT(l[5].decoder, ==, EXPORT_DEC_DROP);
		CHECK_STR(l[6].name, "process");
		CHECK_INT(l[6].decoder, ==, EXPORT_DEC_NONE);
	}
	m = &c->m[1];
	CHECK(!m->object);
	CHECK_STR(m->map, "counts");
	CHECK(!m->member);
	CHECK_STR(m->name, "ns:counts_total");
	CHECK(!m->help);
	CHECK_INT(m->type, ==, EXPORT_TYPE_COUNTER);
	CHECK(m->scale == 0.001);
	CHECK_INT(m->buckets, ==, EXPORT_BUCKETS_LINEAR);
	CHECK(m->skip);
	CHECK_INT(m->line, ==, 23);
	CHECK_INT(m->nlabels, ==, 0);
	m = &c->m[2];
	CHECK_STR(m->map, ".bss");
	CHECK_INT(m->nlabels, ==, 0);
	CHECK_INT(m->line, ==, 29);
	CHECK_INT(m->bucket_max, ==, -1);	/* not given: as seen */
	export_conf_free(c);
	c = parse_ok("metrics:\n- map: lat\n  bucket_max: 33\n");
	if (c)
		CHECK_INT(c->m[0].bucket_max, ==, 33);
	export_conf_free(c);
}

TEST(export_conf_defaults)
{
	static const char *const empty[] = {
		"", "# nothing\n", "{}", "---\n", "~\n", "metrics:\n",
		"metrics: []\nexport_unlisted: true\n", "export_unlisted: yes",
	};
	struct export_conf *c;
	size_t i;

	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		c = parse_ok(empty[i]);
		if (!c)
			continue;
		CHECK(c->export_unlisted);
		CHECK_INT(c->n, ==, 0);
		export_conf_free(c);
	}
	c = parse_ok("metrics:\n- map: m\n  labels:\n");
	if (c) {
		CHECK_INT(c->n, ==, 1);
		CHECK(!c->m[0].object && !c->m[0].member && !c->m[0].name &&
		      !c->m[0].help);
		CHECK(c->m[0].scale == 1.0);
		CHECK_INT(c->m[0].type, ==, EXPORT_TYPE_AUTO);
		CHECK_INT(c->m[0].buckets, ==, EXPORT_BUCKETS_AUTO);
		CHECK(!c->m[0].skip);
		CHECK_INT(c->m[0].nlabels, ==, 0);
		CHECK_INT(c->m[0].line, ==, 2);
		export_conf_free(c);
	}
	/* the other spellings of a bool, and a scale as an integer */
	c = parse_ok("export_unlisted: False\nmetrics: [{map: m, skip: TRUE, scale: 1000}]");
	if (c) {
		CHECK(!c->export_unlisted);
		CHECK(c->m[0].skip);
		CHECK(c->m[0].scale == 1000.0);
		export_conf_free(c);
	}
	c = parse_ok("export_unlisted: no\n");
	if (c) {
		CHECK(!c->export_unlisted);
		export_conf_free(c);
	}
	/* a source NULL is named "config" */
	CHECK_INT(export_conf_parse("x: 1", 4, NULL, &c), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "config:1: unknown key \"x\"");
	CHECK_INT(export_conf_parse(NULL, 0, "n", &c), ==, 0);
	export_conf_free(c);
	export_conf_free(NULL);
}

TEST(export_conf_unknown_keys_and_kinds)
{
	expect_err("metrics: []\nexport_unlisted: true\nfoo: 1\n", 3,
		   "unknown key \"foo\" at the top level (valid: export_unlisted, metrics)");
	expect_err("metrics:\n  - map: m\n    lables: []\n", 3,
		   "unknown key \"lables\" in a metric entry (valid: map, member, name, help, type, scale, buckets, bucket_max, skip, labels)");
	expect_err("metrics:\n  - map: m\n    labels:\n      - field: pid\n        rename: p\n",
		   5, "unknown key \"rename\" in a label (valid: field, name, decoder)");
	expect_err("metrics: 5\n", 1, "metrics: expected a list of metrics");
	expect_err("metrics:\n  map: m\n", 2, "expected a list of metrics");
	expect_err("metrics:\n  - m\n", 2,
		   "metrics: expected a mapping (map, member, name, ...) for each metric");
	expect_err("\n- map: m\n", 2, "expected a mapping at the top");
	expect_err("hello\n", 1, "expected a mapping at the top");
	expect_err("metrics:\n- map: m\n  labels: pid\n", 3,
		   "labels: expected a list of labels");
	expect_err("metrics:\n- map: m\n  labels: [pid]\n", 3,
		   "labels: expected a mapping (field, name, decoder) for each label");
	expect_err("metrics:\n- map: [a, b]\n", 2,
		   "map: expected a single value, not a list");
	expect_err("metrics:\n- map: m\n  name: {a: b}\n", 3,
		   "name: expected a single value, not a mapping");
	expect_err("export_unlisted:\n", 1, "export_unlisted: no value");
	expect_err("metrics:\n- map: m\n  name: ''\n", 3, "name: no value");
	expect_err("metrics:\n- map: m\n  help:\n", 3, "help: no value");
	expect_err("metrics:\n- map: m\n  ? [a]\n  : 1\n", 3,
		   "a key must be a name, not a list");
	expect_err("metrics:\n- map: m\n  map: n\n", 3,
		   "key \"map\" given twice in a metric entry (first at line 2)");
	expect_err("metrics: []\nmetrics: []\n", 2, "key \"metrics\" given twice");
	/* keys and values are shown printable only */
	expect_err("\"a\\e[2Jb\": 1\n", 1, "unknown key \"a?[2Jb\"");
	expect_err("\"a\\0b\": 1\n", 1, "unknown key \"a?b\"");
	expect_err("metrics:\n- map: \"m\\0x\"\n", 2, "map: the value holds a NUL byte");
}

TEST(export_conf_bad_values)
{
	struct export_conf *c;
	char big[300];

	expect_err("export_unlisted: maybe\n", 1,
		   "export_unlisted: \"maybe\" is not true or false (or yes, no)");
	expect_err("metrics:\n- map: m\n  skip: 1\n", 3, "skip: \"1\" is not true or false");
	expect_err("metrics:\n- map: m\n  type: histogram\n", 3,
		   "type: \"histogram\" is not one of counter or gauge");
	expect_err("metrics:\n- map: m\n  type: auto\n", 3,
		   "type: \"auto\" is not one of counter or gauge");
	expect_err("metrics:\n- map: m\n  buckets: log10\n", 3,
		   "buckets: \"log10\" is not one of log2 or linear");
	expect_err("metrics:\n- map: m\n  labels:\n  - field: f\n    decoder: kallsyms\n", 5,
		   "decoder: \"kallsyms\" is not one of ksym, syscall, errno, cgroup, hex or drop");
	expect_err("metrics:\n- map: m\n  scale: 0\n", 3,
		   "scale: \"0\" is not a finite number greater than 0");
	expect_err("metrics:\n- map: m\n  scale: -1e-9\n", 3, "scale: \"-1e-9\" is not");
	expect_err("metrics:\n- map: m\n  scale: nan\n", 3, "scale: \"nan\" is not");
	expect_err("metrics:\n- map: m\n  scale: inf\n", 3, "scale: \"inf\" is not");
	expect_err("metrics:\n- map: m\n  scale: 1e999\n", 3, "scale: \"1e999\" is not");
	expect_err("metrics:\n- map: m\n  scale: 1e-999\n", 3, "scale: \"1e-999\" is not");
	expect_err("metrics:\n- map: m\n  scale: 2x\n", 3, "scale: \"2x\" is not");
	expect_err("metrics:\n- map: m\n  bucket_max: -1\n", 3,
		   "bucket_max: \"-1\" is not a bucket index from 0 to 4095");
	expect_err("metrics:\n- map: m\n  bucket_max: 4096\n", 3, "bucket_max: \"4096\" is not");
	expect_err("metrics:\n- map: m\n  bucket_max: 3.5\n", 3, "bucket_max: \"3.5\" is not");
	expect_err("metrics:\n- map: m\n  help: \"a\\rb\"\n", 3,
		   "help: a control character (byte 1)");
	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "metrics:\n- map: m\n  help: ", 26);
	expect_err(big, 3, "help: longer than 255 bytes");
	/* the longest help allowed */
	big[26 + 255] = '\0';
	c = parse_ok(big);
	if (c) {
		CHECK_INT(strlen(c->m[0].help), ==, 255);
		export_conf_free(c);
	}
}

TEST(export_conf_names)
{
	struct export_conf *c;
	char big[400];

	expect_err("metrics:\n- map: m\n  name: 9lives\n", 3,
		   "metric name \"9lives\": not a valid name (want [a-zA-Z_:][a-zA-Z0-9_:]*)");
	expect_err("metrics:\n- map: m\n  name: a-b\n", 3, "metric name \"a-b\": not a valid name");
	expect_err("metrics:\n- map: m\n  name: a b\n", 3, "metric name \"a b\": not a valid name");
	expect_err("metrics:\n- map: m\n  labels: [{field: f, name: \"a:b\"}]\n", 3,
		   "label name \"a:b\": not a valid name (want [a-zA-Z_][a-zA-Z0-9_]*)");
	expect_err("metrics:\n- map: m\n  labels: [{field: f, name: 1x}]\n", 3,
		   "label name \"1x\": not a valid name");
	expect_err("metrics:\n- map: m\n  labels:\n  - field: f\n    name: __name__\n", 5,
		   "label name \"__name__\": names starting with \"__\" are reserved");
	expect_err("metrics:\n- map: m\n  labels:\n  - field: f\n    name: le\n", 5,
		   "label name \"le\": reserved for histogram buckets");
	expect_err("metrics:\n- map: m\n  labels:\n  - field: a-b\n", 4,
		   "field \"a-b\": not a valid name");
	expect_err("metrics:\n- map: m\n  member: a.b\n", 3, "member \"a.b\": not a valid name");
	expect_err("metrics:\n- map: a:b:c\n", 2, "map \"a:b:c\": expected NAME or OBJECT:NAME");
	expect_err("metrics:\n- map: ':m'\n", 2, "expected NAME or OBJECT:NAME");
	expect_err("metrics:\n- map: 'o:'\n", 2, "expected NAME or OBJECT:NAME");
	expect_err("metrics:\n- map: my-obj:m\n", 2, "object \"my-obj\": not a valid name");
	expect_err("metrics:\n- map: o:m/x\n", 2, "map \"m/x\": not a valid name");
	memset(big, 'a', sizeof(big));
	memcpy(big, "metrics: [{map: m, name: ", 25);
	strcpy(big + 25 + 201, "}]");
	expect_err(big, 1, "longer than 200 characters");
	/* the longest that is allowed, and colons in metric names */
	strcpy(big + 25 + 200, "}]");
	c = parse_ok(big);
	if (c) {
		CHECK_INT(strlen(c->m[0].name), ==, 200);
		export_conf_free(c);
	}
	c = parse_ok("metrics: [{map: m, name: ':a:_b9'}, {map: n, name: _}]");
	if (c) {
		CHECK_STR(c->m[0].name, ":a:_b9");
		CHECK_STR(c->m[1].name, "_");
		export_conf_free(c);
	}
}

TEST(export_conf_missing_and_duplicates)
{
	struct export_conf *c;

	expect_err("metrics:\n- map: m\n- member: x\n  name: y\n", 3,
		   "a metric entry without map (map: NAME, or OBJECT:NAME)");
	expect_err("metrics:\n- map: m\n  labels:\n  - name: x\n", 4, "a label without field");
	expect_err("metrics:\n- map: m\n- map: n\n- map: m\n", 4,
		   "a second entry for map m (the first is at line 2): merge them");
	expect_err("metrics:\n- map: m\n  member: a\n- map: m\n- map: m\n  member: a\n", 5,
		   "a second entry for map m member a (the first is at line 2)");
	expect_err("metrics:\n- map: o:m\n- map: m\n- map: o:m\n", 4,
		   "a second entry for map o:m (the first is at line 2)");
	/* of two duplicate pairs, the one whose second comes first */
	expect_err("metrics:\n- map: b\n- map: a\n- map: a\n- map: b\n", 4,
		   "map a (the first is at line 3)");
	expect_err("metrics:\n- map: m\n  labels:\n  - field: pid\n  - field: tid\n  - field: pid\n    name: p\n",
		   6, "label field \"pid\" given twice in this entry (first at line 4)");
	expect_err("metrics:\n- map: m\n  labels:\n  - {field: pid, name: tid}\n  - field: tid\n",
		   5, "fields \"pid\" and \"tid\" would both be exported as label \"tid\"");
	expect_err("metrics:\n- map: m\n  labels:\n  - {field: a, name: x}\n  - {field: b, name: x}\n",
		   5, "would both be exported as label \"x\"");
	/* not duplicates: another object, member, or a dropped label */
	c = parse_ok("metrics:\n- map: m\n- map: o:m\n- map: p:m\n- map: m\n  member: a\n"
		     "- map: o:m\n  member: a\n- map: m\n  member: b\n"
		     "  labels:\n  - {field: a, name: x, decoder: drop}\n"
		     "  - {field: b, name: x}\n  - {field: c, decoder: drop}\n");
	if (c) {
		CHECK_INT(c->n, ==, 6);
		export_conf_free(c);
	}
}

TEST(export_conf_yaml_errors)
{
	expect_err("metrics:\n  - map: m\n    name: [a, b\n", 4, "YAML: ");
	expect_err("metrics:\n  - map: m\n    name: \"abc\n", 4,
		   "YAML: found unexpected end of stream (while scanning a quoted scalar at line 3)");
	expect_err("metrics:\n  - map: m\n\tname: x\n", 3, "YAML: found a tab character that violates indentation");
	expect_err("metrics:\n  - map: m\n   name: x\n", 3, "YAML: ");
	expect_err("a: b: c\n", 1, "YAML: mapping values are not allowed in this context");
	expect_err("metrics:\n- map: *nope\n", 2, "YAML: found undefined alias");
	/* the reader's errors come as a byte offset: counted into a line */
	expect_err("metrics:\n- map: m\n  help: \"\xff\xfe\"\n", 3, "YAML: invalid ");
	expect_err("metrics:\n- map: m\n  help: \"a\x01\"\n", 3, "YAML: control characters are not allowed");
	expect_err("metrics: []\n---\nmetrics: []\n", 3,
		   "a second YAML document: a config is one document");
	expect_err("metrics: []\n---\n[\n", 4, "YAML: ");
	/* an alias of its own ancestor: refused, not walked forever */
	expect_err("metrics: &a [*a]\n", 1, "metrics: expected a mapping");
	expect_err("metrics:\n- &e {map: m}\n- *e\n", 2, "a second entry for map m");
}

/*
 * Bounds that keep libyaml's quadratic corners away: 500,000 nested
 * brackets in 1 MiB took libyaml hours before this check.
 */
TEST(export_conf_bounds)
{
	size_t n = 500000, i;
	struct export_conf *c;
	char *t = malloc(2 * n + 16), *w;

	if (!t)
		return;
	w = t + sprintf(t, "metrics:\n  ");
	memset(w, '[', n);
	memset(w + n, ']', n);
	w[2 * n] = '\0';
	expect_err(t, 2, "nested deeper than 16 levels");
	/* 16 levels are parsed (and refused for their shape) */
	strcpy(t, "x: [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]");
	expect_err(t, 1, "unknown key \"x\"");
	strcpy(t, "x: [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]");
	expect_err(t, 1, "nested deeper than 16 levels");
	w = t + sprintf(t, "metrics:\n");
	for (i = 0; i < 257; i++)
		w += sprintf(w, "- {map: &a%zu m%zu}\n", i, i);
	expect_err(t, 258, "more than 256 anchors (&NAME)");
	t[strlen(t) - strlen("- {map: &a256 m256}\n")] = '\0';
	c = parse_ok(t);
	if (c) {
		CHECK_INT(c->n, ==, 256);
		export_conf_free(c);
	}
	free(t);
}

TEST(export_conf_anchors)
{
	/* anchors and aliases are YAML: a label list shared */
	struct export_conf *c = parse_ok(
		"metrics:\n- map: a\n  labels: &l [{field: id, decoder: syscall}]\n"
		"- map: b\n  labels: *l\n");

	if (!c)
		return;
	CHECK_INT(c->n, ==, 2);
	CHECK_INT(c->m[1].nlabels, ==, 1);
	CHECK_STR(c->m[1].labels[0].field, "id");
	CHECK(c->m[1].labels[0].field != c->m[0].labels[0].field);
	export_conf_free(c);
}

TEST(export_conf_find)
{
	struct export_conf *c = parse_ok(
		"metrics:\n"
		"- map: counts\n"		/* 0 */
		"- map: counts\n  member: bytes\n"	/* 1 */
		"- map: a:counts\n"		/* 2 */
		"- map: b:lat\n"		/* 3 */
		"- map: b:lat\n  member: ns\n"	/* 4 */
		"- map: hist\n  member: slots\n"	/* 5 */
		"- map: counts\n  member: pkts\n"	/* 6 */
		"- map: a:counts\n  member: pkts\n");	/* 7 */

	if (!c)
		return;
	/* a member-less entry matches the map and every member */
	CHECK(export_conf_find(c, "x", "counts", NULL) == &c->m[0]);
	CHECK(export_conf_find(c, "x", "counts", "calls") == &c->m[0]);
	CHECK(export_conf_find(c, NULL, "counts", NULL) == &c->m[0]);
	/* the exact member wins */
	CHECK(export_conf_find(c, "x", "counts", "bytes") == &c->m[1]);
	/* the object's own entry wins over the any-object one */
	CHECK(export_conf_find(c, "a", "counts", NULL) == &c->m[2]);
	CHECK(export_conf_find(c, "a", "counts", "calls") == &c->m[2]);
	/* a member beats an object */
	CHECK(export_conf_find(c, "a", "counts", "bytes") == &c->m[1]);
	CHECK(export_conf_find(c, "x", "counts", "pkts") == &c->m[6]);
	CHECK(export_conf_find(c, "a", "counts", "pkts") == &c->m[7]);
	/* an entry with an object matches only that object */
	CHECK(export_conf_find(c, "b", "lat", NULL) == &c->m[3]);
	CHECK(export_conf_find(c, "b", "lat", "ns") == &c->m[4]);
	CHECK(export_conf_find(c, "b", "lat", "us") == &c->m[3]);
	CHECK(!export_conf_find(c, "a", "lat", NULL));
	CHECK(!export_conf_find(c, "a", "lat", "ns"));
	CHECK(!export_conf_find(c, NULL, "lat", NULL));
	/* an entry with a member does not match the whole map */
	CHECK(!export_conf_find(c, "x", "hist", NULL));
	CHECK(export_conf_find(c, "x", "hist", "slots") == &c->m[5]);
	CHECK(!export_conf_find(c, "x", "hist", "other"));
	CHECK(!export_conf_find(c, "x", "nope", NULL));
	CHECK(!export_conf_find(c, "x", NULL, NULL));
	CHECK(!export_conf_find(NULL, "x", "counts", NULL));
	export_conf_free(c);
}

TEST(export_conf_label)
{
	struct export_conf *c = parse_ok(
		"metrics:\n- map: m\n  labels:\n  - {field: pid, name: process}\n"
		"  - {field: cpu, decoder: drop}\n- map: n\n");

	if (!c)
		return;
	CHECK(export_conf_label(&c->m[0], "pid") == &c->m[0].labels[0]);
	CHECK(export_conf_label(&c->m[0], "cpu") == &c->m[0].labels[1]);
	CHECK(!export_conf_label(&c->m[0], "tid"));
	CHECK(!export_conf_label(&c->m[0], NULL));
	CHECK(!export_conf_label(&c->m[1], "pid"));
	CHECK(!export_conf_label(NULL, "pid"));
	export_conf_free(c);
}

TEST(export_conf_decoders)
{
	static const char *const names[] = {
		"none", "ksym", "syscall", "errno", "cgroup", "hex", "drop",
	};
	enum export_decoder d;
	int i;

	for (i = 0; i < 7; i++) {
		d = 99;
		CHECK_INT(export_decoder_parse(names[i], &d), ==, 0);
		CHECK_INT(d, ==, i);
		CHECK_STR(export_decoder_name(i), names[i]);
	}
	CHECK_INT(EXPORT_DEC_KSYM, ==, 1);
	CHECK_INT(EXPORT_DEC_DROP, ==, 6);
	CHECK_INT(export_decoder_parse("KSYM", &d), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "unknown decoder \"KSYM\" (ksym, syscall");
	CHECK_INT(export_decoder_parse("", &d), ==, -EINVAL);
	CHECK_INT(export_decoder_parse(NULL, &d), ==, -EINVAL);
	CHECK_STR(export_decoder_name(7), "?");
	CHECK_STR(export_decoder_name((enum export_decoder)-1), "?");
}

static int write_tmp(char *path, const char *text, size_t len)
{
	int fd = mkstemp(path);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, text, len);
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

TEST(export_conf_load)
{
	char path[] = "/tmp/bb_conf_XXXXXX", big_path[] = "/tmp/bb_conf_XXXXXX";
	char want[128];
	struct export_conf *c = (void *)1;
	size_t n = CONF_MAX_FILE + 1;
	char *big;

	CHECK_INT(export_conf_load("/nonexistent/x.yaml", &c), ==, -ENOENT);
	CHECK(!c);
	CHECK_CONTAINS(bpfbox_errmsg(), "/nonexistent/x.yaml: cannot open: ");
	CHECK_INT(export_conf_load("/tmp", &c), ==, -EISDIR);
	CHECK_CONTAINS(bpfbox_errmsg(), "/tmp: cannot read: ");

	if (write_tmp(path, "metrics:\n- map: m\n  bad: 1\n", 27)) {
		fprintf(stderr, "  cannot write %s\n", path);
		bb_test_failed++;
		return;
	}
	CHECK_INT(export_conf_load(path, &c), ==, -EINVAL);
	snprintf(want, sizeof(want), "%s:3: unknown key \"bad\"", path);
	CHECK_CONTAINS(bpfbox_errmsg(), want);
	unlink(path);

	/* exactly 1 MiB (comments) is read; one byte more is refused */
	big = malloc(n);
	if (!big)
		return;
	memset(big, '#', n);
	memcpy(big, "metrics: [{map: m}]\n", 20);
	big[n - 2] = '\n';
	if (!write_tmp(big_path, big, n - 1)) {
		CHECK_INT(export_conf_load(big_path, &c), ==, 0);
		CHECK(c && c->n == 1 && !strcmp(c->source, big_path));
		export_conf_free(c);
		unlink(big_path);
	}
	strcpy(big_path, "/tmp/bb_conf_XXXXXX");
	if (!write_tmp(big_path, big, n)) {
		CHECK_INT(export_conf_load(big_path, &c), ==, -EFBIG);
		CHECK(!c);
		snprintf(want, sizeof(want), "%s: larger than 1 MiB", big_path);
		CHECK_CONTAINS(bpfbox_errmsg(), want);
		unlink(big_path);
	}
	free(big);
}
