/* results.h — the whole program's analysis, cached beside the units' facts.
 *
 * A run whose units all have the facts of an earlier run (the same IR from
 * the same files, flags and models), with the same rules and analysis
 * options and the same threadvet, would compute the same findings: it
 * reads them back instead (DIR/<key>.tvr). What comes after the analysis
 * (selection, suppressions, the baseline, the formats) runs as usual. */
#ifndef THREADVET_RESULTS_H
#define THREADVET_RESULTS_H

#include "analyses/framework.h"
#include "facts/facts.h"
#include "report/findings.h"

/* The key of the analysis of these units with these options, or 0 when it
 * cannot be cached (a unit without a digest: not from a facts file or the
 * cache; summaries asked to be dumped). */
uint64_t results_key(TuFacts *const *tus, int ntus, const AnalysisOptions *ao, bool whole_program);

/* The findings and the analyses' notifications stored under key in dir;
 * false (nothing changed) when there are none, or none to trust. */
bool results_load(const char *dir, uint64_t key, const Catalog *cat, Findings *fs, Notification **notes, int *nnotes);

/* Stores them (atomically); a failure costs the next run time, not results. */
void results_store(const char *dir, uint64_t key, const Findings *fs, const Notification *notes, int nnotes);

#endif
