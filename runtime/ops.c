/* ops.c — what each modelled operation does to the record, before and
 * after the real function runs (tv_call_pre / tv_call_post, called by the
 * trampoline with the descriptor generated from the models).
 *
 * Before: the thread's stack is captured once; a blocking operation pushes
 * what the thread now waits for (the watchdog reads it); a lock already
 * held, a release of a lock not held, a close of a closed channel and a
 * send on one are reported at once. After: what succeeded is recorded (the
 * lock is held, the thread joined, the channel made). */
#include "rt.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(tv_regs) == TV_REGS_SIZE, "tv_regs layout (trampoline.S)");
_Static_assert(offsetof(tv_regs, xmm) == 112, "tv_regs layout (trampoline.S)");
_Static_assert(offsetof(tv_regs, token) == 80 && offsetof(tv_regs, frame) == 88, "tv_regs layout");
_Static_assert(offsetof(tv_desc, real) == 0 && offsetof(tv_desc, ops) == 48, "tv_desc layout (generator)");
_Static_assert(sizeof(tv_desc_op) == 8 * TV_DESC_OP_FIELDS, "tv_desc_op layout (generator)");

int tv_call_pre(tv_desc *d, tv_regs *r) __attribute__((visibility("hidden")));
void tv_call_post(tv_desc *d, tv_regs *r) __attribute__((visibility("hidden")));

/* TSan's shadow stack: the trampoline is not instrumented, so without this
 * the call site in the program would be missing from TSan's stacks of what
 * happens inside a wrapped function. */
extern void __tsan_func_entry(void *pc) __attribute__((weak));
extern void __tsan_func_exit(void) __attribute__((weak));
extern int __tsan_get_alloc_stack(uintptr_t addr, uintptr_t *trace, uintptr_t size, int *thread_id,
                                  uint64_t *os_id) __attribute__((weak));

/* What the fast entries' common path is made of (inlined into them); what
 * it rarely needs, out of line. */
#define TV_INLINE static inline __attribute__((always_inline))
#define TV_COLD static __attribute__((noinline, cold))

/* token bits, beside the stack id in the low 32 */
enum { K_BLOCK = 1ull << 32, K_CLOSED = 1ull << 33, K_SLOT = 1ull << 34, K_LATE = 1ull << 35, K_DONE = 1ull << 36, K_HELD_DEPTH_SHIFT = 40 };

static uint64_t arg_of(const tv_regs *r, int64_t i) { return i >= 0 && i < 6 ? r->args[i] : 0; }

/* The op's object: the argument, what it points to, or the result. */
static uint64_t object_of(const tv_desc_op *op, const tv_regs *r, bool after) {
    if (op->handle == TV_ROLE_RETURN) return after ? r->ret[0] : 0;
    uint64_t a = arg_of(r, op->handle);
    if (op->handle_out) {
        if (!after || !a) return 0;
        return *(uint64_t *)a;
    }
    return a;
}

static bool succeeded_ret(const tv_desc_op *op, uint64_t ret) {
    if (!op->has_success) return true;
    /* int results: compare the low 32 bits sign-extended, as C would */
    return (int64_t)(int32_t)ret == op->success || (int64_t)ret == op->success;
}
static bool succeeded(const tv_desc_op *op, const tv_regs *r) { return succeeded_ret(op, r->ret[0]); }

static uint32_t fn_of(const tv_desc *d) { return (uint32_t)d->index; }

/* ------------------------------------------------------------ blocking */

TV_INLINE bool block_push(tv_tls *me, uint32_t kind, uint32_t flags, uint64_t obj, uint64_t obj2, uint32_t stack,
                       const tv_desc *d) {
    tv_thread *t = me->t;
    uint32_t n = t->nblock;
    if (n >= TV_MAX_BLOCK) return false;
    tv_block_ent *b = &t->block[n];
    b->kind = kind, b->flags = flags, b->obj = obj, b->obj2 = obj2, b->stack = stack, b->fn = fn_of(d);
    b->seq = t->progress; /* not the global counter: its line is every thread's */
    atomic_store_explicit((_Atomic uint32_t *)&t->nblock, n + 1, memory_order_release);
    return true;
}

TV_INLINE void block_pop(tv_tls *me) {
    tv_thread *t = me->t;
    if (t->nblock) atomic_store_explicit((_Atomic uint32_t *)&t->nblock, t->nblock - 1, memory_order_release);
    t->progress++;
}

