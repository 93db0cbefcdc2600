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

#include "analyses/engine.h"
#include "analyses/passes.h"

#define MAX_ROUNDS 12   /* rounds for one recursive cycle to settle */

typedef VEC(Notification) NoteVec;

/* THREADVET_TIMING: where the analysis time goes, pass by pass, family by family. */
static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void timing_of(const char *what, double took) {
    if (getenv("THREADVET_TIMING")) fprintf(stderr, "threadvet:   %s %.3f s\n", what, took);
}

static void timing(const char *what, double since) { timing_of(what, seconds() - since); }

struct FamilyRun {
    const Family *fam;
    Analysis *a;
    void *state;
    char *sums;          /* nfuncs summaries of fam->summary_size bytes */
    bool *ready;         /* by function index: its summary is final (ready_first) */
    bool trust_all;      /* every summary counts as ready (a cycle past its ready-first rounds) */
    bool asked_unready;  /* the function being analysed asked for an unready summary */
    bool guessed;        /* ... and left out one that could matter (family_guessed) */
    bool quiet;
    Findings out;
    NoteVec notes;
    VEC(const Function *) incomplete;
    long analysed;       /* function analyses, cycles' repeats included (THREADVET_TIMING) */
    double took;         /* seconds spent in it (THREADVET_TIMING) */
};

/* ------------------------------------------------------------ accessors */

void *family_state(const FamilyRun *r) { return r->state; }
void family_set_state(FamilyRun *r, void *state) { r->state = state; }
Analysis *family_analysis(const FamilyRun *r) { return r->a; }
Program *family_program(const FamilyRun *r) { return r->a->p; }
const ModelSet *family_models(const FamilyRun *r) { return r->a->models; }
bool family_quiet(const FamilyRun *r) { return r->quiet; }

/* Whether fn's summary, even empty, says what it does (family_summary_ready
 * without marking the asker). */
static bool summary_known(const FamilyRun *r, const Function *fn) {
    return !r->fam->ready_first || r->trust_all || fn->index < 0 || fn->index >= r->a->p->nfuncs || r->ready[fn->index];
}

void family_guessed(FamilyRun *r) { r->guessed = true; }

bool family_summary_ready(FamilyRun *r, const Function *fn) {
    if (summary_known(r, fn)) return true;
    r->asked_unready = true;
    return false;
}

const Program *analysis_program(const Analysis *a) { return a->p; }
Shape *analysis_shape(const Analysis *a, const Function *fn) {
    bool ours = a->shapes && fn->index >= 0 && fn->index < a->p->nfuncs && a->p->funcs[fn->index] == fn;
    if (ours && !a->shapes[fn->index] && a->shapes_lazy) /* one thread: made when first explored */
        a->shapes[fn->index] = shape_new(a->p->funcs[fn->index]);
    return ours ? a->shapes[fn->index] : NULL;
}
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

bool family_nothing_in(FamilyRun *r, const Function *fn, bool (*own_op)(const Model *m),
                       bool (*says)(const void *summary)) {
    const Program *p = family_program(r);
    for (int k = 0; k < fn->ncallev; k++) {
        const Event *ev = fn->callev[k];
        if (own_op(ev->model) || own_op(program_call(p, ev).model)) return false;
        Function *const *t;
        int n = program_call_targets(p, ev, &t);
        for (int i = 0; i < n; i++)
            if (says(family_summary(r, t[i])) || !family_summary_ready(r, t[i])) return false; /* not known yet: see */
    }
    return true;
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

static void analyse_range(FamilyRun *r, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
        summary_reset(r, i);
        r->asked_unready = r->guessed = false;
        r->fam->function(r, r->a->p->funcs[i]);
        r->ready[i] = !r->asked_unready;
        r->analysed++;
    }
}

/* Who in the cycle p->funcs[lo..hi) calls (or names) whom: callers[i]
 * lists the cycle's functions whose summaries read function lo+i's. */
