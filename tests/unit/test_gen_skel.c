// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The skeleton generator: text out of an object, no kernel needed. */
#include <errno.h>
#include <stdlib.h>

#include "bpfbox.h"
#include "object.h"
#include "gen_skel.h"
#include "test.h"

static char *gen(const char *file, const char *name, size_t *obj_size,
		 int *err)
{
	char path[512], *text = NULL;
	size_t len = 0;
	void *buf;
	FILE *mem;

	snprintf(path, sizeof(path), "%s/%s", bb_test_progs_dir(), file);
	buf = bb_test_read_file(path, obj_size);
	CHECK(buf != NULL);
	if (!buf)
		return NULL;
	mem = open_memstream(&text, &len);
	CHECK(mem != NULL);
	if (!mem) {
		free(buf);
		return NULL;
	}
	*err = bb_gen_skeleton(mem, name, buf, *obj_size);
	fclose(mem);
	free(buf);
	return text;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

TEST(gen_skel_global_data)
{
	char want[128];
	size_t size = 0;
	int err = -1;
	char *s = gen("global_data.bpf.o", "global_data", &size, &err);

	if (!s)
		return;
	CHECK_INT(err, ==, 0);
	CHECK_CONTAINS(s, "#ifndef __global_data_SKEL_H__");
	CHECK_CONTAINS(s, "#include <bpfbox.h>");
	CHECK_CONTAINS(s, "struct global_data {");
	CHECK_CONTAINS(s, "\tstruct global_data__rodata {");
	CHECK_CONTAINS(s, "\t} *rodata;");
	CHECK_CONTAINS(s, "\t} *data;");
	CHECK_CONTAINS(s, "\t} *bss;");
	CHECK_CONTAINS(s, "struct global_data__data_custom {");
	CHECK_CONTAINS(s, "struct global_data__rodata_tunables {");
	CHECK_CONTAINS(s, "\t\tstruct bpfbox_map *rodata_tunables;");
	CHECK_CONTAINS(s, "\t\tstruct bpfbox_prog *globals_enter;");
	/* top-level const volatile stripped: knobs are set before load */
	CHECK_CONTAINS(s, "\t\t__u32 target_pid;\n");
	/* statics are not exposed, padding keeps the offsets */
	CHECK(!strstr(s, "verbose"));
	CHECK(!strstr(s, " hist"));
	CHECK_CONTAINS(s, "char __pad0[64];");
	CHECK_CONTAINS(s, "_Static_assert(offsetof(struct global_data__rodata, min_flags) == 8,");
	CHECK_CONTAINS(s, "_Static_assert(offsetof(struct global_data__bss, stats) == 72,");
	CHECK_CONTAINS(s, "_Static_assert(offsetof(struct global_data__rodata_tunables, another_tunable) == 8,");
	/* the whole object, byte for byte */
	CHECK_CONTAINS(s, "static const char global_data__bytes[] =\n\t\"\\x7f\\x45\\x4c\\x46");
	snprintf(want, sizeof(want), "sizeof(global_data__bytes) == %zu + 1", size);
	CHECK_CONTAINS(s, want);
	CHECK_INT(count(s, "\\x"), ==, size);
	CHECK_CONTAINS(s, "static inline struct global_data *global_data__open(void)");
	CHECK_CONTAINS(s, "static inline int global_data__load(struct global_data *s)");
	CHECK_CONTAINS(s, "global_data__open_and_load(void)");
	CHECK_CONTAINS(s, "static inline void global_data__destroy(struct global_data *s)");
	CHECK_CONTAINS(s, "bpfbox_map_initial_value(s->maps.rodata, NULL)");
	CHECK(!strstr(s, "bpfbox_map_initial_value(s->maps.bss"));
	CHECK_CONTAINS(s, "bpfbox_map_mmap(s->maps.bss)");
	CHECK_CONTAINS(s, "#endif /* __global_data_SKEL_H__ */\n");
	free(s);
}

TEST(gen_skel_name_and_errors)
{
	static const uint8_t junk[] = "not an ELF";
	size_t size = 0;
	int err = -1;
	char *s = gen("demo.bpf.o", "9my-demo", &size, &err);
	FILE *null;

	if (!s)
		return;
	CHECK_INT(err, ==, 0);
	CHECK_CONTAINS(s, "struct _9my_demo {");
	CHECK_CONTAINS(s, ".name = \"_9my_demo\"");
	free(s);

	null = fopen("/dev/null", "w");
	CHECK(null != NULL);
	if (!null)
		return;
	CHECK(bb_gen_skeleton(null, "x", junk, sizeof(junk)) < 0);
	CHECK(bpfbox_errmsg()[0] != '\0');
	CHECK(bb_gen_skeleton(null, "", junk, sizeof(junk)) == -EINVAL);
	fclose(null);
}

/* initial values before load: pure, no kernel */
TEST(map_initial_value)
{
	struct bpfbox_object *obj = NULL;
	struct bpfbox_map *m;
	char path[512];
	size_t size = 0;
	uint32_t *pid;

	snprintf(path, sizeof(path), "%s/global_data.bpf.o", bb_test_progs_dir());
	CHECK_INT(bpfbox_object_open_file(path, NULL, &obj), ==, 0);
	if (!obj)
		return;
	m = bpfbox_object_find_map(obj, ".rodata");
	CHECK(m != NULL);
	pid = bpfbox_map_initial_value(m, &size);
	CHECK(pid != NULL);
	CHECK_INT(size, ==, bpfbox_map_value_size(m));
	if (pid) {
		/* target_pid is at offset 0; the write is what load uses */
		*pid = 77;
		CHECK_INT(*(const uint32_t *)m->init_data, ==, 77);
	}
	size = 123;
	CHECK(bpfbox_map_initial_value(bpfbox_object_find_map(obj, ".bss"),
				       &size) == NULL);
	CHECK_INT(size, ==, 123);
	CHECK_CONTAINS(bpfbox_errmsg(), "no initial value");
	CHECK(bpfbox_map_mmap(m) == NULL);
	CHECK_CONTAINS(bpfbox_errmsg(), "not loaded");
	bpfbox_object_close(obj);
}
