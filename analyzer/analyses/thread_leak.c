/* thread_leak.c — `thread-leak`: a thread created but neither joined nor
 * detached on some path (the C form of a leaked goroutine).
 *
 * Each created thread is a token that lives at one or more locations (the
 * handle variable and its copies). A function is explored path by path
 * (ESP-style: paths are merged only when their tokens agree), so a create
 * whose result is checked, a flag set on success, or an early return on an
 * error path is followed precisely. Tokens end when joined or detached;
 * they leak when the last location holding them is overwritten or goes out
 * of scope, or the function returns without handing them on.
 *
 * Handing on is what summaries describe: a function's joins, detaches and
 * still-live creations on its parameters' pointees, its returned handle,
 * whether its thread detaches itself. Callers instantiate them at each call.
 * Handles stored in globals or heap objects are checked over the whole
 * program by class ("struct pool.threads", "@g_worker"): some code must
 * join or detach that class. */
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"
#include "link/link.h"

/* ---------------------------------------------------------------- summary */

typedef enum { EFF_JOIN, EFF_CREATE, EFF_ESCAPE, EFF_ATTR_DETACHED } EffKind;

typedef struct Effect {
    uint8_t kind;
    Path path;          /* `$N...` */
    Loc origin;         /* EFF_CREATE: the underlying create */
    bool result_in_ret; /* EFF_CREATE: the return value tells whether it worked */
    int64_t success;
    const char *fn;     /* EFF_CREATE: where the creation happens */
} Effect;

typedef struct ThreadSummary {
    VEC(Effect) effects;
    bool self_detach;   /* running as a thread, it detaches itself */
    bool returns_self;
    bool returns_handle;/* returns a live thread it created */
    Loc ret_origin;
    bool noreturn;
    bool called;        /* some caller instantiated its creations */
} ThreadSummary;

/* ------------------------------------------------------------ path states */

enum { TOK_PENDING, TOK_LIVE };
#define MAXLOC 6

typedef struct Tok {
    int site;
    uint8_t status;
    uint8_t nloc;
    const char *loc[MAXLOC]; /* location keys (temps are `%N`) */
    const char *cls[MAXLOC];
} Tok;

enum { VAL_CONST, VAL_RESULT, VAL_SELF, VAL_ADDR, VAL_DETACHED };

typedef struct Bind {
    const char *key;
    uint8_t kind;
    int64_t n;          /* VAL_CONST value; VAL_RESULT success value */
    int site;           /* VAL_RESULT token */
    const char *addr;   /* VAL_ADDR target key */
} Bind;

typedef struct Step { const struct Step *prev; Loc loc; const char *msg; } Step;

typedef struct PState { Tok *toks; int ntoks; Bind *binds; int nbinds; const Step *trace; bool dirty; } PState;

typedef struct Work {
    VEC(Tok) toks;
    VEC(Bind) binds;
    const Step *trace;
    bool dead;
} Work;

/* A creation in the function being analysed: a model-bound create, or a
 * call whose callee leaves a thread to its caller. */
typedef struct Site {
    const Event *ev;
    const char *handle;   /* how the source names the handle */
    Loc origin;           /* the underlying create, when through a call */
    const char *via;      /* the callee that creates it, or NULL */
    const char *key;      /* where it was created (location key) */
    bool reported;
} Site;

typedef struct Escape { Loc site, store; const char *cls, *handle, *fn, *via, *where; Loc origin; } Escape;

typedef struct Global {
    AnalysisContext *cx;
    const Rule *rule;
    VEC(Escape) escapes;
    VEC(const char *) discharged; /* classes some code joins or detaches */
    VEC(const char *) temps;      /* interned "%N" */
} Global;

typedef VEC(PState) PStateVec;

typedef struct Loop { int head; bool *body; VEC(const char *) joins; } Loop;

typedef struct Fx {
    Global *g;
    Function *fn;
    ThreadSummary *sum;
    Arena *arena;
    VEC(Site) sites;
    PStateVec *in;     /* per block: the path states reaching it */
    VEC(int) work;
    bool *queued;
    VEC(Loop) loops;
    bool any_return;
} Fx;

#define MAX_STATES 12

/* ------------------------------------------------------------------ utils */

static const char *temp_key(Global *g, int n) {
    while (g->temps.len <= n) {
        char buf[24];
        snprintf(buf, sizeof buf, "%%%d", g->temps.len);
        vec_push(&g->temps, intern(buf));
    }
    return g->temps.data[n];
}

static Bind *bind_find(Work *w, const char *key) {
    for (int i = 0; i < w->binds.len; i++)
        if (w->binds.data[i].key == key) return &w->binds.data[i];
    return NULL;
}

static void bind_kill_within(Work *w, const char *key) {
    int o = 0;
    for (int i = 0; i < w->binds.len; i++)
        if (!path_within(w->binds.data[i].key, key)) w->binds.data[o++] = w->binds.data[i];
    w->binds.len = o;
}

static void bind_set(Work *w, Bind b) {
    Bind *old = bind_find(w, b.key);
    if (old) *old = b;
    else vec_push(&w->binds, b);
}

static Tok *tok_find(Work *w, int site) {
    for (int i = 0; i < w->toks.len; i++)
        if (w->toks.data[i].site == site) return &w->toks.data[i];
    return NULL;
}

static void tok_remove(Work *w, int site) {
    int o = 0;
    for (int i = 0; i < w->toks.len; i++)
        if (w->toks.data[i].site != site) w->toks.data[o++] = w->toks.data[i];
    w->toks.len = o;
}

