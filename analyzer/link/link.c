/* link.c — the whole program: every function of every TU indexed by link
 * key, every call resolved once, and the functions ordered bottom-up over
 * the call graph's strongly connected components (Tarjan), so each summary
 * is computed after its callees'.
 *
 * Calls through function pointers are resolved by the values stored in
 * them, flow-insensitively: a slot (a global, a struct field's class, a
 * local or parameter of one function) collects every function designator
 * assigned to it, copied into it, or passed for it; a call through a slot
 * with one value calls that function (or its API model: `join =
 * pthread_join`), a call through a slot with several has them all as
 * call-graph edges and is unknown code to the analyses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/program.h"

/* ----------------------------------------------------------- the index */

typedef VEC(Function *) FnVec;

struct FuncIndex { PtrMap by_key; /* key -> FnVec* of its definitions, first found first */ };

static void index_build(Program *p) {
    p->index = xcalloc(1, sizeof(FuncIndex));
    for (int t = 0; t < p->ntus; t++)
        for (int i = 0; i < p->tus[t]->nfuncs; i++) {
            Function *f = &p->tus[t]->funcs[i];
            void **v = ptrmap_slot(&p->index->by_key, f->key, true);
            if (!*v) *v = xcalloc(1, sizeof(FnVec));
            vec_push((FnVec *)*v, f);
        }
}

Function *program_function_by_key(const Program *p, const Function *from, const char *key) {
    if (!key || !p->index) return NULL;
    FnVec *defs = ptrmap_get(&p->index->by_key, key);
    if (!defs) return NULL;
    for (int i = 0; from && i < defs->len; i++)
        if (defs->data[i]->tu == from->tu) return defs->data[i];
    return defs->data[0];
}

Function *program_function_ref(const Program *p, const Function *from, const Operand *o) {
    if (o->kind != OPND_FUNC || !o->key) return NULL;
    return program_function_by_key(p, from, o->key);
}

/* A static function's key is `name!file`: its model, if any, is by name. */
static const char *name_of_key(const char *key) {
    const char *bang = strchr(key, '!');
    return bang ? intern_n(key, (size_t)(bang - key)) : key;
}

Callee program_callee_of_key(const Program *p, const Function *from, const char *key) {
    Callee c = {0};
    if (!key) return c;
    c.key = key;
    c.def = program_function_by_key(p, from, key);
    c.name = c.def ? c.def->name : name_of_key(key);
    if (!c.def) c.model = models_lookup(p->models, c.name);
    return c;
}

/* ------------------------------------------------- function-pointer slots */

/* Where a function pointer is kept, for every function that can name it:
 * a struct field by its class, a global by its key, a local or parameter
 * qualified by its function. NULL for heap memory with no class. */
static const char *fp_slot(const Function *fn, Path p) {
    if (p.cls && p.cls[0] != '@') return p.cls;
    if (path_is_global(p.key)) return p.key;
    if (path_is_frame_local(p.key) || (path_param_index(p.key) >= 0 && !strchr(p.key, '*'))) {
        static __thread Memo memo[1 << MEMO_BITS];
        bool hit;
        Memo *m = memo_find(memo, fn, p.key, &hit);
        if (!hit) memo_fill(m, fn, p.key, internf("%s|%s", fn->key, p.key));
        return m->r;
    }
    return NULL;
}

typedef VEC(const char *) KeyVec;

/* A call's callee and possible targets; one target (most calls) is kept
 * inline, on the CallInfo's own cache line. */
typedef struct CallInfo {
    Callee c; FnVec targets; Function *one;
    FnVec starts; /* a create's start routines given as a value (`fns[i]`), not a designator */
    bool late;    /* through a pointer, or a create: resolved once every slot's values are known */
    int nargs;    /* the event's, for walks that need no more of it */
    const Model *model;
    bool names_fn; /* an argument, or the value called, is a function designator (`create(&t, 0, worker, 0)`) */
} CallInfo;
/* Where the CallInfos live, and each call event's by its number
 * (Event.id; NULL for the others): kept out of the events, which every
 * walk reads and few of them for their calls. */
struct CallIndex { Arena *arena; VEC(CallInfo *) by_event; };

