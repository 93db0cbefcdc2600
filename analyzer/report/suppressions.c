/* suppressions.c — findings silenced in the source, as clang-tidy users
 * write it:
 *
 *   ... // NOLINT                    every rule, on this line
 *   ... // NOLINT(rule-a, lock-*)    these rules (globs), on this line
 *   // NOLINTNEXTLINE(rule)          the next line
 *   // NOLINTBEGIN(rule) ... // NOLINTEND(rule)   the lines between
 *   // threadvet-ignore(rule): why   the next line (this one when code
 *                                    precedes the comment), with a reason
 *
 * A finding is silenced by a suppression at its primary location or, for
 * a lock-order cycle, at any of its acquisitions. It stays in SARIF with
 * `suppressions` (kind inSource) and leaves the text and the exit status. */
#include "report/gating.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

typedef struct Supp {
    const char *file;
    uint32_t line, col;      /* the comment */
    uint32_t first, last;    /* the lines it covers */
    const char *rules;       /* "a, b*" as written; NULL: every rule */
    const char *reason;      /* threadvet-ignore's justification */
    const char *form;        /* NOLINT, NOLINTNEXTLINE, ... as written */
    bool used;
} Supp;

struct Suppressions {
    VEC(Supp) v;
    VEC(const char *) files;     /* scanned */
    NotificationVec problems;    /* NOLINTBEGIN without END, and such */
};

/* `rules` ("a, b*") lists rule id, or NULL for all. */
static bool names_rule(const char *rules, const char *id) {
    if (!rules) return true;
    const char *p = rules;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t') p++;
        const char *e = p;
        while (*e && *e != ',') e++;
        const char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t')) t--;
        if (t > p) {
            char pat[128];
            snprintf(pat, sizeof pat, "%.*s", (int)(t - p), p);
            if (!fnmatch(pat, id, 0)) return true;
        }
        p = e;
    }
    return false;
}

/* The parenthesised list after a marker at s, or NULL; *end past it. */
static const char *paren_list(const char *s, const char **end) {
    *end = s;
    if (*s != '(') return NULL;
    const char *close = strchr(s, ')');
    if (!close) return NULL;
    *end = close + 1;
    return intern_n(s + 1, (size_t)(close - s - 1));
}

typedef struct Open { const char *rules; uint32_t line, col; } Open;
typedef VEC(Open) OpenVec;

static void add(Suppressions *sp, Supp s) { vec_push(&sp->v, s); }

static void problem(Suppressions *sp, const char *file, uint32_t line, uint32_t col, char *text) {
    vec_push(&sp->problems, ((Notification){{file, line, col, line, col}, text, LEVEL_WARNING}));
}

/* One line's comment markers. `code_before`: code precedes the comment. */
/* A marker is a word of its own: `NOLINT`, `NOLINT(...)`, `NOLINT:`, not
 * `NOLINTS` or `xNOLINT`. */
static bool marker_at(const char *line_start, const char *m, const char *word) {
    size_t n = strlen(word);
    if (strncmp(m, word, n)) return false;
    if (m > line_start && (isalnum((unsigned char)m[-1]) || m[-1] == '_' || m[-1] == '-')) return false;
    char c = m[n];
    return c == 0 || c == '(' || c == ' ' || c == '\t' || c == ':' || c == '*' || c == '\r';
}

static void scan_comment(Suppressions *sp, const char *file, uint32_t line, const char *c, const char *text_start,
                         bool code_before, OpenVec *open) {
    for (const char *m = c; (m = strpbrk(m, "Nt")) != NULL; m++) {
        uint32_t col = (uint32_t)(m - text_start) + 1;
        const char *end;
        if (marker_at(text_start, m, "NOLINTNEXTLINE")) {
            const char *r = paren_list(m + 14, &end);
            add(sp, (Supp){file, line, col, line + 1, line + 1, r, NULL, "NOLINTNEXTLINE", false});
        } else if (marker_at(text_start, m, "NOLINTBEGIN")) {
            const char *r = paren_list(m + 11, &end);
            vec_push(open, ((Open){r, line, col}));
        } else if (marker_at(text_start, m, "NOLINTEND")) {
            const char *r = paren_list(m + 9, &end);
            int k = open->len - 1;
            while (k >= 0 && r && open->data[k].rules != r) k--;
            if (k < 0) {
                problem(sp, file, line, col, xasprintf("NOLINTEND%s%s%s without a NOLINTBEGIN", r ? "(" : "", r ? r : "", r ? ")" : ""));
                continue;
            }
            Open o = open->data[k];
            add(sp, (Supp){file, o.line, o.col, o.line, line, o.rules, NULL, "NOLINTBEGIN", false});
            memmove(&open->data[k], &open->data[k + 1], sizeof(Open) * (size_t)(open->len - k - 1));
            open->len--;
        } else if (marker_at(text_start, m, "NOLINT")) {
            const char *r = paren_list(m + 6, &end);
            add(sp, (Supp){file, line, col, line, line, r, NULL, "NOLINT", false});
        } else if (marker_at(text_start, m, "threadvet-ignore")) {
            const char *r = paren_list(m + 16, &end);
            if (!r) {
                problem(sp, file, line, col, xstrdup("threadvet-ignore needs the rule: threadvet-ignore(rule-id): reason"));
                continue;
            }
            const char *why = end;
            while (*why == ':' || *why == ' ') why++;
            size_t n = strcspn(why, "\n");
            while (n && (why[n - 1] == ' ' || why[n - 1] == '/' || why[n - 1] == '*')) n--; /* a closing  *\/ */
            uint32_t at = code_before ? line : line + 1;
            add(sp, (Supp){file, line, col, at, at, r, intern_n(why, n), "threadvet-ignore", false});
        } else {
            continue;
        }
    }
}