static bool tok_has(const Tok *t, const char *key) {
    for (int i = 0; i < t->nloc; i++)
        if (t->loc[i] == key) return true;
    return false;
}

static void tok_add_loc(Tok *t, const char *key, const char *cls) {
    if (tok_has(t, key) || t->nloc == MAXLOC) return;
    t->loc[t->nloc] = key, t->cls[t->nloc] = cls;
    t->nloc++;
}

static void tok_drop_loc(Tok *t, int i) {
    t->loc[i] = t->loc[t->nloc - 1], t->cls[i] = t->cls[t->nloc - 1];
    t->nloc--;
}

static void step(Fx *fx, Work *w, Loc loc, const char *msg) {
    Step *s = arena_alloc(fx->arena, sizeof *s);
    *s = (Step){w->trace, loc, msg};
    w->trace = s;
}

/* `p*.f` where p holds `&x` is `x.f`: follow one address binding. */
static const char *resolve_key(Work *w, const char *key) {
    const char *end = path_root_end(key);
    if (*end != '*') return key;
    char root[256];
    size_t n = (size_t)(end - key);
    if (n >= sizeof root) return key;
    memcpy(root, key, n), root[n] = 0;
    Bind *b = bind_find(w, intern(root));
    if (!b || b->kind != VAL_ADDR) return key;
    return pathkey_append(b->addr, end + 1);
}

static Path resolve(Work *w, Path p) {
    const char *k = resolve_key(w, p.key);
    return (Path){k, p.cls};
}

/* The location an operand designates as a handle: `&t` -> t, `p` -> p*. */
static bool handle_out(Work *w, const Operand *o, Path *out) {
    if (o->kind == OPND_ADDR) return *out = resolve(w, o->path), true;
    if (o->kind == OPND_PATH) {
        Path p = {pathkey_append(o->path.key, "*"), NULL};
        return *out = resolve(w, p), true;
    }
    return false;
}

static const char *handle_text(const Operand *o) {
    const char *t = o->text ? o->text : o->path.key;
    if (!t) return "?";
    if (o->text && o->kind == OPND_ADDR && t[0] == '&') {
        t++;
        while (*t == ' ') t++;
    }
    return intern(t);
}

/* How C would spell a location key: `p*.f` is `p->f`, `$0` the parameter's
 * name, `@g!file` just `g`. */
static const char *display_key(const Function *fn, const char *key) {
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
        if (*p == '!' || *p == '#') {
            while (p[1] && p[1] != '.' && p[1] != '*' && p[1] != '[') p++;
        } else if (p[0] == '*' && p[1] == '.') {
            buf[o++] = '-', buf[o++] = '>', p++;
        } else if (p[0] == '*' && p[1] == '[') {
            /* p[i] */
        } else if (*p == '*') {
            memmove(buf + 1, buf, o), buf[0] = '*', o++;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o] = 0;
    return intern(buf);
}

/* What to call a token where it is now: its variable, else its creation. */
static const char *tok_name(Fx *fx, const Tok *t) {
    char buf[600];
    const Site *s = &fx->sites.data[t->site];
    const char *name = s->handle;
    for (int i = 0; i < t->nloc; i++)
        if (t->loc[i][0] != '%') {
            if (t->loc[i] != s->key || !name) name = display_key(fx->fn, t->loc[i]);
            break;
        }
    if (name) snprintf(buf, sizeof buf, "'%s'", name);
    else snprintf(buf, sizeof buf, "the thread returned by '%s'", s->via);
    return intern(buf);
}

/* ------------------------------------------------------------- reporting */

static const char *flow_text(const char *fmt, const char *a) { return internf(fmt, a); }

static void report(Fx *fx, int site, const Work *w, Loc exit_loc, const char *exit_msg) {
    Site *s = &fx->sites.data[site];
    if (s->reported) return;
    s->reported = true;
    Finding f = {.rule = fx->g->rule, .loc = s->ev->loc, .function = fx->fn->name};
    if (s->via && !s->handle)
        f.message = xasprintf("thread started by '%s' is neither joined nor detached on some path", s->via);
    else if (s->via)
        f.message = xasprintf("thread started by '%s' into '%s' is neither joined nor detached on some path",
                              s->via, s->handle);
    else
        f.message = s->handle ? xasprintf("thread created into '%s' is neither joined nor detached on some path", s->handle)
                              : xstrdup("thread created here is neither joined nor detached on some path");
    int nrel = s->via ? 2 : 1;
    f.related = xcalloc(nrel, sizeof(Related));
    f.related[0] = (Related){exit_loc, exit_msg};
    if (s->via) f.related[1] = (Related){s->origin, xasprintf("the thread is created here, in '%s'", s->via)};
    f.nrelated = nrel;
    /* The code flow: this path's steps, oldest first, ending at the loss. */
    int n = 1;
    for (const Step *st = w->trace; st; st = st->prev) n++;
    Flow *flow = xcalloc(1, sizeof *flow);
    flow->name = "path";
    flow->steps = xcalloc(n, sizeof(FlowStep));
    flow->nsteps = n;
    int i = n - 1;
    flow->steps[i--] = (FlowStep){exit_loc, exit_msg, 0};
    for (const Step *st = w->trace; st; st = st->prev) flow->steps[i--] = (FlowStep){st->loc, st->msg, 0};
    f.flows = flow, f.nflows = 1;
    f.stable_key = internf("thread-leak|%s|%s|%s", fx->fn->key, s->via ? s->via : s->ev->callee,
                           s->handle ? s->handle : "");
    findings_add(fx->g->cx->out, f);
}

typedef enum { LOST_RETURN, LOST_OVERWRITE, LOST_SCOPE } LossKind;

