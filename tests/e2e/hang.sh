#!/bin/sh
# The end of a run and the verdict's checks (issue 9):
# a candidate killed right at its hang, the three ways to say when a run
# ended, the all-blocked rule, INCONCLUSIVE and the verdict warnings.
#   sh tests/e2e/hang.sh BUILD_DIR
SUITE=hang
. "$(dirname "$0")/lib.sh"
# report NAME REF CAND [options]: wedge into $T/NAME.json and $T/NAME.md
report() { report_files "$@"; }
j() { jq -r "$2" "$T/$1.json"; }
wedged() { j "$1" '[.wedged[] | select(.engine == "cand") | "\(.tid) \(.wedged_by)"] | join(",")'; }
codes() { j "$1" '[.warnings[].code] | join(",")'; }
S=1000000000
hdr='{"wedge_trace":1,"observes":["set","release","wait","signal_wait","create","thread","other"]}'

# A healthy reference, 10 rounds of 1 s: worker 2 waits on E0, main 1 sets
# E0, 2 sets E1, 1 waits on E1; then main runs on (t = 10.5 s).
head='{"t":0,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0xE0"}
{"t":0,"tid":1,"op":"NtCreateEvent","lr":"0x101","obj":"0xE1"}
{"t":0,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}'
round() { # round I [skip-set]: one round at I seconds
    b=$(($1 * S))
    echo "{\"t\":$b,\"tid\":2,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x8004\",\"obj\":\"0xE0\"}"
    if [ -z "${2:-}" ]; then
        echo "{\"t\":$((b + 1000)),\"tid\":1,\"op\":\"NtSetEvent\",\"lr\":\"0x110\",\"obj\":\"0xE0\"}"
        echo "{\"t\":$((b + 2000)),\"tid\":2,\"op\":\"NtSetEvent\",\"lr\":\"0x8010\",\"obj\":\"0xE1\"}"
    fi
    echo "{\"t\":$((b + 3000)),\"tid\":1,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x114\",\"obj\":\"0xE1\"}"
}
{
    echo "$hdr"
    echo "$head"
    for i in 1 2 3 4 5 6 7 8 9 10; do round $i; done
    echo "{\"t\":$((10 * S + S / 2)),\"tid\":1,\"op\":\"KeQueryPerformanceCounter\",\"lr\":\"0x120\"}"
} >"$T/ref"
# The candidate: in round 10 main skips its set, so both threads block, and
# the engine is killed right there: the last event (t = 10 s + 3 us) is the
# last wait, no silence at all before the end of the trace.
{
    echo "$hdr"
    echo "$head"
    for i in 1 2 3 4 5 6 7 8 9; do round $i; done
    round 10 skip
} >"$T/cand"
last=$((10 * S + 3000))

# (d) no end given: every live thread ends in a wait with no timeout, a
# total hang: both wedged by all_blocked (the silence rule alone finds none)
report bare "$T/ref" "$T/cand"
eq "bare: wedged" "$(wedged bare)" "1 all_blocked,2 all_blocked"
eq "bare: end_source" "$(j bare .cand.end_source)" last_event
eq "bare: ended_at" "$(j bare .cand.ended_at)" "$last"
eq "bare: ref not all blocked" "$(j bare '[.wedged[] | select(.engine == "ref")] | length')" 0
eq "bare: ref end_source" "$(j bare .ref.end_source)" last_event
contains "bare: markdown names the rule" "$T/bare.md" "**wedged** (all blocked) at"
contains "bare: markdown says why" "$T/bare.md" "a total hang, so all of them are wedged (all blocked)"

# (a) a trace.end line 5 s after the last event: threshold 25% of 15 s =
# 3.75 s, both threads sat 5 s: wedged by silence
{ cat "$T/cand"; echo "{\"op\":\"trace.end\",\"t\":$((last + 5 * S))}"; } >"$T/cand.marker"
report marker "$T/ref" "$T/cand.marker"
eq "marker: wedged" "$(wedged marker)" "1 silence,2 silence"
eq "marker: end_source" "$(j marker .cand.end_source)" marker
eq "marker: ended_at" "$(j marker .cand.ended_at)" "$((last + 5 * S))"
# the marker is no event and its line is counted once, as ignored
eq "marker: events" "$(j marker .cand.events)" "$(j bare .cand.events)"
eq "marker: ignored" "$(j marker .cand.ignored)" "$(($(j bare .cand.ignored) + 1))"
eq "marker: lines = events + ignored + malformed" \
    "$(j marker '.cand.lines == .cand.events + .cand.ignored + .cand.malformed')" true
contains "marker: markdown names the rule" "$T/marker.md" "**wedged** (silence) at"
contains "marker: markdown names the end" "$T/marker.md" "(its trace.end line)"

