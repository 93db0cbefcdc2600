/* locks.c — the lock rules:
 *   lock-double-acquire   a non-recursive lock taken again by its holder;
 *   lock-release-unheld   a release on a path that does not hold the lock;
 *   lock-held-at-exit     a return holding a lock other paths release, or a
 *                         thread's start routine ending with a lock held;
 *   lock-order-inversion  a cycle in the program's lock-order graph.
 *
 * Each function is explored by the path-sensitive engine with the set of
 * locks held as its facts. Its summary says what it does to its caller's
 * locks: which it acquires (for the caller's order edges and self-deadlock),
 * which it returns holding (a lock wrapper), which it releases without
 * taking (an unlock wrapper), and the order edges between its parameters'
 * locks, which only a caller can name.
 *
 * A lock's identity in the order graph is its global (`@log_lock`,
 * `@queues[].mu`) or its struct type and field (`struct queue.mu`, like
 * lockdep's classes); locks reached through parameters are named at each
 * call, and by class where no caller is known. An edge A -> B says some path
 * acquires B (blocking) while holding A. A cycle is reported when its edges
 * can run in two threads at once and no common lock gates them all. */
#include <stdlib.h>
#include <string.h>

#include "analyses/engine.h"
#include "ir/ir.h"

#define MAX_GATES 4
#define MAX_CYCLE 16   /* the longest lock-order cycle reported (longer: a notification) */
#define STR_(x) #x
#define STR(x) STR_(x)
#define SEARCH_CYCLE 4 /* every cycle up to this long is searched; longer ones through pairs none of those uses */
#define MAX_JOINED 8
#define MAX_MAY 8      /* candidates of a lock pointer worth an edge each */

/* A step of a call chain, from a function down to an acquisition. */
/* msg, or with arg the format msg (one %s) of arg, formatted when shown */
typedef struct Hop { const struct Hop *next; Loc loc; const char *msg, *arg; } Hop;

typedef enum { LE_ACQ, LE_HOLD, LE_REQ, LE_EDGE } LEffKind;

typedef struct LEffect {
    uint8_t kind;
    Path lock;             /* ACQ/HOLD/REQ: the lock; EDGE: the one acquired */
    Path from;             /* EDGE: the one held */
    const char *name, *from_name;
    const char *where;     /* the function whose code acquires (or releases) */
    Loc at, from_at;       /* the acquisition (or release); EDGE: the held one's */
    const Hop *chain;      /* from the function down to `at` */
    bool after_release;    /* ACQ: the caller's hold was released first */
    bool may;              /* ACQ: through a call that may reach it: orders locks, proves no self-deadlock */
    bool shared;
    bool fresh;            /* ACQ, HOLD: of an object the call allocated: no caller holds it yet */
    bool result_in_ret;    /* HOLD: only when the return value is `success` */
    bool success_ne;       /* ... or not equal to it (a non-null pointer) */
    bool returns_lock;     /* HOLD: the non-null result is the lock's address */
    bool nonblocking;      /* HOLD: taken with a trylock (no order edges) */
    int64_t success;
    Guard guard;           /* the parameter value on the paths that did it */
    const Function *source; /* HOLD: the wrapper this function got the hold from, if any */
} LEffect;

typedef struct LockSummary {
    VEC(LEffect) effects;
    /* The effects by kind, lock and held lock (open addressing, effect
     * index + 1; a key's variants lie in the order they came): callers
     * look them up at every call, and a function that takes hundreds of
     * locks through its callees made linear scans quadratic. */
    int *slot; size_t nslots;
    bool called;           /* some caller instantiated it */
} LockSummary;

/* What a held lock remembers (Fact.aux): not part of path merging. */
typedef struct Held {
    const char *name; Loc at; const Hop *chain; bool shared, via_try;
    bool contract;      /* the caller's lock, handed back by a callee (held by contract, not taken here) */
    const Function *wrapper; /* the callee that returned holding it (a lock wrapper), if any */
    const char *elem;   /* Path.elem of the lock: which element of an array */
    bool regained;      /* taken again after this path released the caller's hold of it */
    bool moved;         /* taken through a local pointer the path has since pointed elsewhere */
} Held;

typedef struct OEdge {
    const char *from, *to;           /* identities */
    const char *from_name, *to_name; /* as written */
    const char *where;               /* the function that acquires `to` */
    Loc from_at, to_at, site;        /* site: in fn, the lock call or the call leading to it */
    const Hop *chain;                /* from site down to to_at */
    Function *fn;
    const Event *ev;                 /* the event of fn at site (NULL: unknown) */
    const char *gates[MAX_GATES];
    int ngates;
    const char *joined[MAX_JOINED];  /* start routines whose threads are joined before it */
    int njoined;
} OEdge;

typedef struct PassOn { const Function *wrapper, *caller; } PassOn;

typedef struct LGlobal {
    FamilyRun *r;
    const Topology *topo;
    const PointsTo *pt;
    const Rule *order, *dbl, *unheld, *atexit;
    Arena *arena;                 /* hops and held records: live until the end */
    VEC(OEdge) edges;
    VEC(const char *) recursive;  /* identities and classes of recursive mutexes */
    VEC(const char *) holders;    /* classes of fields that may point to a recursive heap mutex */
    PtrMap group_of;              /* lock identity -> its recursion group's node */
    PtrMap taken_directly;        /* lock classes some code takes through a pointer to their own object */
    PtrMap released_by_caller;    /* lock wrapper -> non-NULL once some caller releases its hold */
    VEC(PassOn) passes;           /* a caller returning holding a wrapper's lock */
    VEC(struct GroupLoop) loops;  /* a group's locks taken while holding one of them */
} LGlobal;

/* A recursion group: the locks only a recursive cycle of functions takes.
 * One node of the order graph stands for all of them (like lockdep's
 * classes), so a cycle of 1,000 functions each taking its own lock is one
 * finding, as a cycle of 10 is, and not 500,000 inversions. */
typedef struct GroupLoop { const char *group; OEdge e; int nlocks; const char *first_fn; } GroupLoop;

/* What a return says about its value. */
typedef enum { RET_UNKNOWN, RET_CONST, RET_NONNULL } RetKind;
typedef struct RetInfo {
    uint8_t kind; int64_t value; const char *points_to;
    bool code; /* RET_NONNULL of an int: an error code known non-zero, not a lock's address */
} RetInfo;


/* One return reached on one path: what it held and had released. */
typedef struct Visit {
    Loc at;
    RetInfo ret;
    Guard guard;
    const char **held; int nheld;   /* every lock it holds ... */
    const char **freed; int nfreed; /* ... and releases */
    bool *freed_entry;              /* released a hold this path never took */
} Visit;

/* Per lock key held at some return: what judging it needs. */
typedef struct Exit {
    const char *key, *cls, *name;
    Loc acq;
    const Hop *chain;
    bool via_try, contract;
    bool shared;        /* held for reading on every path that returns holding it */
    bool regained;      /* on every path that returns holding it, the caller's hold given back */
    const Function *wrapper;
    const Function *also[3]; /* other wrappers it came from on other paths (read or write) */
    Flow *flow;         /* the first path returning with it held */
} Exit;

typedef struct LFx {
    LGlobal *g;
    Function *fn;
    LockSummary *sum;
    VEC(const char *) ids;   /* lock key -> fact id */
    VEC(Exit) exits;
    VEC(Visit) visits;
    VEC(const char *) reported; /* "rule|line|col" already reported here */
    const Event *ev;            /* the event being handled */
    VEC(const char *) compared; /* pairs of objects a branch compares (`x->id < y->id`) */
    bool *temps_read;           /* by temp id, once asked: the function reads that call's result */
    int ntemps;
    bool locksets;              /* this exploration records locksets (some family reads them; not a quiet round) */
    VEC(const char *) fresh, stale; /* roots known to hold, or not, only memory this call allocated (fresh_root) */
} LFx;

enum { HELD_PENDING, HELD, RELEASE_PENDING /* released if the callee's result says so */ };

static LFx *fx_of(Engine *e) { return engine_ctx(e); }
static bool result_read(LFx *fx, int temp);

static LockSummary *summary(const LGlobal *g, const Function *fn) { return family_summary(g->r, fn); }
static bool quiet(const LGlobal *g) { return family_quiet(g->r); }
static bool is_start(const LFx *fx) { return topo_is_start(fx->g->topo, fx->fn); }

/* --------------------------------------------------------------- helpers */

static int lock_id(LFx *fx, const char *key) {
    for (int i = 0; i < fx->ids.len; i++)
        if (fx->ids.data[i] == key) return i;
    vec_push(&fx->ids, key);
    return fx->ids.len - 1;
}

static Fact *held_fact(LFx *fx, State *s, const char *key) { return fact_find(s, lock_id(fx, key)); }

static const Held *held_of(const Fact *f) { return f->aux; }

static bool has_tag(State *s, const char *key, int tag) {
    Bind *b = key ? bind_find(s, key) : NULL;
    return b && b->kind == VAL_TAG && b->n == tag;
}

static void tag(State *s, const char *key, int t) { bind_set(s, (Bind){key, VAL_TAG, t, 0, NULL, false, false, false}); }

static bool param_object(const char *key) { return path_param_index(key) >= 0 && !path_is_frame_local(key); }

/* A class as a lock name (class_key): `@^struct q.mu`. */
static bool is_class_key(const char *key) { return key[0] == '@' && key[1] == '^'; }

static const char *identity(Path p) { return object_identity(p); }

/* The node of the order graph a lock identity belongs to. */
static const char *node_of_lock(const LGlobal *g, const char *id) {
    const char *grp = id ? ptrmap_get(&g->group_of, id) : NULL;
    return grp ? grp : id;
}

static bool is_group(const char *key) { return key && !strncmp(key, "@recursion:", 11); }

/* A lock's name in a message: quoted, unless it comes quoted with its
 * candidates (`'*m' (one of 'a', 'b')`). */
static const char *q(const char *name) { return name[0] == '\'' ? name : internf("'%s'", name); }

/* A name for gates and unresolved parameters: the class if nothing better. */
static const char *identity_or_class(Path p) {
    const char *id = identity(p);
    return id ? id : p.cls ? p.cls : p.key;
}

static bool recursive_has(const LGlobal *g, const char *key) {
    for (int i = 0; key && i < g->recursive.len; i++)
        if (g->recursive.data[i] == key) return true;
    return false;
}

/* Recursive by its name or class, or by every object points-to says it
 * may be (a mutex made recursive in main, passed to a thread). */
static bool is_recursive(LGlobal *g, const Function *fn, Path p) {
    const char *local = path_is_frame_local(p.key) ? internf("%s|%s", fn->key, p.key) : NULL;
    if (recursive_has(g, p.key) || recursive_has(g, p.cls) || recursive_has(g, local)) return true;
    const char *objs[MAX_MAY];
    int n = path_is_frame_local(p.key) ? -1 : pt_objects(g->pt, fn, p.key, objs, MAX_MAY);
    for (int i = 0; i < n; i++)
        if (!recursive_has(g, objs[i]) && !recursive_has(g, pt_class(g->pt, objs[i]))) return false;
    return n > 0;
}

static const Hop *hop(LGlobal *g, Loc loc, const char *fmt, const char *arg, const Hop *next) {
    Hop *h = arena_alloc(g->arena, sizeof *h);
    *h = (Hop){next, loc, fmt, arg};
    return h;
}

static Held *new_held(LGlobal *g, Held h) {
    Held *p = arena_alloc(g->arena, sizeof *p);
    *p = h;
    return p;
}


static size_t effect_hash(int kind, const char *lock, const char *from) {
    uint64_t h = (uint64_t)(uintptr_t)lock * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)from * 0xC2B2AE3D27D4EB4Full ^ (uint64_t)kind;
    return (size_t)(h ^ h >> 31);
}

static bool effect_is(const LEffect *e, int kind, const char *lock, const char *from) {
    return e->kind == kind && e->lock.key == lock && e->from.key == from;
}

static void index_put(LockSummary *sum, int i) {
    const LEffect *e = &sum->effects.data[i];
    size_t k = effect_hash(e->kind, e->lock.key, e->from.key) & (sum->nslots - 1);
    while (sum->slot[k]) k = (k + 1) & (sum->nslots - 1);
    sum->slot[k] = i + 1;
}

/* Effect i, just pushed, into the index; growing it re-adds every effect
 * in order, so a key's variants keep their order along its probes. */
static void index_effect(LockSummary *sum, int i) {
    if ((size_t)(i + 1) * 2 > sum->nslots) {
        free(sum->slot);
        sum->nslots = sum->nslots ? sum->nslots * 2 : 16;
        sum->slot = xcalloc(sum->nslots, sizeof(int));
        for (int k = 0; k < i; k++) index_put(sum, k);
    }
    index_put(sum, i);
}

/* The effects of one kind, lock and held lock, in the order they came. */
typedef struct EffectIter { const LockSummary *sum; size_t at; int kind; const char *lock, *from; } EffectIter;

static EffectIter effects_of(const LockSummary *sum, int kind, const char *lock, const char *from) {
    size_t at = sum->nslots ? effect_hash(kind, lock, from) & (sum->nslots - 1) : 0;
    return (EffectIter){sum, at, kind, lock, from};
}

static int next_effect(EffectIter *it) {
    const LockSummary *sum = it->sum;
    for (; sum->nslots && sum->slot[it->at]; it->at = (it->at + 1) & (sum->nslots - 1)) {
        int i = sum->slot[it->at] - 1;
        if (effect_is(&sum->effects.data[i], it->kind, it->lock, it->from)) {
            it->at = (it->at + 1) & (sum->nslots - 1);
            return i;
        }
    }
    return -1;
}

/* An effect already in the summary that e adds nothing to, or that e
 * widens: past GUARD_VARIANTS guards for one effect, the last variant
 * takes the conditions they share (it then allows every path that caused
 * one). Otherwise a function calling many guarded callees accumulates the
 * product of their conditions, and each of its callers pays for every one
 * at every call. */
#define GUARD_VARIANTS 3

static LEffect *same_effect(LockSummary *sum, const LEffect *e) {
    LEffect *last = NULL;
    int variants = 0;
    EffectIter it = effects_of(sum, e->kind, e->lock.key, e->from.key);
    for (int i; (i = next_effect(&it)) >= 0;) {
        LEffect *o = &sum->effects.data[i];
        if (guard_same(&o->guard, &e->guard)) return o;
        last = o, variants++;
    }
    if (variants < GUARD_VARIANTS) return NULL;
    guard_common(&last->guard, &e->guard);
    return last;
}

static void push_effect(LFx *fx, LEffect e);

/* Every effect is kept, however many locks a function takes through its
 * callees: a summary that dropped some would hide their orders from every
 * caller, silently. The index and the guard variants keep the cost linear
 * in what is kept. */
static void add_effect(LFx *fx, LEffect e) {
    LockSummary *sum = fx->sum;
    LEffect *o = same_effect(sum, &e);
    if (o) {
        bool fresh = o->fresh && e.fresh; /* fresh only if every such acquisition is */
        if (!e.may && o->may) e.guard = o->guard, *o = e; /* a certain acquisition outweighs a possible one */
        o->fresh = fresh;
        return;
    }
    push_effect(fx, e);
}

