#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The tracing tools of bpfbox against Debian's libbpf-tools binaries,
# side by side in one run (issue #5), written to a Markdown report:
#   (a) an open() storm fully delivered by opensnoop: the workload's rate
#       untraced and under each opensnoop, events delivered and lost
#   (b) time from launch to the first event shown, per tool
#   (c) peak RSS (VmHWM) of each tool while it runs
#   (d) size of the static bpfbox against the libbpf-tools binaries plus
#       their shared libraries
# Tools bpfbox does not have yet (`bpfbox NAME --help` fails) are
# reported as pending, so a later run picks them up by itself.
#
#   bench/tools.sh [-r RUNS] [-d STORM_SECS] [-p PARTS] [-o REPORT.md]
#
# -p: which parts to run, "ab" by default: a the storm, b the first
# event and peak RSS; the sizes (d) are always reported.
#
# Environment: BPFBOX (the static binary, default build/bpfbox),
# BENCH_BIN (where open_storm, first_line, tool_trigger are built,
# default build/bench), LBT_DIR (libbpf-tools, default /usr/sbin).
# `make bench-tools` builds the helpers and runs this. Needs root.
set -u

RUNS=5
SECS=2
PARTS=ab
OUT=docs/bench-tools.md
BPFBOX=${BPFBOX:-build/bpfbox}
BENCH_BIN=${BENCH_BIN:-build/bench}
LBT_DIR=${LBT_DIR:-/usr/sbin}
# every tool of issue #5, in the report's order; bootstrap has no
# libbpf-tools binary (it is libbpf-bootstrap's example)
TOOLS="execsnoop exitsnoop bootstrap opensnoop bashreadline syscount"
LBT_TOOLS="execsnoop exitsnoop opensnoop bashreadline syscount"

. "$(dirname "$0")/lib.sh"

while getopts "r:d:p:o:" c; do
	case $c in
	r) RUNS=$OPTARG ;;
	d) SECS=$OPTARG ;;
	p) PARTS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) echo "usage: bench/tools.sh [-r RUNS] [-d STORM_SECS] [-p PARTS] [-o REPORT.md]" >&2
	   exit 2 ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "-r: not a positive number: $RUNS"
[ "$(id -u)" = 0 ] || die "needs root (the tools load BPF programs)"
[ -x "$BPFBOX" ] || die "no bpfbox at $BPFBOX: build it (make) or set BPFBOX"
for h in open_storm first_line tool_trigger; do
	[ -x "$BENCH_BIN/$h" ] || die "no $BENCH_BIN/$h: run make bench-tools"
done
BPFBOX=$(readlink -f "$BPFBOX")
BENCH_BIN=$(readlink -f "$BENCH_BIN")
bench_prio		# both sides alike
bench_scratch bbtools	# the storm writes ~100 MB per run

log() { echo "tools.sh: $*" >&2; }

has_bpfbox() { "$BPFBOX" "$1" --help >/dev/null 2>&1; }
has_lbt() { [ -x "$LBT_DIR/$1" ]; }
# has KIND TOOL: does implementation KIND (lbt|bb) have TOOL
has() { if [ "$1" = lbt ]; then has_lbt "$2"; else has_bpfbox "$2"; fi; }
# CMD=(...): how to run TOOL of KIND
set_cmd() {
	if [ "$1" = lbt ]; then CMD=("$LBT_DIR/$2"); else CMD=("$BPFBOX" "$2"); fi
}

