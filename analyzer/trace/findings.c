/* findings.c — a run's record as findings.
 *
 * Each report of the record becomes one finding of a catalogue rule:
 *   TSan data race, use after free       data-race
 *   TSan lock-order inversion            lock-order-inversion
 *   TSan thread leak (finished, not joined), the runtime's thread still
 *     running at exit, a finished thread never joined without TSan
 *                                        thread-leak
 *   TSan double lock, bad read lock, the runtime's lock taken again
 *                                        lock-double-acquire
 *   TSan unlock of an unlocked mutex, the runtime's release of a lock the
 *     thread does not hold               lock-release-unheld
 *   the runtime's close of a closed channel  chan-double-close
 *   the runtime's send on a closed channel   chan-send-after-close
 *   the watchdog's cycle of blocked threads  deadlock
 * with its place (the first frame of the program's own code), related
 * places (the other stacks), an identity built the way the static families
 * build theirs (so a run can confirm a static finding), a count, and the
 * interleaving: one thread flow per thread involved, the last events of
 * each before the finding, ordered as the run's events are (by logical
 * clock, then thread: a linear extension of the run's happens-before).
 *
 * Identities (analyses/identity.c's finding_identity):
 *   thread-leak            fn:<function that created it>, start:<routine>
 *   lock-order-inversion   lock:<lock> for each lock of the cycle (sorted)
 *   lock-double-acquire, lock-release-unheld  fn:<function>, lock:<lock>
 *   chan-double-close, chan-send-after-close  fn:<function>, chan:<channel>
 *   data-race              fn:<each function> (sorted), then the object
 *   deadlock               fn:<where each thread waits> and what it waits
 *                          for (lock:, join:start:<routine>, chan:, cond:), sorted
 * An object is `global:NAME` (a global: the symbol that holds it, with
 * `+OFFSET` inside it), `heap:FN` (allocated by FN, when TSan says), or
 * `made:FN` (made, initialised or first used in FN). */
#include "trace/trace.h"

#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyses/framework.h"

#define FLOW_EVENTS 8      /* events per thread shown before a finding */
#define MAX_FRAMES 64

typedef struct Cx {
    const Catalog *cat;
    Symbols *sym;
    Findings *out;
    NotificationList *notes;
    const Trace *t;
    const RunFacts *rf;
    TraceResult *res;
} Cx;

static void notify(Cx *cx, Level level, Loc loc, char *text);

/* ------------------------------------------------------------ gathering */

static void want_stack(Cx *cx, uint32_t id) {
    const tv_stack *s = trace_stack(cx->t, id);
    for (uint32_t i = 0; s && i < s->n; i++) symbols_want_code(cx->sym, cx->t, s->pc[i]);
}

static void want_fn(Cx *cx, uint64_t addr) {
    if (addr) symbols_want_code(cx->sym, cx->t, addr + 1); /* an entry, not a return address */
}

static void want_object(Cx *cx, uint64_t addr) {
    if (!addr) return;
    symbols_want_data(cx->sym, cx->t, addr);
    for (uint32_t k = TV_O_MUTEX; k <= TV_O_CHAN; k++) {
        const tv_object *o = trace_object(cx->t, addr, k);
        if (o) want_stack(cx, o->alloc_stack), want_stack(cx, o->made_stack), want_stack(cx, o->close_stack);
    }
}

/* Everything a finding may name, asked of the symbolizer in one run. */
static void gather(Cx *cx) {
    const Trace *t = cx->t;
    for (uint32_t i = 0; i < t->nreports; i++) {
        const tv_report *r = &t->reports[i];
        for (uint32_t k = 0; k < r->nstacks && k < TV_R_STACKS; k++) want_stack(cx, r->stacks[k]);
        for (uint32_t k = 0; k < r->nmops && k < TV_R_MOPS; k++) want_stack(cx, r->mops[k].stack), want_object(cx, r->mops[k].addr);
        for (uint32_t k = 0; k < r->nmutexes && k < TV_R_MUTEXES; k++)
            want_stack(cx, r->mutexes[k].stack), want_object(cx, r->mutexes[k].addr);
        for (uint32_t k = 0; k < r->nthreads && k < TV_R_THREADS; k++) want_stack(cx, r->threads[k].stack);
        if (r->nlocs) want_stack(cx, r->loc.stack), want_object(cx, r->loc.addr);
        want_object(cx, r->obj);
        if (r->kind == TV_R_TSAN_LOCK_ORDER && r->nmutexes >= 2 && r->nmutexes <= TV_R_MUTEXES) {
            uint64_t locks[TV_R_MUTEXES], gate;
            for (uint32_t k = 0; k < r->nmutexes; k++) locks[k] = r->mutexes[k].addr;
            if (trace_cycle_seen(t, locks, (int)r->nmutexes, &gate) == CYCLE_GATED) want_object(cx, gate);
        }
    }
    for (uint32_t s = 0; s < t->nthreads; s++) {
        const tv_thread *th = &t->threads[s];
        want_fn(cx, th->start);
        want_stack(cx, th->create_stack);
        want_stack(cx, th->join_stack);
        for (uint32_t b = 0; b < th->nblock && b < TV_MAX_BLOCK; b++)
            want_stack(cx, th->block[b].stack), want_object(cx, th->block[b].obj);
        for (uint32_t h = 0; h < th->nheld && h < TV_MAX_HELD; h++)
            want_stack(cx, th->held[h].stack), want_object(cx, th->held[h].obj);
        /* the last events of every thread: the flows */
        size_t a = t->thread_first[s], z = t->thread_first[s + 1];
        for (size_t k = z > a + 4 * FLOW_EVENTS ? z - 4 * FLOW_EVENTS : a; k < z; k++) {
            const tv_event *e = &t->events[t->by_thread[k]];
            want_stack(cx, e->stack);
            want_object(cx, e->obj);
        }
    }
    want_stack(cx, t->hdr->end_stack);
}

/* ------------------------------------------------------------ frames */

static bool runtime_function(const char *f) {
    static const char *const prefixes[] = {"__tsan", "__interceptor", "___interceptor", "__tv_", "tv_", "__wrap_",
                                           "__sanitizer", "__real_", "thread_entry", "__asan", "__ubsan"};
    if (!f) return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncmp(f, prefixes[i], strlen(prefixes[i]))) return true;
    return false;
}

