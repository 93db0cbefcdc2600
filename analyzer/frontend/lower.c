/* lower.c — the AST of each function defined in the main file, lowered once
 * into the event IR with its control-flow graph.
 *
 * Statements become blocks; `&&`, `||`, `?:` and conditions become branches;
 * expressions become operands (constants, locations, call results). Calls
 * bound by an API model carry their model; nothing here knows what a thread
 * or a lock is — that is the models' and the analyses' business. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "frontend/lower.h"
#include "ir/ir.h"

/* ---------------------------------------------------------------- children */

typedef struct Kids { CXCursor *c; int n, cap; CXCursor small[6]; } Kids;

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    Kids *k = data;
    if (k->n == k->cap) {
        int cap = k->cap * 2;
        CXCursor *heap = xmalloc(sizeof(CXCursor) * cap);
        memcpy(heap, k->c, sizeof(CXCursor) * k->n);
        if (k->c != k->small) free(k->c);
        k->c = heap, k->cap = cap;
    }
    k->c[k->n++] = c;
    return CXChildVisit_Continue;
}

static void kids_of(CXCursor c, Kids *k) {
    k->c = k->small, k->n = 0, k->cap = 6;
    clang_visitChildren(c, collect, k);
}

static void kids_free(Kids *k) {
    if (k->c != k->small) free(k->c);
}

/* ------------------------------------------------------------ the builder */

typedef struct BB {
    VEC(Event) ev;
    uint8_t term;
    bool done;
    int succ[2];
    Cond cond;
    Operand ret;
    Loc term_loc;
} BB;

typedef struct Local { CXCursor decl; const char *key; } Local;
typedef struct Label { const char *name; int bb; } Label;
typedef struct Case { int64_t value; bool is_default, is_range; int bb; } Case;
typedef struct Switch { VEC(Case) cases; } Switch;
/* A variable with __attribute__((cleanup(fn))): fn(&var) runs when its
 * block is left, however it is left. */
typedef struct Cleanup { Path var; const char *fn, *key; int depth; } Cleanup;

typedef VEC(CXCursor) CursorVec;
typedef VEC(struct InitFn) InitFnVec;
typedef VEC(int) IntVec;

typedef struct Lower {
    CXTranslationUnit tu;
    CursorVec todo;                     /* definitions to lower, in order */
    TuFacts *facts;
    const ModelSet *models;
    const char *main_file;
    CXFile main;
    char file_tag[12];                  /* a short hash of the main file's path */
    const char *src; size_t src_len;    /* main file text, for spellings */
    /* the function being lowered */
    CXCursor fn_cursor;
    const char *fn_name;
    VEC(BB) bbs;
    int cur;
    int ntemps;
    VEC(Local) locals;
    VEC(Label) labels;
    IntVec break_to, continue_to;
    VEC(int) loop_depth;                /* block depth of each enclosing loop/switch */
    VEC(Cleanup) cleanups;
    InitFnVec initfns;                  /* functions named in initializers */
    VEC(const char *) recursive_locks;  /* statics initialized recursive by a macro */
    VEC(const char *) thread_locals;    /* keys of `_Thread_local` variables seen */
    int depth;                          /* compound statement nesting */
    Switch *sw;
    int nest;                           /* recursion depth of expr/stmt/cond_branch/lvalue */
    bool too_deep;                      /* this function went past MAX_NEST */
    PtrMap noreturn;                    /* callee key -> 1 returns, 2 declared never to */
} Lower;

/* How deep the lowering recurses: past any real code (a 10,000-link `else
 * if` chain is 10,000 levels), and within the worker's stack in every build
 * (ASan's frames take ~3.5 KB a level; cli/parallel.c gives 1 GB). Deeper
 * code is not lowered, and the unit is said to be incomplete. */
enum { MAX_NEST = 100000 };

static bool enter(Lower *L) {
    if (L->nest >= MAX_NEST) return L->too_deep = true, false;
    L->nest++;
    return true;
}

static int new_bb(Lower *L) {
    BB b = {0};
    vec_push(&L->bbs, b);
    return L->bbs.len - 1;
}

static BB *cur_bb(Lower *L) { return &L->bbs.data[L->cur]; }

static void emit(Lower *L, Event ev) { vec_push(&cur_bb(L)->ev, ev); }

/* Ends the current block; later statements go to a fresh (unreachable
 * unless labelled) block. */
static void terminate(Lower *L, uint8_t term, int s0, int s1, Loc loc) {
    BB *b = cur_bb(L);
    if (!b->done) b->term = term, b->succ[0] = s0, b->succ[1] = s1, b->term_loc = loc, b->done = true;
    L->cur = new_bb(L);
}

static void jump(Lower *L, int to, Loc loc) { terminate(L, TERM_JUMP, to, -1, loc); }

static void jump_into(Lower *L, int to, Loc loc) {
    jump(L, to, loc);
    L->cur = to;
}

/* ------------------------------------------------------------- operands */

static Operand unknown(void) { return (Operand){.kind = OPND_UNKNOWN}; }
static Operand constant(int64_t v) { return (Operand){.kind = OPND_CONST, .value = v}; }

static bool is_expr_wrapper(enum CXCursorKind k) {
    return k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr;
}

static bool type_mentions_va_list(CXType t) {
    CXString s = clang_getTypeSpelling(clang_getCanonicalType(t));
    bool va = strstr(clang_getCString(s), "va_list") != NULL;
    clang_disposeString(s);
    return va;
}

/* `va_arg(ap, T)`: an UnexposedExpr over the va_list whose own type is T.
 * Its value is the next argument, never the list (nor its address). */
static bool is_va_arg(CXCursor c, CXCursor inner) {
    return clang_getCursorKind(c) == CXCursor_UnexposedExpr && type_mentions_va_list(clang_getCursorType(inner)) &&
           !type_mentions_va_list(clang_getCursorType(c));
}

/* Sees through parentheses and implicit conversions (libclang shows the
 * latter as UnexposedExpr with a single child). */
static CXCursor strip(CXCursor c) {
    while (is_expr_wrapper(clang_getCursorKind(c))) {
        Kids k;
        kids_of(c, &k);
        bool one = k.n == 1;
        CXCursor inner = one ? k.c[0] : c;
        kids_free(&k);
        if (!one || !clang_isExpression(clang_getCursorKind(inner)) || is_va_arg(c, inner)) break;
        c = inner;
    }
    return c;
}

static const char *spelling_of(Lower *L, CXCursor c) {
    CXSourceRange r = clang_getCursorExtent(c);
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getSpellingLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
    clang_getSpellingLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
    if (!f1 || f1 != f2 || o2 <= o1 || o2 - o1 > 80) return NULL;
    /* the main file's text, or a header's / an included source's (a lock
     * wrapper lowered with its caller names its lock as written there) */
    size_t len = 0;
    const char *text = f1 == L->main ? L->src : clang_getFileContents(L->tu, f1, &len);
    if (f1 == L->main) len = L->src_len;
    if (!text || o2 > len) return NULL;
    return intern_n(text + o1, o2 - o1);
}

static bool is_array_type(CXType t) {
    t = clang_getCanonicalType(t);
    return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
           t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray;
}

static bool is_pointer_type(CXType t) { return clang_getCanonicalType(t).kind == CXType_Pointer; }

static const char *local_key(Lower *L, CXCursor decl) {
    for (int i = L->locals.len - 1; i >= 0; i--)
        if (clang_equalCursors(L->locals.data[i].decl, decl)) return L->locals.data[i].key;
    return NULL;
}

/* A fresh key for a local: its name, or name#N when the name is reused. */
static const char *declare_local(Lower *L, CXCursor decl) {
    const char *key = local_key(L, decl);
    if (key) return key;
    CXString s = clang_getCursorSpelling(decl);
    const char *name = clang_getCString(s);
    int uses = 0;
    size_t n = strlen(name);
    for (int i = 0; i < L->locals.len; i++) {
        const char *k = L->locals.data[i].key;
        if (strncmp(k, name, n) == 0 && (k[n] == 0 || k[n] == '#')) uses++;
    }
    char buf[256];
    snprintf(buf, sizeof buf, uses ? "%s#%d" : "%s", name, uses + 1);
    clang_disposeString(s);
    key = intern(buf);
    vec_push(&L->locals, ((Local){decl, key}));
    return key;
}

/* Globals with internal linkage are per file: their keys carry a tag of
 * the file (a hash, so the key keeps no `.` or `/` of a path). */
static const char *global_key(Lower *L, CXCursor decl) {
    CXString s = clang_getCursorSpelling(decl);
    const char *name = clang_getCString(s);
    char buf[512];
    if (clang_getCursorLinkage(decl) == CXLinkage_External) {
        snprintf(buf, sizeof buf, "@%s", name);
    } else if (clang_getCursorKind(clang_getCursorSemanticParent(decl)) == CXCursor_FunctionDecl) {
        snprintf(buf, sizeof buf, "@%s:%s!%s", L->fn_name, name, L->file_tag); /* static local */
    } else {
        snprintf(buf, sizeof buf, "@%s!%s", name, L->file_tag);
    }
    clang_disposeString(s);
    return intern(buf);
}

static Path path_of_var(Lower *L, CXCursor decl) {
    if (clang_getCursorKind(decl) == CXCursor_VarDecl && clang_getCursorTLSKind(decl) != CXTLS_None) {
        const char *k = global_key(L, decl);
        bool seen = false;
        for (int i = 0; i < L->thread_locals.len && !seen; i++) seen = L->thread_locals.data[i] == k;
        if (!seen) vec_push(&L->thread_locals, k);
        return (Path){k, k, NULL};
    }
    if (clang_getCursorKind(decl) == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(decl)) {
        const char *k = global_key(L, decl);
        return (Path){k, k, NULL};
    }
    const char *k = local_key(L, decl);
    if (!k) k = declare_local(L, decl); /* e.g. a local seen before its DeclStmt via goto */
    return (Path){k, NULL, NULL};
}

