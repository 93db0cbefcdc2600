#!/usr/bin/env python3
"""check_rules_json.py RULES.json SRCROOT TABLE.txt: checks `threadvet rules
--format json` against the shipped rules/*.yaml and the text table, then
prints `COUNT id name level short` for each rule, sorted by id, for
FileCheck. Fails (an assertion naming the problem) on:
  - invalid JSON, or not a list of objects;
  - ids not exactly the basenames of SRCROOT/rules/*.yaml, or repeated;
  - an id, name, level, short, full or help that is missing, not a string,
    or blank;
  - a level that is not error, warning or note;
  - a table row (after the header) that does not say the same id, level and
    short description."""
import glob
import json
import os
import sys

rules_path, srcroot, table_path = sys.argv[1:4]
rules = json.load(open(rules_path))
assert isinstance(rules, list) and all(isinstance(r, dict) for r in rules), "not a list of objects"

ids = [r.get("id") for r in rules]
shipped = sorted(os.path.basename(p)[: -len(".yaml")] for p in glob.glob(os.path.join(srcroot, "rules", "*.yaml")))
assert shipped, f"no rules/*.yaml under {srcroot}"
assert len(set(ids)) == len(ids), f"repeated ids: {ids}"
assert sorted(ids) == shipped, f"ids {sorted(ids)} are not the shipped rules {shipped}"

keys = ("id", "name", "level", "short", "full", "help")
bad = [(r.get("id"), k) for r in rules for k in keys if not isinstance(r.get(k), str) or not r[k].strip()]
assert not bad, f"missing or empty: {bad}"
levels = [(r["id"], r["level"]) for r in rules if r["level"] not in ("error", "warning", "note")]
assert not levels, f"bad levels: {levels}"

rows = sorted(line.rstrip() for line in open(table_path).read().splitlines()[1:])
want = sorted(f"{r['id']:<22} {r['level']:<8} {r['short']}".rstrip() for r in rules)
assert rows == want, f"the table says\n{rows}\nthe JSON says\n{want}"

for r in sorted(rules, key=lambda r: r["id"]):
    print(len(rules), r["id"], r["name"], r["level"], r["short"])
