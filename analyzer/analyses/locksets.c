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
    PtrMap spin_words;                                   /* words used as spin locks: global keys, field classes */
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
    ptrmap_free(&t->spin_words);
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

/* ---------------------------------------------------------- spin locks */

/* A spin lock is a word taken by an atomic read-modify-write from 0 (a
 * compare-and-swap, an exchange) and released by storing 0 (a plain store,
 * `__sync_lock_release`, an atomic store). No API model names it, so the
 * locks family does not see it; here it is added to the locksets of the
 * events it guards: after the success of such an operation, or after a
 * call of a function every return of which holds a parameter's word
 * (`ngx_spinlock(&lock, 1, 2048)`), until a release of the word. Locks
 * called through a table of callbacks (`if (l) fns.lock(0, l)`) are
 * followed the same way (table_locks). Only the race rule reads these
 * sets: the lock rules keep judging what the locks family saw. */

#define SPIN_MAX 16 /* words one function follows; params a wrapper may take */

static bool prefixed(const char *s, const char *const *names) {
    for (; *names; names++)
        if (!strncmp(s, *names, strlen(*names))) return true;
    return false;
}

static bool is_zero(const Operand *o) { return (o->kind == OPND_CONST && !o->value) || o->kind == OPND_NULL; }

/* The word an address operand names, in the function's terms. */
static const char *word_of(const Operand *o) {
    if (o->kind == OPND_ADDR) return o->path.key;
    if (o->kind == OPND_PATH) return pathkey_append(o->path.key, "*");
    return NULL;
}

/* Call ev takes a word from 0: its word, and in *ok_nonzero whether success
 * is a nonzero result (a compare-and-swap's) or a zero one (the old value of
 * an exchange). */
static const char *spin_take(const Event *ev, bool *ok_nonzero) {
    static const char *const bool_cas[] = {"__sync_bool_compare_and_swap", "__atomic_compare_exchange",
                                           "atomic_compare_exchange", NULL};
    static const char *const old_cas[] = {"__sync_val_compare_and_swap", NULL};
    static const char *const xchg[] = {"__sync_lock_test_and_set", "__atomic_exchange", "atomic_exchange",
                                       "atomic_flag_test_and_set", "__atomic_test_and_set", NULL};
    if (ev->kind != EV_CALL || !ev->callee || ev->nargs < 1) return NULL;
    const char *n = ev->callee;
    if (prefixed(n, bool_cas)) *ok_nonzero = true;
    else if (prefixed(n, old_cas) && ev->nargs >= 2 && is_zero(&ev->args[1])) *ok_nonzero = false;
    else if (prefixed(n, xchg)) *ok_nonzero = false;
    else return NULL;
    if (*ok_nonzero && !strncmp(n, "__sync", 6) && (ev->nargs < 2 || !is_zero(&ev->args[1]))) return NULL;
    return word_of(&ev->args[0]);
}

/* The word event ev releases, or NULL. */
static const char *spin_release(const Event *ev) {
    static const char *const stores[] = {"__sync_lock_release", "__atomic_store", "atomic_store", "atomic_flag_clear",
                                         "__atomic_clear", NULL};
    if (ev->kind == EV_ASSIGN && is_zero(&ev->args[1])) return ev->args[0].path.key;
    if (ev->kind != EV_CALL || !ev->callee || !prefixed(ev->callee, stores) || ev->nargs < 1) return NULL;
    if (strncmp(ev->callee, "__sync", 6) && strncmp(ev->callee, "atomic_flag", 11) && strcmp(ev->callee, "__atomic_clear") &&
        (ev->nargs < 2 || !is_zero(&ev->args[1])))
        return NULL;
    return word_of(&ev->args[0]);
}

/* Callee word `$N rest` in the caller's terms through call ev. */
static const char *spin_subst(const Event *ev, int n) {
    return n < ev->nargs ? word_of(&ev->args[n]) : NULL;
}

typedef struct Spin {
    const Program *p;
    const uint32_t *takes, *frees;          /* per function: params whose word it returns holding / may release */
    const uint32_t *plock, *punlock;        /* per function: params whose pointee it may lock / unlock (an API lock) */
    const char *word[SPIN_MAX]; int nword;  /* this function's words */
} Spin;

/* The bit of word w, added when add is set (a take; a release of a word
 * never taken here changes nothing). */
