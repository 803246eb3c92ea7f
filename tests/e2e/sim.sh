#!/bin/sh
# wedge simulate: the simulator's own invariants, checked from truth.json
# (what the simulator knows), then wedge report on every built-in scenario
# and several seeds, checked against truth.json.
#   sh tests/e2e/sim.sh BUILD_DIR [SEEDS]
SUITE=sim
. "$(dirname "$0")/lib.sh"
SEEDS=${2:-"1 2 3 4 5"}
j() { jq -r "$2" "$1"; }
# the families of the candidate's wedged threads, sorted, comma-joined
wedged_families() { jq -r '[.wedged[] | select(.engine == "cand") | .family] | sort | join(",")' "$1"; }

# --- the command line --------------------------------------------------
"$W" simulate --list >"$T/list" 2>&1
eq "--list exit" $? 0
eq "--list names nine scenarios" "$(grep -c '^[a-z]' "$T/list")" 9
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

# --- the simulator's invariants, from its truth ---------------------------
for seed in $SEEDS; do
    for sc in healthy missing-thread skipped-producer live-missing-producer lost-set \
        waitany-as-all extra-poll slow-init two-faults; do
        D="$T/$sc-$seed"
        "$W" simulate "$sc" -o "$D" --seed "$seed" --seconds 4 -q
        eq "$sc/$seed simulate" $? 0
        X="$D/truth.json"
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
        eq "$sc/$seed events" "$(j "$R" '"\(.ref.events) \(.cand.events)"')" "$(j "$X" '"\(.ref.events) \(.cand.events)"')"
        eq "$sc/$seed no malformed line" "$(j "$R" '.ref.malformed + .cand.malformed')" 0
        eq "$sc/$seed keys" "$(jq -c '[.keys[] | [.category, .lr, .op, .ref, .cand, .ref_total, .cand_total, .status]]' "$R")" \
            "$(jq -c '[.keys[] | [.category, .lr, .op, .ref, .cand, .ref_total, .cand_total, .status]]' "$X")"
        eq "$sc/$seed first divergence" "$(jq -c '.first_divergence | if . then [.ref_index, .t, .category, .lr, .ordinal] else null end' "$R")" \
            "$(jq -c '.first_divergence | if . then [.ref_index, .t, .category, .lr, .ordinal] else null end' "$X")"
        eq "$sc/$seed first shortfall" "$(jq -c '.first_shortfall | if . then [.ref_index, .t, .category, .lr, .ordinal] else null end' "$R")" \
            "$(jq -c '.first_shortfall | if . then [.ref_index, .t, .category, .lr, .ordinal] else null end' "$X")"
        # the diagnosis (issue 4): wedged threads, root causes, outcome
        eq "$sc/$seed wedged" "$(jq -c '[.wedged[] | [.engine, .tid, .lr, .objs, .since, .divergent]]' "$R")" \
            "$(jq -c '[.wedged[] | [.engine, .tid, .lr, .objs, .since, .divergent]]' "$X")"
        eq "$sc/$seed wedged families" "$(jq -c '[.wedged[] | .family | sub("_thread$"; "")]' "$R")" \
            "$(jq -c '[.wedged[] | .family | if . == "main" then "-" else . end]' "$X")"
        eq "$sc/$seed roots" "$(jq -c '[.root_causes[] | [.kind, .tid, (.family | sub("_thread$"; "")), .category, .lr, .obj, .blocks]]' "$R")" \
            "$(jq -c '[.root_causes[] | [.kind, .tid, .family, .category, .lr, .obj, .blocks]]' "$X")"
        eq "$sc/$seed missing thread named" "$(jq -c '[.root_causes[] | select(.kind == "missing_thread") | [.ref_tid, .entry_pc]]' "$R")" \
            "$(jq -c '[.root_causes[] | select(.kind == "missing_thread") | [.ref_tid, .entry_pc]]' "$X")"
        eq "$sc/$seed thread map" "$(jq -c '[.thread_map[] | [.ref, .cand]] | sort' "$R")" \
            "$(jq -c '[.thread_pairs[] | [.ref, .cand]] | sort' "$X")"
        eq "$sc/$seed outcome" "$(j "$R" .outcome)" "$(j "$X" .outcome)"
        # the boot delta (issue 5): the injected poll is where main's streams
        # part; the skew starts at the milestone the simulator names
        eq "$sc/$seed skew start" "$(jq -c '.boot_delta.skew_start | if . then [.ref_t, .cand_t] else null end' "$R")" \
            "$(jq -c '.boot.skew_start | if . then [.ref_t, .cand_t] else null end' "$X")"
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
            eq "$sc/$seed skew at the loader" "$(j "$R" '.boot_delta.skew_start.what | startswith("loader_thread")')" true
            eq "$sc/$seed skew ratio" "$(j "$R" '.boot_delta.skew_start.ratio > 4')" true
            ;;
        healthy)
            eq "$sc/$seed no skew" "$(j "$R" .boot_delta.skew_start)" null
            ;;
        esac
    done
done

# --- the other reference formats --------------------------------------------
# A producer-only or lr-less reference may leave roots unknown, but never
# names a wrong one: every root is the truth's, or unknown.
honest() {
    jq -n --slurpfile r "$1" --slurpfile x "$2" '
        [$x[0].root_causes[] | [.kind, .tid, .obj]] as $truth
        | [$r[0].root_causes[] | select(.kind != "unknown") | [.kind, .tid, .obj]]
        | all(. as $c | $truth | index([$c]) != null)'
}
for sc in healthy missing-thread skipped-producer live-missing-producer lost-set waitany-as-all two-faults; do
    for fmt in xenia-kv xenia-log; do
        D="$T/$fmt-$sc-roots"
        "$W" simulate "$sc" -o "$D" --ref-format "$fmt" -q
        "$W" report "$D/ref.log" "$D/cand.jsonl" --json "$D/r.json" >/dev/null 2>&1
        eq "$fmt $sc: no confident wrong root" "$(honest "$D/r.json" "$D/truth.json")" true
        eq "$fmt $sc: the wedged threads" "$(jq -c '[.wedged[] | select(.engine == "cand") | .tid]' "$D/r.json")" \
            "$(jq -c '[.wedged[] | select(.engine == "cand") | .tid]' "$D/truth.json")"
        if [ "$(jq '[.root_causes[] | select(.kind == "unknown")] | length' "$D/r.json")" = 0 ]; then
            eq "$fmt $sc: outcome" "$(j "$D/r.json" .outcome)" "$(j "$D/truth.json" .outcome)"
        fi
    done
done
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

# --- a debug-level xenia log (rule R6): each call's stock line and its ----
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
# --- one event without t leaves a JSONL trace timed (rule R6) -------------
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

# --- demo -----------------------------------------------------------------
"$W" demo >"$T/demo" 2>&1
eq "demo exit" $? 0
eq "demo prints a report" "$(grep -c '^# wedge report' "$T/demo")" 1
rm -rf /tmp/wedge-demo-*

finish
