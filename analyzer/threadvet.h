/* threadvet.h — the types shared by every stage of the analyzer.
 *
 * Pipeline (one folder per stage):
 *   cli/       options, commands, exit codes
 *   input/     compilation database -> list of translation-unit jobs
 *   config/    rule catalogue and API models (YAML data under rules/)
 *   frontend/  libclang -> IR  (the only code that includes clang-c)
 *   ir/        the event IR: construction helpers, dump
 *   link/      the whole program: functions by link key, call graph, SCC order
 *   analyses/  one file per rule family, summaries computed bottom-up
 *   report/    text and SARIF output
 *
 * Nothing after the front end sees libclang: a TU is fully described by its
 * IR (TuFacts), which holds only interned strings and plain data so that it
 * could be cached or computed on another machine.
 */
#ifndef THREADVET_H
#define THREADVET_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define THREADVET_VERSION "0.1.0"

/* ------------------------------------------------------------------ util */

/* Growable array of T: VEC(int) v = {0}; vec_push(&v, 3); free(v.data). */
#define VEC(T) struct { T *data; int len, cap; }
#define vec_push(v, x)                                                        \
    do {                                                                      \
        if ((v)->len == (v)->cap) {                                           \
            (v)->cap = (v)->cap ? 2 * (v)->cap : 8;                           \
            (v)->data = xrealloc((v)->data, sizeof(*(v)->data) * (v)->cap);   \
        }                                                                     \
        (v)->data[(v)->len++] = (x);                                          \
    } while (0)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bump allocator: all IR of one TU lives in one arena. */
typedef struct Arena Arena;
Arena *arena_new(void);
void *arena_alloc(Arena *a, size_t n);           /* zeroed, 8-aligned */
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);

/* Interned strings: equal text <=> equal pointer. Thread-safe; they live
 * until exit, so IR from any TU can be compared by pointer. */
const char *intern(const char *s);
const char *intern_n(const char *s, size_t n);
const char *internf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Paths and files. */
char *path_absolute(const char *path, const char *base_dir); /* malloc'd, normalised */
char *path_relative(const char *path, const char *root);     /* NULL if outside root */
char *read_file(const char *path, size_t *len);              /* NULL + errno on failure */

/* --------------------------------------------------------- locations */

/* A source range in the file the user sees (macro uses are reported at the
 * expansion site). Lines and columns are 1-based; columns count bytes. */
typedef struct Loc {
    const char *file; /* interned absolute path, or NULL when unknown */
    uint32_t line, col, end_line, end_col;
} Loc;

/* ------------------------------------------------------------ models */

/* The operation a C function performs on a concurrency object, bound from the
 * API models in rules/models/ (data, never hard-coded in C). */
typedef enum OpKind {
    OP_NONE,
    OP_THREAD_CREATE,       /* handle (out), attr, start routine, start arg */
    OP_THREAD_JOIN,         /* handle */
    OP_THREAD_DETACH,       /* handle */
    OP_THREAD_SELF,         /* returns the calling thread's handle */
    OP_THREAD_EXIT,         /* ends the calling thread */
    OP_ATTR_SET_DETACHSTATE,/* attr, state: detached when state is one of detached_names */
    OP_PROCESS_EXIT,        /* ends the process: no leak is reported past it */
    OP_LOCK, OP_TRYLOCK, OP_UNLOCK,
    OP_COND_WAIT,           /* lock: the mutex released while waiting, then re-acquired */
    OP_LOCK_INIT,           /* lock, attr; or lock, state (a C11 type mask) */
    OP_MUTEXATTR_SETTYPE,   /* attr, state: recursive when state is one of recursive_names */
    OP_CHAN_CLOSE, OP_CHAN_SEND, OP_CHAN_RECV,
    OP__COUNT
} OpKind;

enum { ROLE_NONE = -1, ROLE_RETURN = -2 };

