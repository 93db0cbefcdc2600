/* races.c — the data-race rule: a location two threads that may run at
 * the same time access, one of them writing, with no lock held at both and
 * neither access atomic.
 *
 * Each function's summary lists the shared accesses it makes, itself or
 * through its callees: the location in the function's own terms (a global,
 * what a parameter points to, or an object points-to named), read or
 * write, the locks held, and what orders it against other threads:
 *   created  routines whose threads the frames on its call chain may have
 *            created before it (topo_created_before_all); at a root, with
 *            those that may exist when it starts: what may exist (main's
 *            set-up before the creates is alone);
 *   joined   routines whose threads were joined on every path before it;
 *   post     hand-offs after it on some path: a send or close on a
 *            channel, the lock of a mutex (publishing under it);
 *   wait     hand-offs before it: a receive or a lock on every path, a
 *            condition-variable wait with that mutex on some path.
 * A callee's accesses come up through each call (its parameters replaced
 * by the arguments; the call's locks and ordering added), so a location is
 * named in the thread's terms at its root: `main` and every start routine.
 * There points-to names the objects; the whole-program step pairs the
 * roots' accesses of each object, one finding per object.
 *
 * Precision first. Not paired: locals of a frame each thread has, memory
 * each thread allocated for itself, fresh memory before it is published,
 * `_Atomic` objects and thread-local variables (Event.flags), the atomic
 * builtins (calls, not accesses), array elements of a `[]` location,
 * generic allocators' sites, accesses no path of the lock analysis
 * reaches, calls through pointers with several candidates, and, unless
 * --data-race-shared-code, code several threads share (only code one
 * thread's kind runs is summarised), and, unless --data-race-mode-flags,
 * pairs one of which a mode field selects that the other never tests. A
 * routine's threads each own the memory every create hands them fresh
 * (ownership transfer). */
#include <stdlib.h>
#include <string.h>

#include "analyses/engine.h"
#include "analyses/passes.h"
#include "ir/ir.h"

#define MAX_ACCESSES 2048 /* per summary; past it the function is incomplete */
#define MAX_OBJS 8        /* objects one pointer access may be, else not followed */
#define MAX_TOKENS 64     /* hand-off objects, program-wide (bits) */
#define MAX_DEREFS 3      /* pointers followed from a root */
#define MAX_FIELDS 6      /* fields and elements on the way */
#define MAX_VARIANTS 4    /* one location's accesses kept apart by their locks and order, then merged */

/* The call chain from a root down to an access, for thread flows. */
typedef struct Chain { Loc at; const Function *callee; const struct Chain *next; } Chain;

typedef struct Acc {
    const char *key, *cls;  /* location in this function's terms, or an object (obj) */
    bool obj, write;
    const Function *fn;     /* where the access is */
    Loc loc;
    const char *locks;      /* held, in this function's terms: sorted keys joined by '\n' ("" none) */
    uint64_t created, joined, post, wait; /* created: routines its chain's frames may have created before it */
    const Chain *chain;     /* calls from this function to the access */
} Acc;

typedef struct RaceSummary { VEC(Acc) acc; bool capped; } RaceSummary;

/* Per-function hand-off facts, computed once. */
typedef struct Flow1 { uint64_t *in_must, *in_may, *out_after, posts, waits; bool any, busy; } Flow1;

typedef struct Global {
    FamilyRun *r;
    const Rule *rule;
    const Analysis *a;
    const Program *p;
    const Topology *t;
    const PointsTo *pt;
    Arena *arena;
    int *bit;                    /* per function: its bit as a start routine, or -1 */
    const Function **by_bit;
    int nbits;
    VEC(const char *) tokens;
    Flow1 *flows;                /* per function, lazily */
    PtrMap reported;             /* objects already reported */
    PtrMap struct_of;            /* a global struct's root (`@A`) -> its class prefix (`struct acct`, `!file`) */
    /* What can race at all, by access class (a global's root, else the
     * field's class): written somewhere, and touched by a thread. Other
     * accesses are not kept, which keeps summaries small. */
    PtrMap written, in_threads;
    PtrMap index; VEC(int) next; /* the summary being built: entries by key */
    const Event *via; const Function *via_callee; /* the call its callee's entries come through */
    PtrMap *lock_class;          /* per function: a lock operand's key -> `@^struct q.mu` (its field's class);
                                  * a spelling (`$0*.mu`, `p*.mu`) is another lock in each function */
    uint8_t *fresh;              /* per function: 2 when it returns fresh memory, 1 when not, 0 not known yet */
    bool shared_code;            /* also pair accesses in code several threads share */
    bool mode_flags;             /* also pair accesses a mode field selects */
    PtrMap list_heads;           /* objects a list walk stops at (`e != &q->list`) */
    uint64_t *pub_known, *pub_yes; /* per function: parameters (bit N) publishes_param has judged, and its answers */
    bool heads_known;
} Global;

/* Remembers which struct a global is, from a location `@A.f` of class
 * `struct acct.f!file`: its locks can then be matched with a class's. */
static void note_struct(Global *g, const char *key, const char *cls) {
    if (!key || key[0] != '@' || key[1] == '^' || !cls || cls[0] == '@') return;
    const char *end = path_root_end(key);
    if (end[0] != '.' || strpbrk(end + 1, ".*[")) return;
    const char *bang = strchr(cls, '!'), *head_end = bang ? bang : cls + strlen(cls);
    const char *dot = NULL;
    for (const char *q = cls; q < head_end; q++)
        if (*q == '.') dot = q;
    if (!dot) return;
    void **slot = ptrmap_slot(&g->struct_of, intern_n(key, (size_t)(end - key)), true);
    if (!*slot) *slot = (void *)internf("%.*s|%s", (int)(dot - cls), cls, bang ? bang : "");
}

/* A global's lock `@A.mu` as its class `@^struct acct.mu!file`, or NULL. */
static const char *global_lock_class(Global *g, const char *key) {
    const char *end = path_root_end(key);
    if (key[1] == '^' || end[0] != '.' || strpbrk(end + 1, ".*[")) return NULL;
    const char *st = ptrmap_get(&g->struct_of, intern_n(key, (size_t)(end - key)));
    if (!st) return NULL;
    const char *bar = strchr(st, '|');
    return internf("@^%.*s%s%s", (int)(bar - st), st, end, bar + 1);
}

static RaceSummary *sum_of(Global *g, const Function *fn) { return family_summary(g->r, fn); }

/* --------------------------------------------------------------- locks */

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *locks_join(const char **k, int n) {
    qsort(k, (size_t)n, sizeof *k, by_str);
    char buf[2048];
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o < sizeof buf; i++)
        if (!i || strcmp(k[i], k[i - 1])) o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? "\n" : "", k[i]);
    return intern(buf);
}

static int locks_split(const char *s, const char **out, int max) {
    int n = 0;
    while (s && *s && n < max) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        out[n++] = intern_n(s, len);
        s = e ? e + 1 : NULL;
    }
    return n;
}

/* ------------------------------------------------------- substitution */

/* `$N rest` through call ev's argument N, in the caller's terms; NULL when
 * the argument is no location (a constant, an unknown expression). */
static const char *subst_key(const Event *ev, const char *key) {
    int n = path_param_index(key);
    if (n < 0) return key;
    if (n >= ev->nargs) return NULL;
    const Operand *a = &ev->args[n];
    const char *rest = path_root_end(key);
    if (a->kind == OPND_PATH) return internf("%s%s", a->path.key, rest);
    if (a->kind == OPND_ADDR && rest[0] == '*') return internf("%s%s", a->path.key, rest + 1);
    if (a->kind == OPND_ADDR && !rest[0]) return NULL; /* the address itself: a value, not an access */
    return NULL;
}

/* A local of fn only ever assigned one parameter's value (`struct job *j =
 * arg`): its pointee is the parameter's. */
static const char *alias_root(const Function *fn, const char *key) {
    const char *end = path_root_end(key);
    if (key[0] == '@' || key[0] == '$' || end[0] != '*') return key;
    const char *root = intern_n(key, (size_t)(end - key)), *src = NULL;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != root) continue;
            const Operand *s = &ev->args[1];
            if (s->kind != OPND_PATH || path_param_index(s->path.key) < 0 || *path_root_end(s->path.key)) return key;
            if (src && src != s->path.key) return key;
            src = s->path.key;
        }
    return src ? internf("%s%s", src, end) : key;
}

/* A held lock in terms its callers can use: a global or a class stays,
 * a parameter's stays (the call replaces it), a local's pointee becomes
 * the objects points-to says (all of them: a lock the path may hold is
 * taken as held, so no race is claimed on its account). */
static int norm_lock(const Global *g, const Function *fn, const char *key, const char **out, int max) {
    int n = 0;
    const char *cls = ptrmap_get(&g->lock_class[fn->index], key); /* also the class: lockdep-like, two of one class match */
    if (cls && max > 1) out[n++] = cls, max--;
    if (key[0] == '@' || strchr(key, '|') || !strncmp(key, "new", 3)) return out[n++] = key, n;
    key = alias_root(fn, key);
    if (path_param_index(key) >= 0) return out[n++] = key, n;
    if (!strchr(key, '*')) return out[n++] = pt_local_object(fn, key), n;
    int k = pt_objects(g->pt, fn, key, out + n, max);
    return k < 0 ? n : n + k;
}

static const char *held_at(const Global *g, const Function *fn, const Event *ev) {
    LockSet ls = lockset_at(g->a, fn, ev);
    const char *held[64];
    int n = 0;
    for (int i = 0; i < ls.n && n < 60; i++) n += norm_lock(g, fn, ls.keys[i], held + n, 4);
    return locks_join(held, n);
}

/* --------------------------------------------------------- ownership */

static bool returns_fresh(Global *g, const Function *fn, int depth);

enum { NOT_FRESH, MAYBE_FRESH, FRESH };

/* Whether call ev returns fresh memory: an allocation (its model), or a
 * function every return of which is one (`xmalloc`); a call through a
 * pointer nothing resolves (a custom allocator's hook) may be. */
static int fresh_call(Global *g, const Event *ev, int depth) {
    if (ev->model && model_op(ev->model, OP_ALLOC)) return FRESH;
    Callee c = program_call(g->p, ev);
    if (c.model && model_op(c.model, OP_ALLOC)) return FRESH;
    if ((!c.def && !c.model && !ev->callee) || (c.def && c.may)) return MAYBE_FRESH;
    return c.def && returns_fresh(g, c.def, depth + 1) ? FRESH : NOT_FRESH;
}

static int min_fresh(int a, int b) { return a < b ? a : b; }

/* A local every assignment of which is (maybe) fresh memory. */
static int fresh_local(Global *g, const Function *fn, const char *root, int depth) {
    int r = -1;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != root) continue;
            if (ev->args[1].kind != OPND_TEMP) return NOT_FRESH;
            const Event *call = NULL;
            for (int q = 0; q <= k && !call; q++)
                if (fn->blocks[b].ev[q].kind == EV_CALL && fn->blocks[b].ev[q].temp == ev->args[1].value) call = &fn->blocks[b].ev[q];
            int f = call ? fresh_call(g, call, depth) : NOT_FRESH;
            r = r < 0 ? f : min_fresh(r, f);
        }
    return r < 0 ? NOT_FRESH : r;
}

