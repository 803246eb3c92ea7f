#!/bin/sh
# make bench: reading speed against a baseline measured in the same run
# (mmap + memchr over the same file), then the whole pipeline on a
# simulated pair: wedge simulate, and wedge report against `wc -l` of the
# same two files as its baseline.  The trace writer's cost per event, 1 and
# 2 threads, against fprintf() of the same line (bench/bench_writer.c).
set -eu
B=${1:-build}
N=${WEDGE_BENCH_EVENTS:-2000000}
T=$(mktemp -d /tmp/wedge-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
echo "== reading ($N events per trace)"
"$B/bench-read" "$N"
echo "== trace writer (per event, in the emitting threads)"
"$B/bench-writer" "${WEDGE_BENCH_WRITER_EVENTS:-2000000}" "$T"
echo "== diff (Myers)"
"$B/bench-diff" 1000000
echo "== pipeline"
t0=$(now)
"$B/wedge" simulate healthy -o "$T/sim" --events "$N" -q
t1=$(now)
wc -l "$T/sim/ref.jsonl" "$T/sim/cand.jsonl" >/dev/null
t2=$(now)
"$B/wedge" report "$T/sim/ref.jsonl" "$T/sim/cand.jsonl" --json "$T/r.json" >/dev/null
t3=$(now)
mb=$(du -m "$T/sim/ref.jsonl" "$T/sim/cand.jsonl" | awk '{s += $1} END {print s}')
sim=$(secs "$t0" "$t1")
base=$(secs "$t1" "$t2")
rep=$(secs "$t2" "$t3")
awk -v n="$N" -v s="$sim" 'BEGIN { printf "simulate %d events per engine: %.2f s (%.1f M events/s)\n", n, s, 2 * n / s / 1e6 }'
awk -v mb="$mb" -v r="$rep" -v b="$base" 'BEGIN { printf "report on %d MB: %.2f s | baseline wc -l %.2f s | ratio %.1fx baseline\n", mb, r, b, r / b }'
