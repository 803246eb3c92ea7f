#!/bin/sh
# wedge simulate: the simulator's own invariants, checked from truth.json
# (what the simulator knows), then wedge report on every built-in scenario
# and several seeds, checked against truth.json.
#   sh tests/e2e/sim.sh BUILD_DIR [SEEDS]
SUITE=sim
. "$(dirname "$0")/lib.sh"
SEEDS=${2:-"1 2 3 4 5"}
j() { jq -r "$2" "$1"; }
# compare NAME REPORT TRUTH full|shape: the checks of sim-compare.jq
compare() {
    jq -n -r --slurpfile r "$2" --slurpfile x "$3" --arg mode "$4" \
        -f "$(dirname "$0")/sim-compare.jq" >"$2.cmp" || bad "$1: sim-compare.jq failed"
    while IFS='	' read -r _c_desc _c_got _c_want; do
        eq "$1 $_c_desc" "$_c_got" "$_c_want"
    done <"$2.cmp"
}
# the families of the candidate's wedged threads, sorted, comma-joined
wedged_families() { jq -r '[.wedged[] | select(.engine == "cand") | .family] | sort | join(",")' "$1"; }

# --- the command line --------------------------------------------------
"$W" simulate --list >"$T/list" 2>&1
eq "--list exit" $? 0
eq "--list names twelve scenarios" "$(grep -c '^[a-z]' "$T/list")" 12
"$W" simulate healthy >/dev/null 2>&1
eq "no -o" $? 64
"$W" simulate nosuch -o "$T/x" >/dev/null 2>&1
eq "unknown scenario" $? 64
"$W" simulate healthy -o "$T/x" --fault bogus >/dev/null 2>&1
eq "unknown fault" $? 64
"$W" simulate healthy -o "$T/x" --fault skip:cache:wait_request:3 >/dev/null 2>&1
eq "skip of a non-producer site" $? 64
"$W" simulate healthy -o "$T/x" --ref-format csv >/dev/null 2>&1
eq "bad --ref-format" $? 64
"$W" simulate healthy -o "$T/x" --seconds -1 >/dev/null 2>&1
eq "bad --seconds" $? 64
"$W" simulate healthy -o /proc/wedge >/dev/null 2>&1
eq "unwritable -o" $? 73
for bad in "--slowdown 0.5" "--slowdown x" "--clock-offset -1" "--cand-clock tick" \
    "--ref-helpers 0" "--ref-helpers 17" "--cand-clock cycle --end-marker"; do
    # shellcheck disable=SC2086
    "$W" simulate healthy -o "$T/x" $bad >/dev/null 2>&1
    eq "bad $bad" $? 64
done

# --- the simulator's invariants, from its truth ---------------------------
# par FUNCTION ARGS...: runs in a subshell, two at a time (the machine's
# cores); its counts land in $T/cnt.*, summed by par_wait
par_n=0
par() {
    par_n=$((par_n + 1))
    (pass=0 fail=0; "$@"; echo "$pass $fail" >"$T/cnt.$par_n") &
    [ $((par_n % 2)) = 0 ] && wait
}
par_wait() {
    wait
    for f in "$T"/cnt.*; do
        [ -e "$f" ] || continue
        read -r p f2 <"$f"
        pass=$((pass + p)) fail=$((fail + f2))
        rm -f "$f"
    done
}
SCENARIOS="healthy missing-thread skipped-producer live-missing-producer lost-set waitany-as-all
    extra-poll slow-init two-faults total-hang"
