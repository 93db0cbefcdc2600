#!/usr/bin/env python3
"""check_repeat.py [--counts] TRACE.json — every thread's events of a --trace
file, thread by thread, each thread's in its order (by clock; how the
threads interleave differs from run to run): name, object, function,
each object numbered by its first use (addresses differ from run to run),
a line per event; with --counts, how many holds and events, how many the
record's repeat slots stood for (otherData), and whether the record took
fewer than a tenth as many slots as it had events. Exits 1 when a thread's
clocks go backwards."""
import json
import sys

counts = sys.argv[1] == "--counts"
d = json.load(open(sys.argv[-1]))
evs = [e for e in d["traceEvents"] if "seq" in e.get("args", {})]
evs.sort(key=lambda e: (e["tid"], e["args"]["seq"]))
if counts:
    other = d.get("otherData", {})
    print("holds:", sum(1 for e in evs if e["ph"] == "X" and e["name"].startswith("hold ")))
    print("events:", other.get("events"))
    print("repeated:", other.get("repeatedEvents"))
    print("coalesced:", "yes" if other.get("recordSlots", 0) * 10 < other.get("events", 0) else "no")
    sys.exit(0)
objs = {}
last = {}
for e in evs:
    a = e["args"]
    if last.get(e["tid"], -1) >= a["seq"]:
        sys.exit(f"thread {e['tid']}: clock {a['seq']} after {last[e['tid']]}")
    last[e["tid"]] = a["seq"]
    obj = a.get("object") or (e["name"].split(" ", 1)[1] if e["name"].startswith("hold ") else "")
    if obj:
        obj = objs.setdefault(obj, f"o{len(objs) + 1}")
    name = "hold" if e["name"].startswith("hold ") else e["name"]
    print(e["tid"], name, obj, a.get("function", ""))
