/* engine.c — path-sensitive exploration of one function (see engine.h). */
#include "analyses/engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

#define MAX_STATES 12    /* paths kept apart per block before they are folded */
#define WORK_BUDGET 20000 /* block visits per function, plus ... */
#define WORK_PER_BLOCK 16 /* ... this many per block: big functions get their due */

/* THREADVET_ENGINE_BUDGET overrides the budget, the per-block part too
 * (tests use it to see what happens when it runs out). Read once: every
 * exploration asks, and getenv scans the environment. */
static long budget_base = WORK_BUDGET;
static bool budget_overridden;
static pthread_once_t budget_once = PTHREAD_ONCE_INIT; /* families explore on threads of their own */

static void read_budget(void) {
    const char *v = getenv("THREADVET_ENGINE_BUDGET");
    long n = v ? strtol(v, NULL, 10) : 0;
    budget_overridden = v != NULL;
    if (n > 0) budget_base = n;
}

static long function_budget(int nblocks) {
    pthread_once(&budget_once, read_budget);
    return budget_base + (budget_overridden ? 0 : (long)WORK_PER_BLOCK * nblocks);
}

typedef struct Frozen {
    Fact *facts; int nfacts;
    Bind *binds; int nbinds;
    const Step *trace;
    uint64_t fhash;      /* facts_hash: unequal hashes, unequal facts */
    GuardCond mode;      /* state_mode of binds (one condition at most; key NULL: none) */
    bool dirty;          /* not yet propagated */
} Frozen;

typedef VEC(Frozen) FrozenVec;
typedef VEC(int) BlockQueue;

struct Engine {
    const Analysis *a;
    Function *fn;
    const Client *c;
    Arena *arena;
    FrozenVec *in;       /* per block: the path states reaching it (in the arena) */
    BlockQueue work;
    bool *queued;
    bool any_return;
    Shape *sh;           /* the function's loops and liveness */
    State side;          /* a branch's edge, one at a time: its vectors are reused */
};

/* What exploring a function needs of its shape, which no client changes:
 * computed once per function for every pass and family that explores it
 * (and every round of a recursive cycle). */
struct Shape {
    VEC(LoopInfo) loops;
    /* Liveness of the function's locals (and call results), so a path
     * forgets what it knew of a local no later code reads: states stay
     * small and merge sooner (3,000 loop counters in sequence). */
    PtrMap root_index;   /* local root key -> its index + 1 */
    int nroots, words;   /* bitset words per block */
    uint64_t *live_in;   /* nblocks * words bits */
};

/* What an exploration allocates, kept per thread for the next one: a
 * program's explorations are many and small, and each made and freed its
 * arena, block arrays and state vectors. Taken by one exploration at a
 * time (busy); freed when the thread ends. */
typedef struct Scratch {
    bool busy;
    Arena *arena;
    FrozenVec *in; bool *queued; int cap; /* cap blocks */
    BlockQueue work;
    State s, side;
} Scratch;

static __thread Scratch scratch;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p) {
    Scratch *sc = p;
    arena_free(sc->arena), free(sc->in), free(sc->queued), free(sc->work.data);
    free(sc->s.facts.data), free(sc->s.binds.data), free(sc->side.facts.data), free(sc->side.binds.data);
    *sc = (Scratch){0};
}

static void scratch_key_new(void) { pthread_key_create(&scratch_key, scratch_free); }

static Scratch *scratch_take(int nblocks) {
    Scratch *sc = &scratch;
    if (sc->busy) return NULL; /* an exploration inside another: its own */
    if (!sc->arena) {
        pthread_once(&scratch_once, scratch_key_new);
        pthread_setspecific(scratch_key, sc); /* freed at the thread's end */
        sc->arena = arena_new();
    }
    if (sc->cap < nblocks) {
        sc->cap = nblocks * 2;
        sc->in = xrealloc(sc->in, sizeof(FrozenVec) * (size_t)sc->cap);
        sc->queued = xrealloc(sc->queued, (size_t)sc->cap);
    }
    memset(sc->in, 0, sizeof(FrozenVec) * (size_t)nblocks);
    memset(sc->queued, 0, (size_t)nblocks);
    sc->busy = true;
    return sc;
}

void *engine_ctx(const Engine *e) { return e->c->ctx; }
const Analysis *engine_analysis(const Engine *e) { return e->a; }
Function *engine_function(const Engine *e) { return e->fn; }
Arena *engine_arena(const Engine *e) { return e->arena; }
int engine_nloops(const Engine *e) { return e->sh->loops.len; }
const LoopInfo *engine_loop(const Engine *e, int i) { return &e->sh->loops.data[i]; }

/* ------------------------------------------------------------- bindings */

const char *temp_key(int n) {
    static __thread VEC(const char *) temps; /* rule families may run on threads of their own */
    while (temps.len <= n) {
        char buf[24];
        snprintf(buf, sizeof buf, "%%%d", temps.len);
        vec_push(&temps, intern(buf));
    }
    return temps.data[n];
}

Bind *bind_find(State *s, const char *key) {
    for (int i = 0; i < s->binds.len; i++)
        if (s->binds.data[i].key == key) return &s->binds.data[i];
    return NULL;
}

void bind_set(State *s, Bind b) {
    Bind *old = bind_find(s, b.key);
    if (old) *old = b;
    else vec_push(&s->binds, b);
}

/* path_within, with key's length once and most bindings told apart by
 * their first character: this runs on every assignment of every path. */
void bind_kill_within(State *s, const char *key) {
    size_t n = strlen(key);
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        const char *k = s->binds.data[i].key;
        bool within = k == key || (k[0] == key[0] && !strncmp(k, key, n) &&
                                   (k[n] == 0 || k[n] == '.' || k[n] == '*' || k[n] == '['));
        if (!within) s->binds.data[o++] = s->binds.data[i];
    }
    s->binds.len = o;
}

/* ---------------------------------------------------------------- facts */

Fact *fact_find(State *s, int id) {
    for (int i = 0; i < s->facts.len; i++)
        if (s->facts.data[i].id == id) return &s->facts.data[i];
    return NULL;
}

void fact_add(State *s, Fact f) {
    fact_remove(s, f.id);
    vec_push(&s->facts, f);
}

void fact_remove(State *s, int id) {
    int o = 0;
    for (int i = 0; i < s->facts.len; i++)
        if (s->facts.data[i].id != id) s->facts.data[o++] = s->facts.data[i];
    s->facts.len = o;
}

bool fact_has_key(const Fact *f, const char *key) {
    for (int i = 0; i < f->nkeys; i++)
        if (f->key[i] == key) return true;
    return false;
}

void fact_add_key(Fact *f, const char *key, const char *cls) {
    if (fact_has_key(f, key) || f->nkeys == FACT_KEYS) return;
    f->key[f->nkeys] = key, f->cls[f->nkeys] = cls;
    f->nkeys++;
}

void fact_drop_key(Fact *f, int i) {
    f->key[i] = f->key[f->nkeys - 1], f->cls[i] = f->cls[f->nkeys - 1];
    f->nkeys--;
}

Flow *state_flow(const State *s, Loc end, const char *end_msg) {
    int n = 1;
    for (const Step *st = s->trace; st; st = st->prev) n++;
    Flow *flow = xcalloc(1, sizeof *flow);
    flow->name = "path";
    flow->steps = xcalloc(n, sizeof(FlowStep));
    flow->nsteps = n;
    int i = n - 1;
    flow->steps[i--] = (FlowStep){end, end_msg, 0};
    for (const Step *st = s->trace; st; st = st->prev)
        flow->steps[i--] = (FlowStep){st->loc, st->arg ? internf(st->msg, st->arg) : st->msg, 0};
    return flow;
}

void state_step(Engine *e, State *s, Loc loc, const char *msg) {
    Step *st = arena_alloc(e->arena, sizeof *st);
    *st = (Step){s->trace, loc, msg, NULL};
    s->trace = st;
}

void state_stepf(Engine *e, State *s, Loc loc, const char *fmt, const char *arg) {
    Step *st = arena_alloc(e->arena, sizeof *st);
    *st = (Step){s->trace, loc, fmt, arg};
    s->trace = st;
}

/* ------------------------------------------------------------ locations */

