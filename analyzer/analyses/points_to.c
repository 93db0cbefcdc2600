/* points_to.c — PASS_POINTS_TO: what each pointer of the program may point
 * to, for the rules that meet a lock, handle or object only through one.
 *
 * Andersen-style inclusion constraints, solved flow- and
 * context-insensitively over the whole program, field-sensitively (a
 * field is its own object, `@s.mu`; an array's elements are one, `@a[]`).
 * Abstract objects and the pointers that hold them are named by strings:
 *   `@g.f`          a global (the IR's key)
 *   `N|x.f`         local x of function N (Function.index): parameters
 *                   `N|$0`, call results `N|%3`, the return value `N|^ret`
 *   `newN:L:C.f`    the memory an allocation at line L, column C of
 *                   function N returns (a wrapper of malloc's call counts
 *                   as the allocation: each caller gets its own object)
 * Constraints come from assignments, `c ? x : y`, call arguments bound to
 * parameters (every target of a pointer call), results, returns, and the
 * argument a thread's start routine gets. The engine stays the precise,
 * path-sensitive source of a lock's identity; this pass answers where it
 * cannot: a pointer chosen at run time, set elsewhere, or a thread's
 * argument. An empty answer means unknown, never "nothing". */
#include <stdlib.h>
#include <string.h>

#include "analyses/engine.h"
#include "analyses/passes.h"
#include "ir/ir.h"

#define MAX_PTS 32     /* a larger set is "anything": unknown */
#define MAX_FIELDS 4    /* fields below an object's root before they fold */
#define MAX_ROUNDS 64

/* A pointer's objects. */
typedef struct Set { const char **v; int n, cap; bool top; } Set;

/* A node: a pointer with its set, and the constraints that read it (run
 * again when it grows), as a chain of edges. Most nodes are a function's
 * root (`N|%3`, `N|$0`) that never holds anything: those are found by
 * (function, root) and named only when something needs the string, so
 * building the constraints interns no name for them. Ids index pt->nd;
 * 0 is none. */
typedef struct Nd {
    const char *name; /* interned; NULL until needed, for a root */
    const char *root; /* a root's interned root, else NULL */
    int fn;           /* a root's Function.index */
    int head, tail;   /* readers: pt->edges, -1 none */
    bool touched;     /* in pt->order (the original had a Set for it) */
    uint8_t fresh;    /* out-stores' walk of one function: FRESH, OTHER bits */
    Set set;
} Nd;

typedef struct Edge { int con, next; } Edge;

typedef enum { SRC_OPERAND, SRC_NODE, SRC_OBJECT, SRC_NONE /* withdrawn */ } SrcKind;

/* dst ⊇ src: dst is a location key of fn (or a fixed node), src an
 * operand of fn (or a node's set, or one object). */
typedef struct Con { /* 32 bytes: there is one for most calls' arguments */
    const Function *fn;
    union {
        const char *dst_key; /* dst_is_key */
        int dst_node;        /* else: a node id, or below 0 a slot's (see slot_ref) */
    };
    union {
        const Operand *src;  /* SRC_OPERAND */
        const char *obj;     /* SRC_OBJECT */
        int src_node;        /* SRC_NODE: a node id */
    };
    uint8_t src_kind;
    bool dst_is_key;
} Con;

struct PointsTo {
    const Program *p;
    const Topology *topo;    /* which calls create threads */
    VEC(Nd) nd;      /* nodes by id; [0] unused */
    VEC(Edge) edges; /* readers' chains */
    int *roots;      /* open addressing on (function, root): node ids */
    size_t roots_cap, roots_used;
    int *slot_base;  /* by Function.index: where its slots start in slots */
    int *slots;      /* per function: node ids of `^ret`, `$0`.., `%0`.. (0 none yet) */
    const char *params[10], *ret; /* interned roots `$0`..`$9`, `^ret` */
    VEC(int) order;  /* nodes in the order they first took part in solving */
    VEC(int) marked; /* nodes with fresh bits, for the current function */
    VEC(struct Pending) pending; /* its marks of keys not yet found */
    bool done;       /* solved: queries name roots themselves, read only */
    PtrMap sets;     /* node name -> id (as a pointer) */
    PtrMap cls;      /* object -> its class (`struct q.mu`) */
    PtrMap pointed;  /* objects some pointer may hold */
    VEC(Con) cons;
    VEC(const char *) nodes; /* every node with a non-empty set, in the order of order */
    bool *allocator;         /* by Function.index: returns fresh memory only */
    struct OutStores *outs;  /* by Function.index: what it stores through its parameters */
    VEC(struct Bound) bound; /* every call bound to a definition */
    int rounds;          /* constraint evaluations over the number of constraints */
    bool changed;
    int cur;             /* the constraint being evaluated; -1 after solving */
    VEC(int) queue;
    bool *queued;
};

/* ------------------------------------------------------------------ sets */

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *node(const Function *fn, const char *root, size_t n);
static const char *node_at(int index, const char *root, size_t n);

static Nd *nd_at(const PointsTo *pt, int id) { return &pt->nd.data[id]; }

static int nd_new(PointsTo *pt, const char *name, const char *root, int fn) {
    if (!pt->nd.len) vec_push(&pt->nd, (Nd){0}); /* id 0: none */
    vec_push(&pt->nd, ((Nd){.name = name, .root = root, .fn = fn, .head = -1, .tail = -1}));
    return pt->nd.len - 1;
}

static size_t root_slot(const PointsTo *pt, int fn, const char *root) {
    uint64_t h = (uint64_t)(unsigned)fn * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)root * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h >> 20) & (pt->roots_cap - 1);
}

