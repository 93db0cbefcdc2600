/* passes.h — private to analyses/: the run's state and the shared passes
 * the driver computes (framework.h is what families see). */
#ifndef THREADVET_PASSES_H
#define THREADVET_PASSES_H

#include "analyses/framework.h"

typedef struct LockTable LockTable;
typedef struct Writes Writes;

struct Analysis {
    Program *p;
    const Catalog *catalog;
    const ModelSet *models;
    unsigned computed;      /* NEEDS(PASS_...) done */
    unsigned requested;     /* what the caller asked for (dumps show those) */
    bool race_shared_code;  /* AnalysisOptions.race_shared_code */
    bool race_mode_flags;   /* AnalysisOptions.race_mode_flags */
    bool *noreturn;         /* by Function.index */
    int8_t *noreturn_param; /* by Function.index: the parameter with a value that never returns, or -1 ... */
    int64_t *noreturn_value; /* ... and that value */
    Topology *topo;
    LockTable *locks;
    PointsTo *pt;
    struct Shape **shapes;  /* by Function.index: loops and liveness (engine.c) */
    bool shapes_lazy;       /* one thread: each made when first asked for (analysis_shape) */
    struct Predicate **preds; /* by Function.index, NULL when not one (predicates.c) */
    Writes *writes;         /* what each function may store to (writes.c) */
};

void predicates_compute(Analysis *a);
void predicates_free(Analysis *a);

/* noreturn and writes visit the program together, SCC by SCC callees
 * first (driver.c): a function's IR is fetched once for both. */
typedef struct NoreturnWalk { bool *seen; int *stack; } NoreturnWalk;
NoreturnWalk noreturn_begin(Analysis *a);
void noreturn_scc(Analysis *a, NoreturnWalk *w, int lo, int hi); /* Program.funcs[lo, hi): one SCC */
void noreturn_end(NoreturnWalk *w);

Writes *writes_begin(void);
void writes_own(const Analysis *a, Writes *w, const Function *fn); /* the names fn's own events store to */
void writes_end(Analysis *a, Writes *w);                          /* then each function's callees' */
void writes_free(Writes *w);

Topology *topology_compute(Analysis *a);
void topology_free(Topology *t);
void topology_dump(FILE *out, const Analysis *a);
void topology_dump_function(FILE *out, const Analysis *a, const Function *fn);

PointsTo *points_to_compute(Analysis *a);
void points_to_free(PointsTo *pt);
void points_to_dump(FILE *out, const Analysis *a);
void points_to_dump_function(FILE *out, const Analysis *a, const Function *fn);

LockTable *locktable_new(uint32_t nevents);
/* Entry locksets, once every function's events are recorded. */
void locktable_finish(Analysis *a);
void locktable_free(LockTable *t);

#endif