/* The class of the struct a field access starts from, when that struct is
 * itself a field with no pointer between (`s->mu` in `s->mu.m`): a lock
 * wrapper embedded in many structs (`struct mutex { pthread_mutex_t m; }`)
 * is as many classes as the fields that embed it, not one. */
static const char *embedding_class(Path base) {
    if (!base.cls || base.cls[0] == '@') return NULL;
    const char *end = path_root_end(base.key), *dot = strrchr(end, '.');
    return dot && !strpbrk(dot, "*[") ? base.cls : NULL;
}

/* A field's class is `struct tag.field`; a struct defined in the main file
 * is private to it, so its class also names the file (two programs in one
 * database may both have a `struct monitor`). */
static Path path_field(Lower *L, Path base, CXCursor field) {
    CXCursor record = clang_getCursorSemanticParent(field);
    CXString f = clang_getCursorSpelling(field);
    CXString rec = clang_getTypeSpelling(clang_getCursorType(record));
    char buf[4096];
    snprintf(buf, sizeof buf, ".%s", clang_getCString(f));
    Path p = {pathkey_append(base.key, buf), NULL, base.elem ? pathkey_append(base.elem, buf) : NULL};
    bool private = clang_Location_isFromMainFile(clang_getCursorLocation(record));
    const char *outer = embedding_class(base);
    snprintf(buf, sizeof buf, "%s.%s%s%s", clang_getCString(rec), clang_getCString(f), private ? "!" : "",
             private ? L->main_file : "");
    p.cls = intern(buf);
    if (outer) { /* `s->mu.m`: a field of an embedded struct is the embedding field's (`struct s.mu.m`) */
        snprintf(buf, sizeof buf, ".%s", clang_getCString(f));
        const char *cls = class_extend(outer, buf);
        if (cls) p.cls = cls;
    }
    clang_disposeString(f);
    clang_disposeString(rec);
    return p;
}

static Path path_suffix(Path base, const char *suffix) {
    Path p = {pathkey_append(base.key, suffix), base.cls, base.elem ? pathkey_append(base.elem, suffix) : NULL};
    if (strchr(suffix, '*') && base.cls && base.cls[0] == '@') p.cls = NULL; /* pointee of a global */
    return p;
}

static Operand expr(Lower *L, CXCursor c);
static void run_cleanups(Lower *L, int depth, Loc at);
static bool lvalue(Lower *L, CXCursor c, Path *out);
static void stmt(Lower *L, CXCursor c);

static bool is_atomic_type(CXType t) { return clang_getCanonicalType(t).kind == CXType_Atomic; }

/* What makes an access unracy: the object is `_Atomic` (c, or the operand
 * an assignment or `++` writes), or the variable is thread-local. */
static uint8_t access_flags(Lower *L, Path p, CXCursor c) {
    uint8_t f = 0;
    enum CXCursorKind k = clang_getCursorKind(c);
    bool writes = k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator ||
                  (k == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(c) != CXUnaryOperator_Deref);
    if (is_atomic_type(clang_getCursorType(c))) f |= ACCESS_ATOMIC;
    if (writes) {
        Kids kd;
        kids_of(c, &kd);
        if (kd.n >= 1 && is_atomic_type(clang_getCursorType(strip(kd.c[0])))) f |= ACCESS_ATOMIC;
        kids_free(&kd);
    }
    size_t root = (size_t)(path_root_end(p.key) - p.key);
    for (int i = 0; i < L->thread_locals.len; i++) {
        const char *t = L->thread_locals.data[i];
        if (strlen(t) == root && !strncmp(t, p.key, root)) f |= ACCESS_THREAD_LOCAL;
    }
    return f;
}

static void access(Lower *L, uint8_t kind, Path p, CXCursor c) {
    if (path_is_frame_local(p.key)) return;
    Operand *a = arena_alloc(L->facts->arena, sizeof *a);
    *a = (Operand){.kind = OPND_PATH, .path = p};
    emit(L, (Event){.kind = kind, .flags = access_flags(L, p, c), .nargs = 1, .temp = -1, .loc = loc_of_cursor(c), .args = a});
}

/* The value of an lvalue expression used as an rvalue: arrays decay to the
 * address of their elements, anything else is a read of the location. */
static Operand read_of(Lower *L, Path p, CXCursor c) {
    if (is_array_type(clang_getCursorType(c)))
        return (Operand){.kind = OPND_ADDR, .path = path_suffix(p, "[]")};
    access(L, EV_READ, p, c);
    return (Operand){.kind = OPND_PATH, .path = p};
}

/* The location an lvalue expression designates, when we can name it. */
static bool lvalue_at(Lower *L, CXCursor c, Path *out) {
    c = strip(c);
    Kids k;
    bool ok = false;
    switch (clang_getCursorKind(c)) {
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(c);
        enum CXCursorKind dk = clang_getCursorKind(d);
        if (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl) *out = path_of_var(L, d), ok = true;
        return ok;
    }
    case CXCursor_MemberRefExpr: {
        kids_of(c, &k);
        if (k.n >= 1) {
            CXCursor base = strip(k.c[0]);
            Path bp;
            if (is_pointer_type(clang_getCursorType(base))) {
                Operand v = expr(L, base);
                if (v.kind == OPND_PATH) bp = path_suffix(v.path, "*"), ok = true;
                else if (v.kind == OPND_ADDR) bp = v.path, ok = true;
            } else {
                ok = lvalue(L, base, &bp);
            }
            if (ok) *out = path_field(L, bp, clang_getCursorReferenced(c));
        }
        kids_free(&k);
        return ok;
    }
    case CXCursor_ArraySubscriptExpr: {
        kids_of(c, &k);
        if (k.n == 2) {
            CXCursor base = strip(k.c[0]);
            Path bp = {0};
            if (is_array_type(clang_getCursorType(base)) && lvalue(L, base, &bp)) {
                *out = path_suffix(bp, "[]"), ok = true;
            } else {
                Operand v = expr(L, base);
                if (v.kind == OPND_PATH) bp = path_suffix(v.path, "*"), *out = path_suffix(bp, "[]"), ok = true;
                else if (v.kind == OPND_ADDR) bp = v.path, *out = path_suffix(v.path, "[]"), ok = true;
            }
            Operand i = expr(L, k.c[1]);
            if (ok && i.kind == OPND_CONST && i.value >= 0) /* `a[1]`: that element, for the rules that tell */
                out->elem = pathkey_append(bp.elem ? bp.elem : bp.key, internf("[%lld]", (long long)i.value));
        }
        kids_free(&k);
        return ok;
    }
    case CXCursor_UnaryOperator:
        if (clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_Deref) {
            kids_of(c, &k);
            if (k.n == 1) {
                Operand v = expr(L, k.c[0]);
                if (v.kind == OPND_PATH) *out = path_suffix(v.path, "*"), ok = true;
                else if (v.kind == OPND_ADDR) *out = v.path, ok = true;
            }
            kids_free(&k);
        }
        return ok;
    default:
        return false;
    }
}

static Operand const_eval(CXCursor c) {
    CXEvalResult r = clang_Cursor_Evaluate(c);
    Operand o = unknown();
    if (r && clang_EvalResult_getKind(r) == CXEval_Int)
        o = constant(clang_EvalResult_isUnsignedInt(r) ? (int64_t)clang_EvalResult_getAsUnsigned(r)
                                                       : clang_EvalResult_getAsLongLong(r));
    if (r) clang_EvalResult_dispose(r);
    return o;
}

static Operand call(Lower *L, CXCursor c);
static const char *callee_key(Lower *L, CXCursor fn, const char *name);
static const char *cursor_name(CXCursor c);
static void cond_branch(Lower *L, CXCursor c, int t, int f);

/* A value of this type cannot hold an address: int, float, an enum, but
 * not long or intptr_t, which code does use to carry pointers. */
static bool narrow_type(CXType t) {
    t = clang_getCanonicalType(t);
    switch (t.kind) {
    case CXType_Bool: case CXType_Char_U: case CXType_UChar: case CXType_Char16: case CXType_Char32:
    case CXType_UShort: case CXType_UInt: case CXType_Char_S: case CXType_SChar: case CXType_WChar:
    case CXType_Short: case CXType_Int: case CXType_Float: case CXType_Double: case CXType_LongDouble:
    case CXType_Half: case CXType_Float16:
        return true;
    case CXType_Enum: {
        long long n = clang_Type_getSizeOf(t);
        return n > 0 && n < (long long)sizeof(void *);
    }
    default:
        return false;
    }
}

/* o, marked narrow when expression c's type is (points-to skips it). */
static Operand typed(CXCursor c, Operand o) {
    if (o.kind != OPND_ADDR && o.kind != OPND_FUNC && narrow_type(clang_getCursorType(c))) o.narrow = true;
    return o;
}

static void assign(Lower *L, Path dst, Operand src, CXCursor at) {
    Operand *a = arena_alloc(L->facts->arena, 2 * sizeof *a);
    a[0] = (Operand){.kind = OPND_PATH, .path = dst};
    a[1] = typed(at, src); /* at's type is the destination's: what the value becomes */
    emit(L, (Event){.kind = EV_ASSIGN, .nargs = 2, .temp = -1, .loc = loc_of_cursor(at), .args = a});
    access(L, EV_WRITE, dst, at);
}

/* `a ? b : c`, `a && b`, `a || b` as values: control flow that rejoins;
 * the value itself is not tracked. */
static bool is_test(CXCursor c);

