#!/bin/sh
# waitgraph.dot and waitgraph.svg (docs/wedge.md): Graphviz reads the graph
# of the demo, of simulator scenarios and of hand-made pairs (a deadlock
# cycle, an unexplained wedge); check.jq holds each against report.json
# (labelled edges, every wedged thread a node, each root on the thread it
# names, a cycle's threads on a cycle of arrows, the unexplained cluster,
# the legend); -o writes the SVG, and a missing, failing or hanging dot is
# a note, never a failure.  Without Graphviz it says SKIP.
#   sh tests/graph/run.sh BUILD_DIR
SUITE=graph
. "$(dirname "$0")/../e2e/lib.sh"
D="$(cd "$(dirname "$0")" && pwd)"
if ! command -v dot >/dev/null 2>&1; then
    echo "SKIP: graphviz's dot is not installed (scripts/install-deps.sh installs it): waitgraph untested"
    finish
fi

# graph NAME DIR: DIR/waitgraph.dot parses without a warning and passes check.jq
graph() {
    dot -Tsvg "$2/waitgraph.dot" -o "$T/$1.svg" 2>"$T/$1.dot.err"
    eq "$1: graphviz reads it" "$?:$(head -c 300 "$T/$1.dot.err")" "0:"
    dot -Tjson "$2/waitgraph.dot" >"$T/$1.gv.json" 2>/dev/null
    _g_out=$(jq -r --slurpfile rep "$2/report.json" -f "$D/check.jq" "$T/$1.gv.json" 2>&1)
    eq "$1: graph" "$?:$_g_out" "0:"
}
# report_dir NAME REF CAND [OPTIONS]: wedge report -o $T/NAME, then graph
report_dir() {
    _n=$1 _r=$2 _c=$3
    shift 3
    "$W" report "$_r" "$_c" -o "$T/$_n" "$@" >/dev/null 2>"$T/$_n.err"
    eq "$_n: exit" $? 0
    graph "$_n" "$T/$_n"
}

# --- the demo: wedge demo's -o writes the SVG -------------------------------
"$W" demo >"$T/demo.out" 2>"$T/demo.err"
eq "demo: exit" $? 0
dd=$(sed -n '1s/.* into \(.*\)$/\1/p' "$T/demo.out")
if [ -f "$dd/report/waitgraph.svg" ]; then ok; else bad "demo wrote no waitgraph.svg ($dd)"; fi
if [ -f "$dd/report/waitgraph.dot" ]; then
    graph demo "$dd/report"
    dot -Tsvg "$dd/report/waitgraph.dot" | cmp -s - "$dd/report/waitgraph.svg"
    eq "demo: the SVG is dot's drawing of the DOT" $? 0
    # the skipped producer drawn as its thread, the waiter's arrow to it labelled
    contains "demo: the cache thread is the root" "$dd/report/waitgraph.dot" \
        'ROOT 1: skipped_producer (proven)\nwent round its loop without set at cache_thread+0xFC'
    contains "demo: main's arrow to it" "$dd/report/waitgraph.dot" \
        'c1 -> c7 [label="waits on 0x00001018\nfor set at cache_thread+0xFC (NtSetEvent)"'
    # the unconsumed signal's producer: a running thread, drawn as a node
    contains "demo: the running producer" "$dd/report/waitgraph.dot" \
        'c9 -> c8 [label="waits on 0x7015FF80\nsignalled by release at audio_timer_thread+0x58'
    contains "demo: running is a rounded box" "$dd/report/waitgraph.dot" 'c8 [shape=box, style="rounded"'
    contains "demo: analogs named" "$dd/report/waitgraph.dot" \
        'candidate: cache_thread 7\nanalog: reference cache_thread 17 (paired by entry_pc)'
fi
case $dd in /tmp/wedge-demo-*) rm -rf "$dd" ;; esac

# --- simulator scenarios: a reference-only producer, a running one, a
# silent one, a lost wakeup ------------------------------------------------
for s in missing-thread live-missing-producer investigation lost-set; do
    "$W" simulate "$s" -o "$T/sim-$s" -q || bad "simulate $s"
    report_dir "$s" "$T/sim-$s/ref.jsonl" "$T/sim-$s/cand.jsonl" --symbols "$T/sim-$s/symbols.txt"
done
contains "missing-thread: a reference-only node" "$T/missing-thread/waitgraph.dot" 'ref only: cache_thread'
grep -q '^  r[0-9]* \[shape=box, style="filled,dotted", fillcolor="#e06666"' "$T/missing-thread/waitgraph.dot"
eq "missing-thread: the root colours it" $? 0
contains "live-missing: a running producer is the root" "$T/live-missing-producer/waitgraph.dot" \
    'running to the end'
contains "investigation: a silent producer" "$T/investigation/waitgraph.dot" 'silent since'

# --- a deadlock: two threads wait for each other (tests/e2e/diag.sh) -------
DATA="$(cd "$(dirname "$0")/../e2e/data" && pwd)"
cp "$DATA/deadlock-ref.jsonl" "$T/cycle.ref"
cp "$DATA/deadlock-cand.jsonl" "$T/cycle.cand"
report_dir cycle "$T/cycle.ref" "$T/cycle.cand"
eq "cycle: the root" "$(jq -r '[.root_causes[] | .kind] | join(" ")' "$T/cycle/report.json")" cycle
# both members in the cycle's colour, the rungs too
eq "cycle: coloured" "$(grep -c '#c27ba0' "$T/cycle/waitgraph.dot")" 5

