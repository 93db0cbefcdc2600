/* confirm.h — static results confirmed (or not) by runs (confirm.c). */
#ifndef THREADVET_CONFIRM_H
#define THREADVET_CONFIRM_H

#include <jansson.h>

#include "report/findings.h"

typedef struct ConfirmStats { int confirmed, not_observed, runtime_only; } ConfirmStats;

/* Marks stat's results confirmed / not-observed by the runs' results (SARIF
 * logs; names are their files, for the evidence), adds the runs' own
 * results as runtime-only; stat is changed in place. Merging again
 * accumulates. */
void sarif_confirm(json_t *stat, json_t *const *runs, const char *const *names, int nruns, ConfirmStats *st);
/* "confirmed", "not-observed", "runtime-only", or NULL. */
const char *confirmation_status(json_t *result);

#endif
