/* topology.c — PASS_TOPOLOGY: the program's threads.
 *
 * Roots: `main` (one instance) and every start routine some create names
 * (directly, or through a function pointer linking resolved). For each
 * function: which roots' threads may run it (a library with neither root
 * is called from anywhere: its uncalled functions count as threads'), the
 * only start routine that runs it (joining those threads ends it), and the
 * first call chain from a root (for code flows). For each start routine:
 * its create sites, and whether several of its threads may run at once.
 *
 * Joins order threads: an engine client follows which routines' threads a
 * path has joined (a join of a handle created for them, or a call to a
 * function that joins them on every path), and records the routines joined
 * on every path to each call and create. A thread created after another
 * routine's threads were joined cannot run beside them. A path that reads
 * a run flag 0 (a global, or a field of the object holding the handle)
 * has no thread of its routine: as good as joined. */
#include <stdlib.h>
#include <string.h>

#include "analyses/engine.h"
#include "analyses/passes.h"
#include "ir/ir.h"

#define MAX_JOINED 8
#define MANY_ROOTS ((const Function *)1)

typedef struct Joined { const char *k[MAX_JOINED]; int n; bool set; } Joined;

/* A create wrapper's parameters: the routine, its argument, the handle's
 * address (-1: not a parameter; start < 0: not a wrapper). */
typedef struct Wrap { int8_t start, arg, handle; } Wrap;

/* What linking says of a call, read once into one array: the passes below
 * walk every call of the program several times each, and going through
 * the event to its link record every time was much of their cost. Kept
 * small (the walks are bound by memory), its targets by index (reading
 * a callee's Function for its index was a cache miss per edge); a join
 * or create model's op is looked up again where one is (rare). */
enum { REC_MAY = 1, REC_MODEL_ENDS = 2, REC_JOIN = 4, REC_CREATE = 8 };
typedef struct CallRec {
    int first, nts;       /* the definitions it may reach: Topology.callee[first .. first + nts) */
    int def;              /* linking's callee (program_call), by index, or -1 */
    uint16_t nargs;
    int16_t start, arg, handle; /* topo_create_args once the wrappers are known; start < 0: no create */
    uint8_t flags;        /* REC_*: may reach others; its model never returns; its model joins; ev's model creates */
} CallRec;

/* What a call creates itself, worked out once (the passes below ask
 * several times per call): the routines it starts, or that it may start
 * any (known once the routines' bits are). */
typedef struct CallCreates { bool any; int8_t n; int r[4]; } CallCreates;

typedef struct Create {
    const Function *creator, *start;
    const Event *ev;      /* the create call */
    Loc at;
    bool in_loop;
    Joined before;        /* routines joined on every path to it */
    const char *handle;   /* the handle's identity, if known */
} Create;

struct Topology {
    const Analysis *a;
    int n;
    bool *is_start, *many;
    uint8_t *runs;
    const Function **parent, **only_root;
    int *parent_call;               /* the parent's call (in Function.callev) that reaches it first */
    CallRec *rec;                   /* every call, by function then Function.callev ... */
    int *rec_base;                  /* ... from each function's first */
    VEC(int) callee;                /* the calls' targets, by index (CallRec.first) */
    VEC(Create) creates;
    VEC(const char *) owner_key;    /* thread handle identity ... */
    VEC(const Function *) owner_fn; /* ... and its start routine */
    PtrMap owner_first;             /* identity -> its first index + 1 in owner_key */
    int *owner_next;                /* the next index with the same identity, or -1 */
    Joined *entry;                  /* per function: joined before every call of it */
    Joined *at_return;              /* per function: joined on every path that returns */
    /* Joined before each event, by Event.id: an index in joined_at, 0 for
     * none (a hash of the event was most of the join client's own cost). */
    uint32_t *at_event, nevents;
    VEC(Joined) joined_at;          /* [1]: nothing joined, which most share */
    bool *joins_seen;               /* per function: some event of it has a record but [1] */
    Arena *arena;                   /* call_creates, the joinables, block_in */
    Wrap *wrap;                     /* per function: the create it wraps, if any */
    /* Which routines' threads may exist, as bits by routine_bit (up to 64
     * routines; past that every thread may exist anywhere). */
    int *routine_bit;               /* per function: its bit as a start routine, or -1 */
    uint64_t *may_create;           /* per function: routines a call of it may create */
    struct CallCreates **call_creates; /* per function, per call (callev): what it creates itself */
    uint64_t *before_entry;         /* per function: routines that may exist when it starts */
    uint64_t **block_in;            /* per function, per block: routines its own code may have created */
    uint64_t *creates_of;           /* per call (as rec): event_creates, once may_create is final */
    struct Joinable **joinable;     /* per function: its creates a join of a local handle ends, or NULL */
    bool bits_ok;
    VEC(const char *) flag_key;     /* a run flag (a global) ... */
    VEC(const Function *) flag_fn;  /* ... and the routine whose threads it says may run */
    VEC(const char *) fflag_cls;    /* a field run flag (a class) ... */
    VEC(const char *) fflag_handle; /* ... and the handle field whose threads it says may run ... */
    VEC(bool) fflag_closed;         /* ... and whether it is a "closed" flag (nonzero: joined) */
};

static bool joined_has(const Joined *j, const char *k) {
    for (int i = 0; i < j->n; i++)
        if (j->k[i] == k) return true;
    return false;
}

static bool joined_add(Joined *j, const char *k) {
    if (joined_has(j, k) || j->n >= MAX_JOINED) return false;
    j->k[j->n++] = k;
    return true;
}

/* What both know (the first time, all of `with`). */
static void joined_meet(Joined *into, const Joined *with) {
    if (!into->set) {
        *into = *with, into->set = true;
        return;
    }
    Joined m = {.set = true};
    for (int i = 0; i < into->n; i++)
        if (joined_has(with, into->k[i])) m.k[m.n++] = into->k[i];
    *into = m;
}

/* ------------------------------------------------------------ identity */

const char *object_identity(Path p) {
    if (path_is_global(p.key)) return p.key; /* globals, and classes (`@^struct q.mu`) */
    if (path_is_frame_local(p.key) || (path_param_index(p.key) >= 0 && strchr(p.key, '*'))) return NULL;
    if (path_param_index(p.key) >= 0) return NULL;
    return class_key(p.cls);
}

/* `fn:key`, memoized: asked for every create and join, on every path
 * the join client explores, and formatting it each time was most of the
 * cost of the places that ask. */
static const char *local_identity(const Function *fn, const char *key) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, fn, key, &hit);
    if (!hit) memo_fill(m, fn, key, internf("%s:%s", fn->key, key));
    return m->r;
}

/* A handle kept in what a parameter points to is known by its field's
 * class, like one in the heap: the creator and the joiner (another thread
 * given the same object) see it through different parameters. */
const char *handle_identity(const Function *fn, Path p) {
    if (path_is_frame_local(p.key)) return local_identity(fn, p.key);
    if (path_param_index(p.key) >= 0 && strchr(p.key, '*') && p.cls && p.cls[0] != '@') return class_key(p.cls);
    return object_identity(p);
}

/* ------------------------------------------------------ roots and reach */

static int idx(const Function *f) { return f->index; }

static const ModelOp *create_op(const Event *ev) { return ev->model ? model_op(ev->model, OP_THREAD_CREATE) : NULL; }

/* A parameter's own value (`$1`), as an argument: its index, else -1. */
static int param_value(const Operand *o) {
    return o->kind == OPND_PATH && !*path_root_end(o->path.key) ? path_param_index(o->path.key) : -1;
}

static const CallRec *rec_of(const Topology *t, const Function *fn, int k) { return &t->rec[t->rec_base[idx(fn)] + k]; }

/* topo_create_args of a call: its model's create (cop), else a call of
 * create wrapper def (an index, -1: none) that reaches nothing else. */
static bool create_args(const Topology *t, const ModelOp *cop, int def, bool may, int nargs, int *start, int *arg,
                        int *handle) {
    int s = -1, a = -1, h = -1;
    if (cop) {
        s = cop->start, a = cop->start_arg, h = cop->handle_out ? cop->handle : -1;
    } else {
        if (def < 0 || may || t->wrap[def].start < 0) return false;
        const Wrap *w = &t->wrap[def];
        s = w->start, a = w->arg, h = w->handle;
    }
    if (s < 0 || s >= nargs) return false;
    *start = s, *arg = a < nargs ? a : -1, *handle = h < nargs ? h : -1;
    return true;
}

/* The same from fn's k-th call's record: a modelled create's are in it
 * from the start (call_rec), a wrapper's from its Wrap. */
static bool rec_create_args(const Topology *t, const Function *fn, int k, int *start, int *arg, int *handle) {
    const CallRec *r = rec_of(t, fn, k);
    if (r->flags & REC_CREATE) {
        *start = r->start, *arg = r->arg, *handle = r->handle;
        return r->start >= 0;
    }
    return create_args(t, NULL, r->def, r->flags & REC_MAY, r->nargs, start, arg, handle);
}

/* The join op of the model linking binds fn's k-th call to, if any. */
static const ModelOp *rec_join(const Topology *t, const Function *fn, int k) {
    return rec_of(t, fn, k)->flags & REC_JOIN ? model_op(program_call(t->a->p, fn->callev[k]).model, OP_THREAD_JOIN) : NULL;
}

/* fn's k-th call's record, from what link resolved (not the event: in a
 * large program, fetching every call event was most of this walk). */
static CallRec call_rec(Topology *t, const Function *fn, int k) {
    Callee c = program_call_at(fn, k);
    const Model *em = program_call_model_at(fn, k);
    const ModelOp *cop = em ? model_op(em, OP_THREAD_CREATE) : NULL;
    int nargs = program_call_nargs_at(fn, k);
    CallRec r = {.first = t->callee.len, .def = c.def ? idx(c.def) : -1, .nargs = nargs, .start = -1, .arg = -1, .handle = -1};
    r.flags = (c.may ? REC_MAY : 0) | (c.model && c.model->noreturn ? REC_MODEL_ENDS : 0) |
              (model_op(c.model, OP_THREAD_JOIN) ? REC_JOIN : 0) | (cop ? REC_CREATE : 0);
    Function *const *ts;
    int n = program_call_targets_at(fn, k, &ts);
    for (int i = 0; i < n; i++)
        if (ts[i]) vec_push(&t->callee, idx(ts[i]));
    r.nts = t->callee.len - r.first;
    int si, ai, hi;
    if ((r.flags & REC_CREATE) && create_args(t, cop, -1, false, nargs, &si, &ai, &hi))
        r.start = (int16_t)si, r.arg = (int16_t)ai, r.handle = (int16_t)hi;
    return r;
}

bool topo_create_args(const Topology *t, const Function *fn, const Event *ev, int *start, int *arg, int *handle) {
    (void)fn;
    const ModelOp *cop = create_op(ev);
    if (ev->kind != EV_CALL) /* no create but a modelled one */
        return cop && create_args(t, cop, -1, false, ev->nargs, start, arg, handle);
    Callee c = program_call(t->a->p, ev);
    return create_args(t, cop, c.def ? idx(c.def) : -1, c.may, ev->nargs, start, arg, handle);
}

/* The same for fn's k-th call, from its record. */
static bool call_create_args(const Topology *t, const Function *fn, int k, int *start, int *arg, int *handle) {
    const CallRec *r = rec_of(t, fn, k); /* argument indices: below nargs, 16 bits like it */
    *start = r->start, *arg = r->arg, *handle = r->handle;
    return r->start >= 0;
}

static void find_wrapper(Topology *t, Function *fn);

