// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The examples of the bpf(2) manual, and the other raw commands, against
 * the running kernel (root). Prints "ok WHAT" or "FAIL WHAT: WHY" per
 * check and exits 1 if any failed; tests/integration/manual_examples.sh
 * turns the lines into results.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <linux/perf_event.h>

#include "bpfbox.h"
#include "itest.h"


static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

#define NEED(COND, WHAT, ...) do {					\
	if (!(COND)) {							\
		fail(WHAT, __VA_ARGS__);				\
		goto out;						\
	}								\
} while (0)

/* ------------------------------------------------------------------ */

static char log_buf[64 * 1024];

static int load_ret(enum bpf_prog_type type, int ret_val)
{
	struct bpf_insn insns[] = {
		BPFBOX_MOV64_IMM(BPF_REG_0, ret_val),
		BPFBOX_EXIT(),
	};

	return bpfbox_prog_load_insns(type, insns, 2, "GPL", log_buf,
				      sizeof(log_buf));
}

static void test_prog_load(void)
{
	int fd = load_ret(BPF_PROG_TYPE_SOCKET_FILTER, 2);

	if (fd >= 0)
		ok("prog load: mov r0, 2; exit as socket filter");
	else
		fail("prog load: mov r0, 2; exit as socket filter", "%s",
		     bpfbox_errmsg());
	close_fd(&fd);
}

static void test_prog_load_invalid(void)
{
	/* r0 = r2 reads a register the program never wrote */
	struct bpf_insn insns[] = {
		BPFBOX_MOV64_REG(BPF_REG_0, BPF_REG_2),
		BPFBOX_EXIT(),
	};
	struct bpfbox_prog_load_opts opts = {
		.log_buf = log_buf, .log_size = sizeof(log_buf), .log_level = 1,
	};
	int fd;

	fd = bpfbox_prog_load_insns(BPF_PROG_TYPE_SOCKET_FILTER, insns, 2,
				    "GPL", log_buf, sizeof(log_buf));
	NEED(fd == -EACCES, "invalid prog refused with EACCES",
	     "got %d (%s)", fd, bpfbox_errmsg());
	ok("invalid prog refused with EACCES");
	check(strstr(log_buf, "R2 !read_ok"), "verifier log names R2 !read_ok",
	      log_buf);
	check(strstr(bpfbox_errmsg(), "verifier says") &&
	      strstr(bpfbox_errmsg(), "R2 !read_ok") &&
	      strstr(bpfbox_errmsg(), "EACCES"),
	      "error message quotes the verifier", bpfbox_errmsg());

	/* the raw call reports the log's true size on 6.4+ */
	fd = bpfbox_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, insns, 2, "GPL",
			      &opts);
	NEED(fd == -EACCES, "raw prog load refused", "got %d", fd);
	/* the kernel reports it since 6.4; before, the field stays 0 */
	if (!opts.log_true_size && kernel_older_than(6, 4))
		printf("skip raw prog load reports log_true_size: Linux %s predates it (6.4)\n",
		       kernel_release());
	else
		check(opts.log_true_size == strlen(log_buf) + 1,
		      "raw prog load reports log_true_size", "size mismatch");
out:
	close_fd(&fd);
}

/* ------------------------------------------------------------------ */

static void test_array_map(void)
{
	uint32_t key, next, seen = 0;
	uint64_t val = 0;
	int fd, err;

	fd = bpfbox_map_create(BPF_MAP_TYPE_ARRAY, sizeof(key), sizeof(val),
			       256, NULL);
	NEED(fd >= 0, "array: create", "%s", strerror(-fd));
	ok("array: create");

	key = 1;
	val = 42;
	err = bpfbox_map_update_elem(fd, &key, &val, BPF_ANY);
	NEED(!err, "array: update", "%s", strerror(-err));
	val = 0;
	err = bpfbox_map_lookup_elem(fd, &key, &val);
	check(!err && val == 42, "array: lookup finds the value", "wrong");
	err = bpfbox_map_update_elem(fd, &key, &val, BPF_NOEXIST);
	check(err == -EEXIST, "array: update NOEXIST gives EEXIST", "no");
	err = bpfbox_map_delete_elem(fd, &key);
	check(err == -EINVAL, "array: delete gives EINVAL", "no");
	key = 256;
	err = bpfbox_map_lookup_elem(fd, &key, &val);
	check(err == -ENOENT, "array: lookup past the end gives ENOENT", "no");

	/* walk: NULL key starts at the first element */
	err = bpfbox_map_get_next_key(fd, NULL, &next);
	while (!err) {
		seen++;
		key = next;
		err = bpfbox_map_get_next_key(fd, &key, &next);
	}
	check(err == -ENOENT && seen == 256, "array: get_next_key walks 256",
	      "wrong count");
out:
	close_fd(&fd);
}

