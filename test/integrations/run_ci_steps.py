#!/usr/bin/env python3
"""run_ci_steps.py SOURCE_DIR THREADVET [PART...] — runs what docs/ tells users
to copy, as it is written, on a sample repository (sample-repo/ made a git
repository in a temporary directory), and checks what it promises.

PARTs (default: all of them):
  docs        docs/integrations.md shows each file of docs/ci/ exactly
  github      docs/ci/github-workflow.yml: its `run:` steps, in order, in bash
              as GitHub runs them (`shell: bash`: bash --noprofile --norc
              -eo pipefail), with its env, `if:` conditions, GITHUB_PATH;
              actions/checkout clones the sample repository; upload-sarif
              gets a SARIF file that exists and passes test/sarif/validate-sarif
  gitlab      docs/ci/gitlab-ci.yml: before_script and script in one bash
              (set -eo pipefail, as GitLab Runner does) in the checked-out
              repository; the artifacts exist, the Code Quality report is
              GitLab's format
  pre-commit  docs/ci/pre-commit as .git/hooks/pre-commit: a commit adding a
              bug is refused with the finding, a clean one goes through
  readme      README.md's install lines build and install threadvet

github and gitlab run twice: on a commit with a lock-order inversion (the
job fails with exit status 1, the finding is in the SARIF and the Code
Quality report) and on the fixed commit (the job passes, no finding).

The jobs run in debian:bookworm; this machine has more installed. The first
GitHub run is traced (strace): every program it runs and every library,
header, pkg-config and CMake file it opens must come from a package a
fresh debian:bookworm has or the job's `apt-get install` brings (apt
resolves that list against a dpkg status of the required packages only,
test/install/fresh-debian-status.py). GitLab's list must be GitHub's, and jq.

What is not this machine's to do is done in its place, and said so:
  - THREADVET_GIT (where the workflows clone threadvet from) is overridden
    with a git repository of SOURCE_DIR as it is now (tracked and untracked
    files), on a branch named as THREADVET_REF says;
  - `apt-get update` does nothing and `apt-get install` is simulated
    (apt-get -s): every package must exist and be installable here; the
    tests run on a machine that has them (scripts/dev installs them);
  - `sudo` runs its command; `sudo cmake --install` goes to DESTDIR;
  - `uses:` steps other than checkout and upload-sarif are an error;
  - with ccache installed, compilers run through it (CMAKE_C_COMPILER_LAUNCHER,
    a cache private to this run): the jobs build threadvet five times, from
    the same source, and only the first build compiles.
THREADVET (the built binary) is used only by the pre-commit hook.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

SOURCE = os.path.abspath(sys.argv[1])
THREADVET = os.path.abspath(sys.argv[2])
PARTS = sys.argv[3:] or ["docs", "github", "gitlab", "pre-commit", "readme"]
HERE = os.path.dirname(os.path.abspath(__file__))
CI = os.path.join(SOURCE, "docs", "ci")
VALIDATE_SARIF = os.path.join(SOURCE, "test", "sarif", "validate-sarif")
STEP_TIMEOUT = 600

# The finding the buggy commit has, as SARIF writes its file (relative to
# the repository, percent-encoded) and as a file name.
BUG_RULE = "lock-order-inversion"
BUG_FILE = "src/lock order/journal-\u00e9.c"
BUG_URI = "src/lock%20order/journal-%C3%A9.c"

failures = []


def fail(msg):
    failures.append(msg)
    print(f"FAIL: {msg}", flush=True)


def ok(msg):
    print(f"ok: {msg}", flush=True)


def expect(cond, msg, detail=""):
    if cond:
        ok(msg)
    else:
        fail(msg + (f"\n{detail}" if detail else ""))
    return cond


def sh(args, cwd=None, env=None, check=True):
    p = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    if check and p.returncode != 0:
        raise RuntimeError(f"{args}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    return p


def git(cwd, *args):
    return sh(["git", "-c", "user.name=CI test", "-c", "user.email=ci@test.invalid",
               "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=cwd).stdout


# --- the sandbox --------------------------------------------------------------

sandbox = tempfile.mkdtemp(prefix="threadvet-ci.")
shims = os.path.join(sandbox, "shims")
os.makedirs(shims)


def shim(name, text):
    path = os.path.join(shims, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


real_apt_get = shutil.which("apt-get")
apt_log = os.path.join(sandbox, "apt-get.log")
# apt-get: `update` does nothing (offline); `install` is simulated, and
# must succeed without an error (a misspelt package, an unmet dependency).
# The same command line simulated once is not simulated again.
shim("apt-get", f"""#!/bin/sh
grep -qxF "apt-get $*" '{apt_log}' 2>/dev/null && exit 0
case "$1" in update) echo "apt-get $*" >> '{apt_log}'; exit 0 ;; esac
[ -x '{real_apt_get}' ] || {{ echo "apt-get shim: no apt-get on this machine" >&2; exit 100; }}
out=$('{real_apt_get}' -s "$@" 2>&1); rc=$?
if [ $rc -ne 0 ] || printf '%s\\n' "$out" | grep -q '^E:'; then
    printf '%s\\n' "$out" >&2
    echo "apt-get shim: 'apt-get $*' would fail (exit $rc)" >&2
    exit 100
