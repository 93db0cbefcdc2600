/* record.c — opening a run record and checking it from end to end. */
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static Trace *fail(Trace *t, char **err, const char *why) {
    *err = xasprintf("%s: not a usable run record: %s", t->path, why);
    trace_close(t);
    return NULL;
}

/* [off, off + n * size) lies in the file. */
static bool area_ok(const Trace *t, uint64_t off, uint64_t n, uint64_t size) {
    if (off > t->size || !size) return false;
    if (n && (t->size - off) / size < n) return false;
    return off % 8 == 0;
}

/* The run's order: by logical clock, then thread (clocks of different
 * threads may be equal; a thread's never are), then what is left (a
 * damaged record), so that one record always gives one order. */
static int by_seq(const void *a, const void *b) {
    const tv_event *x = a, *y = b;
    if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
    if (x->thread != y->thread) return x->thread < y->thread ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return x->obj < y->obj ? -1 : x->obj > y->obj;
}

/* The events a chunk's slots stand for: a repeat slot its count (record.h),
 * at most the chunk's capacity in all. */
static size_t chunk_expanded(const tv_header *h, const tv_chunk *c) {
    uint32_t cnt = c->count < h->chunk_events ? c->count : h->chunk_events;
    const tv_event *ev = (const tv_event *)(c + 1);
    size_t n = 0;
    for (uint32_t k = 0; k < cnt && n < h->chunk_events; k++)
        n += ev[k].kind == TV_EV_REPEAT ? (ev[k].arg < h->chunk_events ? (size_t)ev[k].arg : h->chunk_events) : 1;
    return n < h->chunk_events ? n : h->chunk_events;
}

static bool load_events(Trace *t) {
    const tv_header *h = t->hdr;
    uint32_t nch = h->chunks_used < h->chunks_cap ? h->chunks_used : h->chunks_cap;
    size_t cap = 0;
    for (uint32_t i = 0; i < nch; i++) {
        const tv_chunk *c = (const tv_chunk *)(t->map + h->chunks_off + (size_t)i * h->chunk_size);
        if (!c->owner) continue;
        cap += chunk_expanded(h, c);
    }
    t->events = xcalloc(cap ? cap : 1, sizeof(tv_event));
    size_t n = 0;
    for (uint32_t i = 0; i < nch; i++) {
        const tv_chunk *c = (const tv_chunk *)(t->map + h->chunks_off + (size_t)i * h->chunk_size);
        if (!c->owner || c->owner > t->nthreads) continue;
        uint32_t cnt = c->count < h->chunk_events ? c->count : h->chunk_events;
        size_t room = chunk_expanded(h, c), base = n;
        /* a slot skipped: the repeats after it would copy the wrong events */
        bool broken = false;
        const tv_event *ev = (const tv_event *)(c + 1);
        for (uint32_t k = 0; k < cnt && n - base < room; k++) {
            tv_event e = ev[k];
            t->nslots++;
            /* incomplete (seq 0), or not what it claims */
            if (!e.seq || e.kind == TV_EV_NONE || e.kind >= TV_EV__COUNT || e.thread != c->owner - 1) {
                broken = true;
                continue;
            }
            if (e.kind != TV_EV_REPEAT) {
                t->events[n++] = e;
                continue;
            }
            /* a repeat: each event a copy of the one `period` before it in
             * this chunk, its clock the one before it's plus 1 */
            uint32_t period = e.flags;
            if (broken || !period || period > TV_REPEAT_MAX || n - base < period || t->events[n - 1].seq + 1 != e.seq) {
                broken = true;
                continue;
            }
            for (uint64_t j = 0; j < e.arg && n - base < room; j++, n++, t->nrepeated++) {
                t->events[n] = t->events[n - period];
                t->events[n].seq = t->events[n - 1].seq + 1;
                t->events[n].ts = 0;
            }
        }
    }
    qsort(t->events, n, sizeof *t->events, by_seq);
    t->nevents = n;
    /* grouped by thread (a counting sort keeps each group in seq order) */
    t->thread_first = xcalloc((size_t)t->nthreads + 2, sizeof(size_t));
    for (size_t i = 0; i < n; i++) t->thread_first[t->events[i].thread + 1]++;
    for (uint32_t k = 0; k < t->nthreads; k++) t->thread_first[k + 1] += t->thread_first[k];
    t->by_thread = xcalloc(n ? n : 1, sizeof(size_t));
    size_t *fill = xcalloc((size_t)t->nthreads + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        uint32_t th = t->events[i].thread;
        t->by_thread[t->thread_first[th] + fill[th]++] = i;
    }
    free(fill);
    return true;
}

