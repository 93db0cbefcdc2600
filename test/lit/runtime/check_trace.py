#!/usr/bin/env python3
"""check_trace.py FILE — a Chrome trace-event file, checked and summarised:
every event has name, ph, pid, tid and a numeric ts; thread names; how many
lock holds (complete events with a duration); flow events by name; each
thread's times in its order; threads with no event; the longest hold, in
tenths of a second."""
import json
import sys

log = json.load(open(sys.argv[1]))
evs = log["traceEvents"]
for e in evs:
    for k in ("name", "ph", "pid", "tid"):
        if k not in e:
            sys.exit(f"an event without {k}: {e}")
    if not isinstance(e.get("ts"), (int, float)):
        sys.exit(f"an event without a numeric ts: {e}")
    if e["ph"] == "X" and not isinstance(e.get("dur"), (int, float)):
        sys.exit(f"a complete event without dur: {e}")
names = [e["args"]["name"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name"]
print("threads:", ", ".join(names))
print("holds:", sum(1 for e in evs if e["ph"] == "X"))
flows = {}
for e in evs:
    if e["ph"] in ("s", "f"):
        flows.setdefault(e["name"], []).append(e["ph"])
print("flows:", ", ".join(f"{k} {' '.join(sorted(set(v), reverse=True))}" for k, v in sorted(flows.items())))
last = {}
for e in sorted((e for e in evs if "seq" in e.get("args", {})), key=lambda e: e["args"]["seq"]):
    if e["ts"] < last.get(e["tid"], 0):
        sys.exit(f"time goes back on thread {e['tid']}: {e}")
    last[e["tid"]] = e["ts"]
    if e["ts"] > 600e6:
        sys.exit(f"a time beyond ten minutes: {e}")
tids = {e["tid"]: e["args"]["name"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name"}
busy = {e["tid"] for e in evs if e["ph"] != "M"}
print("threads without events:", ", ".join(n for t, n in sorted(tids.items()) if t not in busy) or "none")
holds = [e["dur"] for e in evs if e["ph"] == "X"]
print("longest hold: %.1f s" % (round(max(holds) / 1e5) / 10 if holds else 0))
print("OK")
