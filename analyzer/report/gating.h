/* gating.h — what decides which findings count: in-source suppressions
 * (suppressions.c) and a baseline of accepted ones (baseline.c). */
#ifndef THREADVET_GATING_H
#define THREADVET_GATING_H

#include "report/findings.h"

typedef VEC(Notification) NotificationVec;

typedef struct Suppressions Suppressions;
Suppressions *suppressions_new(void);
/* Reads a file's markers (also done on demand for files with findings). */
void suppressions_scan(Suppressions *sp, const char *file);
/* The same for a file's text as an editor holds it (read instead of the file). */
void suppressions_scan_text(Suppressions *sp, const char *file, const char *text, size_t len);
/* Marks the findings a suppression covers (Finding.suppressed). */
void suppressions_apply(Suppressions *sp, Findings *fs);
/* Malformed markers, and with `unused` those that silenced nothing, as
 * warnings; returns how many. */
int suppressions_problems(Suppressions *sp, NotificationVec *out, bool unused);
void suppressions_free(Suppressions *sp);

/* A baseline: an earlier SARIF report (ours, or any with our fingerprints). */
typedef struct Baseline Baseline;
/* NULL with *err set ("FILE: problem") when it cannot be read as one. */
Baseline *baseline_load(const char *path, const Catalog *cat, char **err);
/* Gives each finding its state (new, unchanged, updated) and appends the
 * baseline's results that are gone (absent). `fingerprint` computes a
 * finding's threadvet/v1 fingerprint the way the SARIF writer does. */
void baseline_apply(Baseline *b, Findings *fs, const char *srcroot);
void baseline_free(Baseline *b);

/* SARIF's partialFingerprints["threadvet/v1"]: the file relative to the
 * source root and the finding's identity, hashed; the nth (0-based) of
 * several with one key in one file gets its own. */
uint64_t finding_key_hash(const Finding *f, const char *rel);
char *finding_fingerprint(uint64_t key_hash, int nth);
/* path relative to root (`../x.c` when outside), malloc'd: SARIF's URIs. */
char *relative_path(const char *path, const char *root);

#endif