seed_run() {
    seed=$1
    for sc in $SCENARIOS; do
        D="$T/$sc-$seed"
        "$W" simulate "$sc" -o "$D" --seed "$seed" --seconds 4 -q
        eq "$sc/$seed simulate" $? 0
        X="$D/truth.json"
        case $sc in
        total-hang)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" C
            eq "$sc/$seed a total hang" "$(j "$X" '"\(.total_hang) \(.killed_by)"')" "true timeout"
            # every live thread blocked for good, each wedged as all_blocked
            eq "$sc/$seed wedged" "$(wedged_families "$X")" "audio_a,audio_b,cache,main,worker,worker,worker,worker"
            eq "$sc/$seed every blocked thread" "$(j "$X" '[.blocked[] | select(.engine == "cand")] | length')" 8
            eq "$sc/$seed by all_blocked" "$(j "$X" '[.wedged[].wedged_by] | unique | join(",")')" all_blocked
            eq "$sc/$seed roots" "$(j "$X" '[.root_causes[] | "\(.kind):\(.family)"] | sort | join(" ")')" \
                "missing_thread:audio_timer missing_thread:vsync"
            eq "$sc/$seed whole span" "$(j "$X" .common_span.method)" whole
            ;;
        esac
        case $sc in
        total-hang) ;;
        *)
            eq "$sc/$seed no total hang" "$(j "$X" '"\(.total_hang) \(.killed_by) \(.killed_at)"')" "false timeout 4000000000"
            eq "$sc/$seed progress span" "$(j "$X" .common_span.method)" progress
            ;;
        esac
        case $sc in
        healthy | extra-poll | slow-init)
            eq "$sc/$seed: no thread wedged" "$(j "$X" '.wedged | length')" 0
            eq "$sc/$seed: no root" "$(j "$X" '.root_causes | length')" 0
            eq "$sc/$seed: every ref thread has its pair" "$(j "$X" '.ref_only_threads | length')" 0
            ;;
        esac
        case $sc in
        healthy)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" NONE
            eq "$sc/$seed: every key matches" "$(j "$X" '[.keys[] | select(.status != "MATCH")] | length')" 0
            ;;
        missing-thread)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" A
            eq "$sc/$seed wedged" "$(wedged_families "$X")" "main,worker,worker,worker,worker"
            eq "$sc/$seed no cache in cand" "$(j "$X" '[.ref_only_threads[].family] | join(",")')" cache
            eq "$sc/$seed root" "$(j "$X" '.root_causes[0] | "\(.kind) \(.family) \(.entry_pc) \(.tid)"')" \
                "missing_thread cache 0x82450218 null"
            eq "$sc/$seed root ref_tid" "$(j "$X" '.root_causes[0].ref_tid == (.thread_pairs | map(.ref) | max) or .root_causes[0].ref_tid > 6')" true
            eq "$sc/$seed cand never creates it" \
                "$(grep -c '"op":"thread.create","entry_pc":"0x82450218"' "$D/cand.jsonl")" 0
            eq "$sc/$seed cand still calls ExCreateThread for it" \
                "$(grep -c '"op":"ExCreateThread","lr":"0x82000250"' "$D/cand.jsonl")" 1
            ;;
        skipped-producer)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" B
            eq "$sc/$seed wedged" "$(wedged_families "$X")" "cache,main,worker,worker,worker,worker"
            eq "$sc/$seed root" "$(j "$X" '.root_causes[0] | "\(.kind) \(.family) \(.category) \(.lr)"')" \
                "skipped_producer cache set 0x82450314"
            eq "$sc/$seed skipped after 5" "$(j "$X" '.keys[] | select(.lr == "0x82450314") | .cand_total')" 5
            ;;
        live-missing-producer)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" B
            eq "$sc/$seed wedged" "$(wedged_families "$X")" "cache,main,worker,worker,worker,worker"
            eq "$sc/$seed root" "$(j "$X" '.root_causes[0] | "\(.kind) \(.family) \(.lr)"')" \
                "live_missing_producer vsync 0x827E0060"
            eq "$sc/$seed vsync stopped at 30" "$(j "$X" '.keys[] | select(.lr == "0x827E0060") | .cand_total')" 30
            eq "$sc/$seed vsync runs on" "$(j "$X" '[.blocked[] | select(.family == "vsync")] | length')" 0
            ;;
        lost-set)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" B
            eq "$sc/$seed wedged" "$(wedged_families "$X")" "cache,main,worker,worker,worker,worker"
            eq "$sc/$seed root" "$(j "$X" '.root_causes[0] | "\(.kind) \(.family) \(.lr)"')" \
                "signaled_but_blocked cache 0x824AAFE0"
            ;;
        waitany-as-all)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" B
            eq "$sc/$seed wedged" "$(wedged_families "$X")" "audio_a,audio_b"
            eq "$sc/$seed root" "$(j "$X" '.root_causes[0] | "\(.kind) \(.family) \(.lr) \(.blocks | length)"')" \
                "signaled_but_blocked audio_a 0x824D2160 2"
            ;;
        extra-poll)
            eq "$sc/$seed polls 300 times" "$(grep -c '"lr":"0x82000224"' "$D/cand.jsonl")" 300
            eq "$sc/$seed the reference never polls" "$(grep -c '"lr":"0x82000224"' "$D/ref.jsonl")" 0
            ;;
        slow-init)
            # the audio thread starts more than twice as late in the candidate
            r=$(grep -m1 '"entry_pc":"0x824D2878","new_tid"' "$D/ref.jsonl" | sed 's/.*"t":\([0-9]*\).*/\1/')
            c=$(grep -m1 '"entry_pc":"0x824D2878","new_tid"' "$D/cand.jsonl" | sed 's/.*"t":\([0-9]*\).*/\1/')
            eq "$sc/$seed skew" "$([ "$c" -gt $((2 * r)) ] && echo yes)" yes
            ;;
        two-faults)
            eq "$sc/$seed outcome" "$(j "$X" .outcome)" C
            eq "$sc/$seed roots" "$(j "$X" '[.root_causes[] | "\(.kind):\(.family)"] | join(" ")')" \
                "skipped_producer:cache signaled_but_blocked:audio_a"
            eq "$sc/$seed wedged" "$(wedged_families "$X")" \
                "audio_a,audio_b,cache,main,worker,worker,worker,worker"
            ;;
        esac
        # tids and handles look as they do in life
        eq "$sc/$seed ref main tid" "$(j "$X" '.thread_pairs[0] | "\(.ref) \(.cand) \(.family)"')" "6 1 main"
        eq "$sc/$seed cand tids count from 1" "$(j "$X" '[.thread_pairs[].cand] | . == [range(1; length + 1)]')" true

        # --- wedge report against the truth --------------------------------
        "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --symbols "$D/symbols.txt" --json "$D/r.json" >/dev/null 2>&1
        eq "$sc/$seed report" $? 0
        R="$D/r.json"
        compare "$sc/$seed" "$R" "$X" full
        case $sc in
        extra-poll)
            eq "$sc/$seed main parts at the poll" "$(j "$R" '.boot_delta.threads[0] | "\(.ref) \(.first_diff.index) \(.first_diff.cand)"')" \
                "6 $(j "$X" .boot.main_first_diff) KeQueryPerformanceCounter@main_thread+0x120"
            eq "$sc/$seed what comes before" "$(j "$R" '.boot_delta.threads[0].first_diff.before[-1]')" \
                "KeWaitForSingleObject@main_thread+0x110"
            eq "$sc/$seed the poll is inserted" "$(j "$R" '.boot_delta.threads[0].edits.inserted >= 600')" true
            eq "$sc/$seed skew at the workers" "$(j "$R" '.boot_delta.skew_start.what | startswith("worker_thread")')" true
            ;;
        slow-init)
            # The skew rule: the first milestone 2x and 10 ms late: the loader's set
            eq "$sc/$seed skew at the loader" "$(j "$R" '.boot_delta.skew_start.what | test("loader_thread")')" true
            eq "$sc/$seed skew ratio" "$(j "$R" '.boot_delta.skew_start.ratio > 4')" true
            ;;
        healthy)
            eq "$sc/$seed no skew" "$(j "$R" .boot_delta.skew_start)" null
            ;;
        esac
    done
}
for seed in $SEEDS; do
    par seed_run "$seed"
