/* models.c — API models: which C functions create, join, lock... threads
 * and which arguments play which role. They are data (YAML under
 * rules/models/ and the user's --models files): a new API needs no C. */
#include "config/yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAX_ARG (MODEL_MAX_ARGS - 1)

/* An op's keys: what it does and which arguments play which role. `lock:`
 * and `channel:` read better than `handle:` for those APIs. */
typedef enum Field {
    F_OP, F_HANDLE, F_ATTR, F_START, F_START_ARG, F_STATE, F_SUCCESS, F_DETACHED,
    F_SHARED, F_RECURSIVE, F_RECURSIVE_MASK, F_CLOSES, F__COUNT
} Field;

static const struct { const char *key; Field field; } op_keys[] = {
    {"op", F_OP},             {"handle", F_HANDLE},  {"lock", F_HANDLE},
    {"channel", F_HANDLE},    {"attr", F_ATTR},      {"start", F_START},
    {"start-arg", F_START_ARG}, {"state", F_STATE},  {"success", F_SUCCESS},
    {"detached", F_DETACHED}, {"shared", F_SHARED},  {"recursive", F_RECURSIVE},
    {"recursive-mask", F_RECURSIVE_MASK}, {"closes", F_CLOSES},
};
#define N_OP_KEYS ((int)(sizeof op_keys / sizeof op_keys[0]))

/* An entry's own keys: the function and what holds for all its ops. */
typedef enum EntryField { E_FUNCTION, E_ARITY, E_VARIADIC, E_NORETURN, E_ARGS, E_EFFECTS, E_ERRORS, E__COUNT } EntryField;
static const char *const entry_keys[E__COUNT] = {"function", "arity", "variadic", "noreturn", "args", "effects", "errors"};

static const char *const arg_use_names[] = {"none", "read", "write", "escape"};

/* The ops' spellings, in model files and in `dump-ir`. */
static const char *const op_names[OP__COUNT] = {
    [OP_NONE] = "call", [OP_THREAD_CREATE] = "thread-create", [OP_THREAD_JOIN] = "thread-join",
    [OP_THREAD_DETACH] = "thread-detach", [OP_THREAD_SELF] = "thread-self",
    [OP_THREAD_EXIT] = "thread-exit", [OP_ATTR_SET_DETACHSTATE] = "attr-set-detachstate",
    [OP_PROCESS_EXIT] = "process-exit", [OP_LOCK] = "lock", [OP_TRYLOCK] = "trylock",
    [OP_UNLOCK] = "unlock", [OP_COND_WAIT] = "cond-wait", [OP_LOCK_INIT] = "lock-init",
    [OP_MUTEXATTR_SETTYPE] = "mutexattr-settype", [OP_CHAN_CLOSE] = "chan-close", [OP_CHAN_SEND] = "chan-send",
    [OP_CHAN_RECV] = "chan-recv", [OP_CHAN_MAKE] = "chan-make", [OP_CHAN_DISPOSE] = "chan-dispose",
    [OP_CHAN_SELECT] = "chan-select", [OP_ONCE] = "once", [OP_ALLOC] = "alloc",
};

const char *op_name(OpKind op) { return op < OP__COUNT ? op_names[op] : "?"; }

/* ------------------------------------------------------------ the table */

/* Open addressing keyed by the interned name's address: lookups from the
 * front end are one hash of a pointer, no string compares. */
typedef struct Table { Model **slots; size_t cap, used; } Table;

static size_t slot_of(const char *fn, size_t cap) {
    return (size_t)XXH3_64bits(&fn, sizeof fn) & (cap - 1);
}

static Model *table_get(const Table *t, const char *fn) {
    if (!t->cap) return NULL;
    for (size_t j = slot_of(fn, t->cap);; j = (j + 1) & (t->cap - 1)) {
        Model *m = t->slots[j];
        if (!m || m->function == fn) return m;
    }
}

static void table_grow(Table *t);

/* Inserts m, replacing the model of the same function. */
static void table_put(Table *t, Model *m) {
    if ((t->used + 1) * 2 > t->cap) table_grow(t);
    size_t j = slot_of(m->function, t->cap);
    while (t->slots[j] && t->slots[j]->function != m->function) j = (j + 1) & (t->cap - 1);
    if (!t->slots[j]) t->used++;
    t->slots[j] = m;
}

