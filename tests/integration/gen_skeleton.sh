#!/bin/bash
# bpfbox gen skeleton (issue #3 item 7): the header it writes compiles
# (-Wall -Wextra -Werror) into a user program on libbpfbox that sets a
# .rodata knob before load, loads, reads the knob back through the
# mmapped map, writes .data through the mapping and sees the write with a
# map lookup, reads .bss (zero: nothing is attached), attaches the demo
# object (links filled, an exec is counted), detaches (no longer counted)
# and destroys. Also:
# a missing file exits 1 naming it, bad usage exits 2.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

# the library next to bpfbox (build/san/bpfbox: the one in build/)
LIBA=$(dirname "$BPFBOX")/libbpfbox.a
[ -f "$LIBA" ] || LIBA=$(dirname "$(dirname "$BPFBOX")")/libbpfbox.a
CC=${CC:-cc}
CFLAGS="-std=gnu11 -Wall -Wextra -Werror -Iinclude -I$BB_TMP"

# ---- usage and failures (no root needed) ----
expect_rc "missing file exits 1" 1 "$BPFBOX" gen skeleton "$BB_TMP/nope.bpf.o"
expect_match "missing file is named" "$ERR" "nope\.bpf\.o"
expect_rc "no file exits 2" 2 "$BPFBOX" gen skeleton
expect_rc "stray word exits 2" 2 "$BPFBOX" gen skeleton "$PROGS/demo.bpf.o" bogus
expect_rc "unknown verb exits 2" 2 "$BPFBOX" gen frobnicate
expect_rc "help exits 0" 0 "$BPFBOX" gen help
expect_match "help names skeleton" "$OUT" "gen skeleton FILE"
printf 'not an ELF' >"$BB_TMP/junk.o"
expect_rc "not an object exits 1" 1 "$BPFBOX" gen skeleton "$BB_TMP/junk.o"
expect_match "not an object: nothing on stdout" "[$OUT]" '^\[\]$'

# ---- generation ----
expect_rc "skeleton of global_data" 0 "$BPFBOX" gen skeleton \
	"$PROGS/global_data.bpf.o"
printf '%s\n' "$OUT" >"$BB_TMP/global_data.skel.h"
expect_match "default name from the file name" "$OUT" \
	"struct global_data \{"
expect_match "custom section gets its own struct" "$OUT" \
	"struct global_data__rodata_tunables \{"
expect_rc "skeleton with name" 0 "$BPFBOX" gen skeleton "$PROGS/demo.bpf.o" \
	name my-demo
expect_match "name is sanitized" "$OUT" "struct my_demo \{"
expect_rc "skeleton of demo" 0 "$BPFBOX" gen skeleton "$PROGS/demo.bpf.o"
printf '%s\n' "$OUT" >"$BB_TMP/demo.skel.h"

cat >"$BB_TMP/skel_user.c" <<'PROG'
#include <stdio.h>
#include <string.h>
#include "global_data.skel.h"
#include "demo.skel.h"

static int fail(const char *what, int err)
{
	fprintf(stderr, "%s: %d: %s\n", what, err, bpfbox_errmsg());
	return 1;
}

static int run_global_data(void)
{
	unsigned char val[4096];
	struct global_data *s;
	uint32_t zero = 0;
	uint64_t seen;
	int err;

	s = global_data__open();
	if (!s)
		return fail("open", -errno);
	printf("before load: bss %s, events_seen %llu\n",
	       s->bss ? "set" : "NULL",
	       (unsigned long long)s->data->events_seen);
	printf("mmap before load: %s\n",
	       bpfbox_map_mmap(s->maps.data) ? "mapped" : bpfbox_errmsg());
	s->rodata->target_pid = 4242;
	s->rodata_tunables->tunable = 77;
	err = global_data__load(s);
	if (err)
		return fail("load", err);
	printf("rodata target_pid %u tunable %u\n", s->rodata->target_pid,
	       s->rodata_tunables->tunable);
	s->data->events_seen = 1234;
	if (bpfbox_map_value_size(s->maps.data) > sizeof(val))
		return fail("value size", -1);
	err = bpfbox_map_lookup_elem(bpfbox_map_fd(s->maps.data), &zero, val);
	if (err)
		return fail("lookup", err);
	memcpy(&seen, val + offsetof(struct global_data__data, events_seen),
	       sizeof(seen));
	printf("data lookup events_seen %llu\n", (unsigned long long)seen);
	printf("bss total_flags %llu opens %llu\n",
	       (unsigned long long)s->bss->total_flags,
	       (unsigned long long)s->bss->stats.opens);
	printf("mmap cached %s\n",
	       bpfbox_map_mmap(s->maps.data) == (void *)s->data ? "yes" : "no");
	global_data__destroy(s);
	return 0;
}

static unsigned long long exec_count(struct demo *s, const char *comm)
{
	char key[16] = {};
	uint64_t n = 0;

	strncpy(key, comm, sizeof(key) - 1);
	bpfbox_map_lookup_elem(bpfbox_map_fd(s->maps.exec_counts), key, &n);
	return n;
}

