/* lower.h — private to frontend/: the lowering of one parsed TU. */
#ifndef THREADVET_LOWER_H
#define THREADVET_LOWER_H
#include <clang-c/Index.h>

#include "frontend/frontend.h"

/* Lowers every function defined in the TU's main file into facts->funcs. */
void lower_tu(CXTranslationUnit tu, TuFacts *facts, const ModelSet *models);

/* The expansion-site range of a cursor or location (what the user sees). */
Loc loc_of_cursor(CXCursor c);
Loc loc_of_location(CXSourceLocation l);

#endif
