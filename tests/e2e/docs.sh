#!/bin/sh
# The docs that ship: no link leaves the repository, every link inside it
# lands, and the docs keep up with the command (options, commands, files).
#   sh tests/e2e/docs.sh BUILD_DIR
SUITE=docs
. "$(dirname "$0")/lib.sh"
R="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$R" || exit 1
DOCS="README.md NEWS.md HACKING.md docs/wedge.md docs/format.md docs/analysis.md docs/simulate.md docs/writer.md docs/instrumenting.md"

for f in $DOCS LICENSE; do
    if [ -f "$f" ]; then ok; else bad "$f is missing"; fi
done

# nothing points at the spec folder that a clone does not have
hits=$(grep -rnE 'shared/spec|ANALYSIS\.md|FORMATS\.md|\]\(\.\./' $DOCS src include tests \
    --exclude=docs.sh 2>/dev/null | head -n 5)
eq "no reference outside the repository" "$hits" ""
# nor at the project's own history
hits=$(grep -nE '[Ii]ssue [0-9]|so far' $DOCS 2>/dev/null | head -n 5)
eq "no project history in the docs" "$hits" ""

# slug HEADING: the anchor a Markdown heading gets
slug() {
    printf '%s\n' "$1" | tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}
# every relative link lands on a file, and its #anchor on a heading there
for f in $DOCS; do
    [ -f "$f" ] || continue
    dir=$(dirname "$f")
    grep -oE '\]\([^)#: ]*(#[^) ]*)?\)' "$f" | sed -e 's/^](//' -e 's/)$//' | sort -u |
        while read -r link; do
            path=${link%%#*}
            anchor=
            case $link in *'#'*) anchor=${link#*#} ;; esac
            target="$dir/$path"
            [ -n "$path" ] || target=$f
            if [ ! -e "$target" ]; then
                echo "bad $f: link to $path: no such file"
                continue
            fi
            [ -n "$anchor" ] || continue
            found=0
            while IFS= read -r h; do
                [ "$(slug "$h")" = "$anchor" ] && found=1 && break
            done <<EOF
$(sed -n 's/^#\{1,6\} //p' "$target")
EOF
            [ $found = 1 ] || echo "bad $f: link to $link: no such heading"
        done
done >"$T/links"
eq "every link inside the repository lands" "$(cat "$T/links")" ""

# every option of `wedge report --help` is in the manual's option table
"$W" report --help >"$T/help"
for o in $(grep -oE '^  +(-o, )?--[a-z-]+' "$T/help" | grep -oE -- '--[a-z-]+'); do
    contains "docs/wedge.md documents report $o" docs/wedge.md "\`$o"
done
# every command is in both synopses
for c in report stats simulate demo diff record help; do
    contains "README synopsis names $c" README.md "wedge $c"
    contains "docs/wedge.md synopsis names $c" docs/wedge.md "wedge $c"
done
contains "README synopsis names --boot-window" README.md "[--boot-window NS]"
# the eight files of -o DIR, as the command writes them
"$W" simulate two-faults -o "$T/sim" --seed 1 --seconds 2 -q >/dev/null 2>&1
"$W" report "$T/sim/ref.jsonl" "$T/sim/cand.jsonl" -o "$T/out" >/dev/null 2>&1
# (the ninth, waitgraph.svg, when Graphviz is installed)
eq "-o writes eight files" "$(ls "$T/out" | grep -vx waitgraph.svg | wc -l | tr -d ' ')" 8
for f in $(ls "$T/out"); do
    contains "README names $f" README.md "$f"
    contains "docs/wedge.md names $f" docs/wedge.md "$f"
done
# the README's sample opens as the report does: the verdict first
first=$(awk 'seen && NF { print; exit } /^# wedge report/ { seen = 1 }' "$T/out/report.md")
sample=$(awk 'seen && NF { print; exit } /^# wedge report/ { seen = 1 }' README.md)
case $first in '**outcome '*) ok ;; *) bad "the report does not open with its verdict: $first" ;; esac
case $sample in '**outcome '*) ok ;; *) bad "README sample does not open with the verdict: $sample" ;; esac
finish