/* Every return is NULL, fresh, or maybe fresh, and one is fresh. */
static bool returns_fresh(Global *g, const Function *fn, int depth) {
    uint8_t *memo = &g->fresh[fn->index];
    if (*memo) return *memo == 2;
    if (depth > 4) return false;
    *memo = 1; /* a recursive call: not fresh */
    bool any = false, all = true;
    for (int b = 0; b < fn->nblocks && all; b++) {
        const Block *bl = &fn->blocks[b];
        if (bl->term != TERM_RETURN || bl->end->ret.kind == OPND_NULL || (bl->end->ret.kind == OPND_CONST && !bl->end->ret.value)) continue;
        int f = NOT_FRESH;
        for (int e = 0; bl->end->ret.kind == OPND_TEMP && e < bl->nev; e++)
            if (bl->ev[e].kind == EV_CALL && bl->ev[e].temp == bl->end->ret.value) f = fresh_call(g, &bl->ev[e], depth);
        if (bl->end->ret.kind == OPND_PATH && path_is_frame_local(bl->end->ret.path.key) && !*path_root_end(bl->end->ret.path.key))
            f = fresh_local(g, fn, bl->end->ret.path.key, depth); /* `void *p = alloc(n); ...; return p;` */
        all = f != NOT_FRESH, any |= f == FRESH;
    }
    *memo = any && all ? 2 : 1;
    return *memo == 2;
}

static bool is_alloc(Global *g, const Function *fn, int temp) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind == EV_CALL && ev->temp == temp) return fresh_call(g, ev, 0) == FRESH;
        }
    return false;
}

static bool is_null(const Operand *v) { return v->kind == OPND_NULL || (v->kind == OPND_CONST && !v->value); }

/* Whether assignment ev stores fresh memory fn allocated into its local,
 * or NULL (`free(p); p = NULL;` leaves no memory to reach through it). */
static bool fresh_or_null(Global *g, const Function *fn, const Event *ev) {
    const Operand *v = &ev->args[1];
    return is_null(v) || (v->kind == OPND_TEMP && is_alloc(g, fn, (int)v->value));
}

static int block_of(const Function *fn, const Event *ev) {
    for (int b = 0; b < fn->nblocks; b++)
        if (ev >= fn->blocks[b].ev && ev < fn->blocks[b].ev + fn->blocks[b].nev) return b;
    return -1;
}

/* Local `root` of fn holds memory fn allocated (its only assignments are
 * allocations) and is the argument of a create: that create, else NULL.
 * A create in a loop needs the allocation in a loop too (a fresh object
 * per thread). */
static const Event *handed_over(Global *g, const Function *fn, const char *root) {
    bool alloc_in_loop = false, any = false;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != root || is_null(&ev->args[1])) continue;
            if (!fresh_or_null(g, fn, ev)) return NULL;
            any = true, alloc_in_loop |= block_in_cycle(fn, b);
        }
    if (!any) return NULL;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            int s, a, h;
            if (ev->kind != EV_CALL || !topo_create_args(g->t, fn, ev, &s, &a, &h) || a < 0) continue;
            if (ev->args[a].kind == OPND_PATH && ev->args[a].path.key == root)
                return !block_in_cycle(fn, b) || alloc_in_loop ? ev : NULL;
        }
    return NULL;
}

static bool publishes_param(Global *g, const Function *fn, int i, int depth);

/* Whether a model gives its argument i away: a create, a send, an escape. */
static bool model_gives_away(const Model *m, int i) {
    return model_arg_use(m, i) == ARG_ESCAPE || model_op(m, OP_THREAD_CREATE) || model_op(m, OP_CHAN_SEND);
}

/* Whether call ev may give its argument i away: a create or a send (the
 * models' escape), or code nothing shows. A definition we see gives it
 * away only when it publishes it itself (`start(s)` creating a thread on
 * s), not by being unsure (`POOL_free(ctx)` on an error path). */
static bool gives_away(Global *g, const Event *ev, int i) {
    Callee c = program_call(g->p, ev);
    if (c.model) return model_gives_away(c.model, i);
    if (!c.def || c.may) return true;
    return publishes_param(g, c.def, i, 0);
}

/* What a pointer value key points to, as `$N*` when it is a parameter or a
 * local only ever given one. */
static const char *value_of(const Function *fn, const char *key) {
    return *path_root_end(key) ? NULL : alias_root(fn, pathkey_append(key, "*"));
}

/* Whether fn's parameter i (or a local only ever given it) is stored in
 * memory others reach, or passed to a model or definition that gives it
 * away. Code nothing shows does not count here: see gives_away. */
static bool publishes_param_at(Global *g, const Function *fn, int i, int depth);

static bool publishes_param(Global *g, const Function *fn, int i, int depth) {
    if (i >= 64 || depth > 0) return publishes_param_at(g, fn, i, depth);
    uint64_t bit = 1ull << i;
    if (!g->pub_known) g->pub_known = xcalloc((size_t)g->p->nfuncs + 1, 8), g->pub_yes = xcalloc((size_t)g->p->nfuncs + 1, 8);
    if (!(g->pub_known[fn->index] & bit)) {
        g->pub_known[fn->index] |= bit;
        if (publishes_param_at(g, fn, i, depth)) g->pub_yes[fn->index] |= bit;
    }
    return g->pub_yes[fn->index] & bit;
}

static bool publishes_param_at(Global *g, const Function *fn, int i, int depth) {
    if (depth > 3) return false;
    const char *param = pathkey_append(internf("$%d", i), "*");
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind == EV_ASSIGN && ev->args[1].kind == OPND_PATH && value_of(fn, ev->args[1].path.key) == param &&
                !path_is_frame_local(ev->args[0].path.key))
                return true;
            if (ev->kind != EV_CALL) continue;
            Callee c = program_call(g->p, ev);
            for (int a = 0; a < ev->nargs; a++) {
                const Operand *o = &ev->args[a];
                if (o->kind != OPND_PATH || value_of(fn, o->path.key) != param) continue;
                if (c.model ? model_gives_away(c.model, a) : c.def && !c.may && c.def != fn && publishes_param(g, c.def, a, depth + 1))
                    return true;
            }
        }
    return false;
}

/* The line where local `root` of fn, holding memory fn allocated (all its
 * assignments are allocations), is first given away: stored in memory
 * others reach, sent, handed to a thread, passed to code nothing shows.
 * Accesses through it before that line touch memory no other thread can
 * see yet. 0 when root is no such local. */
static unsigned published_at(Global *g, const Function *fn, const char *root) {
    bool any = false;
    unsigned first = ~0u;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind == EV_ASSIGN && ev->args[0].path.key == root) {
                if (!fresh_or_null(g, fn, ev)) return 0;
                any |= !is_null(&ev->args[1]);
                continue;
            }
            bool away = false;
            if (ev->kind == EV_ASSIGN)
                away = ev->args[1].kind == OPND_PATH && ev->args[1].path.key == root && !path_is_frame_local(ev->args[0].path.key);
            for (int i = 0; ev->kind == EV_CALL && i < ev->nargs && !away; i++)
                away = ev->args[i].kind == OPND_PATH && ev->args[i].path.key == root && gives_away(g, ev, i);
            if (away && ev->loc.line < first) first = ev->loc.line;
        }
    return any ? first : 0;
}

/* Whether key is local root itself or a part of it (`k`, `k.stop`). */
static bool in_local(const char *key, const char *root) {
    size_t n = strlen(root);
    return !strncmp(key, root, n) && path_root_end(key) == key + n;
}

static bool may_follow(const Function *fn, int fb, const Event *from, int tb, const Event *to);

/* Whether event ev of fn gives away the address of fn's local root: stores
 * it where others reach (a global, a parameter's memory; not memory a
 * local points to, which is the frame's own until that is given away in
 * turn), or passes it to a call that gives it away. */
static bool gives_local_away(Global *g, const Event *ev, const char *root) {
    if (ev->kind == EV_ASSIGN)
        return ev->args[1].kind == OPND_ADDR && in_local(ev->args[1].path.key, root) && !path_is_frame_local(ev->args[0].path.key) &&
               !path_is_frame_local(intern_n(ev->args[0].path.key, (size_t)(path_root_end(ev->args[0].path.key) - ev->args[0].path.key)));
    for (int i = 0; ev->kind == EV_CALL && i < ev->nargs; i++)
        if (ev->args[i].kind == OPND_ADDR && in_local(ev->args[i].path.key, root) && gives_away(g, ev, i)) return true;
    return false;
}

/* Whether site (an event of fn) may come after fn gives away the address
 * of its local root. A frame is new at each call: before that, what it
 * does with the local is its own. */
static bool local_given_before(Global *g, const Function *fn, const char *root, const Event *site) {
    int sb = block_of(fn, site);
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (gives_local_away(g, ev, root) && (sb < 0 || may_follow(fn, b, ev, sb, site))) return true;
        }
    return false;
}

/* Whether create i of start passes the address of a local of its
 * creator that no other create of start passes (`create(&ta, w, &state_a);
 * create(&tb, w, &state_b)`), outside a loop or in one that joins the
 * thread before it goes round (else one local would be every round's). */
static bool own_local_argument(Global *g, const Function *start, int i, const Function *creator, const Event *ev, int a) {
    const char *key = ev->args[a].path.key;
    if (ev->args[a].kind != OPND_ADDR || !path_is_frame_local(key) || topo_create_overlaps(g->t, creator, ev)) return false;
    const Function *other;
    const Event *ev2;
    for (int k = 0; topo_creates(g->t, start, k, &other, &ev2); k++) {
        int s2, a2, h2;
        if (k != i && other == creator && topo_create_args(g->t, other, ev2, &s2, &a2, &h2) && a2 >= 0 &&
            ev2->args[a2].kind == OPND_ADDR && path_root(ev2->args[a2].path.key) == path_root(key))
            return false;
    }
    return true;
}

/* Whether every create of start passes memory its creator just allocated,
 * or a local of its own no other of them gets: each of its threads owns
 * what its parameter points to. */
static bool owns_argument(Global *g, const Function *start) {
    const Function *creator;
    const Event *ev;
    int i = 0;
    for (; topo_creates(g->t, start, i, &creator, &ev); i++) {
        int s, a, h;
        if (!topo_create_args(g->t, creator, ev, &s, &a, &h) || a < 0) return false;
        if (own_local_argument(g, start, i, creator, ev, a)) continue;
        if (ev->args[a].kind != OPND_PATH) return false;
        const char *key = ev->args[a].path.key;
        if (*path_root_end(key) || key[0] == '@' || key[0] == '$' || handed_over(g, creator, key) != ev) return false;
    }
    return i > 0;
}

/* ------------------------------------------------------------ hand-offs */

static int token_bit(Global *g, const char *tok) {
    for (int i = 0; i < g->tokens.len; i++)
        if (g->tokens.data[i] == tok) return i;
    if (g->tokens.len >= MAX_TOKENS) return -1;
    vec_push(&g->tokens, tok);
    return g->tokens.len - 1;
}

/* The object an operand names, for hand-offs: `&m` is m; a pointer's value
 * is what it points to. */
