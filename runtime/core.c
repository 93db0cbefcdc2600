/* core.c — the record: starting the runtime, threads' slots, events,
 * stacks, objects, reports and the loaded modules.
 *
 * Everything lives in the mapped record file (record.h). Writers never
 * wait for each other: slots are claimed with atomics, and a thread writes
 * its own events into chunks it owns. */
#include "rt.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

tv_rt tv;
__thread tv_tls tv_self TV_TLS;
uint8_t tv_fast;

/* The program's descriptors: each generated stub puts a pointer to its
 * descriptor in the section tv_descs, and the linker brackets the section
 * with these (weak: a program with no stub still links). */
extern tv_desc *__start_tv_descs[] __attribute__((weak, visibility("hidden")));
extern tv_desc *__stop_tv_descs[] __attribute__((weak, visibility("hidden")));

static long ndescs(void) { return __start_tv_descs && __stop_tv_descs ? __stop_tv_descs - __start_tv_descs : 0; }

/* A marker `threadvet run` looks for in a program to know the runtime is in. */
__attribute__((used)) const char tv_marker[] = TV_MARKER;

/* ------------------------------------------------------------ utilities */

void tv_say(const char *msg) {
    size_t n = strlen(msg);
    while (n) {
        ssize_t w = write(2, msg, n);
        if (w <= 0) {
            if (w < 0 && errno == EINTR) continue;
            return;
        }
        msg += w, n -= (size_t)w;
    }
}

void tv_spin_lock(atomic_int *l) {
    for (int spins = 0;; spins++) {
        int z = 0;
        if (atomic_compare_exchange_weak_explicit(l, &z, 1, memory_order_acquire, memory_order_relaxed)) return;
        if (spins > 64) sched_yield();
    }
}

void tv_spin_unlock(atomic_int *l) { atomic_store_explicit(l, 0, memory_order_release); }

