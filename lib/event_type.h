/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which BTF type the records of a ring buffer or perf event array hold,
 * found in the opened object alone (pure: no syscalls), so that
 * `bpfbox run` can decode them with no hint from the user.
 *
 * 1. The map's declared value type, when it is a struct or union (a ring
 *    buffer usually declares none; a perf event array's value is the
 *    int fd of a CPU's buffer, which says nothing about the records).
 * 2. Otherwise the size the programs write: calls of
 *      bpf_ringbuf_reserve(map, SIZE, ...)          SIZE in r2
 *      bpf_ringbuf_reserve_dynptr(map, SIZE, ...)   SIZE in r2
 *      bpf_ringbuf_output(map, data, SIZE, ...)     SIZE in r3
 *      bpf_perf_event_output(ctx, map, f, data, SIZE)  SIZE in r5
 *      (and bpf_skb_output, bpf_xdp_output, alike)
 *    whose map register holds that map (an ld_imm64 with a map
 *    relocation, or after loading, the map's fd) and whose SIZE register
 *    holds a constant: both are followed backwards through register
 *    moves within the basic block (calls clobber r0-r5). All calls must
 *    agree on one size. The record type is then the struct (or union, or
 *    typedef of an anonymous one) of exactly that size in the object's
 *    BTF, ranked:
 *      - map definitions (the structs of .maps) are never candidates;
 *        types reachable only from a program's context argument (its
 *        tracepoint record, ...) are set aside and named in `why`;
 *      - +2 when reachable from what the object itself declares: globals,
 *        map keys and values, subprogram signatures, program arguments
 *        other than the context;
 *      - +1 when the name holds event, evt, data, record, sample or msg.
 *    A single best candidate is chosen (the runners-up are named in
 *    `why`); a tie leaves the type unknown and lists the tied ones, and
 *    so does a best score of 0 (say, a kernel type only CO-RE uses: no
 *    better than a guess by size alone).
 *    Note: clang (14 at least) puts into BTF only types reachable from
 *    globals, maps, function signatures and CO-RE relocations. A struct
 *    used only through a local variable (struct event *e =
 *    bpf_ringbuf_reserve(...)) is not there at all; a global such as
 *      struct event *unused_event __attribute__((unused));
 *    or a __noinline subprogram taking a struct event * brings it in.
 * 3. Otherwise no type: `why` says so and asks for --event-type NAME.
 *
 * Best called on an opened object (before or after load).
 */
#ifndef BB_EVENT_TYPE_H
#define BB_EVENT_TYPE_H

#include <stddef.h>
#include <stdint.h>

struct bpfbox_object;
struct bb_btf;

/*
 * The record type of the map named map_name in obj. Returns 0 with
 * *type_id set (0: not found; decode as hex or ask for --event-type) and
 * why (NUL-terminated, cut to why_len) explaining the choice or what to
 * do. -ENOENT (no such map) or -EINVAL (the map is no ring buffer or
 * perf event array) with the message set (bpfbox_errmsg()).
 */
int bb_event_type_guess(const struct bpfbox_object *obj, const char *map_name,
			uint32_t *type_id, char *why, size_t why_len);

/*
 * --event-type NAME: "struct NAME", "union NAME", "enum NAME" or a bare
 * NAME (a struct, then a union, then a typedef, then any type of that
 * name). 0, or -ENOENT with a message naming the BTF's struct types of
 * event-like names to choose from.
 */
int bb_event_type_find(const struct bb_btf *btf, const char *name,
		       uint32_t *type_id);

#endif
