// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: `bpfbox export --config`'s YAML configuration
 * (cli/export_conf*.c on libyaml's document loader), fed any bytes. A
 * refusal must say "t.yaml:LINE: why" with a line inside the input; an
 * accepted config must hold what the header promises (a map in every
 * entry, valid names, a finite scale above 0, known enums, unique
 * entries and label fields), and looking each entry up again must give
 * that entry back.
 *
 *   make B=build build/fuzz/fuzz_export_conf
 *   build/fuzz/fuzz_export_conf -max_total_time=60 \
 *	tests/fuzz/corpus/fuzz_export_conf
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "../../cli/export_conf.c"
#include "../../cli/export_conf_value.c"
#include "../../cli/export_conf_yaml.c"

static bool valid_name(const char *s, const char *extra)
{
	size_t i;

	if (!s || !*s)
		return false;
	for (i = 0; s[i]; i++)
		if (!name_char(s[i], extra) && !(i && s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

static void check_labels(const struct export_metric_conf *m)
{
	size_t i;

	if (m->nlabels && !m->labels)
		abort();
	for (i = 0; i < m->nlabels; i++) {
		const struct export_label_conf *l = &m->labels[i];

		if (!valid_name(l->field, "") ||
		    (l->name && (!valid_name(l->name, "") ||
				 !strncmp(l->name, "__", 2) ||
				 !strcmp(l->name, "le"))))
			abort();
		if ((int)l->decoder < 0 || l->decoder > EXPORT_DEC_DROP)
			abort();
		if (export_conf_label(m, l->field) != l)
			abort();	/* fields are unique */
	}
}

static void check_conf(const struct export_conf *c, size_t lines)
{
	size_t i;

	if (!c || strcmp(c->source, "t.yaml") || (c->n && !c->m))
		abort();
	for (i = 0; i < c->n; i++) {
		struct export_metric_conf *m = &c->m[i];

		if (!valid_name(m->map, ".") ||
		    (m->object && !valid_name(m->object, "")) ||
		    (m->member && !valid_name(m->member, "")) ||
		    (m->name && !valid_name(m->name, ":")))
			abort();
		if (!isfinite(m->scale) || !(m->scale > 0))
			abort();
		if ((int)m->type < 0 || m->type > EXPORT_TYPE_GAUGE ||
		    (int)m->buckets < 0 || m->buckets > EXPORT_BUCKETS_LINEAR)
			abort();
		if (m->line < 1 || (size_t)m->line > lines || m->used)
			abort();
		check_labels(m);
		/* entries are unique: the most specific match is itself */
		if (export_conf_find(c, m->object, m->map, m->member) != m)
			abort();
	}
}

/* "t.yaml:N: " with 1 <= N <= the input's lines, and a reason after */
static void check_refusal(int err, size_t lines)
{
	const char *msg = bpfbox_errmsg();
	char *end;
	unsigned long line;

	if (err == -ENOMEM)
		return;
	if (err != -EINVAL || strncmp(msg, "t.yaml:", 7))
		abort();
	line = strtoul(msg + 7, &end, 10);
	if (end == msg + 7 || line < 1 || line > lines ||
	    strncmp(end, ": ", 2) || !end[2])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct export_conf *c = NULL;
	/* a line break is at least a byte (libyaml also counts \r, NEL,
	 * LS, PS, and in UTF-16 input) */
	size_t lines = size + 1;
	char *text;
	int err;

	/* an exact-size copy: ASan catches any read past it */
	text = malloc(size ?: 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	err = export_conf_parse(text, size, "t.yaml", &c);
	if (err) {
		if (c)
			abort();
		check_refusal(err, lines);
	} else {
		check_conf(c, lines);
		export_conf_free(c);
	}
	free(text);
	return 0;
}
