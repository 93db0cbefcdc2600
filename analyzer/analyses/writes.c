/* writes.c — what each function may store to in memory its callers see:
 * the fields (`.count`) and globals (`@g`) it writes, itself or through
 * the functions it calls, bottom-up over the call graph (a recursive
 * cycle shares one set).
 *
 * The path engine keeps what a path learnt of memory across calls, so
 * that tests of one flag stay correlated (`if (s->locked) lock();
 * work(s); if (s->locked) unlock();`). A call whose callee may store to a
 * field a fact's key goes through, or to its global, forgets the fact:
 * after `clear(t)`, which writes `t->n`, the earlier `t->n == 3` no longer
 * holds. What this cannot name stays as before, known across the call: a
 * store through a pointer with no field (`*out = v`), and code we cannot
 * see (no definition, no model saying it writes). */
#include <stdlib.h>
#include <string.h>

#include "analyses/passes.h"

/* A function's written names: a sorted list of ids while it is short, a
 * bitset once the list would be longer than the bitset (most functions
 * write a few names; a bitset each, joined at every call, made a program
 * of many functions and many globals quadratic). */
typedef struct NameSet { int n, cap; uint32_t *ids; uint64_t *bits; } NameSet;

/* One store of a function: a name it writes. */
typedef struct Store { int fn; const char *name; } Store;
typedef VEC(Store) StoreVec;

struct Writes {
    StoreVec own;    /* writes_own's, until writes_end */
    PtrMap ids;      /* a written name (`.f`, `@g`): its id + 1 */
    int words;       /* 64-bit words of a bitset */
    NameSet *sets;   /* by Function.index */
    int nsets;
    bool *any;       /* by Function.index: it writes some name */
};

/* The name a store to key writes: its last field, or a global's root;
 * NULL for a frame's own memory and a pointee with no field. */
static const char *written_name_uncached(const char *key) {
    size_t n = strlen(key);
    while (n > 0 && (key[n - 1] == '*' || key[n - 1] == ']')) n -= key[n - 1] == ']' ? 2 : 1;
    const char *root_end = path_root_end(key);
    for (size_t i = n; i > (size_t)(root_end - key); i--)
        if (key[i - 1] == '.') return intern_n(key + i - 1, n - (i - 1));
    return path_is_global(key) && n == (size_t)(root_end - key) ? path_root(key) : NULL;
}

static const char *written_name(const char *key) {
    if (!key || !(path_traits(key) & (PT_STAR | PT_GLOBAL))) return NULL; /* the frame's own */
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, key, NULL, &hit);
    if (!hit) memo_fill(m, key, NULL, written_name_uncached(key));
    return m->r;
}

/* The names fn's own events store to. */
static void own_stores(const Analysis *a, const Function *fn, StoreVec *out) {
    for (int b = 0; b < fn->nblocks; b++) {
        ir_prefetch_block(fn, b + 1);
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            const char *name = NULL;
            if (ev->kind == EV_ASSIGN && ev->nargs > 0) {
                if ((name = written_name(ev->args[0].path.key))) vec_push(out, ((Store){fn->index, name}));
                continue;
            }
            const Model *m = ev->kind == EV_CALL ? ev->model : NULL;
            if (!m || !m->has_args || program_call(a->p, ev).def) continue;
            for (int i = 0; i < ev->nargs; i++) /* `memset(&s->stats, 0, n)` */
                if (ev->args[i].kind == OPND_ADDR && model_arg_use(m, i) == ARG_WRITE &&
                    (name = written_name(ev->args[i].path.key)))
                    vec_push(out, ((Store){fn->index, name}));
        }
    }
}