/* The frames of a stack, inlined ones expanded; unknown pcs keep their
 * module and offset. */
static int frames_of(Cx *cx, uint32_t id, Frame *out, int max) {
    const tv_stack *s = trace_stack(cx->t, id);
    int n = 0;
    for (uint32_t i = 0; s && i < s->n && n < max; i++) {
        int k;
        const Frame *fr = symbols_code(cx->sym, cx->t, s->pc[i], &k);
        if (fr) {
            for (int j = 0; j < k && n < max; j++) out[n++] = fr[j];
            continue;
        }
        Frame f = {.pc = s->pc[i]};
        const tv_module *m = trace_module(cx->t, s->pc[i]);
        if (m) {
            size_t len = strnlen(m->path, sizeof m->path);
            if (len < sizeof m->path) f.module = intern_n(m->path, len);
            f.offset = s->pc[i] - 1 - m->bias;
        }
        out[n++] = f;
    }
    return n;
}

/* Whether a frame's source is here to show: an absolute path that exists
 * (a library's debug info often names files of the machine it was built on). */
static bool source_here(const char *file) {
    static PtrMap seen; /* interned path -> 1 yes, 2 no */
    if (!file || file[0] != '/') return false;
    void **v = ptrmap_slot(&seen, file, true);
    if (!*v) *v = (void *)(uintptr_t)(access(file, R_OK) == 0 ? 1 : 2);
    return *v == (void *)1;
}

/* The first frame of the program's own code: past the runtime, TSan and
 * frames without source here (the C library, TSan's interceptors); the
 * first frame past the runtime when no frame has source. */
static bool user_frame(Cx *cx, uint32_t id, Frame *out) {
    Frame fr[MAX_FRAMES];
    int n = frames_of(cx, id, fr, MAX_FRAMES);
    int first = -1;
    for (int i = 0; i < n; i++) {
        if (runtime_function(fr[i].function)) continue;
        if (first < 0) first = i;
        if (fr[i].file && fr[i].line && source_here(fr[i].file)) {
            *out = fr[i];
            return true;
        }
    }
    if (first < 0) return false;
    *out = fr[first];
    return true;
}

static Loc loc_of_frame(const Frame *f) {
    Loc l = {0};
    if (f->file) l.file = f->file, l.line = f->line, l.col = f->col;
    else if (f->module) l.file = f->module;
    return l;
}

static Loc stack_loc(Cx *cx, uint32_t id) {
    Frame f;
    return user_frame(cx, id, &f) ? loc_of_frame(&f) : (Loc){0};
}

static const char *stack_fn(Cx *cx, uint32_t id) {
    Frame f;
    return user_frame(cx, id, &f) && f.function ? f.function : NULL;
}

static const char *fn_at(Cx *cx, uint64_t addr) {
    int n;
    const Frame *f = addr ? symbols_code(cx->sym, cx->t, addr + 1, &n) : NULL;
    return f && n ? f[n - 1].function : NULL; /* the outermost: the function itself */
}

/* ------------------------------------------------------------ names */

static const tv_thread *thread_at(Cx *cx, uint32_t slot) { return trace_thread(cx->t, slot); }

static const char *thread_label(Cx *cx, uint32_t slot) {
    const tv_thread *th = thread_at(cx, slot);
    if (!th) return intern("an unknown thread");
    if (th->parent == ~0u && slot == 0) return intern("main thread");
    const char *fn = fn_at(cx, th->start);
    const char *label = fn ? internf("thread T%u (%s)", slot, fn) : internf("thread T%u", slot);
    *ptrmap_slot(&((Trace *)cx->t)->labels, (void *)(uintptr_t)TRACE_THREAD_KEY(slot), true) = (void *)label;
    return label;
}

/* "main thread", "thread T3": for messages (flows name the routine too). */
static const char *thread_short(Cx *cx, uint32_t slot) {
    const tv_thread *th = thread_at(cx, slot);
    if (!th) return intern("an unknown thread");
    if (th->parent == ~0u && slot == 0) return intern("main thread");
    return internf("thread T%u", slot);
}

/* Where a function is defined (its entry), for a thread's start. */
static Loc fn_loc(Cx *cx, uint64_t addr) {
    int n;
    const Frame *f = addr ? symbols_code(cx->sym, cx->t, addr + 1, &n) : NULL;
    return f && n ? loc_of_frame(&f[n - 1]) : (Loc){0};
}

/* How an object is named: `display` in messages, `id` in identities. */
typedef struct ObjName { const char *display, *id; } ObjName;

static ObjName object_name_of(Cx *cx, uint64_t addr, const char *what);

/* An object's name, remembered for the trace (chrome.c). */
static ObjName object_name(Cx *cx, uint64_t addr, const char *what) {
    ObjName n = object_name_of(cx, addr, what);
    if (addr && strcmp(n.id, "unknown")) *ptrmap_slot(&((Trace *)cx->t)->labels, (void *)(uintptr_t)addr, true) = (void *)n.display;
    return n;
}

static ObjName object_name_of(Cx *cx, uint64_t addr, const char *what) {
    ObjName n = {intern(what), intern("unknown")};
    if (!addr) return n;
    uint64_t off = 0;
    const DataSym *d = symbols_data(cx->sym, cx->t, addr, &off);
    if (d) {
        if (off) {
            n.display = internf("'%s'+%" PRIu64, d->name, off);
            n.id = internf("global:%s+%" PRIu64, d->name, off);
        } else {
            n.display = internf("'%s'", d->name);
            n.id = internf("global:%s", d->name);
        }
        return n;
    }
    bool chan = !strcmp(what, "channel");
    const tv_object *o = trace_object(cx->t, addr, chan ? TV_O_CHAN : TV_O_MUTEX);
    const tv_object *c = chan ? NULL : trace_object(cx->t, addr, TV_O_CHAN);
    if (!o && c && c->alloc_stack) o = c; /* a channel's own lock: by the block holding both */
    /* a channel is known by where it was made (chan_make's caller), a
     * lock by the heap block holding it */
    if (o && chan && o->made_stack) {
        const char *fn = stack_fn(cx, o->made_stack);
        if (fn) {
            n.display = internf("the %s made in '%s'", what, fn);
            n.id = internf("made:%s", fn);
            return n;
        }
    }
    if (o && o->alloc_stack) {
        const char *fn = stack_fn(cx, o->alloc_stack);
        if (fn) {
            n.display = internf("the %s allocated in '%s'", what, fn);
            n.id = internf("heap:%s", fn);
            return n;
        }
    }
    if (o && o->made_stack) {
        const char *fn = stack_fn(cx, o->made_stack);
        if (fn) {
            n.display = internf("the %s made in '%s'", what, fn);
            n.id = internf("made:%s", fn);
            return n;
        }
    }
    /* the first event that used it */
    const tv_event *e = ptrmap_get(&cx->t->first_use, (void *)(uintptr_t)addr);
    const char *fn = e ? stack_fn(cx, e->stack) : NULL;
    if (fn) {
        n.display = internf("the %s first used in '%s'", what, fn);
        n.id = internf("made:%s", fn);
    }
    return n;
}

