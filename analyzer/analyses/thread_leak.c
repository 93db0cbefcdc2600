/* thread_leak.c — `thread-leak`: a thread created but neither joined nor
 * detached on some path (the C form of a leaked goroutine).
 *
 * Each created thread is a fact of the path-sensitive engine (engine.h),
 * living at one or more locations: the handle variable and its copies. It
 * ends when joined or detached; it leaks when the last location holding it
 * is overwritten or goes out of scope, or the function returns without
 * handing it on. A create whose result is checked is a fact only on the
 * path where it worked.
 *
 * Handing on is what summaries describe: a function's joins, detaches and
 * still-live creations on its parameters' pointees, its returned handle,
 * whether its thread detaches itself. Callers instantiate them at each call.
 * Handles stored in globals or heap objects are checked over the whole
 * program by class ("struct pool.threads", "@g_worker"): some code must
 * join or detach that class. */
#include <stdlib.h>
#include <string.h>

#include "analyses/engine.h"
#include "ir/ir.h"
#include "link/program.h"

/* ---------------------------------------------------------------- summary */

typedef enum { EFF_JOIN, EFF_CREATE, EFF_ESCAPE, EFF_ATTR_DETACHED, EFF_LEAK } EffKind;

typedef struct Effect {
    uint8_t kind;
    Path path;          /* `$N...` */
    Loc origin;         /* EFF_CREATE: the underlying create */
    const char *start;  /* EFF_CREATE: the start routine's name, if known */
    bool result_in_ret; /* EFF_CREATE: the return value tells whether it worked */
    int64_t success;
    /* EFF_LEAK: a thread lost on the paths where the caller's arguments
     * (or globals) meet `guard` (`start(f, arg, NULL)` when the handle is
     * stored only through a non-null pointer): the caller judges it. */
    Guard guard;
    Loc lost_at;
    const char *lost_msg, *via;
} Effect;

typedef struct ThreadSummary {
    VEC(Effect) effects;
    bool self_detach;   /* running as a thread, it detaches itself */
    bool returns_self;
    bool returns_handle;/* returns a live thread it created */
    Loc ret_origin;
    const char *ret_start;
    bool called;        /* some caller instantiated its creations */
} ThreadSummary;

/* --------------------------------------------------------------- context */

enum { TOK_PENDING, TOK_LIVE };

/* A creation in the function being analysed: a model-bound create, or a
 * call whose callee leaves a thread to its caller. Facts' ids index these. */
typedef struct Site {
    const Event *ev;
    const char *handle;   /* how the source names the handle */
    const char *start;    /* the start routine's name, if known */
    Loc origin;           /* the underlying create, when through a call */
    const char *via;      /* the callee that creates it, or NULL */
    const char *key;      /* where it was created (location key) */
    bool reported;
} Site;

typedef struct Escape { Loc site, store; const char *cls, *handle, *fn, *via, *where, *start; Loc origin; } Escape;

typedef struct Global {
    FamilyRun *r;
    const Rule *rule;
    VEC(Escape) escapes;
    VEC(const char *) discharged; /* classes some code joins or detaches */
} Global;

typedef VEC(const char *) KeyVec;

/* A return: its value when a constant (or what it is known to differ
 * from), and what the path knew of the parameters. */
typedef struct RetInfo { bool known, ne; int64_t value; Guard mode; } RetInfo;

typedef struct Fx {
    Global *g;
    Function *fn;
    ThreadSummary *sum;
    VEC(Site) sites;
    PtrMap site_by_event; /* event -> its site's index + 1 */
    KeyVec *loop_joins;   /* per loop: weak keys its body joins */
    int nloops;
    Loc at;               /* the call being applied */
    /* per return: what it returns, and the parameter objects it hands a
     * live thread to (NULL-separated) */
    VEC(RetInfo) rets;
    VEC(const char *) handed;
    PtrMap copied_from;   /* local key -> KeyVec* of the classes copied into it (made on the first join of a local) */
    bool copies_known;
} Fx;

static Fx *fx_of(Engine *e) { return engine_ctx(e); }

static ThreadSummary *summary(const Global *g, const Function *fn) { return family_summary(g->r, fn); }

/* The parts of a thread-leak's identity: where, and whose thread. */
static const char *leak_identity(const char *fn, const char *start, const char *via, const char *cls) {
    const char *parts[4];
    int n = 0;
    parts[n++] = internf("fn:%s", fn);
    parts[n++] = internf("start:%s", start ? start : "?");
    if (via) parts[n++] = internf("via:%s", via);
    if (cls) parts[n++] = internf("in:%s", id_object(NULL, (Path){cls, cls, NULL}));
    return finding_identity("thread-leak", parts, n, false);
}

/* ------------------------------------------------------------- reporting */

/* What to call a token where it is now: its variable, else its creation. */
static const char *tok_name(Fx *fx, const Fact *t) {
    char buf[600];
    const Site *s = &fx->sites.data[t->id];
    const char *name = s->handle;
    for (int i = 0; i < t->nkeys; i++)
        if (t->key[i][0] != '%') {
            if (t->key[i] != s->key || !name) name = display_key(fx->fn, t->key[i]);
            break;
        }
    if (name) snprintf(buf, sizeof buf, "'%s'", name);
    else snprintf(buf, sizeof buf, "the thread returned by '%s'", s->via);
    return intern(buf);
}


