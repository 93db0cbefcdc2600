/* channels.c — the channel rules, for any Go-style channel API the models
 * describe (chan-make, chan-close, chan-send, chan-dispose):
 *   chan-double-close      the same channel closed twice: on one path,
 *                          through helpers, in a loop, by every thread of a
 *                          routine started several times, or by two threads;
 *   chan-send-after-close  a send on a path after the close, or from a
 *                          thread that may still run when another closes it.
 *
 * On a path (the engine), a channel is a fact living at the locations that
 * hold it (its variable and copies), open or closed; a channel the function
 * did not make is met at its location on first use. A function's summary
 * says which of its parameters' channels it closes or sends on, and which
 * channel classes (a struct field, a global) it and its callees close or
 * send on, with the call or op that does it. The whole-program step judges
 * the classes over the thread topology: which roots close each, how many
 * instances of them run, which senders may still run at a close.
 *
 * A close behind a test of shared state (a `closed` flag, a WaitGroup-style
 * counter, an atomic decrement) is an idempotent or last-one-out close: it
 * is no second closer, and it closes no channel twice through a helper. */
#include <stdlib.h>
#include <string.h>

#include "analyses/engine.h"
#include "ir/ir.h"

#define MAX_CLASSES 4

/* ---------------------------------------------------------------- summary */

typedef enum { CE_CLOSE, CE_SEND, CE_CLOSE_CLASS, CE_SEND_CLASS, CE_RETURNS } CEffKind;

typedef struct CEffect {
    uint8_t kind;
    Path path;             /* CLOSE, SEND: the parameter's channel (`$0`, `$1*.out`) */
    const char *cls;       /* *_CLASS, RETURNS: the class */
    const char *name;      /* the channel as written at the op */
    const char *where;     /* the function whose code does the op */
    Loc at;                /* the op */
    const Event *site;     /* in this function: the op, or the call leading to it */
    Guard guard;
    bool guarded;          /* behind a test of shared state: idempotent */
    bool via_param;        /* *_CLASS: the channel came through the routine's argument */
    bool closes_by_dispose;
    bool must;              /* CLOSE: on every path that returns, so the caller's channel is closed after */
    const char *joined[8];  /* *_CLASS: routines whose threads are joined before it, on every path */
    int njoined;
    const char *unstarted[4]; /* CLOSE_CLASS: routines this function starts, not started on the close's path */
    int nunstarted;
    const char *objs[4];    /* *_CLASS: the channel objects points-to says it is (none: unknown) */
    int nobjs;
} CEffect;

typedef struct ChanSummary { VEC(CEffect) effects; } ChanSummary;

/* ------------------------------------------------------------- context */

enum { CH_OPEN, CH_CLOSED, TH_PENDING, TH_STARTED };
#define STARTED_ID 1000000 /* facts past this: a thread of the creates' routine was started on the path */

/* A channel met in the function being analysed (a fact's id). */
typedef struct Chan {
    const char *cls[MAX_CLASSES]; int ncls; /* classes of the places it was kept */
    const char *param_key;                  /* `$0...` when it is a parameter's */
} Chan;

/* Where a channel was closed on a path (Fact.aux). */
typedef struct Closed {
    Loc at; const char *name; const char *via; Loc inner; const Event *ev; bool by_dispose;
    const char *elem; /* the element of an array of channels closed (`ch[0]`), if named */
} Closed;

/* A misuse of a channel in an array is sure only on the very element the
 * close named (`ch[0]` twice), never on `ch[i]`. */
static bool surely_same(const Path *p, const Closed *first) {
    if (!path_is_weak(p->key)) return true;
    return first && p->elem && first->elem == p->elem && !path_is_weak(p->elem);
}

typedef struct Global {
    FamilyRun *r;
    const Rule *dbl, *sac;
    const Topology *topo;
    const PointsTo *pt;
    Arena *arena;
} Global;

typedef struct Cx {
    Global *g;
    Function *fn;
    ChanSummary *sum;
    VEC(Chan) chans;
    PtrMap chan_of;            /* a make event, or a location met first: its channel's id + 1 */
    PtrMap guarded;            /* event -> non-NULL: behind a test of shared state */
    VEC(const char *) reported;
    VEC(const char *) ret_closed;   /* per return: the parameters' channels closed there, NULL-separated */
    VEC(const Function *) starts;   /* the routines this function starts threads of */
    PtrMap chan_vars;          /* variables given to channel ops or to callees that touch channels */
    int nreturns;
} Cx;

static ChanSummary *summary(const Global *g, const Function *fn) { return family_summary(g->r, fn); }
static bool quiet(const Global *g) { return family_quiet(g->r); }

static void add_effect(Cx *cx, CEffect e) {
    ChanSummary *sum = cx->sum;
    for (int i = 0; i < sum->effects.len; i++) {
        CEffect *o = &sum->effects.data[i];
        bool same_op = e.kind != CE_CLOSE_CLASS || (o->at.file == e.at.file && o->at.line == e.at.line && o->at.col == e.at.col);
        bool same_objs = o->nobjs == e.nobjs && !memcmp(o->objs, e.objs, sizeof(char *) * (size_t)e.nobjs);
        if (o->kind == e.kind && o->path.key == e.path.key && o->cls == e.cls && guard_same(&o->guard, &e.guard) && same_op &&
            same_objs) {
            o->guarded &= e.guarded; /* one unguarded way is enough */
            /* the same op through the same call, seen twice (the callee's close
             * applied here, and its own effect passed up): one run, so
             * what either knows was joined before it was */
            for (int k = 0; o->site == e.site && k < e.njoined && o->njoined < 8; k++) {
                bool dup = false;
                for (int q = 0; q < o->njoined && !dup; q++) dup = o->joined[q] == e.joined[k];
                if (!dup) o->joined[o->njoined++] = e.joined[k];
            }
            return;
        }
    }
    if (!e.where) e.where = cx->fn->name;
    vec_push(&sum->effects, e); /* every one: a summary that dropped some would hide their closes and sends, silently */
}