uint64_t tv_hash64(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t tv_now(void) {
    uint64_t t = mono_ns();
    return tv.hdr && t > tv.hdr->start_ns ? t - tv.hdr->start_ns : 0;
}

/* Async-signal-safe: clock_gettime and stores. */
void tv_calibrate(void) {
    tv_header *h = tv.hdr;
    if (!h || !h->clock_tsc) return;
    uint64_t ticks = tv_ticks(), ns = tv_now();
    if (ticks && ns) h->cal_ns = ns, h->cal_ticks = ticks;
}

uint64_t tv_ns_to_ticks(uint64_t ns) {
    tv_header *h = tv.hdr;
    if (!h || !h->clock_tsc) return ns;
    if (!h->cal_ticks || !h->cal_ns) return ns * 3; /* a guess (3 GHz) before the first calibration */
    return (uint64_t)((double)ns * (double)h->cal_ticks / (double)h->cal_ns);
}

static ssize_t read_text(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

/* A TSC that runs at one rate whatever the core's state, on every core
 * (THREADVET_NO_TSC: the clock instead). */
static bool tsc_usable(void) {
    static char buf[16384];
    if (getenv("THREADVET_NO_TSC")) return false;
    if (read_text("/proc/cpuinfo", buf, sizeof buf) <= 0) return false;
    return strstr(buf, " constant_tsc") && strstr(buf, " nonstop_tsc");
}

static long env_long(const char *name, long def, long lo, long hi) {
    const char *s = getenv(name);
    if (!s || !*s) return def;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) return def;
    return v;
}

#define AREA(T, off, i) ((T *)(tv.base + (off)) + (i))

tv_thread *tv_thread_at(uint32_t slot) {
    return slot < tv.hdr->threads_used && slot < tv.hdr->threads_cap ? AREA(tv_thread, tv.hdr->threads_off, slot)
                                                                     : NULL;
}

static tv_chunk *chunk_at(uint32_t i) { return (tv_chunk *)(tv.base + tv.hdr->chunks_off + (size_t)i * tv.hdr->chunk_size); }

/* ------------------------------------------------------------ the real functions */

/* The functions the runtime calls itself, and every descriptor's real
 * function when preloaded: the next definition after ours (preload), or
 * the program's own (TSan's interceptor when it has TSan). */
static void *find_real(const char *name) {
#ifdef TV_PRELOAD
    return dlsym(RTLD_NEXT, name);
#else
    return dlsym(RTLD_DEFAULT, name);
#endif
}

atomic_int tv_resolved;

static void resolve(void) {
    if (atomic_load_explicit(&tv_resolved, memory_order_acquire) == 2) return;
    int z = 0;
    if (!atomic_compare_exchange_strong(&tv_resolved, &z, 1)) {
        while (atomic_load_explicit(&tv_resolved, memory_order_acquire) != 2) sched_yield();
        return;
    }
    tv.pthread_create = find_real("pthread_create");
    tv.pthread_join = find_real("pthread_join");
    tv.pthread_detach = find_real("pthread_detach");
    tv.pthread_exit = find_real("pthread_exit");
    tv.pthread_mutex_init = find_real("pthread_mutex_init");
    tv.pthread_mutex_lock = find_real("pthread_mutex_lock");
    tv.pthread_mutex_trylock = find_real("pthread_mutex_trylock");
    tv.pthread_mutex_timedlock = find_real("pthread_mutex_timedlock");
    tv.pthread_mutex_unlock = find_real("pthread_mutex_unlock");
    tv.pthread_cond_wait = find_real("pthread_cond_wait");
    tv.pthread_cond_timedwait = find_real("pthread_cond_timedwait");
    tv.tsan = dlsym(RTLD_DEFAULT, "__tsan_func_entry") != NULL;
    long n = ndescs();
    for (long i = 0; i < n; i++) {
        tv_desc *d = __start_tv_descs[i];
        const char *nm = d->name ? d->name : "";
        uint64_t dn = (uint64_t)tv_c11_of(nm) << TV_DN_C11_SHIFT;
        if (tv_prefix(nm, "pthread_mutex_") || tv_prefix(nm, "mtx_")) dn |= 1ull << TV_DN_GLIBC_MUTEX;
        if (tv_prefix(nm, "pthread_create")) dn |= 1ull << TV_DN_PTHREAD_CREATE;
        if (tv_prefix(nm, "thrd_")) dn |= 1ull << TV_DN_THRD;
        if (tv_prefix(nm, "pthread_mutex_init")) dn |= 1ull << TV_DN_MUTEX_INIT;
        for (const char *const *q = (const char *const[]){"_exit", "_Exit", "quick_exit", NULL}; *q; q++)
            if (tv_prefix(nm, *q) && !nm[tv_len(*q)]) dn |= 1ull << TV_DN_QUICK_EXIT;
        if (tv.tsan && (dn >> TV_DN_C11_SHIFT & 0xff)) dn |= 1ull << TV_DN_TRAMPOLINE; /* emulated: c11.c */
        if (!tv.tsan && (dn >> TV_DN_GLIBC_MUTEX & 1) && d->nops == 1 && d->ops[0].op == TV_OP_LOCK &&
            tv.pthread_mutex_trylock)
            dn |= 1ull << TV_DN_TRY_FIRST;
        d->index = (int64_t)(dn | (uint64_t)i);
#ifdef TV_PRELOAD
        if (!d->real) d->real = find_real(d->name);
#endif
    }
    atomic_store_explicit(&tv_resolved, 2, memory_order_release);
}

void tv_resolve(void) { resolve(); }

/* ------------------------------------------------------------ modules */

static atomic_int modules_lock;

void tv_module_span(const struct dl_phdr_info *info, uint64_t *lo, uint64_t *hi) {
    *lo = UINT64_MAX, *hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_LOAD) continue;
        uint64_t a = info->dlpi_addr + p->p_vaddr;
        if (a < *lo) *lo = a;
        if (a + p->p_memsz > *hi) *hi = a + p->p_memsz;
    }
}

static int module_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size, (void)arg;
    tv_header *h = tv.hdr;
    if (h->modules_used >= h->modules_cap) return 1;
    uint64_t lo, hi;
    tv_module_span(info, &lo, &hi);
    if (hi <= lo) return 0;
    tv_module *m = AREA(tv_module, h->modules_off, h->modules_used);
    m->bias = info->dlpi_addr, m->lo = lo, m->hi = hi;
    const char *name = info->dlpi_name;
    if (!name || !*name) {
        ssize_t n = h->modules_used == 0 ? readlink("/proc/self/exe", m->path, sizeof m->path - 1) : -1;
        m->path[n > 0 ? n : 0] = 0;
    } else {
        tv_copy_str(m->path, name, sizeof m->path);
    }
    h->modules_used++;
    return 0;
}

/* Rescanned when threads start and at the end: the list is replaced whole
 * (the reader takes the last one; modules unloaded since are lost). */
void tv_modules_scan(void) {
    if (!tv.hdr) return;
    tv_spin_lock(&modules_lock);
    tv.hdr->modules_used = 0;
    dl_iterate_phdr(module_cb, NULL);
    tv_spin_unlock(&modules_lock);
}

/* ------------------------------------------------------------ stacks */