# --- statistics ---------------------------------------------------------
# median of the numbers on stdin ("-" when there are none)
median() {
	sort -g | awk '{ a[NR] = $1 }
		END { if (!NR) print "-";
		      else if (NR % 2) print a[(NR + 1) / 2];
		      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# "min-max" of the numbers on stdin, printf format $1
range() {
	sort -g | awk -v f="$1" '{ a[NR] = $1 }
		END { if (NR) printf(f "-" f, a[1], a[NR]) }'
}
# words of a list, one per line
lines() { tr ' ' '\n' <<<"$1" | grep -v '^$'; }
# FMT median [min-max] of a list, or $3 (default "-") when it is empty
stat_cell() {
	local fmt=$1 list=$2 m
	[ -n "$list" ] || { echo "${3:--}"; return; }
	m=$(lines "$list" | median)
	printf "$fmt [%s]" "$m" "$(lines "$list" | range "$fmt")"
}
# the ratio a/b of two medians, 2 decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0)
		print "-"; else printf("%.2f", a / b) }'
}

# --- process state from /proc -------------------------------------------
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# how often PID went to sleep: each is a wait for the next wakeup
sleeps() {
	awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}
# wait until PID has used no CPU for 3 samples 200 ms apart (it has
# drained what the workload produced), at most 120 s
wait_idle() {
	local pid=$1 prev=-1 now same=0 i
	for ((i = 0; i < 600 && same < 3; i++)); do
		now=$(cpu_ticks "$pid") || return
		if [ "$now" = "$prev" ]; then same=$((same + 1)); else same=0; fi
		prev=$now
		sleep 0.2
	done
}
# stop PID as Ctrl-C does, SIGKILL after 10 s
stop_tool() {
	local pid=$1 i
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# --- (a) the open() storm -----------------------------------------------
# Results, one word per run: rates, ratios to the untraced run of the same
# round, and per tool the counts over all runs.
declare -A S_RATE S_RATIO S_CRATE S_CRATIO S_OPENS S_DELIV S_LOST S_CPU S_HWM S_FAILS
declare -A S_SLEEPS

# storm_once KIND: KIND none|lbt|bb; appends to the S_* lists
storm_once() {
	local kind=$1 out=$W/storm.out err=$W/storm.err res=$W/storm.res
	local sp tp rc opens rate crate deliv lost n
	: >"$W/storm.tgt"
	: >"$W/storm.probe"
	rm -f "$out" "$err" "$res"
	if [ "$kind" = none ]; then
		"$BENCH_BIN/open_storm" -d "$SECS" "$W/storm.tgt" >"$res" ||
			return 1
	else
		"$BENCH_BIN/open_storm" -w "$out" -q "$W/storm.probe" \
			-d "$SECS" "$W/storm.tgt" >"$res" &
		sp=$!
		set_cmd "$kind" opensnoop
		"${CMD[@]}" -p "$sp" >"$out" 2>"$err" &
		tp=$!
		# a tool that failed to start would leave the workload
		# waiting for its output
		while kill -0 "$sp" 2>/dev/null; do
			kill -0 "$tp" 2>/dev/null || { kill "$sp"; break; }
			sleep 0.1
		done
		wait "$sp"
		rc=$?
		wait_idle "$tp"
		S_HWM[$kind]+=" $(hwm_kb "$tp")"
		S_CPU[$kind]+=" $(cpu_ticks "$tp")"
		n=$(sleeps "$tp")
		S_SLEEPS[$kind]=$((${S_SLEEPS[$kind]:-0} + ${n:-0}))
		stop_tool "$tp"
		if [ $rc != 0 ]; then
			log "opensnoop ($kind) storm failed: $(tail -3 "$err")"
			S_FAILS[$kind]=$((${S_FAILS[$kind]:-0} + 1))
			return 1
		fi
		deliv=$(grep -c -F "$W/storm.tgt" "$out")
		# libbpf-tools: "Lost N events on CPU #C!" per loss;
		# bpfbox: "opensnoop: N events lost in all" at exit
		lost=$(grep -oE '(Lost [0-9]+ events on CPU|[0-9]+ events lost in all)' \
			"$err" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
		S_DELIV[$kind]=$((${S_DELIV[$kind]:-0} + deliv))
		S_LOST[$kind]=$((${S_LOST[$kind]:-0} + lost))
	fi
	read -r _ opens _ _ _ rate _ _ _ crate <"$res"
	S_OPENS[$kind]=$((${S_OPENS[$kind]:-0} + opens))
	S_RATE[$kind]+=" $rate"
	S_CRATE[$kind]+=" $crate"
	LAST_RATE=$rate
	LAST_CRATE=$crate
}
div4() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.4f", a / b) }'; }

storm_round() {
	local r=$1 base cbase kinds k
	storm_once none || return
	base=$LAST_RATE
	cbase=$LAST_CRATE
	# alternate which tool goes first, so that a drift in the machine's
	# load does not fall on one side only
	if ((r % 2)); then kinds="lbt bb"; else kinds="bb lbt"; fi
	for k in $kinds; do
		has "$k" opensnoop || continue
		storm_once "$k" || continue
		S_RATIO[$k]+=" $(div4 "$LAST_RATE" "$base")"
		S_CRATIO[$k]+=" $(div4 "$LAST_CRATE" "$cbase")"
	done
}

# --- (b) and (c): first event and peak RSS ------------------------------
declare -A F_MS F_HWM F_FAILS
# what makes each tool's marked events, and the mark
trigger_args() {
	case $1 in
	execsnoop) echo "exec $W/bbexecmark" ;;
	exitsnoop | bootstrap) echo exit ;;
	opensnoop) echo "open $W/bbopenmark" ;;
	bashreadline) echo bash ;;
	syscount) echo sys ;;
	esac
}
pattern() {
	case $1 in
	execsnoop) echo bbexecmark ;;
	exitsnoop | bootstrap) echo bbexitmark ;;
	opensnoop) echo bbopenmark ;;
	bashreadline) echo bbreadmark ;;
	syscount) echo getppid ;;
	esac
}