/* ------------------------------------------------------------ guarded ops */

static int nsucc(const Block *b) { return b->term == TERM_BRANCH ? 2 : b->term == TERM_JUMP ? 1 : 0; }

/* A test of shared state: a field or global (`--w->count == 0`), a call's
 * result (a counter decremented atomically, a trylock), or a local filled
 * from one of those. */
static const Event *temp_call(const Function *fn, int temp) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++)
            if (fn->blocks[b].ev[k].kind == EV_CALL && fn->blocks[b].ev[k].temp == temp) return &fn->blocks[b].ev[k];
    return NULL;
}

/* A call whose result reflects shared state: an atomic operation, or one
 * given the address of shared memory (`dec_and_test(&w->refs)`); not a
 * channel operation's or a thread create's status. */
static bool shared_result(const Event *ev) {
    if (!ev) return false;
    if (ev->model) {
        for (int i = 0; i < ev->model->nops; i++)
            if (ev->model->ops[i].op >= OP_CHAN_CLOSE || ev->model->ops[i].op <= OP_THREAD_EXIT) return false;
        return true; /* a trylock, a timed wait... */
    }
    const char *n = ev->callee ? ev->callee : "";
    if (!strncmp(n, "atomic_", 7) || !strncmp(n, "__atomic_", 9) || !strncmp(n, "__c11_atomic_", 13) || !strncmp(n, "__sync_", 7))
        return true;
    for (int i = 0; i < ev->nargs; i++) {
        const Operand *a = &ev->args[i];
        if (a->kind == OPND_ADDR && !path_is_frame_local(a->path.key)) return true;
    }
    return false;
}

/* Whether fn updates shared location key (a flag set, a counter counted
 * down, its address given to a call): a test of state nobody changes here
 * (`if (!s->ch) return;`) makes nothing happen once. */
static bool updates(const Function *fn, const char *key) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if ((ev->kind == EV_WRITE || ev->kind == EV_ASSIGN) && ev->args[0].path.key == key) return true;
            for (int i = 0; ev->kind == EV_CALL && i < ev->nargs; i++)
                if (ev->args[i].kind == OPND_ADDR && ev->args[i].path.key == key) return true;
        }
    return false;
}

static bool shared_test(const Function *fn, const Cond *c, bool need_update) {
    const Operand *o = &c->lhs;
    if (o->kind == OPND_TEMP) return shared_result(temp_call(fn, (int)o->value));
    if (o->kind != OPND_PATH) return false;
    if (!path_is_frame_local(o->path.key))
        return (path_param_index(o->path.key) < 0 || strchr(o->path.key, '*')) && (!need_update || updates(fn, o->path.key));
    /* a local: shared when some assignment fills it from shared memory or a
     * call, or from an expression that reads them (`last = --p->left == 0`) */
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != o->path.key) continue;
            const Operand *src = &ev->args[1];
            if ((src->kind == OPND_TEMP && shared_result(temp_call(fn, (int)src->value))) ||
                (src->kind == OPND_PATH && !path_is_frame_local(src->path.key) && (!need_update || updates(fn, src->path.key))))
                return true;
            for (int j = k - 1; src->kind == OPND_UNKNOWN && j >= 0; j--) {
                const Event *prev = &fn->blocks[b].ev[j];
                if (prev->kind == EV_ASSIGN && path_is_frame_local(prev->args[0].path.key)) break;
                if (prev->kind == EV_DECL) break;
                if ((prev->kind == EV_CALL && shared_result(prev)) ||
                    (prev->kind == EV_READ && !path_is_frame_local(prev->args[0].path.key) &&
                     (!need_update || updates(fn, prev->args[0].path.key))))
                    return true;
            }
        }
    return false;
}

static bool reaches(const Function *fn, int from, int to, int avoid, bool *seen, int *stack) {
    for (int i = 0; i < fn->nblocks; i++) seen[i] = false;
    int sp = 0;
    if (from == avoid) return false;
    stack[sp++] = from, seen[from] = true;
    while (sp) {
        int b = stack[--sp];
        if (b == to) return true;
        const Block *blk = &fn->blocks[b];
        if (to < 0 && (blk->term == TERM_RETURN || blk->term == TERM_EXIT)) return true;
        for (int k = 0; k < nsucc(blk); k++) {
            int s = blk->succ[k];
            if (s >= 0 && s != avoid && !seen[s]) seen[s] = true, stack[sp++] = s;
        }
    }
    return false;
}

/* Whether a channel op or a call is behind a test of shared state: a
 * branch on one that reaches it and also reaches the end without it. A
 * close is made idempotent only by a test that goes with an update of what
 * it tests (GUARD_CLOSE); a send is spared by any test (GUARD_SEND: the flag
 * the closer sets). Asked only of the few events that touch channels, and
 * remembered. */
enum { GUARD_KNOWN = 1, GUARD_CLOSE = 2, GUARD_SEND = 4 };

static bool guarded_by(const Function *fn, int b, bool need_update) {
    int n = fn->nblocks;
    bool guarded = false;
    bool *seen = xmalloc(n + 1);
    int *stack = xmalloc(sizeof(int) * (n + 1));
    for (int t = 0; t < n && !guarded; t++) {
        const Block *br = &fn->blocks[t];
        if (br->term != TERM_BRANCH || !shared_test(fn, &br->end->cond, need_update)) continue;
        for (int side = 0; side < 2 && !guarded; side++)
            guarded = reaches(fn, br->succ[side], b, -1, seen, stack) && reaches(fn, br->succ[1 - side], -1, b, seen, stack);
    }
    free(seen), free(stack);
    return guarded;
}

