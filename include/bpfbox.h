/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfbox: load and run BPF objects from raw bpf(2) up.
 *
 * Conventions:
 *  - every function that can fail returns 0 (or a handle / fd) on success
 *    and a negative errno on failure; the words explaining the failure are
 *    kept per thread and read with bpfbox_errmsg();
 *  - handles are opaque; nothing in the library is process-global, so two
 *    objects (or two threads) never trample each other.
 */
#ifndef BPFBOX_H
#define BPFBOX_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <linux/bpf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* The last error message of this thread ("" when none). */
const char *bpfbox_errmsg(void);

/* ------------------------------------------------------------------ */
/* Raw bpf(2) calls (the commands of the bpf(2) manual)                */

struct bpfbox_map_create_opts {
	const char *name;		/* up to 15 characters */
	uint32_t map_flags;
	uint32_t inner_map_fd;
	uint32_t numa_node;
	uint32_t btf_fd;
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	uint32_t btf_vmlinux_value_type_id;
	uint32_t map_ifindex;
	uint64_t map_extra;
};

int bpfbox_map_create(enum bpf_map_type type, uint32_t key_size,
		      uint32_t value_size, uint32_t max_entries,
		      const struct bpfbox_map_create_opts *opts);
int bpfbox_map_lookup_elem(int fd, const void *key, void *value);
int bpfbox_map_lookup_elem_flags(int fd, const void *key, void *value,
				 uint64_t flags);
int bpfbox_map_update_elem(int fd, const void *key, const void *value,
			   uint64_t flags);
int bpfbox_map_delete_elem(int fd, const void *key);
int bpfbox_map_get_next_key(int fd, const void *key, void *next_key);
int bpfbox_map_lookup_and_delete_elem(int fd, const void *key, void *value);
int bpfbox_map_freeze(int fd);

/*
 * Batch operations. in_batch/out_batch are opaque cursors of key size
 * (NULL in_batch starts from the beginning); *count is in: room in
 * keys/values, out: elements processed. Returns -ENOENT once the map
 * has been walked to the end (with *count possibly > 0).
 */
int bpfbox_map_lookup_batch(int fd, void *in_batch, void *out_batch,
			    void *keys, void *values, uint32_t *count,
			    uint64_t elem_flags);
int bpfbox_map_lookup_and_delete_batch(int fd, void *in_batch,
				       void *out_batch, void *keys,
				       void *values, uint32_t *count,
				       uint64_t elem_flags);
int bpfbox_map_update_batch(int fd, const void *keys, const void *values,
			    uint32_t *count, uint64_t elem_flags);
int bpfbox_map_delete_batch(int fd, const void *keys, uint32_t *count,
			    uint64_t elem_flags);

struct bpfbox_prog_load_opts {
	const char *name;
	enum bpf_attach_type expected_attach_type;
	uint32_t kern_version;
	uint32_t prog_flags;
	uint32_t prog_btf_fd;
	const void *func_info;
	uint32_t func_info_rec_size;
	uint32_t func_info_cnt;
	const void *line_info;
	uint32_t line_info_rec_size;
	uint32_t line_info_cnt;
	uint32_t attach_btf_id;
	uint32_t attach_btf_obj_fd;
	uint32_t attach_prog_fd;
	const int *fd_array;
	/* verifier log: level 0 means no log */
	char *log_buf;
	uint32_t log_size;
	uint32_t log_level;
	uint32_t log_true_size;		/* out, on kernels that report it */
};

int bpfbox_prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, const char *license,
		     struct bpfbox_prog_load_opts *opts);

/*
 * Load a hand-written instruction array. When it fails, the verifier log
 * (if log_buf is given) holds the reason and the error message quotes its
 * last lines.
 */
int bpfbox_prog_load_insns(enum bpf_prog_type type,
			   const struct bpf_insn *insns, size_t insn_cnt,
			   const char *license, char *log_buf,
			   size_t log_size);

