/* framework.h — the analysis framework: rule families declared as data,
 * the shared passes they stand on, and the summaries the driver keeps.
 *
 * A rule family (threads, locks, channels...) declares the rules it
 * implements, the shared passes it needs, the type of its per-function
 * summary, and its steps: once per function, bottom-up over the call graph
 * (callees first; a recursive cycle iterates until its summaries stop
 * changing), then once for the whole program. The driver computes the
 * passes a run needs once, runs the families side by side, and owns the
 * summaries: plain data outside the IR, read by callers' steps through
 * family_summary().
 *
 * Adding a family: a file under analyses/ defining a `const Family`, its
 * rules' YAML under rules/, and one line in analyses/registry.c. */
#ifndef THREADVET_FRAMEWORK_H
#define THREADVET_FRAMEWORK_H

#include "config/catalog.h"
#include "link/program.h"
#include "report/findings.h"

/* ---------------------------------------------------------------- passes */

/* The shared passes: computed once per run, before any family needs them. */
typedef enum PassId {
    PASS_NORETURN,  /* functions that never return (models, and inferred) */
    PASS_CALLS,     /* every call resolved: definition, model, or unknown (link/) */
    PASS_TOPOLOGY,  /* threads: start routines, create sites, instances, parallelism */
    PASS_LOCKSETS,  /* the locks held at every event (published by the locks family) */
    PASS_POINTS_TO, /* what every pointer may point to (whole program, flow-insensitive) */
    PASS_ACCESS_JOINS, /* topology's joins before every shared access (topo_joined_at of a read or write) */
    PASS__COUNT
} PassId;
#define NEEDS(pass) (1u << (pass))

typedef struct Analysis Analysis;   /* one whole-program run */
typedef struct FamilyRun FamilyRun; /* one family within it */

/* ------------------------------------------------------------- families */

typedef struct Family {
    const char *name;                  /* "threads", "locks" */
    const char *const *rules;          /* the rule ids it implements, NULL-terminated */
    unsigned requires;                 /* NEEDS(PASS_...) */
    unsigned provides;                 /* passes it publishes (NEEDS(PASS_LOCKSETS)) */
    size_t summary_size;               /* bytes of one function's summary (zeroed at first) */
    /* The summary as text, a line per effect: `dump-ir --summaries`, and
     * the driver's fixpoint compares dumps. */
    void (*summary_dump)(FILE *out, const Function *fn, const void *sum);
    void (*summary_free)(void *sum);   /* what the summary owns (not itself) */
    /* A recursive cycle's first round leaves out the summaries not final
     * yet (family_summary_ready): for a family whose empty summary is not
     * the least one (a release not yet seen makes a hold). */
    bool ready_first;
    void (*begin)(FamilyRun *r);       /* before any function */
    void (*function)(FamilyRun *r, Function *fn);
    void (*finish)(FamilyRun *r);      /* the whole-program step */
    void (*end)(FamilyRun *r);         /* frees the family's state */
} Family;

/* Every family, in registry order; NULL-terminated. */
extern const Family *const families[];

/* The family's own state, set in begin(). */
void *family_state(const FamilyRun *r);
void family_set_state(FamilyRun *r, void *state);
Analysis *family_analysis(const FamilyRun *r);
Program *family_program(const FamilyRun *r);
const ModelSet *family_models(const FamilyRun *r);
/* Whether fn has nothing for the family: no call bound to one of its
 * model operations (own_op) and no call of a function whose summary says
 * anything (says). Exploring such a function finds nothing and leaves its
 * summary empty, so a family may skip it; most functions of most
 * programs are such. */
bool family_nothing_in(FamilyRun *r, const Function *fn, bool (*own_op)(const Model *m),
                       bool (*says)(const void *summary));