Callee engine_callee(const Engine *e, State *s, const Event *ev) {
    const Program *p = analysis_program(e->a);
    Callee c = program_call(p, ev);
    if (ev->callee_key || !ev->fn || ev->fn->kind == OPND_FUNC) return c;
    const char *key = operand_key(s, ev->fn);
    Bind *b = key ? bind_find(s, key) : NULL;
    if (!b || b->kind != VAL_FUNC) return c;
    c = program_callee_of_key(p, e->fn, b->addr);
    c.indirect = true;
    return c;
}

bool callee_unknown(const Callee *c) { return !c->def && !c->model; }

void engine_call_args(State *s, const Event *ev, const Callee *c, ArgFn *f, void *ctx) {
    if (c->def && !c->may) return; /* its summary says what it does */
    const Model *model = c->def ? NULL : c->model; /* a definition it may reach: as unknown code */
    for (int i = 0; i < ev->nargs; i++) {
        ArgUse use = model_arg_use(model, i);
        Path p;
        if (use == ARG_NONE || !pointee(s, &ev->args[i], &p)) continue;
        f(ctx, s, p, use, &ev->args[i]);
    }
}

const char *resolve_key(State *s, const char *key) {
    if (!(path_traits(key) & PT_ROOT_DEREF)) return key;
    const char *root = path_root(key);
    Bind *b = bind_find(s, root);
    if (!b || !b->addr || b->kind == VAL_FUNC) return key; /* an address, or a result known to be one */
    return pathkey_join(b->addr, key + strlen(root) + 1);
}

Path resolve(State *s, Path p) {
    const char *k = resolve_key(s, p.key);
    return (Path){k, p.cls, k == p.key ? p.elem : NULL};
}

bool pointee(State *s, const Operand *o, Path *out) {
    if (o->kind == OPND_ADDR) return *out = resolve(s, o->path), true;
    if (o->kind == OPND_PATH) return *out = resolve(s, (Path){pathkey_join(o->path.key, "*"), NULL, NULL}), true;
    return false;
}

const char *operand_key(State *s, const Operand *o) {
    if (o->kind == OPND_TEMP) return temp_key((int)o->value);
    if (o->kind == OPND_PATH) return resolve_key(s, o->path.key);
    return NULL;
}

/* Keys a caller can name: a parameter's value or what it points to, a
 * global; one object, not an array's many. */
static bool visible_traits(unsigned t) {
    return !(t & PT_WEAK) && (((t & PT_PARAM) && (t & (PT_ROOT_ONLY | PT_STAR))) || (t & PT_GLOBAL));
}

static bool caller_visible(const char *key) { return key && visible_traits(path_traits(key)); }

static int by_cond_key(const void *a, const void *b) {
    const GuardCond *x = a, *y = b;
    bool px = x->key[0] == '$', py = y->key[0] == '$';
    if (px != py) return px ? -1 : 1; /* parameters first: modes */
    return strcmp(x->key, y->key);
}

/* Conditions stay in order, parameters first, then by name; a full guard
 * keeps the first by that order. Inserted in place (keys are interned and
 * unique in a guard: the order has no ties), not sorted on every add. */
static void guard_add(Guard *g, GuardCond c) {
    for (int i = 0; i < g->n; i++)
        if (g->c[i].key == c.key) return;
    int at = g->n;
    while (at > 0 && by_cond_key(&c, &g->c[at - 1]) < 0) at--;
    if (at == GUARD_CONDS) return;
    int n = g->n < GUARD_CONDS ? g->n : GUARD_CONDS - 1; /* the last falls off a full guard */
    memmove(&g->c[at + 1], &g->c[at], sizeof(GuardCond) * (size_t)(n - at));
    g->c[at] = c;
    g->n = n + 1;
}

static Guard guard_of(const Bind *binds, int nbinds, bool params_only) {
    Guard g = {0};
    for (int i = 0; i < nbinds; i++) {
        const Bind *b = &binds[i];
        if ((b->kind != VAL_CONST && b->kind != VAL_NE) || !b->key) continue;
        unsigned t = path_traits(b->key);
        if (!visible_traits(t)) continue;
        bool plain_param = (t & (PT_PARAM | PT_ROOT_ONLY)) == (PT_PARAM | PT_ROOT_ONLY);
        if (params_only && !plain_param) continue;
        guard_add(&g, (GuardCond){b->key, b->kind, b->n});
    }
    if (params_only && g.n > 1) g.n = 1; /* the smallest parameter: one mode */
    return g;
}

Guard state_guard(const State *s) { return guard_of(s->binds.data, s->binds.len, false); }
Guard state_mode(const State *s) { return guard_of(s->binds.data, s->binds.len, true); }

bool guard_same(const Guard *a, const Guard *b) {
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++)
        if (a->c[i].key != b->c[i].key || a->c[i].kind != b->c[i].kind || a->c[i].value != b->c[i].value) return false;
    return true;
}

void guard_common(Guard *a, const Guard *b) {
    int n = 0;
    for (int i = 0; i < a->n; i++)
        for (int k = 0; k < b->n; k++)
            if (a->c[i].key == b->c[k].key && a->c[i].kind == b->c[k].kind && a->c[i].value == b->c[k].value) {
                a->c[n++] = a->c[i];
                break;
            }
    a->n = n;
}

static bool conds_exclude(const GuardCond *x, uint8_t kind, int64_t value) {
    if (x->kind == VAL_CONST && kind == VAL_CONST) return x->value != value;
    return x->kind != kind && x->value == value;
}

bool guards_exclude(const Guard *a, const Guard *b) {
    for (int i = 0; i < a->n; i++)
        for (int k = 0; k < b->n; k++)
            if (a->c[i].key == b->c[k].key && conds_exclude(&a->c[i], b->c[k].kind, b->c[k].value)) return true;
    return false;
}

/* A condition's key as the caller names it, and what the caller knows of
 * it: *known set when the caller knows the value. */
static const char *cond_in_caller(State *s, const Event *ev, const GuardCond *c, uint8_t *kind, int64_t *value, bool *known) {
    *known = false;
    const char *key = c->key;
    int n = path_param_index(key);
    if (n >= 0) {
        if (n >= ev->nargs) return NULL;
        const Operand *a = &ev->args[n];
        if (!*path_root_end(key)) { /* the argument's value itself */
            if (a->kind == OPND_CONST || a->kind == OPND_NULL) {
                *kind = VAL_CONST, *value = a->value, *known = true;
                return NULL;
            }
            if (a->kind == OPND_ADDR || a->kind == OPND_FUNC) { /* `&x`, a function: never null */
                *kind = VAL_NE, *value = 0, *known = true;
                return NULL;
            }
            key = operand_key(s, a);
        } else {
            Path out;
            if (!subst_param(s, ev, (Path){key, NULL, NULL}, &out)) return NULL;
            key = out.key;
        }
    }
    Bind *b = key ? bind_find(s, key) : NULL;
    if (b && (b->kind == VAL_CONST || (b->kind == VAL_NE && !b->derefd))) *kind = b->kind, *value = b->n, *known = true;
    return key; /* (not null because reached through: the callee may have set it, `*poh = NULL`) */
}

bool guard_allows(const Guard *g, State *s, const Event *ev) { return guard_allows_seen(g, s, ev, NULL); }

/* cond_in_caller, remembered by the condition's key while the caller's
 * bindings stay as they are (memo NULL: not remembered). */
static const char *cond_seen(GuardMemo *memo, State *s, const Event *ev, const GuardCond *c, uint8_t *kind, int64_t *value,
                             bool *known) {
    for (int i = 0; memo && i < memo->n; i++)
        if (memo->m[i].key == c->key) {
            *kind = memo->m[i].kind, *value = memo->m[i].value, *known = memo->m[i].known;
            return memo->m[i].in_caller;
        }
    const char *key = cond_in_caller(s, ev, c, kind, value, known);
    if (memo && memo->n < GUARD_MEMO)
        memo->m[memo->n++] = (struct GuardSeen){c->key, key, *known ? *kind : 0, *known ? *value : 0, *known};
    return key;
}

bool guard_allows_seen(const Guard *g, State *s, const Event *ev, GuardMemo *memo) {
    for (int i = 0; i < g->n; i++) {
        uint8_t kind;
        int64_t value;
        bool known;
        cond_seen(memo, s, ev, &g->c[i], &kind, &value, &known);
        if (known && conds_exclude(&g->c[i], kind, value)) return false;
    }
    return true;
}