static void roots_grow(PointsTo *pt) {
    int *old = pt->roots;
    size_t n = pt->roots_cap;
    pt->roots_cap = n ? 2 * n : 1024;
    pt->roots = xcalloc(pt->roots_cap, sizeof(int));
    for (size_t i = 0; i < n; i++) {
        if (!old[i]) continue;
        const Nd *d = nd_at(pt, old[i]);
        size_t j = root_slot(pt, d->fn, d->root);
        while (pt->roots[j]) j = (j + 1) & (pt->roots_cap - 1);
        pt->roots[j] = old[i];
    }
    free(old);
}

/* Slots of fn's return, parameters and temporaries: the nodes most
 * constraints name, found without hashing. */
static void slots_init(PointsTo *pt) {
    const Program *p = pt->p;
    pt->slot_base = xcalloc((size_t)p->nfuncs + 1, sizeof(int));
    int total = 0;
    for (int i = 0; i < p->nfuncs; i++) pt->slot_base[i] = total, total += 1 + p->funcs[i]->nparams + p->funcs[i]->ntemps;
    pt->slot_base[p->nfuncs] = total;
    pt->slots = xcalloc((size_t)total + 1, sizeof(int));
}

static int slot_nd(PointsTo *pt, const Function *fn, int k, const char *root) {
    int *slot = &pt->slots[pt->slot_base[fn->index] + k];
    if (!*slot) *slot = nd_new(pt, NULL, root, fn->index);
    return *slot;
}

static int small_number(const char *s) { /* a canonical decimal below 10^6, else -1 */
    int n = 0, d = 0;
    if (s[0] == '0' && s[1]) return -1;
    for (; *s >= '0' && *s <= '9' && d < 6; s++, d++) n = n * 10 + (*s - '0');
    return d && !*s ? n : -1;
}

/* Function fn's node of an interned root, made on first use, unnamed: a
 * root that is one of fn's slots (`^ret`, `$k` below 10, `%k`, as the
 * same interned strings) is found there, any other by hashing. */
static int nd_root(PointsTo *pt, const Function *fn, const char *root) {
    if (root == pt->ret) return slot_nd(pt, fn, 0, root);
    int k = root[0] == '$' || root[0] == '%' ? small_number(root + 1) : -1;
    if (root[0] == '$' && k >= 0 && k < 10 && k < fn->nparams && root == pt->params[k]) return slot_nd(pt, fn, 1 + k, root);
    if (root[0] == '%' && k >= 0 && k < fn->ntemps && root == temp_key(k)) return slot_nd(pt, fn, 1 + fn->nparams + k, root);
    if ((pt->roots_used + 1) * 2 > pt->roots_cap) roots_grow(pt);
    size_t j = root_slot(pt, fn->index, root);
    for (int id; (id = pt->roots[j]); j = (j + 1) & (pt->roots_cap - 1))
        if (nd_at(pt, id)->fn == fn->index && nd_at(pt, id)->root == root) return id;
    pt->roots_used++;
    return pt->roots[j] = nd_new(pt, NULL, root, fn->index);
}

/* A node's name, interned when first asked for; every named node is in
 * pt->sets, so a name met in a set finds the same node. */
static const char *nd_name(PointsTo *pt, int id) {
    Nd *d = nd_at(pt, id);
    if (d->name) return d->name;
    d->name = node_at(d->fn, d->root, strlen(d->root));
    *ptrmap_slot(&pt->sets, d->name, true) = (void *)(intptr_t)id;
    return d->name;
}

/* The node of a name: a root's name exists only once nd_name made it, so
 * a name not in pt->sets is no root's (a global, a field, the heap). */
static int nd_named(PointsTo *pt, const char *name, bool insert) {
    void **slot = ptrmap_slot(&pt->sets, name, insert);
    if (!slot) return 0;
    if (!*slot) *slot = (void *)(intptr_t)nd_new(pt, name, NULL, -1);
    return (int)(intptr_t)*slot;
}

/* A node takes part in solving: the original gave it a Set then, and
 * pt_class_targets answers in that order. */
static void touch(PointsTo *pt, int id) {
    Nd *d = nd_at(pt, id);
    if (d->touched) return;
    d->touched = true;
    vec_push(&pt->order, id);
}

static void add_reader(PointsTo *pt, int id, int c) {
    vec_push(&pt->edges, ((Edge){c, -1}));
    Nd *d = nd_at(pt, id);
    if (d->tail >= 0) pt->edges.data[d->tail].next = pt->edges.len - 1;
    else d->head = pt->edges.len - 1;
    d->tail = pt->edges.len - 1;
}

/* A read of node id's set while solving: the constraint reading it is
 * remembered, to run again when the set grows. */
static const Set *set_read(PointsTo *pt, int id) {
    touch(pt, id);
    const Nd *d = nd_at(pt, id);
    if (d->tail < 0 || pt->edges.data[d->tail].con != pt->cur) add_reader(pt, id, pt->cur);
    return &nd_at(pt, id)->set;
}

/* A read of a named node's set: while solving as set_read; a query only
 * reads (a node it does not find holds nothing). */
static const Set *set_get(const PointsTo *pt, const char *node) {
    if (pt->cur < 0) {
        int id = (int)(intptr_t)ptrmap_get(&pt->sets, node);
        return id ? &nd_at(pt, id)->set : NULL;
    }
    PointsTo *w = (PointsTo *)pt; /* solving is single-threaded; queries (cur < 0) only read */
    return set_read(w, nd_named(w, node, true));
}

static void grew(PointsTo *pt, int id) {
    pt->changed = true;
    for (int e = nd_at(pt, id)->head; e >= 0; e = pt->edges.data[e].next) {
        int c = pt->edges.data[e].con;
        if (pt->queued[c]) continue;
        pt->queued[c] = true;
        vec_push(&pt->queue, c);
    }
}

static bool set_has(const Set *s, const char *o) {
    for (int i = 0; i < s->n; i++)
        if (s->v[i] == o) return true;
    return false;
}

