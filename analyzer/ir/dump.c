/* dump.c — a readable listing of the IR, for `threadvet dump-ir` and the
 * lowering's lit tests:
 *
 *   function spawn(n) key=spawn line=4
 *   bb0:
 *     decl t                                   5:3
 *     %0 = thread-create pthread_create(&t, 0, @worker, 0)   6:7
 *     br %0 != 0 ? bb1 : bb2                   6:7
 */
#include "ir/ir.h"

#include <inttypes.h>
#include <string.h>


const char *spelling_shown(const char *t, bool addr) {
    if (!t) return NULL;
    if (addr && t[0] == '&') {
        t++;
        while (*t == ' ') t++;
    }
    size_t n = strlen(t);
    while (n >= 2 && t[0] == '(' && t[n - 1] == ')') t++, n -= 2; /* `&(cfg.mu)` */
    return intern_n(t, n);
}

const char *rel_spelling(RelOp r) {
    static const char *const s[] = {"==", "!=", "<", "<=", ">", ">="};
    return r <= REL_GE ? s[r] : "?";
}

static void operand(FILE *out, const Operand *o) {
    switch (o->kind) {
    case OPND_NONE: fputs("-", out); break;
    case OPND_CONST:
        if (o->name) fprintf(out, "%s=", o->name);
        fprintf(out, "%" PRId64, o->value);
        break;
    case OPND_PATH: fputs(o->path.key, out); break;
    case OPND_ADDR: fprintf(out, "&%s", o->path.key); break;
    case OPND_TEMP: fprintf(out, "%%%" PRId64, o->value); break;
    case OPND_FUNC: fprintf(out, "@%s", o->name); break;
    case OPND_NULL: fputs("null", out); break;
    case OPND_OFFSET: fprintf(out, "%s %c %" PRId64, o->path.key, o->value < 0 ? '-' : '+', o->value < 0 ? -o->value : o->value); break;
    default:
        fputs("?", out);
        for (int i = 0; i < o->nalts; i++) {
            fputs(i ? ", " : " (one of ", out);
            operand(out, &o->alts[i]);
        }
        if (o->nalts) fputs(")", out);
        break;
    }
}

static void at(FILE *out, Loc l) { fprintf(out, "  ; %u:%u\n", l.line, l.col); }

static void event(FILE *out, const Event *e, const DumpHooks *h) {
    fputs("    ", out);
    switch (e->kind) {
    case EV_CALL:
        if (e->temp >= 0) fprintf(out, "%%%d = ", e->temp);
        for (int k = 0; e->model && k < e->model->nops; k++) fprintf(out, "%s%s", k ? "+" : "", op_name(e->model->ops[k].op));
        fprintf(out, "%s%s(", e->model && e->model->nops ? " " : e->model && e->model->noreturn ? "noreturn " : "call ",
                e->callee ? e->callee : "<indirect>");
        for (int i = 0; i < e->nargs; i++) {
            if (i) fputs(", ", out);
            operand(out, &e->args[i]);
        }
        fputs(")", out);
        break;
    case EV_ASSIGN:
        fprintf(out, "%s = ", e->args[0].path.key);
        operand(out, &e->args[1]);
        break;
    case EV_DECL: fprintf(out, "decl %s", e->args[0].path.key); break;
    case EV_READ: fprintf(out, "read %s", e->args[0].path.key); break;
    case EV_WRITE: fprintf(out, "write %s", e->args[0].path.key); break;
    }
    if ((e->kind == EV_READ || e->kind == EV_WRITE || e->kind == EV_ASSIGN) && e->args[0].path.cls)
        fprintf(out, " [%s]", e->args[0].path.cls);
    if (e->flags & ACCESS_ATOMIC) fputs(" atomic", out);
    if (e->flags & ACCESS_THREAD_LOCAL) fputs(" thread-local", out);
    if (h && h->event) h->event(out, e, h->ctx);
    at(out, e->loc);
}

static void terminator(FILE *out, const Block *b) {
    fputs("    ", out);
    switch (b->term) {
    case TERM_JUMP: fprintf(out, "jmp bb%d", b->succ[0]); break;
    case TERM_BRANCH:
        fputs("br ", out);
        if (b->end->cond.cmp) { /* `x*.id < y*.id`: a test the engine does not decide */
            operand(out, &b->end->cond.cmp[0]);
            fprintf(out, " %s ", rel_spelling(b->end->cond.rel));
            operand(out, &b->end->cond.cmp[1]);
            fprintf(out, " ? bb%d : bb%d", b->succ[0], b->succ[1]);
            break;
        }
        operand(out, &b->end->cond.lhs);
        fprintf(out, " %s %" PRId64 " ? bb%d : bb%d", rel_spelling(b->end->cond.rel), b->end->cond.rhs, b->succ[0], b->succ[1]);
        break;
    case TERM_RETURN:
        fputs("ret ", out);
        operand(out, &b->end->ret);
        break;
    case TERM_EXIT: fputs("exit", out); break;
    }
    at(out, b->end->loc);
}

void ir_dump_with(FILE *out, const TuFacts *tu, const DumpHooks *h) {
    for (int f = 0; f < tu->nfuncs; f++) {
        const Function *fn = &tu->funcs[f];
        fprintf(out, "function %s(", fn->name);
        for (int i = 0; i < fn->nparams; i++) fprintf(out, "%s%s", i ? ", " : "", fn->params[i]);
        fprintf(out, ")%s line %u\n", fn->is_static ? " static" : "", fn->loc.line);
        if (h && h->function) h->function(out, fn, h->ctx);
        for (int i = 0; i < fn->nblocks; i++) {
            const Block *b = &fn->blocks[i];
            fprintf(out, "  bb%d:\n", i);
            for (int j = 0; j < b->nev; j++) event(out, &b->ev[j], h);
            terminator(out, b);
        }
    }
}

void ir_dump(FILE *out, const TuFacts *tu) { ir_dump_with(out, tu, NULL); }
