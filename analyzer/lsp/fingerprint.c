/* fingerprint.c — a hash of a unit's whole IR, so that an edit that does
 * not change it (a comment, spacing within a line, an inactive #if branch)
 * reuses the last analysis. Strings are interned and models loaded once,
 * so within one process their addresses stand for their contents. Every
 * field of the IR a later stage reads is hashed: a field added to ir.h
 * must be added here too. */
#include "lsp/lsp.h"

#include <xxhash.h>

typedef XXH3_state_t H;

static void u64(H *h, uint64_t v) { XXH3_64bits_update(h, &v, sizeof v); }
static void ptr(H *h, const void *p) { u64(h, (uint64_t)(uintptr_t)p); }

static void loc(H *h, Loc l) {
    ptr(h, l.file);
    u64(h, (uint64_t)l.line << 32 | l.col);
    u64(h, (uint64_t)l.end_line << 32 | l.end_col);
}

static void operand(H *h, const Operand *o) {
    if (!o) {
        u64(h, 0xfeed);
        return;
    }
    u64(h, o->kind);
    u64(h, (uint64_t)o->value);
    ptr(h, o->path.key), ptr(h, o->path.cls), ptr(h, o->path.elem);
    ptr(h, o->text);
    u64(h, (uint64_t)o->nalts);
    if (!o->nalts) ptr(h, o->name), ptr(h, o->key); /* alts share their room */
    for (int i = 0; i < o->nalts; i++) operand(h, &o->alts[i]);
}

static void event(H *h, const Event *e) {
    u64(h, e->kind), u64(h, e->nargs), u64(h, (uint64_t)e->temp);
    loc(h, e->loc);
    ptr(h, e->callee), ptr(h, e->callee_key), ptr(h, e->model), ptr(h, e->fn_type);
    for (int i = 0; i < e->nargs; i++) operand(h, &e->args[i]);
    operand(h, e->fn);
}

static void block(H *h, const Block *b) {
    u64(h, (uint64_t)b->nev);
    for (int i = 0; i < b->nev; i++) event(h, &b->ev[i]);
    u64(h, b->term), u64(h, (uint64_t)b->succ[0]), u64(h, (uint64_t)b->succ[1]);
    operand(h, &b->end->cond.lhs);
    u64(h, b->end->cond.rel), u64(h, (uint64_t)b->end->cond.rhs);
    if (b->end->cond.cmp) operand(h, &b->end->cond.cmp[0]), operand(h, &b->end->cond.cmp[1]);
    operand(h, &b->end->ret);
    loc(h, b->end->loc);
}

static void function(H *h, const Function *fn) {
    ptr(h, fn->name), ptr(h, fn->key);
    loc(h, fn->loc), loc(h, fn->end);
    u64(h, (uint64_t)fn->nparams);
    for (int i = 0; i < fn->nparams; i++) ptr(h, fn->params[i]);
    u64(h, fn->is_static), u64(h, (uint64_t)fn->ntemps), u64(h, (uint64_t)fn->nblocks);
    for (int i = 0; i < fn->nblocks; i++) block(h, &fn->blocks[i]);
}

uint64_t tu_fingerprint(const TuFacts *tu) {
    H *h = XXH3_createState();
    XXH3_64bits_reset(h);
    ptr(h, tu->file);
    u64(h, (uint64_t)tu->nerrors), u64(h, tu->failed), u64(h, (uint64_t)tu->nfuncs);
    for (int i = 0; i < tu->nfuncs; i++) function(h, &tu->funcs[i]);
    for (int i = 0; i < tu->ninitfns; i++) ptr(h, tu->initfns[i].type), ptr(h, tu->initfns[i].key);
    for (int i = 0; i < tu->nrecursive_locks; i++) ptr(h, tu->recursive_locks[i]);
    uint64_t v = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return v;
}