/* Every call's record (a wrapper's create arguments come once the
 * wrappers are), and each function's wrapper while its calls are at hand:
 * it reads only its own records and the wrappers of the functions before
 * it, as a walk after all records did. */
static void read_calls(Topology *t, Program *p) {
    t->rec_base = xmalloc(sizeof(int) * ((size_t)p->nfuncs + 1));
    int total = 0;
    for (int i = 0; i < p->nfuncs; i++) t->rec_base[i] = total, total += p->funcs[i]->ncallev;
    t->rec_base[p->nfuncs] = total;
    t->rec = xmalloc(sizeof(CallRec) * ((size_t)total + 1));
    for (int i = 0; i < p->nfuncs; i++) t->wrap[i] = (Wrap){-1, -1, -1};
    for (int i = 0; i < p->nfuncs; i++) {
        for (int k = 0; k < p->funcs[i]->ncallev; k++) t->rec[t->rec_base[i] + k] = call_rec(t, p->funcs[i], k);
        find_wrapper(t, p->funcs[i]);
    }
    t->rec[total] = (CallRec){.first = t->callee.len}; /* where the last function's targets end */
}

/* The wrappers' calls' create arguments (a modelled create has its own). */
static void read_create_args(Topology *t, const Program *p) {
    for (int i = 0; i < p->nfuncs; i++)
        for (int k = 0; k < p->funcs[i]->ncallev; k++) {
            CallRec *r = &t->rec[t->rec_base[i] + k];
            int s, a, h;
            if (!(r->flags & REC_CREATE) && rec_create_args(t, p->funcs[i], k, &s, &a, &h))
                r->start = (int16_t)s, r->arg = (int16_t)a, r->handle = (int16_t)h;
        }
}

/* The routines create ev of fn may start (its argument si): the function
 * it names, each of a choice (`w ? writer : reader`), or the functions
 * stored where it reads one (`fns[i]`); 0 when it names none, or more
 * than max. */
int topo_create_routines(const Program *p, const Function *fn, const Event *ev, int si, Function **out, int max) {
    const Operand *start = &ev->args[si];
    if (start->kind == OPND_PATH) {
        Function *const *ts;
        int n = program_create_starts(p, ev, &ts);
        if (n > max) return 0;
        for (int i = 0; i < n; i++) out[i] = ts[i];
        return n;
    }
    if (start->kind != OPND_UNKNOWN || !start->nalts) {
        out[0] = max > 0 ? program_function_ref(p, fn, start) : NULL;
        return out[0] ? 1 : 0;
    }
    int n = 0;
    for (int i = 0; i < start->nalts; i++) {
        Function *f = program_function_ref(p, fn, &start->alts[i]);
        if (!f || n == max) return 0; /* one we cannot name: the choice is unknown */
        out[n++] = f;
    }
    return n;
}

/* Functions that create a thread running one of their parameters
 * (`mythread_create(&t, worker, arg)` over pthread_create): their calls
 * are creates too. Found callees first (in Program.funcs order), so
 * wrappers of wrappers count. */
static void find_wrapper(Topology *t, Function *fn) {
    for (int k = 0; k < fn->ncallev; k++) {
        const Event *ev = fn->callev[k];
        int s, a, h;
        if (!rec_create_args(t, fn, k, &s, &a, &h) || param_value(&ev->args[s]) < 0) continue;
        t->wrap[idx(fn)] = (Wrap){(int8_t)param_value(&ev->args[s]), (int8_t)(a >= 0 ? param_value(&ev->args[a]) : -1),
                                  (int8_t)(h >= 0 ? param_value(&ev->args[h]) : -1)};
    }
}

/* Create k's CallCreates, its function's array made on its first create. */
static CallCreates *own_creates(Topology *t, const Function *fn, int k) {
    CallCreates **cc = &t->call_creates[idx(fn)];
    if (!*cc) {
        *cc = arena_alloc(t->arena, sizeof(CallCreates) * ((size_t)fn->ncallev + 1));
        memset(*cc, 0, sizeof(CallCreates) * ((size_t)fn->ncallev + 1));
    }
    return &(*cc)[k];
}

/* Start routines, their create sites (and each create's routines, for
 * call_creates), and the handle each create fills. */
static void find_starts(Topology *t, Program *p) {
    read_calls(t, p);
    read_create_args(t, p);
    for (int i = 0; i < p->nfuncs; i++) {
        Function *fn = p->funcs[i];
        for (int k = 0; k < fn->ncallev; k++) {
            const Event *ev = fn->callev[k];
            int si, ai, hi;
            Function *starts[4];
            if (!call_create_args(t, fn, k, &si, &ai, &hi)) continue;
            int ns = topo_create_routines(p, fn, ev, si, starts, 4);
            CallCreates *cc = own_creates(t, fn, k);
            for (int q = 0; q < ns; q++) cc->r[cc->n++] = idx(starts[q]);
            for (int q = 0; q < ns; q++) {
                Function *start = starts[q];
                t->is_start[idx(start)] = true;
                State none = {0};
                Path h;
                const char *id = hi >= 0 && pointee(&none, &ev->args[hi], &h) ? handle_identity(fn, h) : NULL;
                vec_push(&t->creates, ((Create){fn, start, ev, ev->loc, false, {{0}, 0, false}, id}));
                if (id) {
                    vec_push(&t->owner_key, id);
                    vec_push(&t->owner_fn, start);
                }
            }
        }
    }
}

static bool is_main(const Function *f) { return !strcmp(f->name, "main"); }

/* Every definition function i's calls may reach, in order: its calls'
 * targets are one run of Topology.callee, [*lo, *hi). */
static void callees_of(const Topology *t, int i, int *lo, int *hi) {
    *lo = t->rec[t->rec_base[i]].first, *hi = t->rec[t->rec_base[i + 1]].first;
}

/* For each function, the one start routine whose threads run it (or
 * MANY_ROOTS: several, or main). Labels only rise (none, one root, many),
 * so propagating them from every root at once visits each function at
 * most twice, where a walk per root cost the program once per routine. */
static const Function *root_meet(const Function *old, const Function *in) { return !old || old == in ? in : MANY_ROOTS; }

static void find_only_roots(Topology *t, Program *p) {
    int n = p->nfuncs, nstarts = 0;
    for (int i = 0; i < n; i++) nstarts += t->is_start[i];
    if (nstarts == 0 || nstarts > 64) return;
    int *queue = xmalloc(sizeof(int) * (2 * (size_t)n + 1)), head = 0, tail = 0;
    for (int i = 0; i < n; i++) {
        const Function *root = t->is_start[i] ? p->funcs[i] : is_main(p->funcs[i]) ? MANY_ROOTS : NULL;
        if (root && t->only_root[i] != root_meet(t->only_root[i], root))
            t->only_root[i] = root_meet(t->only_root[i], root), queue[tail++] = i;
    }
    while (head < tail) {
        int fi = queue[head++], lo, hi;
        callees_of(t, fi, &lo, &hi);
        for (int q = lo; q < hi; q++) {
            int c = t->callee.data[q];
            const Function *now = root_meet(t->only_root[c], t->only_root[fi]);
            if (now != t->only_root[c]) t->only_root[c] = now, queue[tail++] = c;
        }
    }
    free(queue);
}

/* Which threads can run each function: from `main` (one instance) and from
 * start routines; a program with neither (a library) may be called from
 * anywhere, so its uncalled functions count as start routines. */
static void find_runs(Topology *t, Program *p) {
    int n = p->nfuncs;
    bool *called = xcalloc(n + 1, 1);
    bool any_root = false;
    for (int i = 0; i < n; i++) {
        any_root |= t->is_start[i] || is_main(p->funcs[i]);
        int lo, hi;
        callees_of(t, i, &lo, &hi);
        for (int q = lo; q < hi; q++)
            if (t->callee.data[q] != i) called[t->callee.data[q]] = true;
    }
    int *queue = xmalloc(sizeof(int) * (n + 1));
    for (int pass = 0; pass < 2; pass++) { /* threads first: their chains are the interesting ones */
        int head = 0, tail = 0;
        uint8_t flag = pass == 0 ? RUNS_THREAD : RUNS_MAIN;
        for (int i = 0; i < n; i++) {
            bool root = pass == 0 ? (t->is_start[i] || (!any_root && !called[i])) : is_main(p->funcs[i]);
            if (root && !(t->runs[i] & flag)) t->runs[i] |= flag, queue[tail++] = i;
        }
        while (head < tail) {
            int fi = queue[head++];
            const Function *fn = p->funcs[fi];
            for (int k = 0; k < fn->ncallev; k++) {
                const CallRec *r = rec_of(t, fn, k);
                for (int q = r->first; q < r->first + r->nts; q++) {
                    int ci = t->callee.data[q];
                    if (t->runs[ci] & flag) continue;
                    if (!t->runs[ci]) t->parent[ci] = fn, t->parent_call[ci] = k;
                    t->runs[ci] |= flag;
                    queue[tail++] = ci;
                }
            }
        }
    }
    free(queue), free(called);
}

/* ----------------------------------------------------------------- joins */

typedef struct Jx {
    Topology *t;
    Function *fn;
    Joined ret;
    Joined *loop_joins;  /* per loop: routines its body joins through array elements */
    VEC(const char *) fkey;    /* the field run flags fn reads, as it names them ... */
    VEC(const char *) fhandle; /* ... and the handle of each ... */
    VEC(bool) fclosed;         /* ... and whether it is a closed flag */
} Jx;

/* The tag a join of routine_key's threads puts on a path, and back: both
 * memoized (the client asks on every call event of every path). */
static const char *joined_tag(const char *routine_key) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, routine_key, NULL, &hit);
    if (!hit) memo_fill(m, routine_key, NULL, internf("joined:%s", routine_key));
    return m->r;
}

static const char *tag_routine(const char *tag) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, tag, NULL, &hit);
    if (!hit) memo_fill(m, tag, NULL, intern(tag + 7)); /* after "joined:" */
    return m->r;
}

static void tag_joined(State *s, const char *routine_key) {
    bind_set(s, (Bind){joined_tag(routine_key), VAL_TAG, TAG_JOINED, 0, NULL, false, false, false});
}

static Joined path_joined(const State *s) {
    Joined j = {.set = true};
    for (int i = 0; i < s->binds.len; i++)
        if (s->binds.data[i].kind == VAL_TAG && s->binds.data[i].n == TAG_JOINED)
            joined_add(&j, tag_routine(s->binds.data[i].key));
    return j;
}

/* The record of what is joined before ev, or NULL: most have none. */
static const Joined *joined_record(const Topology *t, const Event *ev) {
    uint32_t i = ev && ev->id && ev->id <= t->nevents ? t->at_event[ev->id] : 0;
    return i ? &t->joined_at.data[i] : NULL;
}

/* The same for an event of fn: in most functions no event has one. */
static Joined joined_before(const Topology *t, const Function *fn, const Event *ev) {
    const Joined *j = t->joins_seen[idx(fn)] ? joined_record(t, ev) : NULL;
    return j ? *j : (Joined){{0}, 0, false};
}

/* After a join of routine r, its run flag is taken as 0 on the path: no
 * thread of r runs, as the flag says where it reads 0. The path that found
 * the flag 0 and skipped the join (`if (running) join(t);`) then agrees
 * with this one, and what both know survives their merge. */
static void flag_cleared(Jx *x, State *s, const Function *r) {
    for (int i = 0; i < x->t->flag_key.len; i++)
        if (x->t->flag_fn.data[i] == r) bind_set(s, (Bind){x->t->flag_key.data[i], VAL_CONST, 0, 0, NULL, false, false, false});
}