static void report(Fx *fx, int site, const State *s, Loc exit_loc, const char *exit_msg) {
    Site *st = &fx->sites.data[site];
    if (st->reported) return;
    st->reported = true;
    Finding f = {.rule = fx->g->rule, .loc = st->ev->loc};
    if (st->via && !st->handle)
        f.message = xasprintf("thread started by '%s' is neither joined nor detached on some path", st->via);
    else if (st->via)
        f.message = xasprintf("thread started by '%s' into '%s' is neither joined nor detached on some path",
                              st->via, st->handle);
    else if (st->handle)
        f.message = xasprintf("thread created into '%s' is neither joined nor detached on some path", st->handle);
    else
        f.message = xstrdup("thread created here is neither joined nor detached on some path");
    f.related = xcalloc(2, sizeof(Related));
    f.related[f.nrelated++] = (Related){exit_loc, exit_msg};
    if (st->via) f.related[f.nrelated++] = (Related){st->origin, internf("the thread is created here, in '%s'", st->via)};
    f.flows = state_flow(s, exit_loc, exit_msg), f.nflows = 1;
    f.identity = leak_identity(fx->fn->name, st->start, st->via, NULL);
    family_report(fx->g->r, f);
}

typedef enum { LOST_RETURN, LOST_OVERWRITE, LOST_SCOPE } LossKind;

/* A token's last location is gone: leaked (it only exists where the
 * creation worked). `what` names the handle as the note should. */
static void lose(Fx *fx, State *s, int site, Loc at, LossKind kind, const char *what) {
    fact_remove(s, site);
    if (fx->sites.data[site].reported) return;
    const char *msg;
    if (kind == LOST_RETURN) msg = internf("%s is lost when '%s' returns here", what, fx->fn->name);
    else if (kind == LOST_OVERWRITE) msg = internf("'%s' is overwritten here while its thread is neither joined nor detached", what);
    else msg = internf("'%s' goes out of scope here, before its thread is joined or detached", what);
    report(fx, site, s, at, msg);
}

/* ----------------------------------------------------- token bookkeeping */

static int site_of(Fx *fx, const Event *ev, const char *handle, const char *start, const char *via, Loc origin) {
    void **slot = ptrmap_slot(&fx->site_by_event, ev, true); /* a function may create thousands */
    if (*slot) return (int)(intptr_t)*slot - 1;
    vec_push(&fx->sites, ((Site){ev, handle, start, origin, via, NULL, false}));
    *slot = (void *)(intptr_t)fx->sites.len;
    return fx->sites.len - 1;
}

/* A location reached through a pointer kept in memory (`d->tail->tid`):
 * which object it is depends on that pointer, which the calls between two
 * stores move (a list's new tail each time a connection is added). */
static bool through_memory(const char *key) {
    for (const char *c = path_root_end(key); *c; c++)
        if (*c == '*' && c > key && c[-1] != '*' && c != path_root_end(key)) return true;
    return false;
}

/* Strong locations are overwritten by a store; weak ones (`a[]`, or
 * through memory) are not. */
static void overwrite(Fx *fx, State *s, const char *key, Loc at) {
    for (int i = 0; i < s->facts.len; i++) {
        Fact *t = &s->facts.data[i];
        for (int j = 0; j < t->nkeys; j++)
            if (!path_is_weak(t->key[j]) && !through_memory(t->key[j]) && path_within(t->key[j], key)) fact_drop_key(t, j--);
        if (t->nkeys == 0) {
            lose(fx, s, t->id, at, LOST_OVERWRITE, display_key(fx->fn, key));
            i--;
        }
    }
}

/* A handle stored where only the whole program can tell who joins it. */
static void escape_to_class(Fx *fx, int site, Path where, Loc at) {
    const char *cls = where.cls;
    if (!cls && path_is_global(where.key)) cls = where.key;
    if (!cls || family_quiet(fx->g->r)) return; /* an anonymous heap object: we cannot follow it */
    Site *s = &fx->sites.data[site];
    Escape e = {s->ev->loc, at, cls, s->handle ? s->handle : "the returned handle", fx->fn->name, s->via,
                display_key(fx->fn, where.key), s->start, s->origin};
    vec_push(&fx->g->escapes, e);
}

/* A location in memory this function allocated and still owns (`p->tid`
 * with `p = malloc(...)`): followed here like a local, since its handles
 * are lost with it on an error path. */
static bool in_owned(State *s, const char *key) {
    const char *end = path_root_end(key);
    if (*end != '*' || key[0] == '@' || key[0] == '$') return false;
    Bind *b = bind_find(s, intern_n(key, (size_t)(end - key)));
    return b && b->kind == VAL_TAG && b->n == TAG_OWNED;
}

static bool is_tracked_here(State *s, const char *key) {
    return path_is_frame_local(key) || path_param_index(key) >= 0 || key[0] == '%' || in_owned(s, key);
}

/* Puts token t at `where`, or hands it to the class check when the location
 * outlives this function (globals, heap through local pointers). */
static void place(Fx *fx, State *s, Fact *t, Path where, Loc at) {
    if (is_tracked_here(s, where.key)) {
        fact_add_key(t, where.key, where.cls);
        return;
    }
    escape_to_class(fx, t->id, where, at);
    t->nkeys = 0; /* escaped: no longer ours */
}