/* One model entry: which arguments play which role for `function`. */
typedef struct Model {
    const char *function;    /* interned C function name */
    OpKind op;
    int handle;              /* arg index of the handle, ROLE_RETURN, or ROLE_NONE */
    bool handle_out;         /* the argument points at the handle (create writes it) */
    int attr, start, start_arg, state; /* arg indexes or ROLE_NONE */
    bool has_success;        /* return value equal to `success` means it worked */
    int64_t success;
    const char **detached_names; /* for OP_ATTR_SET_DETACHSTATE */
    int n_detached_names;
    bool shared;             /* a shared (read) acquisition of a read-write lock */
    const char **recursive_names; /* OP_MUTEXATTR_SETTYPE / OP_LOCK_INIT: recursive kinds */
    int n_recursive_names;
    bool has_recursive_mask; /* OP_LOCK_INIT: `state & mask` means recursive */
    int64_t recursive_mask;
    const char *origin;      /* "file:line" of the model entry, for messages */
} Model;

typedef struct ModelSet ModelSet;
ModelSet *models_new(void);
/* Loads a YAML model file (or in-memory text, `name` used in messages).
 * On error returns false and sets *err to "NAME:LINE:COL: problem" (malloc'd). */
bool models_load_file(ModelSet *ms, const char *path, char **err);
bool models_load_text(ModelSet *ms, const char *name, const char *text, size_t len, char **err);
const Model *models_lookup(const ModelSet *ms, const char *function /* interned */);
uint64_t models_hash(const ModelSet *ms); /* for cache keys */
void models_free(ModelSet *ms);

/* ------------------------------------------------------ rule catalogue */

typedef enum Level { LEVEL_NONE, LEVEL_NOTE, LEVEL_WARNING, LEVEL_ERROR } Level;

typedef struct Rule {
    const char *id;          /* "thread-leak": fixed forever */
    const char *name;        /* "ThreadLeak" */
    const char *short_desc;  /* one sentence */
    const char *full_desc;   /* a paragraph */
    const char *help_md;     /* markdown: why it matters, how to fix, examples */
    const char *help_text;   /* the same as plain text */
    Level level;             /* default level */
    const char **tags; int ntags;
    const char **cwe; int ncwe; /* "CWE-404" */
    const char *precision;   /* SARIF/CodeQL precision: very-high, high, medium, low */
    const char *source;      /* "static" or "runtime" */
    bool enabled;            /* after --enable/--disable */
} Rule;

typedef struct Catalog { Rule *rules; int nrules; } Catalog;
bool catalog_load_text(Catalog *c, const char *name, const char *text, size_t len, char **err);
const Rule *catalog_find(const Catalog *c, const char *id);
int catalog_index(const Catalog *c, const Rule *r);

/* Shipped data (the YAML files under rules/) embedded at build time; users' model files are
 * read at run time with --models. */
typedef struct EmbeddedFile { const char *name; const char *data; size_t len; } EmbeddedFile;
extern const EmbeddedFile embedded_rule_files[];   /* NULL-name terminated */
extern const EmbeddedFile embedded_model_files[];

/* ------------------------------------------------------------ the IR */

/* A memory location, written as an interned key:
 *   root  `name` (local; `name#2` for a shadowing local), `$N` (parameter N),
 *         `@name` (global; `@name!file` for a static global)
 *   then  `.field`, `[]` (an element of an array object), `*` (pointee).
 * `p->f` is `p*.f`; `p[i]` on a pointer is `p*[]`; `a[i]` on an array is `a[]`.
 * A location is in the function's own frame when the root is local and the
 * key has no `*`; it is weak (stands for many objects) when it has `[]`.
 * `cls` names the location's class for whole-program matching: the last
 * field as `struct tag.field`, else the global `@name`, else NULL. */
typedef struct Path {
    const char *key;
    const char *cls;
} Path;

