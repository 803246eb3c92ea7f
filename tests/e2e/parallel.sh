#!/bin/sh
# wedge report reads its two traces at once (src/formats/load.c): the
# second interns into a copy of the op table, then its new op ids and
# sites are mapped back.  Every output must equal a one-thread read's,
# byte for byte (WEDGE_THREADS=1), and errors must name the same file.
SUITE=parallel
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")/data" && pwd)"

# Graphviz draws waitgraph.svg in tests/graph; here each -o would spawn
# dot for a third of the suite's time, and both ways get the same note
export WEDGE_DOT=/nonexistent
# same NAME REF CAND [OPTIONS]: -o, --json and stdout of both ways agree
same() {
    name=$1 ref=$2 cand=$3
    shift 3
    for n in 1 2; do
        rm -rf "$T/o$n"
        WEDGE_THREADS=$n "$W" report "$ref" "$cand" -o "$T/o$n" --json "$T/o$n.json" "$@" \
            >"$T/o$n.out" 2>"$T/o$n.err"
        echo $? >"$T/o$n.rc"
        for f in json out err rc; do mv "$T/o$n.$f" "$T/o$n/_$f" 2>/dev/null; done
    done
    if [ -s "$T/o1/report.md" ] && diff -r "$T/o1" "$T/o2" >"$T/diff"; then ok
    else bad "$name: one thread and two differ"; head -20 "$T/diff" >&2; fi
}

# ops and sites each trace alone names, some both name, in different
# orders: module sites, wide addresses, wide object lists
{
    echo '{"t":1,"tid":1,"op":"RefOnlyA","lr":"libr.so+0x10","obj":"0x7ffd00000010"}'
    echo '{"t":2,"tid":1,"op":"SharedB","lr":"libs.so+0x20","obj":"0x10"}'
    echo '{"t":3,"tid":2,"op":"KeSetEvent","lr":"0x7ffd00000100","obj":"0x7ffd00000010"}'
    echo '{"t":4,"tid":2,"op":"KeWaitForSingleObject","lr":"prog+0x1000","obj":"0x7ffd00000010"}'
    echo '{"t":5,"tid":2,"op":"KeWaitForMultipleObjects","lr":"prog+0x1010","objs":["0x7ffd00000010","libs.so+0x99"],"wait_all":false}'
} >"$T/ref.jsonl"
{
    echo '{"t":1,"tid":1,"op":"CandOnlyC","lr":"libc2.so+0x30","obj":"0x7ffd00000020"}'
    echo '{"t":2,"tid":1,"op":"SharedB","lr":"libs.so+0x20","obj":"0x10"}'
    echo '{"t":3,"tid":1,"op":"CandOnlyD","lr":"libs.so+0x21","obj":"0x7ffd00000010"}'
    echo '{"t":4,"tid":2,"op":"KeSetEvent","lr":"0x7ffd00000100","obj":"0x7ffd00000010"}'
    echo '{"t":5,"tid":2,"op":"KeWaitForMultipleObjects","lr":"prog+0x1010","objs":["0x7ffd00000020","libr.so+0x10"],"wait_all":true,"frames":["libc2.so+0x31","0x7ffd00000101"]}'
    echo '{"t":6,"tid":3,"op":"RefOnlyA","lr":"libr.so+0x10","obj":"0x7ffd00000010"}'
} >"$T/cand.jsonl"
same "sites and new ops" "$T/ref.jsonl" "$T/cand.jsonl"
same "sites and new ops, swapped" "$T/cand.jsonl" "$T/ref.jsonl"
same "the test data" "$D/ref.jsonl" "$D/cand.jsonl"
same "a xenia reference" "$D/ref-debug.log" "$D/cand.jsonl"
for s in two-faults investigation; do
    "$W" simulate $s --seconds 1 -o "$T/$s" -q
    same "$s" "$T/$s/ref.jsonl" "$T/$s/cand.jsonl"
done
"$W" simulate lost-set --seconds 1 --ref-format xenia-kv -o "$T/kv" -q
same "xenia-kv" "$T/kv/ref.log" "$T/kv/cand.jsonl"