/* A token's last location is gone: leaked unless the creation failed.
 * `what` names the handle as the note should. */
static void lose(Fx *fx, Work *w, int site, Loc at, LossKind kind, const char *what) {
    tok_remove(w, site);
    if (fx->sites.data[site].reported) return;
    const char *msg;
    if (kind == LOST_RETURN) msg = internf("%s is lost when '%s' returns here", what, fx->fn->name);
    else if (kind == LOST_OVERWRITE)
        msg = internf("'%s' is overwritten here while its thread is neither joined nor detached", what);
    else msg = internf("'%s' goes out of scope here, before its thread is joined or detached", what);
    report(fx, site, w, at, msg);
}

/* ----------------------------------------------------- token bookkeeping */

static int site_of(Fx *fx, const Event *ev, const char *handle, const char *via, Loc origin) {
    for (int i = 0; i < fx->sites.len; i++)
        if (fx->sites.data[i].ev == ev) return i;
    vec_push(&fx->sites, ((Site){ev, handle, origin, via, NULL, false}));
    return fx->sites.len - 1;
}

/* Strong locations are overwritten by a store; weak ones (`a[]`) are not. */
static void overwrite(Fx *fx, Work *w, const char *key, Loc at) {
    for (int i = 0; i < w->toks.len; i++) {
        Tok *t = &w->toks.data[i];
        for (int j = 0; j < t->nloc; j++) {
            if (path_is_weak(t->loc[j]) || !path_within(t->loc[j], key)) continue;
            tok_drop_loc(t, j--);
        }
        if (t->nloc == 0) {
            lose(fx, w, t->site, at, LOST_OVERWRITE, display_key(fx->fn, key));
            i--;
        }
    }
}

/* A handle stored where only the whole program can tell who joins it. */
static void escape_to_class(Fx *fx, int site, Path where, Loc at) {
    const char *cls = where.cls;
    if (!cls && path_is_global(where.key)) cls = where.key;
    if (!cls) return; /* an anonymous heap object: we cannot follow it */
    Site *s = &fx->sites.data[site];
    Escape e = {s->ev->loc, at, cls, s->handle ? s->handle : "the returned handle", fx->fn->name, s->via,
                display_key(fx->fn, where.key), s->origin};
    vec_push(&fx->g->escapes, e);
}

static bool is_tracked_here(const char *key) {
    return path_is_frame_local(key) || path_param_index(key) >= 0 || key[0] == '%';
}

/* Puts token `site` at `where`, or hands it to the class check when the
 * location outlives this function (globals, heap through local pointers). */
static void place(Fx *fx, Tok *t, Path where, Loc at) {
    if (is_tracked_here(where.key)) {
        tok_add_loc(t, where.key, where.cls);
        return;
    }
    escape_to_class(fx, t->site, where, at);
    t->nloc = 0; /* escaped: no longer ours */
}

static void new_token(Fx *fx, Work *w, int site, Path where, Loc at, int temp, const Model *m, bool result_known) {
    overwrite(fx, w, where.key, at);
    Tok *old = tok_find(w, site);
    if (old && old->status == TOK_LIVE && tok_has(old, where.key)) {
        /* A loop creating into an array again: the earlier threads stay live
         * whether or not this creation works. */
        return;
    }
    tok_remove(w, site);
    if (!fx->sites.data[site].key) fx->sites.data[site].key = where.key;
    Tok t = {.site = site, .status = TOK_LIVE};
    place(fx, &t, where, at);
    if (t.nloc == 0) return;
    if (m && m->has_success && temp >= 0 && !result_known) {
        t.status = TOK_PENDING;
        bind_set(w, (Bind){temp_key(fx->g, temp), VAL_RESULT, m->success, site, NULL});
    }
    vec_push(&w->toks, t);
}

static void discharge_class(Fx *fx, Path p) {
    const char *cls = p.cls;
    if (!cls && path_is_global(p.key)) cls = p.key;
    if (cls) vec_push(&fx->g->discharged, cls);
}

static void add_effect(Fx *fx, Effect e) {
    for (int i = 0; i < fx->sum->effects.len; i++) {
        Effect *o = &fx->sum->effects.data[i];
        if (o->kind == e.kind && o->path.key == e.path.key) return;
    }
    vec_push(&fx->sum->effects, e);
}

/* Join or detach of location p: every token there ends. */
static void discharge(Fx *fx, Work *w, Path p) {
    discharge_class(fx, p);
    if (path_param_index(p.key) >= 0) add_effect(fx, (Effect){.kind = EFF_JOIN, .path = p});
    for (int i = 0; i < w->toks.len; i++)
        if (tok_has(&w->toks.data[i], p.key)) tok_remove(w, w->toks.data[i--].site);
}

/* Tokens whose locations lie inside `key` leave our hands (passed to code
 * we cannot see). */
static void escape_within(Fx *fx, Work *w, const char *key) {
    for (int i = 0; i < w->toks.len; i++) {
        Tok *t = &w->toks.data[i];
        for (int j = 0; j < t->nloc; j++)
            if (path_within(t->loc[j], key)) {
                if (path_param_index(key) >= 0) add_effect(fx, (Effect){.kind = EFF_ESCAPE, .path = {key, NULL}});
                tok_remove(w, t->site);
                i--;
                break;
            }
    }
}

/* --------------------------------------------------------------- events */

static bool is_self(Work *w, Global *g, const Operand *o) {
    const char *key = o->kind == OPND_TEMP ? temp_key(g, (int)o->value) : o->kind == OPND_PATH ? o->path.key : NULL;
    Bind *b = key ? bind_find(w, key) : NULL;
    return b && b->kind == VAL_SELF;
}