static bool same_pcs(const uint64_t *a, const uint64_t *b, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

static uint64_t stack_hash(const uint64_t *pc, uint32_t n) {
    uint64_t h = n;
    for (uint32_t i = 0; i < n; i++) h = tv_hash64(h, pc[i]);
    return h ? h : 1;
}

/* Lock-free: a slot is claimed (0 -> 1), written, published (2). A slot
 * being written by someone else is passed over, never waited for (a signal
 * handler may interrupt its writer): at worst a stack is stored twice. */
static uint32_t depot_put(const uint64_t *pc, uint32_t n) {
    tv_header *h = tv.hdr;
    if (!n) return 0;
    uint64_t hash = stack_hash(pc, n);
    uint32_t mask = h->stacks_cap - 1;
    for (uint32_t probe = 0, i = (uint32_t)hash & mask; probe < 128; probe++, i = (i + 1) & mask) {
        tv_stack *s = AREA(tv_stack, h->stacks_off, i);
        uint32_t st = atomic_load_explicit((_Atomic uint32_t *)&s->state, memory_order_acquire);
        if (st == 2) {
            if (s->hash == hash && s->n == n && same_pcs(s->pc, pc, n)) return i + 1;
            continue;
        }
        if (st == 1) continue;
        uint32_t zero = 0;
        if (!atomic_compare_exchange_strong((_Atomic uint32_t *)&s->state, &zero, 1)) {
            if (zero == 2 && s->hash == hash && s->n == n && same_pcs(s->pc, pc, n)) return i + 1;
            continue;
        }
        tv_copy(s->pc, pc, n * sizeof *pc);
        s->n = n;
        s->hash = hash;
        atomic_store_explicit((_Atomic uint32_t *)&s->state, 2, memory_order_release);
        atomic_fetch_add_explicit((_Atomic uint32_t *)&h->stacks_used, 1, memory_order_relaxed);
        return i + 1;
    }
    atomic_fetch_add_explicit((_Atomic uint64_t *)&h->dropped_stacks, 1, memory_order_relaxed);
    return 0;
}

uint32_t tv_stack_pcs(const uintptr_t *pcs, int n) {
    if (!tv.hdr) return 0;
    uint64_t pc[TV_MAX_FRAMES];
    uint32_t k = 0;
    for (int i = 0; i < n && k < TV_MAX_FRAMES && pcs[i]; i++) pc[k++] = pcs[i];
    return depot_put(pc, k);
}

/* Frame-pointer unwinding from (pc, fp): every frame checked to lie on
 * this thread's stack, above the previous one. The frames read, with the
 * two words read in each, go to fr when asked for (*nf of them). */
typedef struct { uint64_t at, next, ret; } walk_frame;
static inline uint32_t walk_frames(const tv_tls *me, uintptr_t pc, uintptr_t fp, uint64_t *pcs, walk_frame *fr,
                                   uint32_t *nf) {
    uint32_t n = 0, k = 0;
    int depth = tv.depth;
    uintptr_t lo = me ? me->stack_lo : 0, hi = me ? me->stack_hi : 0;
    if (!lo || !hi) lo = fp - 65536, hi = fp + (8u << 20);
    if (pc) pcs[n++] = pc;
    while ((int)n < depth && fp >= lo && fp + 16 <= hi && !(fp & 7)) {
        uintptr_t next = ((uintptr_t *)fp)[0], ret = ((uintptr_t *)fp)[1];
        if (fr) fr[k].at = fp, fr[k].next = next, fr[k].ret = ret;
        k++;
        if (!ret) break;
        pcs[n++] = ret;
        if (next <= fp) break;
        fp = next;
    }
    if (nf) *nf = k;
    return n;
}

static inline uint32_t walk(const tv_tls *me, uintptr_t pc, uintptr_t fp, uint64_t *pcs) {
    return walk_frames(me, pc, fp, pcs, NULL, NULL);
}

uint32_t tv_stack_from(tv_tls *me, uintptr_t pc, uintptr_t fp) {
    if (!tv.hdr) return 0;
    uint64_t pcs[TV_MAX_FRAMES];
    return depot_put(pcs, walk(me, pc, fp, pcs));
}

/* An entry of the memo is only ever written by its thread outside signal
 * handlers (they use tv_stack_from), so it is read and written plainly.
 * Only with the thread's stack bounds known: a frame the memo names then
 * lies in them (the walk checked it) and was read once, and a thread's
 * stack stays mapped while it runs, so reading it again never faults. */
uint32_t tv_stack_op(tv_tls *me, uintptr_t pc, uintptr_t fp) {
    if (!tv.hdr) return 0;
    uint32_t hit = tv_stack_memo_hit(me, pc, fp);
    return hit ? hit : tv_stack_miss(me, pc, fp);
}

uint32_t tv_stack_miss(tv_tls *me, uintptr_t pc, uintptr_t fp) {
    if (!tv.hdr) return 0;
    uint32_t k = tv_memo_set(pc);
    struct tv_stack_memo *set = me && pc && me->stack_lo && me->stack_hi ? &me->memo[k * 2] : NULL;
    uint64_t pcs[TV_MAX_FRAMES];
    walk_frame fr[TV_MAX_FRAMES];
    uint32_t nf = 0, n = walk_frames(me, pc, fp, pcs, fr, &nf);
    uint32_t id = depot_put(pcs, n);
    if (set && id && nf <= TV_MEMO_FRAMES) { /* over the way filled longer ago */
        struct tv_stack_memo *m = &set[me->memo_next[k]];
        me->memo_next[k] ^= 1;
        for (uint32_t i = 0; i < nf; i++) m->f[i].at = fr[i].at, m->f[i].next = fr[i].next, m->f[i].ret = fr[i].ret;
        m->pc = pc, m->nf = nf, m->id = id;
    }
    return id;
}

uint32_t tv_stack_here(tv_tls *me) {
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    return tv_stack_from(me, 0, fp);
}

/* ------------------------------------------------------------ events */

/* ------------------------------------------------------------ clocks */

tv_floor_t tv_floor;
tv_clock_slot tv_clocks[TV_CLOCK_SLOTS];
tv_clock_slot tv_clocks_shared[TV_CLOCK_SHARED];

tv_clock_slot *tv_clock_claim(uint64_t key) {
    uint32_t h = tv_clock_hash(key), mask = TV_CLOCK_SLOTS - 1;
    for (uint32_t probe = 0, i = h & mask; key && probe < TV_CLOCK_PROBES; probe++, i = (i + 1) & mask) {
        tv_clock_slot *s = &tv_clocks[i];
        uint64_t k = atomic_load_explicit(&s->key, memory_order_acquire);
        if (k == key) return s;
        if (k) continue;
        if (atomic_compare_exchange_strong_explicit(&s->key, &k, key, memory_order_acq_rel, memory_order_acquire) ||
            k == key)
            return s;
    }
    return &tv_clocks_shared[(h >> 12) & (TV_CLOCK_SHARED - 1)];
}

void tv_floor_raise(uint64_t f) {
    uint64_t old = atomic_load_explicit(&tv_floor.floor, memory_order_relaxed);
    while (old < f && !atomic_compare_exchange_weak_explicit(&tv_floor.floor, &old, f, memory_order_seq_cst,
                                                             memory_order_relaxed)) {
    }
}

uint64_t tv_clock_now(tv_tls *me) {
    tv_header *h = tv.hdr;
    uint64_t c = atomic_load_explicit(&tv_floor.floor, memory_order_relaxed);
    if (h) {
        uint32_t n = atomic_load_explicit((_Atomic uint32_t *)&h->threads_used, memory_order_acquire);
        for (uint32_t s = 0; s < n && s < h->threads_cap; s++) {
            uint64_t v = atomic_load_explicit((_Atomic uint64_t *)&AREA(tv_thread, h->threads_off, s)->clock,
                                              memory_order_relaxed);
            if (v > c) c = v;
        }
    }
    c++;
    if (me && me->clock >= c) c = me->clock + 1;
    tv_floor_raise(c + 1);
    if (me) me->clock = c;
    return c;
}

void tv_clocks_reset(void) {
    for (uint32_t i = 0; i < TV_CLOCK_SLOTS; i++) {
        atomic_store_explicit(&tv_clocks[i].key, 0, memory_order_relaxed);
        atomic_store_explicit(&tv_clocks[i].v, 0, memory_order_relaxed);
    }
    for (uint32_t i = 0; i < TV_CLOCK_SHARED; i++) atomic_store_explicit(&tv_clocks_shared[i].v, 0, memory_order_relaxed);
    atomic_store(&tv_floor.floor, 0);
    atomic_store(&tv_floor.used, 0);
}

/* ------------------------------------------------------------ events */

/* A chunk for me: a fresh one from the pool, else my own oldest again. */
static tv_chunk *next_chunk(tv_tls *me) {
    tv_header *h = tv.hdr;
    tv_thread *t = me->t;
    /* A thread with its share reuses its own: the others keep theirs to
     * take, and the memory written stays what the threads' rings need. */
    uint32_t i = t->nchunks >= h->thread_chunks && t->first_chunk
                     ? h->chunks_cap
                     : atomic_fetch_add_explicit((_Atomic uint32_t *)&h->chunks_used, 1, memory_order_relaxed);
    if (i < h->chunks_cap) {
        tv_chunk *c = chunk_at(i);
        c->owner = me->slot + 1;
        c->count = 0;
        c->next = 0;
        if (t->last_chunk) chunk_at(t->last_chunk - 1)->next = i + 1;
        else t->first_chunk = i + 1;
        t->last_chunk = i + 1;
        t->nchunks++;
        return c;
    }
    if (atomic_load_explicit((_Atomic uint32_t *)&h->chunks_used, memory_order_relaxed) > h->chunks_cap)
        atomic_store_explicit((_Atomic uint32_t *)&h->chunks_used, h->chunks_cap, memory_order_relaxed);
    if (!t->first_chunk) return NULL;
    /* Reuse the oldest: its events are lost, and counted (each slot's seq
     * is cleared as it is taken again, so none is read half-old). */
    uint32_t old = t->first_chunk - 1;
    tv_chunk *c = chunk_at(old);
    uint64_t lost = c->count;
    atomic_store_explicit((_Atomic uint32_t *)&c->count, 0, memory_order_release);
    if (t->nchunks > 1) {
        t->first_chunk = c->next;
        c->next = 0;
        chunk_at(t->last_chunk - 1)->next = old + 1;
        t->last_chunk = old + 1;
    }
    t->dropped += lost;
    atomic_fetch_add_explicit((_Atomic uint64_t *)&h->dropped_events, lost, memory_order_relaxed);
    return c;
}

/* A new chunk (or none) starts the thread's repeats anew: none reaches
 * back into another chunk (record.h). */
tv_chunk *tv_emit_chunk(tv_tls *me) {
    me->nlast = 0, me->rep = NULL, me->rep_n = 0;
    return me->chunk = next_chunk(me);
}

/* The open repeat ends: the places it counted get their events in last[]
 * (each the one its period before; the period itself is still there). */
static void rep_close(tv_tls *me) {
    const uint32_t m = TV_REPEAT_MAX - 1, k = me->rep_k, p0 = me->rep_p0, p = me->nlast;
    for (uint32_t q = p - p0 > TV_REPEAT_MAX ? p - TV_REPEAT_MAX : p0; q < p; q++) me->last[q & m] = me->pat[(q - p0) % k];
    me->rep = NULL;
}

void tv_emit_slot(tv_tls *me, const tv_evsig *s, uint64_t seq, uint64_t ts) {
    if (me->rep) rep_close(me);
    tv_chunk *c = me->chunk;
    if (!c || me->nlast >= tv.chunk_events) c = tv_emit_chunk(me);
    if (!c) {
        tv_emit_dropped(me);
        return;
    }
    const uint32_t m = TV_REPEAT_MAX - 1, p = me->nlast;
    uint32_t k = 0;
    if (seq == me->last_seq + 1 && tv.coalesce)
        for (uint32_t j = 1; j <= TV_REPEAT_MAX && j <= p; j++)
            if (tv_evsig_eq(&me->last[(p - j) & m], s)) {
                k = j;
                break;
            }
    uint32_t i = c->count;
    tv_event *e = (tv_event *)(c + 1) + i;
    /* The ring is larger than the cache: its line a few events on is asked
     * for now, owned, so that event's stores do not wait for it (never
     * faults; past the chunk, it is the next chunk's or nothing) */
    __builtin_prefetch((const char *)e + TV_EMIT_PREFETCH, 1, 3);
    atomic_store_explicit((_Atomic uint64_t *)&e->seq, 0, memory_order_relaxed);
    atomic_signal_fence(memory_order_seq_cst);
    atomic_store_explicit((_Atomic uint32_t *)&c->count, i + 1, memory_order_release);
    atomic_signal_fence(memory_order_seq_cst);
    e->ts = !tv.event_clock ? 0 : ts ? ts : tv_ticks();
    e->thread = me->slot;
    if (k) { /* a repeat slot, one event so far: it is not put in last[] */
        e->obj = 0, e->arg = 1, e->stack = 0, e->kind = TV_EV_REPEAT, e->flags = (uint16_t)k, e->fn = 0;
        for (uint32_t j = 0; j < k; j++) me->pat[j] = me->last[(p - k + j) & m];
        me->rep = e, me->rep_n = 1, me->rep_k = k, me->rep_p0 = p, me->rep_i = k == 1 ? 0 : 1;
    } else {
        e->obj = s->obj, e->arg = s->arg, e->stack = (uint32_t)s->sf, e->fn = (uint32_t)(s->sf >> 32);
        e->kind = (uint16_t)s->kf, e->flags = (uint16_t)(s->kf >> 16);
        me->last[p & m] = *s;
    }
    atomic_store_explicit((_Atomic uint64_t *)&e->seq, seq, memory_order_release);
    me->nlast = p + 1;
    me->last_seq = seq;
}

void tv_emit_dropped(tv_tls *me) {
    me->t->dropped++;
    atomic_fetch_add_explicit((_Atomic uint64_t *)&tv.hdr->dropped_events, 1, memory_order_relaxed);
}

void tv_emit_seq(tv_tls *me, uint16_t kind, uint64_t obj, uint64_t arg, uint32_t stack, uint16_t flags, uint32_t fn,
                 uint64_t seq, uint64_t ts) {
    tv_emit_inline(me, kind, obj, arg, stack, flags, fn, seq, ts);
}

/* ------------------------------------------------------------ threads */

uint32_t tv_thread_new(void) {
    tv_header *h = tv.hdr;
    uint32_t i = atomic_fetch_add_explicit((_Atomic uint32_t *)&h->threads_used, 1, memory_order_acq_rel);
    if (i >= h->threads_cap) {
        atomic_store_explicit((_Atomic uint32_t *)&h->threads_used, h->threads_cap, memory_order_relaxed);
        atomic_fetch_add_explicit((_Atomic uint64_t *)&h->dropped_threads, 1, memory_order_relaxed);
        return ~0u;
    }
    tv_thread *t = AREA(tv_thread, h->threads_off, i);
    t->parent = ~0u;
    return i;
}

void tv_thread_bind(tv_tls *me, uint32_t slot) {
    tv_thread *t = AREA(tv_thread, tv.hdr->threads_off, slot);
    me->slot = slot;
    me->chunk = NULL;
    me->nlast = 0, me->rep = NULL, me->rep_n = 0, me->last_seq = 0; /* no repeat reaches into another chunk */
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr;
        size_t size;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) me->stack_lo = (uintptr_t)addr, me->stack_hi = (uintptr_t)addr + size;
        pthread_attr_destroy(&attr);
    }
    t->os_tid = (uint32_t)syscall(SYS_gettid);
    if (!t->handle) t->handle = (uint64_t)pthread_self();
    atomic_store_explicit((_Atomic uint32_t *)&t->state, TV_T_RUNNING, memory_order_release);
    me->t = t;
    pthread_setspecific(tv.exit_key, (void *)(uintptr_t)(slot + 1));
}