/* ------------------------------------------------------------ held locks */

TV_INLINE tv_held *held_find(tv_thread *t, uint64_t obj) {
    for (uint32_t i = 0; i < t->nheld && i < TV_MAX_HELD; i++)
        if (t->held[i].obj == obj) return &t->held[i];
    return NULL;
}

TV_INLINE void held_add(tv_tls *me, uint64_t obj, uint32_t stack, uint32_t flags, uint32_t depth) {
    tv_thread *t = me->t;
    tv_held *h = held_find(t, obj);
    if (h) {
        h->depth += depth;
        return;
    }
    uint32_t n = t->nheld;
    if (n >= TV_MAX_HELD) {
        t->held_overflow++;
        atomic_fetch_add_explicit((_Atomic uint64_t *)&tv.hdr->dropped_held, 1, memory_order_relaxed);
        return;
    }
    h = &t->held[n];
    h->obj = obj, h->stack = stack, h->flags = flags, h->depth = depth, h->seq = t->progress;
    atomic_store_explicit((_Atomic uint32_t *)&t->nheld, n + 1, memory_order_release);
}

/* Removes one acquisition (all of them with `all`); returns the depth
 * removed, 0 if not held; *excl: it was held exclusively. */
TV_INLINE uint32_t held_remove(tv_tls *me, uint64_t obj, bool all, bool *excl) {
    tv_thread *t = me->t;
    tv_held *h = held_find(t, obj);
    *excl = h && !(h->flags & TV_F_SHARED);
    if (!h) {
        /* it may be one that did not fit: then it was held */
        if (t->held_overflow) return t->held_overflow--, 1;
        return 0;
    }
    uint32_t d = h->depth;
    if (!all && h->depth > 1) {
        h->depth--;
        return 1;
    }
    uint32_t i = (uint32_t)(h - t->held), n = t->nheld;
    for (uint32_t k = i; k + 1 < n; k++) t->held[k] = t->held[k + 1];
    atomic_store_explicit((_Atomic uint32_t *)&t->nheld, n - 1, memory_order_release);
    return d;
}

/* Who holds obj, other than `except`: a slot, or ~0. */
TV_COLD uint32_t holder_of(uint64_t obj, uint32_t except) {
    uint32_t n = tv.hdr->threads_used;
    for (uint32_t s = 0; s < n && s < tv.hdr->threads_cap; s++) {
        if (s == except) continue;
        tv_thread *t = tv_thread_at(s);
        uint32_t nh = t->nheld;
        for (uint32_t i = 0; i < nh && i < TV_MAX_HELD; i++)
            if (t->held[i].obj == obj) return s;
    }
    return ~0u;
}

/* glibc's pthread_mutex_t (and mtx_t): __kind at offset 16; 1 is recursive. */
TV_COLD bool recursive_lock(const tv_desc *d, uint64_t obj) {
    tv_object *o = tv_object_get(obj, TV_O_MUTEX, false);
    if (o && (o->flags & TV_F_RECURSIVE)) return true;
    if (tv_dn(d, TV_DN_GLIBC_MUTEX) && obj) {
        int kind = ((const int *)obj)[4];
        return (kind & 3) == 1;
    }
    return false;
}

static uint32_t alloc_stack_of(uint64_t addr) {
    if (!__tsan_get_alloc_stack || !addr) return 0;
    uintptr_t trace[TV_MAX_FRAMES];
    int tid;
    uint64_t os;
    int n = __tsan_get_alloc_stack(addr, trace, TV_MAX_FRAMES, &tid, &os);
    return n > 0 ? tv_stack_pcs(trace, n) : 0;
}

static void object_made(tv_tls *me, tv_object *o, uint32_t kind, uint32_t stack, uint64_t seq) {
    if (!o) return;
    o->kind = kind;
    o->closed = 0, o->close_stack = 0, o->close_thread = 0, o->close_seq = 0;
    o->made_stack = stack;
    o->made_thread = me->slot;
    o->made_seq = seq;
    o->alloc_stack = alloc_stack_of(o->addr);
}

/* ------------------------------------------------------------ reports */

