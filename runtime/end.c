/* end.c — how a run ends: the exit check for threads still running
 * (goleak's check), fatal signals, and the deadlock watchdog.
 *
 * Nothing here allocates or locks on a signal path: the record is mapped
 * shared, so what is written is in the file the moment it is written, and
 * a signal handler only adds how the run ended. */
#include "rt.h"

#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static atomic_int exit_checked;
/* The watchdog sleeps on this word (a futex, not a lock TSan would see):
 * 1 asks it to end, 2 says it has. */
static _Atomic uint32_t watchdog_word;
static bool watchdog_running;

static void watchdog_stop(void);
static uint64_t ms_count;   /* the watchdog's milliseconds: the clocks' floor */
static bool last_idle;      /* no event read the floor in the last millisecond */

static void sleep_ms(uint64_t ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static bool alive(const tv_thread *t) {
    uint32_t s = atomic_load_explicit((_Atomic uint32_t *)&t->state, memory_order_acquire);
    return s == TV_T_RUNNING || s == TV_T_CREATING;
}

static tv_report *report_at(uint32_t i) { return (tv_report *)(tv.base + tv.hdr->reports_off) + i; }

/* ------------------------------------------------------------ exit check */

/* Threads still running when the process ends: after a grace period for
 * those about to finish, each is a leak, reported with where it was made
 * and what it waits for. A detached thread that is still working (not
 * blocked) is let go: it was meant to run to the end. */
/* The threads alive now are leaks (once: from the exit check, or from a
 * fatal signal during its grace period). Signal-safe: atomics and stores. */
static atomic_int leaks_marked;
static _Atomic uint32_t exit_slot = ~0u; /* the thread running the exit check */

static void mark_leaks(uint32_t self) {
    int z = 0;
    if (!atomic_compare_exchange_strong(&leaks_marked, &z, 1)) return;
    tv_header *h = tv.hdr;
    for (uint32_t s = 0; s < h->threads_used && s < h->threads_cap; s++) {
        tv_thread *t = tv_thread_at(s);
        if (s == self || !alive(t)) continue;
        uint32_t nb = t->nblock < TV_MAX_BLOCK ? t->nblock : TV_MAX_BLOCK;
        if (t->detached && !nb) continue;
        t->leaked = 1;
        uint32_t outer = nb ? t->block[0].stack : 0, inner = nb ? t->block[nb - 1].stack : 0;
        bool fresh;
        uint64_t hash = tv_hash64(tv_hash64(tv_hash64(TV_R_LEAK_RUNNING, t->create_stack), outer), t->start);
        tv_report *r = tv_report_new(TV_R_LEAK_RUNNING, hash, &fresh);
        if (!r) continue;
        if (!fresh) {
            /* one more thread of the same kind: listed while there is room */
            if (r->nthreads < TV_R_THREADS) r->threads[r->nthreads++].tid = (int32_t)s;
            continue;
        }
        r->obj = t->start;
        r->seq = tv_clock_now(NULL);
        r->thread = s;
        r->flags = t->detached;
        r->stacks[0] = t->create_stack, r->stacks[1] = outer, r->stacks[2] = inner;
        r->nstacks = 3;
        r->threads[0].tid = (int32_t)s;
        r->nthreads = 1;
        atomic_store_explicit((_Atomic uint32_t *)&r->kind, TV_R_LEAK_RUNNING, memory_order_release);
    }
    h->leak_checked = 1;
}

/* Threads still running when the process ends: after a grace period for
 * those about to finish, each is a leak, reported with where it was made
 * and what it waits for. A detached thread that is still working (not
 * blocked) is let go: it was meant to run to the end. */
void tv_exit_check(uint32_t how, int status) {
    if (!tv_on()) return;
    int z = 0;
    if (!atomic_compare_exchange_strong(&exit_checked, &z, 1)) return;
    tv_header *h = tv.hdr;
    uint32_t self = tv_self.t ? tv_self.slot : ~0u;
    atomic_store(&exit_slot, self);
    uint64_t deadline = tv_now() + (uint64_t)h->grace_ms * 1000000ull;
    for (;;) {
        int n = 0;
        for (uint32_t s = 0; s < h->threads_used && s < h->threads_cap; s++)
            if (s != self && alive(tv_thread_at(s))) n++;
        if (!n || tv_now() >= deadline) break;
        sleep_ms(2);
    }
    mark_leaks(self);
    h->exit_status = status;
    if (!h->end) h->end = how;
    h->end_ns = tv_now();
    tv_sample_end();
    tv_calibrate();
    tv_modules_scan();
}

static void at_exit(void) {
    if (tv.hdr && tv.hdr->end_stack == 0 && tv_self.t) tv.hdr->end_thread = tv_self.slot;
    tv_exit_check(TV_END_EXIT, 0);
    /* A thread still running at exit makes TSan sleep a second
     * (atexit_sleep_ms) before its own checks: ours must not be one. */
    watchdog_stop();
}

/* ------------------------------------------------------------ fatal signals */

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTERM, SIGINT,
                                    SIGHUP,  SIGQUIT, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ};