int bpfbox_obj_pin(int fd, const char *path);
int bpfbox_obj_get(const char *path);
int bpfbox_prog_get_next_id(uint32_t start_id, uint32_t *next_id);
int bpfbox_map_get_next_id(uint32_t start_id, uint32_t *next_id);
int bpfbox_btf_get_next_id(uint32_t start_id, uint32_t *next_id);
int bpfbox_link_get_next_id(uint32_t start_id, uint32_t *next_id);
int bpfbox_prog_get_fd_by_id(uint32_t id);
int bpfbox_map_get_fd_by_id(uint32_t id);
int bpfbox_btf_get_fd_by_id(uint32_t id);
int bpfbox_link_get_fd_by_id(uint32_t id);
/* info is struct bpf_{prog,map,btf,link}_info; *info_len in/out */
int bpfbox_obj_get_info_by_fd(int fd, void *info, uint32_t *info_len);
/* BPF_ENABLE_STATS (enum bpf_stats_type): the stats stay on while the
 * returned fd is open; needs CAP_SYS_ADMIN. fd or -errno */
int bpfbox_enable_stats(int type);
int bpfbox_btf_load(const void *btf_data, size_t btf_size, char *log_buf,
		    uint32_t log_size, uint32_t log_level);

struct bpfbox_link_create_opts {
	uint64_t bpf_cookie;		/* perf_event links */
	uint32_t flags;
	uint32_t target_btf_id;		/* tracing links */
	/* iter links */
	const void *iter_info;
	uint32_t iter_info_len;
};
int bpfbox_link_create(int prog_fd, int target_fd,
		       enum bpf_attach_type attach_type,
		       const struct bpfbox_link_create_opts *opts);
/* BPF_LINK_DETACH: detach a link (its fd and pins stay, defunct);
 * -EOPNOTSUPP for link types the kernel cannot detach (tracing ones) */
int bpfbox_link_detach(int link_fd);
/* BPF_PROG_ATTACH / BPF_PROG_DETACH: the attachments that are not links
 * (sockmap/sockhash verdicts and parsers, flow dissector, cgroups) */
int bpfbox_prog_attach_raw(int prog_fd, int target_fd,
			   enum bpf_attach_type type, uint32_t flags);
int bpfbox_prog_detach_raw(int prog_fd, int target_fd,
			   enum bpf_attach_type type);
int bpfbox_raw_tracepoint_open(const char *name, int prog_fd);
/* keep map_fd alive as long as prog_fd, though the code does not use it */
int bpfbox_prog_bind_map(int prog_fd, int map_fd);

struct perf_event_attr;
int bpfbox_perf_event_open(struct perf_event_attr *attr, int pid, int cpu,
			   int group_fd, unsigned long flags);

/* ------------------------------------------------------------------ */
/* Filesystems: bpffs and tracefs are found wherever they are mounted,  */
/* and mounted at the standard places (/sys/fs/bpf, /sys/kernel/tracing) */
/* when they are not. The mount point is written to path.               */

int bpfbox_bpffs_path(char *path, size_t len);
int bpfbox_tracefs_path(char *path, size_t len);
/* Is path on a bpffs (so pinning there can work)? 1 yes, 0 no, -errno */
int bpfbox_path_is_bpffs(const char *path);

/* ------------------------------------------------------------------ */
/* Instruction building (the notation of the bpf(2) manual)            */

#define BPFBOX_ALU64_REG(OP, DST, SRC)					\
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_OP(OP) | BPF_X,	\
			    .dst_reg = DST, .src_reg = SRC })
#define BPFBOX_ALU64_IMM(OP, DST, IMM)					\
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_OP(OP) | BPF_K,	\
			    .dst_reg = DST, .imm = IMM })
#define BPFBOX_ALU32_IMM(OP, DST, IMM)					\
	((struct bpf_insn){ .code = BPF_ALU | BPF_OP(OP) | BPF_K,	\
			    .dst_reg = DST, .imm = IMM })
#define BPFBOX_MOV64_REG(DST, SRC)					\
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X,	\
			    .dst_reg = DST, .src_reg = SRC })
#define BPFBOX_MOV64_IMM(DST, IMM)					\
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,	\
			    .dst_reg = DST, .imm = IMM })
#define BPFBOX_MOV32_IMM(DST, IMM)					\
	((struct bpf_insn){ .code = BPF_ALU | BPF_MOV | BPF_K,		\
			    .dst_reg = DST, .imm = IMM })
/* 16-byte load of a 64-bit immediate: takes two instruction slots */
#define BPFBOX_LD_IMM64_RAW(DST, SRC, IMM)				\
	((struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM,		\
			    .dst_reg = DST, .src_reg = SRC,		\
			    .imm = (uint32_t)(IMM) }),			\
	((struct bpf_insn){ .imm = (uint32_t)((uint64_t)(IMM) >> 32) })