static void set_add(PointsTo *pt, int id, const char *o) {
    Set *s = &nd_at(pt, id)->set;
    if (s->top || set_has(s, o)) return;
    grew(pt, id);
    if (s->n == MAX_PTS) {
        s->top = true;
        return;
    }
    if (s->n == s->cap) s->cap = s->cap ? 2 * s->cap : 4, s->v = xrealloc(s->v, sizeof(char *) * (size_t)s->cap);
    s->v[s->n++] = o;
}

/* A scratch set on the stack of one evaluation. */
typedef struct Tmp { const char *v[MAX_PTS]; int n; bool top; } Tmp;

static void tmp_add(Tmp *t, const char *o) {
    for (int i = 0; i < t->n; i++)
        if (t->v[i] == o) return;
    if (t->n == MAX_PTS) t->top = true;
    else t->v[t->n++] = o;
}

static void tmp_union(Tmp *t, const Set *s) {
    if (!s) return;
    t->top |= s->top;
    for (int i = 0; i < s->n && !t->top; i++) tmp_add(t, s->v[i]);
}

/* --------------------------------------------------------------- naming */

/* `N|name`. */
static const char *node_at(int index, const char *root, size_t n) { return internf("%d|%.*s", index, (int)n, root); }

static const char *node(const Function *fn, const char *root, size_t n) { return node_at(fn->index, root, n); }

/* fn's node of an interned root, remembered: queries name a handful of
 * nodes over and over. */
static const char *node_of(const Function *fn, const char *root) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, fn, root, &hit);
    if (!hit) memo_fill(m, fn, root, node(fn, root, strlen(root)));
    return m->r;
}

/* Roots are interned, so one root is one pointer: the key of its node. */
static int temp_nd(PointsTo *pt, const Function *fn, int64_t t) {
    if (t >= 0 && t < fn->ntemps) return slot_nd(pt, fn, 1 + fn->nparams + (int)t, temp_key((int)t));
    return nd_root(pt, fn, temp_key((int)t));
}
static int ret_nd(PointsTo *pt, const Function *fn) { return slot_nd(pt, fn, 0, pt->ret); }
static int param_nd(PointsTo *pt, const Function *fn, int i) {
    if (i >= 0 && i < 10 && i < fn->nparams) return slot_nd(pt, fn, 1 + i, pt->params[i]);
    return nd_root(pt, fn, i >= 0 && i < 10 ? pt->params[i] : internf("$%d", i));
}

/* A constraint's destination slot, not made yet: -1 - its index in slots.
 * Most constraints never add anything, so their destinations need no node
 * (nor the slot's memory read) until they do. */
static int slot_ref(const PointsTo *pt, const Function *fn, int k) { return -1 - (pt->slot_base[fn->index] + k); }
static int temp_ref(PointsTo *pt, const Function *fn, int64_t t) {
    return t >= 0 && t < fn->ntemps ? slot_ref(pt, fn, 1 + fn->nparams + (int)t) : temp_nd(pt, fn, t);
}
static int ret_ref(const PointsTo *pt, const Function *fn) { return slot_ref(pt, fn, 0); }
static int param_ref(PointsTo *pt, const Function *fn, int i) {
    return i >= 0 && i < 10 && i < fn->nparams ? slot_ref(pt, fn, 1 + i) : param_nd(pt, fn, i);
}

/* The node a destination names, made when first needed: a slot's function
 * is the last whose slots start at or before it. */
static int ref_nd(PointsTo *pt, int ref) {
    if (ref > 0) return ref;
    int g = -1 - ref;
    if (pt->slots[g]) return pt->slots[g];
    int lo = 0, hi = pt->p->nfuncs - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (pt->slot_base[mid] <= g) lo = mid;
        else hi = mid - 1;
    }
    const Function *fn = pt->p->funcs[lo];
    int k = g - pt->slot_base[lo];
    const char *root = k == 0 ? pt->ret : k <= fn->nparams ? pt->params[k - 1] : temp_key(k - 1 - fn->nparams);
    return slot_nd(pt, fn, k, root);
}
static const char *new_object(const Function *fn, Loc at) { return internf("new%d:%u:%u", fn->index, at.line, at.col); }

static int depth(const char *o) {
    int d = 0;
    for (const char *p = path_root_end(o); *p; p++) d += *p == '.' || *p == '[';
    return d;
}

/* Object o's field or element `comp`: deep nests fold into their parent
 * (`p = &p->next` would otherwise grow without end). */
static const char *sub(const char *o, const char *comp, size_t n) {
    if (depth(o) >= MAX_FIELDS) return o;
    return pathkey_join(o, intern_n(comp, n));
}

/* ------------------------------------------------------------ evaluation */

/* The objects location key of fn denotes: its root, then each `.f` and
 * `[]` a sub-object, each `*` what the objects so far point to. Building
 * and solving find a local root's node without naming it when it is only
 * read through; a query names it itself (queries only read). */
static void locations(const PointsTo *pt, const Function *fn, const char *key, Tmp *out) {
    const char *p = path_root_end(key);
    out->n = 0, out->top = false;
    if (key[0] == '@' || pt->done) {
        tmp_add(out, key[0] == '@' ? path_root(key) : node_of(fn, path_root(key)));
    } else {
        PointsTo *w = (PointsTo *)pt; /* building and solving are single-threaded */
        int id = nd_root(w, fn, path_root(key));
        if (*p == '*' && pt->cur >= 0) tmp_union(out, set_read(w, id)), p++;
        else tmp_add(out, nd_name(w, id));
    }
    while (*p && !out->top) {
        if (*p == '*') {
            Tmp next = {.n = 0};
            for (int i = 0; i < out->n; i++) tmp_union(&next, set_get(pt, out->v[i]));
            *out = next;
            p++;
            continue;
        }
        const char *q = p + 1;
        while (*q && *q != '.' && *q != '*' && *q != '[') q++;
        if (*p == '[') q = strchr(p, ']') ? strchr(p, ']') + 1 : p + 1; /* `[]`, `[3]` */
        for (int i = 0; i < out->n; i++) out->v[i] = sub(out->v[i], p, (size_t)(q - p));
        p = q;
    }
}