static void table_grow(Table *t) {
    Table bigger = {xcalloc(t->cap ? t->cap * 2 : 64, sizeof(Model *)), t->cap ? t->cap * 2 : 64, 0};
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i]) table_put(&bigger, t->slots[i]);
    free(t->slots);
    *t = bigger;
}

struct ModelSet {
    Table current;      /* function -> its latest model */
    VEC(Model *) all;   /* every model loaded (replaced ones too), for models_free */
    VEC(const char *) recursive_inits; /* interned macro names of recursive mutex initializers */
};

ModelSet *models_new(void) { return xcalloc(1, sizeof(ModelSet)); }

static void model_free(Model *m) {
    if (!m) return;
    for (int i = 0; i < m->nops; i++) free(m->ops[i].detached_names), free(m->ops[i].recursive_names);
    free(m->ops);
    free(m);
}

void models_free(ModelSet *ms) {
    if (!ms) return;
    for (int i = 0; i < ms->all.len; i++) model_free(ms->all.data[i]);
    free(ms->all.data), free(ms->recursive_inits.data);
    free(ms->current.slots);
    free(ms);
}

const Model *models_lookup(const ModelSet *ms, const char *function) {
    return ms && function ? table_get(&ms->current, function) : NULL;
}

const ModelOp *model_op(const Model *m, OpKind op) {
    for (int i = 0; m && i < m->nops; i++)
        if (m->ops[i].op == op) return &m->ops[i];
    return NULL;
}

ArgUse model_arg_use(const Model *m, int i) {
    if (!m) return ARG_ESCAPE;
    if (!m->has_args || i < 0 || i >= MODEL_MAX_ARGS) return ARG_NONE;
    return (ArgUse)m->args[i];
}

/* ------------------------------------------------------------ the loader */

typedef struct Loader {
    YDoc d;
    VEC(Model *) pending;  /* committed only when the whole file is valid */
    Table seen;            /* this file's functions, for duplicates */
    bool errors_positive;  /* the file's `errors:`, each entry's default */
} Loader;

static bool fail_index(Loader *L, const char *key, const yaml_node_t *v) {
    const char *s = ydoc_scalar(v);
    if (s) return ydoc_fail(&L->d, v, "'%s' must be an argument index 0..%d, not '%s'", key, MAX_ARG, s);
    return ydoc_fail(&L->d, v, "'%s' must be an argument index 0..%d", key, MAX_ARG);
}

static bool parse_index(Loader *L, const char *key, const yaml_node_t *v, int *out) {
    int64_t i;
    if (!ydoc_int(v, &i) || i < 0 || i > MAX_ARG) return fail_index(L, key, v);
    *out = (int)i;
    return true;
}

/* `arg: N` (or `arg: return`) and `out: BOOL` inside `handle: {...}`. */
static bool parse_handle_map(Loader *L, const char *key, const yaml_node_t *v, ModelOp *m) {
    bool has_arg = false;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ydoc_node(&L->d, p->key), *val = ydoc_node(&L->d, p->value);
        const char *ks = ydoc_scalar(k);
        const char *vs = ydoc_scalar(val);
        if (ks && !strcmp(ks, "arg")) {
            if (vs && !strcmp(vs, "return")) m->handle = ROLE_RETURN;
            else if (!parse_index(L, key, val, &m->handle)) return false;
            has_arg = true;
        } else if (ks && !strcmp(ks, "out")) {
            if (!ydoc_bool(val, &m->handle_out))
                return ydoc_fail(&L->d, val, "'out' in '%s' must be true or false", key);
        } else {
            return ydoc_fail(&L->d, k, "unknown key '%s' in '%s' (valid keys: arg, out)", ks ? ks : "?", key);
        }
    }
    if (!has_arg) return ydoc_fail(&L->d, v, "'%s' needs 'arg: N'", key);
    return true;
}

