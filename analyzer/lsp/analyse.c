/* analyse.c — lsp_analyse(): the findings of the whole program with one
 * unit given by an editor's buffer.
 *
 * The other units' IR lives in memory: read from check's facts cache (or
 * parsed, and cached) the first time, again only when their file's size
 * or time changes, so an edit costs the parse of its own unit, a link and
 * the analyses. */
#include "lsp/lsp.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "facts/facts.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool stat_of(const char *file, int64_t *mtime_ns, int64_t *size) {
    struct stat st;
    if (stat(file, &st) != 0) return false;
    *mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    *size = st.st_size;
    return true;
}

/* A unit is stale when never parsed, or its file changed since; one whose
 * IR came from a buffer still open stays (it is what the editor shows). */
static bool stale(const Unit *u, int64_t *mtime_ns, int64_t *size) {
    if (u->size == -1) return false;
    if (!stat_of(u->job.file, mtime_ns, size)) return !u->facts;
    return !u->facts || *mtime_ns != u->mtime_ns || *size != u->size;
}

/* The workspace's facts cache, opened on first use: check's directory
 * (beside the database, or --cache-dir), so a server starting after a
 * check, a hook or another server parses nothing that is up to date. */
static FactsCache *cache_of(Workspace *ws) {
    const Settings *s = ws->settings;
    if (s->no_cache || ws->cache_tried) return ws->cache;
    ws->cache_tried = true;
    char *err = NULL;
    ws->cache = facts_cache_open_for(s->cache_dir, ws->db, s->ms, &err);
    if (!ws->cache && (s->cache_dir || s->verbose)) /* the default place failing costs time, not results (as check) */
        lsp_log(2, "%s; analysing without a cache", err);
    free(err);
    return ws->cache;
}

static void unit_set(Workspace *ws, Unit *u, TuFacts *facts, int64_t mtime_ns, int64_t size) {
    uint64_t fp = tu_fingerprint(facts);
    ws->changed |= !u->facts || fp != u->fingerprint;
    tu_facts_free(u->facts);
    u->facts = facts, u->mtime_ns = mtime_ns, u->size = size, u->fingerprint = fp;
}

/* Brings every stale unit but `skip` up to date from disk: from the cache
 * when its facts there still hold, else parsed on the settings' threads
 * (and cached). Returns how many were parsed; *from_cache, how many read. */
static int units_refresh(Workspace *ws, int skip, int *from_cache) {
    int n = ws->units.len, k = 0;
    int *which = xmalloc(sizeof(int) * (n + 1));
    int64_t *mt = xmalloc(sizeof(int64_t) * (n + 1)), *sz = xmalloc(sizeof(int64_t) * (n + 1));
    JobList jobs = {xmalloc(sizeof(Job) * (n + 1)), 0};
    FactsCache *cache = cache_of(ws);
    facts_forget_file_hashes(); /* files change between analyses: hash them afresh */
    *from_cache = 0;
    for (int i = 0; i < n; i++) {
        Unit *u = &ws->units.data[i];
        if (i == skip || u->excluded || !stale(u, &mt[k], &sz[k])) continue;
        TuFacts *cached = cache ? facts_cache_get(cache, &u->job, false) : NULL;
        if (cached) {
            unit_set(ws, u, cached, mt[k], sz[k]);
            ++*from_cache;
            continue;
        }
        which[k++] = i;
        jobs.jobs[jobs.njobs++] = u->job;
    }
    TuFacts **got = xcalloc(k + 1, sizeof(TuFacts *));
    FrontendOptions fo = {.models = ws->settings->ms};
    if (k) run_frontend(&jobs, &fo, ws->settings->jobs, got, NULL);
    for (int i = 0; i < k; i++) {
        if (cache) facts_cache_put(cache, &jobs.jobs[i], got[i]);
        unit_set(ws, &ws->units.data[which[i]], got[i], mt[i], sz[i]);
    }
    free(got), free(jobs.jobs), free(which), free(mt), free(sz);
    return k;
}

static const char *dir_of(const char *file) {
    const char *slash = strrchr(file, '/');
    return slash && slash != file ? intern_n(file, (size_t)(slash - file)) : "/";
}

/* What decides which findings count, as check decides it: a directory's
 * .threadvet.yaml turning a rule off, and the suppression comments (the
 * edited file's read from the buffer). */
