/* lsp.c — `threadvet lsp`: the language server's options; the server
 * itself is analyzer/lsp/. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lsp/lsp.h"

/* -p's database: DIR/compile_commands.json, or the file itself. */
static const char *db_of(const char *v) {
    struct stat st;
    char *abs = path_absolute(v, NULL);
    const char *db = stat(abs, &st) == 0 && S_ISDIR(st.st_mode) ? internf("%s/compile_commands.json", abs) : intern(abs);
    free(abs);
    return db;
}

static int parse_options(int argc, char **argv, ServerOptions *o) {
    static VEC(const char *) models, enable, disable;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool err = false;
#define OPT(name) ((v = take_value(argc, argv, &i, a, name, &err)) != NULL || err)
        if (!strcmp(a, "--stdio")) {
            /* the only transport; clients such as vscode-languageclient pass it */
        } else if (OPT("-p") || OPT("--build-dir") || OPT("--compile-commands")) {
            if (err) return EXIT_USAGE;
            o->db = db_of(v);
            if (access(o->db, R_OK) != 0) return usage_error("%s: cannot read the compilation database", o->db);
        } else if (OPT("--config")) {
            if (err) return EXIT_USAGE;
            if (access(v, R_OK) != 0) return usage_error("%s: cannot read the configuration", v);
            o->config = v;
        } else if (OPT("--models")) {
            if (err) return EXIT_USAGE;
            vec_push(&models, v);
        } else if (OPT("--enable")) {
            if (err) return EXIT_USAGE;
            vec_push(&enable, v);
        } else if (OPT("--disable")) {
            if (err) return EXIT_USAGE;
            vec_push(&disable, v);
        } else if (OPT("-j") || OPT("--jobs")) {
            if (err) return EXIT_USAGE;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256) return usage_error("-j needs a number from 1 to 256, not '%s'", v);
            o->settings.jobs = (int)n;
        } else if (OPT("--debounce")) {
            if (err) return EXIT_USAGE;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 0 || n > 60000) return usage_error("--debounce needs milliseconds from 0 to 60000, not '%s'", v);
            o->debounce_ms = (int)n;
        } else if (OPT("--cache-dir")) {
            if (err) return EXIT_USAGE;
            o->settings.cache_dir = v;
        } else if (!strcmp(a, "--no-cache")) {
            o->settings.no_cache = true;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->settings.verbose = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_command_help(stdout, "lsp");
            return EXIT_CLEAN;
        } else {
            return usage_error("unknown option '%s' (try 'threadvet lsp --help')", a);
        }
#undef OPT
    }
    o->models = models.data, o->nmodels = models.len;
    o->enable = enable.data, o->nenable = enable.len;
    o->disable = disable.data, o->ndisable = disable.len;
    return -1;
}

int cmd_lsp(int argc, char **argv) {
    static ServerOptions o;
    o = (ServerOptions){.debounce_ms = 300, .settings = {.jobs = default_jobs()}};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0) return rc;
    if (isatty(STDIN_FILENO))
        fprintf(stderr, "threadvet lsp: a language server: an editor starts it and speaks LSP on stdin and stdout\n");
    /* The protocol owns stdout: anything else printed there would corrupt
     * it, so stdout goes to stderr and the protocol to a descriptor of its own. */
    fflush(stdout);
    int proto = dup(STDOUT_FILENO);
    if (proto < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        perror("threadvet lsp: stdout");
        return EXIT_USAGE;
    }
    lsp_set_output(proto);
    return lsp_serve(&o);
}
