/* identity.c — one identity scheme for every finding.
 *
 * A finding's identity is the rule and the functions and objects involved,
 * named as a run of the program could name them too (the runtime sees
 * function names and object kinds, never our path keys or the checkout's
 * location): `thread-leak|fn:spawn|start:worker`, `lock-order-inversion|
 * lock:global:a|lock:global:b`. No line numbers, so editing code above a
 * finding does not change it; SARIF hashes it (with the file) into the
 * `threadvet/v1` fingerprint, deduplication and baselines compare it. */
#include <stdlib.h>
#include <string.h>

#include "analyses/framework.h"

/* `name!tag` (a static's file tag) or `struct x.f!/path/file.c` (a private
 * struct's file): the part before the `!`. */
static const char *untagged(const char *s) {
    const char *bang = strchr(s, '!');
    return bang ? intern_n(s, (size_t)(bang - s)) : s;
}

/* The root of a key without its `@`, file tag or shadowing count. */
static const char *root_name(const char *key) {
    const char *p = key[0] == '@' ? key + 1 : key;
    size_t n = strcspn(p, "!#.*[");
    return intern_n(p, n);
}

const char *id_object(const Function *fn, Path p) {
    if (!p.key) return "?";
    if (p.cls && p.cls[0] != '@' && strchr(p.cls, '.')) return internf("field:%s", untagged(p.cls));
    if (p.key[0] == '@' && p.key[1] == '^') return internf("field:%s", untagged(p.key + 2));
    if (path_is_global(p.key)) {
        const char *rest = p.key + 1 + strcspn(p.key + 1, ".*[");
        return internf("global:%s%s", root_name(p.key), untagged(rest));
    }
    int n = path_param_index(p.key);
    const char *fname = fn ? fn->name : "?";
    if (n >= 0) return internf("param:%s.%d%s", fname, n, path_root_end(p.key));
    return internf("local:%s.%s%s", fname, root_name(p.key), path_root_end(p.key));
}

const char *id_function(const Function *fn) { return fn ? internf("fn:%s", fn->name) : "fn:?"; }

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

const char *finding_identity(const char *rule, const char *const *parts, int n, bool unordered) {
    const char *sorted[16];
    if (n > 16) n = 16;
    memcpy(sorted, parts, sizeof(char *) * (size_t)n);
    if (unordered && n > 1) qsort(sorted, (size_t)n, sizeof(char *), by_text);
    char buf[2048];
    size_t o = (size_t)snprintf(buf, sizeof buf, "%s", rule);
    for (int i = 0; i < n && o < sizeof buf; i++) o += (size_t)snprintf(buf + o, sizeof buf - o, "|%s", sorted[i]);
    return intern(buf);
}
