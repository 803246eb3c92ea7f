#!/bin/sh
# The diagnosis on hand-built traces, one per rule of docs/analysis.md
# (thread map, wedged threads, roots, outcome).  Each case's expected answer is worked out in its comment.
#   sh tests/e2e/diag.sh BUILD_DIR
SUITE=diag
. "$(dirname "$0")/lib.sh"
# report NAME [options]: runs wedge on $T/NAME.ref / $T/NAME.cand into $T/NAME.json
report() { report_case "$@"; }
j() { jcase "$@"; }
roots() { j "$1" '[.root_causes[] | "\(.kind) \(.tid) \(.ref_tid) \(.lr) \(.obj) \(.blocks | join(","))"] | join(" | ")'; }
# a ref main (6) that creates e (0xF10), spawns 7 at 0x8000, waits on e and runs on
ref_head='{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}
{"t":2,"tid":6,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}
{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}'

# --- missing_thread: cand never creates the thread that sets e -------------
# cand main (1) waits on e (0x1004) from t=4 to the end (t=100): wedged,
# ref main is not: divergent.  e is mapped by its creation site (0x100, 1st);
# ref's producer of e is thread 7, which has no analog -> missing_thread.
# Both mains also set an event of their own at 0x108 (a MATCH key), so the
# candidate has a producer and the verdict is not INCONCLUSIVE.
printf '%s\n' "$ref_head" \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}' \
    '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}' \
    '{"t":4,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF10"}' \
    '{"t":90,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
    '{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/missing.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":2,"tid":1,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}' \
    '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x108","obj":"0x1018"}' \
    '{"t":4,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1004"}' \
    '{"t":100,"tid":5,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/missing.cand"
report missing
# the mains pair; the candidate logs no thread creation, so "nobody
# created it" names no main there before signatures: they pair by signature
eq "missing: thread map" "$(j missing '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")')" "6=1:signature"
eq "missing: no analog" "$(j missing '[.no_analog[] | "\(.tid) \(.entry_pc)"] | join(" ")')" "7 0x00008000"
eq "missing: wedged" "$(j missing '[.wedged[] | "\(.engine) \(.tid) \(.lr) \(.objs | join(",")) \(.since) \(.divergent)"] | join(" | ")')" \
    "cand 1 0x00000110 0x00001004 4 true"
eq "missing: root" "$(roots missing)" "missing_thread null 7 0x00008010 0x00001004 1"
eq "missing: entry" "$(j missing '.root_causes[0].entry_pc')" "0x00008000"
eq "missing: outcome" "$(j missing .outcome)" A
grep -q '^\*\*outcome A: 1 root cause blocks 1 wedged thread: a thread that never spawned.\*\*$' "$T/missing.md"
eq "missing: verdict line" $? 0

# member names and order as docs/analysis.md (report.json) gives them
eq "missing: wedged members" "$(j missing '.wedged[0] | keys_unsorted | join(",")')" \
    "engine,tid,op,lr,objs,since,wedged_by,divergent,family"
eq "missing: root members" "$(j missing '.root_causes[0] | keys_unsorted | join(",")')" \
    "kind,tid,ref_tid,entry_pc,family,category,lr,op,obj,blocks,confidence,evidence"
eq "missing: thread_map members" "$(j missing '.thread_map[0] | keys_unsorted | join(",")')" "ref,cand,how,score"
eq "missing: boot_delta members" "$(j missing '.boot_delta | keys_unsorted[0:4] | join(",")')" \
    "window,threads,milestones,skew_start"
eq "missing: boot thread members" "$(j missing '.boot_delta.threads[0] | keys_unsorted[0:4] | join(",")')" \
    "ref,cand,first_diff,edits"
eq "missing: milestone members" "$(j missing '.boot_delta.milestones[0] | keys_unsorted[0:4] | join(",")')" \
    "what,ref_t,cand_t,ratio"
