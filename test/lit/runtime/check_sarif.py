#!/usr/bin/env python3
"""check_sarif.py FILE — a run's SARIF, checked and summarised for FileCheck.

Checks, for every result: a location with a file; the properties threadvet
puts there (identity, source "runtime", a count); its code flow: one thread
flow per thread, each step with an executionOrder, the orders of a result
1..N with none twice, increasing within each thread flow. Prints one line
per result:

  RESULT rule=RULE identity=IDENTITY count=N threads=T steps=S file=BASENAME:LINE

and `OK` at the end, or exits 1 naming what is wrong."""
import json
import os
import sys


def fail(msg):
    print(f"check_sarif.py: {msg}", file=sys.stderr)
    sys.exit(1)


def main(path):
    log = json.load(open(path) if path != "-" else sys.stdin)
    run = log["runs"][0]
    for r in run.get("results", []):
        rule = r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        line = loc.get("region", {}).get("startLine", 0)
        props = r.get("properties", {})
        tv = props.get("threadvet", {})
        if tv.get("source") != "runtime":
            fail(f"{rule}: no properties.threadvet.source runtime")
        if not props.get("identity", "").startswith(rule + "|"):
            fail(f"{rule}: identity {props.get('identity')!r} does not start with the rule")
        orders = []
        flows = r.get("codeFlows", [])
        threads = steps = 0
        for cf in flows:
            for tf in cf["threadFlows"]:
                threads += 1
                prev = 0
                for st in tf["locations"]:
                    steps += 1
                    o = st.get("executionOrder")
                    if not isinstance(o, int) or o < 1:
                        fail(f"{rule}: a step without an executionOrder")
                    if o <= prev:
                        fail(f"{rule}: executionOrder not increasing within a thread flow")
                    prev = o
                    orders.append(o)
        if sorted(orders) != list(range(1, len(orders) + 1)):
            fail(f"{rule}: executionOrders {sorted(orders)} are not 1..N")
        print(f"RESULT rule={rule} identity={props.get('identity')} count={tv.get('count')} "
              f"threads={threads} steps={steps} file={os.path.basename(uri)}:{line}")
    print("OK")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