done
par_wait

# --- the other reference formats --------------------------------------------
# A producer-only or lr-less reference may leave wedged threads unexplained,
# but never names a wrong root: every root is the truth's (honest below).
# --- real engines' shapes (issue 9) -----------------------------------------
# Every reference format, the candidate also 5 times slower on its own
# clock origin: healthy stays NONE, each fault keeps its truth.
FORMATS="jsonl xenia-kv xenia-log"
"$W" simulate healthy -o "$T/fmt-probe" --ref-format xenia-debug --seconds 0.1 -q 2>/dev/null &&
    FORMATS="$FORMATS xenia-debug"
SLOW="--slowdown 5 --clock-offset 3000000000"
# the true outcome and the candidate's wedged families of each scenario
want_outcome() {
    case $1 in
    healthy | extra-poll | slow-init) echo NONE ;;
    missing-thread) echo A ;;
    two-faults | total-hang) echo C ;;
    *) echo B ;;
    esac
}
want_wedged() {
    case $1 in
    healthy | extra-poll | slow-init) echo "" ;;
    missing-thread) echo "main,worker,worker,worker,worker" ;;
    waitany-as-all) echo "audio_a,audio_b" ;;
    two-faults | total-hang) echo "audio_a,audio_b,cache,main,worker,worker,worker,worker" ;;
    *) echo "cache,main,worker,worker,worker,worker" ;;
    esac
}
ref_file() { [ "$1" = jsonl ] && echo ref.jsonl || echo ref.log; }
# shape_run SCENARIO SEED FORMAT plain|slow [EXTRA OPTIONS]
shape_run() {
    sc=$1 seed=$2 fmt=$3 shape=$4
    shift 4
    D="$T/shape-$sc-$seed-$fmt-$shape$(echo "$*" | tr -d ' -')"
    opts=""
    [ "$shape" = slow ] && opts=$SLOW
    # shellcheck disable=SC2086
    "$W" simulate "$sc" -o "$D" --seed "$seed" --seconds 4 --ref-format "$fmt" $opts "$@" -q
    eq "$sc/$seed/$fmt/$shape $* simulate" $? 0
    X="$D/truth.json" R="$D/r.json" n="$sc/$seed/$fmt/$shape $*"
    # the simulator's own truth keeps the scenario's
    # the truth keeps the scenario's; the headline of the audio faults is
    # the first audio producer the candidate lacks (where keys are lr keys)
    eq "$n: the truth" "$(jq -r '[.outcome, ([.wedged[] | select(.engine == "cand") | .family] | sort | join(",")),
        (.scenario | IN("waitany-as-all", "two-faults") | not) or .key_mode == "op"
        or (.first_divergence.lr | IN("0x824D292C", "0x824D229C"))] | @tsv' "$X")" \
        "$(printf '%s\t%s\ttrue' "$(want_outcome "$sc")" "$(want_wedged "$sc")")"
    "$W" report "$D/$(ref_file "$fmt")" "$D/cand.jsonl" --json "$R" >/dev/null 2>&1
    eq "$n: report" $? 0
    compare "$n" "$R" "$X" shape
}
if [ "${WEDGE_SWEEP:-0}" = 1 ]; then
    # the full loop: every scenario x seed x format, plain and slowed
    for seed in $SEEDS; do
        for sc in $SCENARIOS; do
            for fmt in $FORMATS; do
                par shape_run "$sc" "$seed" "$fmt" plain
                par shape_run "$sc" "$seed" "$fmt" slow
            done
        done
    done
else
    # the compact loop: every scenario slowed against a JSONL reference
    # and one other format in turn, and plain against that format
    i=0
    set -- $FORMATS
    nf=$#
    for sc in $SCENARIOS; do
        i=$((i + 1))
        fmt=$(echo "$FORMATS" | cut -d' ' -f$((i % (nf - 1) + 2)))
        seed=$(echo "$SEEDS" | cut -d' ' -f1)
        par shape_run "$sc" "$seed" jsonl slow
        par shape_run "$sc" "$seed" "$fmt" slow
        par shape_run "$sc" "$seed" "$fmt" plain
    done
fi
par_wait

for sc in healthy two-faults; do
    D="$T/kv-$sc"
    "$W" simulate "$sc" -o "$D" --ref-format xenia-kv -q
    "$W" report "$D/ref.log" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
    eq "kv $sc format" "$(j "$D/r.json" .ref.format)" xenia-log
    eq "kv $sc keys" "$(jq -c '[.keys[] | [.category, .lr, .ref, .cand, .ref_total, .cand_total, .status]]' "$D/r.json")" \
        "$(jq -c '[.keys[] | [.category, .lr, .ref, .cand, .ref_total, .cand_total, .status]]' "$D/truth.json")"
    eq "kv $sc events are the producers" "$(j "$D/r.json" .ref.events)" "$(j "$D/truth.json" '[.keys[].ref_total] | add')"
    # every thread of the model produces something, so each has audit lines
    eq "kv $sc threads" "$(j "$D/r.json" .ref.threads)" "$(j "$D/truth.json" '.thread_pairs + .ref_only_threads | length')"

    D="$T/log-$sc"
    "$W" simulate "$sc" -o "$D" --ref-format xenia-log -q
    "$W" report "$D/ref.log" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
    eq "log $sc key mode" "$(j "$D/r.json" .key_mode)" op
    eq "log $sc no malformed" "$(j "$D/r.json" .ref.malformed)" 0
    # thread.exit has no stock log line
    eq "log $sc events" "$(j "$D/r.json" .ref.events)" "$(j "$D/truth.json" '.ref.events - .ref.exits')"
    eq "log $sc ref totals by op" "$(jq -S -c '[.keys[] | {(.op): .ref_total}] | add' "$D/r.json")" \
        "$(jq -S -c '[.keys | group_by(.op)[] | {(.[0].op): ([.[].ref_total] | add)}] | add' "$D/truth.json")"
    eq "log $sc threads" "$(j "$D/r.json" .ref.threads)" "$(j "$D/truth.json" .ref.threads)"
