# make bench: side-by-side comparisons, the peer measured in the same run
# (see docs/bench-*.md for the results and the method).
#
#   make bench               build and run every benchmark, rewrite docs/
#   make bench BENCH_RUNS=N  fresh processes per measured kind (default 30)
#
# The kernel-BTF bench builds one source twice: the bpfbox side (and the
# driver) on libbpfbox.a alone, the libbpf side on -lbpf -lelf -lz, so
# neither process carries the other's library.
BENCH_RUNS ?= 30

.PHONY: bench

$(B)/bench/btf_vmlinux: bench/btf_vmlinux.c $(B)/libbpfbox.a
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -DBENCH_BPFBOX -o $@ $< $(B)/libbpfbox.a $(LDLIBS)

$(B)/bench/btf_vmlinux_libbpf: bench/btf_vmlinux.c
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -DBENCH_LIBBPF -o $@ $< -lbpf -lelf -lz

bench: $(B)/bench/btf_vmlinux $(B)/bench/btf_vmlinux_libbpf
	$(B)/bench/btf_vmlinux -n $(BENCH_RUNS) -o docs/bench-btf.md

# Ring buffer consumers: bpfbox_ringbuf_poll vs libbpf's ring_buffer__poll
# draining the same BPF producer's records (tests/progs/buffers_prod.bpf.c),
# built the same two ways; docs/bench-ringbuf.md holds the results.
RB_CHILDREN ?= 10
RB_ROUNDS ?= 5

$(B)/bench/ringbuf: bench/ringbuf.c $(B)/libbpfbox.a
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -DBENCH_BPFBOX -o $@ $< $(B)/libbpfbox.a $(LDLIBS)

$(B)/bench/ringbuf_libbpf: bench/ringbuf.c
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -DBENCH_LIBBPF -o $@ $< -lbpf -lelf -lz

bench: bench-ringbuf
.PHONY: bench-ringbuf
bench-ringbuf: $(B)/bench/ringbuf $(B)/bench/ringbuf_libbpf $(B)/progs/buffers_prod.bpf.o
	$(B)/bench/ringbuf -n $(RB_CHILDREN) -r $(RB_ROUNDS) -o docs/bench-ringbuf.md $(B)/progs

# The tracing tools (issue #5) against Debian's libbpf-tools binaries:
# bench/tools.sh runs both side by side (open() storm under opensnoop,
# time to the first event, peak RSS, size) and writes
# docs/bench-tools.md. Tools not yet in bpfbox are reported as pending.
#   make bench-tools TOOLS_RUNS=N TOOLS_STORM_SECS=S
TOOLS_RUNS ?= 5
TOOLS_STORM_SECS ?= 2
BENCH_TOOL_HELPERS := $(B)/bench/open_storm $(B)/bench/first_line \
		      $(B)/bench/tool_trigger

$(BENCH_TOOL_HELPERS): $(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -o $@ $<

bench: bench-tools
.PHONY: bench-tools
bench-tools: $(B)/bpfbox $(BENCH_TOOL_HELPERS)
	BPFBOX=$(B)/bpfbox BENCH_BIN=$(B)/bench bench/tools.sh \
		-r $(TOOLS_RUNS) -d $(TOOLS_STORM_SECS) -o docs/bench-tools.md

# bpfbox export with maps of 10,000 keys (issue #8): scrape time and the
# exporter's CPU when the maps are read with the batch lookup command
# against key by key, per map shape (tests/progs/export_keys.bpf.c);
# bench/export.sh writes docs/bench-export.md.
#   make bench-export EXPORT_SCRAPES=N EXPORT_ROUNDS=M
EXPORT_SCRAPES ?= 50
EXPORT_ROUNDS ?= 2

bench: bench-export
.PHONY: bench-export
bench-export: $(B)/bpfbox $(B)/progs/export_keys.bpf.o
	BPFBOX=$(B)/bpfbox PROGS=$(B)/progs bench/export.sh \
		-r $(EXPORT_SCRAPES) -n $(EXPORT_ROUNDS) -o docs/bench-export.md
