/* path.c — memory-location keys (see Path in threadvet.h).
 * Keys are interned strings, so equality is pointer equality and the
 * analyses can use them directly as hash keys. */
#include "ir/ir.h"

#include <pthread.h>
#include <string.h>

/* Appends suffix to key, folding `[][]` into `[]`: every element of an
 * array of arrays is one weak location for us. */
const char *pathkey_append(const char *key, const char *suffix) {
    size_t n = strlen(key), m = strlen(suffix);
    char buf[512];
    if (n + m + 1 > sizeof buf) return key; /* absurdly deep: stop refining */
    memcpy(buf, key, n);
    if (n >= 2 && key[n - 2] == '[' && key[n - 1] == ']' && strncmp(suffix, "[]", 2) == 0)
        suffix += 2, m -= 2;
    memcpy(buf + n, suffix, m);
    buf[n + m] = 0;
    return intern(buf);
}

/* Key arithmetic runs on every event of every path: a memo per thread
 * (families run side by side) answers repeats without formatting,
 * hashing and locking the string table again. */
static __thread Memo join_memo[1 << MEMO_BITS], root_memo[1 << MEMO_BITS];

const char *pathkey_join(const char *key, const char *suffix) {
    bool hit;
    Memo *m = memo_find(join_memo, key, suffix, &hit);
    if (!hit) memo_fill(m, key, suffix, pathkey_append(key, suffix));
    return m->r;
}

const char *path_root(const char *key) {
    bool hit;
    Memo *m = memo_find(root_memo, key, NULL, &hit);
    if (!hit) {
        const char *end = path_root_end(key);
        memo_fill(m, key, NULL, *end ? intern_n(key, (size_t)(end - key)) : key);
    }
    return m->r;
}

unsigned path_traits(const char *key) {
    static __thread Memo memo[1 << MEMO_BITS];
    bool hit;
    Memo *m = memo_find(memo, key, NULL, &hit);
    if (!hit) {
        unsigned t = (path_is_weak(key) ? PT_WEAK : 0) | (path_is_global(key) ? PT_GLOBAL : 0) |
                     (path_param_index(key) >= 0 ? PT_PARAM : 0) | (!*path_root_end(key) ? PT_ROOT_ONLY : 0) |
                     (strchr(key, '*') ? PT_STAR : 0) | (*path_root_end(key) == '*' ? PT_ROOT_DEREF : 0);
        memo_fill(m, key, NULL, (const void *)(uintptr_t)t);
    }
    return (unsigned)(uintptr_t)m->r;
}

bool path_is_global(const char *key) { return key && key[0] == '@'; }

bool path_is_global_scalar(const char *key) { return path_is_global(key) && !strpbrk(key, "*["); }

bool path_is_frame_local(const char *key) {
    return key && key[0] != '@' && !strchr(key, '*');
}

bool path_is_weak(const char *key) { return key && strstr(key, "[]") != NULL; }

int path_param_index(const char *key) {
    if (!key || key[0] != '$') return -1;
    int n = 0;
    for (const char *p = key + 1; *p >= '0' && *p <= '9'; p++) n = n * 10 + (*p - '0');
    return n;
}

const char *path_root_end(const char *key) {
    const char *p = key;
    while (*p && *p != '.' && *p != '*' && *p != '[') p++;
    return p;
}

/* True when `key` is `prefix` or a location inside it (`prefix.f`, `prefix[]`...). */
bool path_within(const char *key, const char *prefix) {
    size_t n = strlen(prefix);
    return strncmp(key, prefix, n) == 0 && (key[n] == 0 || key[n] == '.' || key[n] == '*' || key[n] == '[');
}

bool rel_holds(RelOp r, int64_t a, int64_t b) {
    switch (r) {
    case REL_EQ: return a == b;
    case REL_NE: return a != b;
    case REL_LT: return a < b;
    case REL_LE: return a <= b;
    case REL_GT: return a > b;
    default: return a >= b;
    }
}

const char *class_key(const char *cls) {
    if (!cls) return NULL;
    static __thread Memo memo[1 << MEMO_BITS]; /* asked per event by identities and releases */
    bool hit;
    Memo *m = memo_find(memo, cls, NULL, &hit);
    if (!hit) memo_fill(m, cls, NULL, internf("@^%s", cls));
    return m->r;
}

const char *class_extend(const char *cls, const char *suffix) {
    const char *mark = strchr(cls, '!');
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%.*s%s%s", mark ? (int)(mark - cls) : (int)strlen(cls), cls, suffix, mark ? mark : "");
    return n > 0 && (size_t)n < sizeof buf ? intern(buf) : NULL;
}

/* Classes extended through a pointer, by the class of the lock itself
 * (`struct op.replyq.q*.lock` -> `struct queue.lock`). Filled by the
 * passes, which run on threads. */
static PtrMap pointed_base;
static pthread_mutex_t pointed_mu = PTHREAD_MUTEX_INITIALIZER;

const char *class_extend_through(const char *holder, const char *suffix, const char *base) {
    const char *cls = class_extend(holder, suffix);
    if (!cls || !base || !strchr(suffix, '*')) return cls;
    base = class_base(base);
    pthread_mutex_lock(&pointed_mu);
    void **slot = ptrmap_slot(&pointed_base, cls, true);
    if (!*slot) *slot = (void *)base;
    pthread_mutex_unlock(&pointed_mu);
    return cls;
}

const char *class_base(const char *cls) {
    if (!cls) return NULL;
    pthread_mutex_lock(&pointed_mu);
    const char *base = ptrmap_get(&pointed_base, cls);
    pthread_mutex_unlock(&pointed_mu);
    return base ? base : cls;
}
