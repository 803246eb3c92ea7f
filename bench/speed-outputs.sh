#!/bin/sh
# Writes every simulator scenario's -o outputs (and stats) with the wedge
# given, into OUT/NAME/, so two builds' outputs can be compared with
# diff -r: the parser's speed work must not change a byte.
# Usage: bench/speed-outputs.sh WEDGE OUT
set -e
W=$1
OUT=$2
IN=${SPEED_IN:-/tmp/speed-outputs-in}
mkdir -p "$OUT"
for s in $($W simulate --list | awk '/^[a-z]/ {print $1}'); do
    for f in jsonl xenia-kv xenia-debug; do
        d=$IN/$s-$f
        [ -d "$d" ] || $W simulate "$s" --seconds 3 --ref-format $f -o "$d" -q
        ref=$(ls "$d"/ref.* | head -1)
        mkdir -p "$OUT/$s-$f"
        $W report "$ref" "$d/cand.jsonl" -o "$OUT/$s-$f" >/dev/null 2>&1 || echo "rc=$?" >"$OUT/$s-$f/rc"
        $W stats "$ref" >"$OUT/$s-$f/stats.txt" 2>&1 || true
        $W stats --json "$d/cand.jsonl" >"$OUT/$s-$f/stats.json" 2>&1 || true
    done
done
