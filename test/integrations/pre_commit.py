#!/usr/bin/env python3
"""pre_commit.py SOURCE_DIR THREADVET [framework|hook...] — threadvet's
pre-commit hooks checked by committing to a sample repository.

framework  the real pre-commit framework (Debian's `pre-commit`) with
           SOURCE_DIR/.pre-commit-hooks.yaml, from a git repository of its
           own, as a project's .pre-commit-config.yaml names it
hook       docs/ci/pre-commit installed as .git/hooks/pre-commit

Each mode gets a fresh repository with a compilation database in build/
(one path with a space) and goes through the same commits:
  1. a staged bug (a self-deadlock in a new file) blocks the commit;
  2. the same bug only in the working tree (unstaged, in a tracked file)
     does not: the staged content is what is checked, and the unstaged
     change is still there afterwards;
  3. the fix passes;
  4. a one-file commit that completes a lock-order cycle with a file
     committed earlier is caught (the whole program is behind the hook);
  5. a staged header alone that completes the cycle through a macro is
     caught (the header selects the units that include it);
  6. a rename with nothing wrong passes.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.path.abspath(sys.argv[1])
THREADVET = os.path.abspath(sys.argv[2])
MODES = sys.argv[3:] or ["framework", "hook"]
TIMEOUT = 600
failures = []


def expect(cond, msg, detail=""):
    print(("ok: " if cond else "FAIL: ") + msg + ("" if cond or not detail else "\n" + detail), flush=True)
    if not cond:
        failures.append(msg)
    return cond


def sh(args, cwd, env, check=True):
    p = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if check and p.returncode != 0:
        raise RuntimeError(f"{args}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    return p


HEADER = """#include <pthread.h>
extern pthread_mutex_t lock_a, lock_b;
void *run_ba(void *arg);
/* Takes lock_b (and whatever else must be held with it). */
#define TAKE_B() do { pthread_mutex_lock(&lock_b); pthread_mutex_unlock(&lock_b); } while (0)
"""
HEADER_CYCLE = HEADER.replace("pthread_mutex_lock(&lock_b); pthread_mutex_unlock(&lock_b);",
                              "pthread_mutex_lock(&lock_b); pthread_mutex_lock(&lock_a); "
                              "pthread_mutex_unlock(&lock_a); pthread_mutex_unlock(&lock_b);")
MAIN = """#include "locks.h"
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;

static void *run_ab(void *arg) {
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  return arg;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, 0, run_ab, 0);
  pthread_create(&t2, 0, run_ba, 0);
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  return 0;
}
"""
B = """#include "locks.h"
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;

void *run_ba(void *arg) {
  TAKE_B();
  return arg;
}
"""
B_CYCLE = B.replace("  TAKE_B();\n", "  pthread_mutex_lock(&lock_b);\n  pthread_mutex_lock(&lock_a);\n"
                    "  pthread_mutex_unlock(&lock_a);\n  pthread_mutex_unlock(&lock_b);\n")
COUNTER = """#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long n;

