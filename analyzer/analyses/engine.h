/* engine.h — the path-sensitive exploration every rule family shares.
 *
 * A function is explored block by block with a set of path states per
 * block (ESP-style: states merge only when their facts agree, so a flag set
 * on one path and tested later keeps the paths apart). A state holds:
 *   facts     what the rule tracks (a created thread, a held lock...), each
 *             with an id the client chooses (usually its creation site);
 *   bindings  what is known of locals and call results: constants, "not
 *             equal to n", "the result of the call that made fact #id"
 *             (refined at branches), addresses (`p = &x`), and tags a client
 *             puts on locations (an attribute marked detached);
 *   a trace   the steps of the path, for code flows.
 * The engine applies assignments and branches to bindings; clients handle
 * the events that matter to them and what happens at returns. */
#ifndef ENGINE_H
#define ENGINE_H

#include "analyses/framework.h"

#define FACT_KEYS 6

typedef struct Fact {
    int id;                 /* chosen by the client; unique in a state */
    uint8_t status;         /* client-defined (e.g. pending / live) */
    uint8_t nkeys;
    int16_t count;          /* client-defined (e.g. recursive holds) */
    const char *key[FACT_KEYS]; /* locations the fact lives at */
    const char *cls[FACT_KEYS];
    Loc at;                 /* where it started */
    const void *aux;        /* client data that does not take part in merging */
} Fact;

enum BindKind { VAL_CONST, VAL_NE, VAL_RESULT, VAL_ADDR, VAL_TAG, VAL_FUNC /* addr: a function's key */,
                VAL_PRED /* the result of a call of predicate n (Function.index): a test of it is its callee's */,
                VAL_NONNEG /* at least 0, else unknown: a result of a function whose errors are positive */ };

/* VAL_TAG values: what a client knows of a location or a call result. */
enum Tag { TAG_SELF = 1, TAG_DETACHED, TAG_RECURSIVE, TAG_RELEASED, TAG_OPAQUE, TAG_JOINED, TAG_ENTRY_RELEASED,
           TAG_OWNED, /* a pointer to memory this function allocated and still owns */
           TAG_PUBLISHED, /* such a pointer once stored where others can reach it */
           TAG_MAY_HELD /* a lock a callee reached through a pointer may return holding */ };

typedef struct Bind {
    const char *key;        /* a location key or a temp (`%N`) */
    uint8_t kind;
    int64_t n;              /* CONST / NE value; RESULT success value; TAG value */
    int fact;               /* RESULT: the fact its success decides */
    const char *addr;       /* ADDR: the key it points to (also a RESULT or NE
                               value known to point there when not null) */
    bool ne;                /* RESULT: success is "not equal to n" (a non-null pointer) */
    bool nonneg;            /* RESULT: never negative (success, or a positive error number) */
    bool derefd;            /* NE, ADDR: not null because the path reached through it (no test said so) */
} Bind;

/* A step's message is msg, or with arg the format msg (one %s) of arg:
 * formatted only when a finding's flow is made, not on every path. */
typedef struct Step { const struct Step *prev; Loc loc; const char *msg, *arg; } Step;

typedef struct State {
    VEC(Fact) facts;
    VEC(Bind) binds;
    const Step *trace;
    bool dead;              /* the path ended (a call that never returns) */
} State;

typedef struct Engine Engine;
typedef struct Shape Shape;

typedef struct Client {
    void *ctx;
    /* Before the exploration, once the loops are known. */
    void (*begin)(Engine *e);
    /* An event (calls, assignments, declarations, accesses). Before an
     * assignment's bindings change, so the client sees what the source
     * held. For a call, c says what it reaches on this path. */
    void (*event)(Engine *e, State *s, const Event *ev, const Callee *c);
    /* The branch decided whether the call that made fact `id` worked. */
    void (*result)(Engine *e, State *s, int id, bool success);
    /* The function returns (or its thread exits) on this path. */
    void (*ret)(Engine *e, State *s, const Block *b);
    /* The path took a branch's edge: s knows what its condition says
     * there, before it merges with others (which may not know it). */
    void (*branch)(Engine *e, State *s);
    /* The path enters the loop headed by block `head` from outside. */
    void (*loop_entry)(Engine *e, State *s, int loop);
} Client;

/* A natural loop: its head, its blocks, and the shared locations (not
 * the frame's) its branches test but its own code never assigns: what it
 * waits for another thread (or a call) to change. */
typedef struct LoopInfo { int head; bool *body; const char **waits; int nwaits; } LoopInfo;

/* Explores fn; returns false when the work budget ran out. A call that
 * never returns (PASS_NORETURN) ends its path after the client saw it. */
bool engine_run(const Analysis *a, Function *fn, const Client *c, bool *returns);
const Analysis *engine_analysis(const Engine *e);
/* Every function's loops and liveness, once for all that explore it
 * (the driver keeps them by function); engine_run computes its own when
 * analysis_shape has none. */
Shape *shape_new(Function *fn);
Shape *analysis_shape(const Analysis *a, const Function *fn);
void shape_free(Shape *sh);

void *engine_ctx(const Engine *e);
Function *engine_function(const Engine *e);
Arena *engine_arena(const Engine *e);
int engine_nloops(const Engine *e);
const LoopInfo *engine_loop(const Engine *e, int i);

const char *temp_key(int n);
/* The call of fn whose result is temp N (`%N`), or NULL. */
const Event *call_of_temp(const Function *fn, int64_t temp);
const char *operand_key(State *s, const Operand *o); /* temp or resolved path, else NULL */

Bind *bind_find(State *s, const char *key);
void bind_set(State *s, Bind b);
void bind_kill_within(State *s, const char *key);

