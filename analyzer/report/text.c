/* text.c — findings as clang-style diagnostics, one line each plus a note
 * line per related location, so editors and CI log parsers that understand
 * compiler output pick them up. Flows are left to SARIF, except an
 * interleaving (steps with an execution order, from a run): its steps are
 * notes too, in that order, each with its thread. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* clang's colours: bold location and message, label coloured by severity. */
#define C_RESET "\x1b[0m"
#define C_BOLD "\x1b[1m"
#define C_NOTE "\x1b[1;30m"
#define C_WARNING "\x1b[1;35m"
#define C_ERROR "\x1b[1;31m"
#define C_GREEN "\x1b[1;32m"

typedef struct TextOut {
    FILE *out;
    bool color;
    bool source;     /* the source line and a caret under each location */
    const char *cwd; /* NULL when unknown: paths stay absolute */
    const char *file; char *text; size_t len; /* the last file read for snippets */
} TextOut;

static void put(const TextOut *t, const char *code) {
    if (t->color) fputs(code, t->out);
}

/* Line `line` of loc's file, or NULL: start and length. */
static const char *source_line(TextOut *t, const Loc *loc, size_t *n) {
    if (!loc->file || !loc->line) return NULL;
    if (t->file != loc->file) {
        free(t->text);
        t->text = read_file_max(loc->file, 64 << 20, &t->len);
        t->file = loc->file;
    }
    if (!t->text) return NULL;
    const char *p = t->text, *end = t->text + t->len;
    for (uint32_t l = 1; l < loc->line && p < end; l++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p) return NULL;
        p++;
    }
    const char *e = memchr(p, '\n', (size_t)(end - p));
    *n = (size_t)((e ? e : end) - p);
    if (*n && p[*n - 1] == '\r') (*n)--;
    return p;
}

/* clang's snippet:  `   12 |   lock(&m);` then `      |   ^`. Tabs are kept
 * under the caret so it lines up in any tab width. */
static void put_source(TextOut *t, const Loc *loc) {
    size_t n;
    const char *line = t->source ? source_line(t, loc, &n) : NULL;
    if (!line) return;
    fprintf(t->out, "%5u | %.*s\n      | ", (unsigned)loc->line, (int)n, line);
    for (uint32_t c = 1; loc->col && c < loc->col && c <= n; c++) fputc(line[c - 1] == '\t' ? '\t' : ' ', t->out);
    put(t, C_GREEN);
    fputc('^', t->out);
    put(t, C_RESET);
    fputc('\n', t->out);
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
static void put_interleaving(TextOut *t, const Finding *f) {
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
        put_source(t, &st->loc);
    }
}

static void put_finding(TextOut *t, const Finding *f) {
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
    put_source(t, &f->loc);
    for (int i = 0; i < f->nrelated; i++) {
        put_loc(t, &f->related[i].loc);
        put_label(t, LEVEL_NOTE); /* clang prints a note's text unbolded */
        fprintf(t->out, "%s\n", f->related[i].msg ? f->related[i].msg : "");
        put_source(t, &f->related[i].loc);
    }
    put_interleaving(t, f);
}

void report_text(FILE *out, const ReportInfo *ri, bool color) {
    char cwd[4096];
    TextOut t = {out, color, ri->show_source, getcwd(cwd, sizeof cwd), NULL, NULL, 0};
    if (!ri->findings) return;
    for (int i = 0; i < ri->findings->v.len; i++) put_finding(&t, &ri->findings->v.data[i]);
    free(t.text);
}
