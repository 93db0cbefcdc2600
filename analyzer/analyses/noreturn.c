/* noreturn.c — PASS_NORETURN: the functions no call returns from.
 *
 * A function never returns when no path from its entry reaches a return
 * without passing a call that never returns: an API the models mark
 * `noreturn` (exit, abort...) or another such function. Computed bottom-up
 * over the call graph; in a recursive cycle every member starts as "never
 * returns" and gains a return when a path to one opens (the least
 * fixpoint: `f() { f(); }` never returns). The front end already ends a
 * block at a modelled process exit; this finds the program's own `die()`.
 *
 * Some return unless a parameter holds one constant (`NOTIFY(FATAL, msg)`
 * exits at its fatal level, itself or through a callee given the level):
 * each such function keeps the parameter and the value, and a call passing
 * that constant never returns. */
#include <stdlib.h>
#include <string.h>

#include "analyses/passes.h"

/* A parameter's own value (`$1`) as an operand: its index, else -1. */
static int param_of(const Operand *o) {
    return o->kind == OPND_PATH && !*path_root_end(o->path.key) ? path_param_index(o->path.key) : -1;
}

/* Whether fn's k-th call never returns when parameter `param` of fn holds
 * value (param < 0: whatever the caller's parameters hold). */
static bool never_returns_if(const Analysis *a, const Function *fn, int k, int param, int64_t value) {
    Callee c = program_call_at(fn, k); /* the event itself only for an argument */
    if ((c.model && c.model->noreturn) || (c.def && !c.may && a->noreturn[c.def->index])) return true;
    int j = c.def && !c.may ? a->noreturn_param[c.def->index] : -1;
    if (j < 0 || j >= program_call_nargs_at(fn, k)) return false;
    const Operand *o = &fn->callev[k]->args[j];
    int64_t v = a->noreturn_value[c.def->index];
    return (o->kind == OPND_CONST && o->value == v) || (param >= 0 && param_of(o) == param && value == v);
}

/* Whether a return is reachable from the entry, through blocks whose
 * calls all return; with param >= 0, where that parameter holds value
 * (its tests take the edge the value decides). */
static bool reaches_return_if(const Analysis *a, const Function *fn, int param, int64_t value, bool *seen, int *stack) {
    if (fn->nblocks == 0) return true;
    for (int i = 0; i < fn->nblocks; i++) seen[i] = false;
    int sp = 0;
    stack[sp++] = 0, seen[0] = true;
    while (sp) {
        int bi = stack[--sp];
        const Block *b = &fn->blocks[bi];
        bool stops = false; /* only calls stop a path: the block's, from link's index, not every event */
        for (int k = fn->block_calls[bi]; k < fn->block_calls[bi + 1] && !stops; k++) stops = never_returns_if(a, fn, k, param, value);
        if (stops) continue;
        if (b->term == TERM_RETURN) return true;
        int n = b->term == TERM_BRANCH ? 2 : b->term == TERM_JUMP ? 1 : 0;
        int only = b->term == TERM_BRANCH && param >= 0 && !b->end->cond.cmp && param_of(&b->end->cond.lhs) == param
                       ? (rel_holds(b->end->cond.rel, value, b->end->cond.rhs) ? 0 : 1)
                       : -1;
        for (int s = 0; s < n; s++)
            if ((only < 0 || s == only) && b->succ[s] >= 0 && !seen[b->succ[s]]) seen[b->succ[s]] = true, stack[sp++] = b->succ[s];
    }
    return false;
}

static bool reaches_return(const Analysis *a, const Function *fn, bool *seen, int *stack) {
    return reaches_return_if(a, fn, -1, 0, seen, stack);
}

/* The parameters fn assigns its own value to (then a test of one says
 * nothing of what the caller passed), as bits. */
static uint64_t assigned_params(const Function *fn) {
    uint64_t bits = 0;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            int param = (ev->kind == EV_ASSIGN || ev->kind == EV_DECL) ? param_of(&ev->args[0]) : -1;
            if (param >= 0 && param < 64) bits |= 1ull << param;
        }
    return bits;
}

#define MAX_TRIES 8 /* values tried per parameter */

/* The values worth trying for each parameter, in one walk of fn: those
 * its tests compare the parameter with, and those a callee given it stops
 * at; vals[param][0 .. n[param]). Whether any. */
