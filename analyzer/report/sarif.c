/* sarif.c — findings as a SARIF 2.1.0 log that GitHub code scanning ingests.
 *
 * Locations are URIs relative to %SRCROOT% so that the log is the same on
 * every checkout; columns are converted from the bytes clang counts to the
 * UTF-16 code units SARIF counts by default; each result carries GitHub's
 * primaryLocationLineHash, computed once per file, and a line-independent
 * fingerprint of our own. Same input, same bytes: nothing here depends on
 * time, addresses or hash-table order. */
#include "report/gating.h"
#include "report/report.h"
#include "threadvet.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define INFORMATION_URI "https://github.com/threadvet/threadvet"
#define SRCROOT_ID "%SRCROOT%"

/* GitHub rejects a whole upload past these (its documented hard limits). */
enum { MAX_RESULTS = 25000, MAX_TAGS = 20, MAX_FLOW_STEPS = 10000 };

/* One file that some location names: its URI and, read on demand, its text
 * (for columns and line hashes). */
typedef struct SrcFile {
    const char *path;   /* absolute, as in Loc */
    char *rel;          /* relative to srcroot, with "../" when outside it */
    char *uri;          /* rel, percent-encoded */
    bool loaded;
    char *text;         /* NULL when unreadable */
    size_t len;
    uint32_t *line_start; /* byte offset of line i+1; [nlines] = len */
    uint32_t nlines;
    bool hashed;
    LineHashes hashes;
    bool has_results;   /* some result's primary location is here */
} SrcFile;

typedef struct Sarif {
    const ReportInfo *ri;
    char *root;          /* absolute, normalised */
    VEC(SrcFile) files;
    const Rule **rules;  /* the enabled rules, in catalogue order */
    int nrules;
    int dropped;         /* results left out past MAX_RESULTS */
    VEC(uint64_t) keys_seen; /* stable keys already used, to number repeats */
} Sarif;

/* ------------------------------------------------------------ strings */

/* jansson refuses invalid UTF-8; a stray byte from a source file must not
 * lose the whole log, so such text is repaired with U+FFFD. */
static json_t *jstr(const char *s) {
    json_t *j = json_string(s ? s : "");
    if (j) return j;
    size_t n = strlen(s), o = 0, used;
    char *fixed = xmalloc(3 * n + 1);
    for (size_t i = 0; i < n; i += used) {
        uint32_t cp = utf8_decode((const unsigned char *)s + i, n - i, &used);
        if (cp == 0xFFFD) {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3), o += 3;
        } else {
            memcpy(fixed + o, s + i, used), o += used;
        }
    }
    fixed[o] = 0;
    j = json_string(fixed);
    free(fixed);
    return j;
}

static json_t *jtext(const char *s) {
    json_t *o = json_object();
    json_object_set_new(o, "text", jstr(s));
    return o;
}

static void set_str(json_t *o, const char *key, const char *s) {
    json_object_set_new(o, key, jstr(s));
}

static void set_int(json_t *o, const char *key, json_int_t v) {
    json_object_set_new(o, key, json_integer(v));
}

/* RFC 3986: unreserved characters and the path separator stay, every other
 * byte (spaces, '%', '#', non-ASCII UTF-8) becomes %XX. */
static char *uri_encode_path(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    char *out = xmalloc(3 * strlen(path) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%', *o++ = hex[*p >> 4], *o++ = hex[*p & 15];
        }
    }
    *o = 0;
    return out;
}

/* file:///abs/dir/ — with the final slash, relative URIs resolve inside it. */
static char *dir_uri(const char *abs) {
    char *enc = uri_encode_path(abs);
    size_t n = strlen(enc);
    char *uri = xasprintf("file://%s%s", enc, n == 0 || enc[n - 1] != '/' ? "/" : "");
    free(enc);
    return uri;
}

static const char *sarif_level(Level l) {
    switch (l) {
    case LEVEL_NOTE: return "note";
    case LEVEL_WARNING: return "warning";
    case LEVEL_ERROR: return "error";
    default: return "none";
    }
}

/* ------------------------------------------------------------- files */

/* The path from directory `root` to `path` (both absolute and normalised),
 * climbing with "../" as far as needed. GitHub rejects a log whose result
 * locations are absolute file URIs outside the checkout, so even a system
 * header is named relative to %SRCROOT%. */
