/* diagnostics.c — findings as LSP diagnostics: the range (a point widened
 * to its identifier), the severity from the rule's level, the rule id as
 * `code` with its documentation as codeDescription, and the notes as
 * relatedInformation. A finding reported in another file that touches
 * this one (the other end of a lock cycle) shows at its note here, with
 * where it was reported as related information. */
#include "lsp/lsp.h"

#include <stdlib.h>
#include <string.h>

/* Where the rule pages live (docs/rules/, generated from rules/). */
#define RULE_DOCS "https://github.com/threadvet/threadvet/blob/main/docs/rules/"

char *rule_help_uri(const Rule *r) { return xasprintf(RULE_DOCS "%s.md", r->id); }

/* The texts positions are computed in: the analysed buffer for its file,
 * the files on disk for the others (read once per publication). */
typedef struct Texts {
    const char *path, *text; size_t len;  /* the buffer */
    VEC(struct Cached { const char *path; char *text; size_t len; }) disk;
} Texts;

static const char *text_of(Texts *t, const char *path, size_t *len) {
    if (path == t->path) return *len = t->len, t->text;
    for (int i = 0; i < t->disk.len; i++)
        if (t->disk.data[i].path == path) return *len = t->disk.data[i].len, t->disk.data[i].text;
    size_t n = 0;
    char *text = read_file_max(path, 64 << 20, &n);
    vec_push(&t->disk, ((struct Cached){path, text ? text : xstrdup(""), text ? n : 0}));
    *len = t->disk.data[t->disk.len - 1].len;
    return t->disk.data[t->disk.len - 1].text;
}

static json_t *position(Texts *t, const char *path, uint32_t line, uint32_t col, bool utf8) {
    size_t len;
    const char *text = text_of(t, path, &len);
    return json_pack("{s:i, s:i}", "line", line ? line - 1 : 0, "character",
                     text_character(text, len, line, col ? col : 1, utf8));
}

/* A location's range: its own end when it has one past its start, else
 * the identifier at it. */
static json_t *range(Texts *t, const Loc *l, bool utf8) {
    uint32_t el = l->end_line, ec = l->end_col;
    if (!el || el < l->line || (el == l->line && ec <= l->col)) {
        size_t len;
        const char *text = text_of(t, l->file, &len);
        el = l->line, ec = text_token_end(text, len, l->line, l->col ? l->col : 1);
    }
    return json_pack("{s:o, s:o}", "start", position(t, l->file, l->line, l->col, utf8), "end",
                     position(t, l->file, el, ec, utf8));
}

static json_t *related(Texts *t, const Loc *l, const char *msg, bool utf8) {
    char *uri = path_to_uri(l->file);
    json_t *r = json_pack("{s:{s:s, s:o}, s:s}", "location", "uri", uri, "range", range(t, l, utf8), "message",
                          msg ? msg : "");
    free(uri);
    return r;
}

static int severity(Level l) { return l == LEVEL_ERROR ? 1 : l == LEVEL_WARNING ? 2 : 3; }

static json_t *diagnostic(Texts *t, const Finding *f, const char *path, bool utf8) {
    const Loc *at = &f->loc;
    bool here = f->loc.file == path;
    for (int i = 0; !here && i < f->nrelated; i++)
        if (f->related[i].loc.file == path) at = &f->related[i].loc;
    char *href = rule_help_uri(f->rule);
    json_t *d = json_pack("{s:o, s:i, s:s, s:{s:s}, s:s, s:s}", "range", range(t, at, utf8), "severity",
                          severity(f->rule->level), "code", f->rule->id, "codeDescription", "href", href, "source",
                          "threadvet", "message", f->message ? f->message : "");
    free(href);
    json_t *rel = json_array();
    if (!here && f->loc.file) json_array_append_new(rel, related(t, &f->loc, "reported here", utf8));
    for (int i = 0; i < f->nrelated; i++)
        if (f->related[i].loc.file) json_array_append_new(rel, related(t, &f->related[i].loc, f->related[i].msg, utf8));
    if (json_array_size(rel)) json_object_set_new(d, "relatedInformation", rel);
    else json_decref(rel);
    return d;
}

json_t *diagnostics_for(const Findings *fs, const char *uri, const char *path, const char *text, size_t len,
                        int64_t version, bool utf8) {
    Texts t = {intern(path), text, len, {0}};
    json_t *list = json_array();
    for (int i = 0; fs && i < fs->v.len; i++) {
        const Finding *f = &fs->v.data[i];
        if (!f->rule || !f->rule->enabled || f->rule->level == LEVEL_NONE || !finding_counts(f)) continue;
        if (finding_touches(f, t.path)) json_array_append_new(list, diagnostic(&t, f, t.path, utf8));
    }
    for (int i = 0; i < t.disk.len; i++) free(t.disk.data[i].text);
    free(t.disk.data);
    json_t *p = json_pack("{s:s, s:o}", "uri", uri, "diagnostics", list);
    if (version >= 0) json_object_set_new(p, "version", json_integer(version));
    return p;
}
