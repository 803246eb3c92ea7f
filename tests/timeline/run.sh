#!/bin/sh
# timeline.json (docs/wedge.md): the Chrome Trace Event format's rules
# (tests/timeline/check.jq) on the demo, on simulator scenarios and on a
# large pair with a window and a size cap; both engines, wake-up flows and
# the first divergence (content.jq); who woke whom on a hand-made pair; and
# the checker failing on hand-made broken files.
#   sh tests/timeline/run.sh BUILD_DIR
SUITE=timeline
. "$(dirname "$0")/../e2e/lib.sh"
D="$(cd "$(dirname "$0")" && pwd)"
# format FILE DESC: the checker finds nothing wrong
format() {
    _f_out=$(jq -r -f "$D/check.jq" "$1" 2>&1)
    eq "$2: format" "$?:$(echo "$_f_out" | head -n 3)" "0:"
}
# content FILE DESC REF CAND: both engines, flows, the divergence marker
content() {
    _c_out=$(jq -r --arg ref "$3" --arg cand "$4" -f "$D/content.jq" "$1" 2>&1)
    eq "$2: content" "$?:$_c_out" "0:"
}

# --- the checker fails on broken files -------------------------------------
for f in "$D"/bad/*.json; do
    n=$(basename "$f" .json)
    out=$(jq -r -f "$D/check.jq" "$f" 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ] || [ -n "$out" ]; then ok; else bad "checker passed broken $n"; fi
done
out=$(jq -r -f "$D/check.jq" "$D/bad/overlap.json")
contains "overlap named" /dev/stdin "slice overlaps" <<EOF2
$out
EOF2
out=$(jq -r -f "$D/check.jq" "$D/bad/flow-no-end.json")
eq "only the unmatched flow" "$out" "flow id 7 (cat flow): 1 start(s), 0 end(s)"

# --- the demo writes it ------------------------------------------------------
"$W" demo >"$T/demo.out" 2>"$T/demo.err"
eq "demo: exit" $? 0
dd=$(sed -n '1s/.* into \(.*\)$/\1/p' "$T/demo.out")
if [ -f "$dd/report/timeline.json" ]; then
    ok
    format "$dd/report/timeline.json" demo
    content "$dd/report/timeline.json" demo reference candidate
    # a root annotation on each thread a root names, with its kind
    eq "demo: roots annotated" "$(jq '[.traceEvents[] | select(.name | startswith("root: "))] | length > 0' "$dd/report/timeline.json")" true
    eq "demo: a multi-object wait lists its objects" "$(jq '[.traceEvents[] | select(.ph == "X" and (.args.objects | length) > 1)] | length > 0' "$dd/report/timeline.json")" true
    eq "demo: a wedged wait" "$(jq '[.traceEvents[] | select(.ph == "X" and .args.wedged)] | length > 0' "$dd/report/timeline.json")" true
    # paired threads sit at the same sort index in both engines
    eq "demo: pairs adjacent" "$(jq -r '[.traceEvents[] | select(.name == "thread_name" and (.args.name | startswith("cache_thread")))] | length' "$dd/report/timeline.json")" 2
else
    bad "demo wrote no timeline.json ($dd)"
fi
case $dd in /tmp/wedge-demo-*) rm -rf "$dd" ;; esac

# --- simulator scenarios ---------------------------------------------------
for s in skipped-producer missing-thread investigation healthy; do
    "$W" simulate "$s" -o "$T/$s" -q --seed 3 || bad "simulate $s"
    "$W" report "$T/$s/ref.jsonl" "$T/$s/cand.jsonl" --symbols "$T/$s/symbols.txt" \
        --timeline "$T/$s.json" >/dev/null 2>"$T/$s.err"
    eq "$s: exit" $? 0
    format "$T/$s.json" "$s"
    case $s in healthy) ;; *) content "$T/$s.json" "$s" ref cand ;; esac
done

# --- a large pair: the window and the size cap ------------------------------
"$W" simulate two-faults --events 60000 -o "$T/big" -q || bad "simulate big"
B="$T/big"
mkdir -p "$B/out"   # timeline.json alone (-o DIR's is the same file: tests/e2e/output.sh)
"$W" report "$B/ref.jsonl" "$B/cand.jsonl" --timeline "$B/out/timeline.json" >/dev/null 2>"$B/err"
eq "big: exit" $? 0
format "$B/out/timeline.json" "big, default window"
content "$B/out/timeline.json" "big, default window" ref cand
contains "big: the window is said" "$B/err" "wedge: timeline: window 0 ns to "
eq "big: left out in otherData" "$(jq '.otherData.left_out_outside_window > 0' "$B/out/timeline.json")" true
"$W" report "$B/ref.jsonl" "$B/cand.jsonl" --timeline "$B/w.json" --timeline-window 1ms:30ms \
    >/dev/null 2>"$B/werr"
format "$B/w.json" "big, --timeline-window"
eq "window: slices inside it" "$(jq '[.traceEvents[] | select(.ph == "X" and (.ts < 1000 or .ts > 30000))] | length' "$B/w.json")" 0
"$W" report "$B/ref.jsonl" "$B/cand.jsonl" --timeline "$B/c.json" --timeline-window 0: \
    --timeline-cap 300000 >/dev/null 2>"$B/cerr"
format "$B/c.json" "big, --timeline-cap"
size=$(wc -c <"$B/c.json")
eq "cap: the file stays under it" "$([ "$size" -le 300000 ] && echo yes)" yes
eq "cap: both engines keep slices" "$(jq '[.traceEvents[] | select(.ph == "X") | .pid] | unique | length' "$B/c.json")" 2
contains "cap: said on stderr" "$B/cerr" "over the 300000-byte size cap"
status "bad --timeline-window" 64 "$W" report "$B/ref.jsonl" "$B/cand.jsonl" --timeline-window 5s:1s
contains "bad window named" "$T/err" "--timeline-window '5s:1s'"

# --- who woke whom -----------------------------------------------------------
# thread 6 waits on 0xF10 at t=4000; 7 sets it at 5000; 6 goes on at 6000:
# 7 woke 6 (a flow 7 -> 6).  7 sets 0xF20 at 10000, before 6 waits on it
# at 11000: that wait has no waker (the latch was already set).  6 waits on
# 0xF30 at 20000 and never wakes: a slice to the end, no waker.
printf '%s\n' '{"t":1000,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}' \
    '{"t":4000,"tid":6,"op":"KeWaitForSingleObject","lr":"0x104","obj":"0xF10"}' \
    '{"t":5000,"tid":7,"op":"KeSetEvent","lr":"0x200","obj":"0xF10"}' \
    '{"t":6000,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x108"}' \
    '{"t":10000,"tid":7,"op":"KeSetEvent","lr":"0x204","obj":"0xF20"}' \
    '{"t":11000,"tid":6,"op":"KeWaitForSingleObject","lr":"0x10C","obj":"0xF20"}' \
    '{"t":12000,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x108"}' \
    '{"t":20000,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF30"}' \
    '{"t":30000,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x208"}' >"$T/wake.ref"
cp "$T/wake.ref" "$T/wake.cand"
"$W" report "$T/wake.ref" "$T/wake.cand" --timeline "$T/wake.json" >/dev/null 2>&1
format "$T/wake.json" wake
eq "wake: woken_by per wait" "$(jq -r '[.traceEvents[] | select(.ph == "X" and .pid == 1) | "\(.ts) \(.dur) \(.args.woken_by_tid) \(.args.woken)"] | join(" | ")' "$T/wake.json")" \
    "3 2 7 true | 10 1 null true | 19 10 null false"
eq "wake: one flow 7 -> 6 per engine" "$(jq -r '[.traceEvents[] | select(.name == "wake") | "\(.ph) \(.pid) \(.tid) \(.ts)"] | join(" | ")' "$T/wake.json")" \
    "s 1 7 4 | f 1 6 4.999 | s 2 7 4 | f 2 6 4.999"
# the content checks fail on arrows out of place
jq '.traceEvents |= ([.[] | select(.ph != "s")] + [.[] | select(.ph == "s")])' "$T/wake.json" >"$T/moved.json"
jq '.traceEvents |= map(if .ph == "f" and .cat == "wake" then .ts += 3 else . end)' "$T/wake.json" >"$T/shifted.json"
content_of() { jq -r --arg ref ref --arg cand cand -f "$D/content.jq" "$1" 2>&1; }
eq "content: an arrow away from its producer" "$(content_of "$T/moved.json" | grep -c 'not right after')" 1
eq "content: an arrow ending outside its wait" "$(content_of "$T/shifted.json" | grep -c 'outside every wait')" 1
finish