# A reference of 65536 events or more and over twice the candidate: its
# object table is built in two halves, one per core, and merged
# (diag_map.c objtab_merge()).  Object 0x200 is the second created at
# 0x82000100, in the second half: its ordinal counts on from the first
# half's, so it pairs with cand's second (creation_site); counted from 1 it
# would clash with 0x100 and pair another way.
{
    echo '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x82000100","obj":"0x100"}'
    awk 'BEGIN { for (i = 0; i < 70000; i++)
        printf "{\"t\":%d,\"tid\":1,\"op\":\"KeQueryPerformanceCounter\",\"lr\":\"0x82000120\"}\n", 2 + i }'
    echo '{"t":80000,"tid":1,"op":"NtCreateEvent","lr":"0x82000100","obj":"0x200"}'
    echo '{"t":80001,"tid":2,"op":"KeSetEvent","lr":"0x82000140","obj":"0x200"}'
    echo '{"t":80002,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82000160","obj":"0x200"}'
    echo '{"t":80003,"tid":1,"op":"KeQueryPerformanceCounter","lr":"0x82000120"}'
} >"$T/bigref.jsonl"
{
    echo '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x82000100","obj":"0x500"}'
    echo '{"t":2,"tid":1,"op":"KeQueryPerformanceCounter","lr":"0x82000120"}'
    echo '{"t":3,"tid":1,"op":"NtCreateEvent","lr":"0x82000100","obj":"0x600"}'
    echo '{"t":90000,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82000160","obj":"0x600"}'
} >"$T/smallcand.jsonl"
same "a big reference's object table in two halves" "$T/bigref.jsonl" "$T/smallcand.jsonl"
if grep -q '"cand": *"0x00000600", *"ref": *"0x00000200", *"how": *"creation_site"' "$T/o2/_json"
then ok; else bad "the second half's creation is not paired by its site and ordinal"; fi
# The same address created again in the second half (a handle or an
# object's memory reused): one pass counts only an object's first creation
# at its site, so 0x200 is still the second at 0x82000100; the second
# half's table, not knowing 0x100 was created before, counts 0x100's
# re-creation and makes 0x200 the third (objtab_merge()).
awk '/"t":80000,/ { print "{\"t\":79999,\"tid\":1,\"op\":\"NtCreateEvent\",\"lr\":\"0x82000100\",\"obj\":\"0x100\"}" }
    { print }' "$T/bigref.jsonl" >"$T/bigref2.jsonl"
same "a big reference's object created again in its second half" "$T/bigref2.jsonl" "$T/smallcand.jsonl"
if grep -q '"cand": *"0x00000600", *"ref": *"0x00000200", *"how": *"creation_site"' "$T/o2/_json"
then ok; else bad "a re-creation in the second half shifts the ordinals after it"; fi

# errors: the first trace's when both fail, as when read in turn
printf '{"t":1}\n' >"$T/bad.jsonl"
for n in 1 2; do
    WEDGE_THREADS=$n "$W" report "$T/missing.jsonl" "$T/bad.jsonl" --strict >/dev/null 2>"$T/e$n"
    echo $? >>"$T/e$n"
    WEDGE_THREADS=$n "$W" report "$T/ref.jsonl" "$T/bad.jsonl" --strict >/dev/null 2>>"$T/e$n"
    echo $? >>"$T/e$n"
done
if cmp -s "$T/e1" "$T/e2" && grep -q missing.jsonl "$T/e1" && grep -q bad.jsonl "$T/e1"; then ok
else bad "errors differ: $(cat "$T/e1") / $(cat "$T/e2")"; fi

# One trace in two chunks (load.c): a plain file split at the newline
# after its middle, the second half read on a thread.  WEDGE_CHUNK_MIN=1
# splits even a tiny file; WEDGE_THREADS=1 reads it whole.
# chunked NAME FILE [CAND [BOTH]]: stats --json (also folding every 2
# events, and --strict) and, with CAND, report FILE CAND (the larger
# first: it is split) and with BOTH also CAND FILE agree
chunked() {
    name=$1 f=$2 cand=${3:-} both=${4:-}
    for n in 1 2; do
        if [ $n = 1 ]; then set -- env WEDGE_THREADS=1; else set -- env WEDGE_CHUNK_MIN=${CHUNK:-1}; fi
        rm -rf "$T/c$n" && mkdir -p "$T/c$n"
        "$@" "$W" stats --json "$f" >"$T/c$n/json" 2>&1; echo $? >>"$T/c$n/json"
        "$@" WEDGE_STATS_FOLD=2 "$W" stats --json "$f" >"$T/c$n/fold" 2>&1; echo $? >>"$T/c$n/fold"
        "$@" "$W" stats --strict "$f" >"$T/c$n/strict" 2>&1; echo $? >>"$T/c$n/strict"
        if [ -n "$cand" ]; then
            "$@" "$W" report "$f" "$cand" -o "$T/c$n/a" --json "$T/c$n/a.json" >"$T/c$n/a.out" 2>&1
        fi
        if [ -n "$both" ]; then
            "$@" "$W" report "$cand" "$f" -o "$T/c$n/b" --json "$T/c$n/b.json" >"$T/c$n/b.out" 2>&1
        fi
    done
    if diff -r "$T/c1" "$T/c2" >"$T/diff"; then ok
    else bad "$name: whole and in two chunks differ"; head -20 "$T/diff" >&2; fi
}
# was_chunked FILE [YES]: whether FILE is read in two chunks (1) or not
was_chunked() {
    got=0
    WEDGE_CHUNK_MIN=1 WEDGE_MEMSTATS=1 "$W" stats "$1" 2>&1 >/dev/null |
        grep -q "in 2 chunks" && got=1
    if [ "$got" = "$2" ]; then ok; else bad "$1: read in two chunks: $got, wanted $2"; fi
}

