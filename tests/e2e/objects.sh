#!/bin/sh
# Objects by identity, WaitAny objects by their position, and the signal
# kinds (latch, pulse, condition) on small hand-written traces; each
# case's expected answer is worked out in its comment.
#   sh tests/e2e/objects.sh BUILD_DIR
SUITE=objects
. "$(dirname "$0")/lib.sh"
report() { report_case "$@"; }
j() { jcase "$@"; }
kinds() { j "$1" '[.root_causes[].kind] | join(",")'; }
objmap() { j "$1" '[.object_map[] | "\(.cand)>\(.ref):\(.how)"] | join(" ")'; }

# --- identity: a Ke pointer the reference signals 3000 times --------------
# A producer-only reference (no waits): thread 7 (entry 0x8000) sets the
# guest pointer 0x7015FA80 3000 times at 0x8010.  In the candidate the
# same thread (2) sets only 0x70160000 and falls silent at t=3; main (1)
# waits on 0x7015FA80 from t=10 to the end (t=1000): wedged.  Nothing but
# identity can match 0x7015FA80 (no creation, no cand producer, no ref
# waiter); through it the ref producer 7 -> cand 2, silent: silent_thread.
# 0x7015FB00 is contradicted (created at 0x200 in ref, 0x204 in cand) and
# 0x7015FC00 too (set at 0x8030 in ref, 0x8034 in cand): neither matches.
{
    echo '{"t":1,"tid":6,"op":"KeInitializeEvent","lr":"0x200","obj":"0x7015FB00"}'
    echo '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}'
    echo '{"t":3,"tid":7,"op":"KeSetEvent","lr":"0x8020","obj":"0x70160000"}'
    echo '{"t":3,"tid":7,"op":"KeSetEvent","lr":"0x8030","obj":"0x7015FC00"}'
    seq 1 3000 | sed 's/.*/{"t":&,"tid":7,"op":"KeSetEvent","lr":"0x8010","obj":"0x7015FA80"}/'
} >"$T/ident.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"KeInitializeEvent","lr":"0x204","obj":"0x7015FB00"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":3,"tid":2,"op":"KeSetEvent","lr":"0x8020","obj":"0x70160000"}' \
    '{"t":3,"tid":2,"op":"KeSetEvent","lr":"0x8034","obj":"0x7015FC00"}' \
    '{"t":10,"tid":1,"op":"KeWaitForMultipleObjects","lr":"0x110","objs":["0x7015FA80","0x7015FB00","0x7015FC00"],"wait_all":true}' \
    '{"t":1000,"tid":3,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/ident.cand"
report ident
eq "identity: object map" "$(objmap ident)" \
    "0x70160000>0x70160000:identity 0x7015FA80>0x7015FA80:identity"
eq "identity: root" "$(j ident '[.root_causes[] | select(.obj == "0x7015FA80") | "\(.kind) \(.tid) \(.ref_tid)"] | join(" ")')" \
    "silent_thread 2 7"
if grep -q "0x7015FA80.*no counterpart" "$T/ident.md"; then
    bad "identity: the report says 0x7015FA80 has no counterpart"
else ok; fi
contains "identity: Markdown count" "$T/ident.md" "Object map: 2 cand objects matched to ref objects: 2 by identity."

# --op-kind KeSetEvent=handle (and the waits) takes identity away
report_files identk "$T/ident.ref" "$T/ident.cand" --op-kind KeSetEvent=handle --op-kind KeWaitForMultipleObjects=handle \
    --op-kind KeInitializeEvent=handle
eq "identity: --op-kind handle" "$(j identk '[.object_map[] | select(.how == "identity")] | length')" 0
# and NtSetEvent=pointer gives it to handles that happen to be equal
sed 's/KeSetEvent/NtSetEvent/; s/KeWaitForMultipleObjects/NtWaitForMultipleObjectsEx/' "$T/ident.ref" >"$T/identn.ref"
sed 's/KeSetEvent/NtSetEvent/; s/KeWaitForMultipleObjects/NtWaitForMultipleObjectsEx/' "$T/ident.cand" >"$T/identn.cand"
report identn
eq "handles: no identity" "$(j identn '[.object_map[] | select(.how == "identity")] | length')" 0
report_files identp "$T/identn.ref" "$T/identn.cand" --op-kind NtSetEvent=pointer --op-kind NtWaitForMultipleObjectsEx=pointer
eq "handles: --op-kind pointer" "$(objmap identp)" \
    "0x70160000>0x70160000:identity 0x7015FA80>0x7015FA80:identity"
status "--op-kind bad value" 64 "$W" report "$T/ident.ref" "$T/ident.cand" --op-kind KeSetEvent=ptr
contains "--op-kind bad value: message" "$T/err" "--op-kind takes NAME=KIND"
status "--op-signal bad value" 64 "$W" report "$T/ident.ref" "$T/ident.cand" --op-signal X=latched
contains "--op-signal bad value: message" "$T/err" "--op-signal takes NAME=KIND"
status "--op-kind no name" 64 "$W" stats "$T/ident.ref" --op-kind =pointer

# --- handles that differ: creation site and producers as before ----------
# ref handles 0xF10 (created at 0x100) and 0xF20 (set at 0x8040 by 7);
# cand 0x1004 (created at 0x100) and 0x1008 (set at 0x8040 by 2, whose
# analog is 7).  The cand handle 0xF20 is set at 0x8050, the ref's 0xF20
# never there: equal handles are not the same object.
printf '%s\n' '{"t":1,"tid":6,"op":"NtCreateEvent","lr":"0x100","obj":"0xF10"}' \
    '{"t":2,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}' \
    '{"t":3,"tid":7,"op":"NtSetEvent","lr":"0x8040","obj":"0xF20"}' \
    '{"t":4,"tid":7,"op":"NtSetEvent","lr":"0x8050","obj":"0xF30"}' \
    '{"t":5,"tid":6,"op":"NtWaitForSingleObjectEx","lr":"0x110","obj":"0xF10"}' \
    '{"t":6,"tid":7,"op":"NtSetEvent","lr":"0x8060","obj":"0xF10"}' \
    '{"t":100,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' >"$T/handles.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"NtCreateEvent","lr":"0x100","obj":"0x1004"}' \
    '{"t":2,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
    '{"t":3,"tid":2,"op":"NtSetEvent","lr":"0x8040","obj":"0x1008"}' \
    '{"t":4,"tid":2,"op":"NtSetEvent","lr":"0x8050","obj":"0xF20"}' \
    '{"t":5,"tid":1,"op":"NtWaitForSingleObjectEx","lr":"0x110","obj":"0x1004"}' \
    '{"t":100,"tid":3,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/handles.cand"
report handles
eq "handles: object map" "$(objmap handles)" \
    "0x00001004>0x00000F10:creation_site 0x00001008>0x00000F20:producers 0x00000F20>0x00000F30:producers"
contains "handles: Markdown count" "$T/handles.md" "1 by creation_site, 2 by producers."

# --- WaitAny(work, quit): objects by their position at the wait ----------
# ref worker 7 (entry 0x9000) waits WaitAny(0xE1 work, 0xE2 quit) at 0x9010,
# woken each time by producer 8 (entry 0xA000) setting work at 0xA010.  In
# the candidate producer 3 sets only 0x43 (as ref 8 sets 0xE3) and falls
# silent at t=4; worker 2 waits WaitAny(0x41, 0x42) at 0x9010 from t=5 to
# the end.  Work and quit have the same waiters, and the cand work has no
# producer: only the wait position maps 0x41->0xE1 and 0x42->0xE2; then
# ref producer 8 of work -> cand 3, silent before the wait: silent_thread.
{
    printf '%s\n' '{"t":1,"tid":6,"op":"thread.create","entry_pc":"0x9000","new_tid":7}' \
        '{"t":1,"tid":6,"op":"thread.create","entry_pc":"0xA000","new_tid":8}' \
        '{"t":2,"tid":8,"op":"NtSetEvent","lr":"0xA020","obj":"0xE3"}'
    for i in 1 2 3 4 5 6 7 8; do
        echo "{\"t\":$((i * 10)),\"tid\":7,\"op\":\"NtWaitForMultipleObjectsEx\",\"lr\":\"0x9010\",\"objs\":[\"0xE1\",\"0xE2\"],\"wait_all\":false}"
        echo "{\"t\":$((i * 10 + 1)),\"tid\":8,\"op\":\"NtSetEvent\",\"lr\":\"0xA010\",\"obj\":\"0xE1\"}"
    done
    echo '{"t":100,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}'
} >"$T/waitany.ref"
printf '%s\n' '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x9000","new_tid":2}' \
    '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0xA000","new_tid":3}' \
    '{"t":2,"tid":3,"op":"NtSetEvent","lr":"0xA020","obj":"0x43"}' \
    '{"t":5,"tid":2,"op":"NtWaitForMultipleObjectsEx","lr":"0x9010","objs":["0x41","0x42"],"wait_all":false}' \
    '{"t":100,"tid":1,"op":"KeQueryPerformanceCounter","lr":"0x120"}' >"$T/waitany.cand"
report waitany
eq "waitany: object map" "$(objmap waitany)" \
    "0x00000041>0x000000E1:wait_position 0x00000042>0x000000E2:wait_position 0x00000043>0x000000E3:producers"
eq "waitany: root" "$(j waitany '[.root_causes[] | "\(.kind) \(.tid) \(.ref_tid) \(.obj)"] | join(" | ")')" \
    "silent_thread 3 8 0x00000041"
eq "waitany: outcome" "$(j waitany .outcome)" B
# with work and quit swapped at the candidate's wait they follow positions
sed 's/\["0x41","0x42"\]/["0x42","0x41"]/' "$T/waitany.cand" >"$T/waitsw.cand"
cp "$T/waitany.ref" "$T/waitsw.ref"
report waitsw
eq "waitany swapped: object map" "$(j waitsw '[.object_map[] | select(.how == "wait_position") | "\(.cand)>\(.ref)"] | join(" ")')" \
    "0x00000042>0x000000E1 0x00000041>0x000000E2"

# --- pulse and condition signals ----------------------------------------
# The reference: main (6) waits on the event at 0x110 and is woken by a set
# from 7 (entry 0x8000), then runs to t=100.  The candidate's main (1)
# waits at 0x110 from its wait to the end (t=100): wedged, divergent.  The
# candidate's thread 2 signals the event with SIGOP before (t=3) or after
# (t=6) main's wait (t=5); 2 also sets 0x70300000 at 0x8020 (as in ref).
# pulse_case NAME SIGOP WAITOP WHEN [OBJ]
pulse_case() {
    n=$1 sig=$2 wop=$3 when=$4 obj=${5:-0x70200000}
    printf '%s\n' '{"t":1,"tid":6,"op":"thread.create","entry_pc":"0x8000","new_tid":7}' \
        '{"t":2,"tid":7,"op":"KeSetEvent","lr":"0x8020","obj":"0x70300000"}' \
        "{\"t\":5,\"tid\":6,\"op\":\"$wop\",\"lr\":\"0x110\",\"obj\":\"$obj\"}" \
        "{\"t\":6,\"tid\":7,\"op\":\"$sig\",\"lr\":\"0x8010\",\"obj\":\"$obj\"}" \
        '{"t":100,"tid":6,"op":"KeQueryPerformanceCounter","lr":"0x120"}' >"$T/$n.ref"
    printf '%s\n' '{"t":1,"tid":1,"op":"thread.create","entry_pc":"0x8000","new_tid":2}' \
        '{"t":2,"tid":2,"op":"KeSetEvent","lr":"0x8020","obj":"0x70300000"}' \
        "{\"t\":$when,\"tid\":2,\"op\":\"$sig\",\"lr\":\"0x8010\",\"obj\":\"$obj\"}" \
        "{\"t\":5,\"tid\":1,\"op\":\"$wop\",\"lr\":\"0x110\",\"obj\":\"$obj\"}" \
        '{"t":100,"tid":3,"op":"KeQueryPerformanceCounter","lr":"0x900"}' >"$T/$n.cand"
    shift 4
    [ $# -gt 0 ] && shift
    report "$n" "$@"
}
sbb() { j "$1" '[.root_causes[] | select(.kind == "signaled_but_blocked") | "\(.tid) \(.op) \(.obj)"] | join(" | ")'; }
wedged1() { j "$1" '[.wedged[] | select(.engine == "cand") | .tid] | join(",")'; }

# a pulse with no waiter is lost: main waits after it, and is wedged for
# want of a signal, not blocked despite one
pulse_case pulse_before KePulseEvent KeWaitForSingleObject 3
eq "pulse before the wait: wedged" "$(wedged1 pulse_before)" 1
eq "pulse before the wait: no signaled_but_blocked" "$(sbb pulse_before)" ""
pulse_case npulse_before NtPulseEvent NtWaitForSingleObjectEx 3 0x44
eq "NtPulseEvent before the wait: no signaled_but_blocked" "$(sbb npulse_before)" ""
# a pulse while main already waited should have woken it
pulse_case pulse_after KePulseEvent KeWaitForSingleObject 6
eq "pulse while waiting: signaled_but_blocked" "$(sbb pulse_after)" "1 KePulseEvent 0x70200000"
eq "pulse while waiting: outcome" "$(j pulse_after .outcome)" B
# a condition-variable handshake: the signal before the wait is lost by design
pulse_case cond_before pthread_cond_signal pthread_cond_wait 3
eq "condvar signal before the wait: wedged" "$(wedged1 cond_before)" 1
eq "condvar signal before the wait: no signaled_but_blocked" "$(sbb cond_before)" ""
pulse_case wake_before WakeAllConditionVariable SleepConditionVariableSRW 3
eq "WakeAll before the sleep: wedged" "$(wedged1 wake_before)" 1
eq "WakeAll before the sleep: no signaled_but_blocked" "$(sbb wake_before)" ""
# ... and one while the waiter waits should have woken it
pulse_case cond_after pthread_cond_broadcast pthread_cond_wait 6
eq "condvar broadcast while waiting: signaled_but_blocked" "$(sbb cond_after)" \
    "1 pthread_cond_broadcast 0x70200000"
# a latched set before the wait still blocks nobody rightly
pulse_case latch_before KeSetEvent KeWaitForSingleObject 3
eq "latched set before the wait: signaled_but_blocked" "$(sbb latch_before)" "1 KeSetEvent 0x70200000"
# --op-signal makes the pulse latch, and the set a pulse
pulse_case pulse_latched KePulseEvent KeWaitForSingleObject 3 0x70200000 --op-signal KePulseEvent=latch
eq "--op-signal KePulseEvent=latch" "$(sbb pulse_latched)" "1 KePulseEvent 0x70200000"
pulse_case set_pulsed KeSetEvent KeWaitForSingleObject 3 0x70200000 --op-signal KeSetEvent=pulse
eq "--op-signal KeSetEvent=pulse" "$(sbb set_pulsed)" ""
# a timed condition wait comes back: never wedged
pulse_case cond_timed pthread_cond_signal pthread_cond_timedwait 3
eq "pthread_cond_timedwait: not wedged" "$(wedged1 cond_timed)" ""

finish
