/* text.c — findings as clang-style diagnostics, one line each plus a note
 * line per related location, so editors and CI log parsers that understand
 * compiler output pick them up. Flows are left to SARIF, except an
 * interleaving (steps with an execution order, from a run): its steps are
 * notes too, in that order, each with its thread. */
#include "report/report.h"

#include <stdlib.h>
#include <unistd.h>

/* clang's colours: bold location and message, label coloured by severity. */
#define C_RESET "\x1b[0m"
#define C_BOLD "\x1b[1m"
#define C_NOTE "\x1b[1;30m"
#define C_WARNING "\x1b[1;35m"
#define C_ERROR "\x1b[1;31m"

typedef struct TextOut {
    FILE *out;
    bool color;
    const char *cwd; /* NULL when unknown: paths stay absolute */
} TextOut;

static void put(const TextOut *t, const char *code) {
    if (t->color) fputs(code, t->out);
}

/* FILE:LINE:COL: with the file relative to the cwd when it lies under it;
 * the parts the location lacks are left out, as clang does. */
static void put_loc(const TextOut *t, const Loc *loc) {
    if (!loc->file) {
        put(t, C_BOLD);
        fputs("threadvet: ", t->out);
        put(t, C_RESET);
        return;
    }
    char *rel = t->cwd ? path_relative(loc->file, t->cwd) : NULL;
    put(t, C_BOLD);
    fputs(rel ? rel : loc->file, t->out);
    if (loc->line) fprintf(t->out, ":%u", (unsigned)loc->line);
    if (loc->line && loc->col) fprintf(t->out, ":%u", (unsigned)loc->col);
    fputs(": ", t->out);
    put(t, C_RESET);
    free(rel);
}

static void put_label(const TextOut *t, Level level) {
    const char *word = level == LEVEL_ERROR ? "error" : level == LEVEL_NOTE ? "note" : "warning";
    const char *code = level == LEVEL_ERROR ? C_ERROR : level == LEVEL_NOTE ? C_NOTE : C_WARNING;
    put(t, code);
    fprintf(t->out, "%s:", word);
    put(t, C_RESET);
    fputc(' ', t->out);
}

/* The steps of every flow with an execution order, merged in that order. */
static void put_interleaving(const TextOut *t, const Finding *f) {
    if (!f->orders) return;
    for (int64_t next = 1;; next++) {
        const FlowStep *st = NULL;
        const Flow *fl = NULL;
        const int64_t *o = f->orders;
        for (int i = 0; i < f->nflows && !st; o += f->flows[i].nsteps, i++)
            for (int k = 0; k < f->flows[i].nsteps; k++)
                if (o[k] == next) st = &f->flows[i].steps[k], fl = &f->flows[i];
        if (!st) return;
        put_loc(t, &st->loc);
        put_label(t, LEVEL_NOTE);
        fprintf(t->out, "[%s] %s\n", fl->name ? fl->name : "thread", st->msg ? st->msg : "");
    }
}

static void put_finding(const TextOut *t, const Finding *f) {
    if (f->rule && !f->rule->enabled) return; /* as in SARIF, which lists enabled rules only */
    if (!finding_counts(f)) return;           /* suppressed, or accepted in the baseline: SARIF keeps it */
    Level level = f->rule ? f->rule->level : LEVEL_WARNING;
    put_loc(t, &f->loc);
    put_label(t, level);
    put(t, C_BOLD);
    fputs(f->message ? f->message : "", t->out);
    put(t, C_RESET);
    if (f->rule) fprintf(t->out, " [%s]", f->rule->id);
    fputc('\n', t->out);
    for (int i = 0; i < f->nrelated; i++) {
        put_loc(t, &f->related[i].loc);
        put_label(t, LEVEL_NOTE); /* clang prints a note's text unbolded */
        fprintf(t->out, "%s\n", f->related[i].msg ? f->related[i].msg : "");
    }
    put_interleaving(t, f);
}

void report_text(FILE *out, const ReportInfo *ri, bool color) {
    char cwd[4096];
    TextOut t = {out, color, getcwd(cwd, sizeof cwd)};
    if (!ri->findings) return;
    for (int i = 0; i < ri->findings->v.len; i++) put_finding(&t, &ri->findings->v.data[i]);
}