static const char *object_of(Global *g, const Function *fn, const Operand *o) {
    if (o->kind == OPND_ADDR) {
        const char *id = object_identity(o->path);
        return id ? id : pt_local_object(fn, o->path.key);
    }
    if (o->kind != OPND_PATH) return NULL;
    const char *objs[2];
    int n = pt_objects(g->pt, fn, pathkey_append(o->path.key, "*"), objs, 1);
    if (n == 1) return objs[0];
    return path_is_global(o->path.key) ? internf("%s*", o->path.key) : NULL;
}

static const Flow1 *flow_of(Global *g, const Function *fn);


/* What an event hands off, as token bits: a send posts (what comes before
 * it is seen by the receiver), a receive waits for a post; a mutex does
 * both: data filled before a thread takes it (to publish, to signal) is
 * taken as seen by a thread that took it before reading (from a queue,
 * after a condition-variable wait). A deliberate leniency: the order of
 * the two critical sections is assumed, as a queue's shape makes it. A
 * call does what its callee does on every path (`queue_push()` locks). */
static void handoff(Global *g, const Function *fn, const Event *ev, uint64_t *post, uint64_t *must, uint64_t *may) {
    *post = *must = *may = 0;
    if (ev->kind != EV_CALL) return;
    if (!ev->model) {
        Callee c = program_call(g->p, ev);
        if (c.def && !c.may && c.def != fn) {
            const Flow1 *cf = flow_of(g, c.def);
            *post = cf->posts, *must = cf->waits;
        }
        return;
    }
    for (int i = 0; i < ev->model->nops; i++) {
        const ModelOp *m = &ev->model->ops[i];
        if (m->handle < 0 || m->handle >= ev->nargs) continue;
        const char *obj = object_of(g, fn, &ev->args[m->handle]);
        int bit = -1;
        switch (m->op) {
        case OP_CHAN_SEND: case OP_CHAN_CLOSE: case OP_CHAN_RECV: bit = obj ? token_bit(g, internf("chan:%s", obj)) : -1; break;
        case OP_LOCK: case OP_COND_WAIT: bit = obj ? token_bit(g, internf("mutex:%s", obj)) : -1; break;
        default: break;
        }
        if (bit < 0) continue;
        uint64_t b = 1ull << bit;
        if (m->op == OP_CHAN_SEND || m->op == OP_CHAN_CLOSE) *post |= b; /* a receive returns after either */
        if (m->op == OP_CHAN_RECV) *must |= b;
        if (m->op == OP_LOCK) *post |= b, *must |= b;
        if (m->op == OP_COND_WAIT) *may |= b;
    }
}

/* Per block: the waits on every path / some path into it, the posts on
 * some path out of it (data filled on a path that publishes it is seen
 * by whoever takes it; on the others it is not published that way). */
static void flow_compute(Global *g, const Function *fn, Flow1 *f) {
    int nb = fn->nblocks;
    f->busy = true; /* a recursive call sees nothing */
    uint64_t *gen_must = xcalloc((size_t)nb + 1, 8), *gen_may = xcalloc((size_t)nb + 1, 8), *gen_post = xcalloc((size_t)nb + 1, 8);
    for (int b = 0; b < nb; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            uint64_t po, mu, ma;
            handoff(g, fn, &fn->blocks[b].ev[k], &po, &mu, &ma);
            gen_post[b] |= po, gen_must[b] |= mu, gen_may[b] |= ma;
            f->any |= (po | mu | ma) != 0;
        }
    f->in_must = xcalloc((size_t)nb + 1, 8), f->in_may = xcalloc((size_t)nb + 1, 8), f->out_after = xcalloc((size_t)nb + 1, 8);
    if (f->any) {
        for (int b = 1; b < nb; b++) f->in_must[b] = ~0ull;
        for (bool changed = true; changed;) {
            changed = false;
            for (int b = 0; b < nb; b++) {
                const Block *bl = &fn->blocks[b];
                uint64_t out_must = f->in_must[b] | gen_must[b], out_may = f->in_may[b] | gen_may[b], after = f->out_after[b];
                for (int s = 0; s < block_nsucc(bl); s++) {
                    int q = bl->succ[s];
                    uint64_t m = q ? f->in_must[q] & out_must : 0;
                    if (q && m != f->in_must[q]) f->in_must[q] = m, changed = true;
                    if ((f->in_may[q] | out_may) != f->in_may[q]) f->in_may[q] |= out_may, changed = true;
                    after |= f->out_after[q] | gen_post[q];
                }
                if (after != f->out_after[b]) f->out_after[b] = after, changed = true;
            }
        }
        /* for its callers: what it may post, what it waits for on every path */
        f->posts = nb ? f->out_after[0] | gen_post[0] : 0;
        f->waits = ~0ull;
        bool ends = false;
        for (int b = 0; b < nb; b++)
            if (!block_nsucc(&fn->blocks[b])) f->waits &= f->in_must[b] | gen_must[b], ends = true;
        if (!ends) f->waits = 0;
    }
    free(gen_must), free(gen_may), free(gen_post);
    f->busy = false;
}

static const Flow1 *flow_of(Global *g, const Function *fn) {
    static const Flow1 none = {0};
    Flow1 *f = &g->flows[fn->index];
    if (f->busy) return &none;
    if (!f->in_must) flow_compute(g, fn, f);
    return f;
}

/* The hand-offs around event ev of fn: waited for before it, posted after. */
static void handoffs_at(Global *g, const Function *fn, const Event *ev, uint64_t *wait, uint64_t *post) {
    const Flow1 *f = flow_of(g, fn);
    *wait = *post = 0;
    if (!f->any) return;
    int b = block_of(fn, ev);
    if (b < 0) return;
    const Block *bl = &fn->blocks[b];
    uint64_t must = f->in_must[b], may = f->in_may[b], after = f->out_after[b];
    for (const Event *e = bl->ev; e < bl->ev + bl->nev; e++) {
        uint64_t po, mu, ma;
        if (e == ev) continue;
        handoff(g, fn, e, &po, &mu, &ma);
        if (e < ev) must |= mu, may |= ma;
        else after |= po;
    }
    *wait = must | may, *post = after;
}

/* ------------------------------------------------------------- ordering */

/* Routines (bits) whose threads fn's own code may have created before ev,
 * and those joined on every path to it. */
static void order_at(Global *g, const Function *fn, const Event *ev, uint64_t *created, uint64_t *joined) {
    *created = *joined = 0;
    bool made[64];
    topo_created_before_all(g->t, fn, ev, g->by_bit, g->nbits, made);
    for (int i = 0; i < g->nbits; i++)
        if (made[i]) *created |= 1ull << i;
    const char *keys[16];
    int n = topo_joined_at(g->t, fn, ev, keys, 16);
    for (int i = 0; i < n; i++) {
        Function *r = program_function_by_key(g->p, NULL, keys[i]);
        if (r && g->bit[r->index] >= 0) *joined |= 1ull << g->bit[r->index];
    }
}

/* -------------------------------------------------------------- summary */

static bool same_kind(const Acc *a, const Acc *b) {
    return a->key == b->key && a->obj == b->obj && a->write == b->write;
}

/* The locks both hold. */
static const char *locks_meet(const char *a, const char *b) {
    if (a == b) return a;
    const char *ka[64], *kb[64], *both[64];
    int na = locks_split(a, ka, 64), nb = locks_split(b, kb, 64), n = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (ka[i] == kb[j]) both[n++] = ka[i];
    return locks_join(both, n);
}

/* Adds an access, merged with one of the same location, kind and locks:
 * what orders both (the weaker shows). */
/* The chain of an entry kept from a callee: the call in front (made only
 * for what is kept: most entries merge into one already there). */
static const Chain *chained(Global *g, const Chain *rest) {
    if (!g->via) return rest;
    Chain *c = arena_alloc(g->arena, sizeof *c);
    *c = (Chain){g->via->loc, g->via_callee, rest};
    return c;
}

static void acc_add(Global *g, const Function *fn, RaceSummary *s, Acc a) {
    note_struct(g, a.key, a.cls);
    void **slot = ptrmap_slot(&g->index, a.key, true);
    Acc *last = NULL;
    int variants = 0;
    for (int i = (int)(intptr_t)*slot - 1; i >= 0; i = g->next.data[i]) {
        Acc *o = &s->acc.data[i];
        if (!same_kind(o, &a)) continue;
        if (o->locks == a.locks && o->created == a.created && o->joined == a.joined && o->post == a.post && o->wait == a.wait)
            return; /* the same as one kept */
        if (!last) last = o;
        variants++;
    }
    if (last && variants >= MAX_VARIANTS) { /* merged: what orders both (the less protected one shows) */
        Acc *o = last;
        uint64_t cr = o->created | a.created, jo = o->joined & a.joined, po = o->post & a.post, wa = o->wait & a.wait;
        const char *lk = locks_meet(o->locks, a.locks);
        bool a_weaker = cr == a.created && jo == a.joined && po == a.post && wa == a.wait && lk == a.locks;
        bool o_weaker = cr == o->created && jo == o->joined && po == o->post && wa == o->wait && lk == o->locks;
        if (a_weaker && !o_weaker) *o = a, o->chain = chained(g, a.chain);
        o->created = cr, o->joined = jo, o->post = po, o->wait = wa, o->locks = lk;
        return;
    }
    if (s->acc.len >= MAX_ACCESSES) {
        if (!s->capped && !family_quiet(g->r)) family_incomplete(g->r, fn, "too many shared accesses");
        s->capped = true;
        return;
    }
    vec_push(&g->next, (int)(intptr_t)*slot - 1);
    *slot = (void *)(intptr_t)(s->acc.len + 1);
    a.chain = chained(g, a.chain);
    vec_push(&s->acc, a);
}

/* A global, heap memory, or a local whose address some pointer holds;
 * not an element of an array (`[]`: threads usually own a slot each) nor
 * a structure folded into itself (points-to's depth bound). */
static bool shared_object(const Global *g, const char *obj) {
    if (strstr(obj, "[]")) return false;
    int depth = 0;
    for (const char *q = path_root_end(obj); *q; q++) depth += *q == '.';
    if (depth >= 4) return false;
    if (pt_is_heap(obj) || obj[0] == '@') return true;
    return pt_escapes(g->pt, intern_n(obj, (size_t)(path_root_end(obj) - obj))) || pt_escapes(g->pt, obj);
}

static bool weak_key(Path p) { return path_is_weak(p.key) && !p.elem; }

static const char *access_class(Path p) {
    if (p.key[0] == '@' && !strchr(p.key, '*')) return p.elem ? p.elem : p.key;
    return p.cls && p.cls[0] != '@' ? p.cls : intern("?");
}

static bool may_matter(const Global *g, Path p) {
    const char *c = access_class(p);
    return ptrmap_get(&g->written, c) && ptrmap_get(&g->in_threads, c);
}

/* A local whose address some pointer holds (`start(&job)`): the IR has no
 * reads and writes of locals, so its assignments stand for them. */
static bool escaping_local(const Global *g, const Function *fn, const char *key) {
    if (!path_is_frame_local(key)) return false;
    const char *end = path_root_end(key);
    return pt_escapes(g->pt, pt_local_object(fn, intern_n(key, (size_t)(end - key))));
}

/* The i-th memory access event ev makes (0: a read or write of non-local
 * memory, or what an assignment stores to an escaping local; 1: what it
 * reads from one), with *write; NULL when none. */
