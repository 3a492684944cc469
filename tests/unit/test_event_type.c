// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Event type inference (lib/event_type.c) on objects compiled from
 * tests/progs/evtype_*.bpf.c: bpf_ringbuf_reserve, bpf_ringbuf_output,
 * bpf_perf_event_output, and the cases with no single answer.
 */
#include <stdlib.h>
#include <errno.h>

#include "test.h"
#include "btf.h"
#include "bpfbox.h"
#include "event_type.h"
#include "object.h"

static struct bpfbox_object *open_obj(const char *name)
{
	struct bpfbox_object *obj = NULL;
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/%s", bb_test_progs_dir(), name);
	err = bpfbox_object_open_file(path, NULL, &obj);
	if (err)
		fprintf(stderr, "  open %s: %s (make progs)\n", path,
			bpfbox_errmsg());
	CHECK_INT(err, ==, 0);
	return err ? NULL : obj;
}

/* the guessed type's name ("" for none); why into a static buffer */
static const char *guess(const struct bpfbox_object *obj, const char *map,
			 char *why, size_t len)
{
	static char name[160];
	const struct btf_type *t;
	uint32_t id = 12345;
	int err;

	err = bb_event_type_guess(obj, map, &id, why, len);
	if (err) {
		snprintf(name, sizeof(name), "ERR %d: %s", -err, bpfbox_errmsg());
		return name;
	}
	t = id ? bb_btf_type(obj->btf, id) : NULL;
	snprintf(name, sizeof(name), "%s", t ? bb_btf_type_name(obj->btf, t) : "");
	if (id && !t)
		snprintf(name, sizeof(name), "bad id %u", id);
	return name;
}

TEST(evtype_ringbuf_reserve)
{
	struct bpfbox_object *obj = open_obj("evtype_reserve.bpf.o");
	char why[1024];

	if (!obj)
		return;
	CHECK_STR(guess(obj, "events", why, sizeof(why)), "event");
	CHECK_STR(why, "map events: bpf_ringbuf_reserve(events, 32 bytes) in program handle_exec: struct event");
	/* nothing writes to it */
	CHECK_STR(guess(obj, "quiet", why, sizeof(why)), "");
	CHECK_CONTAINS(why, "map quiet: no program writes to it");
	CHECK_CONTAINS(why, "pass --event-type NAME");
	/* not an event channel; no such map */
	CHECK_CONTAINS(guess(obj, "counts", why, sizeof(why)),
		       "ERR 22: ");
	CHECK_CONTAINS(bpfbox_errmsg(), "map counts is no ring buffer or perf event array");
	CHECK_CONTAINS(guess(obj, "nope", why, sizeof(why)), "ERR 2: ");
	CHECK_CONTAINS(bpfbox_errmsg(), "no map named nope");
	/* a short why buffer is cut, still terminated */
	CHECK_STR(guess(obj, "events", why, 12), "event");
	CHECK_STR(why, "map events:");
	bpfbox_object_close(obj);
}

TEST(evtype_ringbuf_output)
{
	struct bpfbox_object *obj = open_obj("evtype_output.bpf.o");
	char why[1024];

	if (!obj)
		return;
	CHECK_STR(guess(obj, "exits", why, sizeof(why)), "exit_rec");
	/* the 24-byte tracepoint context is set aside, and said so */
	CHECK_STR(why, "map exits: bpf_ringbuf_output(exits, 24 bytes) in program on_exit_openat: struct exit_rec; "
		       "not taken, being a program's context: struct bb_sys_exit");
	bpfbox_object_close(obj);
}

TEST(evtype_perf_event_output)
{
	struct bpfbox_object *obj = open_obj("evtype_perf.bpf.o");
	char why[1024];

	if (!obj)
		return;
	/* its declared value (__u32, the CPU buffer's fd) is not the record */
	CHECK_STR(guess(obj, "opens", why, sizeof(why)), "open_event");
	CHECK_STR(why, "map opens: bpf_perf_event_output(opens, 68 bytes) in program on_openat: struct open_event "
		       "(preferred to struct counters, also 68 bytes)");
	bpfbox_object_close(obj);
}