/* The callee's conditions the caller does not know, added to its own
 * guard; with `check`, false (and nothing carried) when one contradicts
 * what the caller knows. */
static bool carry(const Guard *callee, State *s, const Event *ev, const Guard *caller, Guard *carried, GuardMemo *memo,
                  bool check) {
    const char *open[GUARD_CONDS]; /* the conditions the caller does not know, as it names them */
    for (int i = 0; i < callee->n; i++) {
        uint8_t kind;
        int64_t value;
        bool known;
        open[i] = cond_seen(memo, s, ev, &callee->c[i], &kind, &value, &known);
        if (check && known && conds_exclude(&callee->c[i], kind, value)) return false;
        if (known) open[i] = NULL;
    }
    *carried = *caller; /* only for an effect that applies: most do not */
    for (int i = 0; i < callee->n; i++)
        if (caller_visible(open[i])) guard_add(carried, (GuardCond){open[i], callee->c[i].kind, callee->c[i].value});
    return true;
}

/* guard_allows and guard_carry in one look at each condition: callers
 * apply every effect of a summary at every call on every path. */
bool guard_apply(const Guard *callee, State *s, const Event *ev, const Guard *caller, Guard *carried, GuardMemo *memo) {
    return carry(callee, s, ev, caller, carried, memo, true);
}

Guard guard_carry(const Guard *callee, State *s, const Event *ev, const Guard *caller) {
    Guard g;
    carry(callee, s, ev, caller, &g, NULL, false);
    return g;
}

void guard_assume(const Guard *g, State *s, const Event *ev) {
    for (int i = 0; i < g->n; i++) {
        uint8_t kind;
        int64_t value;
        bool known;
        const char *key = cond_in_caller(s, ev, &g->c[i], &kind, &value, &known);
        if (!known && key && !path_is_weak(key)) bind_set(s, (Bind){key, g->c[i].kind, g->c[i].value, 0, NULL, false, false, false});
    }
}

void guard_print(FILE *out, const Function *fn, const Guard *g) {
    for (int i = 0; i < g->n; i++)
        fprintf(out, "%s%s %s %lld", i ? " && " : " if ", display_key(fn, g->c[i].key),
                g->c[i].kind == VAL_CONST ? "==" : "!=", (long long)g->c[i].value);
}

const char *operand_name(const Function *fn, const Operand *o) {
    if (o->text || !o->path.key) return operand_text(o);
    return display_key(fn, o->path.key); /* no spelling (a macro's argument): the location in C */
}

/* Lowering made the text what messages show; a key without one is shown
 * as it is (a key has no parentheses to drop, but is checked). */
const char *operand_text(const Operand *o) {
    if (o->text) return o->text;
    if (!o->path.key) return "?";
    return o->path.key[0] == '(' ? spelling_shown(o->path.key, false) : o->path.key;
}

static const char *display_key_of(const Function *fn, const char *key);

const char *display_key(const Function *fn, const char *key) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, fn, key, &hit);
    if (!hit) memo_fill(m, fn, key, display_key_of(fn, key));
    return m->r;
}

static const char *display_key_of(const Function *fn, const char *key) {
    char buf[512];
    size_t o = 0;
    const char *p = key;
    if (*p == '@') p++;
    if (*p == '$') {
        int n = path_param_index(key);
        const char *name = n < fn->nparams && fn->params[n] && *fn->params[n] ? fn->params[n] : "param";
        o = (size_t)snprintf(buf, sizeof buf, "%s", name);
        p = path_root_end(key);
    }
    for (; *p && o + 4 < sizeof buf; p++) {
        if (*p == '!' || *p == '#') { /* a file tag or shadowing count: not C */
            while (p[1] && p[1] != '.' && p[1] != '*' && p[1] != '[') p++;
        } else if (p[0] == '*' && p[1] == '.') {
            buf[o++] = '-', buf[o++] = '>', p++;
        } else if (p[0] == '*' && p[1] == '[') {
            /* p[i]: the subscript says it */
        } else if (*p == '*') {
            memmove(buf + 1, buf, o), buf[0] = '*', o++;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o] = 0;
    return intern(buf);
}

/* `&s->mx` passed where a callee locks `x->m`: the lock is a field of the
 * struct embedded at `s->mx`, so its class is that field's, extended
 * (`struct sock.mx.m`), not the callee's (`struct mutex.m`, which every
 * struct embedding the wrapper shares). Likewise one pointer further, for
 * a wrapper that points to its private part (Varnish's `struct lock {
 * void *priv; }`: `struct objhead.mtx.priv*.mtx`). fields: the callee's
 * path below the pointee, used only when it is fields alone, with one
 * pointer at most and one field past it. */
static bool one_hop_at_most(const char *fields) {
    const char *star = strchr(fields, '*');
    return !star || (!strchr(star + 1, '*') && !strchr(star + 1 + (star[1] == '.'), '.'));
}

static const char *embedded_class(const char *holder, const char *fields, const char *otherwise) {
    if (!holder || holder[0] == '@' || !*fields || strchr(fields, '[') || !one_hop_at_most(fields)) return otherwise;
    const char *cls = class_extend_through(holder, fields, otherwise);
    return cls ? cls : otherwise;
}

bool subst_param(State *s, const Event *ev, Path sp, Path *out) {
    int n = path_param_index(sp.key);
    if (n < 0 || n >= ev->nargs) return false;
    return subst_operand(s, &ev->args[n], sp, out);
}

/* sp's key with the argument a in place of its parameter, as written. */
static const char *subst_key(const Operand *a, Path sp) {
    if (path_param_index(sp.key) < 0) return NULL;
    const char *rest = path_root_end(sp.key);
    if (a->kind == OPND_ADDR) return *rest == '*' ? pathkey_join(a->path.key, rest + 1) : NULL;
    if (a->kind == OPND_PATH) return pathkey_join(a->path.key, rest);
    return NULL;
}

const char *subst_name(State *s, const Function *fn, const Event *ev, Path sp) {
    int n = path_param_index(sp.key);
    const char *key = n >= 0 && n < ev->nargs ? subst_key(&ev->args[n], sp) : NULL;
    return key ? display_key(fn, resolve(s, (Path){key, NULL, NULL}).key) : NULL;
}

bool subst_operand(State *s, const Operand *a, Path sp, Path *out) {
    const char *key = subst_key(a, sp);
    if (!key) return false;
    const char *rest = path_root_end(sp.key);
    bool has_field = strchr(rest, '.') != NULL;
    const char *cls = has_field ? sp.cls : a->path.cls;
    if (a->kind == OPND_ADDR && has_field) cls = embedded_class(a->path.cls, rest + 1, cls);
    *out = resolve(s, (Path){key, cls, NULL});
    return widen_path(out);
}

#define MAX_DEREFS 4

/* A location reached through a recursive structure grows with every round
 * of a recursive cycle (`p->pool->ctxs[]->mt->pool->...`): past a few
 * dereferences, or with a field met twice, it stands for its class (like a
 * heap object), so the cycle's summaries settle. False when it has none. */
/* Past MAX_DEREFS dereferences, or a field met again behind a pointer
 * (`p*.next*.next`: a recursive structure). A name repeated without a
 * pointer between is a struct embedded by value (`l*.mtx.mtx`, nng's
 * nni_mtx holding a pthread mutex `mtx`), which cannot recurse. */
static bool too_deep(const char *key) {
    int derefs = 0;
    for (const char *c = key; *c; c++) derefs += *c == '*';
    bool repeated = false;
    for (const char *f = strchr(key, '.'); f && !repeated; f = strchr(f + 1, '.')) {
        size_t n = strcspn(f + 1, ".*[");
        for (const char *g = strchr(f + 1, '.'); g && !repeated; g = strchr(g + 1, '.'))
            repeated = strcspn(g + 1, ".*[") == n && !strncmp(f + 1, g + 1, n) && memchr(f, '*', (size_t)(g - f));
    }
    return derefs > MAX_DEREFS || repeated;
}

bool widen_path(Path *p) {
    static __thread Memo memo[1 << MEMO_BITS]; /* too_deep, by interned key */
    bool hit;
    Memo *m = memo_find(memo, p->key, NULL, &hit);
    if (!hit) memo_fill(m, p->key, NULL, too_deep(p->key) ? p->key : NULL);
    if (!m->r) return true;
    if (!p->cls || p->cls[0] == '@') return false;
    p->key = class_key(p->cls);
    return true;
}

/* ------------------------------------------------------------- events */

/* What an assignment teaches: constants, addresses, copies of bindings. */
static void assign_binds(State *s, const Event *ev) {
    Path dst = resolve(s, ev->args[0].path);
    const Operand *src = &ev->args[1];
    const char *skey = operand_key(s, src);
    Bind *sb = skey ? bind_find(s, skey) : NULL;
    Bind copy = sb ? *sb : (Bind){0};
    Bind *ob = src->kind == OPND_OFFSET ? bind_find(s, resolve(s, src->path).key) : NULL;
    Bind was = ob ? *ob : (Bind){.kind = VAL_NE};
    bind_kill_within(s, dst.key);
    if (src->kind == OPND_CONST) bind_set(s, (Bind){dst.key, VAL_CONST, src->value, 0, NULL, false, false, false});
    else if (src->kind == OPND_ADDR) bind_set(s, (Bind){dst.key, VAL_ADDR, 0, 0, resolve(s, src->path).key, false, false, false});
    else if (src->kind == OPND_FUNC && src->key) bind_set(s, (Bind){dst.key, VAL_FUNC, 0, 0, src->key, false, false, false});
    else if (src->kind == OPND_OFFSET && was.kind == VAL_CONST) /* `i++` on a known i; anything else is unknown */
        bind_set(s, (Bind){dst.key, VAL_CONST, was.n + src->value, 0, NULL, false, false, false});
    else if (sb) copy.key = dst.key, bind_set(s, copy);
    else if (src->kind == OPND_PATH && path_param_index(skey) >= 0 && path_is_frame_local(dst.key) && !src->narrow &&
             !path_is_weak(skey))
        /* `struct job *j = arg;`: j points where the parameter does, so `j->out` is the argument's `$0*.out`;
         * `il = lck->priv;` likewise points where the argument's field did: a later store to the field
         * (`ws->dialer = NULL` after `d = ws->dialer; lock(&d->mtx)`) leaves il naming the same object;
         * not an array's element (`p = e->pages[i]`): one of many, where the local names one */
        bind_set(s, (Bind){dst.key, VAL_ADDR, 0, 0, pathkey_join(skey, "*"), false, false, false});
}

/* ------------------------------------------------------------ predicates */

/* What a path remembers of a predicate's value on these arguments: the
 * key `?callee(args)`, NULL when an argument has no name. */
static const char *predicate_key(State *s, const Event *ev) {
    char buf[512];
    size_t o = (size_t)snprintf(buf, sizeof buf, "?%s(", ev->callee_key ? ev->callee_key : "");
    for (int i = 0; i < ev->nargs && o < sizeof buf; i++) {
        const Operand *a = &ev->args[i];
        const char *k = a->kind == OPND_ADDR ? resolve(s, a->path).key : operand_key(s, a);
        if (k) o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%s", i ? "," : "", a->kind == OPND_ADDR ? "&" : "", k);
        else if (a->kind == OPND_CONST || a->kind == OPND_NULL) o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%lld", i ? "," : "", (long long)a->value);
        else return NULL;
    }
    if (o + 2 > sizeof buf) return NULL;
    buf[o++] = ')', buf[o] = 0;
    return intern(buf);
}

/* A call of a predicate: its result is known when the path tested the
 * same call before, else it is the predicate's (tests decide it). A
 * client's own binding of the result (a lock wrapper's) comes first. */
static void predicate_call(State *s, const Event *ev, const Function *callee) {
    const char *t = temp_key(ev->temp);
    if (bind_find(s, t)) return;
    const char *pk = predicate_key(s, ev);
    const Bind *known = pk ? bind_find(s, pk) : NULL;
    if (known) bind_set(s, (Bind){t, known->kind, known->n, 0, NULL, false, false, false});
    else bind_set(s, (Bind){t, VAL_PRED, callee->index, 0, NULL, false, false, false});
}

/* What the path remembers of predicates and comparisons (`?`, `=L`,
 * `=M` keys) that a store may have changed: to memory (locals false),
 * to a local (locals true), or anything (a loop going round: both). */
static void forget_tests(State *s, bool memory, bool locals) {
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        const char *k = s->binds.data[i].key;
        bool drop = (memory && (k[0] == '?' || (k[0] == '=' && k[1] == 'M'))) || (locals && k[0] == '=');
        if (!drop) s->binds.data[o++] = s->binds.data[i];
    }
    s->binds.len = o;
}