/* `x = <test>` (`bool unlock = !lock(m);`, `ok = a == b`) stores 1 where
 * the test holds and 0 elsewhere, each on its own branch: a later test of
 * x is then a test of what the first one tested (which lock call
 * succeeded), not of an unknown value. */
static void assign_test(Lower *L, Path dst, CXCursor test, CXCursor at) {
    int t = new_bb(L), f = new_bb(L), join = new_bb(L);
    Loc loc = loc_of_cursor(at);
    cond_branch(L, test, t, f);
    for (int arm = 0; arm < 2; arm++) {
        L->cur = arm == 0 ? t : f;
        assign(L, dst, (Operand){.kind = OPND_CONST, .value = arm == 0, .narrow = true}, at);
        if (arm == 0) jump(L, join, loc);
        else jump_into(L, join, loc);
    }
}

static Operand value_by_branches(Lower *L, CXCursor c, CXCursor *arms, int narms) {
    int t = new_bb(L), f = new_bb(L), join = new_bb(L);
    Loc loc = loc_of_cursor(c);
    cond_branch(L, c, t, f);
    L->cur = t;
    if (narms == 2) expr(L, arms[0]);
    jump(L, join, loc);
    L->cur = f;
    if (narms == 2) expr(L, arms[1]);
    jump_into(L, join, loc);
    return unknown();
}

static Operand unary(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Operand o = unknown();
    if (k.n != 1) goto out;
    Path p;
    switch (clang_getCursorUnaryOperatorKind(c)) {
    case CXUnaryOperator_AddrOf:
        if (lvalue(L, k.c[0], &p)) o = (Operand){.kind = OPND_ADDR, .path = p};
        else o = expr(L, k.c[0]);
        if (o.kind == OPND_FUNC) break;
        if (o.kind != OPND_ADDR) o = unknown();
        break;
    case CXUnaryOperator_Deref:
        if (lvalue(L, c, &p)) o = read_of(L, p, c);
        break;
    case CXUnaryOperator_PostInc: case CXUnaryOperator_PostDec:
    case CXUnaryOperator_PreInc: case CXUnaryOperator_PreDec:
        if (lvalue(L, k.c[0], &p)) {
            read_of(L, p, k.c[0]);
            enum CXUnaryOperatorKind uk = clang_getCursorUnaryOperatorKind(c);
            bool up = uk == CXUnaryOperator_PostInc || uk == CXUnaryOperator_PreInc;
            assign(L, p, (Operand){.kind = OPND_OFFSET, .value = up ? 1 : -1, .path = p}, c);
            /* `--w->count` is the location's new value: a test of it tests shared state */
            if (uk == CXUnaryOperator_PreInc || uk == CXUnaryOperator_PreDec) o = (Operand){.kind = OPND_PATH, .path = p};
        }
        break;
    case CXUnaryOperator_Minus:
        o = expr(L, k.c[0]);
        o = o.kind == OPND_CONST ? constant(-o.value) : unknown();
        break;
    case CXUnaryOperator_Extension:
        o = expr(L, k.c[0]);
        break;
    default:
        expr(L, k.c[0]);
        o = const_eval(c);
        break;
    }
out:
    kids_free(&k);
    return o;
}

static bool is_logical(enum CXBinaryOperatorKind op) {
    return op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr;
}

/* The address of an element of what pointer value v points into: `p + i`
 * where p holds an address is `&p[i]`; an array's decayed address is one
 * of its elements already. */
static Operand element_address(Operand v) {
    if (v.kind == OPND_PATH) return (Operand){.kind = OPND_ADDR, .path = path_suffix(v.path, "*[]")};
    if (v.kind == OPND_ADDR) return v;
    return unknown();
}

static Operand binary(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Operand o = unknown();
    if (k.n != 2) {
        for (int i = 0; i < k.n; i++) expr(L, k.c[i]);
        goto out;
    }
    enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
    Path p;
    if (op == CXBinaryOperator_Assign && is_test(k.c[1]) && lvalue(L, k.c[0], &p)) {
        assign_test(L, p, k.c[1], c);
        o = (Operand){.kind = OPND_PATH, .path = p, .narrow = true};
    } else if (op == CXBinaryOperator_Assign) {
        Operand src = expr(L, k.c[1]);
        if (lvalue(L, k.c[0], &p)) assign(L, p, src, c);
        o = src;
    } else if (op == CXBinaryOperator_Comma) {
        expr(L, k.c[0]);
        o = expr(L, k.c[1]);
    } else if (is_logical(op)) {
        o = value_by_branches(L, c, NULL, 0);
    } else {
        Operand a = expr(L, k.c[0]), b = expr(L, k.c[1]);
        if (a.kind == OPND_CONST && b.kind == OPND_CONST) o = const_eval(c);
        else if ((op == CXBinaryOperator_Add || op == CXBinaryOperator_Sub) && is_pointer_type(clang_getCursorType(c)))
            o = element_address(a.kind == OPND_PATH || a.kind == OPND_ADDR ? a : b); /* `threads + i` is `&threads[i]` */
    }
out:
    kids_free(&k);
    return o;
}

static Operand compound_assign(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    if (k.n == 2) {
        Operand by = expr(L, k.c[1]);
        Path p;
        if (lvalue(L, k.c[0], &p)) {
            read_of(L, p, k.c[0]);
            enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
            bool add = op == CXBinaryOperator_AddAssign, sub = op == CXBinaryOperator_SubAssign;
            Operand v = unknown();
            if ((add || sub) && by.kind == OPND_CONST) v = (Operand){.kind = OPND_OFFSET, .value = add ? by.value : -by.value, .path = p};
            assign(L, p, v, c);
        }
    }
    kids_free(&k);
    return unknown();
}

static Operand decl_ref(Lower *L, CXCursor c) {
    CXCursor d = clang_getCursorReferenced(c);
    switch (clang_getCursorKind(d)) {
    case CXCursor_VarDecl:
    case CXCursor_ParmDecl:
        return read_of(L, path_of_var(L, d), c);
    case CXCursor_EnumConstantDecl: {
        Operand o = constant(clang_getEnumConstantDeclValue(d));
        CXString s = clang_getCursorSpelling(d);
        o.name = intern(clang_getCString(s));
        clang_disposeString(s);
        return o;
    }
    case CXCursor_FunctionDecl: {
        CXString s = clang_getCursorSpelling(d);
        Operand o = {.kind = OPND_FUNC, .name = intern(clang_getCString(s))};
        clang_disposeString(s);
        o.key = callee_key(L, d, o.name);
        return o;
    }
    default:
        return unknown();
    }
}

static Operand children_then_unknown(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    for (int i = 0; i < k.n; i++) {
        enum CXCursorKind kk = clang_getCursorKind(k.c[i]);
        if (clang_isExpression(kk)) expr(L, k.c[i]);
        else if (clang_isStatement(kk)) stmt(L, k.c[i]);
    }
    kids_free(&k);
    return unknown();
}

/* The value of a cast is the value of its operand (its last child; the
 * first may be a TypeRef). `(void *)0` stays a null constant. */
static Operand cast(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Operand o = unknown();
    for (int i = 0; i < k.n; i++)
        if (clang_isExpression(clang_getCursorKind(k.c[i]))) o = expr(L, k.c[i]);
    kids_free(&k);
    return o;
}

/* The name an atomic builtin is written with (`atomic_fetch_sub`,
 * `__atomic_load_n`, `__c11_atomic_store`), which libclang shows only as an
 * unexposed expression; NULL for anything else. */
static const char *atomic_name(Lower *L, CXCursor c) {
    /* the first token where the expression is written (a macro's use) */
    CXFile f;
    unsigned off;
    clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f, NULL, NULL, &off);
    if (!f) return NULL;
    CXSourceRange r = clang_getRange(clang_getLocationForOffset(L->tu, f, off), clang_getLocationForOffset(L->tu, f, off + 1));
    CXToken *toks;
    unsigned n;
    clang_tokenize(L->tu, r, &toks, &n);
    const char *name = NULL;
    if (n >= 1 && clang_getTokenKind(toks[0]) == CXToken_Identifier) {
        CXString t = clang_getTokenSpelling(L->tu, toks[0]);
        const char *s = clang_getCString(t);
        if (!strncmp(s, "atomic_", 7) || !strncmp(s, "__atomic_", 9) || !strncmp(s, "__c11_atomic_", 13)) name = intern(s);
        clang_disposeString(t);
    }
    clang_disposeTokens(L->tu, toks, n);
    return name;
}

static Operand call_named(Lower *L, CXCursor c, const char *name, Kids *k);

static Operand wrapper(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Operand o;
    const char *atomic = k.n >= 2 ? atomic_name(L, c) : NULL;
    if (atomic) { /* an atomic operation: a call, so its result is a value analyses can test */
        o = call_named(L, c, atomic, &k);
        kids_free(&k);
        return o;
    }
    if (k.n == 1 && is_va_arg(c, k.c[0])) {
        o = unknown();
    } else if (k.n == 1 && clang_isExpression(clang_getCursorKind(k.c[0]))) {
        o = expr(L, k.c[0]); /* implicit conversions keep the value */
    } else {
        kids_free(&k);
        return children_then_unknown(L, c);
    }
    kids_free(&k);
    return o;
}

/* `c ? x : y` as a value: one of x and y (nested choices flattened). */
static Operand one_of(Lower *L, Operand x, Operand y) {
    Operand o = unknown();
    int n = 0;
    const Operand *arms[2] = {&x, &y};
    for (int a = 0; a < 2; a++) {
        if (arms[a]->kind == OPND_UNKNOWN && !arms[a]->nalts) return o; /* an arm we cannot tell */
        n += arms[a]->kind == OPND_UNKNOWN ? arms[a]->nalts : 1;
    }
    if (n > 16) return o;
    Operand *alts = arena_alloc(L->facts->arena, (size_t)n * sizeof *alts);
    for (int a = 0; a < 2; a++) {
        if (arms[a]->kind != OPND_UNKNOWN) alts[o.nalts++] = *arms[a];
        else
            for (int i = 0; i < arms[a]->nalts; i++) alts[o.nalts++] = arms[a]->alts[i];
    }
    o.alts = alts;
    return o;
}