/* The thread slot of a TSan thread id in a report (through its OS tid). */
static uint32_t slot_of_tsan(Cx *cx, const tv_report *r, int tid) {
    uint64_t os = 0;
    bool found = false;
    for (uint32_t i = 0; i < r->nthreads && i < TV_R_THREADS; i++)
        if (r->threads[i].tid == tid) os = r->threads[i].os_id, found = true;
    if (!found && tid == 0) os = cx->t->hdr->pid;
    if (!os) return ~0u;
    uint32_t best = ~0u;
    for (uint32_t s = 0; s < cx->t->nthreads; s++) {
        const tv_thread *th = &cx->t->threads[s];
        if (th->os_tid == os && (!th->start_seq || th->start_seq <= r->seq || s == 0)) best = s;
    }
    return best;
}

/* ------------------------------------------------------------ building */

typedef struct Extra { uint32_t thread; uint64_t after_seq; Loc loc; const char *msg; } Extra;

typedef struct Build {
    Finding f;
    VEC(Related) rel;
    uint64_t seq;           /* the finding's place in the run */
    uint32_t threads[TV_R_THREADS + 8];
    int nthreads;
    /* steps that are not events (a racing access) */
    Extra extra[8];
    int nextra;
    json_t *props;
    json_t *stacks;
} Build;

static void b_thread(Build *b, uint32_t slot) {
    if (slot == ~0u) return;
    for (int i = 0; i < b->nthreads; i++)
        if (b->threads[i] == slot) return;
    if (b->nthreads < (int)(sizeof b->threads / sizeof *b->threads)) b->threads[b->nthreads++] = slot;
}

static void b_related(Build *b, Loc loc, const char *msg) {
    if (!loc.file) return;
    vec_push(&b->rel, ((Related){loc, msg}));
}

