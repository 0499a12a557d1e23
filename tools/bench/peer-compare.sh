#!/usr/bin/env bash
# Braid against the Python peer on the same job, run alternately (not part of CI).
#
#   tools/bench/peer-compare.sh [-n PAIRS] [-d DATASET] [-c cold|warm] [-o WORKDIR] [-- --set k=v ...]
#
# Runs `braid train --config peer-shape` and `peer_fusion.py DATASET --epochs 10` in turn, PAIRS
# times (default 3), each Braid run in a fresh output folder of its own (so it never resumes a
# checkpoint), and prints each run's training samples/s, the medians and the ratio Braid/peer.
#
# Training samples/s, for both, is training samples per second of training time: evaluation and
# data preparation before training are excluded, the time spent waiting for batches inside the
# epoch is included.
#   peer : its own "samples_per_s" (steps * batch / training seconds, eval time subtracted). It
#          counts every step as a full batch (63 * 32 = 2016 for 2000 rows), so the script also
#          gives it corrected to the real sample count ("peer*"); the ratio uses the corrected one.
#   Braid: from OUTPUT/log.jsonl. Each step line carries samplesPerSecond, the loop's own figure:
#          samples of the epoch so far / seconds since the epoch began (evaluation runs after the
#          epoch's clock stops). The last step line of each epoch is thus that epoch's
#          samples / training seconds; the run's figure is sum(samples) / sum(epoch seconds).
#          Needs log.jsonl step lines with samplesPerSecond (Braid after 00-peer-shape-and-log).
# -c cold (default): every Braid run also has a fresh feature cache, so its first epoch decodes
#    the images and audio on the loader threads, inside the training clock, as a user's first run
#    does. "ep1+" is the figure without epoch 0.
# -c warm: one untimed 1-epoch Braid run fills a feature cache that all timed runs share, so
#    decoding is out of the clock, as it is for the peer (which decodes everything before timing).
# "others" is how many cores other processes kept busy, on average, during that run (from
#    /proc/stat minus the run's own CPU time): the peer's two OpenMP threads slow down many times
#    over when another process takes a core, so compare pairs with others near 0.
# Environment: JAVA (default java), JAVA_OPTS (e.g. -Dai.djl.pytorch.num_threads=2),
#   BRAID_JAR (default apps/target/braid.jar), PYTHON (default /usr/bin/python3),
#   PEER (default ../shared/peers/peer_fusion.py beside this repository), PEER_ARGS (extra peer arguments).
set -euo pipefail

pairs=3
data=data/avmnist
cache=cold
work=
while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) pairs=$2; shift 2 ;;
        -d) data=$2; shift 2 ;;
        -c) cache=$2; shift 2 ;;
        -o) work=$2; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n "2,34p" "$0"; exit 0 ;;
        *) echo "peer-compare: unknown option $1" >&2; exit 2 ;;
    esac
done
extra=("$@")
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
BRAID_JAR=${BRAID_JAR:-apps/target/braid.jar}
PYTHON=${PYTHON:-/usr/bin/python3}
PEER=${PEER:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/peers/peer_fusion.py}
PEER_ARGS=${PEER_ARGS:-}
[[ -f $BRAID_JAR ]] || { echo "peer-compare: no $BRAID_JAR; run mvn -q -B install -DskipTests" >&2; exit 2; }
[[ -f $data/manifest.jsonl ]] || { echo "peer-compare: no $data/manifest.jsonl" >&2; exit 2; }
[[ $cache == cold || $cache == warm ]] || { echo "peer-compare: -c cold|warm" >&2; exit 2; }
work=${work:-runs/peer-compare/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$work"
train_rows=$("$PYTHON" -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if l.strip() and json.loads(l).get("split")=="train"))' "$data/manifest.jsonl")

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; } # all CPUs' busy time, 1/100 s

