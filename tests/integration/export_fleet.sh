#!/bin/bash
# docs/export-fleet.md is right: its blocks (each after a line
# `<!-- test: NAME -->`) are taken out of the page and checked with the
# tools that will read them. The install lines run (into a temporary
# root); the systemd unit and its drop-in pass `systemd-analyze verify`
# without a warning; prometheus.yml and the target file pass `promtool
# check config`; the rules pass `promtool check rules` and `promtool test
# rules` (each alert fires on its condition after its `for`, not before,
# not on a healthy host); every Grafana query is valid PromQL.
# As root, the unit's ExecStart line runs under the unit's capability
# bounding set, no_new_privs and a read-only file system (an emulation
# with unshare and setpriv: PID 1 need not be systemd here):
#   run 1, tracefs unmounted (bpfbox mounts it), under strace: no system
#          call outside the unit's SystemCallFilter=, no socket family
#          outside RestrictAddressFamilies=, no W+X mapping;
#   run 2, the host's tracefs read-only: every metric the page names is
#          served, and a Prometheus given the page's job and rules
#          answers every query, no rule failing or firing;
#   run 3, the page's config: the histogram renamed and in seconds, and
#          the tool's own names kept, as the page says.
. tests/lib.sh

# the page is checked once; export under ASan is export*.sh's business
case $BPFBOX in
*/san/*)
	skip "runs once, in the normal pass (it checks the page, not the build)"
	exit 0 ;;
esac

DOC=${DOC:-docs/export-fleet.md}
R=$BB_TMP/root			# where the install lines install
P=$BB_TMP/prom			# /etc/prometheus

# block NAME: the fenced block after `<!-- test: NAME -->`
block() {
	awk -v m="<!-- test: $1 -->" '
		$0 == m { armed = 1; next }
		armed && /^```/ { if (inb) exit; inb = 1; next }
		inb { print }' "$DOC"
}

for b in install config unit dropin prometheus targets rules promql; do
	block "$b" >"$BB_TMP/$b"
	if [ ! -s "$BB_TMP/$b" ]; then
		fail "$DOC has no block after <!-- test: $b -->"
		exit 0
	fi
done
pass "$DOC: the 8 blocks to check are there"

# a word of the page's command lines, for this build and temporary root
map_word() {
	case $1 in
	build/bpfbox)	readlink -f "$BPFBOX" ;;
	build/progs/*)	echo "$PROGS/${1#build/progs/}" ;;
	bpfbox)		echo "$R/usr/local/bin/bpfbox" ;;
	/usr/local/*|/etc/*) echo "$R$1" ;;
	'${BPFBOX_LISTEN}') echo 127.0.0.1:0 ;;
	*)		echo "$1" ;;
	esac
}
# map_line LINE: into the array CMD, comments dropped
map_line() {
	local w words
	CMD=()
	read -ra words <<<"${1%%#*}"
	for w in "${words[@]}"; do
		CMD+=("$(map_word "$w")")
	done
}

# ---- install ----------------------------------------------------------------

n=0
while IFS= read -r line; do
	case $line in install\ *|bpfbox\ *) ;; *) continue ;; esac
	map_line "$line"
	run "${CMD[@]}"
	n=$((n + 1))
	if [ "$RC" != 0 ]; then
		fail "install line '$line': exit $RC: $ERR"
	fi
done <"$BB_TMP/install"
if [ "$n" -ge 3 ] && [ -x "$R/usr/local/bin/bpfbox" ] &&
   [ -f "$R/usr/local/lib/bpfbox/sleeplat.bpf.o" ]; then
	pass "the $n install lines run (into a temporary root), the object's --help too"
else
	fail "install: $n lines, and the binary or the object is not where the unit wants it"
fi
mkdir -p "$R/etc/bpfbox"
cp "$BB_TMP/config" "$R/etc/bpfbox/export.yaml"

# ---- the systemd unit -------------------------------------------------------

U=$BB_TMP/units
mkdir -p "$U/bpfbox-export.service.d" "$BB_TMP/sanity"
if ! grep -q '^ExecStart=/usr/local/bin/bpfbox export ' "$BB_TMP/unit"; then
	fail "the unit's ExecStart= does not start /usr/local/bin/bpfbox export"
fi
# verify wants ExecStart's binary to exist: the installed copy
sed "s#/usr/local/bin/bpfbox#$R/usr/local/bin/bpfbox#" "$BB_TMP/unit" \
	>"$U/bpfbox-export.service"
cp "$BB_TMP/dropin" "$U/bpfbox-export.service.d/listen.conf"
verify() {	# verify UNITPATH UNIT: rc and every line it says, in $OUT
	OUT=$(SYSTEMD_UNIT_PATH="$1:" systemd-analyze verify "$2" 2>&1)
	RC=$?
}
printf '[Service]\nExecStart=/bin/true\n' >"$BB_TMP/sanity/bb-sanity.service"
if ! command -v systemd-analyze >/dev/null; then
	skip "systemd-analyze verify: not installed (Debian package systemd)"
elif verify "$BB_TMP/sanity" "$BB_TMP/sanity/bb-sanity.service"; [ "$RC" != 0 ] || [ -n "$OUT" ]; then
	skip "systemd-analyze verify cannot run here: a one-line unit gives exit $RC: $OUT"
else
	verify "$U" "$U/bpfbox-export.service"
	if [ "$RC" = 0 ] && [ -z "$OUT" ]; then
		pass "systemd-analyze verify: the unit and its drop-in, not a warning"
	else
		fail "systemd-analyze verify (exit $RC): $OUT"
	fi
	# the check is not blind: a wrong key in the drop-in is reported
	mkdir -p "$BB_TMP/neg/bpfbox-export.service.d"
	cp "$U/bpfbox-export.service" "$BB_TMP/neg/"
	{ cat "$BB_TMP/dropin"; echo "IPAdressDeny=any"; } \
		>"$BB_TMP/neg/bpfbox-export.service.d/listen.conf"
	verify "$BB_TMP/neg" "$BB_TMP/neg/bpfbox-export.service"
	expect_match "systemd-analyze verify reads the drop-in (a misspelt key is reported)" \
		"$OUT" "Unknown key.*IPAdressDeny"
	# exposure: systemd's own score of the hardening, 0 (best) to 10
	OUT=$(SYSTEMD_UNIT_PATH="$U:" systemd-analyze security --offline=yes \
		"$U/bpfbox-export.service" 2>&1)
	score=$(printf '%s\n' "$OUT" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -z "$score" ]; then
		skip "systemd-analyze security --offline: no score: $(printf '%s' "$OUT" | tail -2)"
	elif awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }'; then
		pass "systemd-analyze security: exposure $score (OK: 3.0 or less)"
	else
		fail "systemd-analyze security: exposure $score, more than 3.0: the hardening was loosened"
	fi
fi

# ---- Prometheus: config, target file, rules ---------------------------------

mkdir -p "$P/rules" "$P/targets"
sed "s#/etc/prometheus/#$P/#g" "$BB_TMP/prometheus" >"$P/prometheus.yml"
cp "$BB_TMP/rules" "$P/rules/bpfbox.yml"
cp "$BB_TMP/targets" "$P/targets/bpfbox-db.yml"
# a python3 with yaml (python3-yaml), the interpreter itself: pyenv's
# shim is a slow bash script
PY='' HAVE_YAML=''
for py in python3 /usr/bin/python3; do
	py=$("$py" -c 'import os, sys, yaml; print(os.path.realpath(sys.executable))' 2>/dev/null) || continue
	PY=$py HAVE_YAML=1
	break
done

# the Grafana queries, one a line, with Grafana's variables given values
QUERIES=()
while IFS= read -r q; do
	case $q in ''|'#'*) continue ;; esac
	q=${q//\$__rate_interval/5m}
	q=${q//\$instance/.+}
	QUERIES+=("$q")
done <"$BB_TMP/promql"

if ! command -v promtool >/dev/null; then
	skip "promtool: not installed (Debian package prometheus)"
else
	run promtool check config "$P/prometheus.yml"
	if [ "$RC" = 0 ] && grep -q "SUCCESS: 1 rule files found" <<<"$OUT"; then
		pass "promtool check config: prometheus.yml, its target file and its rule file"
	else
		fail "promtool check config (exit $RC): $OUT $ERR"
	fi
	grep -q "$P/targets/bpfbox-" "$P/prometheus.yml" ||
		fail "prometheus.yml does not read the target files under /etc/prometheus/targets/"
	run promtool check rules "$P/rules/bpfbox.yml"
	if [ "$RC" = 0 ]; then
		pass "promtool check rules: the alert rules ($(grep -o '[0-9]* rules found' <<<"$OUT"))"
	else
		fail "promtool check rules (exit $RC): $OUT $ERR"
	fi

	# every query of the Grafana section, as a recording rule
	{
		printf 'groups:\n  - name: doc_queries\n    rules:\n'
		for i in "${!QUERIES[@]}"; do
			printf '      - record: doc_query_%d\n        expr: |\n          %s\n' \
				"$i" "${QUERIES[$i]}"
		done
	} >"$BB_TMP/queries.yml"
	if grep -n '\$' "$BB_TMP/queries.yml" >"$BB_TMP/dollar"; then
		fail "a Grafana variable this test does not know: $(cat "$BB_TMP/dollar")"
	fi
	run promtool check rules "$BB_TMP/queries.yml"
	if [ "$RC" = 0 ] && [ "${#QUERIES[@]}" -ge 5 ]; then
		pass "the ${#QUERIES[@]} Grafana queries are valid PromQL (promtool)"
	else
		fail "the Grafana queries (${#QUERIES[@]}): promtool check rules exit $RC: $OUT $ERR"
	fi
	printf 'groups:\n  - name: neg\n    rules:\n      - record: neg\n        expr: rate(up[5m]\n' \
		>"$BB_TMP/neg.yml"
	expect_rc "promtool rejects a broken query (the check is not blind)" 1 \
		promtool check rules "$BB_TMP/neg.yml"

	# each alert: fires after its `for` on a sick host, not before,
	# never on the healthy one
	if [ -z "$HAVE_YAML" ]; then
		skip "promtool test rules: python3 with yaml (python3-yaml) writes the test"
	else
		"$PY" - "$P/rules/bpfbox.yml" >"$P/rules/test.yml" <<-'EOF'
		import re, sys, yaml
		rules = yaml.safe_load(open(sys.argv[1]))
		# the series that make each alert: sick on web-1, healthy on web-2
		base = {"job": "bpfbox", "object": "sleeplat", "map": "sleep_usecs"}
		sick = {
		    "BpfboxExporterDown": ("up", 0, 1, ["job", "instance"]),
		    "BpfboxMapTruncated": ("bpfbox_export_map_truncated", 1, 0,
		                           ["instance", "object", "map"]),
		    "BpfboxMapReadFailing": ("bpfbox_export_map_read_ok", 0, 1,
		                             ["instance", "object", "map"]),
		}
		def mins(d):
		    m = re.fullmatch(r"(\d+)([smh])", d)
		    return int(m[1]) * {"s": 1 / 60, "m": 1, "h": 60}[m[2]]
		def sel(name, labels):
		    lab = ",".join('%s="%s"' % kv for kv in sorted(labels.items()))
		    return "%s{%s}" % (name, lab)
		tests = []
		for g in rules["groups"]:
		    for r in g["rules"]:
		        if "alert" not in r:
		            continue
		        name = r["alert"]
		        if name not in sick:
		            sys.exit("no test case for alert %s: add one" % name)
		        metric, bad, good, keep = sick[name]
		        f = int(mins(r.get("for", "0m")))
		        series = []
		        for inst, v in (("web-1", bad), ("web-2", good)):
		            lab = dict(base, instance=inst)
		            if metric == "up":
		                lab = {"job": "bpfbox", "instance": inst}
		            series.append({"series": sel(metric, lab),
		                           "values": "%dx%d" % (v, f + 10)})
		        lab = dict(base, instance="web-1")
		        lab = {k: lab[k] for k in keep}
		        lab.update(r.get("labels", {}))
		        ann = {k: re.sub(r"{{ *\$labels\.(\w+) *}}",
		                         lambda m: lab[m[1]], v)
		               for k, v in r.get("annotations", {}).items()}
		        cases = [{"eval_time": "%dm" % (f - 1), "alertname": name,
		                  "exp_alerts": []}] if f > 1 else []
		        cases.append({"eval_time": "%dm" % (f + 1), "alertname": name,
		                      "exp_alerts": [{"exp_labels": lab,
		                                      "exp_annotations": ann}]})
		        tests.append({"interval": "1m", "input_series": series,
		                      "alert_rule_test": cases})
		yaml.safe_dump({"rule_files": ["bpfbox.yml"],
		                "evaluation_interval": "1m", "tests": tests},
		               sys.stdout, sort_keys=False)
		EOF
		run promtool test rules "$P/rules/test.yml"
		nalerts=$(grep -c '^ *- alert:' "$P/rules/bpfbox.yml")
		if [ "$RC" = 0 ] && [ "$nalerts" -ge 3 ]; then
			pass "promtool test rules: the $nalerts alerts fire after their 'for' on the sick host only"
		else
			fail "promtool test rules (exit $RC): $OUT $ERR"
		fi
	fi
fi

# ---- as root: the unit's command line, hardened as the unit says -----------

if ! is_root; then
	skip "running the unit's ExecStart needs root"
	exit 0
fi
for t in unshare setpriv curl; do
	if ! command -v "$t" >/dev/null; then
		skip "running the unit's ExecStart: $t is not installed"
		exit 0
	fi
done

# ExecStart=, its continuation lines joined
line=$(awk '/^ExecStart=/ { s = 1 }
	s { l = $0; c = sub(/\\$/, "", l); printf "%s ", l; if (!c) exit }' "$BB_TMP/unit")
map_line "${line#ExecStart=}"
run "$BPFBOX" export help
missing=
for w in "${CMD[@]}"; do
	case $w in --*) grep -q -- "$w" <<<"$OUT" || missing+=" $w" ;; esac
done
if [ -n "$missing" ]; then
	skip "the unit's options$missing are not in this build's 'bpfbox export help': its ExecStart is not run"
	exit 0
fi

# the unit's bounding set and no_new_privs, for setpriv
BSET=-all
for c in $(sed -n 's/^CapabilityBoundingSet=//p' "$BB_TMP/unit"); do
	c=${c#CAP_}
	BSET+=",+${c,,}"
done
NNP=
grep -qx 'NoNewPrivileges=yes' "$BB_TMP/unit" && NNP=--no-new-privs
# ProtectKernelTunables hides these (an inaccessible node): mode 000 here
touch "$BB_TMP/inaccessible" && chmod 000 "$BB_TMP/inaccessible"

# ProtectSystem=strict, ProtectKernelTunables=yes, ProtectControlGroups=yes:
# every mount read-only but /proc and /dev; /proc/sys read-only;
# /proc/kallsyms and /proc/kcore inaccessible. $1: "notracefs" to unmount
# tracefs and debugfs first (bpfbox must mount tracefs itself).
cat >"$BB_TMP/harden.sh" <<'EOF'
# harden.sh MODE DIR CMD...: CMD in the emulated sandbox. MODE notracefs:
# tracefs and debugfs unmounted first. DIR: the test's directory.
# Environment: BSET (setpriv's --bounding-set), NNP (--no-new-privs).
set -e
fstype() {	# mount point and file system type of each mount
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1); break } }' \
		/proc/self/mountinfo
}
if [ "$1" = notracefs ]; then
	fstype | awk '$2 == "tracefs" || $2 == "debugfs" { print $1 }' |
		sort -r | while read -r m; do umount -l "$m" || true; done
fi
fstype | awk '{ print $1 }' | sort -u | while read -r m; do
	case $m in /proc|/proc/*|/dev|/dev/*|*\\*) continue ;; esac
	mount -o remount,bind,ro "$m" 2>/dev/null || true
done
mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys
for f in /proc/kallsyms /proc/kcore; do
	if [ -e "$f" ]; then mount --bind "$2/inaccessible" "$f"; fi
done
# the emulation holds, or the test says so (exit 97)
if [ -w "$2" ] || [ -w /usr ] || [ -w /sys/kernel ]; then exit 97; fi
shift 2
exec setpriv $NNP --bounding-set "$BSET" -- "$@"
EOF

EXP_PID= BPID= PROM_PID= LOAD_PID= TRACE=
cleanup() {
	[ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
	[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null
	# bpfbox first: strace killed would leave it running, detached
	[ -n "$EXP_PID" ] && [ -n "$BPID" ] && kill "$BPID" 2>/dev/null
	[ -n "$EXP_PID" ] && kill "$EXP_PID" 2>/dev/null && wait "$EXP_PID" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT

# start_hardened LOG MODE: the unit's command line in the emulation,
# under strace when TRACE is set; EXP_PID (strace or unshare), BPID
# (bpfbox itself), PORT
start_hardened() {
	local log=$1 mode=$2
	if [ -n "$TRACE" ]; then
		BSET=$BSET NNP=$NNP strace -f -qq -o "$TRACE" \
			unshare -m --propagation private bash "$BB_TMP/harden.sh" \
			"$mode" "$BB_TMP" "${CMD[@]}" >/dev/null 2>"$log" &
	else
		BSET=$BSET NNP=$NNP unshare -m --propagation private bash "$BB_TMP/harden.sh" \
			"$mode" "$BB_TMP" "${CMD[@]}" >/dev/null 2>"$log" &
	fi
	EXP_PID=$! BPID=
	PORT=$(export_wait_port "$log" "$EXP_PID")
	BPID=$EXP_PID
	if [ -n "$TRACE" ]; then
		BPID=$(cat "/proc/$EXP_PID/task/$EXP_PID/children" 2>/dev/null)
		BPID=${BPID%% *}
	fi
}
stop_hardened() {	# SIGTERM to bpfbox; its exit code in $RC
	kill -TERM "${BPID:-$EXP_PID}" 2>/dev/null
	wait "$EXP_PID"
	RC=$?
	EXP_PID=
}
scrape() { export_scrape "$PORT"; }

ASAN=
grep -qa AddressSanitizer "$(readlink -f "$BPFBOX")" && ASAN=1
if [ -n "$ASAN" ]; then
	skip "the system call and socket family checks: they need strace, and the ASan build's LeakSanitizer fails under ptrace"
elif ! command -v strace >/dev/null; then
	skip "the system call and socket family checks: strace is not installed"
else
	TRACE=$BB_TMP/trace
fi

# ---- run 1: no tracefs (bpfbox mounts it), strace watching ----------------

start_hardened "$BB_TMP/exp.err" notracefs
if [ -z "$PORT" ]; then
	if grep -q . "$BB_TMP/exp.err"; then
		fail "the unit's ExecStart did not start under its restrictions: $(tail -5 "$BB_TMP/exp.err")"
	else
		fail "the unit's ExecStart did not start (exit $(wait "$EXP_PID"; echo $?); 97: the read-only emulation failed)"
	fi
	EXP_PID=
	exit 0
fi
pass "the unit's ExecStart runs under its bounding set, no_new_privs and a read-only system${TRACE:+ (and strace)}"
st=$(cat "/proc/$BPID/status" 2>/dev/null)
expect_match "it dropped every capability once attached" "$st" $'CapEff:\t0000000000000000'
expect_match "no_new_privs is set" "$st" $'NoNewPrivs:\t1'
if grep -q ' - tracefs ' "/proc/$BPID/mountinfo"; then
	pass "with tracefs unmounted and /sys read-only, bpfbox mounts tracefs itself"
else
	fail "it started without tracefs in its mount namespace: which did it use?"
fi
sleep 0.01
M=$(scrape)
expect_match "it serves the object's histogram" "$M" '^bpfbox_sleeplat_sleep_usecs_count [1-9][0-9]*$'
stop_hardened
[ "$RC" = 0 ] && pass "SIGTERM (systemctl stop) ends it with 0" ||
	fail "it exited $RC on SIGTERM: $(tail -3 "$BB_TMP/exp.err")"

# expand @GROUP... into syscall names (groups nest)
expand() {
	local t s
	for t; do
		case $t in
		@*)	systemd-analyze syscall-filter "$t" |
				awk 'NR > 1 && $1 !~ /^#/ && NF { print $1 }' |
				while read -r s; do expand "$s"; done ;;
		*)	echo "$t" ;;
		esac
	done
}
if [ -n "$TRACE" ] && [ -s "$TRACE" ] && command -v systemd-analyze >/dev/null; then
	# bpfbox's calls: its pid's lines after its execve of bpfbox
	awk -v pid="$BPID" '$1 == pid {
			if ($2 ~ /^execve\("[^"]*\/bpfbox",$/) { on = 1; delete seen; next }
			if (on && match($2, /^[a-z0-9_]+\(/))
				seen[substr($2, 1, RLENGTH - 1)] = 1
		}
		END { for (s in seen) print s }' "$TRACE" | sort >"$BB_TMP/called"
	expand $(sed -n 's/^SystemCallFilter=//p' "$BB_TMP/unit") | sort -u >"$BB_TMP/allowed"
	out=$(comm -23 "$BB_TMP/called" "$BB_TMP/allowed" | tr '\n' ' ')
	ncalls=$(wc -l <"$BB_TMP/called")
	if [ "$ncalls" -lt 10 ]; then
		fail "strace: only $ncalls system calls of bpfbox found in the trace"
	elif [ -z "$out" ]; then
		pass "strace: the $ncalls system calls bpfbox made are all in the unit's SystemCallFilter="
	else
		fail "strace: system calls outside the unit's SystemCallFilter=: $out"
	fi
	fams=$(awk -v pid="$BPID" '$1 == pid && $2 ~ /^socket\(AF_/ {
			sub(/^socket\(/, "", $2); sub(/,.*/, "", $2); print $2 }' "$TRACE" | sort -u)
	allowed=" $(sed -n 's/^RestrictAddressFamilies=//p' "$BB_TMP/unit") "
	out=
	for f in $fams; do
		[[ $allowed == *" $f "* ]] || out+=" $f"
	done
	if [ -z "$fams" ]; then
		fail "strace: bpfbox opened no socket (the listening one should be there)"
	elif [ -z "$out" ]; then
		pass "strace: the socket families bpfbox used ($(echo $fams)) are in RestrictAddressFamilies="
	else
		fail "strace: socket families outside RestrictAddressFamilies=:$out"
	fi
	if grep -E "^$BPID +(mmap|mprotect)\(.*(PROT_WRITE\|PROT_EXEC|PROT_EXEC\|PROT_WRITE)" \
		"$TRACE" >"$BB_TMP/wx"; then
		fail "MemoryDenyWriteExecute=yes would refuse: $(head -2 "$BB_TMP/wx")"
	else
		pass "strace: no writable and executable mapping (MemoryDenyWriteExecute=yes holds)"
	fi