/* `__builtin_expect(x, c)` (LIKELY, UNLIKELY) is x to every analysis: the
 * hint says nothing of the value. *x is its first argument. */
static bool branch_hint(CXCursor c, CXCursor *x) {
    if (clang_getCursorKind(c) != CXCursor_CallExpr || clang_Cursor_getNumArguments(c) < 1) return false;
    CXString s = clang_getCursorSpelling(c);
    const char *name = clang_getCString(s);
    bool hint = name && (!strcmp(name, "__builtin_expect") || !strcmp(name, "__builtin_expect_with_probability"));
    clang_disposeString(s);
    if (hint) *x = clang_Cursor_getArgument(c, 0);
    return hint;
}

/* A compound statement: its own scope and cleanups, and the value of its
 * last statement when that is an expression (what a statement expression
 * yields, `({ int e = trylock(l); e; })`: haproxy's HA_SPIN_TRYLOCK). */
static Operand compound_value(Lower *L, CXCursor c) {
    Kids k;
    Operand o = unknown();
    int mark = L->cleanups.len;
    L->depth++;
    kids_of(c, &k);
    for (int i = 0; i < k.n; i++) {
        if (i == k.n - 1 && clang_isExpression(clang_getCursorKind(k.c[i]))) o = expr(L, k.c[i]);
        else stmt(L, k.c[i]);
    }
    kids_free(&k);
    Loc end = loc_of_cursor(c);
    run_cleanups(L, L->depth - 1, (Loc){end.file, end.end_line, end.end_col > 1 ? end.end_col - 1 : 1, end.end_line, end.end_col});
    L->cleanups.len = mark;
    L->depth--;
    return o;
}

static Operand expr_at(Lower *L, CXCursor c) {
    enum CXCursorKind kind = clang_getCursorKind(c);
    Path p;
    switch (kind) {
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral:
        return const_eval(c);
    case CXCursor_StringLiteral:
    case CXCursor_FloatingLiteral:
        return unknown();
    case CXCursor_ParenExpr:
    case CXCursor_UnexposedExpr:
        return wrapper(L, c);
    case CXCursor_CStyleCastExpr:
        return cast(L, c);
    case CXCursor_DeclRefExpr:
        return decl_ref(L, c);
    case CXCursor_MemberRefExpr:
    case CXCursor_ArraySubscriptExpr:
        if (lvalue(L, c, &p)) return read_of(L, p, c);
        return unknown();
    case CXCursor_CallExpr: {
        CXCursor hinted;
        if (branch_hint(c, &hinted)) return expr(L, hinted);
        return call(L, c);
    }
    case CXCursor_UnaryOperator:
        return unary(L, c);
    case CXCursor_BinaryOperator:
        return binary(L, c);
    case CXCursor_CompoundAssignOperator:
        return compound_assign(L, c);
    case CXCursor_ConditionalOperator: {
        Kids k;
        kids_of(c, &k);
        Operand o = unknown();
        if (k.n == 3) {
            int t = new_bb(L), f = new_bb(L), join = new_bb(L);
            Loc loc = loc_of_cursor(c);
            cond_branch(L, k.c[0], t, f);
            L->cur = t;
            Operand x = expr(L, k.c[1]);
            jump(L, join, loc);
            L->cur = f;
            Operand y = expr(L, k.c[2]);
            jump_into(L, join, loc);
            o = one_of(L, x, y);
        } else {
            for (int i = 0; i < k.n; i++) expr(L, k.c[i]);
        }
        kids_free(&k);
        return o;
    }
    case CXCursor_UnaryExpr: /* sizeof, alignof: unevaluated */
        return const_eval(c);
    case CXCursor_StmtExpr: { /* ({ ...; v; }): its compound statement, whose last expression is the value */
        Kids k;
        kids_of(c, &k);
        Operand o = unknown();
        for (int i = 0; i < k.n; i++) {
            if (clang_getCursorKind(k.c[i]) == CXCursor_CompoundStmt) o = compound_value(L, k.c[i]);
            else stmt(L, k.c[i]);
        }
        kids_free(&k);
        return o;
    }
    default:
        return children_then_unknown(L, c);
    }
}

/* ------------------------------------------------------------------ calls */

static const char *callee_key(Lower *L, CXCursor fn, const char *name) {
    if (clang_getCursorLinkage(fn) == CXLinkage_External) return name;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s!%s", name, L->main_file); /* static: per file */
    return intern(buf);
}

/* An inline function defined in a header (a lock wrapper, often) is
 * lowered with the TU that calls it, like its own code. */
static void want_inline_definition(Lower *L, CXCursor fn) {
    CXCursor def = clang_getCursorDefinition(fn);
    if (clang_Cursor_isNull(def) || clang_Location_isFromMainFile(clang_getCursorLocation(def)) ||
        !clang_Cursor_isFunctionInlined(def))
        return;
    for (int i = 0; i < L->todo.len; i++)
        if (clang_equalCursors(L->todo.data[i], def)) return;
    vec_push(&L->todo, def);
}

/* A modelled call that ends the process ends the path; one that ends the
 * thread is its return. */
static void end_after_call(Lower *L, const Model *m, Loc loc) {
    if (!m) return;
    if (m->noreturn) terminate(L, TERM_EXIT, -1, -1, loc);
    else if (model_op(m, OP_THREAD_EXIT)) terminate(L, TERM_RETURN, -1, -1, loc);
}

/* A function type as one canonical string, so a pointer's callee type and
 * a function's own type compare equal. */
static const char *function_type(CXType t) {
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_Pointer) t = clang_getCanonicalType(clang_getPointeeType(t));
    if (t.kind != CXType_FunctionProto && t.kind != CXType_FunctionNoProto) return NULL;
    CXString s = clang_getTypeSpelling(t);
    const char *r = intern(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

static enum CXChildVisitResult find_init_fns(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    Lower *L = data;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
        CXCursor d = clang_getCursorReferenced(c);
        if (clang_getCursorKind(d) == CXCursor_FunctionDecl) {
            const char *type = function_type(clang_getCursorType(d));
            if (type) vec_push(&L->initfns, ((struct InitFn){type, callee_key(L, d, cursor_name(d))}));
        }
        return CXChildVisit_Continue;
    }
    return CXChildVisit_Recurse;
}

/* Function designators in an initializer list: stored without an
 * assignment the analyses could see. */
static void note_init_fns(Lower *L, CXCursor init) {
    if (!clang_Cursor_isNull(init) && clang_getCursorKind(init) == CXCursor_InitListExpr)
        clang_visitChildren(init, find_init_fns, L);
}

/* Whether a declaration's own tokens, up to its name, say `_Noreturn` (or
 * stdnoreturn.h's `noreturn`, or an attribute spelled in the source). */
static bool noreturn_tokens(Lower *L, CXCursor d) {
    if (clang_isCursorDefinition(d)) return false; /* a body says it itself (the noreturn pass), cheaper than its tokens */
    CXToken *toks = NULL;
    unsigned n = 0;
    CXSourceRange r = clang_getCursorExtent(d); /* as written in the file, macros (`noreturn`) unexpanded */
    CXFile f0, f1;
    unsigned o0, o1;
    clang_getExpansionLocation(clang_getRangeStart(r), &f0, NULL, NULL, &o0);
    clang_getExpansionLocation(clang_getRangeEnd(r), &f1, NULL, NULL, &o1);
    if (!f0 || !clang_File_isEqual(f0, f1) || o1 < o0) return false;
    clang_tokenize(L->tu, clang_getRange(clang_getLocationForOffset(L->tu, f0, o0), clang_getLocationForOffset(L->tu, f1, o1)),
                   &toks, &n);
    CXString name = clang_getCursorSpelling(d);
    bool yes = false;
    for (unsigned i = 0; i < n && !yes; i++) {
        CXString t = clang_getTokenSpelling(L->tu, toks[i]);
        const char *ts = clang_getCString(t);
        bool body = !strcmp(ts, "{");
        yes = !body && (!strcmp(ts, "_Noreturn") || !strcmp(ts, "noreturn") || !strcmp(ts, "__noreturn__"));
        clang_disposeString(t);
        if (body) break;
    }
    clang_disposeString(name);
    clang_disposeTokens(L->tu, toks, n);
    return yes;
}

/* A function its declaration says never returns (`__attribute__((noreturn))`,
 * which is part of its type, or `_Noreturn`): the program's own `die()`,
 * `fatal()` or `vtc_fatal()` declared in a header, defined elsewhere. */
static bool declared_noreturn(Lower *L, CXCursor fn, const char *key) {
    void **memo = ptrmap_slot(&L->noreturn, key, true);
    if (*memo) return *memo == (void *)2;
    CXString s = clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(fn)));
    bool yes = strstr(clang_getCString(s), "noreturn") != NULL;
    clang_disposeString(s);
    yes = yes || noreturn_tokens(L, fn) || noreturn_tokens(L, clang_getCanonicalCursor(fn));
    *memo = (void *)(uintptr_t)(yes ? 2 : 1);
    return yes;
}

