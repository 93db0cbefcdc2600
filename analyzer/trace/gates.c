/* gates.c — whether a run really showed a lock-order cycle.
 *
 * ThreadSanitizer reports a cycle as soon as it has seen each of its
 * orders once, whatever else was held: two orders always taken under one
 * gate lock are serialised by it and can never deadlock, yet TSan reports
 * them. The record knows better: each thread's events say which locks it
 * held at every acquisition. A cycle M0 -> M1 -> ... -> M0 was shown when
 * each edge (Mi+1 taken while Mi held, not by a try) was seen in a
 * different thread and the other locks held at those acquisitions (the
 * gates) have nothing in common, pairwise (Goodlock's condition). */
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_OBS = 32, MAX_GATE = 8, MAX_HELD = 64 };

typedef struct Obs {
    uint32_t thread;
    int ngate;
    uint64_t gate[MAX_GATE]; /* the other locks held (the first MAX_GATE) */
} Obs;

typedef struct Edge { Obs obs[MAX_OBS]; int n; bool untrusted; } Edge;

typedef struct Held { uint64_t obj; uint32_t depth; } Held;

static int held_find(const Held *h, int n, uint64_t obj) {
    for (int i = 0; i < n; i++)
        if (h[i].obj == obj) return i;
    return -1;
}

static void observe(Edge *e, uint32_t thread, const Held *held, int nheld, uint64_t from) {
    Obs o = {thread, 0, {0}};
    for (int i = 0; i < nheld && o.ngate < MAX_GATE; i++)
        if (held[i].obj != from) o.gate[o.ngate++] = held[i].obj;
    for (int i = 0; i < e->n; i++) /* seen already: the same thread and gates */
        if (e->obs[i].thread == thread && e->obs[i].ngate == o.ngate &&
            !memcmp(e->obs[i].gate, o.gate, sizeof(uint64_t) * (size_t)o.ngate))
            return;
    if (e->n < MAX_OBS) e->obs[e->n++] = o;
}

/* One thread's events, its held locks rebuilt as they go. */
static void walk(const Trace *t, uint32_t s, const uint64_t *locks, int n, Edge *edges) {
    Held held[MAX_HELD];
    int nheld = 0;
    bool overflow = false;
    for (size_t k = t->thread_first[s]; k < t->thread_first[s + 1]; k++) {
        const tv_event *e = &t->events[t->by_thread[k]];
        int i = held_find(held, nheld, e->obj);
        switch (e->kind) {
        case TV_EV_LOCK:
        case TV_EV_WAIT_END:
            if (e->kind == TV_EV_LOCK && !(e->flags & TV_F_TRY))
                for (int c = 0; c < n; c++)
                    if (locks[(c + 1) % n] == e->obj && held_find(held, nheld, locks[c]) >= 0)
                        observe(&edges[c], s, held, nheld, locks[c]);
            if (i >= 0) held[i].depth++;
            else if (nheld < MAX_HELD) held[nheld++] = (Held){e->obj, 1};
            else overflow = true;
            break;
        case TV_EV_UNLOCK:
        case TV_EV_WAIT_BEGIN:
            if (i >= 0 && (e->kind == TV_EV_WAIT_BEGIN || !--held[i].depth)) held[i] = held[--nheld];
            break;
        default:
            break;
        }
    }
    /* lost events or held locks: what it held is not known for sure */
    if (overflow || t->threads[s].dropped)
        for (int c = 0; c < n; c++) edges[c].untrusted = true;
}

static bool disjoint(const Obs *a, const Obs *b) {
    for (int i = 0; i < a->ngate; i++)
        for (int k = 0; k < b->ngate; k++)
            if (a->gate[i] == b->gate[k]) return false;
    return true;
}

/* An observation for each edge from edge c on: gates disjoint (and, with
 * `distinct`, threads distinct). */
static bool choose(const Edge *edges, int n, int c, const Obs **picked, bool distinct) {
    if (c == n) return true;
    for (int i = 0; i < edges[c].n; i++) {
        const Obs *o = &edges[c].obs[i];
        bool ok = true;
        for (int p = 0; p < c && ok; p++) ok = (!distinct || picked[p]->thread != o->thread) && disjoint(picked[p], o);
        if (!ok) continue;
        picked[c] = o;
        if (choose(edges, n, c + 1, picked, distinct)) return true;
    }
    return false;
}

CycleSeen trace_cycle_seen(const Trace *t, const uint64_t *locks, int n, uint64_t *gate) {
    *gate = 0;
    if (n < 2 || n > TV_R_MUTEXES) return CYCLE_UNKNOWN;
    Edge *edges = xcalloc((size_t)n, sizeof *edges);
    for (uint32_t s = 0; s < t->nthreads; s++) walk(t, s, locks, n, edges);
    const Obs *picked[TV_R_MUTEXES];
    CycleSeen seen = CYCLE_GATED;
    for (int c = 0; c < n; c++)
        if (!edges[c].n || edges[c].untrusted) seen = CYCLE_UNKNOWN;
    /* one thread alone taking both orders: not shown, not refuted either */
    if (seen == CYCLE_GATED && choose(edges, n, 0, picked, true)) seen = CYCLE_UNGATED;
    else if (seen == CYCLE_GATED && choose(edges, n, 0, picked, false)) seen = CYCLE_UNKNOWN;
    if (seen == CYCLE_GATED) /* name a gate: one both first orders held */
        for (int i = 0; i < edges[0].obs[0].ngate && !*gate; i++)
            for (int k = 0; k < edges[1].obs[0].ngate; k++)
                if (edges[0].obs[0].gate[i] == edges[1].obs[0].gate[k]) *gate = edges[0].obs[0].gate[i];
    free(edges);
    return seen;
}
