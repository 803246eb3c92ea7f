# check.jq - the Chrome Trace Event format's rules, as wedge's timeline.json
# must keep them.  Prints one line per broken rule (none: the file passes):
#   jq -r -f tests/timeline/check.jq timeline.json
# A file that is not JSON makes jq itself fail.
def num: type == "number";
def str: type == "string";
def where: "event \(.i) (ph \(.e.ph | tojson))";

# the events with their place in the file
(if type == "object" then .traceEvents elif type == "array" then . else null end) as $evs
| if ($evs | type) != "array" then "no traceEvents array"
  else
    [$evs | to_entries[] | {i: .key, e: .value}] as $all
    | (
      # required members per phase
      ($all[] | select((.e | type) != "object") | "\(.i): not an object"),
      ($all[] | select(.e | type == "object") |
        . as $x | .e as $e |
        if ($e.ph | str | not) then "\($x | where): ph missing"
        elif ($e.ph | IN("X","B","E","i","I","s","t","f","M","C") | not) then "\($x | where): unknown phase"
        else
          (if ($e.name | str | not) then "\($x | where): name missing" else empty end),
          (if ($e.pid | num | not) then "\($x | where): pid missing" else empty end),
          (if $e.ph != "M" and (($e.ts | num | not) or $e.ts < 0) then "\($x | where): ts missing or negative" else empty end),
          (if ($e.ph | IN("X","B","E","s","t","f")) and ($e.tid | num | not) then "\($x | where): tid missing" else empty end),
          (if $e.ph == "X" and (($e.dur | num | not) or $e.dur < 0) then "\($x | where): complete event without dur" else empty end),
          (if ($e.ph | IN("i","I")) and ($e.s != null) and ($e.s | IN("t","p","g") | not) then "\($x | where): instant scope not t, p or g" else empty end),
          (if ($e.ph | IN("i","I")) and ($e.s // "t") == "t" and ($e.tid | num | not) then "\($x | where): thread instant without tid" else empty end),
          (if ($e.ph | IN("s","t","f")) and ($e.id == null) then "\($x | where): flow event without id" else empty end),
          (if $e.ph == "M" and ($e.args | type) != "object" then "\($x | where): metadata without args" else empty end),
          (if $e.ph == "M" and ($e.name | IN("process_name","thread_name")) and ($e.args.name | str | not) then "\($x | where): \($e.name) without args.name" else empty end),
          (if $e.ph == "M" and ($e.name | IN("process_sort_index","thread_sort_index")) and ($e.args.sort_index | num | not) then "\($x | where): \($e.name) without args.sort_index" else empty end),
          (if $e.ph == "M" and ($e.name | IN("thread_name","thread_sort_index")) and ($e.tid | num | not) then "\($x | where): \($e.name) without tid" else empty end)
        end),
      # every flow start has its end and every end its start (per cat and id)
      ([$all[] | .e | select(type == "object" and (.ph | IN("s","f")) and .id != null)]
        | group_by([.cat, (.id | tostring)])[]
        | (map(select(.ph == "s")) | length) as $s | (map(select(.ph == "f")) | length) as $f
        | select($s != 1 or $f != 1)
        | "flow id \(.[0].id) (cat \(.[0].cat)): \($s) start(s), \($f) end(s)"),
      # within a track, slices start in time order and nest, never overlap
      ([$all[] | select((.e | type) == "object" and (.e.ph | IN("X","B","E")) and (.e.ts | num))]
        | group_by([.e.pid, .e.tid])[]
        | (reduce .[] as $x ({prev: null, open: 0, bad: []};
            (if .prev != null and $x.e.ts < .prev.ts then .bad += ["\($x | where): ts \($x.e.ts) before \(.prev.ts) on track \($x.e.pid)/\($x.e.tid)"] else . end)
            | (if .prev != null and .prev.ph == "X" and $x.e.ph == "X" and ($x.e.ts < .prev.end - 0.0005) and ($x.e.ts + $x.e.dur > .prev.end + 0.0005)
               then .bad += ["\($x | where): slice overlaps the one before on track \($x.e.pid)/\($x.e.tid)"] else . end)
            | (if $x.e.ph == "B" then .open += 1 elif $x.e.ph == "E" then .open -= 1 else . end)
            | (if .open < 0 then .bad += ["\($x | where): E without its B"] | .open = 0 else . end)
            | .prev = {ts: $x.e.ts, ph: $x.e.ph, end: ($x.e.ts + ($x.e.dur // 0))})
          | .bad[]))
      )
  end