static bool attr_detached(Work *w, const Operand *o) {
    Path p;
    if (o->kind == OPND_CONST || o->kind == OPND_NULL || !handle_out(w, o, &p)) return false;
    Bind *b = bind_find(w, p.key);
    return b && b->kind == VAL_DETACHED;
}

static Function *start_routine(Fx *fx, const Operand *o) {
    return program_function_ref(fx->g->cx->program, fx->fn, o);
}

static void on_create(Fx *fx, Work *w, const Event *ev) {
    const Model *m = ev->model;
    if (m->attr >= 0 && m->attr < ev->nargs && attr_detached(w, &ev->args[m->attr])) return;
    if (m->start >= 0 && m->start < ev->nargs) {
        Function *f = start_routine(fx, &ev->args[m->start]);
        if (f && f->thread_sum && f->thread_sum->self_detach) return;
    }
    Path where;
    const Operand *h = m->handle >= 0 && m->handle < ev->nargs ? &ev->args[m->handle] : NULL;
    if (m->handle == ROLE_RETURN && ev->temp >= 0) where = (Path){temp_key(fx->g, ev->temp), NULL};
    else if (!h || !(m->handle_out ? handle_out(w, h, &where) : (h->kind == OPND_PATH && (where = resolve(w, h->path), 1))))
        return;
    int site = site_of(fx, ev, h ? handle_text(h) : NULL, NULL, ev->loc);
    step(fx, w, ev->loc, h ? flow_text("thread created into '%s'", fx->sites.data[site].handle) : "thread created");
    new_token(fx, w, site, where, ev->loc, ev->temp, m, false);
}

static void on_join(Fx *fx, Work *w, const Event *ev) {
    const Model *m = ev->model;
    if (m->handle < 0 || m->handle >= ev->nargs) return;
    const Operand *h = &ev->args[m->handle];
    if (is_self(w, fx->g, h)) {
        if (m->op == OP_THREAD_DETACH) fx->sum->self_detach = true;
        return;
    }
    Path p;
    if (m->handle_out ? handle_out(w, h, &p) : (h->kind == OPND_PATH && (p = resolve(w, h->path), 1)))
        discharge(fx, w, p);
}

static void on_attr(Fx *fx, Work *w, const Event *ev) {
    const Model *m = ev->model;
    Path p;
    if (m->attr < 0 || m->attr >= ev->nargs || !handle_out(w, &ev->args[m->attr], &p)) return;
    bool detached = true; /* a state we cannot read: assume detached (no false leak) */
    if (m->state >= 0 && m->state < ev->nargs && ev->args[m->state].kind == OPND_CONST) {
        const Operand *s = &ev->args[m->state];
        detached = false;
        for (int i = 0; i < m->n_detached_names; i++) detached |= s->name == m->detached_names[i];
    }
    bind_kill_within(w, p.key);
    if (detached) {
        bind_set(w, (Bind){p.key, VAL_DETACHED, 0, 0, NULL});
        if (path_param_index(p.key) >= 0) add_effect(fx, (Effect){.kind = EFF_ATTR_DETACHED, .path = p});
    }
}

/* A summary path `$N rest` seen from the caller, through argument N. */
static bool subst(Work *w, const Event *ev, Path sp, Path *out) {
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
    *out = resolve(w, (Path){key, has_field ? sp.cls : a->path.cls});
    return true;
}

static void apply_summary(Fx *fx, Work *w, const Event *ev, Function *callee) {
    ThreadSummary *s = callee->thread_sum;
    for (int i = 0; i < s->effects.len; i++) {
        Effect *e = &s->effects.data[i];
        Path p;
        if (!subst(w, ev, e->path, &p)) continue;
        if (e->kind == EFF_JOIN) discharge(fx, w, p);
        else if (e->kind == EFF_ESCAPE) escape_within(fx, w, p.key);
        else if (e->kind == EFF_ATTR_DETACHED) bind_set(w, (Bind){p.key, VAL_DETACHED, 0, 0, NULL});
    }
    for (int i = 0; i < s->effects.len; i++) {
        Effect *e = &s->effects.data[i];
        Path p;
        if (e->kind != EFF_CREATE || !subst(w, ev, e->path, &p)) continue;
        s->called = true;
        const char *text = display_key(fx->fn, p.key);
        int site = site_of(fx, ev, text, callee->name, e->origin);
        step(fx, w, ev->loc, flow_text("thread started by a call to '%s'", callee->name));
        Model m = {.has_success = e->result_in_ret, .success = e->success};
        new_token(fx, w, site, p, ev->loc, ev->temp, &m, false);
    }
    if (s->returns_handle && ev->temp >= 0) {
        s->called = true;
        int site = site_of(fx, ev, NULL, callee->name, s->ret_origin);
        step(fx, w, ev->loc, flow_text("thread started by a call to '%s'", callee->name));
        new_token(fx, w, site, (Path){temp_key(fx->g, ev->temp), NULL}, ev->loc, -1, NULL, true);
    }
    if (s->returns_self && ev->temp >= 0) bind_set(w, (Bind){temp_key(fx->g, ev->temp), VAL_SELF, 0, 0, NULL});
    if (s->self_detach) fx->sum->self_detach = true;
    if (s->noreturn) w->dead = true;
}

/* Code we cannot see may keep what it is given by address. */
static void unknown_call(Fx *fx, Work *w, const Event *ev) {
    for (int i = 0; i < ev->nargs; i++) {
        const Operand *a = &ev->args[i];
        if (a->kind == OPND_ADDR) escape_within(fx, w, resolve(w, a->path).key);
        else if (a->kind == OPND_PATH) escape_within(fx, w, resolve_key(w, pathkey_append(a->path.key, "*")));
    }
}

