// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The commands of bpf(2) and perf_event_open(2), one function each.
 *
 * Every call zeroes a union bpf_attr, fills the fields it uses and passes
 * the size up to the last of them: the kernel refuses an attr whose bytes
 * past the fields it knows are not zero, so the smallest size keeps
 * older kernels happy. Results are the fd / 0 or -errno; none of these
 * touch the per-thread message except bpfbox_prog_load_insns(), whose
 * whole point is to turn a verifier refusal into words.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "bpfbox.h"
#include "err.h"

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/*
 * log_true_size (6.4) follows core_relo_rec_size in the BPF_PROG_LOAD
 * part of the attr; the 6.1 UAPI header we build against lacks it.
 */
#define BB_LOG_TRUE_SIZE_OFF	offsetofend(union bpf_attr, core_relo_rec_size)
_Static_assert(BB_LOG_TRUE_SIZE_OFF + sizeof(uint32_t) <=
	       sizeof(union bpf_attr), "log_true_size outside bpf_attr");

/* the verifier rejects logs smaller than this or larger than UINT_MAX >> 2 */
#define BB_LOG_MIN	128u
#define BB_LOG_MAX	(UINT32_MAX >> 2)

static inline uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int sys_bpf(int cmd, union bpf_attr *attr, size_t size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

/*
 * For commands returning an fd. fd 0 means "none" in several attr fields
 * (inner_map_fd, prog_btf_fd, ...), so an object that landed on fd 0
 * (stdin closed) is moved up, as libbpf does.
 */
static int sys_bpf_fd(int cmd, union bpf_attr *attr, size_t size)
{
	int fd = sys_bpf(cmd, attr, size), nfd;

	if (fd != 0)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	nfd = nfd < 0 ? -errno : nfd;
	close(fd);
	return nfd;
}

static void copy_name(char dst[BPF_OBJ_NAME_LEN], const char *name)
{
	if (name)
		strncpy(dst, name, BPF_OBJ_NAME_LEN - 1);
}

/* ------------------------------------------------------------------ */
/* Maps                                                                */

int bpfbox_map_create(enum bpf_map_type type, uint32_t key_size,
		      uint32_t value_size, uint32_t max_entries,
		      const struct bpfbox_map_create_opts *opts)
{
	const size_t sz = offsetofend(union bpf_attr, map_extra);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	if (opts) {
		copy_name(attr.map_name, opts->name);
		attr.map_flags = opts->map_flags;
		attr.inner_map_fd = opts->inner_map_fd;
		attr.numa_node = opts->numa_node;
		attr.btf_fd = opts->btf_fd;
		attr.btf_key_type_id = opts->btf_key_type_id;
		attr.btf_value_type_id = opts->btf_value_type_id;
		attr.btf_vmlinux_value_type_id = opts->btf_vmlinux_value_type_id;
		attr.map_ifindex = opts->map_ifindex;
		attr.map_extra = opts->map_extra;
	}
	return sys_bpf_fd(BPF_MAP_CREATE, &attr, sz);
}

static int map_elem(int cmd, int fd, const void *key, void *value,
		    uint64_t flags)
{
	const size_t sz = offsetofend(union bpf_attr, flags);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	return sys_bpf(cmd, &attr, sz);
}

int bpfbox_map_lookup_elem(int fd, const void *key, void *value)
{
	return map_elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpfbox_map_lookup_elem_flags(int fd, const void *key, void *value,
				 uint64_t flags)
{
	return map_elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int bpfbox_map_update_elem(int fd, const void *key, const void *value,
			   uint64_t flags)
{
	return map_elem(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

int bpfbox_map_delete_elem(int fd, const void *key)
{
	return map_elem(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpfbox_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return map_elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

int bpfbox_map_get_next_key(int fd, const void *key, void *next_key)
{
	const size_t sz = offsetofend(union bpf_attr, next_key);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = ptr_to_u64(key);
	attr.next_key = ptr_to_u64(next_key);
	return sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr, sz);
}

int bpfbox_map_freeze(int fd)
{
	const size_t sz = offsetofend(union bpf_attr, map_fd);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	return sys_bpf(BPF_MAP_FREEZE, &attr, sz);
}

/* *count is written back even on failure: the kernel reports how many
 * elements it processed before stopping (ENOENT at the end of the map). */
static int map_batch(int cmd, int fd, void *in_batch, void *out_batch,
		     const void *keys, const void *values, uint32_t *count,
		     uint64_t elem_flags)
{
	const size_t sz = offsetofend(union bpf_attr, batch);
	union bpf_attr attr;
	int ret;

	if (!count)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.in_batch = ptr_to_u64(in_batch);
	attr.batch.out_batch = ptr_to_u64(out_batch);
	attr.batch.keys = ptr_to_u64(keys);
	attr.batch.values = ptr_to_u64(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = elem_flags;
	ret = sys_bpf(cmd, &attr, sz);
	*count = attr.batch.count;
	return ret;
}

int bpfbox_map_lookup_batch(int fd, void *in_batch, void *out_batch,
			    void *keys, void *values, uint32_t *count,
			    uint64_t elem_flags)
{
	return map_batch(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch,
			 keys, values, count, elem_flags);
}

int bpfbox_map_lookup_and_delete_batch(int fd, void *in_batch,
				       void *out_batch, void *keys,
				       void *values, uint32_t *count,
				       uint64_t elem_flags)
{
	return map_batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch,
			 out_batch, keys, values, count, elem_flags);
}

int bpfbox_map_update_batch(int fd, const void *keys, const void *values,
			    uint32_t *count, uint64_t elem_flags)
{
	return map_batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values,
			 count, elem_flags);
}

int bpfbox_map_delete_batch(int fd, const void *keys, uint32_t *count,
			    uint64_t elem_flags)
{
	return map_batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL,
			 count, elem_flags);
}

/* ------------------------------------------------------------------ */
/* Programs                                                            */

static void prog_load_opts(union bpf_attr *attr,
			   const struct bpfbox_prog_load_opts *o)
{
	copy_name(attr->prog_name, o->name);
	attr->expected_attach_type = o->expected_attach_type;
	attr->kern_version = o->kern_version;
	attr->prog_flags = o->prog_flags;
	attr->prog_btf_fd = o->prog_btf_fd;
	attr->func_info = ptr_to_u64(o->func_info);
	attr->func_info_rec_size = o->func_info_rec_size;
	attr->func_info_cnt = o->func_info_cnt;
	attr->line_info = ptr_to_u64(o->line_info);
	attr->line_info_rec_size = o->line_info_rec_size;
	attr->line_info_cnt = o->line_info_cnt;
	attr->attach_btf_id = o->attach_btf_id;
	/* attach_prog_fd and attach_btf_obj_fd share the same slot */
	if (o->attach_prog_fd)
		attr->attach_prog_fd = o->attach_prog_fd;
	else
		attr->attach_btf_obj_fd = o->attach_btf_obj_fd;
	attr->fd_array = ptr_to_u64(o->fd_array);
	if (o->log_buf && o->log_size) {
		attr->log_buf = ptr_to_u64(o->log_buf);
		attr->log_size = o->log_size;
		attr->log_level = o->log_level;
	}
}

int bpfbox_prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, const char *license,
		     struct bpfbox_prog_load_opts *opts)
{
	size_t sz = offsetofend(union bpf_attr, fd_array);
	union bpf_attr attr;
	uint32_t true_size;
	int fd;

	if (insn_cnt > UINT32_MAX)
		return -E2BIG;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = ptr_to_u64(insns);
	attr.insn_cnt = (uint32_t)insn_cnt;
	attr.license = ptr_to_u64(license);
	if (opts) {
		prog_load_opts(&attr, opts);
		/* cover log_true_size so that 6.4+ kernels report it */
		if (attr.log_buf)
			sz = BB_LOG_TRUE_SIZE_OFF + sizeof(uint32_t);
	}
	fd = sys_bpf_fd(BPF_PROG_LOAD, &attr, sz);
	if (opts) {
		memcpy(&true_size, (char *)&attr + BB_LOG_TRUE_SIZE_OFF,
		       sizeof(true_size));
		opts->log_true_size = attr.log_buf ? true_size : 0;
	}
	return fd;
}

/* The last n non-empty lines of log, joined by "; " (for one-line errors). */
static void log_tail(const char *log, int n, char *out, size_t len)
{
	const char *end = log + strlen(log), *p = end, *starts[8], *ends[8];
	size_t used = 0;
	int k = 0, i;

	if (n > 8)
		n = 8;
	while (k < n && p > log) {
		const char *e = p, *s;

		while (e > log && (e[-1] == '\n' || e[-1] == ' '))
			e--;
		if (e == log)
			break;
		s = e;
		while (s > log && s[-1] != '\n')
			s--;
		starts[k] = s;
		ends[k] = e;
		k++;
		p = s;
	}
	out[0] = '\0';
	for (i = k - 1; i >= 0 && used + 1 < len; i--) {
		int w = snprintf(out + used, len - used, "%s%.*s",
				 i == k - 1 ? "" : "; ",
				 (int)(ends[i] - starts[i]), starts[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ENOTSUPP is kernel-internal, yet the verifier lets it out (e.g. direct
 * value access to an array with more than one entry): libc has no name. */
#define BB_ENOTSUPP	524

static void errno_words(int err, const char **text, const char **name)
{
	if (err == BB_ENOTSUPP) {
		*text = "Operation not supported";
		*name = "ENOTSUPP";
		return;
	}
	*text = strerror(err);
	*name = strerrorname_np(err);
	if (!*name)
		*name = "unknown errno";
}

static int load_failed(int err, const char *log_buf)
{
	const char *text, *name;
	char tail[1536];

	errno_words(-err, &text, &name);
	if (!log_buf || !log_buf[0])
		return bb_err(err, "program load failed: %s (%s)%s", text, name,
			      log_buf ? "; the verifier log is empty" :
			      "; pass a log buffer to see the verifier's reason");
	log_tail(log_buf, 3, tail, sizeof(tail));
	return bb_err(err, "program load failed: %s (%s); verifier says: %s",
		      text, name, tail);
}

/*
 * First without a log: a successful load then costs no log work, and a
 * small buffer cannot turn success into ENOSPC. Only a failure pays for
 * the second, logged, attempt.
 */
int bpfbox_prog_load_insns(enum bpf_prog_type type,
			   const struct bpf_insn *insns, size_t insn_cnt,
			   const char *license, char *log_buf,
			   size_t log_size)
{
	struct bpfbox_prog_load_opts opts = { 0 };
	int fd;

	fd = bpfbox_prog_load(type, insns, insn_cnt, license, &opts);
	if (fd >= 0)
		return fd;
	if (!log_buf || !log_size)
		return load_failed(fd, NULL);
	log_buf[0] = '\0';
	if (log_size < BB_LOG_MIN)
		return load_failed(fd, log_buf);
	opts.log_buf = log_buf;
	opts.log_size = log_size > BB_LOG_MAX ? BB_LOG_MAX : (uint32_t)log_size;
	opts.log_level = 1;
	fd = bpfbox_prog_load(type, insns, insn_cnt, license, &opts);
	if (fd >= 0)
		return fd;
	log_buf[log_size - 1] = '\0';
	return load_failed(fd, log_buf);
}

/* ------------------------------------------------------------------ */
/* Objects in bpffs, ids, info                                         */

static int obj_path(int cmd, int fd, const char *path)
{
	const size_t sz = offsetofend(union bpf_attr, file_flags);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = ptr_to_u64(path);
	attr.bpf_fd = fd;
	return cmd == BPF_OBJ_GET ? sys_bpf_fd(cmd, &attr, sz)
				  : sys_bpf(cmd, &attr, sz);
}

int bpfbox_obj_pin(int fd, const char *path)
{
	return obj_path(BPF_OBJ_PIN, fd, path);
}

int bpfbox_obj_get(const char *path)
{
	return obj_path(BPF_OBJ_GET, 0, path);
}

static int get_next_id(int cmd, uint32_t start_id, uint32_t *next_id)
{
	const size_t sz = offsetofend(union bpf_attr, next_id);
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = sys_bpf(cmd, &attr, sz);
	if (!ret && next_id)
		*next_id = attr.next_id;
	return ret;
}

int bpfbox_prog_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int bpfbox_map_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

int bpfbox_btf_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_BTF_GET_NEXT_ID, start_id, next_id);
}

int bpfbox_link_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

/* prog_id, map_id, btf_id and link_id all alias start_id */
static int get_fd_by_id(int cmd, uint32_t id)
{
	const size_t sz = offsetofend(union bpf_attr, start_id);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = id;
	return sys_bpf_fd(cmd, &attr, sz);
}

int bpfbox_prog_get_fd_by_id(uint32_t id)
{
	return get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id);
}

int bpfbox_map_get_fd_by_id(uint32_t id)
{
	return get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id);
}

int bpfbox_btf_get_fd_by_id(uint32_t id)
{
	return get_fd_by_id(BPF_BTF_GET_FD_BY_ID, id);
}

int bpfbox_link_get_fd_by_id(uint32_t id)
{
	return get_fd_by_id(BPF_LINK_GET_FD_BY_ID, id);
}

int bpfbox_obj_get_info_by_fd(int fd, void *info, uint32_t *info_len)
{
	const size_t sz = offsetofend(union bpf_attr, info);
	union bpf_attr attr;
	int ret;

	if (!info_len)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = *info_len;
	attr.info.info = ptr_to_u64(info);
	ret = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sz);
	if (!ret)
		*info_len = attr.info.info_len;
	return ret;
}

int bpfbox_btf_load(const void *btf_data, size_t btf_size, char *log_buf,
		    uint32_t log_size, uint32_t log_level)
{
	const size_t sz = offsetofend(union bpf_attr, btf_log_level);
	union bpf_attr attr;

	if (btf_size > UINT32_MAX)
		return -E2BIG;
	memset(&attr, 0, sizeof(attr));
	attr.btf = ptr_to_u64(btf_data);
	attr.btf_size = (uint32_t)btf_size;
	if (log_buf && log_size) {
		attr.btf_log_buf = ptr_to_u64(log_buf);
		attr.btf_log_size = log_size;
		attr.btf_log_level = log_level;
	}
	return sys_bpf_fd(BPF_BTF_LOAD, &attr, sz);
}

/* ------------------------------------------------------------------ */
/* Links and attachment                                                */

/*
 * target_btf_id, iter_info and bpf_cookie overlap in the attr, so at
 * most one of them can be given.
 */
int bpfbox_link_create(int prog_fd, int target_fd,
		       enum bpf_attach_type attach_type,
		       const struct bpfbox_link_create_opts *opts)
{
	size_t sz = offsetofend(union bpf_attr, link_create.flags);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.target_fd = target_fd;
	attr.link_create.attach_type = attach_type;
	if (opts) {
		int n = !!opts->bpf_cookie + !!opts->target_btf_id +
			!!(opts->iter_info || opts->iter_info_len);

		if (n > 1)
			return -EINVAL;
		attr.link_create.flags = opts->flags;
		if (opts->target_btf_id) {
			attr.link_create.target_btf_id = opts->target_btf_id;
			sz = offsetofend(union bpf_attr,
					 link_create.target_btf_id);
		} else if (opts->iter_info || opts->iter_info_len) {
			attr.link_create.iter_info = ptr_to_u64(opts->iter_info);
			attr.link_create.iter_info_len = opts->iter_info_len;
			sz = offsetofend(union bpf_attr,
					 link_create.iter_info_len);
		} else if (opts->bpf_cookie) {
			attr.link_create.perf_event.bpf_cookie =
				opts->bpf_cookie;
			sz = offsetofend(union bpf_attr,
					 link_create.perf_event.bpf_cookie);
		}
	}
	return sys_bpf_fd(BPF_LINK_CREATE, &attr, sz);
}

int bpfbox_raw_tracepoint_open(const char *name, int prog_fd)
{
	const size_t sz = offsetofend(union bpf_attr, raw_tracepoint.prog_fd);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = ptr_to_u64(name);
	attr.raw_tracepoint.prog_fd = prog_fd;
	return sys_bpf_fd(BPF_RAW_TRACEPOINT_OPEN, &attr, sz);
}

int bpfbox_prog_bind_map(int prog_fd, int map_fd)
{
	const size_t sz = offsetofend(union bpf_attr, prog_bind_map.flags);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_bind_map.prog_fd = prog_fd;
	attr.prog_bind_map.map_fd = map_fd;
	return sys_bpf(BPF_PROG_BIND_MAP, &attr, sz);
}

int bpfbox_perf_event_open(struct perf_event_attr *attr, int pid, int cpu,
			   int group_fd, unsigned long flags)
{
	long ret = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd,
			   flags);

	return ret < 0 ? -errno : (int)ret;
}

int bpfbox_prog_test_run(int prog_fd, struct bpfbox_test_run_opts *opts)
{
	const size_t sz = offsetofend(union bpf_attr, test.batch_size);
	union bpf_attr attr;
	int err;

	if (!opts)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	attr.test.ctx_in = ptr_to_u64(opts->ctx_in);
	attr.test.ctx_size_in = opts->ctx_size_in;
	attr.test.data_in = ptr_to_u64(opts->data_in);
	attr.test.data_size_in = opts->data_size_in;
	attr.test.data_out = ptr_to_u64(opts->data_out);
	attr.test.data_size_out = opts->data_size_out;
	attr.test.repeat = opts->repeat;
	attr.test.flags = opts->flags;
	attr.test.cpu = opts->cpu;
	err = sys_bpf(BPF_PROG_TEST_RUN, &attr, sz);
	opts->data_size_out = attr.test.data_size_out;
	opts->retval = attr.test.retval;
	opts->duration = attr.test.duration;
	return err;
}

/* BPF_ITER_CREATE: an fd whose read() runs the iterator behind link_fd */
int bb_sys_iter_create(int link_fd)
{
	const size_t sz = offsetofend(union bpf_attr, iter_create.flags);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = link_fd;
	return sys_bpf_fd(BPF_ITER_CREATE, &attr, sz);
}

/*
 * BPF_ENABLE_STATS: the kernel counts run_cnt and run_time_ns of every
 * program while the returned fd is open (type: BPF_STATS_RUN_TIME).
 */
int bpfbox_enable_stats(int type)
{
	const size_t sz = offsetofend(union bpf_attr, enable_stats.type);
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = (uint32_t)type;
	return sys_bpf_fd(BPF_ENABLE_STATS, &attr, sz);
}