static void forget_predicates(State *s) { forget_tests(s, true, false); }

/* Whether comparison key k (`=La REL b`) compares local `local`. */
static bool compares(const char *k, const char *local) {
    size_t n = strlen(local);
    const char *a = k + 2, *b = strrchr(k, ' ');
    return (!strncmp(a, local, n) && a[n] == ' ') || (b && !strcmp(b + 1, local));
}

/* A store to a local: the comparisons of it, and of memory (which may be
 * reached through it), are stale. */
static void forget_comparisons_of(State *s, const char *local) {
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        const char *k = s->binds.data[i].key;
        if (!(k[0] == '=' && (k[1] == 'M' || compares(k, local)))) s->binds.data[o++] = s->binds.data[i]; /* `=M` may read through it */
    }
    s->binds.len = o;
}

const Event *call_of_temp(const Function *fn, int64_t temp) {
    for (int k = 0; k < fn->ncallev; k++)
        if (fn->callev[k]->temp == temp) return fn->callev[k];
    return NULL;
}

/* The edge where predicate b's result is (not) zero: feasible when some
 * return of that kind is allowed here; with one such return, what its
 * path knew holds here too, and the path remembers the value. */
static bool refine_predicate(Engine *e, State *s, Bind *b, const char *tkey, int64_t temp, bool nonzero) {
    const Predicate *pr = analysis_predicate(e->a, analysis_program(e->a)->funcs[b->n]);
    const Event *call = call_of_temp(e->fn, temp);
    if (!call) return true;
    int allowed = 0;
    const PredReturn *only = NULL;
    for (int i = 0; i < pr->n; i++)
        if ((pr->ret[i].value != 0) == nonzero && guard_allows(&pr->ret[i].guard, s, call)) allowed++, only = &pr->ret[i];
    if (!allowed) return false;
    if (allowed == 1) guard_assume(&only->guard, s, call);
    Bind v = nonzero ? (Bind){tkey, VAL_NE, 0, 0, NULL, false, false, false} : (Bind){tkey, VAL_CONST, 0, 0, NULL, false, false, false};
    const char *pk = predicate_key(s, call);
    bind_set(s, v); /* b is stale after bind_set: the vector may move */
    if (pk) v.key = pk, bind_set(s, v);
    return true;
}


/* A call whose errors are positive numbers returned at least 0: a test
 * for a negative result (`if (pthread_mutex_lock(m) < 0)`) never holds. */
static void result_nonneg(State *s, int temp) {
    Bind *b = bind_find(s, temp_key(temp));
    if (b && b->kind == VAL_RESULT) b->nonneg = true;
    else if (!b) bind_set(s, (Bind){temp_key(temp), VAL_NONNEG, 0, 0, NULL, false, true, false});
}

/* A local pointer the event reaches through (`p->lock`, `&p->lock`) is
 * not null from there on: had it been, the program would have crashed.
 * A later `if (!p)` on the path is decided (haproxy's peer state machine
 * takes `curpeer->lock` and, in a later state, `if (!curpeer)` locks it). */
static void deref_nonnull(State *s, const Event *ev) {
    for (int i = 0; i < ev->nargs; i++) {
        const Operand *o = &ev->args[i];
        if (o->kind != OPND_PATH && o->kind != OPND_ADDR) continue;
        const char *key = o->path.key; /* a parameter's, a global's, a temp's first: no scan of the key */
        if (key[0] == '$' || key[0] == '@' || key[0] == '%' || *path_root_end(key) != '*') continue;
        const char *root = path_root(key);
        if (!path_is_frame_local(root)) continue;
        Bind *b = bind_find(s, root);
        if (!b) bind_set(s, (Bind){root, VAL_NE, 0, 0, NULL, false, false, true});
        else if (b->kind == VAL_ADDR) b->derefd = true; /* `p = a->peer`: where the field points, and not null */
    }
}