typedef VEC(int) IntVec;

static IntVec *cycle_callers(const Program *p, int lo, int hi) {
    IntVec *callers = xcalloc(hi - lo, sizeof(IntVec));
    for (int i = lo; i < hi; i++) {
        const Function *fn = p->funcs[i];
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                Function *const *t;
                int n = ev->kind == EV_CALL ? program_call_targets(p, ev, &t) : 0;
                for (int a = -1; a < ev->nargs; a++) {
                    const Function *g = a < 0 ? NULL : program_function_ref(p, fn, &ev->args[a]);
                    for (int j = 0; j < (a < 0 ? n : 1); j++) {
                        const Function *c = a < 0 ? t[j] : g;
                        if (!c || c->index < lo || c->index >= hi) continue;
                        IntVec *v = &callers[c->index - lo];
                        if (!v->len || v->data[v->len - 1] != i) vec_push(v, i);
                    }
                }
            }
    }
    return callers;
}

/* An order of the cycle's n functions with callees before their callers
 * wherever a call is not a way back (a depth-first postorder over the
 * calls), so one pass carries a change up most of the cycle. */
static int *callees_first(const IntVec *callers, int n, int lo) {
    IntVec *callees = xcalloc(n, sizeof(IntVec));
    for (int c = 0; c < n; c++)
        for (int k = 0; k < callers[c].len; k++) vec_push(&callees[callers[c].data[k] - lo], c);
    int *order = xmalloc(sizeof(int) * (n + 1)), norder = 0;
    int *stack = xmalloc(sizeof(int) * (n + 1)), *next = xcalloc(n + 1, sizeof(int));
    bool *seen = xcalloc(n + 1, 1);
    for (int root = 0; root < n; root++) {
        if (seen[root]) continue;
        int sp = 0;
        stack[sp++] = root, seen[root] = true;
        while (sp) {
            int v = stack[sp - 1];
            if (next[v] < callees[v].len) {
                int w = callees[v].data[next[v]++];
                if (!seen[w]) seen[w] = true, stack[sp++] = w;
            } else {
                order[norder++] = v, sp--;
            }
        }
    }
    for (int i = 0; i < n; i++) free(callees[i].data);
    free(callees), free(stack), free(next), free(seen);
    return order;
}

/* Family.ready_first: a first round over the cycle in callees-first
 * order, where a summary is final when its callees in the cycle were
 * (family_summary_ready) and one that is not is left out; then every
 * summary counts, and the next rounds analyse again what this one could
 * not finish: a function that left out a summary that could matter
 * (family_guessed), or that called one analysed after it (it saw that
 * summary empty). before[] gets each summary's dump. */
static void ready_round(FamilyRun *r, int lo, const int *order, const IntVec *callers, int n, char **before, bool *dirty) {
    int *stamp = xmalloc(sizeof(int) * ((size_t)n + 1));
    for (int o = 0; o < n; o++) {
        int i = order[o];
        analyse_range(r, lo + i, lo + i + 1);
        stamp[i] = o;
        dirty[i] = r->guessed;
    }
    for (int i = 0; i < n; i++) {
        before[i] = r->fam->summary_dump ? summary_text(r, lo + i) : xstrdup("");
        for (int k = 0; *before[i] && k < callers[i].len; k++) { /* c saw i's summary empty (itself, too) */
            int c = callers[i].data[k] - lo;
            if (stamp[c] <= stamp[i]) dirty[c] = true;
        }
    }
    free(stamp);
    r->trust_all = true;
}

/* A recursive cycle p->funcs[lo..hi): quiet passes until the summaries
 * stop changing, then the pass that reports. After the first pass only
 * the callers of a function whose summary changed are analysed again (a
 * cycle can hold a thousand functions; most settle at once). */
