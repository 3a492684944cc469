// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values of __kconfig externs: LINUX_KERNEL_VERSION and friends from the
 * running kernel, CONFIG_* from /boot/config-$(uname -r) or
 * /proc/config.gz (read with zlib, which also reads plain files). The
 * parsing rules are libbpf's, so an object sees the same values.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "bpfbox.h"
#include "err.h"
#include "object.h"

enum { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

static struct bb_extern *find_kcfg(struct bpfbox_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nexterns; i++)
		if (obj->externs[i].kind == BB_EXT_KCFG &&
		    !strcmp(obj->externs[i].name, name))
			return &obj->externs[i];
	return NULL;
}

static int set_tri(struct bpfbox_object *obj, struct bb_extern *e, char v)
{
	uint8_t *p = obj->kconfig_data + e->data_off;
	uint32_t tri = v == 'y' ? TRI_YES : v == 'm' ? TRI_MODULE : TRI_NO;

	switch (e->kcfg_type) {
	case BB_KCFG_BOOL:
		if (v == 'm')
			return bb_err(EINVAL, "extern %s: value 'm' needs a tristate or char type, not bool",
				      e->name);
		*p = v == 'y';
		break;
	case BB_KCFG_TRISTATE:
		memcpy(p, &tri, sizeof(tri));
		break;
	case BB_KCFG_CHAR:
		*p = v;
		break;
	default:
		return bb_err(EINVAL, "extern %s: value '%c' needs a bool, tristate or char type",
			      e->name, v);
	}
	e->is_set = true;
	return 0;
}

static int set_str(struct bpfbox_object *obj, struct bb_extern *e,
		   const char *v)
{
	char *p = (char *)obj->kconfig_data + e->data_off;
	size_t len = strlen(v);

	if (e->kcfg_type != BB_KCFG_CHAR_ARR)
		return bb_err(EINVAL, "extern %s: string value %s needs a char array",
			      e->name, v);
	if (len < 2 || v[len - 1] != '"')
		return bb_err(EINVAL, "extern %s: invalid string %s", e->name, v);
	len -= 2;
	if (len >= e->sz)	/* truncated, like libbpf */
		len = e->sz - 1;
	memcpy(p, v + 1, len);
	p[len] = '\0';
	e->is_set = true;
	return 0;
}

static bool fits(const struct bb_extern *e, uint64_t v)
{
	int bits = e->sz * 8;

	if (bits == 64)
		return true;
	if (e->is_signed)	/* the value as a sign-extended number */
		return (int64_t)v >= -(1LL << (bits - 1)) &&
		       (int64_t)v < (1LL << (bits - 1));
	return v < (1ULL << bits);
}

static int set_num(struct bpfbox_object *obj, struct bb_extern *e, uint64_t v)
{
	uint8_t *p = obj->kconfig_data + e->data_off;

	if (e->kcfg_type != BB_KCFG_INT && e->kcfg_type != BB_KCFG_CHAR &&
	    e->kcfg_type != BB_KCFG_BOOL)
		return bb_err(EINVAL, "extern %s: a number needs an integer type", e->name);
	if (e->kcfg_type == BB_KCFG_BOOL ? v > 1 : !fits(e, v))
		return bb_err(ERANGE, "extern %s: value %llu does not fit in %u bytes",
			      e->name, (unsigned long long)v, e->sz);
	switch (e->sz) {
	case 1: *p = v; break;
	case 2: { uint16_t x = v; memcpy(p, &x, 2); break; }
	case 4: { uint32_t x = v; memcpy(p, &x, 4); break; }
	default: memcpy(p, &v, 8); break;
	}
	e->is_set = true;
	return 0;
}

