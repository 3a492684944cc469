#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bpfbox export with maps of 10,000 keys (issue #8): the scrape's wall
# time and the exporter's CPU per scrape when the maps are read with the
# batch lookup command against key by key (get_next_key + lookup), the
# two measured in the same run, written to a Markdown report.
#
#   bench/export.sh [-r SCRAPES] [-n ROUNDS] [-k NKEYS] [-o REPORT.md]
#
# For each map shape of tests/progs/export_keys.bpf.o (plain hash,
# per-CPU hash, struct key) and each round, one exporter per read mode
# (the order of the modes alternating), its map filled with NKEYS keys
# (default 10000), then timed scrapes after 3 untimed ones: SCRAPES
# (default 50) per map and mode in all, split over ROUNDS (default 2).
# Also checks that NKEYS keys are not cut by the default
# --max-series (10000) and that NKEYS + 1 are.
#
# Environment: BPFBOX (default build/bpfbox), PROGS (where
# export_keys.bpf.o is, default build/progs). `make bench-export` builds
# both and runs this. Needs root, curl and python3.
set -u

SCRAPES=50
ROUNDS=2
NKEYS=10000
OUT=docs/bench-export.md
BPFBOX=${BPFBOX:-build/bpfbox}
PROGS=${PROGS:-build/progs}
WARMUP=3
# the shapes: the value of the object's `fill` knob, the map it fills
SHAPES="1:keys_count 2:keys_pcpu 3:keys_struct"
MODES="batch per-key"

. "$(dirname "$0")/lib.sh"
log() { echo "export.sh: $*" >&2; }

while getopts "r:n:k:o:" c; do
	case $c in
	r) SCRAPES=$OPTARG ;;
	n) ROUNDS=$OPTARG ;;
	k) NKEYS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) echo "usage: bench/export.sh [-r SCRAPES] [-n ROUNDS] [-k NKEYS] [-o REPORT.md]" >&2
	   exit 2 ;;
	esac
done
for v in SCRAPES ROUNDS NKEYS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v: not a positive number: ${!v}"
done
[ "$(id -u)" = 0 ] || die "needs root (the exporter loads a BPF program)"
[ -x "$BPFBOX" ] || die "no bpfbox at $BPFBOX: build it (make) or set BPFBOX"
OBJ=$PROGS/export_keys.bpf.o
[ -f "$OBJ" ] || die "no $OBJ: run make progs, or set PROGS"
command -v curl >/dev/null || die "needs curl"
# the interpreter itself, not a wrapper (pyenv's shim is a bash script
# that would run it in another process than the one filtered on)
PY=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)
[ -n "$PY" ] && [ -x "$PY" ] || die "needs python3 (the fill is triggered by its getppid())"
BPFBOX=$(readlink -f "$BPFBOX")
OBJ=$(readlink -f "$OBJ")

# --read is new: without it only the default reading is measured
if "$BPFBOX" export help 2>&1 | grep -q -- '--read'; then
	HAS_READ=1
else
	HAS_READ=0
	MODES=default
	log "this bpfbox has no export --read: measuring its default reading only"
fi

bench_prio		# both modes alike
bench_scratch bbexport

# --- statistics ---------------------------------------------------------
# median of the numbers on stdin ("-" when there are none)
median() {
	sort -g | awk '{ a[NR] = $1 }
		END { if (!NR) print "-";
		      else if (NR % 2) print a[(NR + 1) / 2];
		      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# the P-th percentile (nearest rank) of the numbers on stdin
pctl() {
	sort -g | awk -v p="$1" '{ a[NR] = $1 }
		END { if (!NR) { print "-"; exit }
		      r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1;
		      print a[r] }'
}
lines() { tr ' ' '\n' <<<"$1" | grep -v '^$'; }
med_of() { lines "${1:-}" | median; }
p90_of() { lines "${1:-}" | pctl 90; }
# the ratio a/b, 2 decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b == 0)
		print "-"; else printf("%.2f", a / b) }'
}
# seconds as milliseconds, 2 decimals
ms() { awk -v s="$1" 'BEGIN { if (s == "-" || s == "") print "-"; else printf("%.2f", s * 1000) }'; }