static void on_call(Fx *fx, Work *w, const Event *ev) {
    if (ev->model) {
        switch (ev->model->op) {
        case OP_THREAD_CREATE: on_create(fx, w, ev); return;
        case OP_THREAD_JOIN:
        case OP_THREAD_DETACH: on_join(fx, w, ev); return;
        case OP_THREAD_SELF:
            if (ev->temp >= 0) bind_set(w, (Bind){temp_key(fx->g, ev->temp), VAL_SELF, 0, 0, NULL});
            return;
        case OP_ATTR_SET_DETACHSTATE: on_attr(fx, w, ev); return;
        default: return;
        }
    }
    Function *callee = program_callee(fx->g->cx->program, fx->fn, ev);
    if (callee && callee->thread_sum) apply_summary(fx, w, ev, callee);
    else unknown_call(fx, w, ev);
}

static void on_assign(Fx *fx, Work *w, const Event *ev) {
    Path dst = resolve(w, ev->args[0].path);
    const Operand *src = &ev->args[1];
    const char *skey = src->kind == OPND_TEMP ? temp_key(fx->g, (int)src->value)
                       : src->kind == OPND_PATH ? resolve(w, src->path).key : NULL;
    Bind copy = {0};
    Bind *sb = skey ? bind_find(w, skey) : NULL;
    if (sb) copy = *sb;
    /* Tokens the source holds get the destination as one more location. */
    int holders[16], nh = 0;
    for (int i = 0; skey && i < w->toks.len && nh < 16; i++)
        if (tok_has(&w->toks.data[i], skey)) holders[nh++] = w->toks.data[i].site;
    overwrite(fx, w, dst.key, ev->loc);
    bind_kill_within(w, dst.key);
    if (src->kind == OPND_CONST) bind_set(w, (Bind){dst.key, VAL_CONST, src->value, 0, NULL});
    else if (src->kind == OPND_ADDR) bind_set(w, (Bind){dst.key, VAL_ADDR, 0, 0, resolve(w, src->path).key});
    else if (sb) copy.key = dst.key, bind_set(w, copy);
    for (int i = 0; i < nh; i++) {
        Tok *t = tok_find(w, holders[i]);
        if (!t) continue;
        place(fx, t, dst, ev->loc);
        if (t->nloc == 0) tok_remove(w, holders[i]);
    }
}

static void on_decl(Fx *fx, Work *w, const Event *ev) {
    const char *key = ev->args[0].path.key;
    for (int i = 0; i < w->toks.len; i++) {
        Tok *t = &w->toks.data[i];
        for (int j = 0; j < t->nloc; j++)
            if (path_within(t->loc[j], key)) tok_drop_loc(t, j--);
        if (t->nloc == 0) {
            lose(fx, w, t->site, ev->loc, LOST_SCOPE, display_key(fx->fn, key));
            i--;
        }
    }
    bind_kill_within(w, key);
}

static void transfer(Fx *fx, Work *w, const Event *ev) {
    switch (ev->kind) {
    case EV_CALL:
        if (ev->temp >= 0) bind_kill_within(w, temp_key(fx->g, ev->temp)); /* a loop evaluates it anew */
        on_call(fx, w, ev);
        break;
    case EV_ASSIGN: on_assign(fx, w, ev); break;
    case EV_DECL: on_decl(fx, w, ev); break;
    default: break;
    }
}

/* ------------------------------------------------------------ branching */

static bool rel_holds(uint8_t r, int64_t a, int64_t b) {
    switch (r) {
    case REL_EQ: return a == b;
    case REL_NE: return a != b;
    case REL_LT: return a < b;
    case REL_LE: return a <= b;
    case REL_GT: return a > b;
    default: return a >= b;
    }
}

/* Refines w for the edge where the condition is `truth`; false if the edge
 * cannot be taken on this path. */
static bool refine(Fx *fx, Work *w, const Cond *c, bool truth) {
    const Operand *o = &c->lhs;
    const char *key = o->kind == OPND_TEMP ? temp_key(fx->g, (int)o->value)
                      : o->kind == OPND_PATH ? resolve(w, o->path).key : NULL;
    if (!key) return true;
    Bind *b = bind_find(w, key);
    if (b && b->kind == VAL_CONST) return rel_holds(c->rel, b->n, c->rhs) == truth;
    if (b && b->kind == VAL_RESULT) {
        bool success_edge = rel_holds(c->rel, b->n, c->rhs) == truth;
        Tok *t = tok_find(w, b->site);
        if (t && success_edge) t->status = TOK_LIVE;
        else if (t) tok_remove(w, b->site);
        return true;
    }
    if (!b && path_is_frame_local(key) && ((c->rel == REL_EQ && truth) || (c->rel == REL_NE && !truth)))
        bind_set(w, (Bind){key, VAL_CONST, c->rhs, 0, NULL});
    return true;
}

/* ---------------------------------------------------------------- exits */

static bool ret_holds(Fx *fx, Work *w, const Operand *ret, const char *loc) {
    if (ret->kind == OPND_TEMP) return temp_key(fx->g, (int)ret->value) == loc;
    if (ret->kind == OPND_PATH) return resolve(w, ret->path).key == loc;
    return false;
}

