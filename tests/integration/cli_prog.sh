# bpfbox prog: exit codes, show and dump xlated against bpftool for the
# same program, loadall/load/pin on bpffs and their failure paths.
. tests/lib.sh

have_bpftool=
command -v bpftool >/dev/null 2>&1 && have_bpftool=1
# bpffs refuses names with a dot
PIN=/sys/fs/bpf/bbtest_cli_prog_$$
trap 'rm -rf "$BB_TMP" "$PIN"' EXIT

# ---- help and usage: no kernel needed ----------------------------------

expect_rc "help exits 0" 0 "$BPFBOX" help
expect_match "help goes to stdout" "$OUT" "^Usage: bpfbox "
expect_rc "no arguments is a usage error" 2 "$BPFBOX"
expect_match "no arguments prints usage on stderr" "$ERR" "Usage: bpfbox "
expect_rc "-V exits 0" 0 "$BPFBOX" -V
expect_match "-V names bpfbox" "$OUT" "^bpfbox v"
for h in help --help -h; do
	expect_rc "prog $h exits 0" 0 "$BPFBOX" prog $h
	expect_match "prog $h prints prog usage" "$OUT" "bpfbox prog dump xlated PROG"
done
for v in show dump pin loadall load; do
	expect_rc "prog $v help exits 0" 0 "$BPFBOX" prog $v help
done
while read -r desc args; do
	expect_rc "usage error: $desc" 2 "$BPFBOX" $args
	expect_match "usage error says what was expected: $desc" "$ERR" \
		"^bpfbox: .*(expected|unknown)"
done <<'EOF'
unknown object       nosuchobject
unknown option       -x prog show
unknown verb         prog frobnicate
id not a number      prog show id abc
id without value     prog show id
bad selector         prog show color 1
bad tag              prog show tag xyz
extra word           prog show id 1 extra
dump without xlated  prog dump
dump without PROG    prog dump xlated
dump bad option      prog dump xlated id 1 sideways
pin without FILE     prog pin id 1
loadall without DIR  prog loadall x.o
loadall bad option   prog loadall x.o /sys/fs/bpf/x --bogus
EOF

# multi-call: a link named after a tool runs the tool; an unknown one
# says so
ln -s "$(realpath "$BPFBOX")" "$BB_TMP/nosuchtool"
expect_rc "a link named after an unknown tool is a usage error" 2 \
	"$BB_TMP/nosuchtool"
expect_match "the unknown tool is named" "$ERR" "no tool named 'nosuchtool'"

if ! is_root; then
	skip "prog show/dump/loadall: need root for bpf(2)"
	exit 0
fi
bb_bpffs

# an id that does not exist: past the last one
expect_rc "show of a missing id exits 1" 1 "$BPFBOX" prog show id 4294967295
expect_match "missing id is named" "$ERR" "no program with id 4294967295"
expect_rc "dump of a missing id exits 1" 1 \
	"$BPFBOX" prog dump xlated id 4294967295
expect_rc "missing name exits 1" 1 "$BPFBOX" prog show name no_such_prog_x
expect_rc "missing pinned file exits 1" 1 \
	"$BPFBOX" prog show pinned /sys/fs/bpf/no/such/file
expect_rc "prog show (all) exits 0" 0 "$BPFBOX" prog show
expect_rc "prog show -j (all) exits 0" 0 "$BPFBOX" -j prog show
if python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin), list)' \
	<"$BB_TMP/out" 2>/dev/null; then
	pass "prog show -j is a JSON array"
else
	fail "prog show -j is not a JSON array: $(head -c 300 "$BB_TMP/out")"
fi

# ---- helpers to compare with bpftool ----------------------------------

# load time comes from two clock reads (bpfbox's and bpftool's) and may
# straddle a second; the Debian bpftool lacks the pids iterator
norm_text() {
	sed -e 's/loaded_at [^ ]*/loaded_at T/' -e '/^	pids /d'
}
norm_json() {
	sed -e 's/"loaded_at": *[0-9]*/"loaded_at":T/' \
	    -e 's/,"pids":\[[^]]*\]//'
}

