# bpfbox object show: what an object file holds, read without the kernel.
. tests/lib.sh

expect_rc "object help exits 0" 0 "$BPFBOX" object help
expect_match "object help prints its usage" "$OUT" "bpfbox object show OBJ"
expect_rc "object show help exits 0" 0 "$BPFBOX" object show --help
expect_rc "object alone is a usage error" 2 "$BPFBOX" object
expect_rc "object show without OBJ is a usage error" 2 "$BPFBOX" object show
expect_match "missing OBJ is explained" "$ERR" "expected one OBJ"
expect_rc "object show with two files is a usage error" 2 \
	"$BPFBOX" object show a.o b.o
expect_rc "object frob is a usage error" 2 "$BPFBOX" object frob x.o
expect_rc "a missing file exits 1" 1 "$BPFBOX" object show /nonexistent.bpf.o
expect_match "a missing file is named" "$ERR" "^bpfbox: .*nonexistent.bpf.o"
printf 'not an ELF file\n' >"$BB_TMP/junk.o"
expect_rc "a file that is not ELF exits 1" 1 \
	"$BPFBOX" object show "$BB_TMP/junk.o"

if [ ! -f "$PROGS/demo.bpf.o" ]; then
	skip "object show: $PROGS/demo.bpf.o is not built (make progs)"
	exit 0
fi

# the object file alone is enough: no root needed
RUNAS=
if is_root && command -v setpriv >/dev/null 2>&1; then
	cp "$BPFBOX" "$BB_TMP/bpfbox" && cp "$PROGS/demo.bpf.o" "$BB_TMP/" &&
		chmod 755 "$BB_TMP" "$BB_TMP/bpfbox" &&
		chmod 644 "$BB_TMP/demo.bpf.o" &&
		RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -n "$RUNAS" ]; then
	expect_rc "object show works without root" 0 \
		$RUNAS "$BB_TMP/bpfbox" object show "$BB_TMP/demo.bpf.o"
else
	skip "object show as an unprivileged user: needs root and setpriv"
fi

expect_rc "object show demo.bpf.o exits 0" 0 \
	"$BPFBOX" object show "$PROGS/demo.bpf.o"
expect_match "names the object" "$OUT" "^object demo  file "
expect_match "gives the license" "$OUT" "license GPL  kernel_version none"
# insns: the symbol size in the ELF, 8 bytes an instruction
size=$(readelf -sW "$PROGS/demo.bpf.o" | awk '$8 == "count_execs" { print $3 }')
expect_match "program row: name, section, type, target, insns, autoload" \
	"$OUT" "^  count_execs +tp/sched/sched_process_exec +tracepoint +- +sched/sched_process_exec +$((size / 8)) +yes$"
expect_match "map row: name, type, key, value, max_entries, flags, section" \
	"$OUT" "^  exec_counts +hash +16 +8 +1024 +0x0 +\.maps$"
expect_match "global data maps name their section" "$OUT" \
	"^  demo\.rodata +array +4 +[0-9]+ +1 +0x[0-9a-f]+ +\.rodata$"
# columns line up: every row of the program table is as wide as its header
widths=$(printf '%s\n' "$OUT" | sed -n '/^programs:/,/^maps:/p' |
	grep '^  ' | awk '{ print index($0, "tp/") ? index($0, "tp/") : index($0, "SECTION") }' | sort -u)
[ "$(printf '%s\n' "$widths" | wc -l)" = 1 ] &&
	pass "table columns are aligned" || fail "columns not aligned: $widths"

expect_rc "object show -j exits 0" 0 "$BPFBOX" -j object show "$PROGS/demo.bpf.o"
if printf '%s' "$OUT" | python3 -c '
import json, sys
o = json.load(sys.stdin)
assert o["name"] == "demo" and o["license"] == "GPL", o
p = [p for p in o["programs"] if p["name"] == "count_execs"][0]
assert p["section"] == "tp/sched/sched_process_exec", p
assert p["type"] == "tracepoint" and p["target"] == "sched/sched_process_exec"
assert p["autoload"] is True and p["insns"] == int(sys.argv[1]) // 8, p
m = [m for m in o["maps"] if m["name"] == "exec_counts"][0]
assert (m["type"], m["bytes_key"], m["bytes_value"], m["max_entries"]) == \
	("hash", 16, 8, 1024), m
assert m["section"] is None
' "$size"; then
	pass "object show -j has the same facts"
else
	fail "object show -j: $(printf '%s' "$OUT" | head -c 500)"
fi
run "$BPFBOX" -p object show "$PROGS/demo.bpf.o"
expect_match "-p indents four spaces, as bpftool" "$OUT" '^    "name": "demo",$'

if [ -f "$PROGS/autoload.bpf.o" ]; then
	run "$BPFBOX" object show "$PROGS/autoload.bpf.o"
	expect_match "a ?SEC program is not autoloaded" "$OUT" \
		"^  optional_exit +tp/syscalls/sys_exit_openat .* no$"
	expect_match "a SEC program is autoloaded" "$OUT" \
		"^  always_loaded .* yes$"
else
	skip "autoload column: $PROGS/autoload.bpf.o is not built"
fi

if [ -f "$PROGS/global_data.bpf.o" ]; then
	run "$BPFBOX" object show "$PROGS/global_data.bpf.o"
	for sec in .data .rodata .bss .data.custom; do
		expect_match "global data map for $sec" "$OUT" \
			" array +4 +[0-9]+ +1 +0x[0-9a-f]+ +\\$sec\$"
	done
else
	skip "global data maps: $PROGS/global_data.bpf.o is not built"
fi

# names are data: a control character in the file name (and so in the
# object name) is escaped, in text and in JSON
weird=$(printf '%s/we\001ird.bpf.o' "$BB_TMP")
cp "$PROGS/demo.bpf.o" "$weird"
run "$BPFBOX" object show "$weird"
expect_match "control characters are escaped in text" "$OUT" '^object we\\x01ird  '
if printf '%s' "$OUT" | grep -q "$(printf '\001')"; then
	fail "a raw control character reached the terminal"
else
	pass "no raw control character in text output"
fi
run "$BPFBOX" -j object show "$weird"
expect_match "control characters are escaped in JSON" "$OUT" '"name":"we\\u0001ird"'
