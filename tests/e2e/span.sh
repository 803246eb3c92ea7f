#!/bin/sh
# The common span, the headline and the skew rule on small
# hand-written pairs; every expected value is worked out in the comments.
#   sh tests/e2e/span.sh BUILD_DIR
SUITE=span
. "$(dirname "$0")/lib.sh"
j() { jq -r "$2" "$T/$1.json"; }
# report NAME [OPTIONS]: NAME.ref against NAME.cand into NAME.json, NAME.md
report() {
    _n=$1
    shift
    "$W" report "$T/$_n.ref" "$T/$_n.cand" --json "$T/$_n.json" "$@" >"$T/$_n.md" 2>"$T/$_n.err"
    eq "$_n $* (exit status)" $? 0
}

# beats ORIGIN STEP N [T]: one thread's N heartbeats (NtReleaseSemaphore at
# lr 0x82000100) at ORIGIN + k*STEP, k = 1..N, each followed STEP/10 later by
# a wait with a timeout; after beat 5 (and 15) a KeSetEvent at lr 0x82000200
# half a step later.  T=no leaves t out (an untimed trace).
beats() {
    awk -v o="$1" -v s="$2" -v n="$3" -v timed="${4:-yes}" 'BEGIN {
        for (k = 1; k <= n; k++) {
            ev(o + k * s, "NtReleaseSemaphore", "0x82000100", "")
            ev(o + k * s + s / 10, "KeWaitForSingleObject", "0x82000300", ",\"timeout\":10000")
            if (k == 5 || k == 15)
                ev(o + k * s + s / 2, "KeSetEvent", "0x82000200", "")
        }
    }
    function ev(t, op, lr, extra) {
        if (timed == "yes")
            printf "{\"t\":%.0f,\"tid\":1,\"op\":\"%s\",\"lr\":\"%s\",\"obj\":\"0xF0000010\"%s}\n", t, op, lr, extra
        else
            printf "{\"tid\":1,\"op\":\"%s\",\"lr\":\"%s\",\"obj\":\"0xF0000010\"%s}\n", op, lr, extra
    }'
}

# --- a healthy pair: cand 5x slower, its own clock, stopped earlier ----------
# ref: beats every 1 ms from t = 1 ms to 20 ms, last event the wait at
# 20.1 ms; set after beats 5 and 15.  cand: t from 3e12 (CLOCK_MONOTONIC
# style), beats every 5 ms, 12 of them, last event the wait at +60.5 ms.
# Heartbeat release@0x82000100: 20 and 12 beats, each last beat in the last
# 10 % of its trace (ref 19 >= 0.9 * 19.1 ms; cand 55 >= 0.9 * 55.5 ms).
# n = 12, S = cand, L = ref: rate = (12 - 1) ms / (60 - 5) ms = 0.2;
# ref end = 12 ms + round(0.5 ms * 0.2) = 12.1 ms, within [12 ms, 13 ms - 1]:
# ns since ref's first event 11,100,000; cand end = its last event,
# 55,500,000 since its first.  Over the span both fire 12 beats and 1 set:
# all MATCH, outcome NONE.
beats 0 1000000 20 >"$T/healthy.ref"
beats 3000000000000 5000000 12 >"$T/healthy.cand"
report healthy
eq "progress: outcome" "$(j healthy .outcome)" NONE
eq "progress: method" "$(j healthy '.common_span | "\(.method) \(.requested) \(.reason)"')" "progress progress null"
eq "progress: heartbeat" "$(j healthy '.common_span.heartbeat | "\(.category) \(.lr) \(.op) \(.ref_beats) \(.cand_beats)"')" \
    "release 0x82000100 NtReleaseSemaphore 20 12"
eq "progress: ends" "$(j healthy '.common_span | "\(.ref_end) \(.ref_unit) \(.cand_end) \(.cand_unit)"')" \
    "11100000 ns 55500000 ns"
eq "progress: counts over the span" "$(j healthy '[.keys[] | "\(.ref)/\(.cand)/\(.ref_total)/\(.cand_total)/\(.status)"] | join(" ")')" \
    "12/12/20/12/MATCH 1/1/2/1/MATCH"
eq "progress: no headline" "$(j healthy '"\(.first_divergence) \(.first_key_divergence)"')" "null null"
contains "progress: the Markdown span line" "$T/healthy.md" \
    "**Common span** (by progress): heartbeat \`release\` at \`0x82000100\` (NtReleaseSemaphore), 20 beats in ref and 12 in cand; it ends in ref at 12.100 ms (11.100 ms after its first event); in cand at 3000.061 s (55.500 ms after its first event), its last event."