static int run_demo(void)
{
	struct demo *s = demo__open_and_load();
	unsigned long long before;

	if (!s)
		return fail("demo open_and_load", -errno);
	printf("demo prog fd ok %d\n", bpfbox_prog_fd(s->progs.count_execs) >= 0);
	printf("mmap of a hash map: %s\n",
	       bpfbox_map_mmap(s->maps.exec_counts) ? "mapped" : bpfbox_errmsg());
	printf("link before attach: %s\n", s->links.count_execs ? "set" : "NULL");
	if (demo__attach(s))
		return fail("demo attach", -1);
	printf("link after attach: %s\n", s->links.count_execs ?
	       bpfbox_link_describe(s->links.count_execs) : "NULL");
	if (system("/bin/true") != 0)
		return fail("exec /bin/true", -1);
	printf("exec of true counted: %d\n", exec_count(s, "true") > 0);
	demo__detach(s);
	before = exec_count(s, "true");
	if (system("/bin/true") != 0)
		return fail("exec /bin/true", -1);
	printf("after detach not counted: %d\n",
	       exec_count(s, "true") == before);
	demo__destroy(s);
	return 0;
}

int main(void)
{
	if (run_global_data() || run_demo())
		return 1;
	printf("done\n");
	return 0;
}
PROG

if [ ! -f "$LIBA" ]; then
	skip "compiling a skeleton user: no libbpfbox.a next to $BPFBOX"
	exit 0
fi
# shellcheck disable=SC2086 # CFLAGS is a list of words
if $CC $CFLAGS -o "$BB_TMP/skel_user" "$BB_TMP/skel_user.c" "$LIBA" -lz \
	2>"$BB_TMP/cc.err"; then
	pass "skeletons compile with -Wall -Wextra -Werror"
else
	fail "skeletons do not compile: $(head -c 2000 "$BB_TMP/cc.err")"
	exit 0
fi

if ! is_root; then
	skip "loading through the skeleton needs root"
	exit 0
fi
expect_rc "user program runs" 0 "$BB_TMP/skel_user"
expect_match ".bss has no initial value" "$OUT" "before load: bss NULL"
expect_match ".data initial value seen before load" "$OUT" "events_seen 42"
expect_match ".rodata knobs read back through mmap" "$OUT" \
	"rodata target_pid 4242 tunable 77"
expect_match ".data written through mmap, seen by lookup" "$OUT" \
	"data lookup events_seen 1234"
expect_match ".bss reads zero" "$OUT" "bss total_flags 0 opens 0"
expect_match "mmap returns the same pointer" "$OUT" "mmap cached yes"
expect_match "mmap before load fails" "$OUT" \
	"mmap before load: map .*not loaded"
expect_match "mmap of a map without BPF_F_MMAPABLE fails" "$OUT" \
	"mmap of a hash map: map exec_counts: not mmapable"
expect_match "open_and_load loads the program" "$OUT" "demo prog fd ok 1"
expect_match "links are NULL before attach" "$OUT" "link before attach: NULL"
expect_match "attach fills links" "$OUT" \
	"link after attach: tracepoint sched/sched_process_exec"
expect_match "attached program counts an exec" "$OUT" "exec of true counted: 1"
expect_match "detach stops it" "$OUT" "after detach not counted: 1"
expect_match "destroy and exit" "$OUT" "done"

# ---- a vmlinux.h-style "typedef _Bool bool;" next to <stdbool.h> ----
expect_rc "skeleton of skel_bool" 0 "$BPFBOX" gen skeleton \
	"$PROGS/skel_bool.bpf.o"
printf '%s\n' "$OUT" >"$BB_TMP/skel_bool.skel.h"
cat >"$BB_TMP/bool_user.c" <<'PROG'
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include "skel_bool.skel.h"

int main(int argc, char **argv)
{
	struct skel_bool *s = skel_bool__open();
	bool on = argc > 1;
	int i;

	(void)argv;
	if (!s)
		return 1;
	s->rodata->trace_all = on;
	if (skel_bool__load(s) || skel_bool__attach(s))
		return 1;
	for (i = 0; i < 3; i++)
		getppid();
	printf("seen %d count %d\n", s->bss->tally.seen == true,
	       s->bss->tally.count >= 3);
	skel_bool__destroy(s);
	return 0;
}
PROG
# shellcheck disable=SC2086 # CFLAGS is a list of words
if $CC $CFLAGS -o "$BB_TMP/bool_user" "$BB_TMP/bool_user.c" "$LIBA" -lz \
	2>"$BB_TMP/cc.err"; then
	pass "a skeleton with typedef bool compiles after <stdbool.h>"
else
	fail "skeleton with typedef bool: $(head -c 2000 "$BB_TMP/cc.err")"
	exit 0
fi
expect_rc "bool knob on: program counts" 0 "$BB_TMP/bool_user" on
expect_match "bool knob on: seen" "$OUT" "seen 1 count 1"
expect_rc "bool knob off: program ignores" 0 "$BB_TMP/bool_user"
expect_match "bool knob off: not seen" "$OUT" "seen 0 count 0"
