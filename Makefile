# bpfbox: one static binary, one static library, no run-time dependencies.
#
#   make            build/bpfbox (static) and build/libbpfbox.a
#   make run        build and start `bpfbox execsnoop` (root; Ctrl-C ends
#                   it; options in ARGS="-x -T"); make demo: the demo object
#   make test       everything make test runs (installs deps when missing)
#   make deps       install build and test dependencies (Debian, as root)

CC       ?= gcc
CLANG    ?= clang
CFLAGS   ?= -O2 -g
BB_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers \
	    -Iinclude -iquote lib -D_GNU_SOURCE
# sanitizer build: the same sources under ASan + UBSan
SAN_CC    = clang
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer

# zlib reads /proc/config.gz, libyaml export --config (both linked
# statically into bpfbox)
LDLIBS := -lz -lyaml

B := build
LIB_SRCS  := $(sort $(wildcard lib/*.c))
CLI_SRCS  := $(sort $(wildcard cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
PROG_SRCS := $(sort $(wildcard tests/progs/*.bpf.c))

LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(B)/%.o)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(B)/%.o)
SAN_LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/san/%.o)
SAN_CLI_OBJS  := $(CLI_SRCS:%.c=$(B)/san/%.o)
SAN_UNIT_OBJS := $(UNIT_SRCS:%.c=$(B)/san/%.o)
PROG_OBJS := $(PROG_SRCS:tests/progs/%.bpf.c=$(B)/progs/%.bpf.o)
# C programs on libbpfbox used by the integration tests (run as root)
ITEST_SRCS := $(sort $(wildcard tests/itest/*.c))
ITESTS     := $(ITEST_SRCS:tests/itest/%.c=$(B)/itest/%)

BPF_CFLAGS = -target bpf -O2 -g -Wall -Werror -D__TARGET_ARCH_x86 \
	     -I/usr/include/$(shell uname -m)-linux-gnu -Itests/progs -Iinclude

.PHONY: all run test deps clean progs san oracle itests fuzz fuzzers
.DELETE_ON_ERROR:

all: $(B)/bpfbox $(B)/libbpfbox.a

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(SAN_CC) $(BB_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(B)/libbpfbox.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/bpfbox: $(CLI_OBJS) $(B)/libbpfbox.a
	$(CC) -static $(CFLAGS) -o $@ $(CLI_OBJS) $(B)/libbpfbox.a $(LDLIBS)

# tools/syscall_names.o: export's syscall decoder (test_export_decode.c)
$(B)/unit_tests: $(UNIT_OBJS) $(B)/libbpfbox.a $(B)/tools/syscall_names.o
	$(CC) $(CFLAGS) -o $@ $(UNIT_OBJS) $(B)/tools/syscall_names.o $(B)/libbpfbox.a $(LDLIBS)

# sanitized copies of the CLI and the unit tests (dynamically linked:
# the sanitizer runtimes do not link statically)
$(B)/san/bpfbox: $(SAN_CLI_OBJS) $(SAN_LIB_OBJS)
	$(SAN_CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)
$(B)/san/unit_tests: $(SAN_UNIT_OBJS) $(SAN_LIB_OBJS) $(B)/san/tools/syscall_names.o
	$(SAN_CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)
# the C test programs on the sanitized library: the integration tests
# run $(dirname $BPFBOX)/itest/NAME, so the sanitizer round runs these
SAN_ITESTS := $(ITEST_SRCS:tests/itest/%.c=$(B)/san/itest/%)
$(B)/san/itest/%: tests/itest/%.c $(wildcard tests/itest/*.h) $(SAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(SAN_CC) $(BB_CFLAGS) $(SAN_FLAGS) -o $@ $< $(SAN_LIB_OBJS) $(LDLIBS)
san: $(B)/san/bpfbox $(B)/san/unit_tests $(SAN_ITESTS)

$(B)/itest/%: tests/itest/%.c $(wildcard tests/itest/*.h) $(B)/libbpfbox.a
	@mkdir -p $(@D)
	$(CC) $(BB_CFLAGS) $(CFLAGS) -o $@ $< $(B)/libbpfbox.a $(LDLIBS)
itests: $(ITESTS)

# BPF test programs
$(B)/progs/%.bpf.o: tests/progs/%.bpf.c $(wildcard tests/progs/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
progs: $(PROG_OBJS)

# libFuzzer targets for the parsers: `make fuzz FUZZ_SECS=600` runs each
# for that long; make test runs a short smoke of each (tests/fuzz-smoke.sh)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/fuzz/%)
FUZZ_FLAGS = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SECS ?= 600
# the library is compiled once for all targets, instrumented for
# coverage (fuzzer-no-link); each target links the fuzzer's main
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(B)/fuzz/%.o)
$(B)/fuzz/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(SAN_CC) $(BB_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
# -MMD: a target that #includes a cli/*.c file is rebuilt when it
# changes; the instrumented library is kept between builds (.SECONDARY)
$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	@mkdir -p $(@D)
	$(SAN_CC) $(BB_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -MMD -MP -MF $@.d -o $@ $< $(FUZZ_LIB_OBJS) $(LDLIBS)
.SECONDARY: $(FUZZ_LIB_OBJS)
fuzzers: $(FUZZERS)
fuzz: $(FUZZERS) progs
	FUZZ_SECS=$(FUZZ_SECS) ./tests/fuzz-smoke.sh

# the differential oracle: libbpf, used only by tests, never by bpfbox
$(B)/oracle: tests/oracle/oracle.c
	$(CC) $(BB_CFLAGS) $(CFLAGS) -o $@ $< -lbpf -lelf -lz
oracle: $(B)/oracle

# the README's main command: every exec on this machine, as it happens
run: all
	$(B)/bpfbox execsnoop $(ARGS)

# what make run did before the tools: load the demo object, show it
.PHONY: demo
demo: all progs
	$(B)/bpfbox object show $(B)/progs/demo.bpf.o
	./tests/demo.sh $(B)/bpfbox $(B)/progs/demo.bpf.o

# make test installs what is missing, builds the normal and the
# sanitized variants, and runs every suite (see tests/run.sh)
test:
	@./tests/check-deps.sh || $(MAKE) deps
	$(MAKE) all $(B)/unit_tests san progs oracle itests fuzzers $(TEST_DEPS)
	./tests/run.sh

deps:
	./tests/install-deps.sh

clean:
	rm -rf $(B)

# the tracing tools, linked into bpfbox (and how they bootstrap)
-include tools/tools.mk

# build fragments of test areas (tests/AREA/AREA.mk); they may add to
# TEST_DEPS, which make test builds before running the suites
-include $(sort $(wildcard tests/*/*.mk))
-include bench/bench.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