done

# --- a debug-level xenia log: each call's stock line and its ----
# audit line merge into one event, so the key table is the audit-only one
keytable() { jq -c '[.keys[] | [.category, .lr, .ref, .cand, .ref_total, .cand_total, .status]]' "$1"; }
for sc in healthy two-faults; do
    D="$T/debug-$sc"
    "$W" simulate "$sc" -o "$D" --ref-format xenia-debug -q
    "$W" report "$D/ref.log" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
    eq "debug $sc keys as with audit lines only" "$(keytable "$D/r.json")" "$(keytable "$T/kv-$sc/r.json")"
    eq "debug $sc outcome" "$(j "$D/r.json" .outcome)" "$(j "$T/kv-$sc/r.json" .outcome)"
    "$W" stats --json "$D/ref.log" >"$D/s.json"
    eq "debug $sc: every producer merged, with lr" \
        "$(j "$D/s.json" '"\(.producers_without_lr) \(.merged == .producers) \(.span_unit)"')" "0 true ns"
done
# --- one event without t leaves a JSONL trace timed -------------
D="$T/untimed"
"$W" simulate two-faults -o "$D" -q
sed '50s/"t":[0-9]*,//' "$D/ref.jsonl" >"$D/ref2.jsonl"
eq "untimed event: line 50 lost its t" "$(sed -n 50p "$D/ref2.jsonl" | jq 'has("t")')" false
for r in ref ref2; do
    "$W" report "$D/$r.jsonl" "$D/cand.jsonl" --json "$D/$r.json" >/dev/null 2>&1
done
eq "untimed event: span and first divergence kept" \
    "$(jq -c '[.ref.span, .ref.span_unit, .first_divergence.t, .first_divergence.ref_index]' "$D/ref2.json")" \
    "$(jq -c '[.ref.span, .ref.span_unit, .first_divergence.t, .first_divergence.ref_index]' "$D/ref.json")"
"$W" stats --json "$D/ref2.jsonl" >"$D/s.json"
eq "untimed event: one placed t" "$(j "$D/s.json" .placed_t)" 1

# --- the slowed candidate's clock ---------------------------------------------
S1=$(echo "$SEEDS" | cut -d' ' -f1)
D="$T/slow"
# shellcheck disable=SC2086
"$W" simulate healthy -o "$D" --seed "$S1" --seconds 4 $SLOW -q
X="$D/truth.json"
# main's first event is at guest 1 us: written 3 s + 5 x 1 us
eq "slow: the cand's origin" "$(head -n 2 "$D/cand.jsonl" | tail -n 1 | jq .t)" 3000005000
eq "slow: the cand stops at its own 4 s" "$(j "$X" '.cand.last_t <= 7000000000 and .cand.last_t > 6900000000')" true
eq "slow: a fifth of the progress" "$(j "$X" '.common_span.heartbeat | (.cand_beats * 5 - .ref_beats | fabs) < .ref_beats / 20')" true
eq "slow: every key matches over the span" "$(j "$X" '[.keys[] | select(.status != "MATCH")] | length')" 0
eq "slow: the span ends a fifth in" "$(j "$X" '.common_span | (.ref_end - 800000000 | fabs) < 20000000')" true
# The skew rule: everything comes 5 times as late; the headline is the first
# milestone at least 2.5 ms into the boot (late by 10 ms): the loader's set
eq "slow: true skew" "$(j "$X" '.boot.skew_start | "\(.lr) \(.ratio > 4.5 and .ratio < 5.5) \(.cand_t - .ref_t >= 10000000)"')" \
    "0x821780C0 true true"
"$W" report "$D/ref.jsonl" "$D/cand.jsonl" --symbols "$D/symbols.txt" --json "$D/r.json" >/dev/null 2>&1
eq "slow: skew headline" "$(jq -c '.boot_delta.skew_start | [.ref_t, .cand_t]' "$D/r.json")" \
    "$(jq -c '.boot.skew_start | [.ref_t, .cand_t]' "$X")"
eq "slow: skew names the loader" "$(j "$D/r.json" '.boot_delta.skew_start.what | test("loader_thread")')" true
# an untimed reference against the healthy slowed candidate
# shellcheck disable=SC2086
"$W" simulate healthy -o "$T/slow-log" --seed "$S1" --seconds 4 --ref-format xenia-log $SLOW -q
"$W" report "$T/slow-log/ref.log" "$T/slow-log/cand.jsonl" --json "$T/slow-log/r.json" >/dev/null 2>&1
eq "slow: untimed reference, healthy" "$(j "$T/slow-log/r.json" .outcome)" NONE
eq "slow: untimed reference, true" "$(j "$T/slow-log/truth.json" '"\(.outcome) \(.key_mode) \(.common_span.ref_unit)"')" \
    "NONE op index"

