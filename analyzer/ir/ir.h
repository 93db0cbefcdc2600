/* ir.h — the event IR: source locations, memory-location keys, operands,
 * events, blocks, functions and the facts of one translation unit. It is
 * plain data with interned strings: nothing after the front end sees libclang. */
#ifndef THREADVET_IR_H
#define THREADVET_IR_H

#include "config/models.h"
#include "util/util.h"


/* A source range in the file the user sees (macro uses are reported at the
 * expansion site). Lines and columns are 1-based; columns count bytes. */
typedef struct Loc {
    const char *file; /* interned absolute path, or NULL when unknown */
    uint32_t line, col, end_line, end_col;
} Loc;


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
    /* The key with its constant subscripts (`@locks[1]`), when it has
     * any: one element of the array the key's `[]` stands for. Rules that
     * tell elements apart use it; the engine follows `key`. */
    const char *elem;
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
    OPND_OFFSET,  /* the value stored at path, plus `value` (`i++`, `n -= 2`) */
} OperandKind;

/* Every pass reads operands by the million, and their bytes are what those
 * passes wait for: 64 bytes, the names and the alternatives sharing room
 * (an operand with alternatives has no name). */
typedef struct Operand {
    uint8_t kind;
    bool narrow;       /* of a type too narrow to hold an address (int, float, enum): points-to skips it */
    int nalts;         /* > 0: alts, not name and key */
    int64_t value;
    Path path;
    const char *text;  /* how messages name it, from its spelling (spelling_shown), interned */
    union {
        struct {
            const char *name;  /* OPND_FUNC / OPND_CONST name */
            const char *key;   /* OPND_FUNC link key */
        };
        /* OPND_UNKNOWN chosen among values (`c ? &a : &b`): the path-sensitive
         * engine takes it as unknown; points-to takes it as one of these. */
        const struct Operand *alts;
    };
} Operand;

typedef enum EventKind {
    EV_CALL,   /* callee(args) -> temp; `model` set when an API model binds it */
    EV_ASSIGN, /* args[0] (OPND_PATH dst) = args[1] */
    EV_DECL,   /* a local's lifetime starts (again): args[0] is the variable */
    EV_READ,   /* a read of non-local memory args[0] (for the race rule) */
    EV_WRITE,  /* a write of non-local memory args[0] */
} EventKind;

/* Event.flags of an EV_READ / EV_WRITE: accesses no other thread can race
 * with (the race rule skips them; the location stays for the others). */
enum { ACCESS_ATOMIC = 1,       /* an `_Atomic` object */
       ACCESS_THREAD_LOCAL = 2  /* a `_Thread_local` / `__thread` variable */ };

typedef struct Event {
    uint8_t kind;
    uint8_t flags;         /* EV_READ / EV_WRITE: ACCESS_* */
    uint16_t nargs;
    int32_t temp;          /* EV_CALL: result temp id, or -1 when unused */
    Loc loc;
    const char *callee;    /* EV_CALL: name as written (interned), NULL if indirect */
    const char *callee_key;/* EV_CALL: link key of a direct callee */
    const Model *model;    /* EV_CALL: API model, or NULL */
    Operand *args;
    const Operand *fn;     /* EV_CALL through a pointer: the callee's value */
    const char *fn_type;   /* ... and the function type it calls (canonical spelling);
                              for a create, that of a start routine read from memory */
    /* Its number in the program being analysed (1..Program.nevents), set
     * by program_link: passes keep per-event facts in arrays by it. */
    uint32_t id;
} Event;

typedef enum RelOp { REL_EQ, REL_NE, REL_LT, REL_LE, REL_GT, REL_GE } RelOp;

/* A branch tests `lhs REL rhs` with an integer constant rhs; `if (x)` is
 * x != 0. Conditions the IR cannot express have lhs.kind == OPND_UNKNOWN. */
typedef struct Cond {
    Operand lhs; uint8_t rel; int64_t rhs;
    /* A comparison of two varying values (`x->id < y->id`), which the
     * engine cannot follow: cmp[0] REL cmp[1], or NULL. */
    const Operand *cmp;
} Cond;

typedef enum TermKind {
    TERM_JUMP,     /* succ[0] */
    TERM_BRANCH,   /* cond true -> succ[0], false -> succ[1] */
    TERM_RETURN,   /* ret (maybe OPND_NONE); also falling off the end */
    TERM_EXIT,     /* the process or thread ends here (exit, abort, pthread_exit...) */
} TermKind;

/* What a block's terminator says beyond its kind and successors: the
 * branch's condition, the returned value, where the statement is. Kept out
 * of Block, which every pass walks for term and succ alone: a block is then
 * 32 bytes, two to a cache line, instead of 232. */
typedef struct BlockEnd {
    Cond cond;
    Operand ret;
    Loc loc;               /* the return/branch/exit statement */
} BlockEnd;

typedef struct Block {
    Event *ev; int nev;
    uint8_t term;
    int succ[2];
    BlockEnd *end;         /* never NULL */
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
    struct Event **calls; int ncalls;  /* link/: its calls that reach definitions, in order */
    bool self_call;                    /* link/: one of them may reach itself */
    int ncallers;                      /* link/: calls in the program that may reach it */
    /* link/: every call event, in order, and where each block's calls
     * start in it (nblocks + 1 entries): the passes that look only at
     * calls walk these, not every event (calls are a tenth of them). */
    struct Event **callev; int ncallev;
    int *block_calls;
    bool names_fn;                     /* link/: an event other than a call has a function as an operand */
    bool call_names_fn;                /* link/: a call has a function as an argument or as its callee's value */
    bool sets_global_flag;             /* link/: it stores a nonzero constant to a global scalar (`running = 1`) */
    struct CallInfo *callinfo;         /* link/: what it resolved of each call, as callev (link/program.h's _at) */
} Function;

