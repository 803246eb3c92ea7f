#!/bin/sh
# make bench: reading speed and memory against the in-run baseline, and
# the whole `wedge report` on two large traces, timed.
set -eu
B=${1:-build}
N=${WEDGE_BENCH_EVENTS:-2000000}
echo "== reading ($N events per trace)"
"$B/bench-read" "$N"
