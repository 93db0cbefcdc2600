/* intern.c — a process-wide string table: equal strings share one pointer,
 * so IR from different TUs and threads compares by address. Sharded locks
 * keep the front-end workers from queueing on one mutex. */
#include "util/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define SHARDS 16

/* A slot keeps the string's hash beside it: a probe that meets another
 * string is decided without reading that string (a cache miss each). */
typedef struct Slot { const char *k; uint64_t h; } Slot;

typedef struct Shard {
    pthread_mutex_t mu;
    Slot *slots; size_t cap, used;
    char *pool; size_t pool_left; /* strings are carved from large blocks */
} Shard;

static Shard shards[SHARDS] = {
#define S {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0}
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S
#undef S
};

static const char *store(Shard *s, const char *str, size_t n) {
    if (s->pool_left < n + 1) {
        size_t size = n + 1 > 32768 ? n + 1 : 32768;
        s->pool = xmalloc(size), s->pool_left = size;
    }
    char *p = s->pool;
    memcpy(p, str, n), p[n] = 0;
    s->pool += n + 1, s->pool_left -= n + 1;
    return p;
}

static void grow(Shard *s) {
    size_t cap = s->cap ? s->cap * 2 : 1024;
    Slot *slots = xcalloc(cap, sizeof(*slots));
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].k) continue;
        size_t j = s->slots[i].h / SHARDS & (cap - 1);
        while (slots[j].k) j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots, s->cap = cap;
}

const char *intern_n(const char *str, size_t n) {
    uint64_t h = XXH3_64bits(str, n);
    Shard *s = &shards[h % SHARDS];
    pthread_mutex_lock(&s->mu);
    if ((s->used + 1) * 2 > s->cap) grow(s);
    size_t j = h / SHARDS & (s->cap - 1);
    const char *k;
    for (; (k = s->slots[j].k); j = (j + 1) & (s->cap - 1))
        if (s->slots[j].h == h && strncmp(k, str, n) == 0 && k[n] == 0) goto done;
    k = store(s, str, n);
    s->slots[j] = (Slot){k, h};
    s->used++;
done:
    pthread_mutex_unlock(&s->mu);
    return k;
}

const char *intern(const char *s) { return s ? intern_n(s, strlen(s)) : NULL; }

const char *internf(const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return intern("");
    if ((size_t)n < sizeof small) return intern_n(small, (size_t)n);
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    const char *out = intern_n(big, (size_t)n);
    free(big);
    return out;
}
