#!/bin/sh
# make bench's inputs: inputs.sh BUILD SIZE DIR writes, once, into DIR:
#   healthy/ref.jsonl, cand.jsonl    wedge simulate healthy, about SIZE each
#   healthy/ref.jsonl.gz, .zst       the reference compressed; cand.jsonl.zst
#   hang/ref.jsonl, cand.jsonl       wedge simulate investigation: a reference
#                                    of about SIZE, a candidate that hangs
#                                    early (small)
#   kv/ref.log, log/ref.log          the same run's reference as xenia-kv
#                                    (producers only) and xenia-log lines
# SIZE is bytes with a K, M or G suffix (decimal).  The event count is
# SIZE over the bytes per event of a 20,000-event run.  DIR/stamp names
# the size, count and wedge version; a matching stamp means the inputs are
# reused (delete DIR to regenerate).
set -eu
B=$1 SIZE=$2 DIR=$3
W="$B/wedge"
bytes=$(echo "$SIZE" | awk '/^[0-9]+[KMG]?$/ {
    n = $0 + 0; u = substr($0, length($0));
    if (u == "K") n *= 1e3; else if (u == "M") n *= 1e6; else if (u == "G") n *= 1e9;
    printf "%d\n", n; exit }')
if [ -z "$bytes" ]; then
    echo "bench: BENCH_SIZE=$SIZE: expected a number of bytes, e.g. 100M or 1G" >&2
    exit 64
fi
stamp="size=$SIZE $("$W" --version)"
if [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$stamp" ]; then
    echo "inputs: reused from $DIR ($(cat "$DIR/events") events per reference)"
    exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR"
"$W" simulate healthy --events 20000 -o "$DIR/probe" -q
per=$(wc -lc < "$DIR/probe/ref.jsonl" | awk '{ printf "%.1f", $2 / $1 }')
n=$(awk -v b="$bytes" -v p="$per" 'BEGIN { printf "%d", b / p }')
rm -rf "$DIR/probe"
echo "inputs: $per bytes per event in a 20,000-event run, so $n events for $SIZE; generating into $DIR"
"$W" simulate healthy --events "$n" -o "$DIR/healthy" -q
"$W" simulate investigation --events "$n" -o "$DIR/hang" -q
"$W" simulate healthy --ref-format xenia-kv --events "$n" -o "$DIR/kv" -q
"$W" simulate healthy --ref-format xenia-log --events "$n" -o "$DIR/log" -q
rm -f "$DIR/kv/cand.jsonl" "$DIR/log/cand.jsonl"
# pigz writes the same gzip format as gzip, faster (gzip -dc reads it)
if command -v pigz >/dev/null 2>&1; then gz=pigz; else gz=gzip; fi
$gz -c "$DIR/healthy/ref.jsonl" > "$DIR/healthy/ref.jsonl.gz"
zstd -q -T0 "$DIR/healthy/ref.jsonl" -o "$DIR/healthy/ref.jsonl.zst"
zstd -q -T0 "$DIR/healthy/cand.jsonl" -o "$DIR/healthy/cand.jsonl.zst"
echo "$n" > "$DIR/events"
echo "$stamp" > "$DIR/stamp"
