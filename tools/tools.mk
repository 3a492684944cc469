# The tracing tools (execsnoop, ...), linked into the one bpfbox binary.
#
# Each tool is tools/NAME.bpf.c (kernel side, CO-RE against this
# kernel's vmlinux.h) and tools/NAME.c (user side on libbpfbox and the
# generated skeleton NAME.skel.h); tools/common.c is shared.
#
# Bootstrap: skeletons and vmlinux.h are normally written by bpfbox
# itself (bpfbox gen skeleton, bpfbox btf dump ... format c), but the
# tools are part of bpfbox, so bpfbox cannot exist before them. The
# cycle is broken by $(B)/tools/gen-skel, a small host program built from
# tools/boot/gen_skel.c and libbpfbox.a alone (the same library code the
# two bpfbox commands run):
#
#   libbpfbox.a -> gen-skel -> vmlinux.h -> NAME.bpf.o -> NAME.skel.h
#               -> tools/NAME.o -> bpfbox (and san/bpfbox)

TOOL_NAMES := $(patsubst tools/%.bpf.c,%,$(sort $(wildcard tools/*.bpf.c)))
TOOL_SRCS  := $(filter-out %.bpf.c,$(sort $(wildcard tools/*.c)))
TOOL_OBJS  := $(TOOL_SRCS:%.c=$(B)/%.o)
SAN_TOOL_OBJS := $(TOOL_SRCS:%.c=$(B)/san/%.o)
TOOL_SKELS := $(TOOL_NAMES:%=$(B)/tools/%.skel.h)

$(B)/tools/gen-skel: tools/boot/gen_skel.c $(B)/libbpfbox.a
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -o $@ $< $(B)/libbpfbox.a $(LDLIBS)

# One vmlinux.h for every BPF C program built here (the tools and the
# CO-RE test programs of tests/core-progs). It and the skeletons are
# replaced only when their text changes: a relink of the library then does
# not recompile every BPF program and tool.
$(B)/vmlinux.h: $(B)/tools/gen-skel
	$(B)/tools/gen-skel vmlinux > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

# BPF objects apart from the host ones: $(B)/tools/*.o are what bpfbox
# links (tests/integration/valgrind.sh links them into a dynamic twin)
# DWARF (-g) is what BTF is made from; once clang has done that it is dead
# weight in the skeleton: llvm-strip -g keeps .BTF and .BTF.ext and cuts
# the embedded objects to about a fifth (docs/bench-tools.md, size)
LLVM_STRIP ?= llvm-strip
$(B)/tools/bpf/%.bpf.o: tools/%.bpf.c tools/%.h $(B)/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -I$(B) -Itools -c $< -o $@
	$(LLVM_STRIP) -g $@

$(B)/tools/%.skel.h: $(B)/tools/bpf/%.bpf.o $(B)/tools/gen-skel
	$(B)/tools/gen-skel skeleton $< $* > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

# the user sides see the skeletons and the CLI's helpers (JSON writer)
$(TOOL_OBJS) $(SAN_TOOL_OBJS): BB_CFLAGS += -iquote cli -I$(B)/tools
$(TOOL_OBJS) $(SAN_TOOL_OBJS): $(TOOL_SKELS)

# linked into bpfbox: the recipes read CLI_OBJS when they run, and the
# sanitized link takes its prerequisites ($^)
CLI_OBJS += $(TOOL_OBJS)
$(B)/bpfbox: $(TOOL_OBJS)
$(B)/san/bpfbox: $(SAN_TOOL_OBJS)

.PRECIOUS: $(B)/tools/bpf/%.bpf.o $(B)/tools/%.skel.h