static void new_token(Fx *fx, State *s, int site, Path where, Loc at, int temp, bool has_success, int64_t success) {
    overwrite(fx, s, where.key, at);
    Fact *old = fact_find(s, site);
    if (old && old->status == TOK_LIVE && fact_has_key(old, where.key))
        return; /* a loop creating into an array again: the earlier threads stay live either way */
    fact_remove(s, site);
    if (!fx->sites.data[site].key) fx->sites.data[site].key = where.key;
    Fact t = {.id = site, .status = TOK_LIVE, .at = at};
    place(fx, s, &t, where, at);
    if (t.nkeys == 0) return;
    if (has_success && temp >= 0) {
        t.status = TOK_PENDING;
        bind_set(s, (Bind){temp_key(temp), VAL_RESULT, success, site, NULL, false, false, false});
    }
    fact_add(s, t);
}

static const char *class_of(Path p) { return p.cls ? p.cls : path_is_global(p.key) ? p.key : NULL; }

/* A join of location p discharges the class of objects it belongs to; a
 * join of a local discharges the classes its value was copied from
 * (`mt = ctx->master; ... join(mt)`), wherever in the function. */
/* The classes each local of the function is assigned a copy from, in
 * event order: found in one walk, not one per join (a function joining
 * thousands of threads). */
static void index_copies(Fx *fx) {
    const Function *fn = fx->fn;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->nargs < 2 || ev->args[1].kind != OPND_PATH) continue;
            const char *from = path_is_frame_local(ev->args[0].path.key) ? class_of(ev->args[1].path) : NULL;
            if (!from) continue;
            void **slot = ptrmap_slot(&fx->copied_from, ev->args[0].path.key, true);
            if (!*slot) *slot = xcalloc(1, sizeof(KeyVec));
            vec_push((KeyVec *)*slot, from);
        }
    fx->copies_known = true;
}

static void discharge_class(Fx *fx, Path p) {
    if (family_quiet(fx->g->r)) return;
    const char *cls = class_of(p);
    if (cls) {
        vec_push(&fx->g->discharged, cls);
        return;
    }
    if (!path_is_frame_local(p.key)) return;
    if (!fx->copies_known) index_copies(fx);
    const KeyVec *from = ptrmap_get(&fx->copied_from, p.key);
    for (int i = 0; from && i < from->len; i++) vec_push(&fx->g->discharged, from->data[i]);
}

static void add_effect(Fx *fx, Effect e) {
    for (int i = 0; i < fx->sum->effects.len; i++) {
        Effect *o = &fx->sum->effects.data[i];
        if (o->kind == e.kind && o->path.key == e.path.key) return;
    }
    vec_push(&fx->sum->effects, e);
}

static void end_tokens_at(State *s, const char *key) {
    for (int i = 0; i < s->facts.len; i++)
        if (fact_has_key(&s->facts.data[i], key)) fact_remove(s, s->facts.data[i--].id);
}

/* Join or detach of location p: every token there ends. */
static void discharge(Fx *fx, State *s, Path p) {
    discharge_class(fx, p);
    if (path_param_index(p.key) >= 0) add_effect(fx, (Effect){.kind = EFF_JOIN, .path = p});
    end_tokens_at(s, p.key);
}

/* Tokens whose locations lie inside `key` leave our hands (passed to code
 * we cannot see). */
static void escape_within(Fx *fx, State *s, const char *key) {
    for (int i = 0; i < s->facts.len; i++) {
        Fact *t = &s->facts.data[i];
        for (int j = 0; j < t->nkeys; j++)
            if (path_within(t->key[j], key)) {
                if (path_param_index(key) >= 0) add_effect(fx, (Effect){.kind = EFF_ESCAPE, .path = {key, NULL, NULL}});
                fact_remove(s, t->id);
                i--;
                break;
            }
    }
}

/* --------------------------------------------------------------- events */

static bool has_tag(State *s, const char *key, int tag) {
    Bind *b = key ? bind_find(s, key) : NULL;
    return b && b->kind == VAL_TAG && b->n == tag;
}

static void tag(State *s, const char *key, int t) { bind_set(s, (Bind){key, VAL_TAG, t, 0, NULL, false, false, false}); }

static bool attr_detached(State *s, const Operand *o) {
    Path p;
    if (o->kind == OPND_CONST || o->kind == OPND_NULL || !pointee(s, o, &p)) return false;
    return has_tag(s, p.key, TAG_DETACHED);
}

static void joined_by_thread(Fx *fx, State *s, const Event *ev, const ModelOp *m);

static void on_create(Fx *fx, Engine *e, State *s, const Event *ev, const ModelOp *m) {
    if (m->attr >= 0 && m->attr < ev->nargs && attr_detached(s, &ev->args[m->attr])) return;
    const char *start = NULL;
    if (m->start >= 0 && m->start < ev->nargs) {
        Function *f = program_function_ref(family_program(fx->g->r), fx->fn, &ev->args[m->start]);
        if (f && summary(fx->g, f)->self_detach) return;
        if (ev->args[m->start].kind == OPND_FUNC) start = ev->args[m->start].name;
    }
    const Operand *h = m->handle >= 0 && m->handle < ev->nargs ? &ev->args[m->handle] : NULL;
    Path where;
    if (m->handle == ROLE_RETURN && ev->temp >= 0) where = (Path){temp_key(ev->temp), NULL, NULL};
    else if (h && m->handle_out && pointee(s, h, &where)) (void)0;
    else if (h && !m->handle_out && h->kind == OPND_PATH) where = resolve(s, h->path);
    else return;
    int site = site_of(fx, ev, h ? operand_name(fx->fn, h) : NULL, start, NULL, ev->loc);
    if (h) state_stepf(e, s, ev->loc, "thread created into '%s'", fx->sites.data[site].handle);
    else state_step(e, s, ev->loc, "thread created");
    new_token(fx, s, site, where, ev->loc, ev->temp, m->has_success, m->success);
    joined_by_thread(fx, s, ev, m);
}

