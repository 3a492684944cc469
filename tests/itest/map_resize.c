// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox_map_set_max_entries() against the running kernel (root): a ring
 * buffer resized between open and load is created in the new size (the
 * kernel's bpf_map_info says so, and bpfbox_map_max_entries agrees);
 * resizing after load is refused; a map pinned by name is reused only
 * when its size is the one set.
 *
 *   map_resize [PROGS_DIR]     (default $BB_PROGS_DIR, then build/progs)
 *
 * Prints "ok WHAT" / "FAIL WHAT: WHY" / "skip WHAT: WHY" per check and
 * exits 1 if any failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "itest.h"

#define PIN_NAME "bbpin_opens"	/* tests/progs/maps_pinned.bpf.c */

static const char *progs_dir;

static struct bpfbox_object *open_obj(const char *name)
{
	struct bpfbox_object *obj = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", progs_dir, name);
	if (bpfbox_object_open_file(path, NULL, &obj)) {
		fail("open", "%s: %s", path, bpfbox_errmsg());
		return NULL;
	}
	return obj;
}

/* the kernel's max_entries of a loaded map, 0 if unknown */
static uint32_t kernel_max_entries(const struct bpfbox_map *m)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);

	if (bpfbox_obj_get_info_by_fd(bpfbox_map_fd(m), &info, &len))
		return 0;
	return info.max_entries;
}

static void ring_resized(void)
{
	uint32_t sz = 16 * sysconf(_SC_PAGE_SIZE), got;
	struct bpfbox_object *obj = open_obj("ringbuf.bpf.o");
	struct bpfbox_map *m;
	int err;

	if (!obj)
		return;
	m = bpfbox_object_find_map(obj, "events");
	if (!m) {
		fail("ring: map events", "not in ringbuf.bpf.o");
		goto out;
	}
	err = bpfbox_map_set_max_entries(m, sz);
	if (!checkf(!err, "ring: set max_entries before load",
		    "%s", bpfbox_errmsg()))
		goto out;
	err = bpfbox_object_load(obj, NULL);
	if (!checkf(!err, "ring: load", "%s", bpfbox_errmsg()))
		goto out;
	got = kernel_max_entries(m);
	checkf(got == sz, "ring: created with the new size",
	       "the kernel's max_entries is %u, set %u", got, sz);
	checkf(bpfbox_map_max_entries(m) == sz,
	       "ring: bpfbox_map_max_entries after load is the new size",
	       "%u, set %u", bpfbox_map_max_entries(m), sz);
	err = bpfbox_map_set_max_entries(m, 2 * sz);
	checkf(err == -EBUSY && strstr(bpfbox_errmsg(), "map events"),
	       "ring: resize after load refused (EBUSY, names the map)",
	       "returned %d: %s", err, bpfbox_errmsg());
	checkf(kernel_max_entries(m) == sz && bpfbox_map_max_entries(m) == sz,
	       "ring: refused resize changed nothing",
	       "kernel %u, object %u", kernel_max_entries(m),
	       bpfbox_map_max_entries(m));
	/* declared 10000: the loader rounds up as libbpf does, and says so */
	m = bpfbox_object_find_map(obj, "odd_size");
	if (m)
		checkf(bpfbox_map_max_entries(m) == kernel_max_entries(m) &&
		       kernel_max_entries(m) >= 10000,
		       "ring: a declared size the loader rounded up reads back as created",
		       "object %u, kernel %u", bpfbox_map_max_entries(m),
		       kernel_max_entries(m));
out:
	bpfbox_object_close(obj);
}

/* open maps_pinned.bpf.o, bbpin_opens resized to n (0: as declared),
 * load it; the object or NULL (error in *err) */
static struct bpfbox_object *load_pinned(uint32_t n, int *err)
{
	struct bpfbox_object *obj = open_obj("maps_pinned.bpf.o");
	struct bpfbox_map *m;

	*err = -ENOENT;
	if (!obj)
		return NULL;
	m = bpfbox_object_find_map(obj, PIN_NAME);
	*err = m ? 0 : -ENOENT;
	if (m && n)
		*err = bpfbox_map_set_max_entries(m, n);
	if (!*err)
		*err = bpfbox_object_load(obj, NULL);
	if (*err) {
		bpfbox_object_close(obj);
		return NULL;
	}
	return obj;
}

static void pinned_checked(void)
{
	char root[256], pin[512];
	struct bpfbox_object *a, *b;
	struct bpf_map_info ia = {}, ib = {};
	uint32_t len = sizeof(ia);
	int err;

	if (bpfbox_bpffs_path(root, sizeof(root))) {
		skip("pinned", "no bpffs: %s", bpfbox_errmsg());
		return;
	}
	snprintf(pin, sizeof(pin), "%s/%s", root, PIN_NAME);
	if (access(pin, F_OK) == 0) {
		skip("pinned", "%s exists already (another test's?); not touched",
		     pin);
		return;
	}
	a = load_pinned(512, &err);
	if (!checkf(a != NULL, "pinned: resized map created and pinned",
		    "%s", bpfbox_errmsg()))
		goto out;
	checkf(kernel_max_entries(bpfbox_object_find_map(a, PIN_NAME)) == 512,
	       "pinned: the pin has the new size", "max_entries %u",
	       kernel_max_entries(bpfbox_object_find_map(a, PIN_NAME)));
	b = load_pinned(0, &err);
	checkf(!b && err == -EINVAL &&
	       strstr(bpfbox_errmsg(), "different definition"),
	       "pinned: reuse refused for the declared size (256 != 512)",
	       "load returned %d: %s", err, b ? "(loaded)" : bpfbox_errmsg());
	bpfbox_object_close(b);
	b = load_pinned(512, &err);
	if (checkf(b != NULL, "pinned: reused when resized to the pin's size",
		   "%s", bpfbox_errmsg())) {
		bpfbox_obj_get_info_by_fd(bpfbox_map_fd(bpfbox_object_find_map(a, PIN_NAME)),
					  &ia, &len);
		len = sizeof(ib);
		bpfbox_obj_get_info_by_fd(bpfbox_map_fd(bpfbox_object_find_map(b, PIN_NAME)),
					  &ib, &len);
		checkf(ia.id && ia.id == ib.id, "pinned: the same kernel map",
		       "ids %u and %u", ia.id, ib.id);
	}
	bpfbox_object_close(b);
out:
	bpfbox_object_close(a);
	unlink(pin);
}

int main(int argc, char **argv)
{
	progs_dir = argc > 1 ? argv[1] : getenv("BB_PROGS_DIR");
	if (!progs_dir)
		progs_dir = "build/progs";
	if (!bpfbox_may_use_bpf()) {
		skip("map_resize", "needs root (CAP_BPF)");
		return 0;
	}
	ring_resized();
	pinned_checked();
	return failures ? 1 : 0;
}