# --- an unexplained wedge and a suspect (tests/e2e/roots.sh) --------------
cp "$DATA/unexplained-ref.jsonl" "$T/unexp.ref"
cp "$DATA/unexplained-cand.jsonl" "$T/unexp.cand"
# hostile engine names: quotes, backslashes and markup
report_dir unexp "$T/unexp.ref" "$T/unexp.cand" --ref-name 'r"e\f<&>' --cand-name 'c\"a<b>&'
eq "unexp: one unexplained" "$(jq '.unexplained | length' "$T/unexp/report.json")" 1
sed -n '/subgraph cluster_unexplained/,/^  }/p' "$T/unexp/waitgraph.dot" | grep -q '^    r9 .*suspect'
eq "unexp: the suspect in the cluster" $? 0
contains "unexp: a name escaped" "$T/unexp/waitgraph.dot" 'c\\\"a<b>&: thread 1'
contains "unexp: a name in the legend escaped" "$T/unexp/waitgraph.dot" 'a r&quot;e\f&lt;&amp;&gt; thread'

# --- one missing thread, two waiters on two of its objects: each arrow says
# its own waiter's object and key (a link's facts), not the root's first -------
{
    printf '%s\n' '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}' \
        '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x104","obj":"0xF14"}' \
        '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x7000","new_tid":7}' \
        '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":8}'
    for i in 1 2 3 4 5 6; do
        b=$((i * 10))
        printf '%s\n' "{\"t\":$((b + 1)),\"tid\":7,\"op\":\"NtSetEvent\",\"lr\":\"0x7010\",\"obj\":\"0xF10\"}" \
            "{\"t\":$((b + 2)),\"tid\":7,\"op\":\"NtSetEvent\",\"lr\":\"0x7020\",\"obj\":\"0xF14\"}" \
            "{\"t\":$((b + 3)),\"tid\":6,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x110\",\"obj\":\"0xF10\"}" \
            "{\"t\":$((b + 4)),\"tid\":8,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x8004\",\"obj\":\"0xF14\"}"
    done
    printf '%s\n' '{"t":100,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
        '{"t":100,"tid":8,"op":"KeQueryPerformanceCounter","lr":"0x8020"}'
} >"$T/two.ref"
# cand: no thread 7; main 1 and thread 3 end blocked (a total hang)
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1010"}' \
    '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x104","obj":"0x1014"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":3}' \
    '{"t":4,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1010"}' \
    '{"t":5,"tid":3,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0x1014"}' >"$T/two.cand"
report_dir two "$T/two.ref" "$T/two.cand"
eq "two waiters: one root" "$(jq -r '[.root_causes[] | "\(.kind) \(.ref_tid) \(.blocks | join(","))"] | join(" | ")' "$T/two/report.json")" \
    "missing_thread 7 1,3"
contains "two waiters: main's arrow" "$T/two/waitgraph.dot" \
    'c1 -> r7 [label="waits on 0x00001010\nfor set at 0x00007010 (NtSetEvent)"'
contains "two waiters: thread 3's arrow, its own object and key" "$T/two/waitgraph.dot" \
    'c3 -> r7 [label="waits on 0x00001014\nfor set at 0x00007020 (NtSetEvent)"'

# --- nothing wedged: a graph of no threads (an empty array, sorted) ----------
report_dir same "$T/cycle.ref" "$T/cycle.ref"
eq "nothing wedged: no thread node" "$(grep -c '^  [cr][0-9]* \[' "$T/same/waitgraph.dot")" 0

# --- every output at once: --json, --dot, --timeline, --html and the nine
# files of -o DIR (the run's set of files once held ten) ---------------------
"$W" report "$T/cycle.ref" "$T/cycle.cand" --json "$T/all.json" --dot "$T/all.dot" \
    --timeline "$T/all-tl.json" --html "$T/all.html" -o "$T/all" >/dev/null 2>"$T/all.err"
eq "all outputs: exit" "$?:$(head -c 200 "$T/all.err")" "0:"
eq "all outputs: files" "$(ls "$T/all" | wc -l | tr -d ' ') $(ls "$T"/all.json "$T"/all.dot "$T"/all-tl.json "$T"/all.html | wc -l | tr -d ' ')" "9 4"

# --- deterministic ---------------------------------------------------------
"$W" report "$T/cycle.ref" "$T/cycle.cand" --dot "$T/again.dot" >/dev/null 2>&1
cmp -s "$T/again.dot" "$T/cycle/waitgraph.dot"
eq "the same graph twice" $? 0

# --- dot missing, failing, hanging: a note, never a failure ----------------
for how in missing failing hanging; do
    case $how in
    missing) prog=$T/no-such-dot note="Graphviz's dot is not installed" ;;
    failing) prog=false note="dot failed (exit 1)" ;;
    hanging) printf '#!/bin/sh\nexec sleep 30\n' >"$T/slow-dot"; chmod +x "$T/slow-dot"
             prog=$T/slow-dot note="dot ran past 1 s and was stopped" ;;
    esac
    rm -rf "$T/$how"
    WEDGE_DOT=$prog WEDGE_DOT_TIMEOUT=1 "$W" report "$T/cycle.ref" "$T/cycle.cand" -o "$T/$how" \
        >/dev/null 2>"$T/$how.err"
    eq "dot $how: exit" $? 0
    contains "dot $how: the note" "$T/$how.err" "wedge: no waitgraph.svg: $note"
    if [ -f "$T/$how/waitgraph.svg" ] || [ ! -f "$T/$how/waitgraph.dot" ]; then
        bad "dot $how: waitgraph.svg written or waitgraph.dot not"
    else ok; fi
done
finish