/* A thread whose routine joins handles its argument holds (a closer that
 * joins the forwarders first): those threads are joined. */
static void joined_by_thread(Fx *fx, State *s, const Event *ev, const ModelOp *m) {
    if (m->start < 0 || m->start >= ev->nargs || m->start_arg < 0 || m->start_arg >= ev->nargs) return;
    Function *f = program_function_ref(family_program(fx->g->r), fx->fn, &ev->args[m->start]);
    if (!f) return;
    ThreadSummary *sum = summary(fx->g, f);
    Path p;
    for (int i = 0; i < sum->effects.len; i++) {
        const Effect *ef = &sum->effects.data[i];
        if (ef->kind == EFF_JOIN && path_param_index(ef->path.key) == 0 &&
            subst_operand(s, &ev->args[m->start_arg], ef->path, &p))
            discharge(fx, s, p);
    }
}

static void on_join(Fx *fx, State *s, const Event *ev, const ModelOp *m) {
    if (m->handle < 0 || m->handle >= ev->nargs) return;
    const Operand *h = &ev->args[m->handle];
    if (has_tag(s, operand_key(s, h), TAG_SELF)) {
        if (m->op == OP_THREAD_DETACH) fx->sum->self_detach = true;
        return;
    }
    Path p;
    if (m->handle_out ? pointee(s, h, &p) : (h->kind == OPND_PATH && (p = resolve(s, h->path), true)))
        discharge(fx, s, p);
}

static void on_attr(Fx *fx, State *s, const Event *ev, const ModelOp *m) {
    Path p;
    if (m->attr < 0 || m->attr >= ev->nargs || !pointee(s, &ev->args[m->attr], &p)) return;
    bool detached = true; /* a state we cannot read: assume detached (no false leak) */
    if (m->state >= 0 && m->state < ev->nargs && ev->args[m->state].kind == OPND_CONST) {
        const Operand *st = &ev->args[m->state];
        detached = false;
        for (int i = 0; i < m->n_detached_names; i++) detached |= st->name == m->detached_names[i];
    }
    bind_kill_within(s, p.key);
    if (!detached) return;
    tag(s, p.key, TAG_DETACHED);
    if (path_param_index(p.key) >= 0) add_effect(fx, (Effect){.kind = EFF_ATTR_DETACHED, .path = p});
}

static bool called(const Fx *fx) { return fx->fn->ncallers > 0; }

static void add_leak(Fx *fx, Effect e) {
    for (int i = 0; i < fx->sum->effects.len; i++) {
        const Effect *o = &fx->sum->effects.data[i];
        if (o->kind == EFF_LEAK && o->origin.file == e.origin.file && o->origin.line == e.origin.line &&
            o->origin.col == e.origin.col && guard_same(&o->guard, &e.guard))
            return;
    }
    vec_push(&fx->sum->effects, e);
}

/* A thread lost at a return only on paths that depend on the values of
 * the parameters (or globals) a caller can see is the callers' to judge,
 * when the function has callers: the summary says so instead. */
static bool defer_leak(Fx *fx, State *s, const Fact *t, Loc at) {
    Guard g = state_mode(s);
    const Site *st = &fx->sites.data[t->id];
    if (!g.n || !called(fx) || st->reported) return false;
    const char *what = tok_name(fx, t);
    add_leak(fx, (Effect){.kind = EFF_LEAK, .origin = st->via ? st->origin : st->ev->loc, .start = st->start, .guard = g,
                          .lost_at = at, .lost_msg = internf("%s is lost when '%s' returns here", what, fx->fn->name),
                          .via = st->via ? st->via : fx->fn->name});
    fact_remove(s, t->id);
    return true;
}

static void apply_summary(Fx *fx, Engine *e, State *s, const Event *ev, Function *callee) {
    ThreadSummary *sum = summary(fx->g, callee);
    Path p;
    for (int i = 0; i < sum->effects.len; i++) {
        Effect *ef = &sum->effects.data[i];
        if (!subst_param(s, ev, ef->path, &p)) continue;
        if (ef->kind == EFF_JOIN) discharge(fx, s, p);
        else if (ef->kind == EFF_ESCAPE) escape_within(fx, s, p.key);
        else if (ef->kind == EFF_ATTR_DETACHED) tag(s, p.key, TAG_DETACHED);
    }
    for (int i = 0; i < sum->effects.len; i++) {
        Effect *ef = &sum->effects.data[i];
        if (ef->kind != EFF_CREATE || !subst_param(s, ev, ef->path, &p)) continue;
        sum->called = true;
        int site = site_of(fx, ev, display_key(fx->fn, p.key), ef->start, callee->name, ef->origin);
        state_stepf(e, s, ev->loc, "thread started by a call to '%s'", callee->name);
        new_token(fx, s, site, p, ev->loc, ev->temp, ef->result_in_ret, ef->success);
    }
    if (sum->returns_handle && ev->temp >= 0) {
        sum->called = true;
        int site = site_of(fx, ev, NULL, sum->ret_start, callee->name, sum->ret_origin);
        state_stepf(e, s, ev->loc, "thread started by a call to '%s'", callee->name);
        new_token(fx, s, site, (Path){temp_key(ev->temp), NULL, NULL}, ev->loc, -1, false, 0);
    }
    if (sum->returns_self && ev->temp >= 0) tag(s, temp_key(ev->temp), TAG_SELF);
    if (sum->self_detach) fx->sum->self_detach = true;
    for (int i = 0; i < sum->effects.len; i++) {
        const Effect *ef = &sum->effects.data[i];
        if (ef->kind != EFF_LEAK || !guard_allows(&ef->guard, s, ev)) continue; /* these arguments keep it */
        Guard none = {0}, up = guard_carry(&ef->guard, s, ev, &none);
        if (up.n && called(fx)) { /* still undecided: our callers' arguments tell */
            Effect mine = *ef;
            mine.guard = up;
            add_leak(fx, mine);
            continue;
        }
        int site = site_of(fx, ev, NULL, ef->start, ef->via, ef->origin);
        report(fx, site, s, ef->lost_at, ef->lost_msg);
    }
}