# header on line 1, a header-looking line later, CRLF and blank lines,
# malformed lines on both sides (more than the 8 samples kept), events
# after trace.end, in the second chunk
{
    printf '{"wedge_trace":1,"engine":"e1","title_id":"T1","observes":["sync","thread"]}\r\n'
    for i in 1 2 3 4 5 6; do
        printf '{"t":%d,"tid":1,"op":"KeSetEvent","lr":"prog+0x%d","obj":"0x10"}\n' $i $i
        printf '{"t":%d,"tid":1,"op":"KeSetEvent"\n\n' $i
    done
    printf '{"t":7,"tid":2,"op":"ChunkOneOnly","obj":"0x7ffd00000010"}\r\n'
    for i in 8 9 10 11 12 13 14; do
        printf '{"t":%d,"tid":2,"op":"KeWaitForSingleObject","lr":"libx.so+0x%d","obj":"0x10"}\n' $i $i
        printf '{"t":%d,"tid":2,"op":\n' $i
    done
    printf '{"wedge_trace":1,"engine":"e2"}\n'
    printf '{"t":15,"tid":3,"op":"ChunkTwoOnly","objs":["0x7ffd00000020","libx.so+0x1"]}\n'
    printf '{"t":16,"op":"trace.end","reason":"exit"}\n'
    printf '{"t":17,"tid":3,"op":"KeSetEvent","obj":"0x10"}\n'
    printf '{"tid":3,"op":"KeSetEvent","obj":"0x11"}'   # untimed, no final newline
} >"$T/mixed.jsonl"
printf '{"t":1,"tid":1,"op":"KeSetEvent","obj":"0x10"}\n' >"$T/tiny.jsonl"
was_chunked "$T/mixed.jsonl" 1
chunked "a mixed trace" "$T/mixed.jsonl" "$T/tiny.jsonl" both
# --strict names the first malformed line of the second chunk by its line
# in the file
{
    printf '{"t":1,"tid":1,"op":"A"}\n{"t":2,"tid":1,"op":"B"}\n\n{"t":3,"tid":1,"op":"C"}\n'
    printf '{"t":4,"tid":1,"op":"D"}\n{"t":5,"tid":1,"op":"E"}\n{"t":6,"tid":1}\n{"t":7}\n'
} >"$T/late.jsonl"
was_chunked "$T/late.jsonl" 1
WEDGE_CHUNK_MIN=1 "$W" stats --strict "$T/late.jsonl" >/dev/null 2>"$T/late.err"
if grep -q "late.jsonl:7:" "$T/late.err"; then ok
else bad "strict error in the second chunk: $(cat "$T/late.err")"; fi
chunked "a malformed line late" "$T/late.jsonl"
# a line longer than the longest kept (1 MiB) across the middle
{
    printf '{"t":1,"tid":1,"op":"A"}\n{"t":2,"tid":1,"op":"B","x":"'
    head -c 1500000 /dev/zero | tr '\0' a
    printf '"}\n{"t":3,"tid":1,"op":"C"}\n{"t":4,"tid":1,"op":"D"}\n'
} >"$T/long.jsonl"
was_chunked "$T/long.jsonl" 1
chunked "a too-long line at the split" "$T/long.jsonl" "$T/tiny.jsonl"
# tiny files: one line (nothing to split), two lines, no final newline
was_chunked "$T/tiny.jsonl" 0
printf '{"t":1,"tid":1,"op":"A"}\n{"t":2,"tid":2,"op":"B"}' >"$T/two.jsonl"
was_chunked "$T/two.jsonl" 1
chunked "two lines, no final newline" "$T/two.jsonl"
# a simulated trace, and a xenia log (state across lines: read whole)
chunked "a simulated trace" "$T/investigation/ref.jsonl" "$T/tiny.jsonl"
was_chunked "$T/kv/ref.log" 0

