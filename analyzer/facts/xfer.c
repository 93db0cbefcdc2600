/* xfer.c — the IR to and from bytes, with one function per type used both
 * ways: each field is named once, so writing and reading cannot disagree,
 * and a new field is one line here. The size checks below fail the build
 * when a field is added to the IR and not here. */
#include "facts/xfer.h"

#include <stdlib.h>
#include <string.h>

/* A field added to one of these must be transferred below (one line), and
 * FACTS_FORMAT_VERSION bumped; then update the size here. */
_Static_assert(sizeof(Loc) == 24, "Loc changed: update facts/xfer.c");
_Static_assert(sizeof(Path) == 24, "Path changed: update facts/xfer.c");
_Static_assert(sizeof(Operand) == 64, "Operand changed: update facts/xfer.c");
_Static_assert(sizeof(Event) == 88, "Event changed: update facts/xfer.c");
_Static_assert(sizeof(Cond) == 88, "Cond changed: update facts/xfer.c");
_Static_assert(sizeof(Block) == 32, "Block changed: update facts/xfer.c");
_Static_assert(sizeof(BlockEnd) == 176, "BlockEnd changed: update facts/xfer.c");
_Static_assert(sizeof(Function) == 192, "Function changed: update facts/xfer.c");
_Static_assert(sizeof(Diag) == 40, "Diag changed: update facts/xfer.c");
_Static_assert(sizeof(TuFacts) == 112, "TuFacts changed: update facts/xfer.c");

/* ------------------------------------------------------------ primitives */

static void put(Xfer *x, const void *p, size_t n) {
    if (x->len + n > x->cap) {
        x->cap = (x->len + n) * 2 + 4096;
        x->buf = xrealloc(x->buf, x->cap);
    }
    memcpy(x->buf + x->len, p, n);
    x->len += n;
}

static bool get(Xfer *x, void *p, size_t n) {
    if (x->bad || n > x->len - x->pos) {
        x->bad = true;
        memset(p, 0, n);
        return false;
    }
    memcpy(p, x->buf + x->pos, n);
    x->pos += n;
    return true;
}

static void raw(Xfer *x, void *p, size_t n) {
    if (x->writing) put(x, p, n);
    else get(x, p, n);
}

void xf_u64(Xfer *x, uint64_t *v) { raw(x, v, sizeof *v); }
void xf_i64(Xfer *x, int64_t *v) { raw(x, v, sizeof *v); }
void xf_u32(Xfer *x, uint32_t *v) { raw(x, v, sizeof *v); }
void xf_i32(Xfer *x, int32_t *v) { raw(x, v, sizeof *v); }
void xf_int(Xfer *x, int *v) { int32_t t = *v; raw(x, &t, sizeof t); *v = t; }
void xf_u16(Xfer *x, uint16_t *v) { raw(x, v, sizeof *v); }
void xf_u8(Xfer *x, uint8_t *v) { raw(x, v, sizeof *v); }
void xf_bool(Xfer *x, bool *v) { uint8_t t = *v; raw(x, &t, 1); *v = t != 0; }

/* A count read back must fit in what is left (each element takes at least
 * one byte): a damaged count never allocates gigabytes. */
int xf_count(Xfer *x, int n) {
    xf_int(x, &n);
    if (!x->writing && (n < 0 || (size_t)n > x->len - x->pos)) x->bad = true;
    return x->bad ? 0 : n;
}

/* An array of n elements in the unit's arena, one spare (the lowering
 * allocates so, and some readers rely on a non-NULL array). */
static void *xf_array(Xfer *x, void *p, int n, size_t size) {
    return x->writing ? p : arena_alloc(x->arena, size * (size_t)(n + 1));
}

/* Strings: 0 is NULL, 1 a new string (length, bytes), k >= 2 the
 * (k-2)th string already seen. Read back interned. */
void xf_str(Xfer *x, const char **s) {
    uint32_t tag = 0;
    if (x->writing) {
        if (!*s) return xf_u32(x, &tag);
        void **slot = ptrmap_slot(&x->seen, *s, true);
        if (*slot) {
            tag = (uint32_t)(uintptr_t)*slot + 1;
            return xf_u32(x, &tag);
        }
        *slot = (void *)(uintptr_t)++x->nstrings;
        tag = 1;
        uint32_t n = (uint32_t)strlen(*s);
        xf_u32(x, &tag), xf_u32(x, &n);
        return put(x, *s, n);
    }
    xf_u32(x, &tag);
    *s = NULL;
    if (tag == 0 || x->bad) return;
    if (tag >= 2) {
        if (tag - 2 >= (uint32_t)x->strings.len) x->bad = true;
        else *s = x->strings.data[tag - 2];
        return;
    }
    uint32_t n = 0;
    xf_u32(x, &n);
    if (n > x->len - x->pos) {
        x->bad = true;
        return;
    }
    *s = intern_n(x->buf + x->pos, n);
    x->pos += n;
    vec_push(&x->strings, *s);
}

/* ------------------------------------------------------------------ IR */

void xf_loc(Xfer *x, Loc *l) {
    xf_str(x, &l->file);
    xf_u32(x, &l->line), xf_u32(x, &l->col), xf_u32(x, &l->end_line), xf_u32(x, &l->end_col);
}

static void xf_path(Xfer *x, Path *p) {
    xf_str(x, &p->key), xf_str(x, &p->cls), xf_str(x, &p->elem);
}

static void xf_operand(Xfer *x, Operand *o);

/* An array of operands behind a const pointer (alts, cmp, fn). */
static const Operand *xf_operands(Xfer *x, const Operand *arr, int n) {
    Operand *a = xf_array(x, (void *)arr, n, sizeof *a);
    for (int i = 0; i < n && !x->bad; i++) xf_operand(x, &a[i]);
    return a;
}