# --- killed at a total hang --------------------------------------------------
for sc in total-hang healthy missing-thread; do
    for marker in "" --end-marker; do
        D="$T/kill-$sc$marker"
        "$W" simulate "$sc" -o "$D" --seed "$S1" --seconds 4 --killed-at-hang $marker -q
        X="$D/truth.json" n="killed-at-hang $sc $marker"
        "$W" simulate "$sc" -o "$D.plain" --seed "$S1" --seconds 4 -q
        case $sc in
        total-hang)
            eq "$n: killed 5 s after the hang" "$(j "$X" '"\(.killed_by) \(.killed_at - .hang_at) \(.hang_at == .cand.last_t)"')" \
                "hang 5000000000 true"
            # every blocked thread is wedged: by silence to the marker, else all_blocked
            eq "$n: every blocked thread" "$(j "$X" '[.blocked[] | select(.engine == "cand") | .tid]')" \
                "$(j "$X" '[.wedged[] | select(.engine == "cand") | .tid]')"
            eq "$n: wedged by" "$(j "$X" '[.wedged[].wedged_by] | unique | join(",")')" \
                "$([ -n "$marker" ] && echo silence || echo all_blocked)"
            ;;
        *)
            eq "$n: no hang, the option changes nothing" "$(j "$X" '"\(.total_hang) \(.killed_by) \(.hang_at)"')" "false timeout null"
            ;;
        esac
        if [ -n "$marker" ]; then
            eq "$n: the marker" "$(tail -n 1 "$D/cand.jsonl")" "{\"t\":$(j "$X" .killed_at),\"op\":\"trace.end\"}"
            eq "$n: the marker is the end" "$(j "$X" '"\(.cand.end_source) \(.cand.ended_at == .killed_at - .cand.first_t)"')" "marker true"
            eq "$n: the rest as without" "$(head -n -1 "$D/cand.jsonl" | cmp -s - "$D.plain/cand.jsonl" && echo same)" same
        else
            eq "$n: the trace as without" "$(cmp -s "$D/cand.jsonl" "$D.plain/cand.jsonl" && echo same)" same
            eq "$n: no marker" "$(j "$X" '"\(.cand.end_source) \(.end_marker) \(.cand.ended_at == .cand.last_t - .cand.first_t)"')" \
                "last_event null true"
        fi
        eq "$n: outcome kept" "$(j "$X" .outcome)" "$(want_outcome "$sc")"
        "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
        eq "$n: report finds every wedged thread" "$(jq -c '[.wedged[] | select(.engine == "cand") | [.tid, .wedged_by]]' "$D/r.json")" \
            "$(jq -c '[.wedged[] | select(.engine == "cand") | [.tid, .wedged_by]]' "$X")"
        eq "$n: report end" "$(jq -c '.cand | [.ended_at, .end_source]' "$D/r.json")" "$(jq -c '.cand | [.ended_at, .end_source]' "$X")"
        eq "$n: report outcome" "$(j "$D/r.json" .outcome)" "$(want_outcome "$sc")"
    done
done

# --- a cycle-clocked candidate ----------------------------------------------
for sc in healthy skipped-producer waitany-as-all total-hang; do
    D="$T/cycle-$sc"
    "$W" simulate "$sc" -o "$D" --seed "$S1" --seconds 4 --cand-clock cycle -q
    "$W" simulate "$sc" -o "$D.t" --seed "$S1" --seconds 4 -q
    X="$D/truth.json"
    eq "cycle $sc: no t" "$(grep -c '"t":' "$D/cand.jsonl")" 0
    eq "cycle $sc: the same lines" "$(wc -l <"$D/cand.jsonl")" "$(wc -l <"$D.t/cand.jsonl")"
    eq "cycle $sc: monotonic per thread" \
        "$(tail -n +2 "$D/cand.jsonl" | jq -s '[group_by(.tid)[] | map(.cycle) | . == sort] | all')" true
    eq "cycle $sc: the same truth" "$(jq -c '[.outcome, [.wedged[].tid], [.root_causes[].kind]]' "$X")" \
        "$(jq -c '[.outcome, [.wedged[].tid], [.root_causes[].kind]]' "$D.t/truth.json")"
    eq "cycle $sc: cand untimed" "$(j "$X" '"\(.common_span.cand_unit) \(.boot.skew_known)"')" "index false"
    "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
    eq "cycle $sc: outcome as timed" "$(j "$D/r.json" .outcome)" "$(j "$D.t/truth.json" .outcome)"
done

# --- host helper threads in the reference -------------------------------------
for sc in healthy missing-thread; do
    D="$T/helpers-$sc"
    # shellcheck disable=SC2086
    "$W" simulate "$sc" -o "$D" --seed "$S1" --seconds 4 --ref-helpers 3 $SLOW -q
    X="$D/truth.json"
    eq "helpers $sc: three" "$(j "$X" '.ref_helper_threads | length')" 3
    eq "helpers $sc: no guest thread.create" \
        "$(jq -c -s --argjson h "$(j "$X" .ref_helper_threads)" '[.[] | select(.op == "thread.create" and (.new_tid | IN($h[])))] | length' "$D/ref.jsonl")" 0
    eq "helpers $sc: they run to the end" \
        "$(jq -s --argjson h "$(j "$X" .ref_helper_threads)" '[.[] | select(.tid | IN($h[]))] | max_by(.t) | .t > 3900000000' "$D/ref.jsonl")" true
    N="$T/shape-$sc-$S1-jsonl-slow"   # the shape loop's run, when it made one
    # shellcheck disable=SC2086
    [ -f "$N/cand.jsonl" ] || "$W" simulate "$sc" -o "$N" --seed "$S1" --seconds 4 $SLOW -q
    eq "helpers $sc: the candidate as without" "$(cmp -s "$D/cand.jsonl" "$N/cand.jsonl" && echo same)" same
    eq "helpers $sc: not the candidate's" "$(j "$X" '.ref_only_threads | map(.family) | join(",")')" \
        "$([ $sc = missing-thread ] && echo cache)"
    eq "helpers $sc: outcome" "$(j "$X" .outcome)" "$(want_outcome "$sc")"
    "$W" report "$D/ref.jsonl" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
    eq "helpers $sc: report" "$(j "$D/r.json" .outcome)" "$(want_outcome "$sc")"
    compare "helpers $sc" "$D/r.json" "$X" shape
done

# --- the settings in a scenario file ----------------------------------------
printf 'scenario total-hang\nslowdown 2.5\nclock-offset 1000\nkilled-at-hang yes\nend-marker yes\nref-helpers 2\nseconds 1\n' >"$T/shape.txt"
"$W" simulate "$T/shape.txt" -o "$T/shape" -q
eq "scenario file shape" "$(jq -c '[.shape.slowdown, .shape.clock_offset, .shape.cand_clock, .shape.killed_at_hang, .shape.end_marker, .shape.ref_helpers, .killed_by]' "$T/shape/truth.json")" \
    '[2.5,1000,"t",true,true,2,"hang"]'
