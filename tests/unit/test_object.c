// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object model without a kernel: opening the test objects, program
 * and map discovery, SEC() conventions, and linking with made-up map fds.
 */
#include <stdlib.h>
#include <string.h>

#include "bpfbox.h"
#include "object.h"
#include "secdef.h"
#include "test.h"

static struct bpfbox_object *open_prog(const char *name)
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

TEST(secdef_conventions)
{
	const struct bb_secdef *d;

	d = bb_secdef_find("tp/syscalls/sys_enter_openat");
	CHECK(d && d->prog_type == BPF_PROG_TYPE_TRACEPOINT);
	CHECK_STR(bb_secdef_target(d, "tp/syscalls/sys_enter_openat"),
		  "syscalls/sys_enter_openat");
	d = bb_secdef_find("tracepoint/sched/sched_switch");
	CHECK(d && d->prog_type == BPF_PROG_TYPE_TRACEPOINT);
	d = bb_secdef_find("tp_btf/sched_switch");
	CHECK(d && d->prog_type == BPF_PROG_TYPE_TRACING &&
	      d->expected_attach_type == BPF_TRACE_RAW_TP);
	d = bb_secdef_find("uretprobe//bin/bash:readline");
	CHECK(d && d->prog_type == BPF_PROG_TYPE_KPROBE);
	CHECK_STR(bb_secdef_target(d, "uretprobe//bin/bash:readline"),
		  "/bin/bash:readline");
	d = bb_secdef_find("fentry.s/do_exit");
	CHECK(d && (d->flags & BB_SEC_SLEEPABLE));
	d = bb_secdef_find("cgroup_skb/ingress");
	CHECK(d && d->expected_attach_type == BPF_CGROUP_INET_INGRESS);
	CHECK(bb_secdef_find("xdp") && bb_secdef_find("socket") &&
	      bb_secdef_find("perf_event"));
	/* strict matching: prefixes need a '/' separator */
	CHECK(bb_secdef_find("tpfoo") == NULL);
	CHECK(bb_secdef_find("kprobe.multi/x")->expected_attach_type ==
	      BPF_TRACE_KPROBE_MULTI);
	CHECK(bb_secdef_find("foo/bar") == NULL);
	CHECK(bb_secdef_find("socketx") == NULL);
}

TEST(object_programs_and_subprograms)
{
	struct bpfbox_object *obj = open_prog("subprogs.bpf.o");
	size_t i, n;

	if (!obj)
		return;
	/* .text functions are subprograms, not listed as programs */
	n = bpfbox_object_prog_count(obj);
	CHECK(n >= 2);
	for (i = 0; i < n; i++) {
		struct bpfbox_prog *p = bpfbox_object_prog(obj, i);

		CHECK(strcmp(bpfbox_prog_section(p), ".text") != 0);
		CHECK(bpfbox_prog_type(p) != BPF_PROG_TYPE_UNSPEC);
	}
	CHECK(bpfbox_object_find_prog(obj, "global_clamp") == NULL);
	CHECK_STR(bpfbox_object_name(obj), "subprogs");
	CHECK_STR(bpfbox_object_license(obj), "GPL");
	bpfbox_object_close(obj);
}

TEST(object_global_data_maps)
{
	struct bpfbox_object *obj = open_prog("global_data.bpf.o");
	size_t i;
	int found = 0;

	if (!obj)
		return;
	for (i = 0; i < bpfbox_object_map_count(obj); i++) {
		struct bpfbox_map *m = bpfbox_object_map(obj, i);
		const char *sec = bpfbox_map_section(m);

		if (!sec)
			continue;
		found++;
		CHECK_INT(bpfbox_map_type(m), ==, BPF_MAP_TYPE_ARRAY);
		CHECK_INT(bpfbox_map_max_entries(m), ==, 1);
		if (!strncmp(sec, ".rodata", 7))
			CHECK(bpfbox_map_flags(m) & BPF_F_RDONLY_PROG);
		CHECK(strlen(bpfbox_map_name(m)) <= 15);
	}
	CHECK(found >= 3);
	/* libbpf's names: object name prefix for the standard sections */
	CHECK(bpfbox_object_find_map(obj, "global_.bss") != NULL ||
	      bpfbox_object_find_map(obj, "global_d.bss") != NULL);
	CHECK(bpfbox_object_find_map(obj, ".data.custom") != NULL);
	bpfbox_object_close(obj);
}

TEST(object_btf_maps)
{
	struct bpfbox_object *obj = open_prog("maps_basic.bpf.o");
	size_t i;

	if (!obj)
		return;
	CHECK(bpfbox_object_map_count(obj) >= 4);
	for (i = 0; i < bpfbox_object_map_count(obj); i++) {
		struct bpfbox_map *m = bpfbox_object_map(obj, i);

		CHECK(bpfbox_map_type(m) != BPF_MAP_TYPE_UNSPEC);
		if (bpfbox_map_type(m) == BPF_MAP_TYPE_HASH)
			CHECK(bpfbox_map_key_size(m) && bpfbox_map_value_size(m));
	}
	bpfbox_object_close(obj);
}

/*
 * Linking with fake fds: every map load becomes a pseudo map load, every
 * call lands inside the program, func_info starts at instruction 0.
 */
static void check_linked(struct bpfbox_prog *p)
{
	size_t i;

	for (i = 0; i < p->insns_cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (in->code == (BPF_JMP | BPF_CALL) &&
		    in->src_reg == BPF_PSEUDO_CALL) {
			long long t = (long long)i + in->imm + 1;

			CHECK(t > 0 && t < (long long)p->insns_cnt);
		}
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (in->src_reg == BPF_PSEUDO_MAP_FD ||
			    in->src_reg == BPF_PSEUDO_MAP_VALUE)
				CHECK(in->imm >= 100);
			i++;
		}
	}
	if (p->func_info_cnt)
		CHECK_INT(*(uint32_t *)p->func_info, ==, 0);
}

