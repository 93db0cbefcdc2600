"""cross_file.py THREADVET DIR: a lock-order cycle between table.c and
store.c shows in both files, each with the other end as related
information; an unsaved edit of table.c that fixes the order clears both,
undoing it brings both back. Every publication is read in turn."""
import sys
import os
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show

threadvet, root = sys.argv[1], sys.argv[2]
table, store = os.path.join(root, "table.c"), os.path.join(root, "store.c")
c = Client(threadvet, "--debounce", "50", "-p", root, cwd="/")
c.initialize(root)
text = open(table).read()
c.open(table, text)
print("open table.c:", show(c.diagnostics(table, 1), root))
c.open(store)
print("open store.c:", show(c.diagnostics(store, 1), root))
c.diagnostics(table, 1)  # table.c is as saved: published again from the same analysis

fixed = text.replace("  pthread_mutex_lock(&t->lock);\n  pthread_mutex_lock(&journal_lock);\n",
                     "  pthread_mutex_lock(&journal_lock);\n  pthread_mutex_lock(&t->lock);\n")
assert fixed != text
c.change(table, 2, fixed)
print("fixed table.c:", show(c.diagnostics(table, 2), root))
print("then store.c:", show(c.diagnostics(store, 1), root))
c.change(table, 3, text)
print("undone table.c:", show(c.diagnostics(table, 3), root))
print("then store.c:", show(c.diagnostics(store, 1), root))
print("exit status", c.finish())