/* The rule with this id when the run reports it, else NULL. */
const Rule *family_rule(const FamilyRun *r, const char *id);
/* fn's summary (callees' are complete when a caller's step runs). */
void *family_summary(const FamilyRun *r, const Function *fn);
/* Whether fn's summary is final (Family.ready_first): false, in the first
 * round of the recursive cycle being analysed, for a callee of the cycle
 * not analysed yet or analysed from such (its summary may say "does
 * nothing" for want of knowing). Asking when the answer is false makes
 * the asker's summary unfinished too. After that round every summary
 * counts as ready and the cycle settles as any other. */
bool family_summary_ready(FamilyRun *r, const Function *fn);
/* The function being analysed left out a summary that was not ready and
 * that could matter (it says something, or a lock was held there): it is
 * analysed again once every summary counts. */
void family_guessed(FamilyRun *r);
/* True in the rounds of a recursive cycle before the last: summaries are
 * still growing, so findings and whole-program facts wait for the last. */
bool family_quiet(const FamilyRun *r);
void family_report(FamilyRun *r, Finding f);
/* The analysis of fn stopped short (a work budget): said in the results. */
void family_incomplete(FamilyRun *r, const Function *fn, const char *why);
/* The same for a whole-program step: "the NAME analysis TEXT; ...". */
void family_note(FamilyRun *r, Loc at, const char *text);

/* ------------------------------------------------------------- identity */

/* A finding's identity (Finding.identity): the rule, then its parts,
 * sorted when their order means nothing (the locks of a cycle). */
const char *finding_identity(const char *rule, const char *const *parts, int n, bool unordered);
const char *id_function(const Function *fn);        /* `fn:spawn` */
/* An object as a run could name it: `global:log_lock`, `field:struct
 * queue.mu`, `local:spawn.tid`, `param:push.0->mu`. */
const char *id_object(const Function *fn, Path p);

/* ---------------------------------------------------------------- driver */

typedef struct AnalysisOptions {
    const Catalog *catalog;
    const ModelSet *models;
    int jobs;                  /* families may run side by side when > 1 */
    FILE *dump_summaries;      /* when set, every family's summaries are printed there */
    bool race_shared_code;     /* data-race: also pair accesses in code several threads share */
    bool race_mode_flags;      /* data-race: also pair accesses a mode field selects */
    bool leave_memory;         /* the process ends after the run: its memory is the OS's to drop, not
                                  freed piece by piece (as compilers do; never in a sanitizer build) */
} AnalysisOptions;

/* Whether every static rule of the catalogue has exactly one family and
 * every family's rule a catalogue entry; false with *err set otherwise. */
bool families_check(const Catalog *c, char **err);

/* Runs the enabled families over the linked program. Findings go to out,
 * notifications (incomplete analyses) to notes. */
void analyze_program(Program *p, const AnalysisOptions *opt, Findings *out, Notification **notes, int *nnotes);

/* The shared passes alone, for `dump-ir`. */
Analysis *analysis_new(Program *p, const AnalysisOptions *opt, unsigned passes);
void analysis_free(Analysis *a);
void analysis_dump(FILE *out, const Analysis *a, const Function *fn);  /* a function's annotations */
void analysis_dump_program(FILE *out, const Analysis *a);              /* whole-program passes */

/* ------------------------------------------------------ pass results */

const Program *analysis_program(const Analysis *a);
const ModelSet *analysis_models(const Analysis *a);

/* PASS_NORETURN */
bool fn_noreturn(const Analysis *a, const Function *fn);
/* Whether call ev of callee never returns: callee never does, or ev passes
 * the constant with which it does not (`die_at(FATAL, msg)`). */
bool call_noreturn(const Analysis *a, const Function *callee, const Event *ev);
/* Whether call ev, reaching c (link's answer, or a path's refinement of
 * it), never returns: a noreturn model, or call_noreturn of a definition. */
bool callee_noreturn(const Analysis *a, const Callee *c, const Event *ev);

/* Whether a call of callee may store to what key names (one of the
 * fields it goes through, or its global), itself or through its calls. */
