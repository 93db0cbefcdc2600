/* results.c — the whole program's findings, cached (results.h).
 *
 * A .tvr file is a header (magic, format, the key it answers, the
 * payload's length and XXH3-64) and the findings and notifications,
 * written with facts/xfer.c's primitives. Anything that does not check
 * out is ignored and the analysis runs: a results file is never trusted
 * more than the analysis it saves. The directory keeps the newest few. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "facts/results.h"
#include "facts/xfer.h"
#include "threadvet.h"

enum { RESULTS_FORMAT = 1, RESULTS_KEPT = 8 };
static const char MAGIC[8] = {'T', 'V', 'R', 'E', 'S', 'L', 'T', '\n'};

typedef struct Header {
    char magic[8];
    uint32_t format, reserved;
    uint64_t key, length, checksum;
} Header;

/* ------------------------------------------------------------------ key */

static void hash_str(XXH3_state_t *st, const char *s) { XXH3_64bits_update(st, s ? s : "", s ? strlen(s) + 1 : 1); }

static void hash_u64(XXH3_state_t *st, uint64_t v) { XXH3_64bits_update(st, &v, sizeof v); }

uint64_t results_key(TuFacts *const *tus, int ntus, const AnalysisOptions *ao, bool whole_program) {
    if (ao->dump_summaries || getenv("THREADVET_DEBUG_FIXPOINT")) return 0;
    for (int i = 0; i < ntus; i++)
        if (!tus[i] || !tus[i]->digest) return 0;
    XXH3_state_t *st = XXH3_createState();
    if (!st) fatal("out of memory");
    XXH3_64bits_reset(st);
    hash_u64(st, RESULTS_FORMAT), hash_u64(st, FACTS_FORMAT_VERSION), hash_u64(st, facts_build_id());
    hash_u64(st, models_hash(ao->models)); /* also in every unit's digest; a run with no units has only this */
    hash_u64(st, (uint64_t)whole_program << 2 | (uint64_t)ao->race_mode_flags << 1 | ao->race_shared_code);
    hash_str(st, getenv("THREADVET_ENGINE_BUDGET"));
    for (int i = 0; i < ao->catalog->nrules; i++) {
        const Rule *r = &ao->catalog->rules[i];
        hash_str(st, r->id);
        hash_u64(st, (uint64_t)r->enabled << 1 | r->check_opt_in);
    }
    hash_u64(st, (uint64_t)ntus);
    for (int i = 0; i < ntus; i++) hash_u64(st, tus[i]->digest);
    uint64_t key = XXH3_64bits_digest(st) | 1;
    XXH3_freeState(st);
    return key;
}

/* ------------------------------------------------------- the transfer */

static void *array(Xfer *x, void *p, int n, size_t size) { return x->writing ? p : xcalloc((size_t)n + 1, size); }

/* A malloc'd string (messages): written as any string, read back owned. */
static void xf_owned(Xfer *x, char **s) {
    const char *t = *s;
    xf_str(x, &t);
    if (!x->writing) *s = t ? xstrdup(t) : NULL;
}

static void xf_finding(Xfer *x, Finding *f, const Catalog *cat) {
    const char *rule = f->rule ? f->rule->id : NULL;
    xf_str(x, &rule);
    if (!x->writing && !(f->rule = rule ? catalog_find(cat, rule) : NULL)) x->bad = true; /* a rule this build lacks */
    xf_loc(x, &f->loc);
    xf_owned(x, &f->message);
    f->nrelated = xf_count(x, f->nrelated);
    f->related = array(x, f->related, f->nrelated, sizeof *f->related);
    for (int i = 0; i < f->nrelated && !x->bad; i++) xf_loc(x, &f->related[i].loc), xf_str(x, &f->related[i].msg);
    f->nflows = xf_count(x, f->nflows);
    f->flows = array(x, f->flows, f->nflows, sizeof *f->flows);
    int nsteps = 0;
    for (int i = 0; i < f->nflows && !x->bad; i++) {
        Flow *fl = &f->flows[i];
        xf_str(x, &fl->name);
        fl->nsteps = xf_count(x, fl->nsteps);
        fl->steps = array(x, fl->steps, fl->nsteps, sizeof *fl->steps);
        for (int k = 0; k < fl->nsteps && !x->bad; k++)
            xf_loc(x, &fl->steps[k].loc), xf_str(x, &fl->steps[k].msg), xf_int(x, &fl->steps[k].depth);
        nsteps += fl->nsteps;
    }
    xf_str(x, &f->identity);
    xf_int(x, &f->repeats);
    xf_str(x, &f->repeat_msg);
    xf_owned(x, &f->properties);
    bool orders = f->orders != NULL;
    xf_bool(x, &orders);
    if (orders && !x->writing) f->orders = xcalloc((size_t)nsteps + 1, sizeof(int64_t));
    for (int i = 0; orders && i < nsteps && !x->bad; i++) xf_i64(x, &f->orders[i]);
}