/* A path's key with its constant subscripts: `locks[1]` is its own object. */
static const char *key_of(Path p) { return p.elem ? p.elem : p.key; }

static void value(const PointsTo *pt, const Function *fn, const Operand *o, Tmp *out) {
    Tmp l;
    switch (o->kind) {
    case OPND_ADDR:
        locations(pt, fn, key_of(o->path), &l);
        out->top |= l.top;
        for (int i = 0; i < l.n; i++) tmp_add(out, l.v[i]);
        return;
    case OPND_PATH:
    case OPND_OFFSET: /* `p + 1` points into what p does */
        locations(pt, fn, key_of(o->path), &l);
        out->top |= l.top;
        for (int i = 0; i < l.n; i++) tmp_union(out, set_get(pt, l.v[i]));
        return;
    case OPND_TEMP: {
        PointsTo *w = (PointsTo *)pt; /* only while solving */
        tmp_union(out, set_read(w, temp_nd(w, fn, o->value)));
        return;
    }
    case OPND_UNKNOWN:
        for (int i = 0; i < o->nalts; i++) value(pt, fn, &o->alts[i], out);
        return;
    default:
        return;
    }
}

/* Node id's set takes in src's objects. */
static void add_all(PointsTo *pt, int id, const Tmp *src) {
    touch(pt, id);
    Set *s = &nd_at(pt, id)->set;
    if (src->top && !s->top) s->top = true, grew(pt, id);
    for (int k = 0; k < src->n; k++) set_add(pt, id, src->v[k]);
}

static void apply(PointsTo *pt, const Con *c) {
    Tmp src = {.n = 0}, dst;
    switch (c->src_kind) {
    case SRC_OPERAND: value(pt, c->fn, c->src, &src); break;
    case SRC_NODE: tmp_union(&src, set_read(pt, c->src_node)); break;
    case SRC_OBJECT: tmp_add(&src, c->obj); break;
    default: return;
    }
    if (!src.n && !src.top) return;
    if (!c->dst_is_key) {
        add_all(pt, ref_nd(pt, c->dst_node), &src);
    } else {
        locations(pt, c->fn, c->dst_key, &dst);
        if (dst.top) return; /* a store through a pointer to too many objects: where is unknown (never some of them) */
        for (int i = 0; i < dst.n; i++) add_all(pt, nd_named(pt, dst.v[i], true), &src);
    }
    /* The class of an object an address names (`&q->mu`: struct q.mu). */
    if (c->src_kind == SRC_OPERAND && c->src->kind == OPND_ADDR && c->src->path.cls)
        for (int k = 0; k < src.n; k++) *ptrmap_slot(&pt->cls, src.v[k], true) = (void *)c->src->path.cls;
}

/* ------------------------------------------------------------ constraints */

/* Whether an operand can hold an address at all: constants, functions,
 * values of narrow types and values the IR could not name (without
 * alternatives) never do. */
static bool may_point(const Operand *o) {
    if (o->narrow) return false;
    switch (o->kind) {
    case OPND_PATH: case OPND_ADDR: case OPND_TEMP: case OPND_OFFSET: return true;
    case OPND_UNKNOWN: return o->nalts > 0;
    default: return false;
    }
}

/* The node of the one object a location key without `*` denotes, else 0:
 * a bare local root's is found without naming it. */
static int fixed_location(PointsTo *pt, const Function *fn, const char *key) {
    if (strchr(key, '*')) return 0;
    if (key[0] != '@' && !*path_root_end(key)) return nd_root(pt, fn, path_root(key));
    Tmp l;
    locations(pt, fn, key, &l);
    return l.n == 1 && !l.top ? nd_named(pt, l.v[0], true) : 0;
}

/* A constraint in its cheapest form: a source that cannot point is
 * dropped, and locations without `*` are named once here rather than at
 * every evaluation (most constraints copy one fixed node into another). */
static bool con(PointsTo *pt, Con c) {
    if (c.src_kind == SRC_OPERAND && !may_point(c.src)) return false;
    int fixed = c.dst_is_key ? fixed_location(pt, c.fn, c.dst_key) : 0;
    if (fixed) c.dst_node = fixed, c.dst_is_key = false;
    if (c.src_kind == SRC_OPERAND) {
        const Operand *o = c.src;
        int at = o->kind == OPND_TEMP      ? temp_nd(pt, c.fn, o->value)
                 : o->kind == OPND_UNKNOWN ? 0
                                           : fixed_location(pt, c.fn, key_of(o->path));
        if (at && o->kind == OPND_ADDR) {
            const char *obj = nd_name(pt, at);
            if (o->path.cls) *ptrmap_slot(&pt->cls, obj, true) = (void *)o->path.cls;
            c.src_kind = SRC_OBJECT, c.obj = obj;
        } else if (at) {
            c.src_kind = SRC_NODE, c.src_node = at;
        }
    }
    vec_push(&pt->cons, c);
    return true;
}

static bool is_alloc_call(const PointsTo *pt, const Event *ev) {
    if (ev->model && model_op(ev->model, OP_ALLOC)) return true;
    const ModelOp *mk = ev->model ? model_op(ev->model, OP_CHAN_MAKE) : NULL; /* a new channel is a new object */
    if (mk && mk->handle == ROLE_RETURN) return true;
    Callee c = program_call(pt->p, ev);
    return c.def && !c.may && pt->allocator[c.def->index];
}