fi

# ---- run 2: the host's tracefs, read-only; Prometheus scrapes it --------

TRACE=
start_hardened "$BB_TMP/exp2.err" ro-tracefs
if [ -z "$PORT" ]; then
	fail "with the host's tracefs read-only, it did not start: $(tail -5 "$BB_TMP/exp2.err")"
	EXP_PID=
	exit 0
fi
pass "with the host's tracefs read-only, it starts too"

# a workload for the sleep histogram and syscount, while it runs
(while :; do sleep 0.01; sleep 0.2; done) &
LOAD_PID=$!
sleep 1
M=$(scrape)
missing=
for name in $(grep -oh 'bpfbox_[a-zA-Z0-9_]*' "$BB_TMP/promql" "$BB_TMP/rules" | sort -u); do
	grep -Eq "^${name}[{ ]" <<<"$M" || missing+=" $name"
done
if [ -z "$missing" ]; then
	pass "every metric the page's queries and alerts name is served"
else
	fail "metrics the page names and the unit's command line does not serve:$missing"
fi
expect_match "--bpf-stats: the kernel's BPF stats are on" "$M" \
	'^bpfbox_export_bpf_stats_enabled 1$'
if command -v promtool >/dev/null; then
	if out=$(printf '%s\n' "$M" | promtool check metrics 2>&1); then
		pass "promtool check metrics accepts the exposition"
	else
		fail "promtool check metrics: $(printf '%s' "$out" | head -5)"
	fi
