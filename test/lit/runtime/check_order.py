#!/usr/bin/env python3
"""check_order.py TRACE.json — the run's order is a linear extension of
happens-before (docs/runtime.md, "The run's order").

Reads a --trace file's events in the run's order (by their clock, `seq`,
then thread) and checks what must come before what: no two threads hold
one lock at once (a hold ends with the same thread's unlock or condition
wait), the k-th thread created starts after its creation and is joined
after its end (threads get slots in creation order; order.c joins them
in it), and the n-th receive of a channel comes after its n-th send (one
sender, one receiver: the n-th value received is the n-th sent). Prints
what it counted; exits 1 at the first thing out of order."""
import json
import sys

d = json.load(open(sys.argv[1]))
evs = d["traceEvents"] if isinstance(d, dict) else d
order = sorted((e for e in evs if "seq" in e.get("args", {})), key=lambda e: (e["args"]["seq"], e["tid"]))


def bad(what, e):
    sys.exit(f"out of order: {what}: {e}")


held = {}
overlapping = 0
created, started, ended, joined = [], set(), set(), 0
sends = {}
recvs = {}
early = 0
for e in order:
    name, tid = e["name"], e["tid"]
    if name.startswith("hold "):
        lock = name[5:]
        if lock in held and held[lock] != tid:
            overlapping += 1
        held[lock] = tid
    elif name in ("unlock", "cond wait"):
        held.pop(e["args"].get("object"), None)
    elif name == "create":
        created.append(len(created) + 1)
    elif name == "thread start":
        if tid > len(created):
            bad("a thread starts before it is created", e)
        started.add(tid)
    elif name == "thread end":
        ended.add(tid)
    elif name == "joined":
        joined += 1
        if joined not in ended:
            bad(f"thread {joined} joined before it ended", e)
    elif name == "chan send":
        o = e["args"].get("object")
        sends[o] = sends.get(o, 0) + 1
    elif name == "chan recv":
        o = e["args"].get("object")
        recvs[o] = recvs.get(o, 0) + 1
        if recvs[o] > sends.get(o, 0):
            early += 1

print(f"threads: {len(created)} created, {len(started)} started after, {joined} joined after")
print(f"lock holds overlapping: {overlapping}")
print(f"receives before their send: {early} of {sum(recvs.values())}")
print("OK" if not overlapping and not early else "FAILED")
