/* dump_ir.c — `threadvet dump-ir [--passes] [--summaries] [--points-to] FILE... [-- FLAGS]`:
 * the IR the analyses see, for debugging models and testing the lowering;
 * with --passes, what the shared passes found (calls resolved through
 * pointers, functions that never return, the threads); with --summaries,
 * every rule family's summary of every function; with --points-to, what
 * each pointer may point to. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"

/* An indirect call: what linking resolved it to. */
static void annotate_call(FILE *out, const Event *ev, void *ctx) {
    const Program *p = ctx;
    if (ev->kind != EV_CALL || ev->callee) return;
    Callee c = program_call(p, ev);
    Function *const *targets;
    int n = program_call_targets(p, ev, &targets);
    if (c.model) fprintf(out, " -> %s (model)", c.name);
    else if (c.def) fprintf(out, " -> %s", c.def->name);
    else if (n > 1) {
        fputs(" -> one of", out);
        for (int i = 0; i < n; i++) fprintf(out, "%s %s", i ? "," : "", targets[i]->name);
    } else {
        fputs(" -> unknown", out);
    }
}

static void annotate_function(FILE *out, const Function *fn, void *ctx) { analysis_dump(out, ctx, fn); }

typedef struct Annotator { const Program *p; const Analysis *a; } Annotator;

static void on_event(FILE *out, const Event *ev, void *ctx) { annotate_call(out, ev, (void *)((Annotator *)ctx)->p); }
static void on_function(FILE *out, const Function *fn, void *ctx) { annotate_function(out, fn, (void *)((Annotator *)ctx)->a); }

typedef struct DumpRun {
    JobList jobs;
    ModelSet *ms;
    Catalog *cat;
    UnitBoard *board;
    bool passes, summaries, points_to;
} DumpRun;

/* Parse, print and (with --passes, --summaries) analyse, in the supervised
 * child: a file that crashes the parser is named, the others still dumped. */
static int dump(void *arg) {
    DumpRun *r = arg;
    int nfiles = r->jobs.njobs;
    TuFacts **tus = xcalloc(nfiles, sizeof(TuFacts *));
    FrontendOptions fo = {.models = r->ms};
    run_frontend(&r->jobs, &fo, 1, tus, r->board);
    int status = EXIT_CLEAN;
    Program prog = {.tus = tus, .ntus = nfiles, .whole_program = true};
    Analysis *a = NULL;
    AnalysisOptions ao = {.catalog = r->cat, .models = r->ms, .jobs = 1};
    if (r->passes || r->summaries || r->points_to) {
        program_link(&prog, r->ms);
        unsigned passes = (r->passes ? NEEDS(PASS_TOPOLOGY) | NEEDS(PASS_ACCESS_JOINS) : 0) | (r->points_to ? NEEDS(PASS_POINTS_TO) : 0);
        if (passes) a = analysis_new(&prog, &ao, passes);
    }
    Annotator an = {&prog, a};
    DumpHooks hooks = {on_function, on_event, &an};
    for (int i = 0; i < nfiles; i++) {
        for (int d = 0; d < tus[i]->ndiags; d++) {
            Diag *dg = &tus[i]->diags[d];
            fprintf(stderr, "%s:%u:%u: error: %s\n", dg->loc.file ? dg->loc.file : tus[i]->file, dg->loc.line,
                    dg->loc.col, dg->text);
            status = EXIT_INCOMPLETE;
        }
        ir_dump_with(stdout, tus[i], a ? &hooks : NULL);
    }
    if (a) analysis_dump_program(stdout, a);
    if (r->summaries) { /* every family, whatever its rules' defaults */
        for (int i = 0; i < r->cat->nrules; i++) r->cat->rules[i].enabled = true;
        Findings fs = {0};
        Notification *notes;
        int nnotes;
        ao.dump_summaries = stdout;
        fflush(stdout);
        analyze_program(&prog, &ao, &fs, &notes, &nnotes);
    }
    analysis_free(a);
    return status;
}

int cmd_dump_ir(int argc, char **argv) {
    VEC(const char *) files = {0};
    ModelSet *ms = models_new();
    static Catalog cat; /* lives through the child's run */
    cat = (Catalog){0};
    char *err = NULL;
    if (!config_load_builtin(&cat, ms, &err)) fatal("shipped rules: %s", err);
    char **flags = NULL;
    int nflags = 0;
    bool passes = false, summaries = false, points_to = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--passes")) {
            passes = true;
        } else if (!strcmp(argv[i], "--summaries")) {
            summaries = true;
        } else if (!strcmp(argv[i], "--points-to")) {
            points_to = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            print_command_help(stdout, "dump-ir");
            return EXIT_CLEAN;
        } else if (!strcmp(argv[i], "--")) {
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
        jobs.jobs[i] = (Job){path_absolute(files.data[i], NULL), intern(cwd), flags, nflags, LANG_C, 0};
    }
    static DumpRun r;
    r = (DumpRun){jobs, ms, &cat, board_new(jobs.njobs), passes, summaries, points_to};
    return supervise(r.board, dump, &r);
}
