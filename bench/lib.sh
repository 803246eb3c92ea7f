# make bench's measuring helpers, sourced by bench/run.sh (needs B, T, REPS).
# Each timed run appends "wall user sys peak-RSS-KiB" to $T/LABEL (bench-time).

# run1 LABEL CMD...: one timed run, output discarded, stderr kept in
# $T/LABEL.err; a failing command stops the bench (its figure would lie)
run1() {
    label=$1
    shift
    if ! "$B/bench-time" "$T/$label" "$@" >/dev/null 2>"$T/$label.err"; then
        echo "bench: $label failed: $*" >&2
        cat "$T/$label.err" >&2
        exit 1
    fi
}

# rounds LABEL1 'CMD1' LABEL2 'CMD2' ...: REPS rounds, each running every
# command once in turn, so that a load change on the shared machine hits
# all of them alike (the ratios are paired per round)
rounds() {
    i=0
    while [ "$i" -lt "$REPS" ]; do
        round_once "$@"
        i=$((i + 1))
    done
}

round_once() {
    while [ "$#" -ge 2 ]; do
        run1 "$1" sh -c "$2"
        shift 2
    done
}

# pick LABEL wall|cpu|rss min|med
pick() {
    awk -v c="$2" '{ print c == "cpu" ? $2 + $3 : (c == "rss" ? $4 : $1) }' "$T/$1" |
        sort -g | awk -v w="$3" '{ a[NR] = $1 } END { print w == "min" ? a[1] : a[int((NR + 1) / 2)] }'
}

# show LABEL [BYTES]: min and median wall and CPU seconds, and with BYTES
# the throughput of the median run (wall, and per CPU second)
show() {
    awk -v l="$1" -v b="${2:-0}" -v wm="$(pick "$1" wall min)" -v wd="$(pick "$1" wall med)" \
        -v cm="$(pick "$1" cpu min)" -v cd="$(pick "$1" cpu med)" 'BEGIN {
        printf "  %-30s wall %7.3f s min %7.3f s med | CPU %7.3f s min %7.3f s med", l, wm, wd, cm, cd
        if (b > 0) printf " | %5.0f MB/s, %5.0f MB/s per CPU s", b / wd / 1e6, b / (cd > 0 ? cd : 1e-9) / 1e6
        printf "\n" }'
}

# paired A B wall|cpu: the median over rounds of A's time over B's
paired() {
    paste -d ' ' "$T/$1" "$T/$2" | awk -v c="$3" '{
        a = c == "cpu" ? $2 + $3 : $1; b = c == "cpu" ? $6 + $7 : $5
        print a / (b > 0 ? b : 1e-6) }' |
        sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# ratio WEDGE BASE "NAME": the comparison sentence, CPU first
ratio() {
    awk -v n="$3" -v c="$(paired "$1" "$2" cpu)" -v w="$(paired "$1" "$2" wall)" 'BEGIN {
        printf "  wedge takes %.2f x the time of %s (CPU; wall %.2f x)\n", c, n, w }'
}

# goal MET TEXT MEASURED: MET is 1 or 0
goal() {
    if [ "$1" = 1 ]; then verdict="met"; else verdict="NOT MET"; fi
    printf "  goal: %s ... %s (%s)\n" "$2" "$verdict" "$3"
    echo "$2 ... $verdict ($3)" >> "$T/goals"
}

# ge A B: 1 when A >= B (decimals)
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
