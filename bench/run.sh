#!/bin/sh
# make bench: wedge against the obvious alternatives, measured in the same
# run on the same generated inputs (bench/inputs.sh), each figure REPS
# times (min and median), every comparison as "wedge takes N x the time
# of X", and each goal of issue 15 marked met or not.  docs/bench.md says
# how to read it.  Exits 0 (it is a report) unless bench/shapes.sh reports
# a regression or a command fails.
#   BENCH_SIZE  input size per trace, 100M (default) or 1G
#   BENCH_DIR   where inputs are cached (default /tmp/wedge-bench-SIZE)
#   BENCH_REPS  runs per figure (default 3)
set -eu
B=${1:-build}
HERE=$(dirname "$0")
SIZE=${BENCH_SIZE:-100M}
DIR=${BENCH_DIR:-/tmp/wedge-bench-$SIZE}
REPS=${BENCH_REPS:-3}
W="$B/wedge"
T=$(mktemp -d /tmp/wedge-bench-run-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$HERE/lib.sh"
[ "$REPS" -ge 1 ] || { echo "bench: BENCH_REPS must be >= 1" >&2; exit 64; }

echo "== wedge bench: $SIZE per trace, $REPS runs per figure, $(nproc) cores, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
sh "$HERE/inputs.sh" "$B" "$SIZE" "$DIR"
H="$DIR/healthy"
ref=$H/ref.jsonl
cand=$H/cand.jsonl
bytes() { wc -c < "$1" | tr -d ' '; }
events() { echo $(($(wc -l < "$1") - 1)); }  # less the header line
ref_b=$(bytes "$ref")
ref_n=$(events "$ref")
echo "  reference $ref: $ref_b bytes, $ref_n events ($(calc %.1f "$ref_b / $ref_n") bytes/event)"
# warm the page cache so the first round reads from memory like the others
cat "$H"/* "$DIR"/hang/*.jsonl "$DIR"/kv/ref.log "$DIR"/log/ref.log > /dev/null

echo
echo "== parsing: wedge stats against wc -l and cat of the same file"
rounds wedge-stats "$W stats $ref" wc-l "wc -l $ref" cat "cat $ref" \
    wedge-stats-1thread "WEDGE_THREADS=1 $W stats $ref"
show wedge-stats "$ref_b"
# one thread: the parser's own cost per core, without the second chunk's
# start, merge and the two threads' share of the page-cache copy
show wedge-stats-1thread "$ref_b"
show wc-l "$ref_b"
show cat "$ref_b"
ratio wedge-stats wc-l "wc -l"
ratio wedge-stats cat "cat >/dev/null"
cpu=$(pick wedge-stats cpu med)
rate=$(calc %.0f "$ref_b / $cpu / 1e6")
goal "$(ge "$rate" 1000)" "parsing >= 1 GB/s per core" "$rate MB/s per CPU second"
r=$(paired wedge-stats wc-l cpu)
goal "$(ge 4 "$r")" "parsing within 4 x of wc -l" "$(calc %.2f "$r") x, CPU"
echo "  one thread: $(calc %.0f "$ref_b / $(pick wedge-stats-1thread cpu med) / 1e6") MB per CPU second," \
    "$(calc %.2f "$(paired wedge-stats-1thread wc-l cpu)") x wc -l (CPU)"

echo
echo "== the other reference formats (same run, no baseline)"
kv=$DIR/kv/ref.log
lg=$DIR/log/ref.log
rounds stats-xenia-kv "$W stats $kv" stats-xenia-log "$W stats $lg"
show stats-xenia-kv "$(bytes "$kv")"
show stats-xenia-log "$(bytes "$lg")"

echo
echo "== compressed input: wedge on .zst and .gz against the decompressor alone"
zr=$ref.zst
zc=$cand.zst
gr=$ref.gz
rounds stats-zst "$W stats $zr" zstd-dc "zstd -dc $zr" \
    report-zst "$W report $zr $zc" zstd-dc-both "zstd -dc $zr $zc" \
    stats-gz "$W stats $gr" gzip-dc "gzip -dc $gr"
show stats-zst "$ref_b"
show zstd-dc "$ref_b"
show report-zst "$((ref_b + $(bytes "$cand")))"
show zstd-dc-both "$((ref_b + $(bytes "$cand")))"
show stats-gz "$ref_b"
show gzip-dc "$ref_b"
ratio stats-zst zstd-dc "zstd -dc"
ratio report-zst zstd-dc-both "zstd -dc of both traces"
ratio stats-gz gzip-dc "gzip -dc"
r1=$(paired stats-zst zstd-dc wall)
r2=$(paired report-zst zstd-dc-both wall)
goal "$(ge 1.3 "$r1")" "stats on .zst within 1.3 x of zstd -dc" "$(calc %.2f "$r1") x, wall"
goal "$(ge 1.3 "$r2")" "report on .zst within 1.3 x of zstd -dc" "$(calc %.2f "$r2") x, wall"

echo
echo "== report: a big reference against a small candidate that hangs (wedge simulate investigation)"
hr=$DIR/hang/ref.jsonl
hc=$DIR/hang/cand.jsonl
hb=$(($(bytes "$hr") + $(bytes "$hc")))
echo "  inputs: $(bytes "$hr") + $(bytes "$hc") bytes"
rounds wedge-report "$W report $hr $hc" \
    python-keytable "python3 $HERE/keytable.py $hr $hc" \
    jq-keytable "jq -n -r --slurpfile cat $HERE/producers.json -f $HERE/keytable.jq $hr $hc"
show wedge-report "$hb"
show python-keytable "$hb"
show jq-keytable "$hb"
ratio wedge-report python-keytable "the Python json+Counter key table (bench/keytable.py)"
ratio wedge-report jq-keytable "the jq key table (bench/keytable.jq)"
rp=$(paired wedge-report python-keytable cpu)
rj=$(paired wedge-report jq-keytable cpu)
goal "$(ge 0.04 "$rp")" "report >= 25 x faster than the Python script (<= 0.04 x its time)" \
    "$(calc %.1f "1 / $rp") x faster, CPU"
goal "$(ge 0.0286 "$rj")" "report >= 35 x faster than jq (<= 0.029 x its time)" \
    "$(calc %.1f "1 / $rj") x faster, CPU"

echo
echo "== report: two big traces (wedge simulate healthy)"
both=$((ref_b + $(bytes "$cand")))
rounds report-big "$W report $ref $cand"
show report-big "$both"
wall=$(pick report-big wall med)
cpu=$(pick report-big cpu med)
util=$(calc %.2f "$cpu / $wall")
rate=$(calc %.0f "$both / $wall / 1e6")
echo "  CPU utilisation (user+sys over wall, median run): $util (2.00 = both cores busy all along)"
goal "$(ge "$util" 1.5)" "report on two traces keeps both cores busy (utilisation >= 1.5)" "$util"
goal "$(ge "$rate" 1600)" "report on two traces >= 1.6 GB/s of input on 2 cores" "$rate MB/s"

echo
echo "== memory: bytes per event retained by report (two big traces)"
n_all=$((ref_n + $(events "$cand")))
# on the .zst pair: nothing is mapped or buffered whole, so peak RSS less
# that of a tiny .zst pair (the program, its buffers) is what the events keep
WEDGE_MEMSTATS=1 "$B/bench-time" "$T/mem" "$W" report "$zr" "$zc" >/dev/null 2>"$T/mem.err"
head -n 2001 "$ref" | zstd -q > "$T/tiny-ref.zst"
head -n 2001 "$cand" | zstd -q > "$T/tiny-cand.zst"
"$B/bench-time" "$T/mem0" "$W" report "$T/tiny-ref.zst" "$T/tiny-cand.zst" >/dev/null 2>&1
# the figure wedge prints under WEDGE_MEMSTATS=1: a number before "bytes/event" or "B/event"
bpe=$(grep -Eo '[0-9]+(\.[0-9]+)? *(bytes|B)/event' "$T/mem.err" | awk '$1 + 0 > m { m = $1 + 0 } END { if (NR) print m }')
rss=$(awk '{ print $4 }' "$T/mem")
rss0=$(awk '{ print $4 }' "$T/mem0")
if [ -n "$bpe" ]; then
    grep -E '(bytes|B)/event' "$T/mem.err" | sed 's/^/  /'
    how="arena bytes/event from WEDGE_MEMSTATS=1"
else
    bpe=$(calc %.1f "($rss - $rss0) * 1024 / $n_all")
    how="WEDGE_MEMSTATS printed nothing: peak RSS $((rss / 1024)) MiB on the .zst pair less $((rss0 / 1024)) MiB on a 2,000-event pair, over $n_all events"
fi
echo "  $bpe bytes/event ($how)"
goal "$(ge 40 "$bpe")" "<= 40 bytes/event retained" "$bpe B/event"
# stats on .zst reads through a decompressor (nothing mapped), so its peak
# RSS is what it retains: a small trace and a big one must cost alike
zsmall=$T/small.jsonl.zst
zstd -q "$hc" -o "$zsmall"
rounds stats-small "$W stats $zsmall" stats-big "$W stats $zr"
small_kb=$(pick stats-small rss min)
big_kb=$(pick stats-big rss min)
echo "  stats peak RSS: $((small_kb / 1024)) MiB on $(events "$hc") events, $((big_kb / 1024)) MiB on $ref_n events (.zst input)"
goal "$(ge "$((2 * small_kb + 8192))" "$big_kb")" "stats streams in bounded memory (big <= 2 x small + 8 MiB)" \
    "$((small_kb / 1024)) MiB vs $((big_kb / 1024)) MiB"

echo
echo "== the trace writer's cost per event (bench/bench_writer.c)"
"$B/bench-writer" "${WEDGE_BENCH_WRITER_EVENTS:-2000000}" "$T" | sed 's/^/  /'

shapes=0
echo
if [ -f "$HERE/shapes.sh" ]; then
    echo "== the six input shapes (bench/shapes.sh)"
    sh "$HERE/shapes.sh" "$B" || shapes=$?
    goal "$([ "$shapes" = 0 ] && echo 1 || echo 0)" "the six input shapes: none past 10 x its recorded figure" \
        "bench/shapes.sh exit $shapes"
else
    echo "== the six input shapes: bench/shapes.sh is missing, not measured"
    echo "the six input shapes ... NOT MEASURED (bench/shapes.sh missing)" >> "$T/goals"
fi

echo
echo "== goals of issue 15 ($SIZE per trace; load average now $(cut -d ' ' -f 1-3 /proc/loadavg))"
sed 's/^/  /' "$T/goals"
if [ "$shapes" != 0 ]; then
    echo "bench: bench/shapes.sh reports a regression (exit $shapes)" >&2
    exit 1
fi
