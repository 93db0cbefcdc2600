/* link_cmd.c — `threadvet link FACTS... [options]`: the reduce step. It is
 * `check --facts F` for every FACTS (a .tvf file or a directory of them),
 * with check's reporting options, output and exit status; `--dump-ir`
 * prints the IR the facts hold instead (what dump-ir prints from source). */
#include <string.h>

#include "cli.h"
#include "config/config.h"
#include "facts/facts.h"

/* check's options that take their value as the next argument. */
static bool takes_value(const char *a) {
    static const char *const opts[] = {"-j", "--jobs", "--format", "-o", "--output", "--sarif", "--sarif-category",
                                       "--srcroot", "--config", "--models", "--enable", "--disable", "--fail-on",
                                       "--color", "--source", "--baseline", "--write-baseline", "--facts"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (!strcmp(a, opts[i])) return true;
    return false;
}

/* --dump-ir: each unit's IR, as `dump-ir FILE` prints it from source. */
static int dump_facts(int argc, char **argv) {
    ModelSet *ms = models_new();
    Catalog cat = {0};
    char *err = NULL;
    if (!config_load_builtin(&cat, ms, &err)) fatal("shipped rules: %s", err);
    int status = EXIT_CLEAN, n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dump-ir")) continue;
        if (!strcmp(argv[i], "--models")) {
            if (i + 1 == argc) return usage_error("option '--models' needs a value");
            if (!load_models(ms, argv[++i], &err)) return usage_error("%s", err);
            continue;
        }
        UnitFacts *uf = facts_read(argv[i], ms, &err);
        if (!uf) return usage_error("%s", err);
        for (int d = 0; d < uf->tu->ndiags; d++) {
            Diag *dg = &uf->tu->diags[d];
            fprintf(stderr, "%s:%u:%u: error: %s\n", dg->loc.file ? dg->loc.file : uf->tu->file, dg->loc.line,
                    dg->loc.col, dg->text);
            status = EXIT_INCOMPLETE;
        }
        ir_dump(stdout, uf->tu);
        n++;
    }
    return n ? status : usage_error("link --dump-ir needs at least one facts file");
}

int cmd_link(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            print_command_help(stdout, "link");
            return EXIT_CLEAN;
        }
        if (!strcmp(argv[i], "--dump-ir")) return dump_facts(argc, argv);
    }
    char **args = xcalloc((size_t)argc * 2 + 1, sizeof(char *));
    int n = 0, nfacts = 0;
    args[n++] = "check";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && strcmp(a, "-")) {
            if (!strcmp(a, "--") || !strcmp(a, "-p") || !strncmp(a, "--emit-facts", 12) ||
                !strncmp(a, "--changed-since", 15) || !strncmp(a, "--compile-commands", 18))
                return usage_error("link takes facts files, not '%s' (that is check's)", a);
            args[n++] = argv[i];
            if (takes_value(a) && i + 1 < argc) args[n++] = argv[++i];
            continue;
        }
        args[n++] = "--facts", args[n++] = argv[i], nfacts++;
    }
    if (!nfacts) return usage_error("link needs facts files (FILE.tvf or a directory of them)");
    return cmd_check(n, args);
}