/* The handle identities' owners, indexed: joins and field flags look an
 * identity up on every path (a scan was quadratic in the creates). */
static void index_owners(Topology *t) {
    t->owner_next = xmalloc(sizeof(int) * ((size_t)t->owner_key.len + 1));
    for (int i = t->owner_key.len - 1; i >= 0; i--) {
        void **slot = ptrmap_slot(&t->owner_first, t->owner_key.data[i], true);
        t->owner_next[i] = *slot ? (int)(intptr_t)*slot - 1 : -1;
        *slot = (void *)(intptr_t)(i + 1);
    }
}

static int owner_first(const Topology *t, const char *id) {
    return id ? (int)(intptr_t)ptrmap_get(&t->owner_first, id) - 1 : -1;
}

static void on_join(Jx *x, State *s, const Event *ev, const ModelOp *m) {
    if (m->handle < 0 || m->handle >= ev->nargs || ev->args[m->handle].kind != OPND_PATH) return;
    const char *id = handle_identity(x->fn, resolve(s, ev->args[m->handle].path));
    for (int i = owner_first(x->t, id); i >= 0; i = x->t->owner_next[i])
        tag_joined(s, x->t->owner_fn.data[i]->key), flag_cleared(x, s, x->t->owner_fn.data[i]);
}

/* The routines joined before a call, or a shared access (for the race
 * rule): most paths have joined none, and share one record. */
enum { NO_JOINS = 1 };

static void event_joined(Topology *t, const Function *fn, const Event *ev, const Joined *here) {
    if (!ev->id || ev->id > t->nevents) return; /* not the program's: never asked of */
    uint32_t *slot = &t->at_event[ev->id];
    if (*slot == NO_JOINS) return;
    if (!here->n) {
        *slot = NO_JOINS;
        return;
    }
    if (!*slot) {
        vec_push(&t->joined_at, ((Joined){{0}, 0, false}));
        *slot = (uint32_t)t->joined_at.len - 1;
        t->joins_seen[idx(fn)] = true;
    }
    joined_meet(&t->joined_at.data[*slot], here);
}

/* A path that found a routine's run flag 0 has no thread of it running:
 * as good as joined (`if (!running) return; ... join`). */
static void flag_joins(Jx *x, State *s) {
    for (int i = 0; i < x->t->flag_key.len; i++) {
        Bind *b = bind_find(s, x->t->flag_key.data[i]);
        if (b && b->kind == VAL_CONST && !b->n) tag_joined(s, x->t->flag_fn.data[i]->key);
    }
    for (int i = 0; i < x->fkey.len; i++) {
        Bind *b = bind_find(s, resolve_key(s, x->fkey.data[i]));
        bool zero = b && b->kind == VAL_CONST && !b->n, nonzero = b && ((b->kind == VAL_CONST && b->n) || (b->kind == VAL_NE && !b->n));
        if (!(x->fclosed.data[i] ? nonzero : zero)) continue;
        for (int k = owner_first(x->t, x->fhandle.data[i]); k >= 0; k = x->t->owner_next[k])
            tag_joined(s, x->t->owner_fn.data[k]->key);
    }
}

static bool flag_read_known(const Jx *x, const char *key, int flag) {
    for (int i = 0; i < x->fkey.len; i++)
        if (x->fkey.data[i] == key && x->fhandle.data[i] == x->t->fflag_handle.data[flag] &&
            x->fclosed.data[i] == x->t->fflag_closed.data[flag])
            return true;
    return false;
}

/* The field run flags fn reads, by the key it reads them through. */
static void find_flag_reads(Jx *x) {
    const Topology *t = x->t;
    for (int b = 0; t->fflag_cls.len && b < x->fn->nblocks; b++)
        for (int k = 0; k < x->fn->blocks[b].nev; k++) {
            const Event *ev = &x->fn->blocks[b].ev[k];
            if (ev->kind != EV_READ || !ev->args[0].path.cls) continue;
            for (int i = 0; i < t->fflag_cls.len; i++)
                if (!strcmp(ev->args[0].path.cls, t->fflag_cls.data[i]) && !flag_read_known(x, ev->args[0].path.key, i)) {
                    vec_push(&x->fkey, ev->args[0].path.key);
                    vec_push(&x->fhandle, t->fflag_handle.data[i]);
                    vec_push(&x->fclosed, t->fflag_closed.data[i]);
                }
        }
}

static void jx_event(Engine *e, State *s, const Event *ev, const Callee *c) {
    Jx *x = engine_ctx(e);
    flag_joins(x, s);
    if (ev->kind == EV_READ || ev->kind == EV_WRITE) {
        if (!(x->t->a->requested & NEEDS(PASS_ACCESS_JOINS))) return; /* no family reads them */
        Joined here = path_joined(s);
        event_joined(x->t, x->fn, ev, &here);
        return;
    }
    if (ev->kind != EV_CALL) return;
    Joined here = path_joined(s);
    event_joined(x->t, x->fn, ev, &here);
    if (c->model) {
        for (int i = 0; i < c->model->nops; i++)
            if (c->model->ops[i].op == OP_THREAD_JOIN) on_join(x, s, ev, &c->model->ops[i]);
    } else if (c->def && !c->may) { /* joins that may happen do not order threads */
        const Joined *r = &x->t->at_return[idx(c->def)];
        for (int i = 0; r->set && i < r->n; i++) tag_joined(s, r->k[i]);
    }
}

/* A loop joining the elements of a handle array joins the threads its
 * sibling loop created into them: counted from the loop's entry, so the
 * path that runs it zero times does not keep them alive. */
static void jx_begin(Engine *e) {
    Jx *x = engine_ctx(e);
    const Function *fn = x->fn;
    int n = engine_nloops(e);
    x->loop_joins = xcalloc(n + 1, sizeof(Joined));
    for (int i = 0; i < n; i++) {
        const LoopInfo *L = engine_loop(e, i);
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = fn->block_calls[b]; L->body[b] && k < fn->block_calls[b + 1]; k++) {
                const Event *ev = fn->callev[k];
                const ModelOp *m = rec_join(x->t, fn, k);
                if (!m || m->handle < 0 || m->handle >= ev->nargs || ev->args[m->handle].kind != OPND_PATH ||
                    !path_is_weak(ev->args[m->handle].path.key))
                    continue;
                const Function *r = topo_handle_routine(x->t, handle_identity(x->fn, ev->args[m->handle].path));
                if (r) joined_add(&x->loop_joins[i], r->key);
            }
    }
}

static void jx_loop_entry(Engine *e, State *s, int loop) {
    Jx *x = engine_ctx(e);
    for (int i = 0; i < x->loop_joins[loop].n; i++) tag_joined(s, x->loop_joins[loop].k[i]);
}

/* A field flag tested 0 says so on its edge: the merge after the `if`
 * keeps what every path knows, the joined routines, not the test. */
static void jx_branch(Engine *e, State *s) { flag_joins(engine_ctx(e), s); }

static void jx_ret(Engine *e, State *s, const Block *b) {
    Jx *x = engine_ctx(e);
    flag_joins(x, s);
    Joined here = path_joined(s);
    joined_meet(&x->ret, &here);
    (void)b;
}

static bool joins_on_return(const Topology *t, const Function *f) { return f && t->at_return[idx(f)].n > 0; }

static bool names_joiner(const Topology *t, const Program *p, const Function *fn, const Operand *o) {
    if (o->kind != OPND_FUNC) return false;
    const Function *f = program_function_ref(p, fn, o);
    if (f) return joins_on_return(t, f); /* a definition has no model: no need to look one up */
    return o->key && model_op(program_callee_of_key(p, fn, o->key).model, OP_THREAD_JOIN);
}

/* Whether fn can join a thread: a modelled join, or a call (direct, or
 * through a function it names) of a function that returns having joined
 * one. The others join nothing on any path; left unexplored, their calls
 * and returns join nothing, which is what exploring them would find. Most
 * functions of most programs are such, and this pass ran them all. */
static bool names_a_joiner(const Topology *t, const Program *p, const Function *fn, const Event *ev) {
    for (int i = 0; i < ev->nargs; i++)
        if (names_joiner(t, p, fn, &ev->args[i])) return true;
    return false;
}

/* The records first, then the calls' operands: those that join find out
 * without reading the events. */
static bool may_join(const Topology *t, const Program *p, const Function *fn) {
    for (int k = 0; k < fn->ncallev; k++) {
        const CallRec *r = rec_of(t, fn, k);
        if (r->flags & REC_JOIN) return true;
        for (int q = r->first; q < r->first + r->nts; q++)
            if (t->at_return[t->callee.data[q]].n > 0) return true;
    }
    for (int k = 0; fn->call_names_fn && k < fn->ncallev; k++) { /* only where link saw a function named */
        if (!program_call_names_fn_at(fn, k)) continue; /* the event only then */
        const Event *ev = fn->callev[k];
        if (names_a_joiner(t, p, fn, ev) || (ev->fn && names_joiner(t, p, fn, ev->fn))) return true;
    }
    for (int b = 0; fn->names_fn && b < fn->nblocks; b++) /* `s->join = my_join`: rare, so looked for only where link saw one */
        for (int k = 0; k < fn->blocks[b].nev; k++)
            if (fn->blocks[b].ev[k].kind != EV_CALL && names_a_joiner(t, p, fn, &fn->blocks[b].ev[k])) return true;
    return false;
}

/* ---------------------------------------------------------- run flags */

/* A run flag of routine R: a global only ever assigned constants, set
 * nonzero by each of R's creators (which create nothing else) and to 0
 * only by functions that join R's threads, and the flag of no other
 * routine (`running = 1; create(...)` ... `running = 0; join(...)`).
 * Where it reads 0, no thread of R runs: not created yet, or joined. */
static bool is_flag_store(const Event *ev) {
    return ev->kind == EV_ASSIGN && path_is_global_scalar(ev->args[0].path.key);
}

/* The creates by creator and by routine, as chains through the creates
 * (first[f], next[i], -1 ending): the run-flag search asks of a few
 * creates at a time, and scanning them all made it quadratic. */
typedef struct CreateChains { int *by_creator, *by_start, *next_creator, *next_start; } CreateChains;

static CreateChains create_chains(const Topology *t) {
    CreateChains c = {xmalloc(sizeof(int) * ((size_t)t->n + 1)), xmalloc(sizeof(int) * ((size_t)t->n + 1)),
                      xmalloc(sizeof(int) * ((size_t)t->creates.len + 1)), xmalloc(sizeof(int) * ((size_t)t->creates.len + 1))};
    for (int f = 0; f <= t->n; f++) c.by_creator[f] = c.by_start[f] = -1;
    for (int i = t->creates.len - 1; i >= 0; i--) { /* pushed from the back: each chain in the creates' order */
        const Create *cr = &t->creates.data[i];
        c.next_creator[i] = c.by_creator[idx(cr->creator)], c.by_creator[idx(cr->creator)] = i;
        c.next_start[i] = c.by_start[idx(cr->start)], c.by_start[idx(cr->start)] = i;
    }
    return c;
}

static void create_chains_free(CreateChains *c) { free(c->by_creator), free(c->by_start), free(c->next_creator), free(c->next_start); }

static bool creates_routine(const Topology *t, const CreateChains *c, const Function *fn, const Function *start) {
    for (int i = c->by_creator[idx(fn)]; i >= 0; i = c->next_creator[i])
        if (t->creates.data[i].start == start) return true;
    return false;
}

