/* noreturn.c — PASS_NORETURN: the functions no call returns from.
 *
 * A function never returns when no path from its entry reaches a return
 * without passing a call that never returns: an API the models mark
 * `noreturn` (exit, abort...) or another such function. Computed bottom-up
 * over the call graph; in a recursive cycle every member starts as "never
 * returns" and gains a return when a path to one opens (the least
 * fixpoint: `f() { f(); }` never returns). The front end already ends a
 * block at a modelled process exit; this finds the program's own `die()`. */
#include <stdlib.h>

#include "analyses/passes.h"

static bool call_never_returns(const Analysis *a, const Event *ev) {
    if (ev->kind != EV_CALL) return false;
    Callee c = program_call(a->p, ev);
    return (c.model && c.model->noreturn) || (c.def && !c.may && a->noreturn[c.def->index]);
}

/* Whether a return is reachable from the entry, through blocks whose
 * calls all return. */
static bool reaches_return(const Analysis *a, const Function *fn, bool *seen, int *stack) {
    if (fn->nblocks == 0) return true;
    for (int i = 0; i < fn->nblocks; i++) seen[i] = false;
    int sp = 0;
    stack[sp++] = 0, seen[0] = true;
    while (sp) {
        const Block *b = &fn->blocks[stack[--sp]];
        bool stops = false;
        for (int k = 0; k < b->nev && !stops; k++) stops = call_never_returns(a, &b->ev[k]);
        if (stops) continue;
        if (b->term == TERM_RETURN) return true;
        int n = b->term == TERM_BRANCH ? 2 : b->term == TERM_JUMP ? 1 : 0;
        for (int s = 0; s < n; s++)
            if (b->succ[s] >= 0 && !seen[b->succ[s]]) seen[b->succ[s]] = true, stack[sp++] = b->succ[s];
    }
    return false;
}

void noreturn_compute(Analysis *a) {
    Program *p = a->p;
    a->noreturn = xcalloc(p->nfuncs + 1, 1);
    int most = 1;
    for (int i = 0; i < p->nfuncs; i++)
        if (p->funcs[i]->nblocks > most) most = p->funcs[i]->nblocks;
    bool *seen = xmalloc(most + 1);
    int *stack = xmalloc(sizeof(int) * (most + 1));
    for (int lo = 0; lo < p->nfuncs;) { /* one SCC: p->funcs[lo..hi) */
        int hi = lo + 1;
        while (hi < p->nfuncs && p->funcs[hi]->scc == p->funcs[lo]->scc) hi++;
        for (int i = lo; i < hi; i++) a->noreturn[i] = true;
        for (bool changed = true; changed;) {
            changed = false;
            for (int i = lo; i < hi; i++)
                if (a->noreturn[i] && reaches_return(a, p->funcs[i], seen, stack)) a->noreturn[i] = false, changed = true;
        }
        lo = hi;
    }
    free(seen), free(stack);
}

bool fn_noreturn(const Analysis *a, const Function *fn) {
    return a->noreturn && fn->index >= 0 && fn->index < a->p->nfuncs && a->p->funcs[fn->index] == fn &&
           a->noreturn[fn->index];
}
