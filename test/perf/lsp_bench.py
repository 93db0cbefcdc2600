#!/usr/bin/env python3
"""lsp_bench.py [--runs N] THREADVET BUILD_DIR FILE...

How long `threadvet lsp` takes to publish the diagnostics of an edited
file, next to parsing that file alone. For each FILE (a unit of BUILD_DIR's
compile_commands.json): the server is started with -p BUILD_DIR and
--debounce 0, the file opened (the first analysis parses the whole
program), then edited N times (default 5) with code (a function added,
then taken away) and N times with a comment alone (the IR stays as it was:
the last analysis is reused); each edit is timed from sending didChange to
receiving the publishDiagnostics of its version. The baseline is `threadvet check
--parse-only -j 1 -p BUILD_DIR FILE`, N times. Medians are printed, with
the server's own split of a code edit (parse of the buffer, other units,
link and analyses)
from its --verbose log, and the server's peak RSS."""
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lit", "lsp", "Inputs"))
from lspclient import Client  # noqa: E402

args = sys.argv[1:]
runs = 5
if args[:1] == ["--runs"]:
    runs, args = int(args[1]), args[2:]
threadvet, build, files = os.path.abspath(args[0]), os.path.abspath(args[1]), args[2:]


def parse_alone(f):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run([threadvet, "check", "--parse-only", "-j", "1", "-q", "-p", build, f], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.monotonic() - t)
    return statistics.median(times)


def lsp(f):
    c = Client(threadvet, "-p", build, "--debounce", "0", "-v", cwd=build)
    c.initialize(build)
    text = open(f).read()
    t = time.monotonic()
    c.open(f, text, 1)
    c.diagnostics(f, 1)
    first = time.monotonic() - t
    # A code edit (a function added, then taken away: the IR changes) and a
    # comment edit (the IR does not: the last analysis is reused).
    code, comment = "static int lsp_bench_edit(int x) { return x + 1; }\n", "/* edit */\n"
    times = {"code": [], "comment": []}
    v = 1
    for kind, extra in (("code", code), ("comment", comment)):
        for i in range(runs):
            v += 1
            t = time.monotonic()
            c.change(f, v, text + extra if i % 2 == 0 else text)
            n = len(c.diagnostics(f, v)["diagnostics"])
            times[kind].append(time.monotonic() - t)
    with open(f"/proc/{c.proc.pid}/status") as st:
        rss = next(int(line.split()[1]) for line in st if line.startswith("VmHWM:")) / 1024
    c.finish()
    split = [tuple(map(float, m.groups())) for m in
             (re.search(r"parse ([\d.]+) s, \d+ other units? ([\d.]+) s, analysis ([\d.]+) s$", line) for line in c.stderr)
             if m][1:]
    parts = [statistics.median(s[i] for s in split) for i in range(3)] if split else [0, 0, 0]
    return first, statistics.median(times["code"]), statistics.median(times["comment"]), parts, n, rss


print(f"{'file':24} {'parse alone':>11} {'first open':>10} {'code edit':>9} {'ratio':>6} {'comment edit':>12} {'ratio':>6}"
      "  code edit in the server: parse / others / link+analyses")
for f in files:
    f = os.path.abspath(f)
    base = parse_alone(f)
    first, edit, comment, parts, n, rss = lsp(f)
    print(f"{os.path.relpath(f, build):24} {base:10.3f}s {first:9.3f}s {edit:8.3f}s {edit / base:6.2f} {comment:11.3f}s "
          f"{comment / base:6.2f}  {parts[0]:.3f} / {parts[1]:.3f} / {parts[2]:.3f} s  ({n} diagnostics, peak RSS {rss:.0f} MiB)")