/* An optional operand array: present flag, then n of them. */
static const Operand *xf_opt_operands(Xfer *x, const Operand *arr, int n) {
    bool has = arr != NULL;
    xf_bool(x, &has);
    return has && !x->bad ? xf_operands(x, arr, n) : NULL;
}

static void xf_operand(Xfer *x, Operand *o) {
    if (++x->depth > 64) x->bad = true; /* alternatives nest; a damaged file must not recurse forever */
    xf_u8(x, &o->kind);
    xf_bool(x, &o->narrow);
    xf_i64(x, &o->value);
    xf_path(x, &o->path);
    xf_str(x, &o->text);
    o->nalts = xf_count(x, o->nalts);
    if (o->nalts) o->alts = xf_operands(x, o->alts, o->nalts); /* in the names' room */
    else xf_str(x, &o->name), xf_str(x, &o->key);
    x->depth--;
}

static void xf_model(Xfer *x, const Model **m) {
    const char *name = *m ? (*m)->function : NULL;
    xf_str(x, &name);
    if (!x->writing) *m = name && x->models ? models_lookup(x->models, name) : NULL;
}

static void xf_event(Xfer *x, Event *e) {
    xf_u8(x, &e->kind);
    xf_u8(x, &e->flags);
    e->nargs = (uint16_t)xf_count(x, e->nargs);
    xf_i32(x, &e->temp);
    xf_loc(x, &e->loc);
    xf_str(x, &e->callee), xf_str(x, &e->callee_key);
    xf_model(x, &e->model);
    e->args = (Operand *)xf_operands(x, e->args, e->nargs);
    e->fn = xf_opt_operands(x, e->fn, 1);
    xf_str(x, &e->fn_type);
    /* Not stored: call and id, which program_link fills in. */
}

static void xf_cond(Xfer *x, Cond *c) {
    xf_operand(x, &c->lhs);
    xf_u8(x, &c->rel);
    xf_i64(x, &c->rhs);
    c->cmp = xf_opt_operands(x, c->cmp, 2);
}

static void xf_block(Xfer *x, Block *b) {
    b->nev = xf_count(x, b->nev);
    b->ev = xf_array(x, b->ev, b->nev, sizeof *b->ev);
    for (int i = 0; i < b->nev && !x->bad; i++) xf_event(x, &b->ev[i]);
    xf_u8(x, &b->term);
    xf_int(x, &b->succ[0]), xf_int(x, &b->succ[1]);
    if (!x->writing) b->end = arena_alloc(x->arena, sizeof *b->end);
    xf_cond(x, &b->end->cond);
    xf_operand(x, &b->end->ret);
    xf_loc(x, &b->end->loc);
}

static void xf_function(Xfer *x, Function *f, TuFacts *tu) {
    xf_str(x, &f->name), xf_str(x, &f->key);
    xf_loc(x, &f->loc), xf_loc(x, &f->end);
    f->nparams = xf_count(x, f->nparams);
    f->params = xf_array(x, f->params, f->nparams, sizeof *f->params);
    for (int i = 0; i < f->nparams; i++) xf_str(x, &f->params[i]);
    xf_bool(x, &f->is_static);
    f->nblocks = xf_count(x, f->nblocks);
    f->blocks = xf_array(x, f->blocks, f->nblocks, sizeof *f->blocks);
    for (int i = 0; i < f->nblocks && !x->bad; i++) xf_block(x, &f->blocks[i]);
    xf_int(x, &f->ntemps);
    /* Not stored: what link and the analyses fill in (tu, summaries, scc,
     * index, calls, self_call, ncallers, callev, block_calls,
     * names_fn, call_names_fn, sets_global_flag, callinfo) starts afresh in every run. */
    if (!x->writing) f->tu = tu;
}

static void xf_diag(Xfer *x, Diag *d) {
    xf_loc(x, &d->loc);
    const char *t = d->text;
    xf_str(x, &t);
    if (!x->writing) d->text = xstrdup(t ? t : "");
    xf_bool(x, &d->error);
}

static void xf_strings(Xfer *x, const char ***arr, int *n) {
    *n = xf_count(x, *n);
    *arr = xf_array(x, *arr, *n, sizeof **arr);
    for (int i = 0; i < *n; i++) xf_str(x, &(*arr)[i]);
}

void xf_tu(Xfer *x, TuFacts *tu) {
    xf_str(x, &tu->file);
    tu->nfuncs = xf_count(x, tu->nfuncs);
    tu->funcs = xf_array(x, tu->funcs, tu->nfuncs, sizeof *tu->funcs);
    for (int i = 0; i < tu->nfuncs && !x->bad; i++) xf_function(x, &tu->funcs[i], tu);
    tu->ndiags = xf_count(x, tu->ndiags);
    if (!x->writing) tu->diags = xcalloc((size_t)tu->ndiags + 1, sizeof(Diag)); /* malloc'd, as the front end's */
    for (int i = 0; i < tu->ndiags && !x->bad; i++) xf_diag(x, &tu->diags[i]);
    xf_int(x, &tu->nerrors);
    xf_bool(x, &tu->failed);
    tu->ninitfns = xf_count(x, tu->ninitfns);
    tu->initfns = xf_array(x, tu->initfns, tu->ninitfns, sizeof *tu->initfns);
    for (int i = 0; i < tu->ninitfns; i++) xf_str(x, &tu->initfns[i].type), xf_str(x, &tu->initfns[i].key);
    xf_strings(x, &tu->recursive_locks, &tu->nrecursive_locks);
    xf_strings(x, &tu->includes, &tu->nincludes);
    /* Not stored: arena, and digest (the checksum of what this writes). */
}