/* Events without a time of their own (the default: no clock is read per
 * event) are placed between the clock samples around their logical clock:
 * a sample (floor, ticks) says an event whose clock is at least floor
 * happened after ticks. The events between two samples are spread evenly
 * in their order over the time between them. Samples out of order (a
 * crash while the area was being halved) are skipped. */
static void place_events(Trace *t) {
    const tv_header *h = t->hdr;
    if (h->event_clock || !area_ok(t, h->samples_off, h->samples_cap, sizeof(tv_sample))) return;
    const tv_sample *raw = (const tv_sample *)(t->map + h->samples_off);
    uint32_t n = h->samples_used < h->samples_cap ? h->samples_used : h->samples_cap;
    tv_sample *s = xcalloc((size_t)n + 2, sizeof *s);
    uint32_t k = 0;
    s[k++] = (tv_sample){0, 0};
    for (uint32_t i = 0; i < n; i++)
        if (raw[i].seq >= s[k - 1].seq && raw[i].ticks >= s[k - 1].ticks) s[k++] = raw[i];
    if (h->end_ticks >= s[k - 1].ticks && h->end_seq >= s[k - 1].seq) s[k++] = (tv_sample){h->end_seq, h->end_ticks};
    size_t i = 0;
    for (uint32_t lo = 0; lo < k && i < t->nevents; lo++) {
        size_t first = i; /* the events from this sample to the next */
        while (i < t->nevents && (lo + 1 >= k || t->events[i].seq < s[lo + 1].seq)) i++;
        uint64_t span = lo + 1 < k ? s[lo + 1].ticks - s[lo].ticks : 0;
        for (size_t j = first; j < i; j++)
            t->events[j].ts = s[lo].ticks + (uint64_t)((double)span * (double)(j - first + 1) / (double)(i - first + 1));
    }
    free(s);
}

