#!/usr/bin/env python3
"""unheld_stack.py SARIF — each lock-release-unheld result's stacks, as the
program's function names of their frames (innermost first)."""
import json
import sys

RUNTIME = ("__tsan", "__interceptor", "___interceptor", "__tv_", "tv_", "__wrap_", "__real_", "thread_entry",
           "pthread_", "__libc", "_start", "start_thread", "clone")
for run in json.load(open(sys.argv[1]))["runs"]:
    for r in run["results"]:
        if r["ruleId"] != "lock-release-unheld":
            continue
        for s in r["properties"]["threadvet"]["stacks"]:
            fns = [f.get("function", "?") for f in s["frames"]]
            print(f"{r['ruleId']}: " + " ".join(f for f in fns if f != "?" and not f.startswith(RUNTIME)))