bool writes_may_change(const Analysis *a, const Function *callee, const char *key);
/* Whether a call of callee may store to anything a caller can name. */
bool writes_any(const Analysis *a, const Function *callee);

/* PASS_CALLS is linking's (link/program.h): program_call() for a call
 * event's callee, program_call_targets() for the call graph; the engine's
 * engine_callee() refines a pointer's target on a path. */

/* PASS_TOPOLOGY */
enum { RUNS_MAIN = 1, RUNS_THREAD = 2 };
typedef struct Topology Topology;
const Topology *analysis_topology(const Analysis *a);
bool topo_is_start(const Topology *t, const Function *fn);
/* RUNS_MAIN / RUNS_THREAD: the threads fn may run in (a library with
 * neither root: every uncalled function counts as a thread's). */
unsigned topo_runs(const Topology *t, const Function *fn);
/* The only start routine whose threads run fn, NULL when main or several. */
const Function *topo_only_root(const Topology *t, const Function *fn);
/* The caller through which fn is first reached from a root, and where. */
const Function *topo_parent(const Topology *t, const Function *fn, Loc *call);
/* Whether a thread running `start` may run several instances at once. */
bool topo_many(const Topology *t, const Function *start);
/* Start routines whose threads are joined before every call of fn. */
int topo_entry_joined(const Topology *t, const Function *fn, const char *const **keys);
/* Whether threads of routines a and b (NULL: main) may run at the same
 * time: not when one is joined before the other is created. */
bool topo_parallel(const Topology *t, const Function *a, const Function *b);
/* Whether event ev of fn creates a thread, a create of the models or a
 * call of a function that creates one running its parameter
 * (`mythread_create(&t, worker, arg)`), and which of its arguments are the
 * routine, the routine's argument and the handle's address (-1: none). */
bool topo_create_args(const Topology *t, const Function *fn, const Event *ev, int *start, int *arg, int *handle);
/* The routines create ev's start operand (argument si) names: one, each
 * of a choice (`w ? writer : reader`), or the functions stored where it is
 * read (`fns[i]`); 0 when it names none we know. */
int topo_create_routines(const Program *p, const Function *fn, const Event *ev, int si, Function **out, int max);
/* Whether threads of `routine` may exist when event ev of fn runs: not
 * when every create of them (or of the threads that create them) comes
 * later in the same thread (`setup(); pthread_create(...)`). */
bool topo_may_exist(const Topology *t, const Function *fn, const Event *ev, const Function *routine);
/* Its two parts, for a client that follows its own call chain: whether
 * fn's own code (its events before ev, and what they call) may have
 * created them, and whether they may exist when fn starts. */
bool topo_created_before(const Topology *t, const Function *fn, const Event *ev, const Function *routine);
bool topo_exist_at_entry(const Topology *t, const Function *fn, const Function *routine);
/* topo_created_before for several routines at once (out[i] for routines[i]). */
void topo_created_before_all(const Topology *t, const Function *fn, const Event *ev, const Function *const *routines, int n,
                             bool *out);
/* The routines joined on every path to a call, create or access event of fn
 * (with those joined before every call of fn); returns how many. An access
 * event's are kept only when PASS_ACCESS_JOINS is required. */
int topo_joined_at(const Topology *t, const Function *fn, const Event *ev, const char **out, int max);
/* The i-th create site of start's threads: 1 with *creator and *ev set,
 * 0 past the last. */
int topo_creates(const Topology *t, const Function *start, int i, const Function **creator, const Event **ev);
/* Whether that create runs more than once for one run of its creator's
 * callers: it sits in a loop. */
bool topo_create_in_loop(const Topology *t, const Event *create);
/* Whether create's thread may run beside the one the same create made in
 * an earlier round: it sits in a loop that does not join that thread
 * before coming round (a join of its local handle, which nothing else
 * reaches or writes first), as topology's joinable creates say. */
bool topo_create_overlaps(const Topology *t, const Function *fn, const Event *create);
/* Whether create's creator is reached more than once (several callers, or
 * from threads that are many). */