fi
# ---- a Prometheus with the page's job and rules -------------------------

PROM=$(command -v prometheus)
if [ -z "$PROM" ] || [ -z "$HAVE_YAML" ]; then
	skip "Prometheus: needs prometheus and python3-yaml (to point the job at this exporter)"
else
	PPORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	mkdir -p "$P/empty"
	"$PY" - "$P/prometheus.yml" "127.0.0.1:$PORT" "$P/empty" \
		>"$P/live.yml" <<-'EOF'
	import sys, yaml
	src, addr, empty = sys.argv[1:]
	c = yaml.safe_load(open(src))
	c["global"]["scrape_interval"] = "1s"
	c["global"]["evaluation_interval"] = "1s"
	for j in c["scrape_configs"]:
	    j["scrape_timeout"] = "1s"
	    labels = j["static_configs"][0].get("labels", {})
	    j["static_configs"] = [{"targets": [addr], "labels": labels}]
	    for fs in j.get("file_sd_configs", []):
	        fs["files"] = [empty + "/*.yml"]
	yaml.safe_dump(c, sys.stdout, sort_keys=False)
	EOF
	"$PROM" --config.file="$P/live.yml" --storage.tsdb.path="$BB_TMP/tsdb" \
		--web.listen-address="127.0.0.1:$PPORT" >"$BB_TMP/prom.log" 2>&1 &
	PROM_PID=$!
	api() {	# api PATH [QUERY]: the JSON answer
		if [ -n "$2" ]; then
			curl -s --max-time 5 "http://127.0.0.1:$PPORT/api/v1/$1" \
				--data-urlencode "query=$2"
		else
			curl -s --max-time 5 "http://127.0.0.1:$PPORT/api/v1/$1"
		fi
	}
	# "ok N" (N results) or "error WHY"
	qres() {
		"$PY" -c 'import json, sys
try:
    r = json.load(sys.stdin)
except ValueError:
    sys.exit(print("error: no JSON answer"))
if r.get("status") != "success":
    print("error", r.get("error"))
else:
    print("ok", len(r["data"]["result"]))'
	}
	# two scrapes: enough for every rate()
	for i in $(seq 1 60); do
		[ "$(api query 'count_over_time(up{job="bpfbox"}[1m]) >= 2' | qres)" = "ok 1" ] && break
		sleep 0.5
	done
	h=$(api query 'up{job="bpfbox",instance="127.0.0.1",role="web"} == 1' | qres)
	if [ "$h" = "ok 1" ]; then
		pass "Prometheus scrapes it with the page's job: up, instance without the port, the target's labels"
	else
		fail "Prometheus with the page's job: up{instance=\"127.0.0.1\",role=\"web\"} gave '$h'; $(tail -3 "$BB_TMP/prom.log")"
	fi
	bad= nq=0
	for q in "${QUERIES[@]}"; do
		nq=$((nq + 1))
		q=${q//\[5m\]/[1m]}
		r=$(api query "$q" | qres)
		case $r in "ok 0"|error*) bad+=" [$q: $r]" ;; esac
	done
	if [ -z "$bad" ]; then
		pass "Prometheus answers each of the $nq Grafana queries with data"
	else
		fail "Grafana queries without an answer:$bad"
	fi
	rules=$(api rules)
	if "$PY" -c 'import json, sys