static Operand call(Lower *L, CXCursor c) {
    CXCursor fn = clang_getCursorReferenced(c);
    Event ev = {.kind = EV_CALL, .loc = loc_of_cursor(c)};
    if (clang_getCursorKind(fn) == CXCursor_FunctionDecl) {
        CXString s = clang_getCursorSpelling(fn);
        ev.callee = intern(clang_getCString(s));
        clang_disposeString(s);
        ev.callee_key = callee_key(L, fn, ev.callee);
        ev.model = models_lookup(L->models, ev.callee);
        if (!ev.model) want_inline_definition(L, fn);
    } else {
        Kids k; /* an indirect call: keep the callee's value for the analyses */
        kids_of(c, &k);
        if (k.n > 0) {
            Operand *f = arena_alloc(L->facts->arena, sizeof *f);
            *f = expr(L, k.c[0]);
            ev.fn = f;
            ev.fn_type = function_type(clang_getCursorType(k.c[0]));
        }
        kids_free(&k);
    }
    int n = clang_Cursor_getNumArguments(c);
    if (n < 0) n = 0;
    ev.nargs = (uint16_t)n;
    ev.args = arena_alloc(L->facts->arena, sizeof(Operand) * (n ? n : 1));
    const ModelOp *create = ev.model ? model_op(ev.model, OP_THREAD_CREATE) : NULL;
    for (int i = 0; i < n; i++) {
        CXCursor a = clang_Cursor_getArgument(c, (unsigned)i);
        ev.args[i] = typed(a, expr(L, a));
        if (ev.model || ev.args[i].kind == OPND_ADDR) ev.args[i].text = spelling_shown(spelling_of(L, a), ev.args[i].kind == OPND_ADDR);
        /* a start routine read from memory: its type finds those an initializer stores there */
        if (create && i == create->start && ev.args[i].kind == OPND_PATH) ev.fn_type = function_type(clang_getCursorType(a));
    }
    ev.temp = L->ntemps++;
    emit(L, ev);
    end_after_call(L, ev.model, ev.loc);
    if (!ev.model && ev.callee_key && declared_noreturn(L, fn, ev.callee_key)) terminate(L, TERM_EXIT, -1, -1, ev.loc);
    return (Operand){.kind = OPND_TEMP, .value = ev.temp};
}

/* A builtin with no declaration (an atomic operation): a call event whose
 * arguments are the expression's children. */
static Operand call_named(Lower *L, CXCursor c, const char *name, Kids *k) {
    Event ev = {.kind = EV_CALL, .loc = loc_of_cursor(c), .callee = name, .callee_key = name};
    ev.model = models_lookup(L->models, name);
    ev.nargs = (uint16_t)k->n;
    ev.args = arena_alloc(L->facts->arena, sizeof(Operand) * (k->n ? k->n : 1));
    for (int i = 0; i < k->n; i++) {
        ev.args[i] = expr(L, k->c[i]);
        if (ev.args[i].kind == OPND_ADDR) ev.args[i].text = spelling_shown(spelling_of(L, k->c[i]), true);
    }
    ev.temp = L->ntemps++;
    emit(L, ev);
    return (Operand){.kind = OPND_TEMP, .value = ev.temp};
}

/* ------------------------------------------------------------- conditions */

static RelOp rel_of(enum CXBinaryOperatorKind op, bool *ok) {
    *ok = true;
    switch (op) {
    case CXBinaryOperator_EQ: return REL_EQ;
    case CXBinaryOperator_NE: return REL_NE;
    case CXBinaryOperator_LT: return REL_LT;
    case CXBinaryOperator_LE: return REL_LE;
    case CXBinaryOperator_GT: return REL_GT;
    case CXBinaryOperator_GE: return REL_GE;
    default: *ok = false; return REL_EQ;
    }
}

static RelOp rel_swap(RelOp r) {
    switch (r) {
    case REL_LT: return REL_GT;
    case REL_LE: return REL_GE;
    case REL_GT: return REL_LT;
    case REL_GE: return REL_LE;
    default: return r;
    }
}

static void branch_on(Lower *L, Cond cond, int t, int f, CXCursor c) {
    Loc loc = loc_of_cursor(c);
    if (cond.lhs.kind == OPND_CONST) { /* while (1), do {} while (0) */
        jump(L, rel_holds(cond.rel, cond.lhs.value, cond.rhs) ? t : f, loc);
        return;
    }
    if (cond.lhs.kind == OPND_ADDR || cond.lhs.kind == OPND_FUNC) {
        jump(L, cond.rel == REL_NE ? t : f, loc); /* an address is never null */
        return;
    }
    cur_bb(L)->cond = cond;
    terminate(L, TERM_BRANCH, t, f, loc);
}

static bool comparison(Lower *L, CXCursor c, Kids *k, int t, int f) {
    bool ok;
    RelOp r = rel_of(clang_getCursorBinaryOperatorKind(c), &ok);
    if (!ok || k->n != 2) return false;
    Operand a = expr(L, k->c[0]), b = expr(L, k->c[1]);
    Cond cond = {.lhs = unknown(), .rel = REL_NE};
    if (b.kind == OPND_CONST || b.kind == OPND_NULL) cond = (Cond){a, r, b.value, NULL};
    else if (a.kind == OPND_CONST || a.kind == OPND_NULL) cond = (Cond){b, rel_swap(r), a.value, NULL};
    else { /* kept for the rules that ask which objects decided an order */
        Operand *cmp = arena_alloc(L->facts->arena, 2 * sizeof *cmp);
        cmp[0] = a, cmp[1] = b;
        cond = (Cond){.lhs = unknown(), .rel = r, .cmp = cmp};
    }
    if (cond.lhs.kind == OPND_NULL) cond.lhs = constant(0);
    branch_on(L, cond, t, f, c);
    return true;
}

/* Lowers a condition into branches to t (true) and f (false), splitting
 * `&&`, `||` and `!` so each branch tests one atomic fact. */
static void cond_branch_at(Lower *L, CXCursor c, int t, int f) {
    c = strip(c);
    CXCursor hinted;
    while (branch_hint(c, &hinted)) c = strip(hinted); /* `if (LIKELY(!lock(m)))` tests the lock's result */
    enum CXCursorKind kind = clang_getCursorKind(c);
    Kids k;
    kids_of(c, &k);
    if (kind == CXCursor_BinaryOperator && k.n == 2) {
        enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
        int mid;
        switch (op) {
        case CXBinaryOperator_LAnd:
            mid = new_bb(L);
            cond_branch(L, k.c[0], mid, f);
            L->cur = mid;
            cond_branch(L, k.c[1], t, f);
            goto done;
        case CXBinaryOperator_LOr:
            mid = new_bb(L);
            cond_branch(L, k.c[0], t, mid);
            L->cur = mid;
            cond_branch(L, k.c[1], t, f);
            goto done;
        case CXBinaryOperator_Comma:
            expr(L, k.c[0]);
            cond_branch(L, k.c[1], t, f);
            goto done;
        default:
            if (comparison(L, c, &k, t, f)) goto done;
        }
    } else if (kind == CXCursor_UnaryOperator && k.n == 1 &&
               clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot) {
        cond_branch(L, k.c[0], f, t);
        goto done;
    } else if (kind == CXCursor_ConditionalOperator && k.n == 3) {
        /* `c ? x : y` tested: x's test where c holds, y's elsewhere (xz's
         * `i ? (unlock, 0) : (lock, 1)` loop header) */
        int x = new_bb(L), y = new_bb(L);
        cond_branch(L, k.c[0], x, y);
        L->cur = x;
        cond_branch(L, k.c[1], t, f);
        L->cur = y;
        cond_branch(L, k.c[2], t, f);
        goto done;
    }
    branch_on(L, (Cond){expr(L, c), REL_NE, 0, NULL}, t, f, c);
done:
    kids_free(&k);
}

/* ------------------------------------------------------------- statements */

static int label_bb(Lower *L, const char *name) {
    for (int i = 0; i < L->labels.len; i++)
        if (L->labels.data[i].name == name) return L->labels.data[i].bb;
    int bb = new_bb(L);
    vec_push(&L->labels, ((Label){name, bb}));
    return bb;
}

static const char *cursor_name(CXCursor c) {
    CXString s = clang_getCursorSpelling(c);
    const char *name = intern(clang_getCString(s));
    clang_disposeString(s);
    return name;
}

/* The function of a `cleanup(fn)` attribute, from its tokens (libclang does
 * not expose the attribute); under a macro, from the macro's text. */
static const char *cleanup_function(Lower *L, CXCursor attr) {
    CXToken *toks;
    unsigned n;
    const char *found = NULL;
    for (int pass = 0; pass < 2 && !found; pass++) {
        CXSourceRange r = clang_getCursorExtent(attr);
        if (pass == 1) { /* the spelling: a macro's definition */
            CXFile f;
            unsigned off;
            clang_getSpellingLocation(clang_getRangeStart(r), &f, NULL, NULL, &off);
            if (!f) break;
            r = clang_getRange(clang_getLocationForOffset(L->tu, f, off), clang_getLocationForOffset(L->tu, f, off + 80));
        }
        clang_tokenize(L->tu, r, &toks, &n);
        for (unsigned i = 0; i + 2 < n && !found; i++) {
            CXString t = clang_getTokenSpelling(L->tu, toks[i]);
            const char *ts = clang_getCString(t);
            bool is_cleanup = !strcmp(ts, "cleanup") || !strcmp(ts, "__cleanup__");
            clang_disposeString(t);
            if (!is_cleanup) continue;
            CXString name = clang_getTokenSpelling(L->tu, toks[i + 2]);
            found = intern(clang_getCString(name));
            clang_disposeString(name);
        }
        clang_disposeTokens(L->tu, toks, n);
    }
    return found;
}

static const char *key_of_function_named(Lower *L, const char *name) {
    for (int i = 0; i < L->todo.len; i++)
        if (cursor_name(L->todo.data[i]) == name) return callee_key(L, L->todo.data[i], name);
    return name;
}

