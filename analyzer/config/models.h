/* models.h — API models: which C functions perform which operations, and
 * which arguments play which role (data from rules/models/ and --models). */
#ifndef THREADVET_MODELS_H
#define THREADVET_MODELS_H

#include "util/util.h"


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
    OP_CHAN_MAKE,           /* channel (return, or {arg: N, out: true}): a new channel */
    OP_CHAN_DISPOSE,        /* channel: its end of life; `closes: true` when it closes first (a close
                               before it is legal either way) */
    OP_CHAN_SELECT,         /* waits on several channels (sends in it are not followed) */
    OP_ONCE,                /* start: a routine run once however many call it (pthread_once) */
    OP_ALLOC,               /* returns fresh memory owned by its caller (malloc, calloc...) */
    OP__COUNT
} OpKind;

enum { ROLE_NONE = -1, ROLE_RETURN = -2 };

/* One operation a modelled function performs, with the arguments that play
 * its roles. */
typedef struct ModelOp {
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
    bool closes;             /* OP_CHAN_DISPOSE: closes the channel first */
} ModelOp;

/* What a call does with what an argument points to, for the code that
 * cannot see the function: a function with no model may keep any pointer
 * it is given (escape); a modelled one does only what its model says. */
typedef enum ArgUse { ARG_NONE, ARG_READ, ARG_WRITE, ARG_ESCAPE } ArgUse;

#define MODEL_MAX_ARGS 32

/* One model entry: the operations `function` performs (often one; a
 * dispose that also closes has two), in order. */
typedef struct Model {
    const char *function;    /* interned C function name */
    int arity;               /* its number of parameters, or -1 when not given */
    bool variadic;           /* more arguments may follow the `arity` ones */
    bool noreturn;           /* never returns (exit, abort, a failed assert...) */
    bool errors_positive;    /* `errors: positive`: returns 0 or a positive error number, never a negative value */
    bool has_args;           /* `args` gave the use of each argument */
    uint8_t args[MODEL_MAX_ARGS]; /* ArgUse per argument (ARG_NONE past the list) */
    ModelOp *ops; int nops;
    const char *origin;      /* "file:line" of the model entry, for messages */
} Model;

/* The first op of m of the given kind, or NULL. */
const ModelOp *model_op(const Model *m, OpKind op);
/* How a call to m treats argument i (ARG_ESCAPE for no model at all). */
ArgUse model_arg_use(const Model *m, int i);

/* The op's spelling in model files and dumps (`thread-create`). */
const char *op_name(OpKind op);

typedef struct ModelSet ModelSet;
ModelSet *models_new(void);
/* Loads a YAML model file (or in-memory text, `name` used in messages).
 * On error returns false and sets *err to "NAME:LINE:COL: problem" (malloc'd). */
bool models_load_file(ModelSet *ms, const char *path, char **err);
bool models_load_text(ModelSet *ms, const char *name, const char *text, size_t len, char **err);
const Model *models_lookup(const ModelSet *ms, const char *function /* interned */);
/* Whether macro `name` (interned) initializes a mutex as recursive. */
bool models_recursive_initializer(const ModelSet *ms, const char *name);
bool models_have_recursive_initializers(const ModelSet *ms);
uint64_t models_hash(const ModelSet *ms); /* for cache keys */
void models_free(ModelSet *ms);

#endif