eq "missing: top-level order" "$(j missing '[keys_unsorted[]][0:14] | join(",")')" \
    "wedge_report,ref,cand,keys,thread_map,first_divergence,first_shortfall,wedged,root_causes,outcome,provisional_outcome,reasons,warnings,boot_delta"

# --- signaled_but_blocked: e was set and nothing took the signal ----------
# cand thread 2 sets e (+1), main's wait is its last (not counted): balance
# 1 > 0 -> signaled_but_blocked(1, e, set@0x8010).
printf '%s\n' "$ref_head" \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}' \
    '{"t":4,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF10"}' \
    '{"t":90,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
    '{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/sbb.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":2,"tid":1,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":3,"tid":2,"op":"NtSetEvent","lr":"0x8010","obj":"0x1004"}' \
    '{"t":4,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1004"}' \
    '{"t":100,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/sbb.cand"
report sbb
eq "sbb: map" "$(j sbb '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")')" "7=2:entry_pc 6=1:main"
eq "sbb: root" "$(roots sbb)" "signaled_but_blocked 1 6 0x00008010 0x00001004 1"
eq "sbb: outcome" "$(j sbb .outcome)" B

# --- a reset lowers the balance: the same with NtClearEvent before the wait
# balance 1 -> 0: no signal left; ref's producer 7 has analog 2, which runs
# on (events after t=4) and fires set@0x8010 no more -> live_missing_producer.
sed 's/{"t":4,"tid":1,"op":"KeWaitForSingleObject"/{"t":3,"tid":1,"op":"NtClearEvent","lr":"0x108","obj":"0x1004"}\n&/' "$T/sbb.cand" >"$T/reset.cand"
cp "$T/sbb.ref" "$T/reset.ref"
report reset
eq "reset: root" "$(roots reset)" "live_missing_producer 2 7 0x00008010 0x00001004 1"