static bool owned_pointer(State *s, const char *key) {
    Bind *b = key ? bind_find(s, key) : NULL;
    return b && b->kind == VAL_TAG && b->n == TAG_OWNED;
}

/* An owned object leaves this function (stored outside, returned, given to
 * a callee that may keep it): its handles go to the whole-program check by
 * their class, as any handle kept in a struct. */
static void release_owned(Fx *fx, State *s, const char *ptr, Loc at, bool publish) {
    const char *inside = pathkey_join(ptr, "*");
    for (int i = 0; i < s->facts.len; i++) {
        Fact *t = &s->facts.data[i];
        for (int j = 0; j < t->nkeys; j++)
            if (path_within(t->key[j], inside)) {
                escape_to_class(fx, t->id, (Path){t->key[j], t->cls[j], NULL}, t->at.line ? t->at : at); /* where it was stored */
                fact_remove(s, t->id);
                i--;
                break;
            }
    }
    if (publish) tag(s, ptr, TAG_PUBLISHED); /* handles stored there later are reachable by others too */
}

/* Code we cannot see may keep a handle it is given by address (it may
 * join it); one that writes the handle's memory overwrites it. */
static void arg_use(void *ctx, State *s, Path p, ArgUse use, const Operand *arg) {
    Fx *fx = ctx;
    if (use == ARG_ESCAPE) escape_within(fx, s, p.key);
    else if (use == ARG_WRITE) overwrite(fx, s, p.key, fx->at);
    (void)arg;
}

static void on_op(Fx *fx, Engine *e, State *s, const Event *ev, const ModelOp *m) {
    switch (m->op) {
    case OP_THREAD_CREATE: on_create(fx, e, s, ev, m); return;
    case OP_THREAD_JOIN:
    case OP_THREAD_DETACH: on_join(fx, s, ev, m); return;
    case OP_THREAD_SELF:
        if (ev->temp >= 0) tag(s, temp_key(ev->temp), TAG_SELF);
        return;
    case OP_ATTR_SET_DETACHSTATE: on_attr(fx, s, ev, m); return;
    case OP_ALLOC:
        if (ev->temp >= 0) tag(s, temp_key(ev->temp), TAG_OWNED);
        return;
    default: return;
    }
}

static void on_call(Fx *fx, Engine *e, State *s, const Event *ev, const Callee *c) {
    const ModelOp *create = c->model ? model_op(c->model, OP_THREAD_CREATE) : NULL;
    for (int i = 0; i < ev->nargs; i++) /* an owned object handed to code (or a thread) that may keep it */
        if (ev->args[i].kind == OPND_PATH && owned_pointer(s, ev->args[i].path.key) &&
            (c->def || model_arg_use(c->model, i) == ARG_ESCAPE || (create && create->start_arg == i)))
            release_owned(fx, s, ev->args[i].path.key, ev->loc, !c->def);
    for (int i = 0; c->model && i < c->model->nops; i++) on_op(fx, e, s, ev, &c->model->ops[i]);
    if (c->def && !c->may) apply_summary(fx, e, s, ev, c->def);
    fx->at = ev->loc;
    engine_call_args(s, ev, c, arg_use, fx);
}

/* A copy of a handle is one more location of its token. */
static void on_assign(Fx *fx, State *s, const Event *ev) {
    Path dst = resolve(s, ev->args[0].path);
    const char *skey = operand_key(s, &ev->args[1]);
    if (owned_pointer(s, skey) && !path_is_frame_local(dst.key)) release_owned(fx, s, skey, ev->loc, true);
    int holders[16], nh = 0;
    for (int i = 0; skey && i < s->facts.len && nh < 16; i++)
        if (fact_has_key(&s->facts.data[i], skey)) holders[nh++] = s->facts.data[i].id;
    overwrite(fx, s, dst.key, ev->loc);
    for (int i = 0; i < nh; i++) {
        Fact *t = fact_find(s, holders[i]);
        if (!t) continue;
        place(fx, s, t, dst, ev->loc);
        if (t->nkeys == 0) fact_remove(s, holders[i]);
    }
}

static void on_decl(Fx *fx, State *s, const Event *ev) {
    const char *key = ev->args[0].path.key;
    for (int i = 0; i < s->facts.len; i++) {
        Fact *t = &s->facts.data[i];
        for (int j = 0; j < t->nkeys; j++)
            if (path_within(t->key[j], key)) fact_drop_key(t, j--);
        if (t->nkeys == 0) {
            lose(fx, s, t->id, ev->loc, LOST_SCOPE, display_key(fx->fn, key));
            i--;
        }
    }
}

