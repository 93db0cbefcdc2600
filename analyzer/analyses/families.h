/* families.h — the rule families (temporary: replaced by the framework). */
#ifndef THREADVET_FAMILIES_H
#define THREADVET_FAMILIES_H

#include "config/catalog.h"
#include "link/program.h"
#include "report/findings.h"

typedef struct AnalysisContext {
    const Catalog *catalog;
    const ModelSet *models;   /* to bind calls resolved only during analysis */
    Program *program;
    Findings *out;
} AnalysisContext;

void analyze_threads(AnalysisContext *cx);  /* thread-leak */
void analyze_locks(AnalysisContext *cx);    /* lock-order-inversion, lock-double-acquire,
                                               lock-release-unheld, lock-held-at-exit */
#endif