# --- WaitAll: a signal counts only when every object has one --------------
# main waits WaitAll on e (0x1004, set by 2) and f (0x1008, set by nobody in
# cand; by 8 in ref, which has no analog): not all positive -> follow f only
# -> missing_thread(8).  With f set too -> signaled_but_blocked.
wa_ref='{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}
{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x101","obj":"0xF14"}
{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}
{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x9000","new_tid":8}
{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}
{"t":3,"tid":8,"op":"NtSetEvent","lr":"0x9010","obj":"0xF14"}
{"t":4,"tid":6,"op":"KeWaitForMultipleObjects","lr":"0x110","objs":["0xF10","0xF14"],"wait_all":true}
{"t":90,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}
{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}'
printf '%s\n' "$wa_ref" >"$T/waitall.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x101","obj":"0x1008"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":3,"tid":2,"op":"NtSetEvent","lr":"0x8010","obj":"0x1004"}' \
    '{"t":4,"tid":1,"op":"KeWaitForMultipleObjects","lr":"0x110","objs":["0x1004","0x1008"],"wait_all":true}' \
    '{"t":100,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/waitall.cand"
report waitall
eq "waitall: root" "$(roots waitall)" "missing_thread null 8 0x00009010 0x00001008 1"
sed 's/{"t":4,"tid":1,"op":"KeWaitForMultipleObjects"/{"t":3,"tid":2,"op":"NtSetEvent","lr":"0x8014","obj":"0x1008"}\n&/' "$T/waitall.cand" >"$T/waitall2.cand"
cp "$T/waitall.ref" "$T/waitall2.ref"
report waitall2
eq "waitall, both signalled: root" "$(roots waitall2)" "signaled_but_blocked 1 6 0x00008010 0x00001004 1"
# WaitAny of the same: one positive object is enough
sed 's/"wait_all":true/"wait_all":false/' "$T/waitall.cand" >"$T/waitany.cand"
sed 's/"wait_all":true/"wait_all":false/' "$T/waitall.ref" >"$T/waitany.ref"
report waitany
eq "waitany: root" "$(roots waitany)" "signaled_but_blocked 1 6 0x00008010 0x00001004 1"

# --- the last iteration: skipped_producer, and a rung ----------------------
# ref: 7 serves main's requests: wait req@0x8004, set done@0x8010, three
# rounds.  cand: 2 serves once, then waits at 0x8004 again, skips the set,
# and waits again: its last iteration (after its previous wait at 0x8004)
# lacks set@0x8010 while ref fires it in 3 of 3 iterations ->
# skipped_producer(2).  2 itself waits on req, set by main (1), whose last
# iteration at its wait 0x140 holds set@0x130: a rung 2 -> 1.
lp_ref='{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}
{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x101","obj":"0xF14"}
{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}'
for i in 1 2 3; do
    b=$((i * 10))
    lp_ref="$lp_ref
{\"t\":$((b + 1)),\"tid\":7,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x8004\",\"obj\":\"0xF14\"}
{\"t\":$((b + 2)),\"tid\":6,\"op\":\"NtSetEvent\",\"lr\":\"0x130\",\"obj\":\"0xF14\"}
{\"t\":$((b + 3)),\"tid\":7,\"op\":\"NtSetEvent\",\"lr\":\"0x8010\",\"obj\":\"0xF10\"}
{\"t\":$((b + 4)),\"tid\":6,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x140\",\"obj\":\"0xF10\"}"
done
printf '%s\n' "$lp_ref" '{"t":90,"tid":7,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0xF14"}' \
    '{"t":100,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' >"$T/skip.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x101","obj":"0x1008"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":4,"tid":2,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0x1008"}' \
    '{"t":5,"tid":1,"op":"NtSetEvent","lr":"0x130","obj":"0x1008"}' \
    '{"t":6,"tid":2,"op":"NtSetEvent","lr":"0x8010","obj":"0x1004"}' \
    '{"t":7,"tid":1,"op":"KeWaitForSingleObject","lr":"0x140","obj":"0x1004"}' \
    '{"t":8,"tid":2,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0x1008"}' \
    '{"t":9,"tid":1,"op":"NtSetEvent","lr":"0x130","obj":"0x1008"}' \
    '{"t":10,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' \
    '{"t":11,"tid":2,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0x1008"}' \
    '{"t":12,"tid":1,"op":"KeWaitForSingleObject","lr":"0x140","obj":"0x1004"}' \
    '{"t":100,"tid":9,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/skip.cand"
report skip
eq "skip: root" "$(roots skip)" "skipped_producer 2 7 0x00008010 0x00001004 1,2"
eq "skip: ladder" "$(j skip '[.ladder[] | "\(.from)->\(.to) \(.lr)"] | join(" ")')" "2->1 0x00000130"
eq "skip: outcome" "$(j skip .outcome)" B
grep -q 'in 3 of 3 iterations' "$T/skip.md"
eq "skip: evidence names the iterations" $? 0
grep -q '^- thread 2 -> thread 1 -> (thread 2 went round its loop' "$T/skip.md" ||
    grep -q '^- 0x00008000 2 -> thread 1 -> (0x00008000 2 went round its loop' "$T/skip.md"
eq "skip: the ladder as a chain" $? 0

# --- live_missing_producer and silent_thread -------------------------------
# ref 7 sets e every 10 ns; cand 2 sets it once, then runs on (delays) ->
# live.  If 2 stops instead (last event at t=5, no wait) -> silent_thread.
lv_ref="$ref_head"
for i in 1 2 3 4 5 6 7 8 9; do
    lv_ref="$lv_ref
{\"t\":$((i * 10)),\"tid\":7,\"op\":\"KeSetEvent\",\"lr\":\"0x8010\",\"obj\":\"0xF10\"}
{\"t\":$((i * 10 + 1)),\"tid\":6,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x110\",\"obj\":\"0xF10\"}"
done
printf '%s\n' "$lv_ref" '{"t":100,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' >"$T/live.ref"
lv_cand='{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}
{"t":2,"tid":1,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}
{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}
{"t":10,"tid":2,"op":"KeSetEvent","lr":"0x8010","obj":"0x1004"}
{"t":11,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1004"}
{"t":21,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1004"}'
printf '%s\n' "$lv_cand" '{"t":30,"tid":2,"op":"KeDelayExecutionThread","lr":"0x8008","timeout":-100}' \
    '{"t":100,"tid":2,"op":"KeDelayExecutionThread","lr":"0x8008","timeout":-100}' >"$T/live.cand"
cp "$T/live.ref" "$T/silent.ref"
report live
eq "live: root" "$(roots live)" "live_missing_producer 2 7 0x00008010 0x00001004 1"
printf '%s\n' "$lv_cand" '{"t":15,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' \
    '{"t":100,"tid":3,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/silent.cand"
report silent
eq "silent: root" "$(roots silent)" "silent_thread 2 7 0x00008010 0x00001004 1"
eq "silent: state" "$(j silent '[.wedged[] | .tid] | join(",")')" "1"
grep -q '| cand | 2 | 0x00008000 | 10 ns | 15 ns | 2 | silent since 15 ns |' "$T/silent.md"
eq "silent: threads table" $? 0

# --- unknown: an object with no counterpart in the reference --------------
printf '%s\n' "$ref_head" '{"t":90,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
    '{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/unknown.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":2,"tid":1,"op":"ExCreateThread","lr":"0x104","entry_pc":"0x8000"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":4,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1040"}' \
    '{"t":100,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/unknown.cand"
report unknown
# not a root: the wedged thread is unexplained, and the outcome counts roots
# only (no key diverges, no root: NONE, with the unexplained count)
eq "unknown: no root" "$(j unknown '.root_causes | length')" 0
eq "unknown: unexplained" "$(j unknown '[.unexplained[] | "\(.tid) \(.obj)"] | join(" | ")')" "1 0x00001040"
eq "unknown: outcome" "$(j unknown .outcome)" NONE
contains "unknown: verdict line" "$T/unknown.md" "no root cause blocks a wedged cand thread; 1 wedged thread is unexplained.**"

# --- a true deadlock: two threads wait for each other ----------------------
# ref: A (7) waits on a, sets b; B (8) waits on b, sets a; many rounds.
# cand: A (2) and B (3) both wait at once and never went round their loops:
# rungs 2 -> 3 and 3 -> 2 (ref shows their iterations: proven) -> one cycle.
# (tests/e2e/data: tests/graph/run.sh draws the same pair)
cp "$(dirname "$0")/data/deadlock-ref.jsonl" "$T/cycle.ref"
cp "$(dirname "$0")/data/deadlock-cand.jsonl" "$T/cycle.cand"
report cycle
eq "cycle: root" "$(roots cycle)" "cycle 2 null null null 2,3"
eq "cycle: rungs" "$(j cycle '[.ladder[] | "\(.from)->\(.to)"] | sort | join(" ")')" "2->3 3->2"
eq "cycle: outcome" "$(j cycle .outcome)" B
"$W" report "$T/cycle.ref" "$T/cycle.cand" --dot "$T/cycle.dot" >/dev/null 2>&1
# the cycle drawn as its threads: both rungs in the cycle's colour, the root on 2
grep -q 'c2 -> c3 \[label="waits on 0x00001004\\nfor set at 0x00009010 (NtSetEvent)", color=' "$T/cycle.dot" &&
    grep -q 'c3 -> c2 \[label="waits on 0x00001008\\nfor set at 0x00008010 (NtSetEvent)", color=' "$T/cycle.dot" &&
    grep -q 'c2 \[.*ROOT 1: cycle (proven)' "$T/cycle.dot"
eq "cycle: dot" $? 0

# --- a ring of 400 threads, each waiting on the one before: one cycle -----
# ref: thread 100+i waits on its event i and sets event i+1 (the last sets
# event 0), round after round; cand: each waits once and nobody sets.  The
# cycle search is linear (strongly connected components): it must finish
# well within 10 s (the search that walked every pair took over 30 s).
# ring N DIR: writes DIR/ring.ref and DIR/ring.cand
ring() {
    n=$1 d=$2
    {
        i=0
        while [ $i -lt $n ]; do
            printf '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x%X","obj":"0x%X"}\n' $((0x1000 + i)) $((0xF000 + 4 * i))
            printf '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x%X","new_tid":%d}\n' $((0x100000 + i * 0x100)) $((100 + i))
            i=$((i + 1))
        done
        printf '{"t":3,"tid":%d,"op":"NtSetEvent","lr":"0x%X","obj":"0x%X"}\n' $((100 + n - 1)) $((0x100000 + (n - 1) * 0x100 + 0x10)) $((0xF000))
        r=1; t=10
        while [ $r -le 3 ]; do
            i=0
            while [ $i -lt $n ]; do
                e=$((0x100000 + i * 0x100))
                printf '{"t":%d,"tid":%d,"op":"KeWaitForSingleObject","lr":"0x%X","obj":"0x%X"}\n' $t $((100 + i)) $((e + 4)) $((0xF000 + 4 * i))
                printf '{"t":%d,"tid":%d,"op":"NtSetEvent","lr":"0x%X","obj":"0x%X"}\n' $((t + 1)) $((100 + i)) $((e + 0x10)) $((0xF000 + 4 * ((i + 1) % n)))
                t=$((t + 2)); i=$((i + 1))
            done
            r=$((r + 1))
        done
        printf '{"t":%d,"tid":6,"op":"NtSetEvent","lr":"0x108","obj":"0xEF18"}\n' $t
        printf '{"t":%d,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}\n' $((t * 10))
    } >"$d/ring.ref"
    {
        i=0
        while [ $i -lt $n ]; do
            printf '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x%X","obj":"0x%X"}\n' $((0x1000 + i)) $((0x10000 + 4 * i))
            printf '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x%X","new_tid":%d}\n' $((0x100000 + i * 0x100)) $((2 + i))
            i=$((i + 1))
        done
        printf '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x108","obj":"0x1018"}\n'
        i=0
        while [ $i -lt $n ]; do
            printf '{"t":%d,"tid":%d,"op":"KeWaitForSingleObject","lr":"0x%X","obj":"0x%X"}\n' $((4 + i)) $((2 + i)) $((0x100000 + i * 0x100 + 4)) $((0x10000 + 4 * i))
            i=$((i + 1))
        done
        printf '{"t":%d,"tid":1,"op":"KeQueryPerformanceCounter","lr":"0x120"}\n' $((t * 10))
    } >"$d/ring.cand"
}
ring 400 "$T"
timeout 10 "$W" report "$T/ring.ref" "$T/ring.cand" --json "$T/ring.json" >/dev/null 2>&1
eq "ring: exit (in time)" $? 0
eq "ring: one cycle root, lowest tid, every member blocked" \
    "$(j ring '[.root_causes[] | "\(.kind) \(.tid) \(.blocks | length) \(.blocks | min) \(.blocks | max)"] | join(" | ")')" \
    "cycle 2 400 2 401"
eq "ring: nothing unexplained" "$(j ring '.unexplained | length')" 0

# --- both engines idle at the same wait: not divergent --------------------
# ref main also ends in its wait at 0x110 long before the end.
printf '%s\n' "$ref_head" \
    '{"t":4,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF10"}' \
    '{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/idle.ref"
cp "$T/unknown.cand" "$T/idle.cand"
sed -i 's/"obj":"0x1040"/"obj":"0x1004"/' "$T/idle.cand"
report idle
eq "idle: both wedged, not divergent" "$(j idle '[.wedged[] | "\(.engine) \(.tid) \(.divergent)"] | join(" | ")')" \
    "ref 6 false | cand 1 false"
eq "idle: no root" "$(j idle '.root_causes | length')" 0
eq "idle: outcome" "$(j idle .outcome)" NONE

# --- thread map rules -----------------------------------------------------
# entry_pc pairs in creation order; --tid-map first; signature needs 0.5.
printf '%s\n' '{"t":1,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":20}' \
    '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":10}' \
    '{"t":3,"tid":6,"op":"thread.create","entry_pc":"0x9000","new_tid":30}' \
    '{"t":4,"tid":20,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}' \
    '{"t":5,"tid":10,"op":"NtSetEvent","lr":"0x8010","obj":"0xF14"}' \
    '{"t":6,"tid":30,"op":"NtSetEvent","lr":"0x9010","obj":"0xF18"}' \
    '{"t":7,"tid":40,"op":"NtSetEvent","lr":"0x7010","obj":"0xF1C"}' >"$T/map.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":3}' \
    '{"t":4,"tid":2,"op":"NtSetEvent","lr":"0x8010","obj":"0x1004"}' \
    '{"t":5,"tid":3,"op":"NtSetEvent","lr":"0x8010","obj":"0x1008"}' \
    '{"t":6,"tid":4,"op":"NtSetEvent","lr":"0x9010","obj":"0x100C"}' \
    '{"t":7,"tid":5,"op":"NtSetEvent","lr":"0x6010","obj":"0x1010"}' >"$T/map.cand"
report map
eq "map: entry_pc in creation order, signature" "$(j map '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")')" \
    "20=2:entry_pc 10=3:entry_pc 6=1:main 30=4:signature"
eq "map: no analog" "$(j map '[.no_analog[].tid] | join(",")')" "40"
report map --tid-map 10=2
eq "map: --tid-map first" "$(j map '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")')" \
    "10=2:explicit 20=3:entry_pc 6=1:main 30=4:signature"
"$W" report "$T/map.ref" "$T/map.cand" --tid-map 10=2,10=3 >/dev/null 2>&1
eq "map: a tid twice" $? 64
"$W" report "$T/map.ref" "$T/map.cand" --tid-map 10 >/dev/null 2>&1
eq "map: bad --tid-map" $? 64

# --- --silence ------------------------------------------------------------
report missing --silence 97
eq "--silence 97 ns: 96 ns of waiting is not enough" "$(j missing '.wedged | length')" 0
# cand sets at 0x108, so set is observed: the key at 0x8010 is MISSING
eq "--silence: outcome" "$(j missing .outcome)" DIVERGED
report missing --silence 96ns
eq "--silence 96ns: wedged" "$(j missing '.wedged | length')" 1
report missing --silence 100%
eq "--silence 100%" "$(j missing '.wedged | length')" 0
"$W" report "$T/missing.ref" "$T/missing.cand" --silence 3fortnights >/dev/null 2>&1
eq "bad --silence" $? 64

# --- boot delta on a hand-made pair ----------------------------------------
# ref main: A B C D, spawns 7 at t=40; cand main: A B X C D, spawns 2 at
# t=400.  Tokens: the streams part at index 2 (X inserted, nothing deleted);
# before it: A, B.  Milestones, rebased to each first t (10): the thread
# start is 11.3x later (395 vs 35 ns), 7 sets e at 40 (cand 2 at 400): 10x;
# but no milestone is 10 ms late, so no skew starts (the skew rule).
printf '%s\n' '{"t":10,"tid":6,"op":"A","lr":"0x10"}' '{"t":20,"tid":6,"op":"B","lr":"0x14"}' \
    '{"t":30,"tid":6,"op":"C","lr":"0x18"}' '{"t":35,"tid":6,"op":"D"}' \
    '{"t":40,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}' \
    '{"t":45,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8004"}' \
    '{"t":50,"tid":7,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}' \
    '{"t":1000,"tid":6,"op":"E","lr":"0x20"}' >"$T/boot.ref"
printf '%s\n' '{"t":10,"tid":1,"op":"A","lr":"0x10"}' '{"t":20,"tid":1,"op":"B","lr":"0x14"}' \
    '{"t":25,"tid":1,"op":"X","lr":"0x16"}' '{"t":30,"tid":1,"op":"C","lr":"0x18"}' \
    '{"t":35,"tid":1,"op":"D"}' \
    '{"t":400,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":405,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0x8004"}' \
    '{"t":410,"tid":2,"op":"NtSetEvent","lr":"0x8010","obj":"0x1004"}' \
    '{"t":1000,"tid":1,"op":"E","lr":"0x20"}' >"$T/boot.cand"
report boot
eq "boot: window is the common span" "$(j boot .boot_delta.window)" 1001
eq "boot: main first" "$(j boot '.boot_delta.threads[0] | "\(.ref) \(.cand)"')" "6 1"
eq "boot: first difference" "$(j boot '.boot_delta.threads[0].first_diff | "\(.index) \(.ref) \(.cand) \(.before | join(","))"')" \
    "2 C@0x00000018 X@0x00000016 A@0x00000010,B@0x00000014"
eq "boot: edits" "$(j boot '.boot_delta.threads[0].edits | "\(.inserted) \(.deleted)"')" "1 0"
eq "boot: op alone where lr is unknown" "$(j boot '[.boot_delta.threads[0].first_diff] | length')" 1
eq "boot: milestones in ref order" "$(j boot '[.boot_delta.milestones[] | "\(.ref_t)/\(.cand_t)"] | join(" ")')" \
    "35/395 40/400"
eq "boot: ratio" "$(j boot '.boot_delta.milestones[0].ratio')" "11.286"
eq "boot: no skew start under 10 ms" "$(j boot '.boot_delta.skew_start')" null
grep -q 'No milestone is both more than twice as late and at least 10 ms late' "$T/boot.md"
eq "boot: the no-skew sentence" $? 0
report boot --boot-window 25
eq "--boot-window" "$(j boot '.boot_delta | "\(.window) \(.threads[0].first_diff) \(.threads[0].tokens.ref)"')" "25 null 2"
"$W" report "$T/boot.ref" "$T/boot.cand" --boot-window soon >/dev/null 2>&1
eq "bad --boot-window" $? 64

# --- wedge diff -------------------------------------------------------------
"$W" diff "$T/boot.ref" "$T/boot.cand" --tid 6 >"$T/diff.out" 2>&1
eq "diff: exit" $? 0
eq "diff: header" "$(sed -n 3p "$T/diff.out")" "1 inserted, 0 deleted"
eq "diff: the inserted line" "$(grep -c '^ *> *2  X@0x00000016$' "$T/diff.out")" 1
eq "diff: context before" "$(grep -c '^ *1  B@0x00000014 .* 1  B@0x00000014$' "$T/diff.out")" 1
"$W" diff "$T/boot.ref" "$T/boot.cand" --tid 6=1 --all -C 0 >"$T/diff2.out" 2>&1
eq "diff: --all with no context: one hunk" "$(grep -c '^@@ ' "$T/diff2.out")" 1
eq "diff: --all with no context: no equal line" "$(grep -c '^ *[0-9]*  [A-E]@.*  [A-E]@' "$T/diff2.out")" 0
"$W" diff "$T/boot.ref" "$T/boot.cand" --tid 99 >/dev/null 2>&1
eq "diff: unknown tid" $? 64
"$W" diff "$T/boot.ref" "$T/boot.cand" >/dev/null 2>&1
eq "diff: --tid is needed" $? 64

finish