static bool joins_routine(const Topology *t, const Program *p, const Function *fn, const Function *start) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            const ModelOp *m = ev->kind == EV_CALL ? model_op(program_call(p, ev).model, OP_THREAD_JOIN) : NULL;
            if (m && m->handle >= 0 && m->handle < ev->nargs && ev->args[m->handle].kind == OPND_PATH &&
                topo_handle_routine(t, handle_identity(fn, ev->args[m->handle].path)) == start)
                return true;
        }
    return false;
}

/* Whether every create fn makes starts `start`: a flag it sets then
 * speaks of that routine alone. */
static bool creates_only(const Topology *t, const CreateChains *c, const Function *fn, const Function *start) {
    for (int i = c->by_creator[idx(fn)]; i >= 0; i = c->next_creator[i])
        if (t->creates.data[i].start != start) return false;
    return true;
}

static bool run_flag_sets(const Function *fn, const char *key) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (is_flag_store(ev) && ev->args[0].path.key == key && ev->args[1].kind == OPND_CONST && ev->args[1].value) return true;
        }
    return false;
}

/* Whether every store of global key in the program fits a run flag of start. */
/* Every store to a global scalar (a run flag's candidates), by key, in
 * program order: each candidate reads its own stores, not the program. */
typedef struct FlagStore { const Function *fn; const Event *ev; } FlagStore;
typedef VEC(FlagStore) FlagStores;

static PtrMap flag_stores(const Program *p) {
    PtrMap by_key = {0};
    for (int f = 0; f < p->nfuncs; f++) {
        const Function *fn = p->funcs[f];
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                if (!is_flag_store(ev)) continue;
                void **slot = ptrmap_slot(&by_key, ev->args[0].path.key, true);
                if (!*slot) *slot = xcalloc(1, sizeof(FlagStores));
                vec_push((FlagStores *)*slot, ((FlagStore){fn, ev}));
            }
    }
    return by_key;
}

static void flag_stores_free(PtrMap *by_key) {
    for (size_t i = 0; i < by_key->cap; i++)
        if (by_key->keys[i]) free(((FlagStores *)by_key->vals[i])->data), free(by_key->vals[i]);
    ptrmap_free(by_key);
}

static bool run_flag_holds(const Topology *t, const CreateChains *c, const Program *p, const FlagStores *stores,
                           const Function *start) {
    const Function *fn = NULL;
    int role = -1; /* of fn: 1 creator, 0 joiner, 2 neither (computed once it stores the key) */
    for (int i = 0; stores && i < stores->len; i++) {
        const Event *ev = stores->data[i].ev;
        if (stores->data[i].fn != fn) fn = stores->data[i].fn, role = -1;
        if (ev->args[1].kind != OPND_CONST) return false;
        if (role < 0) role = creates_routine(t, c, fn, start) ? 1 : joins_routine(t, p, fn, start) ? 0 : 2;
        if (role != (ev->args[1].value != 0)) return false;
    }
    return true;
}

/* Drops the flags several routines share: 0 in one says nothing of the
 * other's threads once one is joined. */
static void drop_shared_flags(Topology *t) {
    int n = 0;
    for (int i = 0; i < t->flag_key.len; i++) {
        int uses = 0;
        for (int j = 0; j < t->flag_key.len; j++) uses += t->flag_key.data[j] == t->flag_key.data[i];
        if (uses == 1) t->flag_key.data[n] = t->flag_key.data[i], t->flag_fn.data[n++] = t->flag_fn.data[i];
    }
    t->flag_key.len = t->flag_fn.len = n;
}

static void find_run_flags(Topology *t, const Program *p) {
    PtrMap stores = {0}; /* indexed on first need: most creators store no flag candidate */
    bool indexed = false;
    CreateChains chains = create_chains(t);
    for (int i = 0; i < t->creates.len; i++) {
        const Create *cr = &t->creates.data[i];
        /* another create of the routine in the same function, just before:
         * its search found what this one would (it depends on no flag found) */
        bool known = i > 0 && cr->creator == cr[-1].creator && cr->start == cr[-1].start;
        for (int j = 0; j < t->flag_fn.len; j++) known |= t->flag_fn.data[j] == cr->start;
        const Function *fn = cr->creator;
        known |= !fn->sets_global_flag; /* link saw no candidate store: no need to read its events */
        for (int b = 0; b < fn->nblocks && !known; b++)
            for (int k = 0; k < fn->blocks[b].nev && !known; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                /* the value first: the key's text is another cache line */
                if (ev->kind != EV_ASSIGN || ev->args[1].kind != OPND_CONST || !ev->args[1].value || !is_flag_store(ev)) continue;
                bool every = true; /* every creator of the routine sets it */
                for (int c = chains.by_start[idx(cr->start)]; c >= 0 && every; c = chains.next_start[c])
                    every = run_flag_sets(t->creates.data[c].creator, ev->args[0].path.key) &&
                            creates_only(t, &chains, t->creates.data[c].creator, cr->start);
                if (every && !indexed) stores = flag_stores(p), indexed = true;
                if (every && run_flag_holds(t, &chains, p, ptrmap_get(&stores, ev->args[0].path.key), cr->start)) {
                    vec_push(&t->flag_key, ev->args[0].path.key);
                    vec_push(&t->flag_fn, cr->start);
                    known = true;
                }
            }
    }
    flag_stores_free(&stores);
    create_chains_free(&chains);
    drop_shared_flags(t);
}

/* Field run flags: a field of the object that holds a thread handle,
 * set to anything but 0 by every function that creates threads into that
 * handle field (and creates no others), and to 0 only by functions that
 * join it (`o->started = 1` or `o->hdr = h` beside the create). Where it
 * reads 0, the object's threads never started or were joined, as a global
 * run flag says. That a pointer so stored is not null is a leniency. A
 * "closed" flag is the other way round: set to 0 by every creator and to
 * constants but 0 only by joiners (`o->closed = 1; ... join`): where it
 * reads nonzero, the threads were joined. */

/* Whether two fields' classes (`struct s.f!file`) are of one struct. */
static bool same_struct(const char *a, const char *b) {
    const char *ea = strchr(a, '!'), *eb = strchr(b, '!');
    if (!ea) ea = a + strlen(a);
    if (!eb) eb = b + strlen(b);
    const char *da = ea, *db = eb;
    while (da > a && *da != '.') da--;
    while (db > b && *db != '.') db--;
    return da > a && da - a == db - b && !strncmp(a, b, (size_t)(da - a)) && !strcmp(ea, eb);
}

static bool is_field_store(const Event *ev, const char *cls) {
    return ev->kind == EV_ASSIGN && ev->args[0].kind == OPND_PATH && ev->args[0].path.cls &&
           !path_is_global(ev->args[0].path.key) && !strcmp(ev->args[0].path.cls, cls);
}

static bool stores_zero(const Event *ev) { return ev->args[1].kind == OPND_CONST && !ev->args[1].value; }

/* Whether fn creates threads into handle h, and only into it. */
static bool creates_only_into(const Topology *t, const Function *fn, const char *h) {
    bool any = false;
    for (int i = 0; i < t->creates.len; i++)
        if (t->creates.data[i].creator == fn) {
            if (t->creates.data[i].handle != h) return false;
            any = true;
        }
    return any;
}

static bool joins_handle(const Program *p, const Function *fn, const char *h) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            const ModelOp *m = ev->kind == EV_CALL ? model_op(program_call(p, ev).model, OP_THREAD_JOIN) : NULL;
            if (m && m->handle >= 0 && m->handle < ev->nargs && ev->args[m->handle].kind == OPND_PATH &&
                handle_identity(fn, ev->args[m->handle].path) == h)
                return true;
        }
    return false;
}

/* Whether fn reaches through the pointer at key (`o*.hdr*.refs`). */
static bool derefs(const Function *fn, const char *key) {
    size_t n = strlen(key);
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            for (int i = 0; i < ev->nargs; i++)
                if ((ev->args[i].kind == OPND_PATH || ev->args[i].kind == OPND_ADDR) &&
                    !strncmp(ev->args[i].path.key, key, n) && ev->args[i].path.key[n] == '*')
                    return true;
        }
    return false;
}

/* A creator's store that says a thread may run: a constant but 0, or a
 * pointer it then reaches through (not null, or it would crash); a
 * number it copies (`w->idx = i`) may be 0. */
static bool sets_nonzero(const Function *fn, const Event *ev) {
    if (ev->args[1].kind == OPND_CONST) return ev->args[1].value != 0;
    return derefs(fn, ev->args[0].path.key);
}

/* What a creator stores in a run flag (`o->started = 1`), and a closed
 * flag (`o->closed = 0`). */
static bool sets_running(const Function *fn, const Event *ev, bool closed) {
    return closed ? stores_zero(ev) : sets_nonzero(fn, ev);
}

/* What a joiner stores: 0 in a run flag, a constant but 0 in a closed one. */
static bool sets_joined(const Event *ev, bool closed) {
    return closed ? ev->args[1].kind == OPND_CONST && ev->args[1].value : stores_zero(ev);
}

static bool sets_field(const Function *fn, const char *cls, bool closed) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++)
            if (is_field_store(&fn->blocks[b].ev[k], cls) && sets_running(fn, &fn->blocks[b].ev[k], closed)) return true;
    return false;
}

/* Whether field cls is a run flag of handle h: every creator into h sets
 * it, and every store of it in the program fits. */
static bool field_flag_holds(const Topology *t, const Program *p, const char *cls, const char *h, bool closed) {
    for (int i = 0; i < t->creates.len; i++)
        if (t->creates.data[i].handle == h && !sets_field(t->creates.data[i].creator, cls, closed)) return false;
    for (int f = 0; f < p->nfuncs; f++) {
        const Function *fn = p->funcs[f];
        int role = -1; /* 1: creator, 0: joiner, 2: neither (computed once it stores cls) */
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                if (!is_field_store(ev, cls)) continue;
                if (role < 0) role = creates_only_into(t, fn, h) ? 1 : joins_handle(p, fn, h) ? 0 : 2;
                if (role == 2 || (role == 1 && !sets_running(fn, ev, closed)) || (role == 0 && !sets_joined(ev, closed)))
                    return false;
            }
    }
    return true;
}

static bool field_flag_known(const Topology *t, const char *cls, const char *h) {
    for (int i = 0; i < t->fflag_cls.len; i++)
        if (t->fflag_handle.data[i] == h && !strcmp(t->fflag_cls.data[i], cls)) return true;
    return false;
}

static void find_field_flags(Topology *t, const Program *p) {
    for (int i = 0; i < t->creates.len; i++) {
        const Create *cr = &t->creates.data[i];
        if (!cr->handle || strncmp(cr->handle, "@^", 2)) continue; /* a handle in a field */
        const Function *fn = cr->creator;
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                const char *cls = ev->kind == EV_ASSIGN && ev->args[0].kind == OPND_PATH ? ev->args[0].path.cls : NULL;
                bool closed = cls && stores_zero(ev);
                if (!cls || !is_field_store(ev, cls) || !sets_running(fn, ev, closed) || !strcmp(cls, cr->handle + 2) ||
                    !same_struct(cls, cr->handle + 2) || field_flag_known(t, cls, cr->handle) ||
                    !field_flag_holds(t, p, cls, cr->handle, closed))
                    continue;
                vec_push(&t->fflag_cls, cls);
                vec_push(&t->fflag_handle, cr->handle);
                vec_push(&t->fflag_closed, closed);
            }
    }
}

