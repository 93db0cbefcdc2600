#!/usr/bin/env python3
"""bench.py — what the threadvet runtime costs, beside TSan, Helgrind and DRD.

Usage: runtime/bench/bench.py [--build DIR] [--repeat N] [--repeat-valgrind N]
                              [--quick] [--no-valgrind] [--floors] [--scale F] [--out FILE]

Builds three programs (runtime/bench/locks.c, lock-heavy; runtime/bench/chans.c,
channel-heavy, on the examples' channel library; examples/worker-pool/fixed.c,
an example program) in each configuration and runs each N times (default 5;
Helgrind and DRD --repeat-valgrind times, default 1), the configurations
interleaved, reporting the median wall time and the peak resident memory (of
the whole process tree, from wait4) of:

  native       clang-19 -O2 (no instrumentation)
  tsan         clang-19 -O2 -fsanitize=thread
  tv-runtime   threadvet cc -O2 (TSan + the runtime), run with a record
               (THREADVET_RECORD set): the runtime's own cost over tsan
  tv-run       the same through `threadvet run`: also reading the record,
               symbolising, reporting
  preload      the native program with the runtime preloaded (LD_PRELOAD,
               as `threadvet run` does for a program not built with threadvet cc)
  tv-run-pre   `threadvet run` on the native program (preload, then report)
  helgrind     valgrind --tool=helgrind on the native program (built with
  drd          valgrind --tool=drd       -gdwarf-4: valgrind 3.19 reads no DWARF 5)
  tv-norec     (--floors) tv-runtime's program without a record: the cost of
               intercepting every modelled call, nothing recorded
  pre-norec    (--floors) the same preloaded

and the ratios the runtime is judged by: tv-runtime/tsan (goal <= 1.15) and
preload/native (goal <= 2 on the lock-heavy case). Prints markdown tables.
--scale multiplies the workloads' sizes (--quick: 0.1 and no Helgrind/DRD).
"""
import argparse
import glob
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name, sources, what it does, args (sizes scaled by --scale)
WORKLOADS = [
    ("locks", [os.path.join(HERE, "locks.c")],
     "4 threads, each 500000 rounds of a shared and a private mutex (4M lock/unlock pairs)", [500000, 4]),
    ("chans", [os.path.join(HERE, "chans.c"), os.path.join(ROOT, "examples/lib/chan.c")],
     "2 producers send 100000 values each through one buffered channel to 2 consumers", [100000, 2]),
    ("worker-pool", [os.path.join(ROOT, "examples/worker-pool/fixed.c"), os.path.join(ROOT, "examples/lib/chan.c")],
     "examples/worker-pool/fixed.c as it is (4 workers, 20 jobs)", []),
]

CONFIGS = ["native", "tsan", "tv-runtime", "tv-run", "preload", "tv-run-pre", "helgrind", "drd"]
FLOORS = ["tv-norec", "pre-norec"]


def sh(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"{os.path.basename(sys.argv[0])}: {' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}")
    return r


def measure(cmd, env):
    """Wall seconds and peak RSS (KB) of cmd and everything it waits for."""
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "TIME %M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, env=env)
    secs = time.perf_counter() - t0
    line = [l for l in r.stderr.splitlines() if l.startswith("TIME ")]
    if r.returncode != 0 or not line:
        sys.exit(f"bench.py: {' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-2000:]}")
    return secs, int(line[-1].split()[1])


