#!/usr/bin/env python3
"""signal_run.py --signal SIG --after SECONDS --file PATH [--to threadvet] -- CMD...
   signal_run.py --concurrent N --file PATH -- CMD...

The first form starts CMD, sends it SIG (KILL, TERM or INT) after SECONDS
while it is still running, and checks that PATH (which must exist before)
is byte for byte what it was, and valid JSON; that no temporary file is
left beside it; and that no process of the run survives (the analysis runs
in a child process, which must die with its parent).

With `--to threadvet` the signal goes to the threadvet process that CMD
started (CMD being, say, strace holding threadvet in its write), not to
CMD, and the temporary file must exist when it is sent: after SECONDS, it
is sent as soon as that file appears (a loaded machine may take longer).

The second form runs N copies of CMD at once, all writing PATH, and checks
that PATH ends up one complete, valid JSON file with nothing left beside it.

Prints one line saying what held; exits 1 saying what did not."""
import json
import os
import signal
import subprocess
import sys
import time


def fail(msg):
    sys.exit(f"signal_run.py: {msg}")


def parse(argv):
    opts = {}
    while argv and argv[0] != "--":
        opts[argv[0].lstrip("-")] = argv[1]
        argv = argv[2:]
    if not argv or "file" not in opts:
        fail("usage: see the top of signal_run.py")
    return opts, argv[1:]


def leftovers(path):
    d, base = os.path.split(os.path.abspath(path))
    return [n for n in os.listdir(d) if n.startswith("." + base + ".")]


def start_time(pid):
    """When process pid started (clock ticks since boot): process ids wrap
    around on a busy machine, so they do not tell which came first."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return 0


def threadvet_pids(path):
    """The threadvet processes whose command line names path, oldest first."""
    needle = os.path.abspath(path)
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except OSError:
            continue
        if args and os.path.basename(args[0]) == "threadvet" and any(
                os.path.abspath(a) == needle for a in args[1:]):
            found.append(int(pid))
    return sorted(found, key=lambda pid: (start_time(pid), pid))


def survivors(path, timeout=5.0):
    """threadvet processes whose command line names path, after up to timeout s."""
    needle = os.path.abspath(path).encode()
    deadline = time.time() + timeout
    while True:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    args = f.read().split(b"\0")
                with open(f"/proc/{pid}/stat") as f:
                    zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
            except OSError:
                continue
            if not args or os.path.basename(args[0]) != b"threadvet":
                continue
            if not zombie and any(a and os.path.abspath(a.decode(errors="replace")).encode() == needle
                                  for a in args):
                found.append(pid)
        if not found or time.time() > deadline:
            return found
        time.sleep(0.1)


def check_json(path):
    try:
        with open(path) as f:
            json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path} is not valid JSON: {e}")


def default_signals():
    """lit's workers ignore SIGINT, and an ignored signal stays ignored in
    the command (as under nohup): give it back its default."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def interrupted(opts, cmd):
    path, sig = opts["file"], getattr(signal, "SIG" + opts["signal"])
    before = open(path, "rb").read()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=default_signals)
    time.sleep(float(opts["after"]))
    if p.poll() is not None:
        fail(f"the run ended (status {p.returncode}) before the signal: give it more work")
    if opts.get("to") == "threadvet":
        # Held in the write, its temporary file must be there; on a loaded
        # machine the run may need longer to get there: wait for it.
        deadline = time.time() + 120
        while not leftovers(path) and p.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        if not leftovers(path):
            fail("no temporary file when the signal was sent: the run was not held in its write")
        pids = threadvet_pids(path)
        if not pids:
            fail("no threadvet process of the run to signal")
        os.kill(pids[0], sig)  # the oldest: the supervising parent
    else:
        p.send_signal(sig)
    try:
        rc = p.wait(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        fail(f"the run did not end within 120 s of SIG{opts['signal']}")
    if rc != -sig and opts.get("to") != "threadvet":
        fail(f"the run ended with status {rc}, not by SIG{opts['signal']}")
    left = survivors(path)
    if left:
        fail(f"processes of the run survive it: {left}")
    if open(path, "rb").read() != before:
        fail(f"{path} changed")
    check_json(path)
    if leftovers(path):
        fail(f"left beside {path}: {leftovers(path)}")
    print(f"SIG{opts['signal']}: the previous file is intact, valid JSON, nothing left beside it")


def concurrent(opts, cmd):
    path, n = opts["file"], int(opts["concurrent"])
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(n)]
    codes = sorted(set(p.wait(timeout=300) for p in procs))
    check_json(path)
    if leftovers(path):
        fail(f"left beside {path}: {leftovers(path)}")
    print(f"{n} runs, exit statuses {codes}: one complete file, nothing left beside it")


def main():
    opts, cmd = parse(sys.argv[1:])
    if "concurrent" in opts:
        concurrent(opts, cmd)
    else:
        interrupted(opts, cmd)


main()
