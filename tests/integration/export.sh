# bpfbox export: a BPF object's maps as Prometheus metrics. A known
# workload (exactly 17 getppid() calls and 7 writes of known sizes from
# a process of a known comm) must show up exactly in /metrics; promtool
# checks the exposition; malformed, oversized, slow and too many
# requests get their error and never stop correct scrapes; and a real
# Prometheus server scrapes the exporter and answers queries with the
# same numbers.
. tests/lib.sh

OBJ=$PROGS/export_counts.bpf.o

# ---- without root: usage ---------------------------------------------------

expect_rc "export help exits 0" 0 "$BPFBOX" export help
expect_match "export help prints usage" "$OUT" "^Usage: bpfbox export"
expect_rc "export without OBJ is a usage error" 2 "$BPFBOX" export
expect_rc "export OBJ --help exits 0" 0 "$BPFBOX" export "$OBJ" --help
expect_match "export OBJ --help lists the knob" "$OUT" "--targ_comm"
expect_rc "an unknown knob is a usage error" 2 "$BPFBOX" export "$OBJ" --nope 1
expect_rc "a bad --max-series is a usage error" 2 \
	"$BPFBOX" export --max-series 0 "$OBJ"

if ! is_root; then
	skip "export: loading and attaching need root"
	exit 0
fi
expect_rc "a bad --listen fails" 1 "$BPFBOX" export --listen nowhere "$OBJ"
expect_match "the --listen error says what it expects" "$ERR" "expected ADDR:PORT"

# the interpreter itself, not a wrapper (pyenv's shim is a bash script)
PY=$(bb_python)
if [ -z "$PY" ] || [ ! -x "$PY" ]; then
	skip "export: the workload is a python3 script, and python3 is missing"
	exit 0
fi