static void test_hash_map(void)
{
	struct bpfbox_map_create_opts o = { .name = "bb_hash" };
	uint64_t key, next, val;
	uint32_t seen = 0;
	int fd, err, i;

	fd = bpfbox_map_create(BPF_MAP_TYPE_HASH, sizeof(key), sizeof(val),
			       64, &o);
	NEED(fd >= 0, "hash: create", "%s", strerror(-fd));
	ok("hash: create");
	for (i = 0; i < 10; i++) {
		key = i * 1000;
		val = i;
		err = bpfbox_map_update_elem(fd, &key, &val, BPF_NOEXIST);
		NEED(!err, "hash: insert 10", "%s", strerror(-err));
	}
	ok("hash: insert 10");
	key = 3000;
	err = bpfbox_map_lookup_elem(fd, &key, &val);
	check(!err && val == 3, "hash: lookup", "wrong");
	err = bpfbox_map_delete_elem(fd, &key);
	check(!err, "hash: delete", strerror(-err));
	err = bpfbox_map_lookup_elem(fd, &key, &val);
	check(err == -ENOENT, "hash: deleted key gives ENOENT", "no");
	val = 7;
	err = bpfbox_map_update_elem(fd, &key, &val, BPF_EXIST);
	check(err == -ENOENT, "hash: update EXIST of a missing key", "no");

	err = bpfbox_map_get_next_key(fd, NULL, &next);
	while (!err) {
		seen++;
		key = next;
		err = bpfbox_map_get_next_key(fd, &key, &next);
	}
	check(err == -ENOENT && seen == 9, "hash: get_next_key walks 9",
	      "wrong count");
out:
	close_fd(&fd);
}

static void test_queue(void)
{
	uint32_t v, i;
	int fd, err;

	fd = bpfbox_map_create(BPF_MAP_TYPE_QUEUE, 0, sizeof(v), 8, NULL);
	NEED(fd >= 0, "queue: create", "%s", strerror(-fd));
	for (i = 1; i <= 3; i++) {
		err = bpfbox_map_update_elem(fd, NULL, &i, BPF_ANY);
		NEED(!err, "queue: push", "%s", strerror(-err));
	}
	for (i = 1; i <= 3; i++) {
		err = bpfbox_map_lookup_and_delete_elem(fd, NULL, &v);
		NEED(!err && v == i, "queue: pop in FIFO order",
		     "err %d value %u", err, v);
	}
	ok("queue: pop in FIFO order");
	err = bpfbox_map_lookup_and_delete_elem(fd, NULL, &v);
	check(err == -ENOENT, "queue: empty pop gives ENOENT", "no");
out:
	close_fd(&fd);
}

static void test_freeze(void)
{
	uint32_t key = 0, val = 1;
	int fd, err;

	fd = bpfbox_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, NULL);
	NEED(fd >= 0, "freeze", "create: %s", strerror(-fd));
	err = bpfbox_map_freeze(fd);
	NEED(!err, "freeze", "%s", strerror(-err));
	err = bpfbox_map_update_elem(fd, &key, &val, BPF_ANY);
	check(err == -EPERM, "freeze: update afterwards gives EPERM",
	      strerror(-err));
	err = bpfbox_map_lookup_elem(fd, &key, &val);
	check(!err, "freeze: lookup still works", strerror(-err));
out:
	close_fd(&fd);
}

/* ------------------------------------------------------------------ */

#define NBATCH 1000
#define CHUNK 128

