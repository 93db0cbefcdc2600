/* chrome.c — the run as Chrome trace-event JSON (Perfetto and
 * chrome://tracing open it): a track per thread, lock holds as spans, the
 * other operations as instants, creations, joins and channel messages
 * (a send to the receive that took its value) as flow arrows, what a
 * thread was still blocked on when the run ended as a span, and the
 * findings as global instants at the moment they happened. */
#include "trace/trace.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

static const char *const kind_names[TV_EV__COUNT] = {
    [TV_EV_THREAD_START] = "thread start", [TV_EV_THREAD_END] = "thread end", [TV_EV_CREATE] = "create",
    [TV_EV_CREATE_FAIL] = "create failed", [TV_EV_JOIN_BEGIN] = "join (waits)", [TV_EV_JOIN] = "joined",
    [TV_EV_DETACH] = "detach", [TV_EV_LOCK_BEGIN] = "lock (waits)", [TV_EV_LOCK] = "lock",
    [TV_EV_TRYLOCK_FAIL] = "trylock failed", [TV_EV_UNLOCK] = "unlock", [TV_EV_WAIT_BEGIN] = "cond wait",
    [TV_EV_WAIT_END] = "cond woken", [TV_EV_LOCK_INIT] = "lock init", [TV_EV_CHAN_MAKE] = "chan make",
    [TV_EV_CHAN_CLOSE] = "chan close", [TV_EV_CHAN_SEND] = "chan send", [TV_EV_CHAN_RECV] = "chan recv",
    [TV_EV_CHAN_SELECT] = "chan select", [TV_EV_CHAN_DISPOSE] = "chan free", [TV_EV_OP_BEGIN] = "op",
    [TV_EV_EXIT_CALL] = "exit", [TV_EV_SIGNAL] = "signal", [TV_EV_REPORT] = "report",
};

static json_t *ev(const char *name, const char *ph, uint64_t pid, uint32_t tid, uint64_t ts_ns) {
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "ph", json_string(ph));
    json_object_set_new(o, "pid", json_integer((json_int_t)pid));
    json_object_set_new(o, "tid", json_integer(tid));
    json_object_set_new(o, "ts", json_real((double)ts_ns / 1000.0));
    return o;
}

/* Ticks (the record's time stamps) to ns. */
static uint64_t ns_of(const Trace *t, uint64_t ticks) {
    const tv_header *h = t->hdr;
    if (!h->clock_tsc) return ticks;
    if (!h->cal_ticks || !h->cal_ns) return ticks / 3;
    return (uint64_t)((double)ticks * (double)h->cal_ns / (double)h->cal_ticks);
}

static json_t *flow(const char *name, const char *ph, uint64_t pid, uint32_t tid, uint64_t ts_ns, uint64_t id,
                    const char *cat) {
    json_t *f = ev(name, ph, pid, tid, ts_ns);
    json_object_set_new(f, "id", json_integer((json_int_t)id));
    json_object_set_new(f, "cat", json_string(cat));
    if (!strcmp(ph, "f")) json_object_set_new(f, "bp", json_string("e"));
    return f;
}

/* Channel messages: on each channel, the n-th successful send's value is
 * the n-th receive's (a FIFO channel), an arrow from one to the other. A
 * send is recorded when it returns, which may be after its receiver has:
 * the arrow then starts at the receive's time. */
typedef struct ChanMsgs { VEC(const tv_event *) sends, recvs; } ChanMsgs;

