# vmlinux.h of the running kernel ($(B)/vmlinux.h, tools/tools.mk) for
# BPF C programs built with -I$(B) (the CO-RE test programs include it).
TEST_DEPS += $(B)/vmlinux.h