static void follow_joins(Topology *t, Program *p) {
    for (int i = 0; i < p->nfuncs; i++) {
        Function *fn = p->funcs[i];
        if (!may_join(t, p, fn)) continue;
        Jx x = {t, fn, {{0}, 0, false}, NULL, {0}, {0}, {0}};
        find_flag_reads(&x);
        Client c = {.ctx = &x, .begin = jx_begin, .event = jx_event, .ret = jx_ret, .loop_entry = jx_loop_entry,
                   .branch = jx_branch};
        bool returns;
        engine_run(t->a, fn, &c, &returns);
        t->at_return[i] = x.ret;
        free(x.loop_joins), free(x.fkey.data), free(x.fhandle.data), free(x.fclosed.data);
    }
}

/* Routines joined before every call of each function (and of its
 * callers), top-down: callers come after their callees in Program.funcs. */
static void entry_joins(Topology *t, Program *p) {
    for (int f = p->nfuncs - 1; f >= 0; f--) {
        Function *fn = p->funcs[f];
        Joined mine = t->entry[f];
        if (!mine.set) mine.set = true; /* roots and uncalled functions: nothing joined */
        t->entry[f] = mine;
        for (int k = 0; k < fn->ncallev; k++) {
            const CallRec *r = rec_of(t, fn, k);
            for (int q = r->first; q < r->first + r->nts; q++) {
                int c = t->callee.data[q];
                if (c >= f) continue; /* a call back up a recursive cycle */
                if (t->entry[c].set && !t->entry[c].n) continue; /* nothing left to meet away */
                Joined j = joined_before(t, fn, fn->callev[k]);
                j.set = true;
                for (int m = 0; m < mine.n; m++) joined_add(&j, mine.k[m]);
                joined_meet(&t->entry[c], &j);
            }
        }
    }
}

/* ----------------------------------------------------- creates and many */

static void find_creates(Topology *t) {
    for (int i = 0; i < t->creates.len; i++) {
        Create *cr = &t->creates.data[i];
        const Function *fn = cr->creator;
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = fn->block_calls[b]; k < fn->block_calls[b + 1]; k++) {
                const Event *ev = fn->callev[k];
                if (ev != cr->ev) continue; /* its own call: two creates of one macro share a location */
                cr->in_loop |= block_in_cycle(fn, b);
                Joined j = joined_before(t, fn, ev);
                j.set = true;
                const Joined *en = &t->entry[idx(fn)];
                for (int q = 0; q < en->n; q++) joined_add(&j, en->k[q]);
                cr->before = j;
            }
    }
    /* A thread created by another thread starts after what was joined
     * before its creator was created (a spawner's spawner, to a fixpoint).
     * Each round meets the creates of each routine once (by function
     * index), not once per create. */
    int n = t->n;
    Joined *up = xcalloc((size_t)n + 1, sizeof(Joined));
    int *sites = xcalloc((size_t)n + 1, sizeof(int));
    for (int i = 0; i < t->creates.len; i++) sites[idx(t->creates.data[i].start)]++;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < t->creates.len; i++) up[idx(t->creates.data[i].start)] = (Joined){0};
        for (int i = 0; i < t->creates.len; i++) joined_meet(&up[idx(t->creates.data[i].start)], &t->creates.data[i].before);
        for (int i = 0; i < t->creates.len; i++) {
            Create *cr = &t->creates.data[i];
            const Function *root = topo_only_root(t, cr->creator);
            if (!root || (t->runs[idx(cr->creator)] & RUNS_MAIN)) continue;
            const Joined *u = &up[idx(root)];
            for (int q = 0; q < u->n; q++) changed |= joined_add(&cr->before, u->k[q]);
        }
    }
    /* Several threads of a routine: created at several sites, in a loop,
     * by a function called from several places, or by threads that are
     * themselves many (to a fixpoint: a spawner's spawner). */
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < t->creates.len; i++) {
            Create *cr = &t->creates.data[i];
            if (t->many[idx(cr->start)]) continue;
            if (sites[idx(cr->start)] > 1 || cr->in_loop || topo_creator_repeats(t, cr->creator))
                t->many[idx(cr->start)] = changed = true;
        }
    }
    free(up), free(sites);
}

/* ---------------------------------------------- threads not yet created */

/* What an event starts, as routine bits: a create of R starts R (and what
 * R's threads go on to create); a call, what its callees may create. */
/* Whether create k of fn may start a routine without a bit, from the
 * routines find_starts named (cc->n). */
static bool call_creates_any(const Topology *t, const Function *fn, int k, const CallCreates *cc) {
    int si, ai, hi;
    if (!call_create_args(t, fn, k, &si, &ai, &hi)) return false;
    /* a create wrapper's own create: its callers' calls say which routine */
    bool wrapped = !cc->n && t->wrap[idx(fn)].start >= 0 && param_value(&fn->callev[k]->args[si]) == t->wrap[idx(fn)].start;
    bool any = !wrapped && !cc->n; /* a routine we cannot name */
    for (int q = 0; q < cc->n; q++) any |= t->routine_bit[cc->r[q]] < 0;
    return any;
}

/* call_creates stays NULL for a function that creates nothing itself: most. */
static void find_call_creates(Topology *t, const Program *p, int i) {
    for (int k = 0; t->call_creates[i] && k < p->funcs[i]->ncallev; k++)
        t->call_creates[i][k].any = call_creates_any(t, p->funcs[i], k, &t->call_creates[i][k]);
}

static const CallCreates no_creates;

static const CallCreates *creates_at(const Topology *t, const Function *fn, int k) {
    const CallCreates *cc = t->call_creates[idx(fn)];
    return cc ? &cc[k] : &no_creates;
}

/* What the k-th call of fn starts, as routine bits: a create of R starts R
 * (and what R's threads go on to create); a call, what its callees may.
 * Once may_create is final, creates_of caches it per call. */
static uint64_t event_creates_now(const Topology *t, const Function *fn, int k) {
    const CallCreates *cc = creates_at(t, fn, k);
    if (cc->any) return ~0ull;
    uint64_t bits = 0;
    for (int q = 0; q < cc->n; q++) bits |= 1ull << t->routine_bit[cc->r[q]] | t->may_create[cc->r[q]];
    const CallRec *r = rec_of(t, fn, k);
    for (int q = r->first; q < r->first + r->nts; q++) bits |= t->may_create[t->callee.data[q]];
    return bits;
}

static uint64_t event_creates(const Topology *t, const Function *fn, int k) { return t->creates_of[t->rec_base[idx(fn)] + k]; }

/* Routines fn's own events may have created before event `at`: those of
 * events that can run earlier on some path (in a block that reaches at's
 * block, or earlier in the same block). A forward may-analysis over the
 * blocks gives each block's `in` once; NULL at: anywhere in fn. */
static uint64_t block_events(const Topology *t, const Function *fn, int b, const Event *upto) {
    uint64_t bits = 0;
    for (int k = fn->block_calls[b]; k < fn->block_calls[b + 1] && (!upto || fn->callev[k] < upto); k++)
        bits |= event_creates(t, fn, k);
    return bits;
}

/* The successor of block b on which the create whose result its branch
 * tests failed (`if (pthread_create(...) != 0) goto fail;`), or -1; *k is
 * that create's index among fn's calls. */
static int failed_create_edge(const Function *fn, int b, int *k) {
    const Block *bl = &fn->blocks[b];
    if (bl->term != TERM_BRANCH || bl->end->cond.lhs.kind != OPND_TEMP || bl->end->cond.cmp ||
        (bl->end->cond.rel != REL_EQ && bl->end->cond.rel != REL_NE))
        return -1;
    for (*k = fn->block_calls[b]; *k < fn->block_calls[b + 1]; (*k)++) {
        const Event *ev = fn->callev[*k];
        const ModelOp *m = create_op(ev);
        if (ev->temp != bl->end->cond.lhs.value || !m || !m->has_success || m->success != bl->end->cond.rhs) continue;
        return bl->end->cond.rel == REL_EQ ? 1 : 0; /* the edge where the result is not success */
    }
    return -1;
}

/* What block b's own events create on the edge where the create ki
 * failed: the others'. */
static uint64_t block_events_but(const Topology *t, const Function *fn, int b, int ki) {
    uint64_t bits = 0;
    for (int k = fn->block_calls[b]; k < fn->block_calls[b + 1]; k++)
        if (k != ki) bits |= event_creates(t, fn, k);
    return bits;
}

/* Creates a join ends: into a local handle of the creator (`pthread_t t`,
 * not an array element) whose address nothing but creates takes. A join
 * of that local ends the thread it holds until the handle is written
 * again (a create, an assignment, its lifetime starting again: that
 * thread is then out of reach, still running). Their routines' bits are
 * not in creates_of: they flow only where the thread may still run, so a
 * loop that joins its threads before it goes round does not carry them
 * into the next round (`for (...) { create(&t, w, &a); ...; join(t); }`). */
#define MAX_JOINABLE 64
typedef struct JoinCreate {
    int k;              /* the create's index in Function.callev */
    const char *handle; /* its handle's identity ... */
    const char *root;   /* ... and local root */
    uint64_t bits;      /* routines only its thread stands for */
} JoinCreate;

typedef struct Joinable {
    int n;
    JoinCreate *c;
    uint64_t *in_live, *in_lost; /* per block: those whose thread may run at its start; of them, out of reach */
} Joinable;

/* The local root of create k's handle when it is one a join can end. */
static const char *joinable_root(const Topology *t, const Function *fn, int k) {
    int si, ai, hi;
    const Event *ev = fn->callev[k];
    if (!call_create_args(t, fn, k, &si, &ai, &hi) || hi < 0 || ev->args[hi].kind != OPND_ADDR) return NULL;
    const char *key = ev->args[hi].path.key;
    return path_is_frame_local(key) && !path_is_weak(key) ? path_root(key) : NULL;
}

typedef VEC(const char *) RootVec;

static void addr_roots(const Operand *o, RootVec *out) {
    if (o->kind == OPND_ADDR) vec_push(out, path_root(o->path.key));
    for (int i = 0; i < o->nalts; i++) addr_roots(&o->alts[i], out);
}

/* The roots whose address some event of fn but a create's handle
 * argument takes (a pointer could then write the handle unseen): one
 * walk of fn, however many creates ask. */
static void escaped_roots(const Topology *t, const Function *fn, RootVec *out) {
    for (int b = 0, k = 0; b < fn->nblocks; b++)
        for (int e = 0; e < fn->blocks[b].nev; e++) {
            const Event *ev = &fn->blocks[b].ev[e];
            int call = ev->kind == EV_CALL ? k++ : -1; /* its index in Function.callev */
            bool any = false;
            for (int i = 0; i < ev->nargs && !any; i++) any = ev->args[i].kind == OPND_ADDR || ev->args[i].nalts;
            if (!any) continue; /* most events take no address */
            int si, ai, hi = -1;
            if (call < 0 || !call_create_args(t, fn, call, &si, &ai, &hi)) hi = -1;
            for (int i = 0; i < ev->nargs; i++)
                if (i != hi) addr_roots(&ev->args[i], out);
        }
}

static bool root_in(const RootVec *v, const char *root) {
    for (int i = 0; i < v->len; i++)
        if (v->data[i] == root) return true;
    return false;
}

/* Create k's own routines, less what its event makes otherwise (what
 * they or the callee go on to create): a join ends only those. */
static uint64_t joinable_bits(const Topology *t, const Function *fn, int k) {
    const CallCreates *cc = creates_at(t, fn, k);
    uint64_t own = 0, other = 0;
    for (int q = 0; q < cc->n; q++) own |= 1ull << t->routine_bit[cc->r[q]], other |= t->may_create[cc->r[q]];
    const CallRec *r = rec_of(t, fn, k);
    for (int q = r->first; q < r->first + r->nts; q++) other |= t->may_create[t->callee.data[q]];
    return cc->any ? 0 : own & ~other;
}

