#!/usr/bin/env python3
"""Writes the six superlinear input shapes of issue 15 as JSONL pairs.

    python3 bench/gen_shapes.py DIR [SCALE]

DIR/N.ref and DIR/N.cand for N in 1..6.  SCALE (default 1) divides the
counts, so the tests can write the same shapes tiny."""
import os
import sys


def ev(out, t, tid, op, lr=None, obj=None, **kw):
    s = '{"t":%d,"tid":%d,"op":"%s"' % (t, tid, op)
    if lr is not None:
        s += ',"lr":"0x%x"' % lr
    if obj is not None:
        s += ',"obj":"0x%x"' % obj
    for k, v in kw.items():
        s += ',"%s":%s' % (k, ('"0x%x"' % v) if k.endswith("_pc") else v)
    out.append(s + "}\n")


def write(path, lines):
    with open(path, "w") as f:
        f.writelines(lines)


def shape1(d, n):
    # n objects never created, each set once at a site of its own; the
    # cand names every object differently: the object-similarity match
    for side, base in (("ref", 0x100000), ("cand", 0x900000)):
        out = []
        for i in range(n):
            ev(out, i + 1, 1, "NtSetEvent", 0x10000 + 4 * i, base + 16 * i)
        ev(out, n + 10, 2, "KeQueryPerformanceCounter", 0x20)
        write(os.path.join(d, "1." + side), out)


def shape2(d, n):
    # n pool threads with the same keys and no thread.create
    for side, tid0 in (("ref", 1000), ("cand", 50000)):
        out = []
        t = 1
        for k in range(n):
            for j in range(20):
                ev(out, t, tid0 + k, "NtSetEvent", 0x4000 + 4 * j, 0x700000 + 16 * (k % 64))
                t += 1
        write(os.path.join(d, "2." + side), out)


def shape3(d, n):
    # n wedged threads, each waiting for an event whose reference producer
    # (a thread of its own) the cand never runs: one root each
    for side in ("ref", "cand"):
        out = []
        t = 1
        for i in range(n):
            w, p = 10 + 2 * i, 11 + 2 * i
            ev(out, t, w, "KeWaitForSingleObject", 0x100000 + 16 * i, 0x800000 + 16 * i)
            if side == "ref":
                ev(out, t + 1, p, "NtSetEvent", 0x200000 + 16 * i, 0x800000 + 16 * i)
                ev(out, t + 2, w, "KeQueryPerformanceCounter", 0x300000 + 16 * i)
            t += 3
        ev(out, t + 1000, 1, "KeQueryPerformanceCounter", 0x20)
        write(os.path.join(d, "3." + side), out)


def shape4(d, n):
    # a deadlock ring: thread i waits on e_i at a site of its own, which
    # thread i+1 sets after each of its own waits; the reference goes round
    # 4 times, the cand once and then every thread waits for good
    for side, rounds in (("ref", 4), ("cand", 1)):
        out = []
        t = 1
        for r in range(rounds + 1):
            for i in range(n):
                ev(out, t, 10 + i, "KeWaitForSingleObject", 0x100000 + 256 * i, 0x800000 + 16 * i)
                t += 1
            if side == "cand" and r == rounds:
                break
            for i in range(n):
                ev(out, t, 10 + i, "NtSetEvent", 0x100000 + 256 * i + 8,
                   0x800000 + 16 * ((i - 1) % n))
                t += 1
        ev(out, t + 1000, 1, "KeQueryPerformanceCounter", 0x20)
        write(os.path.join(d, "4." + side), out)


def shape5(d, n, length):
    # n thread pairs (paired by entry PC) whose boot streams share nothing:
    # the cand's thread i makes the calls of the reference's thread i+1, so
    # the key table agrees throughout while no pair has a token in common
    for side in ("ref", "cand"):
        out = []
        t = 1
        for i in range(n):
            ev(out, t, 1, "thread.create", entry_pc=0x400000 + 256 * i, new_tid=10 + i)
            t += 1
        for j in range(length):
            for i in range(n):
                s = i if side == "ref" else (i + 1) % n
                ev(out, t, 10 + i, "NtSetEvent", 0x100000 + 4 * (j % 997) + 0x10000 * s, 0x500)
                t += 1
        write(os.path.join(d, "5." + side), out)


def shape6(d, waiters, sets):
    # one producer (paired, by entry PC) that sets each waiter's object at
    # one site; in the cand it stops setting them but runs on, and every
    # waiter waits for good (a live missing producer each)
    for side in ("ref", "cand"):
        out = []
        t = 1
        ev(out, t, 1, "thread.create", entry_pc=0x400000, new_tid=2)
        t += 1
        for i in range(waiters):
            ev(out, t, 1, "thread.create", entry_pc=0x410000 + 16 * i, new_tid=100 + i)
            ev(out, t + 1, 100 + i, "KeWaitForSingleObject", 0x500000 + 16 * i, 0x800000 + 16 * i)
            t += 2
        if side == "ref":
            for i in range(waiters):
                ev(out, t, 2, "NtSetEvent", 0x600000, 0x800000 + 16 * i)
                ev(out, t + 1, 100 + i, "KeQueryPerformanceCounter", 0x510000 + 16 * i)
                t += 2
        for j in range(sets * waiters):
            ev(out, t, 2, "NtSetEvent", 0x600100, 0x7f0000)
            t += 1
        ev(out, t + 1000, 1, "KeQueryPerformanceCounter", 0x20)
        write(os.path.join(d, "6." + side), out)


def main():
    d = sys.argv[1]
    scale = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.makedirs(d, exist_ok=True)
    shape1(d, 40000 // scale)
    shape2(d, 8000 // scale)
    shape3(d, 2000 // scale)
    shape4(d, 400 // scale)
    shape5(d, 66 // min(scale, 33), 10000 // scale)
    shape6(d, 6000 // scale, 125 // min(scale, 25))


if __name__ == "__main__":
    main()
