/* baseline.c — gating an existing codebase: the findings of an earlier
 * SARIF report are accepted. Results are matched on our line-independent
 * fingerprint (partialFingerprints "threadvet/v1": the file and the
 * finding's identity, no line), so editing code above a finding never
 * makes it new. A match with the same message is unchanged, with another
 * message updated; a baseline result no longer found is absent. Only new
 * findings count for the exit status. */
#include "report/gating.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct Old {
    const char *fingerprint;  /* interned */
    const char *rule, *message, *uri;
    uint32_t line, col;
    bool matched;
} Old;

struct Baseline {
    const char *path;
    const Catalog *cat;
    VEC(Old) old;
};

uint64_t finding_key_hash(const Finding *f, const char *rel) {
    char *key = f->identity ? xasprintf("%s|%s", rel, f->identity)
                            : xasprintf("%s|%s|%s", f->rule->id, rel, f->message ? f->message : "");
    uint64_t h = XXH64(key, strlen(key), 0);
    free(key);
    return h;
}

char *finding_fingerprint(uint64_t h, int nth) {
    if (nth) h = XXH64(&h, sizeof h, (uint64_t)nth);
    return xasprintf("%016" PRIx64, h);
}

static const char *str_at(json_t *o, const char *a, const char *b) {
    json_t *v = json_object_get(o, a);
    if (b) v = json_object_get(v, b);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

Baseline *baseline_load(const char *path, const Catalog *cat, char **err) {
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        *err = je.line > 0 ? xasprintf("%s:%d:%d: not a SARIF file: %s", path, je.line, je.column, je.text)
                           : xasprintf("%s: %s", path, je.text);
        return NULL;
    }
    json_t *runs = json_object_get(root, "runs");
    if (!json_is_array(runs) || !json_array_size(runs) || !json_is_array(json_object_get(json_array_get(runs, 0), "results"))) {
        *err = xasprintf("%s: not a SARIF report (no runs[0].results)", path);
        json_decref(root);
        return NULL;
    }
    Baseline *b = xcalloc(1, sizeof *b);
    b->path = path, b->cat = cat;
    json_t *results = json_object_get(json_array_get(runs, 0), "results"), *r;
    size_t i;
    json_array_foreach(results, i, r) {
        const char *fp = str_at(r, "partialFingerprints", "threadvet/v1");
        if (!fp || !strcmp(str_at(r, "baselineState", NULL) ? str_at(r, "baselineState", NULL) : "", "absent")) continue;
        json_t *pl = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
        json_t *region = json_object_get(pl, "region");
        Old o = {intern(fp), str_at(r, "ruleId", NULL), str_at(r, "message", "text"), str_at(pl, "artifactLocation", "uri"),
                 (uint32_t)json_integer_value(json_object_get(region, "startLine")),
                 (uint32_t)json_integer_value(json_object_get(region, "startColumn")), false};
        o.rule = o.rule ? intern(o.rule) : NULL;
        o.message = o.message ? intern(o.message) : "";
        o.uri = o.uri ? intern(o.uri) : NULL;
        vec_push(&b->old, o);
    }
    json_decref(root);
    return b;
}

static const Rule *rule_named(const Catalog *c, const char *id) {
    for (int i = 0; id && i < c->nrules; i++)
        if (!strcmp(c->rules[i].id, id)) return &c->rules[i];
    return NULL;
}

/* file:///... or a path relative to srcroot, as an absolute path. */
static const char *path_of_uri(const char *uri, const char *srcroot) {
    if (!uri) return NULL;
    if (!strncmp(uri, "file://", 7)) uri += 7;
    char *abs = path_absolute(uri, srcroot);
    const char *p = intern(abs);
    free(abs);
    return p;
}

void baseline_apply(Baseline *b, Findings *fs, const char *srcroot) {
    VEC(uint64_t) seen = {0};
    int n = fs->v.len;
    for (int i = 0; i < n; i++) {
        Finding *f = &fs->v.data[i];
        if (!f->rule || !f->rule->enabled || !f->loc.file) continue;
        char *rel = relative_path(f->loc.file, srcroot);
        uint64_t h = finding_key_hash(f, rel);
        free(rel);
        int nth = 0;
        for (int k = 0; k < seen.len; k++) nth += seen.data[k] == h;
        vec_push(&seen, h);
        char *hex = finding_fingerprint(h, nth);
        const char *fp = intern(hex);
        free(hex);
        f->baseline = BASELINE_NEW;
        for (int k = 0; k < b->old.len; k++) {
            Old *o = &b->old.data[k];
            if (o->matched || o->fingerprint != fp) continue;
            o->matched = true;
            f->baseline = !strcmp(o->message, f->message ? f->message : "") ? BASELINE_UNCHANGED : BASELINE_UPDATED;
            break;
        }
    }
    free(seen.data);
    for (int k = 0; k < b->old.len; k++) { /* gone since: reported as absent, never counted */
        const Old *o = &b->old.data[k];
        const Rule *r = rule_named(b->cat, o->rule);
        if (o->matched || !r) continue;
        const char *file = path_of_uri(o->uri, srcroot);
        findings_add(fs, (Finding){.rule = r, .loc = {file, o->line, o->col, o->line, o->col}, .message = xstrdup(o->message),
                                   .baseline = BASELINE_ABSENT});
    }
}

void baseline_free(Baseline *b) {
    if (!b) return;
    free(b->old.data);
    free(b);
}