tv_tls *tv_me(void) {
    if (tv_self.t) return &tv_self;
    if (!tv_on()) return NULL;
    if (tv_self.t) return &tv_self;
    uint32_t slot = tv_thread_new();
    if (slot == ~0u) return NULL;
    tv_thread_bind(&tv_self, slot);
    return &tv_self;
}

static void key_destructor(void *v) {
    uint32_t slot = (uint32_t)(uintptr_t)v - 1;
    if (tv_self.t && tv_self.slot == slot) tv_thread_finished(&tv_self);
}

/* ------------------------------------------------------------ objects and reports */

tv_object *tv_object_get(uint64_t addr, uint32_t kind, bool insert) {
    tv_header *h = tv.hdr;
    if (!h || !addr) return NULL;
    uint64_t key = TV_OBJECT_KEY(addr, kind);
    uint32_t mask = h->objects_cap - 1;
    for (uint32_t probe = 0, i = (uint32_t)tv_hash64(0, key) & mask; probe < 64; probe++, i = (i + 1) & mask) {
        tv_object *o = AREA(tv_object, h->objects_off, i);
        uint64_t a = atomic_load_explicit((_Atomic uint64_t *)&o->key, memory_order_acquire);
        if (a == key) return o;
        if (a) continue;
        if (!insert) return NULL;
        uint64_t zero = 0;
        if (atomic_compare_exchange_strong((_Atomic uint64_t *)&o->key, &zero, key)) {
            o->addr = addr;
            o->kind = kind;
            atomic_fetch_add_explicit((_Atomic uint32_t *)&h->objects_used, 1, memory_order_relaxed);
            return o;
        }
        if (zero == key) return o;
    }
    if (insert) atomic_fetch_add_explicit((_Atomic uint64_t *)&h->dropped_objects, 1, memory_order_relaxed);
    return NULL;
}