/* `handle: N`, `handle: return` or `handle: {arg: N, out: true}`. */
static bool parse_handle(Loader *L, const char *key, const yaml_node_t *v, ModelOp *m) {
    if (v->type == YAML_MAPPING_NODE) return parse_handle_map(L, key, v, m);
    const char *s = ydoc_scalar(v);
    if (s && !strcmp(s, "return")) {
        m->handle = ROLE_RETURN;
        return true;
    }
    int64_t i;
    if (ydoc_int(v, &i) && i >= 0 && i <= MAX_ARG) {
        m->handle = (int)i;
        return true;
    }
    return ydoc_fail(&L->d, v, "'%s' must be an argument index 0..%d, 'return', or {arg: N, out: true}",
                     key, MAX_ARG);
}

/* The op spellings are the IR's dump's too: one table for both. */
static bool parse_op(Loader *L, const yaml_node_t *v, ModelOp *m) {
    const char *s = ydoc_scalar(v);
    const char *names[OP__COUNT];
    for (int op = OP_NONE + 1; op < OP__COUNT; op++) {
        names[op - 1] = op_name((OpKind)op);
        if (s && !strcmp(s, names[op - 1])) return m->op = (OpKind)op, true;
    }
    char *valid = ydoc_join(names, OP__COUNT - 1);
    ydoc_fail(&L->d, v, "unknown op '%s' (valid ops: %s)", s ? s : "?", valid);
    free(valid);
    return false;
}

static bool set_field(Loader *L, Field f, const char *key, const yaml_node_t *v, ModelOp *m) {
    switch (f) {
    case F_OP: return parse_op(L, v, m);
    case F_HANDLE: return parse_handle(L, key, v, m);
    case F_ATTR: return parse_index(L, key, v, &m->attr);
    case F_START: return parse_index(L, key, v, &m->start);
    case F_START_ARG: return parse_index(L, key, v, &m->start_arg);
    case F_STATE: return parse_index(L, key, v, &m->state);
    case F_SUCCESS:
        if (!ydoc_int(v, &m->success)) return ydoc_fail(&L->d, v, "'success' must be an integer");
        m->has_success = true;
        return true;
    case F_DETACHED:
        if (!ydoc_string_list(&L->d, v, &m->detached_names, &m->n_detached_names))
            return ydoc_fail(&L->d, v, "'detached' must be a list of strings");
        return true;
    case F_SHARED:
        if (!ydoc_bool(v, &m->shared)) return ydoc_fail(&L->d, v, "'shared' must be true or false");
        return true;
    case F_RECURSIVE:
        if (!ydoc_string_list(&L->d, v, &m->recursive_names, &m->n_recursive_names))
            return ydoc_fail(&L->d, v, "'recursive' must be a list of strings");
        return true;
    case F_CLOSES:
        if (!ydoc_bool(v, &m->closes)) return ydoc_fail(&L->d, v, "'closes' must be true or false");
        return true;
    case F_RECURSIVE_MASK:
        if (!ydoc_int(v, &m->recursive_mask)) return ydoc_fail(&L->d, v, "'recursive-mask' must be an integer");
        m->has_recursive_mask = true;
        return true;
    default: return false;
    }
}

static int find_op_key(const char *k) {
    for (int i = 0; k && i < N_OP_KEYS; i++)
        if (!strcmp(k, op_keys[i].key)) return i;
    return -1;
}

static int find_entry_key(const char *k) {
    for (int i = 0; k && i < E__COUNT; i++)
        if (!strcmp(k, entry_keys[i])) return i;
    return -1;
}

static bool unknown_key(YDoc *d, const yaml_node_t *k, const char *const *valid, int n) {
    const char *ks = ydoc_scalar(k);
    char *list = ydoc_join(valid, n);
    ydoc_fail(d, k, "unknown key '%s' (valid keys: %s)", ks ? ks : "?", list);
    free(list);
    return false;
}

/* Every key an entry may have, for "unknown key" messages: the function
 * first, then an op's keys, then the rest of the entry's. */
static bool unknown_model_key(Loader *L, const yaml_node_t *k, bool in_effects) {
    const char *names[N_OP_KEYS + E__COUNT];
    int n = 0;
    if (!in_effects) names[n++] = entry_keys[E_FUNCTION];
    for (int i = 0; i < N_OP_KEYS; i++) names[n++] = op_keys[i].key;
    for (int i = E_ARITY; !in_effects && i < E__COUNT; i++) names[n++] = entry_keys[i];
    return unknown_key(&L->d, k, names, n);
}

/* The role an op cannot work without: a lock op on no lock would bind
 * every call and never report anything. */
