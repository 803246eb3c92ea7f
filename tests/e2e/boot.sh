#!/bin/sh
# The boot delta and wedge diff compare tokens as the key table does:
# categories one engine does not observe are left out of both streams, op
# aliases are one op, and runs of equal tokens fold ("TOKEN x N").
#   sh tests/e2e/boot.sh BUILD_DIR
SUITE=boot
. "$(dirname "$0")/lib.sh"
j() { jq -r "$2" "$T/$1.json"; }
# ev T TID OP LR [OBJ]: one JSONL event
ev() { printf '{"t":%s,"tid":%s,"op":"%s","lr":"%s"%s}\n' "$1" "$2" "$3" "$4" "${5:+,\"obj\":\"$5\"}"; }

# --- a producer-only reference against a full candidate -------------------
# The reference logs its sets only (no header: it observes set); the
# candidate waits before each set.  Its waits are no difference: both
# streams are the sets, equal, where they used to part at token 0 on the
# candidate's first wait.
{
    i=0
    while [ $i -lt 6 ]; do ev $((i * 10 + 10)) 1 KeSetEvent 0x82000100 0x10; i=$((i + 1)); done
} >"$T/prod.ref"
{
    i=0
    while [ $i -lt 6 ]; do
        ev $((i * 10 + 5)) 1 KeWaitForSingleObject 0x82000200 0x20
        ev $((i * 10 + 10)) 1 KeSetEvent 0x82000100 0x10
        i=$((i + 1))
    done
} >"$T/prod.cand"
report_files prod "$T/prod.ref" "$T/prod.cand" --boot-window 1000
eq "producer-only: the pair" "$(j prod '.boot_delta.threads[0] | "\(.ref)=\(.cand)"')" "1=1"
eq "producer-only: no part at token 0 on waits" "$(j prod '.boot_delta.threads[0].first_diff')" null
eq "producer-only: the waits are no tokens" "$(j prod '.boot_delta.threads[0].tokens | "\(.ref) \(.cand)"')" "6 6"
eq "producer-only: waits left out" "$(j prod '.boot_delta.left_out | join(",")')" wait
contains "producer-only: the Markdown says what is left out" "$T/prod.md" \
    "Left out of both streams, as only one engine observes them: wait events."
status "producer-only: wedge diff" 0 "$W" diff "$T/prod.ref" "$T/prod.cand" --tid 1=1 --all
eq "producer-only: diff has no edit" "$(sed -n 3p "$T/out")" "0 inserted, 0 deleted"
eq "producer-only: diff shows no wait" "$(grep -c KeWait "$T/out")" 0

# --- op aliases -------------------------------------------------------------
# xeKeReleaseSemaphore (xenia's name) and KeReleaseSemaphore at one lr are
# one token; so are XEvent::Set and KeSetEvent.  The third tokens differ
# (other lrs): the streams part there, at 2, no longer at 0.
{ ev 10 1 xeKeReleaseSemaphore 0x82000300 0x30; ev 20 1 XEvent::Set 0x82000304 0x34
  ev 30 1 KeSetEvent 0x82000310 0x34; } >"$T/alias.ref"
{ ev 10 1 KeReleaseSemaphore 0x82000300 0x30; ev 20 1 KeSetEvent 0x82000304 0x34
  ev 30 1 KeSetEvent 0x82000314 0x34; } >"$T/alias.cand"
report_files alias "$T/alias.ref" "$T/alias.cand" --boot-window 1000
eq "aliases: equal up to the third token" "$(j alias '.boot_delta.threads[0].first_diff.index')" 2
eq "aliases: one edit each way" "$(j alias '.boot_delta.threads[0].edits | "\(.inserted) \(.deleted)"')" "1 1"
status "aliases: wedge diff" 0 "$W" diff "$T/alias.ref" "$T/alias.cand" --tid 1=1 --all -C 5
eq "aliases: diff has one edit each way" "$(sed -n 3p "$T/out")" "1 inserted, 1 deleted"
eq "aliases: each side keeps its own name on an equal row" \
    "$(grep -c '^ *0  xeKeReleaseSemaphore@0x82000300 *0  KeReleaseSemaphore@0x82000300$' "$T/out")" 1

# --- long runs fold ---------------------------------------------------------
# ref: 50 sets at 0x100, then one at 0x108; cand: 40 sets, then 0x108.
# The streams part at token 40 (unfolded), where 10 sets remain in ref.
{
    i=0
    while [ $i -lt 50 ]; do ev $((i + 10)) 1 KeSetEvent 0x82000100 0x10; i=$((i + 1)); done
    ev 100 1 NtSetEvent 0x82000108 0x18
} >"$T/run.ref"
{
    i=0
    while [ $i -lt 40 ]; do ev $((i + 10)) 1 KeSetEvent 0x82000100 0x10; i=$((i + 1)); done
    ev 100 1 NtSetEvent 0x82000108 0x18
} >"$T/run.cand"
report_files run "$T/run.ref" "$T/run.cand" --boot-window 1000
eq "runs: first difference in unfolded tokens, the runs folded" \
    "$(j run '.boot_delta.threads[0].first_diff | "\(.index)|\(.ref)|\(.cand)|\(.before | join(","))"')" \
    "40|KeSetEvent@0x82000100 x 10|NtSetEvent@0x82000108|KeSetEvent@0x82000100 x 40"
