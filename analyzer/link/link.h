/* link.h — whole-program lookups for the analyses. */
#ifndef LINK_H
#define LINK_H
#include "threadvet.h"

/* The definition a call event reaches, preferring the caller's own TU. */
Function *program_callee(const Program *p, const Function *caller, const Event *ev);

/* The definition a function-designator operand names (start routines). */
Function *program_function_ref(const Program *p, const Function *from, const Operand *o);

/* The definition with this link key, preferring from's own TU. */
Function *program_function_by_key(const Program *p, const Function *from, const char *key);

#endif