static bool check_roles(Loader *L, const yaml_node_t *at, const Model *m, const ModelOp *op, const char *const *given) {
    const char *need = NULL;
    switch (op->op) {
    case OP_THREAD_CREATE: case OP_THREAD_JOIN: case OP_THREAD_DETACH:
        if (!given[F_HANDLE]) need = "handle";
        break;
    case OP_LOCK: case OP_TRYLOCK: case OP_UNLOCK: case OP_COND_WAIT: case OP_LOCK_INIT:
        if (!given[F_HANDLE]) need = "lock";
        break;
    case OP_ATTR_SET_DETACHSTATE: case OP_MUTEXATTR_SETTYPE:
        if (!given[F_ATTR]) need = "attr";
        break;
    case OP_CHAN_CLOSE: case OP_CHAN_SEND: case OP_CHAN_RECV: case OP_CHAN_MAKE: case OP_CHAN_DISPOSE:
        if (!given[F_HANDLE]) need = "channel";
        break;
    case OP_ONCE:
        if (!given[F_START]) need = "start";
        break;
    default:
        break;
    }
    if (need) return ydoc_fail(&L->d, at, "model for '%s' (op %s) needs '%s'", m->function, op_name(op->op), need);
    return true;
}

/* Reads one op's keys from a mapping (an entry, or an item of `effects`);
 * the entry's own keys are skipped (given[] marks them) unless in_effects. */
static bool parse_op_fields(Loader *L, const yaml_node_t *map, Model *m, ModelOp *op, bool in_effects, bool *has_op) {
    const char *given[F__COUNT] = {0};
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ydoc_node(&L->d, p->key);
        const char *ks = ydoc_scalar(k);
        int i = find_op_key(ks);
        if (i < 0) {
            if (!in_effects && find_entry_key(ks) >= 0) continue;
            return unknown_model_key(L, k, in_effects);
        }
        const char *key = op_keys[i].key;
        Field f = op_keys[i].field;
        if (given[f] && !strcmp(given[f], key)) return ydoc_fail(&L->d, k, "duplicate key '%s'", key);
        if (given[f]) return ydoc_fail(&L->d, k, "'%s' and '%s' are the same field; give one", given[f], key);
        given[f] = key;
        if (!set_field(L, f, key, ydoc_node(&L->d, p->value), op)) return false;
    }
    *has_op = given[F_OP] != NULL;
    bool any = false;
    for (int f = 0; f < F__COUNT; f++) any |= given[f] != NULL;
    if (!*has_op && (any || in_effects)) return ydoc_fail(&L->d, map, "model for '%s' has no 'op'", m->function);
    return !*has_op || check_roles(L, map, m, op, given);
}

static ModelOp new_op(void) {
    return (ModelOp){.handle = ROLE_NONE, .attr = ROLE_NONE, .start = ROLE_NONE, .start_arg = ROLE_NONE,
                     .state = ROLE_NONE};
}

/* `args: [read, none, escape]`: what the function does with each argument. */
static bool parse_args(Loader *L, const yaml_node_t *v, Model *m) {
    if (v->type != YAML_SEQUENCE_NODE)
        return ydoc_fail(&L->d, v, "'args' must be a list of argument uses (none, read, write, escape)");
    int i = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++, i++) {
        const yaml_node_t *item = ydoc_node(&L->d, *it);
        const char *s = ydoc_scalar(item);
        int use = -1;
        for (int u = 0; s && u < 4; u++)
            if (!strcmp(s, arg_use_names[u])) use = u;
        if (use < 0) return ydoc_fail(&L->d, item, "unknown argument use '%s' (valid: none, read, write, escape)", s ? s : "?");
        if (i > MAX_ARG) return ydoc_fail(&L->d, item, "'args' lists more than %d arguments", MAX_ARG + 1);
        m->args[i] = (uint8_t)use;
    }
    m->has_args = true;
    return true;
}

