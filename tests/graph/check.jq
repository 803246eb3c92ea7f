# waitgraph.dot as Graphviz read it (dot -Tjson), against report.json
# ($rep): prints one line per problem, nothing when the graph is right.
#   jq -r --slurpfile rep report.json -f check.jq graph.json
($rep[0]) as $r
| [.objects[]? | select(has("nodes") | not)] as $nodes
| [.objects[]? | select(has("nodes"))] as $subs
| ([$nodes[] | {key: (._gvid | tostring), value: .name}] | from_entries) as $name
| ([$nodes[] | {key: .name, value: .label}] | from_entries) as $lab
| [.edges[]? | {from: $name[.tail | tostring], to: $name[.head | tostring], label: (.label // "")}] as $edges
| def node($n): $lab | has($n);
  def rootnode($x): if $x.tid != null then "c\($x.tid)" else "r\($x.ref_tid)" end;
  (if node("legend") then empty else "no legend" end),
  ($edges[] | select((.label | test("waits on|for ")) | not)
   | "edge \(.from) -> \(.to) has no object or key: '\(.label)'"),
  ($r.wedged[] | select(.engine == "cand" and .divergent) | "c\(.tid)"
   | select(node(.) | not) | "wedged thread \(.) is no node"),
  ($r.root_causes | to_entries[] | .key as $k | .value as $x | rootnode($x) as $n
   | if (node($n) | not) then "root \($k + 1) (\($x.kind)): its thread \($n) is no node"
     elif ($lab[$n] | contains("ROOT \($k + 1): \($x.kind)") | not)
     then "root \($k + 1): node \($n) does not say ROOT \($k + 1): \($x.kind)"
     else empty end),
  # a root that names another thread: an arrow from a thread it blocks to it
  ($r.root_causes[] | select(.kind != "cycle" and .kind != "signaled_but_blocked") | rootnode(.) as $n
   | select([$edges[] | select(.to == $n and .from != $n)] | length == 0)
   | "root \(.kind) on \($n): no arrow leads to it"),
  # a cycle: every member waits for a member and is waited for by one
  ($r.root_causes[] | select(.kind == "cycle") | [.blocks[] | "c\(.)"] as $m
   | $m[] | . as $t
   | select(([$edges[] | select(.from == $t and (.to as $x | $m | index($x)))] | length) == 0
            or ([$edges[] | select(.to == $t and (.from as $x | $m | index($x)))] | length) == 0)
   | "cycle member \($t) is not on a cycle of arrows"),
  # unexplained wedges in their cluster
  ([$subs[] | select(.name == "cluster_unexplained") | .nodes[] | $name[tostring]]) as $lost
  | ($r.unexplained[] | "c\(.tid)" | select(. as $t | $lost | index($t) | not)
     | "unexplained \(.) is not in cluster_unexplained")