# first_once KIND TOOL TRIGGER_PID
first_once() {
	local kind=$1 t=$2 tpid=$3 args=() res
	set_cmd "$kind" "$t"
	# syscount reports once per interval: -i 1, on the trigger only
	[ "$t" = syscount ] && args=(-i 1 -p "$tpid")
	if res=$("$BENCH_BIN/first_line" -t 20000 -s 1000 \
		-l "$W/first.$kind.$t.log" "$(pattern "$t")" \
		"${CMD[@]}" "${args[@]}" 2>"$W/first.err"); then
		read -r _ ms _ kb <<<"$res"
		F_MS[$kind.$t]+=" $ms"
		F_HWM[$kind.$t]+=" $kb"
	else
		log "$t ($kind): no first event: $(tail -2 "$W/first.err")"
		F_FAILS[$kind.$t]=$((${F_FAILS[$kind.$t]:-0} + 1))
	fi
}

first_round() {
	local r=$1 t kinds k tp
	: >"$W/bbopenmark"
	ln -sf "$BENCH_BIN/tool_trigger" "$W/bbexecmark"
	for t in $TOOLS; do
		has lbt "$t" || has bb "$t" || continue
		# shellcheck disable=SC2046
		"$BENCH_BIN/tool_trigger" $(trigger_args "$t") &
		tp=$!
		sleep 0.2
		if ((r % 2)); then kinds="lbt bb"; else kinds="bb lbt"; fi
		for k in $kinds; do
			has "$k" "$t" && first_once "$k" "$t" "$tp"
		done
		kill "$tp"
		wait "$tp" 2>/dev/null
	done
}

# --- (d) sizes ------------------------------------------------------------
size_of() { stat -L -c %s "$1"; }
# the shared libraries a binary needs, resolved, one path per line
libs_of() {
	ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | xargs -r readlink -f
}

