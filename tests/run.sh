#!/bin/sh
# Runs every test suite against each build directory given (plain,
# sanitizers), one suite per core at a time, and closes with one line:
# "N passed, N failed".  Exits 1 on any failure.
#   sh tests/run.sh BUILD_DIR...
# WEDGE_SWEEP=1 (make test-long) runs the long simulator sweep: every scenario
# over 20 seeds (5 under the sanitizers) instead of 2 (1).
set -u
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/wedge-tests-XXXXXX)
trap 'rm -rf "$work"' EXIT

# suites BUILD: "NAME COMMAND..." lines, in the order they run
suites() {
    b=$1
    case $b in *asan*) asan=1 ;; *) asan=0 ;; esac
    if [ "${WEDGE_SWEEP:-0}" = 1 ]; then
        [ $asan = 1 ] && seeds="1 2 3 4 5" || seeds=$(seq 1 20 | tr '\n' ' ')
    else
        [ $asan = 1 ] && seeds="1" || seeds="1 2"
    fi
    # every allocation of a few small runs failed in turn in make test-long
    # (every 3rd under the sanitizers, slower); every 3rd (11th) in make test
    if [ "${WEDGE_SWEEP:-0}" = 1 ]; then
        [ $asan = 1 ] && step=3 || step=1
    else
        [ $asan = 1 ] && step=11 || step=3
    fi
    echo "unit ./$b/unit-tests"
    echo "e2e sh tests/e2e/run.sh $b"
    echo "docs sh tests/e2e/docs.sh $b"
    echo "input sh tests/e2e/input.sh $b"
    echo "stream sh tests/e2e/stream.sh $b"
    echo "parallel sh tests/e2e/parallel.sh $b"
    echo "errors sh tests/e2e/errors.sh $b"
    echo "diag sh tests/e2e/diag.sh $b"
    echo "roots sh tests/e2e/roots.sh $b"
    echo "hang sh tests/e2e/hang.sh $b"
    echo "output sh tests/e2e/output.sh $b"
    echo "locale sh tests/e2e/locale.sh $b"
    echo "extremes sh tests/e2e/extremes.sh $b"
    echo "span sh tests/e2e/span.sh $b"
    echo "boot sh tests/e2e/boot.sh $b"
    echo "wrappers sh tests/e2e/wrappers.sh $b"
    echo "objects sh tests/e2e/objects.sh $b"
    echo "writer sh tests/e2e/writer.sh $b"
    # live recordings under qemu: under the sanitizers only in make
    # test-long (the recorded traces' analysis runs under them in roots.sh)
    if [ $asan = 0 ] || [ "${WEDGE_SWEEP:-0}" = 1 ]; then
        echo "record sh tests/e2e/record.sh $b"
    fi
    echo "sites sh tests/e2e/sites.sh $b"
    echo "timeline sh tests/timeline/run.sh $b"
    echo "term sh tests/term/run.sh $b"
    echo "html sh tests/html/run.sh $b"
    echo "graph sh tests/graph/run.sh $b"
    # the simulator against its truth: under the sanitizers only in make
    # test-long (make test's critpath suite runs every scenario there)
    if [ $asan = 0 ] || [ "${WEDGE_SWEEP:-0}" = 1 ]; then
        echo "sim sh tests/e2e/sim.sh $b '$seeds'"
    fi
    # the critical path against the truth: seed 2 (1 under the sanitizers)
    # in make test, the sweep's seeds in make test-long
    if [ "${WEDGE_SWEEP:-0}" = 1 ]; then cp_seeds=$seeds; else
        [ $asan = 1 ] && cp_seeds="1" || cp_seeds="2"; fi
    echo "critpath sh tests/e2e/critpath.sh $b '$cp_seeds'"
    echo "alloc sh tests/alloc/run.sh $b $step"
    echo "threads ./$b/report-threads"
    echo "fuzz-corpus ./$b/fuzz-replay fuzz/corpus"
    echo "fuzz-options ./$b/fuzz-replay-options fuzz/corpus-options"
    echo "fuzz-transport ./$b/fuzz-replay-transport fuzz/corpus-transport"
    # the library from C++ and through pkg-config: plain build only (the
    # sanitizer and coverage builds' objects need their runtimes to link)
    case $b in *asan* | *cov*) ;; *) echo "lib sh tests/lib/run.sh $b" ;; esac
    # layers only call downward (make check-layers): one build is enough
    case $b in *asan*) ;; *) echo "layers sh tests/layers/run.sh $b" ;; esac
    case $b in *asan*) ;; *) echo "opnames sh tests/layers/opnames.sh $b" ;; esac
}

# run_one BUILD NAME CMD...: runs one suite; appends "NAME PASSED FAILED" to
# $work/BUILD.sum and prints one progress line
run_one() {
    b=$1 name=$2
    shift 2
    cmd=$*
    log="$work/$b.$name.log"
    t0=$(date +%s%N)
    eval "$cmd" >"$log" 2>&1
    rc=$?
    # the last "N passed, N failed" line of the suite's output
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        p=0 f=1
        echo "  $name ($b): no result line: the suite crashed (exit $rc)" >&2
    else
        p=$(echo "$line" | sed -E 's/(^|.* )([0-9]+) passed.*/\2/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            echo "  $name ($b): exited $rc with no failed check" >&2
            f=1
        fi
    fi
    grep -E '^FAIL|ERROR|runtime error' "$log" | head -n 40 >&2
    echo "$name $p $f" >>"$work/$b.sum"
    ms=$((($(date +%s%N) - t0) / 1000000))
    echo "$name ($b): $p passed, $f failed ($((ms / 1000)).$((ms % 1000 / 100)) s)"
}

# The suites of every build form one queue, the longest first, taken by
# one worker per core: the builds' suites interleave, so both cores stay
# busy until the end.
LONG="sim alloc critpath parallel timeline record term input fuzz-transport graph writer"
for build in "$@"; do
    : >"$work/$build.sum"
    suites "$build" | sed "s|^|$build |"
done >"$work/all"
{
    for n in $LONG; do awk -v n="$n" '$2 == n' "$work/all"; done
    awk -v l=" $LONG " 'index(l, " " $2 " ") == 0' "$work/all"
} >"$work/queue"

# take: the next job into $job, under a lock (mkdir is atomic); 1 when none
take() {
    while ! mkdir "$work/lock" 2>/dev/null; do sleep 0.02; done
    job=$(head -n 1 "$work/queue")
    sed -i 1d "$work/queue"
    rmdir "$work/lock"
    [ -n "$job" ]
}
worker() {
    while take; do
        # shellcheck disable=SC2086 # a job line is words: BUILD NAME CMD...
        run_one $job
    done
}
workers=$(nproc 2>/dev/null || echo 2)
[ "$workers" -ge 2 ] || workers=2
i=0
while [ "$i" -lt "$workers" ]; do
    worker &
    i=$((i + 1))
done
wait

total_pass=0
total_fail=0
for build in "$@"; do
    while read -r name p f; do
        total_pass=$((total_pass + p))
        total_fail=$((total_fail + f))
    done <"$work/$build.sum"
    n=$(wc -l <"$work/$build.sum")
    want=$(suites "$build" | wc -l)
    if [ "$n" -ne "$want" ]; then
        echo "  $build: $n of $want suites reported" >&2
        total_fail=$((total_fail + 1))
    fi
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