static bool candidates(const Analysis *a, const Function *fn, int np, int64_t (*vals)[MAX_TRIES], int *n) {
    bool any = false;
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *bl = &fn->blocks[b];
        int param = bl->term == TERM_BRANCH && !bl->end->cond.cmp ? param_of(&bl->end->cond.lhs) : -1;
        if (param >= 0 && param < np && n[param] < MAX_TRIES) vals[param][n[param]++] = bl->end->cond.rhs, any = true;
        for (int k = fn->block_calls[b]; k < fn->block_calls[b + 1]; k++) {
            Callee c = program_call_at(fn, k);
            int j = c.def && !c.may ? a->noreturn_param[c.def->index] : -1;
            param = j >= 0 && j < program_call_nargs_at(fn, k) ? param_of(&fn->callev[k]->args[j]) : -1;
            if (param >= 0 && param < np && n[param] < MAX_TRIES) vals[param][n[param]++] = a->noreturn_value[c.def->index], any = true;
        }
    }
    return any;
}

/* The parameter and value with which fn (which returns) never returns:
 * the first parameter, and its first value, that stop every path. */
static void find_noreturn_value(Analysis *a, const Function *fn, bool *seen, int *stack) {
    int np = fn->nparams < 64 ? fn->nparams : 64, n[64] = {0};
    int64_t vals[64][MAX_TRIES];
    if (!np || !candidates(a, fn, np, vals, n)) return; /* most functions: nothing to try */
    uint64_t assigned = assigned_params(fn);
    for (int param = 0; param < np; param++) {
        if (!n[param] || (assigned >> param & 1)) continue;
        for (int i = 0; i < n[param]; i++)
            if (!reaches_return_if(a, fn, param, vals[param][i], seen, stack)) {
                a->noreturn_param[fn->index] = (int8_t)param, a->noreturn_value[fn->index] = vals[param][i];
                return;
            }
    }
}

NoreturnWalk noreturn_begin(Analysis *a) {
    Program *p = a->p;
    a->noreturn = xcalloc(p->nfuncs + 1, 1);
    a->noreturn_param = xmalloc(p->nfuncs + 1), a->noreturn_value = xcalloc(p->nfuncs + 1, sizeof(int64_t));
    memset(a->noreturn_param, -1, p->nfuncs + 1);
    int most = 1;
    for (int i = 0; i < p->nfuncs; i++)
        if (p->funcs[i]->nblocks > most) most = p->funcs[i]->nblocks;
    return (NoreturnWalk){xmalloc(most + 1), xmalloc(sizeof(int) * (most + 1))};
}

void noreturn_scc(Analysis *a, NoreturnWalk *w, int lo, int hi) {
    Program *p = a->p;
    for (int i = lo; i < hi; i++) a->noreturn[i] = true;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = lo; i < hi; i++)
            if (a->noreturn[i] && reaches_return(a, p->funcs[i], w->seen, w->stack)) a->noreturn[i] = false, changed = true;
    }
    for (int i = lo; i < hi; i++)
        if (!a->noreturn[i]) find_noreturn_value(a, p->funcs[i], w->seen, w->stack);
}

void noreturn_end(NoreturnWalk *w) { free(w->seen), free(w->stack); }

bool fn_noreturn(const Analysis *a, const Function *fn) {
    return a->noreturn && fn->index >= 0 && fn->index < a->p->nfuncs && a->p->funcs[fn->index] == fn &&
           a->noreturn[fn->index];
}

bool callee_noreturn(const Analysis *a, const Callee *c, const Event *ev) {
    return (c->model && c->model->noreturn) || (c->def && !c->may && call_noreturn(a, c->def, ev));
}

bool call_noreturn(const Analysis *a, const Function *callee, const Event *ev) {
    if (fn_noreturn(a, callee)) return true;
    if (!a->noreturn_param || callee->index < 0 || callee->index >= a->p->nfuncs || a->p->funcs[callee->index] != callee) return false;
    int j = a->noreturn_param[callee->index];
    return j >= 0 && j < ev->nargs && ev->args[j].kind == OPND_CONST && ev->args[j].value == a->noreturn_value[callee->index];
}
