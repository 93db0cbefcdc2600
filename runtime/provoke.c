/* provoke.c — steering the schedule toward static findings
 * (`threadvet run --static FILE --provoke`; the plan: plan.h).
 *
 * At a modelled call made from one of a finding's places, the calling
 * thread waits, for a bounded time, for the other side of the finding:
 *   - a lock-order cycle: a thread holding a lock, about to take another,
 *     waits until the lock it wants is held by a thread that waits (or is
 *     itself delayed) for a lock this one holds: both then go on, and the
 *     cycle closes for real (the watchdog reports the deadlock and ends
 *     the program);
 *   - a send after close: the sender waits until the channel is closed;
 *   - a double close: a closer waits until someone else has closed it.
 * Nothing here runs in a signal handler; the waits are plain sleeps (a
 * system call TSan does not see: no synchronisation is made up). */
#include "rt.h"
#include "plan.h"

#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static tv_plan *plan;
static tv_plan_target *targets;
static tv_plan_range *ranges;
static uint64_t exe_bias, exe_lo, exe_hi;
/* Per thread slot: the lock a delayed thread waits to take (0: none). */
static _Atomic uint64_t *waiting;

static int exe_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size, (void)arg;
    uint64_t lo, hi;
    tv_module_span(info, &lo, &hi);
    exe_bias = info->dlpi_addr, exe_lo = lo, exe_hi = hi;
    return 1; /* the first object is the executable */
}

void tv_provoke_load(void) {
    const char *path = getenv("THREADVET_PROVOKE");
    if (!path || !*path || !tv.hdr) return;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(tv_plan)) {
        if (fd >= 0) close(fd);
        tv_say("threadvet: cannot read the provoke plan ($THREADVET_PROVOKE); nothing is provoked\n");
        return;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return;
    tv_plan *pl = p;
    if (!tv_equal(pl->magic, TV_PLAN_MAGIC, 8) || pl->version != TV_PLAN_VERSION ||
        tv_plan_size(pl->ntargets, pl->nranges) > (uint64_t)st.st_size) {
        munmap(p, (size_t)st.st_size);
        tv_say("threadvet: the provoke plan is not one; nothing is provoked\n");
        return;
    }
    waiting = calloc(tv.hdr->threads_cap, sizeof *waiting);
    if (!waiting) return;
    dl_iterate_phdr(exe_cb, NULL);
    targets = (tv_plan_target *)(pl + 1);
    ranges = (tv_plan_range *)(targets + pl->ntargets);
    plan = pl;
    tv.provoke = true;
}

/* The target whose places hold one of the call's innermost frames (the
 * call site, then its callers: a lock taken inside a wrapper), of kind. */
static int target_at(const tv_tls *me, const tv_regs *r, uint32_t kind) {
    const uintptr_t *frame = (const uintptr_t *)(uintptr_t)r->frame;
    uintptr_t ra = frame[1], fp = frame[0];
    for (int depth = 0; depth < 4 && ra; depth++) {
        if (ra > exe_lo && ra <= exe_hi) {
            uint64_t a = ra - 1 - exe_bias;
            for (uint32_t i = 0; i < plan->nranges; i++)
                if (a >= ranges[i].lo && a < ranges[i].hi && ranges[i].target < plan->ntargets &&
                    targets[ranges[i].target].kind == kind)
                    return (int)ranges[i].target;
        }
        if (!me->stack_lo || fp < me->stack_lo || fp + 16 > me->stack_hi || (fp & 7)) break;
        uintptr_t next = ((const uintptr_t *)fp)[0];
        ra = ((const uintptr_t *)fp)[1];
        if (next <= fp) break;
        fp = next;
    }
    return -1;
}

static bool holds(const tv_thread *t, uint64_t obj) {
    uint32_t n = atomic_load_explicit((_Atomic uint32_t *)&t->nheld, memory_order_acquire);
    for (uint32_t i = 0; i < n && i < TV_MAX_HELD; i++)
        if (t->held[i].obj == obj) return true;
    return false;
}

/* The lock I want is held by a thread that waits, or is delayed, for one
 * I hold: the opposite order is here. */
static bool opposite_order(const tv_tls *me, uint64_t want) {
    uint32_t n = tv.hdr->threads_used < tv.hdr->threads_cap ? tv.hdr->threads_used : tv.hdr->threads_cap;
    for (uint32_t s = 0; s < n; s++) {
        const tv_thread *u = tv_thread_at(s);
        if (s == me->slot || !u || !holds(u, want)) continue;
        uint32_t nb = atomic_load_explicit((_Atomic uint32_t *)&u->nblock, memory_order_acquire);
        if (nb && nb <= TV_MAX_BLOCK && u->block[nb - 1].kind == TV_B_MUTEX && holds(me->t, u->block[nb - 1].obj))
            return true;
        uint64_t w = atomic_load_explicit(&waiting[s], memory_order_acquire);
        if (w && holds(me->t, w)) return true;
    }
    return false;
}

static bool chan_closed(uint64_t obj) {
    tv_object *o = tv_object_get(obj, TV_O_CHAN, false);
    return o && atomic_load_explicit((_Atomic uint32_t *)&o->closed, memory_order_acquire);
}

static void nap(void) {
    struct timespec ts = {0, 500000};
    syscall(SYS_nanosleep, &ts, NULL);
}

/* One bounded delay of this thread for target t, until `done` says the
 * other side arrived. */
static void delay(tv_tls *me, tv_plan_target *t, uint32_t kind, uint64_t obj) {
    atomic_fetch_add_explicit((_Atomic uint32_t *)&t->reached, 1, memory_order_relaxed);
    if (atomic_fetch_add_explicit((_Atomic uint32_t *)&t->delays, 1, memory_order_relaxed) >= plan->max_delays) {
        atomic_fetch_sub_explicit((_Atomic uint32_t *)&t->delays, 1, memory_order_relaxed);
        return;
    }
    if (kind == TV_PK_LOCK_ORDER) atomic_store_explicit(&waiting[me->slot], obj, memory_order_release);
    uint64_t t0 = tv_now(), bound = (uint64_t)plan->delay_ms * 1000000ull, now = t0;
    bool early = false;
    for (; now - t0 < bound; now = tv_now()) {
        early = kind == TV_PK_LOCK_ORDER ? opposite_order(me, obj) : chan_closed(obj);
        if (early) break;
        nap();
    }
    if (kind == TV_PK_LOCK_ORDER) atomic_store_explicit(&waiting[me->slot], 0, memory_order_release);
    if (early) atomic_fetch_add_explicit((_Atomic uint32_t *)&t->early, 1, memory_order_relaxed);
    atomic_fetch_add_explicit((_Atomic uint64_t *)&t->delay_ns, now - t0, memory_order_relaxed);
}

void tv_provoke(tv_tls *me, uint32_t op, uint64_t obj, const tv_regs *r) {
    if (!plan || !obj || !me->t) return;
    uint32_t kind = op == TV_OP_LOCK          ? TV_PK_LOCK_ORDER
                    : op == TV_OP_CHAN_SEND   ? TV_PK_SEND_AFTER_CLOSE
                    : op == TV_OP_CHAN_CLOSE  ? TV_PK_DOUBLE_CLOSE
                                              : 0;
    if (!kind) return;
    /* an order needs a lock held (not the one wanted: that is a double
     * acquisition); a close or send needs the channel still open */
    if (kind == TV_PK_LOCK_ORDER ? !me->t->nheld || holds(me->t, obj) : chan_closed(obj)) return;
    int t = target_at(me, r, kind);
    if (t >= 0) delay(me, &targets[t], kind, obj);
}
