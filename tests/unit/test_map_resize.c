// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox_map_set_max_entries() on opened (not loaded) test objects: the
 * per-type rules of the kernel, global data, initial slots of maps of
 * maps, and the refusal once the object is loaded. No kernel needed:
 * "loaded" is the object's flag, set by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfbox.h"
#include "object.h"
#include "test.h"

static struct bpfbox_object *open_obj(const char *name)
{
	struct bpfbox_object *obj = NULL;
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/%s", bb_test_progs_dir(), name);
	err = bpfbox_object_open_file(path, NULL, &obj);
	if (err)
		fprintf(stderr, "  open %s: %s\n", path, bpfbox_errmsg());
	CHECK_INT(err, ==, 0);
	return obj;
}

static struct bpfbox_map *map_of(struct bpfbox_object *obj, const char *name)
{
	struct bpfbox_map *m = bpfbox_object_find_map(obj, name);

	if (!m)
		fprintf(stderr, "  no map %s\n", name);
	CHECK(m != NULL);
	return m;
}

TEST(map_resize_ringbuf)
{
	struct bpfbox_object *obj = open_obj("ringbuf.bpf.o");
	uint32_t page = sysconf(_SC_PAGE_SIZE);
	struct bpfbox_map *m;

	if (!obj)
		return;
	m = map_of(obj, "events");
	if (!m)
		goto out;
	CHECK_INT(bpfbox_map_max_entries(m), ==, 256 * 1024);
	CHECK_INT(bpfbox_map_set_max_entries(m, 1 << 20), ==, 0);
	CHECK_INT(bpfbox_map_max_entries(m), ==, 1 << 20);
	CHECK_INT(bpfbox_map_set_max_entries(m, page), ==, 0);
	CHECK_INT(bpfbox_map_max_entries(m), ==, page);
	CHECK_INT(bpfbox_map_set_max_entries(m, 1u << 31), ==, 0);

	/* refused, and the size stays what it was */
	CHECK_INT(bpfbox_map_set_max_entries(m, 3 * page), ==, -EINVAL);
	CHECK_CONTAINS(bpfbox_errmsg(), "map events");
	CHECK_CONTAINS(bpfbox_errmsg(), "power of 2");
	CHECK_CONTAINS(bpfbox_errmsg(), "multiple of the page size");
	CHECK_CONTAINS(bpfbox_errmsg(), "e.g. ");
	CHECK_INT(bpfbox_map_set_max_entries(m, page / 2), ==, -EINVAL);
	CHECK_INT(bpfbox_map_set_max_entries(m, 10000), ==, -EINVAL);
	CHECK_INT(bpfbox_map_set_max_entries(m, 0), ==, -EINVAL);
	CHECK_INT(bpfbox_map_set_max_entries(m, UINT32_MAX), ==, -EINVAL);
	CHECK_INT(bpfbox_map_max_entries(m), ==, 1u << 31);
out:
	bpfbox_object_close(obj);
}

TEST(map_resize_other_types)
{
	struct bpfbox_object *obj = open_obj("maps_basic.bpf.o");
	struct bpfbox_map *m;

	if (!obj)
		return;
	m = map_of(obj, "by_task");
	if (m) {
		CHECK_INT(bpfbox_map_set_max_entries(m, 3), ==, 0);
		CHECK_INT(bpfbox_map_max_entries(m), ==, 3);
		CHECK_INT(bpfbox_map_set_max_entries(m, 0), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "map by_task");
		CHECK_CONTAINS(bpfbox_errmsg(), "at least 1");
		CHECK_INT(bpfbox_map_max_entries(m), ==, 3);
	}
	m = map_of(obj, "counters");
	if (m) {
		CHECK_INT(bpfbox_map_set_max_entries(m, 100000), ==, 0);
		CHECK_INT(bpfbox_map_max_entries(m), ==, 100000);
	}
	bpfbox_object_close(obj);

	obj = open_obj("maps_more.bpf.o");
	if (!obj)
		return;
	m = map_of(obj, "task_stats");
	if (m) {
		CHECK_INT(bpfbox_map_set_max_entries(m, 0), ==, 0);
		CHECK_INT(bpfbox_map_set_max_entries(m, 16), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "map task_stats");
		CHECK_CONTAINS(bpfbox_errmsg(), "must be 0");
	}
	bpfbox_object_close(obj);

	obj = open_obj("perfbuf.bpf.o");
	if (!obj)
		return;
	/* perf event arrays: 0 stands for one slot per possible CPU */
	m = bpfbox_object_map(obj, 0);
	CHECK(m && bpfbox_map_type(m) == BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	if (m && bpfbox_map_type(m) == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		CHECK_INT(bpfbox_map_set_max_entries(m, 0), ==, 0);
		CHECK_INT(bpfbox_map_set_max_entries(m, 7), ==, 0);
	}
	bpfbox_object_close(obj);
}

TEST(map_resize_global_data)
{
	struct bpfbox_object *obj = open_obj("global_data.bpf.o");
	struct bpfbox_map *m;

	if (!obj)
		return;
	m = map_of(obj, ".bss");
	if (m) {
		CHECK_INT(bpfbox_map_set_max_entries(m, 2), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "global data");
		CHECK_CONTAINS(bpfbox_errmsg(), bpfbox_map_name(m));
		CHECK_INT(bpfbox_map_max_entries(m), ==, 1);
	}
	bpfbox_object_close(obj);
}

/* outer_array = { [0] = &inner_a, [2] = &inner_b } */
TEST(map_resize_initial_slots)
{
	struct bpfbox_object *obj = open_obj("map_in_map.bpf.o");
	struct bpfbox_map *m;

	if (!obj)
		return;
	m = map_of(obj, "outer_array");
	if (m) {
		CHECK_INT(bpfbox_map_set_max_entries(m, 2), ==, -EINVAL);
		CHECK_CONTAINS(bpfbox_errmsg(), "map outer_array");
		CHECK_CONTAINS(bpfbox_errmsg(), "slot 2");
		CHECK_INT(bpfbox_map_max_entries(m), ==, 4);
		CHECK_INT(bpfbox_map_set_max_entries(m, 3), ==, 0);
		CHECK_INT(bpfbox_map_set_max_entries(m, 64), ==, 0);
	}
	bpfbox_object_close(obj);
}

TEST(map_resize_after_load)
{
	struct bpfbox_object *obj = open_obj("ringbuf.bpf.o");
	struct bpfbox_map *m;

	if (!obj)
		return;
	m = map_of(obj, "events");
	if (m) {
		obj->loaded = true;	/* what a load leaves, without a kernel */
		CHECK_INT(bpfbox_map_set_max_entries(m, 1 << 20), ==, -EBUSY);
		CHECK_CONTAINS(bpfbox_errmsg(), "map events");
		CHECK_CONTAINS(bpfbox_errmsg(), "already loaded");
		CHECK_INT(bpfbox_map_max_entries(m), ==, 256 * 1024);
		obj->loaded = false;
	}
	bpfbox_object_close(obj);
}