static void chan_flows(const Trace *t, json_t *out) {
    uint64_t pid = t->hdr->pid;
    PtrMap index = {0}; /* channel -> its ChanMsgs + 1 */
    VEC(ChanMsgs) chans = {0};
    for (size_t i = 0; i < t->nevents; i++) {
        const tv_event *e = &t->events[i];
        bool send = e->kind == TV_EV_CHAN_SEND, recv = e->kind == TV_EV_CHAN_RECV;
        if ((!send && !recv) || (e->flags & TV_F_FAILED) || !e->obj) continue;
        void **slot = ptrmap_slot(&index, (void *)(uintptr_t)e->obj, true);
        if (!*slot) {
            vec_push(&chans, ((ChanMsgs){0}));
            *slot = (void *)(uintptr_t)chans.len;
        }
        ChanMsgs *c = &chans.data[(uintptr_t)*slot - 1];
        if (send) vec_push(&c->sends, e);
        else vec_push(&c->recvs, e);
    }
    for (int k = 0; k < chans.len; k++) {
        ChanMsgs *c = &chans.data[k];
        for (int i = 0; i < c->sends.len && i < c->recvs.len; i++) {
            const tv_event *snd = c->sends.data[i], *rcv = c->recvs.data[i];
            uint64_t ts = ns_of(t, snd->ts), tr = ns_of(t, rcv->ts);
            /* ids: the channel's address and the message's number, mixed,
             * within a double's 52 bits */
            uint64_t id = ((snd->obj * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)(i + 1) * 0xff51afd7ed558ccdull)) >> 12 | 1;
            json_array_append_new(out, flow("message", "s", pid, snd->thread, ts < tr ? ts : tr, id, "channel"));
            json_array_append_new(out, flow("message", "f", pid, rcv->thread, tr, id, "channel"));
        }
        free(c->sends.data), free(c->recvs.data);
    }
    free(chans.data);
    ptrmap_free(&index);
}

static const char *const block_names[] = {
    [TV_B_MUTEX] = "blocked: waits for a lock", [TV_B_COND] = "blocked: waits on a condition",
    [TV_B_JOIN] = "blocked: waits for a thread", [TV_B_CHAN_SEND] = "blocked: sends",
    [TV_B_CHAN_RECV] = "blocked: receives", [TV_B_CHAN_SELECT] = "blocked: selects", [TV_B_OTHER] = "blocked",
};

/* What each thread still waited for when the run ended (a deadlock, a
 * leak): from its last event to the end. */
static void blocked_at_end(const Trace *t, json_t *out) {
    uint64_t pid = t->hdr->pid, end = t->hdr->end_ns;
    for (uint32_t s = 0; s < t->nthreads; s++) {
        const tv_thread *th = &t->threads[s];
        uint32_t nb = th->nblock < TV_MAX_BLOCK ? th->nblock : TV_MAX_BLOCK;
        size_t a = t->thread_first[s], z = t->thread_first[s + 1];
        if (!nb || z == a || (th->state != TV_T_RUNNING && th->state != TV_T_CREATING)) continue;
        const tv_block_ent *b = &th->block[nb - 1];
        uint64_t from = ns_of(t, t->events[t->by_thread[z - 1]].ts);
        const char *name = b->kind < sizeof block_names / sizeof *block_names && block_names[b->kind]
                               ? block_names[b->kind]
                               : "blocked";
        json_t *x = ev(name, "X", pid, s, from);
        json_object_set_new(x, "dur", json_real((double)(end > from ? end - from : 0) / 1000.0));
        json_object_set_new(x, "cname", json_string("terrible"));
        json_t *args = json_object();
        char obj[32];
        snprintf(obj, sizeof obj, "0x%llx", (unsigned long long)b->obj);
        if (b->obj) json_object_set_new(args, "object", json_string(obj));
        const char *label = b->obj ? ptrmap_get(&t->labels, (void *)(uintptr_t)b->obj) : NULL;
        if (label) json_object_set_new(args, "name", json_string(label));
        const char *fn = trace_fn_name(t, b->fn);
        if (fn) json_object_set_new(args, "function", json_string(fn));
        json_object_set_new(x, "args", args);
        json_array_append_new(out, x);
    }
}