bool topo_creator_repeats(const Topology *t, const Function *creator);
/* The start routine a thread handle location (an identity from
 * handle_identity) was created for, NULL if none. */
const Function *topo_handle_routine(const Topology *t, const char *handle_id);
/* An object's name across functions: a global's key, else its class for
 * heap objects (`@^struct q.mu`); NULL for the frame's own and parameters'. */
const char *object_identity(Path p);
/* How a thread handle is named across functions: a global, a class, or a
 * function's local. */
const char *handle_identity(const Function *fn, Path p);

/* PASS_LOCKSETS: the locks surely held at an event: those its own
 * function holds on every path to it, and those every caller holds at each
 * call (the entry lockset). Keys are lock identities (object_identity())
 * or, for a lock the function reaches through a parameter, its key; sorted
 * by name. */
typedef struct LockSet { int n; const char *const *keys; } LockSet;
LockSet lockset_at(const Analysis *a, const Function *fn, const Event *ev);
LockSet lockset_entry(const Analysis *a, const Function *fn);
/* Whether some path of the lock analysis reached ev at all. */
bool lockset_reached(const Analysis *a, const Event *ev);
/* Whether an access is to a word used as a spin lock (taken by an atomic
 * operation from 0, released by storing 0): synchronisation, not data. */
bool lockset_spin_word(const Analysis *a, Path p);
/* For the family that computes it: the locks one path holds at ev (the
 * recorded set is what every path holds). */
void lockset_record(Analysis *a, const Event *ev, const char *const *keys, int n);
/* Whether a family this run needs the locksets (else nothing records them). */
bool lockset_wanted(const Analysis *a);

/* PASS_POINTS_TO: the objects a location may be when the path does not
 * say (see points_to.c for how objects are named). An answer is a may
 * set: the rules use it where a must identity is missing, never in its
 * place. */
typedef struct PointsTo PointsTo;
const PointsTo *analysis_points_to(const Analysis *a);
/* The objects location key of fn (`m*`, `$0*.mu`) may be, sorted; -1 when
 * unknown or more than max, 0 when nothing is known. */
int pt_objects(const PointsTo *pt, const Function *fn, const char *key, const char **out, int max);
/* The object fn's own location key is (its address taken somewhere). */
const char *pt_local_object(const Function *fn, const char *key);
/* Whether some pointer may hold obj's address (a local others can reach). */
bool pt_escapes(const PointsTo *pt, const char *obj);
const char *pt_class(const PointsTo *pt, const char *obj);   /* `struct q.mu`, when known */
/* The classes of the locations that may hold a pointer to obj (`struct
 * conn.mu` for a mutex a factory allocates into `nc->mu`): what a
 * location of one of them points to, where the pointer's own object is
 * unknown (a parameter of an entry point), may be obj. All of them (a
 * factory's one allocation fills many classes' fields), sorted by name,
 * in a malloc'd *out. */
int pt_holder_classes(const PointsTo *pt, const char *obj, const char ***out);
/* The objects the calls of a factory made: a function that stores memory
 * it allocated through a parameter (`natsMutex_Create(&x->mu)`) makes one
 * object per call site, so that the mutexes of different structs are not
 * one. What the factory does to its own object (makes it recursive) it
 * does to each of these. */
int pt_factory_instances(const PointsTo *pt, const Function *factory, const char *const **out);
/* Every object the locations of class cls may point to; -1 when unknown. */
int pt_class_targets(const PointsTo *pt, const char *cls, const char **out, int max);
bool pt_is_heap(const char *obj);
/* Whether call ev's result is fresh memory: an allocation, or a call of a
 * function every return of which is one. */
bool pt_allocates(const PointsTo *pt, const Event *ev);
/* How messages name obj: `a`, `s.mu`, `m`, `(memory allocated at 20:8)->mu`. */
const char *pt_object_name(const PointsTo *pt, const char *obj);

#endif