# (b) the header member ended_at, same end
{
    echo '{"wedge_trace":1,"ended_at":'$((last + 5 * S))',"observes":["set","release","wait","signal_wait","create","thread","other"]}'
    sed 1d "$T/cand"
} >"$T/cand.header"
report header "$T/ref" "$T/cand.header"
eq "header: wedged" "$(wedged header)" "1 silence,2 silence"
eq "header: end_source" "$(j header .cand.end_source)" header

# (c) --ended-at, in ns and as a duration; it wins over the marker
report option "$T/ref" "$T/cand" --ended-at "cand=$((last + 5 * S))"
eq "option: wedged" "$(wedged option)" "1 silence,2 silence"
eq "option: end_source" "$(j option .cand.end_source)" option
report option2 "$T/ref" "$T/cand.marker" --ended-at cand=15.000003s
eq "option over marker: end_source" "$(j option2 .cand.end_source)" option
eq "option over marker: ended_at" "$(j option2 .cand.ended_at)" 15000003000
report option3 "$T/ref" "$T/cand" --ended-at ref=11s --ended-at cand=15000003000ns
eq "option for both: ref end_source" "$(j option3 .ref.end_source)" option
eq "option for both: cand wedged" "$(wedged option3)" "1 silence,2 silence"
for bad in cand=soon ref= side=5s 5s cand=-1s; do
    status "bad --ended-at $bad" 64 "$W" report "$T/ref" "$T/cand" --ended-at "$bad"
done

# an end before the last event is ignored with a warning (and, being an
# explicit end, stops the all-blocked rule)
report early "$T/ref" "$T/cand" --ended-at cand=5s
eq "early end: end_source" "$(j early .cand.end_source)" last_event
eq "early end: warning" "$(codes early)" end_ignored
eq "early end: no wedge" "$(wedged early)" ""
grep '^\*\*outcome' "$T/early.md" | grep -qF 'Warning (end_ignored)'
eq "early end: on the verdict line" $? 0

# a live thread whose last event is a timed wait comes back: not a total hang
{
    cat "$T/cand"
    echo '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x9000","new_tid":3}'
    echo "{\"t\":$((last - 1000)),\"tid\":3,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0x9004\",\"obj\":\"0xE2\",\"timeout\":10000}"
} >"$T/cand.timed"
report timed "$T/ref" "$T/cand.timed"
eq "timed wait: not all blocked" "$(wedged timed)" ""
eq "timed wait: the end is the last event" "$(j timed .cand.end_source)" last_event

# trace.end needs t; tid is optional
{ cat "$T/cand"; echo '{"op":"trace.end","tid":1}'; } >"$T/cand.not"
report not "$T/ref" "$T/cand.not"
eq "trace.end without t: malformed" "$(j not '.cand.malformed_lines[0].message')" "trace.end needs t"
eq "trace.end without t: no end" "$(j not .cand.end_source)" last_event

# --- INCONCLUSIVE -----------------------------------------------------------
# a healthy run of the worker pair (10 rounds, no hang) as candidate
{ echo "$hdr"; echo "$head"; for i in 1 2 3 4 5 6 7 8 9 10; do round $i; done; } >"$T/good"
report good "$T/ref" "$T/good"
eq "good: conclusive" "$(j good .outcome)" NONE
eq "good: no reasons" "$(j good '.reasons | tostring')" "[]"
eq "good: no provisional" "$(j good .provisional_outcome)" null
eq "good: no warnings" "$(j good '.warnings | tostring')" "[]"

: >"$T/empty"
report empty "$T/ref" "$T/empty"
eq "empty cand: outcome" "$(j empty .outcome)" INCONCLUSIVE
eq "empty cand: reason" "$(j empty '.reasons | join(";")')" "the candidate trace has no events"
# (an empty trace observes nothing: every key is UNOBSERVABLE, so NONE)
eq "empty cand: provisional" "$(j empty .provisional_outcome)" NONE
grep -q '^\*\*outcome INCONCLUSIVE: .*(provisionally NONE, not to be trusted).\*\* Why: the candidate trace has no events\.' "$T/empty.md"
eq "empty cand: verdict line" $? 0
"$W" report "$T/ref" "$T/empty" --dot "$T/empty.dot" >/dev/null 2>&1
eq "empty cand: dot exit" $? 0
contains "empty cand: dot says INCONCLUSIVE" "$T/empty.dot" 'label="INCONCLUSIVE'
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$T/empty.dot" >/dev/null 2>&1
    eq "empty cand: graphviz reads the dot" $? 0
fi