static bool is_guarded(Cx *cx, const Event *ev, int kind) {
    void **slot = ptrmap_slot(&cx->guarded, ev, true);
    if (!*slot) {
        const Function *fn = cx->fn;
        int b = -1;
        for (int x = 0; x < fn->nblocks && b < 0; x++)
            if (ev >= fn->blocks[x].ev && ev < fn->blocks[x].ev + fn->blocks[x].nev) b = x;
        uintptr_t v = GUARD_KNOWN;
        if (b >= 0 && guarded_by(fn, b, false)) v |= GUARD_SEND | (guarded_by(fn, b, true) ? GUARD_CLOSE : 0);
        *slot = (void *)v;
    }
    return ((uintptr_t)*slot & (uintptr_t)kind) != 0;
}

/* ------------------------------------------------------------ facts */

static const char *class_of(Path p) {
    if (p.cls && p.cls[0] != '@') return p.cls;
    if (path_is_global(p.key)) return p.cls ? p.cls : p.key;
    return NULL;
}

static void chan_add_class(Chan *c, const char *cls) {
    if (!cls) return;
    for (int i = 0; i < c->ncls; i++)
        if (c->cls[i] == cls) return;
    if (c->ncls < MAX_CLASSES) c->cls[c->ncls++] = cls;
}

static bool param_object(const char *key) { return path_param_index(key) >= 0; }

/* One channel per make site and per location met without one, so a loop
 * making into an array does not make new facts forever. */
static int chan_for(Cx *cx, const void *origin) {
    void **slot = ptrmap_slot(&cx->chan_of, origin, true);
    if (!*slot) {
        vec_push(&cx->chans, ((Chan){{0}, 0, NULL}));
        *slot = (void *)(intptr_t)cx->chans.len;
    }
    return (int)(intptr_t)*slot - 1;
}

/* Drops location key (and what lies inside it) from every fact: it now
 * holds something else. Facts left with no location are gone. */
static void overwrite(State *s, const char *key) {
    for (int i = 0; i < s->facts.len; i++) {
        Fact *f = &s->facts.data[i];
        for (int j = 0; j < f->nkeys; j++)
            if (!path_is_weak(f->key[j]) && path_within(f->key[j], key)) fact_drop_key(f, j--);
        if (f->nkeys == 0) fact_remove(s, s->facts.data[i--].id);
    }
}

static Fact *fact_at(State *s, const char *key) {
    for (int i = 0; i < s->facts.len; i++)
        if (fact_has_key(&s->facts.data[i], key)) return &s->facts.data[i];
    return NULL;
}

/* The fact of the channel kept at p: met there now if not seen before. */
static Fact *chan_at(Cx *cx, State *s, Path p) {
    Fact *f = fact_at(s, p.key);
    if (f) {
        chan_add_class(&cx->chans.data[f->id], class_of(p));
        return f;
    }
    int id = chan_for(cx, p.key);
    Chan *c = &cx->chans.data[id];
    Fact *old = fact_find(s, id); /* the same location's channel, kept elsewhere now */
    if (old) {
        fact_add_key(old, p.key, p.cls);
        return old;
    }
    chan_add_class(c, class_of(p));
    if (param_object(p.key)) c->param_key = p.key;
    Fact nf = {.id = id, .status = CH_OPEN};
    fact_add_key(&nf, p.key, p.cls);
    fact_add(s, nf);
    return fact_find(s, id);
}

/* Where the op's channel is kept: the argument's value (a `chan_t *` or an
 * int handle), or what an out argument points to. */
static bool chan_operand(const Function *fn, State *s, const Event *ev, const ModelOp *m, Path *p, const char **name) {
    if (m->handle == ROLE_RETURN) {
        if (ev->temp < 0) return false;
        *p = (Path){temp_key(ev->temp), NULL, NULL};
        *name = "the new channel";
        return true;
    }
    if (m->handle < 0 || m->handle >= ev->nargs) return false;
    const Operand *a = &ev->args[m->handle];
    if (m->handle_out) {
        if (!pointee(s, a, p)) return false;
    } else if (a->kind == OPND_PATH) {
        *p = resolve(s, a->path);
    } else if (a->kind == OPND_TEMP) {
        *p = (Path){temp_key((int)a->value), NULL, NULL};
    } else {
        return false;
    }
    *name = operand_name(fn, a);
    return true;
}

/* ------------------------------------------------------------- reporting */

static bool first_report(Cx *cx, const Rule *r, Loc at) {
    const char *k = internf("%s|%s|%u|%u", r->id, at.file ? at.file : "", at.line, at.col);
    for (int i = 0; i < cx->reported.len; i++)
        if (cx->reported.data[i] == k) return false;
    vec_push(&cx->reported, k);
    return true;
}

static const char *chan_id(const Function *fn, Path p) { return internf("chan:%s", id_object(fn, p)); }

static void emit(Cx *cx, const Rule *r, Loc at, char *msg, Related *rel, int nrel, Flow *flow, Path chan) {
    if (!r || quiet(cx->g) || !first_report(cx, r, at)) {
        free(msg), free(rel);
        if (flow) free(flow->steps), free(flow);
        return;
    }
    Finding f = {.rule = r, .loc = at, .message = msg, .related = rel, .nrelated = nrel, .flows = flow,
                 .nflows = flow ? 1 : 0};
    const char *parts[] = {id_function(cx->fn), chan_id(cx->fn, chan)};
    f.identity = finding_identity(r->id, parts, 2, false);
    family_report(cx->g->r, f);
}

/* An op on a channel (a close, a send), here or in a callee `via`. */
typedef struct Op {
    Path chan;
    const char *name;
    Loc at;              /* where this function does it (the op or the call) */
    Loc inner;           /* the op itself, in a callee */
    const char *via;     /* the callee, or NULL */
    const Event *ev;
    bool guarded, by_dispose;
} Op;