# --span time: the shorter length is ref's 19.1 ms; cand's first 19.1 ms
# hold 4 beats and no set: release 20/4 UNDER, set 2/0 MISSING
report healthy --span time
eq "time: outcome" "$(j healthy .outcome)" DIVERGED
eq "time: method and ends" "$(j healthy '.common_span | "\(.method) \(.ref_end) \(.cand_end) \(.heartbeat)"')" \
    "time 19100000 19100000 null"
eq "time: counts" "$(j healthy '[.keys[] | "\(.ref)/\(.cand)"] | join(" ")')" "20/4 2/0"
# --span whole: release 20/12 UNDER (12 < 16), set 2/1 UNDER
report healthy --span whole
eq "whole: outcome" "$(j healthy .outcome)" DIVERGED
eq "whole: method and ends" "$(j healthy '.common_span | "\(.method) \(.requested) \(.ref_end) \(.cand_end) \(.reason)"')" \
    "whole whole 19100000 55500000 null"
"$W" report "$T/healthy.ref" "$T/healthy.cand" --span sideways >/dev/null 2>"$T/err"
eq "bad --span (exit status)" $? 64
contains "bad --span message" "$T/err" "--span takes progress, time or whole: 'sideways'"
"$W" report --help >"$T/help" 2>&1
contains "report --help names --span" "$T/help" "--span M"

# --- an untimed reference that ran longer than a timed candidate -----------
# ref without t: positions are event indexes.  H1 W1 H2 W2 ... H5 W5 set
# H6 ...: beat k >= 6 sits at index 2k - 1, so beat 1 at 0, beat 12 at 23,
# beat 13 at 25.  rate = (23 - 0) / 55 ms; ref end = 23 + round(0.5 ms *
# rate) = 23 + round(0.209) = 23: the 24th event, input line 24.  Counts:
# release 12/12, set 1/1: NONE (by whole traces release 20/12 is UNDER).
beats 0 1 20 no >"$T/untimed.ref"
cp "$T/healthy.cand" "$T/untimed.cand"
report untimed
eq "untimed ref: outcome" "$(j untimed .outcome)" NONE
eq "untimed ref: span" "$(j untimed '.common_span | "\(.method) \(.ref_end) \(.ref_unit) \(.cand_end) \(.cand_unit)"')" \
    "progress 24 line 55500000 ns"
eq "untimed ref: counts" "$(j untimed '[.keys[] | "\(.ref)/\(.cand)"] | join(" ")')" "12/12 1/1"
# --span time needs t in both: whole, with the reason
report untimed --span time
eq "untimed ref: time falls back" "$(j untimed '.common_span | "\(.method) \(.requested) \(.reason)"')" \
    "whole time span by time needs t in both traces: one has none"

# --- no heartbeat: whole traces, with the reason -----------------------------
# 7 beats each: below the 8 a heartbeat needs
beats 0 1000000 7 >"$T/few.ref"
beats 0 1000000 7 >"$T/few.cand"
report few
eq "no heartbeat: whole" "$(j few '.common_span | "\(.method) \(.requested) \(.heartbeat) \(.ref_end) \(.cand_end)"')" \
    "whole progress null 6100000 6100000"
eq "no heartbeat: the reason" "$(j few .common_span.reason)" \
    "no heartbeat: no producer key fires at least 8 times and until the last 10 % of both traces"
contains "no heartbeat: the Markdown says why" "$T/few.md" "(by whole, --span progress fell back): no heartbeat: no producer key"
# a key firing often but only early in one trace is no heartbeat: the ref's
# beats stop at 10 ms, then the ref waits on until 100 ms
{ beats 0 1000000 10; printf '{"t":100000000,"tid":1,"op":"KeWaitForSingleObject","lr":"0x82000300","timeout":5}\n'; } \
    >"$T/early.ref"
beats 0 1000000 10 >"$T/early.cand"
report early
eq "beats that stop early: no heartbeat" "$(j early '.common_span | "\(.method) \(.heartbeat)"')" "whole null"

