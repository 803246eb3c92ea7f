# sim-compare.jq - wedge report ($r) against the simulator's truth ($x), one
# jq run for many checks (jq's start-up dominates sim.sh's time).  Emits
# "DESC<TAB>GOT<TAB>EXPECTED" lines; sim.sh turns each into a check.
#   jq -n -r --slurpfile r REPORT --slurpfile x TRUTH --arg mode full|shape -f sim-compare.jq
def row($desc; got; want): [$desc, (got | tojson), (want | tojson)] | @tsv;
def ev: if . then [.ref_index, .t, .category, .lr, .ordinal] else null end;
def cand_wedged: [.wedged[] | select(.engine == "cand") | .tid];
$r[0] as $R | $x[0] as $X
| if $mode == "full" then
    row("events"; $R | "\(.ref.events) \(.cand.events)"; $X | "\(.ref.events) \(.cand.events)"),
    row("no malformed line"; $R | .ref.malformed + .cand.malformed; 0),
    row("keys"; $R | [.keys[] | [.category, .lr, .op, .ref, .cand, .ref_total, .cand_total, .status]];
                $X | [.keys[] | [.category, .lr, .op, .ref, .cand, .ref_total, .cand_total, .status]]),
    row("first divergence"; $R | .first_divergence | ev; $X | .first_divergence | ev),
    row("first shortfall"; $R | .first_shortfall | ev; $X | .first_shortfall | ev),
    # the diagnosis (issue 4): wedged threads, root causes, outcome
    row("wedged"; $R | [.wedged[] | [.engine, .tid, .lr, .objs, .since, .divergent]];
                  $X | [.wedged[] | [.engine, .tid, .lr, .objs, .since, .divergent]]),
    row("wedged families"; $R | [.wedged[] | .family | sub("_thread$"; "")];
                           $X | [.wedged[] | .family | if . == "main" then "-" else . end]),
    row("roots"; $R | [.root_causes[] | [.kind, .tid, (.family | sub("_thread$"; "")), .category, .lr, .obj, .blocks]];
                 $X | [.root_causes[] | [.kind, .tid, .family, .category, .lr, .obj, .blocks]]),
    row("missing thread named"; $R | [.root_causes[] | select(.kind == "missing_thread") | [.ref_tid, .entry_pc]];
                                $X | [.root_causes[] | select(.kind == "missing_thread") | [.ref_tid, .entry_pc]]),
    row("thread map"; $R | [.thread_map[] | [.ref, .cand]] | sort; $X | [.thread_pairs[] | [.ref, .cand]] | sort),
    row("outcome"; $R | .outcome; $X | .outcome),
    # the boot delta (issue 5), the skew rule: rebased times
    row("skew start"; $R | .boot_delta.skew_start | if . then [.ref_t, .cand_t] else null end;
                      $X | .boot.skew_start | if . then [.ref_t, .cand_t] else null end),
    # issue 9: the common span, the headline and the end of a run
    row("span"; $R | .common_span | [.method, .ref_end, .cand_end, .heartbeat.category, .heartbeat.lr];
                $X | .common_span | [.method, .ref_end, .cand_end, .heartbeat.category, .heartbeat.lr]),
    row("key divergence"; $R | .first_key_divergence | if . then [.ref_index, .lr, .ordinal] else null end;
                          $X | .first_key_divergence | if . then [.ref_index, .lr, .ordinal] else null end),
    row("wedged by"; $R | [.wedged[] | .wedged_by]; $X | [.wedged[] | .wedged_by])
  else
    # other formats and shapes: a producer-only or lr-less reference may
    # leave wedged threads unexplained, but never names a wrong root
    row("no confident wrong root";
        ([$X.root_causes[] | [.kind, .tid, .obj]] as $truth
         | [$R.root_causes[] | [.kind, .tid, .obj]]
         | all(. as $c | $truth | index([$c]) != null)); true),
    row("the wedged threads"; $R | cand_wedged; $X | cand_wedged),
    (if $R.unexplained == [] then
        row("outcome"; $R.outcome; $X.outcome) else empty end),
    # a full or a producer-only reference (issue 10): the truth's roots,
    # inferred where they follow a reference that logs no waits
    (if $X.ref_format | IN("jsonl", "xenia-kv") then
        row("roots and confidence"; $R | [.root_causes[] | [.kind, .tid, .confidence]];
                                    $X | [.root_causes[] | [.kind, .tid, .confidence]]),
        row("outcome by roots"; $R.outcome; $X.outcome) else empty end),
    (if $X.key_mode == "lr" and ($X.scenario | IN("waitany-as-all", "two-faults")) then
        row("headline"; $R.first_divergence.lr; $X.first_divergence.lr) else empty end),
    # the span's ends, where both traces are timed
    (if $X.common_span.ref_unit == "ns" and $X.common_span.cand_unit == "ns" then
        row("span ends"; $R.common_span | [.method, .ref_end, .cand_end];
                         $X.common_span | [.method, .ref_end, .cand_end]) else empty end)
  end