/* The time of the event with sequence number seq (or the last before it). */
static uint64_t time_of_seq(const Trace *t, uint64_t seq) {
    uint64_t best = 0;
    for (size_t i = 0; i < t->nevents && t->events[i].seq <= seq; i++) best = ns_of(t, t->events[i].ts);
    return best;
}

/* Each finding of the run: a global instant, red, when it happened. */
static void findings_marks(const Trace *t, const Findings *fs, json_t *out) {
    for (int i = 0; fs && i < fs->v.len; i++) {
        const Finding *f = &fs->v.data[i];
        if (!f->rule || !f->rule->enabled || !f->properties) continue;
        json_t *p = json_loads(f->properties, 0, NULL);
        json_t *seq = json_object_get(json_object_get(p, "threadvet"), "sequence");
        bool dl = !strcmp(f->rule->id, "deadlock");
        uint64_t ts = dl ? t->hdr->end_ns : json_is_integer(seq) ? time_of_seq(t, (uint64_t)json_integer_value(seq)) : 0;
        json_decref(p);
        json_t *x = ev(f->rule->id, "i", t->hdr->pid, 0, ts);
        json_object_set_new(x, "s", json_string("g"));
        json_object_set_new(x, "cname", json_string("terrible"));
        json_t *args = json_object();
        json_object_set_new(args, "message", json_string(f->message));
        if (f->loc.file) json_object_set_new(args, "at", json_string(internf("%s:%u", f->loc.file, f->loc.line)));
        json_object_set_new(x, "args", args);
        json_array_append_new(out, x);
    }
}

/* The thread flows whose two ends are both in the record: id -> 3. */
static void flow_ends(const Trace *t, PtrMap *ends) {
    for (size_t i = 0; i < t->nevents; i++) {
        const tv_event *e = &t->events[i];
        uint64_t id;
        if (e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_START)
            id = 2 * (uint64_t)(e->kind == TV_EV_CREATE ? e->arg : e->thread);
        else if (e->kind == TV_EV_THREAD_END || e->kind == TV_EV_JOIN)
            id = 2 * (uint64_t)(e->kind == TV_EV_JOIN ? e->arg : e->thread) + 1;
        else
            continue;
        bool start = e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_END;
        void **v = ptrmap_slot(ends, (void *)(uintptr_t)(id + 1), true);
        *v = (void *)((uintptr_t)*v | (start ? 1u : 2u));
    }
}