tv_report *tv_report_new(uint32_t kind, uint64_t hash, bool *fresh) {
    tv_header *h = tv.hdr;
    *fresh = false;
    if (!h) return NULL;
    uint32_t used = atomic_load_explicit((_Atomic uint32_t *)&h->reports_used, memory_order_acquire);
    if (used > h->reports_cap) used = h->reports_cap;
    for (uint32_t i = 0; i < used; i++) {
        tv_report *r = AREA(tv_report, h->reports_off, i);
        if (atomic_load_explicit((_Atomic uint32_t *)&r->kind, memory_order_acquire) == kind && r->hash == hash) {
            atomic_fetch_add_explicit((_Atomic uint32_t *)&r->count, 1, memory_order_relaxed);
            return r;
        }
    }
    uint32_t i = atomic_fetch_add_explicit((_Atomic uint32_t *)&h->reports_used, 1, memory_order_acq_rel);
    if (i >= h->reports_cap) {
        atomic_store_explicit((_Atomic uint32_t *)&h->reports_used, h->reports_cap, memory_order_relaxed);
        atomic_fetch_add_explicit((_Atomic uint64_t *)&h->dropped_reports, 1, memory_order_relaxed);
        return NULL;
    }
    tv_report *r = AREA(tv_report, h->reports_off, i);
    r->hash = hash;
    r->count = 1;
    r->thread = tv_self.t ? tv_self.slot : ~0u;
    *fresh = true;
    return r; /* the caller fills it and then stores its kind (release) */
}

