#!/usr/bin/env python3
"""make bench's baseline for `wedge report`: the key table the plain way.

Reads two wedge JSONL traces line by line with json.loads and counts each
producer key, (category, lr) or (category, op) when the event has no lr,
in a Counter per trace; prints one row per key (category, key, reference
count, candidate count), sorted by reference count, then candidate count,
descending.  Producer ops and their categories are bench/producers.json
(the set, release and signal_wait rows of src/model/ops.c).  No common
span, no wrappers, no diagnosis: only what every key table must do.
"""
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "producers.json")) as f:
    CATEGORY = json.load(f)


def count_keys(path):
    keys = Counter()
    with open(path, "rb") as f:
        for line in f:
            event = json.loads(line)
            op = event.get("op")
            category = CATEGORY.get(op)
            if category is not None:
                keys[(category, event.get("lr") or op)] += 1
    return keys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: keytable.py REF.jsonl CAND.jsonl")
    ref = count_keys(sys.argv[1])
    cand = count_keys(sys.argv[2])
    rows = sorted(set(ref) | set(cand), key=lambda k: (-ref[k], -cand[k], k))
    out = sys.stdout
    for key in rows:
        out.write("%s %s %d %d\n" % (key[0], key[1], ref[key], cand[key]))


main()