static int joinable_index(const Joinable *j, const Function *fn, const Event *ev) {
    for (int c = 0; c < j->n; c++)
        if (fn->callev[j->c[c].k] == ev) return c;
    return -1;
}

/* The same for fn's k-th call. */
static int joinable_at(const Joinable *j, int k) {
    for (int c = 0; c < j->n; c++)
        if (j->c[c].k == k) return c;
    return -1;
}

/* The handle local root is written: its threads are out of reach. */
static void joinable_lose(const Joinable *j, const char *root, uint64_t live, uint64_t *lost) {
    for (int c = 0; c < j->n; c++)
        if (j->c[c].root == root) *lost |= live & 1ull << c;
}

/* One event's effect on the creates' threads; *k: the index in
 * Function.callev of the next call (a call moves it on); `failed`: the
 * create whose failure the path takes (it made no thread). */
static void joinable_step(const Topology *t, const Joinable *j, const Function *fn, const Event *ev, int *k,
                          const Event *failed, uint64_t *live, uint64_t *lost) {
    /* No thread live: nothing to lose or end (most events), only a create to see. */
    if ((ev->kind == EV_ASSIGN || ev->kind == EV_DECL) && ev->args[0].kind == OPND_PATH) {
        if (*live) joinable_lose(j, path_root(ev->args[0].path.key), *live, lost);
        return;
    }
    if (ev->kind != EV_CALL) return;
    int call = (*k)++;
    for (int i = 0; *live && i < ev->nargs; i++) /* only creates take a handle's address: what it held is out of reach */
        if (ev->args[i].kind == OPND_ADDR) joinable_lose(j, path_root(ev->args[i].path.key), *live, lost);
    int c = joinable_at(j, call);
    if (c >= 0) {
        if (ev != failed) *live |= 1ull << c;
        return;
    }
    if (!*live) return;
    const ModelOp *m = rec_join(t, fn, call);
    if (!m || m->has_success || m->handle < 0 || m->handle >= ev->nargs || ev->args[m->handle].kind != OPND_PATH)
        return; /* a try or timed join may leave the thread running */
    const char *id = handle_identity(fn, ev->args[m->handle].path);
    for (int q = 0; q < j->n; q++)
        if (j->c[q].handle == id) *live &= ~(1ull << q) | *lost;
}

/* Block b's events before `upto` (NULL: all), from its start's facts. */
static void joinable_block(const Topology *t, const Joinable *j, const Function *fn, int b, const Event *upto,
                           const Event *failed, uint64_t *live, uint64_t *lost) {
    *live = j->in_live[b], *lost = j->in_lost[b];
    const Block *bl = &fn->blocks[b];
    int k = fn->block_calls[b];
    for (int e = 0; e < bl->nev && &bl->ev[e] != upto; e++) joinable_step(t, j, fn, &bl->ev[e], &k, failed, live, lost);
}

static uint64_t joinable_routines(const Joinable *j, uint64_t live) {
    uint64_t bits = 0;
    for (int c = 0; c < j->n; c++)
        if (live >> c & 1) bits |= j->c[c].bits;
    return bits;
}

/* A walk of block b's events in order: the routines of the joinable
 * creates whose threads may run before each event asked for. A block's
 * calls come in order, so one walk answers them all. */
typedef struct JoinWalk { const Joinable *j; const Block *bl; int e, k; uint64_t live, lost; } JoinWalk;

static void joinwalk_start(const Topology *t, const Function *fn, int b, JoinWalk *w) {
    w->j = t->joinable[idx(fn)], w->bl = &fn->blocks[b], w->e = 0, w->k = fn->block_calls[b];
    w->live = w->j ? w->j->in_live[b] : 0, w->lost = w->j ? w->j->in_lost[b] : 0;
}

static uint64_t joinwalk_before(const Topology *t, const Function *fn, JoinWalk *w, const Event *at) {
    if (!w->j) return 0;
    for (; w->e < w->bl->nev && &w->bl->ev[w->e] != at; w->e++)
        joinable_step(t, w->j, fn, &w->bl->ev[w->e], &w->k, NULL, &w->live, &w->lost);
    return joinable_routines(w->j, w->live);
}

/* The routines of fn's joinable creates whose threads may run at event
 * `at` of block b. */
static uint64_t joinable_before(const Topology *t, const Function *fn, int b, const Event *at) {
    JoinWalk w;
    joinwalk_start(t, fn, b, &w);
    return joinwalk_before(t, fn, &w, at);
}

/* The handles fn's own plain joins name: a create into another is never
 * ended here, and is left as it was (its threads flow on). */
static void joined_handles(const Topology *t, const Function *fn, RootVec *out) {
    for (int k = 0; k < fn->ncallev; k++) {
        const Event *ev = fn->callev[k];
        const ModelOp *m = rec_join(t, fn, k);
        if (m && !m->has_success && m->handle >= 0 && m->handle < ev->nargs && ev->args[m->handle].kind == OPND_PATH)
            vec_push(out, handle_identity(fn, ev->args[m->handle].path));
    }
}

/* fn's joinable creates (NULL: none), their bits out of creates_of. */
static Joinable *find_joinable(Topology *t, const Function *fn) {
    JoinCreate found[MAX_JOINABLE];
    int n = 0;
    RootVec escaped = {0}, joined = {0};
    bool walked = false;
    joined_handles(t, fn, &joined);
    for (int k = 0; k < fn->ncallev && joined.len; k++) {
        const char *root = joinable_root(t, fn, k);
        uint64_t bits = root ? joinable_bits(t, fn, k) : 0;
        const Event *ev = fn->callev[k];
        int si, ai, hi;
        if (!bits || !call_create_args(t, fn, k, &si, &ai, &hi) || !root_in(&joined, handle_identity(fn, ev->args[hi].path)))
            continue;
        if (!walked) escaped_roots(t, fn, &escaped), walked = true;
        if (root_in(&escaped, root)) continue;
        if (n == MAX_JOINABLE) break;
        found[n++] = (JoinCreate){k, handle_identity(fn, ev->args[hi].path), root, bits};
        t->creates_of[t->rec_base[idx(fn)] + k] &= ~bits;
    }
    free(escaped.data), free(joined.data);
    if (!n) return NULL;
    Joinable *j = arena_alloc(t->arena, sizeof *j); /* sized to what it holds: most hold one */
    j->n = n, j->c = arena_alloc(t->arena, sizeof(JoinCreate) * (size_t)n);
    memcpy(j->c, found, sizeof(JoinCreate) * (size_t)n);
    return j;
}

/* Where each joinable create's thread may run: forward, to a fixpoint
 * (facts only grow); `failed[b]`/`failed_k[b]`: block b's successor on
 * which its create failed, and that create. */
static void find_live(Topology *t, const Function *fn, Joinable *j, const int *failed, const int *failed_k) {
    int nb = fn->nblocks;
    j->in_live = arena_alloc(t->arena, sizeof(uint64_t) * (size_t)(nb + 1));
    j->in_lost = arena_alloc(t->arena, sizeof(uint64_t) * (size_t)(nb + 1));
    bool *dirty = xmalloc((size_t)nb + 1); /* a block is walked again only when its start's facts grew */
    memset(dirty, 1, (size_t)nb + 1);
    for (bool changed = true; changed;) {
        changed = false;
        for (int b = 0; b < nb; b++) {
            if (!dirty[b]) continue;
            dirty[b] = false;
            const Block *bl = &fn->blocks[b];
            uint64_t out_live, out_lost; /* one walk of the block; another for the edge where its create failed */
            joinable_block(t, j, fn, b, NULL, NULL, &out_live, &out_lost);
            for (int s = 0, ns = block_nsucc(bl); s < ns; s++) {
                uint64_t live = out_live, lost = out_lost;
                if (s == failed[b]) joinable_block(t, j, fn, b, NULL, fn->callev[failed_k[b]], &live, &lost);
                int q = bl->succ[s];
                if ((j->in_live[q] | live) == j->in_live[q] && (j->in_lost[q] | lost) == j->in_lost[q]) continue;
                j->in_live[q] |= live, j->in_lost[q] |= lost, changed = dirty[q] = true;
            }
        }
    }
    free(dirty);
}

/* Buffers find_block_in reuses from one function to the next. */
typedef struct Scratch { uint64_t *out, *out_failed; int *failed, *failed_k; } Scratch;

static Scratch scratch_new(const Program *p) {
    size_t most = 1;
    for (int i = 0; i < p->nfuncs; i++)
        if ((size_t)p->funcs[i]->nblocks > most) most = (size_t)p->funcs[i]->nblocks;
    return (Scratch){xmalloc(sizeof(uint64_t) * most), xmalloc(sizeof(uint64_t) * most), xmalloc(sizeof(int) * most),
                     xmalloc(sizeof(int) * most)};
}

static void scratch_free(Scratch *sc) { free(sc->out), free(sc->out_failed), free(sc->failed), free(sc->failed_k); }

/* Whether fn's own calls may create anything (its joinable creates aside). */
static bool creates_anything(const Topology *t, const Function *fn) {
    for (int k = 0; k < fn->ncallev; k++)
        if (event_creates(t, fn, k)) return true;
    return false;
}

static bool has_create_op(const Topology *t, const Function *fn) {
    for (int k = 0; k < fn->ncallev; k++)
        if (rec_of(t, fn, k)->flags & REC_CREATE) return true;
    return false;
}

/* Each block's start: what may have been created before it, forward to
 * the least fixpoint. In block order most edges go forward, so a round
 * settles all but what a back edge brings: another round only then. */
static void flow_blocks(const Function *fn, uint64_t *in, const Scratch *sc) {
    for (bool again = true; again;) {
        again = false;
        for (int b = 0; b < fn->nblocks; b++) {
            const Block *bl = &fn->blocks[b];
            for (int k = 0, ns = block_nsucc(bl); k < ns; k++) { /* block_nsucc, once: a call into another unit */
                int s = bl->succ[k];
                uint64_t flow = in[b] | (k == sc->failed[b] ? sc->out_failed[b] : sc->out[b]); /* no thread where the create failed */
                if ((in[s] | flow) == in[s]) continue;
                in[s] |= flow;
                again |= s <= b; /* a block this round has walked already */
            }
        }
    }
}

/* block_in of fn; left NULL (nothing, everywhere) when its calls create
 * nothing, as most functions' do in most programs. */
static void find_block_in(Topology *t, const Function *fn, Scratch *sc) {
    int nb = fn->nblocks;
    Joinable *j = t->joinable[idx(fn)] = find_joinable(t, fn);
    if (!j && !creates_anything(t, fn)) return;
    bool creates_here = has_create_op(t, fn); /* else no branch tests a create */
    for (int b = 0; b < nb; b++) {
        sc->failed_k[b] = -1;
        sc->out[b] = block_events(t, fn, b, NULL);
        sc->failed[b] = creates_here ? failed_create_edge(fn, b, &sc->failed_k[b]) : -1;
        if (sc->failed[b] >= 0) sc->out_failed[b] = block_events_but(t, fn, b, sc->failed_k[b]);
    }
    if (j) find_live(t, fn, j, sc->failed, sc->failed_k);
    uint64_t *in = arena_alloc(t->arena, sizeof(uint64_t) * (size_t)(nb + 1));
    flow_blocks(fn, in, sc);
    t->block_in[idx(fn)] = in;
}

/* What fn may have created at the start of block b. */
static uint64_t block_in(const Topology *t, const Function *fn, int b) {
    const uint64_t *in = t->block_in[idx(fn)];
    return in ? in[b] : 0;
}

