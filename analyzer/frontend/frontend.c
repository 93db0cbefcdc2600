/* frontend.c — parse one translation unit with libclang, collect its errors,
 * lower it to IR and dispose of the AST at once (only the IR survives). */
#include "frontend/lower.h"

#include <stdlib.h>
#include <string.h>

struct Frontend {
    CXIndex index;
    FrontendOptions opt;
};

Frontend *frontend_new(const FrontendOptions *opt) {
    Frontend *fe = xcalloc(1, sizeof *fe);
    fe->index = clang_createIndex(0, 0);
    fe->opt = *opt;
    return fe;
}

void frontend_free(Frontend *fe) {
    if (!fe) return;
    clang_disposeIndex(fe->index);
    free(fe);
}

/* Most locations are in a few files: remember the last one's name. Reset per
 * TU, since a disposed TU's CXFile addresses can be reused. */
static __thread CXFile last_file;
static __thread const char *last_name;
static __thread const char *unit_dir; /* relative names libclang gives are relative to the unit's directory */

static const char *file_name(CXFile f) {
    if (!f) return NULL;
    if (f == last_file) return last_name;
    CXString s = clang_getFileName(f);
    const char *name = clang_getCString(s);
    const char *out = NULL;
    if (name) {
        char *abs = path_absolute(name, unit_dir);
        out = intern(abs);
        free(abs);
    }
    clang_disposeString(s);
    last_file = f, last_name = out;
    return out;
}

Loc loc_of_location(CXSourceLocation l) {
    CXFile f;
    unsigned line, col;
    clang_getExpansionLocation(l, &f, &line, &col, NULL);
    return (Loc){file_name(f), line, col, line, col};
}

Loc loc_of_cursor(CXCursor c) {
    CXSourceRange r = clang_getCursorExtent(c);
    CXFile f, f2;
    unsigned line, col, eline, ecol;
    clang_getExpansionLocation(clang_getRangeStart(r), &f, &line, &col, NULL);
    clang_getExpansionLocation(clang_getRangeEnd(r), &f2, &eline, &ecol, NULL);
    Loc loc = {file_name(f), line, col, line, col};
    if (f2 == f && (eline > line || (eline == line && ecol >= col))) loc.end_line = eline, loc.end_col = ecol;
    return loc;
}

/* A garbage file (a binary named .c) makes an error every few bytes:
 * libclang stops after ERROR_LIMIT, and a unit shows its first ERRORS_SHOWN
 * and how many more there were, so that the report stays small. */
#define ERROR_LIMIT "1000"
enum { ERRORS_SHOWN = 20 };

/* The arguments libclang sees: the job's flags, its working directory (or
 * relative -I paths silently miss), quiet warnings (we only count errors)
 * and the error limit. */
static const char **parse_args(const Job *job, int *n) {
    const char **args = xmalloc(sizeof(char *) * (job->nargs + 6));
    int k = 0;
    for (int i = 0; i < job->nargs; i++) args[k++] = job->args[i];
    args[k++] = "-working-directory";
    args[k++] = job->directory;
    args[k++] = "-w";
    args[k++] = "-Wno-unknown-warning-option";
    args[k++] = "-ferror-limit=" ERROR_LIMIT;
    *n = k;
    return args;
}

static void push_diag(TuFacts *facts, Loc loc, char *text) {
    facts->diags = xrealloc(facts->diags, sizeof(Diag) * (facts->ndiags + 1));
    facts->diags[facts->ndiags++] = (Diag){loc, text, true};
}

static void add_diag(TuFacts *facts, Loc loc, char *text) {
    push_diag(facts, loc, text);
    facts->nerrors++;
}

