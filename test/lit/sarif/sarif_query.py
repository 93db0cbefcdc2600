#!/usr/bin/env python3
"""sarif_query.py — selected fields of a SARIF log, one per line, for FileCheck.

Usage:
  sarif_query.py FILE QUERY...        print what each QUERY selects ('-' reads stdin)
  sarif_query.py --strip FILE         the log without what names the machine or the
                                      command (invocations' commandLine and
                                      workingDirectory), re-serialised: for comparing
                                      two runs made with different options
  sarif_query.py --line-hash FILE LINE...
                                      GitHub's primaryLocationLineHash of each LINE of a
                                      source file, computed here independently of
                                      threadvet (a port of github/codeql-action's
                                      fingerprints.ts)

A QUERY is a path from the log's root: names and [N] indexes, as in
`runs[0].results[0].ruleId`. A path may start with a shorthand:

  run         runs[0]
  driver      runs[0].tool.driver
  rule        runs[0].tool.driver.rules
  result      runs[0].results
  invocation  runs[0].invocations[0]
  artifact    runs[0].artifacts

and may use [*] (every element), [KEY=VALUE] (the elements whose KEY is VALUE,
e.g. rule[id=thread-leak]) and ["KEY"] (a key with dots in it). Every leaf
under what a query selects prints as `PATH=VALUE`, PATH spelled as the query
was, with [*] replaced by each index. Strings print as they are, with
newlines as \\n and backslashes as \\\\; an empty object or array prints as {}
or []. A path that leads nowhere prints `PATH=<missing>`.

Three functions wrap a path:
  len(PATH)   `len(PATH)=N`, the length of the array or object (0 if missing)
  keys(PATH)  `keys(PATH)=K1,K2,...`, an object's keys in the log's order
  loc(PATH)   for each location (or threadFlowLocation, or result) selected:
              `PATH: URI:LINE:COL-ENDLINE:ENDCOL: MESSAGE`, the parts it lacks left
              out; for a result, its first location and its message
"""
import json
import re
import sys

ALIASES = {
    "run": ["runs", 0],
    "driver": ["runs", 0, "tool", "driver"],
    "rule": ["runs", 0, "tool", "driver", "rules"],
    "result": ["runs", 0, "results"],
    "invocation": ["runs", 0, "invocations", 0],
    "artifact": ["runs", 0, "artifacts"],
}

SEGMENT = re.compile(r'''
    (?P<dot>\.)?
    (?:
        (?P<name>[A-Za-z_$%][\w$%/-]*)
      | \[(?P<index>\d+)\]
      | \[(?P<star>\*)\]
      | \["(?P<quoted>[^"]*)"\]
      | \[(?P<key>[\w.$/-]+)=(?P<value>[^\]]*)\]
    )''', re.X)

MISSING = object()


def parse(query):
    """[(spelling, selector)]: selector is ('key', k), ('index', n), ('star',) or ('match', k, v)."""
    out, pos = [], 0
    while pos < len(query):
        m = SEGMENT.match(query, pos)
        if not m or (pos > 0 and m.group("name") and not m.group("dot")):
            sys.exit(f"sarif_query.py: cannot parse {query!r} at {query[pos:]!r}")
        text = m.group(0)
        if m.group("name") is not None:
            sel = ("key", m.group("name"))
        elif m.group("index") is not None:
            sel = ("index", int(m.group("index")))
        elif m.group("star"):
            sel = ("star",)
        elif m.group("quoted") is not None:
            sel = ("key", m.group("quoted"))
        else:
            sel = ("match", m.group("key"), m.group("value"))
        out.append((text, sel))
        pos = m.end()
    return out


def select(log, query):
    """[(path as spelled, node or MISSING)] for one query."""
    segs = parse(query)
    nodes = [("", log)]
    for i, (text, sel) in enumerate(segs):
        if i == 0 and sel[0] == "key" and sel[1] in ALIASES:
            node = log
            for step in ALIASES[sel[1]]:
                node = get(node, step)
            nodes = [(text, node)]
            continue
        nxt = []
        for path, node in nodes:
            if node is MISSING:
                nxt.append((path + text, MISSING))
            elif sel[0] == "star":
                if isinstance(node, list):
                    nxt += [(f"{path}[{k}]", v) for k, v in enumerate(node)]
                else:
                    nxt.append((path + text, MISSING))
            elif sel[0] == "match":
                hits = [v for v in node if isinstance(v, dict) and str(scalar(v.get(sel[1], MISSING))) == sel[2]] \
                    if isinstance(node, list) else []
                nxt += [(path + text, v) for v in hits] or [(path + text, MISSING)]
            else:
                nxt.append((path + (text if i else text.lstrip(".")), get(node, sel[1])))
        nodes = nxt
    return nodes


def get(node, step):
    if isinstance(step, int):
        return node[step] if isinstance(node, list) and step < len(node) else MISSING
    return node.get(step, MISSING) if isinstance(node, dict) else MISSING


def scalar(v):
    if v is MISSING:
        return "<missing>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return v.replace("\\", "\\\\").replace("\n", "\\n")
    if isinstance(v, dict) and not v:
        return "{}"
    if isinstance(v, list) and not v:
        return "[]"
    return str(v)