static void on_return(Fx *fx, Work *w, const Block *b) {
    fx->any_return = true;
    const Operand *ret = &b->ret;
    if (ret->kind == OPND_TEMP || ret->kind == OPND_PATH) {
        const char *key = ret->kind == OPND_TEMP ? temp_key(fx->g, (int)ret->value) : resolve(w, ret->path).key;
        Bind *rb = bind_find(w, key);
        if (rb && rb->kind == VAL_SELF) fx->sum->returns_self = true;
        if (rb && rb->kind == VAL_RESULT) { /* `return pthread_create(...)`: the caller checks it */
            Tok *t = tok_find(w, rb->site);
            for (int j = 0; t && j < t->nloc; j++)
                if (path_param_index(t->loc[j]) >= 0 && !path_is_frame_local(t->loc[j])) {
                    Effect e = {EFF_CREATE, {t->loc[j], t->cls[j]}, fx->sites.data[t->site].origin, true, rb->n, fx->fn->name};
                    add_effect(fx, e);
                    tok_remove(w, t->site);
                    break;
                }
        }
    }
    for (int i = 0; i < w->toks.len; i++) {
        Tok *t = &w->toks.data[i];
        Site *s = &fx->sites.data[t->site];
        bool handed = false;
        for (int j = 0; j < t->nloc && !handed; j++) {
            if (ret_holds(fx, w, ret, t->loc[j])) {
                fx->sum->returns_handle = true, fx->sum->ret_origin = s->origin, handed = true;
            } else if (path_param_index(t->loc[j]) >= 0 && !path_is_frame_local(t->loc[j])) {
                add_effect(fx, (Effect){EFF_CREATE, {t->loc[j], t->cls[j]}, s->origin, false, 0, fx->fn->name});
                handed = true;
            }
        }
        if (handed) continue;
        lose(fx, w, t->site, b->term_loc, LOST_RETURN, s->reported ? "" : tok_name(fx, t));
        i--;
    }
}

/* --------------------------------------------------------- state merging */

static PState freeze(Fx *fx, const Work *w) {
    PState s = {.ntoks = w->toks.len, .nbinds = w->binds.len, .trace = w->trace, .dirty = true};
    s.toks = arena_alloc(fx->arena, sizeof(Tok) * (s.ntoks + 1));
    if (s.ntoks) memcpy(s.toks, w->toks.data, sizeof(Tok) * s.ntoks);
    s.binds = arena_alloc(fx->arena, sizeof(Bind) * (s.nbinds + 1));
    if (s.nbinds) memcpy(s.binds, w->binds.data, sizeof(Bind) * s.nbinds);
    return s;
}

static void thaw(const PState *s, Work *w) {
    w->toks.len = w->binds.len = 0;
    for (int i = 0; i < s->ntoks; i++) vec_push(&w->toks, s->toks[i]);
    for (int i = 0; i < s->nbinds; i++) vec_push(&w->binds, s->binds[i]);
    w->trace = s->trace, w->dead = false;
}

static bool same_tok(const Tok *a, const Tok *b) {
    if (a->site != b->site || a->status != b->status || a->nloc != b->nloc) return false;
    for (int i = 0; i < a->nloc; i++)
        if (!tok_has(b, a->loc[i])) return false;
    return true;
}

static bool same_toks(const PState *a, const Work *w) {
    if (a->ntoks != w->toks.len) return false;
    for (int i = 0; i < a->ntoks; i++) {
        bool found = false;
        for (int j = 0; j < w->toks.len && !found; j++) found = same_tok(&a->toks[i], &w->toks.data[j]);
        if (!found) return false;
    }
    return true;
}

static bool same_bind(const Bind *a, const Bind *b) {
    return a->kind == b->kind && a->n == b->n && a->site == b->site && a->addr == b->addr;
}

/* Keeps only the bindings both states agree on; true if s lost any. */
static bool meet_binds(Fx *fx, PState *s, const Work *w) {
    Bind *out = arena_alloc(fx->arena, sizeof(Bind) * (s->nbinds + 1));
    int n = 0;
    for (int i = 0; i < s->nbinds; i++)
        for (int j = 0; j < w->binds.len; j++)
            if (w->binds.data[j].key == s->binds[i].key && same_bind(&w->binds.data[j], &s->binds[i])) {
                out[n++] = s->binds[i];
                break;
            }
    bool changed = n != s->nbinds;
    s->binds = out, s->nbinds = n;
    return changed;
}

static void enqueue(Fx *fx, int b) {
    if (fx->queued[b]) return;
    fx->queued[b] = true;
    vec_push(&fx->work, b);
}

/* Too many paths: fold them into one that keeps every token (a may-leak
 * over-approximation) and only the bindings all agree on. */
static void widen(Fx *fx, int b) {
    PStateVec *in = &fx->in[b];
    Work w = {0};
    thaw(&in->data[0], &w);
    for (int i = 1; i < in->len; i++) {
        for (int t = 0; t < in->data[i].ntoks; t++)
            if (!tok_find(&w, in->data[i].toks[t].site)) vec_push(&w.toks, in->data[i].toks[t]);
    }
    PState merged = freeze(fx, &w);
    for (int i = 1; i < in->len; i++) {
        Work other = {0};
        thaw(&in->data[i], &other);
        meet_binds(fx, &merged, &other);
        free(other.toks.data), free(other.binds.data);
    }
    in->len = 0;
    vec_push(in, merged);
    free(w.toks.data), free(w.binds.data);
}