printf 'cand-clock cycle\n' >"$T/shape2.txt"
"$W" simulate "$T/shape2.txt" -o "$T/shape2" --seconds 1 -q
eq "scenario file cand-clock" "$(j "$T/shape2/truth.json" .shape.cand_clock)" cycle
printf 'slowdown 0\n' >"$T/shape3.txt"
"$W" simulate "$T/shape3.txt" -o "$T/shape3" >/dev/null 2>"$T/err"
eq "bad shape setting" $? 64
eq "bad shape setting names the line" "$(grep -c 'shape3.txt:1: slowdown' "$T/err")" 1

# --- scale: --events and the same run twice --------------------------------
"$W" simulate healthy -o "$T/big" --events 200000 -q
eq "--events" "$(j "$T/big/truth.json" .ref.events)" 200000
"$W" simulate healthy -o "$T/again" --events 200000 -q
eq "deterministic" "$(cmp -s "$T/big/cand.jsonl" "$T/again/cand.jsonl" && echo same)" same
"$W" simulate healthy -o "$T/other" --events 200000 --seed 9 -q
eq "the seed matters" "$(cmp -s "$T/big/cand.jsonl" "$T/other/cand.jsonl" && echo same)" ""
printf '# two faults from a file\nscenario skipped-producer\nfault waitany-as-all\nseed 3\nseconds 4\n' >"$T/sc.txt"
"$W" simulate "$T/sc.txt" -o "$T/file" -q
eq "scenario file" "$(j "$T/file/truth.json" '"\(.outcome) \(.seed) \(.faults)"')" "C 3 skip:cache:set_done:5;waitany-as-all"
printf 'bogus 1\n' >"$T/bad.txt"
"$W" simulate "$T/bad.txt" -o "$T/file2" >/dev/null 2>"$T/err"
eq "bad scenario file" $? 64
eq "bad scenario file names the line" "$(grep -c 'bad.txt:1' "$T/err")" 1

# --- issue 10: the shapes of real programs, the investigation --------------
# The simulator's own invariants, then wedge report against these truths
# (object map, roots' confidence, unexplained, match classes).
S1=$(echo "$SEEDS" | cut -d' ' -f1)
inv_run() {
    seed=$1
    D="$T/inv-$seed"
    "$W" simulate investigation -o "$D" --seed "$seed" --seconds 4 -q
    X="$D/truth.json"
    eq "investigation/$seed: one root, silent audio A" \
        "$(j "$X" '[.outcome, (.root_causes | length), .root_causes[0].kind, .root_causes[0].family] | @tsv')" \
        "$(printf 'B\t1\tsilent_thread\taudio_a')"
    eq "investigation/$seed: the ladder B, dispatch, main" \
        "$(jq -r '.root_causes[0].ladder as $l | [.wedged[] | select(.engine == "cand") | {(.tid | tostring): .family}] | add as $f
            | [$l[] | $f[tostring]] | join(",")' "$X")" "audio_b,audio_dispatch,main"
    eq "investigation/$seed: it blocks every wedged thread" \
        "$(j "$X" '. as $x | [.wedged[] | select(.engine == "cand") | .tid] | sort == $x.root_causes[0].blocks')" true
    eq "investigation/$seed: wedged" "$(wedged_families "$X")" \
        "audio_b,audio_dispatch,cache,main,worker,worker,worker,worker"
    eq "investigation/$seed: headline is audio A's first set" \
        "$(j "$X" '.first_divergence | "\(.lr) \(.ordinal)"')" "0x824D292C 1"
    eq "investigation/$seed: about 15 matched producers first" \
        "$(j "$X" '.first_divergence.ref_index >= 14')" true
    eq "investigation/$seed: audio starts 5.7x later" \
        "$(j "$X" '.boot.skew_start | "\(.thread) \(.ratio > 5.5 and .ratio < 5.9)"')" "audio_timer true"
    # audio A's wait returns, it takes and drops a spin lock and falls
    # silent: its last event is no wait, so it is neither blocked nor wedged
    a=$(j "$X" '.thread_pairs[] | select(.family == "audio_a") | .cand')
    eq "investigation/$seed: audio A's last calls" \
        "$(grep "\"tid\":$a," "$D/cand.jsonl" | tail -n 5 | jq -r -s 'map("\(.op)@\(.lr)") | join(" ")')" \
        "KeWaitForMultipleObjects@0x824D2900 KeRaiseIrqlToDpcLevel@0x824D291C KeAcquireSpinLockAtRaisedIrql@0x824D2920 KeReleaseSpinLockFromRaisedIrql@0x824D2924 KfLowerIrql@0x824D2928"
    eq "investigation/$seed: audio A neither blocked nor wedged" \
        "$(j "$X" "[.blocked[], .wedged[] | select(.engine == \"cand\" and .tid == $a)] | length")" 0
    report_files "inv-$seed" "$D/ref.jsonl" "$D/cand.jsonl"
    eq "investigation/$seed: report wedged" "$(jq -c '[.wedged[] | select(.engine == "cand") | .tid]' "$T/inv-$seed.json")" \
        "$(jq -c '[.wedged[] | select(.engine == "cand") | .tid]' "$X")"
    eq "investigation/$seed: report headline" "$(j "$T/inv-$seed.json" .first_divergence.lr)" 0x824D292C
    eq "investigation/$seed: report skew" "$(jq -c '.boot_delta.skew_start | [.ref_t, .cand_t]' "$T/inv-$seed.json")" \
        "$(jq -c '.boot.skew_start | [.ref_t, .cand_t]' "$X")"
    eq "investigation/$seed: report roots" "$(jq -c '[.root_causes[] | [.kind, .tid, .blocks]]' "$T/inv-$seed.json")" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .blocks]]' "$X")"
    eq "investigation/$seed: report outcome" "$(j "$T/inv-$seed.json" .outcome)" B
    # the producer-only reference: the same roots, inferred
    "$W" simulate investigation -o "$D.kv" --seed "$seed" --seconds 4 --ref-format xenia-kv -q
    eq "investigation/$seed kv: the same roots, inferred" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .blocks, .confidence]]' "$D.kv/truth.json")" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .blocks, "inferred"]]' "$X")"
    report_files "inv-kv-$seed" "$D.kv/ref.log" "$D.kv/cand.jsonl"
    eq "investigation/$seed kv: report roots" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .confidence]]' "$T/inv-kv-$seed.json")" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .confidence]]' "$D.kv/truth.json")"
}

