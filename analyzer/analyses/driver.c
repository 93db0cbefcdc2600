/* driver.c — runs the rule families over the linked program (framework.h).
 *
 * 1. Which families run: those with an enabled rule, and the providers of
 *    passes they need (the locks family computes locksets even when its
 *    own rules are off).
 * 2. The shared passes they need, once: noreturn, topology.
 * 3. The families, in waves: those that need what another provides run
 *    after it; within a wave, side by side on threads when -j > 1 (each
 *    has its own summaries and findings; the program is read-only).
 * 4. For each family, every function bottom-up, SCC by SCC; a recursive
 *    SCC is analysed in quiet rounds until its summaries' dumps stop
 *    changing, then once more for its findings. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyses/passes.h"

#define MAX_ROUNDS 12   /* rounds for one recursive cycle to settle */

typedef VEC(Notification) NoteVec;

/* THREADVET_TIMING: where the analysis time goes, pass by pass, family by family. */
static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void timing(const char *what, double since) {
    if (getenv("THREADVET_TIMING")) fprintf(stderr, "threadvet:   %s %.3f s\n", what, seconds() - since);
}

struct FamilyRun {
    const Family *fam;
    Analysis *a;
    void *state;
    char *sums;          /* nfuncs summaries of fam->summary_size bytes */
    bool quiet;
    Findings out;
    NoteVec notes;
    VEC(const Function *) incomplete;
};

/* ------------------------------------------------------------ accessors */

void *family_state(const FamilyRun *r) { return r->state; }
void family_set_state(FamilyRun *r, void *state) { r->state = state; }
Analysis *family_analysis(const FamilyRun *r) { return r->a; }
Program *family_program(const FamilyRun *r) { return r->a->p; }
const ModelSet *family_models(const FamilyRun *r) { return r->a->models; }
bool family_quiet(const FamilyRun *r) { return r->quiet; }
const Program *analysis_program(const Analysis *a) { return a->p; }
const ModelSet *analysis_models(const Analysis *a) { return a->models; }

const Rule *family_rule(const FamilyRun *r, const char *id) {
    const Rule *rule = catalog_find(r->a->catalog, id);
    return rule && rule->enabled ? rule : NULL;
}

void *family_summary(const FamilyRun *r, const Function *fn) {
    if (!r->sums || fn->index < 0 || fn->index >= r->a->p->nfuncs || r->a->p->funcs[fn->index] != fn) return NULL;
    return r->sums + (size_t)fn->index * r->fam->summary_size;
}

void family_report(FamilyRun *r, Finding f) {
    if (r->quiet) {
        free(f.message), free(f.related);
        for (int i = 0; i < f.nflows; i++) free(f.flows[i].steps);
        free(f.flows);
        return;
    }
    findings_add(&r->out, f);
}

void family_incomplete(FamilyRun *r, const Function *fn, const char *why) {
    if (r->quiet) return;
    for (int i = 0; i < r->incomplete.len; i++)
        if (r->incomplete.data[i] == fn) return;
    vec_push(&r->incomplete, fn);
    Notification n = {fn->loc, xasprintf("the %s analysis of '%s' stopped early (%s); its results may be incomplete",
                                         r->fam->name, fn->name, why), LEVEL_WARNING};
    vec_push(&r->notes, n);
}

void family_note(FamilyRun *r, Loc at, const char *text) {
    if (r->quiet) return;
    vec_push(&r->notes, ((Notification){at, xasprintf("the %s analysis %s; its results may be incomplete",
                                                       r->fam->name, text), LEVEL_WARNING}));
}

/* ------------------------------------------------------------ the check */

static bool implements(const Family *f, const char *id) {
    for (const char *const *r = f->rules; r && *r; r++)
        if (!strcmp(*r, id)) return true;
    return false;
}

bool families_check(const Catalog *c, char **err) {
    for (int i = 0; i < c->nrules; i++) {
        const Rule *r = &c->rules[i];
        if (r->source && !strcmp(r->source, "runtime")) continue; /* the runtime's rules */
        int n = 0;
        for (int k = 0; families[k]; k++) n += implements(families[k], r->id);
        if (n != 1) {
            *err = xasprintf("rule '%s' is implemented by %d rule families (it needs exactly one)", r->id, n);
            return false;
        }
    }
    for (int k = 0; families[k]; k++)
        for (const char *const *r = families[k]->rules; r && *r; r++)
            if (!catalog_find(c, *r)) {
                *err = xasprintf("the %s family implements '%s', which the rule catalogue does not have",
                                 families[k]->name, *r);
                return false;
            }
    return true;
}