TEST(evtype_ambiguous)
{
	struct bpfbox_object *obj = open_obj("evtype_ambiguous.bpf.o");
	char why[1024];

	if (!obj)
		return;
	CHECK_STR(guess(obj, "amb", why, sizeof(why)), "");
	CHECK_STR(why, "map amb: bpf_ringbuf_reserve(amb, 16 bytes) in program many_writers, "
		       "but several types of 16 bytes fit equally: struct alpha, struct beta; pass --event-type NAME");
	CHECK_STR(guess(obj, "mixed", why, sizeof(why)), "");
	CHECK_STR(why, "map mixed: programs write records of different sizes "
		       "(bpf_ringbuf_output in many_writers: 8 bytes, bpf_ringbuf_output in many_writers: 16 bytes); "
		       "pass --event-type NAME");
	CHECK_STR(guess(obj, "dyn", why, sizeof(why)), "");
	CHECK_STR(why, "map dyn: bpf_ringbuf_output in program many_writers writes records of a size computed at run time; "
		       "pass --event-type NAME");
	bpfbox_object_close(obj);
}

/* a declared struct value type comes first */
TEST(evtype_declared_value)
{
	struct bpfbox_object *obj = open_obj("evtype_ambiguous.bpf.o");
	char why[1024];
	int id;
	size_t i;

	if (!obj)
		return;
	id = bb_btf_find(obj->btf, "beta", BTF_KIND_STRUCT);
	CHECK_INT(id, >, 0);
	for (i = 0; i < obj->nmaps; i++)
		if (!strcmp(obj->maps[i].name, "amb"))
			obj->maps[i].btf_value_type_id = id;
	CHECK_STR(guess(obj, "amb", why, sizeof(why)), "beta");
	CHECK_STR(why, "map amb: its declared value type, struct beta");
	bpfbox_object_close(obj);
}

/* a struct that never reached the BTF: say how to bring it in */
TEST(evtype_not_in_btf)
{
	struct bpfbox_object *obj = open_obj("ringbuf.bpf.o");
	char why[1024];

	if (!obj)
		return;
	/* struct open_event lives only in a local variable */
	CHECK_STR(guess(obj, "events", why, sizeof(why)), "");
	CHECK_CONTAINS(why, "map events: bpf_ringbuf_reserve(events, 96 bytes) in program rb_reserve, "
			    "but no struct of 96 bytes is in the object's BTF");
	CHECK_CONTAINS(why, "__attribute__((unused))");
	/* an anonymous local struct of 8 bytes */
	CHECK_STR(guess(obj, "odd_size", why, sizeof(why)), "");
	CHECK_CONTAINS(why, "bpf_ringbuf_output(odd_size, 8 bytes) in program rb_output");
	bpfbox_object_close(obj);
}

TEST(evtype_find_by_name)
{
	struct bpfbox_object *obj = open_obj("evtype_perf.bpf.o");
	uint32_t id;

	if (!obj)
		return;
	CHECK_INT(bb_event_type_find(obj->btf, "struct open_event", &id), ==, 0);
	CHECK_INT(id, ==, bb_btf_find(obj->btf, "open_event", BTF_KIND_STRUCT));
	CHECK_INT(bb_event_type_find(obj->btf, "counters", &id), ==, 0);
	CHECK_INT(id, ==, bb_btf_find(obj->btf, "counters", BTF_KIND_STRUCT));
	CHECK_INT(bb_event_type_find(obj->btf, "__u32", &id), ==, 0);
	CHECK_INT(bb_event_type_find(obj->btf, "union open_event", &id), ==, -ENOENT);
	CHECK_INT(bb_event_type_find(obj->btf, "nothing", &id), ==, -ENOENT);
	CHECK_STR(bpfbox_errmsg(), "event type 'nothing' is not in the object's BTF "
				   "(types that look like events: struct open_event)");
	bpfbox_object_close(obj);
}

/* a struct of the right size that nothing in the object uses: no guess */
TEST(evtype_unused_struct_not_taken)
{
	struct bpfbox_object *obj = open_obj("evtype_output.bpf.o");
	struct btf_type *fill;
	char why[1024];
	int id;

	if (!obj)
		return;
	/* cut the subprogram's signature, the only way to struct exit_rec */
	id = bb_btf_find(obj->btf, "fill", BTF_KIND_FUNC);
	CHECK_INT(id, >, 0);
	fill = bb_btf_type(obj->btf, id);
	if (fill)
		fill->type = 0;
	CHECK_STR(guess(obj, "exits", why, sizeof(why)), "");
	CHECK_STR(why, "map exits: bpf_ringbuf_output(exits, 24 bytes) in program on_exit_openat, "
		       "but the struct of 24 bytes in the object's BTF (struct exit_rec) is used by no global, "
		       "map or function of the object; pass --event-type NAME if it is the record; "
		       "not taken, being a program's context: struct bb_sys_exit");
	bpfbox_object_close(obj);
}