static void note_cleanup(Lower *L, CXCursor d, Path var) {
    Kids k;
    kids_of(d, &k);
    for (int i = 0; i < k.n; i++) {
        if (!clang_isAttribute(clang_getCursorKind(k.c[i]))) continue;
        const char *fn = cleanup_function(L, k.c[i]);
        if (fn) vec_push(&L->cleanups, ((Cleanup){var, fn, key_of_function_named(L, fn), L->depth}));
    }
    kids_free(&k);
}

typedef struct { CXCursor f[64]; int n; } Fields;
static enum CXVisitorResult add_field(CXCursor c, CXClientData data);

/* A braced initializer of a local: each field (by position, or `.f =`,
 * which libclang shows as member references before the value) or array
 * element gets its item, nested lists in turn; items are evaluated once. */
static void init_list(Lower *L, Path p, CXType type, CXCursor list, int depth) {
    CXType t = clang_getCanonicalType(type);
    Kids k;
    kids_of(list, &k);
    Fields fs = {.n = 0};
    if (t.kind == CXType_Record) clang_Type_visitFields(t, add_field, &fs);
    bool array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
    for (int i = 0, pos = 0; i < k.n; i++, pos++) {
        CXCursor item = k.c[i];
        Kids d;
        kids_of(item, &d);
        int at = pos;
        if (d.n >= 2 && clang_getCursorKind(d.c[0]) == CXCursor_MemberRef) { /* `.f = v` */
            CXCursor f = clang_getCursorReferenced(d.c[0]);
            for (int q = 0; q < fs.n; q++)
                if (clang_equalCursors(fs.f[q], f)) at = pos = q;
            item = d.c[d.n - 1];
        }
        kids_free(&d);
        Path sub;
        CXType st;
        if (t.kind == CXType_Record && at < fs.n) {
            sub = path_field(L, p, fs.f[at]), st = clang_getCursorType(fs.f[at]);
        } else if (array) {
            sub = path_suffix(p, "[]"), st = clang_getArrayElementType(t);
            sub.elem = pathkey_append(p.elem ? p.elem : p.key, internf("[%d]", at));
        } else {
            expr(L, item);
            continue;
        }
        if (clang_getCursorKind(strip(item)) == CXCursor_InitListExpr && depth < 8) init_list(L, sub, st, strip(item), depth + 1);
        else assign(L, sub, expr(L, item), item);
    }
    kids_free(&k);
}

static void var_decl(Lower *L, CXCursor d) {
    Path p = path_of_var(L, d);
    note_init_fns(L, clang_Cursor_getVarDeclInitializer(d));
    if (clang_Cursor_hasVarDeclGlobalStorage(d)) return; /* static local: initialised once */
    p.key = declare_local(L, d);
    note_cleanup(L, d, p);
    Operand *a = arena_alloc(L->facts->arena, sizeof *a);
    *a = (Operand){.kind = OPND_PATH, .path = p};
    emit(L, (Event){.kind = EV_DECL, .nargs = 1, .temp = -1, .loc = loc_of_cursor(d), .args = a});
    CXCursor init = clang_Cursor_getVarDeclInitializer(d);
    if (clang_Cursor_isNull(init)) return;
    if (clang_getCursorKind(strip(init)) == CXCursor_InitListExpr) {
        assign(L, p, unknown(), d);
        init_list(L, p, clang_getCursorType(d), strip(init), 0);
        return;
    }
    if (is_test(init)) assign_test(L, p, init, d);
    else assign(L, p, expr(L, init), d);
}

/* Calls the cleanups of the blocks deeper than `depth`, innermost first. */
static void run_cleanups(Lower *L, int depth, Loc at) {
    for (int i = L->cleanups.len - 1; i >= 0 && L->cleanups.data[i].depth > depth; i--) {
        Cleanup *c = &L->cleanups.data[i];
        Event ev = {.kind = EV_CALL, .nargs = 1, .loc = at, .callee = c->fn, .callee_key = c->key,
                    .model = models_lookup(L->models, c->fn), .temp = L->ntemps++};
        ev.args = arena_alloc(L->facts->arena, sizeof(Operand));
        ev.args[0] = (Operand){.kind = OPND_ADDR, .path = c->var, .text = spelling_shown(c->var.key, false)};
        emit(L, ev);
    }
}

static void loop_body(Lower *L, CXCursor body, int brk, int cont) {
    vec_push(&L->break_to, brk);
    vec_push(&L->continue_to, cont);
    vec_push(&L->loop_depth, L->depth);
    stmt(L, body);
    L->break_to.len--, L->continue_to.len--, L->loop_depth.len--;
}

/* libclang drops the empty slots of `for (init; cond; inc)`: find which
 * children are which from the positions of the two `;` in the header. */
static void for_slots(Lower *L, CXCursor c, Kids *k, int *init, int *cond, int *inc) {
    *init = *cond = *inc = -1;
    int n = k->n - 1; /* the last child is the body */
    if (n == 3) { *init = 0, *cond = 1, *inc = 2; return; }
    if (n == 0) return;
    CXSourceRange r = clang_getCursorExtent(c);
    CXSourceLocation body = clang_getCursorLocation(k->c[n]);
    CXFile f1, f2;
    unsigned o_start, o_body, semi[2] = {0, 0}, nsemi = 0;
    clang_getSpellingLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o_start);
    clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(k->c[n])), &f2, NULL, NULL, &o_body);
    (void)body;
    if (f1 == f2 && o_body > o_start) {
        CXSourceRange hdr = clang_getRange(clang_getRangeStart(r), clang_getRangeStart(clang_getCursorExtent(k->c[n])));
        CXToken *toks;
        unsigned ntoks;
        clang_tokenize(L->tu, hdr, &toks, &ntoks);
        int depth = 0;
        for (unsigned i = 0; i < ntoks && nsemi < 2; i++) {
            CXString s = clang_getTokenSpelling(L->tu, toks[i]);
            const char *t = clang_getCString(s);
            if (t[0] == '(' && !t[1]) depth++;
            else if (t[0] == ')' && !t[1]) depth--;
            else if (t[0] == ';' && !t[1] && depth == 1)
                clang_getSpellingLocation(clang_getTokenLocation(L->tu, toks[i]), NULL, NULL, NULL, &semi[nsemi++]);
            clang_disposeString(s);
        }
        clang_disposeTokens(L->tu, toks, ntoks);
    }
    if (nsemi == 2) {
        for (int i = 0; i < n; i++) {
            unsigned o;
            clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(k->c[i])), NULL, NULL, NULL, &o);
            if (o < semi[0]) *init = i;
            else if (o < semi[1]) *cond = i;
            else *inc = i;
        }
        return;
    }
    /* Inside a macro: guess. A declaration can only be the init. */
    bool first_decl = clang_getCursorKind(k->c[0]) == CXCursor_DeclStmt;
    if (n == 2) { if (first_decl) *init = 0, *cond = 1; else *cond = 0, *inc = 1; }
    else if (first_decl) *init = 0;
    else *cond = 0;
}

static void for_stmt(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    int init, cond, inc;
    for_slots(L, c, &k, &init, &cond, &inc);
    Loc loc = loc_of_cursor(c);
    if (init >= 0) stmt(L, k.c[init]);
    int head = new_bb(L), body = new_bb(L), step = new_bb(L), exit = new_bb(L);
    jump_into(L, head, loc);
    if (cond >= 0) cond_branch(L, k.c[cond], body, exit);
    else jump(L, body, loc);
    L->cur = body;
    loop_body(L, k.c[k.n - 1], exit, step);
    jump_into(L, step, loc);
    if (inc >= 0) expr(L, k.c[inc]);
    jump(L, head, loc);
    L->cur = exit;
    kids_free(&k);
}

static void while_stmt(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Loc loc = loc_of_cursor(c);
    int head = new_bb(L), body = new_bb(L), exit = new_bb(L);
    jump_into(L, head, loc);
    cond_branch(L, k.c[0], body, exit);
    L->cur = body;
    loop_body(L, k.c[k.n - 1], exit, head);
    jump(L, head, loc);
    L->cur = exit;
    kids_free(&k);
}

static void do_stmt(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Loc loc = loc_of_cursor(c);
    int body = new_bb(L), test = new_bb(L), exit = new_bb(L);
    jump_into(L, body, loc);
    loop_body(L, k.c[0], exit, test);
    jump_into(L, test, loc);
    if (k.n == 2) cond_branch(L, k.c[1], body, exit);
    else jump(L, body, loc);
    L->cur = exit;
    kids_free(&k);
}

static void if_stmt(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Loc loc = loc_of_cursor(c);
    int then = new_bb(L), els = k.n == 3 ? new_bb(L) : -1, join = new_bb(L);
    cond_branch(L, k.c[0], then, els >= 0 ? els : join);
    L->cur = then;
    stmt(L, k.c[1]);
    jump(L, join, loc);
    if (els >= 0) {
        L->cur = els;
        stmt(L, k.c[2]);
        jump(L, join, loc);
    }
    L->cur = join;
    kids_free(&k);
}

/* A switch lowers its body with each case label starting a block (so
 * fall-through is just a jump), then builds the dispatch chain of
 * `value == case` tests in front of it. */
static void switch_stmt(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    Loc loc = loc_of_cursor(c);
    Operand value = expr(L, k.c[0]);
    int dispatch = L->cur, exit = new_bb(L);
    Switch sw = {0}, *outer = L->sw;
    L->sw = &sw;
    L->cur = new_bb(L); /* code before the first label is unreachable */
    vec_push(&L->break_to, exit);
    int cont = L->continue_to.len ? L->continue_to.data[L->continue_to.len - 1] : exit;
    vec_push(&L->continue_to, cont);
    vec_push(&L->loop_depth, L->depth);
    stmt(L, k.c[k.n - 1]);
    L->break_to.len--, L->continue_to.len--, L->loop_depth.len--;
    jump(L, exit, loc);
    L->sw = outer;
    int deflt = exit;
    L->cur = dispatch;
    for (int i = 0; i < sw.cases.len; i++) {
        Case *cs = &sw.cases.data[i];
        if (cs->is_default) { deflt = cs->bb; continue; }
        int next = new_bb(L);
        Cond cond = {cs->is_range ? unknown() : value, REL_EQ, cs->value, NULL};
        branch_on(L, cond, cs->bb, next, k.c[0]);
        L->cur = next;
    }
    jump(L, deflt, loc);
    L->cur = exit;
    free(sw.cases.data);
    kids_free(&k);
}

