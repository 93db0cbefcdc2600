/* findings.h — what the analyses report: findings with related locations
 * and code flows, and tool notifications. */
#ifndef THREADVET_FINDINGS_H
#define THREADVET_FINDINGS_H

#include "config/catalog.h"
#include "ir/ir.h"


typedef struct Related { Loc loc; const char *msg; } Related;
typedef struct FlowStep { Loc loc; const char *msg; int depth; } FlowStep;
typedef struct Flow { const char *name; FlowStep *steps; int nsteps; } Flow;

typedef struct Finding {
    const Rule *rule;
    Loc loc;
    char *message;
    Related *related; int nrelated;
    Flow *flows; int nflows;
    /* Line-independent identity from the rule and the functions and
     * objects involved (analyses/identity.c); SARIF hashes it, with the
     * file, into a fingerprint. */
    const char *identity;
    int repeats;            /* findings_sort_dedup: the same found at this many more places */
    const char *repeat_msg; /* the related locations' message for them */
    /* A JSON object (malloc'd text) whose members SARIF adds to the
     * result's properties (the runtime's evidence), or NULL. */
    char *properties;
    /* The flows' steps' places in the whole interleaving of a run (SARIF
     * executionOrder, from 1): one per step, flow 0's steps first, then
     * flow 1's...; malloc'd, or NULL. With them, text shows the steps too,
     * as notes in that order. */
    int64_t *orders;
    /* Gating, after the analysis (report/suppressions.c, baseline.c). */
    const char *suppressed; /* an in-source suppression's justification ("" for none); NULL: not suppressed */
    Loc suppressed_at;      /* the suppressing comment */
    uint8_t baseline;       /* BASELINE_*: its state against --baseline */
} Finding;

enum { BASELINE_NONE, BASELINE_NEW, BASELINE_UNCHANGED, BASELINE_UPDATED, BASELINE_ABSENT };

/* Whether f counts: shown in text and in the exit status (not suppressed,
 * not already in the baseline). */
static inline bool finding_counts(const Finding *f) {
    return !f->suppressed && (f->baseline == BASELINE_NONE || f->baseline == BASELINE_NEW);
}

typedef struct Findings { VEC(Finding) v; } Findings;
void findings_add(Findings *fs, Finding f);
void findings_sort_dedup(Findings *fs);   /* by file/line/col/rule; drops exact duplicates */

typedef struct Notification { Loc loc; char *text; Level level; } Notification;

#endif
