/* rt.h — the runtime's internals, shared by its files.
 *
 * The runtime is linked into a program built with `threadvet cc` (beside
 * ThreadSanitizer) or preloaded into an unmodified one. It never allocates
 * or locks in the paths a signal can reach, and never uses a lock the
 * program could see (TSan would take it for the program's own
 * synchronisation and hide races): its own mutual exclusion is spinning on
 * atomics in uninstrumented code. */
#ifndef THREADVET_RT_H
#define THREADVET_RT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "record.h"

#define TV_HIDDEN __attribute__((visibility("hidden")))
#define TV_TLS __attribute__((tls_model("initial-exec")))

#define TV_MEMO 32
#define TV_MEMO_FRAMES 16

/* An event but its clock: what a coalesced repeat compares (record.h),
 * in four words: obj, arg, stack | fn << 32, kind | flags << 16. */
typedef struct tv_evsig {
    uint64_t obj, arg, sf, kf;
} tv_evsig;
static inline uint64_t tv_evsig_sf(uint32_t stack, uint32_t fn) { return stack | (uint64_t)fn << 32; }
static inline uint64_t tv_evsig_kf(uint16_t kind, uint16_t flags) { return kind | (uint64_t)flags << 16; }

/* Per thread, in TLS: reachable from a signal handler without a call. */
typedef struct tv_tls {
    /* What every event reads and writes, on one line: */
    _Alignas(64) tv_thread *t; /* its slot in the record, NULL before it has one */
    uint32_t slot;
    uint32_t in_emit;      /* an event is being written: a signal handler must not */
    uint64_t clock;        /* its last event's logical clock (record.h) */
    /* Coalescing repeats (record.h): the repeat slot still counting (NULL:
     * none) with its count, the clock of the last event written, how many
     * events the chunk holds (expanded), and the open repeat's period, the
     * place of its first event and the place in its period of the next. */
    tv_event *rep;
    uint64_t rep_n;
    uint64_t last_seq;
    uint32_t nlast;
    uint32_t rep_k, rep_p0, rep_i;
    /* (the line ends here) */
    uint32_t in_rt;        /* inside the runtime (a wrapped call the runtime made itself) */
    tv_chunk *chunk;       /* the chunk it writes, NULL none */
    uintptr_t stack_lo, stack_hi;
    /* The chunk's last events (by their place in it, modulo TV_REPEAT_MAX).
     * While a repeat counts, its events are not copied here: they repeat
     * the period before its first, still there (tv_emit_slot puts them in
     * when it ends). */
    tv_evsig last[TV_REPEAT_MAX];
    tv_evsig pat[TV_REPEAT_MAX];   /* the open repeat's period, in order (pat[rep_i] is expected next) */
    /* The stacks of its last operations, by call site: an operation called
     * again from the same stack finds its id here, not in the record's
     * table (shared by every thread, megabytes large). With each, the
     * frames its walk read and the two words it read in each (the saved
     * %rbp and the return address): the same frames still holding the same
     * words make the same walk, and are checked with loads that do not
     * wait for each other, not by walking the chain again. */
    struct tv_stack_memo {
        _Alignas(64) uint32_t id; /* (an entry's first frames on its first line) */
        uint32_t nf;
        uint64_t pc;
        struct { uint64_t at, next, ret; } f[TV_MEMO_FRAMES];
    } memo[TV_MEMO];
    uint8_t memo_next[TV_MEMO / 2]; /* the way of each set to fill next */
} tv_tls;
_Static_assert(offsetof(tv_tls, in_rt) == 64, "tv_tls: what every event touches on its first line");

