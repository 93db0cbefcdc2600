/* main.c — `threadvet COMMAND ...`: dispatch, --help and --version. */
#include <string.h>

#include "cli.h"

static const char help_text[] =
    "threadvet " THREADVET_VERSION " - a concurrency checker for C\n"
    "\n"
    "Usage:\n"
    "  threadvet check [options] [FILE|DIR...] [-- COMPILER_FLAGS]\n"
    "  threadvet rules [--format text|json|markdown] [-o DIR]\n"
    "  threadvet dump-ir [options] FILE... [-- COMPILER_FLAGS]\n"
    "  threadvet --version | --help\n"
    "\n"
    "check: analyses C translation units and reports concurrency bugs.\n"
    "  FILE|DIR...              files to analyse (a directory means every .c file under it);\n"
    "                           with a compilation database, only its entries for these\n"
    "  -p, --build-dir DIR      read DIR/compile_commands.json\n"
    "  --compile-commands FILE  read this compilation database\n"
    "                           (default: compile_commands.json in . or a parent, unless\n"
    "                           files are given with `--`)\n"
    "  -- FLAGS                 compiler flags for FILEs (no database is read)\n"
    "  -j, --jobs N             parse N translation units at a time (default: cores)\n"
    "  --format text|sarif      output format (default text)\n"
    "  -o, --output FILE        write the output there (default stdout)\n"
    "  --sarif FILE             also write SARIF 2.1.0 to FILE\n"
    "  --srcroot DIR            root for SARIF's relative URIs (default: the git top\n"
    "                           level of the current directory, else the directory)\n"
    "  --models FILE            add an API model file (YAML; repeatable)\n"
    "  --enable ID, --disable ID  turn a rule on or off (repeatable; `all` for every rule)\n"
    "  --fail-on LEVEL          exit 1 when a finding is at or above LEVEL:\n"
    "                           error, warning (default), note, none\n"
    "  --color auto|always|never  colour the text output (default auto)\n"
    "  -q, --quiet              no summary line on stderr\n"
    "\n"
    "Exit status: 0 no findings at or above --fail-on; 1 findings; 2 usage or input\n"
    "error; 3 analysis incomplete (a file had errors; the rest was analysed).\n";

void print_help(FILE *out) { fputs(help_text, out); }

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(help_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(help_text, stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("threadvet %s (libclang %s)\n", THREADVET_VERSION, "19");
        return EXIT_CLEAN;
    }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "rules")) return cmd_rules(argc - 1, argv + 1);
    if (!strcmp(cmd, "dump-ir")) return cmd_dump_ir(argc - 1, argv + 1);
    return usage_error("unknown command '%s' (try 'threadvet --help')", cmd);
}