static void report_double(Cx *cx, const State *s, const Op *o, const Closed *first) {
    Related *rel = xcalloc(2, sizeof(Related));
    int n = 0;
    bool loop = first->ev == o->ev && !o->via;
    if (!loop) rel[n++] = (Related){first->at, internf("'%s' is first closed here", first->name)};
    if (o->via) rel[n++] = (Related){o->inner, internf("'%s' closes it here", o->via)};
    char *msg = loop ? xasprintf("channel '%s' is closed again in the next iteration of the loop (close of closed channel)", o->name)
              : o->via ? xasprintf("channel '%s' is closed by '%s' after this path already closed it (close of closed channel)",
                                   o->name, o->via)
                       : xasprintf("channel '%s' is closed twice on this path (close of closed channel)", o->name);
    emit(cx, cx->g->dbl, o->at, msg, rel, n, state_flow(s, o->at, internf("'%s' is closed again", o->name)), o->chan);
}

static void report_send(Cx *cx, const State *s, const Op *o, const Closed *closed) {
    Related *rel = xcalloc(2, sizeof(Related));
    int n = 0;
    rel[n++] = (Related){closed->at, internf("'%s' is closed here", closed->name)};
    if (o->via) rel[n++] = (Related){o->inner, internf("'%s' sends on it here", o->via)};
    char *msg = o->via ? xasprintf("channel '%s' is sent on by '%s' after this path closed it (send on closed channel)",
                                   o->name, o->via)
                       : xasprintf("send on channel '%s' after this path closed it (send on closed channel)", o->name);
    emit(cx, cx->g->sac, o->at, msg, rel, n, state_flow(s, o->at, internf("'%s' is sent on", o->name)), o->chan);
}

/* ------------------------------------------------------ close, send */

/* What a close or send tells the function's callers: through a parameter,
 * and by class for the whole program. */
static void record(Cx *cx, State *s, const Op *o, const Fact *f, bool close) {
    const Chan *c = &cx->chans.data[f->id];
    const char *pkey = NULL;
    for (int i = 0; i < f->nkeys && !pkey; i++)
        if (param_object(f->key[i])) pkey = f->key[i];
    if (!pkey) pkey = c->param_key;
    Guard g = state_guard(s);
    const char *joined[8];
    int nj = topo_joined_at(cx->g->topo, cx->fn, o->ev, joined, 8);
    if (pkey)
        add_effect(cx, (CEffect){.kind = close ? CE_CLOSE : CE_SEND, .path = {pkey, NULL, NULL}, .name = o->name, .where = o->via,
                                 .at = o->inner, .site = o->ev, .guard = g, .guarded = o->guarded,
                                 .closes_by_dispose = o->by_dispose});
    if (quiet(cx->g)) return;
    const char *objs[4]; /* the very channels, when points-to knows them */
    int nobjs = o->chan.key[0] == '%' ? -1 : pt_objects(cx->g->pt, cx->fn, pathkey_join(o->chan.key, "*"), objs, 4);
    for (int i = 0; i < c->ncls; i++) {
        CEffect ef = {.kind = close ? CE_CLOSE_CLASS : CE_SEND_CLASS, .cls = c->cls[i], .name = o->name, .where = o->via,
                      .at = o->inner, .site = o->ev, .guarded = o->guarded, .via_param = pkey != NULL, .njoined = nj};
        for (int k = 0; k < nobjs; k++) ef.objs[ef.nobjs++] = objs[k];
        memcpy(ef.joined, joined, sizeof(char *) * (size_t)nj);
        for (int k = 0; k < cx->starts.len && ef.nunstarted < 4; k++)
            if (!fact_find(s, STARTED_ID + k)) ef.unstarted[ef.nunstarted++] = cx->starts.data[k]->key;
        add_effect(cx, ef);
    }
}

/* A close: judged against what the path knew before (check), and making
 * the channel closed from here on (apply); a callee's close that happens on
 * only some of its paths is checked, not applied. */
enum { CLOSE_CHECK = 1, CLOSE_APPLY = 2, CLOSE_BOTH = 3 };

static void do_close(Cx *cx, Engine *e, State *s, Op o, int mode) {
    Fact *f = chan_at(cx, s, o.chan);
    if (f->status == CH_CLOSED) {
        const Closed *first = f->aux;
        bool legal = o.by_dispose || (first && first->by_dispose && o.by_dispose);
        if ((mode & CLOSE_CHECK) && !legal && !o.guarded && surely_same(&o.chan, first)) report_double(cx, s, &o, first);
        if (mode & CLOSE_CHECK) record(cx, s, &o, f, true);
        return;
    }
    if (mode & CLOSE_CHECK) record(cx, s, &o, f, true);
    if (!(mode & CLOSE_APPLY)) return;
    Closed *cl = arena_alloc(cx->g->arena, sizeof *cl);
    *cl = (Closed){o.at, o.name, o.via, o.inner, o.ev, o.by_dispose, o.chan.elem};
    f->status = CH_CLOSED, f->aux = cl;
    state_stepf(e, s, o.at, "'%s' closed", o.name);
}

static void do_send(Cx *cx, State *s, Op o) {
    Fact *f = chan_at(cx, s, o.chan);
    if (f->status == CH_CLOSED && f->aux && surely_same(&o.chan, f->aux)) report_send(cx, s, &o, f->aux);
    record(cx, s, &o, f, false);
}

static void on_op(Cx *cx, Engine *e, State *s, const Event *ev, const ModelOp *m) {
    Path p;
    const char *name;
    if (!chan_operand(cx->fn, s, ev, m, &p, &name)) return;
    bool closing = m->op == OP_CHAN_CLOSE || m->op == OP_CHAN_DISPOSE;
    Op o = {p, name, ev->loc, ev->loc, NULL, ev,
            closing || m->op == OP_CHAN_SEND ? is_guarded(cx, ev, closing ? GUARD_CLOSE : GUARD_SEND) : false, false};
    switch (m->op) {
    case OP_CHAN_MAKE: {
        overwrite(s, p.key);
        int id = chan_for(cx, ev);
        if (fact_find(s, id)) break; /* a loop making into an array again: the same weak location */
        Fact nf = {.id = id, .status = CH_OPEN, .at = ev->loc};
        fact_add_key(&nf, p.key, p.cls);
        fact_add(s, nf);
        break;
    }
    case OP_CHAN_CLOSE: do_close(cx, e, s, o, CLOSE_BOTH); break;
    case OP_CHAN_SEND: do_send(cx, s, o); break;
    case OP_CHAN_DISPOSE:
        if (m->closes) o.by_dispose = true, do_close(cx, e, s, o, CLOSE_BOTH);
        break;
    default: break;
    }
}

