#!/usr/bin/env python3
"""check_trace.py FILE — a Chrome trace-event file checked against the
Trace Event Format (the JSON Object Format that chrome://tracing and
Perfetto read), then summarised.

The format's rules checked: the root is an object with a traceEvents array
(displayTimeUnit "ms" or "ns"); every event has a string name, a known
phase (ph), integer pid and tid and a numeric ts (microseconds) >= 0; cat is
a string and args an object when present; a complete event (X) has a
numeric dur >= 0; an instant (i, I) has scope s of g, p or t; a flow event
(s, t, f) has an id and a cat, a flow end's binding point bp is "e", and
every flow start has its end (same cat and id) no earlier than it; a
metadata event (M) has a known name and its args (thread_name: a name); a
cname is one of the viewer's reserved colour names.

Then: thread names; how many lock holds (complete events named hold ...);
flow events by name; each thread's times in its order; threads with no
event; the longest hold, in tenths of a second; what was still blocked at
the end; the findings marked (global instants)."""
import json
import sys

PHASES = set("BEXiICbneStTpFsftPNODMVvRc()") | {"(", ")"}
METADATA = {"process_name", "process_labels", "process_sort_index", "thread_name", "thread_sort_index"}
COLOURS = {"good", "bad", "terrible", "generic_work", "black", "grey", "white", "yellow", "olive", "rail_response",
           "rail_animation", "rail_idle", "rail_load", "startup", "heap_dump_stack_frame", "heap_dump_object_type",
           "heap_dump_child_node_highlight", "cq_build_running", "cq_build_passed", "cq_build_failed",
           "cq_build_abandoned", "cq_build_attempt_runnig", "cq_build_attempt_passed", "cq_build_attempt_failed"}


def bad(msg, e=None):
    sys.exit(f"not a trace-event file: {msg}" + (f": {json.dumps(e)[:300]}" if e is not None else ""))


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


log = json.load(open(sys.argv[1]))
if not isinstance(log, dict) or not isinstance(log.get("traceEvents"), list):
    bad("the root is not an object with a traceEvents array")
if log.get("displayTimeUnit", "ms") not in ("ms", "ns"):
    bad("displayTimeUnit is neither ms nor ns")
evs = log["traceEvents"]
starts, ends = {}, {}
for e in evs:
    if not isinstance(e, dict):
        bad("an event that is not an object", e)
    if not isinstance(e.get("name"), str):
        bad("an event without a string name", e)
    if e.get("ph") not in PHASES:
        bad("an event of no known phase", e)
    for k in ("pid", "tid"):
        if not isinstance(e.get(k), int) or isinstance(e.get(k), bool):
            bad(f"an event without an integer {k}", e)
    if not number(e.get("ts")) or e["ts"] < 0:
        bad("an event without a numeric ts >= 0", e)
    if "cat" in e and not isinstance(e["cat"], str):
        bad("a cat that is not a string", e)
    if "args" in e and not isinstance(e["args"], dict):
        bad("args that are not an object", e)
    if "cname" in e and e["cname"] not in COLOURS:
        bad("a cname that is not a reserved colour", e)
    ph = e["ph"]
    if ph == "X" and (not number(e.get("dur")) or e["dur"] < 0):
        bad("a complete event without a dur >= 0", e)
    if ph in ("i", "I") and e.get("s", "t") not in ("g", "p", "t"):
        bad("an instant whose scope is not g, p or t", e)
    if ph in ("s", "t", "f"):
        if not isinstance(e.get("id"), (int, str)) or not isinstance(e.get("cat"), str):
            bad("a flow event without an id and a cat", e)
        if ph == "f" and e.get("bp", "e") != "e":
            bad("a flow end whose binding point is not e", e)
        (starts if ph == "s" else ends if ph == "f" else {}).setdefault((e["cat"], e["id"]), []).append(e)
    if ph == "M":
        if e["name"] not in METADATA:
            bad("a metadata event of no known name", e)
        if e["name"] in ("thread_name", "process_name") and not isinstance(e.get("args", {}).get("name"), str):
            bad("a name metadata event without args.name", e)
for key, ss in starts.items():
    fs = ends.get(key)
    if not fs:
        bad("a flow start without its end", ss[0])
    if min(f["ts"] for f in fs) < min(s["ts"] for s in ss):
        bad("a flow that ends before it starts", fs[0])

names = [e["args"]["name"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name"]
print("threads:", ", ".join(names))
print("holds:", sum(1 for e in evs if e["ph"] == "X" and e["name"].startswith("hold ")))
flows = {}
for e in evs:
    if e["ph"] in ("s", "f"):
        flows.setdefault(e["name"], []).append(e["ph"])
print("flows:", ", ".join(f"{k} {' '.join(sorted(set(v), reverse=True))}" for k, v in sorted(flows.items())))
print("messages:", sum(1 for e in evs if e["ph"] == "s" and e.get("cat") == "channel"))
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
holds = [e["dur"] for e in evs if e["ph"] == "X" and e["name"].startswith("hold ")]
print("longest hold: %.1f s" % (round(max(holds) / 1e5) / 10 if holds else 0))
print("blocked at the end:", ", ".join(sorted(f"{tids.get(e['tid'], e['tid'])} {e['name'][9:]}"
                                            for e in evs if e["ph"] == "X" and e["name"].startswith("blocked"))) or "none")
print("findings:", ", ".join(sorted(e["name"] for e in evs if e["ph"] in ("i", "I") and e.get("s") == "g")) or "none")
print("OK")