TEST(object_link_with_fake_fds)
{
	struct bpfbox_object *obj = open_prog("subprogs.bpf.o");
	size_t i, grew = 0;

	if (!obj)
		return;
	for (i = 0; i < obj->nmaps; i++)
		obj->maps[i].fd = 100 + i;
	CHECK_INT(bb_object_relocate(obj), ==, 0);
	for (i = 0; i < obj->nprogs; i++) {
		struct bpfbox_prog *p = &obj->progs[i];

		if (p->is_subprog || !p->autoload)
			continue;
		check_linked(p);
		grew += p->insns_cnt > p->sec_insn_cnt;
	}
	CHECK(grew > 0);	/* subprograms were appended */
	for (i = 0; i < obj->nmaps; i++)
		obj->maps[i].fd = -1;
	bpfbox_object_close(obj);
}

TEST(object_bad_input)
{
	static const char junk[] = "\x7f" "ELF not really";
	struct bpfbox_object *obj = NULL;
	char path[512];
	void *buf;
	size_t size, cut;

	CHECK(bpfbox_object_open_mem(junk, sizeof(junk), NULL, &obj) < 0);
	CHECK(obj == NULL);
	CHECK(bpfbox_errmsg()[0] != '\0');
	CHECK(bpfbox_object_open_file("/nonexistent.bpf.o", NULL, &obj) < 0);
	CHECK_CONTAINS(bpfbox_errmsg(), "/nonexistent.bpf.o");
	CHECK(bpfbox_object_open_file("/bin/true", NULL, &obj) < 0);
	CHECK_CONTAINS(bpfbox_errmsg(), "not a BPF object");

	snprintf(path, sizeof(path), "%s/maps_basic.bpf.o", bb_test_progs_dir());
	buf = bb_test_read_file(path, &size);
	if (!buf)
		return;
	/* every truncation fails cleanly or opens (never crashes) */
	for (cut = 0; cut < size; cut += 7) {
		if (!bpfbox_object_open_mem(buf, cut, NULL, &obj))
			bpfbox_object_close(obj);
		obj = NULL;
	}
	free(buf);
}

static const struct bb_extern *ext_named(const struct bpfbox_object *obj,
					 const char *name)
{
	size_t i;

	for (i = 0; i < obj->nexterns; i++)
		if (!strcmp(obj->externs[i].name, name))
			return &obj->externs[i];
	return NULL;
}

/* libbpf's layout of .kconfig and its rules for config lines */
TEST(object_kconfig_layout_and_lines)
{
	struct bpfbox_object *obj = open_prog("externs.bpf.o");
	const struct bb_extern *hz, *sys, *jit, *host;
	uint32_t v32;

	if (!obj)
		return;
	hz = ext_named(obj, "CONFIG_HZ");
	sys = ext_named(obj, "CONFIG_BPF_SYSCALL");
	jit = ext_named(obj, "CONFIG_BPF_JIT");
	host = ext_named(obj, "CONFIG_DEFAULT_HOSTNAME");
	CHECK(hz && sys && jit && host);
	if (!hz || !sys || !jit || !host)
		goto out;
	/* widest alignment first (the unsigned long at 0), then size, then
	 * name: CONFIG_BPF_JIT < CONFIG_HZ < LINUX_KERNEL_VERSION */
	CHECK_INT(ext_named(obj, "CONFIG_BB_NO_SUCH_OPTION")->data_off, ==, 0);
	CHECK_INT(jit->data_off, ==, 8);
	CHECK_INT(hz->data_off, ==, 12);
	CHECK_INT(ext_named(obj, "LINUX_KERNEL_VERSION")->data_off, ==, 16);
	CHECK(sys->data_off < host->data_off);	/* bool before char[16] */
	CHECK_INT(bb_kconfig_apply_line(obj, "CONFIG_HZ=250\n"), ==, 0);
	memcpy(&v32, obj->kconfig_data + hz->data_off, 4);
	CHECK_INT(v32, ==, 250);
	CHECK_INT(bb_kconfig_apply_line(obj, "CONFIG_BPF_JIT=m"), ==, 0);
	memcpy(&v32, obj->kconfig_data + jit->data_off, 4);
	CHECK_INT(v32, ==, 2);			/* TRI_MODULE */
	CHECK_INT(bb_kconfig_apply_line(obj, "CONFIG_BPF_SYSCALL=m"), <, 0);
	CHECK_CONTAINS(bpfbox_errmsg(), "CONFIG_BPF_SYSCALL");
	CHECK_INT(bb_kconfig_apply_line(obj, "CONFIG_BPF_SYSCALL=y"), ==, 0);
	CHECK_INT(obj->kconfig_data[sys->data_off], ==, 1);
	CHECK_INT(bb_kconfig_apply_line(obj,
		"CONFIG_DEFAULT_HOSTNAME=\"a-very-long-hostname\""), ==, 0);
	CHECK_STR((char *)obj->kconfig_data + host->data_off, "a-very-long-hos");
	CHECK_INT(bb_kconfig_apply_line(obj, "CONFIG_NOEQUALS"), <, 0);
	CHECK_INT(bb_kconfig_apply_line(obj, "# CONFIG_FOO is not set"), ==, 0);
out:
	bpfbox_object_close(obj);
}
