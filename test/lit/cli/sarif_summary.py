#!/usr/bin/env python3
"""sarif_summary.py FILE: one line per fact of a SARIF log that the CLI
tests check, for FileCheck:
  version VERSION
  invocation executionSuccessful=BOOL exitCode=N
  notification LEVEL [URI:LINE:COL] TEXT      (the toolExecutionNotifications)
  result RULE URI:LINE:COL TEXT
  results N
Fails on invalid JSON or on a log without exactly one run and one invocation."""
import json
import sys


def where(locs):
    if not locs:
        return ""
    p = locs[0]["physicalLocation"]
    r = p.get("region", {})
    return f"{p['artifactLocation']['uri']}:{r.get('startLine', 0)}:{r.get('startColumn', 0)} "


log = json.load(open(sys.argv[1]))
print("version", log["version"])
(run,) = log["runs"]
(inv,) = run["invocations"]
print(f"invocation executionSuccessful={str(inv['executionSuccessful']).lower()} exitCode={inv['exitCode']}")
for n in inv.get("toolExecutionNotifications", []):
    print(f"notification {n['level']} {where(n.get('locations'))}{n['message']['text']}")
for r in run["results"]:
    print(f"result {r['ruleId']} {where(r['locations'])}{r['message']['text']}")
print("results", len(run["results"]))