/* A function whose every return is fresh memory (or NULL): its callers
 * allocate. Bottom-up, so wrappers of wrappers count too. */
static void find_allocator(PointsTo *pt, const Function *fn) {
    bool any = false, only = true;
    for (int b = 0; b < fn->nblocks && only; b++) {
        const Block *bl = &fn->blocks[b];
        if (bl->term != TERM_RETURN) continue;
        if (bl->end->ret.kind == OPND_NULL || (bl->end->ret.kind == OPND_CONST && bl->end->ret.value == 0)) continue;
        only = false;
        if (bl->end->ret.kind != OPND_TEMP) break;
        for (int e = 0; e < bl->nev; e++) /* the result of an allocation in the same block */
            if (bl->ev[e].kind == EV_CALL && bl->ev[e].temp == bl->end->ret.value) only = is_alloc_call(pt, &bl->ev[e]);
        any = only;
    }
    pt->allocator[fn->index] = any && only;
}

/* A function's stores through a parameter (`*out = m`), each with the
 * function's node whose objects it stores; `fresh` when that is memory the
 * function itself allocated (a factory: `natsMutex_Create(&x->mu)`), `arg`
 * the parameter it stores when it stores one (`*out = v`), else -1.
 * instances: the objects a factory's calls made. */
typedef struct OutStore { int param; int src; bool fresh; int arg; int con; /* its own constraint */ } OutStore;
typedef struct OutStores { VEC(OutStore) v; VEC(const char *) instances; } OutStores;

/* What one function's walk learns of its locals for its out-stores: which
 * hold only memory it allocated (or NULL) and are copied nowhere else.
 * Bits in each node's `fresh` (pt->marked lists the nodes the walk
 * marked): FRESH it was given such memory, OTHER anything else. */
enum { FRESH = 1, OTHER = 2 };

static void mark(PointsTo *pt, int id, uint8_t bit) {
    Nd *d = nd_at(pt, id);
    if (!d->fresh) vec_push(&pt->marked, id);
    d->fresh |= bit;
}

/* A mark of the object a key without `*` denotes. Only temporaries' bits
 * are read during the walk, and no other root is one, so other keys wait
 * for finish_out_stores, which finds them only in a function with
 * out-stores (most assignments store an int into a local). */
typedef struct Pending { const char *key; uint8_t bit; } Pending;

static void mark_key(PointsTo *pt, const Function *fn, const char *key, uint8_t bit) {
    if (key[0] == '%') mark(pt, fixed_location(pt, fn, key), bit);
    else vec_push(&pt->pending, ((Pending){key, bit}));
}

static void note_assign(PointsTo *pt, const Function *fn, const Event *ev, bool out_store) {
    const Operand *o = &ev->args[1];
    if (o->kind == OPND_PATH && !out_store && !strchr(key_of(o->path), '*'))
        mark_key(pt, fn, key_of(o->path), OTHER); /* copied elsewhere too: the same memory by two names */
    const char *dst = key_of(ev->args[0].path);
    if (strchr(dst, '*') || o->kind == OPND_NULL || (o->kind == OPND_CONST && o->value == 0)) return;
    bool fresh = o->kind == OPND_TEMP && nd_at(pt, temp_nd(pt, fn, o->value))->fresh == FRESH;
    mark_key(pt, fn, dst, fresh ? FRESH : OTHER);
}

static bool note_out_store(PointsTo *pt, const Function *fn, const Event *ev, int con) {
    const char *key = key_of(ev->args[0].path), *end = path_root_end(key);
    int k = path_param_index(key);
    const Operand *o = &ev->args[1];
    if (k < 0 || strcmp(end, "*") || !may_point(o) || o->kind == OPND_ADDR || o->kind == OPND_UNKNOWN) return false;
    int src = o->kind == OPND_TEMP ? temp_nd(pt, fn, o->value) : fixed_location(pt, fn, key_of(o->path));
    int arg = o->kind == OPND_PATH && !*path_root_end(key_of(o->path)) ? path_param_index(key_of(o->path)) : -1;
    if (!src || con < 0) return false;
    vec_push(&pt->outs[fn->index].v, ((OutStore){k, src, false, arg, con}));
    return true;
}

/* Once the walk is over: an out-store of a node that only ever held the
 * function's own fresh memory makes an object per call, one of a
 * parameter stores each call's own argument; their stores through the
 * parameter's own set are withdrawn (the calls store theirs, each what it
 * passed, where a shared set would give every call every call's). */
static void finish_out_stores(PointsTo *pt, const Function *fn) {
    OutStores *os = &pt->outs[fn->index];
    for (int i = 0; os->v.len && i < pt->pending.len; i++)
        mark(pt, fixed_location(pt, fn, pt->pending.data[i].key), pt->pending.data[i].bit);
    pt->pending.len = 0;
    for (int i = 0; i < os->v.len; i++) {
        OutStore *o = &os->v.data[i];
        o->fresh = nd_at(pt, o->src)->fresh == FRESH;
        if (o->fresh || o->arg >= 0) pt->cons.data[o->con].src_kind = SRC_NONE;
    }
    for (int i = 0; i < pt->marked.len; i++) nd_at(pt, pt->marked.data[i])->fresh = 0;
    pt->marked.len = 0;
}

/* A call of a function that stores through its parameter stores into
 * what this call's argument points to, directly: through the parameter's
 * own set, a constructor called from many places (`natsMutex_Create(&x->mu)`
 * for every struct with a mutex) would reach more objects than a set keeps,
 * and a store through a pointer to too many objects stores nowhere known. */
