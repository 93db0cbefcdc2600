/* main.c — `threadvet COMMAND ...`: dispatch, --help and --version. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "threadvet " THREADVET_VERSION " - a concurrency checker for C\n"
    "\n"
    "Usage:\n"
    "  threadvet check [options] [FILE|DIR...] [-- COMPILER_FLAGS | -- COMPILE_COMMAND]\n"
    "  threadvet link FACTS... [options]\n"
    "  threadvet rules [RULE-ID] [--format text|json|markdown] [-o DIR]\n"
    "  threadvet dump-ir [--passes] [--summaries] [--points-to] [--models FILE] FILE... [-- COMPILER_FLAGS]\n"
    "  threadvet cc [--no-tsan] [--models FILE] CLANG_ARGS...\n"
    "  threadvet run [options] [--] PROGRAM [ARGS...]\n"
    "  threadvet confirm STATIC.sarif RUN.sarif... [-o MERGED.sarif] [--fail-on confirmed|LEVEL]\n"
    "  threadvet lsp [-p DIR] [--config FILE] [--models FILE] [--debounce MS] [--cache-dir DIR] [-v]\n"
    "  threadvet --version | --help | COMMAND --help\n";

static const char check_text[] =
    "\n"
    "check: analyses C translation units and reports concurrency bugs.\n"
    "  FILE|DIR...              files to analyse (a directory means every .c file under it);\n"
    "                           with a compilation database, only its entries for these\n"
    "  -p, --build-dir DIR      read DIR/compile_commands.json\n"
    "  --compile-commands FILE  read this compilation database\n"
    "                           (default: compile_commands.json in . or a parent, unless\n"
    "                           files are given with `--`)\n"
    "  -- FLAGS                 compiler flags for FILEs, or a whole compile command (the\n"
    "                           compiler, -c, -o and -M* are dropped); no database is read\n"
    "  --extra-arg ARG, --extra-arg-before ARG  add a compiler argument to every unit\n"
    "  -j, --jobs N             parse N translation units at a time (default: cores)\n"
    "                           With -p, FILEs and DIRs select what is reported: every\n"
    "                           unit of the database is linked behind them\n"
    "  --cache-dir DIR          keep each unit's facts there and parse only the units\n"
    "                           that changed (default: DIR/.threadvet-cache beside -p's\n"
    "                           database, else $XDG_CACHE_HOME/threadvet)\n"
    "  --no-cache               parse every unit; read and write no cache\n"
    "  --changed-since REV      report the findings that touch lines changed since the git\n"
    "                           revision REV (and the units including a changed header)\n"
    "  --emit-facts OUT.tvf     parse one unit and write its facts there (no analysis)\n"
    "  --depfile FILE           with --emit-facts: write the files the unit read (make syntax)\n"
    "  --facts FILE|DIR         link these facts files (a DIR: its *.tvf) instead of parsing\n"
    "  --format text|sarif      output format (default text)\n"
    "  -o, --output FILE        write the output there (default stdout)\n"
    "  --sarif FILE             also write SARIF 2.1.0 to FILE\n"
    "  --sarif-category NAME    the run's category in SARIF (GitHub code scanning)\n"
    "  --srcroot DIR            root for SARIF's relative URIs (default: the git top\n"
    "                           level of the current directory, else the directory)\n"
    "  --config FILE            read this configuration (default: .threadvet.yaml in . or\n"
    "                           a parent; a directory's own file applies under it)\n"
    "  --dump-config            print the effective configuration and exit\n"
    "  --exclude PATH|GLOB      do not analyse these files (repeatable)\n"
    "  --models FILE            add an API model file (YAML; repeatable)\n"
    "  --enable ID, --disable ID  turn a rule on or off (repeatable; `all` for every rule)\n"
    "  --fail-on LEVEL          exit 1 when a finding is at or above LEVEL:\n"
    "                           error, warning (default), note, none\n"
    "  --baseline SARIF         findings in this earlier report are accepted: only new\n"
    "                           ones are shown and counted\n"
    "  --write-baseline FILE    write the findings as a baseline (SARIF)\n"
    "  --report-unused-suppressions  warn about NOLINT comments that silence nothing\n"
    "  --data-race-shared-code  data-race: also pair accesses in code several threads\n"
    "                           share (off by default: mostly false on real code)\n"
    "  --data-race-mode-flags   data-race: also pair an access a mode field selects\n"
    "                           with one that never tests it (off by default)\n"
    "  --color auto|always|never  colour the text output (default auto)\n"
    "  --source auto|always|never  show each location's source line (default: on a terminal)\n"
    "  -q, --quiet              no summary line on stderr\n"
    "  -v, --verbose            say each unit, its directory and flags, and its other database entries\n"
    "\n"
    "Exit status: 0 no findings at or above --fail-on; 1 findings; 2 usage or input\n"
    "error; 3 analysis incomplete (a file had errors or crashed the parser; the rest\n"
    "was analysed).\n";

static const char link_text[] =
    "\n"
    "link: links the facts files written by `check --emit-facts` and reports, as\n"
    "check does (check's report options, output and exit status apply).\n"
    "  FACTS...                 .tvf files, or directories of them\n"
    "  --dump-ir                print the IR the facts hold instead\n";

static const char rules_text[] =
    "\n"
    "rules: lists the rules, or prints one rule's documentation.\n"
    "  RULE-ID                  the rule's description and help\n"
    "  --format text|json|markdown  the list's format (default text)\n"
    "  -o, --output DIR         with markdown: write a page per rule there\n";

static const char dump_ir_text[] =
    "\n"
    "dump-ir: prints the IR the analyses see, for debugging models and tests.\n"
    "  --passes                 what the shared passes found (calls through pointers,\n"
    "                           functions that never return, the threads)\n"
    "  --summaries              every rule family's summary of every function\n"
    "  --points-to              what each pointer may point to\n"
    "  --models FILE            add an API model file\n"
    "  -- FLAGS                 compiler flags for the files\n";

static const char confirm_text[] =
    "\n"
    "confirm: marks each result of a static report confirmed or not-observed by the\n"
    "reports of runs (threadvet run), and adds what only the runs found.\n"
    "  -o, --output FILE        write the merged SARIF there (default stdout)\n"
    "  --fail-on confirmed|error|warning|note|none  exit 1 on confirmed (and run-only)\n"
    "                           results, or on results at or above a level (default warning)\n";

static const char lsp_text[] =
    "\n"
    "lsp: a language server (LSP 3.17 over stdin and stdout) for editors: publishes\n"
    "each open C file's findings, whole program behind them, as it is edited.\n"
    "  -p, --build-dir DIR      read DIR/compile_commands.json for every file\n"
    "  --compile-commands FILE  read this compilation database (default: as clangd, the\n"
    "                           nearest compile_commands.json or build/compile_commands.json\n"
    "                           above each file)\n"
    "  --config FILE            read this configuration (default: .threadvet.yaml of the\n"
    "                           workspace root or a parent)\n"
    "  --models FILE            add an API model file (YAML; repeatable)\n"
    "  --enable ID, --disable ID  turn a rule on or off (repeatable; `all` for every rule)\n"
    "  -j, --jobs N             parse N units at a time on the first analysis (default: cores)\n"
    "  --debounce MS            wait this long after an edit before analysing (default 300)\n"
    "  --cache-dir DIR          the facts cache to read and fill (default: check's, beside each database)\n"
    "  --no-cache               parse every unit; read and write no cache\n"
    "  --stdio                  accepted for clients that pass it (stdio is the transport)\n"
    "  -v, --verbose            log each analysis and its timing on stderr\n"
    "\n"
    "Exit status: 0 after shutdown and exit; 1 on exit without shutdown or when\n"
    "input ends; 2 usage error.\n";

void print_help(FILE *out) { fputs(usage_text, out), fputs(check_text, out); }
void print_command_help(FILE *out, const char *command) {
    fputs(usage_text, out);
    fputs(!strcmp(command, "rules")     ? rules_text
          : !strcmp(command, "dump-ir") ? dump_ir_text
          : !strcmp(command, "confirm") ? confirm_text
          : !strcmp(command, "link")    ? link_text
          : !strcmp(command, "lsp")     ? lsp_text
                                        : check_text,
          out);
}


static bool stdout_was_closed;

/* A closed descriptor 0, 1 or 2 (`>&-`) would be handed to the next file
 * we open, and the report would land in it. Each gets /dev/null instead:
 * read-only for stdout, so that writing the report there fails and is
 * said, write-only for stderr, so that messages vanish without blocking. */