/* A thread of routine start is created: on the path where it worked, the
 * routine runs (a close on a path where it did not start is not its rival). */
static void on_create(Cx *cx, State *s, const Event *ev, const ModelOp *m) {
    if (m->start < 0 || m->start >= ev->nargs) return;
    const Function *start = program_function_ref(family_program(cx->g->r), cx->fn, &ev->args[m->start]);
    if (!start) return;
    int k = 0;
    while (k < cx->starts.len && cx->starts.data[k] != start) k++;
    if (k == cx->starts.len) vec_push(&cx->starts, start);
    Fact f = {.id = STARTED_ID + k, .status = TH_STARTED};
    fact_add_key(&f, internf("started:%s", start->key), NULL);
    if (m->has_success && ev->temp >= 0) {
        f.status = TH_PENDING;
        bind_set(s, (Bind){temp_key(ev->temp), VAL_RESULT, m->success, f.id, NULL, false, false, false});
    }
    fact_add(s, f);
}

static void client_result(Engine *e, State *s, int id, bool worked) {
    Fact *f = fact_find(s, id);
    if (f && worked) f->status = TH_STARTED;
    else if (f) fact_remove(s, id);
    (void)e;
}

/* ----------------------------------------------------------- summaries */

static void apply_summary(Cx *cx, Engine *e, State *s, const Event *ev, Function *callee) {
    ChanSummary *sum = summary(cx->g, callee);
    if (!sum->effects.len) return;
    const Guard here = state_guard(s);
    bool close_guarded = is_guarded(cx, ev, GUARD_CLOSE), send_guarded = is_guarded(cx, ev, GUARD_SEND);
    for (int pass = 0; pass < 2; pass++) /* judge every effect against the state before the call, then close */
    for (int i = 0; i < sum->effects.len; i++) {
        const CEffect *ef = &sum->effects.data[i];
        if (!guard_allows(&ef->guard, s, ev)) continue;
        if (pass == 1 && !(ef->kind == CE_CLOSE && ef->must)) continue;
        Path p;
        const char *via = ef->where ? ef->where : callee->name;
        switch (ef->kind) {
        case CE_CLOSE:
        case CE_SEND: {
            if (!subst_param(s, ev, ef->path, &p)) break;
            const Operand *arg = &ev->args[path_param_index(ef->path.key)];
            /* the argument as written when it is the channel, else the location it leads to (`&s` -> `s.quit`) */
            const char *shown = arg->text && !*path_root_end(ef->path.key) ? operand_text(arg) : display_key(cx->fn, p.key);
            Op o = {p, shown, ev->loc, ef->at, callee->name, ev,
                    ef->guarded || (ef->kind == CE_CLOSE ? close_guarded : send_guarded), ef->closes_by_dispose};
            (void)via;
            if (ef->kind == CE_CLOSE) do_close(cx, e, s, o, pass == 0 ? CLOSE_CHECK : CLOSE_APPLY);
            else do_send(cx, s, o);
            break;
        }
        case CE_CLOSE_CLASS:
        case CE_SEND_CLASS: {
            if (quiet(cx->g) || pass == 1) break;
            bool via_param = false;
            /* a class effect through the callee's parameter stays one when the argument is ours */
            for (int a = 0; ef->via_param && a < ev->nargs; a++)
                if (ev->args[a].kind == OPND_PATH && param_object(ev->args[a].path.key)) via_param = true;
            CEffect ne = *ef;
            ne.site = ev, ne.via_param = via_param;
            ne.guarded = ef->guarded || (ef->kind == CE_CLOSE_CLASS ? close_guarded : send_guarded);
            ne.guard = guard_carry(&ef->guard, s, ev, &here);
            const char *outer[8]; /* joined before the call, and inside before the op */
            int no = topo_joined_at(cx->g->topo, cx->fn, ev, outer, 8);
            for (int q = 0; q < no && ne.njoined < 8; q++) {
                bool dup = false;
                for (int r = 0; r < ne.njoined && !dup; r++) dup = ne.joined[r] == outer[q];
                if (!dup) ne.joined[ne.njoined++] = outer[q];
            }
            if (!ne.where) ne.where = callee->name;
            add_effect(cx, ne);
            break;
        }
        case CE_RETURNS:
            if (ev->temp >= 0 && pass == 0) {
                Fact *f = chan_at(cx, s, (Path){temp_key(ev->temp), NULL, NULL});
                chan_add_class(&cx->chans.data[f->id], ef->cls);
            }
            break;
        }
    }
}

/* ---------------------------------------------------------------- events */

static void on_assign(Cx *cx, State *s, const Event *ev) {
    Path dst = resolve(s, ev->args[0].path);
    const char *skey = operand_key(s, &ev->args[1]);
    Fact *src = skey ? fact_at(s, skey) : NULL;
    /* `chan_t *d = c;` before c's first use: the copy is the caller's channel too */
    if (!src && skey && ev->args[1].kind == OPND_PATH &&
        ptrmap_get(&cx->chan_vars, ev->args[0].path.key))
        src = chan_at(cx, s, (Path){skey, ev->args[1].path.cls, NULL});
    int id = src ? src->id : -1;
    overwrite(s, dst.key);
    Fact *f = id >= 0 ? fact_find(s, id) : NULL;
    if (!f) return;
    fact_add_key(f, dst.key, dst.cls);
    chan_add_class(&cx->chans.data[id], class_of(dst));
}

static void on_decl(State *s, const Event *ev) { overwrite(s, ev->args[0].path.key); }