/* A copy of a pointer the walk saw (`a = b`, or b passed as a defined
 * callee's parameter a), named as slots only once some function value is
 * known to flow at all: most copies of most programs carry none. */
typedef struct RawCopy { const Function *fn; const Path *dst, *src; const Function *callee; int arg; } RawCopy;

typedef struct Slots {
    PtrMap values;               /* slot -> KeyVec* of function keys */
    PtrMap by_type;              /* function type -> KeyVec* of functions named in initializers */
    VEC(RawCopy) raw;            /* the walk's copies, in order */
    VEC(const char *) copy_from, copy_to;
    VEC(KeyVec *) temp;          /* merged value lists, freed at the end */
} Slots;

static bool add_value(Slots *s, const char *slot, const char *fkey) {
    void **v = ptrmap_slot(&s->values, slot, true);
    if (!*v) *v = xcalloc(1, sizeof(KeyVec));
    KeyVec *kv = *v;
    for (int i = 0; i < kv->len; i++)
        if (kv->data[i] == fkey) return false;
    vec_push(kv, fkey);
    return true;
}

/* Parameter a of fn as a slot, `key|$a`: named for most calls' arguments. */
static const char *param_slot(const Function *fn, int a) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, fn, (const void *)(intptr_t)(a + 1), &hit);
    if (!hit) memo_fill(m, fn, (const void *)(intptr_t)(a + 1), internf("%s|$%d", fn->key, a));
    return m->r;
}

/* callee: a call's definition by its key, when it has one (looked up once
 * for this and for direct_calls). */
static void collect_slot(Function *fn, const Event *ev, Function *callee, Slots *s) {
    if (ev->kind == EV_ASSIGN) {
        const Operand *src = &ev->args[1];
        if ((!(src->kind == OPND_FUNC && src->key) && src->kind != OPND_PATH) || src->narrow) return; /* no function can flow */
        if (src->kind == OPND_PATH) {
            vec_push(&s->raw, ((RawCopy){fn, &ev->args[0].path, &src->path, NULL, -1}));
            return;
        }
        const char *dst = fp_slot(fn, ev->args[0].path);
        if (dst) add_value(s, dst, src->key);
    } else if (ev->kind == EV_CALL && ev->callee_key) { /* a callback passed to a parameter */
        for (int a = 0; callee && a < ev->nargs; a++) {
            if (ev->args[a].kind == OPND_FUNC && ev->args[a].key) add_value(s, param_slot(callee, a), ev->args[a].key);
            else if (ev->args[a].kind == OPND_PATH) vec_push(&s->raw, ((RawCopy){fn, NULL, &ev->args[a].path, callee, a}));
        }
    }
}

/* The walk's copies as slots, in the walk's order; none when no function
 * value flows anywhere (nothing could be copied). */
static void name_copies(Slots *s) {
    for (int i = 0; s->values.used && i < s->raw.len; i++) {
        const RawCopy *c = &s->raw.data[i];
        const char *dst = c->dst ? fp_slot(c->fn, *c->dst) : NULL;
        if (c->dst && !dst) continue;
        const char *from = fp_slot(c->fn, *c->src);
        if (!from) continue;
        vec_push(&s->copy_from, from);
        vec_push(&s->copy_to, dst ? dst : param_slot(c->callee, c->arg));
    }
}

/* The calls of fn to a named function, resolved while its events are at
 * hand; through a pointer, or a create, later (late), from the slots. */
static void direct_calls(Program *p, Function *fn, Function *const *defs, const bool *names_fn) {
    CallInfo *infos = arena_alloc(p->calls->arena, sizeof(CallInfo) * (size_t)(fn->ncallev ? fn->ncallev : 1));
    fn->callinfo = infos;
    for (int k = 0; k < fn->ncallev; k++) {
        Event *ev = fn->callev[k];
        CallInfo *ci = &infos[k];
        p->calls->by_event.data[ev->id] = ci; /* the analyses' lookups: no hashing */
        ci->nargs = ev->nargs, ci->model = ev->model, ci->names_fn = names_fn[k];
        const ModelOp *create = ev->model ? model_op(ev->model, OP_THREAD_CREATE) : NULL;
        ci->late = !ev->callee_key || (create && create->start >= 0 && create->start < ev->nargs &&
                                       ev->args[create->start].kind == OPND_PATH);
        if (!ev->callee_key) continue;
        ci->c = (Callee){defs[k], ev->model, ev->callee, ev->callee_key, false, false};
        if (ci->c.def && ev->model) ci->c.def = NULL; /* a modelled API is its model */
        if (ci->c.def) ci->one = ci->c.def, ci->targets = (FnVec){&ci->one, 1, 0};
    }
}