/* Whether the summary has e already, as add_effect would find (and widen)
 * it: then adding it changes nothing, and e need not be named. */
static bool effect_settled(LFx *fx, const LEffect *e) {
    LEffect *o = same_effect(fx->sum, e);
    return o && !(!e->may && o->may) && !(o->fresh && !e->fresh);
}

static void push_effect(LFx *fx, LEffect e) {
    LockSummary *sum = fx->sum;
    if (!e.where) e.where = fx->fn->name;
    vec_push(&sum->effects, e);
    index_effect(sum, sum->effects.len - 1);
}

/* ------------------------------------------------------------- reporting */


static bool first_report(LFx *fx, const Rule *r, Loc at) {
    const char *k = internf("%s|%s|%u|%u", r->id, at.file ? at.file : "", at.line, at.col);
    for (int i = 0; i < fx->reported.len; i++)
        if (fx->reported.data[i] == k) return false;
    vec_push(&fx->reported, k);
    return true;
}

/* A misuse of one lock in one function: that is its identity. */
static void emit(LFx *fx, const Rule *r, Loc at, char *msg, Related *rel, int nrel, Flow *flow, Path lock) {
    if (!r || quiet(fx->g) || !first_report(fx, r, at)) {
        free(msg), free(rel);
        if (flow) free(flow->steps), free(flow);
        return;
    }
    Finding f = {.rule = r, .loc = at, .message = msg, .related = rel, .nrelated = nrel};
    f.flows = flow, f.nflows = flow ? 1 : 0;
    const char *parts[] = {id_function(fx->fn), internf("lock:%s", id_object(fx->fn, lock))};
    f.identity = finding_identity(r->id, parts, 2, false);
    family_report(fx->g->r, f);
}

static void report_double(LFx *fx, const State *s, Loc at, const char *name, const char *via, const char *where,
                          const Fact *held, Loc inner) {
    const Held *h = held_of(held);
    Related *rel = xcalloc(2, sizeof(Related));
    int n = 0;
    rel[n++] = (Related){h->at, internf("'%s' is first acquired here", h->name)};
    if (inner.line && (inner.line != at.line || inner.col != at.col))
        rel[n++] = (Related){inner, where ? internf("'%s' acquires it again here", where) : "and acquired again here"};
    const char *end = internf("'%s' is acquired again while held", name);
    emit(fx, fx->g->dbl, at,
         via ? xasprintf("'%s' is acquired by '%s' while this path already holds it (self-deadlock)", name, via)
             : xasprintf("'%s' is acquired while this path already holds it (self-deadlock)", name),
         rel, n, state_flow(s, at, end), (Path){held->key[0], held->cls[0], NULL});
}

static void report_unheld(LFx *fx, const State *s, Path lock, Loc at, const char *name, Loc inner, const char *via) {
    Related *rel = xcalloc(1, sizeof(Related));
    int n = 0;
    if (via) rel[n++] = (Related){inner, internf("'%s' releases it here", via)};
    const char *end = internf("'%s' is released here but not held", name);
    emit(fx, fx->g->unheld, at,
         via ? xasprintf("'%s' is released by '%s' on a path that does not hold it", name, via)
             : xasprintf("'%s' is released on a path that does not hold it", name),
         rel, n, state_flow(s, at, end), lock);
}

/* ------------------------------------------------------------- the graph */

/* Threads joined before this event cannot run at the same time as what
 * follows it (the topology pass knows which). */
static void note_joined(LFx *fx, OEdge *e) {
    e->ev = fx->ev;
    e->njoined = topo_joined_at(fx->g->topo, fx->fn, fx->ev, e->joined, MAX_JOINED);
}

/* The graph edge a -> b, with the locks held besides (gates). */
static void push_edge(LFx *fx, State *s, OEdge e, Path from, Path to) {
    note_joined(fx, &e);
    if (e.from == e.to) { /* inside a recursion group: the group's own cycle */
        for (int i = 0; i < fx->g->loops.len; i++)
            if (fx->g->loops.data[i].group == e.from) return;
        vec_push(&fx->g->loops, ((GroupLoop){e.from, e, 0, NULL}));
        return;
    }
    for (int i = 0; i < s->facts.len && e.ngates < MAX_GATES; i++) {
        const Fact *o = &s->facts.data[i];
        if (o->status != HELD || o->key[0] == from.key || o->key[0] == to.key) continue;
        e.gates[e.ngates++] = identity_or_class((Path){o->key[0], o->cls[0], NULL});
    }
    vec_push(&fx->g->edges, e);
}

/* An object points-to found, as a node of the order graph: globals by
 * key, heap objects by class when they have one, a local by function. */
static const char *object_node(const LGlobal *g, const char *obj) {
    const char *cls = pt_class(g->pt, obj);
    if (pt_is_heap(obj) && cls) obj = class_key(cls);
    return node_of_lock(g, obj);
}

/* A frame's own lock has a node only when its address goes elsewhere (a
 * thread's argument): otherwise no other thread can take it. */
static const char *own_node(const LGlobal *g, const Function *fn, const char *key) {
    const char *obj = pt_local_object(fn, key);
    return pt_escapes(g->pt, obj) ? node_of_lock(g, obj) : NULL;
}

/* The nodes lock p may be when the path does not name it (a pointer chosen
 * at run time, a thread's argument): its points-to objects, and how a
 * message names them. 0 when unknown. */
static int may_nodes(LFx *fx, Path p, const char **nodes, const char **name) {
    const char *objs[MAX_MAY];
    if (path_is_frame_local(p.key)) {
        nodes[0] = own_node(fx->g, fx->fn, p.key);
        return nodes[0] != NULL;
    }
    int n = pt_objects(fx->g->pt, fx->fn, p.key, objs, MAX_MAY), m = 0;
    char list[512];
    size_t o = 0;
    list[0] = 0;
    for (int i = 0; i < n; i++) {
        const char *v = object_node(fx->g, objs[i]);
        bool dup = false;
        for (int k = 0; k < m; k++) dup |= nodes[k] == v;
        if (dup || !v) continue;
        nodes[m++] = v;
        if (o < sizeof list) o += (size_t)snprintf(list + o, sizeof list - o, "%s'%s'", m > 1 ? ", " : "", pt_object_name(fx->g->pt, objs[i]));
    }
    /* `lock(m)` takes `*m`; `lock(&s->mu)` takes `s->mu` */
    size_t kl = strlen(p.key);
    const char *base = *name && (*name)[0] != '\'' ? *name : display_key(fx->fn, p.key);
    if (kl && p.key[kl - 1] == '*' && base[0] != '*') base = internf("*%s", base);
    if (m) *name = internf("'%s' (%s %s)", base, m > 1 ? "one of" : "that is", list);
    return m;
}

/* The nodes a lock is: its identity, or what it may be when it has none
 * or only a class and points-to knows the very objects (`first->mu`
 * with first one of &A, &B: A.mu or B.mu, not every struct acct.mu). */
static int lock_nodes(LFx *fx, Path p, const char **nodes, const char **name) {
    const char *id = p.elem ? node_of_lock(fx->g, identity((Path){p.elem, p.cls, NULL})) : NULL; /* `locks[1]` */
    if (!id) id = node_of_lock(fx->g, identity(p));
    if (id && !is_class_key(id)) return nodes[0] = id, 1;
    const char *nm = *name;
    int m = may_nodes(fx, p, nodes, &nm);
    bool exact = m > 0;
    for (int i = 0; i < m && id; i++) exact &= !is_class_key(nodes[i]);
    if (exact) {
        *name = nm;
        return m;
    }
    nodes[0] = id;
    return id != NULL;
}

/* Two classes of one lock told apart only by the pointer they are
 * reached through (`op->replyq.q->lock`, `part->replyq.q->lock`): when
 * code takes that lock through pointers to its own object too (`lock(&q->
 * lock)`), the object stands on its own and many holders may point to one:
 * taking one under the other orders no two locks, as taking a class's lock
 * under the same class does not. A lock only ever reached through one
 * wrapper's pointer (Varnish's `struct lock { void *priv; }`) is that
 * wrapper's private part: each holder's is its own lock. */
static bool one_lock_class(const LGlobal *g, const char *ca, const char *cb) {
    if (!ca || !cb || (!strchr(ca, '*') && !strchr(cb, '*'))) return false;
    const char *x = class_base(ca), *y = class_base(cb);
    return (x != ca || y != cb) && x == y && ptrmap_get(&g->taken_directly, x);
}

/* one_lock_class for two nodes of the order graph (`@^` and a class). */
static bool one_class(const LGlobal *g, const char *a, const char *b) {
    if (!is_class_key(a) || !is_class_key(b) || (!strchr(a, '*') && !strchr(b, '*'))) return false; /* (most: no pointer in either) */
    return one_lock_class(g, intern(a + 2), intern(b + 2)); /* the classes, as interned */
}

/* Edges from lock `from` to lock `to` (e's names and places) between the
 * nodes they are, or may be. */
static void named_edges(LFx *fx, State *s, OEdge e, Path from, Path to) {
    const char *a[MAX_MAY], *b[MAX_MAY];
    int na = lock_nodes(fx, from, a, &e.from_name), nb = lock_nodes(fx, to, b, &e.to_name);
    if (quiet(fx->g)) return;
    for (int i = 0; i < na; i++)
        for (int k = 0; k < nb; k++) {
            if ((a[i] == b[k] && !is_group(a[i])) || one_class(fx->g, a[i], b[k])) continue; /* same class: ordered by address, or one object */
            e.from = a[i], e.to = b[k];
            push_edge(fx, s, e, from, to);
        }
}

/* ------------------------------------------------- comparison orders */

/* The object a location belongs to: `$0*.mu` and `$0*.id` are `$0*`'s,
 * `@a.mu` is `@a`'s. */
static const char *owner(const char *key) {
    const char *star = strrchr(key, '*');
    return star ? intern_n(key, (size_t)(star - key + 1)) : intern_n(key, (size_t)(path_root_end(key) - key));
}

/* The objects a compared operand stands for: a field's owner, a pointer's
 * pointee (`x < y` compares addresses). */
static int compared_objects(const Operand *o, const char **out) {
    if (o->kind != OPND_PATH) return 0;
    int n = 0;
    out[n++] = owner(o->path.key);
    if (!strchr(o->path.key, '.')) out[n++] = pathkey_join(o->path.key, "*");
    return n;
}

/* Pairs of objects some branch of fn compares: an order chosen by such a
 * comparison (`if (a->id < b->id) lock a, b; else lock b, a`) is one
 * consistent order, whatever key decides it. */
static void find_compared(LFx *fx) {
    const Function *fn = fx->fn;
    for (int b = 0; b < fn->nblocks; b++) {
        const Cond *c = &fn->blocks[b].end->cond;
        if (fn->blocks[b].term != TERM_BRANCH || !c->cmp) continue;
        const char *x[2], *y[2];
        int nx = compared_objects(&c->cmp[0], x), ny = compared_objects(&c->cmp[1], y);
        for (int i = 0; i < nx; i++)
            for (int k = 0; k < ny; k++)
                if (x[i] != y[k]) {
                    vec_push(&fx->compared, x[i]);
                    vec_push(&fx->compared, y[k]);
                }
    }
}

/* The objects a lock's owner may be in fn: itself, or the alternatives a
 * local pointer was given (`first = x->id < y->id ? x : y`). */
static int owner_candidates(const Function *fn, const char *key, const char **out, int max) {
    const char *o = owner(key);
    int n = 0;
    out[n++] = o;
    size_t len = strlen(o);
    if (len < 2 || o[len - 1] != '*' || !path_is_frame_local(intern_n(o, len - 1))) return n;
    const char *ptr = intern_n(o, len - 1);
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != ptr) continue;
            const Operand *v = &ev->args[1];
            for (int i = 0; i < v->nalts && n < max; i++)
                if (v->alts[i].kind == OPND_PATH) out[n++] = pathkey_join(v->alts[i].path.key, "*");
        }
    return n;
}

static bool compared(const LFx *fx, const char *a, const char *b) {
    for (int i = 0; i + 1 < fx->compared.len; i += 2)
        if ((fx->compared.data[i] == a && fx->compared.data[i + 1] == b) ||
            (fx->compared.data[i] == b && fx->compared.data[i + 1] == a))
            return true;
    return false;
}

/* Whether the order from -> to was chosen by comparing their objects:
 * every pair of candidates they may be was compared (or is one object). */
static bool ordered_by_comparison(const LFx *fx, const char *from, const char *to) {
    if (!fx->compared.len) return false;
    const char *a[5], *b[5];
    int na = owner_candidates(fx->fn, from, a, 5), nb = owner_candidates(fx->fn, to, b, 5);
    bool any = false;
    for (int i = 0; i < na; i++)
        for (int k = 0; k < nb; k++) {
            if (na > 1 && i == 0) continue; /* the local pointer itself: its alternatives say */
            if (nb > 1 && k == 0) continue;
            if (a[i] == b[k]) continue;
            if (!compared(fx, a[i], b[k])) return false;
            any = true;
        }
    return any;
}

/* An edge from held fact h to lock `to`: into the graph when both ends
 * have names here, else into the summary for the caller to name (a
 * thread's start routine has no caller: points-to names them). */
static void add_edge(LFx *fx, State *s, const Fact *h, Path to, const char *to_name, const char *where, Loc to_at,
                     Loc site, const Hop *chain) {
    const Held *hd = held_of(h);
    Path from = {h->key[0], h->cls[0], hd->elem};
    if ((from.key == to.key && (!from.elem || !to.elem || from.elem == to.elem)) || ordered_by_comparison(fx, from.key, to.key)) return;
    if (param_object(from.key) || param_object(to.key)) {
        add_effect(fx, (LEffect){.guard = state_guard(s), .kind = LE_EDGE, .lock = to, .from = from, .name = to_name, .where = where,
                                 .from_name = hd->name, .at = to_at, .from_at = hd->at, .chain = chain});
        if (!is_start(fx)) return;
    }
    named_edges(fx, s, (OEdge){NULL, NULL, hd->name, to_name, where, hd->at, to_at, site, chain, fx->fn, NULL, {0}, 0, {0}, 0}, from, to);
}

/* ------------------------------------------------------ acquire, release */

/* A heap lock is named for other functions by its class alone. */
static Path class_path(Path p) { return (Path){class_key(p.cls), p.cls, NULL}; }
static bool is_heap(const char *key) { return !path_is_frame_local(key) && !param_object(key) && !path_is_global(key); }

typedef struct Acq {
    Path lock;
    const char *name;
    const char *where; /* the function that calls the lock function */
    Loc at;           /* the lock call itself (maybe in a callee) */
    Loc site;         /* where in this function */
    const Hop *chain; /* from site to at */
    bool blocking, shared, after_release, via_call;
    int temp;         /* trylock: the result temp */
    bool has_success, success_ne;
    int64_t success;
    bool may_fail;    /* a blocking lock that returns `success` when it worked (an error code otherwise) */
    const Function *wrapper; /* a lock wrapper's hold applied at its call */
    bool fresh;       /* ... of memory the wrapper allocated: no lock held here is it */
} Acq;

/* Whether root (a local, or a call's result `%N`) can only hold memory
 * this call of fx->fn allocated: a result of an allocating call, or a
 * local whose every assignment is one and whose address is never taken.
 * A lock in such memory cannot be held by any caller when it is taken. */