static struct sigaction previous[65];

static void on_fatal(int sig, siginfo_t *si, void *ucv) {
    tv_header *h = tv.hdr;
    if (h && (!h->end || h->end == TV_END_RUNNING)) {
        h->end = TV_END_SIGNAL;
        h->end_signal = sig;
        h->end_ns = tv_now();
        tv_sample_end();
        tv_calibrate();
        tv_tls *me = tv_self.t ? &tv_self : NULL;
        ucontext_t *uc = ucv;
        uintptr_t pc = uc ? (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] : 0;
        uintptr_t fp = uc ? (uintptr_t)uc->uc_mcontext.gregs[REG_RBP] : 0;
        /* +1: the reader takes every pc as a return address */
        uint32_t stack = me && !me->in_emit ? tv_stack_from(me, pc ? pc + 1 : 0, fp) : 0;
        /* abort() and the like said where already (their stacks go through the program) */
        if (!h->end_stack || !me || h->end_thread != me->slot) {
            h->end_stack = stack;
            h->end_thread = me ? me->slot : ~0u;
        }
        if (me && !me->in_emit) tv_emit(me, TV_EV_SIGNAL, 0, (uint64_t)sig, stack, 0, ~0u);
        /* During the exit check's grace period the program was ending: the
         * threads still alive are leaks all the same (a leaked thread
         * touching what exit tore down is a common way to crash there). */
        uint32_t es = atomic_load(&exit_slot);
        if (es != ~0u && !h->leak_checked) mark_leaks(es);
    }
    /* What would have happened without us: a handler the program had, or
     * the default. Not TSan's own for a crash: it would end the process
     * with TSan's exit code (which `threadvet run` sets to 0), hiding the
     * signal; the record already says where it crashed. */
    struct sigaction *old = sig > 0 && sig < 65 ? &previous[sig] : NULL;
    bool crash = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP || sig == SIGSYS;
    if (tv.tsan && crash) old = NULL;
    if (old && old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        if (old->sa_flags & SA_SIGINFO) old->sa_sigaction(sig, si, ucv);
        else old->sa_handler(sig);
        return;
    }
    if (old && old->sa_handler == SIG_IGN) return;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    /* pending until this handler returns (the signal is blocked in it); a
     * fault re-executes its instruction and ends the process */
    syscall(SYS_tgkill, (long)getpid(), (long)syscall(SYS_gettid), (long)sig);
}

void tv_end_install(void) {
    atexit(at_exit);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
        int sig = fatal_signals[i];
        struct sigaction sa, old;
        if (sigaction(sig, NULL, &old) != 0) continue;
        if (old.sa_handler == SIG_IGN) continue; /* ignored on purpose (nohup) */
        previous[sig] = old;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_fatal;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
    }
}

/* ------------------------------------------------------------ watchdog */

typedef struct snap {
    uint8_t alive, stuck, kind;
    uint64_t obj, obj2, progress;
} snap;

static snap *snaps;
static uint32_t *path_of;
/* Since when (ticks) the watchdog has seen each thread blocked in the same
 * operation: an operation does not read the clock to block. */
typedef struct seen { uint64_t key, since; } seen;
static seen *seens;
static uint64_t last_signature;

/* The thread obj's holder (any thread, itself included): a slot or ~0;
 * *gone is set when it is held by a thread that has ended. */
static uint32_t holder(uint64_t obj, bool *gone) {
    tv_header *h = tv.hdr;
    *gone = false;
    for (uint32_t s = 0; s < h->threads_used && s < h->threads_cap; s++) {
        tv_thread *t = tv_thread_at(s);
        uint32_t nh = t->nheld < TV_MAX_HELD ? t->nheld : TV_MAX_HELD;
        for (uint32_t i = 0; i < nh; i++) {
            if (t->held[i].obj != obj) continue;
            if (!alive(t)) *gone = true;
            return s;
        }
    }
    return ~0u;
}

/* The one thread s waits for, when it waits for one (a lock's holder, a
 * joined thread): a slot, or ~0 (it waits for anyone: a condition, a
 * channel). */
