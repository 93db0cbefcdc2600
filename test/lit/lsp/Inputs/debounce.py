"""debounce.py THREADVET DIR: edits that come faster than the debounce
time are analysed once, as of the last; no diagnostics for the versions
in between are published."""
import sys
import os
import time
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show

threadvet, root = sys.argv[1], sys.argv[2]
pool = os.path.join(root, "pool.c")
c = Client(threadvet, "--debounce", "1000", "-v", cwd=root)
c.initialize(root)
clean = open(pool).read()
buggy = clean.replace("  pthread_join(t, 0);\n", "")
c.open(pool, clean, 1)
print("open:", show(c.diagnostics(pool, 1), root))
for v in range(2, 7):
    c.change(pool, v, buggy if v % 2 == 0 else clean)
print("last:", show(c.diagnostics(pool, 6), root))
time.sleep(0.5)
others = [m for m in c.held if m.get("method") == "textDocument/publishDiagnostics"]
while not c.messages.empty():
    m = c.messages.get()
    if m and m.get("method") == "textDocument/publishDiagnostics":
        others.append(m)
print("other publications:", [m["params"].get("version") for m in others])
print("exit status", c.finish())
print("analyses:", sum("(version" in line for line in c.stderr))