/* The one walk over every event link makes: numbers the events, lists
 * the function's calls by block, collects function-pointer slots, notes
 * what later walks would otherwise read every event for (names_fn,
 * call_names_fn, sets_global_flag), and resolves the direct calls. */
static void walk_events(Program *p, Function *fn, Slots *s) {
    VEC(Event *) calls = {0};
    VEC(Function *) defs = {0}; /* each call's definition by key, as calls */
    VEC(bool) named = {0};      /* each call's: it names a function (CallInfo.names_fn) */
    fn->block_calls = xmalloc(sizeof(int) * ((size_t)fn->nblocks + 1));
    fn->names_fn = fn->call_names_fn = fn->sets_global_flag = false;
    for (int b = 0; b < fn->nblocks; b++) {
        ir_prefetch_block(fn, b + 1);
        fn->block_calls[b] = calls.len;
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            Event *ev = &fn->blocks[b].ev[k];
            ev->id = ++p->nevents;
            vec_push(&p->calls->by_event, (CallInfo *)NULL);
            Function *def = ev->kind == EV_CALL && ev->callee_key ? program_function_by_key(p, fn, ev->callee_key) : NULL;
            bool names = ev->fn && ev->fn->kind == OPND_FUNC;
            for (int a = 0; a < ev->nargs; a++) names |= ev->args[a].kind == OPND_FUNC;
            if (ev->kind == EV_CALL) {
                vec_push(&calls, ev);
                vec_push(&defs, def);
                vec_push(&named, names);
                fn->call_names_fn |= names;
            } else {
                fn->names_fn |= names;
            }
            if (ev->kind == EV_ASSIGN && ev->nargs == 2 && ev->args[1].kind == OPND_CONST && ev->args[1].value) /* the value first */
                fn->sets_global_flag |= path_is_global_scalar(ev->args[0].path.key);
            collect_slot(fn, ev, def, s);
        }
    }
    fn->block_calls[fn->nblocks] = calls.len;
    fn->callev = calls.data, fn->ncallev = calls.len;
    direct_calls(p, fn, defs.data, named.data);
    free(defs.data), free(named.data);
}

/* Copies move every value of their source: to a fixpoint (few rounds). */
static void propagate_copies(Slots *s) {
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < s->copy_from.len; i++) {
            KeyVec *from = ptrmap_get(&s->values, s->copy_from.data[i]);
            for (int k = 0; from && k < from->len; k++) changed |= add_value(s, s->copy_to.data[i], from->data[k]);
        }
    }
}

/* ------------------------------------------------------------ the calls */

/* The definitions among a slot's function values (NULL: none). */
static void defined_values(Program *p, const Function *fn, const KeyVec *vals, FnVec *out) {
    for (int i = 0; vals && i < vals->len; i++) {
        Function *d = program_function_by_key(p, fn, vals->data[i]);
        if (d) vec_push(out, d);
    }
}

/* The functions a pointer read at path may hold: those stored in its
 * slot and, for a field or a global (*shared, if asked), those of its
 * function type that an initializer names (`{.destroy = free_entry}`,
 * `{.run = worker}`), which no assignment shows. NULL: none known. */
static const KeyVec *read_values(Slots *s, const Function *fn, Path path, const char *type, bool *shared) {
    const char *slot = fp_slot(fn, path);
    KeyVec *vals = slot ? ptrmap_get(&s->values, slot) : NULL;
    bool field_or_global = slot && (path_is_global(path.key) || (path.cls && path.cls[0] != '@'));
    if (shared) *shared = field_or_global;
    KeyVec *inits = field_or_global && type ? ptrmap_get(&s->by_type, type) : NULL;
    if (!inits || !inits->len) return vals;
    KeyVec *all = xcalloc(1, sizeof(KeyVec));
    for (int i = 0; vals && i < vals->len; i++) vec_push(all, vals->data[i]);
    for (int i = 0; i < inits->len; i++) {
        bool dup = false;
        for (int k = 0; k < all->len && !dup; k++) dup = all->data[k] == inits->data[i];
        if (!dup) vec_push(all, inits->data[i]);
    }
    vec_push(&s->temp, all); /* freed with the slots */
    return all;
}

