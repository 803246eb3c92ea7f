#!/bin/sh
# Root causes (docs/analysis.md, Roots and blocks; Confidence; Unexplained):
# the mains pair, roots from a producer-only reference, one root per cause,
# confidence and evidence, unexplained wedges and suspects.  Each case's
# expected answer is worked out in its comment.
#   sh tests/e2e/roots.sh BUILD_DIR
SUITE=roots
. "$(dirname "$0")/lib.sh"
report() { report_case "$@"; }
j() { jcase "$@"; }
roots() { j "$1" '[.root_causes[] | "\(.kind) \(.tid) \(.ref_tid) \(.obj) \(.blocks | join(",")) \(.confidence)"] | join(" | ")'; }

# --- the mains pair, though their key sets differ ---------------------------
# ref main 6 and cand main 1 create the event e (0x100) and the worker at
# 0x8000, which waits on e; each main sets e at 0x110 and three boot keys of
# its own (0x200.. in ref, 0x300.. in cand): Jaccard 1/7, no signature pair.
# Nobody creates either main: they pair, how main.  The cand main falls
# silent (t=15) before its worker's last wait (t=20): silent_thread 1, not a
# missing_thread for a "main that never spawned".
printf '%s\n' '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}' \
    '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}' \
    '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x200","obj":"0xF20"}' \
    '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x204","obj":"0xF20"}' \
    '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x208","obj":"0xF20"}' \
    '{"t":4,"tid":7,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0xF10"}' \
    '{"t":5,"tid":6,"op":"NtSetEvent","lr":"0x110","obj":"0xF10"}' \
    '{"t":20,"tid":7,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0xF10"}' \
    '{"t":21,"tid":6,"op":"NtSetEvent","lr":"0x110","obj":"0xF10"}' \
    '{"t":100,"tid":7,"op":"KeQueryPerformanceCounter","lr":"0x8020"}' >"$T/mains.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x300","obj":"0x1020"}' \
    '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x304","obj":"0x1020"}' \
    '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x308","obj":"0x1020"}' \
    '{"t":4,"tid":2,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0x1004"}' \
    '{"t":5,"tid":1,"op":"NtSetEvent","lr":"0x110","obj":"0x1004"}' \
    '{"t":15,"tid":1,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
    '{"t":20,"tid":2,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0x1004"}' \
    '{"t":100,"tid":3,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/mains.cand"
report mains
eq "mains: paired as main" "$(j mains '[.thread_map[] | "\(.ref)=\(.cand):\(.how):\(.score)"] | join(" ")')" \
    "7=2:entry_pc:null 6=1:main:null"
eq "mains: no false missing thread" "$(roots mains)" "silent_thread 1 6 0x00001004 2 proven"
eq "mains: outcome" "$(j mains .outcome)" B
contains "mains: thread map line" "$T/mains.md" "Thread map: 2 pairs (0 explicit, 1 by entry PC, 1 main, 0 by key signature, 0 by call site)."

# --- one root per cause, its blocks merged; the right waiter named --------
# ref thread 7 (entry 0x8000, no analog in cand) sets e1 at 0x8010 and at
# 0x8014 and e2 at 0x8018; cand main 1 waits on e1, cand worker 3 (0x9000,
# paired with ref 8) on e2.  One missing_thread 7 blocks 1 and 3, its key the
# first found (0x8010), not one root per key (outcome A, not C).
printf '%s\n' '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}' \
    '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x101","obj":"0xF14"}' \
    '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}' \
    '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x9000","new_tid":8}' \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8010","obj":"0xF10"}' \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8014","obj":"0xF10"}' \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8018","obj":"0xF14"}' \
    '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}' \
    '{"t":4,"tid":6,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0xF10"}' \
    '{"t":4,"tid":8,"op":"KeWaitForSingleObject","lr":"0x9004","obj":"0xF14"}' \
    '{"t":90,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' \
    '{"t":100,"tid":8,"op":"KeQueryPerformanceCounter","lr":"0x9020"}' >"$T/once.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x101","obj":"0x1008"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x9000","new_tid":3}' \
    '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x108","obj":"0x1018"}' \
    '{"t":4,"tid":1,"op":"KeWaitForSingleObject","lr":"0x110","obj":"0x1004"}' \
    '{"t":4,"tid":3,"op":"KeWaitForSingleObject","lr":"0x9004","obj":"0x1008"}' \
    '{"t":100,"tid":5,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/once.cand"
report once
eq "once: one root" "$(roots once)" "missing_thread null 7 0x00001004 1,3 proven"
eq "once: its first key" "$(j once '.root_causes[0].lr')" "0x00008010"
eq "once: outcome" "$(j once .outcome)" A
eq "once: one root in the Markdown" "$(grep -c '^[0-9]*\. `missing_thread`' "$T/once.md")" 1

# --- the audio ladder in miniature, against a producer-only reference -----
# cand: A (2, entry 0xA000) sets evA (0x10A0) at 0xA010; B (4, 0xB000) waits
# on evA at 0xB004 and sets evB (0x10B0) at 0xB010; dispatch D (3, 0xD000)
# waits on evB at 0xD004.  Five rounds; then A falls silent (t=55) and B
# (t=60) and D (t=61) wait for good.  The reference logs only its
# producers (sets, with lr and obj): A 11, B 12 (and main 10).
# Threads: mains pair (10=1), A and B by signature; objects by producers.
# D waits on evB -> ref producer B (12) -> B wedged, fired evB in its own
# earlier iterations (4 of 4 but its last: fires) -> a rung D -> B.
# B waits on evA -> ref producer A (11) -> A silent since before B's wait:
# silent_thread A, blocking B and D; inferred (no waits in the reference,
# objects and threads by similarity).  The sentence names B, which waits on
# evA (D, the first it blocks, waits on evB).
lad_cand='{"t":1,"tid":1,"op":"thread.create","entry_pc":"0xA000","new_tid":2}
{"t":1,"tid":1,"op":"thread.create","entry_pc":"0xD000","new_tid":3}
{"t":1,"tid":1,"op":"thread.create","entry_pc":"0xB000","new_tid":4}
{"t":2,"tid":1,"op":"NtSetEvent","lr":"0x108","obj":"0x1018"}'
lad_ref='{"t":2,"tid":10,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}'
lad_full='{"t":1,"tid":10,"op":"NtCreateEvent","lr":"0x100","obj":"0xF0A0"}
{"t":1,"tid":10,"op":"NtCreateEvent","lr":"0x104","obj":"0xF0B0"}
{"t":1,"tid":10,"op":"thread.create","entry_pc":"0xA000","new_tid":11}
{"t":1,"tid":10,"op":"thread.create","entry_pc":"0xD000","new_tid":13}
{"t":1,"tid":10,"op":"thread.create","entry_pc":"0xB000","new_tid":12}
{"t":2,"tid":10,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}'
for i in 1 2 3 4 5; do
    b=$((i * 10))
    lad_cand="$lad_cand
{\"t\":$b,\"tid\":4,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0xB004\",\"obj\":\"0x10A0\"}
{\"t\":$((b + 1)),\"tid\":3,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0xD004\",\"obj\":\"0x10B0\"}
{\"t\":$((b + 2)),\"tid\":2,\"op\":\"NtSetEvent\",\"lr\":\"0xA010\",\"obj\":\"0x10A0\"}
{\"t\":$((b + 3)),\"tid\":4,\"op\":\"NtSetEvent\",\"lr\":\"0xB010\",\"obj\":\"0x10B0\"}"
    lad_ref="$lad_ref
{\"t\":$((b + 2)),\"tid\":11,\"op\":\"NtSetEvent\",\"lr\":\"0xA010\",\"obj\":\"0xF0A0\"}
{\"t\":$((b + 3)),\"tid\":12,\"op\":\"NtSetEvent\",\"lr\":\"0xB010\",\"obj\":\"0xF0B0\"}"
    lad_full="$lad_full
{\"t\":$b,\"tid\":12,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0xB004\",\"obj\":\"0xF0A0\"}
{\"t\":$((b + 1)),\"tid\":13,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0xD004\",\"obj\":\"0xF0B0\"}
{\"t\":$((b + 2)),\"tid\":11,\"op\":\"NtSetEvent\",\"lr\":\"0xA010\",\"obj\":\"0xF0A0\"}
{\"t\":$((b + 3)),\"tid\":12,\"op\":\"NtSetEvent\",\"lr\":\"0xB010\",\"obj\":\"0xF0B0\"}"
done
printf '%s\n' "$lad_cand" '{"t":55,"tid":2,"op":"KeQueryPerformanceCounter","lr":"0xA020"}' \
    '{"t":60,"tid":4,"op":"KeWaitForSingleObject","lr":"0xB004","obj":"0x10A0"}' \
    '{"t":61,"tid":3,"op":"KeWaitForSingleObject","lr":"0xD004","obj":"0x10B0"}' \
    '{"t":200,"tid":1,"op":"KeQueryPerformanceCounter","lr":"0x120"}' >"$T/ladder.cand"
printf '%s\n' '{"wedge_trace":1,"engine":"canary","observes":["set","release"]}' "$lad_ref" \
    '{"t":200,"tid":10,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}' >"$T/ladder.ref"
report ladder
eq "ladder: root" "$(roots ladder)" "silent_thread 2 11 0x000010A0 3,4 inferred"
eq "ladder: rung" "$(j ladder '[.ladder[] | "\(.from)->\(.to) \(.lr)"] | join(" ")')" "3->4 0x0000B010"
eq "ladder: outcome" "$(j ladder .outcome)" B
eq "ladder: evidence" "$(j ladder '[.root_causes[0].evidence.events[] | "\(.engine) \(.tid) \(.what)"] | join(", ")')" \
    "cand 4 wait, ref 11 reference producer, cand 2 its last event"
eq "ladder: evidence lines" "$(j ladder '[.root_causes[0].evidence.events[] | .line] | join(",")')" "26,3,25"
eq "ladder: rule" "$(j ladder '.root_causes[0].evidence.rule | test("fell silent")')" true
contains "ladder: the right waiter" "$T/ladder.md" "which 0x0000B000 4 waits for on 0x000010A0."
contains "ladder: chain" "$T/ladder.md" "- 0x0000D000 3 -> 0x0000B000 4 -> (0x0000A000 2 fell silent)"
contains "ladder: confidence line" "$T/ladder.md" "Confidence: **inferred** (the object was matched by similarity; "

# the same ladder with a full reference (waits, thread and event creations,
# so threads pair by entry and objects by creation site): proven
printf '%s\n' "$lad_full" '{"t":60,"tid":12,"op":"KeWaitForSingleObject","lr":"0xB004","obj":"0xF0A0"}' \
    '{"t":61,"tid":13,"op":"KeWaitForSingleObject","lr":"0xD004","obj":"0xF0B0"}' \
    '{"t":62,"tid":13,"op":"KeQueryPerformanceCounter","lr":"0xD020"}' \
    '{"t":62,"tid":11,"op":"NtSetEvent","lr":"0xA010","obj":"0xF0A0"}' \
    '{"t":63,"tid":12,"op":"NtSetEvent","lr":"0xB010","obj":"0xF0B0"}' \
    '{"t":200,"tid":10,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}' >"$T/full.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x10A0"}' \
    '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x104","obj":"0x10B0"}' >"$T/full.cand"
cat "$T/ladder.cand" >>"$T/full.cand"
report full
eq "full: root proven" "$(roots full)" "silent_thread 2 11 0x000010A0 3,4 proven"
eq "full: rung" "$(j full '[.ladder[] | "\(.from)->\(.to)"] | join(" ")')" "3->4"
eq "full: object map" "$(j full '[.object_map[] | "\(.cand)=\(.ref)"] | sort | join(" ")')" \
    "0x00001018=0x00000F18 0x000010A0=0x0000F0A0 0x000010B0=0x0000F0B0"

# --- an unexplained wedge changes no outcome class -------------------------
# cand 1 waits on e (0x1004), which thread 2 set and nobody took:
# signaled_but_blocked, one root; cand 3 (0x9000, paired) waits on 0x1040,
# which no reference object matches: unexplained, not a second root (B,
# not C).  Ref thread 9 (no analog) sets 0xF40, which no cand object
# matches: the one suspect, listed once.
cp "$(dirname "$0")/data/unexplained-ref.jsonl" "$T/unexp.ref"
cp "$(dirname "$0")/data/unexplained-cand.jsonl" "$T/unexp.cand"
report unexp --dot "$T/unexp.dot"
eq "unexp: one root" "$(roots unexp)" "signaled_but_blocked 1 6 0x00001004 1 proven"
eq "unexp: outcome" "$(j unexp .outcome)" B
eq "unexp: unexplained" "$(j unexp '[.unexplained[] | "\(.tid) \(.obj)"] | join(" | ")')" "3 0x00001040"
eq "unexp: suspects" "$(j unexp '[.suspects[] | "\(.ref_tid) \(.entry_pc) \(.objs | join(","))"] | join(" | ")')" \
    "9 0x00007000 0x00000F40"
grep -q '^\*\*outcome B: 1 root cause blocks 1 wedged thread; 1 more is unexplained\.\*\*' "$T/unexp.md"
eq "unexp: verdict line" $? 0
# once in the Unexplained section (the thread table names it apart)
eq "unexp: suspect named once" "$(sed -n '/^## Unexplained/,/^## [^U]/p' "$T/unexp.md" | grep -o '0x00007000 9' | wc -l)" 1
sed -n '/subgraph cluster_unexplained/,/^  }/p' "$T/unexp.dot" |
    grep -q 'c3 \[shape=ellipse, style="dashed".*unexplained, on 0x00001040:'
eq "unexp: dot" $? 0
eq "unexp: top-level tail" "$(j unexp '[keys_unsorted[]][-2:] | join(",")')" "unexplained,suspects"

# every divergent wedged thread unexplained, and keys diverge: DIVERGED plus
# the count.  Without thread 2 the set at 0x8010 is MISSING, and main 1 now
# waits on 0x1050, which matches nothing (as 3's 0x1040).
# (both mains also set an event of their own at 0x108: the cand has a producer)
{ cat "$T/unexp.ref"; echo '{"t":3,"tid":6,"op":"NtSetEvent","lr":"0x108","obj":"0xF18"}'; } >"$T/alldiv.ref"
{ grep -v '"tid":2,\|"new_tid":2' "$T/unexp.cand" | sed '/KeWait/s/"obj":"0x1004"}$/"obj":"0x1050"}/'
  echo '{"t":3,"tid":1,"op":"NtSetEvent","lr":"0x108","obj":"0x1018"}'; } >"$T/alldiv.cand"
report alldiv
eq "alldiv: no root" "$(j alldiv '.root_causes | length')" 0
eq "alldiv: unexplained" "$(j alldiv '[.unexplained[] | .tid] | join(",")')" "1,3"
eq "alldiv: outcome" "$(j alldiv .outcome)" DIVERGED
contains "alldiv: verdict line" "$T/alldiv.md" "; 2 wedged threads are unexplained.**"

# --- call site: a producer-only reference names no entry PC --------------
# The reference (no creations, no waits, like an audit log): loader 20 logs
# first (0x4110), main 10 sets 0x7010 (0x120) and 0x7040 (0x124), thread 30
# sets 0x7030 at 0x9040.  The candidate: main 1 creates loader 2 (0x4100)
# and 3 (0x9000), sets 0x7010 and 0x7040, waits on 0x7030 (0x130); 3 waits
# at its first wait on 0x7040 (0x9010), set and never taken: signaled but
# blocked, having fired nothing (no signature).  Loader and mains pair by
# signature (the reference's first thread is no main: it logs no creation);
# 30 pairs with 3 by call site (0x9040 lies 0x40 into the function 3
# starts in): one root, 3 signaled_but_blocked, blocking 1 and 3; no false
# missing_thread for 30 (nor for a main paired to the loader).
printf '%s\n' '{"t":1,"tid":20,"op":"NtSetEvent","lr":"0x4110","obj":"0xF20"}' \
    '{"t":2,"tid":10,"op":"KeSetEvent","lr":"0x120","obj":"0x7010"}' \
    '{"t":2,"tid":10,"op":"KeSetEvent","lr":"0x124","obj":"0x7040"}' \
    '{"t":3,"tid":30,"op":"KeSetEvent","lr":"0x9040","obj":"0x7030"}' \
    '{"t":100,"tid":20,"op":"NtSetEvent","lr":"0x4110","obj":"0xF20"}' >"$T/site.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x4100","new_tid":2}' \
    '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x9000","new_tid":3}' \
    '{"t":2,"tid":2,"op":"NtSetEvent","lr":"0x4110","obj":"0x1020"}' \
    '{"t":3,"tid":1,"op":"KeSetEvent","lr":"0x120","obj":"0x7010"}' \
    '{"t":3,"tid":1,"op":"KeSetEvent","lr":"0x124","obj":"0x7040"}' \
    '{"t":4,"tid":3,"op":"KeWaitForSingleObject","lr":"0x9010","obj":"0x7040"}' \
    '{"t":5,"tid":1,"op":"KeWaitForSingleObject","lr":"0x130","obj":"0x7030"}' \
    '{"t":100,"tid":2,"op":"NtSetEvent","lr":"0x4110","obj":"0x1020"}' >"$T/site.cand"
report site
site_map() { j "$1" '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | sort | join(" ")'; }
eq "site: thread map" "$(site_map site)" "10=1:signature 20=2:signature 30=3:call_site"
eq "site: one root, no false missing thread" "$(roots site)" \
    "signaled_but_blocked 3 30 0x00007040 1,3 proven"
eq "site: outcome" "$(j site .outcome)" B
contains "site: thread map line" "$T/site.md" \
    "Thread map: 3 pairs (0 explicit, 0 by entry PC, 0 main, 2 by key signature, 1 by call site"
# 0x9040 moved to 0xA040 (0x1040 past 0x9000): beyond 4 KiB no pair and
# a missing_thread; --symbols saying the function at 0x9000 spans 0x2000
# pairs them again
sed 's/"0x9040"/"0xA040"/' "$T/site.ref" >"$T/far.ref"
cp "$T/site.cand" "$T/far.cand"
report far
# beyond 4 KiB no call-site pair; 30 and 3 are then the only threads left
# unpaired on each side (the reference logs no creations): elimination
# pairs them, and the root resting on the pair is inferred
eq "far: beyond 4 KiB, no call-site pair; the last two pair" "$(site_map far)" \
    "10=1:signature 20=2:signature 30=3:elimination"
eq "far: no false missing thread" "$(j far '[.root_causes[] | .kind] | sort | join(",")')" "signaled_but_blocked"
contains "far: by elimination" "$T/far.md" ", 1 by elimination"
# a second candidate thread left unpaired (4, created at 0xB000, idle):
# nothing to eliminate, so 30 has no analog: a missing thread
{ echo '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0xB000","new_tid":4}'; cat "$T/far.cand"; } >"$T/far2.cand"
cp "$T/far.ref" "$T/far2.ref"
report far2
eq "far2: two left, no elimination" "$(site_map far2)" "10=1:signature 20=2:signature"
eq "far2: so a missing thread" "$(j far2 '[.root_causes[] | .kind] | sort | join(",")')" "missing_thread,signaled_but_blocked"
printf '%s\n' '4100 loader 0x100' '9000 worker 0x2000' >"$T/far.sym"
report_files far-sym "$T/far.ref" "$T/far.cand" --symbols "$T/far.sym"
eq "far: by symbols" "$(site_map far-sym)" "10=1:signature 20=2:signature 30=3:call_site"
eq "far: roots" "$(roots far-sym)" "signaled_but_blocked 3 30 0x00007040 1,3 proven"
# 3 falls silent instead (its last event no wait): the silent_thread root
# follows the call-site pair, so it is inferred, and the Markdown says why
sed 's/"op":"KeWaitForSingleObject","lr":"0x9010","obj":"0x7040"/"op":"KeQueryPerformanceCounter","lr":"0x9010"/' \
    "$T/site.cand" >"$T/quiet.cand"
cp "$T/site.ref" "$T/quiet.ref"
report quiet
eq "quiet: root" "$(roots quiet)" "silent_thread 3 30 0x00007030 1 inferred"
contains "quiet: why inferred" "$T/quiet.md" "the thread pair is by call site"

# --- orphan: the object of a missing thread, against an audit log ----------
# The reference (no creations, no waits): main 10 sets 0x7010, loader 20
# sets 0xF20, thread 21 (no analog: the candidate never starts it) sets the
# handle 0xF28.  Candidate main 1 creates the event 0x1018 and waits on it;
# nobody there signals it, and the reference neither creates nor waits on
# anything: the one such object on each side is one object (orphan), so
# main waits on what the missing thread 21 signals: missing_thread, A.
printf '%s\n' '{"t":1,"tid":10,"op":"KeSetEvent","lr":"0x120","obj":"0x7010"}' \
    '{"t":2,"tid":20,"op":"NtSetEvent","lr":"0x4110","obj":"0xF20"}' \
    '{"t":3,"tid":21,"op":"NtSetEvent","lr":"0x9040","obj":"0xF28"}' \
    '{"t":100,"tid":20,"op":"NtSetEvent","lr":"0x4110","obj":"0xF20"}' >"$T/orphan.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1018"}' \
    '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x4100","new_tid":2}' \
    '{"t":2,"tid":2,"op":"NtSetEvent","lr":"0x4110","obj":"0x1020"}' \
    '{"t":3,"tid":1,"op":"KeSetEvent","lr":"0x120","obj":"0x7010"}' \
    '{"t":5,"tid":1,"op":"KeWaitForSingleObject","lr":"0x130","obj":"0x1018"}' \
    '{"t":100,"tid":2,"op":"NtSetEvent","lr":"0x4110","obj":"0x1020"}' >"$T/orphan.cand"
report orphan
eq "orphan: object map" "$(j orphan '[.object_map[] | select(.how == "orphan") | "\(.cand)=\(.ref)"] | join(" ")')" \
    "0x00001018=0x00000F28"
eq "orphan: missing thread" "$(roots orphan)" "missing_thread null 21 0x00001018 1 inferred"
eq "orphan: outcome" "$(j orphan .outcome)" A
eq "orphan: no suspect" "$(j orphan '.suspects | length')" 0
# a second thread with no analog signalling an object of its own: which one
# the main waits for is ambiguous, so nothing is matched; main is
# unexplained and both are suspects
{ cat "$T/orphan.ref"; echo '{"t":4,"tid":22,"op":"NtSetEvent","lr":"0x9080","obj":"0xF2C"}'; } >"$T/orphan2.ref"
cp "$T/orphan.cand" "$T/orphan2.cand"
report orphan2
eq "orphan2: no orphan" "$(j orphan2 '[.object_map[] | select(.how == "orphan")] | length')" 0
eq "orphan2: unexplained" "$(j orphan2 '[.unexplained[] | "\(.tid) \(.obj)"] | join(" | ")')" "1 0x00001018"
eq "orphan2: suspects" "$(j orphan2 '[.suspects[] | .ref_tid] | join(",")')" "21,22"
eq "orphan2: outcome" "$(j orphan2 .outcome)" DIVERGED

# --- a candidate that ran to completion (analysis.md) -----------------------
# Main 1 creates worker 2, which waits on 0xF10 and is woken from 0x110:
# twice in the reference, three times in the candidate (the worker found
# its queue empty once more): key 0x110 is OVER (0x120 matches, so no
# `swapped`).  Every thread exits.
# With trace.end reason "exit" the outcome is NONE, the key still OVER
# and the warning `completed`; without a reason, or killed, DIVERGED.
done_run() {   # N: N rounds of wait and set, both threads exit
    echo '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}'
    echo '{"t":2,"tid":1,"op":"KeSetEvent","lr":"0x120","obj":"0xF20"}'
    i=0
    while [ $i -lt "$1" ]; do
        echo "{\"t\":$((10 + i * 10)),\"tid\":2,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x8004\",\"obj\":\"0xF10\"}"
        echo "{\"t\":$((15 + i * 10)),\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x110\",\"obj\":\"0xF10\"}"
        i=$((i + 1))
    done
    echo '{"t":90,"tid":2,"op":"thread.exit"}'
    echo '{"t":95,"tid":1,"op":"thread.exit"}'
}
done_run 2 >"$T/done.ref"
for end in exit none killed signal; do
    { done_run 3
      case $end in
      none) echo '{"op":"trace.end","t":99}' ;;
      *) echo "{\"op\":\"trace.end\",\"t\":99,\"reason\":\"$end\"}" ;;
      esac; } >"$T/done-$end.cand"
    cp "$T/done.ref" "$T/done-$end.ref"
    report "done-$end"
done
eq "completed: exit: NONE" "$(j done-exit .outcome)" NONE
eq "completed: exit: the key still diverges" \
    "$(j done-exit '[.keys[] | select(.status != "MATCH") | "\(.lr) \(.status)"] | join(",")')" "0x00000110 OVER"
eq "completed: exit: the warning" "$(j done-exit '[.warnings[] | .code] | join(",")')" completed
contains "completed: exit: its message" "$T/done-exit.json" \
    "the candidate ran to completion; 1 producer key differs in count (scheduling), none explains a hang"
contains "completed: exit: the verdict line" "$T/done-exit.md" \
    "**outcome NONE: the cand run ended by exit and no cand thread is wedged; no root cause.** Warning (completed): the candidate ran to completion;"
for end in none killed signal; do
    eq "completed: $end: DIVERGED" "$(j done-$end .outcome)" DIVERGED
    eq "completed: $end: no warning" "$(j done-$end '[.warnings[] | .code] | join(",")')" ""
done
# ended by exit, but worker 2 waits once more after the last set and never
# exits: it is wedged, so the rule does not apply, whatever the run's end
# says
{ done_run 3 | grep -v '"tid":2,"op":"thread.exit"'
  echo '{"t":40,"tid":2,"op":"KeWaitForSingleObject","lr":"0x8004","obj":"0xF10"}'
  echo '{"op":"trace.end","t":99,"reason":"exit"}'; } >"$T/donew.cand"
cp "$T/done.ref" "$T/donew.ref"
report donew
eq "completed: a wedged thread: it is wedged" \
    "$(j donew '[.wedged[] | select(.engine == "cand") | .tid] | join(",")')" 2
eq "completed: a wedged thread: not NONE" "$(j donew '.outcome != "NONE"')" true
eq "completed: a wedged thread: no warning" "$(j donew '[.warnings[] | .code] | index("completed")')" null

# --- external: a read that waits on input from outside the program ---------
# The pipe program of tests/record/progs.c as wedge record writes it (64-bit
# objects, module sites).  ref: main 100 creates worker 101 (entry
# prog+0x154C), reads the pipe 0x3F3499 at prog+0x16FA twice (the input came,
# then EOF), signals the condition cv (0x5555555581A0) after each read, joins;
# the worker takes the mutex mu once and finds the work done (it never waits
# on cv: the recorded run's timing).  cand: main 200 reads its pipe 0x3F346A
# at the same site and never returns; worker 201 waits on cv.  Nothing in
# either trace writes either pipe, and ref's read returned: root external
# (200, read at prog+0x16FA, its object), inferred.  cv is at one address in
# both (wedge record turns ASLR off), used by paired threads: it pairs by
# address, so the worker's wait maps to ref's cv, whose producer is ref main,
# analog 200: a rung 201 -> 200, and the root blocks 200 and 201.
hdr='{"wedge_trace":1,"engine":"wedge-record","observes":["set","release","wait","thread","other"]}'
printf '%s\n' "$hdr" \
    '{"t":1,"tid":100,"op":"thread.create","lr":"prog+0x16ad","new_tid":101,"entry_pc":"prog+0x154c"}' \
    '{"t":2,"tid":100,"op":"read","lr":"prog+0x16fa","obj":"0x003F3499"}' \
    '{"t":3,"tid":100,"op":"pthread_mutex_lock","lr":"prog+0x1705","obj":"0x555555558220"}' \
    '{"t":4,"tid":100,"op":"pthread_cond_signal","lr":"prog+0x16e0","obj":"0x5555555581A0"}' \
    '{"t":5,"tid":100,"op":"pthread_mutex_unlock","lr":"prog+0x16e8","obj":"0x555555558220"}' \
    '{"t":6,"tid":100,"op":"read","lr":"prog+0x16fa","obj":"0x003F3499"}' \
    '{"t":7,"tid":100,"op":"pthread_mutex_lock","lr":"prog+0x1705","obj":"0x555555558220"}' \
    '{"t":8,"tid":100,"op":"pthread_cond_signal","lr":"prog+0x1720","obj":"0x5555555581A0"}' \
    '{"t":9,"tid":100,"op":"pthread_mutex_unlock","lr":"prog+0x172c","obj":"0x555555558220"}' \
    '{"t":10,"tid":100,"op":"pthread_join","lr":"prog+0x173e","obj":"0x7FFFEF3FF6C0"}' \
    '{"t":11,"tid":101,"op":"pthread_mutex_lock","lr":"prog+0x155e","obj":"0x555555558220"}' \
    '{"t":12,"tid":101,"op":"pthread_mutex_unlock","lr":"prog+0x1581","obj":"0x555555558220"}' \
    '{"t":13,"tid":101,"op":"pthread_exit","obj":"0x7FFFEF3FF6C0"}' \
    '{"t":14,"tid":101,"op":"thread.exit"}' '{"t":15,"tid":100,"op":"thread.exit"}' \
    '{"op":"trace.end","t":16,"reason":"exit"}' >"$T/ext.ref"
printf '%s\n' "$hdr" \
    '{"t":1,"tid":200,"op":"thread.create","lr":"prog+0x16ad","new_tid":201,"entry_pc":"prog+0x154c"}' \
    '{"t":2,"tid":201,"op":"pthread_mutex_lock","lr":"prog+0x155e","obj":"0x555555558220"}' \
    '{"t":3,"tid":201,"op":"pthread_mutex_unlock","lr":"prog+0x15bd","obj":"0x555555558220"}' \
    '{"t":4,"tid":201,"op":"pthread_cond_wait","lr":"prog+0x15bd","obj":"0x5555555581A0"}' \
    '{"t":5,"tid":200,"op":"read","lr":"prog+0x16fa","obj":"0x003F346A"}' \
    '{"op":"trace.end","t":500000000,"reason":"signal"}' >"$T/ext.cand"
printf '%s\n' '0x1690 pipe_mode 0x100' '0x1540 chunk_worker 0x100' >"$T/ext.syms"
report ext --symbols "prog=$T/ext.syms"
eq "external: the root" "$(roots ext)" "external 200 100 0x003F346A 200,201 inferred"
eq "external: main's read, its site" "$(j ext '.root_causes[0] | "\(.op) \(.lr) \(.category)"')" \
    "read prog+0x16FA wait"
eq "external: cv pairs by address" \
    "$(j ext '[.object_map[] | select(.cand == "0x5555555581A0") | "\(.ref) \(.how)"] | join(",")')" \
    "0x5555555581A0 address"
eq "external: the worker waits for main" \
    "$(j ext '[.ladder[] | "\(.from)->\(.to) \(.op)"] | unique | join(",")')" "201->200 pthread_cond_signal"
eq "external: nothing unexplained" "$(j ext '.unexplained | length')" 0
eq "external: outcome" "$(j ext .outcome)" B
contains "external: the sentence" "$T/ext.md" \
    "**thread 200** waits in \`read\` at prog+0x16FA (\`pipe_mode+0x6A\`) on 0x003F346A, waiting on input from outside the program"
contains "external: why inferred" "$T/ext.md" "(it presumes a producer outside the traced program)"
contains "external: the ladder" "$T/ext.md" \
    "- chunk_worker+0xC 201 -> thread 200 -> (thread 200 waits on input from outside the program"
# the same pair where a traced thread writes the pipe in the reference
# (feeder 102, entry prog+0x1800, never started in cand): the read's object
# has a producer, so it is that thread's missing_thread, never external
{ sed -n 1,2p "$T/ext.ref"
  echo '{"t":1,"tid":100,"op":"thread.create","lr":"prog+0x16b0","new_tid":102,"entry_pc":"prog+0x1800"}'
  echo '{"t":1,"tid":102,"op":"write","lr":"prog+0x1810","obj":"0x003F3499"}'
  sed -n '3,$p' "$T/ext.ref"; } >"$T/fed.ref"
cp "$T/ext.cand" "$T/fed.cand"
report fed
eq "fed: not external" "$(j fed '[.root_causes[].kind] | join(",")')" missing_thread
eq "fed: the feeder" "$(j fed '.root_causes[0] | "\(.ref_tid) \(.obj) \(.blocks | join(","))"')" \
    "102 0x003F346A 200,201"
# the reference's reads have a finite timeout: they may have come back
# empty, so they do not show input that came: no external root
sed 's/"op":"read",/"op":"read","timeout":10000,/' "$T/ext.ref" >"$T/timed.ref"
cp "$T/ext.cand" "$T/timed.cand"
report timed
eq "timed: not external" "$(j timed '[.root_causes[].kind] | join(",")')" ""

finish
