/* program.h — the whole program: every TU's functions, indexed by link key
 * and ordered bottom-up over the call graph. */
#ifndef THREADVET_PROGRAM_H
#define THREADVET_PROGRAM_H

#include "ir/ir.h"


typedef struct Program {
    TuFacts **tus; int ntus;
    Function **funcs; int nfuncs;  /* every defined function, bottom-up SCC order */
    bool whole_program;            /* false when only part of a database is analysed */
} Program;

void program_link(Program *p);     /* indexes functions, orders SCCs */
Function *program_lookup(const Program *p, const char *key);

/* The definition a call event reaches, preferring the caller's own TU. */
Function *program_callee(const Program *p, const Function *caller, const Event *ev);

/* The definition a function-designator operand names (start routines). */
Function *program_function_ref(const Program *p, const Function *from, const Operand *o);

/* The definition with this link key, preferring from's own TU. */
Function *program_function_by_key(const Program *p, const Function *from, const char *key);


#endif