EXP_PID= PROM_PID=
cleanup() {
	[ -n "$EXP_PID" ] && kill "$EXP_PID" 2>/dev/null && wait "$EXP_PID" 2>/dev/null
	[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null
	rm -rf "$BB_TMP"
}
trap cleanup EXIT

# the workload's comm is the name of its binary: a copy of python3
COMM=bbexp$$
COMM=${COMM:0:15}
cp "$PY" "$BB_TMP/$COMM"

export_start "$BB_TMP/exp.err" --request-timeout 1 "$OBJ" --targ_comm "$COMM"
PORT=$EXP_PORT
if [ -z "$PORT" ]; then
	fail "export did not start: $(cat "$BB_TMP/exp.err")"
	exit 0
fi
pass "export attached and listens on loopback (port $PORT)"

caps=$(awk '/^CapEff:/ { print $2 }' "/proc/$EXP_PID/status")
if [ "$caps" = 0000000000000000 ]; then
	pass "export dropped every capability once attached"
else
	fail "export still has capabilities: CapEff $caps"
fi

# raw REQUEST (printf format): the whole answer, over bash's /dev/tcp
http_raw() {
	timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 1
		printf "$2" >&3; cat <&3' _ "$PORT" "$1"
}
http_get() { http_raw "GET $1 HTTP/1.1\r\nHost: x\r\n\r\n"; }
# the body of a 200 answer to GET /metrics
scrape() { http_get /metrics | tr -d '\r' | sed '1,/^$/d'; }

"$BB_TMP/$COMM" -c '
import os
for i in range(17):
    os.getppid()
fd = os.open("/dev/null", os.O_WRONLY)
for n in (1, 1, 3, 100, 100, 100, 5000):
    os.write(fd, b"x" * n)
'
M=$(scrape)
P=bpfbox_export_counts
expect_match "the counter of getppid() calls by comm is exactly 17" "$M" \
	"^${P}_getppid_calls_total\{comm=\"$COMM\"\} 17$"
expect_match "the counter family is typed counter" "$M" \
	"^# TYPE ${P}_getppid_calls_total counter$"
expect_match "a histogram in the value is typed histogram" "$M" \
	"^# TYPE ${P}_write_bytes histogram$"
for b in 'le="1"} 2' 'le="3"} 3' 'le="63"} 3' 'le="127"} 6' \
	 'le="4095"} 6' 'le="8191"} 7' 'le="+Inf"} 7'; do
	expect_match "histogram bucket {$b" "$M" "^${P}_write_bytes_bucket\{${b//+/\\+}$"
done
expect_match "histogram _count is the number of writes" "$M" "^${P}_write_bytes_count 7$"
expect_match "histogram _sum is the bucket midpoints' sum" "$M" "^${P}_write_bytes_sum 6433.5$"
# buckets are cumulative: never decreasing, +Inf equal to _count
if printf '%s\n' "$M" | awk -v f="${P}_write_bytes_bucket" '
	index($0, f "{") == 1 { if ($2 < last) bad = 1; last = $2 }
	END { exit bad }'; then
	pass "histogram buckets never decrease"
else
	fail "histogram buckets decrease: $(printf '%s\n' "$M" | grep "${P}_write_bytes_bucket")"
fi
expect_match "an index-in-key histogram is labelled by the rest of the key" "$M" \
	"^${P}_write_hist_bucket\{comm=\"$COMM\",le=\"127\"\} 6$"
expect_match "an index-in-key histogram counts" "$M" \
	"^${P}_write_hist_count\{comm=\"$COMM\"\} 7$"
expect_match "a struct value gives one gauge per integer member" "$M" \
	"^${P}_last_write_size\{comm=\"$COMM\"\} 5000$"
expect_match "self-metric: scrape duration" "$M" \
	"^bpfbox_export_scrape_duration_seconds [0-9.]+$"
expect_match "self-metric: series per map" "$M" \
	"^bpfbox_export_map_series\{object=\"export_counts\",map=\"getppid_calls\"\} [0-9]+$"
expect_match "a ring buffer's records are counted: 17" "$M" \
	"^bpfbox_export_events_total\{object=\"export_counts\",map=\"events\"\} 17$"

if command -v promtool >/dev/null; then
	printf '%s\n' "$M" >"$BB_TMP/metrics.txt"
	if out=$(promtool check metrics <"$BB_TMP/metrics.txt" 2>&1); then
		pass "promtool check metrics accepts the exposition"
	else
		fail "promtool check metrics: $out"
	fi
else
	skip "promtool check metrics: promtool is not installed (Debian package prometheus)"
fi

# ---- bad requests: each gets its error, scrapes stay right --------------

status() { http_raw "$1" | head -1 | tr -d '\r'; }
expect_match "POST is 405" "$(status 'POST /metrics HTTP/1.1\r\n\r\n')" "^HTTP/1.1 405 "
expect_match "an unknown path is 404" "$(status 'GET /nope HTTP/1.1\r\n\r\n')" "^HTTP/1.1 404 "
expect_match "the index page is served" "$(http_get /)" "href=\"/metrics\""
expect_match "a control byte is 400" "$(status 'GET /metrics HTTP/1.1\r\nX: \001\r\n\r\n')" "^HTTP/1.1 400 "
expect_match "garbage is 400" "$(status '\377\376 garbage\r\n\r\n')" "^HTTP/1.1 400 "
expect_match "HTTP/2.0 is 400" "$(status 'GET /metrics HTTP/2.0\r\n\r\n')" "^HTTP/1.1 400 "
expect_match "a target that is not a path is 400" "$(status 'GET metrics HTTP/1.1\r\n\r\n')" "^HTTP/1.1 400 "
big=$(head -c 9000 /dev/zero | tr '\0' a)
expect_match "headers over 8 KiB are 413" "$(status "GET /metrics HTTP/1.1\r\nX: $big\r\n\r\n")" "^HTTP/1.1 413 "

# a slow client: half a request line, then nothing; meanwhile scrapes work
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /met' >&4
expect_match "a scrape while a slow client waits is served" "$(scrape)" \
	"getppid_calls_total\{comm=\"$COMM\"\} 17$"
expect_match "the slow client gets a 408 after --request-timeout" \
	"$(timeout 5 head -1 <&4 | tr -d '\r')" "^HTTP/1.1 408 "
exec 4<&-
# more connections than the server holds (32): the rest get a 503
for i in $(seq 5 44); do eval "exec $i<>/dev/tcp/127.0.0.1/$PORT"; done
sleep 0.3
n503=0
for i in $(seq 5 44); do
	l=$(timeout 3 head -1 <&"$i" 2>/dev/null | tr -d '\r')
	case $l in "HTTP/1.1 503 "*) n503=$((n503 + 1)) ;; esac
	eval "exec $i<&-"