eq "runs: edits in tokens" "$(j run '.boot_delta.threads[0].edits | "\(.inserted) \(.deleted)"')" "0 10"
contains "runs: the Markdown folds the run before it" "$T/run.md" '`KeSetEvent@0x82000100 x 40`'
status "runs: wedge diff" 0 "$W" diff "$T/run.ref" "$T/run.cand" --tid 1=1 --all
eq "runs: diff counts tokens" "$(sed -n 3p "$T/out")" "0 inserted, 10 deleted"
eq "runs: the equal run is one row with its count" \
    "$(grep -c '^ *0  KeSetEvent@0x82000100 x 40 *0  KeSetEvent@0x82000100 x 40$' "$T/out")" 1
eq "runs: the deleted run is one row at its unfolded position" \
    "$(grep -c '^ *40  KeSetEvent@0x82000100 x 10 *<' "$T/out")" 1
eq "runs: three rows in all" "$(tail -n +4 "$T/out" | wc -l | tr -d ' ')" 3
# two equal tokens are no run: they print one by one
{ ev 1 1 A 0x10; ev 2 1 A 0x10; ev 3 1 B 0x14; } >"$T/two.ref"
{ ev 1 1 A 0x10; ev 2 1 A 0x10; ev 3 1 C 0x18; } >"$T/two.cand"
status "runs of two: wedge diff" 0 "$W" diff "$T/two.ref" "$T/two.cand" --tid 1=1 --all
eq "runs of two are not folded" "$(grep -c '^ *[01]  A@0x00000010  ' "$T/out")" 2
# a narrow column keeps the count whole
status "runs: a narrow column" 0 "$W" diff "$T/run.ref" "$T/run.cand" --tid 1=1 --all --width 12
eq "runs: the count survives the cut" "$(grep -c '^ *0  KeSetEv x 40 ' "$T/out")" 1


# --- --tolerance moves the boot window (report and diff alike) --------------
# ref: 10 sets at 0x100 (t 10..100), a set at 0x200 (t 110), 5 releases;
# cand: 7 sets at 0x100, the releases.  At the default tolerance 7 of 10
# is UNDER: the first divergence, so the window's end, is the 8th set
# (t 80; 7 ref tokens).  With --tolerance 1 it is a MATCH and the
# divergence is the MISSING set at 0x200 (t 110; 10 ref tokens).
{
    i=1
    while [ $i -le 10 ]; do ev $((i * 10)) 1 KeSetEvent 0x82000100 0x10; i=$((i + 1)); done
    ev 110 1 KeSetEvent 0x82000200 0x20
    i=1
    while [ $i -le 5 ]; do ev $((110 + i * 10)) 1 KeReleaseSemaphore 0x82000300 0x30; i=$((i + 1)); done
} >"$T/tol.ref"
{
    i=1
    while [ $i -le 7 ]; do ev $((i * 10)) 1 KeSetEvent 0x82000100 0x10; i=$((i + 1)); done
    i=1
    while [ $i -le 5 ]; do ev $((70 + i * 10)) 1 KeReleaseSemaphore 0x82000300 0x30; i=$((i + 1)); done
} >"$T/tol.cand"
report_files tol "$T/tol.ref" "$T/tol.cand"
eq "tolerance: the default window ends at the UNDER key" "$(j tol '.boot_delta.window')" 80
report_files tol1 "$T/tol.ref" "$T/tol.cand" --tolerance 1
eq "tolerance 1: the window ends at the MISSING key" "$(j tol1 '.boot_delta.window')" 110
eq "tolerance 1: report's ref tokens" "$(j tol1 '.boot_delta.threads[0].tokens.ref')" 10
status "tolerance: wedge diff, default" 0 "$W" diff "$T/tol.ref" "$T/tol.cand" --tid 1
eq "tolerance: diff's default window" "$(sed -n 1p "$T/out")" \
    "--- ref thread 1: 7 tokens (the boot window)"
status "tolerance: wedge diff --tolerance 1" 0 "$W" diff "$T/tol.ref" "$T/tol.cand" --tid 1 \
    --tolerance 1
eq "tolerance 1: diff's window is the report's" "$(sed -n 1p "$T/out")" \
    "--- ref thread 1: 10 tokens (the boot window)"
eq "tolerance 1: diff's edits" "$(sed -n 3p "$T/out")" "5 inserted, 3 deleted"
status "tolerance: wedge diff --tolerance=1" 0 "$W" diff "$T/tol.ref" "$T/tol.cand" --tid 1 \
    --tolerance=1
eq "tolerance=1: the same window" "$(sed -n 1p "$T/out")" \
    "--- ref thread 1: 10 tokens (the boot window)"
status "tolerance: diff refuses a bad one" 64 "$W" diff "$T/tol.ref" "$T/tol.cand" --tid 1 \
    --tolerance -1
contains "tolerance: diff's message is report's" "$T/err" \
    "wedge: --tolerance takes a number >= 0, e.g. 0.25: '-1'"
status "tolerance: diff --help" 0 "$W" diff --help
contains "tolerance: diff --help names it" "$T/out" "--tolerance X"

# --- a reference with no call sites (xenia-log) is compared by op ---------
# The simulator's healthy run as a xenia-log reference: every pair makes the
# same calls, so no pair's stream parts at its first token (a short cand
# may end first); (op, lr) against op parted every pair at token 0 and
# spent Myers' bound on it.
"$W" simulate healthy -o "$T/xlog" --events 3000 --ref-format xenia-log -q
"$W" report "$T/xlog/ref.log" "$T/xlog/cand.jsonl" --json "$T/xlog.json" >/dev/null 2>&1
eq "xenia-log ref: no pair parts at once" \
    "$(j xlog '[.boot_delta.threads[] | select(.first_diff.index == 0)] | length')" 0
eq "xenia-log ref: pairs compared" "$(j xlog '.boot_delta.threads | length > 3')" true

finish