fi
echo "apt-get $*" >> '{apt_log}'
""")
shim("sudo", '#!/bin/sh\nexec "$@"\n')


def base_env(home):
    os.makedirs(home, exist_ok=True)
    tmp = os.path.join(home, "tmp")
    os.makedirs(tmp, exist_ok=True)
    env = {
        "PATH": shims + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "CI": "true",
        "NO_COLOR": "1",
    }
    if shutil.which("ccache"):
        env["CMAKE_C_COMPILER_LAUNCHER"] = "ccache"
        env["CCACHE_DIR"] = os.path.join(sandbox, "ccache")
        env["CCACHE_BASEDIR"] = sandbox  # the same source in other directories hits
        env["CCACHE_NOHASHDIR"] = "1"
    for var in ("SARIF_MULTITOOL_DIR", "XDG_CACHE_HOME"):
        if var in os.environ:
            env[var] = os.environ[var]
    # validate-sarif caches its tool under ~/.cache: keep the real one.
    env.setdefault("XDG_CACHE_HOME", os.path.join(os.environ.get("HOME", home), ".cache"))
    return env


def snapshot_source():
    """A git repository of SOURCE_DIR as it is now, on branch `ref`."""
    work = os.path.join(sandbox, "threadvet-source")
    try:
        listed = sh(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=SOURCE).stdout
        files = [f for f in listed.split("\0") if f]
    except (RuntimeError, FileNotFoundError):
        files = []
        for root, dirs, names in os.walk(SOURCE):
            dirs[:] = [d for d in dirs if not d.startswith((".", "build"))]
            files += [os.path.relpath(os.path.join(root, n), SOURCE) for n in names]
    for f in files:
        src = os.path.join(SOURCE, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(work, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(work, f))
    return work


def make_repo(work, branch):
    git(work, "init", "-q")
    git(work, "checkout", "-q", "-b", branch)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "snapshot")
    return work


def sample_repo():
    """sample-repo/ as a git repository: main is fixed, `buggy` has the bug."""
    repo = os.path.join(sandbox, "sample-origin")
    shutil.copytree(os.path.join(HERE, "sample-repo"), repo, ignore=shutil.ignore_patterns("variants"))
    make_repo(repo, "main")
    git(repo, "checkout", "-q", "-b", "buggy")
    shutil.copy(os.path.join(HERE, "sample-repo", "variants", "journal-buggy.c"), os.path.join(repo, BUG_FILE))
    git(repo, "commit", "-q", "-am", "audit: take the journal first")
    git(repo, "checkout", "-q", "main")
    return repo


# --- checks of what the jobs leave ------------------------------------------

def check_sarif(path, scenario, what, validate=True):
    if not expect(os.path.isfile(path), f"{what}: {os.path.basename(path)} exists"):
        return
    try:
        log = json.load(open(path))
    except ValueError as e:
        fail(f"{what}: {path} is not JSON: {e}")
        return
    expect(log.get("version") == "2.1.0", f"{what}: SARIF 2.1.0")
    if validate:
        p = sh([VALIDATE_SARIF, path], check=False)
        expect(p.returncode == 0, f"{what}: the SARIF passes validate-sarif (GitHub's rules)", p.stdout + p.stderr)
    results = [r for run in log.get("runs", []) for r in run.get("results", [])]
    if scenario == "buggy":
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"].get("uri") for r in results
                if r.get("ruleId") == BUG_RULE]
        expect(uris == [BUG_URI], f"{what}: the SARIF has the {BUG_RULE} at {BUG_URI} (relative to the repository)",
               json.dumps(results, indent=1)[:3000])
    else:
        expect(results == [], f"{what}: the SARIF has no result", json.dumps(results, indent=1)[:3000])


def check_codequality(path, scenario, what):
    if not expect(os.path.isfile(path), f"{what}: {os.path.basename(path)} exists"):
        return
    try:
        issues = json.load(open(path))
    except ValueError as e:
        fail(f"{what}: {path} is not JSON: {e}")
        return
    good = isinstance(issues, list)
    for i in issues if good else []:
        good = good and isinstance(i.get("description"), str) and isinstance(i.get("check_name"), str) \
            and isinstance(i.get("fingerprint"), str) and i["fingerprint"] != "" \
            and i.get("severity") in ("info", "minor", "major", "critical", "blocker") \
            and isinstance(i.get("location", {}).get("path"), str) \
            and isinstance(i["location"].get("lines", {}).get("begin"), int)
    expect(good, f"{what}: the Code Quality report has GitLab's required fields", json.dumps(issues, indent=1))
    if scenario == "buggy":
        expect([(i.get("check_name"), i.get("location", {}).get("path"), i.get("severity")) for i in issues]
               == [(BUG_RULE, BUG_FILE, "major")],
               f"{what}: the Code Quality report has the {BUG_RULE} in '{BUG_FILE}'", json.dumps(issues, indent=1))
    else:
        expect(issues == [], f"{what}: the Code Quality report is empty", json.dumps(issues, indent=1))


# --- docs/integrations.md shows docs/ci/ --------------------------------------

def part_docs():
    md = open(os.path.join(SOURCE, "docs", "integrations.md")).read()
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```$", md, re.M | re.S)
    for name in sorted(os.listdir(CI)):
        text = open(os.path.join(CI, name)).read()
        expect(text in blocks, f"docs/integrations.md shows docs/ci/{name} exactly")


# --- GitHub Actions -----------------------------------------------------------

class Expr:
    """The few expressions of `if:` the workflow uses: success(), failure(),
    always(), cancelled(), hashFiles('f') != '', &&, ||, !, parentheses."""

    def __init__(self, workspace, failed):
        self.workspace, self.failed = workspace, failed

    def eval(self, text):
        text = text.strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]

        def hash_files(m):
            return "'x'" if os.path.exists(os.path.join(self.workspace, m.group(1))) else "''"
        py = re.sub(r"hashFiles\('([^']*)'\)", hash_files, text)
        py = py.replace("success()", str(not self.failed)).replace("failure()", str(self.failed))
        py = py.replace("always()", "True").replace("cancelled()", "False")
        py = py.replace("&&", " and ").replace("||", " or ")
        py = re.sub(r"!(?!=)", " not ", py)
        tokens = re.findall(r"'[^']*'|\w+|==|!=|\S", py)
        if any(t not in ("True", "False", "and", "or", "not", "==", "!=", "(", ")") and not t.startswith("'")
               for t in tokens):
            raise ValueError(f"an `if:` this test cannot evaluate: {text}")
        uses_status = re.search(r"success\(\)|failure\(\)|always\(\)|cancelled\(\)", text)
        result = eval(py, {"__builtins__": {}})  # only the tokens matched above
        # GitHub: an `if:` without a status function means success() && (...).
        return bool(result) and (uses_status is not None or not self.failed)


def run_github(origin, source_repo, scenario, trace=None):
    what = f"github ({scenario})"
    workflow = yaml.safe_load(open(os.path.join(CI, "github-workflow.yml")))
    (job_name, job), = workflow["jobs"].items()
    home = os.path.join(sandbox, f"github-{scenario}")
    workspace = os.path.join(home, "workspace")
    runner_temp = os.path.join(home, "runner-temp")
    os.makedirs(workspace)
    os.makedirs(runner_temp)
    env = base_env(home)
    env.update({k: str(v) for k, v in (workflow.get("env") or {}).items()})
    env.update({k: str(v) for k, v in (job.get("env") or {}).items()})
    env["THREADVET_GIT"] = "file://" + source_repo
    env.update({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": workspace, "RUNNER_TEMP": runner_temp})
    shell = ((job.get("defaults") or {}).get("run") or {}).get("shell")
    expect(shell == "bash", f"{what}: run steps use `shell: bash`")
    failed = False
    statuses = {}
    uploads = []
    for i, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {i}"
        cond = Expr(workspace, failed).eval(step.get("if", "success()"))
        if not cond:
            print(f"   [{name}] skipped (if: {step.get('if', 'success()')})")
            continue
        step_env = dict(env)
        step_env.update({k: str(v) for k, v in (step.get("env") or {}).items()})
        github_path = os.path.join(runner_temp, f"path-{i}")
        github_env = os.path.join(runner_temp, f"env-{i}")
        open(github_path, "w").close()
        open(github_env, "w").close()
        step_env.update({"GITHUB_PATH": github_path, "GITHUB_ENV": github_env})
        started = time.time()
        if "run" in step:
            script = os.path.join(runner_temp, f"step-{i}.sh")
            with open(script, "w") as f:
                f.write(step["run"])
            cwd = os.path.join(workspace, step.get("working-directory", "."))
            command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", script]
            if trace:
                command = ["strace", "-f", "-qq", "-s", "4096", "-e", "trace=execve,open,openat",
                           "-o", f"{trace}.{i}", *command]
            p = subprocess.run(command, cwd=cwd, env=step_env, capture_output=True, text=True,
                               timeout=STEP_TIMEOUT)
            status, output = p.returncode, p.stdout + p.stderr
            # GITHUB_PATH lines go before PATH for the later steps; GITHUB_ENV sets variables.
            for line in reversed(open(github_path).read().splitlines()):
                if line:
                    env["PATH"] = line + os.pathsep + env["PATH"]
            for line in open(github_env).read().splitlines():
                if "=" in line:
                    k, v = line.split("=", 1)
                    env[k] = v
        elif step["uses"].startswith("actions/checkout@"):
            git(workspace, "clone", "-q", origin, ".")
            git(workspace, "checkout", "-q", scenario if scenario == "buggy" else "main")
            status, output = 0, "(checked out the sample repository)"
        elif step["uses"].startswith("github/codeql-action/upload-sarif@"):
            args = step.get("with") or {}
            uploads.append(args)
            check_sarif(os.path.join(workspace, args.get("sarif_file", "")), scenario, f"{what}: upload-sarif")
            expect(bool(args.get("category")), f"{what}: upload-sarif has a category")
            status, output = 0, "(the SARIF file checked)"
        else:
            status, output = 1, f"this test does not know the action {step['uses']}"
        statuses[name] = (status, output)
        print(f"   [{name}] exit {status} ({time.time() - started:.1f} s)", flush=True)
        if status != 0:
            failed = True
    return statuses, uploads, failed


def apt_installs(log_lines):
    """The packages the simulated `apt-get install` lines named."""
    pkgs = []
    for line in log_lines:
        words = line.split()
        if words[:2] == ["apt-get", "install"]:
            pkgs += [w for w in words[2:] if not w.startswith("-")]
    return pkgs


def dpkg_owners():
    """Every path dpkg knows, under /usr-merge's two names, to its package."""
    owner = {}
    info = "/var/lib/dpkg/info"
    for name in os.listdir(info):
        if not name.endswith(".list"):
            continue
        pkg = name[:-5].split(":")[0]
        for path in open(os.path.join(info, name), errors="replace").read().splitlines():
            owner.setdefault(path, pkg)
            if path.startswith(("/lib", "/bin", "/sbin")):
                owner.setdefault("/usr" + path, pkg)
            elif path.startswith(("/usr/lib", "/usr/bin", "/usr/sbin")):
                owner.setdefault(path[4:], pkg)
    return owner