TV_COLD void report_simple(tv_tls *me, uint32_t kind, uint64_t obj, uint32_t s0, uint32_t s1, uint32_t other,
                          uint32_t flags) {
    bool fresh;
    uint64_t hash = tv_hash64(tv_hash64(tv_hash64(kind, s0), s1), obj);
    tv_report *r = tv_report_new(kind, hash, &fresh);
    if (!r || !fresh) return;
    r->obj = obj;
    r->seq = tv_clock_now(me);
    r->thread = me->slot;
    r->flags = flags;
    r->stacks[0] = s0, r->stacks[1] = s1;
    r->nstacks = 2;
    r->threads[0].tid = (int32_t)me->slot;
    r->threads[1].tid = other == ~0u ? -1 : (int32_t)other;
    r->nthreads = 2;
    atomic_store_explicit((_Atomic uint32_t *)&r->kind, kind, memory_order_release);
    tv_emit_seq(me, TV_EV_REPORT, obj, (uint64_t)(r - (tv_report *)(tv.base + tv.hdr->reports_off)), s0, 0, ~0u,
                r->seq, 0);
}

/* ------------------------------------------------------------ threads */

typedef struct start_rec {
    void *(*start)(void *);
    void *arg;
    uint32_t slot;
    int c11;
} start_rec;

static void *thread_entry(void *p) {
    start_rec rec = *(start_rec *)p;
    free(p);
    tv_tls *me = &tv_self;
    if (tv_on() && rec.slot != ~0u) {
        tv_thread_bind(me, rec.slot);
        tv_thread *t = me->t;
        t->start_seq = tv_tick(me, t->create_seq); /* after its creation */
        tv_emit_seq(me, TV_EV_THREAD_START, (uint64_t)(uintptr_t)rec.start, t->parent, 0, 0, ~0u, t->start_seq, 0);
    }
    void *res;
    if (rec.c11) res = (void *)(intptr_t)((int (*)(void *))(void *)rec.start)(rec.arg);
    else res = rec.start(rec.arg);
    if (me->t) tv_thread_finished(me);
    return res;
}

void tv_thread_finished(tv_tls *me) {
    tv_thread *t = me->t;
    if (!t || t->state == TV_T_EXITED) return;
    t->exit_seq = tv_tick(me, 0);
    tv_emit_seq(me, TV_EV_THREAD_END, 0, 0, 0, 0, ~0u, t->exit_seq, 0);
    t->nblock = 0;
    atomic_store_explicit((_Atomic uint32_t *)&t->state, TV_T_EXITED, memory_order_release);
}

/* The thread a handle names: the latest not yet joined. */
static uint32_t thread_of_handle(uint64_t handle) {
    uint32_t n = tv.hdr->threads_used;
    for (uint32_t s = n; s-- > 0;) {
        tv_thread *t = tv_thread_at(s);
        if (t && t->handle == handle && !t->joined_by && t->state != TV_T_FAILED && t->state != TV_T_UNUSED)
            return s;
    }
    return ~0u;
}

/* ------------------------------------------------------------ pre */

/* The program's stack at the wrapped call: the call site, then the
 * chain of frames from the trampoline's. */
static inline uint32_t stack_at(tv_tls *me, const uintptr_t *frame) { return tv_stack_fast(me, frame[1], frame[0]); }
static uint32_t stack_of_call(tv_tls *me, const tv_regs *r) {
    return stack_at(me, (const uintptr_t *)(uintptr_t)r->frame);
}

/* An unlock alone: nothing but its place in the order is taken while the
 * lock is still held (every other thread waiting for it waits for that). */
static bool late(const tv_desc *d) { return d->nops == 1 && d->ops[0].op == TV_OP_UNLOCK; }


/* A glibc mutex taken by trying it first: a lock that was free never
 * blocks, so it needs no blocking entry for the watchdog. Only without
 * TSan, whose interceptor of the real lock must see every acquisition
 * (the trylock found at start may be the C library's). Success (0, also
 * mtx_lock's) and a robust mutex's owner-died (taken too) are the lock's
 * own answers; anything else (busy, an error) goes on to the real call.
 * -1: not taken. */
TV_INLINE int uncontended(const tv_desc *d, uint64_t obj) {
    if (!tv_dn(d, TV_DN_TRY_FIRST) || !obj) return -1; /* no TSan, one op, a glibc mutex, a trylock (core.c) */
    int e = tv.pthread_mutex_trylock((pthread_mutex_t *)(uintptr_t)obj);
    return e == 0 || e == EOWNERDEAD ? e : -1;
}

/* A lock or trylock before the real call (the trampoline's and the fast
 * entries'): a double acquire is reported; the lock's answer when it was
 * taken uncontended (else -1), and *blocked when a blocking entry was
 * pushed for the watchdog. */