static const Path *event_access(const Global *g, const Function *fn, const Event *ev, int i, bool *write) {
    if (ev->kind == EV_READ || ev->kind == EV_WRITE) return *write = ev->kind == EV_WRITE, i == 0 && !ev->flags ? &ev->args[0].path : NULL;
    if (ev->kind != EV_ASSIGN) return NULL;
    const Operand *o = &ev->args[i ? 1 : 0];
    *write = i == 0;
    bool path = o->kind == OPND_PATH || o->kind == OPND_OFFSET;
    return path && escaping_local(g, fn, o->path.key) ? &o->path : NULL;
}

static void note_classes(Global *g) {
    for (int i = 0; i < g->p->nfuncs; i++) {
        const Function *fn = g->p->funcs[i];
        bool threads = topo_runs(g->t, fn) & RUNS_THREAD;
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                const ModelOp *lk = ev->model ? model_op(ev->model, OP_LOCK) : NULL;
                if (!lk && ev->model) lk = model_op(ev->model, OP_TRYLOCK);
                if (lk && lk->handle >= 0 && lk->handle < ev->nargs && ev->args[lk->handle].kind == OPND_ADDR) {
                    Path lp = ev->args[lk->handle].path;
                    if (lp.cls && lp.cls[0] != '@' && strchr(lp.cls, '.')) {
                        /* by its spelling here, and by the parameter a local only
                         * ever given one stands for (`p*.mu` is `$0*.mu` in the
                         * locksets) */
                        const char *cls = class_key(lp.cls);
                        *ptrmap_slot(&g->lock_class[fn->index], lp.key, true) = (void *)cls;
                        *ptrmap_slot(&g->lock_class[fn->index], alias_root(fn, lp.key), true) = (void *)cls;
                    }
                }
                bool w;
                for (int j = 0; j < 2; j++) {
                    const Path *p = event_access(g, fn, ev, j, &w);
                    const char *c = p ? access_class(*p) : NULL;
                    if (c && w) *ptrmap_slot(&g->written, c, true) = (void *)c;
                    if (c && threads) *ptrmap_slot(&g->in_threads, c, true) = (void *)c;
                }
            }
    }
}

/* The access (or the callee's, seen from here) at a location key of fn:
 * kept in fn's terms when its root is a global or a parameter, else named
 * by points-to (objects handed over at a create are left out before it). */
/* Whether a key went too deep to follow (a recursive structure walked
 * through calls): more pointers or fields than real code names. */
static bool too_deep(const char *key) {
    int d = 0, f = 0;
    for (; *key; key++) d += *key == '*', f += *key == '.' || *key == '[';
    return d > MAX_DEREFS || f > MAX_FIELDS;
}

/* A lock a callee takes through its parameter (`pool_lock(p)` locking
 * `$0*.m`) is held in its callers by their spelling of the argument: its
 * class goes up with it, through wrappers of wrappers. */
static void lift_lock_classes(Global *g) {
    for (int round = 0; round < 4; round++) {
        bool changed = false;
        for (int f = 0; f < g->p->nfuncs; f++) {
            const Function *fn = g->p->funcs[f];
            PtrMap *mine = &g->lock_class[fn->index];
            for (int b = 0; b < fn->nblocks; b++)
                for (int k = 0; k < fn->blocks[b].nev; k++) {
                    const Event *ev = &fn->blocks[b].ev[k];
                    if (ev->kind != EV_CALL) continue;
                    Callee c = program_call(g->p, ev);
                    if (!c.def || c.may || c.def == fn) continue;
                    const PtrMap *cm = &g->lock_class[c.def->index];
                    for (size_t i = 0; cm->keys && i < cm->cap; i++) {
                        const char *key = cm->keys[i], *sk = key && path_param_index(key) >= 0 ? subst_key(ev, key) : NULL;
                        if (!sk || too_deep(sk)) continue;
                        const char *keys[2] = {sk, alias_root(fn, sk)};
                        for (int j = 0; j < 2; j++) {
                            void **slot = ptrmap_slot(mine, keys[j], true);
                            if (!*slot) *slot = cm->vals[i], changed = true;
                        }
                    }
                }
        }
        if (!changed) break;
    }
}

/* ------------------------------------------------------- list walks */

/* A walk over a circular intrusive list (`for (e = h->next; e != h; e =
 * e->next)`) stops at its own head. Flow-insensitive points-to lets its
 * cursor be every list's head, since the same nodes move from list to list
 * (a work item queued on a reader's list, then on a writer's): pairing
 * such a walk's reads with another list's head would be false. */

/* The address a branch of fn compares local root with, when root is a
 * cursor stepped along its own links (`e = e*.next`) and tested against
 * one head only; else NULL. */
static const char *walk_head(const Function *fn, const char *root) {
    const char *head = NULL;
    bool steps = false;
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *bl = &fn->blocks[b];
        for (int k = 0; k < bl->nev; k++) {
            const Event *ev = &bl->ev[k];
            const char *src = ev->kind == EV_ASSIGN && ev->args[0].path.key == root && ev->args[1].kind == OPND_PATH ? ev->args[1].path.key : NULL;
            steps |= src && !strncmp(src, root, strlen(root)) && path_root_end(src) == src + strlen(root) && src[strlen(root)] == '*';
        }
        const Operand *c = bl->term == TERM_BRANCH ? bl->end->cond.cmp : NULL;
        for (int i = 0; c && i < 2; i++)
            if (c[i].kind == OPND_PATH && c[i].path.key == root && c[1 - i].kind == OPND_ADDR) {
                if (head && head != c[1 - i].path.key) return NULL;
                head = c[1 - i].path.key;
            }
    }
    return steps ? head : NULL;
}

/* The objects an address operand's location may be. */
static int addr_objects(const Global *g, const Function *fn, const char *key, const char **out, int max) {
    if (strchr(key, '*')) return pt_objects(g->pt, fn, key, out, max);
    if (key[0] == '@') return out[0] = key, 1;
    const char *end = path_root_end(key), *obj = pt_local_object(fn, intern_n(key, (size_t)(end - key)));
    return obj ? (out[0] = *end ? internf("%s%s", obj, end) : obj, 1) : 0;
}

static void note_heads(Global *g, const Function *fn, const char *key, bool heap_too) {
    const char *objs[MAX_OBJS];
    int n = addr_objects(g, fn, key, objs, MAX_OBJS);
    for (int j = 0; j < n; j++)
        if (heap_too || !pt_is_heap(objs[j])) *ptrmap_slot(&g->list_heads, objs[j], true) = (void *)objs[j];
}

/* Every object some list walk of the program stops at, and every record
 * outside the heap linked to itself (`h->next = h`: an empty list's head;
 * a list's nodes are heap memory, or static ones set up by initializers). */
static void find_list_heads(Global *g) {
    g->heads_known = true;
    for (int f = 0; f < g->p->nfuncs; f++) {
        const Function *fn = g->p->funcs[f];
        for (int b = 0; b < fn->nblocks; b++) {
            const Block *bl = &fn->blocks[b];
            for (int k = 0; k < bl->nev; k++) {
                const Event *ev = &bl->ev[k];
                const Operand *v = &ev->args[1];
                if (ev->kind != EV_ASSIGN || (v->kind != OPND_ADDR && v->kind != OPND_PATH)) continue;
                const char *self = v->kind == OPND_ADDR ? v->path.key : pathkey_append(v->path.key, "*"); /* `&h->l`, `h` */
                const char *dst = ev->args[0].path.key, *dot = strrchr(dst, '.');
                if (dot && !strncmp(dst, self, strlen(self)) && dst + strlen(self) == dot && !strchr(dot, '*')) note_heads(g, fn, self, false);
            }
            const Operand *c = bl->term == TERM_BRANCH ? bl->end->cond.cmp : NULL;
            for (int i = 0; c && i < 2; i++) {
                if (c[i].kind != OPND_PATH || c[1 - i].kind != OPND_ADDR || !path_is_frame_local(c[i].path.key) ||
                    walk_head(fn, c[i].path.key) != c[1 - i].path.key)
                    continue;
                note_heads(g, fn, c[1 - i].path.key, true);
            }
        }
    }
}

/* Whether obj lies in a list's head (the longest prefix of it that is
 * one) other than the objects own[0..n). */
static bool in_other_head(const Global *g, const char *obj, const char *const *own, int n) {
    for (size_t len = strlen(obj); len > 0; len--) {
        if (obj[len] != '.' && obj[len]) continue;
        const char *h = intern_n(obj, len);
        if (!ptrmap_get(&g->list_heads, h)) continue;
        for (int i = 0; i < n; i++)
            if (own[i] == h) return false;
        return true;
    }
    return false;
}

/* Whether obj, reached through fn's list cursor root, lies in the head of
 * another list than the one root walks. */
static bool other_list_head(Global *g, const Function *fn, const char *root, const char *obj) {
    const char *head = walk_head(fn, root);
    if (!head) return false;
    if (!g->heads_known) find_list_heads(g);
    const char *own[MAX_OBJS];
    int n = addr_objects(g, fn, head, own, MAX_OBJS);
    return in_other_head(g, obj, own, n);
}

static const char *struct_tag(const char *cls);

/* The record a local of fn is loaded from when the local is a link of a
 * list: every assignment reads a field of that one record (`last =
 * list->prev`) whose struct is the record's the access through it (of
 * class cls) touches: a node of the record's list, or the record itself.
 * NULL when root is no such local. */
static const char *link_record(const Function *fn, const char *root, const char *cls) {
    const char *rec = NULL, *tag = struct_tag(cls);
    if (!tag) return NULL;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != root) continue;
            const Operand *v = &ev->args[1];
            const char *key = v->kind == OPND_PATH ? v->path.key : NULL, *dot = key ? strrchr(key, '.') : NULL;
            if (!dot || strpbrk(dot, "*[") || struct_tag(v->path.cls) != tag) return NULL;
            const char *r = intern_n(key, (size_t)(dot - key));
            if (rec && rec != r) return NULL;
            rec = r;
        }
    return rec;
}

/* Whether obj, reached through fn's local root loaded from a list's link
 * (`last = list->prev; last->next = n`: a node of that list, or its head),
 * lies in the head of another list. Flow-insensitive points-to lets such a
 * link be every list's head, since nodes move from list to list (a splice
 * of a writer's done list seen writing the reader's queue head). */
static bool other_list_link(Global *g, const Function *fn, const char *root, const char *cls, const char *obj) {
    const char *rec = link_record(fn, root, cls);
    if (!rec) return false;
    if (!g->heads_known) find_list_heads(g);
    const char *own[MAX_OBJS];
    int n = addr_objects(g, fn, rec, own, MAX_OBJS);
    if (n <= 0) return false;
    return in_other_head(g, obj, own, n);
}