static void bind_out_stores(PointsTo *pt, const Function *fn, const Event *ev, const Function *callee) {
    const OutStores *os = &pt->outs[callee->index];
    for (int i = 0; i < os->v.len; i++) {
        const Operand *a = os->v.data[i].param < ev->nargs ? &ev->args[os->v.data[i].param] : NULL;
        const char *dst = !a                         ? NULL
                          : a->kind == OPND_ADDR     ? key_of(a->path)
                          : a->kind == OPND_PATH     ? pathkey_join(key_of(a->path), "*")
                                                     : NULL;
        if (!dst) continue;
        int arg = os->v.data[i].arg;
        if (arg >= 0) {
            if (arg < ev->nargs)
                con(pt, (Con){.fn = fn, .dst_is_key = true, .dst_key = dst, .src_kind = SRC_OPERAND, .src = &ev->args[arg]});
            continue;
        }
        if (!os->v.data[i].fresh) {
            con(pt, (Con){.fn = fn, .dst_is_key = true, .dst_key = dst, .src_kind = SRC_NODE, .src_node = os->v.data[i].src});
            continue;
        }
        const char *obj = new_object(fn, ev->loc); /* this call's own: a factory's allocation per call site */
        con(pt, (Con){.fn = fn, .dst_is_key = true, .dst_key = dst, .src_kind = SRC_OBJECT, .obj = obj});
        vec_push(&pt->outs[callee->index].instances, obj);
    }
}

/* Calls bound once every function's stores are known (a recursive cycle
 * has callers before callees). */
typedef struct Bound { const Function *fn; const Event *ev; const Function *callee; } Bound;

static void bind_call(PointsTo *pt, const Function *fn, const Event *ev, const Function *callee) {
    vec_push(&pt->bound, ((Bound){fn, ev, callee}));
    for (int a = 0; a < ev->nargs && a < callee->nparams; a++)
        con(pt, (Con){.fn = fn, .dst_node = param_ref(pt, callee, a), .src_kind = SRC_OPERAND, .src = &ev->args[a]});
    if (ev->temp >= 0)
        con(pt, (Con){.fn = fn, .dst_node = temp_ref(pt, fn, ev->temp), .src_kind = SRC_NODE, .src_node = ret_nd(pt, callee)});
}

/* Whether the call's result is fresh memory (an allocation). */
static bool call_constraints(PointsTo *pt, const Function *fn, const Event *ev) {
    if (ev->temp >= 0 && is_alloc_call(pt, ev)) {
        con(pt, (Con){.fn = fn, .dst_node = temp_ref(pt, fn, ev->temp), .src_kind = SRC_OBJECT, .obj = new_object(fn, ev->loc)});
        return true;
    }
    int si, ai, hi; /* a create (or a create wrapper's call): the routine gets its argument */
    if (pt->topo && topo_create_args(pt->topo, fn, ev, &si, &ai, &hi) && ai >= 0) {
        Function *starts[4];
        int ns = topo_create_routines(pt->p, fn, ev, si, starts, 4);
        for (int q = 0; q < ns; q++)
            if (starts[q]->nparams > 0)
                con(pt, (Con){.fn = fn, .dst_node = param_ref(pt, starts[q], 0), .src_kind = SRC_OPERAND, .src = &ev->args[ai]});
    }
    if (ev->fn) {
        Function *const *targets;
        int n = program_call_targets(pt->p, ev, &targets);
        for (int i = 0; i < n; i++) bind_call(pt, fn, ev, targets[i]);
        return false;
    }
    Callee c = program_call(pt->p, ev);
    if (c.def) bind_call(pt, fn, ev, c.def);
    return false;
}

static void function_constraints(PointsTo *pt, const Function *fn) {
    ir_prefetch_block(fn, 0);
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *bl = &fn->blocks[b];
        ir_prefetch_block(fn, b + 1); /* and arguments a few events ahead: */
        for (int e = 0; e < bl->nev; e++) {
            const Event *ev = &bl->ev[e];
            if (e + 3 < bl->nev) __builtin_prefetch(bl->ev[e + 3].args);
            if (ev->kind == EV_ASSIGN && ev->nargs == 2 && ev->args[0].kind == OPND_PATH) {
                bool made = con(pt, (Con){.fn = fn, .dst_is_key = true, .dst_key = key_of(ev->args[0].path),
                                           .src_kind = SRC_OPERAND, .src = &ev->args[1]});
                bool out = note_out_store(pt, fn, ev, made ? pt->cons.len - 1 : -1);
                note_assign(pt, fn, ev, out);
            } else if (ev->kind == EV_CALL) {
                if (call_constraints(pt, fn, ev)) mark(pt, temp_nd(pt, fn, ev->temp), FRESH);
            }
        }
        if (bl->term == TERM_RETURN && bl->end->ret.kind != OPND_NONE)
            con(pt, (Con){.fn = fn, .dst_node = ret_ref(pt, fn), .src_kind = SRC_OPERAND, .src = &bl->end->ret});
    }
    finish_out_stores(pt, fn);
}

/* ---------------------------------------------------------------- solving */