static void analyse_cycle(FamilyRun *r, int lo, int hi) {
    const Program *p = r->a->p;
    int n = hi - lo;
    char **before = xcalloc(n, sizeof(char *));
    bool *dirty = xmalloc(n), *next = xcalloc(n, 1);
    memset(dirty, 1, n);
    IntVec *callers = cycle_callers(p, lo, hi);
    int *order = callees_first(callers, n, lo), *rank = xmalloc(sizeof(int) * (n + 1));
    for (int i = 0; i < n; i++) rank[order[i]] = i;
    r->quiet = true;
    if (r->fam->ready_first) ready_round(r, lo, order, callers, n, before, dirty);
    bool settled = false;
    for (int round = 0; round < MAX_ROUNDS && !settled; round++) {
        settled = true;
        for (int o = 0; o < n; o++) {
            int i = order[o];
            if (!dirty[i]) continue;
            dirty[i] = false;
            analyse_range(r, lo + i, lo + i + 1);
            char *now = r->fam->summary_dump ? summary_text(r, lo + i) : xstrdup("");
            bool same = before[i] && !strcmp(before[i], now);
            if (getenv("THREADVET_DEBUG_FIXPOINT") && before[i] && !same)
                fprintf(stderr, "round %d %s %s:\n--- before\n%s--- now\n%s", round, r->fam->name, p->funcs[lo + i]->name,
                        before[i], now);
            free(before[i]);
            before[i] = now;
            if (same) continue;
            settled = false;
            for (int k = 0; k < callers[i].len; k++) { /* later callers see it this pass, earlier ones the next */
                int c = callers[i].data[k] - lo;
                if (rank[c] > o) dirty[c] = true;
                else next[c] = true;
            }
        }
        for (int i = 0; i < n; i++) dirty[i] |= next[i], next[i] = false;
    }
    r->quiet = false;
    if (!settled)
        for (int i = lo; i < hi; i++)
            family_incomplete(r, p->funcs[i], "the summaries of its recursive calls did not settle");
    analyse_range(r, lo, hi);
    r->trust_all = false; /* (the last pass trusts them too: they settled) */
    for (int i = 0; i < n; i++) free(before[i]), free(callers[i].data);
    free(before), free(dirty), free(next), free(callers), free(order), free(rank);
}

static void analyse_scc(FamilyRun *r, int lo, int hi) {
    if (hi - lo > 1 || r->a->p->funcs[lo]->self_call) analyse_cycle(r, lo, hi);
    else analyse_range(r, lo, hi);
}