static int word_bit(Spin *s, const char *w, bool add) {
    if (!w || path_is_frame_local(w)) return -1;
    for (int i = 0; i < s->nword; i++)
        if (s->word[i] == w) return i;
    if (!add || s->nword == SPIN_MAX) return -1;
    s->word[s->nword] = w;
    return s->nword++;
}

static const Function *direct_def(const Program *p, const Event *ev) {
    if (ev->kind != EV_CALL || ev->model) return NULL;
    Callee c = program_call(p, ev);
    return c.def && !c.may ? c.def : NULL;
}

/* A call through a pointer that may reach a function locking (unlocking)
 * its parameter i: `lock_fns.lock(mode, m)`, a table of lock callbacks.
 * The locks family follows no such call; as everywhere in the race rule, a
 * lock the path may hold counts as held. Returns the words it takes and
 * sets *drops to those it releases. */
static uint32_t table_locks(Spin *s, const Event *ev, uint32_t *drops, bool add) {
    *drops = 0;
    if (ev->kind != EV_CALL || ev->model || (!ev->fn && !program_call(s->p, ev).may)) return 0;
    Function *const *ts;
    int n = program_call_targets(s->p, ev, &ts);
    uint32_t take = 0;
    for (int i = 0; i < ev->nargs && i < SPIN_MAX; i++)
        for (int q = 0; q < n; q++) {
            int b = -1;
            if ((s->plock[ts[q]->index] >> i & 1) && (b = word_bit(s, word_of(&ev->args[i]), add)) >= 0) take |= 1u << b;
            if ((s->punlock[ts[q]->index] >> i & 1) && (b = word_bit(s, word_of(&ev->args[i]), false)) >= 0) *drops |= 1u << b;
        }
    return take;
}

/* Held-word mask after event ev, from the mask before it. */
static uint32_t spin_step(Spin *s, const Event *ev, uint32_t held) {
    int b = word_bit(s, spin_release(ev), false);
    if (b >= 0) held &= ~(1u << b);
    uint32_t drops, take = table_locks(s, ev, &drops, true);
    held = (held & ~drops) | take;
    const Function *d = direct_def(s->p, ev);
    for (int i = 0; d && i < SPIN_MAX; i++) {
        if ((s->frees[d->index] >> i & 1) && (b = word_bit(s, spin_subst(ev, i), false)) >= 0) held &= ~(1u << b);
        if ((s->takes[d->index] >> i & 1) && (b = word_bit(s, spin_subst(ev, i), true)) >= 0) held |= 1u << b;
    }
    return held;
}

/* What the branch ending block bl adds on its edge to successor k: the word
 * a take in the block got, when the branch tests its success. */
static uint32_t spin_edge(Spin *s, const Block *bl, int k) {
    if (bl->term != TERM_BRANCH || bl->end->cond.rhs != 0 || (bl->end->cond.rel != REL_EQ && bl->end->cond.rel != REL_NE)) return 0;
    if (bl->end->cond.lhs.kind == OPND_PATH) { /* `if (lock) lock(lock)`: a NULL lock (locking off) counts as held */
        bool is_null_edge = (k == 0) == (bl->end->cond.rel == REL_EQ);
        int b = is_null_edge ? word_bit(s, pathkey_append(bl->end->cond.lhs.path.key, "*"), false) : -1;
        return b >= 0 ? 1u << b : 0;
    }
    if (bl->end->cond.lhs.kind != OPND_TEMP) return 0;
    for (int e = 0; e < bl->nev; e++) {
        bool nonzero;
        const char *w = bl->ev[e].temp == bl->end->cond.lhs.value ? spin_take(&bl->ev[e], &nonzero) : NULL;
        if (!w) continue;
        bool true_is_nonzero = bl->end->cond.rel == REL_NE, ok = (k == 0) == (true_is_nonzero == nonzero);
        int b = ok ? word_bit(s, w, true) : -1;
        return b >= 0 ? 1u << b : 0;
    }
    return 0;
}

