#!/bin/sh
# wedge stats folds its events into counts as it reads (wdg_read_opts.fold):
# the figures must be those of a read that keeps every event, whatever the
# fold size, and the memory held must not grow with the input.
SUITE=stream
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")/data" && pwd)"

# same FILE [OPTIONS]: stats (text and JSON) with folds of 1, 3 and 50
# events equal the stats of a read that keeps everything
same() {
    f=$1
    shift
    WEDGE_STATS_FOLD=0 "$W" stats "$f" "$@" >"$T/keep.txt" 2>&1
    WEDGE_STATS_FOLD=0 "$W" stats --json "$f" "$@" >"$T/keep.json" 2>&1
    for n in 1 3 50; do
        WEDGE_STATS_FOLD=$n "$W" stats "$f" "$@" >"$T/fold.txt" 2>&1
        WEDGE_STATS_FOLD=$n "$W" stats --json "$f" "$@" >"$T/fold.json" 2>&1
        if cmp -s "$T/keep.txt" "$T/fold.txt" && cmp -s "$T/keep.json" "$T/fold.json"; then ok
        else bad "$f $* folded by $n: stats differ"; diff "$T/keep.txt" "$T/fold.txt" >&2; fi
    done
}

for f in "$D"/*.jsonl "$D"/*.log; do same "$f"; done
# untimed events before, between and after timed ones; malformed lines; blanks
cat >"$T/mixed.jsonl" <<'X'
{"tid":1,"op":"KeSetEvent","obj":"0x10"}
{"tid":2,"op":"KeSetEvent","obj":"0x10"}
{"t":500,"tid":1,"op":"KeSetEvent","obj":"0x10"}
not json

{"tid":3,"op":"NtWaitForSingleObject","obj":"0x10"}
{"t":200,"tid":2,"op":"KeSetEvent","lr":"0x82000000"}
{"t":900,"tid":4,"op":"KeSetEvent"}
{"tid":4,"op":"KeSetEvent","objs":["0x1","0x2"]}
X
same "$T/mixed.jsonl"
# no event with t: the span is in lines
grep -v '"t"' "$T/mixed.jsonl" >"$T/untimed.jsonl"
same "$T/untimed.jsonl"
# a --line-format trace
printf '%s\n' '1000 6 NtReleaseSemaphore 824AB168 F8000020' '2000 7 NtSetEvent 824AA304 F8000024' \
    'noise' '900 6 KeSetEvent 824D229C 7015F000' '3000 8 KeSetEvent 824D229C 7015F000' >"$T/t.txt"
same "$T/t.txt" --line-format '{t} {tid} {op} {lr} {obj}'
# probe events (pc, no op): kept until their op is known
printf '%s\n' '{"t":1,"tid":1,"pc":"0x100"}' '{"t":2,"tid":2,"op":"KeSetEvent"}' \
    '{"t":3,"tid":1,"pc":"0x100"}' '{"t":4,"tid":1,"op":"KeSetEvent"}' >"$T/probe.jsonl"
same "$T/probe.jsonl" --probe 0x100=KeSetEvent

# bounded: 10 times the events, no more bytes held than a fold's worth
# (4096 events of 40 bytes, their records and lists: well under 200 each)
"$W" simulate healthy --events 50000 -o "$T/large" -q
held() { WEDGE_STATS_FOLD=$1 WEDGE_MEMSTATS=1 "$W" stats "$2" 2>&1 >/dev/null |
    sed -n 's/.* events, \([0-9]*\) bytes retained.*/\1/p'; }
fold=$(held 4096 "$T/large/ref.jsonl")
keep=$(held 0 "$T/large/ref.jsonl")
if [ -n "$fold" ] && [ "$fold" -gt 0 ] && [ "$fold" -le $((4096 * 200)) ]; then ok
else bad "stats holds $fold bytes for 50000 events in folds of 4096"; fi
# and a read that keeps every event does grow (the figure measures something)
if [ -n "$keep" ] && [ "$keep" -gt $((4096 * 40 * 5)) ]; then ok
else bad "keeping every event holds $keep bytes, folding $fold"; fi

finish
