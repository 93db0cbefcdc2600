#!/usr/bin/env python3
"""The IR survives facts files whole: for each C file, `dump-ir FILE` and
`link --dump-ir` of the facts `check --emit-facts` wrote must print the same,
and `check FILE` and `link` of those facts must report the same findings
(which read fields the dump does not print: function types, elements,
models). A field the serialiser forgot shows up as a difference.

usage: roundtrip.py THREADVET TMPDIR [--models FILE] FILE|DIR...
Prints one line per file compared and, for a difference, its diff."""
import difflib
import os
import subprocess
import sys

tv, tmp, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
models = []
if rest[:1] == ["--models"]:
    models, rest = rest[:2], rest[2:]
files = []
for arg in rest:
    if os.path.isdir(arg):
        files += sorted(os.path.join(arg, f) for f in os.listdir(arg) if f.endswith(".c"))
    else:
        files.append(arg)
os.makedirs(tmp, exist_ok=True)
failed = 0
for i, f in enumerate(files):
    out = os.path.join(tmp, "%d.tvf" % i)
    src = subprocess.run([tv, "dump-ir", *models, f], capture_output=True, text=True)
    emit = subprocess.run([tv, "check", *models, "--emit-facts", out, f, "--"], capture_output=True, text=True)
    back = subprocess.run([tv, "link", "--dump-ir", *models, out], capture_output=True, text=True)
    if emit.returncode != 0 or not src.stdout:
        print("FAIL %s: emit-facts exit %d: %s" % (f, emit.returncode, emit.stderr.strip()))
        failed += 1
        continue
    quiet = ["--quiet", "--color", "never", "--source", "never"]
    direct = subprocess.run([tv, "check", "--no-cache", *quiet, *models, f, "--"], capture_output=True, text=True)
    linked = subprocess.run([tv, "link", *quiet, *models, out], capture_output=True, text=True)
    if direct.stdout != linked.stdout or direct.returncode != linked.returncode:
        print("FAIL %s: link reports differently from check (exit %d vs %d)" % (f, direct.returncode, linked.returncode))
        sys.stdout.writelines(difflib.unified_diff(direct.stdout.splitlines(True), linked.stdout.splitlines(True),
                                                   "check", "link", n=1))
        failed += 1
    elif src.stdout != back.stdout or src.returncode != back.returncode:
        print("FAIL %s: the IR read back differs (exit %d vs %d)" % (f, src.returncode, back.returncode))
        sys.stdout.writelines(difflib.unified_diff(src.stdout.splitlines(True), back.stdout.splitlines(True),
                                                   "from source", "from facts", n=1))
        failed += 1
    else:
        print("same %s (%d lines of IR, %d of findings)" % (os.path.basename(f), src.stdout.count("\n"),
                                                          direct.stdout.count("\n")))
print("%d of %d files differ" % (failed, len(files)))
sys.exit(1 if failed else 0)