# bytes of the BPF objects the skeletons embed (NAME__bytes arrays)
skel_bytes() {
	local sum=0 size name
	while read -r _ size _ name; do
		[[ $name == *__bytes ]] && sum=$((sum + 16#$size))
	done < <(nm -S "$BPFBOX" 2>/dev/null)
	echo "$sum"
}

# --- the run ------------------------------------------------------------
for t in $TOOLS; do
	has_bpfbox "$t" && BB_HAS+=" $t" || BB_PENDING+=" $t"
done
: "${BB_HAS:=}" "${BB_PENDING:=}"
log "bpfbox has:${BB_HAS:- none}; pending:${BB_PENDING:- none}"
log "scratch in $W; $RUNS rounds"
part() { [[ $PARTS == *$1* ]]; }
for ((r = 1; r <= RUNS; r++)); do
	if part a; then
		log "round $r/$RUNS: open() storm"
		storm_round "$r"
	fi
	if part b; then
		log "round $r/$RUNS: first event, peak RSS"
		first_round "$r"
	fi
done

# --- the report -----------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf("%.1f\n", k / 1024) }'; }
kb_list_mib() { local x; for x in $1; do mib "$x"; done | tr '\n' ' '; }
secs_list() { local x; for x in $1; do awk -v t="$x" -v h="$TCK" 'BEGIN { printf("%.2f\n", t / h) }'; done | tr '\n' ' '; }
pct() { awk -v r="$1" 'BEGIN { if (r == "-") print "-"; else printf("%.0f %%", r * 100) }'; }

storm_name() {
	case $1 in
	none) echo "untraced" ;;
	lbt) echo "libbpf-tools opensnoop" ;;
	bb) echo "bpfbox opensnoop" ;;
	esac
}
# the row of a kind that has no figures, or nothing
storm_missing() {
	[ -n "${S_RATE[$1]:-}" ] && return 1
	if [ "$1" = bb ] && ! has_bpfbox opensnoop; then
		echo "| $(storm_name "$1") | pending: not in this bpfbox yet |$2"
	else
		echo "| $(storm_name "$1") | failed (${S_FAILS[$1]:-0} runs) |$2"
	fi
}
med_of() { lines "${1:-}" | median; }

report_storm() {
	local k
	echo "## (a) open() storm under opensnoop"
	echo
	echo "One thread opens and closes one file in a loop for $SECS s (\`bench/open_storm.c\`); $RUNS rounds, each: the loop untraced, then under each opensnoop (\`opensnoop -p PID\` of the loop, the order of the two tools alternating between rounds), output to a file. Opens per second of wall time and per second of the loop's own CPU time, median [min-max]; \"of untraced\": median over the rounds of the rate divided by the same round's untraced rate."
	echo
	echo "| | opens/s | of untraced | opens per CPU s | of untraced |"
	echo "|---|--:|--:|--:|--:|"
	for k in none lbt bb; do
		storm_missing "$k" " | | |" && continue
		if [ "$k" = none ]; then
			printf '| %s | %s | 100 %% | %s | 100 %% |\n' "$(storm_name $k)" \
				"$(stat_cell %.0f "${S_RATE[$k]}")" \
				"$(stat_cell %.0f "${S_CRATE[$k]}")"
			continue
		fi
		printf '| %s | %s | %s | %s | %s |\n' "$(storm_name $k)" \
			"$(stat_cell %.0f "${S_RATE[$k]}")" \
			"$(pct "$(med_of "${S_RATIO[$k]:-}")")" \
			"$(stat_cell %.0f "${S_CRATE[$k]}")" \
			"$(pct "$(med_of "${S_CRATIO[$k]:-}")")"
	done
	echo
	echo "Events over all rounds: the loop's opens, the lines of the tool's output naming the loop's file, the difference, and what the tool itself reported lost on stderr; how often the tool went to sleep waiting for events (its voluntary context switches, from start to the end of the storm: each one a wakeup from the kernel), per 1000 events; the tool's CPU time (user + system) and VmHWM at the end of each storm."
	echo
	echo "| | opens | delivered | missing | reported lost | sleeps per 1000 events | tool CPU s | tool VmHWM MiB |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|"
	for k in lbt bb; do
		storm_missing "$k" " | | | | | |" && continue
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(storm_name $k)" \
			"${S_OPENS[$k]}" "${S_DELIV[$k]}" \
			"$((${S_OPENS[$k]} - ${S_DELIV[$k]}))" "${S_LOST[$k]}" \
			"$(awk -v s="${S_SLEEPS[$k]}" -v n="${S_DELIV[$k]}" \
				'BEGIN { if (n) printf("%.1f", s * 1000 / n); else print "-" }')" \
			"$(stat_cell %.2f "$(secs_list "${S_CPU[$k]}")")" \
			"$(stat_cell %.1f "$(kb_list_mib "${S_HWM[$k]}")")"
	done
	echo
	[ -n "${S_RATIO[bb]:-}" ] || return 0
	printf '**bpfbox opensnoop** keeps **%s** of the untraced rate (%s per CPU second; the goal of issue #5 is at least 50 %%) and delivered %s of %s events (%s reported lost)' \
		"$(pct "$(med_of "${S_RATIO[bb]}")")" \
		"$(pct "$(med_of "${S_CRATIO[bb]}")")" \
		"${S_DELIV[bb]}" "${S_OPENS[bb]}" "${S_LOST[bb]}"
	if [ -n "${S_RATIO[lbt]:-}" ]; then
		printf '; libbpf-tools keeps %s (%s per CPU second). **bpfbox / libbpf-tools**, workload rate under the tool: **%s** (wall), %s (CPU)' \
			"$(pct "$(med_of "${S_RATIO[lbt]}")")" \
			"$(pct "$(med_of "${S_CRATIO[lbt]}")")" \
			"$(ratio "$(med_of "${S_RATIO[bb]}")" "$(med_of "${S_RATIO[lbt]}")")" \
			"$(ratio "$(med_of "${S_CRATIO[bb]}")" "$(med_of "${S_CRATIO[lbt]}")")"
	fi
	echo "."
	echo
}

