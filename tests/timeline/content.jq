# content.jq - what wedge's timeline must hold beyond the format: both
# engines named, wake-up flows, the first divergence in both engines with a
# flow between them.  Prints one line per thing missing.
#   jq -r --arg ref NAME --arg cand NAME -f tests/timeline/content.jq FILE
.traceEvents as $e
| ($e | map(select(.ph == "M" and .name == "process_name")) | map({(.pid | tostring): .args.name}) | add // {}) as $procs
| ($procs | to_entries | map(.value)) as $names
| (if ($names | index($ref)) == null then "no process named \($ref)" else empty end),
  (if ($names | index($cand)) == null then "no process named \($cand)" else empty end),
  (if ($e | map(select(.ph == "s" and .name == "wake")) | length) == 0 then "no wake-up flow" else empty end),
  (if ($e | map(select(.ph == "X" and .cat == "wait")) | length) == 0 then "no wait slice" else empty end),
  (if ($e | map(select(.ph == "i" and .cat == "producer" and .args.key != null and .args.op != null and .args.symbol != null)) | length) == 0 then "no producer instant with key, op and symbol" else empty end),
  (($e | map(select(.ph == "i" and .name == "first divergence")) | map(.pid) | unique) as $p
   | if ($p | length) != 2 then "the first divergence is marked in \($p | length) engine(s), not 2" else empty end),
  (if ($e | map(select(.ph == "s" and .name == "first divergence")) | length) != 1 then "no flow between the divergence markers" else empty end)
,
  # each wake arrow starts right after its producer's instant (same place:
  # the viewer binds it there) and ends inside a wait slice of its track
  (reduce $e[] as $v ({prev: null, bad: 0};
      if $v.ph == "s" and $v.cat == "wake" then
        (.prev) as $p
        | if $p == null or $p.ph != "i" or $p.cat != "producer" or $p.pid != $v.pid or $p.tid != $v.tid or $p.ts != $v.ts
          then .bad += 1 else . end
      elif $v.ph == "s" or $v.ph == "f" then .
      else .prev = $v end)
   | if .bad > 0 then "\(.bad) wake arrow(s) not right after their producer" else empty end),
  ([$e[] | select(.ph == "X" or (.ph == "f" and .cat == "wake"))]
   | group_by([.pid, .tid])
   | map(sort_by([.ts, (if .ph == "X" then 0 else 1 end)])
         | reduce .[] as $v ({cur: null, bad: 0};
             if $v.ph == "X" then .cur = $v
             elif .cur != null and .cur.ts <= $v.ts and $v.ts <= .cur.ts + .cur.dur then .
             else .bad += 1 end)
         | .bad)
   | add // 0
   | if . > 0 then "\(.) wake arrow(s) ending outside every wait slice" else empty end)