def key_spelling(k):
    return "." + k if re.fullmatch(r"[A-Za-z_$%][\w$%/-]*", k) else f'["{k}"]'


def leaves(path, node):
    if isinstance(node, dict) and node:
        for k, v in node.items():
            yield from leaves(path + key_spelling(k), v)
    elif isinstance(node, list) and node:
        for i, v in enumerate(node):
            yield from leaves(f"{path}[{i}]", v)
    else:
        yield path, scalar(node)


def where(node):
    """URI:L:C-L:C: MESSAGE for a location, threadFlowLocation or result."""
    if node is MISSING or not isinstance(node, dict):
        return "<missing>"
    message = node.get("message", {}).get("text")
    if "locations" in node and "ruleId" in node:      # a result
        node = node["locations"][0] if node["locations"] else {}
    elif "location" in node:                          # a threadFlowLocation
        node = node["location"]
        message = node.get("message", {}).get("text", message)
    phys = node.get("physicalLocation", {})
    parts = []
    uri = phys.get("artifactLocation", {}).get("uri")
    if uri is not None:
        r = phys.get("region", {})
        span = ":".join(str(r[k]) for k in ("startLine", "startColumn") if k in r)
        end = ":".join(str(r[k]) for k in ("endLine", "endColumn") if k in r)
        parts.append(uri + (":" + span if span else "") + ("-" + end if end else ""))
    if message is not None:
        parts.append(message.replace("\n", "\\n"))
    return ": ".join(parts)


def run_query(log, query):
    m = re.fullmatch(r"(len|keys|loc)\((.*)\)", query)
    if m and m.group(1) == "len":
        total = sum(len(n) for _, n in select(log, m.group(2)) if isinstance(n, (list, dict)))
        print(f"{query}={total}")
    elif m and m.group(1) == "keys":
        for path, node in select(log, m.group(2)):
            print(f"keys({path})=" + (",".join(node) if isinstance(node, dict) else "<missing>"))
    elif m:
        for path, node in select(log, m.group(2)):
            print(f"{path}: {where(node)}")
    else:
        for path, node in select(log, query):
            for p, v in leaves(path, node):
                print(f"{p}={v}")


# ------------------------------------------------- GitHub's line hash

def line_hashes(data):
    """{line: 'hex:N'}, as codeql-action's fingerprints.ts computes them."""
    text = data.decode("utf-8", errors="replace")
    units = []
    for ch in text:                      # JavaScript strings are UTF-16
        cp = ord(ch)
        if cp >= 0x10000:
            cp -= 0x10000
            units += [0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)]
        else:
            units.append(cp)
    BLOCK, MOD, MASK = 100, 37, (1 << 64) - 1
    first_mod = pow(MOD, BLOCK, 1 << 64)
    window, line_at = [0] * BLOCK, [-1] * BLOCK
    state = {"hash": 0, "index": 0, "line": 0, "start": True, "cr": False}
    counts, out = {}, {}

    def emit():
        h = format(state["hash"], "x")
        counts[h] = counts.get(h, 0) + 1
        out[line_at[state["index"]]] = f"{h}:{counts[h]}"
        line_at[state["index"]] = -1

    def update(c):
        i = state["index"]
        begin, window[i] = window[i], c
        state["hash"] = (MOD * state["hash"] + c - first_mod * begin) & MASK
        state["index"] = (i + 1) % BLOCK

    def process(c):
        if c in (0x20, 0x09) or (state["cr"] and c == 0x0A):
            state["cr"] = False
            return
        if c == 0x0D:
            c, state["cr"] = 0x0A, True
        else:
            state["cr"] = False
        if line_at[state["index"]] != -1:
            emit()
        if state["start"]:
            state["start"] = False
            state["line"] += 1
            line_at[state["index"]] = state["line"]
        if c == 0x0A:
            state["start"] = True
        update(c)

    for c in units:
        process(c)
    process(0xFFFF)
    for _ in range(BLOCK):
        if line_at[state["index"]] != -1:
            emit()
        update(0)
    return out


def main(argv):
    if len(argv) >= 3 and argv[0] == "--line-hash":
        with open(argv[1], "rb") as f:
            hashes = line_hashes(f.read())
        for line in argv[2:]:
            print(f"primaryLocationLineHash={hashes.get(int(line), '<missing>')}")
        return 0
    if len(argv) == 2 and argv[0] == "--strip":
        log = load(argv[1])
        for run in log.get("runs", []):
            for inv in run.get("invocations", []):
                inv.pop("commandLine", None)
                inv.pop("workingDirectory", None)
        print(json.dumps(log, indent=2, ensure_ascii=False))
        return 0
    if len(argv) < 2 or argv[0].startswith("--"):
        sys.exit(__doc__)
    log = load(argv[0])
    for q in argv[1:]:
        run_query(log, q)
    return 0


def load(name):
    if name == "-":
        return json.load(sys.stdin)
    with open(name, encoding="utf-8") as f:
        return json.load(f)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