static void client_event(Engine *e, State *s, const Event *ev, const Callee *c) {
    Fx *fx = fx_of(e);
    switch (ev->kind) {
    case EV_CALL: on_call(fx, e, s, ev, c); break;
    case EV_ASSIGN: on_assign(fx, s, ev); break;
    case EV_DECL: on_decl(fx, s, ev); break;
    default: break;
    }
}

static void client_result(Engine *e, State *s, int id, bool worked) {
    Fact *t = fact_find(s, id);
    if (t && worked) t->status = TOK_LIVE;
    else if (t) fact_remove(s, id); /* the creation failed: no thread */
    (void)e;
}

/* ---------------------------------------------------------------- exits */

static bool param_object(const char *key) { return path_param_index(key) >= 0 && !path_is_frame_local(key); }

static void client_ret(Engine *e, State *s, const Block *b) {
    Fx *fx = fx_of(e);
    const char *rkey = operand_key(s, &b->end->ret);
    Bind *rb = rkey ? bind_find(s, rkey) : NULL;
    bool known = b->end->ret.kind == OPND_CONST || (rb && rb->kind == VAL_CONST);
    int64_t value = b->end->ret.kind == OPND_CONST ? b->end->ret.value : rb && rb->kind == VAL_CONST ? rb->n : 0;
    bool ne = !known && rb && rb->kind == VAL_NE && !rb->derefd; /* (a pointer reached through: no test of it) */
    if (ne) value = rb->n;
    vec_push(&fx->rets, ((RetInfo){known, ne, value, state_mode(s)}));
    if (has_tag(s, rkey, TAG_SELF)) fx->sum->returns_self = true;
    if (owned_pointer(s, rkey)) release_owned(fx, s, rkey, b->end->loc, false);
    if (rb && rb->kind == VAL_RESULT) { /* `return pthread_create(...)`: the caller checks it */
        Fact *t = fact_find(s, rb->fact);
        for (int j = 0; t && j < t->nkeys; j++)
            if (param_object(t->key[j])) {
                add_effect(fx, (Effect){.kind = EFF_CREATE, .path = {t->key[j], t->cls[j], NULL}, .origin = fx->sites.data[t->id].origin,
                                        .start = fx->sites.data[t->id].start, .result_in_ret = true, .success = rb->n});
                fact_remove(s, t->id);
                break;
            }
    }
    for (int i = 0; i < s->facts.len; i++) {
        Fact *t = &s->facts.data[i];
        Site *st = &fx->sites.data[t->id];
        bool handed = false;
        for (int j = 0; j < t->nkeys && !handed; j++) {
            if (rkey && t->key[j] == rkey) {
                fx->sum->returns_handle = true, fx->sum->ret_origin = st->origin, fx->sum->ret_start = st->start;
                handed = true;
            } else if (param_object(t->key[j])) {
                add_effect(fx, (Effect){.kind = EFF_CREATE, .path = {t->key[j], t->cls[j], NULL}, .origin = st->origin, .start = st->start});
                vec_push(&fx->handed, t->key[j]);
                handed = true;
            }
        }
        if (handed) continue;
        if (defer_leak(fx, s, t, b->end->loc)) {
            i--;
            continue;
        }
        lose(fx, s, t->id, b->end->loc, LOST_RETURN, st->reported ? "" : tok_name(fx, t));
        i--;
    }
    vec_push(&fx->handed, (const char *)NULL);
}

/* A create handed to a parameter on exactly the returns of one value (`0`
 * after storing the handle, `-1` when pthread_create failed): the caller
 * has a thread only when the result says so. */
/* Whether a return's path had the pointer parameter that key lies behind
 * (`$1*` of `*idp = id`) equal to NULL. */
static bool null_param(const Guard *mode, const char *key) {
    int n = path_param_index(key);
    for (int i = 0; n >= 0 && i < mode->n; i++)
        if (mode->c[i].kind == VAL_CONST && mode->c[i].value == 0 && path_param_index(mode->c[i].key) == n &&
            !*path_root_end(mode->c[i].key))
            return true;
    return false;
}

static void judge_creates(Fx *fx) {
    for (int i = 0; i < fx->sum->effects.len; i++) {
        Effect *ef = &fx->sum->effects.data[i];
        if (ef->kind != EFF_CREATE || ef->result_in_ret) continue;
        bool ok = true, have = false;
        int64_t value = 0;
        for (int pass = 0; pass < 2 && ok; pass++)
            for (int r = 0, k = 0; r < fx->rets.len && ok; r++) { /* pass 0: the handing returns; 1: the others */
                bool here = false;
                for (; fx->handed.data[k]; k++) here |= fx->handed.data[k] == ef->path.key;
                k++;
                if (here != (pass == 0)) continue;
                if (pass == 1 && null_param(&fx->rets.data[r].mode, ef->path.key)) continue; /* no object to hand it to */
                if (pass == 1 && fx->rets.data[r].ne && have && fx->rets.data[r].value == value) continue; /* `r != 0` */
                if (!fx->rets.data[r].known) ok = false;
                else if (pass == 0 && have && fx->rets.data[r].value != value) ok = false;
                else if (pass == 0) value = fx->rets.data[r].value, have = true;
                else if (fx->rets.data[r].value == value) ok = false;
            }
        if (ok && have) ef->result_in_ret = true, ef->success = value;
    }
}

/* A loop whose body joins elements of an array is taken to join the
 * elements its sibling loop created: they end on entering it, so the
 * zero-iteration path of a join loop is not a false leak. */