static bool fresh_root(LFx *fx, const char *root) {
    for (int i = 0; i < fx->fresh.len; i++)
        if (fx->fresh.data[i] == root) return true;
    for (int i = 0; i < fx->stale.len; i++)
        if (fx->stale.data[i] == root) return false;
    const Function *fn = fx->fn;
    bool assigned = false, fresh = true;
    if (root[0] == '%') { /* a call's result */
        const Event *def = call_of_temp(fn, strtoll(root + 1, NULL, 10));
        assigned = def != NULL, fresh = def && pt_allocates(fx->g->pt, def);
    }
    for (int b = 0; root[0] != '%' && b < fn->nblocks && fresh; b++)
        for (int k = 0; k < fn->blocks[b].nev && fresh; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            for (int i = 0; i < ev->nargs && fresh; i++) { /* `&p` (not `&p->mu`): written where we cannot see */
                const char *addr = ev->args[i].kind == OPND_ADDR ? ev->args[i].path.key : NULL;
                fresh = !addr || path_root(addr) != root || *path_root_end(addr) == '*';
            }
            if (fresh && ev->kind == EV_ASSIGN && ev->args[0].path.key == root) {
                const Event *def = ev->args[1].kind == OPND_TEMP ? call_of_temp(fn, ev->args[1].value) : NULL;
                assigned = true, fresh = def && pt_allocates(fx->g->pt, def);
            }
        }
    fresh &= assigned;
    vec_push(fresh ? &fx->fresh : &fx->stale, root);
    return fresh;
}

static void acquire(LFx *fx, Engine *e, State *s, Acq a) {
    Fact *f = held_fact(fx, s, a.lock.key);
    if (f && f->status == HELD && held_of(f)->moved) { /* another object of the same name */
        for (int i = 0; a.blocking && i < s->facts.len; i++)
            if (s->facts.data[i].status == HELD && &s->facts.data[i] != f)
                add_edge(fx, s, &s->facts.data[i], a.lock, a.name, a.where, a.at, a.site, a.chain);
        Held h = *held_of(f);
        h.moved = false, h.at = a.at, h.chain = a.chain; /* taking it again now is the self-deadlock */
        f->aux = new_held(fx->g, h);
        f->count++;
        return;
    }
    if (f && f->status == HELD) {
        const Held *h = held_of(f);
        /* `locks[0]` then `locks[1]`: one array location, two elements */
        bool same_elem = a.lock.elem && a.lock.elem == h->elem && !path_is_weak(a.lock.elem);
        if (a.lock.elem && h->elem && a.lock.elem != h->elem && !path_is_weak(a.lock.elem) && !path_is_weak(h->elem)) {
            for (int i = 0; a.blocking && i < s->facts.len; i++)
                if (s->facts.data[i].status == HELD)
                    add_edge(fx, s, &s->facts.data[i], a.lock, a.name, a.where, a.at, a.site, a.chain);
            f->count++;
            return;
        }
        if (is_recursive(fx->g, fx->fn, a.lock) || (a.shared && h->shared) || h->contract || a.fresh) {
            f->count++; /* (a contract's hold is the caller's: taking it here says the caller did not hold it; a
                           fresh object's is another object's of the class) */
        } else if ((!path_is_weak(a.lock.key) || same_elem) && !a.after_release) {
            report_double(fx, s, a.site, a.name, a.via_call ? a.where : NULL, a.via_call ? a.where : NULL, f, a.at);
            f->count++; /* the path hangs here; its unlocks that follow are not another bug */
        }
        return;
    }
    if (a.blocking)
        for (int i = 0; i < s->facts.len; i++)
            if (s->facts.data[i].status == HELD)
                add_edge(fx, s, &s->facts.data[i], a.lock, a.name, a.where, a.at, a.site, a.chain);
    Path named = is_heap(a.lock.key) ? class_path(a.lock) : a.lock; /* what a caller can name */
    const char *grp = named.key ? node_of_lock(fx->g, identity(named)) : NULL;
    if (is_group(grp)) named = (Path){grp, NULL, NULL}; /* one effect for the whole group */
    if (a.blocking && named.key && !path_is_frame_local(a.lock.key) && !a.via_call)
        add_effect(fx, (LEffect){.guard = state_guard(s), .kind = LE_ACQ, .lock = named, .name = a.name,
                                 .where = a.where, .at = a.at, .chain = a.chain, .after_release = a.after_release,
                                 .shared = a.shared, .fresh = is_heap(a.lock.key) && fresh_root(fx, path_root(a.lock.key))});
    Fact nf = {.id = lock_id(fx, a.lock.key), .status = HELD, .at = a.at};
    fact_add_key(&nf, a.lock.key, a.lock.cls);
    bool regained = has_tag(s, a.lock.key, TAG_ENTRY_RELEASED);
    nf.aux = new_held(fx->g, (Held){a.name, a.at, a.chain, a.shared, !a.blocking, false, a.wrapper, a.lock.elem, regained, false});
    if (a.has_success && a.temp >= 0) {
        nf.status = HELD_PENDING;
        bind_set(s, (Bind){temp_key(a.temp), VAL_RESULT, a.success, nf.id, NULL, a.success_ne, false, false});
    } else if (a.may_fail && a.temp >= 0) { /* held, unless a test of its result says it failed */
        bind_set(s, (Bind){temp_key(a.temp), VAL_RESULT, a.success, nf.id, NULL, false, false, false});
    }
    bind_kill_within(s, a.lock.key); /* held again: an earlier release says nothing about the next acquisition */
    fact_add(s, nf);
    state_stepf(e, s, a.site, "'%s' acquired", a.name);
}


/* The held fact a release of p ends: by location, else by class (a lock a
 * callee returned holding is known to its caller by class). */
static Fact *held_for_release(LFx *fx, State *s, Path p) {
    Fact *f = held_fact(fx, s, p.key);
    const char *ck = class_key(p.cls);
    for (int i = 0; !f && ck && i < s->facts.len; i++) {
        const Fact *o = &s->facts.data[i];
        bool heapish = o->key[0] == ck || is_heap(o->key[0]);
        if (heapish && o->cls[0] == p.cls && (p.key == ck || is_heap(p.key) || o->key[0] == ck)) f = &s->facts.data[i];
    }
    return f;
}

/* Not held at a start routine's entry, for certain: a global, a
 * parameter's object or a local, not an element of a lock array. */
static bool surely_unheld_at_entry(LFx *fx, const char *key) {
    if (path_is_weak(key) || is_class_key(key)) return false;
    if (path_is_frame_local(key)) return true;
    return is_start(fx) && (path_is_global(key) || param_object(key));
}

typedef struct Rel {
    Path lock; const char *name; Loc at, site; const char *via; const Hop *chain;
    const Guard *carry;  /* through a call: the conditions its effect keeps */
} Rel;

/* What a release found: the path's own hold, or none (the caller's, or a
 * real misuse when it cannot be a caller's). */
typedef enum { REL_HELD, REL_CALLERS, REL_MISUSE } RelKind;

static void wrapper_served(LGlobal *g, const Function *wrapper) {
    if (wrapper && !quiet(g)) *ptrmap_slot(&g->released_by_caller, wrapper, true) = (void *)1;
}

/* A lock wrapper reached through a pointer (a thread body run by a
 * trampoline, `capsule->probe()`) may return holding p: not judged on this
 * path, but a release of p here serves the wrapper, and a return passes the
 * maybe on to our callers. Kept as a binding `mayheld:W:p` (n: W's index). */
static void may_hold(State *s, Path p, const Function *w) {
    if (!p.key || path_is_frame_local(p.key)) return;
    bind_set(s, (Bind){internf("mayheld:%d:%s", w->index, p.key), VAL_TAG, TAG_MAY_HELD, w->index, p.key, false, false, false});
}

static void may_hold_released(LFx *fx, State *s, const char *lock) {
    int o = 0;
    for (int i = 0; i < s->binds.len; i++) {
        Bind *b = &s->binds.data[i];
        if (b->kind == VAL_TAG && b->n == TAG_MAY_HELD && b->addr == lock) {
            wrapper_served(fx->g, family_program(fx->g->r)->funcs[b->fact]);
            continue;
        }
        s->binds.data[o++] = *b;
    }
    s->binds.len = o;
}

static RelKind release(LFx *fx, Engine *e, State *s, Rel r) {
    may_hold_released(fx, s, r.lock.key);
    Fact *f = held_for_release(fx, s, r.lock);
    if (f) {
        const char *key = f->key[0];
        wrapper_served(fx->g, held_of(f)->wrapper);
        if (f->count > 0) f->count--;
        else fact_remove(s, f->id);
        tag(s, key, TAG_RELEASED);
        state_stepf(e, s, r.site, "'%s' released", r.name);
        return REL_HELD;
    }
    if (has_tag(s, r.lock.key, TAG_OPAQUE)) return REL_CALLERS;
    tag(s, r.lock.key, TAG_ENTRY_RELEASED); /* the caller's hold, presumably */
    if (surely_unheld_at_entry(fx, r.lock.key)) {
        report_unheld(fx, s, r.lock, r.site, r.name, r.at, r.via);
        return REL_MISUSE;
    }
    if (is_start(fx)) return REL_MISUSE; /* an alias we cannot follow */
    Path req = is_heap(r.lock.key) ? class_path(r.lock) : r.lock;
    if (req.key) /* an unlock wrapper: its callers are checked */
        add_effect(fx, (LEffect){.guard = r.carry ? *r.carry : state_guard(s), .kind = LE_REQ, .lock = req, .name = r.name, .at = r.at,
                                 .chain = r.chain});
    return REL_CALLERS;
}

/* ---------------------------------------------------------------- events */

static bool lock_operand(const Function *fn, State *s, const Event *ev, const ModelOp *m, Path *p, const char **name) {
    if (m->handle < 0 || m->handle >= ev->nargs || !pointee(s, &ev->args[m->handle], p)) return false;
    *name = operand_name(fn, &ev->args[m->handle]);
    return true;
}

static void on_lock_op(LFx *fx, Engine *e, State *s, const Event *ev, const ModelOp *m) {
    Path p;
    const char *name;
    if (!lock_operand(fx->fn, s, ev, m, &p, &name)) return;
    const Hop *chain = hop(fx->g, ev->loc, "'%s' acquired", name, NULL);
    switch (m->op) {
    case OP_LOCK:
    case OP_TRYLOCK:
        acquire(fx, e, s, (Acq){p, name, fx->fn->name, ev->loc, ev->loc, chain, m->op == OP_LOCK, m->shared,
                                has_tag(s, p.key, TAG_RELEASED) || has_tag(s, p.key, TAG_ENTRY_RELEASED), false, ev->temp,
                                m->op == OP_TRYLOCK && m->has_success,
                                false, m->success, m->op == OP_LOCK && m->has_success, NULL, false});
        break;
    case OP_UNLOCK:
        release(fx, e, s, (Rel){p, name, ev->loc, ev->loc, NULL, NULL, NULL});
        break;
    case OP_COND_WAIT: {
        Fact *f = held_fact(fx, s, p.key);
        if (!f || f->status != HELD) {
            if (!has_tag(s, p.key, TAG_OPAQUE) && surely_unheld_at_entry(fx, p.key))
                report_unheld(fx, s, p, ev->loc, name, ev->loc, NULL);
            return;
        }
        /* Woken, it takes the mutex again while holding the others. */
        for (int i = 0; i < s->facts.len; i++)
            if (s->facts.data[i].status == HELD && s->facts.data[i].key[0] != p.key)
                add_edge(fx, s, &s->facts.data[i], p, name, fx->fn->name, ev->loc, ev->loc, chain);
        break;
    }
    default:
        break;
    }
}

/* Whether an earlier effect of the same kind on the same lock applies to
 * this call too: effects kept apart by their paths' parameter values are
 * alternatives (one path runs), and guards like `op != 0` and `op == 1`
 * may both allow a call: it releases once, not twice. */
static bool applied_before(const LockSummary *sum, int i, State *s, const Event *ev, GuardMemo *memo) {
    const LEffect *ef = &sum->effects.data[i];
    EffectIter it = effects_of(sum, ef->kind, ef->lock.key, ef->from.key);
    for (int k; (k = next_effect(&it)) >= 0 && k < i;)
        if (guard_allows_seen(&sum->effects.data[k].guard, s, ev, memo)) return true;
    return false;
}

/* A callee that releases its caller's lock and takes it again (`unlock(&m);
 * slow_work(); lock(&m);`) has a contract: m held before, m held after.
 * A caller that does not hold m passes the contract on to its own callers,
 * or breaks it (reported once, at the call): it does not hold m after. */
static void pass_contract(LFx *fx, State *s, const LEffect *ef, Path p, const Hop *chain, Loc site, const Guard *g,
                          const Function *callee) {
    for (int j = 0; j < s->facts.len; j++) /* the re-acquisition still waits behind what is held */
        if (s->facts.data[j].status == HELD && !ef->nonblocking)
            add_edge(fx, s, &s->facts.data[j], p, ef->name, ef->where, ef->at, site, chain);
    (void)g;
    /* From here on this path holds it on its caller's behalf: a release
     * consumes it (and is the caller's release), a return holding it
     * passes the contract on. */
    Fact nf = {.id = lock_id(fx, p.key), .status = HELD, .at = ef->at};
    fact_add_key(&nf, p.key, p.cls);
    nf.aux = new_held(fx->g, (Held){ef->name, ef->at, chain, ef->shared, ef->nonblocking, true, callee, NULL, false, false});
    fact_add(s, nf);
}

static void may_release(LFx *fx, State *s, Path p, const LEffect *ef, const Hop *chain, bool pass_on);

static bool returns_holding(const LockSummary *sum, const char *lock) {
    EffectIter it = effects_of(sum, LE_HOLD, lock, NULL);
    for (int i; (i = next_effect(&it)) >= 0;)
        if (!sum->effects.data[i].may) return true;
    return false;
}

/* What this caller's own reports call a callee's lock: a parameter's lock
 * as the caller names it (`g.load_state->mutex`, not the wrapper's
 * `bolt->mutex`). p: the lock in the caller's terms. */
static const char *name_here(LFx *fx, State *s, const Event *ev, const LEffect *ef, Path p) {
    const char *n = !param_object(ef->lock.key) ? ef->name
                    : !is_class_key(p.key)      ? display_key(fx->fn, p.key)
                                                : subst_name(s, fx->fn, ev, ef->lock);
    return n ? n : ef->name;
}

/* The acquisition ef of callee, at call ev on path s (p: its lock in the
 * caller's terms): a double acquisition, order edges from what the path
 * holds, and an acquisition of the caller's own. A caller meets the same
 * acquisitions on path after path, mostly holding nothing: when the
 * summary has it already, nothing is named or allocated. */