/* Where id is or would go in a sorted list. */
static int list_at(const NameSet *s, uint32_t id) {
    int lo = 0, hi = s->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->ids[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static bool set_has(const NameSet *s, uint32_t id) {
    if (s->bits) return s->bits[id / 64] >> (id % 64) & 1;
    int at = list_at(s, id);
    return at < s->n && s->ids[at] == id;
}

static void to_bitset(const Writes *w, NameSet *s) {
    s->bits = xcalloc((size_t)w->words + 1, sizeof(uint64_t));
    for (int i = 0; i < s->n; i++) s->bits[s->ids[i] / 64] |= 1ull << (s->ids[i] % 64);
    free(s->ids), s->ids = NULL, s->n = s->cap = 0;
}

/* Adds id; true when it was not there. */
static bool set_add(const Writes *w, NameSet *s, uint32_t id) {
    if (s->bits) {
        if (s->bits[id / 64] >> (id % 64) & 1) return false;
        s->bits[id / 64] |= 1ull << (id % 64);
        return true;
    }
    int at = list_at(s, id);
    if (at < s->n && s->ids[at] == id) return false;
    if (s->n == s->cap) s->cap = s->cap ? 2 * s->cap : 4, s->ids = xrealloc(s->ids, sizeof(uint32_t) * (size_t)s->cap);
    memmove(s->ids + at + 1, s->ids + at, sizeof(uint32_t) * (size_t)(s->n - at));
    s->ids[at] = id, s->n++;
    if (s->n > 2 * w->words) to_bitset(w, s); /* a list longer than the bitset */
    return true;
}

/* Whether to's set grew by from's. */
static bool join(Writes *w, int to, int from) {
    NameSet *t = &w->sets[to];
    const NameSet *f = &w->sets[from];
    bool grew = false;
    if (t->bits && f->bits) {
        for (int i = 0; i < w->words; i++) grew |= (f->bits[i] & ~t->bits[i]) != 0, t->bits[i] |= f->bits[i];
        return grew;
    }
    if (f->bits) {
        for (int i = 0; i < w->words; i++)
            for (uint64_t word = f->bits[i]; word; word &= word - 1) grew |= set_add(w, t, (uint32_t)(i * 64 + __builtin_ctzll(word)));
        return grew;
    }
    for (int i = 0; i < f->n; i++) grew |= set_add(w, t, f->ids[i]);
    return grew;
}

/* fn's set takes in the sets of every definition its calls may reach. */
static bool join_callees(Writes *w, const Function *fn) {
    bool grew = false;
    for (int k = 0; k < fn->ncallev; k++) {
        Function *const *targets;
        int n = program_call_targets_at(fn, k, &targets);
        for (int t = 0; t < n; t++)
            if (targets[t]->index != fn->index && w->any[targets[t]->index]) grew |= join(w, fn->index, targets[t]->index);
    }
    if (grew) w->any[fn->index] = true;
    return grew;
}

Writes *writes_begin(void) { return xcalloc(1, sizeof(Writes)); }

void writes_own(const Analysis *a, Writes *w, const Function *fn) { own_stores(a, fn, &w->own); }

void writes_end(Analysis *a, Writes *w) {
    Program *p = a->p;
    StoreVec stores = w->own;
    for (int i = 0; i < stores.len; i++) { /* each name its bit */
        void **slot = ptrmap_slot(&w->ids, stores.data[i].name, true);
        if (!*slot) *slot = (void *)(uintptr_t)w->ids.used;
    }
    w->words = (int)((w->ids.used + 63) / 64);
    w->sets = xcalloc((size_t)p->nfuncs + 1, sizeof(NameSet)), w->nsets = p->nfuncs;
    w->any = xcalloc((size_t)p->nfuncs + 1, 1);
    for (int i = 0; i < stores.len; i++) {
        uintptr_t id = (uintptr_t)ptrmap_get(&w->ids, stores.data[i].name) - 1;
        set_add(w, &w->sets[stores.data[i].fn], (uint32_t)id);
        w->any[stores.data[i].fn] = true;
    }
    free(stores.data);
    w->own = (StoreVec){0};
    for (int lo = 0, hi; lo < p->nfuncs && w->words; lo = hi) { /* one SCC at a time, callees first */
        hi = program_scc_end(p, lo);
        for (bool grew = true; grew;) {
            grew = false;
            for (int i = lo; i < hi; i++) grew |= join_callees(w, p->funcs[i]) && hi - lo > 1;
        }
    }
    a->writes = w;
}

void writes_free(Writes *w) {
    if (!w) return;
    ptrmap_free(&w->ids);
    for (int i = 0; w->sets && i < w->nsets; i++) free(w->sets[i].ids), free(w->sets[i].bits);
    free(w->sets), free(w->any);
    free(w);
}

static bool writes_name(const Writes *w, int fn, const char *name, size_t len) {
    const char *s = intern_n(name, len);
    uintptr_t id = (uintptr_t)ptrmap_get(&w->ids, s);
    return id && set_has(&w->sets[fn], (uint32_t)(id - 1));
}

/* Whether a call of callee may change what the path knows at key: a
 * store to one of the fields the key goes through, or to its global. */
static bool may_write_uncached(const Writes *w, const Function *callee, const char *key) {
    const char *end = path_root_end(key);
    if (path_is_global(key) && writes_name(w, callee->index, key, (size_t)(end - key))) return true;
    for (const char *c = end; *c; c++) {
        if (*c != '.') continue;
        size_t n = strcspn(c + 1, ".*[") + 1;
        if (writes_name(w, callee->index, c, n)) return true;
    }
    return false;
}

bool writes_any(const Analysis *a, const Function *callee) {
    const Writes *w = a->writes;
    return w && callee && callee->index >= 0 && callee->index < a->p->nfuncs && w->any[callee->index];
}

bool writes_may_change(const Analysis *a, const Function *callee, const char *key) {
    const Writes *w = a->writes;
    if (!writes_any(a, callee)) return false;
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, key, callee, &hit);
    if (!hit) memo_fill(m, key, callee, (const void *)(uintptr_t)may_write_uncached(w, callee, key));
    return m->r != NULL;
}
