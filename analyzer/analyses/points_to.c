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

#define MAX_PTS 32      /* a larger set is "anything": unknown */
#define MAX_FIELDS 4    /* fields below an object's root before they fold */
#define MAX_ROUNDS 64

/* A pointer's objects, and the constraints that read it (run again when
 * it grows). */
typedef struct Set { const char **v; int n, cap; bool top; VEC(int) readers; } Set;

typedef enum { SRC_OPERAND, SRC_NODE, SRC_OBJECT } SrcKind;

/* dst ⊇ src: dst is a location key of fn (or a fixed node), src an
 * operand of fn (or a node's set, or one object). */
typedef struct Con {
    const Function *fn;
    const char *dst_key, *dst_node;
    uint8_t src_kind;
    const Operand *src;
    const char *src_name; /* SRC_NODE / SRC_OBJECT */
    const char *cls;      /* the class of what dst_key names */
} Con;

struct PointsTo {
    const Program *p;
    const Topology *topo;    /* which calls create threads */
    PtrMap sets;     /* node -> Set* */
    PtrMap cls;      /* object -> its class (`struct q.mu`) */
    PtrMap pointed;  /* objects some pointer may hold */
    VEC(Con) cons;
    VEC(const char *) nodes; /* every node with a set, for dumps */
    bool *allocator;         /* by Function.index: returns fresh memory only */
    int rounds;          /* constraint evaluations over the number of constraints */
    bool changed;
    int cur;             /* the constraint being evaluated; -1 after solving */
    VEC(int) queue;
    bool *queued;
};

/* ------------------------------------------------------------------ sets */

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static Set *set_of(PointsTo *pt, const char *node, bool insert) {
    void **slot = ptrmap_slot(&pt->sets, node, insert);
    if (!slot) return NULL;
    if (!*slot) {
        *slot = xcalloc(1, sizeof(Set));
        vec_push(&pt->nodes, node);
    }
    return *slot;
}

/* A read of node's set: while solving, the constraint reading it is
 * remembered, to run again when the set grows. */
static const Set *set_get(const PointsTo *pt, const char *node) {
    if (pt->cur < 0) return ptrmap_get(&pt->sets, node);
    PointsTo *w = (PointsTo *)pt; /* solving is single-threaded; queries (cur < 0) only read */
    Set *s = set_of(w, node, true);
    if (!s->readers.len || s->readers.data[s->readers.len - 1] != pt->cur) vec_push(&s->readers, pt->cur);
    return s;
}

