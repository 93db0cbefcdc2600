/* trace.h — reading the runtime's record of a run (runtime/record.h) and
 * turning it into findings: TSan's structured reports mapped to threadvet's
 * rules, the runtime's own (leaks at exit, channel misuse, deadlocks), each
 * with its stacks symbolised, an identity built like the static families'
 * (analyses/identity.c) and the interleaving as code flows.
 *
 * Nothing here trusts the record: it may come from a program that crashed
 * or was killed at any instruction. Every count and index is checked. */
#ifndef THREADVET_TRACE_H
#define THREADVET_TRACE_H

#include "../../runtime/record.h"
#include "report/findings.h"

#include <jansson.h>
#include <stdio.h>

/* One process's record, mapped read-only and checked. */
typedef struct Trace {
    const char *path;
    char *map;
    size_t size;
    const tv_header *hdr;
    const tv_module *modules;
    uint32_t nmodules;
    const tv_thread *threads;
    uint32_t nthreads;
    const tv_object *objects;
    uint32_t nobjects_cap;
    const tv_report *reports;
    uint32_t nreports;
    tv_event *events;       /* every complete event, by seq (a copy) */
    size_t nevents;
    size_t nslots;          /* the record's slots read (a repeat slot stands for several events) */
    size_t nrepeated;       /* events expanded from repeat slots */
    size_t *by_thread;      /* event indexes grouped by thread, each group by seq */
    size_t *thread_first;   /* by_thread[thread_first[t] .. thread_first[t+1]) */
    const char **fn_names;  /* the wrapped functions, by index */
    int nfn;
    char *fn_names_buf;
    PtrMap object_index;    /* address -> tv_object */
    PtrMap first_use;       /* address -> the first event using it */
    PtrMap labels;          /* address (or TRACE_THREAD_KEY) -> its name in the findings (interned) */
} Trace;

/* A thread's key in Trace.labels: no object lies at such an address. */
#define TRACE_THREAD_KEY(slot) ((uint64_t)1 << 63 | (slot))

/* Opens and checks a record; NULL with *err (malloc'd) when it is not one. */
Trace *trace_open(const char *path, char **err);
void trace_close(Trace *t);

/* A stack of the record: NULL when id is 0 or not a valid stack. */
const tv_stack *trace_stack(const Trace *t, uint32_t id);
const tv_thread *trace_thread(const Trace *t, uint32_t slot);
const tv_object *trace_object(const Trace *t, uint64_t addr, uint32_t kind); /* kind: enum tv_okind */
const tv_module *trace_module(const Trace *t, uint64_t pc);
const char *trace_fn_name(const Trace *t, uint32_t fn);

/* ------------------------------------------------------------ symbols */

typedef struct Frame {
    uint64_t pc;            /* as recorded (a return address but for a crash's first) */
    const char *module;     /* interned path, NULL when in no module */
    uint64_t offset;        /* file address in module */
    const char *function;   /* interned; NULL unknown */
    const char *file;       /* interned absolute path; NULL unknown */
    uint32_t line, col;
    bool inlined;           /* an inlined frame of the same pc */
} Frame;

typedef struct DataSym { const char *name; uint64_t start, size; const char *module; } DataSym;

typedef struct Symbols Symbols;
Symbols *symbols_new(void);
void symbols_free(Symbols *s);
/* Queue code at a pc and data at an address of a trace's modules;
 * symbols_run() resolves everything queued in one llvm-symbolizer run. */
void symbols_want_code(Symbols *s, const Trace *t, uint64_t pc);
void symbols_want_data(Symbols *s, const Trace *t, uint64_t addr);
bool symbols_run(Symbols *s, char **err);
/* The frames of pc (inlined ones first); n set; NULL when nothing known. */
const Frame *symbols_code(const Symbols *s, const Trace *t, uint64_t pc, int *n);
/* The global holding addr, with *within its offset in it; NULL if none. */
const DataSym *symbols_data(const Symbols *s, const Trace *t, uint64_t addr, uint64_t *within);

/* ------------------------------------------------------------ findings */

typedef struct RunFacts {
    int wait_status;        /* the program's, from waitpid */
    bool tsan_shown;        /* TSan's own text was let through */
} RunFacts;

typedef struct TraceResult {
    bool deadlock;          /* the watchdog ended the program */
    bool crashed;           /* a fatal signal */
    int end_signal;
    uint64_t dropped_events, dropped_other;
    int nfindings;
} TraceResult;

typedef VEC(Notification) NotificationList;

/* Every finding of these records (one per process); catalogue rules by id. */
void trace_findings(Trace **ts, int n, const Catalog *cat, const RunFacts *rf, Findings *out, NotificationList *notes,
                    TraceResult *res);

/* ------------------------------------------------------------ lock cycles (gates.c) */

typedef enum CycleSeen {
    CYCLE_UNGATED,          /* each order seen in its own thread, no lock common to them */
    CYCLE_GATED,            /* every time, a lock common to the orders was held: serialised */
    CYCLE_UNKNOWN,          /* an order not seen, or not for sure (lost events) */
} CycleSeen;
/* How the run took the cycle locks[0] -> locks[1] -> ... -> locks[0];
 * *gate: a lock the orders had in common, when gated. */
CycleSeen trace_cycle_seen(const Trace *t, const uint64_t *locks, int n, uint64_t *gate);

/* ------------------------------------------------------------ provoke (plan.c) */

typedef struct ProvokeTarget {
    int result;             /* index of the static result */
    const char *rule;       /* interned */
    const char *where;      /* its first place, "uri:line" */
    int nranges;            /* ranges of code found for its places */
} ProvokeTarget;

typedef struct Provoke {
    char *path;             /* the plan file the runtime updates */
    ProvokeTarget *targets;
    int ntargets;
} Provoke;

/* Writes the plan for stat's results (the code of their places in exe,
 * found in its line table; a program without one is warned about and
 * provoked nowhere) to path; false with *err when it cannot be written. */
bool provoke_plan(json_t *stat, const char *exe, const char *path, long delay_ms, Provoke *out, char **err);
/* After the run and the merge: each target's result gets
 * properties.threadvet.provoke (attempted, reached, delays, endedEarly,
 * delayMs, outcome); a line each on text when it is not NULL. */
void provoke_report(const Provoke *p, json_t *merged, FILE *text);
void provoke_free(Provoke *p);

/* The run as Chrome trace-event JSON (Perfetto, chrome://tracing), the
 * findings (may be NULL) marked where they happened. */
bool trace_chrome(Trace **ts, int n, const Findings *fs, const char *path, char **err);

#endif