others() { # $1 busy before, $2 busy after, $3 /usr/bin/time file ("wall user sys"): other processes' cores
    read -r el us sy <"$3"
    awk -v b0="$1" -v b1="$2" -v el="$el" -v own="$(awk -v u="$us" -v s="$sy" 'BEGIN{print u+s}')" \
        'BEGIN{printf "%.2f", ((b1-b0)/100 - own)/el}'
}

braid_run() { # $1 output folder, $2 log file, rest: extra --set
    local out=$1 logf=$2; shift 2
    [[ ! -e $out ]] || { echo "peer-compare: $out exists; refusing to resume it" >&2; exit 1; }
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %S" -o "$logf.time" "$JAVA" $JAVA_OPTS -jar "$BRAID_JAR" train --config peer-shape \
        --set "data=[{path: $data, weight: 1}]" --set "output=$out" "$@" >"$logf" 2>&1 \
        || { echo "peer-compare: braid failed, see $logf" >&2; tail -5 "$logf" >&2; exit 1; }
}

braid_rate() { # $1 log.jsonl -> "all-epochs epochs-1+ seconds"
    "$PYTHON" - "$1" "$train_rows" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "step":
        if "samplesPerSecond" not in r:
            sys.exit("log.jsonl step lines have no samplesPerSecond (Braid too old for this script)")
        last[r["epoch"]] = r["samplesPerSecond"]
n = int(sys.argv[2])
secs = {e: n / float(s) for e, s in last.items()}
total = sum(secs.values())
later = [e for e in secs if e > 0]
rest = len(later) * n / sum(secs[e] for e in later) if later else float("nan")
print(f"{len(secs) * n / total:.1f} {rest:.1f} {total:.2f}")
PY
}

if [[ $cache == warm ]]; then
    echo "warming the feature cache (untimed 1-epoch Braid run) ..."
    mkdir -p "$work/shared"
    braid_run "$work/shared/warm-up" "$work/warm-up.out" --set training.epochs=1
fi

printf '%-5s %9s %8s %8s %6s %9s %9s %6s\n' pair braid ep1+ train_s others peer peer* others
b_all=() p_all=()
for ((i = 1; i <= pairs; i++)); do
    if [[ $cache == warm ]]; then out="$work/shared/braid-$i"; else out="$work/pair-$i/braid"; mkdir -p "$work/pair-$i"; fi
    s0=$(busy)
    braid_run "$out" "$work/braid-$i.out" "${extra[@]}"
    bo=$(others "$s0" "$(busy)" "$work/braid-$i.out.time")
    read -r b b1 bs < <(braid_rate "$out/log.jsonl")
    s0=$(busy)
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %S" -o "$work/peer-$i.time" "$PYTHON" "$PEER" "$data" --epochs 10 $PEER_ARGS >"$work/peer-$i.out" 2>&1 \
        || { echo "peer-compare: peer failed, see $work/peer-$i.out" >&2; exit 1; }
    read -r p pc < <("$PYTHON" - "$work/peer-$i.out" "$train_rows" <<'PY'
import json, math, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
n = int(sys.argv[2]); full = math.ceil(n / 32) * 32
print(r["samples_per_s"], round(r["samples_per_s"] * n / full, 1))
PY
)
    po=$(others "$s0" "$(busy)" "$work/peer-$i.time")
    printf '%-5s %9s %8s %8s %6s %9s %9s %6s\n' "$i" "$b" "$b1" "$bs" "$bo" "$p" "$pc" "$po"
    b_all+=("$b") p_all+=("$pc")
done
"$PYTHON" - "${b_all[*]}" "${p_all[*]}" <<'PY'
import statistics, sys
b = [float(x) for x in sys.argv[1].split()]; p = [float(x) for x in sys.argv[2].split()]
mb, mp = statistics.median(b), statistics.median(p)
print(f"median Braid {mb:.1f} samples/s, median peer* {mp:.1f} samples/s, ratio Braid/peer {mb / mp:.2f}"
      f" (per pair: {', '.join(f'{x / y:.2f}' for x, y in zip(b, p))})")
PY
echo "outputs in $work"