typedef struct tv_rt {
    atomic_int state;      /* 0 not started, 1 starting, 2 on, 3 off (no record) */
    tv_header *hdr;
    char *base;
    size_t size;
    int depth;             /* frames per stack */
    uint32_t deadlock_exit;
    char dir[TV_PATH_MAX];
    /* The C library's (or TSan's) functions the runtime calls itself. */
    int (*pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    int (*pthread_join)(pthread_t, void **);
    int (*pthread_detach)(pthread_t);
    void (*pthread_exit)(void *) __attribute__((noreturn));
    int (*pthread_mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
    int (*pthread_mutex_lock)(pthread_mutex_t *);
    int (*pthread_mutex_trylock)(pthread_mutex_t *);
    int (*pthread_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
    int (*pthread_mutex_unlock)(pthread_mutex_t *);
    int (*pthread_cond_wait)(pthread_cond_t *, pthread_mutex_t *);
    int (*pthread_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
    pthread_key_t exit_key;
    bool tsan;
    bool provoke;          /* a provoke plan is loaded (THREADVET_PROVOKE) */
    /* The clock, read at every tick (copies of the header's: its line is
     * the global counter's, which every event writes). */
    bool clock_tsc, event_clock;
    bool coalesce;         /* repeats are coalesced (not with event_clock; THREADVET_COALESCE=0: never) */
    uint64_t start_tsc;
    uint32_t chunk_events; /* the header's: events a chunk holds */
} tv_rt;

extern tv_rt tv TV_HIDDEN;
extern __thread tv_tls tv_self TV_TLS TV_HIDDEN;

/* Copies, clears and compares of the record's memory. Never the C
 * library's: TSan intercepts memcpy & co., would see our (lock-free,
 * uninstrumented) bookkeeping as the program's memory accesses, and report
 * races in it. The runtime is built with -fno-builtin so these loops stay
 * loops. */
static inline void tv_copy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++) d[i] = s[i];
}
static inline void tv_zero(void *dst, size_t n) {
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++) d[i] = 0;
}
static inline bool tv_equal(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return false;
    return true;
}
static inline void tv_copy_str(char *dst, const char *src, size_t cap) {
    size_t i = 0;
    for (; i + 1 < cap && src[i]; i++) dst[i] = src[i];
    if (cap) dst[i] = 0;
}
/* The addresses a loaded object's PT_LOAD segments span (lo >= hi: none). */
struct dl_phdr_info;
void tv_module_span(const struct dl_phdr_info *info, uint64_t *lo, uint64_t *hi);
static inline size_t tv_len(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
static inline bool tv_prefix(const char *s, const char *prefix) {
    for (; *prefix; s++, prefix++)
        if (*s != *prefix) return false;
    return true;
}

/* core.c */
extern atomic_int tv_resolved TV_HIDDEN;    /* 2: the real functions are found */
TV_HIDDEN void tv_resolve(void);
TV_HIDDEN bool tv_on(void);                 /* starts the runtime once; false when it records nothing */
TV_HIDDEN tv_tls *tv_me(void);              /* this thread's TLS with a slot (registers it) */
TV_HIDDEN uint64_t tv_now(void);            /* ns since the run started (the clock: not for every event) */
static inline uint64_t tv_rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
/* Ticks since the run started (cheap: the TSC, when the header says so). */
static inline uint64_t tv_ticks(void) {
    if (!tv.hdr) return 0;
    if (tv.clock_tsc) {
        uint64_t t = tv_rdtsc();
        return t > tv.start_tsc ? t - tv.start_tsc : 0;
    }
    return tv_now();
}
TV_HIDDEN void tv_calibrate(void);          /* updates ticks -> ns in the header */

/* ------------------------------------------------------------ logical clocks
 * No counter every thread shares (a contended cache line per event): an
 * event's clock is above its thread's last, the floor, and what it
 * follows (record.h). */

/* The floor (raised every millisecond by the watchdog, and by a report to
 * put everything later after it) and whether an event read it since the
 * watchdog last looked (an idle millisecond keeps no sample). Written
 * rarely: its line stays in every core's cache. */
typedef struct tv_floor_t {
    _Alignas(64) _Atomic uint64_t floor;
    _Atomic uint32_t used;
} tv_floor_t;
extern tv_floor_t tv_floor TV_HIDDEN;

/* What an object's last release (or channel operation) left: a table
 * keyed by the object (a lock's address; a channel's, with its kind: its
 * own lock may lie at the same address), one line a slot (no false
 * sharing between locks). A slot is claimed once for good; an object that
 * finds no free slot near its own (a program with thousands of locks)
 * shares a slot of a small table without keys with the objects that hash
 * alike (sharing only orders them more, never less). */
#define TV_CLOCK_SLOTS 4096
#define TV_CLOCK_SHARED 256
#define TV_CLOCK_PROBES 4
typedef struct tv_clock_slot { _Alignas(64) _Atomic uint64_t key, v; } tv_clock_slot;
extern tv_clock_slot tv_clocks[TV_CLOCK_SLOTS] TV_HIDDEN;
extern tv_clock_slot tv_clocks_shared[TV_CLOCK_SHARED] TV_HIDDEN;
TV_HIDDEN tv_clock_slot *tv_clock_claim(uint64_t key);   /* the slot of a key not found */

static inline uint32_t tv_clock_hash(uint64_t key) {
    return (uint32_t)(((key >> 3) * 0x9e3779b97f4a7c15ull) >> 40);
}
static inline tv_clock_slot *tv_clock_of(uint64_t key) {
    tv_clock_slot *s = &tv_clocks[tv_clock_hash(key) & (TV_CLOCK_SLOTS - 1)];
    if (atomic_load_explicit(&s->key, memory_order_acquire) == key && key) return s;
    return tv_clock_claim(key);
}

/* The next clock of this thread: after its last, the floor, and `after`.
 * Marked as in an event: a signal handler must not take the same clock. */
static inline uint64_t tv_tick(tv_tls *me, uint64_t after) {
    uint32_t was = me->in_emit;
    me->in_emit = 1;
    atomic_signal_fence(memory_order_seq_cst);
    if (!atomic_load_explicit(&tv_floor.used, memory_order_relaxed))
        atomic_store_explicit(&tv_floor.used, 1, memory_order_seq_cst); /* before the floor is read */
    uint64_t f = atomic_load_explicit(&tv_floor.floor, memory_order_relaxed);
    uint64_t c = me->clock + 1;
    if (c < f) c = f;
    if (c <= after) c = after + 1;
    me->clock = c;
    atomic_signal_fence(memory_order_seq_cst);
    me->in_emit = was;
    return c;
}

/* obj's clock is at least c. A release of a lock held exclusively in its
 * own slot is the only one writing it (the lock says so): a plain store,
 * not a locked instruction; shared holds, channels and shared slots take
 * the maximum atomically. */
static inline void tv_clock_put(tv_clock_slot *s, uint64_t c, bool exclusive) {
    uint64_t old = atomic_load_explicit(&s->v, memory_order_relaxed);
    if (exclusive && s >= tv_clocks && s < tv_clocks + TV_CLOCK_SLOTS) {
        if (old < c) atomic_store_explicit(&s->v, c, memory_order_relaxed);
        return;
    }
    while (old < c && !atomic_compare_exchange_weak_explicit(&s->v, &old, c, memory_order_relaxed, memory_order_relaxed)) {
    }
}
static inline void tv_clock_release(uint64_t obj, uint64_t c, bool exclusive) {
    tv_clock_slot *s = &tv_clocks[tv_clock_hash(obj) & (TV_CLOCK_SLOTS - 1)];
    if (exclusive && obj && atomic_load_explicit(&s->key, memory_order_acquire) == obj) { /* its own slot */
        if (atomic_load_explicit(&s->v, memory_order_relaxed) < c) atomic_store_explicit(&s->v, c, memory_order_relaxed);
        return;
    }
    tv_clock_put(tv_clock_of(obj), c, exclusive);
}

/* The clock of an event that follows obj's last release. */
static inline uint64_t tv_clock_acquire(tv_tls *me, uint64_t obj) {
    return tv_tick(me, atomic_load_explicit(&tv_clock_of(obj)->v, memory_order_relaxed));
}

/* A channel's operations are ordered among themselves (each acquires and releases). */
static inline uint64_t tv_clock_sync(tv_tls *me, uint64_t chan) {
    tv_clock_slot *s = tv_clock_of(TV_OBJECT_KEY(chan, TV_O_CHAN));
    uint64_t c = tv_tick(me, atomic_load_explicit(&s->v, memory_order_relaxed));
    tv_clock_put(s, c, false);
    return c;
}

/* "Now" for a report or the end: above every thread's last clock; the
 * floor is raised past it, so what any thread does next comes after.
 * Me (may be NULL) takes it. Lock-free: signal-safe. */
TV_HIDDEN uint64_t tv_clock_now(tv_tls *me);
TV_HIDDEN void tv_floor_raise(uint64_t f);
TV_HIDDEN void tv_clocks_reset(void);      /* after fork */

TV_HIDDEN uint64_t tv_ns_to_ticks(uint64_t ns);
/* An event: seq and ts are its clock and its time, taken before (an
 * unlock takes them while it still holds the lock, and writes the event
 * after) or, seq 0, a tick now. */
TV_HIDDEN void tv_emit_seq(tv_tls *me, uint16_t kind, uint64_t obj, uint64_t arg, uint32_t stack, uint16_t flags,
                           uint32_t fn, uint64_t seq, uint64_t ts);
TV_HIDDEN tv_chunk *tv_emit_chunk(tv_tls *me);   /* me's next chunk, its current one being full; NULL: none */
TV_HIDDEN void tv_emit_dropped(tv_tls *me);      /* an event with no room, counted */

#define TV_EMIT_PREFETCH 512

static inline bool tv_evsig_eq(const tv_evsig *a, const tv_evsig *b) {
    return ((a->obj ^ b->obj) | (a->arg ^ b->arg) | (a->sf ^ b->sf) | (a->kf ^ b->kf)) == 0;
}
/* An event that does not go on the open repeat: it opens one, or takes a
 * slot of its own (in_emit set by the caller). */
TV_HIDDEN void tv_emit_slot(tv_tls *me, const tv_evsig *s, uint64_t seq, uint64_t ts);

/* The event the open repeat expects next (record.h). */
static inline const tv_evsig *tv_rep_next(const tv_tls *me) {
    return &me->pat[me->rep_i];
}

/* tv_emit_seq's body, inline where events are most frequent (the locks'
 * fast entries): an event that goes on the open repeat (record.h), right
 * after the last, is only counted; any other takes a slot (tv_emit_slot). */
__attribute__((always_inline)) static inline void tv_emit_inline(tv_tls *me, uint16_t kind, uint64_t obj, uint64_t arg,
                                                                 uint32_t stack, uint16_t flags, uint32_t fn,
                                                                 uint64_t seq, uint64_t ts) {
    if (!me || !me->t) return;
    me->in_emit = 1;
    atomic_signal_fence(memory_order_seq_cst);
    if (!seq) seq = tv_tick(me, 0);
    const tv_evsig s = {obj, arg, tv_evsig_sf(stack, fn), tv_evsig_kf(kind, flags)};
    if (me->rep && seq == me->last_seq + 1 && me->nlast < tv.chunk_events && tv_evsig_eq(tv_rep_next(me), &s)) {
        atomic_store_explicit((_Atomic uint64_t *)&me->rep->arg, ++me->rep_n, memory_order_release);
        me->rep_i = me->rep_i + 1 == me->rep_k ? 0 : me->rep_i + 1;
        me->nlast++;
        me->last_seq = seq;
    } else {
        tv_emit_slot(me, &s, seq, ts);
    }
    atomic_store_explicit((_Atomic uint64_t *)&me->t->clock, me->clock, memory_order_relaxed);
    me->t->progress++;
    atomic_signal_fence(memory_order_seq_cst);
    me->in_emit = 0;
}
static inline void tv_emit(tv_tls *me, uint16_t kind, uint64_t obj, uint64_t arg, uint32_t stack, uint16_t flags,
                           uint32_t fn) {
    tv_emit_seq(me, kind, obj, arg, stack, flags, fn, 0, 0);
}
TV_HIDDEN uint32_t tv_stack_from(tv_tls *me, uintptr_t pc, uintptr_t fp);   /* pc first, then fp's chain */
TV_HIDDEN uint32_t tv_stack_op(tv_tls *me, uintptr_t pc, uintptr_t fp);     /* the same, memoised (not for signal handlers) */
TV_HIDDEN uint32_t tv_stack_miss(tv_tls *me, uintptr_t pc, uintptr_t fp);   /* tv_stack_op past the memo: walks, fills it */

/* Whether the walk from (pc, fp) would read what m's did: the same pc, the
 * same first frame, and every frame it read still holding the words it
 * read there. The bounds, depth and checks are the thread's own and
 * fixed, so the same words make the same stack. */
static inline bool tv_memo_holds(const struct tv_stack_memo *m, uintptr_t pc, uintptr_t fp) {
    if (m->pc != pc || !m->nf || m->f[0].at != fp) return false;
    uint64_t diff = 0;
    for (uint32_t k = 0; k < m->nf; k++) {
        const uint64_t *w = (const uint64_t *)m->f[k].at;
        diff |= (w[0] ^ m->f[k].next) | (w[1] ^ m->f[k].ret);
    }
    return diff == 0;
}

/* The memo's set of a call site: 16 sets of two, by 4 bits of its hash. */
static inline uint32_t tv_memo_set(uintptr_t pc) {
    _Static_assert(TV_MEMO == 32, "the memo: 16 sets of two");
    return (uint32_t)((pc * 0x9e3779b97f4a7c15ull) >> 60);
}

/* The memo's id of the stack at (pc, fp), 0 when it has none (inline: the
 * fast entries' common case). */
static inline uint32_t tv_stack_memo_hit(tv_tls *me, uintptr_t pc, uintptr_t fp) {
    if (!me || !pc) return 0; /* (an unknown stack has no entries: tv_stack_miss) */
    const struct tv_stack_memo *set = &me->memo[tv_memo_set(pc) * 2];
    if (tv_memo_holds(&set[0], pc, fp)) return set[0].id;
    if (tv_memo_holds(&set[1], pc, fp)) return set[1].id;
    return 0;
}

/* tv_stack_op with its memo looked up inline. */
static inline uint32_t tv_stack_fast(tv_tls *me, uintptr_t pc, uintptr_t fp) {
    uint32_t id = tv_stack_memo_hit(me, pc, fp);
    return id ? id : tv_stack_miss(me, pc, fp);
}
TV_HIDDEN uint32_t tv_stack_pcs(const uintptr_t *pcs, int n);              /* a stack given */
TV_HIDDEN uint32_t tv_stack_here(tv_tls *me);                              /* the caller's caller... */
TV_HIDDEN tv_thread *tv_thread_at(uint32_t slot);
TV_HIDDEN uint32_t tv_thread_new(void);                                    /* a slot, ~0 when full */
TV_HIDDEN void tv_thread_bind(tv_tls *me, uint32_t slot);                  /* this thread is slot */
TV_HIDDEN tv_object *tv_object_get(uint64_t addr, uint32_t kind, bool insert);
TV_HIDDEN tv_report *tv_report_new(uint32_t kind, uint64_t hash, bool *fresh); /* counted when seen */
TV_HIDDEN uint64_t tv_hash64(uint64_t h, uint64_t v);
TV_HIDDEN void tv_modules_scan(void);
TV_HIDDEN void tv_say(const char *msg);                                   /* on stderr, unbuffered */
TV_HIDDEN void tv_spin_lock(atomic_int *l);
TV_HIDDEN void tv_spin_unlock(atomic_int *l);

/* ops.c */
TV_HIDDEN void tv_thread_finished(tv_tls *me);

/* end.c: the exit check, fatal signals, the watchdog */
TV_HIDDEN void tv_end_install(void);
TV_HIDDEN void tv_exit_check(uint32_t how, int status);
TV_HIDDEN void tv_watchdog_start(void);
TV_HIDDEN void tv_sample_end(void);        /* the last clock sample (signal-safe) */

/* What a descriptor's function is, found from its name once at start and
 * kept in the high bits of its index (the low 32 are the index): no call
 * compares strings (TSan intercepts the C library's, and they cost). */
enum {
    TV_DN_C11_SHIFT = 32,                /* 8 bits: enum tv_c11 */
    TV_DN_GLIBC_MUTEX = 40,              /* pthread_mutex_* or mtx_*: glibc's mutex layout */
    TV_DN_PTHREAD_CREATE,
    TV_DN_THRD,                          /* thrd_*: the start routine returns int */
    TV_DN_MUTEX_INIT,                    /* pthread_mutex_init: its attribute says the type */
    TV_DN_QUICK_EXIT,                    /* _exit, _Exit, quick_exit: no exit handlers run */
    TV_DN_TRAMPOLINE,                    /* a fast entry's gate sends it to the trampoline (C11 under TSan) */
    TV_DN_TRY_FIRST,                     /* a glibc mutex's lock alone, no TSan: tried first (ops.c's uncontended) */
};
_Static_assert(TV_DN_TRAMPOLINE == 45, "trampoline.S's gate tests bit 45 of the index");

/* 1: the fast entries' gates (trampoline.S) may take the fast path: the
 * runtime has started and no provoke plan is loaded (provoke.c reads the
 * trampoline's registers). */
extern uint8_t tv_fast TV_HIDDEN;
static inline bool tv_dn(const tv_desc *d, int bit) { return ((uint64_t)d->index >> bit) & 1; }

/* provoke.c: steering the schedule toward static findings (plan.h) */
TV_HIDDEN void tv_provoke_load(void);
TV_HIDDEN void tv_provoke(tv_tls *me, uint32_t op, uint64_t obj, const tv_regs *r); /* before the op */

/* c11.c: C11 threads on TSan's pthreads */
enum tv_c11 {
    TV_C11_NONE, TV_C11_THRD_CREATE, TV_C11_THRD_JOIN, TV_C11_THRD_DETACH, TV_C11_THRD_EXIT, TV_C11_MTX_INIT,
    TV_C11_MTX_LOCK, TV_C11_MTX_TRYLOCK, TV_C11_MTX_TIMEDLOCK, TV_C11_MTX_UNLOCK, TV_C11_CND_WAIT,
    TV_C11_CND_TIMEDWAIT,
};
TV_HIDDEN uint32_t tv_c11_of(const char *name);  /* enum tv_c11 */
TV_HIDDEN bool tv_c11_emulate(const tv_desc *d, tv_regs *r);

#endif
