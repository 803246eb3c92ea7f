# make bench's jq baseline for `wedge report` (run with -n -r, the two
# traces as inputs and --slurpfile cat bench/producers.json): counts each
# producer key, (category, lr) or (category, op) without lr, per input
# file; prints "FILE CATEGORY KEY COUNT" lines.
$cat[0] as $c
| reduce (inputs | select(.op != null) | ($c[.op]) as $k
          | select($k != null) | [input_filename, $k, (.lr // .op)]) as $e
    ({}; .[$e[0]][$e[1] + " " + $e[2]] += 1)
| to_entries[] | .key as $f | .value | to_entries[]
| "\($f) \(.key) \(.value)"
