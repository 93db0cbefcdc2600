/* tsan.c — TSan's reports, captured in structured form.
 *
 * TSan calls __tsan_on_report (a weak hook it defines; ours, in the
 * executable, replaces it) for every report it prints, with its internal
 * report; the __tsan_get_report_* functions read it. We copy what matters
 * into the record: the kind, every stack (into our stack depot), the
 * memory accesses, mutexes, threads and location. Equal reports (same
 * kind and stacks) are counted in one. TSan holds its report lock and
 * ignores interceptors while we run: nothing here allocates.
 *
 * Without TSan (a preloaded runtime) the functions are absent (weak) and
 * the hook is never called. */
#include "rt.h"

#include <string.h>

typedef unsigned long uptr;

int __tsan_get_report_data(void *report, const char **description, int *count, int *stack_count, int *mop_count,
                           int *loc_count, int *mutex_count, int *thread_count, int *unique_tid_count,
                           void **sleep_trace, uptr trace_size) __attribute__((weak));
int __tsan_get_report_stack(void *report, uptr idx, void **trace, uptr trace_size) __attribute__((weak));
int __tsan_get_report_mop(void *report, uptr idx, int *tid, void **addr, int *size, int *write, int *atomic,
                          void **trace, uptr trace_size) __attribute__((weak));
int __tsan_get_report_loc(void *report, uptr idx, const char **type, void **addr, uptr *start, uptr *size,
                          int *tid, int *fd, int *suppressable, void **trace, uptr trace_size) __attribute__((weak));
int __tsan_get_report_mutex(void *report, uptr idx, uptr *mutex_id, void **addr, int *destroyed, void **trace,
                            uptr trace_size) __attribute__((weak));
int __tsan_get_report_thread(void *report, uptr idx, int *tid, uint64_t *os_id, int *running, const char **name,
                             int *parent_tid, void **trace, uptr trace_size) __attribute__((weak));
int __tsan_get_report_unique_tid(void *report, uptr idx, int *tid) __attribute__((weak));

static uint32_t kind_of(const char *d) {
    static const struct { const char *name; uint32_t kind; } map[] = {
        {"data-race", TV_R_TSAN_RACE},
        {"data-race-vptr", TV_R_TSAN_RACE},
        {"external-race", TV_R_TSAN_RACE},
        {"heap-use-after-free", TV_R_TSAN_USE_AFTER_FREE},
        {"heap-use-after-free-vptr", TV_R_TSAN_USE_AFTER_FREE},
        {"lock-order-inversion", TV_R_TSAN_LOCK_ORDER},
        {"thread-leak", TV_R_TSAN_THREAD_LEAK},
        {"mutex-double-lock", TV_R_TSAN_DOUBLE_LOCK},
        {"mutex-bad-unlock", TV_R_TSAN_BAD_UNLOCK},
        {"mutex-bad-read-lock", TV_R_TSAN_BAD_READ_LOCK},
        {"mutex-bad-read-unlock", TV_R_TSAN_BAD_READ_UNLOCK},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(d, map[i].name)) return map[i].kind;
    return TV_R_TSAN_OTHER;
}

static uint32_t stack_of(void **trace, int n) {
    uintptr_t pcs[TV_MAX_FRAMES];
    int k = 0;
    for (int i = 0; i < n && i < TV_MAX_FRAMES && trace[i]; i++) pcs[k++] = (uintptr_t)trace[i];
    return tv_stack_pcs(pcs, k);
}