static void resolve_indirect(Program *p, Function *fn, const Event *ev, Slots *s, CallInfo *ci) {
    ci->c.indirect = true;
    const Operand *f = ev->fn;
    if (!f) return;
    if (f->kind == OPND_FUNC) { /* `(*worker)(x)`, `(&f)()` */
        Callee c = program_callee_of_key(p, fn, f->key);
        c.indirect = true;
        ci->c = c;
        if (c.def) vec_push(&ci->targets, c.def);
        return;
    }
    bool shared = false;
    const KeyVec *vals = f->kind == OPND_PATH ? read_values(s, fn, f->path, ev->fn_type, &shared) : NULL;
    defined_values(p, fn, vals, &ci->targets);
    if (vals && vals->len == 1) {
        ci->c = program_callee_of_key(p, fn, vals->data[0]);
        ci->c.indirect = true;
        ci->c.may = shared;
    }
}

/* A create whose start routine is a value read from memory (`fns[i]`,
 * `cfg->run`): the functions stored where it is read, initializers'
 * included, as for a call through a pointer, start its threads. */
static void resolve_start(Program *p, Function *fn, const Event *ev, Slots *s, CallInfo *ci) {
    const ModelOp *m = ev->model ? model_op(ev->model, OP_THREAD_CREATE) : NULL;
    if (!m || m->start < 0 || m->start >= ev->nargs || ev->args[m->start].kind != OPND_PATH) return;
    defined_values(p, fn, read_values(s, fn, ev->args[m->start].path, ev->fn_type, NULL), &ci->starts);
}

/* Every call resolved once (CallIndex.by_event), and each function's calls that
 * reach a definition listed (Function.calls): the passes that walk the
 * call graph read these, not every event. */
static void resolve_calls(Program *p, Slots *s) {
    for (int i = 0; i < p->nfuncs; i++) {
        Function *fn = p->funcs[i];
        CallInfo *infos = fn->callinfo;
        VEC(Event *) reaching = {0};
        for (int k = 0; k < fn->ncallev; k++) {
            CallInfo *ci = &infos[k];
            if (ci->late) {
                Event *ev = fn->callev[k];
                if (!ev->callee_key) resolve_indirect(p, fn, ev, s, ci);
                resolve_start(p, fn, ev, s, ci);
                if (ci->targets.len == 1 && ci->targets.data != &ci->one) {
                    ci->one = ci->targets.data[0];
                    free(ci->targets.data);
                    ci->targets.data = &ci->one, ci->targets.cap = 0;
                }
            }
            if (!ci->targets.len) continue;
            vec_push(&reaching, fn->callev[k]);
            for (int t = 0; t < ci->targets.len; t++) {
                fn->self_call |= ci->targets.data[t] == fn;
                ci->targets.data[t]->ncallers++;
            }
        }
        fn->calls = reaching.data, fn->ncalls = reaching.len;
    }
}

int program_scc_end(const Program *p, int lo) {
    int hi = lo + 1;
    while (hi < p->nfuncs && p->funcs[hi]->scc == p->funcs[lo]->scc) hi++;
    return hi;
}

static CallInfo *call_info(const Program *p, const Event *ev) {
    return p->calls && ev->id < (uint32_t)p->calls->by_event.len ? p->calls->by_event.data[ev->id] : NULL;
}

Callee program_call(const Program *p, const Event *ev) {
    CallInfo *ci = call_info(p, ev);
    return ci ? ci->c : (Callee){0};
}

int program_call_targets(const Program *p, const Event *ev, Function *const **out) {
    CallInfo *ci = call_info(p, ev);
    *out = ci ? ci->targets.data : NULL;
    return ci ? ci->targets.len : 0;
}