report_first() {
	local t lm bm lh bh
	echo "## (b) launch to first event, (c) peak RSS"
	echo
	echo "Each tool with its default options (syscount: \`-i 1 -p PID\` of the workload, so its first output is the first 1-second report and includes that second), launched on a pseudo-terminal while a workload makes one marked event every millisecond (\`bench/tool_trigger.c\`; 5 ms for bash); time from the launch to the first output line showing a marked event (\`bench/first_line.c\`), then VmHWM after one more second of running. $RUNS launches per tool and implementation, alternating. Median [min-max]; ratio = bpfbox / libbpf-tools of the medians (below 1: bpfbox faster or smaller)."
	echo
	echo "| tool | first event, libbpf-tools ms | first event, bpfbox ms | ratio | VmHWM libbpf-tools MiB | VmHWM bpfbox MiB | ratio |"
	echo "|---|--:|--:|--:|--:|--:|--:|"
	for t in $TOOLS; do
		lm=$(lines "${F_MS[lbt.$t]:-}" | median)
		bm=$(lines "${F_MS[bb.$t]:-}" | median)
		lh=$(lines "${F_HWM[lbt.$t]:-}" | median)
		bh=$(lines "${F_HWM[bb.$t]:-}" | median)
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$t" \
			"$(cell_first lbt "$t" ms)" "$(cell_first bb "$t" ms)" \
			"$(ratio "$bm" "$lm")" \
			"$(cell_first lbt "$t" hwm)" "$(cell_first bb "$t" hwm)" \
			"$(ratio "$bh" "$lh")"
	done
	echo
}
# cell_first KIND TOOL ms|hwm
cell_first() {
	local kind=$1 t=$2 what=$3 list
	if ! has "$kind" "$t"; then
		[ "$kind" = lbt ] && echo "none" || echo "pending"
		return
	fi
	if [ "$what" = ms ]; then
		list=${F_MS[$kind.$t]:-}
		[ -n "$list" ] && stat_cell %.0f "$list" ||
			echo "failed (${F_FAILS[$kind.$t]:-0})"
	else
		list=${F_HWM[$kind.$t]:-}
		[ -n "$list" ] && stat_cell %.1f "$(kb_list_mib "$list")" || echo "-"
	fi
}

