# CO-RE golden tests: BPF programs (tests/core/*.bpf.c) and the "kernel"
# layouts they are relocated against (tests/core/targets/*.c, compiled
# only for their .BTF). tests/unit/test_core.c reads them from build/core.
CORE_PROG_SRCS   := $(sort $(wildcard tests/core/*.bpf.c))
CORE_TARGET_SRCS := $(sort $(wildcard tests/core/targets/*.c))
CORE_OBJS := $(CORE_PROG_SRCS:tests/core/%.bpf.c=$(B)/core/%.bpf.o) \
	     $(CORE_TARGET_SRCS:tests/core/targets/%.c=$(B)/core/targets/%.o)

$(B)/core/%.bpf.o: tests/core/%.bpf.c $(wildcard tests/core/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -Itests/core -c $< -o $@

$(B)/core/targets/%.o: tests/core/targets/%.c
	@mkdir -p $(@D)
	$(CLANG) -g -target bpf -c $< -o $@

.PHONY: core-objs
core-objs: $(CORE_OBJS)

TEST_DEPS += $(CORE_OBJS)

# the CO-RE diff against libbpf (tests/core/diff_libbpf.sh): bpfbox's side
# and libbpf's side print relocated instructions in the same format
$(B)/core/core_dump: tests/core/core_dump.c $(B)/libbpfbox.a
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -o $@ $< $(B)/libbpfbox.a $(LDLIBS)
$(B)/core/libbpf_core: tests/core/libbpf_core.c
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -o $@ $< -lbpf -lelf -lz
core-objs: $(B)/core/core_dump $(B)/core/libbpf_core
TEST_DEPS += $(B)/core/core_dump $(B)/core/libbpf_core
