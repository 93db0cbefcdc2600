/* file.c — the .tvf format: a header that says what the file is and
 * proves the payload whole (length, XXH3-64), then the unit's key, its
 * dependencies and its IR (facts/xfer.c). Nothing is trusted before the
 * header and the checksum agree. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "facts/xfer.h"
#include "threadvet.h"

static const char MAGIC[8] = {'T', 'V', 'F', 'A', 'C', 'T', 'S', '\n'};

/* 64 bytes, in the machine's byte order (x86-64 and arm64 agree). */
typedef struct Header {
    char magic[8];
    uint32_t format;
    uint32_t reserved;
    char version[16];     /* THREADVET_VERSION, NUL-padded */
    uint64_t build;       /* facts_build_id() of the writer (informative) */
    uint64_t length;      /* of the payload */
    uint64_t checksum;    /* XXH3-64 of the payload */
    uint64_t reserved2;
} Header;
_Static_assert(sizeof(Header) == 64, "the header is 64 bytes");

/* ------------------------------------------------------------ identities */

static uint64_t build_id;
static pthread_once_t build_once = PTHREAD_ONCE_INIT;

/* The version, and the executable's content when it can be read: a
 * developer's rebuild keeps the version but may lower differently. */
static void compute_build_id(void) {
    size_t len = 0;
    char *exe = read_file("/proc/self/exe", &len);
    XXH3_state_t *st = XXH3_createState();
    if (!st) fatal("out of memory");
    XXH3_64bits_reset(st);
    XXH3_64bits_update(st, THREADVET_VERSION, sizeof THREADVET_VERSION);
    if (exe) XXH3_64bits_update(st, exe, len);
    build_id = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    free(exe);
}

uint64_t facts_build_id(void) {
    pthread_once(&build_once, compute_build_id);
    return build_id;
}

static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static PtrMap hashes; /* interned path -> malloc'd uint64_t */

uint64_t facts_file_hash(const char *path) {
    path = intern(path);
    pthread_mutex_lock(&hash_lock);
    uint64_t *known = ptrmap_get(&hashes, path);
    pthread_mutex_unlock(&hash_lock);
    if (known) return *known;
    size_t len = 0;
    char *text = read_file(path, &len);
    uint64_t h = text ? XXH3_64bits(text, len) | 1 : 0; /* 0 only for "unreadable" */
    free(text);
    uint64_t *v = xmalloc(sizeof *v);
    *v = h;
    pthread_mutex_lock(&hash_lock);
    void **slot = ptrmap_slot(&hashes, path, true);
    if (*slot) free(*slot);
    *slot = v;
    pthread_mutex_unlock(&hash_lock);
    return h;
}

void facts_forget_file_hashes(void) {
    pthread_mutex_lock(&hash_lock);
    for (size_t i = 0; i < hashes.cap; i++)
        if (hashes.keys && hashes.keys[i]) free(hashes.vals[i]);
    ptrmap_free(&hashes);
    pthread_mutex_unlock(&hash_lock);
}

static void hash_str(XXH3_state_t *st, const char *s) { XXH3_64bits_update(st, s, strlen(s) + 1); }