void count(void) {
  pthread_mutex_lock(&m);
  n++;
  pthread_mutex_unlock(&m);
}
"""
COUNTER_BUG = COUNTER.replace("  n++;\n", "  pthread_mutex_lock(&m);\n  n++;\n")
FILES = {"src/main.c": MAIN, "src/two words/b.c": B, "src/locks.h": HEADER}
UNITS = ["src/main.c", "src/two words/b.c", "src/counter.c", "src/renamed.c"]


def write(repo, path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


def hooks_repo(home, env):
    """SOURCE's .pre-commit-hooks.yaml in a git repository of its own."""
    repo = os.path.join(home, "threadvet-hooks")
    os.makedirs(repo)
    shutil.copy(os.path.join(SOURCE, ".pre-commit-hooks.yaml"), repo)
    sh(["git", "init", "-q"], repo, env)
    sh(["git", "add", "."], repo, env)
    sh(["git", "commit", "-q", "-m", "hooks"], repo, env)
    return repo, sh(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()


def make_repo(home, mode, env):
    repo = os.path.join(home, "repo")
    os.makedirs(repo)
    for path, text in FILES.items():
        write(repo, path, text)
    write(repo, ".gitignore", "build/\n")
    db = [{"directory": os.path.join(repo, "build"), "file": os.path.join(repo, u),
           "arguments": ["cc", "-I" + os.path.join(repo, "src"), "-c", os.path.join(repo, u)]} for u in UNITS]
    write(repo, "build/compile_commands.json", json.dumps(db, indent=1))
    sh(["git", "init", "-q"], repo, env)
    if mode == "framework":
        hooks, rev = hooks_repo(home, env)
        write(repo, ".pre-commit-config.yaml",
              f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: threadvet\n"
              "        args: [-p, build]\n")
        sh(["pre-commit", "install"], repo, env)
    else:
        dst = os.path.join(repo, ".git", "hooks", "pre-commit")
        shutil.copy(os.path.join(SOURCE, "docs", "ci", "pre-commit"), dst)
        os.chmod(dst, 0o755)
    sh(["git", "add", "-A"], repo, env)
    sh(["git", "commit", "-q", "--no-verify", "-m", "start"], repo, env)
    return repo


def run_mode(mode):
    home = tempfile.mkdtemp(prefix=f"threadvet-{mode}.")
    try:
        bindir = os.path.join(home, "bin")
        os.makedirs(bindir)
        os.symlink(THREADVET, os.path.join(bindir, "threadvet"))
        env = dict(os.environ, HOME=home, PATH=bindir + os.pathsep + os.environ["PATH"],
                   PRE_COMMIT_HOME=os.path.join(home, "pre-commit-cache"), XDG_CACHE_HOME=os.path.join(home, "xdg"),
                   GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t.invalid", GIT_COMMITTER_NAME="t",
                   GIT_COMMITTER_EMAIL="t@t.invalid", GIT_CONFIG_NOSYSTEM="1")
        env["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
        sh(["git", "config", "--global", "init.defaultBranch", "main"], home, env)
        sh(["git", "config", "--global", "commit.gpgsign", "false"], home, env)
        repo = make_repo(home, mode, env)
        try:
            steps(mode, repo, env)
        except (RuntimeError, subprocess.SubprocessError) as e:
            expect(False, f"{mode}: the steps ran to the end", str(e))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def steps(mode, repo, env):
    def commit(msg):
        return sh(["git", "commit", "-q", "-m", msg], repo, env, check=False)

    def head():
        return sh(["git", "rev-parse", "HEAD"], repo, env).stdout

    def committed(path):
        return sh(["git", "show", f"HEAD:{path}"], repo, env).stdout

    # 1. a staged bug
    start = head()
    write(repo, "src/counter.c", COUNTER_BUG)
    sh(["git", "add", "src/counter.c"], repo, env)
    p = commit("count")
    out = p.stdout + p.stderr
    expect(p.returncode != 0 and head() == start, f"{mode}: a staged self-deadlock blocks the commit", out)
    expect("counter.c:7:3: warning:" in out and "[lock-double-acquire]" in out, f"{mode}: the finding is shown", out)

    # 2. the bug only in the working tree: the clean version staged
    write(repo, "src/counter.c", COUNTER)
    sh(["git", "add", "src/counter.c"], repo, env)
    write(repo, "src/counter.c", COUNTER_BUG)
    p = commit("count, clean")
    out = p.stdout + p.stderr
    expect(p.returncode == 0 and head() != start, f"{mode}: the same bug only in the working tree does not block", out)
    expect(committed("src/counter.c") == COUNTER, f"{mode}: the staged (clean) content was committed")
    expect(open(os.path.join(repo, "src/counter.c")).read() == COUNTER_BUG,
           f"{mode}: the unstaged change is still in the working tree")

    # 3. the fix
    write(repo, "src/counter.c", COUNTER + "/* reviewed */\n")
    sh(["git", "add", "src/counter.c"], repo, env)
    start = head()
    p = commit("count, reviewed")
    expect(p.returncode == 0 and head() != start, f"{mode}: a fix passes", p.stdout + p.stderr)

    # 4. a one-file commit completing a cross-file cycle
    write(repo, "src/two words/b.c", B_CYCLE)
    sh(["git", "add", "src/two words/b.c"], repo, env)
    start = head()
    p = commit("b takes both")
    out = p.stdout + p.stderr
    expect(p.returncode != 0 and head() == start, f"{mode}: a one-file commit completing a lock cycle is caught", out)
    expect("[lock-order-inversion]" in out and "main.c:6:3: note:" in out and "b.c:" in out,
           f"{mode}: both files' halves of the cycle are shown", out)
    sh(["git", "reset", "-q", "--hard"], repo, env)

    # 5. a header alone
    write(repo, "src/locks.h", HEADER_CYCLE)
    sh(["git", "add", "src/locks.h"], repo, env)
    p = commit("TAKE_B takes both")
    out = p.stdout + p.stderr
    expect(p.returncode != 0 and head() == start, f"{mode}: a staged header completing a cycle is caught", out)
    expect("[lock-order-inversion]" in out and "b.c:5:3: warning:" in out, f"{mode}: ... in the unit including it", out)
    sh(["git", "reset", "-q", "--hard"], repo, env)

    # 6. a rename, nothing wrong
    sh(["git", "mv", "src/counter.c", "src/renamed.c"], repo, env)
    p = commit("rename")
    expect(p.returncode == 0 and head() != start, f"{mode}: a clean rename passes", p.stdout + p.stderr)


def main():
    for mode in MODES:
        if mode == "framework" and not shutil.which("pre-commit"):
            expect(False, "the pre-commit framework is installed (Debian package pre-commit; scripts/dev installs it)")
            continue
        run_mode(mode)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