PointsTo *points_to_compute(Analysis *a) {
    PointsTo *pt = xcalloc(1, sizeof *pt);
    pt->p = a->p, pt->cur = -1, pt->topo = a->topo;
    for (int i = 0; i < 10; i++) pt->params[i] = internf("$%d", i);
    pt->ret = intern("^ret");
    slots_init(pt);
    pt->allocator = xcalloc((size_t)a->p->nfuncs + 1, 1);
    pt->outs = xcalloc((size_t)a->p->nfuncs + 1, sizeof(OutStores));
    for (int lo = 0, hi; lo < a->p->nfuncs; lo = hi) { /* an SCC's allocators, then its constraints: one visit */
        hi = program_scc_end(a->p, lo);
        for (int i = lo; i < hi; i++) find_allocator(pt, a->p->funcs[i]);
        for (int i = lo; i < hi; i++) {
            ir_prefetch_ahead(a->p->funcs, a->p->nfuncs, i);
            function_constraints(pt, a->p->funcs[i]);
        }
    }
    for (int i = 0; i < pt->bound.len; i++) bind_out_stores(pt, pt->bound.data[i].fn, pt->bound.data[i].ev, pt->bound.data[i].callee);
    free(pt->bound.data), pt->bound.data = NULL, pt->bound.len = pt->bound.cap = 0;
    /* A worklist: every constraint once, then those whose inputs grew
     * (sets are bounded, so it ends; the cap is a guard). */
    pt->queued = xcalloc((size_t)pt->cons.len + 1, 1);
    for (int i = 0; i < pt->cons.len; i++) {
        if (pt->cons.data[i].src_kind == SRC_NODE) { /* runs when its source grows, if ever */
            touch(pt, pt->cons.data[i].src_node);
            add_reader(pt, pt->cons.data[i].src_node, i);
            continue;
        }
        vec_push(&pt->queue, i);
        pt->queued[i] = true;
    }
    long evals = 0, cap = (long)MAX_ROUNDS * (pt->cons.len + 1);
    for (int head = 0; head < pt->queue.len && evals < cap; head++, evals++) {
        int c = pt->queue.data[head];
        if (head + 16 < pt->queue.len) __builtin_prefetch(&pt->cons.data[pt->queue.data[head + 16]]); /* cold */
        if (head + 8 < pt->queue.len) __builtin_prefetch(pt->cons.data[pt->queue.data[head + 8]].src);
        pt->queued[c] = false;
        pt->cur = c;
        apply(pt, &pt->cons.data[c]);
        if (head > 4096 && head * 2 > pt->queue.len) { /* drop what is done */
            memmove(pt->queue.data, pt->queue.data + head + 1, sizeof(int) * (size_t)(pt->queue.len - head - 1));
            pt->queue.len -= head + 1, head = -1;
        }
    }
    pt->cur = -1;
    pt->rounds = (int)(evals / (pt->cons.len + 1)) + 1;
    free(pt->queue.data), free(pt->queued);
    pt->queue.data = NULL, pt->queue.len = pt->queue.cap = 0, pt->queued = NULL;
    size_t bytes = sizeof(Con) * (size_t)pt->cons.cap + sizeof(Nd) * (size_t)pt->nd.cap + sizeof(Edge) * (size_t)pt->edges.cap +
                   sizeof(int) * (pt->roots_cap + (size_t)pt->order.cap + (size_t)pt->slot_base[pt->p->nfuncs]) +
                   (sizeof(void *) * 2) * (pt->sets.cap + pt->cls.cap);
    /* Only nodes that hold something answer queries: named, in the order
     * they took part in solving. */
    for (int i = 0; i < pt->order.len; i++) {
        const Set *s = &nd_at(pt, pt->order.data[i])->set;
        if (!s->n && !s->top) continue;
        vec_push(&pt->nodes, nd_name(pt, pt->order.data[i]));
        bytes += sizeof(char *) * (size_t)s->cap;
        for (int k = 0; k < s->n; k++) *ptrmap_slot(&pt->pointed, s->v[k], true) = (void *)1;
    }
    int npointers = pt->nodes.len;
    free(pt->edges.data), free(pt->roots), free(pt->order.data), free(pt->marked.data), free(pt->slots), free(pt->slot_base);
    pt->edges.data = NULL, pt->roots = NULL, pt->order.data = NULL, pt->marked.data = NULL, pt->slots = pt->slot_base = NULL;
    free(pt->pending.data), pt->pending.data = NULL;
    pt->done = true;
    if (getenv("THREADVET_TIMING")) /* its cost, for docs/performance.md */
        fprintf(stderr, "threadvet:   points-to: %d constraints, %d pointers, %d rounds, %zu KiB\n", pt->cons.len,
                npointers, pt->rounds, bytes / 1024);
    return pt;
}

void points_to_free(PointsTo *pt) {
    if (!pt) return;
    for (int i = 0; i < pt->nd.len; i++) free(pt->nd.data[i].set.v);
    free(pt->nd.data), free(pt->edges.data), free(pt->roots), free(pt->order.data), free(pt->marked.data), free(pt->pending.data);
    free(pt->slots), free(pt->slot_base);
    ptrmap_free(&pt->sets), ptrmap_free(&pt->cls), ptrmap_free(&pt->pointed);
    for (int i = 0; pt->outs && i < pt->p->nfuncs; i++) free(pt->outs[i].v.data), free(pt->outs[i].instances.data);
    free(pt->nodes.data), free(pt->cons.data), free(pt->allocator), free(pt->outs);
    free(pt);
}

/* ----------------------------------------------------------------- queries */

const PointsTo *analysis_points_to(const Analysis *a) { return a->pt; }

int pt_objects(const PointsTo *pt, const Function *fn, const char *key, const char **out, int max) {
    if (!pt || !key) return -1;
    Tmp t;
    locations(pt, fn, key, &t);
    if (t.top || t.n > max) return -1;
    for (int i = 0; i < t.n; i++) out[i] = t.v[i];
    qsort(out, (size_t)t.n, sizeof *out, by_name); /* messages and edges in one order */
    return t.n;
}

const char *pt_local_object(const Function *fn, const char *key) {
    const char *end = path_root_end(key);
    return pathkey_append(node(fn, key, (size_t)(end - key)), end);
}

bool pt_escapes(const PointsTo *pt, const char *obj) { return pt && ptrmap_get(&pt->pointed, obj); }

/* A node's class: its own (its address was taken somewhere), else its
 * nearest enclosing object's, extended by the fields below it: the
 * pointer field of a lock wrapper embedded in a heap object, filled by an
 * init function given the wrapper's address (`init_recursive(&p->mutex)`
 * stores into `new3.mutex.mutex`, where `new3.mutex` is `struct
 * ports.mutex`: `struct ports.mutex.mutex`). */