static void client_event(Engine *e, State *s, const Event *ev, const Callee *c) {
    Cx *cx = engine_ctx(e);
    switch (ev->kind) {
    case EV_CALL:
        for (int i = 0; c->model && i < c->model->nops; i++) {
            if (c->model->ops[i].op == OP_THREAD_CREATE) on_create(cx, s, ev, &c->model->ops[i]);
            else on_op(cx, e, s, ev, &c->model->ops[i]);
        }
        if (c->def && !c->may) apply_summary(cx, e, s, ev, c->def);
        break;
    case EV_ASSIGN: on_assign(cx, s, ev); break;
    case EV_DECL: on_decl(s, ev); break;
    default: break;
    }
}

/* A returned channel's classes: its caller keeps them. */
static void client_ret(Engine *e, State *s, const Block *b) {
    Cx *cx = engine_ctx(e);
    cx->nreturns++;
    for (int i = 0; i < s->facts.len; i++) { /* the parameters' channels this path closed */
        const Fact *f = &s->facts.data[i];
        if (f->status != CH_CLOSED) continue;
        for (int k = 0; k < f->nkeys; k++)
            if (param_object(f->key[k])) vec_push(&cx->ret_closed, f->key[k]);
        if (cx->chans.data[f->id].param_key) vec_push(&cx->ret_closed, cx->chans.data[f->id].param_key);
    }
    for (int i = 0; i < s->binds.len; i++) { /* no channel there on this path: nothing to close */
        const Bind *bd = &s->binds.data[i];
        if (bd->kind == VAL_CONST && bd->n == 0 && param_object(bd->key)) vec_push(&cx->ret_closed, bd->key);
    }
    vec_push(&cx->ret_closed, (const char *)NULL);
    const char *rkey = operand_key(s, &b->end->ret);
    Fact *f = rkey ? fact_at(s, rkey) : NULL;
    if (!f || quiet(cx->g)) return;
    const Chan *c = &cx->chans.data[f->id];
    for (int i = 0; i < c->ncls; i++) add_effect(cx, (CEffect){.kind = CE_RETURNS, .cls = c->cls[i]});
}

/* ------------------------------------------------------ whole program */

typedef struct Closer { const Function *root; const CEffect *ef; } Closer;

static int cmp_loc(Loc a, Loc b) {
    int r = strcmp(a.file ? a.file : "", b.file ? b.file : "");
    if (r) return r;
    if (a.line != b.line) return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

static const char *class_shown(const char *cls) {
    const char *p = cls[0] == '@' ? cls + 1 : cls;
    const char *bang = strchr(p, '!');
    return bang ? intern_n(p, (size_t)(bang - p)) : p;
}

/* Whether a variable keeps its value through the loops of fn: assigned
 * nowhere in a cycle (a parameter never assigned, a local set once). */
static bool loop_invariant(const Function *fn, const char *key) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if ((ev->kind == EV_ASSIGN || ev->kind == EV_DECL) && ev->args[0].path.key == key && block_in_cycle(fn, b))
                return false;
        }
    return true;
}

/* An argument that names one object however often it is evaluated: an
 * address of a single object, NULL, a global. */
static bool fixed_arg(const Operand *a) {
    return (a->kind == OPND_ADDR && !path_is_weak(a->path.key)) || a->kind == OPND_NULL ||
           (a->kind == OPND_PATH && path_is_global(a->path.key));
}

static const Operand *start_arg(const Event *ev) {
    const ModelOp *m = ev->model ? model_op(ev->model, OP_THREAD_CREATE) : NULL;
    return m && m->start_arg >= 0 && m->start_arg < ev->nargs ? &ev->args[m->start_arg] : NULL;
}

/* Each instance of start gets its own argument, unless two may share one:
 * a create that repeats (a loop, a creator run more than once) with an
 * argument that stays the same, or two creates given the same object
 * (`&s1` and `&s2` are two: Go's sq(sq(gen()))). */
static bool per_instance_args(const Global *g, const Function *start) {
    const Function *creator, *other;
    const Event *ev, *ev2;
    for (int i = 0; topo_creates(g->topo, start, i, &creator, &ev); i++) {
        const Operand *a = start_arg(ev);
        if (!a) return false;
        bool loop = topo_create_in_loop(g->topo, ev);
        if (loop && (fixed_arg(a) || (a->kind == OPND_PATH && !*path_root_end(a->path.key) && loop_invariant(creator, a->path.key))))
            return false;
        if (topo_creator_repeats(g->topo, creator) && a->kind != OPND_ADDR && fixed_arg(a)) return false;
        for (int j = 0; j < i && topo_creates(g->topo, start, j, &other, &ev2); j++) {
            const Operand *b = start_arg(ev2);
            if (b && fixed_arg(a) && a->kind == b->kind && (a->kind == OPND_NULL || a->path.key == b->path.key) &&
                (a->kind != OPND_ADDR || other == creator || path_is_global(a->path.key)))
                return false;
        }
    }
    return true;
}

static Finding thread_finding(const Rule *r, Loc at, char *msg) { return (Finding){.rule = r, .loc = at, .message = msg}; }

static void add_create_notes(const Global *g, Finding *f, const Function *start, int max) {
    const Function *creator;
    const Event *ev;
    for (int i = 0; i < max && topo_creates(g->topo, start, i, &creator, &ev); i++) {
        f->related = xrealloc(f->related, sizeof(Related) * (f->nrelated + 1));
        f->related[f->nrelated++] = (Related){ev->loc, internf("%s thread running '%s' is started here",
                                                               topo_many(g->topo, start) ? "a" : "the", start->name)};
    }
}

static const char *root_name(const Function *root) { return root->name; }

/* A routine started several times that closes a channel all its threads share. */
static void many_closers(Global *g, const Function *root, const CEffect *ef) {
    if (!g->dbl || ef->guarded || !topo_many(g->topo, root)) return;
    if (ef->via_param && per_instance_args(g, root)) return;
    Finding f = thread_finding(g->dbl, ef->at,
                               xasprintf("channel '%s' is closed by every thread that runs '%s', and '%s' is started more "
                                         "than once (close of closed channel)", ef->name, root->name, root->name));
    add_create_notes(g, &f, root, 3);
    const char *parts[] = {internf("fn:%s", root->name), internf("chan:field:%s", class_shown(ef->cls))};
    f.identity = finding_identity(g->dbl->id, parts, 2, false);
    family_report(g->r, f);
}

