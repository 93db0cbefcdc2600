#!/usr/bin/env python3
"""provoke.py — issue 12's goal for `threadvet run --static --provoke`, measured.

Usage: runtime/bench/provoke.py [--build DIR] [--runs N]

Every lock-order finding `threadvet check` makes on the examples and on the
lit suite's runtime and confirm programs is either real (a cycle two threads
can close) or false (a gate lock the analysis did not see, an order fixed by
an address comparison). Each program is built with `threadvet cc` and run
with `threadvet run --static --provoke` up to N times (default 10): a real
finding must be confirmed within N runs, a false one never (all N runs are
made). Prints a markdown table; exits 1 when the goal is not met.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RT = os.path.join(ROOT, "test/lit/runtime")
LIB = os.path.join(ROOT, "examples/lib")

# name, directory, sources (the first is analysed), real?
PROGRAMS = [
    ("examples/health-monitor/buggy.c", ROOT, ["examples/health-monitor/buggy.c", "examples/lib/chan.c"], True),
    ("test/lit/runtime/deadlock.c", RT, ["deadlock.c"], True),
    ("test/lit/confirm/Inputs/prog.c", os.path.join(ROOT, "test/lit/confirm/Inputs"), ["prog.c"], True),
    ("test/lit/runtime/Inputs/provoke-ab.c", os.path.join(RT, "Inputs"), ["provoke-ab.c"], True),
    ("test/lit/runtime/Inputs/provoke-gated.c", os.path.join(RT, "Inputs"), ["provoke-gated.c", "gate.c"], False),
    ("test/lit/runtime/Inputs/provoke-ordered.c", os.path.join(RT, "Inputs"), ["provoke-ordered.c"], False),
]


def lock_results(log):
    return [r for r in log["runs"][0]["results"] if r.get("ruleId") == "lock-order-inversion"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()
    tv = os.path.join(a.build, "bin", "threadvet")
    ok = True
    print("| program | finding | runs to confirm (of %d) | outcome | wall time |" % a.runs)
    print("|---|---|---:|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, cwd, srcs, real in PROGRAMS:
            static = os.path.join(tmp, "static.sarif")
            with open(static, "w") as out:
                subprocess.run([tv, "check", "-q", "--srcroot", cwd, "--format", "sarif", srcs[0], "--", "-I" + LIB],
                               cwd=cwd, stdout=out)
            if not lock_results(json.load(open(static))):
                sys.exit(f"provoke.py: threadvet check found no lock-order cycle in {name}")
            exe = os.path.join(tmp, "prog")
            subprocess.run([tv, "cc", "-O1", "-I" + LIB] + srcs + ["-o", exe], cwd=cwd, check=True)
            confirmed_at, outcome, t0 = None, "", time.perf_counter()
            for i in range(1, a.runs + 1):
                merged = os.path.join(tmp, "merged.sarif")
                subprocess.run(["timeout", "120", tv, "run", "-q", "--static", static, "--provoke",
                                "--deadlock-timeout", "300", "--sarif", merged, "--", exe],
                               cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                r = lock_results(json.load(open(merged)))[0]["properties"]["threadvet"]
                outcome = r["provoke"]["outcome"]
                if r["confirmation"]["status"] == "confirmed" and confirmed_at is None:
                    confirmed_at = i
                    if real:
                        break
            secs = (time.perf_counter() - t0) / (confirmed_at if real and confirmed_at else a.runs)
            if real:
                ok &= confirmed_at is not None
                runs = str(confirmed_at) if confirmed_at else "never"
            else:
                ok &= confirmed_at is None
                runs = "never (%d runs)" % a.runs if confirmed_at is None else "CONFIRMED at run %d" % confirmed_at
            print(f"| {name} | {'real' if real else 'false'} | {runs} | {outcome} | {secs:.2f} s |")
    print("\ngoal %s" % ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