report_size() {
	local t l total=0 libs="" bb bbs libsum=0 sys=0
	bb=$(size_of "$BPFBOX")
	strip -o "$W/bpfbox.stripped" "$BPFBOX" && bbs=$(size_of "$W/bpfbox.stripped")
	echo "## (d) size"
	echo
	echo "The one static \`bpfbox\` (every tool and every other command of bpfbox, no shared library) against the five libbpf-tools binaries of the tools of issue #5 plus the shared libraries \`ldd\` resolves for them, each library counted once. Bytes; the Debian binaries are stripped, so the stripped bpfbox is the one to compare (\`make\` builds it with -g)."
	echo
	echo "| file | bytes |"
	echo "|---|--:|"
	for t in $LBT_TOOLS; do
		has_lbt "$t" || continue
		l=$(size_of "$LBT_DIR/$t")
		total=$((total + l))
		echo "| $LBT_DIR/$t | $l |"
		libs+=" $(libs_of "$LBT_DIR/$t" | tr '\n' ' ')"
	done
	for l in $(lines "$libs" | sort -u); do
		echo "| $l | $(size_of "$l") |"
		libsum=$((libsum + $(size_of "$l")))
		case $l in */libc.so.* | */ld-linux*) sys=$((sys + $(size_of "$l"))) ;; esac
	done
	total=$((total + libsum))
	echo "| **libbpf-tools, 5 tools + libraries** | **$total** |"
	echo "| bpfbox as built (with debug info) | $bb |"
	echo "| **bpfbox stripped** | **${bbs:--}** |"
	echo "| of which BPF objects embedded by the skeletons | $(skel_bytes) |"
	echo
	echo "**bpfbox stripped / libbpf-tools**: **$(ratio "${bbs:--}" "$total")**; without libc and the dynamic loader (which every system has anyway): $(ratio "${bbs:--}" "$((total - sys))") of $((total - sys)) bytes."
	echo
}

{
	echo "# Tracing tools: bpfbox vs libbpf-tools"
	echo
	echo "Generated by \`make bench-tools\` (\`bench/tools.sh\`) on $(date -u '+%Y-%m-%d %H:%M UTC'): kernel $(uname -r), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPUs shared with other work (a noisy VM: medians, and the ranges to show the spread; the bench and all it starts run at nice $NICE, both sides alike), libbpf-tools $(dpkg-query -W -f '${Version}' libbpf-tools 2>/dev/null || echo '?') from \`$LBT_DIR\`, bpfbox \`$("$BPFBOX" version 2>/dev/null | head -1)\`."
	echo
	echo "bpfbox tools measured:${BB_HAS:- none}. Pending (not in this bpfbox when the bench ran):${BB_PENDING:- none}. libbpf-tools has no bootstrap."
	echo
	part a && report_storm
	part b && report_first
	report_size
	sed -n -E '/^#MD( |$)/s/^#MD ?//p' "$0"
} >"$W/report.md"
cp "$W/report.md" "$OUT" || die "cannot write $OUT"
log "wrote $OUT"
exit 0