static void flow_into(Fx *fx, int b, const Work *w) {
    if (w->dead) return;
    PStateVec *in = &fx->in[b];
    for (int i = 0; i < in->len; i++) {
        if (!same_toks(&in->data[i], w)) continue;
        if (meet_binds(fx, &in->data[i], w)) in->data[i].dirty = true, enqueue(fx, b);
        return;
    }
    if (in->len >= MAX_STATES) {
        widen(fx, b);
        if (in->len == 1 && same_toks(&in->data[0], w)) {
            if (meet_binds(fx, &in->data[0], w)) in->data[0].dirty = true, enqueue(fx, b);
            return;
        }
        Work merged = {0};
        thaw(&in->data[0], &merged);
        for (int t = 0; t < w->toks.len; t++)
            if (!tok_find(&merged, w->toks.data[t].site)) vec_push(&merged.toks, w->toks.data[t]);
        PState m = freeze(fx, &merged);
        meet_binds(fx, &m, w);
        in->data[0] = m;
        free(merged.toks.data), free(merged.binds.data);
        enqueue(fx, b);
        return;
    }
    vec_push(in, freeze(fx, w));
    enqueue(fx, b);
}

/* ---------------------------------------------------------------- loops */

/* A loop whose body joins elements of an array is taken to join the
 * elements its sibling loop created: discharge them on entering it, so the
 * zero-iteration path of a join loop is not a false leak. */
static void find_loops(Fx *fx) {
    Function *fn = fx->fn;
    int n = fn->nblocks;
    int *state = xcalloc(n, sizeof(int)), *stack = xmalloc(sizeof(int) * 2 * (n + 1)), sp = 0;
    stack[sp++] = 0, stack[sp++] = 0;
    while (sp) {
        int b = stack[sp - 2], k = stack[sp - 1];
        state[b] = 1;
        Block *blk = &fn->blocks[b];
        int nsucc = blk->term == TERM_BRANCH ? 2 : blk->term == TERM_JUMP ? 1 : 0;
        if (k >= nsucc) {
            state[b] = 2, sp -= 2;
            continue;
        }
        stack[sp - 1]++;
        int s = blk->succ[k];
        if (s < 0) continue;
        if (state[s] == 0) {
            stack[sp++] = s, stack[sp++] = 0;
        } else if (state[s] == 1) { /* back edge b -> s: natural loop of s */
            Loop L = {.head = s, .body = xcalloc(n, 1)};
            int *todo = xmalloc(sizeof(int) * (n + 1)), nt = 0;
            L.body[s] = true;
            if (!L.body[b]) L.body[b] = true, todo[nt++] = b;
            while (nt) {
                int x = todo[--nt];
                for (int p = 0; p < n; p++) {
                    Block *pb = &fn->blocks[p];
                    bool to_x = (pb->term == TERM_JUMP || pb->term == TERM_BRANCH) && pb->succ[0] == x;
                    to_x |= pb->term == TERM_BRANCH && pb->succ[1] == x;
                    if (to_x && !L.body[p]) L.body[p] = true, todo[nt++] = p;
                }
            }
            free(todo);
            for (int x = 0; x < n; x++) {
                if (!L.body[x]) continue;
                for (int e = 0; e < fn->blocks[x].nev; e++) {
                    const Event *ev = &fn->blocks[x].ev[e];
                    const Model *m = ev->model;
                    if (!m || (m->op != OP_THREAD_JOIN && m->op != OP_THREAD_DETACH) || m->handle < 0 || m->handle >= ev->nargs)
                        continue;
                    const Operand *h = &ev->args[m->handle];
                    if (h->kind == OPND_PATH && path_is_weak(h->path.key)) vec_push(&L.joins, h->path.key);
                }
            }
            vec_push(&fx->loops, L);
        }
    }
    free(state), free(stack);
}

static void enter_loops(Fx *fx, Work *w, int from, int to) {
    for (int i = 0; i < fx->loops.len; i++) {
        Loop *L = &fx->loops.data[i];
        if (L->head != to || L->body[from]) continue;
        for (int j = 0; j < L->joins.len; j++) {
            const char *k = resolve_key(w, L->joins.data[j]);
            for (int t = 0; t < w->toks.len; t++)
                if (tok_has(&w->toks.data[t], k)) tok_remove(w, w->toks.data[t--].site);
        }
    }
}

/* ----------------------------------------------------------- the driver */

static void run_block(Fx *fx, int b, const PState *s, Work *w) {
    Block *blk = &fx->fn->blocks[b];
    thaw(s, w);
    for (int i = 0; i < blk->nev && !w->dead; i++) transfer(fx, w, &blk->ev[i]);
    if (w->dead) return;
    switch (blk->term) {
    case TERM_JUMP:
        enter_loops(fx, w, b, blk->succ[0]);
        flow_into(fx, blk->succ[0], w);
        break;
    case TERM_BRANCH: {
        PState mid = freeze(fx, w);
        for (int e = 0; e < 2; e++) {
            Work x = {0};
            thaw(&mid, &x);
            if (refine(fx, &x, &blk->cond, e == 0)) {
                if (x.toks.len) step(fx, &x, blk->term_loc, e == 0 ? "taking the true branch" : "taking the false branch");
                enter_loops(fx, &x, b, blk->succ[e]);
                flow_into(fx, blk->succ[e], &x);
            }
            free(x.toks.data), free(x.binds.data);
        }
        break;
    }
    case TERM_RETURN: on_return(fx, w, blk); break;
    default: break; /* the process ends: nothing leaks past it */
    }
}

static void self_detach_prepass(Fx *fx) {
    /* A detach of pthread_self()'s result anywhere in the body counts, even
     * on one path only: it is the thread's own business to be detached. */
    Function *fn = fx->fn;
    for (int b = 0; b < fn->nblocks; b++)
        for (int e = 0; e < fn->blocks[b].nev; e++) {
            const Event *ev = &fn->blocks[b].ev[e];
            Function *callee = ev->model ? NULL : program_callee(fx->g->cx->program, fn, ev);
            if (callee && callee->thread_sum && callee->thread_sum->self_detach) fx->sum->self_detach = true;
        }
}