/* ------------------------------------------------------------ start */

static size_t align_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

static uint32_t pow2_at_most(uint64_t v) {
    uint32_t p = 1;
    while ((uint64_t)p * 2 <= v && p < (1u << 30)) p <<= 1;
    return p;
}

static uint32_t clamp_u32(uint64_t v, uint32_t lo, uint32_t hi) { return v < lo ? lo : v > hi ? hi : (uint32_t)v; }

/* Creates and maps DIR/rec.PID, sized from THREADVET_RECORD_MB. */
static bool record_open(void) {
    /* Everything within the cap: each table gets a share of it (up to its
     * usual size), the event chunks the rest. */
    long mb = env_long("THREADVET_RECORD_MB", 64, 4, 1 << 16);
    size_t budget = (size_t)mb << 20;
    uint32_t threads = clamp_u32(budget / 16 / sizeof(tv_thread), 16, (uint32_t)env_long("THREADVET_MAX_THREADS", 4096, 16, 1 << 20));
    uint32_t objects = pow2_at_most(clamp_u32(budget / 32 / sizeof(tv_object), 64, (uint32_t)env_long("THREADVET_MAX_OBJECTS", 16384, 64, 1 << 24)));
    uint32_t stacks = pow2_at_most(clamp_u32(budget / 8 / sizeof(tv_stack), 64, (uint32_t)env_long("THREADVET_MAX_STACKS", 32768, 64, 1 << 24)));
    uint32_t reports = clamp_u32(budget / 64 / sizeof(tv_report), 8, (uint32_t)env_long("THREADVET_MAX_REPORTS", 1024, 8, 1 << 20));
    uint32_t chunk_events = (uint32_t)env_long("THREADVET_CHUNK_EVENTS", 1024, 16, 1 << 20);
    uint32_t modules = 256;
    size_t off = align_up(sizeof(tv_header), 4096);
    size_t modules_off = off;
    off = align_up(off + (size_t)modules * sizeof(tv_module), 64);
    size_t threads_off = off;
    off = align_up(off + (size_t)threads * sizeof(tv_thread), 64);
    size_t objects_off = off;
    off = align_up(off + (size_t)objects * sizeof(tv_object), 64);
    size_t stacks_off = off;
    off = align_up(off + (size_t)stacks * sizeof(tv_stack), 64);
    size_t reports_off = off;
    off = align_up(off + (size_t)reports * sizeof(tv_report), 64);
    uint32_t samples = 1u << 15; /* 33 s at one a millisecond before it is halved */
    size_t samples_off = off;
    off = align_up(off + (size_t)samples * sizeof(tv_sample), 4096);
    size_t chunk_size = align_up(sizeof(tv_chunk) + (size_t)chunk_events * sizeof(tv_event), 64);
    size_t nchunks = budget > off ? (budget - off) / chunk_size : 0;
    if (nchunks < 16) nchunks = 16; /* tiny caps with huge chunks: a little over */
    size_t size = align_up(off + nchunks * chunk_size, 4096);

    /* rec.PID, or rec.PID.N for a program this process exec'd into */
    char path[TV_PATH_MAX + 48];
    int fd = -1;
    for (int n = 0; n < 1000 && fd < 0; n++) {
        if (n) snprintf(path, sizeof path, "%s/rec.%ld.%d", tv.dir, (long)getpid(), n);
        else snprintf(path, sizeof path, "%s/rec.%ld", tv.dir, (long)getpid());
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        tv_say("threadvet: cannot create the run record in $THREADVET_RECORD; nothing is recorded\n");
        return false;
    }
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        tv_say("threadvet: cannot size the run record; nothing is recorded\n");
        return false;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        tv_say("threadvet: cannot map the run record; nothing is recorded\n");
        return false;
    }
    tv.base = p, tv.size = size;
    tv_header *h = tv.hdr = p;
    h->version = TV_VERSION;
    h->header_size = sizeof *h;
    h->file_size = size;
    h->pid = (uint64_t)getpid();
    h->start_ns = mono_ns();
    h->clock_tsc = tsc_usable();
    h->start_tsc = h->clock_tsc ? tv_rdtsc() : 0;
    tv.clock_tsc = h->clock_tsc, tv.start_tsc = h->start_tsc;
    h->event_clock = tv.event_clock = env_long("THREADVET_EVENT_CLOCK", 0, 0, 1) == 1;
    tv.coalesce = !tv.event_clock && env_long("THREADVET_COALESCE", 1, 0, 1) == 1;
    h->sizeof_event = sizeof(tv_event), h->sizeof_thread = sizeof(tv_thread);
    h->sizeof_object = sizeof(tv_object), h->sizeof_stack = sizeof(tv_stack);
    h->sizeof_module = sizeof(tv_module), h->sizeof_report = sizeof(tv_report);
    h->modules_off = modules_off, h->modules_cap = modules;
    h->threads_off = threads_off, h->threads_cap = threads;
    h->objects_off = objects_off, h->objects_cap = objects;
    h->stacks_off = stacks_off, h->stacks_cap = stacks;
    h->reports_off = reports_off, h->reports_cap = reports;
    h->samples_off = samples_off, h->samples_cap = samples;
    h->samples_used = 1; /* (0, 0): the start */
    h->chunks_off = off, h->chunks_cap = (uint32_t)nchunks, h->chunk_events = chunk_events;
    h->chunk_size = (uint32_t)chunk_size;
    tv.chunk_events = chunk_events;
    /* a sixteenth of the pool each by default (at least two: a ring) */
    h->thread_chunks = (uint32_t)env_long("THREADVET_THREAD_CHUNKS", (long)(nchunks / 16 > 2 ? nchunks / 16 : 2), 2,
                                          (long)nchunks);
    h->tsan = tv.tsan;