Fact *fact_find(State *s, int id);
void fact_add(State *s, Fact f);
void fact_remove(State *s, int id);
bool fact_has_key(const Fact *f, const char *key);
void fact_add_key(Fact *f, const char *key, const char *cls);
void fact_drop_key(Fact *f, int i);

void state_step(Engine *e, State *s, Loc loc, const char *msg);
/* The same with the message msg's `%s` filled with arg when it is shown. */
void state_stepf(Engine *e, State *s, Loc loc, const char *fmt, const char *arg);
/* The path so far, oldest step first, ending with `end`: a finding's flow. */
Flow *state_flow(const State *s, Loc end, const char *end_msg);

/* What a call reaches on this path: linking's answer, refined by what
 * the path knows of a function pointer (`fp = worker; fp(x)`). */
Callee engine_callee(const Engine *e, State *s, const Event *ev);

/* The shared policy for code an analysis cannot see into: f is called for
 * each object the call may touch or keep, by what its argument points to:
 * unknown code may keep every pointer it is given (ARG_ESCAPE); a modelled
 * function does only what its model's `args` say. */
typedef void ArgFn(void *ctx, State *s, Path pointee, ArgUse use, const Operand *arg);
void engine_call_args(State *s, const Event *ev, const Callee *c, ArgFn *f, void *ctx);
/* Neither a definition nor a model: code we cannot see. */
bool callee_unknown(const Callee *c);

/* `p*.f` where p holds `&x` is `x.f`. */
const char *resolve_key(State *s, const char *key);
Path resolve(State *s, Path p);
/* The location an operand designates as an object: `&t` -> t, `p` -> p*. */
bool pointee(State *s, const Operand *o, Path *out);

/* What a path knows of values its callers can see: conditions on a
 * parameter (`$1 == 2`: a mode), a parameter's pointee (`$0*.in_callback
 * == 0`) or a global (`@use_lock != 0`). A summary effect keeps the
 * conditions of the paths that caused it; a call applies it only when the
 * caller's arguments and state do not contradict them, and passes on those
 * it cannot decide. This carries flag correlations across calls. */
#define GUARD_CONDS 6
typedef struct GuardCond { const char *key; uint8_t kind; int64_t value; } GuardCond; /* kind: VAL_CONST or VAL_NE */
typedef struct Guard { int n; GuardCond c[GUARD_CONDS]; } Guard;
Guard state_guard(const State *s);
/* The parameter-value part (modes), which keeps paths apart when merging. */
Guard state_mode(const State *s);
bool guard_same(const Guard *a, const Guard *b);
/* Keeps in a the conditions b has too: a guard that allows both. */
void guard_common(Guard *a, const Guard *b);
/* No values satisfy both: the paths were different modes or settings. */
bool guards_exclude(const Guard *a, const Guard *b);
/* False when call ev, on path s, contradicts the guard. */
bool guard_allows(const Guard *g, State *s, const Event *ev);
/* What a callee's conditions are at one call on one path, remembered by
 * key while the path's bindings do not change (clear n when they do). */
#define GUARD_MEMO 16
typedef struct GuardMemo {
    int n;
    struct GuardSeen { const char *key, *in_caller; uint8_t kind; int64_t value; bool known; } m[GUARD_MEMO];
} GuardMemo;
bool guard_allows_seen(const Guard *g, State *s, const Event *ev, GuardMemo *memo);
/* guard_allows, and when it does, guard_carry into *carried. */
bool guard_apply(const Guard *callee, State *s, const Event *ev, const Guard *caller, Guard *carried, GuardMemo *memo);

/* A predicate: a function whose every return is a constant and calls
 * nothing but predicates (`return td->o.overlap && td->o.mode == OFFLOAD;`),
 * with what each return's path knew of values its callers can see. A
 * caller's test of its result is a test of those (analyses/predicates.c). */
typedef struct PredReturn { int64_t value; Guard guard; } PredReturn;
typedef struct Predicate { int n; PredReturn *ret; } Predicate;
const Predicate *analysis_predicate(const Analysis *a, const Function *fn);
/* The guard's undecided conditions seen from the caller (through call ev's
 * arguments), joined with the caller's own: what a propagated effect keeps. */
Guard guard_carry(const Guard *callee, State *s, const Event *ev, const Guard *caller);
/* The path goes on as the callee's paths with guard g did: each condition
 * the caller does not know yet is bound (a lock wrapper's hold, taken as
 * held, says its object was valid: `m->mutex != 0`). */
void guard_assume(const Guard *g, State *s, const Event *ev);
/* `if op == 1 && in_callback == 0`, for summary dumps. */
void guard_print(FILE *out, const Function *fn, const Guard *g);

/* How the source names an operand's object, or its location in C syntax
 * when there is no spelling (`mosq->mu`, never `$0*.mu`). */
const char *operand_name(const Function *fn, const Operand *o);
/* The source spelling of an object operand: `&q->mu` is `q->mu`. */
const char *operand_text(const Operand *o);
/* How C would spell a location key of fn: `p*.f` is `p->f`. */
const char *display_key(const Function *fn, const char *key);
/* A summary path `$N rest` seen from the caller through call ev's argument N. */
bool subst_param(State *s, const Event *ev, Path sp, Path *out);
/* How the caller at ev names a callee's parameter path sp (`oh->mtx.priv->mtx`),
 * even where the path stands for its class; NULL when it cannot. */
const char *subst_name(State *s, const Function *fn, const Event *ev, Path sp);
/* The same with the parameter's root replaced by operand a (the argument a
 * thread's start routine gets, whatever its index). */
bool subst_operand(State *s, const Operand *a, Path sp, Path *out);
/* A location too deep in a recursive structure, as its class (`@^struct
 * pool.mu`); false when it has no class to stand for it. */
bool widen_path(Path *p);

#endif