static void gate(Workspace *ws, Findings *fs, const char *path, const char *text, size_t len) {
    Settings *s = ws->settings;
    Findings off = {0};
    int k = 0;
    for (int i = 0; i < fs->v.len; i++) {
        Finding *f = &fs->v.data[i];
        char *err = NULL;
        ProjectConfig *c = f->loc.file ? project_config_for(s->configs, dir_of(f->loc.file), &err) : NULL;
        free(err);
        if (c && c != s->project && !project_rule_enabled(c, f->rule->id, true)) vec_push(&off.v, *f);
        else fs->v.data[k++] = *f;
    }
    fs->v.len = k;
    findings_free(&off);
    Suppressions *sp = suppressions_new();
    suppressions_scan_text(sp, path, text, len);
    suppressions_apply(sp, fs);
    suppressions_free(sp);
}

/* A copy that owns what a finding owns (findings_free frees it). */
static void *dup_mem(const void *p, size_t n) {
    if (!p) return NULL;
    void *q = xmalloc(n ? n : 1);
    memcpy(q, p, n);
    return q;
}

static void findings_copy(Findings *to, const Findings *from) {
    for (int i = 0; i < from->v.len; i++) {
        Finding f = from->v.data[i];
        int nsteps = 0;
        f.message = f.message ? xstrdup(f.message) : NULL;
        f.related = dup_mem(f.related, sizeof(Related) * (size_t)f.nrelated);
        f.flows = dup_mem(f.flows, sizeof(Flow) * (size_t)f.nflows);
        for (int k = 0; k < f.nflows; k++) {
            f.flows[k].steps = dup_mem(f.flows[k].steps, sizeof(FlowStep) * (size_t)f.flows[k].nsteps);
            nsteps += f.flows[k].nsteps;
        }
        f.properties = f.properties ? xstrdup(f.properties) : NULL;
        f.orders = dup_mem(f.orders, sizeof(int64_t) * (size_t)nsteps);
        vec_push(&to->v, f);
    }
}

bool finding_touches(const Finding *f, const char *path) {
    if (f->loc.file == path) return true;
    for (int i = 0; i < f->nrelated; i++)
        if (f->related[i].loc.file == path) return true;
    return false;
}

static bool cancelled(const Workspace *ws) { return ws->cancelled && ws->cancelled(ws->cancel_ctx); }

/* The linked program of every unit's IR (excluded and unparsed ones left out). */
static void link_units(Workspace *ws, Program *p) {
    p->tus = xcalloc(ws->units.len + 1, sizeof(TuFacts *));
    for (int i = 0; i < ws->units.len; i++)
        if (ws->units.data[i].facts && !ws->units.data[i].excluded) p->tus[p->ntus++] = ws->units.data[i].facts;
    p->whole_program = true;
    program_link(p, ws->settings->ms);
}

bool lsp_analyse(Workspace *ws, const char *path, const char *text, size_t len, AnalysisResult *out) {
    *out = (AnalysisResult){0};
    path = intern(path);
    int me = (int)(workspace_unit(ws, path) - ws->units.data);
    if (ws->units.data[me].excluded) return out->excluded = true; /* nothing to say about it */
    double t0 = now();
    TuFacts *facts = frontend_run_unsaved(ws->fe, &ws->units.data[me].job, text, len);
    out->t_parse = now() - t0;
    out->nerrors = facts->nerrors;
    if (facts->ndiags) out->first_error = xstrdup(facts->diags[0].text);
    Unit *u = &ws->units.data[me];
    uint64_t fp = tu_fingerprint(facts);
    ws->changed |= !u->facts || fp != u->fingerprint;
    tu_facts_free(u->facts);
    u->facts = facts, u->size = -1, u->fingerprint = fp; /* from the buffer: parsed from disk again once closed */
    if (cancelled(ws)) return out->cancelled = true;
    double t1 = now();
    out->nparsed = 1 + units_refresh(ws, me, &out->ncached);
    out->t_others = now() - t1;
    if (cancelled(ws)) return out->cancelled = true;
    double t2 = now();
    if (ws->have_last && !ws->changed) {
        findings_copy(&out->findings, &ws->last);
        out->reused = true;
    } else {
        Program prog = {0};
        link_units(ws, &prog);
        AnalysisOptions ao = {.catalog = &ws->settings->cat, .models = ws->settings->ms, .jobs = ws->settings->jobs};
        analyze_program(&prog, &ao, &out->findings, &out->notes, &out->nnotes);
        findings_sort_dedup(&out->findings);
        program_free_links(&prog);
        free(prog.tus);
        findings_free(&ws->last);
        findings_copy(&ws->last, &out->findings);
        ws->have_last = true, ws->changed = false;
    }
    gate(ws, &out->findings, path, text, len);
    out->t_analysis = now() - t2;
    return true;
}

void analysis_result_free(AnalysisResult *r) {
    findings_free(&r->findings);
    for (int i = 0; i < r->nnotes; i++) free(r->notes[i].text);
    free(r->notes);
    free(r->first_error);
    *r = (AnalysisResult){0};
}
