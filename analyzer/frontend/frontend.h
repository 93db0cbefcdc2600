/* frontend.h — libclang to IR, one translation unit at a time. */
#ifndef THREADVET_FRONTEND_H
#define THREADVET_FRONTEND_H

#include "input/compdb.h"
#include "ir/ir.h"


typedef struct FrontendOptions {
    const ModelSet *models;
    bool parse_only;     /* benchmark: parse and dispose, no lowering */
    /* An editor's unsaved buffer for this file (absolute): parsed instead
     * of the file on disk. */
    const char *unsaved_file, *unsaved_text; size_t unsaved_len;
} FrontendOptions;

typedef struct Frontend Frontend;   /* one per worker thread (owns a CXIndex) */
Frontend *frontend_new(const FrontendOptions *opt);
TuFacts *frontend_run(Frontend *fe, const Job *job);
/* The same with the main file's text given (an editor's unsaved buffer). */
TuFacts *frontend_run_unsaved(Frontend *fe, const Job *job, const char *text, size_t len);
/* Frees a unit's IR and diagnostics (the interned strings stay). */
void tu_facts_free(TuFacts *facts);
void frontend_free(Frontend *fe);

#endif