/* Every marker in one file's comments (`//` to the end of the line, and
 * the lines of a block comment). */
static void scan_text(Suppressions *sp, const char *file, char *text, size_t len) {
    OpenVec open = {0};
    bool in_block = false;
    uint32_t line = 1, nlines = 1;
    for (size_t i = 0; i < len; i++) nlines += text[i] == '\n';
    for (char *p = text; p < text + len; line++) {
        char *eol = memchr(p, '\n', (size_t)(text + len - p));
        if (!eol) eol = text + len;
        char save = *eol;
        *eol = 0;
        if (in_block) {
            char *close = strstr(p, "*/");
            scan_comment(sp, file, line, p, p, false, &open);
            if (close) in_block = false;
        } else {
            bool in_str = false;
            for (char *q = p; *q; q++) { /* the first comment outside a string */
                if (*q == '"' && (q == p || q[-1] != '\\')) in_str = !in_str;
                if (in_str) continue;
                if (q[0] == '/' && (q[1] == '/' || q[1] == '*')) {
                    bool code = false;
                    for (char *b = p; b < q && !code; b++) code = *b != ' ' && *b != '\t';
                    if (q[1] == '*' && !strstr(q + 2, "*/")) in_block = true;
                    scan_comment(sp, file, line, q + 2, p, code, &open);
                    break;
                }
            }
        }
        *eol = save;
        p = eol + 1;
    }
    for (int k = 0; k < open.len; k++) { /* covers to the end, and is said */
        add(sp, (Supp){file, open.data[k].line, open.data[k].col, open.data[k].line, nlines, open.data[k].rules, NULL, "NOLINTBEGIN", false});
        problem(sp, file, open.data[k].line, open.data[k].col, xstrdup("NOLINTBEGIN without a NOLINTEND: it covers the rest of the file"));
    }
    free(open.data);
}

static bool scanned(Suppressions *sp, const char *file) {
    for (int i = 0; i < sp->files.len; i++)
        if (sp->files.data[i] == file) return true;
    vec_push(&sp->files, file);
    return false;
}

static void scan_file(Suppressions *sp, const char *file) {
    if (scanned(sp, file)) return;
    size_t len;
    char *text = read_file_max(file, 64 << 20, &len);
    if (!text) return;
    scan_text(sp, file, text, len);
    free(text);
}

Suppressions *suppressions_new(void) { return xcalloc(1, sizeof(Suppressions)); }

void suppressions_scan(Suppressions *sp, const char *file) {
    if (file) scan_file(sp, intern(file));
}

void suppressions_scan_text(Suppressions *sp, const char *file, const char *text, size_t len) {
    file = intern(file);
    if (scanned(sp, file)) return;
    char *copy = xmalloc(len + 1); /* scan_text ends lines in place */
    memcpy(copy, text, len);
    copy[len] = 0;
    scan_text(sp, file, copy, len);
    free(copy);
}

static Supp *covering(Suppressions *sp, Loc at, const char *rule) {
    if (!at.file || !at.line) return NULL;
    scan_file(sp, at.file);
    for (int i = 0; i < sp->v.len; i++) {
        Supp *s = &sp->v.data[i];
        if (s->file == at.file && at.line >= s->first && at.line <= s->last && names_rule(s->rules, rule)) return s;
    }
    return NULL;
}

void suppressions_apply(Suppressions *sp, Findings *fs) {
    for (int i = 0; i < fs->v.len; i++) {
        Finding *f = &fs->v.data[i];
        if (!f->rule) continue;
        Supp *s = covering(sp, f->loc, f->rule->id);
        /* a cycle is silenced at any of its acquisitions */
        for (int k = 0; !s && !strcmp(f->rule->id, "lock-order-inversion") && k < f->nrelated; k++)
            s = covering(sp, f->related[k].loc, f->rule->id);
        if (!s) continue;
        s->used = true;
        f->suppressed = s->reason ? s->reason : "";
        f->suppressed_at = (Loc){s->file, s->line, s->col, s->line, s->col};
    }
}

int suppressions_problems(Suppressions *sp, NotificationVec *out, bool unused) {
    int n = 0;
    for (int i = 0; i < sp->problems.len; i++, n++) vec_push(out, sp->problems.data[i]);
    sp->problems.len = 0;
    for (int i = 0; unused && i < sp->v.len; i++) {
        const Supp *s = &sp->v.data[i];
        if (s->used) continue;
        char *text = xasprintf("%s%s%s%s suppresses nothing", s->form, s->rules ? "(" : "", s->rules ? s->rules : "",
                               s->rules ? ")" : "");
        vec_push(out, ((Notification){{s->file, s->line, s->col, s->line, s->col}, text, LEVEL_WARNING}));
        n++;
    }
    return n;
}

void suppressions_free(Suppressions *sp) {
    if (!sp) return;
    free(sp->v.data), free(sp->files.data), free(sp->problems.data);
    free(sp);
}
