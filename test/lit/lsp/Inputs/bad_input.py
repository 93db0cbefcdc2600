"""bad_input.py THREADVET DIR: malformed input is answered or logged, never
a crash; the server goes on serving. Prints each answer, then the exit
status (exit without shutdown: 1) and the server's stderr."""
import sys
import os
import json
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, frame, show, uri

threadvet, root = sys.argv[1], sys.argv[2]
pool = os.path.join(root, "pool.c")


def answer(c, what):
    m = c.wait(lambda m: "id" in m and "method" not in m, what)
    print(what + ":", json.dumps(m.get("error") or {"result": m.get("result")}, sort_keys=True))


c = Client(threadvet, "--debounce", "0", cwd=root)
c.raw(frame({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}))
answer(c, "before initialize")
c.raw(b"some junk\r\n")
c.initialize(root)
print("initialized after junk")
c.raw(b"Content-Length: abc\r\n\r\n{}")
c.raw(b"Content-Length: 99999999999\r\n\r\n")
c.raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")
c.raw(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown-not", "params": {}}))
answer(c, "after bad headers")
body = b'{"jsonrpc": "2.0", "id": 3, "method": '
c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
answer(c, "not JSON")
c.raw(frame([1, 2]))
answer(c, "an array")
c.raw(frame({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": 7}))
answer(c, "params a number")
c.raw(frame({"jsonrpc": "2.0", "id": 5}))
answer(c, "no method")
c.raw(frame({"jsonrpc": "2.0", "id": 6, "method": "initialize", "params": {}}))
answer(c, "initialize twice")
c.change(pool, 2, "int x;")
c.notify("textDocument/didOpen", {"textDocument": {"uri": "untitled:Untitled-1", "text": "", "version": 1}})
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(pool)}})
c.notify("$/cancelRequest", {"id": 99})
c.notify("workspace/didChangeConfiguration", {"settings": {}})
c.open(pool)
print("still serving:", show(c.diagnostics(pool, 1), root))
c.notify("textDocument/didChange", {"textDocument": {"uri": uri(pool)}})
c.change(pool, 2, edits=[{"range": {"start": {"line": 3}}, "text": "x"}])
c.notify("exit")
print("exit status without shutdown", c.wait_exit())
print("\n".join(c.stderr))

# Input that ends inside a frame.
c = Client(threadvet, cwd=root)
c.raw(b"Content-Length: 100\r\n\r\n{")
c.proc.stdin.close()
print("truncated: exit status", c.wait_exit())
print("\n".join(c.stderr))