def check_packages_used(trace):
    what = "github: on a fresh debian:bookworm"
    fresh_status = os.path.join(sandbox, "fresh-status")
    sh([sys.executable, os.path.join(SOURCE, "test", "install", "fresh-debian-status.py"), fresh_status])
    fresh = set(re.findall(r"^Package: (\S+)$", open(fresh_status).read(), re.M))
    listed = apt_installs(open(apt_log).read().splitlines())
    p = sh([real_apt_get, "install", "-s", "--no-install-recommends", "-o", f"Dir::State::status={fresh_status}",
            *listed], check=False)
    if not expect(p.returncode == 0, f"{what}: apt resolves the job's packages", p.stdout + p.stderr):
        return
    have = fresh | set(re.findall(r"^Inst (\S+)", p.stdout, re.M))
    # This test's own tools, and what they need.
    p = sh([real_apt_get, "install", "-s", "--no-install-recommends", "-o", f"Dir::State::status={fresh_status}",
            "strace", "ccache"], check=False)
    have |= {"strace", "ccache"} | set(re.findall(r"^Inst (\S+)", p.stdout, re.M))
    owner = dpkg_owners()
    needed = {}  # package -> a path that needs it
    pending = {}
    # ld loads every plugin of bfd-plugins/ it finds (LLVMgold of each LLVM
    # installed here) and what they link: none of it is needed to link.
    plugin_users = set()
    call = re.compile(r'^(\d+) +(execve|open|openat)\((?:AT_FDCWD, )?"([^"]+)"(.*)$')
    resumed = re.compile(r"^(\d+) +<\.\.\. (?:execve|open|openat) resumed>.*\) = (-?\d+)")
    for name in sorted(os.listdir(sandbox)):
        if not name.startswith(os.path.basename(trace) + "."):
            continue
        for line in open(os.path.join(sandbox, name), errors="replace"):
            m = call.match(line)
            if m:
                pid, syscall, path, rest = m.groups()
                if rest.endswith("<unfinished ...>"):
                    pending[pid] = (syscall, path)
                    continue
                r = re.search(r"\) = (-?\d+)", rest)
                result = int(r.group(1)) if r else -1
            else:
                m = resumed.match(line)
                if not m or m.group(1) not in pending:
                    continue
                (syscall, path), result = pending.pop(m.group(1)), int(m.group(2))
            if result < 0 or not path.startswith("/") or path.startswith(sandbox):
                continue
            if "/bfd-plugins/" in path:
                plugin_users.add(pid)
                continue
            if syscall != "execve" and (pid in plugin_users or
                                        not re.search(r"\.(so(\.\d+)*|h|pc|cmake)$|/include/", path)):
                continue
            # A symlink (libLLVM.so.19.1 in /usr/lib/llvm-19/lib) or its
            # target: either package will do.
            owners = {owner.get(path), owner.get(os.path.realpath(path))} - {None}
            if owners and not owners & have:
                needed.setdefault(sorted(owners)[0], path)
    expect(not needed, f"{what}: every program, library and header the job uses is installed by it",
           "\n".join(f"{pkg} (for {path})" for pkg, path in sorted(needed.items())))