#ifdef TV_PRELOAD
    h->preload = 1;
#endif
    ssize_t n = readlink("/proc/self/exe", h->exe, sizeof h->exe - 1);
    h->exe[n > 0 ? n : 0] = 0;
    /* The wrapped functions' names, for events. */
    long nd = ndescs();
    size_t o = 0;
    for (long i = 0; i < nd; i++) {
        size_t len = strlen(__start_tv_descs[i]->name) + 1;
        if (o + len > sizeof h->fn_names) break;
        tv_copy(h->fn_names + o, __start_tv_descs[i]->name, len);
        o += len;
    }
    h->fn_names_len = (uint32_t)o;
    tv_copy(h->magic, TV_MAGIC, 8); /* last: a record with its magic is complete */
    return true;
}

/* The fast entries may be taken from now on (everything they read is set):
 * unless a provoke plan steers calls, which takes the trampoline's way. */
static void fast_on(void) {
    atomic_signal_fence(memory_order_seq_cst);
    __atomic_store_n(&tv_fast, !tv.provoke, __ATOMIC_RELEASE);
}

static void start(void) {
    resolve();
    const char *dir = getenv("THREADVET_RECORD");
    if (!dir || !*dir || strlen(dir) >= sizeof tv.dir) {
        fast_on();
        atomic_store_explicit(&tv.state, 3, memory_order_release);
        return;
    }
    strcpy(tv.dir, dir);
    tv.depth = (int)env_long("THREADVET_STACK_DEPTH", 16, 1, TV_MAX_FRAMES);
    tv.deadlock_exit = (uint32_t)env_long("THREADVET_DEADLOCK_EXIT", 86, 1, 255);
    if (!record_open()) {
        fast_on();
        atomic_store_explicit(&tv.state, 3, memory_order_release);
        return;
    }
    tv.hdr->watchdog_ms = (uint32_t)env_long("THREADVET_DEADLOCK_MS", 1000, 0, 1 << 30);
    tv.hdr->grace_ms = (uint32_t)env_long("THREADVET_LEAK_GRACE_MS", 200, 0, 1 << 30);
    pthread_key_create(&tv.exit_key, key_destructor);
    tv_modules_scan();
    uint32_t slot = tv_thread_new(); /* the main thread (or whoever starts us) */
    tv_thread_bind(&tv_self, slot);
    tv_provoke_load();
    fast_on();
    atomic_store_explicit(&tv.state, 2, memory_order_release);
    tv_end_install();
    tv_watchdog_start();
}

