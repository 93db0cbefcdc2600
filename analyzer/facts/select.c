/* select.c — which findings a run reports when it links more than it
 * reports: those that touch a selected file (any line) or a selected line
 * range, by their primary or related locations. A cross-file cycle is
 * reported to the file that completes it, whichever end is primary. */
#include <stdlib.h>
#include <string.h>

#include "facts/select.h"

typedef struct Range { uint32_t from, to; } Range;
typedef struct Lines { bool all; VEC(Range) r; } Lines;

Selection *selection_new(void) { return xcalloc(1, sizeof(Selection)); }

static Lines *lines_of(Selection *s, const char *file) {
    void **slot = ptrmap_slot(&s->files, intern(file), true);
    if (!*slot) *slot = xcalloc(1, sizeof(Lines)), s->nfiles++;
    return *slot;
}

void selection_free(Selection *s) {
    for (size_t i = 0; i < s->files.cap; i++)
        if (s->files.keys && s->files.keys[i]) free(((Lines *)s->files.vals[i])->r.data), free(s->files.vals[i]);
    ptrmap_free(&s->files);
    free(s);
}

void selection_add_file(Selection *s, const char *file) { lines_of(s, file)->all = true; }

void selection_add_lines(Selection *s, const char *file, uint32_t from, uint32_t to) {
    Lines *l = lines_of(s, file);
    vec_push(&l->r, ((Range){from, to}));
}

bool selection_has_file(const Selection *s, const char *file) { return ptrmap_get(&s->files, intern(file)) != NULL; }

static bool touches(const Selection *s, Loc loc) {
    Lines *l = loc.file ? ptrmap_get(&s->files, loc.file) : NULL;
    if (!l) return false;
    if (l->all) return true;
    for (int i = 0; i < l->r.len; i++) {
        uint32_t end = loc.end_line >= loc.line ? loc.end_line : loc.line;
        if (loc.line <= l->r.data[i].to && end >= l->r.data[i].from) return true;
    }
    return false;
}

bool selection_touches(const Selection *s, const Finding *f) {
    if (touches(s, f->loc)) return true;
    for (int i = 0; i < f->nrelated; i++)
        if (touches(s, f->related[i].loc)) return true;
    return false;
}

void selection_filter(const Selection *s, Findings *fs) {
    int k = 0;
    for (int i = 0; i < fs->v.len; i++)
        if (selection_touches(s, &fs->v.data[i])) fs->v.data[k++] = fs->v.data[i];
    fs->v.len = k;
}

void selection_add_includers(Selection *s, TuFacts *const *tus, int ntus) {
    for (int t = 0; t < ntus; t++) {
        const TuFacts *tu = tus[t];
        if (!tu || ptrmap_get(&s->files, tu->file)) continue;
        for (int i = 0; i < tu->nincludes; i++)
            if (ptrmap_get(&s->files, tu->includes[i])) {
                selection_add_file(s, tu->file);
                break;
            }
    }
}

/* ------------------------------------------------------------- git diff */

/* "@@ -a,b +c,d @@": the new side's lines c..c+d-1; a pure deletion
 * (d == 0) touches the lines around it. */
static void add_hunk(Selection *s, const char *file, const char *line) {
    const char *plus = strstr(line, " +");
    if (!plus) return;
    char *end;
    unsigned long c = strtoul(plus + 2, &end, 10), d = 1;
    if (*end == ',') d = strtoul(end + 1, NULL, 10);
    if (d == 0) selection_add_lines(s, file, c ? (uint32_t)c : 1, (uint32_t)c + 1);
    else selection_add_lines(s, file, (uint32_t)c, (uint32_t)(c + d - 1));
}

static char *shell_quote(const char *s) {
    size_t n = 3;
    for (const char *p = s; *p; p++) n += *p == '\'' ? 4 : 1;
    char *q = xmalloc(n), *o = q;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') memcpy(o, "'\\''", 4), o += 4;
        else *o++ = *p;
    }
    *o++ = '\'', *o = 0;
    return q;
}

static char *git_top(void) {
    FILE *p = popen("git rev-parse --show-toplevel 2>/dev/null", "r");
    if (!p) return NULL;
    char buf[4096];
    char *top = fgets(buf, sizeof buf, p) ? xstrdup(buf) : NULL;
    if (pclose(p) != 0) free(top), top = NULL;
    if (top) top[strcspn(top, "\n")] = 0;
    return top;
}

bool selection_from_git(Selection *s, const char *rev, char **err) {
    char *top = git_top();
    if (!top) return *err = xasprintf("--changed-since %s: not in a git repository", rev), false;
    char *q = shell_quote(rev);
    char *cmd = xasprintf("git -c core.quotePath=false diff -U0 --no-color --no-ext-diff --no-renames %s -- 2>&1", q);
    FILE *p = popen(cmd, "r");
    free(q), free(cmd);
    if (!p) return *err = xasprintf("--changed-since %s: cannot run git", rev), free(top), false;
    char *line = NULL, *file = NULL, *first_error = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, p)) > 0) {
        line[strcspn(line, "\n")] = 0;
        if (!strncmp(line, "+++ ", 4)) {
            free(file);
            file = strncmp(line + 4, "b/", 2) ? NULL : xasprintf("%s/%s", top, line + 6);
        } else if (!strncmp(line, "@@ ", 3) && file) {
            add_hunk(s, file, line);
        } else if (!first_error && (!strncmp(line, "fatal: ", 7) || !strncmp(line, "error: ", 7))) {
            first_error = xstrdup(line);
        }
    }
    bool ok = pclose(p) == 0;
    if (!ok) *err = xasprintf("--changed-since %s: git diff failed%s%s", rev, first_error ? ": " : "",
                              first_error ? first_error : "");
    free(line), free(file), free(first_error), free(top);
    return ok;
}