static void case_stmt(Lower *L, CXCursor c, bool is_default) {
    Kids k;
    kids_of(c, &k);
    int bb = new_bb(L);
    jump_into(L, bb, loc_of_cursor(c));
    if (L->sw) {
        Case cs = {.is_default = is_default, .bb = bb, .is_range = !is_default && k.n == 3};
        if (!is_default) {
            Operand v = const_eval(k.c[0]);
            if (v.kind == OPND_CONST) cs.value = v.value;
            else cs.is_range = true;
        }
        vec_push(&L->sw->cases, cs);
    }
    if (k.n > 0) stmt(L, k.c[k.n - 1]);
    kids_free(&k);
}

/* A truth value built of tests (`a && b->mode == 2`, `!x`): a predicate. */
static bool is_test(CXCursor c) {
    c = strip(c);
    if (clang_getCursorKind(c) == CXCursor_UnaryOperator) return clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot;
    if (clang_getCursorKind(c) != CXCursor_BinaryOperator) return false;
    switch (clang_getCursorBinaryOperatorKind(c)) {
    case CXBinaryOperator_LAnd: case CXBinaryOperator_LOr: case CXBinaryOperator_EQ: case CXBinaryOperator_NE:
    case CXBinaryOperator_LT: case CXBinaryOperator_GT: case CXBinaryOperator_LE: case CXBinaryOperator_GE:
        return true;
    default:
        return false;
    }
}

/* `return <test>;` returns 1 where the test holds and 0 elsewhere, each
 * from its own block: what each return's path knew is the predicate's
 * summary (analyses/predicates.c). */
static void return_test(Lower *L, CXCursor c, CXCursor test) {
    int t = new_bb(L), f = new_bb(L);
    cond_branch(L, test, t, f);
    for (int arm = 0; arm < 2; arm++) {
        L->cur = arm == 0 ? t : f;
        run_cleanups(L, 0, loc_of_cursor(c));
        cur_bb(L)->ret = (Operand){.kind = OPND_CONST, .value = arm == 0, .narrow = true};
        terminate(L, TERM_RETURN, -1, -1, loc_of_cursor(c));
    }
}

/* `return c ? x : y;` returns x where c holds and y elsewhere, each from
 * its own block, so a caller's test of the result is a test of c (a
 * wrapper's `return lock(m) == 0 ? 0 : -1;`). */
static bool return_choice(Lower *L, CXCursor c, CXCursor value) {
    CXCursor v = strip(value);
    if (clang_getCursorKind(v) != CXCursor_ConditionalOperator) return false;
    Kids k;
    kids_of(v, &k);
    if (k.n != 3) return kids_free(&k), false;
    int t = new_bb(L), f = new_bb(L);
    cond_branch(L, k.c[0], t, f);
    for (int arm = 0; arm < 2; arm++) {
        L->cur = arm == 0 ? t : f;
        Operand r = typed(value, expr(L, k.c[1 + arm]));
        run_cleanups(L, 0, loc_of_cursor(c));
        cur_bb(L)->ret = r;
        terminate(L, TERM_RETURN, -1, -1, loc_of_cursor(c));
    }
    kids_free(&k);
    return true;
}

static void return_stmt(Lower *L, CXCursor c) {
    Kids k;
    kids_of(c, &k);
    if (k.n > 0 && is_test(k.c[0])) {
        return_test(L, c, k.c[0]);
        kids_free(&k);
        return;
    }
    if (k.n > 0 && return_choice(L, c, k.c[0])) {
        kids_free(&k);
        return;
    }
    Operand v = k.n > 0 ? typed(k.c[0], expr(L, k.c[0])) : (Operand){.kind = OPND_NONE};
    run_cleanups(L, 0, loc_of_cursor(c));
    cur_bb(L)->ret = v;
    terminate(L, TERM_RETURN, -1, -1, loc_of_cursor(c));
    kids_free(&k);
}

static void stmt_at(Lower *L, CXCursor c) {
    enum CXCursorKind kind = clang_getCursorKind(c);
    Kids k;
    switch (kind) {
    case CXCursor_IfStmt: if_stmt(L, c); return;
    case CXCursor_ForStmt: for_stmt(L, c); return;
    case CXCursor_WhileStmt: while_stmt(L, c); return;
    case CXCursor_DoStmt: do_stmt(L, c); return;
    case CXCursor_SwitchStmt: switch_stmt(L, c); return;
    case CXCursor_CaseStmt: case_stmt(L, c, false); return;
    case CXCursor_DefaultStmt: case_stmt(L, c, true); return;
    case CXCursor_ReturnStmt: return_stmt(L, c); return;
    case CXCursor_BreakStmt:
    case CXCursor_ContinueStmt: {
        IntVec *to = kind == CXCursor_BreakStmt ? &L->break_to : &L->continue_to;
        if (!to->len) return;
        run_cleanups(L, L->loop_depth.data[L->loop_depth.len - 1], loc_of_cursor(c));
        jump(L, to->data[to->len - 1], loc_of_cursor(c));
        return;
    }
    case CXCursor_CompoundStmt:
        compound_value(L, c); /* (a block's last expression is lowered as a statement would be) */
        return;
    case CXCursor_GotoStmt:
        kids_of(c, &k);
        if (k.n == 1) jump(L, label_bb(L, cursor_name(k.c[0])), loc_of_cursor(c));
        kids_free(&k);
        return;
    case CXCursor_IndirectGotoStmt:
        terminate(L, TERM_EXIT, -1, -1, loc_of_cursor(c)); /* computed goto: stop following */
        return;
    case CXCursor_LabelStmt:
        jump_into(L, label_bb(L, cursor_name(c)), loc_of_cursor(c));
        kids_of(c, &k);
        if (k.n > 0) stmt(L, k.c[k.n - 1]);
        kids_free(&k);
        return;
    case CXCursor_VarDecl:
        var_decl(L, c);
        return;
    case CXCursor_NullStmt:
    case CXCursor_AsmStmt:
        return;
    default:
        if (clang_isExpression(kind)) { expr(L, c); return; }
        kids_of(c, &k); /* CompoundStmt, DeclStmt, attributed statements... */
        for (int i = 0; i < k.n; i++) stmt(L, k.c[i]);
        kids_free(&k);
    }
}

/* The recursive lowerings, each within MAX_NEST. */
static bool lvalue(Lower *L, CXCursor c, Path *out) {
    if (!enter(L)) return false;
    bool ok = lvalue_at(L, c, out);
    L->nest--;
    return ok;
}

static Operand expr(Lower *L, CXCursor c) {
    if (!enter(L)) return unknown();
    Operand o = expr_at(L, c);
    L->nest--;
    return o;
}

static void cond_branch(Lower *L, CXCursor c, int t, int f) {
    if (!enter(L)) { /* still a branch: the blocks after it stay reachable */
        branch_on(L, (Cond){unknown(), REL_NE, 0, NULL}, t, f, c);
        return;
    }
    cond_branch_at(L, c, t, f);
    L->nest--;
}

static void stmt(Lower *L, CXCursor c) {
    if (!enter(L)) return;
    stmt_at(L, c);
    L->nest--;
}

/* --------------------------------------------------------------- functions */

/* Follows chains of empty blocks that only jump (the lowering makes many). */
static int skip_empty(Lower *L, int b) {
    for (int steps = 0; b >= 0 && steps < L->bbs.len; steps++) {
        BB *x = &L->bbs.data[b];
        if (x->ev.len || !x->done || x->term != TERM_JUMP || x->succ[0] == b) break;
        b = x->succ[0];
    }
    return b;
}

/* Numbers the blocks reachable from the entry in depth-first order; the
 * rest (code after a return, empty joins) is dropped. */
static int number_reachable(Lower *L, int *num) {
    int n = 0, *stack = xmalloc(sizeof(int) * (L->bbs.len + 1)), sp = 0;
    for (int i = 0; i < L->bbs.len; i++) num[i] = -1;
    stack[sp++] = skip_empty(L, 0);
    while (sp) {
        int b = stack[--sp];
        if (b < 0 || num[b] >= 0) continue;
        num[b] = n++;
        BB *x = &L->bbs.data[b];
        if (!x->done) continue;
        for (int s = 1; s >= 0; s--)
            if ((s == 0 && x->term != TERM_RETURN && x->term != TERM_EXIT) || (s == 1 && x->term == TERM_BRANCH))
                stack[sp++] = x->succ[s] = skip_empty(L, x->succ[s]);
    }
    free(stack);
    return n;
}

