# vmlinux.h of the running kernel, written by bpfbox itself, for BPF C
# programs built with -I$(B) (the CO-RE test programs include it).
$(B)/vmlinux.h: $(B)/bpfbox
	$(B)/bpfbox btf dump file /sys/kernel/btf/vmlinux format c > $@

TEST_DEPS += $(B)/vmlinux.h