static void add_at(Global *g, const Function *fn, RaceSummary *s, Acc a, const char *key, const Event *site) {
    if (!key || (!a.obj && too_deep(key))) return; /* deep in a recursive structure: not followed */
    if (!a.obj) key = alias_root(fn, key);
    if (a.obj || key[0] == '@' || path_param_index(key) >= 0) {
        if (!a.obj && path_is_frame_local(key)) return;
        a.key = key, acc_add(g, fn, s, a);
        return;
    }
    const char *end = path_root_end(key);
    const char *root = intern_n(key, (size_t)(end - key));
    unsigned published = end[0] == '*' ? published_at(g, fn, root) : 0;
    if (published && site->loc.line < published) return; /* filled before anyone else can see it */
    if (end[0] != '*' && !local_given_before(g, fn, root, site)) return; /* this frame's own, before its address is given away */
    const char *objs[MAX_OBJS];
    int n = end[0] == '*' ? pt_objects(g->pt, fn, key, objs, MAX_OBJS) : 1;
    if (end[0] != '*') objs[0] = pt_local_object(fn, key); /* a local given by address */
    for (int i = 0; i < n; i++) {
        if (!shared_object(g, objs[i]) ||
            (end[0] == '*' && (other_list_head(g, fn, root, objs[i]) || other_list_link(g, fn, root, a.cls, objs[i]))))
            continue;
        Acc c = a;
        c.key = objs[i], c.obj = true;
        acc_add(g, fn, s, c);
    }
}

/* Whether fn runs in one thread's code only (main's, or one routine's):
 * the only code whose accesses are paired unless shared_code is set. */
static bool confined_fn(const Global *g, const Function *fn) {
    unsigned runs = topo_runs(g->t, fn);
    return runs == RUNS_MAIN || (runs == RUNS_THREAD && topo_only_root(g->t, fn));
}

static void own_access(Global *g, Function *fn, RaceSummary *s, const Event *ev, const Path *p, bool write) {
    if (weak_key(*p) || !may_matter(g, *p) || !lockset_reached(g->a, ev) || lockset_spin_word(g->a, *p)) return;
    Acc a = {.cls = p->cls, .write = write, .fn = fn, .loc = ev->loc};
    a.locks = held_at(g, fn, ev);
    order_at(g, fn, ev, &a.created, &a.joined);
    handoffs_at(g, fn, ev, &a.wait, &a.post);
    add_at(g, fn, s, a, p->elem ? p->elem : p->key, ev);
}

/* fn's own accesses. */
static void own_accesses(Global *g, Function *fn, RaceSummary *s) {
    if (!g->shared_code && !confined_fn(g, fn)) return;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            bool w;
            for (int i = 0; i < 2; i++) {
                const Path *p = event_access(g, fn, ev, i, &w);
                if (p) own_access(g, fn, s, ev, p, w);
            }
        }
}

/* A callee's accesses seen through call ev. */
static void callee_accesses(Global *g, Function *fn, RaceSummary *s, const Event *ev, const Function *callee) {
    RaceSummary *cs = sum_of(g, callee);
    if (cs == s) return; /* direct recursion: already here */
    uint64_t created, joined, wait, post;
    order_at(g, fn, ev, &created, &joined);
    handoffs_at(g, fn, ev, &wait, &post);
    const char *here[64];
    int nhere = locks_split(held_at(g, fn, ev), here, 64);
    g->via = ev, g->via_callee = callee;
    for (int i = 0; i < cs->acc.len; i++) {
        Acc a = cs->acc.data[i];
        const char *callee_locks[48], *k[64];
        int n = 0, nl = locks_split(a.locks, callee_locks, 48);
        for (int j = 0; j < nl; j++) {
            const char *sk = subst_key(ev, callee_locks[j]);
            if (sk && !too_deep(sk) && n < 56) n += norm_lock(g, fn, sk, k + n, 4);
        }
        for (int j = 0; j < nhere && n < 64; j++) k[n++] = here[j];
        a.locks = locks_join(k, n);
        a.created |= created, a.joined |= joined, a.wait |= wait, a.post |= post;
        add_at(g, fn, s, a, a.obj ? a.key : subst_key(ev, a.key), ev);
    }
    g->via = NULL, g->via_callee = NULL;
}

static void race_function(FamilyRun *r, Function *fn) {
    Global *g = family_state(r);
    RaceSummary *s = sum_of(g, fn);
    s->acc.len = 0, s->capped = false;
    ptrmap_free(&g->index);
    memset(&g->index, 0, sizeof g->index);
    g->next.len = 0;
    own_accesses(g, fn, s);
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_CALL || !lockset_reached(g->a, ev)) continue; /* no path gets there */
            /* A call through a pointer that may reach several functions
             * is not followed: which one a thread runs is a guess, and
             * pairing every candidate's accesses is mostly false. */
            Callee c = program_call(g->p, ev);
            if (c.def && !c.may && c.def != fn) callee_accesses(g, fn, s, ev, c.def);
        }
}

/* ------------------------------------------------------ whole program */

/* via_arg: the access is to what the root's parameter points to. */
typedef struct Use { const Function *root; const Acc *a; const char *obj; bool via_arg; uint64_t absent; } Use;
typedef VEC(Use) UseVec;

static const char *root_label(const Function *root) {
    return root ? internf("thread '%s'", root->name) : intern("the main thread");
}

/* A lock as every function can name it: a global or class stays; a key
 * through a parameter is its object when points-to knows one, else its
 * class. */
static int lock_tokens(Global *g, const Function *root, const char *locks, const char **out, int max) {
    const char *k[64];
    int n = locks_split(locks, k, 64), m = 0;
    for (int i = 0; i < n && m < max - 8; i++) {
        const char *objs[4];
        int no = path_param_index(k[i]) >= 0 ? (root ? pt_objects(g->pt, root, k[i], objs, 4) : 0) : (objs[0] = k[i], 1);
        for (int j = 0; j < no; j++) {
            out[m++] = objs[j];
            const char *cls = k[i][0] == '@' && k[i][1] == '^' ? NULL : pt_class(g->pt, objs[j]);
            if (cls) out[m++] = class_key(cls);
            else if (objs[j][0] == '@' && (cls = global_lock_class(g, objs[j]))) out[m++] = cls;
        }
    }
    return m;
}

static bool common_lock(Global *g, const Use *x, const Use *y) {
    const char *a[64], *b[64];
    int na = lock_tokens(g, x->root, x->a->locks, a, 64), nb = lock_tokens(g, y->root, y->a->locks, b, 64);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i] == b[j]) return true;
    return false;
}

static int bit_of(const Global *g, const Function *root) { return root ? g->bit[root->index] : -1; }

/* x happens before y, or y before x, whatever the threads do. */
static bool ordered(const Global *g, const Use *x, const Use *y) {
    int bx = bit_of(g, x->root), by = bit_of(g, y->root);
    if (by >= 0 && ((x->absent | x->a->joined) >> by & 1)) return true;
    if (bx >= 0 && ((y->absent | y->a->joined) >> bx & 1)) return true;
    return (x->a->post & y->a->wait) || (y->a->post & x->a->wait);
}

/* The function whose frame holds local object `N|x`, or whose call made
 * heap object `newN:...`. */
static const Function *object_owner(const Global *g, const char *obj) {
    if (strchr(obj, '|') || pt_is_heap(obj)) {
        int fi = atoi(pt_is_heap(obj) ? obj + 3 : obj);
        return fi >= 0 && fi < g->p->nfuncs ? g->p->funcs[fi] : NULL;
    }
    return NULL;
}

/* Whether u reaches obj through its own call of the function that made it
 * (a local of a frame on its path, memory a call on its path allocated):
 * each thread that does has its own. A thread given the object by
 * another (an argument, a global, a queue) reaches it some other way. */
static bool own_object(const Global *g, const Use *u, const char *obj) {
    const Function *f = object_owner(g, obj);
    if (!f) return false;
    if (f == u->root || f == u->a->fn) return true;
    for (const Chain *c = u->a->chain; c; c = c->next)
        if (c->callee == f) return true;
    return false;
}

/* Whether threads of start surely run several at once: a create in a
 * loop, two creates in one function, or a creator that is itself run by
 * several threads. A routine started from two places in turn (a restart,
 * `start_x()` called from two functions) may be one at a time, as the
 * program usually checks; topology counts it as many, pairs do not. */
static bool many_at_once(const Global *g, const Function *start) {
    if (!topo_many(g->t, start)) return false;
    const Function *creator, *other;
    const Event *ev, *ev2;
    for (int i = 0; topo_creates(g->t, start, i, &creator, &ev); i++) {
        if (topo_create_overlaps(g->t, creator, ev)) return true;
        for (int k = i + 1; topo_creates(g->t, start, k, &other, &ev2); k++)
            if (other == creator) return true;
        const Function *root = topo_only_root(g->t, creator);
        if (root && root != start && (topo_runs(g->t, creator) & RUNS_THREAD) && topo_many(g->t, root)) return true;
    }
    return false;
}

/* Whether u's access is in code only its root's threads run (a routine's
 * own helpers, main's own set-up): the call graph cannot have made the
 * thread up. Code several threads share is reached through calls that
 * may be rare or impossible in one of them (an error path, a pointer
 * resolved by type), and pairs there are mostly false. */
static bool confined(const Global *g, const Use *u) {
    const Function *f = u->a->fn;
    if (!u->root) return topo_runs(g->t, f) == RUNS_MAIN;
    return topo_runs(g->t, f) == RUNS_THREAD && topo_only_root(g->t, f) == u->root;
}

/* The event of fn at loc that is an access, and its block. */
static const Event *access_event(const Function *fn, Loc loc, int *block) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if ((ev->kind == EV_READ || ev->kind == EV_WRITE) && ev->loc.line == loc.line && ev->loc.col == loc.col &&
                ev->loc.file == loc.file)
                return *block = b, ev;
        }
    return NULL;
}

/* Whether event `to` (in block tb) can run after event `from` (in block fb)
 * in one call of fn: a path leads from one to the other. */
static bool may_follow(const Function *fn, int fb, const Event *from, int tb, const Event *to) {
    if (fb == tb && from < to) return true;
    bool *seen = xcalloc((size_t)fn->nblocks + 1, 1);
    int *work = xcalloc((size_t)fn->nblocks + 1, sizeof(int)), n = 0;
    const Block *first = &fn->blocks[fb];
    for (int s = 0; s < block_nsucc(first); s++) work[n++] = first->succ[s], seen[first->succ[s]] = true;
    bool found = false;
    while (n && !found) {
        int b = work[--n];
        found = b == tb;
        for (int s = 0; s < block_nsucc(&fn->blocks[b]); s++) {
            int q = fn->blocks[b].succ[s];
            if (!seen[q]) seen[q] = true, work[n++] = q;
        }
    }
    free(seen), free(work);
    return found;
}

/* Whether create ev of creator may hand obj (an object root) to its
 * thread; -1 when points-to does not know what it hands. */
static int create_hands(const Global *g, const Function *creator, const Event *ev, const char *obj) {
    int s, a, h;
    if (!topo_create_args(g->t, creator, ev, &s, &a, &h) || a < 0 || a >= ev->nargs) return -1;
    const Operand *o = &ev->args[a];
    const char *objs[MAX_OBJS];
    int n = o->kind == OPND_PATH ? pt_objects(g->pt, creator, pathkey_append(o->path.key, "*"), objs, MAX_OBJS)
          : o->kind == OPND_ADDR && strchr(o->path.key, '*') ? pt_objects(g->pt, creator, o->path.key, objs, MAX_OBJS)
          : o->kind == OPND_NULL || o->kind == OPND_CONST ? 0 : -1;
    if (n < 0 || (n == 0 && o->kind != OPND_NULL && o->kind != OPND_CONST)) return -1;
    for (int i = 0; i < n; i++)
        if (!strncmp(objs[i], obj, strlen(obj)) && path_root_end(objs[i]) == objs[i] + strlen(obj)) return 1;
    return 0;
}