/* The block of fn that holds event ev, or -1. */
static int block_holding(const Function *fn, const Event *ev) {
    for (int b = 0; b < fn->nblocks; b++)
        if (ev >= fn->blocks[b].ev && ev < fn->blocks[b].ev + fn->blocks[b].nev) return b;
    return -1;
}

static uint64_t created_before(const Topology *t, const Function *fn, const Event *at) {
    int b = block_holding(fn, at);
    return b < 0 ? ~0ull : block_in(t, fn, b) | block_events(t, fn, b, at) | joinable_before(t, fn, b, at);
}

/* For each routine bit, the one thread whose own code creates all of its
 * threads: main (MANY_ROOTS stands for it here), a routine's thread that
 * never runs twice at once, or NULL. Computed once: asking per root
 * walked every routine's creates for every uncalled function. */
static const Function **find_owners(const Topology *t) {
    const Function **owner = xcalloc(65, sizeof(Function *));
    bool *mixed = xcalloc(65, 1);
    for (int k = 0; k < t->creates.len; k++) {
        const Create *cr = &t->creates.data[k];
        int bit = t->routine_bit[idx(cr->start)];
        if (bit < 0 || mixed[bit]) continue;
        unsigned runs = t->runs[idx(cr->creator)];
        const Function *root = runs == RUNS_MAIN ? MANY_ROOTS : runs == RUNS_THREAD ? topo_only_root(t, cr->creator) : NULL;
        if (!root || (owner[bit] && owner[bit] != root)) mixed[bit] = true, owner[bit] = NULL;
        else owner[bit] = root;
    }
    free(mixed);
    return owner;
}

/* The routines whose threads only root's own code creates, root being
 * one thread (main, or a routine that never runs twice at once). */
static uint64_t owned_by(const Topology *t, const Function **owner, const Function *root) {
    bool main_root = is_main(root);
    if (!main_root && (t->many[idx(root)] || t->routine_bit[idx(root)] < 0)) return 0;
    uint64_t bits = 0;
    for (int bit = 0; bit < 64; bit++)
        if (owner[bit] && owner[bit] == (main_root ? MANY_ROOTS : root)) bits |= 1ull << bit;
    return bits;
}

/* may_create bottom-up (a recursive cycle until stable), then
 * before_entry top-down over calls and creates: a thread starts after
 * what its creator may have created before the create. */
/* Whether a call never returns (a model's noreturn, or inferred). */
static bool call_ends(const Topology *t, const Function *fn, int k) {
    const CallRec *r = rec_of(t, fn, k);
    Callee c = {.def = r->def >= 0 ? t->a->p->funcs[r->def] : NULL, .may = r->flags & REC_MAY}; /* its model's part is REC_MODEL_ENDS */
    return (r->flags & REC_MODEL_ENDS) || callee_noreturn(t->a, &c, fn->callev[k]);
}

/* For each of fn's calls, whether fn can return after it: a thread
 * created on a path that never returns (a forked child's `fio_backend();
 * _exit(ret);`) does not exist when a call of fn comes back. */
/* Buffers calls_that_return reuses, for the most calls and blocks any
 * function has; out holds an SCC's answers, by function then call. */
typedef struct Returns { bool *ends, *reach, *block_ends, *watch, *out; int *at; size_t cap; } Returns;

static Returns returns_new(const Program *p) {
    size_t calls = 1, blocks = 1;
    for (int i = 0; i < p->nfuncs; i++) {
        if ((size_t)p->funcs[i]->ncallev > calls) calls = (size_t)p->funcs[i]->ncallev;
        if ((size_t)p->funcs[i]->nblocks > blocks) blocks = (size_t)p->funcs[i]->nblocks;
    }
    return (Returns){xmalloc(calls), xmalloc(blocks), xmalloc(blocks), xmalloc(blocks), NULL, NULL, 0};
}

static void returns_free(Returns *r) { free(r->ends), free(r->reach), free(r->block_ends), free(r->watch), free(r->out), free(r->at); }

/* reach[b]: from b's end a return is reachable. Walked backwards, most
 * successors are settled before their block reads them; another round
 * only when a block read as false (a loop's head) became true after. */
static void find_reach(const Function *fn, Returns *r) {
    int nb = fn->nblocks;
    memset(r->reach, 0, (size_t)nb);
    for (bool again = true; again;) {
        again = false;
        memset(r->watch, 0, (size_t)nb);
        for (int b = nb - 1; b >= 0; b--) {
            const Block *bl = &fn->blocks[b];
            bool reach = bl->term == TERM_RETURN;
            for (int k = 0, ns = block_nsucc(bl); k < ns && !reach; k++) {
                int sb = bl->succ[k];
                reach = sb >= 0 && r->reach[sb] && !r->block_ends[sb];
                if (sb >= 0 && sb <= b && !reach) r->watch[sb] = true; /* read before its turn */
            }
            if (reach && !r->reach[b]) r->reach[b] = true, again |= r->watch[b];
        }
    }
}

static void calls_that_return(const Topology *t, const Function *fn, Returns *r, bool *out) {
    int nb = fn->nblocks;
    for (int b = 0; b < nb; b++) { /* the block itself must get to its end */
        r->block_ends[b] = false;
        for (int j = fn->block_calls[b]; j < fn->block_calls[b + 1]; j++) r->block_ends[b] |= r->ends[j] = call_ends(t, fn, j);
    }
    find_reach(fn, r);
    for (int b = 0; b < nb; b++) { /* backwards in the block: a noreturn call cuts what is before it */
        bool reach = r->reach[b];
        for (int k = fn->block_calls[b + 1] - 1; k >= fn->block_calls[b]; k--) {
            if (r->ends[k]) reach = false;
            out[k] = reach;
        }
    }
}

/* Room in r->out for SCC [lo, hi)'s calls; r->at[i - lo]: where function
 * i's answers go, negated (-at - 1) until they are known. */
static void returns_room(Returns *r, const Program *p, int lo, int hi) {
    size_t n = 0;
    for (int i = lo; i < hi; i++) n += (size_t)p->funcs[i]->ncallev;
    if (n + (size_t)(hi - lo) + 1 > r->cap) {
        r->cap = 2 * (n + (size_t)(hi - lo) + 1);
        r->out = xrealloc(r->out, r->cap), r->at = xrealloc(r->at, sizeof(int) * r->cap);
    }
    for (int i = lo, at = 0; i < hi; at += p->funcs[i]->ncallev, i++) r->at[i - lo] = -at - 1;
}

/* A routine that starts threads of itself reads its own may_create. */
static bool creates_itself(const Topology *t, int i) {
    for (int k = 0; t->call_creates[i] && k < t->a->p->funcs[i]->ncallev; k++)
        for (int q = 0; q < t->call_creates[i][k].n; q++)
            if (t->call_creates[i][k].r[q] == i) return true;
    return false;
}

/* An SCC's may_create needs only its callees' (earlier SCCs, final), so a
 * fixpoint runs within each recursive SCC alone. Whether fn (the SCC's
 * slot-th) can return after each of its calls, worked out on first need. */
static const bool *returning(const Topology *t, Returns *r, const Function *fn, int slot) {
    if (r->at[slot] < 0) {
        r->at[slot] = -r->at[slot] - 1;
        calls_that_return(t, fn, r, r->out + r->at[slot]);
    }
    return r->out + r->at[slot];
}

/* may_create, SCC by SCC bottom-up (its functions' calls' `any` first);
 * each SCC, once its may_create is final, its functions' block_in (they
 * read only their own calls' bits and their callees'): one visit to each
 * function while its IR is at hand, not a walk each. */
static void find_may_create(Topology *t, Program *p, Scratch *sc) {
    t->creates_of = xcalloc((size_t)t->rec_base[p->nfuncs] + 1, sizeof(uint64_t));
    Returns r = returns_new(p);
    for (int lo = 0, hi; lo < p->nfuncs; lo = hi) {
        hi = program_scc_end(p, lo);
        returns_room(&r, p, lo, hi);
        for (int i = lo; i < hi; i++) find_call_creates(t, p, i); /* its own calls alone */
        bool cyclic = hi - lo > 1 || p->funcs[lo]->self_call || creates_itself(t, lo);
        for (bool changed = true; changed;) {
            changed = false;
            for (int i = lo; i < hi; i++) {
                const Function *fn = p->funcs[i];
                uint64_t b = 0;
                for (int k = 0; k < fn->ncallev; k++) {
                    uint64_t bits = t->creates_of[t->rec_base[i] + k] = event_creates_now(t, fn, k);
                    if (!(bits & ~b)) continue; /* nothing new: no need to know if fn returns after it */
                    if (returning(t, &r, fn, i - lo)[k]) b |= bits;
                }
                if ((b | t->may_create[i]) != t->may_create[i]) t->may_create[i] |= b, changed = cyclic;
            }
        }
        for (int i = lo; i < hi; i++) find_block_in(t, p->funcs[i], sc);
    }
    returns_free(&r);
}

/* fn passes on to each function it calls what may exist at the call. */
static bool pass_before_entry(Topology *t, const Program *p, int i) {
    const Function *fn = p->funcs[i];
    bool changed = false;
    if (!t->block_in[i] && !t->joinable[i]) { /* it creates nothing: every call passes on what it was given */
        uint64_t bits = t->before_entry[i];
        int lo, hi;
        callees_of(t, i, &lo, &hi);
        for (int q = lo; bits && q < hi; q++) {
            int c = t->callee.data[q];
            if ((t->before_entry[c] | bits) == t->before_entry[c]) continue;
            t->before_entry[c] |= bits, changed = true;
        }
        return changed;
    }
    for (int b = 0; b < fn->nblocks; b++) {
        uint64_t here = block_in(t, fn, b); /* what fn may have created before each call */
        JoinWalk w;
        joinwalk_start(t, fn, b, &w);
        for (int k = fn->block_calls[b]; k < fn->block_calls[b + 1]; here |= event_creates(t, fn, k), k++) {
            const CallRec *r = rec_of(t, fn, k);
            uint64_t bits = t->before_entry[i] | here | joinwalk_before(t, fn, &w, fn->callev[k]);
            for (int q = r->first; q < r->first + r->nts; q++) {
                int c = t->callee.data[q];
                if ((t->before_entry[c] | bits) == t->before_entry[c]) continue;
                t->before_entry[c] |= bits, changed = true;
            }
        }
    }
    return changed;
}

/* before_entry, top-down: an SCC's callers are in later SCCs, done first;
 * within a recursive SCC, until stable. */
static void find_before_entry(Topology *t, const Program *p) {
    for (int hi = p->nfuncs, lo; hi > 0; hi = lo) {
        lo = hi - 1;
        while (lo > 0 && p->funcs[lo - 1]->scc == p->funcs[hi - 1]->scc) lo--;
        bool cyclic = hi - lo > 1 || p->funcs[lo]->self_call;
        for (bool changed = true; changed;) {
            changed = false;
            for (int i = hi - 1; i >= lo; i--) changed |= pass_before_entry(t, p, i) && cyclic;
        }
    }
}