/* Must-held words at each block's entry (in[]), by a forward pass. */
static void spin_flow(Spin *s, const Function *fn, uint32_t *in) {
    int nb = fn->nblocks;
    for (int b = 0; b < nb; b++) { /* every word first: a release may come before its take in block order */
        in[b] = b ? ~0u : 0;
        for (int e = 0; e < fn->blocks[b].nev; e++) {
            const Event *ev = &fn->blocks[b].ev[e];
            bool nz;
            word_bit(s, spin_take(ev, &nz), true);
            const Function *d = direct_def(s->p, ev);
            for (int i = 0; d && i < SPIN_MAX; i++)
                if (s->takes[d->index] >> i & 1) word_bit(s, spin_subst(ev, i), true);
            uint32_t drops;
            table_locks(s, ev, &drops, true);
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int b = 0; b < nb; b++) {
            const Block *bl = &fn->blocks[b];
            uint32_t out = in[b];
            for (int e = 0; e < bl->nev; e++) out = spin_step(s, &bl->ev[e], out);
            for (int k = 0; k < block_nsucc(bl); k++) {
                int q = bl->succ[k];
                uint32_t m = q ? in[q] & (out | spin_edge(s, bl, k)) : 0;
                if (q && m != in[q]) in[q] = m, changed = true;
            }
        }
    }
}

static void spin_note_word(LockTable *t, const Operand *o) {
    if (o->kind != OPND_ADDR && o->kind != OPND_PATH) return;
    const char *w = word_of(o);
    if (w && path_is_global(w)) *ptrmap_slot(&t->spin_words, w, true) = (void *)w;
    if (o->kind == OPND_ADDR && o->path.cls && o->path.cls[0] != '@' && strchr(o->path.cls, '.'))
        *ptrmap_slot(&t->spin_words, o->path.cls, true) = (void *)o->path.cls;
}

/* One function: the words it holds at each event join their locksets; what
 * it returns holding or may release, for its callers. */
static void spin_function(LockTable *t, Spin *s, const Function *fn, uint32_t *takes, uint32_t *frees) {
    s->nword = 0;
    uint32_t *in = xcalloc((size_t)fn->nblocks + 1, sizeof *in), at_return = ~0u;
    bool returns = false;
    spin_flow(s, fn, in);
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *bl = &fn->blocks[b];
        uint32_t held = in[b];
        for (int e = 0; e < bl->nev; e++) {
            const Event *ev = &bl->ev[e];
            bool nz;
            if (spin_take(ev, &nz)) spin_note_word(t, &ev->args[0]);
            const Function *d = direct_def(s->p, ev);
            for (int i = 0; d && i < SPIN_MAX && i < ev->nargs; i++)
                if (s->takes[d->index] >> i & 1) spin_note_word(t, &ev->args[i]);
            const Set **slot = at_slot(t, ev);
            if (held && slot && *slot) {
                const char *keys[SPIN_MAX];
                int n = 0;
                for (int i = 0; i < s->nword; i++)
                    if (held >> i & 1) keys[n++] = s->word[i];
                *slot = set_union(t, *slot, set_intern(t, keys, n));
            }
            const char *r = spin_release(ev);
            int pi = r ? path_param_index(r) : -1;
            if (pi >= 0 && pi < SPIN_MAX && !strcmp(path_root_end(r), "*")) frees[fn->index] |= 1u << pi;
            held = spin_step(s, ev, held);
        }
        if (bl->term == TERM_RETURN) at_return &= held, returns = true;
    }
    for (int i = 0; returns && i < s->nword; i++) {
        int pi = path_param_index(s->word[i]);
        if ((at_return >> i & 1) && pi >= 0 && pi < SPIN_MAX && !strcmp(path_root_end(s->word[i]), "*")) takes[fn->index] |= 1u << pi;
    }
    free(in);
}

/* The parameter a lock operand is, directly or through a local only ever
 * assigned it (`pthread_mutex_t *m = lock_;`), else -1. */
static int lock_param(const Function *fn, const Operand *o) {
    if (o->kind != OPND_PATH || *path_root_end(o->path.key)) return -1;
    int n = path_param_index(o->path.key);
    if (n >= 0 || !path_is_frame_local(o->path.key)) return n;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != o->path.key) continue;
            int m = ev->args[1].kind == OPND_PATH && !*path_root_end(ev->args[1].path.key) ? path_param_index(ev->args[1].path.key) : -1;
            if (m < 0 || (n >= 0 && m != n)) return -1;
            n = m;
        }
    return n;
}

/* Which parameters' pointees fn may lock and unlock with the API's locks. */
static void api_lock_params(const Function *fn, uint32_t *lk, uint32_t *un) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            for (int i = 0; ev->kind == EV_CALL && ev->model && i < ev->model->nops; i++) {
                const ModelOp *m = &ev->model->ops[i];
                int pi = m->handle >= 0 && m->handle < ev->nargs ? lock_param(fn, &ev->args[m->handle]) : -1;
                if (pi < 0 || pi >= SPIN_MAX) continue;
                if (m->op == OP_LOCK || m->op == OP_TRYLOCK) *lk |= 1u << pi;
                if (m->op == OP_UNLOCK) *un |= 1u << pi;
            }
        }
}

