/* dump_ir.c — `threadvet dump-ir FILE... [-- FLAGS]`: the IR the analyses
 * see, for debugging models and testing the lowering. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"

typedef struct DumpRun { JobList jobs; ModelSet *ms; UnitBoard *board; } DumpRun;

/* Parse and print, in the supervised child: a file that crashes the
 * parser is named, and the others are still dumped. */
static int dump(void *arg) {
    DumpRun *r = arg;
    TuFacts **tus = xcalloc(r->jobs.njobs, sizeof(TuFacts *));
    FrontendOptions fo = {.models = r->ms};
    run_frontend(&r->jobs, &fo, 1, tus, r->board);
    int status = EXIT_CLEAN;
    for (int i = 0; i < r->jobs.njobs; i++) {
        for (int d = 0; d < tus[i]->ndiags; d++) {
            Diag *dg = &tus[i]->diags[d];
            fprintf(stderr, "%s:%u:%u: error: %s\n", dg->loc.file ? dg->loc.file : tus[i]->file, dg->loc.line,
                    dg->loc.col, dg->text);
            status = EXIT_INCOMPLETE;
        }
        ir_dump(stdout, tus[i]);
    }
    return status;
}

int cmd_dump_ir(int argc, char **argv) {
    VEC(const char *) files = {0};
    ModelSet *ms = models_new();
    Catalog cat = {0};
    char *err = NULL;
    if (!config_load_builtin(&cat, ms, &err)) fatal("shipped rules: %s", err);
    char **flags = NULL;
    int nflags = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            flags = argv + i + 1, nflags = argc - i - 1;
            break;
        } else if (!strcmp(argv[i], "--models")) {
            if (i + 1 == argc) return usage_error("option '--models' needs a value"); /* not "unknown" */
            if (!load_models(ms, argv[++i], &err)) return usage_error("%s", err);
        } else if (argv[i][0] == '-') {
            return usage_error("unknown option '%s' for dump-ir", argv[i]);
        } else {
            vec_push(&files, argv[i]);
        }
    }
    if (!files.len) return usage_error("dump-ir needs at least one FILE");
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    JobList jobs = {xcalloc(files.len, sizeof(Job)), files.len};
    for (int i = 0; i < files.len; i++) {
        if (access(files.data[i], R_OK) != 0) return usage_error("%s: %s", files.data[i], strerror(errno));
        jobs.jobs[i] = (Job){path_absolute(files.data[i], NULL), intern(cwd), flags, nflags, LANG_C};
    }
    static DumpRun r;
    r = (DumpRun){jobs, ms, board_new(jobs.njobs)};
    return supervise(r.board, dump, &r);
}
