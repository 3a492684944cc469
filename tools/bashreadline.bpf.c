// SPDX-License-Identifier: GPL-2.0
/*
 * bashreadline, kernel side: a uretprobe on the function of bash (or of
 * its libreadline) that hands back the line just typed. The user side
 * picks the function: readline_internal_teardown where it exists, which
 * is entered only once the line is complete, so a shell that was already
 * waiting in readline() when the tool started is not missed (a uretprobe
 * on readline itself is armed only on entry); readline otherwise.
 *
 * Every filter is applied here (rodata knobs set by the user side);
 * records that do not fit in the ring are counted in `lost`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bashreadline.h"

const volatile __s32 targ_pid = 0;
const volatile bool filter_cg = false;
/* on a shared libreadline: only processes named bash (as libbpf-tools) */
const volatile bool filter_bash = false;

__u64 lost = 0;		/* ring buffer reservations that failed */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* the record is built here: too big for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct br_event);
} heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

static bool is_bash(const char *comm)
{
	return comm[0] == 'b' && comm[1] == 'a' && comm[2] == 's' &&
	       comm[3] == 'h' && comm[4] == '\0';
}

/* the line's bytes; a line longer than the buffer is flagged */
static void read_line(struct br_event *e, const char *line)
{
	long n;
	char c;

	e->flags = 0;
	n = bpf_probe_read_user_str(e->line, sizeof(e->line), line);
	if (n <= 0) {
		e->line[0] = '\0';
		e->len = 0;
		e->flags = BR_UNREADABLE;
		return;
	}
	e->len = n - 1;
	if (n == BR_LINE_MAX &&
	    !bpf_probe_read_user(&c, 1, line + BR_LINE_MAX - 1) && c)
		e->flags = BR_TRUNCATED;
}

SEC("uretprobe")
int BPF_KRETPROBE(line_done, const char *line)	/* also right for uretprobes */
{
	__u32 zero = 0;
	struct br_event *e;
	__u64 size;
	__s32 pid;

	if (!line)
		return 0;	/* EOF (Ctrl-D): no line */
	pid = bpf_get_current_pid_tgid() >> 32;
	if (targ_pid && pid != targ_pid)
		return 0;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return 0;
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		return 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (filter_bash && !is_bash(e->comm))
		return 0;
	e->pid = pid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ts = bpf_ktime_get_ns();
	read_line(e, line);
	size = offsetof(struct br_event, line) + e->len + 1;
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_ringbuf_output(&events, e, size, 0))
		__sync_fetch_and_add(&lost, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