static void grew(PointsTo *pt, Set *s) {
    pt->changed = true;
    for (int i = 0; i < s->readers.len; i++) {
        int c = s->readers.data[i];
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

static void set_add(PointsTo *pt, Set *s, const char *o) {
    if (s->top || set_has(s, o)) return;
    grew(pt, s);
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

static const char *node(const Function *fn, const char *root, size_t n) {
    return internf("%d|%.*s", fn->index, (int)n, root);
}

static const char *temp_node(const Function *fn, int64_t t) { return internf("%d|%%%lld", fn->index, (long long)t); }
static const char *ret_node(const Function *fn) { return internf("%d|^ret", fn->index); }
static const char *param_node(const Function *fn, int i) { return internf("%d|$%d", fn->index, i); }
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
    return pathkey_append(o, intern_n(comp, n));
}

/* ------------------------------------------------------------ evaluation */

/* The objects location key of fn denotes: its root, then each `.f` and
 * `[]` a sub-object, each `*` what the objects so far point to. */
static void locations(const PointsTo *pt, const Function *fn, const char *key, Tmp *out) {
    const char *end = path_root_end(key);
    out->n = 0, out->top = false;
    tmp_add(out, key[0] == '@' ? intern_n(key, (size_t)(end - key)) : node(fn, key, (size_t)(end - key)));
    for (const char *p = end; *p && !out->top;) {
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
    case OPND_TEMP:
        tmp_union(out, set_get(pt, temp_node(fn, o->value)));
        return;
    case OPND_UNKNOWN:
        for (int i = 0; i < o->nalts; i++) value(pt, fn, &o->alts[i], out);
        return;
    default:
        return;
    }
}

static void apply(PointsTo *pt, const Con *c) {
    Tmp src = {.n = 0}, dst;
    switch (c->src_kind) {
    case SRC_OPERAND: value(pt, c->fn, c->src, &src); break;
    case SRC_NODE: tmp_union(&src, set_get(pt, c->src_name)); break;
    default: tmp_add(&src, c->src_name); break;
    }
    if (!src.n && !src.top) return;
    if (c->dst_node) dst = (Tmp){.v = {c->dst_node}, .n = 1};
    else locations(pt, c->fn, c->dst_key, &dst);
    for (int i = 0; i < dst.n; i++) {
        Set *s = set_of(pt, dst.v[i], true);
        if (src.top && !s->top) s->top = true, grew(pt, s);
        for (int k = 0; k < src.n; k++) set_add(pt, s, src.v[k]);
    }
    /* The class of an object an address names (`&q->mu`: struct q.mu). */
    if (c->src_kind == SRC_OPERAND && c->src->kind == OPND_ADDR && c->src->path.cls)
        for (int k = 0; k < src.n; k++) *ptrmap_slot(&pt->cls, src.v[k], true) = (void *)c->src->path.cls;
}

/* ------------------------------------------------------------ constraints */

static void con(PointsTo *pt, Con c) { vec_push(&pt->cons, c); }

static bool is_alloc_call(const PointsTo *pt, const Event *ev) {
    if (ev->model && model_op(ev->model, OP_ALLOC)) return true;
    const ModelOp *mk = ev->model ? model_op(ev->model, OP_CHAN_MAKE) : NULL; /* a new channel is a new object */
    if (mk && mk->handle == ROLE_RETURN) return true;
    Callee c = program_call(pt->p, ev);
    return c.def && !c.may && pt->allocator[c.def->index];
}

/* A function whose every return is fresh memory (or NULL): its callers
 * allocate. Bottom-up, so wrappers of wrappers count too. */
static void find_allocators(PointsTo *pt) {
    const Program *p = pt->p;
    for (int i = 0; i < p->nfuncs; i++) {
        Function *fn = p->funcs[i];
        bool any = false, only = true;
        for (int b = 0; b < fn->nblocks && only; b++) {
            const Block *bl = &fn->blocks[b];
            if (bl->term != TERM_RETURN) continue;
            if (bl->ret.kind == OPND_NULL || (bl->ret.kind == OPND_CONST && bl->ret.value == 0)) continue;
            only = false;
            if (bl->ret.kind != OPND_TEMP) break;
            for (int e = 0; e < bl->nev; e++) /* the result of an allocation in the same block */
                if (bl->ev[e].kind == EV_CALL && bl->ev[e].temp == bl->ret.value) only = is_alloc_call(pt, &bl->ev[e]);
            any = only;
        }
        pt->allocator[fn->index] = any && only;
    }
}

static void bind_call(PointsTo *pt, const Function *fn, const Event *ev, const Function *callee) {
    for (int a = 0; a < ev->nargs && a < callee->nparams; a++)
        con(pt, (Con){fn, NULL, param_node(callee, a), SRC_OPERAND, &ev->args[a], NULL, NULL});
    if (ev->temp >= 0)
        con(pt, (Con){fn, NULL, temp_node(fn, ev->temp), SRC_NODE, NULL, ret_node(callee), NULL});
}

static void call_constraints(PointsTo *pt, const Function *fn, const Event *ev) {
    if (ev->temp >= 0 && is_alloc_call(pt, ev)) {
        con(pt, (Con){fn, NULL, temp_node(fn, ev->temp), SRC_OBJECT, NULL, new_object(fn, ev->loc), NULL});
        return;
    }
    int si, ai, hi; /* a create (or a create wrapper's call): the routine gets its argument */
    if (pt->topo && topo_create_args(pt->topo, fn, ev, &si, &ai, &hi) && ai >= 0) {
        Function *starts[4];
        int ns = topo_create_routines(pt->p, fn, &ev->args[si], starts, 4);
        for (int q = 0; q < ns; q++)
            if (starts[q]->nparams > 0) con(pt, (Con){fn, NULL, param_node(starts[q], 0), SRC_OPERAND, &ev->args[ai], NULL, NULL});
    }
    if (ev->fn) {
        Function *const *targets;
        int n = program_call_targets(pt->p, ev, &targets);
        for (int i = 0; i < n; i++) bind_call(pt, fn, ev, targets[i]);
        return;
    }
    Callee c = program_call(pt->p, ev);
    if (c.def) bind_call(pt, fn, ev, c.def);
}

static void function_constraints(PointsTo *pt, const Function *fn) {
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *bl = &fn->blocks[b];
        for (int e = 0; e < bl->nev; e++) {
            const Event *ev = &bl->ev[e];
            if (ev->kind == EV_ASSIGN && ev->nargs == 2 && ev->args[0].kind == OPND_PATH)
                con(pt, (Con){fn, key_of(ev->args[0].path), NULL, SRC_OPERAND, &ev->args[1], NULL, ev->args[0].path.cls});
            else if (ev->kind == EV_CALL)
                call_constraints(pt, fn, ev);
        }
        if (bl->term == TERM_RETURN && bl->ret.kind != OPND_NONE)
            con(pt, (Con){fn, NULL, ret_node(fn), SRC_OPERAND, &bl->ret, NULL, NULL});
    }
}

/* ---------------------------------------------------------------- solving */

PointsTo *points_to_compute(Analysis *a) {
    PointsTo *pt = xcalloc(1, sizeof *pt);
    pt->p = a->p, pt->cur = -1, pt->topo = a->topo;
    pt->allocator = xcalloc((size_t)a->p->nfuncs + 1, 1);
    find_allocators(pt);
    for (int i = 0; i < a->p->nfuncs; i++) function_constraints(pt, a->p->funcs[i]);
    /* A worklist: every constraint once, then those whose inputs grew
     * (sets are bounded, so it ends; the cap is a guard). */
    pt->queued = xcalloc((size_t)pt->cons.len + 1, 1);
    for (int i = 0; i < pt->cons.len; i++) {
        vec_push(&pt->queue, i);
        pt->queued[i] = true;
    }
    long evals = 0, cap = (long)MAX_ROUNDS * (pt->cons.len + 1);
    for (int head = 0; head < pt->queue.len && evals < cap; head++, evals++) {
        int c = pt->queue.data[head];
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
    int npointers = 0;
    size_t bytes = sizeof(Con) * (size_t)pt->cons.cap + (sizeof(void *) * 2) * (pt->sets.cap + pt->cls.cap);
    for (int i = 0; i < pt->nodes.len; i++) {
        const Set *s = set_get(pt, pt->nodes.data[i]);
        bytes += sizeof(Set) + sizeof(char *) * (size_t)s->cap + sizeof(int) * (size_t)s->readers.cap;
        npointers += s->n || s->top;
        for (int k = 0; k < s->n; k++) *ptrmap_slot(&pt->pointed, s->v[k], true) = (void *)1;
    }
    if (getenv("THREADVET_TIMING")) /* its cost, for docs/performance.md */
        fprintf(stderr, "threadvet:   points-to: %d constraints, %d pointers, %d rounds, %zu KiB\n", pt->cons.len,
                npointers, pt->rounds, bytes / 1024);
    return pt;
}

void points_to_free(PointsTo *pt) {
    if (!pt) return;
    for (int i = 0; i < pt->nodes.len; i++) {
        Set *s = ptrmap_get(&pt->sets, pt->nodes.data[i]);
        free(s->v), free(s->readers.data), free(s);
    }
    ptrmap_free(&pt->sets), ptrmap_free(&pt->cls), ptrmap_free(&pt->pointed);
    free(pt->nodes.data), free(pt->cons.data), free(pt->allocator);
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

int pt_class_targets(const PointsTo *pt, const char *cls, const char **out, int max) {
    int n = 0;
    for (int i = 0; pt && i < pt->nodes.len; i++) {
        if (pt_class(pt, pt->nodes.data[i]) != cls) continue;
        const Set *st = ptrmap_get(&pt->sets, pt->nodes.data[i]);
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

int pt_holder_classes(const PointsTo *pt, const char *obj, const char **out, int max) {
    int n = 0;
    for (int i = 0; pt && i < pt->nodes.len; i++) {
        const Set *st = ptrmap_get(&pt->sets, pt->nodes.data[i]);
        const char *c = st && !st->top && set_has(st, obj) ? pt_class(pt, pt->nodes.data[i]) : NULL;
        bool seen = false;
        for (int k = 0; c && k < n && !seen; k++) seen = out[k] == c;
        if (c && !seen && n < max) out[n++] = c;
    }
    return n;
}

const char *pt_class(const PointsTo *pt, const char *obj) { return pt ? ptrmap_get(&pt->cls, obj) : NULL; }

bool pt_is_heap(const char *obj) { return !strncmp(obj, "new", 3); }

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
    qsort(mine.data, (size_t)mine.len, sizeof(char *), by_name);
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
    qsort(glob.data, (size_t)glob.len, sizeof(char *), by_name);
    for (int i = 0; i < glob.len; i++) {
        fprintf(out, "points-to %s -> ", glob.data[i]);
        print_set(out, set_get(pt, glob.data[i]));
    }
    fprintf(out, "points-to: %d constraints, %d nodes, %d rounds\n", pt->cons.len, glob.len, pt->rounds);
    free(glob.data);
}
