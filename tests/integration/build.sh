# The product is one static binary with no run-time dependencies.
. tests/lib.sh

case "$BPFBOX" in
*san/*)
	skip "static linking: the sanitizer build is dynamic by design"
	exit 0 ;;
esac
run file -L "$BPFBOX"
expect_match "bpfbox is statically linked" "$OUT" "statically linked"
run readelf -d "$BPFBOX"
if printf '%s' "$OUT" | grep -q NEEDED; then
	fail "bpfbox needs shared libraries: $(printf '%s' "$OUT" | grep NEEDED)"
else
	pass "bpfbox has no NEEDED shared libraries"
fi
[ -f build/libbpfbox.a ] && pass "libbpfbox.a is built" ||
	fail "build/libbpfbox.a missing"
# the library never links libbpf or libelf
run nm build/libbpfbox.a
if printf '%s' "$OUT" | grep -Eq ' U (elf_|bpf_object__|btf__)'; then
	fail "libbpfbox.a refers to libelf/libbpf symbols"
else
	pass "libbpfbox.a uses neither libbpf nor libelf"
fi
