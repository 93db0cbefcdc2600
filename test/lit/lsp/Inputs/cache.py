"""cache.py THREADVET DIR [ARGS...]: opens table.c in a server started with
ARGS, prints its diagnostics and, from the server's log, how many other
units it parsed and how many it read from the facts cache."""
import os
import re
import sys
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show

threadvet, root, args = sys.argv[1], sys.argv[2], sys.argv[3:]
table = os.path.join(root, "table.c")
c = Client(threadvet, "--debounce", "0", "-v", "-p", root, *args, cwd="/")
c.initialize(root)
c.open(table)
print("table.c:", show(c.diagnostics(table, 1), root))
status = c.finish()
counts = [m.groups() for line in c.stderr for m in [re.search(r"(\d+) other units? parsed and (\d+) from the cache", line)] if m]
print("parsed, cached:", counts)
print("exit status", status)