r = json.loads(sys.argv[1])["data"]["groups"]
rs = [x for g in r for x in g["rules"]]
bad = [x["name"] + ": " + x.get("lastError", "") for x in rs if x["health"] != "ok"]
sys.exit(1 if bad or len(rs) < 3 else 0)' "$rules" 2>/dev/null; then
		pass "Prometheus evaluates the page's alert rules on the live data without an error"
	else
		fail "alert rules not healthy: $rules"
	fi
	expect_match "no alert pending or firing for a healthy exporter" \
		"$(api alerts)" '"alerts":\[\]'
	kill "$PROM_PID"
	wait "$PROM_PID" 2>/dev/null
	PROM_PID=
fi
kill "$LOAD_PID" 2>/dev/null
wait "$LOAD_PID" 2>/dev/null
LOAD_PID=

stop_hardened
[ "$RC" = 0 ] || fail "run 2 exited $RC on SIGTERM: $(tail -3 "$BB_TMP/exp2.err")"

# ---- the config section: --config renames and scales, adds to a tool's -----

CMD=("$R/usr/local/bin/bpfbox" export --listen 127.0.0.1:0
     --config "$R/etc/bpfbox/export.yaml" "$R/usr/local/lib/bpfbox/sleeplat.bpf.o"
     --tool syscount)
start_hardened "$BB_TMP/exp3.err" ro-tracefs
if [ -z "$PORT" ]; then
	fail "with the page's config, it did not start: $(tail -5 "$BB_TMP/exp3.err")"
	EXP_PID=
	exit 0
fi
sleep 0.01
M=$(scrape)
expect_match "the page's config renames the histogram and scales it to seconds" "$M" \
	'^bpfbox_sleep_seconds_bucket\{le="1e-06"\} [0-9]+$'
expect_match "the renamed histogram counts the sleeps" "$M" \
	'^bpfbox_sleep_seconds_count [1-9][0-9]*$'
# the page says --config adds to the tool's built-in config
expect_match "with --config, --tool syscount keeps its names, as the page says" \
	"$M" '^bpfbox_syscount_calls_total\{syscall="[a-z0-9_]+"\} [0-9]+$'
stop_hardened