done
if [ "$n503" -ge 1 ]; then
	pass "connections past the limit get a 503 ($n503 of 40)"
else
	fail "no 503 with 40 idle connections open"
fi
# nothing above broke it: the same numbers, still exact
"$BB_TMP/$COMM" -c 'import os; os.getppid(); os.getppid(); os.getppid()'
M=$(scrape)
expect_match "after the bad requests, scrapes are exact (17 + 3)" "$M" \
	"^${P}_getppid_calls_total\{comm=\"$COMM\"\} 20$"
expect_match "the ring buffer count follows: 20" "$M" \
	"^bpfbox_export_events_total\{object=\"export_counts\",map=\"events\"\} 20$"
expect_match "the bad requests are counted" "$M" \
	"^bpfbox_export_http_errors_total [1-9][0-9]*$"
kill -0 "$EXP_PID" 2>/dev/null && pass "export still runs" || fail "export died"

# ---- a real Prometheus scrapes it ---------------------------------------

PROM=$(command -v prometheus)
if [ -z "$PROM" ] || ! command -v curl >/dev/null; then
	skip "prometheus: the server (Debian package prometheus) or curl is not installed"
else
	PPORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$BB_TMP/prom.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: bpfbox
	    static_configs:
	      - targets: ['127.0.0.1:$PORT']
	EOF
	"$PROM" --config.file="$BB_TMP/prom.yml" \
		--storage.tsdb.path="$BB_TMP/tsdb" \
		--web.listen-address="127.0.0.1:$PPORT" \
		>"$BB_TMP/prom.log" 2>&1 &
	PROM_PID=$!
	q() {	# q PROMQL: the first result's value, or nothing
		curl -s --max-time 3 "http://127.0.0.1:$PPORT/api/v1/query" \
			--data-urlencode "query=$1" |
			"$PY" -c 'import json,sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
	}
	v= h=
	for i in $(seq 1 60); do
		v=$(q "${P}_getppid_calls_total{comm=\"$COMM\"}")
		[ "$v" = 20 ] && break
		sleep 0.5
	done
	if [ "$v" = 20 ]; then
		pass "Prometheus scraped the counter: 20"
	else
		fail "Prometheus query gave '$v', expected 20; $(tail -5 "$BB_TMP/prom.log")"
	fi
	h=$(q "${P}_write_bytes_bucket{le=\"127\"}")
	expect_match "Prometheus has the histogram bucket le=127: 6" "$h" "^6$"
	h=$(q "${P}_write_hist_count{comm=\"$COMM\"}")
	expect_match "Prometheus has the index-in-key histogram's count: 7" "$h" "^7$"
	h=$(q "up{job=\"bpfbox\"}")
	expect_match "Prometheus sees the target up" "$h" "^1$"
fi

# ---- SIGTERM ends it cleanly -----------------------------------------------
kill "$EXP_PID"
wait "$EXP_PID"
rc=$?
EXP_PID=
[ "$rc" = 0 ] && pass "SIGTERM ends export with 0" || fail "export exited $rc on SIGTERM"

# ---- the cardinality cap ---------------------------------------------------
# --max-series 1 and two comms calling getppid(): one series, flagged
export_start "$BB_TMP/cap.err" --max-series 1 "$OBJ"
PORT=$EXP_PORT
if [ -z "$PORT" ]; then
	fail "export --max-series 1 did not start: $(cat "$BB_TMP/cap.err")"
	exit 0
fi
"$BB_TMP/$COMM" -c 'import os; os.getppid()'
"$PY" -c 'import os; os.getppid()'
M=$(scrape)
n=$(printf '%s\n' "$M" | grep -c "^${P}_getppid_calls_total{")
[ "$n" = 1 ] && pass "--max-series 1: one series of the map" ||
	fail "--max-series 1: $n series of getppid_calls"
expect_match "--max-series 1: the map is flagged truncated" "$M" \
	"^bpfbox_export_map_truncated\{object=\"export_counts\",map=\"getppid_calls\"\} 1$"
kill "$EXP_PID"
wait "$EXP_PID"
EXP_PID=