Trace *trace_open(const char *path, char **err) {
    Trace *t = xcalloc(1, sizeof *t);
    t->path = intern(path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(t, err, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(t, err, "not a regular file");
    }
    t->size = (size_t)st.st_size;
    if (t->size < sizeof(tv_header)) {
        close(fd);
        return fail(t, err, "too short (the program ended before its runtime started)");
    }
    void *m = mmap(NULL, t->size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return fail(t, err, strerror(errno));
    t->map = m;
    const tv_header *h = t->hdr = m;
    if (memcmp(h->magic, TV_MAGIC, 8)) return fail(t, err, "no threadvet record header");
    if (h->version != TV_VERSION) return fail(t, err, "written by another version of the runtime");
    if (h->sizeof_event != sizeof(tv_event) || h->sizeof_thread != sizeof(tv_thread) ||
        h->sizeof_object != sizeof(tv_object) || h->sizeof_stack != sizeof(tv_stack) ||
        h->sizeof_module != sizeof(tv_module) || h->sizeof_report != sizeof(tv_report))
        return fail(t, err, "its layout differs from this threadvet's");
    if (!area_ok(t, h->modules_off, h->modules_cap, sizeof(tv_module)) ||
        !area_ok(t, h->threads_off, h->threads_cap, sizeof(tv_thread)) ||
        !area_ok(t, h->objects_off, h->objects_cap, sizeof(tv_object)) ||
        !area_ok(t, h->stacks_off, h->stacks_cap, sizeof(tv_stack)) ||
        !area_ok(t, h->reports_off, h->reports_cap, sizeof(tv_report)) ||
        h->chunk_size < sizeof(tv_chunk) + (uint64_t)h->chunk_events * sizeof(tv_event) ||
        !area_ok(t, h->chunks_off, h->chunks_cap, h->chunk_size) || h->fn_names_len > sizeof h->fn_names)
        return fail(t, err, "its areas do not fit in it");
    t->modules = (const tv_module *)(t->map + h->modules_off);
    t->nmodules = h->modules_used < h->modules_cap ? h->modules_used : h->modules_cap;
    t->threads = (const tv_thread *)(t->map + h->threads_off);
    t->nthreads = h->threads_used < h->threads_cap ? h->threads_used : h->threads_cap;
    t->objects = (const tv_object *)(t->map + h->objects_off);
    t->nobjects_cap = h->objects_cap;
    t->reports = (const tv_report *)(t->map + h->reports_off);
    t->nreports = h->reports_used < h->reports_cap ? h->reports_used : h->reports_cap;
    /* the wrapped functions' names */
    t->fn_names_buf = xmalloc(h->fn_names_len + 1);
    memcpy(t->fn_names_buf, h->fn_names, h->fn_names_len);
    t->fn_names_buf[h->fn_names_len] = 0;
    t->fn_names = xcalloc(h->fn_names_len + 1, sizeof(char *));
    for (uint32_t o = 0; o < h->fn_names_len;) {
        const char *s = t->fn_names_buf + o;
        t->fn_names[t->nfn++] = s;
        o += (uint32_t)strlen(s) + 1;
    }
    load_events(t);
    place_events(t);
    for (uint32_t i = 0; i < t->nobjects_cap; i++)
        if (t->objects[i].key && t->objects[i].addr)
            *ptrmap_slot(&t->object_index, (void *)(uintptr_t)TV_OBJECT_KEY(t->objects[i].addr, t->objects[i].kind), true) =
                (void *)&t->objects[i];
    for (size_t i = 0; i < t->nevents; i++) {
        const tv_event *e = &t->events[i];
        if (!e->obj || !e->stack) continue;
        void **slot = ptrmap_slot(&t->first_use, (void *)(uintptr_t)e->obj, true);
        if (!*slot) *slot = (void *)e;
    }
    return t;
}

void trace_close(Trace *t) {
    if (!t) return;
    if (t->map) munmap(t->map, t->size);
    free(t->events);
    free(t->by_thread);
    free(t->thread_first);
    free(t->fn_names);
    free(t->fn_names_buf);
    ptrmap_free(&t->object_index);
    ptrmap_free(&t->first_use);
    ptrmap_free(&t->labels);
    free(t);
}

const tv_stack *trace_stack(const Trace *t, uint32_t id) {
    if (!id || id > t->hdr->stacks_cap) return NULL;
    const tv_stack *s = (const tv_stack *)(t->map + t->hdr->stacks_off) + (id - 1);
    if (s->state != 2 || !s->n || s->n > TV_MAX_FRAMES) return NULL;
    return s;
}

const tv_thread *trace_thread(const Trace *t, uint32_t slot) { return slot < t->nthreads ? &t->threads[slot] : NULL; }

const tv_object *trace_object(const Trace *t, uint64_t addr, uint32_t kind) {
    return addr ? ptrmap_get(&t->object_index, (void *)(uintptr_t)TV_OBJECT_KEY(addr, kind)) : NULL;
}

const tv_module *trace_module(const Trace *t, uint64_t pc) {
    for (uint32_t i = 0; i < t->nmodules; i++)
        if (pc >= t->modules[i].lo && pc < t->modules[i].hi && t->modules[i].path[0]) return &t->modules[i];
    return NULL;
}

const char *trace_fn_name(const Trace *t, uint32_t fn) { return fn < (uint32_t)t->nfn ? t->fn_names[fn] : NULL; }