/* ------------------------------------------------------------- summaries */

static void *summary_at(FamilyRun *r, int i) { return r->sums + (size_t)i * r->fam->summary_size; }

static void summary_reset(FamilyRun *r, int i) {
    void *s = summary_at(r, i);
    if (r->fam->summary_free) r->fam->summary_free(s);
    memset(s, 0, r->fam->summary_size);
}

static char *summary_text(FamilyRun *r, int i) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) fatal("out of memory");
    r->fam->summary_dump(f, r->a->p->funcs[i], summary_at(r, i));
    fclose(f);
    return buf;
}

static bool calls_itself(const Program *p, const Function *fn) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            Function *const *t;
            int n = fn->blocks[b].ev[k].kind == EV_CALL ? program_call_targets(p, &fn->blocks[b].ev[k], &t) : 0;
            for (int i = 0; i < n; i++)
                if (t[i] == fn) return true;
        }
    return false;
}

static void analyse_range(FamilyRun *r, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
        summary_reset(r, i);
        r->fam->function(r, r->a->p->funcs[i]);
    }
}

/* A recursive cycle p->funcs[lo..hi): quiet rounds until the summaries
 * stop changing, then the round that reports. */
static void analyse_cycle(FamilyRun *r, int lo, int hi) {
    int n = hi - lo, round;
    char **before = xcalloc(n, sizeof(char *));
    r->quiet = true;
    for (round = 0; round < MAX_ROUNDS; round++) {
        analyse_range(r, lo, hi);
        bool same = true;
        for (int i = 0; i < n; i++) {
            char *now = r->fam->summary_dump ? summary_text(r, lo + i) : xstrdup("");
            same &= before[i] && !strcmp(before[i], now);
            if (getenv("THREADVET_DEBUG_FIXPOINT") && before[i] && strcmp(before[i], now))
                fprintf(stderr, "round %d %s %s:\n--- before\n%s--- now\n%s", round, r->fam->name, r->a->p->funcs[lo + i]->name,
                        before[i], now);
            free(before[i]);
            before[i] = now;
        }
        if (same) break;
    }
    r->quiet = false;
    if (round == MAX_ROUNDS)
        for (int i = lo; i < hi; i++)
            family_incomplete(r, r->a->p->funcs[i], "the summaries of its recursive calls did not settle");
    analyse_range(r, lo, hi);
    for (int i = 0; i < n; i++) free(before[i]);
    free(before);
}

static void run_functions(FamilyRun *r) {
    const Program *p = r->a->p;
    for (int lo = 0; lo < p->nfuncs;) {
        int hi = lo + 1;
        while (hi < p->nfuncs && p->funcs[hi]->scc == p->funcs[lo]->scc) hi++;
        if (hi - lo > 1 || calls_itself(p, p->funcs[lo])) analyse_cycle(r, lo, hi);
        else analyse_range(r, lo, hi);
        lo = hi;
    }
}

static void dump_summaries(FamilyRun *r, FILE *out) {
    if (!r->fam->summary_dump) return;
    for (int i = 0; i < r->a->p->nfuncs; i++) {
        char *text = summary_text(r, i);
        if (*text) fprintf(out, "%s summary of %s:\n%s", r->fam->name, r->a->p->funcs[i]->name, text);
        free(text);
    }
}

/* ------------------------------------------------------------ families */

typedef struct FamJob { FamilyRun run; FILE *dump; } FamJob;

static void *run_family(void *arg) {
    FamJob *j = arg;
    FamilyRun *r = &j->run;
    const Family *f = r->fam;
    double t0 = seconds();
    if (f->summary_size) r->sums = xcalloc((size_t)r->a->p->nfuncs + 1, f->summary_size);
    if (f->begin) f->begin(r);
    if (f->function) run_functions(r);
    if (f->finish) f->finish(r);
    if (j->dump) dump_summaries(r, j->dump);
    timing(internf("%s family", f->name), t0);
    return NULL;
}

static void end_family(FamilyRun *r) {
    if (r->fam->end) r->fam->end(r);
    for (int i = 0; r->sums && i < r->a->p->nfuncs; i++) summary_reset(r, i);
    free(r->sums), free(r->incomplete.data);
    r->sums = NULL;
}

static bool family_enabled(const Family *f, const Catalog *c) {
    for (const char *const *r = f->rules; r && *r; r++) {
        const Rule *rule = catalog_find(c, *r);
        if (rule && rule->enabled) return true;
    }
    return false;
}