static const char *node_class(const PointsTo *pt, const char *node) {
    const char *c = pt_class(pt, node);
    if (c || strpbrk(path_root_end(node), "*[")) return c;
    for (const char *p = node + strlen(node) - 1; p > path_root_end(node); p--) {
        if (*p != '.') continue;
        const char *pc = pt_class(pt, intern_n(node, (size_t)(p - node)));
        if (pc) return class_extend(pc, p);
    }
    return NULL;
}

int pt_class_targets(const PointsTo *pt, const char *cls, const char **out, int max) {
    int n = 0;
    for (int i = 0; pt && i < pt->nodes.len; i++) {
        if (node_class(pt, pt->nodes.data[i]) != cls) continue;
        const Set *st = set_get(pt, pt->nodes.data[i]);
        if (!st) continue;
        if (st->top) return -1;
        for (int k = 0; k < st->n; k++) {
            bool seen = false;
            for (int j = 0; j < n && !seen; j++) seen = out[j] == st->v[k];
            if (seen) continue;
            if (n == max) return -1;
            out[n++] = st->v[k];
        }
    }
    return n;
}

int pt_holder_classes(const PointsTo *pt, const char *obj, const char ***out) {
    VEC(const char *) found = {0};
    for (int i = 0; pt && i < pt->nodes.len; i++) {
        const Set *st = set_get(pt, pt->nodes.data[i]);
        const char *c = st && !st->top && set_has(st, obj) ? node_class(pt, pt->nodes.data[i]) : NULL;
        bool seen = false;
        for (int k = 0; c && k < found.len && !seen; k++) seen = found.data[k] == c;
        if (c && !seen) vec_push(&found, c);
    }
    if (found.len) qsort(found.data, (size_t)found.len, sizeof(char *), by_name);
    *out = found.data;
    return found.len;
}

int pt_factory_instances(const PointsTo *pt, const Function *factory, const char *const **out) {
    if (!pt || !pt->outs) return *out = NULL, 0;
    *out = pt->outs[factory->index].instances.data;
    return pt->outs[factory->index].instances.len;
}

const char *pt_class(const PointsTo *pt, const char *obj) { return pt ? ptrmap_get(&pt->cls, obj) : NULL; }

bool pt_is_heap(const char *obj) { return !strncmp(obj, "new", 3); }

bool pt_allocates(const PointsTo *pt, const Event *ev) { return pt && ev->kind == EV_CALL && is_alloc_call(pt, ev); }

/* How a message names an object: `a`, `s.mu`, `x` (a local), `(malloc at 20:8)->mu`. */
const char *pt_object_name(const PointsTo *pt, const char *obj) {
    const char *end = path_root_end(obj), *rest = end;
    char root[256];
    if (obj[0] == '@') {
        return display_key(NULL, obj);
    } else if (pt_is_heap(obj)) {
        const char *c = strchr(obj, ':');
        snprintf(root, sizeof root, "(memory allocated at %.*s)%s", (int)(end - c - 1), c + 1, *rest == '.' ? "->" : "");
        if (*rest == '.') rest++;
    } else {
        const char *bar = strchr(obj, '|');
        snprintf(root, sizeof root, "%.*s", (int)(end - bar - 1), bar + 1);
        (void)pt;
    }
    return internf("%s%s", root, rest);
}

/* ------------------------------------------------------------------ dumps */

static bool known(const PointsTo *pt, const char *node) {
    const Set *s = set_get(pt, node);
    return s && (s->n || s->top);
}

static void print_set(FILE *out, const Set *s) {
    if (s->top) {
        fputs("{...}\n", out);
        return;
    }
    const char **v = xcalloc((size_t)s->n + 1, sizeof *v);
    memcpy(v, s->v, sizeof *v * (size_t)s->n);
    qsort(v, (size_t)s->n, sizeof *v, by_name);
    fputs("{", out);
    for (int i = 0; i < s->n; i++) fprintf(out, "%s%s", i ? ", " : "", v[i]);
    fputs("}\n", out);
    free(v);
}

/* A function's pointers: `  points-to m -> {@a, @b}`. */
void points_to_dump_function(FILE *out, const Analysis *a, const Function *fn) {
    const PointsTo *pt = a->pt;
    if (!pt) return;
    const char *prefix = internf("%d|", fn->index);
    size_t n = strlen(prefix);
    VEC(const char *) mine = {0};
    for (int i = 0; i < pt->nodes.len; i++)
        if (!strncmp(pt->nodes.data[i], prefix, n) && known(pt, pt->nodes.data[i])) vec_push(&mine, pt->nodes.data[i]);
    if (mine.len) qsort(mine.data, (size_t)mine.len, sizeof(char *), by_name);
    for (int i = 0; i < mine.len; i++) {
        fprintf(out, "  points-to %s -> ", mine.data[i] + n);
        print_set(out, set_get(pt, mine.data[i]));
    }
    free(mine.data);
}

/* Globals and heap objects, and how the solution went. */
void points_to_dump(FILE *out, const Analysis *a) {
    const PointsTo *pt = a->pt;
    if (!pt) return;
    VEC(const char *) glob = {0};
    for (int i = 0; i < pt->nodes.len; i++)
        if (!strchr(pt->nodes.data[i], '|') && known(pt, pt->nodes.data[i])) vec_push(&glob, pt->nodes.data[i]);
    if (glob.len) qsort(glob.data, (size_t)glob.len, sizeof(char *), by_name);
    for (int i = 0; i < glob.len; i++) {
        fprintf(out, "points-to %s -> ", glob.data[i]);
        print_set(out, set_get(pt, glob.data[i]));
    }
    fprintf(out, "points-to: %d constraints, %d nodes, %d rounds\n", pt->cons.len, glob.len, pt->rounds);
    free(glob.data);
}