static void one(const Trace *t, json_t *out) {
    uint64_t pid = t->hdr->pid;
    PtrMap ends = {0};
    flow_ends(t, &ends);
    for (uint32_t s = 0; s < t->nthreads; s++) {
        json_t *m = ev("thread_name", "M", pid, s, 0);
        json_t *args = json_object();
        const char *label = ptrmap_get(&t->labels, (void *)(uintptr_t)TRACE_THREAD_KEY(s));
        json_object_set_new(args, "name", json_string(s == 0 && t->threads[s].parent == ~0u ? "main thread"
                                                      : label ? label : internf("thread T%u", s)));
        json_object_set_new(m, "args", args);
        json_array_append_new(out, m);
    }
    /* lock holds: each acquisition paired with the release of the same lock by the same thread */
    for (size_t i = 0; i < t->nevents; i++) {
        const tv_event *e = &t->events[i];
        const char *fn = trace_fn_name(t, e->fn);
        char obj[32];
        snprintf(obj, sizeof obj, "0x%llx", (unsigned long long)e->obj);
        if (e->kind == TV_EV_LOCK || e->kind == TV_EV_WAIT_END) {
            uint64_t end = t->hdr->end_ns, start = ns_of(t, e->ts);
            size_t a = t->thread_first[e->thread], z = t->thread_first[e->thread + 1];
            for (size_t k = a; k < z; k++) {
                const tv_event *u = &t->events[t->by_thread[k]];
                if (u->seq > e->seq && u->obj == e->obj && (u->kind == TV_EV_UNLOCK || u->kind == TV_EV_WAIT_BEGIN)) {
                    end = ns_of(t, u->ts);
                    break;
                }
            }
            const char *label = ptrmap_get(&t->labels, (void *)(uintptr_t)e->obj);
            json_t *x = ev(internf("hold %s", label ? label : obj), "X", pid, e->thread, start);
            json_object_set_new(x, "dur", json_real((double)(end > start ? end - start : 0) / 1000.0));
            json_t *args = json_object();
            json_object_set_new(args, "seq", json_integer((json_int_t)e->seq));
            if (fn) json_object_set_new(args, "function", json_string(fn));
            json_object_set_new(x, "args", args);
            json_array_append_new(out, x);
            continue;
        }
        const char *name = e->kind < TV_EV__COUNT && kind_names[e->kind] ? kind_names[e->kind] : "event";
        json_t *x = ev(name, "i", pid, e->thread, ns_of(t, e->ts));
        json_object_set_new(x, "s", json_string("t"));
        json_t *args = json_object();
        json_object_set_new(args, "seq", json_integer((json_int_t)e->seq));
        if (e->obj) json_object_set_new(args, "object", json_string(obj));
        if (fn) json_object_set_new(args, "function", json_string(fn));
        json_object_set_new(x, "args", args);
        json_array_append_new(out, x);
        /* flows: create -> start, end -> join (each id once: both ends, or
         * neither, when the record dropped one) */
        if (e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_END || e->kind == TV_EV_THREAD_START ||
            e->kind == TV_EV_JOIN) {
            bool start = e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_END;
            uint64_t id = e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_START ? 2 * (uint64_t)(e->kind == TV_EV_CREATE ? e->arg : e->thread)
                                                                                     : 2 * (uint64_t)(e->kind == TV_EV_JOIN ? e->arg : e->thread) + 1;
            if (ptrmap_get(&ends, (void *)(uintptr_t)(id + 1)) != (void *)3) continue;
            json_t *f = ev(e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_START ? "create" : "join", start ? "s" : "f",
                           pid, e->thread, ns_of(t, e->ts));
            json_object_set_new(f, "id", json_integer((json_int_t)(id + 1)));
            json_object_set_new(f, "cat", json_string("thread"));
            if (!start) json_object_set_new(f, "bp", json_string("e"));
            json_array_append_new(out, f);
        }
    }
    ptrmap_free(&ends);
}

bool trace_chrome(Trace **ts, int n, const Findings *fs, const char *path, char **err) {
    json_t *root = json_object(), *evs = json_array();
    for (int i = 0; i < n; i++) {
        one(ts[i], evs);
        chan_flows(ts[i], evs);
        blocked_at_end(ts[i], evs);
    }
    if (n) findings_marks(ts[0], fs, evs); /* their sequence numbers are the first process's */
    json_object_set_new(root, "traceEvents", evs);
    json_object_set_new(root, "displayTimeUnit", json_string("ns"));
    /* what the records held: events, the slots they took (repeats
     * coalesced: runtime/record.h), the events expanded from repeats */
    size_t nev = 0, nslots = 0, nrep = 0;
    for (int i = 0; i < n; i++) nev += ts[i]->nevents, nslots += ts[i]->nslots, nrep += ts[i]->nrepeated;
    json_object_set_new(root, "otherData",
                        json_pack("{s:I,s:I,s:I}", "events", (json_int_t)nev, "recordSlots", (json_int_t)nslots,
                                  "repeatedEvents", (json_int_t)nrep));
    OutFile *o = outfile_open(path, err);
    if (!o) {
        json_decref(root);
        return false;
    }
    if (json_dumpf(root, outfile_stream(o), JSON_COMPACT) != 0) {
        outfile_discard(o);
        json_decref(root);
        *err = xasprintf("cannot write %s", path);
        return false;
    }
    json_decref(root);
    return outfile_commit(o, err);
}
