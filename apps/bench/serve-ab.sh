#!/usr/bin/env bash
# Throughput of `braid serve` measured by a load generator that is not Braid's own code: Apache
# Bench (Debian's apache2-utils, installed if missing) posts one real tri-modal test ticket
# (Chinese text, photo, voice note) again and again. Two servers run side by side on loopback and
# are measured in alternating runs, so that a machine loaded by others loads both alike and their
# ratio stays fair:
#
#   apps/bench/serve-ab.sh OLD.jar NEW.jar MODEL_DIR [ROUNDS] [REQUESTS]
#
# OLD.jar may be a build without the desk's flags (it is started with --model and --port only).
# Prints one line a run and a table of medians; writes them to apps/target/serve-ab.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD_JAR="$1"; NEW_JAR="$2"; MODEL="$3"; ROUNDS="${4:-3}"; REQUESTS="${5:-600}"
CLIENTS=(2 4 8 16)
if ! command -v ab >/dev/null; then
    SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq apache2-utils >/dev/null
fi

WORK="$(mktemp -d /tmp/braid-ab.XXXXXX)"
OUT=apps/target/serve-ab.txt
mkdir -p apps/target
# the ticket: t02104 of data/support's test split
BOUNDARY="----braid-ab-boundary-3f9c2a"
BODY="$WORK/ticket.body"
{
    printf -- '--%s\r\nContent-Disposition: form-data; name="text"\r\n\r\n' "$BOUNDARY"
    printf '%s' "单反能换成别的型号吗？请尽快处理！！谢谢！"
    printf -- '\r\n--%s\r\nContent-Disposition: form-data; name="image"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n' "$BOUNDARY"
    cat data/support/images/t02104.png
    printf -- '\r\n--%s\r\nContent-Disposition: form-data; name="audio"; filename="v.wav"\r\nContent-Type: audio/wav\r\n\r\n' "$BOUNDARY"
    cat data/support/audio/test-zh-exchange-high-0.wav
    printf -- '\r\n--%s--\r\n' "$BOUNDARY"
} > "$BODY"

start() { # name jar port extra-args...
    local name="$1" jar="$2" port="$3"; shift 3
    java -jar "$jar" serve --model "$MODEL" --port "$port" "$@" > "$WORK/$name.log" 2>&1 &
    echo $! > "$WORK/$name.pid"
    for _ in $(seq 1 600); do
        if grep -q "^Serving" "$WORK/$name.log"; then return 0; fi
        sleep 0.5
    done
    echo "$name did not start:"; cat "$WORK/$name.log"; exit 1
}
stop() {
    for name in old new; do
        if [ -f "$WORK/$name.pid" ]; then kill "$(cat "$WORK/$name.pid")" 2>/dev/null || true; fi
    done
}
trap 'stop; sleep 1; rm -rf "$WORK"' EXIT

start old "$OLD_JAR" 18101
start new "$NEW_JAR" 18102 --db "jdbc:sqlite:$WORK/desk.db" --ticket-rate 1000000 --ticket-burst 1000000000

# CPU seconds the server process has used (all threads): a machine loaded by others slows the
# wall clock of a run much more than it changes the CPU time a ticket costs
cpu() { # name
    awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$(cat "$WORK/$1.pid")/stat"
}

run() { # name port clients → "rps p50 p99 failed non2xx cpu-ms-per-request"
    local name="$1" port="$2" c="$3"
    local cpu0; cpu0=$(cpu "$name")
    ab -q -n "$REQUESTS" -c "$c" -p "$BODY" -T "multipart/form-data; boundary=$BOUNDARY" \
        "http://127.0.0.1:$port/api/tickets" > "$WORK/ab.txt" 2>&1 || true
    local rps p50 p99 failed non2xx
    rps=$(awk '/^Requests per second/ {print $4}' "$WORK/ab.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$WORK/ab.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/ab.txt")
    # ab counts answers whose length differs from the first as failed ("Length"); the answers carry
    # their latency and ticket id, so only connection, receive and exception failures count
    failed=$(awk '/^Failed requests/ {f = $3} /Connect: .*Receive: .*Length: .*Exceptions:/ {gsub(/[(),]/, " "); f = $2 + $4 + $8} END {print f + 0}' "$WORK/ab.txt")
    non2xx=$(awk '/^Non-2xx responses/ {print $3}' "$WORK/ab.txt")
    local cpums; cpums=$(awk -v a="$cpu0" -v b="$(cpu "$name")" -v n="$REQUESTS" 'BEGIN {printf "%.1f", (b - a) * 1000 / n}')
    echo "${rps:-0} ${p50:-0} ${p99:-0} ${failed:-?} ${non2xx:-0} $cpums"
}

echo "ticket body: $(stat -c %s "$BODY") bytes; $REQUESTS requests a run; $(nproc) cores;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT"
# warm-up: the first requests of a JVM are slow
for port in 18101 18102; do
    ab -q -n 100 -c 4 -p "$BODY" -T "multipart/form-data; boundary=$BOUNDARY" \
        "http://127.0.0.1:$port/api/tickets" >/dev/null 2>&1 || true
done
for round in $(seq 1 "$ROUNDS"); do
    for c in "${CLIENTS[@]}"; do
        # alternate which server goes first
        if [ $(( (round + c) % 2 )) = 0 ]; then order="old new"; else order="new old"; fi
        for name in $order; do
            port=18101; [ "$name" = new ] && port=18102
            echo "round $round clients $c $name $(run "$name" "$port" "$c")" | tee -a "$OUT"
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
curl -s http://127.0.0.1:18102/health | tee -a "$OUT"; echo | tee -a "$OUT"

# medians per server and clients, and the new/old ratio of the median rates
awk '/^round/ {key=$4" "$5; n[key]++; rps[key, n[key]]=$6; p50[key, n[key]]=$7; p99[key, n[key]]=$8; fail[key]+=$9+$10; cpu[key, n[key]]=$11}
function median(arr, key, count,   i, j, t, v) {
    for (i = 1; i <= count; i++) v[i] = arr[key, i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((count + 1) / 2)]
}
END {
    printf "\n| clients | old req/s | new req/s | new/old | old p50 / p99 ms | new p50 / p99 ms | CPU ms a ticket old / new | errors old / new |\n|---|---|---|---|---|---|---|---|\n"
    split("2 4 8 16", cs, " ")
    for (k = 1; k <= 4; k++) {
        c = cs[k]; o = c" old"; w = c" new"
        ro = median(rps, o, n[o]); rn = median(rps, w, n[w])
        printf "| %s | %.1f | %.1f | %.2fx | %s / %s | %s / %s | %s / %s | %d / %d |\n", c, ro, rn, (ro > 0 ? rn / ro : 0), median(p50, o, n[o]), median(p99, o, n[o]), median(p50, w, n[w]), median(p99, w, n[w]), median(cpu, o, n[o]), median(cpu, w, n[w]), fail[o], fail[w]
    }
}' "$OUT" | tee -a "$OUT"