static void run_functions(FamilyRun *r) {
    for (int lo = 0, hi; lo < r->a->p->nfuncs; lo = hi) analyse_scc(r, lo, hi = program_scc_end(r->a->p, lo));
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

static void family_start(FamilyRun *r) {
    double t0 = seconds();
    const Family *f = r->fam;
    if (f->summary_size) r->sums = xcalloc((size_t)r->a->p->nfuncs + 1, f->summary_size);
    r->ready = xcalloc((size_t)r->a->p->nfuncs + 1, 1);
    if (f->begin) f->begin(r);
    r->took += seconds() - t0;
}

static void family_done(FamJob *j) {
    FamilyRun *r = &j->run;
    double t0 = seconds();
    if (r->fam->finish) r->fam->finish(r);
    if (j->dump) dump_summaries(r, j->dump);
    r->took += seconds() - t0;
    timing_of(internf("%s family (%ld analyses of %d functions)", r->fam->name, r->analysed, r->a->p->nfuncs), r->took);
}

static void *run_family(void *arg) {
    FamJob *j = arg;
    family_start(&j->run);
    double t0 = seconds();
    if (j->run.fam->function) run_functions(&j->run);
    j->run.took += seconds() - t0;
    family_done(j);
    return NULL;
}

/* One thread for all: the families take each component in turn, so the
 * second and third read a function's events while the first left them in
 * the cache (each family's own walk over the whole program read them all
 * from memory again). Each family's own order and results are unchanged:
 * families read only their own summaries. */
static void run_lockstep(FamJob **jobs, int n) {
    for (int i = 0; i < n; i++) family_start(&jobs[i]->run);
    const Program *p = n ? jobs[0]->run.a->p : NULL;
    bool timed = getenv("THREADVET_TIMING") != NULL;
    for (int lo = 0, hi; p && lo < p->nfuncs; lo = hi) {
        ir_prefetch_ahead(p->funcs, p->nfuncs, lo);
        hi = program_scc_end(p, lo);
        if (hi < p->nfuncs) ir_prefetch_function(p->funcs[hi]); /* the next component's first, fetched meanwhile */
        for (int i = 0; i < n; i++) {
            FamilyRun *r = &jobs[i]->run;
            if (!r->fam->function) continue;
            double t0 = timed ? seconds() : 0;
            analyse_scc(r, lo, hi);
            if (timed) r->took += seconds() - t0;
        }
    }
    for (int i = 0; i < n; i++) family_done(jobs[i]);
}

static void end_family(FamilyRun *r) {
    if (r->fam->end) r->fam->end(r);
    for (int i = 0; r->sums && i < r->a->p->nfuncs; i++) summary_reset(r, i);
    free(r->sums), free(r->incomplete.data), free(r->ready);
    r->sums = NULL, r->ready = NULL;
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
    if (threads <= 1) {
        run_lockstep(jobs, n);
        return;
    }
    pthread_t t[16];
    int started = 0;
    for (int i = 0; i < n; i++) {
        bool spare = threads > 1 && started < threads - 1 && started < 16 && i + 1 < n;
        if (spare && pthread_create(&t[started], NULL, run_family, jobs[i]) == 0) started++;
        else run_family(jobs[i]);
    }
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
}

/* Each function's shape depends on its own IR alone: with -j N, N
 * threads take a run of functions each. */
typedef struct ShapeJob { Analysis *a; int from, to; } ShapeJob;

static void *shapes_of(void *arg) {
    const ShapeJob *j = arg;
    for (int i = j->from; i < j->to; i++) j->a->shapes[i] = shape_new(j->a->p->funcs[i]);
    return NULL;
}

/* With one thread a function's shape is made when a pass first explores
 * it, while its events are in the cache for that exploration (a pass of
 * its own read them all from memory once more); with more, N threads make
 * them all up front, since families explore side by side. */
static void compute_shapes(Analysis *a, int jobs) {
    a->shapes = xcalloc((size_t)a->p->nfuncs + 1, sizeof(Shape *));
    if (jobs <= 1) {
        a->shapes_lazy = true;
        return;
    }
    enum { MAX_SHAPE_THREADS = 16, MIN_PER_THREAD = 512 };
    int n = jobs < MAX_SHAPE_THREADS ? jobs : MAX_SHAPE_THREADS;
    if (n > a->p->nfuncs / MIN_PER_THREAD) n = a->p->nfuncs / MIN_PER_THREAD;
    if (n < 1) n = 1;
    ShapeJob job[MAX_SHAPE_THREADS];
    pthread_t t[MAX_SHAPE_THREADS];
    bool started[MAX_SHAPE_THREADS] = {false};
    for (int i = 0; i < n; i++) job[i] = (ShapeJob){a, (int)((long)a->p->nfuncs * i / n), (int)((long)a->p->nfuncs * (i + 1) / n)};
    for (int i = 1; i < n; i++) started[i] = pthread_create(&t[i], NULL, shapes_of, &job[i]) == 0;
    for (int i = 0; i < n; i++) /* ours, and the share of a thread that did not start */
        if (!started[i]) shapes_of(&job[i]);
    for (int i = 1; i < n; i++)
        if (started[i]) pthread_join(t[i], NULL);
}

/* Both read every function bottom-up and nothing of each other: one
 * visit to each SCC, while its IR is at hand, for both. */
static void noreturn_and_writes(Analysis *a) {
    const Program *p = a->p;
    NoreturnWalk nw = noreturn_begin(a);
    Writes *w = writes_begin();
    for (int lo = 0, hi; lo < p->nfuncs; lo = hi) {
        ir_prefetch_ahead(p->funcs, p->nfuncs, lo);
        hi = program_scc_end(p, lo);
        noreturn_scc(a, &nw, lo, hi);
        for (int i = lo; i < hi; i++) writes_own(a, w, p->funcs[i]);
    }
    noreturn_end(&nw);
    writes_end(a, w);
}

Analysis *analysis_new(Program *p, const AnalysisOptions *opt, unsigned passes) {
    memo_forget_all(); /* names remembered of an earlier program's IR */
    Analysis *a = xcalloc(1, sizeof *a);
    a->p = p, a->catalog = opt->catalog, a->models = opt->models, a->race_shared_code = opt->race_shared_code;
    a->race_mode_flags = opt->race_mode_flags;
    double t0 = seconds();
    noreturn_and_writes(a);
    timing("noreturn and writes passes", t0);
    t0 = seconds();
    compute_shapes(a, opt->jobs);
    timing("loops and liveness", t0);
    t0 = seconds();
    predicates_compute(a);
    timing("predicates", t0);
    a->computed = NEEDS(PASS_NORETURN) | NEEDS(PASS_CALLS);
    t0 = seconds();
    a->requested = passes;
    if (passes & (NEEDS(PASS_POINTS_TO) | NEEDS(PASS_ACCESS_JOINS))) passes |= NEEDS(PASS_TOPOLOGY); /* creates bind thread arguments */
    if (passes & NEEDS(PASS_TOPOLOGY)) a->topo = topology_compute(a), a->computed |= NEEDS(PASS_TOPOLOGY);
    timing("topology pass", t0);
    t0 = seconds();
    if (passes & NEEDS(PASS_POINTS_TO)) a->pt = points_to_compute(a), a->computed |= NEEDS(PASS_POINTS_TO);
    timing("points-to pass", t0);
    return a;
}

void analysis_free(Analysis *a) {
    if (!a) return;
    free(a->noreturn), free(a->noreturn_param), free(a->noreturn_value);
    for (int i = 0; a->shapes && i < a->p->nfuncs; i++) shape_free(a->shapes[i]);
    free(a->shapes);
    predicates_free(a);
    topology_free(a->topo);
    points_to_free(a->pt);
    writes_free(a->writes);
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
    if (provided & needs & NEEDS(PASS_LOCKSETS)) a->locks = locktable_new(p->nevents); /* only when some family reads them */
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
        if (!opt->leave_memory) end_family(&jobs[i].run);
    }
    *notes = all.data, *nnotes = all.len;
    free(jobs), free(wave), free(on);
    if (!opt->leave_memory) analysis_free(a);
}

/* -------------------------------------------------------------- dumping */

void analysis_dump(FILE *out, const Analysis *a, const Function *fn) {
    if (a->requested & NEEDS(PASS_TOPOLOGY)) { /* --passes */
        if (fn_noreturn(a, fn)) fputs("  never returns\n", out);
        int np = a->noreturn_param ? a->noreturn_param[fn->index] : -1;
        if (np >= 0 && np < fn->nparams)
            fprintf(out, "  never returns when '%s' is %lld\n", fn->params[np], (long long)a->noreturn_value[fn->index]);
        topology_dump_function(out, a, fn);
    }
    if (a->requested & NEEDS(PASS_POINTS_TO)) points_to_dump_function(out, a, fn);
}

void analysis_dump_program(FILE *out, const Analysis *a) {
    if (a->requested & NEEDS(PASS_TOPOLOGY)) topology_dump(out, a);
    if (a->requested & NEEDS(PASS_POINTS_TO)) points_to_dump(out, a);
}