static void analyse_function(Global *g, Function *fn) {
    Fx fx = {.g = g, .fn = fn, .arena = arena_new()};
    fx.sum = fn->thread_sum = xcalloc(1, sizeof(ThreadSummary));
    if (fn->nblocks == 0) goto done;
    fx.in = xcalloc(fn->nblocks, sizeof(*fx.in));
    fx.queued = xcalloc(fn->nblocks, 1);
    self_detach_prepass(&fx);
    find_loops(&fx);
    Work w = {0};
    flow_into(&fx, 0, &w);
    int budget = 20000; /* bounded work per function, whatever its shape */
    for (int head = 0; head < fx.work.len && budget-- > 0;) {
        int b = fx.work.data[head++];
        if (head == fx.work.len) head = fx.work.len = 0; /* drained: reuse the buffer */
        fx.queued[b] = false;
        PStateVec *in = &fx.in[b];
        int n = in->len;
        for (int i = 0; i < n && i < in->len; i++) {
            if (!in->data[i].dirty) continue;
            in->data[i].dirty = false;
            PState s = in->data[i];
            run_block(&fx, b, &s, &w);
        }
    }
    fx.sum->noreturn = !fx.any_return && budget > 0;
    free(w.toks.data), free(w.binds.data);
    for (int i = 0; i < fn->nblocks; i++) free(fx.in[i].data);
    free(fx.in), free(fx.queued), free(fx.work.data);
    for (int i = 0; i < fx.loops.len; i++) free(fx.loops.data[i].body), free(fx.loops.data[i].joins.data);
    free(fx.loops.data);
done:
    free(fx.sites.data);
    arena_free(fx.arena);
}

/* ------------------------------------------------------- whole program */

static bool discharged(Global *g, const char *cls) {
    for (int i = 0; i < g->discharged.len; i++)
        if (g->discharged.data[i] == cls) return true;
    return false;
}

static void class_finding(Global *g, Loc at, const char *fn, const char *handle, const char *cls, Loc store,
                          const char *where, const char *via, Loc origin) {
    Finding f = {.rule = g->rule, .loc = at, .function = fn};
    const char *shown = cls[0] == '@' ? cls + 1 : cls;
    char *bang = strchr(shown, '!');
    char *name = bang ? xasprintf("%.*s", (int)(bang - shown), shown) : xstrdup(shown);
    f.message = via ? xasprintf("thread started by '%s' into '%s' is never joined or detached: nothing in the "
                                "program joins or detaches '%s'", via, handle, name)
                    : xasprintf("thread created into '%s' is never joined or detached: nothing in the program "
                                "joins or detaches '%s'", handle, name);
    f.related = xcalloc(2, sizeof(Related));
    f.related[0] = (Related){store, internf("the handle is stored in '%s' here", where)};
    f.nrelated = 1;
    if (via) f.related[f.nrelated++] = (Related){origin, xasprintf("the thread is created here, in '%s'", via)};
    f.stable_key = internf("thread-leak|%s|%s|%s", fn, handle, cls);
    free(name);
    findings_add(g->cx->out, f);
}

/* Handles kept in globals and heap objects, and handles a never-called
 * function (a thread's start routine, an API entry point) leaves in its
 * parameters' objects: someone in the program must join or detach them. */
/* A class private to one file (a struct defined there, a static global) is
 * joined in that file or nowhere; a public one only when we see it all. */
static bool checkable(const Program *p, const char *cls) { return p->whole_program || strchr(cls, '!'); }

static void check_classes(Global *g, Program *p) {
    for (int i = 0; i < g->escapes.len; i++) {
        Escape *e = &g->escapes.data[i];
        if (!checkable(p, e->cls)) continue;
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            dup = g->escapes.data[j].cls == e->cls && g->escapes.data[j].site.line == e->site.line &&
                  g->escapes.data[j].site.col == e->site.col && g->escapes.data[j].site.file == e->site.file;
        if (!dup && !discharged(g, e->cls)) class_finding(g, e->site, e->fn, e->handle, e->cls, e->store, e->where, e->via, e->origin);
    }
    for (int i = 0; i < p->nfuncs; i++) {
        ThreadSummary *s = p->funcs[i]->thread_sum;
        if (!s || s->called) continue;
        for (int j = 0; j < s->effects.len; j++) {
            Effect *e = &s->effects.data[j];
            if (e->kind != EFF_CREATE || !e->path.cls || !checkable(p, e->path.cls) || discharged(g, e->path.cls))
                continue;
            const char *where = display_key(p->funcs[i], e->path.key);
            class_finding(g, e->origin, p->funcs[i]->name, where, e->path.cls, e->origin, where, NULL, e->origin);
        }
    }
}

void analyze_threads(AnalysisContext *cx) {
    Global g = {.cx = cx, .rule = catalog_find(cx->catalog, "thread-leak")};
    if (!g.rule || !g.rule->enabled) return;
    Program *p = cx->program;
    for (int i = 0; i < p->nfuncs; i++) analyse_function(&g, p->funcs[i]);
    check_classes(&g, p);
    for (int i = 0; i < p->nfuncs; i++) {
        ThreadSummary *s = p->funcs[i]->thread_sum;
        if (s) free(s->effects.data), free(s);
        p->funcs[i]->thread_sum = NULL;
    }
    free(g.escapes.data), free(g.discharged.data), free(g.temps.data);
}