/* Whether a call of fn names callee (directly, or through a pointer that may hold it). */
static bool calls_directly(const Global *g, const Function *fn, const Function *callee) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++)
            if (fn->blocks[b].ev[k].kind == EV_CALL && program_call(g->p, &fn->blocks[b].ev[k]).def == callee) return true;
    return false;
}

/* Whether a call of fn makes heap object obj: it allocates it, itself or
 * through an allocator wrapper it calls (a new object each call). */
static bool allocated_by(Global *g, const Function *fn, const char *obj) {
    const Function *owner = object_owner(g, obj);
    return owner == fn || (owner && returns_fresh(g, owner, 0) && calls_directly(g, fn, owner));
}

/* Whether heap object obj is one a call of fn makes and stores through its
 * parameter (`*slot = malloc(...)`: points-to names it by the caller's
 * call site, one object per site, a new one each call). */
static bool made_by_factory(const Global *g, const Function *fn, const char *obj) {
    const char *const *made;
    int n = pt_factory_instances(g->pt, fn, &made);
    for (int i = 0; i < n; i++)
        if (made[i] == obj) return true;
    return false;
}

/* Whether event ev of fn stores fresh memory fn allocated into location key. */
static bool stores_fresh(Global *g, const Function *fn, const Event *ev, const char *key) {
    return ev->kind == EV_ASSIGN && ev->args[0].path.key == key && ev->args[1].kind == OPND_TEMP && fresh_or_null(g, fn, ev);
}

/* Whether access xev (block xb) of factory fn goes through the pointer fn
 * stores its fresh memory into (`(*slot)->f` after `*slot = malloc()`):
 * every store to that parameter's memory is fresh memory (or NULL), and
 * every path from the entry to xev passes one. Then xev touches this
 * call's object, not one an earlier call made and handed over. */
static bool through_fresh_out(Global *g, const Function *fn, int xb, const Event *xev) {
    const char *key = xev->args[0].path.key, *last = strrchr(key, '*');
    if (path_param_index(key) < 0 || !last || last == path_root_end(key)) return false;
    const char *ptr = intern_n(key, (size_t)(last - key)); /* `$1*` of `$1**.pool` */
    if (strcmp(path_root_end(ptr), "*")) return false;
    bool any = false;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind != EV_ASSIGN || ev->args[0].path.key != ptr) continue;
            if (!stores_fresh(g, fn, ev, ptr)) return false;
            any = true;
        }
    if (!any) return false;
    bool *seen = xcalloc((size_t)fn->nblocks + 1, 1), open = false;
    int *work = xcalloc((size_t)fn->nblocks + 1, sizeof(int)), n = 0;
    work[n++] = 0, seen[0] = true;
    while (n && !open) {
        int b = work[--n];
        const Block *bl = &fn->blocks[b];
        bool cut = false;
        for (int k = 0; k < bl->nev && !cut; k++) {
            if (b == xb && &bl->ev[k] == xev) break;
            cut = stores_fresh(g, fn, &bl->ev[k], ptr);
        }
        if (cut) continue;
        if (b == xb) { open = true; break; } /* reached xev with no store on the way */
        for (int s = 0; s < block_nsucc(bl); s++)
            if (!seen[bl->succ[s]]) seen[bl->succ[s]] = true, work[n++] = bl->succ[s];
    }
    free(seen), free(work);
    return !open;
}

/* Ownership by object: y reaches heap memory through its start routine's
 * parameter, memory x's function allocated and x filled before every
 * create that may hand it to y's routine. Only the threads those creates
 * start get it (others of the routine got other objects), and each starts
 * after x. */
static bool handed_after(Global *g, const Use *x, const Use *y) {
    if (!y->via_arg || !y->root || !pt_is_heap(y->obj)) return false;
    const Function *fn = x->a->fn;
    const char *obj = intern_n(y->obj, (size_t)(path_root_end(y->obj) - y->obj));
    bool factory = !allocated_by(g, fn, obj);
    if (factory && !made_by_factory(g, fn, obj)) return false;
    int xb = -1;
    const Event *xev = access_event(fn, x->a->loc, &xb);
    if (!xev || (factory && !through_fresh_out(g, fn, xb, xev))) return false;
    const Function *creator;
    const Event *ev;
    bool any = false;
    for (int i = 0; topo_creates(g->t, y->root, i, &creator, &ev); i++) {
        int hands = create_hands(g, creator, ev, obj);
        if (hands < 0) return false;
        if (!hands) continue;
        int cb = block_of(creator, ev);
        if (creator != fn || cb < 0 || may_follow(fn, cb, ev, xb, xev) || !may_follow(fn, xb, xev, cb, ev)) return false;
        any = true;
    }
    return any;
}

/* ------------------------------------------------------ guarded reads */

/* Whether block `to` of fn is reachable from its entry without taking the
 * edge from block `from` to its successor k. */
static bool reaches_without(const Function *fn, int to, int from, int k) {
    bool *seen = xcalloc((size_t)fn->nblocks + 1, 1), found = false;
    int *work = xcalloc((size_t)fn->nblocks + 1, sizeof(int)), n = 0;
    work[n++] = 0, seen[0] = true;
    while (n && !found) {
        int b = work[--n];
        found = b == to;
        for (int s = 0; s < block_nsucc(&fn->blocks[b]); s++) {
            int q = fn->blocks[b].succ[s];
            if ((b != from || s != k) && !seen[q]) seen[q] = true, work[n++] = q;
        }
    }
    free(seen), free(work);
    return found;
}

/* A branch of fn that tests field `base.F` against a constant, and the
 * edge of it every path to block yb takes: there F == v. */
typedef struct Guard1 { int block, edge; const char *cls; int64_t v; } Guard1;

/* Whether block b (not yb) branches on a field `base.F` of a class
 * against a constant. */
static bool tests_field(const Function *fn, int b, int yb, const char *base, size_t bl) {
    const Block *t = &fn->blocks[b];
    const Operand *l = &t->end->cond.lhs;
    return t->term == TERM_BRANCH && b != yb && l->kind == OPND_PATH && !t->end->cond.cmp && l->path.cls &&
           !strncmp(l->path.key, base, bl) && l->path.key[bl] == '.' && !strpbrk(l->path.key + bl + 1, ".*[");
}

static bool find_guard(const Function *fn, int yb, const char *base, Guard1 *out) {
    size_t bl = strlen(base);
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *t = &fn->blocks[b];
        const Operand *l = &t->end->cond.lhs;
        if (!tests_field(fn, b, yb, base, bl)) continue;
        int edge = t->end->cond.rel == REL_EQ ? 0 : t->end->cond.rel == REL_NE ? 1 : -1; /* the edge where F == rhs */
        if (edge >= 0 && !reaches_without(fn, yb, b, edge)) {
            *out = (Guard1){b, edge, l->path.cls, t->end->cond.rhs};
            return true;
        }
    }
    return false;
}

/* Whether store ev (of the guard's field) may make it read v: a constant v,
 * or a value not known. */
static bool enables(const Event *ev, const Guard1 *gd) {
    const Operand *o = &ev->args[1];
    if (o->kind == OPND_CONST) return o->value == gd->v;
    if (o->kind == OPND_NULL) return gd->v == 0;
    return true;
}

static bool creates_start(const Global *g, const Function *start, const Event *ev) {
    const Function *creator;
    const Event *cev;
    for (int i = 0; topo_creates(g->t, start, i, &creator, &cev); i++)
        if (cev == ev) return true;
    return false;
}

/* Whether store ev of fn (in block b) comes before every create of start
 * fn makes (one at least). Creates elsewhere (a pool growing later) get
 * the memory once fn has given it away: after it, when fn does not call
 * them itself. */
static bool before_creates(const Global *g, const Function *fn, int b, const Event *ev, const Function *start) {
    const Function *creator;
    const Event *cev;
    bool own = false;
    for (int i = 0; topo_creates(g->t, start, i, &creator, &cev); i++) {
        if (creator != fn) {
            if (calls_directly(g, fn, creator)) return false;
            continue;
        }
        int cb = block_of(fn, cev);
        if (cb < 0 || !may_follow(fn, b, ev, cb, cev) || may_follow(fn, cb, cev, b, ev)) return false;
        own = true;
    }
    return own;
}

/* Whether local root of fn holds only memory fn allocated (itself or
 * through an allocator wrapper: a new object each call), obj among it. */
static bool holds_fresh(Global *g, const Function *fn, const char *root, const char *obj) {
    if (!path_is_frame_local(root)) return false;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if (ev->kind == EV_ASSIGN && ev->args[0].path.key == root && !fresh_or_null(g, fn, ev)) return false;
        }
    const char *objs[MAX_OBJS];
    int n = pt_objects(g->pt, fn, pathkey_append(root, "*"), objs, MAX_OBJS);
    for (int i = 0; i < n; i++)
        if (objs[i] == obj) return true;
    return false;
}

/* Whether local root of fn (holding memory fn allocated) is given to
 * anything but the creates of start before event xev: only those threads
 * and fn itself can reach it until then. */
static bool private_until(Global *g, const Function *fn, const char *root, const Function *start, int xb, const Event *xev) {
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            bool away = false;
            if (ev->kind == EV_ASSIGN)
                away = ev->args[1].kind == OPND_PATH && ev->args[1].path.key == root && !path_is_frame_local(ev->args[0].path.key);
            int s, a, h;
            bool create = ev->kind == EV_CALL && topo_create_args(g->t, fn, ev, &s, &a, &h) && creates_start(g, start, ev);
            for (int i = 0; ev->kind == EV_CALL && !create && i < ev->nargs && !away; i++)
                away = ev->args[i].kind == OPND_PATH && ev->args[i].path.key == root && gives_away(g, ev, i);
            if (away && may_follow(fn, b, ev, xb, xev)) return false;
        }
    return true;
}

/* Whether a call chain from fn may reach target (any candidate of a call
 * through a pointer counts). */
static bool may_reach(const Program *p, const Function *fn, const Function *target) {
    uint8_t *seen = xcalloc((size_t)p->nfuncs + 1, 1);
    const Function **work = xcalloc((size_t)p->nfuncs + 1, sizeof *work);
    int n = 0;
    bool found = false;
    work[n++] = fn, seen[fn->index] = 1;
    while (n && !found) {
        const Function *f = work[--n];
        found = f == target;
        for (int c = 0; c < f->ncalls && !found; c++) {
            Function *const *ts;
            int nt = program_call_targets(p, f->calls[c], &ts);
            for (int t = 0; t < nt; t++)
                if (!seen[ts[t]->index]) seen[ts[t]->index] = 1, work[n++] = ts[t];
        }
    }
    free(seen), free(work);
    return found;
}

/* Whether routine r's threads run fn only through calls r makes past the
 * guard's edge (a job it runs once the queue is not empty submitting
 * another job). */
