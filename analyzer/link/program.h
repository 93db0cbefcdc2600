/* program.h — the whole program: every TU's functions indexed by link key,
 * every call resolved once (a definition, an API model, or unknown code),
 * and the functions ordered bottom-up over the resulting call graph. */
#ifndef THREADVET_PROGRAM_H
#define THREADVET_PROGRAM_H

#include "ir/ir.h"

/* What a call reaches: decided here, in one place, for every analysis. */
typedef struct Callee {
    Function *def;         /* the definition called, or NULL */
    const Model *model;    /* its API model, or NULL */
    const char *name;      /* the function's name when known */
    const char *key;       /* its link key when known */
    bool indirect;         /* reached through a function pointer */
    /* Resolved by the values a field or global may hold (some maybe from
     * other programs of the database, or from initializers): the call may
     * reach it. Analyses take its effects as possible, not certain. */
    bool may;
} Callee;

typedef struct CallIndex CallIndex;
typedef struct FuncIndex FuncIndex;

typedef struct Program {
    TuFacts **tus; int ntus;
    Function **funcs; int nfuncs;  /* every defined function, bottom-up SCC order */
    bool whole_program;            /* false when only part of a database is analysed */
    const ModelSet *models;
    FuncIndex *index;              /* link key -> definitions */
    CallIndex *calls;              /* call event -> callee and possible targets */
    int nsccs;
    uint32_t nevents;              /* events numbered by program_link (Event.id) */
} Program;

/* Indexes the functions, resolves every call (function pointers by the
 * values stored in them, flow-insensitively) and orders SCCs bottom-up. */
void program_link(Program *p, const ModelSet *models);
void program_free_links(Program *p);
/* The end of the strongly connected component that starts at funcs[lo]
 * (components are contiguous in funcs, callees' first). */
int program_scc_end(const Program *p, int lo);

/* The definition with this link key, preferring from's own TU (several
 * programs in one database may each define `main`). */
Function *program_function_by_key(const Program *p, const Function *from, const char *key);
/* The definition a function-designator operand names (start routines). */
Function *program_function_ref(const Program *p, const Function *from, const Operand *o);

/* The callee of a call event as linking resolved it (a pointer with one
 * possible target is resolved; with none or several it is unknown). */
Callee program_call(const Program *p, const Event *ev);
/* Every definition an indirect call may reach (the call graph's edges). */
int program_call_targets(const Program *p, const Event *ev, Function *const **out);
/* A create's start routines when it reads them from memory (`fns[i]`):
 * the functions stored there (a designator: program_function_ref). */
int program_create_starts(const Program *p, const Event *ev, Function *const **out);
/* The same for fn's k-th call (Function.callev[k]) without reading the
 * event: a walk over a large program's calls waits on fetching each one.
 * Also its model and its number of arguments, as the event has them. */
Callee program_call_at(const Function *fn, int k);
int program_call_targets_at(const Function *fn, int k, Function *const **out);
const Model *program_call_model_at(const Function *fn, int k);
int program_call_nargs_at(const Function *fn, int k);
/* Whether an argument of it, or the value it calls, is a function designator. */
bool program_call_names_fn_at(const Function *fn, int k);
/* The callee a function key names (a pointer's value known on a path). */
Callee program_callee_of_key(const Program *p, const Function *from, const char *key);

#endif