# Compressed input and stdin (reader.c): after the sample, runs of whole
# lines of WEDGE_CHUNK_MIN bytes (default 4 MiB), two at once, the second
# on a thread.  Small segments put the boundaries everywhere: a segment
# of one line, lines longer than a segment (read one by one), a malformed
# line or the header or trace.end in a later segment.
# was_segmented FILE YES [CHUNK]: whether FILE is read in segments
was_segmented() {
    got=0
    WEDGE_CHUNK_MIN=${3:-100} WEDGE_MEMSTATS=1 "$W" stats "$1" 2>&1 >/dev/null |
        grep -q "segments, two at once" && got=1
    if [ "$got" = "$2" ]; then ok; else bad "$1: read in segments: $got, wanted $2"; fi
}
for f in mixed late long two tiny; do
    zstd -q -c "$T/$f.jsonl" >"$T/$f.jsonl.zst"
    gzip -c "$T/$f.jsonl" >"$T/$f.jsonl.gz"
done
zstd -q -c "$T/investigation/ref.jsonl" >"$T/sim.jsonl.zst"
gzip -c "$T/investigation/ref.jsonl" >"$T/sim.jsonl.gz"
was_segmented "$T/mixed.jsonl.zst" 1
was_segmented "$T/mixed.jsonl.gz" 1
was_segmented "$T/sim.jsonl.zst" 1 1000
was_segmented "$T/tiny.jsonl.zst" 0
was_segmented "$T/kv/ref.log" 0
for z in zst gz; do
    for c in 25 60 120 250; do
        CHUNK=$c chunked "a mixed trace, $z, segments of $c" "$T/mixed.jsonl.$z" "$T/tiny.jsonl" both
    done
    CHUNK=100 chunked "a malformed line late, $z, segments of 100" "$T/late.jsonl.$z"
done
for z in zst gz; do
    WEDGE_CHUNK_MIN=100 "$W" stats --strict "$T/late.jsonl.$z" >/dev/null 2>"$T/late.err"
    if grep -q "late.jsonl.$z:7:" "$T/late.err"; then ok
    else bad "strict error in a later segment ($z): $(cat "$T/late.err")"; fi
    # segments go to whichever thread is free, so the error's segment is
    # parsed here or on the worker, into the trace or into a part merged
    # later: the first malformed line in line order whatever the schedule
    for c in 30 60 100 30 60 100; do
        WEDGE_CHUNK_MIN=$c "$W" stats --strict "$T/late.jsonl.$z" >/dev/null 2>"$T/late.err"
        if grep -q "late.jsonl.$z:7:" "$T/late.err"; then ok
        else bad "strict error, segments of $c ($z): $(cat "$T/late.err")"; fi
    done
    CHUNK=0 chunked "a too-long line inside a segment, $z" "$T/long.jsonl.$z" "$T/tiny.jsonl"
    CHUNK=100 chunked "a too-long line longer than a segment, $z" "$T/long.jsonl.$z"
    CHUNK=1 chunked "two lines, no final newline, $z" "$T/two.jsonl.$z"
    CHUNK=1000 chunked "a simulated trace, $z" "$T/sim.jsonl.$z" "$T/tiny.jsonl"
    CHUNK=100 chunked "one line, $z" "$T/tiny.jsonl.$z"
done
# --line-format lines ending in CRLF: the '\r' is no part of the last field
i=0
while [ $i -lt 40 ]; do printf '%d KeSetEvent\r\n' $i; i=$((i + 1)); done | gzip -c >"$T/crlf.log.gz"
for n in 1 2; do
    if [ $n = 1 ]; then set -- env WEDGE_THREADS=1; else set -- env WEDGE_CHUNK_MIN=40; fi
    "$@" "$W" stats --json "$T/crlf.log.gz" --line-format '{tid:dec} {op:word}' >"$T/crlf$n" 2>&1