typedef enum OperandKind {
    OPND_NONE,    /* absent (e.g. `return;`) */
    OPND_CONST,   /* integer constant: value; name = enumerator/macro spelling if any */
    OPND_PATH,    /* the value stored at path */
    OPND_ADDR,    /* the address of path (`&t`, an array decaying) */
    OPND_TEMP,    /* the result of the call event with temp id `value` */
    OPND_FUNC,    /* a function designator: name = function name, key = link key */
    OPND_NULL,    /* a null pointer constant */
    OPND_UNKNOWN, /* anything else */
} OperandKind;

typedef struct Operand {
    uint8_t kind;
    int64_t value;
    Path path;
    const char *name;  /* OPND_FUNC / OPND_CONST name */
    const char *key;   /* OPND_FUNC link key */
    const char *text;  /* how the source spells it (for messages), interned */
} Operand;

typedef enum EventKind {
    EV_CALL,   /* callee(args) -> temp; `model` set when an API model binds it */
    EV_ASSIGN, /* args[0] (OPND_PATH dst) = args[1] */
    EV_DECL,   /* a local's lifetime starts (again): args[0] is the variable */
    EV_READ,   /* a read of non-local memory args[0] (for the race rule) */
    EV_WRITE,  /* a write of non-local memory args[0] */
} EventKind;

typedef struct Event {
    uint8_t kind;
    uint16_t nargs;
    int32_t temp;          /* EV_CALL: result temp id, or -1 when unused */
    Loc loc;
    const char *callee;    /* EV_CALL: name as written (interned), NULL if indirect */
    const char *callee_key;/* EV_CALL: link key of a direct callee */
    const Model *model;    /* EV_CALL: API model, or NULL */
    Operand *args;
    const Operand *fn;     /* EV_CALL through a pointer: the callee's value */
} Event;

typedef enum RelOp { REL_EQ, REL_NE, REL_LT, REL_LE, REL_GT, REL_GE } RelOp;

/* A branch tests `lhs REL rhs` with an integer constant rhs; `if (x)` is
 * x != 0. Conditions the IR cannot express have lhs.kind == OPND_UNKNOWN. */
typedef struct Cond { Operand lhs; uint8_t rel; int64_t rhs; } Cond;

typedef enum TermKind {
    TERM_JUMP,     /* succ[0] */
    TERM_BRANCH,   /* cond true -> succ[0], false -> succ[1] */
    TERM_RETURN,   /* ret (maybe OPND_NONE); also falling off the end */
    TERM_EXIT,     /* the process or thread ends here (exit, abort, pthread_exit...) */
} TermKind;

typedef struct Block {
    Event *ev; int nev;
    uint8_t term;
    int succ[2];
    Cond cond;
    Operand ret;
    Loc term_loc;          /* the return/branch/exit statement */
} Block;

typedef struct Function {
    const char *name;      /* interned */
    const char *key;       /* link key: USR, plus the file for internal linkage */
    Loc loc;               /* the name in the definition */
    Loc end;               /* the closing brace */
    const char **params; int nparams;  /* parameter names */
    bool is_static;
    Block *blocks; int nblocks;        /* blocks[0] is the entry */
    int ntemps;
    struct TuFacts *tu;
    struct ThreadSummary *thread_sum;  /* filled by analyses/ */
    struct LockSummary *lock_sum;
    int scc;                           /* link/: SCC id, bottom-up order */
    int index;                         /* link/: position in Program.funcs */
} Function;

typedef struct Diag { Loc loc; char *text; bool error; } Diag;

/* Everything the analyses need from one translation unit. */
typedef struct TuFacts {
    const char *file;      /* interned absolute main file */
    Function *funcs; int nfuncs;
    Diag *diags; int ndiags; /* errors (and fatal problems) from the front end */
    int nerrors;
    bool failed;           /* no AST at all */
    Arena *arena;
} TuFacts;

/* ir/: building and printing */
void ir_dump(FILE *out, const TuFacts *tu);
const char *rel_spelling(RelOp r);
const char *op_name(OpKind op);
bool path_is_frame_local(const char *key);
bool path_is_weak(const char *key);
int path_param_index(const char *key);  /* N for `$N...`, else -1 */
bool path_is_global(const char *key);
const char *path_root_end(const char *key); /* first char after the root */