TV_INLINE int lock_pre(tv_tls *me, const tv_desc *d, const tv_desc_op *op, uint64_t obj, uint32_t stk,
                           bool *blocked) {
    bool shared = op->shared != 0;
    tv_held *h = held_find(me->t, obj);
    if (h && op->op == TV_OP_LOCK && !(shared && (h->flags & TV_F_SHARED)) && !recursive_lock(d, obj))
        report_simple(me, TV_R_DOUBLE_ACQUIRE, obj, stk, h->stack, me->slot, 0);
    int e = op->op == TV_OP_LOCK ? uncontended(d, obj) : -1;
    *blocked = e < 0 && op->op == TV_OP_LOCK && block_push(me, TV_B_MUTEX, shared ? TV_F_SHARED : 0, obj, 0, stk, d);
    return e;
}

/* A lock or trylock after it: held, or a failed try. */
TV_INLINE void lock_post(tv_tls *me, const tv_desc *d, const tv_desc_op *op, uint64_t obj, uint32_t stk,
                             bool ok) {
    uint16_t fl = (op->shared ? TV_F_SHARED : 0) | (op->op == TV_OP_TRYLOCK ? TV_F_TRY : 0);
    if (!ok) {
        if (op->op == TV_OP_TRYLOCK) tv_emit(me, TV_EV_TRYLOCK_FAIL, obj, 0, stk, fl | TV_F_FAILED, fn_of(d));
        return;
    }
    held_add(me, obj, stk, op->shared ? TV_F_SHARED : 0, 1);
    tv_emit_inline(me, TV_EV_LOCK, obj, 0, stk, fl, fn_of(d), tv_clock_acquire(me, obj), 0);
}

/* An unlock before the real call: not held is reported (with the stack
 * at frame, when *stk has none yet); its clock, taken while the lock is
 * still held (the next holder's acquisition follows it). */
TV_INLINE uint64_t unlock_pre(tv_tls *me, uint64_t obj, uint32_t *stk, const uintptr_t *frame) {
    bool excl;
    uint32_t depth = held_remove(me, obj, false, &excl);
    if (!depth) {
        if (!*stk) *stk = stack_at(me, frame);
        report_simple(me, TV_R_RELEASE_UNHELD, obj, *stk, 0, holder_of(obj, me->slot), 0);
    }
    uint64_t c = tv_tick(me, 0);
    tv_clock_release(obj, c, excl);
    return c;
}