# --- the headline: the first producer cand has no counterpart for ------------
# set@0x400 fires 3 times at boot in both, then 5 more times in ref only:
# 8/3 UNDER.  release@0x500 fires once in ref, never in cand: MISSING.
# Ref producers: #0 #1 #2 set (ordinals 1-3 <= 3: matched), #3 release
# (ordinal 1 > 0: the headline), #4.. set.  The old rule (first producer of
# a MISSING or UNDER key) named #0, a matched event: first_key_divergence.
{
    printf '{"tid":1,"op":"KeSetEvent","lr":"0x400"}\n%.0s' 1 2 3
    printf '{"tid":1,"op":"NtReleaseSemaphore","lr":"0x500","obj":"0xF0000024"}\n'
    printf '{"tid":1,"op":"KeSetEvent","lr":"0x400"}\n%.0s' 1 2 3 4 5
    printf '{"tid":1,"op":"KeWaitForSingleObject","lr":"0x600","timeout":5}\n'
} >"$T/head.ref"
{
    printf '{"wedge_trace":1,"observes":["set","release","wait"]}\n'
    printf '{"tid":1,"op":"KeSetEvent","lr":"0x400"}\n%.0s' 1 2 3
    printf '{"tid":1,"op":"KeWaitForSingleObject","lr":"0x600","timeout":5}\n'
} >"$T/head.cand"
report head
eq "headline: first_divergence" "$(j head '.first_divergence | "\(.ref_index) \(.category) \(.lr) \(.ordinal) \(.cand_count) \(.status) \(.line)"')" \
    "3 release 0x00000500 1 0 MISSING 4"
eq "headline: first_shortfall is the same event" "$(j head '.first_shortfall | "\(.ref_index) \(.line)"')" "3 4"
eq "headline: first_key_divergence keeps the old rule" \
    "$(j head '.first_key_divergence | "\(.ref_index) \(.category) \(.lr) \(.ordinal) \(.status)"')" \
    "0 set 0x00000400 1 UNDER"
contains "headline: Markdown names the release" "$T/head.md" \
    "**First divergence.** ref producer #3, at line 4, thread 1, is the first cand has no counterpart for at that point of progress: the 1st \`release\` at \`0x00000500\`"
contains "headline: the key divergence line" "$T/head.md" \
    "First key divergence (the first producer whose key is MISSING or UNDER): ref producer #0, at line 1"
eq "headline: no matched event heads" "$(grep -c 'First divergence.\*\* ref producer #0' "$T/head.md")" 0
eq "headline: boot window up to it" "$(j head .boot_delta.window)" 3

# --- skew: rebased milestones, > 2x and >= 10 ms late ------------------------
# Each trace: A at its first t, then the first set@0x10 at +4.8 us (cand
# +5.4 ms: 1125x, but only 5.4 ms late), the first set@0x20 at +3 ms (cand
# +15 ms: 5x and 12 ms late: the skew starts), set@0x30 at +10 ms (cand +50 ms).
skew() {
    o=$1 a=$2 b=$3 c=$4
    printf '{"t":%s,"tid":1,"op":"KeSetEvent","lr":"0x8"}\n' "$o"
    printf '{"t":%s,"tid":1,"op":"KeSetEvent","lr":"0x10"}\n' "$((o + a))"
    printf '{"t":%s,"tid":1,"op":"KeSetEvent","lr":"0x20"}\n' "$((o + b))"
    printf '{"t":%s,"tid":1,"op":"KeSetEvent","lr":"0x30"}\n' "$((o + c))"
    printf '{"t":%s,"tid":1,"op":"KeWaitForSingleObject","lr":"0x40","timeout":5}\n' "$((o + c + 1))"
}
for origin in 0 3000000000000; do
    skew 1000000 4800 3000000 10000000 >"$T/skew.ref"
    skew "$origin" 5400000 15000000 50000000 >"$T/skew.cand"
    report skew
    eq "skew ($origin): rebased milestones" \
        "$(j skew '[.boot_delta.milestones[] | "\(.ref_t)/\(.cand_t)/\(.ratio)"] | join(" ")')" \
        "0/0/null 4800/5400000/1125 3000000/15000000/5 10000000/50000000/5"
    eq "skew ($origin): the start" "$(j skew '.boot_delta.skew_start | "\(.what) \(.ref_t) \(.cand_t)"')" \
        "first set KeSetEvent@0x00000020 3000000 15000000"
    contains "skew ($origin): the sentence" "$T/skew.md" \
        "**The skew starts at: first set KeSetEvent@0x00000020, 5.0x later in cand: 3.000 ms vs 15.000 ms after each trace's first event.**"
done
# tiny times alone never start a skew
skew 1000000 4800 3000000 4000000 >"$T/skew.ref"
skew 0 5400000 5500000 6000000 >"$T/skew.cand"
report skew
eq "skew: none under 10 ms late" "$(j skew .boot_delta.skew_start)" null

finish