/* What the path knows of memory (`t*.n`, `@g`): not the frame's own, not
 * a call's result, a predicate's or a comparison's, nor a family's tag. */
static bool memory_fact(const Bind *b) {
    const char *k = b->key;
    return b->kind != VAL_TAG && k[0] != '%' && k[0] != '?' && k[0] != '=' && (k[0] == '@' || strchr(k, '*'));
}

/* A call whose callees may store to what the path knows of memory
 * forgets it (after `clear(t)`, which writes `t->n`, `t->n == 3` may no
 * longer hold). */
static void forget_written(Engine *e, State *s, const Event *ev, const Callee *c) {
    Function *one[1] = {c->def};
    Function *const *targets = one; /* a pointer call the path resolved: that one */
    int n = c->indirect && c->def ? 1 : program_call_targets(analysis_program(e->a), ev, &targets);
    bool any = false;
    for (int t = 0; t < n && !any; t++) any = writes_any(e->a, targets[t]);
    if (!any) return;
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        const Bind *b = &s->binds.data[i];
        bool drop = false;
        for (int t = 0; t < n && !drop && memory_fact(b); t++) drop = writes_may_change(e->a, targets[t], b->key);
        if (!drop) s->binds.data[o++] = *b;
    }
    s->binds.len = o;
}

static void event(Engine *e, State *s, const Event *ev) {
    deref_nonnull(s, ev);
    switch (ev->kind) {
    case EV_CALL: {
        if (ev->temp >= 0) bind_kill_within(s, temp_key(ev->temp)); /* a loop evaluates it anew */
        Callee c = engine_callee(e, s, ev);
        e->c->event(e, s, ev, &c);
        forget_written(e, s, ev, &c);
        if (ev->temp >= 0 && c.model && c.model->errors_positive) result_nonneg(s, ev->temp);
        if (callee_noreturn(e->a, &c, ev)) s->dead = true;
        else if (ev->temp >= 0 && c.def && !c.may && analysis_predicate(e->a, c.def)) predicate_call(s, ev, c.def);
        break;
    }
    case EV_ASSIGN:
        e->c->event(e, s, ev, NULL);
        assign_binds(s, ev);
        if (!path_is_frame_local(ev->args[0].path.key)) forget_predicates(s); /* memory they may read changed */
        else forget_comparisons_of(s, path_root(ev->args[0].path.key));
        break;
    case EV_DECL:
        e->c->event(e, s, ev, NULL);
        bind_kill_within(s, ev->args[0].path.key);
        forget_comparisons_of(s, ev->args[0].path.key);
        break;
    default:
        e->c->event(e, s, ev, NULL);
        break;
    }
}

/* Refines s for the edge where the condition is `truth`; false when this
 * path cannot take the edge. */
/* A comparison of two varying values (`s2 != s1`): the path remembers
 * its outcome under `=a == b`, so a second test of it decides as the
 * first, until what it compares may have changed: a store to a local,
 * or to memory when it reads memory (`=M`), or a loop going round. */
static bool refine_comparison(State *s, const Cond *c, bool truth) {
    const char *a = operand_key(s, &c->cmp[0]), *b = operand_key(s, &c->cmp[1]);
    if (!a || !b) return true;
    bool eq = c->rel == REL_EQ || c->rel == REL_NE;
    if (eq && strcmp(a, b) > 0) { /* `a != b` is `b != a` */
        const char *t = a;
        a = b, b = t;
    }
    bool locals = path_is_frame_local(a) && path_is_frame_local(b); /* `=L`: only a local's store changes it */
    const char *key = internf("=%c%s %s %s", locals ? 'L' : 'M', a, eq ? "==" : rel_spelling(c->rel), b);
    bool holds = eq ? (c->rel == REL_EQ) == truth : truth;
    const Bind *known = bind_find(s, key);
    if (known && known->kind == VAL_CONST) return (known->n != 0) == holds;
    bind_set(s, (Bind){key, VAL_CONST, holds, 0, NULL, false, false, false});
    return true;
}

/* Whether some value v >= 0 has (v REL rhs) == truth. */
static bool nonneg_can(uint8_t rel, int64_t rhs, bool truth) {
    switch (rel) {
    case REL_LT: return truth ? rhs > 0 : true;
    case REL_LE: return truth ? rhs >= 0 : true;
    case REL_GT: return truth ? true : rhs >= 0;
    case REL_GE: return truth ? true : rhs > 0;
    case REL_EQ: return truth ? rhs >= 0 : true;
    default: return true;
    }
}

static bool refine(Engine *e, State *s, const Cond *c, bool truth) {
    if (c->cmp) return refine_comparison(s, c, truth);
    const char *key = operand_key(s, &c->lhs);
    if (!key) return true;
    Bind *b = bind_find(s, key);
    bool eq_known = (c->rel == REL_EQ && truth) || (c->rel == REL_NE && !truth);
    bool ne_known = (c->rel == REL_EQ && !truth) || (c->rel == REL_NE && truth);
    if (b && b->kind == VAL_PRED && c->lhs.kind == OPND_TEMP && c->rhs == 0 && (c->rel == REL_EQ || c->rel == REL_NE))
        return refine_predicate(e, s, b, key, c->lhs.value, (c->rel == REL_NE) == truth);
    if (b && b->kind == VAL_PRED) return true; /* another test of it: nothing known */
    if (b && b->kind == VAL_ADDR && b->derefd && c->rhs == 0 && (eq_known || ne_known)) return ne_known;
    if (b && b->kind == VAL_NONNEG) {
        if (!nonneg_can(c->rel, c->rhs, truth)) return false;
        if (eq_known) *b = (Bind){key, VAL_CONST, c->rhs, 0, NULL, false, false, false};
        return true;
    }
    if (b && b->kind == VAL_CONST) return rel_holds(c->rel, b->n, c->rhs) == truth;
    if (b && b->kind == VAL_NE && b->n == c->rhs && (c->rel == REL_EQ || c->rel == REL_NE)) return !eq_known;
    if (b && b->kind == VAL_NE && eq_known) { /* `!= 0`, then `== 1`: now exactly 1 */
        *b = (Bind){key, VAL_CONST, c->rhs, 0, NULL, false, false, false};
        return true;
    }
    if (b && b->kind == VAL_RESULT) {
        if (b->nonneg && !nonneg_can(c->rel, c->rhs, truth)) return false; /* `if (pthread_mutex_lock(m) < 0)` */
        bool worked;
        if (!b->ne) worked = rel_holds(c->rel, b->n, c->rhs) == truth;
        else if ((c->rel == REL_EQ || c->rel == REL_NE) && c->rhs == b->n) worked = !eq_known;
        else return true; /* a test we cannot relate to "not n" */
        int id = b->fact;
        int64_t success = b->n;
        /* From now on the value is known: equal to success or not. */
        bool is_n = b->ne ? !worked : worked;
        *b = (Bind){key, is_n ? VAL_CONST : VAL_NE, success, 0, is_n ? NULL : b->addr, false, false, false};
        if (e->c->result) e->c->result(e, s, id, worked);
        return true;
    }
    /* A location read twice on one path holds the same value unless the
     * path writes it (assignments kill the binding): `if (cfg.threaded)
     * lock(); ... if (cfg.threaded) unlock();` correlates. */
    if (!b && !path_is_weak(key) && (eq_known || ne_known))
        bind_set(s, (Bind){key, eq_known ? VAL_CONST : VAL_NE, c->rhs, 0, NULL, false, false, false});
    return true;
}

/* --------------------------------------------------------- state merging */

/* An order-independent hash of what same_fact compares, so most unequal
 * fact sets are told apart without the pairwise comparison. */
static uint64_t facts_hash(const Fact *facts, int n) {
    uint64_t h = (uint64_t)n;
    for (int i = 0; i < n; i++) {
        const Fact *f = &facts[i];
        uint64_t x = (uint64_t)f->id * 0x9E3779B97F4A7C15ull ^ (uint64_t)f->status << 40 ^ (uint64_t)(uint16_t)f->count << 48 ^
                     (uint64_t)f->nkeys << 32;
        for (int k = 0; k < f->nkeys; k++) x += (uint64_t)(uintptr_t)f->key[k] * 0xC2B2AE3D27D4EB4Full;
        h += x * 0xFF51AFD7ED558CCDull ^ (x >> 29);
    }
    return h;
}