/* Runs the jobs side by side, up to `threads` at a time. */
static void run_wave(FamJob **jobs, int n, int threads) {
    pthread_t t[16];
    int started = 0;
    for (int i = 0; i < n; i++) {
        bool spare = threads > 1 && started < threads - 1 && started < 16 && i + 1 < n;
        if (spare && pthread_create(&t[started], NULL, run_family, jobs[i]) == 0) started++;
        else run_family(jobs[i]);
    }
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
}

Analysis *analysis_new(Program *p, const AnalysisOptions *opt, unsigned passes) {
    Analysis *a = xcalloc(1, sizeof *a);
    a->p = p, a->catalog = opt->catalog, a->models = opt->models, a->race_shared_code = opt->race_shared_code;
    double t0 = seconds();
    noreturn_compute(a);
    timing("noreturn pass", t0);
    a->computed = NEEDS(PASS_NORETURN) | NEEDS(PASS_CALLS);
    t0 = seconds();
    a->requested = passes;
    if (passes & NEEDS(PASS_POINTS_TO)) passes |= NEEDS(PASS_TOPOLOGY); /* creates bind thread arguments */
    if (passes & NEEDS(PASS_TOPOLOGY)) a->topo = topology_compute(a), a->computed |= NEEDS(PASS_TOPOLOGY);
    timing("topology pass", t0);
    t0 = seconds();
    if (passes & NEEDS(PASS_POINTS_TO)) a->pt = points_to_compute(a), a->computed |= NEEDS(PASS_POINTS_TO);
    timing("points-to pass", t0);
    return a;
}

void analysis_free(Analysis *a) {
    if (!a) return;
    free(a->noreturn);
    topology_free(a->topo);
    points_to_free(a->pt);
    locktable_free(a->locks);
    free(a);
}

void analyze_program(Program *p, const AnalysisOptions *opt, Findings *out, Notification **notes, int *nnotes) {
    int nf = 0;
    while (families[nf]) nf++;
    bool *on = xcalloc(nf + 1, 1);
    unsigned needs = 0;
    for (int i = 0; i < nf; i++)
        if ((on[i] = family_enabled(families[i], opt->catalog))) needs |= families[i]->requires;
    for (int i = 0; i < nf; i++) /* providers of what the others need */
        if (families[i]->provides & needs) on[i] = true, needs |= families[i]->requires;
    unsigned provided = 0;
    for (int i = 0; i < nf; i++)
        if (on[i]) provided |= families[i]->provides;
    Analysis *a = analysis_new(p, opt, needs);
    if (provided & NEEDS(PASS_LOCKSETS)) a->locks = locktable_new();
    FamJob *jobs = xcalloc(nf + 1, sizeof(FamJob));
    FamJob **wave = xcalloc(nf + 1, sizeof(FamJob *));
    for (int w = 0; w < 2; w++) {
        int n = 0;
        for (int i = 0; i < nf; i++) {
            bool late = (families[i]->requires & NEEDS(PASS_LOCKSETS)) && !(families[i]->provides & NEEDS(PASS_LOCKSETS));
            if (!on[i] || late != (w == 1)) continue;
            jobs[i] = (FamJob){{.fam = families[i], .a = a}, opt->dump_summaries};
            wave[n++] = &jobs[i];
        }
        run_wave(wave, n, opt->jobs);
        if (w == 0 && a->locks) locktable_finish(a);
    }
    NoteVec all = {0};
    for (int i = 0; i < nf; i++) {
        if (!on[i]) continue;
        for (int k = 0; k < jobs[i].run.out.v.len; k++) findings_add(out, jobs[i].run.out.v.data[k]);
        for (int k = 0; k < jobs[i].run.notes.len; k++) vec_push(&all, jobs[i].run.notes.data[k]);
        free(jobs[i].run.out.v.data), free(jobs[i].run.notes.data);
        end_family(&jobs[i].run);
    }
    *notes = all.data, *nnotes = all.len;
    free(jobs), free(wave), free(on);
    analysis_free(a);
}

/* -------------------------------------------------------------- dumping */

void analysis_dump(FILE *out, const Analysis *a, const Function *fn) {
    if (a->requested & NEEDS(PASS_TOPOLOGY)) { /* --passes */
        if (fn_noreturn(a, fn)) fputs("  never returns\n", out);
        topology_dump_function(out, a, fn);
    }
    if (a->requested & NEEDS(PASS_POINTS_TO)) points_to_dump_function(out, a, fn);
}

void analysis_dump_program(FILE *out, const Analysis *a) {
    if (a->requested & NEEDS(PASS_TOPOLOGY)) topology_dump(out, a);
    if (a->requested & NEEDS(PASS_POINTS_TO)) points_to_dump(out, a);
}