/* -------------------------------------------------------- the inputs */

/* One translation unit to analyse: the compiler arguments are the ones that
 * matter to a parse (-I, -D, -std...), without the compiler and -c/-o. */
typedef struct Job {
    const char *file;      /* absolute */
    const char *directory; /* absolute working directory */
    char **args; int nargs;
} Job;

typedef struct JobList { Job *jobs; int njobs; } JobList;

/* Reads compile_commands.json; keeps only the entries for `only` files when
 * nonly > 0. Returns false with *err set (malloc'd) naming the file and the
 * problem. Entries for the same file are deduplicated (first wins). */
bool compdb_load(const char *path, const char **only, int nonly, JobList *out, char **err);
/* Looks for compile_commands.json in dir and its parents; malloc'd or NULL. */
char *compdb_find(const char *dir);
/* Splits a shell command line ("command" form) into argv; false on bad quoting. */
bool split_command_line(const char *cmd, char ***argv, int *argc);

/* --------------------------------------------------------- front end */

typedef struct FrontendOptions {
    const ModelSet *models;
    bool parse_only;     /* benchmark: parse and dispose, no lowering */
} FrontendOptions;

typedef struct Frontend Frontend;   /* one per worker thread (owns a CXIndex) */
Frontend *frontend_new(const FrontendOptions *opt);
TuFacts *frontend_run(Frontend *fe, const Job *job);
void frontend_free(Frontend *fe);

/* ------------------------------------------------------ the program */

typedef struct Program {
    TuFacts **tus; int ntus;
    Function **funcs; int nfuncs;  /* every defined function, bottom-up SCC order */
    bool whole_program;            /* false when only part of a database is analysed */
} Program;

void program_link(Program *p);     /* indexes functions, orders SCCs */
Function *program_lookup(const Program *p, const char *key);

/* ----------------------------------------------------------- findings */

typedef struct Related { Loc loc; const char *msg; } Related;
typedef struct FlowStep { Loc loc; const char *msg; int depth; } FlowStep;
typedef struct Flow { const char *name; FlowStep *steps; int nsteps; } Flow;

typedef struct Finding {
    const Rule *rule;
    Loc loc;
    char *message;
    Related *related; int nrelated;
    Flow *flows; int nflows;
    const char *function;   /* where it was found, for stable keys */
    const char *stable_key; /* line-independent identity (hashed into a fingerprint) */
} Finding;

typedef struct Findings { VEC(Finding) v; } Findings;
void findings_add(Findings *fs, Finding f);
void findings_sort_dedup(Findings *fs);   /* by file/line/col/rule; drops exact duplicates */

/* ------------------------------------------------------------ analyses */

typedef struct AnalysisContext {
    const Catalog *catalog;
    const ModelSet *models;   /* to bind calls resolved only during analysis */
    Program *program;
    Findings *out;
} AnalysisContext;

void analyze_threads(AnalysisContext *cx);  /* thread-leak */
void analyze_locks(AnalysisContext *cx);    /* lock-order-inversion, lock-double-acquire,
                                               lock-release-unheld, lock-held-at-exit */

/* -------------------------------------------------------------- report */

typedef struct Notification { Loc loc; char *text; Level level; } Notification;

typedef struct ReportInfo {
    const Catalog *catalog;
    const Findings *findings;
    const Notification *notes; int nnotes;  /* tool execution notifications */
    const char *srcroot;       /* absolute; URIs are relative to it */
    char **argv; int argc;     /* the command line, for invocations */
    bool success;              /* the analysis completed */
    int exit_code;
} ReportInfo;

void report_text(FILE *out, const ReportInfo *ri, bool color);
/* Writes SARIF 2.1.0; returns false with *err set on I/O failure. */
bool report_sarif(const char *path, const ReportInfo *ri, char **err);
/* GitHub's primaryLocationLineHash for `line` (1-based) of a file's text. */
char *line_hash(const char *text, size_t len, uint32_t line);

#endif