#define BPFBOX_LD_MAP_FD(DST, MAP_FD)					\
	BPFBOX_LD_IMM64_RAW(DST, BPF_PSEUDO_MAP_FD, MAP_FD)
#define BPFBOX_LDX_MEM(SIZE, DST, SRC, OFF)				\
	((struct bpf_insn){ .code = BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM,	\
			    .dst_reg = DST, .src_reg = SRC, .off = OFF })
#define BPFBOX_STX_MEM(SIZE, DST, SRC, OFF)				\
	((struct bpf_insn){ .code = BPF_STX | BPF_SIZE(SIZE) | BPF_MEM,	\
			    .dst_reg = DST, .src_reg = SRC, .off = OFF })
#define BPFBOX_ST_MEM(SIZE, DST, OFF, IMM)				\
	((struct bpf_insn){ .code = BPF_ST | BPF_SIZE(SIZE) | BPF_MEM,	\
			    .dst_reg = DST, .off = OFF, .imm = IMM })
#define BPFBOX_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)			\
	((struct bpf_insn){ .code = BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC, \
			    .dst_reg = DST, .src_reg = SRC, .off = OFF,	\
			    .imm = OP })
#define BPFBOX_LD_ABS(SIZE, IMM)					\
	((struct bpf_insn){ .code = BPF_LD | BPF_SIZE(SIZE) | BPF_ABS,	\
			    .imm = IMM })
#define BPFBOX_JMP_REG(OP, DST, SRC, OFF)				\
	((struct bpf_insn){ .code = BPF_JMP | BPF_OP(OP) | BPF_X,	\
			    .dst_reg = DST, .src_reg = SRC, .off = OFF })
#define BPFBOX_JMP_IMM(OP, DST, IMM, OFF)				\
	((struct bpf_insn){ .code = BPF_JMP | BPF_OP(OP) | BPF_K,	\
			    .dst_reg = DST, .off = OFF, .imm = IMM })
#define BPFBOX_JMP_A(OFF)						\
	((struct bpf_insn){ .code = BPF_JMP | BPF_JA, .off = OFF })
#define BPFBOX_CALL(FUNC)						\
	((struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = FUNC })
#define BPFBOX_EXIT()							\
	((struct bpf_insn){ .code = BPF_JMP | BPF_EXIT })

/* ------------------------------------------------------------------ */
/* Objects: an ELF file compiled with clang -target bpf                */

struct bpfbox_object;
struct bpfbox_prog;
struct bpfbox_map;

struct bpfbox_open_opts {
	size_t sz;			/* sizeof(struct bpfbox_open_opts) */
	/* object name (default: file name up to its first '.') */
	const char *name;
};

/*
 * Open an object. Pure: parses ELF and BTF, builds maps and programs,
 * applies nothing to the kernel. Returns 0 or a negative errno.
 */
int bpfbox_object_open_file(const char *path,
			    const struct bpfbox_open_opts *opts,
			    struct bpfbox_object **out);
int bpfbox_object_open_mem(const void *buf, size_t size,
			   const struct bpfbox_open_opts *opts,
			   struct bpfbox_object **out);

struct bpfbox_load_opts {
	size_t sz;			/* sizeof(struct bpfbox_load_opts) */
	/* keep the whole verifier log of a failed program in this file */
	const char *verifier_log_path;
	/* always request the verifier log at this level (1 or 2) */
	uint32_t log_level;
	/* kernel BTF for CO-RE instead of the running kernel's (e.g. a
	 * BTFHub file for a kernel built without BTF): raw BTF, or an ELF
	 * file (a vmlinux image) with a .BTF section */
	const char *btf_path;
};

/* Create maps, load BTF, relocate and load every autoloaded program. */
int bpfbox_object_load(struct bpfbox_object *obj,
		       const struct bpfbox_load_opts *opts);
void bpfbox_object_close(struct bpfbox_object *obj);

const char *bpfbox_object_name(const struct bpfbox_object *obj);
const char *bpfbox_object_license(const struct bpfbox_object *obj);
uint32_t bpfbox_object_kversion(const struct bpfbox_object *obj);
/* fd of the object's BTF in the kernel after load, or -1 */
int bpfbox_object_btf_fd(const struct bpfbox_object *obj);

size_t bpfbox_object_prog_count(const struct bpfbox_object *obj);
struct bpfbox_prog *bpfbox_object_prog(const struct bpfbox_object *obj,
				       size_t idx);