/* A state's mode as a Frozen keeps it: state_mode's one condition, the
 * smallest parameter's, found without building a guard (on every edge). */
static GuardCond mode_of(const Bind *binds, int nbinds) {
    GuardCond m = {0};
    for (int i = 0; i < nbinds; i++) {
        const Bind *b = &binds[i];
        if ((b->kind != VAL_CONST && b->kind != VAL_NE) || !b->key || b->key[0] != '$' || b->key == m.key) continue;
        unsigned t = path_traits(b->key);
        if (!visible_traits(t) || (t & (PT_PARAM | PT_ROOT_ONLY)) != (PT_PARAM | PT_ROOT_ONLY)) continue;
        if (!m.key || strcmp(b->key, m.key) < 0) m = (GuardCond){b->key, b->kind, b->n};
    }
    return m;
}

static bool same_mode(const GuardCond *a, const GuardCond *b) {
    return a->key == b->key && (!a->key || (a->kind == b->kind && a->value == b->value));
}

static Frozen freeze_as(Engine *e, const State *s, uint64_t fhash, GuardCond mode) {
    Frozen f = {.nfacts = s->facts.len, .nbinds = s->binds.len, .trace = s->trace, .dirty = true, .fhash = fhash, .mode = mode};
    f.facts = arena_alloc_raw(e->arena, sizeof(Fact) * (f.nfacts + 1));
    if (f.nfacts) memcpy(f.facts, s->facts.data, sizeof(Fact) * f.nfacts);
    f.binds = arena_alloc_raw(e->arena, sizeof(Bind) * (f.nbinds + 1));
    if (f.nbinds) memcpy(f.binds, s->binds.data, sizeof(Bind) * f.nbinds);
    return f;
}

static Frozen freeze(Engine *e, const State *s) {
    return freeze_as(e, s, facts_hash(s->facts.data, s->facts.len), mode_of(s->binds.data, s->binds.len));
}

/* Room for n elements in a vector whose contents are replaced. */
#define vec_room(v, n)                                                              \
    do {                                                                            \
        if ((v)->cap < (n)) {                                                       \
            (v)->cap = (n) < 8 ? 8 : (n);                                           \
            (v)->data = xrealloc((v)->data, sizeof(*(v)->data) * (size_t)(v)->cap); \
        }                                                                           \
    } while (0)

static void thaw(const Frozen *f, State *s) {
    vec_room(&s->facts, f->nfacts);
    vec_room(&s->binds, f->nbinds);
    if (f->nfacts) memcpy(s->facts.data, f->facts, sizeof(Fact) * (size_t)f->nfacts);
    if (f->nbinds) memcpy(s->binds.data, f->binds, sizeof(Bind) * (size_t)f->nbinds);
    s->facts.len = f->nfacts, s->binds.len = f->nbinds;
    s->trace = f->trace, s->dead = false;
}

static void state_free(State *s) { free(s->facts.data), free(s->binds.data); }

static bool same_fact(const Fact *a, const Fact *b) {
    if (a->id != b->id || a->status != b->status || a->count != b->count || a->nkeys != b->nkeys) return false;
    for (int i = 0; i < a->nkeys; i++)
        if (!fact_has_key(b, a->key[i])) return false;
    return true;
}

static bool same_facts(const Frozen *f, const State *s, uint64_t shash) {
    if (f->nfacts != s->facts.len || f->fhash != shash) return false;
    for (int i = 0; i < f->nfacts; i++) {
        bool found = false;
        for (int j = 0; j < s->facts.len && !found; j++) found = same_fact(&f->facts[i], &s->facts.data[j]);
        if (!found) return false;
    }
    return true;
}

static bool same_bind(const Bind *a, const Bind *b) {
    return a->kind == b->kind && a->n == b->n && a->fact == b->fact && a->addr == b->addr && a->ne == b->ne;
}

/* What two values of one location have in common when they differ: two
 * constants other than c, or one and `!= c`, are both `!= c` (error codes:
 * `err = -EINVAL; goto out;` and `err = -ENOMEM; goto out;` meet as
 * `err != 0`, so `if (!err)` after the label is not taken on either). */
static bool weaker_common(const Bind *a, const Bind *b, Bind *out) {
    if ((a->kind != VAL_CONST && a->kind != VAL_NE) || (b->kind != VAL_CONST && b->kind != VAL_NE)) return false;
    if (a->kind == VAL_NE && b->kind == VAL_NE) return false; /* unequal: nothing both say */
    const Bind *ne = a->kind == VAL_NE ? a : b->kind == VAL_NE ? b : NULL;
    int64_t c = ne ? ne->n : 0;
    if ((a->kind == VAL_CONST && a->n == c) || (b->kind == VAL_CONST && b->n == c)) return false;
    *out = (Bind){a->key, VAL_NE, c, 0, NULL, false, false, false};
    return true;
}

/* Keeps the bindings both agree on, or what they have in common; true if
 * f lost or weakened any. In place: a Frozen's bindings are its own
 * (freeze copies them), and a block's run copied what it explores before
 * any merge into that block. */
static bool meet_binds(Frozen *f, const State *s) {
    int n = 0;
    bool weakened = false;
    for (int i = 0; i < f->nbinds; i++)
        for (int j = 0; j < s->binds.len; j++) {
            if (s->binds.data[j].key != f->binds[i].key) continue;
            Bind common;
            if (same_bind(&s->binds.data[j], &f->binds[i])) f->binds[n++] = f->binds[i];
            else if (weaker_common(&f->binds[i], &s->binds.data[j], &common)) f->binds[n++] = common, weakened = true;
            break;
        }
    bool changed = n != f->nbinds || weakened;
    f->nbinds = n;
    if (changed) f->mode = mode_of(f->binds, n);
    return changed;
}

static void enqueue(Engine *e, int b) {
    if (e->queued[b]) return;
    e->queued[b] = true;
    vec_push(&e->work, b);
}

/* Too many paths: one state with every fact of any (a may-analysis
 * over-approximation) and the bindings all agree on. */
static void fold(Engine *e, int b, const State *extra) {
    FrozenVec *in = &e->in[b];
    State all = {0};
    thaw(&in->data[0], &all);
    for (int i = 1; i <= in->len; i++) {
        const Fact *facts = i < in->len ? in->data[i].facts : extra->facts.data;
        int n = i < in->len ? in->data[i].nfacts : extra->facts.len;
        for (int t = 0; t < n; t++)
            if (!fact_find(&all, facts[t].id)) vec_push(&all.facts, facts[t]);
    }
    Frozen merged = freeze(e, &all);
    for (int i = 1; i < in->len; i++) {
        State other = {0};
        thaw(&in->data[i], &other);
        meet_binds(&merged, &other);
        state_free(&other);
    }
    meet_binds(&merged, extra);
    in->len = 0;
    in->data[in->len++] = merged;
    state_free(&all);
}

static void flow_into(Engine *e, int b, const State *s) {
    if (s->dead) return;
    FrozenVec *in = &e->in[b];
    GuardCond mode = mode_of(s->binds.data, s->binds.len);
    uint64_t shash = facts_hash(s->facts.data, s->facts.len);
    for (int i = 0; i < in->len; i++) {
        /* Paths merge when their facts agree and they know the same of the
         * parameters: a function's modes (`switch (mode)`) stay apart. */
        if (!same_facts(&in->data[i], s, shash) || !same_mode(&in->data[i].mode, &mode)) continue;
        if (meet_binds(&in->data[i], s)) in->data[i].dirty = true, enqueue(e, b);
        return;
    }
    if (in->len >= MAX_STATES) {
        fold(e, b, s);
    } else {
        if (in->len == in->cap) { /* in the arena: freed with it, never one by one */
            int cap = in->cap ? 2 * in->cap : 2;
            Frozen *grown = arena_alloc_raw(e->arena, sizeof(Frozen) * (size_t)cap);
            if (in->len) memcpy(grown, in->data, sizeof(Frozen) * (size_t)in->len);
            in->data = grown, in->cap = cap;
        }
        in->data[in->len++] = freeze_as(e, s, shash, mode);
    }
    enqueue(e, b);
}