int bb_kconfig_apply_line(struct bpfbox_object *obj, const char *line)
{
	char buf[1024], *sep, *end, *val;
	struct bb_extern *e;
	size_t len;
	uint64_t num;

	if (strncmp(line, "CONFIG_", 7))
		return 0;
	snprintf(buf, sizeof(buf), "%s", line);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	sep = strchr(buf, '=');
	if (!sep || !sep[1])
		return bb_err(EINVAL, "kernel config: cannot parse '%s'", buf);
	*sep = '\0';
	e = find_kcfg(obj, buf);
	if (!e || e->is_set)
		return 0;
	val = sep + 1;
	if (*val == 'y' || *val == 'n' || *val == 'm')
		return set_tri(obj, e, *val);
	if (*val == '"')
		return set_str(obj, e, val);
	num = strtoull(val, &end, 0);
	if (*end)
		return bb_err(EINVAL, "extern %s: value '%s' is not an integer", e->name, val);
	return set_num(obj, e, num);
}

static int read_config(struct bpfbox_object *obj)
{
	char path[512], line[1024];
	struct utsname u;
	gzFile f;
	int err = 0;

	uname(&u);
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	if (access(path, R_OK))
		snprintf(path, sizeof(path), "/proc/config.gz");
	f = gzopen(path, "re");
	if (!f)
		return bb_err(ENOENT,
			      "%s: the object reads the kernel configuration (__kconfig), but neither /boot/config-%s nor /proc/config.gz is readable",
			      obj->path, u.release);
	while (!err && gzgets(f, line, sizeof(line)))
		err = bb_kconfig_apply_line(obj, line);
	gzclose(f);
	return err ? bb_err_wrap(err, "%s: %s", obj->path, path) : 0;
}

/* as libbpf: the syscall wrapper matters only where kprobes can use it */
static bool has_syscall_wrapper(void)
{
	if (access("/sys/bus/event_source/devices/kprobe/type", R_OK))
		return false;
	return bb_kallsyms_lookup("__x64_sys_bpf", NULL) == 0;
}

static int set_linux(struct bpfbox_object *obj, struct bb_extern *e)
{
	struct utsname u;
	unsigned int a = 0, b = 0, c = 0;

	if (!strcmp(e->name, "LINUX_KERNEL_VERSION")) {
		uname(&u);
		sscanf(u.release, "%u.%u.%u", &a, &b, &c);
		return set_num(obj, e, (a << 16) + (b << 8) + (c > 255 ? 255 : c));
	}
	if (!strcmp(e->name, "LINUX_HAS_BPF_COOKIE"))
		return set_num(obj, e, bb_probe_bpf_cookie());
	if (!strcmp(e->name, "LINUX_HAS_SYSCALL_WRAPPER"))
		return set_num(obj, e, has_syscall_wrapper());
	return bb_err(EINVAL, "%s: unknown Linux extern %s (known: LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER)",
		      obj->path, e->name);
}

int bb_object_resolve_kconfig(struct bpfbox_object *obj)
{
	bool need_config = false;
	size_t i;
	int err;

	for (i = 0; i < obj->nexterns; i++) {
		struct bb_extern *e = &obj->externs[i];

		if (e->kind != BB_EXT_KCFG)
			continue;
		if (!strncmp(e->name, "LINUX_", 6)) {
			err = set_linux(obj, e);
			if (err)
				return err;
		} else if (!strncmp(e->name, "CONFIG_", 7)) {
			need_config = true;
		} else {
			return bb_err(EINVAL, "%s: extern %s __kconfig: names must start with CONFIG_ or LINUX_",
				      obj->path, e->name);
		}
	}
	if (need_config) {
		err = read_config(obj);
		if (err)
			return err;
	}
	for (i = 0; i < obj->nexterns; i++) {
		struct bb_extern *e = &obj->externs[i];

		if (e->kind == BB_EXT_KCFG && !e->is_set && !e->is_weak)
			return bb_err(ESRCH, "%s: extern %s: not in the kernel configuration (declare it __weak to read 0 instead)",
				      obj->path, e->name);
	}
	return 0;
}