Callee program_call_at(const Function *fn, int k) { return fn->callinfo ? fn->callinfo[k].c : (Callee){0}; }

int program_call_targets_at(const Function *fn, int k, Function *const **out) {
    const CallInfo *ci = fn->callinfo ? &fn->callinfo[k] : NULL;
    *out = ci ? ci->targets.data : NULL;
    return ci ? ci->targets.len : 0;
}

const Model *program_call_model_at(const Function *fn, int k) { return fn->callinfo ? fn->callinfo[k].model : NULL; }
int program_call_nargs_at(const Function *fn, int k) { return fn->callinfo ? fn->callinfo[k].nargs : 0; }
bool program_call_names_fn_at(const Function *fn, int k) { return fn->callinfo && fn->callinfo[k].names_fn; }

int program_create_starts(const Program *p, const Event *ev, Function *const **out) {
    CallInfo *ci = call_info(p, ev);
    *out = ci ? ci->starts.data : NULL;
    return ci ? ci->starts.len : 0;
}

/* ---------------------------------------------------------------- Tarjan */

/* Edges: calls (every possible target) and function designators passed as
 * values (a start routine's summary must be ready before its creator's). */
static void successors(const Program *p, Function *f, FnVec *out) {
    out->len = 0;
    for (int e = 0; e < f->ncallev; e++) { /* from the CallInfos: most events are not read */
        const CallInfo *ci = &f->callinfo[e];
        for (int i = 0; i < ci->targets.len; i++) vec_push(out, ci->targets.data[i]);
        for (int a = 0; ci->names_fn && a < ci->nargs; a++) { /* most calls pass no function */
            Function *g = program_function_ref(p, f, &f->callev[e]->args[a]);
            if (g) vec_push(out, g);
        }
        for (int i = 0; i < ci->starts.len; i++) vec_push(out, ci->starts.data[i]);
    }
}

/* Tarjan's algorithm with an explicit stack, so a call chain thousands of
 * functions deep does not exhaust the C stack. Function.scc holds each
 * function's slot until the order is final. */
typedef struct Frame { Function *f; FnVec succ; int next; } Frame;

static void order_sccs(Program *p) {
    int n = p->nfuncs, counter = 0, nscc = 0, norder = 0, sp = 0, fp = 0;
    Function **order = xcalloc(n + 1, sizeof(Function *)), **stack = xmalloc(sizeof(Function *) * (n + 1));
    int *idx = xmalloc(sizeof(int) * (n + 1)), *low = xmalloc(sizeof(int) * (n + 1)), *comp = xmalloc(sizeof(int) * (n + 1));
    bool *on = xcalloc(n + 1, 1);
    Frame *frames = xcalloc(n + 1, sizeof(Frame));
    for (int i = 0; i < n; i++) idx[i] = -1;
    for (int root = 0; root < n; root++) {
        if (idx[root] >= 0) continue;
        frames[fp++].f = p->funcs[root];
        idx[root] = low[root] = counter++, stack[sp++] = p->funcs[root], on[root] = true;
        successors(p, p->funcs[root], &frames[fp - 1].succ), frames[fp - 1].next = 0;
        while (fp) {
            Frame *fr = &frames[fp - 1];
            int v = fr->f->scc;
            if (fr->next < fr->succ.len) {
                Function *g = fr->succ.data[fr->next++];
                int w = g->scc;
                if (idx[w] < 0) {
                    idx[w] = low[w] = counter++, stack[sp++] = g, on[w] = true;
                    frames[fp].f = g, frames[fp].next = 0;
                    successors(p, g, &frames[fp].succ);
                    fp++;
                } else if (on[w] && idx[w] < low[v]) {
                    low[v] = idx[w];
                }
                continue;
            }
            if (low[v] == idx[v]) {
                Function *w;
                do {
                    w = stack[--sp];
                    on[w->scc] = false, order[norder++] = w, comp[w->scc] = nscc;
                } while (w != fr->f);
                nscc++;
            }
            fp--;
            if (fp && low[v] < low[frames[fp - 1].f->scc]) low[frames[fp - 1].f->scc] = low[v];
        }
    }
    for (int i = 0; i < n; i++) order[i]->scc = comp[order[i]->scc];
    memcpy(p->funcs, order, sizeof(Function *) * n); /* callees before callers */
    for (int i = 0; i < n; i++) p->funcs[i]->index = i;
    p->nsccs = nscc;
    for (int i = 0; i <= n; i++) free(frames[i].succ.data);
    free(frames), free(order), free(stack), free(idx), free(low), free(comp), free(on);
}

