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

/* Decimal digits of v into out (room for 24), without printf. */
static int put_unsigned(char *out, unsigned long long v) {
    char rev[24];
    int n = 0;
    do rev[n++] = (char)('0' + v % 10), v /= 10;
    while (v);
    for (int i = 0; i < n; i++) out[i] = rev[n - 1 - i];
    return n;
}

static int put_signed(char *out, long long v) {
    if (v >= 0) return put_unsigned(out, (unsigned long long)v);
    out[0] = '-';
    return 1 + put_unsigned(out + 1, 0ull - (unsigned long long)v);
}

/* The conversions the analyses' names use, formatted by hand into buf:
 * vsnprintf costs about a microsecond a call, and names are made on every
 * path. -1 when fmt has another conversion, or the text does not fit. */
static int format_simple(char *buf, size_t size, const char *fmt, va_list ap) {
    size_t o = 0;
    for (const char *f = fmt; *f; f++) {
        char num[24];
        const char *piece = num;
        size_t n;
        if (*f != '%') {
            if (o + 1 >= size) return -1;
            buf[o++] = *f;
            continue;
        }
        f++;
        if (*f == 's') {
            piece = va_arg(ap, const char *);
            if (!piece) piece = "(null)"; /* as glibc prints it */
            n = strlen(piece);
        } else if (f[0] == '.' && f[1] == '*' && f[2] == 's') {
            int prec = va_arg(ap, int);
            piece = va_arg(ap, const char *), f += 2;
            if (!piece || prec < 0) return -1; /* printf's own rules */
            n = strnlen(piece, (size_t)prec);
        } else if (*f == 'd') {
            n = (size_t)put_signed(num, va_arg(ap, int));
        } else if (*f == 'u') {
            n = (size_t)put_unsigned(num, va_arg(ap, unsigned));
        } else if (*f == 'c') {
            num[0] = (char)va_arg(ap, int), n = 1;
        } else if (*f == '%') {
            num[0] = '%', n = 1;
        } else {
            return -1;
        }
        if (o + n >= size) return -1;
        memcpy(buf + o, piece, n), o += n;
    }
    buf[o] = 0;
    return (int)o;
}

const char *internf(const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = format_simple(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0) return intern_n(small, (size_t)n);
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
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