# --- the exporter's CPU -------------------------------------------------
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
sys_ticks() { awk '{ print $15 }' "/proc/$1/stat" 2>/dev/null; }
# nanoseconds on a CPU (schedstat's first field) of all the threads of
# PID, read without a fork, into CPU_NS
CPU_NS=0
cpu_ns() {
	local f ns
	CPU_NS=0
	for f in /proc/"$1"/task/*/schedstat; do
		read -r ns _ <"$f" 2>/dev/null && CPU_NS=$((CPU_NS + ns))
	done
}
HAS_SCHEDSTAT=0
[ -r /proc/self/schedstat ] && HAS_SCHEDSTAT=1

# --- one exporter -----------------------------------------------------------
# series_of BODY MAP: bpfbox_export_map_series of MAP in the exposition
series_of() {
	awk -v m="map=\"$2\"" 'index($0, "bpfbox_export_map_series{") == 1 &&
		index($1, m) { print $2; exit }' "$1"
}
truncated_of() {
	awk -v m="map=\"$2\"" 'index($0, "bpfbox_export_map_truncated{") == 1 &&
		index($1, m) { print $2; exit }' "$1"
}
# samples of the map's family (the lines naming it, comments aside)
samples_of() {
	grep -c "^bpfbox_export_keys_$2[_a-z]*[{ ]" "$1"
}

EXP_PID='' PORT=''
# start_exporter MODE FILL NKEYS TRIGGER_PID [EXTRA OPTIONS...]
start_exporter() {
	local mode=$1 fill=$2 n=$3 tgid=$4 i
	shift 4
	local read=()
	[ "$mode" = default ] || read=(--read "$mode")
	"$BPFBOX" export "${read[@]}" --listen 127.0.0.1:0 "$@" "$OBJ" \
		--targ_tgid "$tgid" --fill "$fill" --nkeys "$n" \
		>"$W/exp.out" 2>"$W/exp.err" &
	EXP_PID=$!
	PORT=
	for ((i = 0; i < 300; i++)); do
		PORT=$(grep -o 'serving http://127\.0\.0\.1:[0-9]*' "$W/exp.err" |
			sed 's/.*://')
		[ -n "$PORT" ] && return 0
		kill -0 "$EXP_PID" 2>/dev/null || break
		sleep 0.05
	done
	log "export --read $mode did not start: $(tail -3 "$W/exp.err")"
	stop_exporter
	return 1
}
stop_exporter() {
	[ -n "$EXP_PID" ] || return 0
	kill "$EXP_PID" 2>/dev/null
	wait "$EXP_PID" 2>/dev/null
	EXP_PID=
}
# one scrape into $W/body; prints "time_total size_download"
scrape() {
	curl -s --max-time 30 -o "$W/body" -w '%{time_total} %{size_download}\n' \
		"http://127.0.0.1:$PORT/metrics"
}

# a process that makes one getppid() when $W/go is written, with a pid
# known beforehand (the subshell execs python3): the exporter's
# --targ_tgid, so that nothing else fills the maps
TRIG_PID=
start_trigger() {
	rm -f "$W/go"
	mkfifo "$W/go" || die "mkfifo $W/go failed"
	( read -r _ <"$W/go"; exec "$PY" -c 'import os; os.getppid()' ) &
	TRIG_PID=$!
}
fire_trigger() {
	echo go >"$W/go"
	wait "$TRIG_PID" 2>/dev/null
	TRIG_PID=
}

# fill_and_wait MAP N: trigger the fill, scrape until MAP has N series
fill_and_wait() {
	local map=$1 n=$2 i s=
	fire_trigger
	for ((i = 0; i < 100; i++)); do
		scrape >/dev/null || return 1
		s=$(series_of "$W/body" "$map")
		[ "$s" = "$n" ] && return 0
		# the cap: it can never reach more
		[ "$(truncated_of "$W/body" "$map")" = 1 ] && return 0
		sleep 0.05
	done
	log "$map: $s series after the fill, expected $n"
	return 1
}

# results, per "MODE.MAP": lists of one word per scrape
declare -A R_WALL R_CPU R_SELF R_TICKS R_NSCRAPES R_SIZE R_SERIES R_TRUNC
declare -A R_FAILS R_BATCH R_STICKS

# measure MODE FILL MAP: one exporter, SCRAPES timed scrapes
measure() {
	local mode=$1 fill=$2 map=$3 n=$4 k=$1.$3 i t0 t1 s0 s1 c0 last=
	start_trigger
	if ! start_exporter "$mode" "$fill" "$NKEYS" "$TRIG_PID"; then
		fire_trigger
		R_FAILS[$k]=$((${R_FAILS[$k]:-0} + 1))
		return 1
	fi
	if ! fill_and_wait "$map" "$NKEYS"; then
		stop_exporter
		R_FAILS[$k]=$((${R_FAILS[$k]:-0} + 1))
		return 1
	fi
	for ((i = 0; i < WARMUP; i++)); do scrape >/dev/null; done
	# in the timed loop nothing forks but curl: the bodies are kept
	# and read afterwards
	rm -f "$W"/b.* "$W/times"
	t0=$(cpu_ticks "$EXP_PID")
	s0=$(sys_ticks "$EXP_PID")
	for ((i = 0; i < n; i++)); do
		cpu_ns "$EXP_PID"
		c0=$CPU_NS
		if ! curl -s --max-time 30 -o "$W/b.$i" \
			-w '%{time_total} %{size_download}\n' \
			"http://127.0.0.1:$PORT/metrics" >>"$W/times"; then
			R_FAILS[$k]=$((${R_FAILS[$k]:-0} + 1))
			continue
		fi
		cpu_ns "$EXP_PID"
		R_CPU[$k]+=" $(((CPU_NS - c0) / 1000))"
		last=$W/b.$i
	done
	t1=$(cpu_ticks "$EXP_PID")
	s1=$(sys_ticks "$EXP_PID")
	stop_exporter
	[ -n "$last" ] || return 1
	R_TICKS[$k]=$((${R_TICKS[$k]:-0} + t1 - t0))
	R_STICKS[$k]=$((${R_STICKS[$k]:-0} + s1 - s0))
	R_NSCRAPES[$k]=$((${R_NSCRAPES[$k]:-0} + n))
	R_WALL[$k]+=" $(awk '{ print $1 }' "$W/times" | tr '\n' ' ')"
	R_SIZE[$k]=$(awk 'END { print $2 }' "$W/times")
	R_SELF[$k]+=" $(cat "$W"/b.* | awk '$1 == "bpfbox_export_scrape_duration_seconds" { print $2 }' |
		tr '\n' ' ')"
	R_SERIES[$k]=$(series_of "$last" "$map")
	R_TRUNC[$k]=$(truncated_of "$last" "$map")
	# how the exporter says it read the map
	R_BATCH[$k]=$(grep -E "^bpfbox_export_map_batch_read\{[^}]*map=\"$map\"" \
		"$last" | head -1 | awk '{ print $2 }')
	cp "$last" "$W/body.$k"
	rm -f "$W"/b.*
}

# --- the --max-series cap: NKEYS keys whole, NKEYS + 1 cut ---------------
# with the default cap (10000) when NKEYS is that, else --max-series NKEYS
CAP_OPT=()
[ "$NKEYS" = 10000 ] || CAP_OPT=(--max-series "$NKEYS")
# cap_check MODE N: one line saying what N keys gave
cap_check() {
	local m=$1 n=$2 s t
	start_trigger
	start_exporter "$m" 1 "$n" "$TRIG_PID" "${CAP_OPT[@]}" ||
		{ fire_trigger; echo "$n keys, --read $m: the exporter failed"; return; }
	if fill_and_wait keys_count "$n"; then
		s=$(series_of "$W/body" keys_count)
		t=$(truncated_of "$W/body" keys_count)
		echo "$n keys, --read $m: $s series, truncated $t, $(samples_of "$W/body" keys_count) samples"
	else
		echo "$n keys, --read $m: the fill did not show"
	fi
	stop_exporter
}

# --- what --read auto does with these maps ----------------------------
# one exporter with all three maps filled: the maps' batch_read flags
auto_check() {
	local s map out=""
	start_trigger
	start_exporter auto 0 "$NKEYS" "$TRIG_PID" ||
		{ fire_trigger; echo "the exporter failed"; return; }
	if fill_and_wait keys_struct "$NKEYS"; then
		for s in $SHAPES; do
			map=${s#*:}
			out+="${out:+, }$map $(grep -E "^bpfbox_export_map_batch_read\{[^}]*map=\"$map\"" \
				"$W/body" | awk '{ print $2; exit }')"
		done
		echo "$out"
	else
		echo "the fill did not show"
	fi
	stop_exporter
}

# --- the run ------------------------------------------------------------
START=$(date +%s)
log "scratch in $W; $SCRAPES scrapes per mode and map over $ROUNDS rounds, $NKEYS keys"
r=0
for ((r = 1; r <= ROUNDS; r++)); do
	j=0
	for s in $SHAPES; do
		fill=${s%%:*} map=${s#*:}
		# alternate which mode goes first, so that a drift in the
		# machine's load does not fall on one side only
		if (((r + j) % 2)) || [ "$MODES" = default ]; then
			order=$MODES
		else
			order="per-key batch"
		fi
		j=$((j + 1))
		# SCRAPES per map and mode in all, split over the rounds
		n=$((SCRAPES / ROUNDS + (r <= SCRAPES % ROUNDS)))
		((n)) || continue
		for mode in $order; do
			log "round $r/$ROUNDS: $map, --read $mode, $n scrapes"
			measure "$mode" "$fill" "$map" "$n"
		done
	done
done
log "the --max-series cap"
CAP=()
for mode in $MODES; do
	for n in "$NKEYS" "$((NKEYS + 1))"; do
		CAP+=("$(cap_check "$mode" "$n")")
	done
done
AUTO=
if ((HAS_READ)); then
	log "what --read auto does"
	AUTO=$(auto_check)
fi
ELAPSED=$(($(date +%s) - START))

# --- the report -----------------------------------------------------------
shape_name() {
	case $1 in
	keys_count) echo "hash u32 -> u64" ;;
	keys_pcpu) echo "per-CPU hash u32 -> u64" ;;
	keys_struct) echo "hash {pid, comm[16]} -> u64" ;;
	esac
}
cpu_ms_per_scrape() {	# from /proc/PID/stat's ticks
	awk -v t="${R_TICKS[$1]:-}" -v n="${R_NSCRAPES[$1]:-0}" -v h="$TCK" \
		'BEGIN { if (t == "" || !n) print "-"; else printf("%.2f", t * 1000 / h / n) }'
}
# the share of the CPU ticks spent in the kernel (stime)
sys_share() {
	awk -v t="${R_TICKS[$1]:-0}" -v s="${R_STICKS[$1]:-0}" \
		'BEGIN { if (!t) print "-"; else printf("%.0f %%", s * 100 / t) }'
}
us_to_ms() { awk -v u="$1" 'BEGIN { if (u == "-" || u == "") print "-"; else printf("%.2f", u / 1000) }'; }

report_table() {
	local s map mode k
	echo "| map | --read | scrape ms, median | p90 | map reading ms (self-reported), median | exporter CPU ms per scrape, median | CPU ms per scrape (stat ticks) | of which in the kernel | bytes | series | truncated | batch read |"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for s in $SHAPES; do
		map=${s#*:}
		for mode in $MODES; do
			k=$mode.$map
			if [ -z "${R_WALL[$k]:-}" ]; then
				echo "| $map | $mode | failed (${R_FAILS[$k]:-0}) | | | | | | | | | |"
				continue
			fi
			printf '| %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
				"$map" "$(shape_name "$map")" "$mode" \
				"$(ms "$(med_of "${R_WALL[$k]}")")" \
				"$(ms "$(p90_of "${R_WALL[$k]}")")" \
				"$(ms "$(med_of "${R_SELF[$k]}")")" \
				"$( ((HAS_SCHEDSTAT)) && us_to_ms "$(med_of "${R_CPU[$k]}")" || echo -)" \
				"$(cpu_ms_per_scrape "$k")" "$(sys_share "$k")" \
				"${R_SIZE[$k]:--}" "${R_SERIES[$k]:--}" "${R_TRUNC[$k]:--}" \
				"${R_BATCH[$k]:--}"
		done
	done
}

report_ratios() {
	local s map b p
	echo "| map | scrape wall time | map reading (self-reported) | exporter CPU (schedstat) | exporter CPU (stat ticks) |"
	echo "|---|--:|--:|--:|--:|"
	for s in $SHAPES; do
		map=${s#*:}
		b=batch.$map p=per-key.$map
		printf '| %s | %s | %s | %s | %s |\n' "$map" \
			"$(ratio "$(med_of "${R_WALL[$b]:-}")" "$(med_of "${R_WALL[$p]:-}")")" \
			"$(ratio "$(med_of "${R_SELF[$b]:-}")" "$(med_of "${R_SELF[$p]:-}")")" \
			"$(ratio "$(med_of "${R_CPU[$b]:-}")" "$(med_of "${R_CPU[$p]:-}")")" \
			"$(ratio "$(cpu_ms_per_scrape "$b")" "$(cpu_ms_per_scrape "$p")")"
	done
}

# do both modes give the same exposition (apart from the order of the
# samples and the self-metrics)?
same_samples() {
	local map=$1 a=$W/body.batch.$1 b=$W/body.per-key.$1
	[ -f "$a" ] && [ -f "$b" ] || { echo "-"; return; }
	if cmp -s <(grep "^bpfbox_export_keys_" "$a" | sort) \
		  <(grep "^bpfbox_export_keys_" "$b" | sort); then
		echo "identical"
	else
		echo "**differ**"
	fi
}

{
	echo "# bpfbox export: 10,000 keys, batch vs per-key reads"
	echo
	echo "Generated by \`make bench-export\` (\`bench/export.sh\`) on $(date -u '+%Y-%m-%d %H:%M UTC') in ${ELAPSED} s: kernel $(uname -r), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPUs shared with other work (a noisy VM: medians, and p90 to show the spread; the bench and all it starts run at nice $NICE), bpfbox \`$("$BPFBOX" version 2>/dev/null | head -1)\`. $NKEYS keys per map, $SCRAPES timed scrapes per map and read mode in $ROUNDS rounds."
	echo
	if ((!HAS_READ)); then
		echo "**Pending:** this bpfbox has no \`export --read\`: only its default reading (key by key) was measured, and there are no ratios yet. Run \`make bench-export\` again once it has."
		echo
	fi
	echo "## Results"
	echo
	report_table
	echo
	if ((HAS_READ)); then
		echo "**batch / per-key**, ratio of the medians (below 1: batch is cheaper):"
		echo
		report_ratios
		echo
		echo "\`--read auto\` (the default) on these maps, \`bpfbox_export_map_batch_read\` with all three filled: $AUTO (1: read with batch, so the batch rows are what the default does)."
		echo
		printf 'The two modes'"'"' samples of each map (sorted, self-metrics aside) in the last scrape: keys_count %s, keys_pcpu %s, keys_struct %s.\n' \
			"$(same_samples keys_count)" "$(same_samples keys_pcpu)" "$(same_samples keys_struct)"
		echo
	fi
	echo "**The cardinality cap** (\`--max-series\` ${CAP_OPT[1]:-left at its default, 10000}; per map, inclusive: a map of exactly that many keys is whole), \`keys_count\` filled with N and N + 1 keys:"
	echo
	printf -- '- %s\n' "${CAP[@]}"
	echo
	sed -n -E '/^#MD( |$)/s/^#MD ?//p' "$0"
} >"$W/report.md"
cp "$W/report.md" "$OUT" || die "cannot write $OUT"
log "wrote $OUT"
exit 0

# The method, appended to every report (lines starting "#MD ").
#MD ## Method
#MD
#MD The object is `tests/progs/export_keys.bpf.c`: three hash maps of room 65536, `keys_count` (u32 key → u64, a counter by its name: one sample per key, `key="N"`), `keys_pcpu` (the same as a per-CPU hash: a value per possible CPU to copy and sum) and `keys_struct` (key `{u32 pid; char comm[16]}` → u64: two labels, one of them a string). A program on `syscalls/sys_enter_getppid` fills them with keys 0..N-1 in one `bpf_loop` at the first `getppid()` of the process `--targ_tgid` after the load, and never again, so the key count is exact and stable while the scrapes run.
#MD
#MD **One map at a time.** The exporter reads every map of its object at each scrape, so the object's knob `--fill` chooses the one map filled in a run (1, 2, 3; 0 fills all three); the other two stay empty and cost one failed `get_next_key` (per-key) or one batch call that finds nothing (batch) per scrape, which is noise next to 10,000 keys. The figures of a row are therefore the cost of that one shape, plus the fixed cost of a scrape (HTTP, self-metrics).
#MD
#MD **A run** (one read mode, one map): `bpfbox export --read MODE --listen 127.0.0.1:0 export_keys.bpf.o --targ_tgid PID --fill F --nkeys N`, PID being a subshell that waits on a FIFO and then execs `python3 -c 'import os; os.getppid()'` (its pid is known before the exporter starts, and nothing else can fill the map). Once the exporter says it is serving, the trigger is released and the bench scrapes until `bpfbox_export_map_series` of the map equals N; 3 more scrapes warm up, then the timed scrapes, one `curl` each, one after the other. Per scrape: curl's `time_total` (connect to the last byte: what Prometheus waits for), the exporter's CPU time around it (`/proc/PID/schedstat`, nanoseconds: everything the exporter did for that scrape, reading the maps, formatting, sending), and the exporter's own `bpfbox_export_scrape_duration_seconds` (the maps' reading and formatting, without the HTTP and self-metrics). The CPU is also taken as `utime + stime` from `/proc/PID/stat` before and after all the timed scrapes of a run (clock ticks of 10 ms, so coarse, divided by the number of scrapes), as a cross-check of schedstat, and split into user and system time ("of which in the kernel": stime over utime + stime, the system calls and the kernel's map walk against the exporter's own formatting). Each round runs every map with both modes (a fresh exporter each, its share of the scrapes), the order of the modes alternating between maps and rounds so that a drift of the machine's load does not fall on one side only; medians and p90 are over the scrapes of all rounds. Nothing but curl is started during the timed scrapes (the bodies are kept and read afterwards). "bytes" is the exposition's size; "series", "truncated" and "batch read" are the exporter's self-metrics for that map in the last scrape (`bpfbox_export_map_batch_read` is 1 when the map was read with `BPF_MAP_LOOKUP_BATCH`: a check that each mode did what it says).
#MD
#MD **What the two modes do.** Per-key: `BPF_MAP_GET_NEXT_KEY` then `BPF_MAP_LOOKUP_ELEM`, two system calls per key (20,000 for 10,000 keys), and the kernel walks the hash table from the key's bucket at each `get_next_key`. Batch: `BPF_MAP_LOOKUP_BATCH`, many keys and values per system call, the kernel walking the buckets in order. Per-CPU values are copied for every possible CPU in both modes.
#MD
#MD ## Reading the figures
#MD
#MD - *Noise.* The machine has 2 CPUs shared with other work (other engineers' builds and tests); curl, the exporter and the kernel's work for both run on them. Medians resist that, the p90 column shows it; a row's figures may move by tens of per cent between runs, the ratios of the same run much less.
#MD - *Wall time and CPU time.* When a scrape's wall time is well above the exporter's CPU time, the exporter was waiting for a CPU (the machine's other work, curl), not for the kernel; the CPU columns are then the better measure of the cost, the wall-time columns of what Prometheus waits for.
#MD - *What batch can save* is the system calls and the per-key hash walk; the labels (decimal keys, escaped strings) and the text still have to be formatted per key in both modes, which bounds the gain: the closer a ratio is to 1, the more of a scrape is formatting rather than reading.
#MD - *Kinds and batch.* Of the kinds the exporter reads, the hash kinds (hash, per-CPU hash, LRU and LRU per-CPU hash) have their own batch walk in the kernel since Linux 5.6; arrays and LPM tries have the generic one, in which the kernel itself does get_next_key + lookup per key: the system calls are saved, not the walk (an LPM trie was read with batch on this 6.18 kernel: `tests/progs/maps_more.bpf.o`'s `prefixes` with `--read batch`, checked by hand). Kernels before 5.6 have none, and there `--read auto` reads key by key while `--read batch` fails. The three maps here are all of the first group.
#MD - *The cap.* `--max-series` counts label sets per map and is inclusive: a map with exactly that many keys is read whole and not flagged; one more key and the map is cut and `bpfbox_export_map_truncated` is 1.
#MD
#MD Never run as a timed assertion: these are measurements for this document. `make bench-export` regenerates it (`EXPORT_SCRAPES=N EXPORT_ROUNDS=M` for more).