static uint32_t waits_for(uint32_t s, bool *gone) {
    snap *p = &snaps[s];
    *gone = false;
    if (p->kind == TV_B_MUTEX) return holder(p->obj, gone);
    if (p->kind == TV_B_JOIN && p->obj2 < tv.hdr->threads_used && snaps[p->obj2].alive) return (uint32_t)p->obj2;
    return ~0u;
}

static void deadlock(const uint32_t *set, uint32_t n, bool all) {
    tv_header *h = tv.hdr;
    bool fresh;
    uint64_t now = tv_clock_now(NULL);
    tv_report *r = tv_report_new(TV_R_DEADLOCK, tv_hash64(TV_R_DEADLOCK, now), &fresh);
    if (r) {
        r->seq = now;
        r->flags = all;
        for (uint32_t i = 0; i < n && i < TV_R_THREADS; i++) {
            tv_thread *t = tv_thread_at(set[i]);
            uint32_t nb = t->nblock < TV_MAX_BLOCK ? t->nblock : TV_MAX_BLOCK;
            r->threads[i].tid = (int32_t)set[i];
            r->stacks[i] = nb ? t->block[nb - 1].stack : 0;
        }
        r->nthreads = n < TV_R_THREADS ? n : TV_R_THREADS;
        r->nstacks = r->nthreads;
        r->count = 1;
        atomic_store_explicit((_Atomic uint32_t *)&r->kind, TV_R_DEADLOCK, memory_order_release);
        h->deadlock_report = (uint64_t)(r - report_at(0)) + 1;
    }
    h->end = TV_END_DEADLOCK;
    h->end_ns = tv_now();
    tv_sample_end();
    tv_calibrate();
    tv_modules_scan();
    char msg[160];
    snprintf(msg, sizeof msg,
             "threadvet: deadlock: %u thread%s blocked for good; the watchdog ended the program (exit status %u)\n",
             n, n == 1 ? "" : "s", tv.deadlock_exit);
    tv_say(msg);
    syscall(SYS_exit_group, (long)tv.deadlock_exit);
}

/* One look at every thread. A deadlock is (a) threads waiting for each
 * other in a cycle of locks and joins, (b) a lock held by a thread that
 * has ended, or (c) every thread blocked with nobody left to wake any of
 * them; each blocked past the timeout, and seen the same (no progress) on
 * two looks in a row. */
static void scan(uint64_t timeout_ns) {
    tv_header *h = tv.hdr;
    uint32_t n = h->threads_used < h->threads_cap ? h->threads_used : h->threads_cap;
    uint64_t now = tv_ticks();
    timeout_ns = tv_ns_to_ticks(timeout_ns);
    uint32_t nalive = 0, nstuck = 0;
    for (uint32_t s = 0; s < n; s++) {
        tv_thread *t = tv_thread_at(s);
        snap *p = &snaps[s];
        tv_zero(p, sizeof *p);
        p->alive = alive(t);
        p->progress = t->progress;
        uint32_t nb = atomic_load_explicit((_Atomic uint32_t *)&t->nblock, memory_order_acquire);
        if (nb > TV_MAX_BLOCK) nb = TV_MAX_BLOCK;
        if (p->alive) nalive++;
        if (!p->alive || !nb) continue;
        tv_block_ent e = t->block[nb - 1];
        /* the same operation: nothing popped or pushed since (progress) */
        uint64_t key = tv_hash64(tv_hash64(tv_hash64(tv_hash64(nb, e.seq), e.obj), e.kind), p->progress);
        if (seens[s].key != key) seens[s].key = key, seens[s].since = now;
        if ((e.flags & TV_F_TIMED) || now - seens[s].since < timeout_ns) continue;
        p->stuck = 1, p->kind = (uint8_t)e.kind, p->obj = e.obj, p->obj2 = e.obj2;
        nstuck++;
    }
    uint32_t set[256], m = 0;
    bool all = false;
    /* a cycle (or a lock nobody will release) first: it says who waits for whom */
    for (uint32_t s = 0; s < n && !m; s++) {
        if (!snaps[s].stuck) continue;
        uint32_t len = 0, cur = s;
        for (uint32_t k = 0; k < n; k++) path_of[k] = ~0u;
        while (cur != ~0u && snaps[cur].stuck && path_of[cur] == ~0u && len < 256) {
            path_of[cur] = len;
            set[len++] = cur;
            bool gone;
            uint32_t next = waits_for(cur, &gone);
            if (gone) { /* a lock held by a thread that has ended */
                m = len;
                break;
            }
            if (next != ~0u && path_of[next] != ~0u) { /* a cycle: from next on */
                uint32_t from = path_of[next];
                for (uint32_t k = 0; k < len - from; k++) set[k] = set[from + k];
                m = len - from;
                break;
            }
            cur = next;
        }
    }
    /* else every thread blocked, nobody left to wake any of them */
    if (!m && nalive && nstuck == nalive) {
        for (uint32_t s = 0; s < n && m < 256; s++)
            if (snaps[s].alive) set[m++] = s;
        all = true;
    }
    if (!m) {
        last_signature = 0;
        return;
    }
    uint64_t sig = 1;
    for (uint32_t i = 0; i < m; i++) sig = tv_hash64(tv_hash64(sig, set[i]), snaps[set[i]].progress);
    if (sig != last_signature) {
        last_signature = sig;
        return;
    }
    deadlock(set, m, all);
}