static void xf_notification(Xfer *x, Notification *n) {
    xf_loc(x, &n->loc);
    xf_owned(x, &n->text);
    uint8_t level = (uint8_t)n->level;
    xf_u8(x, &level);
    n->level = (Level)level;
}

/* ---------------------------------------------------------------- files */

static char *results_path(const char *dir, uint64_t key) {
    return xasprintf("%s/%016llx.tvr", dir, (unsigned long long)key);
}

bool results_load(const char *dir, uint64_t key, const Catalog *cat, Findings *fs, Notification **notes, int *nnotes) {
    if (!key) return false;
    char *path = results_path(dir, key);
    size_t len = 0;
    char *buf = read_file_max(path, (size_t)1 << 30, &len);
    free(path);
    if (!buf) return false; /* none yet */
    const Header *h = (const Header *)buf;
    const char *why = len < sizeof *h || memcmp(h->magic, MAGIC, sizeof MAGIC) ? "not a threadvet results file"
                      : h->format != RESULTS_FORMAT                             ? "another format"
                      : h->key != key || h->length != len - sizeof *h           ? "truncated or extended"
                      : XXH3_64bits(buf + sizeof *h, h->length) != h->checksum  ? "checksum mismatch (the file is damaged)"
                                                                                : NULL;
    Xfer x = {.buf = buf, .len = len, .pos = sizeof *h, .bad = why != NULL};
    Findings got = {0};
    int nf = xf_count(&x, 0);
    for (int i = 0; i < nf && !x.bad; i++) {
        Finding f = {0};
        xf_finding(&x, &f, cat);
        vec_push(&got.v, f);
    }
    int nn = xf_count(&x, 0);
    Notification *ns = xcalloc((size_t)nn + 1, sizeof *ns);
    for (int i = 0; i < nn && !x.bad; i++) xf_notification(&x, &ns[i]);
    free(x.strings.data), free(buf);
    if (x.bad || x.pos != len) { /* the findings read so far leak: a damaged file is rare and the run short */
        fprintf(stderr, "threadvet: note: cached results discarded and computed again: %016llx.tvr: %s\n",
                (unsigned long long)key, why ? why : "inconsistent content");
        free(ns), free(got.v.data);
        return false;
    }
    for (int i = 0; i < got.v.len; i++) vec_push(&fs->v, got.v.data[i]);
    free(got.v.data);
    *notes = ns, *nnotes = nn;
    return true;
}

typedef struct Entry { struct timespec mtime; char *path; } Entry;

static int newest_first(const void *a, const void *b) {
    const struct timespec *x = &((const Entry *)a)->mtime, *y = &((const Entry *)b)->mtime;
    if (x->tv_sec != y->tv_sec) return x->tv_sec < y->tv_sec ? 1 : -1;
    return x->tv_nsec < y->tv_nsec ? 1 : x->tv_nsec > y->tv_nsec ? -1 : 0;
}

/* Keeps the newest RESULTS_KEPT results: each edit of the program makes
 * one, and only the latest few can match a later run. */
static void prune(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    VEC(Entry) found = {0};
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".tvr")) continue;
        Entry en = {.path = xasprintf("%s/%s", dir, e->d_name)};
        struct stat st;
        if (stat(en.path, &st) != 0) {
            free(en.path);
            continue;
        }
        en.mtime = st.st_mtim;
        vec_push(&found, en);
    }
    closedir(d);
    qsort(found.data, (size_t)found.len, sizeof *found.data, newest_first);
    for (int i = 0; i < found.len; i++) {
        if (i >= RESULTS_KEPT) unlink(found.data[i].path);
        free(found.data[i].path);
    }
    free(found.data);
}

void results_store(const char *dir, uint64_t key, const Findings *fs, const Notification *notes, int nnotes) {
    if (!key) return;
    Xfer x = {.writing = true, .len = sizeof(Header), .cap = 1 << 14};
    x.buf = xcalloc(1, x.cap);
    int nf = xf_count(&x, fs->v.len);
    for (int i = 0; i < nf; i++) xf_finding(&x, &fs->v.data[i], NULL);
    int nn = xf_count(&x, nnotes);
    for (int i = 0; i < nn; i++) xf_notification(&x, (Notification *)&notes[i]);
    Header h = {.format = RESULTS_FORMAT, .key = key, .length = x.len - sizeof h};
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    h.checksum = XXH3_64bits(x.buf + sizeof h, h.length);
    memcpy(x.buf, &h, sizeof h);
    char *path = results_path(dir, key), *err = NULL;
    OutFile *o = outfile_open(path, &err);
    if (o && fwrite(x.buf, 1, x.len, outfile_stream(o)) == x.len) {
        if (!outfile_commit(o, &err)) fprintf(stderr, "threadvet: warning: %s\n", err);
    } else if (o) {
        outfile_discard(o);
    } else {
        fprintf(stderr, "threadvet: warning: %s\n", err);
    }
    free(err), free(path), free(x.buf);
    ptrmap_free(&x.seen);
    prune(dir);
}