typedef struct Diag { Loc loc; char *text; bool error; } Diag;

/* Everything the analyses need from one translation unit. */
typedef struct TuFacts {
    const char *file;      /* interned absolute main file */
    Function *funcs; int nfuncs;
    Diag *diags; int ndiags; /* errors (and fatal problems) from the front end */
    int nerrors;
    bool failed;           /* no AST at all */
    /* Functions named in initializers (`{.run = worker}`), by function
     * type: values function pointers may hold that no assignment shows. */
    struct InitFn { const char *type, *key; } *initfns; int ninitfns;
    /* Statics a macro initializes as recursive mutexes (location keys). */
    const char **recursive_locks; int nrecursive_locks;
    /* Every header the unit read (interned, absolute): facts/ keys its
     * cache entry on their content. */
    const char **includes; int nincludes;
    Arena *arena;
    /* facts/: the checksum of the unit's facts (its IR and the content of
     * every file it was made from) once written or read; 0 when unknown.
     * The results cache keys the whole program's analysis on these. */
    uint64_t digest;
} TuFacts;

/* ir/: building and printing */
void ir_dump(FILE *out, const TuFacts *tu);
/* The same, with what later stages know printed beside it: a function's
 * lines after its header, an event's text before its location. */
typedef struct DumpHooks {
    void (*function)(FILE *out, const Function *fn, void *ctx);
    void (*event)(FILE *out, const Event *ev, void *ctx);
    void *ctx;
} DumpHooks;
void ir_dump_with(FILE *out, const TuFacts *tu, const DumpHooks *h);
const char *rel_spelling(RelOp r);
/* How an operand spelt t is named in messages: `&x` (addr) is x, outer
 * parentheses dropped; interned. Operand.text holds it made so. */
const char *spelling_shown(const char *t, bool addr);
int block_nsucc(const Block *b);                  /* 0, 1 or 2 successors by the terminator */
bool block_in_cycle(const Function *fn, int b);   /* b lies in a loop: it can reach itself */
bool path_is_frame_local(const char *key);
bool path_is_weak(const char *key);
int path_param_index(const char *key);  /* N for `$N...`, else -1 */
bool path_is_global(const char *key);
/* A global stored whole, no member of an array or pointee (`@running`,
 * `@cfg.stop`): what a run flag can be. */
bool path_is_global_scalar(const char *key);
const char *path_root_end(const char *key); /* first char after the root */
/* A class as a location key, `@^struct q.mu`: global-like, but many
 * objects (a lock or handle known only by its field). NULL for NULL. */
const char *class_key(const char *cls);
/* A class extended below its field (`struct s.mu` + `.m` = `struct s.mu.m`),
 * its private-file mark (`!file`) kept last; NULL when too long. */
const char *class_extend(const char *cls, const char *suffix);
/* class_extend for a lock reached from holder through a pointer
 * (`struct op.replyq` + `.q*.lock`): many holders may point to one object,
 * so the lock is remembered to be of class `base` (the lock's own, `struct
 * queue.lock`) all the same. class_base: that class, or cls itself. */
const char *class_extend_through(const char *holder, const char *suffix, const char *base);
const char *class_base(const char *cls);

const char *pathkey_append(const char *key, const char *suffix);
/* pathkey_append remembered per thread by address: key interned, suffix
 * interned, a literal or inside an interned string (never a buffer). */
const char *pathkey_join(const char *key, const char *suffix);
/* The root of an interned key (`p` of `p*.f`), interned; remembered. */
const char *path_root(const char *key);
/* What an interned key is, remembered (the predicates above scan it). */
enum { PT_WEAK = 1,      /* path_is_weak */
       PT_GLOBAL = 2,    /* path_is_global */
       PT_PARAM = 4,     /* rooted at a parameter (`$N...`) */
       PT_ROOT_ONLY = 8, /* nothing after the root */
       PT_STAR = 16,     /* a dereference somewhere */
       PT_ROOT_DEREF = 32 }; /* the root's value dereferenced (`p*...`) */
unsigned path_traits(const char *key);
bool path_within(const char *key, const char *prefix);
/* Whether `a REL b` holds. */
bool rel_holds(RelOp r, int64_t a, int64_t b);

/* Walks over the whole program's IR wait on memory, not work: what they
 * read next is fetched ahead. Block b's events (its first cache lines): */
static inline void ir_prefetch_block(const Function *fn, int b) {
    if (b < 0 || b >= fn->nblocks) return;
    const char *q = (const char *)fn->blocks[b].ev, *end = q + sizeof(Event) * (size_t)fn->blocks[b].nev;
    for (int n = 0; q < end && n < 16; q += 64, n++) __builtin_prefetch(q);
}

/* ... every block's events of fn (their first lines), while another
 * function is being worked on: */
static inline void ir_prefetch_function(const Function *fn) {
    for (int b = 0; b < fn->nblocks; b++) ir_prefetch_block(fn, b);
}

/* ... and, walking funcs[0..n) at i, the functions a few places ahead. */
static inline void ir_prefetch_ahead(Function *const *funcs, int n, int i) {
    if (i + 4 < n) __builtin_prefetch(funcs[i + 4]);
    if (i + 2 < n) __builtin_prefetch(funcs[i + 2]->blocks);
}


#endif