def part_github(origin, source_repo):
    trace = os.path.join(sandbox, "github.strace") if shutil.which("strace") else None
    if not trace:
        print("-- no strace: the packages the GitHub job uses are not checked against a fresh Debian")
    for scenario in ("buggy", "fixed"):
        statuses, uploads, failed = run_github(origin, source_repo, scenario, trace if scenario == "buggy" else None)
        if trace and scenario == "buggy":
            check_packages_used(trace)
        what = f"github ({scenario})"
        names = list(statuses)
        if "threadvet" not in statuses:
            fail(f"{what}: the step named 'threadvet' did not run: {names}")
            continue
        before = names[:names.index("threadvet")]
        for n in before:
            expect(statuses[n][0] == 0, f"{what}: step '{n}' succeeds", statuses[n][1][-4000:])
        status, output = statuses["threadvet"]
        if scenario == "buggy":
            expect(status == 1, f"{what}: the threadvet step fails with exit status 1 (findings)", output[-4000:])
            expect(f"[{BUG_RULE}]" in output and BUG_FILE in output, f"{what}: the log shows the finding", output)
            expect(failed, f"{what}: the job fails")
        else:
            expect(status == 0, f"{what}: the threadvet step passes", output[-4000:])
            expect(not failed, f"{what}: the job passes")
        expect(len(uploads) == 1, f"{what}: the SARIF is uploaded ({len(uploads)} upload steps ran)")