char *relative_path(const char *path, const char *root) {
    size_t rn = strlen(root), common = 0, i = 0;
    if (rn == 1) return xstrdup(path + 1); /* the root is "/" */
    /* the directories both share end after a '/' they both have... */
    for (; root[i] && root[i] == path[i]; i++) {
        if (root[i] == '/') common = i + 1;
    }
    /* ...or the root itself is one of path's directories */
    if (!root[i] && path[i] == '/') common = i + 1;
    const char *left = common < rn ? root + common : "";
    int up = *left ? 1 : 0;
    for (const char *p = left; *p; p++) up += *p == '/';
    char *out = xmalloc(3 * (size_t)up + strlen(path + common) + 1), *o = out;
    for (int k = 0; k < up; k++) o = stpcpy(o, "../");
    strcpy(o, path + common);
    return out;
}

static int file_index(Sarif *s, const char *path) {
    for (int i = 0; i < s->files.len; i++) {
        if (s->files.data[i].path == path || strcmp(s->files.data[i].path, path) == 0) return i;
    }
    SrcFile f = {.path = path};
    char *abs = path_absolute(path, NULL);
    f.rel = relative_path(abs, s->root);
    f.uri = uri_encode_path(f.rel);
    free(abs);
    vec_push(&s->files, f);
    return s->files.len - 1;
}

/* Lines end at LF, CRLF or a lone CR, as clang counts them. */
static void index_lines(SrcFile *f) {
    VEC(uint32_t) starts = {0};
    vec_push(&starts, 0);
    for (size_t i = 0; i < f->len; i++) {
        char c = f->text[i];
        if (c == '\r' && i + 1 < f->len && f->text[i + 1] == '\n') i++;
        if (c == '\n' || c == '\r') vec_push(&starts, (uint32_t)(i + 1));
    }
    bool ends_with_newline = starts.data[starts.len - 1] == f->len && f->len > 0;
    vec_push(&starts, (uint32_t)f->len);
    f->line_start = starts.data;
    /* the empty "line" after a final newline is no line to clang */
    f->nlines = (uint32_t)starts.len - (ends_with_newline ? 2 : 1);
}

static SrcFile *file_loaded(Sarif *s, int idx) {
    SrcFile *f = &s->files.data[idx];
    if (!f->loaded) {
        f->loaded = true;
        f->text = read_file(f->path, &f->len);
        if (f->text && f->len < UINT32_MAX) index_lines(f);
    }
    return f;
}

/* The bytes of `line` without its line end; false if there is no such line. */
static bool line_bytes(const SrcFile *f, uint32_t line, const char **s, size_t *n) {
    if (!f->line_start || line == 0 || line > f->nlines) return false;
    size_t b = f->line_start[line - 1], e = f->line_start[line];
    while (e > b && (f->text[e - 1] == '\n' || f->text[e - 1] == '\r')) e--;
    *s = f->text + b, *n = e - b;
    return true;
}

/* clang's 1-based byte column -> SARIF's 1-based UTF-16 column. Without the
 * text (file unreadable) the byte column is the best guess there is. */
static uint32_t utf16_column(const SrcFile *f, uint32_t line, uint32_t byte_col) {
    const char *s;
    size_t n, used;
    if (byte_col == 0 || !line_bytes(f, line, &s, &n)) return byte_col;
    size_t want = byte_col - 1, i = 0;
    uint32_t units = 0;
    for (; i < want && i < n; i += used) {
        uint32_t cp = utf8_decode((const unsigned char *)s + i, n - i, &used);
        units += cp >= 0x10000 ? 2 : 1;
    }
    if (want > i) units += (uint32_t)(want - i); /* past the line's end */
    return units + 1;
}

static char *primary_line_hash(SrcFile *f, uint32_t line) {
    if (!f->text) return NULL;
    if (!f->hashed) {
        line_hashes_compute(&f->hashes, f->text, f->len);
        f->hashed = true;
    }
    return line_hashes_format(&f->hashes, line);
}

static void files_free(Sarif *s) {
    for (int i = 0; i < s->files.len; i++) {
        SrcFile *f = &s->files.data[i];
        free(f->rel);
        free(f->uri);
        free(f->text);
        free(f->line_start);
        line_hashes_free(&f->hashes);
    }
    free(s->files.data);
    free(s->keys_seen.data);
}