static void client_loop_entry(Engine *e, State *s, int loop) {
    Fx *fx = fx_of(e);
    KeyVec *keys = &fx->loop_joins[loop];
    for (int j = 0; j < keys->len; j++) end_tokens_at(s, resolve_key(s, keys->data[j]));
}

/* A handle reached through a local the loop points at an element
 * (`struct ct *t = &cts[i]; join(t->thread)`): the element's key
 * (`cts*[].thread`), found from the loop's own assignment of the local. */
static const char *through_local(const Function *fn, const LoopInfo *L, const char *key) {
    if (!(path_traits(key) & PT_ROOT_DEREF) || !path_is_frame_local(path_root(key))) return key;
    const char *root = path_root(key);
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; L->body[b] && k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind == EV_ASSIGN && ev->args[0].path.key == root && ev->args[1].kind == OPND_ADDR)
                return pathkey_join(ev->args[1].path.key, key + strlen(root) + 1);
        }
    return key;
}

/* The same for a helper that joins its argument's thread (`join(tids + i)`). */
static void add_summary_loop_joins(Fx *fx, const LoopInfo *L, const Event *ev, KeyVec *out) {
    Callee c = ev->kind == EV_CALL ? program_call(family_program(fx->g->r), ev) : (Callee){0};
    if (!c.def || c.may) return;
    const ThreadSummary *sum = summary(fx->g, c.def);
    for (int i = 0; i < sum->effects.len; i++) {
        const Effect *ef = &sum->effects.data[i];
        int n = path_param_index(ef->path.key);
        if (ef->kind != EFF_JOIN || n < 0 || n >= ev->nargs) continue;
        const Operand *a = &ev->args[n];
        const char *rest = path_root_end(ef->path.key), *key = NULL;
        if (a->kind == OPND_ADDR && *rest == '*') key = pathkey_join(a->path.key, rest + 1);
        else if (a->kind == OPND_PATH) key = through_local(fx->fn, L, pathkey_join(a->path.key, rest));
        if (key && path_is_weak(key)) vec_push(out, key);
    }
}

static void collect_loop_joins(Engine *e) {
    Fx *fx = fx_of(e);
    int n = fx->nloops = engine_nloops(e);
    fx->loop_joins = xcalloc(n + 1, sizeof(*fx->loop_joins));
    for (int i = 0; i < n; i++) {
        const LoopInfo *L = engine_loop(e, i);
        for (int b = 0; b < fx->fn->nblocks; b++) {
            if (!L->body[b]) continue;
            for (int k = 0; k < fx->fn->blocks[b].nev; k++) {
                const Event *ev = &fx->fn->blocks[b].ev[k];
                for (int o = 0; ev->model && o < ev->model->nops; o++) {
                    const ModelOp *m = &ev->model->ops[o];
                    if ((m->op != OP_THREAD_JOIN && m->op != OP_THREAD_DETACH) || m->handle < 0 || m->handle >= ev->nargs)
                        continue;
                    const Operand *h = &ev->args[m->handle];
                    const char *key = h->kind == OPND_PATH ? through_local(fx->fn, L, h->path.key) : NULL;
                    if (key && path_is_weak(key)) vec_push(&fx->loop_joins[i], key);
                }
                add_summary_loop_joins(fx, L, ev, &fx->loop_joins[i]);
            }
        }
    }
}

/* ----------------------------------------------------- per function */

/* A detach of pthread_self() in a callee counts for the caller's thread. */
static void inherit_self_detach(Fx *fx) {
    const Program *p = family_program(fx->g->r);
    for (int k = 0; k < fx->fn->ncallev; k++) {
        Callee c = program_call(p, fx->fn->callev[k]);
        if (c.def && summary(fx->g, c.def)->self_detach) fx->sum->self_detach = true;
    }
}

static bool thread_op(const Model *m) {
    for (int i = 0; m && i < m->nops; i++)
        switch (m->ops[i].op) {
        case OP_THREAD_CREATE: case OP_THREAD_JOIN: case OP_THREAD_DETACH: case OP_THREAD_SELF:
        case OP_THREAD_EXIT: case OP_ATTR_SET_DETACHSTATE: return true;
        default: break;
        }
    return false;
}

static bool says_something(const void *sum) {
    const ThreadSummary *s = sum;
    return s->effects.len || s->self_detach || s->returns_self || s->returns_handle;
}

static void thread_function(FamilyRun *r, Function *fn) {
    Global *g = family_state(r);
    if (family_nothing_in(r, fn, thread_op, says_something)) return; /* creates, joins or keeps no thread */
    Fx fx = {.g = g, .fn = fn, .sum = family_summary(r, fn)};
    inherit_self_detach(&fx);
    Client c = {.ctx = &fx, .begin = collect_loop_joins, .event = client_event, .result = client_result,
                .ret = client_ret, .loop_entry = client_loop_entry};
    bool returns;
    if (!engine_run(family_analysis(r), fn, &c, &returns)) family_incomplete(r, fn, "too many paths");
    judge_creates(&fx);
    free(fx.rets.data), free(fx.handed.data);
    for (size_t i = 0; i < fx.copied_from.cap; i++)
        if (fx.copied_from.keys[i]) free(((KeyVec *)fx.copied_from.vals[i])->data), free(fx.copied_from.vals[i]);
    ptrmap_free(&fx.copied_from);
    for (int i = 0; i < fx.nloops; i++) free(fx.loop_joins[i].data);
    free(fx.loop_joins);
    free(fx.sites.data);
    ptrmap_free(&fx.site_by_event);
}