# same_as_bpftool DESC NORMALIZER ARGS...: bpfbox ARGS vs bpftool ARGS
same_as_bpftool() {
	local desc=$1 norm=$2
	shift 2
	if [ -z "$have_bpftool" ]; then
		skip "$desc: bpftool not installed"
		return
	fi
	"$BPFBOX" "$@" 2>&1 | $norm >"$BB_TMP/ours"
	bpftool "$@" 2>&1 | $norm >"$BB_TMP/theirs"
	if cmp -s "$BB_TMP/ours" "$BB_TMP/theirs"; then
		pass "$desc"
	else
		fail "$desc: differs from bpftool: $(diff "$BB_TMP/ours" \
			"$BB_TMP/theirs" | head -20)"
	fi
}

# dump_json_same DESC ARGS...: bpfbox -j ARGS is bpftool's with "pc"
# added, and every pc is right (ld_imm64 takes two slots)
dump_json_same() {
	local desc=$1
	shift
	if [ -z "$have_bpftool" ]; then
		skip "$desc: bpftool not installed"
		return
	fi
	"$BPFBOX" -j "$@" >"$BB_TMP/ours" 2>&1
	bpftool -j "$@" >"$BB_TMP/theirs" 2>&1
	if python3 - "$BB_TMP/ours" "$BB_TMP/theirs" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
theirs = json.load(open(sys.argv[2]))
pc = 0
for insn in ours:
    assert insn["pc"] == pc, (insn, pc)
    pc += 2 if insn["disasm"].startswith("(18)") else 1
    del insn["pc"]
assert ours == theirs
PY
	then
		pass "$desc"
	else
		fail "$desc: differs from bpftool -j"
	fi
}

# ---- loadall, then show and dump what was loaded -----------------------

need_obj() {
	[ -f "$PROGS/$1.bpf.o" ] && return 0
	skip "$2: $PROGS/$1.bpf.o is not built (make progs)"
	return 1
}

