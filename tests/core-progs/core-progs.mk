# CO-RE test programs for the differential test against libbpf. They are
# compiled against the vmlinux.h that libbpfbox (tools/gen-skel) writes
# from this kernel's BTF (tools/tools.mk): the build needs no bpftool.
CORE_DIFF_SRCS := $(sort $(wildcard tests/core-progs/*.bpf.c))
CORE_DIFF_OBJS := $(CORE_DIFF_SRCS:tests/core-progs/%.bpf.c=$(B)/core-progs/%.bpf.o)

$(B)/core-progs/%.bpf.o: tests/core-progs/%.bpf.c $(B)/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -I$(B) -c $< -o $@

core-progs: $(CORE_DIFF_OBJS)
TEST_DEPS += $(CORE_DIFF_OBJS)