# every scenario against a producer-only reference: the truth's roots are
# the full reference's, inferred where they follow reference producers (a
# signaled_but_blocked rests on the candidate alone: proven); jsonl roots
# are proven
conf_run() {
    sc=$1
    D="$T/conf-$sc"
    # the full reference's truth: the seed run's, the same simulation
    mkdir -p "$D" && cp "$T/$sc-$S1/truth.json" "$D/truth.json"
    "$W" simulate "$sc" -o "$D.kv" --seed "$S1" --seconds 4 --ref-format xenia-kv -q
    eq "kv $sc: roots as with a full reference, inferred but signaled_but_blocked" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .lr, .blocks, .confidence]]' "$D.kv/truth.json")" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .lr, .blocks,
            if .kind == "signaled_but_blocked" then "proven" else "inferred" end]]' "$D/truth.json")"
    eq "jsonl $sc: roots proven" "$(j "$D/truth.json" '[.root_causes[].confidence] | all(. == "proven")')" true
    "$W" report "$D.kv/ref.log" "$D.kv/cand.jsonl" --json "$D.kv/r.json" >/dev/null 2>&1
    eq "kv $sc: report roots" "$(jq -c '[.root_causes[] | [.kind, .tid, .confidence]]' "$D.kv/r.json")" \
        "$(jq -c '[.root_causes[] | [.kind, .tid, .confidence]]' "$D.kv/truth.json")"
    eq "kv $sc: report outcome" "$(j "$D.kv/r.json" .outcome)" "$(j "$D/truth.json" .outcome)"
    # an unexplained wedge (the loader waits on nobody's object) never
    # changes the outcome class
    "$W" simulate "$sc" -o "$D.orphan" --seed "$S1" --seconds 4 --fault orphan-wait -q
    eq "orphan $sc: outcome kept" "$(j "$D.orphan/truth.json" .outcome)" "$(j "$D/truth.json" .outcome)"
    eq "orphan $sc: the loader unexplained" \
        "$(j "$D.orphan/truth.json" '[.unexplained[] | "\(.family) \(.obj)"] | join(",")')" "loader 0x7016F000"
    "$W" report "$D.orphan/ref.jsonl" "$D.orphan/cand.jsonl" --json "$D.orphan/r.json" >/dev/null 2>&1
    eq "orphan $sc: report outcome" "$(j "$D.orphan/r.json" .outcome)" "$(j "$D/truth.json" .outcome)"
    eq "orphan $sc: report unexplained" "$(jq -c '[.unexplained[].tid]' "$D.orphan/r.json")" \
        "$(jq -c '[.unexplained[].tid]' "$D.orphan/truth.json")"
}

# WaitAny(work, quit) workers, pulse events, condition variables
shapes10_run() {
    sc=$1
    D="$T/shapes10-$sc"
    "$W" simulate "$sc" -o "$D" --seed "$S1" --seconds 4 --waitany-workers --pulse --condvar -q
    X="$D/truth.json"
    eq "shapes10 $sc: outcome as the plain program" "$(j "$X" .outcome)" "$(want_outcome "$sc")"
    eq "shapes10 $sc: workers wait on WaitAny(work, quit)" \
        "$(grep '"lr":"0x82506B80"' "$D/cand.jsonl" | head -n 1 | jq -c '[.op, (.objs | length), .wait_all]')" \
        '["NtWaitForMultipleObjectsEx",2,false]'
    eq "shapes10 $sc: vsync pulses" "$(grep -c '"op":"KePulseEvent"' "$D/ref.jsonl" | tr -d 0-9 | wc -c)" 1
    eq "shapes10 $sc: a condition handshake" "$(grep -c '"op":"pthread_cond_signal"' "$D/ref.jsonl" | awk '{print ($1 > 0)}')" 1
    eq "shapes10 $sc: work and quit map to themselves" \
        "$(j "$X" '[.object_map[] | select(.name | IN("sem_work", "worker_quit")) | .name] | sort | join(",")')" "sem_work,worker_quit"
    eq "shapes10 $sc: no condvar or pulse waiter signaled_but_blocked" \
        "$(j "$X" '[.root_causes[] | select(.kind == "signaled_but_blocked" and (.op | IN("KePulseEvent", "pthread_cond_signal")))] | length')" 0
    report_files "shapes10-$sc" "$D/ref.jsonl" "$D/cand.jsonl"
    eq "shapes10 $sc: report outcome" "$(j "$T/shapes10-$sc.json" .outcome)" "$(j "$X" .outcome)"
    eq "shapes10 $sc: report maps work and quit" \
        "$(jq -c '[.object_map[] | [.cand, .ref]] | sort' "$T/shapes10-$sc.json" | jq -c --argjson x "$(jq -c '[.object_map[] | select(.name | IN("sem_work", "worker_quit")) | [.cand, .ref]]' "$X")" '[$x[] as $p | IN(.[]; $p)] | all')" true
    eq "shapes10 $sc: no pulse or condvar waiter blamed" \
        "$(jq -c '[.root_causes[] | select(.kind == "signaled_but_blocked")] | length' "$T/shapes10-$sc.json")" \
        "$(j "$X" '[.root_causes[] | select(.kind == "signaled_but_blocked")] | length')"
}