static void test_batch(void)
{
	/* room for one chunk past the end, should the map return too much */
	static uint32_t keys[NBATCH], vals[NBATCH], okeys[NBATCH + CHUNK],
			ovals[NBATCH + CHUNK];
	uint32_t count, total = 0, in, out_b, i, key, sum = 0;
	bool first = true;
	int fd, err;

	fd = bpfbox_map_create(BPF_MAP_TYPE_HASH, 4, 4, NBATCH, NULL);
	NEED(fd >= 0, "batch: create", "%s", strerror(-fd));
	for (i = 0; i < NBATCH; i++) {
		keys[i] = i + 1;
		vals[i] = (i + 1) * 3;
	}
	count = NBATCH;
	err = bpfbox_map_update_batch(fd, keys, vals, &count, 0);
	NEED(!err && count == NBATCH, "batch: update 1000",
	     "err %d count %u", err, count);
	ok("batch: update 1000");

	/* lookup in chunks until the kernel says ENOENT */
	do {
		count = CHUNK;
		err = bpfbox_map_lookup_batch(fd, first ? NULL : &in, &out_b,
					      okeys + total, ovals + total,
					      &count, 0);
		if (err && err != -ENOENT)
			break;
		total += count;
		in = out_b;
		first = false;
	} while (!err && total <= NBATCH);
	NEED(err == -ENOENT && total == NBATCH, "batch: lookup 1000",
	     "err %d total %u", err, total);
	for (i = 0; i < NBATCH; i++) {
		NEED(ovals[i] == okeys[i] * 3, "batch: lookup 1000",
		     "key %u has value %u", okeys[i], ovals[i]);
		sum += okeys[i];
	}
	check(sum == NBATCH * (NBATCH + 1) / 2, "batch: lookup 1000",
	      "keys missing or repeated");

	count = NBATCH;
	err = bpfbox_map_delete_batch(fd, keys, &count, 0);
	NEED(!err && count == NBATCH, "batch: delete 1000",
	     "err %d count %u", err, count);
	err = bpfbox_map_get_next_key(fd, NULL, &key);
	check(err == -ENOENT, "batch: delete 1000", "map not empty");
out:
	close_fd(&fd);
}

/* ------------------------------------------------------------------ */

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpfbox_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

static void test_pin_ids(void)
{
	char dir[256], path[320];
	uint32_t id, next, want;
	int fd, fd2 = -1, fd3 = -1, err;
	bool found = false;

	fd = bpfbox_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, NULL);
	NEED(fd >= 0, "pin: create", "%s", strerror(-fd));
	want = map_id(fd);
	NEED(want, "info: map id", "obj_get_info_by_fd failed");
	ok("info: map id");

	err = bpfbox_bpffs_path(dir, sizeof(dir));
	NEED(!err, "bpffs: found or mounted", "%s", bpfbox_errmsg());
	check(bpfbox_path_is_bpffs(dir) == 1, "bpffs: found or mounted",
	      "not a bpffs");
	snprintf(path, sizeof(path), "%s/bb_itest_%d", dir, (int)getpid());
	check(bpfbox_path_is_bpffs(path) == 1, "bpffs: pin path is on bpffs",
	      "no");
	check(bpfbox_path_is_bpffs("/proc") == 0, "bpffs: /proc is not",
	      "it says it is");
	err = bpfbox_obj_pin(fd, path);
	NEED(!err, "pin: map pinned", "%s: %s", path, strerror(-err));
	ok("pin: map pinned");
	fd2 = bpfbox_obj_get(path);
	unlink(path);
	NEED(fd2 >= 0, "pin: obj_get", "%s", strerror(-fd2));
	check(map_id(fd2) == want, "pin: obj_get gives the same map",
	      "different id");

	for (id = 0; !found && !bpfbox_map_get_next_id(id, &next); id = next)
		found = next == want;
	check(found, "get_next_id: walk finds the map", "not found");

	fd3 = bpfbox_map_get_fd_by_id(want);
	NEED(fd3 >= 0, "get_fd_by_id", "%s", strerror(-fd3));
	check(map_id(fd3) == want, "get_fd_by_id: same map", "different id");
out:
	close_fd(&fd);
	close_fd(&fd2);
	close_fd(&fd3);
}

/* One type: "int", 4 bytes, signed. */
static void test_btf_load(void)
{
	struct {
		struct btf_header hdr;
		struct btf_type t;
		uint32_t enc;
		char strs[5];
	} __attribute__((packed)) b = {
		.hdr = {
			.magic = BTF_MAGIC, .version = BTF_VERSION,
			.hdr_len = sizeof(struct btf_header),
			.type_off = 0, .type_len = sizeof(struct btf_type) + 4,
			.str_off = sizeof(struct btf_type) + 4, .str_len = 5,
		},
		.t = { .name_off = 1, .info = BTF_KIND_INT << 24, .size = 4 },
		.enc = BTF_INT_SIGNED << 24 | 32,
		.strs = "\0int",
	};
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	int fd;

	fd = bpfbox_btf_load(&b, sizeof(b), log_buf, sizeof(log_buf), 1);
	NEED(fd >= 0, "btf_load: one int", "%s; log: %s", strerror(-fd),
	     log_buf);
	memset(&info, 0, sizeof(info));
	check(!bpfbox_obj_get_info_by_fd(fd, &info, &len) && info.id,
	      "btf_load: one int", "no info");
out:
	close_fd(&fd);
}