static void finish_function(Lower *L, Function *fn) {
    Arena *a = L->facts->arena;
    int *num = xmalloc(sizeof(int) * L->bbs.len);
    fn->nblocks = number_reachable(L, num);
    fn->blocks = arena_alloc(a, sizeof(Block) * fn->nblocks);
    BlockEnd *ends = arena_alloc(a, sizeof(BlockEnd) * (fn->nblocks ? fn->nblocks : 1));
    for (int i = 0; i < L->bbs.len; i++) {
        BB *b = &L->bbs.data[i];
        if (num[i] >= 0) {
            Block *o = &fn->blocks[num[i]];
            o->nev = b->ev.len;
            o->ev = arena_alloc(a, sizeof(Event) * (b->ev.len ? b->ev.len : 1));
            if (b->ev.len) memcpy(o->ev, b->ev.data, sizeof(Event) * b->ev.len);
            o->term = b->done ? b->term : TERM_RETURN;
            o->succ[0] = o->succ[1] = -1;
            if (b->done && o->term != TERM_RETURN && o->term != TERM_EXIT) o->succ[0] = num[b->succ[0]];
            if (b->done && o->term == TERM_BRANCH) o->succ[1] = num[b->succ[1]];
            o->end = &ends[num[i]];
            *o->end = (BlockEnd){b->cond, b->ret, b->term_loc};
        }
        free(b->ev.data);
    }
    free(num);
    fn->ntemps = L->ntemps;
}

static void lower_function(Lower *L, CXCursor c, Function *fn) {
    L->bbs.len = L->locals.len = L->labels.len = 0;
    L->break_to.len = L->continue_to.len = L->loop_depth.len = L->cleanups.len = 0;
    L->depth = 0;
    L->ntemps = 0;
    L->sw = NULL;
    L->fn_cursor = c;
    fn->name = L->fn_name = cursor_name(c);
    fn->is_static = clang_getCursorLinkage(c) != CXLinkage_External;
    fn->key = callee_key(L, c, fn->name);
    fn->loc = loc_of_location(clang_getCursorLocation(c));
    fn->tu = L->facts;
    int np = clang_Cursor_getNumArguments(c);
    fn->nparams = np > 0 ? np : 0;
    fn->params = arena_alloc(L->facts->arena, sizeof(char *) * (fn->nparams + 1));
    for (int i = 0; i < fn->nparams; i++) {
        CXCursor p = clang_Cursor_getArgument(c, (unsigned)i);
        char key[16];
        snprintf(key, sizeof key, "$%d", i);
        vec_push(&L->locals, ((Local){p, intern(key)}));
        fn->params[i] = cursor_name(p);
    }
    L->cur = new_bb(L);
    Kids k;
    kids_of(c, &k);
    CXCursor body = k.c[k.n - 1];
    Loc end = loc_of_cursor(body);
    fn->end = (Loc){end.file, end.end_line, end.end_col > 1 ? end.end_col - 1 : 1, end.end_line, end.end_col};
    stmt(L, body);
    kids_free(&k);
    cur_bb(L)->ret = (Operand){.kind = OPND_NONE};
    terminate(L, TERM_RETURN, -1, -1, fn->end);
    finish_function(L, fn);
}

/* Code this unit owns: written in its main file — also through a macro
 * (`TEST_IMPL(name) { ... }`: where the macro is used) — or in a `.c` file
 * it #includes (a bundle of sources compiled as one unit). Headers' code
 * is lowered only when called (want_inline_definition). */
static bool owned_here(const Lower *L, CXCursor c) {
    CXFile f;
    clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f, NULL, NULL, NULL);
    if (!f) return false;
    if (clang_File_isEqual(f, L->main)) return true;
    CXString name = clang_getFileName(f);
    const char *n = clang_getCString(name);
    size_t len = n ? strlen(n) : 0;
    bool c_file = len > 2 && !strcmp(n + len - 2, ".c");
    clang_disposeString(name);
    return c_file;
}

/* ------------------------------------------- recursive static mutexes */

/* Statics' initializers are read as written, token by token: a macro
 * expands to the header's text, where its name is gone. */
typedef struct Toks { const char **t; unsigned n; } Toks;

static enum CXVisitorResult add_field(CXCursor c, CXClientData data) {
    Fields *fs = data;
    if (fs->n < 64) fs->f[fs->n++] = c;
    return CXVisit_Continue;
}

static int field_named(const Fields *fs, const char *name) {
    for (int i = 0; i < fs->n; i++) {
        CXString sp = clang_getCursorSpelling(fs->f[i]);
        bool same = !strcmp(clang_getCString(sp), name);
        clang_disposeString(sp);
        if (same) return i;
    }
    return -1;
}

/* Tokens [from, to) initialize a location of `type` at `at`: a recursive
 * initializer macro there makes it a recursive mutex; a braced list gives
 * each field its item (by position, or `.field =`). */
static void note_recursive_init(Lower *L, Path at, CXType type, const Toks *tk, unsigned from, unsigned to, int depth) {
    if (from >= to || depth > 8) return;
    CXType t = clang_getCanonicalType(type);
    if (strcmp(tk->t[from], "{") || t.kind != CXType_Record) {
        for (unsigned i = from; i < to; i++)
            if (models_recursive_initializer(L->models, tk->t[i])) {
                vec_push(&L->recursive_locks, at.key);
                return;
            }
        return;
    }
    Fields fs = {.n = 0};
    clang_Type_visitFields(t, add_field, &fs);
    unsigned end = to; /* the closing brace of this list */
    int lvl = 0;
    for (unsigned i = from; i < to && end == to; i++) {
        lvl += !strcmp(tk->t[i], "{") - !strcmp(tk->t[i], "}");
        if (lvl == 0) end = i;
    }
    int pos = 0;
    for (unsigned i = from + 1; i < end;) {
        unsigned j = i;
        for (int in = 0; j < end && (in > 0 || strcmp(tk->t[j], ",")); j++) /* to the item's comma */
            in += (!strcmp(tk->t[j], "{") || !strcmp(tk->t[j], "(")) - (!strcmp(tk->t[j], "}") || !strcmp(tk->t[j], ")"));
        unsigned k = i;
        if (j - i >= 3 && !strcmp(tk->t[i], ".") && !strcmp(tk->t[i + 2], "=")) pos = field_named(&fs, tk->t[i + 1]), k = i + 3;
        if (pos >= 0 && pos < fs.n)
            note_recursive_init(L, path_field(L, at, fs.f[pos]), clang_getCursorType(fs.f[pos]), tk, k, j, depth + 1);
        if (pos >= 0) pos++;
        i = j + 1;
    }
}

static void note_static_init(Lower *L, CXCursor var) {
    if (!models_have_recursive_initializers(L->models) || !clang_Cursor_hasVarDeclGlobalStorage(var)) return;
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(L->tu, clang_getCursorExtent(var), &toks, &n);
    Toks tk = {xcalloc(n + 1, sizeof(char *)), n};
    unsigned eq = n;
    for (unsigned i = 0; i < n; i++) {
        CXString sp = clang_getTokenSpelling(L->tu, toks[i]);
        tk.t[i] = intern(clang_getCString(sp));
        clang_disposeString(sp);
        if (eq == n && !strcmp(tk.t[i], "=")) eq = i;
    }
    if (toks) clang_disposeTokens(L->tu, toks, n);
    if (eq + 1 < n) note_recursive_init(L, path_of_var(L, var), clang_getCursorType(var), &tk, eq + 1, n, 0);
    free(tk.t);
}

static enum CXChildVisitResult find_defs(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    Lower *L = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (!owned_here(L, c)) return CXChildVisit_Continue;
    if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(c)) vec_push(&L->todo, c);
    else if (k == CXCursor_VarDecl) {
        note_init_fns(L, clang_Cursor_getVarDeclInitializer(c));
        note_static_init(L, c);
    }
    return CXChildVisit_Continue;
}

void lower_tu(CXTranslationUnit tu, TuFacts *facts, const ModelSet *models) {
    Lower L = {.tu = tu, .facts = facts, .models = models, .main_file = facts->file};
    snprintf(L.file_tag, sizeof L.file_tag, "%08x", (unsigned)XXH32(facts->file, strlen(facts->file), 0));
    L.main = clang_getFile(tu, facts->file);
    if (L.main) L.src = clang_getFileContents(tu, L.main, &L.src_len);
    clang_visitChildren(clang_getTranslationUnitCursor(tu), find_defs, &L);
    /* The list grows while we lower: header inline functions called here. */
    VEC(Function) funcs = {0};
    for (int i = 0; i < L.todo.len; i++) {
        Function fn = {0};
        lower_function(&L, L.todo.data[i], &fn);
        if (L.too_deep) { /* an error of the unit: its results are incomplete */
            facts->diags = xrealloc(facts->diags, sizeof(Diag) * (facts->ndiags + 1));
            facts->diags[facts->ndiags++] = (Diag){fn.loc, xasprintf("'%s' nests deeper than %d levels; "
                "the code past that depth is not analysed", fn.name, MAX_NEST), true};
            facts->nerrors++;
            L.too_deep = false;
        }
        vec_push(&funcs, fn);
    }
    facts->ninitfns = L.initfns.len;
    facts->initfns = arena_alloc(facts->arena, sizeof(struct InitFn) * (L.initfns.len + 1));
    if (L.initfns.len) memcpy(facts->initfns, L.initfns.data, sizeof(struct InitFn) * L.initfns.len);
    free(L.initfns.data);
    facts->nrecursive_locks = L.recursive_locks.len;
    facts->recursive_locks = arena_alloc(facts->arena, sizeof(char *) * (L.recursive_locks.len + 1));
    for (int i = 0; i < L.recursive_locks.len; i++) facts->recursive_locks[i] = L.recursive_locks.data[i];
    free(L.recursive_locks.data);
    ptrmap_free(&L.noreturn);
    free(L.thread_locals.data);
    facts->nfuncs = funcs.len;
    facts->funcs = arena_alloc(facts->arena, sizeof(Function) * (funcs.len ? funcs.len : 1));
    if (funcs.len) memcpy(facts->funcs, funcs.data, sizeof(Function) * funcs.len);
    free(funcs.data);
    free(L.todo.data);
    free(L.bbs.data);
    free(L.locals.data);
    free(L.labels.data);
    free(L.break_to.data);
    free(L.continue_to.data);
    free(L.loop_depth.data);
    free(L.cleanups.data);
}