static void guard_std_fds(void) {
    static const int modes[3] = {O_RDONLY, O_RDONLY, O_WRONLY};
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        if (fd == 1) stdout_was_closed = true;
        int got = open("/dev/null", modes[fd]);
        if (got >= 0 && got != fd) dup2(got, fd), close(got);
    }
}

int stdout_finish(int status) {
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return status;
    int e = errno;
    if (stdout_was_closed) fputs("threadvet: error: cannot write the output: stdout is closed\n", stderr);
    else fprintf(stderr, "threadvet: error: cannot write to stdout: %s\n", e ? strerror(e) : "write error");
    return EXIT_USAGE;
}

static int run_command(int argc, char **argv) {
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help(stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("threadvet %s (libclang %s)\n", THREADVET_VERSION, "19");
        return EXIT_CLEAN;
    }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "link")) return cmd_link(argc - 1, argv + 1);
    if (!strcmp(cmd, "rules")) return cmd_rules(argc - 1, argv + 1);
    if (!strcmp(cmd, "dump-ir")) return cmd_dump_ir(argc - 1, argv + 1);
    /* the runtime's commands (cc.c, run.c) */
    if (!strcmp(cmd, "cc")) return cmd_cc(argc - 1, argv + 1);
    if (!strcmp(cmd, "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "confirm")) return cmd_confirm(argc - 1, argv + 1);
    if (!strcmp(cmd, "lsp")) return cmd_lsp(argc - 1, argv + 1);
    return usage_error("unknown command '%s' (try 'threadvet --help')", cmd);
}

int main(int argc, char **argv) {
    guard_std_fds();
    /* `threadvet-cc` (a link to threadvet) is `threadvet cc`: CC=threadvet-cc */
    const char *base = strrchr(argv[0], '/');
    if (!strcmp(base ? base + 1 : argv[0], "threadvet-cc")) return cmd_cc(argc, argv);
    /* libclang then parses on the calling thread, a worker with a stack far
     * bigger than the 8 MB of its own parse thread (see parallel.c). Set
     * before any thread starts: setenv is not thread-safe. */
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    /* A crash is the supervisor's to handle (cli/supervise.c): libclang's
     * own recovery jumps out of a signal handler and goes on in a process
     * whose other threads may wait forever on a lock the crash held. */
    setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
    return stdout_finish(run_command(argc, argv));
}