static void apply_acquisition(LFx *fx, State *s, const Event *ev, Function *callee, const LEffect *ef, Path p,
                              const Guard *carried) {
    LockSummary *sum = summary(fx->g, callee);
    /* The acquisition of a lock wrapper (it returns holding the lock)
     * happens, for this function, at the call of it. */
    bool wrapped = returns_holding(sum, ef->lock.key);
    const char *where = wrapped ? fx->fn->name : ef->where;
    Loc at = wrapped ? ev->loc : ef->at;
    const char *here_name = NULL;
    const Hop *chain = NULL;
    Fact *f = held_fact(fx, s, p.key);
    if (f && f->status == HELD && !held_of(f)->moved && !ef->fresh) { /* (a fresh object's lock is another's) */
        if (!ef->after_release && !ef->may && !held_of(f)->contract && !is_recursive(fx->g, fx->fn, p) && !path_is_weak(p.key) &&
            !(ef->shared && held_of(f)->shared))
            report_double(fx, s, ev->loc, name_here(fx, s, ev, ef, p), callee->name, ef->where, f, ef->at);
        return;
    }
    for (int j = 0; j < s->facts.len; j++) {
        if (s->facts.data[j].status != HELD || &s->facts.data[j] == f) continue;
        if (!chain) here_name = name_here(fx, s, ev, ef, p), chain = hop(fx->g, ev->loc, "calls '%s'", callee->name, ef->chain);
        add_edge(fx, s, &s->facts.data[j], p, wrapped ? here_name : ef->name, where, at, ev->loc, chain);
    }
    Path own = is_heap(p.key) ? class_path(p) : p;
    const char *grp = own.key ? node_of_lock(fx->g, identity(own)) : NULL;
    if (is_group(grp)) own = (Path){grp, NULL, NULL};
    if (!own.key || path_is_frame_local(own.key)) return;
    LEffect mine = {.guard = *carried, .kind = LE_ACQ, .lock = own, .where = where, .at = at, .shared = ef->shared, .may = ef->may,
                    .fresh = ef->fresh || (is_heap(p.key) && fresh_root(fx, path_root(p.key)))}; /* the callee's, or ours */
    if (effect_settled(fx, &mine)) return;
    if (!chain) here_name = name_here(fx, s, ev, ef, p), chain = hop(fx->g, ev->loc, "calls '%s'", callee->name, ef->chain);
    mine.name = here_name, mine.chain = chain;
    add_effect(fx, mine);
}

static void apply_summary(LFx *fx, Engine *e, State *s, const Event *ev, Function *callee) {
    LockSummary *sum = summary(fx->g, callee);
    if (!sum->effects.len) return;
    const Guard here = state_guard(s);
    const char *not_held[8]; /* released by the callee without this path holding them */
    RelKind not_held_kind[8];
    int nnot = 0;
    GuardMemo memo = {0}; /* the conditions' values here: acquisitions and orders change no binding */
    for (int i = 0; i < sum->effects.len; i++) {
        LEffect *ef = &sum->effects.data[i];
        Guard carried;
        if (!guard_apply(&ef->guard, s, ev, &here, &carried, &memo)) continue; /* another mode of the callee */
        if (applied_before(sum, i, s, ev, &memo)) continue;
        Path p = ef->lock, from = ef->from;
        if (param_object(p.key) && !subst_param(s, ev, p, &p)) continue;
        if (ef->kind == LE_EDGE && param_object(from.key) && !subst_param(s, ev, from, &from)) continue;
        sum->called = true;
        if (ef->kind == LE_ACQ) {
            apply_acquisition(fx, s, ev, callee, ef, p, &carried);
            continue;
        }
        const char *name = ef->name; /* as written where it is acquired (order edges say "in F") */
        const char *here_name = name_here(fx, s, ev, ef, p);
        const Hop *chain = hop(fx->g, ev->loc, "calls '%s'", callee->name, ef->chain);
        switch (ef->kind) {
        case LE_REQ: {
            if (ef->may) { /* a release that may happen below: stop judging the lock */
                may_release(fx, s, p, ef, chain, true);
                tag(s, p.key, TAG_OPAQUE);
                break;
            }
            /* released when the result is `success`; a result never read: released, as an unlock's is */
            Fact *held = ef->result_in_ret && ev->temp >= 0 && result_read(fx, ev->temp) ? held_for_release(fx, s, p) : NULL;
            if (held && held->status == HELD && held->count == 0) {
                held->status = RELEASE_PENDING;
                bind_set(s, (Bind){temp_key(ev->temp), VAL_RESULT, ef->success, held->id, NULL, ef->success_ne, false, false});
                break;
            }
            RelKind k = release(fx, e, s, (Rel){p, here_name, ef->at, ev->loc, callee->name, chain, &carried});
            if (k != REL_HELD && nnot < 8) not_held_kind[nnot] = k, not_held[nnot++] = p.key;
            break;
        }
        case LE_EDGE: {
            const char *from_name = ef->from_name;
            if (param_object(from.key) || param_object(p.key)) {
                add_effect(fx, (LEffect){.guard = carried, .kind = LE_EDGE, .lock = p, .from = from, .name = name,
                                         .where = ef->where, .from_name = from_name, .at = ef->at,
                                         .from_at = ef->from_at, .chain = chain});
            } else {
                named_edges(fx, s, (OEdge){NULL, NULL, from_name, name, ef->where, ef->from_at, ef->at, ev->loc, chain, fx->fn, NULL, {0}, 0, {0}, 0},
                            from, p);
            }
            break;
        }
        case LE_HOLD: {
            if (ef->may) { /* a hold passed on through a pointer call below */
                may_hold(s, is_heap(p.key) ? class_path(p) : p, callee);
                tag(s, p.key, TAG_OPAQUE);
                break;
            }
            int c = -1;
            for (int k = 0; k < nnot && c < 0; k++)
                if (not_held[k] == p.key) c = k;
            if (c >= 0 && !ef->result_in_ret) { /* the contract: not held here, so not held after */
                if (not_held_kind[c] == REL_CALLERS) pass_contract(fx, s, ef, p, chain, ev->loc, &carried, callee);
                break;
            }
            /* Taken through a lock wrapper: the call of the wrapper is where
             * this function takes it (what reports point at, where a
             * NOLINT goes); the chain keeps the way down. */
            /* A blocking wrapper that returns its lock's failure, its result
             * never read: held, as the lock's own would be, on the paths
             * where the wrapper took it (its object was valid: its guard). */
            bool ignored = ef->result_in_ret && !ef->nonblocking && !ef->success_ne && ev->temp >= 0 && !result_read(fx, ev->temp);
            if (ignored) guard_assume(&ef->guard, s, ev);
            acquire(fx, e, s, (Acq){p, here_name, fx->fn->name, ev->loc, ev->loc, chain, !ef->nonblocking, ef->shared, false, true, ev->temp,
                                    ef->result_in_ret && !ignored, ef->success_ne, ef->success, false, callee, ef->fresh});
            if (ef->returns_lock && ev->temp >= 0) { /* the result is the lock: `unlock(result)` releases it */
                Bind *rb = bind_find(s, temp_key(ev->temp));
                if (rb) rb->addr = p.key;
                else bind_set(s, (Bind){temp_key(ev->temp), VAL_NE, 0, 0, p.key, false, false, false});
            }
            break;
        }
        }
        memo.n = 0; /* releases and holds may have changed the path's bindings */
    }
}

/* A call that may release p (through a pointer in a field or global, maybe
 * deeper): the hold it may end is no longer judged, a wrapper whose hold it
 * is counts as released by a caller, and our callers inherit the maybe. */
static void may_release(LFx *fx, State *s, Path p, const LEffect *ef, const Hop *chain, bool pass_on) {
    Fact *f = held_for_release(fx, s, p);
    if (f) wrapper_served(fx->g, held_of(f)->wrapper);
    may_hold_released(fx, s, p.key);
    Path req = is_heap(p.key) ? class_path(p) : p;
    if (pass_on && req.key && !path_is_frame_local(req.key) && !path_is_weak(req.key))
        add_effect(fx, (LEffect){.kind = LE_REQ, .lock = req, .name = ef->name, .at = ef->at, .chain = chain, .may = true});
}

/* A call that may reach callee (a pointer in a field or global): its
 * acquisitions are possible, so they order locks (edges) and its callers
 * inherit them, but they prove no self-deadlock; the locks it may take or
 * release on the caller's behalf are no longer judged on this path. */
static void apply_may_summary(LFx *fx, State *s, const Event *ev, Function *callee, bool one_of_many) {
    LockSummary *sum = summary(fx->g, callee);
    if (!sum->effects.len) return;
    const Guard here = state_guard(s);
    for (int i = 0; i < sum->effects.len; i++) {
        LEffect *ef = &sum->effects.data[i];
        Path p = ef->lock;
        Guard carried;
        if (!guard_apply(&ef->guard, s, ev, &here, &carried, NULL) || (param_object(p.key) && !subst_param(s, ev, p, &p))) continue;
        sum->called = true;
        const Hop *chain = hop(fx->g, ev->loc, "may call '%s'", callee->name, ef->chain);
        if (ef->kind == LE_ACQ && one_of_many) { /* too weak to order locks */
            continue;
        } else if (ef->kind == LE_ACQ) {
            for (int j = 0; j < s->facts.len; j++)
                if (s->facts.data[j].status == HELD && s->facts.data[j].key[0] != p.key)
                    add_edge(fx, s, &s->facts.data[j], p, ef->name, ef->where, ef->at, ev->loc, chain);
            if (is_heap(p.key)) p = class_path(p);
            if (p.key && !path_is_frame_local(p.key))
                add_effect(fx, (LEffect){.guard = carried, .kind = LE_ACQ, .lock = p, .name = ef->name,
                                         .where = ef->where, .at = ef->at, .chain = chain, .shared = ef->shared,
                                         .may = true});
        } else if (ef->kind == LE_HOLD || ef->kind == LE_REQ) {
            if (ef->kind == LE_HOLD) may_hold(s, is_heap(p.key) ? class_path(p) : p, callee);
            else may_release(fx, s, p, ef, chain, !one_of_many);
            tag(s, p.key, TAG_OPAQUE);
            for (int j = 0; j < s->facts.len; j++)
                if (s->facts.data[j].key[0] == p.key) tag(s, p.key, TAG_OPAQUE);
        }
    }
}

/* Code we cannot see may lock or unlock what it is given: stop judging it. */
static void arg_use(void *ctx, State *s, Path p, ArgUse use, const Operand *arg) {
    (void)ctx;
    if (use != ARG_ESCAPE) return; /* reading or filling memory does not lock it */
    for (int j = 0; j < s->facts.len; j++)
        if (path_within(s->facts.data[j].key[0], p.key)) tag(s, s->facts.data[j].key[0], TAG_OPAQUE);
    if (arg->kind == OPND_ADDR) tag(s, p.key, TAG_OPAQUE);
}

/* PASS_LOCKSETS: what this path holds at ev (the table keeps what every
 * path holds). A lock with no name outside this function (a parameter's,
 * a local) is recorded by its key. */
static void record_lockset(LFx *fx, const State *s, const Event *ev) {
    if (!fx->locksets) return; /* no family reads them */
    const char *keys[64];
    int n = 0;
    for (int i = 0; i < s->facts.len && n < 64; i++) {
        const Fact *f = &s->facts.data[i];
        if (f->status != HELD) continue;
        const char *id = identity((Path){f->key[0], f->cls[0], NULL});
        keys[n++] = id ? id : f->key[0];
    }
    lockset_record(family_analysis(fx->g->r), ev, keys, n);
}

/* A callee of the recursive cycle whose summary is not final yet (the
 * cycle's first round): it may release what this path holds, so no lock
 * held here is judged or passed on as held until a later round, which
 * knows. Taking its empty summary as "does nothing" made a lock its own
 * release would end look held at the return, and that hold then fed
 * itself round after round. True when it held one. */
static bool unknown_callee(State *s) {
    bool any = false;
    for (int j = 0; j < s->facts.len; j++)
        if (s->facts.data[j].status == HELD) tag(s, s->facts.data[j].key[0], TAG_OPAQUE), any = true;
    return any;
}

/* A local pointer given a new value (`a = next(a)`, or declared anew in a
 * loop's body): the locks held through it are another object's than the
 * ones it names from here on, so taking those is no self-deadlock (a loop
 * locking every element of a list or table, one at a time). */
static void repointed(LFx *fx, State *s, const char *local) {
    if (!local || !path_is_frame_local(local) || path_root(local) != local) return;
    for (int i = 0; i < s->facts.len; i++) {
        Fact *f = &s->facts.data[i];
        if (f->status != HELD || f->key[0] == local || path_root(f->key[0]) != local || held_of(f)->moved) continue;
        Held h = *held_of(f);
        h.moved = true;
        f->aux = new_held(fx->g, h);
    }
}

static void client_event(Engine *e, State *s, const Event *ev, const Callee *c) {
    LFx *fx = fx_of(e);
    fx->ev = ev;
    record_lockset(fx, s, ev);
    if (ev->kind == EV_ASSIGN || ev->kind == EV_DECL) repointed(fx, s, ev->args[0].path.key);
    if (ev->kind != EV_CALL) return;
    for (int i = 0; c->model && i < c->model->nops; i++) on_lock_op(fx, e, s, ev, &c->model->ops[i]);
    if (c->def && c->may) apply_may_summary(fx, s, ev, c->def, false);
    else if (c->def && !family_summary_ready(fx->g->r, c->def)) {
        if (unknown_callee(s) || summary(fx->g, c->def)->effects.len) family_guessed(fx->g->r);
    } else if (c->def) {
        apply_summary(fx, e, s, ev, c->def);
    }
    else if (!c->model) { /* a pointer call with several candidates: each may be the one */
        Function *const *t;
        int n = program_call_targets(family_program(fx->g->r), ev, &t);
        for (int i = 0; n > 1 && i < n; i++) apply_may_summary(fx, s, ev, t[i], true);
    }
    engine_call_args(s, ev, c, arg_use, fx);
}

static void client_result(Engine *e, State *s, int id, bool worked) {
    Fact *f = fact_find(s, id);
    if (f && f->status == RELEASE_PENDING) { /* the callee released it, or it did not */
        if (!worked) f->status = HELD;
        else tag(s, f->key[0], TAG_RELEASED), fact_remove(s, id);
    } else if (f && worked) {
        f->status = HELD;
    } else if (f) {
        fact_remove(s, id);
    }
    (void)e;
}

/* ---------------------------------------------------------------- exits */

/* Another wrapper the lock of exit x came from: its hold passes on too. */
static void exit_also(Exit *x, const Function *w) {
    if (!w || w == x->wrapper) return;
    for (int i = 0; i < 3; i++) {
        if (x->also[i] == w) return;
        if (!x->also[i]) {
            x->also[i] = w;
            return;
        }
    }
}

static Exit *exit_of(LFx *fx, const Fact *f) {
    const Held *h = held_of(f);
    for (int i = 0; i < fx->exits.len; i++)
        if (fx->exits.data[i].key == f->key[0]) {
            exit_also(&fx->exits.data[i], h->wrapper);
            fx->exits.data[i].shared &= h->shared;
            fx->exits.data[i].regained &= h->regained;
            return &fx->exits.data[i];
        }
    vec_push(&fx->exits, ((Exit){.key = f->key[0], .cls = f->cls[0], .name = h->name, .acq = h->at,
                                 .chain = h->chain, .via_try = h->via_try, .contract = h->contract,
                                 .shared = h->shared, .regained = h->regained, .wrapper = h->wrapper}));
    return &fx->exits.data[fx->exits.len - 1];
}

