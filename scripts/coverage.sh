#!/bin/sh
# Line coverage of a --coverage build after its suites ran (make coverage):
# one line per layer of src/ and the total, then the 20 least-covered
# functions.  A line counts once however many objects compiled it (the
# inline functions of a header), covered if any run reached it; a source
# whose object never ran counts as wholly uncovered.  Needs gcc's gcov (the
# one matching the compiler) and jq.
#   sh scripts/coverage.sh BUILD_DIR
set -eu
cd "$(dirname "$0")/.."
B=${1:?usage: sh scripts/coverage.sh BUILD_DIR}
GCOV=${GCOV:-gcov}
layers="base input model formats analysis output sim writer cli"
work=$(mktemp -d /tmp/wedge-cov-XXXXXX)
trap 'rm -rf "$work"' EXIT

# gcov's JSON for every source of every layer, one document per source
for layer in $layers; do
    [ -d "$B/obj/src/$layer" ] || { echo "coverage: no $B/obj/src/$layer: build first" >&2; exit 1; }
    # "cannot open data file" for an object that never ran: counted as 0
    "$GCOV" -j -t -o "$B/obj/src/$layer" src/"$layer"/*.c >>"$work/gcov.json" 2>>"$work/gcov.err" || {
        cat "$work/gcov.err" >&2
        exit 1
    }
done

# one record per source line: file, line, function, reached
jq -s -c '[.[] | .files[] | select(.file | startswith("src/")) | .file as $f
           | .lines[] | {f: $f, l: .line_number, fn: (.function_name // "?"), c: .count}]
          | group_by([.f, .l])
          | map({f: .[0].f, l: .[0].l, fn: .[0].fn, hit: (map(.c) | add > 0)})' \
    "$work/gcov.json" >"$work/lines.json"

echo "line coverage by layer (src/LAYER), after the plain suites:"
jq -r --arg layers "$layers" '
    def row($name; $ls): ($ls | map(select(.hit)) | length) as $h | ($ls | length) as $n
        | [$name, $h, $n, (if $n > 0 then $h * 1000 / $n | floor / 10 else 0 end)] | @tsv;
    . as $all
    | ($layers | split(" ")[] as $layer
       | row($layer; $all | map(select(.f | startswith("src/" + $layer + "/"))))),
      row("total"; $all)' "$work/lines.json" |
    awk -F'\t' '{ printf "  %-9s %6.1f%%  %6d of %6d lines\n", $1, $4, $2, $3 }'

echo "the 20 least-covered functions (share of lines reached, then most lines missed):"
jq -r 'group_by([.f, .fn])
       | map((map(select(.hit)) | length) as $h | length as $n
             | {f: .[0].f, l: (map(.l) | min), fn: .[0].fn, h: $h, n: $n,
                p: ($h * 1000 / $n | floor / 10)})
       | sort_by(.p, -(.n - .h), .f, .l) | .[:20][]
       | [.p, .h, .n, .fn, "\(.f):\(.l)"] | @tsv' "$work/lines.json" |
    awk -F'\t' '{ printf "  %5.1f%%  %4d of %4d lines  %s (%s)\n", $1, $2, $3, $4, $5 }'