static void pre_op(tv_tls *me, tv_desc *d, const tv_desc_op *op, tv_regs *r, uint32_t stk) {
    uint64_t obj = object_of(op, r, false);
    switch (op->op) {
    case TV_OP_THREAD_CREATE: {
        if (op->start < 0 || op->start >= 6) break;
        uint32_t slot = tv_thread_new();
        if (slot == ~0u) break;
        start_rec *rec = malloc(sizeof *rec);
        if (!rec) break;
        tv_thread *t = tv_thread_at(slot);
        t->parent = me->slot;
        t->create_stack = stk;
        t->start = arg_of(r, op->start);
        t->create_seq = tv_tick(me, 0); /* the CREATE event's: the thread starts after it */
        t->state = TV_T_CREATING;
        if (tv_dn(d, TV_DN_PTHREAD_CREATE) && op->attr >= 0 && arg_of(r, op->attr)) {
            int ds = 0;
            if (pthread_attr_getdetachstate((const pthread_attr_t *)arg_of(r, op->attr), &ds) == 0 &&
                ds == PTHREAD_CREATE_DETACHED)
                t->detached = 1;
        }
        rec->start = (void *(*)(void *))arg_of(r, op->start);
        rec->arg = op->start_arg >= 0 ? (void *)arg_of(r, op->start_arg) : NULL;
        rec->slot = slot;
        rec->c11 = tv_dn(d, TV_DN_THRD);
        r->args[op->start] = (uint64_t)(uintptr_t)thread_entry;
        if (op->start_arg >= 0 && op->start_arg < 6) r->args[op->start_arg] = (uint64_t)(uintptr_t)rec;
        r->token2 = (uint64_t)(uintptr_t)rec; /* the new thread frees it */
        r->token3 = slot;
        r->token |= K_SLOT;
        /* before the thread can start: the run's order has the creation first */
        tv_emit_seq(me, TV_EV_CREATE, t->start, slot, stk, 0, fn_of(d), t->create_seq, 0);
        break;
    }
    case TV_OP_THREAD_JOIN: {
        uint32_t target = op->handle_out ? ~0u : thread_of_handle(obj);
        tv_emit(me, TV_EV_JOIN_BEGIN, obj, target, stk, 0, fn_of(d));
        if (block_push(me, TV_B_JOIN, op->has_success ? TV_F_TIMED : 0, obj, target, stk, d)) r->token |= K_BLOCK;
        r->token2 = target;
        break;
    }
    case TV_OP_THREAD_DETACH:
        r->token2 = thread_of_handle(obj);
        break;
    case TV_OP_THREAD_EXIT:
        if (me->t->state != TV_T_EXITED) {
            me->t->exit_stack = stk;
            tv_thread_finished(me);
        }
        break;
    case TV_OP_PROCESS_EXIT: {
        int status = d->arity >= 1 ? (int)arg_of(r, 0) : 0;
        tv_emit(me, TV_EV_EXIT_CALL, 0, (uint64_t)(int64_t)status, stk, 0, fn_of(d));
        tv.hdr->end_stack = stk;
        tv.hdr->end_thread = me->slot;
        if (tv_dn(d, TV_DN_QUICK_EXIT))
            tv_exit_check(TV_END_UNDERSCORE_EXIT, status);
        break;
    }
    case TV_OP_LOCK:
    case TV_OP_TRYLOCK: {
        if (tv.provoke && op->op == TV_OP_LOCK) tv_provoke(me, TV_OP_LOCK, obj, r);
        bool blocked;
        int e = lock_pre(me, d, op, obj, stk, &blocked);
        if (e >= 0) r->ret[0] = (uint64_t)(int64_t)e, r->token |= K_DONE; /* taken: the real lock is not called */
        if (blocked) r->token |= K_BLOCK;
        break;
    }
    case TV_OP_UNLOCK: {
        uint32_t was = stk;
        uint64_t c = unlock_pre(me, obj, &stk, (const uintptr_t *)(uintptr_t)r->frame);
        if (stk != was) r->token |= stk;
        if (r->token & K_LATE) { /* the stack and the event once it is released */
            r->token3 = c;
            r->token2 = tv.event_clock ? tv_ticks() : 0;
            break;
        }
        tv_emit_seq(me, TV_EV_UNLOCK, obj, 0, stk, 0, fn_of(d), c, 0);
        break;
    }
    case TV_OP_COND_WAIT: {
        uint64_t cond = op->handle != 0 ? arg_of(r, 0) : arg_of(r, 1);
        bool excl;
        uint32_t depth = held_remove(me, obj, true, &excl);
        bool timed = d->arity > 2;
        uint64_t c = tv_tick(me, 0); /* a release of the mutex */
        tv_clock_release(obj, c, excl);
        tv_emit_seq(me, TV_EV_WAIT_BEGIN, obj, cond, stk, timed ? TV_F_TIMED : 0, fn_of(d), c, 0);
        if (block_push(me, TV_B_COND, timed ? TV_F_TIMED : 0, obj, cond, stk, d)) r->token |= K_BLOCK;
        r->token |= (uint64_t)(depth ? depth : 1) << K_HELD_DEPTH_SHIFT;
        break;
    }
    case TV_OP_CHAN_CLOSE:
    case TV_OP_CHAN_DISPOSE: {
        if (op->op == TV_OP_CHAN_DISPOSE && !op->closes) break;
        if (tv.provoke) tv_provoke(me, TV_OP_CHAN_CLOSE, obj, r);
        tv_object *o = tv_object_get(obj, TV_O_CHAN, true);
        uint64_t c = tv_clock_sync(me, obj); /* before it is seen closed: a send that sees it comes after */
        if (!o) {
            tv_emit_seq(me, TV_EV_CHAN_CLOSE, obj, 0, stk, 0, fn_of(d), c, 0);
            break;
        }
        uint32_t z = 0;
        if (!atomic_compare_exchange_strong((_Atomic uint32_t *)&o->closed, &z, 1)) {
            report_simple(me, TV_R_CHAN_DOUBLE_CLOSE, obj, stk, o->close_stack, o->close_thread, 0);
        } else {
            o->close_stack = stk;
            o->close_thread = me->slot;
            o->close_seq = c;
        }
        tv_emit_seq(me, TV_EV_CHAN_CLOSE, obj, 0, stk, 0, fn_of(d), c, 0);
        break;
    }
    case TV_OP_CHAN_SEND: {
        if (tv.provoke) tv_provoke(me, TV_OP_CHAN_SEND, obj, r);
        tv_object *o = tv_object_get(obj, TV_O_CHAN, false);
        if (o && atomic_load_explicit((_Atomic uint32_t *)&o->closed, memory_order_acquire)) {
            report_simple(me, TV_R_CHAN_SEND_AFTER_CLOSE, obj, stk, o->close_stack, o->close_thread, 0);
            r->token |= K_CLOSED;
        }
        if (block_push(me, TV_B_CHAN_SEND, 0, obj, 0, stk, d)) r->token |= K_BLOCK;
        /* its clock before the value can be taken: the receive that takes
         * it comes after it (the event is written once the send is done) */
        if (obj && !r->token3) r->token3 = tv_clock_sync(me, obj);
        break;
    }
    case TV_OP_CHAN_RECV:
        if (block_push(me, TV_B_CHAN_RECV, 0, obj, 0, stk, d)) r->token |= K_BLOCK;
        break;
    case TV_OP_CHAN_SELECT:
        if (block_push(me, TV_B_CHAN_SELECT, 0, obj, 0, stk, d)) r->token |= K_BLOCK;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ post */

static void post_op(tv_tls *me, tv_desc *d, const tv_desc_op *op, tv_regs *r, uint32_t stk) {
    bool ok = succeeded(op, r);
    switch (op->op) {
    case TV_OP_THREAD_CREATE: {
        if (!(r->token & K_SLOT)) break;
        uint32_t slot = (uint32_t)r->token3;
        tv_thread *t = tv_thread_at(slot);
        if (!ok) {
            free((start_rec *)(uintptr_t)r->token2); /* no thread took it */
            if (t) t->state = TV_T_FAILED;
            tv_emit(me, TV_EV_CREATE_FAIL, 0, slot, stk, TV_F_FAILED, fn_of(d));
            break;
        }
        /* rec belongs to the new thread now */
        uint64_t handle = object_of(op, r, true);
        if (t && handle) t->handle = handle;
        break;
    }
    case TV_OP_THREAD_JOIN: {
        if (r->token & K_BLOCK) block_pop(me);
        uint32_t target = (uint32_t)r->token2;
        if (!ok) break;
        tv_thread *t = tv_thread_at(target);
        /* after everything the joined thread recorded */
        uint64_t c = tv_tick(me, t ? atomic_load_explicit((_Atomic uint64_t *)&t->clock, memory_order_relaxed) : 0);
        if (t) t->joined_by = me->slot + 1, t->join_seq = c, t->join_stack = stk;
        tv_emit_seq(me, TV_EV_JOIN, object_of(op, r, true), target, stk, 0, fn_of(d), c, 0);
        break;
    }
    case TV_OP_THREAD_DETACH: {
        tv_thread *t = tv_thread_at((uint32_t)r->token2);
        if (!ok) break;
        if (t) t->detached = 1;
        tv_emit(me, TV_EV_DETACH, object_of(op, r, true), (uint32_t)r->token2, stk, 0, fn_of(d));
        break;
    }
    case TV_OP_LOCK:
    case TV_OP_TRYLOCK: {
        if (r->token & K_BLOCK) block_pop(me);
        lock_post(me, d, op, object_of(op, r, true), stk, ok);
        break;
    }
    case TV_OP_COND_WAIT: {
        if (r->token & K_BLOCK) block_pop(me);
        uint64_t obj = object_of(op, r, true);
        uint32_t depth = (uint32_t)(r->token >> K_HELD_DEPTH_SHIFT) & 0xffff;
        held_add(me, obj, stk, 0, depth ? depth : 1);
        tv_emit_seq(me, TV_EV_WAIT_END, obj, 0, stk, 0, fn_of(d), tv_clock_acquire(me, obj), 0);
        break;
    }
    case TV_OP_UNLOCK:
        if (r->token & K_LATE)
            tv_emit_seq(me, TV_EV_UNLOCK, object_of(op, r, true), 0, stk, 0, fn_of(d), r->token3, r->token2);
        break;
    case TV_OP_LOCK_INIT: {
        uint64_t obj = object_of(op, r, true);
        if (!ok || !obj) break;
        tv_object *o = tv_object_get(obj, TV_O_MUTEX, true);
        uint64_t c = tv_tick(me, 0);
        object_made(me, o, TV_O_MUTEX, stk, c);
        bool rec = false;
        if (op->recursive_mask && op->state >= 0) rec = (arg_of(r, op->state) & (uint64_t)op->recursive_mask) != 0;
        if (tv_dn(d, TV_DN_MUTEX_INIT) && op->attr >= 0 && arg_of(r, op->attr)) {
            int type = 0;
            if (pthread_mutexattr_gettype((const pthread_mutexattr_t *)arg_of(r, op->attr), &type) == 0)
                rec = type == PTHREAD_MUTEX_RECURSIVE;
        }
        if (o) o->flags = rec ? TV_F_RECURSIVE : 0;
        tv_emit_seq(me, TV_EV_LOCK_INIT, obj, 0, stk, rec ? TV_F_RECURSIVE : 0, fn_of(d), c, 0);
        break;
    }
    case TV_OP_CHAN_MAKE: {
        uint64_t obj = object_of(op, r, true);
        if (!ok || !obj) break;
        uint64_t c = tv_clock_sync(me, obj);
        object_made(me, tv_object_get(obj, TV_O_CHAN, true), TV_O_CHAN, stk, c);
        tv_emit_seq(me, TV_EV_CHAN_MAKE, obj, 0, stk, 0, fn_of(d), c, 0);
        break;
    }
    case TV_OP_CHAN_SEND: {
        if (r->token & K_BLOCK) block_pop(me);
        uint64_t obj = object_of(op, r, true);
        if (!ok && !(r->token & K_CLOSED)) {
            tv_object *o = tv_object_get(obj, TV_O_CHAN, false);
            if (o && o->closed)
                report_simple(me, TV_R_CHAN_SEND_AFTER_CLOSE, obj, stk, o->close_stack, o->close_thread, 1);
        }
        tv_emit_seq(me, TV_EV_CHAN_SEND, obj, 0, stk, ok ? 0 : TV_F_FAILED, fn_of(d), r->token3, 0);
        break;
    }
    case TV_OP_CHAN_RECV: {
        if (r->token & K_BLOCK) block_pop(me);
        uint64_t obj = object_of(op, r, true);
        tv_emit_seq(me, TV_EV_CHAN_RECV, obj, 0, stk, 0, fn_of(d), obj ? tv_clock_sync(me, obj) : 0, 0);
        break;
    }
    case TV_OP_CHAN_SELECT:
        if (r->token & K_BLOCK) block_pop(me);
        tv_emit(me, TV_EV_CHAN_SELECT, 0, 0, stk, 0, fn_of(d));
        break;
    case TV_OP_CHAN_DISPOSE: {
        uint64_t obj = object_of(op, r, true);
        tv_emit_seq(me, TV_EV_CHAN_DISPOSE, obj, 0, stk, 0, fn_of(d), obj ? tv_clock_sync(me, obj) : 0, 0);
        break;
    }
    default:
        break;
    }
}

/* ------------------------------------------------------------ entry points */

int tv_call_pre(tv_desc *d, tv_regs *r) {
    if (atomic_load_explicit(&tv_resolved, memory_order_acquire) != 2) tv_resolve();
    uintptr_t *frame = (uintptr_t *)(uintptr_t)r->frame;
    uintptr_t callsite = frame[1];
    if (tv.tsan && __tsan_func_entry) __tsan_func_entry((void *)callsite);
    tv_tls *me = tv_self.t ? &tv_self : tv_me();
    if (me) {
        uint32_t stk = late(d) ? 0 : tv_stack_op(me, callsite, frame[0]);
        r->token = stk | (late(d) ? K_LATE : 0);
        r->token3 = 0; /* the trampoline leaves it as it was */
        for (int64_t i = 0; i < d->nops && i < TV_DESC_MAX_OPS; i++) pre_op(me, d, &d->ops[i], r, stk);
        if (r->token & K_DONE) {
            tv_call_post(d, r);
            return 1;
        }
    }
    if (tv.tsan && ((uint64_t)d->index >> TV_DN_C11_SHIFT & 0xff) && tv_c11_emulate(d, r)) {
        tv_call_post(d, r);
        return 1;
    }
    if (!d->real) {
        tv_say("threadvet: a wrapped function has no definition to call: ");
        tv_say(d->name);
        tv_say("\n");
        syscall(SYS_exit_group, 127L); /* not abort(): the program's may be ours */
    }
    return 0;
}

void tv_call_post(tv_desc *d, tv_regs *r) {
    tv_tls *me = tv_self.t ? &tv_self : NULL;
    if (me) {
        if ((r->token & K_LATE) && !(uint32_t)r->token) r->token |= stack_of_call(me, r);
        uint32_t stk = (uint32_t)r->token;
        for (int64_t i = 0; i < d->nops && i < TV_DESC_MAX_OPS; i++) post_op(me, d, &d->ops[i], r, stk);
    }
    if (tv.tsan && __tsan_func_exit) __tsan_func_exit();
}

/* ------------------------------------------------------------ fast entries
 *
 * A lock, trylock or unlock whose one argument is the lock (cc.c's
 * fast_entry: pthread_mutex_*, mtx_*, pthread_spin_*, pthread_rwlock_*)
 * reaches one of these from its gate in trampoline.S, with the descriptor
 * as the second argument: no generic save of every register, no copy of
 * stack words, the op done inline. The gate took the trampoline instead
 * for what needs it (before start, a provoke plan, C11 emulated under
 * TSan). This frame is what the trampoline's is to the stack walk: its
 * return address is the program's call site, its %rbp chained. The real
 * function is called from these functions' own bodies (never from a helper
 * inlined into them): under TSan its interceptor's frame then symbolises
 * as __tv_fast_*, which the reader skips like __tv_trampoline. */

uint64_t __tv_fast_lock(uint64_t obj, tv_desc *d) TV_HIDDEN;
uint64_t __tv_fast_trylock(uint64_t obj, tv_desc *d) TV_HIDDEN;
uint64_t __tv_fast_unlock(uint64_t obj, tv_desc *d) TV_HIDDEN;

typedef uint64_t (*tv_real1)(uint64_t);

/* This thread, registered (NULL: nothing is recorded). The program's call
 * site is pushed on TSan's shadow stack (as tv_call_pre does). */
static inline tv_tls *fast_enter(const uintptr_t *frame) {
    if (tv.tsan && __tsan_func_entry) __tsan_func_entry((void *)frame[1]);
    return tv_self.t ? &tv_self : tv_me();
}

static inline void fast_leave(void) {
    if (tv.tsan && __tsan_func_exit) __tsan_func_exit();
}

uint64_t __tv_fast_lock(uint64_t obj, tv_desc *d) {
    const uintptr_t *frame = (const uintptr_t *)__builtin_frame_address(0);
    tv_tls *me = fast_enter(frame);
    uint64_t ret;
    if (!me) {
        ret = ((tv_real1)d->real)(obj);
    } else {
        const tv_desc_op *op = &d->ops[0];
        uint32_t stk = stack_at(me, frame);
        bool blocked;
        int e = lock_pre(me, d, op, obj, stk, &blocked);
        ret = e >= 0 ? (uint64_t)(int64_t)e : ((tv_real1)d->real)(obj);
        if (blocked) block_pop(me);
        lock_post(me, d, op, obj, stk, succeeded_ret(op, ret));
    }
    fast_leave();
    return ret;
}

uint64_t __tv_fast_trylock(uint64_t obj, tv_desc *d) {
    const uintptr_t *frame = (const uintptr_t *)__builtin_frame_address(0);
    tv_tls *me = fast_enter(frame);
    uint32_t stk = me ? stack_at(me, frame) : 0;
    uint64_t ret = ((tv_real1)d->real)(obj);
    if (me) lock_post(me, d, &d->ops[0], obj, stk, succeeded_ret(&d->ops[0], ret));
    fast_leave();
    return ret;
}

/* Only the unlock's place in the order is taken while it holds the lock;
 * its stack and event once it is released (late(), as the trampoline's). */
uint64_t __tv_fast_unlock(uint64_t obj, tv_desc *d) {
    const uintptr_t *frame = (const uintptr_t *)__builtin_frame_address(0);
    tv_tls *me = fast_enter(frame);
    uint64_t ret;
    if (!me) {
        ret = ((tv_real1)d->real)(obj);
    } else {
        uint32_t stk = 0;
        uint64_t c = unlock_pre(me, obj, &stk, frame);
        uint64_t ts = tv.event_clock ? tv_ticks() : 0;
        ret = ((tv_real1)d->real)(obj);
        if (!stk) stk = stack_at(me, frame);
        tv_emit_inline(me, TV_EV_UNLOCK, obj, 0, stk, 0, fn_of(d), c, ts);
    }
    fast_leave();
    return ret;
}