static RetInfo ret_info(State *s, const Operand *ret) {
    if (ret->kind == OPND_CONST || ret->kind == OPND_NULL) return (RetInfo){RET_CONST, ret->value, NULL, false};
    if (ret->kind == OPND_ADDR) return (RetInfo){RET_NONNULL, 0, resolve(s, ret->path).key, false};
    const char *key = operand_key(s, ret);
    Bind *b = key ? bind_find(s, key) : NULL;
    if (b && b->kind == VAL_CONST) return (RetInfo){RET_CONST, b->n, NULL, false};
    if (b && (b->kind == VAL_ADDR || (b->kind == VAL_NE && b->n == 0 && !b->derefd))) return (RetInfo){RET_NONNULL, 0, b->addr, ret->narrow};
    return (RetInfo){RET_UNKNOWN, 0, NULL, false};
}

/* Holds that may come back from a pointer call and were not released on
 * this path: our callers inherit the maybe. */
static void pass_may_holds(LFx *fx, State *s, const Block *b) {
    for (int i = 0; i < s->binds.len; i++) {
        const Bind *bd = &s->binds.data[i];
        if (bd->kind != VAL_TAG || bd->n != TAG_MAY_HELD) continue;
        const Function *w = family_program(fx->g->r)->funcs[bd->fact];
        if (!quiet(fx->g)) vec_push(&fx->g->passes, ((PassOn){w, fx->fn}));
        Path p = {bd->addr, NULL, NULL};
        if (path_is_frame_local(p.key) || path_is_weak(p.key) || (is_heap(p.key) && !is_class_key(p.key))) continue;
        add_effect(fx, (LEffect){.kind = LE_HOLD, .lock = p, .name = display_key(fx->fn, p.key),
                                 .at = b->end->loc, .may = true, .source = w});
    }
}

static bool same_keys(const char *const *a, const char *const *b, int n) {
    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

/* A return like one already seen (the same result, conditions, locks held
 * and released) tells nothing new: every question asked of the returns is
 * whether some or every one does something. The first keeps its place. */
static bool visit_known(const LFx *fx, const Visit *v) {
    for (int i = 0; i < fx->visits.len; i++) {
        const Visit *o = &fx->visits.data[i];
        if (o->nheld == v->nheld && o->nfreed == v->nfreed && o->ret.kind == v->ret.kind && o->ret.value == v->ret.value &&
            o->ret.points_to == v->ret.points_to && o->ret.code == v->ret.code && same_keys(o->held, v->held, v->nheld) &&
            same_keys(o->freed, v->freed, v->nfreed) &&
            (!v->nfreed || !memcmp(o->freed_entry, v->freed_entry, sizeof(bool) * (size_t)v->nfreed)) &&
            guard_same(&o->guard, &v->guard))
            return true;
    }
    return false;
}

static void *arena_copy(Arena *a, const void *src, size_t n) {
    return n ? memcpy(arena_alloc(a, n), src, n) : NULL;
}

static void client_ret(Engine *e, State *s, const Block *b) {
    LFx *fx = fx_of(e);
    const char *rkey = operand_key(s, &b->end->ret);
    Bind *rb = rkey ? bind_find(s, rkey) : NULL;
    Visit v = {.at = b->end->loc, .ret = ret_info(s, &b->end->ret), .guard = state_guard(s)};
    const char **held = xmalloc(sizeof(char *) * ((size_t)s->facts.len + 1));
    const char **freed = xmalloc(sizeof(char *) * ((size_t)s->binds.len + 1));
    bool *freed_entry = xmalloc((size_t)s->binds.len + 1);
    v.held = held, v.freed = freed, v.freed_entry = freed_entry;
    for (int i = 0; i < s->facts.len; i++) {
        Fact *f = &s->facts.data[i];
        if (has_tag(s, f->key[0], TAG_OPAQUE)) continue;
        if ((f->status == HELD_PENDING || f->status == HELD) && rb && rb->kind == VAL_RESULT && rb->fact == f->id) {
            /* `return pthread_mutex_trylock(...)`: a trylock wrapper; `return
             * pthread_mutex_lock(...)`, untested: a wrapper that can fail. */
            Path p = {f->key[0], f->cls[0], NULL};
            if (is_heap(p.key)) p = class_path(p);
            if (p.key && !path_is_frame_local(p.key))
                add_effect(fx, (LEffect){.guard = v.guard, .kind = LE_HOLD, .lock = p, .name = held_of(f)->name,
                                         .at = held_of(f)->at, .chain = held_of(f)->chain, .result_in_ret = true,
                                         .success = rb->n, .success_ne = rb->ne, .nonblocking = held_of(f)->via_try});
            continue;
        }
        Exit *x = exit_of(fx, f);
        if (f->status == HELD_PENDING) x->via_try = true;
        held[v.nheld++] = f->key[0];
        if (!x->flow)
            x->flow = state_flow(s, b->end->loc, internf("'%s' is still held when '%s' returns here", x->name, fx->fn->name));
    }
    for (int i = 0; i < s->binds.len; i++) {
        Bind *bd = &s->binds.data[i];
        if (bd->kind == VAL_TAG && (bd->n == TAG_RELEASED || bd->n == TAG_ENTRY_RELEASED) &&
            !fact_find(s, lock_id(fx, bd->key))) {
            freed_entry[v.nfreed] = bd->n == TAG_ENTRY_RELEASED;
            freed[v.nfreed++] = bd->key;
        }
    }
    if (!visit_known(fx, &v)) { /* kept for the function's judging: its keys move to the family's arena */
        v.held = arena_copy(fx->g->arena, held, sizeof(char *) * (size_t)v.nheld);
        v.freed = arena_copy(fx->g->arena, freed, sizeof(char *) * (size_t)v.nfreed);
        v.freed_entry = arena_copy(fx->g->arena, freed_entry, (size_t)v.nfreed);
        vec_push(&fx->visits, v);
    }
    free(held), free(freed), free(freed_entry);
    pass_may_holds(fx, s, b);
}

static bool visit_has(const char *const *keys, int n, const char *key) {
    for (int i = 0; i < n; i++)
        if (keys[i] == key) return true;
    return false;
}

/* A return that neither holds nor released x, on a path whose conditions
 * exclude those of every return holding it: a mode that never takes x. */
static bool never_took(LFx *fx, const Visit *v, const Exit *x) {
    if (visit_has(v->freed, v->nfreed, x->key) || !v->guard.n) return false;
    for (int i = 0; i < fx->visits.len; i++) {
        const Visit *o = &fx->visits.data[i];
        if (visit_has(o->held, o->nheld, x->key) && !guards_exclude(&v->guard, &o->guard)) return false;
    }
    return true;
}

/* Returns that hold the lock all give one value the others never give:
 * the caller can tell from the result (`0` = locked, a non-null lock). */
static bool result_tells(LFx *fx, const Exit *x, RetInfo *held_ret) {
    RetInfo h = {RET_UNKNOWN, 0, NULL, false};
    for (int i = 0; i < fx->visits.len; i++) {
        const Visit *v = &fx->visits.data[i];
        if (!visit_has(v->held, v->nheld, x->key)) continue;
        if (v->ret.kind == RET_UNKNOWN || v->ret.code || (h.kind && (h.kind != v->ret.kind || h.value != v->ret.value))) return false;
        if (!h.kind) h = v->ret;
        else if (h.points_to != v->ret.points_to) h.points_to = NULL; /* not always the lock itself */
    }
    bool released_elsewhere = false;
    for (int i = 0; i < fx->visits.len; i++) {
        const Visit *v = &fx->visits.data[i];
        if (visit_has(v->held, v->nheld, x->key)) continue;
        if (never_took(fx, v, x)) continue; /* another mode: the lock is not taken there at all */
        bool nonzero = v->ret.kind == RET_NONNULL && h.kind == RET_CONST && h.value == 0; /* `if (ret) { unlock; return ret; }` */
        if (nonzero) {
            released_elsewhere |= visit_has(v->freed, v->nfreed, x->key);
            continue;
        }
        if (v->ret.kind != RET_CONST) return false;
        if (h.kind == RET_CONST ? v->ret.value == h.value : v->ret.value != 0) return false;
        released_elsewhere |= visit_has(v->freed, v->nfreed, x->key);
    }
    /* A wrapper that may release and fail holds on its success (0, or a
     * non-null lock); holding on an error return is the missing unlock. */
    if (released_elsewhere && !(h.kind == RET_NONNULL || (h.kind == RET_CONST && h.value == 0))) return false;
    *held_ret = h;
    return h.kind != RET_UNKNOWN;
}

static int visit_index(const char *const *keys, int n, const char *key) {
    for (int i = 0; i < n; i++)
        if (keys[i] == key) return i;
    return -1;
}

/* Whether the returns holding x and those that released it differ only by
 * a parameter's value, the releasing ones releasing their caller's hold (a
 * function with modes, like pause/resume) rather than their own. */
static bool modes_explain(LFx *fx, const Exit *x) {
    for (int i = 0; i < fx->visits.len; i++) {
        const Visit *h = &fx->visits.data[i];
        if (!visit_has(h->held, h->nheld, x->key)) continue;
        for (int j = 0; j < fx->visits.len; j++) {
            const Visit *r = &fx->visits.data[j];
            int k = visit_index(r->freed, r->nfreed, x->key);
            if (k >= 0 && (!r->freed_entry[k] || !guards_exclude(&h->guard, &r->guard))) return false;
        }
    }
    return true;
}

static void hold_effect(LFx *fx, const Exit *x, Guard g, const RetInfo *when);
static const Visit *held_visit(LFx *fx, const char *key);

/* One lock-wrapper effect per mode that returns holding x. */
static void hold_per_mode(LFx *fx, const Exit *x) {
    for (int i = 0; i < fx->visits.len; i++)
        if (visit_has(fx->visits.data[i].held, fx->visits.data[i].nheld, x->key))
            hold_effect(fx, x, fx->visits.data[i].guard, NULL);
}

static const Visit *freed_visit(LFx *fx, const char *key) {
    for (int i = 0; i < fx->visits.len; i++)
        if (visit_has(fx->visits.data[i].freed, fx->visits.data[i].nfreed, key)) return &fx->visits.data[i];
    return NULL;
}

static const Visit *held_visit(LFx *fx, const char *key) {
    for (int i = 0; i < fx->visits.len; i++)
        if (visit_has(fx->visits.data[i].held, fx->visits.data[i].nheld, key)) return &fx->visits.data[i];
    return NULL;
}

static void hold_effect(LFx *fx, const Exit *x, Guard g, const RetInfo *when) {
    Path p = {x->key, x->cls, NULL};
    if (is_heap(p.key)) p = class_path(p);
    if (!p.key || path_is_frame_local(p.key)) return;
    if (x->wrapper && !quiet(fx->g)) /* its hold passes on to our callers */
        vec_push(&fx->g->passes, ((PassOn){x->wrapper, fx->fn}));
    for (int i = 0; i < 3 && x->also[i] && !quiet(fx->g); i++) vec_push(&fx->g->passes, ((PassOn){x->also[i], fx->fn}));
    LEffect ef = {.guard = g, .kind = LE_HOLD, .lock = p, .name = x->name, .at = x->acq, .chain = x->chain,
                  .shared = x->shared, .fresh = is_heap(x->key) && fresh_root(fx, path_root(x->key))};
    ef.source = x->wrapper;
    const Visit *v = held_visit(fx, x->key);
    if (v) ef.from_at = v->at; /* HOLD: where it returns holding it */
    if (when) ef.result_in_ret = true, ef.success = when->value, ef.success_ne = when->kind == RET_NONNULL;
    if (when && when->points_to == x->key) ef.returns_lock = true;
    ef.nonblocking = x->via_try;
    add_effect(fx, ef);
}

/* After the exploration: a lock held on some returns and released on
 * others is a missing unlock; held on every return, or on those a result
 * or a mode tells apart, a lock wrapper. */
static void note_read(LFx *fx, const Operand *o) {
    if (o && o->kind == OPND_TEMP && o->value >= 0 && o->value < fx->ntemps) fx->temps_read[o->value] = true;
    for (int i = 0; o && i < o->nalts; i++) note_read(fx, &o->alts[i]);
}

/* Whether fn reads the result of the call with this temp anywhere (tests,
 * stores, returns or passes it): one walk of fn, on the first question. */
static bool result_read(LFx *fx, int temp) {
    const Function *fn = fx->fn;
    if (!fx->temps_read) {
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++)
                if (fn->blocks[b].ev[k].temp >= fx->ntemps) fx->ntemps = fn->blocks[b].ev[k].temp + 1;
        fx->temps_read = xcalloc((size_t)fx->ntemps + 1, 1);
        for (int b = 0; b < fn->nblocks; b++) {
            const Block *bl = &fn->blocks[b];
            for (int k = 0; k < bl->nev; k++) {
                for (int i = 0; i < bl->ev[k].nargs; i++) note_read(fx, &bl->ev[k].args[i]);
                note_read(fx, bl->ev[k].fn);
            }
            if (bl->term == TERM_BRANCH) note_read(fx, &bl->end->cond.lhs);
            if (bl->term == TERM_BRANCH && bl->end->cond.cmp) note_read(fx, &bl->end->cond.cmp[0]), note_read(fx, &bl->end->cond.cmp[1]);
            if (bl->term == TERM_RETURN) note_read(fx, &bl->end->ret);
        }
    }
    return temp < fx->ntemps && fx->temps_read[temp];
}

/* What every path returning holding key knows of its parameters and
 * globals when they all know the same (`m != 0 && m->mutex != 0`), else
 * nothing: the conditions under which a wrapper that can fail locked. */
static Guard holding_guard(LFx *fx, const char *key) {
    Guard g = {0};
    bool first = true;
    for (int i = 0; i < fx->visits.len; i++) {
        const Visit *v = &fx->visits.data[i];
        if (!visit_has(v->held, v->nheld, key)) continue;
        if (first) g = v->guard, first = false;
        else if (!guard_same(&g, &v->guard)) return (Guard){0};
    }
    return g;
}

/* The caller's hold released and taken again (x->regained): held after
 * the call exactly where its release happens, under the conditions of
 * those releases (this summary's "releases its caller's" effects), not of
 * the returns, which may know less by then (a call in between may store
 * to what the release's conditions read). False when no release says. */
static bool regained_holds(LFx *fx, const Exit *x) {
    Path p = {x->key, x->cls, NULL};
    if (is_heap(p.key)) p = class_path(p);
    bool any = false;
    for (int i = 0, n = fx->sum->effects.len; i < n; i++) {
        const LEffect *r = &fx->sum->effects.data[i];
        if (r->kind != LE_REQ || r->may || r->lock.key != p.key) continue;
        Guard g = r->guard; /* (hold_effect may move the effects) */
        hold_effect(fx, x, g, NULL);
        any = true;
    }
    return any;
}