static void test_raw_tp(void)
{
	int prog = load_ret(BPF_PROG_TYPE_RAW_TRACEPOINT, 0), link = -1;
	struct bpf_link_info info;
	uint32_t len = sizeof(info), id, next;
	bool found = false;

	NEED(prog >= 0, "raw_tracepoint_open sys_enter", "load: %s",
	     bpfbox_errmsg());
	link = bpfbox_raw_tracepoint_open("sys_enter", prog);
	NEED(link >= 0, "raw_tracepoint_open sys_enter", "%s",
	     strerror(-link));
	ok("raw_tracepoint_open sys_enter");
	memset(&info, 0, sizeof(info));
	NEED(!bpfbox_obj_get_info_by_fd(link, &info, &len),
	     "link: info", "failed");
	for (id = 0; !found && !bpfbox_link_get_next_id(id, &next); id = next)
		found = next == info.id;
	check(found, "link: get_next_id finds the link", "not found");
	found = false;
	for (id = 0; !found && !bpfbox_prog_get_next_id(id, &next); id = next)
		found = next == info.prog_id;
	check(found, "prog: get_next_id finds the program", "not found");
out:
	close_fd(&link);
	close_fd(&prog);
}

static void test_perf_event(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 1000000,
		.disabled = 1,
	};
	struct bpfbox_link_create_opts lo = { .bpf_cookie = 0x1234 };
	int pfd, prog = -1, link = -1;

	pfd = bpfbox_perf_event_open(&attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	NEED(pfd >= 0, "perf_event_open cpu-clock", "%s", strerror(-pfd));
	ok("perf_event_open cpu-clock");
	prog = load_ret(BPF_PROG_TYPE_PERF_EVENT, 0);
	NEED(prog >= 0, "link_create perf_event", "load: %s",
	     bpfbox_errmsg());
	link = bpfbox_link_create(prog, pfd, BPF_PERF_EVENT, &lo);
	check(link >= 0, "link_create perf_event", strerror(-link));
out:
	close_fd(&link);
	close_fd(&prog);
	close_fd(&pfd);
}

/*
 * RLIMIT_MEMLOCK: kernels since 5.11 charge BPF memory to the memory
 * cgroup, so bpfbox must load under a tiny limit without raising it
 * (it raises it only after the EPERM of an older kernel).
 */
static void test_memlock(const char *progs)
{
	struct rlimit old, low, now;
	struct bpfbox_object *obj = NULL;
	char path[512];
	int fd, err;

	if (getrlimit(RLIMIT_MEMLOCK, &old)) {
		fail("memlock", "getrlimit: %s", strerror(errno));
		return;
	}
	low = old;
	low.rlim_cur = 64 * 1024;
	if (low.rlim_max != RLIM_INFINITY && low.rlim_max < low.rlim_cur)
		low.rlim_cur = low.rlim_max;
	if (setrlimit(RLIMIT_MEMLOCK, &low)) {
		fail("memlock", "setrlimit: %s", strerror(errno));
		return;
	}
	fd = bpfbox_map_create(BPF_MAP_TYPE_ARRAY, 4, 4096, 1024, NULL);
	if (fd < 0 && kernel_older_than(5, 11)) {
		printf("skip memlock: Linux %s charges BPF memory to RLIMIT_MEMLOCK (before 5.11)\n",
		       kernel_release());
		goto out;
	}
	check(fd >= 0, "a 4 MiB map under a 64 KiB RLIMIT_MEMLOCK",
	      "the kernel refused it");
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/demo.bpf.o", progs);
	err = bpfbox_object_open_file(path, NULL, &obj);
	if (!err)
		err = bpfbox_object_load(obj, NULL);
	check(!err, "object load under a 64 KiB RLIMIT_MEMLOCK", bpfbox_errmsg());
	getrlimit(RLIMIT_MEMLOCK, &now);
	check(now.rlim_cur == low.rlim_cur,
	      "RLIMIT_MEMLOCK left alone on a kernel that does not charge it",
	      "bpfbox raised it");
out:
	bpfbox_object_close(obj);
	setrlimit(RLIMIT_MEMLOCK, &old);
}

int main(int argc, char **argv)
{
	const char *progs = argc > 1 ? argv[1] : getenv("BB_PROGS_DIR");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid()) {
		printf("FAIL root: these examples need root\n");
		return 1;
	}
	test_prog_load();
	test_prog_load_invalid();
	test_array_map();
	test_hash_map();
	test_queue();
	test_freeze();
	test_batch();
	test_pin_ids();
	test_btf_load();
	test_raw_tp();
	test_perf_event();
	test_memlock(progs ? progs : "build/progs");
	return failures ? 1 : 0;
}