static int nsucc(const Block *b);

/* ------------------------------------------------------------- liveness */

/* The local a key is rooted at (`i0`, `p` of `p*.f`, `%3`), or NULL for a
 * parameter's or a global's (those are never forgotten). */
static const char *local_root(const char *key) {
    if (!key || key[0] == '@' || key[0] == '$') return NULL;
    return path_root(key);
}

static int root_id(Engine *e, const char *root, bool add) {
    void **slot = ptrmap_slot(&e->sh->root_index, root, add);
    if (!slot) return -1;
    if (!*slot) *slot = (void *)(intptr_t)(++e->sh->nroots);
    return (int)(intptr_t)*slot - 1;
}

/* A block's liveness transfer as two bitsets, found in one walk: gen, what
 * it reads before writing, and keep, what it lets through; then
 * live_in = gen | (live_out & keep), and the fixpoint is bit operations. */
typedef struct Transfer { uint64_t *gen, *keep; } Transfer;

static void use_key(Engine *e, Transfer t, const char *key) {
    const char *r = local_root(key);
    int id = r ? root_id(e, r, false) : -1;
    if (id >= 0) t.gen[id / 64] |= 1ull << (id % 64), t.keep[id / 64] |= 1ull << (id % 64);
}

static void use_operand(Engine *e, Transfer t, const Operand *o) {
    if (o->kind == OPND_PATH || o->kind == OPND_ADDR) use_key(e, t, o->path.key);
    else if (o->kind == OPND_TEMP) use_key(e, t, temp_key((int)o->value));
}

/* Backward over the block: a local written whole is dead before the
 * write, one read is live. */
static void block_transfer(Engine *e, const Block *b, Transfer t) {
    memset(t.gen, 0, sizeof(uint64_t) * (size_t)e->sh->words);
    memset(t.keep, 0xff, sizeof(uint64_t) * (size_t)e->sh->words);
    if (b->term == TERM_BRANCH) use_operand(e, t, &b->end->cond.lhs);
    if (b->term == TERM_RETURN) use_operand(e, t, &b->end->ret);
    for (int k = b->nev - 1; k >= 0; k--) {
        const Event *ev = &b->ev[k];
        const char *whole = NULL;
        if (ev->kind == EV_ASSIGN || ev->kind == EV_DECL) whole = ev->args[0].path.key;
        if (ev->kind == EV_CALL && ev->temp >= 0) whole = temp_key(ev->temp);
        int id = whole && local_root(whole) == whole ? root_id(e, whole, false) : -1;
        if (id >= 0) t.gen[id / 64] &= ~(1ull << (id % 64)), t.keep[id / 64] &= ~(1ull << (id % 64));
        for (int i = 0; i < ev->nargs; i++) {
            if (i == 0 && (ev->kind == EV_ASSIGN || ev->kind == EV_DECL)) {
                if (local_root(ev->args[0].path.key) != ev->args[0].path.key) use_key(e, t, ev->args[0].path.key);
                continue; /* `p*.f = x` reads p; `s.f = x` keeps the rest of s */
            }
            use_operand(e, t, &ev->args[i]);
        }
        if (ev->fn) use_operand(e, t, ev->fn);
    }
}

static void collect_roots(Engine *e) {
    const Function *fn = e->fn;
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *blk = &fn->blocks[b];
        ir_prefetch_block(fn, b + 1);
        for (int k = 0; k < blk->nev; k++) {
            const Event *ev = &blk->ev[k];
            for (int i = 0; i < ev->nargs; i++)
                if (ev->args[i].kind == OPND_PATH || ev->args[i].kind == OPND_ADDR) {
                    const char *r = local_root(ev->args[i].path.key);
                    if (r) root_id(e, r, true);
                }
            if (ev->kind == EV_CALL && ev->temp >= 0) root_id(e, temp_key(ev->temp), true);
        }
        if (blk->term == TERM_BRANCH && blk->end->cond.lhs.kind == OPND_PATH) {
            const char *r = local_root(blk->end->cond.lhs.path.key);
            if (r) root_id(e, r, true);
        }
    }
}

static void compute_liveness(Engine *e) {
    const Function *fn = e->fn;
    collect_roots(e);
    size_t words = (size_t)(e->sh->words = (e->sh->nroots + 63) / 64), n = (size_t)fn->nblocks;
    if (!words) return;
    e->sh->live_in = xcalloc(n * words + 1, sizeof(uint64_t));
    uint64_t *bits = xmalloc(sizeof(uint64_t) * (2 * n + 1) * words), *live = bits + 2 * n * words;
    for (size_t b = 0; b < n; b++) block_transfer(e, &fn->blocks[b], (Transfer){bits + 2 * b * words, bits + (2 * b + 1) * words});
    for (bool changed = words == 1; changed;) { /* most functions: at most 64 locals, one word */
        changed = false;
        for (int b = fn->nblocks - 1; b >= 0; b--) {
            const Block *blk = &fn->blocks[b];
            uint64_t out = 0, *in = &e->sh->live_in[b];
            for (int k = 0; k < nsucc(blk); k++)
                if (blk->succ[k] >= 0) out |= e->sh->live_in[blk->succ[k]];
            uint64_t now = bits[2 * b] | (out & bits[2 * b + 1]);
            if (now != *in) *in = now, changed = true;
        }
    }
    for (bool changed = words > 1; changed;) { /* backward, to a fixpoint; reverse order converges fast */
        changed = false;
        for (int b = fn->nblocks - 1; b >= 0; b--) {
            const Block *blk = &fn->blocks[b];
            const uint64_t *gen = bits + 2 * (size_t)b * words, *keep = gen + words;
            memset(live, 0, sizeof(uint64_t) * words);
            for (int k = 0; k < nsucc(blk); k++)
                if (blk->succ[k] >= 0)
                    for (size_t w = 0; w < words; w++) live[w] |= e->sh->live_in[(size_t)blk->succ[k] * words + w];
            for (size_t w = 0; w < words; w++) live[w] = gen[w] | (live[w] & keep[w]);
            uint64_t *in = &e->sh->live_in[(size_t)b * words];
            if (memcmp(in, live, sizeof(uint64_t) * words)) memcpy(in, live, sizeof(uint64_t) * words), changed = true;
        }
    }
    free(bits);
}

/* Forgets what s knows of locals no code from block b on reads. Tags
 * stay: they say what the path did to an object (released the lock behind
 * `c->lock`), which matters at the return however dead `c` is by then. */
static void forget_dead(Engine *e, State *s, int b) {
    if (!e->sh->live_in) return;
    const uint64_t *in = &e->sh->live_in[(size_t)b * e->sh->words];
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        const char *r = s->binds.data[i].kind == VAL_TAG ? NULL : local_root(s->binds.data[i].key);
        int id = r ? root_id(e, r, false) : -1;
        bool dead = id >= 0 && !(in[id / 64] >> (id % 64) & 1);
        if (!dead) s->binds.data[o++] = s->binds.data[i];
    }
    s->binds.len = o;
}

/* ---------------------------------------------------------------- loops */

static int nsucc(const Block *b) { return b->term == TERM_BRANCH ? 2 : b->term == TERM_JUMP ? 1 : 0; }

/* Predecessor lists, as offsets into one array: preds of b are
 * pred[first[b] .. first[b + 1]). */
typedef struct Preds { int *first, *pred; } Preds;

static Preds preds_of(const Function *fn) {
    int n = fn->nblocks;
    Preds P = {xcalloc((size_t)n + 2, sizeof(int)), xmalloc(sizeof(int) * (2 * (size_t)n + 1))};
    for (int b = 0; b < n; b++)
        for (int k = 0; k < nsucc(&fn->blocks[b]); k++)
            if (fn->blocks[b].succ[k] >= 0) P.first[fn->blocks[b].succ[k] + 2]++;
    for (int b = 0; b < n; b++) P.first[b + 2] += P.first[b + 1];
    for (int b = 0; b < n; b++) /* first[s + 1] is where s's next predecessor goes */
        for (int k = 0; k < nsucc(&fn->blocks[b]); k++)
            if (fn->blocks[b].succ[k] >= 0) P.pred[P.first[fn->blocks[b].succ[k] + 1]++] = b;
    return P;
}

