/* link.c — the whole program: every function of every TU indexed by link
 * key, and ordered bottom-up over the call graph's strongly connected
 * components (Tarjan), so each summary is computed after its callees'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/program.h"

typedef struct Index { Function **slots; size_t cap; } Index;
static Index index_; /* one program per run */

static size_t slot_of(const char *key, size_t cap) { return ((uintptr_t)key >> 3) * 0x9E3779B97F4A7C15ull & (cap - 1); }

static void index_build(Program *p) {
    size_t cap = 16;
    while (cap < (size_t)p->nfuncs * 2 + 2) cap *= 2;
    free(index_.slots);
    index_ = (Index){xcalloc(cap, sizeof(Function *)), cap};
    for (int i = 0; i < p->nfuncs; i++) {
        Function *f = p->funcs[i];
        size_t j = slot_of(f->key, cap);
        while (index_.slots[j] && index_.slots[j]->key != f->key) j = (j + 1) & (cap - 1);
        if (!index_.slots[j]) index_.slots[j] = f; /* first definition wins */
    }
}

Function *program_lookup(const Program *p, const char *key) {
    (void)p;
    if (!key || !index_.cap) return NULL;
    for (size_t j = slot_of(key, index_.cap); index_.slots[j]; j = (j + 1) & (index_.cap - 1))
        if (index_.slots[j]->key == key) return index_.slots[j];
    return NULL;
}

/* Several programs in one database may each define `main` or `worker`:
 * a call binds to the definition in its own TU when there is one. */
Function *program_callee(const Program *p, const Function *caller, const Event *ev) {
    if (ev->kind != EV_CALL || !ev->callee_key) return NULL;
    const TuFacts *tu = caller->tu;
    for (int i = 0; i < tu->nfuncs; i++)
        if (tu->funcs[i].key == ev->callee_key) return &tu->funcs[i];
    return program_lookup(p, ev->callee_key);
}

Function *program_function_by_key(const Program *p, const Function *from, const char *key) {
    if (!key) return NULL;
    const TuFacts *tu = from->tu;
    for (int i = 0; i < tu->nfuncs; i++)
        if (tu->funcs[i].key == key) return &tu->funcs[i];
    return program_lookup(p, key);
}

/* A function designator passed as a value (a thread's start routine, a
 * callback) is an edge too: its summary must be ready before the caller's. */
Function *program_function_ref(const Program *p, const Function *from, const Operand *o) {
    if (o->kind != OPND_FUNC || !o->key) return NULL;
    const TuFacts *tu = from->tu;
    for (int i = 0; i < tu->nfuncs; i++)
        if (tu->funcs[i].key == o->key) return &tu->funcs[i];
    return program_lookup(p, o->key);
}

/* ---------------------------------------------------------------- Tarjan */

typedef struct Tarjan {
    const Program *p;
    Function **order; int norder;
    int *idx, *low, *comp; bool *on;
    Function **stack; int sp;
    int counter, scc;
} Tarjan;

/* Until the order is final, Function.scc holds the function's slot. */
static int fid(const Program *p, const Function *f) { (void)p; return f->scc; }

static void strongconnect(Tarjan *t, Function *f);

static void visit_callee(Tarjan *t, Function *f, Function *g) {
    int v = fid(t->p, f), w = fid(t->p, g);
    if (t->idx[w] < 0) {
        strongconnect(t, g);
        if (t->low[w] < t->low[v]) t->low[v] = t->low[w];
    } else if (t->on[w] && t->idx[w] < t->low[v]) {
        t->low[v] = t->idx[w];
    }
}

static void strongconnect(Tarjan *t, Function *f) {
    int v = fid(t->p, f);
    t->idx[v] = t->low[v] = t->counter++;
    t->stack[t->sp++] = f, t->on[v] = true;
    for (int b = 0; b < f->nblocks; b++)
        for (int e = 0; e < f->blocks[b].nev; e++) {
            const Event *ev = &f->blocks[b].ev[e];
            Function *g = program_callee(t->p, f, ev);
            if (g) visit_callee(t, f, g);
            for (int a = 0; ev->kind == EV_CALL && a < ev->nargs; a++)
                if ((g = program_function_ref(t->p, f, &ev->args[a]))) visit_callee(t, f, g);
        }
    if (t->low[v] != t->idx[v]) return;
    int id = t->scc++;
    Function *w;
    do {
        w = t->stack[--t->sp];
        t->on[fid(t->p, w)] = false;
        t->order[t->norder++] = w;
        t->comp[fid(t->p, w)] = id;
    } while (w != f);
}

void program_link(Program *p) {
    int n = 0;
    for (int i = 0; i < p->ntus; i++) n += p->tus[i]->nfuncs;
    p->funcs = xcalloc(n + 1, sizeof(Function *));
    p->nfuncs = 0;
    for (int i = 0; i < p->ntus; i++)
        for (int j = 0; j < p->tus[i]->nfuncs; j++) {
            Function *f = &p->tus[i]->funcs[j];
            f->scc = p->nfuncs;
            p->funcs[p->nfuncs++] = f;
        }
    index_build(p);
    Tarjan t = {.p = p, .order = xcalloc(n + 1, sizeof(Function *))};
    t.idx = xmalloc(sizeof(int) * (n + 1)), t.low = xmalloc(sizeof(int) * (n + 1));
    t.comp = xmalloc(sizeof(int) * (n + 1));
    t.on = xcalloc(n + 1, 1), t.stack = xmalloc(sizeof(Function *) * (n + 1));
    for (int i = 0; i < n; i++) t.idx[i] = -1;
    for (int i = 0; i < n; i++)
        if (t.idx[i] < 0) strongconnect(&t, p->funcs[i]);
    for (int i = 0; i < n; i++) t.order[i]->scc = t.comp[t.order[i]->scc];
    memcpy(p->funcs, t.order, sizeof(Function *) * n); /* callees before callers */
    for (int i = 0; i < n; i++) p->funcs[i]->index = i;
    free(t.order), free(t.idx), free(t.low), free(t.on), free(t.stack), free(t.comp);
}
