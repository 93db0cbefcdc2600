/* chrome.c — the run as Chrome trace-event JSON (Perfetto and
 * chrome://tracing open it): a track per thread, lock holds as spans, the
 * other operations as instants, creations and joins as flow arrows. */
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

static void one(const Trace *t, json_t *out) {
    uint64_t pid = t->hdr->pid;
    for (uint32_t s = 0; s < t->nthreads; s++) {
        json_t *m = ev("thread_name", "M", pid, s, 0);
        json_t *args = json_object();
        json_object_set_new(args, "name", json_string(s == 0 && t->threads[s].parent == ~0u ? "main thread"
                                                                                            : internf("thread T%u", s)));
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
            json_t *x = ev(internf("hold %s", obj), "X", pid, e->thread, start);
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
        /* flows: create -> start, end -> join */
        if (e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_END || e->kind == TV_EV_THREAD_START ||
            e->kind == TV_EV_JOIN) {
            bool start = e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_END;
            uint64_t id = e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_START ? 2 * (uint64_t)(e->kind == TV_EV_CREATE ? e->arg : e->thread)
                                                                                     : 2 * (uint64_t)(e->kind == TV_EV_JOIN ? e->arg : e->thread) + 1;
            json_t *f = ev(e->kind == TV_EV_CREATE || e->kind == TV_EV_THREAD_START ? "create" : "join", start ? "s" : "f",
                           pid, e->thread, ns_of(t, e->ts));
            json_object_set_new(f, "id", json_integer((json_int_t)(id + 1)));
            json_object_set_new(f, "cat", json_string("thread"));
            if (!start) json_object_set_new(f, "bp", json_string("e"));
            json_array_append_new(out, f);
        }
    }
}

bool trace_chrome(Trace **ts, int n, const char *path, char **err) {
    json_t *root = json_object(), *evs = json_array();
    for (int i = 0; i < n; i++) one(ts[i], evs);
    json_object_set_new(root, "traceEvents", evs);
    json_object_set_new(root, "displayTimeUnit", json_string("ns"));
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