static void judge_exits(LFx *fx) {
    Guard none = {0};
    for (int i = 0; i < fx->exits.len; i++) {
        Exit *x = &fx->exits.data[i];
        const Visit *held = held_visit(fx, x->key), *freed = freed_visit(fx, x->key);
        bool start = is_start(fx);
        RetInfo r;
        if (!held) goto next;
        if (x->regained && !start && regained_holds(fx, x)) goto next;
        if (x->contract && !start) { /* still the caller's: the contract passes on, per mode */
            hold_per_mode(fx, x);
            goto next;
        }
        if (!start && result_tells(fx, x, &r)) { /* a trylock wrapper, or one that can fail */
            hold_effect(fx, x, holding_guard(fx, x->key), &r);
            goto next;
        }
        if (x->via_try || path_is_weak(x->key)) goto next; /* an array of locks: many objects */
        if (!start && freed && modes_explain(fx, x)) {
            hold_per_mode(fx, x);
        } else if (start || freed) {
            Related *rel = xcalloc(2, sizeof(Related));
            int n = 0;
            rel[n++] = (Related){x->acq, internf("'%s' is acquired here", x->name)};
            if (freed) rel[n++] = (Related){freed->at, internf("other paths release it before returning, like this one")};
            char *msg = start && !freed
                            ? xasprintf("thread start routine '%s' ends holding '%s'", fx->fn->name, x->name)
                            : xasprintf("'%s' is still held when '%s' returns here, but released on other paths",
                                        x->name, fx->fn->name);
            emit(fx, fx->g->atexit, held->at, msg, rel, n, x->flow, (Path){x->key, x->cls, NULL});
            x->flow = NULL;
        } else {
            hold_effect(fx, x, none, NULL);
        }
    next:
        if (x->flow) free(x->flow->steps), free(x->flow);
    }
}

/* ----------------------------------------------------- whole-program facts */

/* Recursive mutexes: an attribute set to a recursive type and a mutex
 * initialised with it, anywhere in a function (the order rarely matters),
 * or a mutex passed to a function that makes its parameter's mutex
 * recursive (`uv_mutex_init_recursive(&m)`), bottom-up over the call
 * graph. A global or a field's class is recursive program-wide; a local,
 * in its function. */
/* A recursive object, and the classes of the fields that keep pointers
 * to it (what such a field points to, where its owner is unknown, may be
 * this object). */
static void recursive_object(LGlobal *g, const char *obj) {
    vec_push(&g->recursive, obj);
    const char **holders;
    int nh = pt_holder_classes(g->pt, obj, &holders);
    for (int i = 0; i < nh; i++) vec_push(&g->holders, holders[i]);
    free(holders);
}

static void add_recursive(LGlobal *g, const Function *fn, Path p) {
    if (path_is_frame_local(p.key)) {
        vec_push(&g->recursive, internf("%s|%s", fn->key, p.key));
        vec_push(&g->recursive, pt_local_object(fn, p.key)); /* as others reach it */
        return;
    }
    if (p.cls) vec_push(&g->recursive, p.cls);
    if (path_param_index(p.key) < 0) vec_push(&g->recursive, p.key); /* (`$0*.m*` names a different object in every function) */
    const char *objs[MAX_MAY]; /* the object a pointer names (`m = malloc(...)`) */
    int n = pt_objects(g->pt, fn, p.key, objs, MAX_MAY);
    if (n != 1) return;
    recursive_object(g, objs[0]);
    const char *const *made; /* a factory's: every object its calls made */
    int nm = pt_is_heap(objs[0]) ? pt_factory_instances(g->pt, fn, &made) : 0;
    for (int i = 0; i < nm; i++) recursive_object(g, made[i]);
}

/* What a helper makes recursive through a parameter: `$n*`, then suffix
 * (empty: what the parameter points to; `.mutex*`: the mutex a lock
 * wrapper keeps behind its pointer field, coturn's turn_mutex_init_recursive).
 * Its callers name the object by their argument. */
typedef struct RecParam { int param; const char *suffix; } RecParam;
typedef VEC(RecParam) RecParams;

static void mark_recursive(LGlobal *g, Function *fn, Path p, RecParams *mine) {
    int n = path_param_index(p.key);
    const char *end = path_root_end(p.key);
    if (n >= 0 && *end == '*') {
        const char *suffix = intern(end + 1);
        bool seen = false;
        for (int i = 0; i < mine->len && !seen; i++) seen = mine->data[i].param == n && mine->data[i].suffix == suffix;
        if (!seen) vec_push(mine, ((RecParam){n, suffix}));
        if (!*suffix) return;
    }
    add_recursive(g, fn, p);
}

/* The caller's path of what callee makes recursive through rp, at ev. */
static bool recursive_arg(const Event *ev, RecParam rp, Path *out) {
    State none = {0};
    Path p;
    if (rp.param >= ev->nargs || !pointee(&none, &ev->args[rp.param], &p)) return false;
    *out = p;
    if (*rp.suffix) *out = (Path){pathkey_join(p.key, rp.suffix), p.cls ? class_extend(p.cls, rp.suffix) : NULL, NULL};
    return out->key != NULL;
}

static void find_recursive(LGlobal *g, Function *fn, RecParams *params_of) {
    VEC(const char *) attrs = {0};
    RecParams mine = {0};
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < fn->ncallev; k++) { /* only calls matter: models, helpers */
            Callee c = pass == 1 ? program_call_at(fn, k) : (Callee){0};
            const Model *model = program_call_model_at(fn, k); /* the event only when it can matter: */
            if (!model && !(c.def && !c.may && params_of[c.def->index].len)) continue;
            const Event *ev = fn->callev[k];
            State none = {0};
            Path p;
            for (int i = 0; c.def && !c.may && i < params_of[c.def->index].len; i++) /* a helper that makes its argument recursive */
                if (recursive_arg(ev, params_of[c.def->index].data[i], &p)) mark_recursive(g, fn, p, &mine);
            for (int o = 0; ev->model && o < ev->model->nops; o++) {
                const ModelOp *m = &ev->model->ops[o];
                if (pass == 0 && m->op == OP_MUTEXATTR_SETTYPE && m->attr >= 0 && m->attr < ev->nargs &&
                    pointee(&none, &ev->args[m->attr], &p)) {
                    const Operand *st = m->state >= 0 && m->state < ev->nargs ? &ev->args[m->state] : NULL;
                    bool rec = !st || st->kind != OPND_CONST; /* unknown type: assume recursive */
                    for (int i = 0; st && i < m->n_recursive_names; i++) rec |= st->name == m->recursive_names[i];
                    if (rec) vec_push(&attrs, p.key);
                } else if (pass == 1 && m->op == OP_LOCK_INIT && m->handle >= 0 && m->handle < ev->nargs &&
                           pointee(&none, &ev->args[m->handle], &p)) {
                    bool rec = false;
                    Path a;
                    if (m->attr >= 0 && m->attr < ev->nargs && pointee(&none, &ev->args[m->attr], &a))
                        for (int i = 0; i < attrs.len; i++) rec |= attrs.data[i] == a.key;
                    if (m->has_recursive_mask && m->state >= 0 && m->state < ev->nargs) {
                        const Operand *st = &ev->args[m->state];
                        rec |= st->kind != OPND_CONST || (st->value & m->recursive_mask);
                    }
                    if (rec) mark_recursive(g, fn, p, &mine);
                }
            }
        }
    params_of[fn->index] = mine;
    free(attrs.data);
}

/* --------------------------------------------------------------- cycles */

typedef struct Found { const OEdge *e[MAX_CYCLE]; int n, order; } Found;

/* The ordered pairs of lock nodes with an edge, each with its edges (in
 * the order found); a node's successors are its pairs, in the order their
 * first edge was found, so the search visits them as the edges came. */
typedef struct Pair { int from, to, first; VEC(int) edges; } Pair;

typedef struct Cycles {
    LGlobal *g;
    Program *p;
    const char **nodes; int nnodes;
    Pair *pairs; int npairs;
    int *succ_start;          /* per node: its pairs are pairs[succ_start[u] .. succ_start[u+1]) */
    int *path; int npath;
    int *path_pair;           /* path_pair[i]: the pair from path[i] to path[i+1] */
    int *comp;                /* per node: its strongly connected component */
    VEC(Found) found;
    bool *covered;            /* per pair: some cycle found uses it */
    int length;               /* the cycle length searched for in this round */
    long budget;
} Cycles;

