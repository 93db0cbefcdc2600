/* buffer.c — in-process checking of one unit an editor holds unsaved,
 * linked with the facts of every other unit of its database (from the
 * cache; stale ones parsed and cached again). For `threadvet lsp`: no
 * process, no output, findings returned. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"
#include "facts/select.h"
#include "frontend/frontend.h"
#include "link/program.h"

typedef struct Parse {
    const Job *jobs; const int *todo; int n;
    TuFacts **out;
    const FrontendOptions *opt;
    atomic_int next;
} Parse;

static void *parse_worker(void *arg) {
    Parse *p = arg;
    Frontend *fe = frontend_new(p->opt);
    for (int i; (i = atomic_fetch_add(&p->next, 1)) < p->n;) p->out[p->todo[i]] = frontend_run(fe, &p->jobs[p->todo[i]]);
    frontend_free(fe);
    return NULL;
}

/* Parses jobs[todo[0..n)] on up to nthreads threads (each its own index). */
static void parse_units(Parse *p, int nthreads) {
    if (nthreads < 1) nthreads = 1;
    if (nthreads > p->n) nthreads = p->n;
    pthread_t t[64];
    int started = 0;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256u << 20); /* deep code recurses deeply (cli/parallel.c) */
    while (started < nthreads && started < 64 && pthread_create(&t[started], &attr, parse_worker, p) == 0) started++;
    pthread_attr_destroy(&attr);
    if (!started) parse_worker(p);
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
}

/* The job of bc->file in the database, or -1. */
static int find_unit(const JobList *jobs, const char *file) {
    for (int i = 0; i < jobs->njobs; i++)
        if (!strcmp(jobs->jobs[i].file, file) || same_file(jobs->jobs[i].file, file)) return i;
    return -1;
}

bool facts_check_buffer(const BufferCheck *bc, Findings *out, char **err) {
    JobList jobs = {0};
    if (!compdb_load(bc->compdb, NULL, 0, &jobs, err)) return false;
    char *file = path_absolute(bc->file, NULL);
    int self = find_unit(&jobs, file);
    if (self < 0) {
        *err = xasprintf("%s: no entry in %s", bc->file, bc->compdb);
        for (int i = 0; i < jobs.njobs; i++) free(jobs.jobs[i].args);
        free(file), free(jobs.jobs);
        return false;
    }
    facts_forget_file_hashes(); /* files changed since the last call */
    char *cerr = NULL;
    FactsCache *cache = facts_cache_open_for(bc->cache_dir, bc->compdb, bc->models, &cerr); /* none: everything is parsed */
    free(cerr);
    TuFacts **tus = xcalloc((size_t)jobs.njobs + 1, sizeof(TuFacts *));
    int *todo = xcalloc((size_t)jobs.njobs + 1, sizeof(int)), ntodo = 0;
    for (int i = 0; i < jobs.njobs; i++) {
        if (jobs.jobs[i].lang != LANG_C) continue;
        if (i != self && cache) tus[i] = facts_cache_get(cache, &jobs.jobs[i], false);
        if (!tus[i]) todo[ntodo++] = i;
    }
    FrontendOptions fo = {.models = bc->models, .unsaved_file = bc->text ? jobs.jobs[self].file : NULL,
                          .unsaved_text = bc->text, .unsaved_len = bc->len};
    Parse p = {.jobs = jobs.jobs, .todo = todo, .n = ntodo, .out = tus, .opt = &fo};
    parse_units(&p, bc->jobs);
    for (int k = 0; k < ntodo && cache; k++) /* not the buffer: it is not what is on disk */
        if (todo[k] != self || !bc->text) facts_cache_put(cache, &jobs.jobs[todo[k]], tus[todo[k]]);

    Program prog = {.whole_program = true};
    prog.tus = xcalloc((size_t)jobs.njobs + 1, sizeof(TuFacts *));
    for (int i = 0; i < jobs.njobs; i++)
        if (tus[i]) prog.tus[prog.ntus++] = tus[i];
    program_link(&prog, bc->models);
    AnalysisOptions ao = {.catalog = bc->catalog, .models = bc->models, .jobs = 1};
    Notification *notes = NULL;
    int nnotes = 0;
    Findings fs = {0};
    analyze_program(&prog, &ao, &fs, &notes, &nnotes);
    findings_sort_dedup(&fs);
    Selection *sel = selection_new();
    selection_add_file(sel, jobs.jobs[self].file);
    selection_filter(sel, &fs);
    selection_free(sel);
    *out = fs;
    program_free_links(&prog);
    facts_cache_close(cache);
    for (int i = 0; i < prog.ntus; i++) facts_free_tu(prog.tus[i]);
    for (int i = 0; i < jobs.njobs; i++) free(jobs.jobs[i].args); /* one block each (input/compdb.c) */
    free(prog.tus), free(tus), free(todo), free(file), free(jobs.jobs), free(notes);
    return true;
}