bool tv_on(void) {
    int s = atomic_load_explicit(&tv.state, memory_order_acquire);
    if (s == 2) return true;
    if (s == 3) return false;
    int z = 0;
    if (atomic_compare_exchange_strong(&tv.state, &z, 1)) {
        start();
    } else {
        while ((s = atomic_load_explicit(&tv.state, memory_order_acquire)) == 1) sched_yield();
    }
    return atomic_load_explicit(&tv.state, memory_order_acquire) == 2;
}

/* After fork the child writes a record of its own: the parent's mapping is
 * shared and must not be touched again. */
static void after_fork_child(void) {
    if (atomic_load(&tv.state) != 2) return;
    munmap(tv.base, tv.size);
    tv.hdr = NULL, tv.base = NULL;
    tv_zero(&tv_self, sizeof tv_self);
    tv_clocks_reset(); /* a new record: its clocks start again */
    if (!record_open()) {
        atomic_store(&tv.state, 3);
        return;
    }
    tv.hdr->watchdog_ms = (uint32_t)env_long("THREADVET_DEADLOCK_MS", 1000, 0, 1 << 30);
    tv.hdr->grace_ms = (uint32_t)env_long("THREADVET_LEAK_GRACE_MS", 200, 0, 1 << 30);
    tv_modules_scan();
    tv_thread_bind(&tv_self, tv_thread_new());
    tv_watchdog_start();
}

__attribute__((constructor(101))) static void tv_constructor(void) {
    resolve();
    if (tv_on()) pthread_atfork(NULL, NULL, after_fork_child);
}