void program_link(Program *p, const ModelSet *models) {
    memo_forget_all(); /* what was remembered of an earlier program's IR */
    int n = 0;
    for (int i = 0; i < p->ntus; i++) n += p->tus[i]->nfuncs;
    p->models = models;
    p->funcs = xcalloc(n + 1, sizeof(Function *));
    p->nfuncs = 0;
    for (int i = 0; i < p->ntus; i++)
        for (int j = 0; j < p->tus[i]->nfuncs; j++) {
            Function *f = &p->tus[i]->funcs[j];
            f->scc = p->nfuncs;
            p->funcs[p->nfuncs++] = f;
        }
    index_build(p);
    p->calls = xcalloc(1, sizeof(CallIndex));
    p->calls->arena = arena_new();
    vec_push(&p->calls->by_event, (CallInfo *)NULL); /* [0]: an event no link numbered */
    Slots s = {0};
    for (int i = 0; i < p->nfuncs; i++) ir_prefetch_ahead(p->funcs, p->nfuncs, i), walk_events(p, p->funcs[i], &s);
    for (int t = 0; t < p->ntus; t++)
        for (int i = 0; i < p->tus[t]->ninitfns; i++) {
            void **v = ptrmap_slot(&s.by_type, p->tus[t]->initfns[i].type, true);
            if (!*v) *v = xcalloc(1, sizeof(KeyVec));
            KeyVec *kv = *v;
            bool dup = false;
            for (int k = 0; k < kv->len && !dup; k++) dup = kv->data[k] == p->tus[t]->initfns[i].key;
            if (!dup) vec_push(kv, p->tus[t]->initfns[i].key);
        }
    name_copies(&s);
    propagate_copies(&s);
    resolve_calls(p, &s);
    for (size_t i = 0; i < s.values.cap; i++)
        if (s.values.keys[i]) free(((KeyVec *)s.values.vals[i])->data), free(s.values.vals[i]);
    for (size_t i = 0; i < s.by_type.cap; i++)
        if (s.by_type.keys[i]) free(((KeyVec *)s.by_type.vals[i])->data), free(s.by_type.vals[i]);
    for (int i = 0; i < s.temp.len; i++) free(s.temp.data[i]->data), free(s.temp.data[i]);
    ptrmap_free(&s.values), ptrmap_free(&s.by_type), free(s.copy_from.data), free(s.copy_to.data), free(s.temp.data);
    free(s.raw.data);
    order_sccs(p);
}

void program_free_links(Program *p) {
    if (p->index) {
        for (size_t i = 0; i < p->index->by_key.cap; i++)
            if (p->index->by_key.keys[i]) free(((FnVec *)p->index->by_key.vals[i])->data), free(p->index->by_key.vals[i]);
        ptrmap_free(&p->index->by_key), free(p->index);
    }
    for (int i = 0; i < p->nfuncs; i++) {
        Function *fn = p->funcs[i];
        for (int k = 0; p->calls && fn->callinfo && k < fn->ncallev; k++) {
            CallInfo *ci = &fn->callinfo[k];
            if (ci->targets.data != &ci->one) free(ci->targets.data);
            free(ci->starts.data);
        }
        free(fn->calls), free(fn->callev), free(fn->block_calls);
        fn->calls = fn->callev = NULL, fn->block_calls = NULL, fn->ncalls = fn->ncallev = 0, fn->callinfo = NULL;
        fn->self_call = fn->names_fn = fn->call_names_fn = fn->sets_global_flag = false, fn->ncallers = 0;
    }
    if (p->calls) arena_free(p->calls->arena), free(p->calls->by_event.data), free(p->calls);
    free(p->funcs);
    p->index = NULL, p->calls = NULL, p->funcs = NULL, p->nevents = 0;
}