# shared wrappers: the reference records the wrapper's lr (caller in frames)
wrappers_run() {
    D="$T/wrappers"
    "$W" simulate healthy -o "$D" --seed "$S1" --seconds 4 --wrappers -q
    eq "wrappers: the reference's wrapper site with frames" \
        "$(grep -m1 '"lr":"0x824AA304"' "$D/ref.jsonl" | jq -c 'has("frames")')" true
    eq "wrappers: the candidate records the callers" "$(grep -c '"lr":"0x824AA304"' "$D/cand.jsonl")" 0
    eq "wrappers: one match class" "$(j "$D/truth.json" '.match_classes | map("\(.wrapper_lr) \(.callers | length) \(.status)") | join(",")')" \
        "0x824AA304 3 MATCH"
    report_files wrappers "$D/ref.jsonl" "$D/cand.jsonl" --symbols "$D/symbols.txt"
    eq "wrappers: report outcome" "$(j "$T/wrappers.json" .outcome)" NONE
    # audit lines carry no frames: the wrapper's site is detected by its
    # several threads on several objects, with no option
    "$W" simulate healthy -o "$D.kv" --seed "$S1" --seconds 4 --wrappers --ref-format xenia-kv -q
    eq "wrappers kv: the truth's class, detected by threads" \
        "$(j "$D.kv/truth.json" '.match_classes | map("\(.wrapper_lr) \(.detected_by) \(.callers | length)") | join(",")')" \
        "0x824AA304 threads 3"
    report_files wrappers-kv "$D.kv/ref.log" "$D.kv/cand.jsonl"
    eq "wrappers kv: one match class over the callers" \
        "$(jq -c '[.match_classes[] | [.ref_keys, (.cand_keys | sort), .ref, .cand, .status]]' "$T/wrappers-kv.json")" \
        "$(jq -c '[.match_classes[] | [[.wrapper_lr], (.callers | sort), .ref, .cand, .status]]' "$D.kv/truth.json")"
    eq "wrappers kv: report outcome" "$(j "$T/wrappers-kv.json" .outcome)" NONE
    # a stock log's keys are by op: no site, no class
    "$W" simulate healthy -o "$D.log" --seed "$S1" --seconds 4 --wrappers --ref-format xenia-log -q
    report_files wrappers-log "$D.log/ref.log" "$D.log/cand.jsonl"
    eq "wrappers log: no class" "$(jq -c '[(.match_classes // [] | length), ($x[0].match_classes | length)]' \
        --slurpfile x "$D.log/truth.json" "$T/wrappers-log.json")" "[0,0]"
}

# an IAT-probe candidate: tid, pc, lr, cycle; probes.txt resolves its pcs
probe_run() {
    D="$T/probe"
    "$W" simulate two-faults -o "$D" --seed "$S1" --seconds 4 --cand-format probe -q
    eq "probe: the lines' members" "$(head -n 1 "$D/cand.jsonl" | jq -c 'keys')" '["cycle","lr","pc","tid"]'
    eq "probe: no header, no op, no t" "$(grep -c '"op"\|"t":\|wedge_trace' "$D/cand.jsonl")" 0
    # shellcheck disable=SC2046
    report_files probe "$D/ref.jsonl" "$D/cand.jsonl" $(cat "$D/probes.txt")
    eq "probe: every line resolved" "$(j "$T/probe.json" .cand.malformed)" 0
    eq "probe: the keys" "$(jq -c '[.keys[] | [.category, .lr, .ref_total, .cand_total]] | sort' "$T/probe.json")" \
        "$(jq -c '[.keys[] | [.category, .lr, .ref_total, .cand_total]] | sort' "$D/truth.json")"
    # (the candidate's end, an event index, may differ by one: see the report)
    eq "probe: the span in events" "$(jq -n -c --slurpfile r "$T/probe.json" --slurpfile x "$D/truth.json" \
        '[$r[0].common_span.method, ($r[0].common_span.cand_end - $x[0].common_span.cand_end | fabs) <= 1]')" '["progress",true]'
    "$W" simulate two-faults -o "$D.log" --seed "$S1" --seconds 4 --cand-format probe --ref-format xenia-log -q
    report_files probe-log "$D.log/ref.log" "$D.log/cand.jsonl"
    eq "probe: the xenia log's import table resolves it" "$(j "$T/probe-log.json" .cand.malformed)" 0
    "$W" simulate healthy -o "$T/x" --cand-format probe --end-marker >/dev/null 2>&1
    eq "probe: no end marker" $? 64
    "$W" simulate healthy -o "$T/x" --fault silent:audio_a:mix:0 >/dev/null 2>&1
    eq "silent needs a producer site" $? 64
}
# two at a time, as the seeds above
for seed in $(echo "$SEEDS" | cut -d' ' -f1-2); do
    par inv_run "$seed"
done
for sc in $SCENARIOS; do
    par conf_run "$sc"
done
for sc in healthy skipped-producer live-missing-producer two-faults; do
    par shapes10_run "$sc"
done
par wrappers_run
par probe_run
par_wait

# --- demo -----------------------------------------------------------------
"$W" demo >"$T/demo" 2>&1
eq "demo exit" $? 0
eq "demo prints a report" "$(grep -c '^# wedge report' "$T/demo")" 1
# only this demo's folder: another run's (the sanitizer build's, side by
# side) may still be writing its own
demo_dir=$(sed -n "s|^wedge demo: simulated .* into \(/tmp/wedge-demo-[A-Za-z0-9]*\)\$|\1|p" "$T/demo")
[ -n "$demo_dir" ] && rm -rf "$demo_dir"

finish