static json_t *frames_json(Cx *cx, uint32_t id) {
    Frame fr[MAX_FRAMES];
    int n = frames_of(cx, id, fr, MAX_FRAMES);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        if (fr[i].function) json_object_set_new(o, "function", json_string(fr[i].function));
        if (fr[i].file) {
            json_object_set_new(o, "file", json_string(fr[i].file));
            json_object_set_new(o, "line", json_integer(fr[i].line));
            json_object_set_new(o, "column", json_integer(fr[i].col));
        }
        if (fr[i].module) {
            json_object_set_new(o, "module", json_string(fr[i].module));
            char off[32];
            snprintf(off, sizeof off, "0x%" PRIx64, fr[i].offset);
            json_object_set_new(o, "offset", json_string(off));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static void b_stack(Cx *cx, Build *b, const char *role, uint32_t id) {
    if (!id) return;
    json_t *o = json_object();
    json_object_set_new(o, "role", json_string(role));
    json_object_set_new(o, "frames", frames_json(cx, id));
    json_array_append_new(b->stacks, o);
}

static void b_begin(Cx *cx, Build *b, const char *rule) {
    memset(b, 0, sizeof *b);
    b->f.rule = catalog_find(cx->cat, rule);
    b->props = json_object();
    b->stacks = json_array();
}

/* The message of an event as a step of its thread's flow. */
static const char *event_msg(Cx *cx, const tv_event *e) {
    const char *fn = trace_fn_name(cx->t, e->fn);
    const char *via = fn ? internf(" (%s)", fn) : "";
    switch (e->kind) {
    case TV_EV_THREAD_START: {
        const char *r = fn_at(cx, e->obj);
        return r ? internf("starts in '%s'", r) : intern("starts");
    }
    case TV_EV_THREAD_END: return intern("ends");
    case TV_EV_CREATE: return internf("creates %s%s", thread_label(cx, (uint32_t)e->arg), via);
    case TV_EV_CREATE_FAIL: return internf("fails to create a thread%s", via);
    case TV_EV_JOIN_BEGIN:
        return e->arg != ~0u && e->arg < cx->t->nthreads ? internf("waits for %s to end%s", thread_label(cx, (uint32_t)e->arg), via)
                                                          : internf("waits for a thread to end%s", via);
    case TV_EV_JOIN: return internf("has joined %s%s", thread_label(cx, (uint32_t)e->arg), via);
    case TV_EV_DETACH: return internf("detaches %s%s", thread_label(cx, (uint32_t)e->arg), via);
    case TV_EV_LOCK:
        return internf("acquires %s%s%s", object_name(cx, e->obj, "lock").display,
                       e->flags & TV_F_SHARED ? " for reading" : "", via);
    case TV_EV_TRYLOCK_FAIL: return internf("fails to acquire %s%s", object_name(cx, e->obj, "lock").display, via);
    case TV_EV_UNLOCK: return internf("releases %s%s", object_name(cx, e->obj, "lock").display, via);
    case TV_EV_WAIT_BEGIN:
        return internf("waits on a condition, releasing %s%s", object_name(cx, e->obj, "lock").display, via);
    case TV_EV_WAIT_END: return internf("wakes up holding %s again%s", object_name(cx, e->obj, "lock").display, via);
    case TV_EV_LOCK_INIT: return internf("initialises %s%s", object_name(cx, e->obj, "lock").display, via);
    case TV_EV_CHAN_MAKE: return internf("makes a channel%s", via);
    case TV_EV_CHAN_CLOSE: return internf("closes %s%s", object_name(cx, e->obj, "channel").display, via);
    case TV_EV_CHAN_SEND:
        return internf("%s %s%s", e->flags & TV_F_FAILED ? "fails to send on" : "sends on",
                       object_name(cx, e->obj, "channel").display, via);
    case TV_EV_CHAN_RECV: return internf("receives from %s%s", object_name(cx, e->obj, "channel").display, via);
    case TV_EV_CHAN_SELECT: return internf("selects on channels%s", via);
    case TV_EV_CHAN_DISPOSE: return internf("frees %s%s", object_name(cx, e->obj, "channel").display, via);
    case TV_EV_EXIT_CALL: return internf("ends the process%s", via);
    case TV_EV_SIGNAL: return internf("gets signal %d", (int)e->arg);
    default: return NULL;
    }
}

typedef struct Step { uint32_t thread; uint64_t seq; int sub; Loc loc; const char *msg; } Step;

static int by_step(const void *a, const void *b) {
    const Step *x = a, *y = b;
    if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
    if (x->sub != y->sub) return x->sub < y->sub ? -1 : 1;
    return (x->thread > y->thread) - (x->thread < y->thread); /* equal clocks: as the record orders them */
}

/* The interleaving: for each thread, its last events up to the finding;
 * then the finding's own steps; numbered in the run's order. */
static void b_flows(Cx *cx, Build *b) {
    const Trace *t = cx->t;
    VEC(Step) steps = {0};
    for (int i = 0; i < b->nthreads; i++) {
        uint32_t th = b->threads[i];
        if (th >= t->nthreads) continue;
        size_t a = t->thread_first[th], z = t->thread_first[th + 1];
        size_t end = a;
        while (end < z && t->events[t->by_thread[end]].seq <= b->seq) end++;
        int taken = 0;
        for (size_t k = end; k > a && taken < FLOW_EVENTS;) {
            const tv_event *e = &t->events[t->by_thread[--k]];
            const char *msg = event_msg(cx, e);
            if (!msg) continue;
            Loc loc = e->kind == TV_EV_THREAD_START ? fn_loc(cx, e->obj) : stack_loc(cx, e->stack);
            if (!loc.file) continue;
            vec_push(&steps, ((Step){th, e->seq, 0, loc, msg}));
            taken++;
        }
    }
    for (int i = 0; i < b->nextra; i++)
        if (b->extra[i].loc.file)
            vec_push(&steps, ((Step){b->extra[i].thread, b->extra[i].after_seq, 1 + i, b->extra[i].loc, b->extra[i].msg}));
    if (!steps.len) {
        free(steps.data);
        return;
    }
    qsort(steps.data, (size_t)steps.len, sizeof(Step), by_step);
    b->f.flows = xcalloc((size_t)b->nthreads + 1, sizeof(Flow));
    b->f.orders = xcalloc((size_t)steps.len, sizeof(int64_t));
    int64_t *ord = b->f.orders;
    for (int i = 0; i < b->nthreads; i++) {
        Flow *fl = &b->f.flows[b->f.nflows];
        int n = 0;
        for (int k = 0; k < steps.len; k++) n += steps.data[k].thread == b->threads[i];
        if (!n) continue;
        fl->name = thread_label(cx, b->threads[i]);
        fl->steps = xcalloc((size_t)n, sizeof(FlowStep));
        for (int k = 0; k < steps.len; k++) {
            if (steps.data[k].thread != b->threads[i]) continue;
            *ord++ = k + 1;
            fl->steps[fl->nsteps++] = (FlowStep){steps.data[k].loc, steps.data[k].msg, 0};
        }
        b->f.nflows++;
    }
    free(steps.data);
}

static void b_finish(Cx *cx, Build *b, Loc loc, char *msg, const char *const *parts, int nparts, bool unordered,
                     uint32_t count) {
    if (!b->f.rule || !b->f.rule->enabled) {
        free(msg), free(b->rel.data);
        json_decref(b->props), json_decref(b->stacks);
        return;
    }
    if (!loc.file) loc.file = intern(cx->t->hdr->exe[0] ? cx->t->hdr->exe : "program");
    b->f.loc = loc;
    if (count > 1) {
        char *m = xasprintf("%s (%u times)", msg, count);
        free(msg);
        msg = m;
    }
    b->f.message = msg;
    b->f.related = b->rel.data, b->f.nrelated = b->rel.len;
    b->f.identity = finding_identity(b->f.rule->id, parts, nparts, unordered);
    b_flows(cx, b);
    json_t *tv = json_object();
    json_object_set_new(tv, "source", json_string("runtime"));
    json_object_set_new(tv, "count", json_integer(count ? count : 1));
    json_object_set_new(tv, "sequence", json_integer((json_int_t)b->seq));
    json_object_set_new(tv, "stacks", b->stacks);
    json_t *threads = json_array();
    for (int i = 0; i < b->nthreads; i++) json_array_append_new(threads, json_string(thread_label(cx, b->threads[i])));
    json_object_set_new(tv, "threads", threads);
    json_object_update(tv, b->props);
    json_decref(b->props);
    json_t *wrap = json_object();
    json_object_set_new(wrap, "threadvet", tv);
    b->f.properties = json_dumps(wrap, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(wrap);
    findings_add(cx->out, b->f);
    cx->res->nfindings++;
}

/* ------------------------------------------------------------ TSan's reports */

static const char *access_word(const tv_report *r, int i) {
    if (r->mops[i].atomic) return r->mops[i].write ? "atomic write" : "atomic read";
    return r->mops[i].write ? "write" : "read";
}

static void race(Cx *cx, const tv_report *r) {
    Build b;
    b_begin(cx, &b, "data-race");
    b.seq = r->seq;
    bool uaf = r->kind == TV_R_TSAN_USE_AFTER_FREE;
    uint64_t addr = r->nlocs && r->loc.start ? r->loc.start : r->mops[0].addr;
    if (r->nlocs && !strcmp(r->loc.type, "global") && r->loc.addr) addr = r->loc.addr;
    ObjName obj = object_name(cx, r->mops[0].addr, "memory");
    if (!strcmp(obj.id, "unknown") && r->nlocs && r->loc.stack) {
        const char *fn = stack_fn(cx, r->loc.stack);
        if (fn) obj.display = internf("memory allocated in '%s'", fn), obj.id = internf("heap:%s", fn);
    }
    (void)addr;
    uint32_t s0 = r->nmops > 0 ? slot_of_tsan(cx, r, r->mops[0].tid) : ~0u;
    uint32_t s1 = r->nmops > 1 ? slot_of_tsan(cx, r, r->mops[1].tid) : ~0u;
    Loc here = stack_loc(cx, r->mops[0].stack);
    const char *f0 = stack_fn(cx, r->mops[0].stack), *f1 = r->nmops > 1 ? stack_fn(cx, r->mops[1].stack) : NULL;
    char *msg;
    if (r->nmops > 1)
        msg = xasprintf("data race on %s: %s of size %u by %s%s%s%s, and an earlier %s by %s%s%s%s%s",
                        strcmp(obj.id, "unknown") ? obj.display : "memory", access_word(r, 0), r->mops[0].size,
                        thread_short(cx, s0), f0 ? " in '" : "", f0 ? f0 : "", f0 ? "'" : "", access_word(r, 1),
                        thread_short(cx, s1), f1 ? " in '" : "", f1 ? f1 : "", f1 ? "'" : "",
                        uaf ? " (the memory was freed)" : "");
    else
        msg = xasprintf("data race on %s: %s of size %u by %s", obj.display, access_word(r, 0), r->mops[0].size,
                        thread_short(cx, s0));
    if (r->nmops > 1) {
        Loc prev = stack_loc(cx, r->mops[1].stack);
        b_related(&b, prev, internf("the earlier %s by %s", access_word(r, 1), thread_short(cx, s1)));
        b.extra[b.nextra++] = (Extra){s1, r->seq ? r->seq - 1 : 0, prev,
                                                    internf("%s of %s (racing)", access_word(r, 1), obj.display)};
    }
    b.extra[b.nextra++] = (Extra){s0, r->seq, here, internf("%s of %s (racing)", access_word(r, 0), obj.display)};
    if (r->nlocs && r->loc.stack) b_related(&b, stack_loc(cx, r->loc.stack), intern("the memory was allocated here"));
    for (uint32_t i = 0; i < r->nthreads && i < TV_R_THREADS; i++) {
        uint32_t s = slot_of_tsan(cx, r, r->threads[i].tid);
        if (r->threads[i].stack)
            b_related(&b, stack_loc(cx, r->threads[i].stack), internf("%s was created here", thread_short(cx, s)));
    }
    b_thread(&b, s0), b_thread(&b, s1);
    b_stack(cx, &b, "access", r->mops[0].stack);
    if (r->nmops > 1) b_stack(cx, &b, "earlier access", r->mops[1].stack);
    json_object_set_new(b.props, "object", json_string(obj.id));
    const char *parts[4];
    int np = 0;
    parts[np++] = internf("fn:%s", f0 ? f0 : "?");
    if (r->nmops > 1) parts[np++] = internf("fn:%s", f1 ? f1 : "?");
    /* the object last, after the sorted functions */
    const char *sorted[3];
    if (np == 2 && strcmp(parts[0], parts[1]) > 0) sorted[0] = parts[1], sorted[1] = parts[0];
    else sorted[0] = parts[0], sorted[1] = np > 1 ? parts[1] : NULL;
    int ns = np;
    sorted[ns++] = internf("obj:%s", obj.id);
    b_finish(cx, &b, here, msg, sorted, ns, false, r->count);
}

static void lock_order(Cx *cx, const tv_report *r) {
    Build b;
    b_begin(cx, &b, "lock-order-inversion");
    b.seq = r->seq;
    uint32_t nm = r->nmutexes < TV_R_MUTEXES ? r->nmutexes : TV_R_MUTEXES;
    if (nm < 2) return;
    /* TSan ignores the locks held beside the cycle: a gate lock held
     * through both orders serialises them, and there is no cycle */
    uint64_t locks[TV_R_MUTEXES], gate;
    for (uint32_t i = 0; i < nm; i++) locks[i] = r->mutexes[i].addr;
    if (trace_cycle_seen(cx->t, locks, (int)nm, &gate) == CYCLE_GATED) {
        json_decref(b.props), json_decref(b.stacks);
        notify(cx, LEVEL_NOTE, stack_loc(cx, r->stacks[0]),
               xasprintf("ThreadSanitizer's lock-order inversion of %s and %s is not reported: %s was held through "
                         "both orders every time (a gate lock serialises them)",
                         object_name(cx, locks[0], "lock").display, object_name(cx, locks[1], "lock").display,
                         gate ? object_name(cx, gate, "lock").display : "a common lock"));
        return;
    }
    bool two_stacks = r->nstacks >= 2 * nm;
    ObjName names[TV_R_MUTEXES];
    for (uint32_t i = 0; i < nm; i++) names[i] = object_name(cx, r->mutexes[i].addr, "lock");
    /* edge i: M(i+1) acquired while holding M(i), by utids[i] */
    uint32_t e0 = two_stacks ? r->stacks[0] : r->stacks[0];
    Loc here = stack_loc(cx, e0);
    char buf[1024];
    size_t o = 0;
    for (uint32_t i = 1; i < nm && i < r->nutids; i++) {
        uint32_t st = r->stacks[two_stacks ? 2 * i : i];
        const char *fn = stack_fn(cx, st);
        o += (size_t)snprintf(buf + o, sizeof buf - o, ", %s then %s in '%s'", names[i].display,
                              names[(i + 1) % nm].display, fn ? fn : "?");
        if (o >= sizeof buf) break;
    }
    char *msg = xasprintf("lock order inversion: %s then %s here%s (potential deadlock)", names[0].display,
                          names[1].display, buf);
    for (uint32_t i = 0; i < nm; i++) {
        uint32_t slot = i < r->nutids ? slot_of_tsan(cx, r, r->utids[i]) : ~0u;
        b_thread(&b, slot);
        if (two_stacks) {
            b_related(&b, stack_loc(cx, r->stacks[2 * i + 1]), internf("%s acquired here", names[i].display));
            b_stack(cx, &b, internf("%s held", names[i].display), r->stacks[2 * i + 1]);
        }
        uint32_t st = r->stacks[two_stacks ? 2 * i : i];
        b_related(&b, stack_loc(cx, st),
                  internf("%s acquired here while %s is held (%s)", names[(i + 1) % nm].display, names[i].display,
                          thread_label(cx, slot)));
        b_stack(cx, &b, internf("%s acquired while %s is held", names[(i + 1) % nm].display, names[i].display), st);
    }
    const char *parts[TV_R_MUTEXES];
    for (uint32_t i = 0; i < nm; i++) parts[i] = internf("lock:%s", names[i].id);
    b_finish(cx, &b, here, msg, parts, (int)nm, true, r->count);
}

/* A thread's identity parts: the function that created it and its routine. */
static void leak_parts(Cx *cx, uint32_t create_stack, uint64_t start, const char **parts) {
    const char *creator = stack_fn(cx, create_stack), *routine = fn_at(cx, start);
    parts[0] = internf("fn:%s", creator ? creator : "?");
    parts[1] = internf("start:%s", routine ? routine : "?");
}

static void leak_finished(Cx *cx, uint32_t slot, uint32_t create_stack, uint64_t start, uint32_t count, uint64_t seq) {
    Build b;
    b_begin(cx, &b, "thread-leak");
    b.seq = seq;
    const char *parts[2];
    leak_parts(cx, create_stack, start, parts);
    const char *creator = stack_fn(cx, create_stack), *routine = fn_at(cx, start);
    char *msg = xasprintf("thread created in '%s'%s%s%s finished but was never joined or detached",
                          creator ? creator : "?", routine ? " running '" : "", routine ? routine : "",
                          routine ? "'" : "");
    b_thread(&b, slot);
    b_stack(cx, &b, "created", create_stack);
    b_finish(cx, &b, stack_loc(cx, create_stack), msg, parts, 2, false, count);
}

static void tsan_leak(Cx *cx, const tv_report *r) {
    if (!r->nthreads) return;
    uint32_t slot = slot_of_tsan(cx, r, r->threads[0].tid);
    const tv_thread *th = thread_at(cx, slot);
    uint32_t cs = th && th->create_stack ? th->create_stack : r->threads[0].stack;
    leak_finished(cx, slot, cs, th ? th->start : 0, r->count, r->seq);
}

static void misuse(Cx *cx, const tv_report *r, const char *rule, uint64_t obj, uint32_t here_stack, uint32_t first,
                   uint32_t other) {
    Build b;
    b_begin(cx, &b, rule);
    b.seq = r->seq;
    ObjName n = object_name(cx, obj, "lock");
    const char *fn = stack_fn(cx, here_stack);
    uint32_t me = r->thread;
    char *msg;
    if (!strcmp(rule, "lock-double-acquire")) {
        msg = xasprintf("%s acquired again by %s, which already holds it%s", n.display, thread_label(cx, me),
                        r->kind == TV_R_DOUBLE_ACQUIRE ? " (not a recursive lock: the thread waits for itself)" : "");
        b_related(&b, stack_loc(cx, first), internf("%s first acquired here", n.display));
        b_stack(cx, &b, "first acquired", first);
    } else {
        const tv_thread *o = other != ~0u ? thread_at(cx, other) : NULL;
        msg = xasprintf("%s released by %s, which does not hold it%s%s", n.display, thread_label(cx, me),
                        o ? "; it is held by " : "", o ? thread_label(cx, other) : "");
        b_thread(&b, other);
    }
    b_thread(&b, me);
    b_stack(cx, &b, "here", here_stack);
    const char *parts[] = {internf("fn:%s", fn ? fn : "?"), internf("lock:%s", n.id)};
    b_finish(cx, &b, stack_loc(cx, here_stack), msg, parts, 2, false, r->count);
}

/* ------------------------------------------------------------ the runtime's own */

static void chan_misuse(Cx *cx, const tv_report *r) {
    bool dbl = r->kind == TV_R_CHAN_DOUBLE_CLOSE;
    Build b;
    b_begin(cx, &b, dbl ? "chan-double-close" : "chan-send-after-close");
    b.seq = r->seq;
    ObjName n = object_name(cx, r->obj, "channel");
    uint32_t me = r->thread, other = r->threads[1].tid >= 0 ? (uint32_t)r->threads[1].tid : ~0u;
    const char *fn = stack_fn(cx, r->stacks[0]), *first_fn = stack_fn(cx, r->stacks[1]);
    char *msg;
    if (dbl)
        msg = xasprintf("%s closed twice: again here by %s, first by %s%s%s%s", n.display, thread_label(cx, me),
                        thread_label(cx, other), first_fn ? " in '" : "", first_fn ? first_fn : "", first_fn ? "'" : "");
    else
        msg = xasprintf("%s by %s on %s, which %s closed by %s%s%s%s", r->flags ? "blocked send woken by the close"
                                                                                 : "send",
                        thread_label(cx, me), n.display, r->flags ? "was" : "was already", thread_label(cx, other),
                        first_fn ? " in '" : "", first_fn ? first_fn : "", first_fn ? "'" : "");
    b_related(&b, stack_loc(cx, r->stacks[1]), internf("%s closed here by %s", n.display, thread_label(cx, other)));
    const tv_object *o = trace_object(cx->t, r->obj, TV_O_CHAN);
    if (o && o->made_stack) b_related(&b, stack_loc(cx, o->made_stack), intern("the channel was made here"));
    b_thread(&b, other), b_thread(&b, me);
    b_stack(cx, &b, dbl ? "close" : "send", r->stacks[0]);
    b_stack(cx, &b, dbl ? "first close" : "close", r->stacks[1]);
    const char *parts[] = {internf("fn:%s", fn ? fn : "?"), internf("chan:%s", n.id)};
    b_finish(cx, &b, stack_loc(cx, r->stacks[0]), msg, parts, 2, false, r->count);
}

static void leak_running(Cx *cx, const tv_report *r) {
    uint32_t slot = r->thread;
    const tv_thread *th = thread_at(cx, slot);
    if (!th) return;
    Build b;
    b_begin(cx, &b, "thread-leak");
    b.seq = r->seq;
    const char *parts[2];
    leak_parts(cx, th->create_stack, th->start, parts);
    const char *creator = stack_fn(cx, th->create_stack), *routine = fn_at(cx, th->start);
    uint32_t nb = th->nblock < TV_MAX_BLOCK ? th->nblock : TV_MAX_BLOCK;
    const char *where = "";
    if (nb) {
        const tv_block_ent *e = &th->block[0];
        const char *op = trace_fn_name(cx->t, e->fn);
        const char *what = "";
        switch (e->kind) {
        case TV_B_MUTEX: what = internf(" on %s", object_name(cx, e->obj, "lock").display); break;
        case TV_B_COND: what = internf(" on a condition (with %s)", object_name(cx, e->obj, "lock").display); break;
        case TV_B_JOIN: what = e->obj2 < cx->t->nthreads ? internf(" for %s", thread_label(cx, (uint32_t)e->obj2)) : ""; break;
        case TV_B_CHAN_SEND:
        case TV_B_CHAN_RECV: what = internf(" on %s", object_name(cx, e->obj, "channel").display); break;
        default: break;
        }
        where = internf(" blocked in '%s'%s", op ? op : "?", what);
        b_related(&b, stack_loc(cx, e->stack), internf("%s is blocked here%s", thread_label(cx, slot), what));
        b_stack(cx, &b, "blocked", e->stack);
    }
    char *msg = xasprintf("thread created in '%s'%s%s%s is still%s at exit: it was never %s%s", creator ? creator : "?",
                          routine ? " running '" : "", routine ? routine : "", routine ? "'" : "", nb ? where : " running",
                          th->detached ? "waited for (detached)" : "joined", r->nthreads > 1 ? "" : "");
    if (r->nthreads > 1) {
        char *m = xasprintf("%s; %u threads like it", msg, r->nthreads);
        free(msg);
        msg = m;
    }
    b_related(&b, stack_loc(cx, th->create_stack), internf("%s was created here", thread_label(cx, slot)));
    b_thread(&b, slot);
    if (th->parent != ~0u) b_thread(&b, th->parent);
    b_stack(cx, &b, "created", th->create_stack);
    json_object_set_new(b.props, "state", json_string(nb ? "blocked" : "running"));
    b_finish(cx, &b, stack_loc(cx, th->create_stack), msg, parts, 2, false, r->nthreads > 1 ? r->nthreads : 1);
}

static const char *wait_text(Cx *cx, uint32_t slot, const char **part_out) {
    const tv_thread *th = thread_at(cx, slot);
    uint32_t nb = th ? (th->nblock < TV_MAX_BLOCK ? th->nblock : TV_MAX_BLOCK) : 0;
    *part_out = NULL;
    if (!nb) return intern("is not blocked");
    /* the operation the program called (a chan_recv), not the condition
     * wait inside it */
    const tv_block_ent *e = th->block[0].kind != TV_B_OTHER ? &th->block[0] : &th->block[nb - 1];
    const char *op = trace_fn_name(cx->t, e->fn);
    const char *in = op ? internf(" in %s", op) : "";
    switch (e->kind) {
    case TV_B_MUTEX: {
        ObjName n = object_name(cx, e->obj, "lock");
        *part_out = internf("lock:%s", n.id);
        uint32_t h = ~0u;
        for (uint32_t s = 0; s < cx->t->nthreads && h == ~0u; s++) {
            const tv_thread *o = &cx->t->threads[s];
            for (uint32_t i = 0; i < o->nheld && i < TV_MAX_HELD; i++)
                if (o->held[i].obj == e->obj) h = s;
        }
        if (h == slot) return internf("waits for %s%s, which it holds itself", n.display, in);
        if (h != ~0u) {
            const tv_thread *o = thread_at(cx, h);
            return internf("waits for %s%s, held by %s%s", n.display, in, thread_label(cx, h),
                           o && o->state == TV_T_EXITED ? ", which has ended" : "");
        }
        return internf("waits for %s%s", n.display, in);
    }
    case TV_B_JOIN: {
        const tv_thread *o = e->obj2 < cx->t->nthreads ? thread_at(cx, (uint32_t)e->obj2) : NULL;
        const char *r = o ? fn_at(cx, o->start) : NULL;
        *part_out = internf("join:start:%s", r ? r : "?");
        return o ? internf("waits for %s to end%s", thread_label(cx, (uint32_t)e->obj2), in)
                 : internf("waits for a thread to end%s", in);
    }
    case TV_B_COND: {
        ObjName n = object_name(cx, e->obj, "lock");
        *part_out = internf("cond:%s", n.id);
        return internf("waits on a condition (with %s)%s", n.display, in);
    }
    case TV_B_CHAN_SEND:
    case TV_B_CHAN_RECV:
    case TV_B_CHAN_SELECT: {
        if (e->kind == TV_B_CHAN_SELECT && !e->obj) { /* a select names no one channel */
            *part_out = intern("chan:select");
            return internf("waits on the channels it selects on%s", in);
        }
        ObjName n = object_name(cx, e->obj, "channel");
        *part_out = internf("chan:%s", n.id);
        const char *verb = e->kind == TV_B_CHAN_SEND ? "to send on" : e->kind == TV_B_CHAN_RECV ? "to receive from" : "on";
        return internf("waits %s %s%s", verb, n.display, in);
    }
    default: return internf("is blocked%s", in);
    }
}

static void deadlock(Cx *cx, const tv_report *r) {
    Build b;
    b_begin(cx, &b, "deadlock");
    b.seq = r->seq;
    uint32_t n = r->nthreads < TV_R_THREADS ? r->nthreads : TV_R_THREADS;
    if (!n) return;
    char buf[2048];
    size_t o = 0;
    const char *parts[2 * TV_R_THREADS];
    int np = 0;
    Loc here = {0};
    for (uint32_t i = 0; i < n; i++) {
        uint32_t slot = (uint32_t)r->threads[i].tid;
        const tv_thread *th = thread_at(cx, slot);
        uint32_t nb = th ? (th->nblock < TV_MAX_BLOCK ? th->nblock : TV_MAX_BLOCK) : 0;
        const char *part;
        const char *w = wait_text(cx, slot, &part);
        o += (size_t)snprintf(buf + o, o < sizeof buf ? sizeof buf - o : 0, "%s%s %s", i ? "; " : "",
                              thread_label(cx, slot), w);
        if (o >= sizeof buf) o = sizeof buf - 1;
        uint32_t st = nb ? th->block[nb - 1].stack : 0;
        const char *fn = stack_fn(cx, nb ? th->block[0].stack : 0);
        if (fn) parts[np++] = internf("fn:%s", fn);
        if (part) parts[np++] = part;
        Loc l = stack_loc(cx, nb ? th->block[0].stack : st);
        if (!here.file) here = l;
        else b_related(&b, l, internf("%s %s", thread_label(cx, slot), w));
        b_stack(cx, &b, internf("%s blocked", thread_label(cx, slot)), st);
        b_thread(&b, slot);
        /* where the lock it waits for was taken */
        if (nb && th->block[nb - 1].kind == TV_B_MUTEX) {
            for (uint32_t s = 0; s < cx->t->nthreads; s++) {
                const tv_thread *h = &cx->t->threads[s];
                for (uint32_t k = 0; k < h->nheld && k < TV_MAX_HELD; k++)
                    if (h->held[k].obj == th->block[nb - 1].obj)
                        b_related(&b, stack_loc(cx, h->held[k].stack),
                                  internf("%s acquired here by %s", object_name(cx, h->held[k].obj, "lock").display,
                                          thread_label(cx, s)));
            }
        }
    }
    char *msg = xasprintf("deadlock: %s%s; the watchdog ended the program", buf,
                          r->flags ? " (every thread is blocked: nobody is left to wake them)" : "");
    b_finish(cx, &b, here, msg, parts, np, true, 1);
    cx->res->deadlock = true;
}

/* ------------------------------------------------------------ the run */

static void notify(Cx *cx, Level level, Loc loc, char *text) {
    vec_push(cx->notes, ((Notification){loc, text, level}));
}

static void one_trace(Cx *cx) {
    const Trace *t = cx->t;
    const tv_header *h = t->hdr;
    Findings runtime_found = {0};
    /* The runtime's own first: TSan's duplicates of them are dropped. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < t->nreports; i++) {
            const tv_report *r = &t->reports[i];
            bool own = r->kind >= TV_R_DOUBLE_ACQUIRE;
            if (own != (pass == 0)) continue;
            switch (r->kind) {
            case TV_R_TSAN_RACE:
            case TV_R_TSAN_USE_AFTER_FREE: race(cx, r); break;
            case TV_R_TSAN_LOCK_ORDER: lock_order(cx, r); break;
            case TV_R_TSAN_THREAD_LEAK: tsan_leak(cx, r); break;
            case TV_R_TSAN_DOUBLE_LOCK:
            case TV_R_TSAN_BAD_READ_LOCK:
            case TV_R_TSAN_BAD_UNLOCK:
            case TV_R_TSAN_BAD_READ_UNLOCK: {
                const char *rule = r->kind == TV_R_TSAN_BAD_UNLOCK || r->kind == TV_R_TSAN_BAD_READ_UNLOCK
                                       ? "lock-release-unheld"
                                       : "lock-double-acquire";
                Loc at = stack_loc(cx, r->stacks[0]);
                bool dup = false;
                for (int k = 0; k < cx->out->v.len && !dup; k++) {
                    const Finding *f = &cx->out->v.data[k];
                    dup = f->rule && !strcmp(f->rule->id, rule) && f->loc.file == at.file && f->loc.line == at.line;
                }
                if (!dup) misuse(cx, r, rule, r->nmutexes ? r->mutexes[0].addr : 0, r->stacks[0], 0, ~0u);
                break;
            }
            case TV_R_TSAN_OTHER:
                notify(cx, LEVEL_NOTE, stack_loc(cx, r->stacks[0]),
                       xasprintf("ThreadSanitizer also reported: %.*s", (int)strnlen(r->tsan_type, sizeof r->tsan_type),
                                 r->tsan_type));
                break;
            case TV_R_DOUBLE_ACQUIRE: misuse(cx, r, "lock-double-acquire", r->obj, r->stacks[0], r->stacks[1], ~0u); break;
            case TV_R_RELEASE_UNHELD:
                misuse(cx, r, "lock-release-unheld", r->obj, r->stacks[0], 0,
                       r->threads[1].tid >= 0 ? (uint32_t)r->threads[1].tid : ~0u);
                break;
            case TV_R_CHAN_DOUBLE_CLOSE:
            case TV_R_CHAN_SEND_AFTER_CLOSE: chan_misuse(cx, r); break;
            case TV_R_DEADLOCK: deadlock(cx, r); break;
            case TV_R_LEAK_RUNNING: leak_running(cx, r); break;
            default: break;
            }
        }
    }
    (void)runtime_found;
    /* Finished threads never joined are ours to report without TSan, and
     * when a signal ended the program after the exit check began (TSan's
     * own check at exit never ran). A crash before it is no exit: a thread
     * not joined yet may have been joined later. */
    if (h->leak_checked && h->end != TV_END_DEADLOCK && (!h->tsan || h->end == TV_END_SIGNAL)) {
        for (uint32_t s = 1; s < t->nthreads; s++) {
            const tv_thread *th = &t->threads[s];
            if (th->state != TV_T_EXITED || th->joined_by || th->detached || th->parent == ~0u) continue;
            leak_finished(cx, s, th->create_stack, th->start, 1, th->exit_seq);
        }
    }
    /* How it ended, when that is news. */
    if (h->end == TV_END_SIGNAL) {
        cx->res->crashed = true;
        cx->res->end_signal = h->end_signal;
        Loc at = stack_loc(cx, h->end_stack);
        notify(cx, LEVEL_WARNING, at,
               xasprintf("the program was ended by signal %d (%s)%s", h->end_signal, strsignal(h->end_signal),
                         at.file ? " here" : ""));
    }
    uint64_t other = h->dropped_stacks + h->dropped_threads + h->dropped_objects + h->dropped_reports + h->dropped_held;
    cx->res->dropped_events += h->dropped_events;
    cx->res->dropped_other += other;
    if (h->dropped_events)
        notify(cx, LEVEL_NOTE, (Loc){0},
               xasprintf("the record lost its %" PRIu64 " oldest events (a larger THREADVET_RECORD_MB keeps more): "
                         "interleavings may start later than they did",
                         h->dropped_events));
    if (other)
        notify(cx, LEVEL_WARNING, (Loc){0},
               xasprintf("the record was full: %" PRIu64 " stacks, %" PRIu64 " threads, %" PRIu64 " objects, %" PRIu64
                         " reports and %" PRIu64 " held locks were not recorded; findings may be missing",
                         h->dropped_stacks, h->dropped_threads, h->dropped_objects, h->dropped_reports, h->dropped_held));
}

void trace_findings(Trace **ts, int n, const Catalog *cat, const RunFacts *rf, Findings *out, NotificationList *notes,
                    TraceResult *res) {
    memset(res, 0, sizeof *res);
    Symbols *sym = symbols_new();
    Cx cx = {cat, sym, out, notes, NULL, rf, res};
    for (int i = 0; i < n; i++) cx.t = ts[i], gather(&cx);
    char *err = NULL;
    if (!symbols_run(sym, &err)) notify(&cx, LEVEL_WARNING, (Loc){0}, err);
    for (int i = 0; i < n; i++) cx.t = ts[i], one_trace(&cx);
    symbols_free(sym);
}