def machine():
    cpu = "?"
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    vg = subprocess.run(["valgrind", "--version"], stdout=subprocess.PIPE, text=True).stdout.strip() \
        if shutil.which("valgrind") else "no valgrind"
    cc = subprocess.run(["clang-19", "--version"], stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]
    return f"{os.cpu_count()} CPUs ({cpu}), {mem:.0f} GiB, Linux {platform.release()}, {cc}, {vg}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--repeat-valgrind", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--quick", action="store_true", help="sizes / 10, no Helgrind/DRD")
    ap.add_argument("--no-valgrind", action="store_true", help="no Helgrind/DRD")
    ap.add_argument("--floors", action="store_true",
                    help="also the programs with the runtime but no record (what interception alone costs)")
    ap.add_argument("--out", help="also write the tables there")
    a = ap.parse_args()
    tv = os.path.join(a.build, "bin", "threadvet")
    if not os.access(tv, os.X_OK):
        sys.exit(f"bench.py: no {tv}: build threadvet first")
    configs = list(CONFIGS)
    if a.quick:
        a.scale *= 0.1
    if a.quick or a.no_valgrind:
        configs = [c for c in configs if c not in ("helgrind", "drd")]
    if a.floors:
        configs += FLOORS
    elif not shutil.which("valgrind"):
        sys.exit("bench.py: no valgrind (apt-get install valgrind), or --quick")
    work = tempfile.mkdtemp(prefix="threadvet-bench-")
    env = dict(os.environ)
    env["THREADVET_CACHE"] = os.path.join(work, "cache")
    inc = ["-I" + os.path.join(ROOT, "examples/lib")]
    results = {}
    try:
        for name, srcs, _, sizes in WORKLOADS:
            args = [str(max(1, int(v * a.scale))) if i == 0 else str(v) for i, v in enumerate(sizes)]
            native = os.path.join(work, name + "-native")
            sh(["clang-19", "-O2", "-g", "-gdwarf-4", "-pthread"] + inc + srcs + ["-o", native])
            tsan = os.path.join(work, name + "-tsan")
            sh(["clang-19", "-O2", "-g", "-fsanitize=thread"] + inc + srcs + ["-o", tsan])
            tvexe = os.path.join(work, name + "-tv")
            sh([tv, "cc", "-O2", "-g"] + inc + srcs + ["-o", tvexe], env=env)
            # the preload library, built once into the cache
            sh([tv, "run", "-q", "--", native] + args, env=env)
            preload = glob.glob(os.path.join(env["THREADVET_CACHE"], "preload-*.so"))[0]
            rec = os.path.join(work, "rec")
            runs = {c: [] for c in configs}
            for rep in range(max(a.repeat, a.repeat_valgrind)):
                for cfg in configs:
                    valgrind = cfg in ("helgrind", "drd")
                    if rep >= (a.repeat_valgrind if valgrind else a.repeat):
                        continue
                    shutil.rmtree(rec, ignore_errors=True)
                    os.makedirs(rec)
                    e = dict(env)
                    if cfg == "native":
                        cmd = [native] + args
                    elif cfg == "tsan":
                        cmd = [tsan] + args
                    elif cfg == "tv-runtime":
                        e["THREADVET_RECORD"] = rec
                        cmd = [tvexe] + args
                    elif cfg == "tv-run":
                        cmd = [tv, "run", "-q", "--", tvexe] + args
                    elif cfg == "preload":
                        e["THREADVET_RECORD"] = rec
                        e["LD_PRELOAD"] = preload
                        cmd = [native] + args
                    elif cfg == "tv-norec":
                        e.pop("THREADVET_RECORD", None)
                        cmd = [tvexe] + args
                    elif cfg == "pre-norec":
                        e.pop("THREADVET_RECORD", None)
                        e["LD_PRELOAD"] = preload
                        cmd = [native] + args
                    elif cfg == "tv-run-pre":
                        cmd = [tv, "run", "-q", "--", native] + args
                    else:
                        cmd = ["valgrind", "-q", "--tool=" + cfg, native] + args
                    runs[cfg].append(measure(cmd, e))
            for cfg in configs:
                t = statistics.median(s for s, _ in runs[cfg])
                m = max(k for _, k in runs[cfg])
                results[(name, cfg)] = (t, m)
                print(f"bench.py: {name} {cfg}: {t:.3f} s, {m / 1024:.1f} MB "
                      f"(runs: {', '.join(f'{s:.3f}' for s, _ in runs[cfg])})", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    out = [f"Machine: {machine()}. Median of {a.repeat} runs "
           f"({a.repeat_valgrind} for Helgrind and DRD), scale {a.scale:g}.", "",
           "| workload | what |", "|---|---|"]
    out += [f"| {name} | {what} |" for name, _, what, _ in WORKLOADS]
    out += ["", "Wall time (median):", "",
            "| workload | " + " | ".join(configs) + " |", "|---|" + "---:|" * len(configs)]
    for name, _, _, _ in WORKLOADS:
        out.append(f"| {name} | " + " | ".join(f"{results[(name, c)][0]:.3f} s" for c in configs) + " |")
    out += ["", "Peak resident memory (the whole process tree):", "",
            "| workload | " + " | ".join(configs) + " |", "|---|" + "---:|" * len(configs)]
    for name, _, _, _ in WORKLOADS:
        out.append(f"| {name} | " + " | ".join(f"{results[(name, c)][1] / 1024:.0f} MB" for c in configs) + " |")
    out += ["", "Ratios of wall time:", "",
            "| workload | tv-runtime / tsan (goal ≤ 1.15) | preload / native (goal ≤ 2, lock-heavy) | tv-run / tsan"
            + (" | helgrind / native | drd / native" if "drd" in configs else "") + " |",
            "|---|---:|---:|---:|" + ("---:|---:|" if "drd" in configs else "")]
    for name, _, _, _ in WORKLOADS:
        def r(x, y):
            return results[(name, x)][0] / max(results[(name, y)][0], 1e-3)
        row = f"| {name} | {r('tv-runtime', 'tsan'):.2f}× | {r('preload', 'native'):.2f}× | {r('tv-run', 'tsan'):.2f}×"
        if "drd" in configs:
            row += f" | {r('helgrind', 'native'):.0f}× | {r('drd', 'native'):.0f}×"
        out.append(row + " |")
    if a.floors:
        out += ["", "The floor, interception alone (no record):", "",
                "| workload | tv-norec / tsan | pre-norec / native |", "|---|---:|---:|"]
        for name, _, _, _ in WORKLOADS:
            t = {c: results[(name, c)][0] for c in ("tv-norec", "tsan", "pre-norec", "native")}
            out.append(f"| {name} | {t['tv-norec'] / max(t['tsan'], 1e-3):.2f}× | "
                       f"{t['pre-norec'] / max(t['native'], 1e-3):.2f}× |")
    table = "\n".join(out) + "\n"
    sys.stdout.write(table)
    if a.out:
        with open(a.out, "w") as f:
            f.write(table)


if __name__ == "__main__":
    main()
