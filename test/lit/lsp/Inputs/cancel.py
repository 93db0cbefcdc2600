"""cancel.py THREADVET DIR: an edit that arrives while the analysis of an
older version runs abandons that analysis: its diagnostics are never
published, and the newer version's are. The first analysis reads a
60-unit program (generated here), which takes long enough for the edit
to arrive in the middle of it."""
import json
import os
import sys
import time
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show

threadvet, root = sys.argv[1], sys.argv[2]
units = []
for i in range(60):
    path = os.path.join(root, f"unit{i}.c")
    with open(path, "w") as f:
        f.write("#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                f"int unit{i}(int x) {{ return x + {i}; }}\n")
    units.append({"directory": root, "file": path, "command": f"cc -c {path}"})
pool = os.path.join(root, "pool.c")
units.append({"directory": root, "file": pool, "command": "cc -c pool.c"})
with open(os.path.join(root, "compile_commands.json"), "w") as f:
    json.dump(units, f)

c = Client(threadvet, "--debounce", "0", "-v", "-j", "1", cwd=root)
c.initialize(root)
clean = open(pool).read()
c.open(pool, clean, 1)
time.sleep(0.25)  # version 1's analysis is reading the 60 other units
c.change(pool, 2, clean.replace("  pthread_join(t, 0);\n", ""))
print("version 2:", show(c.diagnostics(pool, 2), root))
c.request("shutdown")
print("published versions:", [m["params"].get("version") for m in c.held
                              if m.get("method") == "textDocument/publishDiagnostics"])
c.notify("exit")
print("exit status", c.wait_exit())
print("\n".join(line for line in c.stderr if "edited during" in line))