uint64_t facts_unit_key(const Job *job, uint64_t models_hash) {
    XXH3_state_t *st = XXH3_createState();
    if (!st) fatal("out of memory");
    XXH3_64bits_reset(st);
    uint64_t fixed[3] = {FACTS_FORMAT_VERSION, facts_build_id(), models_hash};
    XXH3_64bits_update(st, fixed, sizeof fixed);
    hash_str(st, job->file);
    hash_str(st, job->directory);
    for (int i = 0; i < job->nargs; i++) hash_str(st, job->args[i]);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

/* ---------------------------------------------------------------- writing */

/* The main file and every header, each once, with their content's hash. */
static void xf_deps(Xfer *x, FactsDep **deps, int *n) {
    xf_int(x, n);
    if (!x->writing && (*n < 0 || (size_t)*n > x->len - x->pos)) x->bad = true, *n = 0;
    if (!x->writing) *deps = arena_alloc(x->arena, sizeof(FactsDep) * ((size_t)*n + 1));
    for (int i = 0; i < *n && !x->bad; i++) xf_str(x, &(*deps)[i].path), xf_u64(x, &(*deps)[i].hash);
}

static FactsDep *deps_of(const TuFacts *tu, int *n) {
    FactsDep *d = xmalloc(sizeof(FactsDep) * ((size_t)tu->nincludes + 1));
    PtrMap seen = {0};
    *n = 0;
    for (int i = -1; i < tu->nincludes; i++) {
        const char *p = i < 0 ? tu->file : tu->includes[i];
        void **slot = ptrmap_slot(&seen, p, true);
        if (*slot) continue;
        *slot = (void *)1;
        d[(*n)++] = (FactsDep){p, facts_file_hash(p)};
    }
    ptrmap_free(&seen);
    return d;
}

char *facts_serialize(uint64_t key, TuFacts *tu, size_t *len) {
    Xfer x = {.writing = true};
    x.len = sizeof(Header);
    x.cap = 1 << 16;
    x.buf = xcalloc(1, x.cap);
    int ndeps;
    FactsDep *deps = deps_of(tu, &ndeps);
    xf_u64(&x, &key);
    xf_deps(&x, &deps, &ndeps);
    xf_tu(&x, tu);
    Header h = {.format = FACTS_FORMAT_VERSION, .build = facts_build_id(), .length = x.len - sizeof h};
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    strncpy(h.version, THREADVET_VERSION, sizeof h.version - 1);
    h.checksum = XXH3_64bits(x.buf + sizeof h, h.length);
    tu->digest = h.checksum;
    memcpy(x.buf, &h, sizeof h);
    ptrmap_free(&x.seen);
    free(deps);
    *len = x.len;
    return x.buf;
}

bool facts_write(const char *path, uint64_t key, TuFacts *tu, char **err) {
    size_t len;
    char *buf = facts_serialize(key, tu, &len);
    OutFile *o = outfile_open(path, err);
    bool ok = o && fwrite(buf, 1, len, outfile_stream(o)) == len;
    if (o && !ok) {
        outfile_discard(o);
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
    } else if (o) {
        ok = outfile_commit(o, err);
    }
    free(buf);
    return ok;
}

/* ---------------------------------------------------------------- reading */

/* What is wrong with the header, or NULL. */
static char *check_header(const char *name, const Header *h, size_t len) {
    if (len < sizeof *h || memcmp(h->magic, MAGIC, sizeof MAGIC))
        return xasprintf("%s: not a threadvet facts file", name);
    char version[sizeof h->version] = {0}; /* NUL-padded: every byte compared */
    strncpy(version, THREADVET_VERSION, sizeof version - 1);
    if (h->format != FACTS_FORMAT_VERSION || memcmp(h->version, version, sizeof version))
        return xasprintf("%s: facts of format %u from threadvet %.16s; this is format %d, threadvet %s", name,
                         h->format, h->version, FACTS_FORMAT_VERSION, THREADVET_VERSION);
    if (h->reserved || h->reserved2)
        return xasprintf("%s: facts of an unknown layout (reserved header fields are set)", name);
    if (h->length != len - sizeof *h)
        return xasprintf("%s: truncated or extended (%zu bytes of payload, the header says %llu)", name,
                         len - sizeof *h, (unsigned long long)h->length);
    if (XXH3_64bits((const char *)h + sizeof *h, h->length) != h->checksum)
        return xasprintf("%s: checksum mismatch (the file is damaged)", name);
    return NULL;
}

UnitFacts *facts_parse(const char *name, const char *buf, size_t len, const ModelSet *ms, char **err) {
    Header h = {0};
    memcpy(&h, buf, len < sizeof h ? len : sizeof h);
    if (len >= sizeof h && (*err = check_header(name, (const Header *)buf, len))) return NULL;
    if (len < sizeof h) return *err = xasprintf("%s: not a threadvet facts file (%zu bytes)", name, len), NULL;
    TuFacts *tu = xcalloc(1, sizeof *tu);
    tu->arena = arena_new();
    UnitFacts *uf = arena_alloc(tu->arena, sizeof *uf);
    Xfer x = {.buf = (char *)buf, .len = len, .pos = sizeof h, .arena = tu->arena, .models = ms};
    xf_u64(&x, &uf->key);
    xf_deps(&x, &uf->deps, &uf->ndeps);
    xf_tu(&x, tu);
    free(x.strings.data);
    if (x.bad || x.pos != len || !tu->file) {
        *err = xasprintf("%s: inconsistent content at byte %zu", name, x.pos);
        facts_free_tu(tu);
        return NULL;
    }
    uf->tu = tu;
    tu->digest = h.checksum;
    return uf;
}

/* Facts files are small; past this, something else was named. */
enum { FACTS_MAX_BYTES = 1 << 30 };

UnitFacts *facts_read(const char *path, const ModelSet *ms, char **err) {
    size_t len = 0;
    char *buf = read_file_max(path, FACTS_MAX_BYTES, &len);
    if (!buf) return *err = xasprintf("%s: %s", path, strerror(errno)), NULL;
    UnitFacts *uf = facts_parse(path, buf, len, ms, err);
    free(buf);
    return uf;
}

void facts_free_tu(TuFacts *tu) {
    if (!tu) return;
    for (int d = 0; d < tu->ndiags; d++) free(tu->diags[d].text);
    free(tu->diags);
    arena_free(tu->arena);
    free(tu);
}

bool facts_fresh(const UnitFacts *uf) {
    for (int i = 0; i < uf->ndeps; i++)
        if (facts_file_hash(uf->deps[i].path) != uf->deps[i].hash) return false;
    return true;
}