static void collect_errors(CXTranslationUnit tu, TuFacts *facts) {
    unsigned n = clang_getNumDiagnostics(tu);
    int hidden = 0;
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && facts->nerrors >= ERRORS_SHOWN) {
            hidden++, facts->nerrors++; /* counted, not kept */
        } else if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            CXString s = clang_getDiagnosticSpelling(d);
            add_diag(facts, loc_of_location(clang_getDiagnosticLocation(d)), xstrdup(clang_getCString(s)));
            clang_disposeString(s);
        }
        clang_disposeDiagnostic(d);
    }
    if (hidden) /* not an error of its own: nerrors counts the hidden ones */
        push_diag(facts, (Loc){facts->file, 0, 0, 0, 0},
                  xasprintf("%d more error%s not shown", hidden, hidden == 1 ? "" : "s"));
}

static const char *parse_error_text(enum CXErrorCode e) {
    switch (e) {
    case CXError_Crashed: return "libclang crashed while parsing";
    case CXError_InvalidArguments: return "libclang rejected the compiler arguments";
    case CXError_ASTReadError: return "libclang could not read the AST";
    default: return "libclang could not parse the file";
    }
}

typedef VEC(const char *) NameVec;

static void on_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data) {
    (void)stack;
    if (depth == 0) return; /* the main file */
    const char *name = file_name(f);
    if (name) vec_push((NameVec *)data, name);
}

/* The headers the unit read, for the cache's key (facts/). */
static void collect_includes(CXTranslationUnit tu, TuFacts *facts) {
    NameVec v = {0};
    clang_getInclusions(tu, on_inclusion, &v); /* once per #include: a header may come twice */
    facts->includes = arena_alloc(facts->arena, sizeof(char *) * (v.len + 1));
    PtrMap seen = {0};
    for (int i = 0; i < v.len; i++) {
        void **slot = ptrmap_slot(&seen, v.data[i], true);
        if (!*slot) *slot = (void *)1, facts->includes[facts->nincludes++] = v.data[i];
    }
    ptrmap_free(&seen);
    free(v.data);
}

static TuFacts *run(Frontend *fe, const Job *job, struct CXUnsavedFile *unsaved, unsigned nunsaved) {
    last_file = NULL;
    unit_dir = job->directory;
    TuFacts *facts = xcalloc(1, sizeof *facts);
    facts->file = intern(job->file);
    facts->arena = arena_new();
    int nargs;
    const char **args = parse_args(job, &nargs);
    CXTranslationUnit tu = NULL;
    unsigned flags = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    struct CXUnsavedFile opt_buf = {fe->opt.unsaved_file, fe->opt.unsaved_text, (unsigned long)fe->opt.unsaved_len};
    if (!nunsaved && fe->opt.unsaved_file && !strcmp(fe->opt.unsaved_file, job->file)) unsaved = &opt_buf, nunsaved = 1;
    enum CXErrorCode e = clang_parseTranslationUnit2(fe->index, job->file, args, nargs, unsaved, nunsaved, flags, &tu);
    free(args);
    if (e != CXError_Success || !tu) {
        facts->failed = true;
        add_diag(facts, (Loc){facts->file, 0, 0, 0, 0}, xstrdup(parse_error_text(e)));
        return facts;
    }
    collect_errors(tu, facts);
    collect_includes(tu, facts);
    if (!fe->opt.parse_only) lower_tu(tu, facts, fe->opt.models);
    /* No malloc_trim() after the dispose: it walks and locks every malloc
     * arena, which serialises the workers (-j 2 fell from 1.9x to 1.7x),
     * and peak memory stays far below our bound without it. */
    clang_disposeTranslationUnit(tu);
    return facts;
}

TuFacts *frontend_run(Frontend *fe, const Job *job) { return run(fe, job, NULL, 0); }

/* The editor's buffer stands for the main file on disk (`threadvet lsp`);
 * its headers are still read from disk. */
TuFacts *frontend_run_unsaved(Frontend *fe, const Job *job, const char *text, size_t len) {
    struct CXUnsavedFile buf = {job->file, text, (unsigned long)len};
    return run(fe, job, &buf, 1);
}

void tu_facts_free(TuFacts *facts) {
    if (!facts) return;
    for (int i = 0; i < facts->ndiags; i++) free(facts->diags[i].text);
    free(facts->diags);
    arena_free(facts->arena);
    free(facts);
}
