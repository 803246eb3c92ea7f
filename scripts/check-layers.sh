#!/bin/sh
# check-layers.sh [BUILD [ROOT]] - fail when a layer of the library calls
# upward.  BUILD (default build) holds the objects, ROOT (default the
# repository) the sources; tests/layers/run.sh gives both to prove it fails.
#
# The layers, bottom up, and what each may use (HACKING.md, "The layers"):
#   base      -
#   input     base
#   model     base
#   formats   base input model
#   analysis  base model
#   output    base model analysis
#   sim       base model            (the simulator, libwedge-sim.a)
#   writer    base                  (the trace writer, for engines)
#   record    base writer           (wedge record's LD_PRELOAD library)
#   cli       everything
# Two checks, because either alone can be fooled:
#   calls     every undefined symbol of an object file in BUILD/obj/src/L/
#             (nm) must be defined by L itself or a layer L may use;
#   includes  every #include "../X/..." in src/L/ and every public header
#             "wedge/H.h" (mapped to its layer below) must be allowed too,
#             and so must the public headers' includes of each other.
# Prints each break with the file and the name, then "N breaks"; exit 1
# when there is any.
set -u
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
cd "${2:-$(dirname "$0")/..}" || exit 2

allowed() {   # allowed LAYER -> the layers it may use, itself included
    case $1 in
    base) echo "base" ;;
    input) echo "input base" ;;
    model) echo "model base" ;;
    formats) echo "formats base input model" ;;
    analysis) echo "analysis base model" ;;
    output) echo "output base model analysis" ;;
    sim) echo "sim base model" ;;
    writer) echo "writer base" ;;
    record) echo "record base writer" ;;
    cli) echo "cli base input model formats analysis output sim writer" ;;
    *) echo "" ;;
    esac
}

header_layer() {   # the layer of public header wedge/NAME.h
    case $1 in
    api | buf | error | outfile | utf8) echo base ;;
    trace | ops | symbols | sites) echo model ;;
    load | template) echo formats ;;
    analysis | diagnosis | bootdelta | critpath | diff | report) echo analysis ;;
    writer) echo writer ;;
    wedge) echo cli ;;
    *) echo unknown ;;
    esac
}

LAYERS="base input model formats analysis output sim writer record cli"
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT INT TERM

for l in $LAYERS; do
    [ -d "$B/obj/src/$l" ] || { echo "check-layers: $B/obj/src/$l missing (build first)" >&2; exit 2; }
done
if ! command -v nm >/dev/null 2>&1; then
    echo "check-layers: nm (binutils) is missing" >&2
    exit 2
fi

# defined symbols: "symbol layer"; undefined ones: "symbol layer source".
# One nm per layer (nm -A prefixes each line with its object).
for l in $LAYERS; do
    objs=""
    for o in "$B/obj/src/$l"/*.o; do
        # an object left behind by a source file since moved or deleted
        # would report breaks the tree no longer has
        [ -f "$o" ] && [ -f "src/$l/$(basename "$o" .o).c" ] && objs="$objs $o"
    done
    [ -n "$objs" ] || continue
    # shellcheck disable=SC2086 # objs is a list of paths without spaces
    nm -A $objs | awk -v l="$l" '
        { split($1, p, ":"); n = split(p[1], d, "/"); src = "src/" l "/" d[n]; sub(/\.o$/, ".c", src) }
        # the interposers of record (pthread_mutex_lock, write, ...) have
        # libc names: a layer calling them calls libc, not record
        NF == 3 && $2 ~ /^[TDBRC]$/ && (l != "record" || $3 ~ /^rec_/) { print $3, l >> "'"$T/def"'"; next }
        NF == 3 && $2 ~ /^[TDBRC]$/ { next }
        NF == 3 && $2 == "U" { print $3, l, src >> "'"$T/undef"'" }'
done
touch "$T/def" "$T/undef"
: >"$T/breaks"
for l in $LAYERS; do
    echo "$l $(allowed "$l")"
done >"$T/rules"
awk 'FILENAME == ARGV[1] { for (i = 2; i <= NF; i++) ok[$1 " " $i] = 1; next }
     FILENAME == ARGV[2] { def[$1] = $2; next }
     ($1 in def) && !(($2 " " def[$1]) in ok) {
         printf "calls: %s (%s) uses %s from %s\n", $3, $2, $1, def[$1] }' \
    "$T/rules" "$T/def" "$T/undef" >>"$T/breaks"

# includes: "file layer included-layer [header]", one awk over every file
hl() {   # the header_layer table as "NAME LAYER" lines
    for h in include/wedge/*.h; do
        n=$(basename "$h" .h)
        echo "$n $(header_layer "$n")"
    done
}
hl >"$T/hl"
awk 'FILENAME == ARGV[1] { layer[$1] = $2; next }
     FNR == 1 { n = split(FILENAME, d, "/")
                if (d[1] == "src") own = d[2]
                else { h = d[n]; sub(/\.h$/, "", h); own = (h in layer) ? layer[h] : "unknown" } }
     /^#include "\.\.\/[a-z]*\// { split($2, q, "/"); print FILENAME, own, q[2] }
     /^#include "wedge\/[a-z0-9_]*\.h"/ { h = $2; gsub(/"|wedge\/|\.h/, "", h)
                                           print FILENAME, own, ((h in layer) ? layer[h] : "unknown"), "wedge/" h ".h" }' \
    "$T/hl" src/*/*.c src/*/*.h include/wedge/*.h >"$T/inc"
awk 'FILENAME == ARGV[1] { for (i = 2; i <= NF; i++) ok[$1 " " $i] = 1; next }
     !(($2 " " $3) in ok) {
         what = NF > 3 ? $4 : $3 "/"
         printf "includes: %s (%s) includes %s (%s)\n", $1, $2, what, $3 }' \
    "$T/rules" "$T/inc" >>"$T/breaks"

sort -u "$T/breaks" >"$T/sorted"
cat "$T/sorted"
n=$(wc -l <"$T/sorted" | tr -d ' ')
nobj=$(wc -l <"$T/undef" | tr -d ' ')
echo "check-layers: $n breaks ($nobj calls and $(wc -l <"$T/inc" | tr -d ' ') includes checked)"
[ "$n" -eq 0 ]