/* Two roots that both close channels of one class. */
static bool unstarted(const CEffect *ef, const Function *root) {
    for (int i = 0; i < ef->nunstarted; i++)
        if (ef->unstarted[i] == root->key) return true;
    return false;
}

static bool two_closers(Global *g, const Closer *a, const Closer *b) {
    if (!g->dbl) return false;
    /* a close on a path where the other closer's thread was never started */
    if (unstarted(a->ef, b->root) || unstarted(b->ef, a->root)) return false;
    const Closer *first = a, *second = b; /* reported at the later close */
    if (cmp_loc(a->ef->at, b->ef->at) > 0) first = b, second = a;
    bool main_first = !strcmp(first->root->name, "main");
    Finding f = thread_finding(g->dbl, second->ef->at,
                               main_first ? xasprintf("channel '%s' is closed here and by 'main' (close of closed channel)",
                                                      second->ef->name)
                                          : xasprintf("channel '%s' is closed here and by the thread running '%s' (close "
                                                      "of closed channel)", second->ef->name, root_name(first->root)));
    f.related = xcalloc(1, sizeof(Related));
    f.related[f.nrelated++] = (Related){first->ef->at, internf("'%s' closes it here", first->ef->where)};
    if (!main_first) add_create_notes(g, &f, first->root, 1);
    const char *parts[] = {internf("fn:%s", first->root->name), internf("fn:%s", second->root->name),
                           internf("chan:field:%s", class_shown(first->ef->cls))};
    f.identity = finding_identity(g->dbl->id, parts, 3, true);
    family_report(g->r, f);
    return true;
}

/* A sender that may still run when another root closes the channel. */
static void late_sender(Global *g, const Closer *closer, const Closer *sender) {
    if (!g->sac || closer->root == sender->root) return;
    const Topology *t = g->topo;
    for (int i = 0; i < closer->ef->njoined; i++)
        if (closer->ef->joined[i] == sender->root->key) return; /* joined before the close */
    if (strcmp(closer->root->name, "main") && !topo_parallel(t, closer->root, sender->root)) return;
    Finding f = thread_finding(g->sac, sender->ef->at,
                               xasprintf("send on channel '%s' by the thread running '%s', which may still run when '%s' "
                                         "closes it (send on closed channel)", sender->ef->name, sender->root->name,
                                         closer->ef->where));
    f.related = xcalloc(1, sizeof(Related));
    f.related[f.nrelated++] = (Related){closer->ef->at, internf("'%s' closes it here", closer->ef->where)};
    const Function *creator;
    const Event *ev;
    if (topo_creates(t, sender->root, 0, &creator, &ev)) {
        f.related = xrealloc(f.related, sizeof(Related) * (f.nrelated + 1));
        f.related[f.nrelated++] = (Related){ev->loc, internf("the thread running '%s' is started here", sender->root->name)};
    }
    const char *parts[] = {internf("fn:%s", sender->root->name), internf("chan:field:%s", class_shown(sender->ef->cls))};
    f.identity = finding_identity(g->sac->id, parts, 2, false);
    family_report(g->r, f);
}

/* A root that sends on the class it closes behind a test: the last one
 * out (a count of the senders), which closes after every sender. */
static bool sends_class(const ChanSummary *s, const char *cls) {
    for (int k = 0; k < s->effects.len; k++)
        if (s->effects.data[k].kind == CE_SEND_CLASS && s->effects.data[k].cls == cls) return true;
    return false;
}

/* Whether two ops may be on one channel: kept in one class, unless
 * points-to knows both channels and they differ (two stages' `s->out`);
 * or known to be one channel, whatever fields hold it (`a->out` is
 * `b->in`). */
static bool same_chan(const CEffect *a, const CEffect *b) {
    if (!a->nobjs || !b->nobjs) return a->cls == b->cls;
    for (int i = 0; i < a->nobjs; i++)
        for (int k = 0; k < b->nobjs; k++)
            if (a->objs[i] == b->objs[k]) return true;
    return false;
}

static bool is_root(const Global *g, const Function *fn) { return topo_is_start(g->topo, fn) || !strcmp(fn->name, "main"); }

static void chan_finish(FamilyRun *r) {
    Global *g = family_state(r);
    Program *p = family_program(r);
    /* closers: unguarded closes (a guarded one happens once); every close
     * still ends the senders' channel, and a guarded send is spared */
    VEC(Closer) closers = {0}, all_closes = {0}, senders = {0};
    for (int i = 0; i < p->nfuncs; i++) {
        const Function *fn = p->funcs[i];
        if (!is_root(g, fn)) continue;
        ChanSummary *s = summary(g, fn);
        for (int k = 0; k < s->effects.len; k++) {
            const CEffect *ef = &s->effects.data[k];
            if (ef->kind == CE_CLOSE_CLASS && (!ef->guarded || !sends_class(s, ef->cls))) vec_push(&all_closes, ((Closer){fn, ef}));
            if (ef->kind == CE_CLOSE_CLASS && !ef->guarded) {
                vec_push(&closers, ((Closer){fn, ef}));
                many_closers(g, fn, ef);
            } else if (ef->kind == CE_SEND_CLASS && !ef->guarded && topo_is_start(g->topo, fn)) {
                vec_push(&senders, ((Closer){fn, ef}));
            }
        }
    }
    VEC(const char *) done = {0}; /* one two-closer finding per class */
    for (int i = 0; i < closers.len; i++)
        for (int j = i + 1; j < closers.len; j++) {
            const Closer *a = &closers.data[i], *b = &closers.data[j];
            if (!same_chan(a->ef, b->ef) || a->root == b->root) continue;
            if (!strcmp(a->root->name, "main") && !strcmp(b->root->name, "main")) continue; /* two programs */
            bool seen = false;
            for (int k = 0; k < done.len && !seen; k++) seen = done.data[k] == a->ef->cls;
            if (seen) continue;
            if (two_closers(g, a, b)) vec_push(&done, a->ef->cls);
        }
    done.len = 0;
    for (int i = 0; i < senders.len; i++)
        for (int j = 0; j < all_closes.len; j++) {
            const Closer *snd = &senders.data[i], *cl = &all_closes.data[j];
            if (!same_chan(snd->ef, cl->ef)) continue;
            const char *key = internf("%s|%s", snd->root->key, snd->ef->cls);
            bool seen = false;
            for (int k = 0; k < done.len && !seen; k++) seen = done.data[k] == key;
            if (seen) continue;
            vec_push(&done, key);
            late_sender(g, cl, snd);
        }
    free(done.data), free(closers.data), free(all_closes.data), free(senders.data);
}