static int node_of(Cycles *c, const char *id) {
    int lo = 0, hi = c->nnodes - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, r = strcmp(id, c->nodes[mid]);
        if (!r) return mid;
        if (r < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    return -1;
}

static unsigned runs(const LGlobal *g, const Function *fn) { return topo_runs(g->topo, fn); }
static bool reachable_edge(const LGlobal *g, const OEdge *e) { return runs(g, e->fn) != 0; }

static bool joined_has(const char *const *k, int n, const char *key) {
    for (int i = 0; i < n; i++)
        if (k[i] == key) return true;
    return false;
}

static bool gated_by(const OEdge *e, const char *gate) {
    for (int i = 0; i < e->ngates; i++)
        if (e->gates[i] == gate) return true;
    return false;
}

/* Picks one edge per step of the cycle such that two threads can run them
 * and no lock gates them all; false when there is no such choice. */
/* Whether edge e can meet the threads that run edge o: not after joining
 * them, nor before any of them exists. */
static bool can_meet(const LGlobal *g, const OEdge *e, const OEdge *o) {
    const Function *r = topo_only_root(g->topo, o->fn);
    if (!r) return true;
    return !joined_has(e->joined, e->njoined, r->key) && topo_may_exist(g->topo, e->fn, e->ev, r);
}

static bool excluded(const OEdge *const *x, int n, const OEdge *e) {
    for (int i = 0; i < n; i++)
        if (x[i] == e) return true;
    return false;
}

/* One edge per pair of the cycle: the fewest gates, a thread's before
 * main's; an edge that cannot meet the others' threads gives way to
 * another of its pair. */
static bool choose_edges(Cycles *c, const OEdge **chosen) {
    LGlobal *g = c->g;
    const OEdge *out[16];
    int nout = 0;
    for (;;) {
        bool multi = false;
        for (int i = 0; i < c->npath; i++) {
            const Pair *pr = &c->pairs[c->path_pair[i]];
            chosen[i] = NULL;
            for (int q = 0; q < pr->edges.len; q++) {
                const OEdge *e = &g->edges.data[pr->edges.data[q]];
                if (!reachable_edge(g, e) || excluded(out, nout, e)) continue;
                bool better = !chosen[i] || (e->ngates < chosen[i]->ngates) ||
                              ((runs(g, e->fn) & RUNS_THREAD) && !(runs(g, chosen[i]->fn) & RUNS_THREAD));
                if (better) chosen[i] = e;
            }
            if (!chosen[i]) return false;
            multi |= (runs(g, chosen[i]->fn) & RUNS_THREAD) != 0;
        }
        if (!multi) return false; /* every edge only in main: one thread */
        const OEdge *bad = NULL;
        for (int i = 0; i < c->npath && !bad; i++)
            for (int j = 0; j < c->npath && !bad; j++)
                if (i != j && !can_meet(g, chosen[i], chosen[j])) bad = chosen[i];
        if (!bad) break;
        if (nout == 16) return false;
        out[nout++] = bad;
    }
    for (int k = 0; k < chosen[0]->ngates; k++) {
        bool all = true;
        for (int i = 1; i < c->npath && all; i++) all = gated_by(chosen[i], chosen[0]->gates[k]);
        if (all) return false;
    }
    return true;
}

typedef VEC(FlowStep) StepVec;

static void chain_steps(const Hop *h, StepVec *steps, int depth) {
    for (; h; h = h->next) vec_push(steps, ((FlowStep){h->loc, h->arg ? internf(h->msg, h->arg) : h->msg, depth}));
}

/* One thread's flow: from its root down to fn, then the two acquisitions. */
static Flow thread_flow(LGlobal *g, const OEdge *e, int n) {
    StepVec steps = {0};
    const Function *up[64];
    Loc calls[64];
    int depth = 0;
    for (const Function *f = e->fn; f && depth < 64; f = topo_parent(g->topo, f, NULL)) {
        up[depth] = f;
        topo_parent(g->topo, f, &calls[depth]);
        depth++;
        if (!topo_parent(g->topo, f, NULL)) break;
    }
    vec_push(&steps, ((FlowStep){up[depth - 1]->loc, internf("thread runs '%s'", up[depth - 1]->name), 0}));
    for (int i = depth - 2; i >= 0; i--)
        vec_push(&steps, ((FlowStep){calls[i], internf("calls '%s'", up[i]->name), depth - 1 - i}));
    /* The held lock was taken somewhere along the chain (maybe inside the
     * first callee): before the first later step of the same file. */
    StepVec chain = {0};
    chain_steps(e->chain, &chain, depth - 1);
    int at = chain.len > 1 ? chain.len - 1 : 0;
    for (int i = 1; i < chain.len - 1; i++) {
        Loc l = chain.data[i].loc;
        if (l.file == e->from_at.file && (l.line > e->from_at.line || (l.line == e->from_at.line && l.col > e->from_at.col))) {
            at = i;
            break;
        }
    }
    for (int i = 0; i <= chain.len; i++) {
        if (i == at) vec_push(&steps, ((FlowStep){e->from_at, internf("%s acquired", q(e->from_name)), depth - 1}));
        if (i < chain.len) vec_push(&steps, chain.data[i]);
    }
    free(chain.data);
    if (steps.len && steps.data[steps.len - 1].loc.line == e->to_at.line)
        steps.data[steps.len - 1].msg = internf("%s acquired while %s is held", q(e->to_name), q(e->from_name));
    return (Flow){internf("thread %d", n + 1), steps.data, steps.len};
}

static int cmp_loc(Loc a, Loc b) {
    int r = strcmp(a.file ? a.file : "", b.file ? b.file : "");
    if (r) return r;
    if (a.line != b.line) return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

static void report_cycle(Cycles *c, const OEdge **e) {
    LGlobal *g = c->g;
    int n = c->npath;
    /* The closing acquisition: the last in source order. */
    int last = 0;
    for (int i = 1; i < n; i++)
        if (cmp_loc(e[i]->to_at, e[last]->to_at) > 0) last = i;
    char msg[2048];
    size_t o = (size_t)snprintf(msg, sizeof msg, "lock order %s: %s then %s here", n == 2 ? "inversion" : "cycle",
                                q(e[last]->from_name), q(e[last]->to_name));
    for (int k = 1; k < n && o < sizeof msg; k++) {
        const OEdge *x = e[(last + k) % n];
        o += (size_t)snprintf(msg + o, sizeof msg - o, ", %s then %s in '%s'", q(x->from_name), q(x->to_name), x->where);
    }
    if (o < sizeof msg) snprintf(msg + o, sizeof msg - o, " (potential deadlock)");
    Finding f = {.rule = g->order, .loc = e[last]->to_at, .message = xstrdup(msg)};
    f.related = xcalloc(2 * n, sizeof(Related));
    f.flows = xcalloc(n, sizeof(Flow));
    for (int k = 0; k < n; k++) {
        const OEdge *x = e[(last + k) % n];
        f.related[f.nrelated++] = (Related){x->from_at, internf("%s acquired here", q(x->from_name))};
        f.related[f.nrelated++] = (Related){x->to_at, internf("%s acquired here while %s is held", q(x->to_name), q(x->from_name))};
        f.flows[f.nflows] = thread_flow(g, x, f.nflows);
        f.nflows++;
    }
    const char *parts[MAX_CYCLE];
    for (int k = 0; k < n; k++) parts[k] = internf("lock:%s", id_object(NULL, (Path){e[k]->from, NULL, NULL}));
    f.identity = finding_identity(g->order->id, parts, n, true);
    family_report(g->r, f);
}

static void try_cycle(Cycles *c) {
    Found f = {.n = c->npath, .order = c->found.len};
    if (!choose_edges(c, f.e)) return;
    vec_push(&c->found, f);
    for (int i = 0; i < c->npath; i++) c->covered[c->path_pair[i]] = true;
}

/* The shortest way from node `from` to node `to` within their component,
 * as pairs into path_pair[at..]: its length, 0 if none, -1 past `max`. */
static int shortest_way(Cycles *c, int from, int to, int at, int max, int *prev, int *queue) {
    for (int i = 0; i < c->nnodes; i++) prev[i] = -1;
    int head = 0, tail = 0;
    queue[tail++] = from, prev[from] = -2;
    while (head < tail && prev[to] == -1 && c->budget-- > 0) {
        int u = queue[head++];
        for (int k = c->succ_start[u]; k < c->succ_start[u + 1]; k++) {
            int v = c->pairs[k].to;
            if (prev[v] != -1 || c->comp[v] != c->comp[from]) continue;
            prev[v] = k, queue[tail++] = v;
        }
    }
    if (prev[to] == -1) return 0;
    int n = 0;
    for (int v = to; v != from; v = c->pairs[prev[v]].from) n++;
    if (n > max) return -1;
    int i = at + n;
    for (int v = to; v != from; v = c->pairs[prev[v]].from) {
        c->path_pair[--i] = prev[v];
        c->path[i] = c->pairs[prev[v]].from;
    }
    return n;
}

/* Cycles longer than SEARCH_CYCLE, which are too many to list: for each
 * pair in a cycle of the graph that no shorter cycle found uses, the
 * shortest cycle through it (five threads each taking two of five locks
 * in a ring deadlock as surely as two taking two). */
static void long_cycles(Cycles *c) {
    int *prev = xmalloc(sizeof(int) * ((size_t)c->nnodes + 1)), *queue = xmalloc(sizeof(int) * ((size_t)c->nnodes + 1));
    bool too_long = false;
    for (int k = 0; k < c->npairs && c->budget > 0; k++) {
        const Pair *pr = &c->pairs[k];
        if (c->covered[k] || pr->from == pr->to || c->comp[pr->from] != c->comp[pr->to]) continue;
        c->path[0] = pr->from, c->path_pair[0] = k;
        int n = shortest_way(c, pr->to, pr->from, 1, MAX_CYCLE - 1, prev, queue);
        too_long |= n < 0;
        if (n <= 0 || n + 1 <= SEARCH_CYCLE) continue; /* (a short one was searched: not feasible) */
        c->npath = n + 1;
        try_cycle(c);
    }
    if (too_long)
        family_note(c->g->r, (Loc){0}, "did not report lock-order cycles longer than " STR(MAX_CYCLE) " locks");
    free(prev), free(queue);
}

/* Shortest first; qsort is not stable, so discovery order breaks ties. */
static int by_length(const void *a, const void *b) {
    const Found *x = a, *y = b;
    return x->n != y->n ? x->n - y->n : x->order - y->order;
}

static bool pair_used(const Found *used, int nused, const OEdge *e) {
    for (int i = 0; i < nused; i++)
        for (int k = 0; k < used[i].n; k++)
            if (used[i].e[k]->from == e->from && used[i].e[k]->to == e->to) return true;
    return false;
}

/* Shortest cycles first, and each ordered pair of locks in one finding: a
 * longer cycle through an inversion already reported adds nothing. */
static void report_found(Cycles *c) {
    if (c->found.len) qsort(c->found.data, c->found.len, sizeof(Found), by_length);
    Found *kept = xcalloc(c->found.len + 1, sizeof(Found));
    int nkept = 0;
    for (int i = 0; i < c->found.len; i++) {
        Found *f = &c->found.data[i];
        bool fresh = true;
        for (int k = 0; k < f->n && fresh; k++) fresh = !pair_used(kept, nkept, f->e[k]);
        if (!fresh) continue;
        kept[nkept++] = *f;
        c->npath = f->n;
        report_cycle(c, f->e);
    }
    free(kept);
}

/* Elementary cycles whose smallest node is path[0], c->length long. */
static void dfs(Cycles *c, int u) {
    if (c->budget-- <= 0) return;
    for (int k = c->succ_start[u]; k < c->succ_start[u + 1]; k++) {
        int v = c->pairs[k].to;
        if (c->comp[v] != c->comp[u]) continue; /* no way back to path[0] */
        c->path_pair[c->npath - 1] = k;
        if (v == c->path[0]) {
            if (c->npath == c->length) try_cycle(c);
            continue;
        }
        if (v <= c->path[0] || c->npath >= c->length) continue;
        bool on = false;
        for (int j = 0; j < c->npath && !on; j++) on = c->path[j] == v;
        if (on) continue;
        c->path[c->npath++] = v;
        dfs(c, v);
        c->npath--;
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int by_from_then_first(const void *a, const void *b) {
    const Pair *x = a, *y = b;
    return x->from != y->from ? x->from - y->from : x->first - y->first;
}

/* Nodes, pairs and successor lists, in O(E log E). */
static void build_graph(Cycles *c) {
    LGlobal *g = c->g;
    int ne = g->edges.len;
    c->nodes = xmalloc(sizeof(char *) * (2 * ne + 1));
    for (int i = 0; i < ne; i++) c->nodes[c->nnodes++] = g->edges.data[i].from, c->nodes[c->nnodes++] = g->edges.data[i].to;
    if (c->nnodes) qsort(c->nodes, c->nnodes, sizeof(char *), cmp_str);
    int n = 0;
    for (int i = 0; i < c->nnodes; i++)
        if (!n || strcmp(c->nodes[n - 1], c->nodes[i])) c->nodes[n++] = c->nodes[i];
    c->nnodes = n;
    /* a pair per (from, to), found through a hash of the two node ids */
    size_t cap = 16;
    while (cap < (size_t)ne * 2 + 2) cap *= 2;
    int *slot = xmalloc(sizeof(int) * cap);
    for (size_t i = 0; i < cap; i++) slot[i] = -1;
    c->pairs = xcalloc(ne + 1, sizeof(Pair));
    for (int k = 0; k < ne; k++) {
        int from = node_of(c, g->edges.data[k].from), to = node_of(c, g->edges.data[k].to);
        size_t h = ((uint64_t)from * 0x9E3779B97F4A7C15ull ^ (uint64_t)to * 0xC2B2AE3D27D4EB4Full) & (cap - 1);
        while (slot[h] >= 0 && (c->pairs[slot[h]].from != from || c->pairs[slot[h]].to != to)) h = (h + 1) & (cap - 1);
        if (slot[h] < 0) slot[h] = c->npairs, c->pairs[c->npairs++] = (Pair){from, to, k, {0}};
        vec_push(&c->pairs[slot[h]].edges, k);
    }
    free(slot);
    if (c->npairs) qsort(c->pairs, c->npairs, sizeof(Pair), by_from_then_first);
    c->succ_start = xcalloc(c->nnodes + 2, sizeof(int));
    for (int k = 0; k < c->npairs; k++) c->succ_start[c->pairs[k].from + 1]++;
    for (int u = 0; u < c->nnodes; u++) c->succ_start[u + 1] += c->succ_start[u];
}

/* The lock graph's strongly connected components (Kosaraju, with explicit
 * stacks): only nodes of one component can lie on a cycle together, so a
 * graph with many locks and no cycle costs nothing to search. */
static void find_components(Cycles *c) {
    int n = c->nnodes, *order = xmalloc(sizeof(int) * (n + 1)), no = 0;
    int *stack = xmalloc(sizeof(int) * (2 * c->npairs + n + 2)), *next = xcalloc(n + 1, sizeof(int));
    bool *seen = xcalloc(n + 1, 1);
    for (int r = 0; r < n; r++) { /* finishing order on the graph */
        if (seen[r]) continue;
        int sp = 0;
        stack[sp++] = r, seen[r] = true, next[r] = c->succ_start[r];
        while (sp) {
            int u = stack[sp - 1];
            if (next[u] < c->succ_start[u + 1]) {
                int v = c->pairs[next[u]++].to;
                if (!seen[v]) seen[v] = true, next[v] = c->succ_start[v], stack[sp++] = v;
            } else {
                order[no++] = u, sp--;
            }
        }
    }
    /* predecessors, then components in reverse finishing order */
    int *pred_start = xcalloc(n + 2, sizeof(int)), *pred = xmalloc(sizeof(int) * (c->npairs + 1));
    for (int k = 0; k < c->npairs; k++) pred_start[c->pairs[k].to + 1]++;
    for (int u = 0; u < n; u++) pred_start[u + 1] += pred_start[u];
    int *fill = xmalloc(sizeof(int) * (n + 1));
    memcpy(fill, pred_start, sizeof(int) * (n + 1));
    for (int k = 0; k < c->npairs; k++) pred[fill[c->pairs[k].to]++] = c->pairs[k].from;
    c->comp = xmalloc(sizeof(int) * (n + 1));
    for (int u = 0; u < n; u++) c->comp[u] = -1;
    int ncomp = 0;
    for (int i = no - 1; i >= 0; i--) {
        int r = order[i], sp = 0;
        if (c->comp[r] >= 0) continue;
        stack[sp++] = r, c->comp[r] = ncomp;
        while (sp) {
            int u = stack[--sp];
            for (int k = pred_start[u]; k < pred_start[u + 1]; k++)
                if (c->comp[pred[k]] < 0) c->comp[pred[k]] = ncomp, stack[sp++] = pred[k];
        }
        ncomp++;
    }
    free(order), free(stack), free(next), free(seen), free(pred_start), free(pred), free(fill);
}

/* Whether some edge runs in a thread: a cycle of main's edges alone is
 * one thread's, and no search is needed. */
static bool any_thread_edge(LGlobal *g) {
    for (int i = 0; i < g->edges.len; i++)
        if (runs(g, g->edges.data[i].fn) & RUNS_THREAD) return true;
    return false;
}

/* `a[1]` with each `[]` for every subscript: the array's summary node. */
static const char *summary_node(const char *elem) {
    char buf[512];
    size_t o = 0;
    for (const char *q = elem; *q && o + 3 < sizeof buf; q++) {
        if (q[0] == '[' && q[1] >= '0' && q[1] <= '9') {
            while (*q && *q != ']') q++;
            buf[o++] = '[', buf[o++] = ']';
            if (!*q) break;
            continue;
        }
        buf[o++] = *q;
    }
    buf[o] = 0;
    return intern(buf);
}

static bool is_element(const char *node) {
    for (const char *q = strchr(node, '['); q; q = strchr(q + 1, '['))
        if (q[1] >= '0' && q[1] <= '9') return true;
    return false;
}

/* An edge of some element of an array (`a[i]`, the summary node `a[]`) is
 * also an edge of each element named by a constant elsewhere (`a[1]`). */
static void element_edges(LGlobal *g) {
    PtrMap elems = {0}; /* summary node -> VEC of element nodes */
    typedef VEC(const char *) Names;
    for (int i = 0; i < g->edges.len; i++) {
        const char *ends[2] = {g->edges.data[i].from, g->edges.data[i].to};
        for (int k = 0; k < 2; k++) {
            if (!is_element(ends[k])) continue;
            void **slot = ptrmap_slot(&elems, summary_node(ends[k]), true);
            if (!*slot) *slot = xcalloc(1, sizeof(Names));
            Names *v = *slot;
            bool dup = false;
            for (int q = 0; q < v->len && !dup; q++) dup = v->data[q] == ends[k];
            if (!dup && v->len < 16) vec_push(v, ends[k]);
        }
    }
    if (!elems.used) return;
    for (int side = 0; side < 2; side++)
        for (int i = 0, n = g->edges.len; i < n; i++) {
            OEdge e = g->edges.data[i];
            const Names *v = ptrmap_get(&elems, side ? e.to : e.from);
            for (int q = 0; v && q < v->len; q++) {
                OEdge x = e;
                if (side) x.to = v->data[q];
                else x.from = v->data[q];
                if (x.from != x.to) vec_push(&g->edges, x);
            }
        }
    for (size_t i = 0; i < elems.cap; i++)
        if (elems.keys[i]) free(((Names *)elems.vals[i])->data), free(elems.vals[i]);
    ptrmap_free(&elems);
}

static void find_cycles(LGlobal *g, Program *p) {
    if (!any_thread_edge(g)) return;
    element_edges(g);
    Cycles c = {.g = g, .p = p, .budget = 200000};
    build_graph(&c);
    find_components(&c);
    c.path = xmalloc(sizeof(int) * (MAX_CYCLE + 1));
    c.path_pair = xmalloc(sizeof(int) * (MAX_CYCLE + 1));
    /* Shortest cycles first, all of them: a budget spent on long ones must
     * not hide an inversion of two locks. */
    c.covered = xcalloc((size_t)c.npairs + 1, 1);
    for (c.length = 2; c.length <= SEARCH_CYCLE && c.budget > 0; c.length++)
        for (int u = 0; u < c.nnodes; u++) {
            c.path[0] = u, c.npath = 1;
            dfs(&c, u);
        }
    if (c.budget > 0) long_cycles(&c);
    if (c.budget <= 0) family_note(g->r, (Loc){0}, "stopped searching the lock-order graph for cycles (too many paths)");
    report_found(&c);
    for (int k = 0; k < c.npairs; k++) free(c.pairs[k].edges.data);
    free(c.pairs), free(c.succ_start), free(c.path_pair), free(c.comp), free(c.covered);
    free(c.nodes), free(c.path), free(c.found.data);
}

/* Edges between parameters' locks of functions nobody calls: named by class. */
static void uncalled_edges(LGlobal *g, Program *p) {
    for (int i = 0; i < p->nfuncs; i++) {
        LockSummary *s = summary(g, p->funcs[i]);
        if (s->called) continue;
        for (int k = 0; k < s->effects.len; k++) {
            LEffect *ef = &s->effects.data[k];
            if (ef->kind != LE_EDGE) continue;
            const char *a = identity_or_class(ef->from), *b = identity_or_class(ef->lock);
            if (a && b && a != b && ef->from.cls && ef->lock.cls && !one_lock_class(g, ef->from.cls, ef->lock.cls))
                vec_push(&g->edges, ((OEdge){a, b, ef->from_name, ef->name, ef->where, ef->from_at, ef->at, ef->at,
                                             ef->chain, p->funcs[i], NULL, {0}, 0, {0}, 0}));
        }
    }
}

/* --------------------------------------------------- recursion groups */

#define SHARED_LOCK ((void *)-1)

/* Whether local `root` of fn is a copy of a field (`il = lck->priv`):
 * what it points to is reached through that field. */
static bool copied_from_field(const Function *fn, const char *root) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind == EV_ASSIGN && ev->args[0].path.key == root && ev->args[1].kind == OPND_PATH &&
                strchr(ev->args[1].path.key, '*'))
                return true;
        }
    return false;
}

/* The lock classes fn takes through a pointer to their own object
 * (`&q->lock`, q a parameter, a global or a local that is no copy of a
 * field). */
static void note_taken_directly(LGlobal *g, const Function *fn) {
    for (int k = 0; k < fn->ncallev; k++) {
        const ModelOp *m = model_op(program_call_model_at(fn, k), OP_LOCK); /* a lock's event only */
        const Event *ev = m ? fn->callev[k] : NULL;
        if (!m || m->handle < 0 || m->handle >= ev->nargs || ev->args[m->handle].kind != OPND_ADDR) continue;
        Path lk = ev->args[m->handle].path;
        const char *end = path_root_end(lk.key);
        if (!lk.cls || lk.cls[0] == '@' || *end != '*' || strchr(end + 1, '*')) continue;
        const char *root = path_root(lk.key);
        if (path_is_frame_local(root) && copied_from_field(fn, root)) continue;
        *ptrmap_slot(&g->taken_directly, class_base(lk.cls), true) = (void *)1;
    }
}

/* Locks that functions of one recursive cycle take, and no other code does
 * (directly): with two or more such locks, the cycle's locks form a group.
 * owner: identity -> the first function of its only recursive cycle, or
 * SHARED_LOCK; mine: fn's cycle's first function, or SHARED_LOCK outside one. */
static void note_group_locks(PtrMap *owner, const Function *fn, void *mine) {
    for (int k = 0; k < fn->ncallev; k++) {
        const ModelOp *m = model_op(program_call_model_at(fn, k), OP_LOCK); /* a lock's event only */
        const Event *ev = m ? fn->callev[k] : NULL;
        State none = {0};
        Path lk;
        if (!m || m->handle < 0 || m->handle >= ev->nargs || !pointee(&none, &ev->args[m->handle], &lk)) continue;
        const char *id = identity(is_heap(lk.key) ? class_path(lk) : lk);
        if (!id) continue;
        void **slot = ptrmap_slot(owner, id, true);
        *slot = !*slot || *slot == mine ? mine : SHARED_LOCK;
    }
}

static void find_groups(LGlobal *g, PtrMap *owner) {
    PtrMap count = {0}; /* cycle -> how many locks it owns */
    for (size_t i = 0; i < owner->cap; i++)
        if (owner->keys[i] && owner->vals[i] != SHARED_LOCK) (*(intptr_t *)ptrmap_slot(&count, owner->vals[i], true))++;
    for (size_t i = 0; i < owner->cap; i++) { /* groups of two or more locks */
        if (!owner->keys[i] || owner->vals[i] == SHARED_LOCK || (intptr_t)ptrmap_get(&count, owner->vals[i]) < 2) continue;
        const Function *first = owner->vals[i];
        *ptrmap_slot(&g->group_of, owner->keys[i], true) = (void *)internf("@recursion:%s", first->key);
    }
    ptrmap_free(owner), ptrmap_free(&count);
}

static void report_groups(LGlobal *g, Program *p) {
    for (int i = 0; i < g->loops.len; i++) {
        GroupLoop *l = &g->loops.data[i];
        int nlocks = 0;
        for (size_t k = 0; k < g->group_of.cap; k++) nlocks += g->group_of.keys[k] && g->group_of.vals[k] == l->group;
        Function *first = program_function_by_key(p, NULL, intern(l->group + 11));
        const char *fname = first ? first->name : "?";
        Finding f = {.rule = g->order, .loc = l->e.to_at};
        f.message = xasprintf("lock order cycle: %s then %s here, inside the recursive calls of '%s', which take "
                              "%d locks in a circle (potential deadlock)", q(l->e.from_name), q(l->e.to_name), fname, nlocks);
        f.related = xcalloc(2, sizeof(Related));
        f.related[f.nrelated++] = (Related){l->e.from_at, internf("%s acquired here", q(l->e.from_name))};
        f.related[f.nrelated++] = (Related){l->e.to_at, internf("%s acquired here while %s is held", q(l->e.to_name), q(l->e.from_name))};
        f.flows = xcalloc(1, sizeof(Flow));
        f.flows[0] = thread_flow(g, &l->e, 0), f.nflows = 1;
        const char *parts[] = {internf("recursion:%s", fname)};
        f.identity = finding_identity(g->order->id, parts, 1, false);
        family_report(g->r, f);
    }
}

/* ----------------------------------------------------------- the family */

/* A field whose pointers all lead to recursive heap mutexes (`nc->mu`,
 * filled by a factory that makes every mutex recursive, or by an init
 * function given a wrapper's address: coturn's turn_mutex_init_recursive)
 * names recursive mutexes wherever its owner is unknown (the parameter of
 * an entry point points-to cannot follow). */
static void recursive_holders(LGlobal *g) {
    for (int i = 0; i < g->holders.len; i++) {
        const char *objs[MAX_MAY];
        int n = pt_class_targets(g->pt, g->holders.data[i], objs, MAX_MAY);
        bool all = n > 0;
        for (int k = 0; k < n && all; k++) all = recursive_has(g, objs[k]);
        if (!all || recursive_has(g, g->holders.data[i])) continue;
        vec_push(&g->recursive, g->holders.data[i]);
        /* the mutex itself, as a wrapper's lock through the field is named (`struct ports.mutex.mutex*`) */
        const char *pointee = class_extend(g->holders.data[i], "*");
        if (pointee) vec_push(&g->recursive, pointee);
    }
}

static void locks_begin(FamilyRun *r) {
    LGlobal *g = xcalloc(1, sizeof *g);
    g->r = r, g->arena = arena_new();
    g->topo = analysis_topology(family_analysis(r));
    g->pt = analysis_points_to(family_analysis(r));
    g->order = family_rule(r, "lock-order-inversion");
    g->dbl = family_rule(r, "lock-double-acquire");
    g->unheld = family_rule(r, "lock-release-unheld");
    g->atexit = family_rule(r, "lock-held-at-exit");
    Program *p = family_program(r);
    RecParams *recursive_params = xcalloc(p->nfuncs + 1, sizeof(RecParams)); /* callees first */
    PtrMap owner = {0};
    /* One walk over the calls, function by function (in a large program a
     * walk's cost is fetching the IR, not the tests). */
    for (int lo = 0, hi; lo < p->nfuncs; lo = hi) {
        hi = program_scc_end(p, lo);
        void *mine = hi - lo > 1 || p->funcs[lo]->self_call ? (void *)p->funcs[lo] : SHARED_LOCK;
        for (int i = lo; i < hi; i++) {
            find_recursive(g, p->funcs[i], recursive_params);
            note_group_locks(&owner, p->funcs[i], mine);
            note_taken_directly(g, p->funcs[i]);
        }
    }
    recursive_holders(g);
    for (int t = 0; t < p->ntus; t++) /* statics initialized recursive */
        for (int i = 0; i < p->tus[t]->nrecursive_locks; i++) vec_push(&g->recursive, p->tus[t]->recursive_locks[i]);
    for (int i = 0; i < p->nfuncs; i++) free(recursive_params[i].data);
    free(recursive_params);
    find_groups(g, &owner);
    family_set_state(r, g);
}

/* A release of the caller's lock that happens exactly on the paths that
 * return one value (`if (!unlink(p, locked)) unlock(&p->lock);`): the
 * caller's lock is released only when the result says so. */
static void judge_releases(LFx *fx) {
    for (int i = 0; i < fx->sum->effects.len; i++) {
        LEffect *ef = &fx->sum->effects.data[i];
        if (ef->kind != LE_REQ || ef->may || is_class_key(ef->lock.key)) continue;
        bool known = false, ok = true;
        int64_t value = 0;
        for (int k = 0; k < fx->visits.len && ok; k++) { /* the releasing paths return one constant */
            const Visit *v = &fx->visits.data[k];
            int at = visit_index(v->freed, v->nfreed, ef->lock.key);
            if (at < 0) continue;
            if (v->ret.kind != RET_CONST || (known && v->ret.value != value)) ok = false;
            value = v->ret.value, known = true;
        }
        for (int k = 0; k < fx->visits.len && ok && known; k++) { /* the others, another */
            const Visit *v = &fx->visits.data[k];
            if (visit_index(v->freed, v->nfreed, ef->lock.key) >= 0) continue;
            if (v->ret.kind != RET_CONST || v->ret.value == value) ok = false;
        }
        if (ok && known) ef->result_in_ret = true, ef->success = value, ef->success_ne = false;
    }
}

static bool lock_op(const Model *m) {
    for (int i = 0; m && i < m->nops; i++)
        if (m->ops[i].op == OP_LOCK || m->ops[i].op == OP_TRYLOCK || m->ops[i].op == OP_UNLOCK || m->ops[i].op == OP_COND_WAIT)
            return true;
    return false;
}

static bool lock_summary_says(const void *sum) { return ((const LockSummary *)sum)->effects.len > 0; }

static void locks_function(FamilyRun *r, Function *fn) {
    LGlobal *g = family_state(r);
    /* holding no lock anywhere, unless some family wants its accesses' locksets */
    if (!lockset_wanted(family_analysis(r)) && family_nothing_in(r, fn, lock_op, lock_summary_says)) return;
    LFx fx = {.g = g, .fn = fn, .sum = summary(g, fn), .locksets = !quiet(g) && lockset_wanted(family_analysis(r))};
    find_compared(&fx);
    Client c = {.ctx = &fx, .event = client_event, .result = client_result, .ret = client_ret};
    bool returns;
    if (!engine_run(family_analysis(r), fn, &c, &returns)) family_incomplete(r, fn, "too many paths");
    judge_exits(&fx);
    judge_releases(&fx);
    free(fx.ids.data), free(fx.exits.data), free(fx.visits.data), free(fx.reported.data), free(fx.compared.data);
    free(fx.fresh.data), free(fx.stale.data);
    free(fx.temps_read);
}

/* Whether some caller releases wrapper w's hold, directly or after
 * callers pass it on (returning holding it themselves). */
static bool served(LGlobal *g, const Function *w, PtrMap *seen) {
    if (ptrmap_get(&g->released_by_caller, w)) return true;
    void **mark = ptrmap_slot(seen, w, true);
    if (*mark) return false; /* a cycle of passing on: no release there */
    *mark = (void *)1;
    for (int i = 0; i < g->passes.len; i++)
        if (g->passes.data[i].wrapper == w && served(g, g->passes.data[i].caller, seen)) return true;
    return false;
}

static bool is_served(LGlobal *g, const Function *w) {
    PtrMap seen = {0};
    bool r = served(g, w, &seen);
    ptrmap_free(&seen);
    return r;
}

/* A lock wrapper whose hold no caller ever releases, even after passing it
 * on: the unlock is missing in the deepest such function (the one that got
 * the lock itself or from a wrapper that is released elsewhere). */
static void unreleased_wrappers(LGlobal *g, Program *p) {
    if (!g->atexit) return;
    for (int i = 0; i < p->nfuncs; i++) {
        const Function *fn = p->funcs[i];
        LockSummary *sum = summary(g, fn);
        if (!sum->called || topo_is_start(g->topo, fn) || is_served(g, fn)) continue;
        for (int k = 0; k < sum->effects.len; k++) {
            const LEffect *ef = &sum->effects.data[k];
            if (ef->kind != LE_HOLD || ef->may || ef->result_in_ret || ef->nonblocking || !ef->from_at.line) continue;
            if (ef->source && !is_served(g, ef->source)) continue; /* reported deeper, at its source */
            bool contract = false; /* releases the caller's hold first: held after as it was before */
            for (int q = 0; q < sum->effects.len && !contract; q++)
                contract = sum->effects.data[q].kind == LE_REQ && !sum->effects.data[q].may && sum->effects.data[q].lock.key == ef->lock.key;
            if (contract) continue;
            Finding f = {.rule = g->atexit, .loc = ef->from_at};
            f.message = xasprintf("'%s' is still held when '%s' returns here, and no caller releases it", ef->name, fn->name);
            f.related = xcalloc(1, sizeof(Related));
            f.related[f.nrelated++] = (Related){ef->at, internf("'%s' is acquired here", ef->name)};
            const char *parts[] = {id_function(fn), internf("lock:%s", id_object(fn, ef->lock))};
            f.identity = finding_identity(g->atexit->id, parts, 2, false);
            family_report(g->r, f);
            break;
        }
    }
}

static void locks_finish(FamilyRun *r) {
    LGlobal *g = family_state(r);
    unreleased_wrappers(g, family_program(r));
    uncalled_edges(g, family_program(r));
    if (g->order) find_cycles(g, family_program(r)), report_groups(g, family_program(r));
}

static void locks_end(FamilyRun *r) {
    LGlobal *g = family_state(r);
    free(g->edges.data), free(g->recursive.data), free(g->holders.data), free(g->loops.data);
    ptrmap_free(&g->group_of), ptrmap_free(&g->released_by_caller), ptrmap_free(&g->taken_directly);
    free(g->passes.data);
    arena_free(g->arena);
    free(g);
}

static void summary_free(void *p) {
    LockSummary *sum = p;
    free(sum->effects.data), free(sum->slot);
}

static void summary_dump(FILE *out, const Function *fn, const void *p) {
    static const char *const kinds[] = {"acquires", "returns holding", "releases its caller's", "orders"};
    const LockSummary *sum = p;
    for (int i = 0; i < sum->effects.len; i++) {
        const LEffect *e = &sum->effects.data[i];
        fprintf(out, "  %s ", kinds[e->kind]);
        if (e->kind == LE_EDGE && is_class_key(e->from.key)) fprintf(out, "%.*s -> ", (int)strcspn(e->from.key + 2, "!"), e->from.key + 2);
        else if (e->kind == LE_EDGE) fprintf(out, "%s -> ", display_key(fn, e->from.key));
        if (is_group(e->lock.key)) fprintf(out, "the locks of a recursive cycle (%s)", e->lock.key + 11);
        else if (is_class_key(e->lock.key)) fprintf(out, "%.*s", (int)strcspn(e->lock.key + 2, "!"), e->lock.key + 2);
        else fputs(display_key(fn, e->lock.key), out);
        if (e->shared) fputs(" (shared)", out);
        if (e->nonblocking) fputs(" (tried)", out);
        if (e->after_release) fputs(" (after releasing it)", out);
        if (e->may) fputs(" (maybe)", out);
        if (e->fresh) fputs(" (of memory it allocates)", out);
        guard_print(out, fn, &e->guard);
        if (e->result_in_ret) fprintf(out, " when it returns %s %lld", e->success_ne ? "!=" : "==", (long long)e->success);
        if (e->returns_lock) fputs(" (returns the lock)", out);
        fputc('\n', out);
    }
}

static const char *const lock_rules[] = {"lock-order-inversion", "lock-double-acquire", "lock-release-unheld",
                                         "lock-held-at-exit", NULL};

const Family locks_family = {
    .name = "locks",
    .rules = lock_rules,
    .requires = NEEDS(PASS_NORETURN) | NEEDS(PASS_CALLS) | NEEDS(PASS_TOPOLOGY) | NEEDS(PASS_POINTS_TO),
    .provides = NEEDS(PASS_LOCKSETS),
    .summary_size = sizeof(LockSummary),
    .summary_dump = summary_dump,
    .summary_free = summary_free,
    .ready_first = true,
    .begin = locks_begin,
    .function = locks_function,
    .finish = locks_finish,
    .end = locks_end,
};
