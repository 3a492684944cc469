# The CO-RE golden objects (tests/core) relocated by bpfbox and by libbpf
# against every target layout and this kernel's BTF: same instructions,
# same verdicts (tests/core/diff_libbpf.sh does the comparing).
. tests/lib.sh

case "$BPFBOX" in
*san/*)
	skip "CO-RE golden diff: runs once, with the normal build"
	exit 0 ;;
esac
if ! is_root; then
	skip "CO-RE golden diff: libbpf's side loads programs, needs root"
	exit 0
fi
run bash tests/core/diff_libbpf.sh
same=$(printf '%s' "$OUT" | sed -n 's/^core diff: \([0-9]*\) same.*/\1/p')
if [ "$RC" = 0 ] && [ "${same:-0}" -gt 0 ]; then
	pass "CO-RE golden objects: $same relocations identical to libbpf's"
else
	fail "CO-RE golden objects differ from libbpf: $(printf '%s' "$OUT" | head -30)"
fi