struct bpfbox_prog *bpfbox_object_find_prog(const struct bpfbox_object *obj,
					    const char *name);
size_t bpfbox_object_map_count(const struct bpfbox_object *obj);
struct bpfbox_map *bpfbox_object_map(const struct bpfbox_object *obj,
				     size_t idx);
struct bpfbox_map *bpfbox_object_find_map(const struct bpfbox_object *obj,
					  const char *name);

const char *bpfbox_prog_name(const struct bpfbox_prog *prog);
const char *bpfbox_prog_section(const struct bpfbox_prog *prog);
enum bpf_prog_type bpfbox_prog_type(const struct bpfbox_prog *prog);
enum bpf_attach_type
bpfbox_prog_expected_attach_type(const struct bpfbox_prog *prog);
/* attach target from the SEC() name, e.g. "syscalls/sys_enter_execve" */
const char *bpfbox_prog_attach_target(const struct bpfbox_prog *prog);
bool bpfbox_prog_autoload(const struct bpfbox_prog *prog);
int bpfbox_prog_set_autoload(struct bpfbox_prog *prog, bool autoload);
/* instructions: as in the ELF before load, final (relocated) after */
const struct bpf_insn *bpfbox_prog_insns(const struct bpfbox_prog *prog,
					 size_t *cnt);
int bpfbox_prog_fd(const struct bpfbox_prog *prog);
int bpfbox_prog_pin(struct bpfbox_prog *prog, const char *path);

const char *bpfbox_map_name(const struct bpfbox_map *map);
enum bpf_map_type bpfbox_map_type(const struct bpfbox_map *map);
uint32_t bpfbox_map_key_size(const struct bpfbox_map *map);
uint32_t bpfbox_map_value_size(const struct bpfbox_map *map);
uint32_t bpfbox_map_max_entries(const struct bpfbox_map *map);
/*
 * Resize a map declared in SEC(".maps") before the object is loaded
 * (libbpf's bpf_map__set_max_entries): -EBUSY once loaded, -EINVAL for
 * global data and for a size the kernel refuses for the map's type (a
 * ring buffer: a power of 2 and a multiple of the page size, not
 * rounded up as a declared size is; storage maps: 0; others: at least
 * 1). A map pinned by name is reused only if its size is the new one.
 */
int bpfbox_map_set_max_entries(struct bpfbox_map *map, uint32_t max_entries);
uint32_t bpfbox_map_flags(const struct bpfbox_map *map);
/* ".data", ".rodata", ".bss", ... for global data maps, else NULL */
const char *bpfbox_map_section(const struct bpfbox_map *map);
int bpfbox_map_fd(const struct bpfbox_map *map);
int bpfbox_map_pin(struct bpfbox_map *map, const char *path);
/*
 * Global data, as skeletons use it. Before load: the writable initial
 * contents of a .data, .rodata or .kconfig map (*size set), so .rodata
 * knobs can be set; NULL for .bss (zero-filled by the kernel, it has
 * none), for maps declared in SEC(".maps") and after load.
 */
void *bpfbox_map_initial_value(struct bpfbox_map *map, size_t *size);
/*
 * After load: the map's value mapped into this process (BPF_F_MMAPABLE
 * maps only: read-only for the frozen .rodata and .kconfig), the same
 * pointer on every call; unmapped by bpfbox_object_close(). NULL with
 * errno and bpfbox_errmsg() set when not loaded or not mmapable.
 */
void *bpfbox_map_mmap(struct bpfbox_map *map);

/* ------------------------------------------------------------------ */
/* Attaching: links                                                    */
/*
 * A link is one attachment of a program (a BPF link, or a perf event
 * carrying the program, or a socket filter, or several of those, e.g.
 * one sampling event per CPU). Destroying it detaches the program and
 * removes whatever bpfbox created for it (legacy kprobe_events or
 * uprobe_events entries included), unless the link was pinned and
 * disconnected first.
 */
struct bpfbox_link;