/* `effects: [{op: ..., lock: 0}, ...]`: several ops, in order. */
static bool parse_effects(Loader *L, const yaml_node_t *v, Model *m) {
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
        return ydoc_fail(&L->d, v, "'effects' must be a non-empty list of ops ({op: OP, ...})");
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ydoc_node(&L->d, *it);
        if (item->type != YAML_MAPPING_NODE) return ydoc_fail(&L->d, item, "an item of 'effects' must be a mapping (op: OP, ...)");
        ModelOp op = new_op();
        bool has_op;
        m->ops = xrealloc(m->ops, sizeof(ModelOp) * (m->nops + 1));
        m->ops[m->nops] = op;
        if (!parse_op_fields(L, item, m, &m->ops[m->nops], true, &has_op)) return ++m->nops, false;
        m->nops++;
    }
    return true;
}

/* `errors: positive` (POSIX threads: 0, or a positive error number) or
 * `errors: any` (the default: nothing known of a failure's value). */
static bool parse_errors(Loader *L, const yaml_node_t *v, bool *positive) {
    const char *s = ydoc_scalar(v);
    if (!s || (strcmp(s, "positive") && strcmp(s, "any")))
        return ydoc_fail(&L->d, v, "'errors' must be 'positive' (it returns 0 or a positive error number, never a negative value) or 'any'");
    *positive = !strcmp(s, "positive");
    return true;
}

