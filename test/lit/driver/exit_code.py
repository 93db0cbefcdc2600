#!/usr/bin/env python3
"""exit_code.py [--in-fresh-tmp] WANT CMD...: runs CMD (in a new empty
directory under the system's temp dir, with no compile_commands.json above
it, when asked), passes its output through, and fails unless it exits with
status WANT (lit's `not` only knows "non-zero")."""
import subprocess, sys, tempfile
args = sys.argv[1:]
fresh = args[0] == "--in-fresh-tmp"
if fresh:
    args = args[1:]
want = int(args[0])
with tempfile.TemporaryDirectory(prefix="threadvet-lit-") as tmp:
    r = subprocess.run(args[1:], cwd=tmp if fresh else None)
if r.returncode != want:
    sys.stderr.write(f"exit_code.py: expected exit {want}, got {r.returncode}: {' '.join(args[1:])}\n")
    sys.exit(1)