# The method, appended to every report (lines starting "#MD ").
#MD ## Method
#MD
#MD *(a) open() storm.* The workload opens the file by its absolute path with `open(O_RDONLY)` (the `openat` syscall) and closes it, reading the clock every 256 opens; it is started first, and each opensnoop is started with `-p` on its pid, so the filter is the kernel's on both sides and both tools deliver exactly the same events. Until the tool is ready the workload opens another file (the probe) once a millisecond and watches the tool's output file: the storm starts when that file is no longer empty. That is the only readiness signal that works for both: libbpf-tools buffers its header (its stdout is a file), so its first bytes arrive after a few probe events; bpfbox writes its header right after attaching. Probe events are not counted. After the storm the tool runs until it has used no CPU for 0.6 s (it has drained its buffer), its VmHWM and CPU time are read, and it gets SIGINT.
#MD
#MD The tools write to a **file** on tmpfs (`/dev/shm`), not to `/dev/null` and not to a terminal: the file is what lets the bench count the delivered events (the lines naming the storm's file), tmpfs keeps disk writeback out of the figure, and a file is the cheapest output that still has to be formatted and written in full. A terminal would make the terminal the bottleneck and measure it instead of the tools. libbpf-tools' stdout to a file is fully buffered by stdio (one write per 4 KiB); bpfbox flushes after each batch of events it drained, which is what makes it prompt through a pipe.
#MD
#MD "missing" is the loop's opens minus the delivered lines; "reported lost" is what the tool said on stderr (libbpf-tools: `Lost N events on CPU #C!` from its perf buffer; bpfbox: `opensnoop: N events lost in all`, counted from failed ring buffer reservations in the kernel). Both should agree; a difference would be a silent loss or a miscount.
#MD
#MD *(b) first event.* Both tools are run on a pseudo-terminal, as from a shell, where both line-buffer their output (through a pipe libbpf-tools would hold its lines in a 4 KiB buffer and show nothing for a long time; bpfbox flushes per batch either way). The clock starts before the fork of the tool, so it holds everything a user waits for: exec and dynamic linking, reading the kernel's BTF, loading and verifying the programs, attaching, and the first event's way through the buffer to the terminal. The workload's events come every millisecond (syscount's every 1 ms burst of 100 `getppid`; bashreadline: an interactive `bash --norc` on its own pty, typed `echo bbreadmark` every 5 ms), so the figure holds at most that period of waiting for an event.
#MD
#MD *(c) peak RSS* is `VmHWM` from `/proc/PID/status` of the tool process after it has shown its first event and run one more second under the workload, and, in (a), at the end of the storm (with a full buffer's worth of events through it).
#MD
#MD *(d) size* counts files on disk: `stat` sizes of the binaries and of each distinct library (`ldd`, symlinks resolved), vdso excluded. bpfbox needs none (static, libc and zlib inside).
#MD
#MD ## Reading the figures
#MD
#MD - *Why the storm slows down.* Every open runs the tool's BPF programs on the workload's own syscall path, and every wakeup of the reader is queued from there too (as an irq_work on the workload's CPU). libbpf's perf buffer, which libbpf-tools' opensnoop uses, asks the kernel for a wakeup per event (`wakeup_events = 1`), so its reader sleeps and is woken again every few events: the "sleeps per 1000 events" column shows how often each reader was woken, and the "per CPU s" column what that costs the workload itself, apart from the CPU the reader takes on this 2-CPU machine. A reader woken less often, per batch, costs the workload less and spends less CPU itself, at the price of a lone event waiting for the reader's next poll timeout.
#MD - *Wall time and CPU time.* On a shared machine the loop's wall-clock rate also depends on how much of a CPU it gets; its CPU-time rate does not, so when the two disagree the CPU column is the better measure of the tool's cost and the wall column of what a user sees.
#MD - *Lost events* must be equal in the "missing" and "reported lost" columns; a tool with missing events it did not report would be losing them silently.
#MD - *First event* includes the wait for the next event (at most 1 ms here) and, for a tool woken per batch rather than per event, up to its poll timeout (100 ms on both sides). syscount's includes its 1-second interval.
#MD - *Size*: the BPF objects a skeleton embeds carry DWARF debug sections unless they are stripped (`llvm-strip -g`, as libbpf-tools' build does before generating its skeletons); "of which BPF objects" shows how much of bpfbox they are.
#MD
#MD Never run as a timed assertion: these are measurements for this document, on a shared 2-CPU machine where another engineer's build can halve a figure; the ranges show how much.
