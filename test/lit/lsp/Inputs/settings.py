"""settings.py THREADVET DIR: .threadvet.yaml as check reads it: the root's
levels (thread-leak an error), a subdirectory's file turning the rule
off there, an excluded directory; --disable from the command line."""
import sys
import os
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show

threadvet, root = sys.argv[1], sys.argv[2]
c = Client(threadvet, "--debounce", "0", cwd="/")
c.initialize(root)
for f in ["leak.c", "sub/leak.c", "vendor/leak.c"]:
    c.open(os.path.join(root, f))
    print(show(c.diagnostics(os.path.join(root, f), 1), root))
# Each analysis republishes the other open files as saved; the excluded
# file's (no analysis) must not clear leak.c's.
r = c.request("shutdown")
last = [m["params"] for m in c.held if m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"].endswith("/settings.test.tmp/leak.c")]
print("leak.c last published with", len(last[-1]["diagnostics"]), "diagnostic(s)")
c.notify("exit")
print("exit status", c.wait_exit())

c = Client(threadvet, "--disable", "thread-leak", cwd="/")
c.initialize(root)
c.open(os.path.join(root, "leak.c"))
print("--disable:", show(c.diagnostics(os.path.join(root, "leak.c"), 1), root))
print("exit status", c.finish())