static void find_not_yet_created(Topology *t, Program *p) {
    int n = p->nfuncs, nbits = 0;
    t->routine_bit = xmalloc(sizeof(int) * (size_t)(n + 1));
    t->may_create = xcalloc((size_t)n + 1, sizeof(uint64_t));
    t->before_entry = xcalloc((size_t)n + 1, sizeof(uint64_t));
    for (int i = 0; i < n; i++) t->routine_bit[i] = t->is_start[i] && nbits < 64 ? nbits++ : -1;
    for (int i = 0; i < n; i++) nbits += t->is_start[i] && t->routine_bit[i] < 0;
    if (nbits > 64) return; /* bits_ok stays false: every thread may exist */
    t->block_in = xcalloc((size_t)n + 1, sizeof(uint64_t *));
    t->joinable = xcalloc((size_t)n + 1, sizeof(Joinable *));
    Scratch sc = scratch_new(p);
    find_may_create(t, p, &sc);
    scratch_free(&sc);
    /* Roots: main starts alone. A thread runs beside whatever other
     * threads do, so any routine may exist in it, except those only its
     * own code creates (it is one thread: its order is theirs). Code
     * nobody calls may run with anything. */
    const Function **owner = find_owners(t);
    for (int i = 0; i < n; i++)
        if (!is_main(p->funcs[i]) && (t->is_start[i] || !p->funcs[i]->ncallers)) t->before_entry[i] = ~0ull & ~owned_by(t, owner, p->funcs[i]);
    free(owner);
    find_before_entry(t, p);
    t->bits_ok = true;
}

bool topo_created_before(const Topology *t, const Function *fn, const Event *ev, const Function *routine) {
    if (!t->bits_ok || !ev || !routine || t->routine_bit[idx(routine)] < 0) return true;
    return created_before(t, fn, ev) >> t->routine_bit[idx(routine)] & 1;
}

void topo_created_before_all(const Topology *t, const Function *fn, const Event *ev, const Function *const *routines, int n,
                             bool *out) {
    uint64_t bits = t->bits_ok && ev ? created_before(t, fn, ev) : ~0ull; /* the block search once */
    for (int i = 0; i < n; i++) {
        int bit = routines[i] ? t->routine_bit[idx(routines[i])] : -1;
        out[i] = !t->bits_ok || bit < 0 || (bits >> bit & 1);
    }
}

bool topo_exist_at_entry(const Topology *t, const Function *fn, const Function *routine) {
    if (!t->bits_ok || !routine || t->routine_bit[idx(routine)] < 0) return true;
    return t->before_entry[idx(fn)] >> t->routine_bit[idx(routine)] & 1;
}

bool topo_may_exist(const Topology *t, const Function *fn, const Event *ev, const Function *routine) {
    if (!t->bits_ok || !ev || !routine || t->routine_bit[idx(routine)] < 0) return true;
    uint64_t bit = 1ull << t->routine_bit[idx(routine)];
    return (t->before_entry[idx(fn)] & bit) || (created_before(t, fn, ev) & bit);
}

/* ------------------------------------------------------------- the pass */

Topology *topology_compute(Analysis *a) {
    Program *p = a->p;
    int n = p->nfuncs;
    Topology *t = xcalloc(1, sizeof *t);
    t->a = a, t->n = n;
    t->is_start = xcalloc(n + 1, 1), t->many = xcalloc(n + 1, 1), t->runs = xcalloc(n + 1, 1);
    t->parent = xcalloc(n + 1, sizeof(Function *)), t->only_root = xcalloc(n + 1, sizeof(Function *));
    t->parent_call = xcalloc(n + 1, sizeof(int));
    t->entry = xcalloc(n + 1, sizeof(Joined)), t->at_return = xcalloc(n + 1, sizeof(Joined));
    t->arena = arena_new(), t->wrap = xcalloc(n + 1, sizeof(Wrap));
    t->call_creates = xcalloc((size_t)n + 1, sizeof(CallCreates *));
    t->nevents = p->nevents, t->at_event = xcalloc((size_t)p->nevents + 1, sizeof(uint32_t));
    t->joins_seen = xcalloc((size_t)n + 1, 1);
    vec_push(&t->joined_at, ((Joined){{0}, 0, false})); /* [0]: no record */
    vec_push(&t->joined_at, ((Joined){{0}, 0, true}));  /* [1]: NO_JOINS */
    a->topo = t; /* the join client's engine reads the other passes through a */
    find_starts(t, p);
    index_owners(t);
    find_runs(t, p);
    find_only_roots(t, p);
    find_run_flags(t, p);
    find_field_flags(t, p);
    if (t->owner_key.len) follow_joins(t, p);
    entry_joins(t, p);
    find_creates(t);
    find_not_yet_created(t, p);
    return t;
}

void topology_free(Topology *t) {
    if (!t) return;
    free(t->is_start), free(t->many), free(t->runs), free(t->parent), free(t->only_root), free(t->parent_call);
    free(t->entry), free(t->at_return), free(t->rec), free(t->rec_base), free(t->callee.data), free(t->creates.data), free(t->owner_key.data), free(t->owner_fn.data), free(t->owner_next);
    ptrmap_free(&t->owner_first);
    free(t->flag_key.data), free(t->flag_fn.data), free(t->fflag_cls.data), free(t->fflag_handle.data), free(t->fflag_closed.data);
    free(t->at_event), free(t->joined_at.data), free(t->joins_seen), arena_free(t->arena);
    free(t->routine_bit), free(t->may_create), free(t->call_creates), free(t->before_entry), free(t->block_in), free(t->creates_of), free(t->joinable), free(t->wrap);
    free(t);
}

/* --------------------------------------------------------------- queries */

const Topology *analysis_topology(const Analysis *a) { return a->topo; }
bool topo_is_start(const Topology *t, const Function *fn) { return t->is_start[idx(fn)]; }
unsigned topo_runs(const Topology *t, const Function *fn) { return t->runs[idx(fn)]; }
bool topo_many(const Topology *t, const Function *start) { return t->many[idx(start)]; }

const Function *topo_only_root(const Topology *t, const Function *fn) {
    const Function *r = t->only_root[idx(fn)];
    return r == MANY_ROOTS ? NULL : r;
}

const Function *topo_parent(const Topology *t, const Function *fn, Loc *call) {
    const Function *up = t->parent[idx(fn)];
    if (call) *call = up ? up->callev[t->parent_call[idx(fn)]]->loc : (Loc){0};
    return t->parent[idx(fn)];
}

int topo_entry_joined(const Topology *t, const Function *fn, const char *const **keys) {
    const Joined *j = &t->entry[idx(fn)];
    *keys = j->k;
    return j->n;
}

int topo_joined_at(const Topology *t, const Function *fn, const Event *ev, const char **out, int max) {
    int n = 0;
    const Joined *en = &t->entry[idx(fn)];
    for (int i = 0; i < en->n && n < max; i++) out[n++] = en->k[i];
    const Joined *j = joined_record(t, ev);
    for (int k = 0; j && k < j->n && n < max; k++) {
        bool dup = false;
        for (int q = 0; q < n && !dup; q++) dup = out[q] == j->k[k];
        if (!dup) out[n++] = j->k[k];
    }
    return n;
}

int topo_creates(const Topology *t, const Function *start, int i, const Function **creator, const Event **ev) {
    for (int k = 0, n = 0; k < t->creates.len; k++) {
        if (t->creates.data[k].start != start) continue;
        if (n++ == i) {
            *creator = t->creates.data[k].creator, *ev = t->creates.data[k].ev;
            return 1;
        }
    }
    return 0;
}

bool topo_create_in_loop(const Topology *t, const Event *create) {
    for (int k = 0; k < t->creates.len; k++)
        if (t->creates.data[k].ev == create) return t->creates.data[k].in_loop;
    return false;
}

bool topo_create_overlaps(const Topology *t, const Function *fn, const Event *create) {
    if (!topo_create_in_loop(t, create)) return false;
    const Joinable *j = t->joinable ? t->joinable[idx(fn)] : NULL;
    int c = j ? joinable_index(j, fn, create) : -1, b = c >= 0 ? block_holding(fn, create) : -1;
    if (b < 0) return true; /* no join of a local handle can be seen to end it */
    JoinWalk w; /* the last round's thread, still running where the create comes round again */
    joinwalk_start(t, fn, b, &w);
    joinwalk_before(t, fn, &w, create);
    return w.live >> c & 1;
}

bool topo_creator_repeats(const Topology *t, const Function *creator) {
    const Function *root = topo_only_root(t, creator);
    bool in_threads = t->runs[idx(creator)] & RUNS_THREAD;
    return creator->ncallers > 1 ||
           (in_threads && (!root || t->many[idx(root)] || (t->runs[idx(creator)] & RUNS_MAIN)));
}

const Function *topo_handle_routine(const Topology *t, const char *handle_id) {
    int i = owner_first(t, handle_id);
    return i >= 0 ? t->owner_fn.data[i] : NULL;
}

/* x's threads are all joined before any thread of y is created. */
static bool joined_before_created(const Topology *t, const Function *x, const Function *y) {
    bool any = false;
    for (int i = 0; i < t->creates.len; i++) {
        const Create *cr = &t->creates.data[i];
        if (cr->start != y) continue;
        any = true;
        if (!joined_has(&cr->before, x->key)) return false;
    }
    return any;
}

bool topo_parallel(const Topology *t, const Function *a, const Function *b) {
    if (!a || !b) return a != b || false; /* main runs beside every thread it starts */
    if (a == b) return t->many[idx(a)];
    return !joined_before_created(t, a, b) && !joined_before_created(t, b, a);
}

/* ------------------------------------------------------------------ dump */

static void dump_joined(FILE *out, const Analysis *a, const Joined *j) {
    for (int i = 0; i < j->n; i++) {
        Function *f = program_function_by_key(a->p, NULL, j->k[i]);
        fprintf(out, "%s'%s'", i ? ", " : "", f ? f->name : j->k[i]);
    }
}

void topology_dump_function(FILE *out, const Analysis *a, const Function *fn) {
    const Topology *t = a->topo;
    if (!t) return;
    unsigned r = t->runs[idx(fn)];
    fprintf(out, "  runs in: %s%s%s", r & RUNS_MAIN ? "main" : "", r == (RUNS_MAIN | RUNS_THREAD) ? ", " : "",
            r & RUNS_THREAD ? "threads" : r ? "" : "nothing (never called)");
    const Function *only = topo_only_root(t, fn);
    if (only) fprintf(out, " (only '%s')", only->name);
    if (t->entry[idx(fn)].n) {
        fputs("; joined before every call: ", out);
        dump_joined(out, a, &t->entry[idx(fn)]);
    }
    fputc('\n', out);
}

/* `threads:` and a line per start routine: instances, create sites, the
 * routines joined before each, and which threads it may run beside. */
void topology_dump(FILE *out, const Analysis *a) {
    const Topology *t = a->topo;
    const Program *p = a->p;
    if (!t) return;
    fputs("threads:\n", out);
    for (int i = 0; i < p->nfuncs; i++) {
        const Function *s = p->funcs[i];
        if (!t->is_start[i]) continue;
        fprintf(out, "  thread '%s': %s\n", s->name, t->many[i] ? "many instances" : "one instance");
        for (int k = 0; k < t->creates.len; k++) {
            const Create *cr = &t->creates.data[k];
            if (cr->start != s) continue;
            fprintf(out, "    created in '%s' at %u:%u%s", cr->creator->name, cr->at.line, cr->at.col,
                    cr->in_loop ? " (in a loop)" : "");
            if (cr->before.n) {
                fputs(", after joining ", out);
                dump_joined(out, a, &cr->before);
            }
            fputc('\n', out);
        }
        fputs("    parallel with:", out);
        int n = 0;
        if (topo_parallel(t, NULL, s)) fprintf(out, " main"), n++;
        for (int j = 0; j < p->nfuncs; j++)
            if (t->is_start[j] && topo_parallel(t, s, p->funcs[j])) fprintf(out, "%s '%s'", n++ ? "," : "", p->funcs[j]->name);
        fputc('\n', out);
    }
}