static void wait_word(uint64_t ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    syscall(SYS_futex, &watchdog_word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
}

static void watchdog_stop(void) {
    if (!watchdog_running) return;
    atomic_store(&watchdog_word, 1);
    syscall(SYS_futex, &watchdog_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    for (int i = 0; i < 200 && atomic_load(&watchdog_word) != 2; i++) sleep_ms(1);
    watchdog_running = false;
}

/* ------------------------------------------------------------ the clock */

static tv_sample *samples(void) { return (tv_sample *)(tv.base + tv.hdr->samples_off); }

/* Every millisecond: the time, then the clocks' floor raised to the next
 * millisecond's (record.h), sampled as (floor, time): an event that reads
 * the new floor happened after this time. A millisecond in which no event
 * read the floor, after another such, moves the idle stretch's end instead
 * of adding a sample. (The watchdog's thread is the only writer; a crash
 * leaves complete samples: used is stored last.) */
static void sample(void) {
    tv_header *h = tv.hdr;
    tv_sample *s = samples();
    uint64_t ticks = tv_ticks();
    uint64_t f = ++ms_count << TV_CLOCK_SHIFT;
    tv_floor_raise(f);
    f = atomic_load_explicit(&tv_floor.floor, memory_order_seq_cst);
    bool idle = !atomic_exchange_explicit(&tv_floor.used, 0, memory_order_seq_cst);
    uint32_t n = h->samples_used;
    bool stretch = idle && last_idle && n >= 2;
    last_idle = idle;
    if (stretch) { /* idle: move the stretch's end */
        s[n - 1] = (tv_sample){f, ticks};
        return;
    }
    if (n >= h->samples_cap) { /* full: every other one goes */
        uint32_t k = 1;
        for (uint32_t i = 2; i < n; i += 2) s[k++] = s[i];
        atomic_store_explicit((_Atomic uint32_t *)&h->samples_used, n = k, memory_order_release);
    }
    s[n] = (tv_sample){f, ticks};
    atomic_store_explicit((_Atomic uint32_t *)&h->samples_used, n + 1, memory_order_release);
}

/* Signal-safe: lock-free, and stores. */
void tv_sample_end(void) {
    tv_header *h = tv.hdr;
    if (!h) return;
    h->end_ticks = tv_ticks();
    h->end_seq = h->seq = tv_clock_now(NULL);
}

/* ------------------------------------------------------------ the watchdog's thread */

/* It samples the clock every millisecond, and looks for deadlocks every
 * quarter of the timeout (5-100 ms) when the watchdog is on. */
static void *watchdog(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    uint64_t timeout_ms = tv.hdr->watchdog_ms;
    uint64_t period = timeout_ms / 4;
    if (period < 5) period = 5;
    if (period > 100) period = 100;
    for (uint64_t tick = 1;; tick++) {
        wait_word(1);
        if (atomic_load(&watchdog_word)) {
            atomic_store(&watchdog_word, 2);
            return NULL;
        }
        tv_header *h = tv.hdr;
        if (!h || atomic_load(&exit_checked) || (h->end && h->end != TV_END_RUNNING)) continue;
        sample();
        if (tick % (timeout_ms ? period : 100)) continue;
        tv_calibrate();
        if (timeout_ms) scan(timeout_ms * 1000000ull);
    }
    return NULL;
}

void tv_watchdog_start(void) {
    if (!tv.hdr || !tv.pthread_create) return;
    if (!snaps) {
        snaps = calloc(tv.hdr->threads_cap, sizeof *snaps);
        path_of = calloc(tv.hdr->threads_cap, sizeof *path_of);
        seens = calloc(tv.hdr->threads_cap, sizeof *seens);
        if (!snaps || !path_of || !seens) return;
    }
    tv_zero(seens, tv.hdr->threads_cap * sizeof *seens);
    last_signature = 0;
    ms_count = 0, last_idle = false; /* the floor starts again with the record (fork) */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t t;
    atomic_store(&watchdog_word, 0);
    watchdog_running = tv.pthread_create(&t, &attr, watchdog, NULL) == 0;
    pthread_attr_destroy(&attr);
}