struct bpfbox_attach_opts {
	size_t sz;			/* sizeof(struct bpfbox_attach_opts) */
	uint64_t cookie;		/* bpf_get_attach_cookie() value */
	/* uprobe: only this process (0 = every process); perf_event:
	 * only this process (0 = every process on every CPU) */
	int pid;
	/* perf_event: samples per second on each CPU (0 = 99) */
	uint64_t sample_freq;
	/* socket: attach the filter to this socket (SO_ATTACH_BPF) */
	int sock_fd;
	/* kprobe/uprobe: use tracefs kprobe_events/uprobe_events even when
	 * the PMU is there (the fallback path, forced for tests) */
	bool force_legacy;
	/* tracepoint/kprobe/uprobe: attach by ioctl(PERF_EVENT_IOC_SET_BPF)
	 * instead of a BPF link (the path for kernels before 5.15) */
	bool force_ioctl;
};

/*
 * Attach a loaded program where its SEC() name points
 * (SEC("tp/sched/sched_process_exec"), SEC("uretprobe//bin/bash:readline"),
 * SEC("perf_event"), ...). -EINVAL with words when the section names no
 * target (e.g. SEC("kprobe") alone): use bpfbox_prog_attach_to().
 */
int bpfbox_prog_attach(struct bpfbox_prog *prog,
		       const struct bpfbox_attach_opts *opts,
		       struct bpfbox_link **link);
/*
 * Attach to TARGET, written in SEC() syntax ("tp/raw_syscalls/sys_enter",
 * "kretprobe/do_unlinkat", "uprobe/libc.so.6:malloc",
 * "perf_event/cpu-clock", "iter/task", "socket"); it overrides the
 * section's own target. The target's kind must suit the program type.
 */
int bpfbox_prog_attach_to(struct bpfbox_prog *prog, const char *target,
			  const struct bpfbox_attach_opts *opts,
			  struct bpfbox_link **link);
/*
 * The same for a program loaded elsewhere (an fd from a pin or an id):
 * its type and attach type come from the kernel.
 */
int bpfbox_attach_fd(int prog_fd, const char *target,
		     const struct bpfbox_attach_opts *opts,
		     struct bpfbox_link **link);

/*
 * Attach every loaded program whose SEC() names a target (programs whose
 * section names none, like SEC("socket") or SEC("kprobe"), are left
 * alone). The links belong to the object: bpfbox_object_detach() or
 * bpfbox_object_close() destroys them. On failure, the links made so
 * far are destroyed and the error names the program and the target.
 */
int bpfbox_object_attach(struct bpfbox_object *obj);
void bpfbox_object_detach(struct bpfbox_object *obj);
/* the link bpfbox_object_attach() made for prog, or NULL */
struct bpfbox_link *bpfbox_prog_link(const struct bpfbox_prog *prog);

/* fd of the BPF link (or of the perf event), -1 when it has none */
int bpfbox_link_fd(const struct bpfbox_link *link);
/* "tracepoint syscalls/sys_enter_openat", "uretprobe /usr/bin/bash:readline" */
const char *bpfbox_link_describe(const struct bpfbox_link *link);
/* pin on bpffs: the attachment outlives the process (BPF links only) */
int bpfbox_link_pin(struct bpfbox_link *link, const char *path);
/* keep the attachment when the link is destroyed (after a pin) */
void bpfbox_link_disconnect(struct bpfbox_link *link);
/* detach (unless disconnected), clean up and free; NULL is fine */
void bpfbox_link_destroy(struct bpfbox_link *link);

/* iterators: a new fd whose read() runs the iterator program once */
int bpfbox_iter_create(const struct bpfbox_link *link);

/* BPF_PROG_TEST_RUN: run a program once (raw_tp, syscall, skb, ...) */
struct bpfbox_test_run_opts {
	size_t sz;
	const void *ctx_in;
	uint32_t ctx_size_in;
	const void *data_in;
	uint32_t data_size_in;
	void *data_out;
	uint32_t data_size_out;		/* in: room, out: used */
	uint32_t repeat;
	uint32_t flags;
	uint32_t cpu;
	uint32_t retval;		/* out */
	uint32_t duration;		/* out, ns per run */
};
int bpfbox_prog_test_run(int prog_fd, struct bpfbox_test_run_opts *opts);

/* ------------------------------------------------------------------ */
/* Event channels: ring buffers and perf buffers                       */

/*
 * Ring buffers (BPF_MAP_TYPE_RINGBUF). One consumer polls any number of
 * rings with one epoll set. The callback returns 0 to go on, a negative
 * value to stop (bpfbox_ringbuf_poll/consume then return it).
 */
struct bpfbox_ringbuf;
typedef int (*bpfbox_ringbuf_cb)(void *ctx, const void *data, size_t size);