/* The natural loop of back edge tail -> head: head plus every block that
 * reaches tail without passing head. */
static LoopInfo natural_loop(const Function *fn, const Preds *P, int head, int tail) {
    LoopInfo L = {.head = head, .body = xcalloc(fn->nblocks, 1)};
    int *todo = xmalloc(sizeof(int) * (fn->nblocks + 1)), nt = 0;
    L.body[head] = true;
    if (!L.body[tail]) L.body[tail] = true, todo[nt++] = tail;
    while (nt) {
        int x = todo[--nt];
        for (int i = P->first[x]; i < P->first[x + 1]; i++)
            if (!L.body[P->pred[i]]) L.body[P->pred[i]] = true, todo[nt++] = P->pred[i];
    }
    free(todo);
    return L;
}

static void find_loops(Engine *e) {
    Function *fn = e->fn;
    int n = fn->nblocks;
    int *state = xcalloc(n, sizeof(int)), *stack = xmalloc(sizeof(int) * 2 * (n + 1)), sp = 0;
    Preds P = {0};
    stack[sp++] = 0, stack[sp++] = 0;
    while (sp) {
        int b = stack[sp - 2], k = stack[sp - 1];
        state[b] = 1;
        const Block *blk = &fn->blocks[b];
        if (k >= nsucc(blk)) {
            state[b] = 2, sp -= 2;
            continue;
        }
        stack[sp - 1]++;
        int s = blk->succ[k];
        if (s < 0) continue;
        if (state[s] == 0) {
            stack[sp++] = s, stack[sp++] = 0;
        } else if (state[s] == 1) {
            if (!P.first) P = preds_of(fn);
            vec_push(&e->sh->loops, natural_loop(fn, &P, s, b));
        }
    }
    free(state), free(stack), free(P.first), free(P.pred);
}

static bool has_key(const char *const *keys, int n, const char *key) {
    for (int i = 0; i < n; i++)
        if (keys[i] == key) return true;
    return false;
}

/* Going round loop L again: what the path knew of the shared locations
 * the loop waits on is stale, since another thread (or a call in the
 * loop) changes them: a wait loop (`while (ctx->stop != 2) sleep(1);`)
 * ends even when this thread stored 1 there just before. Tags are the
 * analyses' own marks, not values, and stay. */
static void forget_waited(State *s, const LoopInfo *L) {
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        const Bind *b = &s->binds.data[i];
        if (b->kind == VAL_TAG || !has_key(L->waits, L->nwaits, b->key)) s->binds.data[o++] = *b;
    }
    s->binds.len = o;
}

static void edge(Engine *e, State *s, int from, int to) {
    forget_dead(e, s, to);
    for (int i = 0; i < e->sh->loops.len; i++)
        if (e->sh->loops.data[i].head == to && e->sh->loops.data[i].body[from]) {
            if (e->sh->loops.data[i].nwaits) forget_waited(s, &e->sh->loops.data[i]);
            forget_tests(s, true, true); /* going round: what it tests may have changed */
        }
    for (int i = 0; e->c->loop_entry && i < e->sh->loops.len; i++)
        if (e->sh->loops.data[i].head == to && !e->sh->loops.data[i].body[from]) e->c->loop_entry(e, s, i);
    flow_into(e, to, s);
}

/* ----------------------------------------------------------- the driver */

static void run_block(Engine *e, int b, const Frozen *f, State *s) {
    const Block *blk = &e->fn->blocks[b];
    thaw(f, s);
    for (int i = 0; i < blk->nev && !s->dead; i++) event(e, s, &blk->ev[i]);
    if (s->dead) return;
    switch (blk->term) {
    case TERM_JUMP:
        edge(e, s, b, blk->succ[0]);
        break;
    case TERM_BRANCH: {
        Frozen mid = freeze_as(e, s, 0, (GuardCond){0}); /* only thawed: no hash, no mode */
        for (int k = 0; k < 2; k++) {
            State *x = &e->side;
            thaw(&mid, x);
            if (refine(e, x, &blk->end->cond, k == 0)) {
                if (x->facts.len) state_step(e, x, blk->end->loc, k == 0 ? "taking the true branch" : "taking the false branch");
                if (e->c->branch) e->c->branch(e, x);
                edge(e, x, b, blk->succ[k]);
            }
        }
        break;
    }
    case TERM_RETURN:
        e->any_return = true;
        e->c->ret(e, s, blk);
        break;
    default:
        break; /* the process ends */
    }
}

static void find_loop_waits(const Function *fn, LoopInfo *L) {
    VEC(const char *) tested = {0}, written = {0};
    for (int b = 0; b < fn->nblocks; b++) {
        if (!L->body[b]) continue;
        const Block *blk = &fn->blocks[b];
        for (int k = 0; k < blk->nev; k++)
            if (blk->ev[k].kind == EV_ASSIGN) vec_push(&written, blk->ev[k].args[0].path.key);
        if (blk->term == TERM_BRANCH && blk->end->cond.lhs.kind == OPND_PATH && !path_is_frame_local(blk->end->cond.lhs.path.key))
            vec_push(&tested, blk->end->cond.lhs.path.key);
    }
    int n = 0;
    for (int i = 0; i < tested.len; i++)
        if (!has_key(written.data, written.len, tested.data[i])) tested.data[n++] = tested.data[i];
    free(written.data);
    L->waits = tested.data, L->nwaits = n;
}

Shape *shape_new(Function *fn) {
    Engine tmp = {.fn = fn, .sh = xcalloc(1, sizeof(Shape))};
    if (fn->nblocks) find_loops(&tmp), compute_liveness(&tmp);
    for (int i = 0; i < tmp.sh->loops.len; i++) find_loop_waits(fn, &tmp.sh->loops.data[i]);
    return tmp.sh;
}

void shape_free(Shape *sh) {
    if (!sh) return;
    for (int i = 0; i < sh->loops.len; i++) free(sh->loops.data[i].body), free(sh->loops.data[i].waits);
    free(sh->loops.data), free(sh->live_in);
    ptrmap_free(&sh->root_index);
    free(sh);
}

bool engine_run(const Analysis *a, Function *fn, const Client *c, bool *returns) {
    *returns = true;
    if (fn->nblocks == 0) return true;
    Scratch *sc = scratch_take(fn->nblocks);
    Engine e = {.a = a, .fn = fn, .c = c};
    State s = {0};
    if (sc) {
        e.arena = sc->arena, e.in = sc->in, e.queued = sc->queued, e.work = sc->work, e.work.len = 0;
        s = sc->s, e.side = sc->side;
        s.facts.len = s.binds.len = e.side.facts.len = e.side.binds.len = 0, s.trace = e.side.trace = NULL;
        s.dead = e.side.dead = false;
    } else {
        e.arena = arena_new();
        e.in = xcalloc(fn->nblocks, sizeof(*e.in));
        e.queued = xcalloc(fn->nblocks, 1);
    }
    Shape *own = NULL;
    e.sh = a ? analysis_shape(a, fn) : NULL;
    if (!e.sh) e.sh = own = shape_new(fn);
    if (c->begin) c->begin(&e);
    flow_into(&e, 0, &s);
    long budget = function_budget(fn->nblocks);
    int head = 0;
    for (; head < e.work.len && budget > 0; budget--) {
        int b = e.work.data[head++];
        if (head == e.work.len) head = e.work.len = 0; /* drained: reuse the buffer */
        else ir_prefetch_block(fn, e.work.data[head]);
        e.queued[b] = false;
        FrozenVec *in = &e.in[b];
        for (int i = 0, n = in->len; i < n && i < in->len; i++) {
            if (!in->data[i].dirty) continue;
            in->data[i].dirty = false;
            Frozen f = in->data[i];
            run_block(&e, b, &f, &s);
        }
    }
    bool exhausted = head < e.work.len; /* work left when the budget ran out */
    *returns = e.any_return || exhausted;
    shape_free(own);
    if (sc) { /* kept for the next exploration */
        sc->work = e.work, sc->s = s, sc->side = e.side;
        arena_reset(e.arena);
        sc->busy = false;
    } else {
        state_free(&s), state_free(&e.side);
        free(e.in), free(e.queued), free(e.work.data);
        arena_free(e.arena);
    }
    return !exhausted;
}
