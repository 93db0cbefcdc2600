/* predicates.c — functions that only test: `static inline bool
 * td_offload_overlap(struct thread_data *td) { return td->o.overlap &&
 * td->o.mode == OFFLOAD; }`. Code tests such a call where it means the
 * fields (`if (td_offload_overlap(td)) unlock(&m);`), so each return's
 * constant is kept with what its path knew of values a caller can see
 * (its guard), and the engine takes a caller's test of the result as a
 * test of those: the unlock above carries `td->o.mode == OFFLOAD`, and a
 * second test of the same call on a path decides as the first did.
 * Bottom-up, so predicates built of predicates count too. */
#include <stdlib.h>

#include "analyses/engine.h"
#include "analyses/passes.h"

enum { MAX_PRED_BLOCKS = 64 }; /* tests are small; bigger functions do work */

typedef struct PredRun { VEC(PredReturn) rets; bool any_guard; } PredRun;

/* Every return a constant, every call to a predicate already found. */
static bool candidate(const Analysis *a, const Function *fn) {
    if (fn->nblocks == 0 || fn->nblocks > MAX_PRED_BLOCKS) return false;
    bool any = false;
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *bl = &fn->blocks[b];
        if (bl->term != TERM_RETURN) continue;
        if (bl->end->ret.kind != OPND_CONST && bl->end->ret.kind != OPND_NULL) return false;
        any = true;
    }
    for (int k = 0; k < fn->ncallev; k++) {
        Callee c = program_call(a->p, fn->callev[k]);
        if (!c.def || c.may || !a->preds[c.def->index]) return false;
    }
    return any;
}

static void pred_event(Engine *e, State *s, const Event *ev, const Callee *c) { (void)e, (void)s, (void)ev, (void)c; }

static void pred_ret(Engine *e, State *s, const Block *b) {
    PredRun *r = engine_ctx(e);
    PredReturn pr = {b->end->ret.kind == OPND_CONST ? b->end->ret.value : 0, state_guard(s)};
    r->any_guard |= pr.guard.n > 0;
    vec_push(&r->rets, pr);
}

/* A predicate is worth keeping when its returns differ and some return's
 * path knew something its callers can see. */
static Predicate *summarise(const Analysis *a, Function *fn) {
    PredRun r = {0};
    Client c = {.ctx = &r, .event = pred_event, .ret = pred_ret};
    bool returns;
    bool complete = engine_run(a, fn, &c, &returns);
    bool differ = false;
    for (int i = 1; i < r.rets.len; i++) differ |= r.rets.data[i].value != r.rets.data[0].value;
    if (!complete || !differ || !r.any_guard) {
        free(r.rets.data);
        return NULL;
    }
    Predicate *p = xcalloc(1, sizeof *p);
    p->n = r.rets.len, p->ret = r.rets.data;
    return p;
}

void predicates_compute(Analysis *a) {
    a->preds = xcalloc((size_t)a->p->nfuncs + 1, sizeof(Predicate *));
    for (int i = 0; i < a->p->nfuncs; i++) /* callees first */
        if (candidate(a, a->p->funcs[i])) a->preds[i] = summarise(a, a->p->funcs[i]);
}

void predicates_free(Analysis *a) {
    for (int i = 0; a->preds && i < a->p->nfuncs; i++)
        if (a->preds[i]) free(a->preds[i]->ret), free(a->preds[i]);
    free(a->preds);
}

const Predicate *analysis_predicate(const Analysis *a, const Function *fn) {
    bool ours = a && a->preds && fn->index >= 0 && fn->index < a->p->nfuncs && a->p->funcs[fn->index] == fn;
    return ours ? a->preds[fn->index] : NULL;
}
