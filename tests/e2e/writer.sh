#!/bin/sh
# The trace writer end to end (docs/writer.md): the example engine
# (examples/engine/) traces itself, and wedge reads every trace it leaves
# with no malformed line: run to its end, wedged and killed by SIGTERM
# (trace.end written by the signal handler), killed by SIGKILL mid-run
# (whatever the flusher wrote, at most ~100 ms lost), plain and zstd.
#   sh tests/e2e/writer.sh BUILD_DIR
SUITE=writer
. "$(dirname "$0")/lib.sh"
E="$(cd "$(dirname "$0")/../.." && pwd)/$BUILD/example-engine"
cd "$T" || exit 1

# stats NAME FILE: wedge stats --json into NAME.json; it must exit 0
stats() {
    "$W" stats "$2" --json >"$1.json" 2>"$1.err"
    eq "$1: wedge stats exit" $? 0
}
j() { jq -r "$2" "$1.json"; }
# plain NAME FILE: the trace as text (zstd -dc reads plain files too)
plain() { zstd -dcf "$2" >"$1.txt" 2>/dev/null || cp "$2" "$1.txt"; }
# per_tid NAME: "tid count" lines of the events in NAME.txt
per_tid() { jq -r 'select(.tid != null) | .tid' "$1.txt" | sort -n | uniq -c | awk '{print $2 ": " $1}'; }
# engine_counts OUT: the engine's own count of each thread's events
engine_counts() { sed -n 's/^tid \([0-9]*\): \([0-9]*\) events$/\1: \2/p' "$1"; }

# --- run to the end: every event of all four threads, trace.end last
for z in plain zstd; do
    n=run-$z
    opt=; [ $z = zstd ] && opt=--zstd
    "$E" -o "$n.trace" $opt --iterations 500 >"$n.out" 2>"$n.err"
    eq "$n: engine exit" $? 0
    stats "$n" "$n.trace"
    eq "$n: compression" "$(j "$n" .compression)" "$([ $z = zstd ] && echo zstd || echo none)"
    eq "$n: malformed" "$(j "$n" .malformed)" 0
    eq "$n: truncated" "$(j "$n" .truncated)" false
    eq "$n: threads" "$(j "$n" .threads)" 4
    # 1 creates 3, releases and waits 3 each per iteration, then 3 releases
    # and a multi-object wait; each worker waits and sets per iteration,
    # waits once more and exits
    eq "$n: events" "$(j "$n" .events)" $((3 + 500 * 6 + 4 + 3 * (500 * 2 + 2)))
    plain "$n" "$n.trace"
    eq "$n: each thread's events, as the engine counted them" "$(per_tid "$n")" \
        "$(engine_counts "$n.out")"
    eq "$n: per thread" "$(per_tid "$n" | tr '\n' ' ')" "1: 3007 2: 1002 3: 1002 4: 1002 "
    eq "$n: trace.end is the last line" "$(tail -n 1 "$n.txt" | jq -r .op)" trace.end
    eq "$n: the header" "$(head -n 1 "$n.txt" | jq -c '[.wedge_trace, .engine, (.observes | length)]')" \
        '[1,"example-engine",6]'
done
eq "a zstd trace is compressed" "$([ "$(wc -c <run-zstd.trace)" -lt "$(wc -c <run-plain.trace)" ] && echo yes)" yes

# --- wedged, then SIGTERM: trace.end from the handler, and wedge names the
# lost signal (the last worker's KeSetEvent) as the root
for z in plain zstd; do
    n=hang-$z
    opt=; [ $z = zstd ] && opt=--zstd
    "$E" -o "$n.trace" $opt --iterations 200 --hang >"$n.out" 2>"$n.err" &
    pid=$!
    sleep 1
    kill -TERM $pid
    wait $pid
    eq "$n: died of SIGTERM" $? 143
    stats "$n" "$n.trace"
    eq "$n: malformed" "$(j "$n" .malformed)" 0
    plain "$n" "$n.trace"
    eq "$n: trace.end is the last line" "$(tail -n 1 "$n.txt" | jq -r .op)" trace.end
    # the main thread's last event is its wait on the last worker's event
    eq "$n: the main thread's last event" \
        "$(jq -c 'select(.tid == 1) | [.op, .obj]' "$n.txt" | tail -n 1)" \
        '["KeWaitForSingleObject","0x40002020"]'
    "$W" report run-plain.trace "$n.trace" --json "$n.report.json" >"$n.md" 2>"$n.rerr"
    eq "$n: wedge report exit" $? 0
    eq "$n: the root" "$(jq -r '.root_causes[0] | "\(.kind) \(.op) \(.lr)"' "$n.report.json")" \
        "skipped_producer KeSetEvent 0x82002064"
    contains "$n: the root names the lost KeSetEvent" "$n.md" '`0x82002064` (KeSetEvent)'