done
if cmp -s "$T/crlf1" "$T/crlf2" && grep -q '"events": 40' "$T/crlf1"; then ok
else bad "CRLF template lines in segments: $(diff "$T/crlf1" "$T/crlf2" | head -5)"; fi
# a stream cut short (its last line is malformed, "truncated"), and one
# corrupt in the middle: the lines before it, then the error
head -c $(( $(wc -c <"$T/sim.jsonl.zst") * 2 / 3 )) "$T/sim.jsonl.zst" >"$T/cut.jsonl.zst"
head -c $(( $(wc -c <"$T/sim.jsonl.gz") * 2 / 3 )) "$T/sim.jsonl.gz" >"$T/cut.jsonl.gz"
was_segmented "$T/cut.jsonl.zst" 1 1000
CHUNK=1000 chunked "a zstd stream cut short" "$T/cut.jsonl.zst"
CHUNK=1000 chunked "a gzip stream cut short" "$T/cut.jsonl.gz"
{ head -c 30000 "$T/sim.jsonl.gz"; head -c 20000 /dev/zero | tr '\0' x; } >"$T/corrupt.jsonl.gz"
CHUNK=1000 chunked "a gzip stream corrupt in the middle" "$T/corrupt.jsonl.gz"
# stdin, plain and compressed
for f in "$T/mixed.jsonl" "$T/sim.jsonl.zst"; do
    for n in 1 2; do
        if [ $n = 1 ]; then set -- env WEDGE_THREADS=1; else set -- env WEDGE_CHUNK_MIN=100; fi
        "$@" "$W" stats --json - <"$f" >"$T/in$n" 2>&1; echo $? >>"$T/in$n"
        "$@" WEDGE_STATS_FOLD=2 "$W" stats --json - <"$f" >>"$T/in$n" 2>&1; echo $? >>"$T/in$n"
    done
    if cmp -s "$T/in1" "$T/in2"; then ok; else bad "stdin $f: one thread and segments differ"; fi
done
got=0
WEDGE_CHUNK_MIN=100 WEDGE_MEMSTATS=1 "$W" stats - <"$T/mixed.jsonl" 2>&1 >/dev/null |
    grep -q "segments, two at once" && got=1
if [ $got = 1 ]; then ok; else bad "stdin is not read in segments"; fi
# a pipe whose writer pauses (an engine that hangs) is read as it comes:
# --strict stops at the bad line while the writer still sleeps, not when
# a segment fills or the writer ends
mkfifo "$T/fifo"
{ head -n 300 "$T/investigation/ref.jsonl"; printf '{"t":\n'; sleep 20; touch "$T/writer-done"; } \
    >"$T/fifo" &
writer=$!
WEDGE_CHUNK_MIN=1000 "$W" stats --strict - <"$T/fifo" >/dev/null 2>"$T/fifo.err"
rc=$?
if [ -e "$T/writer-done" ]; then bad "a paused pipe: the bad line was seen only at the writer's end"
elif [ $rc = 65 ] && grep -q ":301:" "$T/fifo.err"; then ok
else bad "a paused pipe: exit $rc, $(cat "$T/fifo.err")"; fi
pkill -P $writer sleep 2>/dev/null
kill $writer 2>/dev/null
wait $writer 2>/dev/null
# The analysis on two threads (src/analysis/par.c): each trace's thread
# table, signatures and object table, and the boot delta beside the
# critical path.  Shapes with many threads, objects and roots, and `wedge
# diff`, give the same bytes as one thread.
python3 "$(dirname "$0")/../../bench/gen_shapes.py" "$T/shapes" 100 ||
    bad "gen_shapes.py for the inputs"
for n in 1 2 3 4 5 6; do
    same "shape $n" "$T/shapes/$n.ref" "$T/shapes/$n.cand"
done
for n in 1 2; do
    WEDGE_THREADS=$n "$W" diff "$T/two-faults/ref.jsonl" "$T/two-faults/cand.jsonl" --tid 6 \
        --all >"$T/d$n" 2>&1
    echo $? >>"$T/d$n"
done
if cmp -s "$T/d1" "$T/d2" && [ "$(wc -l <"$T/d1")" -gt 3 ]; then ok
else bad "wedge diff: one thread and two differ"; fi
# WEDGE_STAGES=1: a line per stage on stderr, stdout as without it
WEDGE_STAGES=1 "$W" report "$T/investigation/ref.jsonl" "$T/investigation/cand.jsonl" \
    >"$T/st.out" 2>"$T/st.err"
"$W" report "$T/investigation/ref.jsonl" "$T/investigation/cand.jsonl" >"$T/st0.out" 2>/dev/null
for st in read analysis keys divergence diagnosis verdict boot_delta critpath threads \
    thread_map states object_map roots ladders outputs; do
    if grep -Eq "^wedge: stage $st +[0-9]+\.[0-9] ms\$" "$T/st.err"; then ok
    else bad "WEDGE_STAGES=1: no line for $st: $(head -3 "$T/st.err")"; fi
done
if cmp -s "$T/st.out" "$T/st0.out"; then ok; else bad "WEDGE_STAGES=1 changed stdout"; fi

finish
