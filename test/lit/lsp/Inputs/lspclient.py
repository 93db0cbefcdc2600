"""A scripted LSP client for the tests: starts `threadvet lsp`, frames and
sends messages, reads the server's on a thread, and waits (bounded) for a
response or a publishDiagnostics. Diagnostics are printed one per line,
positions 1-based like the text report, so CHECK lines read alike:

  FILE:LINE:COL-LINE:COL: SEVERITY [CODE] MESSAGE
    related FILE:LINE:COL: MESSAGE
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time

TIMEOUT = float(os.environ.get("LSP_TEST_TIMEOUT", "60"))
SEVERITY = {1: "error", 2: "warning", 3: "information", 4: "hint"}


def uri(path):
    return "file://" + os.path.abspath(path)


def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Client:
    def __init__(self, threadvet, *args, cwd=None):
        self.proc = subprocess.Popen([threadvet, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd)
        self.messages = queue.Queue()
        self.stderr = []
        self.next_id = 1
        self.held = []  # messages read while waiting for another
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.stderr_reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            self.messages.put(json.loads(out.read(length)))

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace").rstrip("\n"))

    def wait_exit(self):
        """The exit status, once stderr is read to its end."""
        try:
            status = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            sys.exit("lspclient: the server did not exit")
        self.stderr_reader.join(timeout=TIMEOUT)
        return status

    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method, params=None):
        self.raw(frame({"jsonrpc": "2.0", "method": method, "params": params or {}}))

    def request(self, method, params=None):
        i = self.next_id
        self.next_id += 1
        self.raw(frame({"jsonrpc": "2.0", "id": i, "method": method, "params": params or {}}))
        return self.wait(lambda m: m.get("id") == i and "method" not in m, f"the response to {method}")

    def wait(self, pred, what):
        for k, m in enumerate(self.held):
            if pred(m):
                return self.held.pop(k)
        deadline = time.time() + TIMEOUT
        while True:
            left = deadline - time.time()
            try:
                m = self.messages.get(timeout=max(left, 0.01))
            except queue.Empty:
                m = False
            if m is None or m is False:
                sys.exit(f"lspclient: no {what} within {TIMEOUT:.0f} s" + (" (the server closed its output)" if m is None else "")
                         + "\nserver stderr:\n" + "\n".join(self.stderr))
            if pred(m):
                return m
            self.held.append(m)

    def diagnostics(self, path, version=None):
        """The next publishDiagnostics for path (with that version, when given)."""
        u = uri(path)

        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != u:
                return False
            return version is None or m["params"].get("version") == version
        return self.wait(match, f"diagnostics for {os.path.basename(path)}")["params"]

    def initialize(self, root, **extra):
        params = {"processId": os.getpid(), "rootUri": uri(root), "capabilities": {}}
        params.update(extra)
        r = self.request("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, path, text=None, version=1):
        if text is None:
            text = open(path).read()
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri(path), "languageId": "c", "version": version, "text": text}})

    def change(self, path, version, text=None, edits=None):
        changes = [{"text": text}] if text is not None else edits
        self.notify("textDocument/didChange",
                    {"textDocument": {"uri": uri(path), "version": version}, "contentChanges": changes})

    def save(self, path):
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri(path)}})

    def close(self, path):
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri(path)}})

    def finish(self):
        """shutdown, exit; returns the exit status."""
        r = self.request("shutdown")
        assert r.get("result", "missing") is None, r
        self.notify("exit")
        return self.wait_exit()


def show(params, root):
    """A publication's diagnostics as lines (paths relative to root)."""
    rel = lambda u: os.path.relpath(u[len("file://"):], root)
    lines = [f"{rel(params['uri'])}: {len(params['diagnostics'])} diagnostic(s)"
             + (f" (version {params['version']})" if "version" in params else "")]
    for d in params["diagnostics"]:
        s, e = d["range"]["start"], d["range"]["end"]
        lines.append(f"{rel(params['uri'])}:{s['line'] + 1}:{s['character'] + 1}-{e['line'] + 1}:{e['character'] + 1}: "
                     f"{SEVERITY.get(d.get('severity'), '?')} [{d.get('code')}] {d['message']}"
                     f" (source={d.get('source')}, href={d.get('codeDescription', {}).get('href')})")
        for r in d.get("relatedInformation", []):
            loc = r["location"]
            p = loc["range"]["start"]
            lines.append(f"  related {rel(loc['uri'])}:{p['line'] + 1}:{p['character'] + 1}: {r['message']}")
    return "\n".join(lines)
