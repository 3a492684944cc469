// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export --config FILE: the configuration as the exporter uses
 * it (export_conf.h): loading a file, finding a map's entry and a
 * label's rule, merging configs, freeing, and the decoder names. The
 * YAML itself is read by export_conf_yaml.c and export_conf_value.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "export_conf_int.h"

#define CONF_MAX_FILE		(1u << 20)	/* export_conf_load */

int export_conf_load(const char *path, struct export_conf **out)
{
	size_t len = 0;
	ssize_t r;
	char *buf;
	int fd, err;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bb_err(errno, "%s: cannot open: %s", path,
			      strerror(errno));
	/* read to one byte past the limit: a pipe has no size to ask */
	buf = malloc(CONF_MAX_FILE + 1);
	if (!buf) {
		close(fd);
		return bb_err(ENOMEM, "%s: out of memory", path);
	}
	while (len <= CONF_MAX_FILE) {
		r = read(fd, buf + len, CONF_MAX_FILE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = bb_err(errno, "%s: cannot read: %s", path,
				     strerror(errno));
			goto out;
		}
		if (!r)
			break;
		len += r;
	}
	if (len > CONF_MAX_FILE)
		err = bb_err(EFBIG, "%s: larger than 1 MiB, the most a config may be",
			     path);
	else
		err = export_conf_parse(buf, len, path, out);
out:
	free(buf);
	close(fd);
	return err;
}

void export_conf_free(struct export_conf *c)
{
	size_t i, j;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		struct export_metric_conf *m = &c->m[i];

		for (j = 0; j < m->nlabels; j++) {
			free(m->labels[j].field);
			free(m->labels[j].name);
		}
		free(m->labels);
		free(m->object);
		free(m->map);
		free(m->member);
		free(m->name);
		free(m->help);
	}
	free(c->m);
	free(c->source);
	free(c);
}

/*
 * The most specific entry: one naming the member beats one for the
 * whole map, then one naming the object beats one for every object.
 * Entries are unique per object+map+member, so there is no tie.
 */
struct export_metric_conf *export_conf_find(const struct export_conf *c,
					    const char *object,
					    const char *map,
					    const char *member)
{
	struct export_metric_conf *best = NULL;
	int best_score = -1, score;
	size_t i;

	if (!c || !map)
		return NULL;
	for (i = 0; i < c->n; i++) {
		struct export_metric_conf *m = &c->m[i];

		if (strcmp(m->map, map))
			continue;
		if (m->object && (!object || strcmp(m->object, object)))
			continue;
		if (m->member && (!member || strcmp(m->member, member)))
			continue;
		score = (m->member ? 2 : 0) + (m->object ? 1 : 0);
		if (score > best_score) {
			best = m;
			best_score = score;
		}
	}
	return best;
}

const struct export_label_conf *
export_conf_label(const struct export_metric_conf *mc, const char *field)
{
	size_t i;

	if (!mc || !field)
		return NULL;
	for (i = 0; i < mc->nlabels; i++)
		if (!strcmp(mc->labels[i].field, field))
			return &mc->labels[i];
	return NULL;
}

const char *const conf_decoder_names[CONF_NDECODERS] = {
	[EXPORT_DEC_NONE] = "none",
	[EXPORT_DEC_KSYM] = "ksym",
	[EXPORT_DEC_SYSCALL] = "syscall",
	[EXPORT_DEC_ERRNO] = "errno",
	[EXPORT_DEC_CGROUP] = "cgroup",
	[EXPORT_DEC_HEX] = "hex",
	[EXPORT_DEC_DROP] = "drop",
};

int export_decoder_parse(const char *name, enum export_decoder *out)
{
	struct shown b;
	int i;

	for (i = 0; name && i < CONF_NDECODERS; i++) {
		if (!strcmp(name, conf_decoder_names[i])) {
			*out = i;
			return 0;
		}
	}
	return bb_err(EINVAL, "unknown decoder \"%s\" (ksym, syscall, errno, cgroup, hex, drop or none)",
		      name ? conf_show(&b, name, strlen(name)) : "");
}

const char *export_decoder_name(enum export_decoder d)
{
	if ((int)d < 0 || (int)d >= CONF_NDECODERS)
		return "?";
	return conf_decoder_names[d];
}

/* same object (NULL matches only NULL), map and member */
static bool same_target(const struct export_metric_conf *a,
			const struct export_metric_conf *b)
{
	return !strcmp(a->map, b->map) &&
	       !a->object == !b->object &&
	       (!a->object || !strcmp(a->object, b->object)) &&
	       !a->member == !b->member &&
	       (!a->member || !strcmp(a->member, b->member));
}

static bool replaced(const struct export_conf *c,
		     const struct export_metric_conf *m)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (same_target(&c->m[i], m))
			return true;
	return false;
}

int export_conf_merge(struct export_conf *c, struct export_conf *more)
{
	struct export_metric_conf *m;
	size_t i, n = c->n;

	m = realloc(c->m, (c->n + more->n + 1) * sizeof(*m));
	if (!m) {
		export_conf_free(more);
		return bb_err(-ENOMEM, "%s: out of memory", c->source);
	}
	c->m = m;
	for (i = 0; i < more->n; i++) {
		if (replaced(c, &more->m[i]))
			continue;
		c->m[n++] = more->m[i];
		/* moved: export_conf_free(more) must not free it */
		memset(&more->m[i], 0, sizeof(more->m[i]));
	}
	c->n = n;
	export_conf_free(more);
	return 0;
}
