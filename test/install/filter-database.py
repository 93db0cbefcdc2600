#!/usr/bin/env python3
"""filter-database.py SOURCE_DIR — packaging/threadvet-filter-database.cmake,
which threadvet_check() runs at build time, keeps exactly the entries of
compile_commands.json that compile one of the target's objects: by `-o` in
`command` (plain, quoted with spaces, -oFILE) or in `arguments`, relative to
the entry's directory, `./` normalized; other targets' entries of the same
file are left out. Semicolons and brackets in commands survive (CMake lists),
and the database may be CMake's one-entry-per-block layout (read block by
block) or anything else JSON (read entry by entry)."""
import json
import os
import subprocess
import sys
import tempfile

src = sys.argv[1]
script = os.path.join(src, "packaging", "threadvet-filter-database.cmake")
failures = 0


def run(tmp, db_text, objects):
    db = os.path.join(tmp, "compile_commands.json")
    with open(db, "w") as f:
        f.write(db_text)
    objs = os.path.join(tmp, "objects.txt")
    with open(objs, "w") as f:
        f.write("".join(o + "\n" for o in objects))
    out = os.path.join(tmp, "out.json")
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run(["cmake", f"-DDATABASE={db}", f"-DOBJECTS={objs}", f"-DOUTPUT={out}", "-DTARGET=app",
                        "-P", script], capture_output=True, text=True, timeout=60)
    return p, out


def check(name, cond, detail=""):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {name} {detail}")
    else:
        print(f"ok: {name}")


entries = [
    # the target's, in the forms compilers and CMake write
    {"directory": "/b", "command": "/usr/bin/cc -DLIST=\"a;b\" -DARR=[1] -o CMakeFiles/app.dir/src/a.c.o -c /s/src/a.c",
     "file": "/s/src/a.c"},
    {"directory": "/b", "command": "/usr/bin/cc -o \"CMakeFiles/app.dir/src/my file.c.o\" -c \"/s/src/my file.c\"",
     "file": "/s/src/my file.c"},
    {"directory": "/b/sub", "arguments": ["cc", "-c", "-o", "../CMakeFiles/app.dir/src/b.c.o", "/s/src/b.c"],
     "file": "/s/src/b.c"},
    {"directory": "/b", "arguments": ["cc", "-c", "-oCMakeFiles/app.dir/src/c.c.o", "/s/src/c.c"], "file": "/s/src/c.c"},
    # another target's build of the same file, and an unrelated one
    {"directory": "/b", "command": "/usr/bin/cc -DSTUB -o CMakeFiles/stub.dir/src/a.c.o -c /s/src/a.c", "file": "/s/src/a.c"},
    {"directory": "/b", "command": "/usr/bin/cc -o CMakeFiles/other.dir/x.c.o -c /s/x.c", "file": "/s/x.c"},
    {"directory": "/b", "command": "/usr/bin/cc -c /s/noout.c", "file": "/s/noout.c"},
]
objects = ["/b/CMakeFiles/app.dir/./src/a.c.o", "/b/CMakeFiles/app.dir/src/my file.c.o",
           "/b/CMakeFiles/app.dir/src/b.c.o", "/b/CMakeFiles/app.dir/src/c.c.o"]
want = entries[:4]


def cmake_layout(es):
    """How CMake writes compile_commands.json."""
    blocks = []
    for e in es:
        blocks.append("{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in e.items()) + "\n}")
    return "[\n" + ",\n".join(blocks) + "\n]"


with tempfile.TemporaryDirectory() as tmp:
    for layout, text in [("CMake's layout", cmake_layout(entries)),
                         ("one line", json.dumps(entries)),
                         ("indented", json.dumps(entries, indent=4))]:
        p, out = run(tmp, text, objects)
        check(f"{layout}: exit 0", p.returncode == 0, p.stdout + p.stderr)
        if p.returncode == 0:
            got = json.load(open(out))
            check(f"{layout}: exactly the target's entries", got == want, json.dumps(got, indent=1))

    p, _ = run(tmp, cmake_layout(entries), ["/b/CMakeFiles/none.dir/z.c.o"])
    check("no entry for the target: an error that says so",
          p.returncode != 0 and "threadvet_check(app): " in p.stderr and "has no entry" in p.stderr, p.stderr)
    p, _ = run(tmp, "[]", objects)
    check("an empty database: an error", p.returncode != 0 and "has no entry" in p.stderr, p.stderr)
    p, _ = run(tmp, "{ not json", objects)
    check("a malformed database: an error naming it",
          p.returncode != 0 and "compile_commands.json" in p.stderr, p.stderr)

sys.exit(1 if failures else 0)