/* ---------------------------------------------------------- semaphores */

/* A semaphore built from a mutex and a condition variable (fio's
 * fio_sem_down/fio_sem_up) guards like a lock when it is binary. A down
 * waits on a condition under a mutex inside its parameter's object and
 * decrements a counter field of it on every path that returns; an up
 * increments that counter. Between a down and an up a thread holds the one
 * token, so what lies there is exclusive, and an up before a down orders
 * like an unlock before a lock. Only a counter that starts at 0 or 1 is
 * such a token: one started at N lets N threads in, and is left alone. As
 * for spin locks, only the race rule sees these holds: the lock rules
 * would take a signalling semaphore's up for a release of a lock not held. */

#define SEM_MAX 8 /* counter classes followed */

/* The counter `$N*.f` event ev steps by delta (`s->value--`), or NULL. */
static const char *counter_step(const Event *ev, int delta) {
    if (ev->kind != EV_ASSIGN || ev->args[1].kind != OPND_OFFSET || ev->args[1].value != delta) return NULL;
    const char *k = ev->args[0].path.key;
    if (k != ev->args[1].path.key || path_param_index(k) < 0 || strncmp(path_root_end(k), "*.", 2)) return NULL;
    return k;
}

/* Whether fn waits on a condition with a mutex inside the object its
 * counter key k's parameter points to. */
static bool waits_in(const Function *fn, const char *k) {
    size_t root = (size_t)(path_root_end(k) - k);
    for (int b = 0; b < fn->nblocks; b++)
        for (int e = 0; e < fn->blocks[b].nev; e++) {
            const Event *ev = &fn->blocks[b].ev[e];
            const ModelOp *m = ev->kind == EV_CALL && ev->model ? model_op(ev->model, OP_COND_WAIT) : NULL;
            const Operand *l = m && m->handle >= 0 && m->handle < ev->nargs ? &ev->args[m->handle] : NULL;
            if (l && l->kind == OPND_ADDR && !strncmp(l->path.key, k, root + 1) && l->path.key[root] == '*') return true;
        }
    return false;
}

static bool decrements(const Block *bl, const char *k) {
    for (int e = 0; e < bl->nev; e++)
        if (counter_step(&bl->ev[e], -1) == k) return true;
    return false;
}

/* The decrement of the counter fn steps down on every path that returns,
 * having waited for it under the object's mutex: fn is its down. NULL
 * when fn is none. */
static const Event *sem_down_step(const Function *fn) {
    const Event *d = NULL;
    for (int b = 0; b < fn->nblocks && !d; b++)
        for (int e = 0; e < fn->blocks[b].nev && !d; e++)
            if (counter_step(&fn->blocks[b].ev[e], -1)) d = &fn->blocks[b].ev[e];
    const char *k = d ? d->args[0].path.key : NULL;
    if (!k || !waits_in(fn, k)) return NULL;
    bool *in = xcalloc((size_t)fn->nblocks + 1, sizeof *in), returns = false, all = true;
    for (int b = 1; b < fn->nblocks; b++) in[b] = true;
    for (bool changed = true; changed;) { /* must-decremented at each block's entry */
        changed = false;
        for (int b = 0; b < fn->nblocks; b++) {
            const Block *bl = &fn->blocks[b];
            bool out = in[b] || decrements(bl, k);
            for (int q = 0; q < block_nsucc(bl); q++)
                if (bl->succ[q] && in[bl->succ[q]] && !out) in[bl->succ[q]] = false, changed = true;
        }
    }
    for (int b = 0; b < fn->nblocks; b++)
        if (fn->blocks[b].term == TERM_RETURN) returns = true, all &= in[b] || decrements(&fn->blocks[b], k);
    free(in);
    return returns && all ? d : NULL;
}

static bool is_bit(const Operand *o) { return o->kind == OPND_CONST && (o->value == 0 || o->value == 1); }

/* Whether every call of g passes 0 or 1 for its parameter j (directly, or
 * a parameter of the caller that every call passes so). */