/* --------------------------------------------------------- locations */

static json_t *artifact_location(Sarif *s, int idx) {
    SrcFile *f = &s->files.data[idx];
    json_t *a = json_object();
    set_str(a, "uri", f->uri);
    set_str(a, "uriBaseId", SRCROOT_ID);
    return a;
}

/* Byte offset of 1-based (line, col) with col clipped to the line's text;
 * col 0 means the line's end. False when the file has no such line. */
static bool offset_of(const SrcFile *f, uint32_t line, uint32_t col, size_t *off) {
    const char *s;
    size_t n;
    if (!line_bytes(f, line, &s, &n)) return false;
    *off = (size_t)(s - f->text) + (col && col - 1 < n ? col - 1 : n);
    return true;
}

/* The region's own text: SARIF shows it to people without the checkout. A
 * region without an end runs to the end of its line, as SARIF defaults it. */
static json_t *snippet(const SrcFile *f, const Loc *loc) {
    size_t b, e;
    uint32_t end_line = loc->end_line ? loc->end_line : loc->line;
    uint32_t end_col = loc->end_line ? loc->end_col : 0;
    if (!offset_of(f, loc->line, loc->col ? loc->col : 1, &b)) return NULL;
    if (!offset_of(f, end_line, end_col, &e) || e < b) return NULL;
    char *text = xmalloc(e - b + 1);
    memcpy(text, f->text + b, e - b);
    text[e - b] = 0;
    json_t *j = jtext(text);
    free(text);
    return j;
}

/* The region's whole lines and one line either side; none when that would
 * not be more than the region (a one-line file), which SARIF forbids, or
 * the region is not in the file as we read it. */
static json_t *context_region(const SrcFile *f, const Loc *loc) {
    uint32_t end = loc->end_line >= loc->line ? loc->end_line : loc->line;
    uint32_t first = loc->line > 1 ? loc->line - 1 : 1;
    uint32_t last = end < f->nlines ? end + 1 : f->nlines;
    if (end > f->nlines || (first == loc->line && last == end)) return NULL;
    Loc whole = {loc->file, first, 1, last, 0};
    json_t *text = snippet(f, &whole);
    if (!text) return NULL;
    json_t *r = json_object();
    set_int(r, "startLine", first);
    set_int(r, "endLine", last);
    json_object_set_new(r, "snippet", text);
    return r;
}

/* A region that GitHub accepts: startLine always (a location without a line
 * is pinned to line 1, which GitHub also assumes for whole-file results);
 * the end only when it is known and does not precede the start. */
static json_t *region(SrcFile *f, const Loc *loc, bool with_snippet) {
    uint32_t line = loc->line ? loc->line : 1;
    json_t *r = json_object();
    set_int(r, "startLine", line);
    uint32_t col = loc->line ? utf16_column(f, line, loc->col) : 0;
    if (col) set_int(r, "startColumn", col);
    bool has_end = loc->line && loc->end_line >= line;
    uint32_t end_col = has_end ? utf16_column(f, loc->end_line, loc->end_col) : 0;
    if (has_end && loc->end_line == line && end_col && col && end_col < col) has_end = false;
    if (has_end) {
        set_int(r, "endLine", loc->end_line);
        if (end_col) set_int(r, "endColumn", end_col);
    }
    if (with_snippet && loc->line) {
        Loc to_line_end = {loc->file, line, loc->col, 0, 0};
        json_t *text = snippet(f, has_end ? loc : &to_line_end);
        if (text) json_object_set_new(r, "snippet", text);
    }
    return r;
}

/* Snippets only for results' own locations: that is where viewers show them. */
static json_t *physical_location(Sarif *s, const Loc *loc, bool with_snippet) {
    int idx = file_index(s, loc->file);
    SrcFile *f = file_loaded(s, idx);
    json_t *p = json_object();
    json_t *a = artifact_location(s, idx);
    set_int(a, "index", idx);
    json_object_set_new(p, "artifactLocation", a);
    json_object_set_new(p, "region", region(f, loc, with_snippet));
    json_t *ctx = with_snippet && loc->line ? context_region(f, loc) : NULL;
    if (ctx) json_object_set_new(p, "contextRegion", ctx);
    return p;
}

