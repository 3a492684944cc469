# The VM matrix (tests/integration/vm_matrix.sh): Debian's 6.1 and 6.12
# cloud kernels booted in qemu (TCG) on an initramfs holding busybox, the
# static bpfbox, the test programs of $(B)/itest (with the host's shared
# libc, so uprobes on libc and bash run in the guests too), bash and the
# BPF objects. The kernels are fetched into a cache outside the tree
# ($BB_VM_CACHE, default /var/cache/bpfbox-vm) by make deps, or by the
# test itself when they are missing.
VM_INITRAMFS := $(B)/vm/initramfs.cpio.gz
VM_FILES := $(wildcard tests/vm/*.sh) tests/vm/guest-tests

$(VM_INITRAMFS): $(B)/bpfbox $(ITESTS) $(PROG_OBJS) $(CORE_DIFF_OBJS) $(VM_FILES)
	./tests/vm/mkinitramfs.sh $(B) $@

.PHONY: vm-initramfs vm-kernels
vm-initramfs: $(VM_INITRAMFS)
vm-kernels:
	./tests/vm/fetch-kernels.sh

TEST_DEPS += $(VM_INITRAMFS)

# the CO-RE values test shares its struct between the two sides
$(B)/itest/core_values $(B)/core-progs/core_values.bpf.o: tests/core-progs/core_values.h