/* ------------------------------------------------------- whole program */

static bool discharged(Global *g, const char *cls) {
    for (int i = 0; i < g->discharged.len; i++)
        if (g->discharged.data[i] == cls) return true;
    return false;
}

static void class_finding(Global *g, Loc at, const char *fn, const char *handle, const char *cls, Loc store,
                          const char *where, const char *via, const char *start, Loc origin) {
    Finding f = {.rule = g->rule, .loc = at};
    const char *shown = cls[0] == '@' ? cls + 1 : cls;
    const char *bang = strchr(shown, '!');
    const char *name = internf("%.*s", bang ? (int)(bang - shown) : (int)strlen(shown), shown);
    f.message = via ? xasprintf("thread started by '%s' into '%s' is never joined or detached: nothing in the "
                                "program joins or detaches '%s'", via, handle, name)
                    : xasprintf("thread created into '%s' is never joined or detached: nothing in the program "
                                "joins or detaches '%s'", handle, name);
    f.related = xcalloc(2, sizeof(Related));
    f.related[f.nrelated++] = (Related){store, internf("the handle is stored in '%s' here", where)};
    if (via) f.related[f.nrelated++] = (Related){origin, internf("the thread is created here, in '%s'", via)};
    f.identity = leak_identity(fn, start, via, cls);
    family_report(g->r, f);
}

/* A class private to one file (a struct defined there, a static global) is
 * joined in that file or nowhere; a public one only when we see it all. */
static bool checkable(const Program *p, const char *cls) { return p->whole_program || strchr(cls, '!'); }

static bool same_escape(const Escape *a, const Escape *b) {
    return a->cls == b->cls && a->site.file == b->site.file && a->site.line == b->site.line && a->site.col == b->site.col;
}

/* Handles kept in globals and heap objects, and handles a never-called
 * function (a thread's start routine, an API entry point) leaves in its
 * parameters' objects: someone in the program must join or detach them. */
static void thread_finish(FamilyRun *r) {
    Global *g = family_state(r);
    Program *p = family_program(r);
    for (int i = 0; i < g->escapes.len; i++) {
        Escape *e = &g->escapes.data[i];
        if (!checkable(p, e->cls) || discharged(g, e->cls)) continue;
        bool dup = false;
        for (int j = 0; j < i && !dup; j++) dup = same_escape(&g->escapes.data[j], e);
        if (!dup) class_finding(g, e->site, e->fn, e->handle, e->cls, e->store, e->where, e->via, e->start, e->origin);
    }
    for (int i = 0; i < p->nfuncs; i++) {
        ThreadSummary *s = summary(g, p->funcs[i]);
        if (s->called) continue;
        for (int j = 0; j < s->effects.len; j++) {
            Effect *e = &s->effects.data[j];
            if (e->kind != EFF_CREATE || !e->path.cls || !checkable(p, e->path.cls) || discharged(g, e->path.cls))
                continue;
            const char *where = display_key(p->funcs[i], e->path.key);
            class_finding(g, e->origin, p->funcs[i]->name, where, e->path.cls, e->origin, where, NULL, e->start, e->origin);
        }
    }
}

static void thread_begin(FamilyRun *r) {
    Global *g = xcalloc(1, sizeof *g);
    g->r = r, g->rule = family_rule(r, "thread-leak");
    family_set_state(r, g);
}

static void thread_end(FamilyRun *r) {
    Global *g = family_state(r);
    free(g->escapes.data), free(g->discharged.data), free(g);
}

static void summary_free(void *p) { free(((ThreadSummary *)p)->effects.data); }

static void summary_dump(FILE *out, const Function *fn, const void *p) {
    static const char *const kinds[] = {"joins", "creates", "escapes", "detached attr", "leaks"};
    const ThreadSummary *s = p;
    for (int i = 0; i < s->effects.len; i++) {
        const Effect *e = &s->effects.data[i];
        if (e->kind == EFF_LEAK) {
            fprintf(out, "  leaks a thread%s%s%s", e->start ? " ('" : "", e->start ? e->start : "", e->start ? "')" : "");
            guard_print(out, fn, &e->guard);
            fputc('\n', out);
            continue;
        }
        fprintf(out, "  %s %s", kinds[e->kind], display_key(fn, e->path.key));
        if (e->kind == EFF_CREATE && e->start) fprintf(out, " (thread '%s')", e->start);
        if (e->kind == EFF_CREATE && e->result_in_ret) fprintf(out, " when it returns %lld", (long long)e->success);
        fputc('\n', out);
    }
    if (s->self_detach) fputs("  detaches its own thread\n", out);
    if (s->returns_self) fputs("  returns its own thread\n", out);
    if (s->returns_handle) fprintf(out, "  returns a live thread%s%s%s\n", s->ret_start ? " ('" : "",
                                   s->ret_start ? s->ret_start : "", s->ret_start ? "')" : "");
}

static const char *const thread_rules[] = {"thread-leak", NULL};

const Family threads_family = {
    .name = "threads",
    .rules = thread_rules,
    .requires = NEEDS(PASS_NORETURN) | NEEDS(PASS_CALLS),
    .summary_size = sizeof(ThreadSummary),
    .summary_dump = summary_dump,
    .summary_free = summary_free,
    .begin = thread_begin,
    .function = thread_function,
    .finish = thread_finish,
    .end = thread_end,
};