done

# --- SIGTERM while every thread emits as fast as it can: the handler
# writes what the rings hold (in a zstd trace as stored blocks, since
# libzstd is not async-signal-safe there), then trace.end
for z in plain zstd; do
    n=busy-$z
    opt=; [ $z = zstd ] && opt=--zstd
    "$E" -o "$n.trace" $opt --iterations 1000000000 >"$n.out" 2>"$n.err" &
    pid=$!
    sleep 0.5
    kill -TERM $pid
    wait $pid
    eq "$n: died of SIGTERM" $? 143
    stats "$n" "$n.trace"
    eq "$n: malformed" "$(j "$n" .malformed)" 0
    eq "$n: truncated" "$(j "$n" .truncated)" false
    eq "$n: threads" "$(j "$n" .threads)" 4
    plain "$n" "$n.trace"
    eq "$n: trace.end is the last line" "$(tail -n 1 "$n.txt" | jq -r .op)" trace.end
    eq "$n: its reason" "$(tail -n 1 "$n.txt" | jq -r .reason)" signal
    if [ $z = zstd ]; then
        zstd -tq "$n.trace" 2>/dev/null
        eq "$n: zstd -t accepts the file" $? 0
    fi
done

# --- a write cut by the kill (rare; made here by cutting a finished
# trace): the cut line is one malformed line, never an event, and the
# lines before it are all read
# (all of trace.end's line and the end of the last event's)
head -c $(($(wc -c <run-plain.trace) - $(tail -n 1 run-plain.trace | wc -c) - 20)) run-plain.trace >cut.jsonl
stats cut cut.jsonl
eq "cut plain: one malformed line" "$(j cut .malformed)" 1
eq "cut plain: the events before it" "$(j cut .events)" $(($(j run-plain .events) - 1))
head -c $(($(wc -c <run-zstd.trace) - 7)) run-zstd.trace >cut.zst
stats cutz cut.zst
eq "cut zstd: flagged truncated" "$(j cutz .truncated)" true
eq "cut zstd: at most the cut line malformed" "$([ "$(j cutz .malformed)" -le 1 ] && echo ok)" ok

# --- SIGKILL mid-run: no trace.end (nothing can write it), every line the
# flusher wrote is whole, and at most ~100 ms is lost: with a 256 KiB ring
# per thread and under 200 KB/s of events per thread, no ring fills within
# 600 ms, so only the flusher writes: a span of at least 350 ms (of events
# from the first to the kill) shows its 100 ms interval worked
for z in plain zstd; do
    n=kill-$z
    opt=; [ $z = zstd ] && opt=--zstd
    "$E" -o "$n.trace" $opt --iterations 1000000000 --delay-us 3000 --kill-after 600 \
        >"$n.out" 2>"$n.err"
    eq "$n: died of SIGKILL" $? 137
    stats "$n" "$n.trace"
    # a kill can cut a write(2) in the kernel only while it copies; then
    # the last line would be a partial one: counted, never an event
    mal=$(j "$n" .malformed)
    eq "$n: malformed (0, or the one cut last line)" "$([ "$mal" = 0 ] || [ "$mal" = 1 ] && echo ok)" ok
    [ "$mal" = 1 ] && echo "note: $n: the kill cut the last line ($(j "$n" '.malformed_lines[0]'))"
    eq "$n: threads" "$(j "$n" .threads)" 4
    plain "$n" "$n.trace"
    eq "$n: no trace.end" "$(grep -c trace.end "$n.txt")" 0
    span_ms=$(j "$n" '(.span // 0) / 1000000 | floor')
    eq "$n: at least 350 ms of the 600 ms run (span $span_ms ms)" \
        "$([ "$span_ms" -ge 350 ] && echo yes)" yes
done

# --- a trace that cannot be created: the engine says so
"$E" -o "$T/no/such/dir/t.jsonl" >nodir.out 2>nodir.err
eq "unwritable: engine exit" $? 73
contains "unwritable: the error names the file" nodir.err "$T/no/such/dir/t.jsonl"
finish
