# The critical path of a report ($r[0]) against the simulator's truth
# ($x[0]): one line per check, "DESC<TAB>GOT<TAB>WANT" (critpath.sh compares).
# $mode "full": the graphs are equal; "subset": the report's lies within.
# Edges are compared as "producer->consumer", and with "@lr" when the
# report keys by lr (a stock log keys by op: its edges are per op).
($r[0]) as $rep | ($x[0].critical_path.edges) as $tr | ($rep.critical_path) as $cp
| ($rep.key_mode == "lr") as $bylr
| def name(e): "\(e.producer)->\(e.consumer)" + (if $bylr then "@\(e.lr)" else "" end);
  def pairs(l): [l[] | "\(.producer)->\(.consumer)"] | unique;
  ([$cp.frontier[] | $cp.edges[.edge]]) as $front
| [ if $mode == "full" then
      ["family graph (family pairs)", (pairs($cp.edges) | join(",")), (pairs($tr) | join(","))],
      ["family graph (edges)", ([$cp.edges[] | name(.)] | unique | join(",")),
                               ([$tr[] | name(.)] | unique | join(","))]
    else
      # the candidate cannot wait where its consumer never runs: a subset
      ["family graph within the truth's",
       ([$cp.edges[] | name(.)] - [$tr[] | name(.)] | unique | join(",")), ""]
    end,
    # each fault's first broken edge is on the frontier
    ["frontier names each fault's edge",
     ([$tr[] | select(.breaks != null) | name(.)] - [$front[] | name(.)] | unique | join(",")), ""],
    # and nothing the faults leave healthy
    ["frontier names no healthy edge",
     ([$front[] | name(.)] - [$tr[] | select(.affected) | name(.)] | unique | join(",")), ""],
    # every diverging edge is on the frontier or explained by it
    ["the frontier explains every diverging edge",
     ([$cp.edges[] | select((.status == "short" or .status == "late") and (.frontier | not)
                            and .explained_by == null) | name(.)] | join(",")), ""]
  ][] | map(tostring) | join("\t")
