/* select.h — what a run reports when it links the whole program but was
 * asked about some files or lines (check -p build FILE, --changed-since). */
#ifndef THREADVET_SELECT_H
#define THREADVET_SELECT_H

#include "report/findings.h"

typedef struct Selection { PtrMap files; int nfiles; } Selection; /* interned path -> its lines */

Selection *selection_new(void);
void selection_free(Selection *s);
void selection_add_file(Selection *s, const char *file);           /* every line */
void selection_add_lines(Selection *s, const char *file, uint32_t from, uint32_t to);
bool selection_has_file(const Selection *s, const char *file);
/* Each unit that includes a selected file (a header) is selected whole. */
void selection_add_includers(Selection *s, TuFacts *const *tus, int ntus);
/* Whether a finding's primary or related locations touch the selection. */
bool selection_touches(const Selection *s, const Finding *f);
/* Keeps the findings that touch the selection. */
void selection_filter(const Selection *s, Findings *fs);
/* The lines `git diff REV` (the working tree against REV) adds or changes. */
bool selection_from_git(Selection *s, const char *rev, char **err);

#endif
