# lit configuration for threadvet: each test is a C file (or a shell-style
# .test) with RUN: lines; FileCheck checks what threadvet prints.
import os
import lit.formats

# The build's site file (passed with --param threadvet_site_config=...) says
# where the built tools are.
if not hasattr(config, "threadvet"):
    site = lit_config.params.get("threadvet_site_config")
    if not site:
        lit_config.fatal("run lit with --param threadvet_site_config=BUILD/test/lit/lit.site.cfg.py (ctest does)")
    exec(open(site).read(), {"config": config, "lit_config": lit_config})

config.name = "threadvet"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.binary_root, "test", "lit")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools, os.path.dirname(config.threadvet), config.environment.get("PATH", os.environ["PATH"])])
for var in ("HOME", "XDG_CACHE_HOME", "SARIF_MULTITOOL_DIR", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment["NO_COLOR"] = "1"
# A one-shot CLI frees nothing at exit on purpose; ASan still checks every access.
config.environment["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"

# `%tv` analyses with no colour and no summary line, so CHECK lines see only
# diagnostics; `%tv-sarif` writes SARIF to stdout.
config.substitutions.append(("%tv-sarif", f"{config.threadvet} check --quiet --format sarif"))
config.substitutions.append(("%tv", f"{config.threadvet} check --quiet --color never"))
config.substitutions.append(("%threadvet", config.threadvet))
config.substitutions.append(("%srcroot", config.source_root))
config.substitutions.append(("%validate-sarif", os.path.join(config.source_root, "test", "sarif", "validate-sarif")))
config.substitutions.append(("%python", "python3"))
# Helpers every folder may use: an exact exit status, and SARIF fields.
_sarif_dir = os.path.join(config.test_source_root, "sarif")
config.substitutions.append(("%expect-exit", f"python3 {os.path.join(_sarif_dir, 'expect_exit.py')}"))
config.substitutions.append(("%sarif-query", f"python3 {os.path.join(_sarif_dir, 'sarif_query.py')}"))