static bool runs_past_guard(const Global *g, const Function *r, const Function *fn, const Guard1 *gd) {
    for (int b = 0; b < r->nblocks; b++)
        for (int k = 0; k < r->blocks[b].nev; k++) {
            const Event *ev = &r->blocks[b].ev[k];
            Function *const *ts;
            int nt = ev->kind == EV_CALL ? program_call_targets(g->p, ev, &ts) : 0;
            bool leads = false;
            for (int t = 0; t < nt && !leads; t++) leads = may_reach(g->p, ts[t], fn);
            if (leads && reaches_without(r, b, gd->block, gd->edge)) return false;
        }
    return true;
}

/* Whether threads of routine r may run fn (its own code, or code several
 * threads share). */
static bool may_run_in(const Global *g, const Function *fn, const Function *r) {
    const Function *only = topo_only_root(g->t, fn);
    return (topo_runs(g->t, fn) & RUNS_THREAD) && (!only || only == r);
}

/* A read ordered through a state flag: y (a thread's access to a field of
 * heap object obj) runs only where a sibling field F reads v; the function
 * that allocated obj set F to another value before it created y's threads,
 * and x comes in it before obj is given to anyone else; every store that
 * may set F to v is made elsewhere (code that got obj after x), or by y's
 * own routine where F already read v. So y comes after x (zstd's pool:
 * `threadLimit` set after the workers start, read only once `queueEmpty`
 * is 0, which only adding a job does). */
static bool flag_guarded(Global *g, const Use *x, const Use *y) {
    if (!x->a->write || y->a->write || !y->root || x->root == y->root || !pt_is_heap(y->obj)) return false;
    const Function *xfn = x->a->fn, *yfn = y->a->fn;
    const char *obj = intern_n(y->obj, (size_t)(path_root_end(y->obj) - y->obj));
    int xb = -1, yb = -1; /* set when the events are found */
    const Event *xev = access_event(xfn, x->a->loc, &xb), *yev = access_event(yfn, y->a->loc, &yb);
    if (!xev || !yev) return false;
    const char *ykey = yev->args[0].path.key, *dot = strrchr(ykey, '.');
    const char *xkey = xev->args[0].path.key, *xend = path_root_end(xkey);
    Guard1 gd;
    if (!dot || xend[0] != '*' || !find_guard(yfn, yb, intern_n(ykey, (size_t)(dot - ykey)), &gd)) return false;
    const char *root = intern_n(xkey, (size_t)(xend - xkey));
    if (!holds_fresh(g, xfn, root, obj) || !private_until(g, xfn, root, y->root, xb, xev)) return false;
    bool set_before = false; /* F set to another value before the creates */
    for (int f = 0; f < g->p->nfuncs; f++) {
        const Function *fn = g->p->funcs[f];
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                if (ev->kind != EV_ASSIGN || ev->args[0].path.cls != gd.cls) continue;
                if (fn == xfn) {
                    if (enables(ev, &gd)) return false;
                    set_before |= before_creates(g, fn, b, ev, y->root);
                } else if (enables(ev, &gd) && fn == yfn && reaches_without(fn, b, gd.block, gd.edge)) {
                    return false;
                } else if (enables(ev, &gd) && fn != yfn && may_run_in(g, fn, y->root) &&
                           !(yfn == y->root && runs_past_guard(g, yfn, fn, &gd))) {
                    return false; /* y's threads may set it themselves */
                }
            }
    }
    return set_before;
}

/* ------------------------------------------------------ mode flags */

/* Whether a branch of fn tests a field of class cls. */
static bool tests_class(const Function *fn, const char *cls) {
    for (int b = 0; b < fn->nblocks; b++) {
        const Block *t = &fn->blocks[b];
        if (t->term == TERM_BRANCH && t->end->cond.lhs.kind == OPND_PATH && t->end->cond.lhs.path.cls == cls) return true;
    }
    return false;
}

/* Whether x's function, or a call on its way from its root, tests cls. */
static bool chain_tests(const Use *x, const char *cls) {
    if (tests_class(x->a->fn, cls) || (x->root && tests_class(x->root, cls))) return true;
    for (const Chain *c = x->a->chain; c; c = c->next)
        if (tests_class(c->callee, cls)) return true;
    return false;
}

/* Whether the field of class cls is a mode: set somewhere, only ever to
 * constants, and never by code only root's threads run (they do not switch
 * it themselves; code several threads share counts as elsewhere). A field
 * never stored by name is filled some way we do not see. */
static bool mode_field(const Global *g, const char *cls, const Function *root) {
    bool any = false;
    for (int f = 0; f < g->p->nfuncs; f++) {
        const Function *fn = g->p->funcs[f];
        bool runs = root ? topo_runs(g->t, fn) == RUNS_THREAD && topo_only_root(g->t, fn) == root
                         : topo_runs(g->t, fn) == RUNS_MAIN;
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++) {
                const Event *ev = &fn->blocks[b].ev[k];
                if (ev->kind != EV_ASSIGN || ev->args[0].path.cls != cls) continue;
                if (runs || (ev->args[1].kind != OPND_CONST && ev->args[1].kind != OPND_NULL)) return false;
                any = true;
            }
    }
    return any;
}

/* The class of a field `base.F` a branch of fn tests against a constant,
 * on one edge of which every path to block yb goes; else NULL. */
static const char *mode_guard(const Function *fn, int yb, const char *base) {
    size_t bl = strlen(base);
    for (int b = 0; b < fn->nblocks; b++) {
        if (!tests_field(fn, b, yb, base, bl)) continue;
        for (int edge = 0; edge < 2; edge++)
            if (!reaches_without(fn, yb, b, edge)) return fn->blocks[b].end->cond.lhs.path.cls;
    }
    return NULL;
}

/* Mode-selected accesses: y is made only where a mode field of an object
 * on its way reads a constant (`if (fp->build_index) fp->index->n = 1`),
 * and x's path never tests that field. The program's flow often keeps the
 * two modes apart (an index built on the fly and one loaded from a file;
 * options a command line refuses together), which the analysis cannot
 * see: mostly false on real code, so paired only with
 * --data-race-mode-flags. */
static bool mode_selected(const Global *g, const Use *x, const Use *y) {
    const Function *fn = y->a->fn;
    for (int b = 0; b < fn->nblocks; b++)
        for (int k = 0; k < fn->blocks[b].nev; k++) {
            const Event *ev = &fn->blocks[b].ev[k];
            if ((ev->kind != EV_READ && ev->kind != EV_WRITE) || ev->loc.line != y->a->loc.line ||
                ev->loc.col != y->a->loc.col || ev->loc.file != y->a->loc.file)
                continue; /* one of the accesses at y's place (`p->q->f` reads p->q too) */
            const char *key = ev->args[0].path.key;
            for (const char *d = strchr(key, '.'); d; d = strchr(d + 1, '.')) {
                const char *cls = mode_guard(fn, b, intern_n(key, (size_t)(d - key)));
                if (cls && mode_field(g, cls, y->root) && !chain_tests(x, cls)) return true;
            }
        }
    return false;
}

/* Whether at most one thread of x's routine reaches heap object obj
 * through its parameter: one create hands it over, once (not in a loop,
 * its creator not run again). Two such accesses are the same thread's. */
static bool one_recipient(const Global *g, const Use *x, const Use *y) {
    if (!x->via_arg || !y->via_arg || !x->root || x->root != y->root || !pt_is_heap(x->obj)) return false;
    const char *obj = intern_n(x->obj, (size_t)(path_root_end(x->obj) - x->obj));
    const Function *creator;
    const Event *ev;
    int n = 0;
    for (int i = 0; topo_creates(g->t, x->root, i, &creator, &ev); i++) {
        int hands = create_hands(g, creator, ev, obj);
        if (hands < 0) return false;
        if (hands && (n++ || topo_create_in_loop(g->t, ev) || topo_creator_repeats(g->t, creator))) return false;
    }
    return n == 1;
}

static bool may_race(Global *g, const Use *x, const Use *y) {
    if (!x->a->write && !y->a->write) return false;
    if (!g->shared_code && (!confined(g, x) || !confined(g, y))) return false;
    /* each made its own: two frames, two allocations */
    if (own_object(g, x, x->obj) && own_object(g, y, y->obj)) return false;
    if (!topo_parallel(g->t, x->root, y->root)) return false;
    if (x->root && x->root == y->root && !many_at_once(g, x->root)) return false;
    if (x->root == y->root && x->via_arg && y->via_arg && x->root && owns_argument(g, x->root)) return false;
    if (handed_after(g, x, y) || handed_after(g, y, x) || one_recipient(g, x, y)) return false;
    if (flag_guarded(g, x, y) || flag_guarded(g, y, x)) return false;
    if (ordered(g, x, y) || common_lock(g, x, y)) return false;
    return g->mode_flags || (!mode_selected(g, x, y) && !mode_selected(g, y, x));
}

/* Whether the locks hold a class of the field lock `key` ends at (`$0*.mu`
 * beside `@^struct pool.mu`): the class names it. */
static bool class_says(const char *const *k, int n, const char *key) {
    const char *field = strrchr(key, '.');
    size_t fl = field ? strlen(field) : 0;
    for (int i = 0; field && i < n; i++) {
        size_t len = strcspn(k[i], "!"); /* `@^struct q.mu!file.c`: a static struct's */
        if (k[i][0] == '@' && k[i][1] == '^' && len > fl && !strncmp(k[i] + len - fl, field, fl)) return true;
    }
    return false;
}

/* A lock a parameter of the outermost function points to (`$0*.pool*.mu`),
 * as that function spells it; NULL when it is not known which. */
static const char *param_lock_name(const Use *u, const char *key) {
    const Function *outer = u->root ? u->root : !u->a->chain ? u->a->fn : NULL;
    return outer ? display_key(outer, key) : NULL;
}

static const char *locks_text(Global *g, const Use *u) {
    const char *k[16];
    int n = locks_split(u->a->locks, k, 16);
    if (!n) return intern("no lock");
    char buf[1024];
    size_t o = 0;
    for (int i = 0; i < n && o < sizeof buf; i++) {
        const char *name = NULL;
        if (path_param_index(k[i]) >= 0) { /* a parameter's lock: its class, if the locks hold it, else as spelt */
            if (class_says(k, n, k[i]) || !(name = param_lock_name(u, k[i]))) continue;
        } else
            name = k[i][0] == '@' && k[i][1] == '^' ? k[i] + 2 : pt_object_name(g->pt, k[i]);
        int len = (int)strcspn(name, "!");
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s'%.*s'", o ? ", " : "", len, name);
    }
    return o ? intern(buf) : intern("no lock");
}

static Flow thread_flow(const Use *u, const char *what) {
    int n = 2;
    for (const Chain *c = u->a->chain; c; c = c->next) n++;
    Flow f = {.name = root_label(u->root), .steps = xcalloc((size_t)n, sizeof(FlowStep))};
    const Function *root = u->root;
    Loc start = root ? root->loc : u->a->fn->loc;
    f.steps[f.nsteps++] = (FlowStep){start, root ? internf("thread '%s' starts", root->name) : intern("the main thread"), 0};
    int depth = 0;
    for (const Chain *c = u->a->chain; c; c = c->next)
        f.steps[f.nsteps++] = (FlowStep){c->at, internf("calls '%s'", c->callee->name), depth++};
    f.steps[f.nsteps++] = (FlowStep){u->a->loc, what, depth};
    return f;
}

/* The object as the runtime names it: `global:NAME` (a global, by its
 * symbol), `heap:FN` (memory FN allocated), else the static name. */