void __tsan_on_report(void *rep);
void __tsan_on_report(void *rep) {
    if (!tv_on() || !__tsan_get_report_data) return;
    const char *desc = "";
    int count = 0, nstacks = 0, nmops = 0, nlocs = 0, nmutexes = 0, nthreads = 0, nutids = 0;
    void *sleep[4] = {0};
    __tsan_get_report_data(rep, &desc, &count, &nstacks, &nmops, &nlocs, &nmutexes, &nthreads, &nutids, sleep, 4);
    uint32_t kind = kind_of(desc);
    void *trace[TV_MAX_FRAMES];

    /* The stacks first: they make the report's identity. */
    uint32_t stacks[TV_R_STACKS] = {0}, mstacks[TV_R_MOPS] = {0};
    uint64_t hash = tv_hash64(0, kind);
    for (int i = 0; i < nstacks && i < TV_R_STACKS; i++) {
        memset(trace, 0, sizeof trace);
        if (__tsan_get_report_stack(rep, (uptr)i, trace, TV_MAX_FRAMES)) stacks[i] = stack_of(trace, TV_MAX_FRAMES);
        hash = tv_hash64(hash, stacks[i]);
    }
    int mtid[TV_R_MOPS] = {0}, msize[TV_R_MOPS] = {0}, mwrite[TV_R_MOPS] = {0}, matomic[TV_R_MOPS] = {0};
    void *maddr[TV_R_MOPS] = {0};
    for (int i = 0; i < nmops && i < TV_R_MOPS; i++) {
        memset(trace, 0, sizeof trace);
        __tsan_get_report_mop(rep, (uptr)i, &mtid[i], &maddr[i], &msize[i], &mwrite[i], &matomic[i], trace,
                              TV_MAX_FRAMES);
        mstacks[i] = stack_of(trace, TV_MAX_FRAMES);
        hash = tv_hash64(hash, mstacks[i]);
    }
    /* A thread leak: one per creation stack (TSan counts the similar ones). */
    uint32_t tstack0 = 0;
    if (kind == TV_R_TSAN_THREAD_LEAK && nthreads > 0) {
        int tid, running, parent;
        uint64_t os;
        const char *name;
        memset(trace, 0, sizeof trace);
        __tsan_get_report_thread(rep, 0, &tid, &os, &running, &name, &parent, trace, TV_MAX_FRAMES);
        tstack0 = stack_of(trace, TV_MAX_FRAMES);
        hash = tv_hash64(hash, tstack0);
    }

    bool fresh;
    tv_report *r = tv_report_new(kind, hash, &fresh);
    if (!r) return;
    if (!fresh) {
        if (count > 1) atomic_fetch_add_explicit((_Atomic uint32_t *)&r->count, (uint32_t)count - 1, memory_order_relaxed);
        return;
    }
    r->count = count > 1 ? (uint32_t)count : 1;
    tv_tls *me = tv_self.t ? &tv_self : NULL;
    r->seq = tv_clock_now(me && !me->in_emit ? me : NULL);
    strncpy(r->tsan_type, desc, sizeof r->tsan_type - 1);
    r->nstacks = nstacks < TV_R_STACKS ? (uint32_t)nstacks : TV_R_STACKS;
    memcpy(r->stacks, stacks, sizeof stacks);
    r->nmops = nmops < TV_R_MOPS ? (uint32_t)nmops : TV_R_MOPS;
    for (uint32_t i = 0; i < r->nmops; i++) {
        r->mops[i].tid = mtid[i];
        r->mops[i].addr = (uint64_t)(uintptr_t)maddr[i];
        r->mops[i].size = (uint32_t)msize[i];
        r->mops[i].write = (uint32_t)mwrite[i];
        r->mops[i].atomic = (uint32_t)matomic[i];
        r->mops[i].stack = mstacks[i];
    }
    r->nmutexes = nmutexes < TV_R_MUTEXES ? (uint32_t)nmutexes : TV_R_MUTEXES;
    for (uint32_t i = 0; i < r->nmutexes; i++) {
        uptr id = 0;
        void *addr = NULL;
        int destroyed = 0;
        memset(trace, 0, sizeof trace);
        __tsan_get_report_mutex(rep, i, &id, &addr, &destroyed, trace, TV_MAX_FRAMES);
        r->mutexes[i].id = id;
        r->mutexes[i].addr = (uint64_t)(uintptr_t)addr;
        r->mutexes[i].stack = stack_of(trace, TV_MAX_FRAMES);
    }
    r->nthreads = nthreads < TV_R_THREADS ? (uint32_t)nthreads : TV_R_THREADS;
    for (uint32_t i = 0; i < r->nthreads; i++) {
        int tid = 0, running = 0, parent = 0;
        uint64_t os = 0;
        const char *name = NULL;
        memset(trace, 0, sizeof trace);
        __tsan_get_report_thread(rep, i, &tid, &os, &running, &name, &parent, trace, TV_MAX_FRAMES);
        r->threads[i].tid = tid;
        r->threads[i].os_id = os;
        r->threads[i].running = (uint32_t)running;
        r->threads[i].parent = parent;
        r->threads[i].stack = stack_of(trace, TV_MAX_FRAMES);
    }
    r->nutids = nutids < TV_R_THREADS ? (uint32_t)nutids : TV_R_THREADS;
    for (uint32_t i = 0; i < r->nutids; i++) __tsan_get_report_unique_tid(rep, i, &r->utids[i]);
    if (nlocs > 0) {
        const char *type = "";
        void *addr = NULL;
        uptr start = 0, size = 0;
        int tid = 0, fd = 0, supp = 0;
        memset(trace, 0, sizeof trace);
        __tsan_get_report_loc(rep, 0, &type, &addr, &start, &size, &tid, &fd, &supp, trace, TV_MAX_FRAMES);
        strncpy(r->loc.type, type ? type : "", sizeof r->loc.type - 1);
        r->loc.addr = (uint64_t)(uintptr_t)addr;
        r->loc.start = start, r->loc.size = size, r->loc.tid = tid;
        r->loc.stack = stack_of(trace, TV_MAX_FRAMES);
        r->nlocs = 1;
    }
    atomic_store_explicit((_Atomic uint32_t *)&r->kind, kind, memory_order_release);
    if (me && !me->in_emit)
        tv_emit_seq(me, TV_EV_REPORT, 0, (uint64_t)(r - (tv_report *)(tv.base + tv.hdr->reports_off)), 0, 0, ~0u,
                    r->seq, 0);
}
