"""session.py THREADVET DIR: one editing session on DIR/pool.c, printed
for FileCheck: a bug typed in (unsaved), the same bug silenced in the
buffer, fixed by an incremental edit, saved, closed; an unknown request;
shutdown and exit."""
import sys
import os
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show, uri

threadvet, root = sys.argv[1], sys.argv[2]
pool = os.path.join(root, "pool.c")
c = Client(threadvet, "--debounce", "50", "-v", cwd=root)
caps = c.initialize(root)["result"]["capabilities"]
print("encoding", caps["positionEncoding"], "sync", caps["textDocumentSync"]["change"])

clean = open(pool).read()
c.open(pool, clean, version=1)
print("open:", show(c.diagnostics(pool, 1), root))

# The join deleted, not saved: the buffer is what is analysed. A line
# with non-ASCII text before the call: columns count UTF-16 units.
buggy = clean.replace("  pthread_join(t, 0);\n", "").replace(
    "  if (pthread_create", "  /* é𝄞 */ if (pthread_create")
c.change(pool, 2, buggy)
print("bug:", show(c.diagnostics(pool, 2), root))

# Silenced in the buffer: the suppression is read from the unsaved text.
c.change(pool, 3, buggy.replace("!= 0)\n", "!= 0) // NOLINT(thread-leak)\n"))
print("nolint:", show(c.diagnostics(pool, 3), root))
c.change(pool, 4, buggy)
print("again:", show(c.diagnostics(pool, 4), root))

# Fixed by an incremental edit: the join inserted before `return 0;`
# (line 9, 0-based 8).
line = buggy.splitlines().index("  return 0;")
c.change(pool, 5, edits=[{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                          "text": "  pthread_join(t, 0);\n"}])
print("fixed:", show(c.diagnostics(pool, 5), root))
c.save(pool)
print("saved:", show(c.diagnostics(pool, 5), root))

r = c.request("textDocument/hover", {"textDocument": {"uri": uri(pool)}, "position": {"line": 0, "character": 0}})
print("hover:", r["error"]["code"], r["error"]["message"])

c.close(pool)
print("closed:", show(c.diagnostics(pool), root))
print("exit status", c.finish())
# The NOLINT comment, its removal and the save leave the IR as it was: the
# last analysis is reused (and gated again with the buffer's comments).
print("reused:", [line.split("(version ")[1].split(")")[0] for line in c.stderr if "reused" in line])

# A client that takes UTF-8 positions: columns count bytes.
c = Client(threadvet, "--debounce", "0", cwd=root)
caps = c.initialize(root, capabilities={"general": {"positionEncodings": ["utf-8", "utf-16"]}})["result"]["capabilities"]
print("encoding", caps["positionEncoding"])
c.open(pool, buggy)
print("utf-8:", show(c.diagnostics(pool, 1), root))
print("exit status", c.finish())