static const char *object_id(const Global *g, const char *obj) {
    const char *end = path_root_end(obj);
    if (obj[0] == '@') {
        const char *name = obj + 1, *colon = strchr(name, ':');
        if (colon && colon < end) name = colon + 1; /* a static local `fn:name` */
        return internf("global:%.*s%s", (int)strcspn(name, "!.*["), name, end);
    }
    if (pt_is_heap(obj)) {
        int fi = atoi(obj + 3);
        return internf("heap:%s%s", fi >= 0 && fi < g->p->nfuncs ? g->p->funcs[fi]->name : "?", end);
    }
    return internf("local:%s", obj);
}

static void report(Global *g, const Use *x, const Use *y) {
    if (!x->a->write) { const Use *t = x; x = y, y = t; }  /* at the write */
    const char *fx = id_function(x->a->fn), *fy = id_function(y->a->fn);
    const char *parts[3] = {strcmp(fx, fy) <= 0 ? fx : fy, strcmp(fx, fy) <= 0 ? fy : fx,
                            internf("obj:%s", object_id(g, x->obj))};
    const char *id = finding_identity("data-race", parts, 3, false);
    void **slot = ptrmap_slot(&g->reported, x->obj, true);
    if (*slot) return; /* one finding per object: its first pair */
    *slot = (void *)id;
    const char *name = pt_object_name(g->pt, x->obj);
    const char *wx = x->a->write ? "write" : "read", *wy = y->a->write ? "write" : "read";
    bool same = x->root == y->root;
    Finding f = {.rule = g->rule, .loc = x->a->loc, .identity = id};
    bool many = x->root && many_at_once(g, x->root);
    f.message = xasprintf("data race on '%s': %s in '%s' (%s%s) and %s in '%s' (%s), with no lock held at both", name, wx,
                          x->a->fn->name, root_label(x->root), many ? ", several at once" : "", wy, y->a->fn->name,
                          same ? "another of its threads" : root_label(y->root));
    f.related = xcalloc(2, sizeof(Related));
    f.related[f.nrelated++] = (Related){y->a->loc, internf("the conflicting %s in '%s' (%s), holding %s", wy, y->a->fn->name,
                                                           root_label(y->root), locks_text(g, y))};
    f.related[f.nrelated++] = (Related){x->a->loc, internf("the %s here holds %s", wx, locks_text(g, x))};
    f.flows = xcalloc(2, sizeof(Flow));
    f.flows[f.nflows++] = thread_flow(x, internf("%s of '%s'", wx, name));
    f.flows[f.nflows++] = thread_flow(y, internf("%s of '%s'", wy, name));
    if (same) f.flows[1].name = internf("another %s", root_label(y->root));
    family_report(g->r, f);
}

/* By object, writes first (a write-write pair shows before a read's). */
static int by_obj(const void *a, const void *b) {
    const Use *x = a, *y = b;
    int c = strcmp(x->obj, y->obj);
    if (c) return c;
    if (x->a->write != y->a->write) return x->a->write ? -1 : 1;
    if (x->a->loc.file != y->a->loc.file) return strcmp(x->a->loc.file ? x->a->loc.file : "", y->a->loc.file ? y->a->loc.file : "");
    return x->a->loc.line != y->a->loc.line ? (x->a->loc.line < y->a->loc.line ? -1 : 1) : (int)x->a->loc.col - (int)y->a->loc.col;
}

/* A root's accesses, each location named as the objects it may be. */
static void root_uses(Global *g, const Function *fn, const Function *root, UseVec *out) {
    RaceSummary *s = sum_of(g, fn);
    uint64_t at_entry = 0;
    for (int i = 0; i < g->nbits; i++)
        if (topo_exist_at_entry(g->t, fn, g->by_bit[i])) at_entry |= 1ull << i;
    for (int i = 0; i < s->acc.len; i++) {
        const Acc *a = &s->acc.data[i];
        uint64_t absent = ~(a->created | at_entry);
        /* what its parameter points to (`$0*.f`), not memory reached
         * through pointers kept there (`$0*.next*.f`: other threads' too) */
        bool via_arg = !a->obj && path_param_index(a->key) == 0 && path_root_end(a->key)[0] == '*' &&
                       !strchr(path_root_end(a->key) + 1, '*');
        if (a->obj || (a->key[0] == '@' && !strchr(a->key, '*'))) {
            if (shared_object(g, a->key)) vec_push(out, ((Use){root, a, a->key, false, absent}));
            continue;
        }
        const char *objs[MAX_OBJS];
        int n = pt_objects(g->pt, fn, a->key, objs, MAX_OBJS);
        for (int k = 0; k < n; k++)
            if (shared_object(g, objs[k]))
                vec_push(out, ((Use){root, a, objs[k], via_arg, absent}));
    }
}

/* The struct of an access's class: `struct q` of `struct q.len!file`. */
static const char *struct_tag(const char *cls) {
    if (!cls || cls[0] == '@') return NULL;
    const char *bang = strchr(cls, '!'), *end = bang ? bang : cls + strlen(cls), *dot = NULL;
    for (const char *q = cls; q < end; q++)
        if (*q == '.') dot = q;
    return dot ? intern_n(cls, (size_t)(dot - cls)) : NULL;
}

/* Memory one allocation site stands for, accessed as different structs,
 * is a generic allocator's (zmalloc, a slab): its accesses are of many
 * unrelated objects, and not paired. */
static void drop_conflated(const Global *g, UseVec *uses) {
    PtrMap tag = {0};
    const char *mixed = "";
    for (int i = 0; i < uses->len; i++) {
        const Use *u = &uses->data[i];
        if (!pt_is_heap(u->obj)) continue;
        const char *root = intern_n(u->obj, (size_t)(path_root_end(u->obj) - u->obj)), *t = struct_tag(u->a->cls);
        if (!t) continue;
        void **slot = ptrmap_slot(&tag, root, true);
        if (!*slot) *slot = (void *)t;
        else if (*slot != t) *slot = (void *)mixed;
    }
    int n = 0;
    for (int i = 0; i < uses->len; i++) {
        const Use *u = &uses->data[i];
        const char *root = pt_is_heap(u->obj) ? intern_n(u->obj, (size_t)(path_root_end(u->obj) - u->obj)) : NULL;
        if (root && ptrmap_get(&tag, root) == mixed) continue;
        uses->data[n++] = *u;
    }
    uses->len = n;
    ptrmap_free(&tag);
    (void)g;
}

static void race_finish(FamilyRun *r) {
    Global *g = family_state(r);
    UseVec uses = {0};
    for (int i = 0; i < g->p->nfuncs; i++) {
        const Function *fn = g->p->funcs[i];
        if (topo_is_start(g->t, fn)) root_uses(g, fn, fn, &uses);
        else if (!strcmp(fn->name, "main")) root_uses(g, fn, NULL, &uses);
    }
    drop_conflated(g, &uses);
    if (uses.len) qsort(uses.data, (size_t)uses.len, sizeof(Use), by_obj);
    for (int i = 0; i < uses.len;) {
        int j = i;
        while (j < uses.len && uses.data[j].obj == uses.data[i].obj) j++;
        for (int x = i; x < j; x++)
            for (int y = x; y < j; y++)
                if (may_race(g, &uses.data[x], &uses.data[y])) report(g, &uses.data[x], &uses.data[y]);
        i = j;
    }
    free(uses.data);
}

/* ------------------------------------------------------------ lifecycle */

static void race_begin(FamilyRun *r) {
    Global *g = xcalloc(1, sizeof *g);
    g->r = r, g->rule = family_rule(r, "data-race");
    g->a = family_analysis(r), g->p = family_program(r);
    g->t = analysis_topology(g->a), g->pt = analysis_points_to(g->a);
    g->arena = arena_new();
    g->shared_code = g->a->race_shared_code;
    g->mode_flags = g->a->race_mode_flags;
    int n = g->p->nfuncs;
    g->bit = xmalloc(sizeof(int) * (size_t)(n + 1));
    g->by_bit = xcalloc(65, sizeof(Function *));
    g->flows = xcalloc((size_t)n + 1, sizeof(Flow1));
    g->fresh = xcalloc((size_t)n + 1, 1);
    g->lock_class = xcalloc((size_t)n + 1, sizeof(PtrMap));
    for (int i = 0; i < n; i++) {
        g->bit[i] = -1;
        if (topo_is_start(g->t, g->p->funcs[i]) && g->nbits < 64) g->by_bit[g->nbits] = g->p->funcs[i], g->bit[i] = g->nbits++;
    }
    note_classes(g);
    lift_lock_classes(g);
    for (int i = 0; i < n; i++) {
        const Function *fn = g->p->funcs[i];
        for (int b = 0; b < fn->nblocks; b++)
            for (int k = 0; k < fn->blocks[b].nev; k++)
                for (int j = 0; j < fn->blocks[b].ev[k].nargs; j++)
                    note_struct(g, fn->blocks[b].ev[k].args[j].path.key, fn->blocks[b].ev[k].args[j].path.cls);
    }
    family_set_state(r, g);
}

static void race_end(FamilyRun *r) {
    Global *g = family_state(r);
    for (int i = 0; i < g->p->nfuncs; i++) free(g->flows[i].in_must), free(g->flows[i].in_may), free(g->flows[i].out_after);
    free(g->flows), free(g->fresh), free(g->bit), free(g->by_bit), free(g->tokens.data);
    free(g->pub_known), free(g->pub_yes);
    ptrmap_free(&g->list_heads), ptrmap_free(&g->reported), ptrmap_free(&g->struct_of), ptrmap_free(&g->written), ptrmap_free(&g->in_threads);
    for (int i = 0; i < g->p->nfuncs; i++) ptrmap_free(&g->lock_class[i]);
    free(g->lock_class);
    ptrmap_free(&g->index), free(g->next.data), arena_free(g->arena);
    free(g);
}

static void summary_free(void *p) { free(((RaceSummary *)p)->acc.data); }

static void summary_dump(FILE *out, const Function *fn, const void *p) {
    const RaceSummary *s = p;
    for (int i = 0; i < s->acc.len; i++) {
        const Acc *a = &s->acc.data[i];
        fprintf(out, "  %s %s", a->write ? "writes" : "reads", a->obj ? a->key : display_key(fn, a->key));
        if (a->fn != fn) fprintf(out, " (in '%s')", a->fn->name);
        if (a->locks[0]) {
            const char *k[16];
            int n = locks_split(a->locks, k, 16);
            fputs(" holding", out);
            for (int j = 0; j < n; j++) fprintf(out, " %s", k[j]);
        }
        fputc('\n', out);
    }
    if (s->capped) fputs("  (more accesses not kept)\n", out);
}

static const char *const race_rules[] = {"data-race", NULL};

const Family races_family = {
    .name = "races",
    .rules = race_rules,
    .requires = NEEDS(PASS_CALLS) | NEEDS(PASS_TOPOLOGY) | NEEDS(PASS_ACCESS_JOINS) | NEEDS(PASS_LOCKSETS) | NEEDS(PASS_POINTS_TO),
    .summary_size = sizeof(RaceSummary),
    .summary_dump = summary_dump,
    .summary_free = summary_free,
    .begin = race_begin,
    .function = race_function,
    .finish = race_finish,
    .end = race_end,
};