/* The entry's own keys: function, arity, variadic, noreturn, args, effects, errors. */
static bool parse_entry_fields(Loader *L, const yaml_node_t *entry, Model *m, const yaml_node_t **effects, const char **given) {
    for (yaml_node_pair_t *p = entry->data.mapping.pairs.start; p < entry->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ydoc_node(&L->d, p->key), *v = ydoc_node(&L->d, p->value);
        int i = find_entry_key(ydoc_scalar(k));
        if (i < 0) continue; /* an op key, or unknown: parse_op_fields says */
        if (given[i]) return ydoc_fail(&L->d, k, "duplicate key '%s'", entry_keys[i]);
        given[i] = entry_keys[i];
        int64_t n;
        switch ((EntryField)i) {
        case E_FUNCTION:
            if (!(m->function = ydoc_string(v))) return ydoc_fail(&L->d, v, "'function' must be a non-empty string");
            break;
        case E_ARITY:
            if (!ydoc_int(v, &n) || n < 0 || n > MAX_ARG + 1)
                return ydoc_fail(&L->d, v, "'arity' must be the number of parameters, 0..%d", MAX_ARG + 1);
            m->arity = (int)n;
            break;
        case E_VARIADIC:
            if (!ydoc_bool(v, &m->variadic)) return ydoc_fail(&L->d, v, "'variadic' must be true or false");
            break;
        case E_NORETURN:
            if (!ydoc_bool(v, &m->noreturn)) return ydoc_fail(&L->d, v, "'noreturn' must be true or false");
            break;
        case E_ARGS:
            if (!parse_args(L, v, m)) return false;
            break;
        case E_EFFECTS:
            *effects = v;
            break;
        case E_ERRORS:
            if (!parse_errors(L, v, &m->errors_positive)) return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* Every argument index the model names must exist when the arity is given. */
static bool check_arity(Loader *L, const yaml_node_t *entry, const Model *m) {
    if (m->arity < 0) return true;
    for (int i = 0; i < m->nops; i++) {
        const ModelOp *op = &m->ops[i];
        const struct { const char *role; int arg; } roles[] = {
            {op->op >= OP_LOCK && op->op <= OP_LOCK_INIT ? "lock" : op->op >= OP_CHAN_CLOSE && op->op <= OP_CHAN_SELECT ? "channel" : "handle", op->handle},
            {"attr", op->attr}, {"start", op->start}, {"start-arg", op->start_arg}, {"state", op->state}};
        for (int r = 0; r < 5; r++)
            if (roles[r].arg >= m->arity)
                return ydoc_fail(&L->d, entry, "model for '%s': '%s' is argument %d, but '%s' has %d parameter%s (arity)",
                                 m->function, roles[r].role, roles[r].arg, m->function, m->arity, m->arity == 1 ? "" : "s");
    }
    if (m->has_args)
        for (int i = m->arity; i < MODEL_MAX_ARGS; i++)
            if (m->args[i] != ARG_NONE)
                return ydoc_fail(&L->d, entry, "model for '%s': 'args' describes argument %d, but '%s' has %d parameter%s (arity)",
                                 m->function, i, m->function, m->arity, m->arity == 1 ? "" : "s");
    return true;
}

static bool parse_fields(Loader *L, const yaml_node_t *entry, Model *m) {
    const char *given[E__COUNT] = {0};
    const yaml_node_t *effects = NULL;
    if (!parse_entry_fields(L, entry, m, &effects, given)) return false;
    if (!given[E_FUNCTION]) {
        m->function = intern("?");
        /* an unknown key is the likelier mistake; say that first */
        ModelOp scratch = new_op();
        bool has_op;
        if (!parse_op_fields(L, entry, m, &scratch, false, &has_op)) return free(scratch.detached_names), free(scratch.recursive_names), false;
        free(scratch.detached_names), free(scratch.recursive_names);
        return ydoc_fail(&L->d, entry, "model entry has no 'function'");
    }
    ModelOp op = new_op();
    bool has_op;
    if (!parse_op_fields(L, entry, m, &op, false, &has_op)) return free(op.detached_names), free(op.recursive_names), false;
    if (has_op && effects) {
        free(op.detached_names), free(op.recursive_names);
        return ydoc_fail(&L->d, entry, "model for '%s' gives both 'op' and 'effects'; put every op in 'effects'", m->function);
    }
    if (has_op) {
        m->ops = xmalloc(sizeof(ModelOp));
        m->ops[0] = op, m->nops = 1;
    } else if (effects && !parse_effects(L, effects, m)) {
        return false;
    }
    if (!m->nops && !m->noreturn && !m->has_args) return ydoc_fail(&L->d, entry, "model for '%s' has no 'op'", m->function);
    for (int i = 0; i < m->nops; i++) m->noreturn |= m->ops[i].op == OP_PROCESS_EXIT;
    return check_arity(L, entry, m);
}

static bool parse_entry(Loader *L, const yaml_node_t *entry) {
    if (entry->type != YAML_MAPPING_NODE)
        return ydoc_fail(&L->d, entry, "a model entry must be a mapping (function: NAME, op: OP, ...)");
    Model *m = xcalloc(1, sizeof *m);
    m->arity = -1;
    m->errors_positive = L->errors_positive;
    if (!parse_fields(L, entry, m)) return model_free(m), false;
    const Model *first = table_get(&L->seen, m->function);
    if (first) {
        ydoc_fail(&L->d, entry, "function '%s' is listed twice in this file (first at %s)", m->function,
                  first->origin);
        return model_free(m), false;
    }
    m->origin = internf("%s:%zu", L->d.name, entry->start_mark.line + 1);
    table_put(&L->seen, m);
    vec_push(&L->pending, m);
    return true;
}

static const char top_problem[] = "expected a mapping with a 'models:' list at the top level";

/* The `models:` list of the top-level mapping, or NULL with the error set;
 * `recursive-initializers:` (macros that make a static mutex recursive,
 * `PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP`) go to *inits; `errors:` is
 * every entry's unless it gives its own. */
static const yaml_node_t *models_list(Loader *L, const char ***inits, int *ninits) {
    static const char *const top_keys[] = {"models", "recursive-initializers", "errors"};
    const yaml_node_t *root = ydoc_root(&L->d), *list = NULL;
    bool have_inits = false, have_errors = false;
    if (!root || root->type != YAML_MAPPING_NODE) return ydoc_fail(&L->d, root, "%s", top_problem), NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ydoc_node(&L->d, p->key);
        const char *ks = ydoc_scalar(k);
        if (ks && !strcmp(ks, "recursive-initializers")) {
            if (have_inits) return ydoc_fail(&L->d, k, "duplicate key 'recursive-initializers'"), NULL;
            have_inits = true;
            if (!ydoc_string_list(&L->d, ydoc_node(&L->d, p->value), inits, ninits))
                return ydoc_fail(&L->d, ydoc_node(&L->d, p->value), "'recursive-initializers' must be a list of macro names"), NULL;
            continue;
        }
        if (ks && !strcmp(ks, "errors")) {
            if (have_errors) return ydoc_fail(&L->d, k, "duplicate key 'errors'"), NULL;
            have_errors = true;
            if (!parse_errors(L, ydoc_node(&L->d, p->value), &L->errors_positive)) return NULL;
            continue;
        }
        if (!ks || strcmp(ks, "models")) return unknown_key(&L->d, k, top_keys, 3), NULL;
        if (list) return ydoc_fail(&L->d, k, "duplicate key 'models'"), NULL;
        list = ydoc_node(&L->d, p->value);
    }
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return ydoc_fail(&L->d, list ? list : root, "%s", top_problem), NULL;
    return list;
}

static bool parse_models(Loader *L, const char ***inits, int *ninits) {
    const yaml_node_t *list = models_list(L, inits, ninits);
    if (!list) return false;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++)
        if (!parse_entry(L, ydoc_node(&L->d, *it))) return false;
    return true;
}

bool models_load_text(ModelSet *ms, const char *name, const char *text, size_t len, char **err) {
    Loader L = {0};
    if (!ydoc_load(&L.d, name, text, len, err)) return false;
    const char **inits = NULL;
    int ninits = 0;
    bool ok = parse_models(&L, &inits, &ninits);
    for (int i = 0; ok && i < ninits; i++) vec_push(&ms->recursive_inits, intern(inits[i]));
    free(inits);
    for (int i = 0; i < L.pending.len; i++) {
        if (ok) {  /* a later file overrides: users refine the shipped models */
            table_put(&ms->current, L.pending.data[i]);
            vec_push(&ms->all, L.pending.data[i]);
        } else {
            model_free(L.pending.data[i]);
        }
    }
    free(L.pending.data);
    free(L.seen.slots);
    ydoc_free(&L.d);
    return ok;
}

bool models_load_file(ModelSet *ms, const char *path, char **err) {
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    bool ok = models_load_text(ms, path, text, len, err);
    free(text);
    return ok;
}

/* ------------------------------------------------------------ the hash */

static int by_function(const void *a, const void *b) {
    return strcmp((*(Model *const *)a)->function, (*(Model *const *)b)->function);
}

static void hash_str(XXH3_state_t *st, const char *s) { XXH3_64bits_update(st, s, strlen(s) + 1); }

/* One entry, every field NUL-terminated so no two renderings collide.
 * The origin is left out: moving an entry in its file changes nothing. */
static void hash_model(XXH3_state_t *st, const Model *m) {
    char buf[200];
    hash_str(st, m->function);
    snprintf(buf, sizeof buf, "%d %d %d %d %d %d", m->arity, m->variadic, m->noreturn, m->has_args, m->nops,
             m->errors_positive);
    hash_str(st, buf);
    XXH3_64bits_update(st, m->args, sizeof m->args);
    for (int k = 0; k < m->nops; k++) {
        const ModelOp *o = &m->ops[k];
        snprintf(buf, sizeof buf, "%s %d %d %d %d %d %d %d %lld %d %d %d %lld %d %d", op_name(o->op), o->handle,
                 o->handle_out, o->attr, o->start, o->start_arg, o->state, o->has_success, (long long)o->success,
                 o->n_detached_names, o->shared, o->has_recursive_mask, (long long)o->recursive_mask,
                 o->n_recursive_names, o->closes);
        hash_str(st, buf);
        for (int i = 0; i < o->n_detached_names; i++) hash_str(st, o->detached_names[i]);
        for (int i = 0; i < o->n_recursive_names; i++) hash_str(st, o->recursive_names[i]);
    }
}

bool models_recursive_initializer(const ModelSet *ms, const char *name) {
    for (int i = 0; i < ms->recursive_inits.len; i++)
        if (ms->recursive_inits.data[i] == name) return true;
    return false;
}

bool models_have_recursive_initializers(const ModelSet *ms) { return ms->recursive_inits.len > 0; }

uint64_t models_hash(const ModelSet *ms) {
    Model **sorted = xcalloc(ms->current.used + 1, sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < ms->current.cap; i++)
        if (ms->current.slots[i]) sorted[n++] = ms->current.slots[i];
    qsort(sorted, n, sizeof *sorted, by_function);
    XXH3_state_t *st = XXH3_createState();
    if (!st) fatal("out of memory");
    XXH3_64bits_reset(st);
    for (size_t i = 0; i < n; i++) hash_model(st, sorted[i]);
    for (int i = 0; i < ms->recursive_inits.len; i++)
        XXH3_64bits_update(st, ms->recursive_inits.data[i], strlen(ms->recursive_inits.data[i]) + 1);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    free(sorted);
    return h;
}
