/* engine.c — path-sensitive exploration of one function (see engine.h). */
#include "analyses/engine.h"

#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

#define MAX_STATES 12    /* paths kept apart per block before they are folded */
#define WORK_BUDGET 20000 /* block visits per function, plus ... */
#define WORK_PER_BLOCK 16 /* ... this many per block: big functions get their due */

/* THREADVET_ENGINE_BUDGET overrides the base budget (tests use it to see
 * what happens when it runs out). */
static long base_budget(void) {
    static long budget = -1;
    if (budget < 0) {
        const char *v = getenv("THREADVET_ENGINE_BUDGET");
        long n = v ? strtol(v, NULL, 10) : 0;
        budget = n > 0 ? n : WORK_BUDGET;
    }
    return budget;
}

typedef struct Frozen {
    Fact *facts; int nfacts;
    Bind *binds; int nbinds;
    const Step *trace;
    bool dirty;          /* not yet propagated */
} Frozen;

typedef VEC(Frozen) FrozenVec;

struct Engine {
    const Analysis *a;
    Function *fn;
    const Client *c;
    Arena *arena;
    FrozenVec *in;       /* per block: the path states reaching it */
    VEC(int) work;
    bool *queued;
    VEC(LoopInfo) loops;
    bool any_return;
};

void *engine_ctx(const Engine *e) { return e->c->ctx; }
const Analysis *engine_analysis(const Engine *e) { return e->a; }
Function *engine_function(const Engine *e) { return e->fn; }
Arena *engine_arena(const Engine *e) { return e->arena; }
int engine_nloops(const Engine *e) { return e->loops.len; }
const LoopInfo *engine_loop(const Engine *e, int i) { return &e->loops.data[i]; }

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

void bind_kill_within(State *s, const char *key) {
    int o = 0;
    for (int i = 0; i < s->binds.len; i++)
        if (!path_within(s->binds.data[i].key, key)) s->binds.data[o++] = s->binds.data[i];
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
    for (const Step *st = s->trace; st; st = st->prev) flow->steps[i--] = (FlowStep){st->loc, st->msg, 0};
    return flow;
}

void state_step(Engine *e, State *s, Loc loc, const char *msg) {
    Step *st = arena_alloc(e->arena, sizeof *st);
    *st = (Step){s->trace, loc, msg};
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
    if (c->def) return; /* its summary says what it does */
    for (int i = 0; i < ev->nargs; i++) {
        ArgUse use = model_arg_use(c->model, i);
        Path p;
        if (use == ARG_NONE || !pointee(s, &ev->args[i], &p)) continue;
        f(ctx, s, p, use, &ev->args[i]);
    }
}

const char *resolve_key(State *s, const char *key) {
    const char *end = path_root_end(key);
    if (*end != '*') return key;
    char root[256];
    size_t n = (size_t)(end - key);
    if (n >= sizeof root) return key;
    memcpy(root, key, n), root[n] = 0;
    Bind *b = bind_find(s, intern(root));
    if (!b || !b->addr || b->kind == VAL_FUNC) return key; /* an address, or a result known to be one */
    return pathkey_append(b->addr, end + 1);
}

Path resolve(State *s, Path p) { return (Path){resolve_key(s, p.key), p.cls}; }

bool pointee(State *s, const Operand *o, Path *out) {
    if (o->kind == OPND_ADDR) return *out = resolve(s, o->path), true;
    if (o->kind == OPND_PATH) return *out = resolve(s, (Path){pathkey_append(o->path.key, "*"), NULL}), true;
    return false;
}

const char *operand_key(State *s, const Operand *o) {
    if (o->kind == OPND_TEMP) return temp_key((int)o->value);
    if (o->kind == OPND_PATH) return resolve_key(s, o->path.key);
    return NULL;
}

static Guard guard_of(const Bind *binds, int nbinds) {
    Guard g = {0, 0, 0};
    for (int i = 0; i < nbinds; i++) {
        const Bind *b = &binds[i];
        int n = path_param_index(b->key);
        if (n < 0 || *path_root_end(b->key) || (b->kind != VAL_CONST && b->kind != VAL_NE)) continue;
        if (!g.param || n + 1 < g.param) g = (Guard){n + 1, b->kind, b->n};
    }
    return g;
}