# --- GitLab CI ----------------------------------------------------------------

def part_gitlab(origin, source_repo):
    config = yaml.safe_load(open(os.path.join(CI, "gitlab-ci.yml")))
    jobs = {k: v for k, v in config.items() if isinstance(v, dict) and "script" in v}
    expect(list(jobs) == ["threadvet"], "gitlab: one job, `threadvet`", str(list(jobs)))
    job = jobs.get("threadvet")
    if job is None:
        return
    github = yaml.safe_load(open(os.path.join(CI, "github-workflow.yml")))
    github_runs = [st.get("run", "") for j in github["jobs"].values() for st in j["steps"]]

    def listed(texts):
        return apt_installs(line for text in texts for line in re.sub(r"\\\n", " ", text).splitlines())
    expect(sorted(listed(job.get("before_script") or [])) == sorted(listed(github_runs) + ["jq"]),
           "gitlab: installs GitHub's packages, and jq")
    for scenario in ("buggy", "fixed"):
        what = f"gitlab ({scenario})"
        home = os.path.join(sandbox, f"gitlab-{scenario}")
        project = os.path.join(home, "project")
        os.makedirs(project)
        git(project, "clone", "-q", origin, ".")
        git(project, "checkout", "-q", "buggy" if scenario == "buggy" else "main")
        env = base_env(home)
        env.update({k: str(v) for k, v in (config.get("variables") or {}).items()})
        env.update({k: str(v) for k, v in (job.get("variables") or {}).items()})
        env["THREADVET_GIT"] = "file://" + source_repo
        env.update({"GITLAB_CI": "true", "CI_PROJECT_DIR": project})
        lines = list(job.get("before_script") or []) + list(job["script"])
        script = os.path.join(home, "job.sh")
        with open(script, "w") as f:
            f.write("set -eo pipefail\n" + "\n".join(lines) + "\n")
        started = time.time()
        p = subprocess.run(["bash", "--noprofile", "--norc", script], cwd=project, env=env,
                           capture_output=True, text=True, timeout=STEP_TIMEOUT)
        output = p.stdout + p.stderr
        print(f"   [threadvet job] exit {p.returncode} ({time.time() - started:.1f} s)", flush=True)
        if scenario == "buggy":
            expect(p.returncode == 1, f"{what}: the job fails with exit status 1 (findings)", output[-4000:])
            expect(f"[{BUG_RULE}]" in output, f"{what}: the log shows the finding", output[-4000:])
        else:
            expect(p.returncode == 0, f"{what}: the job passes", output[-4000:])
        artifacts = job.get("artifacts") or {}
        expect(artifacts.get("when") == "always", f"{what}: artifacts are kept when the job fails")
        for path in artifacts.get("paths") or []:
            expect(os.path.exists(os.path.join(project, path)), f"{what}: artifact {path} exists")
        report = (artifacts.get("reports") or {}).get("codequality")
        if expect(bool(report), f"{what}: a codequality report is declared"):
            check_codequality(os.path.join(project, report), scenario, what)
        # The same command as GitHub's wrote it, there validated; GitLab keeps it as a file.
        check_sarif(os.path.join(project, "threadvet.sarif"), scenario, what, validate=False)


