#!/usr/bin/env python3
"""fresh-debian-status.py OUT — writes a dpkg status file holding what a
fresh Debian system has (the debian:bookworm image): the packages of
priority required, the essential ones and apt, with what they depend on,
taken from this machine's /var/lib/dpkg/status. `apt-get install -s -o
Dir::State::status=OUT ./x.deb` then says what installing x.deb on a fresh
machine pulls in, or why it cannot, without touching this one."""
import re
import sys

stanzas = [s for s in open("/var/lib/dpkg/status").read().split("\n\n") if s.strip()]
installed = {}
for s in stanzas:
    name = re.search(r"^Package: (\S+)$", s, re.M)
    if name and re.search(r"^Status: install ok installed$", s, re.M):
        installed[name.group(1)] = s


def field(stanza, name):
    m = re.search(rf"^{name}: (.*(?:\n .*)*)", stanza, re.M)
    return m.group(1).replace("\n", " ") if m else ""


todo = [p for p, s in installed.items()
        if re.search(r"^Priority: required$", s, re.M) or re.search(r"^Essential: yes$", s, re.M)]
todo.append("apt")
keep = set()
while todo:
    p = todo.pop()
    if p in keep or p not in installed:
        continue
    keep.add(p)
    for f in ("Pre-Depends", "Depends"):
        for alternatives in field(installed[p], f).split(","):
            for alt in alternatives.split("|"):
                name = alt.strip().split(" ")[0].split(":")[0] if alt.strip() else ""
                if name in installed:
                    todo.append(name)
                    break

with open(sys.argv[1], "w") as out:
    out.write("\n\n".join(installed[p] for p in sorted(keep)) + "\n")