Guard state_guard(const State *s) { return guard_of(s->binds.data, s->binds.len); }

bool guard_allows(Guard g, const Event *ev) {
    int n = g.param - 1;
    if (n < 0 || n >= ev->nargs || ev->args[n].kind != OPND_CONST) return true;
    int64_t v = ev->args[n].value;
    return g.kind == VAL_CONST ? v == g.value : v != g.value;
}

const char *operand_text(const Operand *o) {
    const char *t = o->text ? o->text : o->path.key;
    if (!t) return "?";
    if (o->text && o->kind == OPND_ADDR && t[0] == '&') {
        t++;
        while (*t == ' ') t++;
    }
    size_t n = strlen(t);
    while (n >= 2 && t[0] == '(' && t[n - 1] == ')') t++, n -= 2; /* `&(cfg.mu)` */
    return intern_n(t, n);
}

const char *display_key(const Function *fn, const char *key) {
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

bool subst_param(State *s, const Event *ev, Path sp, Path *out) {
    int n = path_param_index(sp.key);
    if (n < 0 || n >= ev->nargs) return false;
    const Operand *a = &ev->args[n];
    const char *rest = path_root_end(sp.key);
    const char *key;
    if (a->kind == OPND_ADDR) {
        if (*rest != '*') return false;
        key = pathkey_append(a->path.key, rest + 1);
    } else if (a->kind == OPND_PATH) {
        key = pathkey_append(a->path.key, rest);
    } else {
        return false;
    }
    bool has_field = strchr(rest, '.') != NULL;
    *out = resolve(s, (Path){key, has_field ? sp.cls : a->path.cls});
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
    bind_kill_within(s, dst.key);
    if (src->kind == OPND_CONST) bind_set(s, (Bind){dst.key, VAL_CONST, src->value, 0, NULL, false});
    else if (src->kind == OPND_ADDR) bind_set(s, (Bind){dst.key, VAL_ADDR, 0, 0, resolve(s, src->path).key, false});
    else if (src->kind == OPND_FUNC && src->key) bind_set(s, (Bind){dst.key, VAL_FUNC, 0, 0, src->key, false});
    else if (sb) copy.key = dst.key, bind_set(s, copy);
}

static bool never_returns(const Engine *e, const Callee *c) {
    return (c->model && c->model->noreturn) || (c->def && fn_noreturn(e->a, c->def));
}

static void event(Engine *e, State *s, const Event *ev) {
    switch (ev->kind) {
    case EV_CALL: {
        if (ev->temp >= 0) bind_kill_within(s, temp_key(ev->temp)); /* a loop evaluates it anew */
        Callee c = engine_callee(e, s, ev);
        e->c->event(e, s, ev, &c);
        if (never_returns(e, &c)) s->dead = true;
        break;
    }
    case EV_ASSIGN:
        e->c->event(e, s, ev, NULL);
        assign_binds(s, ev);
        break;
    case EV_DECL:
        e->c->event(e, s, ev, NULL);
        bind_kill_within(s, ev->args[0].path.key);
        break;
    default:
        e->c->event(e, s, ev, NULL);
        break;
    }
}

/* Refines s for the edge where the condition is `truth`; false when this
 * path cannot take the edge. */
static bool refine(Engine *e, State *s, const Cond *c, bool truth) {
    const char *key = operand_key(s, &c->lhs);
    if (!key) return true;
    Bind *b = bind_find(s, key);
    bool eq_known = (c->rel == REL_EQ && truth) || (c->rel == REL_NE && !truth);
    bool ne_known = (c->rel == REL_EQ && !truth) || (c->rel == REL_NE && truth);
    if (b && b->kind == VAL_CONST) return rel_holds(c->rel, b->n, c->rhs) == truth;
    if (b && b->kind == VAL_NE && b->n == c->rhs && (c->rel == REL_EQ || c->rel == REL_NE)) return !eq_known;
    if (b && b->kind == VAL_NE && eq_known) { /* `!= 0`, then `== 1`: now exactly 1 */
        *b = (Bind){key, VAL_CONST, c->rhs, 0, NULL, false};
        return true;
    }
    if (b && b->kind == VAL_RESULT) {
        bool worked;
        if (!b->ne) worked = rel_holds(c->rel, b->n, c->rhs) == truth;
        else if ((c->rel == REL_EQ || c->rel == REL_NE) && c->rhs == b->n) worked = !eq_known;
        else return true; /* a test we cannot relate to "not n" */
        int id = b->fact;
        int64_t success = b->n;
        /* From now on the value is known: equal to success or not. */
        bool is_n = b->ne ? !worked : worked;
        *b = (Bind){key, is_n ? VAL_CONST : VAL_NE, success, 0, is_n ? NULL : b->addr, false};
        if (e->c->result) e->c->result(e, s, id, worked);
        return true;
    }
    /* A location read twice on one path holds the same value unless the
     * path writes it (assignments kill the binding): `if (cfg.threaded)
     * lock(); ... if (cfg.threaded) unlock();` correlates. */
    if (!b && !path_is_weak(key) && (eq_known || ne_known))
        bind_set(s, (Bind){key, eq_known ? VAL_CONST : VAL_NE, c->rhs, 0, NULL, false});
    return true;
}

/* --------------------------------------------------------- state merging */

static Frozen freeze(Engine *e, const State *s) {
    Frozen f = {.nfacts = s->facts.len, .nbinds = s->binds.len, .trace = s->trace, .dirty = true};
    f.facts = arena_alloc(e->arena, sizeof(Fact) * (f.nfacts + 1));
    if (f.nfacts) memcpy(f.facts, s->facts.data, sizeof(Fact) * f.nfacts);
    f.binds = arena_alloc(e->arena, sizeof(Bind) * (f.nbinds + 1));
    if (f.nbinds) memcpy(f.binds, s->binds.data, sizeof(Bind) * f.nbinds);
    return f;
}

static void thaw(const Frozen *f, State *s) {
    s->facts.len = s->binds.len = 0;
    for (int i = 0; i < f->nfacts; i++) vec_push(&s->facts, f->facts[i]);
    for (int i = 0; i < f->nbinds; i++) vec_push(&s->binds, f->binds[i]);
    s->trace = f->trace, s->dead = false;
}

static void state_free(State *s) { free(s->facts.data), free(s->binds.data); }

static bool same_fact(const Fact *a, const Fact *b) {
    if (a->id != b->id || a->status != b->status || a->count != b->count || a->nkeys != b->nkeys) return false;
    for (int i = 0; i < a->nkeys; i++)
        if (!fact_has_key(b, a->key[i])) return false;
    return true;
}

static bool same_facts(const Frozen *f, const State *s) {
    if (f->nfacts != s->facts.len) return false;
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

/* Keeps the bindings both agree on; true if f lost any. */
static bool meet_binds(Engine *e, Frozen *f, const State *s) {
    Bind *out = arena_alloc(e->arena, sizeof(Bind) * (f->nbinds + 1));
    int n = 0;
    for (int i = 0; i < f->nbinds; i++)
        for (int j = 0; j < s->binds.len; j++)
            if (s->binds.data[j].key == f->binds[i].key && same_bind(&s->binds.data[j], &f->binds[i])) {
                out[n++] = f->binds[i];
                break;
            }
    bool changed = n != f->nbinds;
    f->binds = out, f->nbinds = n;
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
        meet_binds(e, &merged, &other);
        state_free(&other);
    }
    meet_binds(e, &merged, extra);
    in->len = 0;
    vec_push(in, merged);
    state_free(&all);
}

static void flow_into(Engine *e, int b, const State *s) {
    if (s->dead) return;
    FrozenVec *in = &e->in[b];
    Guard g = state_guard(s);
    for (int i = 0; i < in->len; i++) {
        /* Paths merge when their facts agree and they know the same of the
         * parameters: a function's modes (`switch (mode)`) stay apart. */
        if (!same_facts(&in->data[i], s)) continue;
        Guard h = guard_of(in->data[i].binds, in->data[i].nbinds);
        if (h.param != g.param || h.kind != g.kind || h.value != g.value) continue;
        if (meet_binds(e, &in->data[i], s)) in->data[i].dirty = true, enqueue(e, b);
        return;
    }
    if (in->len >= MAX_STATES) fold(e, b, s);
    else vec_push(in, freeze(e, s));
    enqueue(e, b);
}

/* ---------------------------------------------------------------- loops */

static int nsucc(const Block *b) { return b->term == TERM_BRANCH ? 2 : b->term == TERM_JUMP ? 1 : 0; }

/* The natural loop of back edge tail -> head: head plus every block that
 * reaches tail without passing head. */
static LoopInfo natural_loop(const Function *fn, int head, int tail) {
    LoopInfo L = {head, xcalloc(fn->nblocks, 1)};
    int *todo = xmalloc(sizeof(int) * (fn->nblocks + 1)), nt = 0;
    L.body[head] = true;
    if (!L.body[tail]) L.body[tail] = true, todo[nt++] = tail;
    while (nt) {
        int x = todo[--nt];
        for (int p = 0; p < fn->nblocks; p++) {
            const Block *pb = &fn->blocks[p];
            bool to_x = false;
            for (int k = 0; k < nsucc(pb); k++) to_x |= pb->succ[k] == x;
            if (to_x && !L.body[p]) L.body[p] = true, todo[nt++] = p;
        }
    }
    free(todo);
    return L;
}

static void find_loops(Engine *e) {
    Function *fn = e->fn;
    int n = fn->nblocks;
    int *state = xcalloc(n, sizeof(int)), *stack = xmalloc(sizeof(int) * 2 * (n + 1)), sp = 0;
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
        if (state[s] == 0) stack[sp++] = s, stack[sp++] = 0;
        else if (state[s] == 1) vec_push(&e->loops, natural_loop(fn, s, b));
    }
    free(state), free(stack);
}