/* ---------------------------------------------------------- the family */

/* A close of a parameter's channel on every path that returns: the caller's
 * channel is closed after the call. */
static void mark_must_closes(Cx *cx) {
    for (int i = 0; i < cx->sum->effects.len; i++) {
        CEffect *ef = &cx->sum->effects.data[i];
        if (ef->kind != CE_CLOSE) continue;
        int closed_in = 0;
        bool here = false;
        for (int k = 0; k < cx->ret_closed.len; k++) {
            const char *key = cx->ret_closed.data[k];
            if (!key) closed_in += here, here = false;
            else here |= key == ef->path.key;
        }
        ef->must = cx->nreturns > 0 && closed_in == cx->nreturns;
    }
}

/* Whether fn touches channels at all: a channel op, or a call to a function
 * that does. Most functions do not, and cost nothing. */
static bool touches_channels(const Global *g, const Function *fn) {
    const Program *p = family_program(g->r);
    for (int k = 0; k < fn->ncallev; k++) {
        const Event *ev = fn->callev[k];
        for (int o = 0; ev->model && o < ev->model->nops; o++)
            if (ev->model->ops[o].op >= OP_CHAN_CLOSE && ev->model->ops[o].op <= OP_CHAN_SELECT) return true;
        Callee c = program_call(p, ev);
        if (c.def && !c.may && summary(g, c.def)->effects.len) return true;
    }
    return false;
}

/* The variables whose values reach channel ops (directly or through
 * callees): only copies into these are followed before the source's use. */
static void find_chan_vars(const Global *g, const Function *fn, PtrMap *vars) {
    const Program *p = family_program(g->r);
    for (int k = 0; k < fn->ncallev; k++) {
        const Event *ev = fn->callev[k];
        bool chan = false;
        for (int o = 0; ev->model && o < ev->model->nops; o++)
            chan |= ev->model->ops[o].op >= OP_CHAN_CLOSE && ev->model->ops[o].op <= OP_CHAN_SELECT;
        Callee c = program_call(p, ev);
        chan |= c.def && !c.may && summary(g, c.def)->effects.len;
        for (int i = 0; chan && i < ev->nargs; i++)
            if (ev->args[i].kind == OPND_PATH) *ptrmap_slot(vars, ev->args[i].path.key, true) = (void *)1;
    }
}

static void chan_function(FamilyRun *r, Function *fn) {
    Global *g = family_state(r);
    if (!touches_channels(g, fn)) return;
    Cx cx = {.g = g, .fn = fn, .sum = summary(g, fn)};
    find_chan_vars(g, fn, &cx.chan_vars);
    Client c = {.ctx = &cx, .event = client_event, .result = client_result, .ret = client_ret};
    bool returns;
    if (!engine_run(family_analysis(r), fn, &c, &returns)) family_incomplete(r, fn, "too many paths");
    mark_must_closes(&cx);
    free(cx.chans.data), free(cx.reported.data), free(cx.ret_closed.data), free(cx.starts.data);
    ptrmap_free(&cx.guarded), ptrmap_free(&cx.chan_of), ptrmap_free(&cx.chan_vars);
}

static void chan_begin(FamilyRun *r) {
    Global *g = xcalloc(1, sizeof *g);
    g->r = r, g->arena = arena_new();
    g->topo = analysis_topology(family_analysis(r));
    g->pt = analysis_points_to(family_analysis(r));
    g->dbl = family_rule(r, "chan-double-close");
    g->sac = family_rule(r, "chan-send-after-close");
    family_set_state(r, g);
}

static void chan_end(FamilyRun *r) {
    Global *g = family_state(r);
    arena_free(g->arena);
    free(g);
}

static void summary_free(void *p) { free(((ChanSummary *)p)->effects.data); }

static void summary_dump(FILE *out, const Function *fn, const void *p) {
    static const char *const kinds[] = {"closes", "sends on", "closes a channel of", "sends on a channel of", "returns a channel of"};
    const ChanSummary *s = p;
    for (int i = 0; i < s->effects.len; i++) {
        const CEffect *e = &s->effects.data[i];
        fprintf(out, "  %s %s", kinds[e->kind], e->cls ? class_shown(e->cls) : display_key(fn, e->path.key));
        if (e->guarded) fputs(" (behind a test of shared state)", out);
        if (e->via_param) fputs(" (its argument's)", out);
        if (e->kind == CE_CLOSE && !e->must) fputs(" (on some paths)", out);
        guard_print(out, fn, &e->guard);
        fputc('\n', out);
    }
}

static const char *const chan_rules[] = {"chan-double-close", "chan-send-after-close", NULL};

const Family channels_family = {
    .name = "channels",
    .rules = chan_rules,
    .requires = NEEDS(PASS_NORETURN) | NEEDS(PASS_CALLS) | NEEDS(PASS_TOPOLOGY) | NEEDS(PASS_POINTS_TO),
    .summary_size = sizeof(ChanSummary),
    .summary_dump = summary_dump,
    .summary_free = summary_free,
    .begin = chan_begin,
    .function = chan_function,
    .finish = chan_finish,
    .end = chan_end,
};