/* {id, physicalLocation, message} (id when > 0); a location without a file
 * has only its message. */
static json_t *location(Sarif *s, const Loc *loc, const char *msg, int id) {
    json_t *l = json_object();
    if (id > 0) set_int(l, "id", id);
    if (loc->file) json_object_set_new(l, "physicalLocation", physical_location(s, loc, false));
    if (msg) json_object_set_new(l, "message", jtext(msg));
    return l;
}

/* ------------------------------------------------------------- rules */

static void collect_rules(Sarif *s) {
    const Catalog *c = s->ri->catalog;
    int n = c ? c->nrules : 0;
    s->rules = xmalloc((size_t)(n ? n : 1) * sizeof *s->rules);
    for (int i = 0; i < n; i++) {
        if (c->rules[i].enabled) s->rules[s->nrules++] = &c->rules[i];
    }
}

/* Index of the finding's rule among the enabled rules, or -1. */
static int rule_index(const Sarif *s, const Rule *r) {
    for (int i = 0; r && i < s->nrules; i++) {
        if (s->rules[i] == r || strcmp(s->rules[i]->id, r->id) == 0) return i;
    }
    return -1;
}

static const char *problem_severity(Level l) {
    return l == LEVEL_ERROR ? "error" : l == LEVEL_WARNING ? "warning" : "recommendation";
}

/* "CWE-404" -> "external/cwe/cwe-404", the tag GitHub links to CWE. */
static char *cwe_tag(const char *cwe) {
    const char *num = strncasecmp(cwe, "CWE-", 4) == 0 ? cwe + 4 : cwe;
    return xasprintf("external/cwe/cwe-%s", num);
}

static void add_tag(json_t *tags, const char *tag) {
    size_t i;
    json_t *t;
    if (json_array_size(tags) >= MAX_TAGS) return;
    json_array_foreach(tags, i, t) {
        if (strcmp(json_string_value(t), tag) == 0) return;
    }
    json_array_append_new(tags, jstr(tag));
}

static json_t *rule_properties(const Rule *r) {
    json_t *p = json_object(), *tags = json_array();
    for (int i = 0; i < r->ntags; i++) add_tag(tags, r->tags[i]);
    for (int i = 0; i < r->ncwe; i++) {
        char *t = cwe_tag(r->cwe[i]);
        add_tag(tags, t);
        free(t);
    }
    json_object_set_new(p, "tags", tags);
    if (r->precision) set_str(p, "precision", r->precision);
    set_str(p, "problem.severity", problem_severity(r->level));
    return p;
}

static json_t *rule_descriptor(const Rule *r) {
    const char *short_desc = r->short_desc ? r->short_desc : r->id;
    const char *full_desc = r->full_desc ? r->full_desc : short_desc;
    json_t *d = json_object(), *help = json_object(), *cfg = json_object();
    set_str(d, "id", r->id);
    if (r->name) set_str(d, "name", r->name);
    json_object_set_new(d, "shortDescription", jtext(short_desc));
    json_object_set_new(d, "fullDescription", jtext(full_desc));
    set_str(help, "text", r->help_text ? r->help_text : full_desc);
    if (r->help_md) set_str(help, "markdown", r->help_md);
    json_object_set_new(d, "help", help);
    set_str(cfg, "level", sarif_level(r->level));
    json_object_set_new(d, "defaultConfiguration", cfg);
    json_object_set_new(d, "properties", rule_properties(r));
    return d;
}

static json_t *tool(const Sarif *s) {
    json_t *t = json_object(), *driver = json_object(), *rules = json_array();
    set_str(driver, "name", "threadvet");
    set_str(driver, "version", THREADVET_VERSION);
    set_str(driver, "semanticVersion", THREADVET_VERSION);
    set_str(driver, "informationUri", INFORMATION_URI);
    for (int i = 0; i < s->nrules; i++) json_array_append_new(rules, rule_descriptor(s->rules[i]));
    json_object_set_new(driver, "rules", rules);
    json_object_set_new(t, "driver", driver);
    return t;
}

/* ----------------------------------------------------------- results */

static json_t *related_locations(Sarif *s, const Finding *f) {
    json_t *a = json_array();
    for (int i = 0; i < f->nrelated; i++) {
        const Related *rel = &f->related[i];
        json_array_append_new(a, location(s, &rel->loc, rel->msg ? rel->msg : "", i + 1));
    }
    return a;
}