# 997 of 1000 lines malformed (99.7%)
{ cat "$T/good" | head -n 3; i=0; while [ $i -lt 997 ]; do echo 'not json'; i=$((i + 1)); done; } >"$T/junk"
report junk "$T/ref" "$T/junk"
eq "malformed cand: outcome" "$(j junk .outcome)" INCONCLUSIVE
j junk '.reasons[]' | grep -qF '997 of the 1000 lines of the candidate trace are malformed (99.7%), more than --max-malformed 5%'
eq "malformed cand: reason" $? 0
report junk100 "$T/ref" "$T/junk" --max-malformed 100%
j junk100 '.reasons[]' | grep -q malformed
eq "--max-malformed 100%: no malformed reason" $? 1
for bad in 101% abc -1 5%%; do
    status "bad --max-malformed $bad" 64 "$W" report "$T/ref" "$T/junk" --max-malformed "$bad"
done

# a candidate with no producers while the reference has some
grep -v NtSetEvent "$T/good" >"$T/noprod"
report noprod "$T/ref" "$T/noprod"
eq "no producers: outcome" "$(j noprod .outcome)" INCONCLUSIVE
j noprod '.reasons[]' | grep -qF 'the candidate trace has no producer events'
eq "no producers: reason" $? 0

# a candidate with no waits (and no header): it cannot show no thread is wedged
grep -v -e KeWait -e wedge_trace "$T/good" >"$T/nowait"
report nowait "$T/ref" "$T/nowait"
eq "no waits: outcome" "$(j nowait .outcome)" INCONCLUSIVE
eq "no waits: provisional" "$(j nowait .provisional_outcome)" NONE
j nowait '.reasons[]' | grep -qF 'the candidate trace shows no waits'
eq "no waits: reason" $? 0

# the candidate's one thread shares no key with the reference's, but it is
# its main (nobody created it) and pairs with the reference's main: the
# mains always pair, so "no thread pairs" no longer makes it INCONCLUSIVE
{
    echo "$hdr"
    echo '{"t":0,"tid":50,"op":"NtSetEvent","lr":"0x7000","obj":"0xA0"}'
    echo '{"t":5,"tid":50,"op":"KeWaitForSingleObject","lr":"0x7004","obj":"0xA0","timeout":100}'
} >"$T/stranger"
report stranger "$T/ref" "$T/stranger"
eq "stranger: the mains pair" "$(j stranger '[.thread_map[] | "\(.ref)=\(.cand):\(.how)"] | join(" ")')" "1=50:main"
eq "stranger: outcome" "$(j stranger .outcome)" DIVERGED

# a producer-only reference (no header, no waits) is normal: conclusive
grep -e NtSetEvent -e NtCreateEvent "$T/ref" >"$T/prodonly"
report prodonly "$T/prodonly" "$T/good"
eq "producer-only ref: conclusive" "$(j prodonly .outcome)" NONE
eq "producer-only ref: no reasons" "$(j prodonly '.reasons | tostring')" "[]"

# --- warnings ---------------------------------------------------------------
# swapped: a run that sets only every other round (5 sets per key against
# 10: UNDER as a candidate) given as REF: both keys are OVER
{
    echo "$hdr"
    echo "$head"
    for i in 1 2 3 4 5 6 7 8 9 10; do [ $((i % 2)) = 1 ] && round $i || round $i skip; done
} >"$T/short"
report swapped "$T/short" "$T/ref"
eq "swapped: warning" "$(codes swapped)" swapped
grep '^\*\*outcome' "$T/swapped.md" | grep -qF 'Warning (swapped): the candidate out-produces the reference on 2 of 2 keys'
eq "swapped: on the verdict line" $? 0
report notswapped "$T/ref" "$T/short"
eq "not swapped: no warning" "$(codes notswapped)" ""

# a candidate whose producers carry no lr: keys fall back to (category, op)
sed 's/,"lr":"0x[0-9A-Fa-f]*"//' "$T/good" >"$T/nolr"
report nolr "$T/ref" "$T/nolr"
eq "lr-less cand: key mode" "$(j nolr .key_mode)" op
eq "lr-less cand: warning" "$(codes nolr)" op_keys

# a header-less candidate with no set events: its set keys, MISSING in
# truth, become UNOBSERVABLE; the verdict line says so
grep -v -e wedge_trace -e NtSetEvent "$T/good" >"$T/nohdr"
report nohdr "$T/ref" "$T/nohdr"
eq "header-less cand: warning" "$(codes nohdr)" assumed_unobserved
j nohdr '.warnings[0].message' | grep -qF 'the candidate trace has no header naming what it observes, so the producer categories it has no events of were assumed unobserved and their keys UNOBSERVABLE: set'
eq "header-less cand: message" $? 0
grep '^\*\*outcome' "$T/nohdr.md" | grep -qF 'Warning (assumed_unobserved)'
eq "header-less cand: on the verdict line" $? 0
# lacking only a category no key is of (create) changes no status: no warning
grep -v -e wedge_trace -e NtCreateEvent "$T/good" >"$T/nocreate"
report nocreate "$T/ref" "$T/nocreate"
eq "header-less cand without create: no warning" "$(codes nocreate)" ""

finish