# --- the pre-commit hook ------------------------------------------------------

def part_pre_commit(origin):
    what = "pre-commit"
    home = os.path.join(sandbox, "pre-commit")
    repo = os.path.join(home, "repo")
    os.makedirs(repo)
    git(repo, "clone", "-q", origin, ".")
    env = base_env(home)
    bindir = os.path.join(home, "bin")
    os.makedirs(bindir)
    os.symlink(THREADVET, os.path.join(bindir, "threadvet"))
    env["PATH"] = bindir + os.pathsep + env["PATH"]
    env["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    sh(["cmake", "-S", ".", "-B", "build", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"], cwd=repo, env=env)
    md = open(os.path.join(SOURCE, "docs", "integrations.md")).read()
    m = re.search(r"^(install -m 755 docs/ci/pre-commit \.git/hooks/pre-commit)", md, re.M)
    if not expect(m is not None, f"{what}: integrations.md says how to install the hook"):
        return
    # As documented, from threadvet's tree, into this repository.
    sh(["sh", "-c", m.group(1).replace(".git/hooks/", os.path.join(repo, ".git", "hooks") + "/")], cwd=SOURCE)
    ident = ["-c", "user.name=CI test", "-c", "user.email=ci@test.invalid", "-c", "commit.gpgsign=false"]

    def commit(message):
        return subprocess.run(["git", *ident, "commit", "-q", "-m", message], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=STEP_TIMEOUT)

    def head():
        return sh(["git", "rev-parse", "HEAD"], cwd=repo).stdout

    with open(os.path.join(repo, "NOTES"), "w") as f:
        f.write("no C here\n")
    sh(["git", "add", "NOTES"], cwd=repo)
    p = commit("notes")
    expect(p.returncode == 0, f"{what}: a commit without C files goes through", p.stdout + p.stderr)

    start = head()
    shutil.copy(os.path.join(HERE, "sample-repo", "variants", "journal-buggy.c"), os.path.join(repo, BUG_FILE))
    sh(["git", "add", "-A"], cwd=repo)
    p = commit("audit: take the journal first")
    expect(p.returncode != 0, f"{what}: a commit adding a lock-order inversion is refused", p.stdout + p.stderr)
    expect(f"[{BUG_RULE}]" in p.stderr + p.stdout and BUG_FILE in p.stdout + p.stderr,
           f"{what}: the hook prints the finding (in '{BUG_FILE}')", p.stdout + p.stderr)
    expect(head() == start, f"{what}: nothing was committed")

    os.makedirs(os.path.join(repo, "tools"))
    with open(os.path.join(repo, "tools", "gen.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    sh(["git", "reset", "-q", "--hard"], cwd=repo)
    sh(["git", "add", "tools/gen.c"], cwd=repo)
    p = commit("a tool nothing builds")
    expect(p.returncode != 0 and "tools/gen.c" in p.stderr and head() == start,
           f"{what}: a C file the database lacks stops the commit, named", p.stdout + p.stderr)
    p = subprocess.run(["git", *ident, "commit", "-q", "--no-verify", "-m", "a tool"], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=STEP_TIMEOUT)
    expect(p.returncode == 0, f"{what}: ... and goes in with --no-verify", p.stdout + p.stderr)
    start = head()

    fixed = open(os.path.join(HERE, "sample-repo", BUG_FILE)).read()
    with open(os.path.join(repo, BUG_FILE), "w") as f:
        f.write(fixed + "/* audited */\n")
    sh(["git", "add", "-A"], cwd=repo)
    p = commit("audit: a comment")
    expect(p.returncode == 0 and head() != start, f"{what}: a clean change to the same file is committed",
           p.stdout + p.stderr)


# --- README's install lines ---------------------------------------------------

def part_readme(source_repo):
    what = "readme"
    md = open(os.path.join(SOURCE, "README.md")).read()
    m = re.search(r"^## Install\n(.*?)^## ", md, re.M | re.S)
    blocks = blocks_readme = re.findall(r"^```sh\n(.*?)^```$", m.group(1), re.M | re.S) if m else []
    if not expect(len(blocks) >= 1, f"{what}: README.md has an Install section with a sh block"):
        return
    commands = [line for line in blocks[0].splitlines() if line.strip() and not line.lstrip().startswith("#")]
    expect(len(commands) == 2, f"{what}: the install is two lines", "\n".join(commands))
    github = yaml.safe_load(open(os.path.join(CI, "github-workflow.yml")))
    github_runs = "\n".join(st.get("run", "") for j in github["jobs"].values() for st in j["steps"])
    github_pkgs = set(apt_installs(re.sub(r"\\\n", " ", github_runs).splitlines())) - {"git", "ca-certificates"}
    readme_pkgs = set(apt_installs(line.replace("sudo ", "", 1) for line in commands))
    expect(readme_pkgs == github_pkgs, f"{what}: installs the packages of the GitHub job (checked on a fresh Debian)",
           f"README: {sorted(readme_pkgs)}\nGitHub: {sorted(github_pkgs)}")
    home = os.path.join(sandbox, "readme")
    tree = os.path.join(home, "threadvet")
    shutil.copytree(source_repo, tree, ignore=shutil.ignore_patterns(".git"))
    env = base_env(home)
    root = os.path.join(home, "root")
    env["DESTDIR"] = root
    script = os.path.join(home, "install.sh")
    with open(script, "w") as f:
        f.write("set -eo pipefail\n" + blocks[0])
    p = subprocess.run(["bash", "--noprofile", "--norc", script], cwd=tree, env=env, capture_output=True,
                       text=True, timeout=STEP_TIMEOUT)
    expect(p.returncode == 0, f"{what}: the install lines succeed", (p.stdout + p.stderr)[-4000:])
    tv = os.path.join(root, "usr", "local", "bin", "threadvet")
    if expect(os.access(tv, os.X_OK), f"{what}: threadvet is installed in /usr/local/bin (under DESTDIR)"):
        v = sh([tv, "--version"], check=False)
        expect(v.returncode == 0 and v.stdout.startswith("threadvet "), f"{what}: it runs", v.stdout + v.stderr)
    for f in ("share/man/man1/threadvet.1", "lib/cmake/threadvet/threadvetConfig.cmake",
              "share/bash-completion/completions/threadvet"):
        expect(os.path.isfile(os.path.join(root, "usr", "local", f)), f"{what}: /usr/local/{f} is installed")

    # docs/install.md: the same two lines, then the .deb from that build.
    install_md = open(os.path.join(SOURCE, "docs", "install.md")).read()
    blocks = re.findall(r"^```sh\n(.*?)^```$", install_md, re.M | re.S)
    expect(blocks and blocks[0] == blocks_readme[0], "install.md: the install lines are README's")
    deb = [b for b in blocks if "cpack -G DEB" in b]
    if not expect(len(deb) == 1, "install.md: one block makes the .deb"):
        return
    with open(script, "w") as f:
        f.write("set -eo pipefail\n" + deb[0])
    p = subprocess.run(["bash", "--noprofile", "--norc", script], cwd=tree, env=env, capture_output=True,
                       text=True, timeout=STEP_TIMEOUT)
    expect(p.returncode == 0, "install.md: the .deb lines succeed (apt-get install simulated)",
           (p.stdout + p.stderr)[-4000:])
    debs = [f for f in os.listdir(os.path.join(tree, "build")) if f.endswith(".deb")]
    expect(len(debs) == 1 and debs[0].startswith("threadvet_"), "install.md: cpack made the .deb", str(debs))


def main():
    try:
        if "docs" in PARTS:
            part_docs()
        needs_origin = {"github", "gitlab", "pre-commit"} & set(PARTS)
        origin = sample_repo() if needs_origin else None
        source_repo = None
        if {"github", "gitlab", "readme"} & set(PARTS):
            refs = set()
            for name in ("github-workflow.yml", "gitlab-ci.yml"):
                doc = yaml.safe_load(open(os.path.join(CI, name)))
                for scope in [doc, *[v for v in doc.get("jobs", doc).values() if isinstance(v, dict)]]:
                    for key in ("env", "variables"):
                        if "THREADVET_REF" in (scope.get(key) or {}):
                            refs.add(str(scope[key]["THREADVET_REF"]))
            expect(len(refs) == 1, "the workflows name one THREADVET_REF", str(refs))
            source_repo = make_repo(snapshot_source(), refs.pop() if refs else "main")
        if "github" in PARTS:
            part_github(origin, source_repo)
        if "gitlab" in PARTS:
            part_gitlab(origin, source_repo)
        if "pre-commit" in PARTS:
            part_pre_commit(origin)
        if "readme" in PARTS:
            part_readme(source_repo)
        if os.path.exists(apt_log):
            print("apt-get command lines (install simulated once each):\n" + open(apt_log).read(), end="")
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