/* `budget` is how many more steps the result may have; orders, when
 * given, the steps' executionOrder. */
static json_t *thread_flow(Sarif *s, const Flow *flow, int *budget, const int64_t *orders) {
    json_t *tf = json_object(), *locs = json_array();
    if (flow->name) json_object_set_new(tf, "message", jtext(flow->name));
    for (int i = 0; i < flow->nsteps && *budget > 0; i++, --*budget) {
        const FlowStep *st = &flow->steps[i];
        json_t *tfl = json_object();
        json_object_set_new(tfl, "location", location(s, &st->loc, st->msg ? st->msg : "", 0));
        set_int(tfl, "nestingLevel", st->depth > 0 ? st->depth : 0);
        if (orders && orders[i] > 0) set_int(tfl, "executionOrder", orders[i]);
        json_array_append_new(locs, tfl);
    }
    json_object_set_new(tf, "locations", locs);
    return tf;
}

/* All of a finding's flows are threads of one code flow: they happen together. */
static json_t *code_flows(Sarif *s, const Finding *f) {
    json_t *cf = json_object(), *tfs = json_array(), *a = json_array();
    int budget = MAX_FLOW_STEPS;
    const int64_t *orders = f->orders;
    for (int i = 0; i < f->nflows; i++) {
        json_array_append_new(tfs, thread_flow(s, &f->flows[i], &budget, orders));
        if (orders) orders += f->flows[i].nsteps;
    }
    json_object_set_new(cf, "threadFlows", tfs);
    json_array_append_new(a, cf);
    return a;
}

/* Our own fingerprint: survives edits that move the finding to other lines
 * and moving the checkout; two findings with one key in a file are told
 * apart by their order (findings come sorted by location). */
static char *stable_fingerprint(Sarif *s, const Finding *f) {
    int idx = f->loc.file ? file_index(s, f->loc.file) : -1; /* may move files.data */
    const char *rel = idx >= 0 ? s->files.data[idx].rel : "";
    uint64_t h = finding_key_hash(f, rel);
    int repeats = 0;
    for (int i = 0; i < s->keys_seen.len; i++) repeats += s->keys_seen.data[i] == h;
    vec_push(&s->keys_seen, h);
    return finding_fingerprint(h, repeats);
}

static json_t *fingerprints(Sarif *s, const Finding *f) {
    json_t *fp = json_object();
    if (f->loc.file) {
        int idx = file_index(s, f->loc.file);
        /* the line GitHub would hash: the region's, 1 when we have none */
        char *h = primary_line_hash(file_loaded(s, idx), f->loc.line ? f->loc.line : 1);
        if (h) set_str(fp, "primaryLocationLineHash", h);
        free(h);
    }
    char *mine = stable_fingerprint(s, f);
    set_str(fp, "threadvet/v1", mine);
    free(mine);
    return fp;
}

static json_t *result(Sarif *s, const Finding *f, int ridx) {
    json_t *r = json_object(), *locs = json_array();
    set_str(r, "ruleId", f->rule->id);
    set_int(r, "ruleIndex", ridx);
    set_str(r, "level", sarif_level(f->rule->level));
    json_object_set_new(r, "message", jtext(f->message ? f->message : ""));
    int idx = file_index(s, f->loc.file); /* may move files.data */
    s->files.data[idx].has_results = true;
    json_t *l = json_object();
    json_object_set_new(l, "physicalLocation", physical_location(s, &f->loc, true));
    json_array_append_new(locs, l);
    json_object_set_new(r, "locations", locs);
    if (f->nrelated) json_object_set_new(r, "relatedLocations", related_locations(s, f));
    if (f->nflows) json_object_set_new(r, "codeFlows", code_flows(s, f));
    json_object_set_new(r, "partialFingerprints", fingerprints(s, f));
    static const char *const states[] = {NULL, "new", "unchanged", "updated", "absent"};
    if (f->baseline && f->baseline <= BASELINE_ABSENT) set_str(r, "baselineState", states[f->baseline]);
    if (f->suppressed) { /* kept, marked: viewers show it as suppressed */
        json_t *sup = json_object(), *a = json_array();
        set_str(sup, "kind", "inSource");
        if (*f->suppressed) set_str(sup, "justification", f->suppressed);
        if (f->suppressed_at.file) {
            json_t *sl = json_object();
            json_object_set_new(sl, "physicalLocation", physical_location(s, &f->suppressed_at, false));
            json_object_set_new(sup, "location", sl);
        }
        json_array_append_new(a, sup);
        json_object_set_new(r, "suppressions", a);
    }
    json_t *props = json_object();
    if (f->identity) set_str(props, "identity", f->identity); /* what the fingerprint hashes, readable: runs and baselines match on it */
    if (f->properties) { /* the finding's own (a run's evidence) */
        json_t *more = json_loads(f->properties, 0, NULL);
        if (json_is_object(more)) json_object_update(props, more);
        json_decref(more);
    }
    if (json_object_size(props)) json_object_set_new(r, "properties", props);
    else json_decref(props);
    return r;
}