static bool param_is_bit(const Program *p, const Function *g, int j, int depth) {
    if (depth > 3) return false;
    for (int f = 0; f < p->nfuncs; f++) {
        const Function *fn = p->funcs[f];
        for (int c = 0; c < fn->ncalls; c++) {
            const Event *ev = fn->calls[c];
            Function *const *ts;
            int n = program_call_targets(p, ev, &ts);
            for (int t = 0; t < n; t++) {
                if (ts[t] != g) continue;
                const Operand *a = j < ev->nargs ? &ev->args[j] : NULL;
                int pj = a && a->kind == OPND_PATH && !*path_root_end(a->path.key) ? path_param_index(a->path.key) : -1;
                if (!a || (!is_bit(a) && (pj < 0 || !param_is_bit(p, fn, pj, depth + 1)))) return false;
            }
        }
    }
    return true;
}

/* Whether every store to counter class cls is a step of 1 or a 0 or 1
 * (a constant, or an init function's parameter every call gives so), and
 * some store sets it: the IR has no static initializers, so a counter only
 * they set (`{..., 3}`) may start anywhere. */
static bool counter_is_binary(const Program *p, const char *cls) {
    bool set = false;
    for (int f = 0; f < p->nfuncs; f++) {
        const Function *fn = p->funcs[f];
        for (int b = 0; b < fn->nblocks; b++)
            for (int e = 0; e < fn->blocks[b].nev; e++) {
                const Event *ev = &fn->blocks[b].ev[e];
                if (ev->kind != EV_ASSIGN || ev->args[0].path.cls != cls) continue;
                const Operand *v = &ev->args[1];
                int pj = v->kind == OPND_PATH && !*path_root_end(v->path.key) ? path_param_index(v->path.key) : -1;
                if (counter_step(ev, -1) || counter_step(ev, 1)) continue;
                if (!is_bit(v) && (pj < 0 || !param_is_bit(p, fn, pj, 0))) return false;
                set = true;
            }
    }
    return set;
}

/* Marks binary semaphores' downs as taking their parameter's object and
 * their ups as releasing it, in the spin tables. */
static void sem_roles(const Program *p, uint32_t *takes, uint32_t *frees) {
    const char *cls[SEM_MAX];
    int ncls = 0;
    for (int f = 0; f < p->nfuncs; f++) {
        const Event *d = sem_down_step(p->funcs[f]);
        int i = d ? path_param_index(d->args[0].path.key) : -1;
        const char *kc = d ? d->args[0].path.cls : NULL;
        if (!kc || i >= SPIN_MAX || !counter_is_binary(p, kc)) continue;
        takes[f] |= 1u << i;
        bool known = false;
        for (int q = 0; q < ncls; q++) known |= cls[q] == kc;
        if (!known && ncls < SEM_MAX) cls[ncls++] = kc;
    }
    for (int f = 0; f < p->nfuncs && ncls; f++) {
        if (takes[f]) continue; /* a down is no up */
        const Function *fn = p->funcs[f];
        for (int b = 0; b < fn->nblocks; b++)
            for (int e = 0; e < fn->blocks[b].nev; e++) {
                const Event *ev = &fn->blocks[b].ev[e];
                const char *k = counter_step(ev, 1);
                for (int q = 0; k && q < ncls; q++)
                    if (ev->args[0].path.cls == cls[q] && path_param_index(k) < SPIN_MAX) frees[f] |= 1u << path_param_index(k);
            }
    }
}

/* Callees first (the program's functions are in bottom-up order). */
static void spin_record(Analysis *a) {
    LockTable *t = a->locks;
    const Program *p = a->p;
    size_t n = (size_t)p->nfuncs + 1;
    uint32_t *takes = xcalloc(n, sizeof *takes), *frees = xcalloc(n, sizeof *frees);
    uint32_t *plock = xcalloc(n, sizeof *plock), *punlock = xcalloc(n, sizeof *punlock);
    for (int f = 0; f < p->nfuncs; f++) api_lock_params(p->funcs[f], &plock[f], &punlock[f]);
    sem_roles(p, takes, frees);
    Spin s = {.p = p, .takes = takes, .frees = frees, .plock = plock, .punlock = punlock};
    for (int f = 0; f < p->nfuncs; f++) spin_function(t, &s, p->funcs[f], takes, frees);
    free(takes), free(frees), free(plock), free(punlock);
}

bool lockset_spin_word(const Analysis *a, Path p) {
    const LockTable *t = a->locks;
    if (!t || !p.key) return false;
    return ptrmap_get(&t->spin_words, p.key) || (p.cls && ptrmap_get(&t->spin_words, p.cls));
}

/* ------------------------------------------------------------ entries */

void locktable_finish(Analysis *a) {
    LockTable *t = a->locks;
    Program *p = a->p;
    spin_record(a);
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