static void edge(Engine *e, State *s, int from, int to) {
    for (int i = 0; e->c->loop_entry && i < e->loops.len; i++)
        if (e->loops.data[i].head == to && !e->loops.data[i].body[from]) e->c->loop_entry(e, s, i);
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
        Frozen mid = freeze(e, s);
        for (int k = 0; k < 2; k++) {
            State x = {0};
            thaw(&mid, &x);
            if (refine(e, &x, &blk->cond, k == 0)) {
                if (x.facts.len) state_step(e, &x, blk->term_loc, k == 0 ? "taking the true branch" : "taking the false branch");
                edge(e, &x, b, blk->succ[k]);
            }
            state_free(&x);
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

bool engine_run(const Analysis *a, Function *fn, const Client *c, bool *returns) {
    *returns = true;
    if (fn->nblocks == 0) return true;
    Engine e = {.a = a, .fn = fn, .c = c, .arena = arena_new()};
    e.in = xcalloc(fn->nblocks, sizeof(*e.in));
    e.queued = xcalloc(fn->nblocks, 1);
    find_loops(&e);
    if (c->begin) c->begin(&e);
    State s = {0};
    flow_into(&e, 0, &s);
    long budget = base_budget() + (getenv("THREADVET_ENGINE_BUDGET") ? 0 : (long)WORK_PER_BLOCK * fn->nblocks);
    int head = 0;
    for (; head < e.work.len && budget > 0; budget--) {
        int b = e.work.data[head++];
        if (head == e.work.len) head = e.work.len = 0; /* drained: reuse the buffer */
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
    state_free(&s);
    for (int i = 0; i < fn->nblocks; i++) free(e.in[i].data);
    for (int i = 0; i < e.loops.len; i++) free(e.loops.data[i].body);
    free(e.in), free(e.queued), free(e.work.data), free(e.loops.data);
    arena_free(e.arena);
    return !exhausted;
}