/* Disabled rules are not reported; findings without a file become
 * notifications; past GitHub's limit the rest are counted in one. */
static json_t *results(Sarif *s) {
    json_t *a = json_array();
    const Findings *fs = s->ri->findings;
    for (int i = 0; fs && i < fs->v.len; i++) {
        const Finding *f = &fs->v.data[i];
        int ridx = rule_index(s, f->rule);
        if (ridx < 0 || !f->loc.file) continue;
        if (json_array_size(a) < MAX_RESULTS) {
            json_array_append_new(a, result(s, f, ridx));
        } else {
            s->dropped++;
        }
    }
    return a;
}

/* -------------------------------------------------------- invocation */

/* The command line as a shell would need it: words with odd characters quoted. */
static char *command_line(char **argv, int argc) {
    size_t cap = 1;
    for (int i = 0; i < argc; i++) cap += 4 * strlen(argv[i]) + 3;
    char *out = xmalloc(cap), *o = out;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-_./=:,+@%") == strlen(a);
        if (i) *o++ = ' ';
        if (plain) {
            o = stpcpy(o, a);
            continue;
        }
        *o++ = '\'';
        for (; *a; a++) {
            if (*a == '\'') {
                o = stpcpy(o, "'\\''");
            } else {
                *o++ = *a;
            }
        }
        *o++ = '\'';
    }
    *o = 0;
    return out;
}

static json_t *notification(Sarif *s, const Notification *n) {
    json_t *o = json_object();
    set_str(o, "level", sarif_level(n->level));
    json_object_set_new(o, "message", jtext(n->text));
    if (n->loc.file) {
        json_t *locs = json_array();
        json_array_append_new(locs, location(s, &n->loc, NULL, 0));
        json_object_set_new(o, "locations", locs);
    }
    return o;
}

/* GitHub refuses results without a location, so a finding that has no file
 * is told as a notification about its rule instead of being lost. */
static json_t *nowhere_finding(const Finding *f, int ridx) {
    json_t *o = json_object(), *rule = json_object();
    set_str(o, "level", sarif_level(f->rule->level));
    json_object_set_new(o, "message", jtext(f->message ? f->message : ""));
    set_str(rule, "id", f->rule->id);
    set_int(rule, "index", ridx);
    json_object_set_new(o, "associatedRule", rule);
    return o;
}

static json_t *notifications(Sarif *s) {
    json_t *a = json_array();
    for (int i = 0; i < s->ri->nnotes; i++) json_array_append_new(a, notification(s, &s->ri->notes[i]));
    const Findings *fs = s->ri->findings;
    for (int i = 0; fs && i < fs->v.len; i++) {
        const Finding *f = &fs->v.data[i];
        int ridx = rule_index(s, f->rule);
        if (ridx >= 0 && !f->loc.file) json_array_append_new(a, nowhere_finding(f, ridx));
    }
    if (s->dropped) {
        char *text = xasprintf("%d more results were left out: GitHub accepts at most %d in a run.",
                               s->dropped, MAX_RESULTS);
        json_array_append_new(a, notification(s, &(Notification){.text = text, .level = LEVEL_WARNING}));
        free(text);
    }
    return a;
}

