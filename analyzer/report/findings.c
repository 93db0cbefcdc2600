/* findings.c — the list of findings the analyses produce: kept in a stable
 * order so that text and SARIF output are the same from run to run, whatever
 * order the analyses (or their threads) found things in. */
#include "report/findings.h"

#include <stdlib.h>
#include <string.h>

void findings_add(Findings *fs, Finding f) {
    vec_push(&fs->v, f);
}

/* NULL sorts first, so findings without a file lead. */
static int cmp_str(const char *a, const char *b) {
    if (a == b) return 0;
    if (!a) return -1;
    if (!b) return 1;
    return strcmp(a, b);
}

static int cmp_u32(uint32_t a, uint32_t b) {
    return (a > b) - (a < b);
}

/* File, line, column, rule, message: the order people read reports in; the
 * end of the range only breaks the remaining ties. */
static int cmp_finding(const Finding *a, const Finding *b) {
    int c = cmp_str(a->loc.file, b->loc.file);
    if (!c) c = cmp_u32(a->loc.line, b->loc.line);
    if (!c) c = cmp_u32(a->loc.col, b->loc.col);
    if (!c) c = cmp_str(a->rule ? a->rule->id : NULL, b->rule ? b->rule->id : NULL);
    if (!c) c = cmp_str(a->message, b->message);
    if (!c) c = cmp_u32(a->loc.end_line, b->loc.end_line);
    if (!c) c = cmp_u32(a->loc.end_col, b->loc.end_col);
    return c;
}

static void finding_free(Finding *f) {
    free(f->message);
    free(f->related);
    for (int i = 0; i < f->nflows; i++) free(f->flows[i].steps);
    free(f->flows);
    free(f->properties);
    free(f->orders);
}

void findings_free(Findings *fs) {
    for (int i = 0; i < fs->v.len; i++) finding_free(&fs->v.data[i]);
    free(fs->v.data);
    fs->v.data = NULL;
    fs->v.len = fs->v.cap = 0;
}

/* qsort is not stable: the arrival index breaks ties so that, of equal
 * findings, the first one added is the one kept. */
typedef struct Ranked { Finding f; int arrival; } Ranked;

static int cmp_ranked(const void *pa, const void *pb) {
    const Ranked *a = pa, *b = pb;
    int c = cmp_finding(&a->f, &b->f);
    return c ? c : (a->arrival > b->arrival) - (a->arrival < b->arrival);
}

/* Sorting by location keeps the output the same from run to run; equal
 * (rule, location, message) is one report found twice (e.g. through two
 * call paths), and the first one found stays with its related locations. */
#define MAX_ALSO 8 /* repeats listed as related locations; the rest counted */

static bool same_loc(Loc a, Loc b) { return a.file == b.file && a.line == b.line && a.col == b.col; }

/* The same finding at another place of the same file — same rule, identity
 * and message, and the same first related location (the cause: where the
 * lock was first taken, where the handle is lost) — is one cause reached
 * many ways (the same self-deadlock through 80 calls of one helper): a
 * related location of the first, not a report of its own. */
static bool merge_repeat(Finding *first, Finding *again) {
    if (!first->identity || first->identity != again->identity || first->rule != again->rule ||
        first->loc.file != again->loc.file || strcmp(first->message, again->message))
        return false;
    if (first->nrelated == 0 || again->nrelated == 0 || !same_loc(first->related[0].loc, again->related[0].loc))
        return false;
    int also = 0;
    for (int i = 0; i < first->nrelated; i++) also += first->related[i].msg == first->repeat_msg;
    if (also < MAX_ALSO) {
        if (!first->repeat_msg) first->repeat_msg = "the same happens here";
        first->related = xrealloc(first->related, sizeof(Related) * (first->nrelated + 1));
        first->related[first->nrelated++] = (Related){again->loc, first->repeat_msg};
    }
    first->repeats++;
    return true;
}

void findings_sort_dedup(Findings *fs) {
    int n = fs->v.len;
    if (n < 2) return;
    Ranked *r = xmalloc((size_t)n * sizeof *r);
    for (int i = 0; i < n; i++) r[i] = (Ranked){fs->v.data[i], i};
    qsort(r, (size_t)n, sizeof *r, cmp_ranked);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (kept > 0 && cmp_finding(&r[i].f, &fs->v.data[kept - 1]) == 0) {
            finding_free(&r[i].f);
            continue;
        }
        bool merged = false;
        for (int k = kept - 1; k >= 0 && !merged && kept - k <= 64; k--) merged = merge_repeat(&fs->v.data[k], &r[i].f);
        if (merged) {
            finding_free(&r[i].f);
            continue;
        }
        fs->v.data[kept++] = r[i].f;
    }
    for (int i = 0; i < kept; i++) { /* say how many, when not all are listed */
        Finding *f = &fs->v.data[i];
        if (f->repeats > MAX_ALSO) {
            char *m = xasprintf("%s (and %d more places)", f->message, f->repeats - MAX_ALSO);
            free(f->message);
            f->message = m;
        }
    }
    fs->v.len = kept;
    free(r);
}