int bpfbox_ringbuf_new(struct bpfbox_ringbuf **rb);
int bpfbox_ringbuf_add(struct bpfbox_ringbuf *rb, int map_fd,
		       bpfbox_ringbuf_cb cb, void *ctx);
/*
 * Wait up to timeout_ms (-1: forever) for data, then consume every
 * ready record of every ring. Returns the number of records consumed,
 * or a negative errno (-EINTR when a signal interrupted the wait).
 */
int bpfbox_ringbuf_poll(struct bpfbox_ringbuf *rb, int timeout_ms);
/*
 * Consume without waiting until every ring is caught up (also with what
 * was committed meanwhile, so the kernel's next wakeup is not lost: with
 * a producer that never pauses, this does not return); the number of
 * records or -errno.
 */
int bpfbox_ringbuf_consume(struct bpfbox_ringbuf *rb);
/* the epoll fd, to embed the consumer in another event loop */
int bpfbox_ringbuf_epoll_fd(const struct bpfbox_ringbuf *rb);
void bpfbox_ringbuf_free(struct bpfbox_ringbuf *rb);

/*
 * Perf buffers (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one perf event and
 * mapping per online CPU. Lost samples are reported to lost_cb per CPU
 * as the kernel reports them (the count of records it had to drop).
 */
struct bpfbox_perfbuf;
typedef int (*bpfbox_perfbuf_sample_cb)(void *ctx, int cpu,
					const void *data, size_t size);
typedef void (*bpfbox_perfbuf_lost_cb)(void *ctx, int cpu, uint64_t lost);

struct bpfbox_perfbuf_opts {
	size_t sz;
	size_t pages_per_cpu;		/* power of 2; 0 = 64 (256 KiB) */
	/* wake the consumer every N samples (0 = every sample); bigger
	 * values save wakeups under load, poll timeouts bound the delay */
	uint32_t wakeup_events;
};
int bpfbox_perfbuf_new(int map_fd, bpfbox_perfbuf_sample_cb sample_cb,
		       bpfbox_perfbuf_lost_cb lost_cb, void *ctx,
		       const struct bpfbox_perfbuf_opts *opts,
		       struct bpfbox_perfbuf **pb);
/*
 * Wait up to timeout_ms for a wakeup, then read every CPU's buffer;
 * the number of records or -errno.
 */
int bpfbox_perfbuf_poll(struct bpfbox_perfbuf *pb, int timeout_ms);
/* read every CPU's buffer without waiting */
int bpfbox_perfbuf_consume(struct bpfbox_perfbuf *pb);
/*
 * The epoll fd, to embed the consumer in another event loop: when it is
 * readable, call bpfbox_perfbuf_consume() (or _poll(pb, 0)). Waiting on
 * it takes the perf events' readiness, so the reading must not depend
 * on it being reported again.
 */
int bpfbox_perfbuf_epoll_fd(const struct bpfbox_perfbuf *pb);
/* total samples lost so far, over all CPUs */
uint64_t bpfbox_perfbuf_lost(const struct bpfbox_perfbuf *pb);
void bpfbox_perfbuf_free(struct bpfbox_perfbuf *pb);

/* The trace_pipe (bpf_printk output): an fd to read, opened O_NONBLOCK
 * if nonblock; tracefs is mounted when it is not */
int bpfbox_trace_pipe_open(bool nonblock);

/* ------------------------------------------------------------------ */
/* Capabilities                                                        */

#define BPFBOX_CAP_PERFMON	38
#define BPFBOX_CAP_BPF		39
/* is capability cap (CAP_SYS_ADMIN, BPFBOX_CAP_BPF, ...) effective? */
bool bpfbox_cap_effective(int cap);
/* CAP_BPF or CAP_SYS_ADMIN: may this process use bpf(2) beyond the
 * unprivileged subset at all? */
bool bpfbox_may_use_bpf(void);
/*
 * Give up every capability (effective, permitted, inheritable, ambient,
 * bounding) and set no_new_privs: for long-running commands once their
 * programs are attached (fds already held keep working).
 */
int bpfbox_drop_caps(void);

/* Enum names as bpftool spells them ("tracepoint", "hash"); NULL if unknown */
const char *bpfbox_prog_type_name(enum bpf_prog_type type);
const char *bpfbox_map_type_name(enum bpf_map_type type);
const char *bpfbox_attach_type_name(enum bpf_attach_type type);

#ifdef __cplusplus
}
#endif
#endif /* BPFBOX_H */