static json_t *invocation(Sarif *s) {
    const ReportInfo *ri = s->ri;
    json_t *inv = json_object();
    if (ri->argc > 0) {
        char *cmd = command_line(ri->argv, ri->argc);
        set_str(inv, "commandLine", cmd);
        free(cmd);
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) {
        json_t *wd = json_object();
        char *uri = dir_uri(cwd);
        set_str(wd, "uri", uri);
        free(uri);
        json_object_set_new(inv, "workingDirectory", wd);
    }
    json_object_set_new(inv, "executionSuccessful", json_boolean(ri->success));
    set_int(inv, "exitCode", ri->exit_code);
    json_t *notes = notifications(s);
    if (json_array_size(notes)) {
        json_object_set_new(inv, "toolExecutionNotifications", notes);
    } else {
        json_decref(notes);
    }
    json_t *a = json_array();
    json_array_append_new(a, inv);
    return a;
}

/* --------------------------------------------------------------- run */

static json_t *uri_base_ids(const Sarif *s) {
    json_t *ids = json_object(), *root = json_object();
    char *uri = dir_uri(s->root);
    set_str(root, "uri", uri);
    free(uri);
    json_object_set_new(ids, SRCROOT_ID, root);
    return ids;
}

/* Every file named so far, in order of first mention, so the indexes in
 * the locations point at them; with what else we know of each, without
 * which the array would only repeat the locations. */
static json_t *artifacts(Sarif *s) {
    json_t *a = json_array();
    for (int i = 0; i < s->files.len; i++) {
        const SrcFile *f = &s->files.data[i];
        json_t *art = json_object();
        json_object_set_new(art, "location", artifact_location(s, i));
        if (f->text) set_int(art, "length", (json_int_t)f->len);
        if (f->has_results) {
            json_t *roles = json_array();
            json_array_append_new(roles, json_string("resultFile"));
            json_object_set_new(art, "roles", roles);
        }
        json_array_append_new(a, art);
    }
    return a;
}

static json_t *build_log(Sarif *s) {
    json_t *run = json_object();
    json_object_set_new(run, "tool", tool(s));
    /* results and invocations first: they register the artifacts */
    json_t *res = results(s), *inv = invocation(s);
    json_object_set_new(run, "invocations", inv);
    json_object_set_new(run, "originalUriBaseIds", uri_base_ids(s));
    json_object_set_new(run, "artifacts", artifacts(s));
    json_object_set_new(run, "results", res);
    if (s->ri->category) { /* GitHub code scanning tells runs of one commit apart by it */
        json_t *ad = json_object();
        size_t n = strlen(s->ri->category);
        json_object_set_new(ad, "id", json_string(n && s->ri->category[n - 1] == '/' ? s->ri->category
                                                                                     : internf("%s/", s->ri->category)));
        json_object_set_new(run, "automationDetails", ad);
    }
    set_str(run, "columnKind", "utf16CodeUnits");
    json_t *log = json_object(), *runs = json_array();
    set_str(log, "$schema", SARIF_SCHEMA);
    set_str(log, "version", "2.1.0");
    json_array_append_new(runs, run);
    json_object_set_new(log, "runs", runs);
    return log;
}

static bool dump(json_t *log, FILE *out) {
    bool ok = json_dumpf(log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
    return fputc('\n', out) != EOF && ok;
}

/* A file is written beside its target and renamed into place (never
 * half-written); stdout is flushed so that a full disk is an error. */
static bool write_json(const char *path, json_t *log, char **err) {
    if (!strcmp(path, "-")) {
        errno = 0;
        bool ok = dump(log, stdout);
        ok = fflush(stdout) == 0 && ok;
        if (!ok) *err = xasprintf("cannot write to stdout: %s", strerror(errno ? errno : EIO));
        return ok;
    }
    OutFile *o = outfile_open(path, err);
    if (!o) return false;
    if (!dump(log, outfile_stream(o))) {
        outfile_discard(o);
        *err = xasprintf("cannot write %s: %s", path, strerror(errno ? errno : EIO));
        return false;
    }
    return outfile_commit(o, err);
}

bool report_sarif(const char *path, const ReportInfo *ri, char **err) {
    Sarif s = {.ri = ri, .root = path_absolute(ri->srcroot ? ri->srcroot : ".", NULL)};
    collect_rules(&s);
    json_t *log = build_log(&s);
    bool ok = write_json(path, log, err);
    json_decref(log);
    files_free(&s);
    free(s.rules);
    free(s.root);
    return ok;
}
