/* locksets.c — PASS_LOCKSETS: the locks held at every event.
 *
 * The locks family explores each function with the locks held as path
 * facts; at every event it records what the path holds here, and the
 * table keeps the intersection over all paths (a must-lockset). Once every
 * function is done, the entry lockset of a function is what every caller
 * holds at every call of it (with the caller's own entry lockset), computed
 * top-down. Sets are interned: most events share a handful of them. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analyses/passes.h"

typedef struct Set { int n; uint64_t hash; const char **keys; } Set;

struct LockTable {
    const Set **at; uint32_t nevents;                    /* by Event.id: the set at it */
    const Set **pool; size_t pool_cap, pool_used;        /* interned sets */
    const Set **entry; int nentry;                       /* by Function.index */
    Arena *arena;
    pthread_mutex_t mu;                                  /* readers in families side by side intern unions */
};

static const Set empty_set = {0, 0, NULL};

LockTable *locktable_new(uint32_t nevents) {
    LockTable *t = xcalloc(1, sizeof *t);
    t->nevents = nevents;
    t->at = xcalloc((size_t)nevents + 1, sizeof(Set *));
    t->arena = arena_new();
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void locktable_free(LockTable *t) {
    if (!t) return;
    free(t->at), free(t->pool), free(t->entry);
    arena_free(t->arena);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static uint64_t hash_keys(const char *const *k, int n) {
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++) h = (h ^ (uint64_t)(uintptr_t)k[i]) * 1099511628211ull;
    return h;
}

static void pool_insert(LockTable *t, const Set *s);

static void pool_grow(LockTable *t) {
    const Set **old = t->pool;
    size_t cap = t->pool_cap;
    t->pool_cap = cap ? cap * 2 : 64, t->pool_used = 0;
    t->pool = xcalloc(t->pool_cap, sizeof(Set *));
    for (size_t i = 0; i < cap; i++)
        if (old[i]) pool_insert(t, old[i]);
    free(old);
}

static void pool_insert(LockTable *t, const Set *s) {
    if ((t->pool_used + 1) * 2 > t->pool_cap) pool_grow(t);
    size_t j = s->hash & (t->pool_cap - 1);
    while (t->pool[j]) j = (j + 1) & (t->pool_cap - 1);
    t->pool[j] = s, t->pool_used++;
}

/* The one Set with these keys (sorted by name, no duplicates). */
static const Set *set_intern(LockTable *t, const char **keys, int n) {
    if (n == 0) return &empty_set;
    qsort(keys, n, sizeof(char *), by_name);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!m || keys[m - 1] != keys[i]) keys[m++] = keys[i];
    uint64_t h = hash_keys(keys, m);
    for (size_t j = t->pool_cap ? h & (t->pool_cap - 1) : 0; t->pool_cap && t->pool[j]; j = (j + 1) & (t->pool_cap - 1)) {
        const Set *s = t->pool[j];
        if (s->hash == h && s->n == m && !memcmp(s->keys, keys, sizeof(char *) * m)) return s;
    }
    Set *s = arena_alloc(t->arena, sizeof *s);
    s->n = m, s->hash = h;
    s->keys = arena_alloc(t->arena, sizeof(char *) * m);
    memcpy(s->keys, keys, sizeof(char *) * m);
    pool_insert(t, s);
    return s;
}

static bool set_has(const Set *s, const char *k) {
    for (int i = 0; i < s->n; i++)
        if (s->keys[i] == k) return true;
    return false;
}

static const Set *set_meet(LockTable *t, const Set *a, const Set *b) {
    if (a == b) return a;
    const char *keys[64];
    int n = 0;
    for (int i = 0; i < a->n && n < 64; i++)
        if (set_has(b, a->keys[i])) keys[n++] = a->keys[i];
    return set_intern(t, keys, n);
}

static const Set *set_union(LockTable *t, const Set *a, const Set *b) {
    if (!b->n) return a;
    if (!a->n) return b;
    const char *keys[64];
    int n = 0;
    for (int i = 0; i < a->n && n < 64; i++) keys[n++] = a->keys[i];
    for (int i = 0; i < b->n && n < 64; i++) keys[n++] = b->keys[i];
    return set_intern(t, keys, n);
}

/* -------------------------------------------------------- event -> set */

static const Set **at_slot(const LockTable *t, const Event *ev) {
    return ev->id && ev->id <= t->nevents ? &t->at[ev->id] : NULL;
}

bool lockset_wanted(const Analysis *a) { return a->locks != NULL; }

void lockset_record(Analysis *a, const Event *ev, const char *const *keys, int n) {
    LockTable *t = a->locks;
    if (!t) return;
    const char *copy[64];
    if (n > 64) n = 64;
    memcpy(copy, keys, sizeof(char *) * (size_t)n);
    const Set *s = set_intern(t, copy, n);
    const Set **slot = at_slot(t, ev);
    if (slot) *slot = *slot ? set_meet(t, *slot, s) : s;
}

/* Whether some path of the lock analysis reached ev (the race rule leaves
 * out what no path reaches). */
bool lockset_reached(const Analysis *a, const Event *ev) {
    LockTable *t = a->locks;
    if (!t) return true;
    pthread_mutex_lock(&t->mu);
    const Set **slot = at_slot(t, ev);
    bool reached = slot && *slot;
    pthread_mutex_unlock(&t->mu);
    return reached;
}

static const Set *event_set(const LockTable *t, const Event *ev) {
    const Set **slot = at_slot(t, ev);
    return slot && *slot ? *slot : &empty_set;
}

/* ------------------------------------------------------------ entries */

void locktable_finish(Analysis *a) {
    LockTable *t = a->locks;
    Program *p = a->p;
    t->nentry = p->nfuncs;
    t->entry = xcalloc(p->nfuncs + 1, sizeof(Set *));
    for (int f = p->nfuncs - 1; f >= 0; f--) { /* callers come after their callees */
        Function *fn = p->funcs[f];
        if (!t->entry[f]) t->entry[f] = &empty_set; /* a root, or called from nowhere we see */
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                Function *const *targets;
                int n = ev->kind == EV_CALL ? program_call_targets(p, ev, &targets) : 0;
                for (int i = 0; i < n; i++) {
                    int c = targets[i]->index;
                    if (c >= f) continue; /* a call back up a recursive cycle */
                    const Set *held = set_union(t, event_set(t, ev), t->entry[f]);
                    t->entry[c] = t->entry[c] ? set_meet(t, t->entry[c], held) : held;
                }
            }
    }
}

static LockSet as_lockset(const Set *s) { return (LockSet){s->n, (const char *const *)s->keys}; }

LockSet lockset_entry(const Analysis *a, const Function *fn) {
    const LockTable *t = a->locks;
    if (!t || !t->entry || fn->index < 0 || fn->index >= t->nentry) return (LockSet){0, NULL};
    return as_lockset(t->entry[fn->index]);
}

LockSet lockset_at(const Analysis *a, const Function *fn, const Event *ev) {
    LockTable *t = a->locks;
    if (!t) return (LockSet){0, NULL};
    pthread_mutex_lock(&t->mu);
    const Set *s = event_set(t, ev);
    if (t->entry && fn->index >= 0 && fn->index < t->nentry) s = set_union(t, s, t->entry[fn->index]);
    pthread_mutex_unlock(&t->mu);
    return as_lockset(s);
}
