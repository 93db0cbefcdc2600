#!/usr/bin/env python3
"""man-page.py THREADVET SOURCE_DIR — docs/man/threadvet.1 renders without
a groff warning and keeps up with the binary: every option its --help
outputs mention (the global help and each command's but cc's, which is
clang's), every command, every rule of `threadvet rules`, every exit
status. Also what it promises of packaging/bash-completion/threadvet:
every option of threadvet's own is completed."""
import json
import os
import re
import subprocess
import sys

threadvet, src = sys.argv[1], sys.argv[2]
page_path = os.path.join(src, "docs", "man", "threadvet.1")
completion_path = os.path.join(src, "packaging", "bash-completion", "threadvet")
env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
failures = []


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)


# groff: -ww every warning, -z no output; anything on stderr is a warning.
p = run("groff", "-man", "-Tutf8", "-ww", "-z", page_path)
if p.returncode != 0 or p.stderr.strip():
    failures.append(f"groff warns about {page_path}:\n{p.stderr}")

# The options: from `threadvet --help` and every command's --help that
# exists (a command whose --help is an error has no help of its own yet),
# but cc's: `threadvet cc --help` is clang's own (cc is a drop-in compiler),
# and cc's options are in the global usage.
OPT = r"(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)"
helps = [run(threadvet, "--help").stdout]
commands = set(re.findall(r"^\s+threadvet ([a-z][a-z-]*)", helps[0], re.M))
for cmd in sorted(commands - {"cc"}):
    p = run(threadvet, cmd, "--help")
    if p.returncode == 0:
        helps.append(p.stdout)
help_text = "\n".join(helps)
# Every option-like word the helps mention, prose included (the compiler
# flags `--` drops, say): the man page documents all of them.
mentioned = set(re.findall(OPT, help_text))
# threadvet's own options: those of the usage lines and of the option
# column (an entry's first column, up to two spaces): the completion
# offers these.
options = set()
for line in help_text.splitlines():
    if re.match(r"\s*(Usage:\s*)?threadvet ", line):
        options |= set(re.findall(OPT, line))
    elif m := re.match(r" {1,4}(-\S.*?)(?: {2,}|$)", line):
        options |= set(re.findall(OPT, m.group(1)))
if not options or not commands:
    failures.append(f"no options or commands found in --help:\n{help_text}")

# The page's text with roff escapes undone: `\-` is a hyphen, \f. fonts.
with open(page_path) as f:
    page = f.read()
text = re.sub(r"\\f[BIRP]", "", page).replace("\\-", "-").replace("\\&", "")
words = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)", text))
for opt in sorted(mentioned - words):
    failures.append(f"the man page does not document {opt} (in --help)")
commands_section = page.split(".SH COMMANDS", 1)[-1].split(".SH", 1)[0]
for cmd in sorted(commands):
    if ".TP\n.B " + cmd.replace("-", "\\-") + "\n" not in commands_section:
        failures.append(f"COMMANDS has no entry for {cmd}")

rules = json.loads(run(threadvet, "rules", "--format", "json").stdout)
for r in rules:
    if r["id"] not in text:
        failures.append(f"the man page does not list the rule {r['id']}")

section = text.split(".SH EXIT STATUS", 1)[-1].split(".SH", 1)[0]
for status in "0123":
    if not re.search(rf"^\.B {status}$", section, re.M):
        failures.append(f"EXIT STATUS has no entry for {status}")

# The completion offers every option of --help (as a word of its lists).
with open(completion_path) as f:
    completion = f.read()
offered = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)", completion))
for opt in sorted(options - offered):
    failures.append(f"the bash completion does not offer {opt} (in --help)")

for f in failures:
    print("FAIL:", f)
print(f"{len(options)} options ({len(mentioned)} words), {len(commands)} commands, {len(rules)} rules checked")
sys.exit(1 if failures else 0)
