/* cache.c — the facts cache: one entry per unit, DIR/<key>.tvf, where the
 * key is the unit's file, working directory, flags, the models and the
 * threadvet build. An entry is used only when its header and checksum hold
 * and every file it was made from (the main file, every header) still has
 * the content it had; anything else is parsed again and the entry
 * rewritten. Entries are written to a temporary file and renamed, so runs
 * sharing a cache never see half an entry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts/facts.h"

struct FactsCache {
    char *dir;
    const ModelSet *models;
    uint64_t models_hash;
};

/* mkdir -p */
static bool make_dirs(const char *dir) {
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) return free(p), false;
        *s = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    free(p);
    struct stat st;
    if (ok && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) return errno = ENOTDIR, false;
    return ok;
}

FactsCache *facts_cache_open(const char *dir, const ModelSet *ms, char **err) {
    char *abs = path_absolute(dir, NULL);
    if (!make_dirs(abs) || access(abs, W_OK) != 0) {
        *err = xasprintf("cache directory %s: %s", dir, strerror(errno));
        free(abs);
        return NULL;
    }
    FactsCache *c = xcalloc(1, sizeof *c);
    c->dir = abs, c->models = ms, c->models_hash = models_hash(ms);
    return c;
}

const char *facts_cache_dir(const FactsCache *c) { return c->dir; }

void facts_cache_close(FactsCache *c) {
    if (!c) return;
    free(c->dir);
    free(c);
}

static char *entry_path(const FactsCache *c, uint64_t key) {
    return xasprintf("%s/%016llx.tvf", c->dir, (unsigned long long)key);
}

TuFacts *facts_cache_get(FactsCache *c, const Job *job, bool verbose) {
    uint64_t key = facts_unit_key(job, c->models_hash);
    char *path = entry_path(c, key);
    if (access(path, F_OK) != 0) {
        if (verbose) fprintf(stderr, "threadvet: cache: %s: not cached\n", job->file);
        free(path);
        return NULL;
    }
    char *err = NULL;
    UnitFacts *uf = facts_read(path, c->models, &err);
    if (!uf || uf->key != key || strcmp(uf->tu->file, job->file)) {
        /* damaged, foreign or of another unit: never trusted, replaced */
        fprintf(stderr, "threadvet: note: cache entry discarded and rebuilt: %s\n",
                err ? err : "it belongs to another unit");
        unlink(path);
        free(err), free(path);
        return NULL;
    }
    free(path);
    if (!facts_fresh(uf)) {
        if (verbose) fprintf(stderr, "threadvet: cache: %s: changed\n", job->file);
        facts_free_tu(uf->tu); /* uf lives in its arena */
        return NULL;
    }
    if (verbose) fprintf(stderr, "threadvet: cache: %s: up to date\n", job->file);
    return uf->tu;
}

void facts_cache_put(FactsCache *c, const Job *job, TuFacts *tu) {
    if (!tu || tu->failed) return; /* no AST: nothing worth keeping, and it may be transient */
    uint64_t key = facts_unit_key(job, c->models_hash);
    char *path = entry_path(c, key), *err = NULL;
    if (!facts_write(path, key, tu, &err)) { /* a cache that cannot be written costs speed, not results */
        fprintf(stderr, "threadvet: warning: %s\n", err);
        free(err);
    }
    free(path);
}

char *facts_default_cache_dir(const char *compdb) {
    if (compdb) {
        const char *slash = strrchr(compdb, '/');
        char *dir = slash ? xasprintf("%.*s", (int)(slash - compdb), compdb) : xstrdup(".");
        char *out = xasprintf("%s/.threadvet-cache", *dir ? dir : "/");
        free(dir);
        return out;
    }
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/') return xasprintf("%s/threadvet", xdg);
    if (home && *home) return xasprintf("%s/.cache/threadvet", home);
    return xasprintf("/tmp/threadvet-cache-%d", (int)getuid());
}

FactsCache *facts_cache_open_for(const char *named_dir, const char *compdb, const ModelSet *ms, char **err) {
    char *dir = named_dir ? xstrdup(named_dir) : facts_default_cache_dir(compdb);
    FactsCache *c = facts_cache_open(dir, ms, err);
    free(dir);
    return c;
}