prog_id() {		# prog_id PINNED_PATH -> id on stdout
	"$BPFBOX" -j prog show pinned "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

if need_obj demo "loadall demo"; then
	expect_rc "loadall demo.bpf.o exits 0" 0 \
		"$BPFBOX" prog loadall "$PROGS/demo.bpf.o" "$PIN/demo/a/b"
	[ -e "$PIN/demo/a/b/count_execs" ] &&
		pass "loadall pins at DIR/<program name>, making DIR" ||
		fail "loadall: $PIN/demo/a/b/count_execs missing"
	ID=$(prog_id "$PIN/demo/a/b/count_execs")
	if [ -n "$ID" ]; then
		pass "show pinned -j gives the id ($ID)"
		same_as_bpftool "show id: text as bpftool's" norm_text \
			prog show id "$ID"
		same_as_bpftool "show id -j: JSON as bpftool's" norm_json \
			-j prog show id "$ID"
		same_as_bpftool "show id -p: pretty JSON as bpftool's" \
			norm_text -p prog show id "$ID"
		same_as_bpftool "show pinned: as bpftool's" norm_text \
			prog show pinned "$PIN/demo/a/b/count_execs"
		same_as_bpftool "dump xlated: line for line as bpftool's" cat \
			prog dump xlated id "$ID"
		same_as_bpftool "dump xlated opcodes: as bpftool's" cat \
			prog dump xlated id "$ID" opcodes
		same_as_bpftool "dump xlated linum: as bpftool's" cat \
			prog dump xlated id "$ID" linum
		dump_json_same "dump xlated -j: bpftool's JSON plus pc" \
			prog dump xlated id "$ID"
		dump_json_same "dump xlated -j opcodes: as bpftool's" \
			prog dump xlated id "$ID" opcodes
		run "$BPFBOX" prog dump xlated id "$ID"
		expect_match "dump names the function from BTF" "$OUT" \
			"^int count_execs\(.*\):$"
		expect_match "dump names helpers from kallsyms" "$OUT" \
			"call bpf_[a-z_]+#-?[0-9]+"
		expect_match "dump shows map references" "$OUT" "map\[id:[0-9]+\]"
		if [ -n "$have_bpftool" ]; then
			"$BPFBOX" prog dump xlated id "$ID" file "$BB_TMP/ours.bin"
			bpftool prog dump xlated id "$ID" file "$BB_TMP/theirs.bin"
			cmp -s "$BB_TMP/ours.bin" "$BB_TMP/theirs.bin" &&
				pass "dump xlated file: same bytes as bpftool's" ||
				fail "dump xlated file: differs from bpftool's"
		fi
		run "$BPFBOX" prog show id "$ID"
		TAG=$(printf '%s' "$OUT" | sed -n 's/.*  tag \([0-9a-f]*\).*/\1/p')
		run "$BPFBOX" prog show tag "$TAG"
		expect_match "show tag finds the program" "$OUT" "^$ID: "
		run "$BPFBOX" p s i "$ID"
		expect_match "abbreviated keywords (p s i)" "$OUT" "^$ID: tracepoint"
		run "$BPFBOX" prog show id "$ID" -j
		expect_match "-j after the verb" "$OUT" "^\{\"id\":$ID,"

		expect_rc "pin exits 0" 0 "$BPFBOX" prog pin id "$ID" "$PIN/pinned"
		[ -e "$PIN/pinned" ] && pass "pin creates the file" ||
			fail "pin: $PIN/pinned missing"
		expect_rc "pin over an existing pin exits 1" 1 \
			"$BPFBOX" prog pin id "$ID" "$PIN/pinned"
		expect_match "pin over a pin says so" "$ERR" "already pinned"
		expect_rc "pin outside bpffs exits 1" 1 \
			"$BPFBOX" prog pin id "$ID" "$BB_TMP/pinned"
		expect_match "pin outside bpffs says so" "$ERR" \
			"not on a bpf filesystem"
	else
		fail "show pinned -j: no id for $PIN/demo/a/b/count_execs"
	fi

	# a second copy: the name is now ambiguous for one-program verbs
	expect_rc "loadall demo again, elsewhere" 0 \
		"$BPFBOX" prog loadall "$PROGS/demo.bpf.o" "$PIN/demo2"
	expect_rc "pin by an ambiguous name exits 1" 1 \
		"$BPFBOX" prog pin name count_execs "$PIN/ambiguous"
	expect_match "ambiguous name lists the ids" "$ERR" \
		"match 'count_execs', select one by id: [0-9]+ [0-9]+"
	run "$BPFBOX" prog show name count_execs
	[ "$(printf '%s\n' "$OUT" | grep -c ': tracepoint  name count_execs')" -ge 2 ] &&
		pass "show name shows every match" ||
		fail "show name count_execs: $OUT"
	same_as_bpftool "dump xlated of several programs: as bpftool's" cat \
		prog dump xlated name count_execs

	expect_rc "loadall with pinmaps exits 0" 0 "$BPFBOX" prog loadall \
		"$PROGS/demo.bpf.o" "$PIN/demo3" pinmaps "$PIN/demo3maps"
	[ -e "$PIN/demo3maps/exec_counts" ] && pass "pinmaps pins the maps" ||
		fail "pinmaps: $PIN/demo3maps/exec_counts missing"
	expect_rc "a pinned map is not a program" 1 \
		"$BPFBOX" prog show pinned "$PIN/demo3maps/exec_counts"
	expect_match "a pinned map is named as such" "$ERR" "is a map, not a program"

	expect_rc "loadall to a pin that exists exits 1" 1 \
		"$BPFBOX" prog loadall "$PROGS/demo.bpf.o" "$PIN/demo2"
	expect_rc "loadall outside bpffs exits 1" 1 \
		"$BPFBOX" prog loadall "$PROGS/demo.bpf.o" "$BB_TMP/nobpffs/x"
	expect_match "loadall outside bpffs says so" "$ERR" \
		"nobpffs/x is not on a bpf filesystem"
	[ -e "$BB_TMP/nobpffs" ] && fail "loadall made a directory off bpffs" ||
		pass "loadall made nothing off bpffs"
	expect_rc "load pins the first program at FILE" 0 \
		"$BPFBOX" prog load "$PROGS/demo.bpf.o" "$PIN/single"
	[ -e "$PIN/single" ] && pass "load pinned FILE" || fail "load: no $PIN/single"
fi

expect_rc "loadall of a missing object exits 1" 1 \
	"$BPFBOX" prog loadall /nonexistent.bpf.o "$PIN/none"
expect_match "missing object is named" "$ERR" "^bpfbox: .*nonexistent.bpf.o"

if need_obj subprogs "bpf-to-bpf calls"; then
	expect_rc "loadall subprogs.bpf.o" 0 \
		"$BPFBOX" prog loadall "$PROGS/subprogs.bpf.o" "$PIN/subprogs"
	for p in "$PIN"/subprogs/*; do
		ID=$(prog_id "$p")
		same_as_bpftool "dump xlated $(basename "$p"): as bpftool's" cat \
			prog dump xlated id "$ID"
		dump_json_same "dump xlated -j $(basename "$p"): as bpftool's" \
			prog dump xlated id "$ID"
	done
	"$BPFBOX" prog dump xlated pinned "$PIN/subprogs/sub_enter" >"$BB_TMP/d"
	expect_match "calls to subprograms name the callee" "$(cat "$BB_TMP/d")" \
		"call pc[+-][0-9]+#bpf_prog_[0-9a-f]+_"
fi

if need_obj multi_prog "--only and long names"; then
	expect_rc "loadall --only one program" 0 "$BPFBOX" prog loadall \
		"$PROGS/multi_prog.bpf.o" "$PIN/only" --only second_in_section
	[ "$(ls "$PIN/only")" = second_in_section ] &&
		pass "--only loads and pins just that program" ||
		fail "--only: pinned $(ls "$PIN/only" | tr '\n' ' ')"
	expect_rc "loadall --only an unknown program exits 1" 1 \
		"$BPFBOX" prog loadall "$PROGS/multi_prog.bpf.o" "$PIN/only2" \
		--only no_such_program
	expect_match "unknown --only is named, with what exists" "$ERR" \
		"no_such_program.*first_in_section"
	[ -e "$PIN/only2" ] && fail "failed loadall left $PIN/only2" ||
		pass "failed loadall leaves nothing behind"
	long=a_program_name_well_over_fifteen_characters
	expect_rc "loadall long names" 0 "$BPFBOX" prog loadall \
		"$PROGS/multi_prog.bpf.o" "$PIN/long" --only "$long"
	[ -e "$PIN/long/$long" ] && pass "pinned under the full name" ||
		fail "no $PIN/long/$long"
	ID=$(prog_id "$PIN/long/$long")
	run "$BPFBOX" prog show name "$long"
	expect_match "show name finds a program by its full name" "$OUT" \
		"^$ID: tracepoint  name $long  "
	same_as_bpftool "show of a long name: as bpftool's" norm_text \
		prog show id "$ID"
fi

if need_obj autoload "--only of a ?SEC program"; then
	expect_rc "loadall --only a program off by default" 0 \
		"$BPFBOX" prog loadall "$PROGS/autoload.bpf.o" "$PIN/auto" \
		--only optional_exit
	[ "$(ls "$PIN/auto")" = optional_exit ] &&
		pass "--only turns autoload on for the program named" ||
		fail "--only optional_exit: pinned $(ls "$PIN/auto" | tr '\n' ' ')"
fi

if need_obj bad_verifier "verifier failure"; then
	expect_rc "loadall of a program the verifier refuses exits 1" 1 \
		"$BPFBOX" prog loadall "$PROGS/bad_verifier.bpf.o" "$PIN/bad" \
		--verifier-log "$BB_TMP/vlog"
	expect_match "the failure is explained" "$ERR" "^bpfbox: .*missing_null_check"
	[ -e "$PIN/bad" ] && fail "failed loadall left $PIN/bad" ||
		pass "failed loadall pins nothing"
	[ -s "$BB_TMP/vlog" ] && pass "--verifier-log FILE holds the log" ||
		fail "--verifier-log: $BB_TMP/vlog empty or missing"
fi
